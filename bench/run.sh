#!/usr/bin/env bash
# `make bench`: what the API pipeline (API-key authentication, rate limit, request log) costs.
# Builds Release, seeds a schema of its own (bench) in the private PostgreSQL (or NEXUS_DATABASE),
# starts Nexus.Web in Release on loopback with the ceiling routes on (Nexus:Bench:Ceiling, see
# src/Nexus.Web/Infrastructure/Bench/BenchRoutes.cs), drives it with wrk, and prints one Markdown
# table with the machine and the date. A benchmark, not a test: it reports, it does not judge.
#
# Environment (all optional):
#   NEXUS_DATABASE      an existing database's Npgsql connection string (schema "bench" is
#                       dropped and recreated in it)
#   NEXUS_BENCH_PORT    loopback port of the app under test (default 5090)
#   BENCH_DURATION      seconds each variant is measured for per round, in two slices (default 10)
#   BENCH_ROUNDS        rounds of ceiling/full/full/ceiling slices per saturated measurement (default 2)
#   BENCH_HALF_ROUNDS   the same at half load, where the p99 target is judged (default 4)
#   BENCH_WARMUP        seconds of warm-up before each measured run (default 3)
#   BENCH_JIT_WARMUP    at least this many seconds of traffic over all four routes before anything
#                       is measured, and on until the rate settles, so the JIT has compiled the hot
#                       paths at their final tier (default 32)
#   BENCH_CONNECTIONS   wrk connections at saturation (default 64)
#   BENCH_STEAL_LIMIT   seconds of CPU the hypervisor may take from the machine during a slice
#                       (steal) before the slice is measured again, at most twice (default 0.2)
#   BENCH_APP_SETTINGS  extra settings for the app, space-separated NAME=value pairs in
#                       environment form (e.g. "Nexus__Something__Else=1")
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

PORT="${NEXUS_BENCH_PORT:-5090}"
DURATION="${BENCH_DURATION:-10}"
ROUNDS="${BENCH_ROUNDS:-2}"
HALF_ROUNDS="${BENCH_HALF_ROUNDS:-4}"
WARMUP="${BENCH_WARMUP:-3}"
JIT_WARMUP="${BENCH_JIT_WARMUP:-32}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
STEAL_LIMIT="${BENCH_STEAL_LIMIT:-0.2}"
THREADS=2
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { printf 'bench: error: BENCH_ROUNDS must be a whole number of at least 1, not "%s"\n' "$ROUNDS" >&2; exit 2; }
[[ $STEAL_LIMIT =~ ^[0-9]+([.][0-9]+)?$ ]] || { printf 'bench: error: BENCH_STEAL_LIMIT must be a number of seconds, not "%s"\n' "$STEAL_LIMIT" >&2; exit 2; }
[[ $HALF_ROUNDS =~ ^[1-9][0-9]*$ ]] || { printf 'bench: error: BENCH_HALF_ROUNDS must be a whole number of at least 1, not "%s"\n' "$HALF_ROUNDS" >&2; exit 2; }
SCHEMA=bench
BASE="http://127.0.0.1:$PORT"
WORK="$ROOT/.data/bench"
LUA="$ROOT/bench/wrk/notes.lua"
SEED_DLL="$ROOT/bench/Nexus.Bench.Seed/bin/Release/net10.0/Nexus.Bench.Seed.dll"
WEB_DIR="$ROOT/src/Nexus.Web"
WEB_DLL="$WEB_DIR/bin/Release/net10.0/Nexus.Web.dll"

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# --- tools ------------------------------------------------------------------------------------

