#!/usr/bin/env bash
# Debian's Chromium, for the web portal's browser tests (puppeteer-core drives it; puppeteer's own
# browser download cannot work offline). Installs only when missing; called by `npm test` and CI.
# Without root it only says what to install (or set CHROMIUM_PATH).
set -euo pipefail
for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then exit 0; fi
done
bash "$(dirname "$0")/apt-install.sh" "The browser tests (or set CHROMIUM_PATH)" chromium || [ $? -eq 2 ]
