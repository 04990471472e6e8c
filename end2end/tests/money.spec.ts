import { expect, test } from './fixtures';
import { readFileSync } from 'fs';
import { hydrated, jsEnabled, login, openNewCustomer, READER } from './helpers';

test('an invoice is drafted, finalised, paid by a payment another browser sees at once, and cancelled @js', async ({ page, browser }, info) => {
  test.setTimeout(60_000);
  const js = jsEnabled(info.project.name);
  const customer = await openNewCustomer(page, js, 'invoices', 'Rita', 'Rechnung');
  await expect(page.getByText('Noch keine Rechnungen.')).toBeVisible();

  // A draft with three lines of 0,99 € at 19 %: VAT is taken once from the sum, 0,56 €.
  await page.locator('details.compose summary', { hasText: 'Rechnung hinzufügen' }).click();
  const form = page.locator('form.invoice-form');
  await form.getByLabel('Leistung', { exact: true }).fill('Domain rita.de');
  await form.getByLabel('Menge').fill('3');
  await form.getByLabel('Einzelpreis netto (€)').fill('abc');
  await form.getByRole('button', { name: 'Als Entwurf speichern' }).click();
  await expect(form.getByText('Bitte einen Einzelpreis wie 9,99 angeben')).toBeVisible();
  await form.getByLabel('Einzelpreis netto (€)').fill('0,99');
  await form.getByRole('button', { name: 'Als Entwurf speichern' }).click();
  const draft = page.locator('.invoice-table tbody tr').first();
  await expect(draft).toContainText('Entwurf');
  await expect(draft).toContainText('0,56 €');
  await expect(draft).toContainText('3,53 €');

  // Finalised: a number, the warning, the balance in the sidebar.
  await draft.getByRole('button', { name: 'Festschreiben' }).click();
  const year = new Date().getFullYear();
  const invoice = page.locator(`.invoice-table tbody tr[data-number^="RE-${year}-"]`).first();
  await expect(invoice).toContainText('Offen');
  const number = await invoice.getAttribute('data-number');
  // Archived a few seconds after finalising: the PDF is then a download of exactly those bytes.
  const pdf = invoice.getByRole('link', { name: `PDF der Rechnung ${number} herunterladen` });
  await expect(pdf).toBeVisible({ timeout: 40_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), pdf.click()]);
  expect(download.suggestedFilename()).toBe(`${number}.pdf`);
  expect(readFileSync(await download.path()).subarray(0, 5).toString()).toBe('%PDF-');
  await expect(page.locator('.warnings')).toContainText('Offene Rechnungen: 1, zusammen 3,53 €');
  await expect(page.locator('.sidebar [data-figure="transactions"]')).toHaveText('−3,53 €');

  // A second browser watches the account; the payment booked here appears there without reload.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await login(other, js, `/customers/${customer.id}/transactions`, READER);
  await expect(other.locator('.profile[data-live="on"]')).toBeVisible();
  await expect(other.locator('.ledger-table')).toContainText(number!);

  await page.getByRole('link', { name: /^Transaktionen/ }).click();
  await hydrated(page, js);
  // A half-typed credit stays while the payment beside it is booked and the ledger refreshes.
  await page.locator('details.compose summary', { hasText: 'Gutschrift oder Belastung' }).click();
  await page.locator('form.manual-form').getByLabel('Grund').fill('Halb getippt');
  await page.locator('details.compose summary', { hasText: 'Zahlung buchen' }).click();
  const payment = page.locator('form.payment-form');
  await payment.getByLabel('Betrag').fill('3,53');
  await payment.getByLabel('Referenz (z. B. Bankreferenz)').fill(`SEPA-${customer.id}`);
  await payment.getByRole('button', { name: 'Buchen' }).click();
  await expect(page.locator('.ledger-table')).toContainText(`Zahlung SEPA-${customer.id}`);
  await expect(payment.getByRole('status')).toHaveText('Gespeichert.');
  await expect(payment.getByLabel('Betrag')).toHaveValue('');
  await expect(page.locator('form.manual-form').getByLabel('Grund')).toHaveValue('Halb getippt');
  await expect(other.locator('.ledger-table')).toContainText(`Zahlung SEPA-${customer.id}`);
  await expect(other.locator('.tiles')).toContainText('3,53 €');
  await otherContext.close();

  // Paid; then cancelled by a cancellation invoice with its own number and negative amounts.
  await page.getByRole('link', { name: /^Rechnungen/ }).click();
  await hydrated(page, js);
  const paid = page.locator(`.invoice-table tr[data-number="${number}"]`);
  await expect(paid).toContainText('Bezahlt');
  await expect(page.getByText(/Offene Rechnungen:/)).toHaveCount(0);
  await paid.locator('summary', { hasText: 'Stornieren' }).click();
  await paid.getByLabel('Grund des Stornos').fill('Doppelt berechnet');
  await paid.getByRole('button', { name: 'Stornorechnung erstellen' }).click();
  await expect(paid).toContainText('Storniert');
  const storno = page.locator('.invoice-table tbody tr').filter({ hasText: 'Storno' }).first();
  await expect(storno).toContainText('−3,53 €');
  await expect(page.locator('.sidebar [data-figure="transactions"]')).toHaveText('3,53 €');
});

