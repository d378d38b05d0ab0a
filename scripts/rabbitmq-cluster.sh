#!/usr/bin/env bash
# A three-node RabbitMQ cluster on 127.0.0.1 from Debian's rabbitmq-server package, beside (never instead of) the
# single node scripts/infra.sh runs on 5672:
#
#   node                 AMQP   management  distribution
#   shop-ha-1@localhost  5681   15681       25681
#   shop-ha-2@localhost  5682   15682       25682
#   shop-ha-3@localhost  5683   15683       25683
#
# scripts/rabbitmq-cluster.sh start        start the nodes that are down (a fresh cluster is created and joined)
# scripts/rabbitmq-cluster.sh stop [N]     stop every node, or node N, gracefully (data kept)
# scripts/rabbitmq-cluster.sh kill N       SIGKILL node N (no shutdown at all)
# scripts/rabbitmq-cluster.sh restart N    stop node N if it runs, start it, wait until it is back in the cluster
# scripts/rabbitmq-cluster.sh status       which nodes run, and the cluster as node 1 (or any running node) sees it
# scripts/rabbitmq-cluster.sh env          the settings the apps need, as shell exports
# scripts/rabbitmq-cluster.sh clean        stop every node and delete the cluster's data
#
# The nodes run as the rabbitmq user with a HOME, Erlang cookie, data, logs and enabled-plugins file of their own under
# $SHOP_CLUSTER_DIR (default /var/lib/rabbitmq/shop-cluster), so the shared node's cookie, data and logs are untouched.
# Needs root (as on a fresh Debian/Ubuntu machine); installs rabbitmq-server if it is missing.
set -euo pipefail

BASE="${SHOP_CLUSTER_DIR:-/var/lib/rabbitmq/shop-cluster}"
NODES=(1 2 3)
RABBIT_BIN=/usr/lib/rabbitmq/bin

log() { printf '[cluster] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

node_name() { echo "shop-ha-$1@localhost"; }
amqp_port() { echo $((5680 + $1)); }
management_port() { echo $((15680 + $1)); }
dist_port() { echo $((25680 + $1)); }
node_dir() { echo "$BASE/node$1"; }

valid_node() {
  case "${1:-}" in 1 | 2 | 3) ;; *) die "expected a node number 1, 2 or 3, got '${1:-}'" ;; esac
}

install_if_missing() {
  [ -x "$RABBIT_BIN/rabbitmq-server" ] && return
  log "installing rabbitmq-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq rabbitmq-server >/dev/null
}

# Writes node N's configuration and environment once; the cookie is shared by the three nodes and their CLI calls.
prepare() {
  local n=$1 dir
  dir=$(node_dir "$n")
  mkdir -p "$BASE/home" "$dir/log"
  if [ ! -f "$BASE/home/.erlang.cookie" ]; then
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F' >"$BASE/home/.erlang.cookie"
    chmod 400 "$BASE/home/.erlang.cookie"
  fi
  # Shared by the three nodes, and two restarts may run at once: replaced whole, never seen empty by a booting node.
  echo '[rabbitmq_management].' >"$BASE/enabled_plugins.$n"
  mv -f "$BASE/enabled_plugins.$n" "$BASE/enabled_plugins"
  cat >"$dir/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$(amqp_port "$n")
management.tcp.ip = 127.0.0.1
management.tcp.port = $(management_port "$n")
# A node that sees itself in a minority pauses (closes its listeners) instead of serving a split cluster.
cluster_partition_handling = pause_minority
# Connection and queue figures in the management API refresh every second rather than every five.
collect_statistics_interval = 1000
CONF
  # On its first boot (empty data directory) node 2 or 3 joins node 1, which was started before it; later boots
  # rejoin from the membership stored in the data directory.
  if [ "$n" != 1 ]; then
    echo "cluster_formation.peer_discovery_backend = classic_config" >>"$dir/rabbitmq.conf"
    echo "cluster_formation.classic_config.nodes.1 = $(node_name 1)" >>"$dir/rabbitmq.conf"
  fi
  cat >"$dir/env.sh" <<ENV
export HOME=$BASE/home RABBITMQ_NODENAME=$(node_name "$n") RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
  RABBITMQ_NODE_PORT=$(amqp_port "$n") RABBITMQ_DIST_PORT=$(dist_port "$n") \
  RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf RABBITMQ_MNESIA_BASE=$dir/mnesia RABBITMQ_LOG_BASE=$dir/log \
  RABBITMQ_PID_FILE=$dir/pid RABBITMQ_ENABLED_PLUGINS_FILE=$BASE/enabled_plugins \
  RABBITMQ_CONF_ENV_FILE=$dir/no-env.conf \
  RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
ENV
  chown -R rabbitmq:rabbitmq "$BASE"
}

# Runs a command as the rabbitmq user with node N's environment.
as_node() {
  local n=$1
  shift
  su rabbitmq -s /bin/bash -c ". $(node_dir "$n")/env.sh; $*"
}

ctl() {
  local n=$1
  shift
  as_node "$n" "$RABBIT_BIN/rabbitmqctl -q -n $(node_name "$n") $*"
}

