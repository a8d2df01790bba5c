#!/usr/bin/env bash
# Install everything the tests need, then run them: `bash scripts/test.sh [pytest args]`.
# Safe to run again: each step skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The Nu HTML Checker (vnu-jar) for HTML validity, pinned by package-lock.json.
if [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
  npm ci --silent --no-audit --no-fund
fi

exec python3 -m pytest "$@"
