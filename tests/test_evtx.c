/* test_evtx.c - sift_evtx: the file header, chunk slots and the record walk
 * with its resync and carving, on chunks built here, on the shared real
 * samples, and on bench/gen_evtx output. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "guard.h"
#include "sift_evtx.h"

#define CHUNK SIFT_EVTX_CHUNK_SIZE
#define SAMPLES SIFT_SHARED_DIR "/samples/evtx"

/* ---- little-endian writes -------------------------------------------------- */

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- a chunk builder ------------------------------------------------------- */

typedef struct cbuild {
    uint8_t b[CHUNK];
    uint32_t pos;     /* where the next record goes */
    uint32_t last;    /* offset of the last record written */
    uint64_t first_id, last_id;
} cbuild;

static void cb_init(cbuild *cb, uint64_t first_id)
{
    memset(cb->b, 0, sizeof cb->b);
    memcpy(cb->b, "ElfChnk", 8);
    cb->pos = SIFT_EVTX_CHUNK_HEADER;
    cb->last = 0;
    cb->first_id = first_id;
    cb->last_id = first_id ? first_id - 1 : 0;
}

/* A well-formed record at `at` with a BinXML of binxml_len bytes starting
 * with a fragment header (or `lead` as its first byte when nonzero). */
static uint32_t cb_record_at(cbuild *cb, uint32_t at, uint64_t id, uint32_t binxml_len, uint8_t lead)
{
    const uint32_t size = SIFT_EVTX_RECORD_MIN + binxml_len;
    cr_assert_leq((size_t)at + size, CHUNK);
    uint8_t *p = cb->b + at;
    memcpy(p, "\x2a\x2a\x00\x00", 4);
    put_le(p + 4, size, 4);
    put_le(p + 8, id, 8);
    put_le(p + 16, 0x01d1000000000000ull + id, 8);
    for (uint32_t i = 0; i < binxml_len; i++)
        p[24 + i] = (uint8_t)(0x41 + i % 26);
    if (binxml_len >= 4)
        memcpy(p + 24, "\x0f\x01\x01\x00", 4);
    if (lead && binxml_len)
        p[24] = lead;
    put_le(p + size - 4, size, 4);
    return size;
}

/* Appends a record; returns its offset. */
static uint32_t cb_record(cbuild *cb, uint64_t id, uint32_t binxml_len)
{
    const uint32_t at = cb->pos;
    cb->pos += cb_record_at(cb, at, id, binxml_len, 0);
    cb->last = at;
    if (id > cb->last_id)
        cb->last_id = id;
    return at;
}

/* The header fields and CRCs as Windows writes them. */
static void cb_finish(cbuild *cb)
{
    uint8_t *h = cb->b;
    put_le(h + 8, cb->first_id, 8);
    put_le(h + 16, cb->last_id, 8);
    put_le(h + 24, cb->first_id, 8);
    put_le(h + 32, cb->last_id, 8);
    put_le(h + 40, 128, 4);
    put_le(h + 44, cb->last, 4);
    put_le(h + 48, cb->pos, 4);
    put_le(h + 52, crc32(0, h + 512, cb->pos - 512), 4);
    put_le(h + 120, 1, 4);
    uLong c = crc32(0, h, 120);
    put_le(h + 124, crc32(c, h + 128, 384), 4);
}

/* A chunk of n records with ids from first_id, BinXML lengths varying. */
static void cb_simple(cbuild *cb, uint64_t first_id, unsigned n)
{
    cb_init(cb, first_id);
    for (unsigned i = 0; i < n; i++)
        cb_record(cb, first_id + i, 100 + 8 * (i % 7));
    cb_finish(cb);
}

/* ---- walking --------------------------------------------------------------- */

#define MAX_OUT 4096

typedef struct walked {
    size_t n, carved, errors;
    sift_evtx_record rec[MAX_OUT];
    uint64_t err_at[MAX_OUT];
} walked;

/* Walks the whole chunk, holding the walk to its invariants: every record
 * inside the chunk with size and copy agreeing, walked offsets strictly
 * advancing, errors inside the chunk, and an end within a bound. */
