/* sift_ring.c - the decode loops, and the second decoding thread. */
#include "sift_ring.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

/* ---- the decode loops ------------------------------------------------------ */

/* Decode in through d until all of it is consumed. */
static void decode_all(sift_ring_dst *d, sift_decoder *dec, sift_in *in)
{
    while (!d->stopped(d)) {
        uint8_t *p;
        size_t cap;
        d->space(d, &p, &cap);
        sift_out out = { p, cap, 0 };
        sift_error err = { SIFT_OK, 0, NULL };
        sift_status st = sift_decode_run(dec, in, &out, &err);
        d->commit(d, out.pos);
        if (sift_is_error(st)) {
            d->decode_error(d, &err);
        } else if (st == SIFT_NEED_MORE) {
            d->flush(d);
            return;
        }
    }
}

/* At end of input. A frame cut off there may have swallowed complete frames
 * written after it (a writer that died and was restarted): the decoder hands
 * those back when asked to go on with no input, until finish says OK. */
static void decode_finish(sift_ring_dst *d, sift_decoder *dec)
{
    sift_error last = { SIFT_OK, UINT64_MAX, NULL };
    while (!d->stopped(d)) {
        sift_error err = { SIFT_OK, 0, NULL };
        sift_status st = sift_decode_finish(dec, &err);
        if (st == SIFT_OK)
            break;
        /* The same answer twice means nothing moved: never spin. */
        if (st == last.code && err.offset == last.offset)
            break;
        last = err;
        last.code = st;
        if (sift_is_error(st))
            d->decode_error(d, &err);
        sift_in empty = { NULL, 0, 0 };
        decode_all(d, dec, &empty);
    }
}

#define STOP_POLL_MS 100

/* Wait until rd can be read without blocking, or d is told to stop. A
 * decoding thread must not sit in read() on a quiet pipe once the scanner
 * has given up: the scanner would wait for it forever. */
static int wait_readable(sift_reader *rd, sift_ring_dst *d)
{
    if (rd->mem)
        return 1;
    for (;;) {
        struct pollfd p = { rd->fd, POLLIN, 0 };
        int n = poll(&p, 1, STOP_POLL_MS);
        if (n != 0 && !(n < 0 && errno == EINTR))
            return 1; /* readable, at end, or an error read() will report */
        if (d->stopped(d))
            return 0;
    }
}

void sift_ring_job_run(sift_ring_dst *d, sift_ring_job *j)
{
    sift_decode_reset(j->dec, j->codec);
    if (j->mapped) {
        size_t released = 0;
        for (size_t off = 0; off < j->map.len && !d->stopped(d);) {
            size_t n = j->map.len - off > SIFT_MAP_SLICE ? SIFT_MAP_SLICE : j->map.len - off;
            sift_in in = { j->map.ptr + off, n, 0 };
            decode_all(d, j->dec, &in);
            off += n;
            if (j->release_pages)
                sift_map_release(&j->map, off, &released);
        }
    } else {
        sift_in in = { j->inbuf, j->have, 0 };
        decode_all(d, j->dec, &in);
        while (!j->eof && !d->stopped(d)) {
            if (d->poll_reads && !wait_readable(j->rd, d))
                break;
            ssize_t got = sift_reader_read(j->rd, j->inbuf, j->inbuf_size);
            if (got < 0)
                d->read_error(d, j->bytes_in, errno);
            if (got <= 0)
                break;
            j->bytes_in += (uint64_t)got;
            in = (sift_in){ j->inbuf, (size_t)got, 0 };
            decode_all(d, j->dec, &in);
        }
    }
    decode_finish(d, j->dec);
}

/* ---- the ring ------------------------------------------------------------------ */

/* Decompression and scanning take about as long as each other, so a second
 * thread decodes into a ring of slots while the first scans. */
#define RING_SLOTS 4u
#if defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
/* Fuzz inputs are small: small slots make them cross slot boundaries. */
#define RING_SLOT_SIZE (8u * 1024u)
#else
#define RING_SLOT_SIZE (1024u * 1024u)
#endif

