#!/usr/bin/env bash
# The status-messenger benchmark, side by side with its peers in one run (see docs/performance.md).
#
#   bench/run.sh            full run: builds, starts the product on Payara Micro, standalone Tyrus
#                           (Grizzly) and Node ws, warms each up, runs S1 (fan-out) REPS times
#                           alternating targets, S2 (idle memory), S3 (HTTP ingest, product only),
#                           and prints the table of medians with ratios (~20 minutes)
#   bench/run.sh --smoke    a quick correctness run (small load, no timing goals): fails only
#                           where a message was lost
#
# Environment: REPS (3), WARMUP seconds (60; S3_WARMUP, the same by default, for S3's HTTP path), STEP seconds per rate (6), RATES, SOCKETS (1000),
# S2_COUNTS (5000,10000), SCENARIOS ("s1 s2 s3"), TARGETS ("product tyrus ws product-nofix": the last is the product with
# status-messenger.tyrus-executor-fix=false, to show what the fix buys), PIN (1: server on CPU 0, load generator on CPU 1), BUILD (1).
# Results: bench/target/results.txt (raw lines), bench/target/results.md, bench/target/p99.svg.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$ROOT/bench/target
SMOKE=0
[[ "${1:-}" == "--smoke" ]] && SMOKE=1

if [[ $SMOKE == 1 ]]; then
  REPS=${REPS:-1}; WARMUP=${WARMUP:-2}; STEP=${STEP:-2}; RATES=${RATES:-500,1000}
  SOCKETS=${SOCKETS:-50}; S2_COUNTS=${S2_COUNTS:-100,200}; S3_SECONDS=${S3_SECONDS:-1}
else
  REPS=${REPS:-3}; WARMUP=${WARMUP:-60}; STEP=${STEP:-6}; RATES=${RATES:-5000,10000,20000,30000,40000,50000}
  SOCKETS=${SOCKETS:-1000}; S2_COUNTS=${S2_COUNTS:-5000,10000}; S3_SECONDS=${S3_SECONDS:-5}
fi
PIN=${PIN:-1}
TARGETS=${TARGETS:-product tyrus ws product-nofix}
SCENARIOS=${SCENARIOS:-s1 s2 s3}
S3_WARMUP=${S3_WARMUP:-$WARMUP} # S3 posts to a task of its own first: S1's warm-up does not reach the HTTP path
BUILD=${BUILD:-1}
KEY=bench-key

log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
server_cpu() { if [[ $PIN == 1 ]]; then echo "taskset -c 0"; fi; }
client_cpu() { if [[ $PIN == 1 ]]; then echo "taskset -c 1"; fi; }

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

