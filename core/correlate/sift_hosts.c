/* sift_hosts.c - the host table and each rule's aggregation and severity. */
#include "sift_hosts.h"

#include <stdlib.h>
#include <string.h>

#define KEY_MAX 63u

typedef struct rule_state {
    uint64_t count;
    sift_when first, last;
    uint8_t any_local;
    sift_severity reported; /* highest severity already passed to on_rise */
    sift_evidence ev[SIFT_EVIDENCE_MAX];
    uint8_t n_ev;
} rule_state;

typedef struct snap_sample {
    sift_when when;
    uint64_t seq; /* arrival order, to order samples without a time */
    uint64_t tw;
    int open;     /* a live table still arriving: its count may grow */
} snap_sample;

typedef struct host {
    char key[KEY_MAX + 1];
    uint8_t key_len;
    char name[SIFT_HOST_NAME_MAX + 1];
    uint16_t name_len;
    rule_state rs[SIFT_RULE_COUNT];
    /* rdgw-crash */
    int64_t *crash_t; /* dated crashes, seconds */
    uint32_t crash_n, crash_cap;
    char module[SIFT_MODULE_MAX + 1];
    /* uptime-497 */
    uint64_t up_max;
    sift_when up_max_at;
    sift_when up_latest_at;
    uint64_t up_latest;
    /* timewait-exhaustion */
    snap_sample *snaps;
    uint32_t snap_n, snap_cap;
    uint64_t tw_last;
    /* tcpip-port-exhaustion */
    uint64_t n4227, n4231;
} host;

struct sift_hosts {
    sift_hosts_cfg cfg;
    host **slots; /* open addressing, power-of-two size */
    size_t nslots;
    size_t nhosts;
    char **paths;
    size_t npaths, cap_paths;
    uint64_t seq;
    uint64_t dropped;
};

sift_hosts *sift_hosts_create(const sift_hosts_cfg *cfg)
{
    sift_hosts *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->cfg = *cfg;
    if (h->cfg.port_range == 0)
        h->cfg.port_range = SIFT_PORT_RANGE_DEFAULT;
    h->nslots = 256;
    h->slots = calloc(h->nslots, sizeof *h->slots);
    if (!h->slots) {
        free(h);
        return NULL;
    }
    return h;
}

void sift_hosts_free(sift_hosts *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->nslots; i++) {
        if (h->slots[i]) {
            free(h->slots[i]->crash_t);
            free(h->slots[i]->snaps);
            free(h->slots[i]);
        }
    }
    for (size_t i = 0; i < h->npaths; i++)
        free(h->paths[i]);
    free(h->paths);
    free(h->slots);
    free(h);
}

uint32_t sift_hosts_path(sift_hosts *h, const char *path)
{
    /* The scanner interns a path once per stream, so the last one is the hit. */
    if (h->npaths && strcmp(h->paths[h->npaths - 1], path) == 0)
        return (uint32_t)(h->npaths - 1);
    if (h->npaths >= UINT32_MAX - 1)
        return UINT32_MAX;
    if (h->npaths == h->cap_paths) {
        size_t cap = h->cap_paths ? h->cap_paths * 2 : 64;
        char **p = realloc(h->paths, cap * sizeof *p);
        if (!p)
            return UINT32_MAX;
        h->paths = p;
        h->cap_paths = cap;
    }
    char *copy = strdup(path);
    if (!copy)
        return UINT32_MAX;
    h->paths[h->npaths] = copy;
    return (uint32_t)h->npaths++;
}

const char *sift_hosts_path_name(const sift_hosts *h, uint32_t id)
{
    return id < h->npaths ? h->paths[id] : "-";
}

uint64_t sift_hosts_dropped(const sift_hosts *h)
{
    return h->dropped;
}

/* ---- host lookup ---------------------------------------------------------- */

static int is_ip_literal(sift_slice s)
{
    int digits_dots = 1;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] == ':')
            return 1;
        if (!(s.ptr[i] == '.' || (s.ptr[i] >= '0' && s.ptr[i] <= '9')))
            digits_dots = 0;
    }
    return digits_dots;
}

/* The correlation key: lower-case short name, or the whole IP literal. */
static size_t host_key(sift_slice name, char key[KEY_MAX + 1])
{
    size_t n = is_ip_literal(name) ? name.len : sift_slice_find_byte(name, '.');
    if (n > KEY_MAX)
        n = KEY_MAX;
    for (size_t i = 0; i < n; i++)
        key[i] = (char)sift_ascii_lower(name.ptr[i]);
    key[n] = '\0';
    return n;
}

