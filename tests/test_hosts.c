/* test_hosts.c - sift_hosts and sift_paths: host correlation, report order,
 * live rises, state allocated only for rules that fired, the host limit and
 * the memory a quiet fleet costs; evidence paths interned once. */
#include <criterion/criterion.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asan.h"
#include "sift_hosts.h"
#include "sift_paths.h"

/* ---- a counting aggregator: its severity is a function of the count -------- */

typedef struct count_log {
    unsigned inits, releases, adds;
} count_log;

typedef struct count_params {
    count_log *log;       /* mutable through the const params: test only */
    sift_severity sev[8]; /* severity at count 0..7 (7 and above) */
} count_params;

typedef struct count_state {
    uint64_t n;
    uint64_t *buf; /* something to release */
} count_state;

static void count_init(void *state, const void *params)
{
    const count_params *p = params;
    count_state *s = state;
    s->buf = malloc(16);
    cr_assert_not_null(s->buf);
    p->log->inits++;
}

static void count_release(void *state)
{
    count_state *s = state;
    free(s->buf);
    s->buf = NULL;
}

/* key 1 marks a repeat of an earlier observation. */
static int count_add(void *state, const void *params, const sift_obs *obs, uint64_t *handle)
{
    const count_params *p = params;
    count_state *s = state;
    *handle = s->n;
    p->log->adds++;
    if (obs->key == 1)
        return 0;
    s->n++;
    return 1;
}

static sift_severity count_judge(const void *state, const void *params, uint64_t count)
{
    const count_params *p = params;
    (void)state;
    return p->sev[count < 7 ? count : 7];
}

static size_t count_metrics(const void *state, const void *params, uint64_t count, sift_metric *m)
{
    const count_state *s = state;
    (void)params;
    m[0] = (sift_metric){ .name = "n", .type = SIFT_M_U64, .u = s->n };
    m[1] = (sift_metric){ .name = "count", .type = SIFT_M_U64, .u = count };
    return 2;
}

static const sift_agg count_agg = {
    "count", sizeof(count_params), sizeof(count_state), count_init, count_release,
    count_add, NULL, count_judge, count_metrics,
};

/* Every rule: reports from the first observation. */
static count_log logs[3];
static const count_params steady = {
    &logs[0], { SIFT_SEV_NONE, SIFT_SEV_LOW, SIFT_SEV_LOW, SIFT_SEV_LOW, SIFT_SEV_LOW, SIFT_SEV_LOW, SIFT_SEV_LOW,
                SIFT_SEV_LOW },
};
/* Rises low, high, critical; then stays. */
static const count_params climbing = {
    &logs[1], { SIFT_SEV_NONE, SIFT_SEV_LOW, SIFT_SEV_LOW, SIFT_SEV_HIGH, SIFT_SEV_HIGH, SIFT_SEV_CRITICAL,
                SIFT_SEV_CRITICAL, SIFT_SEV_CRITICAL },
};
/* Never worth a finding. */
static const count_params quiet = {
    &logs[2], { SIFT_SEV_NONE, SIFT_SEV_NONE, SIFT_SEV_NONE, SIFT_SEV_NONE, SIFT_SEV_NONE, SIFT_SEV_NONE,
                SIFT_SEV_NONE, SIFT_SEV_NONE },
};

static const sift_hosts_rule three_rules[] = {
    { &count_agg, &steady },
    { &count_agg, &climbing },
    { &count_agg, &quiet },
};

/* What a report or on_rise handed over, one line per finding. */
typedef struct seen {
    char lines[64][160];
    size_t n;
} seen;

static void record(void *ctx, const sift_finding *f)
{
    seen *s = ctx;
    cr_assert_lt(s->n, 64);
    snprintf(s->lines[s->n++], sizeof s->lines[0], "%.*s r%u %s n=%llu", (int)f->host_len, f->host, f->rule,
             sift_severity_name(f->severity), (unsigned long long)f->count);
}

static sift_hosts *table(sift_finding_fn on_rise, void *ctx)
{
    sift_hosts_cfg cfg = { .rules = three_rules, .n_rules = 3, .on_rise = on_rise, .ctx = ctx };
    sift_hosts *h = sift_hosts_create(&cfg);
    cr_assert_not_null(h);
    return h;
}

static sift_status obs_for(sift_hosts *h, const char *host, unsigned rule)
{
    sift_obs o = { 0 };
    return sift_hosts_observe(h, sift_slice_make(host, strlen(host)), rule, &o, (sift_evidence){ 0 }, NULL);
}

static void report(sift_hosts *h, seen *s)
{
    s->n = 0;
    size_t n = sift_hosts_report(h, record, s);
    cr_assert_eq(n, s->n);
}

static void expect_lines(const seen *s, const char *const *want, size_t n)
{
    cr_expect_eq(s->n, n, "%zu findings, expected %zu", s->n, n);
    for (size_t i = 0; i < n && i < s->n; i++)
        cr_expect_str_eq(s->lines[i], want[i], "finding %zu", i);
}

static void record_count(void *ctx, const sift_finding *f)
{
    (void)f;
    ++*(unsigned *)ctx;
}

/* ---- names and keys ---------------------------------------------------------- */

