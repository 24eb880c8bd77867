import { defineConfig, devices } from "@playwright/test";

// The release server, started by Playwright on its own port with a fresh database.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: chromium,
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], launchOptions: chromium } },
    { name: "phone", use: { ...devices["Pixel 7"], launchOptions: chromium } },
  ],
  webServer: {
    command: `rm -rf ../target/e2e && mkdir -p ../target/e2e && ../target/release/server`,
    cwd: ".",
    url: `${baseURL}/healthz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "../target/site",
      DATABASE_URL: "sqlite://../target/e2e/spotlight.db",
      CONTENT_DIR: "../content",
      PUBLIC_DIR: "../public",
      SITE_URL: baseURL,
      RUST_LOG: "warn",
      // Every test signs up readers from 127.0.0.1; the real limits have their own tests.
      LIMIT_SIGNUPS_PER_HOUR: "10000",
      LIMIT_REACTIONS_PER_MINUTE: "10000",
      LIMIT_COMMENTS_PER_MINUTE: "10000",
    },
  },
});
