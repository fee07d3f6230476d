/* sift_scan.c - framing, candidate selection, verification and snapshots. */
#include "sift_scan.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define NROLES 8 /* sift_role values are small */
#define BATCH 256 /* stream records framed per call */

typedef enum scan_mode { MODE_UNDECIDED, MODE_TEXT, MODE_STREAM } scan_mode;

struct prescan;
static void prescan_free(struct prescan *w);
static void prescan_halt(struct prescan *w);

/* An observation held until its input settles its day/month order. Its
 * strings are copied: the record's bytes are gone by then. */
typedef struct pending {
    unsigned rule;
    sift_obs obs;
    sift_evidence ev;
    char attr[SIFT_OBS_ATTRS][SIFT_ATTR_MAX + 1];
    char host[SIFT_HOST_NAME_MAX + 1];
    char time_text[64];
    uint8_t time_len;
    uint16_t host_len;
} pending;

struct sift_scan {
    sift_scan_cfg cfg;
    sift_hitscan *hs;
    uint32_t formats; /* enabled registry indices */
    int force_host;
    char default_host[SIFT_HOST_NAME_MAX + 1];
    size_t default_host_len;
    const char *path;
    uint32_t path_id; /* SIFT_PATH_NONE until the first observation */
    int path_interned;
    const sift_format *path_fmt; /* the format path_id was interned with */

    scan_mode mode;
    const sift_format *stream_fmt;
    void *stream_state; /* the largest state_size of the registry */
    sift_rec *batch;
    pending *pend;
    size_t n_pend;

    uint64_t base;    /* stream offset of in->buf[0] in the current call */
    uint64_t scanned; /* everything before this stream offset was scanned */
    uint64_t line_no; /* newlines before `scanned` */
    int mid_line;     /* `scanned` is inside a line (after a forced cut) */
    uint64_t cont_ls; /* start of that line */

    uint64_t last_ls[NROLES]; /* one hit of a role per line is enough */

    /* lead_ok on the line at lead_ls: [lead_ls, lead_to) are blanks, and
     * when lead_stop is set the byte at lead_to is not. Each byte of a line
     * is looked at once, however many hits the line holds. */
    uint64_t lead_ls, lead_to;
    int lead_stop;

    int live; /* verify open candidate records at pauses */

    uint64_t start;   /* stream offset of the first byte (after a BOM) */
    uint32_t line_fmts;  /* enabled formats with line hooks that frame records */
    uint32_t frame_lead[256]; /* formats whose frame lines may start with the byte */
    uint32_t table_fmts; /* enabled formats with table hooks */

    /* What walking back from a line found, cached for the line at ctx_pos:
     * inside the record that starts at ctx_start, or outside any record.
     * A walk back stops where the last one began, so walks stay linear. */
    int ctx_valid, ctx_in;
    uint64_t ctx_pos, ctx_start;
    const sift_format *ctx_fmt;

    /* The open candidate record: from rec_start to the next table hit, or
     * the next frame line, which a walk forward from rec_walk looks for. */
    int rec_open, rec_done;
    const sift_format *rec_fmt;
    uint64_t rec_tried; /* length at the last live attempt */
    uint64_t rec_start, rec_line, rec_walk;
    uint32_t rec_rules; /* rules whose triggers hit in it */

    /* The open connection-table snapshot. */
    int snap_open, snap_header;
    uint64_t snap_tw, snap_start, snap_line;
    const sift_format *snap_fmt; /* whose table hooks opened it */
    int snap_noted;       /* already recorded, on snap_noted_tw rows (live) */
    uint32_t snap_kept;   /* rules whose host table took it */
    uint64_t snap_handle[SIFT_MAX_RULES];
    uint64_t snap_noted_tw;
    sift_when snap_when;
    char snap_host[SIFT_HOST_NAME_MAX + 1];
    size_t snap_host_len;
    char cur_host[SIFT_HOST_NAME_MAX + 1];
    size_t cur_host_len;

    /* Host inventories: each format's state (fact_off[f] into fact_state),
     * the capture time read above the inventory it has open, and the lines
     * fed to it: every one before fact_fed[f]; while its bit is in
     * fact_feeding, the next one starts at fact_fed[f] (fact_skip: inside
     * an overlong line, whose rest is skipped). */
    unsigned char *fact_state;
    size_t fact_off[32];
    uint32_t fact_fmts; /* enabled formats with fact hooks */
    uint32_t fact_feeding, fact_skip;
    uint64_t fact_fed[32];
    sift_when fact_time[32];


    sift_arms arms;        /* the matcher's, after the last block placed */
    sift_hit *merged;      /* the prescan thread's hits and this one's, in order */

    /* Stream formats that pass over lines (ops->skip): the starts of the
     * lines ahead that hold a trigger hit, cand[cand_i, cand_n), found up to
     * cand_end (stream offsets); prefiltering stops for the stream after
     * SKIP_GIVE_UP records in a row that could not be passed over. */
    uint64_t *cand;
    size_t cand_n, cand_i;
    uint64_t cand_end;
    unsigned unskipped;
    int refused;     /* the record being framed is on a line not passed over */
    int stream_skip; /* the stream's format passes over lines, still worth it */
    struct prescan *pre;   /* the matcher on a second thread, when asked */
    int pre_on, pre_running;
    const uint8_t *pre_buf;
    uint64_t pre_base, pre_size;

    sift_status fatal; /* first fatal error inside hit processing */
    sift_scan_stats st;
};

/* The block being processed: where it is, and the buffer it lives in. */
typedef struct block {
    const uint8_t *buf; /* in->buf */
    uint64_t base;      /* stream offset of buf[0] */
    uint64_t start, end; /* stream offsets of the block */
    uint64_t pos;       /* newlines counted up to here */
    uint64_t ls;        /* start of the line holding pos */
    uint64_t ls0;       /* start of the line holding start */
    uint64_t hl_at;     /* hit_line: no newline in [hl_ls, hl_at) */
    uint64_t hl_ls;     /* the line start found there */
} block;

sift_scan *sift_scan_create(const sift_scan_cfg *cfg)
{
    sift_scan *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cfg = *cfg;
    /* One block serves a stream format's state and, in a text dump (where
     * no stream format is at work), a line format's decoding scratch. */
    size_t state = 0;
    for (size_t f = 0; f < cfg->n_formats; f++) {
        const sift_format *fmt = cfg->formats[f];
        if (fmt->stream && fmt->stream->state_size > state)
            state = fmt->stream->state_size;
        if (fmt->line && fmt->line->decode_in && fmt->line->scratch_size > state)
            state = fmt->line->scratch_size;
    }
    size_t facts = 0;
    for (size_t f = 0; f < cfg->n_formats && f < 32; f++) {
        const sift_line_ops *ops = cfg->formats[f]->line;
        s->fact_off[f] = facts;
        if (ops && ops->fact_line)
            facts += (ops->fact_state_size + 15u) & ~(size_t)15u;
    }
    for (size_t f = 0; f < cfg->n_formats && f < 32; f++) {
        const sift_line_ops *ops = cfg->formats[f]->line;
        for (unsigned b = 0; b < 256 && ops && ops->frame; b++)
            if (!ops->frame_lead || ops->frame_lead((uint8_t)b))
                s->frame_lead[b] |= 1u << f;
    }
    s->hs = sift_hitscan_create(cfg->matcher, SIFT_SCAN_HIT_CAP);
    s->fact_state = malloc(facts ? facts : 1); /* malloc aligns to 16 */
    s->stream_state = malloc(state ? state : 1);
    s->batch = malloc(BATCH * sizeof *s->batch);
    if (!s->hs || !s->stream_state || !s->batch || !s->fact_state) {
        sift_scan_free(s);
        return NULL;
    }
    return s;
}

void sift_scan_free(sift_scan *s)
{
    if (!s)
        return;
    prescan_free(s->pre);
    free(s->merged);
    free(s->cand);
    sift_hitscan_free(s->hs);
    free(s->stream_state);
    free(s->fact_state);
    free(s->batch);
    free(s->pend);
    free(s);
}

void sift_scan_set_live(sift_scan *s, int live)
{
    s->live = live;
}

const sift_scan_stats *sift_scan_get_stats(const sift_scan *s)
{
    return &s->st;
}

const sift_format *sift_scan_stream_format(const sift_scan *s)
{
    return s->mode == MODE_STREAM ? s->stream_fmt : NULL;
}

size_t sift_scan_describe(const sift_scan *s, char *buf, size_t cap)
{
    if (cap)
        buf[0] = '\0';
    if (s->mode != MODE_STREAM || !s->stream_fmt->stream->describe || cap == 0)
        return 0;
    return s->stream_fmt->stream->describe(s->stream_state, buf, cap);
}

static void copy_host(char *dst, size_t *dst_len, sift_slice src)
{
    if (src.len > SIFT_HOST_NAME_MAX)
        src.len = SIFT_HOST_NAME_MAX;
    if (src.len)
        memcpy(dst, src.ptr, src.len);
    *dst_len = src.len;
}

static int enabled(const sift_scan *s, size_t format)
{
    return format < 32 && (s->formats >> format) & 1u;
}

