/* test_splunk.c - Splunk classic WinEventLog key=value records: fields from
 * realistic records (multi-line, single-line, Japanese), framing, every
 * prefix, hostile records, the engine in any read size, and logsift over
 * the fixture set. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guard.h"
#include "line_format_harness.h"
#include "sbuf.h"
#include "sift_splunk.h"

#define BASE 1000u

static const char en_1000[] =
    "07/10/2024 09:00:00 AM\r\n"
    "LogName=Application\r\n"
    "SourceName=Application Error\r\n"
    "EventCode=1000\r\n"
    "EventType=2\r\n"
    "Type=Error\r\n"
    "ComputerName=RDG01.corp.example.com\r\n"
    "TaskCategory=(100)\r\n"
    "OpCode=Info\r\n"
    "RecordNumber=101\r\n"
    "Keywords=Classic\r\n"
    "Message=Faulting application name: svchost.exe_TSGateway, version: 10.0.20348.2582, time stamp: 0x6a8f2f5d\r\n"
    "Faulting module name: aaedge.dll, version: 10.0.20348.2582, time stamp: 0x1b2c3d4e\r\n"
    "Exception code: 0xc0000005\r\n"
    "Fault offset: 0x000000000001a2b3\r\n"
    "Faulting process id: 0x1f4c\r\n"
    "Faulting application path: C:\\Windows\\system32\\svchost.exe\r\n"
    "Report Id: 6f1b1a2c-3d4e-4f50-8a9b-0c1d2e3f4a5b\r\n"
    "Faulting package full name: \r\n"
    "Faulting package-relative application ID: \r\n";

/* The reference's layout (C.1 c), LF line ends. */
static const char en_6013[] = "07/23/2024 12:00:00 PM\n"
                              "LogName=System\n"
                              "SourceName=EventLog\n"
                              "EventCode=6013\n"
                              "EventType=4\n"
                              "Type=Information\n"
                              "ComputerName=APP-SQL02.corp.example.com\n"
                              "TaskCategory=None\n"
                              "RecordNumber=88123\n"
                              "Keywords=Classic\n"
                              "Message=The system uptime is 42953114 seconds.\n";

static const char ja_1000[] =
    "2024/07/10 9:00:00\n"
    "LogName=Application\n"
    "SourceName=Application Error\n"
    "EventCode=1000\n"
    "EventType=2\n"
    "Type=エラー\n"
    "ComputerName=RDG01.corp.example.com\n"
    "RecordNumber=101\n"
    "Keywords=クラシック\n"
    "Message=障害が発生しているアプリケーション名: svchost.exe_TSGateway、バージョン: 10.0.20348.2582、タイム スタンプ: 0x6a8f2f5d\n"
    "障害が発生しているモジュール名: aaedge.dll、バージョン: 10.0.20348.2582、タイム スタンプ: 0x1b2c3d4e\n"
    "例外コード: 0xc0000005\n"
    "障害オフセット: 0x000000000001a2b3\n";

static const char ja_6013[] = "2024/07/10 21:00:00\r\n"
                              "LogName=System\r\n"
                              "SourceName=EventLog\r\n"
                              "EventCode=6013\r\n"
                              "Type=情報\r\n"
                              "ComputerName=SQL-OLD01.corp.example.com\r\n"
                              "Message=システムの稼働時間は 43200000 秒です。\r\n";

/* Single-line records: the older Sourcename spelling, Source, a Date key;
 * the message flattened onto the line. The line after is not theirs. */
static const char single_sourcename[] =
    "07/10/2024 09:30:00 AM LogName=Application Sourcename=Application Error EventCode=1000 EventType=2 "
    "Type=Error ComputerName=RDG01.corp.example.com TaskCategory=(100) RecordNumber=102 Keywords=Classic "
    "Message=Faulting application name: svchost.exe_TSGateway, version: 10.0.20348.2582, time stamp: 0x6a8f2f5d "
    "Faulting module name: aaedge.dll, version: 10.0.20348.2582, time stamp: 0x1b2c3d4e Exception code: 0xc0000005 "
    "Fault offset: 0x000000000001a2b3\n"
    "Jul 10 09:30:03 lnx01 CRON[3120]: (root) CMD (true)\n";
static const char single_source[] = "LogName=System Source=EventLog EventCode=6013 Type=Information "
                                    "ComputerName=SQL-OLD01 Message=The system uptime is 43200000 seconds.\n";
