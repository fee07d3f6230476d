/* sift_ring.h - decoding loops, and a second thread that decodes into a
 * ring of slots while the caller's thread consumes them.
 *
 * A decoding job (one compressed input, mapped or read from a stream) is
 * run against a destination: a set of callbacks that give room for decoded
 * bytes, take them, and take errors in stream order. The same loops feed a
 * destination on the caller's thread (one thread) and the ring's slots (two
 * threads), so both see the same bytes and the same errors in the same
 * order. Each slot carries at most one error, after the slot's bytes:
 * exactly where one thread would report it.
 *
 * The ring knows nothing of what consumes the bytes (io does not depend on
 * the scanner). One thread serves every job of a ring, so a sweep over
 * thousands of archives does not start a thread for each. */
#ifndef SIFT_RING_H
#define SIFT_RING_H

#include "sift_decode.h"
#include "sift_input.h"

#include <stddef.h>
#include <stdint.h>

/* Where decoded bytes go. */
typedef struct sift_ring_dst sift_ring_dst;
struct sift_ring_dst {
    /* Room for decoded bytes: *cap > 0 bytes at *p. */
    void (*space)(sift_ring_dst *d, uint8_t **p, size_t *cap);
    /* n bytes were written at the last space. */
    void (*commit)(sift_ring_dst *d, size_t n);
    /* Bytes that lie elsewhere, with the keep_room given to
     * sift_ring_create writable before them (used by sift_ring_run on its
     * destination only; may be NULL elsewhere). */
    void (*adopt)(sift_ring_dst *d, uint8_t *p, size_t n);
    /* Damage in the compressed stream, after the bytes decoded before it. */
    void (*decode_error)(sift_ring_dst *d, const sift_error *e);
    /* A read failed after offset bytes of this input (errnum). */
    void (*read_error)(sift_ring_dst *d, uint64_t offset, int errnum);
    /* The input ran dry: pass on what there is (live streams). */
    void (*flush)(sift_ring_dst *d);
    /* Decode no further (a fatal error, or the input was skipped). */
    int (*stopped)(sift_ring_dst *d);
    /* Wait for a stream with poll() and watch stopped() meanwhile, rather
     * than sit in read() on a quiet pipe. */
    int poll_reads;
};

/* One compressed input, from start to finish: a mapping, or a stream whose
 * first `have` bytes are already in inbuf. */
typedef struct sift_ring_job {
    sift_decoder *dec;
    sift_codec codec;
    int mapped;
    sift_map map;
    int release_pages; /* drop the mapping's pages once decoded (a real file) */
    sift_reader *rd;
    uint8_t *inbuf;
    size_t inbuf_size;
    size_t have;
    int eof;           /* rd is at its end already */
    uint64_t bytes_in; /* read of this input, `have` included; updated */
} sift_ring_job;

/* Decode j into d on this thread, to the end of the input or until d says
 * stop; the decoder is reset first and finished at the end. */
void sift_ring_job_run(sift_ring_dst *d, sift_ring_job *j);

typedef struct sift_ring sift_ring; /* opaque */

/* A ring whose slots have keep_room bytes of room before them (see adopt).
 * The thread starts with the first job. NULL on allocation failure. */
sift_ring *sift_ring_create(size_t keep_room);
/* Stops and joins the thread. Accepts NULL. */
void sift_ring_free(sift_ring *q);

/* Decode j on the ring's thread while this thread passes each slot to to:
 * adopt its bytes, then its error, then flush where the input ran dry. Once
 * to->stopped() says so, the decoder is told to stop, and slots already
 * decoded are dropped unseen; every slot is still drained, so the decoder
 * never waits forever. Returns 0, or -1 when the thread cannot be started
 * (nothing was decoded: run j on this thread instead). */
int sift_ring_run(sift_ring *q, sift_ring_job *j, sift_ring_dst *to);

#endif
