/* sift_findings.h - findings as NDJSON, one compact line each.
 *
 * The schema is documented in README.md ("Findings"). Strings are valid JSON
 * whatever bytes host names or paths hold: invalid UTF-8 becomes U+FFFD. A
 * writer owns its line buffer, so writers of two runs never share state. */
#ifndef SIFT_FINDINGS_H
#define SIFT_FINDINGS_H

#include "sift_hosts.h"
#include "sift_paths.h"
#include "sift_rules.h"

#include <stdio.h>

typedef struct sift_findings sift_findings;

/* A writer to out for the findings of one run: rule ids and remediation
 * from rs, evidence paths from paths (both must outlive it). NULL on OOM. */
sift_findings *sift_findings_create(FILE *out, const sift_ruleset *rs, const sift_paths *paths);
void sift_findings_free(sift_findings *w); /* accepts NULL */

/* Append f, as its rule's verdict judges it (with what is known about the
 * host and its other findings, f->host_findings), as one JSON object plus
 * '\n', in one write, and flush when `flush` is set (live streams). final is
 * printed as the "final" member: 0 for an early line written while input is
 * still arriving. A finding another one absorbed (a companion, a link of a
 * chain) is printed in that one's line: at the end nothing is written for
 * it; early, the line it joined. Returns 1 when a line was written, 0 when
 * none was, -1 on a write error. */
int sift_findings_write(sift_findings *w, const sift_finding *f, int final, int flush);

/* JSON string body of s (without quotes) into buf; returns bytes written,
 * truncating at cap - 1 on a character boundary; buf is NUL-terminated. */
size_t sift_json_escape(const uint8_t *s, size_t n, char *buf, size_t cap);

#endif
