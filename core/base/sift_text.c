/* sift_text.c - encoding sniffing and streaming UTF-16LE to UTF-8. */
#include "sift_text.h"

#define SNIFF_MAX 4096
#define REPLACEMENT 0xFFFDu

sift_encoding sift_text_sniff(sift_slice head, size_t *bom_len)
{
    size_t bom = 0;
    sift_encoding enc = SIFT_ENC_UTF8;
    const uint8_t *p = head.ptr;
    const size_t n = head.len < SNIFF_MAX ? head.len : SNIFF_MAX;

    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        bom = 3;
    } else if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
        enc = SIFT_ENC_UTF16LE;
        bom = 2;
    } else if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
        enc = SIFT_ENC_UTF16BE;
        bom = 2;
    } else {
        size_t nul_even = 0, nul_odd = 0;
        for (size_t i = 0; i < n; i++) {
            if (p[i] == 0) {
                if (i & 1)
                    nul_odd++;
                else
                    nul_even++;
            }
        }
        const size_t odd_slots = n / 2;
        /* UTF-16LE text that is mostly ASCII (netstat, wevtutil, PowerShell
         * without BOM) has a NUL in most high bytes and few in low bytes, as a
         * low byte is 0 only for U+xx00. Requiring over half the odd bytes NUL
         * and even NULs under an eighth of that still admits some CJK text. */
        if (odd_slots > 0 && nul_odd * 2 > odd_slots && nul_even * 8 <= nul_odd)
            enc = SIFT_ENC_UTF16LE;
        else if (nul_odd + nul_even > 0)
            enc = SIFT_ENC_BINARY; /* even one NUL: text logs have none */
    }
    if (bom_len)
        *bom_len = bom;
    return enc;
}

const char *sift_encoding_name(sift_encoding e)
{
    switch (e) {
    case SIFT_ENC_UTF8:
        return "utf-8";
    case SIFT_ENC_UTF16LE:
        return "utf-16le";
    case SIFT_ENC_UTF16BE:
        return "utf-16be";
    case SIFT_ENC_BINARY:
        return "binary";
    }
    return "unknown";
}

static int is_high(uint32_t u)
{
    return u >= 0xD800 && u <= 0xDBFF;
}

static int is_low(uint32_t u)
{
    return u >= 0xDC00 && u <= 0xDFFF;
}

/* Encodes a scalar value (never a surrogate); the caller ensured 4 bytes of room. */
static void put_utf8(sift_out *out, uint32_t cp)
{
    uint8_t *p = out->buf + out->pos;
    if (cp < 0x80) {
        p[0] = (uint8_t)cp;
        out->pos += 1;
    } else if (cp < 0x800) {
        p[0] = (uint8_t)(0xC0 | (cp >> 6));
        p[1] = (uint8_t)(0x80 | (cp & 0x3F));
        out->pos += 2;
    } else if (cp < 0x10000) {
        p[0] = (uint8_t)(0xE0 | (cp >> 12));
        p[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        p[2] = (uint8_t)(0x80 | (cp & 0x3F));
        out->pos += 3;
    } else {
        p[0] = (uint8_t)(0xF0 | (cp >> 18));
        p[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
        p[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        p[3] = (uint8_t)(0x80 | (cp & 0x3F));
        out->pos += 4;
    }
}

/* Every step below writes at most 4 bytes: one code unit, or the U+FFFD for
 * a stranded high surrogate (the unit after it is then handled as its own
 * step). So one room check per step keeps the output within bounds. */
sift_status sift_utf16le_to_utf8(sift_utf16 *st, sift_in *in, sift_out *out)
{
    for (;;) {
        const size_t left = in->size - in->pos;
        if (left == 0)
            return SIFT_NEED_MORE;
        if (!st->have_odd && left == 1) {
            st->odd_byte = in->buf[in->pos++];
            st->have_odd = 1;
            return SIFT_NEED_MORE;
        }
        const size_t room = out->size - out->pos;
        if (room < 4)
            return SIFT_DST_FULL;

        if (!st->have_odd && !st->pending_high) {
            /* ASCII fast path: most of a Windows export. Each unit writes one
             * byte, and stopping at 3 bytes of room keeps the DST_FULL rule. */
            size_t units = left / 2;
            if (units > room - 3)
                units = room - 3;
            const uint8_t *src = in->buf + in->pos;
            uint8_t *dst = out->buf + out->pos;
            size_t i = 0;
            while (i < units && src[2 * i + 1] == 0 && src[2 * i] < 0x80) {
                dst[i] = src[2 * i];
                i++;
            }
            in->pos += 2 * i;
            out->pos += i;
            if (i > 0)
                continue;
        }

        uint32_t u;
        size_t take;
        if (st->have_odd) {
            u = (uint32_t)st->odd_byte | (uint32_t)in->buf[in->pos] << 8;
            take = 1;
        } else {
            u = (uint32_t)in->buf[in->pos] | (uint32_t)in->buf[in->pos + 1] << 8;
            take = 2;
        }
        if (st->pending_high) {
            const uint32_t hi = st->pending_high;
            st->pending_high = 0;
            if (!is_low(u)) {
                /* Leave u unconsumed: it is decoded on the next step. */
                put_utf8(out, REPLACEMENT);
                st->replaced++;
                continue;
            }
            in->pos += take;
            st->have_odd = 0;
            put_utf8(out, 0x10000 + ((hi - 0xD800) << 10) + (u - 0xDC00));
            continue;
        }
        in->pos += take;
        st->have_odd = 0;
        if (is_high(u)) {
            st->pending_high = u;
        } else if (is_low(u)) {
            put_utf8(out, REPLACEMENT);
            st->replaced++;
        } else {
            put_utf8(out, u);
        }
    }
}

sift_status sift_utf16le_finish(sift_utf16 *st, sift_out *out)
{
    /* A stranded high surrogate and an odd byte are separate losses, each
     * flushed in its own step so 4 bytes of room per call is enough. */
    while (st->pending_high || st->have_odd) {
        if (out->size - out->pos < 4)
            return SIFT_DST_FULL;
        put_utf8(out, REPLACEMENT);
        st->replaced++;
        if (st->pending_high)
            st->pending_high = 0;
        else
            st->have_odd = 0;
    }
    return SIFT_OK;
}
