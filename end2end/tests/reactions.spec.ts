import { expect, test } from "@playwright/test";
import { firstArticle, hydrated } from "./helpers";

test("a reaction in one reader's page shows in another's within 2 seconds", async ({ browser, page }) => {
  const article = await firstArticle(page);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await page.goto(article);
  await otherPage.goto(article);
  await hydrated(page);
  await hydrated(otherPage);

  const love = page.locator("button.reaction[value=love]");
  const theirLove = otherPage.locator("button.reaction[value=love] .reaction__count");
  const before = Number(await theirLove.textContent());
  await love.click();
  await expect(love).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator("button.reaction[value=love] .reaction__count")).toHaveText(String(before + 1));
  await expect(theirLove).toHaveText(String(before + 1), { timeout: 2_000 });

  // Switch, then take back: the other page follows.
  await page.locator("button.reaction[value=wow]").click();
  await expect(theirLove).toHaveText(String(before), { timeout: 2_000 });
  await page.locator("button.reaction[value=wow]").click();
  await expect(page.locator("button.reaction[value=wow]")).toHaveAttribute("aria-pressed", "false");
  await other.close();
});

test("reactions work with the keyboard alone", async ({ page }) => {
  const article = await firstArticle(page);
  await page.goto(article);
  await hydrated(page);
  const sad = page.locator("button.reaction[value=sad]");
  await sad.focus();
  await expect(sad).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(sad).toHaveAttribute("aria-pressed", "true");
  await page.keyboard.press("Tab");
  await expect(page.locator("button.reaction[value=angry]")).toBeFocused();
  await page.keyboard.press(" ");
  await expect(page.locator("button.reaction[value=angry]")).toHaveAttribute("aria-pressed", "true");
  await expect(sad).toHaveAttribute("aria-pressed", "false");
  await expect(page.locator("button.reaction[value=angry]")).toHaveAccessibleName(/^Angry \d+ responses?, \d+%$/);
  const box = await sad.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the reaction buttons post a form and come back to the widget", async ({ page }) => {
    await page.goto("/");
    const href = await page.locator("article.card .card__headline a").nth(2).getAttribute("href");
    await page.goto(href!);
    const excited = page.locator("button.reaction[value=excited]");
    await excited.click();
    await expect(page).toHaveURL(new RegExp(`${href}#reactions$`));
    await expect(page.locator("button.reaction[value=excited]")).toHaveAttribute("aria-pressed", "true");
  });
});
