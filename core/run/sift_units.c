/* sift_units.c - container units on worker threads, merged in order. */
#include "sift_units.h"

#include "sift_hosts.h"
#include "sift_rules.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Units in flight per worker: one being read, one waiting, so a worker
 * never idles while the merge catches up. */
#define SLOTS_PER_WORKER 2u
#define MAX_WORKERS 64u
/* OS strings kept per fact (product name and version). */
#define FACT_TEXT 192u

typedef struct held_obs {
    unsigned rule;
    sift_obs obs;
    sift_evidence where;
    char attr[SIFT_OBS_ATTRS][SIFT_ATTR_MAX + 1];
    char host[SIFT_HOST_NAME_MAX + 1];
    uint16_t host_len;
} held_obs;

typedef struct held_fact {
    sift_host_fact f;
    char host[SIFT_HOST_NAME_MAX + 1];
    char text[FACT_TEXT];
} held_fact;

/* Results kept in arrays that grow and are reused from unit to unit: in the
 * steady state reading a unit allocates nothing. Order matters only within
 * one kind except for errors, which are merged before the unit's records
 * (a unit's damage is reported where the unit begins). */
typedef struct slot {
    enum { FREE, QUEUED, RUNNING, DONE } state;
    sift_slice unit;
    uint64_t index, offset;
    uint8_t *copy; /* unit_size bytes, for units copied from a window */
    sift_unit_stats st;
    uint8_t *text;
    size_t text_len, text_cap;
    held_obs *obs;
    size_t n_obs, cap_obs;
    held_fact *facts;
    size_t n_facts, cap_facts;
    sift_error *errs;
    size_t n_errs, cap_errs;
    int nomem;
} slot;

typedef struct worker_arg {
    struct sift_units *u;
    size_t me;
} worker_arg;

struct sift_units {
    int threads;
    size_t n_slots;
    slot *slots;
    uint64_t head, tail; /* submitted, merged */
    uint64_t next_run;   /* next queued slot a worker takes */
    pthread_t workers[MAX_WORKERS];
    worker_arg args[MAX_WORKERS];
    size_t n_workers;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    int quit;
    /* the current file */
    const sift_format *fmt;
    const void *file;
    unsigned flags;
    sift_units_filter filter;
    sift_units_sink sink;
    sift_unit_stats st;
    /* per-worker scratch (index n_workers: the calling thread's) */
    void **scratch;
    size_t scratch_size;
};

/* ---- what a worker does with one unit ------------------------------------------ */

typedef struct job {
    slot *s;
    const sift_units *u;
} job;

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(p, n * elem);
    if (q)
        *cap = n;
    return q;
}

static unsigned rules_wanting(sift_slice provider, uint16_t id)
{
    unsigned mask = 0;
    for (unsigned i = 0; i < sift_rule_count; i++)
        if (sift_rules[i].verify && sift_rule_wants(&sift_rules[i], provider, id))
            mask |= 1u << i;
    return mask;
}

static int filter_pass(const sift_units_filter *f, const sift_rec *rec, sift_slice channel)
{
    if (f->n_ids) {
        size_t i = 0;
        while (i < f->n_ids && !(rec->has_id && f->ids[i] == rec->id))
            i++;
        if (i == f->n_ids)
            return 0;
    }
    if (f->provider.len && !sift_slice_eq_nocase(f->provider, rec->provider))
        return 0;
    if (f->channel.len && !sift_slice_eq_nocase(f->channel, channel))
        return 0;
    return 1;
}

static unsigned on_want(void *ctx, const sift_rec *rec, sift_slice channel)
{
    job *j = ctx;
    if (j->u->filter.dump)
        return filter_pass(&j->u->filter, rec, channel) ? SIFT_WANT_RENDER : 0;
    /* A record gives an observation, or a fact (6013 states the OS). */
    return rec->has_id && (rules_wanting(rec->provider, rec->id) || rec->id == 6013) ? SIFT_WANT_EVENT : 0;
}

