#!/usr/bin/env bash
# Starts the whole Hive fleet under the Aspire AppHost: Redis, PostgreSQL and RabbitMQ (containers when a
# container engine answers, local processes otherwise), the migrator with demo data, four services and the
# gateway. Prints the dashboard login URL and, once everything is healthy, the gateway URL. Ctrl+C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dotnet build Hive.AppHost --verbosity quiet --nologo
exec dotnet run --project Hive.AppHost --no-build --launch-profile http -- "$@"
