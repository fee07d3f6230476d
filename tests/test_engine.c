/* test_engine.c - the pipeline end to end over memory: rules, correlation,
 * chunking invariance, compression, encodings and hostile inputs. */
#include <criterion/criterion.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <zlib.h>
#include <zstd.h>

#include "asan.h"
#include "sbuf.h"
#include "sift_findings.h"
#include "sift_run.h"
#include "sift_scan.h"
#include "sift_format.h"

/* ---- helpers ------------------------------------------------------------------ */


typedef struct result {
    int rc;
    char *out, *err;
    size_t out_len, err_len;
} result;

/* One engine for every run of the suite, as the CLI has one per process. */
static const sift_engine *engine(void)
{
    static sift_engine *e;
    if (!e) {
        size_t n;
        const sift_format *const *f = sift_registry(&n);
        e = sift_engine_create(f, n, stderr);
        cr_assert_not_null(e);
    }
    return e;
}

static uint32_t format_bit(const char *name)
{
    int i = sift_engine_format(engine(), name);
    cr_assert_geq(i, 0, "no format %s", name);
    return 1u << i;
}

static result run_opts(const char *name, const void *data, size_t len, size_t chunk, sift_run_opts o)
{
    result r = { 0 };
    o.out = open_memstream(&r.out, &r.out_len);
    o.err = open_memstream(&r.err, &r.err_len);
    r.rc = sift_run_memory(engine(), &o, name, data, len, chunk);
    fclose(o.out);
    fclose(o.err);
    return r;
}

/* A small port range keeps the samples small: 200 and 300 TIME_WAIT rows are
 * then 50 % and 75 %. */
static sift_run_opts default_opts(void)
{
    sift_run_opts o = { .port_range = 400, .threads = 1 };
    return o;
}

/* On one thread: the reference every other way of running is compared to. */
static result run_mem(const char *name, const void *data, size_t len, size_t chunk)
{
    return run_opts(name, data, len, chunk, default_opts());
}

/* Compressed input decoded on a second thread. */
static result run_threaded(const char *name, const void *data, size_t len, size_t chunk)
{
    sift_run_opts o = default_opts();
    o.threads = 2;
    return run_opts(name, data, len, chunk, o);
}

static void result_free(result *r)
{
    free(r->out);
    free(r->err);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += *s == '\n';
    return n;
}

/* The finding line of rule for host (NULL when absent); points into out. */
static const char *find_line(const char *out, const char *rule, const char *host)
{
    char key[512];
    snprintf(key, sizeof key, "{\"rule\":\"%s\"", rule);
    for (const char *p = out; p && (p = strstr(p, key)) != NULL; p++) {
        const char *eol = strchr(p, '\n');
        char hk[300];
        snprintf(hk, sizeof hk, "\"host\":\"%s\"", host);
        const char *h = strstr(p, hk);
        if (h && (!eol || h < eol))
            return p;
    }
    return NULL;
}

/* 1 when the line starting at line contains frag before its end. */
static int line_has(const char *line, const char *frag)
{
    const char *eol = strchr(line, '\n');
    const char *f = strstr(line, frag);
    return f && (!eol || f < eol);
}

static void viewer_record(sbuf *b, const char *log, const char *source, const char *date, int id,
                          const char *computer, const char *desc)
{
    sb_printf(b,
              "Log Name:      %s\r\nSource:        %s\r\nDate:          %s\r\nEvent ID:      %d\r\n"
              "Task Category: None\r\nLevel:         Error\r\nKeywords:      Classic\r\nUser:          N/A\r\n"
              "Computer:      %s\r\nDescription:\r\n%s\r\n\r\n",
              log, source, date, id, computer, desc);
}

static void tsgw_crash(sbuf *b, const char *computer, const char *date, const char *code)
{
    char desc[1024];
    snprintf(desc, sizeof desc,
             "Faulting application name: svchost.exe_TSGateway, version: 10.0.20348.2582, time stamp: 0x5e3b2c51\r\n"
             "Faulting module name: aaedge.dll, version: 10.0.20348.2582, time stamp: 0x6f1c2d3e\r\n"
             "Exception code: %s\r\nFault offset: 0x000000000004b7a2\r\nFaulting process id: 0x1c4c\r\n"
             "Faulting application path: C:\\Windows\\system32\\svchost.exe\r\n"
             "Faulting module path: C:\\Windows\\System32\\aaedge.dll",
             code);
    viewer_record(b, "Application", "Application Error", date, 1000, computer, desc);
}

static void uptime_event(sbuf *b, const char *computer, const char *date, unsigned long long secs)
{
    char desc[128];
    snprintf(desc, sizeof desc, "The system uptime is %llu seconds.", secs);
    viewer_record(b, "System", "EventLog", date, 6013, computer, desc);
}

static void netstat_snapshot(sbuf *b, const char *stamp, const char *host, unsigned time_wait, unsigned other)
{
    if (host)
        sb_printf(b, "Hostname: %s\r\n", host);
    if (stamp)
        sb_printf(b, "%s\r\n", stamp);
    sb_printf(b, "\r\nActive Connections\r\n\r\n  Proto  Local Address          Foreign Address        State           PID\r\n");
    for (unsigned i = 0; i < other; i++)
        sb_printf(b, "  TCP    10.1.2.15:%u        10.1.2.5:445           ESTABLISHED     812\r\n", 1024 + i % 40000);
    for (unsigned i = 0; i < time_wait; i++)
        sb_printf(b, "  TCP    10.1.2.15:%u        10.1.%u.5:445          TIME_WAIT       0\r\n", 49152 + i % 16384,
                  i / 16384);
}

/* The mixed sample most tests start from. */
static sbuf mixed_sample(void)
{
    sbuf b = { 0 };
    viewer_record(&b, "System", "Service Control Manager", "10/2/2024 7:59:00 AM", 7036, "RDG01.corp.example.com",
                  "The Windows Update service entered the running state. Event ID: 6013 is unrelated.");
    char date[64];
    for (int i = 0; i < 6; i++) {
        snprintf(date, sizeof date, "10/2/2024 %d:%02d:07 %s", 8 + i / 2, (i % 2) * 30, "AM");
        tsgw_crash(&b, i % 2 ? "rdg01" : "RDG01.corp.example.com", date, "0xc0000005");
    }
    uptime_event(&b, "APP-SQL02.corp.example.com", "10/2/2024 12:00:00 PM", 42953114ull);
    viewer_record(&b, "System", "Tcpip", "10/2/2024 12:05:00 PM", 4231, "APP-SQL02.corp.example.com",
                  "A request to allocate an ephemeral port number from the global TCP port space has failed due "
                  "to all such ports being in use.");
    netstat_snapshot(&b, "Wed 10/02/2024 12:00:00.00", "FS01", 200, 20);
    netstat_snapshot(&b, "Wed 10/02/2024 12:05:00.00", NULL, 300, 20);
    return b;
}

/* ---- host names from paths ------------------------------------------------------ */

/* ---- the rules -------------------------------------------------------------------- */

Test(rules, mixed_sample_fires_all_four_rules)
{
    sbuf b = mixed_sample();
    result r = run_mem("mixed.txt", b.p, b.n, 0);
    cr_assert_eq(r.rc, 1, "stderr: %s", r.err);
    cr_expect_eq(r.err_len, 0, "stderr: %s", r.err);
    cr_expect_eq(count_lines(r.out), 4, "%s", r.out);

    const char *l = find_line(r.out, "rdgw-crash", "RDG01.corp.example.com");
    cr_assert_not_null(l, "%s", r.out);
    cr_expect(line_has(l, "\"count\":6"), "%s", l);
    cr_expect(line_has(l, "\"median_interval_s\":1800"), "%s", l);
    cr_expect(line_has(l, "\"periodic\":true"), "%s", l);
    cr_expect(line_has(l, "\"severity\":\"critical\""), "%s", l);
    cr_expect(line_has(l, "\"module\":\"aaedge.dll\""), "%s", l);
    cr_expect(line_has(l, "\"first_seen\":\"2024-10-02T08:00:07\""), "%s", l);
    cr_expect(line_has(l, "\"last_seen\":\"2024-10-02T10:30:07\""), "%s", l);
    cr_expect(line_has(l, "\"tz\":\"local\""), "%s", l);
    cr_expect(line_has(l, "October 8, 2024"), "%s", l);
    cr_expect(line_has(l, "RDGClientTransport"), "%s", l);
    cr_expect(line_has(l, "RpcProxy"), "%s", l);

    l = find_line(r.out, "uptime-497", "APP-SQL02.corp.example.com");
    cr_assert_not_null(l, "%s", r.out);
    cr_expect(line_has(l, "\"severity\":\"critical\""), "%s", l);
    cr_expect(line_has(l, "\"uptime_s\":42953114"), "%s", l);
    cr_expect(line_has(l, "\"uptime_days\":497.1"), "%s", l);
    cr_expect(line_has(l, "KB2553549"), "%s", l);
    cr_expect(line_has(l, "KB2688338"), "%s", l);

    l = find_line(r.out, "tcpip-port-exhaustion", "APP-SQL02.corp.example.com");
    cr_assert_not_null(l, "%s", r.out);
    cr_expect(line_has(l, "\"severity\":\"high\""), "%s", l);
    cr_expect(line_has(l, "\"event_4231\":1"), "%s", l);

    l = find_line(r.out, "timewait-exhaustion", "FS01");
    cr_assert_not_null(l, "%s", r.out);
    cr_expect(line_has(l, "\"time_wait\":300"), "%s", l);
    cr_expect(line_has(l, "\"snapshots\":2"), "%s", l);
    cr_expect(line_has(l, "\"pct_max\":75"), "%s", l);
    cr_expect(line_has(l, "\"severity\":\"medium\""), "%s", l);
    cr_expect(line_has(l, "\"rising\":false"), "%s", l);
    result_free(&r);
    free(b.p);
}

