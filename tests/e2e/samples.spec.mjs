// The playground flows of issue 5, played on each of the four AWS samples: inject outcomes (the
// outcome panel and the presets), step forward and back (buttons and keys, by event and by
// state), and read the graph statuses, the virtual clock, the inspector's data flow and
// explanations. One page per sample; each test is one learner's session.
import { test, expect, open } from './fixtures.mjs';
import { button, inspector, node, status, definition, selectState, graphStatuses } from './helpers.mjs';

// Independent sessions (one page each): let the runner spread them over its workers.
test.describe.configure({ mode: 'parallel' });

const region = (page, name) => inspector(page).getByRole('region', { name, exact: true });
const attemptRow = (page, n) => inspector(page).locator(`[data-attempt="${n}"]`);
const currentRow = (page) => page.locator('.history-row[aria-current="true"]');
/** A stage of the inspector's data-flow card ("Input", "After Parameters", "Output", …). */
const stage = (page, label) =>
  region(page, 'Input and output').locator('.dataflow > li').filter({
    has: page.locator('.stage-label', { hasText: new RegExp(`^${label}$`) }),
  });

/** Take the focus off any form field, so that the arrow keys step through the trace. */
async function focusPage(page) {
  await page.getByRole('heading', { name: 'Stepwise' }).click();
}

/** Press a key `n` times (the page's stepping keys). */
async function press(page, key, n = 1) {
  for (let i = 0; i < n; i++) await page.keyboard.press(key);
}

