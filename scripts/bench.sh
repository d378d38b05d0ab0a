#!/usr/bin/env bash
# Compares builds (or settings) of the shop under the load tool, the way docs/performance.md measures: runs alternate
# between the variants, each on freshly started processes with the shop's queues deleted, after the machine has gone
# idle; the medians of each variant's runs are printed at the end (scripts/lib/bench-summary.py). Each round takes the
# variants in the other order from the round before (A B, B A, A B, …): the first run of a pair was seen to measure
# slower than the second whichever variant it was, so an even number of runs balances the two places.
#
#   scripts/bench.sh [--runs N] [--out DIR] VARIANT... -- LOAD-TOOL ARGUMENTS
#   VARIANT = label=REVISION[,NAME=VALUE...]   a git revision of this repository (built once, from `git archive`),
#                                              or `.` for the working tree as it is; NAME=VALUE go to both apps' environment
# e.g.
#   scripts/bench.sh --runs 3 before=HEAD~1 after=HEAD -- run --rate 100 --duration 30 --warm-up 30 --rest-sample 0.02 --poll-interval 50
#   scripts/bench.sh delay0=HEAD,Messaging__MarkDelay=00:00:00 default=HEAD -- run --rate 100 --duration 30 --warm-up 30
#
# Needs PostgreSQL and RabbitMQ up (scripts/infra.sh) and ports 7071, 7072 and 8000 free (no scripts/run.sh running).
# The load tool is the working tree's. Results: one folder per run under --out (default artifacts/bench/<time>).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

runs=3
out="$root/artifacts/bench/$(date -u +%Y%m%d-%H%M%S)"
variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --out) out=$(realpath -m "$2"); shift 2 ;;
    --) shift; break ;;
    *=*) variants+=("$1"); shift ;;
    *) echo "bench: unexpected argument '$1' (variants are label=revision[,NAME=VALUE...], then -- and the load tool's arguments)" >&2; exit 2 ;;
  esac
