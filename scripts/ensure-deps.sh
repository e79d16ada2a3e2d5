#!/usr/bin/env bash
# Installs what a fresh machine lacks for the tests: Chromium, nginx and the delivery PDF's CJK font (Debian packages) and
# maildev (npm).
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
# The delivery PDF draws Chinese, Japanese and Korean names with Droid Sans Fallback (Features/Deliveries/DeliveryFonts.cs).
if [ ! -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing fonts-droid-fallback from Debian packages" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-droid-fallback >&2 \
      || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-droid-fallback >&2; }
  else
    echo "fonts-droid-fallback is missing: run 'sudo apt-get install fonts-droid-fallback' (the delivery PDF's CJK font)" >&2
    exit 1
  fi
fi
# The two-node tests put Debian's nginx in front of two app processes (tests/Petitions.Tests/Scaling).
if [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing nginx from Debian packages" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >&2 \
      || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >&2; }
    # Only the binary is wanted: the package's own server on port 80 must not run.
    service nginx stop >/dev/null 2>&1 || true
  else
    echo "nginx is missing: run 'sudo apt-get install nginx-light' (the two-node tests need /usr/sbin/nginx)" >&2
    exit 1
  fi
fi
maildev_install
