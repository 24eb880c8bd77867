#!/usr/bin/env bash
# Two builds of the server side by side, in one run, on copies of one database:
#   bench/compare.sh OLD_BINARY NEW_BINARY [ROUNDS]
# (OLD_UNMIGRATE: SQL undoing, on OLD's copy, migrations OLD does not know.)
# For each page kind (the cached article as plain HTML and as brotli, a
# signed-in reader's article plain and as a browser asks for it; `KINDS` picks
# some of plain, brotli, signed_in, signed_in_browser), alternates OLD and NEW `wrk -t2 -c64` runs and
# prints each run, then the median req/s of each and NEW/OLD. Needs `make bench`'s
# tools (wrk) and a built site (target/site).
set -euo pipefail
cd "$(dirname "$0")/.."
OLD="$1" NEW="$2" ROUNDS="${3:-3}"
WORK="$PWD/target/compare"
DURATION="${BENCH_DURATION:-8s}"
rm -rf "$WORK" && mkdir -p "$WORK"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
PIDS=""
trap 'for p in $PIDS; do kill $p 2>/dev/null || true; done' EXIT

start() { # binary port db
  LEPTOS_SITE_ADDR="127.0.0.1:$2" SITE_URL="http://127.0.0.1:$2" DATABASE_URL="sqlite://$3" \
    LEPTOS_SITE_ROOT=target/site CONTENT_DIR=content PUBLIC_DIR=public RUST_LOG=warn \
    LIMIT_SIGNUPS_PER_HOUR=100000 "$1" >"$WORK/$2.log" 2>&1 &
  PIDS="$PIDS $!"
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$2/healthz" >/dev/null 2>&1 && return; sleep 0.2; done
  echo "the server on $2 did not start" >&2; cat "$WORK/$2.log" >&2; exit 1
}

# One database, seeded once by NEW (it runs the newer migrations), then copied for OLD.
start "$NEW" 3410 "$WORK/new.db"
./target/release/bench seed "sqlite://$WORK/new.db" >&2
SESSION=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"compare_reader","email":"compare_reader@example.com","password":"harbour-lantern-92"}' \
  http://127.0.0.1:3410/api/v1/auth/signup | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(spotlight_session=[^;]*\).*/\1/p' | head -n1)
sqlite3 "$WORK/new.db" "VACUUM INTO '$WORK/old.db'"
# OLD refuses a database with migrations it does not know: undo them on its copy.
[ -n "${OLD_UNMIGRATE:-}" ] && sqlite3 "$WORK/old.db" "$OLD_UNMIGRATE"
start "$OLD" 3411 "$WORK/old.db"

rps() { wrk -t2 -c64 -d"$DURATION" "$@" | sed -n 's/^Requests\/sec:[[:space:]]*//p'; }
page=/articles/bench-fifty-comments
for kind in ${KINDS:-plain brotli signed_in signed_in_browser}; do
  case $kind in
    plain) args=() ;;
    brotli) args=(-H 'Accept-Encoding: gzip, deflate, br') ;;
    signed_in) args=(-H "Cookie: $SESSION") ;;
    # As a browser asks: the reader's own page is compressed per response.
    signed_in_browser) args=(-H "Cookie: $SESSION" -H 'Accept-Encoding: gzip, deflate, br') ;;
  esac
  olds="" news=""
  for round in $(seq 1 "$ROUNDS"); do
    o=$(rps "${args[@]}" "http://127.0.0.1:3411$page"); n=$(rps "${args[@]}" "http://127.0.0.1:3410$page")
    echo "$kind round $round: old $o req/s, new $n req/s" >&2
    olds="$olds $o" news="$news $n"
  done
  python3 -c 'import sys, statistics as s
o = [float(x) for x in sys.argv[2].split()]; n = [float(x) for x in sys.argv[3].split()]
print(f"{sys.argv[1]}: old median {s.median(o):.0f} req/s, new median {s.median(n):.0f} req/s, new/old {s.median(n)/s.median(o):.2f}x")' \
    "$kind" "$olds" "$news"
done
