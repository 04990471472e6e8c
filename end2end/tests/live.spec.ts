import { expect, test } from './fixtures';
import { hydrated, jsEnabled, login, newCustomer, READER } from './helpers';

test('a save in one browser shows in another without a reload: an untouched form follows, one with input warns @js', async ({ page, browser }, info) => {
  // Three browsers, two saves and their live echoes: more than the default 30 s on a busy CI machine.
  test.setTimeout(60_000);
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const { id } = await newCustomer(page, 'Lina', 'Live');
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await login(other, js, `/customers/${id}/data`, READER);
  await expect(other.locator('.profile[data-live="on"]')).toBeVisible();

  await page.goto(`/customers/${id}/data`);
  await hydrated(page, js);
  // Who else has the profile open.
  await expect(page.locator('.viewers')).toContainText('Auch geöffnet von: Lena Leser');
  const company = `Live GmbH ${Date.now()}`;
  await page.getByLabel('Firma', { exact: true }).fill(company);
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Gespeichert.' })).toBeVisible();

  // The other browser: header updated, and its untouched form shows the new value at once.
  await expect(other.locator('.profile-header')).toContainText(company);
  await expect(other.getByLabel('Firma', { exact: true })).toHaveValue(company);
  await expect(other.getByRole('alert').filter({ hasText: 'hat diesen Kunden inzwischen gespeichert' })).toHaveCount(0);
  // Its Verlauf shows the change without a reload too.
  await other.getByRole('link', { name: 'Verlauf' }).click();
  await expect(other.locator('tr[data-field="company"]').first()).toContainText(company);
  await otherContext.close();

  // A form with unsaved input keeps it and says that someone saved meanwhile.
  const thirdContext = await browser.newContext();
  const third = await thirdContext.newPage();
  await login(third, js, `/customers/${id}/data`);
  const typed = `Ungespeichert ${Date.now()}`;
  await page.getByLabel('Ort', { exact: true }).fill(typed);
  await third.getByLabel('Firma', { exact: true }).fill(`${company} II`);
  await third.getByRole('button', { name: 'Speichern' }).click();
  await expect(third.getByRole('status').filter({ hasText: 'Gespeichert.' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'hat diesen Kunden inzwischen gespeichert' })).toBeVisible();
  await expect(page.getByLabel('Ort', { exact: true })).toHaveValue(typed);
  await expect(page.getByLabel('Firma', { exact: true })).toHaveValue(company);
  await thirdContext.close();
});
