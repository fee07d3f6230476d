/* fuzz_text.c - sniffing, and UTF-16LE and CP932 transcoding that match a
 * plain decoder, bounded, whatever the chunking. */
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sift_text.h"

/* Strict UTF-8: no overlongs, no surrogates, nothing past U+10FFFF. */
static void check_utf8(const uint8_t *p, size_t n)
{
    static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    for (size_t i = 0; i < n;) {
        const uint8_t b = p[i];
        const size_t len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
        FUZZ_ASSERT(len != 0 && len <= n - i);
        uint32_t cp = len == 1 ? b : (uint32_t)(b & (0x7F >> len));
        for (size_t k = 1; k < len; k++) {
            FUZZ_ASSERT((p[i + k] & 0xC0) == 0x80);
            cp = cp << 6 | (p[i + k] & 0x3Fu);
        }
        FUZZ_ASSERT(cp >= min_cp[len] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF));
        i += len;
    }
}

/* Written independently of sift_text.c's encoder, as a second opinion. */
static size_t put(uint8_t *o, uint32_t cp)
{
    static const uint8_t lead[5] = { 0, 0x00, 0xC0, 0xE0, 0xF0 };
    const size_t len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (size_t k = len - 1; k > 0; k--) {
        o[k] = (uint8_t)(0x80 | (cp & 0x3F));
        cp >>= 6;
    }
    o[0] = (uint8_t)(lead[len] | cp);
    return len;
}

/* The plain whole-buffer decoder the streaming one must agree with. */
static size_t reference_utf16(const uint8_t *d, size_t size, uint8_t *o, uint64_t *replaced)
{
    size_t n = 0, i = 0;
    *replaced = 0;
    for (; i + 2 <= size; i += 2) {
        const uint32_t u = (uint32_t)(d[i] | d[i + 1] << 8);
        const uint32_t v = i + 4 <= size ? (uint32_t)(d[i + 2] | d[i + 3] << 8) : 0;
        if (u >= 0xD800 && u <= 0xDBFF && v >= 0xDC00 && v <= 0xDFFF) {
            n += put(o + n, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
            i += 2;
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            n += put(o + n, 0xFFFD);
            ++*replaced;
        } else {
            n += put(o + n, u);
        }
    }
    if (i < size) {
        n += put(o + n, 0xFFFD);
        ++*replaced;
    }
    return n;
}

/* The CP932 decoder the streaming one must agree with: one character at a
 * time, each in its own iconv call, lengths from the CP932 byte ranges. */
static size_t reference_cp932(iconv_t cd, const uint8_t *d, size_t size, uint8_t *o, uint64_t *replaced)
{
    size_t n = 0;
    *replaced = 0;
    for (size_t i = 0; i < size;) {
        const uint8_t b = d[i];
        const int lead = (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC);
        const int pair = lead && i + 1 < size && d[i + 1] >= 0x40 && d[i + 1] <= 0xFC && d[i + 1] != 0x7F;
        const size_t len = pair ? 2 : 1;
        char *ip = (char *)(uintptr_t)(d + i), *op = (char *)(o + n);
        size_t il = len, ol = 4;
        if (b < 0x80) {
            o[n++] = b;
        } else if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && il == 0) {
            n += 4 - ol;
        } else {
            n += put(o + n, 0xFFFD);
            ++*replaced;
        }
        i += len;
    }
    return n;
}

/* One streaming decoder behind one interface. */
typedef struct codec {
    sift_encoding enc;
    sift_utf16 u16;
    sift_cp932 cp;
} codec;

static sift_status codec_step(codec *c, sift_in *in, sift_out *out)
{
    return c->enc == SIFT_ENC_CP932 ? sift_cp932_to_utf8(&c->cp, in, out) : sift_utf16le_to_utf8(&c->u16, in, out);
}

static sift_status codec_finish(codec *c, sift_out *out)
{
    return c->enc == SIFT_ENC_CP932 ? sift_cp932_finish(&c->cp, out) : sift_utf16le_finish(&c->u16, out);
}

static uint64_t codec_replaced(const codec *c)
{
    return c->u16.replaced + c->cp.replaced;
}

/* Decode data whole, then in fuzz_chunk pieces through a small window, and
 * check both against the reference ref[0, n_ref) and the bound. */
