/* sbuf.h - a growable byte buffer for building test inputs (test code only). */
#ifndef SIFT_TEST_SBUF_H
#define SIFT_TEST_SBUF_H

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static inline void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        cr_assert_not_null(b->p);
    }
    if (n)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static inline void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[8192];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    cr_assert(k >= 0 && (size_t)k < sizeof tmp);
    sb_add(b, tmp, (size_t)k);
}

/* Appends the whole of the file at path. */
static inline void sb_load(sbuf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char tmp[8192];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        sb_add(b, tmp, k);
    cr_assert(!ferror(f), "%s", path);
    fclose(f);
}

/* The whole of the file at path, NUL-terminated (*len its size); caller
 * frees. */
static inline char *sb_slurp(const char *path, size_t *len)
{
    sbuf b = { 0 };
    sb_add(&b, "", 0);
    sb_load(&b, path);
    *len = b.n;
    return b.p;
}

#endif
