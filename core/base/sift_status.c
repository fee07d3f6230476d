/* sift_status.c - the single table of status messages. */
#include "sift_status.h"

const char *sift_status_str(sift_status s)
{
    switch (s) {
#define SIFT_X(name, value, msg)                                              \
    case SIFT_##name:                                                         \
        return msg;
        SIFT_STATUS_LIST(SIFT_X)
#undef SIFT_X
    }
    return "unknown status";
}
