/* test_units.c - container units read on workers and merged in order. */
#include "sift_rules.h"
#include "sift_units.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a fake container: 32-byte units of 4 records of 8 bytes -------------------- */
/* A record is "Pxxxx,nn" style: byte 0 says what it is:
 *   'C' a crash record (Application Error 1000 on svchost.exe_TSGateway),
 *   'U' an uptime record (EventLog 6013) with the uptime in bytes 1..7,
 *   'N' noise (id 7036), 'E' a damaged record. */
#define UNIT 32u
#define REC 8u

static size_t fake_scratch(void)
{
    return 64;
}

static sift_status fake_open(void *file, sift_slice header, sift_error *err)
{
    (void)file;
    (void)header;
    (void)err;
    return SIFT_OK;
}

static int fake_sniff(sift_slice head)
{
    return head.len >= 4 && memcmp(head.ptr, "FAKE", 4) == 0;
}

static void fake_unit(const void *file, void *scratch, sift_slice unit, uint64_t index, uint64_t offset,
                      unsigned flags, const sift_unit_out *out, sift_unit_stats *st)
{
    (void)file;
    (void)flags;
    (void)index;
    memset(scratch, 0xa5, fake_scratch()); /* the scratch is the worker's own */
    st->units++;
    for (size_t k = 0; k + REC <= unit.len; k += REC) {
        const uint8_t *p = unit.ptr + k;
        sift_rec rec = { sift_slice_make(p, REC), offset + k, 0, offset / UNIT * 4 + k / REC, { NULL, 0 }, 0, 1, 0 };
        if (p[0] == 'E') {
            sift_error e = { SIFT_ERR_SYNTAX, offset + k, "damaged" };
            st->records_bad++;
            out->error(out->ctx, &e);
            continue;
        }
        st->records++;
        sift_slice channel = p[0] == 'U' ? SIFT_LIT("System") : SIFT_LIT("Application");
        rec.id = p[0] == 'C' ? 1000 : p[0] == 'U' ? 6013 : 7036;
        rec.provider = p[0] == 'C' ? SIFT_LIT("Application Error") : p[0] == 'U' ? SIFT_LIT("EventLog")
                                                                                : SIFT_LIT("Service Control Manager");
        unsigned want = out->want(out->ctx, &rec, channel);
        sift_data data[7] = { { { NULL, 0 }, { NULL, 0 } } };
        sift_event ev;
        memset(&ev, 0, sizeof ev);
        ev.have = SIFT_EV_ID;
        ev.id = rec.id;
        ev.provider = rec.provider;
        ev.channel = channel;
        ev.computer = p[0] == 'C' ? SIFT_LIT("RDG01") : SIFT_LIT("SQL01");
        ev.time = (sift_when){ 1727740800 + (int64_t)(offset + k), 0, 1, 0 };
        if (p[0] == 'C') {
            ev.fld[SIFT_FLD_APP_NAME] = SIFT_LIT("svchost.exe_TSGateway");
            ev.fld[SIFT_FLD_EXCEPTION_CODE] = SIFT_LIT("c0000005");
            ev.fld[SIFT_FLD_MODULE_NAME] = SIFT_LIT("aaedge.dll");
        } else if (p[0] == 'U') {
            data[4].value = sift_slice_make(p + 1, 7);
            ev.data = data;
            ev.n_data = 7;
        }
        if (want & SIFT_WANT_EVENT)
            out->event(out->ctx, &rec, &ev);
        /* 'U' records state the OS many times over (a quiet server's log
         * holds a 6013 a day): facts past any small first allocation. */
        if (p[0] == 'U' && (want & SIFT_WANT_EVENT)) {
            static const char os[] = "1\0.\0" "1\0\0\0" "0\0\0\0" "W\0i\0n\0 \0" "7\0\0\0"
                                     "6\0.\0" "1\0.\0" "7\0" "6\0" "0\0" "1\0\0\0";
            ev.binary = sift_slice_make(os, sizeof os - 1);
            for (int rep = 0; rep < 40; rep++) {
                char host[16];
                int hn = snprintf(host, sizeof host, "SQL%02d", rep);
                ev.computer = sift_slice_make(host, (size_t)hn);
                out->event(out->ctx, &rec, &ev);
            }
        }
        if (want & SIFT_WANT_RENDER) {
            char json[64];
            int n = snprintf(json, sizeof json, "{\"id\":%u,\"at\":%llu}", rec.id, (unsigned long long)rec.offset);
            out->render(out->ctx, &rec, sift_slice_make(json, (size_t)n));
        }
    }
}

static const sift_container_ops fake_ops = { fake_sniff, 4, UNIT, 8, fake_open, fake_scratch, fake_unit, NULL };
static const sift_format fake_format = { "fake", "fake units", SIFT_PRODUCES_EVENTS, NULL, 0, NULL, NULL, &fake_ops };

/* ---- what the merge hands over, as text --------------------------------------------- */

typedef struct log {
    char *p;
    size_t len, cap;
    uint64_t merged_end;
    int merged_in_order;
    uint64_t units, records, bad;
    int done;
} log;

