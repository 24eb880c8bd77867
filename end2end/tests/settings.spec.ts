import { Browser, expect, Page, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { hydrated, PASSWORD, readerOn, uniqueName } from "./helpers";

const NEW_PASSWORD = "paper-moon-lantern-7";

async function articleAt(page: Page, index: number): Promise<string> {
  const res = await page.request.get("/api/v1/articles");
  const list = await res.json();
  return `/articles/${list.items[index].slug}`;
}

/** A reader signed up through the API in a context of its own; returns the page and the name. */
async function newReader(browser: Browser, javaScriptEnabled: boolean): Promise<[Page, string]> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  const name = uniqueName("settings");
  const res = await page.request.post("/api/v1/auth/signup", {
    data: { username: name, email: `${name}@example.com`, password: PASSWORD },
  });
  expect(res.status()).toBe(201);
  return [page, name];
}

/** Another session of `name`, in a browser context of its own. */
async function elsewhere(browser: Browser, name: string, password = PASSWORD): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  const res = await page.request.post("/api/v1/auth/login", { data: { login: name, password } });
  expect(res.status()).toBe(200);
  return page;
}

async function signedIn(page: Page): Promise<boolean> {
  return (await page.request.get("/api/v1/me")).status() === 200;
}

async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("a reader changes their password and address, downloads their data and logs out elsewhere, in place", async ({ browser }) => {
  const [page, name] = await newReader(browser, true);
  const other = await elsewhere(browser, name);
  await page.goto("/");
  await page.locator(".site-account").getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await hydrated(page);
  await expect(page.locator(".settings__email")).toHaveText(`${name}@example.com`);
  await expect(page.locator(".settings__session")).toHaveCount(2);
  await expect(page.locator(".settings__session[data-current=true]")).toContainText("This browser");
  await noHorizontalScroll(page);

  // Everything kept about the reader, as a file.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download my data" }).click();
  const file = await (await download).path();
  const exported = JSON.parse(readFileSync(file!, "utf8"));
  expect(exported.account.username).toBe(name);

  // A wrong current password is said beside its field; nothing changes.
  await page.getByLabel("Current password", { exact: true }).fill("not-my-password");
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change my password" }).click();
  await expect(page.locator("#current_password-error")).toHaveText("That is not your current password.");
  expect(await signedIn(other)).toBe(true);

  await page.getByLabel("Current password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Change my password" }).click();
  await expect(page.locator(".auth-card__notice")).toContainText("Your password is changed");
  expect(await signedIn(other)).toBe(false);
  expect(await signedIn(page)).toBe(true);
  await expect(page.locator(".settings__session")).toHaveCount(1);

  // A new address must be confirmed again.
  await hydrated(page);
  await page.getByLabel("New email address").fill(`${name}@new.example.com`);
  await page.getByLabel("Your current password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change my address" }).click();
  await expect(page.locator(".auth-card__notice")).toContainText("Your address is changed");
  await expect(page.locator(".settings__email")).toHaveText(`${name}@new.example.com`);
  await expect(page.locator(".settings__status")).toHaveText("not confirmed yet");
  await hydrated(page);
  await page.getByRole("button", { name: "Send the confirmation link again" }).click();
  await expect(page.locator(".auth-card__notice")).toContainText("A new confirmation link is on its way");

  // Another session again, then "log out of the other session".
  const third = await elsewhere(browser, name, NEW_PASSWORD);
  await page.reload();
  await hydrated(page);
  await page.getByRole("button", { name: "Log out of the other session" }).click();
  await expect(page.locator(".auth-card__notice")).toContainText("Every other session is logged out");
  expect(await signedIn(third)).toBe(false);
  await third.context().close();
  await other.context().close();
  await page.context().close();
});

test("deleting an account turns its comments into [deleted] and takes its reaction back, live for every reader", async ({ browser, page }, info) => {
  const article = await articleAt(page, info.project.name === "phone" ? 8 : 7);
  const leaver = await readerOn(browser, article, {}, "leaver");
  const words = `Goodbye from me ${Date.now()}`;
  const posted = await leaver.request.post(`/api/v1${article}/comments`, { data: { body: words } });
  expect(posted.status()).toBe(201);
  const reacted = await leaver.request.put(`/api/v1${article}/reactions`, { data: { reaction: "sad" } });
  expect(reacted.status()).toBe(200);

  // Another reader has the article open.
  const watcher = await readerOn(browser, article, {}, "watcher");
  await expect(watcher.locator(".comment__body", { hasText: words })).toBeVisible();
  const sadCount = watcher.locator("button.reaction[value=sad] .reaction__count");
  const before = Number(await sadCount.textContent());
  expect(before).toBeGreaterThan(0);

  await leaver.goto("/settings");
  await hydrated(leaver);
  await leaver.getByLabel("Your password, to confirm").fill("not-my-password");
  await leaver.getByRole("button", { name: "Delete my account" }).click();
  await expect(leaver.locator("#delete_password-error")).toHaveText("That is not your current password.");
  await leaver.getByLabel("Your password, to confirm").fill(PASSWORD);
  await leaver.getByRole("button", { name: "Delete my account" }).click();
  await expect(leaver).toHaveURL(/\/account-deleted$/);
  await expect(leaver.getByRole("heading", { name: "Your account is deleted" })).toBeVisible();
  await expect(leaver.locator(".site-account")).toContainText("Log in");

  // Without a reload, the other reader's page loses the words and the reaction.
  await expect(watcher.locator(".comment__body", { hasText: words })).toHaveCount(0, { timeout: 2_000 });
  await expect(sadCount).toHaveText(String(before - 1), { timeout: 2_000 });
  await leaver.context().close();
  await watcher.context().close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("every settings form works as a plain form post", async ({ browser }) => {
    const [page, name] = await newReader(browser, false);
    const other = await elsewhere(browser, name);
    await page.goto("/settings");
    await expect(page.locator(".settings__session")).toHaveCount(2);
    await noHorizontalScroll(page);

    await page.getByRole("button", { name: "Log out of the other session" }).click();
    await expect(page).toHaveURL(/\/settings\?done=sessions$/);
    await expect(page.locator(".auth-card__notice")).toContainText("Every other session is logged out");
    expect(await signedIn(other)).toBe(false);

    // An error comes back beside the field of the form it belongs to.
    await page.getByLabel("Current password", { exact: true }).fill("not-my-password");
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change my password" }).click();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.locator("#current_password-error")).toHaveText("That is not your current password.");
    await expect(page.locator("#delete_password-error")).toBeHidden();
    await page.getByLabel("Current password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change my password" }).click();
    await expect(page.locator(".auth-card__notice")).toContainText("Your password is changed");

    await page.getByLabel("New email address").fill("not-an-address");
    await page.getByLabel("Your current password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change my address" }).click();
    await expect(page.locator("#email-error")).toBeVisible();
    await expect(page.getByLabel("New email address")).toHaveValue("not-an-address");

    await page.getByLabel("Your password, to confirm").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page).toHaveURL(/\/account-deleted$/);
    expect(await signedIn(page)).toBe(false);
    const login = await page.request.post("/api/v1/auth/login", { data: { login: name, password: NEW_PASSWORD } });
    expect(login.status()).toBe(401);
    await other.context().close();
    await page.context().close();
  });
});
