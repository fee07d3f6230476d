/* evsave_cases.h - inputs and checks every suite of the Event Viewer saves
 * runs through its own stream ops: the shared module's with either
 * delimiter, and each registered format's. Inputs are written with '|'
 * where the delimiter goes. */
#ifndef SIFT_TEST_EVSAVE_CASES_H
#define SIFT_TEST_EVSAVE_CASES_H

#include <stdio.h>

#include "stream_harness.h"

/* text with every '|' made delim; caller frees. */
static inline char *with_delim(const char *text, char delim, size_t *len)
{
    char *d = strdup(text);
    cr_assert_not_null(d);
    for (char *p = d; *p; p++)
        if (*p == '|')
            *p = delim;
    *len = strlen(d);
    return d;
}

/* ---- samples ------------------------------------------------------------------ */

#define HEADER_EN "Level|Date and Time|Source|Event ID|Task Category\r\n"
#define HEADER_JA "レベル|日付と時刻|ソース|イベント ID|タスクのカテゴリ\r\n"

#define CRASH_EN                                                                                              \
    "Error|7/1/2025 5:53:27 PM|Application Error|1000|(100)|\"Faulting application name: "                    \
    "svchost.exe_TSGateway, version: 10.0.17763.5936, time stamp: 0x1a2b3c4d\r\n"                             \
    "Faulting module name: aaedge.dll, version: 10.0.17763.6054, time stamp: 0x2b3c4d5e\r\n"                   \
    "Exception code: 0xc0000005\r\n"                                                                          \
    "Fault offset: 0x0000000000021f3c\r\n"                                                                    \
    "Faulting process id: 0x1c4c\r\n"                                                                         \
    "Faulting application path: C:\\Windows\\system32\\svchost.exe\r\n"                                       \
    "Faulting module path: C:\\Windows\\System32\\aaedge.dll\"\r\n"

#define UPTIME_EN "Information|7/1/2025 5:00:00 PM|EventLog|6013|None|The system uptime is 42953114 seconds.\r\n"

#define CRASH_JA                                                                                              \
    "エラー|2025/07/01 17:53:27|Application Error|1000|(100)|\"障害が発生しているアプリケーション名: "       \
    "svchost.exe_TSGateway、バージョン: 10.0.17763.5936、タイム スタンプ: 0x1a2b3c4d\r\n"                     \
    "障害が発生しているモジュール名: aaedge.dll、バージョン: 10.0.17763.6054、タイム スタンプ: 0x2b3c4d5e\r\n" \
    "例外コード: 0xc0000005\r\n"                                                                              \
    "障害オフセット: 0x0000000000021f3c\"\r\n"

#define UPTIME_JA "情報|2025/07/01 17:00:00|EventLog|6013|なし|システムの稼働時間は 42953114 秒です。\r\n"

static const char file_en[] = HEADER_EN CRASH_EN UPTIME_EN;
static const char file_ja[] = HEADER_JA CRASH_JA UPTIME_JA;

#define GOOD "Information|7/1/2025 5:00:00 PM|EventLog|6013|None|up 1\r\n"
#define GOOD_LEN (sizeof GOOD - 1)

static inline void expect_crash(const sh_item *it, int64_t secs)
{
    cr_expect_eq(it->code, SIFT_OK);
    cr_expect_eq(it->id, 1000);
    cr_expect_eq(it->level, SIFT_LEVEL_ERROR);
    cr_expect(it->have & SIFT_EV_ID);
    cr_expect_not(it->have & SIFT_EV_MSG_QUOTED);
    cr_expect_str_eq(it->fld[SIFT_FLD_APP_NAME], "svchost.exe_TSGateway");
    cr_expect_str_eq(it->fld[SIFT_FLD_APP_VERSION], "10.0.17763.5936");
    cr_expect_str_eq(it->fld[SIFT_FLD_MODULE_NAME], "aaedge.dll");
    cr_expect_str_eq(it->fld[SIFT_FLD_EXCEPTION_CODE], "0xc0000005");
    cr_expect(it->time.valid);
    cr_expect_eq(it->time.utc, 0);
    cr_expect_eq(it->time.secs, secs, "time %lld", (long long)it->time.secs);
}

