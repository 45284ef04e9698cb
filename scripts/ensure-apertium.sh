#!/usr/bin/env bash
# Installs Debian's Apertium Spanish-English pair when it is missing: Spanish questions are
# translated with it, offline (src/qa_service/language.py).
set -euo pipefail
if command -v apertium >/dev/null && [ -e /usr/share/apertium/modes/spa-eng.mode ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q apertium-eng-spa
