import { expect, test } from './fixtures';
import { hydrated, jsEnabled, login, newCustomer, openNewCustomer, STAFF } from './helpers';

test('a wrong password shows a message and keeps the e-mail', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await page.goto('/customers');
  await expect(page).toHaveURL(/\/login\?next=/);
  await hydrated(page, js);
  await page.getByLabel('E-Mail-Adresse').fill(STAFF.email);
  await page.getByLabel('Passwort').fill('falsch');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('alert')).toContainText('falsch');
  await expect(page.getByLabel('E-Mail-Adresse')).toHaveValue(STAFF.email);
});

test('search the list by name with umlauts, reload it from the URL, open a profile', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  await expect(page.getByRole('heading', { name: 'Kunden', level: 1 })).toBeVisible();
  await page.getByLabel('Suche', { exact: true }).fill('mueller');
  await page.getByRole('button', { name: 'Suchen', exact: true }).click();
  await expect(page).toHaveURL(/q=mueller/);
  await expect(page.locator('.result-count')).toContainText('Kunden');
  // Customers named Müller (a customer with a domain like müller.net is found too).
  const rows = page.locator('table.data-table tbody tr').filter({ hasText: /Müller/ });
  await expect(rows.first()).toBeVisible();

  // The URL carries the search: a reload shows the same result.
  const count = await page.locator('.result-count').textContent();
  await page.reload();
  await hydrated(page, js);
  await expect(page.locator('.result-count')).toHaveText(count!);

  const number = (await rows.first().locator('.customer-number').textContent())!.trim();
  await rows.first().locator('.customer-number').click();
  await expect(page).toHaveURL(/\/customers\/\d+\/data$/);
  await expect(page.locator('.profile-header')).toContainText(number);
  await expect(page.getByRole('navigation', { name: 'Bereiche des Kunden' }).getByRole('link', { name: 'Daten', exact: true }))
    .toHaveAttribute('aria-current', 'page');
  await expect(page.locator('.profile-header')).toContainText('Müller');
});

test('filters and sort are kept in the URL', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  await page.getByLabel('Status').selectOption('inactive');
  await page.getByRole('button', { name: 'Suchen', exact: true }).click();
  await expect(page).toHaveURL(/status=inactive/);
  await expect(page.locator('table.data-table tbody .badge.status-inactive').first()).toBeVisible();
  await expect(page.locator('table.data-table tbody .badge.status-active')).toHaveCount(0);
  await page.getByRole('link', { name: /Kundennr/ }).click();
  await expect(page).toHaveURL(/sort=number/);
  await expect(page).toHaveURL(/status=inactive/);
});

test('unknown customers and areas are a 404 page', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const res = await page.goto('/customers/99999999/data');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Nicht gefunden' })).toBeVisible();
  const area = await page.goto('/customers/1/gibtsnicht');
  expect(area?.status()).toBe(404);
});

test('edit a customer and see it after reload @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await openNewCustomer(page, js, 'data', 'Edda', 'Edit');
  const city = `Teststadt ${Date.now() % 100000}`;
  await page.getByLabel('Ort', { exact: true }).fill(city);
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('status')).toContainText('Gespeichert');
  await page.reload();
  await hydrated(page, js);
  await expect(page.getByLabel('Ort', { exact: true })).toHaveValue(city);
});

test('an invalid postcode shows a field message and saves nothing @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await openNewCustomer(page, js, 'data', 'Pia', 'Postleitzahl');
  const before = await page.getByLabel('PLZ', { exact: true }).inputValue();
  await page.getByLabel('Land', { exact: true }).selectOption('DE');
  await page.getByLabel('PLZ', { exact: true }).fill('123');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator('.field.invalid').getByText('Keine gültige Postleitzahl für Deutschland')).toBeVisible();
  await page.reload();
  await hydrated(page, js);
  await expect(page.getByLabel('PLZ', { exact: true })).toHaveValue(before);
});

test('two tabs: the second save shows a conflict and keeps both inputs @js', async ({ browser }, info) => {
  const js = jsEnabled(info.project.name);
  const context = await browser.newContext();
  const first = await context.newPage();
  const { id } = await openNewCustomer(first, js, 'data', 'Tara', 'Tabs');
  const second = await context.newPage();
  await second.goto(`/customers/${id}/data`);
  await hydrated(second, js);

  // Both have unsaved input (an untouched form would simply follow the first save).
  await second.getByLabel('Fax').fill('+49 30 2222222');
  await first.getByLabel('Telefon').fill('+49 30 1111111');
  await first.getByRole('button', { name: 'Speichern' }).click();
  await expect(first.getByRole('status')).toContainText('Gespeichert');

  await second.getByRole('button', { name: 'Speichern' }).click();
  await expect(second.getByRole('alert').filter({ hasText: 'Inzwischen geändert' })).toBeVisible();
  // The user's own input stays; the other side's value is offered.
  await expect(second.getByLabel('Fax')).toHaveValue('+49 30 2222222');
  await expect(second.locator('.field-theirs').filter({ hasText: '+49 30 1111111' })).toBeVisible();
  await second.locator('.field-theirs').filter({ hasText: '+49 30 1111111' }).getByRole('button', { name: 'Übernehmen' }).click();
  await expect(second.getByLabel('Telefon')).toHaveValue('+49 30 1111111');
  await second.getByRole('button', { name: 'Speichern' }).click();
  await expect(second.getByRole('status')).toContainText('Gespeichert');
  await second.reload();
  await expect(second.getByLabel('Fax')).toHaveValue('+49 30 2222222');
  await expect(second.getByLabel('Telefon')).toHaveValue('+49 30 1111111');
  await context.close();
});

