/* test_scan.c - the scanner: stream formats claiming a stream, candidate
 * records framed from their triggers, tables, and output independent of
 * chunking, with the registry's formats and a stream format of the test's. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netstat_langs.h"
#include "sbuf.h"
#include "sift_match.h"
#include "sift_patset.h"
#include "sift_rules.h"
#include "sift_scan.h"

/* ---- a stream format of the test's own ----------------------------------------------- */

/* "FAKE" on the first line; then one record per line: "ID HOST TIME [text]",
 * where TIME is seconds, or "?S" for a time whose order is not settled yet
 * (guessed as S, read as S + 3600 once settled); a line "SETTLE" settles it.
 * A line "BAD" is a damaged record. */
typedef struct fake_state {
    int settled;
    uint64_t line;
} fake_state;

static int fake_sniff(sift_slice head)
{
    return head.len >= 4 && memcmp(head.ptr, "FAKE", 4) == 0;
}

static void fake_init(void *st)
{
    memset(st, 0, sizeof(fake_state));
}

static sift_status fake_frame(void *st, sift_in *in, uint64_t base, sift_recs *out, sift_error *err, int eof)
{
    fake_state *f = st;
    while (out->n < out->cap) {
        const uint8_t *p = in->buf + in->pos;
        size_t left = in->size - in->pos;
        const uint8_t *nl = memchr(p, '\n', left);
        if (!nl && (!eof || left == 0))
            return SIFT_NEED_MORE;
        size_t len = nl ? (size_t)(nl - p) : left;
        uint64_t at = base + in->pos;
        in->pos += nl ? len + 1 : len;
        f->line++;
        sift_slice line = sift_slice_make(p, len);
        if (f->line == 1)
            continue; /* the header */
        if (sift_slice_eq(line, SIFT_LIT("SETTLE"))) {
            f->settled = 1;
            continue;
        }
        if (sift_slice_eq(line, SIFT_LIT("BAD")))
            return sift_fail(err, SIFT_ERR_SYNTAX, at, "bad record");
        sift_rec *r = &out->rec[out->n++];
        memset(r, 0, sizeof *r);
        r->bytes = line;
        r->offset = at;
        r->line = f->line;
        unsigned id = 0;
        for (size_t i = 0; i < len && p[i] >= '0' && p[i] <= '9'; i++)
            id = id * 10 + (unsigned)(p[i] - '0');
        r->id = (uint16_t)id;
        r->has_id = 1;
    }
    return SIFT_OK;
}

static sift_status fake_next(void *st, sift_in *in, uint64_t base, sift_recs *out, sift_error *err)
{
    return fake_frame(st, in, base, out, err, 0);
}

static sift_status fake_finish(void *st, sift_in *in, uint64_t base, sift_recs *out, sift_error *err)
{
    return fake_frame(st, in, base, out, err, 1);
}

static int fake_time(sift_slice t, int settled, sift_when *w, int *guessed)
{
    *guessed = t.len && t.ptr[0] == '?';
    if (*guessed)
        t = sift_slice_sub(t, 1, t.len);
    uint64_t v = 0;
    for (size_t i = 0; i < t.len; i++)
        v = v * 10 + (uint64_t)(t.ptr[i] - '0');
    *w = (sift_when){ (int64_t)v + ((*guessed && settled) ? 3600 : 0), 0, 1, 1 };
    return 1;
}

/* Fields are separated by one space: ID HOST TIME TEXT... */
static sift_status fake_decode(void *st, const sift_rec *rec, sift_event *ev, sift_error *err)
{
    fake_state *f = st;
    (void)err;
    memset(ev, 0, sizeof *ev);
    sift_slice fields[4] = { { 0 } };
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= rec->bytes.len && n < 4; i++) {
        if (i == rec->bytes.len || (rec->bytes.ptr[i] == ' ' && n < 3)) {
            fields[n++] = sift_slice_sub(rec->bytes, start, i - start);
            start = i + 1;
        }
    }
    ev->have = SIFT_EV_ID;
    ev->id = rec->id;
    ev->provider = ev->id == 6013 ? SIFT_LIT("EventLog") : SIFT_LIT("Other");
    ev->computer = fields[1];
    ev->time_text = fields[2];
    int guessed;
    fake_time(fields[2], f->settled, &ev->time, &guessed);
    if (guessed && !f->settled)
        ev->have |= SIFT_EV_TIME_GUESSED;
    ev->fld[SIFT_FLD_UPTIME] = fields[3];
    return SIFT_OK;
}

static int fake_retime(const void *st, sift_slice t, sift_when *w)
{
    const fake_state *f = st;
    int guessed;
    return fake_time(t, f->settled, w, &guessed);
}

static int fake_settled(const void *st)
{
    return ((const fake_state *)st)->settled;
}

static const sift_stream_ops fake_ops = {
    fake_sniff, sizeof(fake_state), fake_init, fake_next, fake_finish, fake_decode, fake_retime, fake_settled, NULL, NULL,
};

static const sift_format fake_format = { "fake", "test records", SIFT_PRODUCES_EVENTS, NULL, 0, NULL, &fake_ops, NULL };

/* ---- a scanner over the registry and the fake format ---------------------------------- */

typedef struct rig {
    const sift_format *formats[32];
    size_t n_formats;
    sift_patset ps;
    sift_matcher *m;
    sift_ruleset *rules;
    sift_hosts *hosts;
    sift_paths *paths;
    sift_scan *scan;
    sbuf errors;
} rig;

