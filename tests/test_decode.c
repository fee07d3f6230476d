/* test_decode.c - zstd, gzip and plain decoding: round trips, damage, resynchronisation, chunking, limits. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#define ZLIB_CONST
#include <zlib.h>
#include <zstd.h>

#include "guard.h"
#include "sift_decode.h"

/* ---- growable bytes */

typedef struct bytes {
    uint8_t *p;
    size_t len, cap;
} bytes;

static void bytes_put(bytes *b, const void *src, size_t n)
{
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len < n)
            cap *= 2;
        b->p = realloc(b->p, cap);
        cr_assert_not_null(b->p);
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void bytes_cat(bytes *b, const bytes *src)
{
    bytes_put(b, src->p, src->len);
}

static void bytes_free(bytes *b)
{
    free(b->p);
    *b = (bytes){ 0 };
}

static int starts_with(const bytes *b, const bytes *prefix)
{
    return b->len >= prefix->len && memcmp(b->p, prefix->p, prefix->len) == 0;
}

static int ends_with(const bytes *b, const bytes *suffix)
{
    return b->len >= suffix->len && memcmp(b->p + b->len - suffix->len, suffix->p, suffix->len) == 0;
}

/* ---- inputs */

/* Windows-log-like text: compressible, but not trivially. */
static bytes make_log(size_t n, unsigned seed)
{
    static const char *const users[] = { "alice", "bob", "SYSTEM", "svc_backup", "Administrator" };
    bytes b = { 0 };
    uint32_t x = seed * 2654435761u + 1;
    char line[200];
    while (b.len < n) {
        x = x * 1664525u + 1013904223u;
        const int k = snprintf(line, sizeof line,
                               "2024-03-%02u %02u:%02u:%02u HOST-%03u Security 4625 logon failed "
                               "user=%s src=10.%u.%u.%u code=0x%08x\r\n",
                               1 + (x >> 27), (x >> 8) % 24, (x >> 12) % 60, (x >> 16) % 60,
                               (x >> 4) % 100, users[(x >> 20) % 5], (x >> 5) % 256, (x >> 13) % 256,
                               (x >> 21) % 256, x);
        bytes_put(&b, line, (size_t)k);
    }
    b.len = n;
    return b;
}

/* One frame with its content size in the header. */
static bytes zstd_frame(const bytes *src, int level, int checksum)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    cr_assert_not_null(c);
    cr_assert(!ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level)));
    cr_assert(!ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, checksum)));
    bytes b = { 0 };
    b.cap = ZSTD_compressBound(src->len);
    b.p = malloc(b.cap);
    cr_assert_not_null(b.p);
    const size_t n = ZSTD_compress2(c, b.p, b.cap, src->p, src->len);
    cr_assert(!ZSTD_isError(n), "%s", ZSTD_getErrorName(n));
    b.len = n;
    ZSTD_freeCCtx(c);
    return b;
}

/* One frame written as a stream of unknown size, so the header keeps the
 * window log asked for (0: the level's default). */
static bytes zstd_streamed(const bytes *src, int level, int window_log)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    cr_assert_not_null(c);
    cr_assert(!ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level)));
    if (window_log)
        cr_assert(!ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, window_log)));
    bytes b = { 0 };
    uint8_t tmp[65536];
    ZSTD_inBuffer in = { src->p, src->len, 0 };
    for (ZSTD_EndDirective mode = ZSTD_e_continue;; mode = ZSTD_e_end) {
        size_t left;
        do {
            ZSTD_outBuffer out = { tmp, sizeof tmp, 0 };
            left = ZSTD_compressStream2(c, &out, &in, mode);
            cr_assert(!ZSTD_isError(left), "%s", ZSTD_getErrorName(left));
            bytes_put(&b, tmp, out.pos);
        } while (mode == ZSTD_e_end ? left != 0 : in.pos < in.size);
        if (mode == ZSTD_e_end)
            break;
    }
    ZSTD_freeCCtx(c);
    return b;
}