sift_status sift_scan_begin(sift_scan *s, const char *path, uint64_t start_offset, sift_slice default_host,
                            int force_host, uint32_t formats)
{
    if (s->pre_running)
        prescan_halt(s->pre);
    s->pre_on = s->pre_running = 0;
    s->path = path;
    s->path_id = SIFT_PATH_NONE;
    s->path_interned = 0;
    s->formats = formats;
    s->force_host = force_host;
    copy_host(s->default_host, &s->default_host_len, default_host);
    s->mode = MODE_UNDECIDED;
    s->arms = 0;
    s->cand_n = s->cand_i = 0;
    s->cand_end = 0;
    s->unskipped = 0;
    s->refused = 0;
    s->stream_skip = 0;
    s->stream_fmt = NULL;
    s->n_pend = 0;
    s->base = s->scanned = start_offset;
    s->line_no = 0;
    s->mid_line = 0;
    s->cont_ls = start_offset;
    for (int k = 0; k < NROLES; k++)
        s->last_ls[k] = UINT64_MAX;
    s->lead_ls = UINT64_MAX;
    s->start = start_offset;
    s->line_fmts = s->table_fmts = 0;
    for (size_t f = 0; f < s->cfg.n_formats && f < 32; f++) {
        const sift_line_ops *ops = s->cfg.formats[f]->line;
        if (!ops || !enabled(s, f))
            continue;
        if (ops->frame && (ops->decode || ops->decode_in))
            s->line_fmts |= 1u << f;
        if (ops->table_header || ops->time_wait_row || ops->host_line)
            s->table_fmts |= 1u << f;
    }
    s->fact_fmts = s->fact_feeding = s->fact_skip = 0;
    for (size_t f = 0; f < s->cfg.n_formats && f < 32; f++) {
        const sift_line_ops *ops = s->cfg.formats[f]->line;
        if (!ops || !ops->fact_line || !enabled(s, f))
            continue;
        s->fact_fmts |= 1u << f;
        s->fact_time[f] = (sift_when){ 0 };
        s->fact_fed[f] = start_offset;
        if (ops->fact_init)
            ops->fact_init(s->fact_state + s->fact_off[f]);
    }
    s->ctx_valid = 0;
    s->rec_open = 0;
    s->snap_open = 0;
    s->cur_host_len = 0;
    s->fatal = SIFT_OK;
    return SIFT_OK;
}

static void report(sift_scan *s, const sift_error *err)
{
    if (s->cfg.on_error)
        s->cfg.on_error(s->cfg.ctx, err);
}

static void note_status(sift_scan *s, sift_status st)
{
    /* A full host table drops observations (counted there); only running out
     * of memory stops the run. */
    if (st == SIFT_ERR_NOMEM && s->fatal == SIFT_OK)
        s->fatal = st;
}

/* Paths are interned when evidence first needs one: a sweep of many quiet
 * files keeps none of their names. The id names the format too (one dump
 * may hold event text and tables): interned again when it changes. */
static sift_evidence evidence(sift_scan *s, const sift_format *fmt, uint64_t offset, uint64_t line, uint64_t record)
{
    if (!s->path_interned || s->path_fmt != fmt) {
        s->path_interned = 1;
        s->path_fmt = fmt;
        s->path_id = sift_paths_intern_as(s->cfg.paths, s->path ? s->path : "-", fmt ? fmt->name : NULL);
    }
    return (sift_evidence){ s->path_id, 0, offset, line, record };
}

static int rule_has_id(const sift_rule *r, uint16_t id)
{
    for (unsigned k = 0; k < r->needs.n_ids; k++)
        if (r->needs.ids[k] == id)
            return 1;
    return 0;
}

/* ---- verification ------------------------------------------------------------ */

static sift_slice event_host(const sift_scan *s, const sift_event *ev)
{
    if (ev->computer.len)
        return ev->computer;
    if (s->cur_host_len)
        return sift_slice_make(s->cur_host, s->cur_host_len);
    return sift_slice_make(s->default_host, s->default_host_len);
}

static void hold(sift_scan *s, unsigned rule, const sift_obs *obs, const sift_event *ev, sift_slice host);

/* Verify ev against the rules in mask that want it; returns 1 when one of
 * them took it. */
static int verify_event(sift_scan *s, const sift_event *ev, uint32_t mask)
{
    sift_slice host = event_host(s, ev);
    int any = 0;
    for (unsigned r = 0; r < sift_rule_count; r++) {
        const sift_rule *rule = &sift_rules[r];
        if (!(mask >> r & 1u) || !rule->verify || !sift_rule_wants(rule, ev->provider, ev->id))
            continue;
        sift_obs obs = { .when = ev->time };
        if (!rule->verify(ev, &obs))
            continue;
        any = 1;
        /* Once one is held, every later one waits behind it: observations
         * reach the host table in record order (evidence keeps the first
         * and the latest, a crash's module is the last one's), whichever
         * records a call happened to frame before the date that settles
         * the order. */
        if ((ev->have & SIFT_EV_TIME_GUESSED) || s->n_pend)
            hold(s, r, &obs, ev, host);
        else
            note_status(s, sift_hosts_observe(s->cfg.hosts, host, r, &obs, ev->where, NULL));
    }
    return any;
}

/* ---- observations waiting for the day/month order ------------------------------ */

static void flush_pending(sift_scan *s)
{
    const sift_stream_ops *ops = s->stream_fmt ? s->stream_fmt->stream : NULL;
    for (size_t i = 0; i < s->n_pend; i++) {
        pending *p = &s->pend[i];
        sift_when w;
        if (ops && ops->retime && ops->retime(s->stream_state, sift_slice_make(p->time_text, p->time_len), &w))
            p->obs.when = w;
        for (unsigned a = 0; a < SIFT_OBS_ATTRS; a++)
            p->obs.attr[a] = sift_slice_make(p->attr[a], strlen(p->attr[a]));
        note_status(s, sift_hosts_observe(s->cfg.hosts, sift_slice_make(p->host, p->host_len), p->rule, &p->obs,
                                          p->ev, NULL));
    }
    s->n_pend = 0;
}

static void hold(sift_scan *s, unsigned rule, const sift_obs *obs, const sift_event *ev, sift_slice host)
{
    if (!s->pend) {
        s->pend = malloc(SIFT_SCAN_MAX_PENDING * sizeof *s->pend);
        if (!s->pend) {
            note_status(s, SIFT_ERR_NOMEM);
            return;
        }
    }
    /* Full: what is held is judged on the order as it stands. */
    if (s->n_pend == SIFT_SCAN_MAX_PENDING)
        flush_pending(s);
    pending *p = &s->pend[s->n_pend++];
    memset(p, 0, sizeof *p);
    p->rule = rule;
    p->obs = *obs;
    p->ev = ev->where;
    for (unsigned a = 0; a < SIFT_OBS_ATTRS; a++) {
        sift_slice v = sift_slice_trim(obs->attr[a]);
        size_t n = v.len > SIFT_ATTR_MAX ? SIFT_ATTR_MAX : v.len;
        if (n)
            memcpy(p->attr[a], v.ptr, n);
    }
    size_t hl = host.len > SIFT_HOST_NAME_MAX ? SIFT_HOST_NAME_MAX : host.len;
    if (hl)
        memcpy(p->host, host.ptr, hl);
    p->host_len = (uint16_t)hl;
    size_t tl = ev->time_text.len < sizeof p->time_text ? ev->time_text.len : sizeof p->time_text - 1;
    if (tl)
        memcpy(p->time_text, ev->time_text.ptr, tl);
    p->time_len = (uint8_t)tl;
}

/* ---- text dumps: lines ---------------------------------------------------------------- */

/* The line starting at ls, without its line end, at most SIFT_SCAN_MAX_LINE
 * bytes and never past b->end. */
static sift_slice line_at(const block *b, uint64_t ls)
{
    uint64_t lim = b->end;
    if (lim - ls > SIFT_SCAN_MAX_LINE)
        lim = ls + SIFT_SCAN_MAX_LINE;
    const uint8_t *p = b->buf + (ls - b->base);
    const uint8_t *nl = ls < lim ? memchr(p, '\n', lim - ls) : NULL;
    uint64_t le = nl ? ls + (uint64_t)(nl - p) : lim;
    return sift_slice_make(p, le - ls);
}

/* The start of the line after the one starting at ls, or b->end. */
static uint64_t next_line(const block *b, uint64_t ls)
{
    const uint8_t *p = b->buf + (ls - b->base);
    const uint8_t *nl = ls < b->end ? memchr(p, '\n', b->end - ls) : NULL;
    return nl ? ls + (uint64_t)(nl - p) + 1 : b->end;
}

/* The start of the line before the one starting at ls, looking no lower
 * than lo; UINT64_MAX when that line starts below lo (or ls is the first). */
static uint64_t prev_line(const block *b, uint64_t ls, uint64_t lo, uint64_t first)
{
    if (ls <= first || ls - 1 < lo)
        return UINT64_MAX;
    uint64_t end = ls - 1; /* the '\n' ending the line before */
    const uint8_t *p = b->buf + (lo - b->base);
    const uint8_t *nl = end > lo ? memrchr(p, '\n', end - lo) : NULL;
    if (nl)
        return lo + (uint64_t)(nl - p) + 1;
    return lo == first ? first : UINT64_MAX;
}

