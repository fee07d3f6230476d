/* fuzz_pipeline.c - bytes to findings through the whole engine: decoding,
 * encodings, framing, verification, correlation and output. The oracle: a
 * mapped file on one thread, a pipe with fuzzer-chosen read sizes, whose
 * compressed input is decoded on a second thread, and a mapped file whose
 * matcher runs ahead on a second thread give identical findings and
 * identical error reports, and every line is one JSON object. A live run
 * over the same pipe may add early lines ("final":false) while the input
 * pauses, but must end with the same final lines. An .evtx is also
 * converted (--dump) on one thread and on three, to the same lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sift_run.h"

typedef struct capture {
    char *out, *err;
    size_t out_len, err_len;
    int rc;
} capture;

/* One engine per process, as the CLI has: made on the first input. */
static const sift_engine *engine(size_t *n_formats)
{
    static sift_engine *e;
    static size_t n;
    if (!e) {
        const sift_format *const *f = sift_registry(&n);
        e = sift_engine_create(f, n, stderr);
        FUZZ_ASSERT(e != NULL);
    }
    *n_formats = n;
    return e;
}

static capture run_dump(const uint8_t *data, size_t size, size_t chunk, unsigned formats, int threads, int live,
                        int dump)
{
    capture c = { 0 };
    /* A tiny port range puts the TIME_WAIT thresholds within a few rows. */
    sift_run_opts o = { .formats = formats, .port_range = 8, .threads = threads };
    o.live = live;
    o.dump = dump;
    o.verbose = 1; /* for decision() */
    o.out = open_memstream(&c.out, &c.out_len);
    o.err = open_memstream(&c.err, &c.err_len);
    FUZZ_ASSERT(o.out && o.err);
    size_t nf;
    c.rc = sift_run_memory(engine(&nf), &o, "fuzz/FUZZHOST/input", data, size, chunk);
    fclose(o.out);
    fclose(o.err);
    return c;
}

static capture run(const uint8_t *data, size_t size, size_t chunk, unsigned formats, int threads, int live)
{
    return run_dump(data, size, chunk, formats, threads, live, 0);
}

/* Every line one JSON object of at least min bytes: a converted record
 * whose BinXML holds no element renders as the empty object. */
static void check_lines_min(const char *out, size_t len, long min)
{
    const char *p = out, *end = out + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        FUZZ_ASSERT(nl != NULL);
        FUZZ_ASSERT(nl - p >= min && p[0] == '{' && nl[-1] == '}');
        FUZZ_ASSERT(memchr(p, '\0', (size_t)(nl - p)) == NULL);
        p = nl + 1;
    }
}

static void check_lines(const char *out, size_t len)
{
    check_lines_min(out, len, 3);
}

#define has(p, n, lit) (memmem((p), (n), (lit), sizeof(lit) - 1) != NULL)
#define RDGW "\"rule\":\"rdgw-crash\""

/* How --verbose says the input was read ("plain, utf-8"), from err. */
static sift_slice decision(const capture *c)
{
    static const char tag[] = "fuzz/FUZZHOST/input: ";
    const char *p = c->err, *end = c->err + c->err_len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *at = memmem(p, n, tag, sizeof tag - 1);
        if (at && has(p, n, " bytes of text: ")) {
            const char *d = at + sizeof tag - 1;
            const char *comma = memchr(d, ',', (size_t)(p + n - d));
            comma = comma ? memchr(comma + 1, ',', (size_t)(p + n - comma - 1)) : NULL;
            return sift_slice_make(d, comma ? (size_t)(comma - d) : (size_t)(p + n - d));
        }
        p += n + 1;
    }
    return sift_slice_make("", 0);
}

/* Past a JSON string or null starting at p. */
static const char *skip_value(const char *p, const char *end)
{
    if (p < end && *p == '"') {
        for (p++; p < end; p++) {
            if (*p == '\\')
                p++;
            else if (*p == '"')
                return p + 1;
        }
        return end;
    }
    return p + 4 <= end ? p + 4 : end; /* null */
}

/* line[0, n) without the value of key, into out (cap n); returns its length. */
static size_t cut_value(const char *line, size_t n, const char *key, char *out)
{
    const char *k = memmem(line, n, key, strlen(key));
    if (!k) {
        memcpy(out, line, n);
        return n;
    }
    size_t head = (size_t)(k - line) + strlen(key);
    const char *e = skip_value(line + head, line + n);
    memcpy(out, line, head);
    memcpy(out + head, e, (size_t)(line + n - e));
    return head + (size_t)(line + n - e);
}

/* Whether two lines are the same once rdgw-crash's "module" and
 * "module_version" values, and what its verdict derives from the module's
 * version (the build, its window, the verdict, the severity it sets), are
 * cut out of both. */
