#!/usr/bin/env bash
# One answer (a run) to many attached clients, in process: SseRuns against a Broadcaster topic and against the
# hand-written Reactor replay(), in the same run. Writes sse-benchmarks/results/runs.md. Bounded: about a minute.
# Usage: bash sse-benchmarks/run-runs.sh [clients=1000] [tokens=2000] [rounds=5]
#    or: bash sse-benchmarks/run-runs.sh redis [runs=100] [tokens=2000]: a run's events in Redis (memory, commands
#        and tokens per second per token), on a redis-server it starts on 127.0.0.1 and stops; writes
#        results/runs-redis.md
set -euo pipefail
cd "$(dirname "$0")/.."
source sse-benchmarks/build.sh
if [ "${1:-}" = "redis" ]; then
  java -Xmx2g -cp "$CP" dev.sseboot.benchmarks.runs.RedisRunCostBenchmark results "${2:-100}" "${3:-2000}"
else
  java -Xmx2g -cp "$CP" dev.sseboot.benchmarks.runs.RunBenchmark results "${1:-1000}" "${2:-2000}" "${3:-5}"
fi
