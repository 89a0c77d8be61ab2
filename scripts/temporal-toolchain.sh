#!/usr/bin/env bash
# Provides the Temporal binaries the SDK would otherwise download at run time (no internet on CI):
#   --cli          the Temporal CLI (dev server for `npm start` and the tests), built with `go install`
#   --test-server  the Java time-skipping test server, resolved from Maven Central, behind a wrapper taking <port>
#   --cluster      Temporal Server + its SQL schema tool (`npm run cluster`, the cluster tests), built with
#                  `go install`, with the server module's config/ and schema/postgresql/v12 copied beside them
# No argument: all three (what `npm test` and CI need). Cached outside the repo; a warm run only checks the
# version stamps. Prints the env lines to use (TEMPORAL_CLI_PATH=…, TEMPORAL_TEST_SERVER_PATH=…,
# TEMPORAL_SERVER_DIR=…) last.
set -euo pipefail

CLI_VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
TEST_SERVER_VERSION="${TEMPORAL_TEST_SERVER_VERSION:-1.38.0}"
# The server the CLI embeds (CLI v1.5.1 → server 1.29.1): the cluster runs exactly what the dev server runs.
SERVER_VERSION="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
CACHE="${SHTAB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/shtab}"
CLI_DIR="$CACHE/temporal-cli-$CLI_VERSION"
TS_DIR="$CACHE/temporal-test-server-$TEST_SERVER_VERSION"
SERVER_DIR="$CACHE/temporal-server-$SERVER_VERSION"
started=$(date +%s)

die() { echo "error: $1 — fix: $2" >&2; exit 1; }
say() { echo "temporal-toolchain: $*"; }

want_cli=0 want_ts=0 want_cluster=0
[[ $# -eq 0 ]] && want_cli=1 want_ts=1 want_cluster=1
for a in "$@"; do
  case "$a" in
    --cli) want_cli=1 ;;
    --test-server) want_ts=1 ;;
    --cluster) want_cluster=1 ;;
    --all) want_cli=1 want_ts=1 want_cluster=1 ;;
    *) die "unknown argument $a" "use --cli, --test-server, --cluster or nothing (all)" ;;
  esac
done
mkdir -p "$CACHE" || die "cannot create the cache directory $CACHE" "set SHTAB_CACHE_DIR to a writable directory"

GO_FIX="install Go >= 1.25 (https://go.dev/dl; Debian: apt-get install golang-go from trixie or backports)"
need_go() {
  command -v go >/dev/null || die "Go is not installed, and the Temporal $1 is built from source here" "$GO_FIX, or $2"
  local v
  v="$(go env GOVERSION 2>/dev/null || true)"
  v="${v#go}"
  local major="${v%%.*}" rest="${v#*.}"
  local minor="${rest%%.*}"
  # Go >= 1.21 fetches the toolchain a module asks for (GOTOOLCHAIN=auto) through the module proxy.
  if [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] && ((major == 1 && minor < 21)); then
    die "Go $v is too old to build the Temporal $1" "$GO_FIX"
  fi
}

# `go install` with a progress line every 15 s (packages compiled so far) and the tail of its output on failure.
go_install() {
  local label="$1" gobin="$2" pkg="$3" t0=$SECONDS last=$SECONDS n=0 line
  local log
  log="$(mktemp)"
  say "building $label with go install $pkg (first build: minutes; progress every 15 s)…"
  # CGO off: Temporal's sqlite is pure Go, and this keeps the builds free of a C toolchain.
  set +e
  CGO_ENABLED=0 GOBIN="$gobin" GOFLAGS="${GOFLAGS:-} -trimpath" go install -v "$pkg" 2>&1 | {
    while IFS= read -r line; do
      echo "$line" >>"$log"
      case "$line" in "go: "* | "") ;; *) n=$((n + 1)) ;; esac
      if ((SECONDS - last >= 15)); then
        say "  $label: $n packages compiled, $((SECONDS - t0)) s"
        last=$SECONDS
      fi
    done
  }
  local rc=${PIPESTATUS[0]}
  set -e
  if ((rc != 0)); then
    tail -n 20 "$log" >&2
    rm -f "$log"
    return 1
  fi
  n="$(grep -cv '^go: ' "$log" || true)"
  rm -f "$log"
  say "  $label built in $((SECONDS - t0)) s ($n packages compiled)"
}

# --- Temporal CLI -----------------------------------------------------------------------------------------
# `go install` builds report "0.0.0-DEV", so the version lives in a stamp written after a good build.
if ((want_cli)); then
  if [[ -x "$CLI_DIR/temporal" && "$(cat "$CLI_DIR/.version" 2>/dev/null)" == "$CLI_VERSION" ]]; then
    say "CLI $CLI_VERSION cached at $CLI_DIR/temporal"
  else
    need_go CLI "set TEMPORAL_CLI_PATH to a temporal binary (https://temporal.download/cli)"
    mkdir -p "$CLI_DIR"
    go_install "Temporal CLI $CLI_VERSION" "$CLI_DIR" "github.com/temporalio/cli/cmd/temporal@$CLI_VERSION" ||
      die "go install github.com/temporalio/cli/cmd/temporal@$CLI_VERSION failed (output above)" \
        "it needs the Go module proxy (proxy.golang.org or GOPROXY); or set TEMPORAL_CLI_PATH"
    "$CLI_DIR/temporal" --version >/dev/null || die "the built temporal binary does not run" "delete $CLI_DIR and run again"
    echo "$CLI_VERSION" >"$CLI_DIR/.version"
  fi