static void on_error(void *ctx, const sift_error *e)
{
    rig *r = ctx;
    sb_printf(&r->errors, "%llu:%s;", (unsigned long long)e->offset, e->detail ? e->detail : "?");
}

static void rig_make(rig *r)
{
    memset(r, 0, sizeof *r);
    size_t n;
    const sift_format *const *reg = sift_registry(&n);
    cr_assert_lt(n, sizeof r->formats / sizeof r->formats[0]);
    for (size_t i = 0; i < n; i++)
        r->formats[r->n_formats++] = reg[i];
    r->formats[r->n_formats++] = &fake_format;
    cr_assert_eq(sift_patset_build(r->formats, r->n_formats, &r->ps), SIFT_OK);
    char msg[256];
    cr_assert_eq(sift_matcher_create(r->ps.pats, r->ps.n, &r->m, msg, sizeof msg), SIFT_OK, "%s", msg);
    r->rules = sift_ruleset_create();
    cr_assert_not_null(r->rules);
    cr_assert_eq(sift_ruleset_set(r->rules, "port_range", 100), 1);
    sift_hosts_cfg hc = { NULL, 0, NULL, NULL, NULL, 0 };
    hc.rules = sift_ruleset_hosts(r->rules, &hc.n_rules);
    r->hosts = sift_hosts_create(&hc);
    r->paths = sift_paths_create();
    sift_scan_cfg sc = { r->formats, r->n_formats, &r->ps, r->m, r->hosts, r->paths, on_error, r };
    r->scan = sift_scan_create(&sc);
    cr_assert_not_null(r->scan);
}

static void rig_free(rig *r)
{
    sift_scan_free(r->scan);
    sift_paths_free(r->paths);
    sift_hosts_free(r->hosts);
    sift_ruleset_free(r->rules);
    sift_matcher_free(r->m);
    sift_patset_free(&r->ps);
    free(r->errors.p);
}

static void emit(void *ctx, const sift_finding *f)
{
    sbuf *b = ctx;
    sb_printf(b, "%s %s %s n=%llu first=%lld", sift_rules[f->rule].id, sift_severity_name(f->severity), f->host,
              (unsigned long long)f->count, f->first_seen.valid ? (long long)f->first_seen.secs : -1LL);
    for (size_t i = 0; i < f->n_ev; i++)
        sb_printf(b, " @%llu:%llu", (unsigned long long)f->ev[i].offset, (unsigned long long)f->ev[i].line);
    sb_printf(b, "\n");
}

/* The findings and errors the rig holds, as text; frees the rig. */
static char *rig_report(rig *r)
{
    sbuf out = { 0 };
    sb_add(&out, "", 0);
    sift_hosts_report(r->hosts, emit, &out);
    sb_printf(&out, "errors:%s", r->errors.p ? r->errors.p : "");
    rig_free(r);
    return out.p;
}

/* The findings and errors of text given in pieces of chunk bytes (0: whole),
 * presented the way the engine does: what the scanner keeps, then more. */
static char *scan_text(const char *text, size_t len, size_t chunk, sift_scan_stats *stats)
{
    rig r;
    rig_make(&r);
    cr_assert_eq(sift_scan_begin(r.scan, "t.txt", 0, SIFT_LIT("DEFHOST"), 0, UINT32_MAX), SIFT_OK);
    uint8_t *buf = malloc(len + 1);
    size_t have = 0, fed = 0;
    do {
        size_t take = chunk ? chunk : len;
        if (take > len - fed)
            take = len - fed;
        memcpy(buf + have, text + fed, take);
        have += take;
        fed += take;
        sift_in in = { buf, have, 0 };
        cr_assert_eq(sift_scan_run(r.scan, &in, fed == len ? SIFT_SCAN_EOF : 0), SIFT_OK);
        memmove(buf, buf + in.pos, have - in.pos);
        have -= in.pos;
    } while (fed < len);
    free(buf);
    if (stats)
        *stats = *sift_scan_get_stats(r.scan);
    return rig_report(&r);
}

/* Every chunking gives what the whole text gives. */
static char *scan_all_ways(const char *text)
{
    size_t len = strlen(text);
    char *whole = scan_text(text, len, 0, NULL);
    static const size_t chunks[] = { 1, 2, 3, 7, 64, 333 };
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        char *got = scan_text(text, len, chunks[i], NULL);
        cr_assert_str_eq(got, whole, "chunk %zu", chunks[i]);
        free(got);
    }
    return whole;
}

static const char uptime_record[] = "Log Name:      System\nSource:        EventLog\n"
                                    "Date:          2024-10-02T12:00:00Z\nEvent ID:      6013\n"
                                    "Computer:      APP-SQL02\nDescription:\nThe system uptime is 42953114 seconds.\n";

/* ---- text dumps ------------------------------------------------------------------------------- */

Test(scan, a_trigger_is_framed_by_walking_back_to_its_first_line)
{
    sbuf b = { 0 };
    sb_printf(&b, "noise line\n%s%s", uptime_record, "Log Name: System\nSource: Other\nEvent ID: 7036\n");
    char *out = scan_all_ways(b.p);
    cr_expect(strstr(out, "uptime-497 critical APP-SQL02 n=1 first=1727870400 @11:2") != NULL, "%s", out);
    free(out);
    free(b.p);
}

/* The walk forward from a trigger starts after the trigger's line (the walk
 * back has read the lines above it): the record still ends at the next
 * frame line, however near, and a trigger on the frame line itself, a
 * second trigger in the same record or one in the record right after it
 * frames each record once. */
