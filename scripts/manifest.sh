#!/usr/bin/env bash
# Regenerates aspire-manifest.json with the AppHost's manifest publisher (a test fails when it is stale).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project Hive.AppHost --no-launch-profile -- --publisher manifest --output-path "$PWD/aspire-manifest.json"
