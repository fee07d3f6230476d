/* fuzz_stream.h - the property checks every stream format (sift_stream_ops)
 * gets: fed whole and in fuzzer-chosen chunks and batches it must give the
 * same records, errors, lines and decoded fields; every call makes progress;
 * every slice lies inside the bytes it was given; lines are counted right. */
#ifndef SIFT_FUZZ_STREAM_H
#define SIFT_FUZZ_STREAM_H

#include <string.h>

#include "fuzz.h"
#include "sift_format.h"

/* What one record or error leaves behind; slices as stream offsets, so two
 * runs over the same bytes compare without copies. */
typedef struct fz_item {
    sift_status code; /* the error, or what decode() returned */
    uint8_t is_error, has_id, level;
    uint16_t id;
    unsigned have;
    uint64_t offset, line, len, provider_at, provider_len, message_at, message_len, time_at, time_len;
    int64_t secs;
    uint8_t valid;
} fz_item;

typedef struct fz_run {
    fz_item *it;
    size_t n, cap;
    char describe[160];
    int settled;
    uint64_t counted, lines; /* LFs in data[0, counted), for the line check */
} fz_run;

/* Stream offset of s, a slice of the record; 0 when empty. Text a format
 * decoded into its state has no offset: it compares by content (a hash
 * with the top bit set). */
static inline uint64_t fz_at(const sift_rec *rec, sift_slice s)
{
    if (s.len == 0)
        return 0;
    if (fuzz_inside(s.ptr, s.len, rec->bytes.ptr, rec->bytes.len))
        return rec->offset + (uint64_t)(s.ptr - rec->bytes.ptr);
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < s.len; i++)
        h = (h ^ s.ptr[i]) * 1099511628211ull;
    return h | 1ull << 63;
}

static inline void fz_take(const sift_stream_ops *ops, void *state, fz_run *r, const sift_rec *rec,
                           const uint8_t *data, uint64_t base, const uint8_t *win, size_t wn)
{
    FUZZ_ASSERT(r->n < r->cap);
    FUZZ_ASSERT(fuzz_inside(rec->bytes.ptr, rec->bytes.len, win, wn));
    FUZZ_ASSERT(rec->bytes.len == 0 || rec->offset == base + (uint64_t)(rec->bytes.ptr - win));
    FUZZ_ASSERT(fuzz_inside(rec->provider.ptr, rec->provider.len, rec->bytes.ptr, rec->bytes.len));
    /* The line a record starts on is one more than the LFs before it.
     * Records come in stream order, so the count runs on from the last. */
    FUZZ_ASSERT(rec->offset >= r->counted);
    for (; r->counted < rec->offset; r->counted++)
        r->lines += data[r->counted] == '\n';
    FUZZ_ASSERT(rec->line == r->lines + 1);

    fz_item *it = &r->it[r->n++];
    memset(it, 0, sizeof *it);
    it->offset = rec->offset;
    it->line = rec->line;
    it->len = rec->bytes.len;
    it->id = rec->id;
    it->has_id = rec->has_id;
    it->provider_at = fz_at(rec, rec->provider);
    it->provider_len = rec->provider.len;

    const int settled = ops->settled ? ops->settled(state) : 1;
    sift_event ev;
    sift_error err = { SIFT_OK, 0, NULL };
    it->code = ops->decode(state, rec, &ev, &err);
    /* Slices point into the record, or into the state where a format
     * decodes escaped text; fields into the message, or with EventData
     * into its values. */
    const sift_slice sl[] = { ev.provider, ev.channel, ev.computer, ev.time_text, ev.message };
    for (size_t i = 0; i < sizeof sl / sizeof sl[0]; i++)
        FUZZ_ASSERT(fuzz_inside(sl[i].ptr, sl[i].len, rec->bytes.ptr, rec->bytes.len) ||
                    fuzz_inside(sl[i].ptr, sl[i].len, state, ops->state_size));
    for (size_t f = 0; f < SIFT_FLD_COUNT; f++)
        FUZZ_ASSERT(fuzz_inside(ev.fld[f].ptr, ev.fld[f].len, ev.message.ptr, ev.message.len) ||
                    (ev.n_data && (fuzz_inside(ev.fld[f].ptr, ev.fld[f].len, rec->bytes.ptr, rec->bytes.len) ||
                                   fuzz_inside(ev.fld[f].ptr, ev.fld[f].len, state, ops->state_size))));
    FUZZ_ASSERT(it->code == SIFT_OK || (sift_is_error(it->code) && err.code == it->code && ev.have == 0));
    FUZZ_ASSERT(it->code != SIFT_OK || ((ev.have & SIFT_EV_ID) && ev.id == rec->id));
    FUZZ_ASSERT(!(settled && (ev.have & SIFT_EV_TIME_GUESSED)));
    it->have = ev.have & ~(unsigned)SIFT_EV_TIME_GUESSED;
    it->level = ev.level;
    it->message_at = fz_at(rec, ev.message);
    it->message_len = ev.message.len;
    it->time_at = fz_at(rec, ev.time_text);
    it->time_len = ev.time_text.len;
    it->valid = ev.time.valid;
    it->secs = ev.time.secs;
    FUZZ_ASSERT(!(ev.have & SIFT_EV_TIME_GUESSED) || ev.time.valid);
    /* A guessed time is read again once the order is known (or at the
     * end): that final reading is what must not depend on chunking. */
    if (ev.have & SIFT_EV_TIME_GUESSED)
        it->valid = 2;
}

