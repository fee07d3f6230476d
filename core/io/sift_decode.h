/* sift_decode.h - decompression by magic bytes: zstd, gzip, or plain.
 *
 * The decoder is a streaming stage: caller-owned input and output buffers,
 * bounded memory whatever the input size or compression ratio (the zstd window
 * is capped at SIFT_DECODE_MAX_WINDOW_LOG). Concatenated and multi-frame zstd,
 * skippable frames, and multi-member gzip are decoded as one stream.
 *
 * Damage does not stop the stream: on a corrupt frame the decoder reports an
 * error with the compressed offset where the frame began, keeps everything it
 * decoded before it, searches forward for the next frame magic and continues
 * from there. The search starts at the damaged frame's second byte (a frame
 * cut short may have swallowed the start of the next one), but at most 128 KiB
 * before the block where the damage showed, so the decoder keeps a bounded
 * history of compressed bytes (about 0.5 MiB, allocated in create). A frame
 * the search finds that fails before writing anything is taken for a false
 * magic inside damage already reported, and is skipped without a report.
 * Output, errors and offsets never depend on how the input is chunked or on
 * the room in out. */
#ifndef SIFT_DECODE_H
#define SIFT_DECODE_H

#include "sift_slice.h"
#include "sift_status.h"

/* Frames needing a larger window (2^27 = 128 MiB) are reported as corrupt. */
#define SIFT_DECODE_MAX_WINDOW_LOG 27

typedef enum sift_codec {
    SIFT_CODEC_PLAIN = 0,
    SIFT_CODEC_ZSTD = 1,
    SIFT_CODEC_GZIP = 2,
} sift_codec;

/* The codec whose magic starts head (zstd frame 28 B5 2F FD, or a zstd
 * skippable frame 5? 2A 4D 18, gzip 1F 8B 08); PLAIN otherwise, including when
 * head is too short to tell. Needs at most 4 bytes. */
sift_codec sift_decode_sniff(sift_slice head);

/* Static name: "plain", "zstd", "gzip". */
const char *sift_codec_name(sift_codec c);

typedef struct sift_decoder sift_decoder; /* opaque */

/* NULL on allocation failure. */
sift_decoder *sift_decode_create(void);
void sift_decode_free(sift_decoder *d); /* accepts NULL */

/* Start a new stream of the given codec; the compressed offset restarts at 0.
 * A value outside the enum is taken as PLAIN. */
void sift_decode_reset(sift_decoder *d, sift_codec codec);

/* Decode from in to out, moving in->pos and out->pos. out must have room for
 * at least one byte. Bytes before in->pos may be reused by the caller once the
 * call returns; bytes from in->pos on must be presented again (DST_FULL).
 * Returns:
 *  SIFT_OK        progress was made; call again.
 *  SIFT_NEED_MORE all of in was consumed and out has room: supply more input.
 *  SIFT_DST_FULL  out is full: drain it and call again.
 *  an error       err->offset is the compressed offset of the damaged frame and
 *                 err->detail (static) says what is wrong; ERR_CORRUPT, or
 *                 ERR_NOMEM when the window cannot be allocated. Bytes where a
 *                 frame should start that are no frame magic are ERR_CORRUPT
 *                 at their offset. The decoder has already moved on (skipping
 *                 to the next frame magic, possibly needing more input to find
 *                 it); the caller reports the error and keeps calling. Bytes
 *                 skipped are counted in sift_decode_skipped().
 * PLAIN copies in to out (callers of plain data should not need it). */
sift_status sift_decode_run(sift_decoder *d, sift_in *in, sift_out *out, sift_error *err);

/* At the end of the input, after run returned NEED_MORE. Returns:
 *  SIFT_OK            done: the stream ended on a frame boundary, or inside
 *                     damage already reported.
 *  SIFT_ERR_TRUNCATED the input ended inside the frame that began at
 *                     err->offset; what was decoded from it has been written.
 *  SIFT_NEED_MORE     the input ended inside a frame found by the search
 *                     after damage, before it wrote anything (not reported),
 *                     and a frame magic follows in its bytes.
 * Unless it returns OK, the unfinished frame's bytes are searched for whole
 * frames written after it (a writer that died mid-frame and was restarted):
 * call run with an empty input until it returns NEED_MORE, draining out and
 * reporting errors as usual, then call finish again; repeat until it returns
 * OK. A caller that stops at the first TRUNCATED only loses such frames. An
 * empty stream is OK. */
sift_status sift_decode_finish(sift_decoder *d, sift_error *err);

/* Compressed bytes skipped while resynchronising after damage, this stream. */
uint64_t sift_decode_skipped(const sift_decoder *d);

#endif
