/* sift_evtext.c - not written yet. */
typedef int sift_placeholder_sift_evtext;
