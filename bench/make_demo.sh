#!/usr/bin/env bash
# make_demo.sh - regenerate corpus/demo/ deterministically: small compressed triage dumps, one per input format and rule.
#
# Usage: bench/make_demo.sh        (rewrites corpus/demo/*; see corpus/demo/README.md)
#
# Everything comes from the templates and small loops below, with a fixed-seed
# LCG for ids and GUIDs, TZ=UTC and LC_ALL=C, so a rerun gives the same bytes
# (gzip -n drops name and mtime; zstd stores neither). Files are compressed
# as a person would receive them (zstd and gzip; logsift picks the codec from
# the magic bytes, not the name), two of them in per-host subdirectories.
set -euo pipefail
export LC_ALL=C TZ=UTC

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEMO=$ROOT/corpus/demo
for tool in zstd gzip iconv date awk sed; do
    command -v "$tool" >/dev/null 2>&1 || { echo "make_demo.sh: $tool is required" >&2; exit 2; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$DEMO/rdg01" "$DEMO/fs01"

# ---- helpers ---------------------------------------------------------------
seed=20241002
# rnd: next value of a 31-bit LCG into REPLY (a function, not $(...), so the
# state advances in this shell)
rnd() { seed=$(((seed * 1103515245 + 12345) % 2147483648)); REPLY=$seed; }
guid() {
    local a b c d
    rnd; a=$REPLY; rnd; b=$REPLY; rnd; c=$REPLY; rnd; d=$REPLY
    printf -v GUID '%08x-%04x-4%03x-%04x-%04x%08x' "$a" $((b & 0xffff)) $(((b >> 16) & 0xfff)) \
        $(((c & 0x3fff) | 0x8000)) $(((c >> 16) & 0xffff)) "$d"
}
epoch() { date -u -d "$1" +%s; }
# Event Viewer en-US: 10/2/2024 8:01:13 AM
vdate() { date -u -d "@$1" '+%-m/%-d/%Y %-I:%M:%S %p'; }
# wevtutil: 2024-09-27T12:00:00.5120000Z
wdate() { printf '%s.%07dZ' "$(date -u -d "@$1" '+%Y-%m-%dT%H:%M:%S')" "$2"; }
crlf() { sed 's/$/\r/'; }
zst() { zstd -q -19 --no-progress -c >"$1"; }
gz() { gzip -9 -n -c >"$1"; }

# Event Viewer "Copy details as text": LOG SOURCE EPOCH ID TASK LEVEL KEYWORDS
# USER COMPUTER; the description comes on stdin; a blank line ends the record.
viewer() {
    printf 'Log Name:      %s\nSource:        %s\nDate:          %s\nEvent ID:      %s\n' "$1" "$2" "$(vdate "$3")" "$4"
    printf 'Task Category: %s\nLevel:         %s\nKeywords:      %s\nUser:          %s\nComputer:      %s\nDescription:\n' \
        "$5" "$6" "$7" "$8" "$9"
    cat
    printf '\n'
}

# wevtutil qe /f:text: N LOG SOURCE EPOCH FRAC7 ID LEVEL COMPUTER; description on stdin.
wevt() {
    printf 'Event[%s]:\n  Log Name: %s\n  Source: %s\n  Date: %s\n  Event ID: %s\n  Task: N/A\n  Level: %s\n' \
        "$1" "$2" "$3" "$(wdate "$4" "$5")" "$6" "$7"
    printf '  Opcode: N/A\n  Keyword: Classic\n  User: N/A\n  User Name: N/A\n  Computer: %s\n  Description: \n' "$8"
    cat
    printf '\n'
}

# ---- 1. rdg01/Application.txt.zst: Event Viewer text, CRLF, newest first ----
RDG=RDG01.corp.example.com
base=$(epoch '2024-10-02 08:00:00')
jitter=(13 -41 27 55 -8 36 -52 4 47 -19 31 -33) # seconds, within +-1 min
{
    # "EPOCH KIND ARG" lines, sorted newest first below (Event Viewer order)
    for i in "${!jitter[@]}"; do
        echo "$((base + i * 1800 + jitter[i])) crash $i"
    done
    echo "$(epoch '2024-10-02 07:30:02') spp 0"
    echo "$(epoch '2024-10-02 07:45:40') other 0"
    echo "$(epoch '2024-10-02 09:12:17') esent 0"
    echo "$(epoch '2024-10-02 11:02:33') vss 0"
    echo "$(epoch '2024-10-02 14:05:12') spp 1"
} | sort -k1,1nr >"$WORK/rdg.list"

crash_1000() { # EPOCH APP APPVER APPTS MODULE MODVER MODTS CODE OFFSET PID START APPPATH MODPATH
    guid
    viewer Application 'Application Error' "$1" 1000 'Application Crashing Events' Error Classic N/A "$RDG" <<EOF
Faulting application name: $2, version: $3, time stamp: 0x$4
Faulting module name: $5, version: $6, time stamp: 0x$7
Exception code: 0x$8
Fault offset: 0x$9
Faulting process id: 0x${10}
Faulting application start time: 0x${11}
Faulting application path: ${12}
Faulting module path: ${13}
Report Id: $GUID
Faulting package full name: 
Faulting package-relative application ID: 
EOF
}
# WER 1001: EPOCH EVENTNAME P1..P8 (BEX64: P7 offset, P8 code; APPCRASH swapped)
wer_1001() {
    local report archive
    rnd; archive=$(printf '%08x%08x' "$REPLY" $((REPLY * 7 % 2147483648)))
    guid; report=$GUID
    rnd
    viewer Application 'Windows Error Reporting' "$1" 1001 None Information Classic N/A "$RDG" <<EOF
Fault bucket $((1000000000 + REPLY)), type 5
Event Name: $2
Response: Not available
Cab Id: 0

Problem signature:
P1: $3
P2: $4
P3: $5
P4: $6
P5: $7
P6: $8
P7: $9
P8: ${10}
P9: 
P10: 

Attached files:
\\\\?\\C:\\ProgramData\\Microsoft\\Windows\\WER\\Temp\\WER${archive:0:4}.tmp.mdmp

These files may be available here:
\\\\?\\C:\\ProgramData\\Microsoft\\Windows\\WER\\ReportArchive\\AppCrash_${3}_${archive}

Analysis symbol: 
Rechecking for solution: 0
Report Id: $report
Report Status: 268435456
Hashed bucket: 
Cab Guid: 0
EOF
}

{
    prev_start=$(epoch '2024-10-01 06:12:44') # service start before the first crash
    while read -r t kind arg; do
        case $kind in
        crash)
            # the service restarts about a minute after each crash: new pid, new start time
            st=$prev_start
            [ "$arg" -gt 0 ] && st=$((base + (arg - 1) * 1800 + jitter[arg - 1] + 61))
            rnd; pid=$(printf '%x' $(((REPLY % 6000 + 300) * 4)))
            ft=$(printf '%016x' $(((st + 11644473600) * 10000000 + REPLY % 10000000)))
            crash_1000 "$t" svchost.exe_TSGateway 10.0.20348.2582 8c1e4f2a aaedge.dll 10.0.20348.2582 \
                6f1c2d3e c0000005 000000000004b7a2 "$pid" "$ft" \
                'C:\Windows\system32\svchost.exe' 'C:\Windows\System32\aaedge.dll'
            wer_1001 $((t + 2)) BEX64 svchost.exe_TSGateway 10.0.20348.2582 8c1e4f2a aaedge.dll \
                10.0.20348.2582 6f1c2d3e 000000000004b7a2 c0000005
            ;;
        other) # another svchost crash with the same code: must not count as rdgw-crash
            crash_1000 "$t" svchost.exe_TermService 10.0.20348.1 5e3b2c51 termsrv.dll 10.0.20348.2527 \
                a4e1c3b7 c0000005 0000000000027f10 1d8c 01db1476c5e2a910 \
                'C:\Windows\System32\svchost.exe' 'C:\Windows\System32\termsrv.dll'
            wer_1001 $((t + 1)) APPCRASH svchost.exe_TermService 10.0.20348.1 5e3b2c51 termsrv.dll \
                10.0.20348.2527 a4e1c3b7 c0000005 0000000000027f10
            ;;
        spp)
            viewer Application Microsoft-Windows-Security-SPP "$t" 16384 None Information Classic N/A "$RDG" <<EOF
