#!/usr/bin/env bash
# Debian's Chromium, for the web portal's browser tests (puppeteer-core drives it; puppeteer's own
# browser download cannot work offline). Installs only when missing; called by `npm test` and CI.
# Without root it only says what to install. Prints the browser's path last.
set -euo pipefail
for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then exit 0; fi
done
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The browser tests need Chromium: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH" >&2
  exit 0
fi
echo "installing chromium …" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || {
  apt-get update >/dev/null 2>&1
  apt-get install -y --no-install-recommends chromium >/dev/null
}
