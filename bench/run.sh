#!/usr/bin/env bash
# run.sh - benchmark logsift against zstd, grep and rg on two generated dumps: today's mix and an event-heavy one.
#
# Usage: bench/run.sh [SIZE_MB=256] [REPS=5]
#   LOGSIFT=/path/to/bin    logsift binary to measure (default: the Release build
#                           in build-bench; then logsift itself is not built)
#   LOGSIFT_ARGS="..."      extra arguments for every logsift run (word-split)
#   SEED=N                  generator seed (default 1; part of the cache names)
#   SWEEP_FILES=N           small .zst files in each sweep directory (default 5000)
#   WAIT_QUIET=SECONDS      before the rounds, wait up to this long (default 0)
#                           for a quiet machine: under 5% of the CPUs busy over 3 s
#   KEEP_TMP=1              keep the raw per-run times (bench/out/run.XXXXXX)
#   MIXES="mixed events"    which dumps to measure (default both):
#                           mixed  = gen_mixed's default mix (~70% events, 30% netstat)
#                           events = gen_mixed --mix=events (~85% event records)
#
# Steps: Release build in build-bench (targets logsift gen_mixed); for each mix
# generate bench/out/MIX-SIZE.log once (cached; regenerated when gen_mixed is
# newer), compress it with zstd -3 -T1 (cached), cut the sweep directory
# (cached), warm the page cache, then run every command of both mixes REPS
# times, round-robin (the mixes alternate which goes first), so time-of-day
# drift hits all alike. Start-up is measured last, on an empty file.
#
# Method as in matching-zstd-fuzzing.md section 2: MB = 1e6 decompressed bytes;
# grep and rg output goes to a file (GNU grep stops at the first match when
# stdout is /dev/null); grep and rg run under LC_ALL=C; medians, because this
# VM is noisy. Wall time is taken from bash's EPOCHREALTIME around
# /usr/bin/time (1 us resolution; time's own %e has 10 ms steps, too coarse
# for rg at GB/s); peak RSS is /usr/bin/time's %M, the largest over the
# rounds. For a pipeline %M is the largest single process in it, not the sum.
# CPU s is the median user+sys time (all threads, a pipeline's processes
# summed); time(1)'s 10 ms steps make it coarse for the fastest commands.
# This VM may be shared: the report gives the CPU time other processes took
# during the rounds (all CPU time from /proc/stat less the measured commands'
# user+sys) and the steal time; figures from a busy machine are not a baseline.
# Start-up: hyperfine -N (no shell) on `logsift EMPTYFILE`, median of 300
# runs after 20 warm-ups; without hyperfine, the median of 300 timed runs.
#
# Targets, each checked on each mix (ratio = the other command's median wall
# time / logsift's, so > 1 means logsift is faster):
#   logsift FILE            >= 1.0x  LC_ALL=C rg -c -f bench/rg-patterns.txt FILE
#   logsift FILE            >= 1.2x  LC_ALL=C grep -c TIME_WAIT FILE
#   logsift FILE.zst        >= 1.0x  zstd -dc FILE.zst >/dev/null (default: decoding
#                                    on one thread while the other scans)
#   logsift -j1 FILE.zst    >= 0.6x  zstd -dc FILE.zst >/dev/null
#   logsift DIR             >= 1.0x  zstd -dcr DIR >/dev/null (5,000 small .zst)
#   peak RSS of every logsift run < 64 MiB
# and once: start-up (logsift EMPTYFILE) < 5 ms.
#
# Exit status: 0 all targets met, 1 a target or a findings check failed,
# 2 setup error.
set -euo pipefail

SIZE_MB=${1:-256}
REPS=${2:-5}
SEED=${SEED:-1}
MIXES=${MIXES:-mixed events}
case $SIZE_MB in '' | *[!0-9]* | 0) echo "run.sh: SIZE_MB must be a positive integer" >&2; exit 2 ;; esac
case $REPS in '' | *[!0-9]* | 0) echo "run.sh: REPS must be a positive integer" >&2; exit 2 ;; esac
case $SEED in '' | *[!0-9]*) echo "run.sh: SEED must be a non-negative integer" >&2; exit 2 ;; esac
read -r -a mixes <<<"$MIXES"
[ ${#mixes[@]} -gt 0 ] || { echo "run.sh: MIXES is empty" >&2; exit 2; }
for m in "${mixes[@]}"; do
    case $m in mixed | events) ;; *) echo "run.sh: unknown mix '$m' (mixed, events)" >&2; exit 2 ;; esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build-bench
