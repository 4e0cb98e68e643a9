// Share links: make a scenario, share it, open the link in a fresh browser; broken links fail visibly.
import { test, expect, open } from './fixtures.mjs';

const button = (page, name) => page.getByRole('button', { name, exact: true });

/** Statuses of every graph state, the status text and the definition text. */
async function snapshot(page) {
  const states = await page.locator('[data-state][data-status]').evaluateAll((els) =>
    els.map((el) => `${el.getAttribute('data-state')}=${el.getAttribute('data-status')}`).sort(),
  );
  return {
    states,
    status: await page.getByRole('status').first().innerText(),
    definition: await page.getByLabel('Definition').inputValue(),
  };
}

/** A page in a fresh context, failing on console errors and outside requests like the fixture. */
async function freshPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1') return route.continue();
    problems.push(`request left 127.0.0.1: ${route.request().url()}`);
    return route.abort('blockedbyclient');
  });
  return { context, page, problems };
}

test('a shared scenario opens identically in a fresh browser', async ({ page, browser }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  await page.getByLabel('Scenario').selectOption({ label: 'Retries exhausted → Catch' });
  for (let i = 0; i < 6; i += 1) await button(page, 'Step forward').click();
  const before = await snapshot(page);
  expect(before.states.some((s) => s.endsWith('=failed') || s.endsWith('=in-progress'))).toBe(true);

  await button(page, 'Share').click();
  const dialog = page.getByRole('dialog', { name: 'Share' });
  await expect(dialog).toBeVisible();
  const url = await dialog.getByLabel('Share link').inputValue();
  expect(url).toMatch(/#v1\/[A-Za-z0-9_-]+$/);
  expect(page.url()).toBe(url);
  await expect(dialog).toContainText(`${url.length} characters`);
  expect(url.length).toBeLessThan(2000);
  await expect(dialog.getByRole('button', { name: 'Download .stepwise.json' })).toHaveCount(0);
  // Sharing does not reopen the link over the work.
  expect(await snapshot(page)).toEqual(before);

  const fresh = await freshPage(browser);
  await fresh.page.goto(url);
  await expect(fresh.page.getByRole('heading', { name: 'Stepwise' })).toBeVisible();
  expect(await snapshot(fresh.page)).toEqual(before);
  await expect(fresh.page.getByRole('alert')).toHaveCount(0);
  expect(fresh.problems).toEqual([]);
  await fresh.context.close();
});

test('broken links say so and keep the sample working', async ({ page, browser }) => {
  await open(page, '?sample=batch-retry-catch-notify');
  await button(page, 'Step forward').click();
  await button(page, 'Share').click();
  const good = await page.getByRole('dialog', { name: 'Share' }).getByLabel('Share link').inputValue();
  const base = good.split('#')[0];
  const fragment = good.split('#')[1];
  const i = fragment.length - 6;
  const changed = fragment.slice(0, i) + (fragment[i] === 'A' ? 'B' : 'A') + fragment.slice(i + 1);
  const cases = [
    ['v1/', 'This link is damaged'],
    [changed, 'This link is damaged'],
    [fragment.slice(0, Math.floor(fragment.length / 2)), 'This link is damaged'],
    ['v9/abc', 'made by a newer Stepwise'],
  ];
  const fresh = await freshPage(browser);
  for (const [bad, message] of cases) {
    await fresh.page.goto(`${base}#${bad}`);
    await fresh.page.reload();
    await expect(fresh.page.getByRole('heading', { name: 'Stepwise' })).toBeVisible();
    const alert = fresh.page.getByRole('alert').filter({ hasText: message });
    await expect(alert, bad).toBeVisible();
    await alert.getByRole('button', { name: 'Show raw' }).click();
    await expect(alert.getByLabel('Raw link contents')).not.toBeEmpty();
    // The sample on screen still works.
    await expect(fresh.page.getByLabel('Sample')).toHaveValue('batch-retry-catch-notify');
    await button(fresh.page, 'Step forward').click();
    await expect(fresh.page.getByRole('status').first()).toContainText('Running');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect(fresh.page.getByRole('alert')).toHaveCount(0);
  }
  expect(fresh.problems).toEqual([]);
  await fresh.context.close();

  // A broken link pasted into the address bar of an open page keeps the work.
  await page.getByLabel('Scenario').selectOption({ label: 'Retries exhausted → Catch' });
  await button(page, 'Step forward').click();
  await button(page, 'Step forward').click();
  const before = await snapshot(page);
  await page.evaluate(() => { window.location.hash = 'v1/AAAA'; });
  await expect(page.getByRole('alert').filter({ hasText: 'This link is damaged' })).toBeVisible();
  expect(await snapshot(page)).toEqual(before);
  // A good one opens.
  await page.evaluate((h) => { window.location.hash = h; }, fragment);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('status').first()).toContainText('Running');
  expect((await snapshot(page)).states).not.toEqual(before.states);
});