static bytes gzip_member(const bytes *src, int level)
{
    z_stream z = { 0 };
    cr_assert_eq(deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    bytes b = { 0 };
    b.cap = deflateBound(&z, (uLong)src->len) + 64;
    b.p = malloc(b.cap);
    cr_assert_not_null(b.p);
    z.next_in = src->p;
    z.avail_in = (uInt)src->len;
    z.next_out = b.p;
    z.avail_out = (uInt)b.cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    b.len = z.total_out;
    deflateEnd(&z);
    return b;
}

static void put_skippable(bytes *b, uint8_t nibble, uint32_t n, uint8_t fill)
{
    const uint8_t h[8] = { (uint8_t)(0x50 | nibble), 0x2A, 0x4D, 0x18, (uint8_t)n, (uint8_t)(n >> 8),
                           (uint8_t)(n >> 16), (uint8_t)(n >> 24) };
    bytes_put(b, h, sizeof h);
    for (uint32_t i = 0; i < n; i++)
        bytes_put(b, &fill, 1);
}

static void put_str(bytes *b, const char *s)
{
    bytes_put(b, s, strlen(s));
}

/* Offsets of the block headers of the zstd frame at f (RFC 8878 3.1.1). */
static size_t zstd_blocks(const uint8_t *f, size_t len, size_t *off, size_t max)
{
    const uint8_t fhd = f[4];
    static const size_t did[4] = { 0, 1, 2, 4 }, fcs[4] = { 0, 2, 4, 8 };
    const int single = (fhd >> 5) & 1;
    size_t p = 5 + (single ? 0 : 1) + did[fhd & 3] + fcs[fhd >> 6] + (single && !(fhd >> 6));
    size_t n = 0;
    while (p + 3 <= len && n < max) {
        const uint32_t h = f[p] | (uint32_t)f[p + 1] << 8 | (uint32_t)f[p + 2] << 16;
        off[n++] = p;
        p += 3 + (((h >> 1) & 3) == 1 ? 1 : h >> 3);
        if (h & 1)
            break;
    }
    return n;
}

/* ---- driving the decoder the way the engine does */

#define MAX_ERRS 64

/* errs holds every error reported, by run and by finish, in order; fin is
 * what the first finish returned. */
typedef struct result {
    bytes out;
    sift_error errs[MAX_ERRS];
    size_t nerr;
    sift_status fin;
    sift_error fin_err;
    uint64_t skipped;
} result;

static void result_free(result *r)
{
    bytes_free(&r->out);
}

static void record(result *r, const sift_error *e, sift_status st, uint64_t len)
{
    cr_assert_eq(e->code, st);
    cr_assert_not_null(e->detail);
    cr_assert_lt(e->offset, len, "error offset %llu past the input", (unsigned long long)e->offset);
    cr_assert_lt(r->nerr, MAX_ERRS);
    r->errs[r->nerr++] = *e;
}

/* Run until in is consumed, draining out (into r->out) only when full. */
static void pump(sift_decoder *d, sift_in *in, sift_out *out, result *r, uint64_t len)
{
    for (size_t spins = 0;; spins++) {
        cr_assert_lt(spins, (size_t)100 * 1000 * 1000, "decoder does not progress");
        sift_error e = { 0 };
        const size_t in0 = in->pos, out0 = out->pos;
        const sift_status st = sift_decode_run(d, in, out, &e);
        cr_assert(in->pos <= in->size && out->pos <= out->size);
        if (sift_is_error(st)) {
            record(r, &e, st, len);
        } else if (st == SIFT_DST_FULL) {
            cr_assert_eq(out->pos, out->size);
            bytes_put(&r->out, out->buf, out->pos);
            out->pos = 0;
        } else if (st == SIFT_NEED_MORE) {
            cr_assert_eq(in->pos, in->size, "NEED_MORE with input left");
            cr_assert_lt(out->pos, out->size);
            return;
        } else {
            cr_assert_eq(st, SIFT_OK);
            cr_assert(in->pos != in0 || out->pos != out0);
        }
    }
}

/* Feed data in pieces ending at cuts[] (ascending; the last is len), each
 * copied flush against a guard page when guard_each is set, else slices of one
 * guarded copy; then finish as the header says. out has out_size bytes. */
static result decode_cuts(sift_codec codec, const uint8_t *data, size_t len, const size_t *cuts,
                          size_t ncuts, int guard_each, size_t out_size)
{
    result r = { 0 };
    sift_decoder *d = sift_decode_create();
    cr_assert_not_null(d);
    sift_decode_reset(d, codec);
    uint8_t *ob = malloc(out_size);
    cr_assert_not_null(ob);
    sift_out out = { ob, out_size, 0 };
    guard_buf whole = guard_each ? (guard_buf){ 0 } : guard_copy(data, len);
    size_t prev = 0;
    for (size_t c = 0; c < ncuts; c++) {
        cr_assert(cuts[c] >= prev && cuts[c] <= len);
        guard_buf g = guard_each ? guard_copy(data + prev, cuts[c] - prev) : (guard_buf){ 0 };
        sift_in in = { guard_each ? g.ptr : whole.ptr + prev, cuts[c] - prev, 0 };
        pump(d, &in, &out, &r, len);
        guard_free(&g);
        prev = cuts[c];
    }
    for (int round = 0;; round++) {
        cr_assert_lt(round, 10000, "finish does not converge");
        sift_error e = { 0 };
        const sift_status st = sift_decode_finish(d, &e);
        if (round == 0) {
            r.fin = st;
            r.fin_err = e;
        }
        if (st == SIFT_OK)
            break;
        if (sift_is_error(st)) {
            cr_assert_eq(st, SIFT_ERR_TRUNCATED);
            record(&r, &e, st, len);
        } else {
            cr_assert_eq(st, SIFT_NEED_MORE);
        }
        sift_in empty = { NULL, 0, 0 };
        pump(d, &empty, &out, &r, len);
    }
    bytes_put(&r.out, ob, out.pos);
    r.skipped = sift_decode_skipped(d);
    guard_free(&whole);
    free(ob);
    sift_decode_free(d);
    return r;
}

static result decode_chunked(sift_codec codec, const bytes *src, size_t chunk, size_t out_size)
{
    const size_t n = src->len ? (src->len + chunk - 1) / chunk : 0;
    size_t *cuts = malloc((n + 1) * sizeof *cuts);
    cr_assert_not_null(cuts);
    for (size_t i = 0; i < n; i++)
        cuts[i] = (i + 1) * chunk < src->len ? (i + 1) * chunk : src->len;
    result r = decode_cuts(codec, src->p, src->len, cuts, n, n <= 64, out_size);
    free(cuts);
    return r;
}

static result decode_whole(sift_codec codec, const bytes *src)
{
    return decode_chunked(codec, src, src->len ? src->len : 1, src->len + (1 << 20));
}

static void assert_same(const result *a, const result *b, const char *what, size_t at)
{
    cr_assert_eq(a->out.len, b->out.len, "%s %zu: output length %zu vs %zu", what, at, a->out.len,
                 b->out.len);
    cr_assert(a->out.len == 0 || memcmp(a->out.p, b->out.p, a->out.len) == 0, "%s %zu: output differs",
              what, at);
    cr_assert_eq(a->nerr, b->nerr, "%s %zu: %zu vs %zu errors", what, at, a->nerr, b->nerr);
    for (size_t i = 0; i < a->nerr; i++) {
        cr_assert_eq(a->errs[i].code, b->errs[i].code, "%s %zu: error %zu", what, at, i);
        cr_assert_eq(a->errs[i].offset, b->errs[i].offset, "%s %zu: error %zu offset %llu vs %llu", what,
                     at, i, (unsigned long long)a->errs[i].offset, (unsigned long long)b->errs[i].offset);
        cr_assert_str_eq(a->errs[i].detail, b->errs[i].detail);
    }
    cr_assert_eq(a->fin, b->fin, "%s %zu: finish", what, at);
    if (sift_is_error(a->fin))
        cr_assert_eq(a->fin_err.offset, b->fin_err.offset, "%s %zu: finish offset", what, at);
    cr_assert_eq(a->skipped, b->skipped, "%s %zu: skipped %llu vs %llu", what, at,
                 (unsigned long long)a->skipped, (unsigned long long)b->skipped);
}

/* Every two-piece split, with the given out sizes, against the one-shot run. */
static void assert_split_invariant(sift_codec codec, const bytes *src, const size_t *out_sizes, size_t nsizes)
{
    result ref = decode_whole(codec, src);
    for (size_t s = 0; s <= src->len; s++) {
        const size_t cuts[2] = { s, src->len };
        for (size_t k = 0; k < nsizes; k++) {
            result r = decode_cuts(codec, src->p, src->len, cuts, 2, 1, out_sizes[k]);
            assert_same(&ref, &r, "split at", s);
            result_free(&r);
        }
    }
    static const size_t chunks[] = { 1, 2, 3, 5, 64, 4096 };
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        for (size_t k = 0; k < nsizes; k++) {
            result r = decode_chunked(codec, src, chunks[c], out_sizes[k]);
            assert_same(&ref, &r, "chunk", chunks[c]);
            result_free(&r);
        }
    }
    result_free(&ref);
}

static long max_rss_kib(void)
{
    struct rusage ru;
    cr_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
    return ru.ru_maxrss;
}

/* ---- sniffing */

