/* test_evtext.c - sift_evtext: Event Viewer and wevtutil text records, every input behind a guard page. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "sift_evtext.h"
#include "sift_message.h"

/* The value after a label in a message, as the message layouts read it. */
static int desc_value(sift_slice desc, sift_slice label, sift_slice *value)
{
    return sift_message_label(desc, &label, 1, value);
}


#define BASE 1000000u

/* ---- samples: the illustrative records of windows-signatures.md A.3 / C.1 */

static const char viewer_1000[] =
    "Log Name:      Application\n"
    "Source:        Application Error\n"
    "Date:          7/23/2024 10:31:07 AM\n"
    "Event ID:      1000\n"
    "Task Category: Application Crashing Events\n"
    "Level:         Error\n"
    "Keywords:      Classic\n"
    "User:          N/A\n"
    "Computer:      RDG01.corp.example.com\n"
    "Description:\n"
    "Faulting application name: svchost.exe_TSGateway, version: 10.0.20348.2322, time stamp: 0x5e3b2c51\n"
    "Faulting module name: aaedge.dll, version: 10.0.20348.2582, time stamp: 0x6f1c2d3e\n"
    "Exception code: 0xc0000005\n"
    "Fault offset: 0x000000000004b7a2\n"
    "Faulting process id: 0x1c4c\n"
    "Faulting application start time: 0x01dadcf1a2b3c4d5\n"
    "Faulting application path: C:\\Windows\\system32\\svchost.exe\n"
    "Faulting module path: C:\\Windows\\System32\\aaedge.dll\n"
    "Report Id: 3f6c1e2a-9b7d-4c11-8e0f-2a5b7c9d1e44\n"
    "Faulting package full name: \n"
    "Faulting package-relative application ID: \n";

static const char viewer_6013[] =
    "Log Name:      System\n"
    "Source:        EventLog\n"
    "Date:          7/23/2024 12:00:00 PM\n"
    "Event ID:      6013\n"
    "Task Category: None\n"
    "Level:         Information\n"
    "Keywords:      Classic\n"
    "User:          N/A\n"
    "Computer:      APP-SQL02.corp.example.com\n"
    "Description:\n"
    "The system uptime is 42953114 seconds.\n";

static const char wevtutil_6013[] =
    "Event[0]:\n"
    "  Log Name: System\n"
    "  Source: EventLog\n"
    "  Date: 2024-07-23T12:00:00.5120000Z\n"
    "  Event ID: 6013\n"
    "  Task: N/A\n"
    "  Level: Information\n"
    "  Opcode: N/A\n"
    "  Keyword: Classic\n"
    "  User: N/A\n"
    "  User Name: N/A\n"
    "  Computer: APP-SQL02.corp.example.com\n"
    "  Description: \n"
    "The system uptime is 42953114 seconds.\n"
    "\n";

static const char azure_1000[] =
    "LogName: Application\n"
    "Source: Application Error\n"
    "Date: 6/2/2023, 5:30:02 PM\n"
    "Event ID: 1000\n"
    "Task Category: (100)\n"
    "Level: Error\n"
    "Keywords: Classic\n"
    "User: N/A\n"
    "Computer: rdg02.contoso.example\n"
    "Description:\n"
    "Faulting application name: svchost.exe_TSGateway, version: 10.0.17763.5936, time stamp: 0x1a2b3c4d\n"
    "Faulting module name: aaedge.dll, version: 10.0.17763.6054, time stamp: 0x2b3c4d5e\n"
    "Exception code: 0xc0000005\n"
    "Fault offset: 0x0000000000021f3c\n"
    "\n"
    "---\n";

static const char viewer_4227[] =
    "Log Name:      System\n"
    "Source:        Tcpip\n"
    "Date:          7/23/2024 3:14:15 PM\n"
    "Event ID:      4227\n"
    "Task Category: None\n"
    "Level:         Warning\n"
    "Keywords:      Classic\n"
    "User:          N/A\n"
    "Computer:      APP-SQL02.corp.example.com\n"
    "Description:\n"
    "TCP/IP failed to establish an outgoing connection because the selected local endpoint was recently "
    "used to connect to the same remote endpoint. This error typically occurs when outgoing connections "
    "are opened and closed at a high rate, causing all available local ports to be used and forcing "
    "TCP/IP to reuse a local port for an outgoing connection. To minimize the risk of data corruption, "
    "the TCP/IP standard requires a minimum time period to elapse between successive connections from a "
    "given local endpoint to a given remote endpoint.\n";

static const char wevtutil_4231[] =
    "Event[17]:\n"
    "  Log Name: System\n"
    "  Source: Tcpip\n"
    "  Date: 2024-07-23T15:20:01.000\n"
    "  Event ID: 4231\n"
    "  Task: N/A\n"
    "  Level: Error\n"
    "  Opcode: Info\n"
    "  Keyword: Classic\n"
    "  User: N/A\n"
    "  User Name: N/A\n"
    "  Computer: APP-SQL02\n"
    "  Description: \n"
    "A request to allocate an ephemeral port number from the global TCP port space has failed due to all "
    "such ports being in use.\n";

static const char ja_6013[] =
    "ログの名前:         System\n"
    "ソース:           EventLog\n"
    "日付:            2024/07/23 12:00:00\n"
    "イベント ID:       6013\n"
    "タスクのカテゴリ:      なし\n"
    "レベル:           情報\n"
    "キーワード:         クラシック\n"
    "ユーザー:          N/A\n"
    "コンピューター:       APP-SQL02.corp.example.com\n"
    "説明:\n"
    "システム起動時間は 42953114 秒です。\n";

typedef struct sample {
    const char *text;
    sift_evtext_style style;
    const char *log_name, *source, *date, *level, *computer;
    uint32_t event_id;
    const char *desc_head, *desc_tail; /* the description starts and ends so */
} sample;

