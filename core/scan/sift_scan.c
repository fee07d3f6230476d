/* sift_scan.c - framing, candidate verification and snapshots over Hyperscan hits. */
#include "sift_scan.h"

#include "sift_netstat.h"
#include "sift_num.h"

#include <stdlib.h>
#include <string.h>

#define NKINDS 8 /* sift_pat_kind values are small */

struct sift_scan {
    const sift_matcher *m;
    sift_hitscan *hs;
    sift_hosts *hosts;
    sift_scan_error_fn on_error;
    void *ctx;
    uint32_t path;
    unsigned formats;
    int force_host;
    char default_host[SIFT_HOST_NAME_MAX + 1];
    size_t default_host_len;

    uint64_t base;    /* stream offset of in->buf[0] in the current call */
    uint64_t scanned; /* everything before this stream offset was scanned */
    uint64_t line_no; /* newlines before `scanned` */
    int mid_line;     /* `scanned` is inside a line (after a forced cut) */
    uint64_t cont_ls; /* start of that line */

    uint64_t last_ls[NKINDS]; /* one hit of a kind per line is enough */

    int live; /* verify open candidate records at the end of each call */

    /* The open event record. */
    int rec_open, rec_done;
    uint64_t rec_tried; /* length at the last live attempt */
    uint64_t rec_start, rec_line;
    uint32_t rec_sig;

