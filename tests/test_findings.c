/* test_findings.c - sift_findings: a finding as one NDJSON line, parsed back
 * by a strict JSON reader here, with every metric type, nulls, evidence and
 * hostile host names and paths. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift_findings.h"

/* ---- a strict JSON reader, enough to check what the writer makes ------------ */

typedef struct jr {
    const char *p, *end;
} jr;

static int jr_value(jr *r);

static void jr_ws(jr *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80)
        return o[0] = (char)cp, 1;
    if (cp < 0x800)
        return o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3F)), 2;
    if (cp < 0x10000)
        return o[0] = (char)(0xE0 | cp >> 12), o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
               o[2] = (char)(0x80 | (cp & 0x3F)), 3;
    return o[0] = (char)(0xF0 | cp >> 18), o[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
           o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), o[3] = (char)(0x80 | (cp & 0x3F)), 4;
}

/* Length of the valid UTF-8 sequence at p (RFC 3629), 0 when invalid. */
static size_t utf8_ok(const unsigned char *p, size_t n)
{
    if (p[0] < 0x80)
        return 1;
    size_t len = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 0;
    if (!len || len > n || p[0] > 0xF4 || p[0] == 0xC0 || p[0] == 0xC1)
        return 0;
    unsigned cp = p[0] & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    static const unsigned min[] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* A string at r->p; decoded (NUL-terminated, cut at cap) into out when out. */
static int jr_string(jr *r, char *out, size_t cap)
{
    size_t o = 0;
    if (r->p >= r->end || *r->p != '"')
        return 0;
    r->p++;
    while (r->p < r->end && *r->p != '"') {
        char tmp[4];
        size_t tn;
        unsigned char c = (unsigned char)*r->p;
        if (c < 0x20)
            return 0; /* raw control bytes are not JSON */
        if (c == '\\') {
            if (r->end - r->p < 2)
                return 0;
            char e = r->p[1];
            r->p += 2;
            const char *simple = strchr("\"\\/bfnrt", e);
            if (e && simple) {
                static const char to[] = "\"\\/\b\f\n\r\t";
                tmp[0] = to[simple - "\"\\/bfnrt"], tn = 1;
            } else if (e == 'u') {
                if (r->end - r->p < 4)
                    return 0;
                unsigned cp = 0;
                for (int i = 0; i < 4; i++) {
                    int h = hexval(r->p[i]);
                    if (h < 0)
                        return 0;
                    cp = cp << 4 | (unsigned)h;
                }
                r->p += 4;
                if (cp >= 0xD800 && cp <= 0xDFFF)
                    return 0; /* the writer never needs surrogates */
                tn = put_utf8(tmp, cp);
            } else {
                return 0;
            }
        } else {
            tn = utf8_ok((const unsigned char *)r->p, (size_t)(r->end - r->p));
            if (!tn)
                return 0;
            memcpy(tmp, r->p, tn);
            r->p += tn;
        }
        if (out && o + tn < cap) {
            memcpy(out + o, tmp, tn);
            o += tn;
        }
    }
    if (r->p >= r->end)
        return 0;
    r->p++;
    if (out && cap)
        out[o] = '\0';
    return 1;
}

static int jr_number(jr *r)
{
    const char *s = r->p;
    if (r->p < r->end && *r->p == '-')
        r->p++;
    if (r->p >= r->end || !(*r->p >= '0' && *r->p <= '9'))
        return 0;
    if (*r->p == '0' && r->end - r->p > 1 && r->p[1] >= '0' && r->p[1] <= '9')
        return 0; /* no leading zeros */
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
        r->p++;
    if (r->p < r->end && *r->p == '.') {
        r->p++;
        if (r->p >= r->end || !(*r->p >= '0' && *r->p <= '9'))
            return 0;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    return r->p > s;
}

static int jr_lit(jr *r, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0)
        return 0;
    r->p += n;
    return 1;
}

static int jr_container(jr *r, char close, int keyed)
{
    r->p++;
    jr_ws(r);
    if (r->p < r->end && *r->p == close)
        return r->p++, 1;
    for (;;) {
        jr_ws(r);
        if (keyed) {
            if (!jr_string(r, NULL, 0))
                return 0;
            jr_ws(r);
            if (r->p >= r->end || *r->p++ != ':')
                return 0;
        }
        jr_ws(r);
        if (!jr_value(r))
            return 0;
        jr_ws(r);
        if (r->p >= r->end)
            return 0;
        if (*r->p == ',') {
            r->p++;
            continue;
        }
        return *r->p++ == close;
    }
}

static int jr_value(jr *r)
{
    if (r->p >= r->end)
        return 0;
    switch (*r->p) {
    case '{': return jr_container(r, '}', 1);
    case '[': return jr_container(r, ']', 0);
    case '"': return jr_string(r, NULL, 0);
    case 't': return jr_lit(r, "true");
    case 'f': return jr_lit(r, "false");
    case 'n': return jr_lit(r, "null");
    default: return jr_number(r);
    }
}

/* The members of one object, names decoded and values as raw text. */
#define MAX_MEMBERS 20
typedef struct members {
    size_t n;
    char name[MAX_MEMBERS][64];
    const char *val[MAX_MEMBERS];
    size_t val_len[MAX_MEMBERS];
} members;

/* Parses text[0, len) as exactly one object; 1 when it is valid JSON. */
static int parse_object(const char *text, size_t len, members *m)
{
    jr r = { text, text + len };
    m->n = 0;
    if (r.p >= r.end || *r.p != '{')
        return 0;
    r.p++;
    for (;;) {
        if (m->n == MAX_MEMBERS || !jr_string(&r, m->name[m->n], sizeof m->name[0]) || r.p >= r.end || *r.p++ != ':')
            return 0;
        m->val[m->n] = r.p;
        if (!jr_value(&r))
            return 0;
        m->val_len[m->n] = (size_t)(r.p - m->val[m->n]);
        m->n++;
        if (r.p < r.end && *r.p == ',') {
            r.p++;
            continue;
        }
        return r.p < r.end && *r.p++ == '}' && r.p == r.end;
    }
}

static const char *member(const members *m, const char *name, size_t *len)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->name[i], name) == 0)
            return *len = m->val_len[i], m->val[i];
    cr_assert_fail("no member %s", name);
    return NULL;
}