Test(hosts, an_fqdn_and_its_short_name_are_one_host_printed_as_the_fqdn)
{
    static const char *const names[] = { "rdg01", "RDG01.corp.example.com", "Rdg01.CORP" };
    static const int orders[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
    for (size_t o = 0; o < 6; o++) {
        sift_hosts *h = table(NULL, NULL);
        for (size_t i = 0; i < 3; i++)
            cr_assert_eq(obs_for(h, names[orders[o][i]], 0), SIFT_OK);
        cr_expect_eq(sift_hosts_count(h), 1);
        seen s;
        report(h, &s);
        expect_lines(&s, (const char *const[]){ "RDG01.corp.example.com r0 low n=3" }, 1);
        sift_hosts_free(h);
    }
}

Test(hosts, spellings_of_equal_length_print_the_same_whatever_the_order)
{
    static const char *const a[] = { "rdg01", "RDG01", "Rdg01" };
    for (size_t first = 0; first < 3; first++) {
        sift_hosts *h = table(NULL, NULL);
        for (size_t i = 0; i < 3; i++)
            obs_for(h, a[(first + i) % 3], 0);
        seen s;
        report(h, &s);
        expect_lines(&s, (const char *const[]){ "RDG01 r0 low n=3" }, 1);
        sift_hosts_free(h);
    }
}

Test(hosts, ip_literals_keep_their_dots_and_colons)
{
    sift_hosts *h = table(NULL, NULL);
    static const char *const names[] = { "10.0.0.1", "10.0.0.2", "10.0.0.1", "fe80::1", "FE80::2", "fe80::1" };
    for (size_t i = 0; i < 6; i++)
        obs_for(h, names[i], 0);
    cr_expect_eq(sift_hosts_count(h), 4, "10.0.0.1 and 10.0.0.2 are not the short name 10");
    seen s;
    report(h, &s);
    static const char *const want[] = {
        "10.0.0.1 r0 low n=2",
        "10.0.0.2 r0 low n=1",
        "fe80::1 r0 low n=2",
        "FE80::2 r0 low n=1",
    };
    expect_lines(&s, want, 4);
    sift_hosts_free(h);
}

Test(hosts, no_name_and_blank_names_are_unknown)
{
    sift_hosts *h = table(NULL, NULL);
    obs_for(h, "", 0);
    obs_for(h, "  \t", 0);
    cr_assert_eq(sift_hosts_observe(h, (sift_slice){ NULL, 0 }, 0, &(sift_obs){ 0 }, (sift_evidence){ 0 }, NULL),
                 SIFT_OK);
    seen s;
    report(h, &s);
    expect_lines(&s, (const char *const[]){ "unknown r0 low n=3" }, 1);
    sift_hosts_free(h);
}

/* The last byte and length of each reported name, for names with a NUL. */
typedef struct seen_bytes {
    char last[16];
    size_t len[16];
    size_t n;
} seen_bytes;

static void record_bytes(void *ctx, const sift_finding *f)
{
    seen_bytes *s = ctx;
    cr_assert_lt(s->n, 16);
    s->len[s->n] = f->host_len;
    s->last[s->n++] = f->host_len ? f->host[f->host_len - 1] : '?';
}

/* ---- report order and rises ------------------------------------------------------ */

Test(hosts, the_report_is_ordered_by_host_key_then_rule)
{
    sift_hosts *h = table(NULL, NULL);
    obs_for(h, "gamma.corp", 1);
    obs_for(h, "beta", 0);
    obs_for(h, "Alpha", 1);
    obs_for(h, "gamma.corp", 0);
    obs_for(h, "alpha.corp", 0);
    obs_for(h, "beta", 2); /* quiet: never reported */
    seen s;
    report(h, &s);
    static const char *const want[] = {
        "alpha.corp r0 low n=1", "alpha.corp r1 low n=1", "beta r0 low n=1",
        "gamma.corp r0 low n=1", "gamma.corp r1 low n=1",
    };
    expect_lines(&s, want, 5);
    sift_hosts_free(h);
}

Test(hosts, on_rise_is_called_once_per_severity_rise_and_never_past_critical)
{
    seen s = { .n = 0 };
    sift_hosts *h = table(record, &s);
    for (int i = 0; i < 10; i++)
        cr_assert_eq(obs_for(h, "rdg01", 1), SIFT_OK);
    static const char *const want[] = { "rdg01 r1 low n=1", "rdg01 r1 high n=3", "rdg01 r1 critical n=5" };
    expect_lines(&s, want, 3);
    sift_hosts_free(h);
}

Test(hosts, a_repeated_observation_is_not_counted_and_raises_nothing)
{
    seen s = { .n = 0 };
    sift_hosts *h = table(record, &s);
    sift_obs repeat = { .key = 1 };
    cr_assert_eq(sift_hosts_observe(h, SIFT_LIT("rdg01"), 1, &repeat, (sift_evidence){ 0 }, NULL), SIFT_OK);
    cr_expect_eq(s.n, 0);
    obs_for(h, "rdg01", 1);
    cr_assert_eq(sift_hosts_observe(h, SIFT_LIT("rdg01"), 1, &repeat, (sift_evidence){ 0 }, NULL), SIFT_OK);
    seen r;
    report(h, &r);
    expect_lines(&r, (const char *const[]){ "rdg01 r1 low n=1" }, 1);
    sift_hosts_free(h);
}

Test(hosts, a_quiet_rule_is_never_reported_live_or_at_the_end)
{
    seen s = { .n = 0 };
    sift_hosts *h = table(record, &s);
    for (int i = 0; i < 9; i++)
        obs_for(h, "fs01", 2);
    cr_expect_eq(s.n, 0);
    report(h, &s);
    cr_expect_eq(s.n, 0);
    sift_hosts_free(h);
}

Test(hosts, state_is_made_only_for_rules_that_fired_and_all_of_it_released)
{
    memset(logs, 0, sizeof logs);
    sift_hosts *h = table(NULL, NULL);
    obs_for(h, "a", 1);
    obs_for(h, "a", 1);
    obs_for(h, "b", 1);
    obs_for(h, "c.corp", 0);
    obs_for(h, "c", 0);
    cr_expect_eq(logs[0].inits, 1, "rule 0 fired for one host");
    cr_expect_eq(logs[1].inits, 2, "rule 1 fired for two hosts");
    cr_expect_eq(logs[2].inits, 0, "rule 2 never fired");
    cr_expect_eq(logs[1].adds, 3);
    sift_hosts_free(h);
    /* ASan (make asan) sees a state not released as a leak of its buf. */
}

Test(hosts, observe_and_update_refuse_rules_outside_the_table)
{
    sift_hosts *h = table(NULL, NULL);
    cr_expect_eq(obs_for(h, "a", 3), SIFT_ERR_LIMIT);
    cr_expect_eq(sift_hosts_update(h, SIFT_LIT("a"), 3, 0, 1, 0), SIFT_ERR_LIMIT);
    cr_expect_eq(sift_hosts_update(h, SIFT_LIT("a"), 0, 0, 1, 0), SIFT_ERR_LIMIT, "count_agg has no update()");
    cr_expect_eq(sift_hosts_count(h), 0, "a refused observation makes no host");
    cr_expect_eq(sift_hosts_dropped(h), 0);
    sift_hosts_free(h);
}

Test(hosts, more_than_the_rule_limit_is_refused)
{
    sift_hosts_rule many[SIFT_MAX_RULES + 1];
    for (size_t i = 0; i < SIFT_MAX_RULES + 1; i++)
        many[i] = three_rules[0];
    sift_hosts_cfg cfg = { .rules = many, .n_rules = SIFT_MAX_RULES + 1 };
    cr_expect_null(sift_hosts_create(&cfg));
    cfg.n_rules = SIFT_MAX_RULES;
    sift_hosts *h = sift_hosts_create(&cfg);
    cr_expect_not_null(h);
    sift_hosts_free(h);
}

/* ---- evidence and time range ------------------------------------------------------ */

typedef struct one_finding {
    sift_finding f;
    size_t n;
} one_finding;

static void keep(void *ctx, const sift_finding *f)
{
    one_finding *o = ctx;
    o->f = *f;
    o->n++;
}

Test(hosts, evidence_keeps_the_first_three_and_the_latest_and_times_span_all)
{
    sift_hosts *h = table(NULL, NULL);
    static const int64_t t[] = { 500, 100, 900, 300, 700 };
    for (uint64_t i = 0; i < 5; i++) {
        sift_obs o = { .when = { .secs = t[i], .valid = 1, .utc = i != 3 } };
        sift_evidence ev = { .input = 7, .offset = 1000 + i, .line = 10 + i };
        cr_assert_eq(sift_hosts_observe(h, SIFT_LIT("a"), 0, &o, ev, NULL), SIFT_OK);
    }
    sift_hosts_observe(h, SIFT_LIT("a"), 0, &(sift_obs){ 0 }, (sift_evidence){ .offset = 2000 }, NULL);
    one_finding o = { .n = 0 };
    sift_hosts_report(h, keep, &o);
    cr_assert_eq(o.n, 1);
    cr_expect_eq(o.f.count, 6);
    cr_expect_eq(o.f.first_seen.secs, 100);
    cr_expect_eq(o.f.last_seen.secs, 900);
    cr_expect_eq(o.f.any_local, 1, "one observation had a local time");
    cr_expect_eq(o.f.n_ev, SIFT_EVIDENCE_MAX);
    cr_expect_eq(o.f.ev[0].offset, 1000);
    cr_expect_eq(o.f.ev[1].offset, 1001);
    cr_expect_eq(o.f.ev[2].offset, 1002);
    cr_expect_eq(o.f.ev[3].offset, 2000, "the latest, not the fourth");
    sift_hosts_free(h);
}

Test(hosts, long_names_are_cut_at_the_limit)
{
    char name[400];
    memset(name, 'a', sizeof name);
    memcpy(name + 10, ".example.com", 12);
    sift_hosts *h = table(NULL, NULL);
    cr_assert_eq(sift_hosts_observe(h, sift_slice_make(name, sizeof name), 0, &(sift_obs){ 0 },
                                    (sift_evidence){ 0 }, NULL),
                 SIFT_OK);
    obs_for(h, "aaaaaaaaaa", 0);
    one_finding o = { .n = 0 };
    sift_hosts_report(h, keep, &o);
    cr_assert_eq(o.n, 1, "the long name and its short name are one host");
    cr_expect_eq(o.f.host_len, SIFT_HOST_NAME_MAX);
    cr_expect_eq(strlen(o.f.host), SIFT_HOST_NAME_MAX);
    cr_expect_eq(memcmp(o.f.host, name, SIFT_HOST_NAME_MAX), 0);
    sift_hosts_free(h);
}

Test(hosts, names_are_bytes_and_sort_by_every_byte_of_their_key)
{
    /* A NUL inside a name is one more byte: "x\0b" is not "x\0a". */
    static const char order[] = "hgfedcba";
    for (int reversed = 0; reversed < 2; reversed++) {
        sift_hosts *h = table(NULL, NULL);
        for (int i = 0; i < 8; i++) {
            const char name[3] = { 'x', '\0', order[reversed ? 7 - i : i] };
            cr_assert_eq(sift_hosts_observe(h, sift_slice_make(name, 3), 0, &(sift_obs){ 0 }, (sift_evidence){ 0 },
                                            NULL),
                         SIFT_OK);
        }
        cr_expect_eq(sift_hosts_count(h), 8);
        seen_bytes got = { .n = 0 };
        sift_hosts_report(h, record_bytes, &got);
        cr_assert_eq(got.n, 8);
        for (size_t k = 0; k < 8; k++) {
            cr_expect_eq(got.len[k], 3);
            cr_expect_eq(got.last[k], "abcdefgh"[k], "finding %zu is x\\0%c", k, got.last[k]);
        }
        sift_hosts_free(h);
    }
}

/* ---- host facts ----------------------------------------------------------------- */

static sift_host_fact fact_for(const char *host, const uint32_t *kbs, size_t n, int complete)
{
    return (sift_host_fact){ .host = sift_slice_make(host, strlen(host)), .kbs = kbs, .n_kbs = n,
                             .kbs_complete = (uint8_t)complete };
}

static int has_kb(const sift_host_fact *f, uint32_t kb)
{
    for (size_t i = 0; i < f->n_kbs; i++)
        if (f->kbs[i] == kb)
            return 1;
    return 0;
}

Test(facts, an_inventory_replaces_what_it_knows_and_keeps_the_rest)
{
    sift_hosts *h = table(NULL, NULL);
    cr_expect_null(sift_hosts_facts(h, SIFT_LIT("app-sql02")), "nothing known yet");
    cr_expect_eq(sift_hosts_count(h), 0, "asking makes no host");
    sift_host_fact a = fact_for("APP-SQL02.corp.example.com", NULL, 0, 0);
    a.os_name = SIFT_LIT("Microsoft Windows Server 2008 R2 Enterprise ");
    a.os_version = SIFT_LIT("6.1.7601 Service Pack 1 Build 7601");
    a.major = 6, a.minor = 1, a.build = 7601;
    a.boot_time = (sift_when){ .secs = 1600000000, .valid = 1 };
    a.time_zone = SIFT_LIT("(UTC+09:00) Osaka, Sapporo, Tokyo");
    cr_assert_eq(sift_hosts_fact(h, &a), SIFT_OK);
    sift_host_fact b = fact_for("app-sql02", NULL, 0, 0);
    b.os_version = SIFT_LIT("6.1.7601");
    cr_assert_eq(sift_hosts_fact(h, &b), SIFT_OK);
    const sift_host_fact *f = sift_hosts_facts(h, SIFT_LIT("App-Sql02"));
    cr_assert_not_null(f, "the short name finds the FQDN's facts");
    cr_expect(sift_slice_eq(f->host, SIFT_LIT("APP-SQL02.corp.example.com")));
    cr_expect(sift_slice_eq(f->os_name, SIFT_LIT("Microsoft Windows Server 2008 R2 Enterprise")), "trimmed, kept");
    cr_expect(sift_slice_eq(f->os_version, SIFT_LIT("6.1.7601")), "replaced");
    cr_expect(f->major == 6 && f->minor == 1 && f->build == 7601, "unknown numbers do not erase known ones");
    cr_expect(f->boot_time.valid && f->boot_time.secs == 1600000000);
    cr_expect(sift_slice_eq(f->time_zone, SIFT_LIT("(UTC+09:00) Osaka, Sapporo, Tokyo")));
    cr_expect_eq(sift_hosts_count(h), 1);
    seen s;
    report(h, &s);
    cr_expect_eq(s.n, 0, "facts alone are no finding");
    sift_hosts_free(h);
}

Test(facts, kb_lists_merge_sorted_and_unique)
{
    sift_hosts *h = table(NULL, NULL);
    static const uint32_t a[] = { 2553549, 976932, 2553549, 3000850 };
    static const uint32_t b[] = { 2688338, 976932 };
    sift_host_fact x = fact_for("fs01", a, 4, 0), y = fact_for("FS01", b, 2, 0);
    cr_assert_eq(sift_hosts_fact(h, &x), SIFT_OK);
    cr_assert_eq(sift_hosts_fact(h, &y), SIFT_OK);
    const sift_host_fact *f = sift_hosts_facts(h, SIFT_LIT("fs01"));
    cr_assert_not_null(f);
    static const uint32_t want[] = { 976932, 2553549, 2688338, 3000850 };
    cr_assert_eq(f->n_kbs, 4);
    for (size_t i = 0; i < 4; i++)
        cr_expect_eq(f->kbs[i], want[i], "kb %zu", i);
    cr_expect(has_kb(f, 2688338) && !has_kb(f, 2688339));
    cr_expect_eq(f->kbs_complete, 0, "no list said it was complete");
    sift_host_fact z = fact_for("fs01", b, 2, 1);
    sift_hosts_fact(h, &z);
    cr_expect_eq(sift_hosts_facts(h, SIFT_LIT("fs01"))->kbs_complete, 1, "complete once a complete list is seen");
    sift_host_fact w = fact_for("fs01", NULL, 0, 0);
    sift_hosts_fact(h, &w);
    cr_expect_eq(sift_hosts_facts(h, SIFT_LIT("fs01"))->kbs_complete, 1, "and stays so");
    sift_hosts_free(h);
}

Test(facts, a_kb_list_past_the_limit_is_cut_and_marked_incomplete)
{
    static uint32_t many[SIFT_FACT_MAX_KBS + 10];
    for (uint32_t i = 0; i < SIFT_FACT_MAX_KBS + 10; i++)
        many[i] = 5000000 + i;
    sift_hosts *h = table(NULL, NULL);
    sift_host_fact x = fact_for("fs01", many, SIFT_FACT_MAX_KBS + 10, 1);
    cr_assert_eq(sift_hosts_fact(h, &x), SIFT_OK);
    const sift_host_fact *f = sift_hosts_facts(h, SIFT_LIT("fs01"));
    cr_expect_eq(f->n_kbs, SIFT_FACT_MAX_KBS);
    cr_expect_eq(f->kbs_complete, 0, "a KB that did not fit is unknown, not missing");
    /* A later complete list that fits does not make the cut list whole again. */
    sift_host_fact y = fact_for("fs01", many, 1, 1);
    cr_assert_eq(sift_hosts_fact(h, &y), SIFT_OK);
    f = sift_hosts_facts(h, SIFT_LIT("fs01"));
    cr_expect_eq(f->kbs_complete, 0, "still cut");
    sift_hosts_free(h);
}

Test(facts, duplicates_in_a_list_never_crowd_out_a_kb)
{
    static uint32_t first[SIFT_FACT_MAX_KBS - 4];
    for (uint32_t i = 0; i < SIFT_FACT_MAX_KBS - 4; i++)
        first[i] = 4000000 + i;
    uint32_t second[12];
    for (size_t i = 0; i < 11; i++)
        second[i] = 2553549; /* one KB listed eleven times */
    second[11] = 2688338;
    sift_hosts *h = table(NULL, NULL);
    sift_host_fact x = fact_for("fs01", first, SIFT_FACT_MAX_KBS - 4, 1), y = fact_for("fs01", second, 12, 1);
    cr_assert_eq(sift_hosts_fact(h, &x), SIFT_OK);
    cr_assert_eq(sift_hosts_fact(h, &y), SIFT_OK);
    const sift_host_fact *f = sift_hosts_facts(h, SIFT_LIT("fs01"));
    cr_expect(has_kb(f, 2553549));
    cr_expect(has_kb(f, 2688338) || !f->kbs_complete, "KB2688338 was listed: present, or the list says it is cut");
    cr_expect(has_kb(f, 2688338), "there was room for it: %zu of %u", f->n_kbs, SIFT_FACT_MAX_KBS);
    sift_hosts_free(h);
}

/* ---- a table that evicts ------------------------------------------------------------ */

static sift_hosts *small_table(unsigned max_hosts, sift_finding_fn on_evict, void *ctx)
{
    sift_hosts_cfg cfg = { .rules = three_rules, .n_rules = 3, .on_evict = on_evict, .ctx = ctx,
                           .max_hosts = max_hosts };
    sift_hosts *h = sift_hosts_create(&cfg);
    cr_assert_not_null(h);
    return h;
}

static void observe_h(sift_hosts *h, unsigned i, unsigned rule, sift_status want)
{
    char name[16];
    int k = snprintf(name, sizeof name, "h%02u", i);
    cr_assert_eq(sift_hosts_observe(h, sift_slice_make(name, (size_t)k), rule, &(sift_obs){ 0 }, (sift_evidence){ 0 },
                                    NULL),
                 want, "host h%02u", i);
}

Test(evict, a_full_table_without_on_evict_drops_new_hosts)
{
    sift_hosts *h = small_table(16, NULL, NULL);
    for (unsigned i = 0; i < 16; i++)
        observe_h(h, i, 0, SIFT_OK);
    observe_h(h, 16, 0, SIFT_ERR_LIMIT);
    observe_h(h, 3, 0, SIFT_OK);
    cr_expect_eq(sift_hosts_count(h), 16);
    cr_expect_eq(sift_hosts_dropped(h), 1);
    cr_expect_eq(sift_hosts_evicted(h), 0);
    sift_hosts_free(h);
}

Test(evict, a_full_table_reports_and_forgets_the_hosts_observed_least_recently)
{
    seen s = { .n = 0 };
    sift_hosts *h = small_table(16, record, &s);
    for (unsigned i = 0; i < 16; i++)
        observe_h(h, i, i == 1 ? 2 : 0, SIFT_OK); /* h01 only for the quiet rule */
    observe_h(h, 0, 0, SIFT_OK);                  /* h00 is recent again */
    observe_h(h, 16, 0, SIFT_OK);
    cr_expect_eq(sift_hosts_evicted(h), 2, "an eighth of the table");
    cr_expect_eq(sift_hosts_count(h), 15);
    cr_expect_eq(sift_hosts_dropped(h), 0);
    expect_lines(&s, (const char *const[]){ "h02 r0 low n=1" }, 1);
    /* What was evicted is gone: it comes back new. */
    observe_h(h, 2, 0, SIFT_OK);
    seen r;
    report(h, &r);
    cr_expect_eq(r.n, 16, "h00, h02 again and h03..h16; h01 was quiet and is gone");
    cr_expect_str_eq(r.lines[0], "h00 r0 low n=2");
    cr_expect_str_eq(r.lines[1], "h02 r0 low n=1");
    sift_hosts_free(h);
}

Test(evict, a_stream_of_new_hosts_keeps_the_table_bounded)
{
    unsigned evicted = 0;
    sift_hosts *h = small_table(64, record_count, &evicted);
    for (unsigned i = 0; i < 1000; i++) {
        char name[16];
        int k = snprintf(name, sizeof name, "n%u", i);
        cr_assert_eq(sift_hosts_observe(h, sift_slice_make(name, (size_t)k), 0, &(sift_obs){ 0 }, (sift_evidence){ 0 },
                                        NULL),
                     SIFT_OK);
        cr_assert_leq(sift_hosts_count(h), 64);
    }
    cr_expect_eq(sift_hosts_dropped(h), 0);
    cr_expect_eq(evicted + sift_hosts_count(h), 1000, "every host is reported once: evicted or at the end");
    cr_expect_eq(sift_hosts_evicted(h), evicted);
    sift_hosts_free(h);
}

/* ---- the host limit and memory ------------------------------------------------------ */

Test(hosts, a_full_table_returns_limit_and_counts_what_it_dropped)
{
    sift_hosts *h = table(NULL, NULL);
    char name[32];
    for (unsigned i = 0; i < SIFT_MAX_HOSTS; i++) {
        int k = snprintf(name, sizeof name, "h%u", i);
        sift_status st = sift_hosts_observe(h, sift_slice_make(name, (size_t)k), 2, &(sift_obs){ 0 },
                                            (sift_evidence){ 0 }, NULL);
        if (st != SIFT_OK)
            cr_assert_fail("host %u: %s", i, sift_status_str(st));
    }
    cr_expect_eq(sift_hosts_count(h), SIFT_MAX_HOSTS);
    cr_expect_eq(sift_hosts_dropped(h), 0);
    cr_expect_eq(obs_for(h, "one-too-many", 0), SIFT_ERR_LIMIT);
    cr_expect_eq(obs_for(h, "another.corp", 1), SIFT_ERR_LIMIT);
    cr_expect_eq(sift_hosts_dropped(h), 2);
    cr_expect_eq(sift_hosts_count(h), SIFT_MAX_HOSTS);
    cr_expect_eq(obs_for(h, "H7.corp.example.com", 0), SIFT_OK, "hosts already in still take observations");
    seen s;
    report(h, &s);
    expect_lines(&s, (const char *const[]){ "H7.corp.example.com r0 low n=1" }, 1);
    sift_hosts_free(h);
}

#ifndef UNDER_ASAN
/* The four real aggregators, with the limits the rule table gives them. */
static const sift_periodic_params crash_params = {
    .max_times = 4096, .min_intervals = 2, .min_median_s = 60, .tolerance_pct = 25,
    .severity = SIFT_SEV_HIGH, .periodic_severity = SIFT_SEV_CRITICAL,
    .count_name = "crashes", .attr_names = { "exception", "module" },
};
static const sift_peak_params peak_params = { .threshold = 42949673, .warn = 38880000 };
static const sift_ratio_params ratio_params = { .denominator = 16384, .max_samples = 256, .rising_steps = 3 };
static const sift_keyed_params keyed_params = { .n = 2, .keys = { 4227, 4231 } };

#define FLEET 100000u
#define BYTES_PER_HOST 600u

/* Bytes the table holds for FLEET hosts that each gave rule one observation. */
static size_t fleet_bytes(unsigned rule)
{
    const sift_hosts_rule rules[] = {
        { &sift_agg_periodic, &crash_params },
        { &sift_agg_peak, &peak_params },
        { &sift_agg_ratio, &ratio_params },
        { &sift_agg_keyed, &keyed_params },
    };
    sift_hosts_cfg cfg = { .rules = rules, .n_rules = 4 };
    struct mallinfo2 before = mallinfo2();
    sift_hosts *h = sift_hosts_create(&cfg);
    cr_assert_not_null(h);
    char name[64];
    for (unsigned i = 0; i < FLEET; i++) {
        int k = snprintf(name, sizeof name, "WS%06u.corp.example.com", i);
        sift_obs o = { .when = { .secs = 1700000000 + i, .valid = 1 }, .value = 42000000, .key = 4227,
                       .attr = { SIFT_LIT("0xc0000005"), SIFT_LIT("aaedge.dll") } };
        cr_assert_eq(sift_hosts_observe(h, sift_slice_make(name, (size_t)k), rule, &o, (sift_evidence){ 0 }, NULL),
                     SIFT_OK);
    }
    struct mallinfo2 after = mallinfo2();
    sift_hosts_free(h);
    return after.uordblks + after.hblkhd - before.uordblks - before.hblkhd;
}

#endif

Test(hosts, a_fleet_with_one_observation_a_host_costs_under_600_bytes_a_host)
{
#ifdef UNDER_ASAN
    cr_skip_test("mallinfo2 does not see ASan's allocator");
#else
    static const char *const agg[] = { "periodic", "peak", "ratio", "keyed" };
    for (unsigned r = 0; r < 4; r++) {
        size_t per_host = fleet_bytes(r) / FLEET;
        cr_log_info("%u hosts, one %s observation each: %zu bytes a host", FLEET, agg[r], per_host);
        cr_expect_lt(per_host, BYTES_PER_HOST, "%s: %zu bytes a host", agg[r], per_host);
    }
#endif
}

/* ---- sift_paths --------------------------------------------------------------- */

Test(paths, the_same_path_interned_twice_gets_the_same_id)
{
    sift_paths *p = sift_paths_create();
    cr_assert_not_null(p);
    uint32_t a = sift_paths_intern(p, "dumps/a.txt");
    uint32_t b = sift_paths_intern(p, "dumps/b.txt");
    cr_expect_neq(a, b);
    cr_expect_eq(sift_paths_intern(p, "dumps/b.txt"), b, "the latest again");
    cr_expect_eq(sift_paths_intern(p, "dumps/a.txt"), a, "an earlier one again");
    cr_expect_neq(sift_paths_intern(p, "dumps/A.txt"), a, "paths are bytes: case matters");
    cr_expect_str_eq(sift_paths_name(p, a), "dumps/a.txt");
    cr_expect_str_eq(sift_paths_name(p, b), "dumps/b.txt");
    cr_expect_eq(sift_paths_dropped(p), 0);
    sift_paths_free(p);
}

Test(paths, many_paths_keep_their_ids_across_growth)
{
    sift_paths *p = sift_paths_create();
    char name[64];
    for (unsigned i = 0; i < 20000; i++) {
        snprintf(name, sizeof name, "dir/%u/netstat.txt", i);
        cr_assert_eq(sift_paths_intern(p, name), i);
    }
    for (unsigned i = 0; i < 20000; i += 997) {
        snprintf(name, sizeof name, "dir/%u/netstat.txt", i);
        cr_expect_eq(sift_paths_intern(p, name), i);
        cr_expect_str_eq(sift_paths_name(p, i), name);
    }
    sift_paths_free(p);
}

Test(paths, unknown_ids_are_named_dash)
{
    sift_paths *p = sift_paths_create();
    cr_expect_str_eq(sift_paths_name(p, 0), "-", "nothing interned yet");
    cr_expect_str_eq(sift_paths_name(p, SIFT_PATH_NONE), "-");
    uint32_t a = sift_paths_intern(p, "x");
    cr_expect_str_eq(sift_paths_name(p, a + 1), "-");
    cr_expect_str_eq(sift_paths_name(p, SIFT_PATH_NONE), "-");
    sift_paths_free(p);
    sift_paths_free(NULL);
}

/* A live table's sample is raised by its handle while the table arrives; if
 * its host was evicted meanwhile, the raise is dropped: the host does not
 * come back, nor does another host's sample take the handle. A host known
 * only by its facts counts as seen when they came. */
Test(evict, a_raise_for_an_evicted_host_brings_nothing_back)
{
    static const sift_ratio_params rp = { .denominator = 100, .max_samples = 8, .warn_pct = 50, .crit_pct = 90,
                                          .rising_steps = 3, .warn_severity = SIFT_SEV_MEDIUM,
                                          .crit_severity = SIFT_SEV_CRITICAL, .last_name = "l", .max_name = "m",
                                          .denominator_name = "d", .pct_name = "p", .max_at_name = "a",
                                          .samples_name = "s", .rising_name = "r" };
    static const sift_hosts_rule rules[] = { { &sift_agg_ratio, &rp } };
    seen s = { .n = 0 };
    sift_hosts_cfg cfg = { .rules = rules, .n_rules = 1, .on_evict = record, .ctx = &s, .max_hosts = 8 };
    sift_hosts *h = sift_hosts_create(&cfg);
    cr_assert_not_null(h);
    uint64_t handle;
    sift_obs o = { .value = 10, .open = 1 };
    cr_assert_eq(sift_hosts_observe(h, SIFT_LIT("victim"), 0, &o, (sift_evidence){ 0 }, &handle), SIFT_OK);
    for (unsigned i = 0; i < 8; i++) {
        char name[16];
        int k = snprintf(name, sizeof name, "h%02u", i);
        uint64_t other;
        cr_assert_eq(sift_hosts_observe(h, sift_slice_make(name, (size_t)k), 0, &o, (sift_evidence){ 0 }, &other),
                     SIFT_OK);
    }
    cr_assert_gt(sift_hosts_evicted(h), 0);
    size_t before = sift_hosts_count(h);
    uint64_t evicted = sift_hosts_evicted(h);
    cr_expect_eq(sift_hosts_update(h, SIFT_LIT("victim"), 0, handle, 95, 0), SIFT_OK);
    cr_expect_eq(sift_hosts_count(h), before, "the evicted host is not made again");
    cr_expect_eq(sift_hosts_evicted(h), evicted, "nothing else is evicted for it");
    seen all = { .n = 0 };
    report(h, &all);
    for (size_t i = 0; i < all.n; i++)
        cr_expect(strstr(all.lines[i], "victim") == NULL, "%s", all.lines[i]);
    sift_hosts_free(h);
}

/* ---- sources and the host's findings side by side ------------------------------- */

Test(hosts, a_finding_lists_each_input_once_in_the_order_first_seen)
{
    sift_hosts *h = table(NULL, NULL);
    static const uint32_t inputs[] = { 7, 7, 3, 7, 9, 3, UINT32_MAX };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        sift_obs o = { .when = { .secs = (int64_t)i, .valid = 1 } };
        cr_assert_eq(sift_hosts_observe(h, SIFT_LIT("a"), 0, &o, (sift_evidence){ .input = inputs[i] }, NULL),
                     SIFT_OK);
    }
    cr_assert_eq(sift_hosts_observe(h, SIFT_LIT("b"), 0, &(sift_obs){ 0 }, (sift_evidence){ .input = 5 }, NULL),
                 SIFT_OK);
    cr_assert_eq(sift_hosts_observe(h, SIFT_LIT("b"), 0, &(sift_obs){ 0 }, (sift_evidence){ .input = 5 }, NULL),
                 SIFT_OK);
    one_finding o = { .n = 0 };
    sift_hosts_report(h, keep, &o);
    cr_assert_eq(o.n, 2);
    cr_expect_eq(o.f.n_src, 1, "one input seen twice is one source");
    cr_expect_eq(o.f.src[0], 5);
    sift_hosts_free(h);
    h = table(NULL, NULL);
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        cr_assert_eq(sift_hosts_observe(h, SIFT_LIT("a"), 0, &(sift_obs){ 0 },
                                        (sift_evidence){ .input = inputs[i] }, NULL),
                     SIFT_OK);
    o.n = 0;
    sift_hosts_report(h, keep, &o);
    cr_assert_eq(o.n, 1);
    cr_assert_eq(o.f.n_src, 3, "an input the path table could not keep names nothing");
    cr_expect(o.f.src[0] == 7 && o.f.src[1] == 3 && o.f.src[2] == 9);
    cr_expect_eq(o.f.src_more, 0);
    sift_hosts_free(h);
}

