#!/bin/sh
# Temporal's one-shot set-up steps, the same wherever the server runs:
#   temporal-setup.sh schema     create Temporal's two databases when missing and bring their SQL schemas up
#                                to the server's version (safe to run again: only missing versions are applied)
#   temporal-setup.sh namespace  wait for the frontend, then create the namespace when it does not exist
# docker-compose.yml runs it in temporalio/admin-tools containers (before and after the server starts);
# scripts/cluster runs it here with the binaries built by scripts/temporal-toolchain.sh. POSIX sh: the
# admin-tools image has no bash. Settings come from the environment (scripts/cluster/temporal.env plus
# the connection: POSTGRES_SEEDS, DB_PORT, POSTGRES_USER, POSTGRES_PWD, SCHEMA_DIR, TEMPORAL_ADDRESS).
set -eu

mode="${1:-}"
: "${DB:=postgres12}"
: "${DBNAME:=temporal}"
: "${VISIBILITY_DBNAME:=temporal_visibility}"
: "${DB_PORT:=5432}"
: "${POSTGRES_PWD:=}"
: "${SCHEMA_DIR:=/etc/temporal/schema/postgresql/v12}"
: "${DEFAULT_NAMESPACE:=default}"
: "${NAMESPACE_RETENTION:=7d}"

sql() {
  SQL_PASSWORD="$POSTGRES_PWD" temporal-sql-tool --plugin "$DB" --ep "$POSTGRES_SEEDS" -p "$DB_PORT" \
    -u "$POSTGRES_USER" "$@"
}

case "$mode" in
  schema)
    for pair in "$DBNAME:temporal" "$VISIBILITY_DBNAME:visibility"; do
      db="${pair%%:*}"
      dir="$SCHEMA_DIR/${pair#*:}/versioned"
      [ -d "$dir" ] || { echo "temporal-setup: no schema directory $dir" >&2; exit 1; }
      if ! out="$(sql --db "$db" create-database 2>&1)"; then
        case "$out" in
          *"already exists"*) ;;
          *) echo "$out" >&2; exit 1 ;;
        esac
      fi
      # Version 0.0 creates only the version tables; update-schema then applies what the database lacks.
      if ! out="$(sql --db "$db" setup-schema -v 0.0 2>&1)"; then
        case "$out" in
          *"already exists"*) ;;
          *) echo "$out" >&2; exit 1 ;;
        esac
      fi
      sql --db "$db" update-schema -d "$dir"
      echo "temporal-setup: database $db at the schema of $dir"
    done
    ;;
  namespace)
    : "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS (host:port of the frontend)}"
    tries=0
    until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
      tries=$((tries + 1))
      if [ "$tries" -ge 60 ]; then
        echo "temporal-setup: the server at $TEMPORAL_ADDRESS did not become healthy within 2 minutes" >&2
        exit 1
      fi
      sleep 2
    done
    if temporal operator namespace describe -n "$DEFAULT_NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
      echo "temporal-setup: namespace $DEFAULT_NAMESPACE exists"
    else
      temporal operator namespace create -n "$DEFAULT_NAMESPACE" --retention "$NAMESPACE_RETENTION" \
        --address "$TEMPORAL_ADDRESS"
      echo "temporal-setup: namespace $DEFAULT_NAMESPACE created"
    fi
    ;;
  *)
    echo "usage: temporal-setup.sh schema|namespace" >&2
    exit 2
    ;;
esac
