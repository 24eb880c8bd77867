import { expect, Page } from "@playwright/test";

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
