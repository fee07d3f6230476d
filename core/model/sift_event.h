/* sift_event.h - the one record every event format produces, and the
 * canonical fields rules read from it.
 *
 * A format parses its own layout (text labels, tab- or comma-separated
 * columns, XML, BinXML) into a sift_event. Rules never look at a layout: they
 * ask for a canonical field ("application", "exception code", "uptime"),
 * which the format fills from its message layouts or which
 * sift_event_resolve() fills from EventData, named or positional, through
 * one table (sift_fields.c). Every slice points into the bytes the format
 * was given (or into storage the caller of the format owns) and lives as
 * long as they do. */
#ifndef SIFT_EVENT_H
#define SIFT_EVENT_H

#include "sift_slice.h"
#include "sift_status.h"
#include "sift_time.h"

/* EventData items a format may hand over for one record; more are dropped
 * (counted in sift_event.data_dropped). Application Error 1000 has 15. */
#define SIFT_EVENT_MAX_DATA 64u

/* Fields rules ask for, whatever the format. The names printed in --dump
 * and used by user rules are in sift_fld_name(). Append only. */
typedef enum sift_fld {
    SIFT_FLD_APP_NAME = 0,    /* faulting application ("svchost.exe_TSGateway") */
    SIFT_FLD_APP_VERSION,
    SIFT_FLD_MODULE_NAME,     /* faulting module ("aaedge.dll") */
    SIFT_FLD_MODULE_VERSION,
    SIFT_FLD_EXCEPTION_CODE,  /* as written: 0xc0000005, c0000005, 3221225477 */
    SIFT_FLD_UPTIME,          /* seconds, decimal (EventLog 6013) */
    SIFT_FLD_SERVICE,         /* the service a Service Control Manager event names
                                 (7031/7034: its display name, "Remote Desktop Gateway") */
    SIFT_FLD_COUNT
} sift_fld;

/* One EventData item. name is empty for positional (unnamed) Data. */
typedef struct sift_data {
    sift_slice name;
    sift_slice value;
} sift_data;

/* Where a person finds a record: the input (an id from the run's path
 * table), the byte offset in the decoded stream (for UTF-16 input, in the
 * UTF-8 text logsift made of it), and the 1-based line of text formats, or
 * the record number of binary ones (0 when not known). */
typedef struct sift_evidence {
    uint32_t input;
    uint32_t chunk; /* .evtx: 1 + the number of the chunk holding the
                       record (0: not in a chunk); packed beside input to
                       keep evidence at 32 bytes */
    uint64_t offset;
    uint64_t line;
    uint64_t record;
} sift_evidence;

/* Levels as Windows numbers them; 0 when the record carries none. */
enum {
    SIFT_LEVEL_NONE = 0,
    SIFT_LEVEL_CRITICAL = 1,
    SIFT_LEVEL_ERROR = 2,
    SIFT_LEVEL_WARNING = 3,
    SIFT_LEVEL_INFO = 4,
    SIFT_LEVEL_VERBOSE = 5,
};

/* Bits of sift_event.have. */
enum {
    SIFT_EV_ID = 1u << 0,          /* id is valid */
    SIFT_EV_QUALIFIERS = 1u << 1,  /* qualifiers is valid */
    SIFT_EV_RECORD_ID = 1u << 2,   /* record_id is valid */
    SIFT_EV_MSG_QUOTED = 1u << 3,  /* message is the body of an RFC 4180
                                      field: "" in it stands for one " */
    SIFT_EV_TIME_GUESSED = 1u << 4, /* time's day/month order is a guess:
                                       the input has not settled it yet */
};

typedef struct sift_event {
    unsigned have;            /* SIFT_EV_* */
    uint16_t id;              /* event id, low 16 bits */
    uint16_t qualifiers;
    uint8_t level;            /* SIFT_LEVEL_* */
    uint64_t record_id;       /* EventRecordID */
    sift_slice provider;      /* "Application Error", "EventLog", "Tcpip" */
    sift_slice provider_guid; /* "{...}" when the format carries it */
    sift_slice channel;       /* "Application", "System" */
    sift_slice computer;      /* as written, FQDN or short; empty when unknown */
    sift_slice time_text;     /* the time as written, for messages */
    sift_when time;           /* valid 0 when absent or unreadable */
    sift_slice message;       /* the rendered message, when the format has one */
    const sift_data *data;    /* EventData (and UserData), in record order */
    size_t n_data;
    size_t data_dropped;      /* items past SIFT_EVENT_MAX_DATA */
    sift_slice binary;        /* EventData/Binary as raw bytes (.evtx);
                                 empty when absent or given only as text */
    sift_slice fld[SIFT_FLD_COUNT]; /* canonical fields; empty when unknown */
    sift_evidence where;
} sift_event;

/* Static name of a canonical field: "application", "exception_code", ...;
 * "unknown" outside the enum. Never NULL. */
const char *sift_fld_name(sift_fld f);

/* Fill every canonical field the format left empty from ev->data, through
 * the table of (provider, event id) layouts: named Data first (AppName,
 * ExceptionCode, and Winlogbeat's param1..paramN), then positional Data
 * (Application Error 1000: Data[0] application, Data[6] exception code;
 * EventLog 6013: Data[4] uptime; Windows Error Reporting 1001: P1..P10 at
 * Data[5..14]; Service Control Manager 7031/7034: Data[0] service). Providers compare ASCII case-insensitively.
 * Fields the format filled are kept. Does nothing for an event without
 * SIFT_EV_ID or without data. */
void sift_event_resolve(sift_event *ev);

#endif
