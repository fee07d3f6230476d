/* sift_input.c - not written yet. */
typedef int sift_placeholder_sift_input;
