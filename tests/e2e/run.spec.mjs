// The bottom strip: step controls, keys, the virtual clock, the timeline and the event history.
import { test, expect, open } from './fixtures.mjs';

const button = (page, name) => page.getByRole('button', { name, exact: true });
const currentRow = (page) => page.locator('.history-row[aria-current="true"]');
const historyRows = (page) => page.locator('.history-rows [role="row"]');

/** Replace the definition (and wait until it ran). */
async function setDefinition(page, definition) {
  await page.getByLabel('Definition').fill(JSON.stringify(definition, null, 2));
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(button(page, 'Run to end')).toBeEnabled();
}

test('step forward and back move the status and the highlighted history row', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  const status = page.getByRole('status');
  await expect(status).toContainText('Not started');
  await expect(button(page, 'Step back')).toBeDisabled();
  await expect(currentRow(page)).toHaveCount(0);

  await button(page, 'Step forward').click();
  await expect(status).toContainText('Running');
  await expect(currentRow(page)).toHaveAttribute('data-event-id', '1');
  await expect(currentRow(page)).toContainText('ExecutionStarted');
  await button(page, 'Step forward').click();
  await expect(currentRow(page)).toHaveAttribute('data-event-id', '2');
  await expect(currentRow(page)).toContainText('Submit Batch Job');
  // Later events are greyed, not hidden.
  await expect(page.locator('.history-row.future[data-event-id="3"]')).toBeVisible();

  await button(page, 'Step back').click();
  await expect(currentRow(page)).toHaveAttribute('data-event-id', '1');
  await button(page, 'Step back').click();
  await expect(status).toContainText('Not started');
  await expect(currentRow(page)).toHaveCount(0);
});

test('run to end, reset, and stepping by state', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  const status = page.getByRole('status');
  await button(page, 'Run to end').click();
  await expect(status).toContainText('Succeeded');
  await expect(status).toContainText('T+02:00');
  await expect(page.locator('.run-clock')).toHaveText('T+02:00');
  await expect(currentRow(page)).toContainText('ExecutionSucceeded');
  await expect(button(page, 'Step forward')).toBeDisabled();
  await expect(button(page, 'Run to end')).toBeDisabled();
  await expect(page.locator('.history-row.future')).toHaveCount(0);

  await button(page, 'Reset').click();
  await expect(status).toContainText('Not started');
  await expect(page.locator('.run-clock')).toHaveText('T+00:00');

  await page.getByRole('button', { name: 'By state' }).click();
  await button(page, 'Step forward').click();
  await button(page, 'Step forward').click();
  // ExecutionStarted, TaskStateEntered, then straight to the next state entered.
  await expect(currentRow(page)).toContainText('TaskStateEntered');
  await expect(currentRow(page)).toContainText('Notify Success');
});

test('keys step through the trace, but not while typing', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  const status = page.getByRole('status');
  await page.locator('.timeline-legend').click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(currentRow(page)).toHaveAttribute('data-event-id', '2');
  await page.keyboard.press('ArrowLeft');
  await expect(currentRow(page)).toHaveAttribute('data-event-id', '1');
  await page.keyboard.press('End');
  await expect(status).toContainText('Succeeded');
  await page.keyboard.press('Home');
  await expect(status).toContainText('Not started');

  const editor = page.getByLabel('Definition');
  await editor.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('End');
  await expect(status).toContainText('Not started');
});

test('play advances on its own and pauses', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  await page.getByLabel('Speed').selectOption('16');
  await button(page, 'Play').click();
  await expect(button(page, 'Pause')).toBeVisible();
  await expect(page.getByRole('status')).toContainText('Succeeded', { timeout: 5000 });
  // At the end play stops by itself.
  await expect(button(page, 'Play')).toBeVisible();
});

test('a Wait state shows on the clock and as a grey bar', async ({ page }) => {
  await open(page);
  await setDefinition(page, {
    StartAt: 'Pause',
    States: {
      Pause: { Type: 'Wait', Seconds: 30, Next: 'Done' },
      Done: { Type: 'Succeed' },
    },
  });
  await button(page, 'Run to end').click();
  await expect(page.locator('.run-clock')).toHaveText('T+00:30');
  await expect(page.getByRole('status')).toContainText('T+00:30');
  await expect(page.locator('.timeline .bar.wait')).toHaveCount(1);
  await expect(page.locator('.timeline-axis')).toContainText('30s');
});