static const char single_date_key[] = "Date=07/10/2024 09:00:00 PM LogName=System SourceName=EventLog EventCode=6013 "
                                      "ComputerName=SQL-OLD01 Message=The system uptime is 43200000 seconds.";

LF_PARSER(sift_splunk_rec, sift_splunk_parse, sift_splunk_format, BASE)

/* ---- fields from realistic records --------------------------------------------- */

Test(splunk, multi_line_1000_gives_every_field_and_the_crash_fields)
{
    parsed p = parse_str(en_1000);
    cr_assert_eq(p.st, SIFT_OK);
    lf_expect_slice(p.r.date, "07/10/2024 09:00:00 AM", "date");
    lf_expect_slice(p.r.log_name, "Application", "log name");
    lf_expect_slice(p.r.source, "Application Error", "source");
    lf_expect_slice(p.r.type, "Error", "type");
    lf_expect_slice(p.r.event_type, "2", "event type");
    lf_expect_slice(p.r.computer, "RDG01.corp.example.com", "computer");
    lf_expect_slice(p.r.record_number, "101", "record number");
    cr_expect_eq(p.r.event_code, 1000);
    cr_expect_eq(p.r.keys, 11);
    cr_expect(sift_slice_starts_with(p.r.message, SIFT_LIT("Faulting application name: svchost")));
    cr_expect(p.r.message.ptr[p.r.message.len - 1] == ':', "trimmed of its line end and blank");

    cr_expect_eq(p.ev.id, 1000);
    cr_expect_eq(p.ev.level, SIFT_LEVEL_ERROR);
    cr_expect(p.ev.have & SIFT_EV_RECORD_ID);
    cr_expect_eq(p.ev.record_id, 101);
    lf_expect_time(p.ev.time, "2024-07-10T09:00:00");
    lf_expect_slice(p.ev.fld[SIFT_FLD_APP_NAME], "svchost.exe_TSGateway", "application");
    lf_expect_slice(p.ev.fld[SIFT_FLD_APP_VERSION], "10.0.20348.2582", "application version");
    lf_expect_slice(p.ev.fld[SIFT_FLD_MODULE_NAME], "aaedge.dll", "module");
    lf_expect_slice(p.ev.fld[SIFT_FLD_EXCEPTION_CODE], "0xc0000005", "exception code");
    guard_free(&p.g);
}

Test(splunk, reference_6013_gives_the_uptime_and_information_level)
{
    parsed p = parse_str(en_6013);
    cr_assert_eq(p.st, SIFT_OK);
    lf_expect_slice(p.ev.provider, "EventLog", "provider");
    lf_expect_slice(p.ev.channel, "System", "channel");
    lf_expect_slice(p.ev.computer, "APP-SQL02.corp.example.com", "computer");
    lf_expect_slice(p.ev.message, "The system uptime is 42953114 seconds.", "message");
    lf_expect_slice(p.ev.fld[SIFT_FLD_UPTIME], "42953114", "uptime");
    cr_expect_eq(p.ev.level, SIFT_LEVEL_INFO);
    cr_expect_eq(p.ev.record_id, 88123);
    lf_expect_time(p.ev.time, "2024-07-23T12:00:00");
    guard_free(&p.g);
}

Test(splunk, japanese_records_read_their_dates_levels_and_messages)
{
    parsed p = parse_str(ja_1000);
    cr_assert_eq(p.st, SIFT_OK);
    cr_expect_eq(p.ev.level, SIFT_LEVEL_ERROR);
    lf_expect_time(p.ev.time, "2024-07-10T09:00:00");
    lf_expect_slice(p.ev.fld[SIFT_FLD_APP_NAME], "svchost.exe_TSGateway", "application");
    lf_expect_slice(p.ev.fld[SIFT_FLD_MODULE_NAME], "aaedge.dll", "module");
    lf_expect_slice(p.ev.fld[SIFT_FLD_MODULE_VERSION], "10.0.20348.2582", "module version");
    lf_expect_slice(p.ev.fld[SIFT_FLD_EXCEPTION_CODE], "0xc0000005", "exception code");
    guard_free(&p.g);
    p = parse_str(ja_6013);
    cr_assert_eq(p.st, SIFT_OK);
    cr_expect_eq(p.ev.level, SIFT_LEVEL_INFO);
    lf_expect_time(p.ev.time, "2024-07-10T21:00:00");
    lf_expect_slice(p.ev.fld[SIFT_FLD_UPTIME], "43200000", "uptime");
    guard_free(&p.g);
}

