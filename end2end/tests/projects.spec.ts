import { expect, test } from './fixtures';
import { jsEnabled, openNewCustomer } from './helpers';

test('a project with tasks in order and time spent; overdue shows in the warnings row @js', async ({ page }, info) => {
  const js = jsEnabled(info.project.name);
  const customer = await openNewCustomer(page, js, 'projects', 'Paul', 'Projekt');
  await expect(page.getByText('Für diesen Kunden gibt es noch keine Projekte.')).toBeVisible();
  await page.locator('details.compose summary', { hasText: 'Projekt anlegen' }).click();
  const form = page.locator('form.project-form').first();
  await form.getByLabel('Name').fill('Shop-Umzug');
  await form.getByLabel('Fällig am').fill('2026-01-15');
  await form.getByLabel('Status').selectOption('in_progress');
  await form.getByLabel('Honorar (€)').fill('1.250,5');
  await form.getByRole('button', { name: 'Speichern' }).click();
  const row = page.locator('.project-table tr[data-project="Shop-Umzug"]');
  await expect(row).toContainText('überfällig');
  await expect(row).toContainText('1250,50 €');
  await expect(page.locator('.warnings')).toContainText('Projekt überfällig: Shop-Umzug');
  await expect(page.locator('.sidebar [data-figure="projects"]')).toHaveText('1');

  await row.getByRole('link', { name: 'Shop-Umzug' }).click();
  await expect(page).toHaveURL(new RegExp(`/customers/${customer.id}/projects\\?project=\\d+`));
  const view = page.locator('section.project-view');
  for (const task of ['Daten sichern', 'DNS umstellen', 'Abnahme']) {
    await view.getByLabel('Neue Aufgabe').fill(task);
    await view.getByRole('button', { name: 'Aufgabe hinzufügen' }).click();
    await expect(view.locator(`li[data-task="${task}"]`)).toBeVisible();
  }
  await view.getByRole('button', { name: 'Nach oben Abnahme' }).click();
  await expect(view.locator('ol.tasks li')).toHaveText([/Daten sichern/, /Abnahme/, /DNS umstellen/]);
  await view.getByLabel('Daten sichern').check();
  await expect(view.locator('li[data-task="Daten sichern"]')).toHaveClass(/done/);

  await view.getByLabel('Minuten').fill('1441');
  await view.getByRole('button', { name: 'Zeit erfassen' }).click();
  await expect(view.getByText('Bitte 1 bis 1440 Minuten angeben')).toBeVisible();
  await view.getByLabel('Minuten').fill('90');
  await view.getByLabel('Notiz').fill('Umzug vorbereitet');
  await view.getByRole('button', { name: 'Zeit erfassen' }).click();
  await expect(view.locator('.time-table')).toContainText('1:30 h');
  await expect(row).toContainText('1 / 3');
});