OUT=$ROOT/bench/out
PATTERNS=$ROOT/bench/rg-patterns.txt
mkdir -p "$OUT"
ME=run.sh
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

# targets (see the header)
T_RG=1.0 T_GREP=1.2 T_ZST=1.0 T_J1=0.6 T_SWEEP=1.0 T_RSS_MIB=64 T_START_MS=5
WAIT_QUIET=${WAIT_QUIET:-0}
case $WAIT_QUIET in '' | *[!0-9]*) echo "run.sh: WAIT_QUIET must be a non-negative integer" >&2; exit 2 ;; esac

# ---- tools -----------------------------------------------------------------
ensure_pkgs zstd:zstd /usr/bin/time:time rg:ripgrep hyperfine:hyperfine
command -v zstd >/dev/null 2>&1 || die "zstd is required"
[ -x /usr/bin/time ] || die "/usr/bin/time is required (Debian package 'time')"
command -v rg >/dev/null 2>&1 || die "rg is required (Debian package 'ripgrep'): it is a target's baseline"
command -v cmake >/dev/null 2>&1 || die "cmake is required"
[ -s "$PATTERNS" ] || die "missing $PATTERNS"
HAVE_HYPERFINE=0
command -v hyperfine >/dev/null 2>&1 && HAVE_HYPERFINE=1

# ---- build -----------------------------------------------------------------
targets=(gen_mixed)
if [ -z "${LOGSIFT:-}" ]; then
    targets+=(logsift)
fi
build_release "$ROOT" "$BUILD" "$OUT/build.log" "${targets[@]}"
GEN=$BUILD/gen_mixed
LOGSIFT=${LOGSIFT:-$BUILD/logsift}
[ -x "$LOGSIFT" ] || LOGSIFT=$(command -v "$LOGSIFT" 2>/dev/null) || die "LOGSIFT not executable: $LOGSIFT"
logsift_args=()
if [ -n "${LOGSIFT_ARGS:-}" ]; then
    read -r -a logsift_args <<<"$LOGSIFT_ARGS"
fi

# ---- data (cached) ----------------------------------------------------------
SWEEP_FILES=${SWEEP_FILES:-5000}
case $SWEEP_FILES in '' | *[!0-9]* | 0) echo "run.sh: SWEEP_FILES must be a positive integer" >&2; exit 2 ;; esac
declare -A plain zst planted sweep bytes zbytes sbytes sfiles
for m in "${mixes[@]}"; do
    name=$m-$SIZE_MB
    [ "$SEED" = 1 ] || name=$name-s$SEED
    gen_mix=()
    [ "$m" = events ] && gen_mix=(--mix=events)
    p=$OUT/$name.log
    plain[$m]=$p zst[$m]=$p.zst planted[$m]=$OUT/$name.planted.txt
    if [ ! -s "$p" ] || [ ! -s "${planted[$m]}" ] || [ "$GEN" -nt "$p" ]; then
        echo "== generating $p ($SIZE_MB MiB, seed $SEED${gen_mix[*]:+, ${gen_mix[*]}})" >&2
        # write aside, then rename: an interrupted run never leaves a truncated cache
        "$GEN" "$((SIZE_MB * 1024 * 1024))" "$SEED" "${gen_mix[@]}" >"$p.tmp" 2>"${planted[$m]}.tmp"
        mv "${planted[$m]}.tmp" "${planted[$m]}"
        mv "$p.tmp" "$p"
    fi
    zstd_cached "$p" "${zst[$m]}"
    # A forensic sweep: many small archives rather than one big one. The first
    # SWEEP_FILES x 8000 bytes of the dump, cut into 8000-byte pieces (mid-line,
    # as truncated captures are), each compressed on its own.
    s=$OUT/$name.sweep-$SWEEP_FILES
    sweep[$m]=$s
    if [ ! -d "$s" ] || [ "$p" -nt "$s" ]; then
        echo "== cutting $SWEEP_FILES small .zst files into $s" >&2
        rm -rf "$s" "$s.tmp"
        mkdir -p "$s.tmp"
        head -c "$((SWEEP_FILES * 8000))" "$p" | (cd "$s.tmp" && split -b 8000 -d -a 6 - part_)
        (cd "$s.tmp" && zstd -q -3 -T1 --rm part_*)
        mv "$s.tmp" "$s"
    fi
    bytes[$m]=$(wc -c <"$p")
    zbytes[$m]=$(wc -c <"${zst[$m]}")
    sbytes[$m]=$(zstd -dcrq "$s" | wc -c)
    sfiles[$m]=$(find "$s" -type f | wc -l) # fewer than SWEEP_FILES when the dump is small