typedef enum slot_error { SLOT_NO_ERROR, SLOT_DECODE_ERROR, SLOT_READ_ERROR } slot_error;

typedef struct slot {
    uint8_t *mem;
    uint8_t *buf; /* mem + keep_room: room in front for adopt */
    size_t len;
    slot_error kind;
    sift_error err;
    int errnum;
    int pause; /* the input ran dry after these bytes (flush) */
    int last;  /* the decoder is done */
} slot;

struct sift_ring {
    sift_ring_dst base; /* what the decoding thread writes to */
    pthread_mutex_t mu;
    pthread_cond_t filled, freed;
    pthread_cond_t posted, idle; /* a job for the decoder; the decoder is done */
    slot slots[RING_SLOTS];
    unsigned head, count; /* slots[head] is the next to scan */
    slot *cur;            /* the slot being filled, owned by the decoder */
    _Atomic int stop;     /* the scanner gave up: decode no further */
    sift_ring_job *job;   /* posted, not yet done; guarded by mu */
    int busy;             /* the decoder has a job; guarded by mu */
    int quit;             /* the run is over; guarded by mu */
    int started;          /* thread is running */
    pthread_t thread;
};

static slot *ring_acquire(sift_ring *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->count == RING_SLOTS)
        pthread_cond_wait(&q->freed, &q->mu);
    slot *s = &q->slots[(q->head + q->count) % RING_SLOTS];
    pthread_mutex_unlock(&q->mu);
    s->len = 0;
    s->kind = SLOT_NO_ERROR;
    s->pause = 0;
    s->last = 0;
    return s;
}

static void ring_publish(sift_ring *q)
{
    pthread_mutex_lock(&q->mu);
    q->count++;
    pthread_cond_signal(&q->filled);
    pthread_mutex_unlock(&q->mu);
    q->cur = NULL;
}

static void rd_space(sift_ring_dst *d, uint8_t **p, size_t *cap)
{
    sift_ring *q = (sift_ring *)d;
    if (q->cur && q->cur->len == RING_SLOT_SIZE)
        ring_publish(q);
    if (!q->cur)
        q->cur = ring_acquire(q);
    *p = q->cur->buf + q->cur->len;
    *cap = RING_SLOT_SIZE - q->cur->len;
}

static void rd_commit(sift_ring_dst *d, size_t n)
{
    sift_ring *q = (sift_ring *)d;
    if (q->cur)
        q->cur->len += n;
}

static void rd_error(sift_ring *q, slot_error kind, const sift_error *e, int errnum)
{
    if (!q->cur)
        q->cur = ring_acquire(q);
    q->cur->kind = kind;
    if (e)
        q->cur->err = *e;
    q->cur->errnum = errnum;
    ring_publish(q);
}

static void rd_decode_error(sift_ring_dst *d, const sift_error *e)
{
    rd_error((sift_ring *)d, SLOT_DECODE_ERROR, e, 0);
}

static void rd_read_error(sift_ring_dst *d, uint64_t offset, int errnum)
{
    sift_error e = { SIFT_ERR_IO, offset, NULL };
    rd_error((sift_ring *)d, SLOT_READ_ERROR, &e, errnum);
}

/* Every pause is passed on, even with no bytes since the last slot, so the
 * scanner pauses where one thread would. */
static void rd_flush(sift_ring_dst *d)
{
    sift_ring *q = (sift_ring *)d;
    if (!q->cur)
        q->cur = ring_acquire(q);
    q->cur->pause = 1;
    ring_publish(q);
}

static int rd_stopped(sift_ring_dst *d)
{
    return ((sift_ring *)d)->stop;
}

