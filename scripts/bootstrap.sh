#!/usr/bin/env bash
# Installs the build tools Spotlight needs, from the package registries only.
# Idempotent: every step checks first and skips what is already in place.
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=0.2.130
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 11 minutes on 2 cores)"
  # Its published lock file needs a newer rustc (cargo-util-schemas 0.14.2); this first
  # attempt fails but leaves the source in the registry cache, which we then fix.
  cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked >/dev/null 2>&1 || true
  src="$(ls -d "$HOME"/.cargo/registry/src/*/cargo-leptos-"$CARGO_LEPTOS_VERSION" | head -n1)"
  work="$(mktemp -d)"
  cp -r "$src" "$work/cargo-leptos"
  (cd "$work/cargo-leptos" && cargo update -p cargo-util-schemas --precise 0.14.1 \
    && cargo install --path . --locked)
  rm -rf "$work"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (must equal the crate pin in Cargo.toml)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# wasm-opt from npm's binaryen: Debian's older build produces a wasm that never hydrates.
if [ ! -x "$ROOT/tools/node_modules/.bin/wasm-opt" ]; then
  say "installing wasm-opt and sass from npm (tools/package-lock.json)"
  (cd "$ROOT/tools" && npm ci --no-audit --no-fund)
fi
