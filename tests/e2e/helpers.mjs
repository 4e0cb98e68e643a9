// Helpers shared by samples.spec.mjs and links.spec.mjs: locators by accessible name, a
// snapshot of everything a share link must restore, a checked fresh browser context, and a
// builder of `#v1/` links around arbitrary bytes (for the bad-link cases).
import zlib from 'node:zlib';
import { expect } from './fixtures.mjs';

export const button = (page, name) => page.getByRole('button', { name, exact: true });
export const inspector = (page) => page.getByRole('complementary', { name: 'Inspector' });
export const node = (page, name) => page.locator(`g[data-state="${cssString(name)}"]`);
/** The execution status + virtual clock (the header's role="status"). */
export const status = (page) => page.locator('.exec-status[role="status"]');
export const definition = (page) => page.getByLabel('Definition', { exact: true });

/** `name` escaped for a CSS attribute selector in double quotes. */
function cssString(name) {
  return name.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Click a state on the graph and wait until the inspector shows it. */
export async function selectState(page, name) {
  await node(page, name).first().click();
  await expect(inspector(page).getByRole('heading', { level: 2 })).toHaveText(name);
}

/** Every graph state as `name=status`, sorted. */
export async function graphStatuses(page) {
  return page.locator('g[data-state][data-status]').evaluateAll((els) =>
    els.map((el) => `${el.getAttribute('data-state')}=${el.getAttribute('data-status')}`).sort(),
  );
}

/**
 * The outcome rows of the inspector: `Attempt N=<mode>` of each select, followed by the row's
 * other fields when shown (`Duration (s)`, `Failure`, `Error`, `Cause`, `Result`).
 */
export async function attemptSelects(page) {
  return inspector(page)
    .locator('li[data-attempt]')
    .evaluateAll((rows) => rows.map((row) => {
      const fields = [...row.querySelectorAll('select[aria-label], input[aria-label], textarea[aria-label]')];
      const [mode, ...rest] = fields.map((el) => `${el.getAttribute('aria-label')}=${el.value}`);
      return [mode, ...rest.filter((f) => !f.endsWith('='))].join(' | ');
    }));
}

/** The text of one editor tab ("Definition" or "Input"), showing that tab first. */
export async function editorText(page, tab) {
  await page.getByRole('tab', { name: tab }).click();
  const box = page.getByLabel(tab, { exact: true });
  await expect(box).toBeVisible();
  return box.inputValue();
}

/**
 * Everything a share link restores, as the page shows it. With `{ tabs: false }` the editor
 * tabs are not switched: only the open editor's text is read (faster, for repeated checks).
 */
export async function snapshot(page, { tabs = true } = {}) {
  const selected = await page.locator('g.state.selected').evaluateAll((els) =>
    els.map((el) => el.getAttribute('data-state')),
  );
  return {
    sample: await page.getByLabel('Sample').inputValue(),
    scenario: await page.getByLabel('Scenario').locator('option:checked').allInnerTexts(),
    states: await graphStatuses(page),
    status: await status(page).innerText(),
    selected,
    heading: await inspector(page).getByRole('heading', { level: 2 }).allInnerTexts(),
    attempts: await attemptSelects(page),
    current: await page.locator('.history-row[aria-current="true"]').evaluateAll((els) =>
      els.map((el) => el.getAttribute('data-event-id')),
    ),
    ...(tabs
      ? { input: await editorText(page, 'Input'), definition: await editorText(page, 'Definition') }
      : { editor: await page.locator('#je-panel textarea').inputValue() }),
  };
}

/** A page in a new browser context (no shared storage), failing like the fixture does. */
export async function freshPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    return d.dismiss();
  });
  await page.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1') return route.continue();
    problems.push(`request left 127.0.0.1: ${route.request().url()}`);
    return route.abort('blockedbyclient');
  });
  return { context, page, problems };
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE), as the link format's trailer uses. */
export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A `v1/` fragment (without `#`) around `payload` built like the page builds its links: raw
 * deflate, then the CRC-32 of the payload (big-endian), base64url without padding. So the only
 * thing wrong with such a link is what `payload` holds.
 */
export function linkAround(payload) {
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
  const deflated = zlib.deflateRawSync(bytes, { level: 9 });
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(crc32(bytes));
  return `v1/${Buffer.concat([deflated, trailer]).toString('base64url')}`;
}
