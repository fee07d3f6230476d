/* sift_run.c - the driver: inputs, decoding, the text sink, errors and the report. */
#include "sift_run.h"

#include "sift_db.h"
#include "sift_decode.h"
#include "sift_diag.h"
#include "sift_findings.h"
#include "sift_input.h"
#include "sift_scan.h"
#include "sift_text.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define SNIFF_BYTES 4096u
#define STAGE_SIZE (256u * 1024u)
#define READ_SIZE (1024u * 1024u)
#define MIN_ROOM (64u * 1024u)
/* Mapped input is handed over in slices of this size, and the pages behind
 * each slice released once passed, so resident memory stays bounded. */
#define MAP_SLICE (16u * 1024u * 1024u)

/* The window must hold what the scanner keeps plus room to make progress. */
_Static_assert(SIFT_WINDOW_SIZE >= SIFT_SCAN_MAX_KEEP + 2 * MIN_ROOM, "window too small for the scanner's keep");

typedef struct run run;
typedef struct sift_queue sift_queue;

/* Where decoded bytes go: the scan window, in UTF-8. */
typedef struct sink {
    int decided;
    int dead; /* not text: the input is read no further */
    sift_encoding enc;
    sift_utf16 u16;
    size_t len; /* window bytes [0, len) */
    size_t pos; /* where the next scan starts in the window (BOM skip) */
} sink;

/* A pipe, or memory standing in for one (tests and fuzzing choose the read
 * sizes, so chunk boundaries land everywhere). */
typedef struct reader {
    int fd;
    const uint8_t *mem;
    size_t mem_len, mem_pos, chunk;
} reader;

struct run {
    const sift_run_opts *o;
    const sift_matcher *m;
    sift_hosts *hosts;
    sift_scan *scan;
    sift_decoder *dec;
    sift_queue *queue; /* decoding on a second thread; NULL with --threads=1 */
    int auto_threads;  /* the second thread was chosen, not asked for */
    uint8_t *win, *stage, *inbuf;
    sink sk;
    const char *path;
    sift_codec codec; /* of the current input, for --verbose */
    char host[SIFT_HOST_NAME_MAX + 1];
    size_t host_len;
    int live;
    int fatal;
    int release_pages; /* the input is a real file mapping */
    uint64_t in_size;  /* of the current input as stored, or SIZE_UNKNOWN */
    uint64_t errors, files, files_skipped, bytes_in, bytes_skipped;
    char sigbus_line[SIFT_DIAG_LINE_MAX]; /* what on_sigbus writes for the mapped input */
};

/* ---- errors ---------------------------------------------------------------- */

static void print_error(run *r, const char *path, int has_offset, uint64_t offset, const char *what, const char *detail)
{
    r->errors++;
    (void)sift_diag_print(r->o->err, path, has_offset, offset, what, detail);
}

static void on_scan_error(void *ctx, const sift_error *e)
{
    run *r = ctx;
    print_error(r, r->path, 1, e->offset, "event record skipped", e->detail ? e->detail : sift_status_str(e->code));
}

static void on_walk_error(void *ctx, const char *path, int errnum, const char *what)
{
    run *r = ctx;
    r->files_skipped++;
    print_error(r, path, 0, 0, what ? what : strerror(errnum), NULL);
}

static void on_rise(void *ctx, const sift_finding *f)
{
    run *r = ctx;
    if (!r->live)
        return;
    if (sift_findings_write(r->o->out, f, r->hosts, 0, 1) != 0)
        r->fatal = 1;
}

/* ---- the text sink ---------------------------------------------------------- */

/* Scan buf[pos, len) after the bytes kept from before, and return where
 * the bytes to keep begin; *ok is cleared when the scanner cannot go on. */
static size_t scan_buf(run *r, const uint8_t *buf, size_t len, size_t pos, unsigned flags, int *ok)
{
    sift_in in = { buf, len, pos };
    sift_status st = sift_scan_run(r->scan, &in, flags);
    if (st != SIFT_OK) {
        print_error(r, r->path, 0, 0, "cannot continue", sift_status_str(st));
        r->fatal = 1;
        *ok = 0;
    }
    return in.pos;
}

/* flags: SIFT_SCAN_EOF, SIFT_SCAN_PAUSE. */
static void scan_window(run *r, unsigned flags)
{
    sink *k = &r->sk;
    if (r->fatal)
        return;
    int ok = 1;
    size_t from = scan_buf(r, r->win, k->len, k->pos, flags, &ok);
    if (!ok)
        return;
    size_t keep = k->len - from;
    memmove(r->win, r->win + from, keep);
    k->len = keep;
    k->pos = 0;
}

static void sink_begin(run *r)
{
    memset(&r->sk, 0, sizeof r->sk);
}

static void sink_transcode(run *r, const uint8_t *p, size_t n)
{
    sink *k = &r->sk;
    sift_in in = { p, n, 0 };
    for (;;) {
        sift_out out = { r->win, SIFT_WINDOW_SIZE, k->len };
        sift_status st = sift_utf16le_to_utf8(&k->u16, &in, &out);
        k->len = out.pos;
        if (st != SIFT_DST_FULL)
            break;
        scan_window(r, 0);
        if (r->fatal)
            return;
    }
}