Test(decode, sniff_recognises_each_magic)
{
    static const uint8_t zstd[] = { 0x28, 0xB5, 0x2F, 0xFD, 0x00 };
    static const uint8_t gzip[] = { 0x1F, 0x8B, 0x08 };
    cr_assert_eq(sift_decode_sniff(sift_slice_make(zstd, sizeof zstd)), SIFT_CODEC_ZSTD);
    cr_assert_eq(sift_decode_sniff(sift_slice_make(zstd, 4)), SIFT_CODEC_ZSTD);
    cr_assert_eq(sift_decode_sniff(sift_slice_make(gzip, 3)), SIFT_CODEC_GZIP);
    for (unsigned nibble = 0; nibble < 16; nibble++) {
        const uint8_t skip[4] = { (uint8_t)(0x50 | nibble), 0x2A, 0x4D, 0x18 };
        cr_assert_eq(sift_decode_sniff(sift_slice_make(skip, 4)), SIFT_CODEC_ZSTD, "nibble %u", nibble);
    }
}

Test(decode, sniff_calls_short_heads_and_near_misses_plain)
{
    static const uint8_t zstd[] = { 0x28, 0xB5, 0x2F, 0xFD };
    static const uint8_t near[][4] = {
        { 0x28, 0xB5, 0x2F, 0xFE }, { 0x60, 0x2A, 0x4D, 0x18 }, { 0x1F, 0x8B, 0x09, 0x00 },
        { 0x1F, 0x8C, 0x08, 0x00 }, { 'T', 'i', 'm', 'e' },
    };
    cr_assert_eq(sift_decode_sniff((sift_slice){ NULL, 0 }), SIFT_CODEC_PLAIN);
    for (size_t n = 1; n < 4; n++)
        cr_assert_eq(sift_decode_sniff(sift_slice_make(zstd, n)), SIFT_CODEC_PLAIN, "%zu bytes", n);
    cr_assert_eq(sift_decode_sniff(SIFT_LIT("\x1f\x8b")), SIFT_CODEC_PLAIN);
    for (size_t i = 0; i < sizeof near / sizeof near[0]; i++)
        cr_assert_eq(sift_decode_sniff(sift_slice_make(near[i], 4)), SIFT_CODEC_PLAIN, "row %zu", i);
}

Test(decode, codec_names_are_static_words)
{
    cr_assert_str_eq(sift_codec_name(SIFT_CODEC_PLAIN), "plain");
    cr_assert_str_eq(sift_codec_name(SIFT_CODEC_ZSTD), "zstd");
    cr_assert_str_eq(sift_codec_name(SIFT_CODEC_GZIP), "gzip");
    cr_assert_str_eq(sift_codec_name((sift_codec)7), "unknown");
}

Test(decode, free_accepts_null)
{
    sift_decode_free(NULL);
}

/* ---- round trips */

typedef struct trip {
    int level;
    int checksum;
    size_t in_chunk;
    size_t out_size;
} trip;

