#!/usr/bin/env bash
# Makes a fresh clone runnable: npm packages (which bring the pinned Node 24 runtime) and, from
# Debian, litecoind (demo and tests) plus chromium and xvfb (UI tests), iproute2, nftables and
# miniupnpd-nftables (NAT tests: routers in namespaces, one of which maps ports by UPnP). Idempotent and quick
# when everything is already there. Usage: scripts/bootstrap.sh [demo|test]
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-test}"

missing=()
command -v litecoind >/dev/null 2>&1 || missing+=(litecoind)
if [ "$mode" = test ]; then
  [ -x /usr/bin/chromium ] || [ -x /usr/lib/chromium/chromium ] || missing+=(chromium)
  command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb)
  # The NAT tests build their own network in namespaces (test/support/netns.ts).
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  command -v nft >/dev/null 2>&1 || missing+=(nftables)
  command -v miniupnpd >/dev/null 2>&1 || [ -x /usr/sbin/miniupnpd ] || missing+=(miniupnpd-nftables)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${missing[*]}" >&2
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: cannot install ${missing[*]}: this system has no apt-get." >&2
    echo "  Install Litecoin Core (litecoind)${mode:+, Chromium, Xvfb, iproute2, nftables and miniupnpd} with your package manager and run this again." >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "bootstrap: need root to run: apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stamp=node_modules/.hashlock-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ ! -x node_modules/.bin/node ]; then
  echo "bootstrap: installing npm packages (npm ci)" >&2
  # The Electron binary is not downloadable everywhere; the desktop shell is packaged separately.
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
if ! node_modules/.bin/node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)'; then
  echo "bootstrap: node_modules/.bin/node is not Node 24; remove node_modules and run again" >&2
  exit 1
fi
