/* sift_time.c - timestamp parsing and ISO 8601 output, with no locale and no allocation. */
#include "sift_time.h"

#include "sift_cursor.h"

#define SECS_PER_DAY 86400
/* 9999-12-31T23:59:59: the last instant whose civil form has a 4-digit year. */
#define MAX_SECS INT64_C(253402300799)

/* The fields as written, before range checks. */
typedef struct civil {
    unsigned year, mon, day;
    unsigned hour, min, sec;
    uint32_t nsec;
    int32_t offset; /* seconds east of UTC, meaningful when utc */
    uint8_t utc;
    uint8_t sep;      /* the date separator of a year-last date; 0 for other forms */
    uint8_t meridiem; /* 1 when the clock carried AM or PM */
} civil;

/* Day of the year (0-based) on which each month starts, in a common year. */
static const uint16_t month_start[13] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365 };

static const char month_names[12][4] = { "jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec" };
static const char weekday_names[7][4] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Floor division and modulo: C truncates toward zero, calendars need floor. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    const int64_t r = a % b; /* not a - q * b: q * b overflows near INT64_MIN */
    return (r != 0 && (r < 0) != (b < 0)) ? r + b : r;
}

/* Leap years in [1, y), counted by the Gregorian rule even before 1582. */
static int64_t leaps_before(int64_t y)
{
    const int64_t p = y - 1;
    return floor_div(p, 4) - floor_div(p, 100) + floor_div(p, 400);
}

int64_t sift_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Fold an out-of-range month into the year so the table lookup stays in
     * bounds: the function promises no validation, not undefined behaviour. */
    int64_t mi = (int64_t)m - 1;
    y += floor_div(mi, 12);
    mi = floor_mod(mi, 12);
    int64_t days = (y - 1970) * 365 + leaps_before(y) - leaps_before(1970);
    days += month_start[mi] + (mi >= 2 && is_leap(y));
    return days + (int64_t)d - 1;
}

/* Inverse of sift_days_from_civil, by 400-, 100-, 4- and 1-year cycles counted
 * from 0001-01-01. Total over every int64 day count that secs / 86400 yields. */
static void civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    const int64_t n = days + 719162; /* 0001-01-01 .. 1970-01-01 */
    const int64_t q400 = floor_div(n, 146097);
    int64_t r = n - q400 * 146097;
    int64_t c100 = r / 36524;
    if (c100 == 4) /* the leap day closing a 400-year cycle */
        c100 = 3;
    r -= c100 * 36524;
    const int64_t q4 = r / 1461;
    r -= q4 * 1461;
    int64_t y1 = r / 365;
    if (y1 == 4) /* the leap day closing a 4-year cycle */
        y1 = 3;
    r -= y1 * 365;
    *y = q400 * 400 + c100 * 100 + q4 * 4 + y1 + 1;
    const int leap = is_leap(*y);
    unsigned mon = 1;
    while (mon < 12 && r >= month_start[mon] + (mon >= 2 && leap))
        mon++;
    *m = mon;
    *d = (unsigned)(r - (month_start[mon - 1] + (mon > 2 && leap))) + 1;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
    return (unsigned)(month_start[m] - month_start[m - 1]) + (m == 2 && is_leap(y));
}

/* Between min and max digits, and not followed by another digit: "2024" must
 * not be read as a year out of "20245". Only up to max + 1 digits are looked
 * at, so a long digit run costs nothing and cannot overflow. */
static int take_num(sift_cursor *c, size_t min, size_t max, unsigned *out)
{
    const size_t left = sift_cur_left(c);
    size_t n = 0;
    unsigned v = 0;
    while (n <= max && n < left && is_digit(c->buf[c->pos + n])) {
        if (n < max)
            v = v * 10 + (unsigned)(c->buf[c->pos + n] - '0');
        n++;
    }
    if (n < min || n > max)
        return 0;
    c->pos += n;
    *out = v;
    return 1;
}

/* Digits after the decimal mark: the first nine are kept (nanoseconds), any
 * further ones are dropped, as wevtutil's 7-digit ticks need no rounding. */
static int take_fraction(sift_cursor *c, uint32_t *nsec)
{
    uint32_t v = 0;
    size_t n = 0;
    while (!sift_cur_eof(c) && is_digit(c->buf[c->pos])) {
        if (n < 9) {
            v = v * 10 + (uint32_t)(c->buf[c->pos] - '0');
            n++;
        }
        c->pos++;
    }
    if (n == 0)
        return 0;
    for (; n < 9; n++)
        v *= 10;
    *nsec = v;
    return 1;
}

/* A three-letter English name from names that is not the start of a longer
 * word ("Tuesday" is not taken). */