Test(scan, records_after_a_trigger_still_end_at_the_next_frame_line)
{
    sbuf b = { 0 };
    sb_printf(&b, "%s", uptime_record);
    /* Its trigger on the line after its frame line. */
    sb_printf(&b, "Log Name: System\nEvent ID: 6013\nComputer: HOST-B\nDate: 2024-10-02T13:00:00Z\n"
                  "Source: EventLog\nDescription:\nThe system uptime is 42953115 seconds.\n");
    /* The frame line of a record with no trigger right before one whose
     * trigger is its fifth line. */
    sb_printf(&b, "Log Name: System\nLog Name: System\nSource: EventLog\nComputer: HOST-C\n"
                  "Date: 2024-10-02T14:00:00Z\nEvent ID: 6013\nDescription:\n"
                  "The system uptime is 42953116 seconds.\n");
    char *out = scan_all_ways(b.p);
    cr_expect(strstr(out, "uptime-497 critical APP-SQL02 n=1 first=1727870400 @0:1\n") != NULL, "%s", out);
    cr_expect(strstr(out, "uptime-497 critical HOST-B n=1 first=1727874000 @179:8\n") != NULL, "%s", out);
    cr_expect(strstr(out, "uptime-497 critical HOST-C n=1 first=1727877600 @341:16\n") != NULL, "%s", out);
    sift_scan_stats st;
    free(scan_text(b.p, b.n, 0, &st));
    cr_expect_eq(st.records, 3u);
    cr_expect_eq(st.verified, 3u);
    free(out);
    free(b.p);
}

Test(scan, a_trigger_farther_from_its_first_line_than_the_walk_limit_is_not_framed)
{
    for (int far = 0; far < 2; far++) {
        sbuf b = { 0 };
        sb_printf(&b, "Log Name:      System\nSource:        EventLog\nComputer:      H\n");
        /* Lines the parser ignores, to put the id line near or past the limit. */
        size_t filler = far ? SIFT_LINE_MAX_BACK + 100 : SIFT_LINE_MAX_BACK - 400;
        static const char kw[] = "Keywords:  Classic\n";
        for (size_t n = 0; n < filler; n += sizeof kw - 1)
            sb_printf(&b, "%s", kw);
        sb_printf(&b, "Event ID:      6013\nDescription:\nThe system uptime is 42953114 seconds.\n");
        sift_scan_stats st;
        char *out = scan_text(b.p, b.n, 0, &st);
        cr_expect_eq(strstr(out, "uptime-497") != NULL, !far, "far %d: %s", far, out);
        cr_expect_eq(st.records, far ? 0u : 1u);
        free(out);
        free(b.p);
    }
}

Test(scan, triggers_in_connection_rows_frame_no_record)
{
    const char *text = "Active Connections\n\n  Proto  Local Address  Foreign Address  State  PID\n"
                       "  TCP    10.0.0.1:6013   10.0.0.2:4227   TIME_WAIT  4231\n"
                       "  TCP    10.0.0.1:6014   10.0.0.2:445    ESTABLISHED  6013\n";
    sift_scan_stats st;
    char *out = scan_text(text, strlen(text), 0, &st);
    cr_expect_eq(st.records, 0);
    cr_expect_eq(st.rows, 1);
    cr_expect_eq(st.snapshots, 1);
    free(out);
}

Test(scan, a_record_ends_at_the_next_table_title_and_the_table_reads_its_preamble)
{
    sbuf b = { 0 };
    sb_printf(&b, "%sHostname: FS01\n2024-10-02T12:05:00Z\n\nActive Connections\n\n"
                  "  Proto  Local Address  Foreign Address  State  PID\n",
              uptime_record);
    for (int i = 0; i < 95; i++)
        sb_printf(&b, "  TCP    10.0.0.1:%d   10.0.0.2:445   TIME_WAIT  0\n", 50000 + i);
    char *out = scan_all_ways(b.p);
    cr_expect(strstr(out, "uptime-497 critical APP-SQL02 n=1") != NULL, "%s", out);
    /* The table is FS01's, dated by the line above its title, and that line is its evidence. */
    cr_expect(strstr(out, "timewait-exhaustion critical FS01 n=1 first=1727870700 @194:9") != NULL, "%s", out);
    free(out);
    free(b.p);
}

/* A file holding one capture after another, each dated by the line above
 * its title (five minutes apart from 2024-10-02T12:00:00Z, 1727870400). */
static char *dated_captures(const lang_case *l, const unsigned *tw, size_t n)
{
    sbuf b = { 0 };
    sb_printf(&b, "Hostname: WEB01\n");
    for (size_t k = 0; k < n; k++) {
        sb_printf(&b, "\n2024-10-02T12:%02zu:00Z\n", 5 * k);
        lang_capture(&b, l, tw[k]);
    }
    return b.p;
}

/* Each capture's title and header start a snapshot, in every language,
 * also after a capture without TIME_WAIT rows: four growing captures are
 * four snapshots, rising (low: at most 30 of 100 ports), where one
 * over-full table would be critical. */
Test(scan, every_capture_in_a_file_is_its_own_snapshot_in_every_display_language)
{
    static const unsigned tw[] = { 0, 10, 20, 30 };
    for (size_t i = 0; i < N_LANG_CASES; i++) {
        char *text = dated_captures(&lang_cases[i], tw, 4);
        char *out = scan_all_ways(text);
        cr_expect(strstr(out, "timewait-exhaustion low WEB01 n=4 first=1727870400 ") != NULL, "%s: %s",
                  lang_cases[i].lang, out);
        sift_scan_stats st;
        free(scan_text(text, strlen(text), 0, &st));
        cr_expect_eq(st.snapshots, 4, "%s: %llu snapshots", lang_cases[i].lang, (unsigned long long)st.snapshots);
        cr_expect_eq(st.rows, 60, "%s: %llu rows", lang_cases[i].lang, (unsigned long long)st.rows);
        free(out);
        free(text);
    }
}

