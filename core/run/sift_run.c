/* sift_run.c - the driver: inputs through decoding and the sink into the
 * scanner, errors, and the report. */
#include "sift_run.h"

#include "sift_db.h"
#include "sift_decode.h"
#include "sift_diag.h"
#include "sift_findings.h"
#include "sift_hosts.h"
#include "sift_paths.h"
#include "sift_rules.h"
#include "sift_input.h"
#include "sift_ring.h"
#include "sift_scan.h"
#include "sift_sink.h"
#include "sift_text.h"
#include "sift_units.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define READ_SIZE (1024u * 1024u)

/* The window must hold what the scanner keeps plus room to make progress. */
_Static_assert(SIFT_WINDOW_SIZE >= SIFT_SCAN_MAX_KEEP + 2 * SIFT_SINK_MIN_ROOM,
               "window too small for the scanner's keep");
/* A container's partial unit is what is kept of it between reads. */
_Static_assert(SIFT_CONTAINER_UNIT_MAX <= SIFT_SCAN_MAX_KEEP, "a container unit must fit what the sink keeps");

struct sift_engine {
    const sift_format *const *formats;
    size_t n_formats;
    sift_patset patset;
    sift_matcher *matcher;
};

typedef struct run {
    const sift_run_opts *o;
    const sift_engine *e;
    uint32_t formats; /* registry indices looked for */
    sift_ruleset *rules;
    sift_paths *paths;
    sift_findings *writer;
    sift_hosts *hosts;
    sift_scan *scan;
    sift_decoder *dec;
    sift_ring *ring;  /* decoding on a second thread; NULL with --threads=1 */
    int auto_threads; /* the second thread was chosen, not asked for */
    uint8_t *inbuf;
    sift_sink *sink;
    const char *path;
    sift_codec codec; /* of the current input, for --verbose */
    char host[SIFT_HOST_NAME_MAX + 1];
    size_t host_len;
    int live;
    int fatal;
    int release_pages; /* the input is a real file mapping */
    uint64_t in_size;  /* of the current input as stored, or SIZE_UNKNOWN */
    uint64_t errors, files, files_skipped, bytes_in, bytes_skipped;
    size_t lines; /* final findings written (evicted ones too) */
    uint64_t replaced; /* U+FFFD written for what an input's encoding cannot hold */
    char sigbus_line[SIFT_DIAG_LINE_MAX]; /* what on_sigbus writes for the mapped input */
    /* container inputs (.evtx) */
    sift_units *units;        /* made for the first container input */
    int unit_threads;
    sift_units_filter filter;
    struct cfile *cf;         /* ring of container inputs in flight */
    size_t n_cf, next_cf;
    const sift_format *claimed; /* the current input is this container */
    struct cfile *cur;        /* the current input's, while it is claimed */
    uint8_t *chead;           /* a header gathered from a stream */
    size_t chead_len;
    int chead_done;
    int merging;              /* inside the units' merge: print in place */
    uint64_t cfiles;          /* container inputs read */
    sift_unit_stats ust;
} run;

/* ---- errors ---------------------------------------------------------------- */

static void settle_units(run *r);

static void print_error(run *r, const char *path, int has_offset, uint64_t offset, const char *what, const char *detail)
{
    /* Lines of earlier inputs still in flight come first, as on one thread. */
    settle_units(r);
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
    if (sift_findings_write(r->writer, f, 0, 1) < 0)
        r->fatal = 1;
}

/* ---- the scanner as the sink's consumer -------------------------------------- */

static void container_consume(run *r, sift_in *in, unsigned flags);

/* One scanner call; a failure ends the run. */
static void scan_step(run *r, sift_in *in, unsigned flags)
{
    sift_status st = sift_scan_run(r->scan, in, flags);
    if (st != SIFT_OK) {
        print_error(r, r->path, 0, 0, "cannot continue", sift_status_str(st));
        r->fatal = 1;
    }
}

static int consumer_begin(void *ctx, uint64_t start)
{
    run *r = ctx;
    if (r->claimed)
        return 0; /* claimed: units are read as they come */
    /* A text input: what earlier containers hold comes out first. */
    settle_units(r);
    if (r->o->dump) {
        /* --dump converts containers; text inputs are passed over. */
        r->files_skipped++;
        return -1;
    }
    sift_slice dh = sift_slice_make(r->host, r->host_len);
    if (sift_scan_begin(r->scan, r->path, start, dh, r->o->host != NULL, r->formats) != SIFT_OK)
        r->fatal = 1;
    return r->fatal ? -1 : 0;
}

