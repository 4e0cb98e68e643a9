// Shared fixture: every test's page fails on console errors and on any request leaving 127.0.0.1.
import { test as base, expect } from '@playwright/test';

export const test = base.extend({
  page: async ({ page }, use) => {
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
    await use(page);
    expect(problems, 'console errors or outside requests').toEqual([]);
  },
});

export { expect };

/** Open the page and wait until the app has mounted. */
export async function open(page, query = '') {
  await page.goto(`./${query}`);
  await expect(page.getByRole('heading', { name: 'Stepwise' })).toBeVisible();
}
