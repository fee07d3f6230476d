/* sift_hosts.c - not written yet. */
typedef int sift_placeholder_sift_hosts;
