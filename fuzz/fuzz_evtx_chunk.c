/* fuzz_evtx_chunk.c - sift_evtx on one chunk: the input padded with zeros
 * (or cut) to 64 KiB, opened and walked with and without carving; a
 * carving walk returns every record the plain walk does, first and in
 * the same order. */
#include "fuzz_evtx.h"

static uint8_t slot[SIFT_EVTX_CHUNK_SIZE];
static uint32_t plain[FZ_EVTX_MAX_RECS], with_carving[FZ_EVTX_MAX_RECS];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const size_t n = size < sizeof slot ? size : sizeof slot;
    memset(slot, 0, sizeof slot);
    if (n)
        memcpy(slot, data, n);
    /* An unused header byte outside both CRCs picks the file's flags. */
    const uint32_t flags = size > 121 && (data[121] & 1) ? SIFT_EVTX_NO_CRC : 0;
    sift_evtx_chunk c;
    sift_error err = { SIFT_OK, 0, NULL };
    const sift_status st = sift_evtx_chunk_open(sift_slice_make(slot, sizeof slot), flags, &c, &err);
    if (st != SIFT_OK) {
        FUZZ_ASSERT(st == SIFT_DONE || (sift_is_error(st) && err.offset == 0));
        return 0;
    }
    FUZZ_ASSERT(!flags || c.flags == 0);
    const unsigned a = fz_evtx_walk(&c, 0, plain);
    const unsigned b = fz_evtx_walk(&c, 1, with_carving);
    FUZZ_ASSERT(a == b && memcmp(plain, with_carving, a * sizeof plain[0]) == 0);
    return 0;
}