static void walk(const sift_evtx_chunk *c, int carve, walked *out)
{
    static sift_evtx_walk w;
    memset(out, 0, sizeof *out);
    sift_evtx_walk_init(&w, c, carve);
    const size_t bound = 2 * (size_t)CHUNK + 4;
    uint32_t last_walked = 0;
    size_t calls = 0;
    for (;; calls++) {
        cr_assert_lt(calls, bound, "the walk does not end");
        sift_evtx_record r;
        sift_error err = { SIFT_OK, 0, NULL };
        const sift_status st = sift_evtx_walk_next(&w, &r, &err);
        if (st == SIFT_DONE)
            break;
        if (st != SIFT_OK) {
            cr_assert(sift_is_error(st));
            cr_assert_leq(err.offset, c->bytes.len);
            cr_assert_geq(err.offset, last_walked);
            last_walked = (uint32_t)err.offset + 1;
            if (out->errors < MAX_OUT)
                out->err_at[out->errors] = err.offset;
            out->errors++;
            continue;
        }
        cr_assert_geq(r.size, SIFT_EVTX_RECORD_MIN);
        cr_assert_geq(r.offset, SIFT_EVTX_CHUNK_HEADER);
        cr_assert_leq((size_t)r.offset + r.size, c->bytes.len);
        const uint32_t copy = get32(c->bytes.ptr + r.offset + r.size - 4);
        cr_assert(copy == r.size || (r.carved && copy > r.size), "record at %u", r.offset);
        cr_assert_eq(r.binxml_offset, r.offset + 24);
        cr_assert_eq(r.binxml_len, r.size - 28);
        if (!r.carved) {
            cr_assert_eq(out->carved, 0, "walked records come before carved ones");
            cr_assert_geq(r.offset, last_walked);
            last_walked = r.offset + r.size;
        } else {
            cr_assert(carve);
            out->carved++;
        }
        if (out->n < MAX_OUT)
            out->rec[out->n] = r;
        out->n++;
    }
    /* DONE stays DONE. */
    sift_evtx_record r;
    cr_assert_eq(sift_evtx_walk_next(&w, &r, NULL), SIFT_DONE);
}

static sift_evtx_chunk open_ok(const cbuild *cb, size_t len, uint32_t file_flags)
{
    sift_evtx_chunk c;
    sift_error err = { SIFT_OK, 0, NULL };
    cr_assert_eq(sift_evtx_chunk_open(sift_slice_make(cb->b, len), file_flags, &c, &err), SIFT_OK);
    return c;
}

/* Opens the builder's chunk (it must open) and walks it into `out`. */
static walked out;
static void walk_cb(uint32_t file_flags, int carve);

static size_t count_walked(const walked *o)
{
    return o->n - o->carved;
}

/* ---- the file header ----------------------------------------------------- */

static void file_header(uint8_t h[128], uint32_t flags, int good_crc)
{
    memset(h, 0, 128);
    memcpy(h, "ElfFile", 8);
    put_le(h + 16, 2, 8);
    put_le(h + 24, 301, 8);
    put_le(h + 32, 128, 4);
    put_le(h + 36, 1, 2);
    put_le(h + 38, 3, 2);
    put_le(h + 40, 4096, 2);
    put_le(h + 42, 3, 2);
    put_le(h + 120, flags, 4);
    put_le(h + 124, crc32(0, h, 120) ^ (good_crc ? 0u : 1u), 4);
}

Test(evtx, sniff_takes_the_file_magic_only)
{
    cr_assert(sift_evtx_sniff(SIFT_LIT("ElfFile\0rest")));
    cr_assert(!sift_evtx_sniff(SIFT_LIT("ElfFile")));
    cr_assert(!sift_evtx_sniff(SIFT_LIT("ElfChnk\0")));
    cr_assert(!sift_evtx_sniff((sift_slice){ NULL, 0 }));
}

Test(evtx, header_reads_its_fields_and_masks_garbage_flags)
{
    uint8_t h[128];
    file_header(h, 0x1B970001u, 1);
    sift_evtx_header hd;
    sift_error err;
    cr_assert_eq(sift_evtx_header_read(sift_slice_make(h, sizeof h), &hd, &err), SIFT_OK);
    cr_assert_eq(hd.raw_flags, 0x1B970001u);
    cr_assert_eq(hd.flags, SIFT_EVTX_DIRTY);
    cr_assert_eq(hd.major, 3);
    cr_assert_eq(hd.minor, 1);
    cr_assert_eq(hd.chunk_count, 3);
    cr_assert_eq(hd.last_chunk, 2);
    cr_assert_eq(hd.next_record_id, 301);
    cr_assert_eq(hd.crc_bad, 0);
}

Test(evtx, header_crc_mismatch_is_flagged_not_fatal_unless_no_crc)
{
    uint8_t h[128];
    sift_evtx_header hd;
    file_header(h, SIFT_EVTX_DIRTY, 0);
    cr_assert_eq(sift_evtx_header_read(sift_slice_make(h, sizeof h), &hd, NULL), SIFT_OK);
    cr_assert_eq(hd.crc_bad, 1);
    file_header(h, SIFT_EVTX_NO_CRC, 0);
    cr_assert_eq(sift_evtx_header_read(sift_slice_make(h, sizeof h), &hd, NULL), SIFT_OK);
    cr_assert_eq(hd.crc_bad, 0);
    cr_assert_eq(hd.flags, SIFT_EVTX_NO_CRC);
}

