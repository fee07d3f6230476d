/* sift_fields.c - where each canonical field lives in EventData, per
 * provider and event id: the one table that maps named and positional Data
 * to the names rules use. Message layouts of text exports are the text
 * parsers' (parsers/sift_message.c); this table is for structured formats. */
#include "sift_table.h"

static const char *const fld_names[SIFT_FLD_COUNT] = {
    [SIFT_FLD_APP_NAME] = "application",
    [SIFT_FLD_APP_VERSION] = "application_version",
    [SIFT_FLD_MODULE_NAME] = "module",
    [SIFT_FLD_MODULE_VERSION] = "module_version",
    [SIFT_FLD_EXCEPTION_CODE] = "exception_code",
    [SIFT_FLD_UPTIME] = "uptime_s",
    [SIFT_FLD_SERVICE] = "service",
};

const char *sift_fld_name(sift_fld f)
{
    return (unsigned)f < SIFT_FLD_COUNT ? fld_names[f] : "unknown";
}

/* A field of one (provider, event id): the names it goes by in named Data,
 * and its index among unnamed Data (-1: never positional). Real .evtx files
 * from Windows 7 to 11 carry Application Error 1000 as 15 unnamed Data;
 * newer renderings name them (AppName, ...), and Winlogbeat may show
 * param1..paramN (1-based) for the same positions. */
typedef struct fld_place {
    const char *provider;
    uint16_t id;
    uint8_t fld;
    int8_t pos;
    const char *names[2];
} fld_place;

static const fld_place places[] = {
    { "Application Error", 1000, SIFT_FLD_APP_NAME, 0, { "AppName", "param1" } },
    { "Application Error", 1000, SIFT_FLD_APP_VERSION, 1, { "AppVersion", "param2" } },
    { "Application Error", 1000, SIFT_FLD_MODULE_NAME, 3, { "ModuleName", "param4" } },
    { "Application Error", 1000, SIFT_FLD_MODULE_VERSION, 4, { "ModuleVersion", "param5" } },
    { "Application Error", 1000, SIFT_FLD_EXCEPTION_CODE, 6, { "ExceptionCode", "param7" } },
    /* Seven unnamed Data; [4] is the uptime in seconds (B.2). */
    { "EventLog", 6013, SIFT_FLD_UPTIME, 4, { "param5", NULL } },
    /* WER 1001 repeats a crash: bucket, bucket type, event name, response,
     * cab id, then the problem signature P1..P10 (Data[5..14]); for an
     * application crash P1 is the application, P2 its version, P4 the
     * module, P5 its version, P8 the exception code without 0x (A.3). */
    { "Windows Error Reporting", 1001, SIFT_FLD_APP_NAME, 5, { "P1", "param6" } },
    { "Windows Error Reporting", 1001, SIFT_FLD_APP_VERSION, 6, { "P2", "param7" } },
    { "Windows Error Reporting", 1001, SIFT_FLD_MODULE_NAME, 8, { "P4", "param9" } },
    { "Windows Error Reporting", 1001, SIFT_FLD_MODULE_VERSION, 9, { "P5", "param10" } },
    { "Windows Error Reporting", 1001, SIFT_FLD_EXCEPTION_CODE, 12, { "P8", "param13" } },
    /* "The %1 service terminated unexpectedly. It has done this %2 time(s)." */
    { "Service Control Manager", 7031, SIFT_FLD_SERVICE, 0, { "param1", NULL } },
    { "Service Control Manager", 7034, SIFT_FLD_SERVICE, 0, { "param1", NULL } },
};

static int slice_is(sift_slice s, const char *z)
{
    return z && sift_slice_eq_nocase(s, sift_slice_make(z, strlen(z)));
}

void sift_event_resolve(sift_event *ev)
{
    if (!(ev->have & SIFT_EV_ID) || ev->n_data == 0)
        return;
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        const fld_place *p = &places[i];
        if (p->id != ev->id || ev->fld[p->fld].len || !slice_is(ev->provider, p->provider))
            continue;
        size_t unnamed = 0;
        int found = 0;
        for (size_t d = 0; d < ev->n_data && !found; d++) {
            const sift_data *x = &ev->data[d];
            if (x->name.len == 0) {
                if (p->pos >= 0 && unnamed == (size_t)p->pos) {
                    ev->fld[p->fld] = x->value;
                    found = 1;
                }
                unnamed++;
            } else if (slice_is(x->name, p->names[0]) || slice_is(x->name, p->names[1])) {
                ev->fld[p->fld] = x->value;
                found = 1;
            }
        }
    }
}

