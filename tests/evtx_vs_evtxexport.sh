#!/usr/bin/env bash
# evtx_vs_evtxexport.sh - logsift --dump against `evtxexport -f xml`, field by
# field, on every shared sample and on a generated file: every record that
# evtxexport prints must agree (System fields and EventData items).
#
# Usage: evtx_vs_evtxexport.sh LOGSIFT GEN_EVTX SAMPLES_DIR
# Exit 0 all agree, 1 a difference, 77 skipped (evtxexport, python3 or the
# samples missing; the reason is printed).
set -euo pipefail
LOGSIFT=$1 GEN=$2 SAMPLES=$3
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for tool in evtxexport python3; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (Debian: libevtx-utils, python3)"; exit 77; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
files=()
if [ -d "$SAMPLES" ]; then
    while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$SAMPLES" -name '*.evtx' -print0 | sort -z)
else
    echo "note: $SAMPLES not present: the shared samples are not compared"
fi
"$GEN" "$WORK/gen.evtx" 400000 4 2>/dev/null
files+=("$WORK/gen.evtx")
fail=0 compared=0
for f in "${files[@]}"; do
    "$LOGSIFT" -j1 --dump "$f" >"$WORK/a.ndjson" 2>/dev/null || [ $? -eq 2 ]
    # evtxexport stops at a file's first bad record (exit 1): what it printed is compared.
    evtxexport -f xml "$f" >"$WORK/b.xml" 2>/dev/null || true
    if out=$(python3 "$HERE/evtx_vs_evtxexport.py" "$WORK/a.ndjson" "$WORK/b.xml" --max-diffs 5 2>&1); then
        echo "ok   $(basename "$f"): $out"
    else
        echo "FAIL $(basename "$f"): $out"
        fail=1
    fi
    compared=$((compared + 1))
done
echo "$compared files compared"
exit $fail
