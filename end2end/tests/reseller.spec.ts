import { expect, test } from './fixtures';
import { hydrated, jsEnabled, login, mailWith } from './helpers';

test('a reseller lists its end customers, also in its self-service area; staff remove one, who is told by mail @js', async ({ page, browser }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const headers = { Origin: new URL(page.url()).origin };
  const stamp = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const base = {
    status: 'active', kind: 'person', salutation: 'none', country: 'DE', language: 'de', currency: 'EUR',
    price_level: 'standard', payment_term_days: '14', taxation: 'normal', orders_allowed: true,
    street: 'Teststraße', house_number: '1', postcode: '10115', city: 'Berlin',
  };
  const create = async (form: Record<string, unknown>) => {
    const res = await page.request.post('/api/create_customer', { headers, data: { form: { ...base, ...form } } });
    expect(res.ok(), await res.text()).toBeTruthy();
    const id = Number(await res.text());
    const profile = await (await page.request.post('/api/get_customer', { headers, data: { id } })).json();
    return { id, number: profile.detail.number as string };
  };
  const reseller = await create({ first_name: 'Rita', last_name: 'Reseller', email: `rita.${stamp}@example.de`, is_reseller: true });
  const endEmail = `emil.${stamp}@example.de`;
  const end = await create({ first_name: 'Emil', last_name: 'Endkunde', email: endEmail, reseller_number: reseller.number });

  // The reseller in its self-service area (a password from a staff-sent link first).
  const resellerEmail = `rita.${stamp}@example.de`;
  const reset = await page.request.post('/api/send_password_reset', { headers, data: { id: reseller.id } });
  expect(reset.ok(), await reset.text()).toBeTruthy();
  const link = (await mailWith(`To: ${resellerEmail}`)).match(/http:\/\/[^\s]+\/portal\/reset\?token=[0-9a-f]+/)![0].replace(/^http:\/\/[^/]+/, '');
  const context = await browser.newContext();
  const portal = await context.newPage();
  await portal.goto(link);
  await hydrated(portal, js);
  await portal.getByLabel('Neues Passwort', { exact: true }).fill('mein-neues-passwort');
  await portal.getByLabel('Neues Passwort wiederholen').fill('mein-neues-passwort');
  await portal.getByRole('button', { name: 'Passwort speichern' }).click();
  await expect(portal.getByRole('status')).toContainText('Ihr neues Passwort ist gesetzt');
  await portal.goto('/portal/login');
  await hydrated(portal, js);
  await portal.getByLabel('E-Mail-Adresse').fill(resellerEmail);
  await portal.getByLabel('Passwort').fill('mein-neues-passwort');
  await portal.getByRole('button', { name: 'Anmelden' }).click();
  await expect(portal).toHaveURL(/\/portal$/);
  await portal.getByRole('link', { name: 'Meine Endkunden' }).first().click();
  await expect(portal.locator(`tr[data-end-customer="${end.number}"]`)).toContainText('Emil Endkunde');
  await context.close();

  // Only a reseller's sidebar lists the area.
  await page.goto(`/customers/${end.id}/data`);
  await hydrated(page, js);
  await expect(page.locator('.sidebar').getByRole('link', { name: /^Reseller/ })).toHaveCount(0);
  await page.goto(`/customers/${reseller.id}/reseller`);
  await hydrated(page, js);
  await expect(page.locator('.sidebar [data-figure="reseller"]')).toHaveText('1');
  const row = page.locator(`tr[data-end-customer="${end.number}"]`);
  await expect(row).toContainText('Emil Endkunde');
  await row.getByRole('button', { name: `Verknüpfung entfernen ${end.number}` }).click();
  await page.getByRole('button', { name: 'Entfernen', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Die Verknüpfung ist entfernt' })).toBeVisible();
  await expect(page.getByText('Dieser Reseller hat noch keine Endkunden.')).toBeVisible();
  const mail = await mailWith(`To: ${endEmail}`);
  expect(mail).toContain('Rita Reseller');
});