done
[ ${#variants[@]} -gt 0 ] && [ $# -gt 0 ] || { sed -n '2,15p' "$0" >&2; exit 2; }
tool_args=("$@")

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

for port in 7071 7072 8000; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "bench: port $port is in use; stop the running shop first" >&2
    exit 1
  fi
done

mkdir -p "$out" "$root/.run/bench"
build() { # directory, projects...
  local dir=$1
  shift
  for project in "$@"; do
    dotnet build "$dir/$project" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
  done
}

# Each variant's tree: a revision is exported once into .run/bench/<commit> and built there.
declare -A tree
for variant in "${variants[@]}"; do
  label=${variant%%=*}
  spec=${variant#*=}
  rev=${spec%%,*}
  if [ "$rev" = . ]; then
    dir=$root
  else
    commit=$(git rev-parse --verify "$rev^{commit}")
    dir="$root/.run/bench/$commit"
    if [ ! -f "$dir/.built" ]; then
      log "building $label ($rev = ${commit:0:8}) in $dir"
      rm -rf "$dir" && mkdir -p "$dir"
      git archive "$commit" | tar -x -C "$dir"
      build "$dir" functions-orders functions-payments gateway-proxy
      touch "$dir/.built"
    fi
  fi
  tree[$label]=$dir
done
log "building the load tool and, for variants of the working tree, the apps"
build "$root" tools/Shop.LoadTest
for variant in "${variants[@]}"; do
  if [ "${tree[${variant%%=*}]}" = "$root" ]; then
    build "$root" functions-orders functions-payments gateway-proxy
    break
  fi
done

key=$(head -c 24 /dev/urandom | base64 | tr -d '\n=+/')
export ConnectionStrings__RabbitMq="${SHOP_RABBITMQ:-amqp://guest:guest@127.0.0.1:5672/}"
export ConnectionStrings__Orders="${SHOP_ORDERS_DB:-Host=127.0.0.1;Database=orders;Username=shop;Password=shop}"
export ConnectionStrings__Payments="${SHOP_PAYMENTS_DB:-Host=127.0.0.1;Database=payments;Username=shop;Password=shop}"
quiet=(--Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning --Logging:LogLevel:Microsoft.AspNetCore=Warning)

pids=()
stop_shop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap stop_shop EXIT

delete_queues() {
  local queue
  for queue in $(rabbitmqctl -q list_queues name 2>/dev/null | grep -E '^(orders|payments|shop)\.' || true); do
    rabbitmqctl -q delete_queue "$queue" >/dev/null 2>&1 || true
  done
}

# Waits until the machine has been below 10 % busy for 5 seconds (at most 3 minutes).
wait_idle() {
  local start=$SECONDS
  while [ $((SECONDS - start)) -lt 180 ]; do
    read -r _ a1 b1 c1 d1 e1 f1 g1 _ </proc/stat
    sleep 5
    read -r _ a2 b2 c2 d2 e2 f2 g2 _ </proc/stat
    local busy=$(((a2 + b2 + c2 + f2 + g2) - (a1 + b1 + c1 + f1 + g1))) idle=$(((d2 + e2) - (d1 + e1)))
    [ $((busy * 100)) -lt $(((busy + idle) * 10)) ] && return 0
  done
  log "the machine did not go idle within 3 minutes; measuring anyway"
}

start_shop() { # tree, run folder, NAME=VALUE...
  local dir=$1 folder=$2
  shift 2
  env "$@" Functions__HostKey="$key" dotnet "$dir/functions-orders/bin/Release/net10.0/Shop.Orders.dll" --dev-host \
    --urls http://127.0.0.1:7071 "${quiet[@]}" >"$folder/orders.log" 2>&1 &
  pids+=($!)
  env "$@" Functions__HostKey="$key" dotnet "$dir/functions-payments/bin/Release/net10.0/Shop.Payments.dll" --dev-host \
    --urls http://127.0.0.1:7072 "${quiet[@]}" >"$folder/payments.log" 2>&1 &
  pids+=($!)
  env ReverseProxy__Clusters__orders__Metadata__FunctionKey="$key" ReverseProxy__Clusters__payments__Metadata__FunctionKey="$key" \
    dotnet "$dir/gateway-proxy/bin/Release/net10.0/Shop.Gateway.dll" --contentRoot "$dir/gateway-proxy/bin/Release/net10.0" \
    --urls http://127.0.0.1:8000 "${quiet[@]}" >"$folder/gateway.log" 2>&1 &
  pids+=($!)
  for url in http://127.0.0.1:7071/health http://127.0.0.1:7072/health http://127.0.0.1:8000/health; do
    for _ in $(seq 1 120); do curl -fsS -o /dev/null "$url" 2>/dev/null && continue 2; sleep 0.5; done
    log "$url did not come up; see $folder"
    return 1
  done
}

tool="$root/tools/Shop.LoadTest/bin/Release/net10.0/Shop.LoadTest.dll"
for round in $(seq 1 "$runs"); do
  order=("${variants[@]}")
  if [ $((round % 2)) -eq 0 ]; then
    order=()
    for ((i = ${#variants[@]} - 1; i >= 0; i--)); do order+=("${variants[$i]}"); done
  fi
  for variant in "${order[@]}"; do
    label=${variant%%=*}
    spec=${variant#*=}
    settings=()
    [ "$spec" = "${spec#*,}" ] || IFS=, read -r -a settings <<<"${spec#*,}"
    folder="$out/$label-$round"
    mkdir -p "$folder"
    delete_queues
    wait_idle
    log "run $round of $runs: $label"
    start_shop "${tree[$label]}" "$folder" "${settings[@]}"
    dotnet "$tool" "${tool_args[@]}" --label "$label" --output "$folder" >"$folder/loadtest.log" 2>&1 \
      || log "$label run $round: the load tool exited non-zero (see $folder/loadtest.log)"
    tail -n 3 "$folder/loadtest.log" | sed 's/^/    /'
    stop_shop
  done
done
python3 scripts/lib/bench-summary.py "$out"