typedef struct hostile {
    const char *name;
    const char *body; /* after HEADER_EN */
    /* what comes out: 'r' a record, or an error: 's' syntax, 'n' number,
     * 'l' too long; with the offset (from the body's start) and for records
     * the line */
    const char *kinds;
    uint64_t at[4];
} hostile;


static const hostile hostiles[] = {
    { "five fields", "Information|7/1/2025 5:00:00 PM|EventLog|6013|None\r\n" GOOD, "sr", { 0, 52 } },
    { "seven fields", "Information|7/1/2025 5:00:00 PM|EventLog|6013|None|a|b\r\n" GOOD, "sr", { 0, 56 } },
    { "id above 65535", "Information|7/1/2025 5:00:00 PM|EventLog|65536|None|x\r\n" GOOD, "nr", { 41, 55 } },
    { "id not a number", "Information|x|EventLog|6O13|None|x\r\n" GOOD, "nr", { 23, 36 } },
    { "id empty", "Information|x|EventLog||None|x\r\n" GOOD, "nr", { 23, 32 } },
    { "id negative", "Information|x|EventLog|-1|None|x\r\n" GOOD, "nr", { 23, 34 } },
    { "text after a closing quote", "Information|x|EventLog|1|None|\"a\"b\r\n" GOOD, "sr", { 33, 36 } },
    /* The quote opened on the first line swallows the next record's line
     * up to its own quote; the damage is reported at the stray byte and
     * framing resumes on the line after the first. */
    { "quote never closed mid-stream", "Information|x|EventLog|1|None|\"open\r\n"
                                       "Information|x|EventLog|2|None|\"a\r\nb\"\r\n" GOOD,
      "srr", { 68, 37, 75 } },
    /* ... and at the end of the input likewise: "more" is then a record. */
    { "quote never closed at the end", GOOD "Information|x|EventLog|1|None|\"open\r\nmore\r\n", "rss",
      { 0, GOOD_LEN + 30, GOOD_LEN + 37 } },
    { "nul bytes are data", "Information|x|Event\0Log|1|None|a\0b\r\n" GOOD, "rr", { 0, 36 } },
    { "binary junk is a record with too few fields", "\x01\x02\xff\xfe\x80junk\r\n" GOOD, "sr", { 0, 11 } },
    { "a header line again is a record with a bad id",
      "Level|Date and Time|Source|Event ID|Task Category|\r\n" GOOD, "nr", { 27, 52 } },
};

/* The body placed after the header, its '|' made delim; n includes NULs. */
static inline char *hostile_text(const hostile *h, char delim, size_t *n)
{
    /* The bodies hold NULs: their length is that of the literal, found by
     * the last record's fixed shape. */
    size_t body = strlen(h->body);
    if (strcmp(h->name, "nul bytes are data") == 0)
        body = sizeof("Information|x|Event\0Log|1|None|a\0b\r\n" GOOD) - 1;
    const size_t hl = strlen(HEADER_EN);
    char *t = malloc(hl + body + 1);
    cr_assert_not_null(t);
    memcpy(t, HEADER_EN, hl);
    memcpy(t + hl, h->body, body);
    for (size_t i = 0; i < hl + body; i++)
        if (t[i] == '|')
            t[i] = delim;
    *n = hl + body;
    return t;
}

#define NHOSTILES (sizeof hostiles / sizeof hostiles[0])

/* One hostile input through ops: the items and offsets of the table, and
 * the same items fed a byte at a time. */
