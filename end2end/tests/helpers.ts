import { expect, Page } from '@playwright/test';

export const STAFF = { email: 'demo@clientdesk.test', password: 'demo-passwort' };

/** Wait until the app has hydrated (a click before that would be lost); no-op without JS. */
export async function hydrated(page: Page, js: boolean) {
  if (js) await page.locator('html[data-hydrated]').waitFor();
}

export function jsEnabled(projectName: string) {
  return projectName === 'js';
}

export async function login(page: Page, js: boolean, next = '/customers') {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await hydrated(page, js);
  await page.getByLabel('E-Mail-Adresse').fill(STAFF.email);
  await page.getByLabel('Passwort').fill(STAFF.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page).toHaveURL(new RegExp(next.replace(/[?]/g, '\\?')));
  await hydrated(page, js);
}