static void logf_(log *l, const char *fmt, ...)
{
    char b[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    if (l->len + (size_t)n + 1 > l->cap) {
        l->cap = (l->len + (size_t)n + 1) * 2;
        l->p = realloc(l->p, l->cap);
        cr_assert_not_null(l->p);
    }
    memcpy(l->p + l->len, b, (size_t)n + 1);
    l->len += (size_t)n;
}

static void k_error(void *ctx, const sift_error *e)
{
    logf_(ctx, "E %llu %s\n", (unsigned long long)e->offset, e->detail);
}

static void k_text(void *ctx, const uint8_t *p, size_t n)
{
    logf_(ctx, "T %.*s", (int)n, (const char *)p);
}

static void k_obs(void *ctx, unsigned rule, const sift_obs *obs, sift_slice host, const sift_evidence *w)
{
    logf_(ctx, "O %u %.*s %llu %lld %.*s chunk=%u rec=%llu off=%llu\n", rule, (int)host.len, (const char *)host.ptr,
          (unsigned long long)obs->value, (long long)obs->when.secs, (int)obs->attr[1].len,
          (const char *)obs->attr[1].ptr, w->chunk, (unsigned long long)w->record, (unsigned long long)w->offset);
}

static void k_fact(void *ctx, const sift_host_fact *f)
{
    logf_(ctx, "F %.*s %.*s %.*s %u.%u.%u\n", (int)f->host.len, (const char *)f->host.ptr, (int)f->os_name.len,
          (const char *)f->os_name.ptr, (int)f->os_version.len, (const char *)f->os_version.ptr, f->major, f->minor,
          f->build);
}

static void k_merged(void *ctx, uint64_t end, const sift_unit_stats *st)
{
    log *l = ctx;
    if (end <= l->merged_end)
        l->merged_in_order = 0;
    l->merged_end = end;
    l->units += st->units;
    l->records += st->records;
    l->bad += st->records_bad;
}

static void k_done(void *ctx)
{
    log *l = ctx;
    logf_(l, "S %llu %llu %llu\n", (unsigned long long)l->units, (unsigned long long)l->records,
          (unsigned long long)l->bad);
    l->done++;
}

/* A file of n units with a record mix that depends on the unit number. */
static uint8_t *make_file(size_t n_units, size_t *len)
{
    *len = 4 + n_units * UNIT;
    uint8_t *p = malloc(*len);
    cr_assert_not_null(p);
    memcpy(p, "FAKE", 4);
    for (size_t u = 0; u < n_units; u++)
        for (size_t r = 0; r < 4; r++) {
            uint8_t *q = p + 4 + u * UNIT + r * REC;
            size_t k = (u * 7 + r * 3) % 11;
            q[0] = k == 0 ? 'C' : k == 1 ? 'U' : k == 2 ? 'E' : 'N';
            char digits[16];
            snprintf(digits, sizeof digits, "%07zu", (40000000 + u * 10 + r) % 10000000);
            memcpy(q + 1, digits, REC - 1);
        }
    return p;
}

static const sift_units_sink sink = { k_error, k_text, k_obs, k_fact, k_merged, k_done };

/* Submit file p[0, len) to u as f, copied or in place, a unit at a time
 * or (batch) in hand-offs of 1 to SIFT_UNITS_BATCH units. */
static void submit_file_batched(sift_units *u, const sift_units_file *f, const uint8_t *p, size_t len, int copy,
                                int batch)
{
    uint8_t window[UNIT * SIFT_UNITS_BATCH];
    for (size_t off = 4, i = 0, k = 0; off < len; k++) {
        size_t units = batch ? 1 + k % SIFT_UNITS_BATCH : 1;
        size_t n = len - off < units * UNIT ? len - off : units * UNIT;
        sift_slice unit = sift_slice_make(p + off, n);
        if (copy) {
            /* One window, overwritten for every unit: copying must not race it. */
            memcpy(window, unit.ptr, unit.len);
            unit = sift_slice_make(window, unit.len);
        }
        cr_assert_eq(sift_units_submit(u, f, unit, i, off, copy), SIFT_OK);
        if (copy)
            memset(window, 'X', sizeof window);
        off += n;
        i += (n + UNIT - 1) / UNIT;
    }
    cr_assert_eq(sift_units_file_end(u, f), SIFT_OK);
}

static void submit_file(sift_units *u, const sift_units_file *f, const uint8_t *p, size_t len, int copy)
{
    submit_file_batched(u, f, p, len, copy, 0);
}

static log run_units(int threads, const uint8_t *p, size_t len, int copy, const sift_units_filter *f)
{
    log l = { 0 };
    l.merged_in_order = 1;
    sift_units *u = sift_units_create(threads, f, &sink);
    cr_assert_not_null(u);
    sift_units_file file = { &fake_format, NULL, 0, &l };
    submit_file(u, &file, p, len, copy);
    sift_units_drain(u);
    cr_expect_eq(l.done, 1, "done once, after the last unit");
    sift_units_free(u);
    return l;
}

Test(units, any_number_of_threads_merges_exactly_what_one_thread_gives)
{
    size_t len;
    uint8_t *p = make_file(3000, &len);
    sift_units_filter none = { 0 };
    log one = run_units(1, p, len, 0, &none);
    cr_assert(one.merged_in_order);
    cr_expect(strstr(one.p, "O 0 RDG01") != NULL, "crashes are verified: %.300s", one.p);
    /* Every fact whole, the first ones of a unit too (their storage grows
     * under them as a unit states more). */
    size_t facts = 0;
    for (const char *q = one.p; (q = strstr(q, "\nF ")) != NULL; q++, facts++) {
        unsigned n;
        char tail[64];
        cr_assert_eq(sscanf(q + 1, "F SQL%2u Win 7 6.1.7601 %63[^\n]", &n, tail), 2, "%.60s", q + 1);
        cr_expect(n < 40 && strcmp(tail, "6.1.7601") == 0, "%.60s", q + 1);
    }
    cr_expect_gt(facts, 40, "facts past any first allocation");
    cr_expect(strstr(one.p, "E ") != NULL, "damage is reported");
    cr_expect(strstr(one.p, "S 3000 ") != NULL, "%s", one.p + one.len - 40);
    static const int threads[] = { 2, 3, 8 };
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++)
        for (int copy = 0; copy <= 1; copy++) {
            log many = run_units(threads[t], p, len, copy, &none);
            cr_expect(many.merged_in_order, "units are merged in file order");
            cr_expect_eq(many.len, one.len, "threads %d copy %d", threads[t], copy);
            cr_expect(many.len == one.len && memcmp(many.p, one.p, one.len) == 0,
                      "threads %d copy %d: the merge differs from one thread", threads[t], copy);
            free(many.p);
        }
    free(one.p);
    free(p);
}

