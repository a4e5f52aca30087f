#!/usr/bin/env sh
# Debian's Chromium for the browser tests (Playwright and testem drive /usr/bin/chromium; no
# test tool ever downloads a browser of its own). Idempotent, and safe to call from two test
# targets at once: the install runs under a lock and the second caller finds it done.
set -eu
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "chromium is missing; install it with: sudo apt-get install -y chromium" >&2
  exit 1
fi
exec 9>/tmp/chairbook-ensure-chromium.lock
command -v flock >/dev/null 2>&1 && flock 9
if command -v chromium >/dev/null 2>&1; then exit 0; fi
echo "Installing Debian's chromium for the browser tests…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
command -v chromium >/dev/null
