#!/usr/bin/env bash
# A private PostgreSQL cluster for local runs and tests (see DESIGN.md, "Local Postgres").
#
#   scripts/db.sh ensure   start the cluster if needed (initdb on first use); print its Npgsql
#                          connection string on stdout, nothing else. If NEXUS_DATABASE is set,
#                          print that instead and touch nothing.
#   scripts/db.sh stop     stop the cluster (fast shutdown) if it is running
#   scripts/db.sh status   print "running ..." or "stopped"
#   scripts/db.sh psql     open psql on the nexus database (extra args go to psql)
#
# Data lives in .data/pg (git-ignored), the server listens on 127.0.0.1 only, port 55432 by
# default (NEXUS_PG_PORT overrides), with trust authentication: the cluster is private and
# loopback-only. The superuser is "nexus". Run as root, the server runs as the "postgres"
# system user, since PostgreSQL refuses to run as root.
#
# NEXUS_PG_DATA names another data root instead of .data (holding pg, pg-run and pg-log), so a
# test can run a throwaway cluster of its own (with its own NEXUS_PG_PORT) and stop and start
# it without touching the shared one. Run as root, that directory must be reachable by "postgres".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
DATA_ROOT="$ROOT/.data"
if [[ -n ${NEXUS_PG_DATA:-} ]]; then
  # Absolute and physical: the running postmaster is recognised by its working directory.
  mkdir -p "$NEXUS_PG_DATA"
  DATA_ROOT="$(cd "$NEXUS_PG_DATA" && pwd -P)"
fi
PGDATA_DIR="$DATA_ROOT/pg"
RUN_DIR="$DATA_ROOT/pg-run"   # unix socket directory
LOG_DIR="$DATA_ROOT/pg-log"
LOG_FILE="$LOG_DIR/postgres.log"
PORT="${NEXUS_PG_PORT:-55432}"
DB_NAME="nexus"
DB_USER="nexus"
PG_USER="postgres"            # system user the server runs as when we are root

log() { printf 'db.sh: %s\n' "$*" >&2; }
die() { printf 'db.sh: error: %s\n' "$*" >&2; exit 1; }

is_root() { [[ ${EUID:-$(id -u)} -eq 0 ]]; }

# --- finding the PostgreSQL server binaries --------------------------------------------------

has_server_bins() { [[ -n ${1:-} && -x $1/initdb && -x $1/pg_ctl && -x $1/postgres ]]; }

find_bindir() {
  local d v
  # An existing cluster must be run by binaries of its own major version.
  if [[ -f $PGDATA_DIR/PG_VERSION ]]; then
    v="$(<"$PGDATA_DIR/PG_VERSION")"
    for d in "/usr/lib/postgresql/$v/bin" "/usr/pgsql-$v/bin"; do
      if has_server_bins "$d"; then echo "$d"; return 0; fi
    done
  fi
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir 2>/dev/null || true)"
    if has_server_bins "$d"; then echo "$d"; return 0; fi
  fi
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if has_server_bins "$d"; then echo "$d"; return 0; fi
  if command -v initdb >/dev/null 2>&1; then
    d="$(dirname "$(readlink -f "$(command -v initdb)")")"
    if has_server_bins "$d"; then echo "$d"; return 0; fi
  fi
  return 1
}

BINDIR=""
resolve_bindir() {
  [[ -n $BINDIR ]] && return 0
  if BINDIR="$(find_bindir)"; then return 0; fi
  if is_root && command -v apt-get >/dev/null 2>&1; then
    log "PostgreSQL server binaries not found; installing the 'postgresql' package with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update && apt-get install -y postgresql; } >&2 || die "apt-get install postgresql failed"
    BINDIR="$(find_bindir)" && return 0
  fi
  die "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found.
  Install PostgreSQL 14 or newer, e.g.
    Debian/Ubuntu:  sudo apt-get install postgresql
    Fedora/RHEL:    sudo dnf install postgresql-server
    macOS:          brew install postgresql
  and make sure pg_config or initdb is on PATH, or set NEXUS_DATABASE to an existing
  database's Npgsql connection string."
}

check_version_match() {
  local want have
  [[ -f $PGDATA_DIR/PG_VERSION ]] || return 0
  want="$(<"$PGDATA_DIR/PG_VERSION")"
  have="$("$BINDIR/pg_ctl" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/')"
  [[ $want == "$have" ]] || die "$PGDATA_DIR was created by PostgreSQL $want but only PostgreSQL $have binaries ($BINDIR) were found.
  Install PostgreSQL $want, or remove $PGDATA_DIR to start over (this deletes the local data)."
}

# --- running things as the right user ----------------------------------------------------------

# Runs a PostgreSQL server-side command (initdb, pg_ctl) as the server's owner. fd 9 (our lock)
# is closed so a server started here does not hold the lock for its whole life.
as_pg() {
  if ! is_root; then
    "$@" 9>&-
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u "$PG_USER" -- "$@" 9>&-
  else
    local q; q="$(printf '%q ' "$@")"
    su "$PG_USER" -s /bin/sh -c "$q" 9>&-
  fi
}

