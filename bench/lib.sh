# lib.sh - what bench/run.sh and bench/evtx.sh share: the quiet-machine wait,
# the CPU accounting, the Release build, one measured run, medians.
# Sourced, not run. The caller sets ME (its name in messages), TMP (the
# per-run directory), the associative array argv (id -> shell-quoted
# command) for measure(), and ids_of (group -> ids) for rounds().
# shellcheck shell=bash

die() { echo "$ME: $*" >&2; exit 2; }

# uint NAME VALUE MIN: prints VALUE when it is an integer >= MIN (0 or 1),
# else ends the run (status 2) naming NAME.
uint() {
    case $2 in '' | *[!0-9]*) die "$1 must be a non-negative integer, not '$2'" ;; esac
    [ "$3" = 0 ] || [ "$2" -gt 0 ] || die "$1 must be a positive integer, not '$2'"
    echo "$2"
}

# cpu_ticks: "busy steal total" clock ticks of all CPUs so far (/proc/stat)
cpu_ticks() {
    awk '/^cpu / { b = $2 + $3 + $4 + $7 + $8; t = 0; for (i = 2; i <= 9; i++) t += $i; print b, $9, t; exit }' /proc/stat
}
# busy_pct SECONDS: share of all CPUs busy over the next SECONDS
busy_pct() {
    local a b
    a=$(cpu_ticks)
    sleep "$1"
    b=$(cpu_ticks)
    awk -v a="$a" -v b="$b" 'BEGIN { split(a, x); split(b, y); d = y[3] - x[3]; printf "%.1f", (d > 0 ? 100 * (y[1] - x[1]) / d : 0) }'
}

# wait_quiet SECONDS: wait up to SECONDS (0: not at all) for a quiet
# machine, under 5% of the CPUs busy over 3 s; then measure anyway.
wait_quiet() {
    local limit=$1 waited=0 pct
    [ "$limit" -gt 0 ] || return 0
    while :; do
        pct=$(busy_pct 3)
        waited=$((waited + 3))
        awk -v p="$pct" 'BEGIN { exit !(p < 5) }' && return 0
        if [ "$waited" -ge "$limit" ]; then
            echo "$ME: still ${pct}% busy after ${waited} s; measuring anyway" >&2
            return 0
        fi
        echo "   machine ${pct}% busy; waiting for quiet (${waited}/${limit} s)" >&2
    done
}

