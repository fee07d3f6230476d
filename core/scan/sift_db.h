/* sift_db.h - the pattern database, compiled when logsift is built and
 * embedded (sift_matcher_load takes it; see sift_match.h). Empty when the
 * build could not make it (fuzzing and cross builds): logsift then compiles
 * the patterns when it starts. */
#ifndef SIFT_DB_H
#define SIFT_DB_H

#include <stddef.h>
#include <stdint.h>

extern const uint8_t sift_db_blob[];
extern const size_t sift_db_blob_size;

#endif
