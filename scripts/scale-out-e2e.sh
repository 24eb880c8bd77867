#!/usr/bin/env bash
# Spotlight as several instances, tested end to end on a PostgreSQL cluster of
# its own (so it can be restarted): two release servers on one database behind
# nginx configured by deploy/nginx.conf, then
#   1. two browsers, one on each instance, see each other's comments and
#      reactions live (Playwright, end2end/scale-out);
#   2. kill -9 of one instance during a comment load through nginx: the other
#      keeps serving and every acknowledged (201) comment is in the database;
#   3. PostgreSQL restarted under the instances: /healthz answers 503 while it
#      is down and 200 after, and live events flow again across instances.
# Skipped, with the reason, where PostgreSQL's server programs are not
# installed. Needs the release build (make build).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SITE_PORT="${SCALE_OUT_PORT:-3300}"
PORT_1=$((SITE_PORT + 1)); PORT_2=$((SITE_PORT + 2)); PG_PORT=$((SITE_PORT + 32))
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31mFAILED:\033[0m %s\n' "$*" >&2; exit 1; }

if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "SKIPPED the scale-out tests: PostgreSQL's server programs (initdb, pg_ctl) are not installed"
  exit 0
fi
"$ROOT/scripts/apt-packages.sh" nginx curl >/dev/null

WORK="$(mktemp -d)"; chmod 755 "$WORK"
PGDATA="$WORK/pg"; mkdir -p "$PGDATA" "$WORK/sock"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$PGDATA" "$WORK/sock"
PG="postgres://postgres@127.0.0.1:$PG_PORT"
DB_URL="$PG/spotlight"
declare -A pids=()
cleanup() {
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

pg_start() { as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/sock/pg.log" -w -o "-p $PG_PORT -k $WORK/sock -c listen_addresses=127.0.0.1" start >/dev/null; }
say "a PostgreSQL cluster of its own on port $PG_PORT"
as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 >/dev/null
pg_start
psql "$PG/postgres" -qc "CREATE DATABASE spotlight" >/dev/null
sql() { psql "$DB_URL" -tAc "$1"; }

start_instance() { # n port
  LEPTOS_SITE_ADDR="127.0.0.1:$2" LEPTOS_SITE_ROOT="$ROOT/target/site" DATABASE_URL="$DB_URL" \
    CONTENT_DIR="$ROOT/content" PUBLIC_DIR="$ROOT/public" SITE_URL="http://127.0.0.1:$SITE_PORT" \
    TRUSTED_PROXIES="127.0.0.1/32" RUST_LOG=warn \
    LIMIT_SIGNUPS_PER_HOUR=10000 LIMIT_REACTIONS_PER_MINUTE=10000 LIMIT_COMMENTS_PER_MINUTE=10000 \
    "$ROOT/target/release/server" >>"$WORK/instance-$1.log" 2>&1 &
  pids[$1]=$!
}
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$1" || true; }
wait_for() { # url [status]
  for _ in $(seq 1 120); do [ "$(status_of "$1")" = "${2:-200}" ] && return 0; sleep 0.5; done
  cat "$WORK"/*.log >&2; fail "$1 did not answer ${2:-200}"
}

# The first instance migrates and imports; the second starts on the result.
start_instance 1 "$PORT_1"; wait_for "http://127.0.0.1:$PORT_1/healthz"
start_instance 2 "$PORT_2"; wait_for "http://127.0.0.1:$PORT_2/healthz"
sed -e "s/127.0.0.1:3000/127.0.0.1:$SITE_PORT/; s/127.0.0.1:3001/127.0.0.1:$PORT_1/g; s/127.0.0.1:3002/127.0.0.1:$PORT_2/g" \
  -e "s|^events {|pid $WORK/nginx.pid;\nerror_log $WORK/nginx.error.log;\nevents {|" \
  "$ROOT/deploy/nginx.conf" >"$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" -p "$WORK"
SITE="http://127.0.0.1:$SITE_PORT"
wait_for "$SITE/healthz"

say "1. two browsers, one on each instance"
(cd "$ROOT/end2end" && SCALE_OUT_URL="$SITE" npx playwright test -c scale-out/playwright.config.ts)

SLUG="$(curl -s "$SITE/api/v1/articles" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][2]["slug"])')"

say "2. kill -9 of instance 1 during a comment load through nginx"
python3 "$ROOT/scripts/comment-load.py" "$SITE" "$SLUG" 8 8 "$WORK/load.json" &
load=$!
sleep 3
kill -9 "${pids[1]}"; unset 'pids[1]'
for _ in $(seq 1 10); do [ "$(status_of "$SITE/healthz")" = 200 ] || fail "nginx stopped serving after the kill"; sleep 0.2; done
wait "$load"
ids="$(python3 -c 'import json,sys; print(",".join(map(str, json.load(open(sys.argv[1]))["acked"])))' "$WORK/load.json")"
acked="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["acked"]))' "$WORK/load.json")"
[ "$acked" -gt 0 ] || fail "no comment was acknowledged"
present="$(sql "SELECT COUNT(*) FROM comments WHERE id IN ($ids)")"
echo "   acknowledged $acked, in the database $present"
[ "$present" = "$acked" ] || fail "$((acked - present)) acknowledged comment(s) lost"
start_instance 1 "$PORT_1"; wait_for "http://127.0.0.1:$PORT_1/healthz"

say "3. PostgreSQL restarted under both instances"
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
for port in "$PORT_1" "$PORT_2"; do wait_for "http://127.0.0.1:$port/healthz" 503; done
echo "   /healthz answers 503 on both while the database is down"
pg_start
for port in "$PORT_1" "$PORT_2"; do wait_for "http://127.0.0.1:$port/healthz" 200; done
echo "   and 200 again once it is back"
jar="$WORK/cookies.txt"
curl -s -o /dev/null -c "$jar" -H 'content-type: application/json' \
  -d '{"username":"after_restart","email":"after_restart@example.com","password":"harbour-lantern-92"}' \
  "http://127.0.0.1:$PORT_1/api/v1/auth/signup"
curl -sN --max-time 30 -D "$WORK/stream.headers" "http://127.0.0.1:$PORT_2/api/v1/articles/$SLUG/live" >"$WORK/stream.txt" &
stream=$!
# The stream has subscribed once its headers are out.
for _ in $(seq 1 100); do grep -q ' 200' "$WORK/stream.headers" 2>/dev/null && break; sleep 0.1; done
posted=$(date +%s%N)
code="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -H 'content-type: application/json' \
  -d '{"body":"Written after the database came back"}' "http://127.0.0.1:$PORT_1/api/v1/articles/$SLUG/comments")"
[ "$code" = 201 ] || fail "posting after the restart answered $code"
for _ in $(seq 1 100); do grep -q "Written after the database came back" "$WORK/stream.txt" && break; sleep 0.1; done
took=$((($(date +%s%N) - posted) / 1000000))
kill "$stream" 2>/dev/null || true
if ! grep -q "Written after the database came back" "$WORK/stream.txt"; then
  { echo "--- the stream's headers"; cat "$WORK/stream.headers"; echo "--- the stream"; cat "$WORK/stream.txt"; } >&2 || true
  tail -n 40 "$WORK"/instance-*.log >&2
  fail "instance 2 never relayed instance 1's comment after the restart (waited ${took} ms)"
fi
echo "   a comment posted on instance 1 reached a stream on instance 2 in ${took} ms"
say "scale-out tests passed"