Test(rules, other_applications_and_exception_codes_are_not_rdgw_crashes)
{
    sbuf b = { 0 };
    char desc[512];
    snprintf(desc, sizeof desc, "Faulting application name: chrome.exe, version: 1.0\r\nException code: 0xc0000005");
    viewer_record(&b, "Application", "Application Error", "10/2/2024 8:00:00 AM", 1000, "RDG01", desc);
    tsgw_crash(&b, "RDG01", "10/2/2024 8:30:00 AM", "0xc0000374");
    /* TSGateway named in another event's text is not a crash record. */
    viewer_record(&b, "Application", "Windows Error Reporting", "10/2/2024 8:31:00 AM", 1001, "RDG01",
                  "P1: svchost.exe_TSGateway\r\nP8: c0000005");
    result r = run_mem("a.txt", b.p, b.n, 0);
    cr_expect_eq(r.rc, 0, "%s%s", r.out, r.err);
    cr_expect_eq(r.out_len, 0, "%s", r.out);
    result_free(&r);
    free(b.p);
}

Test(rules, every_spelling_of_the_exception_code_counts)
{
    static const char codes[][16] = { "0xc0000005", "0xC0000005", "c0000005", "3221225477" };
    for (size_t i = 0; i < 4; i++) {
        sbuf b = { 0 };
        tsgw_crash(&b, "RDG01", "10/2/2024 8:00:00 AM", codes[i]);
        result r = run_mem("a.txt", b.p, b.n, 0);
        cr_expect_eq(r.rc, 1, "code %s", codes[i]);
        const char *l = find_line(r.out, "rdgw-crash", "RDG01");
        cr_assert_not_null(l, "code %s: %s", codes[i], r.out);
        cr_expect(line_has(l, "\"severity\":\"high\""), "%s", l);
        cr_expect(line_has(l, "\"periodic\":false"), "%s", l);
        result_free(&r);
        free(b.p);
    }
}

/* A ja-JP Event Viewer export: Japanese labels, the crash message localized
 * with ideographic commas, and the module label in both spellings (before and
 * since Windows 11 24H2). Another application's crash in the same layout is
 * not an RD Gateway crash. */
static void tsgw_crash_ja(sbuf *b, const char *app, const char *date, const char *module_label)
{
    sb_printf(b,
              "ログの名前:         Application\r\nソース:           Application Error\r\n"
              "日付:            %s\r\nイベント ID:       1000\r\nタスクのカテゴリ:      (100)\r\n"
              "レベル:           エラー\r\nキーワード:         クラシック\r\nユーザー:          N/A\r\n"
              "コンピューター:       RDG01.corp.example.com\r\n説明:\r\n"
              "障害が発生しているアプリケーション名: %s、バージョン: 10.0.20348.2582、タイム スタンプ: 0x5e3b2c51\r\n"
              "%s aaedge.dll、バージョン: 10.0.20348.2582、タイム スタンプ: 0x6f1c2d3e\r\n"
              "例外コード: 0xc0000005\r\n障害オフセット: 0x000000000004b7a2\r\n"
              "障害が発生しているプロセス ID: 0x1c4c\r\n"
              "障害が発生しているアプリケーション パス: C:\\Windows\\system32\\svchost.exe\r\n\r\n",
              date, app, module_label);
}

Test(rules, japanese_crash_messages_are_read)
{
    sbuf b = { 0 };
    char date[32];
    for (int i = 0; i < 6; i++) {
        snprintf(date, sizeof date, "2024/10/02 %d:%02d:07", 8 + i / 2, (i % 2) * 30);
        tsgw_crash_ja(&b, "svchost.exe_TSGateway", date,
                      i % 2 ? "障害が発生したモジュール名:" : "障害が発生しているモジュール名:");
    }
    tsgw_crash_ja(&b, "svchost.exe_TSGatewayX", "2024/10/02 12:00:07", "障害が発生しているモジュール名:");
    /* A label in another language further down does not override the first
     * one: the record reads the same whole or cut at a live pause. */
    tsgw_crash_ja(&b, "svchost.exe_TSGateway", "2024/10/02 11:00:07", "障害が発生しているモジュール名:");
    b.n -= 2; /* into the description */
    sb_printf(&b, "Faulting application name: notepad.exe, version: 1\r\n\r\n");
    result r = run_mem("ja.txt", b.p, b.n, 0);
    const char *l = find_line(r.out, "rdgw-crash", "RDG01.corp.example.com");
    cr_assert_not_null(l, "%s%s", r.out, r.err);
    cr_expect(line_has(l, "\"crashes\":7"), "%s", l);
    cr_expect(line_has(l, "\"periodic\":true"), "%s", l);
    cr_expect(line_has(l, "\"module\":\"aaedge.dll\""), "%s", l);
    cr_expect(line_has(l, "\"last_seen\":\"2024-10-02T11:00:07\""), "%s", l);
    sift_run_opts o = default_opts();
    o.live = 1;
    for (size_t chunk = 97; chunk < 2000; chunk += 331) {
        result live = run_opts("ja.txt", b.p, b.n, chunk, o);
        const char *fin = strstr(live.out, "\"final\":true");
        cr_assert_not_null(fin, "chunk %zu: %s", chunk, live.out);
        while (fin > live.out && fin[-1] != '\n')
            fin--;
        cr_expect_str_eq(fin, r.out, "chunk %zu", chunk);
        result_free(&live);
    }
    result_free(&r);
    free(b.p);
}

Test(rules, irregular_crashes_are_not_periodic)
{
    sbuf b = { 0 };
    tsgw_crash(&b, "RDG01", "10/2/2024 8:00:00 AM", "0xc0000005");
    tsgw_crash(&b, "RDG01", "10/2/2024 8:05:00 AM", "0xc0000005");
    tsgw_crash(&b, "RDG01", "10/2/2024 11:00:00 AM", "0xc0000005");
    tsgw_crash(&b, "RDG01", "10/2/2024 11:02:00 AM", "0xc0000005");
    result r = run_mem("a.txt", b.p, b.n, 0);
    const char *l = find_line(r.out, "rdgw-crash", "RDG01");
    cr_assert_not_null(l);
    cr_expect(line_has(l, "\"periodic\":false"), "%s", l);
    cr_expect(line_has(l, "\"severity\":\"high\""), "%s", l);
    cr_expect(line_has(l, "\"median_interval_s\":300"), "%s", l);
    result_free(&r);
    free(b.p);
}

Test(rules, duplicate_exports_of_a_crash_count_once)
{
    sbuf b = { 0 };
    tsgw_crash(&b, "RDG01", "10/2/2024 8:00:00 AM", "0xc0000005");
    tsgw_crash(&b, "rdg01.corp.example.com", "10/2/2024 8:00:00 AM", "0xc0000005");
    result r = run_mem("a.txt", b.p, b.n, 0);
    const char *l = find_line(r.out, "rdgw-crash", "rdg01.corp.example.com");
    cr_assert_not_null(l, "%s", r.out);
    cr_expect(line_has(l, "\"count\":1"), "%s", l);
    cr_expect_eq(count_lines(r.out), 1);
    result_free(&r);
    free(b.p);
}

Test(rules, uptime_warning_states_the_projected_crossing)
{
    sbuf b = { 0 };
    /* 460 days; 42949673 - 39744000 = 3205673 s = 37 d 2 h 27 m 53 s later. */
    uptime_event(&b, "DC01", "10/2/2024 12:00:00 PM", 460ull * 86400);
    result r = run_mem("a.txt", b.p, b.n, 0);
    const char *l = find_line(r.out, "uptime-497", "DC01");
    cr_assert_not_null(l, "%s", r.out);
    cr_expect(line_has(l, "\"severity\":\"medium\""), "%s", l);
    cr_expect(line_has(l, "\"uptime_days\":460.0"), "%s", l);
    cr_expect(line_has(l, "\"crosses_497_at\":\"2024-11-08T14:27:53\""), "%s", l);
    result_free(&r);
    free(b.p);
}

Test(rules, uptime_needs_the_eventlog_6013_record)
{
    sbuf b = { 0 };
    uptime_event(&b, "DC01", "10/2/2024 12:00:00 PM", 400ull * 86400); /* below the warning */
    viewer_record(&b, "System", "OtherSource", "10/2/2024 12:00:00 PM", 6013, "DC02",
                  "The system uptime is 99999999 seconds.");
    viewer_record(&b, "System", "Service Control Manager", "10/2/2024 12:00:00 PM", 7036, "DC03",
                  "Event 6013: The system uptime is 99999999 seconds.");
    result r = run_mem("a.txt", b.p, b.n, 0);
    cr_expect_eq(r.rc, 0, "%s", r.out);
    cr_expect_eq(r.out_len, 0, "%s", r.out);
    result_free(&r);
    free(b.p);
}

