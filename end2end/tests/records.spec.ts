import { expect, test } from './fixtures';
import { readFileSync } from 'fs';
import { hydrated, jsEnabled, login, openNewCustomer } from './helpers';

test('the data report downloads as a typeset PDF and as a ZIP, each logged', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/customers/26/data');
  const number = (await page.locator('.profile-header .customer-number').textContent())!.trim();
  const report = page.locator('li.data-report');
  const [pdf] = await Promise.all([page.waitForEvent('download'), report.getByRole('button', { name: 'PDF', exact: true }).click()]);
  expect(pdf.suggestedFilename()).toBe(`Datenauskunft-${number}.pdf`);
  expect(readFileSync((await pdf.path())!).subarray(0, 5).toString()).toBe('%PDF-');
  const [zip] = await Promise.all([page.waitForEvent('download'), report.getByRole('button', { name: 'ZIP', exact: true }).click()]);
  expect(zip.suggestedFilename()).toBe(`Datenauskunft-${number}.zip`);
  expect(readFileSync((await zip.path())!).subarray(0, 2).toString()).toBe('PK');
  await page.goto('/customers/26/log');
  await hydrated(page, js);
  await expect(page.getByText('Datenauskunft erstellt').first()).toBeVisible();
});

test('the operator edits the Art. 15 texts of the data report @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/report-texts');
  const recipients = page.getByLabel('Empfänger', { exact: true });
  await expect(recipients).toHaveValue(/Auftragsverarbeiter/);
  await recipients.fill('');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('alert')).toContainText('Dieses Feld ist erforderlich.');
  await recipients.fill('Unser Rechenzentrum in Nürnberg und sonst niemand.');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByText('Gespeichert. Neue Datenauskünfte enthalten diese Texte.')).toBeVisible();
  await page.reload();
  await hydrated(page, js);
  await expect(page.getByLabel('Empfänger', { exact: true })).toHaveValue('Unser Rechenzentrum in Nürnberg und sonst niemand.');
});

test('staff erase a customer after a preview; the record stays anonymised with its number @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  const { id } = await openNewCustomer(page, js, 'data', 'Erik', 'Erasure');
  const number = (await page.locator('.profile-header .customer-number').textContent())!.trim();
  await page.getByRole('link', { name: 'Kunde löschen', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Kunde löschen' })).toBeVisible();
  await expect(page.locator('table.erase-items tr[data-table="customers"]')).toContainText('wird anonymisiert');
  await page.getByRole('button', { name: 'Kunde löschen', exact: true }).click();
  await page.getByRole('button', { name: 'Endgültig löschen' }).click();
  await expect(page.getByRole('alert')).toContainText('Aktenzeichen');
  await page.getByLabel('Aktenzeichen der Anfrage').fill('Brief vom 20.11.');
  await page.getByRole('button', { name: 'Kunde löschen', exact: true }).click();
  await page.getByRole('button', { name: 'Endgültig löschen' }).click();
  await expect(page.getByText('Gelöscht. Das Kundenkonto ist anonymisiert')).toBeVisible();
  await page.goto(`/customers/${id}/data`);
  await hydrated(page, js);
  await expect(page.locator('.profile-header')).toContainText('Gelöschter Kunde');
  await expect(page.locator('.profile-header .customer-number')).toHaveText(number);
  await expect(page.locator('.warnings')).toContainText('Gelöscht am');
  await expect(page.getByRole('button', { name: 'Speichern' })).toHaveCount(0);
});