static void expect_member(const members *m, const char *name, const char *raw)
{
    size_t len;
    const char *v = member(m, name, &len);
    cr_expect(len == strlen(raw) && memcmp(v, raw, len) == 0, "%s: %.*s, expected %s", name, (int)len, v, raw);
}

/* The decoded string value of member name. */
static void member_string(const members *m, const char *name, char *out, size_t cap)
{
    size_t len;
    const char *v = member(m, name, &len);
    jr r = { v, v + len };
    cr_assert(jr_string(&r, out, cap), "%s is not a string", name);
}

Test(findings, the_reader_here_rejects_what_is_not_json)
{
    static const char *const bad[] = {
        "{\"a\":\"raw\x01\"}", "{\"a\":\"bad\xff\"}", "{\"a\":\"\\x\"}", "{\"a\":01}", "{\"a\":1.}",
        "{\"a\":tru}", "{\"a\":[1,]}", "{\"a\":1", "{\"a\":1}}", "{\"a\" 1}", "{\"a\":\"\\ud800\"}",
        "{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\xc0\xaf\"}",
    };
    static const char *const good[] = { "{\"a\":1}", "{\"a\":[],\"b\":{},\"c\":null,\"d\":-0.5,\"e\":\"\\u00e9\xc3\xa9\"}" };
    members m;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect(!parse_object(bad[i], strlen(bad[i]), &m), "accepted %s", bad[i]);
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        cr_expect(parse_object(good[i], strlen(good[i]), &m), "rejected %s", good[i]);
}

/* ---- writing ------------------------------------------------------------------- */

typedef struct written {
    char *text;
    size_t len;
    members m;
} written;

/* f written once; the line checked to be one JSON object and one '\n'. */
static written write_one(const sift_ruleset *rs, const sift_paths *paths, const sift_finding *f, int final)
{
    written w = { 0 };
    FILE *out = open_memstream(&w.text, &w.len);
    cr_assert_not_null(out);
    sift_findings *fw = sift_findings_create(out, rs, paths);
    cr_assert_not_null(fw);
    cr_assert_eq(sift_findings_write(fw, f, final, 1), 1);
    sift_findings_free(fw);
    fclose(out);
    cr_assert_gt(w.len, 1);
    cr_assert_eq(w.text[w.len - 1], '\n', "a line ends in a newline");
    cr_assert_null(memchr(w.text, '\n', w.len - 1), "one line: %s", w.text);
    cr_assert(parse_object(w.text, w.len - 1, &w.m), "not one JSON object: %s", w.text);
    return w;
}

static sift_when local_at(int64_t secs)
{
    return (sift_when){ .secs = secs, .valid = 1 };
}

