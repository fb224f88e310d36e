#!/usr/bin/env bash
# Runs npm scripts at once (each is single-threaded, the machine has two cores or more), prints
# each one's output whole when it ends, and fails if any failed.
#   bash scripts/npm-parallel.sh typecheck lint
set -uo pipefail
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
declare -A pids
for name in "$@"; do
  npm run --silent "$name" > "$dir/$name.log" 2>&1 &
  pids[$name]=$!
done
failed=()
for name in "$@"; do
  if wait "${pids[$name]}"; then status=ok; else status=FAILED; failed+=("$name"); fi
  echo "── npm run $name: $status"
  cat "$dir/$name.log"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