Test(rules, wevtutil_text_with_utc_dates)
{
    const char *text = "Event[0]:\n  Log Name: System\n  Source: EventLog\n  Date: 2024-07-23T12:00:00.5120000Z\n"
                       "  Event ID: 6013\n  Task: N/A\n  Level: Information\n  Opcode: N/A\n  Keyword: Classic\n"
                       "  User: N/A\n  User Name: N/A\n  Computer: APP-SQL02.corp.example.com\n  Description: \n"
                       "The system uptime is 42953114 seconds.\n"
                       "Event[1]:\n  Log Name: System\n  Source: Tcpip\n  Date: 2024-07-23T12:01:00.0000000Z\n"
                       "  Event ID: 4227\n  Computer: APP-SQL02\n  Description: \n"
                       "TCP/IP failed to establish an outgoing connection.\n";
    result r = run_mem("w.txt", text, strlen(text), 0);
    const char *l = find_line(r.out, "uptime-497", "APP-SQL02.corp.example.com");
    cr_assert_not_null(l, "%s%s", r.out, r.err);
    cr_expect(line_has(l, "\"first_seen\":\"2024-07-23T12:00:00Z\""), "%s", l);
    cr_expect(line_has(l, "\"tz\":\"utc\""), "%s", l);
    l = find_line(r.out, "tcpip-port-exhaustion", "APP-SQL02.corp.example.com");
    cr_assert_not_null(l, "%s", r.out);
    cr_expect(line_has(l, "\"severity\":\"medium\""), "%s", l);
    cr_expect(line_has(l, "\"event_4227\":1"), "%s", l);
    result_free(&r);
}