done

# ---- commands ----------------------------------------------------------------
TMP=$(mktemp -d "$OUT/run.XXXXXX")
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT

# MIX_ID | label | kind (z: compare with zstd -dc, p: with grep -c, s: the
# sweep, with zstd -dcr) | argv... Commands run directly (exact RSS) unless
# they need a pipe. ids_of[MIX] lists that mix's ids in run order.
declare -A argv label kind ids_of
add() {
    local m=$1 id=$1_$2
    ids_of[$m]+="$id "
    label[$id]=$3 kind[$id]=$4
    shift 4
    argv[$id]=$(printf '%q ' "$@")
}
for m in "${mixes[@]}"; do
    P=${plain[$m]} Z=${zst[$m]} D=${sweep[$m]}
    add "$m" lz "logsift FILE.zst" z "$LOGSIFT" "${logsift_args[@]}" "$Z"
    add "$m" l1 "logsift -j1 FILE.zst (one thread)" z "$LOGSIFT" -j1 "${logsift_args[@]}" "$Z"
    add "$m" zd "zstd -dc FILE.zst >/dev/null" z zstd -q -dc "$Z"
    # shellcheck disable=SC2016 # $1 expands in the inner shell
    add "$m" zg "zstdcat FILE.zst | grep -c TIME_WAIT" z bash -c 'zstdcat -q "$1" | LC_ALL=C grep -c TIME_WAIT' _ "$Z"
    add "$m" lp "logsift FILE" p "$LOGSIFT" "${logsift_args[@]}" "$P"
    add "$m" gp "grep -c TIME_WAIT FILE" p env LC_ALL=C grep -c TIME_WAIT "$P"
    add "$m" rp "rg -c TIME_WAIT FILE" p env LC_ALL=C rg -c TIME_WAIT "$P"
    add "$m" rf "rg -c -f PATTERNS FILE (4 patterns)" p env LC_ALL=C rg -c -f "$PATTERNS" "$P"
    # shellcheck disable=SC2016 # likewise
    add "$m" lc "cat FILE | logsift -" p bash -c 'f=$1; shift; cat "$f" | "$@" -' _ "$P" "$LOGSIFT" "${logsift_args[@]}"
    add "$m" ls "logsift DIR (${sfiles[$m]} small .zst)" s "$LOGSIFT" "${logsift_args[@]}" "$D"
    add "$m" l1s "logsift -j1 DIR" s "$LOGSIFT" -j1 "${logsift_args[@]}" "$D"
    add "$m" l2s "logsift -j2 DIR" s "$LOGSIFT" -j2 "${logsift_args[@]}" "$D"
    add "$m" zs "zstd -dcr DIR >/dev/null" s zstd -q -dcr "$D"
done

# run ID: one measured run (lib.sh's measure); stdout to TMP/ID.out (zstd
# -dc/-dcr to /dev/null).
# shellcheck disable=SC2317 # rounds calls it
run() {
    local dest=$TMP/$1.out
    case $1 in *_zd | *_zs) dest=/dev/null ;; esac
    measure "$1" "$dest"
}

echo "== warming the page cache" >&2
for m in "${mixes[@]}"; do
    cat "${plain[$m]}" "${zst[$m]}" >/dev/null
    find "${sweep[$m]}" -type f -exec cat {} + >/dev/null
done
cat "$LOGSIFT" >/dev/null

wait_quiet "$WAIT_QUIET"
# the mixes alternate which goes first
rounds "$REPS" run "${mixes[@]}"

# ---- start-up ----------------------------------------------------------------
echo "== start-up: logsift on an empty file" >&2
EMPTY=$TMP/empty.log
: >"$EMPTY"
start_cmd=$(printf '%q ' "$LOGSIFT" "${logsift_args[@]}" "$EMPTY")
if [ "$HAVE_HYPERFINE" = 1 ]; then
    start_how="hyperfine -N --warmup 20 --runs 300 '$start_cmd' (median)"
    hyperfine -N -i --warmup 20 --runs 300 --export-json "$TMP/startup.json" -- "$start_cmd" >"$TMP/startup.log" 2>&1 ||
        die "hyperfine failed: $(tail -n 5 "$TMP/startup.log")"
    start_s=$(sed -n 's/^ *"median": *\([0-9.eE+-]*\),*$/\1/p' "$TMP/startup.json" | head -n 1)
    start_mean=$(sed -n 's/^ *"mean": *\([0-9.eE+-]*\),*$/\1/p' "$TMP/startup.json" | head -n 1)