static int consumer_consume(void *ctx, sift_in *in, unsigned flags)
{
    run *r = ctx;
    if (r->fatal)
        return -1;
    if (r->claimed) {
        container_consume(r, in, flags);
        return r->fatal ? -1 : 0;
    }
    unsigned scan_flags = ((flags & SIFT_SINK_END) ? SIFT_SCAN_EOF : 0u) |
                          ((flags & SIFT_SINK_PAUSE) ? SIFT_SCAN_PAUSE : 0u);
    scan_step(r, in, scan_flags);
    return r->fatal ? -1 : 0;
}

/* ---- container inputs (.evtx) ------------------------------------------------------ */

/* A container input in flight: what its units need when they are merged,
 * which may be after the run has moved on to the next inputs (a sweep of
 * many small files keeps every worker busy). */
typedef struct cfile {
    run *r;
    sift_units_file uf;
    int busy;                 /* submitted, not yet done */
    char *path;               /* a copy: the walk's is gone by then */
    size_t path_cap;
    char host[SIFT_HOST_NAME_MAX + 1];
    size_t host_len;
    uint32_t path_id;
    int interned;
    void *state;              /* the format's header state */
    size_t state_cap;
    sift_codec codec;
    sift_unit_stats st;
    const sift_map *map;      /* a mapped file's, whose pages are released as merged */
    size_t released;
    uint64_t index, pos;      /* next unit's number and offset */
} cfile;

/* Everything submitted is merged: before an input that is not a
 * container, and before any line printed outside the merge. */
static void settle_units(run *r)
{
    if (r->units && !r->merging)
        sift_units_drain(r->units);
}

static const sift_format *container_of(const run *r, sift_slice head)
{
    for (size_t f = 0; f < r->e->n_formats && f < 32; f++) {
        const sift_format *fmt = r->e->formats[f];
        if (fmt->container && (r->formats >> f & 1u) && fmt->container->sniff(head))
            return fmt;
    }
    return NULL;
}

/* After a fatal error nothing more is merged into the output: one thread
 * would have stopped reading at once, and so the output stops here too,
 * whatever other units were in flight. */
static void cu_error(void *ctx, const sift_error *e)
{
    cfile *c = ctx;
    if (c->r->fatal)
        return;
    c->r->merging = 1;
    print_error(c->r, c->path, 1, e->offset, e->detail ? e->detail : sift_status_str(e->code), NULL);
    c->r->merging = 0;
}

static void cu_text(void *ctx, const uint8_t *p, size_t n)
{
    run *r = ((cfile *)ctx)->r;
    if (!r->fatal && fwrite(p, 1, n, r->o->out) != n) {
        fprintf(r->o->err, "logsift: cannot write output: %s\n", strerror(errno));
        r->errors++;
        r->fatal = 1;
    }
}

static uint32_t cpath(cfile *c)
{
    if (!c->interned) {
        c->interned = 1;
        c->path_id = sift_paths_intern_as(c->r->paths, c->path, c->uf.fmt->name);
    }
    return c->path_id;
}

static void cu_nomem(cfile *c)
{
    if (!c->r->fatal) {
        cu_error(c, &(sift_error){ SIFT_ERR_NOMEM, 0, "cannot continue" });
        c->r->fatal = 1;
    }
}

static void cu_obs(void *ctx, unsigned rule, const sift_obs *obs, sift_slice host, const sift_evidence *where)
{
    cfile *c = ctx;
    if (c->r->fatal)
        return;
    sift_evidence w = *where;
    w.input = cpath(c);
    if (!host.len)
        host = sift_slice_make(c->host, c->host_len);
    c->r->merging = 1; /* a live finding may be written from here */
    sift_status st = sift_hosts_observe(c->r->hosts, host, rule, obs, w, NULL);
    c->r->merging = 0;
    if (st == SIFT_ERR_NOMEM)
        cu_nomem(c);
}

static void cu_fact(void *ctx, const sift_host_fact *f)
{
    cfile *c = ctx;
    if (c->r->fatal)
        return;
    sift_host_fact h = *f;
    h.where.input = cpath(c);
    if (!h.host.len)
        h.host = sift_slice_make(c->host, c->host_len);
    if (sift_hosts_fact(c->r->hosts, &h) == SIFT_ERR_NOMEM)
        cu_nomem(c);
}

static void add_unit_stats(sift_unit_stats *t, const sift_unit_stats *u)
{
    t->units += u->units;
    t->units_empty += u->units_empty;
    t->units_bad += u->units_bad;
    t->units_flagged += u->units_flagged;
    t->units_dropped += u->units_dropped;
    t->records += u->records;
    t->records_flagged += u->records_flagged;
    t->records_bad += u->records_bad;
    t->records_carved += u->records_carved;
    t->carved_bad += u->carved_bad;
}

/* Pages of a mapped file are released once every unit in them is merged:
 * a sweep of a large file keeps its resident memory flat. */
