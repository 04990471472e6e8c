import { expect, Page, test } from './fixtures';
import { Customer, hydrated, jsEnabled, login, mailWith, openNewCustomer, totp } from './helpers';

/** The newest mail to `email` (tests run in parallel: never just the newest of all). */
const newestMail = (email: string) => mailWith(`To: ${email}`);

/** A customer of the test's own who gets a set-password link from staff. */
async function sendReset(page: Page, js: boolean, first: string, last: string): Promise<Customer> {
  const customer = await openNewCustomer(page, js, 'data', first, last);
  await page.getByRole('button', { name: 'Neues Passwort zusenden' }).click();
  await page.getByRole('button', { name: 'Link senden' }).click();
  const status = page.locator('.action-result');
  await expect(status).toContainText(`Link an ${customer.email} gesendet.`);
  return customer;
}

function linkIn(mail: string): string {
  return mail.match(/http:\/\/[^\s]+\/portal\/reset\?token=[0-9a-f]+/)![0].replace(/^http:\/\/[^/]+/, '');
}

test('staff send a new password; the customer sets it from the mail and logs in @js', async ({ page, browser }, info) => {
  const js = jsEnabled(info.project.name);
  const { id, number, email } = await sendReset(page, js, 'Paula', 'Portal');
  const mail = await newestMail(email);
  expect(mail).toContain(`To: ${email}`);
  const link = linkIn(mail);

  // The customer, in a browser of their own.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const customer = await context.newPage();
  await customer.goto(link);
  await customer.getByLabel('Neues Passwort', { exact: true }).fill('mein-neues-passwort');
  await customer.getByLabel('Neues Passwort wiederholen').fill('mein-neues-passwort');
  await customer.getByRole('button', { name: 'Passwort speichern' }).click();
  await expect(customer.getByRole('status')).toContainText('Ihr neues Passwort ist gesetzt');

  // The link worked once.
  await customer.goto(link);
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
  await expect(customer.locator('.customer-number')).toHaveText(number);
  await context.close();

  // Staff see the mail and the events.
  await page.goto(`/customers/${id}/emails`);
  await hydrated(page, js);
  await expect(page.locator('details.mail').first()).toContainText('gesendet');
  await page.goto(`/customers/${id}/log`);
  await hydrated(page, js);
  // Newest first: the customer's login of a moment ago.
  await expect(page.locator('tr[data-event="login"]').first()).toContainText('127.0.0.1');
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

test('ending a customer session forces a new login @js', async ({ page, browser }, info) => {
  const js = jsEnabled(info.project.name);
  const { id, email } = await sendReset(page, js, 'Sina', 'Sitzung');
  const link = linkIn(await newestMail(email));
  const context = await browser.newContext();
  const customer = await context.newPage();
  await customer.goto(link);
  await customer.getByLabel('Neues Passwort', { exact: true }).fill('kunde-elf-passwort');
  await customer.getByLabel('Neues Passwort wiederholen').fill('kunde-elf-passwort');
  await customer.getByRole('button', { name: 'Passwort speichern' }).click();
  await customer.getByLabel('E-Mail-Adresse').fill(email);
  await customer.getByLabel('Passwort').fill('kunde-elf-passwort');
  await customer.getByRole('button', { name: 'Anmelden' }).click();
  await expect(customer).toHaveURL(/\/portal$/);

  await page.goto(`/customers/${id}/sessions`);
  await hydrated(page, js);
  await expect(page.locator('.session-row')).toHaveCount(1);
  await page.getByRole('button', { name: 'Alle Sitzungen beenden' }).click();
  await expect(page.getByRole('status').first()).toContainText('1 Sitzungen beendet');
  await customer.reload();
  await expect(customer).toHaveURL(/\/portal\/login/);
  await context.close();
});

test('staff log in as the customer in a new tab, with a banner and a way back', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  const { id, number } = await openNewCustomer(page, js, 'data', 'Ina', 'Impersonation');
  await page.getByText('Als Kunde einloggen').click();
  await page.getByLabel('Grund').fill('Kunde findet seine Daten nicht');
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('button', { name: 'Kundenbereich öffnen' }).click(),
  ]);
  await tab.waitForLoadState();
  await expect(tab).toHaveURL(/\/portal$/);
  await expect(tab.locator('.banner.impersonation')).toContainText('durch Demo Mitarbeiter');
  await expect(tab.locator('.customer-number')).toHaveText(number);
  await tab.getByRole('button', { name: 'Zurück zu clientdesk' }).click();
  await expect(tab).toHaveURL(new RegExp(`/customers/${id}/data$`));
  await tab.goto(`/customers/${id}/log`);
  await expect(tab.locator('tr[data-event="impersonation_started"]').first()).toContainText('Demo Mitarbeiter');
  await expect(tab.locator('tr[data-event="impersonation_ended"]').first()).toBeVisible();
});

