// The editor pane: highlighting, diagnostics (list + underline + caret), Format, undo/redo,
// keyboard, safety of user text, and a timing of keystroke → paint on a 100-state definition.
import { test, expect, open } from './fixtures.mjs';

const definition = (page) => page.getByLabel('Definition', { exact: true });
const problems = (page) => page.getByRole('alert');

// A definition whose JSON breaks on line 4 (a missing comma), with non-ASCII text before it
// (so a byte offset and a UTF-16 offset differ).
const BROKEN = [
  '{',
  '  "Comment": "héllo 😀 wörld",',
  '  "StartAt": "A",',
  '  "States": { "A": { "Type": "Pass" "End": true } }',
  '}',
].join('\n');

const COMPACT = '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}';

/** A ~3,000-line definition: `n` Task states with Parameters, Retry and Catch. */
function bigDefinition(n) {
  const states = {};
  for (let i = 0; i < n; i++) {
    states[`S${i}`] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: `fn-${i}`, Payload: { index: i, 'input.$': '$', flag: true, nothing: null } },
      ResultPath: `$.r${i}`,
      Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 30, MaxAttempts: 2, BackoffRate: 1.5 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
      ...(i + 1 < n ? { Next: `S${i + 1}` } : { End: true }),
    };
  }
  states.Failed = { Type: 'Fail' };
  return JSON.stringify({ Comment: 'A long chain', StartAt: 'S0', States: states }, null, 2);
}

test('JSON is highlighted: keys, strings, numbers, literals, punctuation', async ({ page }) => {
  await open(page);
  await definition(page).fill('{\n  "StartAt": "A",\n  "TimeoutSeconds": 30,\n  "States": {"A": {"Type": "Pass", "ResultPath": "$.x", "End": true}}\n}');
  const overlay = page.locator('.je-lines');
  await expect(overlay.locator('.tok-key').first()).toHaveText('"StartAt"');
  await expect(overlay.locator('.tok-number')).toHaveText(['30']);
  await expect(overlay.locator('.tok-literal')).toHaveText(['true']);
  await expect(overlay.locator('.tok-path')).toHaveText(['"$.x"']);
  await expect(overlay.locator('.tok-punct').first()).toHaveText('{');
  // Line numbers follow the text.
  await expect(page.locator('.je-ln')).toHaveText(['1', '2', '3', '4', '5']);
  await expect(page.getByText('No problems')).toBeVisible();
});

