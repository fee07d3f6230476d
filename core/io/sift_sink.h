/* sift_sink.h - the encoding sink: decoded bytes in, UTF-8 text out.
 *
 * The sink takes one input's decoded bytes, judges their encoding on the
 * first SIFT_SINK_SNIFF bytes (sift_text_sniff), and hands UTF-8 text to a
 * consumer through a window it owns: UTF-8 as it came, UTF-16LE and CP932
 * transcoded (offsets then count the UTF-8 text they become),
 * a binary container the consumer claims (an .evtx file) as it came, and
 * anything else (binary, UTF-16BE) rejected, after which the input is read
 * no further. The consumer reads the window like a stream buffer: it
 * keeps a tail of what it was given (at most the max_keep given at create),
 * which comes back at the front of the next call. It never learns how the
 * bytes were chunked, copied or adopted.
 *
 * The sink knows nothing of what consumes the text (io does not depend on
 * the scanner). It is single-threaded; one sink serves one input at a time,
 * reset by sift_sink_begin. */
#ifndef SIFT_SINK_H
#define SIFT_SINK_H

#include "sift_slice.h"
#include "sift_text.h"

#include <stddef.h>
#include <stdint.h>

/* Bytes the encoding is judged on, unless a live stream decides sooner. */
#define SIFT_SINK_SNIFF 4096u
/* The window is scanned when less room than this is left in it. */
#define SIFT_SINK_MIN_ROOM (64u * 1024u)

/* What comes with the bytes of a consume call. */
enum {
    SIFT_SINK_END = 1u << 0,   /* the input ends after them */
    SIFT_SINK_PAUSE = 1u << 1, /* a live input ran dry after them */
};

/* Where the text goes. Each callback returns 0 to go on or -1 to stop: the
 * sink then passes nothing more for this input (a fatal error). */
typedef struct sift_sink_consumer {
    void *ctx;
    /* The input is text: the first byte consume will see is at stream offset
     * start (past a UTF-8 BOM; 0 for UTF-16LE and CP932, whose offsets count
     * the UTF-8 text they become). Called once per input, before any
     * consume. */
    int (*begin)(void *ctx, uint64_t start);
    /* Consume in->buf[in->pos, in->size); the bytes before in->pos are those
     * kept from the last call. On return in->pos is where the bytes to keep
     * begin (at most max_keep of them). flags: SIFT_SINK_*. */
    int (*consume)(void *ctx, sift_in *in, unsigned flags);
    /* The input is not text the consumer can read; why is static text. No
     * begin or consume follows for this input. */
    void (*reject)(void *ctx, const char *why);
    /* Raw bytes: 1 when the consumer takes an input that starts with head
     * (its first SIFT_SINK_SNIFF bytes, or fewer at its end) as it is, a
     * binary container read untranscoded; begin(0) and consume then follow
     * with the bytes unchanged. NULL: never. */
    int (*claim)(void *ctx, sift_slice head);
} sift_sink_consumer;

typedef struct sift_sink sift_sink; /* opaque */

/* A sink with a window of window bytes, for a consumer that keeps at most
 * max_keep bytes between calls. c is copied. NULL when allocation fails or
 * the window cannot hold max_keep plus two SIFT_SINK_MIN_ROOM. */
sift_sink *sift_sink_create(size_t window, size_t max_keep, const sift_sink_consumer *c);
void sift_sink_free(sift_sink *k); /* accepts NULL */

/* Read every input from now on as enc (SIFT_ENC_UTF8, SIFT_ENC_UTF16LE or
 * SIFT_ENC_CP932) instead of judging it: its own BOM is skipped, a
 * container is still claimed, and an input with NUL bytes is still binary
 * unless enc is UTF-16LE. -1 (nothing changed) for another value, or for
 * CP932 when iconv cannot convert it here. */
int sift_sink_force(sift_sink *k, sift_encoding enc);

/* How an input starting with head (its first SIFT_SINK_SNIFF bytes) is
 * read: sift_text_sniff, or what sift_sink_force said; *bom is the BOM to
 * skip. CP932 only when iconv converts it here (else UTF8, bytes as they
 * are). For a caller that reads UTF-8 in place without the sink. */
sift_encoding sift_sink_judge(const sift_sink *k, sift_slice head, size_t *bom);

/* 1 when head starts an old-format .evt log (Windows XP/2003), which the
 * sink rejects: a file read in place must be judged the same way. */
int sift_sink_old_evt(sift_slice head);

/* Start an input. live: it may pause (a pipe), so decide the encoding on a
 * BOM or a first whole line rather than wait for SIFT_SINK_SNIFF bytes, and
 * pass pauses on. */
void sift_sink_begin(sift_sink *k, int live);

/* Zero-copy writing: room for up to *cap bytes at *p (the window itself for
 * UTF-8 text, a stage for bytes to transcode), valid until the next call on
 * k; then commit how many were written. *cap is never 0. */
void sift_sink_space(sift_sink *k, uint8_t **p, size_t *cap);
void sift_sink_commit(sift_sink *k, size_t n);

/* Copy p[0, n) in through space and commit. Stops at a rejection. */
void sift_sink_write(sift_sink *k, const uint8_t *p, size_t n);

/* Hand over p[0, n) where it lies, instead of copying it into the window;
 * p must have max_keep writable bytes of room before it, and may be
 * overwritten. The consumer sees exactly what sift_sink_write would give it. */
void sift_sink_adopt(sift_sink *k, uint8_t *p, size_t n);

/* Pass every whole line received so far to the consumer (before an error is
 * reported, so that errors come out in stream order). */
void sift_sink_drain(sift_sink *k);

/* A live input ran dry: pass what there is on, with SIFT_SINK_PAUSE. */
void sift_sink_pause(sift_sink *k);

/* The input ends: decide if not done yet, flush the transcoder, and pass the
 * rest on with SIFT_SINK_END. */
void sift_sink_finish(sift_sink *k);

/* The input was rejected (not text): read it no further. */
int sift_sink_rejected(const sift_sink *k);

/* A callback said stop, or the input was rejected: read it no further. */
int sift_sink_stopped(const sift_sink *k);

/* The encoding judged (SIFT_ENC_UTF8 until judged). */
sift_encoding sift_sink_encoding(const sift_sink *k);

/* U+FFFD written into the current input's text for what its encoding
 * cannot hold (unpaired surrogates, bytes that are not CP932). */
uint64_t sift_sink_replaced(const sift_sink *k);

#endif
