#!/usr/bin/env bash
# The status-messenger benchmark, side by side with its peers in one run (see docs/performance.md).
#
#   bench/run.sh            full run: builds, starts the product on Payara Micro, standalone Tyrus
#                           (Grizzly), Node ws and a plain JSR-356 endpoint on Payara Micro, warms
#                           each up, runs S1 (fan-out) REPS times alternating targets, S2 (idle
#                           memory), S3 (HTTP ingest, product only),
#                           S4 (cluster, product only: two clustered Payara Micro nodes started for
#                           it, then the product's single node), and prints the table of medians
#                           with ratios (~30 minutes with S4; S4 alone: SCENARIOS=s4
#                           TARGETS=product bench/run.sh, ~8 minutes)
#   bench/run.sh --smoke    a quick correctness run (small load, no timing goals): fails only
#                           where a message was lost
#
# Environment: REPS (3), WARMUP seconds (60; S3_WARMUP, the same by default, for S3's HTTP path; REP_WARMUP, 12, for each later S1 repetition), STEP seconds per rate (6), RATES, SOCKETS (1000),
# S2_COUNTS (5000,10000), S2_HISTO (unset; N prints the N classes whose heap grew most per idle socket, from jcmd's class histogram), SCENARIOS ("s1 s2 s3 s4"), TARGETS ("product tyrus ws product-nofix payara-plain": product-nofix is the product with
# status-messenger.tyrus-executor-fix=false, to show what the fix buys; payara-plain is standalone Tyrus's endpoint deployed alone on the
# same Payara Micro, what plain JSR-356 gives there), PIN (1: servers on CPU 0, load generator on CPU 1), BUILD (1),
# PAYARA_OPTS (more Payara Micro options for every Payara Micro the bench starts, e.g. "--prebootcommandfile FILE"), LOADGEN_JAVA_OPTS (the load generator's: "-Xms1g -Xmx1g -XX:+UseZGC"), SERVER_JAVA_OPTS (the Java servers' JVM options, the same for Payara Micro and Tyrus: "-Xms2g -Xmx2g -XX:+UseG1GC -XX:MaxGCPauseMillis=10").
# S4: S4_RATE messages/s (1000) to S4_SOCKETS sockets (100) for S4_SECONDS (20) after S4_WARMUP seconds (60: Payara's JIT needs about a minute) on each
# path, from S4_PRODUCERS producer threads (20, staggered); the single-node row uses the product target (started for S4 if not in TARGETS).
# With PIN=1, S4 also runs the cross-node path once more with the two nodes let go of CPU 0 (the PIN=0 setting), as a row of its own.
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
  S4_RATE=${S4_RATE:-200}; S4_SOCKETS=${S4_SOCKETS:-20}; S4_SECONDS=${S4_SECONDS:-3}; S4_WARMUP=${S4_WARMUP:-2}
else
  REPS=${REPS:-3}; WARMUP=${WARMUP:-60}; STEP=${STEP:-6}; RATES=${RATES:-5000,10000,20000,30000,40000,50000}
  SOCKETS=${SOCKETS:-1000}; S2_COUNTS=${S2_COUNTS:-5000,10000}; S3_SECONDS=${S3_SECONDS:-5}
  S4_RATE=${S4_RATE:-1000}; S4_SOCKETS=${S4_SOCKETS:-100}; S4_SECONDS=${S4_SECONDS:-20}; S4_WARMUP=${S4_WARMUP:-60}
fi
PIN=${PIN:-1}
TARGETS=${TARGETS:-product tyrus ws product-nofix payara-plain}
SCENARIOS=${SCENARIOS:-s1 s2 s3 s4}
S4_PRODUCERS=${S4_PRODUCERS:-20} # a grid append takes several ms: one thread alone cannot pace 1,000/s (see docs/performance.md)
REP_WARMUP=${REP_WARMUP:-12} # each later repetition's warm-up: every repetition is a new load generator, whose JIT needs it too
S3_WARMUP=${S3_WARMUP:-$WARMUP} # S3 posts to a task of its own first: S1's warm-up does not reach the HTTP path
BUILD=${BUILD:-1}
# The load generator's JVM options. ZGC, because a pause of the load generator reads as the server's
# latency: on the one CPU taskset gives it, the JVM's default is the Serial collector, whose young
# pauses (40-190 ms, two in every repetition) broke S1's p99 at whatever step they fell in. Each
# result line says how long the load generator itself paused in it (loadgen_gc_pause_ms).
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseZGC}
PAYARA_OPTS=${PAYARA_OPTS:-} # more Payara Micro options for every Payara Micro started (e.g. --prebootcommandfile FILE)
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Xms2g -Xmx2g -XX:+UseG1GC -XX:MaxGCPauseMillis=10} # the Java servers' (Payara Micro's and Tyrus's) JVM options
KEY=bench-key
SECRET=bench-token-secret-of-32-bytes-x # shared by the cluster's nodes: a token minted on one opens sockets on the other

log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
server_cpu() { if [[ $PIN == 1 ]]; then echo "taskset -c 0"; fi; }
client_cpu() { if [[ $PIN == 1 ]]; then echo "taskset -c 1"; fi; }

