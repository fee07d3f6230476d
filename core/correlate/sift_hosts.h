/* sift_hosts.h - per-host correlation of observations into findings.
 *
 * Host names are correlated case-insensitively and an FQDN with its short
 * name ("RDG01.corp.example.com" and "rdg01" are one host); the longest
 * spelling seen is the one printed. The table knows rules only as (index,
 * aggregator, parameters): per host and rule it keeps the count, the time
 * range and up to SIFT_EVIDENCE_MAX evidence pointers, and hands each
 * observation to the aggregator. State for a rule is allocated when the
 * rule first fires for the host, so a sweep of many quiet hosts costs only
 * their names. Memory is bounded by SIFT_MAX_HOSTS and each aggregator's
 * limits; the sizes per host are in README.md. No process-wide state: two
 * tables in one process are independent. */
#ifndef SIFT_HOSTS_H
#define SIFT_HOSTS_H

#include "sift_agg.h"
#include "sift_event.h"
#include "sift_table.h"

#define SIFT_MAX_HOSTS (256u * 1024u)
#define SIFT_MAX_RULES 32u
#define SIFT_EVIDENCE_MAX 4u /* the first three and the latest */
#define SIFT_HOST_NAME_MAX 255u
#define SIFT_SOURCES_MAX 16u /* inputs a finding names; more are counted */
#define SIFT_LINKS_MAX 6u    /* links of a chain of evidence */

typedef struct sift_hosts_rule {
    const sift_agg *agg;
    const void *params; /* agg->params_size bytes; must outlive the table */
} sift_hosts_rule;

/* What of a host's facts a verdict drew on: they are among its sources. */
enum { SIFT_FACTS_OS = 1u << 0, SIFT_FACTS_KBS = 1u << 1 };

/* One link of a chain of evidence (a finding that absorbed others): what
 * it says, whether it holds (1) or is not known (-1), and where it was
 * seen. Set by rules' verdicts, never by the table. */
typedef struct sift_link {
    const char *name; /* "uptime", "os", "fix", "time_wait", "tcpip" */
    int holds;
    sift_slice says;
    int has_ev;
    sift_evidence ev;
} sift_link;

/* One (host, rule) aggregate, as printed. Pointers live until the next call
 * into the table. */
typedef struct sift_finding {
    unsigned rule; /* index into the rules the table was created with */
    sift_severity severity;
    const char *host;
    size_t host_len;
    sift_when first_seen, last_seen;
    uint8_t any_local; /* some observation had a local (zone-less) time */
    uint64_t count;    /* observations behind the finding */
    sift_evidence ev[SIFT_EVIDENCE_MAX];
    size_t n_ev;
    sift_metric m[SIFT_METRICS_MAX];
    size_t n_m;
    const sift_host_fact *facts; /* what is known about the host, or NULL */
    /* The inputs (path and format ids, sift_paths) its observations came
     * from, in the order first seen; past SIFT_SOURCES_MAX only counted. */
    uint32_t src[SIFT_SOURCES_MAX];
    size_t n_src;
    uint64_t src_more;
    /* Every finding of the same host whose rule has observations, this one
     * among them, in rule order, severity NONE included (a companion rule's
     * quiet findings); NULL when not known (live rises). */
    const struct sift_finding *host_findings;
    size_t n_host_findings;
    /* Filled by verdicts: findings of this host it absorbed (bit per rule
     * index), what of the facts it drew on (SIFT_FACTS_*), and the chain of
     * evidence it states. */
    uint32_t absorbed;
    unsigned facts_used;
    sift_link links[SIFT_LINKS_MAX];
    size_t n_links;
} sift_finding;

typedef void (*sift_finding_fn)(void *ctx, const sift_finding *f);

typedef struct sift_hosts_cfg {
    const sift_hosts_rule *rules;
    size_t n_rules;       /* at most SIFT_MAX_RULES */
    sift_finding_fn on_rise; /* called when a (host, rule) first reaches a
                                severity or rises above the last one
                                reported; NULL for none (batch runs skip
                                the evaluation then) */
    sift_finding_fn on_evict; /* a stream that never ends: when the table is
                                 full, the hosts observed least recently
                                 (an eighth of the table) are reported here,
                                 final, and forgotten, and new hosts still
                                 come in; NULL: new hosts are dropped */
    void *ctx;
    size_t max_hosts; /* 0: SIFT_MAX_HOSTS */
} sift_hosts_cfg;

typedef struct sift_hosts sift_hosts;

/* NULL on OOM or more than SIFT_MAX_RULES rules. */
sift_hosts *sift_hosts_create(const sift_hosts_cfg *cfg);
void sift_hosts_free(sift_hosts *h); /* accepts NULL */

/* Observation obs of rule for host (empty: "unknown"), found at ev.
 * *handle (may be NULL) names a ratio sample for sift_hosts_update.
 * Returns SIFT_OK (a repeat of an earlier observation is OK and not
 * counted), SIFT_ERR_LIMIT when the host table is full (dropped and
 * counted in sift_hosts_dropped) or SIFT_ERR_NOMEM. */
sift_status sift_hosts_observe(sift_hosts *h, sift_slice host, unsigned rule, const sift_obs *obs, sift_evidence ev,
                               uint64_t *handle);

/* Raise the sample `handle` of rule for host to value (never lower it);
 * open 0 closes it for good. Same returns. */
sift_status sift_hosts_update(sift_hosts *h, sift_slice host, unsigned rule, uint64_t handle, uint64_t value,
                              int open);

/* Record what an inventory says about f->host (empty: "unknown"): fields
 * it knows replace what was known, KB lists are merged (at most
 * SIFT_FACT_MAX_KBS per host; past that the list is marked incomplete for
 * good), and a list is complete once any complete list was seen. Strings are copied.
 * Returns SIFT_OK, SIFT_ERR_LIMIT (host table full) or SIFT_ERR_NOMEM. */
sift_status sift_hosts_fact(sift_hosts *h, const sift_host_fact *f);

/* What is known about host, or NULL. The view's slices and KB array (sorted,
 * unique) are owned by the table and live until the next call into it. */
const sift_host_fact *sift_hosts_facts(sift_hosts *h, sift_slice host);

/* Every finding with a severity, by host (case-insensitive key order) then
 * rule index, to emit, each with the host's other findings beside it
 * (host_findings; also for on_evict). Returns how many, or SIZE_MAX on OOM
 * (nothing emitted then). */
size_t sift_hosts_report(sift_hosts *h, sift_finding_fn emit, void *ctx);

/* Observations dropped because the table was full; hosts in the table;
 * hosts evicted (on_evict). */
uint64_t sift_hosts_dropped(const sift_hosts *h);
size_t sift_hosts_count(const sift_hosts *h);
uint64_t sift_hosts_evicted(const sift_hosts *h);

#endif
