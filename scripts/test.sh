#!/usr/bin/env bash
# The one test command (README, CI): provides Node's check, the Temporal binaries, Postgres, Chromium,
# nginx, slapd and Keycloak, then runs every test. Extra arguments go to vitest, e.g. `npm test -- --project unit` or
# `bash scripts/test.sh test/cluster/faults.test.ts`; only what the selected tests need is provided.
set -euo pipefail
cd "$(dirname "$0")/.."
# Run directly (bash scripts/test.sh) the machine's node may be older: the npm registry's Node first, as npm does.
export PATH="$PWD/node_modules/.bin:$PATH"
[[ -d node_modules ]] || { echo "error: node_modules is missing — fix: run npm ci first" >&2; exit 1; }
node scripts/check-node.mjs
# shellcheck source=scripts/lib/debian-package.sh
source scripts/lib/debian-package.sh

# Which parts of the suite run: no file and no project → all of it.
files=() projects=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  a="${args[$i]}"
  case "$a" in
    --project) projects+=("${args[$((i + 1))]:-}") && i=$((i + 1)) ;;
    --project=*) projects+=("${a#--project=}") ;;
    -*) ;;
    *) files+=("$a") ;;
  esac
done
# needs <path fragment> <project>: true when the run includes tests under that path.
needs() {
  local f p
  # A file or directory argument inside the path, or the path inside it (test/browser → test/browser/sso).
  for f in "${files[@]+"${files[@]}"}"; do [[ "$f" == *"$1"* || "$1" == "$f"* ]] && return 0; done
  ((${#files[@]} > 0)) && return 1
  ((${#projects[@]} == 0)) && return 0
  for p in "${projects[@]}"; do [[ "$p" == "$2" ]] && return 0; done
  return 1
}
only_unit=1
for p in "${projects[@]+"${projects[@]}"}"; do [[ "$p" != unit ]] && only_unit=0; done
((${#projects[@]} == 0)) && only_unit=0

if ((!only_unit)); then
  parts=(--cli --test-server)
  needs test/cluster cluster && parts+=(--cluster) && export SHTAB_CLUSTER_TESTS=1
  if [[ -z "${TEMPORAL_CLI_PATH:-}" || -z "${TEMPORAL_TEST_SERVER_PATH:-}" || " ${parts[*]} " == *" --cluster "* ]]; then
    toolchain="$(bash scripts/temporal-toolchain.sh "${parts[@]}")" || exit 1
    eval "$(grep -E '^TEMPORAL_(CLI_PATH|TEST_SERVER_PATH|SERVER_DIR)=' <<<"$toolchain" | sed 's/^/export /')"
  fi
  TEST_DATABASE_URL="$(bash scripts/postgres.sh | tail -n 1)"
  export TEST_DATABASE_URL
  if needs test/browser integration; then
    if [[ -z "${CHROMIUM_PATH:-}" ]]; then
      ensure_debian_package chromium chromium "the browser tests drive Debian's Chromium"
      for c in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
        [[ -x "$c" ]] && export CHROMIUM_PATH="$c" && break
      done
    fi
  fi
  if needs test/cluster cluster; then
    ensure_debian_package nginx nginx "the cluster tests balance two web processes with nginx"
  fi
  if needs test/auth/ldap integration || needs test/browser/sso integration; then
    # The LDAP directory of the single sign-on tests (started by the tests themselves, never as a service).
    ensure_debian_package slapd slapd "the single sign-on tests run their own LDAP directory"
    ensure_debian_package ldapadd ldap-utils "the single sign-on tests load their LDAP directory with ldapadd"
  fi
  if [[ -z "${KEYCLOAK_HOME:-}" ]] && { needs test/auth/oidc integration || needs test/browser/sso integration; }; then
    # The OpenID provider of the single sign-on tests (downloaded and built once into the cache).
    eval "$(bash scripts/keycloak.sh | grep -E '^KEYCLOAK_(HOME|JAVA_HOME)=' | sed 's/^/export /')"
  fi
fi
mkdir -p test-results
exec vitest run "$@"
