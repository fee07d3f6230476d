/* sift_format.h - the one interface every input format implements, and the
 * registry the CLI hands to the engine.
 *
 * Two kinds of format exist, and one format may be both:
 *  - Line formats are found anywhere in a text dump (a triage file holds
 *    event exports and netstat snapshots one after another). They register
 *    prefilter patterns with a role; the engine compiles every registered
 *    pattern, and every rule's needles, into one Hyperscan database, frames
 *    records and tables from the hits, and calls the format's line hooks to
 *    confirm and parse what a hit points at.
 *  - Stream formats own a whole stream (an Event Viewer "Save as" export,
 *    later XML, JSON, EVTX): sniff() claims the stream from its first bytes,
 *    and next() frames records from it in a streaming loop, reading the
 *    cheap fields (event id, provider) that let the engine skip records no
 *    rule wants before decode() reads the rest.
 * A format is a const struct in its own parser module, listed once in
 * parsers/sift_registry.c. The engine never includes a parser header; it
 * sees formats only through this interface. Formats do no I/O, hold no
 * process-wide state and allocate nothing: stream state lives in memory the
 * engine provides (state_size bytes, suitably aligned). */
#ifndef SIFT_FORMAT_H
#define SIFT_FORMAT_H

#include "sift_event.h"
#include "sift_table.h"

/* ---- prefilter patterns ------------------------------------------------- */

/* What a pattern hit means. Hits are candidates only: the hook named for
 * the role confirms them, so a pattern may over-match but must never miss.
 * Text dumps are scanned candidate-first: nothing matches on every record.
 * Rules register triggers (rare strings their records hold); a trigger
 * hit is framed into its record by walking back to the line a format's
 * line->frame() accepts. Tables register their titles, headers and rows,
 * which are rare beside event text except for the rows counted. */
typedef enum sift_role {
    SIFT_ROLE_TABLE_HEADER = 1, /* a table title or column header: line->table_header() */
    SIFT_ROLE_TABLE_ROW,        /* the line may be a TIME_WAIT row: line->time_wait_row() */
    SIFT_ROLE_TRIGGER,          /* a rule's trigger (registered by rules, not formats) */
    SIFT_ROLE_FACT,             /* the line may anchor a host inventory: line->fact_anchor() */
} sift_role;

/* Pattern flags (translated to the matcher's own). */
#define SIFT_PAT_CASELESS 1u
/* A plain literal (no regex syntax, case-sensitive, 2 bytes or more)
 * searched beside the database rather than in it, its hits merged in order
 * with the database's. Hyperscan's fastest matcher takes eight literals and
 * a ninth cost about 40 % more instructions per byte; one pass of a SIMD
 * search costs a fraction of that. For a format whose anchors would not
 * fit the database otherwise; keep them few (at most 4), each is a pass,
 * run by the matcher on whichever thread runs it. A side literal that can
 * only matter after some other line (a row after its table's header) names
 * that line in arm: then its pass costs nothing in a stream until a hit of
 * the database pattern arm.hit lands on a line holding arm.line; from that
 * line on it is searched to the end of the stream. */
#define SIFT_PAT_SIDE 2u

/* For a literal: its length in bytes in the low 7 bits; the match must then
 * be preceded on its line by blanks only, or with SIFT_LEAD_COL0 by nothing
 * at all. 0: no constraint. */
#define SIFT_LEAD_COL0 0x80u

typedef struct sift_pattern {
    const char *regex; /* Hyperscan syntax; line-local: never matches '\n' */
    unsigned flags;    /* SIFT_PAT_* */
    uint8_t role;      /* sift_role */
    uint8_t lead;
    struct {
        const char *hit;  /* the text of a pattern of the same table */
        const char *line; /* a literal its line must hold */
    } arm;                /* SIFT_PAT_SIDE only; NULL: searched everywhere */
} sift_pattern;

/* ---- line formats -------------------------------------------------------- */

/* Lines are given without their line end (a trailing CR may remain), at
 * most SIFT_LINE_MAX bytes. Every hook reads only the bytes it is given. */
#define SIFT_LINE_MAX (64u * 1024u)
/* A record framed in a text dump runs from a line frame() accepts to the
 * next such line, table title or header, or TIME_WAIT row, or to here. */
