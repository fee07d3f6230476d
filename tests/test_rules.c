/* test_rules.c - sift_rules: each verifier over canonical fields, what each
 * rule wants, the settings of one run and the remediation they shape. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "sift_rules.h"

static const sift_rule *rule(const char *id)
{
    for (size_t i = 0; i < sift_rule_count; i++)
        if (strcmp(sift_rules[i].id, id) == 0)
            return &sift_rules[i];
    cr_assert_fail("no rule %s", id);
    return NULL;
}

static size_t rule_index(const char *id)
{
    return (size_t)(rule(id) - sift_rules);
}

/* ---- verifiers ---------------------------------------------------------------- */

typedef struct crash_case {
    const char *app, *code, *module;
    int verified;
} crash_case;

/* Each field behind a guard page, so a verifier that reads past one faults. */
static int verify_guarded(const sift_rule *r, const char *const *fields, const sift_fld *which, size_t n,
                          sift_obs *obs)
{
    sift_event ev = { .have = SIFT_EV_ID, .id = r->needs.n_ids ? r->needs.ids[0] : 0 };
    guard_buf g[SIFT_FLD_COUNT];
    for (size_t i = 0; i < n; i++) {
        g[i] = guard_copy(fields[i] ? fields[i] : "", fields[i] ? strlen(fields[i]) : 0);
        ev.fld[which[i]] = sift_slice_make(g[i].ptr, g[i].len);
    }
    memset(obs, 0, sizeof *obs);
    int got = r->verify(&ev, obs);
    sift_obs again = { 0 };
    cr_expect_eq(r->verify(&ev, &again), got, "a verifier is deterministic");
    cr_expect_eq(again.value, obs->value);
    cr_expect_eq(again.key, obs->key);
    for (size_t i = 0; i < n; i++)
        guard_free(&g[i]);
    return got;
}

Test(rules, rdgw_crash_needs_the_tsgateway_service_and_an_access_violation)
{
    static const crash_case cases[] = {
        { "svchost.exe_TSGateway", "0xc0000005", "aaedge.dll", 1 },
        { "svchost.exe_TSGateway", "0XC0000005", "aaedge.dll", 1 },
        { "svchost.exe_TSGateway", "0xC0000005", NULL, 1 },
        { "svchost.exe_TSGateway", "c0000005", "aaedge.dll", 1 },
        { "svchost.exe_TSGateway", "C0000005", "aaedge.dll", 1 },
        { "svchost.exe_TSGateway", "3221225477", "aaedge.dll", 1 },
        { "svchost.exe_TSGateway", "  0xc0000005\r", "aaedge.dll", 1 },
        { "SVCHOST.EXE_tsgateway", "0xc0000005", "aaedge.dll", 1 },
        { " svchost.exe_TSGateway ", "0xc0000005", "aaedge.dll", 1 },
        { "svchost.exe_TSGateway", "0xc0000006", "aaedge.dll", 0 },
        { "svchost.exe_TSGateway", "c0000006", "aaedge.dll", 0 },
        { "svchost.exe_TSGateway", "3221225478", "aaedge.dll", 0 },
        { "svchost.exe_TSGateway", "0x3221225477", "aaedge.dll", 0 },
        { "svchost.exe_TSGateway", "0xc0000005x", "aaedge.dll", 0 },
        { "svchost.exe_TSGateway", "0x", "aaedge.dll", 0 },
        { "svchost.exe_TSGateway", "", "aaedge.dll", 0 },
        { "svchost.exe_TSGateway", NULL, "aaedge.dll", 0 },
        { "svchost.exe_Dnscache", "0xc0000005", "aaedge.dll", 0 },
        { "svchost.exe_TermService", "0xc0000005", "aaedge.dll", 0 },
        { "svchost.exe", "0xc0000005", "aaedge.dll", 0 },
        { "svchost.exe_TSGatewayX", "0xc0000005", "aaedge.dll", 0 },
        { "xsvchost.exe_TSGateway", "0xc0000005", "aaedge.dll", 0 },
        { "", "0xc0000005", "aaedge.dll", 0 },
        { NULL, "0xc0000005", "aaedge.dll", 0 },
    };
    const sift_rule *r = rule("rdgw-crash");
    static const sift_fld which[] = { SIFT_FLD_APP_NAME, SIFT_FLD_EXCEPTION_CODE, SIFT_FLD_MODULE_NAME };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const crash_case *c = &cases[i];
        const char *fields[] = { c->app, c->code, c->module };
        sift_obs obs;
        int got = verify_guarded(r, fields, which, 3, &obs);
        cr_expect_eq(got, c->verified, "app \"%s\" code \"%s\"", c->app ? c->app : "(none)",
                     c->code ? c->code : "(none)");
        if (got) {
            cr_expect(sift_slice_eq(obs.attr[0], SIFT_LIT("0xc0000005")), "the exception is printed one way");
            cr_expect_eq(obs.attr[1].len, c->module ? strlen(c->module) : 0, "the module is handed on");
        }
    }
}

typedef struct uptime_case {
    const char *text;
    int verified;
    uint64_t value;
} uptime_case;

Test(rules, uptime_is_the_whole_decimal_field)
{
    static const uptime_case cases[] = {
        { "42953114", 1, 42953114 },
        { " 42949673\r", 1, 42949673 },
        { "0", 1, 0 },
        { "18446744073709551615", 1, UINT64_MAX },
        { "18446744073709551616", 0, 0 },
        { "4295 3114", 0, 0 },
        { "42953114s", 0, 0 },
        { "-5", 0, 0 },
        { "0x10", 0, 0 },
        { "", 0, 0 },
        { NULL, 0, 0 },
    };
    const sift_rule *r = rule("uptime-497");
    const sift_fld which[] = { SIFT_FLD_UPTIME };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sift_obs obs;
        int got = verify_guarded(r, &cases[i].text, which, 1, &obs);
        cr_expect_eq(got, cases[i].verified, "\"%s\"", cases[i].text ? cases[i].text : "(none)");
        if (got)
            cr_expect_eq(obs.value, cases[i].value, "\"%s\"", cases[i].text);
    }
}