/* Without timestamp lines only the header tells where a capture ends. */
Test(scan, undated_captures_are_told_apart_by_their_headers)
{
    for (size_t i = 0; i < N_LANG_CASES; i++) {
        sbuf b = { 0 };
        lang_capture(&b, &lang_cases[i], 40);
        lang_capture(&b, &lang_cases[i], 45);
        char *out = scan_all_ways(b.p);
        /* 45 of 100 ports at most: two tables; 85 if they ran together. */
        cr_expect(strstr(out, "timewait-exhaustion") == NULL, "%s: %s", lang_cases[i].lang, out);
        sift_scan_stats st;
        free(scan_text(b.p, b.n, 0, &st));
        cr_expect_eq(st.snapshots, 2, "%s", lang_cases[i].lang);
        cr_expect_eq(st.rows, 85, "%s", lang_cases[i].lang);
        free(out);
        free(b.p);
    }
}

/* Get-NetTCPConnection's table view, twice: TimeWait rows counted, each
 * header a boundary, and rows in other states or cut addresses no bother. */
Test(scan, get_nettcpconnection_tables_are_snapshots_of_their_timewait_rows)
{
    sbuf b = { 0 };
    for (unsigned k = 0; k < 2; k++) {
        sb_printf(&b, "Hostname: WEB02\n2024-10-02T12:0%u:00Z\n\n"
                      "LocalAddress                        LocalPort RemoteAddress                       RemotePort "
                      "State       AppliedSetting OwningProcess\n"
                      "------------                        --------- -------------                       ---------- "
                      "-----       -------------- -------------\n"
                      "::                                  49669     ::                                  0          "
                      "Listen                     704\n"
                      "2001:db8:85a3:1234:5678:8a2e:370... 50134     2001:db8:85a3:1234:5678:8a2e:37...  443        "
                      "TimeWait                   0\n",
                  5 * k);
        for (unsigned i = 0; i < 50 + 10 * k; i++)
            sb_printf(&b, "10.0.0.5                            %-9u 10.0.0.9                            445        "
                          "TimeWait                   0\n",
                      50200 + i);
    }
    char *out = scan_all_ways(b.p);
    cr_expect(strstr(out, "timewait-exhaustion medium WEB02 n=2 first=1727870400 ") != NULL, "%s", out);
    sift_scan_stats st;
    free(scan_text(b.p, b.n, 0, &st));
    cr_expect_eq(st.snapshots, 2);
    cr_expect_eq(st.rows, 51 + 61);
    free(out);
    free(b.p);
}

/* text as a mapped file is scanned: whole from the start, the matcher on a
 * second thread, the buffer handed over in growing steps of step bytes. */
static char *scan_prescanned(const char *text, size_t step)
{
    rig r;
    rig_make(&r);
    size_t len = strlen(text);
    cr_assert_eq(sift_scan_begin(r.scan, "t.txt", 0, SIFT_LIT("DEFHOST"), 0, UINT32_MAX), SIFT_OK);
    cr_assert_eq(sift_scan_prescan(r.scan, (const uint8_t *)text, 0, len), SIFT_OK);
    size_t pos = 0, upto = 0;
    do {
        upto = len - upto > step ? upto + step : len;
        sift_in in = { (const uint8_t *)text, upto, pos };
        cr_assert_eq(sift_scan_run(r.scan, &in, upto == len ? SIFT_SCAN_EOF : 0), SIFT_OK);
        pos = in.pos;
    } while (upto < len);
    sift_scan_end(r.scan);
    return rig_report(&r);
}

/* The rows only PowerShell (TimeWait) and German Windows (WARTEND) write
 * are looked for only after a header of their table has been seen in the
 * stream: before it they are not rows; after it they are, however far on,
 * and whichever thread runs the matcher. */
Test(scan, timewait_and_wartend_rows_count_after_their_tables_header)
{
    static const char ps_header[] = "LocalAddress                        LocalPort RemoteAddress                       "
                                    "RemotePort State       AppliedSetting OwningProcess\n";
    static const char ps_row[] = "10.0.0.5                            50200     10.0.0.9                            "
                                 "445        TimeWait                   0\n";
    static const char de_header[] = "  Proto  Lokale Adresse         Remoteadresse          Status           PID\n";
    static const char de_row[] = "  TCP    10.1.2.15:50112        10.1.2.5:445           WARTEND          0\n";
    for (int de = 0; de < 2; de++) {
        const char *header = de ? de_header : ps_header, *row = de ? de_row : ps_row;
        sbuf b = { 0 };
        sb_printf(&b, "Hostname: WEB02\n2024-10-02T12:00:00Z\n");
        for (int i = 0; i < 5; i++)
            sb_printf(&b, "%s", row); /* no header yet: not rows */
        sb_printf(&b, "\n%s", uptime_record);
        sb_printf(&b, "\nHostname: WEB02\n2024-10-02T12:05:00Z\n%s", header);
        for (int i = 0; i < 51; i++)
            sb_printf(&b, "%s", row);
        /* Far on, past many blocks: a second capture, its rows counted. */
        for (int i = 0; i < 40000; i++)
            sb_printf(&b, "filler line %d\n", i);
        sb_printf(&b, "\nHostname: WEB02\n2024-10-02T12:10:00Z\n%s", header);
        for (int i = 0; i < 61; i++)
            sb_printf(&b, "%s", row);
        sift_scan_stats st;
        char *whole = scan_text(b.p, b.n, 0, &st);
        cr_expect_eq(st.rows, 51 + 61, "%s: %llu rows", de ? "de" : "ps", (unsigned long long)st.rows);
        cr_expect_eq(st.snapshots, 2, "%s", de ? "de" : "ps");
        cr_expect(strstr(whole, "timewait-exhaustion") != NULL && strstr(whole, "WEB02 n=2") != NULL, "%s", whole);
        char *chunked = scan_text(b.p, b.n, 4093, NULL);
        cr_expect_str_eq(chunked, whole);
        static const size_t steps[] = { 1u << 20, 100000, 4096 };
        for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
            char *pre = scan_prescanned(b.p, steps[k]);
            cr_expect_str_eq(pre, whole, "prescanned in steps of %zu", steps[k]);
            free(pre);
        }
        free(chunked);
        free(whole);
        free(b.p);
    }
}

