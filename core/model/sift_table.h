/* sift_table.h - what connection tables and host inventories leave in the
 * model: a snapshot of a connection table, and facts about a host.
 *
 * Formats that read tables produce snapshots; table rules verify a snapshot
 * into an observation, as event rules verify an event. Host facts (OS,
 * build, boot time, installed KBs, time zone) come from inventories
 * (systeminfo, hotfix lists) and, for verdicts, from events that carry them;
 * the host table keeps them per host. Slices point into the caller's bytes
 * and live as long as they do. */
#ifndef SIFT_TABLE_H
#define SIFT_TABLE_H

#include "sift_event.h"

typedef enum sift_tcp_state {
    SIFT_TCP_NONE = 0,   /* no state column (UDP rows) */
    SIFT_TCP_LISTEN,
    SIFT_TCP_SYN_SENT,
    SIFT_TCP_SYN_RECEIVED,
    SIFT_TCP_ESTABLISHED,
    SIFT_TCP_FIN_WAIT_1,
    SIFT_TCP_FIN_WAIT_2,
    SIFT_TCP_CLOSE_WAIT,
    SIFT_TCP_CLOSING,
    SIFT_TCP_LAST_ACK,
    SIFT_TCP_TIME_WAIT,
    SIFT_TCP_CLOSED,
    SIFT_TCP_BOUND,
    SIFT_TCP_OTHER,      /* a state word not in this table */
    SIFT_TCP_STATES
} sift_tcp_state;

/* One connection table as captured. A reader counts what its prefilter
 * finds: the text scanner counts TIME_WAIT rows only (the other states are
 * never looked at), so counts[] holds what the reader says it counted
 * (counted bit i: counts[i] is known). */
typedef struct sift_snapshot {
    sift_slice host;   /* named by a host line above it; empty: unknown */
    sift_when time;    /* valid 0: undated */
    uint64_t counts[SIFT_TCP_STATES];
    uint32_t counted;  /* bit per state whose count is known */
    uint64_t rows;     /* rows counted in all */
    uint8_t open;      /* a live table still arriving: counts may grow */
    sift_evidence where;
} sift_snapshot;

/* KB numbers a host fact carries at most; a longer hotfix list is cut and
 * marked incomplete. */
#define SIFT_FACT_MAX_KBS 1024u

/* What an inventory says about a host. Any field may be unknown (empty,
 * 0, or valid 0). */
typedef struct sift_host_fact {
    sift_slice host;
    sift_slice os_name;    /* "Microsoft Windows Server 2008 R2 Enterprise" */
    sift_slice os_version; /* as written: "6.1.7601 Service Pack 1 Build 7601" */
    uint16_t major, minor; /* 6.1; 0.0 when unknown */
    uint32_t build;        /* 7601; 0 when unknown */
    uint32_t ubr;          /* update build revision (20348.2582: 2582); 0 when unknown */
    sift_when boot_time;
    sift_slice time_zone;  /* as written: "(UTC+09:00) Osaka, Sapporo, Tokyo" */
    const uint32_t *kbs;   /* KB numbers, any order, duplicates allowed */
    size_t n_kbs;
    uint8_t kbs_complete;  /* 0: the list was cut (systeminfo truncates): a
                              KB absent from it is unknown, not missing */
    sift_evidence where;
    sift_when installed;   /* original install date */
    /* When the inventory was taken: its own clock (LocalDateTime), or a
     * timestamp line right above it. valid 0: unknown. */
    sift_when captured;
    /* The host's offset from UTC as the inventory states it ("(UTC+09:00)"
     * is the zone's standard offset; CurrentTimeZone and wmic datetimes
     * give the offset in force). Used only to compare a local time with a
     * UTC one. */
    int32_t utc_offset_min;
    uint8_t has_utc_offset;
    /* In the host table's view only (ignored on input): where the OS and
     * the KB list it holds were last stated. */
    sift_evidence os_where;
    sift_evidence kbs_where;
} sift_host_fact;

/* The OS an event states about its host, into *f: EventLog 6013 carries
 * the product name and version (6.1.7601 ...) in its Binary (B.2). Text is
 * written to buf[0, cap), which f's slices point into with ev's computer.
 * Returns 1 when the event states one. */
int sift_event_os_fact(const sift_event *ev, sift_host_fact *f, char *buf, size_t cap);

/* Major, minor and build of a version as Windows writes it ("6.1.7601
 * Service Pack 1 Build 7601", "10.0.20348", "6.3") into f; f is left
 * unchanged when v does not start with at least major.minor. */
void sift_fact_version(sift_slice v, sift_host_fact *f);

/* The uptime when the inventory was taken: 1 with *secs when the boot and
 * capture times are both known and in order. A local time is compared with
 * a UTC one through utc_offset_min when known, else as if both were UTC
 * (off by the host's offset, at most 14 hours). */
int sift_fact_uptime(const sift_host_fact *f, uint64_t *secs);

#endif