Test(rules, tcpip_events_are_keyed_by_their_id)
{
    const sift_rule *r = rule("tcpip-port-exhaustion");
    for (unsigned i = 0; i < r->needs.n_ids; i++) {
        sift_event ev = { .have = SIFT_EV_ID, .id = r->needs.ids[i], .provider = SIFT_LIT("Tcpip") };
        sift_obs obs = { 0 };
        cr_expect_eq(r->verify(&ev, &obs), 1);
        cr_expect_eq(obs.key, r->needs.ids[i]);
    }
}

typedef struct table_case {
    const char *what;
    uint32_t counted;
    uint64_t time_wait;
    int verified;
} table_case;

Test(rules, timewait_takes_a_snapshot_whose_time_wait_rows_were_counted)
{
    static const table_case cases[] = {
        { "counted", 1u << SIFT_TCP_TIME_WAIT, 12000, 1 },
        { "counted, none found", 1u << SIFT_TCP_TIME_WAIT, 0, 1 },
        { "counted among others", (1u << SIFT_TCP_TIME_WAIT) | (1u << SIFT_TCP_ESTABLISHED), 7, 1 },
        { "only other states counted", 1u << SIFT_TCP_ESTABLISHED, 12000, 0 },
        { "nothing counted", 0, 12000, 0 },
    };
    const sift_rule *r = rule("timewait-exhaustion");
    cr_assert_not_null(r->verify_table);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sift_snapshot snap = { .counted = cases[i].counted, .rows = 20000 };
        snap.counts[SIFT_TCP_TIME_WAIT] = cases[i].time_wait;
        snap.counts[SIFT_TCP_ESTABLISHED] = 5;
        sift_obs obs = { 0 };
        cr_expect_eq(r->verify_table(&snap, &obs), cases[i].verified, "%s", cases[i].what);
        if (cases[i].verified)
            cr_expect_eq(obs.value, cases[i].time_wait, "%s: the TIME_WAIT count, not all rows", cases[i].what);
    }
}

Test(rules, the_table_is_whole)
{
    cr_assert_eq(sift_rule_count, 5);
    for (size_t i = 0; i < sift_rule_count; i++) {
        const sift_rule *r = &sift_rules[i];
        cr_expect(r->id && r->title && r->remediation && r->agg && r->params, "rule %zu", i);
        cr_expect(!r->verify != !r->verify_table, "%s: one verifier, for events or for tables", r->id);
        cr_expect(r->verify_table == NULL || (r->needs.n_ids == 0 && r->needs.providers[0] == NULL),
                  "%s: a table rule wants no events", r->id);
        cr_expect(r->needs.n_ids <= SIFT_RULE_MAX_IDS);
        for (size_t k = i + 1; k < sift_rule_count; k++)
            cr_expect_str_neq(r->id, sift_rules[k].id);
        /* A companion follows the rule it is part of, has no triggers of its
         * own, and is printed under that rule's id. */
        if (r->part_of) {
            cr_expect(i > 0 && strcmp(sift_rules[i - 1].id, r->part_of) == 0, "%s", r->id);
            cr_expect_eq(r->needs.n_triggers, 0, "%s", r->id);
            cr_expect_eq(sift_rule_printed(i), i - 1);
            cr_expect(sift_rule_family(i - 1) >> i & 1u);
        } else {
            cr_expect_eq(sift_rule_printed(i), i);
        }
        cr_expect_eq(sift_rule_index(r->id), i);
    }
    static const char *const order[] = { "rdgw-crash", "rdgw-companion", "uptime-497", "timewait-exhaustion",
                                         "tcpip-port-exhaustion" };
    for (size_t i = 0; i < 5; i++)
        cr_expect_str_eq(sift_rules[i].id, order[i], "findings are sorted by rule in table order");
    cr_expect_eq(sift_rule_index("no-such-rule"), SIZE_MAX);
}

/* ---- what each rule wants --------------------------------------------------------- */

typedef struct wants_case {
    const char *rule, *provider;
    uint16_t id;
    int wanted;
} wants_case;

