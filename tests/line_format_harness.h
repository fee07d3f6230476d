/* line_format_harness.h - what the suites of the SIEM line formats (splunk,
 * snare) share: runs of the engine over memory in any read size, the logsift
 * binary over a fixture directory, and finding lines picked out of NDJSON.
 * Test code only. */
#ifndef SIFT_TEST_LINE_FORMAT_HARNESS_H
#define SIFT_TEST_LINE_FORMAT_HARNESS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guard.h"
#include "sbuf.h"
#include "sift_run.h"

typedef struct lf_result {
    int rc;
    char *out, *err;
    size_t out_len, err_len;
} lf_result;

static inline const sift_engine *lf_engine(void)
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

/* One run over data as a file named name (chunk 0) or a pipe read chunk
 * bytes at a time; only the format named fmt when it is not NULL. */
static inline lf_result lf_run(const char *name, const void *data, size_t len, size_t chunk, const char *fmt)
{
    lf_result r = { 0 };
    sift_run_opts o = { .port_range = 16384, .threads = 1 };
    if (fmt) {
        const int i = sift_engine_format(lf_engine(), fmt);
        cr_assert_geq(i, 0, "no format %s", fmt);
        o.formats = 1u << i;
    }
    o.out = open_memstream(&r.out, &r.out_len);
    o.err = open_memstream(&r.err, &r.err_len);
    r.rc = sift_run_memory(lf_engine(), &o, name, data, len, chunk);
    fclose(o.out);
    fclose(o.err);
    return r;
}

static inline void lf_free(lf_result *r)
{
    free(r->out);
    free(r->err);
}

/* The finding line of rule for host (NULL when absent); points into out. */
static inline const char *lf_finding(const char *out, const char *rule, const char *host)
{
    char key[128], hk[300];
    snprintf(key, sizeof key, "{\"rule\":\"%s\"", rule);
    snprintf(hk, sizeof hk, "\"host\":\"%s\"", host);
    for (const char *p = out; p && (p = strstr(p, key)) != NULL; p++) {
        const char *eol = strchr(p, '\n');
        const char *h = strstr(p, hk);
        if (h && (!eol || h < eol))
            return p;
    }
    return NULL;
}

/* 1 when the line starting at line holds frag. */
static inline int lf_line_has(const char *line, const char *frag)
{
    const char *eol = strchr(line, '\n');
    const char *f = strstr(line, frag);
    return f && (!eol || f < eol);
}

/* Findings of one run equal another's, with the same errors and exit code. */
static inline void lf_expect_same(const lf_result *a, const lf_result *b, size_t chunk)
{
    cr_expect_eq(a->rc, b->rc, "reads of %zu bytes", chunk);
    cr_expect_str_eq(a->out, b->out, "reads of %zu bytes", chunk);
    cr_expect_str_eq(a->err, b->err, "reads of %zu bytes", chunk);
}

/* Whole text of a file of the source tree (NUL-terminated; *len its size). */
static inline char *lf_slurp(const char *rel, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SIFT_SOURCE_DIR, rel);
    return sb_slurp(path, len);
}

/* A suite's `parsed` (one record behind a guard page: the parser's status,
 * error and record, and what the format's decode() made of it) and its
 * parse_bytes / parse_str, for the parser parse of records of type rec_t,
 * errors counted from base. */
#define LF_PARSER(rec_t, parse, format, base)                                                    \
    typedef struct parsed {                                                                     \
        guard_buf g;                                                                            \
        sift_status st;                                                                         \
        sift_error err;                                                                         \
        rec_t r;                                                                                \
        sift_event ev;                                                                          \
    } parsed;                                                                                   \
    static parsed parse_bytes(const void *p, size_t n)                                          \
    {                                                                                           \
        parsed x = { .g = guard_copy(p, n), .st = SIFT_OK };                                    \
        const sift_slice rec = sift_slice_make(x.g.ptr, n);                                     \
        x.st = parse(rec, (base), &x.r, &x.err);                                                \
        sift_error e2;                                                                          \
        cr_assert_eq((format).line->decode(rec, (base), &x.ev, &e2), x.st);                     \
        return x;                                                                               \
    }                                                                                           \
    static parsed parse_str(const char *s)                                                      \
    {                                                                                           \
        return parse_bytes(s, strlen(s));                                                       \
    }

