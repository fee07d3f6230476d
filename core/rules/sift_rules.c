/* sift_rules.c - the built-in rules: one entry and one verifier each. */
#include "sift_rules.h"

#include "sift_num.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- verifiers -------------------------------------------------------------- */

/* 0xc0000005 in the message, c0000005 in WER and EventData, 3221225477 in
 * Gateway event 700. */
static int is_access_violation(sift_slice code)
{
    code = sift_slice_trim(code);
    uint64_t v;
    int hex_prefixed = code.len >= 2 && code.ptr[0] == '0' && (code.ptr[1] == 'x' || code.ptr[1] == 'X');
    if (!hex_prefixed && sift_num_u64(code, &v) == SIFT_OK)
        return v == 3221225477u;
    return sift_num_hex_u64(code, &v) == SIFT_OK && v == 0xC0000005u;
}

static int verify_rdgw_crash(const sift_event *ev, sift_obs *obs)
{
    if (!sift_slice_eq_nocase(sift_slice_trim(ev->fld[SIFT_FLD_APP_NAME]), SIFT_LIT("svchost.exe_TSGateway")) ||
        !is_access_violation(ev->fld[SIFT_FLD_EXCEPTION_CODE]))
        return 0;
    obs->attr[0] = SIFT_LIT("0xc0000005");
    obs->attr[1] = ev->fld[SIFT_FLD_MODULE_NAME];
    obs->attr[2] = ev->fld[SIFT_FLD_MODULE_VERSION];
    obs->attr[3] = ev->fld[SIFT_FLD_APP_VERSION];
    return 1;
}

static int verify_uptime(const sift_event *ev, sift_obs *obs)
{
    return sift_num_u64(sift_slice_trim(ev->fld[SIFT_FLD_UPTIME]), &obs->value) == SIFT_OK;
}

/* Boot time and capture time of an inventory give the uptime where no 6013
 * exists (sift_fact_uptime says which clock is which). */
static int verify_uptime_fact(const sift_host_fact *fact, sift_obs *obs)
{
    return sift_fact_uptime(fact, &obs->value);
}

static int verify_tcpip(const sift_event *ev, sift_obs *obs)
{
    obs->key = ev->id;
    return 1;
}

static int verify_timewait(const sift_snapshot *snap, sift_obs *obs)
{
    if (!(snap->counted >> SIFT_TCP_TIME_WAIT & 1u))
        return 0;
    obs->value = snap->counts[SIFT_TCP_TIME_WAIT];
    return 1;
}

/* ---- companions ------------------------------------------------------------ */

/* The RD Gateway service as Service Control Manager names it: its display
 * name in English and on ja-JP, or its service name. */
static int is_gateway_service(sift_slice name)
{
    static const sift_slice names[] = { SIFT_LIT("Remote Desktop Gateway"), SIFT_LIT("TSGateway"),
                                        SIFT_LIT("リモート デスクトップ ゲートウェイ") };
    name = sift_slice_trim(name);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (sift_slice_eq_nocase(name, names[i]))
            return 1;
    return 0;
}

