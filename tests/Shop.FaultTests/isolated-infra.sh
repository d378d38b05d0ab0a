#!/usr/bin/env bash
# Starts a private PostgreSQL cluster (<installed major>/faults on :5433) and a private RabbitMQ node (faults@host on :5673,
# management :15673) for the fault suite, so it can stop and restart them while other test runs use the
# shared servers. Prints the SHOP_FAULT_* exports to eval:  eval "$(tests/Shop.FaultTests/isolated-infra.sh)"
# Needs root and the packages scripts/infra.sh installs.
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib/postgresql.sh"
pg=$(pg_major)
[ -n "$pg" ] || { echo "no PostgreSQL server installed; run scripts/infra.sh first" >&2; exit 1; }
node="faults@$(hostname -s)"
base=/var/lib/rabbitmq/faults

if ! pg_cluster "$pg" faults; then
  pg_createcluster "$pg" faults -p 5433 >/dev/null
  conf=/etc/postgresql/$pg/faults/postgresql.conf
  echo "listen_addresses = '127.0.0.1'" >> "$conf"
  echo 'max_connections = 300' >> "$conf"
fi
pg_cluster "$pg" faults online || pg_ctlcluster "$pg" faults start
su postgres -c "psql -p 5433 -qAt" >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shop') THEN CREATE ROLE shop LOGIN CREATEDB PASSWORD 'shop'; END IF;
END $$;
SQL

mkdir -p "$base"
cat > "$base/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:5673
management.tcp.ip = 127.0.0.1
management.tcp.port = 15673
CONF
cat > "$base/env.sh" <<ENV
export RABBITMQ_NODENAME=$node RABBITMQ_NODE_PORT=5673 RABBITMQ_DIST_PORT=25673 \
  RABBITMQ_CONFIG_FILE=$base/rabbitmq.conf RABBITMQ_MNESIA_BASE=$base/mnesia RABBITMQ_LOG_BASE=$base/log \
  RABBITMQ_PID_FILE=$base/pid RABBITMQ_ENABLED_PLUGINS_FILE=/etc/rabbitmq/enabled_plugins HOME=/var/lib/rabbitmq
ENV
chown -R rabbitmq:rabbitmq "$base"
as_rabbit="su rabbitmq -s /bin/bash -c '. $base/env.sh;"
if ! eval "$as_rabbit rabbitmq-diagnostics -q check_port_connectivity'" >/dev/null 2>&1; then
  eval "$as_rabbit rabbitmq-server -detached'" >/dev/null 2>&1
  for _ in $(seq 1 120); do
    eval "$as_rabbit rabbitmq-diagnostics -q check_port_connectivity'" >/dev/null 2>&1 && break
    sleep 0.5
  done
fi

cat <<EXPORTS
export SHOP_FAULT_POSTGRES='Host=127.0.0.1;Port=5433;Username=shop;Password=shop;Database=postgres'
export SHOP_FAULT_POSTGRES_STOP='pg_ctlcluster $pg faults stop -m fast'
export SHOP_FAULT_POSTGRES_START='pg_ctlcluster $pg faults start'
export SHOP_FAULT_RABBITMQ_PORT=5673 SHOP_FAULT_RABBITMQ_MANAGEMENT_PORT=15673
export SHOP_FAULT_RABBITMQ_STOP="$as_rabbit rabbitmqctl stop'"
export SHOP_FAULT_RABBITMQ_START="$as_rabbit rabbitmq-server -detached'"
export SHOP_FAULT_RABBITMQ_CHECK="$as_rabbit rabbitmq-diagnostics -q check_port_connectivity'"
EXPORTS
