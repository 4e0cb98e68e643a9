// Playwright for Stepwise: Debian's Chromium, against dist/ served by `cargo xtask test`.
import { defineConfig } from '@playwright/test';

const url = process.env.STEPWISE_URL;
if (!url) {
  throw new Error('STEPWISE_URL is not set: run the end-to-end tests with `cargo xtask test`');
}

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.mjs/,
  outputDir: process.env.STEPWISE_E2E_OUT || '../../target/e2e-results',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  reporter: [['list'], ['json']],
  use: {
    baseURL: url,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
});
