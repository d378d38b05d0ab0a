#!/usr/bin/env bash
# Runs the whole system without Docker or Functions Core Tools: PostgreSQL and RabbitMQ on 127.0.0.1
# (installed if missing), both function apps on the development host, the gateway on :8000 (and the original
# system's order WebSocket on :8001) and the static site on :8080. Ctrl+C stops everything it started.
# Logs go to .run/logs/.
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

# Secrets of this run, readable only by you: the function key the gateway sends and the apps ask for (SHOP_FUNCTION_KEY,
# else a new one per run), and in Jwt mode the token signing key (SHOP_AUTH_SIGNING_KEY, else a new one per run).
secrets="$root/.run/secrets"
mkdir -p "$secrets" && chmod 700 "$secrets"
random_key() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }
function_key="${SHOP_FUNCTION_KEY:-$(random_key | tr -d '=+/')}"
printf '%s' "$function_key" >"$secrets/function-key" && chmod 600 "$secrets/function-key"
auth_mode="${SHOP_AUTH_MODE:-Header}"
auth_authority="${SHOP_AUTH_AUTHORITY:-}"
auth_key="${SHOP_AUTH_SIGNING_KEY:-}"
if [ "$auth_mode" = Jwt ] && [ -z "$auth_authority" ] && [ -z "$auth_key" ]; then
  auth_key=$(random_key)
fi
printf '%s' "$auth_key" >"$secrets/auth-signing-key" && chmod 600 "$secrets/auth-signing-key"
app_env=(env "Functions__HostKey=$function_key")
gateway_env=(env "Auth__Mode=$auth_mode" "Auth__SigningKey=$auth_key" "Auth__Authority=$auth_authority"
  "Auth__DevTokens=${SHOP_AUTH_DEV_TOKENS:-false}"
  "ReverseProxy__Clusters__orders__Metadata__FunctionKey=$function_key"
  "ReverseProxy__Clusters__payments__Metadata__FunctionKey=$function_key")

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

start orders "$logs/orders.log" "${app_env[@]}" dotnet functions-orders/bin/Release/net10.0/Shop.Orders.dll --dev-host --urls http://127.0.0.1:7071 "${quiet[@]}"
start payments "$logs/payments.log" "${app_env[@]}" dotnet functions-payments/bin/Release/net10.0/Shop.Payments.dll --dev-host --urls http://127.0.0.1:7072 "${quiet[@]}"
start gateway "$logs/gateway.log" "${gateway_env[@]}" dotnet gateway-proxy/bin/Release/net10.0/Shop.Gateway.dll \
  --contentRoot "$root/gateway-proxy/bin/Release/net10.0" --urls http://0.0.0.0:8000 --OrderWebSocket:Port=8001
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
  API docs     http://localhost:8000/orders/docs, http://localhost:8000/payments/docs
  order socket ws://localhost:8001/ws/orders/{id} (also ws://localhost:8000/ws/orders/{id})
  RabbitMQ UI  $rabbitmq_ui  (guest/guest)
  identity     Auth:Mode=$auth_mode; the apps on 7071/7072 ask for the function key in .run/secrets/function-key
MSG
if [ "$auth_mode" = Jwt ] && [ -n "$auth_key" ]; then
  cat <<MSG
  tokens       curl -H "Authorization: Bearer \$(dotnet run --project tools/Shop.Admin -- token --user 1 --key "\$(cat .run/secrets/auth-signing-key)")" …
MSG
fi
echo "[run] Ctrl+C stops it"
wait -n "${pids[@]}" || true
echo "[run] a process exited; see $logs" >&2
