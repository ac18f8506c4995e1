#!/usr/bin/env bash
# The Kubernetes manifests in deploy/kubernetes/ are validated (not run: CI has no cluster) with
# the independent PyPI kubernetes-validate, strictly (unknown fields are errors), against the
# newest Kubernetes version it carries schemas for.
set -euo pipefail
cache=${1:?cache dir}
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$cache/kubernetes-validate"
if [ ! -x "$venv/bin/kubernetes-validate" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==1.37.0"
fi
version=1.37.0
manifests=()
for f in "$root"/deploy/kubernetes/*.yaml; do
  # kustomization.yaml is kustomize's own file, not a Kubernetes resource.
  [ "$(basename "$f")" = kustomization.yaml ] || manifests+=("$f")
done
"$venv/bin/kubernetes-validate" --strict -k "$version" "${manifests[@]}"
# Every file kustomization.yaml lists exists, and every manifest is listed.
for f in "${manifests[@]}"; do
  grep -qx "  - $(basename "$f")" "$root/deploy/kubernetes/kustomization.yaml" || { echo "kubernetes: $(basename "$f") is not in kustomization.yaml"; exit 1; }
done
echo "kubernetes: ${#manifests[@]} manifests valid for Kubernetes $version"