/* Advance the line accounting to pos (counting the newlines before it). */
static void count_to(sift_scan *s, block *b, uint64_t pos)
{
    if (pos <= b->pos)
        return;
    const uint8_t *p = b->buf + (b->pos - b->base);
    size_t last;
    size_t k = sift_newlines(p, pos - b->pos, &last);
    if (k) {
        s->line_no += k;
        b->ls = b->pos + last + 1;
    }
    b->pos = pos;
}

/* The 1-based line number of the line starting at ls. Lines are counted as
 * the scan goes; a line behind it (a walk back) is counted back from there. */
static uint64_t line_of(sift_scan *s, block *b, uint64_t ls)
{
    if (ls >= b->pos) {
        count_to(s, b, ls);
        return s->line_no + 1;
    }
    size_t last;
    return s->line_no + 1 - sift_newlines(b->buf + (ls - b->base), b->pos - ls, &last);
}

/* The enabled line format whose frame() accepts line, or NULL. Only the
 * formats whose frame lines may start with its first byte are asked (most
 * lines of a record, a message's above all, start with none of theirs). */
static const sift_format *frame_of(const sift_scan *s, sift_slice line)
{
    for (uint32_t m = s->line_fmts & (line.len ? s->frame_lead[line.ptr[0]] : UINT32_MAX); m; m &= m - 1) {
        const sift_format *f = s->cfg.formats[__builtin_ctz(m)];
        if (f->line->frame(line))
            return f;
    }
    return NULL;
}

static void set_ctx(sift_scan *s, uint64_t pos, const sift_format *in_fmt, uint64_t start)
{
    if (s->ctx_valid && pos <= s->ctx_pos)
        return;
    s->ctx_valid = 1;
    s->ctx_pos = pos;
    s->ctx_in = in_fmt != NULL;
    s->ctx_fmt = in_fmt;
    s->ctx_start = start;
}

/* Walk back from the line starting at ls to the line that opens its record.
 * Returns the record's format and sets *start, or NULL when a table line
 * (whose hit set the context), the start of the stream or
 * SIFT_LINE_MAX_BACK comes first. */
static const sift_format *walk_back(sift_scan *s, const block *b, uint64_t ls, uint64_t *start)
{
    uint64_t lo = ls > s->start + SIFT_LINE_MAX_BACK ? ls - SIFT_LINE_MAX_BACK : s->start;
    if (lo < b->base)
        lo = b->base; /* never: run_text keeps enough (a safety net, not a rule) */
    const sift_format *found = NULL;
    uint64_t at = ls, fs = 0;
    int decided = 0;
    while (at != UINT64_MAX && !(s->ctx_valid && at <= s->ctx_pos)) {
        if ((found = frame_of(s, line_at(b, at))) != NULL) {
            fs = at;
            decided = 1;
            break;
        }
        at = prev_line(b, at, lo, s->start);
    }
    if (!decided && at != UINT64_MAX && s->ctx_in && ls - s->ctx_start <= SIFT_LINE_MAX_BACK) {
        /* Reached the line the last walk began at: what it found holds. */
        found = s->ctx_fmt;
        fs = s->ctx_start;
    }
    set_ctx(s, ls, found, fs);
    *start = fs;
    return found;
}

/* ---- text dumps: candidate records --------------------------------------------------- */

/* Returns 1 when the record produced an observation, 0 when it did not, -1
 * when it is malformed (reported). A partial record (live streams) is only
 * judged once its message has begun: every field a rule reads from the
 * header, Computer above all, comes before it. */
static int verify_record(sift_scan *s, const block *b, uint64_t end, int partial)
{
    sift_slice rec = sift_slice_make(b->buf + (s->rec_start - b->base), end - s->rec_start);
    sift_event ev;
    sift_error err = { SIFT_OK, 0, NULL };
    const sift_line_ops *ops = s->rec_fmt->line;
    sift_status pst = ops->decode_in ? ops->decode_in(s->stream_state, rec, s->rec_start, &ev, &err)
                                     : ops->decode(rec, s->rec_start, &ev, &err);
    if (partial && (pst != SIFT_OK || ev.message.len == 0))
        return 0; /* judged again, whole, when it ends */
    if (pst != SIFT_OK) {
        s->st.candidates++;
        s->st.bad_records++;
        report(s, &err);
        return -1;
    }
    ev.where = evidence(s, s->rec_fmt, s->rec_start, s->rec_line, 0);
    int any = verify_event(s, &ev, s->rec_rules);
    /* A candidate is counted once, when its outcome is final. */
    if (any || !partial) {
        s->st.candidates++;
        if (any)
            s->st.verified++;
        else
            s->st.rejected++;
    }
    return any;
}

/* Close the open record at `end` (capped), verifying it. */
static void end_record(sift_scan *s, const block *b, uint64_t end)
{
    if (!s->rec_open)
        return;
    s->rec_open = 0;
    uint64_t cap = s->rec_start + SIFT_LINE_MAX_RECORD;
    if (end > cap)
        end = cap;
    if (!s->rec_done)
        verify_record(s, b, end, 0);
}

/* Walk the open record forward over the lines starting at or before upto
 * (all complete in b): the next frame line ends it. (Table lines end it
 * too; their hits do that.) */
static void walk_forward(sift_scan *s, const block *b, uint64_t upto)
{
    while (s->rec_open && s->rec_walk <= upto && s->rec_walk < b->end) {
        uint64_t at = s->rec_walk;
        if (at >= s->rec_start + SIFT_LINE_MAX_RECORD) {
            end_record(s, b, at);
            return;
        }
        const uint8_t *p = b->buf + (at - b->base);
        const uint8_t *nl = memchr(p, '\n', b->end - at);
        uint64_t len = nl ? (uint64_t)(nl - p) : b->end - at;
        const sift_format *f = frame_of(s, sift_slice_make(p, len < SIFT_SCAN_MAX_LINE ? len : SIFT_SCAN_MAX_LINE));
        if (f) {
            end_record(s, b, at);
            set_ctx(s, at, f, at);
            return;
        }
        s->rec_walk = nl ? at + len + 1 : b->end;
    }
}

static void on_trigger(sift_scan *s, block *b, uint64_t ls, unsigned rule)
{
    if (s->rec_open) {
        s->rec_rules |= sift_rule_family(rule); /* walk_forward left it open: ls is inside */
        return;
    }
    uint64_t start;
    const sift_format *f = walk_back(s, b, ls, &start);
    if (!f)
        return;
    s->rec_open = 1;
    s->rec_done = 0;
    s->rec_fmt = f;
    s->rec_tried = 0;
    s->rec_start = start;
    s->rec_line = line_of(s, b, start);
    /* walk_back found no frame line after start up to ls (itself, or
     * through the context it trusts): the walk forward starts after ls,
     * unless the record's length limit falls before it, where the walk
     * must stop. */
    s->rec_walk = next_line(b, ls < start + SIFT_LINE_MAX_RECORD ? ls : start);
    s->rec_rules = sift_rule_family(rule);
    s->st.records++;
    walk_forward(s, b, ls);
}

/* ---- text dumps: snapshots ---------------------------------------------------------- */

/* Records the snapshot with every rule that wants tables, or raises its
 * count when it was recorded before (a live pause): a table counts once
 * however it arrives. open: it is still arriving, so its count may grow. */
static void note_snapshot(sift_scan *s, int open)
{
    sift_snapshot snap = { .time = s->snap_when, .counted = 1u << SIFT_TCP_TIME_WAIT, .rows = s->snap_tw,
                           .open = (uint8_t)open };
    snap.counts[SIFT_TCP_TIME_WAIT] = s->snap_tw;
    snap.host = sift_slice_make(s->snap_host, s->snap_host_len);
    sift_slice host = s->force_host || s->snap_host_len == 0 ? sift_slice_make(s->default_host, s->default_host_len)
                                                             : snap.host;
    int first = !s->snap_noted;
    if (first) {
        s->st.snapshots++;
        s->snap_noted = 1;
        s->snap_kept = 0;
        snap.where = evidence(s, s->snap_fmt, s->snap_start, s->snap_line, 0);
    }
    for (unsigned r = 0; r < sift_rule_count; r++) {
        sift_obs obs = { .when = snap.time, .open = snap.open };
        if (!sift_rules[r].verify_table || !sift_rules[r].verify_table(&snap, &obs))
            continue;
        if (first) {
            sift_status st = sift_hosts_observe(s->cfg.hosts, host, r, &obs, snap.where, &s->snap_handle[r]);
            /* A table the full host table dropped was counted as dropped once. */
            if (st == SIFT_OK)
                s->snap_kept |= 1u << r;
            note_status(s, st);
        } else if (s->snap_kept >> r & 1u) {
            note_status(s, sift_hosts_update(s->cfg.hosts, host, r, s->snap_handle[r], obs.value, open));
        }
    }
    s->snap_noted_tw = s->snap_tw;
}

static void close_snapshot(sift_scan *s)
{
    if (!s->snap_open)
        return;
    s->snap_open = 0;
    if (s->snap_tw == 0 && !s->snap_header)
        return;
    note_snapshot(s, 0);
}

/* Lines above a table read for its time and host: blank lines, one
 * timestamp line and host lines, in any order, as capture scripts print
 * them (`hostname; date; netstat -ano`). */
