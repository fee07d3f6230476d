/* gen_mixed.c - deterministic generator of mixed Windows triage dumps with a few buried failure signatures, for benchmarks. */

/* Usage: gen_mixed SIZE_BYTES [SEED] [--mix=default|events] > dump.log
 *
 * --mix=events: the event-heavy mix. About 85% of the bytes are event
 * records of ~40 provider/id kinds (Service Control Manager, Security-
 * Auditing logons, logoffs, special logons, failed logons and process
 * creation, Kernel-General, Kernel-Power, EventLog, GroupPolicy, DNS Client,
 * Schannel, DistributedCOM, Tcpip other than 4227/4231, WindowsUpdateClient,
 * Application Error / WER for other applications, SQL Server, .NET Runtime
 * ...), one host in eight exporting from a ja-JP Event Viewer; the rest are
 * netstat snapshots as below. It plants four signatures: the RDG01 crash
 * loop, APP-SQL02 past 497 days with Tcpip 4227/4231, and the FS01 TIME_WAIT
 * pile-up (no DC01). The default mix is unchanged, byte for byte.
 *
 * Default mix: about SIZE_BYTES of concatenated "triage files": ~70% event text
 * exports (Event Viewer "Copy details as text" and wevtutil qe /f:text) and
 * ~30% connection tables (Windows netstat -ano in English and Japanese, Linux
 * netstat -tan and ss -tan), in sections of a few hundred KiB, each section
 * one host and one file as a person would collect it. A small fixed set of
 * real signatures is buried at deterministic offsets (see plan_signatures);
 * what was planted is summarised on stderr as one line, so a benchmark can
 * check logsift's findings. The same arguments give byte-identical output:
 * all randomness comes from one xorshift64* stream seeded from SEED, and no
 * time, address or locale is consulted.
 *
 * Layouts follow /work/shared/reference/windows-signatures.md (A.3, B, C.1,
 * C.8, D). Noise is kept below every rule threshold on purpose (uptimes under
 * 300 days, at most ~100 TIME_WAIT rows per snapshot, no Tcpip 4227/4231, no
 * svchost.exe_TSGateway crash) so the planted summary is the complete list of
 * expected findings. A few noise records are traps: prose that mentions
 * TIME_WAIT or "Event 6013", and Event 1000 with 0xc0000005 for other
 * svchost services. */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One output buffer; flushed between records, so no record may exceed the
 * slack. The largest record (a 4624 logon) is about 2.5 KiB. */
#define OUT_CAP (8u << 20)
#define OUT_SLACK (256u << 10)

#define N_WIN_HOSTS 200u
#define N_LNX_HOSTS 40u

/* Windows dynamic port range since Vista: 49152-65535 = 16,384 ports (D). */
#define EPH_LO 49152u
#define EPH_HI 65535u
/* Linux default ip_local_port_range. */
#define LNX_EPH_LO 32768u
#define LNX_EPH_HI 60999u

/* 2^32 ticks of 10 ms, rounded up (B.3). */
#define UPTIME_497 42949673u

enum log_kind { LOG_SYSTEM, LOG_APPLICATION, LOG_SECURITY };
/* STYLE_VIEWER_JA (Event Viewer on ja-JP) is written by the event-heavy mix only. */
enum ev_style { STYLE_VIEWER, STYLE_WEVTUTIL, STYLE_VIEWER_JA };
enum mix { MIX_DEFAULT, MIX_EVENTS };
enum ns_shape { NS_WIN_EN, NS_WIN_JA, NS_LINUX, NS_SS };
enum ts_style { TS_ENUS, TS_JA, TS_ISO, TS_DATE1 };

typedef struct host {
    char name[24];   /* short name, as in "Hostname: SRV-042" */
    char fqdn[48];   /* as in "Computer: SRV-042.corp.example.com" */
    uint32_t ip;     /* the host's own IPv4 address */
    int64_t boot;    /* boot time, for consistent 6013 uptimes */
    unsigned pids[8]; /* processes owning connections on this host */
    unsigned ns_rows;   /* typical connection table size, 55-450 rows */
    unsigned ns_tw_pct; /* TIME_WAIT share of TCP rows, 15-20% */
    unsigned ns_v6_tw;  /* IPv6 TIME_WAIT rows in every snapshot (0 or 2) */
} host;

typedef struct gen {
    uint8_t *buf;
    size_t len;
    uint64_t total;   /* bytes produced so far, flushed or not */
    uint64_t rng;
    int crlf;         /* line end of the current section */
    unsigned seq;     /* wevtutil Event[N] counter within a section */
    host win[N_WIN_HOSTS];
    host lnx[N_LNX_HOSTS];
    host rdg01, sql02, dc01, fs01;
    enum mix mix;
    /* for the summary */
    uint64_t events, snapshots, rows, tw_lines, sections, fs_bytes;
    /* distinct (provider, id) pairs written, counted in the event-heavy mix only */
    struct {
        const char *source;
        unsigned id;
    } kinds[96];
    unsigned n_kinds;
    uint64_t ja_events;
} gen;

/* ---- output -------------------------------------------------------------- */

static void die(const char *what)
{
    fprintf(stderr, "gen_mixed: %s: %s\n", what, errno ? strerror(errno) : "failed");
    exit(2);
}

static void flush_out(gen *g)
{
    if (g->len && fwrite(g->buf, 1, g->len, stdout) != g->len)
        die("write");
    g->len = 0;
}

/* Called between records: the hot put functions below rely on the slack. */
static void room(gen *g)
{
    if (g->len > OUT_CAP - OUT_SLACK)
        flush_out(g);
}

static void put(gen *g, const void *p, size_t n)
{
    if (n > OUT_CAP - g->len) { /* a record outgrew OUT_SLACK: a bug here, not bad input */
        errno = 0;
        die("record larger than the output slack");
    }
    memcpy(g->buf + g->len, p, n);
    g->len += n;
    g->total += n;
}

static void putz(gen *g, const char *s)
{
    put(g, s, strlen(s));
}

static void putc_(gen *g, char c)
{
    put(g, &c, 1);
}

static void nl(gen *g)
{
    if (g->crlf)
        put(g, "\r\n", 2);
    else
        put(g, "\n", 1);
}

/* Multi-line template text: '\n' becomes the section's line end. */
static void text(gen *g, const char *s)
{
    if (!g->crlf) {
        putz(g, s);
        return;
    }
    for (;;) {
        const char *e = strchr(s, '\n');
        if (!e) {
            putz(g, s);
            return;
        }
        put(g, s, (size_t)(e - s));
        put(g, "\r\n", 2);
        s = e + 1;
    }
}

static void spaces(gen *g, size_t n)
{
    static const char sp[] = "                                                                ";
    while (n > 0) {
        size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
        put(g, sp, k);
        n -= k;
    }
}

/* s, then blanks up to width; always at least one blank, as netstat does
 * when an address overflows its column. */
static void put_col(gen *g, const char *s, size_t n, size_t width)
{
    put(g, s, n);
    spaces(g, n < width ? width - n : 1);
}

static size_t fmt_u(char *dst, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        dst[i] = tmp[n - 1 - i];
    return n;
}

static void put_u(gen *g, uint64_t v)
{
    char tmp[24];
    put(g, tmp, fmt_u(tmp, v));
}

/* Zero-padded to width digits. */
static void put_u0(gen *g, uint64_t v, unsigned width)
{
    char tmp[24];
    for (unsigned i = width; i > 0; i--) {
        tmp[i - 1] = (char)('0' + v % 10);
        v /= 10;
    }
    put(g, tmp, width);
}

static size_t fmt_hex(char *dst, uint64_t v, unsigned digits, int upper)
{
    const char *hx = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    for (unsigned i = digits; i > 0; i--) {
        dst[i - 1] = hx[v & 15u];
        v >>= 4;
    }
    return digits;
}

static void put_hex(gen *g, uint64_t v, unsigned digits)
{
    char tmp[16];
    put(g, tmp, fmt_hex(tmp, v, digits, 0));
}

/* Hex without leading zeros, lower case, as "Faulting process id: 0x1c4c". */
static void put_hexv(gen *g, uint64_t v, int upper)
{
    unsigned digits = 1;
    while (digits < 16 && (v >> (4 * digits)) != 0)
        digits++;
    char tmp[16];
    put(g, tmp, fmt_hex(tmp, v, digits, upper));
}

/* ---- randomness ---------------------------------------------------------- */

