/* sift_agg.c - the four shared aggregators and their severities. */
#include "sift_agg.h"

#include <stdlib.h>
#include <string.h>

const char *sift_severity_name(sift_severity s)
{
    static const char *const names[] = { "none", "info", "low", "medium", "high", "critical" };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "none";
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Arrays start small and double up to their limit: most hosts have a crash
 * or a snapshot or two, and a fleet has many hosts. */
static int grow_array(void **p, uint32_t *cap, size_t elem, uint32_t max)
{
    uint32_t n = *cap ? *cap * 2 : 2;
    if (n > max)
        n = max;
    void *q = realloc(*p, (size_t)n * elem);
    if (!q)
        return 0;
    *p = q;
    *cap = n;
    return 1;
}

static sift_metric m_u64(const char *name, uint64_t v)
{
    return (sift_metric){ .name = name, .type = SIFT_M_U64, .u = v };
}

static sift_metric m_bool(const char *name, int v)
{
    return (sift_metric){ .name = name, .type = SIFT_M_BOOL, .u = v != 0 };
}

static sift_metric m_time(const char *name, sift_when t)
{
    return (sift_metric){ .name = name, .type = SIFT_M_TIME, .t = t };
}

/* ---- periodic ------------------------------------------------------------- */

/* The most timestamps any parameter set may ask to keep: judge() sorts a
 * copy on the stack. */
#define PERIODIC_MAX_TIMES 4096u

typedef struct periodic_state {
    int64_t *t; /* dated observations, seconds */
    uint32_t n, cap;
    uint8_t attr_len[SIFT_OBS_ATTRS]; /* packed back to back in attr */
    char attr[SIFT_ATTR_BUF];
} periodic_state;

static sift_slice attr_at(const periodic_state *s, unsigned a)
{
    size_t off = 0;
    for (unsigned i = 0; i < a; i++)
        off += s->attr_len[i];
    return sift_slice_make(s->attr + off, s->attr_len[a]);
}

/* The attributes obs has replace those kept; each is cut at SIFT_ATTR_MAX
 * and the later ones at what room is left. */
static void keep_attrs(periodic_state *s, const sift_obs *obs)
{
    char buf[SIFT_ATTR_BUF];
    uint8_t len[SIFT_OBS_ATTRS];
    size_t used = 0;
    for (unsigned a = 0; a < SIFT_OBS_ATTRS; a++) {
        sift_slice v = sift_slice_trim(obs->attr[a]);
        if (!v.len)
            v = attr_at(s, a);
        size_t n = v.len > SIFT_ATTR_MAX ? SIFT_ATTR_MAX : v.len;
        if (n > sizeof buf - used)
            n = sizeof buf - used;
        if (n)
            memcpy(buf + used, v.ptr, n);
        len[a] = (uint8_t)n;
        used += n;
    }
    memcpy(s->attr, buf, used);
    memcpy(s->attr_len, len, sizeof len);
}

static void periodic_release(void *state)
{
    periodic_state *s = state;
    free(s->t);
    s->t = NULL;
    s->n = s->cap = 0;
}

static int periodic_add(void *state, const void *params, const sift_obs *obs, uint64_t *handle)
{
    periodic_state *s = state;
    const sift_periodic_params *p = params;
    uint32_t max = p->max_times < PERIODIC_MAX_TIMES ? p->max_times : PERIODIC_MAX_TIMES;
    (void)handle;
    if (obs->when.valid) {
        for (uint32_t i = 0; i < s->n; i++)
            if (s->t[i] == obs->when.secs)
                return 0;
        if (s->n == s->cap && s->cap < max && !grow_array((void **)&s->t, &s->cap, sizeof *s->t, max))
            return -1;
        if (s->n < s->cap) {
            s->t[s->n++] = obs->when.secs;
        } else if (s->n) {
            /* Full: the newest matter most; replace the oldest. */
            uint32_t oldest = 0;
            for (uint32_t i = 1; i < s->n; i++)
                if (s->t[i] < s->t[oldest])
                    oldest = i;
            if (s->t[oldest] < obs->when.secs)
                s->t[oldest] = obs->when.secs;
        }
    }
    keep_attrs(s, obs);
    return 1;
}

typedef struct periodicity {
    int64_t median; /* -1 below two dated observations */
    int periodic;
} periodicity;

static periodicity periodic_eval(const periodic_state *s, const sift_periodic_params *p)
{
    periodicity r = { -1, 0 };
    if (s->n < 2)
        return r;
    int64_t t[PERIODIC_MAX_TIMES], iv[PERIODIC_MAX_TIMES];
    memcpy(t, s->t, s->n * sizeof *t);
    qsort(t, s->n, sizeof *t, cmp_i64);
    uint32_t n = s->n - 1;
    for (uint32_t i = 0; i < n; i++)
        iv[i] = t[i + 1] - t[i];
    qsort(iv, n, sizeof *iv, cmp_i64);
    r.median = (n % 2) ? iv[n / 2] : (iv[n / 2 - 1] + iv[n / 2]) / 2;
    if (n < p->min_intervals || r.median < (int64_t)p->min_median_s)
        return r;
    /* Steady: at least two thirds of the intervals within the tolerance. */
    int64_t tol = r.median * (int64_t)p->tolerance_pct / 100;
    uint32_t steady = 0;
    for (uint32_t i = 0; i < n; i++)
        if (iv[i] >= r.median - tol && iv[i] <= r.median + tol)
            steady++;
    r.periodic = steady * 3 >= n * 2;
    return r;
}

static sift_severity periodic_judge(const void *state, const void *params, uint64_t count)
{
    const sift_periodic_params *p = params;
    if (count == 0)
        return SIFT_SEV_NONE;
    return periodic_eval(state, p).periodic ? p->periodic_severity : p->severity;
}

static size_t periodic_metrics(const void *state, const void *params, uint64_t count, sift_metric *m)
{
    const periodic_state *s = state;
    const sift_periodic_params *p = params;
    periodicity r = periodic_eval(s, p);
    size_t n = 0;
    m[n++] = m_u64(p->count_name, count);
    m[n++] = (sift_metric){ .name = "median_interval_s", .type = SIFT_M_I64, .is_null = r.median < 0, .i = r.median };
    m[n++] = m_bool("periodic", r.periodic);
    for (unsigned a = 0; a < SIFT_OBS_ATTRS; a++) {
        if (!p->attr_names[a])
            continue;
        sift_slice v = attr_at(s, a);
        m[n++] = (sift_metric){ .name = p->attr_names[a], .type = SIFT_M_STR, .is_null = v.len == 0, .s = v };
    }
    return n;
}

const sift_agg sift_agg_periodic = {
    "periodic", sizeof(sift_periodic_params), sizeof(periodic_state), NULL, periodic_release,
    periodic_add, NULL, periodic_judge, periodic_metrics,
};

/* ---- peak ----------------------------------------------------------------- */

typedef struct peak_state {
    uint64_t max, latest;
    sift_when max_at, latest_at;
    uint8_t seen;
} peak_state;

static int peak_add(void *state, const void *params, const sift_obs *obs, uint64_t *handle)
{
    peak_state *s = state;
    (void)params;
    (void)handle;
    if (!s->seen || obs->value > s->max) {
        s->max = obs->value;
        s->max_at = obs->when;
    }
    if (!s->seen || (obs->when.valid && (!s->latest_at.valid || sift_when_before(s->latest_at, obs->when)))) {
        s->latest = obs->value;
        s->latest_at = obs->when;
    }
    s->seen = 1;
    return 1;
}

static sift_severity peak_judge(const void *state, const void *params, uint64_t count)
{
    const peak_state *s = state;
    const sift_peak_params *p = params;
    if (count == 0)
        return SIFT_SEV_NONE;
    if (s->max >= p->threshold)
        return p->over_severity;
    if (s->max >= p->warn)
        return p->warn_severity;
    return SIFT_SEV_NONE;
}

static size_t peak_metrics(const void *state, const void *params, uint64_t count, sift_metric *m)
{
    const peak_state *s = state;
    const sift_peak_params *p = params;
    (void)count;
    size_t n = 0;
    m[n++] = m_u64(p->value_name, s->max);
    if (p->days_name)
        m[n++] = (sift_metric){ .name = p->days_name, .type = SIFT_M_TENTHS,
                                .u = s->max / 86400 * 10 + (s->max % 86400) * 10 / 86400 };
    m[n++] = m_u64(p->threshold_name, p->threshold);
    m[n++] = m_time(p->at_name, s->max_at);
    /* At its rate of one second per second, from the report of the peak. */
    sift_when cross = { 0 };
    if (s->max < p->threshold && s->max >= p->warn && s->max_at.valid) {
        cross = s->max_at;
        cross.secs += (int64_t)(p->threshold - s->max);
        cross.nsec = 0;
    }
    m[n++] = m_time(p->crossing_name, cross);
    m[n++] = m_bool(p->drop_name, s->latest_at.valid && s->max_at.valid && s->latest < s->max &&
                                      sift_when_before(s->max_at, s->latest_at));
    return n;
}

const sift_agg sift_agg_peak = {
    "peak", sizeof(sift_peak_params), sizeof(peak_state), NULL, NULL,
    peak_add, NULL, peak_judge, peak_metrics,
};

/* ---- ratio ----------------------------------------------------------------- */

#define RATIO_MAX_SAMPLES 1024u

typedef struct ratio_sample {
    sift_when when;
    uint64_t seq; /* arrival order, to order samples without a time */
    uint64_t v;
    int open;     /* a live table still arriving: its count may grow */
} ratio_sample;

typedef struct ratio_state {
    ratio_sample *s;
    uint32_t n, cap;
    uint64_t seq;
} ratio_state;

static void ratio_release(void *state)
{
    ratio_state *s = state;
    free(s->s);
    s->s = NULL;
    s->n = s->cap = 0;
}

static int cmp_sample(const void *a, const void *b)
{
    const ratio_sample *x = a, *y = b;
    /* Dated samples in time order; undated ones after them in arrival order. */
    if (x->when.valid != y->when.valid)
        return x->when.valid ? -1 : 1;
    if (x->when.valid && x->when.secs != y->when.secs)
        return x->when.secs < y->when.secs ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static int ratio_add(void *state, const void *params, const sift_obs *obs, uint64_t *handle)
{
    ratio_state *s = state;
    const sift_ratio_params *p = params;
    uint32_t max = p->max_samples < RATIO_MAX_SAMPLES ? p->max_samples : RATIO_MAX_SAMPLES;
    /* The same dated table seen twice (a dump exported twice) counts once. */
    for (uint32_t i = 0; obs->when.valid && i < s->n; i++) {
        if (s->s[i].when.valid && s->s[i].when.secs == obs->when.secs) {
            if (obs->value > s->s[i].v)
                s->s[i].v = obs->value;
            *handle = s->s[i].seq;
            return 0;
        }
    }
    if (s->n == s->cap && s->cap < max && !grow_array((void **)&s->s, &s->cap, sizeof *s->s, max))
        return -1;
    ratio_sample x = { obs->when, s->seq++, obs->value, obs->open };
    *handle = x.seq;
    if (s->n < s->cap) {
        s->s[s->n++] = x;
    } else if (s->n) {
        /* Full: drop the oldest sample (undated ones count as newest). */
        uint32_t oldest = 0;
        for (uint32_t i = 1; i < s->n; i++)
            if (cmp_sample(&s->s[i], &s->s[oldest]) < 0)
                oldest = i;
        if (cmp_sample(&s->s[oldest], &x) < 0)
            s->s[oldest] = x;
    }
    return 1;
}

static int ratio_update(void *state, const void *params, uint64_t handle, uint64_t value, int open)
{
    ratio_state *s = state;
    (void)params;
    /* The newest samples are at the end unless the array was full. */
    for (uint32_t i = s->n; i-- > 0;) {
        ratio_sample *x = &s->s[i];
        if (x->seq != handle)
            continue;
        /* Only ever closes: a table merged into an earlier, closed sample
         * (a re-export) must not take that sample out of "rising". */
        int changed = value > x->v || (x->open && !open);
        if (value > x->v)
            x->v = value;
        if (!open)
            x->open = 0;
        return changed;
    }
    return 0; /* dropped since (the per-host limit) */
}

typedef struct ratio_view {
    uint64_t last, max;
    sift_when max_at;
    uint32_t pct;
    int rising;
} ratio_view;

static ratio_view ratio_eval(const ratio_state *st, const sift_ratio_params *p)
{
    ratio_sample s[RATIO_MAX_SAMPLES];
    uint32_t n = st->n;
    ratio_view r = { 0 };
    memcpy(s, st->s, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_sample);
    for (uint32_t i = 0; i < n; i++) {
        if (i == 0 || s[i].v > r.max) {
            r.max = s[i].v;
            r.max_at = s[i].when;
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
    for (uint32_t i = k; i > 1 && s[i - 1].v > s[i - 2].v; i--)
        steps++;
    r.last = k ? s[k - 1].v : 0;
    uint64_t pct = r.max * 100 / (p->denominator ? p->denominator : 1);
    r.pct = pct > UINT32_MAX ? UINT32_MAX : (uint32_t)pct;
    r.rising = steps >= p->rising_steps;
    return r;
}

static sift_severity ratio_judge(const void *state, const void *params, uint64_t count)
{
    const sift_ratio_params *p = params;
    if (count == 0)
        return SIFT_SEV_NONE;
    ratio_view r = ratio_eval(state, p);
    if (r.pct >= p->crit_pct)
        return p->crit_severity;
    if (r.pct >= p->warn_pct)
        return p->warn_severity;
    return r.rising ? p->rising_severity : SIFT_SEV_NONE;
}

static size_t ratio_metrics(const void *state, const void *params, uint64_t count, sift_metric *m)
{
    const sift_ratio_params *p = params;
    ratio_view r = ratio_eval(state, p);
    size_t n = 0;
    m[n++] = m_u64(p->last_name, r.last);
    m[n++] = m_u64(p->max_name, r.max);
    m[n++] = m_u64(p->denominator_name, p->denominator);
    m[n++] = m_u64(p->pct_name, r.pct);
    m[n++] = m_time(p->max_at_name, r.max_at);
    m[n++] = m_u64(p->samples_name, count);
    m[n++] = m_bool(p->rising_name, r.rising);
    return n;
}

const sift_agg sift_agg_ratio = {
    "ratio", sizeof(sift_ratio_params), sizeof(ratio_state), NULL, ratio_release,
    ratio_add, ratio_update, ratio_judge, ratio_metrics,
};

/* ---- keyed ----------------------------------------------------------------- */

typedef struct keyed_state {
    uint64_t n[SIFT_KEYED_MAX];
} keyed_state;

static int keyed_add(void *state, const void *params, const sift_obs *obs, uint64_t *handle)
{
    keyed_state *s = state;
    const sift_keyed_params *p = params;
    (void)handle;
    for (uint32_t i = 0; i < p->n && i < SIFT_KEYED_MAX; i++) {
        if (p->keys[i] == obs->key) {
            s->n[i]++;
            return 1;
        }
    }
    return 0;
}

static sift_severity keyed_judge(const void *state, const void *params, uint64_t count)
{
    const keyed_state *s = state;
    const sift_keyed_params *p = params;
    sift_severity sev = SIFT_SEV_NONE;
    (void)count;
    for (uint32_t i = 0; i < p->n && i < SIFT_KEYED_MAX; i++)
        if (s->n[i] && p->severity[i] > sev)
            sev = p->severity[i];
    return sev;
}

static size_t keyed_metrics(const void *state, const void *params, uint64_t count, sift_metric *m)
{
    const keyed_state *s = state;
    const sift_keyed_params *p = params;
    size_t n = 0;
    (void)count;
    for (uint32_t i = 0; i < p->n && i < SIFT_KEYED_MAX; i++)
        m[n++] = m_u64(p->names[i], s->n[i]);
    return n;
}

const sift_agg sift_agg_keyed = {
    "keyed", sizeof(sift_keyed_params), sizeof(keyed_state), NULL, NULL,
    keyed_add, NULL, keyed_judge, keyed_metrics,
};
