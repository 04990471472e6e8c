import { expect, Page, test } from './fixtures';
import { readFileSync } from 'fs';
import { asCustomer, hydrated, jsEnabled, openNewCustomer } from './helpers';

/** The portal's quotes page once the quote's PDF is archived (a few seconds after sending). */
async function openQuotes(tab: Page, js: boolean, number: string) {
  await tab.goto('/portal/quotes');
  await hydrated(tab, js);
  const link = () => tab.getByRole('link', { name: `PDF des Angebots ${number} herunterladen` });
  for (let i = 0; i < 40 && !(await link().isVisible()); i++) {
    await tab.waitForTimeout(1_000);
    await tab.reload();
    await hydrated(tab, js);
  }
  await expect(link()).toBeVisible();
  return tab.locator('.portal-quotes tbody tr').filter({ hasText: number });
}

test('staff write and send a quote, the customer accepts it, staff finalise the invoice it became @js', async ({ page }, info) => {
  test.setTimeout(90_000);
  const js = jsEnabled(info.project.name);
  const { id } = await openNewCustomer(page, js, 'quotes', 'Anna', 'Angebot');

  await page.locator('details.compose summary', { hasText: 'Neues Angebot' }).click();
  const form = page.locator('form.invoice-form');
  await form.getByLabel('Leistung', { exact: true }).fill('Einrichtung');
  await form.getByLabel('Einzelpreis netto (€)').fill('49,00');
  await form.getByRole('button', { name: 'Position hinzufügen' }).click();
  const second = form.locator('fieldset').nth(1);
  await second.getByLabel('Leistung', { exact: true }).fill('Webhosting M');
  await second.getByLabel('Einzelpreis netto (€)').fill('9,99');
  await second.getByLabel('Berechnung').selectOption('months');
  await expect(second.getByLabel('Alle … (Anzahl)')).toHaveValue('1');
  await form.getByRole('button', { name: 'Entwurf speichern' }).click();
  const draft = page.locator('.quote-table tbody tr').first();
  await expect(draft).toContainText('Entwurf');
  await expect(draft).toContainText('70,20 €');
  await expect(draft).toContainText('wiederkehrend');

  await draft.getByRole('button', { name: 'Senden' }).click();
  const year = new Date().getFullYear();
  const sent = page.locator(`.quote-table tbody tr[data-number^="AN-${year}-"]`).first();
  await expect(sent).toContainText('Gesendet');
  const number = (await sent.getAttribute('data-number'))!;

  // The customer reads the PDF and accepts.
  const tab = await asCustomer(page, id, js);
  const row = await openQuotes(tab, js, number);
  const [pdf] = await Promise.all([
    tab.waitForEvent('download'),
    tab.getByRole('link', { name: `PDF des Angebots ${number} herunterladen` }).click(),
  ]);
  expect(pdf.suggestedFilename()).toBe(`${number}.pdf`);
  expect(readFileSync(await pdf.path()).subarray(0, 5).toString()).toBe('%PDF-');
  await row.getByRole('button', { name: `Annehmen ${number}` }).click();
  await expect(row).toContainText('Angenommen');
  await expect(row.getByRole('button', { name: /Annehmen/ })).toHaveCount(0);

  // Staff see who accepted and the draft invoice; finalised, it bills the quote's total.
  await page.goto(`/customers/${id}/quotes`);
  await hydrated(page, js);
  const accepted = page.locator('.quote-table tbody tr').filter({ hasText: number });
  await expect(accepted).toContainText('Angenommen');
  await expect(accepted).toContainText('vom Kunden');
  await accepted.getByRole('link', { name: '→ Rechnungsentwurf' }).click();
  await hydrated(page, js);
  const invoice = page.locator('.invoice-table tbody tr').first();
  await expect(invoice).toContainText('Entwurf');
  await expect(invoice).toContainText('70,20 €');
  await invoice.getByRole('button', { name: 'Festschreiben' }).click();
  await expect(page.locator(`.invoice-table tbody tr[data-number^="RE-${year}-"]`).first()).toContainText('Offen');
  // The monthly line became a recurring item, its first month billed.
  await page.getByRole('link', { name: /^Abrechnung/ }).click();
  await hydrated(page, js);
  await expect(page.getByText('Webhosting M')).toBeVisible();
});

test('the customer declines a quote in the self-service area, also without JavaScript', async ({ page }, info) => {
  test.setTimeout(90_000);
  const js = jsEnabled(info.project.name);
  const { id } = await openNewCustomer(page, js, 'quotes', 'Dora', 'Absage');
  const headers = { Origin: new URL(page.url()).origin };
  const until = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  const draft = {
    id: null, version: 0, valid_until: until, note: '',
    lines: [{ description: 'Migration', quantity: '1', unit_price: '300', tax_class: 'standard', interval: null, interval_count: 0 }],
  };
  const saved = await page.request.post('/api/save_quote_draft', { headers, data: { id, draft } });
  expect(saved.ok(), await saved.text()).toBeTruthy();
  const sent = await page.request.post('/api/send_quote', { headers, data: { id, quote: Number(await saved.text()) } });
  expect(sent.ok(), await sent.text()).toBeTruthy();
  const number = JSON.parse(await sent.text());

  const tab = await asCustomer(page, id, js);
  const row = await openQuotes(tab, js, number);
  await row.locator('summary', { hasText: 'Ablehnen' }).click();
  await row.getByLabel('Grund (freiwillig)').fill('Zu teuer');
  await row.getByRole('button', { name: 'Angebot ablehnen' }).click();
  if (!js) await expect(tab).toHaveURL(/\/portal\/quotes$/);
  await expect(tab.locator('.portal-quotes tbody tr').filter({ hasText: number })).toContainText('Abgelehnt');

  await page.goto(`/customers/${id}/quotes`);
  await hydrated(page, js);
  const declined = page.locator('.quote-table tbody tr').filter({ hasText: number });
  await expect(declined).toContainText('Abgelehnt');
  await expect(declined).toContainText('Zu teuer');
  await page.goto(`/customers/${id}/log`);
  await hydrated(page, js);
  await expect(page.getByText('Angebot abgelehnt').first()).toBeVisible();
});
