/* sift_match.c - not written yet. */
typedef int sift_placeholder_sift_match;
