/* test_agg.c - sift_agg: the four shared aggregators driven directly, each
 * behaviour that decides a severity or a printed metric held by a table. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "sift_agg.h"

/* ---- a driver: one aggregator, its parameters and its state ---------------- */

typedef struct agg_run {
    const sift_agg *agg;
    const void *params;
    void *state;
    uint64_t count; /* what the host table would count: adds that returned 1 */
} agg_run;

static agg_run run_start(const sift_agg *agg, const void *params)
{
    agg_run r = { agg, params, calloc(1, agg->state_size), 0 };
    cr_assert_not_null(r.state);
    if (agg->init) /* NULL: zeroed memory is the fresh state */
        agg->init(r.state, params);
    return r;
}

static void run_end(agg_run *r)
{
    if (r->agg->release)
        r->agg->release(r->state);
    free(r->state);
}

static sift_when at(int64_t secs)
{
    return (sift_when){ .secs = secs, .valid = 1, .utc = 1 };
}

static int add_obs(agg_run *r, sift_obs o, uint64_t *handle)
{
    uint64_t ignored;
    int got = r->agg->add(r->state, r->params, &o, handle ? handle : &ignored);
    cr_assert(got >= 0, "%s ran out of memory", r->agg->name);
    if (got > 0)
        r->count++;
    return got;
}

static int add_at(agg_run *r, int64_t secs, uint64_t value)
{
    return add_obs(r, (sift_obs){ .when = at(secs), .value = value }, NULL);
}

static sift_severity judge(const agg_run *r)
{
    return r->agg->judge(r->state, r->params, r->count);
}

/* The metric named name; fails the test when it is missing. */
static sift_metric metric(const agg_run *r, const char *name)
{
    sift_metric m[SIFT_METRICS_MAX];
    size_t n = r->agg->metrics(r->state, r->params, r->count, m);
    cr_assert_leq(n, SIFT_METRICS_MAX);
    for (size_t i = 0; i < n; i++)
        if (strcmp(m[i].name, name) == 0)
            return m[i];
    cr_assert_fail("no metric %s from %s", name, r->agg->name);
    return m[0];
}

typedef struct metric_shape {
    const char *name;
    sift_metric_type type;
} metric_shape;

static void expect_shape(const agg_run *r, const metric_shape *want, size_t n_want)
{
    sift_metric m[SIFT_METRICS_MAX];
    size_t n = r->agg->metrics(r->state, r->params, r->count, m);
    cr_assert_eq(n, n_want, "%s prints %zu metrics, expected %zu", r->agg->name, n, n_want);
    for (size_t i = 0; i < n; i++) {
        cr_expect_str_eq(m[i].name, want[i].name, "metric %zu", i);
        cr_expect_eq(m[i].type, want[i].type, "metric %s", want[i].name);
    }
}

Test(agg, severity_names_cover_the_enum_and_nothing_else)
{
    static const char *const want[] = { "none", "info", "low", "medium", "high", "critical" };
    for (int s = SIFT_SEV_NONE; s <= SIFT_SEV_CRITICAL; s++)
        cr_expect_str_eq(sift_severity_name((sift_severity)s), want[s]);
    cr_expect_str_eq(sift_severity_name((sift_severity)6), "none");
    cr_expect_str_eq(sift_severity_name((sift_severity)-1), "none");
}

/* ---- periodic ------------------------------------------------------------- */

static sift_periodic_params periodic_params(void)
{
    return (sift_periodic_params){
        .max_times = 4096, .min_intervals = 3, .min_median_s = 60, .tolerance_pct = 25,
        .severity = SIFT_SEV_HIGH, .periodic_severity = SIFT_SEV_CRITICAL,
        .count_name = "crashes", .attr_names = { "exception", "module" },
    };
}

/* Crashes at t0 and then after each interval; returns the finished run. */
static agg_run periodic_with(const sift_periodic_params *p, const int64_t *iv, size_t n_iv)
{
    agg_run r = run_start(&sift_agg_periodic, p);
    int64_t t = 1700000000;
    cr_assert_eq(add_at(&r, t, 0), 1);
    for (size_t i = 0; i < n_iv; i++)
        cr_assert_eq(add_at(&r, t += iv[i], 0), 1, "interval %zu repeats a second", i);
    return r;
}

