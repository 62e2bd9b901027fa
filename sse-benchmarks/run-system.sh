#!/usr/bin/env bash
# The system test's longer variant (not in CI): the same system as sse-system-tests (nginx with
# docs/nginx/sse-boot.conf, three instances on one Redis, a publisher at 50 events/s) with thousands of npm
# eventsource clients and a longer steady state, through the same rolling deploy, crash, restart of everything, Redis
# restart and stalled clients, and the same verdict (nothing lost, nothing twice, nothing out of order, no client
# stranded). Writes sse-benchmarks/results/system-soak.md. Bounded: about 10 minutes at the defaults, on 127.0.0.1.
# Usage: bash sse-benchmarks/run-system.sh [clients] [steady seconds], e.g. 3000 300
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS="${1:-3000}"
STEADY="${2:-300}"
ulimit -n "$(ulimit -Hn)"
echo "open files per process: $(ulimit -n); $CLIENTS clients, steady state $STEADY s"
mvn -B -ntp -q -Psystem-tests install -DskipTests -pl sse-spring-boot-starter,sse-boot-dependencies -am
(cd sse-system-tests/src/test/node && npm ci --no-audit --no-fund --silent)
CI=true mvn -B -ntp -Psystem-tests -pl sse-system-tests verify -Dtest='SystemTests#standaloneRedis' \
  -Dsse.system.clients="$CLIENTS" -Dsse.system.steady-seconds="$STEADY" -Dsse.system.heap=1g -Dsystem.fork-timeout=7200 \
  -Djunit.jupiter.execution.timeout.test.method.default=100m
mkdir -p sse-benchmarks/results
{
  echo "<!-- $(date -u +%F), $(nproc) cores, $(java -version 2>&1 | head -1): bash sse-benchmarks/run-system.sh $CLIENTS $STEADY -->"
  cat sse-system-tests/target/system-report-standalone.md
} > sse-benchmarks/results/system-soak.md
echo "wrote sse-benchmarks/results/system-soak.md"
