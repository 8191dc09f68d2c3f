#!/usr/bin/env bash
# `make bench` (second part) and `make bench-deliveries`: how fast one Nexus.Worker delivers webhooks.
# Builds Release, starts a receiver that answers every POST with 200 at once (bench/Nexus.Bench.Receiver),
# measures two ceilings against that receiver with POSTs of the same size (each after a warm-up): HttpClient
# with as many in flight as the worker keeps, and a literally plain loop (one POST awaited after the other).
# Seeds pending deliveries for a few endpoints at the receiver in a schema of its own (bench_dlv), starts one
# Nexus.Worker (Release, as `make run` starts it, with loopback and plain http allowed) and times it draining
# them (from the first POST the receiver counts to the moment none is left pending in the database): once just after
# start, while its code is still being compiled, then warm, like the ceilings, on more seeded while it
# idles. Samples the worker's resident memory at the start, middle and end of each. Prints one Markdown
# table with the machine and the date. A benchmark, not a test: it reports, it does not judge.
#
# Environment (all optional):
#   NEXUS_DATABASE               an existing database's Npgsql connection string (schema "bench_dlv" is
#                                dropped and recreated in it)
#   NEXUS_BENCH_RECEIVER_PORT    loopback port of the receiver (default 56290)
#   BENCH_DELIVERIES             pending deliveries the worker drains just after start (default 20000)
#   BENCH_WARM_DELIVERIES        pending deliveries it drains then, warm (default 50000: about as many
#                                seconds as a ceiling's measurement)
#   BENCH_DELIVERY_ENDPOINTS     endpoints they are spread over (default 8: the worker's default
#                                per-endpoint limit of 16 in flight times 8 lets it reach its 128)
#   BENCH_MEMORY_RUN             1 adds a run of 100,000 deliveries (BENCH_MEMORY_DELIVERIES) to show the
#                                worker's memory stays flat
#   BENCH_DURATION, BENCH_WARMUP seconds of each ceiling measurement and its warm-up (default 10 and 3)
#   BENCH_CONNECTIONS            requests in flight in the first ceiling loop (default 128, as many as the
#                                worker keeps; the second has 1)
#   BENCH_WORKER_SETTINGS        extra worker settings, space-separated NAME=value pairs in environment
#                                form (e.g. "Nexus__Webhooks__Worker__Concurrency=256")
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

PORT="${NEXUS_BENCH_RECEIVER_PORT:-56290}"
COUNT="${BENCH_DELIVERIES:-20000}"
WARM_COUNT="${BENCH_WARM_DELIVERIES:-50000}"
ENDPOINTS="${BENCH_DELIVERY_ENDPOINTS:-8}"
DURATION="${BENCH_DURATION:-10}"
WARMUP="${BENCH_WARMUP:-3}"
CONNECTIONS="${BENCH_CONNECTIONS:-128}"
STALL_SECONDS=30
SCHEMA=bench_dlv
RECEIVER="http://127.0.0.1:$PORT"
WORK="$ROOT/.data/bench"
SEED_DLL="$ROOT/bench/Nexus.Bench.Seed/bin/Release/net10.0/Nexus.Bench.Seed.dll"
RECEIVER_DLL="$ROOT/bench/Nexus.Bench.Receiver/bin/Release/net10.0/Nexus.Bench.Receiver.dll"
WORKER_DIR="$ROOT/src/Nexus.Worker"
WORKER_DLL="$WORKER_DIR/bin/Release/net10.0/Nexus.Worker.dll"

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
command -v curl >/dev/null 2>&1 || die "curl is not installed (Debian/Ubuntu: sudo apt-get install curl)"
if curl -s -o /dev/null --max-time 1 "$RECEIVER/count"; then
  die "something already answers on $RECEIVER; set NEXUS_BENCH_RECEIVER_PORT to a free port"
fi

# --- build, database --------------------------------------------------------------------------

log "building Release (worker, receiver, seed)"
dotnet build "$WORKER_DIR" -c Release -v q -nologo >&2
dotnet build "$ROOT/bench/Nexus.Bench.Receiver" -c Release -v q -nologo >&2
dotnet build "$ROOT/bench/Nexus.Bench.Seed" -c Release -v q -nologo >&2