#define PREAMBLE_LINES 8u
#define PREAMBLE_BYTES 4096u

/* Open a snapshot at the table line starting at ls, with what the lines
 * above it say. The snapshot's evidence is its timestamp line when it has
 * one, the table line otherwise. */
static void open_snapshot(sift_scan *s, block *b, uint64_t ls, const sift_format *fmt)
{
    close_snapshot(s);
    s->snap_open = 1;
    s->snap_fmt = fmt;
    s->snap_header = 0;
    s->snap_tw = 0;
    s->snap_noted = 0;
    s->snap_noted_tw = 0;
    s->snap_kept = 0;
    s->snap_when = (sift_when){ 0 };
    s->snap_start = ls;
    uint64_t lo = ls > s->start + PREAMBLE_BYTES ? ls - PREAMBLE_BYTES : s->start;
    if (lo < b->base)
        lo = b->base;
    int have_host = 0;
    uint64_t at = prev_line(b, ls, lo, s->start);
    for (unsigned n = 0; n < PREAMBLE_LINES && at != UINT64_MAX; n++, at = prev_line(b, at, lo, s->start)) {
        sift_slice raw = line_at(b, at), line = sift_slice_trim(raw), host;
        sift_when w;
        if (line.len == 0)
            continue;
        if (sift_time_parse(line, &w) == SIFT_OK) {
            if (s->snap_when.valid)
                break; /* an earlier table's time */
            s->snap_when = w;
            s->snap_start = at;
            continue;
        }
        /* A table's title stands above its header. */
        int title = 0;
        for (uint32_t m = s->table_fmts; m && !title; m &= m - 1) {
            const sift_line_ops *ops = s->cfg.formats[__builtin_ctz(m)]->line;
            title = ops->table_header && ops->table_header(line);
        }
        if (title) {
            if (!s->snap_when.valid)
                s->snap_start = at;
            continue;
        }
        /* Scripts print host lines at column 0; an indented one belongs to
         * the message of an event record above. */
        int named = 0;
        for (uint32_t m = s->table_fmts; m && !named && raw.ptr[0] != ' ' && raw.ptr[0] != '\t'; m &= m - 1) {
            const sift_line_ops *ops = s->cfg.formats[__builtin_ctz(m)]->line;
            named = ops->host_line && ops->host_line(raw, &host);
        }
        if (!named)
            break;
        /* The nearest host line names the table, and the tables after it. */
        if (!have_host) {
            have_host = 1;
            copy_host(s->cur_host, &s->cur_host_len, host);
        }
    }
    memcpy(s->snap_host, s->cur_host, s->cur_host_len);
    s->snap_host_len = s->cur_host_len;
    s->snap_line = line_of(s, b, s->snap_start);
}

/* ---- text dumps: host inventories ---------------------------------------------------- */

static int is_host_line(const sift_scan *s, sift_slice line)
{
    sift_slice host;
    for (uint32_t m = s->table_fmts; m; m &= m - 1) {
        const sift_line_ops *ops = s->cfg.formats[__builtin_ctz(m)]->line;
        if (ops->host_line && ops->host_line(line, &host))
            return 1;
    }
    return 0;
}

/* When an inventory was taken, from a timestamp line right above it, as
 * capture scripts print one (`date; systeminfo`): up to PREAMBLE_LINES
 * lines, blank lines, host lines and the command a prompt echoed
 * (`C:\>systeminfo`) allowed between. File times are not used: a copy or
 * an archive rewrites them, and a later time would inflate the uptime. */
static sift_when preamble_time(const sift_scan *s, const block *b, uint64_t ls)
{
    uint64_t lo = ls > s->start + PREAMBLE_BYTES ? ls - PREAMBLE_BYTES : s->start;
    if (lo < b->base)
        lo = b->base;
    uint64_t at = prev_line(b, ls, lo, s->start);
    sift_when w = { 0 };
    for (unsigned n = 0; n < PREAMBLE_LINES && at != UINT64_MAX; n++, at = prev_line(b, at, lo, s->start)) {
        sift_slice raw = line_at(b, at), line = sift_slice_trim(raw);
        if (line.len == 0)
            continue;
        if (sift_time_parse(line, &w) == SIFT_OK)
            return w;
        if (!is_host_line(s, raw) && sift_slice_find_byte(line, '>') == line.len)
            break;
    }
    return (sift_when){ 0 };
}

/* A finished inventory of format f: its facts to the host table, and what
 * the rules make of them (an uptime from boot and capture time). */
static void note_fact(sift_scan *s, size_t f, sift_host_fact *fact)
{
    if (!fact->captured.valid)
        fact->captured = s->fact_time[f];
    if (s->force_host || fact->host.len == 0)
        fact->host = !s->force_host && s->cur_host_len ? sift_slice_make(s->cur_host, s->cur_host_len)
                                                       : sift_slice_make(s->default_host, s->default_host_len);
    fact->where = evidence(s, s->cfg.formats[f], fact->where.offset, fact->where.line, 0);
    s->st.facts++;
    note_status(s, sift_hosts_fact(s->cfg.hosts, fact));
    for (unsigned r = 0; r < sift_rule_count; r++) {
        sift_obs obs = { .when = fact->captured };
        if (sift_rules[r].verify_fact && sift_rules[r].verify_fact(fact, &obs))
            note_status(s, sift_hosts_observe(s->cfg.hosts, fact->host, r, &obs, fact->where, NULL));
    }
}

/* Feed format f the line at `at` (numbered line_no), ending at `next`. */
static void feed_line(sift_scan *s, const block *b, size_t f, uint64_t at, uint64_t line_no, int forced)
{
    const sift_line_ops *ops = s->cfg.formats[f]->line;
    sift_host_fact fact;
    unsigned r = ops->fact_line(s->fact_state + s->fact_off[f], line_at(b, at), line_no, at, &fact);
    if (r & SIFT_FACT_DONE)
        note_fact(s, f, &fact);
    if (r & SIFT_FACT_OPENED)
        s->fact_time[f] = preamble_time(s, b, at);
    if (r & SIFT_FACT_OPEN)
        s->fact_feeding |= 1u << f;
    else if (!forced)
        s->fact_feeding &= ~(1u << f);
}

/* Feed the inventories being read the complete lines starting at or
 * before upto. A line the block holds no end of is the stream's last
 * (end_facts feeds it) or longer than a block: that one is skipped. */
static int feed_facts(sift_scan *s, block *b, uint64_t upto)
{
    int moved = 0;
    for (uint32_t m = s->fact_feeding; m; m &= m - 1) {
        size_t f = (size_t)__builtin_ctz(m);
        while ((s->fact_feeding >> f & 1u) && s->fact_fed[f] <= upto && s->fact_fed[f] < b->end) {
            uint64_t at = s->fact_fed[f];
            const uint8_t *p = b->buf + (at - b->base);
            const uint8_t *nl = memchr(p, '\n', b->end - at);
            uint64_t next = nl ? at + (uint64_t)(nl - p) + 1 : b->end;
            if (s->fact_skip >> f & 1u) {
                if (nl)
                    s->fact_skip &= ~(1u << f);
            } else if (!nl && b->end - at < SIFT_SCAN_MAX_LINE) {
                break; /* the stream's last line, for end_facts */
            } else if (!nl) {
                s->fact_skip |= 1u << f;
            } else {
                feed_line(s, b, f, at, line_of(s, b, at), 0);
            }
            s->fact_fed[f] = next;
            moved = 1;
        }
    }
    return moved;
}

/* Walk the open record and feed the inventories over the lines starting at
 * or before upto, in the order of the lines: what records and inventories
 * give reaches the host table in stream order, however the blocks fall. */
static void advance(sift_scan *s, block *b, uint64_t upto)
{
    while (s->fact_feeding) {
        uint64_t next = UINT64_MAX;
        for (uint32_t m = s->fact_feeding; m; m &= m - 1)
            if (s->fact_fed[__builtin_ctz(m)] < next)
                next = s->fact_fed[__builtin_ctz(m)];
        if (next > upto || next >= b->end)
            break;
        walk_forward(s, b, next);
        if (!feed_facts(s, b, next))
            break;
    }
    walk_forward(s, b, upto);
}

/* A hit of format f's patterns on the line at ls: an anchor starts
 * feeding from the first of the non-blank lines above it (never from a
 * line fed before: each line is fed once). */
static void on_fact(sift_scan *s, block *b, uint64_t ls, size_t f)
{
    const sift_line_ops *ops = s->cfg.formats[f]->line;
    feed_facts(s, b, ls);
    if ((s->fact_feeding >> f & 1u) || ls < s->fact_fed[f] || !ops->fact_anchor || !ops->fact_anchor(line_at(b, ls)))
        return;
    uint64_t lo = ls > s->start + SIFT_LINE_MAX_BACK ? ls - SIFT_LINE_MAX_BACK : s->start;
    if (lo < b->base)
        lo = b->base;
    /* prev_line finds a line at lo only after the line end before it. */
    if (s->fact_fed[f] > s->start && lo < s->fact_fed[f] - 1)
        lo = s->fact_fed[f] - 1;
    uint64_t from = ls;
    for (unsigned n = 0; n < SIFT_FACT_MAX_BACK_LINES; n++) {
        uint64_t up = prev_line(b, from, lo, s->start);
        if (up == UINT64_MAX || sift_slice_trim(line_at(b, up)).len == 0)
            break;
        from = up;
    }
    uint64_t line_no = line_of(s, b, from);
    s->fact_skip &= ~(1u << f);
    for (uint64_t at = from; at <= ls; at = next_line(b, at), line_no++)
        feed_line(s, b, f, at, line_no, at < ls);
    s->fact_fed[f] = next_line(b, ls);
}

