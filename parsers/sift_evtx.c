/* sift_evtx.c - the .evtx container: file header, 64 KiB chunk slots, the
 * record walk with resynchronisation, and carving. Layouts and pitfalls:
 * libyal "Windows XML Event Log (EVTX)" and evtx-format-and-anchors.md s. 5. */
#include "sift_evtx.h"

#include "sift_binxml.h"

#include <stdio.h>
#include <string.h>
#include <libdeflate.h>

/* ---- bounded little-endian reads ---------------------------------------- */

/* Whether n bytes at s[off] lie inside s. */
static int inside(sift_slice s, size_t off, size_t n)
{
    return off <= s.len && n <= s.len - off;
}

/* For offsets the caller has already checked against s; 0 past its end. */
static uint32_t at_u32(sift_slice s, size_t off)
{
    return inside(s, off, 4) ? sift_le32(s.ptr + off) : 0;
}

static uint64_t at_u64(sift_slice s, size_t off)
{
    return inside(s, off, 8) ? sift_le64(s.ptr + off) : 0;
}

/* Eight bytes at a time: a sweep meets many never-used 64 KiB slots. */
static int all_zero(sift_slice s)
{
    size_t i = 0;
    for (; i + 32 <= s.len; i += 32) {
        uint64_t w[4];
        memcpy(w, s.ptr + i, sizeof w);
        if (w[0] | w[1] | w[2] | w[3])
            return 0;
    }
    for (; i < s.len; i++)
        if (s.ptr[i])
            return 0;
    return 1;
}

/* CRC-32 (the zlib polynomial) over s[from, to). libdeflate's, which folds
 * with carry-less multiplies: zlib 1.2's took a quarter of a sweep's time. */
static uint32_t crc_range(uint32_t crc, sift_slice s, size_t from, size_t to)
{
    if (to > s.len)
        to = s.len;
    return from < to ? libdeflate_crc32(crc, s.ptr + from, to - from) : crc;
}

/* ---- file header --------------------------------------------------------- */

#define FILE_MAGIC "ElfFile"       /* and its NUL: 8 bytes */
#define FILE_HEADER_USED 128u      /* the rest of the 4096-byte block is unused */
#define FILE_CRC_SPAN 120u         /* the header CRC covers [0, 120) */
#define FLAGS_DEFINED 0x7u

int sift_evtx_sniff(sift_slice head)
{
    return head.len >= sizeof FILE_MAGIC && memcmp(head.ptr, FILE_MAGIC, sizeof FILE_MAGIC) == 0;
}

sift_status sift_evtx_header_read(sift_slice head, sift_evtx_header *h, sift_error *err)
{
    *h = (sift_evtx_header){ 0 };
    const size_t m = head.len < sizeof FILE_MAGIC ? head.len : sizeof FILE_MAGIC;
    if (m && memcmp(head.ptr, FILE_MAGIC, m) != 0)
        return sift_fail(err, SIFT_ERR_UNSUPPORTED, 0, "no ElfFile magic");
    if (head.len < FILE_HEADER_USED)
        return sift_fail(err, SIFT_ERR_SYNTAX, head.len, "file header shorter than 128 bytes");
    h->first_chunk = at_u64(head, 8);
    h->last_chunk = at_u64(head, 16);
    h->next_record_id = at_u64(head, 24);
    h->minor = (uint16_t)(at_u32(head, 36) & 0xffffu);
    h->major = (uint16_t)(at_u32(head, 36) >> 16);
    h->chunk_count = (uint16_t)(at_u32(head, 40) >> 16);
    h->raw_flags = at_u32(head, 120);
    /* Undefined bits are seen set (post-Security.evtx: 0x1B970000) and
     * mean nothing to any reader. */
    h->flags = h->raw_flags & FLAGS_DEFINED;
    h->crc_bad = !(h->flags & SIFT_EVTX_NO_CRC) && crc_range(0, head, 0, FILE_CRC_SPAN) != at_u32(head, 124);
    return SIFT_OK;
}

/* ---- chunk --------------------------------------------------------------- */

