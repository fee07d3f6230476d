/* sift_time.h - timestamps as Windows and Unix tools print them.
 *
 * A sift_when is a civil date and time counted in seconds since 1970-01-01
 * 00:00:00 of the same calendar. When `utc` is set it is a true UTC instant
 * (the text carried Z, an offset or a UTC zone name); otherwise it is the
 * wall-clock time of an unknown zone ("local"), still fine for ordering and
 * intervals within one host. */
#ifndef SIFT_TIME_H
#define SIFT_TIME_H

#include "sift_slice.h"
#include "sift_status.h"

typedef struct sift_when {
    int64_t secs;  /* seconds since the epoch of the civil calendar */
    uint32_t nsec; /* fraction, 0..999999999 */
    uint8_t valid; /* 0: no time known */
    uint8_t utc;   /* 1: secs is UTC; 0: local wall-clock time */
} sift_when;

/* a is earlier than b (their valid flags not looked at). */
static inline int sift_when_before(sift_when a, sift_when b)
{
    return a.secs < b.secs || (a.secs == b.secs && a.nsec < b.nsec);
}

/* Parse the whole of s (surrounding blanks ignored) as one timestamp. Accepted:
 *  - ISO 8601: 2024-07-23T12:00:00, optional .fraction (up to 9 digits kept,
 *    more are dropped), optional Z or +hh:mm / -hh:mm / +hhmm / +hh; a space
 *    may replace the T, blanks may precede the zone, and UTC or GMT may stand
 *    for Z. Seconds may be left out (12:00). Month, day, hour, minute and
 *    second are two digits each.
 *  - Year-last dates (Event Viewer in most locales, en-US %DATE% %TIME%):
 *    [Weekday[,] ]M/D/YYYY[,] h:mm[:ss[.ff]] [AM|PM], with '/', '-' or '.' as
 *    the date separator (the same one twice): 7/1/2025 5:53:27 PM (en-US),
 *    01/07/2025 17:53:27 (en-GB), 01-07-2025 (nl-NL, en-IN), 01.07.2025
 *    (de-DE). The month is the first field unless that is > 12; see
 *    sift_time_parse_order for a given order.
 *  - Y/M/D (ja-JP %DATE% %TIME%, ja Event Viewer): YYYY/MM/DD[,] H:MM[:SS[.ff]] (hour may
 *    be space-padded, as %TIME% prints it); AM|PM allowed as for US.
 *  - Date only, as `date /t` prints it: [Weekday ]M/D/YYYY, YYYY/MM/DD,
 *    YYYY-MM-DD; the time is 00:00:00 local.
 *  - date(1): [Tue ]Jul 23 12:00:00 [AM|PM] [ZONE] 2024 (ZONE of UTC, GMT or Z
 *    makes it UTC; +hh, +hhmm or +hh:mm offsets are applied; any other name of
 *    1-6 letters is a local zone).
 * Weekdays and months are English three-letter names in any case; the weekday
 * is not checked against the date. With AM/PM the hour must be 1..12 (12 AM
 * is 00, 12 PM is 12). A decimal comma is accepted in place of the point.
 * Returns SIFT_OK, or SIFT_ERR_SYNTAX when s is not exactly one timestamp
 * (trailing text other than blanks is an error). Range-checks every field
 * (year 1970-9999, month 1-12, day within the month, leap years, hour < 24,
 * minute and second < 60, offset hours < 24); the instant after applying the
 * offset must also lie in 1970-01-01T00:00:00Z..9999-12-31T23:59:59Z, so every
 * accepted time formats and re-parses to the same secs. Reads only s.ptr[0,
 * s.len). On error *out is zeroed (valid 0). No allocation, no locale. */
sift_status sift_time_parse(sift_slice s, sift_when *out);

/* Day/month orders of a year-last date (bits). */
enum {
    SIFT_DATE_MDY = 1u << 0,   /* month first: 7/13/2025 */
    SIFT_DATE_DMY = 1u << 1,   /* day first: 13/7/2025 */
    SIFT_DATE_FIXED = 1u << 2, /* sift_time_orders only: the form leaves no
                                  order to decide (ISO, Y/M/D, date(1)) */
};

/* sift_time_parse with the day/month order of year-last dates given:
 * orders SIFT_DATE_MDY or SIFT_DATE_DMY reads them in that order only (a
 * date that does not fit it, 13/7/2025 as MDY, is an error); both bits is
 * sift_time_parse itself (month first unless the first field is > 12); with
 * neither, year-last dates are refused. Other forms and every other rule are
 * those of sift_time_parse. Same returns; reads only s.ptr[0, s.len). */
sift_status sift_time_parse_order(sift_slice s, unsigned orders, sift_when *out);

/* Which day/month orders read the whole of s as a valid timestamp:
 * SIFT_DATE_MDY only (7/13/2025), SIFT_DATE_DMY only (13/07/2025), both (the
 * date is ambiguous: 01/07/2025; also when both readings are the same day,
 * 01/01/2025), SIFT_DATE_FIXED for a valid timestamp of a form without the
 * question (2025-07-01, 2025/07/01), or 0 when s is no valid timestamp in
 * any order. Reads only s.ptr[0, s.len). */
unsigned sift_time_orders(sift_slice s);

/* The order a year-last date is most likely written in when nothing else
 * tells: SIFT_DATE_MDY for '/' with AM/PM (en-US, the common locale that
 * pairs slashes with a 12-hour clock), SIFT_DATE_DMY otherwise ('/' with a
 * 24-hour clock: en-GB, fr-FR, es-ES; '-': nl-NL, en-IN; '.': de-DE, ru-RU).
 * A locale that writes the day first with a 12-hour clock is read wrongly by
 * this rule alone; callers with more dates of the same writer should decide
 * from one whose order is not in doubt (sift_time_orders). 0 when s is not a valid
 * year-last timestamp in either order. */
unsigned sift_time_default_order(sift_slice s);

/* The civil time as ISO 8601, "2024-07-23T12:00:00Z" when utc, else without
 * the Z. Seconds only (nsec is not printed). Writes a NUL-terminated string
 * into buf and returns its length (strlen of what was written). 32 bytes hold
 * any time sift_time_parse returns; a smaller cap truncates the text, still
 * NUL-terminated. cap 0 or buf NULL writes nothing and returns 0. A sift_when
 * with valid 0 gives the empty string. Any int64 secs is handled (years
 * beyond 9999 or before 1 print with more digits or a sign). */
size_t sift_time_format(sift_when w, char *buf, size_t cap);

/* Days since 1970-01-01 for a proleptic Gregorian date (no validation: a day
 * past the month's end counts on into the next month, and a month outside
 * 1..12 is folded into the year). Defined for |y| up to 10^12. */
int64_t sift_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
