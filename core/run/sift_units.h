/* sift_units.h - a container format's units read on worker threads and
 * merged back in unit order.
 *
 * A unit (an .evtx chunk) is read whole by one worker: records are framed,
 * their cheap fields weighed, the wanted ones decoded and verified by the
 * rules, or rendered, and what comes of it (observations, host facts,
 * rendered lines, errors) is kept with the unit. The calling thread merges
 * units strictly in the order they were submitted, so findings, output and
 * error lines are those of one thread, whatever the number of workers. At
 * most 2 x threads units are in flight: memory does not grow with the file.
 * With threads <= 1 every unit is read on the calling thread as it is
 * submitted. */
#ifndef SIFT_UNITS_H
#define SIFT_UNITS_H

#include "sift_agg.h"
#include "sift_format.h"
#include "sift_table.h"

/* Event ids --event-id may list. */
#define SIFT_UNITS_MAX_IDS 64u

/* Which records are rendered (dump mode). Empty lists match everything. */
typedef struct sift_units_filter {
    int dump;       /* render records instead of verifying them */
    uint16_t ids[SIFT_UNITS_MAX_IDS];
    size_t n_ids;
    sift_slice provider; /* ASCII case-insensitive, whole name */
    sift_slice channel;
} sift_units_filter;

/* Where merged results go, on the thread that calls submit and end. */
typedef struct sift_units_sink {
    void *ctx;
    void (*error)(void *ctx, const sift_error *err);
    void (*text)(void *ctx, const uint8_t *p, size_t n); /* whole lines */
    /* host empty: the record named none. */
    void (*obs)(void *ctx, unsigned rule, const sift_obs *obs, sift_slice host, const sift_evidence *where);
    void (*fact)(void *ctx, const sift_host_fact *f);
    /* A unit is merged: the file's bytes before end are no longer read. */
    void (*merged)(void *ctx, uint64_t end);
} sift_units_sink;

typedef struct sift_units sift_units;

/* NULL on allocation failure. threads: workers (<= 1: none). */
sift_units *sift_units_create(int threads);
void sift_units_free(sift_units *u); /* accepts NULL */

/* Start one file of format fmt (a container format) whose header state is
 * file (it must stay valid until sift_units_end). flags: SIFT_UNIT_*.
 * Evidence comes to sink->obs without its input (path id). Returns SIFT_OK
 * or SIFT_ERR_NOMEM. */
sift_status sift_units_begin(sift_units *u, const sift_format *fmt, const void *file, unsigned flags,
                             const sift_units_filter *filter, const sift_units_sink *sink);

/* Read unit number index at file offset offset. With copy the bytes are
 * copied first (a window that will be reused); else they must stay valid
 * until sift_units_end. May merge earlier units before returning. */
sift_status sift_units_submit(sift_units *u, sift_slice unit, uint64_t index, uint64_t offset, int copy);

/* Wait for every unit of the file and merge them; their counts are added
 * to *st. */
void sift_units_end(sift_units *u, sift_unit_stats *st);

#endif
