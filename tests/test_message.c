/* test_message.c - sift_message: canonical fields from rendered Event 1000
 * and 6013 messages in English and Japanese, every message behind a guard
 * page, every field a slice of the message. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "sift_message.h"

static const char en_1000[] =
    "Faulting application name: svchost.exe_TSGateway, version: 10.0.20348.2322, time stamp: 0x5e3b2c51\r\n"
    "Faulting module name: aaedge.dll, version: 10.0.20348.2582, time stamp: 0x6f1c2d3e\r\n"
    "Exception code: 0xc0000005\r\n"
    "Fault offset: 0x000000000004b7a2\r\n"
    "Faulting process id: 0x1c4c\r\n"
    "Faulting application start time: 0x01dadcf1a2b3c4d5\r\n"
    "Faulting application path: C:\\Windows\\system32\\svchost.exe\r\n"
    "Faulting module path: C:\\Windows\\System32\\aaedge.dll\r\n"
    "Report Id: 3f6c1e2a-9b7d-4c11-8e0f-2a5b7c9d1e44\r\n"
    "Faulting package full name: \r\n"
    "Faulting package-relative application ID: ";

/* ja-JP before Windows 11 24H2: 障害が発生しているモジュール名. */
static const char ja_1000[] =
    "障害が発生しているアプリケーション名: svchost.exe_TSGateway、バージョン: 10.0.20348.2322、タイム スタンプ: 0x5e3b2c51\n"
    "障害が発生しているモジュール名: aaedge.dll、バージョン: 10.0.20348.2582、タイム スタンプ: 0x6f1c2d3e\n"
    "例外コード: 0xc0000005\n"
    "障害オフセット: 0x000000000004b7a2\n"
    "障害が発生しているプロセス ID: 0x1c4c\n"
    "障害が発生しているアプリケーション パス: C:\\Windows\\system32\\svchost.exe\n";

/* ja-JP since Windows 11 24H2: 障害が発生したモジュール名. */
static const char ja_1000_24h2[] =
    "障害が発生しているアプリケーション名: svchost.exe_TSGateway、バージョン: 10.0.26100.1、タイム スタンプ: 0x1\n"
    "障害が発生したモジュール名: ntdll.dll、バージョン: 10.0.26100.2、タイム スタンプ: 0x2\n"
    "例外コード: 0xc0000005\n";

typedef struct msg_run {
    guard_buf g;
    sift_event ev;
} msg_run;

static void expect_inside(const msg_run *r)
{
    for (unsigned f = 0; f < SIFT_FLD_COUNT; f++) {
        sift_slice s = r->ev.fld[f];
        if (!s.len)
            continue;
        cr_assert(s.ptr >= r->g.ptr && s.len <= r->g.len && (size_t)(s.ptr - r->g.ptr) <= r->g.len - s.len,
                  "%s is not a slice of the message", sift_fld_name((sift_fld)f));
    }
}

/* The fields of msg (len bytes) for provider and id, behind a guard page. */
static msg_run fields_of(const char *provider, uint16_t id, const char *msg, size_t len)
{
    msg_run r = { guard_copy(msg, len), { 0 } };
    r.ev.have = SIFT_EV_ID;
    r.ev.id = id;
    r.ev.provider = sift_slice_make(provider, strlen(provider));
    r.ev.message = sift_slice_make(r.g.ptr, r.g.len);
    sift_message_fields(&r.ev);
    expect_inside(&r);
    return r;
}

static msg_run crash_of(const char *msg)
{
    return fields_of("Application Error", 1000, msg, strlen(msg));
}

static void expect_fld(const msg_run *r, sift_fld f, const char *want)
{
    sift_slice s = r->ev.fld[f];
    if (!want) {
        cr_expect_eq(s.len, 0, "%s: \"%.*s\", expected none", sift_fld_name(f), (int)s.len, (const char *)s.ptr);
        return;
    }
    cr_expect(sift_slice_eq(s, sift_slice_make(want, strlen(want))), "%s: \"%.*s\", expected \"%s\"",
              sift_fld_name(f), (int)s.len, s.len ? (const char *)s.ptr : "", want);
}

