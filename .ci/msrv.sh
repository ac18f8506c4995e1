#!/usr/bin/env bash
# Checks that Cargo.toml's rust-version is the true minimum supported Rust version: the highest
# `rust-version` among the locked dependencies this platform builds (normal, build and dev), or
# the edition's own minimum if that is higher. `cargo +<msrv>` needs rustup and a second
# toolchain, which CI does not have; the lockfile's own declarations are what a build would hit.
set -euo pipefail
cd "$(dirname "$0")/.."
host=$(rustc -vV | sed -n 's/^host: //p')
cargo metadata --format-version 1 --locked --filter-platform "$host" | python3 -c '
import json, sys

def version(text):
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))

def show(v):
    return ".".join(str(p) for p in v).removesuffix(".0")

meta = json.load(sys.stdin)
packages = {p["id"]: p for p in meta["packages"]}
root = meta["resolve"]["root"]
ours = packages[root]
edition_minimum = {"2015": "1.0", "2018": "1.31", "2021": "1.56", "2024": "1.85"}[ours["edition"]]
needed, needed_by = version(edition_minimum), "edition " + ours["edition"]
for node in meta["resolve"]["nodes"]:
    if node["id"] == root:
        continue
    package = packages[node["id"]]
    if package.get("rust_version") and version(package["rust_version"]) > needed:
        needed, needed_by = version(package["rust_version"]), package["name"] + " " + package["version"]
declared = ours.get("rust_version")
if declared is None:
    sys.exit(f"Cargo.toml has no rust-version; the locked dependencies need {show(needed)} ({needed_by})")
if version(declared) != needed:
    sys.exit(f"Cargo.toml says rust-version = \"{declared}\", but the true minimum is {show(needed)} ({needed_by})")
print(f"rust-version {declared} is the true minimum (set by {needed_by})")
'
