#!/usr/bin/env bash
# evtx.sh - benchmark logsift on .evtx logs (sweep and --dump) against evtxexport and python-evtx on the same data.
#
# Usage: bench/evtx.sh [REPS=5]
#   LOGSIFT=/path/to/bin    logsift binary to measure (default: the Release build
#                           in build-bench; then logsift itself is not built)
#   WAIT_QUIET=SECONDS      before the rounds, wait up to this long (default 0)
#                           for a quiet machine: under 5% of the CPUs busy over 3 s
#   KEEP_TMP=1              keep the raw per-run times (bench/out/evtx.XXXXXX)
#   EVTX_SAMPLES=DIR        the real samples (default ../shared/samples/evtx beside the repository)
#   COPIES=N                copies of the samples in the big sample input (default 25)
#
# Inputs, built once and cached in bench/out/ (git-ignored):
#   samples-x25/            the samples' .evtx files (19, 19.9 MB) copied COPIES
#                           times into NN/ directories: real copies
#                           (cp --reflink=never), not hard links or reflinks, so
#                           each is its own page-cache data, as on a collection
#                           share. Skipped, with a message, when EVTX_SAMPLES
#                           is absent.
#   mix-512.evtx            gen_evtx 512 MiB, seed 1: the default fleet mix, about
#                           60% Security, 25% System, 15% Application records
#   gen-32.evtx, gen-2.evtx gen_evtx 32 MiB and 2 MiB, seed 1: slices for the
#                           slow readers
# Each is regenerated when gen_evtx is newer. The slices for the other
# readers: evtxexport on the samples (one process per
# file, as a user would loop) on the first 5 copies (samples-x5, hard links,
# ~100 MB) and on gen-32.evtx; evtx_dump.py (python-evtx,
# ~0.1 MB/s) on samples-x25/01/omerbenamram-evtx/system.evtx and on
# gen-2.evtx. logsift is measured on the same slices, so every ratio is on
# the same bytes.
#
# Commands: on each big input logsift -j1 and -j2 (the sweep: findings,
# exit 1 when there are some; the samples' damaged records make it 2), and
# logsift -j1/-j2 --dump; on each slice logsift -j1, logsift -j1 --dump and
# the other reader. All output goes to /dev/null. Before the rounds, untimed:
# every input is read once (page cache warm), its records counted (logsift
# --stats "N records read"), -j1 and -j2 compared (same findings, same
# exit, same --dump bytes) and --dump's lines counted against the records.
#
# Method as bench/run.sh (helpers in bench/lib.sh): every command REPS
# times, round-robin (the order reverses every other round), medians of the
# wall time (EPOCHREALTIME around /usr/bin/time), CPU s = median user+sys
# (all threads; time(1)'s 10 ms steps), peak RSS = time's %M, the largest over
# the rounds (for the evtxexport loop, the largest single process). MB = 1e6
# bytes of .evtx input (chunk slack included, as in the reference's table);
# records/s uses logsift's count for that input, for every reader. The
# report gives the CPU time other processes took during the rounds and the
# steal time: figures from a busy machine are not a baseline.
#
# Targets (ratio = the other reader's median wall time / logsift's):
#   logsift -j1 sweep            >= 1000 MB/s, on samples-x25 and mix-512 (per core)
#   logsift -j1 sweep            >= 100x evtxexport -f xml, on both evtxexport slices
#   logsift -j1 --dump           >= 400 MB/s, on samples-x25 and mix-512
#   peak RSS of every logsift run < 64 MiB
#
# `make bench` runs bench/run.sh and then this; `make bench-evtx` this only.
# Exit status: 0 all targets met, 1 a target or a check failed, 2 setup error.
set -euo pipefail

REPS=${1:-5}
case $REPS in '' | *[!0-9]* | 0) echo "evtx.sh: REPS must be a positive integer" >&2; exit 2 ;; esac
WAIT_QUIET=${WAIT_QUIET:-0}
case $WAIT_QUIET in '' | *[!0-9]*) echo "evtx.sh: WAIT_QUIET must be a non-negative integer" >&2; exit 2 ;; esac
COPIES=${COPIES:-25}
SLICE_COPIES=5
case $COPIES in '' | *[!0-9]* | 0) echo "evtx.sh: COPIES must be a positive integer" >&2; exit 2 ;; esac
SAMPLES=${EVTX_SAMPLES:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/shared/samples/evtx}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build-bench
OUT=$ROOT/bench/out
mkdir -p "$OUT"
ME=evtx.sh
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

