#!/usr/bin/env bash
# Install everything the tests need, then run them: `bash scripts/test.sh [pytest args]`.
#
# Python packages come from requirements/test.txt, a lock with hashes (refresh it with
# `bash scripts/lock.sh`), into a virtual environment of the repo's own, .venv/; the npm
# tools from package-lock.json with `npm ci`. So what the suite runs does not depend on the
# day it is installed. Safe to run again: each step is redone only when its lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)   # the path tests/kit.py launches
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Python: a fresh .venv whenever the lock changes, filled from the lock alone (wheels only,
# every file checked against its hash), then On Record itself, editable, without dependencies.
lock_id() { sha256sum requirements/test.txt | cut -c1-16; }
if [ "$(cat .venv/lock-id 2>/dev/null)" != "$(lock_id)" ]; then
  rm -rf .venv
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check \
    --require-hashes --no-deps --only-binary :all: -r requirements/test.txt
  lock_id > .venv/lock-id
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  --no-deps --no-build-isolation -e .

# The Nu HTML Checker (vnu-jar) for HTML validity, exactly as package-lock.json says.
if [ "$(cat node_modules/.lock-id 2>/dev/null)" != "$(sha256sum package-lock.json | cut -c1-16)" ]; then
  npm ci --silent --no-audit --no-fund
  sha256sum package-lock.json | cut -c1-16 > node_modules/.lock-id
fi

export PATH="$PWD/.venv/bin:$PATH"
exec .venv/bin/python -m pytest "$@"
