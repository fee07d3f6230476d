/* test_netstat.c - connection rows, headers and host lines from netstat and ss dumps. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>

#include "sift_cursor.h"
#include "sift_netstat.h"
#include "guard.h"
#include "netstat_langs.h"

/* ---- helpers ---------------------------------------------------------- */

static int slice_is(sift_slice s, const char *want)
{
    size_t n = strlen(want);
    return s.len == n && (n == 0 || memcmp(s.ptr, want, n) == 0);
}

static int inside(sift_slice s, const uint8_t *base, size_t len)
{
    return s.len == 0 || (s.ptr >= base && (size_t)(s.ptr - base) <= len && s.len <= len - (size_t)(s.ptr - base));
}

#define assert_slice(s, want, what)                                                                    \
    cr_assert(slice_is((s), (want)), "%s: got [%.*s], want [%s]", (what), (int)(s).len,                \
              (s).len ? (const char *)(s).ptr : "", (want))

/* Parse text (placed flush against a guard page) as one row. The guard stays
 * mapped until the caller frees it, because the row's slices point into it. */
static sift_status parse(const char *text, size_t len, guard_buf *g, sift_ns_row *row, sift_error *err)
{
    *g = guard_copy(text, len);
    sift_status st = sift_netstat_row(sift_slice_make(g->ptr, g->len), 1000, row, err);
    if (st == SIFT_OK) {
        cr_assert(inside(row->proto, g->ptr, g->len) && inside(row->local, g->ptr, g->len));
        cr_assert(inside(row->foreign, g->ptr, g->len) && inside(row->state, g->ptr, g->len));
        cr_assert_eq(row->st, sift_netstat_state(row->state));
    } else {
        cr_assert_eq(st, SIFT_ERR_SYNTAX);
        cr_assert(err->offset >= 1000 && err->offset <= 1000 + len, "offset %llu for length %zu",
                  (unsigned long long)err->offset, len);
    }
    return st;
}

static int header(const char *text, size_t len)
{
    guard_buf g = guard_copy(text, len);
    int r = sift_netstat_is_header(sift_slice_make(g.ptr, g.len));
    guard_free(&g);
    return r;
}

/* ---- rows ------------------------------------------------------------- */

typedef struct row_case {
    char line[160];
    sift_ns_shape shape; /* 0: must not parse */
    char proto[8];
    char local[48];
    char foreign[48];
    char state[24];
    sift_tcp_state st;
    unsigned port;
    int has_port;
    int tcp;
} row_case;