Test(rules, timewait_thresholds_against_the_port_range)
{
    static const struct {
        unsigned tw;
        uint32_t range;
        char sev[16];
    } cases[] = {
        { 8191, 16384, "" },        { 8192, 16384, "medium" }, { 14745, 16384, "medium" },
        { 14746, 16384, "critical" }, { 600, 1000, "medium" }, { 900, 1000, "critical" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sbuf b = { 0 };
        netstat_snapshot(&b, "2024-10-02T12:00:00Z", "FS01", cases[i].tw, 3);
        sift_run_opts o = default_opts();
        o.port_range = cases[i].range;
        result r = run_opts("n.txt", b.p, b.n, 0, o);
        const char *l = find_line(r.out, "timewait-exhaustion", "FS01");
        if (!cases[i].sev[0]) {
            cr_expect_null(l, "tw %u: %s", cases[i].tw, r.out);
        } else {
            char frag[64];
            snprintf(frag, sizeof frag, "\"severity\":\"%s\"", cases[i].sev);
            cr_assert_not_null(l, "tw %u: %s", cases[i].tw, r.err);
            cr_expect(line_has(l, frag), "tw %u: %s", cases[i].tw, l);
            snprintf(frag, sizeof frag, "\"time_wait\":%u,", cases[i].tw);
            cr_expect(line_has(l, frag), "%s", l);
            cr_expect(line_has(l, "\"tz\":\"utc\""), "%s", l);
        }
        result_free(&r);
        free(b.p);
    }
}

Test(rules, rising_timewait_across_snapshots)
{
    sbuf b = { 0 };
    netstat_snapshot(&b, "2024/10/02 12:00:00.00", "WEB02", 100, 5);
    netstat_snapshot(&b, "2024/10/02 12:05:00.00", NULL, 200, 5);
    netstat_snapshot(&b, "2024/10/02 12:10:00.00", NULL, 300, 5);
    netstat_snapshot(&b, "2024/10/02 12:15:00.00", NULL, 400, 5);
    sift_run_opts o = default_opts();
    o.port_range = 16384;
    result r = run_opts("n.txt", b.p, b.n, 0, o);
    const char *l = find_line(r.out, "timewait-exhaustion", "WEB02");
    cr_assert_not_null(l, "%s%s", r.out, r.err);
    cr_expect(line_has(l, "\"rising\":true"), "%s", l);
    cr_expect(line_has(l, "\"severity\":\"low\""), "%s", l);
    cr_expect(line_has(l, "\"snapshots\":4"), "%s", l);
    cr_expect(line_has(l, "\"first_seen\":\"2024-10-02T12:00:00\""), "%s", l);
    cr_expect(line_has(l, "\"last_seen\":\"2024-10-02T12:15:00\""), "%s", l);
    result_free(&r);
    free(b.p);
}

Test(rules, connection_table_hosts_from_lines_paths_and_the_option)
{
    sbuf b = { 0 };
    netstat_snapshot(&b, "2024-10-02T12:00:00Z", NULL, 300, 1);
    result r = run_mem("dumps/FS07/netstat.txt", b.p, b.n, 0);
    cr_expect_not_null(find_line(r.out, "timewait-exhaustion", "FS07"), "%s", r.out);
    result_free(&r);

    sift_run_opts o = default_opts();
    o.host = "forced";
    sbuf c = { 0 };
    netstat_snapshot(&c, "2024-10-02T12:00:00Z", "FS01", 300, 1);
    r = run_opts("dumps/FS07/netstat.txt", c.p, c.n, 0, o);
    cr_expect_not_null(find_line(r.out, "timewait-exhaustion", "forced"), "%s", r.out);
    result_free(&r);

    r = run_mem("dumps/FS07/netstat.txt", c.p, c.n, 0);
    cr_expect_not_null(find_line(r.out, "timewait-exhaustion", "FS01"), "%s", r.out);
    result_free(&r);
    free(b.p);
    free(c.p);
}

Test(rules, time_wait_in_prose_or_other_formats_is_not_a_row)
{
    const char *text = "Log Name:      System\nSource:        Tcpip\nDate:          10/2/2024 8:00:00 AM\n"
                       "Event ID:      7036\nComputer:      X\nDescription:\n"
                       "Ports in TIME_WAIT state were not closed.\n  TCP connections in TIME_WAIT: 40000\n"
                       "The state TIME-WAIT lasted long.\n";
    result r = run_mem("p.txt", text, strlen(text), 0);
    cr_expect_eq(r.rc, 0, "%s%s", r.out, r.err);
    cr_expect_eq(r.out_len, 0, "%s", r.out);
    cr_expect_eq(r.err_len, 0, "%s", r.err);
    result_free(&r);
}

Test(rules, ss_and_linux_netstat_rows_count)
{
    sbuf b = { 0 };
    sb_printf(&b, "hostname=lnx01\n2024-10-02T12:00:00Z\nState      Recv-Q Send-Q Local Address:Port     Peer Address:Port Process\n");
    for (int i = 0; i < 300; i++)
        sb_printf(&b, "TIME-WAIT  0      0       10.0.2.100:%d     10.0.2.9:8080\n", 32768 + i);
    sb_printf(&b, "Tue Jul 23 12:05:00 UTC 2024\nActive Internet connections (servers and established)\n"
                  "Proto Recv-Q Send-Q Local Address           Foreign Address         State\n");
    for (int i = 0; i < 310; i++)
        sb_printf(&b, "tcp        0      0 192.168.1.10:%d         203.0.113.12:443      TIME_WAIT\n", 32768 + i);
    result r = run_mem("x.txt", b.p, b.n, 0);
    const char *l = find_line(r.out, "timewait-exhaustion", "lnx01");
    cr_assert_not_null(l, "%s%s", r.out, r.err);
    cr_expect(line_has(l, "\"time_wait_max\":310"), "%s", l);
    cr_expect(line_has(l, "\"snapshots\":2"), "%s", l);
    result_free(&r);
    free(b.p);
}

/* netstat redirected by cmd on ja-JP: title, header and host label in CP932
 * (or UTF-8, as an editor may save it), no timestamp lines. The tables must
 * stay apart on their headers alone; run together, 2 x 600 TIME_WAIT would
 * read as one critical table. */
Test(rules, japanese_tables_split_on_their_headers_in_cp932_and_utf8)
{
    static const struct {
        const char *enc, *title, *header, *host_label;
    } encs[] = {
        { "cp932", "\x83\x41\x83\x4e\x83\x65\x83\x42\x83\x75\x82\xc8\x90\xda\x91\xb1",
          "\x83\x76\x83\x8d\x83\x67\x83\x52\x83\x8b  \x83\x8d\x81\x5b\x83\x4a\x83\x8b \x83\x41\x83\x68\x83\x8c\x83\x58"
          "      \x8a\x4f\x95\x94\x83\x41\x83\x68\x83\x8c\x83\x58           \x8f\xf3\x91\xd4            PID",
          "\x83\x7a\x83\x58\x83\x67\x96\xbc" },
        { "utf-8", "アクティブな接続", "プロトコル  ローカル アドレス      外部アドレス           状態            PID",
          "ホスト名" },
    };
    for (size_t e = 0; e < sizeof encs / sizeof encs[0]; e++) {
        sbuf b = { 0 };
        sb_printf(&b, "%s:               WEB02\r\n", encs[e].host_label);
        for (int snap = 0; snap < 2; snap++) {
            sb_printf(&b, "\r\n%s\r\n\r\n  %s\r\n", encs[e].title, encs[e].header);
            for (int i = 0; i < 600; i++)
                sb_printf(&b, "  TCP         10.2.4.30:%d        10.1.100.20:443        TIME_WAIT       0\r\n",
                          49152 + i);
        }
        sift_run_opts o = default_opts();
        o.port_range = 1000;
        result r = run_opts("dump.txt", b.p, b.n, 0, o);
        const char *l = find_line(r.out, "timewait-exhaustion", "WEB02");
        cr_assert_not_null(l, "%s: %s%s", encs[e].enc, r.out, r.err);
        cr_expect(line_has(l, "\"snapshots\":2"), "%s: %s", encs[e].enc, l);
        cr_expect(line_has(l, "\"time_wait_max\":600"), "%s: %s", encs[e].enc, l);
        cr_expect(line_has(l, "\"severity\":\"medium\""), "%s: %s", encs[e].enc, l);
        result_free(&r);
        free(b.p);
    }
}

/* ---- output independent of chunking -------------------------------------------------- */

static void expect_same(const result *a, const result *b, size_t chunk)
{
    cr_expect_eq(a->rc, b->rc, "chunk %zu", chunk);
    cr_expect_str_eq(a->out, b->out, "chunk %zu", chunk);
    cr_expect_str_eq(a->err, b->err, "chunk %zu", chunk);
}

/* Compressed input z, decoded on a second thread, mapped and read in chunks
 * of `chunk` bytes, gives what ref (one thread) gave. */
static void expect_threaded_same(const result *ref, const char *name, const sbuf *z, size_t chunk)
{
    const size_t chunks[] = { 0, chunk };
    for (size_t i = 0; i < 2; i++) {
        result t = run_threaded(name, z->p, z->n, chunks[i]);
        expect_same(ref, &t, chunks[i]);
        result_free(&t);
    }
}

Test(chunking, any_read_size_gives_the_same_findings)
{
    sbuf b = mixed_sample();
    result whole = run_mem("mixed.txt", b.p, b.n, 0);
    cr_assert_eq(whole.rc, 1);
    static const size_t sizes[] = { 1, 2, 3, 5, 7, 13, 64, 100, 511, 4096, 4097, 65536, 1 << 20 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        result r = run_mem("mixed.txt", b.p, b.n, sizes[i]);
        expect_same(&whole, &r, sizes[i]);
        result_free(&r);
    }
    result_free(&whole);
    free(b.p);
}

Test(chunking, every_prefix_is_processed_without_harm)
{
    sbuf b = mixed_sample();
    /* Each prefix ends anywhere: inside a record, a row, a CRLF. Findings may
     * only grow with the prefix (no finding disappears once complete input
     * arrives is not required), but nothing may fail. */
    for (size_t n = 0; n <= b.n; n += (n < 2000 ? 1 : 97)) {
        result r = run_mem("mixed.txt", b.p, n, 0);
        cr_assert(r.rc == 0 || r.rc == 1, "prefix %zu: rc %d: %s", n, r.rc, r.err);
        cr_assert_eq(r.err_len, 0, "prefix %zu: %s", n, r.err);
        result s = run_mem("mixed.txt", b.p, n, 3);
        expect_same(&r, &s, 3);
        result_free(&r);
        result_free(&s);
    }
    free(b.p);
}

/* ---- compression and encodings ---------------------------------------------------------- */

static sbuf zstd_frames(const char *p, size_t n, size_t frame)
{
    sbuf z = { 0 };
    for (size_t off = 0; off < n; off += frame) {
        size_t len = n - off < frame ? n - off : frame;
        size_t cap = ZSTD_compressBound(len);
        char *tmp = malloc(cap);
        /* With content checksums, as the zstd CLI writes them, so damage is
         * always detectable. */
        ZSTD_CCtx *cc = ZSTD_createCCtx();
        ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
        size_t c = ZSTD_compress2(cc, tmp, cap, p + off, len);
        ZSTD_freeCCtx(cc);
        cr_assert(!ZSTD_isError(c));
        sb_add(&z, tmp, c);
        free(tmp);
    }
    return z;
}

static sbuf gzip_of(const char *p, size_t n)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    cr_assert_eq(deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    sbuf g = { 0 };
    g.cap = deflateBound(&zs, (uLong)n) + 64;
    g.p = malloc(g.cap);
    zs.next_in = (Bytef *)(uintptr_t)p;
    zs.avail_in = (uInt)n;
    zs.next_out = (Bytef *)g.p;
    zs.avail_out = (uInt)g.cap;
    cr_assert_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
    g.n = zs.total_out;
    deflateEnd(&zs);
    return g;
}

Test(decoding, compressed_input_gives_the_same_findings)
{
    sbuf b = mixed_sample();
    result plain = run_mem("mixed.txt", b.p, b.n, 0);
    sbuf z = zstd_frames(b.p, b.n, 1000); /* many frames, boundaries anywhere */
    sbuf g = gzip_of(b.p, b.n);
    static const size_t chunks[] = { 0, 1, 7, 4096 };
    for (size_t i = 0; i < 4; i++) {
        result rz = run_mem("mixed.txt", z.p, z.n, chunks[i]);
        expect_same(&plain, &rz, chunks[i]);
        result rg = run_mem("mixed.txt", g.p, g.n, chunks[i]);
        expect_same(&plain, &rg, chunks[i]);
        result tz = run_threaded("mixed.txt", z.p, z.n, chunks[i]);
        expect_same(&plain, &tz, chunks[i]);
        result tg = run_threaded("mixed.txt", g.p, g.n, chunks[i]);
        expect_same(&plain, &tg, chunks[i]);
        result_free(&rz);
        result_free(&rg);
        result_free(&tz);
        result_free(&tg);
    }
    result_free(&plain);
    free(b.p);
    free(z.p);
    free(g.p);
}

/* Decoding on a second thread hands the scanner 1 MiB slots, scanned where
 * the decoder wrote them with the scanner's kept bytes (an open record, a
 * partial line) copied in front. Records of up to 200 KB, at positions that
 * drift across the slot boundaries, and long unbroken lines must come out as
 * they do on one thread. */
Test(decoding, a_second_decoding_thread_keeps_records_across_its_slots)
{
    sbuf b = { 0 };
    char date[64];
    for (int i = 0; b.n < 5u * 1024u * 1024u; i++) {
        sbuf desc = { 0 };
        sb_printf(&desc, "Faulting application name: svchost.exe_TSGateway, version: 10.0.20348.2582\r\n"
                         "Faulting module name: aaedge.dll\r\nException code: 0xc0000005\r\n");
        size_t pad = (size_t)(i * 7919) % 200000u;
        while (desc.n < pad)
            sb_printf(&desc, "\tpadding line %zu of a long crash report\r\n", desc.n);
        if (i % 5 == 4) { /* one long line with no end in sight */
            while (desc.n < pad + 70000u)
                sb_add(&desc, "x", 1);
        }
        snprintf(date, sizeof date, "10/2/2024 %d:%02d:07 AM", 1 + (i / 60) % 11, i % 60);
        viewer_record(&b, "Application", "Application Error", date, 1000, i % 3 ? "RDG01" : "RDG02", "");
        b.n -= 4; /* the description goes in before the record's closing blank line */
        sb_add(&b, desc.p, desc.n);
        sb_add(&b, "\r\n\r\n", 4);
        free(desc.p);
        if (i % 4 == 0)
            netstat_snapshot(&b, "Wed 10/02/2024 12:00:00.00", "FS01", 250u + (unsigned)i, 10);
    }
    result plain = run_mem("big.txt", b.p, b.n, 0);
    cr_expect_not_null(find_line(plain.out, "rdgw-crash", "RDG01"), "%s", plain.out);
    cr_expect_not_null(find_line(plain.out, "timewait-exhaustion", "FS01"), "%s", plain.out);
    sbuf z = zstd_frames(b.p, b.n, b.n);
    expect_threaded_same(&plain, "big.txt", &z, 65536);
    result_free(&plain);
    free(b.p);
    free(z.p);
}

/* A mapped file of a few MiB is matched on a second thread while this one
 * places the hits: records and tables across block boundaries, a block with
 * more hits than one pass holds, and long lines read as on one thread. */
Test(scanning, the_matcher_ahead_on_a_second_thread_changes_nothing)
{
    sbuf b = { 0 };
    char date[64];
    for (int i = 0; b.n < 6u * 1024u * 1024u; i++) {
        snprintf(date, sizeof date, "10/2/2024 %d:%02d:07 AM", 1 + (i / 60) % 11, i % 60);
        if (i % 3 == 0)
            tsgw_crash(&b, i % 2 ? "RDG01" : "RDG02", date, "0xc0000005");
        else
            uptime_event(&b, "APP-SQL02", date, 40000000ull + (unsigned long long)i);
        size_t pad = (size_t)(i * 7919) % 40000u;
        for (size_t k = 0; k < pad; k += 60)
            sb_printf(&b, "filler line %zu of a long export, 6013 and TIME mentioned in passing\r\n", k);
        if (i % 7 == 0)
            netstat_snapshot(&b, "Wed 10/02/2024 12:00:00.00", i % 2 ? "FS01" : "FS02", 150u + (unsigned)i, 20);
        if (i == 40) /* a block of more hits than one pass holds */
            for (int k = 0; k < 8000; k++)
                sb_printf(&b, "TIMETIMETIMETIMETIMETIMETIMETIMETIMETIME\r\n");
        if (i % 11 == 5) /* a line longer than the line limit */
            for (int k = 0; k < 70000; k++)
                sb_add(&b, "y", 1);
    }
    sift_run_opts o = default_opts();
    result one = run_opts("big.txt", b.p, b.n, 0, o);
    o.threads = 2;
    result two = run_opts("big.txt", b.p, b.n, 0, o);
    cr_expect_not_null(find_line(one.out, "rdgw-crash", "RDG01"), "%s", one.out);
    cr_expect_not_null(find_line(one.out, "uptime-497", "APP-SQL02"), "%s", one.out);
    cr_expect_not_null(find_line(one.out, "timewait-exhaustion", "FS01"), "%s", one.out);
    cr_expect_eq(two.rc, one.rc);
    cr_expect_str_eq(two.out, one.out);
    cr_expect_str_eq(two.err, one.err);
    result_free(&one);
    result_free(&two);
    free(b.p);
}

/* A live run judges an open candidate record where the input ran dry, never
 * where a buffer filled: decoding on a second thread hands over 1 MiB slots,
 * and a crash record cut by a slot boundary between its Exception code and
 * its Faulting module name must still be read whole, as on one thread. */
Test(decoding, live_records_cut_by_a_decoding_slot_are_judged_whole)
{
    sbuf rec = { 0 };
    viewer_record(&rec, "Application", "Application Error", "10/2/2024 8:00:00 AM", 1000, "RDG01",
                  "Faulting application name: svchost.exe_TSGateway, version: 10.0.20348.2582\r\n"
                  "Exception code: 0xc0000005\r\n"
                  "Faulting module name: aaedge.dll, version: 10.0.20348.2582");
    size_t module_at = (size_t)(strstr(rec.p, "Faulting module name") - rec.p);
    size_t prefix = 1024u * 1024u - module_at - 3; /* the boundary falls inside the module line */
    sbuf b = { 0 };
    while (b.n + 32 < prefix)
        sb_printf(&b, "filler line %.15zu\r\n", b.n);
    while (b.n < prefix)
        sb_add(&b, "\n", 1);
    sb_add(&b, rec.p, rec.n);
    sbuf z = zstd_frames(b.p, b.n, b.n);
    sift_run_opts o = default_opts();
    o.live = 1;
    result one = run_opts("live.zst", z.p, z.n, 1u << 20, o);
    o.threads = 2;
    result two = run_opts("live.zst", z.p, z.n, 1u << 20, o);
    const char *l = find_line(one.out, "rdgw-crash", "RDG01");
    cr_assert_not_null(l, "%s%s", one.out, one.err);
    cr_expect(line_has(l, "\"module\":\"aaedge.dll\""), "%s", l);
    cr_expect_str_eq(two.out, one.out);
    cr_expect_str_eq(two.err, one.err);
    result_free(&one);
    result_free(&two);
    free(rec.p);
    free(b.p);
    free(z.p);
}

Test(decoding, a_corrupt_frame_is_reported_and_the_rest_still_counts)
{
    sbuf b = { 0 };
    uptime_event(&b, "APP-SQL02", "10/2/2024 12:00:00 PM", 42953114ull);
    size_t first = b.n;
    tsgw_crash(&b, "RDG01", "10/2/2024 8:00:00 AM", "0xc0000005");
    size_t second = b.n - first;

    viewer_record(&b, "System", "Tcpip", "10/2/2024 12:05:00 PM", 4231, "APP-SQL02", "ports in use");
    sbuf z1 = zstd_frames(b.p, first, first);
    sbuf z2 = zstd_frames(b.p + first, second, second);
    sbuf z3 = zstd_frames(b.p + first + second, b.n - first - second, b.n);
    z2.p[z2.n / 2] = (char)(z2.p[z2.n / 2] ^ 0x5a); /* damage the middle frame */
    z2.p[z2.n / 2 + 1] = (char)(z2.p[z2.n / 2 + 1] ^ 0x55);
    sbuf all = { 0 };
    sb_add(&all, z1.p, z1.n);
    sb_add(&all, z2.p, z2.n);
    sb_add(&all, z3.p, z3.n);
    result r = run_mem("bad.zst", all.p, all.n, 0);
    cr_expect_eq(r.rc, 2, "%s", r.err);
    char frag[128];
    snprintf(frag, sizeof frag, "logsift: bad.zst: offset %zu: ", z1.n);
    cr_expect(strstr(r.err, frag) != NULL, "stderr: %s", r.err);
    cr_expect_not_null(find_line(r.out, "uptime-497", "APP-SQL02"), "%s", r.out);
    cr_expect_not_null(find_line(r.out, "tcpip-port-exhaustion", "APP-SQL02"), "%s", r.out);
    result s = run_mem("bad.zst", all.p, all.n, 5);
    expect_same(&r, &s, 5);
    result t = run_threaded("bad.zst", all.p, all.n, 0);
    expect_same(&r, &t, 0);
    result u = run_threaded("bad.zst", all.p, all.n, 5);
    expect_same(&r, &u, 5);
    result_free(&r);
    result_free(&s);
    result_free(&t);
    result_free(&u);
    free(b.p);
    free(z1.p);
    free(z2.p);
    free(z3.p);
    free(all.p);
}

static sbuf utf16le(const char *p, size_t n, int bom)
{
    /* The samples are ASCII plus the Japanese header, written through iconv-free
     * means: decode UTF-8 by hand. */
    sbuf u = { 0 };
    if (bom)
        sb_add(&u, "\xff\xfe", 2);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        uint8_t c = (uint8_t)p[i];
        if (c < 0x80)
            cp = c, i += 1;
        else if ((c & 0xE0) == 0xC0)
            cp = ((c & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu), i += 2;
        else
            cp = ((c & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu), i += 3;
        char two[2] = { (char)(cp & 0xFF), (char)(cp >> 8) };
        sb_add(&u, two, 2);
    }
    return u;
}

Test(decoding, utf16le_with_bom_gives_the_same_findings)
{
    sbuf b = mixed_sample();
    sb_printf(&b, "アクティブな接続\r\n");
    result plain = run_mem("mixed.txt", b.p, b.n, 0);
    sbuf u = utf16le(b.p, b.n, 1);
    result ru = run_mem("mixed.txt", u.p, u.n, 0);
    cr_expect_eq(plain.rc, ru.rc);
    cr_expect_str_eq(plain.out, ru.out);
    result rc = run_mem("mixed.txt", u.p, u.n, 3);
    cr_expect_str_eq(plain.out, rc.out);
    sbuf z = zstd_frames(u.p, u.n, 777);
    result rz = run_mem("mixed.txt", z.p, z.n, 11);
    cr_expect_str_eq(plain.out, rz.out);
    result_free(&plain);
    result_free(&ru);
    result_free(&rc);
    result_free(&rz);
    free(b.p);
    free(u.p);
    free(z.p);
}

Test(decoding, utf8_bom_is_skipped_and_offsets_count_it)
{
    sbuf b = { 0 };
    sb_add(&b, "\xef\xbb\xbf", 3);
    uptime_event(&b, "APP-SQL02", "10/2/2024 12:00:00 PM", 42953114ull);
    result r = run_mem("bom.txt", b.p, b.n, 0);
    const char *l = find_line(r.out, "uptime-497", "APP-SQL02");
    cr_assert_not_null(l, "%s%s", r.out, r.err);
    cr_expect(line_has(l, "\"offset\":3,\"line\":1"), "%s", l);
    result_free(&r);
    free(b.p);
}

Test(decoding, binary_inputs_are_reported_and_skipped)
{
    static const uint8_t bin[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0 };
    result r = run_mem("a.bin", bin, sizeof bin, 0);
    cr_expect_eq(r.rc, 2);
    cr_expect(strstr(r.err, "logsift: a.bin: offset 0: binary data") != NULL, "%s", r.err);
    result_free(&r);
}

/* ---- .evtx ------------------------------------------------------------------------------------- */

static uint8_t *gen_evtx(const char *size, const char *seed, size_t *len)
{
    char path[] = "/tmp/logsift-engine-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%s' '%s' %s %s 2>/dev/null", SIFT_GEN_EVTX_BIN, path, size, seed);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = malloc(*len);
    cr_assert_not_null(p);
    cr_assert_eq(fread(p, 1, *len, f), *len);
    fclose(f);
    unlink(path);
    return p;
}

Test(evtx, findings_do_not_depend_on_how_the_bytes_arrive_or_on_threads)
{
    size_t len;
    uint8_t *p = gen_evtx("400000", "11", &len);
    result whole = run_mem("fleet.evtx", p, len, 0);
    cr_expect_eq(whole.rc, 1, "%s", whole.err);
    cr_expect_str_eq(whole.err, "");
    cr_expect(strstr(whole.out, "rdgw-crash") && strstr(whole.out, "uptime-497"), "%s", whole.out);
    static const size_t chunks[] = { 1, 7, 4095, 4097, 65536, 65537, 1u << 20 };
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        for (int t = 1; t <= 4; t += 3) {
            sift_run_opts o = default_opts();
            o.threads = t;
            /* byte-at-a-time reads of 400 KB are slow: once is enough */
            if (chunks[i] == 1 && t > 1)
                continue;
            result r = run_opts("fleet.evtx", p, len, chunks[i], o);
            cr_expect_eq(r.rc, whole.rc);
            cr_expect_str_eq(r.out, whole.out, "reads of %zu bytes, %d threads", chunks[i], t);
            cr_expect_str_eq(r.err, whole.err);
            result_free(&r);
        }
    }
    result_free(&whole);
    free(p);
}

