import { expect, test } from './fixtures';
import { readFileSync } from 'fs';
import { hydrated, jsEnabled, openNewCustomer } from './helpers';

test('a public-sector customer gets an XRechnung once their Leitweg-ID is right @js', async ({ page }, info) => {
  test.setTimeout(60_000);
  const js = jsEnabled(info.project.name);
  const { id } = await openNewCustomer(page, js, 'data', 'Erika', 'Einvoice');

  // XRechnung for a public buyer, without the Leitweg-ID yet: saved, and the profile warns.
  await page.getByLabel('E-Rechnung', { exact: true }).selectOption('xrechnung');
  await page.getByLabel('Öffentlicher Auftraggeber').check();
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('status')).toContainText('Gespeichert');
  await page.reload();
  await hydrated(page, js);
  await expect(page.locator('.warnings')).toContainText('E-Rechnung unvollständig, Rechnungslauf übergeht den Kunden: Leitweg-ID des Kunden');

  // Finalising is refused with the missing data named; the draft stays a draft.
  await page.getByRole('link', { name: /^Rechnungen/ }).click();
  await hydrated(page, js);
  await page.locator('details.compose summary', { hasText: 'Rechnung hinzufügen' }).click();
  const form = page.locator('form.invoice-form');
  await form.getByLabel('Leistung', { exact: true }).fill('Bürgerportal Hosting');
  await form.getByLabel('Menge').fill('1');
  await form.getByLabel('Einzelpreis netto (€)').fill('100,00');
  await form.getByRole('button', { name: 'Als Entwurf speichern' }).click();
  const draft = page.locator('.invoice-table tbody tr').first();
  await expect(draft).toContainText('Entwurf');
  await draft.getByRole('button', { name: 'Festschreiben' }).click();
  await expect(page.getByText('Die E-Rechnung wäre unvollständig, es fehlt: Leitweg-ID des Kunden.')).toBeVisible();
  await expect(draft).toContainText('Entwurf');

  // A Leitweg-ID with wrong check digits is refused in Daten; the right one is kept.
  await page.goto(`/customers/${id}/data`);
  await hydrated(page, js);
  await page.getByLabel('Leitweg-ID').fill('04011000-1234512345-07');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator('.field.invalid').getByText('Keine gültige Leitweg-ID')).toBeVisible();
  await page.getByLabel('Leitweg-ID').fill('04011000-1234512345-06');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('status')).toContainText('Gespeichert');
  await expect(page.getByText(/E-Rechnung unvollständig/)).toHaveCount(0);

  // Now it is finalised; once archived, the XML is a download of exactly the archived e-invoice.
  await page.getByRole('link', { name: /^Rechnungen/ }).click();
  await hydrated(page, js);
  await page.locator('.invoice-table tbody tr').first().getByRole('button', { name: 'Festschreiben' }).click();
  const year = new Date().getFullYear();
  const invoice = page.locator(`.invoice-table tbody tr[data-number^="RE-${year}-"]`).first();
  await expect(invoice).toContainText('Offen');
  const number = await invoice.getAttribute('data-number');
  const xml = invoice.getByRole('link', { name: `E-Rechnung (XML) der Rechnung ${number} herunterladen` });
  await expect(xml).toBeVisible({ timeout: 40_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), xml.click()]);
  expect(download.suggestedFilename()).toBe(`${number}.xml`);
  const text = readFileSync(await download.path()).toString();
  expect(text).toContain('urn:xeinkauf.de:kosit:xrechnung_3.0');
  expect(text).toContain('<ram:BuyerReference>04011000-1234512345-06</ram:BuyerReference>');
  expect(text).toContain(`<ram:ID>${number}</ram:ID>`);
});

test('an invoice is corrected: the correction replaces it and the account follows @js', async ({ page }, info) => {
  test.setTimeout(60_000);
  const js = jsEnabled(info.project.name);
  await openNewCustomer(page, js, 'invoices', 'Karl', 'Korrektur');
  await page.locator('details.compose summary', { hasText: 'Rechnung hinzufügen' }).click();
  const form = page.locator('form.invoice-form');
  await form.getByLabel('Leistung', { exact: true }).fill('Domain karl.de');
  await form.getByLabel('Menge').fill('3');
  await form.getByLabel('Einzelpreis netto (€)').fill('0,99');
  await form.getByRole('button', { name: 'Als Entwurf speichern' }).click();
  await page.locator('.invoice-table tbody tr').first().getByRole('button', { name: 'Festschreiben' }).click();
  const year = new Date().getFullYear();
  const original = page.locator(`.invoice-table tbody tr[data-number^="RE-${year}-"]`).first();
  await expect(original).toContainText('3,53 €');
  const number = await original.getAttribute('data-number');

  // "Rechnung korrigieren": a correction draft with the original's lines, edited and finalised.
  await original.getByRole('button', { name: 'Rechnung korrigieren' }).click();
  const draft = page.locator('.invoice-table tbody tr').filter({ hasText: 'Korrektur' }).filter({ hasText: 'Entwurf' });
  await expect(draft).toContainText('3,53 €');
  await draft.getByRole('button', { name: 'Bearbeiten' }).click();
  await draft.getByLabel('Menge').fill('2');
  await draft.getByRole('button', { name: 'Als Entwurf speichern' }).click();
  await expect(draft).toContainText('2,36 €');
  await draft.getByRole('button', { name: 'Festschreiben' }).click();
  await expect(page.locator(`.invoice-table tr[data-number="${number}"]`)).toContainText('Korrigiert');
  const correction = page.locator('.invoice-table tbody tr').filter({ hasText: 'Korrektur' }).filter({ hasText: `RE-${year}-` });
  await expect(correction).toContainText('Offen');
  await expect(correction).toContainText('2,36 €');
  await expect(page.locator('.sidebar [data-figure="transactions"]')).toHaveText('−2,36 €');
});