Successfully scheduled Software Protection service for re-start at $(date -u -d "@$((t + 3155673600))" '+%Y-%m-%dT%H:%M:%SZ'). Reason: RulesEngine.
EOF
            ;;
        esent)
            viewer Application ESENT "$t" 326 General Information Classic N/A "$RDG" <<'EOF'
svchost (3816,D,50) SRUJet: The database engine attached a database (1, C:\Windows\system32\SRU\SRUDB.dat). (Time=0 seconds)
EOF
            ;;
        vss)
            viewer Application VSS "$t" 8224 None Information Classic N/A "$RDG" <<'EOF'
The VSS service is shutting down due to idle timeout. 
EOF
            ;;
        esac
    done <"$WORK/rdg.list"
} | crlf | zst "$DEMO/rdg01/Application.txt.zst"

# ---- 2. app-sql02-system.txt.gz: wevtutil qe System /f:text, LF, oldest first ----
SQL=APP-SQL02.corp.example.com
T4227='TCP/IP failed to establish an outgoing connection because the selected local endpoint was recently used to connect to the same remote endpoint. This error typically occurs when outgoing connections are opened and closed at a high rate, causing all available local ports to be used and forcing TCP/IP to reuse a local port for an outgoing connection. To minimize the risk of data corruption, the TCP/IP standard requires a minimum time period to elapse between successive connections from a given local endpoint to a given remote endpoint.'
T4231='A request to allocate an ephemeral port number from the global TCP port space has failed due to all such ports being in use.'
SVCS=('Windows Modules Installer' 'Windows Update' 'Background Intelligent Transfer Service'
      'SQL Server Agent (MSSQLSERVER)' 'WinHTTP Web Proxy Auto-Discovery Service' 'Software Protection')
{
    d0=$(epoch '2024-09-27 12:00:00')
    for day in 0 1 2 3 4 5; do
        noon=$((d0 + day * 86400))
        # 42,690,000 + n*86,400: the fourth (9/30) is 473 s short of 42,949,673, the fifth crosses
        echo "$noon 6013 $((42690000 + day * 86400))"
        echo "$((noon - 13000 + day * 611)) 7036 $((day % 6))"
        echo "$((noon + 9000 - day * 377)) 7036 $(((day + 3) % 6))"
        echo "$((noon + 30100 + day * 53)) 7036 $(((day + 1) % 6))"
    done
    echo "$(epoch '2024-10-01 14:22:10') 4227 -"
    echo "$(epoch '2024-10-02 09:41:03') 4227 -"
    echo "$(epoch '2024-10-02 10:15:47') 4227 -"
    echo "$(epoch '2024-10-02 11:03:19') 4231 -"
} | sort -k1,1n >"$WORK/sql.list"
{
    n=0
    while read -r t kind arg; do
        rnd; frac=$((REPLY % 10000000))
        case $kind in
        6013) wevt $n System EventLog "$t" "$frac" 6013 Information "$SQL" <<<"The system uptime is $arg seconds." ;;
        7036) wevt $n System 'Service Control Manager' "$t" "$frac" 7036 Information "$SQL" \
                  <<<"The ${SVCS[arg]} service entered the $([ $((t % 2)) = 0 ] && echo running || echo stopped) state." ;;
        4227) wevt $n System Tcpip "$t" "$frac" 4227 Warning "$SQL" <<<"$T4227" ;;
        4231) wevt $n System Tcpip "$t" "$frac" 4231 Error "$SQL" <<<"$T4231" ;;
        esac
        n=$((n + 1))
    done <"$WORK/sql.list"
} | gz "$DEMO/app-sql02-system.txt.gz"

