/* stream_harness.h - drives a stream format (sift_stream_ops) as the engine
 * does: bytes arrive in chunks, what next() leaves is presented again in
 * front of the next chunk, each call's window lies flush against a guard
 * page, and every record is decoded while its bytes are live. A run keeps
 * copies of what came out, so runs with different chunkings compare. */
#ifndef SIFT_TEST_STREAM_HARNESS_H
#define SIFT_TEST_STREAM_HARNESS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "sbuf.h"
#include "sift_format.h"

typedef struct sh_item {
    int is_error;
    sift_status code; /* the error, or the status decode() returned */
    uint64_t offset;  /* the record's or the error's */
    uint64_t line;
    uint16_t id;
    uint8_t has_id;
    char *bytes, *provider; /* NUL-terminated copies */
    size_t len;
    /* decode() */
    unsigned have;
    uint8_t level;
    sift_when time; /* after retime() at the end when it was guessed */
    char *time_text, *message, *fld[SIFT_FLD_COUNT];
} sh_item;

typedef struct sh_run {
    sh_item *it;
    size_t n, cap;
    size_t records, errors, guessed;
    int settled;
    char describe[200];
} sh_run;

static inline int sh_inside(sift_slice s, const uint8_t *p, size_t n)
{
    return s.len == 0 || (s.ptr >= p && s.len <= n && (size_t)(s.ptr - p) <= n - s.len);
}

static inline char *sh_dup(sift_slice s)
{
    char *d = malloc(s.len + 1);
    cr_assert_not_null(d);
    if (s.len)
        memcpy(d, s.ptr, s.len);
    d[s.len] = '\0';
    return d;
}

static inline sh_item *sh_push(sh_run *r)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->it = realloc(r->it, r->cap * sizeof *r->it);
        cr_assert_not_null(r->it);
    }
    sh_item *it = &r->it[r->n++];
    memset(it, 0, sizeof *it);
    return it;
}

/* Every slice of a decoded event points into the record, or into the
 * format's state (where it decodes escaped text). */
static inline void sh_expect_event_inside(const sift_event *ev, sift_slice rec, const void *state, size_t state_size)
{
    sift_slice all[5 + SIFT_FLD_COUNT] = { ev->provider, ev->channel, ev->computer, ev->time_text, ev->message };
    memcpy(all + 5, ev->fld, sizeof ev->fld);
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        cr_assert(sh_inside(all[i], rec.ptr, rec.len) || sh_inside(all[i], state, state_size),
                  "decoded slice %zu outside the record", i);
}

static inline void sh_take(const sift_stream_ops *ops, void *state, sh_run *r, const sift_rec *rec,
                           const uint8_t *win, size_t wn)
{
    cr_assert(sh_inside(rec->bytes, win, wn), "record bytes outside the window");
    cr_assert(sh_inside(rec->provider, rec->bytes.ptr, rec->bytes.len), "provider outside the record");
    sh_item *it = sh_push(r);
    it->offset = rec->offset;
    it->line = rec->line;
    it->id = rec->id;
    it->has_id = rec->has_id;
    it->bytes = sh_dup(rec->bytes);
    it->len = rec->bytes.len;
    it->provider = sh_dup(rec->provider);
    const int settled_before = ops->settled ? ops->settled(state) : 1;
    sift_event ev;
    sift_error err = { SIFT_OK, 0, NULL };
    it->code = ops->decode(state, rec, &ev, &err);
    sh_expect_event_inside(&ev, rec->bytes, state, ops->state_size);
    for (size_t f = 0; f < SIFT_FLD_COUNT; f++)
        it->fld[f] = sh_dup(ev.fld[f]);
    it->have = ev.have;
    it->level = ev.level;
    it->time = ev.time;
    it->time_text = sh_dup(ev.time_text);
    it->message = sh_dup(ev.message);
    if (ev.have & SIFT_EV_TIME_GUESSED) {
        cr_assert_not(settled_before, "a time guessed after the order was settled");
        r->guessed++;
    }
    r->records++;
}

/* Drops the pos bytes next() took and moves what it left to the front,
 * where the next chunk is appended behind it, as the engine keeps it. */
