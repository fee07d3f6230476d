/* test_inventory.c - host inventories: systeminfo (the real jc samples
 * against their .json, Japanese), hotfix tables, PowerShell and WMI lists,
 * cut hotfix lists, the uptime from boot and capture time, and all of it
 * through the scanner in any chunking. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sbuf.h"
#include "sift_inventory.h"
#include "sift_match.h"
#include "sift_patset.h"
#include "sift_rules.h"
#include "sift_scan.h"

/* ---- the scanner over the registry ------------------------------------------------------ */

typedef struct inv_rig {
    sift_patset ps;
    sift_matcher *m;
    sift_ruleset *rules;
    sift_hosts *hosts;
    sift_paths *paths;
    sift_scan *scan;
} inv_rig;

/* The database is compiled once per test process: the prefix test scans
 * thousands of times. */
static sift_patset rig_ps;
static sift_matcher *rig_m;

static void inv_rig_scan(inv_rig *r, const char *text, size_t len, size_t chunk, const char *host)
{
    size_t n;
    const sift_format *const *reg = sift_registry(&n);
    memset(r, 0, sizeof *r);
    if (!rig_m) {
        cr_assert_eq(sift_patset_build(reg, n, &rig_ps), SIFT_OK);
        char msg[256];
        cr_assert_eq(sift_matcher_create(rig_ps.pats, rig_ps.n, &rig_m, msg, sizeof msg), SIFT_OK, "%s", msg);
    }
    r->ps = rig_ps;
    r->m = rig_m;
    r->rules = sift_ruleset_create();
    sift_hosts_cfg hc = { 0 };
    hc.rules = sift_ruleset_hosts(r->rules, &hc.n_rules);
    r->hosts = sift_hosts_create(&hc);
    r->paths = sift_paths_create();
    sift_scan_cfg sc = { reg, n, &r->ps, r->m, r->hosts, r->paths, NULL, NULL };
    r->scan = sift_scan_create(&sc);
    cr_assert(r->rules && r->hosts && r->paths && r->scan);
    cr_assert_eq(sift_scan_begin(r->scan, "inv.txt", 0, sift_slice_make(host, strlen(host)), 0, UINT32_MAX),
                 SIFT_OK);
    /* Presented as the engine does: what the scanner keeps, then more. */
    uint8_t *buf = malloc(len + 1);
    size_t have = 0, fed = 0;
    do {
        size_t take = chunk && chunk < len - fed ? chunk : len - fed;
        memcpy(buf + have, text + fed, take);
        have += take;
        fed += take;
        sift_in in = { buf, have, 0 };
        cr_assert_eq(sift_scan_run(r->scan, &in, fed == len ? SIFT_SCAN_EOF : 0), SIFT_OK);
        memmove(buf, buf + in.pos, have - in.pos);
        have -= in.pos;
    } while (fed < len);
    free(buf);
}

static void inv_rig_free(inv_rig *r)
{
    sift_scan_free(r->scan);
    sift_paths_free(r->paths);
    sift_hosts_free(r->hosts);
    sift_ruleset_free(r->rules);
}

static const sift_host_fact *facts_of(inv_rig *r, const char *host)
{
    return sift_hosts_facts(r->hosts, sift_slice_make(host, strlen(host)));
}

/* Scan text whole and return what it says about host (which it must). */
static const sift_host_fact *scan_facts(inv_rig *r, const char *text, size_t len, const char *host)
{
    inv_rig_scan(r, text, len, 0, "PATHHOST");
    const sift_host_fact *f = facts_of(r, host);
    cr_assert_not_null(f, "no facts for %s", host);
    return f;
}

static int has_kb(const sift_host_fact *f, uint32_t kb)
{
    for (size_t i = 0; i < f->n_kbs; i++)
        if (f->kbs[i] == kb)
            return 1;
    return 0;
}

static void put_finding(void *ctx, const sift_finding *f)
{
    sbuf *b = ctx;
    sb_printf(b, "%s %s %s n=%llu", sift_rules[f->rule].id, sift_severity_name(f->severity), f->host,
              (unsigned long long)f->count);
    for (size_t i = 0; i < f->n_m; i++)
        if (f->m[i].type == SIFT_M_U64)
            sb_printf(b, " %s=%llu", f->m[i].name, (unsigned long long)f->m[i].u);
    for (size_t i = 0; i < f->n_ev; i++)
        sb_printf(b, " @%llu:%llu", (unsigned long long)f->ev[i].offset, (unsigned long long)f->ev[i].line);
    sb_printf(b, "\n");
}

static void expect_no_findings(inv_rig *r)
{
    sbuf b = { 0 };
    sb_add(&b, "", 0);
    sift_hosts_report(r->hosts, put_finding, &b);
    cr_expect_str_eq(b.p, "");
    free(b.p);
}

