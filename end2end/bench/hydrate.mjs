// make bench: what a browser loads before a customer profile is interactive, and how long until
// it is hydrated, in headless Chromium against a running server (a fresh browser context per
// run, so every run downloads and compiles the client). Prints `BENCH <name> <value> <unit>`.
import { chromium } from '@playwright/test';
import { brotliCompressSync, constants } from 'zlib';

const base = process.argv[2] ?? 'http://127.0.0.1:3190';
const runs = Number(process.argv[3] ?? 20);
const profile = `${base}/customers/1/data`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-gpu'] });
const login = await browser.newContext({ locale: 'de-DE' });
const page = await login.newPage();
await page.goto(`${base}/login?next=/customers`);
await page.getByLabel('E-Mail-Adresse').fill('demo@clientdesk.test');
await page.getByLabel('Passwort').fill('demo-passwort');
await page.getByRole('button', { name: 'Anmelden' }).click();
await page.waitForURL(/\/customers/);
const cookies = await login.cookies();
await login.close();

const brotli = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const times = [];
let loaded = new Map();
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ locale: 'de-DE' });
  await context.addCookies(cookies);
  // The moment the app marks itself hydrated, taken in the page (Playwright's own waiting polls
  // at up to 500 ms intervals and would round the time up).
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.documentElement.hasAttribute('data-hydrated')) {
        window.__hydratedAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  });
  const p = await context.newPage();
  // Bodies are read only after hydration: reading them while the page loads goes through the
  // DevTools protocol and would slow the page it measures.
  const responses = [];
  p.on('response', (r) => {
    if (/\/pkg\/.*\.(wasm|js)$/.test(new URL(r.url()).pathname)) responses.push(r);
  });
  await p.goto(profile);
  await p.locator('html[data-hydrated]').waitFor({ timeout: 60_000 });
  times.push(await p.evaluate(() => window.__hydratedAt));
  const files = new Map();
  for (const r of responses) {
    try { files.set(new URL(r.url()).pathname, await r.body()); } catch { /* aborted preload */ }
  }
  loaded = files;
  await context.close();
}
await browser.close();

times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
let raw = 0, br = 0;
for (const body of loaded.values()) { raw += body.length; br += brotli(body); }
console.log(`loaded before hydration: ${[...loaded.keys()].map((k) => k.split('/').pop()).join(', ')}`);
console.log(`BENCH profile_initial_wasm_js_raw ${(raw / 1024).toFixed(0)} KiB`);
console.log(`BENCH profile_initial_wasm_js_brotli ${(br / 1024).toFixed(0)} KiB`);
console.log(`BENCH profile_hydrated_p50 ${at(0.5).toFixed(0)} ms`);
console.log(`BENCH profile_hydrated_p95 ${at(0.95).toFixed(0)} ms`);