static void cu_merged(void *ctx, uint64_t end, const sift_unit_stats *st)
{
    cfile *c = ctx;
    add_unit_stats(&c->st, st);
    /* In steps, as the text path does: a madvise per 64 KiB chunk cost more
     * than reading a small log (the mapping goes whole at its end). */
    if (c->map && end - c->released >= SIFT_MAP_SLICE)
        sift_map_release((sift_map *)c->map, (size_t)end, &c->released);
}

static void describe_container(run *r, const cfile *c);

static void cu_done(void *ctx)
{
    cfile *c = ctx;
    run *r = c->r;
    add_unit_stats(&r->ust, &c->st);
    if (r->o->verbose && !r->fatal)
        describe_container(r, c);
    c->busy = 0;
}

/* The units of every container input, merged on this thread. */
static int units_ready(run *r)
{
    if (r->units)
        return 1;
    sift_units_sink sink = { cu_error, cu_text, cu_obs, cu_fact, cu_merged, cu_done };
    r->units = sift_units_create(r->unit_threads, &r->filter, &sink);
    if (!r->units) {
        print_error(r, r->path, 0, 0, "cannot continue", sift_status_str(SIFT_ERR_NOMEM));
        r->fatal = 1;
    }
    return r->units != NULL;
}

/* Start a container input of format fmt whose header is head
 * (header_size bytes, or the whole of a shorter file). */
static cfile *container_begin(run *r, const sift_format *fmt, sift_slice head)
{
    const sift_container_ops *ops = fmt->container;
    if (!units_ready(r))
        return NULL;
    cfile *c = &r->cf[r->next_cf++ % r->n_cf];
    if (c->busy)
        sift_units_drain(r->units); /* as many files in flight as the ring holds */
    size_t pl = strlen(r->path ? r->path : "-") + 1;
    if (pl > c->path_cap) {
        free(c->path);
        c->path = malloc(pl);
        c->path_cap = c->path ? pl : 0;
    }
    if (ops->file_size > c->state_cap) {
        free(c->state);
        c->state = malloc(ops->file_size);
        c->state_cap = c->state ? ops->file_size : 0;
    }
    if (!c->path || !c->state) {
        print_error(r, r->path, 0, 0, "cannot continue", sift_status_str(SIFT_ERR_NOMEM));
        r->fatal = 1;
        return NULL;
    }
    memcpy(c->path, r->path ? r->path : "-", pl);
    memcpy(c->host, r->host, r->host_len);
    c->host_len = r->host_len;
    c->interned = 0;
    c->codec = r->codec;
    memset(&c->st, 0, sizeof c->st);
    c->map = NULL;
    c->released = 0;
    c->index = 0;
    c->pos = ops->header_size;
    memset(c->state, 0, ops->file_size);
    sift_error err = { SIFT_OK, 0, NULL };
    if (ops->open(c->state, head, &err) != SIFT_OK)
        print_error(r, c->path, 1, err.offset, err.detail ? err.detail : sift_status_str(err.code), NULL);
    c->uf = (sift_units_file){ fmt, c->state,
                               (r->o->carve ? SIFT_UNIT_CARVE : 0u) | (r->o->strict ? SIFT_UNIT_STRICT : 0u), c };
    c->busy = 1;
    r->cfiles++;
    return c;
}

/* Hand over units (up to SIFT_UNITS_BATCH, back to back). */
static void container_unit(run *r, cfile *c, sift_slice units, int copy)
{
    size_t usize = c->uf.fmt->container->unit_size;
    if (sift_units_submit(r->units, &c->uf, units, c->index, c->pos, copy) != SIFT_OK && !r->fatal) {
        print_error(r, c->path, 0, 0, "cannot continue", sift_status_str(SIFT_ERR_NOMEM));
        r->fatal = 1;
    }
    c->index += (units.len + usize - 1) / usize;
    c->pos += units.len;
}

static void container_end(run *r, cfile *c)
{
    if (sift_units_file_end(r->units, &c->uf) != SIFT_OK) {
        sift_units_drain(r->units);
        c->busy = 0;
    }
}

/* A whole container in memory: a mapped file is read in place (and its
 * units merged before it is unmapped); a file read into the run's buffer,
 * which the next input reuses, is copied a unit at a time, so that it may
 * still be read while the next inputs are. */
static void process_container_mapped(run *r, const sift_format *fmt, sift_map *map)
{
    const sift_container_ops *ops = fmt->container;
    size_t hs = map->len < ops->header_size ? map->len : ops->header_size;
    cfile *c = container_begin(r, fmt, sift_slice_make(map->ptr, hs));
    if (!c)
        return;
    int in_place = r->release_pages;
    if (in_place)
        c->map = map;
    const size_t batch = (size_t)SIFT_UNITS_BATCH * ops->unit_size;
    for (size_t off = hs; off < map->len && !r->fatal; off += batch) {
        size_t n = map->len - off < batch ? map->len - off : batch;
        container_unit(r, c, sift_slice_make(map->ptr + off, n), !in_place);
    }
    container_end(r, c);
    if (in_place)
        sift_units_drain(r->units);
}

