#!/usr/bin/env bash
# Many idle streams on one server (ScaleBenchmark): sse-boot, hand-written SseEmitter code and WebFlux, each in its
# own JVM on 127.0.0.1, at each size; writes sse-benchmarks/results/scale.md. Raises the open-file limit for the run
# (the shell's soft limit up to its hard limit; a process holds one descriptor per stream). Bounded: about 2 minutes
# per server and size. Usage: bash sse-benchmarks/run-scale.sh [sizes] [servers], e.g. 5000,10000,18000
# Several instances: bash sse-benchmarks/run-scale.sh cluster [streams] [instances] (default 100000 on 6): sse-boot
# instances on Jetty sharing one redis-server, one load-client process per instance (ClusterScaleBenchmark; about 6
# minutes; writes sse-benchmarks/results/scale-cluster.md).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${1:-5000,10000,18000}"
SERVERS="${2:-sse-boot,hand-written,webflux}"
HARD="$(ulimit -Hn)"
ulimit -n "$HARD"
echo "open files per process: $(ulimit -n) (hard limit $HARD); somaxconn $(cat /proc/sys/net/core/somaxconn)"
source sse-benchmarks/build.sh
mkdir -p results target
if [ "$SIZES" = cluster ]; then
  exec java -cp "$CP" dev.sseboot.benchmarks.fanout.ClusterScaleBenchmark "$CP" results "${2:-100000}" "${3:-6}"
fi
java -Xmx2g -cp "$CP" dev.sseboot.benchmarks.fanout.ScaleBenchmark "$CP" results "$SIZES" "$SERVERS"
