import { expect, Page, test } from './fixtures';
import { hydrated, jsEnabled, login, mailWith, newCustomer } from './helpers';

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
  await page.locator('details.compose summary', { hasText: 'Lizenz hinzufügen' }).click();
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

test('staff offer a licence to another customer, who accepts it in the self-service area @js', async ({ page, browser }, info) => {
  // Two browsers, a mail round trip and the portal: more than the default 30 s on a busy machine.
  test.setTimeout(60_000);
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const headers = { Origin: new URL(page.url()).origin };
  const owner = await newCustomer(page, 'Olaf', 'Owner');
  const recipient = await newCustomer(page, 'Rieke', 'Recipient');
  // The recipient's portal password first (the offer mail goes to the same address later).
  const reset = await page.request.post('/api/send_password_reset', { headers, data: { id: recipient.id } });
  expect(reset.ok(), await reset.text()).toBeTruthy();
  const mail = await mailWith(`To: ${recipient.email}`);
  const link = mail.match(/http:\/\/[^\s]+\/portal\/reset\?token=[0-9a-f]+/)![0].replace(/^http:\/\/[^/]+/, '');

  const meta = await (await page.request.post('/api/licence_form_meta', { headers, data: {} })).json();
  const product = meta.products.find((p: { name: string }) => p.name === 'BackupBox');
  const licence = {
    version: 0, product_id: product.id, version_bought: '1.0', current_version: '1.0', contract_date: '2026-02-01',
    status: 'active', lock_reason: '', cancelled_on: '', billing_cycle: 'monthly', update_service: false, updates_until: '',
  };
  const saved = await page.request.post('/api/save_licence', { headers, data: { id: owner.id, licence } });
  expect(saved.ok(), await saved.text()).toBeTruthy();

  await page.goto(`/customers/${owner.id}/products`);
  await hydrated(page, js);
  const key = await firstKey(page);
  await page.getByRole('button', { name: `Bearbeiten ${key}` }).click();
  await page.getByLabel('An Kunden übertragen (Kundennummer)').fill('K-0');
  await page.getByRole('button', { name: 'Übertragung anbieten' }).click();
  await expect(page.getByText('Bitte die Kundennummer eines anderen Kunden angeben.')).toBeVisible();
  await page.getByLabel('An Kunden übertragen (Kundennummer)').fill(recipient.number);
  await page.getByRole('button', { name: 'Übertragung anbieten' }).click();
  await expect(page.locator('section.offers')).toContainText(`${key} an ${recipient.number}`);
  // The recipient is told by mail, with the way to the answer.
  const offerMail = await mailWith(owner.number);
  expect(offerMail).toContain(`To: ${recipient.email}`);
  expect(offerMail).toContain('/portal/products');

  // The recipient, in a browser of their own.
  const context = await browser.newContext();
  const customer = await context.newPage();
  await customer.goto(link);
  await hydrated(customer, js);
  await customer.getByLabel('Neues Passwort', { exact: true }).fill('mein-neues-passwort');
  await customer.getByLabel('Neues Passwort wiederholen').fill('mein-neues-passwort');
  await customer.getByRole('button', { name: 'Passwort speichern' }).click();
  await expect(customer.getByRole('status')).toContainText('Ihr neues Passwort ist gesetzt');
  await customer.goto('/portal/login');
  await hydrated(customer, js);
  await customer.getByLabel('E-Mail-Adresse').fill(recipient.email);
  await customer.getByLabel('Passwort').fill('mein-neues-passwort');
  await customer.getByRole('button', { name: 'Anmelden' }).click();
  await expect(customer).toHaveURL(/\/portal$/);
  await customer.getByRole('link', { name: 'Produkte' }).first().click();
  await expect(customer).toHaveURL(/\/portal\/products$/);
  await hydrated(customer, js);
  await expect(customer.getByText('Sie haben noch keine Lizenzen.')).toBeVisible();
  const offerLine = customer.locator('section.offers li');
  await expect(offerLine).toContainText(`BackupBox von Kunde ${owner.number}`);
  await expect(offerLine).not.toContainText(key);
  await customer.getByRole('button', { name: 'Annehmen' }).click();
  await expect(customer.getByRole('status')).toContainText('Ihre Antwort ist gespeichert.');
  await expect(customer.locator(`table.portal-licences tr[data-licence="${key}"]`)).toBeVisible();
  await expect(customer.locator('section.offers')).toHaveCount(0);
  await context.close();

  // The owner's panel no longer lists it (live), the recipient's does.
  await expect(page.getByText('Der Kunde hat noch keine Lizenzen.')).toBeVisible();
  await page.goto(`/customers/${recipient.id}/products`);
  await expect(page.locator(`.licence-table tr[data-licence="${key}"]`)).toBeVisible();
});

test('locking licence transfers in the sidebar refuses an offer with the reason; the update service switch starts a term @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const headers = { Origin: new URL(page.url()).origin };
  const owner = await newCustomer(page, 'Lotte', 'Locked');
  const other = await newCustomer(page, 'Anton', 'Andere');
  const meta = await (await page.request.post('/api/licence_form_meta', { headers, data: {} })).json();
  const licence = {
    version: 0, product_id: meta.products[0].id, version_bought: '1.0', current_version: '1.0', contract_date: '2024-01-15',
    status: 'active', lock_reason: '', cancelled_on: '', billing_cycle: 'yearly', update_service: false, updates_until: '',
  };
  const saved = await page.request.post('/api/save_licence', { headers, data: { id: owner.id, licence } });
  expect(saved.ok(), await saved.text()).toBeTruthy();
  await page.goto(`/customers/${owner.id}/products`);
  await hydrated(page, js);
  const row = page.locator('.licence-table tbody tr[data-licence]').first();
  await expect(row).toContainText('ohne Update-Service');

  await page.getByRole('button', { name: 'Lizenztransfers sperren' }).click();
  await page.getByRole('button', { name: 'Sperren', exact: true }).click();
  // The sidebar follows: the action now releases.
  await expect(page.getByRole('button', { name: 'Lizenztransfers freigeben' })).toBeVisible();
  const key = await firstKey(page);
  await page.getByRole('button', { name: `Bearbeiten ${key}` }).click();
  await page.getByLabel('An Kunden übertragen (Kundennummer)').fill(other.number);
  await page.getByRole('button', { name: 'Übertragung anbieten' }).click();
  await expect(page.getByText('Lizenztransfers sind für diesen Kunden gesperrt.')).toBeVisible();

  await page.getByRole('button', { name: 'Update-Service aktivieren' }).click();
  await page.getByRole('button', { name: 'Aktivieren', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Update-Service deaktivieren' })).toBeVisible();
  await expect(row).not.toContainText('ohne Update-Service');
  await expect(row).not.toContainText('abgelaufen');
});
