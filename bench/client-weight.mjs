#!/usr/bin/env node
// Client weight: how heavy the client bundle is, and what a first visit costs.
//
//   node client-weight.mjs <pkgDir> <url> [<url>...]
//
// Prints ONE JSON object on stdout (logs go to stderr):
//   {"files":[{"name","raw","gzip","brotli"}...],
//    "js_wasm_brotli_total": N,
//    "first_visits":[{"url","requests","bytes","third_party_requests",
//                     "by_kind":{"document":{"requests","bytes"},"css":{..},"js":{..},
//                                "wasm":{..},"image":{..},"other":{..}}}...],
//    "first_visit":{...}}
//
// files: every .wasm, .js and .css file under <pkgDir> (recursively, names relative
// to it), compressed here with node:zlib (gzip level 9, brotli quality 11): what the
// bundle would weigh on the wire, whatever the server does.
// first_visits: one entry per <url>, in the order given. Debian's Chromium (headless,
// one fresh context per URL, so an empty cache and no cookies) opens the URL, waits
// for load, network idle and hydration (body[data-hydrated=true]), and counts the
// network requests and the bytes actually transferred (CDP encodedDataLength: headers
// + body as received, i.e. compressed as sent), and those requests that went to a
// host other than the URL's. by_kind splits requests and bytes by what was fetched:
// document (the page, and any HTML fetched later), css, js, wasm (by URL or MIME
// type: a .wasm fetched by script has CDP type Fetch or Other), image, other (fonts,
// API calls, streams...); the kinds' bytes add up to "bytes".
// first_visit: the first URL's entry again, for older readers of this output.
// Exit codes: 0 ok, 1 error (e.g. a page never hydrated), 2 usage.

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
  console.error("usage: node client-weight.mjs <pkgDir> <url> [<url>...]");
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

const KINDS = ["document", "css", "js", "wasm", "image", "other"];
const IMAGE_EXT = /\.(png|jpe?g|gif|webp|avif|svg|ico|bmp)$/i;

// What a request fetched, from its CDP resource type, URL and response MIME type.
function kindOf({ url, type, mime }) {
  let path = "";
  try {
    path = new URL(url).pathname;
  } catch {}
  mime = (mime ?? "").toLowerCase();
  if (/\.wasm$/i.test(path) || mime === "application/wasm") return "wasm";
  switch (type) {
    case "Document":
      return "document";
    case "Stylesheet":
      return "css";
    case "Script":
      return "js";
    case "Image":
      return "image";
  }
  if (mime === "text/html" || mime === "application/xhtml+xml") return "document";
  if (mime === "text/css" || /\.css$/i.test(path)) return "css";
  if (mime.includes("javascript") || mime === "text/ecmascript" || /\.m?js$/i.test(path)) return "js";
  if (mime.startsWith("image/") || IMAGE_EXT.test(path)) return "image";
  return "other";
}

// One first visit to `url` in a fresh context of `browser`.
async function firstVisit(browser, url) {
  const base = new URL(url);
  const context = await browser.newContext(); // fresh profile: empty cache, no cookies
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);

    // requestId -> { url, type, mime, bytes, done }. A redirect reuses the requestId:
    // each hop is its own request, the hop's response size comes with the next
    // requestWillBeSent.
    const reqs = new Map();
    const hops = []; // finished redirect hops: { url, type, mime, bytes }
    let inflight = 0;
    let lastActivity = Date.now();
    const isNet = (u) => u.startsWith("http:") || u.startsWith("https:");

    cdp.on("Network.requestWillBeSent", (e) => {
      if (!isNet(e.request.url)) return;
      lastActivity = Date.now();
      const prev = reqs.get(e.requestId);
      if (prev && e.redirectResponse) {
        hops.push({
          url: prev.url,
          type: prev.type,
          mime: e.redirectResponse.mimeType,
          bytes: e.redirectResponse.encodedDataLength ?? 0,
        });
        prev.url = e.request.url;
        return;
      }
      // A stream (EventSource, e.g. the live-updates endpoint) stays open for good:
      // counted, with what it has received by the end, but never waited for.
      const stream = e.type === "EventSource";
      reqs.set(e.requestId, {
        url: e.request.url,
        type: e.type,
        mime: "",
        bytes: 0,
        partial: 0,
        done: false,
        stream,
      });
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
      if (!r) return;
      r.partial = e.response.encodedDataLength ?? 0;
      r.mime = e.response.mimeType ?? "";
      r.type ??= e.type;
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
    await page.goto(url, { waitUntil: "load", timeout: NAV_TIMEOUT_MS });
    const left = () => Math.max(1, HYDRATION_TIMEOUT_MS - (Date.now() - started));
    try {
      await page.waitForLoadState("networkidle", { timeout: left() });
      await page.waitForFunction(() => document.body?.dataset.hydrated === "true", null, {
        timeout: left(),
        polling: 50,
      });
    } catch (err) {
      throw new Error(
        `${url}: page did not reach load + network idle + hydrated within ${HYDRATION_TIMEOUT_MS} ms: ${err.message.split("\n")[0]}`,
      );
    }
    log(`${url}: hydrated after ${Date.now() - started} ms`);

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
    const by_kind = Object.fromEntries(KINDS.map((k) => [k, { requests: 0, bytes: 0 }]));
    for (const r of all) {
      const kind = kindOf(r);
      by_kind[kind].requests++;
      by_kind[kind].bytes += r.bytes;
      log(`${String(r.bytes).padStart(9)}  ${kind.padEnd(8)}  ${r.url}`);
    }
    const thirdParty = all.filter((r) => new URL(r.url).host !== base.host);
    for (const r of thirdParty) log(`third party: ${r.url}`);
    const visit = {
      url,
      requests: all.length,
      bytes: all.reduce((s, r) => s + r.bytes, 0),
      third_party_requests: thirdParty.length,
      by_kind,
    };
    log(
      `${url}: ${visit.requests} requests, ${visit.bytes} B (` +
        KINDS.map((k) => `${k} ${by_kind[k].bytes}`).join(", ") +
        ")",
    );
    return visit;
  } finally {
    await context.close().catch(() => {});
  }
}

// First visits to each URL in turn, one browser, a fresh context for each.
async function firstVisits(urls) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const out = [];
    for (const url of urls) out.push(await firstVisit(browser, url));
    return out;
  } finally {
    await browser.close().catch(() => {});
  }
}

async function main() {
  const [pkgDir, ...urls] = process.argv.slice(2);
  if (!pkgDir || urls.length === 0) usage();
  for (const u of urls) {
    try {
      new URL(u);
    } catch {
      usage(`not a URL: ${u}`);
    }
  }
  const weights = await fileWeights(pkgDir);
  const first_visits = await firstVisits(urls);
  process.stdout.write(JSON.stringify({ ...weights, first_visits, first_visit: first_visits[0] }) + "\n");
}

main().catch((err) => {
  console.error(`client-weight: ${err?.stack ?? err}`);
  process.exit(1);
});
