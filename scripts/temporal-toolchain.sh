#!/usr/bin/env bash
# Provides the Temporal binaries the SDK would otherwise download at run time (no internet on CI):
#   - the Temporal CLI (dev server), built from source with `go install`
#   - the Java time-skipping test server, resolved from Maven Central, behind a wrapper taking <port>
# Cached outside the repo; a warm run only checks the version stamps. Prints the two env lines to use.
set -euo pipefail

CLI_VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
TEST_SERVER_VERSION="${TEMPORAL_TEST_SERVER_VERSION:-1.38.0}"
CACHE="${SHTAB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/shtab}"
CLI_DIR="$CACHE/temporal-cli-$CLI_VERSION"
TS_DIR="$CACHE/temporal-test-server-$TEST_SERVER_VERSION"
started=$(date +%s)

die() { echo "temporal-toolchain: $*" >&2; exit 1; }
mkdir -p "$CACHE" || die "cannot create cache dir $CACHE (set SHTAB_CACHE_DIR)"

# --- Temporal CLI -----------------------------------------------------------------------------------------
# `go install` builds report "0.0.0-DEV", so the version lives in a stamp written after a good build.
if [[ -x "$CLI_DIR/temporal" && "$(cat "$CLI_DIR/.version" 2>/dev/null)" == "$CLI_VERSION" ]]; then
  echo "temporal-toolchain: CLI $CLI_VERSION cached at $CLI_DIR/temporal"
else
  command -v go >/dev/null || die "Go is missing: install Go >= 1.25 (https://go.dev/dl) or set TEMPORAL_CLI_PATH to a temporal binary"
  echo "temporal-toolchain: building Temporal CLI $CLI_VERSION with go install (a few minutes on first run)…"
  mkdir -p "$CLI_DIR"
  # CGO off: the CLI's sqlite is pure Go, and this keeps the build free of a C toolchain.
  CGO_ENABLED=0 GOBIN="$CLI_DIR" GOFLAGS="${GOFLAGS:-} -trimpath" \
    go install "github.com/temporalio/cli/cmd/temporal@$CLI_VERSION" \
    || die "go install github.com/temporalio/cli/cmd/temporal@$CLI_VERSION failed (needs the Go module proxy)"
  "$CLI_DIR/temporal" --version >/dev/null || die "the built temporal binary does not run"
  echo "$CLI_VERSION" > "$CLI_DIR/.version"
fi

# --- time-skipping test server ------------------------------------------------------------------------------
if [[ -x "$TS_DIR/temporal-test-server" && -f "$TS_DIR/.complete" ]]; then
  echo "temporal-toolchain: test server $TEST_SERVER_VERSION cached at $TS_DIR/temporal-test-server"
else
  command -v java >/dev/null || die "Java is missing: install a JDK >= 11 or set TEMPORAL_TEST_SERVER_PATH"
  command -v mvn >/dev/null || die "Maven is missing: install maven (apt-get install maven) or set TEMPORAL_TEST_SERVER_PATH"
  echo "temporal-toolchain: resolving io.temporal:temporal-test-server:$TEST_SERVER_VERSION from Maven Central…"
  rm -rf "$TS_DIR" && mkdir -p "$TS_DIR/lib"
  cat > "$TS_DIR/pom.xml" <<POM
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
  mvn -q -B -f "$TS_DIR/pom.xml" dependency:copy-dependencies -DoutputDirectory="$TS_DIR/lib" -DincludeScope=runtime \
    || die "mvn could not resolve io.temporal:temporal-test-server:$TEST_SERVER_VERSION (needs Maven Central)"
  cat > "$TS_DIR/temporal-test-server" <<'WRAP'
#!/usr/bin/env bash
# Usage: temporal-test-server <port>  (the interface @temporalio/testing expects)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec java ${TEMPORAL_TEST_SERVER_JAVA_OPTS:--Xms64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
  -cp "$here/lib/*" io.temporal.testserver.TestServer "$@"
WRAP
  chmod +x "$TS_DIR/temporal-test-server"
  touch "$TS_DIR/.complete"
fi

echo "temporal-toolchain: ready in $(( $(date +%s) - started )) s"
echo "TEMPORAL_CLI_PATH=$CLI_DIR/temporal"
echo "TEMPORAL_TEST_SERVER_PATH=$TS_DIR/temporal-test-server"
