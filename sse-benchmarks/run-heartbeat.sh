#!/usr/bin/env bash
# The heartbeat timer's own CPU at many idle streams, in process (HeartbeatBenchmark): streams registered over one
# interval, then the timer thread's CPU time per tick. Writes sse-benchmarks/results/heartbeat.md. Bounded: the
# interval (15 s) plus the measured seconds.
# Usage: bash sse-benchmarks/run-heartbeat.sh [streams=20000] [seconds=30]
set -euo pipefail
cd "$(dirname "$0")/.."
source sse-benchmarks/build.sh
java -Xmx2g -cp "$CP" dev.sseboot.benchmarks.heartbeat.HeartbeatBenchmark results "${1:-20000}" "${2:-30}"
