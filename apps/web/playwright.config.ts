import { defineConfig } from '@playwright/test';
import { CHROMIUM, hasChromium } from './e2e/browser';

/**
 * Browser tests of the console against a real stack (api + worker from `npm run build`, embedded
 * PGlite, local storage, Redis), started by e2e/global-setup.ts. Debian's chromium, never
 * Playwright's download (offline). `npm test` runs them after jest; `npm run test:browser` alone.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.pw.ts',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  timeout: 6 * 60_000,
  expect: { timeout: 20_000 },
  globalSetup: './e2e/global-setup.ts',
  reporter: [['list'], ['./e2e/summary-reporter.ts']],
  use: {
    baseURL: process.env.HEIMDEX_E2E_URL,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: hasChromium()
      ? {
          executablePath: CHROMIUM,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        }
      : {},
  },
});
