import { expect, test } from "@playwright/test";
import { firstArticle, hydrated, PASSWORD, signUp, uniqueName } from "./helpers";

test("sign up, log out, log in and land back on the article", async ({ page }) => {
  const article = await firstArticle(page);
  await page.goto(article);
  await page.getByRole("link", { name: "Log in to join the conversation" }).click();
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/signup\?next=/);
  await hydrated(page);

  const name = uniqueName("e2e");
  await page.getByLabel("Username").fill(name);
  await page.getByLabel("Email").fill(`${name}@example.com`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(new RegExp(`${article}(#comments)?$`));
  await expect(page.locator(".site-account")).toContainText(name);
  await expect(page.getByRole("link", { name: "Log in to join the conversation" })).toHaveCount(0);

  await hydrated(page);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.locator(".site-account")).toContainText("Log in");

  await page.goto(article);
  await page.getByRole("link", { name: "Log in to join the conversation" }).click();
  await hydrated(page);
  await page.getByLabel("Username or email").fill(name);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(new RegExp(`${article}(#comments)?$`));
  await expect(page.locator(".site-account")).toContainText(name);
});

test("a wrong password shows the error next to the form", async ({ page }) => {
  const name = uniqueName("e2e_wrong");
  await signUp(page, name);
  await expect(page.locator(".site-account")).toContainText(name);
  await hydrated(page);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.locator(".site-account")).toContainText("Log in");
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Username or email").fill(name);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.locator(".form-error")).toContainText("Please log in");
});

test("sign-up errors are shown next to the field at fault", async ({ page }) => {
  await page.goto("/signup");
  await hydrated(page);
  await page.getByLabel("Username").fill("no spaces allowed");
  await page.getByLabel("Email").fill("someone@example.com");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#username-error")).toContainText("letters");
  await expect(page.getByLabel("Username")).toHaveAttribute("aria-invalid", "true");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the login form posts and shows its error", async ({ page }) => {
    await page.goto("/login?next=/");
    await page.getByLabel("Username or email").fill("nobody_like_this");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.locator(".form-error")).toContainText("Please log in");
  });
});
