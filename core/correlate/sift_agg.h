/* sift_agg.h - the shared aggregators rules are built from.
 *
 * A rule turns a record into an observation (sift_obs); the correlator keeps,
 * per host and rule, what every rule needs (a count, the first and last
 * time, evidence) and hands the observation to the rule's aggregator, which
 * keeps the rest and decides the severity:
 *  - sift_agg_periodic  timestamps de-duplicated by second, with the median
 *                       interval and whether they recur steadily;
 *  - sift_agg_peak      the largest value and the latest, with the time the
 *                       value will cross a threshold at its rate of growth;
 *  - sift_agg_ratio     samples (connection-table snapshots) against a
 *                       denominator, with a rising trend; samples may grow
 *                       while their table is still arriving;
 *  - sift_agg_keyed     counts per key (event id), each key with a severity.
 * Parameters live in the rule table; the run may override settings (the
 * port range). Aggregator state is allocated only when a rule first fires
 * for a host, and is bounded by the named limits in each parameter struct.
 * Metrics are returned as typed name/value pairs that the report layer
 * renders; nothing here knows JSON. */
#ifndef SIFT_AGG_H
#define SIFT_AGG_H

#include "sift_slice.h"
#include "sift_status.h"
#include "sift_time.h"

typedef enum sift_severity {
    SIFT_SEV_NONE = 0,
    SIFT_SEV_INFO,
    SIFT_SEV_LOW,
    SIFT_SEV_MEDIUM,
    SIFT_SEV_HIGH,
    SIFT_SEV_CRITICAL,
} sift_severity;

/* "info", ..., "critical"; "none" for SIFT_SEV_NONE or a value outside the enum. */
const char *sift_severity_name(sift_severity s);

/* Strings an observation carries for the finding ("exception", "module",
 * versions), kept from the latest observation that had them: each cut at
 * SIFT_ATTR_MAX bytes, all of them together at SIFT_ATTR_BUF (a host's
 * state holds them packed). */
#define SIFT_OBS_ATTRS 4u
#define SIFT_ATTR_MAX 63u
#define SIFT_ATTR_BUF 120u

/* What a verifier makes of one record or table. */
typedef struct sift_obs {
    sift_when when;
    uint64_t value; /* the uptime (peak); the TIME_WAIT count (ratio) */
    uint32_t key;   /* the event id (keyed) */
    uint8_t open;   /* ratio: the table is still arriving; it may grow */
    sift_slice attr[SIFT_OBS_ATTRS];
} sift_obs;

/* A metric as the report prints it. */
typedef enum sift_metric_type {
    SIFT_M_U64,   /* u */
    SIFT_M_I64,   /* i, or null when is_null */
    SIFT_M_BOOL,  /* u != 0 */
    SIFT_M_STR,   /* s, or null when is_null */
    SIFT_M_TIME,  /* t, null when not valid */
    SIFT_M_TENTHS /* u / 10 with one decimal: 4971 prints 497.1 */
} sift_metric_type;

typedef struct sift_metric {
    const char *name;
    sift_metric_type type;
    uint8_t is_null;
    uint64_t u;
    int64_t i;
    sift_slice s;
    sift_when t;
} sift_metric;

/* Enough for every aggregator's metrics, what verdicts add, and a chain
 * of findings merged into one. */
#define SIFT_METRICS_MAX 28u

/* One rule setting the command line may change: a u32 inside the
 * aggregator's parameter struct. */
typedef struct sift_setting {
    const char *name;  /* "port_range" */
    size_t offset;     /* of the uint32_t inside the parameters */
    uint32_t min, max; /* accepted values */
} sift_setting;

typedef struct sift_agg {
    const char *name;
    size_t params_size;
    size_t state_size;
    /* Fresh state in zeroed memory of state_size bytes; NULL when zeroed
     * memory is the fresh state. */
    void (*init)(void *state, const void *params);
    /* Frees what add() allocated; NULL when it allocates nothing. */
    void (*release)(void *state);
    /* Take an observation. Returns 1 when it counts, 0 when it repeats one
     * already taken (the same crash or dated table exported twice), or
     * -1 when memory ran out. *handle (ratio) names the sample taken, for
     * update(). */
    int (*add)(void *state, const void *params, const sift_obs *obs, uint64_t *handle);
    /* Ratio only (NULL elsewhere): raise sample `handle` to value (never
     * lower it); open 0 closes it for good. Returns 1 when it changed. */
    int (*update)(void *state, const void *params, uint64_t handle, uint64_t value, int open);
    /* The severity; SIFT_SEV_NONE when nothing is worth reporting yet. */
    sift_severity (*judge)(const void *state, const void *params, uint64_t count);
    /* The metrics, in print order, into m[SIFT_METRICS_MAX]; returns how
     * many. Slices point into state or params and live as long as they do. */
    size_t (*metrics)(const void *state, const void *params, uint64_t count, sift_metric *m);
} sift_agg;

/* ---- sift_agg_periodic ------------------------------------------------- */

typedef struct sift_periodic_params {
    uint32_t max_times;        /* timestamps kept; the newest win */
    uint32_t min_intervals;    /* intervals needed to call it periodic */
    uint32_t min_median_s;     /* shorter median intervals are bursts, not a loop */
    uint32_t tolerance_pct;    /* an interval within +-pct of the median is steady */
    sift_severity severity;    /* any observation */
    sift_severity periodic_severity;
    const char *count_name;    /* "crashes" */
    const char *attr_names[SIFT_OBS_ATTRS]; /* "exception", "module"; NULL: not printed */
} sift_periodic_params;

extern const sift_agg sift_agg_periodic;

/* ---- sift_agg_peak ------------------------------------------------------- */

typedef struct sift_peak_params {
    uint64_t threshold;        /* the value that matters (42,949,673 s) */
    uint64_t warn;             /* warn from here, with the projected crossing */
    sift_severity over_severity, warn_severity;
    const char *value_name;    /* "uptime_s" */
    const char *days_name;     /* the value as days in tenths, rounded down; NULL: none */
    const char *threshold_name;
    const char *at_name;       /* when the peak was reported */
    const char *crossing_name; /* when it crosses threshold (below it only) */
    const char *drop_name;     /* a later report shows less (a restart) */
} sift_peak_params;

extern const sift_agg sift_agg_peak;

/* ---- sift_agg_ratio ------------------------------------------------------- */

typedef struct sift_ratio_params {
    uint32_t denominator;      /* the dynamic port range: a setting */
    uint32_t max_samples;      /* the newest are kept */
    uint32_t warn_pct, crit_pct;
    uint32_t rising_steps;     /* successive increases that make "rising" */
    sift_severity warn_severity, crit_severity, rising_severity;
    const char *last_name, *max_name, *denominator_name, *pct_name, *max_at_name, *samples_name,
        *rising_name;
} sift_ratio_params;

extern const sift_agg sift_agg_ratio;

/* ---- sift_agg_keyed -------------------------------------------------------- */

#define SIFT_KEYED_MAX 4u

typedef struct sift_keyed_params {
    uint32_t n;
    uint32_t keys[SIFT_KEYED_MAX];
    sift_severity severity[SIFT_KEYED_MAX];
    const char *names[SIFT_KEYED_MAX];
} sift_keyed_params;

extern const sift_agg sift_agg_keyed;

#endif
