#!/usr/bin/env node
// Client weight: how heavy the client bundle is, and what a first visit costs.
//
//   node client-weight.mjs <pkgDir> <articleUrl>
//
// Prints ONE JSON object on stdout (logs go to stderr):
//   {"files":[{"name","raw","gzip","brotli"}...],
//    "js_wasm_brotli_total": N,
//    "first_visit":{"requests":N,"bytes":N,"third_party_requests":N}}
//
// files: every .wasm, .js and .css file under <pkgDir> (recursively, names relative
// to it), compressed here with node:zlib (gzip level 9, brotli quality 11): what the
// bundle would weigh on the wire, whatever the server does.
// first_visit: Debian's Chromium (headless, fresh context so an empty cache) opens
// <articleUrl>, waits for load, network idle and hydration (body[data-hydrated=true]),
// and counts the network requests and the bytes actually transferred (CDP
// encodedDataLength: headers + body as received), and those requests that went to a
// host other than the article's.
// Exit codes: 0 ok, 1 error (e.g. the page never hydrated), 2 usage.

import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { gzipSync, brotliCompressSync, constants as zc } from "node:zlib";
import { chromium } from "playwright-core";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const HYDRATION_TIMEOUT_MS = 15_000; // load + network idle + hydrated, all within this
const NAV_TIMEOUT_MS = 30_000;
const SETTLE_IDLE_MS = 500; // after hydration: no request in flight for this long...
const SETTLE_MAX_MS = 5_000; // ...or give up waiting after this

const log = (...a) => console.error("[client-weight]", ...a);

function usage(msg) {
  if (msg) console.error(`client-weight: ${msg}`);
  console.error("usage: node client-weight.mjs <pkgDir> <articleUrl>");
  process.exit(2);
}

async function listFiles(dir) {
  const out = [];
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) out.push(...(await listFiles(p)));
    else if (ent.isFile() && /\.(wasm|js|css)$/.test(ent.name)) out.push(p);
  }
  return out;
}

async function fileWeights(pkgDir) {
  const paths = (await listFiles(pkgDir)).sort();
  if (paths.length === 0) throw new Error(`no .wasm/.js/.css files in ${pkgDir}`);
  const files = [];
  for (const p of paths) {
    const buf = await readFile(p);
    const gzip = gzipSync(buf, { level: 9 }).length;
    const brotli = brotliCompressSync(buf, {
      params: {
        [zc.BROTLI_PARAM_QUALITY]: 11,
        [zc.BROTLI_PARAM_MODE]: p.endsWith(".wasm") ? zc.BROTLI_MODE_GENERIC : zc.BROTLI_MODE_TEXT,
        [zc.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }).length;
    files.push({ name: relative(pkgDir, p).split(sep).join("/"), raw: buf.length, gzip, brotli });
  }
  const js_wasm_brotli_total = files
    .filter((f) => /\.(wasm|js)$/.test(f.name))
    .reduce((s, f) => s + f.brotli, 0);
  return { files, js_wasm_brotli_total };
}

async function firstVisit(articleUrl) {
  const base = new URL(articleUrl);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext(); // fresh profile: empty cache, no cookies
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);

    // requestId -> { url, bytes, done }. A redirect reuses the requestId: each hop is
    // its own request, the hop's response size comes with the next requestWillBeSent.
    const reqs = new Map();
    const hops = []; // finished redirect hops: { url, bytes }
    let inflight = 0;
    let lastActivity = Date.now();
    const isNet = (u) => u.startsWith("http:") || u.startsWith("https:");

    cdp.on("Network.requestWillBeSent", (e) => {
      if (!isNet(e.request.url)) return;
      lastActivity = Date.now();
      const prev = reqs.get(e.requestId);
      if (prev && e.redirectResponse) {
        hops.push({ url: prev.url, bytes: e.redirectResponse.encodedDataLength ?? 0 });
        prev.url = e.request.url;
        return;
      }
      // A stream (EventSource, e.g. the live-updates endpoint) stays open for good:
      // counted, with what it has received by the end, but never waited for.
      const stream = e.type === "EventSource";
      reqs.set(e.requestId, { url: e.request.url, bytes: 0, partial: 0, done: false, stream });
      if (!stream) inflight++;
    });
    const finish = (e, bytes) => {
      const r = reqs.get(e.requestId);
      if (!r || r.done) return;
      r.done = true;
      r.bytes = bytes;
      if (!r.stream) inflight--;
      lastActivity = Date.now();
    };
    // What arrived so far, for requests that fail after their response started.
    cdp.on("Network.responseReceived", (e) => {
      const r = reqs.get(e.requestId);
      if (r) r.partial = e.response.encodedDataLength ?? 0;
    });
    cdp.on("Network.dataReceived", (e) => {
      const r = reqs.get(e.requestId);
      if (r) r.partial += e.encodedDataLength ?? 0;
    });
    cdp.on("Network.loadingFinished", (e) => finish(e, e.encodedDataLength ?? 0));
    cdp.on("Network.loadingFailed", (e) => {
      const r = reqs.get(e.requestId);
      if (r && !r.done) log(`request failed: ${r.url} (${e.errorText})`);
      finish(e, r?.partial ?? 0);
    });
    await cdp.send("Network.enable");

    const started = Date.now();
    await page.goto(articleUrl, { waitUntil: "load", timeout: NAV_TIMEOUT_MS });
    const left = () => Math.max(1, HYDRATION_TIMEOUT_MS - (Date.now() - started));
    try {
      await page.waitForLoadState("networkidle", { timeout: left() });
      await page.waitForFunction(() => document.body?.dataset.hydrated === "true", null, {
        timeout: left(),
        polling: 50,
      });
    } catch (err) {
      throw new Error(
        `page did not reach load + network idle + hydrated within ${HYDRATION_TIMEOUT_MS} ms: ${err.message.split("\n")[0]}`,
      );
    }
    log(`hydrated after ${Date.now() - started} ms`);

    // Hydration may start more requests (API calls, lazy assets): let them settle.
    const settleUntil = Date.now() + SETTLE_MAX_MS;
    while (Date.now() < settleUntil && !(inflight <= 0 && Date.now() - lastActivity >= SETTLE_IDLE_MS)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    if (inflight > 0) log(`${inflight} request(s) still in flight, counted with the bytes received so far`);
    for (const r of reqs.values()) {
      if (!r.done) {
        r.bytes = r.partial;
        if (r.stream) log(`open stream: ${r.url}`);
      }
    }

    const all = [...hops, ...reqs.values()];
    const thirdParty = all.filter((r) => new URL(r.url).host !== base.host);
    for (const r of all) log(`${String(r.bytes).padStart(9)}  ${r.url}`);
    for (const r of thirdParty) log(`third party: ${r.url}`);
    await context.close();
    return {
      requests: all.length,
      bytes: all.reduce((s, r) => s + r.bytes, 0),
      third_party_requests: thirdParty.length,
    };
  } finally {
    await browser.close().catch(() => {});
  }
}

async function main() {
  const [pkgDir, articleUrl] = process.argv.slice(2);
  if (!pkgDir || !articleUrl) usage();
  try {
    new URL(articleUrl);
  } catch {
    usage(`not a URL: ${articleUrl}`);
  }
  const weights = await fileWeights(pkgDir);
  const first_visit = await firstVisit(articleUrl);
  process.stdout.write(JSON.stringify({ ...weights, first_visit }) + "\n");
}

main().catch((err) => {
  console.error(`client-weight: ${err?.stack ?? err}`);
  process.exit(1);
});