static sift_finding crash_finding(void)
{
    sift_finding f = { 0 };
    f.rule = 0;
    f.severity = SIFT_SEV_CRITICAL;
    f.host = "RDG01.corp.example.com";
    f.host_len = strlen(f.host);
    f.first_seen = local_at(1727856013); /* 2024-10-02T08:00:13 */
    f.last_seen = local_at(1727875767);  /* 2024-10-02T13:29:27 */
    f.any_local = 1;
    f.count = 12;
    f.n_ev = 2;
    f.ev[0] = (sift_evidence){ .input = 0, .offset = 393, .line = 13 };
    f.ev[1] = (sift_evidence){ .input = 0, .offset = 20622, .line = 719 };
    f.m[0] = (sift_metric){ .name = "crashes", .type = SIFT_M_U64, .u = 12 };
    f.m[1] = (sift_metric){ .name = "median_interval_s", .type = SIFT_M_I64, .i = 1828 };
    f.m[2] = (sift_metric){ .name = "periodic", .type = SIFT_M_BOOL, .u = 1 };
    f.m[3] = (sift_metric){ .name = "exception", .type = SIFT_M_STR, .s = SIFT_LIT("0xc0000005") };
    f.m[4] = (sift_metric){ .name = "module", .type = SIFT_M_STR, .s = SIFT_LIT("aaedge.dll") };
    f.n_m = 5;
    f.src[0] = 0;
    f.n_src = 1;
    return f;
}

/* The same under a rule without a verdict: what is handed over is printed
 * as it is. */
static sift_finding plain_finding(void)
{
    sift_finding f = crash_finding();
    f.rule = (unsigned)sift_rule_index("tcpip-port-exhaustion");
    return f;
}

typedef struct fixture {
    sift_ruleset *rs;
    sift_paths *paths;
} fixture;

static fixture setup(void)
{
    fixture x = { sift_ruleset_create(), sift_paths_create() };
    cr_assert(x.rs && x.paths);
    cr_assert_eq(sift_paths_intern_as(x.paths, "corpus/demo/rdg01/Application.txt.zst", "evtext"), 0);
    return x;
}

static void teardown(fixture *x)
{
    sift_ruleset_free(x->rs);
    sift_paths_free(x->paths);
}

Test(findings, a_finding_is_one_json_line_with_its_members_in_order)
{
    fixture x = setup();
    sift_finding f = crash_finding();
    written w = write_one(x.rs, x.paths, &f, 1);
    static const char *const order[] = { "rule",     "severity", "host",  "first_seen", "last_seen",  "tz", "count",
                                         "metrics",  "evidence", "sources", "final",     "remediation" };
    cr_assert_eq(w.m.n, 12, "%s", w.text);
    for (size_t i = 0; i < 12; i++)
        cr_expect_str_eq(w.m.name[i], order[i]);
    expect_member(&w.m, "rule", "\"rdgw-crash\"");
    expect_member(&w.m, "severity", "\"critical\"");
    expect_member(&w.m, "host", "\"RDG01.corp.example.com\"");
    expect_member(&w.m, "first_seen", "\"2024-10-02T08:00:13\"");
    expect_member(&w.m, "last_seen", "\"2024-10-02T13:29:27\"");
    expect_member(&w.m, "tz", "\"local\"");
    expect_member(&w.m, "count", "12");
    /* The verdict adds the companions, the build and what it makes of them. */
    expect_member(&w.m, "metrics", "{\"crashes\":12,\"median_interval_s\":1828,\"periodic\":true,"
                                   "\"exception\":\"0xc0000005\",\"module\":\"aaedge.dll\",\"wer_1001\":0,"
                                   "\"scm_7031\":0,\"scm_7034\":0,\"gateway_700\":0,\"build\":null,"
                                   "\"build_from\":null,\"window\":\"unknown\",\"confidence\":\"medium\","
                                   "\"verdict\":\"build unknown: no OS build, cumulative update or file version "
                                   "places the host in the July-October 2024 window\"}");
    expect_member(&w.m, "sources", "[{\"format\":\"evtext\",\"path\":\"corpus/demo/rdg01/Application.txt.zst\"}]");
    expect_member(&w.m, "evidence", "[{\"path\":\"corpus/demo/rdg01/Application.txt.zst\",\"offset\":393,\"line\":13},"
                                    "{\"path\":\"corpus/demo/rdg01/Application.txt.zst\",\"offset\":20622,\"line\":719}]");
    expect_member(&w.m, "final", "true");
    char rem[4096];
    member_string(&w.m, "remediation", rem, sizeof rem);
    cr_expect_str_eq(rem, sift_rules[0].remediation, "backslashes and all come back as written");
    free(w.text);
    teardown(&x);
}