static inline void lf_expect_slice(sift_slice got, const char *want, const char *what)
{
    cr_expect(sift_slice_eq(got, sift_slice_make(want, strlen(want))), "%s: got \"%.*s\", want \"%s\"", what,
              (int)got.len, got.ptr ? (const char *)got.ptr : "", want);
}

/* w as ISO 8601 is want; text formats' times are local. */
static inline void lf_expect_time(sift_when w, const char *want)
{
    char buf[32];
    sift_time_format(w, buf, sizeof buf);
    cr_expect_str_eq(buf, want);
    cr_expect_eq(w.utc, 0, "%s is local", want);
}

/* CPU seconds of this test's process: a bound on work that a loaded
 * machine (or a sanitizer's wall clock) cannot break. */
static inline double lf_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The file dir/name, read whole (at most 1 MiB) and removed. */
static inline char *lf_take_file(const char *dir, const char *name, size_t *len)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "rb");
    cr_assert_not_null(f, "%s", p);
    char *b = calloc(1, 1 << 20);
    cr_assert_not_null(b);
    *len = fread(b, 1, (1 << 20) - 1, f);
    fclose(f);
    unlink(p);
    return b;
}

/* `logsift ARGS` run from the source tree (the built binary), stdout and
 * stderr captured in a temporary directory. */
static inline lf_result lf_cli(const char *args)
{
    char dir[] = "/tmp/logsift-lf-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s >'%s/out' 2>'%s/err'", SIFT_SOURCE_DIR, SIFT_LOGSIFT_BIN, args, dir,
             dir);
    const int st = system(cmd);
    lf_result r = { 0 };
    r.rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.out = lf_take_file(dir, "out", &r.out_len);
    r.err = lf_take_file(dir, "err", &r.err_len);
    rmdir(dir);
    return r;
}

/* The fixture set's verdicts (the same events in every format): the RD
 * Gateway crash loop on RDG01, critical as periodic, with its module; the
 * 497-day uptime on SQL-OLD01; no other finding; no error. */
static inline void lf_expect_fixture_findings(const lf_result *r, const char *what)
{
    cr_expect_eq(r->rc, 1, "%s: exit %d: %s", what, r->rc, r->err);
    cr_expect_eq(r->err_len, 0, "%s: %s", what, r->err);
    const char *crash = lf_finding(r->out, "rdgw-crash", "RDG01.corp.example.com");
    cr_assert_not_null(crash, "%s: %s", what, r->out);
    cr_expect(lf_line_has(crash, "\"severity\":\"critical\""), "%s: %s", what, crash);
    cr_expect(lf_line_has(crash, "\"crashes\":3,"), "%s: %s", what, crash);
    cr_expect(lf_line_has(crash, "\"periodic\":true"), "%s: %s", what, crash);
    cr_expect(lf_line_has(crash, "\"module\":\"aaedge.dll\""), "%s: %s", what, crash);
    const char *up = lf_finding(r->out, "uptime-497", "SQL-OLD01.corp.example.com");
    cr_assert_not_null(up, "%s: %s", what, r->out);
    cr_expect(lf_line_has(up, "\"severity\":\"critical\""), "%s: %s", what, up);
    cr_expect(lf_line_has(up, "\"uptime_s\":43200000"), "%s: %s", what, up);
    size_t lines = 0;
    for (const char *p = r->out; *p; p++)
        lines += *p == '\n';
    cr_expect_eq(lines, 2, "%s: %s", what, r->out);
}

#endif
