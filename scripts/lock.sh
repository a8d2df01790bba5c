#!/usr/bin/env bash
# Refresh the hashed lock the tests and CI install from: `bash scripts/lock.sh`.
# The package's own dependencies stay ranges in pyproject.toml; this pins one tested set.
# Add `--upgrade` to move every pin to the newest release allowed by the ranges.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check 'uv==0.13.9'
python3 -m uv pip compile --quiet pyproject.toml requirements/tools.in \
  --extra test --extra cluster --generate-hashes --python-version 3.11 --python-platform linux \
  --only-binary :all: --output-file requirements/test.txt "$@"