# targets (see the header)
T_SWEEP_MBS=1000 T_EXPORT_X=100 T_DUMP_MBS=400 T_RSS_MIB=64

# ---- tools -----------------------------------------------------------------
ensure_pkgs /usr/bin/time:time evtxexport:libevtx-utils evtx_dump.py:python3-evtx
[ -x /usr/bin/time ] || die "/usr/bin/time is required (Debian package 'time')"
command -v cmake >/dev/null 2>&1 || die "cmake is required"
command -v evtxexport >/dev/null 2>&1 || die "evtxexport is required (Debian package 'libevtx-utils'): it is a target's baseline"
HAVE_PY=0
if command -v evtx_dump.py >/dev/null 2>&1; then
    HAVE_PY=1
else
    echo "evtx.sh: evtx_dump.py (Debian package 'python3-evtx') not found: python-evtx is left out" >&2
fi

# ---- build -----------------------------------------------------------------
targets=(gen_evtx)
[ -n "${LOGSIFT:-}" ] || targets+=(logsift)
build_release "$ROOT" "$BUILD" "$OUT/build-evtx.log" "${targets[@]}"
GEN=$BUILD/gen_evtx
LOGSIFT=${LOGSIFT:-$BUILD/logsift}
[ -x "$LOGSIFT" ] || LOGSIFT=$(command -v "$LOGSIFT" 2>/dev/null) || die "LOGSIFT not executable: $LOGSIFT"

# ---- data (cached) ----------------------------------------------------------
# gen NAME MIB: bench/out/NAME from gen_evtx MIB MiB seed 1, its summary line
# in NAME.planted.txt; written aside, then renamed, so an interrupted run
# never leaves a truncated cache.
gen() {
    local p=$OUT/$1
    if [ ! -s "$p" ] || [ ! -s "$p.planted.txt" ] || [ "$GEN" -nt "$p" ]; then
        echo "== generating $p ($2 MiB, seed 1)" >&2
        "$GEN" "$p.tmp" "$(($2 * 1024 * 1024))" 1 2>"$p.planted.txt.tmp" || die "gen_evtx failed: $(cat "$p.planted.txt.tmp")"
        mv "$p.planted.txt.tmp" "$p.planted.txt"
        mv "$p.tmp" "$p"
    fi
}
gen mix-512.evtx 512
gen gen-32.evtx 32
gen gen-2.evtx 2

HAVE_SAMPLES=0
SX=$OUT/samples-x$COPIES
if [ -d "$SAMPLES" ] && [ -n "$(find "$SAMPLES" -name '*.evtx' -print -quit)" ]; then
    HAVE_SAMPLES=1
    # The cache is complete when its stamp names the source's file list and sizes.
    want=$(cd "$SAMPLES" && find . -name '*.evtx' -printf '%P %s\n' | LC_ALL=C sort | cksum)
    if [ ! -f "$SX/.stamp" ] || [ "$(cat "$SX/.stamp")" != "$want" ]; then
        echo "== copying the samples $COPIES times into $SX (real copies)" >&2
        rm -rf "$SX" "$SX.tmp"
        for ((i = 1; i <= COPIES; i++)); do
            d=$SX.tmp/$(printf '%02d' "$i")
            (cd "$SAMPLES" && find . -name '*.evtx' -printf '%P\n') | while read -r f; do
                mkdir -p "$d/$(dirname "$f")"
                cp --reflink=never "$SAMPLES/$f" "$d/$f"
            done
        done
        echo "$want" >"$SX.tmp/.stamp"
        mv "$SX.tmp" "$SX"
    fi
    # The evtxexport slice: the first copies, hard-linked (the same bytes).
    # The samples once (20 MB, 19 files) is too small a slice: logsift reads
    # it in about 11 ms, of which 2 ms are its start and most of the rest
    # per-file opening and mapping, while evtxexport's cost is per byte.
    S5=$OUT/samples-x$SLICE_COPIES
    if [ ! -d "$S5" ] || [ "$SX/.stamp" -nt "$S5" ]; then
        rm -rf "$S5"
        mkdir -p "$S5"
        for ((i = 1; i <= SLICE_COPIES && i <= COPIES; i++)); do
            cp -al "$SX/$(printf '%02d' "$i")" "$S5/"
        done
    fi
