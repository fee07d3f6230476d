/* sift_db_none.c - no embedded database: logsift compiles its patterns at start. */
#include "sift_db.h"

const uint8_t sift_db_blob[1] = { 0 };
const size_t sift_db_blob_size = 0;
