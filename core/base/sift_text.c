/* sift_text.c - encoding sniffing, and streaming UTF-16LE and CP932 to
 * UTF-8. */
#include "sift_text.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#define SNIFF_MAX 4096
#define REPLACEMENT 0xFFFDu
/* U+FFFD in UTF-8. */
#define REPLACEMENT_UTF8 "\xef\xbf\xbd"

size_t sift_utf8_len(const uint8_t *p, size_t n)
{
    if (n == 0)
        return 0;
    const uint8_t c = p[0];
    if (c < 0x80)
        return 1;
    size_t len;
    uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4;
    else
        return 0;
    if (c == 0xE0)
        lo = 0xA0; /* overlong */
    else if (c == 0xED)
        hi = 0x9F; /* surrogates */
    else if (c == 0xF0)
        lo = 0x90; /* overlong */
    else if (c == 0xF4)
        hi = 0x8F; /* past U+10FFFF */
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return len;
}

/* A head cut at SNIFF_MAX may end inside a sequence: up to its last 3 bytes
 * are not held against it. */
static int utf8_head(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        /* Every input is judged here, and most are ASCII: runs of it are
         * passed eight bytes at a time, characters only where a byte is high. */
        while (n - i >= 8) {
            uint64_t w;
            memcpy(&w, p + i, sizeof w);
            if (w & UINT64_C(0x8080808080808080))
                break;
            i += 8;
        }
        while (i < n && p[i] < 0x80)
            i++;
        if (i == n)
            break;
        size_t len = sift_utf8_len(p + i, n - i);
        if (len == 0)
            return n - i < 4;
        i += len;
    }
    return 1;
}

static int cp932_lead(uint8_t b)
{
    return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC);
}

static int cp932_trail(uint8_t b)
{
    return b >= 0x40 && b <= 0xFC && b != 0x7F;
}

/* Well-formed CP932 in shape (single bytes 0x00-0x7F and the half-width
 * katakana 0xA1-0xDF, lead and trail pairs), holding at least
 * SIFT_CP932_MIN_KANA double-byte kana: U+3041-U+3093 (0x829F-0x82F1),
 * U+30A1-U+30F6 (0x8340-0x8396), U+30FC (0x815B). */
static int cp932_head(const uint8_t *p, size_t n)
{
    size_t kana = 0;
    for (size_t i = 0; i < n;) {
        const uint8_t b = p[i];
        if (b < 0x80 || (b >= 0xA1 && b <= 0xDF)) {
            i++;
            continue;
        }
        if (!cp932_lead(b))
            return 0;
        if (i + 1 == n)
            break; /* cut by the end of the head */
        const uint8_t t = p[i + 1];
        if (!cp932_trail(t))
            return 0;
        if ((b == 0x82 && t >= 0x9F && t <= 0xF1) || (b == 0x83 && t >= 0x40 && t <= 0x96) ||
            (b == 0x81 && t == 0x5B))
            kana++;
        i += 2;
    }
    return kana >= SIFT_CP932_MIN_KANA;
}

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
        /* Text has no NUL: count them only when there is one. */
        for (size_t i = n && memchr(p, 0, n) ? 0 : n; i < n; i++) {
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
        else if (!utf8_head(p, n) && cp932_head(p, n))
            enc = SIFT_ENC_CP932;
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
    case SIFT_ENC_CP932:
        return "cp932";
    }
    return "unknown";
}

int sift_encoding_parse(sift_slice name, sift_encoding *e)
{
    static const struct {
        const char *name;
        sift_encoding enc;
    } names[] = {
        { "utf-8", SIFT_ENC_UTF8 },       { "utf8", SIFT_ENC_UTF8 },          { "utf-16le", SIFT_ENC_UTF16LE },
        { "utf16le", SIFT_ENC_UTF16LE }, { "cp932", SIFT_ENC_CP932 },       { "shift_jis", SIFT_ENC_CP932 },
        { "windows-31j", SIFT_ENC_CP932 },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (sift_slice_eq_nocase(name, sift_slice_make(names[i].name, strlen(names[i].name)))) {
            *e = names[i].enc;
            return 0;
        }
    }
    return -1;
}

static int is_high(uint32_t u)
{
    return u >= 0xD800 && u <= 0xDBFF;
}

static int is_low(uint32_t u)
{
    return u >= 0xDC00 && u <= 0xDFFF;
}

