/* sift_hosts.c - the host table: names, keys and per-rule slots. */
#include "sift_hosts.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 63u

/* Allocated when a rule first fires for a host: what every rule keeps,
 * followed by the aggregator's state. */
typedef struct rule_slot {
    uint64_t count;
    sift_when first, last;
    uint8_t any_local;
    uint8_t reported; /* highest severity already passed to on_rise */
    uint8_t n_ev;
    /* The inputs observations came from: the one input + 1 while there is
     * one (0: none yet; it fits the padding, so the common case of a host
     * seen in one file costs nothing), else SRC_LIST | the index of its
     * list in the table's. */
    uint32_t src;
    sift_evidence ev[SIFT_EVIDENCE_MAX];
    max_align_t state[]; /* the aggregator's */
} rule_slot;

#define SRC_LIST 0x80000000u

/* A slot's inputs once it has more than one; lists are reused through a
 * free chain when their host is evicted. */
typedef struct src_list {
    uint32_t *ids;
    uint32_t n, cap;
    uint64_t more; /* distinct inputs past SIFT_SOURCES_MAX (counted per observation) */
    uint32_t next_free;
} src_list;

/* Facts from inventories, copied; allocated on the first one. */
typedef struct facts {
    sift_host_fact view; /* slices into the strings below */
    char *os_name, *os_version, *time_zone;
    uint32_t *kbs; /* sorted, unique */
    uint32_t n_kbs;
    uint8_t cut; /* a KB did not fit: the list is incomplete for good */
} facts;

typedef struct host {
    facts *facts;
    uint64_t last_seen; /* observation sequence, for eviction */
    char *name; /* the longest spelling seen, NUL-terminated */
    uint16_t name_len;
    uint8_t key_len;
    char key[KEY_MAX + 1];
    rule_slot *rs[]; /* n_rules, NULL until the rule fires */
} host;

struct sift_hosts {
    sift_hosts_cfg cfg;
    host **slots; /* open addressing, power-of-two size */
    size_t nslots;
    size_t nhosts;
    size_t max_hosts;
    uint64_t dropped, evicted;
    uint64_t seq; /* observations so far */
    src_list *lists;
    uint32_t n_lists, cap_lists;
    uint32_t free_list; /* index + 1 of a free list; 0: none */
    sift_finding *scratch; /* n_rules findings: one host's, for the report */
};

sift_hosts *sift_hosts_create(const sift_hosts_cfg *cfg)
{
    if (cfg->n_rules > SIFT_MAX_RULES)
        return NULL;
    sift_hosts *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->cfg = *cfg;
    h->scratch = malloc((cfg->n_rules ? cfg->n_rules : 1) * sizeof *h->scratch);
    if (!h->scratch) {
        free(h);
        return NULL;
    }
    h->max_hosts = cfg->max_hosts && cfg->max_hosts < SIFT_MAX_HOSTS ? cfg->max_hosts : SIFT_MAX_HOSTS;
    h->nslots = 256;
    h->slots = calloc(h->nslots, sizeof *h->slots);
    if (!h->slots) {
        free(h->scratch);
        free(h);
        return NULL;
    }
    return h;
}

static void facts_free(facts *f)
{
    if (!f)
        return;
    free(f->os_name);
    free(f->os_version);
    free(f->time_zone);
    free(f->kbs);
    free(f);
}

static void src_release(sift_hosts *h, uint32_t src)
{
    if (!(src & SRC_LIST))
        return;
    src_list *l = &h->lists[src & ~SRC_LIST];
    l->n = 0;
    l->more = 0;
    l->next_free = h->free_list;
    h->free_list = (src & ~SRC_LIST) + 1;
}

static void host_free(sift_hosts *h, host *e)
{
    facts_free(e->facts);
    for (size_t r = 0; r < h->cfg.n_rules; r++) {
        if (e->rs[r]) {
            src_release(h, e->rs[r]->src);
            if (h->cfg.rules[r].agg->release)
                h->cfg.rules[r].agg->release(e->rs[r]->state);
            free(e->rs[r]);
        }
    }
    free(e->name);
    free(e);
}

void sift_hosts_free(sift_hosts *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->nslots; i++)
        if (h->slots[i])
            host_free(h, h->slots[i]);
    free(h->slots);
    for (uint32_t i = 0; i < h->n_lists; i++)
        free(h->lists[i].ids);
    free(h->lists);
    free(h->scratch);
    free(h);
}

uint64_t sift_hosts_dropped(const sift_hosts *h)
{
    return h->dropped;
}

