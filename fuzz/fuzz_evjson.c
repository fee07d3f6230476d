/* fuzz_evjson.c - the "json" format as the engine drives it: raw, inside a
 * top-level array, and behind a syslog prefix; whole and chunked alike; and
 * passing over lines (skip) between records framed one at a time, as the
 * engine does with its trigger search: it passes records only up to the
 * line start it was given (damage it drops may run further), counts the
 * line ends it passed, and leaves the reader where framing goes on without
 * fault. */
#include "fuzz_stream.h"
#include "sift_evjson.h"

static void check_skip(const sift_stream_ops *ops, const uint8_t *data, size_t size)
{
    void *st = malloc(ops->state_size);
    FUZZ_ASSERT(st != NULL);
    ops->init(st);
    sift_in in = { data, size, 0 };
    uint64_t before = 0; /* LFs in data[0, seen) */
    size_t seen = 0, i = 0;
    for (size_t rounds = 0; rounds <= size + 1; rounds++) {
        /* A line start ahead, as a trigger search would give. */
        size_t upto = in.pos + fuzz_chunk(data, size, i++) % (size - in.pos + 1);
        while (upto < size && upto > 0 && data[upto - 1] != '\n')
            upto++;
        const size_t from = in.pos;
        uint64_t lf = 0;
        const size_t n = ops->skip(st, &in, upto, &lf);
        /* Past upto only while dropping a damaged record's lines. */
        FUZZ_ASSERT(in.pos >= from && in.pos <= size && (in.pos <= upto || n == 0));
        FUZZ_ASSERT(in.pos > from || (n == 0 && lf == 0));
        uint64_t want = 0;
        for (size_t k = from; k < in.pos; k++)
            want += data[k] == '\n';
        FUZZ_ASSERT(lf == want && n <= lf + 1);
        sift_rec rec;
        sift_recs out = { &rec, 1, 0 };
        sift_error err = { SIFT_OK, 0, NULL };
        const size_t at = in.pos;
        sift_status rc = ops->finish(st, &in, 0, &out, &err);
        if (out.n) {
            FUZZ_ASSERT(fuzz_inside(rec.bytes.ptr, rec.bytes.len, data, size));
            /* The line of a record framed after passing over lines is
             * still one more than the line ends before it. */
            FUZZ_ASSERT(rec.offset >= seen);
            for (; seen < rec.offset; seen++)
                before += data[seen] == '\n';
            FUZZ_ASSERT(rec.line == before + 1);
            sift_event ev;
            ops->decode(st, &rec, &ev, &err);
        }
        if (rc == SIFT_NEED_MORE && out.n == 0 && in.pos == at && in.pos == from)
            break;
        if (in.pos >= size)
            break;
    }
    free(st);
}

/* Every line the line format frames decodes alone, or fails with an error
 * at an offset inside it; fields point into the line or the scratch. */
static void check_lines(const sift_line_ops *ops, const uint8_t *data, size_t size)
{
    static uint8_t *scratch; /* one per process, as the engine keeps one per scan */
    if (!scratch)
        scratch = malloc(ops->scratch_size);
    FUZZ_ASSERT(scratch != NULL);
    for (size_t at = 0; at < size;) {
        const uint8_t *nl = memchr(data + at, '\n', size - at);
        const size_t end = nl ? (size_t)(nl - data) + 1 : size;
        const sift_slice line = sift_slice_make(data + at, end - at);
        if (ops->frame(line)) {
            /* The record runs on to the end of the input. */
            const sift_slice rec = sift_slice_make(data + at, size - at);
            sift_event ev;
            sift_error err = { SIFT_OK, 0, NULL };
            const sift_status st = ops->decode_in(scratch, rec, 100, &ev, &err);
            if (st == SIFT_OK) {
                FUZZ_ASSERT(fuzz_inside(ev.provider.ptr, ev.provider.len, rec.ptr, rec.len) ||
                            fuzz_inside(ev.provider.ptr, ev.provider.len, scratch, ops->scratch_size));
                FUZZ_ASSERT(fuzz_inside(ev.message.ptr, ev.message.len, rec.ptr, rec.len) ||
                            fuzz_inside(ev.message.ptr, ev.message.len, scratch, ops->scratch_size));
            } else {
                FUZZ_ASSERT(sift_is_error(st) && err.offset >= 100 && err.offset <= 100 + line.len);
            }
        }
        at = end;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const sift_format *f = &sift_evjson_format;
    FUZZ_ASSERT(f->line != NULL && f->stream != NULL && f->n_patterns == 0);
    f->stream->sniff(sift_slice_make(data, size < SIFT_SNIFF_BYTES ? size : SIFT_SNIFF_BYTES));
    fz_check_stream(f->stream, data, size);
    fz_check_behind(f->stream, "[\n", data, size);
    fz_check_behind(f->stream, "<14>Jul 10 09:00:00 RDG01 nxWinEvt[1]: {\"EventID\":1000}\n", data, size);
    check_skip(f->stream, data, size);
    check_lines(f->line, data, size);
    return 0;
}