PIDS=()
TICKS_PER_S=$(getconf CLK_TCK)
server_ticks() { # CPU ticks used so far by every server this run started
  local total=0 pid
  for pid in "${PIDS[@]}"; do
    [[ -r /proc/$pid/stat ]] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
settle() { # waits (30 s at most) until the servers together use under a tenth of a core: a step
  # never starts beside what the one before left running (a saturated target's backlog, a collection)
  local waited=0 before
  while (( waited < 30 )); do
    before=$(server_ticks); sleep 1; waited=$((waited + 1))
    (( ($(server_ticks) - before) * 10 < TICKS_PER_S )) && break
  done
  (( waited > 1 )) && log "waited ${waited}s for the servers to go quiet before: $*"
  return 0
}
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
  # payara-plain: standalone Tyrus's endpoint and control socket, alone in a WAR for Payara Micro.
  rm -rf "$OUT/plain-war" && mkdir -p "$OUT/plain-war/WEB-INF/classes/dev/statusmessenger/bench"
  cp "$OUT"/classes/dev/statusmessenger/bench/{TyrusPeer,Pacer}*.class "$OUT/plain-war/WEB-INF/classes/dev/statusmessenger/bench/"
  (cd "$OUT/plain-war" && jar cf "$OUT/payara-plain.war" WEB-INF)
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
start_payara() { # name java-options [Payara Micro options: --nocluster unless given] [WAR: the bench build of the product unless given]
  PORT[$1]=$(free_port)
  log "starting $1 on Payara Micro (port ${PORT[$1]})"
  $(server_cpu) java $SERVER_JAVA_OPTS $2 \
    -Dstatus-messenger.api-keys=$KEY -Dstatus-messenger.token-secret=$SECRET -Dstatus-messenger.task-history-size=2000000 \
    -Djava.io.tmpdir="$OUT" -jar target/payara-micro.jar ${3:---nocluster} --port "${PORT[$1]}" \
    --deploy "${4:-$OUT/status-messenger-bench.war}" --contextroot / $PAYARA_OPTS > "$OUT/logs/$1.log" 2>&1 &
  PID[$1]=$!; PIDS+=("$!")
}
wait_log() { # name text: until the node's log holds the text
  for _ in $(seq 1 240); do
    if grep -q "$2" "$OUT/logs/$1.log"; then return 0; fi
    if ! kill -0 "${PID[$1]}" 2>/dev/null; then log "$1 died; see $OUT/logs/$1.log"; exit 1; fi
    sleep 0.5
  done
  log "$1 never logged '$2'; see $OUT/logs/$1.log"; exit 1
}
# S4's single-node row runs on the product target: start it even where TARGETS leaves it out.
STARTS=$TARGETS
[[ " $SCENARIOS " == *" s4 "* && " $TARGETS " != *" product "* ]] && STARTS="$TARGETS product"
for target in $STARTS; do
  case $target in
    product) start_payara product "" ;;
    product-nofix) start_payara product-nofix "-Dstatus-messenger.tyrus-executor-fix=false" ;;
    payara-plain) start_payara payara-plain "" "" "$OUT/payara-plain.war" ;;
    tyrus)
      PORT[tyrus]=$(free_port)
      log "starting standalone Tyrus on Grizzly (port ${PORT[tyrus]})"
      $(server_cpu) java $SERVER_JAVA_OPTS -cp "$OUT/bench.jar:$OUT/lib/*" \
        dev.statusmessenger.bench.TyrusPeer "${PORT[tyrus]}" > "$OUT/logs/tyrus.log" 2>&1 &
      PID[tyrus]=$!; PIDS+=("$!") ;;
    ws)
      PORT[ws]=$(free_port)
      log "starting Node ws (port ${PORT[ws]})"
      $(server_cpu) node --expose-gc bench/node/ws-peer.mjs "${PORT[ws]}" > "$OUT/logs/ws.log" 2>&1 &
      PID[ws]=$!; PIDS+=("$!") ;;
  esac
done
for target in $STARTS; do
  case $target in
    product*) wait_http "http://127.0.0.1:${PORT[$target]}/status-messenger.js" "${PID[$target]}" "$target" -f ;;
    *) wait_http "http://127.0.0.1:${PORT[$target]}/" "${PID[$target]}" "$target" ;;
  esac
done

UNPINNED_LOADGEN="java $LOADGEN_JAVA_OPTS -cp $OUT/bench.jar:$OUT/lib/* dev.statusmessenger.bench.LoadGen"
LOADGEN="$(client_cpu) $UNPINNED_LOADGEN"
RESULTS=$OUT/results.txt
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# REPS=$REPS WARMUP=$WARMUP STEP=$STEP RATES=$RATES SOCKETS=$SOCKETS PIN=$PIN load=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# S4_RATE=$S4_RATE S4_SOCKETS=$S4_SOCKETS S4_SECONDS=$S4_SECONDS S4_WARMUP=$S4_WARMUP S4_PRODUCERS=$S4_PRODUCERS"
} > "$RESULTS"

