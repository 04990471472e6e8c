import { expect, test } from './fixtures';
import { hydrated, jsEnabled, login, READER, totp } from './helpers';

test('a read-only member sees data but no way to change it, and no staff pages', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/customers', READER);
  const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
  await expect(nav.getByRole('link', { name: 'Kunden' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Neuer Kunde' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Mitarbeiter' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Einstellungen' })).toHaveCount(0);

  await page.goto('/customers/1/data');
  await hydrated(page, js);
  await expect(page.getByText('Nur lesen: Ihre Rolle erlaubt hier keine Änderungen.')).toBeVisible();
  await expect(page.getByLabel('Nachname')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Speichern' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'API-Schlüssel neu erzeugen' })).toHaveCount(0);

  const res = await page.goto('/settings/staff');
  expect(res?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Keine Berechtigung' })).toBeVisible();  const home = await page.goto('/settings');
  expect(home?.status()).toBe(403);
});

test('the settings have one home with their own sidebar', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/customers');
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Einstellungen' }).click();
  await expect(page).toHaveURL(/\/settings\/custom-fields$/);
  const sections = page.getByRole('navigation', { name: 'Einstellungen' });
  await expect(sections.getByRole('link')).toHaveText(['Zusatzfelder', 'Produkte', 'Server und Pakete', 'Domain-Endungen', 'Registrare', 'Rechnungsstellung', 'Mahnwesen', 'Bankimport', 'Texte der Datenauskunft', 'Mitarbeiter', 'Rollen', 'Audit-Log']);
  await expect(sections.getByRole('link', { name: 'Zusatzfelder' })).toHaveAttribute('aria-current', 'page');
  await sections.getByRole('link', { name: 'Rollen' }).click();
  await expect(page).toHaveURL(/\/settings\/roles$/);
  await expect(page.getByRole('navigation', { name: 'Einstellungen' }).getByRole('link', { name: 'Rollen' })).toHaveAttribute('aria-current', 'page');
});

test('an administrator adds a member, who logs in; deactivating them logs them out @js', async ({ page, browser }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/staff');
  await expect(page.getByRole('heading', { name: 'Mitarbeiter', level: 1 })).toBeVisible();
  const email = `neu-${Date.now()}@clientdesk.test`;
  await page.getByLabel('Name', { exact: true }).fill('Nora Neu');
  await page.getByLabel('E-Mail', { exact: true }).fill(email);
  await page.getByLabel('Erstes Passwort').fill('kurz');
  await page.getByRole('button', { name: 'Hinzufügen' }).click();
  await expect(page.getByText('Das Passwort braucht mindestens 12 Zeichen.')).toBeVisible();
  await page.getByLabel('Erstes Passwort').fill('ein-gutes-passwort');
  await page.getByRole('combobox', { name: 'Rolle', exact: true }).selectOption({ label: 'Support' });
  await page.getByRole('button', { name: 'Hinzufügen' }).click();
  const row = page.locator(`tr[data-staff="${email}"]`);
  await expect(row).toContainText('Nora Neu');

  // Nora logs in in her own browser.
  const other = await browser.newContext();
  const nora = await other.newPage();
  await login(nora, js, '/customers', { email, password: 'ein-gutes-passwort' });
  await expect(nora.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Neuer Kunde' })).toBeVisible();

  // Deactivated: her next request goes to the login.
  await row.getByRole('switch', { name: 'Aktiv' }).uncheck();
  await row.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator('#staff-notice')).toHaveText('Gespeichert.');
  await nora.reload();
  await expect(nora).toHaveURL(/\/login/);
  await other.close();
});

test('an administrator creates a role with chosen permissions @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/roles');
  const builtin = page.locator('[data-role="readonly"]');
  await expect(builtin.getByRole('checkbox', { name: 'Kunden ansehen (Liste, Profil, Daten)' })).toBeChecked();
  await expect(builtin.getByRole('checkbox', { name: 'Kunden ansehen (Liste, Profil, Daten)' })).toBeDisabled();

  const fresh = page.locator('[data-role="new"]');
  const name = `Empfang ${Date.now()}`;
  await fresh.getByLabel('Name der Rolle').fill(name);
  await fresh.getByRole('checkbox', { name: 'Kunden ansehen (Liste, Profil, Daten)' }).check();
  await fresh.getByRole('button', { name: 'Rolle anlegen' }).click();
  const card = page.locator('.role-card', { has: page.getByRole('heading', { name }) });
  await expect(card.getByRole('checkbox', { name: 'Kunden ansehen (Liste, Profil, Daten)' })).toBeChecked();
  await expect(card.getByRole('checkbox', { name: 'Mitarbeiter und Rollen verwalten' })).not.toBeChecked();
});

test('a member sets up two-factor login and then logs in with a code @js', async ({ page, browser }, info) => {
  const js = jsEnabled(info.project.name);
  // An administrator adds the member.
  await login(page, js, '/settings/staff');
  const email = `zwei-${Date.now()}@clientdesk.test`;
  const password = 'zwei-faktor-passwort';
  await page.getByLabel('Name', { exact: true }).fill('Zora Zwei');
  await page.getByLabel('E-Mail', { exact: true }).fill(email);
  await page.getByLabel('Erstes Passwort').fill(password);
  await page.getByRole('button', { name: 'Hinzufügen' }).click();
  await expect(page.locator(`tr[data-staff="${email}"]`)).toBeVisible();

  const context = await browser.newContext();
  const zora = await context.newPage();
  await login(zora, js, '/account', { email, password });
  await zora.getByLabel('Aktuelles Passwort').last().fill(password);
  await zora.getByRole('button', { name: 'Einrichten' }).click();
  await expect(zora.locator('.qr svg')).toBeVisible();
  const secret = (await zora.locator('[data-secret]').getAttribute('data-secret'))!;
  const enrolledAt = Math.floor(Date.now() / 1000);
  await zora.getByLabel('Code').fill(totp(secret, enrolledAt));
  await zora.getByRole('button', { name: 'Bestätigen' }).click();
  await expect(zora.locator('.recovery-codes li')).toHaveCount(10);
  await zora.getByRole('button', { name: 'Ich habe die Codes gesichert' }).click();
  await expect(zora.getByText('Eingerichtet. 10 Wiederherstellungscodes übrig.')).toBeVisible();
  await zora.getByRole('button', { name: 'Abmelden' }).click();

  // Password first, then the code of the next time step (the first one was used).
  await zora.goto('/login?next=%2Fcustomers');
  await hydrated(zora, js);
  await zora.getByLabel('E-Mail-Adresse').fill(email);
  await zora.getByLabel('Passwort').fill(password);
  await zora.getByRole('button', { name: 'Anmelden' }).click();
  await expect(zora).toHaveURL(/\/login\/2fa/);
  await zora.getByLabel('Code').fill('000000');
  await zora.getByRole('button', { name: 'Bestätigen' }).click();
  await expect(zora.getByRole('alert')).toContainText('Der Code stimmt nicht');
  await zora.getByLabel('Code').fill(totp(secret, enrolledAt + 30));
  await zora.getByRole('button', { name: 'Bestätigen' }).click();
  await expect(zora).toHaveURL(/\/customers$/);
  await context.close();
});

test('the audit log lists privileged acts and filters them by act, also without JavaScript', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/audit');
  await expect(page.getByRole('heading', { name: 'Audit-Log', level: 1 })).toBeVisible();
  // Logins are there, with the browser's address (tests running alongside add other acts).
  await expect(page.locator('table.audit-table tbody tr[data-action="staff_login"]').first()).toContainText('127.0.0.1');
  await page.getByLabel('Vorgang').selectOption({ label: 'Anmeldung' });
  await page.getByRole('button', { name: 'Suchen' }).click();
  await expect(page).toHaveURL(/action=staff_login/);
  // With JavaScript the filtered page replaces the old rows once it has loaded: wait for that.
  await expect(page.locator('table.audit-table tbody tr:not([data-action="staff_login"])')).toHaveCount(0);
  await expect(page.locator('table.audit-table tbody tr').first()).toHaveAttribute('data-action', 'staff_login');
});
