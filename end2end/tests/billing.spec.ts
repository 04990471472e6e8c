import { expect, test } from './fixtures';
import { readFileSync } from 'fs';
import { hydrated, jsEnabled, login, openNewCustomer } from './helpers';

test('the operator keeps seller data, number series and VAT rates in Einstellungen › Rechnungsstellung @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/billing');
  await hydrated(page, js);
  const seller = page.locator('form.seller-form');
  await expect(seller.getByLabel('Firma oder Name')).toHaveValue('Hostwerk Demo GmbH');
  // A wrong check digit is named and nothing is saved; the right IBAN is kept in groups of four.
  await seller.getByLabel('IBAN').fill('DE02 1203 0000 0000 2020 52');
  await seller.getByRole('button', { name: 'Speichern' }).click();
  await expect(seller.getByText('Keine gültige IBAN')).toBeVisible();
  await seller.getByLabel('IBAN').fill('de02120300000000202051');
  await seller.getByRole('button', { name: 'Speichern' }).click();
  await expect(seller.getByLabel('IBAN')).toHaveValue('DE02 1203 0000 0000 2020 51');
  await expect(seller.getByRole('status')).toHaveText('Gespeichert.');

  // The running number is never lowered; an unknown placeholder is named.
  const series = page.locator('form.series-form[data-series="invoice"]');
  const year = new Date().getFullYear();
  await expect(series.locator('.series-preview')).toContainText(`RE-${year}-`);
  const next = await series.getByLabel('Nächste laufende Nummer').inputValue();
  expect(Number(next)).toBeGreaterThan(1);
  await series.getByLabel('Muster').fill('RE-{MM}-{000}');
  await series.getByRole('button', { name: /^Speichern/ }).click();
  await expect(series.getByText('Unbekannter Platzhalter')).toBeVisible();
  await series.getByLabel('Muster').fill('RE-{YYYY}-{00000}');
  await series.getByLabel('Nächste laufende Nummer').fill('1');
  await series.getByRole('button', { name: /^Speichern/ }).click();
  await expect(series.getByText(`die nächste ist ${next}`)).toBeVisible();

  // A future rate is added and deleted again; the rates in force offer no delete.
  await page.locator('details.compose summary', { hasText: 'Neuer Steuersatz' }).click();
  const rate = page.locator('form.rate-form');
  await rate.getByLabel('Land').selectOption('AT');
  await rate.getByLabel('Gültig ab').fill('2099-01-01');
  await rate.getByLabel('Regelsatz (%)').fill('21');
  await rate.getByLabel('Ermäßigter Satz (%)').fill('10,5');
  await rate.getByRole('button', { name: 'Speichern' }).click();
  const row = page.locator('tr[data-rate="AT-2099-01-01"]');
  await expect(row).toContainText('künftig');
  await expect(row).toContainText('10,5 %');
  await expect(page.locator('tr[data-rate^="DE-"]').filter({ hasText: 'gilt' })).toContainText('19 %');
  await row.getByRole('button', { name: /^Löschen/ }).click();
  await expect(row).toHaveCount(0);
});

