#!/usr/bin/env bash
# Installs Debian's PostgreSQL server for the question-log tests when it is missing; the tests
# start their own throwaway cluster (initdb, pg_ctl) on a loopback port and stop it after.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" > /dev/null; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q postgresql
