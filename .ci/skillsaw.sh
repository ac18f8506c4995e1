#!/usr/bin/env bash
# Lints the repository's skill with the independent linter `skillsaw` (PyPI), from a virtual
# environment that this script creates. Any error fails the run, and so does any warning that the
# README's "Skill linter" note does not justify (today only SKILL.md's size over the linter's
# 3,000-token budget for a skill).
set -euo pipefail
cache=${1:?cache dir}
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$cache/skillsaw-venv"
version=0.22.0
if [ ! -x "$venv/bin/skillsaw" ] || [ "$("$venv/bin/skillsaw" --version 2>/dev/null)" != "skillsaw $version" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "skillsaw==$version"
fi
lint() { "$venv/bin/skillsaw" lint --no-progress --no-plugins --no-custom-rules --fail-on error "$@" "$root"; }
# The human-readable report, failing on any error.
lint --quiet
# The same findings as JSON: every warning must be one the README justifies.
report=$(mktemp)
trap 'rm -f "$report"' EXIT
lint --format json >"$report"
"$venv/bin/python" - "$report" <<'PY'
import json
import sys

justified = {("context-budget", "SKILL.md")}
with open(sys.argv[1], encoding="utf-8") as f:
    violations = json.load(f)["violations"]
errors = [v for v in violations if v["severity"] == "error"]
unjustified = [
    v
    for v in violations
    if v["severity"] == "warning" and (v["rule_id"], v["file_path"]) not in justified
    or v["rule_id"] == "context-budget" and "description" in v["message"]
]
for v in errors + unjustified:
    print(f"skillsaw {v['severity']} not allowed: {v['rule_id']} {v['file_path']}: {v['message']}")
warnings = sum(v["severity"] == "warning" for v in violations)
print(f"skillsaw: {len(errors)} errors, {warnings} warnings ({warnings - len(unjustified)} justified in the README)")
sys.exit(1 if errors or unjustified else 0)
PY