/* A Winlogbeat line: event id (as written), host, uptime. */
static void wlb_line(sbuf *b, const char *id, const char *host, unsigned long uptime)
{
    sb_printf(b,
              "{\"@timestamp\":\"2024-07-10T12:00:00.000Z\",\"message\":\"The system uptime is %lu seconds.\","
              "\"winlog\":{\"channel\":\"System\",\"computer_name\":\"%s\",\"event_data\":{\"param5\":\"%lu\"},"
              "\"event_id\":%s,\"provider_name\":\"EventLog\",\"record_id\":1}}\n",
              uptime, host, uptime, id);
}

/* One JSON object per line: lines without a trigger hit are counted and
 * passed over unframed (damage in them unreported: nothing there could
 * interest a rule), lines with one are framed and damage there reported. */
Test(scan, json_lines_without_a_trigger_are_passed_over_and_the_rest_framed)
{
    sbuf b = { 0 };
    wlb_line(&b, "6013", "HOSTA", 43200000);
    wlb_line(&b, "7036", "HOSTA", 1);
    sb_printf(&b, "{\"winlog\":{\"event_id\":70,,\"computer_name\":\"HOSTA\"}}\n"); /* damaged, passed over */
    size_t bad = b.n;
    sb_printf(&b, "{\"winlog\":{\"event_id\":6013,,\"computer_name\":\"HOSTA\"}}\n"); /* damaged, framed */
    for (int i = 0; i < 100; i++)
        wlb_line(&b, "7036", "HOSTC", 5);
    wlb_line(&b, "6013", "HOSTB", 43300000);
    char *out = scan_all_ways(b.p);
    cr_expect(strstr(out, "uptime-497 critical HOSTA n=1") != NULL, "%s", out);
    cr_expect(strstr(out, "uptime-497 critical HOSTB n=1") != NULL, "%s", out);
    char want[64];
    snprintf(want, sizeof want, "errors:%zu:expected a key;", bad + 27);
    cr_expect(strstr(out, want) != NULL && strchr(strstr(out, want), ';')[1] == '\0', "%s", out);
    sift_scan_stats st;
    free(scan_text(b.p, b.n, 0, &st));
    /* What is passed over does not depend on chunking either. */
    static const size_t chunks[] = { 1, 2, 3, 7, 64, 333, 4096 };
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        sift_scan_stats sc;
        free(scan_text(b.p, b.n, chunks[i], &sc));
        cr_expect_eq(sc.passed, st.passed, "chunk %zu", chunks[i]);
        cr_expect_eq(sc.records, st.records, "chunk %zu", chunks[i]);
    }
    cr_expect_eq(st.records, 105, "%llu records", (unsigned long long)st.records);
    cr_expect_eq(st.passed, 102, "%llu passed", (unsigned long long)st.passed);
    cr_expect_eq(st.bad_records, 1);
    free(out);
    free(b.p);
}

/* The search for triggers goes a block at a time: the first line after a
 * block's end holds no trigger either and is passed over like the others,
 * in any chunking. */
Test(scan, json_lines_beyond_a_block_of_the_search_are_passed_over_too)
{
    sbuf b = { 0 };
    size_t n = 0;
    while (b.n < 3 * SIFT_SCAN_BLOCK) {
        wlb_line(&b, "7036", "HOSTC", 5);
        n++;
    }
    wlb_line(&b, "6013", "HOSTB", 43300000);
    static const size_t chunks[] = { 0, 4096, 100000 };
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        sift_scan_stats st;
        char *out = scan_text(b.p, b.n, chunks[i], &st);
        cr_expect(strstr(out, "uptime-497 critical HOSTB n=1") != NULL, "%s", out);
        cr_expect_eq(st.records, n + 1, "chunk %zu: %llu records", chunks[i], (unsigned long long)st.records);
        cr_expect_eq(st.passed, n, "chunk %zu: %llu of %zu passed", chunks[i], (unsigned long long)st.passed, n);
        free(out);
    }
    free(b.p);
}

/* A line longer than a block of the search is not cut where the block
 * ends: the reader sees it whole (and refuses it as too long), in any
 * chunking, even where a '}' ends the block's share of it. */
