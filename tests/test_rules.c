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