static inline void evsave_check_hostile(const sift_stream_ops *ops, char delim, const hostile *h)
{
    size_t n;
    char *t = hostile_text(h, delim, &n);
    const uint64_t hl = strlen(HEADER_EN);
    sh_run r = sh_frame(ops, t, n, 0, 16, 1);
    cr_assert_eq(r.n, strlen(h->kinds), "%s: %zu items", h->name, r.n);
    for (size_t i = 0; i < r.n; i++) {
        const char want = h->kinds[i];
        const sh_item *it = &r.it[i];
        cr_expect_eq(it->is_error, want != 'r', "%s: item %zu", h->name, i);
        if (want == 's')
            cr_expect_eq(it->code, SIFT_ERR_SYNTAX, "%s: item %zu", h->name, i);
        if (want == 'n')
            cr_expect_eq(it->code, SIFT_ERR_NUMBER, "%s: item %zu", h->name, i);
        cr_expect_eq(it->offset, hl + h->at[i], "%s: item %zu at %llu, want %llu", h->name, i,
                     (unsigned long long)(it->offset - hl), (unsigned long long)h->at[i]);
    }
    sh_run c = sh_frame(ops, t, n, 1, 1, 1);
    sh_expect_same(&r, &c, h->name);
    sh_free(&c);
    sh_free(&r);
    free(t);
}

/* ---- the 256 KiB bound ------------------------------------------------------------ */

/* HEADER, then a record of head + fill x len + tail, then GOOD. */
static inline char *long_text(const char *head, char fill, size_t len, const char *tail, char delim, size_t *n)
{
    const size_t hl = strlen(HEADER_EN), a = strlen(head), b = strlen(tail), g = strlen(GOOD);
    char *t = malloc(hl + a + len + b + g + 1);
    cr_assert_not_null(t);
    memcpy(t, HEADER_EN, hl);
    memcpy(t + hl, head, a);
    memset(t + hl + a, fill, len);
    memcpy(t + hl + a + len, tail, b);
    memcpy(t + hl + a + len + b, GOOD, g);
    *n = hl + a + len + b + g;
    for (size_t i = 0; i < *n; i++)
        if (t[i] == '|')
            t[i] = delim;
    return t;
}

/* A 1 MiB line, and a quote left open for 1 MiB: each is too long, reported
 * at the record or at the quote, and framing resumes on the next line. */
static inline void evsave_check_long_lines(const sift_stream_ops *ops, char delim)
{
    size_t n;
    char *t = long_text("Information|x|EventLog|1|None|", 'a', 1u << 20, "\r\n", delim, &n);
    for (size_t chunk = 0; chunk <= 65536; chunk += 65536) {
        sh_run r = sh_frame(ops, t, n, chunk, 16, 1);
        cr_assert_eq(r.n, 2);
        cr_expect(r.it[0].is_error);
        cr_expect_eq(r.it[0].code, SIFT_ERR_TOO_LONG);
        cr_expect_eq(r.it[0].offset, strlen(HEADER_EN));
        cr_expect_not(r.it[1].is_error);
        cr_expect_eq(r.it[1].line, 3);
        cr_expect_eq(r.it[1].offset, n - GOOD_LEN);
        sh_free(&r);
    }
    free(t);
    t = long_text("Information|x|EventLog|1|None|\"open\r\n", 'a', 1u << 20, "\r\n", delim, &n);
    sh_run r = sh_frame(ops, t, n, 65536, 16, 1);
    /* the quote, then the fill line (itself over the limit), then GOOD */
    cr_assert_eq(r.n, 3);
    cr_expect_eq(r.it[0].code, SIFT_ERR_TOO_LONG);
    cr_expect_eq(r.it[0].offset, strlen(HEADER_EN) + 30);
    cr_expect_eq(r.it[1].code, SIFT_ERR_TOO_LONG);
    cr_expect_eq(r.it[2].line, 4);
    cr_expect_eq(r.it[2].id, 6013);
    sh_free(&r);
    free(t);
}

