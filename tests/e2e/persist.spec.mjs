// Autosave, "Restore previous work", storage that fails, and files in and out (File menu,
// drag and drop), including the parity of an exported MockConfigFile with the CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, open } from './fixtures.mjs';
import { button } from './helpers.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const AUTOSAVE = 'stepwise.autosave';

async function snapshot(page) {
  const states = await page.locator('[data-state][data-status]').evaluateAll((els) =>
    els.map((el) => `${el.getAttribute('data-state')}=${el.getAttribute('data-status')}`).sort(),
  );
  return {
    states,
    status: await page.getByRole('status').first().innerText(),
    definition: await page.getByLabel('Definition').inputValue(),
    sample: await page.getByLabel('Sample').inputValue(),
  };
}

/** Wait until autosave has written something containing `text`. */
async function saved(page, text = '') {
  await expect
    .poll(() => page.evaluate((k) => localStorage.getItem(k) || '', AUTOSAVE))
    .toContain(text);
  return page.evaluate((k) => localStorage.getItem(k), AUTOSAVE);
}

/** Make some work: a failing preset and the cursor in the middle. */
async function makeWork(page, steps = 6) {
  await page.getByLabel('Scenario').selectOption({ label: 'Retries exhausted → Catch' });
  for (let i = 0; i < steps; i += 1) await button(page, 'Step forward').click();
}

/** Click a File menu entry; return the download it starts (when `download`). */
async function fileMenu(page, name, download = true) {
  await button(page, 'File').click();
  if (!download) return button(page, name).click();
  const [file] = await Promise.all([page.waitForEvent('download'), button(page, name).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

/** Drop a file on the page, as a user dragging it from the desktop would. */
async function dropFile(page, name, text) {
  const dataTransfer = await page.evaluateHandle(
    ([n, t]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], n, { type: 'application/json' }));
      return dt;
    },
    [name, text],
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await expect(page.locator('.drop-overlay')).toBeVisible();
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await expect(page.locator('.drop-overlay')).toHaveCount(0);
}

test('a reload restores the autosaved work exactly, and the URL drops ?sample=', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  expect(new URL(page.url()).search).toBe('');
  await makeWork(page);
  await page.locator('[data-state="Notify Failure"]').first().click();
  const before = await snapshot(page);
  await saved(page, '"cursor":6');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Stepwise' })).toBeVisible();
  expect(await snapshot(page)).toEqual(before);
  await expect(page.getByLabel('Scenario')).not.toHaveValue('');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Previous work' })).toHaveCount(0);
});

test('a link opened over saved work offers "Restore previous work", undoably', async ({ page, browser }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  await makeWork(page);
  const work = await snapshot(page);
  await saved(page, '"cursor":6');

  // A link to another sample, made in another browser.
  const other = await browser.newContext();
  const author = await other.newPage();
  await author.goto('./?sample=batch-fan-out-map');
  await button(author, 'Step forward').click();
  await button(author, 'Share').click();
  const url = await author.getByRole('dialog', { name: 'Share' }).getByLabel('Share link').inputValue();
  expect(url).not.toContain('sample=');
  await other.close();

  await page.goto('about:blank');
  await page.goto(url);
  await expect(page.getByLabel('Sample')).toHaveValue('batch-fan-out-map');
  const opened = await snapshot(page);
  // The link is open: the address bar no longer needs it (the work is autosaved).
  expect(new URL(page.url()).hash).toBe('');
  const bar = page.getByRole('region', { name: 'Previous work' });
  await expect(bar).toBeVisible();
  await bar.getByRole('button', { name: 'Restore previous work' }).click();
  expect(await snapshot(page)).toEqual(work);
  await bar.getByRole('button', { name: 'Back to the opened version' }).click();
  expect(await snapshot(page)).toEqual(opened);
  await bar.getByRole('button', { name: 'Dismiss' }).click();
  await expect(bar).toHaveCount(0);
  // The replaced work is also kept in storage.
  const previous = await page.evaluate(() => localStorage.getItem('stepwise.autosave.previous'));
  expect(previous).toContain('"cursor":6');
});

