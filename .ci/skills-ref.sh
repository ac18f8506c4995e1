#!/usr/bin/env bash
# Validates the repository's skill with the independent `skills-ref` validator. The validator
# wants the folder name to equal the skill's `name`, so it checks a copy named after it.
set -euo pipefail
cache=${1:?cache dir}
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$cache/skills-ref"
if [ ! -x "$tools/node_modules/.bin/skills-ref" ]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error skills-ref@0.1.5 >/dev/null
fi
name=$(sed -n 's/^name: *//p' "$root/SKILL.md" | head -n 1)
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
mkdir "$copy/$name"
cp -R "$root/SKILL.md" "$root/references" "$root/skill" "$copy/$name/"
"$tools/node_modules/.bin/skills-ref" validate "$copy/$name"