typedef struct crash_case {
    const char *what, *msg;
    const char *app, *app_version, *module, *module_version, *code;
} crash_case;

/* Every field of each message as the case expects (NULL: none). */
static void expect_crashes(const crash_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const crash_case *c = &cases[i];
        msg_run r = crash_of(c->msg);
        cr_log_info("%s", c->what);
        expect_fld(&r, SIFT_FLD_APP_NAME, c->app);
        expect_fld(&r, SIFT_FLD_APP_VERSION, c->app_version);
        expect_fld(&r, SIFT_FLD_MODULE_NAME, c->module);
        expect_fld(&r, SIFT_FLD_MODULE_VERSION, c->module_version);
        expect_fld(&r, SIFT_FLD_EXCEPTION_CODE, c->code);
        expect_fld(&r, SIFT_FLD_UPTIME, NULL);
        guard_free(&r.g);
    }
}

Test(message, event_1000_gives_application_module_and_code_in_english_and_japanese)
{
    static const crash_case cases[] = {
        { "English", en_1000, "svchost.exe_TSGateway", "10.0.20348.2322", "aaedge.dll", "10.0.20348.2582",
          "0xc0000005" },
        { "Japanese", ja_1000, "svchost.exe_TSGateway", "10.0.20348.2322", "aaedge.dll", "10.0.20348.2582",
          "0xc0000005" },
        { "Japanese, 24H2 module label", ja_1000_24h2, "svchost.exe_TSGateway", "10.0.26100.1", "ntdll.dll",
          "10.0.26100.2", "0xc0000005" },
        { "indented labels", "  Faulting application name: a.exe, version: 1\n\tException code: c0000005",
          "a.exe", "1", NULL, NULL, "c0000005" },
        { "a name without a version", "Faulting application name: svchost.exe_TSGateway\nException code: 3221225477",
          "svchost.exe_TSGateway", NULL, NULL, NULL, "3221225477" },
        { "a second field that is not a version", "Faulting application name: a.exe, time stamp: 0x1", "a.exe",
          NULL, NULL, NULL, NULL },
        { "mixed separators: the first one ends the name",
          "障害が発生しているアプリケーション名: a.exe、バージョン: 2, time stamp: 0x1", "a.exe", "2", NULL, NULL,
          NULL },
        { "blanks around values", "Faulting application name:    a.exe  ,   version:  3  \r\nException code:   0x5  \r\n",
          "a.exe", "3", NULL, NULL, "0x5" },
        { "empty values", "Faulting application name:\nException code:\n", NULL, NULL, NULL, NULL, NULL },
        { "labels inside a line are not labels", "Note: Faulting application name: a.exe\nx Exception code: 1",
          NULL, NULL, NULL, NULL, NULL },
        { "labels are case-sensitive as Windows writes them", "faulting application name: a.exe\nEXCEPTION CODE: 1",
          NULL, NULL, NULL, NULL, NULL },
        { "a path line is not the name line",
          "Faulting application path: C:\\a.exe\nFaulting application name: b.exe, version: 1", "b.exe", "1", NULL,
          NULL, NULL },
    };
    expect_crashes(cases, sizeof cases / sizeof cases[0]);
}

/* Snare and syslog relays forward a message on one line, its line ends made
 * spaces: the labels are then inside the line, after a blank. */