/* Every sample row of reference C.8, plus the variants the brief names. */
static row_case row_cases[] = {
    /* Windows netstat -ano, English */
    { "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1024", SIFT_NS_WINDOWS, "TCP",
      "0.0.0.0:135", "0.0.0.0:0", "LISTENING", SIFT_TCP_LISTEN, 135, 1, 1 },
    { "  TCP    10.1.2.15:49731        10.1.2.5:389           ESTABLISHED     812", SIFT_NS_WINDOWS, "TCP",
      "10.1.2.15:49731", "10.1.2.5:389", "ESTABLISHED", SIFT_TCP_ESTABLISHED, 49731, 1, 1 },
    { "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT       0", SIFT_NS_WINDOWS, "TCP",
      "10.1.2.15:50112", "10.1.2.5:445", "TIME_WAIT", SIFT_TCP_TIME_WAIT, 50112, 1, 1 },
    { "  TCP    [::]:135               [::]:0                 LISTENING       1024", SIFT_NS_WINDOWS, "TCP",
      "[::]:135", "[::]:0", "LISTENING", SIFT_TCP_LISTEN, 135, 1, 1 },
    { "  TCP    [fe80::5d1c:2a:9b3e:11%12]:50133  [fe80::1%12]:135  TIME_WAIT  0", SIFT_NS_WINDOWS, "TCP",
      "[fe80::5d1c:2a:9b3e:11%12]:50133", "[fe80::1%12]:135", "TIME_WAIT", SIFT_TCP_TIME_WAIT, 50133, 1, 1 },
    { "  UDP    0.0.0.0:123            *:*                                    1388", SIFT_NS_WINDOWS, "UDP",
      "0.0.0.0:123", "*:*", "", SIFT_TCP_NONE, 123, 1, 0 },
    { "  UDP    [::]:500               *:*                                    3312", SIFT_NS_WINDOWS, "UDP",
      "[::]:500", "*:*", "", SIFT_TCP_NONE, 500, 1, 0 },
    /* Windows netstat -an: no PID column */
    { "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT", SIFT_NS_WINDOWS, "TCP",
      "10.1.2.15:50112", "10.1.2.5:445", "TIME_WAIT", SIFT_TCP_TIME_WAIT, 50112, 1, 1 },
    { "  UDP    0.0.0.0:123            *:*                                    ", SIFT_NS_WINDOWS, "UDP",
      "0.0.0.0:123", "*:*", "", SIFT_TCP_NONE, 123, 1, 0 },
    /* single spaces, tabs, lower case and v6 protocol names */
    { "TCP 10.1.2.15:50112 10.1.2.5:445 TIME_WAIT 0", SIFT_NS_WINDOWS, "TCP", "10.1.2.15:50112", "10.1.2.5:445",
      "TIME_WAIT", SIFT_TCP_TIME_WAIT, 50112, 1, 1 },
    { "\tTCP\t10.1.2.15:50112\t10.1.2.5:445\tTIME_WAIT\t0", SIFT_NS_WINDOWS, "TCP", "10.1.2.15:50112",
      "10.1.2.5:445", "TIME_WAIT", SIFT_TCP_TIME_WAIT, 50112, 1, 1 },
    { "  TCPv6  [::1]:5985  [::1]:49800  CLOSE_WAIT  4", SIFT_NS_WINDOWS, "TCPv6", "[::1]:5985", "[::1]:49800",
      "CLOSE_WAIT", SIFT_TCP_CLOSE_WAIT, 5985, 1, 1 },
    { "  UDPv6  [::]:123  *:*  1388", SIFT_NS_WINDOWS, "UDPv6", "[::]:123", "*:*", "", SIFT_TCP_NONE, 123, 1, 0 },
    { "  tcp    10.0.0.1:65535  10.0.0.2:0  SYN_SENT  7", SIFT_NS_WINDOWS, "tcp", "10.0.0.1:65535", "10.0.0.2:0",
      "SYN_SENT", SIFT_TCP_SYN_SENT, 65535, 1, 1 },
    /* Windows netstat -a without -n: service names */
    { "  TCP    0.0.0.0:epmap          0.0.0.0:0              LISTENING       1024", SIFT_NS_WINDOWS, "TCP",
      "0.0.0.0:epmap", "0.0.0.0:0", "LISTENING", SIFT_TCP_LISTEN, 0, 0, 1 },
    /* Windows, Japanese (state words stay English) */
    { "  TCP         0.0.0.0:135            0.0.0.0:0              LISTENING       1024", SIFT_NS_WINDOWS, "TCP",
      "0.0.0.0:135", "0.0.0.0:0", "LISTENING", SIFT_TCP_LISTEN, 135, 1, 1 },
    { "  TCP         192.168.1.80:51306     49.212.180.206:80      TIME_WAIT       0", SIFT_NS_WINDOWS, "TCP",
      "192.168.1.80:51306", "49.212.180.206:80", "TIME_WAIT", SIFT_TCP_TIME_WAIT, 51306, 1, 1 },
    /* Windows, German (localised states, UTF-8 and CP850) */
    { "  TCP    0.0.0.0:135            0.0.0.0:0              ABHÖREN          1024", SIFT_NS_WINDOWS, "TCP",
      "0.0.0.0:135", "0.0.0.0:0", "ABHÖREN", SIFT_TCP_LISTEN, 135, 1, 1 },
    { "  TCP    0.0.0.0:135            0.0.0.0:0              ABH\x99REN          1024", SIFT_NS_WINDOWS, "TCP",
      "0.0.0.0:135", "0.0.0.0:0", "ABH\x99REN", SIFT_TCP_LISTEN, 135, 1, 1 },
    { "  TCP    10.1.2.15:49731        10.1.2.5:389           HERGESTELLT      812", SIFT_NS_WINDOWS, "TCP",
      "10.1.2.15:49731", "10.1.2.5:389", "HERGESTELLT", SIFT_TCP_ESTABLISHED, 49731, 1, 1 },
    { "  TCP    10.1.2.15:50112        10.1.2.5:445           WARTEND          0", SIFT_NS_WINDOWS, "TCP",
      "10.1.2.15:50112", "10.1.2.5:445", "WARTEND", SIFT_TCP_TIME_WAIT, 50112, 1, 1 },
    { "  TCP    10.1.2.15:50113        10.1.2.5:445           SCHLIESSEN_WARTEN 0", SIFT_NS_WINDOWS, "TCP",
      "10.1.2.15:50113", "10.1.2.5:445", "SCHLIESSEN_WARTEN", SIFT_TCP_CLOSE_WAIT, 50113, 1, 1 },
    /* an unknown (other locale) state word still makes a row */
    { "  TCP    10.1.2.15:50112        10.1.2.5:445           TEMPS_ATTENTE    0", SIFT_NS_WINDOWS, "TCP",
      "10.1.2.15:50112", "10.1.2.5:445", "TEMPS_ATTENTE", SIFT_TCP_OTHER, 50112, 1, 1 },
    /* Linux netstat -tan */
    { "tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN", SIFT_NS_LINUX, "tcp",
      "0.0.0.0:22", "0.0.0.0:*", "LISTEN", SIFT_TCP_LISTEN, 22, 1, 1 },
    { "tcp        0      0 192.168.1.10:80         203.0.113.12:61234      TIME_WAIT", SIFT_NS_LINUX, "tcp",
      "192.168.1.10:80", "203.0.113.12:61234", "TIME_WAIT", SIFT_TCP_TIME_WAIT, 80, 1, 1 },
    { "tcp6       0      0 :::443                  :::*                    LISTEN", SIFT_NS_LINUX, "tcp6",
      ":::443", ":::*", "LISTEN", SIFT_TCP_LISTEN, 443, 1, 1 },
    { "tcp6       0      0 ::ffff:10.0.0.1:80      ::ffff:10.0.0.9:51000   TIME_WAIT", SIFT_NS_LINUX, "tcp6",
      "::ffff:10.0.0.1:80", "::ffff:10.0.0.9:51000", "TIME_WAIT", SIFT_TCP_TIME_WAIT, 80, 1, 1 },
    { "tcp        0     36 10.0.0.5:22             10.0.0.9:40000          FIN_WAIT1", SIFT_NS_LINUX, "tcp",
      "10.0.0.5:22", "10.0.0.9:40000", "FIN_WAIT1", SIFT_TCP_FIN_WAIT_1, 22, 1, 1 },
    { "tcp        0      0 10.0.0.5:22             10.0.0.9:40001          SYN_RECV", SIFT_NS_LINUX, "tcp",
      "10.0.0.5:22", "10.0.0.9:40001", "SYN_RECV", SIFT_TCP_SYN_RECEIVED, 22, 1, 1 },
    /* Linux netstat -tanp, -tano, -tanep, udp */
    { "tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      812/sshd", SIFT_NS_LINUX,
      "tcp", "0.0.0.0:22", "0.0.0.0:*", "LISTEN", SIFT_TCP_LISTEN, 22, 1, 1 },
    { "tcp        0      0 192.168.1.10:80         203.0.113.12:61234      TIME_WAIT   -", SIFT_NS_LINUX, "tcp",
      "192.168.1.10:80", "203.0.113.12:61234", "TIME_WAIT", SIFT_TCP_TIME_WAIT, 80, 1, 1 },
    { "tcp        0      0 10.0.0.5:22             10.0.0.9:52311          ESTABLISHED 1234/sshd: admin [p",
      SIFT_NS_LINUX, "tcp", "10.0.0.5:22", "10.0.0.9:52311", "ESTABLISHED", SIFT_TCP_ESTABLISHED, 22, 1, 1 },
    { "tcp        0      0 10.0.0.5:443            10.0.0.9:40000          ESTABLISHED keepalive (7145.93/0/0)",
      SIFT_NS_LINUX, "tcp", "10.0.0.5:443", "10.0.0.9:40000", "ESTABLISHED", SIFT_TCP_ESTABLISHED, 443, 1, 1 },
    { "tcp        0      0 10.0.0.5:443            10.0.0.9:40002          TIME_WAIT   - timewait (59.71/0/0)",
      SIFT_NS_LINUX, "tcp", "10.0.0.5:443", "10.0.0.9:40002", "TIME_WAIT", SIFT_TCP_TIME_WAIT, 443, 1, 1 },
    { "tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      0          20591      812/sshd",
      SIFT_NS_LINUX, "tcp", "0.0.0.0:22", "0.0.0.0:*", "LISTEN", SIFT_TCP_LISTEN, 22, 1, 1 },
    { "udp        0      0 0.0.0.0:68              0.0.0.0:*                           812/dhclient",
      SIFT_NS_LINUX, "udp", "0.0.0.0:68", "0.0.0.0:*", "", SIFT_TCP_NONE, 68, 1, 0 },
    { "udp6       0      0 :::123                  :::*", SIFT_NS_LINUX, "udp6", ":::123", ":::*", "",
      SIFT_TCP_NONE, 123, 1, 0 },
    { "udp        0      0 10.0.0.5:40000          10.0.0.1:53             ESTABLISHED", SIFT_NS_LINUX, "udp",
      "10.0.0.5:40000", "10.0.0.1:53", "ESTABLISHED", SIFT_TCP_ESTABLISHED, 40000, 1, 0 },
    /* Linux netstat without -n: resolved names and service names */
    { "tcp        0      0 localhost:ssh           localhost:51000         TIME_WAIT", SIFT_NS_LINUX, "tcp",
      "localhost:ssh", "localhost:51000", "TIME_WAIT", SIFT_TCP_TIME_WAIT, 0, 0, 1 },
    /* Windows netstat -a without -n */
    { "  TCP    host.example:135       [::]:0                 LISTENING       1024", SIFT_NS_WINDOWS, "TCP",
      "host.example:135", "[::]:0", "LISTENING", SIFT_TCP_LISTEN, 135, 1, 1 },
    /* ss -tan */
    { "LISTEN     0      128          0.0.0.0:22            0.0.0.0:*", SIFT_NS_SS, "", "0.0.0.0:22", "0.0.0.0:*",
      "LISTEN", SIFT_TCP_LISTEN, 22, 1, 1 },
    { "ESTAB      0      0       10.0.2.100:50728     10.0.2.100:8080", SIFT_NS_SS, "", "10.0.2.100:50728",
      "10.0.2.100:8080", "ESTAB", SIFT_TCP_ESTABLISHED, 50728, 1, 1 },
    { "TIME-WAIT  0      0       10.0.2.100:50730     10.0.2.100:8080", SIFT_NS_SS, "", "10.0.2.100:50730",
      "10.0.2.100:8080", "TIME-WAIT", SIFT_TCP_TIME_WAIT, 50730, 1, 1 },
    { "TIME-WAIT  0      0    [::ffff:127.0.0.1]:9191 [::ffff:127.0.0.1]:34996", SIFT_NS_SS, "",
      "[::ffff:127.0.0.1]:9191", "[::ffff:127.0.0.1]:34996", "TIME-WAIT", SIFT_TCP_TIME_WAIT, 9191, 1, 1 },
    { "TIME-WAIT  0      0    ::ffff:127.0.0.1:9191 ::ffff:127.0.0.1:34998", SIFT_NS_SS, "",
      "::ffff:127.0.0.1:9191", "::ffff:127.0.0.1:34998", "TIME-WAIT", SIFT_TCP_TIME_WAIT, 9191, 1, 1 },
    { "LISTEN     0      128        127.0.0.1:zabbix-agent        0.0.0.0:*", SIFT_NS_SS, "",
      "127.0.0.1:zabbix-agent", "0.0.0.0:*", "LISTEN", SIFT_TCP_LISTEN, 0, 0, 1 },
    { "LISTEN     0      4096               *:22                  *:*", SIFT_NS_SS, "", "*:22", "*:*", "LISTEN",
      SIFT_TCP_LISTEN, 22, 1, 1 },
    { "LISTEN     0      128             [::]:22               [::]:*", SIFT_NS_SS, "", "[::]:22", "[::]:*",
      "LISTEN", SIFT_TCP_LISTEN, 22, 1, 1 },
    { "FIN-WAIT-2 0      0       10.0.2.100:50731     10.0.2.100:8080", SIFT_NS_SS, "", "10.0.2.100:50731",
      "10.0.2.100:8080", "FIN-WAIT-2", SIFT_TCP_FIN_WAIT_2, 50731, 1, 1 },
    { "SYN-SENT   0      1       10.0.2.100:50732     10.0.2.7:443", SIFT_NS_SS, "", "10.0.2.100:50732",
      "10.0.2.7:443", "SYN-SENT", SIFT_TCP_SYN_SENT, 50732, 1, 1 },
    { "ESTAB      0      0    [fe80::a00:27ff:fe4e:3c5e]%enp0s3:22 [fe80::1]%enp0s3:51000", SIFT_NS_SS, "",
      "[fe80::a00:27ff:fe4e:3c5e]%enp0s3:22", "[fe80::1]%enp0s3:51000", "ESTAB", SIFT_TCP_ESTABLISHED, 22, 1, 1 },
    { "UNCONN     0      0    127.0.0.53%lo:53           0.0.0.0:*", SIFT_NS_SS, "", "127.0.0.53%lo:53",
      "0.0.0.0:*", "UNCONN", SIFT_TCP_NONE, 53, 1, 0 },
    /* ss with Netid and Process */
    { "tcp   LISTEN 0      128          0.0.0.0:22         0.0.0.0:*    users:((\"sshd\",pid=812,fd=3))",
      SIFT_NS_SS, "tcp", "0.0.0.0:22", "0.0.0.0:*", "LISTEN", SIFT_TCP_LISTEN, 22, 1, 1 },
    { "tcp   ESTAB  0      0      192.168.1.10:22   192.168.1.50:52311 users:((\"sshd\",pid=1234,fd=4))",
      SIFT_NS_SS, "tcp", "192.168.1.10:22", "192.168.1.50:52311", "ESTAB", SIFT_TCP_ESTABLISHED, 22, 1, 1 },
    { "tcp   TIME-WAIT 0   0      192.168.1.10:80   203.0.113.12:61234", SIFT_NS_SS, "tcp", "192.168.1.10:80",
      "203.0.113.12:61234", "TIME-WAIT", SIFT_TCP_TIME_WAIT, 80, 1, 1 },
    { "udp   UNCONN 0      0      127.0.0.53%lo:53         0.0.0.0:*    users:((\"systemd-resolve\",pid=500,fd=12))",
      SIFT_NS_SS, "udp", "127.0.0.53%lo:53", "0.0.0.0:*", "UNCONN", SIFT_TCP_NONE, 53, 1, 0 },
    { "udp   ESTAB  0      0      10.0.0.5:40000    10.0.0.1:53", SIFT_NS_SS, "udp", "10.0.0.5:40000",
      "10.0.0.1:53", "ESTAB", SIFT_TCP_ESTABLISHED, 40000, 1, 0 },
    { "ESTAB 0 0 10.0.0.5:443 10.0.0.9:40000 users:((\"Web Content\",pid=99,fd=31)) timer:(keepalive,1min,0)",
      SIFT_NS_SS, "", "10.0.0.5:443", "10.0.0.9:40000", "ESTAB", SIFT_TCP_ESTABLISHED, 443, 1, 1 },
    { "TIME-WAIT 0 0 10.0.0.5:443 10.0.0.9:40001 timer:(timewait,52sec,0)", SIFT_NS_SS, "", "10.0.0.5:443",
      "10.0.0.9:40001", "TIME-WAIT", SIFT_TCP_TIME_WAIT, 443, 1, 1 },
    { "tcp   LISTEN 0 128 [::]:22 [::]:* uid:0 ino:20591 sk:1 <->", SIFT_NS_SS, "tcp", "[::]:22", "[::]:*",
      "LISTEN", SIFT_TCP_LISTEN, 22, 1, 1 },
    /* Get-NetTCPConnection table view: bare addresses, ports in their own
     * columns, PascalCase states, AppliedSetting often empty */
    { "::                                  49669     ::                                  0          Listen"
      "                     704",
      SIFT_NS_PWSH, "", "::", "::", "Listen", SIFT_TCP_LISTEN, 49669, 1, 1 },
    { "10.0.0.5                            50123     10.0.0.9                            445        TimeWait"
      "                   0",
      SIFT_NS_PWSH, "", "10.0.0.5", "10.0.0.9", "TimeWait", SIFT_TCP_TIME_WAIT, 50123, 1, 1 },
    { "10.0.0.5                            49731     10.0.0.9                            389        Established"
      " Datacenter     812",
      SIFT_NS_PWSH, "", "10.0.0.5", "10.0.0.9", "Established", SIFT_TCP_ESTABLISHED, 49731, 1, 1 },
    { "fe80::5d1c:2a:9b3e:11%12            50133     fe80::1%12                          135        CloseWait   Internet",
      SIFT_NS_PWSH, "", "fe80::5d1c:2a:9b3e:11%12", "fe80::1%12", "CloseWait", SIFT_TCP_CLOSE_WAIT, 50133, 1, 1 },
    /* columns dropped for the console width, and addresses it cut */
    { "10.0.0.5   50124 10.0.0.9 445 TimeWait", SIFT_NS_PWSH, "", "10.0.0.5", "10.0.0.9", "TimeWait",
      SIFT_TCP_TIME_WAIT, 50124, 1, 1 },
    { "2001:db8:85a3:1234:5678:8a2e:370... 50134     2001:db8:85a3:1234:5678:8a2e:37...  443        TimeWait", SIFT_NS_PWSH,
      "", "2001:db8:85a3:1234:5678:8a2e:370...", "2001:db8:85a3:1234:5678:8a2e:37...", "TimeWait", SIFT_TCP_TIME_WAIT,
      50134, 1, 1 },
    { "2001:db8:85a3:1234:5678:8a2e:3707\xE2\x80\xA6 50135 10.0.0.9 443 Bound 0", SIFT_NS_PWSH, "",
      "2001:db8:85a3:1234:5678:8a2e:3707\xE2\x80\xA6", "10.0.0.9", "Bound", SIFT_TCP_BOUND, 50135, 1, 1 },
    { "0.0.0.0 445 0.0.0.0 0 DeleteTCB", SIFT_NS_PWSH, "", "0.0.0.0", "0.0.0.0", "DeleteTCB", SIFT_TCP_OTHER, 445,
      1, 1 },
};

