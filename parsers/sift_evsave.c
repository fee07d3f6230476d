/* sift_evsave.c - Event Viewer "Save All Events As" text and CSV: quote-aware
 * record framing and the per-file day/month decision. */
#include "sift_evsave.h"

#include <stdio.h>

#include "sift_cursor.h"
#include "sift_evtext.h"
#include "sift_message.h"
#include "sift_num.h"

/* ---- one record ------------------------------------------------------------ */

/* The record limit. Fuzzing builds shrink it so that inputs of a few hundred
 * bytes reach the over-long paths and the resumption after them; the
 * framing properties the fuzz targets check hold for any limit. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define MAX_RECORD 300u
#else
#define MAX_RECORD SIFT_STREAM_MAX_RECORD
#endif

/* How scanning a record from its first byte ended. */
typedef enum scan_end {
    SCAN_OK,      /* a whole record: fields, end and next are set */
    SCAN_MORE,    /* the bytes end inside it */
    SCAN_LONG,    /* no line end within SIFT_STREAM_MAX_RECORD bytes */
    SCAN_OPEN,    /* the stream ends inside a quote */
    SCAN_JUNK,    /* a byte other than delimiter or line end after a closing quote */
} scan_end;

typedef struct scan {
    sift_slice f[SIFT_EVSAVE_MAX_COLS]; /* the first fields; quoted ones without quotes */
    size_t pos[SIFT_EVSAVE_MAX_COLS];   /* where each starts (past its opening quote) */
    size_t n;                           /* fields seen, counting past SIFT_EVSAVE_MAX_COLS */
    uint32_t doubled;                   /* bit i: field i is quoted and holds "" */
    uint32_t quoted;                    /* bit i: field i is quoted */
    size_t end;                       /* record bytes are [0, end) */
    size_t next;                      /* past the line end */
    size_t at;                        /* SCAN_OPEN, SCAN_LONG in a quote: the quote; SCAN_JUNK: the byte */
    uint8_t in_quote;                 /* SCAN_OPEN, SCAN_LONG: it ended inside a quote */
} scan;

_Static_assert(SIFT_EVSAVE_MAX_COLS <= 32, "a bit per kept field in quoted and doubled");
_Static_assert(SIFT_EVSAVE_MAX_COLS <= INT8_MAX, "columns fit the role map");

static void keep_field(scan *r, size_t pos, sift_slice f, uint32_t quoted, uint32_t doubled)
{
    if (r->n < SIFT_EVSAVE_MAX_COLS) {
        r->f[r->n] = f;
        r->pos[r->n] = pos;
        r->quoted |= quoted << r->n;
        r->doubled |= doubled << r->n;
    }
    r->n++;
}

/* A quoted field from its opening quote: *c ends past the closing quote.
 * SCAN_OK, or SCAN_MORE when the bytes end before it is closed (a quote as
 * the very last byte may be the first of a "" pair, unless at_end). */
static scan_end quoted_field(sift_cursor *c, int at_end, sift_slice *body, unsigned *doubled)
{
    const size_t open = c->pos;
    sift_cursor k = *c;
    k.pos++;
    for (;;) {
        const sift_slice rest = sift_cur_rest(&k);
        const size_t q = sift_slice_find_byte(rest, '"');
        if (q == rest.len)
            return SCAN_MORE;
        k.pos += q + 1;
        if (sift_cur_peek(&k) == '"') {
            k.pos++;
            *doubled = 1;
            continue;
        }
        if (sift_cur_eof(&k) && !at_end)
            return SCAN_MORE;
        *body = sift_cur_slice(&k, open + 1, k.pos - 1 - (open + 1));
        *c = k;
        return SCAN_OK;
    }
}

/* Scans the record at p[0, len). at_end: the stream ends at len. Looks at
 * no more than MAX_RECORD bytes, so the outcome is the same for
 * every len at least that long: this is what makes framing independent of
 * chunking. */