# Both listeners open at the end of a node's boot; a TCP connect is much cheaper than a CLI call.
is_up() {
  vm_pid "$1" >/dev/null && port_open "$(amqp_port "$1")" && port_open "$(management_port "$1")"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

vm_pid() {
  local file
  file="$(node_dir "$1")/pid"
  [ -s "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null && cat "$file"
}

launch() {
  local n=$1
  prepare "$n"
  if vm_pid "$n" >/dev/null; then
    return
  fi
  log "starting $(node_name "$n") (AMQP $(amqp_port "$n"), management $(management_port "$n"))"
  rm -f "$(node_dir "$n")/pid"
  as_node "$n" "$RABBIT_BIN/rabbitmq-server -detached >>$(node_dir "$n")/log/startup.log 2>&1"
}

wait_up() {
  local n=$1
  for _ in $(seq 1 240); do
    is_up "$n" && return 0
    sleep 0.5
  done
  die "$(node_name "$n") did not accept connections within 120 s; see $(node_dir "$n")/log"
}

# Node N (2 or 3) joins node 1's cluster unless it is in it already.
join() {
  local n=$1 first
  first=$(node_name 1)
  if ctl "$n" cluster_status --formatter json | grep -q "\"$first\""; then
    return
  fi
  log "joining $(node_name "$n") to $first"
  {
    ctl "$n" stop_app
    ctl "$n" reset
    ctl "$n" join_cluster "$first"
    ctl "$n" start_app
  } >>"$(node_dir "$n")/log/cli.log" 2>&1
  wait_up "$n"
}

# Waits until node N is up, or for at most $2 half-seconds.
wait_up_for() {
  for _ in $(seq 1 "$2"); do
    is_up "$1" && return 0
    sleep 0.5
  done
  return 1
}

start() {
  install_if_missing
  # One node after another: RabbitMQ 3.10 nodes that boot at the same moment can fail syncing their feature flags.
  # Node 1 first (a fresh one is what 2 and 3 join; after `stop` it is the last to have stopped, so it needs no peer).
  # A node that does wait at boot for a peer that stopped after it is given 20 s before the next one starts anyway.
  for n in "${NODES[@]}"; do
    if ! is_up "$n"; then
      launch "$n"
      if [ "$n" = 1 ] && [ ! -d "$(node_dir 2)/mnesia" ]; then
        wait_up 1
      else
        wait_up_for "$n" 40 || true
      fi
    fi
  done
  for n in "${NODES[@]}"; do wait_up "$n"; done
  join 2
  join 3
  log "$(running_nodes 1) running; $(endpoints)"
}

stop_node() {
  local n=$1 pid
  pid=$(vm_pid "$n") || return 0
  log "stopping $(node_name "$n")"
  ctl "$n" stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
}

kill_node() {
  local n=$1 pid
  pid=$(vm_pid "$n") || { log "$(node_name "$n") is not running"; return 0; }
  log "SIGKILL $(node_name "$n") (pid $pid)"
  kill -9 "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

restart_node() {
  local n=$1
  stop_node "$n"
  launch "$n"
  wait_up "$n"
  ctl "$n" await_startup >/dev/null
  log "$(node_name "$n") is back: $(running_nodes "$n") running"
}

running_nodes() {
  ctl "$1" cluster_status --formatter json 2>/dev/null |
    sed -n 's/.*"running_nodes":\[\([^]]*\)\].*/\1/p' | tr -d '"' | tr ',' ' '
}

endpoints() {
  local list=()
  for n in "${NODES[@]}"; do list+=("127.0.0.1:$(amqp_port "$n")"); done
  (IFS=,; echo "${list[*]}")
}

status() {
  local any=
  for n in "${NODES[@]}"; do
    if is_up "$n"; then
      echo "$(node_name "$n"): running (AMQP $(amqp_port "$n"), management http://127.0.0.1:$(management_port "$n"))"
      any=${any:-$n}
    else
      echo "$(node_name "$n"): down"
    fi
  done
  [ -n "$any" ] && echo "cluster as $(node_name "$any") sees it: $(running_nodes "$any") running"
  return 0
}

case "${1:-}" in
  start) start ;;
  stop)
    if [ -n "${2:-}" ]; then
      valid_node "$2"
      stop_node "$2"
    else
      # In reverse: node 1, stopped last, is the one the others wait for when the cluster starts again.
      for n in 3 2 1; do stop_node "$n"; done
    fi
    ;;
  kill) valid_node "${2:-}"; kill_node "$2" ;;
  restart) valid_node "${2:-}"; restart_node "$2" ;;
  status) status ;;
  env)
    echo "export RabbitMq__Endpoints=$(endpoints)"
    echo "export ConnectionStrings__RabbitMq=amqp://guest:guest@127.0.0.1:$(amqp_port 1)/"
    ;;
  clean)
    for n in 3 2 1; do stop_node "$n"; done
    rm -rf "$BASE"
    log "removed $BASE"
    ;;
  *)
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    exit 2
    ;;
esac
