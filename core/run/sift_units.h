/* sift_units.h - container units read on worker threads and merged back
 * in the order they were submitted.
 *
 * A unit (an .evtx chunk) is read whole by one worker: records are framed,
 * their cheap fields weighed, the wanted ones decoded and verified by the
 * rules, or rendered, and what comes of it (observations, host facts,
 * rendered lines, errors) is kept with the unit. The calling thread merges
 * units strictly in submission order, and a file's end after its last
 * unit, so findings, output and error lines are those of one thread,
 * whatever the number of workers. Units of several files may be in flight
 * at once: a sweep of many small files keeps every worker busy. At most
 * 2 x threads units are in flight: memory does not grow with the input.
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

/* Where merged results go, on the thread that submits. Every callback gets
 * the ctx of the file the unit belongs to (sift_units_file.ctx). */
typedef struct sift_units_sink {
    void (*error)(void *file_ctx, const sift_error *err);
    void (*text)(void *file_ctx, const uint8_t *p, size_t n); /* whole lines */
    /* host empty: the record named none. where.input is left 0. */
    void (*obs)(void *file_ctx, unsigned rule, const sift_obs *obs, sift_slice host, const sift_evidence *where);
    void (*fact)(void *file_ctx, const sift_host_fact *f);
    /* A unit is merged: the file's bytes before end are no longer read;
     * st is what the unit counted. */
    void (*merged)(void *file_ctx, uint64_t end, const sift_unit_stats *st);
    /* Every unit of the file is merged (sift_units_file_end). */
    void (*done)(void *file_ctx);
} sift_units_sink;

/* One input file: the caller's, unchanged until its done() is called. */
typedef struct sift_units_file {
    const sift_format *fmt; /* a container format */
    const void *state;      /* its header state */
    unsigned flags;         /* SIFT_UNIT_* */
    void *ctx;              /* handed to the sink */
} sift_units_file;

typedef struct sift_units sift_units;

/* NULL on allocation failure. threads: workers (<= 1: none). filter and
 * sink are copied; filter's slices must outlive the pool. */
sift_units *sift_units_create(int threads, const sift_units_filter *filter, const sift_units_sink *sink);
void sift_units_free(sift_units *u); /* accepts NULL; waits for workers */

/* Units handed over at once: a unit of a sweep is read in tens of
 * microseconds, about what waking a worker costs. */
#define SIFT_UNITS_BATCH 4u

/* Read the units in unit (up to SIFT_UNITS_BATCH of the format's
 * unit_size, back to back; only the last may be short), numbered from
 * index, at file offset offset of f. With copy the bytes are copied first
 * (a buffer that will be reused); else they must stay valid until f's
 * done(). May merge earlier units before returning. Returns SIFT_OK or
 * SIFT_ERR_NOMEM (nothing is read). */
sift_status sift_units_submit(sift_units *u, const sift_units_file *f, sift_slice unit, uint64_t index,
                              uint64_t offset, int copy);

/* f has no more units: its done() follows its last unit's merge. */
sift_status sift_units_file_end(sift_units *u, const sift_units_file *f);

/* Wait until everything submitted is merged. */
void sift_units_drain(sift_units *u);

#endif
