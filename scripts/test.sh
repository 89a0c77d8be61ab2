#!/usr/bin/env bash
# The one test command (README, CI): provides the Temporal binaries and Postgres, then runs every test.
# Extra arguments go to vitest, e.g. `npm test -- --project unit`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${TEMPORAL_CLI_PATH:-}" || -z "${TEMPORAL_TEST_SERVER_PATH:-}" ]]; then
  eval "$(bash scripts/temporal-toolchain.sh | grep -E '^TEMPORAL_(CLI|TEST_SERVER)_PATH=' | sed 's/^/export /')"
fi
if [[ -z "${KEYCLOAK_HOME:-}" ]]; then
  # The OpenID provider of the single sign-on tests (downloaded and built once into the cache).
  eval "$(bash scripts/keycloak.sh | grep -E '^KEYCLOAK_(HOME|JAVA_HOME)=' | sed 's/^/export /')"
fi
TEST_DATABASE_URL="$(bash scripts/postgres.sh | tail -n 1)"
export TEST_DATABASE_URL
if [[ -z "${CHROMIUM_PATH:-}" ]]; then
  for c in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    [[ -x "$c" ]] && export CHROMIUM_PATH="$c" && break
  done
fi
mkdir -p test-results
exec npx vitest run "$@"