test('batch-retry-catch-notify: two failures wait 30 s then 45 s, the third is caught; step back and change one', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  await expect(page.getByLabel('Sample')).toHaveValue('batch-retry-catch-notify');
  await expect(status(page)).toHaveText('Not started · T+00:00');
  expect(await graphStatuses(page)).toEqual([
    'Notify Failure=not-run',
    'Notify Success=not-run',
    'Submit Batch Job=not-run',
  ]);

  // Inject through the outcome panel: attempt 1 fails with a typed error after 0 s, attempt 2
  // with the service's default failure after 0 s, attempt 3 fails (default duration, 2 min).
  await selectState(page, 'Submit Batch Job');
  await expect(inspector(page).getByRole('heading', { name: 'Outcomes for Submit Batch Job' })).toBeVisible();
  await expect(inspector(page).getByLabel(/^Attempt \d$/)).toHaveCount(3);
  await inspector(page).getByLabel('Attempt 1').selectOption({ label: 'Fail' });
  await attemptRow(page, 1).getByLabel('Error').fill('Custom.DiskFull');
  await attemptRow(page, 1).getByLabel('Cause').fill('no space left on device');
  await attemptRow(page, 1).getByLabel('Duration (s)').fill('0');
  await inspector(page).getByLabel('Attempt 2').selectOption({ label: 'Fail' });
  await expect(attemptRow(page, 2).getByLabel('Error')).toHaveValue('States.TaskFailed');
  await attemptRow(page, 2).getByLabel('Duration (s)').fill('0');
  await inspector(page).getByLabel('Attempt 3').selectOption({ label: 'Fail' });
  await expect(page.getByLabel('Scenario')).toHaveValue('');
  await expect(page.getByLabel('Scenario').locator('option:checked')).toHaveText('Custom outcomes');

  // Step with the keys, one event at a time. Events 1–6: started, entered, attempt 1 (0 s).
  await focusPage(page);
  await press(page, 'ArrowRight', 2);
  await expect(node(page, 'Submit Batch Job')).toHaveAttribute('data-status', 'in-progress');
  await expect(status(page)).toHaveText('Running · T+00:00');
  await press(page, 'ArrowRight', 4);
  await expect(currentRow(page)).toHaveAttribute('data-event-id', '6');
  await expect(currentRow(page)).toContainText('TaskFailed');
  await expect(status(page)).toHaveText('Running · T+00:00');
  await expect(region(page, 'Why')).toContainText('Retrier #1 matches Custom.DiskFull');
  await expect(region(page, 'Why')).toContainText('30 s × 1.5⁰ = 30 s');
  await expect(region(page, 'Why')).not.toContainText('45 s');
  // Attempt 2 is scheduled 30 s later.
  await press(page, 'ArrowRight');
  await expect(currentRow(page)).toContainText('TaskScheduled');
  await expect(status(page)).toHaveText('Running · T+00:30');
  await expect(node(page, 'Submit Batch Job').locator('.retry-badge')).toHaveText('2/3');
  // Attempt 2 fails at once; attempt 3 is scheduled 30 s × 1.5 = 45 s later: T+01:15.
  await press(page, 'ArrowRight', 3);
  await expect(currentRow(page)).toContainText('TaskFailed');
  await expect(status(page)).toHaveText('Running · T+00:30');
  await press(page, 'ArrowRight');
  await expect(status(page)).toHaveText('Running · T+01:15');
  await expect(region(page, 'Why')).toContainText('30 s × 1.5¹ = 45 s');
  await expect(node(page, 'Submit Batch Job').locator('.retry-badge')).toHaveText('3/3');
  await expect(node(page, 'Notify Failure')).toHaveAttribute('data-status', 'not-run');

  // To the end: retries exhausted, the Catch sends the error to Notify Failure.
  await press(page, 'End');
  await expect(status(page)).toHaveText('Succeeded · T+03:15');
  expect(await graphStatuses(page)).toEqual([
    'Notify Failure=succeeded',
    'Notify Success=not-run',
    'Submit Batch Job=caught',
  ]);
  // Caught is drawn orange (AWS's palette), unlike succeeded.
  const stroke = (name) => node(page, name).locator('.state-box').evaluate((el) => getComputedStyle(el).stroke);
  const [r, g, b] = (await stroke('Submit Batch Job')).match(/\d+/g).map(Number);
  expect(r > 180 && g > 70 && g < 170 && b < 80, `caught stroke rgb(${r}, ${g}, ${b}) is orange`).toBe(true);
  expect(await stroke('Notify Failure')).not.toBe(await stroke('Submit Batch Job'));
  await expect(region(page, 'Why')).toContainText('Catcher #1 matches States.TaskFailed');
  await expect(region(page, 'Why')).toContainText('Next: Notify Failure');
  const attempts = region(page, 'Attempts');
  await expect(attempts).toContainText('Attempts (3 of 3)');
  await expect(attempts).toContainText('Failed · Custom.DiskFull');
  await expect(attempts).toContainText('throws Custom.DiskFull: no space left on device after 0 ms');
  await expect(attempts.locator('.retry-wait')).toHaveText(['↻ retry after 30 s', '↻ retry after 45 s']);
  // The caught error is Notify Failure's input (the Catcher has no ResultPath: it replaces it).
  await selectState(page, 'Notify Failure');
  const input = stage(page, 'Input').locator('pre.json');
  await expect(input).toContainText('"Error": "States.TaskFailed"');
  await expect(input).toContainText('Essential container in task exited');
  await expect(stage(page, 'After Parameters')).toContainText('"Message": "Batch job submitted through Step Functions failed"');

  // Step back by state with the buttons: Notify Failure entered, then Submit Batch Job entered.
  await page.getByRole('button', { name: 'By state' }).click();
  await button(page, 'Step back').click();
  await expect(currentRow(page)).toContainText('TaskStateEntered');
  await expect(currentRow(page)).toContainText('Notify Failure');
  await expect(node(page, 'Notify Failure')).toHaveAttribute('data-status', 'in-progress');
  await expect(node(page, 'Submit Batch Job')).toHaveAttribute('data-status', 'caught');
  await expect(status(page)).toHaveText('Running · T+03:15');
  await button(page, 'Step back').click();
  await expect(currentRow(page)).toContainText('Submit Batch Job');
  await expect(node(page, 'Submit Batch Job')).toHaveAttribute('data-status', 'in-progress');
  await expect(node(page, 'Notify Failure')).toHaveAttribute('data-status', 'not-run');
  await expect(status(page)).toHaveText('Running · T+00:00');
  await button(page, 'Step back').click();
  await expect(status(page)).toHaveText('Not started · T+00:00');
  await expect(currentRow(page)).toHaveCount(0);

  // Change one outcome: the third attempt succeeds. The run now ends at Notify Success.
  await selectState(page, 'Submit Batch Job');
  await inspector(page).getByLabel('Attempt 3').selectOption({ label: 'Succeed' });
  await expect(inspector(page).getByLabel('Result')).toHaveValue(/"Status": "SUCCEEDED"/);
  // By state: the first state entered, then the next one.
  await button(page, 'Step forward').click();
  await expect(currentRow(page)).toHaveAttribute('data-event-id', '2');
  await button(page, 'Step forward').click();
  await expect(currentRow(page)).toContainText('Notify Success');
  await expect(status(page)).toHaveText('Running · T+03:15');
  await button(page, 'Run to end').click();
  expect(await graphStatuses(page)).toEqual([
    'Notify Failure=not-run',
    'Notify Success=succeeded',
    'Submit Batch Job=succeeded',
  ]);

  // A preset: "Uncaught failure" plays from the start and fails the execution.
  await page.getByLabel('Scenario').selectOption({ label: 'Uncaught failure' });
  await expect(status(page)).toHaveText('Not started · T+00:00');
  await button(page, 'Run to end').click();
  await expect(status(page)).toHaveText(/^Failed · T\+02:00$/);
  expect(await graphStatuses(page)).toEqual([
    'Notify Failure=not-run',
    'Notify Success=failed',
    'Submit Batch Job=succeeded',
  ]);
  await selectState(page, 'Notify Success');
  await expect(region(page, 'Why')).toContainText('SNS.InternalErrorException');
  await expect(region(page, 'Why')).toContainText('No Catch is defined');
  await expect(currentRow(page)).toContainText('ExecutionFailed');
});