else
    start_how="median of 300 runs of '$start_cmd' timed with EPOCHREALTIME (hyperfine not installed)"
    for ((i = 0; i < 320; i++)); do
        t0=$EPOCHREALTIME
        "$LOGSIFT" "${logsift_args[@]}" "$EMPTY" >/dev/null 2>&1 || true
        t1=$EPOCHREALTIME
        ((i < 20)) || awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$TMP/startup.times"
    done
    start_s=$(sort -g "$TMP/startup.times" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    start_mean=$(awk '{ s += $1 } END { print s / NR }' "$TMP/startup.times")
fi
/usr/bin/time -f '%M' -o "$TMP/startup.tf" "$LOGSIFT" "${logsift_args[@]}" "$EMPTY" >/dev/null 2>&1 || true
start_rss=$(awk '{ printf "%.1f", $1 / 1024 }' "$TMP/startup.tf")

# ---- report ------------------------------------------------------------------
declare -A med rss cpu
summarize "${mixes[@]}"
mbs() { awk -v b="$2" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", b / 1e6 / s; else print "inf" }'; }
# the exact command line of an id, as run (stdout to a file unless /dev/null)
shown() {
    case $1 in *_zd | *_zs) echo "${argv[$1]}>/dev/null" ;; *) echo "${argv[$1]}>OUT" ;; esac
}

