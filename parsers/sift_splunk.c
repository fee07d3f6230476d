/* sift_splunk.c - Splunk classic WinEventLog key=value records. */
#include "sift_splunk.h"

#include <string.h>

#include "sift_cursor.h"
#include "sift_evtext.h"
#include "sift_message.h"
#include "sift_num.h"

/* Where a key's value goes. KEY_NONE: a key Splunk writes that no field
 * needs; it is still known, so that it ends the value before it on a
 * single-line record. */
typedef enum key_slot {
    KEY_NONE = 0,
    KEY_DATE,
    KEY_LOG_NAME,
    KEY_SOURCE,
    KEY_EVENT_CODE,
    KEY_EVENT_TYPE,
    KEY_TYPE,
    KEY_COMPUTER,
    KEY_RECORD_NUMBER,
    KEY_MESSAGE,
} key_slot;

typedef struct splunk_key {
    sift_slice name; /* without its '=' */
    key_slot slot;
} splunk_key;

/* "Type=" cannot be taken for the end of "EventType=" or "SidType=": a key
 * only starts a line or follows a blank, and '=' must follow its name. */
static const splunk_key keys[] = {
    { SIFT_LIT("LogName"), KEY_LOG_NAME },
    { SIFT_LIT("SourceName"), KEY_SOURCE }, /* also the older "Sourcename" */
    { SIFT_LIT("Source"), KEY_SOURCE },
    { SIFT_LIT("EventCode"), KEY_EVENT_CODE },
    { SIFT_LIT("EventType"), KEY_EVENT_TYPE },
    { SIFT_LIT("Type"), KEY_TYPE },
    { SIFT_LIT("ComputerName"), KEY_COMPUTER },
    { SIFT_LIT("RecordNumber"), KEY_RECORD_NUMBER },
    { SIFT_LIT("Message"), KEY_MESSAGE },
    { SIFT_LIT("Date"), KEY_DATE },
    { SIFT_LIT("TaskCategory"), KEY_NONE },
    { SIFT_LIT("OpCode"), KEY_NONE },
    { SIFT_LIT("Keywords"), KEY_NONE },
    { SIFT_LIT("User"), KEY_NONE },
    { SIFT_LIT("Sid"), KEY_NONE },
    { SIFT_LIT("SidType"), KEY_NONE },
    { SIFT_LIT("Category"), KEY_NONE },
};
#define N_KEYS (sizeof keys / sizeof keys[0])
/* Longer than every name in keys[]: a longer name must raise it. */
#define KEY_NAME_MAX 15u

/* The key starting at line[at] (at a line start or after a blank), with its
 * '='; NULL when none. *end is where its value starts. */
static const splunk_key *key_at(sift_slice line, size_t at, size_t *end)
{
    if (at >= line.len || (at > 0 && !sift_is_blank(line.ptr[at - 1])))
        return NULL;
    /* frame() asks this of most lines of a text dump: those with no '='
     * where a key's would be are turned away by one memchr. */
    const size_t look = line.len - at < KEY_NAME_MAX + 1 ? line.len - at : KEY_NAME_MAX + 1;
    if (!memchr(line.ptr + at, '=', look))
        return NULL;
    const uint8_t first = sift_ascii_lower(line.ptr[at]);
    for (size_t i = 0; i < N_KEYS; i++) {
        const splunk_key *k = &keys[i];
        if (first != sift_ascii_lower(k->name.ptr[0]) || line.len - at <= k->name.len)
            continue;
        if (line.ptr[at + k->name.len] == '=' &&
            sift_slice_eq_nocase(sift_slice_make(line.ptr + at, k->name.len), k->name)) {
            *end = at + k->name.len + 1;
            return k;
        }
    }
    return NULL;
}

/* Where the next key on line starts, from `from` on; line.len when none
 * comes before limit. */
static size_t next_key(sift_slice line, size_t from, size_t limit, const splunk_key **k, size_t *end)
{
    if (limit > line.len)
        limit = line.len;
    for (size_t i = from; i < limit; i++) {
        if (i > 0 && sift_is_blank(line.ptr[i - 1]) && (*k = key_at(line, i, end)) != NULL)
            return i;
    }
    *k = NULL;
    return line.len;
}

/* A header date as Splunk writes it: year-last or Y/M/D, with a time of
 * day. ISO 8601 is left out: capture scripts print it above tables, where
 * it must not open a record. */
static int header_date(sift_slice d)
{
    if (d.len == 0 || d.len > SIFT_SPLUNK_DATE_MAX || !(d.ptr[0] >= '0' && d.ptr[0] <= '9'))
        return 0;
    if (d.len > 4 && d.ptr[4] == '-')
        return 0;
    return sift_slice_find_byte(d, ':') < d.len && sift_time_orders(d) != 0;
}

static int is_date_sep(uint8_t c)
{
    return c == '/' || c == '.' || c == '-';
}