#define CHUNK_MAGIC "ElfChnk"      /* and its NUL */
#define CHUNK_CRC_GAP 120u         /* the header CRC skips [120, 128): flags and itself */
#define CHUNK_CRC_RESUME 128u
/* Windows 10 2004+ (format 3.2) marks no-CRC chunks themselves too, so a
 * chunk read without its file header (a damaged one) is judged alike. */
#define CHUNK_FLAG_NO_CRC 0x4u

sift_status sift_evtx_chunk_open(sift_slice slot, uint32_t file_flags, sift_evtx_chunk *c, sift_error *err)
{
    *c = (sift_evtx_chunk){ 0 };
    if (slot.len > SIFT_EVTX_CHUNK_SIZE)
        slot.len = SIFT_EVTX_CHUNK_SIZE;
    if (slot.len < sizeof CHUNK_MAGIC || memcmp(slot.ptr, CHUNK_MAGIC, sizeof CHUNK_MAGIC) != 0) {
        /* Never-used slots are zero (preallocated files, VSS copies); any
         * other slot without the magic is junk that costs only itself. */
        if (all_zero(slot))
            return SIFT_DONE;
        return sift_fail(err, SIFT_ERR_SYNTAX, 0, "no ElfChnk magic");
    }
    if (slot.len < SIFT_EVTX_CHUNK_HEADER)
        return sift_fail(err, SIFT_ERR_SYNTAX, slot.len, "slot ends inside the chunk header");
    c->bytes = slot;
    c->first_number = at_u64(slot, 8);
    c->last_number = at_u64(slot, 16);
    c->first_id = at_u64(slot, 24);
    c->last_id = at_u64(slot, 32);
    c->last_record_offset = at_u32(slot, 44);
    /* Seen pointing at 0x10000 and past it (evtx #197); a slot cut short by
     * the end of the file ends the records too. */
    const uint32_t free_raw = at_u32(slot, 48);
    c->free_offset = free_raw < SIFT_EVTX_CHUNK_HEADER ? SIFT_EVTX_CHUNK_HEADER
                     : free_raw > slot.len           ? (uint32_t)slot.len
                                                     : free_raw;
    if ((file_flags & SIFT_EVTX_NO_CRC) || (at_u32(slot, 120) & CHUNK_FLAG_NO_CRC))
        return SIFT_OK;
    uint32_t crc = crc_range(0, slot, 0, CHUNK_CRC_GAP);
    crc = crc_range(crc, slot, CHUNK_CRC_RESUME, SIFT_EVTX_CHUNK_HEADER);
    if (crc != at_u32(slot, 124))
        c->flags |= SIFT_EVTX_CHUNK_HEADER_CRC_BAD;
    if (crc_range(0, slot, SIFT_EVTX_CHUNK_HEADER, c->free_offset) != at_u32(slot, 52))
        c->flags |= SIFT_EVTX_CHUNK_DATA_CRC_BAD;
    return SIFT_OK;
}

/* ---- records ------------------------------------------------------------- */

#define RECORD_HEAD 24u            /* magic, size, id, written: enough to judge a record */
#define RECORD_BINXML 24u          /* BinXML starts here... */
#define RECORD_TRAILER 4u          /* ...and ends before the size copy */
static const uint8_t record_magic[4] = { 0x2a, 0x2a, 0x00, 0x00 };

/* The record at chunk offset at, if its magic, size and size copy hold
 * and it lies inside the chunk; otherwise why not. *copy is the size copy
 * as found, for the caller that still wants a record whose copy failed. */
static const char *record_read(sift_slice ch, size_t at, sift_evtx_record *r, uint32_t *copy)
{
    if (at > ch.len || RECORD_HEAD > ch.len - at)
        return "damaged record skipped: its header runs past the chunk end";
    if (memcmp(ch.ptr + at, record_magic, sizeof record_magic) != 0)
        return "damaged record skipped: no record magic";
    const uint32_t size = at_u32(ch, at + 4);
    if (size < SIFT_EVTX_RECORD_MIN)
        return size == 0 ? "damaged record skipped: its size is 0" : "damaged record skipped: its size is below 28";
    if (size > ch.len - at)
        return "damaged record skipped: it runs past the chunk end";
    *r = (sift_evtx_record){
        .offset = (uint32_t)at,
        .size = size,
        .binxml_offset = (uint32_t)at + RECORD_BINXML,
        .binxml_len = size - SIFT_EVTX_RECORD_MIN,
        .id = at_u64(ch, at + 8),
        .written = at_u64(ch, at + 16),
    };
    *copy = at_u32(ch, at + size - RECORD_TRAILER);
    return *copy == size ? NULL : "damaged record skipped: its size and the copy of its size differ";
}