NAME=$SIZE_MB
[ "$SEED" = 1 ] || NAME=$NAME-s$SEED
REPORT=$OUT/results-$NAME.txt
set +e # the report block's status is the verdict, not an error
{
    status=0
    echo "logsift benchmark: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n), $(nproc) CPUs; $REPS reps, median wall; MB = 1e6 decompressed bytes"
    echo "logsift: $LOGSIFT ${logsift_args[*]}"
    echo "tools: $(zstd -V | head -n 1); $(grep -V | head -n 1); $(rg -V | head -n 1)$([ "$HAVE_HYPERFINE" = 1 ] && echo "; $(hyperfine -V)")"
    echo "rg patterns ($PATTERNS, one a line):"
    sed 's/^/  /' "$PATTERNS"
    # CPU time of the whole machine during the rounds, less the commands' own
    machine_report "$ticks0" "$ticks1" "$t_rounds0" "$t_rounds1" "$busy_before"

    declare -A verdicts
    for m in "${mixes[@]}"; do
        echo
        echo "=== mix: $m ($([ "$m" = events ] && echo "gen_mixed --mix=events" || echo "gen_mixed default"))"
        echo "data: ${plain[$m]}"
        printf '      %s bytes plain, %s bytes zstd -3 (ratio %s)\n' "${bytes[$m]}" "${zbytes[$m]}" \
            "$(awk -v a="${bytes[$m]}" -v b="${zbytes[$m]}" 'BEGIN { printf "%.2f", a / b }')"
        echo "sweep: ${sweep[$m]} (${sfiles[$m]} files, ${sbytes[$m]} bytes decompressed)"
        echo
        printf '%-40s %9s %8s %7s %9s %11s\n' "command" "median s" "MB/s" "CPU s" "RSS MiB" "ratio"
        printf '%-40s %9s %8s %7s %9s %11s\n' "-------" "--------" "----" "-----" "-------" "-----"
        for id in ${ids_of[$m]}; do
            b=${bytes[$m]}
            case ${kind[$id]} in
            z) base=${m}_zd basename="zstd -dc" ;;
            s) base=${m}_zs basename="zstd -dcr" b=${sbytes[$m]} ;;
            *) base=${m}_gp basename="grep -c" ;;
            esac
            printf '%-40s %9.3f %8s %7.2f %9s %6sx %s\n' "${label[$id]}" "${med[$id]}" "$(mbs "${med[$id]}" "$b")" \
                "${cpu[$id]}" "${rss[$id]}" "$(ratio "$id" "$base")" "$basename"
        done
        echo
        B=${bytes[$m]}
        # target LINE ID BASE_ID MIN BYTES
        target() {
            local what=$1 id=${m}_$2 base=${m}_$3 min=$4 by=$5 r v
            r=$(ratio "$id" "$base")
            if ge "$r" "$min"; then
                v=PASS
            else # how much faster logsift must get
                v="FAIL, needs $(awk -v r="$r" -v t="$min" 'BEGIN { printf "%.2f", t / r }')x" status=1
            fi
            verdicts[$m.$2.$3]=$v
            printf 'target [%s] %s >= %sx: %sx (%s vs %s MB/s; on CPU time %sx): %s\n' "$m" "$what" "$min" "$r" \
                "$(mbs "${med[$id]}" "$by")" "$(mbs "${med[$base]}" "$by")" "$(cpu_ratio "$id" "$base")" "$v"
            echo "    $ $(shown "$id")"
            echo "    $ $(shown "$base")"
        }
        target "logsift FILE vs rg -c -f (4 patterns)" lp rf "$T_RG" "$B"
        target "logsift FILE vs grep -c TIME_WAIT" lp gp "$T_GREP" "$B"
        target "logsift FILE.zst (default) vs zstd -dc" lz zd "$T_ZST" "$B"
        target "logsift -j1 FILE.zst vs zstd -dc" l1 zd "$T_J1" "$B"
        target "logsift DIR (sweep, default) vs zstd -dcr" ls zs "$T_SWEEP" "${sbytes[$m]}"
        worst=0 worst_id=
        for id in ${ids_of[$m]}; do
            case $id in *_lz | *_l1 | *_lp | *_lc | *_ls | *_l1s | *_l2s) ;; *) continue ;; esac
            if awk -v a="${rss[$id]}" -v b="$worst" 'BEGIN { exit !(a > b) }'; then worst=${rss[$id]} worst_id=$id; fi
        done
        if awk -v a="$worst" -v t="$T_RSS_MIB" 'BEGIN { exit !(a < t) }'; then v=PASS; else v=FAIL status=1; fi
        verdicts[$m.rss]=$v
        echo "target [$m] peak RSS of every logsift run < $T_RSS_MIB MiB: largest $worst MiB (${label[$worst_id]}): $v"
        echo
        rc_z=$(cat "$TMP/${m}_lz.rc") rc_p=$(cat "$TMP/${m}_lp.rc") rc_c=$(cat "$TMP/${m}_lc.rc")
        n_z=$(wc -l <"$TMP/${m}_lz.out") n_p=$(wc -l <"$TMP/${m}_lp.out") n_c=$(wc -l <"$TMP/${m}_lc.out")
        # stdin is a pipe in the last run, which turns on live mode: early lines
        # carry "final":false and are not part of the comparison
        f_c=$(grep -vc '"final":false' "$TMP/${m}_lc.out" || true)
        expected=$(sed -n 's/.*expected_findings=\([0-9]*\).*/\1/p' "${planted[$m]}")
        echo "logsift exit codes (last round): zst=$rc_z plain=$rc_p pipe=$rc_c   (0 none, 1 findings, 2 errors)"
        echo "findings lines (wc -l):          zst=$n_z plain=$n_p pipe=$n_c (final lines: $f_c)   expected: ${expected:-?}"
        if [ "$n_z" = "$n_p" ] && [ "$n_p" = "$f_c" ] && [ "$rc_z" = "$rc_p" ] && [ "$rc_p" = "$rc_c" ]; then
            echo "check: zst, plain and pipe agree: PASS"
        else
            echo "check: zst, plain and pipe agree: FAIL"
            status=1
        fi
        # The default decodes these small files on one thread; -j2 forces the
        # second. All three must agree, exit 0 or 1, and say nothing on stderr.
        rc_s=$(cat "$TMP/${m}_ls.rc")
        if cmp -s "$TMP/${m}_ls.out" "$TMP/${m}_l1s.out" && cmp -s "$TMP/${m}_ls.out" "$TMP/${m}_l2s.out" &&
            [ "$rc_s" = "$(cat "$TMP/${m}_l1s.rc")" ] && [ "$rc_s" = "$(cat "$TMP/${m}_l2s.rc")" ] &&
            { [ "$rc_s" = 0 ] || [ "$rc_s" = 1 ]; } &&
            [ ! -s "$TMP/${m}_ls.err" ] && [ ! -s "$TMP/${m}_l1s.err" ] && [ ! -s "$TMP/${m}_l2s.err" ]; then
            echo "check: the sweep gives the same findings by default, with -j1 and -j2, without errors: PASS"
        else
            echo "check: the sweep gives the same findings by default, with -j1 and -j2, without errors: FAIL"
            status=1
        fi
        if [ "$n_p" = "${expected:-x}" ] && [ "$rc_p" = 1 ]; then
            echo "check: findings lines = expected_findings, exit 1: PASS"
        else
            echo "check: findings lines = expected_findings, exit 1: FAIL (see the tally and planted summary)"
            status=1
        fi
        for id in lz lp lc ls l1s l2s; do
            id=${m}_$id
            if [ -s "$TMP/$id.err" ] && [ "$(cat "$TMP/$id.rc")" != 0 ] && [ "$(cat "$TMP/$id.rc")" != 1 ]; then
                echo "logsift stderr ($id): $(head -c 400 "$TMP/$id.err")"
            fi
        done
        # tally by rule, severity and host, if the findings are NDJSON with those members
        if grep -q '"rule"' "$TMP/${m}_lp.out" 2>/dev/null; then
            echo "findings by rule / severity / host (plain run):"
            awk 'function member(k,   v) {
                     if (!match($0, "\"" k "\" *: *\"[^\"]*\"")) return "-"
                     v = substr($0, RSTART, RLENGTH); sub(/^[^:]*: *"/, "", v); sub(/"$/, "", v); return v
                 }
                 { print member("rule"), member("severity"), member("host") }' "$TMP/${m}_lp.out" |
                sort | uniq -c | sed 's/^/  /'
        fi
        echo "grep -c TIME_WAIT: $(cat "$TMP/${m}_gp.out")   rg -c TIME_WAIT: $(cat "$TMP/${m}_rp.out")   rg -c -f PATTERNS: $(cat "$TMP/${m}_rf.out")"
        echo "planted (${planted[$m]}):"
        sed 's/^/  /' "${planted[$m]}"
    done
    echo
    echo "=== start-up"
    start_ms=$(awk -v s="$start_s" 'BEGIN { printf "%.2f", s * 1000 }')
    if awk -v a="$start_ms" -v t="$T_START_MS" 'BEGIN { exit !(a < t) }'; then v=PASS; else v=FAIL status=1; fi
    verdicts[startup]=$v
    echo "target: start-up (logsift EMPTYFILE) < $T_START_MS ms: median $start_ms ms (mean $(awk -v s="$start_mean" 'BEGIN { printf "%.2f", s * 1000 }') ms, peak RSS $start_rss MiB): $v"
    echo "    $ $start_how"
    echo
    echo "=== summary (ratio = other command's median / logsift's)"
    printf '%-46s' "target"
    for m in "${mixes[@]}"; do printf ' %-28s' "$m"; done
    echo
    for row in "lp rf $T_RG logsift FILE >= ${T_RG}x rg -c -f" "lp gp $T_GREP logsift FILE >= ${T_GREP}x grep -c" \
        "lz zd $T_ZST logsift FILE.zst >= ${T_ZST}x zstd -dc" "l1 zd $T_J1 logsift -j1 FILE.zst >= ${T_J1}x zstd -dc" \
        "ls zs $T_SWEEP logsift DIR >= ${T_SWEEP}x zstd -dcr"; do
        read -r a b _ text <<<"$row"
        printf '%-46s' "$text"
        for m in "${mixes[@]}"; do printf ' %-28s' "$(ratio "${m}_$a" "${m}_$b")x ${verdicts[$m.$a.$b]}"; done
        echo
    done
    printf '%-46s' "peak RSS (largest logsift run) < ${T_RSS_MIB} MiB"
    for m in "${mixes[@]}"; do
        worst=0
        for id in ${ids_of[$m]}; do
            case $id in *_lz | *_l1 | *_lp | *_lc | *_ls | *_l1s | *_l2s) awk -v a="${rss[$id]}" -v b="$worst" 'BEGIN { exit !(a > b) }' && worst=${rss[$id]} ;; esac
        done
        printf ' %-28s' "$worst MiB ${verdicts[$m.rss]}"
    done
    echo
    printf '%-46s %s\n' "start-up < ${T_START_MS} ms" "$start_ms ms ${verdicts[startup]}"
    echo "exit: $status"
    exit "$status"
} | tee "$REPORT"
status=${PIPESTATUS[0]}
set -e
echo "(report saved to $REPORT)" >&2
exit "$status"
