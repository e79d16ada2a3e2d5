#!/usr/bin/env bash
# Installs what a fresh machine lacks for the tests: Chromium (Debian package) and maildev (npm).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Chromium from Debian packages" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  else
    echo "Chromium is missing: run 'sudo apt-get install chromium' (browser tests need /usr/bin/chromium)" >&2
    exit 1
  fi
fi
maildev_install
