#!/usr/bin/env bash
# Install Debian's headless Chromium and its WebDriver for the dashboard tests
# (tests/test_dashboard.py). Safe to run repeatedly; never fails the build: without
# Chromium those tests skip with a message saying how to get it.
set -u
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no apt-get here; dashboard browser tests will be skipped" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "install-chromium: not root; run 'apt-get install chromium chromium-driver' as root" >&2
    exit 0
  fi
fi
echo "install-chromium: installing Debian packages chromium and chromium-driver" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null 2>&1 || true
if ! $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null 2>&1; then
  echo "install-chromium: apt-get install failed; dashboard browser tests will be skipped" >&2
fi
exit 0