/* What the scan left: the findings, then the facts of the named hosts. */
static char *outcome(inv_rig *r, const char *const *hosts, size_t n)
{
    sbuf b = { 0 };
    sb_add(&b, "", 0);
    sift_hosts_report(r->hosts, put_finding, &b);
    for (size_t i = 0; i < n; i++) {
        const sift_host_fact *f = facts_of(r, hosts[i]);
        if (!f)
            continue;
        char boot[40], inst[40];
        sift_time_format(f->boot_time, boot, sizeof boot);
        sift_time_format(f->installed, inst, sizeof inst);
        sb_printf(&b, "%s|%.*s|%.*s|%u.%u.%u|%s|%s|%.*s|complete=%u|kbs=", hosts[i], (int)f->os_name.len,
                  (const char *)f->os_name.ptr, (int)f->os_version.len, (const char *)f->os_version.ptr, f->major,
                  f->minor, f->build, boot, inst, (int)f->time_zone.len, (const char *)f->time_zone.ptr,
                  f->kbs_complete);
        for (size_t k = 0; k < f->n_kbs; k++)
            sb_printf(&b, "%u,", f->kbs[k]);
        sb_printf(&b, "\n");
    }
    return b.p;
}

static char *scan_outcome(const char *text, size_t len, size_t chunk, const char *const *hosts, size_t n)
{
    inv_rig r;
    inv_rig_scan(&r, text, len, chunk, "PATHHOST");
    char *o = outcome(&r, hosts, n);
    inv_rig_free(&r);
    return o;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    sbuf b = { 0 };
    char tmp[8192];
    size_t k;
    sb_add(&b, "", 0);
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        sb_add(&b, tmp, k);
    fclose(f);
    *len = b.n;
    return b.p;
}

static char *fixture(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/corpus/formats/inventory/%s", SIFT_SOURCE_DIR, name);
    char *t = read_file(path, len);
    cr_assert_not_null(t, "%s", path);
    return t;
}

/* ---- the jc samples against jc's parse ------------------------------------------------------- */

/* The string member key of a flat JSON object ("key":"value"), unescaped
 * only as far as these files need (no escapes in the values compared). */
static int json_str(const char *json, const char *key, char *out, size_t cap)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *p = strstr(json, pat);
    if (!p)
        return 0;
    p += strlen(pat);
    const char *e = strchr(p, '"');
    size_t n = (size_t)(e - p) < cap - 1 ? (size_t)(e - p) : cap - 1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 1;
}

