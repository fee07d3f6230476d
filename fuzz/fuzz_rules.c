/* fuzz_rules.c - random normalized events (and connection-table snapshots)
 * through sift_event_resolve, every rule that wants them and a host table: resolved fields stay slices of the
 * input, verifiers are deterministic, and findings come only from events
 * some rule wanted; host facts (OS builds, KB lists) from the input; every
 * finding judged by its verdict and written as its line (companions and
 * chains absorbed, sources listed); the whole run is deterministic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sift_findings.h"
#include "sift_rules.h"

typedef struct rd {
    const uint8_t *p, *end;
} rd;

static int take(rd *r, size_t n, const uint8_t **out)
{
    if ((size_t)(r->end - r->p) < n)
        return 0;
    *out = r->p;
    r->p += n;
    return 1;
}

/* A length-prefixed piece of the input (cut to what is left). */
static sift_slice piece(rd *r)
{
    const uint8_t *l;
    if (!take(r, 1, &l))
        return (sift_slice){ NULL, 0 };
    size_t n = *l < (size_t)(r->end - r->p) ? *l : (size_t)(r->end - r->p);
    sift_slice s = sift_slice_make(r->p, n);
    r->p += n;
    return s;
}

static const char *const providers[] = { "Application Error",       "application error",
                                         "EventLog",                "EVENTLOG",
                                         "Tcpip",                   "Microsoft-Windows-Tcpip",
                                         "Windows Error Reporting", "Service Control Manager",
                                         "Microsoft-Windows-TerminalServices-Gateway",
                                         " Application Error\r" };
#define N_PROVIDERS (sizeof providers / sizeof providers[0])
static const uint16_t ids[] = { 1000, 6013, 4227, 4231, 1001, 7031, 7034, 700 };
#define N_IDS (sizeof ids / sizeof ids[0])
static const char *const hosts[] = { "RDG01", "rdg01.corp.example.com", "10.0.0.1", "", "fs01", "FS01.corp" };
static const char *const names[] = { "AppName", "ExceptionCode", "ModuleName", "param1", "param5", "P1", "P8",
                                     "Binary" };
/* KB numbers the verdicts know (the 497-day fixes, 2024's cumulative
 * updates) and one they do not. */
static const uint32_t known_kbs[] = { 2553549, 2688338, 5040437, 5044281, 5041578, 5043051, 5040456, 3199986 };
/* OS lines: Vista to 2022 23H2. */
static const uint16_t os_lines[][3] = { { 6, 0, 6002 },  { 6, 1, 7601 },   { 6, 2, 9200 },    { 6, 3, 9600 },
                                        { 10, 0, 14393 }, { 10, 0, 17763 }, { 10, 0, 20348 }, { 10, 0, 25398 } };

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

#define MAX_EVENTS 48u
#define MAX_ITEMS 24u

typedef struct tally {
    uint64_t wanted[SIFT_MAX_RULES]; /* events each rule wanted and verified */
    char out[8192];
    size_t n;
    sift_findings *writer; /* into lines */
    char *lines;
    size_t lines_len;
    FILE *sink;
} tally;