Test(findings, utc_times_end_in_z_and_say_so)
{
    fixture x = setup();
    sift_finding f = crash_finding();
    f.first_seen.utc = f.last_seen.utc = 1;
    f.any_local = 0;
    written w = write_one(x.rs, x.paths, &f, 0);
    expect_member(&w.m, "first_seen", "\"2024-10-02T08:00:13Z\"");
    expect_member(&w.m, "last_seen", "\"2024-10-02T13:29:27Z\"");
    expect_member(&w.m, "tz", "\"utc\"");
    expect_member(&w.m, "final", "false");
    free(w.text);
    teardown(&x);
}

Test(findings, missing_times_and_null_metrics_are_null)
{
    fixture x = setup();
    sift_finding f = plain_finding();
    f.first_seen = f.last_seen = (sift_when){ 0 };
    f.any_local = 0;
    f.m[1] = (sift_metric){ .name = "median_interval_s", .type = SIFT_M_I64, .is_null = 1, .i = 77 };
    f.m[3] = (sift_metric){ .name = "exception", .type = SIFT_M_STR, .is_null = 1, .s = SIFT_LIT("x") };
    f.m[4] = (sift_metric){ .name = "at", .type = SIFT_M_TIME };
    f.n_ev = 0;
    written w = write_one(x.rs, x.paths, &f, 1);
    expect_member(&w.m, "first_seen", "null");
    expect_member(&w.m, "last_seen", "null");
    expect_member(&w.m, "tz", "null");
    expect_member(&w.m, "metrics", "{\"crashes\":12,\"median_interval_s\":null,\"periodic\":true,"
                                   "\"exception\":null,\"at\":null}");
    expect_member(&w.m, "evidence", "[]");
    free(w.text);
    teardown(&x);
}

typedef struct metric_case {
    sift_metric m;
    const char *json;
} metric_case;

Test(findings, every_metric_type_prints_as_its_json)
{
    const metric_case cases[] = {
        { { .name = "u", .type = SIFT_M_U64, .u = 0 }, "0" },
        { { .name = "u", .type = SIFT_M_U64, .u = UINT64_MAX }, "18446744073709551615" },
        { { .name = "u", .type = SIFT_M_U64, .u = 5, .is_null = 1 }, "5" },
        { { .name = "i", .type = SIFT_M_I64, .i = -5 }, "-5" },
        { { .name = "i", .type = SIFT_M_I64, .i = INT64_MIN }, "-9223372036854775808" },
        { { .name = "i", .type = SIFT_M_I64, .i = 0 }, "0" },
        { { .name = "b", .type = SIFT_M_BOOL, .u = 0 }, "false" },
        { { .name = "b", .type = SIFT_M_BOOL, .u = 1 }, "true" },
        { { .name = "b", .type = SIFT_M_BOOL, .u = 256 }, "true" },
        { { .name = "s", .type = SIFT_M_STR, .s = SIFT_LIT("aaedge.dll") }, "\"aaedge.dll\"" },
        { { .name = "s", .type = SIFT_M_STR, .s = { NULL, 0 } }, "\"\"" },
        { { .name = "s", .type = SIFT_M_STR, .s = SIFT_LIT("a\"b\\c\x01") }, "\"a\\\"b\\\\c\\u0001\"" },
        { { .name = "t", .type = SIFT_M_TIME, .t = { .secs = 1727870400, .valid = 1, .utc = 1 } },
          "\"2024-10-02T12:00:00Z\"" },
        { { .name = "t", .type = SIFT_M_TIME, .t = { .secs = 1727870400, .nsec = 999999999, .valid = 1 } },
          "\"2024-10-02T12:00:00\"" },
        { { .name = "t", .type = SIFT_M_TIME, .t = { .secs = 1727870400 } }, "null" },
        { { .name = "d", .type = SIFT_M_TENTHS, .u = 4971 }, "497.1" },
        { { .name = "d", .type = SIFT_M_TENTHS, .u = 4970 }, "497.0" },
        { { .name = "d", .type = SIFT_M_TENTHS, .u = 5 }, "0.5" },
        { { .name = "d", .type = SIFT_M_TENTHS, .u = 0 }, "0.0" },
        { { .name = "d", .type = SIFT_M_TENTHS, .u = UINT64_MAX }, "1844674407370955161.5" },
    };
    fixture x = setup();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sift_finding f = plain_finding();
        f.m[0] = cases[i].m;
        f.n_m = 1;
        written w = write_one(x.rs, x.paths, &f, 1);
        char want[128];
        snprintf(want, sizeof want, "{\"%s\":%s}", cases[i].m.name, cases[i].json);
        expect_member(&w.m, "metrics", want);
        free(w.text);
    }
    teardown(&x);
}

