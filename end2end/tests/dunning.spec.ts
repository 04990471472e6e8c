import { expect, Page, test } from './fixtures';
import { asCustomer, hydrated, jsEnabled, login } from './helpers';

// The demo has two customers with an invoice 26 days overdue: the 37th was reminded a week
// after the due date and gets the first notice with the scheduler's first round; the 39th has
// dunning off.
const DUNNED = 37;
const OFF = 39;

/** The customer's Rechnungen once the scheduler's round and the archive have run. */
async function invoices(page: Page, js: boolean, id: number) {
  await page.goto(`/customers/${id}/invoices`);
  await hydrated(page, js);
  return page.locator('.invoice-table tbody tr');
}

/** The archived PDF behind a link: a PDF, fetched with the page's session. */
async function expectPdf(page: Page, href: string | null) {
  expect(href).toBeTruthy();
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/pdf');
  expect((await response.body()).subarray(0, 5).toString()).toBe('%PDF-');
}

test('an overdue invoice shows its reminder and first notice with their PDFs, the charges on their own document', async ({ page }, info) => {
  test.setTimeout(60_000);
  const js = jsEnabled(info.project.name);
  await login(page, js);
  let rows = await invoices(page, js, DUNNED);
  const dunned = () => rows.filter({ hasText: 'Zahlungserinnerung' });
  // The notices' PDFs follow the run by a few seconds.
  const notice = () => dunned().getByRole('link', { name: /^1\. Mahnung vom .* \(PDF\)$/ });
  for (let i = 0; i < 40 && !(await notice().isVisible()); i++) {
    await page.waitForTimeout(1_000);
    rows = await invoices(page, js, DUNNED);
  }
  await expect(notice()).toBeVisible();
  await expectPdf(page, await notice().getAttribute('href'));
  await expectPdf(page, await dunned().getByRole('link', { name: /^Zahlungserinnerung vom/ }).getAttribute('href'));
  // The fee and interest are a document of their own, never on the invoice.
  const fee = rows.filter({ hasText: 'Mahngebühren' });
  await expect(fee).toHaveCount(1);
  await expect(fee).toContainText(`MG-${new Date().getFullYear()}-`);

  // The customer sees the notices with their PDFs in the self-service area.
  const tab = await asCustomer(page, DUNNED, js, 'Mahnung zeigen');
  await tab.goto('/portal/invoices');
  await hydrated(tab, js);
  const own = tab.getByRole('link', { name: /^1\. Mahnung vom .* \(PDF\)$/ });
  await expect(own).toBeVisible();
  await expectPdf(tab, await own.getAttribute('href'));
  await tab.close();

  // Dunning off: the warning, and no notice.
  rows = await invoices(page, js, OFF);
  await expect(page.locator('.warnings')).toContainText('Mahnungen deaktiviert');
  await expect(rows.filter({ hasText: 'Zahlungserinnerung' })).toHaveCount(0);
  await expect(rows.filter({ hasText: 'Mahngebühren' })).toHaveCount(0);
});

test('a dunning run by hand sends nothing twice and names the invoice of the customer with dunning off @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/dunning');
  await hydrated(page, js);
  await page.getByRole('button', { name: 'Mahnlauf jetzt starten' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Mahnungen erstellt' }))
    .toContainText('0 Mahnungen erstellt, 0 Gebührenbelege, 1 Rechnungen übersprungen (Mahnungen aus).');
});