/* Decide the encoding from the first bytes in the window. */
static void sink_decide(run *r)
{
    sink *k = &r->sk;
    size_t bom = 0;
    sift_slice head = sift_slice_make(r->win, k->len < SNIFF_BYTES ? k->len : SNIFF_BYTES);
    k->decided = 1;
    k->enc = sift_text_sniff(head, &bom);
    const char *why = NULL;
    if (head.len >= 8 && memcmp(head.ptr, "ElfFile", 8) == 0)
        why = "EVTX binary event logs are not supported yet; export them as text";
    else if (k->enc == SIFT_ENC_BINARY)
        why = sift_status_str(SIFT_ERR_BINARY);
    else if (k->enc == SIFT_ENC_UTF16BE)
        why = "UTF-16BE text is not supported";
    if (why) {
        k->dead = 1;
        k->len = 0;
        r->files_skipped++;
        print_error(r, r->path, 1, 0, why, NULL);
        return;
    }
    sift_slice dh = sift_slice_make(r->host, r->host_len);
    int force = r->o->host != NULL;
    if (k->enc == SIFT_ENC_UTF16LE) {
        uint8_t first[SNIFF_BYTES];
        size_t n = k->len - bom;
        memcpy(first, r->win + bom, n);
        k->len = 0;
        /* Offsets are then those of the UTF-8 text logsift scans. */
        if (sift_scan_begin(r->scan, r->path, 0, dh, force, r->o->formats) != SIFT_OK)
            r->fatal = 1;
        sink_transcode(r, first, n);
    } else {
        k->pos = bom;
        if (sift_scan_begin(r->scan, r->path, bom, dh, force, r->o->formats) != SIFT_OK)
            r->fatal = 1;
    }
}

/* Room to write raw decoded bytes into: the window itself for UTF-8 (no
 * copy), the stage for UTF-16, which must be transcoded first. */
static void sink_space(run *r, uint8_t **p, size_t *cap)
{
    sink *k = &r->sk;
    if (k->dead || (k->decided && k->enc == SIFT_ENC_UTF16LE)) {
        *p = r->stage;
        *cap = STAGE_SIZE;
        return;
    }
    if (!k->decided) {
        *p = r->win + k->len;
        *cap = SNIFF_BYTES - k->len;
        return;
    }
    if (SIFT_WINDOW_SIZE - k->len < MIN_ROOM)
        scan_window(r, 0);
    *p = r->win + k->len;
    *cap = SIFT_WINDOW_SIZE - k->len;
}

static int live_decidable(const uint8_t *p, size_t n)
{
    if ((n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) || (n >= 2 && (memcmp(p, "\xff\xfe", 2) == 0 ||
                                                                     memcmp(p, "\xfe\xff", 2) == 0)))
        return 1;
    return n >= 8 && memchr(p, '\n', n) != NULL;
}

static void sink_commit(run *r, size_t n)
{
    sink *k = &r->sk;
    if (n == 0 || r->fatal)
        return;
    if (k->dead)
        return;
    if (k->decided && k->enc == SIFT_ENC_UTF16LE) {
        sink_transcode(r, r->stage, n);
    } else {
        k->len += n;
        /* A live stream cannot wait for a full sniff buffer that may never
         * come: decide on a BOM, or once a whole line is there to judge. */
        if (!k->decided && (k->len >= SNIFF_BYTES || (r->live && live_decidable(r->win, k->len))))
            sink_decide(r);
    }
}

/* The input ran dry: a live stream may stay quiet for hours, so scan what
 * has arrived and let the scanner judge an open candidate record now. */
static void sink_pause(run *r)
{
    sink *k = &r->sk;
    if (r->live && k->decided && !k->dead)
        scan_window(r, SIFT_SCAN_PAUSE);
}

/* Copy bytes in through the zero-copy interface. */
static void sink_write(run *r, const uint8_t *p, size_t n)
{
    while (n && !r->fatal && !r->sk.dead) {
        uint8_t *dst;
        size_t cap;
        sink_space(r, &dst, &cap);
        size_t c = n < cap ? n : cap;
        memcpy(dst, p, c);
        sink_commit(r, c);
        p += c;
        n -= c;
    }
}

/* Scan n decoded bytes at p where the decoder left them, instead of copying
 * them into the window; p has SIFT_SCAN_MAX_KEEP bytes of room before it.
 * What the scanner kept goes into that room first, and what it keeps
 * afterwards goes back to the window, so the window and the scanner see
 * exactly what sink_write would have given them. */
static void sink_adopt(run *r, uint8_t *p, size_t n)
{
    sink *k = &r->sk;
    if (!k->decided || k->dead || k->enc == SIFT_ENC_UTF16LE || r->fatal) {
        sink_write(r, p, n);
        return;
    }
    if (k->len) /* leaves at most SIFT_SCAN_MAX_KEEP bytes, from pos 0 */
        scan_window(r, 0);
    if (r->fatal)
        return;
    uint8_t *base = p - k->len;
    memcpy(base, r->win, k->len);
    int ok = 1;
    size_t from = scan_buf(r, base, k->len + n, 0, 0, &ok);
    if (!ok)
        return;
    k->len = k->len + n - from;
    memcpy(r->win, base + from, k->len);
    k->pos = 0;
}

static void sink_finish(run *r)
{
    sink *k = &r->sk;
    if (!k->decided)
        sink_decide(r);
    if (k->dead)
        return;
    if (k->enc == SIFT_ENC_UTF16LE) {
        for (;;) {
            sift_out out = { r->win, SIFT_WINDOW_SIZE, k->len };
            sift_status st = sift_utf16le_finish(&k->u16, &out);
            k->len = out.pos;
            if (st != SIFT_DST_FULL || r->fatal)
                break;
            scan_window(r, 0);
        }
    }
    scan_window(r, SIFT_SCAN_EOF);
}

/* ---- producers ----------------------------------------------------------------- */

