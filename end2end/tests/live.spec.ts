import { expect, test } from '@playwright/test';
import { jsEnabled, login, READER } from './helpers';

test('a save in one browser shows in another without a reload, and its open form warns @js', async ({ page, browser }, info) => {
  const js = jsEnabled(info.project.name);
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await login(other, js, '/customers/17/data', READER);
  await expect(other.locator('.profile[data-live="on"]')).toBeVisible();

  await login(page, js, '/customers/17/data');
  // Who else has the profile open.
  await expect(page.locator('.viewers')).toContainText('Auch geöffnet von: Lena Leser');
  const company = `Live GmbH ${Date.now()}`;
  await page.getByLabel('Firma', { exact: true }).fill(company);
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Gespeichert.' })).toBeVisible();

  // The other browser: header updated, and its open form says someone saved meanwhile.
  await expect(other.locator('.profile-header')).toContainText(company);
  await expect(other.getByRole('alert').filter({ hasText: 'hat diesen Kunden inzwischen gespeichert' })).toBeVisible();
  // Its Verlauf shows the change without a reload too.
  await other.getByRole('link', { name: 'Verlauf' }).click();
  await expect(other.locator('tr[data-field="company"]').first()).toContainText(company);
  await otherContext.close();
});
