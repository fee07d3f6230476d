/* sift_decode.c - streaming zstd and gzip decoding that survives damaged frames. */
#include "sift_decode.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define ZLIB_CONST
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#ifndef SIFT_ASSERT
#if defined(SIFT_DEBUG) || defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
#define SIFT_ASSERT(cond) ((cond) ? (void)0 : abort())
#else
#define SIFT_ASSERT(cond) ((void)0)
#endif
#endif

/* Largest zstd block body (ZSTD_BLOCKSIZE_MAX); zstd validates every block
 * header against it before we feed the body. */
#define ZBLOCK_MAX ((size_t)128 * 1024)
/* Magic 4, descriptor 1, window 1, dictionary ID 4, content size 8. */
#define ZHEADER_MAX 18
/* A damaged frame is rescanned from its second byte, but no further back than
 * this before the block (zstd) or the byte (gzip) where the damage showed. */
#define LOOKBACK ((size_t)128 * 1024)
/* History the rescan can need: the lookback, one whole block with its header,
 * and a header or checksum cut short after it. */
#define KEEP (LOOKBACK + ZBLOCK_MAX + 64)
/* Twice KEEP, so compacting the history moves each byte about once. */
#define HIST_CAP (2 * KEEP)

_Static_assert(SIFT_DECODE_MAX_WINDOW_LOG == 27, "update the window-limit detail string");

enum dec_state {
    DEC_START, /* at a frame boundary */
    DEC_FRAME, /* inside a frame (zstd) or member (gzip) */
    DEC_SCAN,  /* after damage: looking for the next frame magic */
};

/* Where the frame walk is. We walk zstd's frame format alongside the library
 * only to cut its input at block boundaries; see zstd_step. */
enum zstd_part {
    ZP_HEADER,
    ZP_BLOCK_HEADER,
    ZP_BLOCK_BODY,
    ZP_CHECKSUM,
    ZP_SKIP,
    ZP_END,
};

struct sift_decoder {
    sift_codec codec;
    enum dec_state state;
    ZSTD_DCtx *zd;
    z_stream zs;
    int zs_ready;

    /* Compressed bytes taken from the caller, kept for rescanning: hist[i] is
     * stream offset hist_base + i. hist[rp, hist_len) has not been processed
     * yet (a rescan, or a magic or header cut short by the end of the input)
     * and comes before the caller's input. */
    uint8_t *hist;
    size_t hist_len;
    size_t rp;
    uint64_t hist_base;
    size_t in_mark; /* in->pos up to which taken bytes are in hist */

    uint64_t frame_start; /* where the current frame or member began */
    uint64_t frame_out;   /* bytes it has written so far */
    uint64_t anchor;      /* zstd: where the current block, header or checksum began */
    uint64_t scan_from;   /* the rescan ignores magics before this offset */
    uint64_t skipped;
    int quiet; /* inside damage that has been reported already */

    enum zstd_part zpart;
    uint64_t zleft;    /* bytes left in the block body, checksum or skippable frame */
    int zlast;         /* the current block is the frame's last */
    int zraw;          /* the current block is stored raw */
    int zchecksum;     /* the frame ends with a 4-byte checksum */
    int zdrain;        /* zstd may hold decoded output it could not flush */

    int gz_checked; /* the member's magic has been seen */
    int gz_drain;   /* inflate may have output it could not write */
};

/* ---- the byte source: unprocessed history first, then the caller's input */

static int has_replay(const sift_decoder *d)
{
    return d->rp < d->hist_len;
}

/* Stream offset of the next byte to process. */
static uint64_t src_offset(const sift_decoder *d, const sift_in *in)
{
    if (has_replay(d))
        return d->hist_base + d->rp;
    return d->hist_base + d->hist_len + (in->pos - d->in_mark);
}

/* The next contiguous bytes to process. */
static sift_slice src_run(const sift_decoder *d, const sift_in *in)
{
    if (has_replay(d))
        return sift_slice_make(d->hist + d->rp, d->hist_len - d->rp);
    if (in->pos == in->size)
        return (sift_slice){ NULL, 0 };
    return sift_slice_make(in->buf + in->pos, in->size - in->pos);
}

