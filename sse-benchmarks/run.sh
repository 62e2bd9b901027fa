#!/usr/bin/env bash
# Runs every sse-boot benchmark: JMH (encoder vs Spring's SseEmitter encoding, with -prof gc), then the end-to-end
# fan-out comparison (sse-boot, hand-written SseEmitter fan-out, WebFlux) on 127.0.0.1. Writes
# sse-benchmarks/results/{encoder.txt,fanout.md,fanout.json}. Bounded: about 15 minutes; "quick" takes about 5.
# Usage: bash sse-benchmarks/run.sh [quick]
# Environment: JAVA_HOME picks the JDK for the servers too; BENCH_SERVER_ARGS adds arguments to every server (for
# instance --spring.threads.virtual.enabled=true on JDK 21+); BENCH_JFR=1 records a JFR file per server in target/.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-full}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
source sse-benchmarks/build.sh
mkdir -p results
if [ "$MODE" = quick ]; then JMH_ARGS=(-wi 2 -w 1 -i 3 -r 1); else JMH_ARGS=(); fi
java -cp "$CP" org.openjdk.jmh.Main EncoderBenchmark -prof gc "${JMH_ARGS[@]}" | tee results/encoder.txt
java -Xmx3g -cp "$CP" dev.sseboot.benchmarks.fanout.FanOutBenchmark "$CP" results "$MODE"
