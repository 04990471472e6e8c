import { expect, Page, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { hydrated, jsEnabled, login } from './helpers';

/** The newest mail the server wrote into its data folder (no SMTP in tests). */
async function newestMail(): Promise<string> {
  const dir = join(process.env.E2E_DATA_DIR!, 'mail');
  let text = '';
  await expect
    .poll(() => {
      const files = (() => {
        try { return readdirSync(dir); } catch { return []; }
      })().filter((f) => f.endsWith('.eml')).sort((a, b) => parseInt(b) - parseInt(a));
      text = files.length ? readFileSync(join(dir, files[0]), 'utf8') : '';
      return text;
    }, { timeout: 15_000 })
    .toContain('/portal/reset?token=');
  return text;
}

async function sendReset(page: Page, js: boolean, customerId: number): Promise<string> {
  await login(page, js, `/customers/${customerId}/data`);
  await page.getByRole('button', { name: 'Neues Passwort zusenden' }).click();
  await page.getByRole('button', { name: 'Link senden' }).click();
  const status = page.locator('.action-result');
  await expect(status).toContainText('Link an ');
  return (await status.textContent())!.replace('Link an ', '').replace(' gesendet.', '').trim();
}

test('staff send a new password; the customer sets it from the mail and logs in @js', async ({ page, browser }, info) => {
  const js = jsEnabled(info.project.name);
  const email = await sendReset(page, js, 7);
  const mail = await newestMail();
  expect(mail).toContain(`To: ${email}`);
  const link = mail.match(/http:\/\/[^\s]+\/portal\/reset\?token=[0-9a-f]+/)![0];

  // The customer, in a browser of their own.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const customer = await context.newPage();
  await customer.goto(link.replace(/^http:\/\/[^/]+/, ''));
  await customer.getByLabel('Neues Passwort', { exact: true }).fill('mein-neues-passwort');
  await customer.getByLabel('Neues Passwort wiederholen').fill('mein-neues-passwort');
  await customer.getByRole('button', { name: 'Passwort speichern' }).click();
  await expect(customer.getByRole('status')).toContainText('Ihr neues Passwort ist gesetzt');

  // The link worked once.
  await customer.goto(link.replace(/^http:\/\/[^/]+/, ''));
  await customer.getByLabel('Neues Passwort', { exact: true }).fill('noch-ein-passwort');
  await customer.getByLabel('Neues Passwort wiederholen').fill('noch-ein-passwort');
  await customer.getByRole('button', { name: 'Passwort speichern' }).click();
  await expect(customer.getByRole('alert')).toContainText('schon benutzt');

  await customer.goto('/portal/login');
  await customer.getByLabel('E-Mail-Adresse').fill(email);
  await customer.getByLabel('Passwort').fill('mein-neues-passwort');
  await customer.getByRole('button', { name: 'Anmelden' }).click();
  await expect(customer).toHaveURL(/\/portal$/);
  await expect(customer.getByRole('heading', { level: 1 })).toContainText('Willkommen');
  await expect(customer.locator('.customer-number')).toHaveText('K-10007');
  await context.close();

  // Staff see the mail and the events.
  await page.goto('/customers/7/emails');
  await hydrated(page, js);
  await expect(page.locator('details.mail').first()).toContainText('gesendet');
  await page.goto('/customers/7/log');
  await hydrated(page, js);
  await expect(page.locator('tr[data-event="login"]')).toBeVisible();
  await expect(page.locator('tr[data-event="password_reset_sent"]')).toContainText('Demo Mitarbeiter');
});

test('the portal login refuses wrong passwords and the portal needs a login', async ({ page }) => {
  const res = await page.goto('/portal/data');
  expect(res?.url()).toContain('/portal/login');
  await page.getByLabel('E-Mail-Adresse').fill('niemand@example.com');
  await page.getByLabel('Passwort').fill('falsch-falsch-falsch');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByRole('link', { name: 'Passwort vergessen?' }).click();
  await page.getByLabel('E-Mail-Adresse').fill('niemand@example.com');
  await page.getByRole('button', { name: 'Link anfordern' }).click();
  await expect(page.getByRole('status')).toContainText('Wenn es ein Konto zu dieser Adresse gibt');
});