/* ---- host facts carried by events ------------------------------------------- */

/* The strings of EventLog 6013's Binary, in order (windows-signatures.md
 * B.2): a version of the record layout, a flag, the product name, the
 * version and build, the kernel type, the build lab, ... */
enum { OS_FACT_PRODUCT = 2, OS_FACT_VERSION = 3, OS_FACT_STRINGS = 4 };

/* UTF-16LE text from p[0, n) into out as ASCII-safe UTF-8 (non-ASCII
 * becomes '?': product names and versions are ASCII), at most cap bytes. */
static size_t narrow(const uint8_t *p, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i + 1 < n && k < cap; i += 2) {
        unsigned c = p[i] | (unsigned)p[i + 1] << 8;
        out[k++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    while (k && out[k - 1] == ' ')
        k--;
    return k;
}

/* "6.1.7601 Service Pack 1 Build 7601" to 6, 1, 7601; "6.3" to 6, 3. */
static void parse_version(const char *v, size_t n, sift_host_fact *f)
{
    if (n == 0)
        return;
    uint32_t part[3] = { 0, 0, 0 };
    unsigned got = 0;
    for (size_t i = 0; got < 3;) {
        size_t start = i;
        while (i < n && v[i] >= '0' && v[i] <= '9' && part[got] < 100000000u)
            part[got] = part[got] * 10 + (uint32_t)(v[i++] - '0');
        if (i == start)
            break;
        got++;
        if (i >= n || v[i] != '.')
            break;
        i++;
    }
    if (got < 2 || part[0] > 0xffff || part[1] > 0xffff)
        return;
    f->major = (uint16_t)part[0];
    f->minor = (uint16_t)part[1];
    f->build = part[2];
}

int sift_event_os_fact(const sift_event *ev, sift_host_fact *f, char *buf, size_t cap)
{
    if (!(ev->have & SIFT_EV_ID) || ev->id != 6013 || !slice_is(ev->provider, "EventLog") || ev->binary.len < 4)
        return 0;
    const uint8_t *p = ev->binary.ptr;
    size_t n = ev->binary.len & ~(size_t)1, start = 0, idx = 0, used = 0;
    sift_slice s[OS_FACT_STRINGS] = { { NULL, 0 } };
    for (size_t i = 0; i + 1 < n + 2 && idx < OS_FACT_STRINGS; i += 2) {
        int end = i >= n || (p[i] == 0 && p[i + 1] == 0);
        if (!end)
            continue;
        if (idx == OS_FACT_PRODUCT || idx == OS_FACT_VERSION) {
            size_t k = narrow(p + start, i - start, buf + used, cap - used);
            s[idx] = sift_slice_make(buf + used, k);
            used += k;
        }
        idx++;
        start = i + 2;
    }
    if (!s[OS_FACT_PRODUCT].len && !s[OS_FACT_VERSION].len)
        return 0;
    memset(f, 0, sizeof *f);
    f->host = ev->computer;
    f->os_name = s[OS_FACT_PRODUCT];
    f->os_version = s[OS_FACT_VERSION];
    parse_version((const char *)s[OS_FACT_VERSION].ptr, s[OS_FACT_VERSION].len, f);
    return 1;
}

void sift_fact_version(sift_slice v, sift_host_fact *f)
{
    parse_version((const char *)v.ptr, v.len, f);
}

int sift_fact_uptime(const sift_host_fact *f, uint64_t *secs)
{
    if (!f->boot_time.valid || !f->captured.valid)
        return 0;
    int64_t boot = f->boot_time.secs, now = f->captured.secs;
    if (f->boot_time.utc != f->captured.utc && f->has_utc_offset) {
        /* Bring the local one to UTC. */
        int64_t off = (int64_t)f->utc_offset_min * 60;
        if (f->boot_time.utc)
            now -= off;
        else
            boot -= off;
    }
    if (now < boot)
        return 0;
    *secs = (uint64_t)(now - boot);
    return 1;
}