static void src_take(sift_decoder *d, sift_in *in, size_t n)
{
    if (has_replay(d)) {
        const size_t r = d->hist_len - d->rp;
        const size_t k = n < r ? n : r;
        d->rp += k;
        n -= k;
    }
    SIFT_ASSERT(n <= in->size - in->pos);
    in->pos += n;
}

/* Copy up to n bytes, starting skip bytes ahead, without consuming them.
 * Returns how many were available. */
static size_t src_peek(const sift_decoder *d, const sift_in *in, size_t skip, uint8_t *dst, size_t n)
{
    size_t got = 0;
    if (has_replay(d)) {
        const size_t r = d->hist_len - d->rp;
        if (skip < r) {
            got = n < r - skip ? n : r - skip;
            memcpy(dst, d->hist + d->rp + skip, got);
            skip = 0;
        } else {
            skip -= r;
        }
    }
    const size_t rest = in->size - in->pos;
    if (got < n && skip < rest) {
        const size_t k = n - got < rest - skip ? n - got : rest - skip;
        memcpy(dst + got, in->buf + in->pos + skip, k);
        got += k;
    }
    return got;
}

/* Append n bytes at offset hist_base + hist_len, dropping the oldest but
 * keeping at least the last KEEP. Unprocessed bytes are never dropped: they
 * are at most a rescan (which started within KEEP of the end) or one block. */
static void hist_append(sift_decoder *d, const uint8_t *src, size_t n)
{
    if (n >= KEEP) {
        SIFT_ASSERT(!has_replay(d));
        memcpy(d->hist, src + (n - KEEP), KEEP);
        d->hist_base += d->hist_len + (n - KEEP);
        d->hist_len = d->rp = KEEP;
        return;
    }
    if (n > HIST_CAP - d->hist_len) {
        const size_t drop = d->hist_len + n - KEEP;
        SIFT_ASSERT(drop <= d->rp);
        memmove(d->hist, d->hist + drop, d->hist_len - drop);
        d->hist_base += drop;
        d->hist_len -= drop;
        d->rp -= drop;
    }
    memcpy(d->hist + d->hist_len, src, n);
    d->hist_len += n;
}

/* Record the input consumed since the last sync: once we return, the caller
 * may reuse that memory. Input is only consumed when no replay is pending. */
static void hist_sync(sift_decoder *d, const sift_in *in)
{
    const size_t n = in->pos - d->in_mark;
    if (n) {
        SIFT_ASSERT(!has_replay(d));
        hist_append(d, in->buf + d->in_mark, n);
        d->rp = d->hist_len;
    }
    d->in_mark = in->pos;
}

/* The input ends inside a magic or header: take the rest of it as
 * unprocessed history so that NEED_MORE can mean "all of in was consumed". */
static sift_status wait_for_more(sift_decoder *d, sift_in *in)
{
    hist_sync(d, in);
    const size_t n = in->size - in->pos;
    SIFT_ASSERT(n < ZHEADER_MAX);
    if (n)
        hist_append(d, in->buf + in->pos, n);
    in->pos = in->size;
    d->in_mark = in->pos;
    return SIFT_NEED_MORE;
}

/* The next need bytes, contiguous: in place when the replay or the input
 * holds them all, else gathered into hist (need is at most a block). Shorter
 * when the input ends first; all of in has then been taken. */
static sift_slice src_gather(sift_decoder *d, sift_in *in, size_t need)
{
    const sift_slice run = src_run(d, in);
    if (run.len >= need)
        return run;
    hist_sync(d, in);
    const size_t have = d->hist_len - d->rp;
    const size_t rest = in->size - in->pos;
    const size_t k = need - have < rest ? need - have : rest;
    SIFT_ASSERT(have + k <= ZBLOCK_MAX);
    if (k) {
        hist_append(d, in->buf + in->pos, k);
        in->pos += k;
        d->in_mark = in->pos;
    }
    return sift_slice_make(d->hist + d->rp, d->hist_len - d->rp);
}

/* ---- magics */

/* 1 when b[0, n) holds a whole frame magic for codec, -1 when it is a proper
 * prefix of one, 0 otherwise. zstd streams accept zstd frames (28 B5 2F FD)
 * and skippable frames (5? 2A 4D 18); gzip members start 1F 8B 08 (deflate). */