static size_t copy_trim(char *dst, size_t cap, sift_slice v)
{
    v = sift_slice_trim(v);
    size_t n = v.len < cap ? v.len : cap;
    if (n)
        memcpy(dst, v.ptr, n);
    return n;
}

static sift_evidence where_of(const sift_rec *rec, const slot *s)
{
    sift_evidence w = { 0, (uint32_t)(s->index + 1), rec->offset, 0, rec->record };
    return w;
}

static void on_event(void *ctx, const sift_rec *rec, const sift_event *in)
{
    job *j = ctx;
    slot *s = j->s;
    sift_event ev = *in;
    sift_event_resolve(&ev);
    sift_evidence where = where_of(rec, s);
    if (ev.have & SIFT_EV_RECORD_ID)
        where.record = ev.record_id;
    unsigned mask = rules_wanting(ev.provider, ev.id);
    for (unsigned r = 0; r < sift_rule_count; r++) {
        if (!(mask >> r & 1u))
            continue;
        sift_obs obs = { .when = ev.time };
        if (!sift_rules[r].verify(&ev, &obs))
            continue;
        held_obs *o = grow(s->obs, &s->cap_obs, s->n_obs + 1, sizeof *o);
        if (!o) {
            s->nomem = 1;
            return;
        }
        s->obs = o;
        o = &s->obs[s->n_obs++];
        o->rule = r;
        o->obs = obs;
        o->where = where;
        for (unsigned a = 0; a < SIFT_OBS_ATTRS; a++) {
            size_t n = copy_trim(o->attr[a], SIFT_ATTR_MAX, obs.attr[a]);
            o->attr[a][n] = '\0';
        }
        o->host_len = (uint16_t)copy_trim(o->host, SIFT_HOST_NAME_MAX, ev.computer);
    }
    if (ev.id == 6013) {
        held_fact *f = grow(s->facts, &s->cap_facts, s->n_facts + 1, sizeof *f);
        if (!f) {
            s->nomem = 1;
            return;
        }
        s->facts = f;
        f = &s->facts[s->n_facts];
        if (sift_event_os_fact(&ev, &f->f, f->text, sizeof f->text)) {
            f->f.host = sift_slice_make(f->host, copy_trim(f->host, SIFT_HOST_NAME_MAX, ev.computer));
            f->f.where = where;
            s->n_facts++;
        }
    }
}

static void on_render(void *ctx, const sift_rec *rec, sift_slice json)
{
    job *j = ctx;
    slot *s = j->s;
    /* A carved record says so in its first member. */
    static const char carved[] = "{\"carved\":true,";
    int mark = rec->carved && json.len > 2 && json.ptr[0] == '{';
    size_t extra = mark ? sizeof carved - 2 : 0;
    uint8_t *t = grow(s->text, &s->text_cap, s->text_len + json.len + extra + 1, 1);
    if (!t) {
        s->nomem = 1;
        return;
    }
    s->text = t;
    if (mark) {
        memcpy(t + s->text_len, carved, sizeof carved - 1);
        s->text_len += sizeof carved - 1;
        json = sift_slice_sub(json, 1, json.len - 1);
    }
    if (json.len)
        memcpy(t + s->text_len, json.ptr, json.len);
    s->text_len += json.len;
    t[s->text_len++] = '\n';
}

static void on_error(void *ctx, const sift_error *err)
{
    job *j = ctx;
    slot *s = j->s;
    sift_error *e = grow(s->errs, &s->cap_errs, s->n_errs + 1, sizeof *e);
    if (!e) {
        s->nomem = 1;
        return;
    }
    s->errs = e;
    s->errs[s->n_errs++] = *err;
}

static void read_unit(const sift_units *u, slot *s, void *scratch)
{
    s->text_len = s->n_obs = s->n_facts = s->n_errs = 0;
    s->nomem = 0;
    memset(&s->st, 0, sizeof s->st);
    job j = { s, u };
    sift_unit_out out = { &j, on_want, on_event, on_render, on_error };
    u->fmt->container->unit(u->file, scratch, s->unit, s->index, s->offset, u->flags, &out, &s->st);
}

