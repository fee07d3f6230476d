/* sift_slice.c - the out-of-line slice searches. */
#include "sift_slice.h"

size_t sift_slice_find(sift_slice s, sift_slice needle)
{
    if (needle.len == 0)
        return 0;
    if (needle.len > s.len)
        return s.len;
    const uint8_t *p = memmem(s.ptr, s.len, needle.ptr, needle.len);
    return p ? (size_t)(p - s.ptr) : s.len;
}

size_t sift_slice_find_nocase(sift_slice s, sift_slice needle)
{
    if (needle.len == 0)
        return 0;
    if (needle.len > s.len)
        return s.len;
    const uint8_t first = sift_ascii_lower(needle.ptr[0]);
    for (size_t i = 0; i + needle.len <= s.len; i++) {
        if (sift_ascii_lower(s.ptr[i]) != first)
            continue;
        if (sift_slice_eq_nocase(sift_slice_make(s.ptr + i, needle.len), needle))
            return i;
    }
    return s.len;
}
