/* sift_patset.h - the prefilter pattern set, derived from what the formats
 * and the rules register.
 *
 * Every line format's patterns (table titles, headers, rows), in registry
 * order, then every rule's triggers, in rule order: a rule's own trigger
 * strings, or else its event ids written in decimal. This is the one list
 * the Hyperscan database is compiled from (at build time by sift_dbgen, or
 * at start), and the map from a pattern id back to its role and owner.
 * Nothing is maintained beside the registrations. */
#ifndef SIFT_PATSET_H
#define SIFT_PATSET_H

#include "sift_format.h"
#include "sift_rules.h"

typedef struct sift_patmeta {
    uint8_t role;   /* sift_role */
    uint8_t lead;   /* see sift_pattern */
    uint16_t owner; /* format index; rule index for SIFT_ROLE_TRIGGER */
} sift_patmeta;

typedef struct sift_patset {
    sift_pattern *pats; /* n entries, for the matcher */
    sift_patmeta *meta;
    size_t n;
    char (*ids)[8]; /* storage for the decimal id triggers */
} sift_patset;

/* Build the set for these formats and sift_rules[]. Returns SIFT_OK,
 * SIFT_ERR_LIMIT (65,536 formats or more) or SIFT_ERR_NOMEM. On error *ps
 * is empty. */
sift_status sift_patset_build(const sift_format *const *formats, size_t n_formats, sift_patset *ps);
void sift_patset_free(sift_patset *ps); /* accepts an empty set */

#endif