static const char *record_at(sift_slice ch, size_t at, sift_evtx_record *r)
{
    uint32_t copy;
    return record_read(ch, at, r, &copy);
}

/* The next offset in [from, end) holding a record magic, or end. Bytewise:
 * Windows writes records 8-byte aligned, but a resync must not trust bytes
 * that just failed. */
static uint32_t next_magic(sift_slice ch, uint32_t from, uint32_t end)
{
    while (from < end) {
        const uint8_t *p = memchr(ch.ptr + from, record_magic[0], end - from);
        if (!p)
            return end;
        const uint32_t at = (uint32_t)(p - ch.ptr);
        if (ch.len - at >= sizeof record_magic && memcmp(p, record_magic, sizeof record_magic) == 0)
            return at;
        from = at + 1;
    }
    return end;
}

/* ---- the id set ------------------------------------------------------------ */

static size_t ids_lower(const sift_evtx_walk *w, uint64_t id)
{
    size_t lo = 0, hi = w->n_ids;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (w->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int ids_has(const sift_evtx_walk *w, uint64_t id)
{
    const size_t i = ids_lower(w, id);
    return i < w->n_ids && w->ids[i] == id;
}

/* 0 when the set is full. Walked ids mostly come in order, so this is
 * mostly an append. */
static int ids_add(sift_evtx_walk *w, uint64_t id)
{
    const size_t i = ids_lower(w, id);
    if (i < w->n_ids && w->ids[i] == id)
        return 1;
    if (w->n_ids == SIFT_EVTX_MAX_RECORDS)
        return 0;
    memmove(w->ids + i + 1, w->ids + i, (w->n_ids - i) * sizeof w->ids[0]);
    w->ids[i] = id;
    w->n_ids++;
    return 1;
}

/* ---- the walk ------------------------------------------------------------ */

void sift_evtx_walk_init(sift_evtx_walk *w, const sift_evtx_chunk *c, int carve)
{
    w->c = c;
    w->pos = SIFT_EVTX_CHUNK_HEADER;
    w->end = c->free_offset < c->bytes.len ? c->free_offset : (uint32_t)c->bytes.len;
    w->carve = carve;
    w->carving = 0;
    w->n_ids = 0;
}

/* Where the walk stops: at the free offset, at a zero magic (nothing was
 * written there), or too near the chunk end for a record header. */
static int walk_over(const sift_evtx_walk *w)
{
    const sift_slice ch = w->c->bytes;
    return w->pos >= w->end || ch.len - w->pos < RECORD_HEAD || all_zero(sift_slice_sub(ch, w->pos, 4));
}

/* Whether a walked record belongs to this chunk by its id. A header whose
 * CRC holds is believed about its id range: VSS copies tear chunks at page
 * boundaries, and the torn tail then holds well-formed records of whatever
 * chunk used the slot later (2-vss_0-...RdpCoreTS: 65 of them, ids far past
 * the range), whose BinXML points at template definitions this chunk does
 * not have. They are skipped like any bad bytes (carving reports them,
 * marked). This is also why the walk does not stop at the header's
 * last_id as the Rust parser does: the free offset ends every sample's
 * walk right after that record anyway, records past it are caught here,
 * and a last_id that is wrong (evtx #197: never reached) cannot end the
 * walk early. */
static int range_known(const sift_evtx_chunk *c)
{
    return !(c->flags & SIFT_EVTX_CHUNK_HEADER_CRC_BAD) && c->first_id <= c->last_id;
}

static int range_has(const sift_evtx_chunk *c, uint64_t id)
{
    return range_known(c) && id >= c->first_id && id <= c->last_id;
}

/* The record at chunk offset at as the walk takes it; otherwise why not. */
static const char *walked_at(const sift_evtx_chunk *c, size_t at, sift_evtx_record *r)
{
    const char *why = record_at(c->bytes, at, r);
    if (why == NULL && range_known(c) && !range_has(c, r->id))
        why = "damaged record skipped: its id is outside the chunk's range";
    return why;
}

/* A carved record must also start like BinXML (a fragment header, a
 * template instance or a processing instruction): sizes and copies alone
 * agree by chance in binary data. */
static int binxml_plausible(sift_slice ch, const sift_evtx_record *r)
{
    static const uint8_t fragment[4] = { 0x0f, 0x01, 0x01, 0x00 };
    if (r->binxml_len < sizeof fragment)
        return 0;
    const uint8_t *b = ch.ptr + r->binxml_offset;
    return memcmp(b, fragment, sizeof fragment) == 0 || b[0] == 0x0c || b[0] == 0x0a;
}

/* Whether the record at r, whose size copy failed, is the last one a
 * DanderSpritz-style deletion swallowed: the record before it was grown to
 * end where it ends, so its copy slot holds the grown size, and the grown
 * record, starting that many bytes back, is one the walk returned. */
static int swallowed(const sift_evtx_walk *w, const sift_evtx_record *r, uint32_t copy)
{
    const uint32_t end = r->offset + r->size;
    sift_evtx_record outer;
    if (copy <= r->size || copy > end - SIFT_EVTX_CHUNK_HEADER)
        return 0;
    return record_at(w->c->bytes, end - copy, &outer) == NULL && outer.size == copy && ids_has(w, outer.id);
}

/* Carving: every record magic in the chunk not already returned, including
 * those hidden inside a record grown to swallow them and those in the
 * slack after the free offset. Duplicates go by id: a record walked here,
 * or carved already, is not returned again. In the slack past the free
 * offset, a record whose id the header claims for this chunk is a stale
 * copy of a live one (records are appended, so the live one was written
 * after it); ids outside the range are older events from the chunk's
 * previous turn of the ring (or from before the log was cleared), which
 * is what carving is for. Hidden records inside the free offset keep
 * their header-range ids: that is exactly where a deleted record's id
 * lies. */
static sift_status carve_next(sift_evtx_walk *w, sift_evtx_record *r)
{
    const sift_evtx_chunk *c = w->c;
    const sift_slice ch = c->bytes;
    while (w->pos < ch.len) {
        const uint32_t at = next_magic(ch, w->pos, (uint32_t)ch.len);
        w->pos = at + 1;
        uint32_t copy = 0;
        const char *why = record_read(ch, at, r, &copy);
        if (why != NULL && !(copy != 0 && swallowed(w, r, copy)))
            continue;
        if (!binxml_plausible(ch, r) || ids_has(w, r->id) || (at >= w->end && range_has(c, r->id)))
            continue;
        if (!ids_add(w, r->id)) {
            w->pos = (uint32_t)ch.len;
            break;
        }
        r->carved = 1;
        return SIFT_OK;
    }
    return SIFT_DONE;
}

sift_status sift_evtx_walk_next(sift_evtx_walk *w, sift_evtx_record *r, sift_error *err)
{
    const sift_slice ch = w->c->bytes;
    if (!w->carving) {
        if (!walk_over(w)) {
            const uint32_t at = w->pos;
            const char *why = walked_at(w->c, at, r);
            if (why == NULL) {
                /* Sizes are followed, so a record enlarged over the next
                 * one is one record here; carving finds the one inside. */
                w->pos = at + r->size;
                ids_add(w, r->id);
                return SIFT_OK;
            }
            /* Only these bytes are lost: go on at the next magic whose
             * record holds together, never behind this one. */
            uint32_t next = at + 1;
            sift_evtx_record probe;
            while ((next = next_magic(ch, next, w->end)) < w->end && walked_at(w->c, next, &probe) != NULL)
                next++;
            w->pos = next;
            return sift_fail(err, SIFT_ERR_SYNTAX, at, why);
        }
        if (!w->carve) {
            w->pos = w->end;
            return SIFT_DONE;
        }
        w->carving = 1;
        w->pos = SIFT_EVTX_CHUNK_HEADER;
    }
    return carve_next(w, r);
}

/* ---- the registry entry: chunks through BinXML into the engine ----------------- */

typedef struct evtx_file {
    sift_evtx_header h;
    int have_header;
} evtx_file;

static int evtx_sniff(sift_slice head)
{
    return sift_evtx_sniff(head);
}

static sift_status evtx_open(void *file, sift_slice header, sift_error *err)
{
    evtx_file *f = file;
    sift_status st = sift_evtx_header_read(header, &f->h, err);
    f->have_header = st == SIFT_OK;
    if (st != SIFT_OK && err && !err->detail)
        err->detail = "damaged file header; its chunks are read all the same";
    return st;
}

/* The decoder, then the largest record JSON. */
static size_t evtx_scratch_size(void)
{
    return ((sift_binxml_size() + 15) & ~(size_t)15) + SIFT_BINXML_MAX_JSON;
}

/* err->offset is chunk-relative. An error about a record is placed inside
 * it: one found in what the record refers to (a template defined by an
 * earlier record, a name, a reference past the chunk) is placed at the
 * record's start, so that each skipped record is named by its own offset.
 * Errors about the chunk (at, size 0) stay where they are, within it. */
static void evtx_report(const sift_unit_out *out, sift_error *err, uint64_t base, size_t len, uint64_t at,
                        uint64_t size, const char *fallback)
{
    if (size ? err->offset < at || err->offset >= at + size : err->offset > len)
        err->offset = at;
    err->offset += base;
    if (!err->detail)
        err->detail = fallback;
    out->error(out->ctx, err);
}

/* A record that does not decode: reported and counted as damaged; a carved
 * one only counted, since slack holds stale fragments by nature. */
static void record_failed(const sift_unit_out *out, sift_unit_stats *st, sift_error *err, uint64_t base, size_t len,
                          const sift_evtx_record *r, const char *what)
{
    if (r->carved) {
        st->carved_bad++;
        return;
    }
    st->records_bad++;
    evtx_report(out, err, base, len, r->offset, r->size, what);
}

static int holds_record_magic(sift_slice unit)
{
    static const uint8_t magic[4] = { 0x2a, 0x2a, 0, 0 };
    return unit.len >= 4 && memmem(unit.ptr, unit.len, magic, sizeof magic) != NULL;
}

static void evtx_unit(const void *file, void *scratch, sift_slice unit, uint64_t index, uint64_t offset,
                      unsigned flags, const sift_unit_out *out, sift_unit_stats *st)
{
    const evtx_file *f = file;
    (void)index;
    sift_evtx_chunk c;
    sift_error err = { SIFT_OK, 0, NULL };
    sift_status s = sift_evtx_chunk_open(unit, f->have_header ? f->h.flags : 0, &c, &err);
    if (s == SIFT_DONE) {
        st->units_empty++;
        return;
    }
    if (s != SIFT_OK) {
        st->units_bad++;
        /* Junk after the last chunk (stale slots past a log's end) holds no
         * records and costs nothing: it is counted, not reported. A slot
         * with record magics in it is a damaged chunk whose records are
         * lost, which the user must hear of. */
        if (!holds_record_magic(unit))
            return;
        if (!(flags & SIFT_UNIT_CARVE) || unit.len < SIFT_EVTX_CHUNK_HEADER) {
            err.detail = "not a chunk (damaged ElfChnk header): skipped with the records in it (--carve recovers them)";
            evtx_report(out, &err, offset, unit.len, 0, 0, NULL);
            return;
        }
        /* Carving: the slot is taken for a chunk whose header says nothing
         * (no live records, no id range), so every whole record in it is
         * recovered from its bytes, templates and names by their offsets
         * in it as in any chunk. */
        c = (sift_evtx_chunk){ unit, 0, 0, 0, 0, 0, SIFT_EVTX_CHUNK_HEADER, SIFT_EVTX_CHUNK_HEADER_CRC_BAD };
    }
    int damaged = s != SIFT_OK;
    int flagged = !damaged && c.flags != 0;
    if (flagged) {
        st->units_flagged++;
        if (flags & SIFT_UNIT_STRICT) {
            st->units_dropped++;
            sift_error e = { SIFT_ERR_CORRUPT, offset,
                             "chunk checksum mismatch: its records are dropped (--strict)" };
            out->error(out->ctx, &e);
            return;
        }
    }
    st->units += !damaged;
    size_t bx_size = (sift_binxml_size() + 15) & ~(size_t)15;
    sift_binxml *bx = sift_binxml_reset(scratch, c.bytes.ptr, c.bytes.len);
    uint8_t *json = (uint8_t *)scratch + bx_size;
    sift_evtx_walk w;
    sift_evtx_walk_init(&w, &c, (flags & SIFT_UNIT_CARVE) != 0);
    for (;;) {
        sift_evtx_record r;
        err = (sift_error){ SIFT_OK, 0, NULL };
        s = sift_evtx_walk_next(&w, &r, &err);
        if (s == SIFT_DONE)
            break;
        if (s != SIFT_OK) {
            st->records_bad++;
            evtx_report(out, &err, offset, unit.len, 0, 0, "damaged record skipped");
            continue;
        }
        sift_rec rec = { { NULL, 0 }, offset + r.offset, 0, r.id, { NULL, 0 }, 0, 0, r.carved };
        rec.bytes = sift_slice_make(c.bytes.ptr + r.offset, r.size);
        sift_binxml_head h;
        if (sift_binxml_head_read(bx, r.binxml_offset, r.binxml_len, &h, &err) != SIFT_OK) {
            record_failed(out, st, &err, offset, unit.len, &r, "damaged record skipped");
            continue;
        }
        rec.provider = h.provider;
        rec.id = h.id;
        rec.has_id = (h.have & SIFT_EV_ID) != 0;
        unsigned want = out->want(out->ctx, &rec, h.channel);
        if (want & SIFT_WANT_EVENT) {
            sift_event ev;
            if (sift_binxml_event(bx, r.binxml_offset, r.binxml_len, &ev, &err) != SIFT_OK) {
                record_failed(out, st, &err, offset, unit.len, &r, "record not decoded");
                continue;
            }
            out->event(out->ctx, &rec, &ev);
        }
        if (want & SIFT_WANT_RENDER) {
            sift_out o = { json, SIFT_BINXML_MAX_JSON, 0 };
            if (sift_binxml_json(bx, r.binxml_offset, r.binxml_len, &o, &err) != SIFT_OK) {
                if (err.code == SIFT_OK)
                    err = (sift_error){ SIFT_ERR_TOO_LONG, r.offset, "record renders past the JSON limit" };
                record_failed(out, st, &err, offset, unit.len, &r, "record not rendered");
                continue;
            }
            /* A carved fragment with no element in it recovers nothing. */
            if (r.carved && o.pos <= 2) {
                st->carved_bad++;
                continue;
            }
            out->render(out->ctx, &rec, sift_slice_make(json, o.pos));
        }
        st->records++;
        st->records_flagged += flagged;
        st->records_carved += r.carved;
    }
}

static size_t evtx_describe(const void *file, char *buf, size_t cap)
{
    const evtx_file *f = file;
    if (!f->have_header)
        return (size_t)snprintf(buf, cap, "file header damaged");
    int n = snprintf(buf, cap, "format %u.%u, header says %u chunks%s%s%s%s", f->h.major, f->h.minor,
                     f->h.chunk_count, f->h.flags & SIFT_EVTX_DIRTY ? ", dirty" : "",
                     f->h.flags & SIFT_EVTX_FULL ? ", full" : "", f->h.flags & SIFT_EVTX_NO_CRC ? ", no checksums" : "",
                     f->h.crc_bad ? ", header checksum mismatch" : "");
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

static const sift_container_ops evtx_ops = {
    evtx_sniff, SIFT_EVTX_HEADER_SIZE, SIFT_EVTX_CHUNK_SIZE, sizeof(evtx_file), evtx_open,
    evtx_scratch_size, evtx_unit, evtx_describe,
};

const sift_format sift_evtx_format = {
    "evtx",
    "Windows .evtx event log files (by content, also compressed or piped)",
    SIFT_PRODUCES_EVENTS,
    NULL,
    0,
    NULL,
    NULL,
    &evtx_ops,
};
