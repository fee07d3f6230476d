/* test_snare.c - Snare MSWinEventLog records: fields by position from the
 * reference's records and the fixtures' (syslog, pure Snare, rsyslog's
 * #011), versions with and without a data string or trailing counter,
 * locale dates (English, French, Japanese), every prefix, short and TAB-less
 * records, hostile lines, the engine in any read size, and logsift over the
 * fixture set. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guard.h"
#include "line_format_harness.h"
#include "sbuf.h"
#include "sift_snare.h"

#define BASE 5000u

/* The reference's record (C.7): French date and message, no data string. */
static const char fr_sample[] = "<13> Aug 31 15:46:47 HOST MSWinEventLog\t1\tSystem\t287\tven. août 26 16:45:45 2014\t4\t"
                                "Virtual Disk Service\tConstantin\tN/A\tInformation\tHOST\tNone\t Le service s’est "
                                "arrêté.\t119";
/* The reference's illustrative 6013. */
static const char en_6013[] = "<13>Jul 23 12:00:00 APP-SQL02 MSWinEventLog\t1\tSystem\t5123\tTue Jul 23 12:00:00 2024\t"
                              "6013\tEventLog\tN/A\tN/A\tInformation\tAPP-SQL02\tNone\tThe system uptime is 42953114 "
                              "seconds.\t88123\n";
/* A crash with an empty data string before the flattened message. */
static const char en_1000[] =
    "<11>Jul 10 09:00:00 RDG01 MSWinEventLog\t2\tApplication\t101\tWed Jul 10 09:00:00 2024\t1000\tApplication Error\t"
    "N/A\tN/A\tError\tRDG01.corp.example.com\t(100)\t\tFaulting application name: svchost.exe_TSGateway, version: "
    "10.0.20348.2582, time stamp: 0x6a8f2f5d Faulting module name: aaedge.dll, version: 10.0.20348.2582, time stamp: "
    "0x1b2c3d4e Exception code: 0xc0000005 Fault offset: 0x000000000001a2b3 Faulting process id: 0x1f4c\t101\r\n";
/* Japanese: Snare's own host prefix, Japanese date and flattened message. */
static const char ja_1000[] =
    "RDG01\tMSWinEventLog\t2\tApplication\t101\t水 7月 10 09:00:00 2024\t1000\tApplication Error\tN/A\tN/A\tError\t"
    "RDG01.corp.example.com\t(100)\t\t障害が発生しているアプリケーション名: svchost.exe_TSGateway、バージョン: "
    "10.0.20348.2582、タイム スタンプ: 0x6a8f2f5d 障害が発生しているモジュール名: aaedge.dll、バージョン: "
    "10.0.20348.2582、タイム スタンプ: 0x1b2c3d4e 例外コード: 0xc0000005 障害オフセット: 0x000000000001a2b3\t101";
static const char ja_6013[] = "SQL-OLD01\tMSWinEventLog\t1\tSystem\t5001\t水 7月 10 21:00:00 2024\t6013\tEventLog\tN/A\t"
                              "N/A\tInformation\tSQL-OLD01.corp.example.com\tなし\t\tシステムの稼働時間は 43200000 "
                              "秒です。\t5001";
/* rsyslog's escaping, behind an RFC 5424 header, no computer field. */
static const char escaped_6013[] = "<14>1 2024-07-10T12:00:00Z SQL-OLD01 - - - MSWinEventLog#0111#011System#0115001#011"
                                   "Wed Jul 10 21:00:00 2024#0116013#011EventLog#011N/A#011N/A#011Information#011N/A"
                                   "#011None#011#011The system uptime is 43200000 seconds.#0115001";

LF_PARSER(sift_snare_rec, sift_snare_parse, sift_snare_format, BASE)

/* ---- fields from realistic records ------------------------------------------------ */