Test(scan, a_json_line_longer_than_a_block_is_not_passed_over_in_parts)
{
    sbuf b = { 0 };
    wlb_line(&b, "7036", "HOSTC", 5);
    const size_t at = b.n;
    sb_printf(&b, "{\"a\":\"");
    while (b.n < at + SIFT_SCAN_BLOCK - 1)
        sb_printf(&b, "x");
    sb_printf(&b, "}yyyy\"}\n");
    wlb_line(&b, "6013", "HOSTB", 43300000);
    char *out = scan_all_ways(b.p);
    char want[64];
    snprintf(want, sizeof want, "errors:%zu:", at);
    cr_expect(strstr(out, want) != NULL, "%s", out);
    sift_scan_stats st;
    free(scan_text(b.p, b.n, 0, &st));
    cr_expect_eq(st.passed, 1, "%llu passed", (unsigned long long)st.passed);
    cr_expect_eq(st.bad_records, 1, "%llu bad", (unsigned long long)st.bad_records);
    free(out);
    free(b.p);
}

/* The same output in every chunking, HOSTB's uptime found, one damaged
 * record reported (at offset bad, after the record it ends), and passed
 * lines passed over whatever the chunks. */
static void expect_one_damaged_and_passed(const sbuf *b, size_t bad, uint64_t passed)
{
    char *out = scan_all_ways(b->p);
    char want[64];
    snprintf(want, sizeof want, "errors:%zu:not a JSON object", bad);
    cr_expect(strstr(out, want) != NULL && strchr(strstr(out, want), ';')[1] == '\0', "%s", out);
    cr_expect(strstr(out, "uptime-497 critical HOSTB n=1") != NULL, "%s", out);
    free(out);
    static const size_t chunks[] = { 0, 1, 2, 7 };
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        sift_scan_stats st;
        free(scan_text(b->p, b->n, chunks[i], &st));
        cr_expect_eq(st.passed, passed, "chunk %zu: %llu passed", chunks[i], (unsigned long long)st.passed);
        cr_expect_eq(st.bad_records, 1, "chunk %zu", chunks[i]);
    }
}

/* A line the format will not pass over ('[' here) is left to next(),
 * which reads on to the record after it: that record is framed (its
 * damage reported) however the bytes arrive, even when they stop right
 * after the refused line. */
Test(scan, the_record_after_a_refused_line_is_framed_in_any_chunking)
{
    sbuf b = { 0 };
    sb_printf(&b, "[\n");
    const size_t bad = b.n;
    sb_printf(&b, "{\"winlog\":{\"event_id\":70,\"computer_name\":\"HOSTA\"}} x {}\n");
    for (int i = 0; i < 3; i++)
        wlb_line(&b, "7036", "HOSTC", 5);
    wlb_line(&b, "6013", "HOSTB", 43300000);
    expect_one_damaged_and_passed(&b, bad + 51, 3);
    free(b.p);
}

/* After a record framed on a candidate line the reader stops at the
 * record's end: the lines after it are the search's to pass over, whether
 * or not their bytes had arrived (leading blanks and all). */
Test(scan, lines_after_a_framed_record_are_passed_over_in_any_chunking)
{
    sbuf b = { 0 };
    wlb_line(&b, "6013", "HOSTA", 43200000);
    sb_printf(&b, "   {\"winlog\":{\"event_id\":70,\"computer_name\":\"HOSTA\"}} x {}\n"); /* damaged, passed */
    wlb_line(&b, "6013", "HOSTB", 43300000);
    sb_printf(&b, ",\n"); /* refused: next() frames the record after it */
    const size_t bad = b.n;
    sb_printf(&b, "{\"winlog\":{\"event_id\":70,\"computer_name\":\"HOSTA\"}} x {}\n");
    wlb_line(&b, "7036", "HOSTC", 5);
    expect_one_damaged_and_passed(&b, bad + 51, 2);
    free(b.p);
}

/* A line that starts with '{' and ends with '}' may still leave its
 * object open, the record going on below: it is framed, not passed over,
 * so a trigger further down the record is not lost. */
Test(scan, a_json_line_that_leaves_its_object_open_is_framed_with_the_rest)
{
    sbuf b = { 0 };
    wlb_line(&b, "7036", "HOSTC", 5);
    sb_printf(&b, "{\"@timestamp\":\"2024-07-10T12:00:00.000Z\",\"host\":{\"name\":\"HOSTZ\"}\n"
                  " ,\"winlog\":{\"channel\":\"System\",\"computer_name\":\"HOSTZ\",\"event_data\":{\"param5\":"
                  "\"43300000\"},\"event_id\":6013,\"provider_name\":\"EventLog\",\"record_id\":1},"
                  "\"message\":\"The system uptime is 43300000 seconds.\"}\n");
    char *out = scan_all_ways(b.p);
    cr_expect(strstr(out, "uptime-497 critical HOSTZ n=1") != NULL, "%s", out);
    cr_expect(strstr(out, "errors:") != NULL && strstr(out, "errors:")[7] == '\0', "%s", out);
    free(out);
    free(b.p);
}

/* Behind a \u escape any text may hide, a trigger too: such a line is
 * always framed. Here every "Gateway" of the Winlogbeat fixture is
 * written \u0047ateway, and its crash loop is still found. */
Test(scan, json_lines_with_u_escapes_are_framed_for_the_triggers_they_may_hide)
{
    sbuf t = { 0 }, b = { 0 };
    sb_load(&t, SIFT_SOURCE_DIR "/corpus/formats/winlogbeat/winlogbeat.ndjson");
    for (const char *p = t.p, *g; p < t.p + t.n; p = g + 7) {
        if (!(g = strstr(p, "Gateway"))) {
            sb_add(&b, p, strlen(p));
            break;
        }
        sb_add(&b, p, (size_t)(g - p));
        sb_printf(&b, "\\u0047ateway");
    }
    cr_assert(strstr(b.p, "Gateway") == NULL);
    char *out = scan_all_ways(b.p);
    cr_expect(strstr(out, "rdgw-crash critical RDG01.corp.example.com n=3") != NULL, "%s", out);
    cr_expect(strstr(out, "uptime-497 critical SQL-OLD01.corp.example.com") != NULL, "%s", out);
    sift_scan_stats st;
    free(scan_text(b.p, b.n, 0, &st));
    cr_expect_eq(st.passed, 1, "only the decoy is passed over: %llu", (unsigned long long)st.passed);
    free(out);
    free(t.p);
    free(b.p);
}