test('staff write a mail with a preview and resend it @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  const { number } = await openNewCustomer(page, js, 'emails', 'Mara', 'Mail');
  await page.getByText('Neue E-Mail').click();
  await page.getByRole('button', { name: 'Vorschau' }).click();
  await expect(page.getByText('Betreff und Text dürfen nicht leer sein.')).toBeVisible();
  await page.getByLabel('Betreff').fill('Ihre Nummer {number}');
  await page.getByLabel('Text').fill('Hallo {name},\nwir melden uns.');
  await page.getByRole('button', { name: 'Vorschau' }).click();
  const preview = page.locator('.mail-preview');
  await expect(preview).toContainText(`Ihre Nummer ${number}`);
  await expect(preview).not.toContainText('{name}');
  await preview.getByRole('button', { name: 'Senden' }).click();
  await expect(page.getByText('Die E-Mail ist in der Warteschlange.')).toBeVisible();
  const first = page.locator('details.mail').first();
  await expect(first).toContainText(`Ihre Nummer ${number}`);
  await first.locator('summary').click();
  await first.getByRole('button', { name: 'Erneut senden' }).click();
  await expect(page.locator('details.mail', { hasText: `Ihre Nummer ${number}` })).toHaveCount(2);
  await page.reload();
  await hydrated(page, js);
  await expect(page.locator('details.mail', { hasText: `Ihre Nummer ${number}` }).first()).toContainText('gesendet');
});

test('a customer turns on two-factor login in the portal and then needs a code @js', async ({ page, browser }, info) => {
  const js = jsEnabled(info.project.name);
  const { email } = await sendReset(page, js, 'Zoe', 'Zweifaktor');
  const link = linkIn(await newestMail(email));
  const context = await browser.newContext();
  const customer = await context.newPage();
  await customer.goto(link);
  await customer.getByLabel('Neues Passwort', { exact: true }).fill('kunde-13-passwort');
  await customer.getByLabel('Neues Passwort wiederholen').fill('kunde-13-passwort');
  await customer.getByRole('button', { name: 'Passwort speichern' }).click();
  await customer.getByLabel('E-Mail-Adresse').fill(email);
  await customer.getByLabel('Passwort').fill('kunde-13-passwort');
  await customer.getByRole('button', { name: 'Anmelden' }).click();
  await customer.getByRole('navigation').getByRole('link', { name: 'Sicherheit' }).click();
  await hydrated(customer, js);
  await customer.getByLabel('Aktuelles Passwort').last().fill('kunde-13-passwort');
  await customer.getByRole('button', { name: 'Einrichten' }).click();
  const secret = (await customer.locator('[data-secret]').getAttribute('data-secret'))!;
  const enrolled = Math.floor(Date.now() / 1000);
  await customer.getByLabel('Code').fill(totp(secret, enrolled));
  await customer.getByRole('button', { name: 'Bestätigen' }).click();
  await expect(customer.locator('.recovery-codes li')).toHaveCount(10);
  await customer.getByRole('button', { name: 'Abmelden' }).click();

  await customer.getByLabel('E-Mail-Adresse').fill(email);
  await customer.getByLabel('Passwort').fill('kunde-13-passwort');
  await customer.getByRole('button', { name: 'Anmelden' }).click();
  await expect(customer).toHaveURL(/\/portal\/login\/2fa/);
  await customer.getByLabel('Code').fill(totp(secret, enrolled + 30));
  await customer.getByRole('button', { name: 'Bestätigen' }).click();
  await expect(customer).toHaveURL(/\/portal$/);
  await context.close();
});