static int magic_match(sift_codec codec, const uint8_t *b, size_t n)
{
    static const uint8_t zstd_magic[4] = { 0x28, 0xB5, 0x2F, 0xFD };
    static const uint8_t skip_magic[4] = { 0x50, 0x2A, 0x4D, 0x18 };
    static const uint8_t gzip_magic[3] = { 0x1F, 0x8B, 0x08 };
    const uint8_t *m = zstd_magic;
    size_t len = 4;
    uint8_t first_mask = 0xFF;
    if (n == 0)
        return -1;
    if (codec == SIFT_CODEC_GZIP) {
        m = gzip_magic;
        len = 3;
    } else if ((b[0] & 0xF0) == 0x50) {
        m = skip_magic;
        first_mask = 0xF0; /* the low nibble is free for the user */
    }
    if ((b[0] & first_mask) != m[0])
        return 0;
    for (size_t i = 1; i < n && i < len; i++)
        if (b[i] != m[i])
            return 0;
    return n >= len ? 1 : -1;
}

static int may_start_frame(sift_codec codec, uint8_t b)
{
    if (codec == SIFT_CODEC_GZIP)
        return b == 0x1F;
    return b == 0x28 || (b & 0xF0) == 0x50;
}

sift_codec sift_decode_sniff(sift_slice head)
{
    const size_t n = head.len < 4 ? head.len : 4;
    if (n == 4 && magic_match(SIFT_CODEC_ZSTD, head.ptr, n) == 1)
        return SIFT_CODEC_ZSTD;
    if (n >= 3 && magic_match(SIFT_CODEC_GZIP, head.ptr, n) == 1)
        return SIFT_CODEC_GZIP;
    return SIFT_CODEC_PLAIN;
}

const char *sift_codec_name(sift_codec c)
{
    switch (c) {
    case SIFT_CODEC_PLAIN:
        return "plain";
    case SIFT_CODEC_ZSTD:
        return "zstd";
    case SIFT_CODEC_GZIP:
        return "gzip";
    }
    return "unknown";
}

/* ---- frames: start, end, failure, rescan */

static void codec_restart(sift_decoder *d)
{
    /* Neither call can fail on a context that was set up in create. */
    (void)ZSTD_DCtx_reset(d->zd, ZSTD_reset_session_only);
    (void)inflateReset(&d->zs);
    d->zpart = ZP_HEADER;
    d->zleft = 0;
    d->zlast = d->zraw = d->zchecksum = d->zdrain = 0;
    d->gz_checked = d->gz_drain = 0;
}

static sift_status frame_begin(sift_decoder *d, const sift_in *in)
{
    if (src_run(d, in).len == 0)
        return SIFT_NEED_MORE;
    d->frame_start = d->anchor = src_offset(d, in);
    d->frame_out = 0;
    d->state = DEC_FRAME;
    return SIFT_OK;
}

static void frame_end(sift_decoder *d)
{
    d->state = DEC_START;
    d->quiet = 0;
    d->zdrain = 0;
    d->zpart = ZP_HEADER;
    d->gz_checked = d->gz_drain = 0;
}

/* Give up the frame that began at frame_start and rescan from its second byte
 * (or from LOOKBACK before anchor, if that is later): a truncated frame may
 * have swallowed the start of the next one before the damage showed. pos is
 * the offset of the next unprocessed byte; all bytes before it are in hist. */
static void rescan(sift_decoder *d, uint64_t pos, uint64_t anchor)
{
    const uint64_t start = d->frame_start;
    uint64_t from = start + 1;
    if (anchor > LOOKBACK && anchor - LOOKBACK > from)
        from = anchor - LOOKBACK;
    codec_restart(d);
    if (from <= pos) {
        SIFT_ASSERT(from >= d->hist_base);
        if (from < d->hist_base)
            from = d->hist_base;
        d->rp = (size_t)(from - d->hist_base);
        d->skipped += from - start;
    } else {
        d->skipped += pos - start; /* the scan counts the rest up to from */
    }
    d->scan_from = from;
    d->state = DEC_SCAN;
    d->quiet = 1;
}

/* A frame that the rescan found and that fails before writing anything is
 * taken for a false magic inside damage already reported: it is not reported
 * again. Output written before a failure stays. The source is left where the
 * failing call started. */
static sift_status frame_fail(sift_decoder *d, sift_in *in, sift_error *err, sift_status code,
                              const char *detail, uint64_t anchor)
{
    const uint64_t start = d->frame_start;
    const int report = !d->quiet || d->frame_out > 0;
    hist_sync(d, in);
    rescan(d, src_offset(d, in), anchor);
    return report ? sift_fail(err, code, start, detail) : SIFT_OK;
}

