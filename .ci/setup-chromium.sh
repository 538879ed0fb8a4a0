#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (test/browser/**) when /usr/bin/chromium is
# missing. Idempotent; the browser is never downloaded by playwright (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
$SUDO apt-get install -y chromium
test -x /usr/bin/chromium