test('batch-catch-notify: no Retry, the first failure is caught; an uncaught one fails the run; a ResultPath edit shows in the data flow', async ({ page }) => {
  await open(page, '?sample=batch-catch-notify');
  // A preset: SubmitJob throttled → straight to the Catch (no Retry, no TaskSubmitted).
  await page.getByLabel('Scenario').selectOption({ label: 'Submit throttled → Catch' });
  await expect(status(page)).toHaveText('Not started · T+00:00');
  await page.getByRole('button', { name: 'By state' }).click();
  await button(page, 'Step forward').click();
  await expect(node(page, 'Submit Batch Job')).toHaveAttribute('data-status', 'in-progress');
  await button(page, 'Step forward').click();
  expect(await graphStatuses(page)).toEqual([
    'Notify Failure=in-progress',
    'Notify Success=not-run',
    'Submit Batch Job=caught',
  ]);
  await expect(status(page)).toHaveText(/^Running · T\+\d\d:\d\d$/);
  await selectState(page, 'Submit Batch Job');
  await expect(region(page, 'Why')).toContainText('No Retry is defined.');
  await expect(region(page, 'Why')).toContainText('Catcher #1 matches Batch.AWSBatchException');
  await expect(inspector(page).getByLabel(/^Attempt \d$/)).toHaveCount(1);
  await expect(page.locator('.history-rows')).not.toContainText('TaskSubmitted');

  // The outcome panel: Notify Failure fails too — nothing catches it, the execution fails.
  await selectState(page, 'Notify Failure');
  await inspector(page).getByLabel('Attempt 1').selectOption({ label: 'Fail' });
  await attemptRow(page, 1).getByLabel('Error').fill('SNS.AuthorizationErrorException');
  await focusPage(page);
  await press(page, 'End');
  await expect(status(page)).toHaveText(/^Failed · /);
  expect(await graphStatuses(page)).toEqual([
    'Notify Failure=failed',
    'Notify Success=not-run',
    'Submit Batch Job=caught',
  ]);
  await expect(region(page, 'Why')).toContainText('No Catch is defined: SNS.AuthorizationErrorException fails the state.');
  await expect(currentRow(page)).toContainText('ExecutionFailed');
  // One step back (by state: to the last state entered) and the execution is running again.
  await press(page, 'ArrowLeft');
  await expect(status(page)).toHaveText(/^Running · /);
  await expect(node(page, 'Notify Failure')).toHaveAttribute('data-status', 'in-progress');

  // Edit the definition: Submit Batch Job keeps its input and puts the job under $.job.
  const text = await definition(page).inputValue();
  const edited = text.replace('"Next": "Notify Success",', '"ResultPath": "$.job",\n      "Next": "Notify Success",');
  expect(edited).not.toBe(text);
  await definition(page).fill(edited);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByLabel('Sample')).toHaveValue('');
  // Back to the engine's defaults for both Tasks: the job succeeds.
  await page.getByRole('tab', { name: 'Input' }).click();
  await page.getByLabel('Input', { exact: true }).fill('{\n  "request": "r-42"\n}');
  await selectState(page, 'Submit Batch Job');
  await inspector(page).getByRole('button', { name: 'Use the defaults for this state' }).click();
  await selectState(page, 'Notify Failure');
  await inspector(page).getByRole('button', { name: 'Use the defaults for this state' }).click();
  await button(page, 'Run to end').click();
  await expect(status(page)).toHaveText('Succeeded · T+02:00');
  await selectState(page, 'Submit Batch Job');
  const after = stage(page, 'After ResultPath');
  await expect(after.locator('.stage-expr')).toHaveText('ResultPath: $.job');
  await expect(after.locator('pre.json')).toContainText('"request": "r-42"');
  await expect(after.locator('pre.json')).toContainText('"job": {');
  await expect(after.locator('pre.json')).toContainText('"Status": "SUCCEEDED"');
  await selectState(page, 'Notify Success');
  await expect(stage(page, 'Input').locator('pre.json')).toContainText('"request": "r-42"');
  expect(await graphStatuses(page)).toEqual([
    'Notify Failure=not-run',
    'Notify Success=succeeded',
    'Submit Batch Job=succeeded',
  ]);
});

