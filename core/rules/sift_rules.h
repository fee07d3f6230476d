/* sift_rules.h - the built-in rules and the patterns that find their candidates.
 *
 * Everything a rule is made of lives in the two tables of sift_rules.c: its id,
 * remediation text and thresholds (sift_rules[]) and the Hyperscan patterns
 * that frame records and flag candidates (sift_patterns[]). The pipeline
 * (sift_scan.c) verifies candidates field by field; the correlator
 * (sift_hosts.c) aggregates what was verified. */
#ifndef SIFT_RULES_H
#define SIFT_RULES_H

#include <stddef.h>
#include <stdint.h>

typedef enum sift_rule_id {
    SIFT_RULE_RDGW_CRASH = 0,
    SIFT_RULE_UPTIME_497,
    SIFT_RULE_TIMEWAIT,
    SIFT_RULE_TCPIP_PORTS,
    SIFT_RULE_COUNT
} sift_rule_id;

typedef enum sift_severity {
    SIFT_SEV_NONE = 0,
    SIFT_SEV_INFO,
    SIFT_SEV_LOW,
    SIFT_SEV_MEDIUM,
    SIFT_SEV_HIGH,
    SIFT_SEV_CRITICAL,
} sift_severity;

typedef struct sift_rule {
    const char *id;          /* stable id printed in findings */
    const char *title;
    const char *remediation; /* printed in every finding of the rule */
} sift_rule;

extern const sift_rule sift_rules[SIFT_RULE_COUNT];

const char *sift_severity_name(sift_severity s);

/* Thresholds, named once. */
#define SIFT_UPTIME_WRAP_S 42949673ull       /* ceil(2^32 x 10 ms): 497.1 days */
#define SIFT_UPTIME_WARN_S (450ull * 86400u) /* warn from 450 days */
#define SIFT_PORT_RANGE_DEFAULT 16384u       /* 49152-65535, Vista and later */
#define SIFT_TIMEWAIT_WARN_PCT 50u
#define SIFT_TIMEWAIT_CRIT_PCT 90u
#define SIFT_RISING_MIN_STEPS 3u             /* successive increases that make "rising" */
#define SIFT_PERIODIC_MIN_INTERVALS 2u       /* crashes - 1 needed to call it periodic */
#define SIFT_PERIODIC_TOLERANCE_PCT 25u      /* interval within +-25 % of the median */

/* What a pattern hit means to the pipeline. */
typedef enum sift_pat_kind {
    SIFT_PAT_EV_FRAME = 1, /* first line of an event text record */
    SIFT_PAT_EV_SIGNAL,    /* a candidate line inside an event record */
    SIFT_PAT_EV_EVENT_ID,  /* an "Event ID:" label; its value picks the signal */
    SIFT_PAT_NS_HEADER,    /* connection table title or column header */
    SIFT_PAT_NS_TIME,      /* a line that may be a snapshot timestamp */
    SIFT_PAT_NS_ROW,       /* a line that may be a TIME_WAIT connection row */
    SIFT_PAT_HOST,         /* a line that may name the host */
} sift_pat_kind;

/* Candidate bits an event record collects from SIFT_PAT_EV_SIGNAL hits. */
enum {
    SIFT_SIG_EVID_1000 = 1u << 0,
    SIFT_SIG_EVID_6013 = 1u << 1,
    SIFT_SIG_EVID_4227 = 1u << 2,
    SIFT_SIG_EVID_4231 = 1u << 3,
    SIFT_SIG_TSGATEWAY = 1u << 4,
};

typedef struct sift_pattern {
    const char *regex;   /* Hyperscan syntax; line-local: never matches '\n' */
    unsigned flags;      /* HS_FLAG_* beyond the MULTILINE every pattern gets */
    sift_pat_kind kind;
    uint32_t signal;     /* SIFT_SIG_* for SIFT_PAT_EV_SIGNAL */
    uint8_t lead;        /* for a literal: its length in bytes, and the match
                            must be preceded on its line by blanks only
                            (SIFT_LEAD_COL0: by nothing at all) */
} sift_pattern;

#define SIFT_LEAD_COL0 0x80u /* or-ed into lead */

/* The signal bit an event id raises in the record that holds it, or 0. */
uint32_t sift_event_id_signal(uint32_t event_id);

extern const sift_pattern sift_patterns[];
extern const size_t sift_pattern_count;

/* Signals that make a record worth verifying for each record-based rule: a
 * record is verified when it holds all bits of need_all and, if need_any is
 * non-zero, at least one of need_any. */
typedef struct sift_candidate_rule {
    sift_rule_id rule;
    uint32_t need_all;
    uint32_t need_any;
} sift_candidate_rule;

extern const sift_candidate_rule sift_candidate_rules[];
extern const size_t sift_candidate_rule_count;

#endif