if ! command -v wrk >/dev/null 2>&1; then
  if [[ ${EUID:-$(id -u)} -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "wrk not found; installing the 'wrk' package with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update && apt-get install -y wrk; } >&2 || die "apt-get install wrk failed"
  else
    die "wrk is not installed. Debian/Ubuntu: sudo apt-get install wrk   (macOS: brew install wrk)"
  fi
fi
command -v curl >/dev/null 2>&1 || die "curl is not installed (Debian/Ubuntu: sudo apt-get install curl)"

if curl -s -o /dev/null --max-time 1 "$BASE/"; then
  die "something already answers on $BASE; set NEXUS_BENCH_PORT to a free port"
fi

# --- build, database, seed --------------------------------------------------------------------

log "building Release"
dotnet build "$WEB_DIR" -c Release -v q -nologo >&2
dotnet build "$ROOT/bench/Nexus.Bench.Seed" -c Release -v q -nologo >&2

DB="$(scripts/db.sh ensure)"
mkdir -p "$WORK"
export ConnectionStrings__Nexus="$DB"
export Nexus__Schema="$SCHEMA"
# A pepper for this run only: the seeded key is worthless outside it.
Nexus__KeyPepper="bench-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
export Nexus__KeyPepper
Nexus__SecretKey="$(head -c 32 /dev/urandom | base64)"
export Nexus__SecretKey

log "seeding schema '$SCHEMA' (a Pro org, one live key, one note)"
BENCH_ORG_ID="" BENCH_NOTE_ID="" BENCH_KEY="" BENCH_PG_VERSION=""
while IFS='=' read -r name value; do
  case "$name" in
    BENCH_ORG_ID | BENCH_NOTE_ID | BENCH_KEY | BENCH_PG_VERSION) printf -v "$name" '%s' "$value" ;;
  esac
done < <(dotnet "$SEED_DLL" seed)
[[ -n $BENCH_ORG_ID && -n $BENCH_NOTE_ID && -n $BENCH_KEY ]] || die "the seed printed no org, note or key"

# --- the app under test -----------------------------------------------------------------------

APP=""
cleanup() {
  if [[ -n $APP ]] && kill -0 "$APP" 2>/dev/null; then
    kill -TERM "$APP" 2>/dev/null || true
    wait "$APP" 2>/dev/null || true
  fi
  dotnet "$SEED_DLL" drop >/dev/null 2>&1 || log "could not drop schema '$SCHEMA'"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "starting Nexus.Web (Release) on $BASE; its log: $WORK/web.log"
# A non-Production environment of its own: the ceiling routes are refused in Production.
# wrk sends everything from one IP: its per-minute limit is raised so that it never refuses;
# the limiter still runs, counts and answers with its headers on every request.
# shellcheck disable=SC2086 # BENCH_APP_SETTINGS is a list of NAME=value words
(cd "$WEB_DIR" && exec env ASPNETCORE_ENVIRONMENT=Benchmark DOTNET_ENVIRONMENT=Benchmark \
  Nexus__Bench__Ceiling=true Nexus__Bench__OrgId="$BENCH_ORG_ID" Nexus__Bench__Mode=live \
  Nexus__RateLimits__PerIpPerMinute=2000000000 \
  Nexus__Plans__Pro__PerMinute=2000000000 Nexus__Plans__Pro__PerDay=2000000000 \
  ${BENCH_APP_SETTINGS:-} \
  dotnet "$WEB_DLL" --urls "$BASE" </dev/null >"$WORK/web.log" 2>&1) &
APP=$!
for ((i = 0; i < 300; i++)); do
  curl -s -o /dev/null --max-time 1 "$BASE/healthz" && break
  kill -0 "$APP" 2>/dev/null || { tail -n 20 "$WORK/web.log" >&2; die "Nexus.Web exited; see $WORK/web.log"; }
  sleep 0.2
done
curl -s -o /dev/null --max-time 1 "$BASE/healthz" || die "Nexus.Web did not answer on $BASE/healthz within 60 s"

FULL_GET="$BASE/api/v1/notes/$BENCH_NOTE_ID"
CEIL_GET="$BASE/api/bench/notes/$BENCH_NOTE_ID"
FULL_POST="$BASE/api/v1/notes"
CEIL_POST="$BASE/api/bench/notes"
POST_BODY='{"title":"Preflight","body":"Checking the route before the benchmark."}'

# Every route must answer as it will under load before anything is measured.
preflight() { # expected-status url curl-args...
  local want="$1" url="$2" got
  shift 2
  got="$(curl -s -o "$WORK/preflight.json" -w '%{http_code}' --max-time 10 "$@" "$url")"
  if [[ $got != "$want" ]]; then
    log "$url answered $got, expected $want: $(head -c 400 "$WORK/preflight.json")"
    [[ $got == 429 ]] && log "the rate limiter refused a bench request: raise the bench org's limits (BENCH_APP_SETTINGS)"
    exit 1
  fi
}
AUTH=(-H "Authorization: Bearer $BENCH_KEY")
JSON=(-H "Content-Type: application/json" -d "$POST_BODY")
preflight 200 "$FULL_GET" "${AUTH[@]}"
preflight 200 "$CEIL_GET"
preflight 201 "$FULL_POST" "${AUTH[@]}" "${JSON[@]}"
preflight 201 "$CEIL_POST" "${JSON[@]}"
preflight 401 "$FULL_GET" # the full route really does check the key

# Say what "full" measured: a build without the rate limiter sends no X-RateLimit-* headers.
FULL_LABEL="full: key auth + rate limit + request log"
if ! curl -s -D - -o /dev/null --max-time 10 "${AUTH[@]}" "$FULL_GET" | grep -qi '^x-ratelimit-limit:'; then
  FULL_LABEL="full: key auth + request log (this build has no rate limiter)"
  log "no X-RateLimit-Limit header on $FULL_GET: this build has no rate limiter, so 'full' measures without one"
fi

# --- measuring --------------------------------------------------------------------------------
#
# Other work on the machine comes and goes, so the two variants are never measured one after the
# other in long runs: each measurement is BENCH_ROUNDS rounds of four slices in the order ceiling,
# full, full, ceiling (ABBA), which cancels a load that drifts steadily. At half load, where the p99
# target is judged, it is BENCH_HALF_ROUNDS rounds: a p99 is the slowest 1 % of the requests, and a
# second or two of the machine busy elsewhere (the hypervisor's steal, shown per slice) in 20 s of
# one variant moved it by several ms from run to run; twice the slices halve the weight of each. req/s is all requests over
# all the time; p50 and p99 are taken over all the requests of a variant's slices together (wrk's
# latency histograms, pooled), so a stall of the machine that falls in one short slice weighs as
# the requests it delayed, not as that slice's whole tail.
#
# Before each measurement (and its warm-up) the bench schema's tables are vacuumed and analysed and
# a checkpoint is taken (Nexus.Bench.Seed settle): the work the previous phase left the database is
# done before the next is measured, and autovacuum's thresholds start from zero. On the young tables
# of a fresh schema, autovacuum otherwise came round about once a minute while the bench inserted, and
# its pass over the notes, events and request-log tables (an ANALYZE of a jsonb column keeps a core
# busy for a quarter of a second) made one slice's tail, whichever variant's slice it fell in.

FLAGGED=0
REMEASURED=0
STOLEN_KEPT=0
SLICE=$(( (DURATION + 1) / 2 ))
HIST="$WORK/hist"
mkdir -p "$HIST"

# One wrk run; prints "requests duration_us p50_us p99_us non2xx socket_errors".
# Args: method key connections rate seconds url [histogram-file]; rate is requests per second over all
# of wrk's threads, on a fixed schedule (bench/wrk/notes.lua), or empty to send as fast as answers come.
run_wrk() {
  local method="$1" key="$2" conns="$3" rps="$4" secs="$5" url="$6" hist="${7:-}" threads="$THREADS" out line per_thread=""
  ((conns < threads)) && threads="$conns"
  [[ -n $rps ]] && per_thread="$(awk -v r="$rps" -v t="$threads" 'BEGIN { print r / t }')"
  out="$(BENCH_METHOD="$method" BENCH_KEY="$key" BENCH_RATE="$per_thread" BENCH_HIST="$hist" \
    wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 5s -s "$LUA" "$url")"
  line="$(grep '^BENCH ' <<<"$out")" || die "wrk printed no result: $out"
  awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); printf "%s ", kv[2] } print "" }' <<<"$line"
}