static const sample samples[] = {
    { viewer_1000, SIFT_EVTEXT_VIEWER, "Application", "Application Error", "7/23/2024 10:31:07 AM", "Error",
      "RDG01.corp.example.com", 1000, "Faulting application name: svchost.exe_TSGateway, version",
      "Faulting package full name: \nFaulting package-relative application ID:" },
    { viewer_6013, SIFT_EVTEXT_VIEWER, "System", "EventLog", "7/23/2024 12:00:00 PM", "Information",
      "APP-SQL02.corp.example.com", 6013, "The system uptime is 42953114 seconds.",
      "The system uptime is 42953114 seconds." },
    { wevtutil_6013, SIFT_EVTEXT_WEVTUTIL, "System", "EventLog", "2024-07-23T12:00:00.5120000Z", "Information",
      "APP-SQL02.corp.example.com", 6013, "The system uptime is 42953114 seconds.",
      "The system uptime is 42953114 seconds." },
    { azure_1000, SIFT_EVTEXT_VIEWER, "Application", "Application Error", "6/2/2023, 5:30:02 PM", "Error",
      "rdg02.contoso.example", 1000, "Faulting application name: svchost.exe_TSGateway",
      "Exception code: 0xc0000005\nFault offset: 0x0000000000021f3c" },
    { viewer_4227, SIFT_EVTEXT_VIEWER, "System", "Tcpip", "7/23/2024 3:14:15 PM", "Warning",
      "APP-SQL02.corp.example.com", 4227, "TCP/IP failed to establish an outgoing connection",
      "to a given remote endpoint." },
    { wevtutil_4231, SIFT_EVTEXT_WEVTUTIL, "System", "Tcpip", "2024-07-23T15:20:01.000", "Error", "APP-SQL02",
      4231, "A request to allocate an ephemeral port number", "such ports being in use." },
    { ja_6013, SIFT_EVTEXT_VIEWER, "System", "EventLog", "2024/07/23 12:00:00", "情報",
      "APP-SQL02.corp.example.com", 6013, "システム起動時間は 42953114 秒です。",
      "システム起動時間は 42953114 秒です。" },
};
#define NSAMPLES (sizeof samples / sizeof samples[0])

/* ---- helpers */

typedef struct parsed {
    guard_buf g;
    sift_evtext_rec ev;
    sift_error err;
    sift_status st;
} parsed;

static int slice_is(sift_slice s, const char *want)
{
    return sift_slice_eq(s, sift_slice_make(want, strlen(want)));
}

static const char *show(sift_slice s)
{
    return s.len ? (const char *)s.ptr : "";
}

static void expect_field(sift_slice got, const char *want, const char *what)
{
    cr_expect(slice_is(got, want), "%s: got \"%.*s\", want \"%s\"", what, (int)got.len, show(got), want);
}

static int inside(sift_slice s, const uint8_t *p, size_t n)
{
    return s.len == 0 || (s.ptr >= p && s.len <= n && (size_t)(s.ptr - p) <= n - s.len);
}

/* Every slice in p, and a have bit exactly for each non-empty slice. */
static void check_event(const sift_evtext_rec *ev, const uint8_t *p, size_t n)
{
    const sift_slice f[] = { ev->log_name, ev->source, ev->date, ev->level, ev->computer, ev->description };
    const unsigned bit[] = { SIFT_EVTEXT_HAS_LOG_NAME, SIFT_EVTEXT_HAS_SOURCE, SIFT_EVTEXT_HAS_DATE, SIFT_EVTEXT_HAS_LEVEL, SIFT_EVTEXT_HAS_COMPUTER,
                             SIFT_EVTEXT_HAS_DESCRIPTION };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        cr_assert(inside(f[i], p, n), "field %zu outside the record", i);
        cr_assert_eq(!(ev->have & bit[i]), !f[i].len, "have bit %#x vs length %zu", bit[i], f[i].len);
    }
}

static parsed parse_bytes(const void *text, size_t len)
{
    parsed p;
    p.g = guard_copy(text, len);
    p.err = (sift_error){ SIFT_OK, 0, NULL };
    p.st = sift_evtext_parse(sift_slice_make(p.g.ptr, p.g.len), BASE, &p.ev, &p.err);
    check_event(&p.ev, p.g.ptr, p.g.len);
    return p;
}

static parsed parse_str(const char *s)
{
    return parse_bytes(s, strlen(s));
}

/* s with every LF turned into CRLF; caller frees. */
static char *to_crlf(const char *s, size_t *out_len)
{
    size_t n = strlen(s), m = 0;
    char *d = malloc(2 * n + 1);
    cr_assert_not_null(d);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            d[m++] = '\r';
        d[m++] = s[i];
    }
    d[m] = '\0';
    *out_len = m;
    return d;
}

static size_t find(const char *hay, size_t n, const char *needle)
{
    const char *p = memmem(hay, n, needle, strlen(needle));
    cr_assert_not_null(p, "\"%s\" not in sample", needle);
    return (size_t)(p - hay);
}