size_t sift_hosts_count(const sift_hosts *h)
{
    return h->nhosts;
}

uint64_t sift_hosts_evicted(const sift_hosts *h)
{
    return h->evicted;
}

/* ---- lookup ------------------------------------------------------------------ */

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
static int offer_name(host *e, sift_slice name)
{
    if (name.len > SIFT_HOST_NAME_MAX)
        name.len = SIFT_HOST_NAME_MAX;
    int better = !e->name || name.len > e->name_len ||
                 (name.len == e->name_len && memcmp(name.ptr, e->name, name.len) < 0);
    if (!better)
        return 1;
    char *n = realloc(e->name, name.len + 1);
    if (!n)
        return 0;
    memcpy(n, name.ptr, name.len);
    n[name.len] = '\0';
    e->name = n;
    e->name_len = (uint16_t)name.len;
    return 1;
}

static sift_status evict(sift_hosts *h);

/* The host named name; created unless create is 0 (then SIFT_ERR_MISSING
 * when absent). */
static sift_status lookup_host(sift_hosts *h, sift_slice name, int create, host **out)
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
            *out = e;
            return !create || offer_name(e, name) ? SIFT_OK : SIFT_ERR_NOMEM;
        }
    }
    if (!create)
        return SIFT_ERR_MISSING;
    if (h->nhosts >= h->max_hosts) {
        if (!h->cfg.on_evict || evict(h) != SIFT_OK) {
            h->dropped++;
            return SIFT_ERR_LIMIT;
        }
        /* The table was rebuilt: find the empty slot again. */
        mask = h->nslots - 1;
        for (i = hash_key(key, klen) & mask; h->slots[i]; i = (i + 1) & mask)
            ;
    }
    host *e = calloc(1, sizeof *e + h->cfg.n_rules * sizeof e->rs[0]);
    if (!e || !offer_name(e, name)) {
        free(e);
        return SIFT_ERR_NOMEM;
    }
    memcpy(e->key, key, klen + 1);
    e->key_len = (uint8_t)klen;
    h->slots[i] = e;
    h->nhosts++;
    if (h->nhosts * 2 > h->nslots && !grow(h))
        return SIFT_ERR_NOMEM; /* the host is in; the table is just fuller */
    *out = e;
    return SIFT_OK;
}

static sift_status find_host(sift_hosts *h, sift_slice name, host **out)
{
    return lookup_host(h, name, 1, out);
}

/* ---- per-rule bookkeeping ------------------------------------------------------- */

static rule_slot *slot_of(sift_hosts *h, host *e, unsigned rule)
{
    if (!e->rs[rule]) {
        const sift_hosts_rule *r = &h->cfg.rules[rule];
        rule_slot *s = calloc(1, sizeof *s + r->agg->state_size);
        if (!s)
            return NULL;
        if (r->agg->init)
            r->agg->init(s->state, r->params);
        e->rs[rule] = s;
    }
    return e->rs[rule];
}

/* A list for a slot's inputs: a free one, or a new one. 0 on OOM. */
static uint32_t src_list_new(sift_hosts *h)
{
    if (h->free_list) {
        uint32_t i = h->free_list - 1;
        h->free_list = h->lists[i].next_free;
        return SRC_LIST | i;
    }
    if (h->n_lists == h->cap_lists) {
        uint32_t cap = h->cap_lists ? h->cap_lists * 2 : 16;
        src_list *l = realloc(h->lists, cap * sizeof *l);
        if (!l)
            return 0;
        h->lists = l;
        h->cap_lists = cap;
    }
    h->lists[h->n_lists] = (src_list){ 0 };
    return SRC_LIST | h->n_lists++;
}

/* Add input to the slot's inputs (SIFT_PATH_NONE, a path the path table
 * could not keep, names nothing). 0 on OOM. */