# ---- 3. dc01-system.txt.zst: Event Viewer text saved as UTF-16LE + BOM, CRLF ----
DC=DC01.corp.example.com
{
    d0=$(epoch '2024-10-01 12:00:00')
    for day in 0 1 2; do
        noon=$((d0 + day * 86400))
        echo "$noon 6013 $((39741120 + day * 86400))" # 459.97 .. 461.97 days
        echo "$((noon - 7211 + day * 97)) 35 -"
        echo "$((noon + 3907 - day * 45)) 7036 $day"
        echo "$((noon + 20333 + day * 71)) 10016 -"
    done
    echo "$(epoch '2024-10-03 12:05:00') trap -"
} | sort -k1,1nr >"$WORK/dc.list"
{
    while read -r t kind arg; do
        case $kind in
        6013) viewer System EventLog "$t" 6013 None Information Classic N/A "$DC" <<<"The system uptime is $arg seconds." ;;
        35) viewer System Microsoft-Windows-Time-Service "$t" 35 None Information N/A 'LOCAL SERVICE' "$DC" \
                <<<"The time service is now synchronizing the system time with the time source time.windows.com,0x8 (ntp.m|0x8|0.0.0.0:123->20.101.57.9:123) with reference id 3845707028. Current local stratum number is 4." ;;
        7036) viewer System 'Service Control Manager' "$t" 7036 None Information Classic N/A "$DC" \
                  <<<"The ${SVCS[arg]} service entered the running state." ;;
        10016) viewer System DistributedCOM "$t" 10016 None Warning Classic SYSTEM "$DC" <<'EOF'
