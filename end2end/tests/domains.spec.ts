import { expect, test } from '@playwright/test';
import { hydrated, jsEnabled, login } from './helpers';

test('an ending is entered in the TLD price list with its prices; a wrong amount is named @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/settings/domains');
  await hydrated(page, js);
  await page.getByText('Neue Endung').click();
  const form = page.locator('form.tld-form').first();
  await form.getByLabel('Endung (z. B. de, co.uk)').fill('.DE');
  await form.getByLabel('Registrieren, 1 J.').fill('0,99');
  await form.getByLabel('Verlängern, 1 J.').fill('neun');
  await form.getByRole('button', { name: 'Speichern' }).click();
  await expect(form.getByText('Bitte einen Betrag wie 9,99 angeben (höchstens 100.000,00).')).toBeVisible();
  await expect(page.locator('article[data-tld="de"]')).toHaveCount(0);
  await form.getByLabel('Verlängern, 1 J.').fill('9,99');
  await form.getByRole('button', { name: 'Speichern' }).click();
  const card = page.locator('article[data-tld="de"]');
  await expect(card).toContainText('.de');
  await expect(card).toContainText('Registrieren 0,99 € · Transfer – · Verlängern 9,99 €');

  // The same ending twice is refused; a private suffix is no ending.
  await form.getByLabel('Endung (z. B. de, co.uk)').fill('de');
  await form.getByRole('button', { name: 'Speichern' }).click();
  await expect(form.getByText('Diese Endung steht schon in der Liste.')).toBeVisible();
  await form.getByLabel('Endung (z. B. de, co.uk)').fill('blogspot.com');
  await form.getByRole('button', { name: 'Speichern' }).click();
  await expect(form.getByText('Das ist keine öffentliche Domain-Endung (laut Public Suffix List).')).toBeVisible();
});