static void on_finding(void *ctx, const sift_finding *f)
{
    tally *t = ctx;
    FUZZ_ASSERT(f->rule < sift_rule_count && f->severity > SIFT_SEV_NONE && f->severity <= SIFT_SEV_CRITICAL);
    FUZZ_ASSERT(f->count >= 1 && f->count <= t->wanted[f->rule]);
    FUZZ_ASSERT(f->n_ev >= 1 && f->n_ev <= SIFT_EVIDENCE_MAX && f->n_ev <= f->count);
    /* Names are bytes (a NUL may be one of them), terminated after host_len. */
    FUZZ_ASSERT(f->host && f->host_len > 0 && f->host_len <= SIFT_HOST_NAME_MAX && f->host[f->host_len] == '\0');
    FUZZ_ASSERT(!f->first_seen.valid || !f->last_seen.valid || f->first_seen.secs <= f->last_seen.secs);
    FUZZ_ASSERT(f->n_m <= SIFT_METRICS_MAX);
    FUZZ_ASSERT(f->n_src <= SIFT_SOURCES_MAX && f->n_src >= 1);
    /* Its host's findings hold it, in rule order. */
    int self = 0;
    for (size_t i = 0; i < f->n_host_findings; i++) {
        self |= &f->host_findings[i] == f;
        FUZZ_ASSERT(i == 0 || f->host_findings[i - 1].rule < f->host_findings[i].rule);
    }
    FUZZ_ASSERT(self);
    /* Judged: a severity still, links within bounds, only the host's other
     * findings absorbed, and what is absorbed never printed at the end. */
    if (sift_rules[f->rule].verdict) {
        static char text[2048];
        sift_finding j = *f;
        sift_rules[f->rule].verdict(f->facts, &j, text, sizeof text);
        FUZZ_ASSERT(j.severity > SIFT_SEV_NONE && j.severity <= SIFT_SEV_CRITICAL);
        FUZZ_ASSERT(j.n_links <= SIFT_LINKS_MAX && j.n_m <= SIFT_METRICS_MAX);
        FUZZ_ASSERT(!(j.absorbed >> f->rule & 1u));
        for (unsigned r = 0; r < sift_rule_count; r++) {
            int there = 0;
            for (size_t i = 0; i < f->n_host_findings; i++)
                there |= f->host_findings[i].rule == r;
            FUZZ_ASSERT(!(j.absorbed >> r & 1u) || there);
        }
    }
    const size_t before = t->lines_len;
    const int wrote = sift_findings_write(t->writer, f, 1, 1);
    FUZZ_ASSERT(wrote == 0 || wrote == 1);
    FUZZ_ASSERT(wrote == (t->lines_len > before));
    int k = snprintf(t->out + t->n, sizeof t->out - t->n, "%u %d %.*s %llu|", f->rule, f->severity,
                     (int)f->host_len, f->host, (unsigned long long)f->count);
    if (k > 0 && (size_t)k < sizeof t->out - t->n)
        t->n += (size_t)k;
}