static int consumer_claim(void *ctx, sift_slice head)
{
    run *r = ctx;
    const sift_format *fmt = container_of(r, head);
    if (!fmt)
        return 0;
    r->claimed = fmt;
    r->cur = NULL;
    r->chead_len = 0;
    r->chead_done = 0;
    return 1;
}

/* A container from a stream (compressed, or a pipe): the header is
 * gathered, then each whole unit is copied out of the window to a worker;
 * a partial unit is kept for the next call. */
static void container_consume(run *r, sift_in *in, unsigned flags)
{
    const sift_container_ops *ops = r->claimed->container;
    int end = (flags & SIFT_SINK_END) != 0;
    if (!r->chead_done) {
        size_t want = ops->header_size - r->chead_len;
        size_t n = in->size - in->pos < want ? in->size - in->pos : want;
        memcpy(r->chead + r->chead_len, in->buf + in->pos, n);
        r->chead_len += n;
        in->pos += n;
        if (r->chead_len < ops->header_size && !end)
            return;
        r->chead_done = 1;
        r->cur = container_begin(r, r->claimed, sift_slice_make(r->chead, r->chead_len));
    }
    cfile *c = r->cur;
    if (!c) {
        in->pos = in->size; /* out of memory: fatal, reported */
        return;
    }
    while (!r->fatal && in->size - in->pos >= ops->unit_size) {
        size_t whole = (in->size - in->pos) / ops->unit_size;
        size_t n = (whole < SIFT_UNITS_BATCH ? whole : SIFT_UNITS_BATCH) * ops->unit_size;
        container_unit(r, c, sift_slice_make(in->buf + in->pos, n), 1);
        in->pos += n;
    }
    if (end) {
        if (in->size > in->pos && !r->fatal)
            container_unit(r, c, sift_slice_make(in->buf + in->pos, in->size - in->pos), 1);
        in->pos = in->size;
        container_end(r, c);
        r->cur = NULL;
    } else if (flags & SIFT_SINK_PAUSE) {
        /* A live input ran dry: what was read is reported now, not when
         * more arrives. */
        settle_units(r);
    }
}

static void consumer_reject(void *ctx, const char *why)
{
    run *r = ctx;
    r->files_skipped++;
    print_error(r, r->path, 1, 0, why, NULL);
}

/* ---- decoded bytes into the sink ------------------------------------------------ */

/* Pass every complete line decoded so far on, then report: the errors of
 * records before the damage come out before it, whatever the chunking. */
static void report_in_order(run *r, uint64_t offset, const char *what)
{
    if (sift_sink_rejected(r->sink))
        return; /* skipped: what it holds further on does not matter */
    sift_sink_drain(r->sink);
    print_error(r, r->path, 1, offset, what, NULL);
}

/* Where decoding writes on the scanning thread: the sink, with errors
 * reported in stream order. */
typedef struct sink_dst {
    sift_ring_dst base;
    run *r;
} sink_dst;

static void sd_space(sift_ring_dst *d, uint8_t **p, size_t *cap)
{
    sift_sink_space(((sink_dst *)d)->r->sink, p, cap);
}

static void sd_commit(sift_ring_dst *d, size_t n)
{
    sift_sink_commit(((sink_dst *)d)->r->sink, n);
}

static void sd_adopt(sift_ring_dst *d, uint8_t *p, size_t n)
{
    sift_sink_adopt(((sink_dst *)d)->r->sink, p, n);
}

static void sd_decode_error(sift_ring_dst *d, const sift_error *e)
{
    report_in_order(((sink_dst *)d)->r, e->offset, e->detail ? e->detail : sift_status_str(e->code));
}

/* offset counts this input's bytes read before the failure. */
static void sd_read_error(sift_ring_dst *d, uint64_t offset, int errnum)
{
    report_in_order(((sink_dst *)d)->r, offset, strerror(errnum));
}

static void sd_flush(sift_ring_dst *d)
{
    sift_sink_pause(((sink_dst *)d)->r->sink);
}

/* Fatal errors stop decoding, and so does an input judged not text: a
 * gzip bomb must not be inflated to its end once it is skipped. */
static int sd_stopped(sift_ring_dst *d)
{
    run *r = ((sink_dst *)d)->r;
    return r->fatal || sift_sink_rejected(r->sink);
}

static sink_dst sink_dst_make(run *r)
{
    sink_dst s = { { sd_space, sd_commit, sd_adopt, sd_decode_error, sd_read_error, sd_flush, sd_stopped, 0 }, r };
    return s;
}

/* ---- the inputs ---------------------------------------------------------------- */

