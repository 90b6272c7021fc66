#!/usr/bin/env bash
# The Debian packages the tests need: Chromium (browser tests), poppler (PDF to PNG), fonts and
# HarfBuzz's subsetter (WeasyPrint). Installs the missing ones when run as root with apt; otherwise
# names them and fails, so a missing package is a clear message rather than a failing test.
set -euo pipefail
need=()
for pkg in chromium poppler-utils fonts-liberation libharfbuzz-subset0; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} (Debian packages the tests need)"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
else
  echo "Missing Debian packages: ${need[*]}. Install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
