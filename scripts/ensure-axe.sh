#!/usr/bin/env bash
# Installs axe-core (the accessibility rules the browser tests inject with Playwright) from the
# npm registry into .test-tools/ when it is missing; nothing of it is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=.test-tools
if [ -f "$DEST/node_modules/axe-core/axe.min.js" ]; then exit 0; fi
if ! command -v npm >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q npm
fi
mkdir -p "$DEST"
npm install --prefix "$DEST" --no-save --no-audit --no-fund --loglevel=error "axe-core@^4.10"