/* Scan every complete line decoded so far, then report: the errors of
 * records before the damage come out before it, whatever the chunking. */
static void report_in_order(run *r, uint64_t offset, const char *what)
{
    if (r->sk.dead)
        return; /* skipped: what it holds further on does not matter */
    if (r->sk.decided)
        scan_window(r, 0);
    print_error(r, r->path, 1, offset, what, NULL);
}

static void report_decode(run *r, const sift_error *e)
{
    report_in_order(r, e->offset, e->detail ? e->detail : sift_status_str(e->code));
}

/* offset counts this input's bytes read before the failure. */
static void report_read(run *r, uint64_t offset, int errnum)
{
    report_in_order(r, offset, strerror(errnum));
}

/* Where decoding writes: straight into the sink (one thread), or into the
 * queue that the scanning thread drains (decoding on a thread of its own).
 * The same decode loops feed both, so both see the same bytes and errors in
 * the same order. */
typedef struct dst dst;
struct dst {
    void (*space)(dst *d, uint8_t **p, size_t *cap);
    void (*commit)(dst *d, size_t n);
    void (*decode_error)(dst *d, const sift_error *e);
    void (*read_error)(dst *d, uint64_t offset, int errnum);
    void (*flush)(dst *d); /* the input ran dry: pass on what there is */
    int (*stopped)(dst *d);
    int poll_reads; /* wait for a pipe with poll(), watching stopped() */
};

typedef struct sink_dst {
    dst base;
    run *r;
} sink_dst;

static void sd_space(dst *d, uint8_t **p, size_t *cap)
{
    sink_space(((sink_dst *)d)->r, p, cap);
}

static void sd_commit(dst *d, size_t n)
{
    sink_commit(((sink_dst *)d)->r, n);
}

static void sd_decode_error(dst *d, const sift_error *e)
{
    report_decode(((sink_dst *)d)->r, e);
}

static void sd_read_error(dst *d, uint64_t offset, int errnum)
{
    report_read(((sink_dst *)d)->r, offset, errnum);
}

static void sd_flush(dst *d)
{
    sink_pause(((sink_dst *)d)->r);
}

/* Fatal errors stop decoding, and so does an input judged not text: a
 * gzip bomb must not be inflated to its end once it is skipped. */
static int sd_stopped(dst *d)
{
    run *r = ((sink_dst *)d)->r;
    return r->fatal || r->sk.dead;
}

static sink_dst sink_dst_make(run *r)
{
    sink_dst s = { { sd_space, sd_commit, sd_decode_error, sd_read_error, sd_flush, sd_stopped, 0 }, r };
    return s;
}

/* Decode in through d until all of it is consumed. */
static void decode_all(dst *d, sift_decoder *dec, sift_in *in)
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
static void decode_finish(dst *d, sift_decoder *dec)
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

/* read() that retries interrupted calls; -1 with errno on failure. */
static ssize_t read_some(reader *rd, uint8_t *p, size_t n)
{
    if (rd->mem) {
        size_t left = rd->mem_len - rd->mem_pos;
        if (n > left)
            n = left;
        if (rd->chunk && n > rd->chunk)
            n = rd->chunk;
        memcpy(p, rd->mem + rd->mem_pos, n);
        rd->mem_pos += n;
        return (ssize_t)n;
    }
    for (;;) {
        ssize_t got = read(rd->fd, p, n);
        if (got >= 0 || errno != EINTR)
            return got;
    }
}

#define STOP_POLL_MS 100

/* Wait until rd can be read without blocking, or d is told to stop. A
 * decoding thread must not sit in read() on a quiet pipe once the scanner
 * has given up: the scanner would wait for it forever. */
static int wait_readable(reader *rd, dst *d)
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

/* One compressed input, from start to finish: a mapping, or a stream whose
 * first `have` bytes are already in inbuf. bytes_in counts what has been read
 * of this input, `have` included. */
typedef struct decode_job {
    sift_decoder *dec;
    sift_codec codec;
    int mapped;
    sift_map map;
    int release_pages;
    reader *rd;
    uint8_t *inbuf;
    size_t have;
    int eof;
    uint64_t bytes_in;
} decode_job;

