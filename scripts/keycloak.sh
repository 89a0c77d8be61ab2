#!/usr/bin/env bash
# Provides Keycloak, the OpenID provider the single sign-on tests sign in through (docs/decisions.md §34):
# the distribution from Maven Central (org.keycloak:keycloak-quarkus-dist, checked against its .sha1),
# unpacked and pre-built once (`kc.sh build`: embedded H2 database, local caches) into the cache beside the
# Temporal toolchain. A warm run only checks the stamp. Prints KEYCLOAK_HOME and KEYCLOAK_JAVA_HOME.
set -euo pipefail

VERSION="${KEYCLOAK_VERSION:-26.7.3}"
CACHE="${SHTAB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/shtab}"
DIR="$CACHE/keycloak-$VERSION"
BASE="${MAVEN_CENTRAL:-https://repo1.maven.org/maven2}/org/keycloak/keycloak-quarkus-dist/$VERSION"
started=$(date +%s)

die() { echo "keycloak: $*" >&2; exit 1; }

# Keycloak 26 wants Java 21+; it still starts on 17, which Debian bookworm has. A newer JDK is preferred.
java_home="${KEYCLOAK_JAVA_HOME:-}"
if [[ -z "$java_home" ]]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    [[ -x "$j/bin/java" ]] && java_home="$j" && break
  done
fi
if [[ -z "$java_home" ]]; then
  command -v java >/dev/null || die "Java is missing: install a JDK >= 17 (21+ recommended) or set KEYCLOAK_JAVA_HOME"
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
fi

mkdir -p "$CACHE" || die "cannot create cache dir $CACHE (set SHTAB_CACHE_DIR)"
# Parallel test runs share the cache: one of them downloads, the others wait for it.
exec 9>"$CACHE/.keycloak-$VERSION.lock"
flock 9

if [[ -x "$DIR/bin/kc.sh" && "$(cat "$DIR/.complete" 2>/dev/null)" == "$VERSION" ]]; then
  echo "keycloak: $VERSION cached at $DIR"
else
  command -v curl >/dev/null || die "curl is missing"
  echo "keycloak: downloading keycloak-quarkus-dist $VERSION from Maven Central…"
  rm -rf "$DIR" "$DIR.part" && mkdir -p "$DIR.part"
  tarball="$DIR.part/keycloak.tar.gz"
  curl -fsSL --retry 3 -o "$tarball" "$BASE/keycloak-quarkus-dist-$VERSION.tar.gz" || die "download failed (needs Maven Central)"
  want="$(curl -fsSL --retry 3 "$BASE/keycloak-quarkus-dist-$VERSION.tar.gz.sha1" | cut -c1-40)"
  have="$(sha1sum "$tarball" | cut -c1-40)"
  [[ "$want" == "$have" ]] || die "checksum mismatch: Maven Central says $want, the download is $have"
  tar -xzf "$tarball" -C "$DIR.part" --strip-components=1
  rm -f "$tarball"
  # Build-time options, fixed once: a file database per run (its path is given at start), caches local to
  # the process (no cluster discovery between parallel test runs), no management interface (no fixed port).
  echo "keycloak: building (Quarkus augmentation, about half a minute)…"
  JAVA_HOME="$java_home" "$DIR.part/bin/kc.sh" build --db=dev-file --cache=local --health-enabled=false \
    --metrics-enabled=false >"$DIR.part/build.log" 2>&1 || { tail -20 "$DIR.part/build.log" >&2; die "kc.sh build failed"; }
  echo "$VERSION" >"$DIR.part/.complete"
  mv "$DIR.part" "$DIR"
fi

echo "keycloak: ready in $(( $(date +%s) - started )) s"
echo "KEYCLOAK_HOME=$DIR"
echo "KEYCLOAK_JAVA_HOME=$java_home"
