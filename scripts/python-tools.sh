#!/usr/bin/env bash
# Creates tools/venv with the pinned Python test tools (schemathesis), once.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/tools/venv"
STAMP="$VENV/.requirements"
# CPython 3.11.7 raises "AST constructor recursion depth mismatch" now and then inside
# hypothesis (schemathesis' generator); 3.13 does not. Use a 3.13 when the machine has one.
PYTHON=python3
for candidate in python3.13 "$HOME"/.pyenv/versions/3.13*/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then
    PYTHON="$candidate"
    break
  fi
done
if [ -x "$VENV/bin/python" ] && cmp -s "$ROOT/tools/requirements.txt" "$STAMP" \
  && [ "$("$VENV/bin/python" -c 'import sys; print(sys.version_info[:2])')" = "$("$PYTHON" -c 'import sys; print(sys.version_info[:2])')" ]; then
  exit 0
fi
echo "==> installing the Python test tools into tools/venv with $("$PYTHON" --version) (tools/requirements.txt)"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/tools/requirements.txt"
cp "$ROOT/tools/requirements.txt" "$STAMP"