/* At the stream's end: the last line if it had no line end, then the
 * inventories still open. */
static void end_facts(sift_scan *s, block *b)
{
    for (uint32_t m = s->fact_fmts; m; m &= m - 1) {
        size_t f = (size_t)__builtin_ctz(m);
        const sift_line_ops *ops = s->cfg.formats[f]->line;
        if ((s->fact_feeding >> f & 1u) && !(s->fact_skip >> f & 1u) && s->fact_fed[f] < b->end)
            feed_line(s, b, f, s->fact_fed[f], line_of(s, b, s->fact_fed[f]), 0);
        sift_host_fact fact;
        if (ops->fact_end && (ops->fact_end(s->fact_state + s->fact_off[f], &fact) & SIFT_FACT_DONE))
            note_fact(s, f, &fact);
    }
    s->fact_feeding = 0;
}

/* ---- text dumps: hits ---------------------------------------------------------------- */

/* A literal with a lead must start its line (SIFT_LEAD_COL0) or follow
 * nothing but blanks on it. */
static int lead_ok(sift_scan *s, const block *b, uint64_t ls, uint64_t end, uint8_t lead)
{
    uint64_t len = lead & ~SIFT_LEAD_COL0;
    if (end - ls < len)
        return 0;
    uint64_t start = end - len;
    if (lead & SIFT_LEAD_COL0)
        return start == ls;
    /* Hits come in order along a line: the blanks that open it are read
     * once, not again for every hit (a line of blanks and many "Proto"
     * was quadratic). */
    if (s->lead_ls != ls) {
        s->lead_ls = ls;
        s->lead_to = ls;
        s->lead_stop = 0;
    }
    while (!s->lead_stop && s->lead_to < start) {
        uint8_t c = b->buf[s->lead_to - b->base];
        if (c != ' ' && c != '\t')
            s->lead_stop = 1;
        else
            s->lead_to++;
    }
    return start <= s->lead_to;
}

/* The start of the line holding the match that ends at end (whose last
 * byte is never a line end: patterns are line-local). Lines are counted only
 * where evidence needs a number, not at every hit: most hits are rows that
 * need none. Hits come in order, so each search starts where the last one
 * ended: the block is searched once, however many hits a long line holds
 * (searching back up to SIFT_SCAN_MAX_LINE bytes per hit made a line full
 * of hits cost 64 KiB per hit). A line longer than SIFT_SCAN_MAX_LINE gives
 * its start that far back or more, which the caller reads as too long. */
static uint64_t hit_line(block *b, uint64_t end)
{
    uint64_t last = end ? end - 1 : 0;
    if (last < b->hl_at) { /* out of order: never, but stay correct */
        b->hl_at = b->start;
        b->hl_ls = b->ls0;
    }
    const uint8_t *p = b->buf + (b->hl_at - b->base);
    const uint8_t *nl = last > b->hl_at ? memrchr(p, '\n', last - b->hl_at) : NULL;
    if (nl)
        b->hl_ls = b->hl_at + (uint64_t)(nl - p) + 1;
    b->hl_at = last;
    return b->hl_ls;
}

static void on_hit(sift_scan *s, block *b, sift_hit h)
{
    uint64_t end = b->start + h.end;
    uint64_t ls = hit_line(b, end);
    const sift_patmeta *pm = &s->cfg.patset->meta[h.pat];
    s->st.hits++;
    if (end - ls > SIFT_SCAN_MAX_LINE) {
        s->st.long_lines++;
        return;
    }
    if (pm->lead && !lead_ok(s, b, ls, end, pm->lead))
        return;
    unsigned role = pm->role;
    if (role < NROLES && role != SIFT_ROLE_TRIGGER) {
        if (s->last_ls[role] == ls)
            return; /* one hit of a role per line is enough */
        s->last_ls[role] = ls;
    }
    /* The open record ends at the first frame or boundary line: find it
     * before this hit is placed. */
    if (s->fact_feeding)
        advance(s, b, ls);
    else
        walk_forward(s, b, ls);
    if (role == SIFT_ROLE_TRIGGER) {
        on_trigger(s, b, ls, pm->owner);
        return;
    }
    if (!enabled(s, pm->owner))
        return;
    const sift_line_ops *ops = s->cfg.formats[pm->owner]->line;
    switch ((sift_role)role) {
    case SIFT_ROLE_TABLE_HEADER:
        if (!ops->table_header || !ops->table_header(line_at(b, ls)))
            return;
        end_record(s, b, ls);
        set_ctx(s, ls, NULL, 0);
        /* Every header starts a capture, also after one without TIME_WAIT
         * rows: an idle first capture is a sample (of zero) of its own. */
        open_snapshot(s, b, ls, s->cfg.formats[pm->owner]);
        s->snap_header = 1;
        return;
    case SIFT_ROLE_TABLE_ROW:
        if (!ops->time_wait_row || !ops->time_wait_row(line_at(b, ls)))
            return;
        end_record(s, b, ls);
        set_ctx(s, ls, NULL, 0);
        if (!s->snap_open)
            open_snapshot(s, b, ls, s->cfg.formats[pm->owner]);
        s->snap_tw++;
        s->st.rows++;
        return;
    case SIFT_ROLE_FACT:
        if (s->fact_fmts >> pm->owner & 1u)
            on_fact(s, b, ls, pm->owner);
        return;
    case SIFT_ROLE_TRIGGER:
        return;
    }
}

/* Place the hits (the matcher's side literals among them, in order). One
 * call site for on_hit, so that it stays inlined in the loop that places
 * most hits. */
static void place_hits(sift_scan *s, block *b, const sift_hit *hits, size_t n)
{
    for (size_t i = 0; i < n && s->fatal == SIFT_OK; i++)
        on_hit(s, b, hits[i]);
}

/* The hits of the hits of one block, handed on in order. */
typedef sift_status (*hits_fn)(void *ctx, uint64_t a, uint64_t e, const sift_hit *hits, size_t n);

/* Run the matcher over [a, e) and hand its hits to emit. A block with more
 * hits than one pass holds is split at a line end and its halves scanned in
 * turn: splitting at line ends cannot change what matches. */
static sift_status find_hits(sift_hitscan *hs, unsigned which, sift_arms *arms, const uint8_t *buf, uint64_t base,
                             uint64_t a, uint64_t e, hits_fn emit, void *ctx)
{
    const sift_hit *hits;
    size_t n;
    sift_status st = sift_hitscan_run_some(hs, which, arms, buf + (a - base), e - a, &hits, &n);
    if (st == SIFT_ERR_LIMIT) {
        uint64_t mid = a + (e - a) / 2;
        const uint8_t *p = buf + (a - base);
        const uint8_t *nl = memrchr(p, '\n', mid - a);
        if (nl) {
            uint64_t cut = a + (uint64_t)(nl - p) + 1;
            st = find_hits(hs, which, arms, buf, base, a, cut, emit, ctx);
            return st != SIFT_OK ? st : find_hits(hs, which, arms, buf, base, cut, e, emit, ctx);
        }
        /* The block starts with a line longer than half of it. Hits past
         * SIFT_SCAN_MAX_LINE into a line are dropped anyway, so that line is
         * matched only that far (where a pattern hitting at every byte could
         * still fill the array: its first hit_cap hits are kept), and the
         * rest of the block after it on its own. */
        const uint8_t *nl2 = memchr(p + (mid - a), '\n', e - mid);
        uint64_t line_end = nl2 ? a + (uint64_t)(nl2 - p) + 1 : e;
        uint64_t head = line_end - a > SIFT_SCAN_MAX_LINE ? a + SIFT_SCAN_MAX_LINE : line_end;
        st = sift_hitscan_run_some(hs, which, arms, p, head - a, &hits, &n);
        if (st != SIFT_OK && st != SIFT_ERR_LIMIT)
            return st;
        st = emit(ctx, a, line_end, hits, n);
        return st != SIFT_OK || line_end == e ? st : find_hits(hs, which, arms, buf, base, line_end, e, emit, ctx);
    }
    return st != SIFT_OK ? st : emit(ctx, a, e, hits, n);
}

/* The block [a, e) of the current buffer, with its hits. */
typedef struct block_ctx {
    sift_scan *s;
    const uint8_t *buf;
    uint64_t base;
} block_ctx;

static sift_status process_block(void *ctx, uint64_t a, uint64_t e, const sift_hit *hits, size_t n)
{
    block_ctx *bc = ctx;
    sift_scan *s = bc->s;
    const uint8_t *buf = bc->buf;
    uint64_t base = bc->base;
    uint64_t ls0 = s->mid_line ? s->cont_ls : a;
    block b = { buf, base, a, e, a, ls0, ls0, a, ls0 };
    place_hits(s, &b, hits, n);
    /* Every line of the block is complete: the open record may end in it. */
    advance(s, &b, e);
    count_to(s, &b, e);
    s->mid_line = buf[e - 1 - base] != '\n';
    s->cont_ls = b.ls;
    s->scanned = e;
    s->st.bytes += e - a;
    return s->fatal;
}

