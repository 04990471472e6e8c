import { expect, test } from './fixtures';
import { hydrated, jsEnabled, login, openNewCustomer } from './helpers';

test('a change shows in the Verlauf, is undone by a new change, and cannot be undone twice @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  const { id } = await openNewCustomer(page, js, 'data', 'Vera', 'Verlauf');
  const city = page.getByLabel('Ort', { exact: true });
  const before = await city.inputValue();
  await city.fill('Rückgängigstadt');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Gespeichert.' })).toBeVisible();

  await page.goto(`/customers/${id}/history`);
  await hydrated(page, js);
  const row = page.locator('tr[data-field="city"]').first();
  await expect(row).toContainText(`${before} → Rückgängigstadt`);
  await expect(row).toContainText('Demo Mitarbeiter');
  await row.getByRole('button', { name: /Rückgängig/ }).click();
  await expect(page.getByText('Rückgängig gemacht; die Rücknahme steht im Verlauf.')).toBeVisible();
  const revert = page.locator('tr[data-field="city"]').first();
  await expect(revert).toContainText(`Rückgängigstadt → ${before}`);
  await expect(revert).toContainText('nimmt Änderung #');
  await expect(page.locator('tr[data-field="city"]').nth(1)).toContainText('zurückgenommen durch #');
  await expect(page.locator('tr[data-field="city"]').nth(1).getByRole('button')).toHaveCount(0);

  await page.getByLabel('Geändert durch').selectOption({ label: 'Kunde' });
  await expect(page.getByText('Noch keine Änderungen.')).toBeVisible();

  await page.goto(`/customers/${id}/data`);
  await hydrated(page, js);
  await expect(page.getByLabel('Ort', { exact: true })).toHaveValue(before);
});

test('a pinned note shows in the warnings row; edits keep the earlier version @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/customers/19/notes');
  await page.getByText('Neue Notiz').click();
  await page.getByLabel('Titel').fill('Nur per E-Mail kontaktieren');
  await page.getByLabel('Text').fill('Telefonisch nicht erreichbar.');
  await page.getByLabel('Anheften (in der Warnzeile zeigen)').check();
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator('.warnings')).toContainText('Notiz: Nur per E-Mail kontaktieren');
  const card = page.locator('article.note', { hasText: 'Nur per E-Mail kontaktieren' });
  await card.getByRole('button', { name: 'Bearbeiten' }).click();
  await card.getByLabel('Text').fill('Telefonisch erst ab 14 Uhr.');
  await card.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator('article.note', { hasText: 'Telefonisch erst ab 14 Uhr.' })).toContainText('1 frühere Fassungen');

  // Without reload and after one: the warnings row keeps the pinned note.
  await page.reload();
  await hydrated(page, js);
  await expect(page.locator('.warnings')).toContainText('Notiz: Nur per E-Mail kontaktieren');
});

test('the timeline merges changes, log, notes and mails and filters by kind', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  // Customer 19 got a pinned note above (in the project with JavaScript); give it a change too.
  await login(page, js, '/customers/19/timeline');
  await expect(page.getByRole('heading', { name: 'Zeitleiste' })).toBeVisible();
  if (js) {
    await expect(page.locator('.timeline-item[data-kind="note"]').first()).toBeVisible();
    await page.getByLabel('Zeigen').selectOption({ label: 'E-Mail' });
    await expect(page.locator('.timeline-item[data-kind="note"]')).toHaveCount(0);
  } else {
    await expect(page.locator('.timeline, .empty').first()).toBeVisible();
  }
});
