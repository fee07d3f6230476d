/* sift_snare.h - Windows events as the Snare agent forwards them: one
 * TAB-separated MSWinEventLog record per line, usually behind a syslog
 * header.
 *
 *   <13>Jul 10 09:00:00 RDG01 MSWinEventLog<TAB>1<TAB>Application<TAB>101<TAB>
 *   Wed Jul 10 09:00:00 2024<TAB>1000<TAB>Application Error<TAB>N/A<TAB>N/A<TAB>
 *   Error<TAB>RDG01.corp.example.com<TAB>(100)<TAB>Faulting application ...<TAB>101
 *
 * Whatever precedes MSWinEventLog (an RFC 3164 or 5424 header, a bare host
 * name, nothing) is the prefix. After it the fields are, in order:
 * criticality, log name, Snare counter, date, event id, source, user, SID
 * type, event type, computer, category, then the rest: the expanded message,
 * with, by version, an empty data string before it and a counter or MD5
 * checksum after it. The message is the last non-empty field of the rest,
 * leaving out a last field of digits or 32 hex digits when the rest has two
 * fields or more. Snare writes the message's line ends and TABs as spaces, so
 * the message layouts read it flattened (sift_message.h).
 *
 * The date is the agent's locale's: "Wed Jul 10 09:00:00 2024", in French
 * "mer. juil. 10 09:00:00 2024" (day and month names, abbreviated or
 * not, accented or not), in Japanese "水 7月 10 18:00:00 2024"; other
 * shapes sift_time_parse reads are taken as they are. The time is local.
 * Relays that escape control bytes (rsyslog writes a TAB as "#011") are read
 * alike.
 *
 * A line format: records are found inside any text (syslog files holding
 * every source) by the rule triggers on their line. No I/O, no state, no
 * allocation; time linear in the line. */
#ifndef SIFT_SNARE_H
#define SIFT_SNARE_H

#include "sift_format.h"

/* MSWinEventLog must start within this many bytes of its line: a syslog
 * header and a host name fit many times over, and the search per line stays
 * bounded. */
#define SIFT_SNARE_PREFIX_MAX 512u

/* Fields after MSWinEventLog up to and including the first of the rest: a
 * line with fewer is a short record. */
#define SIFT_SNARE_MIN_FIELDS 12u

/* The longest date field read; a longer one has no time. */
#define SIFT_SNARE_DATE_MAX 64u

/* One parsed record; slices point into the line, trimmed of blanks. */
typedef struct sift_snare_rec {
    sift_slice host;        /* the prefix's last word, "-" words skipped:
                               the syslog host, or Snare's own host field */
    sift_slice criticality;
    sift_slice log_name;    /* "Application", "System", "Security" */
    sift_slice counter;
    sift_slice date;        /* as written */
    sift_slice source;      /* "Application Error", "EventLog" */
    sift_slice user;
    sift_slice sid_type;
    sift_slice event_type;  /* "Error", "Information", "Success Audit" */
    sift_slice computer;
    sift_slice category;
    sift_slice message;
    size_t fields;          /* fields after MSWinEventLog */
    uint32_t event_id;      /* below 65536 */
    uint8_t escaped;        /* fields separated by "#011", not TAB */
} sift_snare_rec;

/* 1 when line holds the word MSWinEventLog starting within
 * SIFT_SNARE_PREFIX_MAX bytes (decode() then judges the rest, so a record
 * whose TABs were lost is reported, not passed over). */
int sift_snare_frame(sift_slice line);

/* Parse the record on the first line of rec (lines after it are not part of
 * it); base is the stream offset of rec.ptr[0]. When MSWinEventLog occurs
 * more than once, the first one followed by a separator is the record's.
 * Returns SIFT_OK, or
 *  SIFT_ERR_SYNTAX  no MSWinEventLog word within SIFT_SNARE_PREFIX_MAX bytes
 *                   (offset base), or no TAB (nor "#011") after it (offset
 *                   of the byte after it), or fewer than
 *                   SIFT_SNARE_MIN_FIELDS fields (offset of the line end);
 *  SIFT_ERR_NUMBER  the event id is not a decimal number below 65536
 *                   (offset of the field).
 * *r is fully written in every case (fields read before the error are kept).
 * err may be NULL and is untouched on SIFT_OK. */
sift_status sift_snare_parse(sift_slice rec, uint64_t base, sift_snare_rec *r, sift_error *err);

/* A Snare date (see above) as a local time; 1 when *w is set, else 0 with
 * *w zeroed. Reads only date.ptr[0, date.len). */
int sift_snare_time(sift_slice date, sift_when *w);

/* The format: frame() and decode() into the event model (provider, channel,
 * computer, or the prefix's host when the computer field is empty or N/A,
 * id, level from the event type, time, message and the canonical fields of
 * its message layout). No prefilter patterns of its own. */
extern const sift_format sift_snare_format;

#endif