test('a recurring period goes onto a draft, staff edit and finalise it; payment terms are set @js', async ({ page }, info) => {
  test.setTimeout(60_000);
  const js = jsEnabled(info.project.name);
  await openNewCustomer(page, js, 'billing', 'Dora', 'Entwurf');
  await page.locator('details.compose summary', { hasText: 'Wiederkehrende Position hinzufügen' }).click();
  const form = page.locator('form.item-form');
  await form.getByLabel('Bezeichnung').fill('Webhosting L');
  await form.getByLabel('Einzelpreis netto (€)').fill('19,99');
  await form.getByRole('button', { name: 'Speichern' }).click();
  const item = page.locator('.item-table tr[data-item="Webhosting L"]');
  await item.getByRole('button', { name: 'In Rechnungsentwurf' }).click();

  await page.getByRole('link', { name: /^Rechnungen/ }).click();
  await hydrated(page, js);
  const draft = page.locator('.invoice-table tbody tr').first();
  await expect(draft).toContainText('Entwurf');
  await expect(draft).toContainText('23,79 €');
  // The same period twice is refused.
  await page.getByRole('link', { name: /^Abrechnung/ }).click();
  await hydrated(page, js);
  await item.getByRole('button', { name: 'In Rechnungsentwurf' }).click();
  await expect(item.getByText('Dieser Zeitraum steht schon in einem Rechnungsentwurf.')).toBeVisible();
  await page.getByRole('link', { name: /^Rechnungen/ }).click();
  await hydrated(page, js);
  // A discount on this period: the line keeps its period, the totals follow.
  await draft.getByRole('button', { name: 'Bearbeiten' }).click();
  const edit = draft.locator('form.invoice-form');
  await expect(edit.getByText('Leistungszeitraum (wiederkehrender Posten):')).toBeVisible();
  await edit.getByLabel('Einzelpreis netto (€)').fill('17,99');
  await edit.getByRole('button', { name: 'Als Entwurf speichern' }).click();
  await expect(page.locator('.invoice-table tbody tr').first()).toContainText('21,41 €');
  await page.locator('.invoice-table tbody tr').first().getByRole('button', { name: 'Festschreiben' }).click();
  const year = new Date().getFullYear();
  const finalised = page.locator('.invoice-table tbody tr').first();
  await expect(finalised).toContainText(`RE-${year}-`);
  // Archived a few seconds later; the panels it touches are refreshed before the next form opens.
  await expect(finalised.getByRole('link', { name: /^PDF der Rechnung/ })).toBeVisible({ timeout: 40_000 });

  await page.getByRole('link', { name: /^Transaktionen/ }).click();
  await hydrated(page, js);
  await page.locator('details.compose summary', { hasText: 'Zahlungsarten und Postpaid-Limit' }).click();
  const terms = page.locator('form.terms-form');
  await terms.getByLabel('Überweisung').check();
  await terms.getByLabel('PayPal').check();
  await terms.getByLabel('Postpaid-Limit (€)').fill('-5');
  await terms.getByRole('button', { name: 'Speichern' }).click();
  await expect(terms.getByText('Ein Betrag von 0 bis 1.000.000,00 €.')).toBeVisible();
  await terms.getByLabel('Postpaid-Limit (€)').fill('50');
  await terms.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator('.hint.methods')).toHaveText('Zahlungsarten: Überweisung, PayPal');
  await expect(page.getByText('bis −50,00 € belasten')).toBeVisible();
  // The form stays as saved and its next save goes over the version the first one made.
  await expect(terms.getByRole('status')).toHaveText('Gespeichert.');
  await terms.getByLabel('PayPal').uncheck();
  await terms.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator('.hint.methods')).toHaveText('Zahlungsarten: Überweisung');
});

test('the customer sees invoices and balance in the self-service area, downloads a PDF and the statement', async ({ page }, info) => {
  test.setTimeout(60_000);
  const js = jsEnabled(info.project.name);
  // Demo customer 2 has monthly hosting billed since two months ago.
  await login(page, js, '/customers/2/data');
  await page.getByText('Als Kunde einloggen').click();
  await page.getByLabel('Grund').fill('Rechnungen zeigen');
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('button', { name: 'Kundenbereich öffnen' }).click(),
  ]);
  await tab.waitForLoadState();
  await tab.getByRole('link', { name: 'Rechnungen' }).first().click();
  await expect(tab).toHaveURL(/\/portal\/invoices$/);
  await hydrated(tab, js);
  // Opened directly (server-rendered, then hydrated), the page is there once.
  await tab.reload();
  await hydrated(tab, js);
  const rows = tab.locator('.portal-invoices tbody tr');
  await expect(rows).toHaveCount(3);
  const number = await rows.first().getAttribute('data-number');
  // Archived a few seconds after the server started: then the PDF is there.
  let link = tab.getByRole('link', { name: `PDF der Rechnung ${number} herunterladen` });
  for (let i = 0; i < 10 && !(await link.isVisible()); i++) {
    await tab.waitForTimeout(1_000);
    await tab.reload();
    link = tab.getByRole('link', { name: `PDF der Rechnung ${number} herunterladen` });
  }
  const [pdf] = await Promise.all([tab.waitForEvent('download'), link.click()]);
  expect(pdf.suggestedFilename()).toBe(`${number}.pdf`);
  expect(readFileSync(await pdf.path()).subarray(0, 5).toString()).toBe('%PDF-');

  const [csv] = await Promise.all([tab.waitForEvent('download'), tab.getByRole('button', { name: 'Als CSV' }).click()]);
  const text = readFileSync(await csv.path()).toString();
  expect(text).toContain('Anfangssaldo');
  expect(text).toContain('Endsaldo');
  expect(text).toContain('DEMO-2');
});