/* ---- merging, on the calling thread ----------------------------------------------- */

static void add_stats(sift_unit_stats *to, const sift_unit_stats *from)
{
    to->units += from->units;
    to->units_empty += from->units_empty;
    to->units_bad += from->units_bad;
    to->units_flagged += from->units_flagged;
    to->units_dropped += from->units_dropped;
    to->records += from->records;
    to->records_flagged += from->records_flagged;
    to->records_bad += from->records_bad;
    to->records_carved += from->records_carved;
}

static void merge(sift_units *u, slot *s)
{
    const sift_units_sink *k = &u->sink;
    for (size_t i = 0; i < s->n_errs; i++)
        k->error(k->ctx, &s->errs[i]);
    if (s->nomem) {
        sift_error e = { SIFT_ERR_NOMEM, s->offset, "results of this chunk lost" };
        k->error(k->ctx, &e);
    }
    if (s->text_len)
        k->text(k->ctx, s->text, s->text_len);
    for (size_t i = 0; i < s->n_facts; i++)
        k->fact(k->ctx, &s->facts[i].f);
    for (size_t i = 0; i < s->n_obs; i++) {
        held_obs *o = &s->obs[i];
        for (unsigned a = 0; a < SIFT_OBS_ATTRS; a++)
            o->obs.attr[a] = sift_slice_make(o->attr[a], strlen(o->attr[a]));
        k->obs(k->ctx, o->rule, &o->obs, sift_slice_make(o->host, o->host_len), &o->where);
    }
    add_stats(&u->st, &s->st);
    k->merged(k->ctx, s->offset + s->unit.len);
    s->state = FREE;
}

/* ---- the pool ---------------------------------------------------------------------- */

static void *worker(void *arg)
{
    sift_units *u = ((worker_arg *)arg)->u;
    size_t me = ((worker_arg *)arg)->me;
    pthread_mutex_lock(&u->mu);
    for (;;) {
        while (!u->quit && u->next_run == u->head)
            pthread_cond_wait(&u->work, &u->mu);
        if (u->quit)
            break;
        slot *s = &u->slots[u->next_run++ % u->n_slots];
        s->state = RUNNING;
        pthread_mutex_unlock(&u->mu);
        read_unit(u, s, u->scratch[me]);
        pthread_mutex_lock(&u->mu);
        s->state = DONE;
        pthread_cond_broadcast(&u->done);
    }
    pthread_mutex_unlock(&u->mu);
    return NULL;
}

sift_units *sift_units_create(int threads)
{
    sift_units *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->threads = threads > (int)MAX_WORKERS ? (int)MAX_WORKERS : threads;
    size_t workers = u->threads > 1 ? (size_t)u->threads : 0;
    u->n_slots = workers ? workers * SLOTS_PER_WORKER : 1;
    u->slots = calloc(u->n_slots, sizeof *u->slots);
    u->scratch = calloc(workers + 1, sizeof *u->scratch);
    if (!u->slots || !u->scratch || pthread_mutex_init(&u->mu, NULL) != 0) {
        free(u->slots);
        free(u->scratch);
        free(u);
        return NULL;
    }
    pthread_cond_init(&u->work, NULL);
    pthread_cond_init(&u->done, NULL);
    for (size_t i = 0; i < workers; i++) {
        u->args[i] = (worker_arg){ u, i };
        if (pthread_create(&u->workers[u->n_workers], NULL, worker, &u->args[i]) != 0)
            break;
        u->n_workers++;
    }
    return u;
}