    /* The open connection-table snapshot. */
    int snap_open, snap_header;
    uint64_t snap_tw, snap_start, snap_line;
    int snap_noted;       /* already recorded, on snap_noted_tw rows (live) */
    int snap_kept;        /* and the host table took it */
    uint64_t snap_id, snap_noted_tw;
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

sift_scan *sift_scan_create(const sift_matcher *m, sift_hosts *hosts, sift_scan_error_fn on_error, void *ctx)
{
    sift_scan *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->m = m;
    s->hosts = hosts;
    s->on_error = on_error;
    s->ctx = ctx;
    s->hs = sift_hitscan_create(m, SIFT_SCAN_HIT_CAP);
    if (!s->hs) {
        free(s);
        return NULL;
    }
    return s;
}

void sift_scan_free(sift_scan *s)
{
    if (!s)
        return;
    sift_hitscan_free(s->hs);
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

static void copy_host(char *dst, size_t *dst_len, sift_slice src)
{
    if (src.len > SIFT_HOST_NAME_MAX)
        src.len = SIFT_HOST_NAME_MAX;
    if (src.len)
        memcpy(dst, src.ptr, src.len);
    *dst_len = src.len;
}

sift_status sift_scan_begin(sift_scan *s, const char *path, uint64_t start_offset, sift_slice default_host, int force_host,
                            unsigned formats)
{
    uint32_t id = sift_hosts_path(s->hosts, path);
    if (id == UINT32_MAX)
        return SIFT_ERR_NOMEM;
    s->path = id;
    s->formats = formats;
    s->force_host = force_host;
    copy_host(s->default_host, &s->default_host_len, default_host);
    s->base = s->scanned = start_offset;
    s->line_no = 0;
    s->mid_line = 0;
    s->cont_ls = start_offset;
    for (int k = 0; k < NKINDS; k++)
        s->last_ls[k] = UINT64_MAX;
    s->rec_open = 0;
    s->snap_open = 0;
    s->cur_host_len = 0;
    s->fatal = SIFT_OK;
    return SIFT_OK;
}

static void report(sift_scan *s, const sift_error *err)
{
    if (s->on_error)
        s->on_error(s->ctx, err);
}

static void note_status(sift_scan *s, sift_status st)
{
    /* A full host table drops observations (counted there); only running out
     * of memory stops the run. */
    if (st == SIFT_ERR_NOMEM && s->fatal == SIFT_OK)
        s->fatal = st;
}

/* ---- event record verification ---------------------------------------- */

static int is_access_violation(sift_slice code)
{
    code = sift_slice_trim(code);
    uint64_t v;
    int hex_prefixed = code.len >= 2 && code.ptr[0] == '0' && (code.ptr[1] == 'x' || code.ptr[1] == 'X');
    /* 0xc0000005 in the message, c0000005 in WER, 3221225477 in Gateway 700. */
    if (!hex_prefixed && sift_num_u64(code, &v) == SIFT_OK)
        return v == 3221225477u;
    return sift_num_hex_u64(code, &v) == SIFT_OK && v == 0xC0000005u;
}

/* The value before the first field separator: ',' in English
 * ("svchost.exe_TSGateway, version: ..."), the ideographic comma on ja-JP
 * ("svchost.exe_TSGateway、バージョン: ..."). */
static sift_slice first_field(sift_slice v)
{
    size_t comma = sift_slice_find_byte(v, ',');
    size_t ideo = sift_slice_find(v, SIFT_LIT("\xE3\x80\x81"));
    return sift_slice_trim(sift_slice_sub(v, 0, comma < ideo ? comma : ideo));
}

/* The Event 1000 message labels a crash is read from, as Windows writes them
 * in English and on ja-JP. Japanese builds before Windows 11 24H2 say
 * 障害が発生している (is faulting) for the module; 24H2 says 障害が発生した.
 * An empty label is never looked for. */
enum { CRASH_APP, CRASH_CODE, CRASH_MODULE, CRASH_FIELDS };
static const char *const crash_labels[][CRASH_FIELDS] = {
    { "Faulting application name:", "Exception code:", "Faulting module name:" },
    { "障害が発生しているアプリケーション名:", "例外コード:", "障害が発生しているモジュール名:" },
    { "", "", "障害が発生したモジュール名:" },
};

/* The value of the first line that carries one of field's labels: a record
 * is read the same way whether it arrives whole or is judged at a live pause
 * on its first lines. */
static int crash_value(sift_slice desc, int field, sift_slice *v)
{
    enum { ROWS = sizeof crash_labels / sizeof crash_labels[0] };
    sift_slice labels[ROWS];
    for (size_t i = 0; i < ROWS; i++)
        labels[i] = sift_slice_make(crash_labels[i][field], strlen(crash_labels[i][field]));
    return sift_evtext_desc_value_any(desc, labels, ROWS, v);
}

static int first_integer(sift_slice s, uint64_t *out)
{
    size_t i = 0;
    while (i < s.len && !(s.ptr[i] >= '0' && s.ptr[i] <= '9'))
        i++;
    size_t j = i;
    while (j < s.len && s.ptr[j] >= '0' && s.ptr[j] <= '9')
        j++;
    return i < s.len && sift_num_u64(sift_slice_sub(s, i, j - i), out) == SIFT_OK;
}

static sift_slice record_host(const sift_scan *s, const sift_evtext_rec *ev)
{
    if (ev->computer.len)
        return ev->computer;
    if (s->cur_host_len)
        return sift_slice_make(s->cur_host, s->cur_host_len);
    return sift_slice_make(s->default_host, s->default_host_len);
}

static int verify_rule(sift_scan *s, sift_rule_id rule, const sift_evtext_rec *ev, sift_when when, sift_evidence evd)
{
    sift_slice host = record_host(s, ev);
    sift_slice v;
    switch (rule) {
    case SIFT_RULE_RDGW_CRASH:
        if (ev->event_id != 1000 || !sift_slice_eq_nocase(ev->source, SIFT_LIT("Application Error")))
            return 0;
        if (!crash_value(ev->description, CRASH_APP, &v) ||
            !sift_slice_eq_nocase(first_field(v), SIFT_LIT("svchost.exe_TSGateway")))
            return 0;
        if (!crash_value(ev->description, CRASH_CODE, &v) || !is_access_violation(v))
            return 0;
        crash_value(ev->description, CRASH_MODULE, &v);
        note_status(s, sift_hosts_crash(s->hosts, host, when, first_field(v), evd));
        return 1;
    case SIFT_RULE_UPTIME_497: {
        uint64_t up;
        if (ev->event_id != 6013 || !sift_slice_eq_nocase(ev->source, SIFT_LIT("EventLog")))
            return 0;
        if (!first_integer(ev->description, &up))
            return 0;
        note_status(s, sift_hosts_uptime(s->hosts, host, when, up, evd));
        return 1;
    }
    case SIFT_RULE_TCPIP_PORTS:
        if ((ev->event_id != 4227 && ev->event_id != 4231) ||
            !(sift_slice_eq_nocase(ev->source, SIFT_LIT("Tcpip")) ||
              sift_slice_eq_nocase(ev->source, SIFT_LIT("Microsoft-Windows-Tcpip"))))
            return 0;
        note_status(s, sift_hosts_tcpip(s->hosts, host, when, ev->event_id, evd));
        return 1;
    case SIFT_RULE_TIMEWAIT:
    case SIFT_RULE_COUNT:
        break;
    }
    return 0;
}

static int wants(const sift_candidate_rule *c, uint32_t sig)
{
    return (sig & c->need_all) == c->need_all && (!c->need_any || (sig & c->need_any));
}

/* Whether the record's signals make it a candidate for some rule. */
static int is_candidate(uint32_t sig)
{
    for (size_t i = 0; i < sift_candidate_rule_count; i++)
        if (wants(&sift_candidate_rules[i], sig))
            return 1;
    return 0;
}

/* Returns 1 when the record produced an observation, 0 when it did not, -1
 * when it is malformed (reported). A partial record (live streams) is only
 * judged once its Description label has arrived: every field a rule reads
 * from the header, Computer above all, comes before it in both layouts. */
static int verify_record(sift_scan *s, const block *b, uint64_t end, int partial)
{
    sift_slice rec = sift_slice_make(b->buf + (s->rec_start - b->base), end - s->rec_start);
    sift_evtext_rec ev;
    sift_error err = { SIFT_OK, 0, NULL };
    sift_status pst = sift_evtext_parse(rec, s->rec_start, &ev, &err);
    if (partial && (pst != SIFT_OK || !(ev.have & SIFT_EVTEXT_HAS_DESCRIPTION)))
        return 0; /* judged again, whole, when it ends */
    if (pst != SIFT_OK) {
        s->st.candidates++;
        s->st.bad_records++;
        report(s, &err);
        return -1;
    }
    sift_when when = { 0 };
    if (ev.date.len && sift_time_parse(ev.date, &when) != SIFT_OK)
        when.valid = 0;
    sift_evidence evd = { s->path, s->rec_start, s->rec_line };
    int any = 0;
    for (size_t i = 0; i < sift_candidate_rule_count; i++)
        if (wants(&sift_candidate_rules[i], s->rec_sig))
            any |= verify_rule(s, sift_candidate_rules[i].rule, &ev, when, evd);
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
    uint64_t cap = s->rec_start + SIFT_EVTEXT_MAX_RECORD;
    if (end > cap)
        end = cap;
    if (!s->rec_done && is_candidate(s->rec_sig))
        verify_record(s, b, end, 0);
}

/* ---- snapshots ------------------------------------------------------------ */

/* Records the snapshot, or raises its count when it was recorded before (a
 * live pause): a table counts once however it arrives. open: it is still
 * arriving, so its count may grow. */
static void note_snapshot(sift_scan *s, int open)
{
    sift_slice host;
    if (s->force_host || s->snap_host_len == 0)
        host = sift_slice_make(s->default_host, s->default_host_len);
    else
        host = sift_slice_make(s->snap_host, s->snap_host_len);
    if (s->snap_noted) {
        /* A table the full host table dropped was counted as dropped once. */
        if (s->snap_kept)
            note_status(s, sift_hosts_snapshot_grow(s->hosts, host, s->snap_id, s->snap_tw, open));
    } else {
        sift_evidence evd = { s->path, s->snap_start, s->snap_line };
        s->st.snapshots++;
        s->snap_noted = 1;
        sift_status st = sift_hosts_snapshot(s->hosts, host, s->snap_when, s->snap_tw, evd, open, &s->snap_id);
        s->snap_kept = st == SIFT_OK;
        note_status(s, st);
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
    s->snap_when = (sift_when){ 0 };
    memcpy(s->snap_host, s->cur_host, s->cur_host_len);
    s->snap_host_len = s->cur_host_len;
    s->snap_start = ls;
    s->snap_line = line;
}

/* ---- hits ------------------------------------------------------------------- */

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

/* The number after an "Event ID:" label (blanks first), or 0 when the value
 * is not a plain number of at most 5 digits. */
static uint32_t event_id_after(const block *b, uint64_t end)
{
    const uint8_t *p = b->buf + (end - b->base), *e = b->buf + (b->end - b->base);
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    uint32_t v = 0;
    int digits = 0;
    for (; p < e && *p >= '0' && *p <= '9'; p++) {
        if (++digits > 5)
            return 0;
        v = v * 10 + (uint32_t)(*p - '0');
    }
    if (!digits || (p < e && !(*p == '\r' || *p == '\n' || *p == ' ' || *p == '\t')))
        return 0;
    return v;
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
    const sift_pattern *pat = &sift_patterns[h.pat];
    s->st.hits++;
    if (end - ls > SIFT_SCAN_MAX_LINE) {
        s->st.long_lines++;
        return;
    }
    if (pat->lead && !lead_ok(b, ls, end, pat->lead))
        return;
    unsigned kind = (unsigned)pat->kind;
    if (kind < NKINDS && kind != SIFT_PAT_EV_SIGNAL && kind != SIFT_PAT_EV_EVENT_ID) {
        if (s->last_ls[kind] == ls)
            return;
        s->last_ls[kind] = ls;
    }
    /* A record ends where it reaches its size cap; hits past it are outside. */
    if (s->rec_open && ls >= s->rec_start + SIFT_EVTEXT_MAX_RECORD)
        end_record(s, b, ls);

    int ev_on = (s->formats & SIFT_FMT_EVTEXT) != 0;
    int ns_on = (s->formats & SIFT_FMT_NETSTAT) != 0;
    switch (pat->kind) {
    case SIFT_PAT_EV_FRAME:
        if (!ev_on || !sift_evtext_frame(line_at(b, ls, end)))
            return;
        end_record(s, b, ls);
        close_snapshot(s);
        s->rec_open = 1;
        s->rec_done = 0;
        s->rec_tried = 0;
        s->rec_start = ls;
        s->rec_line = line;
        s->rec_sig = 0;
        s->st.records++;
        return;
    case SIFT_PAT_EV_SIGNAL:
        if (ev_on && s->rec_open)
            s->rec_sig |= pat->signal;
        return;
    case SIFT_PAT_EV_EVENT_ID:
        if (ev_on && s->rec_open)
            s->rec_sig |= sift_event_id_signal(event_id_after(b, end));
        return;
    case SIFT_PAT_NS_HEADER:
        if (!ns_on || !sift_netstat_is_header(line_at(b, ls, end)))
            return;
        end_record(s, b, ls);
        if (s->snap_open && s->snap_tw == 0) {
            s->snap_header = 1;
        } else {
            open_snapshot(s, ls, line);
            s->snap_header = 1;
        }
        return;
    case SIFT_PAT_NS_TIME: {
        sift_when w;
        if (!ns_on || sift_time_parse(line_at(b, ls, end), &w) != SIFT_OK)
            return;
        end_record(s, b, ls);
        if (!(s->snap_open && !s->snap_header && s->snap_tw == 0))
            open_snapshot(s, ls, line);
        s->snap_when = w;
        return;
    }
    case SIFT_PAT_NS_ROW: {
        sift_ns_row row;
        if (!ns_on || sift_netstat_row(line_at(b, ls, end), ls, &row, NULL) != SIFT_OK || !row.tcp ||
            row.st != SIFT_TCP_TIME_WAIT)
            return;
        end_record(s, b, ls);
        if (!s->snap_open)
            open_snapshot(s, ls, line);
        s->snap_tw++;
        s->st.rows++;
        return;
    }
    case SIFT_PAT_HOST: {
        sift_slice name;
        sift_slice l = line_at(b, ls, end);
        /* An indented "Computer Name:" inside an event description says
         * nothing about the tables that follow; a host line at column 0 ends
         * the record (collection scripts print it right after an export). */
        if (!ns_on || (s->rec_open && l.len && (l.ptr[0] == ' ' || l.ptr[0] == '\t')) ||
            !sift_netstat_host_line(l, &name))
            return;
        end_record(s, b, ls);
        copy_host(s->cur_host, &s->cur_host_len, name);
        if (s->snap_open && s->snap_tw == 0)
            copy_host(s->snap_host, &s->snap_host_len, name);
        return;
    }
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

sift_status sift_scan_run(sift_scan *s, sift_in *in, unsigned flags)
{
    const int eof = (flags & SIFT_SCAN_EOF) != 0;
    const uint8_t *buf = in->buf;
    /* in->buf[in->pos] is where the previous call asked to resume. */
    uint64_t base = s->base - in->pos;
    uint64_t size_abs = base + in->size;
    uint64_t a = s->scanned;
    sift_status st = SIFT_OK;
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
        st = scan_block(s, buf, base, a, e);
        if (st != SIFT_OK)
            return st;
        a = e;
    }
    if (eof) {
        block b = { buf, base, a, a, a, a };
        end_record(s, &b, a);
        close_snapshot(s);
        s->st.lines += s->line_no + (s->mid_line ? 1 : 0);
        in->pos = in->size;
        s->base = size_abs;
        return s->fatal;
    }
    /* A record that reached its cap cannot grow: verify it now, so that what
     * the caller must keep stays bounded. */
    block b = { buf, base, a, a, a, a };
    if (s->rec_open && a >= s->rec_start + SIFT_EVTEXT_MAX_RECORD)
        end_record(s, &b, a);
    /* A live stream may pause for hours after a crash record: verify its
     * complete lines now rather than when the next record arrives. If that
     * yields the observation (or a report of a malformed record), the record
     * is done; if not, it is verified again, whole, when it ends. */
    /* Small records are tried at every pause; larger ones only after growing
     * by an eighth, so a record trickling in line by line costs O(n). */
    uint64_t len = a - s->rec_start;
    if (s->live && (flags & SIFT_SCAN_PAUSE) && s->rec_open && !s->rec_done && is_candidate(s->rec_sig) &&
        len > s->rec_tried &&
        (len < 4096 || len - s->rec_tried >= s->rec_tried / 8)) {
        s->rec_tried = len;
        s->rec_done = verify_record(s, &b, a, 1) != 0;
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