else
    echo "evtx.sh: no .evtx samples in $SAMPLES: the samples-x$COPIES input and the samples slices are skipped" >&2
fi

# ---- inputs and commands -------------------------------------------------------
TMP=$(mktemp -d "$OUT/evtx.XXXXXX")
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT

# Inputs, in report order: key -> path, title, and the files under it.
declare -A path title nfiles bytes
inputs=()
input() {
    inputs+=("$1")
    path[$1]=$2 title[$1]=$3
    nfiles[$1]=$(find "$2" -name '*.evtx' -type f | wc -l)
    bytes[$1]=$(find "$2" -name '*.evtx' -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
}
if [ "$HAVE_SAMPLES" = 1 ]; then
    input sx "$SX" "samples-x$COPIES: the real samples copied $COPIES times"
fi
input mx "$OUT/mix-512.evtx" "mix-512.evtx: gen_evtx 512 MiB, seed 1 (fleet mix)"
if [ "$HAVE_SAMPLES" = 1 ]; then
    input s1 "$S5" "slice: the samples $SLICE_COPIES times ($S5, hard links to the first copies)"
fi
input g32 "$OUT/gen-32.evtx" "slice: gen-32.evtx (gen_evtx 32 MiB, seed 1)"
if [ "$HAVE_PY" = 1 ]; then
    if [ "$HAVE_SAMPLES" = 1 ]; then
        sys=$SX/01/omerbenamram-evtx/system.evtx
        [ -f "$sys" ] || die "no $sys in the samples"
        input sy "$sys" "slice: system.evtx (samples)"
    fi
    input g2 "$OUT/gen-2.evtx" "slice: gen-2.evtx (gen_evtx 2 MiB, seed 1)"
fi

# KEY_CMD | label; ids_of[KEY] lists the input's ids in run order; shown[ID]
# is the command as the report prints it, when argv's quoting would hide it.
declare -A argv label ids_of shown
add() {
    local id=$1_$2
    ids_of[$1]+="$id "
    label[$id]=$3
    shift 3
    argv[$id]=$(printf '%q ' "$@")
}
for k in "${inputs[@]}"; do
    P=${path[$k]}
    what=FILE
    [ -d "$P" ] && what=DIR
    add "$k" s1 "logsift -j1 $what (sweep)" "$LOGSIFT" -j1 "$P"
    case $k in sx | mx) add "$k" s2 "logsift -j2 $what (sweep)" "$LOGSIFT" -j2 "$P" ;; esac
    add "$k" d1 "logsift -j1 --dump $what" "$LOGSIFT" -j1 --dump "$P"
    case $k in sx | mx) add "$k" d2 "logsift -j2 --dump $what" "$LOGSIFT" -j2 --dump "$P" ;; esac
    case $k in
    s1)
        mapfile -t files < <(find "$P" -name '*.evtx' -type f | LC_ALL=C sort)
        # shellcheck disable=SC2016 # $f and $bad expand in the inner shell
        add "$k" ex "for f in DIR/*.evtx: evtxexport -f xml \$f" bash -c \
            'bad=0; for f; do evtxexport -f xml "$f" || bad=$((bad + 1)); done; exit "$bad"' _ "${files[@]}"
        shown[${k}_ex]="for f in \$(find $P -name '*.evtx' | LC_ALL=C sort); do evtxexport -f xml \"\$f\"; done "
        ;;
    g32) add "$k" ex "evtxexport -f xml FILE" evtxexport -f xml "$P" ;;
    sy | g2) add "$k" py "evtx_dump.py FILE (python-evtx)" evtx_dump.py "$P" ;;
    esac
done

