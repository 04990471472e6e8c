import { expect, test } from './fixtures';
import { hydrated, jsEnabled, login, newCustomer, serverCalls, SUPPORT } from './helpers';

test('the sidebar counts the notes of a customer and follows a colleague\'s new note live @js', async ({ page, browser }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const { id } = await newCustomer(page, 'Fiona', 'Figur');
  await page.goto(`/customers/${id}/data`);
  await hydrated(page, js);
  await expect(page.locator('.profile[data-live="on"]')).toBeVisible();
  const figure = page.locator('.sidebar [data-figure="notes"]');
  // No notes: no figure.
  await expect(figure).toHaveCount(0);

  const colleague = await browser.newContext();
  const other = await colleague.newPage();
  await login(other, js, `/customers/${id}/notes`);
  for (const title of ['Rückruf erbeten', 'Nur per E-Mail']) {
    const compose = other.locator('details.compose');
    if ((await compose.getAttribute('open')) === null) await compose.locator('summary').click();
    await other.getByLabel('Titel').fill(title);
    await other.getByRole('button', { name: 'Speichern' }).click();
    await expect(other.locator('article.note', { hasText: title })).toBeVisible();
  }
  await expect(other.locator('.sidebar [data-figure="notes"]')).toHaveText('2');
  // The first browser never reloaded.
  await expect(figure).toHaveText('2');
  await expect(page.getByRole('link', { name: 'Notizen 2' })).toBeVisible();
  await colleague.close();
});

test('the sidebar shows a customer\'s figures without JavaScript too', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/customers/1/data');
  // The first demo customers have notes and mails.
  await expect(page.locator('.sidebar [data-figure="notes"]')).toHaveText(/^[1-9]\d*$/);
  await expect(page.locator('.sidebar [data-figure="emails"]')).toHaveText(/^[1-9]\d*$/);
});

test('a note saved in another browser refetches only the notes and the header, once each @js', async ({ page, browser }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js);
  const { id } = await newCustomer(page, 'Rita', 'Refetch');
  await page.goto(`/customers/${id}/notes`);
  await hydrated(page, js);
  await expect(page.locator('.profile[data-live="on"]')).toBeVisible();
  const colleague = await browser.newContext();
  const other = await colleague.newPage();
  await login(other, js, `/customers/${id}/notes`, SUPPORT);
  await expect(other.locator('.profile[data-live="on"]')).toBeVisible();
  await expect(page.locator('.viewers')).toContainText('Sven Support');

  const mine = serverCalls(page);
  const theirs = serverCalls(other);
  const compose = other.locator('details.compose');
  await compose.locator('summary').click();
  await other.getByLabel('Titel').fill('Nur vormittags');
  await other.getByRole('button', { name: 'Speichern' }).click();
  await expect(other.locator('article.note', { hasText: 'Nur vormittags' })).toBeVisible();
  await expect(page.locator('article.note', { hasText: 'Nur vormittags' })).toBeVisible();
  await expect(page.locator('.sidebar [data-figure="notes"]')).toHaveText('1');
  // Late refetches would show up here.
  await page.waitForTimeout(800);
  expect(mine.sort()).toEqual(['customer_notes', 'get_customer']);
  // The saving browser refetches once too, not once for its save and again for the event.
  expect(theirs.sort()).toEqual(['customer_notes', 'get_customer', 'save_note']);
  await colleague.close();
});

test('the pages other than the profile come in three chunks, each when first needed @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  const chunks = new Set<string>();
  page.on('request', (r) => {
    const file = new URL(r.url()).pathname.split('/').pop()!;
    if (/^split_.*\.wasm$/.test(file)) chunks.add(file);
  });
  const has = (group: string) => [...chunks].some((f) => f.startsWith(`split_${group}_`));
  await login(page, js, '/customers');
  // The login page came with the sign-in pages' chunk, the list with the staff pages' chunk.
  expect(has('sign_in_page')).toBe(true);
  expect(has('staff_page')).toBe(true);
  // Another staff page needs no further code.
  const before = chunks.size;
  await page.getByRole('link', { name: 'Neuer Kunde' }).click();
  await expect(page.getByRole('heading', { name: 'Neuer Kunde', level: 1 })).toBeVisible();
  expect(chunks.size).toBe(before);
});

test('an area\'s panel code arrives only when the area is opened, and hydrates the server\'s panel @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  const chunks: string[] = [];
  page.on('request', (r) => {
    const file = new URL(r.url()).pathname.split('/').pop()!;
    if (/^split_panel_\d+\.wasm$/.test(file)) chunks.push(file);
  });
  await login(page, js, '/customers/1/notes');
  // Hydration waited for the notes panel's chunk: its form works at once.
  const atStart = [...new Set(chunks)];
  expect(atStart.length).toBeGreaterThanOrEqual(1);
  await page.locator('details.compose summary').click();
  await expect(page.getByLabel('Titel')).toBeVisible();

  // Another area brings its own chunk, once.
  await page.getByRole('link', { name: /^Log/ }).click();
  await expect(page.getByRole('heading', { name: 'Log', level: 2 })).toBeVisible();
  const afterLog = [...new Set(chunks)];
  expect(afterLog.length).toBe(atStart.length + 1);
  await page.getByRole('link', { name: /^Notizen/ }).click();
  await expect(page.locator('details.compose summary')).toBeVisible();
  expect([...new Set(chunks)].length).toBe(afterLog.length);
});
