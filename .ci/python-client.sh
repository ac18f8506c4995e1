#!/usr/bin/env bash
# Drives the server with the official Python MCP SDK (PyPI `mcp`) from a virtual environment that
# this script creates, in the handshake era and the 2026-07-28 era.
set -euo pipefail
cache=${1:?cache dir}
binary=${2:?path to the streaming-skill binary}
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$cache/venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import mcp" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "mcp==2.3.0"
fi
"$venv/bin/python" "$root/tests/clients/python_sdk_client.py" "$binary"