ParameterizedTestParameters(rows, parse_every_sample_row)
{
    return cr_make_param_array(row_case, row_cases, sizeof row_cases / sizeof row_cases[0]);
}

ParameterizedTest(row_case *c, rows, parse_every_sample_row)
{
    guard_buf g;
    sift_ns_row row;
    sift_error err = { 0 };
    sift_status st = parse(c->line, strlen(c->line), &g, &row, &err);
    if (c->shape == 0) {
        /* Host names are outside the contract: netstat -tan is what is asked for. */
        cr_assert_eq(st, SIFT_ERR_SYNTAX, "[%s] must not parse", c->line);
        guard_free(&g);
        return;
    }
    cr_assert_eq(st, SIFT_OK, "[%s]: %s at %llu", c->line, err.detail ? err.detail : "",
                 (unsigned long long)err.offset - 1000);
    cr_assert_eq(row.shape, c->shape, "[%s]", c->line);
    assert_slice(row.proto, c->proto, "proto");
    assert_slice(row.local, c->local, "local");
    assert_slice(row.foreign, c->foreign, "foreign");
    assert_slice(row.state, c->state, "state");
    cr_assert_eq(row.st, c->st, "[%s] st %d", c->line, row.st);
    cr_assert_eq(row.local_port, c->port, "[%s] port %u", c->line, row.local_port);
    cr_assert_eq(row.has_local_port, c->has_port, "[%s]", c->line);
    cr_assert_eq(row.tcp, c->tcp, "[%s]", c->line);
    cr_assert_not(sift_netstat_is_header(sift_slice_make(g.ptr, g.len)), "a row is never a header");
    sift_slice host;
    cr_assert_not(sift_netstat_host_line(sift_slice_make(g.ptr, g.len), &host));
    guard_free(&g);
}

/* Every prefix of every row: never a crash or over-read (the guard page
 * faults on one byte too far), slices stay inside the prefix, error offsets
 * stay inside the prefix too. */
ParameterizedTestParameters(rows, every_prefix_stays_inside_the_prefix)
{
    return cr_make_param_array(row_case, row_cases, sizeof row_cases / sizeof row_cases[0]);
}

ParameterizedTest(row_case *c, rows, every_prefix_stays_inside_the_prefix)
{
    size_t len = strlen(c->line);
    for (size_t i = 0; i <= len; i++) {
        guard_buf g;
        sift_ns_row row;
        sift_error err = { 0 };
        parse(c->line, i, &g, &row, &err);
        sift_slice host = { NULL, 0 };
        sift_slice line = sift_slice_make(g.ptr, g.len);
        if (sift_netstat_host_line(line, &host))
            cr_assert(inside(host, g.ptr, g.len));
        (void)sift_netstat_is_header(line);
        guard_free(&g);
    }
}

/* LF, CRLF, a bare CR and trailing blanks give identical rows. */
ParameterizedTestParameters(rows, line_ends_do_not_matter)
{
    return cr_make_param_array(row_case, row_cases, sizeof row_cases / sizeof row_cases[0]);
}

ParameterizedTest(row_case *c, rows, line_ends_do_not_matter)
{
    static const char *const ends[] = { "\n", "\r\n", "\r", "  \r\n" };
    guard_buf g0;
    sift_ns_row r0;
    sift_error e0 = { 0 };
    size_t len = strlen(c->line);
    sift_status s0 = parse(c->line, len, &g0, &r0, &e0);
    for (size_t k = 0; k < 4; k++) {
        char buf[200];
        size_t n = (size_t)snprintf(buf, sizeof buf, "%s%s", c->line, ends[k]);
        guard_buf g;
        sift_ns_row r;
        sift_error e = { 0 };
        cr_assert_eq(parse(buf, n, &g, &r, &e), s0);
        if (s0 == SIFT_OK) {
            cr_assert_eq(r.local.ptr - g.ptr, r0.local.ptr - g0.ptr);
            cr_assert_eq(r.foreign.ptr - g.ptr, r0.foreign.ptr - g0.ptr);
            cr_assert(r.local.len == r0.local.len && r.foreign.len == r0.foreign.len);
            cr_assert(r.state.len == r0.state.len && r.proto.len == r0.proto.len);
            cr_assert(r.st == r0.st && r.local_port == r0.local_port && r.tcp == r0.tcp);
        } else {
            cr_assert_eq(e.offset, e0.offset);
        }
        guard_free(&g);
    }
    guard_free(&g0);
}