static void *decode_thread(void *arg)
{
    sift_ring *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->job && !q->quit)
            pthread_cond_wait(&q->posted, &q->mu);
        if (!q->job)
            break;
        sift_ring_job *j = q->job;
        pthread_mutex_unlock(&q->mu);
        sift_ring_job_run(&q->base, j);
        if (!q->cur)
            q->cur = ring_acquire(q);
        q->cur->last = 1;
        ring_publish(q);
        pthread_mutex_lock(&q->mu);
        q->job = NULL;
        q->busy = 0;
        pthread_cond_signal(&q->idle);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

void sift_ring_free(sift_ring *q)
{
    if (!q)
        return;
    if (q->started) {
        pthread_mutex_lock(&q->mu);
        q->quit = 1;
        pthread_cond_signal(&q->posted);
        pthread_mutex_unlock(&q->mu);
        pthread_join(q->thread, NULL);
    }
    for (unsigned i = 0; i < RING_SLOTS; i++)
        free(q->slots[i].mem);
    pthread_cond_destroy(&q->idle);
    pthread_cond_destroy(&q->posted);
    pthread_cond_destroy(&q->freed);
    pthread_cond_destroy(&q->filled);
    pthread_mutex_destroy(&q->mu);
    free(q);
}

sift_ring *sift_ring_create(size_t keep_room)
{
    sift_ring *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->base = (sift_ring_dst){ rd_space, rd_commit, NULL, rd_decode_error, rd_read_error, rd_flush, rd_stopped, 1 };
    pthread_cond_t *conds[] = { &q->filled, &q->freed, &q->posted, &q->idle };
    const size_t nconds = sizeof conds / sizeof conds[0];
    size_t made = 0;
    int mutex_ok = pthread_mutex_init(&q->mu, NULL) == 0;
    while (mutex_ok && made < nconds && pthread_cond_init(conds[made], NULL) == 0)
        made++;
    if (made < nconds) {
        while (made > 0)
            pthread_cond_destroy(conds[--made]);
        if (mutex_ok)
            pthread_mutex_destroy(&q->mu);
        free(q);
        return NULL;
    }
    for (unsigned i = 0; i < RING_SLOTS; i++) {
        q->slots[i].mem = malloc(keep_room + RING_SLOT_SIZE);
        q->slots[i].buf = q->slots[i].mem ? q->slots[i].mem + keep_room : NULL;
        if (!q->slots[i].buf) {
            sift_ring_free(q);
            return NULL;
        }
    }
    return q;
}

int sift_ring_run(sift_ring *q, sift_ring_job *j, sift_ring_dst *to)
{
    if (!q->started) {
        if (pthread_create(&q->thread, NULL, decode_thread, q) != 0)
            return -1;
        q->started = 1;
    }
    /* The decoder may still be between its last slot and going idle. */
    pthread_mutex_lock(&q->mu);
    while (q->busy)
        pthread_cond_wait(&q->idle, &q->mu);
    q->head = q->count = 0;
    q->cur = NULL;
    q->stop = 0;
    q->job = j;
    q->busy = 1;
    pthread_cond_signal(&q->posted);
    pthread_mutex_unlock(&q->mu);
    for (int last = 0; !last;) {
        pthread_mutex_lock(&q->mu);
        while (q->count == 0)
            pthread_cond_wait(&q->filled, &q->mu);
        slot *sl = &q->slots[q->head];
        pthread_mutex_unlock(&q->mu);
        if (!to->stopped(to)) {
            to->adopt(to, sl->buf, sl->len);
            if (sl->kind == SLOT_DECODE_ERROR)
                to->decode_error(to, &sl->err);
            else if (sl->kind == SLOT_READ_ERROR)
                to->read_error(to, sl->err.offset, sl->errnum);
            if (sl->pause)
                to->flush(to);
        }
        if (to->stopped(to))
            q->stop = 1;
        last = sl->last;
        pthread_mutex_lock(&q->mu);
        q->head = (q->head + 1) % RING_SLOTS;
        q->count--;
        pthread_cond_signal(&q->freed);
        pthread_mutex_unlock(&q->mu);
    }
    return 0;
}
