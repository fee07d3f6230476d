/* sift_decode.c - not written yet. */
typedef int sift_placeholder_sift_decode;