Test(snare, reference_record_reads_every_field_by_position)
{
    parsed p = parse_str(fr_sample);
    cr_assert_eq(p.st, SIFT_OK);
    lf_expect_slice(p.r.host, "HOST", "host");
    lf_expect_slice(p.r.criticality, "1", "criticality");
    lf_expect_slice(p.r.log_name, "System", "log name");
    lf_expect_slice(p.r.counter, "287", "counter");
    lf_expect_slice(p.r.date, "ven. août 26 16:45:45 2014", "date");
    cr_expect_eq(p.r.event_id, 4);
    lf_expect_slice(p.r.source, "Virtual Disk Service", "source");
    lf_expect_slice(p.r.user, "Constantin", "user");
    lf_expect_slice(p.r.sid_type, "N/A", "SID type");
    lf_expect_slice(p.r.event_type, "Information", "event type");
    lf_expect_slice(p.r.computer, "HOST", "computer");
    lf_expect_slice(p.r.category, "None", "category");
    lf_expect_slice(p.r.message, "Le service s’est arrêté.", "message, without the trailing counter");
    cr_expect_eq(p.r.fields, 13);
    cr_expect_eq(p.r.escaped, 0);
    cr_expect_eq(p.ev.level, SIFT_LEVEL_INFO);
    lf_expect_time(p.ev.time, "2014-08-26T16:45:45");
    guard_free(&p.g);
}

Test(snare, crash_and_uptime_records_give_their_canonical_fields)
{
    parsed p = parse_str(en_1000);
    cr_assert_eq(p.st, SIFT_OK);
    cr_expect_eq(p.ev.id, 1000);
    lf_expect_slice(p.ev.provider, "Application Error", "provider");
    lf_expect_slice(p.ev.channel, "Application", "channel");
    lf_expect_slice(p.ev.computer, "RDG01.corp.example.com", "computer");
    cr_expect_eq(p.ev.level, SIFT_LEVEL_ERROR);
    lf_expect_time(p.ev.time, "2024-07-10T09:00:00");
    cr_expect(sift_slice_starts_with(p.ev.message, SIFT_LIT("Faulting application name:")), "past the empty data string");
    lf_expect_slice(p.ev.fld[SIFT_FLD_APP_NAME], "svchost.exe_TSGateway", "application");
    lf_expect_slice(p.ev.fld[SIFT_FLD_MODULE_NAME], "aaedge.dll", "module");
    lf_expect_slice(p.ev.fld[SIFT_FLD_MODULE_VERSION], "10.0.20348.2582", "module version");
    lf_expect_slice(p.ev.fld[SIFT_FLD_EXCEPTION_CODE], "0xc0000005", "exception code");
    guard_free(&p.g);

    p = parse_str(en_6013);
    cr_assert_eq(p.st, SIFT_OK);
    lf_expect_slice(p.ev.fld[SIFT_FLD_UPTIME], "42953114", "uptime");
    lf_expect_slice(p.ev.message, "The system uptime is 42953114 seconds.", "message");
    lf_expect_time(p.ev.time, "2024-07-23T12:00:00");
    guard_free(&p.g);
}

Test(snare, japanese_records_read_their_dates_and_messages)
{
    parsed p = parse_str(ja_1000);
    cr_assert_eq(p.st, SIFT_OK);
    lf_expect_slice(p.r.host, "RDG01", "Snare's own host field");
    lf_expect_time(p.ev.time, "2024-07-10T09:00:00");
    lf_expect_slice(p.ev.fld[SIFT_FLD_APP_NAME], "svchost.exe_TSGateway", "application");
    lf_expect_slice(p.ev.fld[SIFT_FLD_MODULE_NAME], "aaedge.dll", "module");
    lf_expect_slice(p.ev.fld[SIFT_FLD_EXCEPTION_CODE], "0xc0000005", "exception code");
    guard_free(&p.g);
    p = parse_str(ja_6013);
    cr_assert_eq(p.st, SIFT_OK);
    lf_expect_slice(p.ev.fld[SIFT_FLD_UPTIME], "43200000", "uptime");
    lf_expect_time(p.ev.time, "2024-07-10T21:00:00");
    guard_free(&p.g);
}

