// The graph pane: statuses at the cursor, selection, zoom/pan/fit, nested boxes, escaping.
import { test, expect, open } from './fixtures.mjs';

const state = (page, name) => page.locator(`g[data-state="${name}"]`);
const viewBox = async (page) =>
  (await page.locator('svg.graph-svg').getAttribute('viewBox')).split(' ').map(Number);

test('statuses change while stepping, and the retry badge counts attempts', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  const submit = state(page, 'Submit Batch Job');
  await expect(submit).toHaveAttribute('data-status', 'not-run');
  await expect(state(page, 'Notify Success')).toHaveAttribute('data-status', 'not-run');
  await expect(submit.locator('.retry-badge')).toHaveText('0/3');

  const forward = page.getByRole('button', { name: 'Step forward', exact: true });
  await forward.click(); // ExecutionStarted
  await forward.click(); // TaskStateEntered
  await expect(submit).toHaveAttribute('data-status', 'in-progress');
  await expect(page.locator('g[data-status="in-progress"]')).toHaveCount(1);
  await expect(submit.locator('.pulse')).toHaveCount(1);
  await forward.click(); // TaskScheduled: the first attempt
  await expect(submit.locator('.retry-badge')).toHaveText('1/3');

  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(submit).toHaveAttribute('data-status', 'succeeded');
  await expect(state(page, 'Notify Success')).toHaveAttribute('data-status', 'succeeded');
  await expect(state(page, 'Notify Failure')).toHaveAttribute('data-status', 'not-run');
  await expect(page.locator('.pulse')).toHaveCount(0);

  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(submit).toHaveAttribute('data-status', 'not-run');
});

test('the Catch edge is dashed and labelled with its ErrorEquals', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  const catchEdge = page.locator('path.edge.catch');
  await expect(catchEdge).toHaveCount(1);
  const dash = await catchEdge.evaluate((e) => getComputedStyle(e).strokeDasharray);
  expect(dash).not.toBe('none');
  await expect(page.locator('.edge-label.catch')).toContainText('States.ALL');
  await expect(page.locator('.anchor.start')).toHaveCount(1);
  await expect(page.locator('.anchor.end')).toHaveCount(1);
  await expect(page.getByRole('list', { name: 'Legend' })).toContainText('In progress');
});

test('clicking a state selects it; Enter on a focused state too; the background clears', async ({ page }) => {
  await open(page, '?sample=batch-catch-notify');
  const success = state(page, 'Notify Success');
  await success.click();
  await expect(success).toHaveAttribute('aria-pressed', 'true');
  await expect(success).toHaveClass(/selected/);
  await expect(page.locator('g.state.selected')).toHaveCount(1);

  const failure = state(page, 'Notify Failure');
  await failure.focus();
  await page.keyboard.press('Enter');
  await expect(failure).toHaveAttribute('aria-pressed', 'true');
  await expect(success).toHaveAttribute('aria-pressed', 'false');

  // A click on empty space (the viewport's corner) clears the selection.
  const box = await page.locator('.graph-viewport').boundingBox();
  await page.mouse.click(box.x + 5, box.y + 5);
  await expect(page.locator('g.state.selected')).toHaveCount(0);
});

test('zoom buttons, wheel, drag and Fit change the view', async ({ page }) => {
  await open(page, '?sample=batch-with-lambda');
  await expect(page.locator('g[data-state]').first()).toBeVisible();
  const fitted = await viewBox(page);
  const level = page.getByLabel('Zoom level');
  const fittedLevel = await level.textContent();

  await page.getByRole('button', { name: 'Zoom in' }).click();
  const zoomed = await viewBox(page);
  expect(zoomed[2]).toBeLessThan(fitted[2]);
  expect(zoomed[2]).toBeCloseTo(fitted[2] / 1.25, 0);
  await expect(level).not.toHaveText(fittedLevel);

  await page.getByRole('button', { name: 'Zoom out' }).click();
  await page.getByRole('button', { name: 'Zoom out' }).click();
  expect((await viewBox(page))[2]).toBeGreaterThan(fitted[2]);

  await page.getByRole('button', { name: 'Fit' }).click();
  expect(await viewBox(page)).toEqual(fitted);

  // Wheel up over the viewport zooms in around the pointer.
  const box = await page.locator('.graph-viewport').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await expect.poll(async () => (await viewBox(page))[2]).toBeLessThan(fitted[2]);

  // Dragging pans (and does not select what it started on).
  const before = await viewBox(page);
  await page.mouse.move(box.x + 40, box.y + 40);
  await page.mouse.down();
  await page.mouse.move(box.x + 140, box.y + 90, { steps: 5 });
  await page.mouse.up();
  const after = await viewBox(page);
  expect(after[0]).toBeLessThan(before[0]);
  expect(after[1]).toBeLessThan(before[1]);
  expect(after[2]).toBeCloseTo(before[2], 5);
  await expect(page.locator('g.state.selected')).toHaveCount(0);

  await page.getByRole('button', { name: 'Fit' }).click();
  expect(await viewBox(page)).toEqual(fitted);
});