fi

# --- time-skipping test server ------------------------------------------------------------------------------
if ((want_ts)); then
  if [[ -x "$TS_DIR/temporal-test-server" && -f "$TS_DIR/.complete" ]]; then
    say "test server $TEST_SERVER_VERSION cached at $TS_DIR/temporal-test-server"
  else
    command -v java >/dev/null || die "Java is missing (the time-skipping test server is Java)" "apt-get install default-jdk-headless (JDK >= 11), or set TEMPORAL_TEST_SERVER_PATH"
    command -v mvn >/dev/null || die "Maven is missing (it resolves the test server from Maven Central)" "apt-get install maven, or set TEMPORAL_TEST_SERVER_PATH"
    say "resolving io.temporal:temporal-test-server:$TEST_SERVER_VERSION from Maven Central…"
    rm -rf "$TS_DIR" && mkdir -p "$TS_DIR/lib"
    cat >"$TS_DIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>shtab</groupId><artifactId>temporal-test-server-deps</artifactId><version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId>
      <version>$TEST_SERVER_VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
    mvn -q -B -f "$TS_DIR/pom.xml" dependency:copy-dependencies -DoutputDirectory="$TS_DIR/lib" -DincludeScope=runtime ||
      die "mvn could not resolve io.temporal:temporal-test-server:$TEST_SERVER_VERSION" "it needs Maven Central; or set TEMPORAL_TEST_SERVER_PATH"
    cat >"$TS_DIR/temporal-test-server" <<'WRAP'
#!/usr/bin/env bash
# Usage: temporal-test-server <port>  (the interface @temporalio/testing expects)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec java ${TEMPORAL_TEST_SERVER_JAVA_OPTS:--Xms64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
  -cp "$here/lib/*" io.temporal.testserver.TestServer "$@"
WRAP
    chmod +x "$TS_DIR/temporal-test-server"
    touch "$TS_DIR/.complete"
  fi
fi

# --- Temporal Server + SQL tool (the cluster) ----------------------------------------------------------------
# go.temporal.io/server's go.mod has no replace directive, so `go install …@version` builds the released code.
# Its schemas and config templates are files of the module: copied from the module cache, never committed.
if ((want_cluster)); then
  if [[ -x "$SERVER_DIR/temporal-server" && -x "$SERVER_DIR/temporal-sql-tool" &&
    "$(cat "$SERVER_DIR/.version" 2>/dev/null)" == "$SERVER_VERSION" ]]; then
    say "server $SERVER_VERSION cached at $SERVER_DIR"
  else
    need_go server "use docker-compose.yml (the temporalio/server image) instead of npm run cluster"
    rm -rf "$SERVER_DIR" && mkdir -p "$SERVER_DIR/bin"
    go_install "Temporal Server $SERVER_VERSION" "$SERVER_DIR/bin" "go.temporal.io/server/cmd/server@$SERVER_VERSION" ||
      die "go install go.temporal.io/server/cmd/server@$SERVER_VERSION failed (output above)" "it needs the Go module proxy"
    go_install "temporal-sql-tool $SERVER_VERSION" "$SERVER_DIR/bin" "go.temporal.io/server/cmd/tools/sql@$SERVER_VERSION" ||
      die "go install go.temporal.io/server/cmd/tools/sql@$SERVER_VERSION failed (output above)" "it needs the Go module proxy"
    mv "$SERVER_DIR/bin/server" "$SERVER_DIR/temporal-server"
    mv "$SERVER_DIR/bin/sql" "$SERVER_DIR/temporal-sql-tool"
    rmdir "$SERVER_DIR/bin"
    mod="$(go mod download -json "go.temporal.io/server@$SERVER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [[ -d "$mod/schema/postgresql/v12" && -f "$mod/config/docker.yaml" ]] ||
      die "the server module has no schema/postgresql/v12 or config/docker.yaml (looked in '$mod')" "delete $SERVER_DIR and run again"
    mkdir -p "$SERVER_DIR/schema/postgresql" "$SERVER_DIR/config"
    cp -R "$mod/schema/postgresql/v12" "$SERVER_DIR/schema/postgresql/"
    cp "$mod/config/docker.yaml" "$SERVER_DIR/config/"
    cp -R "$mod/config/dynamicconfig" "$SERVER_DIR/config/"
    chmod -R u+w "$SERVER_DIR/schema" "$SERVER_DIR/config" # the module cache is read-only
    "$SERVER_DIR/temporal-server" --version >/dev/null || die "the built temporal-server does not run" "delete $SERVER_DIR and run again"
    echo "$SERVER_VERSION" >"$SERVER_DIR/.version"
  fi
fi

say "ready in $(($(date +%s) - started)) s"
((want_cli)) && echo "TEMPORAL_CLI_PATH=$CLI_DIR/temporal"
((want_ts)) && echo "TEMPORAL_TEST_SERVER_PATH=$TS_DIR/temporal-test-server"
((want_cluster)) && echo "TEMPORAL_SERVER_DIR=$SERVER_DIR"
exit 0
