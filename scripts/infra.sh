#!/usr/bin/env bash
# Starts PostgreSQL (whichever major version the distribution installs: 15 on Debian 12, 16 on Ubuntu 24.04) and
# RabbitMQ on 127.0.0.1, installing them from the distribution's packages if missing.
# Idempotent: safe to run again while they are up. Needs root (as on a fresh Debian/Ubuntu machine).
set -euo pipefail
. "$(dirname "$0")/lib/postgresql.sh"

PG_USER="${SHOP_PG_USER:-shop}"
PG_PASSWORD="${SHOP_PG_PASSWORD:-shop}"
PG_DATABASES="${SHOP_PG_DATABASES:-orders payments}"

log() { printf '[infra] %s\n' "$*"; }

need=()
command -v pg_ctlcluster >/dev/null 2>&1 && [ -n "$(pg_major)" ] || need+=(postgresql)
command -v rabbitmq-server >/dev/null 2>&1 || need+=(rabbitmq-server)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# PostgreSQL: create the cluster if the package did not (a chroot or container skips its postinst), then start it.
pg=$(pg_major)
[ -n "$pg" ] || { log "no PostgreSQL server under /usr/lib/postgresql after installing"; exit 1; }
if ! pg_cluster "$pg" main; then
  log "creating PostgreSQL cluster $pg/main"
  pg_createcluster "$pg" main >/dev/null
fi
conf=/etc/postgresql/$pg/main/postgresql.conf
grep -q "^listen_addresses = '127.0.0.1'" "$conf" || echo "listen_addresses = '127.0.0.1'" >> "$conf"
grep -q '^max_connections = 300' "$conf" || echo 'max_connections = 300' >> "$conf"
# Statement counts for the load tool's per-order figures (tools/Shop.LoadTest); loading it needs a restart.
restart=false
if ! grep -q "^shared_preload_libraries = 'pg_stat_statements'" "$conf"; then
  echo "shared_preload_libraries = 'pg_stat_statements'" >> "$conf"
  restart=true
fi
# The package picks the next free port when 5432 is taken at install time; the apps expect 5432.
if ! grep -q '^port = 5432\b' "$conf"; then
  echo 'port = 5432' >> "$conf"
  restart=true
fi
if ! pg_cluster "$pg" main online; then
  log "starting PostgreSQL $pg"
  pg_ctlcluster "$pg" main start
elif $restart; then
  log "restarting PostgreSQL $pg to apply its settings (port 5432, pg_stat_statements)"
  pg_ctlcluster "$pg" main restart
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
# Schedulers sleep when idle instead of busy-waiting. RabbitMQ's own scripts default to this; it is written here so
# that it holds whatever the package's defaults: busy-waiting schedulers took CPU the apps and PostgreSQL needed, and
# made single orders slower (docs/performance.md, the evening sitting of 2026-11-30).
grep -q 'sbwt' /etc/rabbitmq/rabbitmq-env.conf 2>/dev/null ||
  echo 'SERVER_ADDITIONAL_ERL_ARGS="+sbwt none +sbwtdcpu none +sbwtdio none"' >> /etc/rabbitmq/rabbitmq-env.conf
[ -f /etc/rabbitmq/enabled_plugins ] || echo '[rabbitmq_management].' > /etc/rabbitmq/enabled_plugins
grep -q 'management.tcp.ip' /etc/rabbitmq/rabbitmq.conf 2>/dev/null || echo 'management.tcp.ip = 127.0.0.1' >> /etc/rabbitmq/rabbitmq.conf
rabbit_up() {
  for _ in $(seq 1 "$1"); do
    rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}
if ! rabbitmqctl -q status >/dev/null 2>&1; then
  log "starting RabbitMQ"
  # The init script where the package has one (Debian 12); systemd-only packages (Ubuntu 24.04) have no init
  # script, and a root shell without systemd (container, chroot) has no systemctl: then start the node directly.
  if ! { service rabbitmq-server start >/dev/null 2>&1 && rabbit_up 60; }; then
    su rabbitmq -s /bin/sh -c 'rabbitmq-server -detached' >/dev/null 2>&1 || true
  fi
fi
rabbit_up 120 || { log "RabbitMQ did not start"; exit 1; }
log "PostgreSQL $pg on 127.0.0.1:5432 (user $PG_USER), RabbitMQ on 127.0.0.1:5672 (guest), management on :15672"
