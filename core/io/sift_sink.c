/* sift_sink.c - encoding detection, UTF-16LE and CP932 transcoding, and the
 * window the consumer reads. */
#include "sift_sink.h"

#include <stdlib.h>
#include <string.h>

/* Bytes of UTF-16 or CP932 staged before transcoding into the window. */
#define STAGE_SIZE (256u * 1024u)

struct sift_sink {
    sift_sink_consumer c;
    uint8_t *win, *stage;
    size_t win_size;
    int live;
    int decided;
    int rejected; /* not text: the input is read no further */
    int raw;      /* claimed by the consumer: passed on untranscoded */
    int stopped;  /* a callback said stop */
    sift_encoding enc;
    int forced;   /* a sift_encoding to read text as, or -1: judge it */
    sift_utf16 u16;
    sift_cp932 cp932;
    int have_cp932; /* iconv converts CP932 here */
    uint64_t replaced_before; /* u16 and cp932 replacements before this input */
    size_t len; /* window bytes [0, len) */
    size_t pos; /* where the next consume starts in the window (BOM skip) */
};

sift_sink *sift_sink_create(size_t window, size_t max_keep, const sift_sink_consumer *c)
{
    if (max_keep > window || window - max_keep < 2 * SIFT_SINK_MIN_ROOM)
        return NULL;
    sift_sink *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    k->c = *c;
    k->forced = -1;
    k->have_cp932 = sift_cp932_open(&k->cp932) == 0;
    k->win_size = window;
    k->win = malloc(window);
    k->stage = malloc(STAGE_SIZE);
    if (!k->win || !k->stage) {
        sift_sink_free(k);
        return NULL;
    }
    return k;
}

void sift_sink_free(sift_sink *k)
{
    if (!k)
        return;
    sift_cp932_close(&k->cp932);
    free(k->win);
    free(k->stage);
    free(k);
}

void sift_sink_begin(sift_sink *k, int live)
{
    k->live = live;
    k->decided = k->rejected = k->stopped = k->raw = 0;
    k->enc = SIFT_ENC_UTF8;
    /* A stream cut inside a character leaves nothing behind: a pending
     * half was flushed by finish, or the input ended without one. */
    k->u16.pending_high = 0;
    k->u16.have_odd = 0;
    k->cp932.have_lead = 0;
    k->replaced_before = k->u16.replaced + k->cp932.replaced;
    k->len = k->pos = 0;
}

int sift_sink_force(sift_sink *k, sift_encoding enc)
{
    if (enc == SIFT_ENC_CP932 && !k->have_cp932)
        return -1;
    if (enc != SIFT_ENC_UTF8 && enc != SIFT_ENC_UTF16LE && enc != SIFT_ENC_CP932)
        return -1;
    k->forced = (int)enc;
    return 0;
}

sift_encoding sift_sink_judge(const sift_sink *k, sift_slice head, size_t *bom)
{
    sift_encoding sniffed = sift_text_sniff(head, bom);
    if (sniffed == SIFT_ENC_CP932 && !k->have_cp932)
        sniffed = SIFT_ENC_UTF8; /* read as bytes, as before CP932 was known */
    if (k->forced < 0)
        return sniffed;
    const sift_encoding f = (sift_encoding)k->forced;
    /* Only UTF-16 explains NUL bytes; a forced encoding does not make a
     * binary file text. */
    if (sniffed == SIFT_ENC_BINARY && f != SIFT_ENC_UTF16LE)
        return SIFT_ENC_BINARY;
    /* The forced encoding's own BOM is skipped; any other is text. */
    static const uint8_t bom8[] = { 0xEF, 0xBB, 0xBF }, bom16[] = { 0xFF, 0xFE };
    *bom = 0;
    if (f == SIFT_ENC_UTF8 && head.len >= 3 && memcmp(head.ptr, bom8, 3) == 0)
        *bom = 3;
    else if (f == SIFT_ENC_UTF16LE && head.len >= 2 && memcmp(head.ptr, bom16, 2) == 0)
        *bom = 2;
    return f;
}