static sift_status scan(sift_decoder *d, sift_in *in)
{
    for (;;) {
        const sift_slice run = src_run(d, in);
        if (run.len == 0)
            return SIFT_NEED_MORE;
        const uint64_t off = src_offset(d, in);
        size_t i = 0;
        int m = 0;
        if (off < d->scan_from)
            i = d->scan_from - off < run.len ? (size_t)(d->scan_from - off) : run.len;
        for (; i < run.len; i++) {
            if (!may_start_frame(d->codec, run.ptr[i]))
                continue;
            uint8_t b[4];
            const size_t n = src_peek(d, in, i, b, sizeof b);
            m = magic_match(d->codec, b, n);
            if (m != 0)
                break;
        }
        src_take(d, in, i);
        d->skipped += i;
        if (m == 1) {
            d->state = DEC_START;
            return SIFT_OK;
        }
        if (m == -1)
            return wait_for_more(d, in);
    }
}

/* Whether the rescan at the end of the input has a whole frame magic to try:
 * if not, finish can settle without the caller running again. */
static int rescan_has_magic(const sift_decoder *d)
{
    const uint64_t off = d->hist_base + d->rp;
    size_t i = d->rp;
    if (off < d->scan_from)
        i += d->scan_from - off < d->hist_len - d->rp ? (size_t)(d->scan_from - off) : d->hist_len - d->rp;
    for (; i < d->hist_len; i++)
        if (magic_match(d->codec, d->hist + i, d->hist_len - i) == 1)
            return 1;
    return 0;
}

/* ---- zstd */

static const char *zstd_detail(size_t r)
{
    switch (ZSTD_getErrorCode(r)) {
    case ZSTD_error_frameParameter_windowTooLarge:
        return "zstd frame needs a window larger than 128 MiB";
    case ZSTD_error_frameParameter_unsupported:
        return "zstd frame header sets reserved or unsupported flags";
    case ZSTD_error_dictionary_wrong:
        return "zstd frame needs a dictionary";
    case ZSTD_error_checksum_wrong:
        return "zstd frame fails its checksum";
    case ZSTD_error_literals_headerWrong:
        return "corrupt zstd literals header";
    case ZSTD_error_corruption_detected:
        return "corrupt zstd block";
    case ZSTD_error_memory_allocation:
        return "no memory for the zstd window";
    default:
        return "corrupt zstd frame";
    }
}

/* Frame header length from its descriptor byte (RFC 8878, 3.1.1.1). */
static size_t zstd_header_size(uint8_t fhd)
{
    static const uint8_t dict_id[4] = { 0, 1, 2, 4 };
    static const uint8_t content_size[4] = { 0, 2, 4, 8 };
    const int single_segment = (fhd >> 5) & 1;
    size_t n = 5 + (single_segment ? 0 : 1) + dict_id[fhd & 3] + content_size[fhd >> 6];
    if (single_segment && (fhd >> 6) == 0)
        n += 1;
    return n;
}

static void zstd_block_done(sift_decoder *d)
{
    if (!d->zlast) {
        d->zpart = ZP_BLOCK_HEADER;
    } else if (d->zchecksum) {
        d->zpart = ZP_CHECKSUM;
        d->zleft = 4;
    } else {
        d->zpart = ZP_END;
    }
}

