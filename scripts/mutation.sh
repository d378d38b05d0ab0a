#!/usr/bin/env bash
# Mutation testing with Stryker.NET (dotnet-stryker, a local tool in dotnet-tools.json) on real PostgreSQL and RabbitMQ.
# Slow (each mutant is a test run), so it is not part of .ci/run or scripts/test.sh. See docs/testing.md.
#
#   scripts/mutation.sh [messaging|transport|orders|payments|all] [more dotnet-stryker options…]
#
#   messaging  building-blocks/Shop.Messaging, every file           (unit + integration tests)
#   transport  building-blocks/Shop.Messaging.RabbitMq, every file  (unit + integration tests)
#   orders     functions-orders/Features                             (unit + integration tests)
#   payments   functions-payments/Features                           (integration tests)
#   all        the four in turn (the default)
#
# Options after the target go to dotnet-stryker; a --mutate there replaces the target's default files, and a
# --test-case-filter the default filter, e.g.
#   scripts/mutation.sh messaging --mutate "**/MessagingCleanup.cs" --test-case-filter "FullyQualifiedName~CleanupTests"
# SHOP_MUTATION_TESTS=unit limits the run to the unit tests (minutes instead of hours, and a lower score: most of
# the messaging code is reached only by the integration tests). Reports: artifacts/mutation/<target>/reports/,
# and a per-file summary in artifacts/mutation/<target>/summary.txt.
# SHOP_MUTATION_DRY_RUN=1 prints the dotnet-stryker command of each target instead of starting anything.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

target="${1:-all}"
[ $# -gt 0 ] && shift
tests="${SHOP_MUTATION_TESTS:-all}"
dry_run="${SHOP_MUTATION_DRY_RUN:-}"

usage() { echo "usage: scripts/mutation.sh [messaging|transport|orders|payments|all] [dotnet-stryker options]" >&2; }
case "$target" in
  messaging|transport|orders|payments|all) ;;
  *) usage; exit 2 ;;
esac

if [ -z "$dry_run" ]; then
  scripts/infra.sh
  dotnet tool restore >/dev/null
fi

# The browser, load and latency tests cover no messaging or feature code the others do not, and cost the most per run.
filter="FullyQualifiedName!~Shop.IntegrationTests.Browser&FullyQualifiedName!~Shop.IntegrationTests.Load&FullyQualifiedName!~Shop.IntegrationTests.Latency"

run() {
  local name=$1 project=$2 mutate=$3
  shift 3
  local -a test_projects=()
  if [ "$name" != payments ]; then
    test_projects+=(--test-project "$root/tests/Shop.UnitTests/Shop.UnitTests.csproj")
  fi
  if [ "$tests" != unit ]; then
    test_projects+=(--test-project "$root/tests/Shop.IntegrationTests/Shop.IntegrationTests.csproj")
  fi
  if [ ${#test_projects[@]} -eq 0 ]; then
    echo "[mutation] $name has no unit tests; run it with the integration tests" >&2
    return 1
  fi
  local -a mutate_args=(--mutate "$mutate") filter_args=(--test-case-filter "$filter")
  for arg in "$@"; do
    case "$arg" in
      -m|--mutate|--mutate=*) mutate_args=() ;;
      --test-case-filter|--test-case-filter=*) filter_args=() ;;
    esac
  done
  local output="$root/artifacts/mutation/$name"
  local -a stryker=(dotnet stryker
    --project "$project"
    "${test_projects[@]}"
    "${mutate_args[@]}"
    --configuration Release
    --concurrency 1
    "${filter_args[@]}"
    --reporter Progress --reporter ClearText --reporter Html --reporter Json
    --output "$output"
    --skip-version-check
    "$@")
  echo "[mutation] $name: $project, $tests tests"
  if [ -n "$dry_run" ]; then
    printf '%q ' "${stryker[@]}"
    echo
    return 0
  fi
  rm -rf "$output"
  mkdir -p "$output"
  # From tests/, not the repository root: beside Shop.sln, Stryker would run in solution mode, which takes no test projects.
  (cd "$root/tests" && "${stryker[@]}")
  python3 "$root/scripts/mutation-summary.py" "$output/reports/mutation-report.json" | tee "$output/summary.txt"
}

# Stryker matches a target's project by name among the test projects' references, which include those reached through
# another project (Shop.IntegrationTests reaches Shop.Messaging only through the apps), but not through two: both test
# projects reference the transport directly.
case "$target" in
  messaging) run messaging Shop.Messaging.csproj "**/*.cs" "$@" ;;
  transport) run transport Shop.Messaging.RabbitMq.csproj "**/*.cs" "$@" ;;
  orders) run orders Shop.Orders.csproj "**/Features/**/*.cs" "$@" ;;
  payments) run payments Shop.Payments.csproj "**/Features/**/*.cs" "$@" ;;
  all)
    run messaging Shop.Messaging.csproj "**/*.cs" "$@"
    run transport Shop.Messaging.RabbitMq.csproj "**/*.cs" "$@"
    run orders Shop.Orders.csproj "**/Features/**/*.cs" "$@"
    run payments Shop.Payments.csproj "**/Features/**/*.cs" "$@"
    ;;
esac