static int note_source(sift_hosts *h, rule_slot *r, uint32_t input)
{
    if (input >= SRC_LIST - 1)
        return 1;
    if (r->src == 0 || r->src == input + 1) {
        r->src = input + 1;
        return 1;
    }
    if (!(r->src & SRC_LIST)) {
        uint32_t first = r->src - 1, idx = src_list_new(h);
        if (!idx)
            return 0;
        src_list *l = &h->lists[idx & ~SRC_LIST];
        if (l->cap < 4) {
            uint32_t *v = realloc(l->ids, 4 * sizeof *v);
            if (!v) {
                src_release(h, idx);
                return 0;
            }
            l->ids = v;
            l->cap = 4;
        }
        l->ids[l->n++] = first;
        r->src = idx;
    }
    src_list *l = &h->lists[r->src & ~SRC_LIST];
    /* The newest input is the likeliest again (one file's observations). */
    for (uint32_t i = l->n; i-- > 0;)
        if (l->ids[i] == input)
            return 1;
    if (l->n >= SIFT_SOURCES_MAX) {
        l->more++;
        return 1;
    }
    if (l->n == l->cap) {
        uint32_t cap = l->cap * 2 < SIFT_SOURCES_MAX ? l->cap * 2 : SIFT_SOURCES_MAX;
        uint32_t *v = realloc(l->ids, cap * sizeof *v);
        if (!v)
            return 0;
        l->ids = v;
        l->cap = cap;
    }
    l->ids[l->n++] = input;
    return 1;
}

static void note(rule_slot *r, sift_when when, sift_evidence ev)
{
    r->count++;
    if (when.valid) {
        if (!r->first.valid || sift_when_before(when, r->first))
            r->first = when;
        if (!r->last.valid || sift_when_before(r->last, when))
            r->last = when;
        if (!when.utc)
            r->any_local = 1;
    }
    if (r->n_ev < SIFT_EVIDENCE_MAX)
        r->ev[r->n_ev++] = ev;
    else
        r->ev[SIFT_EVIDENCE_MAX - 1] = ev; /* keep the first ones and the latest */
}

static void fill_facts_view(host *e);

static void evaluate(const sift_hosts *h, host *e, unsigned rule, sift_finding *f)
{
    const rule_slot *r = e->rs[rule];
    const sift_hosts_rule *hr = &h->cfg.rules[rule];
    f->rule = rule;
    f->host = e->name;
    f->host_len = e->name_len;
    f->first_seen = r->first;
    f->last_seen = r->last;
    f->any_local = r->any_local;
    f->count = r->count;
    f->n_ev = r->n_ev;
    memcpy(f->ev, r->ev, sizeof f->ev);
    f->severity = hr->agg->judge(r->state, hr->params, r->count);
    f->n_m = hr->agg->metrics(r->state, hr->params, r->count, f->m);
    if (e->facts)
        fill_facts_view(e);
    f->facts = e->facts ? &e->facts->view : NULL;
    f->n_src = 0;
    f->src_more = 0;
    if (r->src & SRC_LIST) {
        const src_list *l = &h->lists[r->src & ~SRC_LIST];
        memcpy(f->src, l->ids, l->n * sizeof *l->ids);
        f->n_src = l->n;
        f->src_more = l->more;
    } else if (r->src) {
        f->src[f->n_src++] = r->src - 1;
    }
    f->host_findings = NULL;
    f->n_host_findings = 0;
    f->absorbed = 0;
    f->facts_used = 0;
    f->n_links = 0;
}

/* Every rule of e with observations, evaluated into h->scratch, each with
 * the others beside it; returns how many (0 when there is no scratch). */
static size_t evaluate_host(sift_hosts *h, host *e)
{
    size_t n = 0;
    for (unsigned r = 0; r < h->cfg.n_rules; r++)
        if (e->rs[r] && e->rs[r]->count)
            evaluate(h, e, r, &h->scratch[n++]);
    for (size_t i = 0; i < n; i++) {
        h->scratch[i].host_findings = h->scratch;
        h->scratch[i].n_host_findings = n;
    }
    return n;
}

/* Emit every finding of e with a severity; returns how many. */
static size_t emit_host(sift_hosts *h, host *e, sift_finding_fn emit, void *ctx)
{
    size_t n = evaluate_host(h, e), out = 0;
    for (size_t i = 0; i < n; i++) {
        if (h->scratch[i].severity == SIFT_SEV_NONE)
            continue;
        out++;
        emit(ctx, &h->scratch[i]);
    }
    return out;
}

static int cmp_last_seen(const void *a, const void *b)
{
    const host *x = *(host *const *)a, *y = *(host *const *)b;
    return (x->last_seen > y->last_seen) - (x->last_seen < y->last_seen);
}

/* Report and forget the eighth of the table observed least recently, and
 * rebuild the slots without them: a stream that never ends keeps taking new
 * hosts, in memory bounded by max_hosts. */