Test(hosts, past_the_source_limit_inputs_are_counted)
{
    sift_hosts *h = table(NULL, NULL);
    for (uint32_t i = 0; i < SIFT_SOURCES_MAX + 5; i++)
        for (int twice = 0; twice < 2; twice++)
            cr_assert_eq(sift_hosts_observe(h, SIFT_LIT("a"), 0, &(sift_obs){ 0 }, (sift_evidence){ .input = i },
                                            NULL),
                         SIFT_OK);
    one_finding o = { .n = 0 };
    sift_hosts_report(h, keep, &o);
    cr_assert_eq(o.f.n_src, SIFT_SOURCES_MAX);
    for (uint32_t i = 0; i < SIFT_SOURCES_MAX; i++)
        cr_expect_eq(o.f.src[i], i);
    cr_expect_gt(o.f.src_more, 0, "the inputs past the limit are not silently dropped");
    sift_hosts_free(h);
}

Test(evict, an_evicted_hosts_source_lists_are_reused_and_nothing_leaks)
{
    seen s = { .n = 0 };
    sift_hosts_cfg cfg = { .rules = three_rules, .n_rules = 3, .on_evict = record, .ctx = &s, .max_hosts = 8 };
    sift_hosts *h = sift_hosts_create(&cfg);
    cr_assert_not_null(h);
    char name[32];
    for (unsigned i = 0; i < 40; i++) {
        int k = snprintf(name, sizeof name, "h%u", i);
        for (uint32_t in = 0; in < 3; in++)
            cr_assert_eq(sift_hosts_observe(h, sift_slice_make(name, (size_t)k), 0, &(sift_obs){ 0 },
                                            (sift_evidence){ .input = i * 3 + in }, NULL),
                         SIFT_OK);
    }
    one_finding o = { .n = 0 };
    sift_hosts_report(h, keep, &o);
    cr_expect_eq(o.f.n_src, 3, "a list reused from an evicted host starts empty");
    cr_expect_eq(o.f.src[0], 39 * 3);
    sift_hosts_free(h);
}

