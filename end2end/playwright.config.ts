import { defineConfig } from '@playwright/test';

// The server is started by `make test-e2e` (scripts/e2e-server.sh) on this port.
const port = process.env.E2E_PORT ?? '3100';

const chromium = {
  browserName: 'chromium' as const,
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  },
};

export default defineConfig({
  testDir: './tests',
  timeout: 45_000,
  // Generous: CI has two cores for three servers and two browsers; a passing check returns at once.
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: { baseURL: `http://127.0.0.1:${port}`, locale: 'de-DE', trace: 'retain-on-failure' },
  projects: [
    { name: 'js', use: { ...chromium, javaScriptEnabled: true } },
    // The same tests as a browser without JavaScript sees them; tests tagged @js need it.
    { name: 'no-js', use: { ...chromium, javaScriptEnabled: false }, grepInvert: /@js/ },
  ],
});
