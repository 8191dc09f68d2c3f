# Sourced by bench/run.sh: what each measured slice's log line says besides its p99, so that a
# slice whose tail stands out says why: the app's garbage collections, autovacuum's passes over the
# bench schema, and who had the CPU (the app, PostgreSQL, wrk, the rest, the hypervisor's steal).
# Uses BASE, SCHEMA, APP and STEAL_LIMIT from run.sh. Every function here runs between slices,
# never inside one.

# The app's garbage collections so far (GET /api/bench/runtime): "gen0 gen1 gen2 pause_ms allocated".
runtime_counters() {
  curl -s --max-time 5 "$BASE/api/bench/runtime" | sed 's/"[a-z_0-9]*"://g; s/[{}]//g; s/,/ /g'
}
# Args: the counters before a slice. Prints "; GC: gen0/gen1/gen2 collections, pause ms, MB allocated".
gc_since() {
  awk -v a="$1" -v b="$(runtime_counters)" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    if (length(y) >= 5) printf "; GC %d/%d/%d, paused %.1f ms, %.0f MB allocated", y[1] - x[1], y[2] - x[2], y[3] - x[3], y[4] - x[4], (y[5] - x[5]) / 1048576 }'
}

# Autovacuum's passes over the bench schema's tables, as "table vacuums analyzes" lines, for the
# per-slice log line: a slice whose tail is far from its neighbours' usually had one.
autovacuum_counts() {
  scripts/db.sh psql -tA -F' ' -c "select relname, autovacuum_count, autoanalyze_count
    from pg_stat_user_tables where schemaname = '$SCHEMA' order by relname" 2>/dev/null || true
}
# Args: the counts before a slice. Prints "; autovacuum: table (vacuum, analyze) ..." for the
# passes that ended during it and the ones still running at its end, or nothing.
autovacuum_since() {
  local running passes
  running="$(scripts/db.sh psql -tA -c "select string_agg(c.relname, ' ') from (
      select relid from pg_stat_progress_vacuum union all select relid from pg_stat_progress_analyze) p
    join pg_class c on c.oid = p.relid" 2>/dev/null || true)"
  passes="$(awk 'NR == FNR { v[$1] = $2; a[$1] = $3; next }
    { kinds = ""; if ($2 > v[$1]) kinds = "vacuum"; if ($3 > a[$1]) kinds = kinds (kinds ? ", " : "") "analyze"
      if (kinds) printf "%s%s (%s)", (n++ ? " " : ""), $1, kinds }' <(printf '%s\n' "$1") <(autovacuum_counts))"
  [[ -n $running ]] && passes+="${passes:+ }still running: $running"
  [[ -n $passes ]] && printf '; autovacuum: %s' "$passes"
  return 0
}

# CPU time in the slice, as the kernel counts it (clock ticks of /proc), so that a slice whose tail
# stands out says who was busy: the app; PostgreSQL (the postmaster and every process it started,
# autovacuum workers included, exited ones through its children's total); this script's own
# children (wrk, curl, psql); the rest of the machine; time the hypervisor took (steal); and time
# the cores sat idle waiting for the disk (iowait: every POST commits, and a commit waits for its
# WAL to reach the disk, so a slow disk stalls POST without any CPU to show for it).
# The postmaster is the checkpointer's parent, taken only when its working directory is the
# database's data directory: against a database on another host, the checkpointer's pid names some
# unrelated local process, and PostgreSQL's figure is then shown as "?".
PG_POSTMASTER="$(scripts/db.sh psql -tA -c "select pid from pg_stat_activity where backend_type = 'checkpointer'" 2>/dev/null |
  xargs -r -I{} awk '/^PPid:/ { print $2 }' /proc/{}/status 2>/dev/null || true)"
if [[ -n $PG_POSTMASTER && "$(readlink -f "/proc/$PG_POSTMASTER/cwd" 2>/dev/null)" != \
  "$(readlink -f "$(scripts/db.sh psql -tA -c 'show data_directory' 2>/dev/null)" 2>/dev/null)" ]]; then
  PG_POSTMASTER=""
fi
# Args: pid, then 1 to add its reaped children's time. Prints its ticks (0 when it is gone).
proc_ticks() {
  sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk -v kids="$2" '{ print $12 + $13 + (kids ? $14 + $15 : 0) }' || echo 0
}
# Prints "busy steal app postgres script iowait" in ticks.
cpu_ticks() {
  local pg=0 child
  if [[ -n $PG_POSTMASTER ]]; then
    pg="$(proc_ticks "$PG_POSTMASTER" 1)"
    for child in $(pgrep -P "$PG_POSTMASTER"); do pg=$((pg + $(proc_ticks "$child" 0))); done
  fi
  local busy steal iowait
  read -r busy steal iowait < <(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $9, $6 }' /proc/stat)
  echo "$busy $steal $(proc_ticks "$APP" 0) $pg $(proc_ticks $$ 1) $iowait"
}
# Args: the ticks before and after a slice. Prints "; CPU s: app …, PostgreSQL …, wrk and tools …, rest …, steal …, iowait …".
cpu_since() {
  awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" -v pg="$PG_POSTMASTER" 'BEGIN {
    split(a, x, " "); split(b, y, " "); for (i = 1; i <= 6; i++) d[i] = (y[i] - x[i]) / hz
    # The machine and the processes are read a moment apart: the rest can come out a
    # tick or two below zero when there was none.
    rest = d[1] - d[3] - d[4] - d[5]
    printf "; CPU s: app %.2f, PostgreSQL %s, wrk and tools %.2f, rest %.2f, steal %.2f, iowait %.2f",
      d[3], (pg ? sprintf("%.2f", d[4]) : "?"), d[5], (rest > 0 ? rest : 0), d[2], d[6] }'
}
# Args: the ticks before and after a slice. Succeeds when the hypervisor took more than
# BENCH_STEAL_LIMIT seconds of CPU from the machine during it.
stolen() {
  awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" -v limit="$STEAL_LIMIT" 'BEGIN {
    split(a, x, " "); split(b, y, " "); exit !((y[2] - x[2]) / hz > limit) }'
}
