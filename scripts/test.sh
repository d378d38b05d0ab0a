#!/usr/bin/env bash
# Runs every test on real PostgreSQL, RabbitMQ and Chromium: installs and starts what is missing first.
# Ends with the line "N passed, N failed"; exits non-zero if any test failed or none ran.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/infra.sh
scripts/test-deps.sh

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

echo "[test] building (Release)"
dotnet build Shop.sln -c Release -nologo -clp:ErrorsOnly

status=0
# Every suite runs on one queue type (RabbitMq:QueueType, read by every app the tests start), and the messaging
# invariants run again on the other, so both types pass the whole contract of the messaging.
queue_type="${SHOP_TEST_QUEUE_TYPE:-quorum}"
case "$queue_type" in
  quorum) other_queue_type=classic ;;
  classic) other_queue_type=quorum ;;
  *) echo "[test] SHOP_TEST_QUEUE_TYPE must be quorum or classic, not '$queue_type'" >&2; exit 2 ;;
esac
export RabbitMq__QueueType="$queue_type"

echo "[test] running tests ($queue_type queues)"
# The fault suite restarts PostgreSQL and RabbitMQ, so it runs alone, after everything else; the cluster tests
# run on a three-node cluster of their own (scripts/rabbitmq-cluster.sh, ports 5681-5683), before it.
dotnet test Shop.sln -c Release --no-build -nologo --filter "FullyQualifiedName!~Shop.FaultTests" \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@" || status=$?
echo "[test] running the messaging invariants on $other_queue_type queues"
RabbitMq__QueueType="$other_queue_type" dotnet test tests/Shop.IntegrationTests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~Shop.IntegrationTests.Invariants" \
  --logger "trx;LogFileName=invariants-$other_queue_type.trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@" || status=$?
if [ -d tests/Shop.FaultTests ]; then
  echo "[test] running the cluster tests (three RabbitMQ nodes on 127.0.0.1)"
  dotnet test tests/Shop.FaultTests -c Release --no-build -nologo --filter "FullyQualifiedName~Shop.FaultTests.Cluster" \
    --logger "trx;LogFileName=cluster.trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=$?
  echo "[test] running the fault suite"
  dotnet test tests/Shop.FaultTests -c Release --no-build -nologo --filter "FullyQualifiedName!~Shop.FaultTests.Cluster" \
    --logger "trx;LogFileName=faults.trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=$?
fi

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$failed" -gt 0 ]; then
  # Names what failed near the end of the log, where a CI summary that keeps only the tail still shows it.
  python3 scripts/lib/failed-tests.py "$results"/*.trx || echo "[test] the failed tests are listed in $results/*.trx"
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "[test] no test ran"
  status=1
fi
echo "$passed passed, $failed failed"
exit "$status"
