#!/usr/bin/env bash
# Regenerates deploy/k8s from aspire-manifest.json (run scripts/manifest.sh first when the AppHost changed).
# tests/Hive.Deploy.Tests fails when the checked-in files are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project deploy/Hive.Deploy -- --manifest "$PWD/aspire-manifest.json" --output "$PWD/deploy/k8s"
