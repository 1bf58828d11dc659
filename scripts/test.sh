#!/usr/bin/env bash
# Runs every test of the solution (unit, actor, integration against a real nats-server, the pages in
# headless Chromium) and ends with one line "N passed, M failed" summed over all test projects.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_packages nats-server:nats-server chromium:chromium yamllint:yamllint unzip:unzip npm:npm
ensure_web_bundle
# The chart tests (test/Portal.ChartTests) run a real helm.
HELM=$(ensure_helm)
export HELM

results=.artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

status=0
dotnet test HtpiActors.sln -c Release --logger "trx" --results-directory "$results" || status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

echo "$passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