Test(evtx, header_short_or_without_magic_is_an_error)
{
    uint8_t h[128];
    file_header(h, 0, 1);
    sift_evtx_header hd;
    for (size_t n = 0; n < sizeof h; n++) {
        guard_buf g = guard_copy(h, n);
        sift_error err = { SIFT_OK, 0, NULL };
        cr_assert(sift_is_error(sift_evtx_header_read(sift_slice_make(g.ptr, n), &hd, &err)), "length %zu", n);
        cr_assert_eq(err.offset, n);
        guard_free(&g);
    }
    h[3] = 'X';
    sift_error err = { SIFT_OK, 7, NULL };
    cr_assert(sift_is_error(sift_evtx_header_read(sift_slice_make(h, sizeof h), &hd, &err)));
    cr_assert_eq(err.offset, 0);
}

/* ---- chunk slots ---------------------------------------------------------- */

static cbuild cb; /* 64 KiB: too big for Criterion's stacks */

static void walk_cb(uint32_t file_flags, int carve)
{
    static sift_evtx_chunk c;
    c = open_ok(&cb, CHUNK, file_flags);
    walk(&c, carve, &out);
}

Test(evtx, all_zero_slot_is_done_not_an_error)
{
    static const uint8_t zero[CHUNK];
    sift_evtx_chunk c;
    cr_assert_eq(sift_evtx_chunk_open(sift_slice_make(zero, sizeof zero), 0, &c, NULL), SIFT_DONE);
    cr_assert_eq(sift_evtx_chunk_open(sift_slice_make(zero, 1000), 0, &c, NULL), SIFT_DONE);
    cr_assert_eq(sift_evtx_chunk_open((sift_slice){ NULL, 0 }, 0, &c, NULL), SIFT_DONE);
}

Test(evtx, junk_slot_or_bad_chunk_magic_is_an_error_at_zero)
{
    static uint8_t junk[CHUNK];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)(i * 131 + 7);
    sift_evtx_chunk c;
    sift_error err = { SIFT_OK, 99, NULL };
    cr_assert(sift_is_error(sift_evtx_chunk_open(sift_slice_make(junk, sizeof junk), 0, &c, &err)));
    cr_assert_eq(err.offset, 0);

    cb_simple(&cb, 1, 10);
    cb.b[6] = 'X'; /* "ElfChnX": sample_with_a_bad_chunk_magic.evtx has two */
    err.offset = 99;
    cr_assert(sift_is_error(sift_evtx_chunk_open(sift_slice_make(cb.b, CHUNK), 0, &c, &err)));
    cr_assert_eq(err.offset, 0);
    /* A zero magic on a chunk that is not all zero is junk too. */
    memset(cb.b, 0, 8);
    cr_assert(sift_is_error(sift_evtx_chunk_open(sift_slice_make(cb.b, CHUNK), 0, &c, &err)));
}

Test(evtx, chunk_open_reads_the_header_fields)
{
    cb_simple(&cb, 40, 12);
    const sift_evtx_chunk c = open_ok(&cb, CHUNK, 0);
    cr_assert_eq(c.first_id, 40);
    cr_assert_eq(c.last_id, 51);
    cr_assert_eq(c.first_number, 40);
    cr_assert_eq(c.last_number, 51);
    cr_assert_eq(c.free_offset, cb.pos);
    cr_assert_eq(c.last_record_offset, cb.last);
    cr_assert_eq(c.flags, 0);
    cr_assert_eq(c.bytes.len, CHUNK);
    walk(&c, 0, &out);
    cr_assert_eq(out.n, 12);
    cr_assert_eq(out.errors, 0);
    for (size_t i = 0; i < out.n; i++)
        cr_assert_eq(out.rec[i].id, 40 + i);
}

Test(evtx, crc_mismatches_are_flags_and_the_records_still_walk)
{
    cb_simple(&cb, 1, 10);
    cb.b[300] ^= 1; /* a string bucket: covered by the header CRC */
    sift_evtx_chunk c = open_ok(&cb, CHUNK, 0);
    cr_assert_eq(c.flags, SIFT_EVTX_CHUNK_HEADER_CRC_BAD);
    cb_simple(&cb, 1, 10);
    cb.b[600] ^= 1; /* inside a BinXML */
    c = open_ok(&cb, CHUNK, 0);
    cr_assert_eq(c.flags, SIFT_EVTX_CHUNK_DATA_CRC_BAD);
    walk(&c, 0, &out);
    cr_assert_eq(out.n, 10);
    /* Bytes [120, 128) are outside both CRCs. */
    cb_simple(&cb, 1, 10);
    cb.b[121] ^= 0x10;
    c = open_ok(&cb, CHUNK, 0);
    cr_assert_eq(c.flags, 0);
}