/* ---- lines that are not rows ------------------------------------------ */

typedef struct bad_case {
    char line[200];
    size_t offset; /* of the first byte that does not fit */
} bad_case;

static bad_case bad_cases[] = {
    /* prose and event descriptions around the word */
    { "TCP connections in TIME_WAIT state were not closed", 4 },
    { "  TCP connections in TIME_WAIT state were not closed", 6 },
    { "TIME_WAIT connections exceeded the threshold on this host", 10 },
    { "A request to allocate an ephemeral port number from the global TCP port space has failed due to all such "
      "ports being in use. TIME_WAIT",
      0 },
    { "TCP/IP failed to establish an outgoing connection because the selected local endpoint was recently used "
      "(TIME_WAIT).",
      0 },
    { "Event 4227 TCP TIME_WAIT", 0 },
    { "tcp 0 0 connections in TIME_WAIT", 8 },
    { "TIME-WAIT 0 0 ports were exhausted", 14 },
    { "TIME_WAIT 0 0", 13 },
    { "TCP 10.1.2.15:50112", 19 },
    { "", 0 },
    { "   ", 0 },
    /* ports */
    { "  TCP    10.1.2.15:65536        10.1.2.5:445           TIME_WAIT       0", 19 },
    { "  TCP    10.1.2.15:50112        10.1.2.5:99999         TIME_WAIT       0", 41 },
    { "  TCP    10.1.2.15:123456       10.1.2.5:445           TIME_WAIT       0", 19 },
    { "  TCP    10.1.2.15:             10.1.2.5:445           TIME_WAIT       0", 19 },
    { "tcp        0      0 192.168.1.10:65536      203.0.113.12:61234      TIME_WAIT", 33 },
    { "TIME-WAIT  0      0       10.0.2.100:70000     10.0.2.100:8080", 37 },
    /* addresses */
    { "  TCP    256.1.2.15:50112       10.1.2.5:445           TIME_WAIT       0", 9 },
    { "  TCP    10.1.2:50112           10.1.2.5:445           TIME_WAIT       0", 15 },
    { "  TCP    10.1.2.15.7:50112      10.1.2.5:445           TIME_WAIT       0", 18 },
    { "  TCP    [::1:135               [::]:0                 LISTENING       1024", 17 },
    { "  TCP    ::1]:135               [::]:0                 LISTENING       1024", 12 },
    { "  TCP    [::1]135               [::]:0                 LISTENING       1024", 14 },
    { "  TCP    []:135                 [::]:0                 LISTENING       1024", 10 },
    { "  TCP    [::1]]:135             [::]:0                 LISTENING       1024", 14 },
    { "  TCP    [::g]:135              [::]:0                 LISTENING       1024", 12 },
    { "  TCP    [fe80::1%]:135         [::]:0                 LISTENING       1024", 18 },
    { "  TCP    [fe80::1%e!0]:135      [::]:0                 LISTENING       1024", 19 },
    { "  TCP    10.0.0.1:ss!h          10.0.0.2:1             LISTENING       1024", 20 },
    { "  TCP    10.0.0.1:-ssh          10.0.0.2:1             LISTENING       1024", 18 },
    { "  TCP    10.0.0.1:1.2           10.0.0.2:1             LISTENING       1024", 18 },
    { "  TCP    10.1.2.15              10.1.2.5:445           TIME_WAIT       0", 9 },
    /* too many or wrong columns */
    { "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT       0    extra", 76 },
    { "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT       0    4", 76 },
    { "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT state was seen", 65 },
    { "  UDP    0.0.0.0:123            *:*                                    1388 7", 76 },
    { "  UDP    0.0.0.0:123            *:*                    LISTENING       1388", 55 },
    { "  TCP    10.1.2.15:50112        10.1.2.5:445           0", 55 },
    { "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT       12a", 71 },
    { "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT       99999999999", 71 },
    { "tcp        0      0 192.168.1.10:80         203.0.113.12:61234      TIME_WAIT   was seen here", 80 },
    { "tcp        0      0 192.168.1.10:80         203.0.113.12:61234", 62 },
    { "tcp        0      x 192.168.1.10:80         203.0.113.12:61234      TIME_WAIT", 18 },
    { "TIME-WAIT  0      0       10.0.2.100:50730     10.0.2.100:8080 and more", 63 },
    { "TIME-WAIT  0      0       10.0.2.100:50730     10.0.2.100:8080 users", 63 },
    { "FOO-WAIT   0      0       10.0.2.100:50730     10.0.2.100:8080", 0 },
    { "raw   UNCONN 0      0          0.0.0.0:1          0.0.0.0:*", 0 },
    { "tcp6  ESTAB  0      0      [::1]:22              [::1]:51000", 0 },
    /* control bytes */
    { "  TCP\x01   10.1.2.15:50112        10.1.2.5:445           TIME_WAIT       0", 5 },
    { "  TCP    10.1.2.15:50112 \r      10.1.2.5:445           TIME_WAIT       0", 25 },
    /* Get-NetTCPConnection near misses: names, ports, states, extra columns */
    { "web01                               55113     10.0.0.9                            443        TimeWait", 0 },
    { "10.0.0.5                            55113     db01                                443        TimeWait", 46 },
    { "10.0.0.5 55113 10.0.0.9 99999 TimeWait", 24 },
    { "10.0.0.5 55113 10.0.0.9 * TimeWait", 24 },
    { "10.0.0.5 55113 10.0.0.9 443 Waiting 0", 28 },
    { "10.0.0.5 55113 10.0.0.9 443 TimeWait 0 0", 39 },
    { "10.0.0.5 55113 10.0.0.9 443 TimeWait Internet extra", 46 },
    { "10.0.0.5 55113 10.0.0.9 443", 27 },
    { "... 55113 10.0.0.9 443 TimeWait", 0 },
    { "10.0.x... 55113 10.0.0.9 443 TimeWait", 5 },
    { "10.0.0.256 55113 10.0.0.9 443 TimeWait", 7 },
    { ".0.1:2001:db8:85a3:1234:5678:8a2e:3770\xE2\x80\xA6 50135 10.0.0.9 443 TimeWait 0", 0 },
    { ".:1:2 50135 10.0.0.9 443 TimeWait 0", 0 },
};

ParameterizedTestParameters(rows, refuse_non_rows_at_the_right_byte)
{
    return cr_make_param_array(bad_case, bad_cases, sizeof bad_cases / sizeof bad_cases[0]);
}

ParameterizedTest(bad_case *c, rows, refuse_non_rows_at_the_right_byte)
{
    guard_buf g;
    sift_ns_row row;
    memset(&row, 0xA5, sizeof row);
    sift_ns_row before = row;
    sift_error err = { 0 };
    cr_assert_eq(parse(c->line, strlen(c->line), &g, &row, &err), SIFT_ERR_SYNTAX, "[%s] parsed", c->line);
    cr_assert_eq(err.offset - 1000, c->offset, "[%s]: offset %llu (%s), want %zu", c->line,
                 (unsigned long long)(err.offset - 1000), err.detail, c->offset);
    cr_assert_not_null(err.detail);
    cr_assert(memcmp(&row, &before, sizeof row) == 0, "row must be untouched on failure");
    guard_free(&g);
}

Test(rows, accept_null_err)
{
    guard_buf g = guard_copy("TCP connections in TIME_WAIT", 28);
    sift_ns_row row;
    cr_assert_eq(sift_netstat_row(sift_slice_make(g.ptr, g.len), 0, &row, NULL), SIFT_ERR_SYNTAX);
    guard_free(&g);
}

Test(rows, refuse_a_ten_kib_line_without_reading_it)
{
    static char big[10 * 1024];
    memset(big, ' ', sizeof big);
    memcpy(big, "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT       0", 71);
    guard_buf g;
    sift_ns_row row;
    sift_error err = { 0 };
    cr_assert_eq(parse(big, sizeof big, &g, &row, &err), SIFT_ERR_SYNTAX);
    cr_assert_eq(err.offset, 1000 + SIFT_NETSTAT_MAX_LINE);
    cr_assert_not(sift_netstat_is_header(sift_slice_make(g.ptr, g.len)));
    sift_slice host;
    cr_assert_not(sift_netstat_host_line(sift_slice_make(g.ptr, g.len), &host));
    guard_free(&g);

    memcpy(big, "Active Connections", 18);
    cr_assert_not(header(big, sizeof big));
    memcpy(big, "Host Name: APP01   ", 19);
    g = guard_copy(big, sizeof big);
    cr_assert_not(sift_netstat_host_line(sift_slice_make(g.ptr, g.len), &host));
    guard_free(&g);
}

Test(rows, accept_up_to_the_line_limit)
{
    static char big[SIFT_NETSTAT_MAX_LINE + 1];
    memset(big, ' ', sizeof big);
    memcpy(big, "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT       0", 71);
    guard_buf g;
    sift_ns_row row;
    sift_error err = { 0 };
    cr_assert_eq(parse(big, SIFT_NETSTAT_MAX_LINE, &g, &row, &err), SIFT_OK);
    cr_assert_eq(row.st, SIFT_TCP_TIME_WAIT);
    guard_free(&g);
    cr_assert_eq(parse(big, SIFT_NETSTAT_MAX_LINE + 1, &g, &row, &err), SIFT_ERR_SYNTAX);
    cr_assert_eq(err.offset, 1000 + SIFT_NETSTAT_MAX_LINE);
    guard_free(&g);
}

