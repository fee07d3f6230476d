/* fuzz_hostpath.c - host names from random paths: never a crash, nothing
 * written past cap, the result NUL-terminated within it, a run of the path's
 * own bytes with no separator at either end and no slash, the same every
 * time; the room it needs is enough to get it again, and with less it is
 * never the answer (a shorter candidate may be). */
#include <string.h>

#include "fuzz.h"
#include "sift_hostpath.h"

#define PATH_MAX_FUZZ 4096

static int is_sep(char c)
{
    return c == '_' || c == '-' || c == '.';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[PATH_MAX_FUZZ + 1], out[PATH_MAX_FUZZ + 2], again[PATH_MAX_FUZZ + 2];
    if (size == 0 || size > PATH_MAX_FUZZ)
        return 0;
    /* The first byte picks cap (0 included); the rest, up to a NUL, is the path. */
    size_t cap = data[0] == 255 ? sizeof out - 1 : data[0] % 64u;
    size_t n = strnlen((const char *)data + 1, size - 1);
    memcpy(path, data + 1, n);
    path[n] = '\0';
    memset(out, 0x5a, sizeof out);
    size_t got = sift_host_from_path(path, out, cap);
    if (cap == 0) {
        FUZZ_ASSERT(got == 0 && (uint8_t)out[0] == 0x5a);
        return 0;
    }
    FUZZ_ASSERT(got < cap && out[got] == '\0' && strlen(out) == got);
    FUZZ_ASSERT((uint8_t)out[cap] == 0x5a); /* nothing written past cap */
    if (got) {
        FUZZ_ASSERT(memmem(path, n, out, got) != NULL);
        FUZZ_ASSERT(!is_sep(out[0]) && !is_sep(out[got - 1]));
        FUZZ_ASSERT(memchr(out, '/', got) == NULL);
        FUZZ_ASSERT(sift_host_from_path(path, again, got + 1) == got && strcmp(again, out) == 0);
        FUZZ_ASSERT(sift_host_from_path(path, again, got) < got);
    }
    FUZZ_ASSERT(sift_host_from_path(path, again, cap) == got && strcmp(again, out) == 0);
    return 0;
}
