/* sift_netstat.c - not written yet. */
typedef int sift_placeholder_sift_netstat;