Test(evtx, no_crc_files_and_chunks_are_never_flagged)
{
    cb_simple(&cb, 1, 10);
    cb.b[300] ^= 1;
    cb.b[600] ^= 1;
    sift_evtx_chunk c = open_ok(&cb, CHUNK, SIFT_EVTX_NO_CRC);
    cr_assert_eq(c.flags, 0);
    cb.b[120] |= 0x4; /* the chunk's own no-CRC flag (format 3.2) */
    c = open_ok(&cb, CHUNK, 0);
    cr_assert_eq(c.flags, 0);
}

Test(evtx, free_offset_is_clamped_to_the_slot)
{
    cb_simple(&cb, 1, 10);
    put_le(cb.b + 48, 0x20000, 4);
    sift_evtx_chunk c = open_ok(&cb, CHUNK, SIFT_EVTX_NO_CRC);
    cr_assert_eq(c.free_offset, CHUNK);
    walk(&c, 0, &out);
    cr_assert_eq(out.n, 10, "a zero magic ends the walk");
    cr_assert_eq(out.errors, 0);
    put_le(cb.b + 48, 7, 4);
    c = open_ok(&cb, CHUNK, SIFT_EVTX_NO_CRC);
    cr_assert_eq(c.free_offset, SIFT_EVTX_CHUNK_HEADER);
    walk(&c, 0, &out);
    cr_assert_eq(out.n, 0);
}

Test(evtx, a_cut_last_slot_walks_what_it_holds)
{
    cb_simple(&cb, 1, 200); /* about 27 KB of records */
    const uint32_t cut = 10000;
    guard_buf g = guard_copy(cb.b, cut);
    sift_evtx_chunk c;
    cr_assert_eq(sift_evtx_chunk_open(sift_slice_make(g.ptr, cut), 0, &c, NULL), SIFT_OK);
    cr_assert_eq(c.free_offset, cut);
    cr_assert(c.flags & SIFT_EVTX_CHUNK_DATA_CRC_BAD);
    walk(&c, 1, &out);
    cr_assert_gt(out.n, 50);
    cr_assert_leq(out.errors, 1);
    cr_assert_eq(out.carved, 0);
    guard_free(&g);
    /* Too short for the chunk header. */
    sift_error err;
    cr_assert(sift_is_error(sift_evtx_chunk_open(sift_slice_make(cb.b, 300), 0, &c, &err)));
    cr_assert_eq(err.offset, 300);
}

/* ---- the record walk ----------------------------------------------------------- */

/* A chunk of 128-byte records with these ids, the header's range from
 * first_id to the highest; at[i] is where record i went. */
#define IDS(...) (const uint64_t[]){ __VA_ARGS__ }, sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t)
static void cb_ids(uint64_t first_id, const uint64_t *ids, size_t n, uint32_t *at)
{
    cb_init(&cb, first_id);
    for (size_t i = 0; i < n; i++)
        at[i] = cb_record(&cb, ids[i], 100);
    cb_finish(&cb);
}

Test(evtx, zero_size_record_is_an_error_and_the_walk_goes_on)
{
    uint32_t at[3];
    cb_ids(1, IDS(1, 2, 3), at);
    const uint32_t bad = at[1];
    put_le(cb.b + bad + 4, 0, 4); /* sample-with-zero-data-size-event.evtx */
    walk_cb(0, 0);
    cr_assert_eq(out.n, 2);
    cr_assert_eq(out.errors, 1);
    cr_assert_eq(out.err_at[0], bad);
    cr_assert_eq(out.rec[1].id, 3);
}

Test(evtx, size_copy_mismatch_is_an_error_and_the_walk_resyncs)
{
    uint32_t at[4];
    cb_ids(1, IDS(1, 2, 3, 4), at);
    const uint32_t bad = at[1];
    put_le(cb.b + bad + 128 - 4, 0, 4);
    walk_cb(0, 0);
    cr_assert_eq(out.n, 3);
    cr_assert_eq(out.errors, 1);
    cr_assert_eq(out.err_at[0], bad);
}

