/* sift_patset.h - the prefilter pattern set, derived from what the formats
 * and the rules register.
 *
 * Every line format's patterns, in registry order, then every rule's
 * needles, in rule order: the one list the Hyperscan database is compiled
 * from (at build time by sift_dbgen, or at start), and the map from a
 * pattern id back to its role and owner. Nothing is maintained beside the
 * registrations. */
#ifndef SIFT_PATSET_H
#define SIFT_PATSET_H

#include "sift_format.h"
#include "sift_rules.h"

/* Needles are tracked as bits of a record: at most this many in all. */
#define SIFT_MAX_NEEDLES 32u

typedef struct sift_patmeta {
    uint8_t role;   /* sift_role */
    uint8_t lead;   /* see sift_pattern */
    uint16_t owner; /* format index for format roles; needle bit for SIFT_ROLE_NEEDLE */
} sift_patmeta;

typedef struct sift_patset {
    sift_pattern *pats; /* n entries, for the matcher */
    sift_patmeta *meta;
    size_t n;
    uint32_t rule_needles[SIFT_MAX_RULES]; /* needle bits each rule's candidates need */
} sift_patset;

/* Build the set for these formats and sift_rules[]. Returns SIFT_OK,
 * SIFT_ERR_LIMIT (more than SIFT_MAX_NEEDLES needles, or 65,536 formats) or
 * SIFT_ERR_NOMEM. On error *ps is empty. */
sift_status sift_patset_build(const sift_format *const *formats, size_t n_formats, sift_patset *ps);
void sift_patset_free(sift_patset *ps); /* accepts an empty set */

#endif