ensure_pg_user() {
  is_root || return 0
  if ! id -u "$PG_USER" >/dev/null 2>&1; then
    log "creating system user '$PG_USER'"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$PG_USER" >&2
  fi
}

# Creates .data/pg, .data/pg-run, .data/pg-log owned by whoever runs the server.
prepare_dirs() {
  mkdir -p "$DATA_ROOT"
  chmod 755 "$DATA_ROOT" 2>/dev/null || true
  # As root, the server has to reach its data directory through the repository path.
  if is_root && ! as_pg test -x "$DATA_ROOT"; then
    die "the '$PG_USER' user cannot reach $DATA_ROOT (a parent directory is not searchable by it).
  Move the repository (or NEXUS_PG_DATA) somewhere world-searchable (not under /root), or set NEXUS_DATABASE."
  fi
  local d
  for d in "$PGDATA_DIR" "$RUN_DIR" "$LOG_DIR"; do
    mkdir -p "$d"
    if is_root; then
      chown -R "$PG_USER:" "$d"
    elif [[ ! -O $d ]]; then
      die "$d belongs to $(stat -c %U "$d"), not to you ($(id -un)).
  It was probably created by running this script as another user (root runs the server as
  '$PG_USER'). Use that user, or stop the cluster and remove .data/pg* to start over."
    fi
  done
  chmod 700 "$PGDATA_DIR" "$RUN_DIR"
}

# --- cluster state ----------------------------------------------------------------------------

# Socket paths are limited to ~107 bytes; fall back to a private directory under /tmp.
socket_dir() {
  if (( ${#RUN_DIR} + 20 > 100 )); then
    local h; h="$(printf '%s' "$DATA_ROOT" | cksum | cut -d' ' -f1)"
    echo "${TMPDIR:-/tmp}/nexus-pg-$h"
  else
    echo "$RUN_DIR"
  fi
}

# Prints the PID of this cluster's postmaster if it is really running, else fails.
# postmaster.pid can be stale after an unclean stop, and its PID reused by some other process
# (common in containers); the postmaster's working directory is always its data directory.
running_pid() {
  local pidfile="$PGDATA_DIR/postmaster.pid" pid cwd
  [[ -r $pidfile ]] || return 1
  pid="$(head -n 1 "$pidfile" 2>/dev/null || true)"
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -d /proc/$pid ]]; then
    # A zombie (killed, not yet reaped) has no cwd; neither has a process we may not inspect,
    # which cannot be our server when we are not root.
    cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null || true)"
    [[ $cwd == "$PGDATA_DIR" ]] || return 1
  fi
  echo "$pid"
}

