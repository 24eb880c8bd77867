import { expect, Page, test } from "@playwright/test";
import { hydrated, linkIn, mailTo, PASSWORD, signUp, uniqueName } from "./helpers";

async function resetFlow(page: Page, js: boolean) {
  const name = uniqueName(js ? "reset" : "reset_nojs");
  if (js) {
    await signUp(page, name);
  } else {
    const res = await page.request.post("/api/v1/auth/signup", {
      data: { username: name, email: `${name}@example.com`, password: PASSWORD },
    });
    expect(res.status()).toBe(201);
    await page.goto("/");
  }
  await expect(page.locator(".site-account")).toContainText(name);

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  if (js) await hydrated(page);
  await page.getByLabel("Email").fill(`${name}@example.com`);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.locator(".auth-card__notice")).toContainText("a link to choose a new password is on its way");

  const mail = await mailTo(`${name}@example.com`, "Reset your Spotlight password");
  expect(mail).toContain("It works once, for 30 minutes.");
  await page.goto(linkIn(mail, "/reset-password"));
  if (js) await hydrated(page);
  await page.getByLabel("New password").fill("1234567890");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page.locator("#password-error")).toBeVisible();

  const fresh = "a-new-lantern-by-the-harbour";
  await page.getByLabel("New password").fill(fresh);
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.locator(".auth-card__notice")).toContainText("logged out everywhere");
  await expect(page.locator(".site-account")).toContainText("Log in");

  if (js) await hydrated(page);
  await page.getByLabel("Username or email").fill(name);
  await page.getByLabel("Password").fill(fresh);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.locator(".site-account")).toContainText(name);
}

test("a forgotten password is reset through the mailed link, which ends the old sessions", async ({ page }) => {
  await resetFlow(page, true);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the reset works with plain form posts", async ({ page }) => {
    await resetFlow(page, false);
  });

  test("the mailed confirmation link confirms the address with one button", async ({ page }) => {
    const name = uniqueName("confirm");
    const res = await page.request.post("/api/v1/auth/signup", {
      data: { username: name, email: `${name}@example.com`, password: PASSWORD },
    });
    expect(res.status()).toBe(201);
    const mail = await mailTo(`${name}@example.com`, "Confirm your email address");
    await page.goto(linkIn(mail, "/verify-email"));
    await page.getByRole("button", { name: "Confirm my email address" }).click();
    await expect(page.locator(".auth-card__notice")).toContainText("your email address is confirmed");
    const me = await page.request.get("/api/v1/me");
    expect((await me.json()).verified).toBe(true);
  });
});
