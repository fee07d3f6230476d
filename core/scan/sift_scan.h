/* sift_scan.h - the record pipeline for one decoded text stream.
 *
 * A stream is first offered to the stream formats (sniff() on its first
 * line); one that claims it frames the whole stream itself. Otherwise the
 * stream is a text dump: one Hyperscan database, derived from the line
 * formats' patterns and the rules' needles, scans it in line-aligned
 * blocks. Hits frame event records (a record runs from a frame line to the
 * next frame, table header, timestamp line or row, capped at
 * SIFT_LINE_MAX_RECORD bytes), delimit connection-table snapshots, and flag
 * candidate records (an event id a rule wants, every needle of that rule).
 * Only candidates are decoded into the event model and verified by the
 * rules; observations go to the host table. Records are slices into the
 * caller's buffer: nothing is copied and nothing is allocated per record.
 *
 * Output (observations, evidence offsets and line numbers, errors) does not
 * depend on how the stream is chunked. */
#ifndef SIFT_SCAN_H
#define SIFT_SCAN_H

#include "sift_format.h"
#include "sift_hosts.h"
#include "sift_match.h"
#include "sift_paths.h"
#include "sift_patset.h"

/* Lines longer than this are only searched in their first SIFT_SCAN_MAX_LINE
 * bytes. Must stay below SIFT_SCAN_BLOCK. */
#define SIFT_SCAN_MAX_LINE SIFT_LINE_MAX
/* Largest block given to Hyperscan at once. */
#define SIFT_SCAN_BLOCK (256u * 1024u)
/* The most a caller must keep between calls: an open record plus a block. */
#define SIFT_SCAN_MAX_KEEP (SIFT_LINE_MAX_RECORD + SIFT_SCAN_BLOCK)
/* Hits one block can hold before it is split at a line end; a line holding
 * more is matched only as far as hits count (see find_hits). */
#define SIFT_SCAN_HIT_CAP (64u * 1024u)
/* Observations held while an input has not settled its day/month order. */
#define SIFT_SCAN_MAX_PENDING 1024u

_Static_assert(SIFT_STREAM_MAX_RECORD <= SIFT_LINE_MAX_RECORD, "a stream record must fit what callers keep");

typedef void (*sift_scan_error_fn)(void *ctx, const sift_error *err);

typedef struct sift_scan_stats {
    uint64_t bytes;       /* text bytes scanned */
    uint64_t lines;
    uint64_t hits;
    uint64_t records;     /* event records framed or passed over */
    uint64_t passed;      /* of them, passed over unframed: no trigger (ops->skip) */
    uint64_t candidates;  /* records verified */
    uint64_t verified;    /* records that gave an observation */
    uint64_t rejected;    /* candidates that failed verification */
    uint64_t bad_records; /* records that failed to parse (reported) */
    uint64_t rows;        /* TIME_WAIT rows counted */
    uint64_t snapshots;
    uint64_t long_lines;  /* hits dropped past SIFT_SCAN_MAX_LINE */
    uint64_t facts;       /* inventories that gave host facts */
} sift_scan_stats;

/* What a scanner works with; everything must outlive it. */
typedef struct sift_scan_cfg {
    const sift_format *const *formats; /* the registry */
    size_t n_formats;
    const sift_patset *patset;         /* built from formats */
    const sift_matcher *matcher;       /* compiled from patset */
    sift_hosts *hosts;                 /* receives observations */
    sift_paths *paths;                 /* evidence paths, interned on first use */
    sift_scan_error_fn on_error;       /* malformed records (stream offsets) */
    void *ctx;
} sift_scan_cfg;

typedef struct sift_scan sift_scan;

/* NULL on allocation failure. */
sift_scan *sift_scan_create(const sift_scan_cfg *cfg);
void sift_scan_free(sift_scan *s); /* accepts NULL */

/* Start a stream. path names it in evidence (not copied: it must live until
 * the next begin or free); start_offset is the stream offset of the first
 * byte that will be presented (3 after a UTF-8 BOM); default_host is used
 * for records and tables that name no host (the host from the path, or
 * --host when force_host is set, which then overrides host lines too; it is
 * copied); formats is a mask of registry indices (bit i: formats[i]) to
 * look for. */
sift_status sift_scan_begin(sift_scan *s, const char *path, uint64_t start_offset, sift_slice default_host,
                            int force_host, uint32_t formats);

/* What sift_scan_run is told about the bytes it is given. */
enum {
    SIFT_SCAN_EOF = 1u << 0,   /* the stream ends after them */
    SIFT_SCAN_PAUSE = 1u << 1, /* the input ran dry after them (a live stream
                                  may now be quiet for hours) */
};

/* Process in->buf[in->pos, in->size). On return in->pos is the first byte the
 * scanner must see again: the caller keeps in->buf[in->pos, in->size) and
 * presents it at the front of the next call's buffer (in->pos = 0), followed
 * by new bytes. At most SIFT_SCAN_MAX_KEEP bytes are ever kept. flags is a
 * SIFT_SCAN_* mask. With SIFT_SCAN_EOF the stream ends: everything is
 * consumed and open records and snapshots are closed. Returns SIFT_OK, or
 * SIFT_ERR_MATCHER / SIFT_ERR_NOMEM (fatal). */
sift_status sift_scan_run(sift_scan *s, sift_in *in, unsigned flags);

/* The input is size bytes at buf, whole and unchanging until the next
 * begin (a mapped file); base is the stream offset of buf[0]. The matcher
 * then runs on a second thread, ahead of this one, which places the hits:
 * on two CPUs the halves overlap. Call after begin, before the first run;
 * every run call must then present this buffer (in->buf == buf) with a size
 * that grows to size, or the scanner goes on alone. Output is the same.
 * Returns SIFT_OK, or SIFT_ERR_NOMEM / SIFT_ERR_LIMIT (nothing changed). */
sift_status sift_scan_prescan(sift_scan *s, const uint8_t *buf, uint64_t base, size_t size);

/* The caller is done with the stream's buffer: the matcher thread (see
 * sift_scan_prescan) stops its job, if one runs, and reads the buffer no
 * more when this returns. A run call with SIFT_SCAN_EOF ends that job by
 * itself; a stream abandoned before its end (a fatal error, an output that
 * cannot be written) must call this before its buffer is unmapped or
 * reused. Open records and tables are dropped, not judged. Accepts a
 * scanner with no stream or no thread. */
void sift_scan_end(sift_scan *s);

/* Live streams: when a call carries SIFT_SCAN_PAUSE, verify an open
 * candidate record on the lines it has so far, and record an open table on
 * the rows it has, instead of waiting for what follows (which may come hours
 * later). Only pauses count, not buffer sizes, so how the bytes were
 * decoded or handed over between pauses does not matter. */
void sift_scan_set_live(sift_scan *s, int live);

const sift_scan_stats *sift_scan_get_stats(const sift_scan *s);

/* The stream format that claimed the current stream, or NULL (a text dump);
 * and what it says of the stream for --verbose (see sift_stream_ops), NUL-
 * terminated in buf; returns its length. */
const sift_format *sift_scan_stream_format(const sift_scan *s);
size_t sift_scan_describe(const sift_scan *s, char *buf, size_t cap);

#endif