static int take_name(sift_cursor *c, const char (*names)[4], unsigned count, unsigned *idx)
{
    const size_t left = sift_cur_left(c);
    if (3 > left)
        return 0;
    const uint8_t *p = c->buf + c->pos;
    if (left > 3 && is_alpha(p[3]))
        return 0;
    for (unsigned i = 0; i < count; i++) {
        if (sift_ascii_lower(p[0]) == names[i][0] && sift_ascii_lower(p[1]) == names[i][1] &&
            sift_ascii_lower(p[2]) == names[i][2]) {
            c->pos += 3;
            *idx = i;
            return 1;
        }
    }
    return 0;
}

/* H[H]:MM[:SS[.f]] (hour_min 1) or HH:MM[:SS[.f]] (hour_min 2). A comma is
 * also a decimal mark, as in ISO 8601 and European %TIME%. */
static int take_clock(sift_cursor *c, size_t hour_min, civil *t)
{
    sift_cursor k = *c;
    if (!take_num(&k, hour_min, 2, &t->hour) || !sift_cur_accept_byte(&k, ':') || !take_num(&k, 2, 2, &t->min))
        return 0;
    if (sift_cur_accept_byte(&k, ':')) {
        if (!take_num(&k, 2, 2, &t->sec))
            return 0;
        if (sift_cur_accept_byte(&k, '.') || sift_cur_accept_byte(&k, ',')) {
            if (!take_fraction(&k, &t->nsec))
                return 0;
        }
    }
    *c = k;
    return 1;
}

/* AM or PM (any case) as a whole word, applied to the hour. The 12-hour clock
 * runs 1..12, so "0:30 AM" and "13:00 PM" are refused. */
static int take_meridiem(sift_cursor *c, civil *t)
{
    sift_cursor k = *c;
    unsigned pm;
    if (sift_cur_accept_nocase(&k, SIFT_LIT("AM")))
        pm = 0;
    else if (sift_cur_accept_nocase(&k, SIFT_LIT("PM")))
        pm = 12;
    else
        return 0;
    const int next = sift_cur_peek(&k);
    if (is_alpha(next) || is_digit(next) || t->hour < 1 || t->hour > 12)
        return 0;
    t->hour = t->hour % 12 + pm;
    t->meridiem = 1;
    *c = k;
    return 1;
}

/* +hh, +hhmm or +hh:mm (or -). Real offsets stay within -12..+14 hours; up to
 * 23:59 is accepted so an odd but well-formed offset is not an error. */
static int take_offset(sift_cursor *c, civil *t)
{
    sift_cursor k = *c;
    int neg;
    if (sift_cur_accept_byte(&k, '+'))
        neg = 0;
    else if (sift_cur_accept_byte(&k, '-'))
        neg = 1;
    else
        return 0;
    /* The hours are the first two digits even when the minutes follow
     * without a colon (+0200), so take_num's "no digit after" rule cannot
     * apply to them. */
    unsigned hh, mm = 0;
    if (2 > sift_cur_left(&k) || !is_digit(k.buf[k.pos]) || !is_digit(k.buf[k.pos + 1]))
        return 0;
    hh = (unsigned)(k.buf[k.pos] - '0') * 10 + (unsigned)(k.buf[k.pos + 1] - '0');
    k.pos += 2;
    if (sift_cur_accept_byte(&k, ':') || is_digit(sift_cur_peek(&k))) {
        if (!take_num(&k, 2, 2, &mm))
            return 0;
    }
    if (hh > 23 || mm > 59)
        return 0;
    const int32_t off = (int32_t)(hh * 3600 + mm * 60);
    t->offset = neg ? -off : off;
    t->utc = 1;
    *c = k;
    return 1;
}

/* Zone names that mean UTC. Any other name is a local zone of unknown offset. */
static int is_utc_name(sift_slice name)
{
    return sift_slice_eq_nocase(name, SIFT_LIT("UTC")) || sift_slice_eq_nocase(name, SIFT_LIT("GMT")) ||
           sift_slice_eq_nocase(name, SIFT_LIT("Z"));
}

/* ISO: -MM-DD[(T|blanks)HH:MM[:SS[.f]][blanks][Z|UTC|GMT|offset]], after the year. */
static int parse_iso(sift_cursor *c, civil *t)
{
    if (!sift_cur_accept_byte(c, '-') || !take_num(c, 2, 2, &t->mon) || !sift_cur_accept_byte(c, '-') ||
        !take_num(c, 2, 2, &t->day))
        return 0;
    if (sift_cur_eof(c))
        return 1;
    if (!sift_cur_accept_byte(c, 'T') && !sift_cur_accept_byte(c, 't') && sift_cur_skip_blanks(c) == 0)
        return 0;
    if (!take_clock(c, 2, t))
        return 0;
    sift_cur_skip_blanks(c);
    if (sift_cur_eof(c))
        return 1;
    if (take_offset(c, t))
        return sift_cur_eof(c);
    const sift_slice zone = sift_cur_take_token(c);
    if (!is_utc_name(zone))
        return 0;
    t->utc = 1;
    return sift_cur_eof(c);
}

