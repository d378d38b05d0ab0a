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
echo "[test] running tests"
# The fault suite restarts PostgreSQL and RabbitMQ, so it runs alone, after everything else.
dotnet test Shop.sln -c Release --no-build -nologo --filter "FullyQualifiedName!~Shop.FaultTests" \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@" || status=$?
if [ -d tests/Shop.FaultTests ]; then
  echo "[test] running the fault suite"
  dotnet test tests/Shop.FaultTests -c Release --no-build -nologo \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=$?
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
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "[test] no test ran"
  status=1
fi
echo "$passed passed, $failed failed"
exit "$status"
