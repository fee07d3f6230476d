/* sift_text.h - text encodings of Windows exports.
 *
 * Inputs arrive as UTF-8 (with or without BOM) or UTF-16LE with BOM (what
 * PowerShell 5.1 `>` and wmic write). The engine scans UTF-8 only, so UTF-16LE
 * is transcoded here, streaming, with a bounded state of a few bytes. */
#ifndef SIFT_TEXT_H
#define SIFT_TEXT_H

#include "sift_slice.h"
#include "sift_status.h"

typedef enum sift_encoding {
    SIFT_ENC_UTF8 = 0,    /* also plain ASCII and unknown 8-bit text */
    SIFT_ENC_UTF16LE = 1,
    SIFT_ENC_UTF16BE = 2, /* recognised so it can be reported, not decoded */
    SIFT_ENC_BINARY = 3,  /* NUL bytes in a way no text encoding explains */
} sift_encoding;

/* Decide from the first bytes of a decoded stream (give up to 4 KiB; bytes
 * past 4 KiB are not looked at). Sets *bom_len (if bom_len is not NULL) to the
 * BOM length to skip (0, 2 or 3): EF BB BF is UTF8, FF FE UTF16LE, FE FF
 * UTF16BE. Without a BOM: no NUL byte at all is UTF8; more than half of the
 * odd-index bytes NUL and at most one even-index NUL per eight odd ones is
 * UTF16LE (ASCII-heavy UTF-16LE written without BOM); any other NUL, even a
 * single one in otherwise plain text, is BINARY, as text logs carry none.
 * UTF-16BE without BOM is reported as BINARY. An empty head is UTF8. */
sift_encoding sift_text_sniff(sift_slice head, size_t *bom_len);

/* Static name: "utf-8", "utf-16le", "utf-16be", "binary"; "unknown" for a
 * value outside the enum. Never NULL. */
const char *sift_encoding_name(sift_encoding e);

/* Streaming UTF-16LE to UTF-8. Zero-fill before use. */
typedef struct sift_utf16 {
    uint32_t pending_high; /* high surrogate waiting for its low half, or 0 */
    uint8_t odd_byte;      /* first byte of a code unit split across calls */
    uint8_t have_odd;
    uint64_t replaced;     /* U+FFFD written: unpaired surrogates, and a
                              dangling odd byte at finish */
} sift_utf16;

/* Transcode in to out. Returns SIFT_NEED_MORE when all input is consumed,
 * SIFT_DST_FULL when out has fewer than 4 bytes of room left (drain and call
 * again; any call with 4 bytes of room makes progress). Never fails: unpaired
 * surrogates become U+FFFD and are counted. Output does not depend on how the
 * input is chunked nor on the size of out. A U+FEFF inside the stream is kept;
 * skip the BOM (sift_text_sniff) before the first call. A whole stream of n
 * bytes, finish included, yields at most 3 * (n / 2) + 3 bytes. */
sift_status sift_utf16le_to_utf8(sift_utf16 *st, sift_in *in, sift_out *out);

/* At end of input: flush a dangling surrogate or odd byte as U+FFFD (counted
 * in replaced). Returns SIFT_OK when flushed; needs 4 bytes of room per
 * replacement and returns SIFT_DST_FULL otherwise (drain and call again). The
 * state can then be reused for a new stream (replaced keeps counting). */
sift_status sift_utf16le_finish(sift_utf16 *st, sift_out *out);

#endif