test('batch-with-lambda: the path error, a Lambda result typed in the panel flows into the job; a broken edit is reported at its line', async ({ page }) => {
  await open(page, '?sample=batch-with-lambda');
  await expect(page.getByLabel('Scenario')).toHaveValue('Default Lambda response → path error');
  await button(page, 'Run to end').click();
  await expect(status(page)).toHaveText(/^Failed · /);
  expect(await graphStatuses(page)).toEqual(['Generate batch job input=failed', 'Submit Batch Job=not-run']);
  await selectState(page, 'Generate batch job input');
  await expect(region(page, 'Why')).toContainText('States.Runtime');
  await expect(stage(page, 'Output')).toContainText('not reached');

  // The panel: the function's response has batch_input nested twice (OutputPath keeps one).
  await inspector(page).getByLabel('Attempt 1').selectOption({ label: 'Succeed' });
  await expect(inspector(page).getByLabel('Result')).toHaveValue(/"Payload": \{\}/);
  await inspector(page).getByLabel('Result').fill('{"batch_input": {"batch_input": {"inputFile": "s3://b/in.csv"}}}');
  await expect(inspector(page).getByRole('alert')).toHaveCount(0);
  await button(page, 'Reset').click();
  await expect(status(page)).toHaveText('Not started · T+00:00');
  // By state with the buttons: the Lambda, then the job, then the end.
  await page.getByRole('button', { name: 'By state' }).click();
  await button(page, 'Step forward').click();
  await expect(currentRow(page)).toHaveAttribute('data-event-id', '2');
  expect(await graphStatuses(page)).toEqual(['Generate batch job input=in-progress', 'Submit Batch Job=not-run']);
  await button(page, 'Step forward').click();
  expect(await graphStatuses(page)).toEqual(['Generate batch job input=succeeded', 'Submit Batch Job=in-progress']);
  await expect(stage(page, 'Output').locator('.stage-expr')).toHaveText('OutputPath: $.batch_input');
  await expect(stage(page, 'Output').locator('pre.json')).toHaveText('{\n  "batch_input": {\n    "inputFile": "s3://b/in.csv"\n  }\n}');
  await selectState(page, 'Submit Batch Job');
  await expect(stage(page, 'After Parameters').locator('pre.json')).toContainText('"Parameters": {\n    "inputFile": "s3://b/in.csv"\n  }');
  // In progress: the result is not revealed yet.
  await expect(stage(page, 'Result')).toContainText('not yet');
  await button(page, 'Step forward').click();
  await expect(status(page)).toHaveText('Succeeded · T+02:00');
  await expect(stage(page, 'Result').locator('pre.json')).toContainText('"Status": "SUCCEEDED"');

  // A broken edit: the JSON error is listed at its line, the last graph stays (dimmed).
  const text = await definition(page).inputValue();
  const line = text.split('\n').findIndex((l) => l.includes('"Next": "Submit Batch Job"')) + 1;
  expect(line).toBe(13);
  await definition(page).fill(text.replace('"Next": "Submit Batch Job"', '"Next": "Submit Batch Job",,'));
  const problems = page.getByRole('alert');
  await expect(problems).toContainText('INVALID_JSON_DESCRIPTION');
  await expect(problems).toContainText(`Definition ${line}:`);
  await expect(page.locator('.je-ln.je-err')).toHaveText([String(line)]);
  await expect(page.locator('.graph-viewport')).toHaveClass(/stale/);
  await expect(page.locator('.graph-stale-note')).toContainText('Showing the last valid graph');
  await expect(node(page, 'Submit Batch Job')).toHaveCount(1);
  await expect(status(page)).toHaveText('Cannot run');
  await expect(button(page, 'Step forward')).toBeDisabled();
  // A valid JSON with a wrong target: reported at the Next's line, the graph is not stale.
  await definition(page).fill(text.replace('"Next": "Submit Batch Job"', '"Next": "Submit Batch Jobs"'));
  await expect(problems).toContainText(`Definition ${line}:15`);
  await expect(problems).toContainText("Missing 'Next' target: Submit Batch Jobs");
  await expect(page.locator('.graph-viewport')).not.toHaveClass(/stale/);
  // Fixed: no problems, the same outcomes run again.
  await definition(page).fill(text);
  await expect(problems).toHaveCount(0);
  await expect(page.locator('.graph-stale-note')).toHaveCount(0);
  await expect(page.locator('.graph-viewport')).not.toHaveClass(/stale/);
  await button(page, 'Run to end').click();
  await expect(status(page)).toHaveText('Succeeded · T+02:00');
  expect(await graphStatuses(page)).toEqual(['Generate batch job input=succeeded', 'Submit Batch Job=succeeded']);

  // Time out: the Task has no TimeoutSeconds, so the execution's TimeoutSeconds (3600) ends it.
  await selectState(page, 'Submit Batch Job');
  await inspector(page).getByLabel('Attempt 1').selectOption({ label: 'Time out' });
  await expect(attemptRow(page, 1)).toContainText("AWS's default of 99,999,999 s applies");
  // The cursor was at the end and stays there: the new run's end.
  await expect(button(page, 'Run to end')).toBeDisabled();
  await expect(status(page)).toHaveText('Timed out · T+1:00:00');
  await expect(currentRow(page)).toContainText('ExecutionTimedOut');
});