size_t sift_utf8_put(uint8_t *p, uint32_t cp)
{
    if (cp < 0x80) {
        p[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        p[0] = (uint8_t)(0xC0 | (cp >> 6));
        p[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        p[0] = (uint8_t)(0xE0 | (cp >> 12));
        p[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        p[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    p[0] = (uint8_t)(0xF0 | (cp >> 18));
    p[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    p[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    p[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* The caller ensured 4 bytes of room. */
static void put_utf8(sift_out *out, uint32_t cp)
{
    out->pos += sift_utf8_put(out->buf + out->pos, cp);
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

/* ---- CP932 ------------------------------------------------------------------ */

int sift_cp932_open(sift_cp932 *st)
{
    memset(st, 0, sizeof *st);
    iconv_t cd = iconv_open("UTF-8", "CP932");
    if (cd == (iconv_t)-1) {
        st->cd = NULL;
        return -1;
    }
    st->cd = cd;
    return 0;
}

void sift_cp932_close(sift_cp932 *st)
{
    if (st->cd)
        iconv_close((iconv_t)st->cd);
    st->cd = NULL;
}

static void put_replacement(sift_cp932 *st, sift_out *out)
{
    memcpy(out->buf + out->pos, REPLACEMENT_UTF8, 3);
    out->pos += 3;
    st->replaced++;
}

/* Bytes p[0, n) that iconv refused at p[0]: how many one U+FFFD stands
 * for. A pair when a lead byte has a byte of the trail range after it, as
 * Windows counts one character; else the one byte. */
static size_t refused(const uint8_t *p, size_t n)
{
    return n >= 2 && cp932_lead(p[0]) && cp932_trail(p[1]) ? 2 : 1;
}

/* One iconv call over p[0, n) into out. Returns bytes consumed; sets *cut
 * when what is left is an incomplete character (a lone lead byte at the
 * end), *bad when iconv refused the byte at the returned position. */
static size_t cp932_step(sift_cp932 *st, const uint8_t *p, size_t n, sift_out *out, int *cut, int *bad)
{
    char *ip = (char *)(uintptr_t)p;
    char *op = (char *)(out->buf + out->pos);
    size_t il = n, ol = out->size - out->pos;
    *cut = *bad = 0;
    size_t rc = iconv((iconv_t)st->cd, &ip, &il, &op, &ol);
    out->pos = out->size - ol;
    if (rc == (size_t)-1) {
        if (errno == EINVAL)
            *cut = 1;
        else if (errno == EILSEQ)
            *bad = 1;
    }
    return n - il;
}

/* Each step below writes at most 3 bytes per input byte and at most one
 * U+FFFD per refusal, so a room check of 4 bytes per step keeps progress. */
sift_status sift_cp932_to_utf8(sift_cp932 *st, sift_in *in, sift_out *out)
{
    for (;;) {
        if (in->pos == in->size)
            return SIFT_NEED_MORE;
        if (out->size - out->pos < 4)
            return SIFT_DST_FULL;
        if (st->have_lead) {
            /* The lead byte kept from the last call and its trail. */
            const uint8_t pair[2] = { st->lead, in->buf[in->pos] };
            int cut, bad;
            size_t used = cp932_step(st, pair, 2, out, &cut, &bad);
            st->have_lead = 0;
            if (used == 2) {
                in->pos++;
                continue;
            }
            put_replacement(st, out);
            if (refused(pair, 2) == 2)
                in->pos++;
            continue;
        }
        const uint8_t *src = in->buf + in->pos;
        const size_t left = in->size - in->pos;
        /* ASCII fast path: CP932 maps 0x00-0x7F to themselves. */
        size_t room = out->size - out->pos, i = 0;
        uint8_t *dst = out->buf + out->pos;
        while (i < left && i < room && src[i] < 0x80) {
            dst[i] = src[i];
            i++;
        }
        in->pos += i;
        out->pos += i;
        if (i > 0)
            continue;
        int cut, bad;
        size_t used = cp932_step(st, src, left, out, &cut, &bad);
        in->pos += used;
        if (cut && in->size - in->pos == 1) {
            /* One lead byte left: its trail comes in the next call. */
            st->lead = in->buf[in->pos++];
            st->have_lead = 1;
        } else if (bad || cut) {
            if (out->size - out->pos < 3)
                continue; /* the top of the loop says DST_FULL */
            put_replacement(st, out);
            in->pos += refused(in->buf + in->pos, in->size - in->pos);
        } else if (used == 0) {
            return SIFT_DST_FULL; /* no room for the next character */
        }
    }
}

sift_status sift_cp932_finish(sift_cp932 *st, sift_out *out)
{
    if (!st->have_lead)
        return SIFT_OK;
    if (out->size - out->pos < 4)
        return SIFT_DST_FULL;
    put_replacement(st, out);
    st->have_lead = 0;
    return SIFT_OK;
}