/* Where the block starting at a ends, in a buffer holding bytes up to
 * size_abs: at its last line end within SIFT_SCAN_BLOCK bytes, or at a fixed
 * distance in an overlong line, or at the end of the stream; 0 when the
 * block needs more bytes. */
static uint64_t block_end(const uint8_t *buf, uint64_t base, uint64_t a, uint64_t size_abs, int eof)
{
    uint64_t avail = size_abs - a;
    uint64_t lim = avail < SIFT_SCAN_BLOCK ? avail : SIFT_SCAN_BLOCK;
    const uint8_t *p = buf + (a - base);
    const uint8_t *nl = memrchr(p, '\n', lim);
    if (nl)
        return a + (uint64_t)(nl - p) + 1;
    if (avail >= SIFT_SCAN_BLOCK)
        return a + SIFT_SCAN_BLOCK; /* an overlong line: cut at a fixed distance */
    return eof ? size_abs : 0;
}

/* ---- Hyperscan ahead, on a second thread ------------------------------------------- */

/* A mapped file is whole from the start: a second thread can run the
 * matcher over the blocks ahead while this one places their hits. The
 * matcher and the page faults of a mapping cost about as much as the rest
 * of the scan, so the two halves overlap on two CPUs. Blocks go through a
 * ring of slots, in order; output is that of one thread, since blocks are
 * cut by their bytes alone and hits are placed here, in order. */
/* Sixteen blocks (4 MiB) of lookahead: netstat tables take the placing
 * thread longer per byte than event text, and the matcher must be able to
 * run on through them (bench mixed dump: 80 ms with 4 slots, 68 with 16).
 * A slot's hit array is touched only as far as its hits reach. */
#define PRESCAN_SLOTS 16u

typedef struct prescan_slot {
    uint64_t a, e;
    sift_hit *hits;
    size_t n;
    sift_arms arms; /* the matcher's after this block */
    sift_status st;
} prescan_slot;

struct prescan {
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* any change: a job, a slot filled or freed, stop */
    sift_hitscan *hs;
    sift_arms arms; /* the thread's own: it runs ahead of the placing */
    prescan_slot slots[PRESCAN_SLOTS];
    unsigned head, count;
    /* The job: guarded by mu. */
    int busy, quit, stop;
    const uint8_t *buf;
    uint64_t base, from, size_abs;
};

static sift_status prescan_emit(void *ctx, uint64_t a, uint64_t e, const sift_hit *hits, size_t n)
{
    struct prescan *w = ctx;
    pthread_mutex_lock(&w->mu);
    while (w->count == PRESCAN_SLOTS && !w->stop)
        pthread_cond_wait(&w->cv, &w->mu);
    if (w->stop) {
        pthread_mutex_unlock(&w->mu);
        return SIFT_ERR_LIMIT; /* ends the job */
    }
    prescan_slot *sl = &w->slots[(w->head + w->count) % PRESCAN_SLOTS];
    pthread_mutex_unlock(&w->mu);
    sl->a = a;
    sl->e = e;
    sl->n = n;
    sl->arms = w->arms;
    sl->st = SIFT_OK;
    memcpy(sl->hits, hits, n * sizeof *hits);
    pthread_mutex_lock(&w->mu);
    w->count++;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return SIFT_OK;
}

static void *prescan_thread(void *arg)
{
    struct prescan *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->busy && !w->quit)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->quit)
            break;
        const uint8_t *buf = w->buf;
        uint64_t base = w->base, a = w->from, size_abs = w->size_abs;
        pthread_mutex_unlock(&w->mu);
        sift_status st = SIFT_OK;
        while (a < size_abs && st == SIFT_OK) {
            uint64_t e = block_end(buf, base, a, size_abs, 1);
            st = find_hits(w->hs, SIFT_MATCH_ASCII, &w->arms, buf, base, a, e, prescan_emit, w);
            a = e;
        }
        pthread_mutex_lock(&w->mu);
        if (st != SIFT_OK && !w->stop) {
            /* A matcher failure: the slot after the last one says so. */
            while (w->count == PRESCAN_SLOTS && !w->stop)
                pthread_cond_wait(&w->cv, &w->mu);
            if (!w->stop) {
                prescan_slot *sl = &w->slots[(w->head + w->count) % PRESCAN_SLOTS];
                sl->a = a;
                sl->e = size_abs;
                sl->n = 0;
                sl->arms = w->arms;
                sl->st = st;
                w->count++;
            }
        }
        w->busy = 0;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void prescan_free(struct prescan *w)
{
    if (!w)
        return;
    if (w->started) {
        pthread_mutex_lock(&w->mu);
        w->quit = 1;
        w->stop = 1;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
    }
    for (unsigned i = 0; i < PRESCAN_SLOTS; i++)
        free(w->slots[i].hits);
    sift_hitscan_free(w->hs);
    free(w);
}

static struct prescan *prescan_create(const sift_matcher *m)
{
    struct prescan *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->hs = sift_hitscan_create(m, SIFT_SCAN_HIT_CAP);
    int ok = w->hs != NULL;
    for (unsigned i = 0; i < PRESCAN_SLOTS && ok; i++)
        ok = (w->slots[i].hits = malloc(SIFT_SCAN_HIT_CAP * sizeof(sift_hit))) != NULL;
    if (ok && pthread_mutex_init(&w->mu, NULL) == 0) {
        if (pthread_cond_init(&w->cv, NULL) == 0) {
            if (pthread_create(&w->thread, NULL, prescan_thread, w) == 0) {
                w->started = 1;
                return w;
            }
            pthread_cond_destroy(&w->cv);
        }
        pthread_mutex_destroy(&w->mu);
    }
    prescan_free(w);
    return NULL;
}

/* Stop the job (if any) and wait until the thread is idle, its slots empty. */
static void prescan_halt(struct prescan *w)
{
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_broadcast(&w->cv);
    while (w->busy)
        pthread_cond_wait(&w->cv, &w->mu);
    w->head = w->count = 0;
    w->stop = 0;
    pthread_mutex_unlock(&w->mu);
}

sift_status sift_scan_prescan(sift_scan *s, const uint8_t *buf, uint64_t base, size_t size)
{
    if (s->mode != MODE_UNDECIDED || s->pre_on)
        return SIFT_ERR_LIMIT;
    if (!s->pre && !(s->pre = prescan_create(s->cfg.matcher)))
        return SIFT_ERR_NOMEM;
    s->pre_buf = buf;
    s->pre_base = base;
    s->pre_size = base + size;
    s->pre_on = 1;
    return SIFT_OK;
}

void sift_scan_end(sift_scan *s)
{
    if (s->pre_running)
        prescan_halt(s->pre);
    s->pre_on = s->pre_running = 0;
}

/* Start the thread on the job once the stream is known to be a text dump. */
static void prescan_start(sift_scan *s)
{
    struct prescan *w = s->pre;
    pthread_mutex_lock(&w->mu);
    w->buf = s->pre_buf;
    w->base = s->pre_base;
    w->from = s->scanned;
    w->arms = s->arms;
    w->size_abs = s->pre_size;
    w->head = w->count = 0;
    w->stop = 0;
    w->busy = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    s->pre_running = 1;
}

/* Place a block the thread matched with the ASCII patterns, after matching
 * it here with the others: those need a byte >= 0x80, which most blocks
 * lack, and their hits are rare. The check for such a byte is this
 * thread's first read of the block; on the other thread it would load the
 * matcher's, which (with the mapping's page faults) is the busier one
 * (bench event dump: 84 ms against 66 ms when the thread ran it). */
static sift_status place_block(sift_scan *s, block_ctx *bc, prescan_slot *sl)
{
    const sift_hit *wide;
    size_t nw;
    sift_status st = sift_hitscan_run_some(s->hs, SIFT_MATCH_WIDE, NULL, bc->buf + (sl->a - bc->base), sl->e - sl->a,
                                           &wide, &nw);
    if (st != SIFT_OK)
        return st; /* wide patterns are 6 bytes or more: a block cannot overflow */
    if (nw == 0)
        return process_block(bc, sl->a, sl->e, sl->hits, sl->n);
    if (!s->merged && !(s->merged = malloc(2 * SIFT_SCAN_HIT_CAP * sizeof *s->merged)))
        return SIFT_ERR_NOMEM;
    size_t i = 0, j = 0, k = 0;
    while (i < sl->n || j < nw) {
        int take_a = j == nw || (i < sl->n && (sl->hits[i].end < wide[j].end ||
                                               (sl->hits[i].end == wide[j].end && sl->hits[i].pat < wide[j].pat)));
        s->merged[k++] = take_a ? sl->hits[i++] : wide[j++];
    }
    return process_block(bc, sl->a, sl->e, s->merged, k);
}

/* Place the blocks the thread has matched, up to size_abs (all at eof).
 * Returns the first block start not placed. */
