/* test_pscsv.c - the "ps-csv" format: PowerShell's Export-Csv of
 * Get-WinEvent and Get-EventLog, as the engine sees it (decoded UTF-8),
 * through the registry, every input behind a guard page. */
#include <criterion/criterion.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>

#include "stream_harness.h"
#include "sift_pscsv.h"

#define OPS (sift_pscsv_format.stream)
#define FIXTURES SIFT_SOURCE_DIR "/corpus/formats/ps-csv"

/* ---- samples ----------------------------------------------------------------- */

#define TYPE_WINEVENT "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"
#define HEADER_WINEVENT                                                                                        \
    "\"Message\",\"Id\",\"Version\",\"Qualifiers\",\"Level\",\"Task\",\"Opcode\",\"Keywords\",\"RecordId\","   \
    "\"ProviderName\",\"ProviderId\",\"LogName\",\"ProcessId\",\"ThreadId\",\"MachineName\",\"UserId\","       \
    "\"TimeCreated\",\"ActivityId\",\"RelatedActivityId\",\"ContainerLog\",\"MatchedQueryIds\",\"Bookmark\","  \
    "\"LevelDisplayName\",\"OpcodeDisplayName\",\"TaskDisplayName\",\"KeywordsDisplayNames\",\"Properties\"\r\n"
#define TYPE_EVENTLOG "#TYPE System.Diagnostics.EventLogEntry#System/EventLog/6013\r\n"
#define HEADER_EVENTLOG                                                                                       \
    "\"EventID\",\"MachineName\",\"Data\",\"Index\",\"Category\",\"CategoryNumber\",\"EntryType\",\"Message\"," \
    "\"Source\",\"ReplacementStrings\",\"InstanceId\",\"TimeGenerated\",\"TimeWritten\",\"UserName\",\"Site\","  \
    "\"Container\"\r\n"
/* Select-Object TimeCreated, Id, ProviderName, Message | Export-Csv (7) */
#define HEADER_SUBSET "\"TimeCreated\",\"Id\",\"ProviderName\",\"Message\"\r\n"
#define GOOD "\"7/10/2024 12:00:00 PM\",\"6013\",\"EventLog\",\"The system uptime is 1 seconds.\"\r\n"
#define GOOD_LEN (sizeof GOOD - 1)

/* 2024-07-10T00:00:00 as seconds since the epoch, wall clock. */
#define JUL10 INT64_C(1720569600)

/* A fixture as the engine hands it over: UTF-8, BOM removed. from: the
 * file's encoding, as iconv names it. Caller frees. */
static char *fixture(const char *name, const char *from, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", FIXTURES, name);
    size_t raw_n;
    char *raw = sb_slurp(path, &raw_n);
    char *out = malloc(4 * raw_n + 1);
    cr_assert_not_null(out);
    iconv_t cd = iconv_open("UTF-8", from);
    cr_assert(cd != (iconv_t)-1, "%s", from);
    char *ip = raw, *op = out;
    size_t il = raw_n, ol = 4 * raw_n;
    cr_assert_neq(iconv(cd, &ip, &il, &op, &ol), (size_t)-1, "%s is %s", name, from);
    iconv_close(cd);
    *n = 4 * raw_n - ol;
    /* the BOM (UTF-8's, or UTF-16's converted to U+FEFF) */
    if (*n >= 3 && memcmp(out, "\xef\xbb\xbf", 3) == 0) {
        memmove(out, out + 3, *n - 3);
        *n -= 3;
    }
    free(raw);
    return out;
}

/* What decode() gives beyond what the harness keeps: the columns located by
 * the header. */
typedef struct located {
    char computer[64], channel[32];
    uint64_t record_id;
    uint16_t qualifiers;
    unsigned have;
} located;

static void copy_slice(char *dst, size_t cap, sift_slice s)
{
    cr_assert_lt(s.len, cap);
    if (s.len)
        memcpy(dst, s.ptr, s.len);
    dst[s.len] = '\0';
}

