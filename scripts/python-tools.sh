#!/usr/bin/env bash
# Creates tools/venv with the pinned Python test tools (schemathesis), once.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/tools/venv"
STAMP="$VENV/.requirements"
if [ -x "$VENV/bin/python" ] && cmp -s "$ROOT/tools/requirements.txt" "$STAMP"; then
  exit 0
fi
echo "==> installing the Python test tools into tools/venv (tools/requirements.txt)"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/tools/requirements.txt"
cp "$ROOT/tools/requirements.txt" "$STAMP"