Test(units, dump_renders_only_what_the_filter_names_in_file_order)
{
    size_t len;
    uint8_t *p = make_file(200, &len);
    sift_units_filter f = { 0 };
    f.dump = 1;
    f.ids[0] = 6013;
    f.n_ids = 1;
    f.channel = SIFT_LIT("SYSTEM");
    log one = run_units(1, p, len, 0, &f);
    log four = run_units(4, p, len, 1, &f);
    cr_expect(strstr(one.p, "{\"id\":6013") != NULL);
    cr_expect(strstr(one.p, "{\"id\":1000") == NULL && strstr(one.p, "{\"id\":7036") == NULL, "filtered");
    cr_expect(strstr(one.p, "O ") == NULL, "a dump verifies nothing");
    uint64_t last = 0;
    for (const char *q = one.p; (q = strstr(q, "\"at\":")) != NULL; q++) {
        uint64_t at = strtoull(q + 5, NULL, 10);
        cr_expect_gt(at, last, "in file order");
        last = at;
    }
    cr_expect_str_eq(four.p, one.p);
    f.provider = SIFT_LIT("Application Error");
    log none = run_units(2, p, len, 0, &f);
    cr_expect(strstr(none.p, "T ") == NULL, "provider and id filters both apply: %.200s", none.p);
    free(one.p);
    free(four.p);
    free(none.p);
    free(p);
}

/* Files of a sweep are in flight together: each file's results reach
 * its own ctx, whole and in order, and the files end in submission order. */
Test(units, many_files_in_flight_merge_file_by_file_as_one_thread_does)
{
    enum { FILES = 40 };
    uint8_t *p[FILES];
    size_t len[FILES];
    for (size_t i = 0; i < FILES; i++)
        p[i] = make_file(1 + i % 5, &len[i]);
    sift_units_filter none = { 0 };
    char *want[FILES];
    for (size_t i = 0; i < FILES; i++) {
        log one = run_units(1, p[i], len[i], 0, &none);
        want[i] = one.p;
    }
    static const int threads[] = { 2, 5 };
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        log l[FILES];
        memset(l, 0, sizeof l);
        sift_units_file f[FILES];
        sift_units *u = sift_units_create(threads[t], &none, &sink);
        cr_assert_not_null(u);
        for (size_t i = 0; i < FILES; i++) {
            l[i].merged_in_order = 1;
            f[i] = (sift_units_file){ &fake_format, NULL, 0, &l[i] };
            /* Units handed over in batches read as one at a time. */
            submit_file_batched(u, &f[i], p[i], len[i], 1, (int)(i % 2));
        }
        sift_units_drain(u);
        for (size_t i = 0; i < FILES; i++) {
            cr_expect_eq(l[i].done, 1, "file %zu", i);
            cr_expect(l[i].merged_in_order);
            cr_expect_str_eq(l[i].p, want[i], "file %zu, %d threads", i, threads[t]);
            free(l[i].p);
        }
        sift_units_free(u);
    }
    for (size_t i = 0; i < FILES; i++) {
        free(want[i]);
        free(p[i]);
    }
}

Test(units, a_cut_last_unit_is_read_as_far_as_it_goes)
{
    size_t len;
    uint8_t *p = make_file(10, &len);
    sift_units_filter none = { 0 };
    log whole = run_units(2, p, len - 12, 1, &none);
    cr_expect(strstr(whole.p, "S 10 ") != NULL, "%s", whole.p);
    free(whole.p);
    free(p);
}
