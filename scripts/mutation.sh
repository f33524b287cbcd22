#!/usr/bin/env bash
# Mutation testing with Stryker.NET (pinned in .config/dotnet-tools.json): plants small faults in one
# project's code, one at a time, and runs that project's tests against each. A mutant the tests do not
# notice ("survived") is behaviour no test pins down. Not part of scripts/test.sh: a full run takes minutes
# to an hour per project.
#
#   bash scripts/mutation.sh                        every project with a tests/<Project>.Tests/stryker-config.json
#   bash scripts/mutation.sh Hive.Caching           one project
#   bash scripts/mutation.sh Hive.Caching --since main   only mutants in files changed since a git ref
#   bash scripts/mutation.sh Hive.Caching --mutate '**/CacheKeyBuilder.cs'   only files matching a glob (repeatable)
#   bash scripts/mutation.sh Hive.Mobile --tests 'FullyQualifiedName!~.Fleet.'   only the tests a filter selects
#     (dotnet test --filter syntax): a project whose fleet tests start servers for every mutant can be measured
#     against its in-process tests alone; mutants only those fleet tests reach then count as not covered.
#
# Reports (HTML and JSON) go to .artifacts/mutation/<Project>/reports/. Runs use one test process at a
# time (the configs set concurrency 1; HIVE_MUTATION_CONCURRENCY=2 runs two, which pays where tests mostly wait)
# and stop after HIVE_MUTATION_TIMEOUT (default 90m) per project.
# Stryker starts the tests once per mutant: the servers they need (Redis, PostgreSQL with its seeded template
# databases, RabbitMQ) are kept running between those test processes and reset for each
# (tests/Hive.Testing/SharedServers.cs), then stopped when the project is done.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

projects=(); since=(); mutate=(); tests=(); concurrency=()
[ -n "${HIVE_MUTATION_CONCURRENCY:-}" ] && concurrency=(--concurrency "$HIVE_MUTATION_CONCURRENCY")
while [ $# -gt 0 ]; do
  case "$1" in
    --since) since=("--since:${2:?--since needs a git ref}"); shift 2 ;;
    --since=*) since=("--since:${1#--since=}"); shift ;;
    --mutate) mutate+=("--mutate" "${2:?--mutate needs a glob}"); shift 2 ;;
    --tests) tests=("--test-case-filter" "${2:?--tests needs a filter}"); shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) projects+=("$1"); shift ;;
  esac
done
if [ ${#projects[@]} -eq 0 ]; then
  for config in tests/*.Tests/stryker-config.json; do
    projects+=("$(basename "$(dirname "$config")" .Tests)")
  done
fi

# Redis, PostgreSQL and RabbitMQ must be installed: the tests start them as their own processes.
if ! setup=$(bash scripts/setup.sh 2>&1); then echo "$setup"; exit 1; fi
if ! tools=$(dotnet tool restore 2>&1); then echo "$tools"; exit 1; fi

# Stops the servers a project's test processes shared (each record names the pid that stops its server).
stop_shared() {
  local folder=$1 record pid pids=()
  for record in "$folder"/*.json; do
    [ -f "$record" ] || continue
    pid=$(grep -o '"Pid":[0-9]*' "$record" | cut -d: -f2)
    # Only the server's own wrapper: a pid whose server ended long ago may belong to another process by now.
    [ -n "$pid" ] && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q 'with-parent.sh' \
      && kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
  done
  for _ in $(seq 1 200); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  rm -rf "$folder"
}

status=0
for project in "${projects[@]}"; do
  config="tests/$project.Tests/stryker-config.json"
  if [ ! -f "$config" ]; then
    echo "!! no $config (projects: $(ls tests/*/stryker-config.json | xargs -n1 dirname | xargs -n1 basename | sed 's/\.Tests$//' | tr '\n' ' '))"
    status=1; continue
  fi
  output="$root/.artifacts/mutation/$project"
  rm -rf "$output"; mkdir -p "$output"
  echo "== $project (report: .artifacts/mutation/$project/reports/mutation-report.html)"
  shared=$(mktemp -d "${TMPDIR:-/tmp}/hive-mutation-servers.XXXXXX") && chmod 755 "$shared"  # the servers run as their own users
  (cd "tests/$project.Tests" && HIVE_TEST_SHARED_SERVERS="$shared" HIVE_TEST_SHARED_OWNER=$$ timeout --kill-after=60 "${HIVE_MUTATION_TIMEOUT:-90m}" \
    dotnet stryker --config-file stryker-config.json --output "$output" --skip-version-check "${since[@]}" "${mutate[@]}" "${tests[@]}" "${concurrency[@]}") \
    | tee "$output/stryker.log" | grep -E --line-buffered 'mutants|score|rror' || true
  code=${PIPESTATUS[0]}
  stop_shared "$shared"
  if [ "$code" != 0 ]; then echo "!! $project: Stryker exited with $code (124: time box reached)"; status=1; fi
  # One line per project for tests/MUTATION.md: killed, survived, timeout, no coverage and the score.
  json="$output/reports/mutation-report.json"
  if [ -f "$json" ] && command -v python3 >/dev/null; then
    python3 - "$json" "$project" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
counts = {}
for file in report["files"].values():
    for mutant in file["mutants"]:
        counts[mutant["status"]] = counts.get(mutant["status"], 0) + 1
killed, survived = counts.get("Killed", 0), counts.get("Survived", 0)
timeout, nocov = counts.get("Timeout", 0), counts.get("NoCoverage", 0)
detected = killed + timeout
valid = detected + survived + nocov
score = 100 * detected / valid if valid else 0
print(f"{sys.argv[2]}: {score:.1f} % ({killed} killed, {survived} survived, {timeout} timeout, {nocov} no coverage; "
      f"{counts.get('CompileError', 0)} compile errors, {counts.get('Ignored', 0)} ignored)")
PY
  fi
done
exit $status
