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

/* Parse the whole of s (surrounding blanks ignored) as one timestamp. Accepted:
 *  - ISO 8601: 2024-07-23T12:00:00, optional .fraction (up to 9 digits kept),
 *    optional Z or +hh:mm / -hh:mm / +hhmm; a space may replace the T.
 *  - US (Event Viewer, en-US %DATE% %TIME%): [Weekday ]M/D/YYYY[,] h:mm[:ss[.ff]] [AM|PM]
 *    Day-first D/M/YYYY is taken when the first field is > 12.
 *  - Y/M/D (ja-JP %DATE% %TIME%, ja Event Viewer): YYYY/MM/DD[,] H:MM[:SS[.ff]] (hour may
 *    be space-padded, as %TIME% prints it)
 *  - date(1): Tue Jul 23 12:00:00 [ZONE] 2024 (ZONE of UTC, GMT or Z makes it
 *    UTC; +hhmm offsets are applied; any other zone name is local)
 * Returns SIFT_OK, or SIFT_ERR_SYNTAX when s is not exactly one timestamp
 * (trailing text other than blanks is an error). Range-checks every field
 * (month 1-12, day within the month, leap years, hour < 24, ...). */
sift_status sift_time_parse(sift_slice s, sift_when *out);

/* The civil time as ISO 8601, "2024-07-23T12:00:00Z" when utc, else without
 * the Z. Seconds only. Writes a NUL-terminated string into buf (at least 32
 * bytes) and returns its length. */
size_t sift_time_format(sift_when w, char *buf, size_t cap);

/* Days since 1970-01-01 for a proleptic Gregorian date (no validation). */
int64_t sift_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
