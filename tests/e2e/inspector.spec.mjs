// The inspector: outcome injection, retry explanations, presets, data flow, ask mode.
import { test, expect, open } from './fixtures.mjs';

const inspector = (page) => page.getByRole('complementary', { name: 'Inspector' });
const node = (page, name) => page.locator(`[data-state="${name}"]`);

async function selectState(page, name) {
  await node(page, name).first().click();
  await expect(inspector(page).getByRole('heading', { level: 2 })).toHaveText(name);
}

test('two injected failures: retried after 30 s and 45 s, then Notify Success', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  await selectState(page, 'Submit Batch Job');
  const pane = inspector(page);
  await expect(pane.getByRole('heading', { name: 'Outcomes for Submit Batch Job' })).toBeVisible();
  // One row per attempt the Retry policy allows (1 + MaxAttempts 2).
  await expect(pane.getByLabel('Attempt 3')).toBeVisible();
  const options = await pane.getByLabel('Attempt 1').locator('option').allTextContents();
  expect(options.slice(1)).toEqual(['Succeed', 'Fail', 'Time out']);
  expect(options[0]).toMatch(/^Default \(/);

  await pane.getByLabel('Attempt 1').selectOption({ label: 'Fail' });
  // One failing row: its Error/Cause are the only ones on the page.
  await expect(page.getByLabel('Error')).toHaveValue('States.TaskFailed');
  await expect(page.getByLabel('Cause')).toHaveValue(/"Status":"FAILED"/);
  await pane.getByLabel('Attempt 2').selectOption({ label: 'Fail' });
  const second = pane.locator('[data-attempt="2"]');
  await second.getByLabel('Failure').selectOption({ label: 'Throttled (Batch.AWSBatchException)' });
  await expect(second.getByLabel('Error')).toHaveValue('Batch.AWSBatchException');

  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(node(page, 'Notify Success')).toHaveAttribute('data-status', 'succeeded');
  await expect(node(page, 'Notify Failure')).toHaveAttribute('data-status', 'not-run');
  await expect(node(page, 'Submit Batch Job')).toHaveAttribute('data-status', 'succeeded');
  const why = pane.getByRole('region', { name: 'Why' });
  await expect(why).toContainText('30 s × 1.5⁰ = 30 s');
  await expect(why).toContainText('30 s × 1.5¹ = 45 s');
  const attempts = pane.getByRole('region', { name: 'Attempts' });
  await expect(attempts).toContainText('Failed · States.TaskFailed');
  await expect(attempts).toContainText('Failed · Batch.AWSBatchException');
  await expect(attempts).toContainText('retry after 45 s');
  await expect(page.getByRole('status')).toContainText('Succeeded');
});

test('"Retries exhausted → Catch" runs Notify Failure; the data flow shows each stage', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  await page.getByLabel('Scenario').selectOption({ label: 'Retries exhausted → Catch' });
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(node(page, 'Notify Failure')).toHaveAttribute('data-status', 'succeeded');
  await expect(node(page, 'Notify Success')).toHaveAttribute('data-status', 'not-run');
  await expect(node(page, 'Submit Batch Job')).toHaveAttribute('data-status', 'caught');

  await selectState(page, 'Submit Batch Job');
  const pane = inspector(page);
  await expect(pane.getByRole('region', { name: 'Why' })).toContainText('Notify Failure');
  await expect(pane.getByRole('region', { name: 'Attempts' })).toContainText('Attempts (3 of 3)');
  // The rows show the preset's failures.
  await expect(pane.locator('[data-attempt="3"]').getByLabel('Error')).toHaveValue('States.TaskFailed');

  await selectState(page, 'Notify Failure');
  const flow = pane.getByRole('region', { name: 'Input and output' });
  await expect(flow).toContainText('InputPath: (default $)');
  await expect(flow).toContainText('Parameters: {"Message":"Batch job submitted through Step Functions failed"');
  await expect(flow).toContainText('Resource: arn:aws:states:::sns:publish');
  await expect(flow).toContainText('ResultPath: (default $)');
  // The catcher's error output is this state's input; SNS's response its result.
  await expect(flow.locator('pre.json').first()).toContainText('"Error": "States.TaskFailed"');
  await expect(flow).toContainText('"MessageId"');
  await expect(flow).toContainText('"Message": "Batch job submitted through Step Functions failed"');
});

