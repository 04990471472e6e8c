import { expect, Page, test } from '@playwright/test';
import { hydrated, jsEnabled, login, newCustomer } from './helpers';

/** The key shown in the licence table's first row. */
async function firstKey(page: Page): Promise<string> {
  const key = page.locator('.licence-table tbody tr[data-licence] .licence-key').first();
  await expect(key).toHaveText(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
  return (await key.textContent())!.trim();
}

/** Search in the top bar as a person does: type, press Enter. */
async function topSearch(page: Page, q: string) {
  await page.locator('#global-search').fill(q);
  await page.locator('#global-search').press('Enter');
  await expect(page).toHaveURL(/\/customers\?q=/);
}

test('add a licence in the profile and find its customer by the key in the top bar @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const customer = await newCustomer(page, 'Lina', 'Lizenz');
  await page.goto(`/customers/${customer.id}/products`);
  await hydrated(page, js);
  await expect(page.getByText('Der Kunde hat noch keine Lizenzen.')).toBeVisible();
  await page.locator('details.compose summary').click();
  await page.getByLabel('Produkt', { exact: true }).selectOption({ label: 'MailGuard' });
  // The newest release is the default version.
  await expect(page.getByLabel('Gekaufte Version')).toHaveValue('2.4');
  await page.getByRole('button', { name: 'Speichern' }).click();
  const key = await firstKey(page);
  await expect(page.locator('.licence-table tbody tr[data-licence]').first()).toContainText('MailGuard');
  await expect(page.locator('.sidebar [data-figure="products"]')).toHaveText('1');

  // Locked without a reason: refused with the message, nothing saved.
  await page.getByRole('button', { name: `Bearbeiten ${key}` }).click();
  await page.locator('.edit-row').getByLabel('Status').selectOption('locked');
  await page.locator('.edit-row').getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator('.edit-row').getByText('Bitte den Grund der Sperre angeben.')).toBeVisible();
  await expect(page.locator('.licence-table tbody tr[data-licence]').first()).toContainText('aktiv');

  await topSearch(page, key.replace(/-/g, ''));
  await expect(page.locator('table.data-table tbody tr')).toHaveCount(1);
  await expect(page.locator('table.data-table tbody')).toContainText(customer.number);
});

test('a licence key finds its customer from the top bar, with or without dashes and JavaScript', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const customer = await newCustomer(page, 'Karl', 'Keyfinder');
  const headers = { Origin: new URL(page.url()).origin };
  const meta = await page.request.post('/api/licence_form_meta', { headers, data: {} });
  expect(meta.ok(), await meta.text()).toBeTruthy();
  const product = (await meta.json()).products.find((p: { name: string }) => p.name === 'ShopX');
  const licence = {
    version: 0, product_id: product.id, version_bought: '5.0', current_version: '5.0', contract_date: '2026-01-31',
    status: 'active', lock_reason: '', cancelled_on: '', billing_cycle: 'yearly', update_service: true, updates_until: '',
  };
  const saved = await page.request.post('/api/save_licence', { headers, data: { id: customer.id, licence } });
  expect(saved.ok(), await saved.text()).toBeTruthy();

  await page.goto(`/customers/${customer.id}/products`);
  await hydrated(page, js);
  const key = await firstKey(page);
  // One term of update service from the contract date.
  await expect(page.locator('.licence-table tbody tr[data-licence]').first()).toContainText('31.01.2027');
  for (const q of [key, key.toLowerCase().replace(/-/g, ' ')]) {
    await topSearch(page, q);
    await expect(page.locator('table.data-table tbody tr')).toHaveCount(1);
    await expect(page.locator('table.data-table tbody')).toContainText(customer.number);
  }
});

