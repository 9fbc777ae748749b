#!/usr/bin/env bash
# Debian's haproxy, the load balancer of the cluster test (npm run test:cluster). Installs only when
# missing; without root it only says what to install.
set -euo pipefail
command -v haproxy >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The cluster test needs haproxy: install it (sudo apt-get install -y haproxy)" >&2
  exit 1
fi
echo "installing haproxy …" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends haproxy >/dev/null 2>&1 || {
  apt-get update >/dev/null 2>&1
  apt-get install -y --no-install-recommends haproxy >/dev/null
}
