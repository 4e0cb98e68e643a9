// Timing run: measured and printed (`perf: ...` lines), not asserted against a budget (see
// DEVELOPERS.md); it only checks that every timed change really reached the page.
//
// What is measured, in the page (performance.now()):
// - first graph: navigation start → the first `[data-state]` element in the DOM (median and
//   max over several loads);
// - keystroke: one character typed into the Definition textarea (an insertion at the caret
//   through the browser's editing command, which fires `input` as a key press does; setting
//   the whole `value` instead would add ~15 ms of text layout a real key press does not
//   cost) → the page updated: the store re-analysed (parse, validate,
//   layout, simulate) and every component re-rendered and patched into the DOM ("DOM
//   updated", the microtasks after the event drained), and → the next frame painted (a task
//   posted from the next requestAnimationFrame callback runs after that frame's paint);
// - step forward: a click on "Step forward" → DOM updated / next frame painted.
// On a 100-state chain (Pass states with a Result, every tenth a Wait), with its last
// state selected and the cursor at the end (so the graph, inspector, timeline and history
// all show the trace). The keystrokes alternate between the top-level Comment and the
// Result value of a state in the middle (which changes the simulated trace and what the
// inspector shows).
// Run it alone for stable numbers: `cargo xtask e2e tests/e2e/perf.spec.mjs`.
import { test, expect, open } from './fixtures.mjs';

const STATES = 100;
const KEYSTROKES = 24;
const STEPS = 24;

function chain(n) {
  const states = {};
  for (let i = 0; i < n; i++) {
    const name = `Step ${String(i).padStart(3, '0')}`;
    states[name] = i + 1 < n
      ? { Type: i % 10 === 5 ? 'Wait' : 'Pass', ...(i % 10 === 5 ? { Seconds: 1 } : { Result: { i }, ResultPath: `$.r${i}` }), Next: `Step ${String(i + 1).padStart(3, '0')}` }
      : { Type: 'Succeed' };
  }
  return JSON.stringify({ Comment: 'x', StartAt: 'Step 000', States: states }, null, 2);
}

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return `median ${median.toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms (n=${sorted.length})`;
}

// Installed in the page: `window.__time(change)` runs `change()` (which must dispatch the
// event synchronously) and resolves with [ms to DOM updated, ms to next frame painted].
function installTimer() {
  window.__time = (change) => new Promise((resolve) => {
    const t0 = performance.now();
    change();
    // Yew renders in a microtask queued by the event handler: two hops cover it.
    Promise.resolve().then(() => Promise.resolve()).then(() => {
      const updated = performance.now() - t0;
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve([updated, performance.now() - t0]);
        channel.port2.postMessage(0);
      });
    });
  });
}

test('timing: first graph, keystroke and step forward on a 100-state machine', async ({ page }) => {
  test.setTimeout(90_000);
  await page.addInitScript(() => {
    window.__firstGraph = null;
    new MutationObserver((_, obs) => {
      if (document.querySelector('[data-state]')) {
        window.__firstGraph = performance.now();
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });

  // First graph on screen, over several loads (the first one also fills the HTTP cache, as
  // a returning visitor's would be).
  const firsts = [];
  for (let k = 0; k < 5; k++) {
    if (k === 0) await open(page); else await page.reload();
    await expect(page.locator('[data-state]').first()).toBeVisible();
    firsts.push(await page.evaluate(() => window.__firstGraph
      - performance.getEntriesByType('navigation')[0].startTime));
  }
  console.log(`perf: first graph on screen after navigation start: first load ${firsts[0].toFixed(0)} ms; ${stats(firsts)}`);

  // The 100-state chain, its last state selected, the cursor at the end.
  const editor = page.getByLabel('Definition');
  await editor.fill(chain(STATES));
  await expect(page.locator('[data-state="Step 099"]')).toHaveCount(1);
  // (The node is below the fold of the fitted 100-state graph: a synthetic click.)
  await page.locator('[data-state="Step 050"]').dispatchEvent('click');
  await expect(page.getByRole('heading', { name: 'Step 050' })).toBeVisible();
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(page.locator('[data-state="Step 099"]')).toHaveAttribute('data-status', 'succeeded');
  await page.evaluate(installTimer);

  const keys = await page.evaluate(async (n) => {
    const area = document.querySelector('textarea[aria-label="Definition"]');
    const out = { updated: [], painted: [], missed: [] };
    let comment = 'x';
    let value = 50;
    for (let k = 0; k < n; k++) {
      // Typing one character, as the browser does for a key press (an insertion at the
      // caret, then the `input` event): at the end of the Comment, or of the Result of
      // Step 050, whose output the inspector shows.
      let at;
      let expectText = null;
      const digit = String(k % 10);
      if (k % 2 === 0) {
        at = area.value.indexOf(`"Comment": "${comment}"`) + `"Comment": "${comment}`.length;
        comment += digit;
      } else {
        at = area.value.indexOf(`"i": ${value}\n`) + `"i": ${value}`.length;
        value = value * 10 + Number(digit);
        expectText = String(value);
      }
      area.focus();
      area.setSelectionRange(at, at);
      const [updated, painted] = await window.__time(() => {
        document.execCommand('insertText', false, digit);
      });
      const inspector = document.querySelector('[aria-label="Inspector"]').textContent;
      if (expectText && !inspector.includes(expectText)) out.missed.push(k);
      out.updated.push(updated);
      out.painted.push(painted);
      await new Promise((r) => setTimeout(r, 30));
    }
    return out;
  }, KEYSTROKES);
  expect(keys.missed, 'every keystroke reached the inspector by "DOM updated"').toEqual([]);
  console.log(`perf: keystroke -> DOM updated (${STATES} states): ${stats(keys.updated)}`);
  console.log(`perf: keystroke -> next frame painted (${STATES} states): ${stats(keys.painted)}`);
  await expect(page.locator('[data-state="Step 050"]')).toHaveAttribute('data-status', 'succeeded');

  // Step forward from the start.
  await page.getByRole('button', { name: 'Reset' }).click();
  const steps = await page.evaluate(async (n) => {
    const button = document.querySelector('button[aria-label="Step forward"]');
    const slider = document.querySelector('input[aria-label="Position in the history"]');
    const out = { updated: [], painted: [], missed: [] };
    for (let k = 0; k < n; k++) {
      const [updated, painted] = await window.__time(() => button.click());
      if (slider.value !== String(k + 1)) out.missed.push(k);
      out.updated.push(updated);
      out.painted.push(painted);
      await new Promise((r) => setTimeout(r, 30));
    }
    return out;
  }, STEPS);
  expect(steps.missed, 'every step reached the page by "DOM updated"').toEqual([]);
  console.log(`perf: step forward -> DOM updated (${STATES}-state trace): ${stats(steps.updated)}`);
  console.log(`perf: step forward -> next frame painted (${STATES}-state trace): ${stats(steps.painted)}`);
  await expect(page.locator('[data-state="Step 000"]')).not.toHaveAttribute('data-status', 'not-run');
});
