#!/usr/bin/env bash
# Counts what one request costs the infrastructure, on a fleet started by `bash scripts/run.sh` (loopback):
# Redis commands (INFO commandstats, both servers) and Postgres statements (pg_stat_statements) before and
# after N sequential requests, minus what the idle fleet does in the same time (health probes, the outbox
# and view timers). Bounded: N requests per endpoint, one at a time.
#   bash deploy/scale/count-ops.sh http://localhost:GATEWAY_PORT [N]
set -euo pipefail
gateway=${1:?gateway url}; n=${2:-200}
data=${HIVE_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/.hive/data}

# The fleet's servers are the processes whose data lives under $data.
redis_ports=$(for pid in $(pgrep -x redis-server); do
  case "$(readlink "/proc/$pid/cwd")" in "$data"/*) ps -o args= -p "$pid" | grep -o ':[0-9]*' | tr -d : ;; esac
done)
pg_port=$(ps -eo args | grep '[p]ostgres' | grep -- "$data" | grep -o -- '-p [0-9]*' | head -n 1 | awk '{print $2}')

redis_stat() { # port, "all" or "scripts": commands served (those run inside scripts included), or scripts run
  local filter=cmdstat_
  [ "$2" = scripts ] && filter='cmdstat_eval'
  REDISCLI_AUTH=${HIVE_REDIS_PASSWORD:-} redis-cli -p "$1" info commandstats 2>/dev/null | grep "^$filter" \
    | grep -o 'calls=[0-9]*' | cut -d= -f2 | awk '{s+=$1} END {print s+0}'
}
redis_calls() { # "commands scripts" per fleet Redis, in port order
  local port
  for port in $redis_ports; do printf '%s %s ' "$(redis_stat "$port" all)" "$(redis_stat "$port" scripts)"; done
}
pg_calls() {
  PGPASSWORD=${HIVE_PG_PASSWORD:-$(grep -o '"Postgres": *"[^"]*"' "$data/secrets.json" | sed 's/.*: *"//; s/"$//')} psql -h 127.0.0.1 -p "$pg_port" -U postgres -d hive -Atc \
    "SELECT coalesce(sum(calls),0) FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%'" 2>/dev/null || echo 0
}

snapshot() { echo "$(redis_calls)$(pg_calls)"; }

# Per request: after − before − the idle fleet's share for the same time, for every counter.
delta() { # before, after, idle (per 10 s), seconds, requests
  awk -v b="$1" -v a="$2" -v i="$3" -v e="$4" -v n="$5" 'BEGIN {
    split(b, B, " "); split(a, A, " "); split(i, I, " ")
    for (k = 1; k <= length(A); k++) printf "%.2f ", (A[k] - B[k] - I[k] * e / 10) / n }'
}

measure() { # name, url template with {i} for the request number
  local name=$1 template=$2 url before after start elapsed i
  before=$(snapshot); start=$(date +%s.%N)
  # {i} counts from a random offset, so a second run does not find the first run's "cold" answers cached.
  # {p} is a product id of the demo data (1..2000) from the same offset.
  for i in $(seq "$offset" $((offset + n - 1))); do
    url=${template//\{i\}/$i}; curl -s -o /dev/null "${url//\{p\}/$(( (i % 2000) + 1 ))}"
  done
  elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
  after=$(snapshot)
  set -- $(delta "$before" "$after" "$idle" "$elapsed" "$n")
  # Columns per Redis (in port order): commands, scripts; then Postgres statements.
  printf '| %s |' "$name"; printf ' %s |' "$@"; echo
}

offset=$(( (RANDOM % 19) * 100 + 1 ))
idle_before=$(snapshot); sleep 10; idle_after=$(snapshot)
idle=$(awk -v b="$idle_before" -v a="$idle_after" 'BEGIN { split(b, B, " "); split(a, A, " "); for (k = 1; k <= length(A); k++) printf "%d ", A[k] - B[k] }')
echo "Redis servers (port order): $(for port in $redis_ports; do printf '%s=%s ' "$port" "$(basename "$(readlink "/proc/$(pgrep -f "redis-server 127.0.0.1:$port")/cwd")")"; done)"
echo "idle fleet, per 10 s: $idle"
echo "| request (through the gateway) | per Redis: commands, scripts … | Postgres statements |"
echo "|---|---|---|"
curl -s -o /dev/null "$gateway/api/catalog/categories"; curl -s -o /dev/null "$gateway/api/catalog/products/1"
curl -s -o /dev/null "$gateway/api/search?q=maize"
measure "categories, cached" "$gateway/api/catalog/categories"
measure "product by id, cached" "$gateway/api/catalog/products/1"
measure "product by id, cold (a new id each)" "$gateway/api/catalog/products/{p}"
measure "product list, cached" "$gateway/api/catalog/products?pageSize=20"
measure "product list, cold (a new price floor each)" "$gateway/api/catalog/products?pageSize=20&minPrice={i}"
measure "search, cached" "$gateway/api/search?q=maize"
measure "search, cold (a new price floor each)" "$gateway/api/search?q=maize&minPrice={i}"
measure "autocomplete, cold (a new prefix each)" "$gateway/api/search/autocomplete?q=ma{i}"
