import { expect, test } from "@playwright/test";
import { hydrated } from "./helpers";

async function articleWithVideo(page: import("@playwright/test").Page): Promise<string> {
  const res = await page.request.get("/api/v1/articles");
  const list = await res.json();
  for (let cursor: string | null = null; ; ) {
    const page1 = cursor ? await (await page.request.get(`/api/v1/articles?cursor=${cursor}`)).json() : list;
    for (const item of page1.items) {
      const full = await (await page.request.get(`/api/v1/articles/${item.slug}`)).json();
      if (full.videos.some((v: { provider: string }) => v.provider === "youtube")) return `/articles/${item.slug}`;
    }
    cursor = page1.next_cursor;
    if (!cursor) throw new Error("no article with a YouTube video");
  }
}

test("videos load nothing from third parties until the reader plays one", async ({ page }) => {
  const thirdParty: string[] = [];
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => {
    thirdParty.push(route.request().url());
    return route.abort();
  });
  const article = await articleWithVideo(page);
  await page.goto(article);
  await hydrated(page);
  const facade = page.locator("a.video-facade").first();
  await facade.scrollIntoViewIfNeeded();
  await page.waitForLoadState("networkidle");
  expect(thirdParty).toEqual([]);
  const preconnect = page.locator('head link[rel="preconnect"][href="https://www.youtube-nocookie.com"]');
  await expect(preconnect).toHaveCount(0);
  await facade.hover();
  await expect(preconnect).toHaveCount(1);

  const frame = page.locator(".video-frame").first();
  const before = await frame.boundingBox();
  await facade.click();
  const iframe = page.locator(".video-frame iframe").first();
  await expect(iframe).toHaveAttribute("src", /^https:\/\/www\.youtube-nocookie\.com\/embed\/[\w-]{11}\?autoplay=1$/);
  const after = await frame.boundingBox();
  expect(Math.round(after!.height)).toBe(Math.round(before!.height));
});

test("a video facade can be played from the keyboard", async ({ page }) => {
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  const article = await articleWithVideo(page);
  await page.goto(article);
  await hydrated(page);
  const facade = page.locator("a.video-facade").first();
  await facade.focus();
  // Focus is interest enough to warm up the connection, once.
  await expect(page.locator('head link[rel="preconnect"]')).toHaveCount(1);
  await page.keyboard.press(" ");
  await expect(page.locator(".video-frame iframe").first()).toBeVisible();
});

test("a self-hosted clip fetches nothing until played, then plays in place", async ({ page }) => {
  const media: string[] = [];
  page.on("request", (req) => {
    if (req.url().includes("/media/")) media.push(req.url());
  });
  await page.goto("/articles/quiet-prince-set-visit");
  await hydrated(page);
  const video = page.locator("video").first();
  await video.scrollIntoViewIfNeeded();
  await page.waitForLoadState("networkidle");
  expect(media).toEqual([]);
  await expect(video).toHaveAttribute("preload", "none");

  const box = await video.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
  // Muted, as a reader's tap would be allowed to start it; the clip has no sound anyway.
  await video.evaluate(async (v: HTMLVideoElement) => {
    v.muted = true;
    await v.play();
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 5000 }).toBeGreaterThan(0.2);
  expect(media.length).toBeGreaterThan(0);
});
