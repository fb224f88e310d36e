#!/usr/bin/env bash
# Runs a command with an X display: the real one if there is one, else a virtual one (Xvfb).
set -euo pipefail
if [ -n "${DISPLAY:-}" ] || ! command -v xvfb-run >/dev/null 2>&1; then exec "$@"; fi
exec xvfb-run -a --server-args="-screen 0 1440x900x24" "$@"