ParameterizedTestParameters(decode, zstd_round_trip_is_byte_exact)
{
    static trip cases[] = {
        { -5, 0, 1 << 20, 1 << 20 }, { 1, 1, 65536, 65536 }, { 3, 1, 4096, 100000 },
        { 9, 0, 777, 3 },            { 19, 1, 65536, 65536 }, { 3, 0, 1, 4096 },
    };
    return cr_make_param_array(trip, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(trip *t, decode, zstd_round_trip_is_byte_exact)
{
    bytes text = make_log(300000, (unsigned)t->level + 10);
    bytes z = zstd_frame(&text, t->level, t->checksum);
    result r = decode_chunked(SIFT_CODEC_ZSTD, &z, t->in_chunk, t->out_size);
    cr_assert_eq(r.nerr, 0);
    cr_assert_eq(r.fin, SIFT_OK);
    cr_assert_eq(r.skipped, 0);
    cr_assert_eq(r.out.len, text.len);
    cr_assert(memcmp(r.out.p, text.p, text.len) == 0);
    result_free(&r);
    bytes_free(&z);
    bytes_free(&text);
}

ParameterizedTestParameters(decode, gzip_round_trip_is_byte_exact)
{
    static trip cases[] = {
        { 1, 0, 1 << 20, 1 << 20 }, { 6, 0, 65536, 65536 }, { 9, 0, 4096, 100000 },
        { 6, 0, 777, 3 },           { 0, 0, 1000, 8192 },   { 6, 0, 1, 4096 },
    };
    return cr_make_param_array(trip, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(trip *t, decode, gzip_round_trip_is_byte_exact)
{
    bytes text = make_log(300000, (unsigned)t->level + 20);
    bytes z = gzip_member(&text, t->level);
    result r = decode_chunked(SIFT_CODEC_GZIP, &z, t->in_chunk, t->out_size);
    cr_assert_eq(r.nerr, 0);
    cr_assert_eq(r.fin, SIFT_OK);
    cr_assert_eq(r.skipped, 0);
    cr_assert_eq(r.out.len, text.len);
    cr_assert(memcmp(r.out.p, text.p, text.len) == 0);
    result_free(&r);
    bytes_free(&z);
    bytes_free(&text);
}

Test(decode, plain_copies_input_to_output)
{
    bytes text = make_log(10000, 1);
    result r = decode_chunked(SIFT_CODEC_PLAIN, &text, 333, 100);
    cr_assert_eq(r.nerr, 0);
    cr_assert_eq(r.fin, SIFT_OK);
    cr_assert_eq(r.out.len, text.len);
    cr_assert(memcmp(r.out.p, text.p, text.len) == 0);
    result_free(&r);
    bytes_free(&text);
}

Test(decode, plain_reports_dst_full_before_need_more)
{
    sift_decoder *d = sift_decode_create();
    cr_assert_not_null(d);
    sift_decode_reset(d, SIFT_CODEC_PLAIN);
    uint8_t o[4];
    sift_in in = { (const uint8_t *)"abcdef", 6, 0 };
    sift_out out = { o, sizeof o, 0 };
    cr_assert_eq(sift_decode_run(d, &in, &out, NULL), SIFT_DST_FULL);
    cr_assert_eq(in.pos, 4);
    out.pos = 0;
    cr_assert_eq(sift_decode_run(d, &in, &out, NULL), SIFT_NEED_MORE);
    cr_assert_eq(in.pos, 6);
    cr_assert_eq(out.pos, 2);
    cr_assert(memcmp(o, "ef", 2) == 0);
    cr_assert_eq(sift_decode_finish(d, NULL), SIFT_OK);
    sift_decode_free(d);
}

Test(decode, empty_stream_finishes_cleanly_for_every_codec)
{
    static const sift_codec codecs[] = { SIFT_CODEC_PLAIN, SIFT_CODEC_ZSTD, SIFT_CODEC_GZIP };
    const bytes empty = { 0 };
    for (size_t i = 0; i < 3; i++) {
        result r = decode_whole(codecs[i], &empty);
        cr_assert_eq(r.fin, SIFT_OK);
        cr_assert_eq(r.nerr, 0);
        cr_assert_eq(r.out.len, 0);
        cr_assert_eq(r.skipped, 0);
        result_free(&r);
    }
}

/* ---- multi-frame streams */

Test(decode, zstd_decodes_concatenated_and_skippable_frames_as_one_stream)
{
    bytes a = make_log(5000, 1), b = make_log(200000, 2), c = make_log(70, 3);
    bytes za = zstd_frame(&a, 3, 1), zb = zstd_streamed(&b, 5, 0), zc = zstd_frame(&c, 1, 0);
    bytes in = { 0 }, want = { 0 };
    put_skippable(&in, 0x0, 100, 'S');
    bytes_cat(&in, &za);
    put_skippable(&in, 0xF, 0, 0);
    bytes_cat(&in, &zb);
    put_skippable(&in, 0x7, 300000, 0x28); /* big, and full of magic-like bytes */
    bytes_cat(&in, &zc);
    bytes_cat(&want, &a);
    bytes_cat(&want, &b);
    bytes_cat(&want, &c);
    static const size_t chunks[] = { 1, 7, 4096, 1 << 22 };
    for (size_t i = 0; i < 4; i++) {
        result r = decode_chunked(SIFT_CODEC_ZSTD, &in, chunks[i], 65536);
        cr_assert_eq(r.nerr, 0, "chunk %zu", chunks[i]);
        cr_assert_eq(r.fin, SIFT_OK);
        cr_assert_eq(r.skipped, 0);
        cr_assert_eq(r.out.len, want.len);
        cr_assert(memcmp(r.out.p, want.p, want.len) == 0);
        result_free(&r);
    }
    bytes_free(&in), bytes_free(&want), bytes_free(&za), bytes_free(&zb), bytes_free(&zc);
    bytes_free(&a), bytes_free(&b), bytes_free(&c);
}

Test(decode, zstd_stream_of_only_a_skippable_frame_writes_nothing)
{
    bytes in = { 0 };
    put_skippable(&in, 0xA, 10, 'x');
    result r = decode_whole(SIFT_CODEC_ZSTD, &in);
    cr_assert_eq(r.nerr, 0);
    cr_assert_eq(r.fin, SIFT_OK);
    cr_assert_eq(r.out.len, 0);
    result_free(&r);
    bytes_free(&in);
}

Test(decode, gzip_decodes_every_member_of_a_multi_member_stream)
{
    bytes a = make_log(5000, 4), b = { 0 }, c = make_log(200000, 5);
    bytes ga = gzip_member(&a, 6), gb = gzip_member(&b, 6), gc = gzip_member(&c, 1);
    bytes in = { 0 }, want = { 0 };
    bytes_cat(&in, &ga);
    bytes_cat(&in, &gb);
    bytes_cat(&in, &gc);
    bytes_cat(&in, &ga);
    bytes_cat(&want, &a);
    bytes_cat(&want, &c);
    bytes_cat(&want, &a);
    static const size_t chunks[] = { 1, 7, 4096, 1 << 22 };
    for (size_t i = 0; i < 4; i++) {
        result r = decode_chunked(SIFT_CODEC_GZIP, &in, chunks[i], 65536);
        cr_assert_eq(r.nerr, 0, "chunk %zu", chunks[i]);
        cr_assert_eq(r.fin, SIFT_OK);
        cr_assert_eq(r.skipped, 0);
        cr_assert_eq(r.out.len, want.len);
        cr_assert(memcmp(r.out.p, want.p, want.len) == 0);
        result_free(&r);
    }
    bytes_free(&in), bytes_free(&want), bytes_free(&ga), bytes_free(&gb), bytes_free(&gc);
    bytes_free(&a), bytes_free(&c);
}

/* ---- truncation */

static void assert_every_prefix(sift_codec codec, const bytes *first, const bytes *second, const bytes *text)
{
    bytes in = { 0 };
    bytes_cat(&in, first);
    bytes_cat(&in, second);
    for (size_t n = 0; n <= in.len; n++) {
        const bytes prefix = { in.p, n, n };
        for (size_t chunk = 1; chunk <= 1024; chunk *= 1024) {
            result r = decode_chunked(codec, &prefix, chunk, 64);
            cr_assert_leq(r.out.len, text->len);
            cr_assert(r.out.len == 0 || memcmp(r.out.p, text->p, r.out.len) == 0, "prefix %zu", n);
            if (n == 0 || n == first->len || n == in.len) {
                cr_assert_eq(r.fin, SIFT_OK, "prefix %zu", n);
                cr_assert_eq(r.nerr, 0, "prefix %zu", n);
                cr_assert_eq(r.skipped, 0);
            } else {
                const size_t start = n < first->len ? 0 : first->len;
                cr_assert_eq(r.fin, SIFT_ERR_TRUNCATED, "prefix %zu", n);
                cr_assert_eq(r.fin_err.offset, start, "prefix %zu", n);
                cr_assert_eq(r.nerr, 1, "prefix %zu", n);
                cr_assert_eq(r.errs[0].code, SIFT_ERR_TRUNCATED);
                cr_assert_eq(r.skipped, n - start, "the rescan of the cut frame finds nothing");
            }
            if (n == in.len)
                cr_assert_eq(r.out.len, text->len);
            result_free(&r);
        }
    }
    bytes_free(&in);
}

Test(decode, zstd_every_prefix_is_a_prefix_and_truncated_except_at_frame_ends)
{
    bytes a = make_log(3000, 6), b = make_log(1000, 7), text = { 0 };
    bytes_cat(&text, &a);
    bytes_cat(&text, &b);
    bytes za = zstd_frame(&a, 3, 1), zb = zstd_streamed(&b, 1, 0);
    assert_every_prefix(SIFT_CODEC_ZSTD, &za, &zb, &text);
    bytes_free(&a), bytes_free(&b), bytes_free(&text), bytes_free(&za), bytes_free(&zb);
}

Test(decode, gzip_every_prefix_is_a_prefix_and_truncated_except_at_member_ends)
{
    bytes a = make_log(3000, 8), b = make_log(1000, 9), text = { 0 };
    bytes_cat(&text, &a);
    bytes_cat(&text, &b);
    bytes ga = gzip_member(&a, 6), gb = gzip_member(&b, 0); /* level 0: stored blocks */
    assert_every_prefix(SIFT_CODEC_GZIP, &ga, &gb, &text);
    bytes_free(&a), bytes_free(&b), bytes_free(&text), bytes_free(&ga), bytes_free(&gb);
}

Test(decode, frame_cut_inside_its_magic_is_truncated_at_its_start)
{
    bytes a = make_log(100, 10);
    bytes za = zstd_frame(&a, 3, 0), ga = gzip_member(&a, 6);
    bytes zin = { 0 }, gin = { 0 };
    bytes_cat(&zin, &za);
    bytes_put(&zin, "\x28\xb5\x2f", 3);
    bytes_cat(&gin, &ga);
    bytes_put(&gin, "\x1f", 1);
    result rz = decode_chunked(SIFT_CODEC_ZSTD, &zin, 1, 16);
    result rg = decode_whole(SIFT_CODEC_GZIP, &gin);
    cr_assert_eq(rz.fin, SIFT_ERR_TRUNCATED);
    cr_assert_eq(rz.fin_err.offset, za.len);
    cr_assert_eq(rg.fin, SIFT_ERR_TRUNCATED);
    cr_assert_eq(rg.fin_err.offset, ga.len);
    cr_assert_eq(rz.nerr, 1);
    cr_assert_eq(rg.nerr, 1);
    cr_assert_eq(rz.skipped, 3);
    cr_assert_eq(rg.skipped, 1);
    cr_assert_eq(rz.out.len, a.len);
    cr_assert_eq(rg.out.len, a.len);
    result_free(&rz), result_free(&rg);
    bytes_free(&zin), bytes_free(&gin), bytes_free(&za), bytes_free(&ga), bytes_free(&a);
}

/* ---- damage */

Test(decode, zstd_garbage_between_frames_is_one_error_at_its_offset)
{
    bytes a = make_log(4000, 11), b = make_log(4000, 12);
    bytes za = zstd_frame(&a, 3, 1), zb = zstd_frame(&b, 3, 1), in = { 0 };
    bytes_cat(&in, &za);
    put_str(&in, "this is not a zstd frame \x28\xb5\x2f (nor is this)");
    const size_t junk = in.len - za.len;
    bytes_cat(&in, &zb);
    result r = decode_chunked(SIFT_CODEC_ZSTD, &in, 5, 4096);
    cr_assert_eq(r.nerr, 1);
    cr_assert_eq(r.errs[0].code, SIFT_ERR_CORRUPT);
    cr_assert_eq(r.errs[0].offset, za.len);
    cr_assert_str_eq(r.errs[0].detail, "no zstd frame magic where a frame should start");
    cr_assert_eq(r.skipped, junk);
    cr_assert_eq(r.fin, SIFT_OK);
    cr_assert_eq(r.out.len, a.len + b.len);
    cr_assert(starts_with(&r.out, &a) && ends_with(&r.out, &b));
    result_free(&r);
    bytes_free(&a), bytes_free(&b), bytes_free(&za), bytes_free(&zb), bytes_free(&in);
}

Test(decode, gzip_garbage_between_members_is_one_error_at_its_offset)
{
    bytes a = make_log(4000, 13), b = make_log(4000, 14);
    bytes ga = gzip_member(&a, 6), gb = gzip_member(&b, 6), in = { 0 };
    bytes_cat(&in, &ga);
    put_str(&in, "\x1f\x8b junk \x1f");
    const size_t junk = in.len - ga.len;
    bytes_cat(&in, &gb);
    result r = decode_chunked(SIFT_CODEC_GZIP, &in, 3, 4096);
    cr_assert_eq(r.nerr, 1);
    cr_assert_eq(r.errs[0].code, SIFT_ERR_CORRUPT);
    cr_assert_eq(r.errs[0].offset, ga.len);
    cr_assert_eq(r.skipped, junk);
    cr_assert_eq(r.fin, SIFT_OK);
    cr_assert_eq(r.out.len, a.len + b.len);
    cr_assert(starts_with(&r.out, &a) && ends_with(&r.out, &b));
    result_free(&r);
    bytes_free(&a), bytes_free(&b), bytes_free(&ga), bytes_free(&gb), bytes_free(&in);
}

Test(decode, gzip_trailing_garbage_is_reported_and_skipped)
{
    bytes a = make_log(4000, 15);
    bytes ga = gzip_member(&a, 6), in = { 0 };
    bytes_cat(&in, &ga);
    bytes_put(&in, "\0\0\0\0\0\0\0\0", 8); /* tar-style zero padding */
    result r = decode_whole(SIFT_CODEC_GZIP, &in);
    cr_assert_eq(r.nerr, 1);
    cr_assert_eq(r.errs[0].offset, ga.len);
    cr_assert_str_eq(r.errs[0].detail, "no gzip header where a member should start");
    cr_assert_eq(r.skipped, 8);
    cr_assert_eq(r.fin, SIFT_OK);
    cr_assert_eq(r.out.len, a.len);
    result_free(&r);
    bytes_free(&a), bytes_free(&ga), bytes_free(&in);
}

Test(decode, stream_of_garbage_is_one_error_and_all_skipped)
{
    const bytes junk = { (uint8_t *)"hello, world", 12, 12 };
    static const sift_codec codecs[] = { SIFT_CODEC_ZSTD, SIFT_CODEC_GZIP };
    for (size_t i = 0; i < 2; i++) {
        result r = decode_chunked(codecs[i], &junk, 1, 8);
        cr_assert_eq(r.nerr, 1);
        cr_assert_eq(r.errs[0].code, SIFT_ERR_CORRUPT);
        cr_assert_eq(r.errs[0].offset, 0);
        cr_assert_eq(r.skipped, junk.len);
        cr_assert_eq(r.fin, SIFT_OK);
        cr_assert_eq(r.out.len, 0);
        result_free(&r);
    }
}

Test(decode, zstd_bad_block_in_the_middle_is_reported_once_and_later_frames_decode)
{
    bytes a = make_log(3000, 16), b = make_log(400000, 17), c = make_log(3000, 18);
    bytes za = zstd_frame(&a, 3, 1), zb = zstd_frame(&b, 3, 1), zc = zstd_frame(&c, 3, 1), in = { 0 };
    size_t blocks[8];
    cr_assert_geq(zstd_blocks(zb.p, zb.len, blocks, 8), 3);
    zb.p[blocks[1]] |= 0x06; /* second block: reserved block type */
    bytes_cat(&in, &za);
    bytes_cat(&in, &zb);
    bytes_cat(&in, &zc);
    result r = decode_chunked(SIFT_CODEC_ZSTD, &in, 4096, 65536);
    cr_assert_eq(r.nerr, 1);
    cr_assert_eq(r.errs[0].code, SIFT_ERR_CORRUPT);
    cr_assert_eq(r.errs[0].offset, za.len);
    cr_assert_str_eq(r.errs[0].detail, "corrupt zstd block");
    cr_assert_eq(r.fin, SIFT_OK);
    cr_assert_eq(r.skipped, zb.len);
    /* Frame a, the first block of b (128 KiB of content), then frame c. */
    cr_assert_eq(r.out.len, a.len + 131072 + c.len);
    cr_assert(starts_with(&r.out, &a) && ends_with(&r.out, &c));
    cr_assert(memcmp(r.out.p + a.len, b.p, 131072) == 0);
    result_free(&r);
    bytes_free(&a), bytes_free(&b), bytes_free(&c), bytes_free(&za), bytes_free(&zb), bytes_free(&zc);
    bytes_free(&in);
}

Test(decode, zstd_flipped_bytes_in_a_frame_give_exactly_one_error_at_its_start)
{
    bytes a = make_log(3000, 19), b = make_log(20000, 20), c = make_log(3000, 21);
    bytes za = zstd_frame(&a, 3, 1), zb = zstd_frame(&b, 3, 1), zc = zstd_frame(&c, 3, 1);
    for (size_t at = 20; at + 8 < zb.len; at += zb.len / 7) {
        bytes in = { 0 };
        bytes_cat(&in, &za);
        bytes_cat(&in, &zb);
        bytes_cat(&in, &zc);
        for (size_t k = 0; k < 4; k++)
            in.p[za.len + at + k] ^= 0x5A;
        result r = decode_chunked(SIFT_CODEC_ZSTD, &in, 100, 4096);
        cr_assert_eq(r.nerr, 1, "flip at %zu", at);
        cr_assert_eq(r.errs[0].code, SIFT_ERR_CORRUPT);
        cr_assert_eq(r.errs[0].offset, za.len);
        cr_assert_eq(r.fin, SIFT_OK);
        cr_assert_geq(r.skipped, 1);
        cr_assert_leq(r.skipped, zb.len);
        cr_assert(starts_with(&r.out, &a) && ends_with(&r.out, &c), "flip at %zu", at);
        result_free(&r);
        bytes_free(&in);
    }
    bytes_free(&a), bytes_free(&b), bytes_free(&c), bytes_free(&za), bytes_free(&zb), bytes_free(&zc);
}

/* zstd copies a raw block as its pieces arrive; a check at the block's end
 * must not leave some pieces written depending on where the input was cut. */
Test(decode, zstd_raw_block_failing_its_end_check_writes_the_same_whatever_the_chunks)
{
    bytes in = { 0 }, good = make_log(2000, 29);
    /* Single-segment frame declaring 100 bytes, holding one raw block of 50. */
    const uint8_t head[] = { 0x28, 0xB5, 0x2F, 0xFD, 0x20, 100, 0x91, 0x01, 0x00 }; /* last, raw, 50 */
    bytes_put(&in, head, sizeof head);
    for (int i = 0; i < 50; i++)
        bytes_put(&in, "x", 1);
    bytes zg = zstd_frame(&good, 3, 1);
    bytes_cat(&in, &zg);
    static const size_t chunks[] = { 1, 2, 7, 30, 4096 };
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        result r = decode_chunked(SIFT_CODEC_ZSTD, &in, chunks[c], c % 2 ? 1 : 4096);
        cr_assert_eq(r.nerr, 1, "chunk %zu", chunks[c]);
        cr_assert_eq(r.errs[0].offset, 0);
        cr_assert_str_eq(r.errs[0].detail, "corrupt zstd block");
        cr_assert_eq(r.out.len, good.len, "chunk %zu: %zu bytes out", chunks[c], r.out.len);
        cr_assert(memcmp(r.out.p, good.p, good.len) == 0);
        result_free(&r);
    }
    bytes_free(&in), bytes_free(&good), bytes_free(&zg);
}

Test(decode, zstd_checksum_mismatch_keeps_the_output_and_reports_the_frame)
{
    bytes a = make_log(300000, 22);
    bytes za = zstd_frame(&a, 3, 1);
    za.p[za.len - 1] ^= 1;
    result r = decode_chunked(SIFT_CODEC_ZSTD, &za, 1000, 333);
    cr_assert_eq(r.nerr, 1);
    cr_assert_eq(r.errs[0].offset, 0);
    cr_assert_str_eq(r.errs[0].detail, "zstd frame fails its checksum");
    cr_assert_eq(r.out.len, a.len);
    cr_assert(memcmp(r.out.p, a.p, a.len) == 0);
    cr_assert_eq(r.skipped, za.len);
    cr_assert_eq(r.fin, SIFT_OK);
    result_free(&r);
    bytes_free(&a), bytes_free(&za);
}

Test(decode, gzip_corrupt_member_in_the_middle_is_reported_once_and_later_members_decode)
{
    bytes a = make_log(3000, 23), b = make_log(50000, 24), c = make_log(3000, 25);
    bytes ga = gzip_member(&a, 6), gb = gzip_member(&b, 6), gc = gzip_member(&c, 6);
    for (size_t at = 20; at + 8 < gb.len; at += gb.len / 5) {
        bytes in = { 0 };
        bytes_cat(&in, &ga);
        bytes_cat(&in, &gb);
        bytes_cat(&in, &gc);
        for (size_t k = 0; k < 4; k++)
            in.p[ga.len + at + k] ^= 0xA5;
        result r = decode_chunked(SIFT_CODEC_GZIP, &in, 100, 4096);
        cr_assert_eq(r.nerr, 1, "flip at %zu", at);
        cr_assert_eq(r.errs[0].code, SIFT_ERR_CORRUPT);
        cr_assert_eq(r.errs[0].offset, ga.len);
        cr_assert_eq(r.fin, SIFT_OK);
        cr_assert_geq(r.skipped, 1);
        cr_assert(starts_with(&r.out, &a) && ends_with(&r.out, &c), "flip at %zu", at);
        result_free(&r);
        bytes_free(&in);
    }
    bytes_free(&a), bytes_free(&b), bytes_free(&c), bytes_free(&ga), bytes_free(&gb), bytes_free(&gc);
}

static size_t common_prefix(const bytes *a, const bytes *b)
{
    size_t i = 0;
    while (i < a->len && i < b->len && a->p[i] == b->p[i])
        i++;
    return i;
}

/* A writer that died mid-frame and a new frame appended after it. When the new
 * frame is long, the damage shows while decoding; when it is short, only at
 * the end of the input. Either way the rescan must find the new frame. */
Test(decode, torn_frame_followed_by_a_whole_one_loses_only_the_torn_one)
{
    bytes a = make_log(300000, 26), b = make_log(50000, 27), tiny = make_log(300, 28);
    bytes za = zstd_frame(&a, 3, 1), ga = gzip_member(&a, 6);
    const bytes *after[] = { &b, &tiny };
    for (size_t k = 0; k < 2; k++) {
        bytes zb = zstd_frame(after[k], 3, 1), gb = gzip_member(after[k], 6);
        bytes zin = { 0 }, gin = { 0 };
        bytes_put(&zin, za.p, za.len / 2);
        bytes_cat(&zin, &zb);
        bytes_put(&gin, ga.p, ga.len / 2);
        bytes_cat(&gin, &gb);
        result r[2] = { decode_chunked(SIFT_CODEC_ZSTD, &zin, 512, 4096),
                        decode_chunked(SIFT_CODEC_GZIP, &gin, 512, 4096) };
        for (size_t i = 0; i < 2; i++) {
            cr_assert_eq(r[i].nerr, 1, "case %zu/%zu", k, i);
            cr_assert_eq(r[i].errs[0].offset, 0);
            cr_assert(r[i].errs[0].code == SIFT_ERR_CORRUPT || r[i].errs[0].code == SIFT_ERR_TRUNCATED);
            cr_assert_eq(r[i].skipped, (i ? ga.len : za.len) / 2, "case %zu/%zu", k, i);
            cr_assert(ends_with(&r[i].out, after[k]), "case %zu/%zu: the appended frame is lost", k, i);
            /* What came out of the torn frame starts with its true content. */
            cr_assert_geq(common_prefix(&r[i].out, &a), a.len / 4, "case %zu/%zu", k, i);
            result_free(&r[i]);
        }
        bytes_free(&zb), bytes_free(&gb), bytes_free(&zin), bytes_free(&gin);
    }
    bytes_free(&a), bytes_free(&b), bytes_free(&tiny), bytes_free(&za), bytes_free(&ga);
}

/* Damage found deep in a big frame is rescanned only from 128 KiB before the
 * bad block: a frame magic stored early in the damaged frame (here inside a
 * raw block) is not decoded a second time, and memory stays bounded. */
Test(decode, damage_deep_in_a_big_frame_rescans_a_bounded_window)
{
    const size_t block = 128 * 1024;
    bytes text = make_log(5 * block, 42), t = make_log(3000, 43), good = make_log(4000, 44);
    bytes zt = zstd_frame(&t, 3, 1), zg = zstd_frame(&good, 3, 1), in = { 0 };
    memcpy(text.p + 1000, zt.p, zt.len); /* a whole frame stored inside block 1 */
    const uint8_t head[] = { 0x28, 0xB5, 0x2F, 0xFD, 0x00, (17 - 10) << 3 }; /* 128 KiB window */
    bytes_put(&in, head, sizeof head);
    for (size_t b = 0; b < 5; b++) {
        const uint32_t h = (uint32_t)(b == 4) | (b == 4 ? 3u : 0u) << 1 | (uint32_t)block << 3;
        const uint8_t bh[3] = { (uint8_t)h, (uint8_t)(h >> 8), (uint8_t)(h >> 16) };
        bytes_put(&in, bh, 3); /* raw blocks; the last one has the reserved type */
        bytes_put(&in, text.p + b * block, block);
    }
    const size_t big = in.len;
    bytes_cat(&in, &zg);
    static const size_t chunks[] = { 1000, 65536, 1 << 22 };
    for (size_t c = 0; c < 3; c++) {
        result r = decode_chunked(SIFT_CODEC_ZSTD, &in, chunks[c], 4096);
        cr_assert_eq(r.nerr, 1, "chunk %zu", chunks[c]);
        cr_assert_eq(r.errs[0].offset, 0);
        cr_assert_str_eq(r.errs[0].detail, "corrupt zstd block");
        cr_assert_eq(r.skipped, big);
        cr_assert_eq(r.out.len, 4 * block + good.len, "chunk %zu: %zu out", chunks[c], r.out.len);
        cr_assert(memcmp(r.out.p, text.p, 4 * block) == 0);
        cr_assert(ends_with(&r.out, &good));
        cr_assert_eq(r.fin, SIFT_OK);
        result_free(&r);
    }
    bytes_free(&text), bytes_free(&t), bytes_free(&good), bytes_free(&zt), bytes_free(&zg), bytes_free(&in);
}

/* ---- chunking invariance */

static bytes damaged_zstd_stream(void)
{
    bytes a = make_log(1500, 30), b = make_log(900, 31), c = make_log(1200, 32), e = make_log(500, 33);
    bytes za = zstd_frame(&a, 3, 1), zb = zstd_streamed(&b, 1, 0), zc = zstd_frame(&c, 5, 1);
    bytes ze = zstd_frame(&e, 1, 0), in = { 0 };
    bytes_cat(&in, &za);
    put_str(&in, "junk\x28\xb5");
    bytes_cat(&in, &zb);
    put_skippable(&in, 3, 9, 0x1F);
    const size_t at = in.len;
    bytes_cat(&in, &zc);
    in.p[at + zc.len / 2] ^= 0xFF;
    in.p[at + zc.len / 2 + 1] ^= 0xFF;
    bytes_cat(&in, &zb);
    bytes_put(&in, za.p, za.len / 3); /* a torn frame, then a whole one */
    bytes_cat(&in, &ze);
    bytes_free(&a), bytes_free(&b), bytes_free(&c), bytes_free(&e);
    bytes_free(&za), bytes_free(&zb), bytes_free(&zc), bytes_free(&ze);
    return in;
}

Test(decode, zstd_output_and_errors_do_not_depend_on_chunking)
{
    bytes in = damaged_zstd_stream();
    result ref = decode_whole(SIFT_CODEC_ZSTD, &in);
    cr_assert_eq(ref.nerr, 3, "junk, flipped frame, torn frame: %zu", ref.nerr);
    result_free(&ref);
    static const size_t outs[] = { 1, 7, 4096 };
    assert_split_invariant(SIFT_CODEC_ZSTD, &in, outs, 3);
    bytes_free(&in);
}

static bytes damaged_gzip_stream(void)
{
    bytes a = make_log(1500, 34), b = make_log(900, 35), c = make_log(1200, 36), e = make_log(500, 37);
    bytes ga = gzip_member(&a, 6), gb = gzip_member(&b, 0), gc = gzip_member(&c, 9);
    bytes ge = gzip_member(&e, 1), in = { 0 };
    bytes_cat(&in, &ga);
    put_str(&in, "junk\x1f\x8b");
    bytes_cat(&in, &gb);
    const size_t at = in.len;
    bytes_cat(&in, &gc);
    in.p[at + gc.len / 2] ^= 0xFF;
    bytes_cat(&in, &gb);
    bytes_put(&in, ga.p, ga.len / 3);
    bytes_cat(&in, &ge);
    bytes_free(&a), bytes_free(&b), bytes_free(&c), bytes_free(&e);
    bytes_free(&ga), bytes_free(&gb), bytes_free(&gc), bytes_free(&ge);
    return in;
}

Test(decode, gzip_output_and_errors_do_not_depend_on_chunking)
{
    bytes in = damaged_gzip_stream();
    result ref = decode_whole(SIFT_CODEC_GZIP, &in);
    cr_assert_eq(ref.nerr, 3, "junk, flipped member, torn member: %zu", ref.nerr);
    result_free(&ref);
    static const size_t outs[] = { 1, 7, 4096 };
    assert_split_invariant(SIFT_CODEC_GZIP, &in, outs, 3);
    bytes_free(&in);
}

/* ---- limits */

Test(decode, zstd_window_above_the_limit_is_rejected_without_allocating_it)
{
    bytes a = make_log(5000, 40), b = make_log(5000, 41);
    bytes big = zstd_streamed(&a, 3, SIFT_DECODE_MAX_WINDOW_LOG + 1);
    bytes edge = zstd_streamed(&b, 3, SIFT_DECODE_MAX_WINDOW_LOG), in = { 0 };
    bytes_cat(&in, &big);
    bytes_cat(&in, &edge);
    const long rss0 = max_rss_kib();
    result r = decode_chunked(SIFT_CODEC_ZSTD, &in, 1000, 4096);
    cr_assert_lt(max_rss_kib() - rss0, 32 * 1024, "RSS grew by %ld KiB", max_rss_kib() - rss0);
    cr_assert_eq(r.nerr, 1);
    cr_assert_eq(r.errs[0].code, SIFT_ERR_CORRUPT);
    cr_assert_eq(r.errs[0].offset, 0);
    cr_assert_str_eq(r.errs[0].detail, "zstd frame needs a window larger than 128 MiB");
    cr_assert_eq(r.skipped, big.len);
    cr_assert_eq(r.fin, SIFT_OK);
    cr_assert_eq(r.out.len, b.len, "the frame at the limit decodes");
    cr_assert(memcmp(r.out.p, b.p, b.len) == 0);
    result_free(&r);
    bytes_free(&a), bytes_free(&b), bytes_free(&big), bytes_free(&edge), bytes_free(&in);
}

static int all_zero(const uint8_t *p, size_t n)
{
    static const uint8_t zero[4096];
    for (size_t i = 0; i < n; i += sizeof zero) {
        const size_t k = n - i < sizeof zero ? n - i : sizeof zero;
        if (memcmp(p + i, zero, k) != 0)
            return 0;
    }
    return 1;
}

/* Decode src through a 64 KiB window, counting output that must all be zero. */
static uint64_t count_zero_output(sift_codec codec, const bytes *src)
{
    sift_decoder *d = sift_decode_create();
    cr_assert_not_null(d);
    sift_decode_reset(d, codec);
    guard_buf g = guard_copy(src->p, src->len);
    static uint8_t window[65536];
    sift_in in = { g.ptr, g.len, 0 };
    sift_out out = { window, sizeof window, 0 };
    uint64_t total = 0;
    sift_status st;
    do {
        sift_error e;
        st = sift_decode_run(d, &in, &out, &e);
        cr_assert(!sift_is_error(st), "%s at %llu", e.detail, (unsigned long long)e.offset);
        cr_assert(all_zero(window, out.pos));
        total += out.pos;
        out.pos = 0;
    } while (st != SIFT_NEED_MORE);
    cr_assert_eq(sift_decode_finish(d, NULL), SIFT_OK);
    guard_free(&g);
    sift_decode_free(d);
    return total;
}

Test(decode, zstd_bomb_streams_through_a_small_window_in_bounded_memory)
{
    const size_t gib = (size_t)1 << 30;
    static uint8_t zeros[1 << 20];
    ZSTD_CCtx *c = ZSTD_createCCtx();
    cr_assert_not_null(c);
    cr_assert(!ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 1)));
    cr_assert(!ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(c, gib)));
    bytes z = { 0 };
    uint8_t tmp[65536];
    for (size_t done = 0; done < gib; done += sizeof zeros) {
        ZSTD_inBuffer zin = { zeros, sizeof zeros, 0 };
        const ZSTD_EndDirective mode = done + sizeof zeros == gib ? ZSTD_e_end : ZSTD_e_continue;
        size_t left;
        do {
            ZSTD_outBuffer zout = { tmp, sizeof tmp, 0 };
            left = ZSTD_compressStream2(c, &zout, &zin, mode);
            cr_assert(!ZSTD_isError(left));
            bytes_put(&z, tmp, zout.pos);
        } while (mode == ZSTD_e_end ? left != 0 : zin.pos < zin.size);
    }
    ZSTD_freeCCtx(c);
    cr_assert_lt(z.len, (size_t)1 << 20, "a bomb: %zu bytes", z.len);
    const long rss0 = max_rss_kib();
    cr_assert_eq(count_zero_output(SIFT_CODEC_ZSTD, &z), (uint64_t)gib);
    cr_assert_lt(max_rss_kib() - rss0, 32 * 1024, "RSS grew by %ld KiB", max_rss_kib() - rss0);
    bytes_free(&z);
}

