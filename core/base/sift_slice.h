/* sift_slice.h - borrowed byte ranges: the currency of every logsift API.
 *
 * A slice is {ptr, len}, passed by value and never NUL-terminated. The empty
 * slice is {NULL, 0} and every function here accepts it. A slice never owns
 * its bytes: each API that returns slices says how long they stay valid. */
#ifndef SIFT_SLICE_H
#define SIFT_SLICE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct sift_slice {
    const uint8_t *ptr;
    size_t len;
} sift_slice;

/* Stage buffers in the zstd style: the caller owns the memory, the callee
 * only moves pos. Invariant: pos <= size. */
typedef struct sift_in {
    const uint8_t *buf;
    size_t size;
    size_t pos;
} sift_in;

typedef struct sift_out {
    uint8_t *buf;
    size_t size;
    size_t pos;
} sift_out;

/* A slice over a string literal, without its terminator. */
#define SIFT_LIT(s) ((sift_slice){ (const uint8_t *)("" s), sizeof(s) - 1 })

static inline sift_slice sift_slice_make(const void *ptr, size_t len)
{
    return len ? (sift_slice){ (const uint8_t *)ptr, len } : (sift_slice){ NULL, 0 };
}

/* s[from, from + n) clamped to s. */
static inline sift_slice sift_slice_sub(sift_slice s, size_t from, size_t n)
{
    if (from >= s.len)
        return (sift_slice){ NULL, 0 };
    if (n > s.len - from)
        n = s.len - from;
    return sift_slice_make(s.ptr + from, n);
}

static inline int sift_slice_eq(sift_slice a, sift_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline uint8_t sift_ascii_lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

/* ASCII case-insensitive equality; bytes >= 0x80 must match exactly. */
static inline int sift_slice_eq_nocase(sift_slice a, sift_slice b)
{
    if (a.len != b.len)
        return 0;
    for (size_t i = 0; i < a.len; i++)
        if (sift_ascii_lower(a.ptr[i]) != sift_ascii_lower(b.ptr[i]))
            return 0;
    return 1;
}

static inline int sift_slice_starts_with(sift_slice s, sift_slice prefix)
{
    return s.len >= prefix.len && (prefix.len == 0 || memcmp(s.ptr, prefix.ptr, prefix.len) == 0);
}

static inline int sift_slice_starts_with_nocase(sift_slice s, sift_slice prefix)
{
    return s.len >= prefix.len && sift_slice_eq_nocase(sift_slice_make(s.ptr, prefix.len), prefix);
}

static inline int sift_is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* A blank within a line: space or tab. */
static inline int sift_is_blank(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* Without leading and trailing ASCII whitespace (CR included). */
static inline sift_slice sift_slice_trim(sift_slice s)
{
    if (s.len == 0)
        return s; /* no arithmetic on a NULL pointer, not even + 0 */
    size_t a = 0, b = s.len;
    while (a < b && sift_is_space(s.ptr[a]))
        a++;
    while (b > a && sift_is_space(s.ptr[b - 1]))
        b--;
    return sift_slice_make(s.ptr + a, b - a);
}

/* Index of the first c in s, or s.len when absent. */
static inline size_t sift_slice_find_byte(sift_slice s, uint8_t c)
{
    /* Most callers look inside one column or label: for those a plain loop
     * is cheaper than calling memchr. */
    if (s.len <= 16) {
        for (size_t i = 0; i < s.len; i++)
            if (s.ptr[i] == c)
                return i;
        return s.len;
    }
    const uint8_t *p = (const uint8_t *)memchr(s.ptr, c, s.len);
    return p ? (size_t)(p - s.ptr) : s.len;
}

/* Little-endian integers at p, for binary formats: the caller has checked
 * that the bytes lie inside its input. */
static inline uint16_t sift_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static inline uint32_t sift_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t sift_le64(const uint8_t *p)
{
    return (uint64_t)sift_le32(p) | (uint64_t)sift_le32(p + 4) << 32;
}

/* Index of the first occurrence of needle in s, or s.len when absent.
 * An empty needle is found at 0. */
size_t sift_slice_find(sift_slice s, sift_slice needle);

/* Same, ASCII case-insensitive. */
size_t sift_slice_find_nocase(sift_slice s, sift_slice needle);

/* Newlines in p[0, n), in one pass that also finds the last of them: *last
 * is its index, or n when there is none. Line accounting runs over every
 * byte logsift scans, so this uses AVX2 where the CPU has it. */
size_t sift_newlines(const uint8_t *p, size_t n, size_t *last);

/* Index of the first occurrence of lit[0, m) in p[0, n), or n when absent
 * (0 for an empty lit). A pass over every byte a scan reads, so it uses AVX2
 * where the CPU has it. */
size_t sift_find_literal(const uint8_t *p, size_t n, const uint8_t *lit, size_t m);

#endif