The application-specific permission settings do not grant Local Activation permission for the COM Server application with CLSID 
{D63B10C5-BB46-4990-A94F-E40B9D520160}
 and APPID 
{9CA88EE3-ACB7-47C8-AFC4-AB702511C403}
 to the user NT AUTHORITY\SYSTEM SID (S-1-5-18) from address LocalHost (Using LRPC) running in the application container Unavailable SID (Unavailable). This security permission can be modified using the Component Services administrative tool.
EOF
            ;;
        trap) # mentions 6013 and uptime, but is not an EventLog 6013 record
            viewer System SrvHealthAgent "$t" 1000 None Warning Classic N/A "$DC" <<'EOF'
Daily health check: the last EventLog event 6013 on this server reports more than 450 days of uptime.
Schedule a reboot before 497 days (KB2553549). No action was taken.
EOF
            ;;
        esac
    done <"$WORK/dc.list"
} | crlf >"$WORK/dc.txt"
{
    printf '\xff\xfe'
    iconv -f UTF-8 -t UTF-16LE "$WORK/dc.txt"
} | zst "$DEMO/dc01-system.txt.zst"

# ---- netstat tables (awk: thousands of rows) ----------------------------------
# Windows netstat -ano table for one snapshot. Variables:
#   lang en|ja, ip (host IPv4), tw (TIME_WAIT rows), peers ("addr:port ..."
#   destinations of outbound connections), nin (inbound sessions), inport,
#   listen ("port/pid ..."). TIME_WAIT takes the lowest free ephemeral ports
#   (sequential allocation), so a later snapshot's rows are a superset of an
#   earlier one's, as they are when TIME_WAIT never expires; long-lived
#   ESTABLISHED rows sit at fixed ports, every 397th from 49170.
cat >"$WORK/win.awk" <<'EOF'
function row(proto, l, f, st, pid) {
    printf "  %-" pw "s%-22s %-22s %-15s %s\n", proto, l, f, st, pid
}
BEGIN {
    if (lang == "ja") {
        pw = 12
        print ""; print "アクティブな接続"; print ""
        print "  プロトコル  ローカル アドレス      外部アドレス           状態            PID"
    } else {
        pw = 7
        print ""; print "Active Connections"; print ""
        print "  Proto  Local Address          Foreign Address        State           PID"
    }
    nl = split(listen, L, " ")
    for (i = 1; i <= nl; i++) {
        split(L[i], pp, "/")
        row("TCP", "0.0.0.0:" pp[1], "0.0.0.0:0", "LISTENING", pp[2])
        if (pp[1] >= 49152) busy[pp[1]] = 1
    }
    row("TCP", ip ":139", "0.0.0.0:0", "LISTENING", 4)
    for (i = 0; i < nin; i++)
        row("TCP", ip ":" inport, "10.1." (100 + i % 7) "." (20 + i * 13 % 200) ":" (50000 + i * 769 % 15000), "ESTABLISHED", 4)
    np = split(peers, P, " ")
    left = tw
    for (p = 49152; p <= 65535; p++) {
        if (p in busy) continue
        if (p >= 49170 && (p - 49170) % 397 == 0) {
            row("TCP", ip ":" p, P[1 + p % np], "ESTABLISHED", 1388 + (p % 5) * 412)
            continue
        }
        if (left > 0) {
            row("TCP", ip ":" p, P[1 + p % np], "TIME_WAIT", 0)
            left--
        }
    }
    row("TCP", "127.0.0.1:49700", "127.0.0.1:49701", "ESTABLISHED", 3120)
    row("TCP", "127.0.0.1:49701", "127.0.0.1:49700", "ESTABLISHED", 3120)
    row("TCP", "[::]:135", "[::]:0", "LISTENING", 1024)
    row("TCP", "[::]:445", "[::]:0", "LISTENING", 4)
    row("TCP", "[::]:3389", "[::]:0", "LISTENING", 1192)
    row("TCP", "[::]:49664", "[::]:0", "LISTENING", 680)
    row("TCP", "[::1]:49669", "[::]:0", "LISTENING", 2660)
    row("TCP", "[fe80::5d1c:2a:9b3e:11%12]:49710", "[fe80::1%12]:135", "ESTABLISHED", 2204)
    row("UDP", "0.0.0.0:123", "*:*", "", 1388)
    row("UDP", "0.0.0.0:500", "*:*", "", 3120)
    row("UDP", "0.0.0.0:4500", "*:*", "", 3120)
    row("UDP", "0.0.0.0:5353", "*:*", "", 2764)
    row("UDP", "0.0.0.0:5355", "*:*", "", 2764)
    row("UDP", ip ":137", "*:*", "", 4)
    row("UDP", ip ":138", "*:*", "", 4)
    row("UDP", "[::]:123", "*:*", "", 1388)
    row("UDP", "[::]:500", "*:*", "", 3120)
    print ""
}
EOF
WIN_LISTEN='135/1024 445/4 3389/1192 5985/4 47001/4 49664/680 49665/1328 49666/1676 49667/2204 49668/704 49669/2660'

