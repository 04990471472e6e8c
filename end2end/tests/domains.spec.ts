import { expect, test } from './fixtures';
import { hydrated, jsEnabled, login, mailWith, newCustomer } from './helpers';

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

test('a customer price for .de renewals shows beside the list price and is in the Verlauf @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const customer = await newCustomer(page, 'Petra', 'Preis');
  await page.goto(`/customers/${customer.id}/domains`);
  await hydrated(page, js);
  await page.getByText('Preise bearbeiten').click();
  // `.de` comes with the demo data at 0,99 € a year.
  const row = page.locator('tr[data-tld="de"]');
  await expect(row.locator('td').nth(2)).toHaveText('0,99 €');
  await row.getByText('Ändern').click();
  await row.getByLabel('Verlängern').fill('neunzig');
  await row.getByRole('button', { name: 'Speichern' }).click();
  await expect(row.getByText('Bitte einen Betrag wie 9,99 angeben (höchstens 100.000,00).')).toBeVisible();
  await row.getByLabel('Verlängern').fill('0,79');
  await row.getByRole('button', { name: 'Speichern' }).click();
  // The own price, and the list price beside it; registering still costs the list price.
  await expect(row.locator('td').nth(2)).toHaveText('0,79 € Liste: 0,99 €');
  await expect(row.locator('td').nth(0)).toHaveText('0,99 €');
  // Endings with an own price come first.
  await expect(page.locator('table.price-table tbody tr').first()).toHaveAttribute('data-tld', 'de');

  await page.goto(`/customers/${customer.id}/history`);
  await expect(page.getByText('Kundenpreis .de · Verlängern').first()).toBeVisible();
});

test('with auth-code retrieval disabled the self-service area shows no code and says why', async ({ page, browser }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const customer = await newCustomer(page, 'Anton', 'Authcode');
  const headers = { Origin: new URL(page.url()).origin };
  const name = `umzug-${Date.now()}.de`;
  const added = await page.request.post('/api/add_domain', {
    headers,
    data: { id: customer.id, domain: { name, order: 'register', auto_renew: true } },
  });
  expect(added.ok(), await added.text()).toBeTruthy();
  const domainId = Number(await added.text());

  // Staff registered it by hand and confirm it (the manual registrar).
  await page.goto(`/customers/${customer.id}/domains`);
  await hydrated(page, js);
  const row = page.locator(`tr[data-domain="${name}"]`);
  if (js) {
    await row.locator('summary', { hasText: 'Registrierung bestätigen' }).click();
    await row.getByLabel('Registriert am').fill('2026-01-15');
    await row.getByRole('button', { name: 'Registrierung bestätigen' }).click();
  } else {
    const confirm = { registered_on: '2026-01-15', registry_expires_on: '', version: 1 };
    const done = await page.request.post('/api/confirm_domain', { headers, data: { id: customer.id, domain: domainId, confirm } });
    expect(done.ok(), await done.text()).toBeTruthy();
    await page.reload();
  }
  await expect(row).toContainText('aktiv');
  await expect(row).toContainText('15.01.2027');
  // Its own view: the registry's data and its registrar jobs (none: registered by hand).
  await row.getByRole('link', { name }).click();
  await expect(page).toHaveURL(new RegExp(`domains\\?domain=${domainId}$`));
  const detail = page.locator(`section.domain-detail[data-domain="${name}"]`);
  await expect(detail).toContainText('von Hand (kein Modul)');
  await expect(detail).toContainText('15.01.2026');
  await expect(detail).toContainText('Noch keine Aufträge beim Registrar.');
  await page.getByRole('link', { name: '← Alle Domains des Kunden' }).click();
  await expect(row).toContainText('aktiv');

  // The customer, with a password of their own, in a browser of their own.
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
  await portal.getByRole('link', { name: 'Domains' }).first().click();
  await expect(portal).toHaveURL(/\/portal\/domains$/);
  await hydrated(portal, js);
  const line = portal.locator(`table.portal-domains tr[data-domain="${name}"]`);
  await expect(line).toContainText('aktiv');

  // The customer sets own nameservers (one per line); a single one is refused, with or without
  // JavaScript (without: a page that says why, and back).
  await line.locator('summary', { hasText: 'Ändern' }).click();
  await line.getByLabel('Nameserver').fill('ns1.example.net');
  await line.getByRole('button', { name: 'Speichern' }).click();
  if (js) {
    await expect(line.getByText('Bitte keinen oder 2 bis 13 Nameserver angeben.')).toBeVisible();
  } else {
    await expect(portal.getByRole('alert')).toContainText('Bitte keinen oder 2 bis 13 Nameserver angeben.');
    await portal.getByRole('link', { name: 'Zurück zu den Domains' }).click();
    await line.locator('summary', { hasText: 'Ändern' }).click();
  }
  await line.getByLabel('Nameserver').fill('ns1.example.net\nNS2.example.net');
  await line.getByRole('button', { name: 'Speichern' }).click();
  await expect(line.locator('td').nth(3)).toContainText('ns1.example.net, ns2.example.net');

  // Asked for, the code shows (in place with JavaScript, as a page of its own without).
  await line.getByRole('button', { name: `Auth-Code anzeigen ${name}` }).click();
  if (js) {
    await expect(line.locator('output.authcode code')).toHaveText(/^.{16}$/);
  } else {
    await expect(portal.getByRole('alert')).toContainText(`Auth-Code für ${name}: `);
    await portal.goBack();
  }

  // Staff disable auth-code retrieval.
  await page.goto(`/customers/${customer.id}/domains`);
  await hydrated(page, js);
  if (js) {
    await page.getByRole('button', { name: 'Authcode-Abfrage deaktivieren' }).click();
    await page.getByRole('group', { name: 'Authcode-Abfrage deaktivieren' }).getByRole('button', { name: 'Deaktivieren' }).click();
    await expect(page.getByRole('button', { name: 'Authcode-Abfrage aktivieren' })).toBeVisible();
  } else {
    const profile = await page.request.post('/api/get_customer', { headers, data: { id: customer.id } });
    const version = (await profile.json()).detail.version;
    const locked = await page.request.post('/api/set_domain_flag', {
      headers,
      data: { id: customer.id, version, flag: 'authcode_locked', on: true },
    });
    expect(locked.ok(), await locked.text()).toBeTruthy();
  }

  // The portal says why and offers no code; asking anyway is refused.
  await portal.goto('/portal/domains');
  await hydrated(portal, js);
  await expect(portal.locator('#authcode-locked')).toContainText('Die Abfrage von Auth-Codes ist für Ihr Kundenkonto deaktiviert.');
  await expect(line.getByRole('button', { name: /Auth-Code anzeigen/ })).toHaveCount(0);
  const refused = await portal.request.post(`/portal/domains/${domainId}/authcode`, { headers: { Origin: headers.Origin } });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain('Die Abfrage von Auth-Codes ist für Ihr Kundenkonto deaktiviert.');
  await context.close();

  // Every code shown is in the customer's Log.
  await page.goto(`/customers/${customer.id}/log`);
  await expect(page.locator('tr[data-event="domain_authcode_shown"]')).toHaveCount(1);
});

