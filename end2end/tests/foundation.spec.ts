import { expect, test } from "@playwright/test";
import { hydrated } from "./helpers";

test("home lists stories and opens an article", async ({ page }) => {
  await page.goto("/");
  const cards = page.locator("article.card");
  expect(await cards.count()).toBeGreaterThanOrEqual(10);
  await expect(page).toHaveTitle("Spotlight");
  const first = cards.first().locator(".card__headline a");
  const headline = (await first.textContent())!.trim();
  await first.click();
  await expect(page.locator("h1.article__headline")).toHaveText(headline);
  await expect(page).toHaveTitle(`${headline} | Spotlight`);
});

test("the page hydrates: links navigate without a full reload", async ({ page }) => {
  await page.goto("/");
  // Wait for the wasm bundle to be fetched and started.
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => ((window as any).__marker = "still here"));
  await page.locator("article.card .card__headline a").nth(1).click();
  await expect(page).toHaveURL(/\/articles\//);
  await expect(page.locator("h1.article__headline")).toBeVisible();
  expect(await page.evaluate(() => (window as any).__marker)).toBe("still here");
});

test("forms post in place and the back button returns, all in one document", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.evaluate(() => ((window as any).__marker = "still here"));
  await page.locator(".site-account").getByRole("link", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/login\?next=/);
  await expect(page).toHaveTitle(/Log in/);
  await page.getByLabel("Username or email").fill("nobody_like_this");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.locator(".form-error")).toContainText("Please log in");
  await expect(page.getByLabel("Username or email")).toHaveValue("nobody_like_this");
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator("article.card").first()).toBeVisible();
  expect(await page.evaluate(() => (window as any).__marker)).toBe("still here");
  // A search (a GET form), then a section from the header's navigation.
  await page.goto("/search");
  await hydrated(page);
  await page.evaluate(() => ((window as any).__marker = "still here"));
  await page.locator("main").getByRole("searchbox").fill("drama");
  await page.locator("main").getByRole("searchbox").press("Enter");
  await expect(page).toHaveURL(/\/search\?q=drama/);
  await expect(page.locator("main").getByRole("searchbox")).toHaveValue("drama");
  await page.locator(".site-nav").getByRole("link", { name: "K-Pop" }).click();
  await expect(page).toHaveURL(/\/tags\/k-pop$/);
  expect(await page.evaluate(() => (window as any).__marker)).toBe("still here");
});

test("an unknown page shows the 404 page", async ({ page }) => {
  const res = await page.goto("/articles/this-story-does-not-exist");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("no horizontal scrolling from phone to desktop widths", async ({ page }) => {
  for (const width of [360, 768, 1440]) {
    await page.setViewportSize({ width, height: 800 });
    for (const path of ["/", "/tags/k-drama"]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${path} at ${width}px`).toBeLessThanOrEqual(0);
    }
    const href = await page.locator("article.card .card__headline a").first().getAttribute("href");
    await page.goto(href!);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `article at ${width}px`).toBeLessThanOrEqual(0);
  }
});

test("keyboard focus is visible", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.locator(".skip-link");
  await expect(skip).toBeFocused();
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");
});
