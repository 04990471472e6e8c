#!/usr/bin/env bash
# Start the built server on a fresh SQLite database (demo data seeded), and two more server
# processes sharing one fresh PostgreSQL database (live events between instances); run
# Playwright; stop them all.
set -euo pipefail
bin="$1"
here="$(cd "$(dirname "$0")" && pwd)"
port="${E2E_PORT:-3100}"
port_a=$((port + 1))
port_b=$((port + 2))
data="$(mktemp -d)"
pg_admin="${CLIENTDESK_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_db="clientdesk_e2e_$$"
pg_url="${pg_admin%/*}/$pg_db"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT
cd "$here/.."

# start NAME PORT DATABASE_URL [DATA]: one server process with its data folder $data/DATA
# (default NAME), logged to $data/NAME.log, once it answers.
start() {
  mkdir -p "$data/${4:-$1}"
  CLIENTDESK_DATA_DIR="$data/${4:-$1}" CLIENTDESK_LISTEN="127.0.0.1:$2" DATABASE_URL="$3" \
    "$bin" serve --demo >"$data/$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$2/healthz" >/dev/null 2>&1 && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$data/$1.log"; exit 1; }
    sleep 0.5
  done
  echo "server $1 did not start"; cat "$data/$1.log"; exit 1
}

start main "$port" "sqlite://$data/main/e2e.db?mode=rwc"
psql "$pg_admin" -qc "CREATE DATABASE $pg_db" >/dev/null
# A migrates and seeds; B starts on the same database once A is up.
start pg-a "$port_a" "$pg_url"
# Instances of one installation share the secret key and the file store (as they would share
# an object store): B opens the secrets A stored and mails the PDFs A archived.
start pg-b "$port_b" "$pg_url" pg-a

cd "$here"
if ! E2E_PORT="$port" E2E_PG_A="http://127.0.0.1:$port_a" E2E_PG_B="http://127.0.0.1:$port_b" \
  E2E_DATA_DIR="$data/main" npx playwright test "${@:2}" 2>&1 | tee "$data/playwright.log"; then
  for name in main pg-a pg-b; do
    echo "--- $name server log: errors, then its end ---"
    grep -E 'ERROR|panicked' "$data/$name.log" | cut -c1-400 | head -n 20 || true
    tail -n 20 "$data/$name.log" | cut -c1-400
  done
  # CI shows only the end of the output: repeat the first line of each error and the list of
  # failed tests last, after the server logs.
  echo "--- playwright: errors and failed tests ---"
  grep -E '^\s+(Error|TimeoutError|expect|Locator:|Expected|Received|at .*\.spec\.ts:)' "$data/playwright.log" \
    | cut -c1-300 | head -n 40 || true
  sed -n '/^ *[0-9]* failed$/,$p' "$data/playwright.log" | head -n 20
  exit 1
fi