# ---- 4. fs01/netstat.txt.zst: netstat -ano English, 4 snapshots, CRLF ----------
FS_PEERS='10.1.1.10:389 10.1.1.10:88 10.1.1.11:389 10.3.2.40:445 10.3.2.40:5722 10.2.5.20:1433 10.1.1.10:135'
{
    echo 'Hostname: FS01'
    stamps=('Wed 10/02/2024 12:00:00.00' 'Wed 10/02/2024 13:00:00.12' 'Wed 10/02/2024 14:00:00.07'
            'Wed 10/02/2024 15:00:00.31')
    counts=(6000 9000 12500 15200)
    for i in 0 1 2 3; do
        echo "${stamps[i]}"
        awk -v lang=en -v ip=10.3.2.21 -v tw="${counts[i]}" -v peers="$FS_PEERS" -v nin=24 -v inport=445 \
            -v listen="$WIN_LISTEN" -f "$WORK/win.awk"
    done
} | crlf | zst "$DEMO/fs01/netstat.txt.zst"

# ---- 5. web02-netstat-ja.txt.gz: netstat -ano Japanese, 2 snapshots, CRLF ------
WEB_LISTEN='80/4 135/1024 443/4 445/4 3389/1192 5985/4 47001/4 49664/680 49665/1328 49666/1676 49667/2204 49668/704 49669/2660'
WEB_PEERS='10.2.5.20:1433 10.2.6.11:8080 10.2.6.12:8080 10.1.1.10:389'
{
    stamps=('2024/10/02 12:00:00.00' '2024/10/02 12:30:00.47')
    counts=(8500 9000)
    for i in 0 1; do
        echo 'Hostname: WEB02'
        echo "${stamps[i]}"
        awk -v lang=ja -v ip=10.2.4.30 -v tw="${counts[i]}" -v peers="$WEB_PEERS" -v nin=16 -v inport=443 \
            -v listen="$WEB_LISTEN" -f "$WORK/win.awk"
    done
} | crlf | gz "$DEMO/web02-netstat-ja.txt.gz"