#define SIFT_LINE_MAX_RECORD (256u * 1024u)
/* A trigger is framed only when its record's first line is at most this far
 * before it: the walk back stays bounded whatever the input. */
#define SIFT_LINE_MAX_BACK (32u * 1024u)

typedef struct sift_line_ops {
    /* Records: nonzero when line opens one. Called on the lines around a
     * trigger, so it should reject most lines in a few byte compares. */
    int (*frame)(sift_slice line);
    /* Optional, with frame: 0 for a byte b no frame line starts with (frame
     * rejects every line that starts with b). The engine asks it of every
     * byte once, when a scan is created, and then calls frame only on the
     * lines whose first byte may start one of its format's. */
    int (*frame_lead)(uint8_t b);
    /* Parse a framed record (from its frame line on) into *ev; base is the
     * stream offset of rec.ptr[0]. Fills the canonical fields its message
     * layouts give. A record cut anywhere parses as far as it goes; ev->message
     * is empty until the message has begun. Returns SIFT_OK or an error with
     * err->offset (the record is then skipped and reported). */
    sift_status (*decode)(sift_slice rec, uint64_t base, sift_event *ev, sift_error *err);
    /* Instead of decode, for records that need working memory to decode
     * (JSON strings are unescaped into it): scratch_size bytes the engine
     * owns, 16-byte aligned; ev may point into them until the next call. */
    size_t scratch_size;
    sift_status (*decode_in)(void *scratch, sift_slice rec, uint64_t base, sift_event *ev, sift_error *err);
    /* Tables: a title or column header; a TCP row in TIME_WAIT; a line that
     * names the host of the tables after it (*host then a slice of line).
     * Host lines and timestamp lines are read from the few lines above a
     * table (blank lines between allowed). */
    int (*table_header)(sift_slice line);
    int (*time_wait_row)(sift_slice line);
    int (*host_line)(sift_slice line, sift_slice *host);
    /* Host inventories (systeminfo, hotfix lists, Get-ComputerInfo): found
     * anywhere in a dump, so they are lines, not a stream format that would
     * swallow the tables after them. Their patterns (role SIFT_ROLE_FACT)
     * are few: a hit is an anchor when fact_anchor accepts its line; the
     * engine then walks back from it over the non-blank lines above (at
     * most SIFT_FACT_MAX_BACK_LINES, never over lines already fed) and feeds
     * fact_line every line from there on, in order, with its 1-based number
     * and stream offset, for as long as it returns SIFT_FACT_OPEN (the
     * anchor's line and those before it are fed whatever it returns).
     * State lives in fact_state_size bytes per stream (16-byte aligned),
     * set up by fact_init; fact_end is called at the stream's end. Both
     * return SIFT_FACT_* bits; with SIFT_FACT_DONE *done holds a finished
     * inventory (slices into the state, valid until the next call), its
     * where.offset and where.line set, where.input not. With
     * SIFT_FACT_OPENED the line began an inventory: the engine reads the
     * lines above it for the capture time. */
    int (*fact_anchor)(sift_slice line);
    size_t fact_state_size;
    void (*fact_init)(void *state);
    unsigned (*fact_line)(void *state, sift_slice line, uint64_t line_no, uint64_t offset, sift_host_fact *done);
    unsigned (*fact_end)(void *state, sift_host_fact *done);
} sift_line_ops;

enum {
    SIFT_FACT_DONE = 1u << 0,   /* *done is a finished inventory */
    SIFT_FACT_OPENED = 1u << 1, /* the line began an inventory */
    SIFT_FACT_OPEN = 1u << 2,   /* an inventory is open: feed the next line */
};

/* Lines above an anchor an engine walks back over, at most. */
#define SIFT_FACT_MAX_BACK_LINES 64u

/* ---- stream formats ------------------------------------------------------ */

/* Records longer than this are reported and skipped. */
#define SIFT_STREAM_MAX_RECORD (256u * 1024u)
/* The most of a stream's first line sniff() is shown. */
#define SIFT_SNIFF_BYTES 4096u

/* A framed record with its cheap fields. Slices point into the buffer given
 * to next() and live until the caller moves or reuses those bytes. */
typedef struct sift_rec {
    sift_slice bytes;    /* the whole record, line end excluded */
    uint64_t offset;     /* stream offset of bytes.ptr[0] */
    uint64_t line;       /* 1-based line it starts on; 0 for binary formats */
    uint64_t record;     /* record number of binary formats; 0 otherwise */
    sift_slice provider; /* empty when the cheap pass does not read it */
    uint16_t id;
    uint8_t has_id;
    uint8_t carved;      /* recovered from slack, not from the live records */
} sift_rec;