static void decode_job_run(dst *d, decode_job *j)
{
    sift_decode_reset(j->dec, j->codec);
    if (j->mapped) {
        size_t released = 0;
        for (size_t off = 0; off < j->map.len && !d->stopped(d);) {
            size_t n = j->map.len - off > MAP_SLICE ? MAP_SLICE : j->map.len - off;
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
            ssize_t got = read_some(j->rd, j->inbuf, READ_SIZE);
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

/* ---- decoding on a second thread -------------------------------------------- */

/* Decompression and scanning take about as long as each other, so a second
 * thread decodes into a ring of slots while the first scans. Each slot
 * carries at most one error, reported after the slot's bytes: exactly where
 * one thread would report it, so output and errors are the same. */
#define QUEUE_SLOTS 4u
#if defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
/* Fuzz inputs are small: small slots make them cross slot boundaries. */
#define QUEUE_SLOT_SIZE (8u * 1024u)
#else
#define QUEUE_SLOT_SIZE (1024u * 1024u)
#endif

typedef enum slot_error { SLOT_NO_ERROR, SLOT_DECODE_ERROR, SLOT_READ_ERROR } slot_error;

typedef struct slot {
    uint8_t *mem;
    uint8_t *buf; /* mem + SIFT_SCAN_MAX_KEEP: room in front for sink_adopt */
    size_t len;
    slot_error kind;
    sift_error err;
    int errnum;
    int pause; /* the input ran dry after these bytes (sink_pause) */
    int last;  /* the decoder is done */
} slot;

struct sift_queue {
    dst base;
    pthread_mutex_t mu;
    pthread_cond_t filled, freed;
    pthread_cond_t posted, idle; /* a job for the decoder; the decoder is done */
    slot slots[QUEUE_SLOTS];
    unsigned head, count; /* slots[head] is the next to scan */
    slot *cur;            /* the slot being filled, owned by the decoder */
    _Atomic int stop;     /* the scanner gave up: decode no further */
    decode_job *job;      /* posted, not yet done; guarded by mu */
    int busy;             /* the decoder has a job; guarded by mu */
    int quit;             /* the run is over; guarded by mu */
    int started;          /* thread is running */
    pthread_t thread;
};

static slot *queue_acquire(sift_queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->count == QUEUE_SLOTS)
        pthread_cond_wait(&q->freed, &q->mu);
    slot *s = &q->slots[(q->head + q->count) % QUEUE_SLOTS];
    pthread_mutex_unlock(&q->mu);
    s->len = 0;
    s->kind = SLOT_NO_ERROR;
    s->pause = 0;
    s->last = 0;
    return s;
}

static void queue_publish(sift_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->count++;
    pthread_cond_signal(&q->filled);
    pthread_mutex_unlock(&q->mu);
    q->cur = NULL;
}

static void qd_space(dst *d, uint8_t **p, size_t *cap)
{
    sift_queue *q = (sift_queue *)d;
    if (q->cur && q->cur->len == QUEUE_SLOT_SIZE)
        queue_publish(q);
    if (!q->cur)
        q->cur = queue_acquire(q);
    *p = q->cur->buf + q->cur->len;
    *cap = QUEUE_SLOT_SIZE - q->cur->len;
}

static void qd_commit(dst *d, size_t n)
{
    sift_queue *q = (sift_queue *)d;
    if (q->cur)
        q->cur->len += n;
}

static void qd_error(sift_queue *q, slot_error kind, const sift_error *e, int errnum)
{
    if (!q->cur)
        q->cur = queue_acquire(q);
    q->cur->kind = kind;
    if (e)
        q->cur->err = *e;
    q->cur->errnum = errnum;
    queue_publish(q);
}

static void qd_decode_error(dst *d, const sift_error *e)
{
    qd_error((sift_queue *)d, SLOT_DECODE_ERROR, e, 0);
}

static void qd_read_error(dst *d, uint64_t offset, int errnum)
{
    sift_error e = { SIFT_ERR_IO, offset, NULL };
    qd_error((sift_queue *)d, SLOT_READ_ERROR, &e, errnum);
}

/* Every pause is passed on, even with no bytes since the last slot, so the
 * scanner pauses where one thread would. */
static void qd_flush(dst *d)
{
    sift_queue *q = (sift_queue *)d;
    if (!q->cur)
        q->cur = queue_acquire(q);
    q->cur->pause = 1;
    queue_publish(q);
}

static int qd_stopped(dst *d)
{
    return ((sift_queue *)d)->stop;
}

/* One decoding thread serves every compressed input of a run: a sweep over
 * thousands of archives would otherwise start and join a thread for each. */
static void *decode_thread(void *arg)
{
    sift_queue *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->job && !q->quit)
            pthread_cond_wait(&q->posted, &q->mu);
        if (!q->job)
            break;
        decode_job *j = q->job;
        pthread_mutex_unlock(&q->mu);
        decode_job_run(&q->base, j);
        if (!q->cur)
            q->cur = queue_acquire(q);
        q->cur->last = 1;
        queue_publish(q);
        pthread_mutex_lock(&q->mu);
        q->job = NULL;
        q->busy = 0;
        pthread_cond_signal(&q->idle);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

static void queue_free(sift_queue *q)
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
    for (unsigned i = 0; i < QUEUE_SLOTS; i++)
        free(q->slots[i].mem);
    pthread_cond_destroy(&q->idle);
    pthread_cond_destroy(&q->posted);
    pthread_cond_destroy(&q->freed);
    pthread_cond_destroy(&q->filled);
    pthread_mutex_destroy(&q->mu);
    free(q);
}

static sift_queue *queue_create(void)
{
    sift_queue *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->base = (dst){ qd_space, qd_commit, qd_decode_error, qd_read_error, qd_flush, qd_stopped, 1 };
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
    for (unsigned i = 0; i < QUEUE_SLOTS; i++) {
        q->slots[i].mem = malloc(SIFT_SCAN_MAX_KEEP + QUEUE_SLOT_SIZE);
        q->slots[i].buf = q->slots[i].mem ? q->slots[i].mem + SIFT_SCAN_MAX_KEEP : NULL;
        if (!q->slots[i].buf) {
            queue_free(q);
            return NULL;
        }
    }
    return q;
}

/* Decode j on a second thread while this one scans what it produces. The
 * scanner drains every slot to the last even after a fatal error, so the
 * decoder never waits forever; it only stops decoding sooner. */
static void decode_threaded(run *r, decode_job *j)
{
    sift_queue *q = r->queue;
    if (!q->started) {
        if (pthread_create(&q->thread, NULL, decode_thread, q) != 0) {
            sink_dst sd = sink_dst_make(r);
            decode_job_run(&sd.base, j);
            return;
        }
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
        if (!r->fatal) {
            sink_adopt(r, sl->buf, sl->len);
            if (sl->kind == SLOT_DECODE_ERROR)
                report_decode(r, &sl->err);
            else if (sl->kind == SLOT_READ_ERROR)
                report_read(r, sl->err.offset, sl->errnum);
            if (sl->pause)
                sink_pause(r);
        }
        if (r->fatal || r->sk.dead)
            q->stop = 1;
        last = sl->last;
        pthread_mutex_lock(&q->mu);
        q->head = (q->head + 1) % QUEUE_SLOTS;
        q->count--;
        pthread_cond_signal(&q->freed);
        pthread_mutex_unlock(&q->mu);
    }
}

/* A sweep over thousands of small archives pays for the second thread on
 * each one: handing an input to it and its slots back costs thread wake-ups,
 * about 50 us per input (5,000 .zst files of 8 KB: 0.33 s with the thread,
 * 0.095 s without), more than overlapping can save on so little. Mapped
 * inputs smaller than this are decoded on the scanning thread unless
 * --threads=2 asked for the second. Streams keep it: their size is unknown
 * and there is only one. */
#define THREAD_MIN_INPUT (64u * 1024u)

/* Decode a whole compressed input into the sink, and close it. in_size: the
 * compressed size when known (a mapped file), else 0. */
static void decode_input(run *r, decode_job *j, size_t in_size)
{
    int small = in_size && in_size < THREAD_MIN_INPUT;
    if (r->queue && !(small && r->auto_threads)) {
        decode_threaded(r, j);
    } else {
        sink_dst sd = sink_dst_make(r);
        decode_job_run(&sd.base, j);
    }
    if (!r->sk.dead)
        r->bytes_skipped += sift_decode_skipped(r->dec);
    sink_finish(r);
}

#define SIZE_UNKNOWN UINT64_MAX

/* An input judged not text is read no further. It counts as skipped whole,
 * by its size where that is known without reading it (a mapping, a regular
 * file, memory), else by what had been read of it when it was judged. */
static void count_skipped(run *r, uint64_t read)
{
    if (r->sk.dead)
        r->bytes_skipped += r->in_size != SIZE_UNKNOWN ? r->in_size : read;
}

static void process_mapped(run *r, sift_map map)
{
    sift_slice all = sift_slice_make(map.ptr, map.len);
    sift_codec codec = sift_decode_sniff(all);
    r->codec = codec;
    r->bytes_in += map.len;
    r->in_size = map.len;
    sink_begin(r);
    if (codec == SIFT_CODEC_PLAIN) {
        size_t bom = 0;
        sift_encoding enc = sift_text_sniff(sift_slice_sub(all, 0, SNIFF_BYTES), &bom);
        if (enc == SIFT_ENC_UTF8 && !(map.len >= 8 && memcmp(map.ptr, "ElfFile", 8) == 0)) {
            /* The common case: scan the mapping in place, no copy at all. */
            sift_slice dh = sift_slice_make(r->host, r->host_len);
            if (sift_scan_begin(r->scan, r->path, bom, dh, r->o->host != NULL, r->o->formats) != SIFT_OK) {
                r->fatal = 1;
                return;
            }
            size_t released = 0, pos = bom;
            for (size_t upto = 0; upto < map.len && !r->fatal;) {
                upto = map.len - upto > MAP_SLICE ? upto + MAP_SLICE : map.len;
                /* Same buffer each time: what the scanner keeps is simply
                 * still there, in front of the new slice. */
                sift_in in = { map.ptr, upto, pos };
                sift_status st = sift_scan_run(r->scan, &in, upto == map.len ? SIFT_SCAN_EOF : 0);
                if (st != SIFT_OK) {
                    print_error(r, r->path, 0, 0, "cannot continue", sift_status_str(st));
                    r->fatal = 1;
                }
                pos = in.pos;
                if (r->release_pages)
                    sift_map_release(&map, pos, &released);
            }
            return;
        }
        /* Not scanned in place (UTF-16, binary): copied through the sink a
         * slice at a time, each slice's pages released once it is through,
         * as on the other mapped paths. */
        size_t released = 0;
        for (size_t off = 0; off < map.len && !r->fatal && !r->sk.dead;) {
            size_t n = map.len - off > MAP_SLICE ? MAP_SLICE : map.len - off;
            sink_write(r, map.ptr + off, n);
            off += n;
            if (r->release_pages)
                sift_map_release(&map, off, &released);
        }
        sink_finish(r);
        count_skipped(r, map.len);
        return;
    }
    decode_job j = { r->dec, codec, 1, map, r->release_pages, NULL, NULL, 0, 1, 0 };
    decode_input(r, &j, map.len);
    count_skipped(r, map.len);
}

static void process_stream(run *r, reader *rd)
{
    size_t have = 0;
    int eof = 0;
    sink_begin(r);
    /* Enough bytes to recognise a codec (4), or the whole input if shorter. */
    while (have < 4 && !eof) {
        ssize_t got = read_some(rd, r->inbuf + have, READ_SIZE - have);
        if (got < 0) {
            print_error(r, r->path, 1, have, strerror(errno), NULL);
            eof = 1;
        } else if (got == 0) {
            eof = 1;
        } else {
            have += (size_t)got;
        }
    }
    r->bytes_in += have;
    sift_codec codec = sift_decode_sniff(sift_slice_make(r->inbuf, have));
    r->codec = codec;
    if (codec == SIFT_CODEC_PLAIN) {
        uint64_t got_total = have;
        sink_write(r, r->inbuf, have);
        sink_pause(r);
        while (!eof && !r->fatal && !r->sk.dead) {
            uint8_t *p;
            size_t cap;
            sink_space(r, &p, &cap);
            ssize_t got = read_some(rd, p, cap);
            if (got < 0)
                report_read(r, got_total, errno);
            if (got <= 0)
                break;
            got_total += (uint64_t)got;
            sink_commit(r, (size_t)got);
            sink_pause(r);
        }
        r->bytes_in += got_total - have;
        sink_finish(r);
        count_skipped(r, got_total);
        return;
    }
    decode_job j = { r->dec, codec, 0, { NULL, 0 }, 0, rd, r->inbuf, have, eof, have };
    decode_input(r, &j, 0);
    r->bytes_in += j.bytes_in - have;
    count_skipped(r, j.bytes_in);
}

/* ---- a mapped file that shrinks --------------------------------------------------- */

/* Reading a mapped page past a file's new end raises SIGBUS (a log truncated
 * or rotated while logsift reads it). Recovering would mean jumping out of
 * the middle of a Hyperscan scan, so the handler says which file it was and
 * ends the run with status 2, using only async-signal-safe calls. Its line
 * is formatted, path escaped, before the file is mapped: a handler cannot
 * format. */
static const char *volatile sigbus_line;

static void write_str(const char *s)
{
    size_t n = strlen(s);
    while (n) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void on_sigbus(int sig)
{
    (void)sig;
    const char *line = sigbus_line;
    write_str(line ? line : "logsift: (input): the file shrank while being read; stopping\n");
    _exit(2);
}

static void catch_sigbus(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigbus;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
}

/* What --verbose says about one input: how it was decoded and what the
 * scanner found in it, as counts since the previous input. */
static void describe_input(run *r, const sift_scan_stats *before)
{
    const sift_scan_stats *now = sift_scan_get_stats(r->scan);
    const char *enc = r->sk.dead ? "skipped" : sift_encoding_name(r->sk.enc);
    char what[512];
    snprintf(what, sizeof what,
             "%s, %s, %" PRIu64 " bytes of text: %" PRIu64 " event records, %" PRIu64 " candidates, %" PRIu64
             " TIME_WAIT rows in %" PRIu64 " snapshots",
             sift_codec_name(r->codec), enc, now->bytes - before->bytes, now->records - before->records,
             now->candidates - before->candidates, now->rows - before->rows, now->snapshots - before->snapshots);
    (void)sift_diag_print(r->o->err, r->path, 0, 0, what, NULL);
}

/* Files smaller than this are read rather than mapped. A sweep over
 * thousands of small archives paid more for mmap, madvise and munmap than a
 * copy of a few kilobytes costs. */
#define READ_WHOLE_MAX (256u * 1024u)
_Static_assert(READ_WHOLE_MAX <= READ_SIZE, "a small file must fit the read buffer");

/* Up to want bytes of a regular file into buf, fewer if it ends first; like
 * a mapping, a file is taken at the size fstat gave, and what is appended
 * while it is read is not. Returns 0, or -1 on a read error. */
static int read_whole(int fd, uint8_t *buf, size_t want, size_t *len)
{
    *len = 0;
    while (*len < want) {
        ssize_t got = read(fd, buf + *len, want - *len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        *len += (size_t)got;
    }
    return 0;
}

/* A read that ended before st's size: was the file cut, or did it never
 * hold that much? sysfs gives every attribute a size of 4096 whatever it
 * holds; a file that was truncated reports its new size. */
static int size_is_placeholder(int fd, const struct stat *st)
{
    struct stat now;
    return fstat(fd, &now) == 0 && now.st_size == st->st_size;
}

static int on_file(void *ctx, const char *path, int fd, const struct stat *st)
{
    run *r = ctx;
    sift_scan_stats before = *sift_scan_get_stats(r->scan);
    r->files++;
    r->path = path;
    r->host_len = r->o->host ? strlen(r->o->host) : sift_host_from_path(path, r->host, sizeof r->host);
    if (r->o->host) {
        r->host_len = r->host_len > SIFT_HOST_NAME_MAX ? SIFT_HOST_NAME_MAX : r->host_len;
        memcpy(r->host, r->o->host, r->host_len);
    }
    sift_map map;
    size_t n = 0;
    /* Standard input may be a file that a command before logsift has read
     * into ({ head -n 5 >/dev/null; logsift; } <file): the input starts
     * where that left it, which a mapping would not see. */
    off_t at = fd == STDIN_FILENO && S_ISREG(st->st_mode) ? lseek(fd, 0, SEEK_CUR) : 0;
    /* A regular file whose size reads as 0 may hold content all the same
     * (procfs, and the like): only reading it to its end tells. */
    int sized = S_ISREG(st->st_mode) && st->st_size > 0;
    int small = sized && st->st_size < (off_t)READ_WHOLE_MAX && at >= 0;
    if (!small) /* before any page is mapped */
        (void)sift_diag_format(r->sigbus_line, sizeof r->sigbus_line, path, 0, 0,
                               "the file shrank while being read; stopping", NULL);
    size_t want = small && at < st->st_size ? (size_t)(st->st_size - at) : 0;
    if (small && read_whole(fd, r->inbuf, want, &n) == 0) {
        /* Read whole, it is handled as a mapping: same path, same output. */
        r->release_pages = 0;
        process_mapped(r, (sift_map){ r->inbuf, n });
        /* Truncated or rotated under us: what was there is kept, and the
         * loss reported where it begins. */
        if (n < want && !size_is_placeholder(fd, st))
            print_error(r, path, 1, n, "the file shrank while being read", NULL);
    } else if (!small && at == 0 && sized && sift_map_file(fd, st, &map) == 0) {
        r->release_pages = 1;
        sigbus_line = r->sigbus_line;
        process_mapped(r, map);
        sigbus_line = NULL;
        sift_unmap(&map);
        /* Consumed, as if read: `logsift - -` or `{ logsift; cat; }` on a
         * redirected file then sees its end, whatever its size. */
        if (fd == STDIN_FILENO)
            (void)lseek(fd, st->st_size, SEEK_SET);
    } else {
        /* A small file that failed to read starts over as a stream, which
         * reports the read error where it happens. */
        if (small && n && lseek(fd, -(off_t)n, SEEK_CUR) < 0) {
            print_error(r, path, 0, 0, strerror(errno), NULL);
            return r->fatal;
        }
        r->release_pages = 0;
        r->in_size = S_ISREG(st->st_mode) && st->st_size > at ? (uint64_t)(st->st_size - at) : SIZE_UNKNOWN;
        reader rd = { fd, NULL, 0, 0, 0 };
        process_stream(r, &rd);
    }
    if (r->o->verbose)
        describe_input(r, &before);
    return r->fatal;
}

/* ---- host names from paths ------------------------------------------------------ */

static int is_generic(const char *s, size_t n)
{
    static const char *const words[] = {
        "netstat", "ss", "tcp", "connections", "conns", "sockets", "dump", "snapshot", "snapshots",
        "output", "system", "application", "security", "events", "evt", "eventlog", "log", "logs",
        "systeminfo", "sysinfo", "triage", "export",
    };
    int digits = n > 0;
    for (size_t i = 0; i < n; i++)
        digits &= s[i] >= '0' && s[i] <= '9';
    if (digits)
        return 1; /* dates and counters */
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
        if (strlen(words[w]) == n && strncasecmp(words[w], s, n) == 0)
            return 1;
    return 0;
}

static int is_sep(char c)
{
    return c == '_' || c == '-' || c == '.';
}

static size_t put_host(const char *s, size_t n, char *out, size_t cap)
{
    while (n && is_sep(s[n - 1]))
        n--;
    while (n && is_sep(s[0]))
        s++, n--;
    if (n == 0 || n >= cap)
        return 0;
    memcpy(out, s, n);
    out[n] = '\0';
    return n;
}

size_t sift_host_from_path(const char *path, char *out, size_t cap)
{
    static const char *const exts[] = { ".zst", ".zstd", ".gz", ".txt", ".log", ".out", ".csv" };
    if (cap)
        out[0] = '\0';
    if (!path || strcmp(path, "(stdin)") == 0)
        return 0;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    for (int again = 1; again;) {
        again = 0;
        for (size_t e = 0; e < sizeof exts / sizeof exts[0]; e++) {
            size_t el = strlen(exts[e]);
            if (n > el && strncasecmp(base + n - el, exts[e], el) == 0) {
                n -= el;
                again = 1;
            }
        }
    }
    /* Tokens split on '_', '-' and '.'; hosts may contain '-' and '.', so only
     * a generic word marks where the host name ends or begins. */
    size_t gen_start = n, gen_end = n;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !is_sep(base[j]))
            j++;
        if (is_generic(base + i, j - i)) {
            gen_start = i;
            gen_end = j;
            break;
        }
        i = j + 1;
    }
    size_t got = put_host(base, gen_start, out, cap);
    if (got)
        return got;
    if (gen_end < n) {
        /* "netstat_RDG01_20241002": the run after the generic word. */
        size_t i = gen_end + 1, j = i;
        while (j < n) {
            size_t k = j;
            while (k < n && !is_sep(base[k]))
                k++;
            if (is_generic(base + j, k - j))
                break;
            j = k + 1;
        }
        if (j > n)
            j = n;
        got = put_host(base + i, j > i ? j - i : 0, out, cap);
        if (got)
            return got;
    }
    /* Nothing but generic words: the directory is named after the host. */
    if (base == path)
        return 0;
    const char *dir_end = base - 1;
    const char *dir = dir_end;
    while (dir > path && dir[-1] != '/')
        dir--;
    size_t dn = (size_t)(dir_end - dir);
    if ((dn == 1 && dir[0] == '.') || (dn == 2 && dir[0] == '.' && dir[1] == '.'))
        return 0;
    return put_host(dir, dn, out, cap);
}

/* ---- the run ------------------------------------------------------------------------ */

static int is_pipe_path(const char *path)
{
    struct stat st;
    int rc = strcmp(path, "-") == 0 ? fstat(STDIN_FILENO, &st) : stat(path, &st);
    return rc == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode));
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_stats(run *r, size_t nfindings, double secs)
{
    const sift_scan_stats *s = sift_scan_get_stats(r->scan);
    double mb = (double)s->bytes / 1e6;
    fprintf(r->o->err,
            "logsift: %" PRIu64 " files (%" PRIu64 " skipped), %" PRIu64 " bytes in, %" PRIu64
            " bytes of text, %" PRIu64 " lines in %.3f s (%.0f MB/s)\n"
            "logsift: %" PRIu64 " event records framed, %" PRIu64 " candidates: %" PRIu64 " verified, %" PRIu64
            " rejected, %" PRIu64 " malformed\n"
            "logsift: %" PRIu64 " TIME_WAIT rows in %" PRIu64 " snapshots; %" PRIu64 " hits, %" PRIu64
            " past the line limit\n"
            "logsift: %zu findings, %" PRIu64 " errors, %" PRIu64 " bytes skipped, %" PRIu64
            " observations dropped (host limit); matcher %s\n",
            r->files, r->files_skipped, r->bytes_in, s->bytes, s->lines, secs, secs > 0 ? mb / secs : 0.0,
            s->records, s->candidates, s->verified, s->rejected, s->bad_records, s->rows, s->snapshots, s->hits,
            s->long_lines, nfindings, r->errors, r->bytes_skipped, sift_hosts_dropped(r->hosts),
            sift_matcher_version());
}