static uint64_t hash_key(const char *k, size_t n)
{
    uint64_t x = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        x = (x ^ (uint8_t)k[i]) * 1099511628211ull;
    return x;
}

static int grow(sift_hosts *h)
{
    size_t n = h->nslots * 2;
    host **s = calloc(n, sizeof *s);
    if (!s)
        return 0;
    for (size_t i = 0; i < h->nslots; i++) {
        host *e = h->slots[i];
        if (!e)
            continue;
        size_t j = hash_key(e->key, e->key_len) & (n - 1);
        while (s[j])
            j = (j + 1) & (n - 1);
        s[j] = e;
    }
    free(h->slots);
    h->slots = s;
    h->nslots = n;
    return 1;
}

/* Prefer the longest spelling (the FQDN), then the smallest bytes, so that
 * the printed name does not depend on the order inputs arrive in. */
static void offer_name(host *e, sift_slice name)
{
    if (name.len > SIFT_HOST_NAME_MAX)
        name.len = SIFT_HOST_NAME_MAX;
    int better = name.len > e->name_len ||
                 (name.len == e->name_len && memcmp(name.ptr, e->name, name.len) < 0);
    if (!better)
        return;
    memcpy(e->name, name.ptr, name.len);
    e->name[name.len] = '\0';
    e->name_len = (uint16_t)name.len;
}

static sift_status find_host(sift_hosts *h, sift_slice name, host **out)
{
    name = sift_slice_trim(name);
    if (name.len == 0)
        name = SIFT_LIT("unknown");
    char key[KEY_MAX + 1];
    size_t klen = host_key(name, key);
    if (klen == 0) /* ".foo" has no short name: file it under "unknown" */
        klen = host_key(SIFT_LIT("unknown"), key);
    size_t mask = h->nslots - 1;
    size_t i = hash_key(key, klen) & mask;
    for (; h->slots[i]; i = (i + 1) & mask) {
        host *e = h->slots[i];
        if (e->key_len == klen && memcmp(e->key, key, klen) == 0) {
            offer_name(e, name);
            *out = e;
            return SIFT_OK;
        }
    }
    if (h->nhosts >= SIFT_MAX_HOSTS) {
        h->dropped++;
        return SIFT_ERR_LIMIT;
    }
    host *e = calloc(1, sizeof *e);
    if (!e)
        return SIFT_ERR_NOMEM;
    memcpy(e->key, key, klen + 1);
    e->key_len = (uint8_t)klen;
    offer_name(e, name);
    h->slots[i] = e;
    h->nhosts++;
    if (h->nhosts * 2 > h->nslots && !grow(h))
        return SIFT_ERR_NOMEM; /* the host is in; the table is just fuller */
    *out = e;
    return SIFT_OK;
}

/* ---- shared per-rule bookkeeping ----------------------------------------- */

static int when_before(sift_when a, sift_when b)
{
    return a.secs < b.secs || (a.secs == b.secs && a.nsec < b.nsec);
}