/* The records of text, whole, decoded: up to cap of them into out. */
static size_t decode_all(const char *text, size_t len, located *out, size_t cap)
{
    void *state = aligned_alloc(16, (OPS->state_size + 15) / 16 * 16);
    cr_assert_not_null(state);
    OPS->init(state);
    sift_rec recs[16];
    guard_buf g = guard_copy(text, len);
    sift_in in = { g.ptr, g.len, 0 };
    size_t n = 0;
    sift_status st;
    do {
        sift_recs batch = { recs, 16, 0 };
        sift_error err = { SIFT_OK, 0, NULL };
        st = OPS->finish(state, &in, 0, &batch, &err);
        cr_assert(!sift_is_error(st), "%s at %llu", err.detail, (unsigned long long)err.offset);
        for (size_t i = 0; i < batch.n && n < cap; i++, n++) {
            sift_event ev;
            cr_assert_eq(OPS->decode(state, &recs[i], &ev, &err), SIFT_OK);
            copy_slice(out[n].computer, sizeof out[n].computer, ev.computer);
            copy_slice(out[n].channel, sizeof out[n].channel, ev.channel);
            out[n].record_id = ev.record_id;
            out[n].qualifiers = ev.qualifiers;
            out[n].have = ev.have;
        }
    } while (st == SIFT_OK);
    guard_free(&g);
    free(state);
    return n;
}

/* The RDG01 fixture named name, in encoding from: its four records. */
static sh_run rdg01_crashes(const char *name, const char *from, char **text, size_t *n)
{
    *text = fixture(name, from, n);
    sh_run run = sh_frame(OPS, *text, *n, 0, 16, 1);
    const sh_run *r = &run;
    const char *what = name;
    cr_assert_eq(r->errors, 0, "%s", what);
    cr_assert_eq(r->records, 4, "%s", what);
    /* newest first, as PowerShell lists them: the decoy at 11:00, then
     * the three crashes half an hour apart */
    static const int64_t at[4] = { JUL10 + 11 * 3600, JUL10 + 10 * 3600, JUL10 + 9 * 3600 + 1800, JUL10 + 9 * 3600 };
    for (size_t i = 0; i < 4; i++) {
        const sh_item *it = &r->it[i];
        cr_expect_eq(it->id, 1000, "%s %zu", what, i);
        cr_expect_str_eq(it->provider, "Application Error", "%s %zu", what, i);
        cr_expect_eq(it->level, SIFT_LEVEL_ERROR, "%s %zu", what, i);
        cr_expect(it->time.valid && it->time.utc == 0 && it->time.secs == at[i], "%s %zu: %lld", what, i,
                  (long long)it->time.secs);
        cr_expect_str_eq(it->fld[SIFT_FLD_APP_NAME], i ? "svchost.exe_TSGateway" : "notepad.exe", "%s %zu", what, i);
        cr_expect_str_eq(it->fld[SIFT_FLD_EXCEPTION_CODE], "0xc0000005", "%s %zu", what, i);
        cr_expect_str_eq(it->fld[SIFT_FLD_MODULE_NAME], i ? "aaedge.dll" : "ntdll.dll", "%s %zu", what, i);
        cr_expect_str_eq(it->fld[SIFT_FLD_APP_VERSION], i ? "10.0.20348.2582" : "10.0.20348.2461", "%s %zu", what, i);
        cr_expect_str_eq(it->fld[SIFT_FLD_MODULE_VERSION], "10.0.20348.2582", "%s %zu", what, i);
    }
    return run;
}

/* SQL-OLD01's 6013 at noon, as the item it framed. */
static void expect_uptime(const sh_item *it)
{
    cr_expect_not(it->is_error);
    cr_expect_eq(it->id, 6013, "EventID, not InstanceId 2147489661");
    cr_expect_str_eq(it->provider, "EventLog");
    cr_expect_eq(it->level, SIFT_LEVEL_INFO);
    cr_expect_str_eq(it->fld[SIFT_FLD_UPTIME], "43200000");
    cr_expect_eq(it->time.secs, JUL10 + 12 * 3600);
}