Test(periodic, a_crash_seen_twice_in_the_same_second_counts_once)
{
    sift_periodic_params p = periodic_params();
    agg_run r = run_start(&sift_agg_periodic, &p);
    cr_expect_eq(add_at(&r, 1000, 0), 1);
    cr_expect_eq(add_at(&r, 1000, 0), 0);
    cr_expect_eq(add_obs(&r, (sift_obs){ .when = { .secs = 1000, .nsec = 5, .valid = 1 } }, NULL), 0,
                 "the fraction of a second does not make it another crash");
    cr_expect_eq(add_at(&r, 1001, 0), 1);
    cr_expect_eq(r.count, 2);
    cr_expect_eq(metric(&r, "median_interval_s").i, 1);
    run_end(&r);
}

Test(periodic, undated_crashes_count_but_have_no_interval)
{
    sift_periodic_params p = periodic_params();
    agg_run r = run_start(&sift_agg_periodic, &p);
    cr_expect_eq(add_obs(&r, (sift_obs){ 0 }, NULL), 1);
    cr_expect_eq(add_obs(&r, (sift_obs){ 0 }, NULL), 1, "undated crashes cannot be told apart: each counts");
    cr_expect_eq(add_at(&r, 5000, 0), 1);
    cr_expect_eq(metric(&r, "crashes").u, 3);
    cr_expect(metric(&r, "median_interval_s").is_null, "one dated crash has no interval");
    cr_expect_eq(judge(&r), SIFT_SEV_HIGH);
    run_end(&r);
}

typedef struct periodic_case {
    const char *what;
    int64_t iv[8];
    size_t n;
    int64_t median;
    int periodic;
} periodic_case;

Test(periodic, median_interval_and_periodicity_follow_the_definition)
{
    /* min_intervals 3, min_median_s 60, tolerance 25 %: the README's definition. */
    static const periodic_case cases[] = {
        { "one interval", { 1800 }, 1, 1800, 0 },
        { "two intervals: fewer than min_intervals", { 1800, 1800 }, 2, 1800, 0 },
        { "three steady intervals", { 1800, 1800, 1800 }, 3, 1800, 1 },
        { "odd count: the middle one", { 100, 300, 200 }, 3, 200, 0 },
        { "even count: the mean of the middle two", { 100, 200, 300, 400 }, 4, 250, 0 },
        { "median below min_median_s is a burst", { 59, 59, 59, 59 }, 4, 59, 0 },
        { "median at min_median_s is a loop", { 60, 60, 60, 60 }, 4, 60, 1 },
        { "two thirds steady is enough", { 1000, 1000, 5000 }, 3, 1000, 1 },
        { "half steady is not", { 1000, 1000, 100, 5000 }, 4, 1000, 0 },
        { "the tolerance is inclusive", { 1000, 1000, 1000, 1250, 1250 }, 5, 1000, 1 },
        { "one second past it is outside", { 1000, 1000, 1000, 1251, 1251 }, 5, 1000, 0 },
        { "below the median likewise", { 1000, 1000, 1000, 750, 750 }, 5, 1000, 1 },
        { "the known 30-minute loop with jitter", { 1780, 1830, 1805, 1822, 1799, 1811 }, 6, 1808, 1 },
    };
    sift_periodic_params p = periodic_params();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const periodic_case *c = &cases[i];
        agg_run r = periodic_with(&p, c->iv, c->n);
        sift_metric med = metric(&r, "median_interval_s");
        cr_expect(!med.is_null, "%s", c->what);
        cr_expect_eq(med.i, c->median, "%s: median %lld", c->what, (long long)med.i);
        cr_expect_eq(metric(&r, "periodic").u, (uint64_t)c->periodic, "%s", c->what);
        cr_expect_eq(judge(&r), c->periodic ? SIFT_SEV_CRITICAL : SIFT_SEV_HIGH, "%s", c->what);
        run_end(&r);
    }
}

Test(periodic, intervals_are_taken_in_time_order_whatever_the_arrival_order)
{
    sift_periodic_params p = periodic_params();
    agg_run r = run_start(&sift_agg_periodic, &p);
    static const int64_t t[] = { 5400, 0, 3600, 1800, 7200 };
    for (size_t i = 0; i < 5; i++)
        add_at(&r, t[i], 0);
    cr_expect_eq(metric(&r, "median_interval_s").i, 1800);
    cr_expect_eq(metric(&r, "periodic").u, 1);
    run_end(&r);
}

