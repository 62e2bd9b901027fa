#!/usr/bin/env bash
# CPU per event of a steady fan-out, user and kernel time apart (CpuSplitBenchmark): 1,000 streams x 100 broadcasts/s
# on sse-boot, hand-written SseEmitter code and WebFlux in turn, each in its own JVM on 127.0.0.1, the round repeated.
# System calls per event are counted too where perf can trace (Debian: apt-get install linux-perf; optional).
# Writes sse-benchmarks/results/cpu-split.md. Bounded: about 45 s per server and repetition.
# Usage: bash sse-benchmarks/run-cpu-split.sh [repetitions=2] [servers=sse-boot,hand-written,webflux]
set -euo pipefail
cd "$(dirname "$0")/.."
source sse-benchmarks/build.sh
mkdir -p results target
java -Xmx1g -cp "$CP" dev.sseboot.benchmarks.fanout.CpuSplitBenchmark "$CP" results "${1:-2}" \
  "${2:-sse-boot,hand-written,webflux}"