Test(evtx, every_prefix_of_a_file_reads_without_error_beyond_its_cut)
{
    size_t len;
    uint8_t *p = gen_evtx("1", "5", &len);
    /* Cuts in the header, in the chunk header, inside records and at the end. */
    for (size_t cut = 0; cut <= len; cut += cut < 8192 ? 97 : 1531) {
        result r = run_mem("cut.evtx", p, cut, cut % 3 ? 0 : 4096);
        cr_expect(r.rc == 0 || r.rc == 1 || r.rc == 2, "cut %zu", cut);
        cr_expect(r.rc != 2 || strstr(r.err, "logsift: cut.evtx: offset ") != NULL, "cut %zu: %s", cut, r.err);
        result_free(&r);
    }
    free(p);
}

Test(evtx, a_file_that_is_only_a_header_is_an_empty_log)
{
    uint8_t evtx[4096] = "ElfFile";
    result r = run_mem("a.evtx", evtx, sizeof evtx, 0);
    cr_expect_eq(r.rc, 0, "%s", r.err);
    cr_expect_str_eq(r.out, "");
    result_free(&r);
}

/* ---- hostile inputs ---------------------------------------------------------------------------- */

Test(hostile, overlong_lines_and_records_stay_bounded_and_chunk_invariant)
{
    sbuf b = { 0 };
    /* A 600 KiB line full of TIME_WAIT words and frame-like text. */
    for (int i = 0; i < 60000; i++)
        sb_add(&b, "TIME_WAIT ", 10);
    sb_add(&b, "\n", 1);
    /* A record whose description runs past the record cap, with its Event ID early. */
    sb_printf(&b, "Log Name: System\nSource: EventLog\nDate: 10/2/2024 12:00:00 PM\nEvent ID: 6013\n"
                  "Computer: BIG\nDescription:\nThe system uptime is 42953114 seconds.\n");
    for (int i = 0; i < 40000; i++)
        sb_add(&b, "filler line of a very long description\n", 39);
    netstat_snapshot(&b, "2024-10-02T12:00:00Z", "FS01", 300, 0);
    result whole = run_mem("h.txt", b.p, b.n, 0);
    cr_expect_not_null(find_line(whole.out, "uptime-497", "BIG"), "%s%s", whole.out, whole.err);
    cr_expect_not_null(find_line(whole.out, "timewait-exhaustion", "FS01"), "%s", whole.out);
    static const size_t sizes[] = { 1000, 4096, 100000, 300000 };
    for (size_t i = 0; i < 4; i++) {
        result r = run_mem("h.txt", b.p, b.n, sizes[i]);
        expect_same(&whole, &r, sizes[i]);
        result_free(&r);
    }
    result_free(&whole);
    free(b.p);
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The fastest of three runs over the input, in seconds: the fastest, so
 * that a busy machine slows it less. */
static double fastest_run(const sbuf *b, const char *name)
{
    double best = 1e9;
    for (int k = 0; k < 3; k++) {
        double t0 = seconds_now();
        result r = run_mem(name, b->p, b->n, 0);
        double t = seconds_now() - t0;
        cr_expect_eq(r.rc, 0, "%s", r.err);
        result_free(&r);
        if (t < best)
            best = t;
    }
    return best;
}

/* Not speed tests: each compares two inputs that must cost about the same
 * work, one of them shaped the way a past bug made expensive, so the bound
 * is a ratio and the machine's speed cancels out. */
static void expect_alike(const sbuf *plain, const sbuf *hostile, double max_ratio, const char *name)
{
    double tp = fastest_run(plain, name), th = fastest_run(hostile, name);
    cr_expect_lt(th, max_ratio * tp + 0.05, "%s: %zu bytes %.3f s, hostile %zu bytes %.3f s", name, plain->n, tp,
                 hostile->n, th);
}

/* n "Proto" hits after a run of `blanks` blanks, `lines` times. */
static void lead_lines(sbuf *b, int lines, int blanks)
{
    for (int l = 0; l < lines; l++) {
        for (int i = 0; i < blanks; i++)
            sb_add(b, " ", 1);
        for (int i = 0; i < 6553; i++)
            sb_add(b, "Proto", 5);
        sb_add(b, "\n", 1);
    }
}

/* A header literal with a lead ("Proto" must follow nothing but blanks)
 * hit thousands of times on one line after a run of blanks: each hit used
 * to read the blanks again (32 KiB x 6,500 hits per line, 4 s per MiB).
 * 32 times the blanks may cost about twice the bytes, not 32 times. */
Test(hostile, many_lead_hits_on_one_blank_opened_line_cost_linear_time)
{
    sbuf plain = { 0 }, hostile = { 0 };
    lead_lines(&plain, 32, 1024);
    lead_lines(&hostile, 32, 32768);
    expect_alike(&plain, &hostile, 4.0, "lead.txt");
    free(plain.p);
    free(hostile.p);
}

/* 16 MiB of "TIME" in lines of `per_line` hits. */
static void time_lines(sbuf *b, int per_line)
{
    for (int l = 0; l < (1 << 22) / per_line; l++) {
        for (int i = 0; i < per_line; i++)
            sb_add(b, "TIME", 4);
        sb_add(b, "\n", 1);
    }
}

/* Lines of 256 KiB holding nothing but "TIME" (a hit every 4 bytes): each
 * hit used to search 64 KiB back for its line start (0.3 s per MiB). The
 * same bytes in 4 KiB lines set the pace. */
Test(hostile, a_hit_every_four_bytes_of_a_long_line_costs_linear_time)
{
    sbuf plain = { 0 }, hostile = { 0 };
    time_lines(&plain, 1024);
    time_lines(&hostile, 65536);
    expect_alike(&plain, &hostile, 3.0, "time.txt");
    free(plain.p);
    free(hostile.p);
}

/* 16 MiB of `word` in lines of `per_line` of them, each line wrapped in
   prefix and suffix. */
static void word_lines(sbuf *b, const char *prefix, const char *word, const char *suffix, int per_line)
{
    size_t w = strlen(word);
    for (int l = 0; l < (int)((1u << 24) / (w * (size_t)per_line)); l++) {
        sb_add(b, prefix, strlen(prefix));
        for (int i = 0; i < per_line; i++)
            sb_add(b, word, w);
        sb_add(b, suffix, strlen(suffix));
    }
}

/* The same 16 MiB of words cost about the same in long lines as in short. */
static void expect_line_length_free(const char *prefix, const char *word, const char *suffix, int short_line,
                                    int long_line, const char *name)
{
    sbuf plain = { 0 }, hostile = { 0 };
    word_lines(&plain, prefix, word, suffix, short_line);
    word_lines(&hostile, prefix, word, suffix, long_line);
    expect_alike(&plain, &hostile, 3.0, name);
    free(plain.p);
    free(hostile.p);
}

/* Lines of 256 KiB full of the hit that may arm a side literal (a header's
 * "Proto"): each hit used to read its whole line again. The same bytes in
 * 4 KiB lines set the pace. */
Test(hostile, a_line_full_of_arming_hits_costs_linear_time)
{
    expect_line_length_free("", "Proto ", "\n", 682, 43690, "proto.txt");
}

/* JSON lines of 200 KiB full of a trigger: each hit used to search back
 * for its line's start. */
Test(hostile, json_lines_full_of_triggers_cost_linear_time)
{
    expect_line_length_free("{\"m\":\"", "6013 ", "\"}\n", 800, 40000, "lines.json");
}

Test(hostile, random_bytes_never_crash)
{
    uint64_t x = 0x9E3779B97F4A7C15ull;
    uint8_t *buf = malloc(1 << 20);
    for (int round = 0; round < 8; round++) {
        for (size_t i = 0; i < (1u << 20); i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* Mostly text with newlines, some of it from the patterns' alphabet. */
            static const char alpha[] = "TIME_WAITLog Name:Event ID: 1000 6013\n\t 0123456789/:-TCP[]";
            buf[i] = (round & 1) ? (uint8_t)x : (uint8_t)alpha[x % (sizeof alpha - 1)];
        }
        result a = run_mem("r.txt", buf, 1u << 20, 0);
        result b = run_mem("r.txt", buf, 1u << 20, 4093);
        expect_same(&a, &b, 4093);
        result_free(&a);
        result_free(&b);
    }
    free(buf);
}

/* An Event Viewer save whose first dates read both ways (01/07/2025) and
 * whose last one settles the order (13/07/2025). The crashes before it
 * wait for the order; a live run hands them over before the last record
 * arrives. The final lines must still be the whole run's: the same
 * evidence in record order and the module of the last crash. */
static void evsave_crash(sbuf *b, const char *date, const char *module)
{
    sb_printf(b,
              "Error,%s,Application Error,1000,(100),\"Faulting application name: svchost.exe_TSGateway, "
              "version: 10.0.17763.5936, time stamp: 0x1a2b3c4d\r\nFaulting module name: %s, version: "
              "10.0.17763.6054, time stamp: 0x2b3c4d5e\r\nException code: 0xc0000005\r\n\"\r\n",
              date, module);
}

Test(chunking, held_dates_reach_the_host_table_in_record_order)
{
    sbuf b = { 0 };
    sb_printf(&b, "Level,Date and Time,Source,Event ID,Task Category\r\n");
    evsave_crash(&b, "01/07/2025 10:00:00", "a1.dll");
    evsave_crash(&b, "02/07/2025 10:30:00", "a2.dll");
    evsave_crash(&b, "03/07/2025 11:00:00", "a3.dll");
    evsave_crash(&b, "04/07/2025 11:30:00", "a4.dll");
    size_t first = b.n;
    evsave_crash(&b, "13/07/2025 12:00:00", "a5.dll");
    sift_run_opts o = default_opts();
    o.host = "H1";
    result whole = run_opts("save.csv", b.p, b.n, 0, o);
    cr_assert_eq(whole.rc, 1, "%s", whole.err);
    cr_expect(line_has(whole.out, "\"module\":\"a5.dll\""), "%s", whole.out);
    o.live = 1;
    result live = run_opts("save.csv", b.p, b.n, first, o);
    /* The final lines of the live run, in order. */
    sbuf fin = { 0 };
    for (const char *p = live.out; p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol + 1 - p) : strlen(p);
        if (line_has(p, "\"final\":true"))
            sb_add(&fin, p, n);
        p += n;
    }
    sb_add(&fin, "", 1);
    cr_expect_str_eq(fin.p, whole.out);
    result_free(&whole);
    result_free(&live);
    free(fin.p);
    free(b.p);
}

