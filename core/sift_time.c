/* sift_time.c - not written yet. */
typedef int sift_placeholder_sift_time;