/* size zero bytes as one gzip member, compressed from a small buffer so the
 * compressor does not raise the RSS high-water mark. */
static bytes gzip_zeros(size_t size)
{
    static const uint8_t zeros[1 << 20];
    z_stream z = { 0 };
    cr_assert_eq(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    bytes b = { 0 };
    uint8_t tmp[65536];
    for (size_t done = 0; done < size; done += sizeof zeros) {
        const int flush = done + sizeof zeros >= size ? Z_FINISH : Z_NO_FLUSH;
        z.next_in = zeros;
        z.avail_in = (uInt)(size - done < sizeof zeros ? size - done : sizeof zeros);
        int rc;
        do {
            z.next_out = tmp;
            z.avail_out = sizeof tmp;
            rc = deflate(&z, flush);
            cr_assert(rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR);
            bytes_put(&b, tmp, sizeof tmp - z.avail_out);
        } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    }
    deflateEnd(&z);
    return b;
}

Test(decode, gzip_bomb_streams_through_a_small_window_in_bounded_memory)
{
    const size_t size = (size_t)256 << 20;
    bytes z = gzip_zeros(size);
    cr_assert_lt(z.len, size / 500, "a bomb: %zu bytes", z.len);
    const long rss0 = max_rss_kib();
    cr_assert_eq(count_zero_output(SIFT_CODEC_GZIP, &z), (uint64_t)size);
    cr_assert_lt(max_rss_kib() - rss0, 16 * 1024, "RSS grew by %ld KiB", max_rss_kib() - rss0);
    bytes_free(&z);
}

/* ---- reuse */

Test(decode, reset_starts_a_new_stream_with_offsets_from_zero)
{
    sift_decoder *d = sift_decode_create();
    cr_assert_not_null(d);
    uint8_t o[256];
    sift_error e = { 0 };
    for (int round = 0; round < 3; round++) {
        sift_decode_reset(d, round == 1 ? SIFT_CODEC_GZIP : SIFT_CODEC_ZSTD);
        sift_in in = { (const uint8_t *)"xyz", 3, 0 };
        sift_out out = { o, sizeof o, 0 };
        cr_assert_eq(sift_decode_run(d, &in, &out, &e), SIFT_ERR_CORRUPT, "round %d", round);
        cr_assert_eq(e.offset, 0);
        cr_assert_eq(sift_decode_run(d, &in, &out, &e), SIFT_NEED_MORE);
        cr_assert_eq(sift_decode_finish(d, &e), SIFT_OK);
        cr_assert_eq(sift_decode_skipped(d), 3);
    }
    sift_decode_free(d);
}
