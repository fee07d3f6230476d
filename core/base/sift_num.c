/* sift_num.c - decimal and hex parsing with an overflow check at every digit. */
#include "sift_num.h"

sift_status sift_num_u64(sift_slice s, uint64_t *out)
{
    if (s.len == 0)
        return SIFT_ERR_NUMBER;
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned d = (unsigned)s.ptr[i] - '0';
        /* Compares against constants: no division per digit. */
        if (d > 9 || v > UINT64_MAX / 10 || (v == UINT64_MAX / 10 && d > UINT64_MAX % 10))
            return SIFT_ERR_NUMBER;
        v = v * 10 + d;
    }
    *out = v;
    return SIFT_OK;
}

int sift_hex_digit(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = sift_ascii_lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

sift_status sift_num_hex_u64(sift_slice s, uint64_t *out)
{
    if (s.len >= 2 && s.ptr[0] == '0' && (s.ptr[1] == 'x' || s.ptr[1] == 'X'))
        s = sift_slice_sub(s, 2, s.len - 2);
    if (s.len == 0 || s.len > 16)
        return SIFT_ERR_NUMBER;
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        int d = sift_hex_digit(s.ptr[i]);
        if (d < 0)
            return SIFT_ERR_NUMBER;
        v = (v << 4) | (uint64_t)d;
    }
    *out = v;
    return SIFT_OK;
}
