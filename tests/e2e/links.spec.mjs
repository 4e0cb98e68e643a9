// Share links (issue 6) on each of the four AWS samples: a scenario with injected failures, the
// cursor in the middle and a selected state opens identically in a fresh browser; broken links
// say what is wrong and keep the work on screen; user text in a shared definition stays text.
// (share.spec.mjs covers the Share dialog itself and broken links opened on a fresh page;
// autosave is tested there too.)
import { test, expect, open } from './fixtures.mjs';
import {
  button, inspector, node, status, definition, selectState, snapshot, freshPage, linkAround,
  attemptSelects,
} from './helpers.mjs';

// Independent sessions (one page each): let the runner spread them over its workers.
test.describe.configure({ mode: 'parallel' });

const attemptRow = (page, n) => inspector(page).locator(`[data-attempt="${n}"]`);

/** Share, check the dialog and the clipboard, return the link. */
async function share(page) {
  await button(page, 'Share').click();
  const dialog = page.getByRole('dialog', { name: 'Share' });
  await expect(dialog).toBeVisible();
  const url = await dialog.getByLabel('Share link').inputValue();
  expect(url).toMatch(/#v1\/[A-Za-z0-9_-]+$/);
  expect(url.length, 'a sample scenario fits in a chat message').toBeLessThan(2000);
  await expect(dialog.getByText('Copied to the clipboard.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  await dialog.getByRole('button', { name: 'Close' }).click();
  return url;
}

/** The outcome rows of every Task state (selecting each in turn), by state name. */
async function allOutcomes(page) {
  const tasks = await page.locator('g.state.task[data-state]').evaluateAll((els) =>
    els.map((el) => el.getAttribute('data-state')),
  );
  const out = {};
  for (const name of tasks) {
    await selectState(page, name);
    out[name] = await attemptSelects(page);
  }
  return out;
}

/** Open `url` in a new browser context: its snapshot and the outcomes of every Task. */
async function openFresh(browser, url) {
  const fresh = await freshPage(browser);
  await fresh.page.goto(url);
  await expect(fresh.page.getByRole('heading', { name: 'Stepwise' })).toBeVisible();
  await expect(fresh.page.getByRole('alert')).toHaveCount(0);
  const shot = await snapshot(fresh.page);
  const outcomes = await allOutcomes(fresh.page);
  expect(fresh.problems).toEqual([]);
  await fresh.context.close();
  return { shot, outcomes };
}

/** Each sample's scenario: injected failures, a cursor in the middle, a selected state. */
const SCENARIOS = {
  'batch-retry-catch-notify': async (page) => {
    await selectState(page, 'Submit Batch Job');
    await inspector(page).getByLabel('Attempt 1').selectOption({ label: 'Fail' });
    await attemptRow(page, 1).getByLabel('Error').fill('Custom.Shared');
    await attemptRow(page, 1).getByLabel('Cause').fill('typed by the author');
    await inspector(page).getByLabel('Attempt 2').selectOption({ label: 'Fail' });
    await attemptRow(page, 2).getByLabel('Failure').selectOption({ label: 'Throttled (Batch.AWSBatchException)' });
    await attemptRow(page, 2).getByLabel('Duration (s)').fill('7');
    await page.getByLabel('Position in the history').fill('8');
    await page.getByRole('button', { name: 'By state' }).click();
  },
  'batch-catch-notify': async (page) => {
    await page.getByLabel('Scenario').selectOption({ label: 'Fails once → Catch (no Retry)' });
    await page.getByRole('tab', { name: 'Input' }).click();
    await page.getByLabel('Input', { exact: true }).fill('{\n  "jobId": 7,\n  "note": "kept as typed"   \n}\n');
    await page.getByRole('button', { name: 'By state' }).click();
    await button(page, 'Step forward').click();
    await button(page, 'Step forward').click();
    await selectState(page, 'Submit Batch Job');
  },
  'batch-with-lambda': async (page) => {
    // An edit of the definition with odd formatting: the link keeps the text as typed.
    const text = await definition(page).inputValue();
    await definition(page).fill(text.replace('"Type": "Task",', '"Type":   "Task",  "Comment" : "edited",'));
    await selectState(page, 'Generate batch job input');
    await inspector(page).getByLabel('Attempt 1').selectOption({ label: 'Succeed' });
    await inspector(page).getByLabel('Result').fill('{"batch_input": {"batch_input": {"n": 1}}}');
    await selectState(page, 'Submit Batch Job');
    await inspector(page).getByLabel('Attempt 1').selectOption({ label: 'Time out' });
    await page.getByLabel('Position in the history').fill('9');
  },
  'batch-fan-out-map': async (page) => {
    await page.getByLabel('Scenario').selectOption({ label: 'Happy path' });
    await selectState(page, 'Submit Batch Job');
    await inspector(page).getByLabel('Attempt 3').selectOption({ label: 'Fail' });
    await attemptRow(page, 3).getByLabel('Failure').selectOption({ label: 'Invalid request (Batch.ClientException)' });
    await page.getByLabel('Position in the history').fill('20');
  },
};

for (const [sample, make] of Object.entries(SCENARIOS)) {
  test(`${sample}: a shared scenario opens identically in a fresh browser`, async ({ page, browser }) => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await open(page, `?sample=${sample}`);
    await make(page);
    const before = await snapshot(page);
    // The scenario is not trivial: outcomes injected, the cursor strictly inside the run.
    expect(before.attempts.some((a) => !/^Attempt \d+=default$/.test(a))).toBe(true);
    expect(before.status).toMatch(/^Running · T\+\d\d:\d\d$/);
    expect(before.selected).toHaveLength(1);
    const url = await share(page);
    // Sharing changes nothing on screen.
    expect(await snapshot(page)).toEqual(before);

    const after = await openFresh(browser, url);
    expect(after.shot).toEqual(before);
    // The outcomes of the other Tasks too.
    expect(Object.keys(after.outcomes).length).toBeGreaterThanOrEqual(2);
    expect(after.outcomes).toEqual(await allOutcomes(page));
  });
}

test('the view options travel too: step by state and the open editor tab', async ({ page, browser }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page, '?sample=batch-catch-notify');
  await page.getByRole('button', { name: 'By state' }).click();
  await page.getByRole('tab', { name: 'Input' }).click();
  await button(page, 'Step forward').click();
  const url = await share(page);
  const fresh = await freshPage(browser);
  await fresh.page.goto(url);
  await expect(fresh.page.getByRole('button', { name: 'By state' })).toHaveAttribute('aria-pressed', 'true');
  await expect(fresh.page.getByRole('tab', { name: 'Input' })).toHaveAttribute('aria-selected', 'true');
  await expect(fresh.page.getByLabel('Input', { exact: true })).toBeVisible();
  // Stepping by state from the first state entered reaches the next state entered.
  await button(fresh.page, 'Step forward').click();
  await expect(fresh.page.locator('.history-row[aria-current="true"]')).toContainText('Notify Success');
  expect(fresh.problems).toEqual([]);
  await fresh.context.close();
});

test('bad links each say what is wrong and keep the edited work', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  // Work to keep: injected failures, an edited input and definition, the cursor moved.
  await page.getByLabel('Scenario').selectOption({ label: 'Retries exhausted → Catch' });
  await page.getByRole('tab', { name: 'Input' }).click();
  await page.getByLabel('Input', { exact: true }).fill('{\n  "mine": "unsaved edit"\n}\n');
  await page.getByRole('tab', { name: 'Definition' }).click();
  const text = await definition(page).inputValue();
  await definition(page).fill(text.replace(/"Comment": "[^"]*"/, '"Comment": "my unsaved edit"'));
  for (let i = 0; i < 7; i++) await button(page, 'Step forward').click();
  const before = await snapshot(page);
  expect(before.input).toBe('{\n  "mine": "unsaved edit"\n}\n');
  expect(before.definition).toContain('"Comment": "my unsaved edit"');
  expect(before.status).toBe('Running · T+02:30');
  const quick = await snapshot(page, { tabs: false });
  expect(quick.editor).toBe(before.definition);

  // A real link of this scenario, to damage.
  await button(page, 'Share').click();
  const good = await page.getByRole('dialog', { name: 'Share' }).getByLabel('Share link').inputValue();
  await page.getByRole('dialog', { name: 'Share' }).getByRole('button', { name: 'Close' }).click();
  const data = good.split('#v1/')[1];
  const mid = Math.floor(data.length / 2);
  const changed = data.slice(0, mid) + (data[mid] === 'Q' ? 'R' : 'Q') + data.slice(mid + 1);
  // 10 MB of JSON that deflates to a few kB.
  const bomb = linkAround(JSON.stringify({ definition: 'x'.repeat(10 * 1024 * 1024) }));
  expect(bomb.length).toBeLessThan(20_000);

  const cases = [
    ['#v1/', /^This link is damaged: there is nothing after #v1\//],
    [`#v1/${changed}`, /^This link is damaged: /],
    [`#v1/${data.slice(0, Math.floor(data.length / 2))}`, /^This link is damaged: /],
    [`#${bomb}`, /^This link is damaged: it decompresses to more than 1 MiB/],
    [`#${linkAround('<html>not a scenario</html>')}`, /^This link is damaged: its contents are not JSON \(line 1, column 1/],
    [`#${linkAround('{"stepwise": 1, "outcomes": "all fail"}')}`, /^This link is damaged: at \/outcomes: /],
    [`#${linkAround('[1, 2, 3]')}`, /^This link is damaged: /],
    ['#v9/eyJzdGVwd2lzZSI6OX0', /^This link was made by a newer Stepwise \(format v9\)/],
  ];
  const alert = page.locator('.link-alert[role="alert"]');
  for (const [hash, message] of cases) {
    await page.evaluate((h) => { window.location.hash = h; }, hash);
    await expect(alert, hash.slice(0, 40)).toHaveCount(1);
    await expect(alert.locator('.link-alert-message'), hash.slice(0, 40)).toHaveText(message);
    await expect(alert).toContainText('Your work on screen was kept.');
    expect(await snapshot(page, { tabs: false }), `${hash.slice(0, 40)}: the work is kept`).toEqual(quick);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect(alert).toHaveCount(0);
  }
  // "Show raw" shows what the link held (share.spec.mjs checks it on the other cases).
  await page.evaluate((h) => { window.location.hash = h; }, linkAround('<html>not a scenario</html>'));
  await alert.getByRole('button', { name: 'Show raw' }).click();
  await expect(alert.getByLabel('Raw link contents')).toHaveText('<html>not a scenario</html>');
  await alert.getByRole('button', { name: 'Dismiss' }).click();

  // An empty fragment is not a link: nothing happens to the work.
  await page.evaluate(() => { window.location.hash = ''; });
  await page.waitForTimeout(100);
  expect(await snapshot(page)).toEqual(before);
  // Still alive: the work steps on.
  await button(page, 'Run to end').click();
  await expect(status(page)).toHaveText('Succeeded · T+07:15');
});

// Issue 6, "Bad input that must be tried": an empty fragment. `location.hash` is "" both for
// `…/#` and for no fragment, so the page reads `location.href` to tell a link cut after its '#'.
test('an empty fragment (a link cut after its "#") says the link is empty', async ({ page }) => {
  await page.goto('./?sample=batch-catch-notify#');
  await expect(page.getByRole('heading', { name: 'Stepwise' })).toBeVisible();
  await expect(page.locator('.link-alert[role="alert"]')).toContainText('This link is damaged: it is empty');
});

test('user text in a shared definition is rendered as text everywhere', async ({ page, browser }) => {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); return d.dismiss(); });
  const script = '<script>alert(1)</script>';
  const img = '"><img src=x onerror=alert(2)>';
  const def = {
    Comment: `${script} ${img}`,
    StartAt: script,
    States: {
      [script]: {
        Type: 'Pass',
        Comment: img,
        Result: { html: img, s: script },
        ResultPath: '$.out',
        Next: img,
      },
      [img]: { Type: 'Succeed', Comment: script },
    },
  };
  await open(page, '?sample=batch-catch-notify');
  await definition(page).fill(JSON.stringify(def, null, 2));
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Input' }).click();
  await page.getByLabel('Input', { exact: true }).fill(JSON.stringify({ note: img }));
  await button(page, 'Run to end').click();
  await button(page, 'Step back').click();
  await button(page, 'Step back').click();
  await selectState(page, script);
  const url = await (async () => {
    await button(page, 'Share').click();
    return page.getByRole('dialog', { name: 'Share' }).getByLabel('Share link').inputValue();
  })();

  const fresh = await freshPage(browser);
  const p = fresh.page;
  await p.goto(url);
  await expect(p.getByRole('heading', { name: 'Stepwise' })).toBeVisible();
  for (const view of [page, p]) {
    // The graph: the names as attributes and as text.
    expect(await view.locator('g[data-state]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')).sort()))
      .toEqual([img, script].sort());
    await expect(node(view, script)).toHaveAttribute('aria-label', new RegExp(`^${escape(script)}: Pass state`));
    await expect(node(view, script).locator('text').first()).toContainText('<script>');
    await expect(node(view, img).locator('text').first()).toContainText('<img');
    await expect(node(view, img)).toHaveAttribute('data-status', 'in-progress');
    // The event table: state names as cell text.
    const cells = view.locator('.history-rows [role="row"] .c-state');
    await expect(cells.filter({ hasText: script }).first()).toHaveText(script);
    await expect(cells.filter({ hasText: 'onerror' }).first()).toHaveText(img);
    // The inspector: the name, the Pass result and the output as text.
    await expect(inspector(view).getByRole('heading', { level: 2 })).toHaveText(script);
    const flow = inspector(view).getByRole('region', { name: 'Input and output' });
    await expect(flow).toContainText('"html": "\\"><img src=x onerror=alert(2)>"');
    await expect(flow).toContainText('"s": "<script>alert(1)</script>"');
    await expect(flow).toContainText('"note": "\\"><img src=x onerror=alert(2)>"');
    // The editors show the input and the Comment as text.
    await view.getByRole('tab', { name: 'Input' }).click();
    await expect(view.locator('.je-lines')).toContainText('{"note":"\\"><img src=x onerror=alert(2)>"}');
    await view.getByRole('tab', { name: 'Definition' }).click();
    await expect(view.locator('.je-lines')).toContainText(`"Comment": "${script} \\"><img src=x onerror=alert(2)>"`);
    // Nothing was turned into markup anywhere on the page.
    expect(await view.locator('img, [onerror], iframe, object, embed').count()).toBe(0);
    expect(await view.locator('script').evaluateAll((els) => els.filter((e) => e.textContent.includes('alert(')).length)).toBe(0);
  }
  await p.waitForTimeout(200);
  expect(dialogs).toEqual([]);
  expect(fresh.problems).toEqual([]);
  await fresh.context.close();
});

/** `text` escaped for a RegExp. */
function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