typedef struct escape_case {
    const char *in;
    size_t len;
    const char *json; /* the string body as written */
} escape_case;

#define ESC(lit, out) { lit, sizeof(lit) - 1, out }

static const escape_case escapes[] = {
    ESC("plain.host", "plain.host"),
    ESC("quo\"te", "quo\\\"te"),
    ESC("back\\slash", "back\\\\slash"),
    ESC("nl\nand\rcr\ttab", "nl\\u000aand\\u000dcr\\u0009tab"),
    ESC("nul\0byte", "nul\\u0000byte"),
    ESC("\x1f\x7f", "\\u001f\x7f"),
    ESC("caf\xc3\xa9", "caf\xc3\xa9"),
    ESC("\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac"),
    ESC("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"),
    ESC("bad\xff", "bad\\ufffd"),
    ESC("\xc3(", "\\ufffd("),
    ESC("\xc0\xaf", "\\ufffd\\ufffd"),
    ESC("\xe0\x80\xaf", "\\ufffd\\ufffd\\ufffd"),
    ESC("\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd"),
    ESC("\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd"),
    ESC("\xf8\x88\x80\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd"),
    ESC("end\xe6\x97", "end\\ufffd\\ufffd"),
    ESC("\x80", "\\ufffd"),
    ESC("</script>", "</script>"),
};

Test(findings, hostile_host_names_are_escaped_into_valid_json)
{
    fixture x = setup();
    for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
        const escape_case *c = &escapes[i];
        sift_finding f = crash_finding();
        f.host = c->in;
        f.host_len = c->len;
        written w = write_one(x.rs, x.paths, &f, 1);
        char want[256];
        snprintf(want, sizeof want, "\"%s\"", c->json);
        expect_member(&w.m, "host", want);
        free(w.text);
    }
    teardown(&x);
}

Test(findings, hostile_paths_are_escaped_and_unknown_inputs_are_dash)
{
    fixture x = setup();
    for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
        const escape_case *c = &escapes[i];
        if (memchr(c->in, '\0', c->len))
            continue; /* paths are C strings */
        sift_paths *paths = sift_paths_create();
        uint32_t id = sift_paths_intern(paths, c->in);
        sift_finding f = crash_finding();
        f.n_ev = 2;
        f.ev[0] = (sift_evidence){ .input = id, .offset = 1, .line = 2 };
        f.ev[1] = (sift_evidence){ .input = SIFT_PATH_NONE, .offset = 3, .line = 4 };
        written w = write_one(x.rs, paths, &f, 1);
        char want[512];
        snprintf(want, sizeof want, "[{\"path\":\"%s\",\"offset\":1,\"line\":2},{\"path\":\"-\",\"offset\":3,\"line\":4}]",
                 c->json);
        expect_member(&w.m, "evidence", want);
        free(w.text);
        sift_paths_free(paths);
    }
    teardown(&x);
}

Test(findings, evidence_names_a_line_a_record_or_only_the_offset)
{
    fixture x = setup();
    sift_finding f = crash_finding();
    f.n_ev = 4;
    f.ev[0] = (sift_evidence){ .input = 0, .offset = 0, .line = 1 };
    f.ev[1] = (sift_evidence){ .input = 0, .offset = 4096, .record = 77 };
    f.ev[2] = (sift_evidence){ .input = 0, .offset = UINT64_MAX };
    f.ev[3] = (sift_evidence){ .input = 0, .offset = 9, .line = 3, .record = 5 };
    written w = write_one(x.rs, x.paths, &f, 1);
    expect_member(&w.m, "evidence",
                  "[{\"path\":\"corpus/demo/rdg01/Application.txt.zst\",\"offset\":0,\"line\":1},"
                  "{\"path\":\"corpus/demo/rdg01/Application.txt.zst\",\"offset\":4096,\"record\":77},"
                  "{\"path\":\"corpus/demo/rdg01/Application.txt.zst\",\"offset\":18446744073709551615},"
                  "{\"path\":\"corpus/demo/rdg01/Application.txt.zst\",\"offset\":9,\"line\":3,\"record\":5}]");
    free(w.text);
    teardown(&x);
}