static uint64_t next(gen *g)
{
    /* xorshift64* (Vigna): fast, good enough for synthetic text */
    uint64_t x = g->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    g->rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform-ish in [0, n); the multiply-shift bias is irrelevant here. */
static unsigned rnd(gen *g, unsigned n)
{
    return (unsigned)(((next(g) >> 32) * (uint64_t)n) >> 32);
}

static unsigned rnd_in(gen *g, unsigned lo, unsigned hi)
{
    return lo + rnd(g, hi - lo + 1);
}

static int chance(gen *g, unsigned percent)
{
    return rnd(g, 100) < percent;
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void put_guid(gen *g)
{
    uint64_t a = next(g), b = next(g);
    put_hex(g, a >> 32, 8);
    putc_(g, '-');
    put_hex(g, (a >> 16) & 0xffffu, 4);
    putc_(g, '-');
    put_hex(g, 0x4000u | (a & 0x0fffu), 4);
    putc_(g, '-');
    put_hex(g, 0x8000u | ((b >> 48) & 0x3fffu), 4);
    putc_(g, '-');
    put_hex(g, b & 0xffffffffffffULL, 12);
}

/* ---- time ---------------------------------------------------------------- */

typedef struct civil {
    int year;
    unsigned mon, day, hour, min, sec, wday; /* wday 0 = Sunday */
} civil;

/* H. Hinnant's days_from_civil / civil_from_days (proleptic Gregorian). */
static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int64_t epoch(int y, unsigned m, unsigned d, unsigned hh, unsigned mm, unsigned ss)
{
    return days_from_civil(y, m, d) * 86400 + (int64_t)(hh * 3600 + mm * 60 + ss);
}

static civil to_civil(int64_t t)
{
    civil c;
    int64_t z = t / 86400;
    unsigned sod = (unsigned)(t - z * 86400);
    c.wday = (unsigned)((z + 4) % 7); /* 1970-01-01 was a Thursday */
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    c.day = doy - (153 * mp + 2) / 5 + 1;
    c.mon = mp < 10 ? mp + 3 : mp - 9;
    c.year = (int)((int64_t)yoe + era * 400 + (c.mon <= 2));
    c.hour = sod / 3600;
    c.min = sod / 60 % 60;
    c.sec = sod % 60;
    return c;
}

static const char *const WDAY[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const MON[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Event Viewer, en-US: "7/23/2024 10:31:07 AM". */
static void put_date_viewer(gen *g, int64_t t)
{
    const civil c = to_civil(t);
    put_u(g, c.mon);
    putc_(g, '/');
    put_u(g, c.day);
    putc_(g, '/');
    put_u(g, (uint64_t)c.year);
    putc_(g, ' ');
    put_u(g, c.hour % 12 == 0 ? 12 : c.hour % 12);
    putc_(g, ':');
    put_u0(g, c.min, 2);
    putc_(g, ':');
    put_u0(g, c.sec, 2);
    putz(g, c.hour < 12 ? " AM" : " PM");
}

/* ISO 8601 date and time without zone: "2024-07-23T12:00:00". */
static void put_iso(gen *g, const civil *c)
{
    put_u0(g, (uint64_t)c->year, 4);
    putc_(g, '-');
    put_u0(g, c->mon, 2);
    putc_(g, '-');
    put_u0(g, c->day, 2);
    putc_(g, 'T');
    put_u0(g, c->hour, 2);
    putc_(g, ':');
    put_u0(g, c->min, 2);
    putc_(g, ':');
    put_u0(g, c->sec, 2);
}

/* wevtutil /f:text: "2024-07-23T12:00:00.5120000Z" (7 fractional digits). */
static void put_date_wevtutil(gen *g, int64_t t, unsigned frac7)
{
    const civil c = to_civil(t);
    put_iso(g, &c);
    putc_(g, '.');
    put_u0(g, frac7, 7);
    putc_(g, 'Z');
}

/* %TIME%: hour space-padded, centiseconds: " 9:05:03.12". */
static void put_cmd_time(gen *g, const civil *c, unsigned cs)
{
    if (c->hour < 10)
        putc_(g, ' ');
    put_u(g, c->hour);
    putc_(g, ':');
    put_u0(g, c->min, 2);
    putc_(g, ':');
    put_u0(g, c->sec, 2);
    putc_(g, '.');
    put_u0(g, cs, 2);
}

/* The timestamp line a collection script writes before each table. */
static void put_stamp(gen *g, int style, int64_t t, unsigned cs)
{
    const civil c = to_civil(t);
    switch (style) {
    case TS_ENUS: /* echo %DATE% %TIME% on en-US: "Tue 07/23/2024 12:00:00.00" */
        putz(g, WDAY[c.wday]);
        putc_(g, ' ');
        put_u0(g, c.mon, 2);
        putc_(g, '/');
        put_u0(g, c.day, 2);
        putc_(g, '/');
        put_u(g, (uint64_t)c.year);
        putc_(g, ' ');
        put_cmd_time(g, &c, cs);
        break;
    case TS_JA: /* ja-JP: "2024/07/23 12:00:00.00" */
        put_u(g, (uint64_t)c.year);
        putc_(g, '/');
        put_u0(g, c.mon, 2);
        putc_(g, '/');
        put_u0(g, c.day, 2);
        putc_(g, ' ');
        put_cmd_time(g, &c, cs);
        break;
    case TS_ISO:
        put_iso(g, &c);
        putc_(g, 'Z');
        break;
    default: /* date(1) with TZ=UTC: "Tue Jul 23 12:00:00 UTC 2024" */
        putz(g, WDAY[c.wday]);
        putc_(g, ' ');
        putz(g, MON[c.mon - 1]);
        putc_(g, ' ');
        if (c.day < 10)
            putc_(g, ' ');
        put_u(g, c.day);
        putc_(g, ' ');
        put_u0(g, c.hour, 2);
        putc_(g, ':');
        put_u0(g, c.min, 2);
        putc_(g, ':');
        put_u0(g, c.sec, 2);
        putz(g, " UTC ");
        put_u(g, (uint64_t)c.year);
        break;
    }
    nl(g);
}

/* ---- event records ------------------------------------------------------- */

static size_t fmt_ip4(char *dst, uint32_t ip);

typedef struct evhdr {
    enum log_kind log;
    const char *source; /* provider as Event Viewer shows it */
    unsigned id;
    const char *task;   /* Task Category */
    const char *level;
    const char *keywords;
    const char *user;
} evhdr;

static const char *const LOG_NAME[3] = { "System", "Application", "Security" };

/* Event Viewer, ja-JP: "2024/07/23 12:00:00". */
static void put_date_ja(gen *g, int64_t t)
{
    const civil c = to_civil(t);
    put_u(g, (uint64_t)c.year);
    putc_(g, '/');
    put_u0(g, c.mon, 2);
    putc_(g, '/');
    put_u0(g, c.day, 2);
    putc_(g, ' ');
    put_u0(g, c.hour, 2);
    putc_(g, ':');
    put_u0(g, c.min, 2);
    putc_(g, ':');
    put_u0(g, c.sec, 2);
}

/* How ja-JP Event Viewer shows the English header values used here. */
static const char *ja_word(const char *en)
{
    static const char *const MAP[][2] = {
        { "Information", "情報" }, { "Warning", "警告" },     { "Error", "エラー" },
        { "Critical", "重大" },    { "None", "なし" },        { "Classic", "クラシック" },
        { "System", "System" },    { "Application", "Application" },
    };
    for (size_t i = 0; i < sizeof MAP / sizeof MAP[0]; i++)
        if (strcmp(en, MAP[i][0]) == 0)
            return MAP[i][1];
    return en;
}

/* Distinct (provider, id) pairs, for the event-heavy mix's summary. */
static void count_kind(gen *g, const evhdr *e)
{
    const unsigned cap = (unsigned)(sizeof g->kinds / sizeof g->kinds[0]);
    for (unsigned i = 0; i < g->n_kinds; i++)
        if (g->kinds[i].id == e->id && strcmp(g->kinds[i].source, e->source) == 0)
            return;
    if (g->n_kinds < cap) {
        g->kinds[g->n_kinds].source = e->source;
        g->kinds[g->n_kinds].id = e->id;
        g->n_kinds++;
    }
}

/* The label block; the caller writes the description and calls ev_end. */
static void ev_begin(gen *g, const host *h, int style, const evhdr *e, int64_t t)
{
    room(g);
    g->events++;
    if (g->mix == MIX_EVENTS)
        count_kind(g, e);
    if (style == STYLE_VIEWER_JA) { /* label widths as Event Viewer pads them on ja-JP */
        g->ja_events++;
        putz(g, "ログの名前:         ");
        putz(g, ja_word(LOG_NAME[e->log]));
        nl(g);
        putz(g, "ソース:           ");
        putz(g, e->source);
        nl(g);
        putz(g, "日付:            ");
        put_date_ja(g, t);
        nl(g);
        putz(g, "イベント ID:       ");
        put_u(g, e->id);
        nl(g);
        putz(g, "タスクのカテゴリ:      ");
        putz(g, ja_word(e->task));
        nl(g);
        putz(g, "レベル:           ");
        putz(g, ja_word(e->level));
        nl(g);
        putz(g, "キーワード:         ");
        putz(g, ja_word(e->keywords));
        nl(g);
        putz(g, "ユーザー:          ");
        putz(g, e->user);
        nl(g);
        putz(g, "コンピューター:       ");
        putz(g, h->fqdn);
        nl(g);
        putz(g, "説明:");
        nl(g);
        return;
    }
    if (style == STYLE_VIEWER) {
        putz(g, "Log Name:      ");
        putz(g, LOG_NAME[e->log]);
        nl(g);
        putz(g, "Source:        ");
        putz(g, e->source);
        nl(g);
        putz(g, "Date:          ");
        put_date_viewer(g, t);
        nl(g);
        putz(g, "Event ID:      ");
        put_u(g, e->id);
        nl(g);
        putz(g, "Task Category: ");
        putz(g, e->task);
        nl(g);
        putz(g, "Level:         ");
        putz(g, e->level);
        nl(g);
        putz(g, "Keywords:      ");
        putz(g, e->keywords);
        nl(g);
        putz(g, "User:          ");
        putz(g, e->user);
        nl(g);
        putz(g, "Computer:      ");
        putz(g, h->fqdn);
        nl(g);
        putz(g, "Description:");
        nl(g);
        return;
    }
    putz(g, "Event[");
    put_u(g, g->seq++);
    putz(g, "]:");
    nl(g);
    putz(g, "  Log Name: ");
    putz(g, LOG_NAME[e->log]);
    nl(g);
    putz(g, "  Source: ");
    putz(g, e->source);
    nl(g);
    putz(g, "  Date: ");
    put_date_wevtutil(g, t, rnd(g, 10000000));
    nl(g);
    putz(g, "  Event ID: ");
    put_u(g, e->id);
    nl(g);
    putz(g, "  Task: ");
    putz(g, strcmp(e->task, "None") == 0 ? "N/A" : e->task);
    nl(g);
    putz(g, "  Level: ");
    putz(g, e->level);
    nl(g);
    putz(g, e->log == LOG_SECURITY ? "  Opcode: Info" : "  Opcode: N/A");
    nl(g);
    putz(g, "  Keyword: ");
    putz(g, e->keywords);
    nl(g);
    putz(g, "  User: ");
    putz(g, e->user);
    nl(g);
    putz(g, "  User Name: ");
    putz(g, strcmp(e->user, "N/A") == 0 ? "N/A" : "NT AUTHORITY\\SYSTEM");
    nl(g);
    putz(g, "  Computer: ");
    putz(g, h->fqdn);
    nl(g);
    putz(g, "  Description: ");
    nl(g);
}

/* Records are separated by one blank line in both layouts. */
static void ev_end(gen *g)
{
    nl(g);
}

static const char *const SERVICES[] = {
    "Windows Update", "Background Intelligent Transfer Service", "Windows Modules Installer",
    "WinHTTP Web Proxy Auto-Discovery Service", "Software Protection", "Device Setup Manager",
    "Network Setup Service", "Delivery Optimization", "Volume Shadow Copy",
    "Microsoft Software Shadow Copy Provider", "Windows Error Reporting Service",
    "Application Experience", "Print Spooler", "Remote Registry", "Windows Installer",
    "Performance Logs & Alerts", "Microsoft Defender Antivirus Network Inspection Service",
    "Distributed Transaction Coordinator", "Windows Time", "Group Policy Client",
    "Windows Push Notifications User Service_4f1a2", "Connected Devices Platform User Service_4f1a2",
    "Clipboard User Service_4f1a2", "Windows License Manager Service", "Storage Service",
    "Update Orchestrator Service", "Microsoft Store Install Service", "Windows Search",
    "Network List Service", "Network Location Awareness", "Windows Font Cache Service",
    "Function Discovery Resource Publication", "SSDP Discovery", "Server", "Workstation",
    "DNS Client", "Windows Management Instrumentation", "Task Scheduler",
    "Windows Defender Firewall", "Base Filtering Engine", "Cryptographic Services",
    "IP Helper", "Remote Desktop Services", "Remote Desktop Services UserMode Port Redirector",
    "SQL Server Agent (MSSQLSERVER)", "SQL Server (MSSQLSERVER)", "World Wide Web Publishing Service",
    "Windows Remote Management (WS-Management)", "Netlogon", "Certificate Propagation",
};
#define N_SERVICES (sizeof SERVICES / sizeof SERVICES[0])

static void ev_7036(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H = { LOG_SYSTEM, "Service Control Manager", 7036, "None", "Information",
                             "Classic", "N/A" };
    ev_begin(g, h, style, &H, t);
    putz(g, "The ");
    putz(g, SERVICES[rnd(g, N_SERVICES)]);
    putz(g, chance(g, 50) ? " service entered the running state." : " service entered the stopped state.");
    nl(g);
    ev_end(g);
}

static void ev_7031_7034(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H31 = { LOG_SYSTEM, "Service Control Manager", 7031, "None", "Error",
                               "Classic", "N/A" };
    static const evhdr H34 = { LOG_SYSTEM, "Service Control Manager", 7034, "None", "Error",
                               "Classic", "N/A" };
    const int is31 = chance(g, 60);
    ev_begin(g, h, style, is31 ? &H31 : &H34, t);
    putz(g, "The ");
    putz(g, SERVICES[rnd(g, N_SERVICES)]);
    putz(g, " service terminated unexpectedly.  It has done this ");
    put_u(g, rnd_in(g, 1, 3));
    putz(g, " time(s).");
    if (is31) {
        putz(g, "  The following corrective action will be taken in ");
        put_u(g, 60000u * rnd_in(g, 1, 2));
        putz(g, " milliseconds: Restart the service.");
    }
    nl(g);
    ev_end(g);
}

static void ev_6005_6006(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H5 = { LOG_SYSTEM, "EventLog", 6005, "None", "Information", "Classic", "N/A" };
    static const evhdr H6 = { LOG_SYSTEM, "EventLog", 6006, "None", "Information", "Classic", "N/A" };
    const int start = chance(g, 50);
    ev_begin(g, h, style, start ? &H5 : &H6, t);
    putz(g, start ? "The Event log service was started." : "The Event log service was stopped.");
    nl(g);
    ev_end(g);
}

static void ev_6013(gen *g, const host *h, int style, int64_t t, uint64_t uptime)
{
    static const evhdr H = { LOG_SYSTEM, "EventLog", 6013, "None", "Information", "Classic", "N/A" };
    ev_begin(g, h, style, &H, t);
    putz(g, "The system uptime is ");
    put_u(g, uptime);
    putz(g, " seconds.");
    nl(g);
    ev_end(g);
}

static void ev_10016(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H = { LOG_SYSTEM, "DistributedCOM", 10016, "None", "Warning", "Classic",
                             "SYSTEM" };
    static const char *const CLSID[] = {
        "{D63B10C5-BB46-4990-A94F-E40B9D520160}\n and APPID \n{9CA88EE3-ACB7-47C8-AFC4-AB702511C403}",
        "{2593F8B9-4EAF-457C-B68A-50F6B8EA6B54}\n and APPID \n{15C20B67-12E7-4BB6-92BB-7AFF07997402}",
        "{6B3B8D23-FA8D-40B9-8DBD-B950333E2C52}\n and APPID \n{4839DDB7-58C2-48F5-8283-E1D1807D0D7D}",
    };
    ev_begin(g, h, style, &H, t);
    text(g, "The application-specific permission settings do not grant Local Activation permission "
            "for the COM Server application with CLSID \n");
    text(g, CLSID[rnd(g, 3)]);
    text(g, "\n to the user NT AUTHORITY\\SYSTEM SID (S-1-5-18) from address LocalHost (Using LRPC) "
            "running in the application container Unavailable SID (Unavailable). This security "
            "permission can be modified using the Component Services administrative tool.\n");
    ev_end(g);
}

/* False-positive traps: TIME_WAIT and "6013" in prose, from other providers,
 * logged into whichever log the section is. */
static void ev_trap(gen *g, const host *h, int style, enum log_kind log, int64_t t)
{
    evhdr hn = { LOG_APPLICATION, "NetHealth Agent", 1203, "None", "Information", "Classic", "N/A" };
    evhdr hu = { LOG_APPLICATION, "Operations Manager Agent", 21025, "None", "Information",
                 "Classic", "N/A" };
    hn.log = hu.log = log;
    if (chance(g, 50)) {
        ev_begin(g, h, style, &hn, t);
        putz(g, "Connection table check: ");
        put_u(g, rnd_in(g, 80, 400));
        putz(g, " connections, ");
        put_u(g, rnd_in(g, 5, 60));
        putz(g, " in TIME_WAIT, ");
        put_u(g, rnd(g, 4));
        putz(g, " in CLOSE_WAIT. TIME_WAIT threshold (8192) not reached.");
        g->tw_lines++;
        nl(g);
    } else {
        ev_begin(g, h, style, &hu, t);
        putz(g, "Rule \"Windows uptime (Event ID 6013)\" evaluated: last reported uptime ");
        put_u(g, rnd_in(g, 86400, 20000000));
        putz(g, " seconds is below the threshold; no alert raised.");
        nl(g);
        text(g, "Rule: Microsoft.Windows.Server.6013.Uptime.Rule\n");
    }
    ev_end(g);
}

typedef struct app {
    const char *name, *version, *module, *modver, *path, *modpath;
} app;

static const app APPS[] = {
    { "chrome.exe", "126.0.6478.127", "ntdll.dll", "10.0.20348.2582",
      "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "C:\\Windows\\SYSTEM32\\ntdll.dll" },
    { "msedge.exe", "127.0.2651.74", "msedge.dll", "127.0.2651.74",
      "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
      "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\127.0.2651.74\\msedge.dll" },
    { "w3wp.exe", "10.0.20348.1", "KERNELBASE.dll", "10.0.20348.2582",
      "c:\\windows\\system32\\inetsrv\\w3wp.exe", "C:\\Windows\\System32\\KERNELBASE.dll" },
    { "sqlservr.exe", "2022.160.4135.4", "ntdll.dll", "10.0.17763.6054",
      "C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe",
      "C:\\Windows\\SYSTEM32\\ntdll.dll" },
    { "java.exe", "8.0.4110.9", "jvm.dll", "25.411.0.9",
      "C:\\Program Files\\Java\\jre1.8.0_411\\bin\\java.exe",
      "C:\\Program Files\\Java\\jre1.8.0_411\\bin\\server\\jvm.dll" },
    { "OUTLOOK.EXE", "16.0.17726.20160", "ucrtbase.dll", "10.0.20348.1",
      "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
      "C:\\Windows\\System32\\ucrtbase.dll" },
    { "explorer.exe", "10.0.20348.2582", "twinui.pcshell.dll", "10.0.20348.2582",
      "C:\\Windows\\explorer.exe", "C:\\Windows\\System32\\twinui.pcshell.dll" },
    { "svchost.exe_TermService", "10.0.20348.1", "termsrv.dll", "10.0.20348.2582",
      "C:\\Windows\\system32\\svchost.exe", "C:\\Windows\\System32\\termsrv.dll" },
    { "svchost.exe_wuauserv", "10.0.20348.1", "wuaueng.dll", "10.0.20348.2529",
      "C:\\Windows\\system32\\svchost.exe", "C:\\Windows\\System32\\wuaueng.dll" },
    { "MsMpEng.exe", "4.18.24070.5", "mpengine.dll", "1.1.24070.3",
      "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24070.5-0\\MsMpEng.exe",
      "C:\\ProgramData\\Microsoft\\Windows Defender\\Definition Updates\\{5A1E}\\mpengine.dll" },
};
#define N_APPS (sizeof APPS / sizeof APPS[0])

static const uint32_t CODES[] = { 0xc0000374u, 0xc0000409u, 0xc0000005u, 0xe0434352u,
                                  0x80000003u, 0xc000041du };

typedef struct crash {
    const app *a;
    uint32_t app_ts, mod_ts, code;
    uint64_t offset;
    uint32_t pid;
} crash;

/* Application Error 1000, template per A.3. */
static void ev_1000(gen *g, const host *h, int style, int64_t t, const crash *c)
{
    static const evhdr H = { LOG_APPLICATION, "Application Error", 1000,
                             "Application Crashing Events", "Error", "Classic", "N/A" };
    ev_begin(g, h, style, &H, t);
    putz(g, "Faulting application name: ");
    putz(g, c->a->name);
    putz(g, ", version: ");
    putz(g, c->a->version);
    putz(g, ", time stamp: 0x");
    put_hex(g, c->app_ts, 8);
    nl(g);
    putz(g, "Faulting module name: ");
    putz(g, c->a->module);
    putz(g, ", version: ");
    putz(g, c->a->modver);
    putz(g, ", time stamp: 0x");
    put_hex(g, c->mod_ts, 8);
    nl(g);
    putz(g, "Exception code: 0x");
    put_hex(g, c->code, 8);
    nl(g);
    putz(g, "Fault offset: 0x");
    put_hex(g, c->offset, 16);
    nl(g);
    putz(g, "Faulting process id: 0x");
    put_hexv(g, c->pid, 0);
    nl(g);
    putz(g, "Faulting application start time: 0x");
    put_hex(g, 0x01dae00000000000ULL + (next(g) & 0xffffffffffULL), 16);
    nl(g);
    putz(g, "Faulting application path: ");
    putz(g, c->a->path);
    nl(g);
    putz(g, "Faulting module path: ");
    putz(g, c->a->modpath);
    nl(g);
    putz(g, "Report Id: ");
    put_guid(g);
    nl(g);
    putz(g, "Faulting package full name: ");
    nl(g);
    putz(g, "Faulting package-relative application ID: ");
    nl(g);
    ev_end(g);
}

/* Windows Error Reporting 1001. BEX64 puts the offset in P7 and the code
 * (without 0x) in P8; APPCRASH the other way round (A.3). */
static void ev_1001(gen *g, const host *h, int style, int64_t t, const crash *c, int bex)
{
    static const evhdr H = { LOG_APPLICATION, "Windows Error Reporting", 1001, "None",
                             "Information", "Classic", "N/A" };
    ev_begin(g, h, style, &H, t);
    putz(g, "Fault bucket ");
    put_u(g, next(g) >> 4);
    putz(g, bex ? ", type 5" : ", type 4");
    nl(g);
    putz(g, bex ? "Event Name: BEX64" : "Event Name: APPCRASH");
    nl(g);
    text(g, "Response: Not available\nCab Id: 0\n\nProblem signature:\nP1: ");
    putz(g, c->a->name);
    text(g, "\nP2: ");
    putz(g, c->a->version);
    text(g, "\nP3: ");
    put_hex(g, c->app_ts, 8);
    text(g, "\nP4: ");
    putz(g, c->a->module);
    text(g, "\nP5: ");
    putz(g, c->a->modver);
    text(g, "\nP6: ");
    put_hex(g, c->mod_ts, 8);
    text(g, "\nP7: ");
    if (bex)
        put_hex(g, c->offset, 16);
    else
        put_hex(g, c->code, 8);
    text(g, "\nP8: ");
    if (bex)
        put_hex(g, c->code, 8);
    else
        put_hex(g, c->offset, 16);
    text(g, "\nP9: \nP10: \n\nAttached files:\n"
            "\\\\?\\C:\\ProgramData\\Microsoft\\Windows\\WER\\Temp\\WER");
    put_hexv(g, next(g) & 0xffffu, 1);
    text(g, ".tmp.mdmp\n\nThese files may be available here:\n"
            "\\\\?\\C:\\ProgramData\\Microsoft\\Windows\\WER\\ReportArchive\\AppCrash_");
    putz(g, c->a->name);
    putc_(g, '_');
    put_hex(g, next(g), 16);
    text(g, "\n\nAnalysis symbol: \nRechecking for solution: 0\nReport Id: ");
    put_guid(g);
    text(g, "\nReport Status: 268435456\nHashed bucket: \nCab Guid: 0\n");
    ev_end(g);
}

static crash random_crash(gen *g)
{
    crash c;
    c.a = &APPS[rnd(g, N_APPS)];
    c.app_ts = 0x60000000u + (uint32_t)rnd(g, 0x08000000u);
    c.mod_ts = 0x60000000u + (uint32_t)rnd(g, 0x08000000u);
    c.code = CODES[rnd(g, sizeof CODES / sizeof CODES[0])];
    c.offset = next(g) & 0xfffffULL;
    c.pid = 0x100u + rnd(g, 0x3000u) * 4u;
    return c;
}

static void ev_app_misc(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr HSPP = { LOG_APPLICATION, "Microsoft-Windows-Security-SPP", 16384, "None",
                                "Information", "Classic", "N/A" };
    static const evhdr HMSI = { LOG_APPLICATION, "MsiInstaller", 1035, "None", "Information",
                                "Classic", "SYSTEM" };
    static const evhdr HVSS = { LOG_APPLICATION, "VSS", 8224, "None", "Information", "Classic",
                                "N/A" };
    static const evhdr HESE = { LOG_APPLICATION, "ESENT", 326, "General", "Information", "Classic",
                                "N/A" };
    switch (rnd(g, 4)) {
    case 0: {
        const civil c = to_civil(t + (int64_t)86400 * 36524) /* SPP really prints ~100 years ahead */;
        ev_begin(g, h, style, &HSPP, t);
        putz(g, "Successfully scheduled Software Protection service for re-start at ");
        put_iso(g, &c);
        putz(g, "Z. Reason: RulesEngine.");
        nl(g);
        break;
    }
    case 1:
        ev_begin(g, h, style, &HMSI, t);
        putz(g, "Windows Installer reconfigured the product. Product Name: Microsoft Edge Update. "
                "Product Version: 1.3.");
        put_u(g, rnd_in(g, 170, 195));
        putz(g, ".29. Product Language: 1033. Manufacturer: Microsoft Corporation. "
                "Reconfiguration success or error status: 0.");
        nl(g);
        break;
    case 2:
        ev_begin(g, h, style, &HVSS, t);
        putz(g, "The VSS service is shutting down due to idle timeout. ");
        nl(g);
        break;
    default:
        ev_begin(g, h, style, &HESE, t);
        putz(g, "svchost (");
        put_u(g, rnd_in(g, 1000, 9999));
        putz(g, ",D,50) SRUJet: The database engine attached a database (1, "
                "C:\\Windows\\system32\\SRU\\SRUDB.dat). (Time=0 seconds)");
        nl(g);
        break;
    }
    ev_end(g);
}

static const char *const SURNAMES[] = {
    "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez",
    "martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor",
    "moore", "jackson", "martin", "lee", "perez", "thompson", "white", "harris", "sanchez",
    "clark", "ramirez", "lewis", "robinson", "walker", "young", "allen", "king", "wright",
    "scott", "torres", "nguyen", "hill", "flores", "tanaka", "suzuki", "sato", "muller",
};
static const char *const SERVICE_ACCOUNTS[] = { "svc_backup", "svc_sql", "svc_iis", "svc_monitor",
                                                "svc_print", "svc_sccm", "svc_veeam", "svc_adsync" };

/* An account name: service accounts or initial + surname, as in most domains. */
static const char *user_name(gen *g, char *buf, size_t cap)
{
    if (chance(g, 30))
        return SERVICE_ACCOUNTS[rnd(g, sizeof SERVICE_ACCOUNTS / sizeof SERVICE_ACCOUNTS[0])];
    snprintf(buf, cap, "%c%s", 'a' + (char)rnd(g, 26),
             SURNAMES[rnd(g, sizeof SURNAMES / sizeof SURNAMES[0])]);
    return buf;
}

/* 4624: long, tab-indented, several blank lines (Server 2016+ text). */
static void ev_4624(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H = { LOG_SECURITY, "Microsoft-Windows-Security-Auditing", 4624, "Logon",
                             "Information", "Audit Success", "N/A" };
    const unsigned type = chance(g, 80) ? 3 : (chance(g, 50) ? 5 : 10);
    const int kerb = chance(g, 70);
    ev_begin(g, h, style, &H, t);
    text(g, "An account was successfully logged on.\n\nSubject:\n\tSecurity ID:\t\t");
    putz(g, type == 3 ? "NULL SID" : "SYSTEM");
    text(g, "\n\tAccount Name:\t\t");
    if (type == 3) {
        putc_(g, '-');
    } else {
        putz(g, h->name);
        putc_(g, '$');
    }
    text(g, type == 3 ? "\n\tAccount Domain:\t\t-\n\tLogon ID:\t\t0x0\n\nLogon Information:\n\tLogon Type:\t\t"
                      : "\n\tAccount Domain:\t\tCORP\n\tLogon ID:\t\t0x3E7\n\nLogon Information:\n\tLogon Type:\t\t");
    put_u(g, type);
    text(g, "\n\tRestricted Admin Mode:\t-\n\tVirtual Account:\t\tNo\n\tElevated Token:\t\t");
    putz(g, chance(g, 50) ? "Yes" : "No");
    text(g, "\n\nImpersonation Level:\t\tImpersonation\n\nNew Logon:\n\tSecurity ID:\t\tCORP\\");
    char ubuf[32];
    const char *user = user_name(g, ubuf, sizeof ubuf);
    putz(g, user);
    text(g, "\n\tAccount Name:\t\t");
    putz(g, user);
    text(g, "\n\tAccount Domain:\t\tCORP\n\tLogon ID:\t\t0x");
    put_hexv(g, next(g) & 0xfffffffULL, 1);
    text(g, "\n\tLinked Logon ID:\t\t0x0\n\tNetwork Account Name:\t-\n\tNetwork Account Domain:\t-\n"
            "\tLogon GUID:\t\t{");
    if (kerb)
        put_guid(g);
    else
        putz(g, "00000000-0000-0000-0000-000000000000");
    text(g, "}\n\nProcess Information:\n\tProcess ID:\t\t0x0\n\tProcess Name:\t\t-\n\n"
            "Network Information:\n\tWorkstation Name:\t");
    putz(g, kerb ? "-" : "WKS-");
    if (!kerb)
        put_u0(g, rnd_in(g, 100, 2999), 4);
    text(g, "\n\tSource Network Address:\t10.");
    put_u(g, rnd_in(g, 1, 3));
    putc_(g, '.');
    put_u(g, rnd_in(g, 100, 163));
    putc_(g, '.');
    put_u(g, rnd_in(g, 2, 250));
    text(g, "\n\tSource Port:\t\t");
    put_u(g, rnd_in(g, EPH_LO, EPH_HI));
    text(g, kerb ? "\n\nDetailed Authentication Information:\n\tLogon Process:\t\tKerberos\n"
                   "\tAuthentication Package:\tKerberos\n\tTransited Services:\t-\n"
                   "\tPackage Name (NTLM only):\t-\n\tKey Length:\t\t0\n\n"
                 : "\n\nDetailed Authentication Information:\n\tLogon Process:\t\tNtLmSsp \n"
                   "\tAuthentication Package:\tNTLM\n\tTransited Services:\t-\n"
                   "\tPackage Name (NTLM only):\tNTLM V2\n\tKey Length:\t\t128\n\n");
    text(g, "This event is generated when a logon session is created. It is generated on the "
            "computer that was accessed.\n\n"
            "The subject fields indicate the account on the local system which requested the "
            "logon. This is most commonly a service such as the Server service, or a local process "
            "such as Winlogon.exe or Services.exe.\n\n"
            "The logon type field indicates the kind of logon that occurred. The most common types "
            "are 2 (interactive) and 3 (network).\n\n"
            "The New Logon fields indicate the account for whom the new logon was created, i.e. the "
            "account that was logged on.\n\n"
            "The network fields indicate where a remote logon request originated. Workstation name "
            "is not always available and may be left blank in some cases.\n\n"
            "The impersonation level field indicates the extent to which a process in the logon "
            "session can impersonate.\n\n"
            "The authentication information fields provide detailed information about this "
            "specific logon request.\n"
            "\t- Logon GUID is a unique identifier that can be used to correlate this event with a "
            "KDC event.\n"
            "\t- Transited services indicate which intermediate services have participated in this "
            "logon request.\n"
            "\t- Package name indicates which sub-protocol was used among the NTLM protocols.\n"
            "\t- Key length indicates the length of the generated session key. This will be 0 if "
            "no session key was requested.\n");
    ev_end(g);
}

static void ev_4634(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H = { LOG_SECURITY, "Microsoft-Windows-Security-Auditing", 4634, "Logoff",
                             "Information", "Audit Success", "N/A" };
    char ubuf[32];
    const char *user = user_name(g, ubuf, sizeof ubuf);
    ev_begin(g, h, style, &H, t);
    text(g, "An account was logged off.\n\nSubject:\n\tSecurity ID:\t\tCORP\\");
    putz(g, user);
    text(g, "\n\tAccount Name:\t\t");
    putz(g, user);
    text(g, "\n\tAccount Domain:\t\tCORP\n\tLogon ID:\t\t0x");
    put_hexv(g, next(g) & 0xfffffffULL, 1);
    text(g, "\n\nLogon Type:\t\t\t3\n\nThis event is generated when a logon session is destroyed. "
            "It may be positively correlated with a logon event using the Logon ID value. Logon "
            "IDs are only unique between reboots on the same computer.\n");
    ev_end(g);
}

/* ---- the event-heavy mix's further records -------------------------------- */

/* What follows is written only with --mix=events: more providers and ids, as
 * the System, Application and Security logs of a Windows fleet carry them,
 * and ja-JP Event Viewer records. None of them is a failure signature. */

static void ev_7040(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H = { LOG_SYSTEM, "Service Control Manager", 7040, "None", "Information",
                             "Classic", "SYSTEM" };
    static const char *const EN[] = { "auto start", "demand start", "disabled" };
    static const char *const JA[] = { "自動開始", "要求時に開始", "無効" };
    const unsigned from = rnd(g, 3), to = (from + 1 + rnd(g, 2)) % 3;
    const char *svc = SERVICES[rnd(g, N_SERVICES)];
    ev_begin(g, h, style, &H, t);
    if (style == STYLE_VIEWER_JA) {
        putz(g, svc);
        putz(g, " サービスの開始の種類は ");
        putz(g, JA[from]);
        putz(g, " から ");
        putz(g, JA[to]);
        putz(g, " に変更されました。");
    } else {
        putz(g, "The start type of the ");
        putz(g, svc);
        putz(g, " service was changed from ");
        putz(g, EN[from]);
        putz(g, " to ");
        putz(g, EN[to]);
        putz(g, ".");
    }
    nl(g);
    ev_end(g);
}

static void ev_7045(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H = { LOG_SYSTEM, "Service Control Manager", 7045, "None", "Information",
                             "Classic", "CORP\\admin" };
    static const char *const SVC[][3] = {
        { "Google Update Service (gupdate)",
          "\"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe\" /svc", "auto start" },
        { "Microsoft Edge Elevation Service (MicrosoftEdgeElevationService)",
          "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\127.0.2651.74\\elevation_service.exe\"",
          "demand start" },
        { "Veeam Installer Service",
          "C:\\Windows\\Veeam\\Backup\\VeeamDeploymentSvc.exe", "auto start" },
        { "Sysmon64", "C:\\Windows\\Sysmon64.exe", "auto start" },
        { "Configuration Manager Remote Control",
          "C:\\Windows\\CCM\\RemCtrl\\CmRcService.exe", "auto start" },
    };
    const unsigned i = rnd(g, sizeof SVC / sizeof SVC[0]);
    ev_begin(g, h, style, &H, t);
    text(g, "A service was installed in the system.\n\nService Name:  ");
    putz(g, SVC[i][0]);
    text(g, "\nService File Name:  ");
    putz(g, SVC[i][1]);
    text(g, "\nService Type:  user mode service\nService Start Type:  ");
    putz(g, SVC[i][2]);
    text(g, "\nService Account:  LocalSystem\n");
    ev_end(g);
}

/* "2024-07-23T03:12:44.500000000Z" with the left-to-right marks Windows
 * puts around date parts in this message. */
static void put_date_lrm(gen *g, int64_t t, unsigned frac9)
{
    static const char LRM[] = "\xe2\x80\x8e";
    const civil c = to_civil(t);
    putz(g, LRM);
    put_u0(g, (uint64_t)c.year, 4);
    putz(g, LRM);
    putc_(g, '-');
    putz(g, LRM);
    put_u0(g, c.mon, 2);
    putz(g, LRM);
    putc_(g, '-');
    putz(g, LRM);
    put_u0(g, c.day, 2);
    putc_(g, 'T');
    put_u0(g, c.hour, 2);
    putc_(g, ':');
    put_u0(g, c.min, 2);
    putc_(g, ':');
    put_u0(g, c.sec, 2);
    putc_(g, '.');
    put_u0(g, frac9, 9);
    putc_(g, 'Z');
}

static void ev_kgen(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H12 = { LOG_SYSTEM, "Microsoft-Windows-Kernel-General", 12, "(1)",
                               "Information", "(70368744177664)", "SYSTEM" };
    static const evhdr H13 = { LOG_SYSTEM, "Microsoft-Windows-Kernel-General", 13, "(1)",
                               "Information", "(70368744177664)", "SYSTEM" };
    const int start = chance(g, 50);
    ev_begin(g, h, style, start ? &H12 : &H13, t);
    if (style == STYLE_VIEWER_JA) {
        putz(g, "オペレーティング システムはシステム時刻 ");
        put_date_lrm(g, t - 9 * 3600 - 30, 500000000u);
        putz(g, start ? " に開始されました。" : " にシャットダウンしています。");
    } else {
        putz(g, start ? "The operating system started at system time "
                      : "The operating system is shutting down at system time ");
        put_date_lrm(g, t - 30, start ? 500000000u : 100u * rnd(g, 10000000));
        putc_(g, '.');
    }
    nl(g);
    ev_end(g);
}

static void ev_6009(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H = { LOG_SYSTEM, "EventLog", 6009, "None", "Information", "Classic", "N/A" };
    static const char *const OS[] = { "10.00. 20348  Multiprocessor Free.", "10.00. 17763  Multiprocessor Free.",
                                      "10.00. 14393  Multiprocessor Free.", "6.03. 9600  Multiprocessor Free." };
    ev_begin(g, h, style, &H, t);
    putz(g, "Microsoft (R) Windows (R) ");
    putz(g, OS[rnd(g, 4)]);
    nl(g);
    ev_end(g);
}

static void ev_gp(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H00 = { LOG_SYSTEM, "Microsoft-Windows-GroupPolicy", 1500, "None",
                               "Information", "", "SYSTEM" };
    static const evhdr H01 = { LOG_SYSTEM, "Microsoft-Windows-GroupPolicy", 1501, "None",
                               "Information", "", "CORP\\jdoe" };
    static const evhdr H02 = { LOG_SYSTEM, "Microsoft-Windows-GroupPolicy", 1502, "None",
                               "Information", "", "SYSTEM" };
    const unsigned r = rnd(g, 10);
    const int is02 = r >= 8, user = r >= 6 && r < 8;
    ev_begin(g, h, style, is02 ? &H02 : (user ? &H01 : &H00), t);
    if (style == STYLE_VIEWER_JA) {
        putz(g, user ? "ユーザーのグループ ポリシー設定は正常に処理されました。"
                     : "コンピューターのグループ ポリシー設定は正常に処理されました。");
        if (is02) {
            putz(g, "前回のグループ ポリシー処理が成功した後、");
            put_u(g, rnd_in(g, 1, 6));
            putz(g, " 個のグループ ポリシー オブジェクトから新しい設定が検出され、適用されました。");
        } else {
            putz(g, "前回のグループ ポリシー処理が成功した後に、変更は検出されませんでした。");
        }
    } else {
        putz(g, user ? "The Group Policy settings for the user were processed successfully. "
                     : "The Group Policy settings for the computer were processed successfully. ");
        if (is02) {
            putz(g, "New settings from ");
            put_u(g, rnd_in(g, 1, 6));
            putz(g, " Group Policy objects were detected and applied.");
        } else {
            putz(g, "There were no changes detected since the last successful processing of Group "
                    "Policy.");
        }
    }
    nl(g);
    ev_end(g);
}

static void ev_1014(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H = { LOG_SYSTEM, "Microsoft-Windows-DNS-Client", 1014, "(1014)", "Warning",
                             "(268435456)", "NETWORK SERVICE" };
    static const char *const NAME[] = {
        "wpad.corp.example.com", "login.microsoftonline.com", "settings-win.data.microsoft.com",
        "ctldl.windowsupdate.com", "time.windows.com", "_ldap._tcp.dc._msdcs.corp.example.com",
        "fs01.corp.example.com", "sql-listener.corp.example.com", "proxy.corp.example.com",
        "print01.corp.example.com", "v10.events.data.microsoft.com", "sccm01.corp.example.com",
    };
    const char *name = NAME[rnd(g, sizeof NAME / sizeof NAME[0])];
    ev_begin(g, h, style, &H, t);
    if (style == STYLE_VIEWER_JA) {
        putz(g, "名前 ");
        putz(g, name);
        putz(g, " の名前解決は、構成された DNS サーバーがどれも応答しなかったため、タイムアウトになりました。");
    } else {
        putz(g, "Name resolution for the name ");
        putz(g, name);
        putz(g, " timed out after none of the configured DNS servers responded.");
        if (chance(g, 60)) {
            putz(g, " Client PID ");
            put_u(g, 4u * rnd_in(g, 100, 4000));
            putc_(g, '.');
        }
    }
    nl(g);
    ev_end(g);
}

static void ev_36887(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H = { LOG_SYSTEM, "Schannel", 36887, "None", "Error", "", "SYSTEM" };
    static const unsigned ALERT[] = { 10, 40, 42, 46, 46, 48, 70, 80 };
    ev_begin(g, h, style, &H, t);
    putz(g, "A fatal alert was received from the remote endpoint. The TLS protocol defined fatal "
            "alert code is ");
    put_u(g, ALERT[rnd(g, sizeof ALERT / sizeof ALERT[0])]);
    putc_(g, '.');
    nl(g);
    ev_end(g);
}

static void ev_41(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H = { LOG_SYSTEM, "Microsoft-Windows-Kernel-Power", 41, "(63)", "Critical",
                             "(70368744177664),(2)", "SYSTEM" };
    ev_begin(g, h, style, &H, t);
    putz(g, "The system has rebooted without cleanly shutting down first. This error could be "
            "caused if the system stopped responding, crashed, or lost power unexpectedly.");
    nl(g);
    ev_end(g);
}

/* Tcpip events that are not port exhaustion: address conflict, link up/down. */
static void ev_tcpip_other(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H99 = { LOG_SYSTEM, "Tcpip", 4199, "None", "Error", "Classic", "N/A" };
    static const evhdr H01 = { LOG_SYSTEM, "Tcpip", 4201, "None", "Information", "Classic", "N/A" };
    static const evhdr H02 = { LOG_SYSTEM, "Tcpip", 4202, "None", "Information", "Classic", "N/A" };
    char ip[16];
    const unsigned r = rnd(g, 10);
    if (r < 2) {
        ev_begin(g, h, style, &H99, t);
        putz(g, "The system detected an address conflict for IP address ");
        put(g, ip, fmt_ip4(ip, h->ip + 1u + rnd(g, 200)));
        putz(g, " with the system having network hardware address 00-15-5D-");
        put_hexv(g, 0x10u + rnd(g, 0xe0u), 1);
        putc_(g, '-');
        put_hexv(g, 0x10u + rnd(g, 0xe0u), 1);
        putc_(g, '-');
        put_hexv(g, 0x10u + rnd(g, 0xe0u), 1);
        putz(g, ". Network operations on this system may be disrupted as a result.");
    } else if (r < 6) {
        ev_begin(g, h, style, &H01, t);
        putz(g, "The system detected that network adapter Microsoft Hyper-V Network Adapter #");
        put_u(g, rnd_in(g, 1, 3));
        putz(g, " was connected to the network, and has initiated normal operation over the "
                "network adapter.");
    } else {
        ev_begin(g, h, style, &H02, t);
        putz(g, "The system detected that network adapter \\DEVICE\\TCPIP_{");
        put_guid(g);
        putz(g, "} was disconnected from the network, and the adapter's network configuration has "
                "been released. If the network adapter was not disconnected, this may indicate that "
                "it has malfunctioned. Please contact your vendor for updated drivers for the device.");
    }
    nl(g);
    ev_end(g);
}

static void ev_wu(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H19 = { LOG_SYSTEM, "Microsoft-Windows-WindowsUpdateClient", 19,
                               "Windows Update Agent", "Information", "Installation,Success", "SYSTEM" };
    static const evhdr H43 = { LOG_SYSTEM, "Microsoft-Windows-WindowsUpdateClient", 43,
                               "Windows Update Agent", "Information", "Installation", "SYSTEM" };
    static const char *const KB[] = {
        "2024-07 Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems (KB5040437)",
        "Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.415.186.0) - Current Channel (Broad)",
        "2024-08 Cumulative Update for .NET Framework 3.5, 4.8 and 4.8.1 for Microsoft server operating system version 21H2 for x64 (KB5041948)",
        "Windows Malicious Software Removal Tool x64 - v5.127 (KB890830)",
    };
    const int done = chance(g, 55);
    ev_begin(g, h, style, done ? &H19 : &H43, t);
    putz(g, done ? "Installation Successful: Windows successfully installed the following update: "
                 : "Installation Started: Windows has started installing the following update: ");
    putz(g, KB[rnd(g, sizeof KB / sizeof KB[0])]);
    nl(g);
    ev_end(g);
}

static void ev_4672(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H = { LOG_SECURITY, "Microsoft-Windows-Security-Auditing", 4672,
                             "Special Logon", "Information", "Audit Success", "N/A" };
    char ubuf[32];
    const int sys = chance(g, 60);
    const char *user = sys ? "SYSTEM" : user_name(g, ubuf, sizeof ubuf);
    ev_begin(g, h, style, &H, t);
    text(g, "Special privileges assigned to new logon.\n\nSubject:\n\tSecurity ID:\t\t");
    if (!sys)
        putz(g, "CORP\\");
    putz(g, user);
    text(g, "\n\tAccount Name:\t\t");
    putz(g, user);
    text(g, sys ? "\n\tAccount Domain:\t\tNT AUTHORITY\n\tLogon ID:\t\t0x3E7\n"
                : "\n\tAccount Domain:\t\tCORP\n\tLogon ID:\t\t0x");
    if (!sys) {
        put_hexv(g, next(g) & 0xfffffffULL, 1);
        nl(g);
    }
    text(g, "\nPrivileges:\t\tSeAssignPrimaryTokenPrivilege\n\t\t\tSeTcbPrivilege\n"
            "\t\t\tSeSecurityPrivilege\n\t\t\tSeTakeOwnershipPrivilege\n\t\t\tSeLoadDriverPrivilege\n"
            "\t\t\tSeBackupPrivilege\n\t\t\tSeRestorePrivilege\n\t\t\tSeDebugPrivilege\n"
            "\t\t\tSeAuditPrivilege\n\t\t\tSeSystemEnvironmentPrivilege\n\t\t\tSeImpersonatePrivilege\n"
            "\t\t\tSeDelegateSessionUserImpersonatePrivilege\n");
    ev_end(g);
}

static void ev_4625(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H = { LOG_SECURITY, "Microsoft-Windows-Security-Auditing", 4625, "Logon",
                             "Information", "Audit Failure", "N/A" };
    static const char *const WHY[][2] = {
        { "Unknown user name or bad password.", "0xC000006A" },
        { "Unknown user name or bad password.", "0xC0000064" },
        { "Account locked out.", "0x0" },
        { "The user has not been granted the requested logon type at this machine.", "0x0" },
    };
    static const char *const WHO[] = { "administrator", "admin", "scanner", "backup", "test", "guest" };
    const unsigned w = rnd(g, 4);
    char ubuf[32];
    const char *user = chance(g, 50) ? WHO[rnd(g, 6)] : user_name(g, ubuf, sizeof ubuf);
    ev_begin(g, h, style, &H, t);
    text(g, "An account failed to log on.\n\nSubject:\n\tSecurity ID:\t\tNULL SID\n"
            "\tAccount Name:\t\t-\n\tAccount Domain:\t\t-\n\tLogon ID:\t\t0x0\n\n"
            "Logon Type:\t\t\t3\n\nAccount For Which Logon Failed:\n\tSecurity ID:\t\tNULL SID\n"
            "\tAccount Name:\t\t");
    putz(g, user);
    text(g, "\n\tAccount Domain:\t\tCORP\n\nFailure Information:\n\tFailure Reason:\t\t");
    putz(g, WHY[w][0]);
    text(g, w == 2 ? "\n\tStatus:\t\t\t0xC0000234\n\tSub Status:\t\t"
                   : "\n\tStatus:\t\t\t0xC000006D\n\tSub Status:\t\t");
    putz(g, WHY[w][1]);
    text(g, "\n\nProcess Information:\n\tCaller Process ID:\t0x0\n\tCaller Process Name:\t-\n\n"
            "Network Information:\n\tWorkstation Name:\t-\n\tSource Network Address:\t10.");
    put_u(g, rnd_in(g, 1, 3));
    putc_(g, '.');
    put_u(g, rnd_in(g, 100, 163));
    putc_(g, '.');
    put_u(g, rnd_in(g, 2, 250));
    text(g, "\n\tSource Port:\t\t0\n\nDetailed Authentication Information:\n"
            "\tLogon Process:\t\tNtLmSsp \n\tAuthentication Package:\tNTLM\n\tTransited Services:\t-\n"
            "\tPackage Name (NTLM only):\t-\n\tKey Length:\t\t0\n\n"
            "This event is generated when a logon request fails. It is generated on the computer "
            "where access was attempted.\n\n"
            "The Subject fields indicate the account on the local system which requested the logon. "
            "This is most commonly a service such as the Server service, or a local process such as "
            "Winlogon.exe or Services.exe.\n\n"
            "The Logon Type field indicates the kind of logon that was requested. The most common "
            "types are 2 (interactive) and 3 (network).\n\n"
            "The Process Information fields indicate which account and process on the system "
            "requested the logon.\n\n"
            "The Network Information fields indicate where a remote logon request originated. "
            "Workstation name is not always available and may be left blank in some cases.\n\n"
            "The authentication information fields provide detailed information about this specific "
            "logon request.\n"
            "\t- Transited services indicate which intermediate services have participated in this "
            "logon request.\n"
            "\t- Package name indicates which sub-protocol was used among the NTLM protocols.\n"
            "\t- Key length indicates the length of the generated session key. This will be 0 if no "
            "session key was requested.\n");
    ev_end(g);
}

/* 4688 with command line auditing on: the longest record here (~2.3 KiB). */
static void ev_4688(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr H = { LOG_SECURITY, "Microsoft-Windows-Security-Auditing", 4688,
                             "Process Creation", "Information", "Audit Success", "N/A" };
    static const char *const PROC[][3] = { /* new process, command line, creator */
        { "C:\\Windows\\System32\\conhost.exe", "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1",
          "C:\\Windows\\System32\\cmd.exe" },
        { "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
          "C:\\Windows\\System32\\services.exe" },
        { "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding",
          "C:\\Windows\\System32\\svchost.exe" },
        { "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
          "powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\collect_inventory.ps1",
          "C:\\Windows\\System32\\svchost.exe" },
        { "C:\\Windows\\System32\\cmd.exe", "cmd.exe /c \"C:\\Scripts\\triage.cmd > C:\\Temp\\triage.txt 2>&1\"",
          "C:\\Windows\\System32\\svchost.exe" },
        { "C:\\Windows\\System32\\taskhostw.exe", "taskhostw.exe", "C:\\Windows\\System32\\svchost.exe" },
        { "C:\\Windows\\System32\\gpupdate.exe", "gpupdate /force", "C:\\Windows\\explorer.exe" },
        { "C:\\Windows\\System32\\sc.exe", "sc.exe query wuauserv", "C:\\Windows\\System32\\cmd.exe" },
        { "C:\\Windows\\CCM\\CcmExec.exe", "\"C:\\Windows\\CCM\\CcmExec.exe\"", "C:\\Windows\\System32\\services.exe" },
        { "C:\\Program Files\\Microsoft Monitoring Agent\\Agent\\MonitoringHost.exe",
          "\"C:\\Program Files\\Microsoft Monitoring Agent\\Agent\\MonitoringHost.exe\" -Embedding",
          "C:\\Program Files\\Microsoft Monitoring Agent\\Agent\\HealthService.exe" },
    };
    const unsigned p = rnd(g, sizeof PROC / sizeof PROC[0]);
    ev_begin(g, h, style, &H, t);
    text(g, "A new process has been created.\n\nCreator Subject:\n\tSecurity ID:\t\tSYSTEM\n"
            "\tAccount Name:\t\t");
    putz(g, h->name);
    text(g, "$\n\tAccount Domain:\t\tCORP\n\tLogon ID:\t\t0x3E7\n\nTarget Subject:\n"
            "\tSecurity ID:\t\tNULL SID\n\tAccount Name:\t\t-\n\tAccount Domain:\t\t-\n"
            "\tLogon ID:\t\t0x0\n\nProcess Information:\n\tNew Process ID:\t\t0x");
    put_hexv(g, 4u * rnd_in(g, 100, 8000), 0);
    text(g, "\n\tNew Process Name:\t");
    putz(g, PROC[p][0]);
    text(g, "\n\tToken Elevation Type:\t%%1936\n\tMandatory Label:\t\tMandatory Label\\System "
            "Mandatory Level\n\tCreator Process ID:\t0x");
    put_hexv(g, 4u * rnd_in(g, 100, 8000), 0);
    text(g, "\n\tCreator Process Name:\t");
    putz(g, PROC[p][2]);
    text(g, "\n\tProcess Command Line:\t");
    putz(g, PROC[p][1]);
    text(g, "\n\nToken Elevation Type indicates the type of token that was assigned to the new "
            "process in accordance with User Account Control policy.\n\n"
            "Type 1 is a full token with no privileges removed or groups disabled.  A full token is "
            "only used if User Account Control is disabled or if the user is the built-in "
            "Administrator account or a service account.\n\n"
            "Type 2 is an elevated token with no privileges removed or groups disabled.  An elevated "
            "token is used when User Account Control is enabled and the user chooses to start the "
            "program using Run as administrator.  An elevated token is also used when an application "
            "is configured to always require administrative privilege or to always require maximum "
            "privilege, and the user is a member of the Administrators group.\n\n"
            "Type 3 is a limited token with administrative privileges removed and administrative "
            "groups disabled.  The limited token is used when User Account Control is enabled, the "
            "application does not require administrative privilege, and the user does not choose to "
            "start the program using Run as administrator.\n\n"
            "Mandatory Label is the integrity label assigned to the new process.\n");
    ev_end(g);
}

/* Further Application log providers: Security Center, User Profile Service,
 * SQL Server, .NET Runtime. */
static void ev_app_more(gen *g, const host *h, int style, int64_t t)
{
    static const evhdr HSC = { LOG_APPLICATION, "SecurityCenter", 15, "None", "Information",
                               "Classic", "N/A" };
    static const evhdr HUP = { LOG_APPLICATION, "Microsoft-Windows-User Profiles Service", 1531,
                               "None", "Information", "", "SYSTEM" };
    static const evhdr HSQ = { LOG_APPLICATION, "MSSQLSERVER", 18456, "Logon", "Information",
                               "Classic,Audit Failure", "N/A" };
    static const evhdr HDB = { LOG_APPLICATION, "MSSQLSERVER", 17137, "Server", "Information",
                               "Classic", "N/A" };
    static const evhdr HNET = { LOG_APPLICATION, ".NET Runtime", 1026, "None", "Error", "Classic",
                                "N/A" };
    static const char *const DB[] = { "tempdb", "model", "msdb", "ReportServer", "SUSDB", "CM_P01" };
    switch (rnd(g, 5)) {
    case 0:
        ev_begin(g, h, style, &HSC, t);
        putz(g, "Updated Windows Defender status successfully to SECURITY_PRODUCT_STATE_ON.");
        nl(g);
        break;
    case 1:
        ev_begin(g, h, style, &HUP, t);
        putz(g, "The User Profile Service has started successfully.");
        nl(g);
        nl(g);
        break;
    case 2: {
        char ubuf[32];
        ev_begin(g, h, style, &HSQ, t);
        putz(g, "Login failed for user '");
        putz(g, chance(g, 40) ? "sa" : user_name(g, ubuf, sizeof ubuf));
        putz(g, "'. Reason: Password did not match that for the login provided. [CLIENT: 10.");
        put_u(g, rnd_in(g, 1, 3));
        putc_(g, '.');
        put_u(g, rnd_in(g, 100, 163));
        putc_(g, '.');
        put_u(g, rnd_in(g, 2, 250));
        putc_(g, ']');
        nl(g);
        break;
    }
    case 3:
        ev_begin(g, h, style, &HDB, t);
        putz(g, "Starting up database '");
        putz(g, DB[rnd(g, sizeof DB / sizeof DB[0])]);
        putz(g, "'.");
        nl(g);
        break;
    default:
        ev_begin(g, h, style, &HNET, t);
        text(g, "Application: w3wp.exe\nFramework Version: v4.0.30319\nDescription: The process was "
                "terminated due to an unhandled exception.\nException Info: System.NullReferenceException\n"
                "   at Contoso.Portal.Services.SessionCache.Refresh(System.String)\n"
                "   at Contoso.Portal.Global.Application_AcquireRequestState(System.Object, System.EventArgs)\n"
                "   at System.Web.HttpApplication+SyncEventExecutionStep.System.Web.HttpApplication.IExecutionStep.Execute()\n"
                "   at System.Web.HttpApplication.ExecuteStepImpl(IExecutionStep)\n"
                "   at System.Web.HttpApplication.ExecuteStep(IExecutionStep, Boolean ByRef)\n");
        break;
    }
    ev_end(g);
}

/* ja-JP renderings of the common System and Application records. */
static void ja_7036(gen *g, const host *h, int64_t t)
{
    static const evhdr H = { LOG_SYSTEM, "Service Control Manager", 7036, "None", "Information",
                             "Classic", "N/A" };
    ev_begin(g, h, STYLE_VIEWER_JA, &H, t);
    putz(g, SERVICES[rnd(g, N_SERVICES)]);
    putz(g, chance(g, 50) ? " サービスは 実行中 状態に移行しました。" : " サービスは 停止 状態に移行しました。");
    nl(g);
    ev_end(g);
}

static void ja_eventlog(gen *g, const host *h, int64_t t)
{
    static const evhdr H5 = { LOG_SYSTEM, "EventLog", 6005, "None", "Information", "Classic", "N/A" };
    static const evhdr H6 = { LOG_SYSTEM, "EventLog", 6006, "None", "Information", "Classic", "N/A" };
    static const evhdr H13 = { LOG_SYSTEM, "EventLog", 6013, "None", "Information", "Classic", "N/A" };
    const unsigned r = rnd(g, 10);
    if (r < 6) { /* the daily uptime record, far below 450 days on these hosts */
        ev_begin(g, h, STYLE_VIEWER_JA, &H13, t);
        putz(g, "システムの稼働時間は ");
        put_u(g, (uint64_t)(t - h->boot));
        putz(g, " 秒です。");
    } else {
        ev_begin(g, h, STYLE_VIEWER_JA, r < 8 ? &H5 : &H6, t);
        putz(g, r < 8 ? "イベント ログ サービスが開始されました。" : "イベント ログ サービスが停止されました。");
    }
    nl(g);
    ev_end(g);
}

static void ja_10016(gen *g, const host *h, int64_t t)
{
    static const evhdr H = { LOG_SYSTEM, "DistributedCOM", 10016, "None", "Warning", "Classic",
                             "SYSTEM" };
    ev_begin(g, h, STYLE_VIEWER_JA, &H, t);
    text(g, "アプリケーション固有 のアクセス許可の設定では、CLSID \n"
            "{D63B10C5-BB46-4990-A94F-E40B9D520160}\n および APPID \n"
            "{9CA88EE3-ACB7-47C8-AFC4-AB702511C403}\n の COM サーバー アプリケーションに対する"
            "ローカル アクティブ化 のアクセス許可を、アプリケーション コンテナー 利用不可 SID (利用不可) "
            "で実行中のアドレス LocalHost (LRPC 使用) のユーザー NT AUTHORITY\\SYSTEM SID (S-1-5-18) "
            "に与えることはできません。このセキュリティ アクセス許可は、コンポーネント サービス管理"
            "ツールを使って変更できます。\n");
    ev_end(g);
}

/* Application Error 1000 as ja-JP writes it: ideographic commas, localized labels. */
static void ja_1000(gen *g, const host *h, int64_t t)
{
    static const evhdr H = { LOG_APPLICATION, "Application Error", 1000, "(100)", "Error",
                             "Classic", "N/A" };
    const crash c = random_crash(g);
    ev_begin(g, h, STYLE_VIEWER_JA, &H, t);
    putz(g, "障害が発生しているアプリケーション名: ");
    putz(g, c.a->name);
    putz(g, "、バージョン: ");
    putz(g, c.a->version);
    putz(g, "、タイム スタンプ: 0x");
    put_hex(g, c.app_ts, 8);
    nl(g);
    putz(g, "障害が発生しているモジュール名: ");
    putz(g, c.a->module);
    putz(g, "、バージョン: ");
    putz(g, c.a->modver);
    putz(g, "、タイム スタンプ: 0x");
    put_hex(g, c.mod_ts, 8);
    nl(g);
    putz(g, "例外コード: 0x");
    put_hex(g, c.code, 8);
    nl(g);
    putz(g, "障害オフセット: 0x");
    put_hex(g, c.offset, 16);
    nl(g);
    putz(g, "障害が発生しているプロセス ID: 0x");
    put_hexv(g, c.pid, 0);
    nl(g);
    putz(g, "障害が発生しているアプリケーションの開始時刻: 0x");
    put_hex(g, 0x01dae00000000000ULL + (next(g) & 0xffffffffffULL), 16);
    nl(g);
    putz(g, "障害が発生しているアプリケーション パス: ");
    putz(g, c.a->path);
    nl(g);
    putz(g, "障害が発生しているモジュール パス: ");
    putz(g, c.a->modpath);
    nl(g);
    putz(g, "レポート ID: ");
    put_guid(g);
    nl(g);
    putz(g, "障害が発生しているパッケージの完全な名前: ");
    nl(g);
    putz(g, "障害が発生しているパッケージに関連するアプリケーション ID: ");
    nl(g);
    ev_end(g);
}

static void ja_spp(gen *g, const host *h, int64_t t)
{
    static const evhdr H = { LOG_APPLICATION, "Microsoft-Windows-Security-SPP", 16384, "None",
                             "Information", "Classic", "N/A" };
    const civil c = to_civil(t + (int64_t)86400 * 36524);
    ev_begin(g, h, STYLE_VIEWER_JA, &H, t);
    putz(g, "Software Protection サービスの再起動を ");
    put_iso(g, &c);
    putz(g, "Z にスケジュールできました。理由: RulesEngine。");
    nl(g);
    ev_end(g);
}

static void rich_ja(gen *g, const host *h, enum log_kind log, int64_t t)
{
    const unsigned r = rnd(g, 100);
    if (log == LOG_APPLICATION) {
        if (r < 30)
            ja_1000(g, h, t);
        else
            ja_spp(g, h, t);
    } else if (r < 45) {
        ja_7036(g, h, t);
    } else if (r < 50) {
        ev_7040(g, h, STYLE_VIEWER_JA, t);
    } else if (r < 65) {
        ja_10016(g, h, t);
    } else if (r < 75) {
        ja_eventlog(g, h, t);
    } else if (r < 87) {
        ev_1014(g, h, STYLE_VIEWER_JA, t);
    } else if (r < 97) {
        ev_gp(g, h, STYLE_VIEWER_JA, t);
    } else {
        ev_kgen(g, h, STYLE_VIEWER_JA, t);
    }
}

/* One record of the event-heavy mix, in per-mille shares per log. */
static void rich_event(gen *g, const host *h, int style, enum log_kind log, int64_t t)
{
    if (style == STYLE_VIEWER_JA) {
        rich_ja(g, h, log, t);
        return;
    }
    const unsigned r = rnd(g, 1000);
    if (log == LOG_SYSTEM) {
        if (r < 280)
            ev_7036(g, h, style, t);
        else if (r < 320)
            ev_7040(g, h, style, t);
        else if (r < 335)
            ev_7045(g, h, style, t);
        else if (r < 365)
            ev_7031_7034(g, h, style, t);
        else if (r < 495)
            ev_10016(g, h, style, t);
        else if (r < 525)
            ev_kgen(g, h, style, t);
        else if (r < 545)
            ev_6005_6006(g, h, style, t);
        else if (r < 560)
            ev_6009(g, h, style, t);
        else if (r < 600)
            ev_6013(g, h, style, t, (uint64_t)(t - h->boot));
        else if (r < 700)
            ev_gp(g, h, style, t);
        else if (r < 790)
            ev_1014(g, h, style, t);
        else if (r < 870)
            ev_36887(g, h, style, t);
        else if (r < 880)
            ev_41(g, h, style, t);
        else if (r < 930)
            ev_tcpip_other(g, h, style, t);
        else if (r < 970)
            ev_wu(g, h, style, t);
        else
            ev_trap(g, h, style, log, t);
    } else if (log == LOG_APPLICATION) {
        if (r < 250) {
            const crash c = random_crash(g);
            ev_1000(g, h, style, t, &c);
            if (r < 200)
                ev_1001(g, h, style, t + rnd_in(g, 0, 2), &c, 0);
        } else if (r < 650) {
            ev_app_misc(g, h, style, t);
        } else if (r < 950) {
            ev_app_more(g, h, style, t);
        } else {
            ev_trap(g, h, style, log, t);
        }
    } else {
        if (r < 350)
            ev_4624(g, h, style, t);
        else if (r < 600)
            ev_4634(g, h, style, t);
        else if (r < 780)
            ev_4672(g, h, style, t);
        else if (r < 950)
            ev_4688(g, h, style, t);
        else
            ev_4625(g, h, style, t);
    }
}

/* One noise record of the given log (a crash may bring its WER companion). */
static void noise_event(gen *g, const host *h, int style, enum log_kind log, int64_t t)
{
    if (g->mix == MIX_EVENTS) {
        rich_event(g, h, style, log, t);
        return;
    }
    const unsigned r = rnd(g, 1000);
    if (log == LOG_SYSTEM) {
        if (r < 640)
            ev_7036(g, h, style, t);
        else if (r < 800)
            ev_10016(g, h, style, t);
        else if (r < 850)
            ev_7031_7034(g, h, style, t);
        else if (r < 880)
            ev_6005_6006(g, h, style, t);
        else if (r < 960)
            ev_6013(g, h, style, t, (uint64_t)(t - h->boot));
        else
            ev_trap(g, h, style, log, t);
    } else if (log == LOG_APPLICATION) {
        if (r < 300) {
            const crash c = random_crash(g);
            ev_1000(g, h, style, t, &c);
            if (r < 250) /* WER usually follows within a second or two */
                ev_1001(g, h, style, t + rnd_in(g, 0, 2), &c, 0);
        } else if (r < 900) {
            ev_app_misc(g, h, style, t);
        } else {
            ev_trap(g, h, style, log, t);
        }
    } else {
        if (r < 850)
            ev_4624(g, h, style, t);
        else
            ev_4634(g, h, style, t);
    }
}

/* ---- connection tables --------------------------------------------------- */

static size_t fmt_ip4(char *dst, uint32_t ip)
{
    size_t n = 0;
    for (int i = 3; i >= 0; i--) {
        n += fmt_u(dst + n, (ip >> (8 * i)) & 255u);
        if (i)
            dst[n++] = '.';
    }
    return n;
}

static size_t fmt_ep4(char *dst, uint32_t ip, unsigned port)
{
    size_t n = fmt_ip4(dst, ip);
    dst[n++] = ':';
    return n + fmt_u(dst + n, port);
}

static size_t fmt_str(char *dst, const char *s)
{
    const size_t n = strlen(s);
    memcpy(dst, s, n);
    return n;
}

/* One row in the given shape. tcp: 1 TCP, 0 UDP, 6 Linux "tcp6"; state NULL
 * for UDP (empty state column). */
static void ns_row(gen *g, int shape, int tcp, const char *local, size_t ln, const char *foreign,
                   size_t fn, const char *state, unsigned pid)
{
    room(g); /* one table can be 1.3 MB (FS01), so rows are the flush unit */
    g->rows++;
    switch (shape) {
    case NS_WIN_EN:
    case NS_WIN_JA:
        putz(g, "  ");
        if (shape == NS_WIN_EN)
            putz(g, tcp ? "TCP    " : "UDP    ");
        else
            putz(g, tcp ? "TCP         " : "UDP         ");
        put_col(g, local, ln, 23);
        put_col(g, foreign, fn, 23);
        if (state)
            put_col(g, state, strlen(state), 16);
        else
            spaces(g, 16);
        put_u(g, pid);
        break;
    case NS_LINUX:
        putz(g, tcp == 6 ? "tcp6       0      0 " : "tcp        0      0 ");
        put_col(g, local, ln, 24);
        put_col(g, foreign, fn, 24);
        putz(g, state);
        break;
    default: { /* ss -tan: state, queues, addresses right-aligned like iproute2 */
        const size_t sl = strlen(state);
        put_col(g, state, sl, 11);
        putz(g, "0      0      ");
        spaces(g, ln < 22 ? 22 - ln : 1);
        put(g, local, ln);
        spaces(g, fn < 22 ? 22 - fn : 1);
        put(g, foreign, fn);
        break;
    }
    }
    if (state && (strcmp(state, "TIME_WAIT") == 0))
        g->tw_lines++;
    nl(g);
}

static const unsigned WIN_LISTEN[][2] = { /* port, pid */
    { 135, 1024 }, { 445, 4 }, { 3389, 1192 }, { 5985, 4 }, { 47001, 4 }, { 49664, 680 },
    { 49665, 1328 }, { 49666, 1676 }, { 49667, 2204 }, { 49668, 704 }, { 49669, 2660 },
};
#define N_WIN_LISTEN (sizeof WIN_LISTEN / sizeof WIN_LISTEN[0])
static const unsigned SVC_PORTS[] = { 445, 389, 88, 135, 443, 1433, 80, 53, 3268, 5985 };
#define N_SVC_PORTS (sizeof SVC_PORTS / sizeof SVC_PORTS[0])

/* Servers a host connects to: a few hundred per site, so outbound rows
 * repeat destinations as real tables do (DCs, DNS, SQL, file servers). */
static uint32_t peer(gen *g, const host *h)
{
    return (h->ip & 0xff000000u) | ((1u + rnd(g, 3)) << 16) | (rnd(g, 8) << 8) | (5u + rnd(g, 30));
}

/* Clients connecting in: any workstation subnet. */
static uint32_t client(gen *g, const host *h)
{
    return (h->ip & 0xff000000u) | ((1u + rnd(g, 3)) << 16) | ((100u + rnd(g, 64)) << 8) |
           (2u + rnd(g, 250));
}

/* Ascending ports in [lo, hi], exactly n of them: every step leaves room
 * for the rows still to come, so the count is exact and ports are unique
 * and sorted as netstat prints them. */
typedef struct port_walk {
    unsigned next, hi, left, maxgap;
} port_walk;

static port_walk walk_begin(unsigned lo, unsigned hi, unsigned n)
{
    port_walk w = { lo, hi, n, 0 };
    const unsigned span = hi - lo + 1;
    w.maxgap = n ? 2 * (span - (n < span ? n : span)) / n : 0;
    return w;
}

static unsigned walk_step(gen *g, port_walk *w)
{
    unsigned slack = w->hi + 1 - w->next - w->left; /* ports we may still skip */
    unsigned gap = w->maxgap < slack ? w->maxgap : slack;
    unsigned port = w->next + (gap ? rnd(g, gap + 1) : 0);
    w->next = port + 1;
    w->left--;
    return port;
}

/* Windows netstat -ano table: listeners, inbound, n_eph outbound ephemeral
 * rows of which n_tw are TIME_WAIT, IPv6, UDP. Returns TIME_WAIT rows. */
static unsigned table_windows(gen *g, const host *h, int shape, unsigned n_eph, unsigned n_tw,
                              unsigned n_in, unsigned n_udp, unsigned v6_tw)
{
    char l[64], f[64];
    size_t ln, fn;
    unsigned tw = 0;
    nl(g);
    putz(g, shape == NS_WIN_EN ? "Active Connections" : "アクティブな接続");
    nl(g);
    nl(g);
    putz(g, shape == NS_WIN_EN
                ? "  Proto  Local Address          Foreign Address        State           PID"
                : "  プロトコル  ローカル アドレス      外部アドレス           状態            PID");
    nl(g);
    for (unsigned i = 0; i < N_WIN_LISTEN; i++) {
        ln = fmt_ep4(l, 0, WIN_LISTEN[i][0]);
        ns_row(g, shape, 1, l, ln, "0.0.0.0:0", 9, "LISTENING", WIN_LISTEN[i][1]);
    }
    /* NetBIOS listener on the host address, then inbound sessions */
    ln = fmt_ep4(l, h->ip, 139);
    ns_row(g, shape, 1, l, ln, "0.0.0.0:0", 9, "LISTENING", 4);
    for (unsigned i = 0; i < n_in; i++) {
        const unsigned sp = i < n_in / 2 ? 445 : 3389;
        ln = fmt_ep4(l, h->ip, sp);
        fn = fmt_ep4(f, client(g, h), rnd_in(g, EPH_LO, EPH_HI));
        ns_row(g, shape, 1, l, ln, f, fn, "ESTABLISHED", sp == 445 ? 4 : 1192);
    }
    port_walk w = walk_begin(EPH_LO, EPH_HI, n_eph);
    unsigned tw_left = n_tw;
    for (unsigned i = 0; i < n_eph; i++) {
        const unsigned lp = walk_step(g, &w);
        const int is_tw = rnd(g, n_eph - i) < tw_left;
        ln = fmt_ep4(l, h->ip, lp);
        fn = fmt_ep4(f, peer(g, h), SVC_PORTS[rnd(g, N_SVC_PORTS)]);
        if (is_tw) {
            tw_left--;
            tw++;
            ns_row(g, shape, 1, l, ln, f, fn, "TIME_WAIT", 0);
        } else {
            const unsigned r = rnd(g, 100);
            ns_row(g, shape, 1, l, ln, f, fn,
                   r < 90 ? "ESTABLISHED" : (r < 96 ? "CLOSE_WAIT" : "FIN_WAIT_2"),
                   h->pids[rnd(g, 8)]);
        }
    }
    ns_row(g, shape, 1, "[::]:135", 8, "[::]:0", 6, "LISTENING", 1024);
    ns_row(g, shape, 1, "[::]:445", 8, "[::]:0", 6, "LISTENING", 4);
    ns_row(g, shape, 1, "[::]:3389", 9, "[::]:0", 6, "LISTENING", 1192);
    ns_row(g, shape, 1, "[::]:49664", 10, "[::]:0", 6, "LISTENING", 680);
    if (v6_tw) {
        for (unsigned i = 0; i < v6_tw; i++) {
            ln = fmt_str(l, "[fe80::5d1c:2a:9b3e:11%12]:");
            ln += fmt_u(l + ln, rnd_in(g, EPH_LO, EPH_HI));
            ns_row(g, shape, 1, l, ln, "[fe80::1%12]:135", 16, "TIME_WAIT", 0);
            tw++;
        }
    }
    static const unsigned UDP_FIXED[][2] = { { 123, 1388 }, { 500, 3120 }, { 4500, 3120 },
                                             { 5353, 2764 }, { 5355, 2764 } };
    for (unsigned i = 0; i < n_udp; i++) {
        if (i < 5)
            ln = fmt_ep4(l, 0, UDP_FIXED[i][0]);
        else
            ln = fmt_ep4(l, i % 2 ? h->ip : 0x7f000001u, 50000u + i * 97u % 15000u);
        ns_row(g, shape, 0, l, ln, "*:*", 3, NULL, i < 5 ? UDP_FIXED[i][1] : h->pids[i % 8]);
    }
    ns_row(g, shape, 0, "[::]:123", 8, "*:*", 3, NULL, 1388);
    ns_row(g, shape, 0, "[::]:500", 8, "*:*", 3, NULL, 3120);
    return tw;
}

/* Linux netstat -tan or ss -tan. Returns TIME_WAIT rows. */
static unsigned table_linux(gen *g, const host *h, int shape, unsigned n_eph, unsigned n_tw)
{
    static const unsigned LISTEN[] = { 22, 25, 80, 443, 3306, 9100 };
    char l[64], f[64];
    size_t ln, fn;
    unsigned tw = 0;
    if (shape == NS_LINUX) {
        putz(g, "Active Internet connections (servers and established)");
        nl(g);
        putz(g, "Proto Recv-Q Send-Q Local Address           Foreign Address         State      ");
    } else {
        putz(g, "State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process");
    }
    nl(g);
    for (unsigned i = 0; i < sizeof LISTEN / sizeof LISTEN[0]; i++) {
        ln = fmt_ep4(l, i == 5 ? 0x7f000001u : 0, LISTEN[i]);
        ns_row(g, shape, 1, l, ln, "0.0.0.0:*", 9, "LISTEN", 0);
    }
    port_walk w = walk_begin(LNX_EPH_LO, LNX_EPH_HI, n_eph);
    unsigned tw_left = n_tw;
    for (unsigned i = 0; i < n_eph; i++) {
        const unsigned lp = walk_step(g, &w);
        const int is_tw = rnd(g, n_eph - i) < tw_left;
        ln = fmt_ep4(l, h->ip, lp);
        fn = fmt_ep4(f, peer(g, h), SVC_PORTS[rnd(g, N_SVC_PORTS)]);
        if (is_tw) {
            tw_left--;
            tw++;
            ns_row(g, shape, 1, l, ln, f, fn, shape == NS_LINUX ? "TIME_WAIT" : "TIME-WAIT", 0);
        } else {
            ns_row(g, shape, 1, l, ln, f, fn, shape == NS_LINUX ? "ESTABLISHED" : "ESTAB", 0);
        }
    }
    if (shape == NS_LINUX) {
        ns_row(g, shape, 6, ":::22", 5, ":::*", 4, "LISTEN", 0);
        ns_row(g, shape, 6, ":::443", 6, ":::*", 4, "LISTEN", 0);
    } else {
        ns_row(g, shape, 1, "[::]:22", 7, "[::]:*", 6, "LISTEN", 0);
        ns_row(g, shape, 1, "[::ffff:127.0.0.1]:9191", 23, "[::ffff:127.0.0.1]:34996", 24,
               "TIME-WAIT", 0);
    }
    return tw;
}

/* Hostname line, timestamp line, one table. Returns TIME_WAIT rows. */
static unsigned snapshot(gen *g, const host *h, int shape, int ts, int64_t t, unsigned n_eph,
                         unsigned n_tw, unsigned n_in, unsigned n_udp, unsigned v6_tw)
{
    unsigned tw;
    room(g);
    g->snapshots++;
    putz(g, "Hostname: ");
    putz(g, h->name);
    nl(g);
    put_stamp(g, ts, t, rnd(g, 100));
    if (shape == NS_WIN_EN || shape == NS_WIN_JA)
        tw = table_windows(g, h, shape, n_eph, n_tw, n_in, n_udp, v6_tw);
    else
        tw = table_linux(g, h, shape, n_eph, n_tw);
    nl(g);
    return tw;
}

/* ---- sections ------------------------------------------------------------ */

/* 2024-07-01 .. 2024-10-31: the noise window. */
static int64_t noise_start(gen *g)
{
    return epoch(2024, 7, 1, 0, 0, 0) + (int64_t)rnd(g, 120u * 86400u);
}

static void noise_event_section(gen *g, size_t budget)
{
    const host *h = &g->win[rnd(g, N_WIN_HOSTS)];
    const unsigned r = rnd(g, 100);
    const enum log_kind log = r < 45 ? LOG_SYSTEM : (r < 75 ? LOG_APPLICATION : LOG_SECURITY);
    const int style = chance(g, 60) ? STYLE_VIEWER : STYLE_WEVTUTIL;
    const uint64_t end = g->total + budget;
    /* security logs are dense, system and application logs sparse */
    const unsigned step = log == LOG_SECURITY ? 20 : 400;
    int64_t t = noise_start(g);
    g->crlf = chance(g, 60);
    g->seq = 0;
    while (g->total < end) {
        noise_event(g, h, style, log, t);
        t += rnd_in(g, 1, step);
    }
}

/* A section of the event-heavy mix: one host's log, as in noise_event_section,
 * with Security logs a larger share (they are the bulk of a real export) and
 * one host in eight on ja-JP, exporting from a Japanese Event Viewer. */
static void rich_event_section(gen *g, size_t budget)
{
    const unsigned hi = rnd(g, N_WIN_HOSTS);
    const host *h = &g->win[hi];
    const unsigned r = rnd(g, 100);
    enum log_kind log;
    int style;
    if (hi % 8 == 5) {
        log = r < 60 ? LOG_SYSTEM : LOG_APPLICATION;
        style = STYLE_VIEWER_JA;
        g->crlf = 1;
    } else {
        log = r < 40 ? LOG_SYSTEM : (r < 65 ? LOG_APPLICATION : LOG_SECURITY);
        style = chance(g, 60) ? STYLE_VIEWER : STYLE_WEVTUTIL;
        g->crlf = chance(g, 60);
    }
    const uint64_t end = g->total + budget;
    const unsigned step = log == LOG_SECURITY ? 20 : 400;
    int64_t t = noise_start(g);
    g->seq = 0;
    while (g->total < end) {
        rich_event(g, h, style, log, t);
        t += rnd_in(g, 1, step);
    }
}

static void noise_netstat_section(gen *g, size_t budget)
{
    const unsigned r = rnd(g, 100);
    const int shape = r < 55 ? NS_WIN_EN : (r < 70 ? NS_WIN_JA : (r < 85 ? NS_LINUX : NS_SS));
    const int win = shape == NS_WIN_EN || shape == NS_WIN_JA;
    const host *h = win ? &g->win[rnd(g, N_WIN_HOSTS)] : &g->lnx[rnd(g, N_LNX_HOSTS)];
    int ts;
    if (shape == NS_WIN_EN)
        ts = chance(g, 70) ? TS_ENUS : TS_ISO;
    else if (shape == NS_WIN_JA)
        ts = TS_JA;
    else
        ts = chance(g, 50) ? TS_ISO : TS_DATE1;
    g->crlf = win;
    const uint64_t end = g->total + budget;
    const int64_t w0 = epoch(2024, 7, 1, 0, 0, 0);
    int64_t t = noise_start(g);
    while (g->total < end) {
        /* Table size varies +-10% around the host's own; TIME_WAIT is 15-20%
         * of TCP rows, slowly falling over the window and never rising with
         * time, so no noise host looks "rising" (grew at each of 3 steps)
         * however its snapshots interleave across sections. */
        const unsigned rows = h->ns_rows * rnd_in(g, 90, 110) / 100;
        const unsigned n_udp = win ? 5 + rows / 20 : 0;
        const unsigned fixed = win ? (unsigned)N_WIN_LISTEN + 7 + n_udp : 8;
        const unsigned n_in = win ? rows / 10 : 0;
        const unsigned n_eph = rows - fixed - n_in;
        const unsigned tw_max = (h->ns_rows - n_udp) * h->ns_tw_pct / 100;
        const int64_t age = t > w0 ? t - w0 : 0;
        const unsigned n_tw = tw_max - (unsigned)((int64_t)tw_max * age / (1300 * 86400));
        snapshot(g, h, shape, ts, t, n_eph, n_tw < n_eph ? n_tw : n_eph, n_in, n_udp,
                 win ? h->ns_v6_tw : 0);
        t += 60 * rnd_in(g, 5, 60);
    }
}

/* ---- planted signatures -------------------------------------------------- */

enum plant_kind { P_RDG, P_SQL, P_DC, P_FS, P_KINDS };

typedef struct plant {
    uint64_t at;   /* emit once this many bytes have been written */
    enum plant_kind kind;
    unsigned idx;
} plant;

typedef struct plan {
    unsigned n[P_KINDS];   /* sections per kind */
    unsigned rdg_crashes;  /* two crashes per RDG01 section */
    int64_t rdg_t0, sql_t0, dc_t0, fs_t0;
    uint32_t sql_up0, dc_up0;
    unsigned fs_tw_lo, fs_tw_hi;
    plant *list;
    unsigned count, next;
    /* tallies for the summary */
    unsigned crashes, sql_6013, sql_over, dc_6013, n4227, n4231, fs_max;
    uint64_t sql_max, dc_max;
} plan;

static void plan_signatures(plan *p, uint64_t size, enum mix mix)
{
    /* "scaled with size but few": k = 1 up to 128 MiB, 2 at 256 MiB, at most 8 */
    uint64_t k = size / (128ull << 20);
    k = k < 1 ? 1 : (k > 8 ? 8 : k);
    memset(p, 0, sizeof *p);
    p->rdg_crashes = 12u * (unsigned)k;
    p->n[P_RDG] = p->rdg_crashes / 2;
    p->n[P_SQL] = 4u + 2u * (unsigned)k;  /* daily 6013, half of them past 497 days */
    /* daily 6013 at ~460 days; the event-heavy mix plants the brief's four only */
    p->n[P_DC] = mix == MIX_EVENTS ? 0 : 2u + (unsigned)k;
    p->n[P_FS] = 3u + (unsigned)k;        /* rising TIME_WAIT snapshots */
    p->rdg_t0 = epoch(2024, 10, 2, 6, 0, 0);
    p->sql_t0 = epoch(2024, 7, 20, 12, 0, 0);
    p->dc_t0 = epoch(2024, 7, 20, 12, 0, 0);
    p->fs_t0 = epoch(2024, 10, 2, 8, 0, 0);
    /* first half of the days below 42,949,673 s, second half at or above */
    p->sql_up0 = UPTIME_497 + 2113u - (p->n[P_SQL] / 2) * 86400u;
    p->dc_up0 = 460u * 86400u + 1877u;
    p->fs_tw_lo = 4000;
    p->fs_tw_hi = 15100; /* 92.2% of 16,384 */
    p->count = p->n[P_RDG] + p->n[P_SQL] + p->n[P_DC] + p->n[P_FS];
    p->list = calloc(p->count, sizeof *p->list);
    if (!p->list)
        die("calloc");
    /* spread each kind evenly over the first 92% of the output, each with its
     * own phase so kinds interleave instead of stacking up */
    static const double phase[P_KINDS] = { 0.5, 0.2, 0.8, 0.35 };
    unsigned c = 0;
    for (int kind = 0; kind < P_KINDS; kind++)
        for (unsigned i = 0; i < p->n[kind]; i++) {
            const double pos = ((double)i + phase[kind]) / (double)p->n[kind];
            p->list[c].at = (uint64_t)(pos * 0.92 * (double)size);
            p->list[c].kind = (enum plant_kind)kind;
            p->list[c].idx = i;
            c++;
        }
    /* insertion sort: a few dozen entries, and stable, so equal offsets keep
     * kind order and the output stays deterministic */
    for (unsigned i = 1; i < p->count; i++) {
        const plant x = p->list[i];
        unsigned j = i;
        while (j > 0 && p->list[j - 1].at > x.at) {
            p->list[j] = p->list[j - 1];
            j--;
        }
        p->list[j] = x;
    }
}

/* RDG01 Application log around crashes 2i and 2i+1, 30 min apart +-60 s.
 * The crash uses the same app/module identity every time, as one build would. */
static void plant_rdg(gen *g, plan *p, unsigned i)
{
    static const app TSG = { "svchost.exe_TSGateway", "10.0.20348.2582", "aaedge.dll",
                             "10.0.20348.2582", "C:\\Windows\\system32\\svchost.exe",
                             "C:\\Windows\\System32\\aaedge.dll" };
    const host *h = &g->rdg01;
    int64_t crash_t[2];
    for (unsigned j = 0; j < 2; j++) {
        const unsigned n = 2 * i + j;
        crash_t[j] = p->rdg_t0 + (int64_t)n * 1800 + (int64_t)rnd(g, 121) - 60;
    }
    g->crlf = 1;
    int64_t t = crash_t[0] - 600;
    unsigned done = 0;
    const uint64_t end = g->total + 16384;
    while (done < 2 || g->total < end) {
        if (done < 2 && t >= crash_t[done]) {
            crash c;
            c.a = &TSG;
            c.app_ts = 0x2b1d3b1au;
            c.mod_ts = 0x6f1c2d3eu;
            c.code = 0xc0000005u;
            c.offset = 0x4b7a2u + 0x10u * rnd(g, 4);
            c.pid = 0x1c4cu + 0x24u * (2 * i + done);
            ev_1000(g, h, STYLE_VIEWER, crash_t[done], &c);
            ev_1001(g, h, STYLE_VIEWER, crash_t[done] + 1, &c, 1);
            p->crashes++;
            done++;
            t = crash_t[done - 1] + 2;
            continue;
        }
        /* unrelated noise, including other apps' 1000s on the same host */
        noise_event(g, h, STYLE_VIEWER, LOG_APPLICATION, t);
        t += rnd_in(g, 20, 90);
    }
}

static void tcpip_event(gen *g, const host *h, int64_t t, int is4231, plan *p)
{
    static const evhdr H27 = { LOG_SYSTEM, "Tcpip", 4227, "None", "Warning", "Classic", "N/A" };
    static const evhdr H31 = { LOG_SYSTEM, "Tcpip", 4231, "None", "Error", "Classic", "N/A" };
    ev_begin(g, h, STYLE_WEVTUTIL, is4231 ? &H31 : &H27, t);
    if (is4231) {
        putz(g, "A request to allocate an ephemeral port number from the global TCP port space has "
                "failed due to all such ports being in use.");
        p->n4231++;
    } else {
        putz(g, "TCP/IP failed to establish an outgoing connection because the selected local "
                "endpoint was recently used to connect to the same remote endpoint. This error "
                "typically occurs when outgoing connections are opened and closed at a high rate, "
                "causing all available local ports to be used and forcing TCP/IP to reuse a local "
                "port for an outgoing connection. To minimize the risk of data corruption, the "
                "TCP/IP standard requires a minimum time period to elapse between successive "
                "connections from a given local endpoint to a given remote endpoint.");
        p->n4227++;
    }
    nl(g);
    ev_end(g);
}

/* APP-SQL02 System log (wevtutil, LF), one day around the 12:00 6013; after
 * the 497-day point also two 4227 and one 4231. */
static void plant_sql(gen *g, plan *p, unsigned day)
{
    const host *h = &g->sql02;
    const int64_t noon = p->sql_t0 + (int64_t)day * 86400;
    const uint64_t up = (uint64_t)p->sql_up0 + (uint64_t)day * 86400u;
    const int over = up >= UPTIME_497;
    int64_t special[4];
    unsigned ns = 0, done = 0;
    special[ns++] = noon;
    if (over) {
        special[ns++] = noon + 300 + rnd(g, 300);
        special[ns++] = noon + 1020 + rnd(g, 300);
        special[ns++] = noon + 1500 + rnd(g, 300);
    }
    g->crlf = 0;
    g->seq = 0;
    int64_t t = noon - 1200;
    const uint64_t end = g->total + 24576;
    while (done < ns || g->total < end) {
        if (done < ns && t >= special[done]) {
            if (done == 0) {
                ev_6013(g, h, STYLE_WEVTUTIL, noon, up);
                p->sql_6013++;
                p->sql_over += (unsigned)over;
                if (up > p->sql_max)
                    p->sql_max = up;
            } else {
                tcpip_event(g, h, special[done], done == 3, p);
            }
            done++;
            continue;
        }
        ev_7036(g, h, STYLE_WEVTUTIL, t);
        t += rnd_in(g, 10, 60);
    }
}

/* DC01 System log (Event Viewer layout, CRLF), a 6013 at ~460 days. */
static void plant_dc(gen *g, plan *p, unsigned day)
{
    const host *h = &g->dc01;
    const int64_t noon = p->dc_t0 + (int64_t)day * 86400;
    const uint64_t up = (uint64_t)p->dc_up0 + (uint64_t)day * 86400u;
    g->crlf = 1;
    int64_t t = noon - 1200;
    int done = 0;
    const uint64_t end = g->total + 16384;
    while (!done || g->total < end) {
        if (!done && t >= noon) {
            ev_6013(g, h, STYLE_VIEWER, noon, up);
            p->dc_6013++;
            if (up > p->dc_max)
                p->dc_max = up;
            done = 1;
            continue;
        }
        if (chance(g, 80))
            ev_7036(g, h, STYLE_VIEWER, t);
        else
            ev_10016(g, h, STYLE_VIEWER, t);
        t += rnd_in(g, 10, 60);
    }
}

/* FS01 netstat -ano, TIME_WAIT climbing linearly from fs_tw_lo to fs_tw_hi. */
static void plant_fs(gen *g, plan *p, unsigned i)
{
    const unsigned n = p->n[P_FS];
    const unsigned tw = p->fs_tw_lo + (unsigned)((uint64_t)(p->fs_tw_hi - p->fs_tw_lo) * i / (n - 1));
    const unsigned n_eph = tw + 180 + rnd(g, 40);
    const uint64_t before = g->total;
    g->crlf = 1;
    const unsigned got = snapshot(g, &g->fs01, NS_WIN_EN, TS_ENUS, p->fs_t0 + (int64_t)i * 7200,
                                  n_eph, tw, 40, 12, 0);
    if (got > p->fs_max)
        p->fs_max = got;
    g->fs_bytes += g->total - before;
}

static void plant_emit(gen *g, plan *p, const plant *x)
{
    g->sections++;
    switch (x->kind) {
    case P_RDG:
        plant_rdg(g, p, x->idx);
        break;
    case P_SQL:
        plant_sql(g, p, x->idx);
        break;
    case P_DC:
        plant_dc(g, p, x->idx);
        break;
    default:
        plant_fs(g, p, x->idx);
        break;
    }
}

/* ---- setup and main ------------------------------------------------------ */

static void make_host(host *h, const char *name, uint32_t ip, int64_t boot, int lnx)
{
    memset(h, 0, sizeof *h);
    snprintf(h->name, sizeof h->name, "%s", name);
    if (lnx)
        snprintf(h->fqdn, sizeof h->fqdn, "%s", name);
    else
        snprintf(h->fqdn, sizeof h->fqdn, "%s.corp.example.com", name);
    h->ip = ip;
    h->boot = boot;
}

static void make_hosts(gen *g)
{
    static const char *const PFX[10] = { "SRV", "WEB", "APP", "DB", "FILE",
                                         "PRN", "WKS", "HV", "EXCH", "CTX" };
    static const char *const LPFX[4] = { "lnx-web", "lnx-app", "lnx-db", "lnx-mq" };
    const int64_t w0 = epoch(2024, 7, 1, 0, 0, 0);
    char name[24];
    for (unsigned i = 0; i < N_WIN_HOSTS; i++) {
        /* unique: the prefix picks i % 10, the number grows with i / 10 */
        snprintf(name, sizeof name, "%s-%03u", PFX[i % 10], 10u + (i / 10u) * 41u + (i % 10u) * 3u);
        /* booted 0-170 days before the window: uptimes stay < 300 days */
        make_host(&g->win[i], name, 0x0a000000u | ((1u + i / 200u) << 16) | (((i % 200u) + 10u) << 8) | 15u,
                  w0 - (int64_t)rnd(g, 170u * 86400u), 0);
    }
    for (unsigned i = 0; i < N_LNX_HOSTS; i++) {
        snprintf(name, sizeof name, "%s-%02u", LPFX[i % 4], 1u + i / 4u);
        make_host(&g->lnx[i], name, 0x0a040000u | ((i + 10u) << 8) | 21u, 0, 1);
    }
    for (unsigned i = 0; i < N_WIN_HOSTS; i++)
        for (unsigned j = 0; j < 8; j++)
            g->win[i].pids[j] = j == 0 ? 4 : 4u * rnd_in(g, 100, 4000);
    for (unsigned i = 0; i < N_WIN_HOSTS + N_LNX_HOSTS; i++) {
        host *h = i < N_WIN_HOSTS ? &g->win[i] : &g->lnx[i - N_WIN_HOSTS];
        h->ns_rows = rnd_in(g, 55, 450);
        h->ns_tw_pct = rnd_in(g, 15, 20);
        h->ns_v6_tw = i < N_WIN_HOSTS && i % 10 == 3 ? 2 : 0;
    }
    make_host(&g->rdg01, "RDG01", 0x0a010a0bu, w0 - 20 * 86400, 0);
    make_host(&g->sql02, "APP-SQL02", 0x0a020514u, 0, 0);
    make_host(&g->dc01, "DC01", 0x0a010105u, 0, 0);
    make_host(&g->fs01, "FS01", 0x0a030215u, 0, 0);
    static const unsigned FS_PIDS[8] = { 4, 812, 1024, 1388, 2764, 3120, 4412, 5236 };
    memcpy(g->fs01.pids, FS_PIDS, sizeof FS_PIDS);
}

static uint64_t parse_u64(const char *s, const char *what)
{
    char *end;
    errno = 0;
    const unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-') {
        fprintf(stderr, "gen_mixed: bad %s: %s\n", what, s);
        exit(2);
    }
    return (uint64_t)v;
}

int main(int argc, char **argv)
{
    const char *pos[2] = { NULL, NULL };
    unsigned npos = 0;
    enum mix mix = MIX_DEFAULT;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--mix=events") == 0) {
            mix = MIX_EVENTS;
        } else if (strcmp(argv[i], "--mix=default") == 0) {
            mix = MIX_DEFAULT;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            npos = 3; /* an unknown option: usage */
            break;
        } else if (npos < 2) {
            pos[npos++] = argv[i];
        } else {
            npos = 3;
            break;
        }
    }
    if (npos < 1 || npos > 2) {
        fprintf(stderr, "usage: gen_mixed SIZE_BYTES [SEED] [--mix=default|events] > out.log\n");
        return 2;
    }
    const uint64_t size = parse_u64(pos[0], "size");
    const uint64_t seed = npos == 2 ? parse_u64(pos[1], "seed") : 1;

    static gen g; /* large (host tables): static, not on the stack */
    uint64_t s = seed;
    g.rng = splitmix(&s) | 1u; /* xorshift state must be non-zero */
    g.mix = mix;
    g.buf = malloc(OUT_CAP);
    if (!g.buf)
        die("malloc");
    make_hosts(&g);

    plan p;
    plan_signatures(&p, size, mix);

    uint64_t ev_bytes = 0, ns_bytes = 0;
    while (g.total < size) {
        if (p.next < p.count && g.total >= p.list[p.next].at) {
            plant_emit(&g, &p, &p.list[p.next++]);
            continue;
        }
        /* keep the byte mix near 70/30; section sizes of a few hundred KiB */
        const uint64_t before = g.total;
        uint64_t budget = 96u * 1024u + rnd(&g, 512u * 1024u);
        if (budget > size - g.total)
            budget = size - g.total;
        g.sections++;
        if (mix == MIX_EVENTS) {
            /* netstat, planted FS01 tables included, near 14% of all bytes */
            if ((ns_bytes + g.fs_bytes) * 100 < g.total * 14) {
                noise_netstat_section(&g, (size_t)budget);
                ns_bytes += g.total - before;
            } else {
                rich_event_section(&g, (size_t)budget);
                ev_bytes += g.total - before;
            }
        } else if (ns_bytes * 10 < (ev_bytes + ns_bytes) * 3) {
            noise_netstat_section(&g, (size_t)budget);
            ns_bytes += g.total - before;
        } else {
            noise_event_section(&g, (size_t)budget);
            ev_bytes += g.total - before;
        }
    }
    while (p.next < p.count) /* tiny sizes: every signature still appears */
        plant_emit(&g, &p, &p.list[p.next++]);
    flush_out(&g);
    if (fflush(stdout) != 0)
        die("write");

    /* planted FS01 tables are netstat bytes too, the rest is events */
    const unsigned long long mix_ev = g.total ? (g.total - ns_bytes - g.fs_bytes) * 100 / g.total : 0;
    /* One line: what was written, what was planted, and the findings a
     * correct logsift reports (one per host and rule, severities as in
     * README "Rules"); noise is built to produce none. */
    if (mix == MIX_EVENTS) {
        fprintf(stderr,
                "gen_mixed: mix=events seed=%llu bytes=%llu sections=%llu events=%llu event_kinds=%u "
                "ja_events=%llu snapshots=%llu rows=%llu time_wait_lines=%llu mix=%llu%%/%llu%% "
                "events/netstat | planted: RDG01 svchost.exe_TSGateway/aaedge.dll/0xc0000005 crashes "
                "x%u every 30 min +-60 s; APP-SQL02 6013 x%u (%u >= %u s, max %llu), Tcpip 4227 x%u "
                "4231 x%u; FS01 netstat snapshots x%u (TIME_WAIT %u..%u of 16384, rising) | "
                "expected_findings=4: rdgw-crash RDG01 critical; uptime-497 APP-SQL02 critical; "
                "tcpip-port-exhaustion APP-SQL02 high; timewait-exhaustion FS01 critical\n",
                (unsigned long long)seed, (unsigned long long)g.total,
                (unsigned long long)g.sections, (unsigned long long)g.events, g.n_kinds,
                (unsigned long long)g.ja_events, (unsigned long long)g.snapshots,
                (unsigned long long)g.rows, (unsigned long long)g.tw_lines, mix_ev, 100 - mix_ev,
                p.crashes, p.sql_6013, p.sql_over, UPTIME_497, (unsigned long long)p.sql_max,
                p.n4227, p.n4231, p.n[P_FS], p.fs_tw_lo, p.fs_max);
        free(p.list);
        free(g.buf);
        return 0;
    }
    fprintf(stderr,
            "gen_mixed: seed=%llu bytes=%llu sections=%llu events=%llu snapshots=%llu rows=%llu "
            "time_wait_lines=%llu mix=%llu%%/%llu%% events/netstat | planted: RDG01 "
            "svchost.exe_TSGateway/aaedge.dll/0xc0000005 crashes x%u every 30 min +-60 s; "
            "APP-SQL02 6013 x%u (%u >= %u s, max %llu), Tcpip 4227 x%u 4231 x%u; "
            "DC01 6013 x%u (~460 d, max %llu s); FS01 netstat snapshots x%u (TIME_WAIT %u..%u of "
            "16384, rising) | expected_findings=5: rdgw-crash RDG01 critical; uptime-497 "
            "APP-SQL02 critical; tcpip-port-exhaustion APP-SQL02 high; uptime-497 DC01 medium; "
            "timewait-exhaustion FS01 critical\n",
            (unsigned long long)seed, (unsigned long long)g.total,
            (unsigned long long)g.sections, (unsigned long long)g.events,
            (unsigned long long)g.snapshots, (unsigned long long)g.rows,
            (unsigned long long)g.tw_lines, mix_ev, 100 - mix_ev, p.crashes, p.sql_6013,
            p.sql_over, UPTIME_497, (unsigned long long)p.sql_max, p.n4227, p.n4231, p.dc_6013,
            (unsigned long long)p.dc_max, p.n[P_FS], p.fs_tw_lo, p.fs_max);
    free(p.list);
    free(g.buf);
    return 0;
}
