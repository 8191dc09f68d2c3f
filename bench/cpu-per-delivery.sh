#!/usr/bin/env bash
# CPU time per delivery of one Nexus.Worker, of PostgreSQL and of the receiver: a figure that a
# shared, busy machine disturbs far less than deliveries/s (compare builds with alternated runs all the same).
# Seeds 2×N deliveries (schema bench_cpu) and parks half of them in the future; a Release worker drains the
# first half (start-up, JIT and warm-up: reported apart), is paused (SIGSTOP) while the second half is made
# due, and the CPU (utime+stime from /proc) of the worker, of every process of the PostgreSQL cluster (exited
# ones through the postmaster's children times) and of the receiver is read before it continues and after
# the last delivery is recorded. Also prints WAL written per delivery and how many of the measured half's updates were HOT.
# Needs the private cluster (scripts/db.sh; NEXUS_PG_PORT) and the Release builds bench/deliveries.sh makes.
#
# Environment (all optional): N (default 20000), NEXUS_BENCH_RECEIVER_PORT (default 56290), LABEL (printed
# first), WROOT (another checkout whose Release worker and seed to run, for A/B), WORKER_ENV (extra NAME=value words
# for the worker), PGSS=1 (top statements from pg_stat_statements, which must be loaded), PERF=<file>
# (perf record of the worker and the cluster for PERF_SECONDS, PERF_ARGS e.g. -g), STOPAT/MIDHOOK (pause
# the worker after STOPAT POSTs of the measured half and run MIDHOOK, e.g. an EXPLAIN).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
N="${N:-20000}"
PORT="${NEXUS_BENCH_RECEIVER_PORT:-56290}"
SCHEMA=bench_cpu
RECEIVER="http://127.0.0.1:$PORT"
RECEIVER_DLL="$ROOT/bench/Nexus.Bench.Receiver/bin/Release/net10.0/Nexus.Bench.Receiver.dll"
WROOT="${WROOT:-$ROOT}"
# The seed creates the schema, so the table's storage settings (fill factor) are those of the build under test.
SEED_DLL="$WROOT/bench/Nexus.Bench.Seed/bin/Release/net10.0/Nexus.Bench.Seed.dll"
WORKER_DLL="$WROOT/src/Nexus.Worker/bin/Release/net10.0/Nexus.Worker.dll"
DB="$(scripts/db.sh ensure)"
export ConnectionStrings__Nexus="$DB" Nexus__Schema="$SCHEMA"
export Nexus__SecretKey="$(head -c 32 /dev/urandom | base64)"
PSQL() { scripts/db.sh psql -qAtX -c "$1"; }
T="$SCHEMA.mt_doc_webhookdelivery"

