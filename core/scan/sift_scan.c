/* sift_scan.c - framing, candidate selection, verification and snapshots. */
#include "sift_scan.h"

#include <stdlib.h>
#include <string.h>

#define NROLES 8 /* sift_role values are small */
#define REC_IDS 4 /* event ids remembered per text record */
#define BATCH 256 /* stream records framed per call */

typedef enum scan_mode { MODE_UNDECIDED, MODE_TEXT, MODE_STREAM } scan_mode;

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

    int live; /* verify open candidate records at pauses */

    /* The open event record. */
    int rec_open, rec_done;
    const sift_format *rec_fmt;
    uint64_t rec_tried; /* length at the last live attempt */
    uint64_t rec_start, rec_line;
    uint32_t rec_needles;
    uint16_t rec_ids[REC_IDS];
    uint8_t rec_nids;

    /* The open connection-table snapshot. */
    int snap_open, snap_header;
    uint64_t snap_tw, snap_start, snap_line;
    int snap_noted;       /* already recorded, on snap_noted_tw rows (live) */
    uint32_t snap_kept;   /* rules whose host table took it */
    uint64_t snap_handle[SIFT_MAX_RULES];
    uint64_t snap_noted_tw;
    sift_when snap_when;
    char snap_host[SIFT_HOST_NAME_MAX + 1];
    size_t snap_host_len;
    char cur_host[SIFT_HOST_NAME_MAX + 1];
    size_t cur_host_len;

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
} block;

sift_scan *sift_scan_create(const sift_scan_cfg *cfg)
{
    sift_scan *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cfg = *cfg;
    size_t state = 0;
    for (size_t f = 0; f < cfg->n_formats; f++)
        if (cfg->formats[f]->stream && cfg->formats[f]->stream->state_size > state)
            state = cfg->formats[f]->stream->state_size;
    s->hs = sift_hitscan_create(cfg->matcher, SIFT_SCAN_HIT_CAP);
    s->stream_state = malloc(state ? state : 1);
    s->batch = malloc(BATCH * sizeof *s->batch);
    if (!s->hs || !s->stream_state || !s->batch) {
        sift_scan_free(s);
        return NULL;
    }
    return s;
}

