/* sift_netstat.h - connection tables: netstat and ss dumps, line by line.
 *
 * Shapes (see README.md, "Inputs"):
 *  - Windows `netstat -ano` / `-an`, English and Japanese (headers localised,
 *    state words stay English), IPv4 and bracketed IPv6 with optional %zone:
 *      "  TCP    10.1.2.15:50112   10.1.2.5:445   TIME_WAIT   0"
 *  - Linux `netstat -tan`: "tcp   0   0 192.168.1.10:80  203.0.113.12:61234  TIME_WAIT"
 *    (tcp6 rows with unbracketed IPv6 such as ":::443").
 *  - `ss -tan` (optionally with a Netid column): "TIME-WAIT 0 0 10.0.2.100:50730 10.0.2.100:8080"
 *  - German Windows localises the state words too ("WARTEND" is TIME_WAIT).
 *  - Windows in es, fr, it, pt, ru, zh-CN, zh-TW and ko: titles and headers
 *    localised, rows and states as in English.
 *  - PowerShell `Get-NetTCPConnection` table view:
 *      "10.0.0.5   50123   10.0.0.9   445   TimeWait   0"
 * The engine decides which lines to look at; this module classifies and parses
 * single lines and keeps no state. No I/O, no globals. */
#ifndef SIFT_NETSTAT_H
#define SIFT_NETSTAT_H

#include "sift_slice.h"
#include "sift_status.h"
#include "sift_format.h"
#include "sift_table.h"

/* Longest line this module will look at; longer lines are not rows. */
#define SIFT_NETSTAT_MAX_LINE 4096u


typedef enum sift_ns_shape {
    SIFT_NS_WINDOWS = 1, /* Proto Local Foreign State [PID] */
    SIFT_NS_LINUX = 2,   /* Proto Recv-Q Send-Q Local Foreign State */
    SIFT_NS_SS = 3,      /* [Netid] State Recv-Q Send-Q Local Peer [Process] */
    SIFT_NS_PWSH = 4,    /* Get-NetTCPConnection: Local LocalPort Remote RemotePort State ... */
} sift_ns_shape;

/* One connection row; slices point into the line given to sift_netstat_row. */
typedef struct sift_ns_row {
    sift_ns_shape shape;
    sift_slice proto;   /* "TCP", "tcp6", ...; empty for ss without Netid */
    sift_slice local;   /* address:port as written, brackets kept */
    sift_slice foreign;
    sift_slice state;   /* as written; empty for UDP */
    sift_tcp_state st;
    uint32_t local_port; /* valid when has_local_port */
    uint8_t has_local_port; /* 0 for "*" or service names */
    uint8_t tcp;         /* 1 for TCP rows, 0 for UDP */
} sift_ns_row;

/* Parse line (no line end needed; trailing blanks, CR and LF are ignored) as a
 * connection row. Columns are separated by runs of blanks; any other control
 * byte refuses the line. The shapes, strictly:
 *  - Windows: Proto (TCP, UDP, TCPv6, UDPv6, any case) Local Foreign, then
 *    for TCP a State word, then an optional decimal PID; nothing after that
 *    ("TCP connections in TIME_WAIT state ..." is not a row).
 *  - Linux: Proto (tcp, tcp6, udp, udp6) Recv-Q Send-Q Local Foreign State
 *    (UDP rows have a state only when connected), then optionally the -e
 *    "User Inode" pair, the -p "PID/Program" column ("1234/sshd", or "-";
 *    everything after "1234/" belongs to the program name), or the -o timer
 *    ("keepalive (7145.93/0/0)").
 *  - ss: [Netid (tcp or udp)] State Recv-Q Send-Q Local Peer, then
 *    optionally extras that start with a "key:" token ("users:((...))",
 *    "timer:(...)", "uid:0"); the state must be an ss state name.
 *  - Get-NetTCPConnection: LocalAddress LocalPort RemoteAddress RemotePort
 *    State, then optionally an AppliedSetting (Internet, Datacenter, Compat,
 *    InternetCustom, DatacenterCustom) and a decimal OwningProcess. Its
 *    addresses are IPv4 or IPv6 without a port (optional %zone), or cut by
 *    the console ("2001:db8:85a3..." or with "…"); ports are decimal; the
 *    state must be known (or DeleteTCB). proto is empty, local and foreign
 *    are the bare addresses, the local port is its column's; always TCP.
 * Addresses of the other shapes: IPv4:port, [IPv6]:port, IPv6 with a last :port (":::443",
 * "::ffff:10.0.0.1:80"), '*' as the host, and an optional %zone after the
 * host, inside or after the brackets ("[fe80::1%12]:135", "[fe80::1]%eth0:22",
 * "127.0.0.53%lo:53"). A port is 0-65535, '*', or a service name ("ssh",
 * "zabbix-agent"); only a number sets has_local_port.
 * row->tcp is 1 for TCP rows; for ss without a Netid column it is 1 unless
 * the state is UNCONN (ss -u). row->st is always sift_netstat_state(row->state).
 * Returns SIFT_OK and fills *row, or SIFT_ERR_SYNTAX when the line is not a
 * row: *row is untouched, err->offset = base + offset of the first byte that
 * does not fit (a missing column: base + length without trailing blanks and
 * line end) and
 * err->detail says why. Lines longer than SIFT_NETSTAT_MAX_LINE bytes (line
 * end included) are refused without being read, offset base +
 * SIFT_NETSTAT_MAX_LINE. err may be NULL; row must not be. */