test('storage that throws on write: a warning, and the page keeps working', async ({ page }) => {
  await page.addInitScript(() => {
    Storage.prototype.setItem = function setItem() {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await open(page, '?sample=batch-retry-catch-notify');
  await makeWork(page, 2);
  const alert = page.getByRole('alert').filter({ hasText: 'Autosave failed: storage is full' });
  await expect(alert).toBeVisible();
  await button(page, 'Step forward').click();
  await expect(page.getByRole('status').first()).toContainText('Running');
  await page.getByLabel('Scenario').selectOption({ index: 0 });
  await button(page, 'Run to end').click();
  await expect(page.getByRole('status').first()).toContainText('Succeeded');
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toHaveCount(0);
});

test('storage that is disabled: "Autosave is off", and the page works', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      },
    });
  });
  await open(page, '?sample=batch-catch-notify');
  await expect(
    page.getByRole('alert').filter({ hasText: 'Autosave is off: this browser does not allow storage' }),
  ).toBeVisible();
  await button(page, 'Run to end').click();
  await expect(page.getByRole('status').first()).toContainText('Succeeded');
});

test('garbage in storage is set aside with a warning, never dropped', async ({ page }) => {
  await open(page);
  const cases = ['{"stepwise": 1, "cursor": "x"', '[1,2,3]', '{"stepwise": 99}', '<script>alert(1)</script>'];
  for (const garbage of cases) {
    // Let the pending autosave land first (leaving the page writes it at once).
    await page.waitForTimeout(700);
    await page.evaluate(([k, g]) => localStorage.setItem(k, g), [AUTOSAVE, garbage]);
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'The saved work could not be read and was set aside' });
    await expect(alert, garbage).toBeVisible();
    await alert.getByRole('button', { name: 'Show raw' }).click();
    await expect(alert.getByLabel('Raw saved data')).toHaveText(garbage);
    expect(await page.evaluate(() => localStorage.getItem('stepwise.autosave.unreadable'))).toBe(garbage);
    // The page works: the default sample runs.
    await button(page, 'Run to end').click();
    await expect(page.getByRole('status').first()).toContainText('Succeeded');
  }
});

test('dropped files: a scenario, a definition, a MockConfigFile, and files that are none', async ({ page }) => {
  await open(page, '?sample=batch-with-lambda');
  await makeWorkOrRun(page);
  const scenario = await fileMenu(page, 'Download scenario (.stepwise.json)');
  expect(scenario.name).toBe('batch-with-lambda.stepwise.json');
  const definition = await fileMenu(page, 'Download definition');
  expect(definition.name).toBe('batch-with-lambda.asl.json');
  expect(definition.text).toBe(await page.getByLabel('Definition').inputValue());
  const mock = await fileMenu(page, 'Export MockConfigFile');
  const there = await snapshot(page);

  await page.getByLabel('Sample').selectOption('batch-catch-notify');
  await dropFile(page, 'scenario.stepwise.json', scenario.text);
  expect(await snapshot(page)).toEqual(there);

  await page.getByLabel('Sample').selectOption('batch-catch-notify');
  await dropFile(page, 'machine.asl.json', definition.text);
  await expect(page.getByLabel('Definition')).toHaveValue(definition.text);
  await expect(page.locator('[data-state][data-status="failed"]')).toHaveCount(0);

  // The outcomes of the exported run come back: the same statuses at the end.
  await dropFile(page, 'MockConfigFile.json', mock.text);
  await button(page, 'Run to end').click();
  expect((await snapshot(page)).states).toEqual(there.states);

  for (const [name, text, message] of [
    ['notes.json', '{"hello": "world"}', 'is none of the files Stepwise opens'],
    ['broken.json', '{"StartAt": ', 'line 1, column 12'],
    ['bad-mock.json', '{"StateMachines": {}, "MockedResponses": {"R": {"x": {}}}}', 'at /MockedResponses/R/x'],
  ]) {
    const work = await snapshot(page);
    await dropFile(page, name, text);
    const alert = page.getByRole('alert').filter({ hasText: message });
    await expect(alert, name).toBeVisible();
    await expect(alert).toContainText(name);
    expect(await snapshot(page)).toEqual(work);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
  }
});

