import { Browser, expect, Page, test } from "@playwright/test";
import { hydrated, linkIn, mailTo, PASSWORD, readerOn, uniqueName } from "./helpers";

async function articleAt(page: Page, index: number): Promise<string> {
  const res = await page.request.get("/api/v1/articles");
  const list = await res.json();
  return `/articles/${list.items[index].slug}`;
}

/** A reader known only to the API (no page open), with their name. */
async function apiReader(browser: Browser, prefix: string): Promise<[Page, string]> {
  const page = await (await browser.newContext()).newPage();
  const name = uniqueName(prefix);
  const res = await page.request.post("/api/v1/auth/signup", {
    data: { username: name, email: `${name}@example.com`, password: PASSWORD },
  });
  expect(res.status()).toBe(201);
  return [page, name];
}

async function comment(page: Page, article: string, body: string, parentId?: number): Promise<number> {
  const res = await page.request.post(`/api/v1${article}/comments`, { data: { body, parent_id: parentId ?? null } });
  expect(res.status()).toBe(201);
  return (await res.json()).id;
}

test("a reply and a mention light the bell live, and a notification opens the article at the comment", async ({ browser, page }, info) => {
  const article = await articleAt(page, info.project.name === "phone" ? 10 : 9);
  const mina = await readerOn(browser, article, {}, "mina");
  const minaName = (await (await mina.request.get("/api/v1/me")).json()).username;
  const [jun, junName] = await apiReader(browser, "jun");
  const bell = mina.locator(".site-account__bell");
  await expect(bell).toHaveAccessibleName("Notifications: none unread");

  const mine = await comment(mina, article, `My take on the finale ${Date.now()}`);
  const reply = await comment(jun, article, `Fair point, but the ending dragged ${Date.now()}`, mine);
  // Without a reload, the header counts it.
  await expect(bell.locator(".site-account__unread")).toHaveText("1", { timeout: 3_000 });
  await expect(bell).toHaveAccessibleName("Notifications: 1 unread");

  // A mention is linked to the reader's profile and counted too.
  await comment(jun, article, `@${minaName} you called the twist ${Date.now()}`);
  await expect(bell.locator(".site-account__unread")).toHaveText("2", { timeout: 3_000 });

  await bell.click();
  await expect(mina).toHaveURL(/\/notifications$/);
  await hydrated(mina);
  const items = mina.locator(".notification");
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText(`${junName} mentioned you`);
  await expect(items.nth(1)).toContainText(`${junName} replied to your comment`);
  await expect(items.nth(1)).toContainText("the ending dragged");
  // Seen on screen counts as read: the header follows.
  await expect(bell.locator(".site-account__unread")).toBeHidden({ timeout: 3_000 });

  await items.nth(1).getByRole("link").click();
  await expect(mina).toHaveURL(new RegExp(`\\?thread=${mine}&after=${reply - 1}#comment-${reply}$`));
  await expect(mina.locator(`#comment-${reply}`)).toBeInViewport();
  await hydrated(mina);
  await mina.goto(article);
  await expect(mina.locator(`.comment__body a[href="/u/${minaName}"]`)).toHaveText(`@${minaName}`);
  await jun.context().close();
  await mina.context().close();
});