test('a registrar is added with its EPP settings, tested, and chosen for an ending @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/registrars');
  await hydrated(page, js);
  await page.getByText('Neuer Registrar').click();
  const form = page.locator('form.registrar-form').first();
  const name = `Registry ${info.project.name}`;
  await form.getByLabel('Name', { exact: true }).fill(name);
  await expect(form.getByLabel('Modul')).toHaveValue('epp');
  await form.getByLabel('Host des EPP-Servers').fill('127.0.0.1');
  // Nothing listens on port 9: the test names the refusal.
  await form.getByLabel('Port (0: Standard, 700)').fill('9');
  await form.getByLabel('Registrar-Kennung (Login)').fill('clientdesk');
  await form.getByLabel('Passwort', { exact: true }).fill('geheim-e2e');
  // The module's settings are fields of their own; each wrong one is named, and nothing is saved.
  await form.getByLabel('Standard-Inhaber-Handle').fill('X');
  await form.getByLabel('Zusätzliche CA-Zertifikate (PEM)').fill('kein Zertifikat');
  await form.getByLabel('Wartezeit auf eine Antwort (Sekunden)').fill('0');
  await form.getByRole('button', { name: 'Speichern' }).click();
  await expect(form.getByText('Bitte einen Handle aus 3 bis 16 Zeichen ohne Leerzeichen angeben.')).toBeVisible();
  await expect(form.getByText('Bitte ein oder mehrere Zertifikate im PEM-Format einfügen (-----BEGIN CERTIFICATE-----).')).toBeVisible();
  await expect(form.getByText('Bitte eine ganze Zahl von Sekunden im erlaubten Bereich angeben.')).toBeVisible();
  await expect(page.locator(`article[data-registrar="${name}"]`)).toHaveCount(0);
  await form.getByLabel('Standard-Inhaber-Handle').fill('CD-OWNER-1');
  await form.getByLabel('Zusätzliche CA-Zertifikate (PEM)').fill('');
  await form.getByLabel('Wartezeit auf eine Antwort (Sekunden)').fill('5');
  await form.getByLabel('Verschlüsselte Verbindung (TLS)').selectOption({ label: 'aus' });
  await form.getByRole('button', { name: 'Speichern' }).click();
  const card = page.locator(`article[data-registrar="${name}"]`);
  await expect(card).toContainText('EPP (RFC 5730–5734)');
  await expect(card).toContainText('127.0.0.1:9 · 0 Domains · Passwort gespeichert');
  await expect(card).toContainText('Noch keiner Endung zugeordnet.');
  await card.getByRole('button', { name: `Verbindung testen ${name}` }).click();
  await expect(card.locator('.test-result')).toContainText('Keine Verbindung:');
  await expect(card.locator('.test-result')).not.toContainText('geheim-e2e');
  // The stored settings come back into their fields; the password never does.
  await card.getByRole('button', { name: `Bearbeiten ${name}` }).click();
  const edit = card.locator('form.registrar-form');
  await expect(edit.getByLabel('Standard-Inhaber-Handle')).toHaveValue('CD-OWNER-1');
  await expect(edit.getByLabel('Verschlüsselte Verbindung (TLS)')).toHaveValue('disabled');
  await expect(edit.getByLabel('Passwort', { exact: true })).toHaveValue('');

  // The ending .fr goes to this registrar from now on.
  const tld = 'fr';
  await page.goto('/settings/domains');
  await hydrated(page, js);
  await page.getByText('Neue Endung').click();
  const tldForm = page.locator('form.tld-form').first();
  await tldForm.getByLabel('Endung (z. B. de, co.uk)').fill(tld);
  await tldForm.getByLabel('Registrar', { exact: true }).selectOption({ label: name });
  await tldForm.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator(`article[data-tld="${tld}"]`)).toContainText(`Registrar: ${name}`);
  await page.goto('/settings/registrars');
  await expect(page.locator(`article[data-registrar="${name}"]`)).toContainText(`Endungen: .${tld}`);
});