/* The database is loaded (or, failing that, compiled) once per process and
 * shared read-only by every run: tests and fuzzing start many runs. */
static sift_matcher *shared_matcher(FILE *err)
{
    static sift_matcher *m;
    if (!m && sift_db_blob_size)
        (void)sift_matcher_load(sift_db_blob, sift_db_blob_size, sift_patterns, sift_pattern_count, &m);
    if (!m) {
        char msg[512];
        if (sift_matcher_create(sift_patterns, sift_pattern_count, &m, msg, sizeof msg) != SIFT_OK) {
            fprintf(err, "logsift: cannot compile patterns: %s\n", msg);
            m = NULL;
        }
    }
    return m;
}

static void run_free(run *r)
{
    free(r->win);
    free(r->stage);
    free(r->inbuf);
    sift_decode_free(r->dec);
    queue_free(r->queue);
    sift_scan_free(r->scan);
    sift_hosts_free(r->hosts);
}

static int run_init(run *r, const sift_run_opts *o, int live)
{
    memset(r, 0, sizeof *r);
    r->o = o;
    r->live = live;
    /* Early lines are a live-stream feature; evaluating severities at every
     * observation is not free, so batch runs do not ask for them. */
    sift_hosts_cfg hc = { o->port_range, live ? on_rise : NULL, r };
    r->m = shared_matcher(o->err);
    if (!r->m)
        return 0;
    r->hosts = sift_hosts_create(&hc);
    r->scan = r->hosts ? sift_scan_create(r->m, r->hosts, on_scan_error, r) : NULL;
    if (r->scan)
        sift_scan_set_live(r->scan, live);
    r->dec = sift_decode_create();
    r->win = malloc(SIFT_WINDOW_SIZE);
    r->stage = malloc(STAGE_SIZE);
    r->inbuf = malloc(READ_SIZE);
    int threads = o->threads;
    r->auto_threads = threads <= 0;
    if (threads <= 0)
        threads = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
    int queue_ok = 1;
    if (threads > 1) {
        r->queue = queue_create();
        queue_ok = r->queue != NULL;
    }
    if (!r->scan || !r->dec || !r->win || !r->stage || !r->inbuf || !queue_ok) {
        fprintf(o->err, "logsift: out of memory\n");
        run_free(r);
        return 0;
    }
    return 1;
}