static void run(const uint8_t *data, size_t size, tally *t)
{
    sift_ruleset *rs = sift_ruleset_create();
    FUZZ_ASSERT(rs);
    size_t n_rules;
    const sift_hosts_rule *hr = sift_ruleset_hosts(rs, &n_rules);
    /* Half the inputs run on a small table that evicts, as live runs do. */
    const int small = size && (data[0] & 1);
    sift_hosts_cfg cfg = { .rules = hr, .n_rules = n_rules, .on_rise = on_finding, .ctx = t,
                           .on_evict = small ? on_finding : NULL, .max_hosts = small ? 2 + data[0] % 8 : 0 };
    sift_hosts *h = sift_hosts_create(&cfg);
    FUZZ_ASSERT(h);
    memset(t, 0, sizeof *t);
    sift_paths *paths = sift_paths_create();
    FUZZ_ASSERT(paths);
    static const char *const formats[] = { "evtext", "evtx", "netstat", NULL };
    for (unsigned i = 0; i < 4; i++)
        FUZZ_ASSERT(sift_paths_intern_as(paths, "input", formats[i]) == i);
    t->sink = open_memstream(&t->lines, &t->lines_len);
    FUZZ_ASSERT(t->sink);
    t->writer = sift_findings_create(t->sink, rs, paths);
    FUZZ_ASSERT(t->writer);
    rd r = { data, data + size };
    const uint8_t *hd;
    for (unsigned e = 0; e < MAX_EVENTS && take(&r, 6, &hd); e++) {
        sift_event ev = { .have = SIFT_EV_ID };
        ev.provider = hd[0] % (N_PROVIDERS + 1) < N_PROVIDERS
                          ? sift_slice_make(providers[hd[0] % (N_PROVIDERS + 1)],
                                            strlen(providers[hd[0] % (N_PROVIDERS + 1)]))
                          : piece(&r);
        ev.id = hd[1] % (N_IDS + 2) < N_IDS ? ids[hd[1] % (N_IDS + 2)] : (uint16_t)(hd[2] | hd[3] << 8);
        if (hd[1] % (N_IDS + 2) == N_IDS + 1)
            ev.have = 0;
        sift_slice host = hd[4] % 7 < 6 ? sift_slice_make(hosts[hd[4] % 7], strlen(hosts[hd[4] % 7])) : piece(&r);
        ev.time = (sift_when){ .secs = 1700000000 + (int64_t)(hd[2] % 16) * 1800, .valid = (hd[5] & 0x80) != 0,
                               .utc = (hd[5] & 0x40) != 0 };
        ev.where = (sift_evidence){ .input = hd[3] % 4, .offset = (uint64_t)(hd - data), .line = e + 1 };
        /* Canonical fields and EventData items from the pieces that follow. */
        sift_data items[MAX_ITEMS];
        sift_slice preset[SIFT_FLD_COUNT] = { { NULL, 0 } };
        size_t n_items = 0;
        for (unsigned i = 0, n = hd[5] & 0x1f; i < n; i++) {
            const uint8_t *kb;
            if (!take(&r, 1, &kb))
                break;
            sift_slice v = piece(&r);
            if (*kb < 0x40)
                preset[*kb % SIFT_FLD_COUNT] = ev.fld[*kb % SIFT_FLD_COUNT] = v;
            else if (n_items < MAX_ITEMS)
                items[n_items++] = (sift_data){ *kb < 0x80 ? (sift_slice){ NULL, 0 }
                                                          : sift_slice_make(names[*kb % 8], strlen(names[*kb % 8])),
                                                v };
        }
        ev.data = items;
        ev.n_data = n_items;
        if (n_items && items[0].name.len == 0)
            ev.binary = items[0].value; /* SCM's Binary names the service */
        sift_event_resolve(&ev);
        for (unsigned f = 0; f < SIFT_FLD_COUNT; f++) {
            FUZZ_ASSERT(fuzz_inside(ev.fld[f].ptr, ev.fld[f].len, data, size));
            if (preset[f].len)
                FUZZ_ASSERT(ev.fld[f].ptr == preset[f].ptr && ev.fld[f].len == preset[f].len);
        }
        for (size_t ri = 0; ri < sift_rule_count; ri++) {
            const sift_rule *rule = &sift_rules[ri];
            if (!rule->verify || !(ev.have & SIFT_EV_ID) || !sift_rule_wants(rule, ev.provider, ev.id))
                continue;
            sift_obs a = { .when = ev.time }, b = { .when = ev.time };
            const int got = rule->verify(&ev, &a);
            FUZZ_ASSERT(got == 0 || got == 1);
            FUZZ_ASSERT(rule->verify(&ev, &b) == got && a.value == b.value && a.key == b.key);
            for (unsigned k = 0; k < SIFT_OBS_ATTRS; k++)
                FUZZ_ASSERT(a.attr[k].ptr == b.attr[k].ptr && a.attr[k].len == b.attr[k].len);
            if (!got)
                continue;
            t->wanted[ri]++;
            FUZZ_ASSERT(sift_hosts_observe(h, host, (unsigned)ri, &a, ev.where, NULL) == SIFT_OK);
        }
        /* Host facts now and then: KB numbers from the input, merged sorted
         * and unique. */
        if ((hd[5] & 0x60) == 0x60) {
            uint32_t kbs[16];
            size_t n_kbs = hd[2] % 17;
            for (size_t k = 0; k < n_kbs; k++)
                kbs[k] = hd[k % 6] & 1 ? known_kbs[hd[(k + 1) % 6] % 8] : (uint32_t)hd[k % 6] * 1000003u % 4000000u;
            const uint16_t *os = os_lines[hd[4] % 8];
            sift_host_fact fact = { .host = host, .os_name = ev.provider, .kbs = kbs, .n_kbs = n_kbs,
                                    .kbs_complete = hd[3] & 1, .where = ev.where };
            if (hd[3] & 2) {
                fact.major = os[0];
                fact.minor = os[1];
                fact.build = os[2];
                fact.ubr = (uint32_t)(hd[1] | hd[2] << 8) * 2u;
            }
            if (hd[3] & 4)
                fact.os_version = ev.fld[SIFT_FLD_MODULE_VERSION];
            FUZZ_ASSERT(sift_hosts_fact(h, &fact) == SIFT_OK);
            const sift_host_fact *known = sift_hosts_facts(h, host);
            FUZZ_ASSERT(known && known->n_kbs <= SIFT_FACT_MAX_KBS);
            for (size_t k = 1; k < known->n_kbs; k++)
                FUZZ_ASSERT(known->kbs[k - 1] < known->kbs[k]);
            for (size_t k = 0; k < n_kbs; k++)
                FUZZ_ASSERT(bsearch(&kbs[k], known->kbs, known->n_kbs, sizeof kbs[0], cmp_u32));
        }
        /* A connection table now and then, through the table rules, live. */
        if (hd[0] & 0x80) {
            sift_snapshot snap = { .host = host, .time = ev.time, .counted = (uint32_t)(hd[3] * 0x01010101u),
                                   .open = hd[4] & 1, .where = ev.where };
            for (unsigned k = 0; k < SIFT_TCP_STATES; k++)
                snap.counts[k] = (uint64_t)(hd[2] | hd[3] << 8) + k;
            for (size_t ri = 0; ri < sift_rule_count; ri++) {
                const sift_rule *rule = &sift_rules[ri];
                if (!rule->verify_table)
                    continue;
                sift_obs o = { .when = snap.time, .open = snap.open }, o2 = o;
                const int got = rule->verify_table(&snap, &o);
                FUZZ_ASSERT((got == 0 || got == 1) && rule->verify_table(&snap, &o2) == got && o2.value == o.value);
                if (!got)
                    continue;
                uint64_t handle;
                t->wanted[ri]++;
                FUZZ_ASSERT(sift_hosts_observe(h, host, (unsigned)ri, &o, ev.where, &handle) == SIFT_OK);
                FUZZ_ASSERT(sift_hosts_update(h, host, (unsigned)ri, handle, o.value + hd[1], hd[1] & 1) == SIFT_OK);
            }
        }
    }
    /* The report after the live lines; on_finding holds every finding to
     * the events its rule wanted (none wanted: no finding). */
    if (t->n < sizeof t->out - 1)
        t->out[t->n++] = '#';
    FUZZ_ASSERT(sift_hosts_report(h, on_finding, t) != SIZE_MAX);
    sift_hosts_free(h);
    sift_findings_free(t->writer);
    fclose(t->sink);
    /* Lines, each one object on one line; folded into what is compared. */
    size_t newlines = 0;
    for (size_t i = 0; i < t->lines_len; i++)
        newlines += t->lines[i] == '\n';
    FUZZ_ASSERT(t->lines_len == 0 || (t->lines[0] == '{' && t->lines[t->lines_len - 1] == '\n'));
    int k = snprintf(t->out + t->n, sizeof t->out - t->n, "#%zu lines %zu bytes", newlines, t->lines_len);
    if (k > 0 && (size_t)k < sizeof t->out - t->n)
        t->n += (size_t)k;
    free(t->lines);
    t->lines = NULL;
    sift_paths_free(paths);
    sift_ruleset_free(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tally a, b;
    run(data, size, &a);
    run(data, size, &b);
    FUZZ_ASSERT(a.n == b.n && memcmp(a.out, b.out, a.n) == 0);
    return 0;
}
