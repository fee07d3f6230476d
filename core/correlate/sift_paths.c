/* sift_paths.c - an append-only string table with a hash index. */
#include "sift_paths.h"

#include <stdlib.h>
#include <string.h>

struct sift_paths {
    char **names;
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
    free(p->index);
    free(p);
}

static uint64_t hash_str(const char *s)
{
    uint64_t x = 1469598103934665603ull;
    for (; *s; s++)
        x = (x ^ (uint8_t)*s) * 1099511628211ull;
    return x;
}

static int reindex(sift_paths *p, size_t nindex)
{
    uint32_t *ix = calloc(nindex, sizeof *ix);
    if (!ix)
        return 0;
    for (size_t i = 0; i < p->n; i++) {
        size_t j = hash_str(p->names[i]) & (nindex - 1);
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
    /* One input is interned for each of its observations: the last is the hit. */
    if (p->n && strcmp(p->names[p->n - 1], path) == 0)
        return (uint32_t)(p->n - 1);
    /* The index stays at most half full, so a probe always ends. */
    if ((p->n + 1) * 2 > p->nindex && !reindex(p, p->nindex ? p->nindex * 2 : 64))
        goto drop;
    size_t mask = p->nindex - 1, j = hash_str(path) & mask;
    for (; p->index[j]; j = (j + 1) & mask)
        if (strcmp(p->names[p->index[j] - 1], path) == 0)
            return p->index[j] - 1;
    if (p->n >= SIFT_MAX_PATHS)
        goto drop;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        char **v = realloc(p->names, cap * sizeof *v);
        if (!v)
            goto drop;
        p->names = v;
        p->cap = cap;
    }
    char *copy = strdup(path);
    if (!copy)
        goto drop;
    p->names[p->n] = copy;
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

uint64_t sift_paths_dropped(const sift_paths *p)
{
    return p->dropped;
}
