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
 * their work, parameterized by the delimiter. Input is UTF-8 with CRLF or LF
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

/* The longest date text describe() quotes; longer dates are cut. */
#define SIFT_EVSAVE_DATE_TEXT 40u

/* Framing and date-order state of one stream. The members are this
 * module's; the struct is complete only so that a format can give its size
 * as state_size. */
typedef struct sift_evsave {
    uint8_t delim;       /* '\t' or ',' */
    uint8_t header;      /* 1 once the header line is consumed */
    uint8_t skipping;    /* dropping bytes up to the next LF after damage */
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
} sift_evsave;

/* Ready to read a new stream whose fields are separated by delim ('\t' for
 * the text save, ',' for the CSV save). s must not be NULL. */
void sift_evsave_init(sift_evsave *s, uint8_t delim);

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
 * offset, and records are read anyway). Blank lines are skipped. Each record
 * gets bytes (line end excluded), offset, line (1-based, counting LFs from
 * the header's line 1), provider (the Source field, trimmed; without its
 * quotes when quoted) and id (Event ID). Records that are not well formed
 * are reported and skipped; the rest goes on:
 *  SIFT_ERR_SYNTAX  a record with other than SIFT_EVSAVE_FIELDS fields
 *                   (offset: the record's), or a byte other than the
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
 * (English and Japanese level words; SIFT_LEVEL_NONE for Keywords values
 * such as Audit Success), time_text and time (local: utc 0; valid 0 when
 * unreadable), message (the description trimmed, without its outer quotes;
 * SIFT_EV_MSG_QUOTED when "" occurs in it), the canonical fields its message
 * layout gives (sift_message_fields), and where.offset / where.line. channel
 * and computer stay empty. A time read in a default order the file has not
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
            sift_evsave_decode, sift_evsave_retime, sift_evsave_settled, sift_evsave_describe \
    }

#endif
