#!/usr/bin/env node
// Lighthouse scores of some pages, several runs each, with Debian's Chromium.
//
//   node lighthouse.mjs [--runs N] <url> [<url>...]
//
// N: the runs per URL, by default $BENCH_LIGHTHOUSE_RUNS, else 5. The runs of a URL
// follow each other, then the next URL's; each run gets a fresh Chrome (fresh
// profile, empty cache). Each run is Lighthouse's default config (mobile form factor,
// simulated mobile throttling) on the categories performance, accessibility,
// best-practices and seo. Prints ONE JSON object on stdout (logs go to stderr):
//   {"runs_per_url":N,
//    "pages":[{"url",
//              "runs":[{"performance":0-100,"accessibility":..,"best_practices":..,"seo":..,
//                       "lcp_ms":..,"cls":..,"tbt_ms":..} or {"error":"..."}, ...],
//              "failed_runs":N,
//              "performance":{"min","median"},"accessibility":{"min","median"},
//              "best_practices":{"min","median"},"seo":{"min","median"},
//              "tbt_ms":{"median","max"},"lcp_ms":{"median","max"},"cls":{"median","max"},
//              "failed_audits":[{"id","title"}...]}...]}
// Scores are summed up by their worst run and their median, costs (TBT, LCP, CLS) by
// their median and their worst run: never by the best run. The summaries are over the
// runs that produced a value (null if none did); failed_runs counts the runs without a
// performance score (Lighthouse error, page not loaded...).
// failed_audits: the audits of accessibility, best-practices and seo that scored
// below 1 in any run (each once), to know what to fix.
// Chrome is killed after each run, whatever happened. Exit codes: 0 ok (JSON printed,
// even if some runs failed), 1 error (no run at all gave a result), 2 usage.

import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher"; // lighthouse's own dependency
import { existsSync } from "node:fs";

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

function usage(msg) {
  if (msg) console.error(`lighthouse: ${msg}`);
  console.error("usage: node lighthouse.mjs [--runs N] <url> [<url>...]   (N defaults to $BENCH_LIGHTHOUSE_RUNS, else 5)");
  process.exit(2);
}

function parseRuns(v, what) {
  if (!/^[1-9][0-9]*$/.test(String(v ?? "").trim())) usage(`${what} must be a positive integer, not ${JSON.stringify(v)}`);
  return Number(String(v).trim());
}