/* The KB numbers of "hotfixs":[...]. */
static size_t json_kbs(const char *json, uint32_t *kbs, size_t cap)
{
    const char *p = strstr(json, "\"hotfixs\":[");
    size_t n = 0;
    if (!p)
        return 0;
    const char *end = strchr(p, ']');
    for (p = strstr(p, "\"KB"); p && p < end && n < cap; p = strstr(p + 1, "\"KB"))
        kbs[n++] = (uint32_t)strtoul(p + 3, NULL, 10);
    return n;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

Test(inventory, each_real_systeminfo_sample_gives_the_fields_jc_parsed_from_it)
{
    static const char *const samples[] = { "windows-10/systeminfo", "windows-10/systeminfo-hyperv",
                                           "windows-10/systeminfo-hyperv-utc", "windows-2012r2/systeminfo",
                                           "windows-7/systeminfo" };
    struct stat sb;
    if (stat(SIFT_SHARED_DIR "/external/jc/windows", &sb) != 0) {
        cr_skip_test("../shared/external/jc/windows is absent: the real systeminfo samples are not checked");
        return;
    }
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char path[512];
        size_t tl, jl;
        snprintf(path, sizeof path, "%s/external/jc/windows/%s.out", SIFT_SHARED_DIR, samples[i]);
        char *text = read_file(path, &tl);
        snprintf(path, sizeof path, "%s/external/jc/windows/%s.json", SIFT_SHARED_DIR, samples[i]);
        char *json = read_file(path, &jl);
        cr_assert(text && json, "%s", samples[i]);
        char host[256], os[256], ver[256], tz[256], boot[64], inst[64];
        cr_assert(json_str(json, "host_name", host, sizeof host) && json_str(json, "os_name", os, sizeof os) &&
                  json_str(json, "os_version", ver, sizeof ver) && json_str(json, "time_zone", tz, sizeof tz) &&
                  json_str(json, "system_boot_time", boot, sizeof boot) &&
                  json_str(json, "original_install_date", inst, sizeof inst));
        inv_rig r;
        inv_rig_scan(&r, text, tl, 0, "PATHHOST");
        const sift_host_fact *f = facts_of(&r, host);
        cr_assert_not_null(f, "%s: no facts for %s", samples[i], host);
        cr_expect(sift_slice_eq(f->os_name, sift_slice_make(os, strlen(os))), "%s: os %.*s", samples[i],
                  (int)f->os_name.len, (const char *)f->os_name.ptr);
        cr_expect(sift_slice_eq(f->os_version, sift_slice_make(ver, strlen(ver))), "%s", samples[i]);
        cr_expect(sift_slice_eq(f->time_zone, sift_slice_make(tz, strlen(tz))), "%s", samples[i]);
        /* jc's version string, read as Windows numbers it. */
        unsigned ma = 0, mi = 0, bu = 0;
        cr_assert_eq(sscanf(ver, "%u.%u.%u", &ma, &mi, &bu), 3);
        cr_expect(f->major == ma && f->minor == mi && f->build == bu, "%s", samples[i]);
        /* The boot time is the wall-clock time written (month first: these
         * are en-US), as jc reads it. */
        sift_when want;
        cr_assert_eq(sift_time_parse_order(sift_slice_make(boot, strlen(boot)), SIFT_DATE_MDY, &want), SIFT_OK);
        cr_expect(f->boot_time.valid && f->boot_time.secs == want.secs && !f->boot_time.utc, "%s: boot %lld",
                  samples[i], (long long)f->boot_time.secs);
        cr_assert_eq(sift_time_parse_order(sift_slice_make(inst, strlen(inst)), SIFT_DATE_MDY, &want), SIFT_OK);
        cr_expect(f->installed.valid && f->installed.secs == want.secs, "%s", samples[i]);
        /* Where jc knew the zone was UTC, its epoch is the same instant. */
        const char *utc = strstr(json, "\"system_boot_time_epoch_utc\":");
        if (utc && strtoll(utc + 29, NULL, 10) > 0)
            cr_expect_eq(f->boot_time.secs, strtoll(utc + 29, NULL, 10), "%s", samples[i]);
        uint32_t kbs[SIFT_FACT_MAX_KBS];
        size_t nk = json_kbs(json, kbs, SIFT_FACT_MAX_KBS);
        qsort(kbs, nk, sizeof kbs[0], cmp_u32);
        size_t u = 0;
        for (size_t k = 0; k < nk; k++)
            if (u == 0 || kbs[u - 1] != kbs[k])
                kbs[u++] = kbs[k];
        cr_expect_eq(f->n_kbs, u, "%s: %zu KBs, jc %zu", samples[i], f->n_kbs, u);
        for (size_t k = 0; k < u && k < f->n_kbs; k++)
            cr_expect_eq(f->kbs[k], kbs[k], "%s: KB %zu", samples[i], k);
        /* Windows 7 says 302 and lists 245: not the whole list. */
        int cut = strstr(text, "302 Hotfix(s) Installed.") != NULL;
        cr_expect_eq(f->kbs_complete, !cut, "%s", samples[i]);
        /* The NICs' "[01]: 192.168.2.2" rows are no hotfixes, and nothing
         * else is a host. */
        cr_expect_null(facts_of(&r, "PATHHOST"), "%s", samples[i]);
        inv_rig_free(&r);
        free(text);
        free(json);
    }
}

/* ---- systeminfo ------------------------------------------------------------------------------ */

Test(inventory, japanese_systeminfo_gives_host_os_build_boot_time_and_a_cut_hotfix_list)
{
    size_t len;
    char *t = fixture("sql-old01-systeminfo-ja.txt", &len);
    inv_rig r;
    const sift_host_fact *f = scan_facts(&r, t, len, "SQL-OLD01");
    cr_expect(sift_slice_eq(f->os_name, SIFT_LIT("Microsoft Windows Server 2008 R2 Enterprise")));
    cr_expect(sift_slice_eq(f->os_version, SIFT_LIT("6.1.7601 Service Pack 1 ビルド 7601")));
    cr_expect(f->major == 6 && f->minor == 1 && f->build == 7601);
    sift_when w;
    cr_assert_eq(sift_time_parse(SIFT_LIT("2023-02-28T09:00:00"), &w), SIFT_OK);
    cr_expect_eq(f->boot_time.secs, w.secs);
    cr_assert_eq(sift_time_parse(SIFT_LIT("2012-11-14T15:12:45"), &w), SIFT_OK);
    cr_expect_eq(f->installed.secs, w.secs);
    cr_expect(sift_slice_eq(f->time_zone, SIFT_LIT("(UTC+09:00) 大阪、札幌、東京")));
    /* 294 stated, 4 listed: a KB absent from it is unknown. */
    cr_expect_eq(f->n_kbs, 4);
    cr_expect(has_kb(f, 976902) && !has_kb(f, 2553549));
    cr_expect_eq(f->kbs_complete, 0);
    inv_rig_free(&r);
    free(t);
}