static scan_end scan_record(const uint8_t *p, size_t len, uint8_t delim, int at_end, scan *r)
{
    /* The field arrays are read only below n: not cleared, as records are
     * many and the arrays long. */
    r->n = 0;
    r->doubled = r->quoted = 0;
    r->end = r->next = r->at = 0;
    r->in_quote = 0;
    const int whole = at_end && len <= MAX_RECORD;
    const size_t w = len < MAX_RECORD ? len : MAX_RECORD;
    /* More bytes than the window, or a stream end inside it, settle every
     * case the window leaves open; otherwise more bytes are needed. */
    const scan_end cut = whole ? SCAN_OK : len >= MAX_RECORD ? SCAN_LONG : SCAN_MORE;
    sift_cursor c = sift_cur_make(sift_slice_make(p, w));
    for (;;) {
        const size_t start = c.pos;
        if (sift_cur_peek(&c) == '"') {
            sift_slice body = { NULL, 0 };
            unsigned doubled = 0;
            if (quoted_field(&c, whole, &body, &doubled) != SCAN_OK) {
                r->at = start;
                r->in_quote = 1;
                return cut == SCAN_OK ? SCAN_OPEN : cut;
            }
            keep_field(r, start + 1, body, 1, doubled);
            /* After the closing quote: a delimiter, a line end, or the end. */
            if (sift_cur_accept_byte(&c, delim))
                continue;
            r->end = c.pos;
            if (sift_cur_eof(&c) && whole) {
                r->next = c.pos;
                return SCAN_OK;
            }
            sift_cur_accept_byte(&c, '\r');
            if (sift_cur_accept_byte(&c, '\n')) {
                r->next = c.pos;
                return SCAN_OK;
            }
            if (sift_cur_eof(&c)) {
                if (!whole)
                    return cut;
                r->next = c.pos; /* a lone CR ends the stream */
                return SCAN_OK;
            }
            r->at = r->end;
            return SCAN_JUNK;
        }
        /* Unquoted: up to the delimiter or the LF. */
        while (!sift_cur_eof(&c) && c.buf[c.pos] != delim && c.buf[c.pos] != '\n')
            c.pos++;
        if (sift_cur_eof(&c)) {
            if (!whole)
                return cut;
            size_t e = c.pos;
            if (e > start && p[e - 1] == '\r')
                e--;
            keep_field(r, start, sift_cur_slice(&c, start, e - start), 0, 0);
            r->end = e;
            r->next = c.pos;
            return SCAN_OK;
        }
        if (c.buf[c.pos] == delim) {
            keep_field(r, start, sift_cur_slice(&c, start, c.pos - start), 0, 0);
            c.pos++;
            continue;
        }
        size_t e = c.pos;
        if (e > start && p[e - 1] == '\r')
            e--;
        keep_field(r, start, sift_cur_slice(&c, start, e - start), 0, 0);
        r->end = e;
        r->next = c.pos + 1;
        return SCAN_OK;
    }
}

/* A line with nothing but blanks: no field, no record. */
static int blank_record(const scan *r)
{
    return r->n == 1 && !r->quoted && sift_slice_trim(r->f[0]).len == 0;
}

/* ---- the header -------------------------------------------------------------- */

/* Column names as Event Viewer writes them, English and ja-JP. The Security
 * log's first column is Keywords (Audit Success), not Level. */
static const sift_slice names_level[] = { SIFT_LIT("Level"), SIFT_LIT("Keywords"), SIFT_LIT("レベル"),
                                          SIFT_LIT("キーワード") };
static const sift_slice names_date[] = { SIFT_LIT("Date and Time"), SIFT_LIT("日付と時刻") };
static const sift_slice names_source[] = { SIFT_LIT("Source"), SIFT_LIT("ソース") };
static const sift_slice names_id[] = { SIFT_LIT("Event ID"), SIFT_LIT("イベント ID") };
static const sift_slice names_task[] = { SIFT_LIT("Task Category"), SIFT_LIT("タスクのカテゴリ") };
/* Tools that re-save the file sometimes name the sixth column; Event Viewer
 * leaves it out. */