static sift_status evict(sift_hosts *h)
{
    host **list = malloc(h->nhosts * sizeof *list);
    host **slots = calloc(h->nslots, sizeof *slots);
    if (!list || !slots) {
        free(list);
        free(slots);
        return SIFT_ERR_NOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < h->nslots; i++)
        if (h->slots[i])
            list[n++] = h->slots[i];
    qsort(list, n, sizeof *list, cmp_last_seen);
    size_t out = n / 8 ? n / 8 : 1;
    for (size_t i = 0; i < out; i++) {
        emit_host(h, list[i], h->cfg.on_evict, h->cfg.ctx);
        host_free(h, list[i]);
    }
    size_t mask = h->nslots - 1;
    for (size_t i = out; i < n; i++) {
        size_t j = hash_key(list[i]->key, list[i]->key_len) & mask;
        while (slots[j])
            j = (j + 1) & mask;
        slots[j] = list[i];
    }
    free(h->slots);
    free(list);
    h->slots = slots;
    h->nhosts = n - out;
    h->evicted += out;
    return SIFT_OK;
}

/* Live streams want a finding as soon as it exists or gets worse. */
static void maybe_rise(sift_hosts *h, host *e, unsigned rule)
{
    rule_slot *r = e->rs[rule];
    /* Nothing is above critical: no need to look again. */
    if (!h->cfg.on_rise || r->reported == SIFT_SEV_CRITICAL)
        return;
    const sift_hosts_rule *hr = &h->cfg.rules[rule];
    sift_severity sev = hr->agg->judge(r->state, hr->params, r->count);
    if (sev > r->reported) {
        r->reported = (uint8_t)sev;
        /* With the host's other findings, as at the end: a rule that
         * joins another's finding says so in its early line too. */
        size_t n = evaluate_host(h, e);
        for (size_t i = 0; i < n; i++)
            if (h->scratch[i].rule == rule)
                h->cfg.on_rise(h->cfg.ctx, &h->scratch[i]);
    }
}

sift_status sift_hosts_observe(sift_hosts *h, sift_slice host_name, unsigned rule, const sift_obs *obs,
                               sift_evidence ev, uint64_t *handle)
{
    host *e;
    uint64_t ignored;
    if (rule >= h->cfg.n_rules)
        return SIFT_ERR_LIMIT;
    sift_status st = find_host(h, host_name, &e);
    if (st != SIFT_OK)
        return st;
    e->last_seen = ++h->seq;
    rule_slot *r = slot_of(h, e, rule);
    if (!r)
        return SIFT_ERR_NOMEM;
    int got = h->cfg.rules[rule].agg->add(r->state, h->cfg.rules[rule].params, obs, handle ? handle : &ignored);
    if (got < 0)
        return SIFT_ERR_NOMEM;
    if (got > 0) {
        note(r, obs->when, ev);
        if (!note_source(h, r, ev.input))
            return SIFT_ERR_NOMEM;
    }
    maybe_rise(h, e, rule);
    return SIFT_OK;
}

sift_status sift_hosts_update(sift_hosts *h, sift_slice host_name, unsigned rule, uint64_t handle, uint64_t value,
                              int open)
{
    host *e;
    if (rule >= h->cfg.n_rules || !h->cfg.rules[rule].agg->update)
        return SIFT_ERR_LIMIT;
    /* A host evicted since its sample was taken is not brought back: its
     * sample went out with it, and a new host must not take the handle. */
    if (lookup_host(h, host_name, 0, &e) != SIFT_OK)
        return SIFT_OK;
    rule_slot *r = e->rs[rule];
    if (r && h->cfg.rules[rule].agg->update(r->state, h->cfg.rules[rule].params, handle, value, open))
        maybe_rise(h, e, rule);
    return SIFT_OK;
}

/* ---- host facts ------------------------------------------------------------------ */

