# Spotlight — the commands. `make run` and `make test` work on a fresh Debian 12
# machine with rustup and node: they install what is missing first.

SHELL := /bin/bash
.DEFAULT_GOAL := run
# npm's wasm-opt (binaryen 132) and sass must come before anything else on PATH:
# Debian's older wasm-opt produces a bundle that never hydrates.
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CARGO_TERM_COLOR ?= always
# A CI run builds once from scratch: incremental caches would only cost disk.
ifeq ($(CI),true)
export CARGO_INCREMENTAL := 0
endif

.PHONY: run dev build setup test test-rust test-postgres test-scale-out test-e2e test-contract e2e-setup lint fmt bench clean

## setup: install the toolchain pieces (wasm target, cargo-leptos, wasm-bindgen, wasm-opt)
setup:
	@./scripts/bootstrap.sh

## run: build in release mode and serve on http://127.0.0.1:3000
run: setup
	cargo leptos serve --release --precompress

## dev: rebuild and reload the browser on every change
dev: setup
	cargo leptos watch

## build: release build of server and client into target/
build: setup
	cargo leptos build --release --precompress

## test: every test — formatting and lints, unit, integration, the API contract, browser (Chromium)
test: lint test-rust test-postgres test-contract test-e2e test-scale-out

test-rust: setup
	cargo test -p app --features ssr
	cargo test -p server

## test-postgres: the integration suite on PostgreSQL (skipped, with the reason, when none answers)
test-postgres: setup
	./scripts/test-postgres.sh

## test-scale-out: two instances on PostgreSQL behind nginx, two browsers (skipped without PostgreSQL)
test-scale-out: build e2e-setup
	./scripts/scale-out-e2e.sh

e2e-setup:
	@./scripts/apt-packages.sh chromium
	@cd end2end && { [ -d node_modules/@playwright/test ] || npm ci --no-audit --no-fund; }

## test-contract: schemathesis against the built server, as a guest and signed in
test-contract: build
	./scripts/contract-test.sh

test-e2e: build e2e-setup
	cd end2end && npx playwright test

## lint: formatting and clippy, warnings are errors
lint: setup
	cargo fmt --all -- --check
	cargo clippy -p app --features ssr --all-targets -- -D warnings
	cargo clippy -p server --all-targets -- -D warnings
	cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

fmt:
	cargo fmt --all

## bench: performance figures (not part of test)
bench: build
	./bench/run.sh

clean:
	cargo clean
	rm -rf data end2end/test-results