Test(inventory, a_hotfix_list_is_complete_only_when_its_rows_add_up_to_the_count)
{
    static const char *const cases[][2] = {
        { "Hotfix(s):                 2 Hotfix(s) Installed.\n                           [01]: KB2553549\n"
          "                           [02]: KB2688338\n",
          "1" },
        /* Cut, as systeminfo cuts long lists. */
        { "Hotfix(s):                 3 Hotfix(s) Installed.\n                           [01]: KB2553549\n"
          "                           [02]: KB2688338\n",
          "0" },
        /* A row without a KB number ("File 1") is counted but not known. */
        { "Hotfix(s):                 2 Hotfix(s) Installed.\n                           [01]: KB2553549\n"
          "                           [02]: File 1\n",
          "0" },
        /* No count. */
        { "Hotfix(s):                 N/A\n                           [01]: KB2553549\n", "0" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sbuf b = { 0 };
        sb_printf(&b,
                  "Host Name:                 H%zu\nOS Name:                   Microsoft Windows 7\n"
                  "Original Install Date:     1/1/2020, 1:00:00 AM\n%s",
                  i, cases[i][0]);
        char name[8];
        snprintf(name, sizeof name, "H%zu", i);
        inv_rig r;
        const sift_host_fact *f = scan_facts(&r, b.p, b.n, name);
        cr_expect_eq(f->kbs_complete, cases[i][1][0] == '1', "case %zu", i);
        cr_expect(has_kb(f, 2553549), "case %zu", i);
        inv_rig_free(&r);
        free(b.p);
    }
}

Test(inventory, a_kb_outside_the_hotfix_rows_is_no_hotfix)
{
    const char *text = "Host Name:                 APP1\n"
                       "OS Name:                   Microsoft Windows Server 2008 R2 Standard\n"
                       "Hotfix(s):                 1 Hotfix(s) Installed.\n"
                       "                           [01]: KB976902\n"
                       "Network Card(s):           1 NIC(s) Installed.\n"
                       "                           [01]: KB2553549\n"
                       "Installation of KB2688338 succeeded.\n"
                       "KB2688338\n";
    inv_rig r;
    const sift_host_fact *f = scan_facts(&r, text, strlen(text), "APP1");
    cr_expect_eq(f->n_kbs, 1);
    cr_expect(has_kb(f, 976902));
    cr_expect_eq(f->kbs_complete, 1);
    inv_rig_free(&r);
}

Test(inventory, day_first_dates_are_read_day_first_when_one_of_them_says_so)
{
    /* en-GB: the boot date reads only day first; the install date alone
     * could be either. */
    const char *text = "Host Name:                 UK1\n"
                       "Original Install Date:     01/02/2020, 10:00:00\n"
                       "System Boot Time:          17/06/2025, 18:59:28\n";
    inv_rig r;
    const sift_host_fact *f = scan_facts(&r, text, strlen(text), "UK1");
    sift_when w;
    cr_assert_eq(sift_time_parse(SIFT_LIT("2020-02-01T10:00:00"), &w), SIFT_OK);
    cr_expect_eq(f->installed.secs, w.secs);
    cr_assert_eq(sift_time_parse(SIFT_LIT("2025-06-17T18:59:28"), &w), SIFT_OK);
    cr_expect_eq(f->boot_time.secs, w.secs);
    inv_rig_free(&r);
}

Test(inventory, a_second_host_name_or_a_long_gap_ends_an_inventory)
{
    sbuf b = { 0 };
    sb_printf(&b, "Host Name:                 A1\nOS Name:                   Microsoft Windows 10 Pro\n"
                  "Original Install Date:     1/1/2020, 1:00:00 AM\nHost Name:                 B2\n");
    for (unsigned i = 0; i < SIFT_INV_GAP_SYSTEMINFO + 1; i++)
        sb_printf(&b, "other text\n");
    /* Too far below B2's last label: a capture without its Host Name. */
    sb_printf(&b, "OS Name:                   Microsoft Windows Server 2019 Standard\n"
                  "Original Install Date:     1/1/2020, 1:00:00 AM\n");
    inv_rig r;
    inv_rig_scan(&r, b.p, b.n, 0, "PATHHOST");
    const sift_host_fact *a = facts_of(&r, "A1"), *c = facts_of(&r, "B2"), *p = facts_of(&r, "PATHHOST");
    cr_assert(a && c && p, "%p %p %p", (const void *)a, (const void *)c, (const void *)p);
    cr_expect(sift_slice_eq(a->os_name, SIFT_LIT("Microsoft Windows 10 Pro")));
    cr_expect_eq(c->os_name.len, 0);
    /* A fact without a host is the path's host's. */
    cr_expect(sift_slice_eq(p->os_name, SIFT_LIT("Microsoft Windows Server 2019 Standard")));
    inv_rig_free(&r);
    free(b.p);
}

/* ---- hotfix tables ---------------------------------------------------------------------------- */

Test(inventory, wmic_qfe_rows_give_their_kbs_and_host_from_the_csname_column)
{
    /* wmic redirected writes CR CR LF; Description may be localized (UTF-8
     * after decoding), which moves bytes but not characters. */
    const char *text =
        "Caption                                     CSName  Description          FixComments  HotFixID   "
        "InstallDate  InstalledBy            InstalledOn\r\r\n"
        "https://support.microsoft.com/help/5039889  RDG01   Actualización        "
        "             KB5039889               AUTORIDADE NT\\SISTEMA  7/10/2024\r\r\n"
        "                                            RDG01   Security Update                    KB5040437"
        "               NT AUTHORITY\\SYSTEM    7/10/2024\r\r\n"
        "\r\r\n";
    inv_rig r;
    const sift_host_fact *f = scan_facts(&r, text, strlen(text), "RDG01");
    cr_expect_eq(f->n_kbs, 2);
    cr_expect(has_kb(f, 5039889) && has_kb(f, 5040437));
    cr_expect_eq(f->kbs_complete, 1);
    inv_rig_free(&r);
}

Test(inventory, get_hotfix_tables_split_by_source_and_end_where_rows_stop)
{
    const char *text = "\nSource        Description      HotFixID      InstalledBy          InstalledOn\n"
                       "------        -----------      --------      -----------          -----------\n"
                       "SRV-A         Update           KB2553549     NT AUTHORITY\\SYSTEM  7/11/2013 12:00:00 AM\n"
                       "SRV-B         Update           KB2688338     NT AUTHORITY\\SYSTEM  7/11/2013 12:00:00 AM\n"
                       "\n\n\n"
                       "SRV-A         Update           KB9999999     NT AUTHORITY\\SYSTEM  7/11/2013 12:00:00 AM\n";
    inv_rig r;
    inv_rig_scan(&r, text, strlen(text), 0, "PATHHOST");
    const sift_host_fact *a = facts_of(&r, "SRV-A"), *b = facts_of(&r, "SRV-B");
    cr_assert(a && b);
    cr_expect(a->n_kbs == 1 && has_kb(a, 2553549));
    cr_expect(b->n_kbs == 1 && has_kb(b, 2688338));
    inv_rig_free(&r);
}

/* ---- PowerShell and WMI lists ------------------------------------------------------------------ */

Test(inventory, get_computerinfo_gives_os_build_boot_and_its_own_clock)
{
    size_t len;
    char *t = fixture("rdg01-get-computerinfo.txt", &len);
    inv_rig r;
    const sift_host_fact *f = scan_facts(&r, t, len, "RDG01");
    cr_expect(sift_slice_eq(f->os_name, SIFT_LIT("Microsoft Windows Server 2022 Standard")));
    cr_expect(f->major == 10 && f->minor == 0 && f->build == 20348);
    sift_when w;
    cr_assert_eq(sift_time_parse(SIFT_LIT("2024-07-10T03:00:00"), &w), SIFT_OK);
    cr_expect_eq(f->boot_time.secs, w.secs);
    /* OsHotFixes lists all three (no "..."). */
    cr_expect(has_kb(f, 5040437) && f->n_kbs == 3 && f->kbs_complete);
    /* Nine hours of uptime: no finding. */
    expect_no_findings(&r);
    inv_rig_free(&r);
    free(t);
}

Test(inventory, a_wmic_list_reads_wmi_datetimes_as_utc_and_a_cut_oshotfixes_is_incomplete)
{
    const char *text = "CSName=SQL-OLD02\r\r\nCaption=Microsoft Windows 7 Enterprise\r\r\n"
                       "InstallDate=20121114151245.000000+540\r\r\n"
                       "LastBootUpTime=20230228090000.500000+540\r\r\nLocalDateTime=20240710210000.000000+540\r\r\n"
                       "Version=6.1.7601\r\r\n"
                       "OsHotFixes : {KB976902, KB2553549, KB2688338, KB3000483...}\n";
    inv_rig r;
    const sift_host_fact *f = scan_facts(&r, text, strlen(text), "SQL-OLD02");
    sift_when w;
    cr_assert_eq(sift_time_parse(SIFT_LIT("2023-02-28T00:00:00Z"), &w), SIFT_OK);
    cr_expect(f->boot_time.utc && f->boot_time.secs == w.secs && f->boot_time.nsec == 500000000u);
    cr_expect(f->major == 6 && f->minor == 1 && f->build == 7601);
    /* OsHotFixes started a list of its own: Get-ComputerInfo's, cut. */
    sbuf b = { 0 };
    sb_add(&b, "", 0);
    sift_hosts_report(r.hosts, put_finding, &b);
    cr_expect(strstr(b.p, "uptime-497 critical SQL-OLD02 n=1 uptime_s=43070400") != NULL, "%s", b.p);
    free(b.p);
    inv_rig_free(&r);
    cr_assert_eq(sift_inventory_wmi_time(SIFT_LIT("20240710210000.000000-300"), &w, &(int32_t){ 0 },
                                         &(uint8_t){ 0 }),
                 SIFT_OK);
    sift_when z;
    cr_assert_eq(sift_time_parse(SIFT_LIT("2024-07-11T02:00:00Z"), &z), SIFT_OK);
    cr_expect_eq(w.secs, z.secs);
    static const char *const bad[] = { "2024071021000", "20241310210000.0+540", "20240230210000", "20240710216000",
                                       "20240710210000.+540", "20240710210000.000000+999", "x0240710210000" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_neq(sift_inventory_wmi_time(sift_slice_make(bad[i], strlen(bad[i])), &w, &(int32_t){ 0 },
                                              &(uint8_t){ 0 }),
                      SIFT_OK, "%s", bad[i]);
}

Test(inventory, caption_and_version_alone_are_no_inventory)
{
    const char *text = "Caption : Some product\nVersion : 1.2.3\nBuildNumber : 77\nInstallDate : 1/1/2020 1:00:00 AM\n"
                       "LastBootUpTime : 7/10/2024 3:00:00 AM\nLocalDateTime : 7/10/2025 3:00:00 AM\n";
    inv_rig r;
    inv_rig_scan(&r, text, strlen(text), 0, "PATHHOST");
    cr_expect_null(facts_of(&r, "PATHHOST"));
    expect_no_findings(&r);
    inv_rig_free(&r);
}

Test(inventory, time_zone_offsets)
{
    int32_t m = 1;
    cr_expect(sift_inventory_tz_offset(SIFT_LIT("(UTC+09:00) Osaka, Sapporo, Tokyo"), &m) && m == 540);
    cr_expect(sift_inventory_tz_offset(SIFT_LIT("(UTC-03:30) Newfoundland"), &m) && m == -210);
    cr_expect(sift_inventory_tz_offset(SIFT_LIT("(UTC) Coordinated Universal Time"), &m) && m == 0);
    cr_expect(sift_inventory_tz_offset(SIFT_LIT("(GMT+01:00) Amsterdam"), &m) && m == 60);
    cr_expect(!sift_inventory_tz_offset(SIFT_LIT("(UTC+15:00) Nowhere"), &m));
    cr_expect(!sift_inventory_tz_offset(SIFT_LIT("UTC+09:00"), &m));
    cr_expect(!sift_inventory_tz_offset(SIFT_LIT("(UTC+9:00)"), &m));
}

/* ---- uptime from boot and capture time ------------------------------------------------------------ */

Test(inventory, boot_time_and_a_timestamp_line_above_give_uptime_497)
{
    size_t len;
    char *t = fixture("sql-old01-triage.txt", &len);
    static const char *const hosts[] = { "SQL-OLD01" };
    inv_rig r;
    inv_rig_scan(&r, t, len, 0, "PATHHOST");
    char *o = outcome(&r, hosts, 1);
    /* The netstat table after it is not swallowed: its three TIME_WAIT rows
     * are counted, in one snapshot. */
    const sift_scan_stats *st = sift_scan_get_stats(r.scan);
    cr_expect(st->facts == 1 && st->snapshots == 1 && st->rows == 3, "%llu %llu %llu",
              (unsigned long long)st->facts, (unsigned long long)st->snapshots, (unsigned long long)st->rows);
    inv_rig_free(&r);
    /* 2023-02-28 09:00 to 2024-07-10 21:00, both local: 498.5 days. */
    cr_expect(strstr(o, "uptime-497 critical SQL-OLD01 n=1 uptime_s=43070400") != NULL, "%s", o);
    cr_expect(strstr(o, "SQL-OLD01|Microsoft Windows Server 2008 R2 Enterprise|6.1.7601 Service Pack 1 Build "
                        "7601|6.1.7601|2023-02-28T09:00:00|2012-11-14T15:12:45|(UTC+09:00) Osaka, Sapporo, "
                        "Tokyo|complete=0|kbs=") != NULL,
              "%s", o);
    free(o);
    free(t);
}

Test(inventory, without_a_capture_time_no_uptime_is_inferred)
{
    /* No time above, no clock inside; the file's time is not used. */
    const char *text = "Host Name:                 OLD7\nOS Name:                   Microsoft Windows 7\n"
                       "Original Install Date:     1/1/2019, 1:00:00 AM\n"
                       "System Boot Time:          1/1/2020, 9:00:00 AM\n";
    inv_rig r;
    inv_rig_scan(&r, text, strlen(text), 0, "PATHHOST");
    cr_expect_not_null(facts_of(&r, "OLD7"));
    expect_no_findings(&r);
    inv_rig_free(&r);
}

Test(inventory, a_utc_capture_time_meets_a_local_boot_time_through_the_stated_zone)
{
    const char *text = "2024-07-10T12:00:00Z\n\nC:\\>systeminfo\n\nHost Name:                 OLD8\n"
                       "Original Install Date:     1/1/2019, 1:00:00 AM\n"
                       "System Boot Time:          2/28/2023, 9:00:00 AM\n"
                       "Time Zone:                 (UTC+09:00) Osaka, Sapporo, Tokyo\n";
    static const char *const hosts[] = { "OLD8" };
    char *o = scan_outcome(text, strlen(text), 0, hosts, 1);
    /* 2023-02-28T00:00Z to 2024-07-10T12:00Z. */
    cr_expect(strstr(o, "uptime-497 critical OLD8 n=1 uptime_s=43070400") != NULL, "%s", o);
    free(o);
    sift_host_fact f = { 0 };
    uint64_t up;
    f.boot_time = (sift_when){ 1000, 0, 1, 0 };
    f.captured = (sift_when){ 999, 0, 1, 0 };
    cr_expect(!sift_fact_uptime(&f, &up), "a capture before the boot gives nothing");
}

/* ---- every prefix, any chunking, hostile input ---------------------------------------------------- */

static char *all_fixtures(size_t *len)
{
    static const char *const names[] = { "sql-old01-triage.txt", "sql-old01-systeminfo-ja.txt", "rdg01-systeminfo.txt",
                                         "sql-old01-get-hotfix.txt", "rdg01-get-computerinfo.txt",
                                         "sql-old01-win32-operatingsystem.txt" };
    sbuf b = { 0 };
    sb_add(&b, "", 0);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n;
        char *t = fixture(names[i], &n);
        sb_add(&b, t, n);
        free(t);
    }
    *len = b.n;
    return b.p;
}

static const char *const fixture_hosts[] = { "SQL-OLD01", "RDG01", "PATHHOST" };

Test(inventory, output_does_not_depend_on_how_the_bytes_arrive)
{
    size_t len;
    char *t = all_fixtures(&len);
    char *whole = scan_outcome(t, len, 0, fixture_hosts, 3);
    cr_expect(strstr(whole, "uptime-497 critical SQL-OLD01 n=") != NULL, "%s", whole);
    cr_expect(strstr(whole, "RDG01|Microsoft Windows Server 2022 Standard|") != NULL, "%s", whole);
    static const size_t chunks[] = { 1, 2, 3, 7, 64, 333, 4096 };
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        char *got = scan_outcome(t, len, chunks[i], fixture_hosts, 3);
        cr_expect_str_eq(got, whole, "chunk %zu", chunks[i]);
        free(got);
    }
    free(whole);
    free(t);
}

