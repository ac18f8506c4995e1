#!/usr/bin/env bash
# Packs the MCP Bundle streaming-skill-<version>-<platform>.mcpb for the machine it runs on:
# builds the release binary (or takes --binary PATH), stages it with bundle/manifest.json, packs
# it with the official mcpb CLI (npm @anthropic-ai/mcpb), and writes beside it a server.json for
# the MCP Registry with the bundle's SHA-256 filled in (and its download URL, from $BUNDLE_URL).
#
# Usage: bundle/pack.sh [--binary PATH] [--out DIR]
#   --binary PATH  pack this binary instead of building `cargo build --release --locked`
#   --out DIR      where the bundle goes (default: dist/)
# Environment: MCPB   the mcpb command to use (default: npx --yes @anthropic-ai/mcpb@2.1.2)
#              BUNDLE_URL  the HTTPS URL the bundle will be published at, for server.json
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=""
out="$root/dist"
while [ $# -gt 0 ]; do
  case $1 in
    --binary) binary=${2:?--binary needs a path}; shift 2 ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pack.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

case $(uname -s) in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "pack.sh: bundles are packed on Linux or macOS; this is $(uname -s)" >&2; exit 2 ;;
esac
case $(uname -m) in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) arch=$(uname -m) ;;
esac
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)
[ -n "$version" ] || { echo "pack.sh: no version in Cargo.toml" >&2; exit 1; }

if [ -z "$binary" ]; then
  (cd "$root" && cargo build --release --locked)
  binary="$root/target/release/streaming-skill"
fi
[ -x "$binary" ] || { echo "pack.sh: $binary is not an executable" >&2; exit 1; }
served=$("$binary" --version)
[ "$served" = "streaming-skill $version" ] || { echo "pack.sh: $binary is '$served', Cargo.toml says $version" >&2; exit 1; }

read -r -a mcpb <<<"${MCPB:-npx --yes @anthropic-ai/mcpb@2.1.2}"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/server" "$out"
cp "$binary" "$stage/server/streaming-skill"
chmod 755 "$stage/server/streaming-skill"
# The committed manifest is the source; the staged copy names the platform this binary runs on.
python3 - "$root/bundle/manifest.json" "$stage/manifest.json" "$os" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
manifest["compatibility"] = {**manifest.get("compatibility", {}), "platforms": [sys.argv[3]]}
json.dump(manifest, open(sys.argv[2], "w"), indent=2)
PY
"${mcpb[@]}" validate "$stage/manifest.json"
bundle="$out/streaming-skill-$version-$os-$arch.mcpb"
"${mcpb[@]}" pack "$stage" "$bundle" >/dev/null
sha=$(sha256sum "$bundle" | cut -d ' ' -f 1)
python3 - "$root/server.json" "$out/server.json" "$sha" "${BUNDLE_URL:-}" <<'PY'
import json, sys
server = json.load(open(sys.argv[1]))
for package in server["packages"]:
    if package["registryType"] == "mcpb":
        package["fileSha256"] = sys.argv[3]
        if sys.argv[4]:
            package["identifier"] = sys.argv[4]
json.dump(server, open(sys.argv[2], "w"), indent=2)
PY
echo "packed $bundle"
echo "sha256 $sha"
echo "registry entry $out/server.json"