Test(evtx, small_and_oversized_records_are_errors)
{
    static const uint32_t sizes[] = { 1, 27, CHUNK, 0xffffffffu };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        uint32_t at[2];
        cb_ids(1, IDS(1, 2), at);
        const uint32_t bad = at[0];
        put_le(cb.b + bad + 4, sizes[k], 4);
        walk_cb(0, 0);
        cr_assert_eq(out.errors, 1, "size %u", sizes[k]);
        cr_assert_eq(out.err_at[0], bad);
        cr_assert_eq(out.n, 1);
        cr_assert_eq(out.rec[0].id, 2);
    }
}

Test(evtx, resync_finds_a_record_at_an_unaligned_offset)
{
    cb_init(&cb, 1);
    cb_record(&cb, 1, 100);
    const uint32_t junk = cb.pos;
    memset(cb.b + junk, 0x2a, 37); /* magic-like bytes that are no record */
    cb.pos += 37;
    const uint32_t odd = cb_record(&cb, 2, 101);
    cb_record(&cb, 3, 100);
    cb_finish(&cb);
    walk_cb(0, 0);
    cr_assert_eq(out.errors, 1);
    cr_assert_eq(out.err_at[0], junk);
    cr_assert_eq(out.n, 3);
    cr_assert_eq(out.rec[1].offset, odd);
    cr_assert_eq(odd % 4, 1);
}

Test(evtx, the_walk_stops_at_a_zero_magic_and_at_the_free_offset)
{
    cb_init(&cb, 1);
    cb_record(&cb, 1, 100);
    cb.pos += 64; /* zeros: nothing was written here */
    cb_record(&cb, 2, 100);
    cb_finish(&cb);
    walk_cb(0, 0);
    cr_assert_eq(out.n, 1);
    cr_assert_eq(out.errors, 0);
    walk_cb(0, 1);
    cr_assert_eq(out.n, 2);
    cr_assert_eq(out.carved, 1);
    cr_assert_eq(out.rec[1].id, 2);

    cb_simple(&cb, 1, 5);
    put_le(cb.b + 48, get32(cb.b + 44) + 1, 4); /* the free offset inside the last record */
    walk_cb(SIFT_EVTX_NO_CRC, 0);
    cr_assert_eq(out.n, 5, "a record starting before the free offset is read whole");
    put_le(cb.b + 48, get32(cb.b + 44), 4);
    walk_cb(SIFT_EVTX_NO_CRC, 0);
    cr_assert_eq(out.n, 4);
}

Test(evtx, the_walk_skips_records_of_another_chunk)
{
    /* A VSS copy torn at a page: well-formed records with ids far outside
     * the header's range (2-vss_0-...RdpCoreTS.evtx). */
    uint32_t at[4];
    cb_ids(100, IDS(100, 9000, 9001, 101), at);
    cb.last_id = 101;
    cb_finish(&cb);
    const uint32_t foreign = at[1];
    walk_cb(0, 0);
    cr_assert_eq(out.n, 2);
    cr_assert_eq(out.errors, 1);
    cr_assert_eq(out.err_at[0], foreign);
    walk_cb(0, 1);
    cr_assert_eq(out.carved, 2, "carving reports them, marked");
    /* A header whose CRC fails is not believed about its range. */
    cb.b[300] ^= 1;
    walk_cb(0, 0);
    cr_assert_eq(out.n, 4);
    cr_assert_eq(out.errors, 0);
}

/* DanderSpritz deletes a record by growing the one before over it: the
 * grown size goes in the grown record's header and in the swallowed
 * record's copy slot. */
static void grow(uint32_t at, uint32_t size)
{
    put_le(cb.b + at + 4, size, 4);
    put_le(cb.b + at + size - 4, size, 4);
    cb_finish(&cb);
}

Test(evtx, a_swallowed_record_is_no_ghost_without_carving)
{
    uint32_t at[3];
    cb_ids(1, IDS(1, 2, 3), at);
    const uint32_t hidden = at[1];
    grow(at[0], 2 * 128);
    walk_cb(0, 0);
    cr_assert_eq(out.n, 2);
    cr_assert_eq(out.errors, 0);
    cr_assert_eq(out.rec[0].size, 2 * 128);
    cr_assert_eq(out.rec[1].id, 3);
    walk_cb(0, 1);
    cr_assert_eq(out.n, 3);
    cr_assert_eq(out.carved, 1);
    cr_assert_eq(out.rec[2].id, 2);
    cr_assert_eq(out.rec[2].offset, hidden);
    cr_assert_eq(out.rec[2].size, 128);
    cr_assert_eq(out.rec[2].carved, 1);
}