test('a broken edit shows the diagnostic at its line, underlined, and the page stays alive', async ({ page }) => {
  await open(page);
  await definition(page).fill(BROKEN);
  await expect(problems(page)).toContainText('INVALID_JSON_DESCRIPTION');
  await expect(problems(page)).toContainText('Definition 4:');
  await expect(page.getByRole('tab', { name: 'Definition' })).toContainText('1');
  // The gutter marks line 4; the overlay underlines on line 4 only.
  await expect(page.locator('.je-ln.je-err')).toHaveText(['4']);
  await expect(page.locator('.je-line').nth(3).locator('.je-err')).toHaveCount(1);
  await expect(page.locator('.je-lines .je-err')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Format' })).toBeDisabled();
  // Still alive: fixing the text clears the problem.
  await definition(page).fill(COMPACT);
  await expect(problems(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Format' })).toBeEnabled();
});

test('clicking a problem puts the caret at its line:column (UTF-16 aware)', async ({ page }) => {
  await open(page);
  await definition(page).fill(BROKEN);
  const row = problems(page).getByRole('button').filter({ hasText: 'INVALID_JSON_DESCRIPTION' });
  const at = await row.locator('.je-at').innerText();
  const [, line, column] = at.match(/Definition (\d+):(\d+)/).map(Number);
  expect(line).toBe(4);
  await page.getByRole('heading', { name: 'Stepwise' }).click(); // focus elsewhere first
  await row.click();
  await expect(definition(page)).toBeFocused();
  const lines = BROKEN.split('\n');
  const expected = lines.slice(0, line - 1).join('\n').length + 1 + [...lines[line - 1]].slice(0, column - 1).join('').length;
  const caret = await definition(page).evaluate((el) => [el.selectionStart, el.selectionEnd]);
  expect(caret).toEqual([expected, expected]);
  // The caret is on the `"End"` that broke the JSON.
  expect(BROKEN.slice(expected, expected + 5)).toBe('"End"');
});

test('Format then Undo restores the text; Redo formats again', async ({ page }) => {
  await open(page);
  await definition(page).fill(COMPACT);
  await page.getByRole('button', { name: 'Format' }).click();
  await expect(definition(page)).toHaveValue(/^\{\n  "StartAt": "A",\n/);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(definition(page)).toHaveValue(COMPACT);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(definition(page)).toHaveValue(/^\{\n  "StartAt": "A",\n/);
  await expect(page.getByRole('button', { name: 'Redo' })).toBeDisabled();
});

test('keyboard: Ctrl+Z / Ctrl+Shift+Z use the store history; Tab indents; Esc then Tab leaves', async ({ page }) => {
  await open(page);
  const editor = definition(page);
  await editor.fill(COMPACT);
  await editor.focus();
  await editor.evaluate((el) => el.setSelectionRange(1, 1));
  await page.keyboard.press('Tab');
  await expect(editor).toHaveValue('{  ' + COMPACT.slice(1));
  await expect(editor).toBeFocused();
  expect(await editor.evaluate((el) => el.selectionStart)).toBe(3);
  await page.keyboard.press('ControlOrMeta+z');
  await expect(editor).toHaveValue(COMPACT);
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect(editor).toHaveValue('{  ' + COMPACT.slice(1));
  await page.keyboard.press('ControlOrMeta+z');
  await page.keyboard.press('ControlOrMeta+z');
  // Back to the sample the page opened with (filling was one undo step).
  await expect(editor).toHaveValue(/"StartAt"/);
  await expect(editor).not.toHaveValue(COMPACT);
  await page.keyboard.press('Control+y');
  await expect(editor).toHaveValue(COMPACT);
  // Enter keeps the indentation.
  await editor.fill('{\n  "a": [');
  await editor.evaluate((el) => el.setSelectionRange(el.value.length, el.value.length));
  await page.keyboard.press('Enter');
  await expect(editor).toHaveValue('{\n  "a": [\n    ');
  // Esc, then Tab: the focus leaves the editor and the text is unchanged.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(editor).not.toBeFocused();
  await expect(editor).toHaveValue('{\n  "a": [\n    ');
});

test('typing keeps the caret where the user types', async ({ page }) => {
  await open(page);
  const editor = definition(page);
  await editor.fill(COMPACT);
  await editor.focus();
  await editor.evaluate((el) => el.setSelectionRange(13, 13)); // after "StartAt":"A
  await page.keyboard.type('BC');
  await expect(editor).toHaveValue(COMPACT.slice(0, 13) + 'BC' + COMPACT.slice(13));
  expect(await editor.evaluate((el) => el.selectionStart)).toBe(15);
});

test('the Input tab edits the input, with its hint and its own problems', async ({ page }) => {
  await open(page);
  await page.getByRole('tab', { name: 'Input' }).click();
  const input = page.getByLabel('Input', { exact: true });
  await expect(input).toBeVisible();
  await expect(page.getByText('must be JSON')).toBeVisible();
  await input.fill("{'a': 1}");
  await expect(problems(page)).toContainText('Input 1:2');
  await problems(page).getByRole('button').first().click();
  await expect(input).toBeFocused();
  await input.fill('{"a": 1}');
  await expect(problems(page)).toHaveCount(0);
  await page.getByRole('tab', { name: 'Definition' }).click();
  await expect(definition(page)).toBeVisible();
});

test('a state named <script>…</script> renders as text, never as markup', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; return d.dismiss(); });
  await open(page);
  const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  const text = JSON.stringify({ StartAt: evil, States: { [evil]: { Type: 'Pass', End: true } } }, null, 2);
  await definition(page).fill(text);
  await expect(page.locator('.je-lines')).toContainText(evil);
  await expect(page.locator('.je-lines script, .je-lines img')).toHaveCount(0);
  await page.waitForTimeout(300);
  expect(dialogs).toBe(0);
});

test('a 3,000-line definition: only the lines on screen render; keystroke → paint timing', async ({ page }) => {
  test.setTimeout(120_000); // a dev (unoptimized) build analyses a 100-state machine slowly
  await open(page);
  const big = bigDefinition(100);
  const lineCount = big.split('\n').length;
  expect(lineCount).toBeGreaterThan(2900);
  const editor = definition(page);
  await editor.fill(big);
  await expect(page.locator('.je-statusbar')).toContainText(`${lineCount} lines`);
  expect(await page.locator('.je-line').count()).toBeLessThan(250);
  // Scrolled to the end, the overlay and the gutter show the last lines.
  await editor.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(page.locator('.je-ln').last()).toHaveText(String(lineCount));
  await expect(page.locator('.je-lines')).toContainText('"Fail"');
  await editor.evaluate((el) => { el.scrollTop = 0; });
  await expect(page.locator('.je-ln').first()).toHaveText('1');

  // Type into a string in the middle (the definition stays valid: every keystroke re-parses,
  // re-lays out and re-simulates, then the editor repaints).
  const at = big.indexOf('"fn-50"') + 6;
  await editor.focus();
  await editor.evaluate((el, at) => el.setSelectionRange(at, at), at);
  await page.evaluate(() => {
    window.__timing = { work: [], frame: [] };
    addEventListener('keydown', () => { window.__t0 = performance.now(); }, true);
    addEventListener('input', () => {
      const t0 = window.__t0;
      requestAnimationFrame(() => {
        document.body.getBoundingClientRect();
        window.__timing.frame.push(performance.now() - t0);
      });
      setTimeout(() => {
        document.body.getBoundingClientRect();
        window.__timing.work.push(performance.now() - t0);
      }, 0);
    });
  });
  for (const ch of 'abcdefghijklmnopqrst') {
    await page.keyboard.type(ch);
    await page.waitForTimeout(50);
  }
  await expect(editor).toHaveValue(/"fn-50abcdefghijklmnopqrst"/);
  await expect(page.locator('.je-lines')).toContainText('fn-50abcdefghijklmnopqrst');
  const timing = await page.evaluate(() => window.__timing);
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return `median ${s[Math.floor(s.length / 2)].toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (n=${s.length})`;
  };
  console.log(`editor timing, ${lineCount} lines: keystroke → DOM updated + layout: ${stats(timing.work)}; keystroke → next frame: ${stats(timing.frame)}`);
  expect(timing.work.length).toBe(20);
});

test('screenshots (EDITOR_SHOTS=dir)', async ({ browser }) => {
  const dir = process.env.EDITOR_SHOTS;
  test.skip(!dir, 'set EDITOR_SHOTS to a directory to take them');
  for (const colorScheme of ['light', 'dark']) {
    for (const [width, height] of [[1280, 800], [1024, 768]]) {
      const page = await browser.newPage({ viewport: { width, height }, colorScheme });
      await open(page);
      const editor = page.getByLabel('Definition', { exact: true });
      const text = await editor.inputValue();
      await editor.fill(text.replace('"Type": "Task"', '"Type": "Task",\n      "TimeoutSeconds": -5').replace(/"Next": "([^"]+)"/, '"Next": "$1 typo"'));
      await editor.focus();
      await editor.evaluate((el) => el.setSelectionRange(120, 120));
      await page.keyboard.press('ArrowDown');
      await page.screenshot({ path: `${dir}/editor-${colorScheme}-${width}.png` });
      await editor.fill(text.replace('"States": {', '"States": {,'));
      await page.screenshot({ path: `${dir}/editor-broken-${colorScheme}-${width}.png` });
      await page.close();
    }
  }
});
