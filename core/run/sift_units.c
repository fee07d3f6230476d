/* sift_units.c - container units on worker threads, merged in order. */
#include "sift_units.h"

#include "sift_hosts.h"
#include "sift_rules.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Units in flight per reader: one being read, one waiting, so a reader
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

/* Its slices are rebuilt at the merge from the offsets: the array moves
 * when it grows. */
typedef struct held_fact {
    sift_host_fact f;
    char host[SIFT_HOST_NAME_MAX + 1];
    char text[FACT_TEXT];
    uint16_t host_len, name_off, name_len, version_off, version_len;
} held_fact;

/* A unit in flight, or a file's end. Results are kept in arrays that grow
 * and are reused from unit to unit: in the steady state reading a unit
 * allocates nothing. */
typedef struct slot {
    enum { FREE, QUEUED, RUNNING, DONE } state;
    int end; /* a file's end: nothing to read */
    const sift_units_file *f;
    sift_slice unit;
    uint64_t index, offset;
    uint8_t *copy; /* a unit copied from a buffer that will be reused */
    size_t copy_cap;
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

/* Memory a reader works in (a worker's, or the calling thread's). */
typedef struct scratch {
    void *p;
    size_t size;
} scratch;

typedef struct worker_arg {
    struct sift_units *u;
    size_t me;
} worker_arg;

struct sift_units {
    sift_units_filter filter;
    sift_units_sink sink;
    size_t n_slots;
    slot *slots;
    uint64_t head, tail; /* submitted, merged */
    uint64_t next_run;   /* next slot a worker takes */
    pthread_t workers[MAX_WORKERS];
    worker_arg args[MAX_WORKERS];
    scratch scratch[MAX_WORKERS + 1]; /* the last one: the calling thread's */
    size_t n_workers;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    int quit;
};

/* ---- what a worker does with one unit ------------------------------------------ */

typedef struct job {
    slot *s;
    const sift_units *u;
    uint64_t index; /* the unit being read */
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

static void on_event(void *ctx, const sift_rec *rec, const sift_event *in)
{
    job *j = ctx;
    slot *s = j->s;
    sift_event ev = *in;
    sift_event_resolve(&ev);
    /* Evidence points at the record as stored: its header's number, which
     * an exported or filtered log does not share with its EventRecordID. */
    sift_evidence where = { 0, (uint32_t)(j->index + 1), rec->offset, 0, rec->record };
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
            f->host_len = (uint16_t)copy_trim(f->host, SIFT_HOST_NAME_MAX, ev.computer);
            f->name_off = (uint16_t)(f->f.os_name.len ? (const char *)f->f.os_name.ptr - f->text : 0);
            f->name_len = (uint16_t)f->f.os_name.len;
            f->version_off = (uint16_t)(f->f.os_version.len ? (const char *)f->f.os_version.ptr - f->text : 0);
            f->version_len = (uint16_t)f->f.os_version.len;
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

static void read_unit(const sift_units *u, slot *s, scratch *sc)
{
    s->text_len = s->n_obs = s->n_facts = s->n_errs = 0;
    s->nomem = 0;
    memset(&s->st, 0, sizeof s->st);
    if (s->end)
        return;
    const sift_container_ops *ops = s->f->fmt->container;
    size_t need = (ops->scratch_size() + 15) & ~(size_t)15;
    if (sc->size < need) {
        /* A reader's own: grown only by the thread that reads with it. */
        free(sc->p);
        sc->p = aligned_alloc(16, need);
        sc->size = sc->p ? need : 0;
        if (!sc->p) {
            s->nomem = 1;
            return;
        }
    }
    job j = { s, u, s->index };
    sift_unit_out out = { &j, on_want, on_event, on_render, on_error };
    /* A slot may carry several consecutive units (one hand-off for all). */
    for (size_t at = 0; at < s->unit.len; at += ops->unit_size, j.index++) {
        sift_slice one = sift_slice_sub(s->unit, at, ops->unit_size);
        ops->unit(s->f->state, sc->p, one, j.index, s->offset + at, s->f->flags, &out, &s->st);
    }
}

/* ---- merging, on the calling thread ----------------------------------------------- */

static void merge(sift_units *u, slot *s)
{
    const sift_units_sink *k = &u->sink;
    void *fc = s->f->ctx;
    if (s->end) {
        k->done(fc);
        return;
    }
    for (size_t i = 0; i < s->n_errs; i++)
        k->error(fc, &s->errs[i]);
    if (s->nomem) {
        sift_error e = { SIFT_ERR_NOMEM, s->offset, "out of memory: what this chunk held is lost" };
        k->error(fc, &e);
    }
    if (s->text_len)
        k->text(fc, s->text, s->text_len);
    for (size_t i = 0; i < s->n_facts; i++) {
        held_fact *h = &s->facts[i];
        h->f.host = sift_slice_make(h->host, h->host_len);
        h->f.os_name = sift_slice_make(h->text + h->name_off, h->name_len);
        h->f.os_version = sift_slice_make(h->text + h->version_off, h->version_len);
        k->fact(fc, &h->f);
    }
    for (size_t i = 0; i < s->n_obs; i++) {
        held_obs *o = &s->obs[i];
        for (unsigned a = 0; a < SIFT_OBS_ATTRS; a++)
            o->obs.attr[a] = sift_slice_make(o->attr[a], strlen(o->attr[a]));
        k->obs(fc, o->rule, &o->obs, sift_slice_make(o->host, o->host_len), &o->where);
    }
    k->merged(fc, s->offset + s->unit.len, &s->st);
}

/* Merge every slot that is done, oldest first, without waiting. Called
 * with the lock held; drops it while merging. */
static void merge_done(sift_units *u)
{
    while (u->tail < u->head && u->slots[u->tail % u->n_slots].state == DONE) {
        slot *s = &u->slots[u->tail % u->n_slots];
        pthread_mutex_unlock(&u->mu);
        merge(u, s);
        pthread_mutex_lock(&u->mu);
        s->state = FREE;
        u->tail++;
    }
}

static void skip_ends(sift_units *u);

/* Merge until fewer than `left` slots are unmerged. While it would wait, the
 * calling thread reads a queued unit itself: it is one of the readers, so
 * -j2 runs one worker beside it, and no thread idles while units wait. */
static void merge_until(sift_units *u, uint64_t left)
{
    for (;;) {
        merge_done(u);
        if (u->head - u->tail < left || u->head == u->tail)
            return;
        if (u->next_run < u->head) {
            slot *s = &u->slots[u->next_run++ % u->n_slots];
            skip_ends(u);
            s->state = RUNNING;
            pthread_mutex_unlock(&u->mu);
            read_unit(u, s, &u->scratch[MAX_WORKERS]);
            pthread_mutex_lock(&u->mu);
            s->state = DONE;
            pthread_cond_broadcast(&u->done);
            continue;
        }
        pthread_cond_wait(&u->done, &u->mu);
    }
}

/* ---- the pool ---------------------------------------------------------------------- */

/* File ends are not read: the next slot a worker takes is never one.
 * Called with the lock held. So a file's end is merged only after every
 * unit before it was taken (tail never passes next_run). */
static void skip_ends(sift_units *u)
{
    while (u->next_run < u->head && u->slots[u->next_run % u->n_slots].end)
        u->next_run++;
}

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
        skip_ends(u);
        s->state = RUNNING;
        pthread_mutex_unlock(&u->mu);
        read_unit(u, s, &u->scratch[me]);
        pthread_mutex_lock(&u->mu);
        s->state = DONE;
        pthread_cond_broadcast(&u->done);
    }
    pthread_mutex_unlock(&u->mu);
    return NULL;
}

sift_units *sift_units_create(int threads, const sift_units_filter *filter, const sift_units_sink *sink)
{
    sift_units *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->filter = *filter;
    u->sink = *sink;
    /* The calling thread reads too (merge_until): threads - 1 workers. */
    size_t readers = threads > 1 ? (size_t)(threads > (int)MAX_WORKERS ? (int)MAX_WORKERS : threads) : 1;
    size_t workers = readers - 1;
    u->n_slots = workers ? readers * SLOTS_PER_WORKER : 1;
    u->slots = calloc(u->n_slots, sizeof *u->slots);
    if (!u->slots || pthread_mutex_init(&u->mu, NULL) != 0) {
        free(u->slots);
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
    for (size_t i = 0; i <= MAX_WORKERS; i++)
        free(u->scratch[i].p);
    pthread_cond_destroy(&u->work);
    pthread_cond_destroy(&u->done);
    pthread_mutex_destroy(&u->mu);
    free(u->slots);
    free(u);
}

/* Queue a unit (or a file's end) into the next slot. */
static sift_status enqueue(sift_units *u, const sift_units_file *f, int end, sift_slice unit, uint64_t index,
                           uint64_t offset, int copy)
{
    slot *s;
    if (u->n_workers) {
        pthread_mutex_lock(&u->mu);
        /* The slot this one takes must have been merged. */
        merge_until(u, u->n_slots);
        s = &u->slots[u->head % u->n_slots];
        pthread_mutex_unlock(&u->mu);
    } else {
        s = &u->slots[0];
    }
    if (copy && unit.len) {
        uint8_t *c = grow(s->copy, &s->copy_cap, unit.len, 1);
        if (!c)
            return SIFT_ERR_NOMEM;
        s->copy = c;
        memcpy(c, unit.ptr, unit.len);
        unit = sift_slice_make(c, unit.len);
    }
    s->f = f;
    s->end = end;
    s->unit = unit;
    s->index = index;
    s->offset = offset;
    if (!u->n_workers) {
        read_unit(u, s, &u->scratch[MAX_WORKERS]);
        merge(u, s);
        return SIFT_OK;
    }
    pthread_mutex_lock(&u->mu);
    s->state = end ? DONE : QUEUED;
    u->head++;
    skip_ends(u);
    if (!end)
        pthread_cond_signal(&u->work);
    merge_done(u);
    pthread_mutex_unlock(&u->mu);
    return SIFT_OK;
}

sift_status sift_units_submit(sift_units *u, const sift_units_file *f, sift_slice unit, uint64_t index,
                              uint64_t offset, int copy)
{
    return enqueue(u, f, 0, unit, index, offset, copy);
}

sift_status sift_units_file_end(sift_units *u, const sift_units_file *f)
{
    return enqueue(u, f, 1, (sift_slice){ NULL, 0 }, 0, 0, 0);
}

void sift_units_drain(sift_units *u)
{
    if (!u->n_workers)
        return;
    pthread_mutex_lock(&u->mu);
    merge_until(u, 1);
    pthread_mutex_unlock(&u->mu);
}
