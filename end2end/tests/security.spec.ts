import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { createHash } from "node:crypto";
import { firstArticle, hydrated } from "./helpers";

// Counts Content-Security-Policy violations the page reports, from the start.
async function watchCsp(page: import("@playwright/test").Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) console.push(m.text());
  });
  await page.addInitScript(() => {
    (window as any).__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as any).__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return async () => [...console, ...(await page.evaluate(() => (window as any).__cspViolations as string[]))];
}

test("the article loads, hydrates and works under its CSP without a single violation", async ({ page }) => {
  const violations = await watchCsp(page);
  const article = await firstArticle(page);
  const response = await page.goto(article);
  const policy = response!.headers()["content-security-policy"];
  expect(policy).toContain("'wasm-unsafe-eval'");
  // A guest's article comes from the page cache: its scripts are allowed by hash, in a real browser.
  expect(policy).toContain("'sha256-");
  await hydrated(page);
  const love = page.locator("button.reaction[value=love]");
  await love.click();
  await expect(love).toHaveAttribute("aria-pressed", "true");
  expect(await violations()).toEqual([]);
});

// Inline scripts of a page: their opening tag's attributes and their text.
function inlineScripts(html: string): { attrs: string; text: string }[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1], text: m[2] }));
}

test("pages rendered per response carry a fresh nonce on every inline script", async ({ request }) => {
  const nonces: string[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await request.get("/login");
    const nonce = /'nonce-([^']+)'/.exec(res.headers()["content-security-policy"])![1];
    const inline = inlineScripts(await res.text());
    expect(inline.length).toBeGreaterThan(0);
    for (const { attrs } of inline) expect(attrs).toContain(`nonce="${nonce}"`);
    nonces.push(nonce);
  }
  expect(nonces[0]).not.toEqual(nonces[1]);
});

test("a cached page names each of its inline scripts by hash and shares no nonce", async ({ request }) => {
  for (let i = 0; i < 2; i++) {
    const res = await request.get("/");
    const policy = res.headers()["content-security-policy"];
    expect(policy).not.toContain("'nonce-");
    expect(policy).not.toContain("unsafe-inline");
    const inline = inlineScripts(await res.text());
    expect(inline.length).toBeGreaterThan(0);
    for (const { text } of inline) {
      expect(policy).toContain(`'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`);
    }
  }
});

test("every page type has no serious or critical accessibility violations", async ({ page }) => {
  const article = await firstArticle(page);
  const pages = ["/", article, "/tags/k-drama", "/search?q=drama", "/login", "/signup", "/no-such-page"];
  for (const path of pages) {
    await page.goto(path);
    if (path === article) await hydrated(page);
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${path}: ${v.id} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    expect(serious).toEqual([]);
  }
});

test("a reaction button's accessible name starts with what it shows", async ({ page }) => {
  const article = await firstArticle(page);
  await page.goto(article);
  await hydrated(page);
  await expect(page.locator("button.reaction[value=angry]")).toHaveAccessibleName(/^Angry \d+ responses?, \d+%$/);
});
