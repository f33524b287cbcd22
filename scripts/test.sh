#!/usr/bin/env bash
# Builds everything (warnings are errors) and runs every test project against real Redis, PostgreSQL and
# RabbitMQ processes the tests start themselves. Ends with one line "N passed, N failed, N skipped" summed
# over all projects, and exits non-zero when any test fails, when a test project discovers or runs no test,
# or when the total passed falls below the floor in tests/test-floor.txt (a green run of nothing proves nothing).
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
get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
for project in tests/*/*.csproj; do
  grep -q 'Microsoft.NET.Test.Sdk' "$project" || continue
  name=$(basename "$project" .csproj)
  counters=$(grep -o '<Counters [^>]*>' "$results/$name.trx" 2>/dev/null | head -n 1)
  if [ -z "$counters" ] || [ "$(get executed)" = 0 ]; then
    echo "!! $name discovered or ran no tests"
    status=1
  fi
done
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  # A skipped test is counted in "total" but not in "executed" (TRX leaves notExecuted at 0 for it).
  skipped=$((skipped + $(get total) - $(get executed)))
done
# The floor is kept a little below today's count; raise it (never lower it) when tests are added.
floor=$(grep -v '^#' tests/test-floor.txt 2>/dev/null | grep -o '[0-9]\+' | head -n 1)
if [ -z "$floor" ]; then
  echo "!! tests/test-floor.txt holds no floor"
  status=1
elif [ "$passed" -lt "$floor" ]; then
  echo "!! $passed tests passed, fewer than the floor of $floor in tests/test-floor.txt"
  status=1
fi
# A project that crashed before writing results, ran nothing, or a total under the floor counts as a failure.
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" = 0 ] && [ "$failed" = 0 ]