Test(inventory, every_prefix_gives_a_part_of_what_the_whole_gives)
{
    size_t len;
    char *t = fixture("sql-old01-triage.txt", &len);
    inv_rig r;
    inv_rig_scan(&r, t, len, 0, "PATHHOST");
    const sift_host_fact *w = facts_of(&r, "SQL-OLD01");
    cr_assert_not_null(w);
    sift_host_fact whole = *w;
    uint32_t kbs[64];
    cr_assert_leq(whole.n_kbs, 64);
    memcpy(kbs, whole.kbs, whole.n_kbs * sizeof kbs[0]);
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)whole.os_name.len, (const char *)whole.os_name.ptr);
    inv_rig_free(&r);
    for (size_t n = 0; n <= len; n++) {
        inv_rig_scan(&r, t, n, 0, "PATHHOST");
        const sift_host_fact *f = facts_of(&r, "SQL-OLD01");
        if (f) {
            /* A value cut by the prefix is the start of the whole one. */
            cr_assert_leq(f->os_name.len, strlen(name), "prefix %zu", n);
            cr_assert(f->os_name.len == 0 || memcmp(f->os_name.ptr, name, f->os_name.len) == 0, "prefix %zu", n);
            for (size_t k = 0; k < f->n_kbs; k++) {
                /* The last row may be cut in its number (KB2849 of KB2849697). */
                int found = 0;
                for (size_t j = 0; j < whole.n_kbs; j++)
                    for (uint32_t v = kbs[j]; v; v /= 10)
                        found |= v == f->kbs[k];
                cr_assert(found, "prefix %zu: KB%u", n, f->kbs[k]);
            }
            cr_assert_eq(f->kbs_complete, 0, "prefix %zu", n);
        }
        inv_rig_free(&r);
    }
    free(t);
}

