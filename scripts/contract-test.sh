#!/usr/bin/env bash
# The API contract: schemathesis (tools/venv, pinned) against the built release
# server with a fresh database, every check, all phases, once as a guest and once
# signed in. The live stream never ends by design and is left out. Any failure
# fails the run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PORT="${CONTRACT_PORT:-3200}"
BASE="http://127.0.0.1:$PORT"
EXAMPLES="${CONTRACT_EXAMPLES:-30}"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

SERVER="${SERVER_BIN:-target/release/server}"
[ -x "$SERVER" ] || { echo "$SERVER is missing: run make build first" >&2; exit 1; }
./scripts/python-tools.sh

LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site DATABASE_URL="sqlite://$WORK/contract.db" \
  CONTENT_DIR=content PUBLIC_DIR=public SITE_URL="$BASE" RUST_LOG=warn \
  LIMIT_SIGNUPS_PER_HOUR=100000 LIMIT_COMMENTS_PER_MINUTE=100000 LIMIT_REACTIONS_PER_MINUTE=100000 \
  "$SERVER" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$BASE/healthz" >/dev/null || { echo "the server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1; }

# CONFIG: the schemathesis configuration (the reader's adds its session);
# SKIP: the operations left out (a regular expression on the path).
CONFIG=tools/schemathesis.toml
SKIP='/live$'
attempt() {
  local who="$1" report="$2"; shift 2
  tools/venv/bin/schemathesis --config-file "$CONFIG" run "$BASE/api/v1/openapi.json" \
    --checks all --phases examples,coverage,fuzzing,stateful \
    --max-examples "$EXAMPLES" --seed 20261125 --generation-deterministic \
    --exclude-path-regex "$SKIP" --request-timeout 10 --workers 2 \
    --no-color --report junit --report-dir "$report" "$@"
}

# A failed check (<failure> in the report) fails the run at once. A run whose only
# problems are schemathesis' own crashes (<error>, e.g. a Python internal error while
# generating) is tried again, at most twice, and says so: the API was not at fault.
run() {
  local who="$1"; shift
  for try in 1 2 3; do
    echo "==> contract as $who (attempt $try)"
    local report="$WORK/report-$who-$try"
    if attempt "$who" "$report" "$@"; then
      return 0
    fi
    if grep -qs "<failure" "$report"/*.xml || ! grep -qs "<error" "$report"/*.xml; then
      echo "the API broke its contract (see above)" >&2
      return 1
    fi
    echo "==> schemathesis itself crashed (no check failed); trying again" >&2
  done
  return 1
}

run guest
# A reader of our own: the session cookie the sign-up sets.
cookie="$(curl -fsS -D - -o /dev/null -H 'content-type: application/json' \
  -d '{"username":"contract_reader","email":"contract@example.com","password":"harbour-lantern-92"}' \
  "$BASE/api/v1/auth/signup" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -n1)"
[ -n "$cookie" ] || { echo "sign-up for the contract run failed" >&2; exit 1; }
# The session goes to schemathesis as the API's `session` scheme, so it knows to
# leave it out where it checks that a request without it is refused.
CONFIG="$WORK/reader.toml"
cp tools/schemathesis.toml "$CONFIG"
printf '\n[auth.openapi.session]\napi_key = "%s"\n' "${cookie#*=}" >>"$CONFIG"
# Logging in or out would end the reader's own session (a new session id at every
# log-in) and leave the rest of the run signed out; the guest run covers both.
SKIP='/live$|/auth/(login|logout)$'
run reader
