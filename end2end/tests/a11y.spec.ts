import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from './fixtures';
import { hydrated, jsEnabled, login } from './helpers';

/** WCAG 2.1 A and AA by axe-core: no serious or critical violation on the page as it stands.
 * axe runs as a script in the page, so these tests need JavaScript (@js); the pages without it
 * are the same server-rendered markup. */
async function accessible(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(bad, `${what}: ${page.url()}`).toEqual([]);
}

test('the login pages of staff and customers are accessible @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  for (const path of ['/login', '/login?error=1', '/portal/login', '/portal/forgot']) {
    await page.goto(path);
    await hydrated(page, js);
    await accessible(page, path);
  }
});

test('every staff page and every profile area is accessible @js', async ({ page }, info) => {
  test.setTimeout(240_000);
  const js = jsEnabled(info.project.name);
  await login(page, js, '/customers');
  const areas = ['data', 'contacts', 'products', 'domains', 'billing', 'invoices', 'quotes', 'transactions', 'projects', 'files', 'timeline', 'history', 'notes', 'log', 'ips', 'sessions', 'emails', 'merge', 'erase'];
  const pages = [
    '/customers',
    '/customers?q=a&status=active',
    '/customers/new',
    ...areas.map((a) => `/customers/1/${a}`),
    '/customers/2/projects?project=1',
    '/customers/1/reseller',
    '/settings/custom-fields',
    '/settings/products',
    '/settings/products/releases/3',
    '/settings/servers',
    '/settings/domains',
    '/settings/registrars',
    '/settings/billing',
    '/settings/dunning',
    '/settings/bank',
    '/settings/report-texts',
    '/settings/staff',
    '/settings/roles',
    '/settings/audit',
    '/account',
  ];
  for (const path of pages) {
    await page.goto(path);
    await hydrated(page, js);
    await accessible(page, path);
  }
});

test('the self-service pages are accessible @js', async ({ page }, info) => {
  // Several portal pages with axe each: more than the default 30 s on a busy machine.
  test.setTimeout(90_000);
  const js = jsEnabled(info.project.name);
  await login(page, js, '/customers/2/data');
  // Staff act as the customer in this browser: the portal cookie is set by the form's answer.
  await page.getByText('Als Kunde einloggen').click();
  await page.getByLabel('Grund').fill('Barrierefreiheit prüfen');
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('button', { name: 'Kundenbereich öffnen' }).click(),
  ]);
  await tab.waitForLoadState();
  for (const path of ['/portal', '/portal/data', '/portal/products', '/portal/invoices', '/portal/quotes', '/portal/files', '/portal/domains', '/portal/security']) {
    await tab.goto(path);
    await hydrated(tab, js);
    await accessible(tab, path);
  }
  await tab.getByRole('button', { name: 'Zurück zu clientdesk' }).click();
  await expect(tab).toHaveURL(/\/customers\/2\/data$/);
});