static const sift_slice names_desc[] = { SIFT_LIT(""), SIFT_LIT("Description"), SIFT_LIT("Message"),
                                         SIFT_LIT("説明") };

static const struct {
    const sift_slice *names;
    size_t n;
} header_names[SIFT_EVSAVE_FIELDS] = {
#define NAMES(a) { a, sizeof a / sizeof a[0] }
    NAMES(names_level), NAMES(names_date), NAMES(names_source),
    NAMES(names_id),    NAMES(names_task), NAMES(names_desc),
#undef NAMES
};

static int is_header(const sift_slice *names, size_t n)
{
    if (n != SIFT_EVSAVE_FIELDS - 1 && n != SIFT_EVSAVE_FIELDS)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const sift_slice f = sift_slice_trim(names[i]);
        size_t k = 0;
        while (k < header_names[i].n && !sift_slice_eq_nocase(f, header_names[i].names[k]))
            k++;
        if (k == header_names[i].n)
            return 0;
    }
    return 1;
}

size_t sift_evsave_split(sift_slice line, uint8_t delim, sift_slice *names, size_t cap)
{
    scan r;
    if (line.len == 0)
        return 0;
    /* The line is all there is to go on: its end ends the record. */
    if (scan_record(line.ptr, line.len, delim, 1, &r) != SCAN_OK)
        return 0;
    for (size_t i = 0; i < r.n && i < cap && i < SIFT_EVSAVE_MAX_COLS; i++)
        names[i] = r.f[i];
    return r.n;
}

int sift_evsave_sniff(sift_slice head, uint8_t delim)
{
    sift_slice names[SIFT_EVSAVE_FIELDS];
    const size_t n = sift_evsave_split(head, delim, names, SIFT_EVSAVE_FIELDS);
    return n <= SIFT_EVSAVE_FIELDS && is_header(names, n);
}

/* Event Viewer's columns are where they are: the five names (and maybe a
 * sixth), then records of six fields. */
static int viewer_header(sift_evsave *s, const sift_slice *names, size_t kept, size_t n)
{
    (void)s;
    return kept == n && is_header(names, n) ? SIFT_EVSAVE_HEADER : SIFT_EVSAVE_NOT_HEADER;
}

/* ---- the day/month decision ------------------------------------------------ */

void sift_evsave_init_with(sift_evsave *s, uint8_t delim, sift_evsave_header_fn header, const char *not_header)
{
    *s = (sift_evsave){ 0 };
    s->delim = delim;
    s->line = 1;
    s->header_fn = header;
    s->not_header = not_header;
    for (size_t i = 0; i < SIFT_EVSAVE_ROLES; i++)
        s->col[i] = -1;
}

void sift_evsave_init(sift_evsave *s, uint8_t delim)
{
    sift_evsave_init_with(s, delim, viewer_header, "first line is not an Event Viewer export header");
    /* Records have their six fields whatever the header says. */
    for (int8_t i = 0; i < SIFT_EVSAVE_FIELDS; i++)
        s->col[i] = i;
    s->n_fields = SIFT_EVSAVE_FIELDS;
}

/* The field of a record in the column of role; empty when none is. */
static sift_slice role(const sift_evsave *s, const scan *r, unsigned which)
{
    const int c = s->col[which];
    return c >= 0 && (size_t)c < r->n && (size_t)c < SIFT_EVSAVE_MAX_COLS ? r->f[c] : (sift_slice){ NULL, 0 };
}

/* Where the field of role starts in the record (0 when none). */
static size_t role_pos(const sift_evsave *s, const scan *r, unsigned which)
{
    const int c = s->col[which];
    return c >= 0 && (size_t)c < r->n && (size_t)c < SIFT_EVSAVE_MAX_COLS ? r->pos[c] : 0;
}

/* One well-formed record's date as evidence. The first date that reads in
 * one order only decides the file; later ones that read only in the other
 * are counted, not obeyed: one export has one locale, so they are damage or
 * a concatenation, and the decision must not flip between records. */