static sift_status prescan_take(sift_scan *s, const uint8_t *buf, uint64_t base, uint64_t size_abs, int eof,
                                uint64_t *next)
{
    struct prescan *w = s->pre;
    block_ctx bc = { s, buf, base };
    uint64_t a = s->scanned;
    sift_status st = SIFT_OK;
    while (a < size_abs && st == SIFT_OK) {
        pthread_mutex_lock(&w->mu);
        while (w->count == 0 && w->busy)
            pthread_cond_wait(&w->cv, &w->mu);
        prescan_slot *sl = w->count ? &w->slots[w->head] : NULL;
        pthread_mutex_unlock(&w->mu);
        if (!sl)
            return SIFT_ERR_MATCHER; /* the thread ended early: cannot happen */
        if (sl->st != SIFT_OK)
            return sl->st;
        if (sl->a != a)
            return SIFT_ERR_MATCHER; /* the thread's blocks follow this one's: cannot happen */
        if (sl->e > size_abs && !eof)
            break; /* its bytes are not the caller's yet */
        s->arms = sl->arms;
        st = place_block(s, &bc, sl);
        a = sl->e;
        pthread_mutex_lock(&w->mu);
        w->head = (w->head + 1) % PRESCAN_SLOTS;
        w->count--;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
    }
    *next = a;
    return st;
}

static sift_status run_text(sift_scan *s, sift_in *in, unsigned flags, uint64_t base)
{
    const int eof = (flags & SIFT_SCAN_EOF) != 0;
    const uint8_t *buf = in->buf;
    uint64_t size_abs = base + in->size;
    uint64_t a = s->scanned;
    if (s->pre_on && buf == s->pre_buf && base == s->pre_base && size_abs <= s->pre_size) {
        if (!s->pre_running)
            prescan_start(s);
        sift_status st = prescan_take(s, buf, base, size_abs, eof, &a);
        if (st != SIFT_OK)
            return st;
    } else {
        /* Another buffer than the one the thread reads: this stream goes
         * on without it, for good. */
        if (s->pre_running)
            prescan_halt(s->pre);
        s->pre_on = s->pre_running = 0;
        block_ctx bc = { s, buf, base };
        while (a < size_abs) {
            uint64_t e = block_end(buf, base, a, size_abs, eof);
            if (!e)
                break;
            sift_status st = find_hits(s->hs, SIFT_MATCH_ALL, &s->arms, buf, base, a, e, process_block, &bc);
            if (st != SIFT_OK)
                return st;
            a = e;
        }
    }
    block b = { buf, base, a, a, a, a, a, a, a };
    if (eof) {
        end_record(s, &b, a);
        close_snapshot(s);
        end_facts(s, &b);
        s->st.lines += s->line_no + (s->mid_line ? 1 : 0);
        in->pos = in->size;
        s->base = size_abs;
        return s->fatal;
    }
    /* A record that reached its cap cannot grow: verify it now, so that what
     * the caller must keep stays bounded. */
    if (s->rec_open && a >= s->rec_start + SIFT_LINE_MAX_RECORD)
        end_record(s, &b, a);
    /* A live stream may pause for hours after a crash record: verify its
     * complete lines now rather than when the next record arrives. If that
     * yields the observation (or a report of a malformed record), the record
     * is done; if not, it is verified again, whole, when it ends. Small
     * records are tried at every pause; larger ones only after growing by
     * an eighth, so a record trickling in line by line costs O(n). */
    uint64_t len = a - s->rec_start;
    if (s->live && (flags & SIFT_SCAN_PAUSE) && s->rec_open && !s->rec_done && len > s->rec_tried &&
        (len < 4096 || len - s->rec_tried >= s->rec_tried / 8)) {
        s->rec_tried = len;
        s->rec_done = verify_record(s, &b, a, 1) != 0;
    }
    /* Likewise a connection table: netstat output arrives in bursts, and the
     * next snapshot may be minutes away. Its rows so far are recorded now;
     * when it grows or closes, the same sample is raised, never added to. */
    if (s->live && (flags & SIFT_SCAN_PAUSE) && s->snap_open && s->snap_tw > s->snap_noted_tw)
        note_snapshot(s, 1);
    /* Keep what the next block may read behind it: the open record, and a
     * walk back from its first line, which starts at a unless a long line
     * runs on (a hit more than SIFT_SCAN_MAX_LINE into a line is dropped, so
     * a line that began farther back needs none of its bytes). A table's
     * preamble is within the walk's reach too. Every decoded slot is copied
     * behind this much, so it is kept small. */
    uint64_t from = a;
    if (s->mid_line && a - s->cont_ls <= SIFT_SCAN_MAX_LINE)
        from = s->cont_ls;
    uint64_t keep = from > s->start + SIFT_LINE_MAX_BACK ? from - SIFT_LINE_MAX_BACK : s->start;
    if (keep < base)
        keep = base;
    if (s->rec_open && s->rec_start < keep)
        keep = s->rec_start;
    in->pos = (size_t)(keep - base);
    s->base = keep;
    return s->fatal;
}

/* ---- stream formats ------------------------------------------------------------------- */

/* Whether any rule could want a record with these cheap fields. */
static uint32_t stream_rules(const sift_rec *r)
{
    uint32_t mask = 0;
    if (!r->has_id)
        return 0;
    for (unsigned i = 0; i < sift_rule_count; i++) {
        const sift_rule *rule = &sift_rules[i];
        if (!rule->verify)
            continue;
        /* The provider is checked here only when the cheap pass read it. */
        if (r->provider.len ? sift_rule_wants(rule, r->provider, r->id) : rule_has_id(rule, r->id))
            mask |= 1u << i;
    }
    return mask;
}

static void take_records(sift_scan *s, size_t n)
{
    const sift_stream_ops *ops = s->stream_fmt->stream;
    for (size_t i = 0; i < n; i++) {
        const sift_rec *r = &s->batch[i];
        s->st.records++;
        uint32_t mask = stream_rules(r);
        if (!mask)
            continue;
        sift_event ev;
        sift_error err = { SIFT_OK, r->offset, NULL };
        s->st.candidates++;
        if (ops->decode(s->stream_state, r, &ev, &err) != SIFT_OK) {
            s->st.bad_records++;
            report(s, &err);
            continue;
        }
        ev.where = evidence(s, s->stream_fmt, r->offset, r->line, r->record);
        /* EventLog 6013 names the OS in its Binary where a format keeps
         * it (Event XML, as .evtx does): a fact of the host, as for .evtx. */
        sift_host_fact fact;
        char fact_text[256];
        if (sift_event_os_fact(&ev, &fact, fact_text, sizeof fact_text)) {
            fact.host = event_host(s, &ev);
            fact.where = ev.where;
            note_status(s, sift_hosts_fact(s->cfg.hosts, &fact));
        }
        if (verify_event(s, &ev, mask))
            s->st.verified++;
        else
            s->st.rejected++;
    }
    if (s->n_pend && (!ops->settled || ops->settled(s->stream_state)))
        flush_pending(s);
}

/* ---- stream formats: passing over lines ------------------------------------------------ */

/* Candidate lines kept per search; a block with more is searched again
 * from the first line that did not fit. */
#define CAND_MAX 4096u
/* Records in a row that could not be passed over (pretty-printed JSON,
 * escapes on every line) before a stream stops looking for candidates:
 * the search would only add to the framing it cannot save. */
#define SKIP_GIVE_UP 64u

typedef struct cand_ctx {
    sift_scan *s;
    const uint8_t *buf;
    uint64_t base;
    int full;
} cand_ctx;

/* The line starts of a sub-block's trigger hits, in order, once each. */
static sift_status note_cands(void *ctx, uint64_t a, uint64_t e, const sift_hit *hits, size_t n)
{
    cand_ctx *c = ctx;
    sift_scan *s = c->s;
    if (c->full)
        return SIFT_OK;
    const uint8_t *p = c->buf + (a - c->base);
    /* Hits come in order: each looks back only as far as the last one, so
     * a line full of hits is read once. */
    size_t seen = 0;
    uint64_t ls = a;
    for (size_t i = 0; i < n; i++) {
        if (s->cfg.patset->meta[hits[i].pat].role != SIFT_ROLE_TRIGGER)
            continue;
        const uint8_t *nl = hits[i].end > seen ? memrchr(p + seen, '\n', hits[i].end - seen) : NULL;
        if (nl)
            ls = a + (uint64_t)(nl - p) + 1;
        seen = hits[i].end;
        if (s->cand_n && s->cand[s->cand_n - 1] == ls)
            continue;
        if (s->cand_n == CAND_MAX) {
            s->cand_end = ls;
            c->full = 1;
            return SIFT_OK;
        }
        s->cand[s->cand_n++] = ls;
    }
    s->cand_end = e;
    return SIFT_OK;
}

/* The start of the first line at or after pos that holds a trigger hit,
 * among the complete lines before lim (stream offsets), *found 1; else
 * *found 0 and *at the end of what was searched (pos stays below it: the
 * search goes on from there) or lim. Rules' triggers are in every
 * rendering of the records they want (the text path relies on it too), so
 * a line without one holds nothing a rule could use. */