test('a recurring item is billed now: the invoice in Rechnungen, the charge in Transaktionen, the warning @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await openNewCustomer(page, js, 'billing', 'Anton', 'Abrechnung');
  await expect(page.getByText('Keine wiederkehrenden Positionen.')).toBeVisible();
  await page.locator('details.compose summary', { hasText: 'Wiederkehrende Position hinzufügen' }).click();
  const form = page.locator('form.item-form');
  await form.getByLabel('Bezeichnung').fill('Webhosting M');
  await form.getByLabel('Einzelpreis netto (€)').fill('9,99');
  await form.getByLabel('Alle').fill('0');
  await form.getByRole('button', { name: 'Speichern' }).click();
  await expect(form.getByText('Bitte ein Intervall von 1 bis 120 angeben.')).toBeVisible();
  await form.getByLabel('Alle').fill('1');
  await form.getByLabel('Einheit').selectOption('months');
  await form.getByRole('button', { name: 'Speichern' }).click();
  const item = page.locator('.item-table tr[data-item="Webhosting M"]');
  await expect(item).toContainText('alle 1 Monate');
  await expect(item).toContainText('Aktiv');

  // The form stays open and empty for the next item; what is typed there survives the refresh
  // that billing brings.
  await form.getByLabel('Bezeichnung').fill('Domain halb getippt');
  await item.getByRole('button', { name: 'Ein Intervall jetzt berechnen' }).click();
  await expect(page.locator('.warnings')).toContainText('Offene Rechnungen: 1, zusammen 11,89 €');
  await expect(form.getByLabel('Bezeichnung')).toHaveValue('Domain halb getippt');
  // In English the amount is written the English way.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('.warnings')).toContainText('Unpaid invoices: 1, together €11.89');
  await page.getByRole('button', { name: 'Deutsch' }).click();
  await expect(page.locator('.warnings')).toContainText('Offene Rechnungen: 1, zusammen 11,89 €');

  await page.getByRole('link', { name: /^Rechnungen/ }).click();
  await hydrated(page, js);
  const invoice = page.locator('.invoice-table tbody tr').first();
  await expect(invoice).toContainText('11,89 €');
  await expect(invoice).toContainText('Offen');
  await page.getByRole('link', { name: /^Transaktionen/ }).click();
  await hydrated(page, js);
  await expect(page.locator('.ledger-table')).toContainText('−11,89 €');
  await expect(page.locator('.sidebar [data-figure="transactions"]')).toHaveText('−11,89 €');
});
