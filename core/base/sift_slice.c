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

/* 128 bytes per step: each compare's all-ones bytes are subtracted into
 * byte counters (two instructions per 32 bytes, where movemask and popcnt
 * took four), which are summed into 64-bit ones before they can wrap: a
 * counter gains at most 4 per step, so NL_STEPS_MAX steps fit in a byte.
 * Then the tail; the last newline is found afterwards by one search back
 * from the end, since lines are short and tracking it in the loop would
 * cost a branch per step. */
#define NL_STEPS_MAX 63u
__attribute__((target("avx2,popcnt"))) static size_t newlines_avx2(const uint8_t *p, size_t n, size_t *last)
{
    const __m256i nl = _mm256_set1_epi8('\n'), zero = _mm256_setzero_si256();
    __m256i wide = zero;
    size_t c0 = 0, i = 0;
    while (i + 128 <= n) {
        size_t steps = (n - i) / 128;
        if (steps > NL_STEPS_MAX)
            steps = NL_STEPS_MAX;
        __m256i bytes = zero;
        for (const uint8_t *q = p + i, *qe = q + steps * 128; q < qe; q += 128) {
            bytes = _mm256_sub_epi8(bytes, _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)q), nl));
            bytes = _mm256_sub_epi8(bytes,
                                    _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)(q + 32)), nl));
            bytes = _mm256_sub_epi8(bytes,
                                    _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)(q + 64)), nl));
            bytes = _mm256_sub_epi8(bytes,
                                    _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)(q + 96)), nl));
        }
        wide = _mm256_add_epi64(wide, _mm256_sad_epu8(bytes, zero));
        i += steps * 128;
    }
    c0 += (size_t)_mm256_extract_epi64(wide, 0) + (size_t)_mm256_extract_epi64(wide, 1) +
          (size_t)_mm256_extract_epi64(wide, 2) + (size_t)_mm256_extract_epi64(wide, 3);
    for (; i + 32 <= n; i += 32)
        c0 += (size_t)_mm_popcnt_u32(nl_mask32(p + i, nl));
    if (i < n) /* 1..31 bytes at the end of [n - 32, n) */
        c0 += (size_t)_mm_popcnt_u32(nl_mask32(p + n - 32, nl) & (~0u << (32 - (n - i))));
    size_t c = c0;
    const uint8_t *l = c ? (const uint8_t *)memrchr(p, '\n', n) : NULL;
    *last = l ? (size_t)(l - p) : n;
    return c;
}
#endif

#ifdef SIFT_HAVE_AVX2_PATH
/* The 64-bit mask of positions q + k (k < 64) where the literal's first
 * byte a and its last byte b (m - 1 further) both match. */
__attribute__((target("avx2"))) static inline uint64_t ends_mask(const uint8_t *q, __m256i va, __m256i vb, size_t m)
{
    __m256i e0 = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)q), va),
                                  _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)(q + m - 1)), vb));
    __m256i e1 =
        _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)(q + 32)), va),
                         _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)(q + 32 + m - 1)), vb));
    return (uint32_t)_mm256_movemask_epi8(e0) | (uint64_t)(uint32_t)_mm256_movemask_epi8(e1) << 32;
}

/* The first position from i on where the literal's first byte a and its
 * last byte b both match, 64 positions per step; n when none. The last
 * positions are covered by one window ending at the last possible match
 * (n >= 63 + m), masked to those not looked at. No call in the loop, so
 * the two vectors stay in registers. */
__attribute__((target("avx2,bmi"))) static size_t literal_candidate(const uint8_t *p, size_t n, size_t i, uint8_t a,
                                                                     uint8_t b, size_t m)
{
    const __m256i va = _mm256_set1_epi8((char)a), vb = _mm256_set1_epi8((char)b);
    for (; i + m - 1 + 64 <= n; i += 64) {
        const uint64_t mask = ends_mask(p + i, va, vb, m);
        if (mask)
            return i + (size_t)__builtin_ctzll(mask);
    }
    const size_t last = n - (m - 1) - 64; /* the window [last, last + 64) ends at the last start */
    if (i >= last + 64)
        return n;
    const uint64_t mask = ends_mask(p + last, va, vb, m) & (~0ull << (i - last));
    return mask ? last + (size_t)__builtin_ctzll(mask) : n;
}

/* Candidates by their first and last bytes, each then compared whole. */
__attribute__((target("avx2,bmi"))) static size_t find_literal_avx2(const uint8_t *p, size_t n, const uint8_t *lit,
                                                                     size_t m)
{
    for (size_t i = 0;;) {
        size_t c = literal_candidate(p, n, i, lit[0], lit[m - 1], m);
        if (c == n || m == 2 || memcmp(p + c + 1, lit + 1, m - 2) == 0)
            return c;
        i = c + 1;
    }
}
#endif

size_t sift_find_literal(const uint8_t *p, size_t n, const uint8_t *lit, size_t m)
{
#ifdef SIFT_HAVE_AVX2_PATH
    if (m >= 2 && n >= 63 + m && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi"))
        return find_literal_avx2(p, n, lit, m);
#endif
    return sift_slice_find(sift_slice_make(p, n), sift_slice_make(lit, m));
}

size_t sift_newlines(const uint8_t *p, size_t n, size_t *last)
{
#ifdef SIFT_HAVE_AVX2_PATH
    if (n >= 32 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt"))
        return newlines_avx2(p, n, last);
#endif
    return newlines_scalar(p, n, last);
}