/* ---- output ---------------------------------------------------------------------------------- */

Test(output, json_strings_stay_valid_whatever_the_bytes)
{
    char out[64];
    static const uint8_t in[] = { 'a', '"', '\\', '\n', 0x01, 0xff, 0xe3, 0x83, 0x97, 0xc3 };
    size_t n = sift_json_escape(in, sizeof in, out, sizeof out);
    cr_expect_str_eq(out, "a\\\"\\\\\\u000a\\u0001\\ufffd\xe3\x83\x97\\ufffd");
    cr_expect_eq(n, strlen(out));
    /* Truncation never splits an escape. */
    n = sift_json_escape(in, sizeof in, out, 5);
    cr_expect_str_eq(out, "a\\\"");
}

Test(output, findings_are_ordered_by_host_then_rule)
{
    sbuf b = mixed_sample();
    result r = run_mem("mixed.txt", b.p, b.n, 0);
    const char *a = strstr(r.out, "\"host\":\"APP-SQL02");
    const char *f = strstr(r.out, "\"host\":\"FS01");
    const char *g = strstr(r.out, "\"host\":\"RDG01");
    cr_assert(a && f && g);
    cr_expect(a < f && f < g);
    const char *u = strstr(r.out, "uptime-497");
    const char *t = strstr(r.out, "tcpip-port-exhaustion");
    cr_expect(u < t, "rules in table order within a host");
    result_free(&r);
    free(b.p);
}