Test(findings, the_longest_line_is_still_whole)
{
    /* The worst the table can hand over: a 255-byte name of control bytes,
     * four evidence paths of 4,095 control bytes, 63-byte metric strings. */
    fixture x = setup();
    sift_paths *paths = sift_paths_create();
    char host[SIFT_HOST_NAME_MAX], path[4096], attr[SIFT_ATTR_MAX];
    memset(host, '\x01', sizeof host);
    memset(attr, '"', sizeof attr);
    sift_finding f = crash_finding();
    f.host = host;
    f.host_len = sizeof host;
    f.n_ev = 4;
    for (int i = 0; i < 4; i++) {
        memset(path, '\x02', sizeof path - 1);
        path[0] = (char)('a' + i);
        path[sizeof path - 1] = '\0';
        f.ev[i] = (sift_evidence){ .input = sift_paths_intern(paths, path), .offset = UINT64_MAX,
                                   .line = UINT64_MAX, .record = UINT64_MAX };
    }
    f.n_m = SIFT_METRICS_MAX;
    for (size_t i = 0; i < SIFT_METRICS_MAX; i++)
        f.m[i] = (sift_metric){ .name = "a_long_metric_name", .type = SIFT_M_STR, .s = sift_slice_make(attr, sizeof attr) };
    cr_assert_eq(sift_ruleset_set(x.rs, "port_range", 65536), 1);
    /* Sources and a chain's links name paths too, as many as they hold. */
    f.n_src = SIFT_SOURCES_MAX;
    for (unsigned i = 0; i < SIFT_SOURCES_MAX; i++) {
        memset(path, '\x03', sizeof path - 1);
        path[0] = (char)('A' + i);
        f.src[i] = sift_paths_intern_as(paths, path, "evtext");
    }
    f.n_links = SIFT_LINKS_MAX;
    for (unsigned i = 0; i < SIFT_LINKS_MAX; i++)
        f.links[i] = (sift_link){ .name = "uptime", .holds = 1, .says = sift_slice_make(attr, sizeof attr),
                                  .has_ev = 1, .ev = f.ev[i % 4] };
    f.rule = (unsigned)sift_rule_index("timewait-exhaustion");
    written w = write_one(x.rs, paths, &f, 1);
    char name[2048];
    member_string(&w.m, "host", name, sizeof name);
    cr_expect_eq(strlen(name), sizeof host);
    size_t len;
    member(&w.m, "evidence", &len);
    cr_expect_gt(len, 4 * 4095 * 6);
    member(&w.m, "sources", &len);
    cr_expect_gt(len, SIFT_SOURCES_MAX * 4095 * 6);
    member(&w.m, "chain", &len);
    cr_expect_gt(len, SIFT_LINKS_MAX * 4095 * 6);
    free(w.text);
    sift_paths_free(paths);
    teardown(&x);
}

Test(findings, remediation_follows_the_runs_settings)
{
    fixture x = setup();
    sift_ruleset *other = sift_ruleset_create();
    cr_assert_eq(sift_ruleset_set(x.rs, "port_range", 1001), 1);
    sift_finding f = crash_finding();
    f.rule = (unsigned)sift_rule_index("timewait-exhaustion");
    f.n_m = 0;
    written a = write_one(x.rs, x.paths, &f, 1), b = write_one(other, x.paths, &f, 1);
    char rem[4096];
    member_string(&a.m, "remediation", rem, sizeof rem);
    cr_expect(strstr(rem, "1,001 ports") && !strstr(rem, "16,384"), "%s", rem);
    member_string(&b.m, "remediation", rem, sizeof rem);
    cr_expect(strstr(rem, "16,384 ports"), "%s", rem);
    expect_member(&a.m, "rule", "\"timewait-exhaustion\"");
    expect_member(&a.m, "metrics", "{}");
    free(a.text);
    free(b.text);
    sift_ruleset_free(other);
    teardown(&x);
}

Test(findings, a_failed_write_is_reported)
{
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        cr_skip_test("no /dev/full");
    fixture x = setup();
    sift_findings *fw = sift_findings_create(full, x.rs, x.paths);
    sift_finding f = crash_finding();
    cr_expect_eq(sift_findings_write(fw, &f, 1, 1), -1);
    sift_findings_free(fw);
    fclose(full);
    teardown(&x);
    sift_findings_free(NULL);
}

/* ---- sift_json_escape ----------------------------------------------------------- */

typedef struct cut_case {
    const char *in;
    size_t cap;
    const char *out;
} cut_case;

