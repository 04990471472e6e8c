import { expect, test } from '@playwright/test';
import { hydrated, jsEnabled, login, newCustomer } from './helpers';

test('add a hosting, which the worker sets up; suspend with a reason, unsuspend, remove @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const customer = await newCustomer(page, 'Hanna', 'Hosting');
  await page.goto(`/customers/${customer.id}/products`);
  await hydrated(page, js);
  const hostings = page.locator('section.hostings');
  await expect(hostings.getByText('Der Kunde hat noch kein Hosting.')).toBeVisible();
  await hostings.locator('details.compose summary').click();
  await hostings.getByLabel('Paket').selectOption({ label: 'Webspace S' });
  await hostings.getByLabel('Domain').fill('Nicht gültig');
  await hostings.getByRole('button', { name: 'Speichern' }).click();
  await expect(hostings.getByText('Bitte einen gültigen Domainnamen angeben (z. B. kunde.de).')).toBeVisible();
  await hostings.getByLabel('Domain').fill('hanna-shop.example');
  await hostings.getByRole('button', { name: 'Speichern' }).click();

  // The package sets up at once: the worker's job makes it active and the panel follows.
  const row = hostings.locator('tr[data-hosting]').first();
  await expect(row).toContainText('hanna-shop.example');
  await expect(row.locator('.badge')).toHaveText('aktiv');
  await expect(row).toContainText('Einrichten: erledigt');
  await expect(page.locator('.sidebar [data-figure="products"]')).toHaveText('1');

  // Suspending needs a reason.
  const actions = hostings.locator('.hosting-actions').first();
  await actions.getByRole('button', { name: 'Sperren' }).click();
  await expect(actions.getByText('Bitte den Grund der Sperre angeben.')).toBeVisible();
  await actions.getByLabel('Grund der Sperre').fill('Zahlungsverzug');
  await actions.getByRole('button', { name: 'Sperren' }).click();
  await expect(row.locator('.badge')).toHaveText('gesperrt');
  await expect(row.locator('.suspend-reason')).toHaveText('Zahlungsverzug');
  await expect(page.locator('.warnings')).toContainText('Hosting gesperrt: hanna-shop.example');

  await hostings.locator('.hosting-actions').first().getByRole('button', { name: 'Entsperren' }).click();
  await expect(row.locator('.badge')).toHaveText('aktiv');

  // Removing needs the confirmation first.
  const remove = hostings.locator('.hosting-actions').first().getByRole('button', { name: 'Entfernen' });
  await expect(remove).toBeDisabled();
  await hostings.locator('.hosting-actions').first().getByLabel('Ja, Zugang und Daten auf dem Server entfernen').check();
  await remove.click();
  await expect(row.locator('.badge')).toHaveText('entfernt');
  // Nothing left to count: the figure goes.
  await expect(page.locator('.sidebar [data-figure="products"]')).toHaveCount(0);

  // The log tells each job's steps.
  await row.getByRole('button', { name: /^Protokoll/ }).click();
  const log = hostings.locator('.hosting-log');
  await expect(log).toContainText('Entfernen');
  await expect(log).toContainText('Sperren');
  await expect(log).toContainText('Einrichten');
});

test('a MariaDB server is added in the settings and its connection tested @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/servers');
  await hydrated(page, js);
  await page.getByText('Neuer Server').click();
  const form = page.locator('form.server-form').first();
  const name = `MariaDB ${info.project.name}`;
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Modul').selectOption('mariadb');
  await form.getByLabel('Host').fill('127.0.0.1');
  await form.getByLabel('Port').fill('3306');
  await form.getByLabel('Admin-Benutzer').fill('root');
  await form.getByLabel('Einstellungen (JSON)').fill('kein json');
  await form.getByRole('button', { name: 'Speichern' }).click();
  await expect(form.getByText('Bitte ein JSON-Objekt angeben, z. B. {}.')).toBeVisible();
  await form.getByLabel('Einstellungen (JSON)').fill('{"prefix": "e2e", "tls": "disabled"}');
  await form.getByRole('button', { name: 'Speichern' }).click();
  const card = page.locator(`article[data-server="${name}"]`);
  await expect(card).toContainText('MariaDB-Datenbanken');
  await card.getByRole('button', { name: `Verbindung testen ${name}` }).click();
  await expect(card.locator('.test-result')).toContainText(/Verbindung steht: MariaDB 10\./);
});