/* A sweep over thousands of small archives pays for the second thread on
 * each one: handing an input to it and its slots back costs thread wake-ups,
 * about 50 us per input (5,000 .zst files of 8 KB: 0.33 s with the thread,
 * 0.095 s without), more than overlapping can save on so little. Mapped
 * inputs smaller than this are decoded on the scanning thread unless
 * --threads=2 asked for the second. Streams keep it: their size is unknown
 * and there is only one. */
#define THREAD_MIN_INPUT (64u * 1024u)

/* Decode a whole compressed input into the sink, and close it. in_size: the
 * compressed size when known (a mapped file), else 0. The ring drains every
 * slot to the last even after a fatal error, so its decoder never waits
 * forever; it only stops decoding sooner. */
static void decode_input(run *r, sift_ring_job *j, size_t in_size)
{
    int small = in_size && in_size < THREAD_MIN_INPUT;
    sink_dst sd = sink_dst_make(r);
    if (!r->ring || (small && r->auto_threads) || sift_ring_run(r->ring, j, &sd.base) != 0)
        sift_ring_job_run(&sd.base, j);
    if (!sift_sink_rejected(r->sink))
        r->bytes_skipped += sift_decode_skipped(r->dec);
    sift_sink_finish(r->sink);
}

#define SIZE_UNKNOWN UINT64_MAX

/* An input judged not text is read no further. It counts as skipped whole,
 * by its size where that is known without reading it (a mapping, a regular
 * file, memory), else by what had been read of it when it was judged. */
static void count_skipped(run *r, uint64_t read)
{
    if (sift_sink_rejected(r->sink))
        r->bytes_skipped += r->in_size != SIZE_UNKNOWN ? r->in_size : read;
}

/* Below this, a mapped file is scanned on one thread: handing blocks over
 * costs more than overlapping saves. Fuzzing uses the second thread on
 * every input, so that its oracle compares it with one thread. */
#if defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
#define PRESCAN_MIN_INPUT 1u
#else
#define PRESCAN_MIN_INPUT (1024u * 1024u)
#endif

static void process_mapped(run *r, sift_map map)
{
    sift_slice all = sift_slice_make(map.ptr, map.len);
    sift_codec codec = sift_decode_sniff(all);
    r->codec = codec;
    r->bytes_in += map.len;
    r->in_size = map.len;
    sift_sink_begin(r->sink, r->live);
    const sift_format *cf = codec == SIFT_CODEC_PLAIN ? container_of(r, sift_slice_sub(all, 0, SIFT_SNIFF_BYTES)) : NULL;
    if (cf) {
        r->claimed = cf;
        process_container_mapped(r, cf, &map);
        return;
    }
    if (codec == SIFT_CODEC_PLAIN) {
        size_t bom = 0;
        sift_encoding enc = sift_sink_judge(r->sink, sift_slice_sub(all, 0, SIFT_SINK_SNIFF), &bom);
        if (enc == SIFT_ENC_UTF8 && !sift_sink_old_evt(all)) {
            /* The common case: scan the mapping in place, no copy at all. */
            if (consumer_begin(r, bom) != 0)
                return;
            /* With a second CPU, the matcher runs ahead on it. */
            if (r->ring && map.len >= PRESCAN_MIN_INPUT)
                (void)sift_scan_prescan(r->scan, map.ptr, 0, map.len);
            size_t released = 0, pos = bom;
            for (size_t upto = 0; upto < map.len && !r->fatal;) {
                upto = map.len - upto > SIFT_MAP_SLICE ? upto + SIFT_MAP_SLICE : map.len;
                /* Same buffer each time: what the scanner keeps is simply
                 * still there, in front of the new slice. */
                sift_in in = { map.ptr, upto, pos };
                scan_step(r, &in, upto == map.len ? SIFT_SCAN_EOF : 0);
                pos = in.pos;
                if (r->release_pages)
                    sift_map_release(&map, pos, &released);
            }
            /* A fatal error stops the loop before EOF: the matcher thread
             * may still be reading ahead in the mapping, which the caller
             * unmaps (or, read whole, reuses) next. */
            sift_scan_end(r->scan);
            return;
        }
        /* Not scanned in place (UTF-16, CP932, binary): copied through the sink a
         * slice at a time, each slice's pages released once it is through,
         * as on the other mapped paths. */
        size_t released = 0;
        for (size_t off = 0; off < map.len && !r->fatal && !sift_sink_rejected(r->sink);) {
            size_t n = map.len - off > SIFT_MAP_SLICE ? SIFT_MAP_SLICE : map.len - off;
            sift_sink_write(r->sink, map.ptr + off, n);
            off += n;
            if (r->release_pages)
                sift_map_release(&map, off, &released);
        }
        sift_sink_finish(r->sink);
        count_skipped(r, map.len);
        return;
    }
    sift_ring_job j = { r->dec, codec, 1, map, r->release_pages, NULL, NULL, 0, 0, 1, 0 };
    decode_input(r, &j, map.len);
    count_skipped(r, map.len);
}

