#!/usr/bin/env bash
# Start the built server on a fresh SQLite database (demo data seeded), run Playwright, stop it.
set -euo pipefail
bin="$1"
here="$(cd "$(dirname "$0")" && pwd)"
port="${E2E_PORT:-3100}"
data="$(mktemp -d)"
log="$data/server.log"
cd "$here/.."
CLIENTDESK_DATA_DIR="$data" CLIENTDESK_LISTEN="127.0.0.1:$port" DATABASE_URL="sqlite://$data/e2e.db?mode=rwc" \
  "$bin" serve >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.5
done
cd "$here"
if ! E2E_PORT="$port" E2E_DATA_DIR="$data" npx playwright test "${@:2}"; then
  echo "--- server log ---"; tail -n 50 "$log"; exit 1
fi