/* Caller-owned: capacity in, count out. */
typedef struct sift_recs {
    sift_rec *rec;
    size_t cap;
    size_t n;
} sift_recs;

typedef struct sift_stream_ops {
    /* 1 when a stream whose decoded UTF-8 text (BOM removed) starts with
     * head is this format. head is the stream's first line with its line
     * end, or its first SIFT_SNIFF_BYTES bytes when no line end comes
     * sooner, or all of a shorter stream: the decision never depends on how
     * the stream arrives. */
    int (*sniff)(sift_slice head);
    size_t state_size;
    void (*init)(void *state);
    /* Frame records from in->buf[in->pos, in->size) into out (out->n grows;
     * stop when out is full). base is the stream offset of in->buf[0]. On
     * return in->pos is past the last record taken; the caller keeps
     * in->buf[in->pos, in->size) and presents it again, with more bytes
     * behind it, at the front of the next call. Returns
     *  SIFT_OK        out is full: take the records and call again;
     *  SIFT_NEED_MORE every complete record is taken: present more bytes;
     *  an error       err->offset and detail say what: the damaged record
     *                 (the bytes up to in->pos) is skipped; call again.
     * Output does not depend on how the stream is chunked. */
    sift_status (*next)(void *state, sift_in *in, uint64_t base, sift_recs *out, sift_error *err);
    /* At end of stream: the last record, which has no terminator. Same
     * returns; NEED_MORE here means done. */
    sift_status (*finish)(void *state, sift_in *in, uint64_t base, sift_recs *out, sift_error *err);
    /* The whole of a framed record into *ev (canonical fields from its
     * message layouts included). A time whose day/month order the input has
     * not settled yet is marked SIFT_EV_TIME_GUESSED. */
    sift_status (*decode)(void *state, const sift_rec *rec, sift_event *ev, sift_error *err);
    /* Once the order is settled (or at the end, on the default), the time of
     * a record decoded while it was guessed, from its time_text. NULL for
     * formats that never guess. Returns 1 when *when is set. */
    int (*retime)(const void *state, sift_slice time_text, sift_when *when);
    /* 1 when nothing decoded from now on is guessed. NULL: always 1. */
    int (*settled)(const void *state);
    /* One line for --verbose on what the format decided about this input
     * ("dates day-first (13/07/2025 at line 40)"), NUL-terminated in buf;
     * returns its length, 0 for nothing to say. NULL allowed. */
    size_t (*describe)(const void *state, char *buf, size_t cap);
    /* Pass over records without framing them, as the text path passes over
     * lines without a pattern hit. in->size is the end of the complete
     * lines the caller has (at the end of the stream, of all bytes: the
     * last line needs no line end); upto <= in->size is the start of the
     * first line that holds a hit, or in->size. A reader resynchronising
     * after damage first drops the damaged lines as next() would, however
     * far (past upto too: the caller then looks for hits again from
     * there). Then, when it stands at the top level between records, each
     * line of in->buf[in->pos, upto) that is plainly one whole record (or
     * blank) is passed over: in->pos moves past it and the reader's line
     * count with it. Stops at the first line that is not (it may be part of
     * a larger record, or hide text behind escapes), leaving it to next().
     * Returns the records passed over and adds the line ends passed to
     * *lines. Damage inside a passed line goes unreported: nothing in it
     * could have interested a rule. So that what is passed over never
     * depends on chunking, the caller calls skip before every next() and
     * frames one record per next(). NULL: never. */
    size_t (*skip)(void *state, sift_in *in, size_t upto, uint64_t *lines);
} sift_stream_ops;

/* ---- container formats --------------------------------------------------- */

/* Binary files made of a header and fixed-size units that can be read
 * independently (an .evtx file: a 4 KiB header, then 64 KiB chunks). They
 * are claimed by their magic on the raw bytes, before any text decoding,
 * also inside zstd or gzip and on standard input. The engine reads units
 * on as many threads as it has and merges what each gives in unit order,
 * so output never depends on the thread count or on how bytes arrive. */

