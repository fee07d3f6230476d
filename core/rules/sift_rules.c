/* sift_rules.c - the built-in rules: one entry and one verifier each. */
#include "sift_rules.h"

#include "sift_num.h"

#include <stddef.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- verifiers -------------------------------------------------------------- */

/* 0xc0000005 in the message, c0000005 in WER and EventData, 3221225477 in
 * Gateway event 700. */
static int is_access_violation(sift_slice code)
{
    code = sift_slice_trim(code);
    uint64_t v;
    int hex_prefixed = code.len >= 2 && code.ptr[0] == '0' && (code.ptr[1] == 'x' || code.ptr[1] == 'X');
    if (!hex_prefixed && sift_num_u64(code, &v) == SIFT_OK)
        return v == 3221225477u;
    return sift_num_hex_u64(code, &v) == SIFT_OK && v == 0xC0000005u;
}

static int verify_rdgw_crash(const sift_event *ev, sift_obs *obs)
{
    if (!sift_slice_eq_nocase(sift_slice_trim(ev->fld[SIFT_FLD_APP_NAME]), SIFT_LIT("svchost.exe_TSGateway")) ||
        !is_access_violation(ev->fld[SIFT_FLD_EXCEPTION_CODE]))
        return 0;
    obs->attr[0] = SIFT_LIT("0xc0000005");
    obs->attr[1] = ev->fld[SIFT_FLD_MODULE_NAME];
    obs->attr[2] = ev->fld[SIFT_FLD_MODULE_VERSION];
    obs->attr[3] = ev->fld[SIFT_FLD_APP_VERSION];
    return 1;
}

static int verify_uptime(const sift_event *ev, sift_obs *obs)
{
    return sift_num_u64(sift_slice_trim(ev->fld[SIFT_FLD_UPTIME]), &obs->value) == SIFT_OK;
}

/* Boot time and capture time of an inventory give the uptime where no 6013
 * exists (sift_fact_uptime says which clock is which). */
static int verify_uptime_fact(const sift_host_fact *fact, sift_obs *obs)
{
    return sift_fact_uptime(fact, &obs->value);
}

static int verify_tcpip(const sift_event *ev, sift_obs *obs)
{
    obs->key = ev->id;
    return 1;
}

static int verify_timewait(const sift_snapshot *snap, sift_obs *obs)
{
    if (!(snap->counted >> SIFT_TCP_TIME_WAIT & 1u))
        return 0;
    obs->value = snap->counts[SIFT_TCP_TIME_WAIT];
    return 1;
}

/* ---- verdicts: what is known about the host ------------------------------------ */

static void add_metric(sift_finding *f, sift_metric m)
{
    if (f->n_m < SIFT_METRICS_MAX)
        f->m[f->n_m++] = m;
}

static int contains_nocase(sift_slice s, const char *z)
{
    return sift_slice_find_nocase(s, sift_slice_make(z, strlen(z))) < s.len;
}

/* Where only the product name is known ("Windows Server 2008 R2
 * Enterprise", "Microsoft Windows 7 Professional"): 1 for Windows 6.0/6.1,
 * 0 for a later one, -1 when the name does not say. */
static int name_is_6x(sift_slice name)
{
    /* 6013's Binary writes "Server (R) 2008"; the registry "Server® 2008",
     * which reaches here as "Server? 2008": "2008" covers them all. The
     * 2011 servers (SBS, Home Server, MultiPoint) and Windows 7's embedded
     * editions are 6.1; XP and 2003 have another TCP/IP stack. */
    static const char *const old[] = { "Vista", "Windows 7", "2008", "2011", "Embedded Standard 7", "POSReady 7",
                                       "Thin PC" };
    static const char *const newer[] = { "Windows 8", "Windows 10", "Windows 11", "2012", "2016", "2019",
                                         "2022", "2025", "Windows XP", "2003" };
    for (size_t i = 0; i < sizeof newer / sizeof newer[0]; i++)
        if (contains_nocase(name, newer[i]))
            return 0;
    for (size_t i = 0; i < sizeof old / sizeof old[0]; i++)
        if (contains_nocase(name, old[i]))
            return 1;
    return -1;
}

