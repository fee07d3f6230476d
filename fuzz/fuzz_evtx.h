/* fuzz_evtx.h - the walk checker the two .evtx fuzz targets share: one
 * chunk walked to its end, held to the walk's invariants. */
#ifndef SIFT_FUZZ_EVTX_H
#define SIFT_FUZZ_EVTX_H

#include <string.h>

#include "fuzz.h"
#include "sift_evtx.h"

/* Calls one chunk's walk may take: each moves strictly forward through at
 * most 64 KiB twice (walk, then carve), plus the DONE. */
#define FZ_EVTX_WALK_BOUND (2u * SIFT_EVTX_CHUNK_SIZE + 2u)
/* Walked records do not overlap; carved ones are bounded by the id set. */
#define FZ_EVTX_MAX_RECS (2u * SIFT_EVTX_MAX_RECORDS)

/* Walks c to the end; the offsets of walked (not carved) records go to
 * at[] (FZ_EVTX_MAX_RECS of them at most). Returns how many. Checks: every
 * record has its magic and lies inside the chunk, walked records and
 * errors move strictly forward and come before carved records, carved
 * records come only when asked for, the walk ends within the bound, and
 * DONE stays DONE. */
static inline unsigned fz_evtx_walk(const sift_evtx_chunk *c, int carve, uint32_t *at)
{
    static sift_evtx_walk w;
    sift_evtx_walk_init(&w, c, carve);
    unsigned n = 0, carved = 0;
    uint32_t next = SIFT_EVTX_CHUNK_HEADER;
    for (unsigned calls = 0;; calls++) {
        FUZZ_ASSERT(calls < FZ_EVTX_WALK_BOUND);
        sift_evtx_record r;
        sift_error err = { SIFT_OK, 0, NULL };
        const sift_status st = sift_evtx_walk_next(&w, &r, &err);
        if (st == SIFT_DONE)
            break;
        if (st != SIFT_OK) {
            FUZZ_ASSERT(sift_is_error(st) && !carved);
            FUZZ_ASSERT(err.offset >= next && err.offset < c->bytes.len);
            next = (uint32_t)err.offset + 1;
            continue;
        }
        FUZZ_ASSERT(r.size >= SIFT_EVTX_RECORD_MIN && r.offset >= SIFT_EVTX_CHUNK_HEADER);
        FUZZ_ASSERT(fuzz_inside(c->bytes.ptr + r.offset, r.size, c->bytes.ptr, c->bytes.len));
        FUZZ_ASSERT(r.binxml_offset == r.offset + 24 && r.binxml_len == r.size - SIFT_EVTX_RECORD_MIN);
        FUZZ_ASSERT(memcmp(c->bytes.ptr + r.offset, "\x2a\x2a\x00\x00", 4) == 0);
        if (r.carved) {
            FUZZ_ASSERT(carve && carved < FZ_EVTX_MAX_RECS);
            carved++;
            continue;
        }
        FUZZ_ASSERT(!carved && r.offset >= next && r.offset < w.end && n < FZ_EVTX_MAX_RECS);
        next = r.offset + r.size;
        at[n++] = r.offset;
    }
    sift_evtx_record r;
    FUZZ_ASSERT(sift_evtx_walk_next(&w, &r, NULL) == SIFT_DONE);
    return n;
}

#endif