Test(periodic, a_full_table_keeps_the_newest_crashes)
{
    sift_periodic_params p = periodic_params();
    p.max_times = 3;
    p.min_median_s = 1;
    static const int64_t in_order[] = { 0, 500, 1000, 1010, 1020 };
    static const int64_t reversed[] = { 1020, 1010, 1000, 500, 0 };
    const int64_t *orders[] = { in_order, reversed };
    for (size_t o = 0; o < 2; o++) {
        agg_run r = run_start(&sift_agg_periodic, &p);
        for (size_t i = 0; i < 5; i++)
            cr_expect_eq(add_at(&r, orders[o][i], 0), 1);
        /* Kept: 1000, 1010, 1020. The oldest ones would give 500. */
        cr_expect_eq(metric(&r, "median_interval_s").i, 10, "order %zu", o);
        cr_expect_eq(metric(&r, "crashes").u, 5, "every crash is counted, kept or not");
        run_end(&r);
    }
}

Test(periodic, attributes_come_from_the_latest_observation_that_has_them)
{
    sift_periodic_params p = periodic_params();
    agg_run r = run_start(&sift_agg_periodic, &p);
    add_obs(&r, (sift_obs){ .when = at(1), .attr = { SIFT_LIT("0xc0000005"), SIFT_LIT("aaedge.dll") } }, NULL);
    add_obs(&r, (sift_obs){ .when = at(2), .attr = { { NULL, 0 }, SIFT_LIT("  ntdll.dll \r") } }, NULL);
    add_obs(&r, (sift_obs){ .when = at(3), .attr = { SIFT_LIT("   "), { NULL, 0 } } }, NULL);
    sift_metric e = metric(&r, "exception"), m = metric(&r, "module");
    cr_expect_eq(e.type, SIFT_M_STR);
    cr_expect(!e.is_null && sift_slice_eq(e.s, SIFT_LIT("0xc0000005")));
    cr_expect(!m.is_null && sift_slice_eq(m.s, SIFT_LIT("ntdll.dll")), "trimmed, from the second crash");
    run_end(&r);
}

Test(periodic, attributes_are_cut_at_their_limit_and_null_until_seen)
{
    sift_periodic_params p = periodic_params();
    agg_run r = run_start(&sift_agg_periodic, &p);
    add_at(&r, 1, 0);
    cr_expect(metric(&r, "exception").is_null);
    cr_expect(metric(&r, "module").is_null);
    char longname[200];
    memset(longname, 'm', sizeof longname);
    guard_buf g = guard_copy(longname, sizeof longname);
    add_obs(&r, (sift_obs){ .when = at(2), .attr = { { NULL, 0 }, sift_slice_make(g.ptr, g.len) } }, NULL);
    cr_expect_eq(metric(&r, "module").s.len, SIFT_ATTR_MAX);
    guard_free(&g);
    cr_expect_eq(metric(&r, "module").s.ptr[0], 'm', "the copy lives in the state, not the input");
    run_end(&r);
}

Test(periodic, metrics_have_fixed_names_types_and_order)
{
    sift_periodic_params p = periodic_params();
    agg_run r = run_start(&sift_agg_periodic, &p);
    cr_expect_eq(judge(&r), SIFT_SEV_NONE, "nothing observed, nothing to report");
    add_at(&r, 1, 0);
    static const metric_shape want[] = {
        { "crashes", SIFT_M_U64 }, { "median_interval_s", SIFT_M_I64 }, { "periodic", SIFT_M_BOOL },
        { "exception", SIFT_M_STR }, { "module", SIFT_M_STR },
    };
    expect_shape(&r, want, 5);
    run_end(&r);
    p.attr_names[0] = NULL;
    r = run_start(&sift_agg_periodic, &p);
    add_at(&r, 1, 0);
    expect_shape(&r, (const metric_shape[]){ want[0], want[1], want[2], want[4] }, 4);
    run_end(&r);
}

/* ---- peak ------------------------------------------------------------------ */

