/* sift_evsave.h - what Event Viewer's "Save All Events As" exports share:
 * the text save (.txt, tab-separated) and the CSV save (.csv).
 *
 * Both are a header line naming five columns, in English or Japanese:
 *   Level, Date and Time, Source, Event ID, Task Category
 *   レベル, 日付と時刻, ソース, イベント ID, タスクのカテゴリ
 * (the Security log says Keywords / キーワード for Level; a sixth name,
 * Description, Message or 説明, or an empty one, is allowed), then one record
 * per event: those five fields and the description as a sixth field. A field
 * that holds the delimiter, a quote or a line end is quoted as RFC 4180 says
 * ("" stands for one quote inside), so a record may span lines; records
 * start at a line start outside quotes. A quote inside an unquoted field is
 * an ordinary byte.
 *
 * Dates are the exporting user's short date and long time, with no zone:
 * 7/1/2025 5:53:27 PM (en-US), 01/07/2025 17:53:27 (en-GB), 01-07-2025
 * 17:53:27 (nl-NL), 01.07.2025 17:53:27 (de-DE), 2025/07/01 17:53:27
 * (ja-JP). Whether a file writes the day or the month first is decided once
 * per file, by the first date that reads in one order only (13/07/2025).
 * Until then an ambiguous date is read in the default order of its shape
 * (sift_time_default_order: month first for '/' with AM/PM, day first
 * otherwise) and marked SIFT_EV_TIME_GUESSED; retime() reads it again once
 * the file has decided. A later date that reads only in the other order is
 * read that way and counted in describe(): the decision never flips. A file
 * whose dates all have the year first never needs deciding (nothing in it is
 * guessed) and never reports settled. Neither export names the computer.
 *
 * sift_evsave_txt and sift_evsave_csv are the two formats; this module does
 * their work, parameterized by the delimiter. Other comma-separated event
 * exports (PowerShell's Export-Csv: sift_pscsv) reuse the framing, dates and
 * decoding with a header hook of their own, which says which column holds
 * what (sift_evsave_init_with). Input is UTF-8 with CRLF or LF
 * line ends (the engine transcodes UTF-16 and strips the BOM first). No I/O,
 * no allocation: all state lives in a sift_evsave the caller owns. */
#ifndef SIFT_EVSAVE_H
#define SIFT_EVSAVE_H

#include "sift_format.h"

/* The fields of a record, in file order. A record has exactly
 * SIFT_EVSAVE_FIELDS of them. */
enum {
    SIFT_EVSAVE_LEVEL = 0,
    SIFT_EVSAVE_DATE,
    SIFT_EVSAVE_SOURCE,
    SIFT_EVSAVE_ID,
    SIFT_EVSAVE_TASK,
    SIFT_EVSAVE_DESCRIPTION,
    SIFT_EVSAVE_FIELDS
};

/* Columns an export located by its header may have besides those
 * (sift_evsave_header_fn). */
enum {
    SIFT_EVSAVE_COMPUTER = SIFT_EVSAVE_FIELDS,
    SIFT_EVSAVE_CHANNEL,
    SIFT_EVSAVE_RECORD_ID,
    SIFT_EVSAVE_QUALIFIERS,
    SIFT_EVSAVE_LEVEL_NUM, /* Windows' level number, read before the level name */
    SIFT_EVSAVE_ROLES
};

/* The columns of a record that are kept; a header may name more (they are
 * counted, and a column past these holds nothing anyone reads). */
#define SIFT_EVSAVE_MAX_COLS 32u

/* The longest date text describe() quotes; longer dates are cut. */
#define SIFT_EVSAVE_DATE_TEXT 40u

typedef struct sift_evsave sift_evsave;

/* What a header hook says of the first non-blank line(s) of a stream. */
enum {
    SIFT_EVSAVE_NOT_HEADER = 0, /* reported; records are read all the same */
    SIFT_EVSAVE_HEADER = 1,     /* the header: the hook set col and n_fields */
    SIFT_EVSAVE_PREAMBLE = 2,   /* a line before the header (at most one) */
};

/* Judges a line before any record: names[0, kept) are its first fields
 * (untrimmed; quoted ones without their quotes), n how many it has (more
 * than kept past SIFT_EVSAVE_MAX_COLS). On SIFT_EVSAVE_HEADER it has set
 * s->col (the column of each role, -1 for none) and s->n_fields (the
 * fields every record has). */
typedef int (*sift_evsave_header_fn)(sift_evsave *s, const sift_slice *names, size_t kept, size_t n);

/* Framing and date-order state of one stream. The members are this
 * module's; the struct is complete only so that a format can give its size
 * as state_size. */
struct sift_evsave {
    uint8_t delim;       /* '\t' or ',' */
    uint8_t header;      /* 1 once the header line is consumed */
    uint8_t preamble;    /* 1 once a line before the header is consumed */
    uint8_t skipping;    /* dropping bytes up to the next LF after damage */
    size_t n_fields;     /* fields every record has */
    int8_t col[SIFT_EVSAVE_ROLES]; /* column of each role; -1: none */
    sift_evsave_header_fn header_fn;
    const char *not_header; /* error detail for a first line that is none */
    uint64_t line;       /* 1-based line of the next byte not consumed */
    unsigned order;      /* SIFT_DATE_MDY or SIFT_DATE_DMY once decided */
    unsigned fallback;   /* the default order of the first year-last date */
    uint64_t decided_at; /* line of the record that decided the order */
    uint64_t ambiguous;  /* dates readable in both orders */
    uint64_t year_first; /* dates with no order to decide (ISO, Y/M/D) */
    uint64_t odds;       /* dates readable only in the order not decided */
    uint64_t odds_at;    /* line of the first of them */
    size_t decided_len;
    char decided_text[SIFT_EVSAVE_DATE_TEXT];
};

