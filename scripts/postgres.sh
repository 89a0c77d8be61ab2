#!/usr/bin/env bash
# Makes the machine's installed PostgreSQL cluster available for tests: starts it when nothing listens,
# and ensures a `shtab` superuser role (tests create and drop their own databases with it).
# Prints the admin URL on the last line. Respects TEST_DATABASE_URL when it is already set.
set -euo pipefail
die() { echo "postgres: $*" >&2; exit 1; }

if [[ -n "${TEST_DATABASE_URL:-}" ]]; then echo "$TEST_DATABASE_URL"; exit 0; fi
PORT="${PGPORT:-5432}"
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"
  elif command -v sudo >/dev/null; then sudo -n -u postgres "$@"
  else die "need root or sudo to manage the local cluster; or set TEST_DATABASE_URL"; fi
}

if ! pg_isready -q -h 127.0.0.1 -p "$PORT"; then
  command -v pg_lsclusters >/dev/null || die "PostgreSQL is not installed (apt-get install postgresql) and TEST_DATABASE_URL is unset"
  read -r ver name < <(pg_lsclusters --no-header | awk '{print $1, $2; exit}') \
    || die "no PostgreSQL cluster found (pg_createcluster 15 main)"
  echo "postgres: starting cluster $ver/$name" >&2
  if [[ $(id -u) -eq 0 ]]; then pg_ctlcluster "$ver" "$name" start; else sudo -n pg_ctlcluster "$ver" "$name" start; fi \
    || die "pg_ctlcluster $ver $name start failed (see /var/log/postgresql/)"
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 0.5; done
  pg_isready -q -h 127.0.0.1 -p "$PORT" || die "cluster did not become ready on port $PORT"
fi

as_postgres psql -q -p "$PORT" -v ON_ERROR_STOP=1 -c "
  do \$\$ begin
    if not exists (select from pg_roles where rolname = 'shtab') then
      create role shtab login superuser password 'shtab';
    end if;
  end \$\$;" >/dev/null || die "could not create the shtab role"
echo "postgres://shtab:shtab@127.0.0.1:$PORT/postgres"