Test(findings, escape_cuts_only_on_character_boundaries)
{
    static const cut_case cases[] = {
        { "abc", 4, "abc" },
        { "abc", 3, "ab" },
        { "abc", 1, "" },
        { "\xc3\xa9x", 3, "\xc3\xa9" },
        { "\xc3\xa9x", 2, "" },
        { "a\"", 3, "a" },
        { "a\"", 4, "a\\\"" },
        { "\x01", 6, "" },
        { "\x01", 7, "\\u0001" },
        { "\xff", 6, "" },
        { "\xff", 7, "\\ufffd" },
        { "\xe6\x97\xa5", 3, "" },
        { "\xe6\x97\xa5", 4, "\xe6\x97\xa5" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[32];
        memset(buf, '#', sizeof buf);
        size_t n = sift_json_escape((const uint8_t *)cases[i].in, strlen(cases[i].in), buf, cases[i].cap);
        cr_expect_eq(n, strlen(cases[i].out), "case %zu", i);
        cr_expect_str_eq(buf, cases[i].out, "case %zu", i);
        cr_expect_eq(buf[cases[i].cap], '#', "case %zu: wrote past cap", i);
    }
    char untouched = '#';
    cr_expect_eq(sift_json_escape((const uint8_t *)"abc", 3, &untouched, 0), 0);
    cr_expect_eq(untouched, '#', "cap 0 writes nothing");
}

/* ---- a host's findings together: chains, companions, sources ------------------------- */

/* The finding of rule id, blank but for its severity and one evidence
 * pointer into input 0. */
static sift_finding blank(const char *id, sift_severity sev, uint64_t offset)
{
    sift_finding f = { 0 };
    f.rule = (unsigned)sift_rule_index(id);
    f.severity = sev;
    f.host = "SQL-OLD01";
    f.host_len = 9;
    f.count = 2;
    f.n_ev = 1;
    f.ev[0] = (sift_evidence){ .input = 0, .offset = offset, .line = 1 };
    f.src[0] = 0;
    f.n_src = 1;
    return f;
}

static void side_by_side(sift_finding *all, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        all[i].host_findings = all;
        all[i].n_host_findings = n;
    }
}

/* What writing f gives: -1, 0 or 1, and the line in *text (freed by the caller). */
static int write_raw(const fixture *x, const sift_finding *f, int final, char **text)
{
    size_t len = 0;
    *text = NULL;
    FILE *out = open_memstream(text, &len);
    cr_assert_not_null(out);
    sift_findings *fw = sift_findings_create(out, x->rs, x->paths);
    int k = sift_findings_write(fw, f, final, 1);
    sift_findings_free(fw);
    fclose(out);
    return k;
}

Test(findings, uptime_and_time_wait_on_one_host_print_as_one_chained_line)
{
    fixture x = setup();
    cr_assert_eq(sift_paths_intern_as(x.paths, "sql-old01/netstat.txt", "netstat"), 1);
    sift_finding all[2] = { blank("uptime-497", SIFT_SEV_CRITICAL, 100), blank("timewait-exhaustion", SIFT_SEV_LOW, 200) };
    all[0].m[all[0].n_m++] = (sift_metric){ .name = "uptime_s", .type = SIFT_M_U64, .u = 43036073 };
    all[0].m[all[0].n_m++] = (sift_metric){ .name = "threshold_s", .type = SIFT_M_U64, .u = 42949673 };
    all[1].m[all[1].n_m++] = (sift_metric){ .name = "time_wait_max", .type = SIFT_M_U64, .u = 9000 };
    all[1].ev[0].input = 1;
    all[1].src[0] = 1;
    all[1].count = 4;
    side_by_side(all, 2);
    char *text;
    cr_expect_eq(write_raw(&x, &all[1], 1, &text), 0, "at the end the timewait finding has no line of its own");
    cr_expect_str_eq(text, "");
    free(text);
    written w = write_one(x.rs, x.paths, &all[0], 1);
    expect_member(&w.m, "rule", "\"uptime-497\"");
    expect_member(&w.m, "rules", "[\"uptime-497\",\"timewait-exhaustion\"]");
    expect_member(&w.m, "severity", "\"critical\"");
    expect_member(&w.m, "count", "6");
    expect_member(&w.m, "sources", "[{\"format\":\"evtext\",\"path\":\"corpus/demo/rdg01/Application.txt.zst\"},"
                                   "{\"format\":\"netstat\",\"path\":\"sql-old01/netstat.txt\"}]");
    size_t len;
    const char *chain = member(&w.m, "chain", &len);
    cr_expect(len > 2 && chain[0] == '[', "%.*s", (int)len, chain);
    const char *metrics = member(&w.m, "metrics", &len);
    cr_expect(memmem(metrics, len, "\"time_wait_max\":9000", 20) != NULL, "the link's metrics join: %.*s",
              (int)len, metrics);
    cr_expect(strstr(w.text, "{\"link\":\"time_wait\",\"holds\":true,") != NULL, "%s", w.text);
    cr_expect(strstr(w.text, "\"evidence\":{\"path\":\"sql-old01/netstat.txt\",\"offset\":200,\"line\":1}") != NULL,
              "%s", w.text);
    cr_expect(strstr(w.text, "{\"link\":\"os\",\"holds\":null,") != NULL, "%s", w.text);
    char rem[4096];
    member_string(&w.m, "remediation", rem, sizeof rem);
    cr_expect(strstr(rem, "497.1 days") != NULL, "the cause's remediation");
    free(w.text);
    /* Early, the timewait finding's rise prints the chain it joined. */
    cr_expect_eq(write_raw(&x, &all[1], 0, &text), 1);
    cr_expect(strstr(text, "\"rule\":\"uptime-497\",\"rules\":[") != NULL && strstr(text, "\"final\":false"), "%s",
              text);
    free(text);
    teardown(&x);
}