void sift_units_free(sift_units *u)
{
    if (!u)
        return;
    pthread_mutex_lock(&u->mu);
    u->quit = 1;
    pthread_cond_broadcast(&u->work);
    pthread_mutex_unlock(&u->mu);
    for (size_t i = 0; i < u->n_workers; i++)
        pthread_join(u->workers[i], NULL);
    for (size_t i = 0; i < u->n_slots; i++) {
        slot *s = &u->slots[i];
        free(s->copy);
        free(s->text);
        free(s->obs);
        free(s->facts);
        free(s->errs);
    }
    for (size_t i = 0; i <= u->n_workers; i++)
        free(u->scratch[i]);
    pthread_cond_destroy(&u->work);
    pthread_cond_destroy(&u->done);
    pthread_mutex_destroy(&u->mu);
    free(u->slots);
    free(u->scratch);
    free(u);
}

sift_status sift_units_begin(sift_units *u, const sift_format *fmt, const void *file, unsigned flags,
                             const sift_units_filter *filter, const sift_units_sink *sink)
{
    size_t need = fmt->container->scratch_size();
    if (need > u->scratch_size) {
        /* Grown only while no worker runs: between files. */
        for (size_t i = 0; i <= u->n_workers; i++) {
            free(u->scratch[i]);
            u->scratch[i] = aligned_alloc(16, (need + 15) & ~(size_t)15);
            if (!u->scratch[i]) {
                u->scratch_size = 0;
                return SIFT_ERR_NOMEM;
            }
        }
        u->scratch_size = need;
    }
    u->fmt = fmt;
    u->file = file;
    u->flags = flags;
    u->filter = *filter;
    u->sink = *sink;
    memset(&u->st, 0, sizeof u->st);
    return SIFT_OK;
}

/* Merge every unit that is done, oldest first, without waiting. Called
 * with the lock held; drops it while merging. */
static void merge_done(sift_units *u)
{
    while (u->tail < u->head && u->slots[u->tail % u->n_slots].state == DONE) {
        slot *s = &u->slots[u->tail % u->n_slots];
        u->tail++;
        pthread_mutex_unlock(&u->mu);
        merge(u, s);
        pthread_mutex_lock(&u->mu);
    }
}

/* Merge until fewer than `left` units are unmerged. */
static void merge_until(sift_units *u, uint64_t left)
{
    for (;;) {
        merge_done(u);
        if (u->head - u->tail < left || u->head == u->tail)
            return;
        pthread_cond_wait(&u->done, &u->mu);
    }
}

sift_status sift_units_submit(sift_units *u, sift_slice unit, uint64_t index, uint64_t offset, int copy)
{
    size_t usize = u->fmt->container->unit_size;
    if (!u->n_workers) {
        slot *s = &u->slots[0];
        s->unit = unit;
        s->index = index;
        s->offset = offset;
        read_unit(u, s, u->scratch[0]);
        merge(u, s);
        return SIFT_OK;
    }
    pthread_mutex_lock(&u->mu);
    /* The slot this unit takes must have been merged. */
    merge_until(u, u->n_slots);
    slot *s = &u->slots[u->head % u->n_slots];
    pthread_mutex_unlock(&u->mu);
    if (copy) {
        if (!s->copy && !(s->copy = malloc(usize)))
            return SIFT_ERR_NOMEM;
        size_t n = unit.len < usize ? unit.len : usize;
        memcpy(s->copy, unit.ptr, n);
        unit = sift_slice_make(s->copy, n);
    }
    s->unit = unit;
    s->index = index;
    s->offset = offset;
    pthread_mutex_lock(&u->mu);
    s->state = QUEUED;
    u->head++;
    pthread_cond_signal(&u->work);
    merge_done(u);
    pthread_mutex_unlock(&u->mu);
    return SIFT_OK;
}

void sift_units_end(sift_units *u, sift_unit_stats *st)
{
    if (u->n_workers) {
        pthread_mutex_lock(&u->mu);
        merge_until(u, 1);
        pthread_mutex_unlock(&u->mu);
    }
    add_stats(st, &u->st);
    memset(&u->st, 0, sizeof u->st);
}
