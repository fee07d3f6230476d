/* fuzz_pipeline.c - bytes to findings through the whole engine: decoding,
 * encodings, framing, verification, correlation and output. The oracle: a
 * mapped file on one thread and a pipe with fuzzer-chosen read sizes, whose
 * compressed input is decoded on a second thread, give identical findings
 * and identical error reports, and every line is one JSON object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sift_run.h"
#include "sift_scan.h"

typedef struct capture {
    char *out, *err;
    size_t out_len, err_len;
    int rc;
} capture;

static capture run(const uint8_t *data, size_t size, size_t chunk, unsigned formats, int threads)
{
    capture c = { 0 };
    /* A tiny port range puts the TIME_WAIT thresholds within a few rows. */
    sift_run_opts o = { formats, NULL, 8, 0, 0, 0, NULL, NULL, threads };
    o.out = open_memstream(&c.out, &c.out_len);
    o.err = open_memstream(&c.err, &c.err_len);
    FUZZ_ASSERT(o.out && o.err);
    c.rc = sift_run_memory(&o, "fuzz/FUZZHOST/input", data, size, chunk);
    fclose(o.out);
    fclose(o.err);
    return c;
}

static void check_lines(const char *out, size_t len)
{
    const char *p = out, *end = out + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        FUZZ_ASSERT(nl != NULL);
        FUZZ_ASSERT(nl - p > 2 && p[0] == '{' && nl[-1] == '}');
        FUZZ_ASSERT(memchr(p, '\0', (size_t)(nl - p)) == NULL);
        p = nl + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 18))
        return 0;
    /* The first byte picks the format mask; the rest is the input. */
    unsigned formats = SIFT_FMT_ALL;
    if (size && data[0] < 16)
        formats = (data[0] % 3) + 1;
    capture whole = run(data, size, 0, formats, 1);
    FUZZ_ASSERT(whole.rc >= 0 && whole.rc <= 2);
    check_lines(whole.out, whole.out_len);
    size_t chunk = fuzz_chunk(data, size, 0);
    /* The pipe decodes compressed input on a second thread. */
    capture piped = run(data, size, chunk, formats, 2);
    FUZZ_ASSERT(piped.rc == whole.rc);
    FUZZ_ASSERT(piped.out_len == whole.out_len && memcmp(piped.out, whole.out, whole.out_len) == 0);
    FUZZ_ASSERT(piped.err_len == whole.err_len && memcmp(piped.err, whole.err, whole.err_len) == 0);
    free(whole.out);
    free(whole.err);
    free(piped.out);
    free(piped.err);
    return 0;
}
