#!/usr/bin/env bash
# The MCP Registry entry: server.json is validated with an independent validator (PyPI skillsaw,
# which carries the Registry's released schemas and publishing rules), and its versions, and the
# bundle manifest's, must equal Cargo.toml's. By default the committed server.json (download URL
# and hash are publish-time placeholders); .ci/bundle.sh also passes the one bundle/pack.sh
# rendered with the bundle's real hash and a download URL.
# Usage: registry.sh CACHE [SERVER_JSON]
set -euo pipefail
cache=${1:?cache dir}
root=$(cd "$(dirname "$0")/.." && pwd)
entry=${2:-$root/server.json}
venv="$cache/skillsaw"
if [ ! -x "$venv/bin/skillsaw" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "skillsaw==0.22.0"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

crate=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)
python3 - "$entry" "$root/bundle/manifest.json" "$crate" <<'PY'
import json, sys
server = json.load(open(sys.argv[1]))
manifest = json.load(open(sys.argv[2]))
crate = sys.argv[3]
versions = {"server.json version": server["version"], "bundle/manifest.json version": manifest["version"]}
versions.update({f"server.json packages[{i}].version": p.get("version") for i, p in enumerate(server["packages"])})
wrong = {k: v for k, v in versions.items() if v != crate}
if wrong:
    sys.exit(f"registry: versions differ from Cargo.toml's {crate}: {wrong}")
print(f"registry: every version is Cargo.toml's {crate}")
PY

# skillsaw lints a folder: give it the entry alone.
cp "$entry" "$work/server.json"
"$venv/bin/skillsaw" lint --type mcp-registry --strict --no-progress --no-color -q "$work"
echo "registry: $entry passes skillsaw (MCP Registry rules)"