DB="$(scripts/db.sh ensure)"
mkdir -p "$WORK"
export ConnectionStrings__Nexus="$DB"
export Nexus__Schema="$SCHEMA"
# A key for this run only: the seeded secrets are worthless outside it.
Nexus__SecretKey="$(head -c 32 /dev/urandom | base64)"
export Nexus__SecretKey

RECEIVER_PID="" WORKER_PID=""
stop() { # pid
  if [[ -n $1 ]] && kill -0 "$1" 2>/dev/null; then
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}
cleanup() {
  stop "$WORKER_PID"
  stop "$RECEIVER_PID"
  dotnet "$SEED_DLL" drop >/dev/null 2>&1 || log "could not drop schema '$SCHEMA'"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the receiver -----------------------------------------------------------------------------

log "starting the receiver on $RECEIVER; its log: $WORK/receiver.log"
dotnet "$RECEIVER_DLL" receive --port "$PORT" </dev/null >"$WORK/receiver.log" 2>&1 &
RECEIVER_PID=$!
for ((i = 0; i < 150; i++)); do
  curl -s -o /dev/null --max-time 1 "$RECEIVER/count" && break
  kill -0 "$RECEIVER_PID" 2>/dev/null || { tail -n 20 "$WORK/receiver.log" >&2; die "the receiver exited"; }
  sleep 0.2
done
received() { curl -s --max-time 5 "$RECEIVER/count" || echo 0; }
[[ $(received) =~ ^[0-9]+$ ]] || die "the receiver did not answer on $RECEIVER/count within 30 s"

# --- measuring --------------------------------------------------------------------------------

PAYLOAD_BYTES=""
seed() { # count [append]
  local name value
  PAYLOAD_BYTES=""
  while IFS='=' read -r name value; do
    [[ $name == BENCH_DLV_PAYLOAD_BYTES ]] && PAYLOAD_BYTES="$value"
  done < <(dotnet "$SEED_DLL" deliveries "$1" "$ENDPOINTS" "$RECEIVER" ${2:-})
  [[ -n $PAYLOAD_BYTES ]] || die "the seed printed no payload size"
}

CEILINGS=() PLAIN_CEILINGS=()
ceiling() { # in-flight; prints the POSTs/s
  local out rps errors
  out="$(dotnet "$RECEIVER_DLL" ceiling --url "$RECEIVER/hooks/ceiling" --concurrency "$1" \
    --seconds "$DURATION" --warmup "$WARMUP" --bytes "$PAYLOAD_BYTES")"
  rps="$(sed -n 's/^CEILING_RPS=//p' <<<"$out")"
  errors="$(sed -n 's/^CEILING_ERRORS=//p' <<<"$out")"
  [[ -n $rps ]] || die "the ceiling loop printed no result: $out"
  ((errors > 0)) && { rps+="*"; log "ceiling: $errors non-2xx answers or errors"; }
  log "ceiling: $rps POSTs/s ($1 in flight, $PAYLOAD_BYTES-byte bodies)"
  echo "$rps"
}
# Both ceilings: HttpClient with the worker's concurrency, and the plain loop (one POST after the other).
ceilings() {
  local many one
  many="$(ceiling "$CONNECTIONS")" || exit 1
  one="$(ceiling 1)" || exit 1
  CEILINGS+=("$many") PLAIN_CEILINGS+=("$one")
  [[ $many$one == *'*'* ]] && FLAGGED=1
  return 0
}

# One Nexus.Worker (Release, as `make run` starts it, with loopback and plain http allowed); sets WORKER_PID.
start_worker() { # label
  log "$1: starting Nexus.Worker (Release); its log: $WORK/worker.log"
  # shellcheck disable=SC2086 # BENCH_WORKER_SETTINGS is a list of NAME=value words
  (cd "$WORKER_DIR" && exec env DOTNET_ENVIRONMENT=Benchmark ASPNETCORE_ENVIRONMENT=Benchmark \
    Nexus__Webhooks__AllowHttp=true Nexus__Webhooks__AllowedPrivateNetworks=127.0.0.0/8 \
    ${BENCH_WORKER_SETTINGS:-} \
    dotnet "$WORKER_DLL" </dev/null >"$WORK/worker.log" 2>&1) &
  WORKER_PID=$!
}

# The receiver's count before the worker gets deliveries to send: a warm worker starts on them the moment the
# seed commits, before the watch is running, so the watch counts POSTs from this mark, taken before the seed.
mark() { RECEIVED_MARK="$(received)"; }

# Times the running worker until TOTAL deliveries of the schema have succeeded, counting from FROM already
# succeeded and from the receiver's count at the last mark; appends one figures line (count|rps|seconds|rss start|middle|end|peak|ok|failed|duplicates) to FIGURES.
FIGURES=()
measure() { # total from label
  local total="$1" from="$2" before after name value
  W_SUCCEEDED=0 W_FAILED=0 W_STALLED=1 W_RPS=0 W_SECONDS=0 W_RSS_START="?" W_RSS_MIDDLE="?" W_RSS_END="?" W_RSS_PEAK="?"
  before="$RECEIVED_MARK"
  while IFS='=' read -r name value; do
    case "$name" in
      BENCH_DLV_SUCCEEDED) W_SUCCEEDED="$value" ;; BENCH_DLV_FAILED) W_FAILED="$value" ;;
      BENCH_DLV_STALLED) W_STALLED="$value" ;; BENCH_DLV_RPS) W_RPS="$value" ;; BENCH_DLV_SECONDS) W_SECONDS="$value" ;;
      BENCH_DLV_RSS_START) W_RSS_START="$value" ;; BENCH_DLV_RSS_MIDDLE) W_RSS_MIDDLE="$value" ;;
      BENCH_DLV_RSS_END) W_RSS_END="$value" ;; BENCH_DLV_RSS_PEAK) W_RSS_PEAK="$value" ;;
    esac
  done < <(dotnet "$SEED_DLL" watch "$RECEIVER" "$before" "$WORKER_PID" "$total" "$STALL_SECONDS" "$from")
  after="$(received)"
  W_DUPLICATES=$((after - before - W_SUCCEEDED))
  if ((W_STALLED)); then
    FLAGGED=1
    W_RPS+="*"
    log "$3: the worker stopped making progress (or exited) after $W_SUCCEEDED succeeded and $W_FAILED failed of $((total - from));"
    log "    a build without the delivery engine drains nothing. Last lines of $WORK/worker.log:"
    tail -n 5 "$WORK/worker.log" >&2 || true
  fi
  ((W_FAILED > 0)) && { FLAGGED=1; log "$3: $W_FAILED deliveries failed"; }
  log "$3: $W_RPS deliveries/s over $W_SECONDS s; RSS $W_RSS_START / $W_RSS_MIDDLE / $W_RSS_END MiB (peak $W_RSS_PEAK); receiver got $((after - before)) POSTs"
  FIGURES+=("$((total - from))|$W_RPS|$W_SECONDS|$W_RSS_START|$W_RSS_MIDDLE|$W_RSS_END|$W_RSS_PEAK|$W_SUCCEEDED|$W_FAILED|$W_DUPLICATES")
}