/* The final report: aggregate findings, the summary, the exit code. */
static int run_report(run *r, double t0)
{
    const sift_run_opts *o = r->o;
    sift_finding *f = NULL;
    size_t nf = sift_hosts_findings(r->hosts, &f);
    if (nf == SIZE_MAX) {
        fprintf(o->err, "logsift: out of memory\n");
        return 2;
    }
    for (size_t i = 0; i < nf; i++)
        if (sift_findings_write(o->out, &f[i], r->hosts, 1, r->live) != 0)
            r->fatal = 1;
    free(f);
    if (fflush(o->out) != 0 || ferror(o->out)) {
        fprintf(o->err, "logsift: cannot write findings: %s\n", strerror(errno));
        r->errors++;
    }
    if (sift_hosts_dropped(r->hosts)) {
        fprintf(o->err, "logsift: host table full (%u hosts): %" PRIu64 " observations dropped\n",
                SIFT_MAX_HOSTS, sift_hosts_dropped(r->hosts));
        r->errors++;
    }
    if (o->stats)
        print_stats(r, nf, now_s() - t0);
    else if (r->errors)
        fprintf(o->err, "logsift: %" PRIu64 " errors; %" PRIu64 " inputs and %" PRIu64 " bytes skipped\n",
                r->errors, r->files_skipped, r->bytes_skipped);
    return (r->errors || r->fatal) ? 2 : (nf ? 1 : 0);
}