/* SCM 7031/7034 carry the service's key name in their Binary, UTF-16LE. */
static int binary_names_gateway(sift_slice bin)
{
    static const char key[] = "TSGateway";
    const size_t n = sizeof key - 1;
    if (bin.len < 2 * n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (sift_ascii_lower(bin.ptr[2 * i]) != sift_ascii_lower((uint8_t)key[i]) || bin.ptr[2 * i + 1] != 0)
            return 0;
    return bin.len < 2 * n + 2 || (bin.ptr[2 * n] == 0 && bin.ptr[2 * n + 1] == 0);
}

/* Records that go with a TSGateway crash (A.3) but are not the crash: WER
 * 1001 repeating it, Service Control Manager 7031/7034 for the service,
 * TerminalServices-Gateway 700 (an exception; the gateway restarts). The
 * key is the event id. */
static int verify_rdgw_companion(const sift_event *ev, sift_obs *obs)
{
    sift_slice p = sift_slice_trim(ev->provider);
    int ok;
    if (ev->id == 1001)
        ok = sift_slice_eq_nocase(p, SIFT_LIT("Windows Error Reporting")) &&
             sift_slice_eq_nocase(sift_slice_trim(ev->fld[SIFT_FLD_APP_NAME]), SIFT_LIT("svchost.exe_TSGateway")) &&
             is_access_violation(ev->fld[SIFT_FLD_EXCEPTION_CODE]);
    else if (ev->id == 7031 || ev->id == 7034)
        ok = sift_slice_eq_nocase(p, SIFT_LIT("Service Control Manager")) &&
             (is_gateway_service(ev->fld[SIFT_FLD_SERVICE]) || binary_names_gateway(ev->binary));
    else
        ok = ev->id == 700 && sift_slice_eq_nocase(p, SIFT_LIT("Microsoft-Windows-TerminalServices-Gateway"));
    obs->key = ev->id;
    return ok;
}

/* ---- verdicts: what is known about the host ------------------------------------ */

static void add_metric(sift_finding *f, sift_metric m)
{
    if (f->n_m < SIFT_METRICS_MAX)
        f->m[f->n_m++] = m;
}

static void add_str(sift_finding *f, const char *name, const char *v)
{
    add_metric(f, (sift_metric){ .name = name, .type = SIFT_M_STR, .is_null = v == NULL,
                                 .s = v ? sift_slice_make(v, strlen(v)) : (sift_slice){ NULL, 0 } });
}

static const sift_metric *metric(const sift_finding *f, const char *name)
{
    for (size_t i = 0; i < f->n_m; i++)
        if (strcmp(f->m[i].name, name) == 0)
            return &f->m[i];
    return NULL;
}

static uint64_t metric_u(const sift_finding *f, const char *name)
{
    const sift_metric *m = metric(f, name);
    return m && !m->is_null ? m->u : 0;
}

/* The finding of rule `id` on f's host, or NULL. */
static const sift_finding *sibling(const sift_finding *f, const char *id)
{
    for (size_t i = 0; i < f->n_host_findings; i++)
        if (strcmp(sift_rules[f->host_findings[i].rule].id, id) == 0)
            return &f->host_findings[i];
    return NULL;
}

/* Text for metrics and links, laid out one after another in the caller's
 * buffer. */
typedef struct textbuf {
    char *p;
    size_t cap, used;
} textbuf;

static const char *tprintf(textbuf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *tprintf(textbuf *t, const char *fmt, ...)
{
    if (t->used >= t->cap)
        return "";
    char *at = t->p + t->used;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(at, t->cap - t->used, fmt, ap);
    va_end(ap);
    if (k < 0)
        return "";
    t->used += (size_t)k < t->cap - t->used ? (size_t)k + 1 : t->cap - t->used;
    return at;
}

static int contains_nocase(sift_slice s, const char *z)
{
    return sift_slice_find_nocase(s, sift_slice_make(z, strlen(z))) < s.len;
}

static int has_kb(const sift_host_fact *facts, uint32_t kb)
{
    for (size_t i = 0; facts && i < facts->n_kbs; i++)
        if (facts->kbs[i] == kb)
            return 1;
    return 0;
}

/* Windows 6.0/6.1 as the 497-day verdict tells them apart. */
enum { OS_UNKNOWN = -1, OS_NOT_6X = 0, OS_60 = 60, OS_61 = 61 };

/* Where only the product name is known ("Windows Server 2008 R2
 * Enterprise", "Microsoft Windows 7 Professional"). */
static int os_from_name(sift_slice name)
{
    /* 6013's Binary writes "Server (R) 2008"; the registry "Server® 2008",
     * which reaches here as "Server? 2008": "2008" covers them all. The
     * 2011 servers (SBS, Home Server, MultiPoint) and Windows 7's embedded
     * editions are 6.1; XP and 2003 have another TCP/IP stack. */
    static const char *const v61[] = { "Windows 7", "2008 R2", "2011", "Embedded Standard 7", "POSReady 7",
                                       "Thin PC" };
    static const char *const v60[] = { "Vista", "2008" };
    static const char *const newer[] = { "Windows 8", "Windows 10", "Windows 11", "2012", "2016", "2019",
                                         "2022", "2025", "Windows XP", "2003" };
    for (size_t i = 0; i < sizeof newer / sizeof newer[0]; i++)
        if (contains_nocase(name, newer[i]))
            return OS_NOT_6X;
    for (size_t i = 0; i < sizeof v61 / sizeof v61[0]; i++)
        if (contains_nocase(name, v61[i]))
            return OS_61;
    for (size_t i = 0; i < sizeof v60 / sizeof v60[0]; i++)
        if (contains_nocase(name, v60[i]))
            return OS_60;
    return OS_UNKNOWN;
}

static int os_6x(const sift_host_fact *facts)
{
    if (!facts || !(facts->major || facts->os_name.len))
        return OS_UNKNOWN;
    if (!facts->major)
        return os_from_name(facts->os_name);
    if (facts->major != 6 || facts->minor > 1)
        return OS_NOT_6X;
    return facts->minor == 0 ? OS_60 : OS_61;
}

#define KB_497 2553549u    /* the hotfix itself: Vista/7/2008/2008 R2 */
#define KB_MS12_032 2688338u /* MS12-032: fixes 7 and 2008 R2 only (B.4) */

/* The 497-day bug is in the tcpip.sys of Windows 6.0 and 6.1 only (Vista,
 * 7, Server 2008, 2008 R2), and KB2553549, or on 6.1 MS12-032 (KB2688338),
 * fixes it (B.4). A host known not to be affected, or known to be patched,
 * is told so at info; one whose OS or patches are unknown keeps its
 * severity and says what is unknown. */
typedef struct uptime_view {
    int os;        /* OS_* */
    int patched;   /* by fix_kb */
    int fix_state; /* 1 absent for sure, -1 unknown, 0 patched or not needed */
    const char *fix, *fix_why;
} uptime_view;

static uptime_view judge_uptime(const sift_host_fact *facts)
{
    uptime_view v = { .os = os_6x(facts), .fix_state = -1 };
    int list = facts && (facts->n_kbs || facts->kbs_complete);
    int complete = list && facts->kbs_complete;
    if (v.os == OS_NOT_6X) {
        v.fix = "not needed";
        v.fix_state = 0;
    } else if (has_kb(facts, KB_497)) {
        v.fix = "KB2553549";
        v.patched = 1;
        v.fix_state = 0;
    } else if (has_kb(facts, KB_MS12_032) && v.os == OS_61) {
        v.fix = "KB2688338";
        v.patched = 1;
        v.fix_state = 0;
    } else if (has_kb(facts, KB_MS12_032)) {
        /* MS12-032 was not confirmed to fix 6.0: only KB2553549 counts there. */
        v.fix = complete && v.os == OS_60 ? "absent" : "unknown";
        v.fix_state = complete && v.os == OS_60 ? 1 : -1;
        v.fix_why = v.os == OS_60 ? "KB2553549 is not installed, and KB2688338 (MS12-032) does not fix Windows 6.0"
                                  : "KB2688338 (MS12-032) fixes Windows 6.1 only, and the OS is unknown";
        if (v.os == OS_60 && !complete)
            v.fix_why = "KB2688338 (MS12-032) does not fix Windows 6.0, and KB2553549 is not in the truncated "
                        "hotfix list";
    } else if (complete) {
        v.fix = "absent";
        v.fix_state = 1;
        v.fix_why = "neither KB2553549 nor KB2688338 (MS12-032) is in the hotfix list";
    } else {
        v.fix = "unknown";
        v.fix_why = list ? "the hotfix list is truncated and names neither KB2553549 nor KB2688338"
                         : "no hotfix list is known for the host";
    }
    return v;
}

static void chain_uptime(const sift_host_fact *facts, sift_finding *f, const uptime_view *v, textbuf *t);

static void verdict_uptime(const sift_host_fact *facts, sift_finding *f, char *buf, size_t cap)
{
    textbuf t = { buf, cap, 0 };
    uptime_view v = judge_uptime(facts);
    if (v.os != OS_UNKNOWN)
        f->facts_used |= SIFT_FACTS_OS;
    if (facts && (facts->n_kbs || facts->kbs_complete) && v.os != OS_NOT_6X)
        f->facts_used |= SIFT_FACTS_KBS;
    if (facts && (facts->major || facts->os_name.len)) {
        if (facts->os_name.len)
            add_metric(f, (sift_metric){ .name = "os", .type = SIFT_M_STR, .s = facts->os_name });
        if (facts->os_version.len)
            add_metric(f, (sift_metric){ .name = "os_version", .type = SIFT_M_STR, .s = facts->os_version });
    }
    add_metric(f, (sift_metric){ .name = "os_affected", .type = SIFT_M_BOOL, .is_null = v.os == OS_UNKNOWN,
                                 .u = v.os == OS_60 || v.os == OS_61 });
    add_str(f, "fix", v.fix);
    const char *why;
    if (v.os == OS_NOT_6X) {
        if (facts->major)
            why = tprintf(&t, "not affected: Windows %u.%u is not Vista, 7, Server 2008 or 2008 R2 (6.0/6.1)",
                          facts->major, facts->minor);
        else
            why = tprintf(&t, "not affected: %.*s is not Vista, 7, Server 2008 or 2008 R2 (6.0/6.1)",
                          (int)(facts->os_name.len > 120 ? 120 : facts->os_name.len),
                          (const char *)facts->os_name.ptr);
    } else if (v.patched) {
        why = strcmp(v.fix, "KB2553549") == 0
                  ? "patched: KB2553549 is installed"
                  : "patched: MS12-032 (KB2688338) is installed, which fixes Windows 7 and Server 2008 R2 (6.1)";
    } else {
        const char *os = v.os == OS_UNKNOWN
                             ? "OS unknown: the bug affects Windows Vista, 7, Server 2008 and 2008 R2 (6.0/6.1) only"
                             : "the host runs Windows 6.0/6.1 (Vista, 7, Server 2008, 2008 R2), which the bug affects";
        why = tprintf(&t, "%s; fix %s: %s", os, v.fix, v.fix_why);
    }
    if ((v.os == OS_NOT_6X || v.patched) && f->severity > SIFT_SEV_INFO)
        f->severity = SIFT_SEV_INFO;
    add_str(f, "verdict", why);
    chain_uptime(facts, f, &v, &t);
}

/* A link of f's chain, seen at ev (NULL: nowhere). */
static void link_at(sift_finding *f, const char *name, int holds, const char *says, const sift_evidence *ev)
{
    if (f->n_links >= SIFT_LINKS_MAX)
        return;
    f->links[f->n_links++] = (sift_link){ .name = name, .holds = holds, .says = sift_slice_make(says, strlen(says)),
                                          .has_ev = ev != NULL, .ev = ev ? *ev : (sift_evidence){ 0 } };
}

/* A link seen where finding g was seen last. */
static void link_to(sift_finding *f, const char *name, const char *says, const sift_finding *g)
{
    link_at(f, name, 1, says, g->n_ev ? &g->ev[g->n_ev - 1] : NULL);
}

/* Past 497.1 days on an OS not known to be spared, without a fix known to
 * be installed, TIME_WAIT piling up on the same host is the bug at work
 * (D, evidence chain): the two findings become one, critical, that states
 * each link with where it was seen. A link not known (the OS, the fix)
 * says so; one known to fail breaks the chain. */
static void chain_uptime(const sift_host_fact *facts, sift_finding *f, const uptime_view *v, textbuf *t)
{
    const sift_finding *tw = sibling(f, "timewait-exhaustion");
    uint64_t up = metric_u(f, "uptime_s"), limit = metric_u(f, "threshold_s");
    if (!tw || tw->severity == SIFT_SEV_NONE || v->os == OS_NOT_6X || v->patched || !limit || up < limit)
        return;
    f->absorbed |= 1u << tw->rule;
    f->severity = SIFT_SEV_CRITICAL;
    link_to(f, "uptime",
            tprintf(t, "uptime %llu s (%llu.%llu days) reported, past 2^32 x 10 ms = 497.1 days",
                    (unsigned long long)up, (unsigned long long)(up / 86400),
                    (unsigned long long)(up % 86400 * 10 / 86400)),
            f);
    int os_known = v->os != OS_UNKNOWN;
    const char *os = "unknown: no inventory or Event 6013 states the OS";
    if (os_known && facts->os_name.len)
        os = tprintf(t, "Windows 6.%d (%.*s), which the bug affects", v->os == OS_60 ? 0 : 1,
                     (int)(facts->os_name.len > 120 ? 120 : facts->os_name.len), (const char *)facts->os_name.ptr);
    else if (os_known)
        os = tprintf(t, "Windows 6.%d, which the bug affects", v->os == OS_60 ? 0 : 1);
    link_at(f, "os", os_known ? 1 : -1, os, os_known ? &facts->os_where : NULL);
    int list = facts && (facts->n_kbs || facts->kbs_complete);
    link_at(f, "fix", v->fix_state > 0 ? 1 : -1, tprintf(t, "%s: %s", v->fix, v->fix_why), list ? &facts->kbs_where : NULL);
    uint64_t pct = metric_u(tw, "pct_max");
    const sift_metric *rising = metric(tw, "rising");
    link_to(f, "time_wait",
            tprintf(t, "TIME_WAIT at %llu of %llu ports (%llu %%) over %llu snapshots%s",
                    (unsigned long long)metric_u(tw, "time_wait_max"), (unsigned long long)metric_u(tw, "port_range"),
                    (unsigned long long)pct, (unsigned long long)metric_u(tw, "snapshots"),
                    rising && rising->u ? ", rising" : ""),
            tw);
    const sift_finding *tcpip = sibling(f, "tcpip-port-exhaustion");
    if (tcpip && tcpip->severity != SIFT_SEV_NONE)
        link_to(f, "tcpip",
                tprintf(t, "Tcpip reported %llu port-reuse (4227) and %llu exhaustion (4231) events",
                        (unsigned long long)metric_u(tcpip, "event_4227"),
                        (unsigned long long)metric_u(tcpip, "event_4231")),
                tcpip);
}

/* ---- the RD Gateway verdict ----------------------------------------------------- */

/* Per OS, the build of the July 9, 2024 update that brought the crash and of
 * the October 8, 2024 update that fixed it (A.2: CVE-2024-38015 and
 * CVE-2024-38262/43582 builds). */
typedef struct rdgw_line {
    uint16_t major, minor;
    uint32_t build, july, october;
    const char *name;
} rdgw_line;

static const rdgw_line rdgw_lines[] = {
    { 10, 0, 20348, 2582, 2762, "Server 2022" },  { 10, 0, 25398, 1009, 1189, "Server 2022 23H2" },
    { 10, 0, 17763, 6054, 6414, "Server 2019" },  { 10, 0, 14393, 7159, 7428, "Server 2016" },
    { 6, 3, 9600, 22074, 22221, "Server 2012 R2" }, { 6, 2, 9200, 24975, 25118, "Server 2012" },
};

/* Cumulative updates a hotfix list names (the latest is listed; older ones
 * are superseded): July, August and September 2024 are in the window,
 * October is fixed. From A.2: 2019's July and August KBs are verified
 * there, the rest are its [M] entries. */
typedef struct rdgw_kb {
    uint32_t kb;
    uint32_t build; /* of the OS line */
    uint8_t month;  /* 7..10 of 2024 */
} rdgw_kb;

static const rdgw_kb rdgw_kbs[] = {
    { 5040437, 20348, 7 }, { 5041160, 20348, 8 }, { 5042881, 20348, 9 }, { 5044281, 20348, 10 },
    { 5040430, 17763, 7 }, { 5041578, 17763, 8 }, { 5043050, 17763, 9 }, { 5044277, 17763, 10 },
    { 5040434, 14393, 7 }, { 5041773, 14393, 8 }, { 5043051, 14393, 9 }, { 5044293, 14393, 10 },
    { 5040456, 9600, 7 },  { 5044343, 9600, 10 },  { 5040485, 9200, 7 },  { 5044342, 9200, 10 },
};

static const rdgw_line *line_of(uint32_t major, uint32_t minor, uint32_t build)
{
    for (size_t i = 0; i < sizeof rdgw_lines / sizeof rdgw_lines[0]; i++)
        if (rdgw_lines[i].major == major && rdgw_lines[i].minor == minor && rdgw_lines[i].build == build)
            return &rdgw_lines[i];
    return NULL;
}

/* "10.0.20348.2582" (a file or OS version) into its four parts; 1 when it
 * has them. */
static int four_part(sift_slice v, uint32_t part[4])
{
    v = sift_slice_trim(v);
    size_t i = 0;
    for (unsigned k = 0; k < 4; k++) {
        size_t start = i;
        part[k] = 0;
        while (i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9' && part[k] < 10000000u)
            part[k] = part[k] * 10 + (uint32_t)(v.ptr[i++] - '0');
        if (i == start || (k < 3 && (i >= v.len || v.ptr[i] != '.')))
            return 0;
        i++;
    }
    return 1;
}

enum { WIN_UNKNOWN = 0, WIN_BEFORE, WIN_IN, WIN_FIXED };

typedef struct rdgw_view {
    int window;           /* WIN_* */
    const rdgw_line *line;
    uint32_t ubr;         /* 0: from a KB, no build */
    uint8_t month;        /* a KB's */
    uint32_t kb;
    const char *from;     /* "os", "hotfix", "module_version", "application_version" */
} rdgw_view;

static int window_of(const rdgw_line *l, uint32_t ubr)
{
    return ubr < l->july ? WIN_BEFORE : ubr < l->october ? WIN_IN : WIN_FIXED;
}

/* The host's build against the window: the OS build with its revision
 * when an inventory states it; else the newest cumulative update its
 * hotfix list names; else the newer of the faulting module's and the
 * application's file versions, which are at least the update that last
 * replaced them. */
static rdgw_view judge_rdgw(const sift_host_fact *facts, const sift_finding *f)
{
    rdgw_view v = { 0 };
    const rdgw_line *os = NULL;
    uint32_t part[4];
    if (facts && facts->major) {
        os = line_of(facts->major, facts->minor, facts->build);
        uint32_t ubr = facts->ubr;
        if (!ubr && four_part(facts->os_version, part) && part[0] == facts->major && part[1] == facts->minor &&
            part[2] == facts->build)
            ubr = part[3];
        if (os && ubr) {
            v = (rdgw_view){ window_of(os, ubr), os, ubr, 0, 0, "os" };
            return v;
        }
        if (!os) {
            v.from = "os";
            return v; /* an OS the regression is not known on */
        }
    }
    for (size_t i = 0; facts && i < sizeof rdgw_kbs / sizeof rdgw_kbs[0]; i++) {
        const rdgw_kb *k = &rdgw_kbs[i];
        if (!has_kb(facts, k->kb) || (os && os->build != k->build) || k->month <= v.month)
            continue;
        for (size_t l = 0; l < sizeof rdgw_lines / sizeof rdgw_lines[0]; l++)
            if (rdgw_lines[l].build == k->build)
                v.line = &rdgw_lines[l];
        v.month = k->month;
        v.kb = k->kb;
        v.window = k->month >= 10 ? WIN_FIXED : WIN_IN;
        v.from = "hotfix";
    }
    if (v.month)
        return v;
    static const char *const names[] = { "module_version", "application_version" };
    for (size_t i = 0; i < 2; i++) {
        const sift_metric *m = metric(f, names[i]);
        if (!m || m->is_null || m->type != SIFT_M_STR || !four_part(m->s, part))
            continue;
        const rdgw_line *l = line_of(part[0], part[1], part[2]);
        if (!l || (os && l != os) || (v.line && (l != v.line || part[3] <= v.ubr)))
            continue;
        v = (rdgw_view){ window_of(l, part[3]), l, part[3], 0, 0, names[i] };
    }
    return v;
}

static const char *const month_names[] = { "", "", "", "", "", "", "", "July", "August", "September", "October" };

static void verdict_rdgw(const sift_host_fact *facts, sift_finding *f, char *buf, size_t cap)
{
    textbuf t = { buf, cap, 0 };
    const int stand_in = sift_rules[f->rule].part_of != NULL;
    const sift_finding *comp = f;
    if (!stand_in) {
        size_t c = sift_rule_index("rdgw-companion");
        comp = NULL;
        for (size_t i = 0; i < f->n_host_findings && c != SIZE_MAX; i++)
            if (f->host_findings[i].rule == c)
                comp = &f->host_findings[i];
        if (comp)
            f->absorbed |= 1u << comp->rule;
    }
    static const char *const comp_names[] = { "wer_1001", "scm_7031", "scm_7034", "gateway_700" };
    uint64_t counts[4], n_comp = 0;
    for (size_t i = 0; i < 4; i++)
        n_comp += counts[i] = comp ? metric_u(comp, comp_names[i]) : 0;
    if (stand_in) {
        /* The crash rule's metrics, none of them known, then the companions. */
        f->n_m = 0;
        add_metric(f, (sift_metric){ .name = "crashes", .type = SIFT_M_U64, .u = 0 });
        add_metric(f, (sift_metric){ .name = "median_interval_s", .type = SIFT_M_I64, .is_null = 1 });
        add_metric(f, (sift_metric){ .name = "periodic", .type = SIFT_M_BOOL, .u = 0 });
        static const char *const unknown[] = { "exception", "module", "module_version", "application_version" };
        for (size_t i = 0; i < 4; i++)
            add_str(f, unknown[i], NULL);
    }
    for (size_t i = 0; i < 4; i++)
        add_metric(f, (sift_metric){ .name = comp_names[i], .type = SIFT_M_U64, .u = counts[i] });
    rdgw_view v = judge_rdgw(facts, f);
    if (v.from && strcmp(v.from, "os") == 0)
        f->facts_used |= SIFT_FACTS_OS;
    if (v.kb)
        f->facts_used |= SIFT_FACTS_KBS;
    const char *build = NULL, *why;
    if (v.line && !v.kb)
        build = tprintf(&t, "%u.%u.%u.%u", v.line->major, v.line->minor, v.line->build, v.ubr);
    add_str(f, "build", build);
    add_str(f, "build_from", v.kb ? tprintf(&t, "hotfix KB%u", v.kb) : v.from);
    static const char *const windows[] = { "unknown", "before", "in", "fixed" };
    add_str(f, "window", windows[v.window]);
    add_str(f, "confidence", stand_in ? "low" : n_comp ? "high" : "medium");
    const char *what = v.kb ? tprintf(&t, "the %s 2024 update (KB%u) for %s", month_names[v.month], v.kb, v.line->name)
                     : build ? tprintf(&t, "build %s (%s, from %s)", build, v.line->name,
                                       strcmp(v.from, "os") == 0            ? "the OS version"
                                       : strcmp(v.from, "module_version") == 0 ? "the faulting module's file version"
                                                                               : "the application's file version")
                             : NULL;
    switch (v.window) {
    case WIN_IN:
        why = tprintf(&t, "confirmed: %s is in the window the July 2024 update opened and the October 8, 2024 "
                          "update closed",
                      what);
        break;
    case WIN_FIXED:
        why = tprintf(&t, "%s has the October 8, 2024 fix for the known crash: these crashes have another cause",
                      what);
        break;
    case WIN_BEFORE:
        why = tprintf(&t, "%s predates the July 2024 update that brought the known crash: these crashes have "
                          "another cause",
                      what);
        break;
    default:
        why = v.from ? tprintf(&t, "build unknown: Windows %u.%u.%u is not one the July 2024 regression is known on",
                               facts->major, facts->minor, facts->build)
                     : "build unknown: no OS build, cumulative update or file version places the host in the "
                       "July-October 2024 window";
    }
    add_str(f, "verdict", stand_in ? tprintf(&t, "no crash record: Service Control Manager saw the Remote Desktop "
                                                 "Gateway service terminate unexpectedly; %s",
                                             why)
                                   : why);
    /* Not the known bug: still crashes, one step lower. */
    if ((v.window == WIN_FIXED || v.window == WIN_BEFORE) && f->severity > SIFT_SEV_LOW)
        f->severity = (sift_severity)(f->severity - 1);
}

/* ---- the table ---------------------------------------------------------------- */

#define WRAP_S 42949673ull /* ceil(2^32 x 10 ms): 497.1 days */

/* "Gateway" is in every record of the crash and of its companions
 * (svchost.exe_TSGateway in Event 1000 and WER 1001, "Remote Desktop
 * Gateway" in SCM's messages, "RD Gateway" in the gateway's own), and one
 * literal keeps the prefilter within its eight (test_match): the companion
 * rule has no triggers of its own and rides on these. ja-JP SCM messages
 * name the service ゲートウェイ. */
static const sift_pattern rdgw_triggers[] = {
    { "Gateway", SIFT_PAT_CASELESS, SIFT_ROLE_TRIGGER, 0, { 0 } },
    { "ゲートウェイ", 0, SIFT_ROLE_TRIGGER, 0, { 0 } },
};

static const sift_periodic_params rdgw_params = {
    .max_times = 4096,
    .min_intervals = 2,
    .min_median_s = 60,
    .tolerance_pct = 25,
    .severity = SIFT_SEV_HIGH,
    .periodic_severity = SIFT_SEV_CRITICAL,
    .count_name = "crashes",
    .attr_names = { "exception", "module", "module_version", "application_version" },
};

static const char rdgw_remediation[] =
    "The RD Gateway service (svchost.exe_TSGateway) crashes with 0xc0000005 when clients use the "
    "legacy RPC-over-HTTP transport, a regression of the July 9, 2024 updates. Install the "
    "October 8, 2024 cumulative update or later (OS build 20348.2762 on Server 2022, 17763.6414 on "
    "2019, 14393.7428 on 2016, 6.3.9600.22221 on 2012 R2, 6.2.9200.25118 on 2012). Until then, "
    "either block connections over the pipe and port \\pipe\\RpcProxy\\3388 through the RD Gateway "
    "with firewall software, or on client devices set the DWORD RDGClientTransport under "
    "HKEY_CURRENT_USER\\Software\\Microsoft\\Terminal Server Client to 0x0 so that they stop using "
    "RPC-over-HTTP.";

/* Records seen, per kind. With crash records they only corroborate; a host
 * whose gateway service Service Control Manager saw die, with no crash
 * record at all (a System log without the Application log), is reported
 * from those (medium, at low confidence). WER and the gateway's own event
 * repeat a crash: alone they are not enough. */
static const sift_keyed_params companion_params = {
    .n = 4,
    .keys = { 1001, 7031, 7034, 700 },
    .severity = { SIFT_SEV_NONE, SIFT_SEV_MEDIUM, SIFT_SEV_MEDIUM, SIFT_SEV_NONE },
    .names = { "wer_1001", "scm_7031", "scm_7034", "gateway_700" },
};

static const sift_peak_params uptime_params = {
    .threshold = WRAP_S,
    .warn = 450ull * 86400u,
    .over_severity = SIFT_SEV_CRITICAL,
    .warn_severity = SIFT_SEV_MEDIUM,
    .value_name = "uptime_s",
    .days_name = "uptime_days",
    .threshold_name = "threshold_s",
    .at_name = "reported_at",
    .crossing_name = "crosses_497_at",
    .drop_name = "rebooted_since",
};

static const sift_ratio_params timewait_params = {
    .denominator = 16384, /* 49152-65535, Vista and later */
    .max_samples = 256,
    .warn_pct = 50,
    .crit_pct = 90,
    .rising_steps = 3,
    .warn_severity = SIFT_SEV_MEDIUM,
    .crit_severity = SIFT_SEV_CRITICAL,
    .rising_severity = SIFT_SEV_LOW,
    .last_name = "time_wait",
    .max_name = "time_wait_max",
    .denominator_name = "port_range",
    .pct_name = "pct_max",
    .max_at_name = "max_at",
    .samples_name = "snapshots",
    .rising_name = "rising",
};

static const sift_setting timewait_settings[] = {
    { "port_range", offsetof(sift_ratio_params, denominator), 1, 65536 },
};

static const sift_keyed_params tcpip_params = {
    .n = 2,
    .keys = { 4227, 4231 },
    .severity = { SIFT_SEV_MEDIUM, SIFT_SEV_HIGH },
    .names = { "event_4227", "event_4231" },
};

const sift_rule sift_rules[] = {
    {
        .id = "rdgw-crash",
        .title = "RD Gateway (TSGateway) crash loop after the July 2024 updates",
        .remediation = rdgw_remediation,
        .needs = { { "Application Error" }, { 1000 }, 1, rdgw_triggers,
                   sizeof rdgw_triggers / sizeof rdgw_triggers[0] },
        .verify = verify_rdgw_crash,
        .agg = &sift_agg_periodic,
        .params = &rdgw_params,
        .verdict = verdict_rdgw,
    },
    {
        /* Right after the rule it is part of, so that standing in for it
         * keeps the order findings are printed in. */
        .id = "rdgw-companion",
        .title = "RD Gateway crash companions: WER 1001, SCM 7031/7034, TerminalServices-Gateway 700",
        .remediation = rdgw_remediation,
        .needs = { { "Windows Error Reporting", "Service Control Manager",
                     "Microsoft-Windows-TerminalServices-Gateway" },
                   { 1001, 7031, 7034, 700 }, 4, NULL, 0 },
        .verify = verify_rdgw_companion,
        .agg = &sift_agg_keyed,
        .params = &companion_params,
        .verdict = verdict_rdgw,
        .part_of = "rdgw-crash",
    },
    {
        .id = "uptime-497",
        .title = "Uptime at or near the 497-day TIME_WAIT bug",
        .remediation =
            "Windows Vista, 7, Server 2008 and 2008 R2 stop closing TIME_WAIT connections after "
            "2^32 x 10 ms = 497.1 days of uptime, until ephemeral ports run out (AD replication, group "
            "policy, SQL and file shares fail). Restart the host before it crosses 497.1 days, and install "
            "KB2553549 or MS12-032 (KB2688338) on Windows 7 / Server 2008 R2, or any later tcpip.sys "
            "update. Windows 8 / Server 2012 and later are not affected.",
        .needs = { { "EventLog" }, { 6013 }, 1, NULL, 0 },
        .verify = verify_uptime,
        .verify_fact = verify_uptime_fact,
        .agg = &sift_agg_peak,
        .params = &uptime_params,
        .verdict = verdict_uptime,
    },
    {
        .id = "timewait-exhaustion",
        .title = "TIME_WAIT connections filling the dynamic port range",
        .remediation =
            "TIME_WAIT connections are using up the dynamic (ephemeral) port range of {port_range} ports; "
            "check it with `netsh int ipv4 show dynamicport tcp` (Windows Vista and later default to "
            "49152-65535). On Vista/7/2008/2008 R2 hosts past 497 days of uptime this is the KB2553549 bug: "
            "restart the host and install KB2553549 or MS12-032 (KB2688338). Otherwise find the process "
            "opening outbound connections at a high rate.",
        .needs = { { NULL }, { 0 }, 0, NULL, 0 },
        .verify_table = verify_timewait,
        .agg = &sift_agg_ratio,
        .params = &timewait_params,
        .settings = timewait_settings,
        .n_settings = sizeof timewait_settings / sizeof timewait_settings[0],
    },
    {
        .id = "tcpip-port-exhaustion",
        .title = "Tcpip reported ephemeral port exhaustion (events 4227/4231)",
        .remediation =
            "Tcpip event 4231 means no ephemeral TCP port could be allocated; 4227 means a local endpoint "
            "had to be reused while still in TIME_WAIT. Check TIME_WAIT counts (netstat -ano), the dynamic "
            "port range (netsh int ipv4 show dynamicport tcp), and on Vista/7/2008/2008 R2 the 497-day "
            "uptime bug (KB2553549, MS12-032/KB2688338).",
        .needs = { { "Tcpip", "Microsoft-Windows-Tcpip" }, { 4227, 4231 }, 2, NULL, 0 },
        .verify = verify_tcpip,
        .agg = &sift_agg_keyed,
        .params = &tcpip_params,
    },
};

const size_t sift_rule_count = sizeof sift_rules / sizeof sift_rules[0];

_Static_assert(sizeof sift_rules / sizeof sift_rules[0] <= SIFT_MAX_RULES, "too many rules for the host table");

size_t sift_rule_index(const char *id)
{
    for (size_t r = 0; r < sift_rule_count; r++)
        if (strcmp(sift_rules[r].id, id) == 0)
            return r;
    return SIZE_MAX;
}

uint32_t sift_rule_family(size_t r)
{
    uint32_t mask = r < sift_rule_count ? 1u << r : 0;
    for (size_t c = 0; r < sift_rule_count && c < sift_rule_count; c++)
        if (sift_rules[c].part_of && strcmp(sift_rules[c].part_of, sift_rules[r].id) == 0)
            mask |= 1u << c;
    return mask;
}

size_t sift_rule_printed(size_t r)
{
    size_t p = r < sift_rule_count && sift_rules[r].part_of ? sift_rule_index(sift_rules[r].part_of) : SIZE_MAX;
    return p != SIZE_MAX ? p : r;
}

int sift_rule_wants(const sift_rule *r, sift_slice provider, uint16_t id)
{
    int id_ok = 0;
    for (unsigned i = 0; i < r->needs.n_ids; i++)
        id_ok |= r->needs.ids[i] == id;
    if (!id_ok)
        return 0;
    provider = sift_slice_trim(provider);
    for (unsigned i = 0; i < SIFT_RULE_MAX_PROVIDERS && r->needs.providers[i]; i++)
        if (sift_slice_eq_nocase(provider, sift_slice_make(r->needs.providers[i], strlen(r->needs.providers[i]))))
            return 1;
    return 0;
}

/* ---- the rules of a run ------------------------------------------------------------ */

/* Parameters are copied per run so that a setting changes only this run. */
#define PARAMS_MAX 512u

struct sift_ruleset {
    _Alignas(max_align_t) unsigned char params[sizeof sift_rules / sizeof sift_rules[0]][PARAMS_MAX];
    sift_hosts_rule hosts[sizeof sift_rules / sizeof sift_rules[0]];
};

sift_ruleset *sift_ruleset_create(void)
{
    sift_ruleset *rs = calloc(1, sizeof *rs);
    if (!rs)
        return NULL;
    for (size_t r = 0; r < sift_rule_count; r++) {
        const sift_rule *x = &sift_rules[r];
        if (x->agg->params_size > PARAMS_MAX) {
            free(rs);
            return NULL;
        }
        memcpy(rs->params[r], x->params, x->agg->params_size);
        rs->hosts[r] = (sift_hosts_rule){ x->agg, rs->params[r] };
    }
    return rs;
}

void sift_ruleset_free(sift_ruleset *rs)
{
    free(rs);
}

int sift_ruleset_set(sift_ruleset *rs, const char *setting, uint32_t value)
{
    int took = 0;
    for (size_t r = 0; r < sift_rule_count; r++) {
        for (size_t s = 0; s < sift_rules[r].n_settings; s++) {
            const sift_setting *st = &sift_rules[r].settings[s];
            if (strcmp(st->name, setting) != 0)
                continue;
            if (value < st->min || value > st->max)
                return -1;
            memcpy(rs->params[r] + st->offset, &value, sizeof value);
            took++;
        }
    }
    return took;
}

const sift_hosts_rule *sift_ruleset_hosts(const sift_ruleset *rs, size_t *n)
{
    *n = sift_rule_count;
    return rs->hosts;
}

/* v with thousands separators: 16384 -> "16,384". */
static size_t put_grouped(char *buf, size_t cap, uint32_t v)
{
    char digits[16];
    int n = snprintf(digits, sizeof digits, "%u", v);
    size_t o = 0;
    for (int i = 0; i < n && o + 1 < cap; i++) {
        if (i && (n - i) % 3 == 0) {
            buf[o++] = ',';
            if (o + 1 >= cap)
                break;
        }
        buf[o++] = digits[i];
    }
    return o;
}

size_t sift_ruleset_remediation(const sift_ruleset *rs, size_t r, char *buf, size_t cap)
{
    if (cap == 0)
        return 0;
    const sift_rule *x = &sift_rules[r];
    size_t o = 0;
    for (const char *p = x->remediation; *p && o + 1 < cap;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        const sift_setting *hit = NULL;
        for (size_t s = 0; close && s < x->n_settings; s++)
            if (strlen(x->settings[s].name) == (size_t)(close - p - 1) &&
                memcmp(x->settings[s].name, p + 1, (size_t)(close - p - 1)) == 0)
                hit = &x->settings[s];
        if (!hit) {
            buf[o++] = *p++;
            continue;
        }
        uint32_t v;
        memcpy(&v, rs->params[r] + hit->offset, sizeof v);
        o += put_grouped(buf + o, cap - o, v);
        p = close + 1;
    }
    buf[o] = '\0';
    return o;
}
