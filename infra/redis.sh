#!/usr/bin/env bash
# Runs Debian's redis-server on loopback. Used by the AppHost (executable mode) and by the test fixtures,
# so both start Redis the same way.
# Usage: redis.sh <port> <data-dir> [cache|coordination] [throwaway|persistent]
#   cache         evicts the least recently used keys when full (every cache entry can be rebuilt)
#   coordination  never evicts (locks, fencing counters, write generations, version ledger, boards):
#                 a full server refuses writes instead of silently dropping a lock
#   persistent    keeps an append-only file in <data-dir> and loads it on the next start
set -euo pipefail
port=${1:?port}; dir=${2:?data dir}; role=${3:-cache}; durability=${4:-throwaway}
mkdir -p "$dir"
case "$role" in
  cache) memory=(--maxmemory 512mb --maxmemory-policy allkeys-lru) ;;
  coordination) memory=(--maxmemory 256mb --maxmemory-policy noeviction) ;;
  *) echo "unknown role '$role' (cache or coordination)" >&2; exit 2 ;;
esac
case "$durability" in
  throwaway) persistence=(--save "" --appendonly no) ;;
  persistent) persistence=(--save "" --appendonly yes --appendfsync everysec) ;;
  *) echo "unknown durability '$durability' (throwaway or persistent)" >&2; exit 2 ;;
esac
exec redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" "${persistence[@]}" \
  --protected-mode yes "${memory[@]}" --loglevel warning
