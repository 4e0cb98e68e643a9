import { test, expect, open } from './fixtures.mjs';

test('the page loads, mounts the app and is titled Stepwise', async ({ page }) => {
  await open(page);
  await expect(page).toHaveTitle('Stepwise');
  await expect(page.getByLabel('Definition')).toBeVisible();
  await expect(page.getByLabel('Sample')).toHaveValue('batch-retry-catch-notify');
});

test('?sample= opens that sample', async ({ page }) => {
  await open(page, '?sample=batch-fan-out-map');
  await expect(page.getByLabel('Sample')).toHaveValue('batch-fan-out-map');
  await expect(page.getByLabel('Definition')).toHaveValue(/"Type": "Map"/);
});

test('broken JSON shows a diagnostic at its line and the page stays alive', async ({ page }) => {
  await open(page);
  const editor = page.getByLabel('Definition');
  await editor.fill('{\n  "StartAt": "A",\n  "States": {\n');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('INVALID_JSON_DESCRIPTION');
  await expect(alert).toContainText('Definition 4:');
  await page.getByLabel('Sample').selectOption('batch-catch-notify');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(editor).toHaveValue(/Manage|Batch/);
});
