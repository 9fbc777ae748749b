#!/usr/bin/env bash
# Debian's haproxy, the load balancer of the cluster test (npm run test:cluster). Installs only when
# missing; without root the test cannot run, and this says what to install.
set -euo pipefail
command -v haproxy >/dev/null 2>&1 && exit 0
bash "$(dirname "$0")/apt-install.sh" "The cluster test" haproxy
