/* sift_rules.c - not written yet. */
typedef int sift_placeholder_sift_rules;
