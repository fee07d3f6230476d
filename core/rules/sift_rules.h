/* sift_rules.h - the rule table, and the rules of one run.
 *
 * A rule is one entry in sift_rules[]: its id, title and remediation, what
 * it needs (providers and event ids, the triggers that find its records
 * in text dumps), a verifier from a normalized event (or a connection-table
 * snapshot) to an observation, and one of the shared aggregators (sift_agg.h) with its
 * parameters and the settings the command line may change. Verifiers read
 * canonical fields (sift_event.fld), never a format's layout. The prefilter
 * database is derived from what formats and rules register; nothing here is
 * kept beside it. Adding a rule is one entry and one verifier. */
#ifndef SIFT_RULES_H
#define SIFT_RULES_H

#include "sift_agg.h"
#include "sift_event.h"
#include "sift_format.h"
#include "sift_hosts.h"

#define SIFT_RULE_MAX_IDS 4u
#define SIFT_RULE_MAX_PROVIDERS 4u

typedef struct sift_rule_needs {
    const char *providers[SIFT_RULE_MAX_PROVIDERS]; /* any of these (ASCII case-insensitive); none: no events */
    uint16_t ids[SIFT_RULE_MAX_IDS];                /* any of these event ids */
    uint8_t n_ids;
    const sift_pattern *triggers; /* role SIFT_ROLE_TRIGGER: rare strings every
                                     record of the rule holds; none: the
                                     decimal ids are the triggers */
    size_t n_triggers;
} sift_rule_needs;

typedef struct sift_rule {
    const char *id;          /* stable id printed in findings */
    const char *title;
    const char *remediation; /* "{setting}" is replaced by the setting's value */
    sift_rule_needs needs;
    /* An event this rule needs (provider and id already match) to an
     * observation: 1 when it is one, 0 when its fields say otherwise. obs
     * comes zeroed, with when set from the event. */
    int (*verify)(const sift_event *ev, sift_obs *obs);
    /* A connection-table snapshot to an observation (tables rules; NULL
     * for event rules). obs comes zeroed, with when and open set. */
    int (*verify_table)(const sift_snapshot *snap, sift_obs *obs);
    /* What an inventory says about a host to an observation (boot and
     * capture time to an uptime); NULL for rules facts cannot feed. obs
     * comes zeroed, with when set to the capture time. */
    int (*verify_fact)(const sift_host_fact *fact, sift_obs *obs);
    const sift_agg *agg;
    const void *params; /* agg->params_size bytes */
    const sift_setting *settings;
    size_t n_settings;
    /* What is known about the host (facts, may be NULL) changes the
     * finding: its severity, and metrics saying why (text in buf[0, cap),
     * which they may point into). NULL: facts do not matter. */
    void (*verdict)(const sift_host_fact *facts, sift_finding *f, char *buf, size_t cap);
    /* A companion rule: its records corroborate the named rule's finding on
     * the same host (whose verdict absorbs this one's), and never count as
     * its occurrences; on a host without that finding it stands in for it,
     * printed under the named rule's id. NULL: a rule of its own. */
    const char *part_of;
} sift_rule;

extern const sift_rule sift_rules[];
extern const size_t sift_rule_count;

/* The index of the rule with this id, or SIZE_MAX. */
size_t sift_rule_index(const char *id);

/* Rule r and the rules part of it, a bit per index: a hit of r's triggers
 * is a candidate for them all (companion rules have no triggers). */
uint32_t sift_rule_family(size_t r);

/* The index of the rule whose id a finding of rule r is printed under: its
 * own, or the rule it is part of. */
size_t sift_rule_printed(size_t r);

/* Whether rule r wants events of this provider and id. */
int sift_rule_wants(const sift_rule *r, sift_slice provider, uint16_t id);

/* The rules of one run: the table with the run's settings applied. */
typedef struct sift_ruleset sift_ruleset;

sift_ruleset *sift_ruleset_create(void); /* NULL on OOM */
void sift_ruleset_free(sift_ruleset *rs); /* accepts NULL */

/* Set `setting` (e.g. "port_range") to value in every rule that has it.
 * Returns how many rules took it, or -1 when value is out of a rule's range. */
int sift_ruleset_set(sift_ruleset *rs, const char *setting, uint32_t value);

/* The aggregators and the run's parameters, for sift_hosts_create; n is
 * sift_rule_count. Valid while rs lives. */
const sift_hosts_rule *sift_ruleset_hosts(const sift_ruleset *rs, size_t *n);

/* Rule r's remediation with its settings filled in, NUL-terminated in buf
 * (numbers with thousands separators: "1,001"); returns its length, cut at
 * cap - 1. */
size_t sift_ruleset_remediation(const sift_ruleset *rs, size_t r, char *buf, size_t cap);

#endif
