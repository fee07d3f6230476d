/* sift_text.h - text encodings of Windows exports.
 *
 * Inputs arrive as UTF-8 (with or without BOM), UTF-16LE (with BOM, as
 * PowerShell 5.1 `>` and wmic write, or without), or CP932 (Shift_JIS as
 * Windows writes it: what cmd redirection and Export-Csv produce on ja-JP).
 * The engine scans UTF-8 only, so the others are transcoded here, streaming,
 * with a bounded state of a few bytes: UTF-16LE by hand, CP932 through
 * iconv. */
#ifndef SIFT_TEXT_H
#define SIFT_TEXT_H

#include "sift_slice.h"
#include "sift_status.h"

typedef enum sift_encoding {
    SIFT_ENC_UTF8 = 0,    /* also plain ASCII and unknown 8-bit text */
    SIFT_ENC_UTF16LE = 1,
    SIFT_ENC_UTF16BE = 2, /* recognised so it can be reported, not decoded */
    SIFT_ENC_BINARY = 3,  /* NUL bytes in a way no text encoding explains */
    SIFT_ENC_CP932 = 4,   /* Japanese Windows code page, no BOM */
} sift_encoding;

/* Double-byte kana (hiragana, katakana, the prolonged sound mark) a head
 * that is not UTF-8 must hold to be judged CP932. Japanese Windows text
 * has them in every title and label (アクティブな接続, ログの名前, レベル);
 * Latin-1 or CP1252 text would need the bytes 0x82 or 0x83 (C1 controls,
 * or the rare low-9 quote and florin sign) each followed by just the right
 * byte, twice. */
#define SIFT_CP932_MIN_KANA 2

/* Decide from the first bytes of a decoded stream (give up to 4 KiB; bytes
 * past 4 KiB are not looked at). Sets *bom_len (if bom_len is not NULL) to the
 * BOM length to skip (0, 2 or 3): EF BB BF is UTF8, FF FE UTF16LE, FE FF
 * UTF16BE. Without a BOM: no NUL byte at all is UTF8; more than half of the
 * odd-index bytes NUL and at most one even-index NUL per eight odd ones is
 * UTF16LE (ASCII-heavy UTF-16LE written without BOM); any other NUL, even a
 * single one in otherwise plain text, is BINARY, as text logs carry none.
 * UTF-16BE without BOM is reported as BINARY. An empty head is UTF8.
 * Without BOM or NUL: well-formed UTF-8 (a sequence cut by the end of head
 * allowed) is UTF8; else a head that is well-formed CP932 throughout (a
 * lead byte cut by its end allowed) with at least SIFT_CP932_MIN_KANA
 * double-byte kana is CP932; anything else (Latin-1, CP1252, CP850, ...) is
 * UTF8 too, read as the bytes it holds, as before: the rules' triggers are
 * ASCII. */
sift_encoding sift_text_sniff(sift_slice head, size_t *bom_len);

/* Static name: "utf-8", "utf-16le", "utf-16be", "binary", "cp932";
 * "unknown" for a value outside the enum. Never NULL. */
const char *sift_encoding_name(sift_encoding e);

/* The text encoding named name ("utf-8", "utf-16le" or "cp932", any case;
 * "utf8" and "shift_jis" too): 0 and *e set, or -1. */
int sift_encoding_parse(sift_slice name, sift_encoding *e);

/* Length of the well-formed UTF-8 sequence at p[0, n) (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF): 1 to 4, or 0 when
 * p[0] starts none or it is cut short by n. */
size_t sift_utf8_len(const uint8_t *p, size_t n);

/* Writes the UTF-8 form of cp (a scalar value, never a surrogate) at p,
 * which has room for 4 bytes; returns how many it wrote (1 to 4). */
size_t sift_utf8_put(uint8_t *p, uint32_t cp);

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

/* Streaming CP932 to UTF-8, through iconv. Open before use, close after. */
typedef struct sift_cp932 {
    void *cd;          /* the iconv descriptor */
    uint8_t lead;      /* a lead byte whose trail byte is in the next call */
    uint8_t have_lead;
    uint64_t replaced; /* U+FFFD written, one per byte or pair not CP932 */
} sift_cp932;

/* 0, or -1 when this C library's iconv cannot convert CP932 (st is then
 * left closed: sift_cp932_close accepts it). */
int sift_cp932_open(sift_cp932 *st);
void sift_cp932_close(sift_cp932 *st);

/* Like sift_utf16le_to_utf8: SIFT_NEED_MORE when all input is consumed,
 * SIFT_DST_FULL when out has fewer than 4 bytes of room left; never fails.
 * What is not CP932 becomes one U+FFFD, counted: a lead byte with a byte
 * in the trail range after it that together map to nothing (a pair), else
 * the one byte (0x80, 0xA0, 0xFD-0xFF, a lead byte before a byte that
 * cannot trail, such as a line end, which is then decoded on its own), so
 * that a damaged character never swallows the line end after it. Output
 * does not depend on how the input is chunked nor on the size of out; a
 * stream of n bytes, finish included, yields at most 3 * n bytes. */
sift_status sift_cp932_to_utf8(sift_cp932 *st, sift_in *in, sift_out *out);

/* At end of input: a dangling lead byte becomes U+FFFD (counted). SIFT_OK,
 * or SIFT_DST_FULL below 4 bytes of room (drain and call again). The state
 * can then be reused for a new stream (replaced keeps counting). */
sift_status sift_cp932_finish(sift_cp932 *st, sift_out *out);

#endif