void sift_scan_free(sift_scan *s)
{
    if (!s)
        return;
    sift_hitscan_free(s->hs);
    free(s->stream_state);
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

sift_status sift_scan_begin(sift_scan *s, const char *path, uint64_t start_offset, sift_slice default_host,
                            int force_host, uint32_t formats)
{
    s->path = path;
    s->path_id = SIFT_PATH_NONE;
    s->path_interned = 0;
    s->formats = formats;
    s->force_host = force_host;
    copy_host(s->default_host, &s->default_host_len, default_host);
    s->mode = MODE_UNDECIDED;
    s->stream_fmt = NULL;
    s->n_pend = 0;
    s->base = s->scanned = start_offset;
    s->line_no = 0;
    s->mid_line = 0;
    s->cont_ls = start_offset;
    for (int k = 0; k < NROLES; k++)
        s->last_ls[k] = UINT64_MAX;
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

static int enabled(const sift_scan *s, size_t format)
{
    return format < 32 && (s->formats >> format) & 1u;
}

/* Paths are interned when evidence first needs one: a sweep of many quiet
 * files keeps none of their names. */
static sift_evidence evidence(sift_scan *s, uint64_t offset, uint64_t line, uint64_t record)
{
    if (!s->path_interned) {
        s->path_interned = 1;
        s->path_id = sift_paths_intern(s->cfg.paths, s->path ? s->path : "-");
    }
    return (sift_evidence){ s->path_id, offset, line, record };
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
        if (ev->have & SIFT_EV_TIME_GUESSED)
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

/* ---- text dumps: event records ---------------------------------------------------- */

/* Rules whose candidates the open record is: an event id the rule wants,
 * and every needle of the rule. */
static uint32_t candidate_rules(const sift_scan *s)
{
    uint32_t mask = 0;
    for (unsigned r = 0; r < sift_rule_count; r++) {
        uint32_t need = s->cfg.patset->rule_needles[r];
        if (!sift_rules[r].verify || (s->rec_needles & need) != need)
            continue;
        for (unsigned i = 0; i < s->rec_nids; i++)
            if (rule_has_id(&sift_rules[r], s->rec_ids[i]))
                mask |= 1u << r;
    }
    return mask;
}

/* Returns 1 when the record produced an observation, 0 when it did not, -1
 * when it is malformed (reported). A partial record (live streams) is only
 * judged once its message has begun: every field a rule reads from the
 * header, Computer above all, comes before it. */
static int verify_record(sift_scan *s, const block *b, uint64_t end, int partial, uint32_t mask)
{
    sift_slice rec = sift_slice_make(b->buf + (s->rec_start - b->base), end - s->rec_start);
    sift_event ev;
    sift_error err = { SIFT_OK, 0, NULL };
    sift_status pst = s->rec_fmt->line->decode(rec, s->rec_start, &ev, &err);
    if (partial && (pst != SIFT_OK || ev.message.len == 0))
        return 0; /* judged again, whole, when it ends */
    if (pst != SIFT_OK) {
        s->st.candidates++;
        s->st.bad_records++;
        report(s, &err);
        return -1;
    }
    ev.where = evidence(s, s->rec_start, s->rec_line, 0);
    int any = verify_event(s, &ev, mask);
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

/* Close the open record at `end` (capped), verifying it if it is a candidate. */
static void end_record(sift_scan *s, const block *b, uint64_t end)
{
    if (!s->rec_open)
        return;
    s->rec_open = 0;
    uint64_t cap = s->rec_start + SIFT_LINE_MAX_RECORD;
    if (end > cap)
        end = cap;
    uint32_t mask = s->rec_done ? 0 : candidate_rules(s);
    if (mask)
        verify_record(s, b, end, 0, mask);
}

/* ---- text dumps: snapshots ---------------------------------------------------------- */

/* Records the snapshot with every rule that wants tables, or raises its
 * count when it was recorded before (a live pause): a table counts once
 * however it arrives. open: it is still arriving, so its count may grow. */
static void note_snapshot(sift_scan *s, int open)
{
    sift_slice host;
    if (s->force_host || s->snap_host_len == 0)
        host = sift_slice_make(s->default_host, s->default_host_len);
    else
        host = sift_slice_make(s->snap_host, s->snap_host_len);
    int first = !s->snap_noted;
    if (first) {
        s->st.snapshots++;
        s->snap_noted = 1;
        s->snap_kept = 0;
    }
    for (unsigned r = 0; r < sift_rule_count; r++) {
        if (!sift_rules[r].needs.tables)
            continue;
        if (first) {
            sift_obs obs = { .when = s->snap_when, .value = s->snap_tw, .open = (uint8_t)open };
            sift_status st = sift_hosts_observe(s->cfg.hosts, host, r, &obs,
                                                evidence(s, s->snap_start, s->snap_line, 0), &s->snap_handle[r]);
            /* A table the full host table dropped was counted as dropped once. */
            if (st == SIFT_OK)
                s->snap_kept |= 1u << r;
            note_status(s, st);
        } else if (s->snap_kept >> r & 1u) {
            note_status(s, sift_hosts_update(s->cfg.hosts, host, r, s->snap_handle[r], s->snap_tw, open));
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

static void open_snapshot(sift_scan *s, uint64_t ls, uint64_t line)
{
    close_snapshot(s);
    s->snap_open = 1;
    s->snap_header = 0;
    s->snap_tw = 0;
    s->snap_noted = 0;
    s->snap_noted_tw = 0;
    s->snap_kept = 0;
    s->snap_when = (sift_when){ 0 };
    memcpy(s->snap_host, s->cur_host, s->cur_host_len);
    s->snap_host_len = s->cur_host_len;
    s->snap_start = ls;
    s->snap_line = line;
}

/* ---- text dumps: hits ---------------------------------------------------------------- */

static sift_slice line_at(const block *b, uint64_t ls, uint64_t from)
{
    uint64_t lim = b->end;
    if (lim - ls > SIFT_SCAN_MAX_LINE)
        lim = ls + SIFT_SCAN_MAX_LINE;
    const uint8_t *p = b->buf + (from - b->base);
    const uint8_t *nl = from < lim ? memchr(p, '\n', lim - from) : NULL;
    uint64_t le = nl ? from + (uint64_t)(nl - p) : lim;
    return sift_slice_make(b->buf + (ls - b->base), le - ls);
}

/* A literal with a lead must start its line (SIFT_LEAD_COL0) or follow
 * nothing but blanks on it. */
static int lead_ok(const block *b, uint64_t ls, uint64_t end, uint8_t lead)
{
    uint64_t len = lead & ~SIFT_LEAD_COL0;
    if (end - ls < len)
        return 0;
    uint64_t start = end - len;
    if (lead & SIFT_LEAD_COL0)
        return start == ls;
    for (const uint8_t *p = b->buf + (ls - b->base), *e = b->buf + (start - b->base); p < e; p++)
        if (*p != ' ' && *p != '\t')
            return 0;
    return 1;
}

/* The number after an event id label (blanks first), or -1 when the value
 * is not a plain number of at most 5 digits below 65536. */
static int32_t event_id_after(const block *b, uint64_t end)
{
    const uint8_t *p = b->buf + (end - b->base), *e = b->buf + (b->end - b->base);
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    int32_t v = 0;
    int digits = 0;
    for (; p < e && *p >= '0' && *p <= '9'; p++) {
        if (++digits > 5)
            return -1;
        v = v * 10 + (int32_t)(*p - '0');
    }
    if (!digits || v > 0xffff || (p < e && !(*p == '\r' || *p == '\n' || *p == ' ' || *p == '\t')))
        return -1;
    return v;
}

/* Only ids some rule wants are kept, so no number of other labels in a
 * record can crowd out the one that matters. */
static void note_event_id(sift_scan *s, int32_t id)
{
    int wanted = 0;
    for (unsigned r = 0; id >= 0 && r < sift_rule_count && !wanted; r++)
        wanted = rule_has_id(&sift_rules[r], (uint16_t)id);
    if (!wanted)
        return;
    for (unsigned i = 0; i < s->rec_nids; i++)
        if (s->rec_ids[i] == (uint16_t)id)
            return;
    if (s->rec_nids < REC_IDS)
        s->rec_ids[s->rec_nids++] = (uint16_t)id;
}

static void on_hit(sift_scan *s, block *b, sift_hit h)
{
    uint64_t end = b->start + h.end;
    /* Advance the line accounting to the match's last byte, which is never a
     * line end: patterns are line-local. */
    uint64_t target = end ? end - 1 : 0;
    if (target > b->pos) {
        const uint8_t *p = b->buf + (b->pos - b->base);
        size_t n = target - b->pos, last;
        size_t k = sift_newlines(p, n, &last);
        if (k) {
            s->line_no += k;
            b->ls = b->pos + last + 1;
        }
        b->pos = target;
    }
    uint64_t ls = b->ls;
    uint64_t line = s->line_no + 1;
    const sift_patmeta *pm = &s->cfg.patset->meta[h.pat];
    s->st.hits++;
    if (end - ls > SIFT_SCAN_MAX_LINE) {
        s->st.long_lines++;
        return;
    }
    if (pm->lead && !lead_ok(b, ls, end, pm->lead))
        return;
    unsigned role = pm->role;
    if (role < NROLES && role != SIFT_ROLE_NEEDLE && role != SIFT_ROLE_EVENT_ID) {
        if (s->last_ls[role] == ls)
            return;
        s->last_ls[role] = ls;
    }
    /* A record ends where it reaches its size cap; hits past it are outside. */
    if (s->rec_open && ls >= s->rec_start + SIFT_LINE_MAX_RECORD)
        end_record(s, b, ls);

    if (role == SIFT_ROLE_NEEDLE) {
        if (s->rec_open)
            s->rec_needles |= 1u << pm->owner;
        return;
    }
    if (!enabled(s, pm->owner))
        return;
    const sift_line_ops *ops = s->cfg.formats[pm->owner]->line;
    switch ((sift_role)role) {
    case SIFT_ROLE_FRAME:
        if (!ops->frame || !ops->frame(line_at(b, ls, end)))
            return;
        end_record(s, b, ls);
        close_snapshot(s);
        s->rec_open = 1;
        s->rec_done = 0;
        s->rec_fmt = s->cfg.formats[pm->owner];
        s->rec_tried = 0;
        s->rec_start = ls;
        s->rec_line = line;
        s->rec_needles = 0;
        s->rec_nids = 0;
        s->st.records++;
        return;
    case SIFT_ROLE_EVENT_ID:
        if (s->rec_open)
            note_event_id(s, event_id_after(b, end));
        return;
    case SIFT_ROLE_TABLE_HEADER:
        if (!ops->table_header || !ops->table_header(line_at(b, ls, end)))
            return;
        end_record(s, b, ls);
        if (!(s->snap_open && s->snap_tw == 0))
            open_snapshot(s, ls, line);
        s->snap_header = 1;
        return;
    case SIFT_ROLE_TABLE_TIME: {
        sift_when w;
        if (sift_time_parse(line_at(b, ls, end), &w) != SIFT_OK)
            return;
        end_record(s, b, ls);
        if (!(s->snap_open && !s->snap_header && s->snap_tw == 0))
            open_snapshot(s, ls, line);
        s->snap_when = w;
        return;
    }
    case SIFT_ROLE_TABLE_ROW:
        if (!ops->time_wait_row || !ops->time_wait_row(line_at(b, ls, end)))
            return;
        end_record(s, b, ls);
        if (!s->snap_open)
            open_snapshot(s, ls, line);
        s->snap_tw++;
        s->st.rows++;
        return;
    case SIFT_ROLE_HOST_LINE: {
        sift_slice name;
        sift_slice l = line_at(b, ls, end);
        /* An indented "Computer Name:" inside an event description says
         * nothing about the tables that follow; a host line at column 0 ends
         * the record (collection scripts print it right after an export). */
        if (!ops->host_line || (s->rec_open && l.len && (l.ptr[0] == ' ' || l.ptr[0] == '\t')) ||
            !ops->host_line(l, &name))
            return;
        end_record(s, b, ls);
        copy_host(s->cur_host, &s->cur_host_len, name);
        if (s->snap_open && s->snap_tw == 0)
            copy_host(s->snap_host, &s->snap_host_len, name);
        return;
    }
    case SIFT_ROLE_NEEDLE:
        return;
    }
}

static sift_status scan_block(sift_scan *s, const uint8_t *buf, uint64_t base, uint64_t a, uint64_t e)
{
    const sift_hit *hits;
    size_t n;
    sift_status st = sift_hitscan_run(s->hs, buf + (a - base), e - a, &hits, &n);
    if (st == SIFT_ERR_LIMIT) {
        /* Too many hits for one pass: split at a line end and scan the halves.
         * Splitting at line ends cannot change what matches. */
        uint64_t mid = a + (e - a) / 2;
        const uint8_t *p = buf + (a - base);
        const uint8_t *nl = memrchr(p, '\n', mid - a);
        if (!nl || (uint64_t)(nl - p) + 1 + a >= e)
            return SIFT_ERR_MATCHER; /* a single line cannot hold that many hits */
        uint64_t cut = a + (uint64_t)(nl - p) + 1;
        st = scan_block(s, buf, base, a, cut);
        return st != SIFT_OK ? st : scan_block(s, buf, base, cut, e);
    }
    if (st != SIFT_OK)
        return st;
    block b = { buf, base, a, e, a, s->mid_line ? s->cont_ls : a };
    for (size_t i = 0; i < n; i++)
        on_hit(s, &b, hits[i]);
    /* Finish the line accounting for the block. */
    const uint8_t *p = buf + (b.pos - base);
    size_t rest = e - b.pos, last;
    size_t k = sift_newlines(p, rest, &last);
    s->line_no += k;
    if (k)
        b.ls = b.pos + last + 1;
    s->mid_line = buf[e - 1 - base] != '\n';
    s->cont_ls = b.ls;
    s->scanned = e;
    s->st.bytes += e - a;
    return s->fatal;
}

static sift_status run_text(sift_scan *s, sift_in *in, unsigned flags, uint64_t base)
{
    const int eof = (flags & SIFT_SCAN_EOF) != 0;
    const uint8_t *buf = in->buf;
    uint64_t size_abs = base + in->size;
    uint64_t a = s->scanned;
    while (a < size_abs) {
        uint64_t avail = size_abs - a;
        uint64_t lim = avail < SIFT_SCAN_BLOCK ? avail : SIFT_SCAN_BLOCK;
        const uint8_t *p = buf + (a - base);
        const uint8_t *nl = memrchr(p, '\n', lim);
        uint64_t e;
        if (nl)
            e = a + (uint64_t)(nl - p) + 1;
        else if (avail >= SIFT_SCAN_BLOCK)
            e = a + SIFT_SCAN_BLOCK; /* an overlong line: cut at a fixed distance */
        else if (eof)
            e = size_abs;
        else
            break;
        sift_status st = scan_block(s, buf, base, a, e);
        if (st != SIFT_OK)
            return st;
        a = e;
    }
    block b = { buf, base, a, a, a, a };
    if (eof) {
        end_record(s, &b, a);
        close_snapshot(s);
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
    uint32_t mask;
    if (s->live && (flags & SIFT_SCAN_PAUSE) && s->rec_open && !s->rec_done && (mask = candidate_rules(s)) &&
        len > s->rec_tried && (len < 4096 || len - s->rec_tried >= s->rec_tried / 8)) {
        s->rec_tried = len;
        s->rec_done = verify_record(s, &b, a, 1, mask) != 0;
    }
    /* Likewise a connection table: netstat output arrives in bursts, and the
     * next snapshot may be minutes away. Its rows so far are recorded now;
     * when it grows or closes, the same sample is raised, never added to. */
    if (s->live && (flags & SIFT_SCAN_PAUSE) && s->snap_open && s->snap_tw > s->snap_noted_tw)
        note_snapshot(s, 1);
    uint64_t keep = a;
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
        ev.where = evidence(s, r->offset, r->line, r->record);
        if (verify_event(s, &ev, mask))
            s->st.verified++;
        else
            s->st.rejected++;
    }
    if (s->n_pend && (!ops->settled || ops->settled(s->stream_state)))
        flush_pending(s);
}

static sift_status run_stream(sift_scan *s, sift_in *in, unsigned flags, uint64_t base)
{
    const sift_stream_ops *ops = s->stream_fmt->stream;
    const int eof = (flags & SIFT_SCAN_EOF) != 0;
    sift_in fin = { in->buf, in->size, (size_t)(s->scanned - base) };
    for (;;) {
        sift_recs out = { s->batch, BATCH, 0 };
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
    const uint8_t *nl = lim ? memchr(p, '\n', lim) : NULL;
    if (!nl && lim < SIFT_SNIFF_BYTES && !eof)
        return 0;
    sift_slice head = sift_slice_make(p, nl ? (size_t)(nl - p) + 1 : lim);
    s->mode = MODE_TEXT;
    for (size_t f = 0; f < s->cfg.n_formats; f++) {
        const sift_format *fmt = s->cfg.formats[f];
        if (fmt->stream && enabled(s, f) && fmt->stream->sniff(head)) {
            s->mode = MODE_STREAM;
            s->stream_fmt = fmt;
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