# ---- checks (untimed; they also warm the page cache) -------------------------
echo "== reading every input once: records, -j1 against -j2" >&2
cat "$LOGSIFT" >/dev/null
declare -A records dump_lines check_msg
checks_ok=1
for k in "${inputs[@]}"; do
    P=${path[$k]}
    find "$P" -name '*.evtx' -type f -exec cat {} + >/dev/null
    rc1=0 rc2=0
    "$LOGSIFT" -j1 --stats "$P" >"$TMP/$k.find1" 2>"$TMP/$k.stats1" || rc1=$?
    "$LOGSIFT" -j2 "$P" >"$TMP/$k.find2" 2>/dev/null || rc2=$?
    records[$k]=$(sed -n 's/.* \([0-9][0-9]*\) records read.*/\1/p' "$TMP/$k.stats1" | tail -n 1)
    [ -n "${records[$k]}" ] || die "no 'records read' in logsift --stats on $P: $(tail -n 3 "$TMP/$k.stats1")"
    dump_lines[$k]=$("$LOGSIFT" -j2 --dump "$P" 2>/dev/null | wc -l || true)
    msg=""
    cmp -s "$TMP/$k.find1" "$TMP/$k.find2" && [ "$rc1" = "$rc2" ] || msg+=" sweep -j1 and -j2 differ (exit $rc1 / $rc2);"
    if ! cmp -s <("$LOGSIFT" -j1 --dump "$P" 2>/dev/null) <("$LOGSIFT" -j2 --dump "$P" 2>/dev/null); then
        msg+=" --dump -j1 and -j2 differ;"
    fi
    [ "${dump_lines[$k]}" = "${records[$k]}" ] || msg+=" --dump wrote ${dump_lines[$k]} lines for ${records[$k]} records;"
    case $k in
    sx | s1 | sy) # the samples hold damaged records, which logsift reports (exit 2)
        case $rc1 in 0 | 1 | 2) ;; *) msg+=" sweep exit $rc1;" ;; esac ;;
    *)
        expected=$(sed -n 's/.*expected_findings=\([0-9]*\).*/\1/p' "$P.planted.txt")
        [ "$rc1" = 1 ] && [ "$(wc -l <"$TMP/$k.find1")" = "${expected:-x}" ] ||
            msg+=" sweep exit $rc1 with $(wc -l <"$TMP/$k.find1") findings, gen_evtx planted ${expected:-?};"
        ;;
    esac
    check_msg[$k]=${msg:- PASS}
    [ -z "$msg" ] || checks_ok=0
done

# ---- rounds ------------------------------------------------------------------
wait_quiet "$WAIT_QUIET"
# shellcheck disable=SC2317 # rounds calls it
run() { measure "$1" /dev/null; }
rounds "$REPS" run "${inputs[@]}"

# ---- report ------------------------------------------------------------------
declare -A med rss cpu
summarize "${inputs[@]}"
mbs() { awk -v b="${bytes[$2]}" -v s="${med[$1]}" 'BEGIN { if (s <= 0) print "inf"; else { v = b / 1e6 / s; printf (v < 10 ? "%.3f" : "%.1f"), v } }'; }
recs() { awk -v r="${records[$2]}" -v s="${med[$1]}" 'BEGIN { if (s > 0) printf "%.0f", r / s; else print "inf" }'; }
# ratio A B: B's median / A's (how many times faster A is)
ratio() { awk -v a="${med[$1]}" -v b="${med[$2]}" 'BEGIN { if (a > 0) printf "%.1f", b / a; else print "-" }'; }