static int same_but_module(const char *a, size_t an, const char *b, size_t bn)
{
    static const char *const keys[] = { "\"module\":", "\"module_version\":", "\"build\":", "\"build_from\":",
                                         "\"window\":", "\"verdict\":", "\"severity\":" };
    char *x = malloc(an + 1), *y = malloc(bn + 1), *t = malloc((an > bn ? an : bn) + 1);
    FUZZ_ASSERT(x && y && t);
    memcpy(x, a, an);
    memcpy(y, b, bn);
    size_t xn = an, yn = bn;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        xn = cut_value(x, xn, keys[k], t);
        memcpy(x, t, xn);
        yn = cut_value(y, yn, keys[k], t);
        memcpy(y, t, yn);
    }
    int same = xn == yn && memcmp(x, y, xn) == 0;
    free(x);
    free(y);
    free(t);
    return same;
}

/* Early lines judge open records and tables on what has arrived; they are
 * never final. The final lines then match the whole run's, one for one,
 * with one exception: rdgw-crash's module (and what its verdict makes of
 * the module's version). A crash is counted on its first lines that hold
 * the application and the exception code; Windows writes the module line
 * between them, but a crafted record need not. */
static void check_live(const uint8_t *data, size_t size, size_t chunk, unsigned formats, const capture *whole)
{
    /* Compressed input on one thread or two, as the input's last byte says. */
    int threads = size && (data[size - 1] & 1) ? 2 : 1;
    capture live = run(data, size, chunk, formats, threads, 1);
    /* A live stream cannot wait for a full sniff buffer: it decides the
     * encoding on its first whole line, which may see less than a whole run
     * does (binary bytes further on, UTF-16 without a BOM). Compare only
     * runs that read the input the same way. */
    sift_slice a = decision(&live), b = decision(whole);
    if (a.len != b.len || (a.len && memcmp(a.ptr, b.ptr, a.len) != 0)) {
        free(live.out);
        free(live.err);
        return;
    }
    FUZZ_ASSERT(live.rc == whole->rc);
    check_lines(live.out, live.out_len);
    const char *p = live.out, *end = live.out + live.out_len;
    const char *w = whole->out, *wend = whole->out + whole->out_len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)(nl + 1 - p);
        if (has(p, n, "\"final\":false")) {
            FUZZ_ASSERT(w == whole->out); /* no early line after a final one */
        } else {
            FUZZ_ASSERT(w < wend);
            const char *wl = memchr(w, '\n', (size_t)(wend - w));
            size_t wn = (size_t)(wl + 1 - w);
            FUZZ_ASSERT((wn == n && memcmp(w, p, n) == 0) ||
                        (has(p, n, RDGW) && has(w, wn, RDGW) && same_but_module(p, n, w, wn)));
            w = wl + 1;
        }
        p = nl + 1;
    }
    FUZZ_ASSERT(w == wend);
    free(live.out);
    free(live.err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 18))
        return 0;
    /* A first byte below 16 picks a set of formats to look for (0: all). */
    size_t nf;
    (void)engine(&nf);
    unsigned formats = 0;
    if (size && data[0] < 16 && nf < 32)
        formats = data[0] % ((1u << nf) - 1) + 1;
    capture whole = run(data, size, 0, formats, 1, 0);
    FUZZ_ASSERT(whole.rc >= 0 && whole.rc <= 2);
    check_lines(whole.out, whole.out_len);
    size_t chunk = fuzz_chunk(data, size, 0);
    /* The pipe decodes compressed input on a second thread. */
    capture piped = run(data, size, chunk, formats, 2, 0);
    FUZZ_ASSERT(piped.rc == whole.rc);
    FUZZ_ASSERT(piped.out_len == whole.out_len && memcmp(piped.out, whole.out, whole.out_len) == 0);
    FUZZ_ASSERT(piped.err_len == whole.err_len && memcmp(piped.err, whole.err, whole.err_len) == 0);
    /* Mapped on two threads: the matcher runs ahead of the hit placing. */
    capture ahead = run(data, size, 0, formats, 2, 0);
    FUZZ_ASSERT(ahead.rc == whole.rc);
    FUZZ_ASSERT(ahead.out_len == whole.out_len && memcmp(ahead.out, whole.out, whole.out_len) == 0);
    FUZZ_ASSERT(ahead.err_len == whole.err_len && memcmp(ahead.err, whole.err, whole.err_len) == 0);
    free(ahead.out);
    free(ahead.err);
    check_live(data, size, chunk, formats, &whole);
    /* .evtx converted: one thread on the mapping, or three workers behind a
     * pipe, print the same records and the same errors. */
    if (size >= 8 && memcmp(data, "ElfFile", 8) == 0) {
        capture one = run_dump(data, size, 0, formats, 1, 0, 1);
        capture three = run_dump(data, size, chunk, formats, 3, 0, 1);
        FUZZ_ASSERT(one.rc == three.rc && one.rc != 1);
        check_lines_min(one.out, one.out_len, 2);
        FUZZ_ASSERT(three.out_len == one.out_len && memcmp(three.out, one.out, one.out_len) == 0);
        FUZZ_ASSERT(three.err_len == one.err_len && memcmp(three.err, one.err, one.err_len) == 0);
        free(one.out);
        free(one.err);
        free(three.out);
        free(three.err);
    }
    free(whole.out);
    free(whole.err);
    free(piped.out);
    free(piped.err);
    return 0;
}
