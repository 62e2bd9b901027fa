#!/usr/bin/env bash
# The Redis mode's costs (RedisBenchmark): idle CPU and commands, cross-instance latency with 1 and 10,000 topics, on
# 127.0.0.1 with a redis-server it starts and stops. With a git revision, runs the same scenarios against the
# starter built at that revision too (in a temporary worktree), for a before/after table.
# Writes sse-benchmarks/results/redis.md. Bounded: about 4 minutes per build ("quick": about 2).
# Usage: bash sse-benchmarks/run-redis.sh [quick] [revision]
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-full}"
BEFORE="${2:-}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
source sse-benchmarks/build.sh
mkdir -p results target
: > results/redis.md
if [ -n "$BEFORE" ]; then
  WORKTREE="$(mktemp -d)"
  trap 'git -C "$ROOT" worktree remove --force "$WORKTREE"' EXIT
  git -C "$ROOT" worktree add --detach "$WORKTREE" "$BEFORE" >/dev/null
  # only the starter's classes differ: the core and the benchmark servers are this build's
  mvn -B -ntp -q -f "$WORKTREE/pom.xml" -pl sse-spring-boot-starter -am -o package -DskipTests -Dmaven.javadoc.skip \
    -Dmaven.source.skip -P'!nullaway'
  STARTER_JAR="$(tr ':' '\n' < target/classpath.txt | grep 'sse-spring-boot-starter')"
  BEFORE_CP="target/classes:$(sed "s#$STARTER_JAR#$WORKTREE/sse-spring-boot-starter/target/classes#" target/classpath.txt)"
  java -cp "$CP" dev.sseboot.benchmarks.fanout.RedisBenchmark "$BEFORE_CP" target/redis-before.md "before ($BEFORE)" "$MODE"
  cat target/redis-before.md >> results/redis.md
  echo >> results/redis.md
fi
java -cp "$CP" dev.sseboot.benchmarks.fanout.RedisBenchmark "$CP" target/redis-after.md "this build" "$MODE"
cat target/redis-after.md >> results/redis.md
echo "(machine: $(nproc) cores, $(date -u +%F))" >> results/redis.md
cat results/redis.md