# Port the running postmaster listens on (4th line of postmaster.pid).
running_port() { sed -n 4p "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true; }

is_ready() { "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$1" -d postgres -U "$DB_USER" -t 2; }

remove_stale_files() {
  local sock; sock="$(socket_dir)"
  if [[ -e $PGDATA_DIR/postmaster.pid ]]; then
    log "removing stale postmaster.pid (the server was not shut down cleanly)"
    rm -f "$PGDATA_DIR/postmaster.pid"
  fi
  rm -f "$sock"/.s.PGSQL.* 2>/dev/null || true
}

init_cluster() {
  log "initialising a new PostgreSQL cluster in $PGDATA_DIR"
  (cd / && as_pg "$BINDIR/initdb" -D "$PGDATA_DIR" -U "$DB_USER" --auth=trust \
    --encoding=UTF8 --locale=C >"$LOG_DIR/initdb.log" 2>&1) ||
    { cat "$LOG_DIR/initdb.log" >&2; die "initdb failed (log: $LOG_DIR/initdb.log)"; }
  # Local settings live in nexus.conf, rewritten before every start (so the port and socket
  # directory follow NEXUS_PG_PORT and the repository's location).
  printf "\n# Nexus: local settings, rewritten by scripts/db.sh\ninclude_if_exists = 'nexus.conf'\n" |
    as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
}

write_local_conf() {
  local sock; sock="$(socket_dir)"
  cat <<EOF | as_pg tee "$PGDATA_DIR/nexus.conf" >/dev/null
# Written by scripts/db.sh on every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$sock'
max_connections = 300
shared_buffers = 128MB
logging_collector = off
EOF
}

start_cluster() {
  local sock; sock="$(socket_dir)"
  if [[ $sock != "$RUN_DIR" ]]; then
    mkdir -p "$sock"; chmod 700 "$sock"
    if is_root; then chown "$PG_USER:" "$sock"; fi
  fi
  write_local_conf
  log "starting PostgreSQL on 127.0.0.1:$PORT (data: $PGDATA_DIR, log: $LOG_FILE)"
  # glibc's malloc gives memory back to the kernel as soon as 128 KB lie free at the top of the
  # heap, and it does so with one brk call per freed block. A COPY of a request-log batch grows a
  # backend's heap by about 1.3 MB, and freeing it afterwards made 10-20 brk calls of 8 KB each,
  # every batch, every one a TLB flush sent to the other core (an IPI, costly on a virtual machine).
  # perf put that at 9 % of the backends' CPU under a saturated GET, none of it for the
  # routes that write no logs. Kept: up to 4 MB free per backend, 1 MB of slack when it grows.
  # See mallopt(3); the server inherits the environment pg_ctl starts it with.
  if ! (cd / && as_pg env MALLOC_TRIM_THRESHOLD_=4194304 MALLOC_TOP_PAD_=1048576 "$BINDIR/pg_ctl" start -D "$PGDATA_DIR" -l "$LOG_FILE" -w -t 60 >&2); then
    log "PostgreSQL did not start; last lines of $LOG_FILE:"
    tail -n 20 "$LOG_FILE" >&2 || true
    if command -v ss >/dev/null 2>&1 && ss -ltn "sport = :$PORT" 2>/dev/null | grep -q LISTEN; then
      log "port $PORT is already in use by another process; set NEXUS_PG_PORT to a free port"
    fi
    exit 1
  fi
}

create_database() {
  local port="$1"
  local psql=("$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$DB_USER")
  if [[ -z $("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'") ]]; then
    log "creating database '$DB_NAME'"
    "${psql[@]}" -d postgres -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >&2
  fi
}

# Serialise concurrent "ensure"/"stop" calls (e.g. make run and make test at the same time).
take_lock() {
  mkdir -p "$DATA_ROOT"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$DATA_ROOT/pg.lock"
    flock -w 120 9 || die "timed out waiting for another db.sh to finish ($DATA_ROOT/pg.lock)"
  fi
}

# At most 16 pooled connections per process (web, worker, each test's store). More buys nothing on a
# small machine: with 64 requests in flight and a pool of 50, up to 50 backends competed for two cores,
# and `make bench-api` measured the full GET at 5,810-6,223 requests/s with 50 against 6,665-6,891 with 16;
# requests beyond 16 wait in Npgsql's queue, in-process, for a connection coming free.
connection_string() {
  echo "Host=127.0.0.1;Port=$1;Database=$DB_NAME;Username=$DB_USER;Pooling=true;Maximum Pool Size=16"
}

# --- commands ---------------------------------------------------------------------------------

cmd_ensure() {
  if [[ -n ${NEXUS_DATABASE:-} ]]; then
    echo "$NEXUS_DATABASE"
    return 0
  fi
  resolve_bindir
  local port
  # Fast path: already running and accepting connections.
  if running_pid >/dev/null && port="$(running_port)" && [[ -n $port ]] && is_ready "$port"; then
    [[ $port == "$PORT" ]] ||
      log "note: the cluster is already running on port $port (not $PORT); run 'scripts/db.sh stop' to change it"
    create_database "$port"
    connection_string "$port"
    return 0
  fi

  take_lock
  check_version_match
  ensure_pg_user
  prepare_dirs
  if ! running_pid >/dev/null; then
    if [[ ! -f $PGDATA_DIR/PG_VERSION ]]; then
      if [[ -n $(ls -A "$PGDATA_DIR") ]]; then
        log "$PGDATA_DIR holds no cluster (an earlier initdb was interrupted?); clearing it"
        find "$PGDATA_DIR" -mindepth 1 -delete
      fi
      init_cluster
    fi
    remove_stale_files
    start_cluster
  fi
  port="$(running_port)"
  [[ -n $port ]] || port="$PORT"
  local i
  for ((i = 0; i < 60; i++)); do
    is_ready "$port" && break
    sleep 0.5
  done
  is_ready "$port" || { tail -n 20 "$LOG_FILE" >&2 || true; die "PostgreSQL is not accepting connections on 127.0.0.1:$port"; }
  create_database "$port"
  connection_string "$port"
}

cmd_stop() {
  if ! running_pid >/dev/null; then
    log "PostgreSQL is not running"
    return 0
  fi
  resolve_bindir
  take_lock
  (cd / && as_pg "$BINDIR/pg_ctl" stop -D "$PGDATA_DIR" -m fast -w -t 60 >&2)
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running (pid $pid, 127.0.0.1:$(running_port), data $PGDATA_DIR)"
  else
    echo "stopped"
  fi
}

cmd_psql() {
  local conn
  conn="$(cmd_ensure)"
  if [[ -n ${NEXUS_DATABASE:-} ]]; then
    # Map the usual Npgsql keys onto libpq environment variables.
    local part key val parts
    IFS=';' read -ra parts <<<"$conn"
    for part in "${parts[@]}"; do
      key="${part%%=*}"; val="${part#*=}"
      case "${key,,}" in
        host | server) export PGHOST="$val" ;;
        port) export PGPORT="$val" ;;
        database | db) export PGDATABASE="$val" ;;
        username | "user id" | userid | user) export PGUSER="$val" ;;
        password | pwd) export PGPASSWORD="$val" ;;
      esac
    done
    exec psql "$@"
  fi
  resolve_bindir
  local port; port="$(running_port)"
  exec "$BINDIR/psql" -h 127.0.0.1 -p "$port" -U "$DB_USER" -d "$DB_NAME" "$@"
}

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

case "${1:-}" in
  ensure) cmd_ensure ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  psql) shift; cmd_psql "$@" ;;
  -h | --help | help) usage ;;
  *) usage; exit 2 ;;
esac
