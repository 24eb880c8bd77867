#!/usr/bin/env bash
# `make bench`: measures Spotlight against references in the same run and
# writes bench/results/latest.json. Not a test: nothing here passes or fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="$ROOT/target/bench"
PORT=3200
NGINX_PORT=3201
ADDR="127.0.0.1:$PORT"
BASE="http://$ADDR"
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS=64

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

./scripts/apt-packages.sh wrk nginx >&2
[ -d bench/node_modules/lighthouse ] || (cd bench && npm ci --no-audit --no-fund >&2)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

say "building the load tools"
cargo build --release -p server --bin bench >&2

rm -rf "$WORK" && mkdir -p "$WORK/www"
DB="sqlite://$WORK/spotlight.db"

cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true
  for pid in ${PG_PIDS:-}; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

start_server() {
  LEPTOS_SITE_ADDR="$ADDR" SITE_URL="$BASE" DATABASE_URL="$DB" LEPTOS_SITE_ROOT=target/site \
    CONTENT_DIR=content PUBLIC_DIR=public RUST_LOG=warn \
    LIMIT_COMMENTS_PER_MINUTE=100000 LIMIT_REACTIONS_PER_MINUTE=100000 LIMIT_SIGNUPS_PER_HOUR=100000 \
    LIVE_STREAMS_PER_ADDRESS=200000 LIVE_STREAMS_MAX=200000 \
    ./target/release/server >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && return; sleep 0.2; done
  echo "server did not start" >&2; cat "$WORK/server.log" >&2; exit 1
}

say "starting Spotlight on $BASE with the demo content"
start_server
say "seeding the benchmark articles (50 and 10,000 comments)"
./target/release/bench seed "$DB" >&2

FIRST_SLUG=$(curl -fs "$BASE/api/v1/articles" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["slug"])')
declare -A PAGES=(
  [home]="/"
  [article_50_comments]="/articles/bench-fifty-comments"
  [article_10000_comments]="/articles/bench-ten-thousand-comments"
)

say "capturing the same bytes for nginx"
for name in "${!PAGES[@]}"; do
  curl -fs "$BASE${PAGES[$name]}" -o "$WORK/www/$name.html"
done
# What a browser gets (Accept-Encoding: br), byte for byte, for nginx to send as it is.
mkdir -p "$WORK/www/br"
curl -fs -H 'Accept-Encoding: br' "$BASE${PAGES[article_50_comments]}" -o "$WORK/www/br/article_50_comments.html"
cat >"$WORK/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx.error.log;
events { worker_connections 4096; }
http {
  access_log off;
  default_type text/html;
  sendfile on;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$NGINX_PORT; root $WORK/www;
    location /br/ { add_header Content-Encoding br; add_header Vary accept-encoding; }
  }
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK"

# wrk's latency distribution -> JSON fields
wrk_json() {
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" | python3 -c '
import re, sys, json
text = sys.stdin.read()
def ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
pct = {p: ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)$", text, re.M)}
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(json.dumps({"rps": rps, "p50_ms": pct.get("50"), "p99_ms": pct.get("99"), "non_2xx": int(errors.group(1)) if errors else 0}))'
}

# One row of the SSR table: name, Spotlight's and nginx's wrk figures, page bytes.
add_ssr() {
  SSR=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); s=json.loads(sys.argv[3]); n=json.loads(sys.argv[4]); d[sys.argv[2]]={"bytes":int(sys.argv[5]),"spotlight":s,"nginx":n,"ratio":round(s["rps"]/n["rps"],3)}; print(json.dumps(d))' "$SSR" "$1" "$2" "$3" "$4")
}

say "server-side rendering vs nginx, $CONNECTIONS connections, $DURATION each"
SSR="{}"
for name in home article_50_comments article_10000_comments; do
  path="${PAGES[$name]}"
  spot=$(wrk_json "$BASE$path")
  ngx=$(wrk_json "http://127.0.0.1:$NGINX_PORT/$name.html")
  bytes=$(stat -c %s "$WORK/www/$name.html")
  add_ssr "$name" "$spot" "$ngx" "$bytes"