static inline void sh_keep(uint8_t *win, size_t *wn, uint64_t *base, size_t pos)
{
    memmove(win, win + pos, *wn - pos);
    *wn -= pos;
    *base += pos;
}

/* Frames len bytes of text through ops, chunk bytes at a time (0: all at
 * once), with room for batch records per call, decoding each. With finish 0
 * the stream is left open (finish() is never called), as for a prefix. */
static inline sh_run sh_frame(const sift_stream_ops *ops, const void *text, size_t len, size_t chunk, size_t batch,
                              int finish)
{
    sh_run r = { 0 };
    void *state = aligned_alloc(16, (ops->state_size + 15) / 16 * 16);
    cr_assert_not_null(state);
    ops->init(state);
    sift_rec *recs = calloc(batch, sizeof *recs);
    uint8_t *win = malloc(len + 1);
    cr_assert(recs && win);
    size_t wn = 0, fed = 0;
    uint64_t base = 0;
    if (chunk == 0)
        chunk = len ? len : 1;
    for (;;) {
        const size_t take = len - fed < chunk ? len - fed : chunk;
        if (take)
            memcpy(win + wn, (const uint8_t *)text + fed, take);
        wn += take;
        fed += take;
        const int at_end = fed == len, last = at_end && finish;
        sift_status st;
        do {
            guard_buf g = guard_copy(win, wn);
            sift_in in = { g.ptr, wn, 0 };
            sift_recs out = { recs, batch, 0 };
            sift_error err = { SIFT_OK, 0, NULL };
            st = (last ? ops->finish : ops->next)(state, &in, base, &out, &err);
            cr_assert(in.pos <= wn && out.n <= batch);
            for (size_t i = 0; i < out.n; i++)
                sh_take(ops, state, &r, &recs[i], g.ptr, wn);
            if (sift_is_error(st)) {
                cr_assert(in.pos > 0, "an error must consume the damaged bytes");
                cr_assert_eq(err.code, st);
                cr_assert_not_null(err.detail);
                cr_assert(err.offset >= base && err.offset < base + wn, "error offset %llu outside the window",
                          (unsigned long long)err.offset);
                sh_item *it = sh_push(&r);
                it->is_error = 1;
                it->code = st;
                it->offset = err.offset;
                r.errors++;
            } else {
                cr_assert(st == SIFT_OK || st == SIFT_NEED_MORE, "status %d", st);
                cr_assert(st != SIFT_OK || out.n == batch, "OK with room left in out");
            }
            guard_free(&g);
            sh_keep(win, &wn, &base, in.pos);
        } while (st != SIFT_NEED_MORE);
        if (at_end)
            break;
    }
    /* The engine retimes what was guessed once the order is settled, or at
     * the end on the default; the order never changes once settled, so at
     * the end gives the same. */
    for (size_t i = 0; i < r.n; i++) {
        sh_item *it = &r.it[i];
        if (!it->is_error && (it->have & SIFT_EV_TIME_GUESSED)) {
            cr_assert_not_null(ops->retime);
            sift_when w;
            const int ok = ops->retime(state, sift_slice_make(it->time_text, strlen(it->time_text)), &w);
            cr_assert(ok && w.valid, "retime of \"%s\"", it->time_text);
            it->time = w;
        }
    }
    r.settled = ops->settled ? ops->settled(state) : 1;
    if (ops->describe)
        ops->describe(state, r.describe, sizeof r.describe);
    free(win);
    free(recs);
    free(state);
    return r;
}

static inline void sh_free(sh_run *r)
{
    for (size_t i = 0; i < r->n; i++) {
        sh_item *it = &r->it[i];
        free(it->bytes);
        free(it->provider);
        free(it->time_text);
        free(it->message);
        for (size_t f = 0; f < SIFT_FLD_COUNT; f++)
            free(it->fld[f]);
    }
    free(r->it);
    memset(r, 0, sizeof *r);
}

