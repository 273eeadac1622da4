#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine (Python package with test extras,
# Debian's Chromium for the browser tests, axe-core for the accessibility tests), then builds the
# sample site. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  fi
fi

# libarchive: the privacy check reads RAR, 7-Zip and tar attachments with it (installed when missing)
if ! ldconfig -p 2>/dev/null | grep -q 'libarchive\.so\.13'; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libarchive13 >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libarchive13 >/dev/null
  fi
fi

if [ -f package.json ]; then
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    fi
  fi
  # axe-core for tests/test_a11y.py, exactly as package-lock.json pins it (again when the lock changes)
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
    npm ci --silent --no-audit --no-fund
  fi
fi

if [ "${1:-}" != "--no-build" ]; then
  disclosure build
fi
