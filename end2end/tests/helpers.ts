import { Browser, BrowserContextOptions, expect, Page } from "@playwright/test";
import { execFileSync } from "node:child_process";

export const PASSWORD = "harbour-lantern-92";

/** A username no other test run has used. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`.slice(0, 30);
}

/** Waits until the WebAssembly bundle has hydrated the page. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "true", null, { timeout: 15_000 });
}

export async function firstArticle(page: Page): Promise<string> {
  await page.goto("/");
  const href = await page.locator("article.card .card__headline a").first().getAttribute("href");
  expect(href).toBeTruthy();
  return href!;
}

export async function signUp(page: Page, username: string, next = "/") {
  await page.goto(`/signup?next=${encodeURIComponent(next)}`);
  await hydrated(page);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email").fill(`${username}@example.com`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

/** A new reader, signed up through the API in a context of its own, looking at `article`. */
export async function readerOn(browser: Browser, article: string, options: BrowserContextOptions = {}, prefix = "c"): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const name = uniqueName(prefix);
  const res = await page.request.post("/api/v1/auth/signup", {
    data: { username: name, email: `${name}@example.com`, password: PASSWORD },
  });
  expect(res.status()).toBe(201);
  await page.goto(article);
  await hydrated(page);
  return page;
}

// The test server has no SMTP_URL: its mail waits in the outbox, read here the way
// an operator would, with `server mail list` and `server mail show`.
const SERVER = "../target/release/server";
const ENV = { ...process.env, DATABASE_URL: "sqlite://../target/e2e/spotlight.db", RUST_LOG: "warn" };

/** The newest mail to `address` whose subject contains `subject`, in full. */
export async function mailTo(address: string, subject: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const list = execFileSync(SERVER, ["mail", "list", "--limit", "500"], { env: ENV }).toString();
    const line = list.split("\n").find((l) => l.includes(address) && l.includes(subject));
    if (line) {
      return execFileSync(SERVER, ["mail", "show", line.trim().split(/\s+/)[0]], { env: ENV }).toString();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail "${subject}" to ${address}`);
}

export function linkIn(mail: string, path: string): string {
  const match = mail.match(new RegExp(`https?://[^\\s]+${path}\\?token=[0-9a-f]+`));
  expect(match, mail).toBeTruthy();
  return new URL(match![0]).pathname + new URL(match![0]).search;
}