Test(inventory, hostile_inputs_stay_bounded)
{
    /* A hotfix list longer than a host keeps. */
    sbuf b = { 0 };
    sb_printf(&b, "Host Name:                 BIG\nHotfix(s):                 3000 Hotfix(s) Installed.\n");
    for (unsigned i = 0; i < 3000; i++)
        sb_printf(&b, "                           [%02u]: KB%u\n", i + 1, 1000000 + i);
    /* Lines of KBs and labels far past the line limit; NULs and bytes that
     * are not UTF-8 in values. */
    sb_printf(&b, "Host Name:                 NUL");
    sb_add(&b, "\0\xff\xfe", 3);
    sb_printf(&b, "X\nOS Name:                   ");
    for (unsigned i = 0; i < 20000; i++)
        sb_printf(&b, "KB%u Windows ", 100000 + i);
    sb_printf(&b, "\n");
    for (unsigned i = 0; i < 5000; i++)
        sb_printf(&b, "Host Name: H%u\nOriginal Install Date: 1/1/2020, 1:00:00 AM\nInstalledOn HotFixID\n", i);
    inv_rig r;
    inv_rig_scan(&r, b.p, b.n, 4093, "PATHHOST");
    const sift_host_fact *f = facts_of(&r, "BIG");
    cr_assert_not_null(f);
    cr_expect_eq(f->n_kbs, SIFT_FACT_MAX_KBS);
    cr_expect_eq(f->kbs_complete, 0);
    f = sift_hosts_facts(r.hosts, sift_slice_make("NUL\0\xff\xfeX", 7));
    cr_assert_not_null(f);
    cr_expect_leq(f->os_name.len, SIFT_INV_VALUE_MAX);
    cr_expect_not_null(facts_of(&r, "H4999"));
    inv_rig_free(&r);
    free(b.p);
    /* Binary junk. */
    uint8_t junk[70000];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (uint8_t)(x >> 16);
        if (i % 97 == 0)
            memcpy(junk + i, "KB1234", 6 < sizeof junk - i ? 6 : sizeof junk - i);
    }
    inv_rig_scan(&r, (const char *)junk, sizeof junk, 1000, "PATHHOST");
    inv_rig_free(&r);
}

