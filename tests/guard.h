/* guard.h - test inputs placed flush against an unreadable page, so that a
 * one-byte over-read faults even without ASan (the picohttpparser trick). */
#ifndef SIFT_TEST_GUARD_H
#define SIFT_TEST_GUARD_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct guard_buf {
    uint8_t *map;
    size_t map_len;
    const uint8_t *ptr; /* the copy, ending exactly at the guard page */
    size_t len;
} guard_buf;

/* Copy len bytes of src so that ptr + len is the first unreadable byte. */
static inline guard_buf guard_copy(const void *src, size_t len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t data_pages = (len + page - 1) / page;
    if (data_pages == 0)
        data_pages = 1;
    guard_buf g = { 0 };
    g.map_len = (data_pages + 1) * page;
    g.map = mmap(NULL, g.map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g.map == MAP_FAILED)
        abort();
    uint8_t *guard = g.map + data_pages * page;
    if (mprotect(guard, page, PROT_NONE) != 0)
        abort();
    uint8_t *dst = guard - len;
    if (len)
        memcpy(dst, src, len);
    g.ptr = dst;
    g.len = len;
    return g;
}

static inline void guard_free(guard_buf *g)
{
    if (g->map)
        munmap(g->map, g->map_len);
    g->map = NULL;
}

#endif