static void process_stream(run *r, sift_reader *rd)
{
    size_t have = 0;
    int eof = 0;
    sift_sink_begin(r->sink, r->live);
    /* Enough bytes to recognise a codec (4), or the whole input if shorter. */
    while (have < 4 && !eof) {
        ssize_t got = sift_reader_read(rd, r->inbuf + have, READ_SIZE - have);
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
        sift_sink_write(r->sink, r->inbuf, have);
        sift_sink_pause(r->sink);
        while (!eof && !r->fatal && !sift_sink_rejected(r->sink)) {
            uint8_t *p;
            size_t cap;
            sift_sink_space(r->sink, &p, &cap);
            ssize_t got = sift_reader_read(rd, p, cap);
            if (got < 0)
                report_in_order(r, got_total, strerror(errno));
            if (got <= 0)
                break;
            got_total += (uint64_t)got;
            sift_sink_commit(r->sink, (size_t)got);
            sift_sink_pause(r->sink);
        }
        r->bytes_in += got_total - have;
        sift_sink_finish(r->sink);
        count_skipped(r, got_total);
        return;
    }
    sift_ring_job j = { r->dec, codec, 0, { NULL, 0 }, 0, rd, r->inbuf, READ_SIZE, have, eof, have };
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
/* A container input: its header and what its units held. */
static void describe_container(run *r, const cfile *c)
{
    const sift_unit_stats *u = &c->st;
    const sift_format *f = c->uf.fmt;
    char hdr[256] = "";
    if (f->container->describe)
        (void)f->container->describe(c->state, hdr, sizeof hdr);
    char what[1024];
    snprintf(what, sizeof what,
             "%s, format %s%s%s: %" PRIu64 " chunks read (%" PRIu64 " with bad checksums, %" PRIu64
             " dropped), %" PRIu64 " empty, %" PRIu64 " skipped; %" PRIu64 " records (%" PRIu64 " carved), %" PRIu64
             " damaged",
             sift_codec_name(c->codec), f->name, hdr[0] ? "; " : "", hdr, u->units, u->units_flagged,
             u->units_dropped, u->units_empty, u->units_bad, u->records, u->records_carved, u->records_bad);
    (void)sift_diag_print(r->o->err, c->path, 0, 0, what, NULL);
}

static void describe_input(run *r, const sift_scan_stats *before)
{
    settle_units(r);
    const sift_scan_stats *now = sift_scan_get_stats(r->scan);
    const char *enc = sift_sink_rejected(r->sink) ? "skipped" : sift_encoding_name(sift_sink_encoding(r->sink));
    const sift_format *sf = sift_scan_stream_format(r->scan);
    char said[256];
    size_t n = sift_scan_describe(r->scan, said, sizeof said);
    char bad[64] = "";
    if (sift_sink_replaced(r->sink))
        snprintf(bad, sizeof bad, " (%" PRIu64 " not %s, replaced)", sift_sink_replaced(r->sink), enc);
    char what[1024];
    snprintf(what, sizeof what,
             "%s, %s%s, %" PRIu64 " bytes of text: %" PRIu64 " event records, %" PRIu64 " candidates, %" PRIu64
             " TIME_WAIT rows in %" PRIu64 " snapshots%s%s%s%s",
             sift_codec_name(r->codec), enc, bad, now->bytes - before->bytes, now->records - before->records,
             now->candidates - before->candidates, now->rows - before->rows, now->snapshots - before->snapshots,
             sf ? "; format " : "", sf ? sf->name : "", n ? "; " : "", n ? said : "");
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
    r->claimed = NULL;
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
        sift_reader rd = { fd, NULL, 0, 0, 0 };
        process_stream(r, &rd);
    }
    r->replaced += sift_sink_replaced(r->sink);
    /* A container is described when its last unit is merged. */
    if (r->o->verbose && !r->claimed)
        describe_input(r, &before);
    return r->fatal;
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
            "logsift: %" PRIu64 " event records framed, %" PRIu64 " passed over without a trigger, %" PRIu64
            " candidates: %" PRIu64 " verified, %" PRIu64 " rejected, %" PRIu64 " malformed\n"
            "logsift: %" PRIu64 " TIME_WAIT rows in %" PRIu64 " snapshots; %" PRIu64 " hits, %" PRIu64
            " past the line limit\n"
            "logsift: %zu findings, %" PRIu64 " errors, %" PRIu64 " bytes skipped, %" PRIu64
            " observations dropped (host limit); matcher %s\n",
            r->files, r->files_skipped, r->bytes_in, s->bytes, s->lines, secs, secs > 0 ? mb / secs : 0.0,
            s->records - s->passed, s->passed, s->candidates, s->verified, s->rejected, s->bad_records, s->rows, s->snapshots, s->hits,
            s->long_lines, nfindings, r->errors, r->bytes_skipped, sift_hosts_dropped(r->hosts),
            sift_matcher_version());
    if (r->replaced)
        fprintf(r->o->err, "logsift: %" PRIu64 " characters replaced by U+FFFD (not valid in their input's encoding)\n",
                r->replaced);
    if (r->cfiles) {
        const sift_unit_stats *u = &r->ust;
        fprintf(r->o->err,
                "logsift: %" PRIu64 " .evtx files: %" PRIu64 " chunks read (%" PRIu64 " with bad checksums, %" PRIu64
                " dropped), %" PRIu64 " empty, %" PRIu64 " skipped; %" PRIu64 " records read (%" PRIu64
                " in chunks with bad checksums, %" PRIu64 " carved), %" PRIu64 " damaged records skipped, %" PRIu64
                " carved fragments not decoded\n",
                r->cfiles, u->units, u->units_flagged, u->units_dropped, u->units_empty, u->units_bad, u->records,
                u->records_flagged, u->records_carved, u->records_bad, u->carved_bad);
    }
}