done

# The same article as browsers ask for it (brotli): kept compressed, never compressed per response.
spot=$(wrk_json -H 'Accept-Encoding: br' "$BASE${PAGES[article_50_comments]}")
ngx=$(wrk_json -H 'Accept-Encoding: br' "http://127.0.0.1:$NGINX_PORT/br/article_50_comments.html")
bytes=$(stat -c %s "$WORK/www/br/article_50_comments.html")
add_ssr article_50_comments_brotli "$spot" "$ngx" "$bytes"

# A signed-in reader's article page is the kept anonymous page with the reader's
# own parts (account box, conversation island) rendered for them and written in
# (server/src/reader_pages.rs): the session, their pick and their likes are read per request.
say "a signed-in reader's article pages"
SESSION=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"bench_reader","email":"bench_reader@example.com","password":"harbour-lantern-92"}' \
  "$BASE/api/v1/auth/signup" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(spotlight_session=[^;]*\).*/\1/p' | head -n1)
[ -n "$SESSION" ] || { echo "could not sign the bench reader up" >&2; exit 1; }
curl -fs -X PUT -H "Cookie: $SESSION" -H 'Content-Type: application/json' -d '{"reaction":"love"}' \
  "$BASE/api/v1/articles/bench-fifty-comments/reactions" >/dev/null
for name in article_50_comments article_10000_comments; do
  page="${PAGES[$name]}"
  spot=$(wrk_json -H "Cookie: $SESSION" "$BASE$page")
  ngx=$(wrk_json "http://127.0.0.1:$NGINX_PORT/$name.html")
  bytes=$(curl -fs -H "Cookie: $SESSION" "$BASE$page" | wc -c)
  add_ssr "${name}_signed_in" "$spot" "$ngx" "$bytes"
done
# As a browser asks for it: the reader's copy is compressed per response (gzip, fastest).
BROWSER='Accept-Encoding: gzip, deflate, br'
spot=$(wrk_json -H "Cookie: $SESSION" -H "$BROWSER" "$BASE${PAGES[article_50_comments]}")
ngx=$(wrk_json -H "$BROWSER" "http://127.0.0.1:$NGINX_PORT/br/article_50_comments.html")
bytes=$(curl -fs -H "Cookie: $SESSION" -H "$BROWSER" "$BASE${PAGES[article_50_comments]}" | wc -c)
add_ssr article_50_comments_compressed_signed_in "$spot" "$ngx" "$bytes"

say "live fan-out: 1,000 subscribers, one comment"
FANOUT=$(./target/release/bench fanout "$ADDR" bench-fifty-comments 1000)

# The same site on PostgreSQL, as two instances of one site, in the same run.
PG_URL="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
pg_hostport="${PG_URL#*://}"; pg_hostport="${pg_hostport#*@}"; pg_hostport="${pg_hostport%%/*}"
if (exec 3<>"/dev/tcp/${pg_hostport%%:*}/${pg_hostport##*:}") 2>/dev/null; then
  say "PostgreSQL: two instances on one database"
  psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS spotlight_bench WITH (FORCE)" >/dev/null
  psql "$PG_URL/postgres" -qc "CREATE DATABASE spotlight_bench" >/dev/null
  PG_DB="$PG_URL/spotlight_bench"
  PG_PIDS=""
  start_pg_instance() { # port
    LEPTOS_SITE_ADDR="127.0.0.1:$1" SITE_URL="http://127.0.0.1:$1" DATABASE_URL="$PG_DB" LEPTOS_SITE_ROOT=target/site \
      CONTENT_DIR=content PUBLIC_DIR=public RUST_LOG=warn \
      LIMIT_COMMENTS_PER_MINUTE=100000 LIMIT_REACTIONS_PER_MINUTE=100000 \
      LIVE_STREAMS_PER_ADDRESS=200000 LIVE_STREAMS_MAX=200000 \
      ./target/release/server >"$WORK/pg-$1.log" 2>&1 &
    PG_PIDS="$PG_PIDS $!"
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return; sleep 0.2; done
    echo "PostgreSQL instance on $1 did not start" >&2; cat "$WORK/pg-$1.log" >&2; exit 1
  }
  start_pg_instance 3204
  ./target/release/bench seed "$PG_DB" >&2
  start_pg_instance 3205
  pg_anon=$(wrk_json "http://127.0.0.1:3204/articles/bench-fifty-comments")
  pg_render=$(wrk_json -H "Cookie: $SESSION" "http://127.0.0.1:3204/articles/bench-fifty-comments")
  say "live fan-out through two instances: 1,000 subscribers split between them"
  pg_fan=$(./target/release/bench fanout "127.0.0.1:3204,127.0.0.1:3205" bench-fifty-comments 1000)
  POSTGRES=$(python3 -c 'import json,sys; print(json.dumps({"article_50_comments": json.loads(sys.argv[1]), "article_50_comments_signed_in": json.loads(sys.argv[2]), "fanout_two_instances": json.loads(sys.argv[3])}))' "$pg_anon" "$pg_render" "$pg_fan")
  for pid in $PG_PIDS; do kill "$pid" 2>/dev/null || true; done
  PG_PIDS=""
