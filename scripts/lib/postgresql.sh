# Sourced by scripts/infra.sh and tests/Shop.FaultTests/isolated-infra.sh: which PostgreSQL server the distribution
# installed. Debian 12 ships 15, Ubuntu 24.04 16, Debian 13 17; the `postgresql` package always pulls the current one.

# Prints the newest installed server's major version (e.g. 16); nothing when no server is installed.
# SHOP_PG_VERSION picks one when several are installed.
pg_major() {
  if [ -n "${SHOP_PG_VERSION:-}" ]; then
    if [ -x "/usr/lib/postgresql/$SHOP_PG_VERSION/bin/postgres" ]; then echo "$SHOP_PG_VERSION"; fi
    return 0
  fi
  local bin
  for bin in /usr/lib/postgresql/*/bin/postgres; do
    if [ -x "$bin" ]; then basename "$(dirname "$(dirname "$bin")")"; fi
  done | sort -n | tail -n 1
}

# True when cluster <version> <name> exists; with a third argument "online", when it is also running.
pg_cluster() {
  pg_lsclusters -h 2>/dev/null | awk -v v="$1" -v n="$2" -v s="${3:-}" \
    '$1 == v && $2 == n && (s == "" || $4 == s) { found = 1 } END { exit !found }'
}