// A state still running when the execution's TimeoutSeconds ends the run ends with it: failed,
// with the reason in "What happened".
test('an attempt hung until the execution times out is shown as failed, with the reason', async ({ page }) => {
  await open(page, '?sample=batch-with-lambda');
  await page.getByLabel('Scenario').selectOption({ label: 'Happy path' });
  await selectState(page, 'Submit Batch Job');
  await inspector(page).getByLabel('Attempt 1').selectOption({ label: 'Time out' });
  await button(page, 'Run to end').click();
  await expect(status(page)).toHaveText('Timed out · T+1:00:00');
  await expect(node(page, 'Submit Batch Job')).toHaveAttribute('data-status', 'failed');
  await expect(region(page, 'Why')).toContainText(/timed out|TimeoutSeconds/i);
});

test('batch-fan-out-map: three iterations on the graph, timeline and inspector; one failing item fails the Map', async ({ page }) => {
  await open(page, '?sample=batch-fan-out-map');
  // The default Lambda payload is {}: the Map cannot iterate.
  await expect(page.getByLabel('Scenario')).toHaveValue('Default Lambda response → Map fails');
  await button(page, 'Run to end').click();
  await expect(status(page)).toHaveText(/^Failed · /);
  await expect(node(page, 'Fan out batch jobs')).toHaveAttribute('data-status', 'failed');
  await expect(node(page, 'Submit Batch Job')).toHaveAttribute('data-status', 'not-run');

  await page.getByLabel('Scenario').selectOption({ label: 'Happy path' });
  await expect(status(page)).toHaveText('Not started · T+00:00');
  // Step by event with the button until the first iteration's job is running.
  for (let i = 0; i < 40; i++) {
    if ((await node(page, 'Submit Batch Job').getAttribute('data-status')) === 'in-progress') break;
    await button(page, 'Step forward').click();
  }
  expect(await graphStatuses(page)).toEqual([
    'Fan out batch jobs=in-progress',
    'Generate batch job input=succeeded',
    'Submit Batch Job=in-progress',
  ]);
  await button(page, 'Run to end').click();
  await expect(status(page)).toHaveText('Succeeded · T+02:00');
  expect(await graphStatuses(page)).toEqual([
    'Fan out batch jobs=succeeded',
    'Generate batch job input=succeeded',
    'Submit Batch Job=succeeded',
  ]);
  // The timeline: the execution lane and one lane per iteration.
  await expect(page.locator('.timeline .lane')).toHaveCount(4);
  // The Map's data flow: the items, then the three job details in item order.
  await page.locator('g[data-state="Fan out batch jobs"] .state-box').click();
  await expect(inspector(page).getByRole('heading', { level: 2 })).toHaveText('Fan out batch jobs');
  await expect(stage(page, 'After ItemsPath').locator('pre.json')).toHaveText('[\n  1,\n  2,\n  3\n]');
  await expect(stage(page, 'Result').locator('pre.json')).toContainText('"JobName": "BatchJobFanOut"');
  expect((await stage(page, 'Result').locator('pre.json').innerText()).match(/"Status": "SUCCEEDED"/g)).toHaveLength(3);
  // Each iteration is a visit of the inner Task, with its own item.
  await selectState(page, 'Submit Batch Job');
  const visit = inspector(page).getByLabel('Visit');
  await expect(visit.locator('option')).toHaveText([
    '1 of 3 · Fan out batch jobs#0',
    '2 of 3 · Fan out batch jobs#1',
    '3 of 3 · Fan out batch jobs#2',
  ]);
  await visit.selectOption({ label: '2 of 3 · Fan out batch jobs#1' });
  await expect(stage(page, 'Input').locator('pre.json')).toHaveText('{\n  "BatchNumber": 2\n}');
  await expect(inspector(page).getByLabel(/^Attempt \d$/)).toHaveCount(3);

  // The second item's job fails (outcome panel): the iteration, the Map and the run fail.
  await inspector(page).getByLabel('Attempt 2').selectOption({ label: 'Fail' });
  await expect(attemptRow(page, 2).getByLabel('Error')).toHaveValue('States.TaskFailed');
  await focusPage(page);
  await press(page, 'End');
  await expect(status(page)).toHaveText('Failed · T+02:00');
  expect(await graphStatuses(page)).toEqual([
    'Fan out batch jobs=failed',
    'Generate batch job input=succeeded',
    'Submit Batch Job=failed',
  ]);
  await expect(page.locator('.history-rows')).toContainText('MapIterationFailed');
  await expect(currentRow(page)).toContainText('ExecutionFailed');
  await expect(attemptRow(page, 2).locator('.outcome-note')).toHaveText('This run: Fan out batch jobs#1 · attempt 1 failed: States.TaskFailed');
  await expect(attemptRow(page, 1).locator('.outcome-note')).toHaveText('This run: Fan out batch jobs#0 · attempt 1 succeeded');
  await expect(inspector(page).getByLabel('Visit').locator('option:checked')).toHaveText(/Fan out batch jobs#1/);
  await expect(region(page, 'Why')).toContainText('No Catch is defined: States.TaskFailed fails the state.');
  // Back one event: the execution is running again, the Map has failed.
  await press(page, 'ArrowLeft');
  await expect(status(page)).toHaveText('Running · T+02:00');
  await press(page, 'Home');
  await expect(status(page)).toHaveText('Not started · T+00:00');
  expect(await graphStatuses(page)).toEqual([
    'Fan out batch jobs=not-run',
    'Generate batch job input=not-run',
    'Submit Batch Job=not-run',
  ]);
});