test('create a new customer @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/customers/new');
  await page.getByLabel('Vorname').fill('Renée');
  await page.getByLabel('Nachname').fill('Dörfler');
  await page.getByLabel('E-Mail', { exact: true }).fill('renee@doerfler.de');
  await page.getByLabel('Straße', { exact: true }).fill('Lindenstraße');
  await page.getByLabel('PLZ', { exact: true }).fill('04109');
  await page.getByLabel('Ort', { exact: true }).fill('Leipzig');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page).toHaveURL(/\/customers\/\d+\/data$/);
  await expect(page.locator('.profile-header')).toContainText('Renée Dörfler');
});

test('"/" focuses the search and the language switches to English @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  await page.locator('body').press('/');
  await expect(page.locator('#global-search')).toBeFocused();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Deutsch' }).click();
  await expect(page.getByRole('heading', { name: 'Kunden', level: 1 })).toBeVisible();
});

test('the settings list custom fields; a new one appears in Daten and keeps its value @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/custom-fields');
  await expect(page.getByRole('heading', { name: 'Zusatzfelder für Kunden' })).toBeVisible();
  await expect(page.locator('table.data-table')).toContainText('legacy_id');
  const key = `f${Date.now() % 1000000}`;
  await page.getByLabel('Schlüssel').fill(key);
  await page.getByLabel('Bezeichnung (Deutsch)').fill('Vertragsnummer');
  await page.getByLabel('Bezeichnung (Englisch)').fill('Contract number');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator('table.data-table')).toContainText(key);

  const { id } = await newCustomer(page, 'Cora', 'Custom');
  await page.goto(`/customers/${id}/data`);
  await hydrated(page, js);
  await page.getByLabel('Vertragsnummer').fill('V-2026-17');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('status')).toContainText('Gespeichert');
  await page.reload();
  await hydrated(page, js);
  await expect(page.getByLabel('Vertragsnummer')).toHaveValue('V-2026-17');
});

test('a bad field key gets a message and nothing is added @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/custom-fields');
  const rows = await page.locator('table.data-table tbody tr').count();
  await page.getByLabel('Schlüssel').fill('Not A Key');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByText('Kleinbuchstaben, Ziffern und _')).toBeVisible();
  await expect(page.locator('table.data-table tbody tr')).toHaveCount(rows);
});

test('the custom field settings render without JavaScript', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/custom-fields');
  await expect(page.locator('table.data-table')).toContainText('industry');
  await expect(page.locator('table.data-table')).toContainText('Auswahl');
});

test('regenerate an API key from the Daten actions @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await openNewCustomer(page, js, 'data', 'Anton', 'Apischluessel');
  const apiAccess = page.getByLabel('API-Zugriff', { exact: true });
  if (!(await apiAccess.isChecked())) {
    await apiAccess.check();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.locator('.editor-notice')).toContainText('Gespeichert');
  }
  const actions = page.locator('.area-actions');
  await expect(actions.getByRole('heading', { name: 'Aktionen' })).toBeVisible();
  await actions.getByRole('button', { name: 'API-Schlüssel neu erzeugen' }).click();
  await actions.getByRole('button', { name: 'Neu erzeugen', exact: true }).click();
  await expect(actions.locator('code.secret')).toHaveText(/^cdk_[0-9a-f]{48}$/);
  await page.reload();
  await hydrated(page, js);
  await expect(page.locator('.facts')).toContainText('vorhanden');
  await expect(page.locator('code.secret')).toHaveCount(0);
});

test('switching dunning off shows it in the warnings row at once and after reload @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await openNewCustomer(page, js, 'data', 'Mats', 'Mahnung');
  const toggle = page.getByLabel('Mahnungen deaktiviert', { exact: true });
  const warnings = page.getByRole('list', { name: 'Kritische Hinweise' });
  if (await toggle.isChecked()) {
    await toggle.uncheck();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.locator('.editor-notice')).toContainText('Gespeichert');
    await expect(warnings.getByText('Mahnungen deaktiviert')).toHaveCount(0);
  }
  await toggle.check();
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator('.editor-notice')).toContainText('Gespeichert');
  await expect(warnings).toContainText('Mahnungen deaktiviert');
  await page.reload();
  await hydrated(page, js);
  await expect(page.getByRole('list', { name: 'Kritische Hinweise' })).toContainText('Mahnungen deaktiviert');
});