test("away from articles the bell keeps count with no WebAssembly loaded", async ({ browser, page }, info) => {
  const article = await articleAt(page, info.project.name === "phone" ? 5 : 6);
  const mina = await readerOn(browser, "/", {}, "mina");
  const wasm: string[] = [];
  mina.on("request", (r) => {
    if (r.url().endsWith(".wasm")) wasm.push(r.url());
  });
  await mina.locator(".site-nav").getByRole("link", { name: "K-Pop" }).click();
  await expect(mina).toHaveURL(/\/tags\/k-pop$/);
  await hydrated(mina);
  const bell = mina.locator(".site-account__bell");
  await expect(bell).toHaveAccessibleName("Notifications: none unread");
  const [jun] = await apiReader(browser, "jun");
  const mine = await comment(mina, article, `Counting on the bell ${Date.now()}`);
  await comment(jun, article, `It rings ${Date.now()}`, mine);
  await expect(bell.locator(".site-account__unread")).toHaveText("1", { timeout: 3_000 });
  await expect(bell).toHaveAccessibleName("Notifications: 1 unread");
  expect(wasm).toEqual([]);
  await jun.context().close();
  await mina.context().close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("notifications are listed, marked read and followed with plain links and forms", async ({ browser, page }, info) => {
    const article = await articleAt(page, info.project.name === "phone" ? 3 : 11);
    const name = uniqueName("mina_nojs");
    const res = await page.request.post("/api/v1/auth/signup", {
      data: { username: name, email: `${name}@example.com`, password: PASSWORD },
    });
    expect(res.status()).toBe(201);
    const [jun, junName] = await apiReader(browser, "jun_nojs");
    const mine = await comment(page, article, `Plain and simple ${Date.now()}`);
    await comment(jun, article, `Plain reply ${Date.now()}`, mine);
    expect((await jun.request.post(`/api/v1/comments/${mine}/like`)).status()).toBe(200);

    await page.goto("/");
    const bell = page.locator(".site-account__bell");
    await expect(bell.locator(".site-account__unread")).toHaveText("2");
    await bell.click();
    const items = page.locator(".notification");
    await expect(items).toHaveCount(2);
    await expect(items.nth(0)).toContainText("1 reader liked your comment");
    await expect(items.nth(1)).toContainText(`${junName} replied to your comment`);
    await expect(page.locator(".notification__new")).toHaveCount(2);

    await page.getByRole("button", { name: "Mark all as read" }).click();
    await expect(page).toHaveURL(/\/notifications$/);
    await expect(page.locator(".notification__new")).toHaveCount(0);
    await expect(bell.locator(".site-account__unread")).toBeHidden();

    await items.nth(0).getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`#comment-${mine}$`));
    await expect(page.locator(`#comment-${mine}`)).toBeVisible();

    // Mail about replies is a setting, off until turned on.
    await page.goto("/settings");
    const box = page.getByLabel("Email me when someone replies to my comments");
    await expect(box).not.toBeChecked();
    await box.check();
    await page.locator("#settings-mail").locator("..").getByRole("button", { name: "Save" }).click();
    await expect(page.locator(".auth-card__notice")).toContainText("Saved.");
    await expect(page.getByLabel("Email me when someone replies to my comments")).toBeChecked();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await jun.context().close();
  });

  test("a reply mail's unsubscribe link stops the mail with one button", async ({ browser, page }, info) => {
    const article = await articleAt(page, info.project.name === "phone" ? 3 : 11);
    const name = uniqueName("mailed_mina");
    const address = `${name}@example.com`;
    const signup = await page.request.post("/api/v1/auth/signup", { data: { username: name, email: address, password: PASSWORD } });
    expect(signup.status()).toBe(201);
    // Mail about replies goes to a confirmed address only.
    const token = new URLSearchParams(linkIn(await mailTo(address, "Confirm your email address"), "/verify-email").split("?")[1]).get("token");
    expect((await page.request.post("/api/v1/auth/verify-email", { data: { token } })).status()).toBe(200);
    expect((await page.request.post("/api/v1/me/reply-emails", { data: { on: true } })).status()).toBe(200);

    const [jun, junName] = await apiReader(browser, "jun_mailer");
    const mine = await comment(page, article, `Mail me the replies ${Date.now()}`);
    await comment(jun, article, `Here is a reply for your inbox ${Date.now()}`, mine);
    const mail = await mailTo(address, "replied to your comment");
    expect(mail).toContain(`${junName} replied to your comment`);
    expect(mail).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    // The page a reader opens (the header's link is the mail client's one-click POST).
    const link = [...mail.matchAll(/https?:\/\/[^\s<>]+\/unsubscribe\?user=\d+&token=[0-9a-f]+/g)]
      .map((m) => new URL(m[0]))
      .find((url) => url.pathname === "/unsubscribe");
    expect(link, mail).toBeTruthy();

    await page.goto(link!.pathname + link!.search);
    // Opening the link changed nothing yet (mail scanners open links too).
    expect((await (await page.request.get("/api/v1/me/settings")).json()).reply_emails).toBe(true);
    await page.getByRole("button", { name: "Stop mail about replies" }).click();
    await expect(page.locator(".auth-card__notice")).toContainText("you will get no more mail about replies");
    expect((await (await page.request.get("/api/v1/me/settings")).json()).reply_emails).toBe(false);
    await jun.context().close();
  });
});