typedef struct siblings {
    unsigned rules[8][4];
    size_t n_rules[8], n;
} siblings;

static void keep_siblings(void *ctx, const sift_finding *f)
{
    siblings *s = ctx;
    cr_assert_lt(s->n, 8);
    cr_assert_not_null(f->host_findings);
    int self = 0;
    for (size_t i = 0; i < f->n_host_findings && i < 4; i++) {
        s->rules[s->n][i] = f->host_findings[i].rule;
        self |= &f->host_findings[i] == f;
    }
    cr_expect(self, "the finding is one of its host's");
    s->n_rules[s->n++] = f->n_host_findings;
}

Test(hosts, each_finding_comes_with_its_hosts_others_quiet_ones_included)
{
    sift_hosts *h = table(NULL, NULL);
    cr_assert_eq(obs_for(h, "a", 0), SIFT_OK);
    cr_assert_eq(obs_for(h, "a", 2), SIFT_OK); /* the quiet rule: no finding of its own */
    cr_assert_eq(obs_for(h, "a", 1), SIFT_OK);
    cr_assert_eq(obs_for(h, "b", 1), SIFT_OK);
    siblings s = { .n = 0 };
    cr_assert_eq(sift_hosts_report(h, keep_siblings, &s), 3);
    cr_assert_eq(s.n, 3);
    cr_expect_eq(s.n_rules[0], 3, "a: every rule it has observations of, in rule order");
    cr_expect(s.rules[0][0] == 0 && s.rules[0][1] == 1 && s.rules[0][2] == 2);
    cr_expect_eq(s.n_rules[1], 3);
    cr_expect_eq(s.n_rules[2], 1, "b: only its own");
    sift_hosts_free(h);
}