sift_status sift_netstat_row(sift_slice line, uint64_t base, sift_ns_row *row, sift_error *err);

/* State word to enum, ASCII case-insensitively: TIME_WAIT, TIME-WAIT and
 * TimeWait all map to SIFT_TCP_TIME_WAIT; ss abbreviations (ESTAB, SYN-RECV,
 * ...) and PowerShell PascalCase (Established, Listen, Bound) are accepted,
 * and the German Windows words (ABHÖREN in UTF-8, CP850 or CP1252,
 * HERGESTELLT, WARTEND, SCHLIESSEN_WARTEN, ...). ss's UNCONN (no peer) gives
 * SIFT_TCP_NONE, like an absent state. Unknown words give SIFT_TCP_OTHER, an
 * empty slice SIFT_TCP_NONE. */
sift_tcp_state sift_netstat_state(sift_slice word);

/* 1 when line is a table title ("Active Connections", "アクティブな接続",
 * "Active Internet connections" with an optional "(...)", "Aktive
 * Verbindungen", "Conexiones activas", "Connexions actives", "Connessioni
 * attive", "Conexões ativas", "Ligações ativas", "Активные подключения",
 * "活动连接", "使用中連線", "作用中的連線", "활성 연결") or a column header
 * (Windows "Proto  Local Address ...", Japanese "プロトコル  ローカル アドレス
 * ..." or "プロト ...", German "Proto  Lokale Adresse ...", the same four
 * columns in es, fr, it, pt-BR, pt-PT, ru, zh-CN, zh-TW and ko, Linux
 * "Proto Recv-Q ...", ss "State Recv-Q ..." / "Netid State Recv-Q ...",
 * PowerShell "LocalAddress LocalPort RemoteAddress RemotePort State"), 0
 * otherwise. Leading and trailing blanks, CR
 * and LF are ignored; a run of blanks between words may have any length, or
 * be missing ("Peer Address:PortProcess"); ASCII letters match in any case.
 * A title must stand alone; a header may go on with more columns ("PID",
 * "PID/Program name"). The Japanese lines are also recognised in CP932, which
 * is what cmd redirection writes on ja-JP. No connection row is a header.
 * Lines longer than SIFT_NETSTAT_MAX_LINE give 0. */
int sift_netstat_is_header(sift_slice line);

/* A line naming the host the following tables belong to:
 *   "Hostname: NAME", "Host Name: NAME", "Host: NAME", "Computer Name: NAME",
 *   "COMPUTERNAME=NAME", "hostname=NAME" (labels case-insensitive, with or
 *   without the blank inside them; ':' or '=', blanks around them allowed),
 *   also "ホスト名: NAME" (UTF-8 or CP932; ASCII or full-width colon).
 * NAME must be the only thing after the separator (trailing blanks, CR and LF
 * aside): one token of letters, digits, '-', '_' and '.', 1 to 255 bytes,
 * with at least one letter or digit ("hostname=-" names no host).
 * Returns 1 and sets *host (a slice of line) when it is such a line, 0
 * otherwise (*host untouched). Lines longer than SIFT_NETSTAT_MAX_LINE give 0. */
int sift_netstat_host_line(sift_slice line, sift_slice *host);

/* The format as the engine sees it: table titles and headers, TIME_WAIT
 * rows, snapshot timestamp lines and host lines. */
extern const sift_format sift_netstat_format;

#endif
