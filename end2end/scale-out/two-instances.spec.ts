import { Browser, expect, Page, test } from "@playwright/test";
import { readerOn } from "../tests/helpers";

/** A signed-in reader whose every request (page, API, live stream) goes to one instance. */
function readerOnInstance(browser: Browser, instance: "1" | "2", article: string): Promise<Page> {
  return readerOn(browser, article, { extraHTTPHeaders: { "x-spotlight-instance": instance } }, `i${instance}`);
}

test("readers on different instances see each other's comments and reactions live", async ({ browser, page }, info) => {
  const list = await (await page.request.get("/api/v1/articles")).json();
  const article = `/articles/${list.items[info.project.name === "phone" ? 1 : 0].slug}`;
  const one = await readerOnInstance(browser, "1", article);
  const two = await readerOnInstance(browser, "2", article);

  // A comment posted on instance 1 reaches the reader on instance 2.
  const text = `From the first instance ${Date.now()}`;
  await one.getByLabel("Join the conversation").fill(text);
  await one.getByRole("button", { name: "Post comment" }).click();
  await expect(one.locator(".comment__body", { hasText: text })).toBeVisible();
  const button = two.getByRole("button", { name: /Show 1 new comment/ });
  await expect(button).toBeVisible({ timeout: 3_000 });
  await button.click();
  await expect(two.locator(".comment__body", { hasText: text })).toBeVisible();

  // A reaction on instance 2 moves the count on instance 1.
  const count = one.locator("button.reaction[value=wow] .reaction__count");
  const before = Number(await count.textContent());
  await two.locator("button.reaction[value=wow]").click();
  await expect(count).toHaveText(String(before + 1), { timeout: 3_000 });

  // And the other way round: a reply on instance 2 shows on instance 1.
  const comment = two.locator("article.comment", { hasText: text }).first();
  await comment.locator("summary", { hasText: "Reply" }).click();
  const reply = `Answered from the second instance ${Date.now()}`;
  await comment.getByLabel("Your reply").fill(reply);
  await comment.getByRole("button", { name: "Reply", exact: true }).click();
  await expect(one.locator(".comment__body", { hasText: reply })).toBeVisible({ timeout: 3_000 });
});