/* A central syslog file: NXLog's syslog-wrapped objects after other
 * sources' lines are text records of the json format, found by the
 * triggers, each framed alone, in any chunking. */
Test(scan, nxlog_objects_behind_syslog_are_read_among_other_lines)
{
    sbuf b = { 0 };
    sb_load(&b, SIFT_SOURCE_DIR "/corpus/formats/nxlog/central-syslog.log");
    cr_assert(b.n > 0 && b.p[0] != '<', "the fixture must not start with an NXLog line");
    char *out = scan_all_ways(b.p);
    cr_expect(strstr(out, "rdgw-crash critical RDG01.corp.example.com n=3") != NULL, "%s", out);
    cr_expect(strstr(out, "uptime-497 critical SQL-OLD01.corp.example.com n=1") != NULL, "%s", out);
    cr_expect(strstr(out, "errors:") != NULL && strstr(out, "errors:")[7] == '\0', "%s", out);
    free(out);
    free(b.p);
}

/* Pretty-printed JSON has no line to pass over: the search for triggers is
 * given up after a run of records it could not save, with the same result. */
Test(scan, pretty_printed_json_is_framed_whole_as_without_passing_over)
{
    sbuf b = { 0 };
    sb_printf(&b, "[\n");
    for (int i = 0; i < 150; i++)
        sb_printf(&b, "  {\n    \"Id\": %d,\n    \"ProviderName\": \"EventLog\",\n    \"MachineName\": \"HOST%d\",\n"
                      "    \"TimeCreated\": \"\\/Date(1720612800000)\\/\",\n"
                      "    \"Message\": \"The system uptime is 43200000 seconds.\",\n"
                      "    \"Properties\": [{\"Value\": \"\"}, {\"Value\": \"\"}, {\"Value\": \"\"}, {\"Value\": \"\"},"
                      " {\"Value\": \"43200000\"}]\n  }%s\n",
                  i % 50 == 49 ? 6013 : 7036, i, i == 149 ? "" : ",");
    sb_printf(&b, "]\n");
    char *out = scan_all_ways(b.p);
    for (int i = 49; i < 150; i += 50) {
        char host[32];
        snprintf(host, sizeof host, "critical HOST%d n=1", i);
        cr_expect(strstr(out, host) != NULL, "%s: %s", host, out);
    }
    sift_scan_stats st;
    free(scan_text(b.p, b.n, 0, &st));
    cr_expect_eq(st.records, 150);
    cr_expect_eq(st.passed, 0);
    free(out);
    free(b.p);
}

Test(scan, many_triggers_without_a_record_are_each_dismissed)
{
    sbuf b = { 0 };
    for (int i = 0; i < 20000; i++)
        sb_printf(&b, "6013 4227 4231 svchost.exe_TSGateway\n");
    sift_scan_stats st;
    char *out = scan_text(b.p, b.n, 4096, &st);
    cr_expect_eq(st.records, 0);
    cr_expect(strncmp(out, "errors:", 7) == 0, "%s", out);
    free(out);
    free(b.p);
}

/* ---- stream formats ----------------------------------------------------------------------------- */

Test(scan, a_stream_format_claims_a_stream_by_its_first_line)
{
    const char *text = "FAKE\n6013 H1 1000 42953114\n7036 H1 1001 1\n6013 H2 2000 5\n";
    char *out = scan_all_ways(text);
    cr_expect(strstr(out, "uptime-497 critical H1 n=1 first=1000 @5:2") != NULL, "%s", out);
    cr_expect(strstr(out, "H2") == NULL, "%s", out);
    free(out);
    /* Not on its first line: a text dump, where nothing is framed. */
    out = scan_all_ways("x\nFAKE\n6013 H1 1000 42953114\n");
    cr_expect_str_eq(out, "errors:");
    free(out);
}

Test(scan, blank_lines_above_an_export_do_not_hide_its_format)
{
    /* A copy or an echo may leave line ends above the first record: the
     * format is judged on the first line with text on it, and the blank
     * lines are still counted in the evidence's offset and line. */
    static const char rec[] = "{\"winlog\":{\"event_id\":6013,\"provider_name\":\"EventLog\",\"computer_name\":"
                              "\"H1\",\"event_data\":{\"param5\":\"42953114\"}},\"@timestamp\":"
                              "\"2024-10-02T12:00:00Z\",\"message\":\"The system uptime is 42953114 seconds.\"}\n";
    char text[512];
    snprintf(text, sizeof text, "\r\n \t\n\n%s", rec);
    char *out = scan_all_ways(text);
    cr_expect(strstr(out, "uptime-497 critical H1 n=1 first=1727870400 @6:4") != NULL, "%s", out);
    cr_expect_str_eq(strstr(out, "errors:"), "errors:");
    free(out);
    /* Blank lines only: a text dump with nothing in it, at any chunking. */
    out = scan_all_ways("\n\n \r\n");
    cr_expect_str_eq(out, "errors:");
    free(out);
}