/* Rows up to 128 bytes are split from bit masks, longer ones byte by byte:
 * every width of padding, across both 64-byte words and past the fast
 * length, must read the same columns, and a control byte anywhere must be
 * reported where it is. */
Test(rows, read_the_same_columns_whatever_the_padding)
{
    for (size_t gap = 1; gap <= 150; gap++) {
        char line[512];
        int n = snprintf(line, sizeof line, "  TCP    10.1.2.15:50112%*s10.1.2.5:445 TIME_WAIT 0", (int)gap, "");
        guard_buf g;
        sift_ns_row row;
        sift_error err = { 0 };
        cr_assert_eq(parse(line, (size_t)n, &g, &row, &err), SIFT_OK, "gap %zu: %s", gap, err.detail);
        cr_expect(slice_is(row.proto, "TCP") && slice_is(row.local, "10.1.2.15:50112") &&
                      slice_is(row.foreign, "10.1.2.5:445") && slice_is(row.state, "TIME_WAIT"),
                  "gap %zu", gap);
        cr_expect_eq(row.st, SIFT_TCP_TIME_WAIT, "gap %zu", gap);
        cr_expect_eq(row.local_port, 50112, "gap %zu", gap);
        guard_free(&g);
        /* A control byte at each place inside the gap. */
        for (size_t at = 24; at < 24 + gap; at++) {
            char bad[512];
            memcpy(bad, line, (size_t)n);
            bad[at] = at % 2 ? '\x01' : '\x7f';
            cr_assert_eq(parse(bad, (size_t)n, &g, &row, &err), SIFT_ERR_SYNTAX, "gap %zu at %zu", gap, at);
            cr_assert_eq(err.offset - 1000, at, "gap %zu: offset %llu, want %zu", gap,
                         (unsigned long long)(err.offset - 1000), at);
            guard_free(&g);
        }
    }
}

Test(rows, take_every_port_from_zero_to_65535)
{
    char line[96];
    for (unsigned p = 0; p <= 65536; p += (p < 70 || p > 65500) ? 1 : 997) {
        int n = snprintf(line, sizeof line, "TCP 10.0.0.1:%u 10.0.0.2:445 TIME_WAIT 0", p);
        guard_buf g;
        sift_ns_row row;
        sift_error err = { 0 };
        sift_status st = parse(line, (size_t)n, &g, &row, &err);
        if (p <= 65535) {
            cr_assert_eq(st, SIFT_OK, "port %u", p);
            cr_assert_eq(row.local_port, p);
            cr_assert_eq(row.has_local_port, 1);
        } else {
            cr_assert_eq(st, SIFT_ERR_SYNTAX, "port %u", p);
        }
        guard_free(&g);
    }
}

/* ---- state words ------------------------------------------------------ */

typedef struct state_case {
    char word[24];
    sift_tcp_state st;
} state_case;

static state_case state_cases[] = {
    { "LISTENING", SIFT_TCP_LISTEN },
    { "LISTEN", SIFT_TCP_LISTEN },
    { "Listen", SIFT_TCP_LISTEN },
    { "ABHÖREN", SIFT_TCP_LISTEN },
    { "ABH\x99REN", SIFT_TCP_LISTEN },
    { "ABH\xD6REN", SIFT_TCP_LISTEN },
    { "ESTABLISHED", SIFT_TCP_ESTABLISHED },
    { "ESTAB", SIFT_TCP_ESTABLISHED },
    { "Established", SIFT_TCP_ESTABLISHED },
    { "HERGESTELLT", SIFT_TCP_ESTABLISHED },
    { "TIME_WAIT", SIFT_TCP_TIME_WAIT },
    { "TIME-WAIT", SIFT_TCP_TIME_WAIT },
    { "TimeWait", SIFT_TCP_TIME_WAIT },
    { "WARTEND", SIFT_TCP_TIME_WAIT },
    { "CLOSE_WAIT", SIFT_TCP_CLOSE_WAIT },
    { "CLOSE-WAIT", SIFT_TCP_CLOSE_WAIT },
    { "CloseWait", SIFT_TCP_CLOSE_WAIT },
    { "SCHLIESSEN_WARTEN", SIFT_TCP_CLOSE_WAIT },
    { "SYN_SENT", SIFT_TCP_SYN_SENT },
    { "SYN-SENT", SIFT_TCP_SYN_SENT },
    { "SynSent", SIFT_TCP_SYN_SENT },
    { "SYN_RECEIVED", SIFT_TCP_SYN_RECEIVED },
    { "SYN-RECV", SIFT_TCP_SYN_RECEIVED },
    { "SYN_RECV", SIFT_TCP_SYN_RECEIVED },
    { "SynReceived", SIFT_TCP_SYN_RECEIVED },
    { "FIN_WAIT_1", SIFT_TCP_FIN_WAIT_1 },
    { "FIN_WAIT1", SIFT_TCP_FIN_WAIT_1 },
    { "FIN-WAIT-1", SIFT_TCP_FIN_WAIT_1 },
    { "FinWait1", SIFT_TCP_FIN_WAIT_1 },
    { "FIN_WAIT_2", SIFT_TCP_FIN_WAIT_2 },
    { "FIN_WAIT2", SIFT_TCP_FIN_WAIT_2 },
    { "FIN-WAIT-2", SIFT_TCP_FIN_WAIT_2 },
    { "FinWait2", SIFT_TCP_FIN_WAIT_2 },
    { "CLOSING", SIFT_TCP_CLOSING },
    { "Closing", SIFT_TCP_CLOSING },
    { "LAST_ACK", SIFT_TCP_LAST_ACK },
    { "LAST-ACK", SIFT_TCP_LAST_ACK },
    { "LastAck", SIFT_TCP_LAST_ACK },
    { "CLOSED", SIFT_TCP_CLOSED },
    { "CLOSE", SIFT_TCP_CLOSED },
    { "Closed", SIFT_TCP_CLOSED },
    { "Bound", SIFT_TCP_BOUND },
    { "BOUND", SIFT_TCP_BOUND },
    { "UNCONN", SIFT_TCP_NONE },
    { "", SIFT_TCP_NONE },
    { "UNKNOWN", SIFT_TCP_OTHER },
    { "TIME_WAITS", SIFT_TCP_OTHER },
    { "TIME", SIFT_TCP_OTHER },
    { "TIME WAIT", SIFT_TCP_OTHER },
    { "ABHOREN", SIFT_TCP_OTHER },
};

ParameterizedTestParameters(states, map_every_spelling)
{
    return cr_make_param_array(state_case, state_cases, sizeof state_cases / sizeof state_cases[0]);
}

ParameterizedTest(state_case *c, states, map_every_spelling)
{
    guard_buf g = guard_copy(c->word, strlen(c->word));
    cr_assert_eq(sift_netstat_state(sift_slice_make(g.ptr, g.len)), c->st, "[%s]", c->word);
    guard_free(&g);
}

/* ---- headers and titles ----------------------------------------------- */

typedef struct header_case {
    char line[160];
    int is_header;
} header_case;