/* ---- end to end ---------------------------------------------------------------------------------- */

Test(inventory, logsift_on_the_fixtures_reports_uptime_497_for_sql_old01_from_its_boot_time)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' -j1 corpus/formats/inventory 2>&1", SIFT_SOURCE_DIR,
             SIFT_LOGSIFT_BIN);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    sbuf b = { 0 };
    char tmp[4096];
    size_t k;
    sb_add(&b, "", 0);
    while ((k = fread(tmp, 1, sizeof tmp, p)) > 0)
        sb_add(&b, tmp, k);
    int rc = pclose(p);
    cr_expect_eq(WEXITSTATUS(rc), 1, "%s", b.p);
    cr_expect(strstr(b.p, "{\"rule\":\"uptime-497\",\"severity\":\"critical\",\"host\":\"SQL-OLD01\"") != NULL, "%s",
              b.p);
    cr_expect(strstr(b.p, "\"uptime_s\":43070400") != NULL, "%s", b.p);
    cr_expect(strstr(b.p, "\"os\":\"Microsoft Windows Server 2008 R2 Enterprise\"") != NULL, "%s", b.p);
    cr_expect(strstr(b.p, "\"os_affected\":true") != NULL, "%s", b.p);
    /* The wmic qfe fixture is UTF-16LE: RDG01's facts come from it too, but
     * nine hours of uptime are no finding. */
    cr_expect(strstr(b.p, "\"host\":\"RDG01\"") == NULL, "%s", b.p);
    cr_expect(strstr(b.p, "logsift:") == NULL, "%s", b.p);
    free(b.p);
}

