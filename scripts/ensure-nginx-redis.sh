#!/usr/bin/env bash
# Installs Debian's nginx and Redis for the deployment test (tests/test_deploy.py) when they are
# missing; the test runs its own nginx and redis-server on loopback ports (deploy/stack.py) and
# stops them after. Nothing here starts a system service.
set -euo pipefail
if command -v nginx > /dev/null && command -v redis-server > /dev/null; then exit 0; fi
if [ -x /usr/sbin/nginx ] && [ -x /usr/bin/redis-server ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q nginx-light redis-server || $SUDO apt-get install -y -q nginx redis-server