/* What may follow a slash date: nothing, or [,] blanks, a clock, [AM|PM]. */
static int parse_slash_time(sift_cursor *c, civil *t)
{
    if (sift_cur_eof(c))
        return 1;
    const int comma = sift_cur_accept_byte(c, ',');
    if (sift_cur_skip_blanks(c) == 0 && !comma)
        return 0;
    if (!take_clock(c, 1, t))
        return 0;
    sift_cur_skip_blanks(c);
    if (!sift_cur_eof(c) && !take_meridiem(c, t))
        return 0;
    return sift_cur_eof(c);
}

/* A year-last date, F<sep>S<sep>YYYY with the same separator twice, '/', '-' or '.'
 * (en-US and en-GB use '/', nl-NL and en-IN '-', de-DE and ru-RU '.'); the
 * first field is read. Which of F and S is the month is what orders allows:
 * one order alone, or with both the month first unless F cannot be a month. */
static int parse_year_last(sift_cursor *c, unsigned first, unsigned orders, civil *t)
{
    const int sep = sift_cur_peek(c);
    unsigned second;
    if ((sep != '/' && sep != '-' && sep != '.') || !sift_cur_accept_byte(c, (uint8_t)sep) ||
        !take_num(c, 1, 2, &second) || !sift_cur_accept_byte(c, (uint8_t)sep) || !take_num(c, 4, 4, &t->year))
        return 0;
    t->sep = (uint8_t)sep;
    orders &= SIFT_DATE_MDY | SIFT_DATE_DMY;
    if (orders == 0)
        return 0;
    if (orders == SIFT_DATE_DMY || (orders != SIFT_DATE_MDY && first > 12)) {
        t->day = first;
        t->mon = second;
    } else {
        t->mon = first;
        t->day = second;
    }
    return parse_slash_time(c, t);
}

/* YYYY/M/D; year read. */
static int parse_ymd(sift_cursor *c, civil *t)
{
    if (!sift_cur_accept_byte(c, '/') || !take_num(c, 1, 2, &t->mon) || !sift_cur_accept_byte(c, '/') ||
        !take_num(c, 1, 2, &t->day))
        return 0;
    return parse_slash_time(c, t);
}

/* date(1): Mon D HH:MM:SS [AM|PM] [ZONE] YYYY, after the weekday. */
static int parse_unix(sift_cursor *c, civil *t)
{
    unsigned mi;
    if (!take_name(c, month_names, 12, &mi) || sift_cur_skip_blanks(c) == 0 || !take_num(c, 1, 2, &t->day) ||
        sift_cur_skip_blanks(c) == 0 || !take_clock(c, 1, t) || sift_cur_skip_blanks(c) == 0)
        return 0;
    t->mon = mi + 1;
    if (take_meridiem(c, t) && sift_cur_skip_blanks(c) == 0)
        return 0;
    if (!is_digit(sift_cur_peek(c))) {
        if (!take_offset(c, t)) {
            const sift_slice zone = sift_cur_take_token(c);
            /* 1-6 letters: a zone abbreviation (the longest in tzdata have
             * five), not arbitrary text. */
            if (zone.len == 0 || zone.len > 6)
                return 0;
            for (size_t i = 0; i < zone.len; i++)
                if (!is_alpha(zone.ptr[i]))
                    return 0;
            if (is_utc_name(zone))
                t->utc = 1;
        }
        if (sift_cur_skip_blanks(c) == 0)
            return 0;
    }
    return take_num(c, 4, 4, &t->year) && sift_cur_eof(c);
}

/* Range checks, then the civil fields as seconds; offsets move local to UTC. */
static int to_when(const civil *t, sift_when *out)
{
    if (t->year < 1970 || t->year > 9999 || t->mon < 1 || t->mon > 12 || t->day < 1 ||
        t->day > days_in_month(t->year, t->mon) || t->hour > 23 || t->min > 59 || t->sec > 59)
        return 0;
    int64_t secs = sift_days_from_civil(t->year, t->mon, t->day) * SECS_PER_DAY;
    secs += (int64_t)t->hour * 3600 + (int64_t)t->min * 60 + t->sec;
    secs -= t->offset;
    /* An offset can push the instant across 1970 or 9999; refusing it keeps
     * every accepted time printable by sift_time_format and parseable again. */
    if (secs < 0 || secs > MAX_SECS)
        return 0;
    out->secs = secs;
    out->nsec = t->nsec;
    out->valid = 1;
    out->utc = t->utc;
    return 1;
}