/* ---- registration and sniffing ----------------------------------------------- */

Test(pscsv, is_registered_after_the_event_viewer_saves_with_every_hook)
{
    size_t n, at = SIZE_MAX, evsave = SIZE_MAX;
    const sift_format *const *f = sift_registry(&n);
    for (size_t i = 0; i < n; i++) {
        at = f[i] == &sift_pscsv_format ? i : at;
        evsave = strcmp(f[i]->name, "evsave-csv") == 0 ? i : evsave;
    }
    cr_assert_neq(at, SIZE_MAX);
    cr_assert_gt(at, evsave);
    cr_expect_str_eq(sift_pscsv_format.name, "ps-csv");
    cr_expect_eq(sift_pscsv_format.produces, SIFT_PRODUCES_EVENTS);
    cr_expect(sift_pscsv_format.line == NULL && sift_pscsv_format.n_patterns == 0 && !sift_pscsv_format.container);
    cr_assert(OPS->sniff && OPS->init && OPS->next && OPS->finish && OPS->decode && OPS->retime && OPS->settled &&
              OPS->describe);
}

/* What is claimed, by ps-csv and by no other stream format. */
Test(pscsv, claims_its_type_lines_and_headers_and_nothing_else_does)
{
    static const char *const mine[] = {
        TYPE_WINEVENT,
        "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord",
        "#TYPE Selected.System.Diagnostics.Eventing.Reader.EventLogRecord\r\n",
        TYPE_EVENTLOG,
        "#TYPE System.Diagnostics.EventLogEntry#Application/Application Error/1000\n",
        "#TYPE System.Diagnostics.EventLogEntry\r\n",
        HEADER_WINEVENT,
        HEADER_EVENTLOG,
        HEADER_SUBSET,
        "\"Message\",\"Source\",\"EventID\"\r\n",
        "Id,ProviderName,Message\n", /* -UseQuotes Never */
    };
    size_t n;
    const sift_format *const *f = sift_registry(&n);
    for (size_t k = 0; k < sizeof mine / sizeof mine[0]; k++)
        for (size_t i = 0; i < n; i++)
            if (f[i]->stream)
                cr_expect_eq(f[i]->stream->sniff(sift_slice_make(mine[k], strlen(mine[k]))),
                             f[i] == &sift_pscsv_format, "%s on %s", f[i]->name, mine[k]);
    static const char *const others[] = {
        "Level,Date and Time,Source,Event ID,Task Category\r\n",
        "Level,Date and Time,Source,Event ID,Task Category,Message\r\n",
        "レベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ\r\n",
        "#TYPE System.Management.Automation.PSCustomObject\r\n",
        "#TYPE System.Diagnostics.EventLogEntryX\r\n",
        "#TYPE \r\n",
        "#type System.Diagnostics.EventLogEntry\r\n",
        "\"Id\",\"ProviderName\",\"TimeCreated\"\r\n", /* no Message */
        "\"Message\",\"ProviderName\"\r\n",            /* no id */
        "\"Message\",\"Id\",\"LogName\"\r\n",          /* no provider */
        "\"Message,\"Id\",\"ProviderName\"\r\n",       /* a quote left open */
        "Log Name:      Application\r\n",
        "",
        "\r\n",
    };
    for (size_t k = 0; k < sizeof others / sizeof others[0]; k++)
        cr_expect_not(OPS->sniff(sift_slice_make(others[k], strlen(others[k]))), "%s", others[k]);
}

/* ---- the fixtures: field values ---------------------------------------------- */

