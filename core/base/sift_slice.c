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

/* 128 bytes per step in four independent counts, then the tail; the last
 * newline is found afterwards by one search back from the end, since lines
 * are short and tracking it in the loop would cost a branch per step. */
__attribute__((target("avx2,popcnt"))) static size_t newlines_avx2(const uint8_t *p, size_t n, size_t *last)
{
    const __m256i nl = _mm256_set1_epi8('\n');
    size_t c0 = 0, c1 = 0, c2 = 0, c3 = 0, i = 0;
    for (; i + 128 <= n; i += 128) {
        c0 += (size_t)_mm_popcnt_u32(nl_mask32(p + i, nl));
        c1 += (size_t)_mm_popcnt_u32(nl_mask32(p + i + 32, nl));
        c2 += (size_t)_mm_popcnt_u32(nl_mask32(p + i + 64, nl));
        c3 += (size_t)_mm_popcnt_u32(nl_mask32(p + i + 96, nl));
    }
    for (; i + 32 <= n; i += 32)
        c0 += (size_t)_mm_popcnt_u32(nl_mask32(p + i, nl));
    if (i < n) /* 1..31 bytes at the end of [n - 32, n) */
        c0 += (size_t)_mm_popcnt_u32(nl_mask32(p + n - 32, nl) & (~0u << (32 - (n - i))));
    size_t c = c0 + c1 + c2 + c3;
    const uint8_t *l = c ? (const uint8_t *)memrchr(p, '\n', n) : NULL;
    *last = l ? (size_t)(l - p) : n;
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
