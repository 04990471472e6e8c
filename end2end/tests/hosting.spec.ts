import { expect, test } from './fixtures';
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
  const confirm = hostings.locator('.hosting-actions').first().getByLabel('Ja, Zugang und Daten auf dem Server entfernen');
  await expect(confirm).toHaveAttribute('required', '');
  await confirm.check();
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

test('staff suspend with a reason, unsuspend and remove a hosting, with or without JavaScript', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const customer = await newCustomer(page, 'Olaf', 'Ohnescript');
  const headers = { Origin: new URL(page.url()).origin };
  const meta = await (await page.request.post('/api/hosting_form_meta', { headers, data: {} })).json();
  const pkg = meta.packages.find((p: { name: string }) => p.name === 'Webspace S');
  const domain = `olaf-${info.project.name}.example`;
  const added = await page.request.post('/api/add_hosting', {
    headers,
    data: { id: customer.id, hosting: { package_id: pkg.id, domain, contract_date: meta.today, billing_cycle: 'monthly' } },
  });
  expect(added.ok(), await added.text()).toBeTruthy();
  const row = page.locator('tr[data-hosting]').first();
  const actions = page.locator('.hosting-actions').first();
  // With JavaScript the panel's row hydrates a moment after the page: its log button (which
  // works only then) answers once it has.
  const panelReady = async () => {
    if (!js) return;
    const log = row.getByRole('button', { name: /^Protokoll/ });
    await expect(async () => {
      await log.click();
      await expect(log).toHaveAttribute('aria-expanded', 'true', { timeout: 500 });
    }).toPass({ timeout: 10_000 });
    await log.click();
  };
  // The worker runs each request on its own time. With JavaScript the live panel follows it;
  // without, staff look again. The hosting was added behind the page's back, so the first look
  // reloads either way.
  const statusBecomes = async (text: string, reload = !js) => {
    if (!reload) {
      await expect(row.locator('.badge')).toHaveText(text);
      return;
    }
    await expect(async () => {
      await page.goto(`/customers/${customer.id}/products`);
      await expect(row.locator('.badge')).toHaveText(text, { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await hydrated(page, js);
    await panelReady();
  };
  // With JavaScript a request is a server call: wait for its answer.
  const submit = async (name: string) => {
    const button = actions.getByRole('button', { name });
    if (!js) return button.click();
    await Promise.all([page.waitForResponse((r) => r.url().includes('/api/hosting_action')), button.click()]);
  };
  await statusBecomes('aktiv', true);

  await submit('Sperren');
  if (js) {
    await expect(actions.getByText('Bitte den Grund der Sperre angeben.')).toBeVisible();
  } else {
    await expect(page.getByRole('alert')).toHaveText('Bitte den Grund der Sperre angeben.');
    await page.getByRole('link', { name: 'Zurück zu den Produkten' }).click();
  }
  await actions.getByLabel('Grund der Sperre').fill('Missbrauch gemeldet');
  await submit('Sperren');
  if (!js) await expect(page.getByRole('status').filter({ hasText: 'Der Auftrag wurde angenommen.' })).toBeVisible();
  await statusBecomes('gesperrt');
  await expect(row.locator('.suspend-reason')).toHaveText('Missbrauch gemeldet');

  await submit('Entsperren');
  await statusBecomes('aktiv');
  await actions.getByLabel('Ja, Zugang und Daten auf dem Server entfernen').check();
  await submit('Entfernen');
  await statusBecomes('entfernt');
});

test('a MariaDB server is added in the settings and its connection tested @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/servers');
  await hydrated(page, js);
  await page.getByText('Neuer Server').click();
  const form = page.locator('form.server-form').first();
  const name = `MariaDB ${info.project.name}`;
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Modul').selectOption('mariadb');
  await form.getByLabel('Host').fill('127.0.0.1');
  await form.getByLabel('Port').fill('3306');
  await form.getByLabel('Admin-Benutzer').fill('root');
  // The module's settings are fields of their own; a wrong one is named, and nothing is saved.
  await form.getByLabel('Präfix der Zugangsnamen').fill('E2E');
  await form.getByLabel('Verschlüsselte Verbindung (TLS)').selectOption({ label: 'aus' });
  await form.getByLabel('Weitere Einstellungen (JSON)').fill('kein json');
  await form.getByRole('button', { name: 'Speichern' }).click();
  await expect(form.getByText('Bitte ein JSON-Objekt angeben, z. B. {}.')).toBeVisible();
  await expect(form.getByText('Bitte Kleinbuchstaben und Ziffern angeben, vorn ein Buchstabe, höchstens 16 Zeichen.')).toBeVisible();
  await expect(page.locator(`article[data-server="${name}"]`)).toHaveCount(0);
  await form.getByLabel('Präfix der Zugangsnamen').fill('e2e');
  await form.getByLabel('Weitere Einstellungen (JSON)').fill('');
  await form.getByRole('button', { name: 'Speichern' }).click();
  const card = page.locator(`article[data-server="${name}"]`);
  await expect(card).toContainText('MariaDB-Datenbanken');
  await card.getByRole('button', { name: `Verbindung testen ${name}` }).click();
  await expect(card.locator('.test-result')).toContainText(/Verbindung steht: MariaDB 10\./);
  // The stored settings come back into their fields.
  await card.getByRole('button', { name: `Bearbeiten ${name}` }).click();
  const edit = card.locator('form.server-form');
  await expect(edit.getByLabel('Präfix der Zugangsnamen')).toHaveValue('e2e');
  await expect(edit.getByLabel('Verschlüsselte Verbindung (TLS)')).toHaveValue('disabled');
  await expect(edit.getByLabel('Weitere Einstellungen (JSON)')).toHaveValue('');
});
