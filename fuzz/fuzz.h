/* fuzz.h - helpers shared by the fuzz targets. FUZZ_ASSERT is always on. */
#ifndef SIFT_FUZZ_H
#define SIFT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(cond)                                                     \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed\n", __FILE__,      \
                    __LINE__, #cond);                                         \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* 1 when [p, p + n) lies inside [base, base + size). */
static inline int fuzz_inside(const void *p, size_t n, const void *base, size_t size)
{
    const uint8_t *a = (const uint8_t *)p, *b = (const uint8_t *)base;
    if (n == 0)
        return 1;
    return a >= b && n <= size && (size_t)(a - b) <= size - n;
}

/* A chunk-size schedule derived from the input itself: deterministic, and
 * covering 1-byte splits as well as large ones. */
static inline size_t fuzz_chunk(const uint8_t *data, size_t size, size_t i)
{
    if (size == 0)
        return 1;
    size_t v = data[(i * 7) % size];
    return (v % 3 == 0) ? 1 : (v * 13) % 257 + 1;
}

/* data behind one of n frame lines (chosen by its first byte), so that a
 * line format's record paths are reached without the fuzzer having to find
 * a frame first; malloc'd, *len its size. */
static inline uint8_t *fuzz_framed(const char *const *frames, size_t n, const uint8_t *data, size_t size, size_t *len)
{
    const char *frame = frames[size ? data[0] % n : 0];
    const size_t fl = strlen(frame);
    uint8_t *p = malloc(fl + size);
    FUZZ_ASSERT(p != NULL);
    memcpy(p, frame, fl);
    if (size)
        memcpy(p + fl, data, size);
    *len = fl + size;
    return p;
}

/* p[0, n) with every CRLF made an LF, into out (n bytes); its length. *lone:
 * the CRs that are no part of a CRLF. */
static inline size_t fuzz_crlf_to_lf(const uint8_t *p, size_t n, uint8_t *out, size_t *lone)
{
    size_t m = 0;
    *lone = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
            continue;
        *lone += p[i] == '\r';
        out[m++] = p[i];
    }
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