/* Ready to read a new stream whose fields are separated by delim ('\t' for
 * the text save, ',' for the CSV save). s must not be NULL. */
void sift_evsave_init(sift_evsave *s, uint8_t delim);

/* The same for another export: header judges its first lines; not_header
 * (static text) is the error for a first line it refuses, after which
 * records are read with no column located, so each is reported. */
void sift_evsave_init_with(sift_evsave *s, uint8_t delim, sift_evsave_header_fn header, const char *not_header);

/* The fields of line, read as one whole record (no line end needed):
 * names[0, min(n, cap)) without their quotes. Returns n, the number of
 * fields, or 0 when line is empty or not one well-formed record. */
size_t sift_evsave_split(sift_slice line, uint8_t delim, sift_slice *names, size_t cap);

/* 1 when head begins (at byte 0, no blank line before) with an export
 * header line whose names are separated by delim. Names compare ASCII
 * case-insensitively and may be quoted. The header need not end in a line
 * end when head ends first. Reads only head.ptr[0, head.len). */
int sift_evsave_sniff(sift_slice head, uint8_t delim);

/* ---- the stream hooks of sift_format.h, shared by both exports ---------
 * state is a sift_evsave set up by sift_evsave_init; returns, ownership and
 * the chunking guarantee are those of sift_stream_ops. */

/* Frames records. The first non-blank line is the header: consumed, never a
 * record (one that names other columns is reported, SIFT_ERR_SYNTAX at its
 * offset, and records are read anyway). Blank lines are skipped, and with
 * a header hook one preamble line before the header. Each record
 * gets bytes (line end excluded), offset, line (1-based, counting LFs from
 * the header's line 1), provider (the Source field, trimmed; without its
 * quotes when quoted) and id (Event ID). Records that are not well formed
 * are reported and skipped; the rest goes on:
 *  SIFT_ERR_SYNTAX  a record with other than SIFT_EVSAVE_FIELDS fields (a
 *                   hook's header: n_fields; offset: the record's), or a byte other than the
 *                   delimiter or a line end after a closing quote (offset:
 *                   that byte); for the latter framing resumes on the line
 *                   after the record's first line, for the former after it;
 *  SIFT_ERR_NUMBER  an Event ID that is not a decimal number below 65536
 *                   (offset: the field's); the record is skipped;
 *  SIFT_ERR_TOO_LONG a record that, with its line end, does not fit in
 *                   SIFT_STREAM_MAX_RECORD bytes (offset: its opening quote
 *                   when it is in an open quote there, else the record's);
 *                   framing resumes on the line after the record's first.
 * Each record also adds to the date evidence (see above). */
sift_status sift_evsave_next(void *state, sift_in *in, uint64_t base, sift_recs *out, sift_error *err);

/* At the end of the stream: the last record, which needs no line end. A
 * quote still open there is SIFT_ERR_SYNTAX at the quote, and framing
 * resumes on the line after the record's first. NEED_MORE means done. */
sift_status sift_evsave_finish(void *state, sift_in *in, uint64_t base, sift_recs *out, sift_error *err);

/* The event of a record framed by next() or finish(): provider, id, level
 * (a column's level number, else English and Japanese level words;
 * SIFT_LEVEL_NONE for Keywords values such as Audit Success), time_text and time (local: utc 0; valid 0 when
 * unreadable), message (the description trimmed, without its outer quotes;
 * SIFT_EV_MSG_QUOTED when "" occurs in it), the canonical fields its message
 * layout gives (sift_message_fields), and where.offset / where.line; from
 * columns a header hook located, computer, channel, and record_id and
 * qualifiers when they are numbers. The Event Viewer saves have neither
 * channel nor computer. A time read in a default order the file has not
 * confirmed is marked SIFT_EV_TIME_GUESSED (not when both readings are the
 * same day). Slices point into rec->bytes. Returns SIFT_OK, SIFT_ERR_SYNTAX
 * (rec->bytes is not one record of SIFT_EVSAVE_FIELDS fields; offset
 * rec->offset) or SIFT_ERR_NUMBER (bad Event ID; offset of the field); *ev
 * is zeroed on error. The state is only read. */
sift_status sift_evsave_decode(void *state, const sift_rec *rec, sift_event *ev, sift_error *err);

/* time_text read in the order the file decided, or in its default order
 * while it has not. Returns 1 when *when is set (valid), else 0 with *when
 * zeroed. */
int sift_evsave_retime(const void *state, sift_slice time_text, sift_when *when);

/* 1 once the day/month order is decided. */
int sift_evsave_settled(const void *state);

/* What the file's dates told, e.g. "dates day-first (decided at line 40:
 * 13/07/2025)" or "dates month-first (default; no unambiguous date)";
 * NUL-terminated in buf (cut to cap - 1 bytes); returns its length, 0 when
 * no date was seen (or cap is 0). */
size_t sift_evsave_describe(const void *state, char *buf, size_t cap);

/* The stream ops of a format built on this module: its own sniff and init
 * (which give the delimiter), the shared hooks for the rest. */
#define SIFT_EVSAVE_STREAM_OPS(sniff, init)                                                      \
    {                                                                                           \
        (sniff), sizeof(sift_evsave), (init), sift_evsave_next, sift_evsave_finish,             \
            sift_evsave_decode, sift_evsave_retime, sift_evsave_settled, sift_evsave_describe, \
            NULL                                                                                \
    }

#endif
