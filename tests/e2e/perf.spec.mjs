// Timing run (measured and printed, not asserted against a budget: see DEVELOPERS.md).
// Prints first-graph time after navigation and keystroke -> redrawn page on a 100-state machine.
import { test, expect, open } from './fixtures.mjs';

function chain(n) {
  const states = {};
  for (let i = 0; i < n; i++) {
    const name = `Step ${String(i).padStart(3, '0')}`;
    states[name] = i + 1 < n
      ? { Type: i % 10 === 5 ? 'Wait' : 'Pass', ...(i % 10 === 5 ? { Seconds: 1 } : { Result: { i } , ResultPath: `$.r${i}` }), Next: `Step ${String(i + 1).padStart(3, '0')}` }
      : { Type: 'Succeed' };
  }
  return JSON.stringify({ Comment: 'x', StartAt: 'Step 000', States: states }, null, 2);
}

test('timing: first graph on screen and keystroke to redraw', async ({ page }) => {
  await page.addInitScript(() => {
    window.__firstGraph = null;
    new MutationObserver((_, obs) => {
      if (document.querySelector('[data-state]')) {
        window.__firstGraph = performance.now();
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await open(page);
  await expect(page.locator('[data-state]').first()).toBeVisible();
  const first = await page.evaluate(() => window.__firstGraph);
  const nav = await page.evaluate(() => performance.getEntriesByType('navigation')[0].startTime);
  console.log(`perf: first graph on screen ${(first - nav).toFixed(0)} ms after navigation start`);

  const editor = page.getByLabel('Definition');
  await editor.fill(chain(100));
  await expect(page.locator('[data-state="Step 099"]')).toHaveCount(1);
  const samples = await page.evaluate(async () => {
    const area = document.querySelector('textarea[aria-label="Definition"]');
    const times = [];
    for (let k = 0; k < 20; k++) {
      const text = area.value.replace('"Comment": "x', `"Comment": "x${k % 10}`);
      const t0 = performance.now();
      area.value = text;
      area.dispatchEvent(new InputEvent('input', { bubbles: true }));
      await Promise.resolve();
      await new Promise((r) => setTimeout(r, 0));
      times.push(performance.now() - t0);
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
    times.sort((a, b) => a - b);
    return { median: times[10], max: times[19] };
  });
  console.log(`perf: keystroke -> re-analysed and re-rendered (100 states): median ${samples.median.toFixed(1)} ms, max ${samples.max.toFixed(1)} ms`);
  await expect(page.locator('[data-state="Step 050"]')).toHaveCount(1);
});
