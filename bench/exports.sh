#!/usr/bin/env bash
# exports.sh - benchmark logsift on SIEM exports (Winlogbeat 8 NDJSON, plain and zstd, and a wevtutil XML dump) against zstd -dc, jq and rg on the same files.
#
# Usage: bench/exports.sh [SIZE_MB=1024] [REPS=5]
#   SIZE_MB                 about how large the Winlogbeat NDJSON is (MB = 1e6 bytes);
#                           the XML dump holds the same records
#   LOGSIFT=/path/to/bin    logsift binary to measure (default: the Release build
#                           in build-bench; then logsift itself is not built)
#   SEED=N                  generator seed (default 1; part of the cache names)
#   WAIT_QUIET=SECONDS      before the rounds, wait up to this long (default 0)
#                           for a quiet machine: under 5% of the CPUs busy over 3 s
#   KEEP_TMP=1              keep the raw per-run times and outputs (bench/out/exports.XXXXXX)
#
# Inputs, built once and cached in bench/out/ (git-ignored), regenerated when
# gen_evtx is newer; NAME is exports-SIZE_MB (-sSEED when SEED is not 1):
#   NAME.ndjson        gen_evtx --winlogbeat: the fleet mix (about 60% Security
#                      records), one ECS document a line, event_id a string as
#                      Winlogbeat 8 writes it
#   NAME.ndjson.zst    zstd -3 -T1 of it
#   NAME.xml           gen_evtx --xml, the same records: `wevtutil qe /f:xml`, one
#                      <Event> a line, no root element
#   NAME.planted.txt   gen_evtx's summary: what was planted, and how many records
#                      of ids 1000, 6013 and 4227 it wrote (noise included)
# gen_evtx writes the twins of an .evtx it throws away (/dev/null); the .evtx
# size it is given is scaled from a 4 MiB calibration run so that the NDJSON
# comes out at about SIZE_MB.
#
# Commands (stdout to a file, as in bench/run.sh; zstd -dc to /dev/null):
#   NDJSON   logsift FILE; logsift -j1 FILE;
#            jq -c 'select(.winlog.event_id|tostring=="6013")' FILE (event_id is a
#            string in Winlogbeat 8 and a number in 7: tostring matches both);
#            rg -c on the 6013 records; rg -c on the records logsift's rules are
#            triggered by (6013, svchost.exe_TSGateway, 4227/4231)
#   .zst     logsift FILE.zst; logsift -j1 FILE.zst; zstd -dc FILE.zst
#   XML      logsift FILE; logsift -j1 FILE; the same two rg -c
# A format that logsift --help does not list (json, xml) is not measured: its
# targets say NOT MEASURED and count as missed.
#
# Checks, on the last round's outputs; any failure fails the bench:
#   logsift exits 1 with gen_evtx's expected findings (one line per planted
#   host and rule, each planted rule present), the same findings (paths
#   aside) from FILE, FILE.zst and -j1;
#   jq and rg -c 6013 find every 6013 record gen_evtx wrote; rg -c triggers
#   finds the 6013, the planted svchost.exe_TSGateway crashes and the 4227s.
#
# Targets (ratio = the other command's median wall time / logsift's):
#   logsift FILE.zst (default settings)   >= 1.0x zstd -dc FILE.zst
#   logsift FILE (NDJSON)                 >= 20x  jq -c 'select(... 6013)' FILE
#   peak RSS of every logsift run         < 64 MiB
#
# Method as bench/run.sh (helpers in bench/lib.sh): every command REPS times,
# interleaved round-robin (the order reverses every other round), medians of
# the wall time, CPU s = median user+sys, peak RSS = /usr/bin/time's %M, the
# largest over the rounds. MB = 1e6 bytes of uncompressed input. Targets are
# judged on wall time; the ratio on CPU time is printed beside it. The report
# gives the CPU time other processes took during the rounds: figures from a
# busy machine are not a baseline (WAIT_QUIET waits for a quiet one).
#
# `make bench` runs bench/run.sh, bench/evtx.sh and this; `make bench-exports`
# this only. Exit status: 0 all targets met, 1 a target or a check failed,
# 2 setup error.
set -euo pipefail

ME=exports.sh
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
BUILD=$ROOT/build-bench
OUT=$ROOT/bench/out
mkdir -p "$OUT"

SIZE_MB=$(uint SIZE_MB "${1:-1024}" 1)
REPS=$(uint REPS "${2:-5}" 1)
SEED=$(uint SEED "${SEED:-1}" 0)
WAIT_QUIET=$(uint WAIT_QUIET "${WAIT_QUIET:-0}" 0)