test('a new product gets a signing key and its releases are entered in the settings @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/products');
  const slug = `tool${Date.now() % 1_000_000}`;
  await page.locator('details.compose summary').click();
  const form = page.locator('details.compose form');
  await form.getByLabel('Kürzel').fill(slug);
  await form.getByLabel('Name').fill(`Tool ${slug}`);
  await form.getByRole('button', { name: 'Speichern' }).click();
  const card = page.locator(`section.product-card[data-product="${slug}"]`);
  await expect(card.locator('code.public-key')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(card.getByText('Noch keine Releases.')).toBeVisible();
  await card.getByLabel('Version').fill('1.0');
  await card.getByLabel('Veröffentlicht am').fill('2026-11-30');
  await card.getByRole('button', { name: 'Release eintragen' }).click();
  // Entered: on to who gets it (no licences yet: no one).
  await expect(page).toHaveURL(/\/settings\/products\/releases\/\d+$/);
  await expect(page.getByRole('heading', { name: `Tool ${slug} 1.0: wer bekommt das Update?` })).toBeVisible();
  await expect(page.getByText('Keine Lizenz mit laufendem Update-Service.')).toBeVisible();
  await page.getByRole('link', { name: 'Zurück zum Produktkatalog' }).click();
  await hydrated(page, js);
  await expect(card.locator('li[data-release="1.0"]')).toContainText('30.11.2026');
  // The same version twice: refused, said at the field.
  await card.getByLabel('Version').fill('1.0');
  await card.getByLabel('Veröffentlicht am').fill('2026-12-01');
  await card.getByRole('button', { name: 'Release eintragen' }).click();
  await expect(card.getByText('Diese Version ist schon eingetragen.')).toBeVisible();
  // A slug that is no short name is refused with the rule.
  await page.locator('details.compose summary').click();
  await page.locator('details.compose form').getByLabel('Kürzel').fill('Mit Leerzeichen');
  await page.locator('details.compose form').getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByText('2 bis 40 Zeichen', { exact: false })).toBeVisible();
});

test('enter a release and see which customers with update service get it @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const headers = { Origin: new URL(page.url()).origin };
  const slug = `upd${Date.now() % 1_000_000}`;
  const created = await page.request.post('/api/save_product', {
    headers, data: { product: { slug, name: `Updater ${slug}`, active: true, update_term_months: 12, max_bindings: 1, version: 0 } },
  });
  expect(created.ok(), await created.text()).toBeTruthy();
  const productId = Number(await created.text());
  const covered = await newCustomer(page, 'Uwe', 'Updatekunde');
  const lapsed = await newCustomer(page, 'Ella', 'Abgelaufen');
  const without = await newCustomer(page, 'Otto', 'Ohneservice');
  const add = async (id: number, updates: boolean, until: string) => {
    const licence = {
      version: 0, product_id: productId, version_bought: '1.0', current_version: '1.0', contract_date: '2026-01-31',
      status: 'active', lock_reason: '', cancelled_on: '', billing_cycle: 'yearly', update_service: updates, updates_until: until,
    };
    const saved = await page.request.post('/api/save_licence', { headers, data: { id, licence } });
    expect(saved.ok(), await saved.text()).toBeTruthy();
  };
  await add(covered.id, true, '2027-01-31');
  await add(lapsed.id, true, '2026-06-30');
  await add(without.id, false, '');

  await page.goto('/settings/products');
  await hydrated(page, js);
  const card = page.locator(`section.product-card[data-product="${slug}"]`);
  await card.getByLabel('Version').fill('1.1');
  await card.getByLabel('Veröffentlicht am').fill('2026-12-01');
  await card.getByRole('button', { name: 'Release eintragen' }).click();
  await expect(page).toHaveURL(/\/settings\/products\/releases\/\d+$/);
  await expect(page.getByText('1 Lizenzen mit Update-Service erhalten dieses Update.')).toBeVisible();
  await expect(page.getByText('1 aktive Lizenzen haben einen abgelaufenen Update-Service')).toBeVisible();
  const rows = page.locator('table.recipients tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(covered.number);
  await expect(rows.first()).toContainText('31.01.2027');
  // The expired one shows as such in its profile.
  await page.goto(`/customers/${lapsed.id}/products`);
  await expect(page.locator('.licence-table tbody tr[data-licence]').first()).toContainText('Update-Service abgelaufen');
});