static void expect_sample(const sample *s, const parsed *p)
{
    cr_assert_eq(p->st, SIFT_OK, "status %d", p->st);
    cr_expect_eq(p->ev.style, s->style);
    cr_expect_eq(p->ev.event_id, s->event_id);
    cr_expect_eq(p->ev.have, 0x7fu);
    expect_field(p->ev.log_name, s->log_name, "log name");
    expect_field(p->ev.source, s->source, "source");
    expect_field(p->ev.date, s->date, "date");
    expect_field(p->ev.level, s->level, "level");
    expect_field(p->ev.computer, s->computer, "computer");
    /* Compared without CRs, so the CRLF renderings share the expectations. */
    char *d = malloc(p->ev.description.len + 1);
    cr_assert_not_null(d);
    size_t n = 0;
    for (size_t i = 0; i < p->ev.description.len; i++)
        if (p->ev.description.ptr[i] != '\r')
            d[n++] = (char)p->ev.description.ptr[i];
    const size_t hl = strlen(s->desc_head), tl = strlen(s->desc_tail);
    cr_assert(n >= hl && n >= tl, "description too short: \"%.*s\"", (int)n, d);
    cr_expect(memcmp(d, s->desc_head, hl) == 0, "description head: \"%.*s\"", (int)n, d);
    cr_expect(memcmp(d + n - tl, s->desc_tail, tl) == 0, "description tail: \"%.*s\"", (int)n, d);
    free(d);
}

/* ---- the reference records */

Test(evtext, viewer_1000_tsgateway_gives_every_field)
{
    parsed p = parse_str(viewer_1000);
    expect_sample(&samples[0], &p);
    sift_slice v;
    cr_assert(desc_value(p.ev.description, SIFT_LIT("Faulting application name:"), &v));
    expect_field(v, "svchost.exe_TSGateway, version: 10.0.20348.2322, time stamp: 0x5e3b2c51", "app");
    cr_assert(desc_value(p.ev.description, SIFT_LIT("Exception code:"), &v));
    expect_field(v, "0xc0000005", "exception code");
    cr_assert(desc_value(p.ev.description, SIFT_LIT("Faulting module path:"), &v));
    expect_field(v, "C:\\Windows\\System32\\aaedge.dll", "module path");
    cr_assert(desc_value(p.ev.description, SIFT_LIT("Faulting package full name:"), &v));
    cr_expect_eq(v.len, 0);
    guard_free(&p.g);
}

/* With labels of several languages, the line that comes first wins, not the
 * label listed first: a record judged on its first lines (a live pause)
 * must read as it does whole. */
Test(evtext, desc_value_any_takes_the_first_line_whatever_the_label)
{
    static const char desc[] = "例外コード: 0xc0000005\r\n  Exception code: 0xc0000409\r\nOther: x";
    guard_buf g = guard_copy(desc, sizeof desc - 1);
    const sift_slice d = sift_slice_make(g.ptr, g.len);
    const sift_slice labels[] = { SIFT_LIT("Exception code:"), SIFT_LIT(""), SIFT_LIT("例外コード:") };
    sift_slice v;
    cr_assert(sift_message_label(d, labels, 3, &v));
    expect_field(v, "0xc0000005", "first line");
    cr_assert(sift_message_label(d, labels, 1, &v));
    expect_field(v, "0xc0000409", "English only");
    cr_assert_not(sift_message_label(d, labels + 1, 1, &v), "an empty label matches nothing");
    cr_expect_eq(v.len, 0);
    cr_assert(sift_message_label(d, labels + 2, 1, &v));
    expect_field(v, "0xc0000005", "Japanese only");
    guard_free(&g);
}

Test(evtext, viewer_6013_gives_the_uptime_message)
{
    parsed p = parse_str(viewer_6013);
    expect_sample(&samples[1], &p);
    expect_field(p.ev.description, "The system uptime is 42953114 seconds.", "description");
    guard_free(&p.g);
}

Test(evtext, wevtutil_6013_reads_indented_labels_and_the_column_0_message)
{
    parsed p = parse_str(wevtutil_6013);
    expect_sample(&samples[2], &p);
    expect_field(p.ev.description, "The system uptime is 42953114 seconds.", "description");
    guard_free(&p.g);
}

Test(evtext, azure_variant_reads_logname_and_drops_the_separator)
{
    parsed p = parse_str(azure_1000);
    expect_sample(&samples[3], &p);
    cr_expect_eq(p.ev.description.ptr[p.ev.description.len - 1], 'c');
    sift_slice v;
    cr_assert(desc_value(p.ev.description, SIFT_LIT("Exception code:"), &v));
    expect_field(v, "0xc0000005", "exception code");
    guard_free(&p.g);
}

Test(evtext, tcpip_4227_and_4231)
{
    for (size_t i = 4; i <= 5; i++) {
        parsed p = parse_str(samples[i].text);
        expect_sample(&samples[i], &p);
        guard_free(&p.g);
    }
}

Test(evtext, japanese_labels_are_aliases)
{
    parsed p = parse_str(ja_6013);
    expect_sample(&samples[6], &p);
    expect_field(p.ev.description, "システム起動時間は 42953114 秒です。", "description");
    guard_free(&p.g);
}

Test(evtext, japanese_description_label_with_text_on_its_line)
{
    parsed p = parse_str("ログの名前: System\nイベント ID: 6013\n説明: システム起動時間は 1 秒です。\r\n");
    cr_assert_eq(p.st, SIFT_OK);
    cr_expect_eq(p.ev.event_id, 6013);
    expect_field(p.ev.description, "システム起動時間は 1 秒です。", "description");
    guard_free(&p.g);
}

/* ---- line ends and prefixes */

typedef struct sample_case {
    int index;
    int crlf;
} sample_case;

ParameterizedTestParameters(evtext, crlf_and_lf_give_identical_fields)
{
    static sample_case cases[NSAMPLES];
    for (size_t i = 0; i < NSAMPLES; i++)
        cases[i] = (sample_case){ (int)i, 1 };
    return cr_make_param_array(sample_case, cases, NSAMPLES);
}