let runs = process.env.BENCH_LIGHTHOUSE_RUNS ? parseRuns(process.env.BENCH_LIGHTHOUSE_RUNS, "BENCH_LIGHTHOUSE_RUNS") : 5;
const urls = [];
{
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--runs") runs = parseRuns(args[++i], "--runs");
    else if (a.startsWith("--runs=")) runs = parseRuns(a.slice("--runs=".length), "--runs");
    else if (a === "-h" || a === "--help") usage();
    else if (a.startsWith("-")) usage(`unknown option ${a}`);
    else urls.push(a);
  }
}
if (urls.length === 0) usage();
for (const u of urls) {
  try {
    new URL(u);
  } catch {
    usage(`not a URL: ${u}`);
  }
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

// Main-thread time by group (style and layout, script evaluation...), in ms.
function mainThread(lhr) {
  const items = lhr.audits["mainthread-work-breakdown"]?.details?.items ?? [];
  return Object.fromEntries(items.map((i) => [i.group, Math.round(i.duration)]));
}

// One Lighthouse run on `url` in a fresh Chrome: the run's figures, or throws.
async function runOnce(url, seen) {
  chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM_PATH,
    chromeFlags: CHROME_FLAGS,
    logLevel: "silent",
  });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: CATEGORIES,
    });
    if (!result?.lhr) throw new Error("Lighthouse returned no result");
    const { lhr } = result;
    if (!seen.version) {
      seen.version = true;
      log(`Lighthouse ${lhr.lighthouseVersion}, ${lhr.environment?.hostUserAgent ?? "?"}`);
    }
    for (const w of lhr.runWarnings ?? []) log(`warning: ${w}`);
    if (lhr.runtimeError) {
      throw new Error(`Lighthouse runtime error ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    }
    for (const [id, a] of Object.entries(lhr.audits)) {
      if (a.scoreDisplayMode === "error") log(`audit ${id} errored: ${a.errorMessage}`);
    }
    const run = {
      performance: score(lhr, "performance"),
      accessibility: score(lhr, "accessibility"),
      best_practices: score(lhr, "best-practices"),
      seo: score(lhr, "seo"),
      fcp_ms: numeric(lhr, "first-contentful-paint"),
      lcp_ms: numeric(lhr, "largest-contentful-paint"),
      cls: numeric(lhr, "cumulative-layout-shift"),
      tbt_ms: numeric(lhr, "total-blocking-time"),
    };
    // What the main thread did (style and layout, script...), to tell where a
    // run's blocking time went. (Lighthouse 12.2.3 cannot name the LCP element
    // on Chromium 156: its TraceElements gatherer fails on the newer trace.)
    run.main_thread = mainThread(lhr);
    for (const [k, v] of Object.entries(run)) {
      if (v === null) log(`warning: no value for ${k}`);
    }
    return { run, failed: failedAudits(lhr) };
  } finally {
    killChrome();
  }
}

const values = (runs, key) => runs.map((r) => r[key]).filter((v) => typeof v === "number");
function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
const min = (xs) => (xs.length ? Math.min(...xs) : null);
const max = (xs) => (xs.length ? Math.max(...xs) : null);
// Scores: worst and median. Costs: median and worst.
const scoreSummary = (runs, key) => ({ min: min(values(runs, key)), median: median(values(runs, key)) });
const costSummary = (runs, key) => ({ median: median(values(runs, key)), max: max(values(runs, key)) });

async function measure(url, seen) {
  const results = [];
  const failed = new Map();
  for (let i = 1; i <= runs; i++) {
    try {
      const { run, failed: f } = await runOnce(url, seen);
      for (const a of f) failed.set(a.id, a);
      results.push(run);
      const ms = (v) => (v === null ? "?" : `${Math.round(v)} ms`);
      log(`${url} run ${i}/${runs}: performance ${run.performance ?? "?"}, TBT ${ms(run.tbt_ms)}, LCP ${ms(run.lcp_ms)}`);
    } catch (err) {
      const msg = String(err?.message ?? err).split("\n")[0];
      log(`${url} run ${i}/${runs} failed: ${err?.stack ?? err}`);
      results.push({ error: msg });
    }
  }
  return {
    url,
    runs: results,
    failed_runs: results.filter((r) => typeof r.performance !== "number").length,
    performance: scoreSummary(results, "performance"),
    accessibility: scoreSummary(results, "accessibility"),
    best_practices: scoreSummary(results, "best_practices"),
    seo: scoreSummary(results, "seo"),
    tbt_ms: costSummary(results, "tbt_ms"),
    lcp_ms: costSummary(results, "lcp_ms"),
    cls: costSummary(results, "cls"),
    failed_audits: [...failed.values()],
  };
}

async function main() {
  // chrome-launcher would crash on an unhandled spawn error instead.
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`);
  const seen = {};
  const pages = [];
  for (const url of urls) {
    const page = await measure(url, seen);
    log(
      `${url}: performance min ${page.performance.min ?? "?"} / median ${page.performance.median ?? "?"}, ` +
        `TBT max ${page.tbt_ms.max === null ? "?" : Math.round(page.tbt_ms.max)} ms, ${page.failed_runs} of ${runs} runs failed`,
    );
    pages.push(page);
  }
  if (pages.every((p) => p.runs.every((r) => "error" in r))) {
    throw new Error("no Lighthouse run gave a result");
  }
  process.stdout.write(JSON.stringify({ runs_per_url: runs, pages }) + "\n");
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