#define WRAP 42949673ull

static sift_peak_params peak_params(void)
{
    return (sift_peak_params){
        .threshold = WRAP, .warn = 450ull * 86400, .over_severity = SIFT_SEV_CRITICAL,
        .warn_severity = SIFT_SEV_MEDIUM, .value_name = "uptime_s", .days_name = "uptime_days",
        .threshold_name = "threshold_s", .at_name = "reported_at", .crossing_name = "crosses_497_at",
        .drop_name = "rebooted_since",
    };
}

Test(peak, keeps_the_largest_value_with_its_time)
{
    sift_peak_params p = peak_params();
    agg_run r = run_start(&sift_agg_peak, &p);
    add_at(&r, 300, 1000);
    add_at(&r, 100, 5000);
    add_at(&r, 200, 3000);
    cr_expect_eq(metric(&r, "uptime_s").u, 5000);
    cr_expect_eq(metric(&r, "reported_at").t.secs, 100);
    cr_expect(metric(&r, "reported_at").t.valid);
    run_end(&r);
}

typedef struct reboot_case {
    const char *what;
    int64_t t[3];
    uint64_t v[3];
    size_t n;
    int rebooted;
} reboot_case;

Test(peak, rebooted_since_needs_a_later_report_of_less_uptime)
{
    static const reboot_case cases[] = {
        { "growing uptime", { 100, 200 }, { 1000, 1100 }, 2, 0 },
        { "less uptime later", { 100, 200 }, { 1000, 50 }, 2, 1 },
        { "less uptime earlier (arrives last)", { 200, 100 }, { 1000, 50 }, 2, 0 },
        { "a restart, then more than before", { 100, 200, 300 }, { 1000, 50, 2000 }, 3, 0 },
        { "one report", { 100 }, { 1000 }, 1, 0 },
    };
    sift_peak_params p = peak_params();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        agg_run r = run_start(&sift_agg_peak, &p);
        for (size_t k = 0; k < cases[i].n; k++)
            add_at(&r, cases[i].t[k], cases[i].v[k]);
        cr_expect_eq(metric(&r, "rebooted_since").u, (uint64_t)cases[i].rebooted, "%s", cases[i].what);
        run_end(&r);
    }
    /* An undated report says nothing about what came after the peak. */
    agg_run r = run_start(&sift_agg_peak, &p);
    add_at(&r, 100, 1000);
    add_obs(&r, (sift_obs){ .value = 10 }, NULL);
    cr_expect_eq(metric(&r, "rebooted_since").u, 0);
    run_end(&r);
}

typedef struct peak_case {
    uint64_t v;
    sift_severity sev;
    int crossing; /* a crossing date is printed */
} peak_case;

Test(peak, severity_and_projected_crossing_only_between_warn_and_threshold)
{
    const uint64_t warn = 450ull * 86400;
    const peak_case cases[] = {
        { 0, SIFT_SEV_NONE, 0 },
        { warn - 1, SIFT_SEV_NONE, 0 },
        { warn, SIFT_SEV_MEDIUM, 1 },
        { WRAP - 1, SIFT_SEV_MEDIUM, 1 },
        { WRAP, SIFT_SEV_CRITICAL, 0 },
        { WRAP + 86400, SIFT_SEV_CRITICAL, 0 },
    };
    sift_peak_params p = peak_params();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        agg_run r = run_start(&sift_agg_peak, &p);
        add_at(&r, 1000000, cases[i].v);
        cr_expect_eq(judge(&r), cases[i].sev, "uptime %llu", (unsigned long long)cases[i].v);
        sift_metric c = metric(&r, "crosses_497_at");
        cr_expect_eq(c.type, SIFT_M_TIME);
        cr_expect_eq(c.t.valid, cases[i].crossing, "uptime %llu", (unsigned long long)cases[i].v);
        if (cases[i].crossing)
            cr_expect_eq(c.t.secs, 1000000 + (int64_t)(WRAP - cases[i].v), "one second per second from the report");
        run_end(&r);
    }
    /* Undated: no date to project from, the severity still holds. */
    agg_run r = run_start(&sift_agg_peak, &p);
    add_obs(&r, (sift_obs){ .value = warn }, NULL);
    cr_expect_eq(judge(&r), SIFT_SEV_MEDIUM);
    cr_expect(!metric(&r, "crosses_497_at").t.valid);
    cr_expect(!metric(&r, "reported_at").t.valid);
    run_end(&r);
}