Test(rules, each_rule_wants_its_providers_in_any_case_and_its_ids)
{
    static const wants_case cases[] = {
        { "rdgw-crash", "Application Error", 1000, 1 },
        { "rdgw-crash", "application error", 1000, 1 },
        { "rdgw-crash", "APPLICATION ERROR", 1000, 1 },
        { "rdgw-crash", " Application Error\r", 1000, 1 },
        { "rdgw-crash", "Application Error", 1001, 0 },
        { "rdgw-crash", "Application Hang", 1000, 0 },
        { "rdgw-crash", "Application Errors", 1000, 0 },
        { "rdgw-crash", "", 1000, 0 },
        { "uptime-497", "EventLog", 6013, 1 },
        { "uptime-497", "eventlog", 6013, 1 },
        { "uptime-497", "EventLog", 6005, 0 },
        { "uptime-497", "Event Log", 6013, 0 },
        { "tcpip-port-exhaustion", "Tcpip", 4227, 1 },
        { "tcpip-port-exhaustion", "TCPIP", 4231, 1 },
        { "tcpip-port-exhaustion", "Microsoft-Windows-Tcpip", 4231, 1 },
        { "tcpip-port-exhaustion", "microsoft-windows-tcpip", 4227, 1 },
        { "tcpip-port-exhaustion", "Tcpip", 4226, 0 },
        { "tcpip-port-exhaustion", "Tcpip", 0, 0 },
        { "tcpip-port-exhaustion", "EventLog", 4227, 0 },
        { "timewait-exhaustion", "Tcpip", 4227, 0 },
        { "timewait-exhaustion", "", 0, 0 },
        { "timewait-exhaustion", "Application Error", 1000, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const wants_case *c = &cases[i];
        guard_buf g = guard_copy(c->provider, strlen(c->provider));
        cr_expect_eq(sift_rule_wants(rule(c->rule), sift_slice_make(g.ptr, g.len), c->id), c->wanted,
                     "%s: \"%s\" %u", c->rule, c->provider, c->id);
        guard_free(&g);
    }
}

/* ---- settings and remediation ------------------------------------------------------ */

static char *remediation(const sift_ruleset *rs, const char *id)
{
    static char buf[4096];
    size_t n = sift_ruleset_remediation(rs, rule_index(id), buf, sizeof buf);
    cr_assert_eq(n, strlen(buf));
    return buf;
}

static uint32_t port_range_of(const sift_ruleset *rs)
{
    size_t n;
    const sift_hosts_rule *hr = sift_ruleset_hosts(rs, &n);
    cr_assert_eq(n, sift_rule_count);
    const sift_hosts_rule *tw = &hr[rule_index("timewait-exhaustion")];
    cr_assert_eq(tw->agg, &sift_agg_ratio);
    return ((const sift_ratio_params *)tw->params)->denominator;
}

typedef struct set_case {
    const char *setting;
    uint32_t value;
    int took;
    uint32_t range; /* the port range after */
    const char *text;
} set_case;

Test(rules, port_range_is_taken_in_range_and_refused_outside_it)
{
    static const set_case cases[] = {
        { "port_range", 1001, 1, 1001, "range of 1,001 ports" },
        { "port_range", 1, 1, 1, "range of 1 ports" },
        { "port_range", 999, 1, 999, "range of 999 ports" },
        { "port_range", 16384, 1, 16384, "range of 16,384 ports" },
        { "port_range", 64512, 1, 64512, "range of 64,512 ports" },
        { "port_range", 65536, 1, 65536, "range of 65,536 ports" },
        { "port_range", 0, -1, 16384, "range of 16,384 ports" },
        { "port_range", 65537, -1, 16384, "range of 16,384 ports" },
        { "port_range", UINT32_MAX, -1, 16384, "range of 16,384 ports" },
        { "port_rangex", 1001, 0, 16384, "range of 16,384 ports" },
        { "PORT_RANGE", 1001, 0, 16384, "range of 16,384 ports" },
        { "", 1001, 0, 16384, "range of 16,384 ports" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const set_case *c = &cases[i];
        sift_ruleset *rs = sift_ruleset_create();
        cr_assert_not_null(rs);
        cr_expect_eq(sift_ruleset_set(rs, c->setting, c->value), c->took, "%s=%u", c->setting, c->value);
        cr_expect_eq(port_range_of(rs), c->range, "%s=%u", c->setting, c->value);
        const char *text = remediation(rs, "timewait-exhaustion");
        cr_expect(strstr(text, c->text) != NULL, "%s=%u: %s", c->setting, c->value, text);
        cr_expect(strchr(text, '{') == NULL, "no placeholder is left: %s", text);
        if (c->range != 16384)
            cr_expect(strstr(text, "16,384") == NULL, "%s", text);
        sift_ruleset_free(rs);
    }
}

Test(rules, rules_without_settings_print_their_remediation_as_written)
{
    sift_ruleset *rs = sift_ruleset_create();
    sift_ruleset_set(rs, "port_range", 1001);
    for (size_t i = 0; i < sift_rule_count; i++) {
        if (sift_rules[i].n_settings)
            continue;
        cr_expect_str_eq(remediation(rs, sift_rules[i].id), sift_rules[i].remediation);
    }
    cr_expect(strstr(remediation(rs, "rdgw-crash"), "\\pipe\\RpcProxy\\3388") != NULL);
    cr_expect(strstr(remediation(rs, "rdgw-crash"), "RDGClientTransport") != NULL);
    cr_expect(strstr(remediation(rs, "uptime-497"), "KB2553549") != NULL);
    cr_expect(strstr(remediation(rs, "uptime-497"), "KB2688338") != NULL);
    sift_ruleset_free(rs);
}

Test(rules, remediation_is_cut_at_the_buffer_and_never_past_it)
{
    sift_ruleset *rs = sift_ruleset_create();
    sift_ruleset_set(rs, "port_range", 65536);
    const size_t r = rule_index("timewait-exhaustion");
    char whole[4096];
    size_t full = sift_ruleset_remediation(rs, r, whole, sizeof whole);
    cr_assert_gt(full, 100);
    char buf[4096 + 8];
    for (size_t cap = 0; cap <= full + 2; cap++) {
        memset(buf, '#', sizeof buf);
        size_t n = sift_ruleset_remediation(rs, r, buf, cap);
        size_t want = cap ? (cap - 1 < full ? cap - 1 : full) : 0;
        cr_assert_eq(n, want, "cap %zu: %zu", cap, n);
        if (cap) {
            cr_assert_eq(buf[n], '\0', "cap %zu", cap);
            cr_assert_eq(memcmp(buf, whole, n), 0, "cap %zu: a prefix of the whole", cap);
        }
        cr_assert_eq(buf[cap], '#', "cap %zu: nothing written past the buffer", cap);
    }
    sift_ruleset_free(rs);
}

Test(rules, two_rulesets_do_not_share_settings_and_the_table_is_untouched)
{
    sift_ruleset *a = sift_ruleset_create(), *b = sift_ruleset_create();
    cr_assert(a && b);
    cr_expect_eq(sift_ruleset_set(a, "port_range", 1001), 1);
    cr_expect_eq(port_range_of(a), 1001);
    cr_expect_eq(port_range_of(b), 16384);
    cr_expect(strstr(remediation(b, "timewait-exhaustion"), "16,384 ports") != NULL);
    cr_expect(strstr(remediation(a, "timewait-exhaustion"), "1,001 ports") != NULL);
    cr_expect_eq(sift_ruleset_set(b, "port_range", 2000), 1);
    cr_expect_eq(port_range_of(a), 1001);
    const sift_rule *tw = rule("timewait-exhaustion");
    cr_expect_eq(((const sift_ratio_params *)tw->params)->denominator, 16384, "the built-in table keeps its default");
    sift_ruleset_free(a);
    sift_ruleset *c = sift_ruleset_create();
    cr_expect_eq(port_range_of(c), 16384, "a new ruleset starts from the table");
    sift_ruleset_free(b);
    sift_ruleset_free(c);
    sift_ruleset_free(NULL);
}

Test(rules, a_ruleset_hands_each_rule_its_own_aggregator)
{
    sift_ruleset *rs = sift_ruleset_create();
    size_t n;
    const sift_hosts_rule *hr = sift_ruleset_hosts(rs, &n);
    cr_assert_eq(n, sift_rule_count);
    for (size_t i = 0; i < n; i++) {
        cr_expect_eq(hr[i].agg, sift_rules[i].agg);
        cr_expect_neq(hr[i].params, sift_rules[i].params, "a copy, so settings stay in the run");
        cr_expect_eq(memcmp(hr[i].params, sift_rules[i].params, sift_rules[i].agg->params_size), 0);
    }
    sift_ruleset_free(rs);
}

/* ---- verdicts from what is known about the host ------------------------------------ */

static const sift_metric *metric_named(const sift_finding *f, const char *name)
{
    for (size_t i = 0; i < f->n_m; i++)
        if (strcmp(f->m[i].name, name) == 0)
            return &f->m[i];
    return NULL;
}

static size_t uptime_rule(void)
{
    for (size_t i = 0; i < sift_rule_count; i++)
        if (strcmp(sift_rules[i].id, "uptime-497") == 0)
            return i;
    cr_assert_fail("no uptime-497");
    return 0;
}

/* The judged severity and os_affected (-1 null, 0, 1) of a critical
 * uptime finding on a host with these facts. */
static void judge_uptime(const sift_host_fact *facts, sift_severity *sev, int *affected)
{
    sift_finding f;
    memset(&f, 0, sizeof f);
    f.rule = (unsigned)uptime_rule();
    f.severity = SIFT_SEV_CRITICAL;
    char buf[256];
    sift_rules[f.rule].verdict(facts, &f, buf, sizeof buf);
    const sift_metric *m = metric_named(&f, "os_affected");
    cr_assert_not_null(m);
    *affected = m->is_null ? -1 : (int)m->u;
    *sev = f.severity;
    cr_assert_not_null(metric_named(&f, "verdict"));
}

Test(rules, uptime_497_is_info_on_an_os_the_bug_does_not_affect_and_kept_when_unknown)
{
    static const struct {
        const char *name;
        uint16_t major, minor;
        int affected;
    } cases[] = {
        { "Windows Server (R) 2008 Enterprise", 6, 1, 1 },
        { "Windows Server 2022 Standard", 10, 0, 0 },
        { "Windows 7 Professional", 0, 0, 1 },         /* the name alone decides */
        { "Windows Server? 2008 R2 Standard", 0, 0, 1 }, /* the registry's (R) sign, narrowed */
        { "Windows Small Business Server 2011", 0, 0, 1 },
        { "Windows Embedded Standard 7", 0, 0, 1 },
        { "Windows Server 2012 R2 Datacenter", 0, 0, 0 },
        { "Windows 10 Pro", 0, 0, 0 },
        { "Windows XP Professional", 0, 0, 0 },
        { "Windows Server 2003", 0, 0, 0 },
        { "Some Appliance OS", 0, 0, -1 },
        { "Windows Server 2012 R2", 6, 3, 0 },         /* the version wins over nothing */
        { "Windows Vista Business", 6, 0, 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sift_host_fact f;
        memset(&f, 0, sizeof f);
        f.os_name = sift_slice_make(cases[i].name, strlen(cases[i].name));
        f.major = cases[i].major;
        f.minor = cases[i].minor;
        sift_severity sev;
        int affected;
        judge_uptime(&f, &sev, &affected);
        cr_expect_eq(affected, cases[i].affected, "%s", cases[i].name);
        cr_expect_eq(sev, cases[i].affected == 0 ? SIFT_SEV_INFO : SIFT_SEV_CRITICAL, "%s", cases[i].name);
    }
    sift_severity sev;
    int affected;
    judge_uptime(NULL, &sev, &affected);
    cr_expect_eq(affected, -1, "no facts: unknown");
    cr_expect_eq(sev, SIFT_SEV_CRITICAL, "and the severity is kept");
}

/* ---- uptime-497: the fix in the hotfix list ------------------------------------------ */

/* A critical uptime finding on a host with these facts, judged; text in buf. */
static sift_finding judged_uptime(const sift_host_fact *facts, char *buf, size_t cap)
{
    sift_finding f;
    memset(&f, 0, sizeof f);
    f.rule = (unsigned)uptime_rule();
    f.severity = SIFT_SEV_CRITICAL;
    f.m[f.n_m++] = (sift_metric){ .name = "uptime_s", .type = SIFT_M_U64, .u = 43036073 };
    f.m[f.n_m++] = (sift_metric){ .name = "threshold_s", .type = SIFT_M_U64, .u = 42949673 };
    sift_rules[f.rule].verdict(facts, &f, buf, cap);
    return f;
}

static int metric_is(const sift_finding *f, const char *name, const char *want)
{
    const sift_metric *m = metric_named(f, name);
    if (!m || m->type != SIFT_M_STR)
        return 0;
    if (!want)
        return m->is_null;
    return !m->is_null && m->s.len == strlen(want) && memcmp(m->s.ptr, want, m->s.len) == 0;
}

static int verdict_says(const sift_finding *f, const char *what)
{
    const sift_metric *m = metric_named(f, "verdict");
    return m && sift_slice_find(m->s, sift_slice_make(what, strlen(what))) < m->s.len;
}

Test(rules, uptime_497_is_info_when_the_hotfix_list_shows_the_fix_and_says_which)
{
    static const uint32_t both[] = { 2553549, 2688338 }, ms12[] = { 2688338 }, hotfix[] = { 3199986, 2553549 },
                          other[] = { 3199986, 4012212 };
    static const struct {
        const char *what, *name;
        uint16_t major, minor;
        const uint32_t *kbs;
        size_t n;
        uint8_t complete;
        sift_severity sev;
        const char *fix, *says;
    } cases[] = {
        { "6.1 with KB2553549", "Windows Server 2008 R2", 6, 1, hotfix, 2, 1, SIFT_SEV_INFO, "KB2553549",
          "patched: KB2553549" },
        { "6.1 with both: the hotfix named", "Windows 7", 6, 1, both, 2, 0, SIFT_SEV_INFO, "KB2553549",
          "patched: KB2553549" },
        { "6.1 with MS12-032", "Windows Server 2008 R2", 6, 1, ms12, 1, 0, SIFT_SEV_INFO, "KB2688338", "MS12-032" },
        { "6.1 by name with MS12-032", "Windows Server? 2008 R2 Standard", 0, 0, ms12, 1, 1, SIFT_SEV_INFO,
          "KB2688338", "MS12-032" },
        { "6.0 with MS12-032 only: not fixed", "Windows Server (R) 2008 Standard", 6, 0, ms12, 1, 1,
          SIFT_SEV_CRITICAL, "absent", "does not fix Windows 6.0" },
        { "6.0 by name with MS12-032, list cut", "Windows Vista Business", 0, 0, ms12, 1, 0, SIFT_SEV_CRITICAL,
          "unknown", "truncated" },
        { "6.0 with KB2553549", "Windows Vista", 6, 0, hotfix, 2, 1, SIFT_SEV_INFO, "KB2553549", "patched" },
        { "6.1, a complete list without either", "Windows 7", 6, 1, other, 2, 1, SIFT_SEV_CRITICAL, "absent",
          "neither KB2553549 nor KB2688338" },
        { "6.1, a truncated list without either", "Windows 7", 6, 1, other, 2, 0, SIFT_SEV_CRITICAL, "unknown",
          "truncated" },
        { "6.1, no list", "Windows 7", 6, 1, NULL, 0, 0, SIFT_SEV_CRITICAL, "unknown", "no hotfix list" },
        { "OS unknown, KB2553549 (only 6.0/6.1 take it)", "", 0, 0, hotfix, 2, 0, SIFT_SEV_INFO, "KB2553549",
          "patched" },
        { "OS unknown, MS12-032: depends on 6.0 or 6.1", "", 0, 0, ms12, 1, 1, SIFT_SEV_CRITICAL, "unknown",
          "the OS is unknown" },
        { "not affected: no fix needed", "Windows Server 2012 R2", 6, 3, other, 2, 1, SIFT_SEV_INFO, "not needed",
          "not affected" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sift_host_fact facts;
        memset(&facts, 0, sizeof facts);
        facts.os_name = sift_slice_make(cases[i].name, strlen(cases[i].name));
        facts.major = cases[i].major;
        facts.minor = cases[i].minor;
        facts.kbs = cases[i].kbs;
        facts.n_kbs = cases[i].n;
        facts.kbs_complete = cases[i].complete;
        char buf[1024];
        sift_finding f = judged_uptime(&facts, buf, sizeof buf);
        cr_expect_eq(f.severity, cases[i].sev, "%s", cases[i].what);
        cr_expect(metric_is(&f, "fix", cases[i].fix), "%s: fix is not %s", cases[i].what, cases[i].fix);
        cr_expect(verdict_says(&f, cases[i].says), "%s: the verdict does not say \"%s\"", cases[i].what,
                  cases[i].says);
        cr_expect_eq(f.n_links, 0, "no other finding: no chain");
    }
}

Test(rules, uptime_497_says_what_is_unknown_and_keeps_the_severity)
{
    char buf[1024];
    sift_finding f = judged_uptime(NULL, buf, sizeof buf);
    cr_expect_eq(f.severity, SIFT_SEV_CRITICAL);
    cr_expect(metric_is(&f, "fix", "unknown"));
    cr_expect(verdict_says(&f, "OS unknown"));
    cr_expect(verdict_says(&f, "no hotfix list"));
    cr_expect_eq(f.facts_used, 0, "nothing known, nothing drawn on");
    /* A verdict cut short by a small buffer stays within it. */
    char tiny[8];
    sift_host_fact facts = { .major = 6, .minor = 1 };
    f = judged_uptime(&facts, tiny, sizeof tiny);
    cr_expect_eq(f.severity, SIFT_SEV_CRITICAL);
    const sift_metric *v = metric_named(&f, "verdict");
    cr_assert_not_null(v);
    cr_expect_leq(v->s.len, sizeof tiny - 1);
}

/* ---- uptime-497 with timewait-exhaustion: a chain ------------------------------------ */

typedef struct host_view {
    sift_finding all[3];
    size_t n;
} host_view;

/* A host with a critical uptime finding, a timewait finding of severity tw
 * (NONE: none) and, when tcpip, a Tcpip finding; each with one evidence
 * pointer at its own offset. */
static void host_with(host_view *h, sift_severity tw, int tcpip)
{
    memset(h, 0, sizeof *h);
    sift_finding *u = &h->all[h->n++];
    u->rule = (unsigned)uptime_rule();
    u->severity = SIFT_SEV_CRITICAL;
    u->m[u->n_m++] = (sift_metric){ .name = "uptime_s", .type = SIFT_M_U64, .u = 43036073 };
    u->m[u->n_m++] = (sift_metric){ .name = "threshold_s", .type = SIFT_M_U64, .u = 42949673 };
    u->n_ev = 2;
    u->ev[0] = (sift_evidence){ .input = 1, .offset = 10 };
    u->ev[1] = (sift_evidence){ .input = 1, .offset = 11 };
    sift_finding *t = &h->all[h->n++];
    t->rule = (unsigned)rule_index("timewait-exhaustion");
    t->severity = tw;
    t->m[t->n_m++] = (sift_metric){ .name = "time_wait_max", .type = SIFT_M_U64, .u = 15200 };
    t->m[t->n_m++] = (sift_metric){ .name = "port_range", .type = SIFT_M_U64, .u = 16384 };
    t->m[t->n_m++] = (sift_metric){ .name = "pct_max", .type = SIFT_M_U64, .u = 92 };
    t->m[t->n_m++] = (sift_metric){ .name = "snapshots", .type = SIFT_M_U64, .u = 4 };
    t->m[t->n_m++] = (sift_metric){ .name = "rising", .type = SIFT_M_BOOL, .u = 1 };
    t->n_ev = 1;
    t->ev[0] = (sift_evidence){ .input = 2, .offset = 20, .line = 2 };
    if (tcpip) {
        sift_finding *c = &h->all[h->n++];
        c->rule = (unsigned)rule_index("tcpip-port-exhaustion");
        c->severity = SIFT_SEV_HIGH;
        c->m[c->n_m++] = (sift_metric){ .name = "event_4227", .type = SIFT_M_U64, .u = 3 };
        c->m[c->n_m++] = (sift_metric){ .name = "event_4231", .type = SIFT_M_U64, .u = 1 };
        c->n_ev = 1;
        c->ev[0] = (sift_evidence){ .input = 3, .offset = 30, .line = 3 };
    }
    for (size_t i = 0; i < h->n; i++) {
        h->all[i].host_findings = h->all;
        h->all[i].n_host_findings = h->n;
    }
}

static const sift_link *link_named(const sift_finding *f, const char *name)
{
    for (size_t i = 0; i < f->n_links; i++)
        if (strcmp(f->links[i].name, name) == 0)
            return &f->links[i];
    return NULL;
}

Test(rules, uptime_497_with_time_wait_piling_up_is_one_critical_chain_with_evidence_per_link)
{
    static const uint32_t other[] = { 3199986 };
    sift_host_fact facts = { .os_name = SIFT_LIT("Windows Server 2008 R2"), .major = 6, .minor = 1,
                             .kbs = other, .n_kbs = 1, .kbs_complete = 1,
                             .os_where = { .input = 4, .offset = 40 }, .kbs_where = { .input = 5, .offset = 50 } };
    host_view h;
    host_with(&h, SIFT_SEV_LOW, 1);
    sift_finding f = h.all[0];
    char buf[2048];
    sift_rules[f.rule].verdict(&facts, &f, buf, sizeof buf);
    cr_expect_eq(f.severity, SIFT_SEV_CRITICAL);
    cr_expect_eq(f.absorbed, 1u << h.all[1].rule, "the timewait finding joins it; Tcpip keeps its own");
    cr_expect_eq(f.facts_used, SIFT_FACTS_OS | SIFT_FACTS_KBS);
    static const struct {
        const char *name, *says;
        uint32_t input;
        uint64_t offset;
    } want[] = {
        { "uptime", "past 2^32 x 10 ms = 497.1 days", 1, 11 },
        { "os", "Windows 6.1", 4, 40 },
        { "fix", "absent", 5, 50 },
        { "time_wait", "15200 of 16384 ports (92 %) over 4 snapshots, rising", 2, 20 },
        { "tcpip", "3 port-reuse (4227) and 1 exhaustion (4231)", 3, 30 },
    };
    cr_assert_eq(f.n_links, 5);
    for (size_t i = 0; i < 5; i++) {
        const sift_link *l = &f.links[i];
        cr_expect_str_eq(l->name, want[i].name, "links in the order of the chain");
        cr_expect_eq(l->holds, 1, "%s holds", l->name);
        cr_expect(sift_slice_find(l->says, sift_slice_make(want[i].says, strlen(want[i].says))) < l->says.len,
                  "%s says \"%.*s\"", l->name, (int)l->says.len, (const char *)l->says.ptr);
        cr_expect(l->has_ev && l->ev.input == want[i].input && l->ev.offset == want[i].offset, "%s: evidence",
                  l->name);
    }
}

Test(rules, a_chain_says_which_links_are_unknown)
{
    host_view h;
    host_with(&h, SIFT_SEV_CRITICAL, 0);
    sift_finding f = h.all[0];
    char buf[2048];
    sift_rules[f.rule].verdict(NULL, &f, buf, sizeof buf);
    cr_expect_eq(f.severity, SIFT_SEV_CRITICAL);
    cr_assert_eq(f.n_links, 4, "no Tcpip finding, no link for it");
    const sift_link *os = link_named(&f, "os"), *fix = link_named(&f, "fix");
    cr_assert(os && fix);
    cr_expect(os->holds == -1 && !os->has_ev, "the OS is not known");
    cr_expect(fix->holds == -1 && !fix->has_ev, "nor is the fix");
    cr_expect_eq(link_named(&f, "time_wait")->holds, 1);
}

Test(rules, no_chain_when_a_link_is_known_to_fail)
{
    static const uint32_t fixed[] = { 2553549 };
    const sift_host_fact spared = { .os_name = SIFT_LIT("Windows Server 2016"), .major = 10 };
    const sift_host_fact patched = { .major = 6, .minor = 1, .kbs = fixed, .n_kbs = 1, .kbs_complete = 1 };
    const sift_host_fact *cases[] = { &spared, &patched };
    for (size_t i = 0; i < 2; i++) {
        host_view h;
        host_with(&h, SIFT_SEV_CRITICAL, 1);
        sift_finding f = h.all[0];
        char buf[2048];
        sift_rules[f.rule].verdict(cases[i], &f, buf, sizeof buf);
        cr_expect_eq(f.severity, SIFT_SEV_INFO, "case %zu", i);
        cr_expect_eq(f.absorbed, 0, "case %zu: the timewait finding stands alone", i);
        cr_expect_eq(f.n_links, 0);
    }
    /* Below 497.1 days, or without a timewait finding worth reporting. */
    host_view h;
    host_with(&h, SIFT_SEV_NONE, 0);
    sift_finding f = h.all[0];
    char buf[2048];
    sift_rules[f.rule].verdict(NULL, &f, buf, sizeof buf);
    cr_expect_eq(f.absorbed, 0);
    host_with(&h, SIFT_SEV_CRITICAL, 0);
    f = h.all[0];
    f.m[0].u = 42949672;
    f.severity = SIFT_SEV_MEDIUM;
    sift_rules[f.rule].verdict(NULL, &f, buf, sizeof buf);
    cr_expect_eq(f.absorbed, 0);
    cr_expect_eq(f.severity, SIFT_SEV_MEDIUM);
}

/* ---- rdgw-crash: companions, the build window, confidence ---------------------------- */

Test(rules, companions_are_wer_scm_and_gateway_records_of_the_rd_gateway_only)
{
    static const uint8_t tsgw[] = { 'T', 0, 'S', 0, 'G', 0, 'a', 0, 't', 0, 'e', 0, 'w', 0, 'a', 0, 'y', 0, 0, 0 },
                         other_bin[] = { 'T', 0, 'S', 0, 'G', 0, 'a', 0, 't', 0, 'e', 0, 'w', 0, 'a', 0, 'y', 0,
                                         'X', 0 };
    static const struct {
        const char *what, *provider;
        uint16_t id;
        const char *app, *code, *service;
        const uint8_t *bin;
        size_t bin_len;
        int verified;
    } cases[] = {
        { "WER repeating the crash", "Windows Error Reporting", 1001, "svchost.exe_TSGateway", "c0000005", NULL,
          NULL, 0, 1 },
        { "WER of another service", "Windows Error Reporting", 1001, "svchost.exe_TermService", "c0000005", NULL,
          NULL, 0, 0 },
        { "WER of another exception", "Windows Error Reporting", 1001, "svchost.exe_TSGateway", "c0000374", NULL,
          NULL, 0, 0 },
        { "SCM 7031, display name", "Service Control Manager", 7031, NULL, NULL, "Remote Desktop Gateway", NULL, 0,
          1 },
        { "SCM 7034, service name", "Service Control Manager", 7034, NULL, NULL, "tsgateway", NULL, 0, 1 },
        { "SCM 7034, ja-JP display name", "Service Control Manager", 7034, NULL, NULL,
          "リモート デスクトップ ゲートウェイ", NULL, 0, 1 },
        { "SCM, the Binary names it", "Service Control Manager", 7031, NULL, NULL, "?", tsgw, sizeof tsgw, 1 },
        { "SCM, a Binary naming a longer name", "Service Control Manager", 7031, NULL, NULL, "?", other_bin,
          sizeof other_bin, 0 },
        { "SCM of another service", "Service Control Manager", 7034, NULL, NULL, "Print Spooler", NULL, 0, 0 },
        { "Gateway 700", "Microsoft-Windows-TerminalServices-Gateway", 700, NULL, NULL, NULL, NULL, 0, 1 },
        { "700 from another provider", "Service Control Manager", 700, NULL, NULL, "Remote Desktop Gateway", NULL,
          0, 0 },
    };
    const sift_rule *r = rule("rdgw-companion");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sift_event ev = { .have = SIFT_EV_ID, .id = cases[i].id };
        ev.provider = sift_slice_make(cases[i].provider, strlen(cases[i].provider));
        if (cases[i].app)
            ev.fld[SIFT_FLD_APP_NAME] = sift_slice_make(cases[i].app, strlen(cases[i].app));
        if (cases[i].code)
            ev.fld[SIFT_FLD_EXCEPTION_CODE] = sift_slice_make(cases[i].code, strlen(cases[i].code));
        if (cases[i].service)
            ev.fld[SIFT_FLD_SERVICE] = sift_slice_make(cases[i].service, strlen(cases[i].service));
        ev.binary = sift_slice_make(cases[i].bin, cases[i].bin_len);
        cr_expect(sift_rule_wants(r, ev.provider, ev.id), "%s", cases[i].what);
        sift_obs obs = { 0 };
        cr_expect_eq(r->verify(&ev, &obs), cases[i].verified, "%s", cases[i].what);
        cr_expect_eq(obs.key, cases[i].id, "%s: keyed by event id", cases[i].what);
    }
    cr_expect(!sift_rule_wants(rule("rdgw-crash"), SIFT_LIT("Windows Error Reporting"), 1001),
              "a companion is never a crash of the rule itself");
}

/* An rdgw-crash finding (critical) with these file versions, on a host with
 * these facts, beside a companion finding with `wer` WER records; judged. */
static sift_finding judged_rdgw(const sift_host_fact *facts, const char *module_version, const char *app_version,
                                uint64_t wer, char *buf, size_t cap)
{
    static sift_finding all[2];
    memset(all, 0, sizeof all);
    sift_finding *f = &all[0];
    f->rule = (unsigned)rule_index("rdgw-crash");
    f->severity = SIFT_SEV_CRITICAL;
    f->m[f->n_m++] = (sift_metric){ .name = "crashes", .type = SIFT_M_U64, .u = 12 };
    f->m[f->n_m++] = (sift_metric){ .name = "module_version", .type = SIFT_M_STR, .is_null = !module_version,
                                    .s = module_version ? sift_slice_make(module_version, strlen(module_version))
                                                        : (sift_slice){ NULL, 0 } };
    f->m[f->n_m++] = (sift_metric){ .name = "application_version", .type = SIFT_M_STR, .is_null = !app_version,
                                    .s = app_version ? sift_slice_make(app_version, strlen(app_version))
                                                     : (sift_slice){ NULL, 0 } };
    size_t n = 1;
    if (wer) {
        sift_finding *c = &all[n++];
        c->rule = (unsigned)rule_index("rdgw-companion");
        c->m[c->n_m++] = (sift_metric){ .name = "wer_1001", .type = SIFT_M_U64, .u = wer };
    }
    for (size_t i = 0; i < n; i++) {
        all[i].host_findings = all;
        all[i].n_host_findings = n;
    }
    sift_finding out = *f;
    sift_rules[out.rule].verdict(facts, &out, buf, cap);
    if (wer)
        cr_expect_eq(out.absorbed, 1u << all[1].rule, "the companion's finding joins the crash's");
    return out;
}

Test(rules, rdgw_crash_places_the_build_in_the_july_to_october_2024_window)
{
    static const uint32_t july22[] = { 5040437 }, both22[] = { 5040437, 5044281 }, aug19[] = { 5041578 },
                          sep16[] = { 3199986, 5043051 };
    static const struct {
        const char *what;
        uint16_t major, minor;
        uint32_t build, ubr;
        const char *os_version;
        const uint32_t *kbs;
        size_t n_kbs;
        const char *module, *app;
        const char *window, *build_text, *from;
        sift_severity sev;
    } cases[] = {
        { "the July module", 0, 0, 0, 0, NULL, NULL, 0, "10.0.20348.2582", "10.0.20348.2322", "in",
          "10.0.20348.2582", "module_version", SIFT_SEV_CRITICAL },
        { "the newer file version wins", 0, 0, 0, 0, NULL, NULL, 0, "10.0.20348.2527", "10.0.20348.2700", "in",
          "10.0.20348.2700", "application_version", SIFT_SEV_CRITICAL },
        { "the October module: fixed, one step lower", 0, 0, 0, 0, NULL, NULL, 0, "10.0.20348.2762", NULL, "fixed",
          "10.0.20348.2762", "module_version", SIFT_SEV_HIGH },
        { "before July: not the known bug", 0, 0, 0, 0, NULL, NULL, 0, "10.0.20348.2527", NULL, "before",
          "10.0.20348.2527", "module_version", SIFT_SEV_HIGH },
        { "2012 R2", 0, 0, 0, 0, NULL, NULL, 0, "6.3.9600.22100", NULL, "in", "6.3.9600.22100", "module_version",
          SIFT_SEV_CRITICAL },
        { "a revision of 0", 0, 0, 0, 0, NULL, NULL, 0, "10.0.20348.0", NULL, "before", "10.0.20348.0",
          "module_version", SIFT_SEV_HIGH },
        { "2022 23H2", 0, 0, 0, 0, NULL, NULL, 0, "10.0.25398.1189", NULL, "fixed", "10.0.25398.1189",
          "module_version", SIFT_SEV_HIGH },
        { "the OS build and UBR win over the module", 10, 0, 17763, 6414, NULL, NULL, 0, "10.0.17763.6054", NULL,
          "fixed", "10.0.17763.6414", "os", SIFT_SEV_HIGH },
        { "a four-part OS version", 10, 0, 17763, 0, "10.0.17763.6054", NULL, 0, NULL, NULL, "in",
          "10.0.17763.6054", "os", SIFT_SEV_CRITICAL },
        { "the July LCU in the hotfix list", 10, 0, 20348, 0, "10.0.20348 N/A Build 20348", july22, 1, NULL, NULL,
          "in", NULL, "hotfix KB5040437", SIFT_SEV_CRITICAL },
        { "the October LCU listed beside July's", 10, 0, 20348, 0, NULL, both22, 2, "10.0.20348.2582", NULL,
          "fixed", NULL, "hotfix KB5044281", SIFT_SEV_HIGH },
        { "an LCU names its OS even when the OS is unknown", 0, 0, 0, 0, NULL, aug19, 1, NULL, NULL, "in", NULL,
          "hotfix KB5041578", SIFT_SEV_CRITICAL },
        { "another OS's LCU does not count", 10, 0, 14393, 0, NULL, aug19, 1, NULL, NULL, "unknown", NULL, NULL,
          SIFT_SEV_CRITICAL },
        { "2016's September LCU", 10, 0, 14393, 0, NULL, sep16, 2, NULL, NULL, "in", NULL, "hotfix KB5043051",
          SIFT_SEV_CRITICAL },
        { "an OS the regression is not known on", 6, 1, 7601, 0, NULL, NULL, 0, "6.1.7601.24000", NULL, "unknown",
          NULL, "os", SIFT_SEV_CRITICAL },
        { "a module of another OS than the host's", 10, 0, 17763, 0, NULL, NULL, 0, "10.0.20348.2582", NULL,
          "unknown", NULL, NULL, SIFT_SEV_CRITICAL },
        { "nothing known", 0, 0, 0, 0, NULL, NULL, 0, NULL, "garbage", "unknown", NULL, NULL, SIFT_SEV_CRITICAL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sift_host_fact facts = { .major = cases[i].major, .minor = cases[i].minor, .build = cases[i].build,
                                 .ubr = cases[i].ubr, .kbs = cases[i].kbs, .n_kbs = cases[i].n_kbs };
        if (cases[i].os_version)
            facts.os_version = sift_slice_make(cases[i].os_version, strlen(cases[i].os_version));
        char buf[2048];
        sift_finding f = judged_rdgw(&facts, cases[i].module, cases[i].app, 0, buf, sizeof buf);
        cr_expect(metric_is(&f, "window", cases[i].window), "%s: window", cases[i].what);
        cr_expect(metric_is(&f, "build", cases[i].build_text), "%s: build", cases[i].what);
        cr_expect(metric_is(&f, "build_from", cases[i].from), "%s: build_from", cases[i].what);
        cr_expect_eq(f.severity, cases[i].sev, "%s", cases[i].what);
        cr_expect(metric_is(&f, "confidence", "medium"), "%s: crashes alone", cases[i].what);
        if (strcmp(cases[i].window, "in") == 0)
            cr_expect(verdict_says(&f, "confirmed"), "%s", cases[i].what);
        if (strcmp(cases[i].window, "fixed") == 0)
            cr_expect(verdict_says(&f, "October 8, 2024 fix"), "%s", cases[i].what);
        cr_expect_eq(!!(f.facts_used & SIFT_FACTS_KBS), cases[i].from && strncmp(cases[i].from, "hotfix", 6) == 0,
                     "%s", cases[i].what);
    }
}

Test(rules, companions_raise_confidence_and_are_never_crashes)
{
    char buf[2048];
    sift_finding f = judged_rdgw(NULL, "10.0.20348.2582", NULL, 12, buf, sizeof buf);
    cr_expect(metric_is(&f, "confidence", "high"));
    const sift_metric *m = metric_named(&f, "wer_1001"), *crashes = metric_named(&f, "crashes");
    cr_assert(m && crashes);
    cr_expect_eq(m->u, 12);
    cr_expect_eq(crashes->u, 12, "the crash count is the crash records'");
    cr_expect_eq(f.count, 0, "and the finding's count is left as it was");
}

Test(rules, scm_alone_stands_in_for_rdgw_crash_at_low_confidence)
{
    sift_finding f;
    memset(&f, 0, sizeof f);
    f.rule = (unsigned)rule_index("rdgw-companion");
    f.severity = SIFT_SEV_MEDIUM;
    f.count = 3;
    f.m[f.n_m++] = (sift_metric){ .name = "wer_1001", .type = SIFT_M_U64, .u = 0 };
    f.m[f.n_m++] = (sift_metric){ .name = "scm_7031", .type = SIFT_M_U64, .u = 3 };
    f.m[f.n_m++] = (sift_metric){ .name = "scm_7034", .type = SIFT_M_U64, .u = 0 };
    f.m[f.n_m++] = (sift_metric){ .name = "gateway_700", .type = SIFT_M_U64, .u = 0 };
    cr_expect_eq(sift_rule_printed(f.rule), rule_index("rdgw-crash"), "printed as rdgw-crash");
    char buf[2048];
    sift_host_fact facts = { .major = 10, .build = 20348, .ubr = 2600 };
    sift_rules[f.rule].verdict(&facts, &f, buf, sizeof buf);
    cr_expect(metric_is(&f, "confidence", "low"));
    cr_expect(metric_is(&f, "window", "in"));
    cr_expect(verdict_says(&f, "no crash record"));
    cr_expect_eq(f.severity, SIFT_SEV_MEDIUM);
    const sift_metric *crashes = metric_named(&f, "crashes"), *scm = metric_named(&f, "scm_7031");
    cr_assert(crashes && scm);
    cr_expect_eq(crashes->u, 0);
    cr_expect_eq(scm->u, 3);
    cr_expect(metric_is(&f, "module", NULL), "the crash rule's metrics, unknown");
    /* Same names, same order as a finding with crashes. */
    sift_finding g = judged_rdgw(NULL, NULL, NULL, 1, buf, sizeof buf);
    cr_assert_eq(f.n_m, g.n_m + 4, "the crash finding here lacks exception, module, median and periodic");
}