ParameterizedTest(sample_case *sc, evtext, crlf_and_lf_give_identical_fields)
{
    const sample *s = &samples[sc->index];
    size_t n;
    char *crlf = to_crlf(s->text, &n);
    parsed a = parse_str(s->text), b = parse_bytes(crlf, n);
    expect_sample(s, &b);
    cr_assert_eq(a.st, b.st);
    cr_assert_eq(a.ev.style, b.ev.style);
    cr_assert_eq(a.ev.have, b.ev.have);
    cr_assert_eq(a.ev.event_id, b.ev.event_id);
    cr_assert(sift_slice_eq(a.ev.log_name, b.ev.log_name));
    cr_assert(sift_slice_eq(a.ev.source, b.ev.source));
    cr_assert(sift_slice_eq(a.ev.date, b.ev.date));
    cr_assert(sift_slice_eq(a.ev.level, b.ev.level));
    cr_assert(sift_slice_eq(a.ev.computer, b.ev.computer));
    /* The message keeps its own line ends; only the CRs may differ. */
    size_t j = 0;
    for (size_t i = 0; i < b.ev.description.len; i++)
        if (b.ev.description.ptr[i] != '\r')
            cr_assert_eq(b.ev.description.ptr[i], a.ev.description.ptr[j++]);
    cr_assert_eq(j, a.ev.description.len);
    guard_free(&a.g);
    guard_free(&b.g);
    free(crlf);
}

ParameterizedTestParameters(evtext, every_prefix_parses_what_is_there)
{
    static sample_case cases[2 * NSAMPLES];
    for (size_t i = 0; i < 2 * NSAMPLES; i++)
        cases[i] = (sample_case){ (int)(i / 2), (int)(i % 2) };
    return cr_make_param_array(sample_case, cases, 2 * NSAMPLES);
}

/* Status is SYNTAX until the frame line's colon, MISSING until the first
 * digit of the Event ID, then OK with the digits seen so far. Every field
 * starts where it starts in the whole record. */
ParameterizedTest(sample_case *sc, evtext, every_prefix_parses_what_is_there)
{
    const sample *s = &samples[sc->index];
    size_t n = strlen(s->text);
    char *text = sc->crlf ? to_crlf(s->text, &n) : strdup(s->text);
    cr_assert_not_null(text);
    const size_t frame_end = find(text, n, ":") + 1;
    const char *label = strstr(text, "Event ID:") ? "Event ID:" : "イベント ID:";
    size_t id_at = find(text, n, label) + strlen(label);
    while (text[id_at] == ' ')
        id_at++;
    cr_assert(id_at > frame_end && text[id_at] >= '1' && text[id_at] <= '9');

    parsed whole = parse_bytes(text, n);
    expect_sample(s, &whole);
    const sift_slice wf[] = { whole.ev.log_name, whole.ev.source, whole.ev.date, whole.ev.level,
                              whole.ev.computer, whole.ev.description };
    for (size_t i = 0; i <= n; i++) {
        parsed p = parse_bytes(text, i);
        if (i < frame_end) {
            cr_assert_eq(p.st, SIFT_ERR_SYNTAX, "prefix %zu", i);
            cr_assert_eq(p.err.offset, BASE);
            cr_assert_eq(p.ev.have, 0);
        } else if (i <= id_at) {
            cr_assert_eq(p.st, SIFT_ERR_MISSING, "prefix %zu: status %d", i, p.st);
            cr_assert_eq(p.err.offset, BASE);
            cr_assert_eq(p.ev.style, s->style);
        } else {
            uint32_t want = 0;
            for (size_t k = id_at; k < i && text[k] >= '0' && text[k] <= '9'; k++)
                want = want * 10 + (uint32_t)(text[k] - '0');
            cr_assert_eq(p.st, SIFT_OK, "prefix %zu: status %d", i, p.st);
            cr_assert_eq(p.ev.event_id, want, "prefix %zu", i);
        }
        const sift_slice pf[] = { p.ev.log_name, p.ev.source, p.ev.date, p.ev.level, p.ev.computer,
                                  p.ev.description };
        for (size_t f = 0; f < sizeof pf / sizeof pf[0]; f++) {
            if (pf[f].len == 0)
                continue;
            cr_assert_eq(pf[f].ptr - p.g.ptr, wf[f].ptr - whole.g.ptr, "prefix %zu field %zu", i, f);
            if (f < 5)
                cr_assert(pf[f].len <= wf[f].len, "prefix %zu field %zu", i, f);
        }
        guard_free(&p.g);
    }
    guard_free(&whole.g);
    free(text);
}

/* ---- Event ID values */

typedef struct id_case {
    char value[48];
    sift_status st;
    uint32_t id;
} id_case;