/* The English and Japanese samples decode to the canonical fields. */
static inline void evsave_check_samples(const sift_stream_ops *ops, char delim)
{
    size_t n;
    char *en = with_delim(file_en, delim, &n);
    sh_run r = sh_frame(ops, en, n, 0, 16, 1);
    cr_assert_eq(r.errors, 0);
    cr_assert_eq(r.records, 2);
    expect_crash(&r.it[0], INT64_C(1751392407)); /* 2025-07-01T17:53:27 */
    cr_expect_eq(strncmp(r.it[0].message, "Faulting application name:", 26), 0, "no outer quote");
    cr_expect_eq(r.it[0].message[strlen(r.it[0].message) - 1], 'l', "no closing quote");
    cr_expect_eq(r.it[1].level, SIFT_LEVEL_INFO);
    cr_expect_str_eq(r.it[1].fld[SIFT_FLD_UPTIME], "42953114");
    cr_expect_eq(r.it[1].time.secs, INT64_C(1751389200), "2025-07-01T17:00:00");
    sh_free(&r);
    free(en);

    char *ja = with_delim(file_ja, delim, &n);
    r = sh_frame(ops, ja, n, 0, 16, 1);
    cr_assert_eq(r.errors, 0);
    cr_assert_eq(r.records, 2);
    expect_crash(&r.it[0], INT64_C(1751392407)); /* 2025-07-01T17:53:27 */
    cr_expect_eq(r.it[1].level, SIFT_LEVEL_INFO);
    cr_expect_str_eq(r.it[1].fld[SIFT_FLD_UPTIME], "42953114");
    cr_expect_str_eq(r.describe, "dates year-first (no day/month order to decide)");
    cr_expect_eq(r.guessed, 0);
    sh_free(&r);
    free(ja);
}

/* Good records, ambiguous then deciding dates, and damage of each kind. */
static const char mixed[] = HEADER_EN "Information|01/07/2025 17:53:27|EventLog|6013|None|up 1\r\n" CRASH_EN
    "Information|x|EventLog|65536|None|x\r\n"
    "Information|x|EventLog|1|None|\"a\"b\r\n"
    "Information|13/07/2025 17:53:27|EventLog|6013|None|\"up \"\"2\"\"\r\n\"\r\n"
    "\r\n"
    "Information|x|EventLog|1|None|\"open\r\n" UPTIME_EN "Information|x|EventLog|2|None|\"never";

/* Every prefix of the samples, and every chunking of the mixed input. */
static inline void evsave_check_chunking(const sift_stream_ops *ops, char delim)
{
    size_t n;
    char *t = with_delim(file_en, delim, &n);
    sh_expect_every_prefix(ops, t, n);
    free(t);
    t = with_delim(file_ja, delim, &n);
    sh_expect_every_prefix(ops, t, n);
    free(t);
    t = with_delim(mixed, delim, &n);
    sh_run r = sh_frame(ops, t, n, 0, 64, 1);
    cr_expect_gt(r.errors, 3);
    cr_expect_gt(r.records, 3);
    sh_free(&r);
    sh_expect_chunking_invariant(ops, t, n);
    free(t);
}

/* ---- the registered formats ------------------------------------------------------ */

/* fmt is registered after netstat, as a stream format with every hook, and
 * it alone takes the English and Japanese headers with delim; the same
 * headers with the other delimiter are not its. */
static inline void evsave_check_registered(const sift_format *fmt, const char *name, char delim)
{
    size_t n, at = 0, netstat = 0;
    const sift_format *const *f = sift_registry(&n);
    for (size_t i = 0; i < n; i++) {
        at = f[i] == fmt ? i : at;
        netstat = strcmp(f[i]->name, "netstat") == 0 ? i : netstat;
    }
    cr_assert_gt(at, netstat);
    cr_expect_str_eq(fmt->name, name);
    cr_expect_eq(fmt->produces, SIFT_PRODUCES_EVENTS);
    cr_expect(fmt->line == NULL && fmt->patterns == NULL && fmt->n_patterns == 0);
    const sift_stream_ops *s = fmt->stream;
    cr_assert(s && s->sniff && s->init && s->next && s->finish && s->decode && s->retime && s->settled &&
              s->describe);
    const char *const headers[] = { HEADER_EN, HEADER_JA };
    for (size_t h = 0; h < 2; h++) {
        size_t len;
        char *mine = with_delim(headers[h], delim, &len);
        char *other = with_delim(headers[h], delim == ',' ? '\t' : ',', &len);
        for (size_t i = 0; i < n; i++)
            if (f[i]->stream)
                cr_expect_eq(f[i]->stream->sniff(sift_slice_make(mine, strlen(mine))), f[i] == fmt, "%s", f[i]->name);
        cr_expect_not(s->sniff(sift_slice_make(other, strlen(other))));
        free(mine);
        free(other);
    }
    cr_expect_not(s->sniff(SIFT_LIT("Log Name:      Application\r\n")));
}