Test(findings, a_companion_is_printed_within_its_rules_finding_or_in_its_place)
{
    fixture x = setup();
    cr_assert_eq(sift_paths_intern_as(x.paths, "rdg01/System.txt", "evtext"), 1);
    sift_finding all[2] = { crash_finding(), blank("rdgw-companion", SIFT_SEV_MEDIUM, 300) };
    all[1].m[all[1].n_m++] = (sift_metric){ .name = "scm_7031", .type = SIFT_M_U64, .u = 2 };
    all[1].src[0] = 1;
    all[1].ev[0].input = 1;
    side_by_side(all, 2);
    char *text;
    cr_expect_eq(write_raw(&x, &all[1], 0, &text), 0, "never a line of its own beside the crashes, early or not");
    free(text);
    written w = write_one(x.rs, x.paths, &all[0], 1);
    expect_member(&w.m, "rule", "\"rdgw-crash\"");
    expect_member(&w.m, "count", "12");
    size_t len;
    const char *metrics = member(&w.m, "metrics", &len);
    cr_expect(memmem(metrics, len, "\"scm_7031\":2", 12) && memmem(metrics, len, "\"confidence\":\"high\"", 19),
              "%.*s", (int)len, metrics);
    expect_member(&w.m, "sources", "[{\"format\":\"evtext\",\"path\":\"corpus/demo/rdg01/Application.txt.zst\"},"
                                   "{\"format\":\"evtext\",\"path\":\"rdg01/System.txt\"}]");
    free(w.text);
    /* Alone, it stands in: under the crash rule's id, with its remediation. */
    side_by_side(&all[1], 1);
    w = write_one(x.rs, x.paths, &all[1], 1);
    expect_member(&w.m, "rule", "\"rdgw-crash\"");
    expect_member(&w.m, "severity", "\"medium\"");
    metrics = member(&w.m, "metrics", &len);
    cr_expect(memmem(metrics, len, "\"crashes\":0,", 12) && memmem(metrics, len, "\"confidence\":\"low\"", 18),
              "%.*s", (int)len, metrics);
    char rem[4096];
    member_string(&w.m, "remediation", rem, sizeof rem);
    cr_expect_str_eq(rem, sift_rules[0].remediation);
    free(w.text);
    teardown(&x);
}

Test(findings, the_facts_a_verdict_drew_on_are_sources_and_overflow_is_counted)
{
    fixture x = setup();
    cr_assert_eq(sift_paths_intern_as(x.paths, "inventory/rdg01-systeminfo.txt", "systeminfo"), 1);
    static const uint32_t kbs[] = { 5044281 };
    sift_host_fact facts = { .major = 10, .build = 20348, .kbs = kbs, .n_kbs = 1, .kbs_complete = 1,
                             .os_where = { .input = 1 }, .kbs_where = { .input = 1 } };
    sift_finding f = crash_finding();
    f.facts = &facts;
    f.src_more = 3;
    written w = write_one(x.rs, x.paths, &f, 1);
    expect_member(&w.m, "sources", "[{\"format\":\"evtext\",\"path\":\"corpus/demo/rdg01/Application.txt.zst\"},"
                                   "{\"format\":\"systeminfo\",\"path\":\"inventory/rdg01-systeminfo.txt\"}]");
    expect_member(&w.m, "sources_more", "3");
    size_t len;
    const char *metrics = member(&w.m, "metrics", &len);
    cr_expect(memmem(metrics, len, "\"window\":\"fixed\"", 16) != NULL, "%.*s", (int)len, metrics);
    expect_member(&w.m, "severity", "\"high\"");
    free(w.text);
    /* Facts the verdict did not need are not sources. */
    f = plain_finding();
    f.facts = &facts;
    w = write_one(x.rs, x.paths, &f, 1);
    expect_member(&w.m, "sources", "[{\"format\":\"evtext\",\"path\":\"corpus/demo/rdg01/Application.txt.zst\"}]");
    free(w.text);
    teardown(&x);
}