/* The 497-day bug is in the tcpip.sys of Windows 6.0 and 6.1 only (Vista,
 * 7, Server 2008, 2008 R2). A host known to run anything else is told so,
 * at info; a host whose OS is unknown keeps its severity, and says so. */
static void verdict_uptime(const sift_host_fact *facts, sift_finding *f, char *buf, size_t cap)
{
    int known = facts && (facts->major || facts->os_name.len);
    if (known && facts->os_name.len)
        add_metric(f, (sift_metric){ .name = "os", .type = SIFT_M_STR, .s = facts->os_name });
    if (known && facts->os_version.len)
        add_metric(f, (sift_metric){ .name = "os_version", .type = SIFT_M_STR, .s = facts->os_version });
    int gen = !known ? -1 : facts->major ? facts->major == 6 && facts->minor <= 1 : name_is_6x(facts->os_name);
    int affected = gen == 1;
    const char *why;
    if (gen < 0) {
        why = "OS unknown: the bug affects Windows Vista, 7, Server 2008 and 2008 R2 (6.0/6.1) only";
        add_metric(f, (sift_metric){ .name = "os_affected", .type = SIFT_M_BOOL, .is_null = 1 });
    } else if (affected) {
        why = "the host runs Windows 6.0/6.1 (Vista, 7, Server 2008, 2008 R2), which the bug affects";
        add_metric(f, (sift_metric){ .name = "os_affected", .type = SIFT_M_BOOL, .u = 1 });
    } else {
        if (facts->major)
            snprintf(buf, cap, "not affected: Windows %u.%u is not Vista, 7, Server 2008 or 2008 R2 (6.0/6.1)",
                     facts->major, facts->minor);
        else
            snprintf(buf, cap, "not affected: %.*s is not Vista, 7, Server 2008 or 2008 R2 (6.0/6.1)",
                     (int)(facts->os_name.len > 120 ? 120 : facts->os_name.len), (const char *)facts->os_name.ptr);
        why = buf;
        add_metric(f, (sift_metric){ .name = "os_affected", .type = SIFT_M_BOOL, .u = 0 });
        if (f->severity > SIFT_SEV_INFO)
            f->severity = SIFT_SEV_INFO;
    }
    add_metric(f, (sift_metric){ .name = "verdict", .type = SIFT_M_STR, .s = sift_slice_make(why, strlen(why)) });
}

/* ---- the table ---------------------------------------------------------------- */

#define WRAP_S 42949673ull /* ceil(2^32 x 10 ms): 497.1 days */

static const sift_pattern rdgw_triggers[] = {
    { "svchost\\.exe_TSGateway", SIFT_PAT_CASELESS, SIFT_ROLE_TRIGGER, 0 },
};

static const sift_periodic_params rdgw_params = {
    .max_times = 4096,
    .min_intervals = 2,
    .min_median_s = 60,
    .tolerance_pct = 25,
    .severity = SIFT_SEV_HIGH,
    .periodic_severity = SIFT_SEV_CRITICAL,
    .count_name = "crashes",
    .attr_names = { "exception", "module", "module_version", "application_version" },
};

static const sift_peak_params uptime_params = {
    .threshold = WRAP_S,
    .warn = 450ull * 86400u,
    .over_severity = SIFT_SEV_CRITICAL,
    .warn_severity = SIFT_SEV_MEDIUM,
    .value_name = "uptime_s",
    .days_name = "uptime_days",
    .threshold_name = "threshold_s",
    .at_name = "reported_at",
    .crossing_name = "crosses_497_at",
    .drop_name = "rebooted_since",
};

static const sift_ratio_params timewait_params = {
    .denominator = 16384, /* 49152-65535, Vista and later */
    .max_samples = 256,
    .warn_pct = 50,
    .crit_pct = 90,
    .rising_steps = 3,
    .warn_severity = SIFT_SEV_MEDIUM,
    .crit_severity = SIFT_SEV_CRITICAL,
    .rising_severity = SIFT_SEV_LOW,
    .last_name = "time_wait",
    .max_name = "time_wait_max",
    .denominator_name = "port_range",
    .pct_name = "pct_max",
    .max_at_name = "max_at",
    .samples_name = "snapshots",
    .rising_name = "rising",
};