/* What the engine asks of a record, from its cheap fields (want()). */
enum {
    SIFT_WANT_EVENT = 1u << 0,  /* decode it into the event model: event() */
    SIFT_WANT_RENDER = 1u << 1, /* render it whole: render() */
};

/* Where a unit's records go; called on the thread that reads the unit.
 * rec->offset is the record's offset in the file, rec->record its number
 * as the container numbers it. */
typedef struct sift_unit_out {
    void *ctx;
    unsigned (*want)(void *ctx, const sift_rec *rec, sift_slice channel);
    /* ev's slices live until the callback returns; ev->where is unset. */
    void (*event)(void *ctx, const sift_rec *rec, const sift_event *ev);
    /* One record as one JSON object, no line end. */
    void (*render)(void *ctx, const sift_rec *rec, sift_slice json);
    /* A damaged record or unit: err->offset is a file offset; it is
     * skipped (and counted in sift_unit_stats). */
    void (*error)(void *ctx, const sift_error *err);
} sift_unit_out;

/* What units add up to, for the summary. */
typedef struct sift_unit_stats {
    uint64_t units;          /* units read */
    uint64_t units_empty;    /* all-zero units: nothing in them */
    uint64_t units_bad;      /* units skipped: not a unit at all */
    uint64_t units_flagged;  /* read, but their checksums do not match */
    uint64_t units_dropped;  /* flagged units not read (strict) */
    uint64_t records;        /* records read */
    uint64_t records_flagged; /* of those, in flagged units */
    uint64_t records_bad;    /* records skipped as damaged */
    uint64_t records_carved; /* records recovered from slack */
    uint64_t carved_bad;     /* carved records that did not decode: slack
                                holds stale fragments, so these are counted,
                                not reported one by one */
} sift_unit_stats;

/* Bounds on what a container may declare: the engine gathers a header of
 * up to this from a stream, and keeps less than a unit between reads. */
#define SIFT_CONTAINER_HEADER_MAX (64u * 1024u)
#define SIFT_CONTAINER_UNIT_MAX (256u * 1024u)

/* How units are read. */
enum {
    SIFT_UNIT_CARVE = 1u << 0,  /* also recover whole records from slack */
    SIFT_UNIT_STRICT = 1u << 1, /* drop units whose checksums do not match */
};

typedef struct sift_container_ops {
    /* 1 when a file starting with these raw bytes (up to SIFT_SNIFF_BYTES,
     * or the whole of a shorter file) is this format. */
    int (*sniff)(sift_slice head);
    size_t header_size; /* read whole (or all of a shorter file) before units */
    size_t unit_size;   /* units follow the header back to back */
    size_t file_size;   /* bytes of per-file state */
    /* The header: an error is reported and the units are read all the
     * same (a damaged header does not make the chunks unreadable). */
    sift_status (*open)(void *file, sift_slice header, sift_error *err);
    size_t (*scratch_size)(void); /* bytes of per-thread scratch (16-byte aligned) */
    /* Read unit number index (0-based), at file offset offset: every record
     * through out. unit.len < unit_size only for a file cut short. */
    void (*unit)(const void *file, void *scratch, sift_slice unit, uint64_t index, uint64_t offset, unsigned flags,
                 const sift_unit_out *out, sift_unit_stats *st);
    /* One line for --verbose about the header, NUL-terminated; returns its
     * length. NULL allowed. */
    size_t (*describe)(const void *file, char *buf, size_t cap);
} sift_container_ops;

/* ---- the format ---------------------------------------------------------- */

/* What a format produces. */
enum {
    SIFT_PRODUCES_EVENTS = 1u << 0,
    SIFT_PRODUCES_TABLES = 1u << 1,
    SIFT_PRODUCES_FACTS = 1u << 2,
};

typedef struct sift_format {
    const char *name;  /* --format NAME; [a-z0-9-]+ */
    const char *title; /* one line for --help */
    unsigned produces; /* SIFT_PRODUCES_* */
    const sift_pattern *patterns;
    size_t n_patterns;
    const sift_line_ops *line;     /* NULL: not found inside text dumps */
    const sift_stream_ops *stream; /* NULL: never owns a whole stream */
    const sift_container_ops *container; /* NULL: not a binary container */
} sift_format;

/* The formats this build knows, in registry order (defined in
 * parsers/sift_registry.c; the engine takes them from its caller). */
const sift_format *const *sift_registry(size_t *n);

#endif
