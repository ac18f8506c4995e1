#!/usr/bin/env bash
# The one command behind the figures in BENCHMARKS.md: builds the release binaries (the server,
# the floor server in examples/floor_server.rs and the driver in examples/bench/), then runs the
# driver, which prints Markdown to stdout (also saved to target/bench/report.md) and its progress
# to stderr. Arguments go to the driver: `bench/run.sh --help`, `bench/run.sh --quick`,
# `bench/run.sh --only cold,latency`. Linux only (memory is read from /proc).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bins --examples
mkdir -p target/bench
target/release/examples/bench "$@" | tee target/bench/report.md