uint64_t sift_sink_replaced(const sift_sink *k)
{
    return k->u16.replaced + k->cp932.replaced - k->replaced_before;
}

static int transcoding(const sift_sink *k)
{
    return k->decided && !k->raw && (k->enc == SIFT_ENC_UTF16LE || k->enc == SIFT_ENC_CP932);
}

/* Hand the consumer buf[pos, len); returns where the bytes to keep begin,
 * or sets stopped. */
static size_t consume(sift_sink *k, const uint8_t *buf, size_t len, size_t pos, unsigned flags)
{
    sift_in in = { buf, len, pos };
    if (k->c.consume(k->c.ctx, &in, flags) != 0)
        k->stopped = 1;
    return in.pos;
}

/* flags: SIFT_SINK_END, SIFT_SINK_PAUSE. */
static void consume_window(sift_sink *k, unsigned flags)
{
    if (k->stopped)
        return;
    size_t from = consume(k, k->win, k->len, k->pos, flags);
    if (k->stopped)
        return;
    size_t keep = k->len - from;
    memmove(k->win, k->win + from, keep);
    k->len = keep;
    k->pos = 0;
}

static void transcode(sift_sink *k, const uint8_t *p, size_t n)
{
    sift_in in = { p, n, 0 };
    for (;;) {
        sift_out out = { k->win, k->win_size, k->len };
        sift_status st = k->enc == SIFT_ENC_CP932 ? sift_cp932_to_utf8(&k->cp932, &in, &out)
                                                  : sift_utf16le_to_utf8(&k->u16, &in, &out);
        k->len = out.pos;
        if (st != SIFT_DST_FULL)
            break;
        consume_window(k, 0);
        if (k->stopped)
            return;
    }
}

/* The Windows XP/2003 format: a header whose size (48, little-endian)
 * comes before its magic. Both are checked, so that text which happens to
 * hold "LfLe" at offset 4 is still text. */
int sift_sink_old_evt(sift_slice head)
{
    return head.len >= 8 && sift_le32(head.ptr) == 0x30 && memcmp(head.ptr + 4, "LfLe", 4) == 0;
}

/* Decide the encoding from the first bytes in the window. */
static void decide(sift_sink *k)
{
    size_t bom = 0;
    sift_slice head = sift_slice_make(k->win, k->len < SIFT_SINK_SNIFF ? k->len : SIFT_SINK_SNIFF);
    k->decided = 1;
    if (k->c.claim && k->c.claim(k->c.ctx, head)) {
        /* Raw: the window passes the bytes on as they came. */
        k->enc = SIFT_ENC_BINARY;
        k->raw = 1;
        if (k->c.begin(k->c.ctx, 0) != 0)
            k->stopped = 1;
        return;
    }
    k->enc = sift_sink_judge(k, head, &bom);
    const char *why = NULL;
    if (sift_sink_old_evt(head))
        why = "an old-format .evt event log (Windows XP/2003), not EVTX: not supported";
    else if (k->enc == SIFT_ENC_BINARY)
        why = sift_status_str(SIFT_ERR_BINARY);
    else if (k->enc == SIFT_ENC_UTF16BE)
        why = "UTF-16BE text is not supported";
    if (why) {
        k->rejected = 1;
        k->len = 0;
        k->c.reject(k->c.ctx, why);
        return;
    }
    if (transcoding(k)) {
        uint8_t first[SIFT_SINK_SNIFF];
        size_t n = k->len - bom;
        memcpy(first, k->win + bom, n);
        k->len = 0;
        /* Offsets are then those of the UTF-8 text the consumer reads. */
        if (k->c.begin(k->c.ctx, 0) != 0)
            k->stopped = 1;
        transcode(k, first, n);
    } else {
        k->pos = bom;
        if (k->c.begin(k->c.ctx, bom) != 0)
            k->stopped = 1;
    }
}

/* The window itself for UTF-8 (no copy); the stage for UTF-16 and CP932,
 * which must be transcoded first, and for what is rejected. */