test('ask mode asks at each undecided attempt and answering advances', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  await page.getByLabel('Ask me when it happens').check();
  await page.getByRole('button', { name: 'Run to end' }).click();
  const question = inspector(page).getByRole('region', { name: 'Question' });
  await expect(question).toContainText('What happens at attempt 1 of Submit Batch Job?');
  await question.getByRole('button', { name: 'Fail', exact: true }).click();
  await expect(question).toHaveCount(0);
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(question).toContainText('What happens at attempt 2 of Submit Batch Job?');
  await question.getByRole('button', { name: 'Succeed', exact: true }).click();
  await page.getByRole('button', { name: 'Run to end' }).click();
  // Notify Success is asked about too (every Task attempt is undecided).
  await expect(question).toContainText('What happens at attempt 1 of Notify Success?');
  await question.getByRole('button', { name: 'Succeed', exact: true }).click();
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(page.getByRole('status')).toContainText('Succeeded');
  await expect(node(page, 'Notify Success')).toHaveAttribute('data-status', 'succeeded');
  // The answers are now injected outcomes.
  await selectState(page, 'Submit Batch Job');
  await expect(inspector(page).getByLabel('Attempt 1')).toHaveValue('fail');
  await expect(inspector(page).getByLabel('Attempt 2')).toHaveValue('succeed');
});

test('an invalid Succeed result is reported inline and not applied', async ({ page }) => {
  await open(page, '?sample=batch-catch-notify');
  await selectState(page, 'Notify Success');
  const pane = inspector(page);
  await pane.getByLabel('Attempt 1').selectOption({ label: 'Succeed' });
  const result = pane.getByLabel('Result');
  await expect(result).toHaveValue(/"MessageId"/);
  await result.fill('{"MessageId": ');
  await expect(pane.getByRole('alert')).toContainText('Not valid JSON');
  await result.fill('{"MessageId": "m-1"}');
  await expect(pane.getByRole('alert')).toHaveCount(0);
  await page.getByRole('button', { name: 'Run to end' }).click();
  const flow = pane.getByRole('region', { name: 'Input and output' });
  await expect(flow).toContainText('"MessageId": "m-1"');
});

test('batch-with-lambda: the path error teaching moment, then a scenario that succeeds', async ({ page }) => {
  await open(page, '?sample=batch-with-lambda');
  await expect(page.getByLabel('Scenario')).toHaveValue('Default Lambda response → path error');
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(page.getByRole('status')).toContainText('Failed');
  await selectState(page, 'Generate batch job input');
  await expect(inspector(page).getByRole('region', { name: 'Why' })).toContainText('States.Runtime');
  await expect(inspector(page).getByRole('region', { name: 'Input and output' })).toContainText('OutputPath: $.batch_input');
  await page.getByLabel('Scenario').selectOption({ label: 'Happy path' });
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(page.getByRole('status')).toContainText('Succeeded');
  await expect(node(page, 'Submit Batch Job')).toHaveAttribute('data-status', 'succeeded');
});

test('batch-fan-out-map: one failing job fails the Map', async ({ page }) => {
  await open(page, '?sample=batch-fan-out-map');
  await page.getByLabel('Scenario').selectOption({ label: 'Happy path' });
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(page.getByRole('status')).toContainText('Succeeded');
  await selectState(page, 'Submit Batch Job');
  await expect(inspector(page).getByLabel('Visit')).toBeVisible();
  await page.getByLabel('Scenario').selectOption({ label: 'Uncaught failure' });
  // A new scenario plays from the start.
  await expect(page.getByRole('status').first()).toContainText('Not started');
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(page.getByRole('status')).toContainText('Failed');
  await expect(node(page, 'Fan out batch jobs')).toHaveAttribute('data-status', 'failed');
});

test('screenshots of the inspector (light and dark, 1280 and 1024 wide)', async ({ page }) => {
  test.skip(!process.env.UPDATE_SCREENSHOTS, 'set UPDATE_SCREENSHOTS=1 to write them');
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: 800 });
      await open(page, '?sample=batch-retry-catch-notify');
      await page.getByLabel('Scenario').selectOption({ label: 'Fails once, recovers on retry' });
      await page.getByRole('button', { name: 'Run to end' }).click();
      await selectState(page, 'Submit Batch Job');
      await page.screenshot({ path: `/tmp/inspector-${scheme}-${width}.png` });
    }
  }
  // The whole column, on a tall page.
  await page.setViewportSize({ width: 1280, height: 2400 });
  await inspector(page).screenshot({ path: '/tmp/inspector-column.png' });
});
