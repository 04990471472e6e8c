import { readFileSync } from 'fs';
import { expect, Page, test } from './fixtures';
import { hydrated, jsEnabled, login, mailWith, newCustomer } from './helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

async function uploadFile(page: Page, name: string, buffer: Buffer, release: boolean) {
  const form = page.locator('form.upload-form');
  if (release) await form.getByLabel('Kunde darf herunterladen').check();
  await form.getByLabel('Dateien auswählen').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
  await form.getByRole('button', { name: 'Hochladen' }).click();
}

test('staff upload two files and release one; the customer downloads it and not the other', async ({ page, browser }, info) => {
  // Uploads, a mail round trip and a second browser: more than the default 30 s on a busy machine.
  test.setTimeout(60_000);
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const customer = await newCustomer(page, 'Fiona', 'Files');
  await page.goto(`/customers/${customer.id}/files`);
  await hydrated(page, js);
  await expect(page.getByText('Für diesen Kunden sind keine Dateien gespeichert.')).toBeVisible();

  await uploadFile(page, 'Freigabe März.pdf', PDF, true);
  await expect(page).toHaveURL(/uploaded=1/);
  await expect(page.getByText('1 Datei(en) hochgeladen.')).toBeVisible();
  await hydrated(page, js);
  await uploadFile(page, 'intern.txt', Buffer.from('Nur für uns.'), false);
  await expect(page).toHaveURL(/uploaded=1/);
  const released = page.locator('tr[data-file="Freigabe März.pdf"]');
  const internal = page.locator('tr[data-file="intern.txt"]');
  await expect(released).toContainText('freigegeben');
  await expect(internal).toContainText('nicht freigegeben');
  await expect(page.locator('.sidebar [data-figure="files"]')).toHaveText('2');

  // A program with a harmless name is refused, and says why.
  await hydrated(page, js);
  await uploadFile(page, 'rechnung.pdf', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0)]), false);
  await expect(page.getByRole('alert')).toContainText('keine erlaubte Dateiart');
  await page.getByRole('link', { name: 'Zurück zu den Dateien' }).click();
  await expect(page.locator('tr[data-file]')).toHaveCount(2);

  // Staff download it as an attachment.
  const [staffDownload] = await Promise.all([page.waitForEvent('download'), released.getByRole('link', { name: 'Freigabe März.pdf' }).click()]);
  expect(staffDownload.suggestedFilename()).toBe('Freigabe März.pdf');
  const internalHref = await internal.getByRole('link', { name: 'intern.txt' }).getAttribute('href');
  const internalId = internalHref!.split('/').pop();

  // The customer, with a password of their own, in a browser of their own.
  const headers = { Origin: new URL(page.url()).origin };
  const reset = await page.request.post('/api/send_password_reset', { headers, data: { id: customer.id } });
  expect(reset.ok(), await reset.text()).toBeTruthy();
  const mail = await mailWith(`To: ${customer.email}`);
  const link = mail.match(/http:\/\/[^\s]+\/portal\/reset\?token=[0-9a-f]+/)![0].replace(/^http:\/\/[^/]+/, '');
  const context = await browser.newContext({ javaScriptEnabled: js });
  const portal = await context.newPage();
  await portal.goto(link);
  await hydrated(portal, js);
  await portal.getByLabel('Neues Passwort', { exact: true }).fill('mein-neues-passwort');
  await portal.getByLabel('Neues Passwort wiederholen').fill('mein-neues-passwort');
  await portal.getByRole('button', { name: 'Passwort speichern' }).click();
  await portal.goto('/portal/login');
  await hydrated(portal, js);
  await portal.getByLabel('E-Mail-Adresse').fill(customer.email);
  await portal.getByLabel('Passwort').fill('mein-neues-passwort');
  await portal.getByRole('button', { name: 'Anmelden' }).click();
  await expect(portal).toHaveURL(/\/portal$/);
  await portal.getByRole('link', { name: 'Dateien' }).first().click();
  await expect(portal).toHaveURL(/\/portal\/files$/);
  await expect(portal.locator('table.portal-files tr[data-file]')).toHaveCount(1);
  const [download] = await Promise.all([
    portal.waitForEvent('download'),
    portal.getByRole('link', { name: 'Freigabe März.pdf' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('Freigabe März.pdf');
  expect(readFileSync((await download.path())!)).toEqual(PDF);
  const refused = await portal.request.get(`/portal/files/${internalId}`);
  expect(refused.status()).toBe(404);
  await context.close();
});

test('staff release a file later, set when it is deleted, and delete another, with or without JavaScript', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const customer = await newCustomer(page, 'Fabian', 'Freigabe');
  await page.goto(`/customers/${customer.id}/files`);
  await hydrated(page, js);
  await uploadFile(page, 'bericht.txt', Buffer.from('Bericht'), false);
  await hydrated(page, js);
  await uploadFile(page, 'alt.txt', Buffer.from('alt'), false);
  await hydrated(page, js);
  const row = page.locator('tr[data-file="bericht.txt"]');
  await row.getByText('Ändern').click();
  await row.getByLabel('Kunde darf herunterladen').check();
  await row.getByLabel('Löschen am').fill('2020-01-01');
  await row.getByRole('button', { name: 'Speichern' }).click();
  if (js) {
    await expect(row.getByText('Das Löschdatum darf nicht in der Vergangenheit liegen.')).toBeVisible();
  } else {
    // Without JavaScript the refusal is a page of its own, and nothing was saved.
    await expect(page.getByRole('alert')).toHaveText('Das Löschdatum darf nicht in der Vergangenheit liegen.');
    await page.getByRole('link', { name: 'Zurück zu den Dateien' }).click();
    await expect(row).toContainText('nicht freigegeben');
    await row.getByText('Ändern').click();
    await row.getByLabel('Kunde darf herunterladen').check();
  }
  await row.getByLabel('Löschen am').fill('2099-12-31');
  await row.getByRole('button', { name: 'Speichern' }).click();
  await expect(row).toContainText('freigegeben');
  await expect(row).not.toContainText('nicht freigegeben');
  await expect(row).toContainText('31.12.2099');
  if (!js) await expect(page.getByRole('status').filter({ hasText: 'Die Datei wurde gespeichert.' })).toBeVisible();
  // The row's actions stay open after a save in place; after a page load they are closed.
  if ((await row.locator('details.row-actions').getAttribute('open')) === null) await row.getByText('Ändern').click();
  await row.getByRole('button', { name: 'Per E-Mail senden bericht.txt' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Die Datei geht per E-Mail an den Kunden.' })).toBeVisible();

  const old = page.locator('tr[data-file="alt.txt"]');
  await old.getByText('Ändern').click();
  await old.locator('.confirm-delete > summary').click();
  await old.getByRole('button', { name: 'Wirklich löschen alt.txt' }).click();
  await expect(page.locator('tr[data-file="alt.txt"]')).toHaveCount(0);
  await expect(page.locator('.sidebar [data-figure="files"]')).toHaveText('1');

  // The release is in the Verlauf.
  await page.goto(`/customers/${customer.id}/history`);
  await expect(page.getByText('Datei bericht.txt · Kunde darf herunterladen').first()).toBeVisible();
  await expect(page.getByText('Datei bericht.txt · Löschen am').first()).toBeVisible();
});
