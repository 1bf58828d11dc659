#!/usr/bin/env bash
# Issue 5 benchmark: portal (JSON and MessagePack) vs direct NATS WebSocket vs a bare SignalR hub, in one run;
# issue 11: the history in JetStream vs in memory, and a rolling restart of two portal nodes.
# Builds what it needs (Release), raises the open-files limit, then runs the orchestrator, which
# starts nats-server (with JetStream), the demo services, each server under test and a separate load process.
# Prints markdown tables; writes bench/results/<timestamp>.json. Options (all optional):
#   --phases fanout,rtt,roll   (which parts run; all three by default)
#   --sizes 1000,5000,10000 --paths portal,portal-msgpack,direct,bare,bare-msgpack --fixed-rate 10 --fixed-seconds 20
#     (portal-memory: the portal with HISTORY_STORE=memory; a path listed twice runs twice, e.g. portal,portal-memory,portal,portal-memory)
#   --roll-sizes 1000,5000 --roll-rates 50 (broadcasts/s in all, one per size, the last repeats) --roll-wait-seconds 180
#   --flat-seconds 20 --window 8 --hold-seconds 60 --rtt-callers 1,64,512 --rtt-seconds 10 --concurrency 200
#   --server-env DOTNET_gcServer=0[,KEY=VALUE...]   (the servers under test only, not the load process)
#   --baseline-host <path to another Portal.Host.dll>   (adds path portal-baseline: that build, the portal's
#     settings and phases, its own wwwroot as content root; e.g. the commit before a change, built Release elsewhere)
# Quick check: bench/run.sh --sizes 200 --fixed-seconds 3 --flat-seconds 3 --hold-seconds 0 --rtt-seconds 2 --roll-sizes 100
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_packages nats-server:nats-server

# 10k sockets per process need more than the usual 1024 descriptors; children inherit this.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

mkdir -p bench/results
echo "Building (Release)..." >&2
for project in src/Portal.Host src/Portal.DemoServices bench/Portal.Bench.Probe bench/Portal.Bench.BareHub bench/Portal.Bench.Load bench/Portal.Bench; do
  dotnet build "$project" -c Release -v quiet -nologo >bench/results/build.log 2>&1 || { cat bench/results/build.log; exit 1; }
done
echo "Open files limit: $(ulimit -n)" >&2
exec dotnet bench/Portal.Bench/bin/Release/net10.0/Portal.Bench.dll "$@"