Test(message, flattened_one_line_messages_have_their_labels_inside_the_line)
{
    static const crash_case cases[] = {
        { "English, flattened",
          "Faulting application name: svchost.exe_TSGateway, version: 10.0.20348.2582, time stamp: 0x6a8f2f5d "
          "Faulting module name: aaedge.dll, version: 10.0.20348.2582, time stamp: 0x1b2c3d4e Exception code: "
          "0xc0000005 Fault offset: 0x000000000001a2b3 Faulting process id: 0x1f4c",
          "svchost.exe_TSGateway", "10.0.20348.2582", "aaedge.dll", "10.0.20348.2582", "0xc0000005" },
        { "Japanese, flattened",
          "障害が発生しているアプリケーション名: svchost.exe_TSGateway、バージョン: 10.0.20348.2582、タイム スタンプ: "
          "0x6a8f2f5d 障害が発生しているモジュール名: aaedge.dll、バージョン: 10.0.20348.2582、タイム スタンプ: "
          "0x1b2c3d4e 例外コード: 0xc0000005 障害オフセット: 0x000000000001a2b3",
          "svchost.exe_TSGateway", "10.0.20348.2582", "aaedge.dll", "10.0.20348.2582", "0xc0000005" },
        { "tabs and runs of blanks between the lines", "x\tFaulting module name:  b.dll, version: 2, time stamp: 0x1   Exception code:\t5  ",
          NULL, NULL, "b.dll", "2", "5" },
        { "a label glued to a word is none", "xFaulting module name: b.dll wException code: 5", NULL, NULL, NULL, NULL,
          NULL },
        { "the first label inside the line wins", "a Exception code: 1 b Exception code: 2", NULL, NULL, NULL, NULL,
          "1" },
        { "trailing line ends leave a message flat", "a Exception code: 7\r\n\n", NULL, NULL, NULL, NULL, "7" },
        { "an empty code is none", "a Exception code:   ", NULL, NULL, NULL, NULL, NULL },
        { "the code's word is trimmed of other blanks", "a Exception code: 0x5\v\f b", NULL, NULL, NULL, NULL,
          "0x5" },
    };
    expect_crashes(cases, sizeof cases / sizeof cases[0]);
}

Test(message, the_first_line_with_a_label_wins_whatever_its_language)
{
    static const crash_case cases[] = {
        { "Japanese first", "例外コード: 0xc0000005\r\n  Exception code: 0xc0000409\r\n", NULL, NULL, NULL, NULL,
          "0xc0000005" },
        { "English first", "Exception code: 0xc0000409\n例外コード: 0xc0000005\n", NULL, NULL, NULL, NULL,
          "0xc0000409" },
        { "application, English then Japanese",
          "Faulting application name: notepad.exe, version: 1\n"
          "障害が発生しているアプリケーション名: svchost.exe_TSGateway、バージョン: 2\n",
          "notepad.exe", "1", NULL, NULL, NULL },
        { "application, Japanese then English",
          "障害が発生しているアプリケーション名: svchost.exe_TSGateway、バージョン: 2\n"
          "Faulting application name: notepad.exe, version: 1\n",
          "svchost.exe_TSGateway", "2", NULL, NULL, NULL },
        { "module, the 24H2 label first", "障害が発生したモジュール名: b.dll\n障害が発生しているモジュール名: a.dll\n",
          NULL, NULL, "b.dll", NULL, NULL },
        { "module, the older label first", "障害が発生しているモジュール名: a.dll\n障害が発生したモジュール名: b.dll\n",
          NULL, NULL, "a.dll", NULL, NULL },
        { "module, English after both", "障害が発生したモジュール名: b.dll\nFaulting module name: c.dll\n", NULL,
          NULL, "b.dll", NULL, NULL },
        { "the same label twice", "Exception code: 1\nException code: 2\n", NULL, NULL, NULL, NULL, "1" },
    };
    expect_crashes(cases, sizeof cases / sizeof cases[0]);
}

typedef struct uptime_case {
    const char *provider;
    uint16_t id;
    const char *msg;
    const char *uptime;
} uptime_case;

