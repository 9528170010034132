#!/bin/sh
# The stand-in PostgreSQL's entry point: what the official image does with POSTGRES_USER,
# POSTGRES_PASSWORD, POSTGRES_DB and PGDATA, in a few lines (Debian's postgresql package).
set -eu
: "${PGDATA:?}" "${POSTGRES_USER:=postgres}" "${POSTGRES_PASSWORD:?}" "${POSTGRES_DB:=$POSTGRES_USER}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  pwfile="$(mktemp)"
  printf '%s' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  # The first server's log is shown, as the official image shows it: its "ready to accept
  # connections" line is the first of the two that Testcontainers waits for.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
  psql -v ON_ERROR_STOP=1 -q -U "$POSTGRES_USER" -d postgres -c "CREATE DATABASE \"$POSTGRES_DB\""
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "postgres-entrypoint: initialized $PGDATA with database $POSTGRES_DB"
fi
# Arguments as the official image takes them: "postgres -c fsync=off" (Testcontainers) or options.
[ "${1:-}" != postgres ] || shift
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
