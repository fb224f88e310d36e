#!/usr/bin/env bash
# Packages the Linux app directory with a local Electron placeholder (the Electron zip cannot be
# downloaded here) and checks what the packaged app.asar holds. Needs `npm run build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf release .tmp/electron-dist
mkdir -p .tmp/electron-dist
# electron-builder copies this folder as the Electron runtime; an empty executable stands in.
printf '#!/bin/sh\necho placeholder\n' > .tmp/electron-dist/electron && chmod +x .tmp/electron-dist/electron
npx electron-builder --linux dir --config electron-builder.yml \
  -c.electronDist=.tmp/electron-dist -c.electronVersion=45.4.1 >/tmp/hashlock-package.log 2>&1 || { cat /tmp/hashlock-package.log; exit 1; }
node_modules/.bin/node scripts/package-check.ts release/linux-unpacked/resources