Test(evtx, carving_finds_every_record_a_grown_one_swallowed)
{
    uint32_t at[5];
    cb_ids(1, IDS(1, 2, 3, 4, 5), at);
    grow(at[0], 3 * 128); /* over 2 (intact) and 3 (its copy overwritten) */
    walk_cb(0, 1);
    cr_assert_eq(count_walked(&out), 3);
    cr_assert_eq(out.carved, 2);
    cr_assert_eq(out.rec[3].id, 2);
    cr_assert_eq(out.rec[4].id, 3);
    /* A bad copy that reaches back to a walked record of another size is
     * no hiding: just a bad record. */
    cb_ids(1, IDS(1, 2, 3), at);
    put_le(cb.b + at[1] + 128 - 4, 2 * 128, 4);
    walk_cb(SIFT_EVTX_NO_CRC, 1);
    cr_assert_eq(count_walked(&out), 2);
    cr_assert_eq(out.errors, 1);
    cr_assert_eq(out.carved, 0);
}

Test(evtx, carving_the_slack_skips_duplicates_and_implausible_records)
{
    cb_init(&cb, 10);
    for (uint64_t id = 10; id <= 14; id++)
        cb_record(&cb, id, 100);
    cb.last_id = 20; /* the header claims ids up to 20 for this chunk */
    cb_finish(&cb);
    uint32_t at = cb.pos + 200;
    at += cb_record_at(&cb, at, 12, 100, 0);    /* a copy of a walked record */
    at += cb_record_at(&cb, at, 17, 100, 0);    /* past the free offset, claimed by the header: stale */
    at += 3;
    at += cb_record_at(&cb, at, 5, 100, 0);     /* older: from the chunk's previous turn */
    at += cb_record_at(&cb, at, 5, 100, 0);     /* carved twice, reported once */
    at += cb_record_at(&cb, at, 6, 100, 0x41);  /* no BinXML start */
    at += cb_record_at(&cb, at, 7, 0, 0);       /* no BinXML at all */
    at += cb_record_at(&cb, at, 8, 60, 0x0c);   /* a template instance */
    cb_record_at(&cb, at, 21, 60, 0x0a);        /* a PI, id past the range */
    const sift_evtx_chunk c = open_ok(&cb, CHUNK, 0);
    walk(&c, 1, &out);
    cr_assert_eq(count_walked(&out), 5);
    cr_assert_eq(out.carved, 3);
    cr_assert_eq(out.rec[5].id, 5);
    cr_assert_eq(out.rec[6].id, 8);
    cr_assert_eq(out.rec[7].id, 21);
    cr_assert_eq(out.errors, 0);
    walk(&c, 0, &out);
    cr_assert_eq(out.n, 5);
}

Test(evtx, a_chunk_full_of_smallest_records_walks_and_carves_whole)
{
    cb_init(&cb, 1);
    for (uint64_t id = 1; cb.pos + SIFT_EVTX_RECORD_MIN + 4 <= CHUNK; id++)
        cb_record(&cb, id, 4);
    cb_finish(&cb);
    const sift_evtx_chunk c = open_ok(&cb, CHUNK, 0);
    walk(&c, 1, &out);
    cr_assert_eq(out.n, (CHUNK - 512) / 32);
    cr_assert_eq(out.carved, 0);
}

/* ---- robustness ------------------------------------------------------------ */

static void open_and_walk(const uint8_t *p, size_t len)
{
    sift_evtx_chunk c;
    sift_error err = { SIFT_OK, 0, NULL };
    const sift_status st = sift_evtx_chunk_open(sift_slice_make(p, len), 0, &c, &err);
    if (st != SIFT_OK) {
        cr_assert(st == SIFT_DONE || err.offset <= len);
        return;
    }
    cr_assert_leq(c.free_offset, len);
    walk(&c, 0, &out);
    walk(&c, 1, &out);
}

Test(evtx, every_prefix_of_a_chunk_is_safe)
{
    cb_simple(&cb, 1, 12);
    cb_record_at(&cb, cb.pos + 16, 900, 120, 0); /* something to carve */
    const size_t dense = cb.pos + 200;
    for (size_t n = 0; n <= CHUNK; n += n < dense ? 1 : 4093) {
        guard_buf g = guard_copy(cb.b, n);
        open_and_walk(g.ptr, n);
        guard_free(&g);
    }
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

Test(evtx, hostile_chunks_never_crash_or_hang)
{
    static uint8_t b[CHUNK];
    for (int round = 0; round < 300; round++) {
        /* Half: random bytes behind a chunk magic. Half: a good chunk with
         * random bytes written over it, record magics included. */
        if (round & 1) {
            for (size_t i = 0; i < CHUNK; i++)
                b[i] = (uint8_t)rnd();
        } else {
            cb_simple(&cb, rnd() % 1000, (unsigned)(rnd() % 300));
            memcpy(b, cb.b, CHUNK);
            for (int k = 0; k < 200; k++) {
                const size_t at = rnd() % (CHUNK - 8);
                if (k % 3 == 0)
                    memcpy(b + at, "\x2a\x2a\x00\x00", 4);
                else
                    put_le(b + at, rnd() % 2 ? rnd() % 600 : rnd(), 1 + rnd() % 8);
            }
        }
        memcpy(b, "ElfChnk", 8);
        const size_t len = round % 5 ? CHUNK : rnd() % CHUNK;
        guard_buf g = guard_copy(b, len);
        open_and_walk(g.ptr, len);
        guard_free(&g);
    }
}

/* ---- whole files ----------------------------------------------------------- */

typedef struct tally {
    unsigned chunks, empty, junk, records, errors, hdr_crc, data_crc, carved;
} tally;

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    cr_assert_eq(fstat(fileno(f), &st), 0);
    uint8_t *buf = malloc((size_t)st.st_size + 1);
    cr_assert(buf);
    *n = fread(buf, 1, (size_t)st.st_size, f);
    fclose(f);
    return buf;
}