else
  POSTGRES='{"skipped":"no PostgreSQL answers at BENCH_POSTGRES_URL"}'
fi

say "10,000 idle subscribers"
IDLE=$(./target/release/bench idle "$ADDR" bench-fifty-comments 10000 "$SERVER_PID")

# Before the writes under load, which add thousands of comments to the 50-comment article.
say "client weight and first visits: the home page, the newest article, the 50-comment article"
WEIGHT=$(node bench/client-weight.mjs target/site/pkg "$BASE/" "$BASE/articles/$FIRST_SLUG" "$BASE/articles/bench-fifty-comments" \
  || echo '{"error":"client-weight failed"}')

say "Lighthouse (mobile), ${BENCH_LIGHTHOUSE_RUNS:-5} runs on each of two articles"
LIGHTHOUSE=$(node bench/lighthouse.mjs "$BASE/articles/$FIRST_SLUG" "$BASE/articles/bench-fifty-comments" \
  || echo '{"error":"lighthouse failed"}')

# Last on this server: 200 sign-ups and thousands of writes leave their mark on its memory.
say "writes under load: 200 writers posting and reacting for ${BENCH_WRITE_SECONDS:-30} s"
WRITES=$(python3 scripts/comment-load.py "$BASE" bench-fifty-comments "${BENCH_WRITE_SECONDS:-30}" 200 "$WORK/writes.json" --react)

# Last, since it ends with the server's graceful shutdown: a crowd on one
# article. As many streams as the file-descriptor limit allows, up to 100,000
# (server and client each need one per stream, and this limit is per process).
CROWD_N=$(($(ulimit -n) - 2000)); [ "$CROWD_N" -gt 100000 ] && CROWD_N=100000
say "a crowd on one article: $CROWD_N live streams, one comment, heartbeats, then a graceful shutdown"
CROWD=$(./target/release/bench crowd "$ADDR" bench-fifty-comments "$CROWD_N" "$SERVER_PID" || echo '{"error":"the crowd run failed"}')
SERVER_PID=""

python3 - "$SSR" "$FANOUT" "$IDLE" "$WEIGHT" "$LIGHTHOUSE" "$POSTGRES" "$WRITES" "$CROWD" <<'PY'
import json, sys, datetime, platform, os
from urllib.parse import urlsplit
ssr, fan, idle, weight, lh, pg, writes, crowd = (json.loads(a) for a in sys.argv[1:9])
result = {
    "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "machine": {"cpus": os.cpu_count(), "kernel": platform.release()},
    "ssr": ssr, "fanout": fan, "idle": idle, "client": weight, "lighthouse": lh, "postgres": pg, "writes": writes, "crowd": crowd,
}
ratio_big = ssr["article_50_comments"]["spotlight"]["rps"] / ssr["article_10000_comments"]["spotlight"]["rps"]
result["ten_thousand_vs_fifty_slowdown"] = round(ratio_big, 3)
ratio_big_signed = ssr["article_50_comments_signed_in"]["spotlight"]["rps"] / ssr["article_10000_comments_signed_in"]["spotlight"]["rps"]
result["ten_thousand_vs_fifty_slowdown_signed_in"] = round(ratio_big_signed, 3)
os.makedirs("bench/results", exist_ok=True)
json.dump(result, open("bench/results/latest.json", "w"), indent=2)

