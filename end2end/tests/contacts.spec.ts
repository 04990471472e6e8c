import { expect, test } from './fixtures';
import { readFileSync } from 'fs';
import { hydrated, jsEnabled, login, mailWith, openNewCustomer } from './helpers';

test('a contact gets its kinds of mail in CC and logs in to the portal with its own rights @js', async ({ page, browser }, info) => {
  const js = jsEnabled(info.project.name);
  const email = `clara.${Date.now()}@kontakt.test`;
  const { id } = await openNewCustomer(page, js, 'contacts', 'Konrad', 'Kontakte');
  await page.getByText('Neuer Kontakt').click();
  const form = page.locator('form.contact-form').first();
  await form.getByLabel('Vorname').fill('Clara');
  await form.getByLabel('Nachname').fill('Copy');
  await form.getByLabel('E-Mail', { exact: true }).fill('clara@');
  await form.getByRole('button', { name: 'Speichern' }).click();
  await expect(form.getByRole('alert')).toContainText('gültige E-Mail');
  await expect(page.getByText('Noch keine Kontaktpersonen.')).toBeVisible();

  await form.getByLabel('E-Mail', { exact: true }).fill(email);
  await form.getByLabel('Funktion').fill('Buchhaltung');
  await form.getByRole('group', { name: 'In Kopie (CC)' }).getByLabel('Rechnungen').check();
  await form.getByLabel('Eigener Zugang zum Kundenbereich').check();
  await form.getByRole('group', { name: 'Rechte im Kundenbereich' }).getByLabel('Tickets').check();
  await form.getByRole('button', { name: 'Speichern' }).click();
  const card = page.locator(`article[data-contact="${email}"]`);
  await expect(card).toContainText('Clara Copy');
  await expect(card).toContainText('Kundenbereich: eingeladen');
  await expect(card.locator('.contact-cc')).toHaveText('Rechnungen');

  // An invoice mail goes to the contact in CC; the preview says so first.
  await page.getByRole('link', { name: 'E-Mails' }).click();
  await page.getByText('Neue E-Mail').click();
  await page.getByLabel('Art').selectOption({ label: 'Rechnung' });
  await page.getByLabel('Betreff').fill('Ihre Rechnung {number}');
  await page.getByLabel('Text', { exact: true }).fill('Guten Tag {name}, anbei Ihre Rechnung.');
  await page.getByRole('button', { name: 'Vorschau' }).click();
  await expect(page.locator('.preview-cc')).toContainText(email);
  await page.getByRole('button', { name: 'Senden' }).click();
  // Found by the contact's own address: invoices of other tests send mails with the same subject.
  const sent = await mailWith(`Cc: ${email}`);
  expect(sent).toMatch(new RegExp(`^Cc: ${email.replace(/[.]/g, '\\.')}`, 'm'));

  // The invitation: the contact sets a password and sees only what its rights allow.
  const invite = await mailWith(`To: ${email}\r\n`);
  const link = invite.match(/\/portal\/reset\?token=[0-9a-f]+/)![0];
  const contactContext = await browser.newContext();
  const contact = await contactContext.newPage();
  await contact.goto(link);
  await contact.getByLabel('Neues Passwort', { exact: true }).fill('clara-passwort-1');
  await contact.getByLabel('Neues Passwort wiederholen').fill('clara-passwort-1');
  await contact.getByRole('button', { name: 'Passwort speichern' }).click();
  await expect(contact.getByRole('status')).toContainText('Ihr neues Passwort ist gesetzt');
  await contact.getByLabel('E-Mail-Adresse').fill(email);
  await contact.getByLabel('Passwort').fill('clara-passwort-1');
  await contact.getByRole('button', { name: 'Anmelden' }).click();
  await expect(contact.getByRole('heading', { level: 1 })).toContainText('Clara Copy');
  await expect(contact.locator('.portal-rights')).toContainText('Tickets');
  await expect(contact.getByRole('link', { name: 'Meine Daten' })).toHaveCount(0);
  await contactContext.close();

  // Staff see the contact in the Verlauf.
  await page.goto(`/customers/${id}/history`);
  await hydrated(page, js);
  await expect(page.getByText('Kontakt Clara Copy · E-Mail').first()).toBeVisible();
});

