/* sift_splunk.h - Windows events as Splunk stores and exports them: the
 * classic WinEventLog key=value records.
 *
 * A record is a header line with the event's local time in the exporting
 * locale, then one Key=Value per line, Message= last and running over the
 * lines after it to the next record:
 *
 *   07/10/2024 09:00:00 AM
 *   LogName=Application
 *   SourceName=Application Error
 *   EventCode=1000
 *   ...
 *   Message=Faulting application name: svchost.exe_TSGateway, ...
 *   Faulting module name: aaedge.dll, ...
 *
 * Single-line variants hold several keys on one line, separated by blanks
 * (`07/10/2024 09:00:00 AM LogName=System Sourcename=EventLog EventCode=6013
 * ComputerName=... Message=...`, or the same without the date), and some
 * exports open with a `Date=` key instead of the bare date. Keys are matched
 * ASCII case-insensitively (SourceName and the older Sourcename are one key;
 * Source is an alias), only at a line start or after a blank; a value runs to
 * the next known key on its line or to the line end. Message is the last key:
 * nothing after it is a key.
 *
 * This is a line format: the engine finds records inside any text (SIEM
 * exports that mix sources, triage dumps) by walking back from a rule's
 * trigger to the record's first line. No I/O, no state, no allocation; time
 * linear in the record. */
#ifndef SIFT_SPLUNK_H
#define SIFT_SPLUNK_H

#include "sift_format.h"

/* The longest header date: "Wednesday, 07/10/2024 09:00:00.0000000 AM" and
 * its like fit; a line whose date part is longer opens no record. */
#define SIFT_SPLUNK_DATE_MAX 48u

/* Which fields a record carried (bits of sift_splunk_rec.have); a bit is set
 * exactly when its slice is non-empty, SIFT_SPLUNK_HAS_EVENT_CODE when
 * event_code is valid. */
enum {
    SIFT_SPLUNK_HAS_DATE = 1u << 0,
    SIFT_SPLUNK_HAS_LOG_NAME = 1u << 1,
    SIFT_SPLUNK_HAS_SOURCE = 1u << 2,
    SIFT_SPLUNK_HAS_EVENT_CODE = 1u << 3,
    SIFT_SPLUNK_HAS_EVENT_TYPE = 1u << 4,
    SIFT_SPLUNK_HAS_TYPE = 1u << 5,
    SIFT_SPLUNK_HAS_COMPUTER = 1u << 6,
    SIFT_SPLUNK_HAS_RECORD_NUMBER = 1u << 7,
    SIFT_SPLUNK_HAS_MESSAGE = 1u << 8,
};

/* One parsed record; slices point into the bytes given to sift_splunk_parse,
 * trimmed of blanks and CR. The first occurrence of a key wins; an empty
 * value counts as absent (a later one may still supply it). */
typedef struct sift_splunk_rec {
    unsigned have;
    unsigned keys;            /* known keys seen, counting repeats */
    sift_slice date;          /* the header date (or Date=), as written */
    sift_slice log_name;      /* LogName: "Application", "System" */
    sift_slice source;        /* SourceName, Sourcename or Source */
    sift_slice event_type;    /* EventType: the level as a number */
    sift_slice type;          /* Type: the level as a name */
    sift_slice computer;      /* ComputerName */
    sift_slice record_number; /* RecordNumber */
    sift_slice message;       /* Message: to the end of the record, or of the
                                 line when it is on the first line (a
                                 single-line record); trimmed */
    uint32_t event_code;      /* EventCode, below 65536 */
} sift_splunk_rec;

/* 1 when line opens a record: a header date alone (year-last or Y/M/D with a
 * time of day: not ISO 8601, which capture scripts print above tables), a
 * header date followed by keys, a Date= key holding such a date, or a line
 * that starts with a key and holds EventCode= too (a single-line record).
 * Lines with one key each, the layout's body, never open one. Reads only
 * line.ptr[0, line.len). */
int sift_splunk_frame(sift_slice line);

/* Parse one framed record (its first line must be one sift_splunk_frame
 * accepts); base is the stream offset of rec.ptr[0], for error offsets.
 * Lines after the first are read when they start (after blanks) with a known
 * key; other lines before Message= are ignored. A record cut anywhere parses
 * as far as it goes. Returns SIFT_OK (also for a header line followed by no
 * known key at all, which is not a record: keys is then 0 and no
 * EventCode is set), or
 *  SIFT_ERR_SYNTAX  rec does not begin with a frame line (offset base);
 *  SIFT_ERR_MISSING keys but no EventCode with a value (offset base);
 *  SIFT_ERR_NUMBER  EventCode is not a decimal number below 65536 (offset
 *                   of the value).
 * *r is fully written in every case (zeroed on SIFT_ERR_SYNTAX). err may be
 * NULL and is untouched on SIFT_OK. */
sift_status sift_splunk_parse(sift_slice rec, uint64_t base, sift_splunk_rec *r, sift_error *err);

/* The header date as a time: local (utc 0). A date readable in both
 * day/month orders is read in the default order of its shape
 * (sift_time_default_order: month first with AM/PM, as en-US writes it; day
 * first otherwise). Returns 1 when *w is set, else 0 with *w zeroed. */
int sift_splunk_time(sift_slice date, sift_when *w);

/* The format: frame() and decode() into the event model (provider, channel,
 * computer, id, level from Type (English or Japanese names) or else a 1-5
 * EventType, record_id from RecordNumber, time, message, and the canonical
 * fields its message layout gives). No prefilter patterns of its own: rules'
 * triggers find its records. */
extern const sift_format sift_splunk_format;

#endif
