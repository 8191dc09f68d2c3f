#!/usr/bin/env bash
# Sums the <Counters> of every .trx file under a directory (default .data/test-results) and
# prints, as its last line, exactly "N passed, N failed" (plus ", N skipped" when tests were
# not executed). Exits 1 when something failed or no .trx file was found.
# "failed" counts the trx outcomes failed, error, timeout and aborted; "skipped" is notExecuted.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
DIR="${1:-$ROOT/.data/test-results}"

# Value of attribute $2 in the tag text $1 (0 when absent).
attr() {
  local re="[[:space:]]$2=\"([0-9]+)\""
  if [[ $1 =~ $re ]]; then echo "${BASH_REMATCH[1]}"; else echo 0; fi
}

passed=0 failed=0 skipped=0 files=0
while IFS= read -r -d '' f; do
  files=$((files + 1))
  # The Counters element sits on one line in files written by VSTest and MTP; tr makes that
  # irrelevant anyway.
  counters="$(tr '\r\n' '  ' <"$f" | grep -o '<Counters[[:space:]][^>]*>' | head -n 1 || true)"
  if [[ -z $counters ]]; then
    echo "test-summary: no <Counters> in $f" >&2
    failed=$((failed + 1))
    continue
  fi
  passed=$((passed + $(attr "$counters" passed)))
  failed=$((failed + $(attr "$counters" failed) + $(attr "$counters" error) + $(attr "$counters" timeout) + $(attr "$counters" aborted)))
  skipped=$((skipped + $(attr "$counters" notExecuted)))
done < <(find "$DIR" -type f -name '*.trx' -print0 2>/dev/null)

line="$passed passed, $failed failed"
((skipped > 0)) && line+=", $skipped skipped"

# Kept for .ci/run, which repeats the line after make's own error message.
{ [[ -d $DIR ]] && printf '%s\n' "$line" >"$DIR/summary.txt"; } 2>/dev/null || true

if ((files == 0)); then
  echo "test-summary: no .trx files under $DIR (the tests did not run or did not build)" >&2
  echo "$line"
  exit 1
fi
echo "$line"
((failed == 0))
