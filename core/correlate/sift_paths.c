/* sift_paths.c - an append-only string table with a hash index. */
#include "sift_paths.h"

#include <stdlib.h>
#include <string.h>

struct sift_paths {
    char **names;
    const char **formats; /* beside names */
    size_t n, cap;
    uint32_t *index; /* open addressing over ids + 1; 0 is empty */
    size_t nindex;
    uint64_t dropped;
};

sift_paths *sift_paths_create(void)
{
    return calloc(1, sizeof(sift_paths));
}

void sift_paths_free(sift_paths *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->names[i]);
    free(p->names);
    free(p->formats);
    free(p->index);
    free(p);
}

static uint64_t hash_str(const char *s, const char *format)
{
    uint64_t x = 1469598103934665603ull;
    for (; *s; s++)
        x = (x ^ (uint8_t)*s) * 1099511628211ull;
    /* A NUL between, so that no path and format run into another pair. */
    x *= 1099511628211ull;
    for (; format && *format; format++)
        x = (x ^ (uint8_t)*format) * 1099511628211ull;
    return x;
}

static int same_format(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static int is_entry(const sift_paths *p, size_t i, const char *path, const char *format)
{
    return same_format(p->formats[i], format) && strcmp(p->names[i], path) == 0;
}

static int reindex(sift_paths *p, size_t nindex)
{
    uint32_t *ix = calloc(nindex, sizeof *ix);
    if (!ix)
        return 0;
    for (size_t i = 0; i < p->n; i++) {
        size_t j = hash_str(p->names[i], p->formats[i]) & (nindex - 1);
        while (ix[j])
            j = (j + 1) & (nindex - 1);
        ix[j] = (uint32_t)i + 1;
    }
    free(p->index);
    p->index = ix;
    p->nindex = nindex;
    return 1;
}

uint32_t sift_paths_intern(sift_paths *p, const char *path)
{
    return sift_paths_intern_as(p, path, NULL);
}

uint32_t sift_paths_intern_as(sift_paths *p, const char *path, const char *format)
{
    /* One input is interned for each of its observations: the last is the hit. */
    if (p->n && is_entry(p, p->n - 1, path, format))
        return (uint32_t)(p->n - 1);
    /* The index stays at most half full, so a probe always ends. */
    if ((p->n + 1) * 2 > p->nindex && !reindex(p, p->nindex ? p->nindex * 2 : 64))
        goto drop;
    size_t mask = p->nindex - 1, j = hash_str(path, format) & mask;
    for (; p->index[j]; j = (j + 1) & mask)
        if (is_entry(p, p->index[j] - 1, path, format))
            return p->index[j] - 1;
    if (p->n >= SIFT_MAX_PATHS)
        goto drop;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        char **v = realloc(p->names, cap * sizeof *v);
        if (!v)
            goto drop;
        p->names = v;
        const char **f = realloc(p->formats, cap * sizeof *f);
        if (!f)
            goto drop;
        p->formats = f;
        p->cap = cap;
    }
    char *copy = strdup(path);
    if (!copy)
        goto drop;
    p->names[p->n] = copy;
    p->formats[p->n] = format;
    p->index[j] = (uint32_t)p->n + 1;
    p->n++;
    return (uint32_t)(p->n - 1);
drop:
    p->dropped++;
    return SIFT_PATH_NONE;
}

const char *sift_paths_name(const sift_paths *p, uint32_t id)
{
    return id < p->n ? p->names[id] : "-";
}

const char *sift_paths_format(const sift_paths *p, uint32_t id)
{
    return id < p->n ? p->formats[id] : NULL;
}

uint64_t sift_paths_dropped(const sift_paths *p)
{
    return p->dropped;
}
