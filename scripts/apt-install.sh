#!/usr/bin/env bash
# Installs Debian packages with apt-get (updating the package lists only when the first try fails).
# Usage: apt-install.sh "<what needs them>" package…  Without root or apt-get it says what to install
# and exits 2; the callers decide whether that stops them.
set -euo pipefail
needed_by=$1
shift
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "$needed_by needs: $* (Debian packages). Install them, e.g.: sudo apt-get install -y $*" >&2
  exit 2
fi
echo "installing $* …" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 || {
  apt-get update >/dev/null 2>&1
  apt-get install -y --no-install-recommends "$@" >/dev/null
}
