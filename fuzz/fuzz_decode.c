/* fuzz_decode.c - decoding gives the same output and errors whatever the input chunks and output room. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sift_decode.h"

#define MAX_IN ((size_t)64 * 1024)
#define MAX_OUT ((size_t)2 << 20) /* bombs stop here: more output proves nothing new */
#define MAX_EVENTS 512

typedef struct trace {
    uint8_t *out;
    size_t len;
    sift_error ev[MAX_EVENTS]; /* every error, from run and finish, in order */
    size_t ev_at[MAX_EVENTS];  /* output length when it was reported */
    size_t nev;
    int capped;
    uint64_t skipped;
} trace;

typedef struct feed {
    const uint8_t *data;
    size_t size;
    int chunked;
    size_t drains;
} feed;

static void note(trace *t, const sift_error *e, sift_status st, size_t size)
{
    FUZZ_ASSERT(e->code == st && e->detail != NULL && e->offset < size);
    FUZZ_ASSERT(t->nev == 0 || e->offset > t->ev[t->nev - 1].offset); /* each region once */
    FUZZ_ASSERT(t->nev < MAX_EVENTS);
    t->ev_at[t->nev] = t->len;
    t->ev[t->nev++] = *e;
}

/* Output room for the next drain: small first, then larger so bombs stay cheap. */
static size_t room(const feed *f, const trace *t)
{
    const size_t n = f->chunked ? fuzz_chunk(f->data, f->size, f->drains + 31) * (t->len > 65536 ? 256 : 1)
                          : MAX_OUT;
    return n < MAX_OUT - t->len ? n : MAX_OUT - t->len;
}

/* Run until in is consumed or the output cap is reached; 0 when capped. The
 * caller presents the unconsumed rest again after DST_FULL, from new memory. */
static int pump(sift_decoder *d, sift_in *in, uint8_t **owned, feed *f, trace *t)
{
    for (size_t spins = 0;; spins++) {
        FUZZ_ASSERT(spins < 4 * (f->size + MAX_OUT) + 64); /* progress */
        sift_out out = { t->out + t->len, room(f, t), 0 };
        if (out.size == 0) {
            t->capped = 1;
            return 0;
        }
        const size_t in0 = in->pos;
        sift_error e = { 0 };
        const sift_status st = sift_decode_run(d, in, &out, &e);
        FUZZ_ASSERT(in->pos <= in->size && out.pos <= out.size);
        t->len += out.pos;
        if (sift_is_error(st)) {
            FUZZ_ASSERT(st == SIFT_ERR_CORRUPT || st == SIFT_ERR_NOMEM);
            note(t, &e, st, f->size);
            continue;
        }
        if (st == SIFT_NEED_MORE) {
            FUZZ_ASSERT(in->pos == in->size && out.pos < out.size);
            return 1;
        }
        FUZZ_ASSERT(st == SIFT_DST_FULL ? out.pos == out.size : in->pos > in0 || out.pos > 0);
        f->drains++;
        if (st == SIFT_DST_FULL && *owned && in->pos > 0) {
            const size_t rest = in->size - in->pos;
            uint8_t *copy = malloc(rest ? rest : 1);
            FUZZ_ASSERT(copy != NULL);
            memcpy(copy, in->buf + in->pos, rest);
            free(*owned);
            *owned = copy;
            *in = (sift_in){ copy, rest, 0 };
        }
    }
}

/* d is reused across inputs through reset, as the engine reuses it. */
static void decode(sift_decoder *d, sift_codec codec, feed *f, trace *t)
{
    sift_decode_reset(d, codec);
    int going = 1;
    for (size_t off = 0, i = 0; going && off < f->size; i++) {
        size_t n = f->chunked ? fuzz_chunk(f->data, f->size, i) : f->size;
        n = n < f->size - off ? n : f->size - off;
        uint8_t *piece = malloc(n); /* exact size: ASan sees any over-read */
        FUZZ_ASSERT(piece != NULL);
        memcpy(piece, f->data + off, n);
        sift_in in = { piece, n, 0 };
        going = pump(d, &in, &piece, f, t);
        free(piece);
        off += n;
    }
    for (size_t round = 0; going; round++) {
        FUZZ_ASSERT(round <= f->size + 1);
        sift_error e = { 0 };
        const sift_status st = sift_decode_finish(d, &e);
        if (st == SIFT_OK)
            break;
        if (st != SIFT_NEED_MORE) {
            FUZZ_ASSERT(st == SIFT_ERR_TRUNCATED);
            note(t, &e, st, f->size);
        }
        sift_in empty = { NULL, 0, 0 };
        uint8_t *none = NULL;
        going = pump(d, &empty, &none, f, t);
    }
    t->skipped = sift_decode_skipped(d);
    FUZZ_ASSERT(t->skipped <= f->size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out_a[MAX_OUT], out_b[MAX_OUT];
    static trace a, b;
    static sift_decoder *da, *db;
    if (size > MAX_IN)
        return 0;
    if (!da) {
        da = sift_decode_create();
        db = sift_decode_create();
        FUZZ_ASSERT(da != NULL && db != NULL);
    }
    sift_codec codec = sift_decode_sniff(sift_slice_make(data, size));
    if (codec == SIFT_CODEC_PLAIN && size > 0)
        codec = (sift_codec)(data[0] % 3); /* also damage right at the start */
    a = (trace){ .out = out_a };
    b = (trace){ .out = out_b };
    feed whole = { data, size, 0, 0 }, chunked = { data, size, 1, 0 };
    decode(da, codec, &whole, &a);
    decode(db, codec, &chunked, &b);

    FUZZ_ASSERT(a.capped == b.capped && a.len == b.len);
    FUZZ_ASSERT(memcmp(a.out, b.out, a.len) == 0);
    size_t na = a.nev, nb = b.nev;
    if (a.capped) { /* an error reported just as the cap was hit may be cut off */
        while (na && a.ev_at[na - 1] >= MAX_OUT)
            na--;
        while (nb && b.ev_at[nb - 1] >= MAX_OUT)
            nb--;
    }
    FUZZ_ASSERT(na == nb);
    for (size_t i = 0; i < na; i++) {
        FUZZ_ASSERT(a.ev[i].code == b.ev[i].code && a.ev[i].offset == b.ev[i].offset);
        FUZZ_ASSERT(a.ev_at[i] == b.ev_at[i] && strcmp(a.ev[i].detail, b.ev[i].detail) == 0);
    }
    FUZZ_ASSERT(a.capped || a.skipped == b.skipped);
    if (codec == SIFT_CODEC_PLAIN)
        FUZZ_ASSERT(a.len == size && a.nev == 0 && (size == 0 || memcmp(a.out, data, size) == 0));
    return 0;
}