static header_case header_cases[] = {
    /* Windows, English */
    { "Active Connections", 1 },
    { "  Proto  Local Address          Foreign Address        State           PID", 1 },
    { "  Proto  Local Address          Foreign Address        State", 1 },
    { "  Proto  Local Address          Foreign Address        State           PID            Offload State", 1 },
    { "Proto Local Address Foreign Address State PID", 1 },
    /* Japanese, UTF-8 and CP932 */
    { "アクティブな接続", 1 },
    { "  プロトコル  ローカル アドレス      外部アドレス           状態            PID", 1 },
    { "  プロト  ローカル アドレス      外部アドレス           状態", 1 },
    { "\x83\x41\x83\x4e\x83\x65\x83\x42\x83\x75\x82\xc8\x90\xda\x91\xb1", 1 },
    { "  \x83\x76\x83\x8d\x83\x67\x83\x52\x83\x8b  \x83\x8d\x81\x5b\x83\x4a\x83\x8b \x83\x41\x83\x68\x83\x8c\x83\x58"
      "      \x8a\x4f\x95\x94\x83\x41\x83\x68\x83\x8c\x83\x58    \x8f\xf3\x91\xd4    PID",
      1 },
    { "  \x83\x76\x83\x8d\x83\x67  \x83\x8d\x81\x5b\x83\x4a\x83\x8b \x83\x41\x83\x68\x83\x8c\x83\x58", 1 },
    /* German */
    { "Aktive Verbindungen", 1 },
    { "  Proto  Lokale Adresse         Remoteadresse          Status           PID", 1 },
    /* Linux netstat */
    { "Active Internet connections (servers and established)", 1 },
    { "Active Internet connections (w/o servers)", 1 },
    { "Active Internet connections (only servers)", 1 },
    { "Active Internet connections", 1 },
    { "Proto Recv-Q Send-Q Local Address           Foreign Address         State", 1 },
    { "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name", 1 },
    /* ss */
    { "State      Recv-Q Send-Q Local Address:Port     Peer Address:Port Process", 1 },
    { "State      Recv-Q Send-Q Local Address:Port     Peer Address:Port", 1 },
    { "State  Recv-Q  Send-Q   Local Address:Port   Peer Address:PortProcess", 1 },
    { "Netid State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess", 1 },
    { "Netid  State      Recv-Q Send-Q     Local Address:Port       Peer Address:Port   Process", 1 },
    /* spacing and case tolerance */
    { "\tACTIVE   CONNECTIONS  ", 1 },
    { "active connections", 1 },
    /* not headers */
    { "Active Connections were dropped", 0 },
    { "Active Connections: 17", 0 },
    { "Aktive Verbindungen: 3", 0 },
    { "Active Internet connections were reset", 0 },
    { "Active Internet connections (w/o servers", 0 },
    { "Active Directory connections", 0 },
    { "Proto", 0 },
    { "Proto Local", 0 },
    { "Proto Local Address Foreign Address Stateful", 0 },
    { "State of TCP connections: TIME_WAIT", 0 },
    { "Netid State", 0 },
    { "プロトコル", 0 },
    { "アクティブな接続がありません", 0 },
    { "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT       0", 0 },
    { "tcp        0      0 192.168.1.10:80         203.0.113.12:61234      TIME_WAIT", 0 },
    { "TIME-WAIT  0      0       10.0.2.100:50730     10.0.2.100:8080", 0 },
    /* Other Windows display languages (UTF-8), titles and headers */
    { "Conexiones activas", 1 },
    { "  Proto  Dirección local          Dirección remota        Estado           PID", 1 },
    { "  Proto  Dirección local        Dirección remota       Estado", 1 },
    { "Connexions actives", 1 },
    { "  Proto  Adresse locale         Adresse distante       État            PID", 1 },
    { "Connessioni attive", 1 },
    { "  Proto  Indirizzo locale       Indirizzo esterno      Stato           PID", 1 },
    { "Conexões ativas", 1 },
    { "  Proto  Endereço local         Endereço externo       Estado           PID", 1 },
    { "Ligações ativas", 1 },
    { "Ligações activas", 1 },
    { "  Proto  Endereço local         Endereço remoto        Estado", 1 },
    { "Активные подключения", 1 },
    { "  Имя    Локальный адрес        Внешний адрес          Состояние       PID", 1 },
    { "活动连接", 1 },
    { "  协议  本地地址          外部地址        状态           PID", 1 },
    { "使用中連線", 1 },
    { "作用中的連線", 1 },
    { "  協定   本機位址               外部位址               狀態            PID", 1 },
    { "활성 연결", 1 },
    { "  프로토콜  로컬 주소              외부 주소              상태            PID", 1 },
    /* Get-NetTCPConnection, whole and with columns dropped for the width */
    { "LocalAddress                        LocalPort RemoteAddress                       RemotePort State       "
      "AppliedSetting OwningProcess",
      1 },
    { "LocalAddress                        LocalPort RemoteAddress                       RemotePort State", 1 },
    /* near misses in those languages */
    { "Conexiones activas: 12", 0 },
    { "Connexions actives sur le serveur", 0 },
    { "  Proto  Dirección local", 0 },
    { "  Proto  Adresse locale         Adresse distante       Étatique", 0 },
    { "  Имя    Локальный адрес", 0 },
    { "Активные подключения: 5", 0 },
    { "  协议  本地地址", 0 },
    { "활성 연결 없음", 0 },
    { "LocalAddress LocalPort RemoteAddress RemotePort", 0 },
    { "LocalAddress   : 10.0.0.5", 0 },
    { "LocalAddress LocalPort RemoteAddress RemotePort Stateful", 0 },
    { "", 0 },
    { "   ", 0 },
};

ParameterizedTestParameters(headers, recognise_titles_and_headers_in_every_language)
{
    return cr_make_param_array(header_case, header_cases, sizeof header_cases / sizeof header_cases[0]);
}

ParameterizedTest(header_case *c, headers, recognise_titles_and_headers_in_every_language)
{
    size_t len = strlen(c->line);
    cr_assert_eq(header(c->line, len), c->is_header, "[%s]", c->line);
    char buf[200];
    int n = snprintf(buf, sizeof buf, "%s\r\n", c->line);
    cr_assert_eq(header(buf, (size_t)n), c->is_header, "[%s] with CRLF", c->line);
    for (size_t i = 0; i < len; i++)
        (void)header(c->line, i);
}

/* ---- host lines ------------------------------------------------------- */

typedef struct host_case {
    char line[300];
    char host[260];
    int ok;
} host_case;

static host_case host_cases[] = {
    { "Host Name:                 APP-SQL02", "APP-SQL02", 1 },
    { "Hostname: web01.example.com", "web01.example.com", 1 },
    { "hostname=db_primary", "db_primary", 1 },
    { "HOST: RDG01", "RDG01", 1 },
    { "Host : RDG01  ", "RDG01", 1 },
    { "Computer Name: WINLPE-SRV01", "WINLPE-SRV01", 1 },
    { "COMPUTERNAME=WEB01", "WEB01", 1 },
    { "  ComputerName = WEB02\r", "WEB02", 1 },
    { "ホスト名:               MyCowin7", "MyCowin7", 1 },
    { "ホスト名：MyCowin7", "MyCowin7", 1 },
    { "\x83\x7a\x83\x58\x83\x67\x96\xbc:               MyCowin7", "MyCowin7", 1 },
    { "\x83\x7a\x83\x58\x83\x67\x96\xbc\x81\x46  MyCowin7", "MyCowin7", 1 }, /* CP932 full-width colon */
    { "Host Name:", "", 0 },
    { "Host Name:    ", "", 0 },
    { "Host Name: APP SQL02", "", 0 },
    { "Host Name: APP-SQL02 (primary)", "", 0 },
    { "Host: 10.0.0.5:8080", "", 0 },
    { "Host Name APP-SQL02", "", 0 },
    { "Hosts: A", "", 0 },
    { "Hostile: A", "", 0 },
    { "OS Name:                   Microsoft Windows Server 2008 R2 Enterprise", "", 0 },
    { "The host name: is APP", "", 0 },
    { "Host Name: caf\xC3\xA9", "", 0 },
    { "Host Name: A\x01", "", 0 },
    { "hostname=-", "", 0 },
    { "Host: ...", "", 0 },
    { "Host: -x-", "-x-", 1 },
    { "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT       0", "", 0 },
    { "", "", 0 },
};

ParameterizedTestParameters(hosts, extract_host_names)
{
    return cr_make_param_array(host_case, host_cases, sizeof host_cases / sizeof host_cases[0]);
}

ParameterizedTest(host_case *c, hosts, extract_host_names)
{
    size_t len = strlen(c->line);
    guard_buf g = guard_copy(c->line, len);
    sift_slice host = { NULL, 0 };
    int r = sift_netstat_host_line(sift_slice_make(g.ptr, g.len), &host);
    cr_assert_eq(r, c->ok, "[%s]", c->line);
    if (r) {
        cr_assert(inside(host, g.ptr, g.len));
        assert_slice(host, c->host, "host");
    } else {
        cr_assert_null(host.ptr, "host must be untouched");
    }
    guard_free(&g);
    for (size_t i = 0; i < len; i++) {
        g = guard_copy(c->line, i);
        if (sift_netstat_host_line(sift_slice_make(g.ptr, g.len), &host))
            cr_assert(inside(host, g.ptr, g.len));
        guard_free(&g);
    }
}

Test(hosts, limit_names_to_255_bytes)
{
    char line[300];
    memcpy(line, "Host: ", 6);
    memset(line + 6, 'a', 256);
    guard_buf g = guard_copy(line, 6 + 255);
    sift_slice host = { NULL, 0 };
    cr_assert(sift_netstat_host_line(sift_slice_make(g.ptr, g.len), &host));
    cr_assert_eq(host.len, 255);
    guard_free(&g);
    g = guard_copy(line, 6 + 256);
    cr_assert_not(sift_netstat_host_line(sift_slice_make(g.ptr, g.len), &host));
    guard_free(&g);
}

/* ---- whole dumps ------------------------------------------------------ */

typedef struct dump_tally {
    int rows, time_wait, headers, hosts;
    char host[64];
} dump_tally;

/* What the engine would see: every line through all three calls. */
static dump_tally tally(const char *text, int crlf)
{
    char buf[4096];
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '\n' && crlf)
            buf[n++] = '\r';
        buf[n++] = *p;
    }
    guard_buf g = guard_copy(buf, n);
    dump_tally t = { 0 };
    sift_cursor c = sift_cur_make(sift_slice_make(g.ptr, g.len));
    sift_slice line, host;
    while (sift_cur_take_line(&c, &line)) {
        sift_ns_row row;
        if (sift_netstat_row(line, 0, &row, NULL) == SIFT_OK) {
            t.rows++;
            t.time_wait += row.st == SIFT_TCP_TIME_WAIT;
        }
        t.headers += sift_netstat_is_header(line);
        if (sift_netstat_host_line(line, &host)) {
            t.hosts++;
            snprintf(t.host, sizeof t.host, "%.*s", (int)host.len, (const char *)host.ptr);
        }
    }
    guard_free(&g);
    return t;
}