REPORT=$OUT/results-evtx.txt
set +e # the report block's status is the verdict, not an error
{
    status=0
    echo "logsift .evtx benchmark: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n), $(nproc) CPUs; $REPS reps, median wall; MB = 1e6 bytes of .evtx"
    echo "logsift: $LOGSIFT"
    echo "tools: evtxexport $(evtxexport -V 2>/dev/null | sed -n 's/^evtxexport //p' | head -n 1)$([ "$HAVE_PY" = 1 ] && echo "; python-evtx $(dpkg-query -W -f='${Version}' python3-evtx 2>/dev/null || echo '?') on $(python3 -V 2>&1)")"
    machine_report "$ticks0" "$ticks1" "$t_rounds0" "$t_rounds1" "$busy_before"
    [ "$HAVE_SAMPLES" = 1 ] || echo "samples: none in $SAMPLES, so no samples-x$COPIES input and no samples slices"
    for k in "${inputs[@]}"; do
        echo
        echo "=== ${title[$k]}"
        printf '    %s: %s .evtx files, %s bytes, %s records (logsift), check:%s\n' "${path[$k]}" "${nfiles[$k]}" \
            "${bytes[$k]}" "${records[$k]}" "${check_msg[$k]}"
        printf '%-40s %9s %9s %11s %8s %8s\n' "command" "median s" "MB/s" "records/s" "CPU s" "RSS MiB"
        for id in ${ids_of[$k]}; do
            printf '%-40s %9.3f %9s %11s %8.2f %8s\n' "${label[$id]}" "${med[$id]}" "$(mbs "$id" "$k")" \
                "$(recs "$id" "$k")" "${cpu[$id]}" "${rss[$id]}"
        done
        for id in ${ids_of[$k]}; do
            echo "    $ ${shown[$id]:-${argv[$id]}}>/dev/null"
        done
        if [ -n "${med[${k}_ex]:-}" ]; then
            echo "    evtxexport exit (last round): $(cat "$TMP/${k}_ex.rc") (the loop's: how many files it failed on)"
        fi
    done

    echo
    echo "=== targets"
    for k in sx mx; do
        [ -n "${path[$k]:-}" ] || continue
        v=$(mbs "${k}_s1" "$k")
        if ge "$v" "$T_SWEEP_MBS"; then r=PASS; else r="FAIL, needs $(awk -v v="$v" -v t="$T_SWEEP_MBS" 'BEGIN { printf "%.2f", t / v }')x" status=1; fi
        echo "target [$k] logsift -j1 sweep >= $T_SWEEP_MBS MB/s: $v MB/s: $r"
        v=$(mbs "${k}_d1" "$k")
        if ge "$v" "$T_DUMP_MBS"; then r=PASS; else r="FAIL, needs $(awk -v v="$v" -v t="$T_DUMP_MBS" 'BEGIN { printf "%.2f", t / v }')x" status=1; fi
        echo "target [$k] logsift -j1 --dump >= $T_DUMP_MBS MB/s: $v MB/s: $r"
    done
    for k in s1 g32; do
        [ -n "${path[$k]:-}" ] || continue
        x=$(ratio "${k}_s1" "${k}_ex")
        if ge "$x" "$T_EXPORT_X"; then r=PASS; else r="FAIL, needs $(awk -v v="$x" -v t="$T_EXPORT_X" 'BEGIN { printf "%.2f", t / v }')x" status=1; fi
        echo "target [$k] logsift -j1 sweep >= ${T_EXPORT_X}x evtxexport -f xml: ${x}x ($(mbs "${k}_s1" "$k") vs $(mbs "${k}_ex" "$k") MB/s): $r"
        echo "    (for scale: logsift -j1 --dump is $(ratio "${k}_d1" "${k}_ex")x evtxexport -f xml)"
    done
    for k in sy g2; do
        [ -n "${path[$k]:-}" ] || continue
        echo "python-evtx [$k]: logsift -j1 sweep $(ratio "${k}_s1" "${k}_py")x, --dump $(ratio "${k}_d1" "${k}_py")x evtx_dump.py ($(mbs "${k}_py" "$k") MB/s)"
    done
    worst=0 worst_id=
    for k in "${inputs[@]}"; do
        for id in ${ids_of[$k]}; do
            case $id in *_ex | *_py) continue ;; esac
            if awk -v a="${rss[$id]}" -v b="$worst" 'BEGIN { exit !(a > b) }'; then worst=${rss[$id]} worst_id=$id; fi
        done
    done
    if awk -v a="$worst" -v t="$T_RSS_MIB" 'BEGIN { exit !(a < t) }'; then r=PASS; else r=FAIL status=1; fi
    echo "target peak RSS of every logsift run < $T_RSS_MIB MiB: largest $worst MiB (${label[$worst_id]}, $worst_id): $r"
    if [ "$checks_ok" = 1 ]; then
        echo "checks (-j1 = -j2 for the sweep and --dump, --dump lines = records, exit codes): PASS"
    else
        echo "checks (-j1 = -j2 for the sweep and --dump, --dump lines = records, exit codes): FAIL (see each input)"
        status=1
    fi
    for k in mx g32 g2; do
        [ -n "${path[$k]:-}" ] && echo "gen_evtx [$k]: $(cut -d'|' -f1 "${path[$k]}.planted.txt")"
    done
    echo "exit: $status"
    exit "$status"
} | tee "$REPORT"
status=${PIPESTATUS[0]}
set -e
echo "(report saved to $REPORT)" >&2
exit "$status"
