#!/usr/bin/env bash
# Empties a broker started by rabbitmq.sh: its default virtual host ("/") is deleted with every queue, exchange
# and binding in it and made anew, and <user> gets full rights on it again. The test harness runs it before a
# broker kept between test processes (tests/Hive.Testing/SharedServers.cs) serves the next one.
# Usage: rabbitmq-reset.sh <amqp-port> <epmd-port> <data-dir> <user>
set -euo pipefail
port=${1:?amqp port}; epmd_port=${2:?epmd port}; dir=${3:?data dir}; user=${4:?user}
node="${HIVE_RABBITMQ_NODE:-hive-${port}@localhost}"
as_rabbit=()
[ "$(id -u)" = 0 ] && as_rabbit=(setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups --)
ctl() { (cd "$dir/home" && "${as_rabbit[@]}" env HOME="$dir/home" ERL_EPMD_PORT="$epmd_port" /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$node" "$@"); }
ctl delete_vhost / >/dev/null 2>&1 || true
ctl add_vhost /
ctl set_permissions -p / "$user" '.*' '.*' '.*'