static void weigh_date(sift_evsave *s, sift_slice date, uint64_t line)
{
    /* Once decided, only a date the decision cannot read is news: one parse
     * in the decided order spares classifying every record (two parses). */
    sift_when w;
    if (s->order && sift_time_parse_order(date, s->order, &w) == SIFT_OK)
        return;
    const unsigned o = sift_time_orders(date);
    if (o == SIFT_DATE_FIXED) {
        s->year_first++;
        return;
    }
    if (o == 0)
        return;
    if (s->fallback == 0)
        s->fallback = sift_time_default_order(date);
    if (o == (SIFT_DATE_MDY | SIFT_DATE_DMY)) {
        s->ambiguous++;
    } else if (s->order == 0) {
        s->order = o;
        s->decided_at = line;
        /* The date without its clock is what tells the order. */
        date = sift_slice_trim(date);
        size_t n = sift_slice_find_byte(date, ' ');
        n = n < SIFT_EVSAVE_DATE_TEXT ? n : SIFT_EVSAVE_DATE_TEXT;
        memcpy(s->decided_text, date.ptr, n);
        s->decided_len = n;
    } else if (o != s->order) {
        if (s->odds++ == 0)
            s->odds_at = line;
    }
}

/* The order to read a date in: the file's once decided; until then the
 * default of the file's first year-last date, or of this date's own shape. */
static unsigned order_for(const sift_evsave *s, sift_slice date)
{
    if (s->order)
        return s->order;
    return s->fallback ? s->fallback : sift_time_default_order(date);
}

/* ---- framing ------------------------------------------------------------------ */

/* The Event ID field as a number below 65536. */
static int event_id(sift_slice f, uint16_t *id)
{
    uint64_t v;
    if (sift_num_u64(sift_slice_trim(f), &v) != SIFT_OK || v > 0xffffu)
        return 0;
    *id = (uint16_t)v;
    return 1;
}

/* After damage that leaves the record's extent in doubt (an open quote, a
 * stray byte after one), the next record is looked for on the line after
 * the damaged record's first line. */
static void skip_first_line(sift_evsave *s, sift_in *in, size_t start)
{
    const sift_slice rest = sift_slice_make(in->buf + start, in->size - start);
    const size_t lf = sift_slice_find_byte(rest, '\n');
    if (lf == rest.len) {
        in->pos = in->size;
        s->skipping = 1;
        return;
    }
    in->pos = start + lf + 1;
    s->line++;
}

/* Takes a whole record at in->pos (with its line end) and moves past it. */
static void consume(sift_evsave *s, sift_in *in, size_t start, const scan *r)
{
    size_t last;
    s->line += sift_newlines(in->buf + start, r->next, &last);
    in->pos = start + r->next;
}

