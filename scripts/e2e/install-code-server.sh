#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3 for the browser, the last release that runs on
# Node 20) outside the repository, for the end-to-end test of the extension. A plain npm install
# of it downloads prebuilt binaries, which fails here; instead: --ignore-scripts, then the native
# modules rebuilt from source, and Debian's rg put where @vscode/ripgrep expects its binary.
# Idempotent: a finished install (marker file) is left alone. Prints the install's root.
#   XPC_E2E_CACHE   where to install (default ~/.cache/xpc-e2e)
set -euo pipefail
# node-pty's install script runs `npx node-gyp`: let npx fetch it from the registry unasked.
export npm_config_yes=true
VERSION=4.100.3
CACHE="${XPC_E2E_CACHE:-$HOME/.cache/xpc-e2e}"
ROOT="$CACHE/code-server-$VERSION"
PKG="$ROOT/node_modules/code-server"
MARKER="$ROOT/.installed"

if [[ -f "$MARKER" ]]; then echo "$ROOT"; exit 0; fi

need=()
for p in build-essential pkg-config python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if ((${#need[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

mkdir -p "$ROOT"
cd "$ROOT"
[[ -f package.json ]] || echo '{"name":"xpc-e2e-code-server","private":true}' > package.json
npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION" >&2

# argon2 (hoisted to the top) fetches a prebuilt binary unless told to build from source.
npm_config_build_from_source=true npm rebuild argon2 >&2
[[ -n "$(find node_modules/argon2/lib/binding -name argon2.node 2>/dev/null)" ]] || { echo "argon2 did not build" >&2; exit 1; }
cd "$PKG/lib/vscode"
npm install --no-audit --no-fund --omit=dev --ignore-scripts >&2
# The native modules VS Code's server loads; each is built by node-gyp against this Node.
npm rebuild kerberos @parcel/watcher @vscode/spdlog native-watchdog node-pty @vscode/sqlite3 \
  @vscode/deviceid >&2
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg

touch "$MARKER"
echo "$ROOT"