/* A copy of v in *dst (replacing what was there) when v is not empty. */
static int take_string(char **dst, sift_slice v, sift_slice *view)
{
    v = sift_slice_trim(v);
    if (v.len == 0)
        return 1;
    if (v.len > SIFT_HOST_NAME_MAX)
        v.len = SIFT_HOST_NAME_MAX;
    char *c = realloc(*dst, v.len + 1);
    if (!c)
        return 0;
    memcpy(c, v.ptr, v.len);
    c[v.len] = '\0';
    *dst = c;
    *view = sift_slice_make(c, v.len);
    return 1;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int lfind_u32(const uint32_t *v, size_t n, uint32_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return 1;
    return 0;
}

/* Merge n KB numbers into the sorted, unique list of f. */
static int take_kbs(facts *f, const uint32_t *kbs, size_t n)
{
    if (n == 0)
        return 1;
    size_t room = SIFT_FACT_MAX_KBS - f->n_kbs;
    size_t take = n < room ? n : room;
    uint32_t *v = realloc(f->kbs, (f->n_kbs + (take ? take : 1)) * sizeof *v);
    if (!v)
        return 0;
    f->kbs = v;
    size_t m = f->n_kbs;
    for (size_t i = 0; i < n && m < SIFT_FACT_MAX_KBS; i++) {
        /* Not known, and not already taken from this list: a KB listed
         * twice must not take the room of one listed once. */
        if (!bsearch(&kbs[i], v, f->n_kbs, sizeof *v, cmp_u32) && !lfind_u32(v + f->n_kbs, m - f->n_kbs, kbs[i]))
            v[m++] = kbs[i];
    }
    qsort(v, m, sizeof *v, cmp_u32);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (u == 0 || v[u - 1] != v[i])
            v[u++] = v[i];
    /* Numbers that did not fit make the list incomplete, whatever complete
     * lists come later. */
    for (size_t i = 0; i < n && u >= SIFT_FACT_MAX_KBS; i++)
        if (!bsearch(&kbs[i], v, u, sizeof *v, cmp_u32))
            f->cut = 1;
    f->n_kbs = (uint32_t)u;
    return 1;
}

sift_status sift_hosts_fact(sift_hosts *h, const sift_host_fact *in)
{
    host *e;
    sift_status st = find_host(h, in->host, &e);
    if (st != SIFT_OK)
        return st;
    if (!e->facts && !(e->facts = calloc(1, sizeof *e->facts)))
        return SIFT_ERR_NOMEM;
    e->last_seen = ++h->seq;
    facts *f = e->facts;
    int had_complete = f->view.kbs_complete;
    if (!take_string(&f->os_name, in->os_name, &f->view.os_name) ||
        !take_string(&f->os_version, in->os_version, &f->view.os_version) ||
        !take_string(&f->time_zone, in->time_zone, &f->view.time_zone))
        return SIFT_ERR_NOMEM;
    /* A new OS name comes with its own version (0.0 when it gave none): an
     * upgraded host must not keep the old one's. */
    /* Each level brings the finer ones with it: a version its build, a
     * build its update revision. */
    int version = in->major || in->minor || in->os_name.len, build = version || in->build;
    if (version) {
        f->view.major = in->major;
        f->view.minor = in->minor;
    }
    if (build)
        f->view.build = in->build;
    if (build || in->ubr) {
        f->view.ubr = in->ubr;
        f->view.os_where = in->where;
    }
    if (in->n_kbs || in->kbs_complete)
        f->view.kbs_where = in->where;
    if (in->boot_time.valid)
        f->view.boot_time = in->boot_time;
    if (in->installed.valid)
        f->view.installed = in->installed;
    f->view.kbs_complete = (uint8_t)(had_complete || (in->kbs_complete && in->n_kbs));
    if (!take_kbs(f, in->kbs, in->n_kbs))
        return SIFT_ERR_NOMEM;
    if (f->cut)
        f->view.kbs_complete = 0;
    f->view.where = in->where;
    return SIFT_OK;
}

static void fill_facts_view(host *e)
{
    facts *f = e->facts;
    f->view.host = sift_slice_make(e->name, e->name_len);
    f->view.kbs = f->kbs;
    f->view.n_kbs = f->n_kbs;
}

const sift_host_fact *sift_hosts_facts(sift_hosts *h, sift_slice name)
{
    host *e;
    if (lookup_host(h, name, 0, &e) != SIFT_OK || !e->facts)
        return NULL;
    fill_facts_view(e);
    return &e->facts->view;
}

/* ---- the report ------------------------------------------------------------------ */

/* Keys are bytes and may hold a NUL (names come from input): compare them
 * whole, or hosts that differ after a NUL come out in table order. */
static int cmp_host(const void *a, const void *b)
{
    const host *x = *(host *const *)a, *y = *(host *const *)b;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(x->key, y->key, n);
    return c ? c : (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

size_t sift_hosts_report(sift_hosts *h, sift_finding_fn emit, void *ctx)
{
    host **list = malloc((h->nhosts ? h->nhosts : 1) * sizeof *list);
    if (!list)
        return SIZE_MAX;
    size_t n = 0, nf = 0;
    for (size_t i = 0; i < h->nslots; i++)
        if (h->slots[i])
            list[n++] = h->slots[i];
    qsort(list, n, sizeof *list, cmp_host);
    for (size_t i = 0; i < n; i++)
        nf += emit_host(h, list[i], emit, ctx);
    free(list);
    return nf;
}
