#!/usr/bin/env bash
# Builds everything (warnings are errors) and runs every test project against real Redis, PostgreSQL and
# RabbitMQ processes the tests start themselves. Ends with one line "N passed, N failed, N skipped" summed
# over all projects, and exits non-zero when any test fails.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

config=Release
results="$PWD/.artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"

if ! dotnet build Hive.sln -c "$config" --verbosity quiet --nologo; then
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  grep -q 'Microsoft.NET.Test.Sdk' "$project" || continue
  echo "== $name"
  dotnet test "$project" -c "$config" --no-build --nologo --verbosity quiet \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=1
done

# dotnet test prints one summary per project; sum the TRX counters into the single closing line.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi   # a project crashed before writing results
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" = 0 ] && [ "$failed" = 0 ]