# Per-slice diagnostics: GC, autovacuum, CPU by process and steal (the stolen test).
# shellcheck source=bench/slice-diagnostics.sh
. "$ROOT/bench/slice-diagnostics.sh"

rate() { awk '{ printf "%.0f\n", $1 / ($2 / 1e6) }' <<<"$1"; }

# Args: one variant's histogram files ("value_us count" lines). Prints "p50_ms p99_ms" over all
# their requests together.
pooled_percentiles() {
  sort -n "$@" | awk '
    { v[NR] = $1; c[NR] = $2; n += $2 }
    END {
      for (i = 1; i <= NR; i++) {
        seen += c[i]
        if (p50 == "" && seen >= n * 0.50) p50 = v[i]
        if (seen >= n * 0.99) { p99 = v[i]; break }
      }
      printf "%.2f %.2f\n", p50 / 1000, p99 / 1000
    }'
}

# Args: a prefix (C or F), then that variant's slices as "result-line|histogram-file" words.
# Sets <prefix>_RPS <prefix>_P50 <prefix>_P99; req/s carries a "*" when a slice had errors.
summarize() {
  local prefix="$1" rps bad p50 p99 lines=() hists=() slice
  shift
  for slice in "$@"; do lines+=("${slice%%|*}"); hists+=("${slice##*|}"); done
  read -r rps bad < <(printf '%s\n' "${lines[@]}" | awk '
    { req += $1; us += $2; bad += $5 + $6 } END { printf "%.0f %d\n", req / (us / 1e6), bad }')
  read -r p50 p99 < <(pooled_percentiles "${hists[@]}")
  ((bad > 0)) && { rps+="*"; FLAGGED=1; }
  printf -v "${prefix}_RPS" '%s' "$rps"
  printf -v "${prefix}_P50" '%s' "$p50"
  printf -v "${prefix}_P99" '%s' "$p99"
}

# Args: method ceiling-url full-url connections rate label rounds (rate empty: saturated).
# Sets C_RPS C_P50 C_P99 F_RPS F_P50 F_P99 (req/s carries a "*" when the run had errors).
# shellcheck disable=SC2153 # summarize sets C_* and F_* by name
measure_abba() {
  local method="$1" curl_="$2" furl="$3" conns="$4" rps="$5" label="$6" rounds="$7" round n=0 c=() f=()
  # One slice of a variant; adds "result-line|histogram-file" to its list. Args: c|f.
  # A slice during which the hypervisor took more than BENCH_STEAL_LIMIT of the machine's CPU
  # (steal: this VM's cores given to other guests) is measured again, at most twice, whichever
  # variant it was: its tail is the host's, not the pipeline's (on 2026-11-24 slices with 0.6–1.3 s
  # of steal had p99s of 12–40 ms beside their neighbours' 3–8). Its line stays in the log.
  slice() {
    local file="$HIST/$1$((++n)).hist" before gc_before cpu_before cpu_after start line attempt
    for ((attempt = 1; ; attempt++)); do
      start="$(date +%T)" before="$(autovacuum_counts)" gc_before="$(runtime_counters)" cpu_before="$(cpu_ticks)"
      if [[ $1 == c ]]; then line="$(run_wrk "$method" "" "$conns" "$rps" "$SLICE" "$curl_" "$file")"
      else line="$(run_wrk "$method" "$BENCH_KEY" "$conns" "$rps" "$SLICE" "$furl" "$file")"; fi
      cpu_after="$(cpu_ticks)"
      log "  $start $label slice $1$n: p99 $(pooled_percentiles "$file" | cut -d' ' -f2) ms$(cpu_since "$cpu_before" "$cpu_after")$(gc_since "$gc_before")$(autovacuum_since "$before")"
      stolen "$cpu_before" "$cpu_after" || break
      if ((attempt == 3)); then STOLEN_KEPT=$((STOLEN_KEPT + 1)); log "  slice $1$n kept: steal over ${STEAL_LIMIT} s three times"; break; fi
      REMEASURED=$((REMEASURED + 1))
      log "  slice $1$n: the hypervisor took over ${STEAL_LIMIT} s of CPU during it; measuring it again"
    done
    if [[ $1 == c ]]; then c+=("$line|$file"); else f+=("$line|$file"); fi
  }
  rm -f "$HIST"/*.hist
  for ((round = 1; round <= rounds; round++)); do slice c; slice f; slice f; slice c; done
  summarize C "${c[@]}"
  [[ $C_RPS == *\* ]] && log "$label ceiling: non-2xx answers or socket errors"
  summarize F "${f[@]}"
  [[ $F_RPS == *\* ]] && log "$label full: non-2xx answers or socket errors"
  C_SELF="$(self_difference "${c[@]}")" F_SELF="$(self_difference "${f[@]}")"
  log "$label: ceiling $C_RPS req/s (p50 $C_P50, p99 $C_P99 ms) · full $F_RPS req/s (p50 $F_P50, p99 $F_P99 ms)"
  log "$label: each variant against itself (its second slice of each round minus its first): ceiling $C_SELF, full $F_SELF of p99"
}

# How far a variant's p99 moves with nothing changed: each round has two slices of each variant
# (ceiling, full, full, ceiling), so its first slices and its second slices are two measurements of
# the same thing, taken as close together as the two variants are. Prints the p99 over the second
# slices minus the p99 over the first, pooled as for the variant itself ("+0.42 ms"). Beside the
# added p99 it says how much of that figure this run could tell from noise.
# Args: one variant's slices as "result-line|histogram-file" words, in the order measured.
self_difference() {
  local i first=() second=() slices=("$@")
  for ((i = 0; i < ${#slices[@]}; i++)); do
    if ((i % 2 == 0)); then first+=("${slices[i]##*|}"); else second+=("${slices[i]##*|}"); fi
  done
  ((${#second[@]} > 0)) || { echo "n/a"; return; }
  awk -v a="$(pooled_percentiles "${first[@]}" | cut -d' ' -f2)" -v b="$(pooled_percentiles "${second[@]}" | cut -d' ' -f2)" \
    'BEGIN { printf "%+.2f ms", b - a }'
}

# Half load: both variants get the same fixed rate, half of what the full pipeline sustains, over
# the same connections. (Until 2026-11-24 each connection paused 10 ms after every answer, with the
# number of connections calibrated per variant in a warm-up: a closed loop, in which the variant
# calibrated a little high got up to 9 % more requests than the other.)

ROWS=()
bench_route() { # label method full-url ceiling-url
  local label="$1" method="$2" full="$3" ceil="$4"
  local c_rps c_p50 c_p99 f_rps f_p50 f_p99 half cc fc ratio added
  dotnet "$SEED_DLL" settle
  run_wrk "$method" "" "$CONNECTIONS" "" "$WARMUP" "$ceil" >/dev/null
  run_wrk "$method" "$BENCH_KEY" "$CONNECTIONS" "" "$WARMUP" "$full" >/dev/null
  measure_abba "$method" "$ceil" "$full" "$CONNECTIONS" "" "$label saturated" "$ROUNDS"
  c_rps="$C_RPS" c_p50="$C_P50" c_p99="$C_P99" f_rps="$F_RPS" f_p50="$F_P50" f_p99="$F_P99"

  half=$(( ${f_rps%\*} / 2 ))
  log "$label half load: $half req/s on a fixed schedule over $CONNECTIONS connections"
  dotnet "$SEED_DLL" settle
  run_wrk "$method" "" "$CONNECTIONS" "$half" "$WARMUP" "$ceil" >/dev/null
  run_wrk "$method" "$BENCH_KEY" "$CONNECTIONS" "$half" "$WARMUP" "$full" >/dev/null
  measure_abba "$method" "$ceil" "$full" "$CONNECTIONS" "$half" "$label half load" "$HALF_ROUNDS"

  ratio=$(awk -v f="${f_rps%\*}" -v c="${c_rps%\*}" 'BEGIN { printf "%.0f %%", 100 * f / c }')
  added=$(awk -v f="$F_P99" -v c="$C_P99" 'BEGIN { printf "%+.2f ms", f - c }')
  ROWS+=("| \`$label\` | $FULL_LABEL | $f_rps | $f_p50 | $f_p99 | $F_RPS | $F_P99 |")
  ROWS+=("| | ceiling: same handler, none of the three | $c_rps | $c_p50 | $c_p99 | $C_RPS | $C_P99 |")
  ROWS+=("| | **full ÷ ceiling** (target ≥ 70 %) · **added p99** (target < 2 ms) | **$ratio** | | | | **$added** |")
  ROWS+=("| | each variant against itself at half load: its second slices' p99 minus its first's | | | | | ceiling $C_SELF · full $F_SELF |")
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'; }
LOADAVG="$(loadavg)"

# .NET compiles a method quickly first and again, optimised, once it has run a while (tiered
# compilation); on two busy cores that takes tens of seconds, and the full pipeline has more code
# to recompile than the ceiling. A server runs for days, so the benchmark measures that steady
# state: it drives all four routes in turn (4 s each) for at least BENCH_JIT_WARMUP seconds, and
# on until the full GET's rate settles (a round within 3 % of the best round so far), at most 3x as long.
JIT_ROUNDS_MIN=$(( (JIT_WARMUP + 15) / 16 ))
JIT_ROUNDS_MAX=$(( 3 * JIT_ROUNDS_MIN ))
log "warming up: all four routes in turn, ${JIT_ROUNDS_MIN} to ${JIT_ROUNDS_MAX} rounds of 16 s, until the full GET's rate settles"
# Settled: a round neither more than 3 % above the best round so far (still rising) nor more than
# 3 % below it (a dip of the machine, which must not pass for the steady state: comparing with the
# previous round alone once ended the warm-up on one low round).
best=0
for ((round = 1; round <= JIT_ROUNDS_MAX; round++)); do
  run_wrk GET "" "$CONNECTIONS" "" 4 "$CEIL_GET" >/dev/null
  current="$(rate "$(run_wrk GET "$BENCH_KEY" "$CONNECTIONS" "" 4 "$FULL_GET")")"
  run_wrk POST "" "$CONNECTIONS" "" 4 "$CEIL_POST" >/dev/null
  run_wrk POST "$BENCH_KEY" "$CONNECTIONS" "" 4 "$FULL_POST" >/dev/null
  log "warm-up round $round: full GET $current req/s"
  if ((round >= JIT_ROUNDS_MIN)) && awk -v c="$current" -v b="$best" 'BEGIN { exit !(c <= b * 1.03 && c >= b * 0.97) }'; then break; fi
  ((current > best)) && best="$current"
done
JIT_WARMED=$(( (round > JIT_ROUNDS_MAX ? JIT_ROUNDS_MAX : round) * 16 ))
JIT_SETTLED="until the rate settled"
if ((round > JIT_ROUNDS_MAX)); then
  JIT_SETTLED="and the rate had not settled: the machine is busy"
  log "the full GET's rate had not settled within 3 % of its best after ${JIT_WARMED} s of warm-up; figures may not be the steady state"
fi

log "measuring: per endpoint, saturated and half load, each ceiling/full/full/ceiling slices of ${SLICE} s after ${WARMUP} s warm-ups"
bench_route "GET /api/v1/notes/{id}" GET "$FULL_GET" "$CEIL_GET"
bench_route "POST /api/v1/notes" POST "$FULL_POST" "$CEIL_POST"

# --- the report -------------------------------------------------------------------------------

cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
[[ -n $cpu ]] || cpu="$(uname -m)"
mem="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo '?')"
os="$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME" || uname -s)"
runtime="$(dotnet --list-runtimes | awk '/^Microsoft.AspNetCore.App/ { v = $2 } END { print v }')"

echo
echo "Nexus benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Machine: $cpu, $(nproc) cores, $mem, $os (Linux $(uname -r)); ASP.NET Core $runtime;"
echo "PostgreSQL $BENCH_PG_VERSION and wrk on the same machine; load average $LOADAVG before the run, $(loadavg) after."
echo
echo "| endpoint | pipeline | req/s | p50 ms | p99 ms | half load req/s | half load p99 ms |"
echo "|---|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "Saturated: wrk -t$THREADS -c$CONNECTIONS on loopback. Half load: half the full pipeline's saturated req/s,"
echo "offered to both variants at that fixed rate over the same $CONNECTIONS connections (each wrk thread sends on a"
echo "schedule). Each figure: $ROUNDS rounds ($HALF_ROUNDS at half load) of ${SLICE} s slices ordered ceiling, full, full,"
echo "ceiling after a vacuum of the bench tables, a checkpoint and ${WARMUP} s warm-ups (and ${JIT_WARMED} s over all four routes before the first, $JIT_SETTLED);"
echo "req/s and p50/p99 over all of a variant's requests in those slices together. \"Against itself\": the p99 over a"
echo "variant's second slice of each round minus the p99 over its first, two measurements of the same thing taken"
echo "as close together as the variants are; an added p99 within that spread is not told apart from noise. A slice during which the"
kept=""
((STOLEN_KEPT == 0)) || kept=", $STOLEN_KEPT kept after three tries"
echo "hypervisor took over ${STEAL_LIMIT} s of CPU (steal) is measured again, at most twice: $REMEASURED measured again this run$kept."
if ((FLAGGED)); then
  echo "* this run had non-2xx answers or socket errors; its figures are not comparable."
fi
