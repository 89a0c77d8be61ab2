# Sourced by scripts/test.sh and .ci/run: `ensure_debian_package <command> <package> <what it is for>` installs a
# missing Debian package when this user may (root, or password-less sudo), else stops with the one command
# to run. Never downloads anything else.
ensure_debian_package() {
  local cmd="$1" pkg="$2" why="$3"
  command -v "$cmd" >/dev/null && return 0
  [[ -x "/usr/bin/$cmd" || -x "/usr/sbin/$cmd" ]] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "error: $cmd is missing ($why) and this is not a Debian-like system — fix: install $pkg with your package manager" >&2
    return 1
  fi
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo -n); else
      echo "error: $cmd is missing ($why) — fix: sudo apt-get install $pkg" >&2
      return 1
    fi
  fi
  echo "installing the Debian package $pkg ($why)…" >&2
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >/dev/null; then
    "${sudo[@]}" apt-get update -q >/dev/null || true
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >/dev/null || {
      echo "error: apt-get install $pkg failed ($why) — fix: run apt-get install $pkg yourself and read its message" >&2
      return 1
    }
  fi
}