Test(splunk, single_line_records_end_each_value_at_the_next_key_and_the_message_at_the_line_end)
{
    parsed p = parse_str(single_sourcename);
    cr_assert_eq(p.st, SIFT_OK);
    lf_expect_slice(p.r.date, "07/10/2024 09:30:00 AM", "date");
    lf_expect_slice(p.ev.provider, "Application Error", "Sourcename");
    lf_expect_slice(p.ev.computer, "RDG01.corp.example.com", "computer");
    cr_expect_eq(p.ev.record_id, 102);
    cr_expect(sift_slice_find(p.ev.message, SIFT_LIT("CRON")) == p.ev.message.len, "the next line is not the message's");
    /* The flattened message still gives the crash's fields. */
    lf_expect_slice(p.ev.fld[SIFT_FLD_MODULE_NAME], "aaedge.dll", "module");
    lf_expect_slice(p.ev.fld[SIFT_FLD_EXCEPTION_CODE], "0xc0000005", "exception code");
    guard_free(&p.g);

    p = parse_str(single_source);
    cr_assert_eq(p.st, SIFT_OK);
    lf_expect_slice(p.ev.provider, "EventLog", "Source");
    lf_expect_slice(p.ev.computer, "SQL-OLD01", "computer");
    cr_expect_eq(p.r.date.len, 0);
    cr_expect_eq(p.ev.time.valid, 0);
    lf_expect_slice(p.ev.fld[SIFT_FLD_UPTIME], "43200000", "uptime");
    guard_free(&p.g);

    p = parse_str(single_date_key);
    cr_assert_eq(p.st, SIFT_OK);
    lf_expect_time(p.ev.time, "2024-07-10T21:00:00");
    lf_expect_slice(p.ev.message, "The system uptime is 43200000 seconds.", "message");
    guard_free(&p.g);
}

Test(splunk, keys_match_without_case_only_at_a_line_start_or_after_a_blank)
{
    parsed p = parse_str("07/10/2024 09:00:00 AM\nlogname=System\nSOURCENAME=EventLog\neventcode=6013\n"
                         "X-EventCode=1\nSidType=3 Type=Warning\nMessage=a EventCode=7 Type=Error\n");
    cr_assert_eq(p.st, SIFT_OK);
    cr_expect_eq(p.r.event_code, 6013);
    lf_expect_slice(p.r.log_name, "System", "log name");
    lf_expect_slice(p.r.source, "EventLog", "source");
    lf_expect_slice(p.r.type, "Warning", "Type after SidType, never inside it");
    lf_expect_slice(p.r.message, "a EventCode=7 Type=Error", "nothing after Message= is a key");
    guard_free(&p.g);
}

/* ---- header dates -------------------------------------------------------------- */

typedef struct date_case {
    char text[48];
    char want[24];
} date_case;

