# clientdesk: `make run` sets up and serves; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# Builds live outside the clone so CI and later sessions reuse them.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/clientdesk-target
# The same compile-time environment cargo-leptos uses for debug builds, so plain `cargo test`
# and `cargo clippy` reuse its build instead of compiling everything again. Release builds use
# it too: components erased to AnyView make a smaller client (and the tested code paths).
export LEPTOS_OUTPUT_NAME := clientdesk
DEV_RUSTFLAGS := --cfg erase_components
CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := $(shell grep -A1 '^name = "wasm-bindgen"$$' Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p')
BIN := $(CARGO_TARGET_DIR)/debug/clientdesk

.PHONY: setup setup-e2e setup-release build run test test-rust test-e2e bench fmt lint setup-lint release clean-data unlink-split-manifest

## Install what is missing: wasm target, cargo-leptos, wasm-bindgen-cli (Cargo.lock's version).
setup:
	@rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" || cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

## Playwright (npm) and Debian's Chromium for the end-to-end tests.
setup-e2e:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
	@cd end2end && { test -d node_modules/@playwright/test && test -d node_modules/@axe-core/playwright || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund; }

# The target dir is shared between checkouts (this one, CI's clone): cargo copies the final
# binary and WASM to one unhashed path only when it compiles, so a checkout whose build is
# "fresh" could pick up another checkout's files. Touching the crate root makes it compile.
build: setup
	touch src/lib.rs
	@# cargo-leptos adds DEV_RUSTFLAGS to debug builds itself (setting them here would double them
	@# and make the server build miss the test build's cache).
	env -u RUSTFLAGS .ci/timed "build server + wasm" cargo leptos build --split
	@$(MAKE) --no-print-directory unlink-split-manifest

## Build, migrate the SQLite database in ./data, seed demo data on first start, serve :3000.
run: build
	$(BIN) serve --demo

## Every test; at the end, how long each part took.
export TIMES_FILE ?= $(CARGO_TARGET_DIR)/test-times.txt
test:
	@mkdir -p $(CARGO_TARGET_DIR) && : > $(TIMES_FILE)
	@start=$$(date +%s); $(MAKE) --no-print-directory test-rust test-e2e; rc=$$?; \
	  echo "--- make test: how long each part took"; cat $(TIMES_FILE); \
	  echo "total                  $$(( $$(date +%s) - start )) s"; exit $$rc

## Unit and integration tests, each integration test on SQLite and on PostgreSQL.
test-rust: setup
	.ci/import-cycles
	.ci/ensure-postgres
	.ci/ensure-mariadb
	.ci/ensure-pdns
	.ci/ensure-s3
	.ci/ensure-pyepp >/dev/null
	.ci/ensure-einvoice >/dev/null
	.ci/ensure-bank >/dev/null
	@if cargo nextest --version >/dev/null 2>&1; then \
		RUSTFLAGS="$(DEV_RUSTFLAGS)" .ci/timed "rust: build tests" cargo nextest run --features ssr --no-run && \
		RUSTFLAGS="$(DEV_RUSTFLAGS)" .ci/timed "rust: run tests" cargo nextest run --features ssr; \
	else \
		RUSTFLAGS="$(DEV_RUSTFLAGS)" .ci/timed "rust: build tests" cargo test --features ssr --no-run && \
		RUSTFLAGS="$(DEV_RUSTFLAGS)" .ci/timed "rust: run tests" cargo test --features ssr; \
	fi

## Playwright in headless Chromium against the real server, with JavaScript on and off.
test-e2e: build setup-e2e
	.ci/timed "playwright" end2end/run.sh $(BIN)

## Bundle size of a release front end and what a profile loads until it is hydrated in
## headless Chromium; then seed 1M customers into SQLite and PostgreSQL and time searches and
## profile SSR (dev profile: dependencies are optimised, see Cargo.toml).
bench: setup-release build setup-e2e
	.ci/ensure-postgres
	.ci/ensure-s3
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo leptos build --release --frontend-only --split
	@$(MAKE) --no-print-directory unlink-split-manifest
	.ci/bundle-size target
	.ci/bench-hydrate $(BIN)
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo bench --profile dev --features ssr --bench bench

fmt:
	cargo fmt --all

## cargo-deny from the crate registry (licences, bans, sources of every dependency).
CARGO_DENY_VERSION := 0.20.2
setup-lint:
	@cargo deny --version 2>/dev/null | grep -q "$(CARGO_DENY_VERSION)" || cargo install cargo-deny --version $(CARGO_DENY_VERSION) --locked

lint: setup-lint
	.ci/import-cycles
	.ci/single-copies
	@# Advisories need the RustSec database from GitHub, which is out of reach here.
	cargo deny check licenses bans sources
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo clippy --features ssr --tests --benches -- -D warnings
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo clippy --lib --no-default-features --features hydrate --target wasm32-unknown-unknown --target-dir $(CARGO_TARGET_DIR)/front -- -D warnings

## wasm-opt for release builds (Debian's binaryen is too old for what Rust emits).
setup-release: setup
	@wasm-opt --version 2>/dev/null | grep -q "version 132" || npm install -g binaryen@132

release: setup-release
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo leptos build --release --split
	@$(MAKE) --no-print-directory unlink-split-manifest

## The split manifest leaves the served folder: Leptos' HydrationScripts reads it from there to
## add preload links, and on some responses adds the links of another request's chunks (seen:
## 80 preloads of the Daten panel's chunks on /settings). hydrate() loads what a page needs.
unlink-split-manifest:
	@if [ -f target/site/pkg/__wasm_split_manifest.json ]; then \
	  mv -f target/site/pkg/__wasm_split_manifest.json target/split-manifest.json; fi