/* Every slot to the end of the file, whatever the header's chunk count. */
static tally tally_file(const uint8_t *p, size_t n, int carve)
{
    tally t = { 0 };
    sift_evtx_header h;
    cr_assert_eq(sift_evtx_header_read(sift_slice_make(p, n), &h, NULL), SIFT_OK);
    cr_assert_eq(h.crc_bad, 0);
    for (size_t off = SIFT_EVTX_HEADER_SIZE; off < n; off += CHUNK) {
        const size_t len = n - off < CHUNK ? n - off : CHUNK;
        sift_evtx_chunk c;
        const sift_status st = sift_evtx_chunk_open(sift_slice_make(p + off, len), h.flags, &c, NULL);
        if (st == SIFT_DONE) {
            t.empty++;
            continue;
        }
        if (st != SIFT_OK) {
            t.junk++;
            continue;
        }
        t.chunks++;
        t.hdr_crc += !!(c.flags & SIFT_EVTX_CHUNK_HEADER_CRC_BAD);
        t.data_crc += !!(c.flags & SIFT_EVTX_CHUNK_DATA_CRC_BAD);
        walk(&c, carve, &out);
        t.records += (unsigned)count_walked(&out);
        t.carved += (unsigned)out.carved;
        t.errors += (unsigned)out.errors;
    }
    return t;
}

/* What the walker gets from each shared sample, against PROVENANCE.md:
 * records are those the walk returns (the BinXML layer may still reject
 * some); where this differs from libevtx or Rust the note says why. */
static const struct sample {
    const char *name;
    tally want;
    const char *note;
} samples[] = {
    { "omerbenamram-evtx/system.evtx", { 15, 2, 0, 1881, 0, 0, 0, 79 }, "header says 3 chunks" },
    { "omerbenamram-evtx/2-vss_7-System.evtx", { 11, 6, 0, 1160, 0, 0, 0, 25 }, "a chunk past zeros" },
    { "omerbenamram-evtx/security.evtx", { 26, 7, 0, 2261, 0, 0, 0, 30 }, "clean" },
    { "omerbenamram-evtx/security_bad_string_cache.evtx", { 26, 7, 0, 2261, 0, 1, 0, 30 },
      "one chunk header CRC bad" },
    { "omerbenamram-evtx/sysmon.evtx", { 9, 0, 8, 358, 0, 0, 0, 0 }, "8 junk slots" },
    { "omerbenamram-evtx/post-Security.evtx", { 2, 15, 0, 126, 0, 0, 0, 0 }, "garbage flags" },
    { "omerbenamram-evtx/Application_no_crc32.evtx", { 1, 0, 0, 17, 0, 0, 0, 34 }, "NO_CRC: never flagged" },
    /* libevtx 267, Rust 270 (it does not check size copies): 3 chunks have
     * a zeroed page in them; the walk resyncs past it to 31 more records
     * where both give up on the chunk. */
    { "omerbenamram-evtx/sample_with_a_bad_chunk_magic.evtx", { 4, 10, 2, 298, 3, 0, 3, 50 },
      "2 bad chunk magics" },
    /* Rust 1910 ok: two torn chunks, whose tails hold 65 records of other
     * chunks (ids outside the header range), skipped. */
    { "omerbenamram-evtx/2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx",
      { 16, 0, 0, 1910, 2, 0, 2, 155 }, "torn VSS chunks" },
    /* libevtx 335 and 114 recovered: it drops the chunk after the size-0
     * record; the walk resyncs and reads on: 335 + 114. */
    { "omerbenamram-evtx/sample-with-zero-data-size-event.evtx", { 4, 13, 0, 449, 1, 0, 1, 33 },
      "a size-0 record" },
    { "omerbenamram-evtx/Microsoft-Windows-HelloForBusiness%4Operational.evtx", { 1, 0, 0, 5, 1, 0, 1, 0 },
      "libevtx 5; Rust 6 does not check the size copy" },
    { "omerbenamram-evtx/Microsoft-Windows-LanguagePackSetup%4Operational.evtx", { 1, 0, 0, 16, 1, 0, 1, 15 },
      "libevtx 16; Rust 17 does not check the size copy" },
    { "omerbenamram-evtx/E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx",
      { 13, 3, 0, 340, 0, 0, 0, 0 }, "Rust 340" },
    { "omerbenamram-evtx/E_Windows_system32_winevt_logs_Microsoft-Windows-Shell-Core%4Operational.evtx",
      { 9, 7, 0, 1146, 0, 0, 0, 128 }, "" },
    { "omerbenamram-evtx/Security_with_size_t.evtx", { 6, 11, 0, 636, 0, 0, 0, 0 }, "" },
    { "omerbenamram-evtx/sample-with-irregular-bool-values.evtx", { 20, 13, 0, 3028, 0, 0, 0, 104 }, "" },
    { "omerbenamram-evtx/MSExchange_Management_wec.evtx", { 1, 0, 0, 1, 0, 0, 0, 9 }, "one record, 9 in slack" },
    { "DeepBlueCLI/many-events-application.evtx", { 21, 12, 0, 2216, 0, 0, 0, 81 }, "" },
    { "DeepBlueCLI/metasploit-psexec-native-target-system.evtx", { 1, 0, 0, 7, 0, 0, 0, 84 },
      "a cleared log: the slack holds the old one" },
};