static int date_sep_early(sift_slice line)
{
    return (line.len > 1 && is_date_sep(line.ptr[1])) || (line.len > 2 && is_date_sep(line.ptr[2])) ||
           (line.len > 4 && is_date_sep(line.ptr[4]));
}

/* Whether line opens a record; *date is its header date (empty when it has
 * none or gives it as Date=) and *kv where its keys start. */
static int frame_parts(sift_slice line, sift_slice *date, size_t *kv)
{
    *date = (sift_slice){ NULL, 0 };
    *kv = line.len;
    if (line.len == 0)
        return 0;
    const splunk_key *k;
    size_t end;
    if (line.ptr[0] >= '0' && line.ptr[0] <= '9') {
        /* A header date's first separator is its second, third or fifth
         * byte (7/10/2024, 10.07.2024, 2024/07/10): other lines that start
         * with a digit are turned away before any key is looked for. */
        if (!date_sep_early(line))
            return 0;
        /* The date's own blanks never precede a key: keys start with letters
         * no date word does ("AM", "PM" are no keys). */
        const size_t at = next_key(line, 1, SIFT_SPLUNK_DATE_MAX + 8u, &k, &end);
        const sift_slice d = sift_slice_trim(sift_slice_sub(line, 0, at));
        if (!header_date(d))
            return 0;
        *date = d;
        *kv = at;
        return 1;
    }
    if ((k = key_at(line, 0, &end)) == NULL || k->slot == KEY_MESSAGE)
        return 0;
    if (k->slot == KEY_DATE) {
        const splunk_key *k2;
        size_t end2;
        const size_t at = next_key(line, end, line.len, &k2, &end2);
        *kv = 0;
        return header_date(sift_slice_trim(sift_slice_sub(line, end, at - end)));
    }
    /* A single-line record: EventCode= on the line of its first key. */
    for (size_t at = end; at < line.len;) {
        at = next_key(line, at, line.len, &k, &end);
        if (k == NULL || k->slot == KEY_MESSAGE)
            return 0;
        if (k->slot == KEY_EVENT_CODE) {
            *kv = 0;
            return 1;
        }
        at = end;
    }
    return 0;
}

/* Frames start with a digit (a header date) or a key's first letter, in
 * either case: most lines are turned away by one compare. */
static int splunk_frame_lead(uint8_t b)
{
    const uint8_t c = sift_ascii_lower(b);
    return (c >= '0' && c <= '9') || c == 'l' || c == 's' || c == 'e' || c == 't' || c == 'c' || c == 'r' ||
           c == 'd' || c == 'o' || c == 'k' || c == 'u';
}

int sift_splunk_frame(sift_slice line)
{
    if (line.len == 0 || !splunk_frame_lead(line.ptr[0]))
        return 0;
    sift_slice date;
    size_t kv;
    return frame_parts(line, &date, &kv);
}

/* ---- one record ------------------------------------------------------------ */

typedef struct parse_state {
    sift_splunk_rec *r;
    sift_slice code; /* EventCode's value: checked once the record is read */
} parse_state;

static sift_slice *slot_of(parse_state *p, key_slot s)
{
    switch (s) {
    case KEY_DATE:
        return &p->r->date;
    case KEY_LOG_NAME:
        return &p->r->log_name;
    case KEY_SOURCE:
        return &p->r->source;
    case KEY_EVENT_CODE:
        return &p->code;
    case KEY_EVENT_TYPE:
        return &p->r->event_type;
    case KEY_TYPE:
        return &p->r->type;
    case KEY_COMPUTER:
        return &p->r->computer;
    case KEY_RECORD_NUMBER:
        return &p->r->record_number;
    case KEY_NONE:
    case KEY_MESSAGE:
        break;
    }
    return NULL;
}

/* Read the keys of line from the key at `at` on. Returns 1 once Message= is
 * read: its value runs to the end of line when single, else to the end of
 * rec (line is a slice of rec). */
static int read_keys(parse_state *p, sift_slice rec, sift_slice line, size_t at, int single)
{
    size_t end;
    const splunk_key *k = key_at(line, at, &end);
    while (k != NULL) {
        p->r->keys++;
        if (k->slot == KEY_MESSAGE) {
            const size_t from = (size_t)(line.ptr - rec.ptr) + end;
            p->r->message = single ? sift_slice_trim(sift_slice_sub(line, end, line.len))
                                   : sift_slice_trim(sift_slice_sub(rec, from, rec.len - from));
            return 1;
        }
        const splunk_key *next;
        size_t next_end;
        const size_t stop = next_key(line, end, line.len, &next, &next_end);
        sift_slice *slot = slot_of(p, k->slot);
        if (slot != NULL && slot->len == 0)
            *slot = sift_slice_trim(sift_slice_sub(line, end, stop - end));
        k = next;
        end = next_end;
    }
    return 0;
}

