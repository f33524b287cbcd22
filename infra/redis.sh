#!/usr/bin/env bash
# Runs Debian's redis-server on loopback with a throw-away data folder.
# Used by the AppHost (executable mode) and by the test fixtures, so both start Redis the same way.
# Usage: redis.sh <port> <data-dir>
set -euo pipefail
port=${1:?port}; dir=${2:?data dir}
mkdir -p "$dir"
exec redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no \
  --protected-mode yes --maxmemory 512mb --maxmemory-policy allkeys-lru --loglevel warning