Test(pscsv, get_winevent_5_1_english_gives_every_field)
{
    size_t n;
    char *t;
    sh_run r = rdg01_crashes("en/rdg01-application-winevent.csv", "UTF-8", &t, &n);
    cr_expect_eq(r.it[3].line, 36);
    cr_expect_str_eq(r.describe, "dates month-first (default; no unambiguous date)");
    cr_expect_eq(strncmp(r.it[1].message, "Faulting application name: svchost.exe_TSGateway", 48), 0);
    located l[4];
    cr_assert_eq(decode_all(t, n, l, 4), 4);
    for (size_t i = 0; i < 4; i++) {
        cr_expect_str_eq(l[i].computer, "RDG01.corp.example.com");
        cr_expect_str_eq(l[i].channel, "Application");
        cr_expect(l[i].have & SIFT_EV_RECORD_ID);
        cr_expect_eq(l[i].record_id, 104 - i);
        cr_expect_not(l[i].have & SIFT_EV_QUALIFIERS, "Qualifiers is empty for a manifest provider");
    }
    sh_free(&r);
    free(t);
}

Test(pscsv, get_eventlog_english_gives_every_field)
{
    size_t n;
    char *t;
    sh_run r = rdg01_crashes("en/rdg01-application-eventlog.csv", "UTF-8", &t, &n);
    located l[4];
    cr_assert_eq(decode_all(t, n, l, 4), 4);
    for (size_t i = 0; i < 4; i++) {
        cr_expect_str_eq(l[i].computer, "RDG01.corp.example.com");
        cr_expect_str_eq(l[i].channel, "", "Get-EventLog has no LogName column");
        cr_expect_eq(l[i].record_id, 104 - i, "Index is the record number");
    }
    sh_free(&r);
    free(t);

    t = fixture("en/sql-old01-system-eventlog.csv", "UTF-8", &n);
    r = sh_frame(OPS, t, n, 0, 16, 1);
    cr_assert_eq(r.records, 1);
    expect_uptime(&r.it[0]);
    sh_free(&r);
    free(t);
}

Test(pscsv, powershell_7_without_type_line_gives_every_field)
{
    size_t n;
    char *t = fixture("en/sql-old01-system-winevent-ps7.csv", "UTF-8", &n);
    sh_run r = sh_frame(OPS, t, n, 0, 16, 1);
    cr_assert_eq(r.errors, 0);
    cr_assert_eq(r.records, 1);
    cr_expect_eq(r.it[0].line, 2);
    expect_uptime(&r.it[0]); /* its level from Level 4 */
    cr_expect_str_eq(r.it[0].message, "The system uptime is 43200000 seconds.");
    located l[1];
    cr_assert_eq(decode_all(t, n, l, 1), 1);
    cr_expect_str_eq(l[0].computer, "SQL-OLD01.corp.example.com");
    cr_expect_str_eq(l[0].channel, "System");
    cr_expect_eq(l[0].record_id, 5001);
    cr_expect(l[0].have & SIFT_EV_QUALIFIERS);
    cr_expect_eq(l[0].qualifiers, 32768);
    sh_free(&r);
    free(t);
}

/* Written on ja-JP in CP932 (-Encoding Default), UTF-16LE (-Encoding
 * Unicode) and UTF-8 with BOM (-Encoding UTF8): Japanese messages, level
 * names and year-first dates. */
Test(pscsv, japanese_exports_in_each_encoding_give_every_field)
{
    size_t n;
    char *t;
    sh_run r = rdg01_crashes("ja/rdg01-application-winevent-cp932.csv", "CP932", &t, &n);
    cr_expect_str_eq(r.describe, "dates year-first (no day/month order to decide)");
    cr_expect_eq(r.guessed, 0);
    sh_free(&r);
    free(t);

    static const char *const uptime[][2] = {
        { "ja/sql-old01-system-eventlog-utf16.csv", "UTF-16" },
        { "ja/sql-old01-system-winevent-utf8bom.csv", "UTF-8" },
    };
    for (size_t k = 0; k < 2; k++) {
        t = fixture(uptime[k][0], uptime[k][1], &n);
        r = sh_frame(OPS, t, n, 0, 16, 1);
        cr_assert_eq(r.errors, 0, "%s", uptime[k][0]);
        cr_assert_eq(r.records, 1, "%s", uptime[k][0]);
        expect_uptime(&r.it[0]);
        cr_expect_str_eq(r.it[0].message, "システムの稼働時間は 43200000 秒です。");
        sh_free(&r);
        free(t);
    }
}

