/* sift_cursor.h - the bounded cursor every untrusted byte goes through.
 *
 * Invariant: pos <= len. Bounds are checked as `n > len - pos`, which cannot
 * overflow. A primitive either succeeds and advances, or fails and leaves the
 * cursor where it was; a multi-step parse works on a copy and commits at the
 * end (`sift_cursor t = *c; ...; *c = t;`). */
#ifndef SIFT_CURSOR_H
#define SIFT_CURSOR_H

#include "sift_slice.h"

typedef struct sift_cursor {
    const uint8_t *buf;
    size_t len;
    size_t pos;
} sift_cursor;

static inline sift_cursor sift_cur_make(sift_slice s)
{
    return (sift_cursor){ s.ptr, s.len, 0 };
}

static inline size_t sift_cur_left(const sift_cursor *c)
{
    return c->len - c->pos;
}

static inline int sift_cur_eof(const sift_cursor *c)
{
    return c->pos >= c->len;
}

/* Next byte, or -1 at the end. */
static inline int sift_cur_peek(const sift_cursor *c)
{
    return c->pos < c->len ? c->buf[c->pos] : -1;
}

/* Pointer arithmetic only on a real position: NULL + 0 is undefined in C,
 * and the empty slice {NULL, 0} is a valid input everywhere. */
static inline sift_slice sift_cur_slice(const sift_cursor *c, size_t from, size_t n)
{
    return n ? sift_slice_make(c->buf + from, n) : (sift_slice){ NULL, 0 };
}

static inline sift_slice sift_cur_rest(const sift_cursor *c)
{
    return sift_cur_slice(c, c->pos, c->len - c->pos);
}

/* Take n bytes; 0 (cursor unchanged) when fewer remain. */
static inline int sift_cur_take(sift_cursor *c, size_t n, sift_slice *out)
{
    if (n > sift_cur_left(c))
        return 0;
    *out = sift_cur_slice(c, c->pos, n);
    c->pos += n;
    return 1;
}

/* Consume lit if the input continues with it. */
static inline int sift_cur_accept(sift_cursor *c, sift_slice lit)
{
    if (lit.len > sift_cur_left(c) || (lit.len && memcmp(c->buf + c->pos, lit.ptr, lit.len) != 0))
        return 0;
    c->pos += lit.len;
    return 1;
}

/* Same, ASCII case-insensitive. */
static inline int sift_cur_accept_nocase(sift_cursor *c, sift_slice lit)
{
    if (lit.len > sift_cur_left(c) || !sift_slice_eq_nocase(sift_slice_make(c->buf + c->pos, lit.len), lit))
        return 0;
    c->pos += lit.len;
    return 1;
}

static inline int sift_cur_accept_byte(sift_cursor *c, uint8_t b)
{
    if (c->pos >= c->len || c->buf[c->pos] != b)
        return 0;
    c->pos++;
    return 1;
}

/* Skip spaces and tabs (not line ends); returns how many. */
static inline size_t sift_cur_skip_blanks(sift_cursor *c)
{
    size_t start = c->pos;
    while (c->pos < c->len && sift_is_blank(c->buf[c->pos]))
        c->pos++;
    return c->pos - start;
}

/* The run of bytes up to (not including) the next space, tab, CR or LF. */
static inline sift_slice sift_cur_take_token(sift_cursor *c)
{
    size_t start = c->pos;
    while (c->pos < c->len) {
        uint8_t b = c->buf[c->pos];
        if (b == ' ' || b == '\t' || b == '\r' || b == '\n')
            break;
        c->pos++;
    }
    return sift_cur_slice(c, start, c->pos - start);
}

/* The next line without its LF or CRLF; the cursor moves past the LF.
 * Returns 0 at the end of input. A last line without LF is returned whole. */
static inline int sift_cur_take_line(sift_cursor *c, sift_slice *line)
{
    if (c->pos >= c->len)
        return 0;
    const uint8_t *start = c->buf + c->pos;
    size_t left = c->len - c->pos;
    const uint8_t *nl = (const uint8_t *)memchr(start, '\n', left);
    size_t n = nl ? (size_t)(nl - start) : left;
    c->pos += nl ? n + 1 : n;
    if (n && start[n - 1] == '\r')
        n--;
    *line = sift_slice_make(start, n);
    return 1;
}

#endif
