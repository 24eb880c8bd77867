#!/usr/bin/env bash
# The integration suite again, on PostgreSQL: every test gets a fresh database
# on the server at TEST_POSTGRES_URL (default: the local server, user postgres)
# and drops it afterwards. Where no PostgreSQL answers, the run is skipped with
# the reason, so `make test` still passes on a machine without one.
set -euo pipefail

url="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
hostport="${url#*://}"; hostport="${hostport#*@}"; hostport="${hostport%%/*}"
host="${hostport%%:*}"; port="${hostport##*:}"; [ "$port" = "$host" ] && port=5432

if ! (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
  echo "SKIPPED the PostgreSQL suite: nothing answers on $host:$port (set TEST_POSTGRES_URL to a server to run it)"
  exit 0
fi
echo "==> the integration suite on PostgreSQL at $host:$port"
TEST_POSTGRES_URL="$url" cargo test -p server --test api