typedef struct days_case {
    uint64_t secs;
    uint64_t tenths;
} days_case;

Test(peak, days_are_printed_in_tenths_rounded_down)
{
    /* 86,400 s a day: 497.0 days is 42,940,800 s and 497.1 days 42,949,440 s,
     * so the wrap (2^32 x 10 ms, 42,949,672.96 s) is 497.1 days either side. */
    static const days_case cases[] = {
        { 0, 0 },        { 8639, 0 },           { 8640, 1 },           { 86399, 9 },
        { 86400, 10 },   { 42940799, 4969 },    { 42940800, 4970 },    { 42949439, 4970 },
        { 42949440, 4971 }, { 42949672, 4971 }, { 42949673, 4971 },    { 43200000, 5000 },
        { UINT64_MAX, UINT64_MAX / 86400 * 10 + (UINT64_MAX % 86400) * 10 / 86400 },
    };
    sift_peak_params p = peak_params();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        agg_run r = run_start(&sift_agg_peak, &p);
        add_at(&r, 1, cases[i].secs);
        sift_metric d = metric(&r, "uptime_days");
        cr_expect_eq(d.type, SIFT_M_TENTHS);
        cr_expect_eq(d.u, cases[i].tenths, "%llu s gave %llu tenths", (unsigned long long)cases[i].secs,
                     (unsigned long long)d.u);
        run_end(&r);
    }
}

Test(peak, metrics_have_fixed_names_types_and_order)
{
    sift_peak_params p = peak_params();
    agg_run r = run_start(&sift_agg_peak, &p);
    cr_expect_eq(judge(&r), SIFT_SEV_NONE);
    add_at(&r, 1, WRAP);
    static const metric_shape want[] = {
        { "uptime_s", SIFT_M_U64 },     { "uptime_days", SIFT_M_TENTHS },  { "threshold_s", SIFT_M_U64 },
        { "reported_at", SIFT_M_TIME }, { "crosses_497_at", SIFT_M_TIME }, { "rebooted_since", SIFT_M_BOOL },
    };
    expect_shape(&r, want, 6);
    cr_expect_eq(metric(&r, "threshold_s").u, WRAP);
    run_end(&r);
    p.days_name = NULL;
    r = run_start(&sift_agg_peak, &p);
    add_at(&r, 1, 5);
    expect_shape(&r, (const metric_shape[]){ want[0], want[2], want[3], want[4], want[5] }, 5);
    run_end(&r);
}

/* ---- ratio ------------------------------------------------------------------ */

static sift_ratio_params ratio_params(void)
{
    return (sift_ratio_params){
        .denominator = 16384, .max_samples = 256, .warn_pct = 50, .crit_pct = 90, .rising_steps = 3,
        .warn_severity = SIFT_SEV_MEDIUM, .crit_severity = SIFT_SEV_CRITICAL, .rising_severity = SIFT_SEV_LOW,
        .last_name = "time_wait", .max_name = "time_wait_max", .denominator_name = "port_range",
        .pct_name = "pct_max", .max_at_name = "max_at", .samples_name = "snapshots", .rising_name = "rising",
    };
}

static int add_sample(agg_run *r, int dated, int64_t secs, uint64_t v, int open, uint64_t *handle)
{
    sift_obs o = { .when = dated ? at(secs) : (sift_when){ 0 }, .value = v, .open = (uint8_t)open };
    return add_obs(r, o, handle);
}

Test(ratio, a_dated_table_seen_twice_counts_once_and_keeps_the_larger_count)
{
    sift_ratio_params p = ratio_params();
    agg_run r = run_start(&sift_agg_ratio, &p);
    uint64_t h1, h2, h3;
    cr_expect_eq(add_sample(&r, 1, 100, 10, 0, &h1), 1);
    cr_expect_eq(add_sample(&r, 1, 100, 20, 0, &h2), 0);
    cr_expect_eq(h2, h1, "the repeat names the sample it merged into");
    cr_expect_eq(add_sample(&r, 1, 100, 5, 0, &h3), 0);
    cr_expect_eq(metric(&r, "time_wait").u, 20, "never lowered by a smaller copy");
    cr_expect_eq(metric(&r, "snapshots").u, 1);
    /* Undated tables cannot be told apart: each counts. */
    cr_expect_eq(add_sample(&r, 0, 0, 7, 0, NULL), 1);
    cr_expect_eq(add_sample(&r, 0, 0, 7, 0, NULL), 1);
    cr_expect_eq(metric(&r, "snapshots").u, 3);
    run_end(&r);
}