Test(output, live_mode_writes_findings_as_they_rise)
{
    sbuf b = { 0 };
    tsgw_crash(&b, "RDG01", "10/2/2024 8:00:00 AM", "0xc0000005");
    tsgw_crash(&b, "RDG01", "10/2/2024 8:30:00 AM", "0xc0000005");
    tsgw_crash(&b, "RDG01", "10/2/2024 9:00:00 AM", "0xc0000005");
    sift_run_opts o = default_opts();
    o.live = 1;
    result r = run_opts("live.txt", b.p, b.n, 100, o);
    /* high on the first crash, critical once periodic, then the final line. */
    cr_expect_eq(count_lines(r.out), 3, "%s", r.out);
    const char *first = r.out;
    cr_expect(line_has(first, "\"severity\":\"high\"") && line_has(first, "\"final\":false"), "%s", r.out);
    const char *second = strchr(first, '\n') + 1;
    cr_expect(line_has(second, "\"severity\":\"critical\"") && line_has(second, "\"final\":false"), "%s", r.out);
    const char *third = strchr(second, '\n') + 1;
    cr_expect(line_has(third, "\"final\":true") && line_has(third, "\"count\":3"), "%s", r.out);
    result_free(&r);
    free(b.p);
}

/* A live table is judged on the rows it has whenever the stream pauses, not
 * only when the next snapshot begins (which may be minutes away): a growing
 * table raises its finding as it crosses each threshold, yet counts as one
 * snapshot, and the final line is the one a whole-file run gives. */
Test(output, live_tables_rise_as_their_rows_arrive)
{
    sbuf b = { 0 };
    netstat_snapshot(&b, "2024-10-02T12:00:00Z", "FS01", 95, 3);
    sift_run_opts o = default_opts();
    o.port_range = 100;
    result whole = run_opts("n.txt", b.p, b.n, 0, o);
    o.live = 1;
    result r = run_opts("n.txt", b.p, b.n, 200, o);
    cr_assert_eq(count_lines(r.out), 3, "%s", r.out);
    const char *first = r.out, *second = strchr(first, '\n') + 1, *third = strchr(second, '\n') + 1;
    cr_expect(line_has(first, "\"severity\":\"medium\"") && line_has(first, "\"final\":false"), "%s", r.out);
    cr_expect(line_has(second, "\"severity\":\"critical\"") && line_has(second, "\"final\":false"), "%s", r.out);
    cr_expect(line_has(second, "\"count\":1,") && line_has(second, "\"snapshots\":1,"), "%s", second);
    cr_expect(line_has(third, "\"time_wait_max\":95,") && line_has(third, "\"snapshots\":1,"), "%s", third);
    cr_expect_str_eq(third, whole.out);
    result_free(&r);
    result_free(&whole);
    free(b.p);
}

/* A table still arriving must not make a trend the whole input does not
 * show: out of order, 12:02 passes through 30 rows (10, 20, 30, 40 would be
 * rising) on its way to 50 (10, 20, 50, 40 is not). Nothing may be said
 * early that the final output takes back. */
Test(output, a_live_table_still_arriving_announces_no_passing_trend)
{
    sbuf b = { 0 };
    netstat_snapshot(&b, "2024-10-02T12:00:00Z", "FS01", 10, 2);
    netstat_snapshot(&b, "2024-10-02T12:01:00Z", NULL, 20, 2);
    netstat_snapshot(&b, "2024-10-02T12:03:00Z", NULL, 40, 2);
    netstat_snapshot(&b, "2024-10-02T12:02:00Z", NULL, 50, 2);
    result whole = run_mem("n.txt", b.p, b.n, 0);
    cr_assert_str_eq(whole.out, "", "the whole input shows no trend");
    sift_run_opts o = default_opts();
    o.live = 1;
    for (size_t chunk = 61; chunk < 4000; chunk = chunk * 2 + 1) {
        result r = run_opts("n.txt", b.p, b.n, chunk, o);
        cr_expect_str_eq(r.out, "", "chunk %zu", chunk);
        cr_expect_eq(r.rc, 0, "chunk %zu", chunk);
        result_free(&r);
    }
    result_free(&whole);
    free(b.p);
}

Test(rules, a_host_line_after_an_event_export_names_the_next_table)
{
    /* Collection scripts print the host right after the last event record. */
    sbuf b = { 0 };
    viewer_record(&b, "System", "Service Control Manager", "10/2/2024 7:59:00 AM", 7036, "SRV-010", "running");
    netstat_snapshot(&b, "Wed 10/02/2024 12:00:00.00", "FS01", 300, 2);
    /* An indented host-like line inside a description does not. */
    viewer_record(&b, "System", "Service Control Manager", "10/2/2024 7:59:00 AM", 7036, "SRV-011",
                  "The account:\r\n\tComputer Name: WRONG\r\n");
    netstat_snapshot(&b, "Wed 10/02/2024 12:05:00.00", NULL, 310, 2);
    result r = run_mem("n.txt", b.p, b.n, 0);
    const char *l = find_line(r.out, "timewait-exhaustion", "FS01");
    cr_assert_not_null(l, "%s", r.out);
    cr_expect(line_has(l, "\"snapshots\":2"), "%s", l);
    cr_expect_eq(count_lines(r.out), 1, "%s", r.out);
    result_free(&r);
    free(b.p);
}

Test(rules, frames_and_labels_must_stand_where_windows_puts_them)
{
    /* An indented "Log Name:" is not a record start, and an "Event ID:"
     * after other text on its line is not the record's id. */
    const char *text = "  Log Name:      System\nSource:        EventLog\nEvent ID:      6013\nComputer:      A\n"
                       "Description:\nThe system uptime is 42953114 seconds.\n"
                       "Log Name:      System\nSource:        EventLog\nDate:          10/2/2024 12:00:00 PM\n"
                       "Event ID:      7036\nComputer:      B\nDescription:\nsee Event ID: 6013\n"
                       "The system uptime is 42953114 seconds.\n";
    result r = run_mem("f.txt", text, strlen(text), 0);
    cr_expect_eq(r.rc, 0, "%s%s", r.out, r.err);
    cr_expect_eq(r.out_len, 0, "%s", r.out);
    result_free(&r);
}

