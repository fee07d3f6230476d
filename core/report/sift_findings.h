/* sift_findings.h - findings as NDJSON, one compact line each.
 *
 * The schema is documented in README.md ("Findings"). Strings are valid JSON
 * whatever bytes host names or paths hold: invalid UTF-8 becomes U+FFFD. */
#ifndef SIFT_FINDINGS_H
#define SIFT_FINDINGS_H

#include "sift_hosts.h"

#include <stdio.h>

/* Append f as one JSON object plus '\n' to out, in one write, and flush when
 * `flush` is set (live streams). final is printed as the "final" member:
 * 0 for an early line written while input is still arriving. Returns 0, or -1
 * on a write error. */
int sift_findings_write(FILE *out, const sift_finding *f, const sift_hosts *h, int final, int flush);

/* JSON string body of s (without quotes) into buf; returns bytes written,
 * truncating at cap - 1 on a character boundary; buf is NUL-terminated. */
size_t sift_json_escape(const uint8_t *s, size_t n, char *buf, size_t cap);

#endif
