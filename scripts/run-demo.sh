#!/usr/bin/env bash
# Runs the portal with its demo backend on this machine: installs what is missing, starts
# nats-server, the demo services and the portal, prints the URL and the demo logins, and stops
# everything on Ctrl+C. PORT (default 5000) and NATS_PORT (default: a free one) may be set.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_packages nats-server:nats-server
ensure_web_bundle
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed: https://dot.net" >&2; exit 1; }

port=${PORT:-5000}
nats_port=${NATS_PORT:-$(free_port)}
logs=.artifacts/demo
mkdir -p "$logs"

echo "Building..."
dotnet build HtpiActors.sln -c Release -v quiet -nologo >"$logs/build.log" 2>&1 || { cat "$logs/build.log"; exit 1; }

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

nats-server -a 127.0.0.1 -p "$nats_port" >"$logs/nats-server.log" 2>&1 &
pids+=($!)
export NATS_URL="nats://127.0.0.1:$nats_port"

dotnet src/Portal.DemoServices/bin/Release/net10.0/Portal.DemoServices.dll >"$logs/demo-services.log" 2>&1 &
pids+=($!)

PORT=$port ENV=development dotnet src/Portal.Host/bin/Release/net10.0/Portal.Host.dll \
  --contentRoot "$PWD/src/Portal.Host" >"$logs/portal.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { echo "The portal did not become ready; see $logs/portal.log" >&2; exit 1; }

cat <<INFO

  HTPI customer portal: http://localhost:$port/   (SignalR hub: /hubs/portal)
  NATS:                 $NATS_URL
  Demo logins:          demo@htpi.com / demo123        (tenants tenant-001, tenant-002)
                        john@example.com / password123 (tenant tenant-001)
  Logs:                 $logs/

  Ctrl+C stops the portal, the demo services and nats-server.
INFO
wait
