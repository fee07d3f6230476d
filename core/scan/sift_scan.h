/* sift_scan.h - the record pipeline for one decoded text stream.
 *
 * Text (UTF-8) is scanned in line-aligned blocks by one Hyperscan database.
 * Its hits frame event records (a record runs from a frame line to the next
 * frame, table header, timestamp line or row, capped at
 * SIFT_EVTEXT_MAX_RECORD bytes), delimit netstat snapshots, and flag
 * candidate lines. Only candidates are parsed and verified field by field;
 * verified observations go to the host table. Records are slices into the
 * caller's buffer: nothing is copied and nothing is allocated per record.
 *
 * Output (observations, evidence offsets and line numbers) does not depend on
 * how the stream is chunked. */
#ifndef SIFT_SCAN_H
#define SIFT_SCAN_H

#include "sift_evtext.h"
#include "sift_hosts.h"
#include "sift_match.h"

/* Lines longer than this are only searched in their first SIFT_SCAN_MAX_LINE
 * bytes. Must stay below SIFT_SCAN_BLOCK. */
#define SIFT_SCAN_MAX_LINE (64u * 1024u)
/* Largest block given to Hyperscan at once. */
#define SIFT_SCAN_BLOCK (256u * 1024u)
/* The most a caller must keep between calls: an open record plus a block. */
#define SIFT_SCAN_MAX_KEEP (SIFT_EVTEXT_MAX_RECORD + SIFT_SCAN_BLOCK)
/* Hits one block can hold before it is split (never reached by a line). */
#define SIFT_SCAN_HIT_CAP (64u * 1024u)

/* Which formats to look for (--format). */
enum {
    SIFT_FMT_EVTEXT = 1u << 0,
    SIFT_FMT_NETSTAT = 1u << 1,
    SIFT_FMT_ALL = SIFT_FMT_EVTEXT | SIFT_FMT_NETSTAT,
};

typedef void (*sift_scan_error_fn)(void *ctx, const sift_error *err);

typedef struct sift_scan_stats {
    uint64_t bytes;       /* text bytes scanned */
    uint64_t lines;
    uint64_t hits;
    uint64_t records;     /* event records framed */
    uint64_t candidates;  /* records verified */
    uint64_t verified;    /* observations produced from records */
    uint64_t rejected;    /* candidates that failed verification */
    uint64_t bad_records; /* candidates that failed to parse (reported) */
    uint64_t rows;        /* TIME_WAIT rows counted */
    uint64_t snapshots;
    uint64_t long_lines;  /* hits dropped past SIFT_SCAN_MAX_LINE */
} sift_scan_stats;

typedef struct sift_scan sift_scan;

/* NULL on allocation failure. hosts receives observations; on_error receives
 * malformed candidates (offsets are stream offsets). */
sift_scan *sift_scan_create(const sift_matcher *m, sift_hosts *hosts, sift_scan_error_fn on_error, void *ctx);
void sift_scan_free(sift_scan *s); /* accepts NULL */

/* Start a stream: path names it in evidence; start_offset is the stream
 * offset of the first byte that will be presented (3 after a UTF-8 BOM); default_host is used for
 * connection tables that name no host (the host from the path, or --host
 * when force_host is set, which then overrides host lines too); formats is
 * a SIFT_FMT_* mask. The slices are copied. */
sift_status sift_scan_begin(sift_scan *s, const char *path, uint64_t start_offset, sift_slice default_host, int force_host,
                            unsigned formats);

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

/* Live streams: when a call carries SIFT_SCAN_PAUSE, verify an open
 * candidate record on the lines it has so far, instead of waiting for the
 * record after it (which may come hours later). Findings then arrive sooner,
 * at the price of chunking invariance: a record may be verified before its
 * last lines. Only pauses count, not buffer sizes, so how the bytes were
 * decoded or handed over between pauses does not matter. */
void sift_scan_set_live(sift_scan *s, int live);

const sift_scan_stats *sift_scan_get_stats(const sift_scan *s);

#endif