static void check_codec(sift_encoding enc, const uint8_t *data, size_t size, size_t bound, const uint8_t *ref,
                        size_t n_ref, uint64_t ref_replaced)
{
    uint8_t *whole = malloc(bound + 4), *chunked = malloc(bound + 4);
    FUZZ_ASSERT(whole && chunked);

    /* One call with room for the worst case never sees DST_FULL. */
    codec a = { .enc = enc };
    FUZZ_ASSERT(enc != SIFT_ENC_CP932 || sift_cp932_open(&a.cp) == 0);
    sift_in in = { data, size, 0 };
    sift_out out = { whole, bound + 4, 0 };
    FUZZ_ASSERT(codec_step(&a, &in, &out) == SIFT_NEED_MORE && in.pos == size);
    FUZZ_ASSERT(codec_finish(&a, &out) == SIFT_OK);
    const size_t n_whole = out.pos;
    FUZZ_ASSERT(n_whole <= bound);
    FUZZ_ASSERT(n_whole == n_ref && memcmp(whole, ref, n_ref) == 0 && codec_replaced(&a) == ref_replaced);
    check_utf8(whole, n_whole);

    /* Input in fuzz_chunk pieces, output through a small window allocated to
     * its exact size, so a write past out->size is an ASan error. */
    codec b = { .enc = enc };
    FUZZ_ASSERT(enc != SIFT_ENC_CP932 || sift_cp932_open(&b.cp) == 0);
    const size_t room = 4 + (size ? data[size - 1] % 61 : 0);
    uint8_t *window = malloc(room);
    FUZZ_ASSERT(window);
    size_t n_chunked = 0, from = 0, i = 0;
    sift_status st;
    while (from < size) {
        size_t step = fuzz_chunk(data, size, i++);
        if (step > size - from)
            step = size - from;
        sift_in part = { data + from, step, 0 };
        do {
            sift_out w = { window, room, 0 };
            st = codec_step(&b, &part, &w);
            FUZZ_ASSERT(w.pos <= room && part.pos <= part.size);
            FUZZ_ASSERT(st == SIFT_NEED_MORE || (st == SIFT_DST_FULL && room - w.pos < 4));
            FUZZ_ASSERT(n_chunked + w.pos <= n_whole);
            memcpy(chunked + n_chunked, window, w.pos);
            n_chunked += w.pos;
        } while (st == SIFT_DST_FULL);
        FUZZ_ASSERT(part.pos == part.size);
        from += step;
    }
    do {
        sift_out w = { window, room, 0 };
        st = codec_finish(&b, &w);
        FUZZ_ASSERT(st == SIFT_OK || (st == SIFT_DST_FULL && room - w.pos < 4));
        FUZZ_ASSERT(n_chunked + w.pos <= n_whole);
        memcpy(chunked + n_chunked, window, w.pos);
        n_chunked += w.pos;
    } while (st == SIFT_DST_FULL);
    FUZZ_ASSERT(n_chunked == n_whole && memcmp(chunked, whole, n_whole) == 0);
    FUZZ_ASSERT(codec_replaced(&a) == codec_replaced(&b));
    sift_cp932_close(&a.cp);
    sift_cp932_close(&b.cp);
    free(window);
    free(whole);
    free(chunked);
}

/* What CP932 sniffing promises: well-formed in shape, and kana in it. */
static void check_cp932_verdict(const uint8_t *p, size_t n)
{
    size_t kana = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t b = p[i];
        FUZZ_ASSERT(b != 0 && b != 0x80 && b != 0xA0 && b < 0xFD);
        if ((b >= 0x81 && b <= 0x9F) || b >= 0xE0) {
            if (i + 1 == n)
                break;
            kana += (b == 0x82 && p[i + 1] >= 0x9F && p[i + 1] <= 0xF1) || (b == 0x83 && p[i + 1] <= 0x96) ||
                    (b == 0x81 && p[i + 1] == 0x5B);
            i++;
        }
    }
    FUZZ_ASSERT(kana >= SIFT_CP932_MIN_KANA);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static iconv_t cd = (iconv_t)-1;
    if (cd == (iconv_t)-1) {
        cd = iconv_open("UTF-8", "CP932");
        FUZZ_ASSERT(cd != (iconv_t)-1);
    }
    size_t bom = 99;
    const sift_encoding enc = sift_text_sniff(sift_slice_make(data, size), &bom);
    FUZZ_ASSERT(enc <= SIFT_ENC_CP932 && bom <= size && (bom == 0 || bom == 2 || bom == 3));
    FUZZ_ASSERT(sift_encoding_name(enc) != NULL);
    const size_t head = size < 4096 ? size : 4096;
    FUZZ_ASSERT(enc != SIFT_ENC_UTF8 || bom == 3 || memchr(data, 0, head) == NULL);
    FUZZ_ASSERT(sift_text_sniff(sift_slice_make(data, head), NULL) == enc);
    if (enc == SIFT_ENC_CP932)
        check_cp932_verdict(data, head);

    const size_t bound16 = 3 * (size / 2) + 3, bound932 = 3 * size;
    uint8_t *ref = malloc((bound16 > bound932 ? bound16 : bound932) + 4);
    FUZZ_ASSERT(ref);
    uint64_t ref_replaced;
    size_t n_ref = reference_utf16(data, size, ref, &ref_replaced);
    check_codec(SIFT_ENC_UTF16LE, data, size, bound16, ref, n_ref, ref_replaced);
    n_ref = reference_cp932(cd, data, size, ref, &ref_replaced);
    check_codec(SIFT_ENC_CP932, data, size, bound932, ref, n_ref, ref_replaced);
    free(ref);
    return 0;
}
