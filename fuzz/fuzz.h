/* fuzz.h - helpers shared by the fuzz targets. FUZZ_ASSERT is always on. */
#ifndef SIFT_FUZZ_H
#define SIFT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