/* An anchor is a line of an anchoring label (install date, hotfix count,
 * WindowsInstallDateFromRegistry) or a hotfix table header; the label
 * readers compare only those labels for it, so every other label line, and
 * event text that mentions Install, anchors nothing. */
Test(inventory, only_anchoring_labels_and_hotfix_headers_anchor)
{
    static const char *const yes[] = {
        "Original Install Date:     3/14/2023, 10:02:11 AM",
        "Hotfix(s):                 3 Hotfix(s) Installed.",
        "最初のインストール日付:    2023/03/14, 10:02:11",
        "ホットフィックス:          3 ホットフィックスがインストールされています。",
        "OsInstallDate                                           : 3/14/2023 10:02:11 AM",
        "installdate=20230314100211.000000+540",
        "WindowsInstallDateFromRegistry : 3/14/2023 10:02:11 AM",
        "Source        Description      HotFixID      InstalledBy          InstalledOn",
        "Caption  CSName  Description  FixComments  HotFixID  InstallDate  InstalledBy  InstalledOn",
    };
    static const char *const no[] = {
        "OS Name:                   Microsoft Windows Server 2008 R2 Enterprise",
        "System Boot Time:          10/2/2024, 12:00:00 PM",
        "OsLastBootUpTime : 10/2/2024 12:00:00 PM",
        "Installation Successful: Windows successfully installed the following update: KB5040430",
        "Installation Started: Windows has started installing the following update",
        "Windows Installer reconfigured the product. Product Name: Microsoft Edge.",
        "Original Install Date",
        "InstallDateX : 3/14/2023",
        "Source        Description      InstalledBy          InstalledOn",
    };
    int (*anchor)(sift_slice) = sift_inventory_format.line->fact_anchor;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_expect(anchor(sift_slice_make(yes[i], strlen(yes[i]))), "%s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_expect_not(anchor(sift_slice_make(no[i], strlen(no[i]))), "%s", no[i]);
}
