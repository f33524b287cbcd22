#!/usr/bin/env bash
# Runs a server's start script and stops it (SIGTERM, as a clean stop does) when process <parent-pid> ends.
# The test harness (tests/Hive.Testing/LocalServer.cs) starts every server through it: a test process killed
# before its fixtures are disposed, as Stryker does after each mutant's test run, leaves no server behind.
# Usage: with-parent.sh <parent-pid> <command> [args...]
set -uo pipefail
parent=${1:?parent pid}; shift
"$@" &
child=$!
stop() { kill -TERM "$child" 2>/dev/null; wait "$child"; exit $?; }
trap stop TERM INT HUP
while kill -0 "$child" 2>/dev/null; do
  kill -0 "$parent" 2>/dev/null || stop
  sleep 1 & wait $!
done
wait "$child"