static void check_dump(const char *text, int rows, int time_wait, int headers, const char *host)
{
    for (int crlf = 0; crlf < 2; crlf++) {
        dump_tally t = tally(text, crlf);
        cr_assert_eq(t.rows, rows, "rows %d (crlf %d)", t.rows, crlf);
        cr_assert_eq(t.time_wait, time_wait, "TIME_WAIT %d (crlf %d)", t.time_wait, crlf);
        cr_assert_eq(t.headers, headers, "headers %d (crlf %d)", t.headers, crlf);
        cr_assert_eq(t.hosts, host[0] != 0, "hosts %d", t.hosts);
        cr_assert_str_eq(t.host, host);
    }
}

Test(dumps, count_a_windows_english_netstat_ano)
{
    check_dump("Host Name:                 APP-SQL02\n"
               "\n"
               "Active Connections\n"
               "\n"
               "  Proto  Local Address          Foreign Address        State           PID\n"
               "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1024\n"
               "  TCP    10.1.2.15:49731        10.1.2.5:389           ESTABLISHED     812\n"
               "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT       0\n"
               "  TCP    [::]:135               [::]:0                 LISTENING       1024\n"
               "  TCP    [fe80::5d1c:2a:9b3e:11%12]:50133  [fe80::1%12]:135  TIME_WAIT  0\n"
               "  UDP    0.0.0.0:123            *:*                                    1388\n",
               6, 2, 2, "APP-SQL02");
}

Test(dumps, count_a_windows_japanese_netstat_ano)
{
    check_dump("ホスト名:               MyCowin7\n"
               "\n"
               "アクティブな接続\n"
               "\n"
               "  プロトコル  ローカル アドレス      外部アドレス           状態            PID\n"
               "  TCP         0.0.0.0:135            0.0.0.0:0              LISTENING       1024\n"
               "  TCP         192.168.1.80:51306     49.212.180.206:80      TIME_WAIT       0\n",
               2, 1, 2, "MyCowin7");
}

Test(dumps, count_a_windows_german_netstat_ano)
{
    check_dump("\nAktive Verbindungen\n\n"
               "  Proto  Lokale Adresse         Remoteadresse          Status           PID\n"
               "  TCP    0.0.0.0:135            0.0.0.0:0              ABHÖREN          1024\n"
               "  TCP    10.1.2.15:49731        10.1.2.5:389           HERGESTELLT      812\n"
               "  TCP    10.1.2.15:50112        10.1.2.5:445           WARTEND          0\n",
               3, 1, 2, "");
}

Test(dumps, count_a_linux_netstat_tan)
{
    check_dump("hostname=db01\n"
               "Active Internet connections (servers and established)\n"
               "Proto Recv-Q Send-Q Local Address           Foreign Address         State\n"
               "tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN\n"
               "tcp        0      0 192.168.1.10:80         203.0.113.12:61234      TIME_WAIT\n"
               "tcp6       0      0 :::443                  :::*                    LISTEN\n",
               3, 1, 2, "db01");
}

Test(dumps, count_an_ss_tan)
{
    check_dump("State      Recv-Q Send-Q Local Address:Port     Peer Address:Port Process\n"
               "LISTEN     0      128          0.0.0.0:22            0.0.0.0:*\n"
               "ESTAB      0      0       10.0.2.100:50728     10.0.2.100:8080\n"
               "TIME-WAIT  0      0       10.0.2.100:50730     10.0.2.100:8080\n"
               "TIME-WAIT  0      0    [::ffff:127.0.0.1]:9191 [::ffff:127.0.0.1]:34996\n",
               4, 2, 1, "");
}

Test(dumps, count_two_captures_in_every_display_language)
{
    for (size_t i = 0; i < N_LANG_CASES; i++) {
        sbuf b = { 0 };
        sb_printf(&b, "Host Name: WEB-%s\n", lang_cases[i].lang);
        lang_capture(&b, &lang_cases[i], 3);
        lang_capture(&b, &lang_cases[i], 5);
        char host[16];
        snprintf(host, sizeof host, "WEB-%s", lang_cases[i].lang);
        /* Each capture: a title and a header, two other rows. */
        check_dump(b.p, 2 * 2 + 3 + 5, 3 + 5, 4, host);
        free(b.p);
    }
}

Test(dumps, count_a_get_nettcpconnection_table)
{
    check_dump("LocalAddress                        LocalPort RemoteAddress                       RemotePort State       "
               "AppliedSetting OwningProcess\n"
               "------------                        --------- -------------                       ---------- -----       "
               "-------------- -------------\n"
               "::                                  49669     ::                                  0          Listen      "
               "               704\n"
               "10.0.0.5                            50123     10.0.0.9                            445        TimeWait    "
               "               0\n"
               "2001:db8:85a3:1234:5678:8a2e:370... 50134     2001:db8:85a3:1234:5678:8a2e:37...  443        TimeWait    "
               "               0\n"
               "10.0.0.5                            49731     10.0.0.9                            389        Established "
               "Datacenter     812\n",
               4, 2, 1, "");
}

/* netstat without -n resolves names: those rows are TCP rows all the same
 * (found in the jc captures: localhost:smtp, api:1032, kbrazil-ubuntu:ssh). */
Test(dumps, count_rows_whose_addresses_are_resolved_names)
{
    check_dump("Active Internet connections (w/o servers)\n"
               "Proto Recv-Q Send-Q Local Address           Foreign Address         State\n"
               "tcp        0      0 localhost:smtp          localhost:43210         TIME_WAIT\n"
               "tcp        0      0 kbrazil-ubuntu:ssh      10.0.0.5:51234          ESTABLISHED\n"
               "tcp        0      0 api:1032                db.corp.example.com:postgresql TIME_WAIT\n",
               3, 2, 2, "");
    check_dump("Active Connections\n\n"
               "  Proto  Local Address          Foreign Address        State\n"
               "  TCP    web02:49678            api:1032               TIME_WAIT\n"
               "  TCP    web02:49679            db.corp.example.com:https  TIME_WAIT\n",
               2, 2, 2, "");
}

Test(rows, a_mangled_address_is_not_a_name)
{
    static const char *const bad[] = {
        "tcp 0 0 10.0.0:22 1.2.3.4:5 TIME_WAIT",   /* digits only: a cut address */
        "tcp 0 0 -host:22 1.2.3.4:5 TIME_WAIT",    /* no leading letter or digit */
        "tcp 0 0 ho$t:22 1.2.3.4:5 TIME_WAIT",     /* not a DNS letter */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        guard_buf g;
        sift_ns_row row;
        sift_error err;
        cr_expect_eq(parse(bad[i], strlen(bad[i]), &g, &row, &err), SIFT_ERR_SYNTAX, "%s", bad[i]);
        guard_free(&g);
    }
}

Test(dumps, count_nothing_in_an_event_description)
{
    check_dump("Log Name:      System\n"
               "Source:        Tcpip\n"
               "Event ID:      4227\n"
               "Description:\n"
               "TCP/IP failed to establish an outgoing connection because the selected local endpoint was\n"
               "recently used to connect to the same remote endpoint. This error typically occurs when\n"
               "outgoing connections are opened and closed at a high rate, causing all available local\n"
               "ports to be used and forcing TCP/IP to reuse a local port for an outgoing connection.\n"
               "TCP connections in TIME_WAIT state were not closed\n"
               "TIME_WAIT 16384\n",
               0, 0, 0, "");
}

/* The format's TIME_WAIT check reads plain IPv4 rows on a fast path of its
 * own; on every row shape, and on rows cut or damaged anywhere, it must say
 * what the full parse says. */
