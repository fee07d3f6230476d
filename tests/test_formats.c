/* test_formats.c - one generated fleet in every export format gives the findings of its .evtx, and a tree of
 * several hosts' exports, compressed, UTF-16 or not, gives one verdict per host in any file order and on any
 * number of threads (issue 9, "Proof").
 *
 * bench/gen_evtx writes the twins (gen_twins.c). A format whose parser is
 * not in logsift yet (not listed under "Formats:" in --help) is skipped
 * with a message, so the suite checks each format from the day it lands.
 * The message is cr_log_info: Criterion 2.4 fails a suite that logs a
 * warning. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A command's exit code and what it wrote. */
typedef struct ran {
    int rc;
    char *out, *err;
} ran;

static char *read_all(FILE *f)
{
    size_t cap = 4096, n = 0, got;
    char *b = malloc(cap);
    cr_assert_not_null(b);
    while ((got = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            b = realloc(b, cap);
            cr_assert_not_null(b);
        }
    }
    b[n] = '\0';
    return b;
}

/* Runs the printf-formatted shell command in dir, with $LOGSIFT and $GEN
 * set; stdout is read through a pipe, stderr through a temporary file. */
static ran shell(const char *dir, const char *fmt, ...)
{
    char err_path[] = "/tmp/logsift-formats-err-XXXXXX";
    const int fd = mkstemp(err_path);
    cr_assert_geq(fd, 0);
    close(fd);
    char body[8192], cmd[9000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "cd '%s' && LOGSIFT='%s' GEN='%s' && export LOGSIFT GEN && { %s ; } 2>'%s'", dir,
             SIFT_LOGSIFT_BIN, SIFT_GEN_EVTX_BIN, body, err_path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    ran r;
    r.out = read_all(p);
    const int st = pclose(p);
    r.rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    FILE *e = fopen(err_path, "rb");
    cr_assert_not_null(e);
    r.err = read_all(e);
    fclose(e);
    unlink(err_path);
    return r;
}

static void ran_free(ran *r)
{
    free(r->out);
    free(r->err);
}

static char *scratch(void)
{
    static const char tmpl[] = "/tmp/logsift-formats-XXXXXX";
    char *d = malloc(sizeof tmpl);
    cr_assert_not_null(d);
    memcpy(d, tmpl, sizeof tmpl);
    cr_assert_not_null(mkdtemp(d));
    return d;
}

static void scratch_free(char *dir)
{
    ran r = shell("/tmp", "rm -rf '%s'", dir);
    cr_expect_eq(r.rc, 0, "%s", r.err);
    ran_free(&r);
    free(dir);
}

/* Whether logsift --help lists the format (a line "  NAME  description"
 * under "Formats:"). */
static int logsift_reads(const char *format)
{
    ran h = shell("/tmp", "\"$LOGSIFT\" --help");
    cr_assert_eq(h.rc, 0, "%s", h.err);
    const char *p = strstr(h.out, "\nFormats:\n");
    cr_assert_not_null(p, "no Formats: section in --help:\n%s", h.out);
    const size_t n = strlen(format);
    int found = 0;
    for (p = strchr(p + 1, '\n'); p && strncmp(p, "\n  ", 3) == 0 && !found; p = strchr(p + 1, '\n'))
        found = strncmp(p + 3, format, n) == 0 && p[3 + n] == ' ';
    ran_free(&h);
    return found;
}

/* ---- findings, reduced to what every format must agree on ---------------------- */

/* The end of the JSON value starting at v (a string, number, literal,
 * array or object); v itself when there is none. */
static const char *value_end(const char *v)
{
    int depth = 0, in_str = 0;
    for (const char *p = v; *p; p++) {
        if (in_str) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == '"')
                in_str = 0;
            else
                continue;
            if (depth == 0 && !in_str)
                return p + 1;
            continue;
        }
        if (*p == '"')
            in_str = 1;
        else if (*p == '[' || *p == '{')
            depth++;
        else if (*p == ']' || *p == '}') {
            if (depth == 0)
                return p;
            if (--depth == 0)
                return p + 1;
        } else if (*p == ',' && depth == 0)
            return p;
        else if (*p == '\n')
            return p;
    }
    return v + strlen(v);
}