Test(facts, where_the_os_and_the_kb_list_were_stated_is_kept_apart)
{
    sift_hosts *h = table(NULL, NULL);
    static const uint32_t kbs[] = { 5040437 };
    sift_host_fact os = { .host = SIFT_LIT("rdg01"), .major = 10, .build = 20348, .ubr = 2582,
                          .where = { .input = 1, .offset = 10 } };
    sift_host_fact list = { .host = SIFT_LIT("RDG01"), .kbs = kbs, .n_kbs = 1, .kbs_complete = 1,
                            .where = { .input = 2, .offset = 20 } };
    sift_host_fact tz = { .host = SIFT_LIT("rdg01"), .time_zone = SIFT_LIT("UTC"), .where = { .input = 3 } };
    cr_assert_eq(sift_hosts_fact(h, &os), SIFT_OK);
    cr_assert_eq(sift_hosts_fact(h, &list), SIFT_OK);
    cr_assert_eq(sift_hosts_fact(h, &tz), SIFT_OK);
    const sift_host_fact *f = sift_hosts_facts(h, SIFT_LIT("rdg01"));
    cr_assert_not_null(f);
    cr_expect(f->major == 10 && f->build == 20348 && f->ubr == 2582);
    cr_expect(f->os_where.input == 1 && f->os_where.offset == 10);
    cr_expect(f->kbs_where.input == 2 && f->kbs_where.offset == 20);
    cr_expect_eq(f->where.input, 3, "where: the last fact");
    /* A newer OS without a revision does not keep the old one's. */
    sift_host_fact upgraded = { .host = SIFT_LIT("rdg01"), .major = 10, .build = 26100, .where = { .input = 4 } };
    cr_assert_eq(sift_hosts_fact(h, &upgraded), SIFT_OK);
    f = sift_hosts_facts(h, SIFT_LIT("rdg01"));
    cr_expect(f->build == 26100 && f->ubr == 0 && f->os_where.input == 4);
    /* The report hands the facts over with their KB list in view. */
    cr_assert_eq(obs_for(h, "rdg01", 0), SIFT_OK);
    one_finding o = { .n = 0 };
    sift_hosts_report(h, keep, &o);
    cr_assert(o.n == 1 && o.f.facts);
    cr_expect(o.f.facts->n_kbs == 1 && o.f.facts->kbs && o.f.facts->kbs[0] == 5040437);
    sift_hosts_free(h);
}