sift_status sift_splunk_parse(sift_slice rec, uint64_t base, sift_splunk_rec *r, sift_error *err)
{
    *r = (sift_splunk_rec){ 0 };
    parse_state p = { r, { NULL, 0 } };
    sift_cursor c = sift_cur_make(rec);
    sift_slice line, date;
    size_t kv;
    if (!sift_cur_take_line(&c, &line) || !frame_parts(line, &date, &kv))
        return sift_fail(err, SIFT_ERR_SYNTAX, base, "record does not begin with a Splunk date or key line");
    r->date = date;
    int done = kv < line.len && read_keys(&p, rec, line, kv, 1);
    while (!done && sift_cur_take_line(&c, &line)) {
        sift_cursor lc = sift_cur_make(line);
        sift_cur_skip_blanks(&lc);
        done = read_keys(&p, rec, line, lc.pos, 0);
    }

    static const struct {
        size_t off;
        unsigned bit;
    } have[] = {
        { offsetof(sift_splunk_rec, date), SIFT_SPLUNK_HAS_DATE },
        { offsetof(sift_splunk_rec, log_name), SIFT_SPLUNK_HAS_LOG_NAME },
        { offsetof(sift_splunk_rec, source), SIFT_SPLUNK_HAS_SOURCE },
        { offsetof(sift_splunk_rec, event_type), SIFT_SPLUNK_HAS_EVENT_TYPE },
        { offsetof(sift_splunk_rec, type), SIFT_SPLUNK_HAS_TYPE },
        { offsetof(sift_splunk_rec, computer), SIFT_SPLUNK_HAS_COMPUTER },
        { offsetof(sift_splunk_rec, record_number), SIFT_SPLUNK_HAS_RECORD_NUMBER },
        { offsetof(sift_splunk_rec, message), SIFT_SPLUNK_HAS_MESSAGE },
    };
    for (size_t i = 0; i < sizeof have / sizeof have[0]; i++)
        if (((const sift_slice *)((const char *)r + have[i].off))->len)
            r->have |= have[i].bit;

    if (r->keys == 0)
        return SIFT_OK; /* a date line above other text: no record */
    if (p.code.len == 0)
        return sift_fail(err, SIFT_ERR_MISSING, base, "no EventCode= key");
    uint64_t v;
    if (sift_num_u64(p.code, &v) != SIFT_OK || v > 0xffffu)
        return sift_fail(err, SIFT_ERR_NUMBER, base + (uint64_t)(p.code.ptr - rec.ptr),
                         "EventCode is not a number below 65536");
    r->event_code = (uint32_t)v;
    r->have |= SIFT_SPLUNK_HAS_EVENT_CODE;
    return SIFT_OK;
}

int sift_splunk_time(sift_slice date, sift_when *w)
{
    *w = (sift_when){ 0 };
    const unsigned o = sift_time_orders(date);
    if (o == (SIFT_DATE_MDY | SIFT_DATE_DMY))
        sift_time_parse_order(date, sift_time_default_order(date), w);
    else if (o != 0)
        sift_time_parse(date, w);
    return w->valid;
}

/* ---- the format -------------------------------------------------------------- */

static sift_status splunk_decode(sift_slice rec, uint64_t base, sift_event *ev, sift_error *err)
{
    sift_splunk_rec r;
    const sift_status st = sift_splunk_parse(rec, base, &r, err);
    *ev = (sift_event){ 0 };
    if (st != SIFT_OK || !(r.have & SIFT_SPLUNK_HAS_EVENT_CODE))
        return st;
    ev->have = SIFT_EV_ID;
    ev->id = (uint16_t)r.event_code;
    ev->provider = r.source;
    ev->channel = r.log_name;
    ev->computer = r.computer;
    ev->time_text = r.date;
    if (r.date.len)
        sift_splunk_time(r.date, &ev->time);
    ev->level = sift_evtext_level(r.type);
    uint64_t n;
    if (ev->level == SIFT_LEVEL_NONE && sift_num_u64(r.event_type, &n) == SIFT_OK && n >= SIFT_LEVEL_CRITICAL &&
        n <= SIFT_LEVEL_VERBOSE)
        ev->level = (uint8_t)n;
    if (sift_num_u64(r.record_number, &n) == SIFT_OK) {
        ev->record_id = n;
        ev->have |= SIFT_EV_RECORD_ID;
    }
    ev->message = r.message;
    sift_message_fields(ev);
    return SIFT_OK;
}

static const sift_line_ops splunk_line = { .frame = sift_splunk_frame,
                                           .frame_lead = splunk_frame_lead,
                                           .decode = splunk_decode };

const sift_format sift_splunk_format = {
    "splunk",
    "Splunk classic WinEventLog key=value records (multi-line and single-line), English and Japanese",
    SIFT_PRODUCES_EVENTS,
    NULL,
    0,
    &splunk_line,
    NULL,
    NULL,
};