/* The columns are found by name: any order, any subset, names in any case,
 * and a column past the 32nd is never one of them. */
Test(pscsv, columns_are_located_by_name_in_any_order)
{
    static const char text[] = "\"message\",\"PROVIDERNAME\",\"Extra\",\"id\",\"TimeCreated\"\r\n"
                               "\"The system uptime is 7 seconds.\",\"EventLog\",\"x\",\"6013\",\"2024/07/10 12:00:00\"\r\n";
    sh_run r = sh_frame(OPS, text, sizeof text - 1, 0, 16, 1);
    cr_assert_eq(r.errors, 0);
    cr_assert_eq(r.records, 1);
    cr_expect_eq(r.it[0].id, 6013);
    cr_expect_str_eq(r.it[0].provider, "EventLog");
    cr_expect_str_eq(r.it[0].fld[SIFT_FLD_UPTIME], "7");
    cr_expect_eq(r.it[0].time.secs, JUL10 + 12 * 3600);
    cr_expect_eq(r.it[0].level, SIFT_LEVEL_NONE);
    sh_free(&r);

    /* 40 columns, the id the 40th: the header locates no id */
    char wide[1024];
    size_t w = (size_t)snprintf(wide, sizeof wide, "\"ProviderName\",\"Message\"");
    for (int i = 2; i < 39; i++)
        w += (size_t)snprintf(wide + w, sizeof wide - w, ",\"c%d\"", i);
    w += (size_t)snprintf(wide + w, sizeof wide - w, ",\"Id\"\r\n");
    r = sh_frame(OPS, wide, w, 0, 16, 1);
    cr_assert_eq(r.n, 1);
    cr_expect(r.it[0].is_error && r.it[0].code == SIFT_ERR_SYNTAX && r.it[0].offset == 0, "the header refused");
    sh_free(&r);
    char both[2048];
    w = (size_t)snprintf(both, sizeof both, "%s\"EventLog\",\"m\"", wide);
    for (int i = 2; i < 39; i++)
        w += (size_t)snprintf(both + w, sizeof both - w, ",\"\"");
    w += (size_t)snprintf(both + w, sizeof both - w, ",\"6013\"\r\n");
    r = sh_frame(OPS, both, w, 0, 16, 1);
    cr_assert_eq(r.n, 2);
    cr_expect(r.it[0].is_error && r.it[0].code == SIFT_ERR_SYNTAX && r.it[0].offset == 0);
    cr_expect(r.it[1].is_error, "and its record then has no id column");
    sh_free(&r);
}

/* ---- hostile inputs ------------------------------------------------------------ */

typedef struct hostile {
    const char *name;
    const char *body; /* after HEADER_SUBSET */
    size_t len;       /* of body: bodies may hold NULs */
    const char *kinds; /* 'r' record, 's' syntax, 'n' number, 'l' too long */
    uint64_t at[4];    /* offsets from the body's start */
} hostile;

#define H(name, body, kinds, ...) { name, body, sizeof body - 1, kinds, { __VA_ARGS__ } }

