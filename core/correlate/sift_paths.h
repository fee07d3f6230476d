/* sift_paths.h - input paths interned for evidence.
 *
 * Evidence names its input by a small id: a path and the format its bytes
 * were read as ("evtx", "evtext", "netstat"), so that evidence stays at 32
 * bytes and a finding can still say which formats it drew on. One file read
 * as two formats (a triage dump holding event text and netstat tables) has
 * two ids. A path is interned only when an
 * observation points into it, so a sweep of many quiet files keeps none of
 * their names; the same path and format interned twice get the same id. At most
 * SIFT_MAX_PATHS paths are kept; past that, evidence names the input
 * SIFT_PATH_UNKNOWN. No process-wide state. */
#ifndef SIFT_PATHS_H
#define SIFT_PATHS_H

#include <stddef.h>
#include <stdint.h>

#define SIFT_MAX_PATHS (1024u * 1024u)
#define SIFT_PATH_NONE UINT32_MAX /* not interned (limit or OOM) */

typedef struct sift_paths sift_paths;

sift_paths *sift_paths_create(void); /* NULL on OOM */
void sift_paths_free(sift_paths *p); /* accepts NULL */

/* The id of path (NUL-terminated; copied), or SIFT_PATH_NONE when the table
 * is full or memory ran out (counted in sift_paths_dropped). Same as
 * sift_paths_intern_as with no format. */
uint32_t sift_paths_intern(sift_paths *p, const char *path);

/* The id of path read as format (a format's name, [a-z0-9-]+, which must
 * outlive the table: it is kept, not copied; NULL: not known). Same
 * returns. */
uint32_t sift_paths_intern_as(sift_paths *p, const char *path, const char *format);

/* The path of id, or "-" for SIFT_PATH_NONE or an unknown id. */
const char *sift_paths_name(const sift_paths *p, uint32_t id);

/* The format of id, or NULL when it has none or id is unknown. */
const char *sift_paths_format(const sift_paths *p, uint32_t id);

uint64_t sift_paths_dropped(const sift_paths *p);

#endif