# ---- 6. lnx01-ss.txt.zst: ss -tan and netstat -tan, LF, few TIME-WAIT ----------
{
    echo 'Hostname: lnx01'
    echo '2024-10-02T12:00:00Z'
    echo 'State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process'
    echo 'LISTEN     0      128          0.0.0.0:22         0.0.0.0:*'
    echo 'LISTEN     0      511          0.0.0.0:80         0.0.0.0:*'
    echo 'LISTEN     0      4096       127.0.0.1:9100       0.0.0.0:*'
    for i in $(seq 0 29); do
        st=ESTAB
        [ $((i % 9)) = 4 ] && st=TIME-WAIT
        [ "$i" = 17 ] && st=FIN-WAIT-2
        printf '%-10s 0      0          10.4.1.21:%-5d   10.4.2.%d:%d\n' "$st" $((41000 + i * 37)) $((10 + i % 4)) \
            $(( i % 2 ? 5432 : 6379 ))
    done
    echo 'TIME-WAIT  0      0      [::ffff:127.0.0.1]:9191 [::ffff:127.0.0.1]:34996'
    echo 'LISTEN     0      128             [::]:22            [::]:*'
    echo
    echo 'Hostname: lnx01'
    echo '2024-10-02T12:05:00Z'
    echo 'Active Internet connections (servers and established)'
    echo 'Proto Recv-Q Send-Q Local Address           Foreign Address         State      '
    echo 'tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN     '
    echo 'tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN     '
    for i in $(seq 0 24); do
        st=ESTABLISHED
        [ $((i % 8)) = 3 ] && st=TIME_WAIT
        printf 'tcp        0      0 %-23s %-23s %-11s\n' "10.4.1.21:$((41500 + i * 41))" "10.4.2.$((10 + i % 4)):$(( i % 2 ? 5432 : 6379 ))" "$st"
    done
    echo 'tcp6       0      0 :::22                   :::*                    LISTEN     '
    echo
} | zst "$DEMO/lnx01-ss.txt.zst"

# ---- 7. .evtx files from the writer (bench/gen_evtx): one plain, one zstd ----
# RDG02's Application log holds the crash loop; SQL-OLD01's System log the
# uptimes past 497 days, its 6013 records stating Windows Server 2008 R2.
# --mix=classic: System and Application records only, no Security ones
# (gen_evtx's default fleet mix is mostly Security).
GEN=${GEN_EVTX:-$ROOT/build/gen_evtx}
[ -x "$GEN" ] || { echo "make_demo.sh: build gen_evtx first (make build), or set GEN_EVTX" >&2; exit 2; }
mkdir -p "$DEMO/rdg02"
"$GEN" "$DEMO/rdg02/Application.evtx" 1 7 --mix=classic --plant=rdgw --rdgw-host=RDG02.corp.example.com 2>/dev/null
"$GEN" "$WORK/sql-old01.evtx" 1 8 --mix=classic --plant=uptime --uptime-host=SQL-OLD01.corp.example.com 2>/dev/null
zst "$DEMO/sql-old01-system.evtx.zst" <"$WORK/sql-old01.evtx"

