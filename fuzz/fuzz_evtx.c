/* fuzz_evtx.c - sift_evtx on a whole file: the header, then every slot to
 * the end opened and walked with and without carving, each walk held to
 * its invariants; then the registry's evtx format reads every slot as the
 * engine does (records through BinXML into events and JSON), and what it
 * hands over is held to its contract. */
#include <stdlib.h>

#include "fuzz_evtx.h"

static uint32_t at[FZ_EVTX_MAX_RECS];

/* ---- the format, as the engine drives it ------------------------------------ */

typedef struct seen {
    const sift_slice unit;
    uint64_t offset;
} seen;

static unsigned want_all(void *ctx, const sift_rec *rec, sift_slice channel)
{
    seen *s = ctx;
    (void)channel;
    FUZZ_ASSERT(rec->offset >= s->offset && rec->offset < s->offset + s->unit.len);
    FUZZ_ASSERT(rec->bytes.ptr >= s->unit.ptr && rec->bytes.ptr + rec->bytes.len <= s->unit.ptr + s->unit.len);
    FUZZ_ASSERT(rec->provider.len <= SIFT_EVTX_CHUNK_SIZE * 2);
    return SIFT_WANT_EVENT | SIFT_WANT_RENDER;
}

static void got_event(void *ctx, const sift_rec *rec, const sift_event *ev)
{
    (void)ctx;
    (void)rec;
    FUZZ_ASSERT(ev->n_data <= SIFT_EVENT_MAX_DATA);
    for (size_t i = 0; i < ev->n_data; i++)
        FUZZ_ASSERT(ev->data[i].value.len < (1u << 20) && ev->data[i].name.len < (1u << 20));
    sift_event copy = *ev;
    sift_event_resolve(&copy);
}

static void got_json(void *ctx, const sift_rec *rec, sift_slice json)
{
    (void)ctx;
    (void)rec;
    FUZZ_ASSERT(json.len >= 2 && json.ptr[0] == '{' && json.ptr[json.len - 1] == '}');
    FUZZ_ASSERT(memchr(json.ptr, '\n', json.len) == NULL);
}

static void got_error(void *ctx, const sift_error *err)
{
    seen *s = ctx;
    FUZZ_ASSERT(sift_is_error(err->code) && err->detail != NULL);
    FUZZ_ASSERT(err->offset >= s->offset && err->offset <= s->offset + s->unit.len);
}

static void read_as_engine(const uint8_t *data, size_t size)
{
    static void *scratch;
    static uint8_t file[4096];
    const sift_container_ops *ops = sift_evtx_format.container;
    if (!scratch) {
        size_t n = (ops->scratch_size() + 15) & ~(size_t)15;
        scratch = aligned_alloc(16, n);
        FUZZ_ASSERT(scratch != NULL && ops->file_size <= sizeof file);
    }
    memset(file, 0, sizeof file);
    sift_error err = { SIFT_OK, 0, NULL };
    size_t hs = size < ops->header_size ? size : ops->header_size;
    (void)ops->open(file, sift_slice_make(data, hs), &err);
    sift_unit_stats st = { 0 };
    for (size_t off = hs, i = 0; off < size; off += ops->unit_size, i++) {
        seen s = { sift_slice_make(data + off, size - off < ops->unit_size ? size - off : ops->unit_size), off };
        sift_unit_out out = { &s, want_all, got_event, got_json, got_error };
        for (unsigned flags = 0; flags <= SIFT_UNIT_CARVE; flags += SIFT_UNIT_CARVE)
            ops->unit(file, scratch, s.unit, i, off, flags, &out, &st);
    }
    FUZZ_ASSERT(st.records_carved <= st.records);
}

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
    read_as_engine(data, size);
    return 0;
}