static const sift_setting timewait_settings[] = {
    { "port_range", offsetof(sift_ratio_params, denominator), 1, 65536 },
};

static const sift_keyed_params tcpip_params = {
    .n = 2,
    .keys = { 4227, 4231 },
    .severity = { SIFT_SEV_MEDIUM, SIFT_SEV_HIGH },
    .names = { "event_4227", "event_4231" },
};

const sift_rule sift_rules[] = {
    {
        .id = "rdgw-crash",
        .title = "RD Gateway (TSGateway) crash loop after the July 2024 updates",
        .remediation =
            "The RD Gateway service (svchost.exe_TSGateway) crashes with 0xc0000005 when clients use the "
            "legacy RPC-over-HTTP transport, a regression of the July 9, 2024 updates. Install the "
            "October 8, 2024 cumulative update or later (OS build 20348.2762 on Server 2022, 17763.6414 on "
            "2019, 14393.7428 on 2016, 6.3.9600.22221 on 2012 R2, 6.2.9200.25118 on 2012). Until then, "
            "either block connections over the pipe and port \\pipe\\RpcProxy\\3388 through the RD Gateway "
            "with firewall software, or on client devices set the DWORD RDGClientTransport under "
            "HKEY_CURRENT_USER\\Software\\Microsoft\\Terminal Server Client to 0x0 so that they stop using "
            "RPC-over-HTTP.",
        .needs = { { "Application Error" }, { 1000 }, 1, rdgw_triggers, 1 },
        .verify = verify_rdgw_crash,
        .agg = &sift_agg_periodic,
        .params = &rdgw_params,
    },
    {
        .id = "uptime-497",
        .title = "Uptime at or near the 497-day TIME_WAIT bug",
        .remediation =
            "Windows Vista, 7, Server 2008 and 2008 R2 stop closing TIME_WAIT connections after "
            "2^32 x 10 ms = 497.1 days of uptime, until ephemeral ports run out (AD replication, group "
            "policy, SQL and file shares fail). Restart the host before it crosses 497.1 days, and install "
            "KB2553549 or MS12-032 (KB2688338) on Windows 7 / Server 2008 R2, or any later tcpip.sys "
            "update. Windows 8 / Server 2012 and later are not affected.",
        .needs = { { "EventLog" }, { 6013 }, 1, NULL, 0 },
        .verify = verify_uptime,
        .verify_fact = verify_uptime_fact,
        .agg = &sift_agg_peak,
        .params = &uptime_params,
        .verdict = verdict_uptime,
    },
    {
        .id = "timewait-exhaustion",
        .title = "TIME_WAIT connections filling the dynamic port range",
        .remediation =
            "TIME_WAIT connections are using up the dynamic (ephemeral) port range of {port_range} ports; "
            "check it with `netsh int ipv4 show dynamicport tcp` (Windows Vista and later default to "
            "49152-65535). On Vista/7/2008/2008 R2 hosts past 497 days of uptime this is the KB2553549 bug: "
            "restart the host and install KB2553549 or MS12-032 (KB2688338). Otherwise find the process "
            "opening outbound connections at a high rate.",
        .needs = { { NULL }, { 0 }, 0, NULL, 0 },
        .verify_table = verify_timewait,
        .agg = &sift_agg_ratio,
        .params = &timewait_params,
        .settings = timewait_settings,
        .n_settings = sizeof timewait_settings / sizeof timewait_settings[0],
    },
    {
        .id = "tcpip-port-exhaustion",
        .title = "Tcpip reported ephemeral port exhaustion (events 4227/4231)",
        .remediation =
            "Tcpip event 4231 means no ephemeral TCP port could be allocated; 4227 means a local endpoint "
            "had to be reused while still in TIME_WAIT. Check TIME_WAIT counts (netstat -ano), the dynamic "
            "port range (netsh int ipv4 show dynamicport tcp), and on Vista/7/2008/2008 R2 the 497-day "
            "uptime bug (KB2553549, MS12-032/KB2688338).",
        .needs = { { "Tcpip", "Microsoft-Windows-Tcpip" }, { 4227, 4231 }, 2, NULL, 0 },
        .verify = verify_tcpip,
        .agg = &sift_agg_keyed,
        .params = &tcpip_params,
    },
};

