/* sift_hosts.h - per-host correlation of verified observations into findings.
 *
 * Host names are correlated case-insensitively and an FQDN with its short
 * name ("RDG01.corp.example.com" and "rdg01" are one host); the longest
 * spelling seen is the one printed. Memory is bounded: at most SIFT_MAX_HOSTS
 * hosts, and per host at most SIFT_MAX_CRASH_TIMES crash times and
 * SIFT_MAX_SNAPSHOTS snapshot samples (the newest are kept). */
#ifndef SIFT_HOSTS_H
#define SIFT_HOSTS_H

#include "sift_rules.h"
#include "sift_slice.h"
#include "sift_status.h"
#include "sift_time.h"

#define SIFT_MAX_HOSTS (256u * 1024u)
#define SIFT_MAX_CRASH_TIMES 4096u
#define SIFT_MAX_SNAPSHOTS 256u
#define SIFT_EVIDENCE_MAX 4u /* the first three and the latest */
#define SIFT_HOST_NAME_MAX 255u
#define SIFT_MODULE_MAX 63u

/* Where a person finds a record: path, byte offset in the decompressed (and,
 * for UTF-16 input, transcoded) stream, and 1-based line number. */
typedef struct sift_evidence {
    uint32_t path; /* id from sift_hosts_path() */
    uint64_t offset;
    uint64_t line;
} sift_evidence;

/* One (host, rule) aggregate, as printed. */
typedef struct sift_finding {
    sift_rule_id rule;
    sift_severity severity;
    const char *host; /* owned by the table; valid until sift_hosts_free */
    size_t host_len;
    sift_when first_seen, last_seen;
    uint8_t any_local; /* some observation had a local (zone-less) time */
    uint64_t count;    /* verified records or snapshots behind the finding */
    sift_evidence ev[SIFT_EVIDENCE_MAX];
    size_t n_ev;
    union {
        struct {
            int64_t median_interval_s; /* -1 when fewer than 2 dated crashes */
            uint8_t periodic;
            char module[SIFT_MODULE_MAX + 1]; /* faulting module of the latest crash */
        } rdgw;
        struct {
            uint64_t uptime_s;  /* the largest reported */
            sift_when at;       /* when that was reported */
            sift_when crosses;  /* projected 497.1-day crossing, when below it */
            uint8_t rebooted;   /* a later report shows less uptime */
        } uptime;
        struct {
            uint64_t last, max;
            uint32_t range;
            uint32_t pct_max; /* max * 100 / range, rounded down */
            uint8_t rising;
            sift_when max_at;
        } tw;
        struct {
            uint64_t n4227, n4231;
        } tcpip;
    } m;
} sift_finding;

typedef void (*sift_rise_fn)(void *ctx, const sift_finding *f);

typedef struct sift_hosts_cfg {
    uint32_t port_range;  /* dynamic ports for timewait-exhaustion (> 0) */
    sift_rise_fn on_rise; /* called when a (host, rule) first reaches a
                             severity or rises above the last one reported; NULL for none */
    void *ctx;
} sift_hosts_cfg;

typedef struct sift_hosts sift_hosts;

sift_hosts *sift_hosts_create(const sift_hosts_cfg *cfg); /* NULL on OOM */
void sift_hosts_free(sift_hosts *h);                       /* accepts NULL */

/* Intern a path for evidence; returns its id, or UINT32_MAX on OOM. */
uint32_t sift_hosts_path(sift_hosts *h, const char *path);
const char *sift_hosts_path_name(const sift_hosts *h, uint32_t id);

/* Observations. host may be empty (counted under "unknown"). Each returns
 * SIFT_OK, SIFT_ERR_LIMIT when the host table is full (the observation is
 * dropped; reported once by the caller) or SIFT_ERR_NOMEM. */
sift_status sift_hosts_crash(sift_hosts *h, sift_slice host, sift_when when, sift_slice module, sift_evidence ev);
sift_status sift_hosts_uptime(sift_hosts *h, sift_slice host, sift_when when, uint64_t uptime_s, sift_evidence ev);
sift_status sift_hosts_tcpip(sift_hosts *h, sift_slice host, sift_when when, unsigned event_id, sift_evidence ev);
/* A connection table's TIME_WAIT count. open: the table is still arriving
 * (a live stream paused inside it), so its count may grow; until it closes it
 * counts towards "rising" only as the newest sample. *id (id may be NULL)
 * receives a handle on the sample for sift_hosts_snapshot_grow; a dated table
 * seen before (a dump exported twice) shares the earlier sample and its
 * handle. */
sift_status sift_hosts_snapshot(sift_hosts *h, sift_slice host, sift_when when, uint64_t time_wait, sift_evidence ev,
                                int open, uint64_t *id);
/* Raises the count of the sample id to time_wait (never lowers it); open 0
 * marks its table closed (a closed sample never reopens). A sample since
 * dropped (the per-host limit) is left alone. */
sift_status sift_hosts_snapshot_grow(sift_hosts *h, sift_slice host, uint64_t id, uint64_t time_wait, int open);

/* All findings (severity above none), sorted by host then rule, into a new
 * array the caller frees. Returns the count, or SIZE_MAX on OOM. */
size_t sift_hosts_findings(sift_hosts *h, sift_finding **out);

/* Observations dropped because the table was full. */
uint64_t sift_hosts_dropped(const sift_hosts *h);

#endif
