import { expect, test } from '@playwright/test';
import { hydrated, jsEnabled, login } from './helpers';

test('a change shows in the Verlauf, is undone by a new change, and cannot be undone twice @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  await login(page, js, '/customers/15/data');
  const city = page.getByLabel('Ort', { exact: true });
  const before = await city.inputValue();
  await city.fill('Rückgängigstadt');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Gespeichert.' })).toBeVisible();

  await page.goto('/customers/15/history');
  await hydrated(page, js);
  const row = page.locator('tr[data-field="city"]').first();
  await expect(row).toContainText(`${before} → Rückgängigstadt`);
  await expect(row).toContainText('Demo Mitarbeiter');
  await row.getByRole('button', { name: /Rückgängig/ }).click();
  await expect(page.getByText('Rückgängig gemacht; die Rücknahme steht im Verlauf.')).toBeVisible();
  const revert = page.locator('tr[data-field="city"]').first();
  await expect(revert).toContainText(`Rückgängigstadt → ${before}`);
  await expect(revert).toContainText('nimmt Änderung #');
  await expect(page.locator('tr[data-field="city"]').nth(1)).toContainText('zurückgenommen durch #');
  await expect(page.locator('tr[data-field="city"]').nth(1).getByRole('button')).toHaveCount(0);

  await page.getByLabel('Geändert durch').selectOption({ label: 'Kunde' });
  await expect(page.getByText('Noch keine Änderungen.')).toBeVisible();

  await page.goto('/customers/15/data');
  await hydrated(page, js);
  await expect(page.getByLabel('Ort', { exact: true })).toHaveValue(before);
});