/* Removes every member "key":VALUE from s, with the comma that joined it. */
static void drop_member(char *s, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    char *m;
    while ((m = strstr(s, pat)) != NULL) {
        char *end = (char *)value_end(m + strlen(pat));
        if (m > s && m[-1] == ',')
            m--;
        else if (*end == ',')
            end++;
        memmove(m, end, strlen(end) + 1);
    }
}

/* Findings without what depends on the export and not on the events: the
 * evidence and sources (files, offsets) and the clock's zone (Splunk, Snare
 * and Export-Csv print local time: "tz" and the times' Z); unless keep_os,
 * also what only a format carrying 6013's <Binary> knows (the OS and the
 * verdict it gives). */
static char *comparable(const char *findings, int keep_os)
{
    char *c = strdup(findings);
    cr_assert_not_null(c);
    static const char *const drop[] = {"evidence", "sources", "tz", "os", "os_version", "os_affected", "verdict"};
    for (size_t i = 0; i < (keep_os ? 3 : sizeof drop / sizeof drop[0]); i++)
        drop_member(c, drop[i]);
    char *w = c;
    for (const char *p = c; *p; p++)
        if (!(*p == 'Z' && p[1] == '"' && p > c && p[-1] >= '0' && p[-1] <= '9'))
            *w++ = *p;
    *w = '\0';
    return c;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* ---- one fleet, every format --------------------------------------------------------- */

/* gen_evtx's twin option, the file it writes, and the logsift format that reads it. */
static const struct twin {
    const char *opt, *file, *format;
} twins[] = {
    {"text", "fleet.txt", "evtext"},
    {"xml", "fleet.xml", "xml"},
    {"winlogbeat", "fleet.winlogbeat.ndjson", "json"},
    {"nxlog", "fleet.nxlog.json", "json"},
    {"psjson", "fleet.ps.json", "json"},
    {"splunk", "fleet.splunk.log", "splunk"},
    {"snare", "fleet.snare.log", "snare"},
    {"pscsv", "fleet.ps.csv", "ps-csv"},
};
#define N_TWINS (sizeof twins / sizeof twins[0])

Test(formats, every_export_of_one_fleet_gives_the_findings_of_its_evtx)
{
    char *dir = scratch();
    char opts[2048] = "";
    for (size_t i = 0; i < N_TWINS; i++) {
        const size_t n = strlen(opts);
        snprintf(opts + n, sizeof opts - n, " --%s=%s", twins[i].opt, twins[i].file);
    }
    ran gen = shell(dir, "\"$GEN\" fleet.evtx 400000 3%s", opts);
    cr_assert_eq(gen.rc, 0, "%s", gen.err);
    cr_assert(strstr(gen.err, "expected_findings=3:") != NULL, "%s", gen.err);

    /* The .evtx knows the OS of the uptime host; the text export does not.
     * Every twin gives their findings but for the OS, and with it either
     * the one's or the other's (XML and Winlogbeat carry 6013's <Binary>;
     * whether a parser reads the OS from it is its own business). */
    ran ref = shell(dir, "\"$LOGSIFT\" fleet.evtx");
    cr_assert_eq(ref.rc, 1, "%s", ref.err);
    cr_assert_eq(count_lines(ref.out), 3, "%s", ref.out);
    ran txt = shell(dir, "\"$LOGSIFT\" fleet.txt");
    cr_assert_eq(txt.rc, 1, "%s", txt.err);
    char *want = comparable(ref.out, 0), *os_known = comparable(ref.out, 1), *os_unknown = comparable(txt.out, 1);
    size_t checked = 0;
    for (size_t i = 0; i < N_TWINS; i++) {
        if (!logsift_reads(twins[i].format)) {
            cr_log_info("SKIP --%s (%s): logsift --help lists no format '%s' yet", twins[i].opt, twins[i].file,
                        twins[i].format);
            continue;
        }
        ran got = shell(dir, "\"$LOGSIFT\" '%s'", twins[i].file);
        cr_expect_eq(got.rc, 1, "%s: exit %d: %s", twins[i].file, got.rc, got.err);
        /* Told to look for that format only, logsift finds the same: the
         * findings come from the format's own parser. */
        ran forced = shell(dir, "\"$LOGSIFT\" -f %s '%s'", twins[i].format, twins[i].file);
        cr_expect_str_eq(forced.out, got.out, "%s read with -f %s", twins[i].file, twins[i].format);
        ran_free(&forced);
        char *have = comparable(got.out, 0), *full = comparable(got.out, 1);
        cr_expect_str_eq(have, want, "%s (--%s) and fleet.evtx differ", twins[i].file, twins[i].opt);
        cr_expect(strcmp(full, os_known) == 0 || strcmp(full, os_unknown) == 0,
                  "%s (--%s): its OS facts are neither the .evtx's nor the text's:\n%s\n.evtx:\n%s\ntext:\n%s",
                  twins[i].file, twins[i].opt, full, os_known, os_unknown);
        free(have);
        free(full);
        ran_free(&got);
        checked++;
    }
    cr_log_info("%zu of %zu export twins checked against the .evtx", checked, N_TWINS);
    cr_expect_geq(checked, 1, "not even the text export was checked");
    free(want);
    free(os_known);
    free(os_unknown);
    ran_free(&txt);
    ran_free(&ref);
    ran_free(&gen);
    scratch_free(dir);
}

/* ---- a sweep of a site's exports ------------------------------------------------------- */

/* Each host pair exported one way: the crash host RDGx, the uptime host
 * SQLx (6013 past 497 days and two 4227s). `make` turns the twin (or
 * the .evtx, opt NULL) written as `file` into what the tree holds. */
static const struct site_file {
    const char *host, *opt, *format, *file, *make;
} site[] = {
    {"A", "xml", "xml", "a/Events.xml", "gzip -n a/Events.xml"},
    {"B", "winlogbeat", "json", "b/winlogbeat.ndjson", "zstd -q --rm b/winlogbeat.ndjson"},
    {"C", "text", "evtext", "c/System.txt",
     "{ printf '\\377\\376'; iconv -f UTF-8 -t UTF-16LE c/System.txt; } >c/u16 && mv c/u16 c/System.txt"},
    {"D", NULL, "evtx", "d/Application.evtx", "zstd -q --rm d/Application.evtx"},
    {"E", "splunk", "splunk", "e/wineventlog.log", "true"},
    {"F", "snare", "snare", "f/snare.log", "gzip -n f/snare.log"},
    {"G", "nxlog", "json", "g/nxlog.json", "true"},
    {"H", "psjson", "json", "h/events.json",
     "{ printf '\\377\\376'; iconv -f UTF-8 -t UTF-16LE h/events.json; } >h/u16 && mv h/u16 h/events.json"},
    {"I", "pscsv", "ps-csv", "i/events.csv", "zstd -q --rm i/events.csv"},
    {"J", "text", "evtext", "j/System.txt", "gzip -n j/System.txt"},
};
#define N_SITE (sizeof site / sizeof site[0])

/* A netstat -ano capture of host with `rows` TIME_WAIT rows, in UTF-8 or
 * (utf16) UTF-16LE with a BOM. */
static void write_netstat(const char *dir, const char *path, const char *host, unsigned rows, int utf16)
{
    ran r = shell(dir,
                  "mkdir -p \"$(dirname '%s')\" && { printf 'Hostname: %s\\r\\n\\r\\nActive Connections\\r\\n\\r\\n"
                  "  Proto  Local Address          Foreign Address        State           PID\\r\\n'; "
                  "i=0; while [ $i -lt %u ]; do printf '  TCP    10.0.0.9:%%d        10.0.0.5:1433          "
                  "TIME_WAIT       0\\r\\n' $((49152 + i)); i=$((i + 1)); done; } >'%s.u8' && "
                  "if [ %d = 1 ]; then { printf '\\377\\376'; iconv -f UTF-8 -t UTF-16LE '%s.u8'; } >'%s'; "
                  "rm '%s.u8'; else mv '%s.u8' '%s'; fi",
                  path, host, rows, path, utf16, path, path, path, path, path);
    cr_assert_eq(r.rc, 0, "%s", r.err);
    ran_free(&r);
}

/* The site's files under dir/src: every export, and two netstat captures. */
static void write_site(const char *dir)
{
    for (size_t i = 0; i < N_SITE; i++) {
        char twin[256] = "";
        const char *evtx = "/dev/null";
        char evtx_path[128];
        if (site[i].opt)
            snprintf(twin, sizeof twin, "--%s='src/%s'", site[i].opt, site[i].file);
        else {
            snprintf(evtx_path, sizeof evtx_path, "src/%s", site[i].file);
            evtx = evtx_path;
        }
        ran r = shell(dir,
                      "mkdir -p \"$(dirname 'src/%s')\" && \"$GEN\" '%s' 1 %zu --rdgw-host=RDG%s.corp.example.com "
                      "--uptime-host=SQL%s.corp.example.com %s && cd src && %s",
                      site[i].file, evtx, 20 + i, site[i].host, site[i].host, twin, site[i].make);
        cr_assert_eq(r.rc, 0, "%s: %s", site[i].file, r.err);
        ran_free(&r);
    }
    write_netstat(dir, "src/k/netstat-ano.txt", "WEB09", 15000, 1);
    write_netstat(dir, "src/l/netstat.txt", "FS03", 9000, 0);
    ran r = shell(dir, "gzip -n src/l/netstat.txt");
    cr_assert_eq(r.rc, 0, "%s", r.err);
    ran_free(&r);
}

/* A finding line for host and rule at severity must be in out. */
static void expect_finding(const char *out, const char *rule, const char *host, const char *severity)
{
    char want[256];
    snprintf(want, sizeof want, "{\"rule\":\"%s\",\"severity\":\"%s\",\"host\":\"%s\"", rule, severity, host);
    cr_expect(strstr(out, want) != NULL, "missing %s in:\n%s", want, out);
}

Test(formats, a_site_tree_gives_each_hosts_verdict_in_any_file_order_and_on_any_threads)
{
    char *dir = scratch();
    write_site(dir);
    /* The same files under other names: the walk reads a tree in byte
     * order of names, so each permutation reads the files in another order. */
    static const char *const orders[] = {"abcdefghijkl", "lkjihgfedcba", "fbkadhjclige"};
    char *first = NULL;
    for (size_t o = 0; o < sizeof orders / sizeof orders[0]; o++) {
        ran r = shell(dir,
                      "rm -rf t && mkdir t && n=0 && for d in src/*; do n=$((n + 1)); "
                      "p=$(printf '%%s' '%s' | cut -c$n); cp -r \"$d\" \"t/$p-$(basename \"$d\")\"; done && "
                      "for j in 1 4; do \"$LOGSIFT\" -j$j t >out$j 2>err$j; echo \"rc=$?\" >>out$j; done && "
                      "cmp out1 out4 >&2 && cmp err1 err4 >&2 && cat out1",
                      orders[o]);
        cr_assert_eq(r.rc, 0, "-j1 and -j4 differ, order %s: %s", orders[o], r.err);
        char *c = comparable(r.out, 1);
        if (!first)
            first = c;
        else {
            cr_expect_str_eq(c, first, "order %s differs from order %s", orders[o], orders[0]);
            free(c);
        }
        ran_free(&r);
    }
    cr_expect(strstr(first, "rc=1\n") != NULL, "%s", first);
    size_t checked = 0;
    for (size_t i = 0; i < N_SITE; i++) {
        if (!logsift_reads(site[i].format)) {
            cr_log_info("SKIP site host %s (%s): logsift --help lists no format '%s' yet, its verdicts not checked",
                        site[i].host, site[i].file, site[i].format);
            continue;
        }
        char rdg[64], sql[64];
        snprintf(rdg, sizeof rdg, "RDG%s.corp.example.com", site[i].host);
        snprintf(sql, sizeof sql, "SQL%s.corp.example.com", site[i].host);
        expect_finding(first, "rdgw-crash", rdg, "critical");
        expect_finding(first, "uptime-497", sql, "critical");
        expect_finding(first, "tcpip-port-exhaustion", sql, "medium");
        checked++;
    }
    expect_finding(first, "timewait-exhaustion", "WEB09", "critical");
    expect_finding(first, "timewait-exhaustion", "FS03", "medium");
    cr_log_info("%zu of %zu site exports checked for their hosts' verdicts", checked, N_SITE);
    cr_expect_geq(checked, 3, "the text and .evtx exports at least");
    free(first);
    scratch_free(dir);
}