sift_engine *sift_engine_create(const sift_format *const *formats, size_t n, FILE *err)
{
    sift_engine *e = calloc(1, sizeof *e);
    if (!e) {
        fprintf(err, "logsift: out of memory\n");
        return NULL;
    }
    e->formats = formats;
    e->n_formats = n;
    for (size_t i = 0; i < n; i++) {
        const sift_container_ops *c = formats[i]->container;
        if (c && (c->header_size > SIFT_CONTAINER_HEADER_MAX || c->unit_size == 0 ||
                  c->unit_size > SIFT_CONTAINER_UNIT_MAX)) {
            fprintf(err, "logsift: format %s declares a header or unit size out of bounds\n", formats[i]->name);
            free(e);
            return NULL;
        }
    }
    sift_status st = sift_patset_build(formats, n, &e->patset);
    if (st != SIFT_OK) {
        fprintf(err, "logsift: cannot build the pattern set: %s\n", sift_status_str(st));
        free(e);
        return NULL;
    }
    /* The embedded database was compiled from the same registrations; its
     * fingerprint says whether it still matches them and this CPU. */
    if (sift_db_blob_size)
        (void)sift_matcher_load(sift_db_blob, sift_db_blob_size, e->patset.pats, e->patset.n, &e->matcher);
    if (!e->matcher) {
        char msg[512];
        if (sift_matcher_create(e->patset.pats, e->patset.n, &e->matcher, msg, sizeof msg) != SIFT_OK) {
            fprintf(err, "logsift: cannot compile patterns: %s\n", msg);
            sift_engine_free(e);
            return NULL;
        }
    }
    return e;
}

void sift_engine_free(sift_engine *e)
{
    if (!e)
        return;
    sift_matcher_free(e->matcher);
    sift_patset_free(&e->patset);
    free(e);
}

int sift_engine_format(const sift_engine *e, const char *name)
{
    for (size_t i = 0; i < e->n_formats && i < 32; i++)
        if (strcmp(e->formats[i]->name, name) == 0)
            return (int)i;
    return -1;
}

static void run_free(run *r)
{
    sift_units_free(r->units);
    free(r->chead);
    for (size_t i = 0; r->cf && i < r->n_cf; i++) {
        free(r->cf[i].path);
        free(r->cf[i].state);
    }
    free(r->cf);
    sift_sink_free(r->sink);
    free(r->inbuf);
    sift_decode_free(r->dec);
    sift_ring_free(r->ring);
    sift_scan_free(r->scan);
    sift_hosts_free(r->hosts);
    sift_findings_free(r->writer);
    sift_paths_free(r->paths);
    sift_ruleset_free(r->rules);
}

static void emit_final(void *ctx, const sift_finding *f)
{
    run *r = ctx;
    int k = sift_findings_write(r->writer, f, 1, r->live);
    if (k < 0)
        r->fatal = 1;
    else
        r->lines += (size_t)k;
}