test('a Map sample draws its item processor as a box inside the Map', async ({ page }) => {
  await open(page, '?sample=batch-fan-out-map');
  const map = state(page, 'Fan out batch jobs');
  await expect(map).toHaveClass(/container/);
  await expect(page.locator('.container-bg')).toHaveCount(1);
  await expect(page.locator('.branch-box')).toHaveCount(1);
  await expect(page.locator('.branch-caption')).toHaveText(/Iterator|Item processor/);
  const outer = await page.locator('.container-bg').boundingBox();
  const inner = await state(page, 'Submit Batch Job').locator('.state-box').boundingBox();
  expect(inner.x).toBeGreaterThan(outer.x);
  expect(inner.y).toBeGreaterThan(outer.y);
  expect(inner.x + inner.width).toBeLessThan(outer.x + outer.width);
  expect(inner.y + inner.height).toBeLessThan(outer.y + outer.height);
  // Two Start and two End anchors: the top level and the item processor.
  await expect(page.locator('.anchor.start')).toHaveCount(2);
  await expect(page.locator('.anchor.end')).toHaveCount(2);

  // A click inside the item-processor box, away from its states, selects the Map.
  const box = await page.locator('.branch-box').boundingBox();
  await page.mouse.click(box.x + 6, box.y + box.height - 6);
  await expect(map).toHaveClass(/selected/);
  await expect(page.locator('g.state.selected')).toHaveCount(1);

  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(state(page, 'Generate batch job input')).toHaveAttribute('data-status', 'succeeded');
  await expect(map).not.toHaveAttribute('data-status', 'not-run');
});

test('states inside a Map are coloured by their iterations', async ({ page }) => {
  await open(page);
  await page.getByLabel('Definition').fill(JSON.stringify({
    StartAt: 'Items',
    States: {
      Items: { Type: 'Pass', Result: [1, 2, 3], Next: 'Each' },
      Each: {
        Type: 'Map',
        ItemProcessor: { StartAt: 'Double', States: { Double: { Type: 'Pass', End: true } } },
        End: true,
      },
    },
  }));
  await expect(state(page, 'Each')).toHaveClass(/container/);
  await page.getByRole('button', { name: 'Run to end' }).click();
  for (const name of ['Items', 'Each', 'Double']) {
    await expect(state(page, name)).toHaveAttribute('data-status', 'succeeded');
  }
});

test('a <script> state name is drawn as text', async ({ page }) => {
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await open(page);
  const evil = '<script>alert(1)</script>';
  const img = '<img src=x onerror=alert(2)>';
  const definition = JSON.stringify({
    StartAt: evil,
    States: {
      [evil]: { Type: 'Pass', Next: img },
      [img]: { Type: 'Succeed' },
    },
  }, null, 2);
  await page.getByLabel('Definition').fill(definition);
  const node = page.locator('g[data-state]').filter({ hasText: 'alert(1)' });
  await expect(node).toHaveCount(1);
  expect(await node.getAttribute('data-state')).toBe(evil);
  await expect(node.locator('text.name').first()).toContainText('<script>');
  expect(await page.locator('.graph-svg script, .graph-svg img, .graph-svg foreignObject').count()).toBe(0);
  expect(await page.locator('g[data-state]').nth(1).getAttribute('data-state')).toBe(img);
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(node).toHaveAttribute('data-status', 'succeeded');
  expect(dialogs).toEqual([]);
});

test('a broken definition keeps the last graph, dimmed, with a note', async ({ page }) => {
  await open(page, '?sample=batch-catch-notify');
  await expect(page.locator('.graph-stale-note')).toHaveCount(0);
  await page.getByLabel('Definition').fill('{\n  "StartAt": ');
  await expect(page.locator('.graph-stale-note')).toContainText('Showing the last valid graph');
  await expect(page.locator('.graph-viewport')).toHaveClass(/stale/);
  await expect(state(page, 'Submit Batch Job')).toHaveCount(1);
  await page.getByLabel('Sample').selectOption('batch-catch-notify');
  await expect(page.locator('.graph-stale-note')).toHaveCount(0);
});

test('timing: stepping a 100-state machine re-renders only what changed', async ({ page }) => {
  await open(page);
  const states = {};
  for (let i = 0; i < 100; i++) {
    const name = `S${String(i).padStart(3, '0')}`;
    states[name] = i < 99
      ? { Type: 'Pass', Next: `S${String(i + 1).padStart(3, '0')}` }
      : { Type: 'Succeed' };
  }
  await page.getByLabel('Definition').fill(JSON.stringify({ StartAt: 'S000', States: states }));
  await expect(page.locator('g[data-state]')).toHaveCount(100);
  const forward = page.getByRole('button', { name: 'Step forward', exact: true });
  await forward.click();
  await forward.click();
  await expect(state(page, 'S000')).toHaveAttribute('data-status', 'in-progress');
  const times = await page.evaluate(async () => {
    const button = document.querySelector('button[aria-label="Step forward"]')
      || [...document.querySelectorAll('button')].find((b) => b.textContent.startsWith('Step forward'));
    const out = [];
    for (let k = 0; k < 40; k++) {
      const t0 = performance.now();
      button.click();
      await new Promise((r) => setTimeout(r, 0));
      out.push(performance.now() - t0);
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
    out.sort((a, b) => a - b);
    return { median: out[20], max: out[39] };
  });
  console.log(`perf: step forward on a 100-state graph: median ${times.median.toFixed(1)} ms, max ${times.max.toFixed(1)} ms`);
  await expect(page.locator('g[data-status="in-progress"]')).toHaveCount(1);
});