Test(message, event_6013_takes_the_first_integer_in_any_language)
{
    static const uptime_case cases[] = {
        { "EventLog", 6013, "The system uptime is 42953114 seconds.", "42953114" },
        { "EventLog", 6013, "システムの稼働時間は 42953114 秒です。", "42953114" },
        { "EventLog", 6013, "システムの稼働時間は42953114秒です。", "42953114" },
        { "eventlog", 6013, "The system uptime is 5 seconds.", "5" },
        { "EventLog", 6013, "42953114", "42953114" },
        { "EventLog", 6013, "Uptime 12 s, 99 reports.", "12" },
        { "EventLog", 6013, "The system uptime is unknown.", NULL },
        { "EventLog", 6013, "-7 seconds", "7" },
        { "EventLog", 6005, "The Event log service was started. 123", NULL },
        { "Application Error", 6013, "The system uptime is 42953114 seconds.", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const uptime_case *c = &cases[i];
        msg_run r = fields_of(c->provider, c->id, c->msg, strlen(c->msg));
        cr_log_info("%s %u: %s", c->provider, c->id, c->msg);
        expect_fld(&r, SIFT_FLD_UPTIME, c->uptime);
        expect_fld(&r, SIFT_FLD_APP_NAME, NULL);
        guard_free(&r.g);
    }
}

Test(message, other_providers_and_ids_are_left_alone)
{
    static const struct {
        const char *provider;
        uint16_t id;
        unsigned have;
    } cases[] = {
        { "Application Hang", 1000, SIFT_EV_ID },
        { "Windows Error Reporting", 1001, SIFT_EV_ID },
        { "Application Error", 1001, SIFT_EV_ID },
        { "Application Error", 1000, 0 },
        { "", 1000, SIFT_EV_ID },
        { "EventLog", 1000, SIFT_EV_ID },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        guard_buf g = guard_copy(en_1000, sizeof en_1000 - 1);
        sift_event ev = { .have = cases[i].have, .id = cases[i].id,
                          .provider = sift_slice_make(cases[i].provider, strlen(cases[i].provider)),
                          .message = sift_slice_make(g.ptr, g.len) };
        sift_message_fields(&ev);
        for (unsigned f = 0; f < SIFT_FLD_COUNT; f++)
            cr_expect_eq(ev.fld[f].len, 0, "%s %u: %s set", cases[i].provider, cases[i].id,
                         sift_fld_name((sift_fld)f));
        guard_free(&g);
    }
    sift_event empty = { .have = SIFT_EV_ID, .id = 1000, .provider = SIFT_LIT("Application Error") };
    sift_message_fields(&empty);
    for (unsigned f = 0; f < SIFT_FLD_COUNT; f++)
        cr_expect_eq(empty.fld[f].len, 0);
}

Test(message, fields_a_format_already_set_are_kept)
{
    guard_buf g = guard_copy(en_1000, sizeof en_1000 - 1);
    sift_event ev = { .have = SIFT_EV_ID, .id = 1000, .provider = SIFT_LIT("Application Error"),
                      .message = sift_slice_make(g.ptr, g.len) };
    ev.fld[SIFT_FLD_APP_NAME] = SIFT_LIT("from EventData");
    ev.fld[SIFT_FLD_MODULE_VERSION] = SIFT_LIT("9.9");
    ev.fld[SIFT_FLD_EXCEPTION_CODE] = SIFT_LIT("c0000005");
    sift_message_fields(&ev);
    cr_expect(sift_slice_eq(ev.fld[SIFT_FLD_APP_NAME], SIFT_LIT("from EventData")));
    cr_expect(sift_slice_eq(ev.fld[SIFT_FLD_APP_VERSION], SIFT_LIT("10.0.20348.2322")), "the empty ones are filled");
    cr_expect(sift_slice_eq(ev.fld[SIFT_FLD_MODULE_NAME], SIFT_LIT("aaedge.dll")));
    cr_expect(sift_slice_eq(ev.fld[SIFT_FLD_MODULE_VERSION], SIFT_LIT("9.9")));
    cr_expect(sift_slice_eq(ev.fld[SIFT_FLD_EXCEPTION_CODE], SIFT_LIT("c0000005")));
    guard_free(&g);

    g = guard_copy("The system uptime is 42953114 seconds.", 38);
    sift_event up = { .have = SIFT_EV_ID, .id = 6013, .provider = SIFT_LIT("EventLog"),
                      .message = sift_slice_make(g.ptr, g.len) };
    up.fld[SIFT_FLD_UPTIME] = SIFT_LIT("7");
    sift_message_fields(&up);
    cr_expect(sift_slice_eq(up.fld[SIFT_FLD_UPTIME], SIFT_LIT("7")));
    guard_free(&g);
}

/* A prefix reads as the whole message does, for the lines it has whole;
 * whatever it yields is a slice of it. */
static void every_prefix(const char *provider, uint16_t id, const char *msg, size_t len)
{
    msg_run whole = fields_of(provider, id, msg, len);
    for (size_t n = 0; n <= len; n++) {
        msg_run r = fields_of(provider, id, msg, n); /* checks the slices */
        for (unsigned f = 0; f < SIFT_FLD_COUNT; f++) {
            sift_slice got = r.ev.fld[f], want = whole.ev.fld[f];
            if (!want.len) {
                cr_assert_eq(got.len, 0, "prefix %zu: %s appeared", n, sift_fld_name((sift_fld)f));
                continue;
            }
            /* Once the line holding the whole value has ended, the value is final. */
            size_t end = (size_t)(want.ptr - whole.g.ptr) + want.len;
            const char *nl = memchr(msg + end, '\n', len - end);
            if (nl && n > (size_t)(nl - msg))
                cr_assert(got.len == want.len && memcmp(got.ptr, want.ptr, want.len) == 0,
                          "prefix %zu: %s \"%.*s\"", n, sift_fld_name((sift_fld)f), (int)got.len,
                          (const char *)got.ptr);
        }
        guard_free(&r.g);
    }
    guard_free(&whole.g);
}

Test(message, every_prefix_stays_inside_the_message_and_reads_as_the_whole)
{
    every_prefix("Application Error", 1000, en_1000, sizeof en_1000 - 1);
    every_prefix("Application Error", 1000, ja_1000, sizeof ja_1000 - 1);
    every_prefix("Application Error", 1000, ja_1000_24h2, sizeof ja_1000_24h2 - 1);
    static const char up_en[] = "The system uptime is 42953114 seconds.\n";
    static const char up_ja[] = "システムの稼働時間は 42953114 秒です。\n";
    every_prefix("EventLog", 6013, up_en, sizeof up_en - 1);
    every_prefix("EventLog", 6013, up_ja, sizeof up_ja - 1);
}

/* ---- sift_message_label ---------------------------------------------------- */

typedef struct label_case {
    const char *text;
    size_t from, n; /* the labels offered: labels[from, from + n) */
    int found;
    const char *value;
} label_case;

Test(message, label_takes_the_first_line_that_starts_with_any_label)
{
    const sift_slice labels[] = { SIFT_LIT("Exception code:"), SIFT_LIT(""), SIFT_LIT("例外コード:") };
    static const label_case cases[] = {
        { "Exception code: 1\n例外コード: 2", 0, 3, 1, "1" },
        { "例外コード: 2\nException code: 1", 0, 3, 1, "2" },
        { "例外コード: 2\nException code: 1", 0, 1, 1, "1" },
        { "例外コード: 2\nException code: 1", 2, 1, 1, "2" },
        { "\n\n\t Exception code:\t7 \r\n", 0, 1, 1, "7" },
        { "Exception code:", 0, 1, 1, "" },
        { "Exception code", 0, 1, 0, "" },
        { "xException code: 1", 0, 1, 0, "" },
        { "anything", 1, 1, 0, "" },
        { "", 0, 3, 0, "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        guard_buf g = guard_copy(cases[i].text, strlen(cases[i].text));
        sift_slice text = sift_slice_make(g.ptr, g.len), v = { (const uint8_t *)"junk", 4 };
        cr_expect_eq(sift_message_label(text, labels + cases[i].from, cases[i].n, &v), cases[i].found, "case %zu", i);
        cr_expect(sift_slice_eq(v, sift_slice_make(cases[i].value, strlen(cases[i].value))),
                  "case %zu: \"%.*s\"", i, (int)v.len, (const char *)v.ptr);
        cr_expect(!v.len || (v.ptr >= g.ptr && v.ptr + v.len <= g.ptr + g.len), "case %zu: inside", i);
        guard_free(&g);
    }
}

Test(message, wer_1001_gives_its_problem_signature_in_any_language)
{
    /* The P labels are not translated; the lines around them are. */
    static const char *const msgs[] = {
        "Fault bucket 1234, type 5\nEvent Name: BEX64\nResponse: Not available\nCab Id: 0\n\nProblem signature:\n"
        "P1: svchost.exe_TSGateway\nP2: 10.0.20348.2582\nP3: 6a8f2f5d\nP4: aaedge.dll\nP5: 10.0.20348.2582\n"
        "P6: 1b2c3d4e\nP7: 000000000001a2b3\nP8: c0000005\nP9: \nP10: \n",
        "障害バケット 1234、種類 5\r\nイベント名: BEX64\r\n応答: 使用不可\r\nCab ID: 0\r\n\r\n問題の署名:\r\n"
        "P1: svchost.exe_TSGateway\r\nP2: 10.0.20348.2582\r\nP3: 6a8f2f5d\r\nP4: aaedge.dll\r\n"
        "P5: 10.0.20348.2582\r\nP6: 1b2c3d4e\r\nP7: 000000000001a2b3\r\nP8: c0000005\r\nP9: \r\nP10: \r\n",
    };
    for (size_t i = 0; i < 2; i++) {
        msg_run r = fields_of("Windows Error Reporting", 1001, msgs[i], strlen(msgs[i]));
        expect_fld(&r, SIFT_FLD_APP_NAME, "svchost.exe_TSGateway");
        expect_fld(&r, SIFT_FLD_APP_VERSION, "10.0.20348.2582");
        expect_fld(&r, SIFT_FLD_MODULE_NAME, "aaedge.dll");
        expect_fld(&r, SIFT_FLD_MODULE_VERSION, "10.0.20348.2582");
        expect_fld(&r, SIFT_FLD_EXCEPTION_CODE, "c0000005");
        guard_free(&r.g);
    }
    /* P10 is not P1. */
    msg_run r = fields_of("Windows Error Reporting", 1001, "P10: x\nP80: y", 13);
    expect_fld(&r, SIFT_FLD_APP_NAME, NULL);
    expect_fld(&r, SIFT_FLD_EXCEPTION_CODE, NULL);
    guard_free(&r.g);
}

Test(message, scm_7031_and_7034_give_the_service_in_english_and_japanese)
{
    static const struct {
        uint16_t id;
        const char *msg, *service;
    } cases[] = {
        { 7034, "The Remote Desktop Gateway service terminated unexpectedly.  It has done this 1 time(s).",
          "Remote Desktop Gateway" },
        { 7031,
          "The Remote Desktop Gateway service terminated unexpectedly.  It has done this 2 time(s).  The following "
          "corrective action will be taken in 60000 milliseconds: Restart the service.",
          "Remote Desktop Gateway" },
        { 7031,
          "\r\nリモート デスクトップ ゲートウェイ サービスは予期せぬ原因により終了しました。\r\n"
          "このサービスの終了は 1 回目です。",
          "リモート デスクトップ ゲートウェイ" },
        { 7034, "The  service terminated unexpectedly.", NULL },
        { 7034, "Something else. The Spooler service terminated unexpectedly.", NULL },
        { 7034, "The Spooler service\nterminated unexpectedly.", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        msg_run r = fields_of("Service Control Manager", cases[i].id, cases[i].msg, strlen(cases[i].msg));
        cr_log_info("case %zu", i);
        expect_fld(&r, SIFT_FLD_SERVICE, cases[i].service);
        expect_fld(&r, SIFT_FLD_APP_NAME, NULL);
        guard_free(&r.g);
    }
}