rows = [("figure", "measured", "target")]
for name, d in ssr.items():
    signed_in = name.endswith("_signed_in")
    # Signed in: 10x the 817 req/s the issue measured beside nginx's 43,600 (0.019x).
    rate_target, p99_target = (">= 0.19x", "p99 <= 25 ms") if signed_in else (">= 0.8x", "p99 <= 10 ms")
    against_issue = f"; {d['spotlight']['rps'] / 817:.1f}x the issue's 817 req/s" if signed_in else ""
    rows.append((f"SSR {name} ({d['bytes']} B): Spotlight/nginx req/s", f"{d['spotlight']['rps']:.0f}/{d['nginx']['rps']:.0f} = {d['ratio']:.2f}x{against_issue}", rate_target))
    rows.append((f"SSR {name}: p50 / p99 (nginx p99)", f"{d['spotlight']['p50_ms']:.2f} / {d['spotlight']['p99_ms']:.2f} ms ({d['nginx']['p99_ms']:.2f} ms)", p99_target))
rows.append(("10,000-comment page vs 50-comment page (time per request)", f"{ratio_big:.2f}x", "<= 1.5x"))
rows.append(("the same, signed in", f"{ratio_big_signed:.2f}x", "<= 1.5x"))
rows.append(("fan-out to 1,000 subscribers: p50 / p99 / max", f"{fan['p50_ms']:.1f} / {fan['p99_ms']:.1f} / {fan['max_ms']:.1f} ms ({fan['received']}/{fan['subscribers']})", "p99 <= 50 ms"))
errors = sum(writes["failures"].values())
lost = writes["missing_after"]["comments"] + writes["missing_after"]["reactions"]
rows.append(("writes under load (200 writers, comments + reactions)", f"{writes['writes_per_second']:.0f} writes/s, {errors} errors, {lost} acknowledged writes missing", "0 errors, 0 missing"))
if "skipped" in pg:
    rows.append(("PostgreSQL figures", pg["skipped"], ""))
else:
    for name in ("article_50_comments", "article_50_comments_signed_in"):
        sq, p = ssr[name]["spotlight"], pg[name]
        rows.append((f"{name}: PostgreSQL / SQLite req/s", f"{p['rps']:.0f}/{sq['rps']:.0f} = {p['rps']/sq['rps']:.2f}x (p99 {p['p99_ms']:.2f} vs {sq['p99_ms']:.2f} ms)", ""))
    f2 = pg["fanout_two_instances"]
    rows.append(("fan-out through 2 instances (PostgreSQL), 1,000 subscribers: p50 / p99 / max", f"{f2['p50_ms']:.1f} / {f2['p99_ms']:.1f} / {f2['max_ms']:.1f} ms ({f2['received']}/{f2['subscribers']})", "p99 <= 50 ms"))
rows.append(("resident memory with 10,000 idle subscribers", f"{idle['rss_with_subscribers_mib']:.0f} MiB ({idle['per_subscriber_kib']:.1f} KiB each)", "<= 150 MB"))
if "subscribers" in crowd:
    n = crowd["subscribers"]
    rows.append((f"crowd: {n:,} streams on one instance, resident memory", f"{crowd['rss_with_streams_mib']:.0f} MiB ({crowd['per_stream_kib']:.1f} KiB each; {crowd['rss_after_delivery_mib']:.0f} MiB after the comment)", "100,000 streams <= 2 GB"))
    rows.append((f"crowd: one comment to {n:,} streams: p50 / p99 / max, lost", f"{crowd['p50_ms']:.0f} / {crowd['p99_ms']:.0f} / {crowd['max_ms']:.0f} ms, {crowd['lost']} lost", "p99 <= 1 s, 0 lost"))
    rows.append(("crowd: streams that got a heartbeat after the comment", f"{crowd['heartbeats_after']:,} / {n:,}", "all"))
    shutdown = crowd["shutdown_s"]
    rows.append((f"crowd: graceful shutdown with {n:,} open streams", "did not exit in 60 s" if shutdown is None else f"{shutdown:.2f} s", "<= 10 s"))