# targets (see the header)
T_ZST=1.0 T_JQ=20 T_RSS_MIB=64

# ---- tools -----------------------------------------------------------------
ensure_pkgs zstd:zstd /usr/bin/time:time rg:ripgrep jq:jq
for t in zstd rg jq cmake; do
    command -v "$t" >/dev/null 2>&1 || die "$t is required"
done
[ -x /usr/bin/time ] || die "/usr/bin/time is required (Debian package 'time')"

# ---- build -----------------------------------------------------------------
build_with_logsift "$ROOT" "$BUILD" "$OUT/build-exports.log" gen_evtx
GEN=$BUILD/gen_evtx

# The formats logsift reads: the first word of each line under "Formats:" in --help.
FORMATS=" $("$LOGSIFT" --help | awk '/^Formats:/ { f = 1; next } f && /^  [^ ]/ { print $1 } f && /^$/ { f = 0 }' | tr '\n' ' ')"
reads() { case $FORMATS in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# ---- data (cached) ------------------------------------------------------------
NAME=exports-$SIZE_MB
[ "$SEED" = 1 ] || NAME=$NAME-s$SEED
ND=$OUT/$NAME.ndjson ZS=$OUT/$NAME.ndjson.zst XM=$OUT/$NAME.xml PLANTED=$OUT/$NAME.planted.txt
if [ ! -s "$ND" ] || [ ! -s "$XM" ] || [ ! -s "$PLANTED" ] || [ "$GEN" -nt "$ND" ]; then
    cal=$OUT/$NAME.calibrate.ndjson
    "$GEN" /dev/null $((4 * 1048576)) "$SEED" --winlogbeat="$cal" 2>/dev/null || die "gen_evtx failed (calibration)"
    evtx_bytes=$(awk -v want="$SIZE_MB" -v got="$(wc -c <"$cal")" 'BEGIN { printf "%.0f", want * 1e6 * 4 * 1048576 / got }')
    rm -f "$cal"
    echo "== generating $ND and $XM (gen_evtx $evtx_bytes bytes of .evtx, seed $SEED)" >&2
    "$GEN" /dev/null "$evtx_bytes" "$SEED" --winlogbeat="$ND.tmp" --xml="$XM.tmp" 2>"$PLANTED.tmp" ||
        die "gen_evtx failed: $(cat "$PLANTED.tmp")"
    mv "$ND.tmp" "$ND"
    mv "$XM.tmp" "$XM"
    mv "$PLANTED.tmp" "$PLANTED"
fi
zstd_cached "$ND" "$ZS"

# What gen_evtx wrote: the findings it planted, and the records a filter finds.
planted() { sed -n "s/.*$1\([0-9][0-9]*\).*/\1/p" "$PLANTED"; }
EXPECTED=$(planted 'expected_findings=')
N6013=$(planted 'records by id: 1000=[0-9]* 6013=')
N4227=$(planted 'records by id: .* 4227=')
NCRASH=$(planted 'Event 1000 x')
if [ -z "$EXPECTED" ] || [ -z "$N6013" ] || [ -z "$N4227" ] || [ -z "$NCRASH" ]; then
    die "cannot read $PLANTED"
fi
N_TRIGGERS=$((N6013 + NCRASH + N4227))

# ---- commands -----------------------------------------------------------------
TMP=$(mktemp -d "$OUT/exports.XXXXXX")
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT

# Inputs (groups for rounds): key -> file, title, logsift format, bytes.
declare -A file title fmt bytes argv label ids_of expect
groups=(nd zs xm)
file[nd]=$ND title[nd]="Winlogbeat 8 NDJSON" fmt[nd]=json
file[zs]=$ZS title[zs]="the same NDJSON, zstd -3" fmt[zs]=json
file[xm]=$XM title[xm]="wevtutil /f:xml dump of the same records" fmt[xm]=xml
bytes[nd]=$(wc -c <"$ND") bytes[zs]=${bytes[nd]} bytes[xm]=$(wc -c <"$XM")

# add GROUP KEY LABEL EXPECTED_COUNT CMD...: EXPECTED_COUNT is what the
# command's output must count (wc -l for jq, the number rg -c prints), "-"
# for none, "findings" for a logsift run.
add() {
    local id=$1_$2
    ids_of[$1]+="$id "
    label[$id]=$3 expect[$id]=$4
    shift 4
    argv[$id]=$(printf '%q ' "$@")
}
# rg patterns: a record per line in both files, so rg -c counts records.
RG_ND_6013='"event_id":"?6013"?[,}]'
RG_ND_TRIG=(-e "$RG_ND_6013" -e 'svchost\.exe_TSGateway' -e '"event_id":"?42(27|31)"?[,}]')
RG_XM_6013='>6013</EventID>'
RG_XM_TRIG=(-e "$RG_XM_6013" -e 'svchost\.exe_TSGateway' -e '>42(27|31)</EventID>')
JQ_6013='select(.winlog.event_id|tostring=="6013")'
for g in "${groups[@]}"; do
    F=${file[$g]}
    if reads "${fmt[$g]}"; then
        add "$g" l "logsift FILE" findings "$LOGSIFT" "$F"
        add "$g" l1 "logsift -j1 FILE" findings "$LOGSIFT" -j1 "$F"
    else
        echo "$ME: logsift --help lists no '${fmt[$g]}' format (it lists:$FORMATS): logsift not measured on $F" >&2
    fi
done
add nd jq "jq -c 'select(event_id 6013)' FILE" "$N6013" jq -c "$JQ_6013" "$ND"
add nd r1 "rg -c 6013 records FILE" "$N6013" env LC_ALL=C rg -c "$RG_ND_6013" "$ND"
add nd rt "rg -c trigger records FILE" "$N_TRIGGERS" env LC_ALL=C rg -c "${RG_ND_TRIG[@]}" "$ND"
add zs zd "zstd -dc FILE.zst >/dev/null" - zstd -q -dc "$ZS"
add xm r1 "rg -c 6013 records FILE" "$N6013" env LC_ALL=C rg -c "$RG_XM_6013" "$XM"
add xm rt "rg -c trigger records FILE" "$N_TRIGGERS" env LC_ALL=C rg -c "${RG_XM_TRIG[@]}" "$XM"

# shellcheck disable=SC2317 # rounds calls it
run() {
    local dest=$TMP/$1.out
    [ "$1" != zs_zd ] || dest=/dev/null
    measure "$1" "$dest"
}

echo "== warming the page cache" >&2
cat "$ND" "$ZS" "$XM" "$LOGSIFT" >/dev/null
wait_quiet "$WAIT_QUIET"
rounds "$REPS" run "${groups[@]}"

# ---- checks (the last round's outputs) -------------------------------------------
# check_count ID: the output counts what gen_evtx wrote.
check_count() {
    local id=$1 got
    case $id in *_jq) got=$(wc -l <"$TMP/$id.out") ;; *) got=$(cat "$TMP/$id.out") ;; esac
    if [ "$got" = "${expect[$id]}" ]; then echo "PASS ($got)"; else echo "FAIL: $got, gen_evtx wrote ${expect[$id]}"; fi
}
# check_findings ID: exit 1, one line per planted host and rule, every
# planted rule among them.
check_findings() {
    local id=$1 rc n r msg=""
    rc=$(cat "$TMP/$id.rc")
    n=$(wc -l <"$TMP/$id.out")
    [ "$rc" = 1 ] || msg+=" exit $rc;"
    [ "$n" = "$EXPECTED" ] || msg+=" $n findings, gen_evtx planted $EXPECTED;"
    for r in rdgw-crash uptime-497 tcpip-port-exhaustion; do
        grep -q "\"rule\":\"$r\"" "$TMP/$id.out" || msg+=" no $r;"
    done
    if [ -z "$msg" ]; then echo "PASS ($n findings)"; else echo "FAIL:$msg $(head -c 300 "$TMP/$id.err")"; fi
}
# the findings without their evidence paths, to compare FILE with FILE.zst
findings_of() { sed 's/"path":"[^"]*"//g' "$TMP/$1.out"; }

