/* sift_run.c - not written yet. */
typedef int sift_placeholder_sift_run;