test('retry waits of 30 s and 45 s show on the clock and the timeline', async ({ page }) => {
  await open(page);
  // A Parallel whose branch always fails: retried after 30 s, then 30 s × 1.5 = 45 s, then caught.
  await setDefinition(page, {
    StartAt: 'Job',
    States: {
      Job: {
        Type: 'Parallel',
        Branches: [{ StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Job.Failed', Cause: 'exit 1' } } }],
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 30, MaxAttempts: 2, BackoffRate: 1.5 }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recovered' }],
        Next: 'Done',
      },
      Recovered: { Type: 'Pass', End: true },
      Done: { Type: 'Succeed' },
    },
  });
  const waits = page.locator('.timeline .bar.retry-wait');
  await expect(waits).toHaveCount(2);
  await expect(waits.nth(0).locator('title')).toContainText('waiting 30 s before attempt 2');
  await expect(waits.nth(1).locator('title')).toContainText('waiting 45 s before attempt 3');
  // The branch is a lane under the execution lane, with its Fail state once per attempt.
  await expect(page.locator('.timeline .lane')).toHaveCount(2);
  await expect(page.locator('.timeline .lane').nth(1).locator('.bar.instant.failed')).toHaveCount(3);

  // The clock at each failed attempt: T+00:00, T+00:30, T+01:15.
  const clock = page.locator('.run-clock');
  const failures = page.locator('.timeline .lane').first().locator('.bar.span.failed');
  await expect(failures).toHaveCount(3);
  await failures.nth(1).click();
  await expect(clock).toHaveText('T+00:30');
  // The last run ends when the caught error enters "Recovered": their bars touch, so click
  // the run itself.
  await failures.nth(2).dispatchEvent('click');
  await expect(clock).toHaveText('T+01:15');
  await expect(page.getByRole('status')).toContainText('Running');
  await button(page, 'Run to end').click();
  await expect(page.getByRole('status')).toContainText('Succeeded · T+01:15');
});

test('history filters by type and state, and a click moves the cursor', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  await page.getByLabel('Filter events by type').selectOption('TaskScheduled');
  await expect(historyRows(page)).toHaveCount(2);
  await page.getByLabel('Filter events by state').selectOption('Notify Success');
  await expect(historyRows(page)).toHaveCount(1);
  await expect(historyRows(page).first()).toContainText('sns:publish');
  await page.getByLabel('Filter events by type').selectOption('');
  const rows = historyRows(page);
  const n = await rows.count();
  expect(n).toBeGreaterThan(2);
  for (let i = 0; i < n; i++) await expect(rows.nth(i)).toContainText('Notify Success');
  await page.getByLabel('Filter events by state').selectOption('');

  await page.locator('.history-row[data-event-id="5"]').click();
  await expect(currentRow(page)).toHaveAttribute('data-event-id', '5');
  await expect(currentRow(page)).toContainText('TaskSubmitted');
  await expect(page.getByRole('status')).toContainText('Running');
  await expect(page.getByLabel('Position in the history')).toHaveValue('5');

  // Details open in a side panel, as AWS returns the event (JSON text stays text).
  await page.getByRole('button', { name: 'Details of event 3' }).click();
  const detail = page.getByRole('complementary', { name: 'Event 3 details' });
  await expect(detail).toContainText('taskScheduledEventDetails');
  await expect(detail).toContainText('"parameters": "{\\"JobName\\"');
  await expect(currentRow(page)).toHaveAttribute('data-event-id', '5');
});

test('a long history renders only the rows in view', async ({ page }) => {
  await open(page);
  await setDefinition(page, {
    StartAt: 'Items',
    States: {
      Items: {
        Type: 'Pass',
        Parameters: { 'list.$': 'States.ArrayRange(1, 1000, 1)' },
        OutputPath: '$.list',
        Next: 'Fan',
      },
      Fan: {
        Type: 'Map',
        ItemProcessor: { StartAt: 'Touch', States: { Touch: { Type: 'Pass', End: true } } },
        End: true,
      },
    },
  });
  const count = page.locator('.history-count');
  await expect(count).toContainText(/of \d{4,} events/);
  const total = Number((await count.textContent()).match(/of (\d+) events/)[1]);
  expect(total).toBeGreaterThan(1000);
  expect(await historyRows(page).count()).toBeLessThan(200);
  // The timeline draws only the lanes in view too (1,001 lanes here).
  expect(await page.locator('.timeline .lane').count()).toBeLessThan(100);

  // End: the last row is highlighted and scrolled into view, still few rows in the DOM.
  await button(page, 'Run to end').click();
  await expect(currentRow(page)).toContainText('ExecutionSucceeded');
  await expect(currentRow(page)).toBeInViewport();
  expect(await historyRows(page).count()).toBeLessThan(200);

  // Scrolling far renders the rows there.
  const started = Date.now();
  await page.locator('.history-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
  await expect(page.locator(`.history-row[data-event-id="${Math.floor(total / 2)}"]`)).toBeAttached();
  console.log(`scroll to the middle of ${total} events rendered in ${Date.now() - started} ms`);
  expect(await historyRows(page).count()).toBeLessThan(200);
});

test('without a trace the strip says why and the controls are disabled', async ({ page }) => {
  await open(page);
  await page.getByLabel('Definition').fill('{ "StartAt": ');
  await expect(page.locator('.run-blocked')).toContainText('fix them to run');
  await expect(button(page, 'Step forward')).toBeDisabled();
  await expect(button(page, 'Play')).toBeDisabled();
});
