import { defineConfig } from '@playwright/test';

// Debian's Chromium (/usr/bin/chromium): Playwright's own browser download needs the internet.
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  retries: 0,
  workers: 1,
  reporter: process.env.CI ? 'list' : [['list'], ['html', { open: 'never' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // Signed in as the project's owner (written by global-setup); e2e/auth.spec.ts starts signed out.
    // One sign-in file per build dir, so parallel Playwright runs (WHETSTONE_NEXT_DIST_DIR) keep their own.
    storageState: `e2e/.auth/owner${process.env.WHETSTONE_NEXT_DIST_DIR ? `-${process.env.WHETSTONE_NEXT_DIST_DIR.replace(/[^\w-]/g, '')}` : ''}.json`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