RPID="" WPID=""
cleanup() { [[ -n $WPID ]] && kill -CONT "$WPID" 2>/dev/null; for p in $WPID $RPID; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

dotnet "$RECEIVER_DLL" receive --port "$PORT" </dev/null >"$ROOT/.data/cpu-receiver.log" 2>&1 &
RPID=$!
for i in $(seq 100); do curl -s -o /dev/null --max-time 1 "$RECEIVER/count" && break; sleep 0.2; done
kill -0 "$RPID" 2>/dev/null || { echo "the receiver did not start (port $PORT in use?): $(head -1 "$ROOT/.data/cpu-receiver.log")" >&2; exit 1; }

dotnet "$SEED_DLL" deliveries $((2 * N)) 8 "$RECEIVER" >/dev/null
# park the second half
PSQL "update $T set next_attempt_at = '2100-01-01', data = jsonb_set(data, '{NextAttemptAt}', '\"2100-01-01T00:00:00+00:00\"') where id in (select id from $T order by id offset $N)"
PSQL "vacuum analyze $T" >/dev/null

PGMASTER="$(head -1 .data/pg/postmaster.pid)"
ticks() { # pid -> utime+stime
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
pgticks() {
  local total t p
  total="$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$PGMASTER/stat")"
  for p in $(ps -o pid= --ppid "$PGMASTER"); do t="$(ticks "$p")"; total=$((total + t)); done
  echo "$total"
}

(cd "$WROOT/src/Nexus.Worker" && exec env DOTNET_ENVIRONMENT=Benchmark DOTNET_PerfMapEnabled=1 Nexus__Webhooks__AllowHttp=true Nexus__Webhooks__AllowedPrivateNetworks=127.0.0.0/8 \
  ${WORKER_ENV:-} dotnet "$WORKER_DLL" </dev/null >"$ROOT/.data/cpu-worker.log" 2>&1) &
WPID=$!
waitdone() { # count of succeeded to reach
  local c
  for i in $(seq 1200); do
    c="$(PSQL "select count(*) from $T where status = 'Succeeded'")"
    ((c >= $1)) && return 0
    sleep 0.1
  done
  echo "timeout at $c" >&2; return 1
}
waitdone "$N"
WARM="$(ticks "$WPID")"
sleep 2
kill -STOP "$WPID"
PSQL "update $T set next_attempt_at = now(), data = jsonb_set(data, '{NextAttemptAt}', to_jsonb(now())) where status = 'Pending'"
# as a delivery is when first claimed: its row as inserted, with the free room the fill factor leaves on its page
PSQL "vacuum $T" >/dev/null
[[ -n ${PGSS:-} ]] && PSQL "select pg_stat_statements_reset()" >/dev/null
sleep 1
WAL0="$(PSQL "select wal_records, wal_fpi, wal_bytes, wal_write, wal_sync from pg_stat_wal")"
UPD="select n_tup_upd, n_tup_hot_upd from pg_stat_user_tables where relname = 'mt_doc_webhookdelivery' and schemaname = '$SCHEMA'"
PSQL "select pg_stat_force_next_flush()" >/dev/null; HOT0="$(PSQL "$UPD")"
w0="$(ticks "$WPID")" p0="$(pgticks)" r0="$(ticks "$RPID")" c0="$(curl -s "$RECEIVER/count")"
s0="$(date +%s.%N)"
kill -CONT "$WPID"
if [[ -n ${PERF:-} ]]; then perf record -F 1999 ${PERF_ARGS:-} -p "$WPID,$PGMASTER,$(ps -o pid= --ppid "$PGMASTER" | tr -s " \n" "," | sed "s/^,//;s/,$//")" -o "$PERF" -- sleep "${PERF_SECONDS:-6}" >/dev/null 2>&1 & fi
for i in $(seq 6000); do c="$(curl -s "$RECEIVER/count")"; ((c - c0 >= ${STOPAT:-N})) && break; sleep 0.2; done
s1="$(date +%s.%N)"
[[ -n ${MIDHOOK:-} ]] && { kill -STOP "$WPID"; $MIDHOOK; kill -CONT "$WPID"; }
waitdone $((2 * N))
WAL1="$(PSQL "select wal_records, wal_fpi, wal_bytes, wal_write, wal_sync from pg_stat_wal")"
w1="$(ticks "$WPID")" p1="$(pgticks)" r1="$(ticks "$RPID")" c1="$(curl -s "$RECEIVER/count")"
HZ="$(getconf CLK_TCK)"
dup=$((c1 - c0 - N))
WARM=$WARM awk -v n="$N" -v hz="$HZ" -v w=$((w1 - w0)) -v p=$((p1 - p0)) -v r=$((r1 - r0)) -v s0="$s0" -v s1="$s1" -v dup="$dup" -v la="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  us = 1e6 / hz / n;
  printf "%s N=%d  CPU µs per delivery: start-up and first half: worker %.0f; measured half: worker %.0f  postgres %.0f  receiver %.0f  total %.0f  | %.0f deliveries/s (POSTs) | dup %d | load %s\n",
    ENVIRON["LABEL"], n, ENVIRON["WARM"] * us, w * us, p * us, r * us, (w + p + r) * us, n / (s1 - s0), dup, la }'
if [[ -n ${PGSS:-} ]]; then
  PSQL "select calls, plans, round(total_plan_time::numeric,0) plan_ms, round(total_exec_time::numeric,0) ms, rows, round(1000*total_exec_time::numeric/nullif(calls,0),0) us_per_call, left(regexp_replace(query, '\s+', ' ', 'g'), 150) from pg_stat_statements order by total_exec_time desc limit 15"
fi
echo "WAL before: $WAL0"; echo "WAL after:  $WAL1"
awk -F'|' -v a="$WAL0" -v b="$WAL1" -v n="$N" 'BEGIN { split(a, x, "|"); split(b, y, "|"); printf "per delivery: wal records %.1f, fpi %.2f, bytes %.0f, writes %.3f, syncs %.3f\n", (y[1]-x[1])/n, (y[2]-x[2])/n, (y[3]-x[3])/n, (y[4]-x[4])/n, (y[5]-x[5])/n }'
sleep 2; HOT1="$(PSQL "$UPD")"
awk -v a="$HOT0" -v b="$HOT1" 'BEGIN { split(a, x, "|"); split(b, y, "|"); u = y[1] - x[1]; h = y[2] - x[2]; printf "updates of the measured half: %d, HOT %d (%.0f %%)\n", u, h, u ? 100 * h / u : 0 }'
