#!/usr/bin/env bash
# One stream on many topics against one stream per topic, in process: bytes and CPU per delivered event, in the same
# run. Writes sse-benchmarks/results/topics.md. Bounded: under a minute at the defaults.
# Usage: bash sse-benchmarks/run-topics.sh [clients=200] [topics=5] [events=20000] [rounds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
source sse-benchmarks/build.sh
java -Xmx2g -cp "$CP" dev.sseboot.benchmarks.topics.ManyTopicsBenchmark results "${1:-200}" "${2:-5}" "${3:-20000}" \
  "${4:-5}"
