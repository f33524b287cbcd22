#!/usr/bin/env bash
# Runs Debian's rabbitmq-server on loopback with its own node name, ports and folders, as the rabbitmq
# user. Queues live under the node name: HIVE_RABBITMQ_NODE fixes it so a kept data folder is found again.
# Erlang's port mapper (epmd) gets its own port and is stopped with the broker.
# Usage: rabbitmq.sh <amqp-port> <dist-port> <epmd-port> <data-dir>
# (user and password from HIVE_RABBITMQ_USER / HIVE_RABBITMQ_PASSWORD)
set -euo pipefail
port=${1:?amqp port}; dist_port=${2:?distribution port}; epmd_port=${3:?epmd port}; dir=${4:?data dir}
user=${HIVE_RABBITMQ_USER:-guest}; password=${HIVE_RABBITMQ_PASSWORD:-guest}
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || { echo "rabbitmq-server is not installed" >&2; exit 1; }

node="${HIVE_RABBITMQ_NODE:-hive-${port}@localhost}"

mkdir -p "$dir/mnesia" "$dir/log" "$dir/home"
cat > "$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$port
loopback_users = none
default_user = $user
default_pass = $password
log.console = true
log.console.level = warning
log.file = false
disk_free_limit.absolute = 50MB
CONF
: > "$dir/enabled_plugins"; echo "[]." > "$dir/enabled_plugins"
as_rabbit=()
if [ "$(id -u)" = 0 ]; then
  chown -R rabbitmq:rabbitmq "$dir"
  as_rabbit=(setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups --)
fi

export HOME="$dir/home" RABBITMQ_NODENAME="$node" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
  RABBITMQ_DIST_PORT="$dist_port" ERL_EPMD_PORT="$epmd_port" RABBITMQ_MNESIA_BASE="$dir/mnesia" \
  RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
  RABBITMQ_CONFIG_FILE="$dir/rabbitmq" RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
  RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" RABBITMQ_LOGS=-

broker=0
note() { echo "[rabbitmq.sh $(date +%H:%M:%S.%N | cut -c1-12)] $*" >&2; }
stop() {
  note "stopping (signal), broker pid $broker"
  [ "$broker" != 0 ] && kill -TERM "$broker" 2>/dev/null && wait "$broker" 2>/dev/null
  ERL_EPMD_PORT="$epmd_port" epmd -kill >/dev/null 2>&1 || pkill -f "epmd.*-port $epmd_port" 2>/dev/null || true
  # A restart must not find the old epmd still dying on its port: the new node would register with it and
  # lose its name a moment later. Wait until the port is free.
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$epmd_port") 2>/dev/null || break
    sleep 0.1
  done
  note "stopped"
  exit 0
}
trap stop TERM INT HUP
cd "$dir/home"
"${as_rabbit[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server &
broker=$!
note "broker pid $broker started"
status=0
wait "$broker" || status=$?
note "broker exited with status $status"
stop