# ---- report ------------------------------------------------------------------
# mbs ID GROUP: MB/s of ID on GROUP's uncompressed bytes (ratio and
# cpu_ratio are lib.sh's).
mbs() { awk -v b="${bytes[$2]}" -v s="${med[$1]}" 'BEGIN { if (s <= 0) print "inf"; else { v = b / 1e6 / s; printf (v < 10 ? "%.2f" : "%.0f"), v } }'; }
declare -A med rss cpu
summarize "${groups[@]}"

# Prints the report; returns 0 when every target and check passed.
report() {
    local status=0 g id c pair a b r worst worst_id
    echo "logsift exports benchmark: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n), $(nproc) CPUs; $REPS reps, median wall; MB = 1e6 uncompressed bytes"
    echo "logsift: $LOGSIFT (formats:$FORMATS)"
    echo "tools: $(zstd -V | head -n 1); $(jq --version); $(rg -V | head -n 1)"
    machine_report "$ticks0" "$ticks1" "$t_rounds0" "$t_rounds1" "$busy_before"
    echo "planted ($PLANTED): $(cat "$PLANTED")"
    for g in "${groups[@]}"; do
        echo
        echo "=== ${title[$g]}: ${file[$g]} ($(wc -c <"${file[$g]}") bytes; ${bytes[$g]} uncompressed)"
        printf '%-44s %9s %8s %7s %8s   %s\n' "command" "median s" "MB/s" "CPU s" "RSS MiB" "check"
        for id in ${ids_of[$g]}; do
            case ${expect[$id]} in
            -) c="-" ;;
            findings) c=$(check_findings "$id") ;;
            *) c=$(check_count "$id") ;;
            esac
            case $c in FAIL*) status=1 ;; esac
            printf '%-44s %9.3f %8s %7.2f %8s   %s\n' "${label[$id]}" "${med[$id]}" "$(mbs "$id" "$g")" "${cpu[$id]}" \
                "${rss[$id]}" "$c"
        done
        for id in ${ids_of[$g]}; do
            echo "    $ ${argv[$id]}>$([ "$id" = zs_zd ] && echo /dev/null || echo OUT)"
        done
    done

    echo
    echo "=== checks across inputs"
    for pair in "nd_l zs_l" "nd_l nd_l1" "zs_l zs_l1" "xm_l xm_l1"; do
        read -r a b <<<"$pair"
        if [ -z "${med[$a]:-}" ] || [ -z "${med[$b]:-}" ]; then continue; fi
        if cmp -s <(findings_of "$a") <(findings_of "$b"); then r=PASS; else r=FAIL status=1; fi
        echo "check: ${label[$a]} [$a] and ${label[$b]} [$b] give the same findings (paths aside): $r"
    done

    echo
    echo "=== targets"
    # target ID BASE MIN WHAT
    target() {
        local x r
        if [ -z "${med[$1]:-}" ]; then
            echo "target $4 >= ${3}x: NOT MEASURED (logsift reads no '${fmt[${1%%_*}]}' yet)"
            status=1
            return
        fi
        x=$(ratio "$1" "$2")
        if ge "$x" "$3"; then r=PASS; else r="FAIL, needs $(awk -v v="$x" -v t="$3" 'BEGIN { printf "%.2f", t / v }')x" status=1; fi
        echo "target $4 >= ${3}x: ${x}x ($(mbs "$1" "${1%%_*}") vs $(mbs "$2" "${2%%_*}") MB/s; on CPU time $(cpu_ratio "$1" "$2")x): $r"
    }
    target zs_l zs_zd "$T_ZST" "logsift FILE.zst (default settings) vs zstd -dc FILE.zst"
    target nd_l nd_jq "$T_JQ" "logsift FILE (NDJSON) vs jq -c 'select(6013)'"
    [ -z "${med[xm_l]:-}" ] || echo "for scale: logsift on the XML dump is $(ratio xm_l xm_r1)x rg -c 6013 on it, $(ratio xm_l xm_rt)x rg -c triggers"
    [ -z "${med[nd_l]:-}" ] || echo "for scale: logsift on the NDJSON is $(ratio nd_l nd_r1)x rg -c 6013 on it, $(ratio nd_l nd_rt)x rg -c triggers"
    worst=0 worst_id=
    for g in "${groups[@]}"; do
        for id in ${ids_of[$g]}; do
            [ "${expect[$id]}" = findings ] || continue
            if awk -v a="${rss[$id]}" -v b="$worst" 'BEGIN { exit !(a > b) }'; then worst=${rss[$id]} worst_id=$id; fi
        done
    done
    if [ -z "$worst_id" ]; then
        echo "target peak RSS of every logsift run < $T_RSS_MIB MiB: NOT MEASURED (no logsift run)"
        status=1
    elif awk -v a="$worst" -v t="$T_RSS_MIB" 'BEGIN { exit !(a < t) }'; then
        echo "target peak RSS of every logsift run < $T_RSS_MIB MiB: largest $worst MiB (${label[$worst_id]}, $worst_id): PASS"
    else
        echo "target peak RSS of every logsift run < $T_RSS_MIB MiB: largest $worst MiB (${label[$worst_id]}, $worst_id): FAIL"
        status=1
    fi
    echo "exit: $status"
    return "$status"
}
report_to "$OUT/results-exports.txt" report || exit $?