static void note(rule_state *r, sift_when when, sift_evidence ev)
{
    r->count++;
    if (when.valid) {
        if (!r->first.valid || when_before(when, r->first))
            r->first = when;
        if (!r->last.valid || when_before(r->last, when))
            r->last = when;
        if (!when.utc)
            r->any_local = 1;
    }
    if (r->n_ev < SIFT_EVIDENCE_MAX)
        r->ev[r->n_ev++] = ev;
    else
        r->ev[SIFT_EVIDENCE_MAX - 1] = ev; /* keep the first ones and the latest */
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_snap(const void *a, const void *b)
{
    const snap_sample *x = a, *y = b;
    /* Dated samples in time order; undated ones after them in arrival order. */
    if (x->when.valid != y->when.valid)
        return x->when.valid ? -1 : 1;
    if (x->when.valid && x->when.secs != y->when.secs)
        return x->when.secs < y->when.secs ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* ---- evaluation: the one place that decides severities ------------------- */

static void eval_rdgw(const host *e, sift_finding *f)
{
    f->m.rdgw.median_interval_s = -1;
    f->m.rdgw.periodic = 0;
    memcpy(f->m.rdgw.module, e->module, sizeof e->module);
    if (f->count == 0)
        return;
    f->severity = SIFT_SEV_HIGH;
    if (e->crash_n < 2)
        return;
    int64_t t[SIFT_MAX_CRASH_TIMES];
    int64_t iv[SIFT_MAX_CRASH_TIMES];
    memcpy(t, e->crash_t, e->crash_n * sizeof *t);
    qsort(t, e->crash_n, sizeof *t, cmp_i64);
    uint32_t n = e->crash_n - 1;
    for (uint32_t i = 0; i < n; i++)
        iv[i] = t[i + 1] - t[i];
    qsort(iv, n, sizeof *iv, cmp_i64);
    int64_t med = (n % 2) ? iv[n / 2] : (iv[n / 2 - 1] + iv[n / 2]) / 2;
    f->m.rdgw.median_interval_s = med;
    if (n < SIFT_PERIODIC_MIN_INTERVALS || med < 60)
        return;
    /* Steady: at least two thirds of the intervals within the tolerance. */
    int64_t tol = med * SIFT_PERIODIC_TOLERANCE_PCT / 100;
    uint32_t steady = 0;
    for (uint32_t i = 0; i < n; i++)
        if (iv[i] >= med - tol && iv[i] <= med + tol)
            steady++;
    if (steady * 3 >= n * 2) {
        f->m.rdgw.periodic = 1;
        f->severity = SIFT_SEV_CRITICAL;
    }
}

static void eval_uptime(const host *e, sift_finding *f)
{
    f->m.uptime.uptime_s = e->up_max;
    f->m.uptime.at = e->up_max_at;
    f->m.uptime.crosses = (sift_when){ 0 };
    f->m.uptime.rebooted = e->up_latest_at.valid && e->up_max_at.valid && e->up_latest < e->up_max &&
                           when_before(e->up_max_at, e->up_latest_at);
    if (e->up_max >= SIFT_UPTIME_WRAP_S) {
        f->severity = SIFT_SEV_CRITICAL;
    } else if (e->up_max >= SIFT_UPTIME_WARN_S) {
        f->severity = SIFT_SEV_MEDIUM;
        if (e->up_max_at.valid) {
            f->m.uptime.crosses = e->up_max_at;
            f->m.uptime.crosses.secs += (int64_t)(SIFT_UPTIME_WRAP_S - e->up_max);
            f->m.uptime.crosses.nsec = 0;
        }
    }
}

static void eval_timewait(const host *e, uint32_t range, sift_finding *f)
{
    snap_sample s[SIFT_MAX_SNAPSHOTS];
    uint32_t n = e->snap_n;
    memcpy(s, e->snaps, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_snap);
    uint64_t max = 0;
    sift_when max_at = { 0 };
    for (uint32_t i = 0; i < n; i++) {
        if (i == 0 || s[i].tw > max) {
            max = s[i].tw;
            max_at = s[i].when;
        }
    }
    /* Rising: the newest samples grew at each of the last N steps. A table
     * still arriving takes part only as the newest sample, where growing can
     * only add a step: elsewhere it could remove one, and a live stream
     * would have announced a trend its whole input does not show. */
    uint32_t steps = 0, k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (!s[i].open || i == n - 1)
            s[k++] = s[i];
    for (uint32_t i = k; i > 1 && s[i - 1].tw > s[i - 2].tw; i--)
        steps++;
    f->m.tw.last = k ? s[k - 1].tw : 0; /* the newest is always kept */
    f->m.tw.max = max;
    f->m.tw.max_at = max_at;
    f->m.tw.range = range;
    uint64_t pct = max * 100 / range;
    f->m.tw.pct_max = pct > UINT32_MAX ? UINT32_MAX : (uint32_t)pct;
    f->m.tw.rising = steps >= SIFT_RISING_MIN_STEPS;
    if (pct >= SIFT_TIMEWAIT_CRIT_PCT)
        f->severity = SIFT_SEV_CRITICAL;
    else if (pct >= SIFT_TIMEWAIT_WARN_PCT)
        f->severity = SIFT_SEV_MEDIUM;
    else if (f->m.tw.rising)
        f->severity = SIFT_SEV_LOW;
}

static void eval_tcpip(const host *e, sift_finding *f)
{
    f->m.tcpip.n4227 = e->n4227;
    f->m.tcpip.n4231 = e->n4231;
    if (e->n4231)
        f->severity = SIFT_SEV_HIGH;
    else if (e->n4227)
        f->severity = SIFT_SEV_MEDIUM;
}

static void evaluate(const sift_hosts *h, const host *e, sift_rule_id rule, sift_finding *f)
{
    const rule_state *r = &e->rs[rule];
    memset(f, 0, sizeof *f);
    f->rule = rule;
    f->severity = SIFT_SEV_NONE;
    f->host = e->name;
    f->host_len = e->name_len;
    f->first_seen = r->first;
    f->last_seen = r->last;
    f->any_local = r->any_local;
    f->count = r->count;
    f->n_ev = r->n_ev;
    memcpy(f->ev, r->ev, sizeof f->ev);
    if (r->count == 0)
        return;
    switch (rule) {
    case SIFT_RULE_RDGW_CRASH:
        eval_rdgw(e, f);
        break;
    case SIFT_RULE_UPTIME_497:
        eval_uptime(e, f);
        break;
    case SIFT_RULE_TIMEWAIT:
        eval_timewait(e, h->cfg.port_range, f);
        break;
    case SIFT_RULE_TCPIP_PORTS:
        eval_tcpip(e, f);
        break;
    case SIFT_RULE_COUNT:
        break;
    }
}

/* Live streams want a finding as soon as it exists or gets worse. */
static void maybe_rise(sift_hosts *h, host *e, sift_rule_id rule)
{
    /* Nothing is above critical: no need to look again. */
    if (!h->cfg.on_rise || e->rs[rule].reported == SIFT_SEV_CRITICAL)
        return;
    sift_finding f;
    evaluate(h, e, rule, &f);
    if (f.severity > e->rs[rule].reported) {
        e->rs[rule].reported = f.severity;
        h->cfg.on_rise(h->cfg.ctx, &f);
    }
}

/* ---- observations ---------------------------------------------------------- */

/* Per-host arrays start small and double up to their limit: most hosts have
 * a crash or a snapshot or two, and a fleet has many hosts. */
static int grow_array(void **p, uint32_t *cap, size_t elem, uint32_t max)
{
    uint32_t n = *cap ? *cap * 2 : 8;
    if (n > max)
        n = max;
    void *q = realloc(*p, (size_t)n * elem);
    if (!q)
        return 0;
    *p = q;
    *cap = n;
    return 1;
}

sift_status sift_hosts_crash(sift_hosts *h, sift_slice host_name, sift_when when, sift_slice module, sift_evidence ev)
{
    host *e;
    sift_status st = find_host(h, host_name, &e);
    if (st != SIFT_OK)
        return st;
    if (when.valid) {
        /* The same crash exported twice (overlapping exports) counts once. */
        for (uint32_t i = 0; i < e->crash_n; i++)
            if (e->crash_t[i] == when.secs)
                return SIFT_OK;
        if (e->crash_n == e->crash_cap && e->crash_cap < SIFT_MAX_CRASH_TIMES &&
            !grow_array((void **)&e->crash_t, &e->crash_cap, sizeof *e->crash_t, SIFT_MAX_CRASH_TIMES))
            return SIFT_ERR_NOMEM;
        if (e->crash_n < e->crash_cap) {
            e->crash_t[e->crash_n++] = when.secs;
        } else {
            /* Full: the newest crashes matter most; replace the oldest. */
            uint32_t oldest = 0;
            for (uint32_t i = 1; i < e->crash_n; i++)
                if (e->crash_t[i] < e->crash_t[oldest])
                    oldest = i;
            if (e->crash_t[oldest] < when.secs)
                e->crash_t[oldest] = when.secs;
        }
    }
    module = sift_slice_trim(module);
    if (module.len > SIFT_MODULE_MAX)
        module.len = SIFT_MODULE_MAX;
    if (module.len) {
        memcpy(e->module, module.ptr, module.len);
        e->module[module.len] = '\0';
    }
    note(&e->rs[SIFT_RULE_RDGW_CRASH], when, ev);
    maybe_rise(h, e, SIFT_RULE_RDGW_CRASH);
    return SIFT_OK;
}

sift_status sift_hosts_uptime(sift_hosts *h, sift_slice host_name, sift_when when, uint64_t uptime_s, sift_evidence ev)
{
    host *e;
    sift_status st = find_host(h, host_name, &e);
    if (st != SIFT_OK)
        return st;
    rule_state *r = &e->rs[SIFT_RULE_UPTIME_497];
    if (r->count == 0 || uptime_s > e->up_max) {
        e->up_max = uptime_s;
        e->up_max_at = when;
    }
    if (r->count == 0 || (when.valid && (!e->up_latest_at.valid || when_before(e->up_latest_at, when)))) {
        e->up_latest = uptime_s;
        e->up_latest_at = when;
    }
    note(r, when, ev);
    maybe_rise(h, e, SIFT_RULE_UPTIME_497);
    return SIFT_OK;
}

sift_status sift_hosts_tcpip(sift_hosts *h, sift_slice host_name, sift_when when, unsigned event_id, sift_evidence ev)
{
    host *e;
    sift_status st = find_host(h, host_name, &e);
    if (st != SIFT_OK)
        return st;
    if (event_id == 4231)
        e->n4231++;
    else
        e->n4227++;
    note(&e->rs[SIFT_RULE_TCPIP_PORTS], when, ev);
    maybe_rise(h, e, SIFT_RULE_TCPIP_PORTS);
    return SIFT_OK;
}

sift_status sift_hosts_snapshot(sift_hosts *h, sift_slice host_name, sift_when when, uint64_t time_wait, sift_evidence ev,
                                int open, uint64_t *id)
{
    host *e;
    sift_status st = find_host(h, host_name, &e);
    if (st != SIFT_OK)
        return st;
    if (e->snap_n == e->snap_cap && e->snap_cap < SIFT_MAX_SNAPSHOTS &&
        !grow_array((void **)&e->snaps, &e->snap_cap, sizeof *e->snaps, SIFT_MAX_SNAPSHOTS))
        return SIFT_ERR_NOMEM;
    snap_sample s = { when, h->seq++, time_wait, open };
    if (id)
        *id = s.seq;
    /* The same dated snapshot seen twice (a dump exported twice) counts once. */
    for (uint32_t i = 0; when.valid && i < e->snap_n; i++) {
        if (e->snaps[i].when.valid && e->snaps[i].when.secs == when.secs) {
            if (time_wait > e->snaps[i].tw)
                e->snaps[i].tw = time_wait;
            if (id)
                *id = e->snaps[i].seq;
            maybe_rise(h, e, SIFT_RULE_TIMEWAIT);
            return SIFT_OK;
        }
    }
    if (e->snap_n < e->snap_cap) {
        e->snaps[e->snap_n++] = s;
    } else {
        /* Full: drop the oldest sample (undated ones count as newest). */
        uint32_t oldest = 0;
        for (uint32_t i = 1; i < e->snap_n; i++)
            if (cmp_snap(&e->snaps[i], &e->snaps[oldest]) < 0)
                oldest = i;
        if (cmp_snap(&e->snaps[oldest], &s) < 0)
            e->snaps[oldest] = s;
    }
    note(&e->rs[SIFT_RULE_TIMEWAIT], when, ev);
    maybe_rise(h, e, SIFT_RULE_TIMEWAIT);
    return SIFT_OK;
}

sift_status sift_hosts_snapshot_grow(sift_hosts *h, sift_slice host_name, uint64_t id, uint64_t time_wait, int open)
{
    host *e;
    sift_status st = find_host(h, host_name, &e);
    if (st != SIFT_OK)
        return st;
    /* The newest samples are at the end unless the array was full. */
    for (uint32_t i = e->snap_n; i-- > 0;) {
        snap_sample *x = &e->snaps[i];
        if (x->seq == id) {
            /* Only ever closes: a table merged into an earlier, closed sample
             * (a re-export) must not take that sample out of "rising". */
            int changed = time_wait > x->tw || (x->open && !open);
            if (time_wait > x->tw)
                x->tw = time_wait;
            if (!open)
                x->open = 0;
            if (changed)
                maybe_rise(h, e, SIFT_RULE_TIMEWAIT);
            break;
        }
    }
    return SIFT_OK;
}

/* ---- final report ------------------------------------------------------------ */

static int cmp_host(const void *a, const void *b)
{
    const host *x = *(host *const *)a, *y = *(host *const *)b;
    return strcmp(x->key, y->key);
}

size_t sift_hosts_findings(sift_hosts *h, sift_finding **out)
{
    *out = NULL;
    host **list = malloc((h->nhosts ? h->nhosts : 1) * sizeof *list);
    sift_finding *f = malloc((h->nhosts ? h->nhosts : 1) * SIFT_RULE_COUNT * sizeof *f);
    if (!list || !f) {
        free(list);
        free(f);
        return SIZE_MAX;
    }
    size_t n = 0;
    for (size_t i = 0; i < h->nslots; i++)
        if (h->slots[i])
            list[n++] = h->slots[i];
    qsort(list, n, sizeof *list, cmp_host);
    size_t nf = 0;
    for (size_t i = 0; i < n; i++) {
        for (int r = 0; r < SIFT_RULE_COUNT; r++) {
            evaluate(h, list[i], (sift_rule_id)r, &f[nf]);
            if (f[nf].severity != SIFT_SEV_NONE)
                nf++;
        }
    }
    free(list);
    *out = f;
    return nf;
}
