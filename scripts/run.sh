#!/usr/bin/env bash
# Runs Nexus locally: the web app and the worker against the private PostgreSQL cluster
# (or NEXUS_DATABASE). Called by `make run` after the build; does not build by itself.
# Ctrl-C or SIGTERM stops both processes; PostgreSQL keeps running (`make db-stop`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

PORT="${NEXUS_PORT:-5080}"
URL="http://127.0.0.1:$PORT"

DB="$(scripts/db.sh ensure)"

export ConnectionStrings__Nexus="$DB"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# Each child gets its own process group (job control), so a signal reaches `dotnet run` and
# the app it started, and Ctrl-C in the terminal reaches only this script, which then stops
# the children in order.
set -m

# --no-launch-profile: our environment and --urls decide, not Properties/launchSettings.json.
dotnet run --no-build --no-launch-profile --project src/Nexus.Web -- --urls "$URL" </dev/null &
WEB=$!
dotnet run --no-build --no-launch-profile --project src/Nexus.Worker </dev/null &
WORKER=$!
set +m # the children keep their groups; no job-status chatter from here on

stopping=0
stop_children() {
  ((stopping)) && return 0
  stopping=1
  trap '' INT TERM
  echo "Stopping Nexus (web and worker)..." >&2
  local pid
  for pid in "$WEB" "$WORKER"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  # Give the hosts time for a graceful shutdown, then insist.
  local i
  for ((i = 0; i < 150; i++)); do
    kill -0 "$WEB" 2>/dev/null || kill -0 "$WORKER" 2>/dev/null || break
    sleep 0.1
  done
  for pid in "$WEB" "$WORKER"; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "Process $pid did not stop in 15 s; killing it." >&2
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  wait "$WEB" 2>/dev/null || true
  wait "$WORKER" 2>/dev/null || true
}
trap 'stop_children; exit 130' INT
trap 'stop_children; exit 143' TERM
trap stop_children EXIT

# Announce once the web app answers (or right away if curl is missing).
if command -v curl >/dev/null 2>&1; then
  for ((i = 0; i < 600; i++)); do
    curl -s -o /dev/null --max-time 1 "$URL/" && break
    kill -0 "$WEB" 2>/dev/null || break
    sleep 0.1
  done
fi
if kill -0 "$WEB" 2>/dev/null; then
  echo
  echo "Nexus is running at $URL  (Ctrl-C stops web and worker; 'make db-stop' stops PostgreSQL)"
  echo
fi

# If either process exits on its own, stop the other and pass on its exit code.
set +e
wait -n "$WEB" "$WORKER"
rc=$?
set -e
if ((!stopping)); then
  echo "A Nexus process exited (code $rc); stopping the other." >&2
  stop_children
  exit "$rc"
fi
