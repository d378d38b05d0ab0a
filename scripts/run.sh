#!/usr/bin/env bash
# Runs the whole system without Docker or Functions Core Tools: PostgreSQL and RabbitMQ on 127.0.0.1
# (installed if missing), both function apps on the development host, the gateway on :8000 and the
# static site on :8080. Ctrl+C stops everything it started. Logs go to .run/logs/.
# SHOP_RABBITMQ_CLUSTER=1 runs it on the three-node cluster of scripts/rabbitmq-cluster.sh (AMQP 5681-5683,
# quorum queues) instead of the single node; the cluster keeps running after Ctrl+C (stop it with that script).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/infra.sh

logs="$root/.run/logs"
mkdir -p "$logs"
echo "[run] building (Release)"
dotnet build Shop.sln -c Release -nologo -v quiet -clp:ErrorsOnly

rabbitmq_ui=http://localhost:15672
if [ "${SHOP_RABBITMQ_CLUSTER:-0}" = 1 ]; then
  scripts/rabbitmq-cluster.sh start
  eval "$(scripts/rabbitmq-cluster.sh env)"
  export RabbitMq__QueueType=quorum
  rabbitmq_ui=http://localhost:15681
else
  export ConnectionStrings__RabbitMq="${SHOP_RABBITMQ:-amqp://guest:guest@127.0.0.1:5672/}"
fi
export ConnectionStrings__Orders="${SHOP_ORDERS_DB:-Host=127.0.0.1;Database=orders;Username=shop;Password=shop}"
export ConnectionStrings__Payments="${SHOP_PAYMENTS_DB:-Host=127.0.0.1;Database=payments;Username=shop;Password=shop}"
quiet=(--Logging:LogLevel:Default=${SHOP_LOG_LEVEL:-Information} --Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning --Logging:LogLevel:Microsoft.AspNetCore=Warning)

pids=()
stop() {
  trap - INT TERM EXIT
  echo "[run] stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

start() { # name, log file, command...
  local name=$1 log=$2
  shift 2
  "$@" >"$log" 2>&1 &
  pids+=($!)
  echo "[run] $name started (pid $!, log $log)"
}

start orders "$logs/orders.log" dotnet functions-orders/bin/Release/net10.0/Shop.Orders.dll --dev-host --urls http://127.0.0.1:7071 "${quiet[@]}"
start payments "$logs/payments.log" dotnet functions-payments/bin/Release/net10.0/Shop.Payments.dll --dev-host --urls http://127.0.0.1:7072 "${quiet[@]}"
start gateway "$logs/gateway.log" dotnet gateway-proxy/bin/Release/net10.0/Shop.Gateway.dll \
  --contentRoot "$root/gateway-proxy/bin/Release/net10.0" --urls http://0.0.0.0:8000
if [ -x scripts/static-site.sh ]; then
  start static-site "$logs/static-site.log" scripts/static-site.sh
fi

wait_for() { # name, url
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$2" 2>/dev/null; then echo "[run] $1 is up: $2"; return 0; fi
    sleep 0.5
  done
  # The health report says what is wrong, e.g. a queue of the other type and the command that migrates it.
  echo "[run] $1 did not come up: $(curl -sS "$2" 2>&1); see $logs" >&2
  return 1
}
wait_for orders http://127.0.0.1:7071/health
wait_for payments http://127.0.0.1:7072/health
wait_for gateway http://127.0.0.1:8000/health

cat <<MSG
[run] the shop is up:
  gateway      http://localhost:8000   (e.g. curl -i -X POST http://localhost:8000/payments/account -H "X-User-ID: 1")
  web page     http://localhost:8080
  RabbitMQ UI  $rabbitmq_ui  (guest/guest)
[run] Ctrl+C stops it
MSG
wait -n "${pids[@]}" || true
echo "[run] a process exited; see $logs" >&2