/* The whole of s as one timestamp into *t, year-last dates read in orders. */
static int parse_civil(sift_slice s, unsigned orders, civil *t)
{
    /* The empty slice is {NULL, 0}; trimming it would do NULL + 0, which
     * UBSan rightly flags, so it is refused before any pointer arithmetic. */
    if (s.len == 0)
        return 0;
    sift_cursor c = sift_cur_make(sift_slice_trim(s));
    if (sift_cur_eof(&c))
        return 0;
    unsigned idx, first;
    int weekday = 0;

    if (take_name(&c, weekday_names, 7, &idx)) {
        const int comma = sift_cur_accept_byte(&c, ',');
        if (sift_cur_skip_blanks(&c) == 0 && !comma)
            return 0;
        weekday = 1;
    }
    /* The weekday is not checked against the date: the tools that print it
     * derive it from the date, and a mismatch says nothing about the time. */
    if (is_alpha(sift_cur_peek(&c)))
        return parse_unix(&c, t);
    if (!weekday && take_num(&c, 4, 4, &t->year))
        return sift_cur_peek(&c) == '-' ? parse_iso(&c, t) : parse_ymd(&c, t);
    if (take_num(&c, 1, 2, &first))
        return parse_year_last(&c, first, orders, t);
    return 0;
}

sift_status sift_time_parse_order(sift_slice s, unsigned orders, sift_when *out)
{
    static const sift_when none = { 0, 0, 0, 0 };
    *out = none;
    civil t = { 0 };
    if (!parse_civil(s, orders, &t) || !to_when(&t, out))
        return SIFT_ERR_SYNTAX;
    return SIFT_OK;
}

sift_status sift_time_parse(sift_slice s, sift_when *out)
{
    return sift_time_parse_order(s, SIFT_DATE_MDY | SIFT_DATE_DMY, out);
}

/* One reading of s in one order: 1 when it is a valid timestamp. */
static int reads_as(sift_slice s, unsigned order, civil *t)
{
    sift_when w;
    *t = (civil){ 0 };
    return parse_civil(s, order, t) && to_when(t, &w);
}

unsigned sift_time_orders(sift_slice s)
{
    civil t;
    unsigned orders = 0;
    if (reads_as(s, SIFT_DATE_MDY, &t)) {
        if (t.sep == 0)
            return SIFT_DATE_FIXED;
        orders |= SIFT_DATE_MDY;
    }
    if (reads_as(s, SIFT_DATE_DMY, &t)) {
        if (t.sep == 0)
            return SIFT_DATE_FIXED;
        orders |= SIFT_DATE_DMY;
    }
    return orders;
}

unsigned sift_time_default_order(sift_slice s)
{
    civil t;
    /* Either reading gives the separator and the clock: the order only
     * decides which field is the month. */
    if (!reads_as(s, SIFT_DATE_MDY, &t) && !reads_as(s, SIFT_DATE_DMY, &t))
        return 0;
    if (t.sep == 0)
        return 0;
    return t.sep == '/' && t.meridiem ? SIFT_DATE_MDY : SIFT_DATE_DMY;
}

/* Writes v in decimal with at least width digits; returns the length. */
static size_t put_dec(char *p, uint64_t v, size_t width)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    for (size_t i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    return n;
}

size_t sift_time_format(sift_when w, char *buf, size_t cap)
{
    if (buf == NULL || cap == 0)
        return 0;
    if (!w.valid) {
        buf[0] = '\0';
        return 0;
    }
    /* Built in a scratch buffer wide enough for any int64 secs (a 12-digit
     * year at worst), then copied as far as cap allows. */
    char tmp[48];
    size_t n = 0;
    const int64_t days = floor_div(w.secs, SECS_PER_DAY);
    const int64_t tod = floor_mod(w.secs, SECS_PER_DAY);
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0)
        tmp[n++] = '-';
    n += put_dec(tmp + n, y < 0 ? (uint64_t)(-y) : (uint64_t)y, 4);
    tmp[n++] = '-';
    n += put_dec(tmp + n, m, 2);
    tmp[n++] = '-';
    n += put_dec(tmp + n, d, 2);
    tmp[n++] = 'T';
    n += put_dec(tmp + n, (uint64_t)(tod / 3600), 2);
    tmp[n++] = ':';
    n += put_dec(tmp + n, (uint64_t)(tod / 60 % 60), 2);
    tmp[n++] = ':';
    n += put_dec(tmp + n, (uint64_t)(tod % 60), 2);
    if (w.utc)
        tmp[n++] = 'Z';
    if (n > cap - 1)
        n = cap - 1;
    memcpy(buf, tmp, n);
    buf[n] = '\0';
    return n;
}
