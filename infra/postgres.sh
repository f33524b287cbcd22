#!/usr/bin/env bash
# Runs Debian's PostgreSQL 15 on loopback, as the postgres user (the server refuses root). The password
# arrives in HIVE_PG_PASSWORD, never on the command line. A data folder that already holds a cluster is
# reused. HIVE_PG_DURABLE=1 (kept data) turns on fsync and full page writes; otherwise the settings
# favour speed for throw-away data.
# Usage: postgres.sh <port> <data-dir>
set -euo pipefail
port=${1:?port}; dir=${2:?data dir}
: "${HIVE_PG_PASSWORD:?HIVE_PG_PASSWORD must be set}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/postgres" ] || { echo "PostgreSQL server not found under /usr/lib/postgresql" >&2; exit 1; }

as_postgres=()
if [ "$(id -u)" = 0 ]; then
  as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi

mkdir -p "$dir"
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
chmod 700 "$dir"
if [ ! -f "$dir/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s' "$HIVE_PG_PASSWORD" > "$pwfile"
  if [ "$(id -u)" = 0 ]; then chown postgres "$pwfile"; fi
  "${as_postgres[@]}" "$bin/initdb" -D "$dir" -U postgres --pwfile="$pwfile" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
fi
# The unix socket stays inside the data folder.
# pg_stat_statements (postgresql-contrib) feeds the metrics service's slow-query view.
# SIGTERM is a "smart" shutdown that waits for every pooled client; turn it into a fast one.
server=0
trap '[ "$server" != 0 ] && kill -INT "$server" 2>/dev/null' TERM INT HUP
if [ "${HIVE_PG_DURABLE:-0}" = 1 ]; then
  durability=(-c fsync=on -c synchronous_commit=on -c full_page_writes=on)
else
  durability=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
fi
"${as_postgres[@]}" "$bin/postgres" -D "$dir" -p "$port" -k "$dir" -c listen_addresses=127.0.0.1 \
  "${durability[@]}" -c shared_buffers=256MB \
  -c max_connections=300 -c work_mem=16MB -c maintenance_work_mem=256MB -c log_min_messages=warning \
  -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=top &
server=$!
while kill -0 "$server" 2>/dev/null; do wait "$server" || true; done