[[ " $SCENARIOS " == *" s1 "* ]] || REPS=0
for rep in $(seq 1 "$REPS"); do
  for target in $TARGETS; do
    warm=$REP_WARMUP; [[ $rep == 1 ]] && warm=$WARMUP
    settle "S1 $target repetition $rep"
    log "S1 fan-out: $target, repetition $rep of $REPS (warm-up ${warm}s)"
    $LOADGEN s1 target=$target rep=$rep port=${PORT[$target]} pid=${PID[$target]} sockets=$SOCKETS \
      step=$STEP rates=$RATES warmup=$warm | tee -a "$RESULTS"
  done
done
for target in $TARGETS; do
  [[ $target == product-nofix || " $SCENARIOS " != *" s2 "* ]] && continue
  settle "S2 $target"
  log "S2 idle memory: $target"
  $LOADGEN s2 target=$target port=${PORT[$target]} pid=${PID[$target]} counts=$S2_COUNTS ${S2_HISTO:+histo=$S2_HISTO} | tee -a "$RESULTS"
done
if [[ " $SCENARIOS " == *" s3 "* && " $TARGETS " == *" product "* ]]; then
  settle "S3"
  log "S3 ingest: product"
  $LOADGEN s3 port=${PORT[product]} pid=${PID[product]} key=$KEY seconds=$S3_SECONDS warmup=$S3_WARMUP | tee -a "$RESULTS"
fi
if [[ " $SCENARIOS " == *" s4 "* ]]; then
  # Two nodes of the bench WAR clustered on loopback, started only now so S1-S3 run beside no idle
  # grid; both on the servers' CPU (PIN=1). Grid ports are free ports listed one by one (a range
  # crashes Payara), the cluster name is this run's own, and host-aware partitioning is off so the
  # maps keep their backup on the other process of this host (docs/cluster.md).
  HZ_A=$(free_port); HZ_B=$(free_port)
  GRID="--clustermode tcpip:127.0.0.1:$HZ_A,127.0.0.1:$HZ_B --interfaces 127.0.0.1 --clustername sm-bench-$$-$(date +%s) --nohostaware"
  start_payara node-a "" "$GRID --startport $HZ_A --name node-a"
  wait_log node-a "DG Size" # A's grid is up before B looks for it: two nodes starting at once may each form a cluster
  start_payara node-b "" "$GRID --startport $HZ_B --name node-b"
  for node in node-a node-b; do
    wait_http "http://127.0.0.1:${PORT[$node]}/status-messenger.js" "${PID[$node]}" $node -f
    wait_log $node "runs as a cluster" # the product's own word that its streams are in the grid
  done
  wait_log node-a "DG Size: 2"; wait_log node-b "DG Size: 2" # Payara's: both members found each other
  S4_LOAD="s4 rate=$S4_RATE sockets=$S4_SOCKETS seconds=$S4_SECONDS warmup=$S4_WARMUP producers=$S4_PRODUCERS"
  S4="$LOADGEN $S4_LOAD"
  log "S4 cluster: producer on node B, $S4_SOCKETS sockets on node A, $S4_RATE/s"
  $S4 path=cross-node expect=grid port=${PORT[node-a]} producer-port=${PORT[node-b]} pids=${PID[node-a]},${PID[node-b]} \
    | tee -a "$RESULTS"
  log "S4 cluster: producer and sockets on node A"
  $S4 path=same-node expect=grid port=${PORT[node-a]} pids=${PID[node-a]},${PID[node-b]} | tee -a "$RESULTS"
  if [[ $PIN == 1 ]]; then
    # The same nodes let go of CPU 0 (every thread: taskset -a), and a load generator on no CPU of
    # its own: the cross-node path again as PIN=0 runs it, beside the pinned row, not instead of it.
    for node in node-a node-b; do taskset -a -p -c "0-$(( $(nproc) - 1 ))" "${PID[$node]}" > /dev/null; done
    log "S4 cluster, the nodes free to use every core: producer on node B, sockets on node A"
    $UNPINNED_LOADGEN $S4_LOAD path=cross-node-unpinned expect=grid port=${PORT[node-a]} producer-port=${PORT[node-b]} \
      pids=${PID[node-a]},${PID[node-b]} | tee -a "$RESULTS"
  fi
  kill "${PID[node-a]}" "${PID[node-b]}" 2>/dev/null || true # the single node gets the CPU to itself
  wait "${PID[node-a]}" "${PID[node-b]}" 2>/dev/null || true
  log "S4 one node alone (--nocluster): producer and sockets on the product"
  $S4 path=single expect=memory port=${PORT[product]} pids=${PID[product]} | tee -a "$RESULTS"
fi

CHECK=""; [[ $SMOKE == 1 ]] && CHECK="--check"
java -cp "$OUT/bench.jar" dev.statusmessenger.bench.Report "$RESULTS" "$OUT/results.md" "$OUT/p99.svg" $CHECK \
  ${CHECK:+"$SCENARIOS"}
log "raw results: $RESULTS; table: $OUT/results.md; chart: $OUT/p99.svg"