typedef struct rising_case {
    const char *what;
    int dated[8];
    int64_t t[8];
    uint64_t v[8];
    int open[8];
    size_t n;
    int rising;
    uint64_t last;
} rising_case;

Test(ratio, rising_needs_growth_at_each_of_the_last_steps_in_time_order)
{
    static const rising_case cases[] = {
        { "three steps", { 1, 1, 1, 1 }, { 1, 2, 3, 4 }, { 1, 2, 3, 4 }, { 0 }, 4, 1, 4 },
        { "two steps only", { 1, 1, 1 }, { 1, 2, 3 }, { 1, 2, 3 }, { 0 }, 3, 0, 3 },
        { "a flat step breaks it", { 1, 1, 1, 1, 1 }, { 1, 2, 3, 4, 5 }, { 1, 2, 2, 3, 4 }, { 0 }, 5, 0, 4 },
        { "an early dip does not matter", { 1, 1, 1, 1, 1 }, { 1, 2, 3, 4, 5 }, { 9, 1, 2, 3, 4 }, { 0 }, 5, 1, 4 },
        { "a last fall ends it", { 1, 1, 1, 1, 1 }, { 1, 2, 3, 4, 5 }, { 1, 2, 3, 4, 3 }, { 0 }, 5, 0, 3 },
        { "dated samples in time order, not arrival", { 1, 1, 1, 1 }, { 4, 1, 3, 2 }, { 4, 1, 3, 2 }, { 0 }, 4, 1, 4 },
        { "arrival order falling is still rising by time", { 1, 1, 1, 1 }, { 4, 3, 2, 1 }, { 40, 30, 20, 10 }, { 0 },
          4, 1, 40 },
        { "undated by arrival", { 0, 0, 0, 0 }, { 0 }, { 1, 2, 3, 4 }, { 0 }, 4, 1, 4 },
        { "undated after dated", { 0, 1, 1, 1 }, { 0, 1, 2, 3 }, { 9, 1, 2, 3 }, { 0 }, 4, 1, 9 },
        { "undated after dated, falling", { 0, 1, 1, 1 }, { 0, 1, 2, 3 }, { 0, 1, 2, 3 }, { 0 }, 4, 0, 0 },
        { "an open sample in the middle is left out", { 1, 1, 1, 1, 1 }, { 1, 2, 3, 4, 5 }, { 1, 2, 99, 3, 4 },
          { 0, 0, 1, 0, 0 }, 5, 1, 4 },
        { "an open sample as the newest takes part", { 1, 1, 1, 1 }, { 1, 2, 3, 4 }, { 1, 2, 3, 4 }, { 0, 0, 0, 1 }, 4,
          1, 4 },
        { "an open newest sample that fell", { 1, 1, 1, 1, 1 }, { 1, 2, 3, 4, 5 }, { 1, 2, 3, 4, 0 },
          { 0, 0, 0, 0, 1 }, 5, 0, 0 },
    };
    sift_ratio_params p = ratio_params();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const rising_case *c = &cases[i];
        agg_run r = run_start(&sift_agg_ratio, &p);
        for (size_t k = 0; k < c->n; k++)
            add_sample(&r, c->dated[k], c->t[k], c->v[k], c->open[k], NULL);
        cr_expect_eq(metric(&r, "rising").u, (uint64_t)c->rising, "%s", c->what);
        cr_expect_eq(metric(&r, "time_wait").u, c->last, "%s: latest", c->what);
        cr_expect_eq(judge(&r), c->rising ? SIFT_SEV_LOW : SIFT_SEV_NONE, "%s", c->what);
        run_end(&r);
    }
}