else:
    rows.append(("crowd", crowd.get("error", "not run"), ""))
# First visits and Lighthouse runs, by page: "/" is the home page, the bench slug the 50-comment article.
def page_name(url):
    path = urlsplit(url).path
    return "home page" if path in ("", "/") else "50-comment article" if path.endswith("/bench-fifty-comments") else "newest article"
def num(v, spec=".0f", unit=""):
    return "?" if v is None else f"{v:{spec}}{unit}"
lh_runs = []  # lines printed under the table: every Lighthouse run
if "error" in weight:
    rows.append(("client weight and first visits", weight["error"], ""))
else:
    rows.append(("client JS+WASM, brotli", f"{weight['js_wasm_brotli_total']/1024:.0f} KiB", "<= 150 KB"))
    visits = [(page_name(v["url"]), v) for v in weight["first_visits"]]
    code = {name: v["by_kind"]["js"]["bytes"] + v["by_kind"]["wasm"]["bytes"] for name, v in visits}
    articles = [code[name] for name, _ in visits if name != "home page"]
    for name, v in visits:
        k = v["by_kind"]
        target = "<= 150,000 B" if name != "home page" else f"< an article's ({min(articles):,} B)" if articles else "< an article's"
        rows.append((f"first visit, {name}: JS+WASM as sent", f"{code[name]:,} B (JS {k['js']['bytes']:,} + WASM {k['wasm']['bytes']:,})", target))
        kib = " / ".join(f"{k[kind]['bytes']/1024:.1f}" for kind in ("document", "css", "js", "wasm", "image", "other"))
        rows.append((f"first visit, {name}: HTML / CSS / JS / WASM / images / other = all", f"{kib} = {v['bytes']/1024:.1f} KiB; {v['requests']} requests, {v['third_party_requests']} third-party", ""))
if "error" in lh:
    rows.append(("Lighthouse mobile", lh["error"], ""))
else:
    for p in lh["pages"]:
        name, n = page_name(p["url"]), len(p["runs"])
        failed = f", {p['failed_runs']} of {n} runs failed" if p["failed_runs"] else ""
        rows.append((f"Lighthouse mobile, {name}, {n} runs: performance min / median, TBT", f"min {num(p['performance']['min'], 'g')} / median {num(p['performance']['median'], 'g')}, TBT max {num(p['tbt_ms']['max'], '.0f', ' ms')}{failed}", "every run >= 95, median 100, TBT <= 150 ms"))
        rows.append((f"Lighthouse mobile, {name}: a11y / best / SEO (worst run)", f"{num(p['accessibility']['min'], 'g')} / {num(p['best_practices']['min'], 'g')} / {num(p['seo']['min'], 'g')}", "100 each"))
        rows.append((f"Lighthouse mobile, {name}: LCP / CLS (median)", f"{num(p['lcp_ms']['median'], '.0f', ' ms')} / {num(p['cls']['median'], '.3f')}", ""))
        each = ", ".join(f"failed ({r['error']})" if "error" in r else f"{num(r['performance'], 'g')} (TBT {num(r['tbt_ms'], '.0f', ' ms')}, LCP {num(r['lcp_ms'], '.0f', ' ms')})" for r in p["runs"])
        lh_runs.append(f"Lighthouse runs, {name} ({p['url']}): {each}")
w = max(len(r[0]) for r in rows)
m = max(len(r[1]) for r in rows)
for r in rows:
    print(f"| {r[0]:<{w}} | {r[1]:<{m}} | {r[2]} |")
if lh_runs:
    print()
    print("\n".join(lh_runs))
PY