Test(rows, the_fast_time_wait_check_agrees_with_the_full_parse)
{
    static const char *const rows[] = {
        "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT       0",
        "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT",
        "  TCP    0.0.0.0:135            *:*                    TIME_WAIT       1024\r",
        "tcp        0      0 192.168.1.10:80         203.0.113.12:61234      TIME_WAIT",
        "tcp6       0      0 ::1:80                  ::1:61234               TIME_WAIT",
        "TIME-WAIT  0      0       10.0.2.100:50730     10.0.2.100:8080",
        "tcp   TIME-WAIT  0      0       10.0.2.100:50730     10.0.2.100:8080",
        "  TCP    [::1]:50112            [::1]:445              TIME_WAIT       0",
        "  tcp    10.1.2.15:50112        10.1.2.5:445           time_wait       0",
        "  TCP    10.1.2.15:ssh          10.1.2.5:445           TIME_WAIT       0",
        "  TCP    256.1.2.15:50112       10.1.2.5:445           TIME_WAIT       0",
        "  TCP    10.1.2.15:65536        10.1.2.5:445           TIME_WAIT       0",
        "  TCP    10.1.2:50112           10.1.2.5:445           TIME_WAIT       0",
        "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT       0 extra",
        "  UDP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT       0",
        "  TCP    10.1.2.15:50112        10.1.2.5:445           ESTABLISHED     0",
        "TCP connections in TIME_WAIT state were closed",
        "10.0.0.5                            50123     10.0.0.9                            445        TimeWait   0",
        "fe80::5d1c:2a:9b3e:11%12 50133 fe80::1%12 135 TimeWait Internet 0",
        "2001:db8:85a3:1234:5678:8a2e:370... 50134 10.0.0.9 443 TimeWait",
        "10.0.0.5 50123 10.0.0.9 445 Listen 0",
        "Time Created: 10/2/2024 12:00:00 PM",
        ".0.12001:db8:85a3:1234:5678:8a2e:3770\xE2\x80\xA6 50135 10.0.0.9 443 TimeWait 0",
        /* Tabs, CR and blanks where the fast path reads 16 or 8 at a time. */
        "\tTCP\t10.1.2.15:50112\t\t10.1.2.5:445\t\tTIME_WAIT\t0",
        "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT  \r  ",
        "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT \r 7",
        "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT\r",
        "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT 4294967296",
        "  TCP    10.1.2.15:50112        10.1.2.5:445           TIME_WAIT 4294967295",
        "                TCP                10.1.2.15:50112                10.1.2.5:445 TIME_WAIT 1",
        /* Octets and ports at and past their limits, parts empty or wide. */
        "  TCP    255.255.255.255:65535  255.255.255.255:65535  TIME_WAIT       0",
        "  TCP    255.255.255.256:65535  10.1.2.5:445           TIME_WAIT       0",
        "  TCP    10.1.2.15:65535        10.1.2.5:99999         TIME_WAIT       0",
        "  TCP    10.1.2.15:123456       10.1.2.5:445           TIME_WAIT       0",
        "  TCP    010.001.002.015:00080  10.1.2.5:445           TIME_WAIT       0",
        "  TCP    1.2.3.4.5:80           10.1.2.5:445           TIME_WAIT       0",
        "  TCP    1.2:3.4:80             10.1.2.5:445           TIME_WAIT       0",
        "  TCP    1..3.4:80              10.1.2.5:445           TIME_WAIT       0",
        "  TCP    1.2.3.4::80            10.1.2.5:445           TIME_WAIT       0",
        "  TCP    1000.2.3.4:80          10.1.2.5:445           TIME_WAIT       0",
        "  TCP    1.2.3.4:               10.1.2.5:445           TIME_WAIT       0",
        "  TCP    .1.2.3:80              10.1.2.5:445           TIME_WAIT       0",
        "  TCP    10.1.2.15:50112        10.1.2.5:*             TIME_WAIT       0",
        /* IPv6, zones and brackets: the full parser's. */
        "  TCP    [fe80::1%12]:50112     [fe80::2%12]:445       TIME_WAIT       0",
        "tcp6       0      0 fe80::1%eth0:80         fe80::2%eth0:61234      TIME_WAIT",
        "tcp   TIME-WAIT  0      0       [::ffff:10.0.2.100]:50730     [::1]:8080",
        "tcp        0      0 10.0.0.1:99999          10.0.0.2:80             TIME_WAIT",
        "TIME-WAIT  0      0       10.0.2.100:50730     10.0.2.100:65536",
        /* Lines that start like an address: only Get-NetTCPConnection's
         * shape, a port second, can make them TIME_WAIT rows. */
        "Connection table check: 325 connections, 33 in TIME_WAIT, 2 in CLOSE_WAIT.",
        "Cafe 50123 10.0.0.9 445 TimeWait 0",
        "dead::beef 50123\t::1 445\tTimeWait\t0",
        "10.0.0.5 50123x 10.0.0.9 445 TimeWait 0",
        "10.0.0.5 99999999999 10.0.0.9 445 TimeWait 0",
        ":: 0 :: 0 TimeWait",
        "Fe80::1 TIME_WAIT 5 TimeWait",
        "   ABCD\t\t123   10.0.0.9   445   TimeWait\r",
        "10.0.0.5 50123 10.0.0.9 445 TIME_WAIT 0",
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        size_t n = strlen(rows[r]);
        char buf[256];
        /* Every prefix, and every single-byte change to a few bytes. */
        for (size_t cut = 0; cut <= n; cut++) {
            for (int mut = -1; mut < 6; mut++) {
                memcpy(buf, rows[r], cut);
                static const char subst[] = { 'x', '.', ':', ' ', '0', '\t' };
                if (mut >= 0 && cut > 0)
                    buf[(cut * 7 + (size_t)mut) % cut] = subst[mut];
                sift_slice line = sift_slice_make(buf, cut);
                sift_ns_row row;
                int full = sift_netstat_row(line, 0, &row, NULL) == SIFT_OK && row.tcp && row.st == SIFT_TCP_TIME_WAIT;
                cr_assert_eq(sift_netstat_format.line->time_wait_row(line), full, "row %zu cut %zu mut %d: %.*s", r,
                             cut, mut, (int)cut, buf);
            }
        }
    }
}

/* The fast path reads blanks 16 and 8 bytes at a time and addresses from
 * 32-byte masks: every width of every gap, blanks mixed with tabs, each row
 * cut at every length, must still read as the full parse reads it. */
Test(rows, the_fast_time_wait_check_agrees_whatever_the_padding)
{
    static const char *const shapes[] = {
        "%sTCP%s10.1.2.15:50112%s10.1.2.5:445%sTIME_WAIT%s0",
        "%stcp%s0%s0 192.168.1.10:80%s203.0.113.12:61234%sTIME_WAIT",
        "%sTIME-WAIT%s0%s0 10.0.2.100:50730%s10.0.2.100:8080%s",
    };
    static const char fill[] = " \t";
    char gap[5][48], buf[320];
    size_t accepted = 0;
    for (size_t sh = 0; sh < sizeof shapes / sizeof shapes[0]; sh++) {
        for (size_t w = 0; w < 40; w++) {
            for (size_t g = 0; g < 5; g++) {
                /* Gap g is w + g bytes wide (a few of them tabs): the columns
                 * fall at every offset from the 16- and 8-byte steps. */
                size_t n = (w + g * 7) % 41;
                for (size_t k = 0; k < n; k++)
                    gap[g][k] = fill[(k * 5 + g + w) % 11 == 0];
                gap[g][n] = '\0';
            }
            int len = snprintf(buf, sizeof buf, shapes[sh], gap[0], gap[1], gap[2], gap[3], gap[4]);
            cr_assert(len > 0 && (size_t)len < sizeof buf);
            for (size_t cut = 0; cut <= (size_t)len; cut++) {
                sift_slice line = sift_slice_make(buf, cut);
                sift_ns_row row;
                int full = sift_netstat_row(line, 0, &row, NULL) == SIFT_OK && row.tcp && row.st == SIFT_TCP_TIME_WAIT;
                cr_assert_eq(sift_netstat_format.line->time_wait_row(line), full, "shape %zu width %zu cut %zu: %.*s",
                             sh, w, cut, (int)cut, buf);
                accepted += (size_t)full;
            }
        }
    }
    /* Rows with every gap at least one blank wide are TIME_WAIT rows. */
    cr_assert_gt(accepted, 100);
}

/* Headers are told apart by their first two bytes before they are matched
 * whole: every casing of an ASCII header still reads as one, and a byte
 * that equals the pattern's only with bit 0x20 set (a non-letter, or a
 * byte of a CP932 or UTF-8 header) does not. */
Test(headers, the_two_byte_check_keeps_every_casing_and_no_lookalike)
{
    static const char *const yes[] = {
        "  PROTO  LOCAL ADDRESS          FOREIGN ADDRESS        STATE           PID",
        "  pROTO  local address          foreign address        state",
        "Active connections",
        "ACTIVE CONNECTIONS\r",
        "State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process",
        "sTATE Recv-Q Send-Q Local Address:Port Peer Address:Port",
        "localaddress localport remoteaddress remoteport state",
        "  \x83\x76\x83\x8d\x83\x67  \x83\x8d\x81\x5b\x83\x4a\x83\x8b \x83\x41\x83\x68\x83\x8c\x83\x58   x",
    };
    static const char *const no[] = {
        "  PrOto",
        "  P",
        "  Pr",
        "\tSource Network Address:\t10.1.2.3",
        "  \x83\x56\x83\x8d\x83\x67  \x83\x8d\x81\x5b\x83\x4a\x83\x8b \x83\x41\x83\x68\x83\x8c\x83\x58   x",
        "  \xa3\x76\x83\x8d\x83\x67  \x83\x8d\x81\x5b\x83\x4a\x83\x8b \x83\x41\x83\x68\x83\x8c\x83\x58   x",
        "  P\x12oto  Local Address          Foreign Address        State",
        "Sstate Recv-Q Send-Q Local Address:Port Peer Address:Port",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_expect(header(yes[i], strlen(yes[i])), "%s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_expect_not(header(no[i], strlen(no[i])), "%s", no[i]);
}