Test(ratio, the_maximum_counts_every_sample_open_or_not)
{
    sift_ratio_params p = ratio_params();
    agg_run r = run_start(&sift_agg_ratio, &p);
    add_sample(&r, 1, 10, 5, 0, NULL);
    add_sample(&r, 1, 20, 9000, 1, NULL);
    add_sample(&r, 1, 30, 7, 0, NULL);
    cr_expect_eq(metric(&r, "time_wait_max").u, 9000);
    cr_expect_eq(metric(&r, "max_at").t.secs, 20);
    cr_expect_eq(judge(&r), SIFT_SEV_MEDIUM);
    run_end(&r);
}

Test(ratio, update_only_raises_and_only_closes)
{
    sift_ratio_params p = ratio_params();
    agg_run r = run_start(&sift_agg_ratio, &p);
    uint64_t h[4];
    add_sample(&r, 1, 1, 1, 0, &h[0]);
    add_sample(&r, 1, 2, 2, 0, &h[1]);
    add_sample(&r, 1, 3, 30, 1, &h[2]); /* open: left out of the trend */
    add_sample(&r, 1, 4, 4, 0, &h[3]);
    cr_expect_eq(metric(&r, "rising").u, 0, "1, 2, 4: two steps");
    cr_expect_eq(sift_agg_ratio.update(r.state, &p, h[2], 10, 1), 0, "lower: no change");
    cr_expect_eq(metric(&r, "time_wait_max").u, 30);
    cr_expect_eq(sift_agg_ratio.update(r.state, &p, h[2], 3, 0), 1, "closing is a change even when lower");
    cr_expect_eq(metric(&r, "time_wait_max").u, 30, "closing never lowers");
    cr_expect_eq(metric(&r, "rising").u, 0, "closed at 30: 1, 2, 30, 4 falls at the end");
    cr_expect_eq(sift_agg_ratio.update(r.state, &p, h[2], 30, 1), 0, "a closed sample is not reopened");
    cr_expect_eq(sift_agg_ratio.update(r.state, &p, h[2], 30, 0), 0, "closing twice changes nothing");
    cr_expect_eq(sift_agg_ratio.update(r.state, &p, h[3], 31, 0), 1, "raising is a change");
    cr_expect_eq(metric(&r, "rising").u, 1, "1, 2, 30, 31");
    cr_expect_eq(metric(&r, "time_wait").u, 31);
    cr_expect_eq(sift_agg_ratio.update(r.state, &p, 12345, 99, 0), 0, "an unknown handle changes nothing");
    run_end(&r);
}

Test(ratio, a_full_table_drops_the_oldest_sample)
{
    sift_ratio_params p = ratio_params();
    p.max_samples = 3;
    agg_run r = run_start(&sift_agg_ratio, &p);
    uint64_t h_old;
    add_sample(&r, 1, 100, 9999, 0, &h_old);
    add_sample(&r, 1, 200, 1, 0, NULL);
    add_sample(&r, 1, 300, 2, 0, NULL);
    add_sample(&r, 1, 400, 3, 0, NULL);
    cr_expect_eq(metric(&r, "time_wait_max").u, 3, "the sample at 100 was dropped");
    cr_expect_eq(metric(&r, "max_at").t.secs, 400);
    cr_expect_eq(sift_agg_ratio.update(r.state, &p, h_old, 10000, 0), 0, "a dropped sample cannot be updated");
    cr_expect_eq(add_sample(&r, 1, 50, 8888, 0, NULL), 1, "counted");
    cr_expect_eq(metric(&r, "time_wait_max").u, 3, "but older than every kept sample: not kept");
    add_sample(&r, 0, 0, 4, 0, NULL);
    cr_expect_eq(metric(&r, "time_wait").u, 4, "an undated sample counts as the newest");
    cr_expect_eq(metric(&r, "time_wait_max").u, 4);
    cr_expect(!metric(&r, "max_at").t.valid, "the maximum is the undated sample");
    cr_expect_eq(metric(&r, "rising").u, 0, "2, 3, 4 kept (the sample at 200 went): two steps");
    run_end(&r);
}

typedef struct pct_case {
    uint32_t denominator;
    uint64_t max;
    uint32_t pct;
    sift_severity sev;
} pct_case;

