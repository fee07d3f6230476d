/* sift_evtx.h - the .evtx container: file header, 64 KiB chunks, event
 * records, and the registry's "evtx" format built on them and on BinXML
 * (sift_binxml.h).
 *
 * A file is a 4096-byte header and then 64 KiB slots. Nothing in the header
 * is trusted to say how many chunks there are (it is often stale): every
 * slot to the end of the file is examined, all-zero slots are skipped, and a
 * slot without the chunk magic costs that slot only. A chunk whose CRCs do
 * not match is flagged, not dropped (files with flag 0x4, format 3.2, carry
 * no CRCs and are not flagged). Records are walked by their sizes, each
 * checked against the chunk; a bad record costs that record, and the walk
 * goes on at the next record magic whose size and size copy agree.
 * Optionally the slack after the last record is carved for whole records.
 *
 * Chunks are independent: each is read from its own 64 KiB with no state
 * from the file but its header flags, so chunks may be read in any order
 * and on any thread. No globals, no I/O, no allocation; offsets in errors
 * are chunk-relative unless said otherwise. */
#ifndef SIFT_EVTX_H
#define SIFT_EVTX_H

#include "sift_format.h"

#define SIFT_EVTX_HEADER_SIZE 4096u  /* the file header block; chunk 0 follows */
#define SIFT_EVTX_CHUNK_SIZE 65536u
#define SIFT_EVTX_CHUNK_HEADER 512u  /* records start here */
#define SIFT_EVTX_RECORD_MIN 28u     /* magic, size, id, time, size copy */

/* File header flags, masked to the defined ones (garbage is common). */
enum {
    SIFT_EVTX_DIRTY = 0x1,
    SIFT_EVTX_FULL = 0x2,
    SIFT_EVTX_NO_CRC = 0x4,
};

/* 1 when head starts with the file magic "ElfFile\0". */
int sift_evtx_sniff(sift_slice head);

typedef struct sift_evtx_header {
    uint64_t first_chunk, last_chunk, next_record_id;
    uint16_t major, minor;
    uint16_t chunk_count;   /* as written; not trusted */
    uint32_t flags;         /* SIFT_EVTX_* (masked) */
    uint32_t raw_flags;     /* as written */
    uint8_t crc_bad;        /* header CRC mismatch (never set with NO_CRC) */
} sift_evtx_header;

/* The file header from the file's first bytes (at least 128 of them).
 * A wrong magic or a short header is an error (offset 0 or the end); a CRC
 * mismatch or an odd version is not (crc_bad tells). */
sift_status sift_evtx_header_read(sift_slice head, sift_evtx_header *h, sift_error *err);

/* Chunk flags (sift_evtx_chunk.flags). */
enum {
    SIFT_EVTX_CHUNK_HEADER_CRC_BAD = 1u << 0,
    SIFT_EVTX_CHUNK_DATA_CRC_BAD = 1u << 1,
};

typedef struct sift_evtx_chunk {
    sift_slice bytes;        /* the whole slot */
    uint64_t first_number, last_number; /* event record numbers */
    uint64_t first_id, last_id;         /* event record identifiers */
    uint32_t last_record_offset;
    uint32_t free_offset;    /* clamped to the chunk */
    unsigned flags;          /* SIFT_EVTX_CHUNK_* */
} sift_evtx_chunk;

/* Judge one 64 KiB slot (slot.len may be shorter for a cut file's last
 * slot). file_flags are the header's (SIFT_EVTX_NO_CRC disables the CRC
 * checks). Returns
 *   SIFT_OK    a chunk: *c is filled (flags say whether its CRCs match);
 *   SIFT_DONE  an all-zero slot: nothing to read, not an error;
 *   an error   no chunk magic, a header that does not hold together, or a
 *              slot too short: err->offset is slot-relative. */
sift_status sift_evtx_chunk_open(sift_slice slot, uint32_t file_flags, sift_evtx_chunk *c, sift_error *err);

/* One event record. */
typedef struct sift_evtx_record {
    uint32_t offset;       /* chunk-relative offset of the record magic */
    uint32_t size;         /* as declared, and equal to its copy; except that a
                            * carved record swallowed by the record before it
                            * (grown over it to hide it) has that record's
                            * grown size in its copy slot */
    uint32_t binxml_offset, binxml_len; /* chunk-relative BinXML */
    uint64_t id;           /* the record header's identifier */
    uint64_t written;      /* FILETIME, 100 ns since 1601 UTC */
    uint8_t carved;        /* found in slack by carving */
} sift_evtx_record;

/* Records one chunk can hold side by side: each takes at least
 * SIFT_EVTX_RECORD_MIN of the 65,024 bytes after the chunk header. */
#define SIFT_EVTX_MAX_RECORDS ((SIFT_EVTX_CHUNK_SIZE - SIFT_EVTX_CHUNK_HEADER) / SIFT_EVTX_RECORD_MIN)

/* The walk over one chunk's records: a value the caller owns (about 19 KB,
 * all of it the id set; nothing is allocated). */
typedef struct sift_evtx_walk {
    const sift_evtx_chunk *c;
    uint32_t pos;
    uint32_t end;          /* where records stop: the free offset, clamped */
    int carve;             /* after the records, carve the slack */
    int carving;
    uint32_t n_ids;
    /* Ids of the records returned, sorted: carving skips these. Walked
     * records do not overlap, so they always fit; a carve that would
     * overflow the set ends the chunk instead. */
    uint64_t ids[SIFT_EVTX_MAX_RECORDS];
} sift_evtx_walk;

void sift_evtx_walk_init(sift_evtx_walk *w, const sift_evtx_chunk *c, int carve);

/* The next record. Returns
 *   SIFT_OK    *r is a record whose size, size copy and bounds hold;
 *   SIFT_DONE  the chunk has no more records;
 *   an error   the bytes at err->offset are not a record: they are skipped
 *              (the walk resyncs at the next plausible record) and the
 *              next call goes on.
 * A record never swallows another's header: sizes are followed, so the
 * bytes a record's declared size covers are that record's, and a record
 * hidden inside them is found only by carving (and marked carved). */
sift_status sift_evtx_walk_next(sift_evtx_walk *w, sift_evtx_record *r, sift_error *err);

/* The registry entry. */
extern const sift_format sift_evtx_format;

#endif
