#!/usr/bin/env bash
# The MCP Bundle install path, checked with the official mcpb CLI (npm @anthropic-ai/mcpb):
# validate bundle/manifest.json, pack a bundle with bundle/pack.sh (from the debug binary CI has
# already built: a release build would cost minutes; the script builds release by default),
# unpack it into a temporary folder, and run the server from there as a bundle host does, with
# the official Python MCP SDK: initialize, tools/list (against the manifest), a search, with the
# optional skills folder left blank and set.
set -euo pipefail
cache=${1:?cache dir}
binary=${2:?path to the streaming-skill binary}
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$cache/mcpb"
. "$root/.ci/node-tools.sh"
node_tools "$tools" @anthropic-ai/mcpb@2.1.2
mcpb="$node $tools/node_modules/@anthropic-ai/mcpb/dist/cli/cli.js"
venv="$cache/venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import mcp" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "mcp==2.3.0"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$mcpb validate "$root/bundle/manifest.json"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)
MCPB="$mcpb" BUNDLE_URL="https://downloads.example.org/mcp/streaming-skill-$version.mcpb" \
  bash "$root/bundle/pack.sh" --binary "$binary" --out "$work/dist"
bundle=$(ls "$work"/dist/streaming-skill-*.mcpb)
# The registry entry pack.sh rendered (real hash, a stand-in URL) passes the registry rules too.
bash "$root/.ci/registry.sh" "$cache" "$work/dist/server.json"
$mcpb unpack "$bundle" "$work/unpacked" >/dev/null
[ -x "$work/unpacked/server/streaming-skill" ] || { echo "bundle: the unpacked binary is not executable"; exit 1; }
"$venv/bin/python" "$root/tests/clients/bundle_client.py" "$work/unpacked"
"$venv/bin/python" "$root/tests/clients/bundle_client.py" "$work/unpacked" --skills-root "$root/tests/fixtures/skills-root"
echo "bundle: $(basename "$bundle") packs, unpacks and serves"