# ensure_pkgs CMD:PACKAGE...: apt-get install the packages whose command is
# missing (as root only; a fresh machine may have no package lists yet:
# update, then retry once). The caller checks what it cannot do without.
ensure_pkgs() {
    local need=() pair cmd
    for pair in "$@"; do
        cmd=${pair%%:*}
        if [ "${cmd#/}" != "$cmd" ]; then [ -x "$cmd" ] || need+=("${pair#*:}"); continue; fi
        command -v "$cmd" >/dev/null 2>&1 || need+=("${pair#*:}")
    done
    [ ${#need[@]} -gt 0 ] || return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "$ME: installing ${need[*]}" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 &&
              DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1; } ||
            echo "$ME: apt-get install failed; continuing with what is there" >&2
    fi
}

# build_release ROOT BUILD LOG TARGET...: configure a Release build (Ninja on
# a fresh tree when there is one) and build the targets; the log goes to LOG.
build_release() {
    local root=$1 build=$2 log=$3 gen_args=()
    shift 3
    if [ ! -f "$build/CMakeCache.txt" ] && command -v ninja >/dev/null 2>&1; then
        gen_args=(-G Ninja)
    fi
    echo "== build (Release, $build): $*" >&2
    if ! { cmake -S "$root" -B "$build" "${gen_args[@]}" -DCMAKE_BUILD_TYPE=Release -DSIFT_TESTS=OFF &&
           cmake --build "$build" --target "$@" -j "$(nproc)"; } >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        die "build failed (full log: $log)"
    fi
}

# build_with_logsift ROOT BUILD LOG TARGET...: build_release of the targets
# and of logsift, unless LOGSIFT names the binary to measure; LOGSIFT is
# then the path of the one measured.
build_with_logsift() {
    local extra=()
    [ -n "${LOGSIFT:-}" ] || extra=(logsift)
    build_release "$@" "${extra[@]}"
    LOGSIFT=${LOGSIFT:-$2/logsift}
    [ -x "$LOGSIFT" ] || LOGSIFT=$(command -v "$LOGSIFT" 2>/dev/null) || die "LOGSIFT not executable: $LOGSIFT"
}

# measure ID DEST: one measured run of ${argv[ID]}, stdout to DEST, stderr
# to TMP/ID.err; appends "wall_s rss_kib cpu_s" to TMP/ID.times and leaves
# the exit status in TMP/ID.rc. Wall time is EPOCHREALTIME around
# /usr/bin/time (1 us steps; time's %e has 10 ms ones), RSS time's %M,
# CPU time its user+sys.
measure() {
    local id=$1 dest=$2 t0 t1 rc=0 rss cpu_u cpu_s
    # shellcheck disable=SC2154 # argv is the caller's
    eval "set -- ${argv[$id]}"
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%e %M %U %S' -o "$TMP/$id.tf" "$@" >"$dest" 2>"$TMP/$id.err" || rc=$?
    t1=$EPOCHREALTIME
    # time(1) prefixes "Command exited with non-zero status N" when N != 0
    read -r _ rss cpu_u cpu_s < <(tail -n 1 "$TMP/$id.tf")
    awk -v a="$t0" -v b="$t1" -v m="$rss" -v u="$cpu_u" -v s="$cpu_s" \
        'BEGIN { printf "%.6f %d %.2f\n", b - a, m, u + s }' >>"$TMP/$id.times"
    echo "$rc" >"$TMP/$id.rc"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# rounds REPS RUN GROUP...: REPS rounds of `RUN ID` for every id of every
# group (the caller's ids_of[GROUP], a list), round-robin; every other round
# takes the groups in reverse, so time-of-day drift hits all alike. Sets
# busy_before (busy % just before), ticks0/ticks1 and t_rounds0/t_rounds1
# for machine_report.
# shellcheck disable=SC2034,SC2154 # ids_of and what it sets are the caller's
rounds() {
    local reps=$1 run=$2 rep i id n=0 l order
    shift 2
    local groups=("$@")
    for i in "${groups[@]}"; do
        read -r -a l <<<"${ids_of[$i]}"
        n=$((n + ${#l[@]}))
    done
    busy_before=$(busy_pct 1)
    ticks0=$(cpu_ticks)
    t_rounds0=$EPOCHREALTIME
    echo "== $reps rounds x $n commands (${groups[*]}), round-robin" >&2
    for ((rep = 1; rep <= reps; rep++)); do
        order=("${groups[@]}")
        if ((rep % 2 == 0)); then
            order=()
            for ((i = ${#groups[@]} - 1; i >= 0; i--)); do order+=("${groups[$i]}"); done
        fi
        for i in "${order[@]}"; do
            for id in ${ids_of[$i]}; do
                "$run" "$id"
            done
        done
        printf '   round %d/%d done\n' "$rep" "$reps" >&2
    done
    ticks1=$(cpu_ticks)
    t_rounds1=$EPOCHREALTIME
}

# summarize GROUP...: for every id of the groups (ids_of), med[ID] and
# cpu[ID] (median wall and CPU s) and rss[ID] (the largest peak RSS, MiB)
# from TMP/ID.times, in the caller's associative arrays med, cpu and rss.
# shellcheck disable=SC2034,SC2004,SC2154 # med, cpu, rss and ids_of are the caller's
summarize() {
    local g id
    for g; do
        for id in ${ids_of[$g]}; do
            med[$id]=$(awk '{ print $1 }' "$TMP/$id.times" | median)
            cpu[$id]=$(awk '{ print $3 }' "$TMP/$id.times" | median)
            rss[$id]=$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { printf "%.1f", m / 1024 }' "$TMP/$id.times")
        done
    done
}

# ratio A B: B's median wall time / A's (how many times faster A is), from
# the caller's med (summarize); cpu_ratio A B: the same on CPU time
# (user+sys, all threads), steadier than wall time on a shared machine but
# blind to what a second thread wins.
# shellcheck disable=SC2154 # med and cpu are the caller's
ratio() { awk -v a="${med[$1]}" -v b="${med[$2]}" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }'; }
# shellcheck disable=SC2154
cpu_ratio() { awk -v a="${cpu[$1]}" -v b="${cpu[$2]}" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }'; }

ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }

# machine_report TICKS0 TICKS1 WALL0 WALL1 BUSY_BEFORE: one line on what
# else ran during the rounds: all CPU time from /proc/stat less the measured
# commands' (every TMP/*.times), and the steal time.
machine_report() {
    awk -v a="$1" -v b="$2" -v w0="$3" -v w1="$4" -v pre="$5" -v hz="$(getconf CLK_TCK)" \
        -v ours="$(cat "$TMP"/*.times | awk '{ s += $3 } END { print s + 0 }')" -v n="$(nproc)" '
        BEGIN {
            split(a, x); split(b, y); w = w1 - w0
            busy = (y[1] - x[1]) / hz; steal = (y[2] - x[2]) / hz; other = busy - ours
            if (other < 0) other = 0
            printf "machine during the rounds (%.0f s): other processes %.1f CPU-s (%.0f%% of %d CPUs), steal %.1f CPU-s; busy %s%% just before%s\n",
                w, other, 100 * other / (w * n), n, steal, pre,
                (other / (w * n) > 0.05 || pre + 0 > 5) ? "   WARNING: not a quiet machine, figures are noisy" : ""
        }'
}

# zstd_cached SRC DST: DST is zstd -3 -T1 of SRC, made again when SRC is
# newer; written aside, then renamed, so an interrupted run leaves no
# truncated cache.
zstd_cached() {
    if [ ! -s "$2" ] || [ "$1" -nt "$2" ]; then
        echo "== compressing $1 (zstd -3 -T1)" >&2
        zstd -q -3 -T1 -f "$1" -o "$2.tmp"
        mv "$2.tmp" "$2"
    fi
}

# report_to FILE FN: runs FN, which prints the report and returns the
# verdict, with its output also saved to FILE; returns FN's status.
report_to() {
    local status
    set +e
    "$2" | tee "$1"
    status=${PIPESTATUS[0]}
    set -e
    echo "(report saved to $1)" >&2
    return "$status"
}