/* ---- the seed files of the format fuzzers --------------------------------------- */

/* dir/name read whole; caller frees. */
static inline char *read_seed(const char *dir, const char *name, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return sb_slurp(path, n);
}

typedef struct seed_case {
    const char *stem; /* the file is stem.ext */
    size_t records, errors;
    const char *describe;
} seed_case;

static const seed_case seeds[] = {
    { "en_us_1000_tsgateway_crlf", 4, 0, "dates month-first (default; no unambiguous date)" },
    { "en_gb_6013_day_first_decided", 3, 0, "dates day-first (decided at line 14: 13/07/2025)" },
    { "ja_1000_6013_tcpip", 3, 0, "dates year-first (no day/month order to decide)" },
    { "de_dots_lf", 2, 0, "dates day-first (decided at line 3: 31.07.2025)" },
    { "nl_dashes_ambiguous_only", 2, 0, "dates day-first (default; no unambiguous date)" },
    { "security_keywords_header", 1, 0, "dates month-first (default; no unambiguous date)" },
    { "hostile_unterminated_quote", 1, 1, "dates month-first (default; no unambiguous date)" },
    { "hostile_bad_ids_and_columns", 1, 3, "dates month-first (default; no unambiguous date)" },
    { "header_only", 0, 0, "" },
};

/* Every seed: its records, errors and dates, the same fed 7 bytes at a
 * time; the crash and uptime seeds: their canonical fields. */
static inline void evsave_check_seeds(const sift_stream_ops *ops, const char *dir, const char *ext)
{
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char name[128];
        snprintf(name, sizeof name, "%s.%s", seeds[i].stem, ext);
        size_t n;
        char *t = read_seed(dir, name, &n);
        cr_assert(ops->sniff(sift_slice_make(t, n < SIFT_SNIFF_BYTES ? n : SIFT_SNIFF_BYTES)), "%s", name);
        sh_run r = sh_frame(ops, t, n, 0, 16, 1);
        cr_expect_eq(r.records, seeds[i].records, "%s: %zu records", name, r.records);
        cr_expect_eq(r.errors, seeds[i].errors, "%s: %zu errors", name, r.errors);
        cr_expect_str_eq(r.describe, seeds[i].describe, "%s", name);
        sh_run c = sh_frame(ops, t, n, 7, 2, 1);
        sh_expect_same(&r, &c, name);
        sh_free(&c);
        if (i == 0) {
            expect_crash(&r.it[0], INT64_C(1727856013)); /* 2024-10-02T08:00:13 */
            cr_expect_str_eq(r.it[2].fld[SIFT_FLD_APP_NAME], "svchost.exe_TSGateway");
            cr_expect_str_eq(r.it[3].fld[SIFT_FLD_UPTIME], "42953114");
            cr_expect_eq(r.it[3].line, 25);
            sh_expect_chunking_invariant(ops, t, n);
        } else if (i == 2) {
            expect_crash(&r.it[0], INT64_C(1727856013));
            cr_expect_str_eq(r.it[1].fld[SIFT_FLD_UPTIME], "42953114");
            cr_expect_eq(r.it[2].level, SIFT_LEVEL_WARNING);
            sh_expect_every_prefix(ops, t, n);
        }
        sh_free(&r);
        free(t);
    }
}

/* Everything a suite of a registered save format runs through its ops:
 * hostile inputs, long lines, the samples, prefixes and chunkings, and its
 * seed files in dir (named *.ext). */
static inline void evsave_check_format(const sift_format *fmt, char delim, const char *dir, const char *ext)
{
    for (size_t i = 0; i < NHOSTILES; i++)
        evsave_check_hostile(fmt->stream, delim, &hostiles[i]);
    evsave_check_long_lines(fmt->stream, delim);
    evsave_check_samples(fmt->stream, delim);
    evsave_check_chunking(fmt->stream, delim);
    evsave_check_seeds(fmt->stream, dir, ext);
}

#endif
