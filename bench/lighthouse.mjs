#!/usr/bin/env node
// Lighthouse scores of one page, with Debian's Chromium.
//
//   node lighthouse.mjs <url>
//
// Runs Lighthouse (default config: mobile form factor, simulated mobile throttling)
// on the categories performance, accessibility, best-practices and seo, and prints
// ONE JSON object on stdout (logs go to stderr):
//   {"performance":0-100,"accessibility":..,"best_practices":..,"seo":..,
//    "lcp_ms":..,"cls":..,"tbt_ms":..,"failed_audits":[{"id","title"}...]}
// failed_audits: the audits of accessibility, best-practices and seo that scored
// below 1 (each once), to know what to fix.
// Chrome is killed at the end, whatever happened. Exit codes: 0 ok, 1 error, 2 usage.

import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher"; // lighthouse's own dependency

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROME_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const FIX_CATEGORIES = ["accessibility", "best-practices", "seo"];

const log = (...a) => console.error("[lighthouse]", ...a);

const url = process.argv[2];
if (!url || process.argv.length > 3) {
  console.error("usage: node lighthouse.mjs <url>");
  process.exit(2);
}
try {
  new URL(url);
} catch {
  console.error(`lighthouse: not a URL: ${url}`);
  process.exit(2);
}

let chrome;
const killChrome = () => {
  if (!chrome) return;
  try {
    chrome.kill();
  } catch (err) {
    log(`could not kill Chrome: ${err?.message ?? err}`);
  }
  chrome = undefined;
};
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    killChrome();
    process.exit(1);
  });
}

const score = (lhr, id) => {
  const s = lhr.categories[id]?.score;
  return typeof s === "number" ? Math.round(s * 100) : null;
};
const numeric = (lhr, id) => {
  const v = lhr.audits[id]?.numericValue;
  return typeof v === "number" ? v : null;
};
const IGNORED_MODES = new Set(["notApplicable", "manual", "informative", "error"]);

function failedAudits(lhr) {
  const out = [];
  const seen = new Set();
  for (const cat of FIX_CATEGORIES) {
    for (const ref of lhr.categories[cat]?.auditRefs ?? []) {
      const a = lhr.audits[ref.id];
      if (!a || seen.has(a.id) || IGNORED_MODES.has(a.scoreDisplayMode)) continue;
      if (typeof a.score === "number" && a.score < 1) {
        seen.add(a.id);
        out.push({ id: a.id, title: a.title });
      }
    }
  }
  return out;
}

async function main() {
  chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM_PATH,
    chromeFlags: CHROME_FLAGS,
    logLevel: "silent",
  });
  log(`Chrome pid ${chrome.pid} on port ${chrome.port}`);
  const result = await lighthouse(url, {
    port: chrome.port,
    output: "json",
    logLevel: "error",
    onlyCategories: CATEGORIES,
  });
  if (!result?.lhr) throw new Error("Lighthouse returned no result");
  const { lhr } = result;
  log(`Lighthouse ${lhr.lighthouseVersion}, ${lhr.environment?.hostUserAgent ?? "?"}`);
  for (const w of lhr.runWarnings ?? []) log(`warning: ${w}`);
  if (lhr.runtimeError) {
    throw new Error(`Lighthouse runtime error ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  }
  for (const [id, a] of Object.entries(lhr.audits)) {
    if (a.scoreDisplayMode === "error") log(`audit ${id} errored: ${a.errorMessage}`);
  }
  const out = {
    performance: score(lhr, "performance"),
    accessibility: score(lhr, "accessibility"),
    best_practices: score(lhr, "best-practices"),
    seo: score(lhr, "seo"),
    lcp_ms: numeric(lhr, "largest-contentful-paint"),
    cls: numeric(lhr, "cumulative-layout-shift"),
    tbt_ms: numeric(lhr, "total-blocking-time"),
    failed_audits: failedAudits(lhr),
  };
  for (const [k, v] of Object.entries(out)) {
    if (v === null) log(`warning: no value for ${k}`);
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}

let code = 0;
try {
  await main();
} catch (err) {
  console.error(`lighthouse: ${err?.stack ?? err}`);
  code = 1;
} finally {
  killChrome();
}
process.exit(code);