Test(ratio, percent_and_thresholds_are_against_the_denominator)
{
    static const pct_case cases[] = {
        { 16384, 0, 0, SIFT_SEV_NONE },         { 16384, 8191, 49, SIFT_SEV_NONE },
        { 16384, 8192, 50, SIFT_SEV_MEDIUM },   { 16384, 14745, 89, SIFT_SEV_MEDIUM },
        { 16384, 14746, 90, SIFT_SEV_CRITICAL }, { 16384, 40000, 244, SIFT_SEV_CRITICAL },
        { 1001, 500, 49, SIFT_SEV_NONE },        { 1001, 501, 50, SIFT_SEV_MEDIUM },
        { 1001, 901, 90, SIFT_SEV_CRITICAL },    { 1001, 900, 89, SIFT_SEV_MEDIUM },
        { 1, 1, 100, SIFT_SEV_CRITICAL },        { 65536, 58983, 90, SIFT_SEV_CRITICAL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sift_ratio_params p = ratio_params();
        p.denominator = cases[i].denominator;
        agg_run r = run_start(&sift_agg_ratio, &p);
        add_sample(&r, 1, 1, cases[i].max, 0, NULL);
        cr_expect_eq(metric(&r, "pct_max").u, cases[i].pct, "%llu of %u", (unsigned long long)cases[i].max,
                     cases[i].denominator);
        cr_expect_eq(metric(&r, "port_range").u, cases[i].denominator);
        cr_expect_eq(judge(&r), cases[i].sev, "%llu of %u", (unsigned long long)cases[i].max, cases[i].denominator);
        run_end(&r);
    }
}

Test(ratio, metrics_have_fixed_names_types_and_order)
{
    sift_ratio_params p = ratio_params();
    agg_run r = run_start(&sift_agg_ratio, &p);
    cr_expect_eq(judge(&r), SIFT_SEV_NONE);
    add_sample(&r, 1, 1, 1, 0, NULL);
    static const metric_shape want[] = {
        { "time_wait", SIFT_M_U64 }, { "time_wait_max", SIFT_M_U64 }, { "port_range", SIFT_M_U64 },
        { "pct_max", SIFT_M_U64 },   { "max_at", SIFT_M_TIME },       { "snapshots", SIFT_M_U64 },
        { "rising", SIFT_M_BOOL },
    };
    expect_shape(&r, want, 7);
    run_end(&r);
}

/* ---- keyed ------------------------------------------------------------------ */

static const sift_keyed_params keyed_params = {
    .n = 2, .keys = { 4227, 4231 }, .severity = { SIFT_SEV_MEDIUM, SIFT_SEV_HIGH },
    .names = { "event_4227", "event_4231" },
};

Test(keyed, counts_each_key_and_ignores_other_keys)
{
    agg_run r = run_start(&sift_agg_keyed, &keyed_params);
    cr_expect_eq(judge(&r), SIFT_SEV_NONE);
    cr_expect_eq(add_obs(&r, (sift_obs){ .key = 4227 }, NULL), 1);
    cr_expect_eq(add_obs(&r, (sift_obs){ .key = 4227 }, NULL), 1);
    cr_expect_eq(add_obs(&r, (sift_obs){ .key = 4226 }, NULL), 0);
    cr_expect_eq(metric(&r, "event_4227").u, 2);
    cr_expect_eq(metric(&r, "event_4231").u, 0);
    cr_expect_eq(judge(&r), SIFT_SEV_MEDIUM);
    cr_expect_eq(add_obs(&r, (sift_obs){ .key = 4231 }, NULL), 1);
    cr_expect_eq(judge(&r), SIFT_SEV_HIGH, "the worst key seen decides");
    expect_shape(&r, (const metric_shape[]){ { "event_4227", SIFT_M_U64 }, { "event_4231", SIFT_M_U64 } }, 2);
    run_end(&r);
}

Test(keyed, only_the_high_key_gives_its_own_severity)
{
    agg_run r = run_start(&sift_agg_keyed, &keyed_params);
    add_obs(&r, (sift_obs){ .key = 4231 }, NULL);
    cr_expect_eq(judge(&r), SIFT_SEV_HIGH);
    cr_expect_eq(metric(&r, "event_4227").u, 0);
    cr_expect_eq(metric(&r, "event_4231").u, 1);
    run_end(&r);
}