Test(snare, escaped_tabs_and_the_syslog_host_stand_in_for_a_missing_computer)
{
    parsed p = parse_str(escaped_6013);
    cr_assert_eq(p.st, SIFT_OK);
    cr_expect_eq(p.r.escaped, 1);
    lf_expect_slice(p.r.host, "SQL-OLD01", "the RFC 5424 host, nil fields skipped");
    lf_expect_slice(p.ev.computer, "SQL-OLD01", "N/A computer: the prefix's host");
    lf_expect_slice(p.ev.fld[SIFT_FLD_UPTIME], "43200000", "uptime");
    guard_free(&p.g);
}

typedef struct rest_case {
    char rest[96];
    char message[32];
} rest_case;

ParameterizedTestParameters(snare, the_message_by_version_of_the_fields_after_the_category)
{
    static rest_case cases[] = {
        { "msg", "msg" },                                         /* message only */
        { "msg\t119", "msg" },                                    /* and a counter */
        { "\tmsg\t119", "msg" },                                  /* an empty data string first */
        { "data\tmsg", "msg" },                                   /* data string, no counter */
        { "msg\t0123456789abcdef0123456789ABCDEF", "msg" },       /* an MD5 checksum */
        { "42", "42" },                                           /* a message of digits, alone */
        { "\t\t", "" },                                           /* nothing */
        { "msg\t\t7", "msg" },
    };
    return cr_make_param_array(rest_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(rest_case *c, snare, the_message_by_version_of_the_fields_after_the_category)
{
    char rec[256];
    snprintf(rec, sizeof rec, "MSWinEventLog\t1\tSystem\t1\tWed Jul 10 09:00:00 2024\t7036\tSCM\tN/A\tN/A\t"
                              "Information\tH\tNone\t%s",
             c->rest);
    parsed p = parse_str(rec);
    cr_assert_eq(p.st, SIFT_OK);
    lf_expect_slice(p.r.message, c->message, c->rest);
    guard_free(&p.g);
}

/* ---- dates -------------------------------------------------------------------------- */

typedef struct date_case {
    char text[48];
    char want[24];
} date_case;

ParameterizedTestParameters(snare, locale_dates)
{
    static date_case cases[] = {
        { "Wed Jul 10 09:00:00 2024", "2024-07-10T09:00:00" },
        { "Jul 10 09:00:00 2024", "2024-07-10T09:00:00" },
        { "ven. août 26 16:45:45 2014", "2014-08-26T16:45:45" },
        { "mar. mars 5 08:00:00 2024", "2024-03-05T08:00:00" }, /* mardi, then March */
        { "mer. juil. 10 09:00:00 2024", "2024-07-10T09:00:00" },
        { "lun. févr. 26 01:02:03 2024", "2024-02-26T01:02:03" },
        { "jeu. déc. 12 23:59:59 2024", "2024-12-12T23:59:59" },
        { "sam. aout 3 10:00:00 2024", "2024-08-03T10:00:00" },
        { "dimanche septembre 1 10:00:00 2024", "2024-09-01T10:00:00" },
        { "水 7月 10 18:00:00 2024", "2024-07-10T18:00:00" },
        { "月 12月 30 00:00:00 2024", "2024-12-30T00:00:00" },
        { "2024-07-10 09:00:00", "2024-07-10T09:00:00" },
        { "Wed Jul 32 09:00:00 2024", "" },
        { "mer. juil. 10 25:00:00 2024", "" },
        { "水 13月 10 18:00:00 2024", "" },
        { "Wed Foo 10 09:00:00 2024", "" },
        { "", "" },
    };
    return cr_make_param_array(date_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(date_case *c, snare, locale_dates)
{
    guard_buf g = guard_copy(c->text, strlen(c->text));
    sift_when w;
    const int ok = sift_snare_time(sift_slice_make(g.ptr, g.len), &w);
    cr_expect_eq(ok, c->want[0] != '\0', "%s", c->text);
    cr_expect_eq(ok, w.valid);
    if (ok) {
        lf_expect_time(w, c->want);
        cr_expect_eq(w.utc, 0);
    }
    guard_free(&g);
}

/* ---- framing, errors ------------------------------------------------------------------ */

Test(snare, frame_lines_need_the_mswineventlog_word_near_the_start)
{
    static const char *const yes[] = { "MSWinEventLog\t1", "<13>Jul 1 00:00:00 H MSWinEventLog\tx",
                                       "H MSWinEventLog 1 System", "MSWinEventLog", "H#011MSWinEventLog#0111" };
    static const char *const no[] = { "", "MSWinEventLogs\t1", "xMSWinEventLog\t1", "mswineventlog\t1", "MSWinEvent" };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_expect(sift_snare_frame(sift_slice_make(yes[i], strlen(yes[i]))), "\"%s\"", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_expect(!sift_snare_frame(sift_slice_make(no[i], strlen(no[i]))), "\"%s\"", no[i]);
    sbuf b = { 0 };
    while (b.n < SIFT_SNARE_PREFIX_MAX)
        sb_add(&b, "x ", 2);
    sb_printf(&b, "MSWinEventLog\t1");
    cr_expect(!sift_snare_frame(sift_slice_make(b.p, b.n)), "past the prefix limit");
    free(b.p);
}

Test(snare, tabless_and_short_records_are_errors_with_their_offsets)
{
    static const char tabless[] = "<13>Jul 10 09:00:00 H MSWinEventLog 1 System 5 Wed Jul 10 09:00:00 2024 6013";
    parsed p = parse_str(tabless);
    cr_expect_eq(p.st, SIFT_ERR_SYNTAX);
    cr_expect_eq(p.err.offset, BASE + strlen("<13>Jul 10 09:00:00 H MSWinEventLog"));
    cr_expect_eq(p.ev.have, 0);
    guard_free(&p.g);

    static const char shortrec[] = "MSWinEventLog\t1\tSystem\t5\tWed Jul 10 09:00:00 2024\t6013\tEventLog\r\nnext";
    p = parse_str(shortrec);
    cr_expect_eq(p.st, SIFT_ERR_SYNTAX);
    cr_expect_eq(p.r.fields, 6);
    cr_expect_eq(p.err.offset, BASE + strlen(shortrec) - strlen("\r\nnext"), "at the line end");
    guard_free(&p.g);

    p = parse_str("no token here\tat all");
    cr_expect_eq(p.st, SIFT_ERR_SYNTAX);
    cr_expect_eq(p.err.offset, BASE);
    guard_free(&p.g);

    static const char badid[] = "MSWinEventLog\t1\tSystem\t5\tWed Jul 10 09:00:00 2024\t60x3\tEventLog\tN/A\tN/A\t"
                                "Information\tH\tNone\tmsg";
    p = parse_str(badid);
    cr_expect_eq(p.st, SIFT_ERR_NUMBER);
    cr_expect_eq(p.err.offset, BASE + (size_t)(strstr(badid, "60x3") - badid));
    guard_free(&p.g);
}

Test(snare, the_first_token_followed_by_a_separator_is_the_records)
{
    parsed p = parse_str("<14>1 2024-07-10T12:00:00Z H MSWinEventLog - - MSWinEventLog\t1\tSystem\t5\t"
                         "Wed Jul 10 09:00:00 2024\t6013\tEventLog\tN/A\tN/A\tInformation\tH\tNone\tup 5");
    cr_assert_eq(p.st, SIFT_OK);
    cr_expect_eq(p.r.event_id, 6013);
    lf_expect_slice(p.r.host, "MSWinEventLog", "the word before the token");
    guard_free(&p.g);
}

/* Every prefix: an error (short, or before the token a syntax error at the
 * record) until the twelfth field begins, then the record; a prefix never
 * reads a field the whole record does not have where it has it. */
Test(snare, every_prefix_parses_what_is_there)
{
    static const char *const recs[] = { fr_sample, en_6013, en_1000, ja_1000, ja_6013, escaped_6013 };
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
        const size_t n = strlen(recs[i]);
        parsed whole = parse_bytes(recs[i], n);
        cr_assert_eq(whole.st, SIFT_OK, "record %zu", i);
        int ok_seen = 0;
        for (size_t k = 0; k <= n; k++) {
            parsed p = parse_bytes(recs[i], k);
            cr_assert(p.st == SIFT_OK || p.st == SIFT_ERR_SYNTAX || p.st == SIFT_ERR_NUMBER, "record %zu prefix %zu", i,
                      k);
            if (p.st == SIFT_OK) {
                ok_seen = 1;
                cr_assert_eq(p.r.event_id, whole.r.event_id, "record %zu prefix %zu", i, k);
                cr_assert_geq(p.r.fields, SIFT_SNARE_MIN_FIELDS);
            } else {
                cr_assert(!ok_seen || p.st == SIFT_ERR_SYNTAX, "record %zu prefix %zu", i, k);
                cr_assert(!ok_seen, "once whole enough, a longer prefix stays a record: %zu %zu", i, k);
            }
            const sift_slice pf[] = { p.r.log_name, p.r.source, p.r.computer, p.r.date };
            const sift_slice wf[] = { whole.r.log_name, whole.r.source, whole.r.computer, whole.r.date };
            for (size_t f = 0; f < 4; f++)
                if (pf[f].len)
                    cr_assert_eq(pf[f].ptr - p.g.ptr, wf[f].ptr - whole.g.ptr, "record %zu prefix %zu", i, k);
            guard_free(&p.g);
        }
        cr_assert(ok_seen);
        guard_free(&whole.g);
    }
}

Test(snare, hostile_lines_ten_thousand_fields_nul_and_binary)
{
    sbuf b = { 0 };
    sb_printf(&b, "MSWinEventLog\t1\tSystem\t5\tWed Jul 10 09:00:00 2024\t6013\tEventLog\tN/A\tN/A\tInformation\tH\t"
                  "None\tThe system uptime is 9 seconds.");
    for (int i = 0; i < 10000; i++)
        sb_add(&b, "\t", 1);
    sb_printf(&b, "7");
    const double t0 = lf_now();
    parsed p = parse_bytes(b.p, b.n);
    cr_assert_eq(p.st, SIFT_OK);
    cr_expect_eq(p.r.fields, 12 + 10000);
    lf_expect_slice(p.r.message, "The system uptime is 9 seconds.", "the last non-empty field before the counter");
    guard_free(&p.g);
    /* A 200 KiB message, and #011 runs. */
    b.n = 0;
    sb_printf(&b, "MSWinEventLog#0111#011System#0115#011d#0111000#011Application Error#011u#011s#011Error#011H#011c#011");
    for (int i = 0; i < 200 * 1024; i++)
        sb_add(&b, i % 3 ? "#" : "0", 1);
    p = parse_bytes(b.p, b.n);
    cr_expect_eq(p.st, SIFT_OK);
    cr_expect_lt(lf_now() - t0, 0.5);
    guard_free(&p.g);
    free(b.p);

    static const char nul[] = "MSWinEventLog\t1\tSys\0tem\t5\t\0\t6013\tEventLog\t\xffN/A\tN/A\tInformation\t\0\tNone\t"
                              "The \0uptime is 12 s";
    p = parse_bytes(nul, sizeof nul - 1);
    cr_assert_eq(p.st, SIFT_OK);
    cr_expect_eq(p.r.log_name.len, 7);
    cr_expect_eq(p.ev.time.valid, 0);
    lf_expect_slice(p.ev.fld[SIFT_FLD_UPTIME], "12", "uptime");
    guard_free(&p.g);

    srand(11);
    uint8_t buf[2048];
    memcpy(buf, "MSWinEventLog\t", 14);
    for (int round = 0; round < 300; round++) {
        for (size_t i = 14; i < sizeof buf; i++)
            buf[i] = (uint8_t)(rand() % 3 == 0 ? "\t\n #"[rand() % 4] : rand());
        parsed q = parse_bytes(buf, 14 + (size_t)(rand() % (int)(sizeof buf - 14)));
        cr_assert(q.st == SIFT_OK || q.st == SIFT_ERR_SYNTAX || q.st == SIFT_ERR_NUMBER);
        guard_free(&q.g);
    }
}

/* ---- through the engine --------------------------------------------------------------- */

static const char *const fixtures[] = {
    "corpus/formats/snare/rdg01-syslog.log",
    "corpus/formats/snare/sql-old01-syslog.log",
    "corpus/formats/snare/ja-rdg01-sql-old01.log",
    "corpus/formats/snare/syslog-server-mixed.log",
};

Test(engine, the_fixture_set_in_any_read_size_gives_the_same_findings)
{
    sbuf b = { 0 };
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        size_t n;
        char *t = lf_slurp(fixtures[i], &n);
        sb_add(&b, t, n);
        free(t);
        sb_printf(&b, "Jul 10 12:00:01 lnx01 kernel: [6013.000] eth0: link up\n");
    }
    lf_result whole = lf_run("syslog", b.p, b.n, 0, NULL);
    lf_expect_fixture_findings(&whole, "whole");
    static const size_t sizes[] = { 1, 3, 64, 1000, 4097 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        lf_result r = lf_run("syslog", b.p, b.n, sizes[i], NULL);
        lf_expect_same(&whole, &r, sizes[i]);
        lf_free(&r);
    }
    lf_result only = lf_run("syslog", b.p, b.n, 0, "snare");
    lf_expect_same(&whole, &only, 0);
    lf_free(&only);
    lf_free(&whole);
    free(b.p);
}

Test(engine, a_short_record_is_reported_and_the_records_around_it_still_count)
{
    size_t n;
    char *t = lf_slurp("corpus/formats/snare/rdg01-syslog.log", &n);
    sbuf b = { 0 };
    static const char cut[] = "<11>Jul 10 08:00:00 RDG01 MSWinEventLog\t2\tApplication\t100\tWed Jul 10 08:00:00 2024\t"
                              "1000\tsvchost.exe_TSGateway";
    sb_printf(&b, "%s\n", cut);
    sb_add(&b, t, n);
    lf_result r = lf_run("short.log", b.p, b.n, 0, NULL);
    cr_expect_eq(r.rc, 2, "%s", r.out);
    char want[64];
    snprintf(want, sizeof want, "logsift: short.log: offset %zu: ", strlen(cut));
    cr_expect(strstr(r.err, want) != NULL, "%s", r.err);
    cr_expect_not_null(lf_finding(r.out, "rdgw-crash", "RDG01.corp.example.com"), "%s", r.out);
    lf_free(&r);
    free(b.p);
    free(t);
}

/* ---- end to end ------------------------------------------------------------------------- */

Test(cli, logsift_over_the_snare_fixtures_finds_the_crash_loop_and_the_uptime)
{
    lf_result r = lf_cli("corpus/formats/snare");
    lf_expect_fixture_findings(&r, "corpus/formats/snare");
    lf_free(&r);
    r = lf_cli("corpus/formats/snare/ja-rdg01-sql-old01.log");
    lf_expect_fixture_findings(&r, "Japanese");
    lf_free(&r);
    r = lf_cli("-f snare corpus/formats/snare/syslog-server-mixed.log");
    lf_expect_fixture_findings(&r, "French dates, #011, mixed syslog");
    lf_free(&r);
}
