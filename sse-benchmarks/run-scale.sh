#!/usr/bin/env bash
# Many idle streams on one server (ScaleBenchmark): sse-boot, hand-written SseEmitter code and WebFlux, each in its
# own JVM on 127.0.0.1, at each size; writes sse-benchmarks/results/scale.md. Raises the open-file limit for the run
# (the shell's soft limit up to its hard limit; a process holds one descriptor per stream). Bounded: about 2 minutes
# per server and size. Usage: bash sse-benchmarks/run-scale.sh [sizes] [servers], e.g. 5000,10000,18000
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${1:-5000,10000,18000}"
SERVERS="${2:-sse-boot,hand-written,webflux}"
HARD="$(ulimit -Hn)"
ulimit -n "$HARD"
echo "open files per process: $(ulimit -n) (hard limit $HARD); somaxconn $(cat /proc/sys/net/core/somaxconn)"
source sse-benchmarks/build.sh
mkdir -p results target
java -Xmx2g -cp "$CP" dev.sseboot.benchmarks.fanout.ScaleBenchmark "$CP" results "$SIZES" "$SERVERS"
