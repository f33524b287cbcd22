#!/usr/bin/env bash
# Installs what Hive needs on a fresh Debian machine, only when it is missing:
# redis-server, rabbitmq-server and PostgreSQL 15 (with contrib) from Debian's packages, then NuGet restore.
# Safe to run any number of times; both README commands call it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
# Debian's postgresql-15 carries the contrib extensions (pg_trgm, unaccent); postgresql-contrib pulls them in.
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  missing+=(postgresql-15 postgresql-contrib)
elif ! ls /usr/share/postgresql/*/extension/pg_trgm.control >/dev/null 2>&1; then
  missing+=(postgresql-contrib)
fi
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
# Media's face gravity: OpenCvSharp's official Linux runtime links GTK 3; the Haar cascades come from opencv-data.
ls /usr/lib/*/libgtk-3.so.0 >/dev/null 2>&1 || missing+=(libgtk-3-0)
[ -f /usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml ] || missing+=(opencv-data)
# The dashboard test drives Debian's Chromium headless through Playwright (no browser download).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then sudo=(sudo); else sudo=(); fi
  "${sudo[@]}" apt-get update -q >/dev/null
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK (see global.json) is required" >&2
  exit 1
fi

dotnet restore Hive.sln --verbosity quiet
