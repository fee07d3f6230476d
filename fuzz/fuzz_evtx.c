/* fuzz_evtx.c - sift_evtx on a whole file: the header, then every slot to
 * the end opened and walked with and without carving, each walk held to
 * its invariants. */
#include "fuzz_evtx.h"

static uint32_t at[FZ_EVTX_MAX_RECS];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const sift_slice file = sift_slice_make(data, size);
    sift_evtx_header h;
    sift_error err = { SIFT_OK, 0, NULL };
    const sift_status st = sift_evtx_header_read(file, &h, &err);
    FUZZ_ASSERT(st == SIFT_OK || (sift_is_error(st) && err.offset <= size));
    FUZZ_ASSERT(sift_evtx_sniff(file) == (st == SIFT_OK) || size < 128);
    FUZZ_ASSERT((h.flags & ~7u) == 0);
    for (size_t off = SIFT_EVTX_HEADER_SIZE; off < size; off += SIFT_EVTX_CHUNK_SIZE) {
        const sift_slice slot = sift_slice_sub(file, off, SIFT_EVTX_CHUNK_SIZE);
        sift_evtx_chunk c;
        const sift_status cs = sift_evtx_chunk_open(slot, h.flags, &c, &err);
        if (cs != SIFT_OK) {
            FUZZ_ASSERT(cs == SIFT_DONE || (sift_is_error(cs) && err.offset <= slot.len));
            continue;
        }
        FUZZ_ASSERT(c.bytes.ptr == slot.ptr && c.bytes.len == slot.len);
        FUZZ_ASSERT(c.free_offset >= SIFT_EVTX_CHUNK_HEADER && c.free_offset <= slot.len);
        FUZZ_ASSERT(!(h.flags & SIFT_EVTX_NO_CRC) || c.flags == 0);
        fz_evtx_walk(&c, 0, at);
        fz_evtx_walk(&c, 1, at);
    }
    return 0;
}
