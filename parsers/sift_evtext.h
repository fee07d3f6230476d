/* sift_evtext.h - Windows event records rendered as text.
 *
 * Two layouts, both "Label: value" lines:
 *  - Event Viewer "Copy details as text" and saved .txt: labels at column 0,
 *    "Log Name:" (also "LogName:") first, "Description:" last with the message
 *    on the following lines; records may be separated by "---" lines.
 *  - wevtutil qe /f:text: an "Event[N]:" line, then two-space-indented labels
 *    ("  Log Name: System"), "  Description: " last with the message from the
 *    next line at column 0, running until the next "Event[N]:".
 * CRLF or LF line ends. Labels are also recognised as the ja-JP Event Viewer
 * writes them ("ログの名前:", "ソース:", "日付:", "イベント ID:", "レベル:",
 * "コンピューター:", "説明:"), in UTF-8. The engine frames records (with
 * Hyperscan) and hands each whole record here; this module does no I/O, keeps
 * no state, allocates nothing, and runs in time linear in the record. */
#ifndef SIFT_EVTEXT_H
#define SIFT_EVTEXT_H

#include "sift_slice.h"
#include "sift_status.h"
#include "sift_format.h"

/* Records longer than this are cut here by the engine before parsing. */
#define SIFT_EVTEXT_MAX_RECORD (256u * 1024u)

typedef enum sift_evtext_style {
    SIFT_EVTEXT_VIEWER = 1,
    SIFT_EVTEXT_WEVTUTIL = 2,
} sift_evtext_style;

/* Which fields a record carried (bits of sift_evtext_rec.have). A bit is set
 * exactly when its slice is non-empty; SIFT_EVTEXT_HAS_EVENT_ID when event_id holds
 * a valid number. */
enum {
    SIFT_EVTEXT_HAS_LOG_NAME = 1u << 0,
    SIFT_EVTEXT_HAS_SOURCE = 1u << 1,
    SIFT_EVTEXT_HAS_DATE = 1u << 2,
    SIFT_EVTEXT_HAS_EVENT_ID = 1u << 3,
    SIFT_EVTEXT_HAS_LEVEL = 1u << 4,
    SIFT_EVTEXT_HAS_COMPUTER = 1u << 5,
    SIFT_EVTEXT_HAS_DESCRIPTION = 1u << 6,
};

/* One parsed record. Every slice points into the record given to
 * sift_evtext_parse and lives as long as it. Values are trimmed of blanks and
 * CR; absent fields are empty slices. A label line with an empty value counts
 * as absent (a later line with the same label may still supply it). */
typedef struct sift_evtext_rec {
    sift_evtext_style style;
    unsigned have;
    sift_slice log_name;    /* "Application", "System" */
    sift_slice source;      /* "Application Error", "EventLog", "Tcpip" */
    sift_slice date;        /* as written; see sift_time_parse */
    sift_slice level;
    sift_slice computer;    /* as written, FQDN or short name */
    sift_slice description; /* the message: all lines after the Description
                               label (and any text on its own line), trimmed,
                               with trailing separator lines (3 or more '-',
                               blanks around them allowed) removed */
    uint32_t event_id;      /* valid when have & SIFT_EVTEXT_HAS_EVENT_ID */
} sift_evtext_rec;

/* The style of record that line opens: SIFT_EVTEXT_WEVTUTIL for "Event[N]:",
 * SIFT_EVTEXT_VIEWER for a Log Name label at column 0, or 0 when line opens no
 * record. line is one line without its line end (a trailing CR is allowed). */
sift_evtext_style sift_evtext_frame(sift_slice line);

/* Parse one framed record. rec must begin with its frame line ("Log Name:",
 * "LogName:", "ログの名前:" or "Event[N]:", at column 0); base is the stream
 * offset of rec.ptr[0], used for error offsets. Label lines may be indented
 * in either layout; unknown labels are ignored; the first occurrence of each
 * label wins; lines after the Description label are never labels. Labels are
 * matched case-sensitively as Windows writes them. A record cut anywhere is
 * parsed as far as it goes. rec may be empty; nothing past rec.len is read.
 * Returns SIFT_OK, or
 *  SIFT_ERR_SYNTAX   rec does not begin with a frame line (offset base),
 *  SIFT_ERR_MISSING  no Event ID line with a value (offset base),
 *  SIFT_ERR_NUMBER   the first Event ID value is not a decimal number below
 *                    65536 (offset of the value).
 * *ev is fully written in every case: zeroed on SIFT_ERR_SYNTAX, otherwise
 * with every other field found. err may be NULL and is untouched on SIFT_OK. */
sift_status sift_evtext_parse(sift_slice rec, uint64_t base, sift_evtext_rec *ev, sift_error *err);

/* The format as the engine sees it: patterns that frame records and flag
 * event id labels, and decode() into the event model. */
extern const sift_format sift_evtext_format;

/* Windows level names, English and Japanese ("Information", "情報", ...), to
 * SIFT_LEVEL_*; SIFT_LEVEL_NONE for anything else. */
uint8_t sift_evtext_level(sift_slice name);

#endif
