import { Browser, expect, Page, test } from "@playwright/test";
import { hydrated, PASSWORD, readerOn as readerWith, uniqueName } from "./helpers";

/** A new reader, logged in, looking at `article`. */
function readerOn(browser: Browser, article: string, viewport?: { width: number; height: number }): Promise<Page> {
  return readerWith(browser, article, viewport ? { viewport } : {});
}

async function anArticle(page: Page, index: number): Promise<string> {
  const res = await page.request.get("/api/v1/articles");
  const list = await res.json();
  return `/articles/${list.items[index].slug}`;
}

test("a comment posted by one reader appears for another within 2 seconds, behind the new-comments button", async ({ browser, page }, info) => {
  const article = await anArticle(page, info.project.name === "phone" ? 5 : 4);
  const viewport = info.project.name === "phone" ? { width: 360, height: 740 } : undefined;
  const alice = await readerOn(browser, article, viewport);
  const bob = await readerOn(browser, article, viewport);

  const text = `Loved this scene ${Date.now()}`;
  await alice.getByLabel("Join the conversation").fill(text);
  await alice.getByRole("button", { name: "Post comment" }).click();
  // The author's own comment shows at once.
  await expect(alice.locator(".comment__body", { hasText: text })).toBeVisible();

  // The other reader is told, without a reload and without the list jumping.
  const button = bob.getByRole("button", { name: /Show 1 new comment/ });
  await expect(button).toBeVisible({ timeout: 2_000 });
  await expect(bob.locator(".comment__body", { hasText: text })).toHaveCount(0);
  await button.click();
  await expect(bob.locator(".comment__body", { hasText: text })).toBeVisible();

  // A reply from Bob appears under Alice's comment in her page, in place.
  const aliceComment = bob.locator("article.comment", { hasText: text }).first();
  await aliceComment.locator("summary", { hasText: "Reply" }).click();
  const reply = `Same here ${Date.now()}`;
  await aliceComment.getByLabel("Your reply").fill(reply);
  await aliceComment.getByRole("button", { name: "Reply", exact: true }).click();
  await expect(bob.locator(".comment__body", { hasText: reply })).toBeVisible();
  await expect(alice.locator(".comment__body", { hasText: reply })).toBeVisible({ timeout: 2_000 });

  // A like in Bob's page moves the count in Alice's.
  await aliceComment.locator("button.comment__like").first().click();
  await expect(alice.locator("article.comment", { hasText: text }).locator("button.comment__like").first()).toContainText("1", { timeout: 2_000 });

  // An edit by Alice shows for Bob.
  const mine = alice.locator("article.comment", { hasText: text }).first();
  await mine.locator("summary", { hasText: "Edit" }).first().click();
  const edited = `${text} (edited)`;
  await mine.getByLabel("Edit your comment").fill(edited);
  await mine.getByRole("button", { name: "Save" }).click();
  await expect(bob.locator(".comment__body", { hasText: edited })).toBeVisible({ timeout: 2_000 });

  // Alice deletes; the thread stays (it has a reply) and says [deleted] for Bob.
  await hydrated(alice);
  const again = alice.locator("article.comment", { hasText: edited }).first();
  await again.getByRole("button", { name: "Delete" }).first().click();
  await expect(bob.locator(".comment__gone").first()).toHaveText("[deleted]", { timeout: 2_000 });
  await expect(bob.locator(".comment__body", { hasText: reply })).toBeVisible();

  if (info.project.name === "phone") {
    const overflow = await bob.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }
  await alice.context().close();
  await bob.context().close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("posting a comment is a plain form that returns to it", async ({ page }) => {
    const article = await anArticle(page, 6);
    const name = uniqueName("nojs");
    const res = await page.request.post("/api/v1/auth/signup", {
      data: { username: name, email: `${name}@example.com`, password: PASSWORD },
    });
    expect(res.status()).toBe(201);
    await page.goto(article);
    const text = `No script needed ${Date.now()}`;
    await page.getByLabel("Join the conversation").fill(text);
    await page.getByRole("button", { name: "Post comment" }).click();
    await expect(page).toHaveURL(/#comment-\d+$/);
    await expect(page.locator(".comment__body", { hasText: text })).toBeVisible();
    await page.locator("article.comment", { hasText: text }).locator("button.comment__like").click();
    await expect(page.locator("article.comment", { hasText: text }).locator("button.comment__like")).toContainText("1");
  });
});

test("the comment section's notice takes no room until it has something to say", async ({ page }) => {
  await page.goto(await anArticle(page, 0));
  const notice = page.locator(".comments__notice");
  expect((await notice.boundingBox())?.height).toBe(0);
  await hydrated(page);
  expect((await notice.boundingBox())?.height).toBe(0);
  await expect(notice).toHaveAttribute("role", "status");
});

/** Posts a comment (a reply when `parent` is given) through the API as the page's reader; its id. */
async function post(page: Page, article: string, body: string, parent?: number): Promise<number> {
  const res = await page.request.post(`/api/v1${article}/comments`, { data: { body, parent_id: parent ?? null } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id;
}

test("a long thread's further replies open in place, where the reader is", async ({ browser, page }) => {
  const article = await anArticle(page, 7);
  const reader = await readerOn(browser, article);
  const stamp = Date.now();
  const top = await post(reader, article, `A thread to go long ${stamp}`);
  for (let i = 1; i <= 12; i++) {
    await post(reader, article, `Long reply ${String(i).padStart(2, "0")} ${stamp}`, top);
  }
  await reader.goto(article);
  await hydrated(reader);
  const thread = reader.locator(`#comment-${top}`);
  await expect(thread.locator(".comment__body", { hasText: "Long reply 10" })).toBeVisible();
  await expect(thread.locator(".comment__body", { hasText: "Long reply 11" })).toHaveCount(0);

  const url = reader.url();
  await thread.getByRole("link", { name: "Show 2 more replies" }).click();
  await expect(thread.locator(".comment__body", { hasText: "Long reply 12" })).toBeVisible();
  await expect(thread.locator(".comment__body", { hasText: "Long reply 11" })).toBeVisible();
  await expect(thread.getByRole("link", { name: /more repl/ })).toHaveCount(0);
  // Still the article with all its threads, not the thread's own page.
  expect(reader.url()).toBe(url);
  await expect(reader.getByRole("link", { name: "← All comments" })).toHaveCount(0);
  await reader.context().close();
});

test("a reply that cannot be posted says why in its form and keeps what was written", async ({ browser, page }) => {
  const article = await anArticle(page, 8);
  const reader = await readerOn(browser, article);
  const top = await post(reader, article, `Reply to me if you can ${Date.now()}`);
  await reader.goto(article);
  await hydrated(reader);
  const thread = reader.locator(`#comment-${top}`);
  await thread.locator("summary", { hasText: "Reply" }).click();
  const words = `Words worth keeping ${Date.now()}`;
  await thread.getByLabel("Your reply").fill(words);
  // The session ends elsewhere (another tab logged out) before the reply is sent.
  expect((await reader.request.post("/api/v1/auth/logout")).status()).toBe(204);
  await thread.getByRole("button", { name: "Reply", exact: true }).click();

  const error = thread.locator(".field-error");
  await expect(error).toBeVisible();
  await expect(error).toContainText(/log in|sign in/i);
  await expect(thread.getByLabel("Your reply")).toHaveValue(words);
  await expect(thread.getByLabel("Your reply")).toHaveAttribute("aria-invalid", "true");
  await expect(thread.getByRole("button", { name: "Reply", exact: true })).toBeEnabled();
  await reader.context().close();
});

test("a like arriving live leaves a reply being typed in the same thread as it is", async ({ browser, page }) => {
  const article = await anArticle(page, 9);
  const alice = await readerOn(browser, article);
  const top = await post(alice, article, `Like me while they type ${Date.now()}`);
  const bob = await readerOn(browser, article);
  const thread = bob.locator(`#comment-${top}`);
  await thread.locator("summary", { hasText: "Reply" }).click();
  const words = `Half a thought ${Date.now()}`;
  await thread.getByLabel("Your reply").fill(words);

  expect((await alice.request.post(`/api/v1/comments/${top}/like`)).status()).toBeLessThan(300);
  await expect(thread.locator("button.comment__like").first()).toContainText("Like · 1", { timeout: 2_000 });
  await expect(thread.getByLabel("Your reply")).toBeVisible();
  await expect(thread.getByLabel("Your reply")).toHaveValue(words);
  await alice.context().close();
  await bob.context().close();
});