FLAGGED=0
ROWS=()
average() { printf '%s\n' "$@" | tr -d '*' | awk '{ s += $1; n++ } END { printf "%.0f", s / n }'; }
percent() { awk -v w="$1" -v c="$2" 'BEGIN { printf "%.0f %%", (c > 0 ? 100 * w / c : 0) }'; }
row() { # label figures-line
  local count rps seconds r0 r1 r2 peak ok failed dup
  IFS='|' read -r count rps seconds r0 r1 r2 peak ok failed dup <<<"$2"
  ROWS+=("| one Nexus.Worker, $1: $(printf "%'d" "$count") deliveries to $ENDPOINTS endpoints | $rps | $seconds | $r0 / $r1 / $r2 ($peak) | $ok ok, $failed failed, $dup duplicates |")
}
ratio_row() { # label figures-line
  local rps
  rps="$(cut -d'|' -f2 <<<"$2")"
  ROWS+=("| **worker ÷ ceiling**, $1 (target ≥ 50 %): $CONNECTIONS in flight · plain loop; **deliveries/s** (target ≥ 2,000) | **$(percent "${rps%\*}" "$(average "${CEILINGS[@]}")")** · **$(percent "${rps%\*}" "$(average "${PLAIN_CEILINGS[@]}")")**; **${rps%\*}** | | | |")
}

LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
log "seeding schema '$SCHEMA': $COUNT pending deliveries over $ENDPOINTS endpoints at $RECEIVER"
seed "$COUNT"
dotnet "$SEED_DLL" checkpoint
log "measuring: ceilings, worker (just started, then warm), ceilings"
ceilings
mark
start_worker "worker"
measure "$COUNT" 0 "worker, just started"
# The ceilings are measured after a warm-up; so is the worker's second figure: the same worker, idle once the
# first deliveries are drained, gets more (a second org's, committed at once), its JIT warm by then.
log "worker, warm: seeding $WARM_COUNT more pending deliveries while it idles"
mark
seed "$WARM_COUNT" append
measure $((COUNT + WARM_COUNT)) "$COUNT" "worker, warm"
stop "$WORKER_PID"
WORKER_PID=""
ceilings
row "just started (JIT warm-up)" "${FIGURES[0]}"
row "warm (the next ones)" "${FIGURES[1]}"
ratio_row "warm" "${FIGURES[1]}"
ratio_row "just started" "${FIGURES[0]}"
if [[ ${BENCH_MEMORY_RUN:-0} == 1 ]]; then
  MEMORY_COUNT="${BENCH_MEMORY_DELIVERIES:-100000}"
  log "memory run: seeding $MEMORY_COUNT deliveries"
  seed "$MEMORY_COUNT"
  mark
  start_worker "memory run"
  measure "$MEMORY_COUNT" 0 "memory run"
  stop "$WORKER_PID"
  WORKER_PID=""
  row "just started, memory run" "${FIGURES[2]}"
  ratio_row "memory run" "${FIGURES[2]}"
fi

# --- the report -------------------------------------------------------------------------------

cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
[[ -n $cpu ]] || cpu="$(uname -m)"
runtime="$(dotnet --list-runtimes | awk '/^Microsoft.NETCore.App/ { v = $2 } END { print v }')"

echo
echo "Nexus delivery benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Machine: $cpu, $(nproc) cores; .NET $runtime; PostgreSQL, the receiver and the sender on the same machine;"
echo "load average $LOADAVG before the run, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') after."
echo
echo "| sender | deliveries/s | drain s | worker RSS MiB start / middle / end (peak) | outcome |"
echo "|---|---:|---:|---:|---|"
echo "| ceiling: HttpClient loop, $CONNECTIONS in flight, $PAYLOAD_BYTES-byte POSTs (before · after the worker) | ${CEILINGS[0]} · ${CEILINGS[1]} | | | |"
echo "| ceiling: plain loop, one $PAYLOAD_BYTES-byte POST awaited after the other (before · after) | ${PLAIN_CEILINGS[0]} · ${PLAIN_CEILINGS[1]} | | | |"
printf '%s\n' "${ROWS[@]}"
echo
echo "Receiver: Kestrel on loopback answering 200 at once. Ceilings: ${DURATION} s each after a ${WARMUP} s warm-up, no database,"
echo "no signing; the plain loop is the issue's \"plain loop of HttpClient POSTs\" taken literally. Worker: deliveries/s"
echo "from the first POST the receiver counted (polled every 50 ms) to the moment none was left pending in the database"
echo "(asked once the receiver had them all), so start-up is not counted: just started (its code still being compiled),"
echo "then warm, on more seeded while it idled; RSS from /proc/<pid>/status at the first POST, half-way and the end;"
echo "peak is VmHWM."
echo "Duplicates: POSTs the receiver got beyond the deliveries that succeeded."
if ((FLAGGED)); then
  echo "* this run had errors, failures or a worker that stopped draining; its figures are not comparable."
fi