int sift_run(const sift_run_opts *o, char *const *paths, int npaths)
{
    static char *const stdin_only[] = { "-" };
    if (npaths == 0) {
        paths = stdin_only;
        npaths = 1;
    }
    int live = o->live;
    if (live < 0) {
        live = 0;
        for (int i = 0; i < npaths; i++)
            live |= is_pipe_path(paths[i]);
    }
    double t0 = now_s();
    run r;
    if (!run_init(&r, o, live))
        return 2;
    catch_sigbus();
    for (int i = 0; i < npaths && !r.fatal; i++)
        sift_input_walk(paths[i], on_file, on_walk_error, &r);
    int rc = run_report(&r, t0);
    run_free(&r);
    return rc;
}

int sift_run_memory(const sift_run_opts *o, const char *name, const uint8_t *data, size_t len, size_t chunk)
{
    double t0 = now_s();
    run r;
    if (!run_init(&r, o, o->live > 0))
        return 2;
    r.files = 1;
    r.path = name;
    r.host_len = o->host ? 0 : sift_host_from_path(name, r.host, sizeof r.host);
    if (o->host) {
        r.host_len = strlen(o->host) > SIFT_HOST_NAME_MAX ? SIFT_HOST_NAME_MAX : strlen(o->host);
        memcpy(r.host, o->host, r.host_len);
    }
    sift_scan_stats before = *sift_scan_get_stats(r.scan);
    if (chunk == 0) {
        sift_map map = { data, len };
        process_mapped(&r, map);
    } else {
        reader rd = { -1, data, len, 0, chunk };
        r.in_size = len;
        process_stream(&r, &rd);
    }
    if (o->verbose)
        describe_input(&r, &before);
    int rc = run_report(&r, t0);
    run_free(&r);
    return rc;
}