test('a change saved on one server process shows on another sharing PostgreSQL @js', async ({ browser }, info) => {
  const js = jsEnabled(info.project.name);
  const a = await browser.newContext({ baseURL: process.env.E2E_PG_A });
  const b = await browser.newContext({ baseURL: process.env.E2E_PG_B });
  const pageA = await a.newPage();
  const pageB = await b.newPage();
  await login(pageB, js, '/customers/11/data');
  await expect(pageB.locator('.profile[data-live="on"]')).toBeVisible();
  await login(pageA, js, '/customers/11/data');
  await expect(pageA.locator('.profile[data-live="on"]')).toBeVisible();

  const company = `Zwei Prozesse GmbH ${Date.now()}`;
  await pageA.getByLabel('Firma', { exact: true }).fill(company);
  await pageA.getByRole('button', { name: 'Speichern' }).click();
  await expect(pageA.getByRole('status').filter({ hasText: 'Gespeichert.' })).toBeVisible();
  await expect(pageB.locator('.profile-header')).toContainText(company);
  await a.close();
  await b.close();
});

test('vCard herunterladen gives the customer as a vCard 4.0 file', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/customers/24/data');
  const number = (await page.locator('.profile-header .customer-number').textContent())!.trim();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'vCard herunterladen' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${number}.vcf`);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text).toContain('BEGIN:VCARD\r\nVERSION:4.0\r\n');
  expect(text).toContain(`Kundennr. ${number}`);
});

test('Datenauskunft downloads everything stored about the customer as JSON and is logged', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/customers/25/data');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('li.data-report').getByRole('button', { name: 'JSON', exact: true }).click(),
  ]);
  const report = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(download.suggestedFilename()).toBe(`Datenauskunft-${report.customer_number}.json`);
  const tables = report.sections.map((s: { table: string }) => s.table);
  expect(tables).toEqual(expect.arrayContaining(['customers', 'contacts', 'notes', 'changes', 'events', 'mail_outbox']));
  await page.goto('/customers/25/log');
  await hydrated(page, js);
  await expect(page.getByText('Datenauskunft erstellt').first()).toBeVisible();
});

test('staff merge a duplicate, choosing a field; its old number and URL lead to the kept customer @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/customers/34/data');
  const oldNumber = (await page.locator('.profile-header .customer-number').textContent())!.trim();
  const duplicateCity = await page.getByLabel('Ort', { exact: true }).inputValue();
  await page.goto('/customers/33/data');
  await hydrated(page, js);
  await page.getByRole('link', { name: 'Kunden zusammenführen' }).click();
  await expect(page.getByRole('heading', { name: 'Kunden zusammenführen' })).toBeVisible();
  await page.getByLabel('Kundennummer der Dublette').fill(oldNumber);
  await page.getByRole('button', { name: 'Vorschau' }).click();
  const cityRow = page.locator('table.merge-fields tr[data-field="city"]');
  await cityRow.getByLabel(duplicateCity).check();
  await page.getByRole('button', { name: 'Zusammenführen', exact: true }).click();
  await page.getByRole('button', { name: 'Jetzt zusammenführen' }).click();
  await expect(page.getByText('Zusammengeführt.')).toBeVisible();

  await page.goto('/customers/34/data');
  await expect(page).toHaveURL(/\/customers\/33\/data$/);
  await hydrated(page, js);
  await expect(page.getByLabel('Ort', { exact: true })).toHaveValue(duplicateCity);
  await page.goto(`/customers?q=${encodeURIComponent(oldNumber)}`);
  await expect(page.locator('table a[href="/customers/33/data"]').first()).toBeVisible();
});
