#!/usr/bin/env bash
# Starts PostgreSQL 15 and RabbitMQ on 127.0.0.1, installing them from Debian's packages if missing.
# Idempotent: safe to run again while they are up. Needs root (as on a fresh Debian/Ubuntu machine).
set -euo pipefail

PG_USER="${SHOP_PG_USER:-shop}"
PG_PASSWORD="${SHOP_PG_PASSWORD:-shop}"
PG_DATABASES="${SHOP_PG_DATABASES:-orders payments}"

log() { printf '[infra] %s\n' "$*"; }

need=()
command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /usr/lib/postgresql/15/bin ] && [ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql)
command -v rabbitmq-server >/dev/null 2>&1 || need+=(rabbitmq-server)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# PostgreSQL: create the cluster if the package did not, then start it on loopback.
if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 \+main'; then
  log "creating PostgreSQL cluster 15/main"
  pg_createcluster 15 main >/dev/null
fi
conf=/etc/postgresql/15/main/postgresql.conf
grep -q "^listen_addresses = '127.0.0.1'" "$conf" || echo "listen_addresses = '127.0.0.1'" >> "$conf"
grep -q '^max_connections = 300' "$conf" || echo 'max_connections = 300' >> "$conf"
# Statement counts for the load tool's per-order figures (tools/Shop.LoadTest); loading it needs a restart.
restart=false
if ! grep -q "^shared_preload_libraries = 'pg_stat_statements'" "$conf"; then
  echo "shared_preload_libraries = 'pg_stat_statements'" >> "$conf"
  restart=true
fi
if ! pg_lsclusters -h | grep -q '^15 \+main \+[0-9]\+ \+online'; then
  log "starting PostgreSQL"
  pg_ctlcluster 15 main start
elif $restart; then
  log "restarting PostgreSQL to load pg_stat_statements"
  pg_ctlcluster 15 main restart
fi
for _ in $(seq 1 50); do
  su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1 && break
  sleep 0.2
done
su postgres -c "psql -qAt" >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  END IF;
END \$\$;
SQL
for db in $PG_DATABASES; do
  if [ -z "$(su postgres -c "psql -qAtc \"select 1 from pg_database where datname = '$db'\"")" ]; then
    log "creating database $db"
    su postgres -c "createdb -O $PG_USER $db"
  fi
  su postgres -c "psql -qAt -d $db -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'" >/dev/null
done

# RabbitMQ: loopback only, management UI on :15672.
mkdir -p /etc/rabbitmq
grep -q '^NODE_IP_ADDRESS=127.0.0.1' /etc/rabbitmq/rabbitmq-env.conf 2>/dev/null || echo 'NODE_IP_ADDRESS=127.0.0.1' >> /etc/rabbitmq/rabbitmq-env.conf
[ -f /etc/rabbitmq/enabled_plugins ] || echo '[rabbitmq_management].' > /etc/rabbitmq/enabled_plugins
grep -q 'management.tcp.ip' /etc/rabbitmq/rabbitmq.conf 2>/dev/null || echo 'management.tcp.ip = 127.0.0.1' >> /etc/rabbitmq/rabbitmq.conf
if ! rabbitmqctl -q status >/dev/null 2>&1; then
  log "starting RabbitMQ"
  service rabbitmq-server start >/dev/null 2>&1 || true
fi
for _ in $(seq 1 120); do
  rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1 && break
  sleep 0.5
done
rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1 || { log "RabbitMQ did not start"; exit 1; }
log "PostgreSQL on 127.0.0.1:5432 (user $PG_USER), RabbitMQ on 127.0.0.1:5672 (guest), management on :15672"