static sift_status next_cand(sift_scan *s, const uint8_t *buf, uint64_t base, uint64_t pos, uint64_t lim, uint64_t *at,
                             int *found)
{
    for (;;) {
        while (s->cand_i < s->cand_n && s->cand[s->cand_i] < pos)
            s->cand_i++;
        *found = s->cand_i < s->cand_n;
        if (*found) {
            *at = s->cand[s->cand_i];
            return SIFT_OK;
        }
        if (pos < s->cand_end || pos >= lim) {
            *at = pos < s->cand_end ? s->cand_end : lim;
            return SIFT_OK;
        }
        if (!s->cand && !(s->cand = malloc(CAND_MAX * sizeof *s->cand)))
            return SIFT_ERR_NOMEM;
        s->cand_n = s->cand_i = 0;
        cand_ctx c = { s, buf, base, 0 };
        sift_status st = find_hits(s->hs, SIFT_MATCH_ALL, &s->arms, buf, base, pos, block_end(buf, base, pos, lim, 1),
                                   note_cands, &c);
        if (st != SIFT_OK)
            return st;
        /* A line longer than a block is cut where the block ends: no part
         * of it may pass for a line, so the reader is given it whole (it
         * is too long to be a record: reported as next() alone reports
         * it). */
        if (s->cand_end < lim && buf[s->cand_end - 1 - base] != '\n') {
            const uint8_t *p = buf + (pos - base);
            const uint8_t *nl = memrchr(p, '\n', (size_t)(s->cand_end - pos));
            const uint64_t ls = nl ? pos + (uint64_t)(nl - p) + 1 : pos;
            if (!s->cand_n || s->cand[s->cand_n - 1] != ls) {
                if (s->cand_n == CAND_MAX)
                    s->cand_end = ls;
                else
                    s->cand[s->cand_n++] = ls;
            }
        }
    }
}

/* Pass over the lines before the next candidate line (see ops->skip).
 * *frame_one: 1 when the reader then stands where a record must be framed
 * (a candidate line, or one the format could not pass over); 0 when every
 * complete line was passed over and more bytes are needed. */
static sift_status pass_over(sift_scan *s, sift_in *fin, uint64_t base, size_t lim, int eof, int *frame_one)
{
    const sift_stream_ops *ops = s->stream_fmt->stream;
    *frame_one = 1;
    /* A refused line is next()'s until it frames a record or reports
     * damage: past a line that opens none ('[', ','), next() reads on to
     * the record after it when those bytes are there, so they are not
     * passed over when they arrive later instead. */
    if (s->refused)
        return SIFT_OK;
    *frame_one = 0;
    if (lim < fin->pos)
        lim = fin->pos;
    for (;;) {
        uint64_t at;
        int found;
        sift_status st = next_cand(s, fin->buf, base, base + fin->pos, base + lim, &at, &found);
        if (st != SIFT_OK)
            return st;
        const size_t upto = (size_t)(at - base), from = fin->pos;
        uint64_t lines = 0;
        sift_in lines_in = { fin->buf, lim, fin->pos };
        const size_t n = ops->skip(s->stream_state, &lines_in, upto, &lines);
        fin->pos = lines_in.pos;
        if (fin->pos > from) {
            s->line_no += lines;
            s->st.bytes += fin->pos - from;
            s->st.records += n;
            s->st.passed += n;
        }
        if (n)
            s->unskipped = 0;
        if (fin->pos > upto || (fin->pos == upto && !found && upto < lim))
            continue; /* damage dropped past the candidate, or the end of a
                       * search (a block, an earlier call's lines): look on */
        if (fin->pos < upto) {
            /* A line the format would not pass over: its record is framed,
             * and counted against the search once it is done (once,
             * however many calls its bytes take to arrive). */
            s->refused = 1;
            *frame_one = 1;
            return SIFT_OK;
        }
        *frame_one = upto < lim || (eof && upto < fin->size);
        return SIFT_OK;
    }
}

static sift_status run_stream(sift_scan *s, sift_in *in, unsigned flags, uint64_t base)
{
    const sift_stream_ops *ops = s->stream_fmt->stream;
    const int eof = (flags & SIFT_SCAN_EOF) != 0;
    sift_in fin = { in->buf, in->size, (size_t)(s->scanned - base) };
    /* Lines are passed over only when complete, so that what is passed
     * over does not depend on where the bytes were cut; at the end of the
     * stream, all of them. */
    size_t lim = fin.size;
    if (s->stream_skip && !eof) {
        const uint8_t *nl = fin.size > fin.pos ? memrchr(fin.buf + fin.pos, '\n', fin.size - fin.pos) : NULL;
        lim = nl ? (size_t)(nl - fin.buf) + 1 : fin.pos;
    }
    for (;;) {
        /* Where the format can pass over lines, the lines without a trigger
         * hit are, and the records on the others framed one at a time: how
         * far a call frames must not depend on how the bytes arrive, or
         * what is passed over (damage unreported) would. */
        int one = 0;
        if (s->stream_skip) {
            sift_status st = pass_over(s, &fin, base, lim, eof, &one);
            if (st != SIFT_OK)
                return st;
            if (!one && !eof)
                break; /* every complete line passed over: more bytes */
        }
        /* While the input has not settled its day/month order, one record
         * at a time: a record is decoded (and its date judged guessed or
         * not) before the records after it are framed and weighed, so what
         * is held, and when the held ones are judged, does not depend on
         * how many records a call frames at once. */
        size_t cap = one || (ops->settled && !ops->settled(s->stream_state)) ? 1 : BATCH;
        sift_recs out = { s->batch, cap, 0 };
        sift_error err = { SIFT_OK, 0, NULL };
        size_t from = fin.pos;
        sift_status st = eof ? ops->finish(s->stream_state, &fin, base, &out, &err)
                             : ops->next(s->stream_state, &fin, base, &out, &err);
        if (fin.pos > from) {
            size_t last;
            s->line_no += sift_newlines(fin.buf + from, fin.pos - from, &last);
            s->st.bytes += fin.pos - from;
        }
        take_records(s, out.n);
        if (s->fatal != SIFT_OK)
            return s->fatal;
        if (s->refused && (out.n || sift_is_error(st))) {
            s->refused = 0;
            if (++s->unskipped >= SKIP_GIVE_UP)
                s->stream_skip = 0;
        }
        if (sift_is_error(st)) {
            s->st.bad_records++;
            report(s, &err);
            if (fin.pos == from && out.n == 0)
                break; /* no progress: never spin */
            continue;
        }
        if (st != SIFT_OK || (out.n == 0 && fin.pos == from))
            break;
    }
    if (eof) {
        flush_pending(s);
        s->st.lines += s->line_no + (fin.pos > 0 && fin.buf[fin.pos - 1] != '\n' ? 1 : 0);
        in->pos = in->size;
        s->base = s->scanned = base + in->size;
        return s->fatal;
    }
    s->scanned = base + fin.pos;
    in->pos = fin.pos;
    s->base = s->scanned;
    return s->fatal;
}

/* ---- dispatch ------------------------------------------------------------------------- */

/* Offer the stream's first line to the stream formats. Decided on the first
 * line (or SIFT_SNIFF_BYTES without a line end, or what there is at EOF),
 * so the decision does not depend on chunking. Returns 0 while undecided. */
static int decide(sift_scan *s, const sift_in *in, uint64_t base, int eof)
{
    const uint8_t *p = in->buf + (s->scanned - base);
    size_t avail = (size_t)(base + in->size - s->scanned);
    size_t lim = avail < SIFT_SNIFF_BYTES ? avail : SIFT_SNIFF_BYTES;
    const int full = lim == SIFT_SNIFF_BYTES;
    /* Blank lines above the first line (an export written after an empty
     * echo, a copy with a leading line end) say nothing about the format:
     * the head is the first line with text on it, still within the first
     * SIFT_SNIFF_BYTES, so the decision stays independent of chunking. */
    size_t lead = 0;
    for (size_t i = 0; i < lim && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'); i++)
        if (p[i] == '\n')
            lead = i + 1;
    p += lead;
    lim -= lead;
    const uint8_t *nl = lim ? memchr(p, '\n', lim) : NULL;
    if (!nl && !full && !eof)
        return 0;
    sift_slice head = sift_slice_make(p, nl ? (size_t)(nl - p) + 1 : lim);
    s->mode = MODE_TEXT;
    for (size_t f = 0; f < s->cfg.n_formats; f++) {
        const sift_format *fmt = s->cfg.formats[f];
        if (fmt->stream && enabled(s, f) && fmt->stream->sniff(head)) {
            s->mode = MODE_STREAM;
            s->stream_fmt = fmt;
            s->stream_skip = fmt->stream->skip != NULL;
            fmt->stream->init(s->stream_state);
            break;
        }
    }
    return 1;
}

sift_status sift_scan_run(sift_scan *s, sift_in *in, unsigned flags)
{
    /* in->buf[in->pos] is where the previous call asked to resume. */
    uint64_t base = s->base - in->pos;
    if (s->mode == MODE_UNDECIDED && !decide(s, in, base, (flags & SIFT_SCAN_EOF) != 0)) {
        in->pos = (size_t)(s->scanned - base);
        s->base = s->scanned;
        return SIFT_OK;
    }
    return s->mode == MODE_STREAM ? run_stream(s, in, flags, base) : run_text(s, in, flags, base);
}
