/* sift_findings.c - not written yet. */
typedef int sift_placeholder_sift_findings;
