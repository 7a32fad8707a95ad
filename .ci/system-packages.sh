#!/usr/bin/env bash
# Installs the real components the tests drive, from Debian's packages, when they are missing:
# redis-server (shared conversations across bot processes) and chromium (the web pages, tested in a real
# browser), tini (the image's init, run as PID 1 by tests/ops.image.test.ts). Tests start their own servers on 127.0.0.1; nothing is started here. When a package cannot be
# installed, the tests that need it skip with a message saying so; nothing else depends on them.
set -uo pipefail
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -x /usr/bin/tini ] || need+=(tini)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system packages: cannot install ${need[*]} here (not root or no apt-get); tests that need them will skip" >&2
  exit 0
fi
echo "system packages: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || echo "system packages: apt-get install ${need[*]} failed; tests that need them will skip" >&2
exit 0
