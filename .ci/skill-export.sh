#!/usr/bin/env bash
# The skill-folder install path: `streaming-skill skill export DIR` writes the embedded skill, and
# the independent `skills-ref` validator (npm) accepts what it wrote; a second export changes
# nothing, and an edited file is kept unless --force is given.
set -euo pipefail
cache=${1:?cache dir}
binary=${2:?path to the streaming-skill binary}
tools="$cache/skills-ref"
if [ ! -x "$tools/node_modules/.bin/skills-ref" ]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error skills-ref@0.1.5 >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dir="$work/skills/streaming-data-skill"
"$binary" skill export "$dir" | tail -n 1
"$tools/node_modules/.bin/skills-ref" validate "$dir"
"$binary" skill export "$dir" | tail -n 1 | grep -q ' 0 file(s) written' || { echo "skill export: a second export rewrote files"; exit 1; }
echo "local edit" >>"$dir/SKILL.md"
if "$binary" skill export "$dir" >/dev/null 2>"$work/err"; then
  echo "skill export: an edited SKILL.md was overwritten without --force"; exit 1
fi
grep -q -- '--force' "$work/err"
echo "skill export: the exported folder validates; an edited file is kept without --force"
