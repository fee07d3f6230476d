/* sift_num.h - length-bounded number parsing for untrusted text. */
#ifndef SIFT_NUM_H
#define SIFT_NUM_H

#include "sift_slice.h"
#include "sift_status.h"

/* The whole of s as unsigned decimal ([0-9]+). SIFT_ERR_NUMBER when s is
 * empty, holds another byte, or overflows 64 bits; *out is untouched then. */
sift_status sift_num_u64(sift_slice s, uint64_t *out);

/* The value of one hexadecimal digit (0-9, a-f, A-F), or -1. */
int sift_hex_digit(uint8_t c);

/* The whole of s as hexadecimal, with an optional 0x/0X prefix. */
sift_status sift_num_hex_u64(sift_slice s, uint64_t *out);

#endif
