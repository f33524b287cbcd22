#!/usr/bin/env bash
# Starts the whole Hive fleet under the Aspire AppHost: Redis, PostgreSQL and RabbitMQ (containers when a
# container engine answers, local processes otherwise), the migrator with demo data, four services and the
# gateway. Prints the dashboard login URL and, once everything is healthy, the gateway URL. Ctrl+C stops all.
#
# Data is kept in .hive/data (Postgres, both Redis servers with AOF, RabbitMQ's durable queues) and reused
# by the next run: only new migrations run and the demo data is loaded once. `--fresh` starts over.
# Containers keep theirs in named volumes. Other arguments go to the AppHost (e.g. --Hive:Seed=large).
set -euo pipefail
cd "$(dirname "$0")/.."
data="$PWD/.hive/data"
args=()
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=1 ;;
    --Hive:DataFolder=*) data="${arg#--Hive:DataFolder=}" ;;
    *) args+=("$arg") ;;
  esac
done
if [ "${fresh:-0}" = 1 ]; then
  echo "--fresh: removing $data"
  rm -rf "$data"
fi
mkdir -p "$data"
bash scripts/setup.sh
dotnet build Hive.AppHost --verbosity quiet --nologo
exec dotnet run --project Hive.AppHost --no-build --launch-profile http -- "--Hive:DataFolder=$data" ${args[@]+"${args[@]}"}