Test(rules, the_format_option_restricts_what_is_looked_for)
{
    sbuf b = mixed_sample();
    sift_run_opts o = default_opts();
    o.formats = format_bit("evtext");
    result r = run_opts("m.txt", b.p, b.n, 0, o);
    cr_expect_eq(count_lines(r.out), 3, "%s", r.out);
    cr_expect_null(find_line(r.out, "timewait-exhaustion", "FS01"));
    result_free(&r);
    o.formats = format_bit("netstat");
    r = run_opts("m.txt", b.p, b.n, 0, o);
    cr_expect_eq(count_lines(r.out), 1, "%s", r.out);
    cr_expect_not_null(find_line(r.out, "timewait-exhaustion", "FS01"));
    result_free(&r);
    free(b.p);
}

/* ---- live streams, error order, buffers, limits ------------------------------------------------ */

/* In live mode an open candidate record is verified on the lines it has when
 * the stream pauses. A Tcpip 4231 record needs no description, so a pause
 * right after its "Event ID:" line verifies it before its "Computer:" line
 * arrives, and the event is filed under the path's host for good. */
Test(live, a_tcpip_event_is_filed_under_its_computer)
{
    sbuf b = { 0 };
    viewer_record(&b, "System", "Tcpip", "10/2/2024 12:05:00 PM", 4231, "APP-SQL02", "ports in use");
    sift_run_opts o = default_opts();
    o.live = 1;
    result r = run_opts("live.txt", b.p, b.n, 1, o); /* every byte is a pause */
    cr_expect_not_null(find_line(r.out, "tcpip-port-exhaustion", "APP-SQL02"), "%s", r.out);
    cr_expect_null(find_line(r.out, "tcpip-port-exhaustion", "live"), "%s", r.out);
    result_free(&r);
    free(b.p);
}

/* A record error and a decode error must come out in the same order whatever
 * the read size. The scan runs when the window has less than MIN_ROOM free;
 * with whole input the decoder fills the window to the damaged frame first
 * (decode error, then record error), with small reads the scan triggers at
 * 4 MiB - 64 KiB, before the decoder reaches the damage (record error first). */
Test(errors, decode_and_record_errors_keep_their_order_whatever_the_chunking)
{
    sbuf a = { 0 };
    sb_printf(&a, "Log Name:      System\nSource:        EventLog\nEvent ID:      x\nEvent ID:      6013\n"
                  "Description:\nThe system uptime is 42953114 seconds.\n");
    while (a.n < 4u * 1024u * 1024u - 40000u)
        sb_printf(&a, "filler %zu\n", a.n);
    sbuf c = { 0 };
    uptime_event(&c, "APP-SQL02", "10/2/2024 12:00:00 PM", 42953114ull);
    sbuf za = zstd_frames(a.p, a.n, a.n);
    sbuf zc = zstd_frames(c.p, c.n, c.n);
    sbuf all = { 0 };
    sb_add(&all, za.p, za.n);
    size_t bad = all.n + zc.n / 2;
    sb_add(&all, zc.p, zc.n);
    all.p[bad] = (char)(all.p[bad] ^ 0x5a);
    all.p[bad + 1] = (char)(all.p[bad + 1] ^ 0x55);
    sb_add(&all, zc.p, zc.n);
    result whole = run_mem("o.zst", all.p, all.n, 0);
    cr_expect_eq(whole.rc, 2, "%s", whole.err);
    static const size_t sizes[] = { 1, 7 };
    for (size_t i = 0; i < 2; i++) {
        result r = run_mem("o.zst", all.p, all.n, sizes[i]);
        expect_same(&whole, &r, sizes[i]);
        result_free(&r);
    }
    /* Decoding on a second thread hands over 1 MiB slots, each error after
     * the bytes before it: the order must still be the one-thread order. */
    expect_threaded_same(&whole, "o.zst", &all, 7);
    result_free(&whole);
    free(a.p);
    free(c.p);
    free(za.p);
    free(zc.p);
    free(all.p);
}

/* sift_run_memory(chunk 0) treats the caller's const buffer as a file
 * mapping and madvise(MADV_DONTNEED)s the pages it has passed: on a
 * page-aligned anonymous buffer over 16 MiB that zero-fills the caller's data. */
Test(input, a_mapped_run_leaves_the_callers_buffer_untouched)
{
    size_t cap = 20u << 20;
    char *m = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(m != MAP_FAILED);
    sbuf b = { 0 };
    uptime_event(&b, "APP-SQL02", "10/2/2024 12:00:00 PM", 42953114ull);
    while (b.n < (17u << 20))
        sb_printf(&b, "filler line %zu\n", b.n);
    memcpy(m, b.p, b.n);
    result whole = run_mem("m.txt", m, b.n, 0);
    cr_expect_eq(memcmp(m, b.p, b.n), 0, "the input buffer was modified");
    result piped = run_mem("m.txt", m, b.n, 65536);
    expect_same(&whole, &piped, 65536);
    result_free(&whole);
    result_free(&piped);
    munmap(m, cap);
    free(b.p);
}

/* Every observation re-evaluates its (host, rule), live or not: for crashes
 * that is two qsorts of up to 4096 times each. 20,000 crashes of one host
 * (12 MB) take seconds instead of milliseconds (~3 MB/s). */
/* 20,000 crashes of one host: every one counted. (This input once took
 * seconds, evaluating severities at every observation; speed itself is
 * measured by bench/, never by a timed unit test.) */
Test(rules, crash_heavy_input_counts_every_crash)
{
    sbuf b = { 0 };
    for (int i = 0; i < 20000; i++) {
        char d[64];
        snprintf(d, sizeof d, "%d/%d/%d %d:%02d:07 %s", 1 + i / (48 * 28) % 12, 1 + i / 48 % 28,
                 2000 + i / (48 * 28 * 12), (i % 48) / 2 % 12 + 1, (i % 2) * 30, (i % 48) < 24 ? "AM" : "PM");
        tsgw_crash(&b, "RDG01", d, "0xc0000005");
    }
    result r = run_mem("c.txt", b.p, b.n, 0);
    cr_expect_eq(r.rc, 1);
    cr_expect(line_has(r.out, "\"count\":20000"), "%s", r.out);
    result_free(&r);
    free(b.p);
}

/* Evidence paths go through a 1 KiB escape buffer: a path longer than that
 * is printed cut short, naming a file that does not exist. */
Test(output, long_evidence_paths_are_printed_whole)
{
    char path[1200];
    memset(path, 'd', sizeof path);
    for (size_t i = 50; i < sizeof path - 20; i += 50)
        path[i] = '/';
    snprintf(path + sizeof path - 20, 20, "/RDG01_app.txt");
    sbuf b = { 0 };
    tsgw_crash(&b, "RDG01", "10/2/2024 8:00:00 AM", "0xc0000005");
    result r = run_mem(path, b.p, b.n, 0);
    char frag[1300];
    snprintf(frag, sizeof frag, "\"path\":\"%s\"", path);
    cr_expect(strstr(r.out, frag) != NULL, "%s", r.out);
    result_free(&r);
    free(b.p);
}

/* A live stream of an .evtx (tail -f of a growing file, a pipe) is read as
 * one, whatever its reads: the decision waits for the magic. */
Test(live, an_evtx_stream_is_read_as_evtx)
{
    size_t len;
    uint8_t *p = gen_evtx("1", "9", &len);
    sift_run_opts o = default_opts();
    o.live = 1;
    result r = run_opts("a.evtx", p, len, 3, o);
    cr_expect_eq(r.rc, 1, "%s", r.err);
    cr_expect(strstr(r.out, "rdgw-crash") != NULL, "%s", r.out);
    result_free(&r);
    free(p);
}


/* A sweep of a fleet: 100,000 hosts, each with an uptime report, in one
 * run, stay well under 128 MiB resident (the host table keeps a host's name
 * and, once a rule fires, that rule's state only). Measured on the test's
 * own process, whose input is built in memory. */
Test(limits, a_hundred_thousand_hosts_fit_in_128_mib)
{
#ifdef UNDER_ASAN
    cr_skip_test("ASan's shadow memory says nothing about logsift's");
#else
    sbuf b = { 0 };
    for (int i = 0; i < 100000; i++)
        sb_printf(&b, "Log Name: System\nSource: EventLog\nDate: 2024-10-02T12:00:00Z\nEvent ID: 6013\n"
                      "Computer: HOST%06d.corp.example.com\nDescription:\nThe system uptime is 4000000 seconds.\n", i);
    struct rusage before, after;
    cr_assert_eq(getrusage(RUSAGE_SELF, &before), 0);
    result r = run_mem("fleet.txt", b.p, b.n, 0);
    cr_assert_eq(getrusage(RUSAGE_SELF, &after), 0);
    cr_expect_eq(r.rc, 0, "%s", r.err); /* uptimes far below the warning: no findings */
    cr_expect_eq(r.out_len, 0);
    /* ru_maxrss is in KiB; the input itself (~16 MB) is counted too. */
    cr_expect_lt(after.ru_maxrss, 128 * 1024, "peak %ld KiB", after.ru_maxrss);
    result_free(&r);
    free(b.p);
#endif
}
