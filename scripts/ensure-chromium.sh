#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing
# (Playwright cannot download its own browsers on these machines).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q chromium