/* Frames size bytes of data: in chunks from fuzz_chunk (seeded at salt) when
 * chunked, else whole; batch records per call. */
static inline void fz_frame(const sift_stream_ops *ops, const uint8_t *data, size_t size, int chunked, size_t salt,
                            size_t batch, fz_run *r)
{
    void *state = aligned_alloc(16, (ops->state_size + 15) / 16 * 16);
    FUZZ_ASSERT(state != NULL);
    ops->init(state);
    r->n = 0;
    r->counted = r->lines = 0;
    r->cap = size + 2;
    r->it = malloc(r->cap * sizeof *r->it);
    sift_rec *recs = malloc(batch * sizeof *recs);
    uint8_t *win = malloc(size + 1);
    FUZZ_ASSERT(r->it && recs && win);
    size_t wn = 0, fed = 0, calls = 0;
    uint64_t base = 0;
    for (;;) {
        size_t take = chunked ? fuzz_chunk(data, size, salt + calls) : size;
        if (take > size - fed)
            take = size - fed;
        if (take)
            memcpy(win + wn, data + fed, take);
        wn += take;
        fed += take;
        const int at_end = fed == size;
        sift_status st;
        do {
            /* A call that neither fills out nor errs must ask for more. */
            sift_in in = { win, wn, 0 };
            sift_recs out = { recs, batch, 0 };
            sift_error err = { SIFT_OK, 0, NULL };
            st = (at_end ? ops->finish : ops->next)(state, &in, base, &out, &err);
            calls++;
            FUZZ_ASSERT(in.pos <= wn && out.n <= batch);
            for (size_t i = 0; i < out.n; i++)
                fz_take(ops, state, r, &recs[i], data, base, win, wn);
            if (sift_is_error(st)) {
                FUZZ_ASSERT(in.pos > 0 && err.code == st && err.detail != NULL);
                FUZZ_ASSERT(err.offset >= base && err.offset < base + wn);
                FUZZ_ASSERT(r->n < r->cap);
                fz_item *it = &r->it[r->n++];
                memset(it, 0, sizeof *it);
                it->is_error = 1;
                it->code = st;
                it->offset = err.offset;
            } else {
                FUZZ_ASSERT(st == SIFT_NEED_MORE || (st == SIFT_OK && out.n == batch));
            }
            memmove(win, win + in.pos, wn - in.pos);
            wn -= in.pos;
            base += in.pos;
        } while (st != SIFT_NEED_MORE);
        if (at_end)
            break;
    }
    for (size_t i = 0; i < r->n; i++) {
        fz_item *it = &r->it[i];
        if (it->is_error || it->valid != 2)
            continue;
        sift_when w;
        FUZZ_ASSERT(ops->retime != NULL);
        FUZZ_ASSERT(ops->retime(state, sift_slice_make(data + it->time_at, it->time_len), &w) == 1 && w.valid);
        it->valid = 1;
        it->secs = w.secs;
    }
    r->settled = ops->settled ? ops->settled(state) : 1;
    r->describe[0] = '\0';
    if (ops->describe) {
        const size_t n = ops->describe(state, r->describe, sizeof r->describe);
        FUZZ_ASSERT(n < sizeof r->describe && r->describe[n] == '\0');
    }
    free(win);
    free(recs);
    free(state);
}

static inline void fz_expect_same(const fz_run *a, const fz_run *b)
{
    FUZZ_ASSERT(a->n == b->n);
    for (size_t i = 0; i < a->n; i++) {
        const fz_item *x = &a->it[i], *y = &b->it[i];
        FUZZ_ASSERT(x->is_error == y->is_error && x->code == y->code && x->offset == y->offset);
        FUZZ_ASSERT(x->line == y->line && x->len == y->len && x->id == y->id && x->has_id == y->has_id);
        FUZZ_ASSERT(x->provider_at == y->provider_at && x->provider_len == y->provider_len);
        FUZZ_ASSERT(x->have == y->have && x->level == y->level);
        FUZZ_ASSERT(x->message_at == y->message_at && x->message_len == y->message_len);
        FUZZ_ASSERT(x->time_at == y->time_at && x->time_len == y->time_len);
        FUZZ_ASSERT(x->valid == y->valid && x->secs == y->secs);
    }
    FUZZ_ASSERT(a->settled == b->settled && strcmp(a->describe, b->describe) == 0);
}

/* The whole check: whole input with a roomy batch, against chunked input
 * with a small one. */
static inline void fz_check_stream(const sift_stream_ops *ops, const uint8_t *data, size_t size)
{
    fz_run whole, chunked;
    fz_frame(ops, data, size, 0, 0, 64, &whole);
    fz_frame(ops, data, size, 1, size ? data[0] : 0, size ? 1 + data[size - 1] % 3 : 1, &chunked);
    fz_expect_same(&whole, &chunked);
    free(whole.it);
    free(chunked.it);
}

/* The same behind header (a C string), which the format must sniff: from
 * the first byte of data on, the fuzzer is among records. */
static inline void fz_check_behind(const sift_stream_ops *ops, const char *header, const uint8_t *data, size_t size)
{
    const size_t hl = strlen(header), n = hl + size;
    uint8_t *buf = malloc(n);
    FUZZ_ASSERT(buf != NULL);
    memcpy(buf, header, hl);
    if (size)
        memcpy(buf + hl, data, size);
    FUZZ_ASSERT(ops->sniff(sift_slice_make(buf, n < SIFT_SNIFF_BYTES ? n : SIFT_SNIFF_BYTES)));
    fz_check_stream(ops, buf, n);
    free(buf);
}

#endif
