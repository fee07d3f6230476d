/* sift_scan.c - not written yet. */
typedef int sift_placeholder_sift_scan;