Test(scan, damaged_stream_records_are_reported_and_the_rest_is_read)
{
    char *out = scan_all_ways("FAKE\nBAD\n6013 H1 1000 42953114\nBAD\n");
    cr_expect(strstr(out, "uptime-497 critical H1") != NULL, "%s", out);
    cr_expect(strstr(out, "errors:5:bad record;31:bad record;") != NULL, "%s", out);
    free(out);
}

Test(scan, observations_with_unsettled_dates_wait_for_the_input_to_settle_them)
{
    /* Guessed times are held and read again once settled; settled or not,
     * at the end of the input they are judged on what it settled. */
    char *out = scan_all_ways("FAKE\n6013 H1 ?1000 42953114\n6013 H1 ?2000 42953115\nSETTLE\n6013 H1 5000 42953116\n");
    cr_expect(strstr(out, "uptime-497 critical H1 n=3 first=4600") != NULL, "%s", out);
    free(out);
    out = scan_all_ways("FAKE\n6013 H1 ?1000 42953114\n");
    cr_expect(strstr(out, "first=1000") != NULL, "%s", out);
    free(out);
}

/* A pattern that hits at every byte of a line longer than half a block gives
 * more hits than one pass holds, and no line end to split at: the line is
 * matched only as far as hits can count, and the run goes on. */
Test(scan, a_line_of_more_hits_than_one_pass_holds_does_not_end_the_run)
{
    rig r;
    rig_make(&r);
    sift_patset ps = { 0 };
    sift_pattern pat = { "x", 0, SIFT_ROLE_TRIGGER, 0, { 0 } };
    sift_patmeta meta = { SIFT_ROLE_TRIGGER, 0, 0 };
    ps.pats = &pat;
    ps.meta = &meta;
    ps.n = 1;
    sift_matcher *m = NULL;
    char msg[128];
    cr_assert_eq(sift_matcher_create(&pat, 1, &m, msg, sizeof msg), SIFT_OK, "%s", msg);
    sift_scan_cfg sc = { r.formats, r.n_formats, &ps, m, r.hosts, r.paths, on_error, &r };
    sift_scan *s = sift_scan_create(&sc);
    cr_assert_not_null(s);
    sbuf b = { 0 };
    sb_printf(&b, "first line\n");
    for (size_t i = 0; i < 200u * 1024u; i++)
        sb_add(&b, "x", 1);
    sb_printf(&b, "\nlast line x\n");
    cr_assert_eq(sift_scan_begin(s, "x.txt", 0, SIFT_LIT("H"), 0, UINT32_MAX), SIFT_OK);
    sift_in in = { (const uint8_t *)b.p, b.n, 0 };
    cr_expect_eq(sift_scan_run(s, &in, SIFT_SCAN_EOF), SIFT_OK);
    const sift_scan_stats *st = sift_scan_get_stats(s);
    cr_expect_eq(st->bytes, b.n);
    cr_expect_eq(st->lines, 3);
    sift_scan_free(s);
    sift_matcher_free(m);
    free(b.p);
    rig_free(&r);
}

/* The engine asks frame() only about lines whose first byte a format's
 * frame_lead allows: a line of any other first byte must be one its frame()
 * turns away. Frame lines of every line format, with each byte in turn put
 * first, hold every frame_lead to that. */
Test(scan, frame_lead_rules_out_only_bytes_no_frame_line_starts_with)
{
    static const char *const frames[] = {
        "Log Name:      Application",
        "LogName:      Application",
        "Event[12]:",
        "\xE3\x83\xAD\xE3\x82\xB0\xE3\x81\xAE\xE5\x90\x8D\xE5\x89\x8D:         Application",
        "07/10/2024 09:00:00 AM",
        "2024/07/10 09:00:00 LogName=Application",
        "LogName=Application",
        "logname=Application EventCode=1000",
        "SourceName=Application Error EventCode=1000 Type=Error",
        "EventCode=1000 LogName=Application",
        "Type=Error EventCode=1000",
        "ComputerName=H EventCode=1000",
        "RecordNumber=5 EventCode=1000",
        "Date=07/10/2024 09:00:00 AM",
        "TaskCategory=None EventCode=1000",
        "OpCode=Info EventCode=1000",
        "Keywords=Classic EventCode=1000",
        "User=N/A EventCode=1000",
        "Sid=S-1-5-18 EventCode=1000",
        "Category=0 EventCode=1000",
        "<13>Jul 10 09:00:00 RDG01 MSWinEventLog\t1\tApplication\t101\tWed Jul 10 09:00:00 2024\t1000",
        "<14>Jul 10 12:00:00 SQL-OLD01 nxWinEvt[2764]: {\"EventID\":6013}",
    };
    size_t n;
    const sift_format *const *all = sift_registry(&n);
    size_t asked = 0;
    for (size_t f = 0; f < n; f++) {
        const sift_line_ops *ops = all[f]->line;
        if (!ops || !ops->frame || !ops->frame_lead)
            continue;
        for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++) {
            char line[256];
            size_t len = strlen(frames[i]);
            memcpy(line, frames[i], len);
            if (ops->frame(sift_slice_make(line, len)))
                asked++;
            for (unsigned b = 0; b < 256; b++) {
                line[0] = (char)b;
                if (ops->frame(sift_slice_make(line, len)))
                    cr_expect(ops->frame_lead((uint8_t)b), "%s: byte 0x%02x opens %s", all[f]->name, b, frames[i]);
            }
        }
    }
    /* The samples are frame lines of the formats that have a frame_lead. */
    cr_expect_geq(asked, 10u);
}