static sift_status frame(sift_evsave *s, sift_in *in, uint64_t base, sift_recs *out, sift_error *err, int at_end)
{
    if (s->skipping) {
        const sift_slice rest = sift_slice_make(in->buf + in->pos, in->size - in->pos);
        const size_t lf = sift_slice_find_byte(rest, '\n');
        in->pos += lf == rest.len ? rest.len : lf + 1;
        if (lf == rest.len)
            return SIFT_NEED_MORE;
        s->skipping = 0;
        s->line++;
    }
    while (in->pos < in->size) {
        if (out->n >= out->cap)
            return SIFT_OK;
        const size_t start = in->pos;
        scan r;
        const scan_end e = scan_record(in->buf + start, in->size - start, s->delim, at_end, &r);
        const uint64_t off = base + start;
        switch (e) {
        case SCAN_MORE:
            return SIFT_NEED_MORE;
        case SCAN_LONG:
            skip_first_line(s, in, start);
            if (!r.in_quote)
                return sift_fail(err, SIFT_ERR_TOO_LONG, off, "record longer than 256 KiB");
            return sift_fail(err, SIFT_ERR_TOO_LONG, off + r.at, "quote not closed within 256 KiB");
        case SCAN_OPEN:
            skip_first_line(s, in, start);
            return sift_fail(err, SIFT_ERR_SYNTAX, off + r.at, "quote not closed at the end of the input");
        case SCAN_JUNK:
            skip_first_line(s, in, start);
            return sift_fail(err, SIFT_ERR_SYNTAX, off + r.at, "text after a closing quote");
        case SCAN_OK:
            break;
        }
        const uint64_t line = s->line;
        consume(s, in, start, &r);
        if (blank_record(&r))
            continue;
        if (!s->header) {
            const size_t kept = r.n < SIFT_EVSAVE_MAX_COLS ? r.n : SIFT_EVSAVE_MAX_COLS;
            const int h = s->header_fn(s, r.f, kept, r.n);
            if (h == SIFT_EVSAVE_PREAMBLE && !s->preamble) {
                s->preamble = 1;
                continue;
            }
            s->header = 1;
            if (h == SIFT_EVSAVE_HEADER)
                continue;
            return sift_fail(err, SIFT_ERR_SYNTAX, off, s->not_header);
        }
        if (r.n != s->n_fields)
            return sift_fail(err, SIFT_ERR_SYNTAX, off,
                             r.n < s->n_fields ? "record has too few fields"
                                               : "record has too many fields");
        sift_rec *rec = &out->rec[out->n];
        *rec = (sift_rec){ 0 };
        if (!event_id(role(s, &r, SIFT_EVSAVE_ID), &rec->id))
            return sift_fail(err, SIFT_ERR_NUMBER, off + role_pos(s, &r, SIFT_EVSAVE_ID),
                             "Event ID is not a number below 65536");
        rec->has_id = 1;
        rec->bytes = sift_slice_make(in->buf + start, r.end);
        rec->offset = off;
        rec->line = line;
        rec->provider = sift_slice_trim(role(s, &r, SIFT_EVSAVE_SOURCE));
        out->n++;
        weigh_date(s, role(s, &r, SIFT_EVSAVE_DATE), line);
    }
    return SIFT_NEED_MORE;
}

sift_status sift_evsave_next(void *state, sift_in *in, uint64_t base, sift_recs *out, sift_error *err)
{
    return frame(state, in, base, out, err, 0);
}

sift_status sift_evsave_finish(void *state, sift_in *in, uint64_t base, sift_recs *out, sift_error *err)
{
    return frame(state, in, base, out, err, 1);
}

/* ---- decoding ----------------------------------------------------------------- */