static const hostile hostiles[] = {
    H("three fields", "\"7/10/2024 12:00:00 PM\",\"6013\",\"EventLog\"\r\n" GOOD, "sr", 0, 43),
    H("five fields", "\"x\",\"6013\",\"EventLog\",\"m\",\"extra\"\r\n" GOOD, "sr", 0, 35),
    H("id above 65535", "\"x\",\"65536\",\"EventLog\",\"m\"\r\n" GOOD, "nr", 5, 28),
    H("id empty", "\"x\",\"\",\"EventLog\",\"m\"\r\n" GOOD, "nr", 5, 23),
    H("id not a number", "\"x\",\"System.Int32\",\"EventLog\",\"m\"\r\n" GOOD, "nr", 5, 35),
    H("text after a closing quote", "\"x\",\"1\",\"EventLog\",\"m\"junk\r\n" GOOD, "sr", 22, 28),
    H("nul bytes are data", "\"x\",\"1\",\"Event\0Log\",\"a\0b\"\r\n" GOOD, "rr", 0, 27),
    H("binary junk", "\x01\x02\xff\xfe\x80junk\r\n" GOOD, "sr", 0, 11),
    H("a second type line is a record", TYPE_WINEVENT GOOD, "sr", 0, sizeof TYPE_WINEVENT - 1),
    H("the header again", HEADER_SUBSET GOOD, "nr", 15, sizeof HEADER_SUBSET - 1),
    H("a quote never closed", GOOD "\"x\",\"1\",\"EventLog\",\"open\r\nmore\r\n", "rss", 0, GOOD_LEN + 19,
      GOOD_LEN + 26),
};

Test(pscsv, hostile_records_are_reported_at_their_offsets_and_the_rest_is_read)
{
    for (size_t k = 0; k < sizeof hostiles / sizeof hostiles[0]; k++) {
        const hostile *h = &hostiles[k];
        const size_t hl = sizeof HEADER_SUBSET - 1;
        char *t = malloc(hl + h->len);
        cr_assert_not_null(t);
        memcpy(t, HEADER_SUBSET, hl);
        memcpy(t + hl, h->body, h->len);
        sh_run r = sh_frame(OPS, t, hl + h->len, 0, 16, 1);
        cr_assert_eq(r.n, strlen(h->kinds), "%s: %zu items", h->name, r.n);
        for (size_t i = 0; i < r.n; i++) {
            const sh_item *it = &r.it[i];
            const char want = h->kinds[i];
            cr_expect_eq(it->is_error, want != 'r', "%s: item %zu", h->name, i);
            if (want == 's' || want == 'n')
                cr_expect_eq(it->code, want == 's' ? SIFT_ERR_SYNTAX : SIFT_ERR_NUMBER, "%s: item %zu", h->name, i);
            cr_expect_eq(it->offset, hl + h->at[i], "%s: item %zu at %llu", h->name, i,
                         (unsigned long long)(it->offset - hl));
        }
        sh_run c = sh_frame(OPS, t, hl + h->len, 1, 1, 1);
        sh_expect_same(&r, &c, h->name);
        sh_free(&c);
        sh_free(&r);
        free(t);
    }
}

/* A Message of 1 MiB, and a header that is not one: each reported, and
 * the records after them read. */
Test(pscsv, a_huge_message_or_a_bad_header_costs_only_itself)
{
    const size_t fill = 1u << 20;
    const char *head = HEADER_SUBSET "\"x\",\"1\",\"EventLog\",\"";
    const size_t hl = strlen(head);
    char *t = malloc(hl + fill + 3 + GOOD_LEN);
    cr_assert_not_null(t);
    memcpy(t, head, hl);
    memset(t + hl, 'a', fill);
    memcpy(t + hl + fill, "\"\r\n", 3);
    memcpy(t + hl + fill + 3, GOOD, GOOD_LEN);
    const size_t n = hl + fill + 3 + GOOD_LEN;
    for (size_t chunk = 0; chunk <= 65536; chunk += 65536) {
        sh_run r = sh_frame(OPS, t, n, chunk, 16, 1);
        cr_assert_eq(r.n, 2, "chunk %zu", chunk);
        cr_expect_eq(r.it[0].code, SIFT_ERR_TOO_LONG);
        cr_expect_eq(r.it[0].offset, sizeof HEADER_SUBSET - 1 + 19, "at the Message's opening quote");
        cr_expect_not(r.it[1].is_error);
        cr_expect_eq(r.it[1].offset, n - GOOD_LEN);
        cr_expect_eq(r.it[1].id, 6013);
        sh_free(&r);
    }
    free(t);

    static const char bad[] = TYPE_WINEVENT "\"Message\",\"TimeCreated\"\r\n" GOOD;
    sh_run r = sh_frame(OPS, bad, sizeof bad - 1, 0, 16, 1);
    cr_assert_eq(r.n, 2);
    cr_expect(r.it[0].is_error && r.it[0].code == SIFT_ERR_SYNTAX);
    cr_expect_eq(r.it[0].offset, sizeof TYPE_WINEVENT - 1, "the header line, after the type line");
    cr_expect(r.it[1].is_error, "no column located: the record is reported, not guessed at");
    sh_free(&r);
}

