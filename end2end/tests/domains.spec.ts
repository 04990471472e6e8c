import { expect, test } from '@playwright/test';
import { hydrated, jsEnabled, login, newCustomer } from './helpers';

test('an ending is entered in the TLD price list with its prices; a wrong amount is named @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/domains');
  await hydrated(page, js);
  await page.getByText('Neue Endung').click();
  const form = page.locator('form.tld-form').first();
  await form.getByLabel('Endung (z. B. de, co.uk)').fill('.AT');
  await form.getByLabel('Registrieren, 1 J.').fill('0,99');
  await form.getByLabel('Verlängern, 1 J.').fill('neun');
  await form.getByRole('button', { name: 'Speichern' }).click();
  await expect(form.getByText('Bitte einen Betrag wie 9,99 angeben (höchstens 100.000,00).')).toBeVisible();
  await expect(page.locator('article[data-tld="at"]')).toHaveCount(0);
  await form.getByLabel('Verlängern, 1 J.').fill('9,99');
  await form.getByRole('button', { name: 'Speichern' }).click();
  const card = page.locator('article[data-tld="at"]');
  await expect(card).toContainText('.at');
  await expect(card).toContainText('Registrieren 0,99 € · Transfer – · Verlängern 9,99 €');

  // The same ending twice is refused; a private suffix is no ending.
  // (`de` comes with the demo data.)
  await form.getByLabel('Endung (z. B. de, co.uk)').fill('DE');
  await form.getByRole('button', { name: 'Speichern' }).click();
  await expect(form.getByText('Diese Endung steht schon in der Liste.')).toBeVisible();
  await form.getByLabel('Endung (z. B. de, co.uk)').fill('blogspot.com');
  await form.getByRole('button', { name: 'Speichern' }).click();
  await expect(form.getByText('Das ist keine öffentliche Domain-Endung (laut Public Suffix List).')).toBeVisible();
});

test('a domain ordered in capitals with an umlaut shows in Unicode and cannot be ordered twice @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const headers = { Origin: new URL(page.url()).origin };
  // The ending is sold (it may be there from an earlier test of this run).
  await page.request.post('/api/save_tld', {
    headers,
    data: { tld: { id: null, version: 0, tld: 'net', grace_days: 30, redemption_days: 30, authcode_required: true, terms: true, active: true, prices: [] } },
  });
  const customer = await newCustomer(page, 'Doris', 'Domain');
  await page.goto(`/customers/${customer.id}/domains`);
  await hydrated(page, js);
  await expect(page.getByText('Der Kunde hat noch keine Domains.')).toBeVisible();
  await page.getByText('Domain bestellen').click();
  await page.getByLabel('Domain', { exact: true }).fill('www.müller.net');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByText('Bitte nur den Namen direkt unter der Endung angeben (kunde.de, nicht www.kunde.de).')).toBeVisible();
  await page.getByLabel('Domain', { exact: true }).fill('MÜLLER.net');
  await page.getByRole('button', { name: 'Speichern' }).click();
  const row = page.locator('tr[data-domain="xn--mller-kva.net"]');
  await expect(row).toContainText('müller.net');
  await expect(row).toContainText('bestellt');
  await expect(page.locator('.sidebar [data-figure="domains"]')).toHaveText('1');
  // The same name as its A-label is the same domain.
  await page.getByLabel('Domain', { exact: true }).fill('xn--mller-kva.net');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByText('Diese Domain ist schon bestellt.')).toBeVisible();

  // Paid until and auto-renew are the domain's own: changed in its row, in the Verlauf.
  await row.getByText('Ändern').click();
  await row.getByLabel('Automatisch verlängern').uncheck();
  await row.getByLabel('Bezahlt bis').fill('2027-12-31');
  await row.getByRole('button', { name: 'Speichern' }).click();
  await expect(row).toContainText('31.12.2027');
  await expect(row.locator('td').nth(4)).toHaveText('nein');

  // A transfer of an ending that asks for it needs the auth code of the current provider.
  await page.getByLabel('Domain', { exact: true }).fill('umzug-e2e.net');
  await page.getByLabel('Art').selectOption({ label: 'Von einem anderen Anbieter übernehmen' });
  await page.locator('form.domain-form').getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByText('Für einen Transfer dieser Endung bitte den Auth-Code angeben.')).toBeVisible();
  await page.getByLabel('Auth-Code vom bisherigen Anbieter').fill('Ab3-geheim');
  await page.locator('form.domain-form').getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator('tr[data-domain="umzug-e2e.net"]')).toContainText('Von einem anderen Anbieter übernehmen');

  await page.goto(`/customers/${customer.id}/history`);
  await expect(page.getByText('Domain müller.net · Bezahlt bis').first()).toBeVisible();
  await expect(page.getByText('Domain müller.net · Automatisch verlängern').first()).toBeVisible();
});
