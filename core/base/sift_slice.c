/* sift_slice.c - the out-of-line slice searches. */
#include "sift_slice.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SIFT_HAVE_AVX2_PATH 1
#endif

size_t sift_slice_find(sift_slice s, sift_slice needle)
{
    if (needle.len == 0)
        return 0;
    if (needle.len > s.len)
        return s.len;
    const uint8_t *p = memmem(s.ptr, s.len, needle.ptr, needle.len);
    return p ? (size_t)(p - s.ptr) : s.len;
}

size_t sift_slice_find_nocase(sift_slice s, sift_slice needle)
{
    if (needle.len == 0)
        return 0;
    if (needle.len > s.len)
        return s.len;
    const uint8_t first = sift_ascii_lower(needle.ptr[0]);
    for (size_t i = 0; i + needle.len <= s.len; i++) {
        if (sift_ascii_lower(s.ptr[i]) != first)
            continue;
        if (sift_slice_eq_nocase(sift_slice_make(s.ptr + i, needle.len), needle))
            return i;
    }
    return s.len;
}

static size_t newlines_scalar(const uint8_t *p, size_t n, size_t *last)
{
    size_t c = 0;
    *last = n;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n') {
            c++;
            *last = i;
        }
    }
    return c;
}

#ifdef SIFT_HAVE_AVX2_PATH
static inline uint32_t nl_mask32(const uint8_t *p, __m256i nl) __attribute__((target("avx2")));
static inline uint32_t nl_mask32(const uint8_t *p, __m256i nl)
{
    return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)p), nl));
}

/* 32 bytes per step; the last newline is the highest bit of the last nonzero
 * mask. The tail is one more load that overlaps bytes already counted (their
 * bits are masked off), since the spans between hits are short and a byte
 * loop over every tail would cost more than the vector loop. n >= 32. */
__attribute__((target("avx2,popcnt"))) static size_t newlines_avx2(const uint8_t *p, size_t n, size_t *last)
{
    const __m256i nl = _mm256_set1_epi8('\n');
    size_t c = 0, i = 0, lastpos = n;
    for (; i + 32 <= n; i += 32) {
        uint32_t m = nl_mask32(p + i, nl);
        if (m) {
            c += (size_t)_mm_popcnt_u32(m);
            lastpos = i + 31 - (size_t)__builtin_clz(m);
        }
    }
    if (i < n) {
        size_t fresh = n - i; /* 1..31 bytes at the end of [n - 32, n) */
        uint32_t m = nl_mask32(p + n - 32, nl) & (~0u << (32 - fresh));
        if (m) {
            c += (size_t)_mm_popcnt_u32(m);
            lastpos = n - 1 - (size_t)__builtin_clz(m);
        }
    }
    *last = lastpos;
    return c;
}
#endif

size_t sift_newlines(const uint8_t *p, size_t n, size_t *last)
{
#ifdef SIFT_HAVE_AVX2_PATH
    if (n >= 32 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt"))
        return newlines_avx2(p, n, last);
#endif
    return newlines_scalar(p, n, last);
}