/** On batch-with-lambda: fail the Lambda every time and run to the end. */
async function makeWorkOrRun(page) {
  const scenario = page.getByLabel('Scenario');
  const labels = await scenario.locator('option').allInnerTexts();
  const failing = labels.find((l) => /fail|catch|exhaust/i.test(l)) || labels[labels.length - 1];
  await scenario.selectOption({ label: failing });
  await button(page, 'Run to end').click();
}

test('MockConfigFile export → import round trip, and a test case picker', async ({ page }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  await makeWork(page, 0);
  await button(page, 'Run to end').click();
  const before = await snapshot(page);
  const mock = await fileMenu(page, 'Export MockConfigFile');
  expect(mock.name).toBe('MockConfigFile.json');
  const config = JSON.parse(mock.text);
  expect(Object.keys(config.StateMachines)).toEqual(['StateMachine']);

  // A second test case (all defaults) makes the import ask which one.
  config.StateMachines.StateMachine.TestCases.happy = {};
  await page.getByLabel('Scenario').selectOption({ index: 0 });
  await button(page, 'File').click();
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    button(page, 'Import MockConfigFile…').click(),
  ]);
  await chooser.setFiles({ name: 'MockConfigFile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(config)) });
  const dialog = page.getByRole('dialog', { name: 'Import MockConfigFile' });
  await dialog.getByLabel('Test case').selectOption({ label: 'batch-retry-catch-notify (StateMachine)' });
  await dialog.getByRole('button', { name: 'Import' }).click();
  await button(page, 'Run to end').click();
  expect((await snapshot(page)).states).toEqual(before.states);

  // Import expects a MockConfigFile: a definition is refused, the work is kept.
  await button(page, 'File').click();
  const [again] = await Promise.all([
    page.waitForEvent('filechooser'),
    button(page, 'Import MockConfigFile…').click(),
  ]);
  await again.setFiles({ name: 'x.asl.json', mimeType: 'application/json', buffer: Buffer.from(before.definition) });
  await expect(page.getByRole('alert').filter({ hasText: 'is not a MockConfigFile' })).toBeVisible();
  expect((await snapshot(page)).states).toEqual(before.states);
});

test('parity: the exported MockConfigFile run by the CLI gives the page\'s history', async ({ page }) => {
  // The CLI may have to be compiled first.
  test.setTimeout(300_000);
  await open(page, '?sample=batch-retry-catch-notify');
  await makeWork(page, 0);
  // One more injected failure, by hand: the failure notification fails too.
  await button(page, 'Run to end').click();
  await page.locator('[data-state="Notify Failure"]').first().click();
  await page.getByLabel('Attempt 1').selectOption({ label: 'Fail' });
  await button(page, 'Reset').click();
  await button(page, 'Run to end').click();
  await expect(page.getByRole('status').first()).toContainText('Failed');
  const mock = await fileMenu(page, 'Export MockConfigFile');
  const history = await fileMenu(page, 'Export history');
  const definition = await fileMenu(page, 'Download definition');
  const scenario = await fileMenu(page, 'Download scenario (.stepwise.json)');
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-parity-'));
  const defPath = join(dir, definition.name);
  const inPath = join(dir, 'input.json');
  const mockPath = join(dir, 'MockConfigFile.json');
  writeFileSync(defPath, definition.text);
  writeFileSync(inPath, JSON.parse(scenario.text).input);
  writeFileSync(mockPath, mock.text);
  const config = JSON.parse(mock.text);
  const [name] = Object.keys(config.StateMachines.StateMachine.TestCases);
  const out = execFileSync(
    'cargo',
    ['run', '-q', '-p', 'stepwise-cli', '--', 'run', defPath, '--input', inPath, '--mock-config', mockPath, '--test-case', name, '--format', 'json'],
    { cwd: root, env: process.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const cli = JSON.parse(out);
  const page_ = JSON.parse(history.text);
  expect(Object.keys(page_)).toEqual(['events']);
  expect(page_.events.length).toBeGreaterThan(10);
  expect(cli.events).toEqual(page_.events);
  expect(cli.status).toBe('FAILED');
});