/* ---- prefixes and chunking --------------------------------------------------------- */

static const char mixed[] = HEADER_SUBSET GOOD "\"13/07/2024 09:00:00\",\"6013\",\"EventLog\",\"up \"\"2\"\"\r\n\"\r\n"
                                               "\"x\",\"65536\",\"EventLog\",\"m\"\r\n"
                                               "\r\n"
                                               "\"x\",\"1\",\"EventLog\",\"a\"b\r\n"
                                               "\"01/07/2024 09:00:00\",\"6013\",\"EventLog\",\"m\"\r\n" GOOD
                                               "\"x\",\"2\",\"EventLog\",\"never";

Test(pscsv, every_prefix_frames_the_first_records_of_the_whole)
{
    static const char *const files[][2] = {
        { "en/rdg01-application-winevent.csv", "UTF-8" },
        { "en/rdg01-application-eventlog.csv", "UTF-8" },
        { "ja/rdg01-application-winevent-cp932.csv", "CP932" },
        { "ja/sql-old01-system-eventlog-utf16.csv", "UTF-16" },
    };
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        size_t n;
        char *t = fixture(files[k][0], files[k][1], &n);
        sh_expect_every_prefix(OPS, t, n);
        free(t);
    }
}

Test(pscsv, output_does_not_depend_on_chunking)
{
    sh_run r = sh_frame(OPS, mixed, sizeof mixed - 1, 0, 64, 1);
    cr_expect_eq(r.errors, 3);
    cr_expect_eq(r.records, 4);
    cr_expect_str_eq(r.describe, "dates day-first (decided at line 3: 13/07/2024)");
    sh_free(&r);
    sh_expect_chunking_invariant(OPS, mixed, sizeof mixed - 1);
    size_t n;
    char *t = fixture("ja/rdg01-application-winevent-cp932.csv", "CP932", &n);
    sh_expect_chunking_invariant(OPS, t, n);
    free(t);
}

/* ---- the fuzzer's seeds -------------------------------------------------------------- */

Test(pscsv, the_seeds_frame_alike_whole_and_in_pieces)
{
    static const struct {
        const char *name;
        size_t records, errors;
    } seeds[] = {
        { "winevent_51_en_crash.csv", 2, 0 },
        { "eventlog_51_6013.csv", 1, 0 },
        { "subset_ps7_reordered.csv", 2, 0 },
        { "hostile_mixed.csv", 4, 3 },
    };
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/corpus/fuzz_pscsv/%s", SIFT_SOURCE_DIR, seeds[i].name);
        size_t n;
        char *t = sb_slurp(path, &n);
        cr_expect(OPS->sniff(sift_slice_make(t, n < SIFT_SNIFF_BYTES ? n : SIFT_SNIFF_BYTES)), "%s", path);
        sh_run r = sh_frame(OPS, t, n, 0, 16, 1);
        cr_expect_eq(r.records, seeds[i].records, "%s: %zu records", path, r.records);
        cr_expect_eq(r.errors, seeds[i].errors, "%s: %zu errors", path, r.errors);
        sh_run c = sh_frame(OPS, t, n, 7, 2, 1);
        sh_expect_same(&r, &c, path);
        sh_free(&c);
        sh_free(&r);
        free(t);
    }
}