sift_status sift_evsave_decode(void *state, const sift_rec *rec, sift_event *ev, sift_error *err)
{
    const sift_evsave *s = state;
    *ev = (sift_event){ 0 };
    scan r;
    if (scan_record(rec->bytes.ptr, rec->bytes.len, s->delim, 1, &r) != SCAN_OK || r.n != s->n_fields ||
        r.next != rec->bytes.len)
        return sift_fail(err, SIFT_ERR_SYNTAX, rec->offset, "not one export record");
    uint16_t id;
    if (!event_id(role(s, &r, SIFT_EVSAVE_ID), &id))
        return sift_fail(err, SIFT_ERR_NUMBER, rec->offset + role_pos(s, &r, SIFT_EVSAVE_ID),
                         "Event ID is not a number below 65536");
    ev->have = SIFT_EV_ID;
    ev->id = id;
    uint64_t v;
    if (sift_num_u64(sift_slice_trim(role(s, &r, SIFT_EVSAVE_LEVEL_NUM)), &v) == SIFT_OK)
        ev->level = v <= SIFT_LEVEL_VERBOSE ? (uint8_t)v : SIFT_LEVEL_NONE;
    else
        ev->level = sift_evtext_level(role(s, &r, SIFT_EVSAVE_LEVEL));
    ev->provider = sift_slice_trim(role(s, &r, SIFT_EVSAVE_SOURCE));
    ev->computer = sift_slice_trim(role(s, &r, SIFT_EVSAVE_COMPUTER));
    ev->channel = sift_slice_trim(role(s, &r, SIFT_EVSAVE_CHANNEL));
    if (sift_num_u64(sift_slice_trim(role(s, &r, SIFT_EVSAVE_RECORD_ID)), &v) == SIFT_OK) {
        ev->record_id = v;
        ev->have |= SIFT_EV_RECORD_ID;
    }
    if (sift_num_u64(sift_slice_trim(role(s, &r, SIFT_EVSAVE_QUALIFIERS)), &v) == SIFT_OK && v <= 0xffffu) {
        ev->qualifiers = (uint16_t)v;
        ev->have |= SIFT_EV_QUALIFIERS;
    }
    ev->message = sift_slice_trim(role(s, &r, SIFT_EVSAVE_DESCRIPTION));
    const int dc = s->col[SIFT_EVSAVE_DESCRIPTION];
    if (dc >= 0 && dc < (int)SIFT_EVSAVE_MAX_COLS && (r.doubled & (1u << dc)))
        ev->have |= SIFT_EV_MSG_QUOTED;
    ev->time_text = sift_slice_trim(role(s, &r, SIFT_EVSAVE_DATE));

    const unsigned o = sift_time_orders(ev->time_text);
    if (o == (SIFT_DATE_MDY | SIFT_DATE_DMY)) {
        const unsigned order = order_for(s, ev->time_text);
        sift_time_parse_order(ev->time_text, order, &ev->time);
        sift_when other;
        sift_time_parse_order(ev->time_text, order ^ (SIFT_DATE_MDY | SIFT_DATE_DMY), &other);
        if (!s->order && other.secs != ev->time.secs)
            ev->have |= SIFT_EV_TIME_GUESSED;
    } else if (o) {
        /* One reading only (or no order question): that reading. */
        sift_time_parse(ev->time_text, &ev->time);
    }
    ev->where.offset = rec->offset;
    ev->where.line = rec->line;
    ev->where.record = rec->record;
    sift_message_fields(ev);
    return SIFT_OK;
}

int sift_evsave_retime(const void *state, sift_slice time_text, sift_when *when)
{
    const sift_evsave *s = state;
    unsigned o = sift_time_orders(time_text);
    if (o == (SIFT_DATE_MDY | SIFT_DATE_DMY))
        o = order_for(s, time_text);
    else
        o = SIFT_DATE_MDY | SIFT_DATE_DMY;
    return sift_time_parse_order(time_text, o, when) == SIFT_OK;
}

int sift_evsave_settled(const void *state)
{
    const sift_evsave *s = state;
    return s->order != 0;
}

static const char *order_name(unsigned o)
{
    return o == SIFT_DATE_MDY ? "month-first" : "day-first";
}

size_t sift_evsave_describe(const void *state, char *buf, size_t cap)
{
    const sift_evsave *s = state;
    if (cap == 0 || buf == NULL)
        return 0;
    int n;
    if (s->order) {
        n = snprintf(buf, cap, "dates %s (decided at line %llu: %.*s)", order_name(s->order),
                     (unsigned long long)s->decided_at, (int)s->decided_len, s->decided_text);
        if (s->odds && n >= 0 && (size_t)n < cap)
            n += snprintf(buf + n, cap - (size_t)n, "; %llu read only %s, the first at line %llu",
                          (unsigned long long)s->odds, order_name(s->order ^ (SIFT_DATE_MDY | SIFT_DATE_DMY)),
                          (unsigned long long)s->odds_at);
    } else if (s->ambiguous) {
        n = snprintf(buf, cap, "dates %s (default; no unambiguous date)", order_name(s->fallback));
    } else if (s->year_first) {
        n = snprintf(buf, cap, "dates year-first (no day/month order to decide)");
    } else {
        buf[0] = '\0';
        return 0;
    }
    if (n < 0) {
        buf[0] = '\0';
        return 0;
    }
    return (size_t)n < cap ? (size_t)n : cap - 1;
}