ParameterizedTestParameters(splunk, header_dates_in_the_exporting_locale)
{
    static date_case cases[] = {
        { "07/10/2024 09:00:00 AM", "2024-07-10T09:00:00" }, /* en-US */
        { "7/10/2024 9:00:00 PM", "2024-07-10T21:00:00" },
        { "10/07/2024 09:00:00", "2024-07-10T09:00:00" },    /* en-GB, fr-FR: day first */
        { "13/07/2024 09:00:00", "2024-07-13T09:00:00" },
        { "10.07.2024 09:00:00", "2024-07-10T09:00:00" },    /* de-DE */
        { "10-07-2024 09:00:00", "2024-07-10T09:00:00" },    /* nl-NL */
        { "2024/07/10 9:00:00", "2024-07-10T09:00:00" },     /* ja-JP */
    };
    return cr_make_param_array(date_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(date_case *c, splunk, header_dates_in_the_exporting_locale)
{
    char rec[160];
    snprintf(rec, sizeof rec, "%s\nLogName=System\nEventCode=6013\n", c->text);
    parsed p = parse_str(rec);
    cr_assert_eq(p.st, SIFT_OK, "%s", c->text);
    lf_expect_time(p.ev.time, c->want);
    lf_expect_slice(p.ev.time_text, c->text, "time text");
    guard_free(&p.g);
}

/* ---- framing ------------------------------------------------------------------- */

Test(splunk, frame_lines_accepted_and_refused)
{
    static const char *const yes[] = {
        "07/10/2024 09:00:00 AM", "07/10/2024 09:00:00 AM\r", "2024/07/10 9:00:00", "10.07.2024 09:00:00  ",
        "07/10/2024 09:00:00 AM LogName=System", "Date=07/10/2024 09:00:00 AM",
        "LogName=System EventCode=6013", "Sourcename=EventLog eventcode=6013 Message=x",
    };
    static const char *const no[] = {
        "", "LogName=System", "EventCode=6013", "Message=x EventCode=1", "2024-07-10T09:00:00Z",
        "2024-07-10 09:00:00", "07/10/2024", "Wed Jul 10 09:00:00 2024", "07/10/2024 09:00:00 AM and more",
        "13/13/2024 09:00:00", "Date=tomorrow", "LogName=System Message=EventCode=1", "Log Name: System",
        "1000", "07/10/2024 09:00:00 AM                                                    LogName=System",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_expect(sift_splunk_frame(sift_slice_make(yes[i], strlen(yes[i]))), "\"%s\"", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_expect(!sift_splunk_frame(sift_slice_make(no[i], strlen(no[i]))), "\"%s\"", no[i]);
}

/* ---- every prefix ---------------------------------------------------------------- */

typedef struct sample {
    const char *text;
    uint32_t id;
} sample;

static const sample samples[] = {
    { en_1000, 1000 }, { en_6013, 6013 }, { ja_1000, 1000 }, { ja_6013, 6013 }, { single_sourcename, 1000 },
    { single_source, 6013 }, { single_date_key, 6013 },
};
#define NSAMPLES (sizeof samples / sizeof samples[0])

ParameterizedTestParameters(splunk, every_prefix_parses_what_is_there)
{
    static int idx[NSAMPLES];
    for (size_t i = 0; i < NSAMPLES; i++)
        idx[i] = (int)i;
    return cr_make_param_array(int, idx, NSAMPLES);
}

/* A prefix is not a record until its first line is a frame, then parses
 * without an id until the first EventCode digit, then with the digits seen
 * so far; every field it has starts where it does in the whole record, and
 * no value before the message is longer than there. */
ParameterizedTest(int *i, splunk, every_prefix_parses_what_is_there)
{
    const sample *s = &samples[*i];
    const size_t n = strlen(s->text);
    const char *code = strstr(s->text, "EventCode=") + strlen("EventCode=");
    const size_t code_at = (size_t)(code - s->text);
    parsed whole = parse_bytes(s->text, n);
    cr_assert_eq(whole.st, SIFT_OK);
    cr_assert_eq(whole.r.event_code, s->id);
    const sift_slice wf[] = { whole.r.date,     whole.r.log_name, whole.r.source, whole.r.event_type, whole.r.type,
                              whole.r.computer, whole.r.record_number, whole.r.message };
    for (size_t k = 0; k <= n; k++) {
        parsed p = parse_bytes(s->text, k);
        /* On a single-line record, a cut inside the key after EventCode
         * leaves its partial name in the value until its '=' arrives. */
        int glued = 0;
        for (size_t j = code_at; j < k && s->text[j] != '\n'; j++)
            glued |= !(s->text[j] >= '0' && s->text[j] <= '9') && s->text[j] != ' ' && s->text[j] != '\r';
        if (k > code_at && !(glued && p.st == SIFT_ERR_NUMBER)) {
            uint32_t want = 0;
            for (size_t j = code_at; j < k && s->text[j] >= '0' && s->text[j] <= '9'; j++)
                want = want * 10 + (uint32_t)(s->text[j] - '0');
            cr_assert_eq(p.st, SIFT_OK, "prefix %zu: %d", k, p.st);
            cr_assert_eq(p.r.event_code, want, "prefix %zu", k);
            cr_assert_eq(p.ev.id, want, "prefix %zu", k);
        } else if (k > code_at) {
            cr_assert_eq(p.err.offset, BASE + code_at, "prefix %zu", k);
        } else {
            cr_assert(p.st == SIFT_ERR_SYNTAX || p.st == SIFT_ERR_MISSING || (p.st == SIFT_OK && p.r.keys == 0),
                      "prefix %zu: %d", k, p.st);
            cr_assert_eq(p.ev.have & SIFT_EV_ID, 0, "prefix %zu", k);
        }
        const sift_slice pf[] = { p.r.date,     p.r.log_name, p.r.source, p.r.event_type, p.r.type,
                                  p.r.computer, p.r.record_number, p.r.message };
        for (size_t f = 0; f < sizeof pf / sizeof pf[0]; f++) {
            if (!pf[f].len)
                continue;
            cr_assert_eq(pf[f].ptr - p.g.ptr, wf[f].ptr - whole.g.ptr, "prefix %zu field %zu", k, f);
            /* A value whose line the prefix holds whole is the whole's. */
            const char *from = s->text + (wf[f].ptr - whole.g.ptr), *eol = strchr(from, '\n');
            if (f + 1 < sizeof pf / sizeof pf[0] && eol && (size_t)(eol - s->text) < k)
                cr_assert_eq(pf[f].len, wf[f].len, "prefix %zu field %zu", k, f);
        }
        guard_free(&p.g);
    }
    guard_free(&whole.g);
}

Test(splunk, crlf_and_lf_give_the_same_fields)
{
    sbuf lf = { 0 };
    for (const char *c = en_1000; *c; c++)
        if (*c != '\r')
            sb_add(&lf, c, 1);
    parsed a = parse_str(en_1000), b = parse_bytes(lf.p, lf.n);
    cr_assert_eq(a.st, SIFT_OK);
    cr_assert_eq(b.st, SIFT_OK);
    cr_expect_eq(a.r.have, b.r.have);
    cr_expect_eq(a.r.keys, b.r.keys);
    cr_expect(sift_slice_eq(a.r.computer, b.r.computer) && sift_slice_eq(a.r.date, b.r.date));
    for (unsigned f = 0; f < SIFT_FLD_COUNT; f++)
        cr_expect(sift_slice_eq(a.ev.fld[f], b.ev.fld[f]), "%s", sift_fld_name((sift_fld)f));
    guard_free(&a.g);
    guard_free(&b.g);
    free(lf.p);
}

/* ---- errors and hostile records -------------------------------------------------- */

typedef struct code_case {
    char value[32];
    sift_status st;
    uint32_t id;
} code_case;

ParameterizedTestParameters(splunk, eventcode_values)
{
    static code_case cases[] = {
        { "1000", SIFT_OK, 1000 },          { " 6013 ", SIFT_OK, 6013 },        { "65535", SIFT_OK, 65535 },
        { "65536", SIFT_ERR_NUMBER, 0 },    { "-1", SIFT_ERR_NUMBER, 0 },       { "0x3e8", SIFT_ERR_NUMBER, 0 },
        { "99999999999999999999999", SIFT_ERR_NUMBER, 0 }, { "10 00", SIFT_ERR_NUMBER, 0 },
        { "", SIFT_ERR_MISSING, 0 },        { "   ", SIFT_ERR_MISSING, 0 },
    };
    return cr_make_param_array(code_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(code_case *c, splunk, eventcode_values)
{
    char rec[160];
    const int n = snprintf(rec, sizeof rec, "07/10/2024 09:00:00 AM\nLogName=System\nEventCode=%s\nType=Error\n",
                           c->value);
    parsed p = parse_bytes(rec, (size_t)n);
    cr_assert_eq(p.st, c->st, "\"%s\": %d", c->value, p.st);
    lf_expect_slice(p.r.type, "Error", "keys after a bad code are read");
    if (c->st == SIFT_OK) {
        cr_expect_eq(p.r.event_code, c->id);
    } else {
        cr_expect_eq(p.err.code, c->st);
        size_t at = BASE;
        if (c->st == SIFT_ERR_NUMBER)
            at += strlen("07/10/2024 09:00:00 AM\nLogName=System\nEventCode=") + strspn(c->value, " ");
        cr_expect_eq(p.err.offset, at, "offset %llu", (unsigned long long)p.err.offset);
        cr_expect_eq(p.ev.have, 0);
    }
    guard_free(&p.g);
}

Test(splunk, records_without_a_frame_line_are_syntax_errors_at_their_start)
{
    static const char *const bad[] = { "", "LogName=System\nEventCode=6013\n", "\n07/10/2024 09:00:00 AM\n",
                                       "garbage\x01\x02" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        parsed p = parse_str(bad[i]);
        cr_expect_eq(p.st, SIFT_ERR_SYNTAX, "case %zu", i);
        cr_expect_eq(p.err.offset, BASE);
        cr_expect_eq(p.r.have, 0);
        guard_free(&p.g);
    }
}

Test(splunk, a_date_line_above_other_text_is_no_record_and_no_error)
{
    parsed p = parse_str("07/10/2024 09:00:00 AM\nnetstat says 6013 things\n  Proto  Local Address\n");
    cr_expect_eq(p.st, SIFT_OK);
    cr_expect_eq(p.r.keys, 0);
    cr_expect_eq(p.ev.have, 0);
    guard_free(&p.g);
    /* Keys without EventCode are a damaged record, though. */
    p = parse_str("07/10/2024 09:00:00 AM\nLogName=System\nSourceName=EventLog\nMessage=The system uptime is 1\n");
    cr_expect_eq(p.st, SIFT_ERR_MISSING);
    cr_expect_eq(p.err.offset, BASE);
    guard_free(&p.g);
}

Test(splunk, nul_and_binary_bytes_stay_inside_their_values)
{
    static const char rec[] = "07/10/2024 09:00:00 AM\nLogName=Sys\0tem\nSourceName=EventLog\nType=\xff\xfe\x80\n"
                              "EventCode=6013\nComputerName=\0\0\nMessage=The system uptime is \0 42 seconds.\x01\n";
    parsed p = parse_bytes(rec, sizeof rec - 1);
    cr_assert_eq(p.st, SIFT_OK);
    cr_expect_eq(p.r.log_name.len, 7);
    cr_expect_eq(p.r.type.len, 3);
    cr_expect_eq(p.ev.level, SIFT_LEVEL_NONE);
    cr_expect_eq(p.r.computer.len, 2, "NUL is no blank: the value is kept");
    lf_expect_slice(p.ev.fld[SIFT_FLD_UPTIME], "42", "uptime");
    guard_free(&p.g);
    /* Random bytes behind a frame line: any status but a crash. */
    srand(9);
    uint8_t buf[4096];
    memcpy(buf, "07/10/2024 09:00:00 AM\n", 23);
    for (int round = 0; round < 200; round++) {
        for (size_t i = 23; i < sizeof buf; i++)
            buf[i] = (uint8_t)(rand() % 4 == 0 ? "=\n \t"[rand() % 4] : rand());
        parsed q = parse_bytes(buf, 23 + (size_t)(rand() % (int)(sizeof buf - 23)));
        cr_assert(q.st == SIFT_OK || q.st == SIFT_ERR_MISSING || q.st == SIFT_ERR_NUMBER);
        guard_free(&q.g);
    }
}

Test(splunk, ten_thousand_keys_and_huge_lines_read_in_linear_time)
{
    sbuf b = { 0 };
    sb_printf(&b, "07/10/2024 09:00:00 AM\n");
    for (int i = 0; i < 10000; i++)
        sb_printf(&b, i % 2 ? "Type=Warning%d\n" : "Custom%d=value\n", i);
    sb_printf(&b, "EventCode=6013\n");
    /* 64 KiB of keys on one line, and a 200 KiB message. */
    for (int i = 0; i < 6000; i++)
        sb_add(&b, " OpCode=1 ", 10);
    sb_add(&b, "\nMessage=", 9);
    for (int i = 0; i < 200 * 1024; i++)
        sb_add(&b, i % 80 ? "x" : "\n", 1);
    const double t0 = lf_now();
    parsed p = parse_bytes(b.p, b.n);
    const double dt = lf_now() - t0;
    cr_assert_eq(p.st, SIFT_OK);
    cr_expect_eq(p.r.event_code, 6013);
    lf_expect_slice(p.r.type, "Warning1", "the first Type wins");
    cr_expect_eq(p.r.keys, 5000 + 1 + 6000 + 1);
    cr_expect_gt(p.r.message.len, 200000);
    cr_expect_lt(dt, 0.5, "%.3f s", dt);
    guard_free(&p.g);
    /* One line of 64 KiB that is all " Type=": keys back to back. */
    sbuf l = { 0 };
    sb_printf(&l, "LogName=x EventCode=1");
    while (l.n < 65536)
        sb_add(&l, " Type=", 6);
    cr_expect(sift_splunk_frame(sift_slice_make(l.p, l.n)));
    p = parse_bytes(l.p, l.n);
    cr_expect_eq(p.st, SIFT_OK);
    guard_free(&p.g);
    free(l.p);
    free(b.p);
}

/* ---- through the engine ---------------------------------------------------------- */

static const char *const fixtures[] = {
    "corpus/formats/splunk/rdg01-application.log",
    "corpus/formats/splunk/sql-old01-system.log",
    "corpus/formats/splunk/ja-rdg01-sql-old01.log",
    "corpus/formats/splunk/siem-export-mixed.log",
};

/* The fixture files one after another, between other text a triage dump
 * holds (an Event Viewer record, a netstat table, a shell prompt). */
static sbuf fixture_dump(void)
{
    sbuf b = { 0 };
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        size_t n;
        char *t = lf_slurp(fixtures[i], &n);
        sb_add(&b, t, n);
        free(t);
        sb_printf(&b, "C:\\> netstat -ano\r\n\r\nActive Connections\r\n\r\n"
                      "  Proto  Local Address          Foreign Address        State           PID\r\n"
                      "  TCP    10.1.2.15:50112        10.1.2.5:445           ESTABLISHED     6013\r\n\r\n");
    }
    return b;
}

Test(engine, the_fixture_set_in_any_read_size_gives_the_same_findings)
{
    sbuf b = fixture_dump();
    lf_result whole = lf_run("dump.txt", b.p, b.n, 0, NULL);
    lf_expect_fixture_findings(&whole, "whole");
    static const size_t sizes[] = { 1, 2, 7, 64, 333, 4096, 65537 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        lf_result r = lf_run("dump.txt", b.p, b.n, sizes[i], NULL);
        lf_expect_same(&whole, &r, sizes[i]);
        lf_free(&r);
    }
    lf_result only = lf_run("dump.txt", b.p, b.n, 0, "splunk");
    lf_expect_same(&whole, &only, 0);
    lf_free(&only);
    lf_free(&whole);
    free(b.p);
}

Test(engine, every_prefix_of_a_record_is_processed_without_harm)
{
    size_t n;
    char *t = lf_slurp("corpus/formats/splunk/rdg01-application.log", &n);
    for (size_t k = 0; k <= n; k += 7) {
        lf_result r = lf_run("cut.log", t, k, 0, NULL);
        cr_assert(r.rc == 0 || r.rc == 1, "prefix %zu: rc %d: %s", k, r.rc, r.err);
        cr_assert_eq(r.err_len, 0, "prefix %zu: %s", k, r.err);
        lf_result s = lf_run("cut.log", t, k, 5, NULL);
        lf_expect_same(&r, &s, 5);
        lf_free(&r);
        lf_free(&s);
    }
    free(t);
}

Test(engine, a_damaged_record_is_reported_with_its_offset_and_the_rest_still_counts)
{
    size_t n;
    char *t = lf_slurp("corpus/formats/splunk/rdg01-application.log", &n);
    sbuf b = { 0 };
    sb_printf(&b, "07/10/2024 08:30:00 AM\nLogName=Application\nEventCode=10x0\n"
                  "Message=Faulting application name: svchost.exe_TSGateway, version: 1\n");
    sb_add(&b, t, n);
    lf_result r = lf_run("bad.log", b.p, b.n, 0, NULL);
    cr_expect_eq(r.rc, 2, "errors win: %s", r.out);
    cr_expect(strstr(r.err, "logsift: bad.log: offset 53: ") != NULL, "%s", r.err);
    cr_expect_not_null(lf_finding(r.out, "rdgw-crash", "RDG01.corp.example.com"), "%s", r.out);
    lf_free(&r);
    free(b.p);
    free(t);
}

/* ---- end to end ------------------------------------------------------------------- */

Test(cli, logsift_over_the_splunk_fixtures_finds_the_crash_loop_and_the_uptime)
{
    lf_result r = lf_cli("corpus/formats/splunk");
    lf_expect_fixture_findings(&r, "corpus/formats/splunk");
    lf_free(&r);
    /* Each language alone gives the same verdicts. */
    r = lf_cli("corpus/formats/splunk/ja-rdg01-sql-old01.log");
    lf_expect_fixture_findings(&r, "Japanese");
    lf_free(&r);
    r = lf_cli("-f splunk corpus/formats/splunk/rdg01-application.log corpus/formats/splunk/sql-old01-system.log");
    lf_expect_fixture_findings(&r, "English");
    lf_free(&r);
}
