import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from './fixtures';
import { asCustomer, hydrated, jsEnabled, login, newCustomer } from './helpers';

/** An MT940 statement of today with two credits: one naming the customer number `known`, one
 *  nobody can be found for. Unique per run (the statement and entry references carry `tag`). */
function statement(tag: string, known: string): Buffer {
  const d = new Date();
  const day = `${String(d.getFullYear()).slice(2)}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
  return Buffer.from([
    `:20:E2E${tag}`,
    ':25:DE02120300000000202051',
    ':28C:1',
    `:60F:C${day}EUR0,00`,
    `:61:${day}${day.slice(2)}C42,00NTRFNONREF//A${tag}`,
    `:86:166?00GUTSCHRIFT?20SVWZ+Kunde ${known} Danke?32ERIKA BEISPIEL`,
    `:61:${day}${day.slice(2)}C17,37NTRFNONREF//B${tag}`,
    `:86:166?00GUTSCHRIFT?20SVWZ+Beitrag Januar ${tag}?32MAX UNBEKANNT`,
    `:62F:C${day}EUR59,37`,
    '-',
    '',
  ].join('\r\n'));
}

async function accessible(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(bad, what).toEqual([]);
}

test('a statement is previewed, booked, and its unmatched payment assigned by hand', async ({ page }, info) => {
  test.setTimeout(90_000);
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/bank');
  const payer = await newCustomer(page, 'Erika', 'Beispiel');
  const other = await newCustomer(page, 'Max', 'Unbekannt');
  const tag = `${Date.now()}${info.project.name}`;

  // The upload is a plain form: a preview page, with or without JavaScript.
  await page.goto('/settings/bank');
  await hydrated(page, js);
  await page.getByLabel('Kontoauszug', { exact: true }).setInputFiles({ name: `auszug-${tag}.sta`, mimeType: 'text/plain', buffer: statement(tag, payer.number) });
  await page.getByRole('button', { name: 'Vorschau anzeigen' }).click();
  await expect(page).toHaveURL(/\/settings\/bank\/\d+$/);
  await hydrated(page, js);
  await expect(page.locator('[data-import-state]')).toHaveText('Vorschau');
  const rows = page.locator('.bank-lines tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(payer.number);
  await expect(rows.nth(0)).toContainText('über die Kundennummer');
  await expect(rows.nth(1)).toContainText('Beitrag Januar');
  await expect(page.locator('.summary')).toContainText('1 Zahlungen zuordnen, 1 zu den offenen Zahlungen');
  // Booking and assigning are buttons of the app: without JavaScript the preview is where it ends.
  if (!js) return;
  await accessible(page, 'the preview');
  await page.getByRole('button', { name: 'Buchen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Gebucht:' })).toContainText('Gebucht: 1 Zahlungen, 1 zu den offenen Zahlungen');
  await expect(page.locator('[data-import-state]')).toHaveText('Gebucht');
  await expect(page.getByRole('button', { name: 'Buchen' })).toHaveCount(0);

  // The open payment, assigned to the other customer.
  await page.goto('/settings/bank');
  await hydrated(page, js);
  const open = page.locator('.open-payments tbody tr').filter({ hasText: `Beitrag Januar ${tag}` });
  await expect(open).toHaveCount(1);
  await open.getByText('Bearbeiten').click();
  await accessible(page, 'the open payments');
  await open.getByLabel('Kundennummer').fill('K-00000');
  await open.getByRole('button', { name: /^Zuordnen und buchen/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Kein Kunde' })).toContainText('Kein Kunde mit der Nummer K-00000');
  await open.getByLabel('Kundennummer').fill(other.number);
  await open.getByRole('button', { name: /^Zuordnen und buchen/ }).click();
  await expect(page.getByText('Die Zahlung ist gebucht.')).toBeVisible();
  await expect(page.locator('.open-payments tbody tr').filter({ hasText: `Beitrag Januar ${tag}` })).toHaveCount(0);

  // Both payments are on their customers' accounts.
  for (const [c, amount] of [[payer, '42,00 €'], [other, '17,37 €']] as const) {
    await page.goto(`/customers/${c.id}/transactions`);
    await hydrated(page, js);
    await expect(page.locator('main')).toContainText(amount);
    await expect(page.locator('main')).toContainText('Überweisung');
  }
});

test('a mandate is pre-notified on the invoice, collected in a pain.008 file and shown masked to the customer', async ({ page }, info) => {
  test.setTimeout(90_000);
  const js = jsEnabled(info.project.name);
  await login(page, js, '/customers');
  const customer = await newCustomer(page, 'Jörg', 'Lastschrift');
  await page.goto(`/customers/${customer.id}/transactions`);
  await hydrated(page, js);
  await expect(page.getByText('SEPA-Lastschriftmandat')).toBeVisible();
  // Adding and collecting are the app's forms.
  if (!js) return;
  const reference = `M-${Date.now()}`;
  await page.getByText('SEPA-Lastschriftmandat').click();
  await page.getByLabel('Mandatsreferenz').fill(reference);
  await page.getByLabel('Unterschrieben am').fill(new Date().toISOString().slice(0, 10));
  await page.getByLabel('Kontoinhaber').fill('Jörg Lastschrift');
  await page.getByLabel('IBAN').fill('DE12 5001 0517 0648 4898 91');
  await page.getByRole('button', { name: 'Mandat speichern' }).click();
  await expect(page.getByText('Keine gültige IBAN.')).toBeVisible();
  await page.getByLabel('IBAN').fill('DE12 5001 0517 0648 4898 90');
  await page.getByRole('button', { name: 'Mandat speichern' }).click();
  await expect(page.getByText('Das Mandat ist gespeichert.')).toBeVisible();
  const row = page.locator(`.mandate-table tr[data-mandate="${reference}"]`);
  await expect(row).toContainText('DE12 5001 0517 0648 4898 90');
  await expect(row).toContainText('Erstlastschrift');

  // An invoice of 11,90 €, due in 14 days.
  const headers = { Origin: new URL(page.url()).origin };
  const lines = [{ description: 'Webhosting S', quantity: '1', unit_price: '10', tax_class: 'standard' }];
  const saved = await page.request.post('/api/save_invoice_draft', { headers, data: { id: customer.id, draft: { id: null, version: 0, lines, note: '' } } });
  expect(saved.ok(), await saved.text()).toBeTruthy();
  const final = await page.request.post('/api/finalise_invoice', { headers, data: { id: customer.id, invoice: Number(await saved.text()) } });
  expect(final.ok(), await final.text()).toBeTruthy();
  const number = JSON.parse(await final.text());

  // The direct debits due in 20 days: a pain.008 file naming the mandate and the invoice.
  await page.goto('/settings/bank');
  await hydrated(page, js);
  const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Einzugstag').fill(day);
  await page.getByRole('button', { name: 'Lastschriftdatei erstellen' }).click();
  const made = page.getByRole('status').filter({ hasText: 'Lastschriften über' });
  await expect(made).toBeVisible();
  const file = await page.request.get((await made.getByRole('link', { name: 'Datei herunterladen' }).getAttribute('href'))!);
  expect(file.status()).toBe(200);
  const xml = await file.text();
  expect(xml).toContain('pain.008.001.08');
  expect(xml).toContain(`<MndtId>${reference}</MndtId>`);
  expect(xml).toContain(`<EndToEndId>E2E-${number}</EndToEndId>`);
  expect(xml).toContain('<Nm>Joerg Lastschrift</Nm>');

  // Staff see the debit under way on the invoice.
  const when = `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;
  await page.goto(`/customers/${customer.id}/invoices`);
  await hydrated(page, js);
  await expect(page.locator(`.invoice-table tr[data-number="${number}"]`)).toContainText(`Lastschrift zum ${when}`);

  // The customer sees the mandate with the account masked, and the debit to come.
  const tab = await asCustomer(page, customer.id, js, 'Mandat zeigen');
  await tab.goto('/portal/invoices');
  await hydrated(tab, js);
  await expect(tab.locator(`[data-mandate="${reference}"]`)).toContainText('DE12 **** **** 9890');
  await expect(tab.locator('tr').filter({ hasText: number })).toContainText(`Lastschrift zum ${when}`);
  await tab.close();
});