/* Follow the frame format over n bytes zstd accepted. Headers arrive whole. */
static void zstd_walk(sift_decoder *d, const uint8_t *b, size_t n)
{
    switch (d->zpart) {
    case ZP_HEADER:
        if ((b[0] & 0xF0) == 0x50) {
            d->zleft = (uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24;
            d->zpart = d->zleft ? ZP_SKIP : ZP_END;
        } else {
            d->zchecksum = (b[4] >> 2) & 1;
            d->zpart = ZP_BLOCK_HEADER;
        }
        break;
    case ZP_BLOCK_HEADER: {
        const uint32_t h = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16;
        const uint32_t type = (h >> 1) & 3;
        d->zlast = (int)(h & 1);
        d->zraw = type == 0;
        d->zleft = type == 1 ? 1 : h >> 3; /* an RLE block stores one byte */
        d->zpart = ZP_BLOCK_BODY;
        if (d->zleft == 0)
            zstd_block_done(d);
        break;
    }
    case ZP_BLOCK_BODY:
        d->zleft -= n;
        if (d->zleft == 0)
            zstd_block_done(d);
        break;
    case ZP_CHECKSUM:
    case ZP_SKIP:
        d->zleft -= n;
        if (d->zleft == 0)
            d->zpart = ZP_END;
        break;
    case ZP_END:
        break;
    }
}

/* One ZSTD_decompressStream call on the next n source bytes, found at src
 * (the source itself, or a copy of a header gathered from it). */
static sift_status zstd_feed(sift_decoder *d, sift_in *in, sift_out *out, sift_error *err,
                             const uint8_t *src, size_t n, int whole)
{
    ZSTD_inBuffer zin = { src, n, 0 };
    ZSTD_outBuffer zout = { out->buf, out->size, out->pos };
    const size_t r = ZSTD_decompressStream(d->zd, &zout, &zin);
    const size_t made = zout.pos - out->pos;
    out->pos = zout.pos;
    d->frame_out += made;
    if (ZSTD_isError(r)) {
        const sift_status code = ZSTD_getErrorCode(r) == ZSTD_error_memory_allocation
                                     ? SIFT_ERR_NOMEM
                                     : SIFT_ERR_CORRUPT;
        return frame_fail(d, in, err, code, zstd_detail(r), d->anchor);
    }
    SIFT_ASSERT(!whole || zin.pos == n);
    if (whole && zin.pos != n)
        return frame_fail(d, in, err, SIFT_ERR_CORRUPT, "corrupt zstd frame", d->anchor);
    src_take(d, in, zin.pos);
    if (zin.pos)
        zstd_walk(d, src, zin.pos);
    d->zdrain = zout.pos == zout.size;
    /* zstd says 0 exactly when a frame is complete and flushed. */
    SIFT_ASSERT((r == 0) == (d->zpart == ZP_END));
    if ((r == 0) != (d->zpart == ZP_END))
        return frame_fail(d, in, err, SIFT_ERR_CORRUPT, "corrupt zstd frame", d->anchor);
    if (r == 0)
        frame_end(d);
    else if (n && !zin.pos && !made)
        return frame_fail(d, in, err, SIFT_ERR_CORRUPT, "corrupt zstd frame", d->anchor);
    return SIFT_OK;
}

/* Feed what is there of a compressed block body, checksum or skippable frame:
 * zstd decodes a block only once it has all of it. */
static sift_status zstd_feed_part(sift_decoder *d, sift_in *in, sift_out *out, sift_error *err)
{
    const sift_slice run = src_run(d, in);
    if (run.len == 0)
        return SIFT_NEED_MORE;
    const size_t n = run.len < d->zleft ? run.len : (size_t)d->zleft;
    return zstd_feed(d, in, out, err, run.ptr, n, 0);
}

/* ZSTD_decompressStream does not report output it wrote in a call that then
 * fails, so a call must never both flush old output and decode new input:
 * decoded output is drained with empty input first, and input is cut so that
 * one call decodes at most one block. Headers go in whole, from a copy: a call
 * holding the whole header but no block can never take zstd's single-pass
 * shortcut, which would make the output depend on the room in out. */
static sift_status zstd_step(sift_decoder *d, sift_in *in, sift_out *out, sift_error *err)
{
    uint8_t h[ZHEADER_MAX];
    size_t need;
    if (d->zdrain)
        return zstd_feed(d, in, out, err, NULL, 0, 0);
    switch (d->zpart) {
    case ZP_HEADER: {
        const int m = magic_match(SIFT_CODEC_ZSTD, h, src_peek(d, in, 0, h, 4));
        if (m == 0)
            return frame_fail(d, in, err, SIFT_ERR_CORRUPT,
                              "no zstd frame magic where a frame should start", d->frame_start);
        if (m < 0)
            return wait_for_more(d, in);
        need = (h[0] & 0xF0) == 0x50 ? 8 : 5;
        if (need == 5 && src_peek(d, in, 0, h, 5) == 5)
            need = zstd_header_size(h[4]);
        if (src_peek(d, in, 0, h, need) < need)
            return wait_for_more(d, in);
        d->anchor = d->frame_start;
        return zstd_feed(d, in, out, err, h, need, 1);
    }
    case ZP_BLOCK_HEADER:
        if (src_peek(d, in, 0, h, 3) < 3)
            return wait_for_more(d, in);
        d->anchor = src_offset(d, in);
        return zstd_feed(d, in, out, err, h, 3, 1);
    case ZP_BLOCK_BODY:
        if (d->zraw) {
            /* zstd copies a raw block piece by piece as it arrives, and its
             * checks at the block's end (content size, buffer room) would
             * then fail after some pieces were written: give it whole. */
            const sift_slice run = src_gather(d, in, (size_t)d->zleft);
            if (run.len < d->zleft)
                return SIFT_NEED_MORE;
            return zstd_feed(d, in, out, err, run.ptr, (size_t)d->zleft, 0);
        }
        return zstd_feed_part(d, in, out, err);
    case ZP_CHECKSUM:
        if (d->zleft == 4)
            d->anchor = src_offset(d, in);
        return zstd_feed_part(d, in, out, err);
    case ZP_SKIP:
        return zstd_feed_part(d, in, out, err);
    case ZP_END:
        break;
    }
    SIFT_ASSERT(0); /* frame_end leaves ZP_END at once */
    return frame_fail(d, in, err, SIFT_ERR_CORRUPT, "corrupt zstd frame", d->anchor);
}

/* ---- gzip */

/* Our words for zlib's messages (its strings are static too, but terse). */
static const char *gzip_detail(const char *msg)
{
    static const struct {
        const char *zlib;
        const char *ours;
    } map[] = {
        { "incorrect data check", "gzip member fails its CRC-32 check" },
        { "incorrect length check", "gzip member length disagrees with its trailer" },
        { "unknown compression method", "gzip header names an unknown compression method" },
        { "unknown header flags set", "gzip header sets reserved flags" },
        { "header crc mismatch", "gzip header fails its CRC-16 check" },
        { "invalid distance too far back", "deflate data refers back past the member start" },
    };
    if (msg)
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
            if (strcmp(msg, map[i].zlib) == 0)
                return map[i].ours;
    return "corrupt deflate data in gzip member";
}

/* inflate reports what it consumed and wrote even when it fails, and takes
 * input only as it needs it, so no cutting is needed here. */
static sift_status gzip_step(sift_decoder *d, sift_in *in, sift_out *out, sift_error *err)
{
    if (!d->gz_checked) {
        uint8_t h[3];
        const int m = magic_match(SIFT_CODEC_GZIP, h, src_peek(d, in, 0, h, 3));
        if (m == 0)
            return frame_fail(d, in, err, SIFT_ERR_CORRUPT,
                              "no gzip header where a member should start", d->frame_start);
        if (m < 0)
            return wait_for_more(d, in);
        d->gz_checked = 1;
    }
    const sift_slice run = src_run(d, in);
    if (run.len == 0 && !d->gz_drain)
        return SIFT_NEED_MORE;
    const size_t room = out->size - out->pos;
    const uInt in_n = run.len > UINT_MAX ? UINT_MAX : (uInt)run.len;
    const uInt out_n = room > UINT_MAX ? UINT_MAX : (uInt)room;
    d->zs.next_in = run.ptr;
    d->zs.avail_in = in_n;
    d->zs.next_out = out->buf + out->pos;
    d->zs.avail_out = out_n;
    const int rc = inflate(&d->zs, Z_NO_FLUSH);
    const size_t used = in_n - d->zs.avail_in;
    const size_t made = out_n - d->zs.avail_out;
    out->pos += made;
    d->frame_out += made;
    d->gz_drain = d->zs.avail_out == 0;
    switch (rc) {
    case Z_STREAM_END:
        src_take(d, in, used);
        (void)inflateReset(&d->zs);
        frame_end(d);
        return SIFT_OK;
    case Z_OK:
    case Z_BUF_ERROR:
        src_take(d, in, used);
        if (used || made)
            return SIFT_OK;
        if (run.len == 0) {
            d->gz_drain = 0;
            return SIFT_NEED_MORE;
        }
        return frame_fail(d, in, err, SIFT_ERR_CORRUPT, gzip_detail(NULL), src_offset(d, in));
    case Z_MEM_ERROR:
        return frame_fail(d, in, err, SIFT_ERR_NOMEM, "no memory for the gzip window",
                          src_offset(d, in) + used);
    default:
        return frame_fail(d, in, err, SIFT_ERR_CORRUPT, gzip_detail(d->zs.msg),
                          src_offset(d, in) + used);
    }
}

/* ---- public */

sift_decoder *sift_decode_create(void)
{
    sift_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->hist = malloc(HIST_CAP);
    d->zd = ZSTD_createDCtx();
    d->zs_ready = inflateInit2(&d->zs, 16 + MAX_WBITS) == Z_OK;
    if (!d->hist || !d->zd || !d->zs_ready ||
        ZSTD_isError(ZSTD_DCtx_setParameter(d->zd, ZSTD_d_windowLogMax, SIFT_DECODE_MAX_WINDOW_LOG))) {
        sift_decode_free(d);
        return NULL;
    }
    sift_decode_reset(d, SIFT_CODEC_PLAIN);
    return d;
}

void sift_decode_free(sift_decoder *d)
{
    if (!d)
        return;
    ZSTD_freeDCtx(d->zd);
    if (d->zs_ready)
        (void)inflateEnd(&d->zs);
    free(d->hist);
    free(d);
}

void sift_decode_reset(sift_decoder *d, sift_codec codec)
{
    d->codec = (codec == SIFT_CODEC_ZSTD || codec == SIFT_CODEC_GZIP) ? codec : SIFT_CODEC_PLAIN;
    d->state = DEC_START;
    d->hist_len = d->rp = d->in_mark = 0;
    d->hist_base = 0;
    d->frame_start = d->frame_out = d->anchor = d->scan_from = d->skipped = 0;
    d->quiet = 0;
    codec_restart(d);
}

static sift_status plain_copy(sift_in *in, sift_out *out)
{
    const size_t avail = in->size - in->pos, room = out->size - out->pos;
    const size_t n = avail < room ? avail : room;
    if (n) {
        memcpy(out->buf + out->pos, in->buf + in->pos, n);
        in->pos += n;
        out->pos += n;
    }
    return out->pos == out->size ? SIFT_DST_FULL : SIFT_NEED_MORE;
}

sift_status sift_decode_run(sift_decoder *d, sift_in *in, sift_out *out, sift_error *err)
{
    SIFT_ASSERT(in->pos <= in->size && out->pos <= out->size);
    if (d->codec == SIFT_CODEC_PLAIN)
        return plain_copy(in, out);
    d->in_mark = in->pos;
    sift_status st = SIFT_OK;
    while (st == SIFT_OK) {
        if (out->pos == out->size) {
            st = SIFT_DST_FULL;
            break;
        }
        switch (d->state) {
        case DEC_START:
            st = frame_begin(d, in);
            break;
        case DEC_FRAME:
            st = d->codec == SIFT_CODEC_ZSTD ? zstd_step(d, in, out, err) : gzip_step(d, in, out, err);
            break;
        case DEC_SCAN:
            st = scan(d, in);
            break;
        }
    }
    hist_sync(d, in);
    return st;
}

sift_status sift_decode_finish(sift_decoder *d, sift_error *err)
{
    const uint64_t end = d->hist_base + d->hist_len;
    if (d->state == DEC_FRAME) {
        const uint64_t start = d->frame_start;
        const int report = !d->quiet || d->frame_out > 0;
        /* The unfinished frame may have swallowed whole frames written after
         * it (a writer that died mid-frame, restarted and appended): rescan
         * its bytes, which the caller drains with run on an empty input. */
        rescan(d, d->hist_base + d->rp, d->codec == SIFT_CODEC_ZSTD ? d->anchor : end);
        if (!report)
            return rescan_has_magic(d) ? SIFT_NEED_MORE : sift_decode_finish(d, err);
        return sift_fail(err, SIFT_ERR_TRUNCATED, start,
                         d->codec == SIFT_CODEC_ZSTD ? "input ends inside a zstd frame"
                                                     : "input ends inside a gzip member");
    }
    if (d->state == DEC_SCAN) {
        d->skipped += d->hist_len - d->rp; /* a magic cut short by the end */
        d->rp = d->hist_len;
        d->state = DEC_START;
        codec_restart(d);
    }
    return SIFT_OK;
}

uint64_t sift_decode_skipped(const sift_decoder *d)
{
    return d->skipped;
}