const size_t sift_rule_count = sizeof sift_rules / sizeof sift_rules[0];

_Static_assert(sizeof sift_rules / sizeof sift_rules[0] <= SIFT_MAX_RULES, "too many rules for the host table");

int sift_rule_wants(const sift_rule *r, sift_slice provider, uint16_t id)
{
    int id_ok = 0;
    for (unsigned i = 0; i < r->needs.n_ids; i++)
        id_ok |= r->needs.ids[i] == id;
    if (!id_ok)
        return 0;
    provider = sift_slice_trim(provider);
    for (unsigned i = 0; i < SIFT_RULE_MAX_PROVIDERS && r->needs.providers[i]; i++)
        if (sift_slice_eq_nocase(provider, sift_slice_make(r->needs.providers[i], strlen(r->needs.providers[i]))))
            return 1;
    return 0;
}

/* ---- the rules of a run ------------------------------------------------------------ */

/* Parameters are copied per run so that a setting changes only this run. */
#define PARAMS_MAX 512u

struct sift_ruleset {
    _Alignas(max_align_t) unsigned char params[sizeof sift_rules / sizeof sift_rules[0]][PARAMS_MAX];
    sift_hosts_rule hosts[sizeof sift_rules / sizeof sift_rules[0]];
};

sift_ruleset *sift_ruleset_create(void)
{
    sift_ruleset *rs = calloc(1, sizeof *rs);
    if (!rs)
        return NULL;
    for (size_t r = 0; r < sift_rule_count; r++) {
        const sift_rule *x = &sift_rules[r];
        if (x->agg->params_size > PARAMS_MAX) {
            free(rs);
            return NULL;
        }
        memcpy(rs->params[r], x->params, x->agg->params_size);
        rs->hosts[r] = (sift_hosts_rule){ x->agg, rs->params[r] };
    }
    return rs;
}

void sift_ruleset_free(sift_ruleset *rs)
{
    free(rs);
}

int sift_ruleset_set(sift_ruleset *rs, const char *setting, uint32_t value)
{
    int took = 0;
    for (size_t r = 0; r < sift_rule_count; r++) {
        for (size_t s = 0; s < sift_rules[r].n_settings; s++) {
            const sift_setting *st = &sift_rules[r].settings[s];
            if (strcmp(st->name, setting) != 0)
                continue;
            if (value < st->min || value > st->max)
                return -1;
            memcpy(rs->params[r] + st->offset, &value, sizeof value);
            took++;
        }
    }
    return took;
}

const sift_hosts_rule *sift_ruleset_hosts(const sift_ruleset *rs, size_t *n)
{
    *n = sift_rule_count;
    return rs->hosts;
}

/* v with thousands separators: 16384 -> "16,384". */
static size_t put_grouped(char *buf, size_t cap, uint32_t v)
{
    char digits[16];
    int n = snprintf(digits, sizeof digits, "%u", v);
    size_t o = 0;
    for (int i = 0; i < n && o + 1 < cap; i++) {
        if (i && (n - i) % 3 == 0) {
            buf[o++] = ',';
            if (o + 1 >= cap)
                break;
        }
        buf[o++] = digits[i];
    }
    return o;
}

size_t sift_ruleset_remediation(const sift_ruleset *rs, size_t r, char *buf, size_t cap)
{
    if (cap == 0)
        return 0;
    const sift_rule *x = &sift_rules[r];
    size_t o = 0;
    for (const char *p = x->remediation; *p && o + 1 < cap;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        const sift_setting *hit = NULL;
        for (size_t s = 0; close && s < x->n_settings; s++)
            if (strlen(x->settings[s].name) == (size_t)(close - p - 1) &&
                memcmp(x->settings[s].name, p + 1, (size_t)(close - p - 1)) == 0)
                hit = &x->settings[s];
        if (!hit) {
            buf[o++] = *p++;
            continue;
        }
        uint32_t v;
        memcpy(&v, rs->params[r] + hit->offset, sizeof v);
        o += put_grouped(buf + o, cap - o, v);
        p = close + 1;
    }
    buf[o] = '\0';
    return o;
}