static inline int sh_str_eq(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* Same records, errors, offsets, lines, decoded fields and final times; the
 * guessed flag may differ (it depends on how far framing ran ahead). */
static inline void sh_expect_same(const sh_run *a, const sh_run *b, const char *what)
{
    cr_assert_eq(a->n, b->n, "%s: %zu items vs %zu", what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const sh_item *x = &a->it[i], *y = &b->it[i];
        cr_assert_eq(x->is_error, y->is_error, "%s: item %zu", what, i);
        cr_assert_eq(x->code, y->code, "%s: item %zu", what, i);
        cr_assert_eq(x->offset, y->offset, "%s: item %zu offset %llu vs %llu", what, i,
                     (unsigned long long)x->offset, (unsigned long long)y->offset);
        if (x->is_error)
            continue;
        cr_assert_eq(x->line, y->line, "%s: item %zu", what, i);
        cr_assert_eq(x->id, y->id, "%s: item %zu", what, i);
        cr_assert_eq(x->has_id, y->has_id, "%s: item %zu", what, i);
        cr_assert_eq(x->len, y->len, "%s: item %zu", what, i);
        cr_assert(memcmp(x->bytes, y->bytes, x->len) == 0, "%s: item %zu", what, i);
        cr_assert(sh_str_eq(x->provider, y->provider), "%s: item %zu", what, i);
        cr_assert_eq(x->have & ~(unsigned)SIFT_EV_TIME_GUESSED, y->have & ~(unsigned)SIFT_EV_TIME_GUESSED,
                     "%s: item %zu", what, i);
        cr_assert_eq(x->level, y->level, "%s: item %zu", what, i);
        cr_assert(x->time.valid == y->time.valid && x->time.secs == y->time.secs, "%s: item %zu time", what, i);
        cr_assert(sh_str_eq(x->message, y->message), "%s: item %zu", what, i);
        for (size_t f = 0; f < SIFT_FLD_COUNT; f++)
            cr_assert(sh_str_eq(x->fld[f], y->fld[f]), "%s: item %zu field %zu", what, i, f);
    }
    cr_assert_str_eq(a->describe, b->describe, "%s", what);
    cr_assert_eq(a->settled, b->settled, "%s", what);
}

/* Every prefix of a valid input, left open: NEED_MORE, never an error, and
 * the records so far are the first records of the whole. */
static inline void sh_expect_every_prefix(const sift_stream_ops *ops, const char *text, size_t len)
{
    sh_run whole = sh_frame(ops, text, len, 0, 64, 1);
    cr_assert_eq(whole.errors, 0, "the whole input must be valid");
    for (size_t i = 0; i <= len; i++) {
        sh_run p = sh_frame(ops, text, i, 0, 64, 0);
        cr_assert_eq(p.errors, 0, "prefix %zu has an error", i);
        cr_assert(p.n <= whole.n, "prefix %zu", i);
        for (size_t k = 0; k < p.n; k++) {
            const sh_item *x = &p.it[k], *y = &whole.it[k];
            cr_assert(x->offset == y->offset && x->line == y->line && x->len == y->len &&
                          memcmp(x->bytes, y->bytes, x->len) == 0 && x->id == y->id,
                      "prefix %zu: record %zu differs from the whole input's", i, k);
        }
        sh_free(&p);
    }
    sh_free(&whole);
}

/* Split in two at every byte, and fed 1, 2, 3, 7 and 64 bytes at a time
 * with batches of 1 and 3 records: the same as whole. */
static inline void sh_expect_chunking_invariant(const sift_stream_ops *ops, const char *text, size_t len)
{
    sh_run whole = sh_frame(ops, text, len, 0, 64, 1);
    for (size_t cut = 0; cut <= len; cut++) {
        /* Two chunks: the first cut bytes, then the rest. */
        sh_run two = sh_frame(ops, text, len, cut ? cut : 1, 2, 1);
        sh_expect_same(&whole, &two, "split in two");
        sh_free(&two);
    }
    static const size_t chunks[] = { 1, 2, 3, 7, 64 };
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++)
        for (size_t batch = 1; batch <= 3; batch += 2) {
            sh_run r = sh_frame(ops, text, len, chunks[c], batch, 1);
            sh_expect_same(&whole, &r, "fixed chunks");
            sh_free(&r);
        }
    sh_free(&whole);
}

#endif
