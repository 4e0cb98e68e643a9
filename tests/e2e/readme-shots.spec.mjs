// The README's screenshots, taken from the real page: `UPDATE_SCREENSHOTS=1 cargo xtask e2e
// tests/e2e/readme-shots.spec.mjs`. Without the variable each flow still runs and checks what
// the picture is meant to show, so the README never shows a state the page cannot reach.
import { test, expect, open } from './fixtures.mjs';

const shoot = async (page, name) => {
  if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: `docs/${name}.png` });
};

const status = (page, state) => page.locator(`[data-state="${state}"]`).first();

test('success: the Batch job succeeds and SNS reports it', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  await page.getByLabel('Scenario').selectOption({ label: 'Happy path' });
  await page.getByRole('button', { name: 'Run to end', exact: true }).click();
  await expect(status(page, 'Notify Success')).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByRole('status').first()).toContainText('Succeeded');
  await shoot(page, 'screenshot');
});

test('retrying: the first attempt failed, the retrier waits 30 s', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  await page.getByLabel('Scenario').selectOption({ label: 'Retries exhausted → Catch' });
  const forward = page.getByRole('button', { name: 'Step forward', exact: true });
  // ExecutionStarted, Entered, Scheduled, Started, Submitted, Failed, Scheduled (after the wait).
  for (let i = 0; i < 7; i++) await forward.click();
  await expect(status(page, 'Submit Batch Job')).toHaveAttribute('data-status', 'in-progress');
  await shoot(page, 'retrying');
});

test('caught: retries exhausted, the Catch notifies the failure', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  await page.getByLabel('Scenario').selectOption({ label: 'Retries exhausted → Catch' });
  await page.getByRole('button', { name: 'Run to end', exact: true }).click();
  await expect(status(page, 'Submit Batch Job')).toHaveAttribute('data-status', 'caught');
  await expect(status(page, 'Notify Failure')).toHaveAttribute('data-status', 'succeeded');
  await page.locator('[data-state="Submit Batch Job"]').first().click();
  await shoot(page, 'caught');
});

test('uncaught: an error nothing catches fails the execution', async ({ page }) => {
  await open(page, '?sample=batch-catch-notify');
  await page.getByLabel('Scenario').selectOption({ label: 'Uncaught failure' });
  await page.getByRole('button', { name: 'Run to end', exact: true }).click();
  await expect(page.locator('[data-status="failed"]').first()).toBeVisible();
  await expect(page.getByRole('status').first()).toContainText('Failed');
  await shoot(page, 'uncaught');
});

test('Map fan-out: one Batch job per item', async ({ page }) => {
  await open(page, '?sample=batch-fan-out-map');
  await page.getByLabel('Scenario').selectOption({ label: 'Happy path' });
  await page.getByRole('button', { name: 'Run to end', exact: true }).click();
  await expect(status(page, 'Fan out batch jobs')).toHaveAttribute('data-status', 'succeeded');
  await shoot(page, 'map-fan-out');
});