mkdir -p "$OUT/logs" "$OUT/probe-war"
if [[ $BUILD == 1 ]]; then
  log "building the product WAR, the bench tools and the Node peer"
  mvn -q -B package -DskipTests
  mvn -q -B dependency:copy@payara-micro-for-tests
  mvn -q -B dependency:build-classpath -Dmdep.outputFile="$OUT/provided.classpath" -Dmdep.includeScope=provided
  mvn -q -B -f bench/pom.xml package
  (cd bench/node && npm install --no-audit --no-fund --silent)
  # The bench build of the WAR: the product plus the control socket and in-process producer.
  rm -rf "$OUT/probe-war" && mkdir -p "$OUT/probe-war/WEB-INF/classes"
  javac -d "$OUT/probe-war/WEB-INF/classes" -cp "$ROOT/target/classes:$(cat "$OUT/provided.classpath")" \
    bench/probe/dev/statusmessenger/bench/*.java bench/src/main/java/dev/statusmessenger/bench/Pacer.java
  cp target/status-messenger.war "$OUT/status-messenger-bench.war"
  (cd "$OUT/probe-war" && jar uf "$OUT/status-messenger-bench.war" WEB-INF)
fi

wait_http() { # url pid name [curl option]: up once the URL answers (with -f: answers 2xx)
  for _ in $(seq 1 240); do
    if curl -s ${4:-} -o /dev/null "$1"; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then log "$3 died; see $OUT/logs/$3.log"; exit 1; fi
    sleep 0.5
  done
  log "$3 did not start"; exit 1
}

declare -A PORT PID
start_payara() { # name extra-options
  PORT[$1]=$(free_port)
  log "starting $1 on Payara Micro (port ${PORT[$1]})"
  $(server_cpu) java -Xms2g -Xmx2g -XX:+UseParallelGC $2 \
    -Dstatus-messenger.api-keys=$KEY -Dstatus-messenger.task-history-size=2000000 \
    -Djava.io.tmpdir="$OUT" -jar target/payara-micro.jar --nocluster --port "${PORT[$1]}" \
    --deploy "$OUT/status-messenger-bench.war" --contextroot / > "$OUT/logs/$1.log" 2>&1 &
  PID[$1]=$!; PIDS+=("$!")
}
for target in $TARGETS; do
  case $target in
    product) start_payara product "" ;;
    product-nofix) start_payara product-nofix "-Dstatus-messenger.tyrus-executor-fix=false" ;;
    tyrus)
      PORT[tyrus]=$(free_port)
      log "starting standalone Tyrus on Grizzly (port ${PORT[tyrus]})"
      $(server_cpu) java -Xms2g -Xmx2g -XX:+UseParallelGC -cp "$OUT/bench.jar:$OUT/lib/*" \
        dev.statusmessenger.bench.TyrusPeer "${PORT[tyrus]}" > "$OUT/logs/tyrus.log" 2>&1 &
      PID[tyrus]=$!; PIDS+=("$!") ;;
    ws)
      PORT[ws]=$(free_port)
      log "starting Node ws (port ${PORT[ws]})"
      $(server_cpu) node --expose-gc bench/node/ws-peer.mjs "${PORT[ws]}" > "$OUT/logs/ws.log" 2>&1 &
      PID[ws]=$!; PIDS+=("$!") ;;
  esac
done
for target in $TARGETS; do
  case $target in
    product*) wait_http "http://127.0.0.1:${PORT[$target]}/status-messenger.js" "${PID[$target]}" "$target" -f ;;
    *) wait_http "http://127.0.0.1:${PORT[$target]}/" "${PID[$target]}" "$target" ;;
  esac
done

LOADGEN="$(client_cpu) java -Xmx1g -cp $OUT/bench.jar:$OUT/lib/* dev.statusmessenger.bench.LoadGen"
RESULTS=$OUT/results.txt
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# REPS=$REPS WARMUP=$WARMUP STEP=$STEP RATES=$RATES SOCKETS=$SOCKETS PIN=$PIN load=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RESULTS"

[[ " $SCENARIOS " == *" s1 "* ]] || REPS=0
for rep in $(seq 1 "$REPS"); do
  for target in $TARGETS; do
    warm=0; [[ $rep == 1 ]] && warm=$WARMUP
    log "S1 fan-out: $target, repetition $rep of $REPS (warm-up ${warm}s)"
    $LOADGEN s1 target=$target rep=$rep port=${PORT[$target]} pid=${PID[$target]} sockets=$SOCKETS \
      step=$STEP rates=$RATES warmup=$warm | tee -a "$RESULTS"
  done
done
for target in $TARGETS; do
  [[ $target == product-nofix || " $SCENARIOS " != *" s2 "* ]] && continue
  log "S2 idle memory: $target"
  $LOADGEN s2 target=$target port=${PORT[$target]} pid=${PID[$target]} counts=$S2_COUNTS | tee -a "$RESULTS"
done
if [[ " $SCENARIOS " == *" s3 "* && " $TARGETS " == *" product "* ]]; then
  log "S3 ingest: product"
  $LOADGEN s3 port=${PORT[product]} key=$KEY seconds=$S3_SECONDS warmup=$S3_WARMUP | tee -a "$RESULTS"
fi
echo "# S4 cluster: not measured (no cluster support on this branch)" >> "$RESULTS"

CHECK=""; [[ $SMOKE == 1 ]] && CHECK=--check
java -cp "$OUT/bench.jar" dev.statusmessenger.bench.Report "$RESULTS" "$OUT/results.md" "$OUT/p99.svg" $CHECK
log "raw results: $RESULTS; table: $OUT/results.md; chart: $OUT/p99.svg"
