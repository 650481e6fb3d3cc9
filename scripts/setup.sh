#!/usr/bin/env bash
# Create .venv/ at the project root and install framing with its test extras.
# torch is installed first, pinned to the CPU build that lies on this machine's disk;
# an unpinned torch would pull several GB of CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "framing needs Python >= 3.11")'
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check "torch==2.13.0"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
.venv/bin/framing --help > /dev/null
echo "framing is installed in .venv/ (run .venv/bin/framing --help)"
