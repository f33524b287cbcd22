#!/usr/bin/env bash
# Starts the whole Hive fleet under the Aspire AppHost: Redis, PostgreSQL and RabbitMQ (containers when a
# container engine answers, local processes otherwise), the migrator with demo data, four services and the
# gateway. Prints the dashboard login URL and, once everything is healthy, the gateway URL. Ctrl+C stops all.
#
# Data is kept in .hive/data (Postgres, both Redis servers with AOF, RabbitMQ's durable queues) and reused
# by the next run: only new migrations run and the demo data is loaded once. `--fresh` starts over.
# Containers keep theirs in named volumes. Other arguments go to the AppHost (e.g. --Hive:Seed=large).
# The fleet runs in Release, since it is what people measure; `--debug` builds and runs it in Debug.
set -euo pipefail
cd "$(dirname "$0")/.."
data="$PWD/.hive/data"
args=()
configuration=Release
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=1 ;;
    --debug) configuration=Debug ;;
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
# The AppHost starts each service in the configuration it was built in.
dotnet build Hive.AppHost -c "$configuration" --verbosity quiet --nologo
exec dotnet run --project Hive.AppHost -c "$configuration" --no-build --launch-profile http -- "--Hive:DataFolder=$data" ${args[@]+"${args[@]}"}