void sift_sink_space(sift_sink *k, uint8_t **p, size_t *cap)
{
    if (k->rejected || transcoding(k)) {
        *p = k->stage;
        *cap = STAGE_SIZE;
        return;
    }
    if (!k->decided) {
        *p = k->win + k->len;
        *cap = SIFT_SINK_SNIFF - k->len;
        return;
    }
    if (k->win_size - k->len < SIFT_SINK_MIN_ROOM)
        consume_window(k, 0);
    *p = k->win + k->len;
    *cap = k->win_size - k->len;
}

static int live_decidable(const uint8_t *p, size_t n)
{
    if ((n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) || (n >= 2 && (memcmp(p, "\xff\xfe", 2) == 0 ||
                                                                     memcmp(p, "\xfe\xff", 2) == 0)))
        return 1;
    return n >= 8 && memchr(p, '\n', n) != NULL;
}

void sift_sink_commit(sift_sink *k, size_t n)
{
    if (n == 0 || k->stopped || k->rejected)
        return;
    if (transcoding(k)) {
        transcode(k, k->stage, n);
    } else {
        k->len += n;
        /* A live stream cannot wait for a full sniff buffer that may never
         * come: decide on a BOM, or once a whole line is there to judge. */
        if (!k->decided && (k->len >= SIFT_SINK_SNIFF || (k->live && live_decidable(k->win, k->len))))
            decide(k);
    }
}

/* A live stream may stay quiet for hours: pass on what has arrived, so
 * that an open candidate record can be judged now. */
void sift_sink_pause(sift_sink *k)
{
    if (k->live && k->decided && !k->rejected)
        consume_window(k, SIFT_SINK_PAUSE);
}

void sift_sink_drain(sift_sink *k)
{
    if (k->decided && !k->rejected)
        consume_window(k, 0);
}

void sift_sink_write(sift_sink *k, const uint8_t *p, size_t n)
{
    while (n && !k->stopped && !k->rejected) {
        uint8_t *dst;
        size_t cap;
        sift_sink_space(k, &dst, &cap);
        size_t c = n < cap ? n : cap;
        memcpy(dst, p, c);
        sift_sink_commit(k, c);
        p += c;
        n -= c;
    }
}

/* What the consumer kept goes into the room before p first, and what it
 * keeps afterwards goes back to the window, so the window and the consumer
 * see exactly what sift_sink_write would have given them. */
void sift_sink_adopt(sift_sink *k, uint8_t *p, size_t n)
{
    if (!k->decided || k->rejected || transcoding(k) || k->stopped) {
        sift_sink_write(k, p, n);
        return;
    }
    if (k->len) /* leaves at most max_keep bytes, from pos 0 */
        consume_window(k, 0);
    if (k->stopped)
        return;
    uint8_t *base = p - k->len;
    memcpy(base, k->win, k->len);
    size_t from = consume(k, base, k->len + n, 0, 0);
    if (k->stopped)
        return;
    k->len = k->len + n - from;
    memcpy(k->win, base + from, k->len);
    k->pos = 0;
}

void sift_sink_finish(sift_sink *k)
{
    if (!k->decided)
        decide(k);
    if (k->rejected)
        return;
    if (transcoding(k)) {
        for (;;) {
            sift_out out = { k->win, k->win_size, k->len };
            sift_status st = k->enc == SIFT_ENC_CP932 ? sift_cp932_finish(&k->cp932, &out)
                                                      : sift_utf16le_finish(&k->u16, &out);
            k->len = out.pos;
            if (st != SIFT_DST_FULL || k->stopped)
                break;
            consume_window(k, 0);
        }
    }
    consume_window(k, SIFT_SINK_END);
}

int sift_sink_rejected(const sift_sink *k)
{
    return k->rejected;
}

int sift_sink_stopped(const sift_sink *k)
{
    return k->stopped || k->rejected;
}

sift_encoding sift_sink_encoding(const sift_sink *k)
{
    return k->enc;
}
