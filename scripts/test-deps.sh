#!/usr/bin/env bash
# What the tests need besides PostgreSQL and RabbitMQ: Chromium for the browser tests and docker-compose
# (validation only; no engine) for the container checks. Installed from Debian's packages if missing.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v nginx >/dev/null 2>&1 || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  echo "[deps] installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
