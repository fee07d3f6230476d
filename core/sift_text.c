/* sift_text.c - not written yet. */
typedef int sift_placeholder_sift_text;