ParameterizedTestParameters(evtext, event_id_values)
{
    static id_case cases[] = {
        { "1000", SIFT_OK, 1000 },
        { "      1000", SIFT_OK, 1000 },
        { "1000   \t", SIFT_OK, 1000 },
        { "\t6013\t", SIFT_OK, 6013 },
        { "0", SIFT_OK, 0 },
        { "65535", SIFT_OK, 65535 },
        { "0000065535", SIFT_OK, 65535 },
        { "65536", SIFT_ERR_NUMBER, 0 },
        { "99999999999999999999", SIFT_ERR_NUMBER, 0 },
        { "18446744073709551616", SIFT_ERR_NUMBER, 0 },
        { "-1", SIFT_ERR_NUMBER, 0 },
        { "+1", SIFT_ERR_NUMBER, 0 },
        { "0x3e8", SIFT_ERR_NUMBER, 0 },
        { "10 00", SIFT_ERR_NUMBER, 0 },
        { "1000a", SIFT_ERR_NUMBER, 0 },
        { "\xef\xbc\x91\xef\xbc\x90", SIFT_ERR_NUMBER, 0 }, /* full-width digits */
        { "", SIFT_ERR_MISSING, 0 },
        { "     ", SIFT_ERR_MISSING, 0 },
    };
    return cr_make_param_array(id_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(id_case *c, evtext, event_id_values)
{
    char rec[160];
    const int n = snprintf(rec, sizeof rec, "Log Name: System\nSource: EventLog\nEvent ID:%s\r\nLevel: Error\n",
                           c->value);
    cr_assert(n > 0 && (size_t)n < sizeof rec);
    parsed p = parse_bytes(rec, (size_t)n);
    cr_assert_eq(p.st, c->st, "\"%s\": status %d", c->value, p.st);
    expect_field(p.ev.source, "EventLog", "source");
    expect_field(p.ev.level, "Error", "level"); /* fields after a bad id are still read */
    if (c->st == SIFT_OK) {
        cr_assert_eq(p.ev.event_id, c->id);
        cr_assert(p.ev.have & SIFT_EVTEXT_HAS_EVENT_ID);
    } else {
        cr_assert_eq(p.ev.event_id, 0);
        cr_assert_eq(p.ev.have & SIFT_EVTEXT_HAS_EVENT_ID, 0);
        cr_assert_eq(p.err.code, c->st);
        size_t at = BASE;
        if (c->st == SIFT_ERR_NUMBER)
            at += strlen("Log Name: System\nSource: EventLog\nEvent ID:") + strspn(c->value, " \t");
        cr_assert_eq(p.err.offset, at, "offset %llu", (unsigned long long)p.err.offset);
    }
    guard_free(&p.g);
}

/* ---- framing and labels */

Test(evtext, records_not_starting_with_a_frame_line_are_syntax_errors)
{
    static const char *const bad[] = {
        "", "L", " Log Name: System\nEvent ID: 1\n", "Source: EventLog\nEvent ID: 1\n",
        "log name: System\nEvent ID: 1\n", "Log Name System\nEvent ID: 1\n", "Event[]:\n  Event ID: 1\n",
        "Event[12]\n  Event ID: 1\n", "Event[1a]:\n  Event ID: 1\n", "Event 1:\n  Event ID: 1\n",
        "\nLog Name: System\nEvent ID: 1\n", "\xef\xbb\xbfLog Name: System\nEvent ID: 1\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        parsed p = parse_str(bad[i]);
        cr_assert_eq(p.st, SIFT_ERR_SYNTAX, "case %zu", i);
        cr_assert_eq(p.err.code, SIFT_ERR_SYNTAX);
        cr_assert_eq(p.err.offset, BASE);
        cr_assert_not_null(p.err.detail);
        cr_assert_eq(p.ev.have, 0);
        cr_assert_eq(p.ev.style, 0);
        guard_free(&p.g);
    }
    sift_evtext_rec ev;
    cr_assert_eq(sift_evtext_parse((sift_slice){ NULL, 0 }, 0, &ev, NULL), SIFT_ERR_SYNTAX);
}

Test(evtext, frame_lines_accepted)
{
    static const char *const good[] = {
        "Log Name: A\nEvent ID: 1\n", "LogName:A\nEvent ID: 1\n", "Event[0]:\n  Event ID: 1\n",
        "Event[123456789012345678901234567890]:\r\n  Event ID: 1\r\n", "Event[7]: trailing\n  Event ID: 1",
        "ログの名前: A\nEvent ID: 1\n",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        parsed p = parse_str(good[i]);
        cr_assert_eq(p.st, SIFT_OK, "case %zu: status %d", i, p.st);
        cr_assert_eq(p.ev.event_id, 1);
        cr_assert_eq(p.ev.style, good[i][0] == 'E' ? SIFT_EVTEXT_WEVTUTIL : SIFT_EVTEXT_VIEWER);
        guard_free(&p.g);
    }
}

Test(evtext, no_event_id_line_is_missing)
{
    parsed p = parse_str("Log Name: System\nSource: EventLog\nEvent Id: 6013\nevent ID: 6013\nEventID: 6013\n"
                         "Description:\nEvent ID: 6013\n");
    cr_assert_eq(p.st, SIFT_ERR_MISSING);
    cr_assert_eq(p.err.offset, BASE);
    expect_field(p.ev.source, "EventLog", "source");
    expect_field(p.ev.description, "Event ID: 6013", "description");
    guard_free(&p.g);
}

Test(evtext, labels_inside_the_description_are_not_picked_up)
{
    parsed p = parse_str("Log Name: System\n"
                         "Event ID: 7\n"
                         "Description:\n"
                         "Source: Evil\n"
                         "Computer: EVIL\n"
                         "  Level: Critical\n"
                         "Event ID: 1\n"
                         "Description: again\n");
    cr_assert_eq(p.st, SIFT_OK);
    cr_assert_eq(p.ev.event_id, 7);
    cr_assert_eq(p.ev.have, SIFT_EVTEXT_HAS_LOG_NAME | SIFT_EVTEXT_HAS_EVENT_ID | SIFT_EVTEXT_HAS_DESCRIPTION);
    cr_assert_eq(p.ev.source.len, 0);
    cr_assert_eq(p.ev.computer.len, 0);
    cr_assert_eq(p.ev.level.len, 0);
    expect_field(p.ev.description,
                 "Source: Evil\nComputer: EVIL\n  Level: Critical\nEvent ID: 1\nDescription: again", "description");
    guard_free(&p.g);
}

Test(evtext, duplicated_labels_first_occurrence_wins)
{
    parsed p = parse_str("Log Name: System\nSource: First\nSource: Second\nEvent ID: 5\nEvent ID: 6\n"
                         "Log Name: Other\nComputer:\nComputer: late\nLevel:   \nLevel: Error\n");
    cr_assert_eq(p.st, SIFT_OK);
    cr_assert_eq(p.ev.event_id, 5);
    expect_field(p.ev.log_name, "System", "log name");
    expect_field(p.ev.source, "First", "source");
    /* An empty value counts as absent. */
    expect_field(p.ev.computer, "late", "computer");
    expect_field(p.ev.level, "Error", "level");
    guard_free(&p.g);

    p = parse_str("Log Name: System\nEvent ID: 70000\nEvent ID: 6\n");
    cr_assert_eq(p.st, SIFT_ERR_NUMBER);
    cr_assert_eq(p.err.offset, BASE + strlen("Log Name: System\nEvent ID: "));
    guard_free(&p.g);
}

Test(evtext, unknown_labels_and_stray_lines_are_ignored)
{
    parsed p = parse_str("Event[3]:\n"
                         "  Provider Guid: {fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}\n"
                         "junk without colon\n"
                         "\n"
                         "  Source : Spaced\n"
                         "  source: lower\n"
                         "  Task Category: None\n"
                         "  Event ID: 1\n"
                         "\tSource:\tTabbed\t\n"
                         "Computer:HOST\n");
    cr_assert_eq(p.st, SIFT_OK);
    cr_assert_eq(p.ev.style, SIFT_EVTEXT_WEVTUTIL);
    expect_field(p.ev.source, "Tabbed", "source");
    expect_field(p.ev.computer, "HOST", "computer");
    cr_assert_eq(p.ev.have, SIFT_EVTEXT_HAS_SOURCE | SIFT_EVTEXT_HAS_EVENT_ID | SIFT_EVTEXT_HAS_COMPUTER);
    guard_free(&p.g);
}

Test(evtext, description_text_on_the_label_line_is_kept)
{
    parsed p = parse_str("LogName: System\nEvent ID: 6013\nDescription:   The system uptime is 1 seconds.  \r\n"
                         "Second line.\r\n\r\n");
    cr_assert_eq(p.st, SIFT_OK);
    expect_field(p.ev.description, "The system uptime is 1 seconds.  \r\nSecond line.", "description");
    guard_free(&p.g);
}

Test(evtext, trailing_separator_lines_are_removed)
{
    static const struct {
        const char *tail, *want;
    } cases[] = {
        { "msg\n---\n", "msg" },
        { "msg\r\n---\r\n", "msg" },
        { "msg\n\n-----------------\n\n", "msg" },
        { "msg\n---\n\n---\n  ---  \n", "msg" },
        { "msg\n---", "msg" },
        { "msg\n--\n", "msg\n--" },
        { "msg\n- - -\n", "msg\n- - -" },
        { "msg---\n", "msg---" },
        { "a\n---\nb\n", "a\n---\nb" },
        { "---\n", "" },
        { "\n\n", "" },
        { "", "" },
        { "msg \t\n", "msg" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char rec[128];
        const int n = snprintf(rec, sizeof rec, "Log Name: System\nEvent ID: 1\nDescription:\n%s", cases[i].tail);
        cr_assert(n > 0 && (size_t)n < sizeof rec);
        parsed p = parse_bytes(rec, (size_t)n);
        cr_assert_eq(p.st, SIFT_OK);
        cr_expect(slice_is(p.ev.description, cases[i].want), "case %zu: \"%.*s\"", i, (int)p.ev.description.len,
                  show(p.ev.description));
        cr_expect_eq(!!(p.ev.have & SIFT_EVTEXT_HAS_DESCRIPTION), cases[i].want[0] != '\0', "case %zu", i);
        guard_free(&p.g);
    }
}

Test(evtext, parses_only_its_slice_of_a_bigger_buffer)
{
    /* The engine hands records as slices; the next record must stay unseen. */
    char both[sizeof viewer_6013 + sizeof wevtutil_6013];
    const size_t n1 = strlen(viewer_6013);
    memcpy(both, viewer_6013, n1);
    memcpy(both + n1, wevtutil_6013, strlen(wevtutil_6013));
    guard_buf g = guard_copy(both, n1 + strlen(wevtutil_6013));
    sift_evtext_rec ev;
    cr_assert_eq(sift_evtext_parse(sift_slice_make(g.ptr, n1 - 1), 0, &ev, NULL), SIFT_OK);
    check_event(&ev, g.ptr, n1 - 1);
    expect_field(ev.description, "The system uptime is 42953114 seconds.", "description");
    cr_assert_eq(sift_evtext_parse(sift_slice_make(g.ptr, n1 - 2), 0, &ev, NULL), SIFT_OK);
    expect_field(ev.description, "The system uptime is 42953114 seconds", "description");
    guard_free(&g);
}

/* ---- hostile input */

Test(evtext, huge_label_padding_and_indentation)
{
    /* Label padding, value padding and indentation of 100000 blanks each. */
    const size_t pad = 100000;
    char *rec = malloc(3 * pad + 64);
    cr_assert_not_null(rec);
    size_t n = (size_t)sprintf(rec, "Log Name: System\nEvent ID:");
    memset(rec + n, ' ', pad);
    n += pad;
    n += (size_t)sprintf(rec + n, "1000");
    memset(rec + n, '\t', pad);
    n += pad;
    rec[n++] = '\n';
    memset(rec + n, ' ', pad);
    n += pad;
    n += (size_t)sprintf(rec + n, "Computer: X\n");
    parsed p = parse_bytes(rec, n);
    cr_assert_eq(p.st, SIFT_OK);
    cr_assert_eq(p.ev.event_id, 1000);
    expect_field(p.ev.computer, "X", "computer");
    guard_free(&p.g);
    free(rec);
}

Test(evtext, binary_bytes_and_nuls)
{
    static const char rec[] = "Log Name: Sys\0tem\nSource: \x01\xff\xfe\x80\nEvent ID: 6013\n"
                              "Computer: \0\nDescription:\n\0\xc3\x28 bad utf-8\0";
    parsed p = parse_bytes(rec, sizeof rec - 1);
    cr_assert_eq(p.st, SIFT_OK);
    cr_assert_eq(p.ev.event_id, 6013);
    cr_assert_eq(p.ev.log_name.len, 7);
    cr_assert(memcmp(p.ev.log_name.ptr, "Sys\0tem", 7) == 0);
    cr_assert_eq(p.ev.source.len, 4);
    cr_assert_eq(p.ev.computer.len, 1); /* a NUL is not a blank */
    cr_assert_eq(p.ev.description.len, sizeof "\0\xc3\x28 bad utf-8\0" - 1);
    guard_free(&p.g);

    p = parse_bytes("Log Name: S\nEvent ID: 60\0\n", 26);
    cr_assert_eq(p.st, SIFT_ERR_NUMBER);
    cr_assert_eq(p.err.offset, BASE + 22);
    guard_free(&p.g);

    /* Random bytes behind each frame line: any status, never a stray slice. */
    uint32_t x = 12345;
    uint8_t *buf = malloc(4096 + 16);
    cr_assert_not_null(buf);
    for (int round = 0; round < 300; round++) {
        const char *frame = round % 2 ? "Event[0]:\n" : "Log Name: S\n";
        const size_t fl = strlen(frame), n = fl + (size_t)(round * 13 % 4096);
        memcpy(buf, frame, fl);
        for (size_t i = fl; i < n; i++) {
            x = x * 1103515245u + 12345u;
            const uint8_t b = (uint8_t)(x >> 16);
            buf[i] = (uint8_t)(b % 5 == 0 ? '\n' : b % 7 == 0 ? ':' : b);
        }
        p = parse_bytes(buf, n);
        cr_assert(p.st == SIFT_OK || p.st == SIFT_ERR_MISSING || p.st == SIFT_ERR_NUMBER);
        guard_free(&p.g);
    }
    free(buf);
}

Test(evtext, description_of_200_kib)
{
    const char head[] = "Event[9]:\r\n  Log Name: Application\r\n  Event ID: 1000\r\n  Description: \r\n";
    const size_t body = 200 * 1024, hl = sizeof head - 1;
    char *rec = malloc(hl + body + 64);
    cr_assert_not_null(rec);
    memcpy(rec, head, hl);
    for (size_t i = 0; i < body; i++)
        rec[hl + i] = i % 80 == 79 ? '\n' : (char)('a' + i % 26);
    const char last[] = "\nException code: 0xc0000005\r\n";
    memcpy(rec + hl + body, last, sizeof last - 1);
    const size_t n = hl + body + sizeof last - 1;
    parsed p = parse_bytes(rec, n);
    cr_assert_eq(p.st, SIFT_OK);
    cr_assert_eq(p.ev.description.ptr, p.g.ptr + hl);
    cr_assert_eq(p.ev.description.len, body + sizeof last - 3); /* without the final CRLF */
    sift_slice v;
    cr_assert(desc_value(p.ev.description, SIFT_LIT("Exception code:"), &v));
    expect_field(v, "0xc0000005", "exception code");
    cr_assert_not(desc_value(p.ev.description, SIFT_LIT("Report Id:"), &v));
    guard_free(&p.g);

    /* Cut where the engine cuts: mid-message, at SIFT_EVTEXT_MAX_RECORD. */
    char *big = malloc(SIFT_EVTEXT_MAX_RECORD);
    cr_assert_not_null(big);
    memcpy(big, head, hl);
    memset(big + hl, 'x', SIFT_EVTEXT_MAX_RECORD - hl);
    p = parse_bytes(big, SIFT_EVTEXT_MAX_RECORD);
    cr_assert_eq(p.st, SIFT_OK);
    cr_assert_eq(p.ev.description.len, SIFT_EVTEXT_MAX_RECORD - hl);
    guard_free(&p.g);
    free(big);
    free(rec);
}

Test(evtext, missing_newline_at_end)
{
    parsed p = parse_str("Log Name: System\nEvent ID: 6013");
    cr_assert_eq(p.st, SIFT_OK);
    cr_assert_eq(p.ev.event_id, 6013);
    guard_free(&p.g);
    p = parse_str("Log Name: System\r\nEvent ID: 6013\r\nComputer: HOST\r");
    cr_assert_eq(p.st, SIFT_OK);
    expect_field(p.ev.computer, "HOST", "computer");
    guard_free(&p.g);
    p = parse_str("Log Name: System\nEvent ID: 6013\nDescription:\nThe system uptime is 42953114 seconds.");
    expect_field(p.ev.description, "The system uptime is 42953114 seconds.", "description");
    guard_free(&p.g);
    p = parse_str("Log Name: System\nEvent ID: 6013\nDescription:");
    cr_assert_eq(p.st, SIFT_OK);
    cr_assert_eq(p.ev.description.len, 0);
    cr_assert_eq(p.ev.have & SIFT_EVTEXT_HAS_DESCRIPTION, 0);
    guard_free(&p.g);
}

Test(evtext, error_offsets_are_absolute_and_err_may_be_null)
{
    const char rec[] = "Log Name: System\nEvent ID: 99999999999999999999\n";
    guard_buf g = guard_copy(rec, sizeof rec - 1);
    sift_evtext_rec ev;
    sift_error err;
    const uint64_t base = (uint64_t)1 << 40;
    cr_assert_eq(sift_evtext_parse(sift_slice_make(g.ptr, g.len), base, &ev, &err), SIFT_ERR_NUMBER);
    cr_assert_eq(err.offset, base + 27);
    cr_assert_eq(sift_evtext_parse(sift_slice_make(g.ptr, g.len), base, &ev, NULL), SIFT_ERR_NUMBER);
    expect_field(ev.log_name, "System", "log name");
    guard_free(&g);
}

/* ---- sift_evtext_desc_value */

typedef struct desc_case {
    char desc[160];
    char label[40];
    int found;
    char value[64];
} desc_case;

ParameterizedTestParameters(evtext, desc_value)
{
    static desc_case cases[] = {
        { "Exception code: 0xc0000005", "Exception code:", 1, "0xc0000005" },
        { "Faulting application name: svchost.exe_TSGateway, version: 10.0\nException code: 0xc0000005\n",
          "Exception code:", 1, "0xc0000005" },
        { "a\r\n   \tException code:  \t0xc0000005 \t\r\nb", "Exception code:", 1, "0xc0000005" },
        { "Faulting application name: x\nFault offset: 0x1\n", "Exception code:", 0, "" },
        { "Faulting application name: svchost.exe_TSGateway\n", "application name:", 0, "" },
        { "The Exception code: 1 is bad\nException code: 0xc0000005", "Exception code:", 1, "0xc0000005" },
        { "Fault offsets: 1\nFault offset: 2\n", "Fault offset:", 1, "2" },
        { "Exception code: first\nException code: second\n", "Exception code:", 1, "first" },
        { "Faulting package full name: \nReport Id: 1\n", "Faulting package full name:", 1, "" },
        { "exception code: 0xc0000005\n", "Exception code:", 0, "" },
        { "Exception code: 0xc0000005\n", "", 0, "" },
        { "", "Exception code:", 0, "" },
        { "Exception code", "Exception code:", 0, "" },
        { "\n\n\nReport Id: 3f6c1e2a\n\n", "Report Id:", 1, "3f6c1e2a" },
        { "The system uptime is 42953114 seconds.", "The system uptime is", 1, "42953114 seconds." },
    };
    return cr_make_param_array(desc_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(desc_case *c, evtext, desc_value)
{
    guard_buf d = guard_copy(c->desc, strlen(c->desc));
    guard_buf l = guard_copy(c->label, strlen(c->label));
    sift_slice v = SIFT_LIT("junk");
    const int found = desc_value(sift_slice_make(d.ptr, d.len), sift_slice_make(l.ptr, l.len), &v);
    cr_assert_eq(found, c->found, "\"%s\" in \"%s\"", c->label, c->desc);
    expect_field(v, c->value, "value");
    cr_assert(inside(v, d.ptr, d.len));
    guard_free(&d);
    guard_free(&l);
}

Test(evtext, the_event_xml_section_is_not_part_of_the_message)
{
    /* Event Viewer's "Copy details as text" appends the XML after the message. */
    parsed p = parse_str("Log Name:      System\r\nSource:        EventLog\r\nEvent ID:      6013\r\n"
                         "Description:\r\nThe system uptime is 42953114 seconds.\r\nEvent Xml:\r\n"
                         "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\r\n"
                         "  <System><EventID Qualifiers=\"32768\">6013</EventID></System>\r\n</Event>\r\n");
    cr_assert_eq(p.st, SIFT_OK);
    expect_field(p.ev.description, "The system uptime is 42953114 seconds.", "description");
    guard_free(&p.g);
}

/* Labels are searched from the one after the last found (records list them
 * in one order): a record listing them in any other order, some twice,
 * English and Japanese mixed, still fills every field, and the first of a
 * repeated label is the one kept. */
Test(evtext, labels_in_any_order_fill_the_same_fields)
{
    static const char *const lines[] = {
        "Computer:      HOST-A\n", "Level:         Error\n", "Event ID:      1000\n", "ソース:           Application Error\n",
        "Date:          2024-07-10T09:00:00Z\n", "Keywords:      Classic\n", "Computer:      HOST-B\n",
        "User:          N/A\n", "Task Category: (100)\n",
    };
    const size_t n = sizeof lines / sizeof lines[0];
    for (size_t rot = 0; rot < n; rot++) {
        char text[1024];
        size_t len = (size_t)snprintf(text, sizeof text, "Log Name:      Application\n");
        for (size_t k = 0; k < n; k++) {
            /* Rotated and, every other turn, reversed. */
            size_t i = rot % 2 ? (rot + k) % n : (rot + n - k) % n;
            len += (size_t)snprintf(text + len, sizeof text - len, "%s", lines[i]);
        }
        len += (size_t)snprintf(text + len, sizeof text - len, "Description:\nFaulting application name: x.exe\n");
        guard_buf g = guard_copy(text, len);
        sift_evtext_rec ev;
        sift_error err = { 0 };
        cr_assert_eq(sift_evtext_parse(sift_slice_make(g.ptr, g.len), 0, &ev, &err), SIFT_OK, "rot %zu", rot);
        cr_expect(sift_slice_eq(ev.log_name, SIFT_LIT("Application")), "rot %zu", rot);
        cr_expect(sift_slice_eq(ev.source, SIFT_LIT("Application Error")), "rot %zu", rot);
        cr_expect(sift_slice_eq(ev.level, SIFT_LIT("Error")), "rot %zu", rot);
        cr_expect(sift_slice_eq(ev.date, SIFT_LIT("2024-07-10T09:00:00Z")), "rot %zu", rot);
        cr_expect_eq(ev.event_id, 1000, "rot %zu", rot);
        /* HOST-A and HOST-B both appear; whichever comes first is kept. */
        const char *first = strstr(text, "HOST-A") < strstr(text, "HOST-B") ? "HOST-A" : "HOST-B";
        cr_expect(sift_slice_eq(ev.computer, sift_slice_make(first, 6)), "rot %zu: %.*s", rot, (int)ev.computer.len,
                  (const char *)ev.computer.ptr);
        cr_expect(sift_slice_eq(ev.description, SIFT_LIT("Faulting application name: x.exe")), "rot %zu", rot);
        guard_free(&g);
    }
}