# ---- 8. A SIEM export and inventories (issue 9) ----
# RDG03's Application log as Winlogbeat 8 NDJSON (zstd): four crashes 30 min
# apart and the WER 1001 report of the first; its Get-HotFix list holds the
# July 2024 update, so the crash loop is confirmed in the build window.
mkdir -p "$DEMO/rdg03"
wlb() { # time record_id id provider message event_data_json
    printf '{"@timestamp":"%s","event":{"code":"%s","kind":"event","provider":"%s"},"host":{"name":"rdg03"},"log":{"level":"error"},"message":"%s","winlog":{"api":"wineventlog","channel":"Application","computer_name":"RDG03.corp.example.com","event_id":"%s","provider_name":"%s","record_id":%s,"event_data":%s}}\n' \
        "$1" "$3" "$4" "$5" "$3" "$4" "$2" "$6"
}
{
    for i in 0 1 2 3; do
        t=$(date -u -d "@$(( $(epoch '2024-10-02 08:00:00') + i * 1800 + i * 7 ))" '+%Y-%m-%dT%H:%M:%S.000Z')
        wlb "$t" $((5100 + 2 * i)) 1000 'Application Error' \
            'Faulting application name: svchost.exe_TSGateway, version: 10.0.17763.6054, time stamp: 0x5e3b2c51\nFaulting module name: aaedge.dll, version: 10.0.17763.6054, time stamp: 0x6f1c2d3e\nException code: 0xc0000005\nFault offset: 0x000000000004b7a2' \
            '{"param1":"svchost.exe_TSGateway","param2":"10.0.17763.6054","param3":"5e3b2c51","param4":"aaedge.dll","param5":"10.0.17763.6054","param6":"6f1c2d3e","param7":"c0000005","param8":"000000000004b7a2"}'
        if [ "$i" = 0 ]; then
            wlb "$t" 5101 1001 'Windows Error Reporting' \
                'Fault bucket , type 0\nEvent Name: BEX64\nResponse: Not available\n\nProblem signature:\nP1: svchost.exe_TSGateway\nP2: 10.0.17763.6054\nP3: 5e3b2c51\nP4: aaedge.dll\nP5: 10.0.17763.6054\nP6: 6f1c2d3e\nP7: 000000000004b7a2\nP8: c0000005' \
                '{"param1":"","param2":"0","param3":"BEX64","param4":"Not available","param5":"0","param6":"svchost.exe_TSGateway","param7":"10.0.17763.6054","param8":"5e3b2c51","param9":"aaedge.dll","param10":"10.0.17763.6054","param11":"6f1c2d3e","param12":"000000000004b7a2","param13":"c0000005"}'
        fi
    done
} | zst "$DEMO/rdg03/winlogbeat-application.ndjson.zst"
{
    echo
    echo 'Source        Description      HotFixID      InstalledBy          InstalledOn'
    echo '------        -----------      --------      -----------          -----------'
    echo 'RDG03         Update           KB5039335     NT AUTHORITY\SYSTEM  6/12/2024 12:00:00 AM'
    echo 'RDG03         Security Update  KB5040430     NT AUTHORITY\SYSTEM  7/10/2024 12:00:00 AM'
    echo
} | crlf >"$DEMO/rdg03/get-hotfix.txt"
# APP-SQL02's systeminfo: Server 2008 R2 with a complete hotfix list that
# holds neither KB2553549 nor KB2688338, so its uptime finding says the fix
# is absent.
{
    echo
    echo 'Host Name:                 APP-SQL02'
    echo 'OS Name:                   Microsoft Windows Server 2008 R2 Enterprise '
    echo 'OS Version:                6.1.7601 Service Pack 1 Build 7601'
    echo 'OS Manufacturer:           Microsoft Corporation'
    echo 'Original Install Date:     3/14/2021, 10:12:44 AM'
    echo 'System Boot Time:          5/21/2023, 6:59:28 AM'
    echo 'Time Zone:                 (UTC) Coordinated Universal Time'
    echo 'Hotfix(s):                 3 Hotfix(s) Installed.'
    echo '                           [01]: KB976902'
    echo '                           [02]: KB2849697'
    echo '                           [03]: KB3199986'
    echo 'Network Card(s):           1 NIC(s) Installed.'
} | crlf | gz "$DEMO/app-sql02-systeminfo.txt.gz"

find "$DEMO" -type f -printf '%8s  %P\n' | sort -k2 | awk '{ s += $1; print } END { printf "%8d  total\n", s }'