static int run_init(run *r, const sift_engine *e, const sift_run_opts *o, int live)
{
    memset(r, 0, sizeof *r);
    r->o = o;
    r->e = e;
    r->live = live;
    r->formats = o->formats ? o->formats : UINT32_MAX;
    r->rules = sift_ruleset_create();
    if (r->rules && o->port_range && sift_ruleset_set(r->rules, "port_range", o->port_range) < 0) {
        fprintf(o->err, "logsift: port range %u out of range\n", (unsigned)o->port_range);
        run_free(r);
        return 0;
    }
    r->paths = sift_paths_create();
    r->writer = r->rules && r->paths ? sift_findings_create(o->out, r->rules, r->paths) : NULL;
    if (r->writer) {
        /* Early lines are a live-stream feature; evaluating severities at
         * every observation is not free, so batch runs do not ask for them. */
        /* A live stream may never end: when the host table fills, the hosts
         * idle longest are reported and forgotten instead of new ones lost. */
        sift_hosts_cfg hc = { NULL, 0, live ? on_rise : NULL, live ? emit_final : NULL, r, 0 };
        hc.rules = sift_ruleset_hosts(r->rules, &hc.n_rules);
        r->hosts = sift_hosts_create(&hc);
    }
    if (r->hosts) {
        sift_scan_cfg sc = { e->formats, e->n_formats, &e->patset, e->matcher, r->hosts, r->paths, on_scan_error, r };
        r->scan = sift_scan_create(&sc);
    }
    if (r->scan)
        sift_scan_set_live(r->scan, live);
    r->dec = sift_decode_create();
    sift_sink_consumer c = { r, consumer_begin, consumer_consume, consumer_reject, consumer_claim };
    r->sink = sift_sink_create(SIFT_WINDOW_SIZE, SIFT_SCAN_MAX_KEEP, &c);
    r->inbuf = malloc(READ_SIZE);
    int threads = o->threads;
    r->auto_threads = threads <= 0;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (threads <= 0)
        threads = cpus > 1 ? (int)(cpus > 64 ? 64 : cpus) : 1;
    r->unit_threads = threads;
    r->chead = malloc(SIFT_CONTAINER_HEADER_MAX);
    /* Each file in flight holds at least one of the pool's slots. */
    r->n_cf = 2 * (size_t)threads + 2;
    r->cf = calloc(r->n_cf, sizeof *r->cf);
    for (size_t i = 0; r->cf && i < r->n_cf; i++)
        r->cf[i].r = r;
    r->filter.dump = o->dump;
    r->filter.n_ids = o->n_dump_ids < SIFT_UNITS_MAX_IDS ? o->n_dump_ids : SIFT_UNITS_MAX_IDS;
    if (r->filter.n_ids)
        memcpy(r->filter.ids, o->dump_ids, r->filter.n_ids * sizeof *o->dump_ids);
    if (o->dump_provider)
        r->filter.provider = sift_slice_make(o->dump_provider, strlen(o->dump_provider));
    if (o->dump_channel)
        r->filter.channel = sift_slice_make(o->dump_channel, strlen(o->dump_channel));
    int ring_ok = 1;
    if (threads > 1) {
        r->ring = sift_ring_create(SIFT_SCAN_MAX_KEEP);
        ring_ok = r->ring != NULL;
    }
    if (!r->scan || !r->dec || !r->sink || !r->inbuf || !ring_ok || !r->chead || !r->cf) {
        fprintf(o->err, "logsift: out of memory\n");
        run_free(r);
        return 0;
    }
    if (o->encoding && strcmp(o->encoding, "auto") != 0) {
        sift_encoding enc;
        if (sift_encoding_parse(sift_slice_make(o->encoding, strlen(o->encoding)), &enc) != 0 ||
            sift_sink_force(r->sink, enc) != 0) {
            fprintf(o->err, "logsift: cannot read text as encoding '%s' here\n", o->encoding);
            run_free(r);
            return 0;
        }
    }
    return 1;
}

/* The final report: aggregate findings, the summary, the exit code. */
static int run_report(run *r, double t0)
{
    const sift_run_opts *o = r->o;
    settle_units(r);
    size_t nf = sift_hosts_report(r->hosts, emit_final, r);
    /* Findings joined to another's line are not findings of their own. */
    if (nf != SIZE_MAX)
        nf = r->lines;
    if (nf == SIZE_MAX) {
        fprintf(o->err, "logsift: out of memory\n");
        return 2;
    }
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

int sift_run(const sift_engine *e, const sift_run_opts *o, char *const *paths, int npaths)
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
    if (!run_init(&r, e, o, live))
        return 2;
    catch_sigbus();
    for (int i = 0; i < npaths && !r.fatal; i++)
        sift_input_walk(paths[i], on_file, on_walk_error, &r);
    int rc = run_report(&r, t0);
    run_free(&r);
    return rc;
}

int sift_run_memory(const sift_engine *e, const sift_run_opts *o, const char *name, const uint8_t *data, size_t len, size_t chunk)
{
    double t0 = now_s();
    run r;
    if (!run_init(&r, e, o, o->live > 0))
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
        sift_reader rd = { -1, data, len, 0, chunk };
        r.in_size = len;
        process_stream(&r, &rd);
    }
    r.replaced += sift_sink_replaced(r.sink);
    if (o->verbose && !r.claimed)
        describe_input(&r, &before);
    int rc = run_report(&r, t0);
    run_free(&r);
    return rc;
}
