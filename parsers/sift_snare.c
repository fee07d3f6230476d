/* sift_snare.c - Snare MSWinEventLog records, TAB-separated, behind any
 * syslog header. */
#include "sift_snare.h"

#include <string.h>

#include "sift_cursor.h"
#include "sift_evtext.h"
#include "sift_message.h"
#include "sift_num.h"

#define TOKEN "MSWinEventLog"
#define TOKEN_LEN (sizeof TOKEN - 1)

static int word_byte(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* A relay that escapes control bytes writes Snare's own "HOST<TAB>" as
 * "HOST#011": the word starts there too. */
static int word_start(sift_slice line, size_t at)
{
    return at == 0 || !word_byte(line.ptr[at - 1]) ||
           (at >= 4 && sift_slice_starts_with(sift_slice_sub(line, at - 4, 4), SIFT_LIT("#011")));
}

/* The separator after the token at line[at]: 1 for TAB, 4 for "#011", 0
 * for neither. */
static size_t separator_at(sift_slice line, size_t at)
{
    const sift_slice rest = sift_slice_sub(line, at, line.len);
    if (rest.len && rest.ptr[0] == '\t')
        return 1;
    return sift_slice_starts_with(rest, SIFT_LIT("#011")) ? 4 : 0;
}

/* The record's MSWinEventLog: the first word occurrence starting within
 * SIFT_SNARE_PREFIX_MAX bytes that a separator follows, else the first word
 * occurrence (a record whose TABs were lost), else line.len. *sep is the
 * separator's length (0 for none). */
static size_t find_token(sift_slice line, size_t *sep)
{
    const size_t window = SIFT_SNARE_PREFIX_MAX + TOKEN_LEN;
    const sift_slice w = sift_slice_sub(line, 0, window);
    size_t first = line.len, from = 0;
    *sep = 0;
    while (from < w.len) {
        const size_t at = from + sift_slice_find(sift_slice_sub(w, from, w.len), SIFT_LIT(TOKEN));
        if (at >= w.len || at >= SIFT_SNARE_PREFIX_MAX)
            break;
        const size_t end = at + TOKEN_LEN;
        if (word_start(line, at) && (end == line.len || !word_byte(line.ptr[end]))) {
            if ((*sep = separator_at(line, end)) != 0)
                return at;
            if (first == line.len)
                first = at;
        }
        from = at + 1;
    }
    return first;
}

/* frame() runs on every line of an open record in a text dump, so most
 * lines must be turned away by memchr alone: the token's first byte, then
 * the token, before find_token's word and separator checks. */
int sift_snare_frame(sift_slice line)
{
    if (line.len < TOKEN_LEN)
        return 0;
    const size_t window = line.len < SIFT_SNARE_PREFIX_MAX + TOKEN_LEN ? line.len : SIFT_SNARE_PREFIX_MAX + TOKEN_LEN;
    const uint8_t *p = line.ptr, *end = line.ptr + window;
    for (;;) {
        const uint8_t *m = memchr(p, TOKEN[0], (size_t)(end - p));
        if (!m || (size_t)(end - m) < TOKEN_LEN)
            return 0;
        if (memcmp(m, TOKEN, TOKEN_LEN) == 0)
            break;
        p = m + 1;
    }
    size_t sep;
    return find_token(line, &sep) < line.len;
}

/* The prefix's last word that is not a syslog nil ("-") or a bare priority
 * ("<13>"): the host the record came from. */
static sift_slice prefix_host(sift_slice prefix)
{
    size_t end = prefix.len;
    while (end > 0) {
        while (end > 0 && sift_is_blank(prefix.ptr[end - 1]))
            end--;
        size_t start = end;
        while (start > 0 && !sift_is_blank(prefix.ptr[start - 1]))
            start--;
        const sift_slice w = sift_slice_trim(sift_slice_sub(prefix, start, end - start));
        if (w.len && !sift_slice_eq(w, SIFT_LIT("-")) && w.ptr[0] != '<')
            return w;
        end = start;
    }
    return (sift_slice){ NULL, 0 };
}

/* A field after the message that is not one: Snare's counter or checksum. */
static int trailer(sift_slice f)
{
    size_t digits = 0, hex = 0;
    for (size_t i = 0; i < f.len; i++) {
        digits += f.ptr[i] >= '0' && f.ptr[i] <= '9';
        hex += sift_hex_digit(f.ptr[i]) >= 0;
    }
    return f.len && (digits == f.len || (f.len == 32 && hex == 32));
}

sift_status sift_snare_parse(sift_slice rec, uint64_t base, sift_snare_rec *r, sift_error *err)
{
    *r = (sift_snare_rec){ 0 };
    sift_cursor c = sift_cur_make(rec);
    sift_slice line = { NULL, 0 };
    sift_cur_take_line(&c, &line);
    size_t sep;
    const size_t at = find_token(line, &sep);
    if (at == line.len)
        return sift_fail(err, SIFT_ERR_SYNTAX, base, "no MSWinEventLog within 512 bytes of the line start");
    sift_slice prefix = sift_slice_sub(line, 0, at);
    if (prefix.len >= 4 && sift_slice_eq(sift_slice_sub(prefix, prefix.len - 4, 4), SIFT_LIT("#011")))
        prefix.len -= 4;
    r->host = prefix_host(prefix);
    if (sep == 0)
        return sift_fail(err, SIFT_ERR_SYNTAX, base + at + TOKEN_LEN, "no TAB after MSWinEventLog");
    r->escaped = sep == 4;
    const sift_slice delim = sep == 1 ? SIFT_LIT("\t") : SIFT_LIT("#011");

    sift_slice *const fixed[] = { &r->criticality, &r->log_name, &r->counter, &r->date,     NULL,
                                  &r->source,      &r->user,     &r->sid_type, &r->event_type, &r->computer,
                                  &r->category };
    enum { ID_FIELD = 4, N_FIXED = sizeof fixed / sizeof fixed[0] };
    sift_slice id = { NULL, 0 }, last = { NULL, 0 }, nonempty = { NULL, 0 }, nonempty_before_last = { NULL, 0 };
    size_t id_at = 0, rest = 0;
    for (size_t pos = at + TOKEN_LEN + sep;;) {
        const size_t end = pos + sift_slice_find(sift_slice_sub(line, pos, line.len), delim);
        const size_t stop = end < line.len ? end : line.len;
        const sift_slice f = sift_slice_trim(sift_slice_sub(line, pos, stop - pos));
        if (r->fields < N_FIXED) {
            if (r->fields == ID_FIELD) {
                id = f;
                id_at = f.len ? (size_t)(f.ptr - line.ptr) : pos;
            } else {
                *fixed[r->fields] = f;
            }
        } else {
            rest++;
            nonempty_before_last = nonempty;
            if (f.len)
                nonempty = f;
            last = f;
        }
        r->fields++;
        if (stop == line.len)
            break;
        pos = stop + delim.len;
    }
    if (r->fields < SIFT_SNARE_MIN_FIELDS)
        return sift_fail(err, SIFT_ERR_SYNTAX, base + line.len, "short MSWinEventLog record: fewer than 12 fields");
    r->message = rest >= 2 && trailer(last) ? nonempty_before_last : nonempty;
    uint64_t v;
    if (sift_num_u64(id, &v) != SIFT_OK || v > 0xffffu)
        return sift_fail(err, SIFT_ERR_NUMBER, base + id_at, "event id is not a number below 65536");
    r->event_id = (uint32_t)v;
    return SIFT_OK;
}

/* ---- dates ------------------------------------------------------------------ */

/* Month names as Snare writes them under English and French locales,
 * lower-cased, without a trailing '.'; French ones also without accents,
 * as relays that drop non-ASCII bytes leave them. */
static const struct {
    sift_slice name;
    uint8_t month;
} month_names[] = {
    { SIFT_LIT("jan"), 1 },      { SIFT_LIT("feb"), 2 },        { SIFT_LIT("mar"), 3 },
    { SIFT_LIT("apr"), 4 },      { SIFT_LIT("may"), 5 },        { SIFT_LIT("jun"), 6 },
    { SIFT_LIT("jul"), 7 },      { SIFT_LIT("aug"), 8 },        { SIFT_LIT("sep"), 9 },
    { SIFT_LIT("oct"), 10 },     { SIFT_LIT("nov"), 11 },       { SIFT_LIT("dec"), 12 },
    { SIFT_LIT("january"), 1 },  { SIFT_LIT("february"), 2 },   { SIFT_LIT("march"), 3 },
    { SIFT_LIT("april"), 4 },    { SIFT_LIT("june"), 6 },       { SIFT_LIT("july"), 7 },
    { SIFT_LIT("august"), 8 },   { SIFT_LIT("september"), 9 },  { SIFT_LIT("october"), 10 },
    { SIFT_LIT("november"), 11 }, { SIFT_LIT("december"), 12 }, { SIFT_LIT("janv"), 1 },
    { SIFT_LIT("janvier"), 1 },  { SIFT_LIT("févr"), 2 },       { SIFT_LIT("fevr"), 2 },
    { SIFT_LIT("février"), 2 },  { SIFT_LIT("fevrier"), 2 },    { SIFT_LIT("mars"), 3 },
    { SIFT_LIT("avr"), 4 },      { SIFT_LIT("avril"), 4 },      { SIFT_LIT("mai"), 5 },
    { SIFT_LIT("juin"), 6 },     { SIFT_LIT("juil"), 7 },       { SIFT_LIT("juillet"), 7 },
    { SIFT_LIT("août"), 8 },     { SIFT_LIT("aout"), 8 },       { SIFT_LIT("sept"), 9 },
    { SIFT_LIT("septembre"), 9 }, { SIFT_LIT("octobre"), 10 },  { SIFT_LIT("novembre"), 11 },
    { SIFT_LIT("déc"), 12 },     { SIFT_LIT("décembre"), 12 },  { SIFT_LIT("decembre"), 12 },
};

/* The month a date word names (1-12), or 0: an English or French name, or
 * "7月" as the Japanese locale abbreviates it. */
static unsigned month_of(sift_slice w)
{
    if (w.len && w.ptr[w.len - 1] == '.')
        w.len--;
    static const sift_slice tsuki = SIFT_LIT("\xE6\x9C\x88"); /* 月 */
    if (w.len > tsuki.len && w.len <= tsuki.len + 2 &&
        sift_slice_eq(sift_slice_make(w.ptr + w.len - tsuki.len, tsuki.len), tsuki)) {
        uint64_t m;
        if (sift_num_u64(sift_slice_make(w.ptr, w.len - tsuki.len), &m) == SIFT_OK && m >= 1 && m <= 12)
            return (unsigned)m;
        return 0;
    }
    for (size_t i = 0; i < sizeof month_names / sizeof month_names[0]; i++)
        if (sift_slice_eq_nocase(w, month_names[i].name))
            return month_names[i].month;
    return 0;
}

int sift_snare_time(sift_slice date, sift_when *w)
{
    *w = (sift_when){ 0 };
    date = sift_slice_trim(date);
    if (date.len == 0 || date.len > SIFT_SNARE_DATE_MAX)
        return 0;
    /* [weekday] month day time year: the words are counted, not searched,
     * because French "mar." is Tuesday before the month and March in it. */
    sift_slice words[6];
    size_t n = 0;
    sift_cursor c = sift_cur_make(date);
    while (!sift_cur_eof(&c) && n < sizeof words / sizeof words[0]) {
        sift_cur_skip_blanks(&c);
        words[n++] = sift_cur_take_token(&c);
    }
    sift_cur_skip_blanks(&c);
    const unsigned month = sift_cur_eof(&c) && (n == 4 || n == 5) ? month_of(words[n - 4]) : 0;
    if (month == 0) {
        sift_time_parse(date, w);
        return w->valid;
    }
    /* Spelled again in English, which sift_time_parse reads and checks. */
    static const char en[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    char buf[SIFT_SNARE_DATE_MAX + 8];
    size_t len = 0;
    memcpy(buf, en[month - 1], 3);
    len = 3;
    for (size_t i = n - 3; i < n; i++) {
        buf[len++] = ' ';
        memcpy(buf + len, words[i].ptr, words[i].len);
        len += words[i].len;
    }
    sift_time_parse(sift_slice_make(buf, len), w);
    return w->valid;
}

/* ---- the format ---------------------------------------------------------------- */

static sift_status snare_decode(sift_slice rec, uint64_t base, sift_event *ev, sift_error *err)
{
    sift_snare_rec r;
    const sift_status st = sift_snare_parse(rec, base, &r, err);
    *ev = (sift_event){ 0 };
    if (st != SIFT_OK)
        return st;
    ev->have = SIFT_EV_ID;
    ev->id = (uint16_t)r.event_id;
    ev->provider = r.source;
    ev->channel = r.log_name;
    ev->computer = r.computer.len && !sift_slice_eq_nocase(r.computer, SIFT_LIT("N/A")) ? r.computer : r.host;
    ev->time_text = r.date;
    sift_snare_time(r.date, &ev->time);
    ev->level = sift_evtext_level(r.event_type);
    ev->message = r.message;
    sift_message_fields(ev);
    return SIFT_OK;
}

static const sift_line_ops snare_line = { .frame = sift_snare_frame, .decode = snare_decode };

const sift_format sift_snare_format = {
    "snare",
    "Snare / syslog-forwarded MSWinEventLog TAB-separated records, English, French and Japanese dates",
    SIFT_PRODUCES_EVENTS,
    NULL,
    0,
    &snare_line,
    NULL,
    NULL,
};
