import { createHmac } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { expect, Page } from '@playwright/test';

export const STAFF = { email: 'demo@clientdesk.test', password: 'demo-passwort' };
/** The demo's support colleague. */
export const SUPPORT = { email: 'sven@clientdesk.test', password: 'demo-passwort' };
/** The demo's read-only colleague. */
export const READER = { email: 'leser@clientdesk.test', password: 'demo-passwort' };

/** Wait until the app has hydrated (a click before that would be lost); no-op without JS. */
export async function hydrated(page: Page, js: boolean) {
  if (js) await page.locator('html[data-hydrated]').waitFor();
}

export function jsEnabled(projectName: string) {
  return projectName === 'js';
}

export async function login(page: Page, js: boolean, next = '/customers', who = STAFF) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await hydrated(page, js);
  await page.getByLabel('E-Mail-Adresse').fill(who.email);
  await page.getByLabel('Passwort').fill(who.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page).toHaveURL(new RegExp(next.replace(/[?]/g, '\\?')));
  await hydrated(page, js);
}

/** The TOTP code (RFC 6238: SHA-1, 6 digits, 30 s) of a base32 secret at a Unix time. */
export function totp(secret: string, unix = Math.floor(Date.now() / 1000)): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...secret.replace(/=+$/, '')].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unix / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return ((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}

/** The newest mail the server wrote into its data folder (no SMTP in tests) that contains `text`. */
export async function mailWith(text: string): Promise<string> {
  const dir = join(process.env.E2E_DATA_DIR!, 'mail');
  let found = '';
  await expect
    .poll(() => {
      const files = (() => {
        try { return readdirSync(dir); } catch { return []; }
      })().filter((f) => f.endsWith('.eml')).sort((a, b) => parseInt(b) - parseInt(a));
      found = files.map((f) => readFileSync(join(dir, f), 'utf8')).find((m) => m.includes(text)) ?? '';
      return found;
    }, { timeout: 15_000 })
    .toContain(text);
  return found;
}

export interface Customer { id: number; number: string; email: string }

/** A customer of the test's own (so tests do not share demo customers and may run in
 *  parallel), made through the create_customer server function with the page's staff session. */
export async function newCustomer(page: Page, first: string, last: string): Promise<Customer> {
  const headers = { Origin: new URL(page.url()).origin };
  const email = `${first}.${last}.${Date.now()}${Math.floor(Math.random() * 1000)}@example.de`.toLowerCase();
  const form = {
    status: 'active', kind: 'person', salutation: 'none', country: 'DE', language: 'de', currency: 'EUR',
    price_level: 'standard', payment_term_days: '14', taxation: 'normal', orders_allowed: true,
    products_downloadable: true, first_name: first, last_name: last, email,
    street: 'Teststraße', house_number: '1', postcode: '10115', city: 'Berlin',
  };
  const created = await page.request.post('/api/create_customer', { headers, data: { form } });
  expect(created.ok(), await created.text()).toBeTruthy();
  const id = Number(await created.text());
  const profile = await page.request.post('/api/get_customer', { headers, data: { id } });
  expect(profile.ok(), await profile.text()).toBeTruthy();
  return { id, number: (await profile.json()).detail.number, email };
}

/** Log in, make a customer of the test's own and open one of its areas. */
export async function openNewCustomer(page: Page, js: boolean, area: string, first: string, last: string, who = STAFF): Promise<Customer> {
  await login(page, js, '/customers', who);
  const customer = await newCustomer(page, first, last);
  await page.goto(`/customers/${customer.id}/${area}`);
  await hydrated(page, js);
  return customer;
}

/** The server functions a page calls from now on, by name, in order. */
export function serverCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.method() === 'POST' && path.startsWith('/api/')) calls.push(path.slice('/api/'.length));
  });
  return calls;
}

/** "Als Kunde einloggen" from the profile: the self-service area in a new tab. */
export async function asCustomer(page: Page, id: number, js: boolean, reason = 'Angebot zeigen'): Promise<Page> {
  await page.goto(`/customers/${id}/data`);
  await hydrated(page, js);
  await page.getByText('Als Kunde einloggen').click();
  await page.getByLabel('Grund').fill(reason);
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('button', { name: 'Kundenbereich öffnen' }).click(),
  ]);
  await tab.waitForLoadState();
  return tab;
}
