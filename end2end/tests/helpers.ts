import { Browser, BrowserContextOptions, expect, Page } from "@playwright/test";

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