Test(evtx, real_samples_walk_as_provenance_says, .timeout = 240)
{
    struct stat st;
    if (stat(SAMPLES, &st) != 0)
        cr_skip_test("samples not found: " SAMPLES);
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", SAMPLES, samples[i].name);
        size_t n = 0;
        uint8_t *p = slurp(path, &n);
        cr_assert(p, "not found: %s", path);
        const tally *w = &samples[i].want;
        const tally t = tally_file(p, n, 0);
        cr_expect(t.chunks == w->chunks && t.empty == w->empty && t.junk == w->junk, "%s: chunks %u/%u/%u",
                  samples[i].name, t.chunks, t.empty, t.junk);
        cr_expect(t.records == w->records && t.errors == w->errors, "%s (%s): %u records, %u errors",
                  samples[i].name, samples[i].note, t.records, t.errors);
        cr_expect(t.hdr_crc == w->hdr_crc && t.data_crc == w->data_crc, "%s: CRC flags %u %u", samples[i].name,
                  t.hdr_crc, t.data_crc);
        const tally tc = tally_file(p, n, 1);
        cr_expect(tc.records == w->records && tc.carved == w->carved, "%s: carving: %u walked, %u carved",
                  samples[i].name, tc.records, tc.carved);
        free(p);
    }
}

Test(evtx, gen_evtx_output_walks_without_errors_or_crc_flags, .timeout = 120)
{
    static const char *const runs[] = { "1 9", "300000 5" };
    char dir[] = "/tmp/test_evtx_XXXXXX";
    cr_assert(mkdtemp(dir));
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        char path[128], said[128], cmd[512];
        snprintf(path, sizeof path, "%s/gen.evtx", dir);
        snprintf(said, sizeof said, "%s/gen.txt", dir);
        snprintf(cmd, sizeof cmd, "'%s' '%s' %s 2>'%s'", SIFT_GEN_EVTX_BIN, path, runs[i], said);
        cr_assert_eq(system(cmd), 0, "%s", cmd);
        /* Its summary line says how many records it wrote. */
        size_t sn = 0;
        char *summary = (char *)slurp(said, &sn);
        cr_assert(summary);
        summary[sn] = '\0';
        const char *rs = strstr(summary, " records=");
        cr_assert(rs, "%s", summary);
        const unsigned want = (unsigned)strtoul(rs + 9, NULL, 10);
        free(summary);
        unlink(said);
        size_t n = 0;
        uint8_t *p = slurp(path, &n);
        cr_assert(p);
        const tally t = tally_file(p, n, 1);
        cr_assert_eq(t.errors, 0);
        cr_assert_eq(t.hdr_crc + t.data_crc, 0);
        cr_assert_eq(t.junk, 0);
        cr_assert_eq(t.records, want, "gen_evtx %s", runs[i]);
        cr_assert_eq(t.carved, 0);
        free(p);
        unlink(path);
    }
    rmdir(dir);
}
