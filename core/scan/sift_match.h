/* sift_match.h - one Hyperscan database for every pattern, scanned in blocks.
 *
 * The database is compiled once per run and shared read-only; each scanning
 * thread owns a sift_hitscan (its Hyperscan scratch and hit array). Hits are
 * returned sorted by end offset, because Hyperscan does not promise order
 * across patterns. */
#ifndef SIFT_MATCH_H
#define SIFT_MATCH_H

#include "sift_format.h"
#include "sift_status.h"

#include <stddef.h>
#include <stdint.h>

typedef struct sift_matcher sift_matcher; /* opaque, read-only after create */
typedef struct sift_hitscan sift_hitscan; /* opaque, one per thread */

typedef struct sift_hit {
    uint32_t end; /* offset just past the match, relative to the block */
    uint32_t pat; /* index into the pattern list compiled */
} sift_hit;

/* Compile the pattern table. On failure returns SIFT_ERR_MATCHER and writes
 * Hyperscan's message and the failing pattern into msg. */
sift_status sift_matcher_create(const sift_pattern *pats, size_t n, sift_matcher **out, char *msg, size_t msg_cap);
void sift_matcher_free(sift_matcher *m); /* accepts NULL */

/* Compiling takes about 10 ms, most of a short run, so the build compiles
 * the table once and embeds the result. serialize writes the database, for
 * this CPU, tagged with a fingerprint of the pattern table and the engine's
 * version, into a malloc'd buffer. load takes such bytes back; it fails
 * (SIFT_ERR_MATCHER) when they were made from another table or engine
 * version, or for a CPU this one is not, and the caller then compiles. */
sift_status sift_matcher_serialize(const sift_matcher *m, const sift_pattern *pats, size_t n, uint8_t **bytes,
                                   size_t *len);
sift_status sift_matcher_load(const uint8_t *bytes, size_t len, const sift_pattern *pats, size_t n,
                              sift_matcher **out);

/* "Hyperscan 5.4.0 ..." / "Vectorscan 5.4.9": what the engine runs on. */
const char *sift_matcher_version(void);

/* Scratch and a hit array of hit_cap entries. NULL on allocation failure. */
sift_hitscan *sift_hitscan_create(const sift_matcher *m, size_t hit_cap);
void sift_hitscan_free(sift_hitscan *h); /* accepts NULL */

/* Scan buf[0, len) (len < 4 GiB) as one block and return its hits sorted by
 * (end, pat) in *hits (owned by h, valid until the next scan). Returns
 * SIFT_OK, SIFT_ERR_LIMIT when the block holds more than hit_cap hits (split
 * it and scan the halves; *hits then holds the first hit_cap found), or
 * SIFT_ERR_MATCHER on a Hyperscan failure. */
sift_status sift_hitscan_run(sift_hitscan *h, const uint8_t *buf, size_t len, const sift_hit **hits, size_t *n);

/* The patterns are kept in two databases: those that need a byte >= 0x80
 * (SIFT_MATCH_WIDE) and the rest (SIFT_MATCH_ASCII). sift_hitscan_run
 * scans with both; this scans with those in which (a mask of the two), so
 * that two threads may share a block's work. Same returns. */
enum { SIFT_MATCH_ASCII = 1u, SIFT_MATCH_WIDE = 2u, SIFT_MATCH_ALL = 3u };

/* Which side literals with an arm (SIFT_PAT_SIDE) a stream has armed: bit k
 * for the k-th. A stream starts at 0 and passes the same value through the
 * scans of its blocks, in order; it is updated only by a scan that returns
 * SIFT_OK, so a block split and scanned again arms as if scanned whole.
 * NULL: no stream around the block, every side literal searched throughout
 * (sift_hitscan_run). */
typedef uint32_t sift_arms;
sift_status sift_hitscan_run_some(sift_hitscan *h, unsigned which, sift_arms *arms, const uint8_t *buf, size_t len,
                                  const sift_hit **hits, size_t *n);

#endif
