#!/usr/bin/env bash
# Runs the whole test suite against the private PostgreSQL cluster (or NEXUS_DATABASE) and
# ends with one line "N passed, N failed" (see scripts/test-summary.sh). Called by `make test`
# after the front-end assets are built. Extra arguments go to `dotnet test`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

SLN="${SLN:-Nexus.sln}"
RESULTS="$ROOT/.data/test-results"

# Browser tests drive Debian's chromium through Playwright.
if ! command -v chromium >/dev/null 2>&1; then
  if [[ ${EUID:-$(id -u)} -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: chromium not found; installing it with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update && apt-get install -y chromium; } >&2
  else
    echo "test.sh: the browser tests need Chromium on PATH as 'chromium'." >&2
    echo "  Debian/Ubuntu: sudo apt-get install chromium" >&2
    echo "0 passed, 0 failed"
    exit 1
  fi
fi

if ! DB="$(scripts/db.sh ensure)"; then
  echo "test.sh: could not get a PostgreSQL database (see above)" >&2
  echo "0 passed, 0 failed"
  exit 1
fi

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

set +e
NEXUS_TEST_DATABASE="$DB" dotnet test "$SLN" \
  --logger "trx;LogFilePrefix=results" \
  --results-directory "$RESULTS" \
  "$@"
test_rc=$?
set -e

if ((test_rc != 0)); then
  echo "test.sh: dotnet test exited with code $test_rc" >&2
fi

# The summary is always the last line, whatever dotnet test did.
set +e
scripts/test-summary.sh "$RESULTS"
summary_rc=$?
set -e
if ((summary_rc != 0)); then exit "$summary_rc"; fi
exit "$test_rc"
