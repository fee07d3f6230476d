/* test_fields.c - sift_event_resolve: canonical fields from EventData,
 * positional and named, per provider and event id. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift_table.h"

static sift_slice z(const char *s)
{
    return s ? sift_slice_make(s, strlen(s)) : (sift_slice){ NULL, 0 };
}

/* Application Error 1000 as Windows 7 to 11 write it: 15 unnamed Data. */
static const char *const crash_data[15] = {
    "svchost.exe_TSGateway", "10.0.20348.2322", "5e3b2c51", "aaedge.dll", "10.0.20348.2582", "6f1c2d3e",
    "c0000005", "000000000004b7a2", "1c4c", "01dadcf1a2b3c4d5", "C:\\Windows\\system32\\svchost.exe",
    "C:\\Windows\\System32\\aaedge.dll", "3f6c1e2a-9b7d-4c11-8e0f-2a5b7c9d1e44", "", "",
};

static const char *const crash_names[15] = {
    "AppName", "AppVersion", "AppTimeStamp", "ModuleName", "ModuleVersion", "ModuleTimeStamp", "ExceptionCode",
    "FaultingOffset", "ProcessId", "ProcessCreationTime", "AppPath", "ModulePath", "IntegratorReportId",
    "PackageFullName", "PackageRelativeAppId",
};

static sift_event event_of(const char *provider, uint16_t id, sift_data *d, size_t n)
{
    return (sift_event){ .have = SIFT_EV_ID, .id = id, .provider = z(provider), .data = d, .n_data = n };
}

static void expect_fld(const sift_event *ev, sift_fld f, const char *want)
{
    if (!want) {
        cr_expect_eq(ev->fld[f].len, 0, "%s should be empty, is \"%.*s\"", sift_fld_name(f), (int)ev->fld[f].len,
                     (const char *)ev->fld[f].ptr);
        return;
    }
    cr_expect(sift_slice_eq(ev->fld[f], z(want)), "%s: \"%.*s\", expected \"%s\"", sift_fld_name(f),
              (int)ev->fld[f].len, ev->fld[f].len ? (const char *)ev->fld[f].ptr : "", want);
}

/* Every canonical field is a slice of one of the Data values. */
static void expect_slices_of_data(const sift_event *ev)
{
    for (unsigned f = 0; f < SIFT_FLD_COUNT; f++) {
        if (!ev->fld[f].len)
            continue;
        int inside = 0;
        for (size_t i = 0; i < ev->n_data && !inside; i++)
            inside = ev->fld[f].ptr == ev->data[i].value.ptr && ev->fld[f].len == ev->data[i].value.len;
        cr_expect(inside, "%s is not one of the Data values", sift_fld_name((sift_fld)f));
    }
}

Test(fields, field_names_are_stable)
{
    cr_expect_str_eq(sift_fld_name(SIFT_FLD_APP_NAME), "application");
    cr_expect_str_eq(sift_fld_name(SIFT_FLD_APP_VERSION), "application_version");
    cr_expect_str_eq(sift_fld_name(SIFT_FLD_MODULE_NAME), "module");
    cr_expect_str_eq(sift_fld_name(SIFT_FLD_MODULE_VERSION), "module_version");
    cr_expect_str_eq(sift_fld_name(SIFT_FLD_EXCEPTION_CODE), "exception_code");
    cr_expect_str_eq(sift_fld_name(SIFT_FLD_UPTIME), "uptime_s");
    cr_expect_str_eq(sift_fld_name(SIFT_FLD_COUNT), "unknown");
    cr_expect_str_eq(sift_fld_name((sift_fld)-1), "unknown");
}

Test(fields, application_error_1000_reads_positional_data)
{
    sift_data d[15];
    for (size_t i = 0; i < 15; i++)
        d[i] = (sift_data){ { NULL, 0 }, z(crash_data[i]) };
    sift_event ev = event_of("Application Error", 1000, d, 15);
    sift_event_resolve(&ev);
    expect_fld(&ev, SIFT_FLD_APP_NAME, "svchost.exe_TSGateway");
    expect_fld(&ev, SIFT_FLD_APP_VERSION, "10.0.20348.2322");
    expect_fld(&ev, SIFT_FLD_MODULE_NAME, "aaedge.dll");
    expect_fld(&ev, SIFT_FLD_MODULE_VERSION, "10.0.20348.2582");
    expect_fld(&ev, SIFT_FLD_EXCEPTION_CODE, "c0000005");
    expect_fld(&ev, SIFT_FLD_UPTIME, NULL);
    expect_slices_of_data(&ev);
}

Test(fields, application_error_1000_reads_named_data_in_any_order)
{
    sift_data d[15];
    for (size_t i = 0; i < 15; i++) /* reversed: names, not places, decide */
        d[14 - i] = (sift_data){ z(crash_names[i]), z(crash_data[i]) };
    sift_event ev = event_of("Application Error", 1000, d, 15);
    sift_event_resolve(&ev);
    expect_fld(&ev, SIFT_FLD_APP_NAME, "svchost.exe_TSGateway");
    expect_fld(&ev, SIFT_FLD_MODULE_NAME, "aaedge.dll");
    expect_fld(&ev, SIFT_FLD_EXCEPTION_CODE, "c0000005");
    expect_fld(&ev, SIFT_FLD_APP_VERSION, "10.0.20348.2322");
    expect_slices_of_data(&ev);
}

Test(fields, winlogbeat_param_names_are_one_based_positions)
{
    sift_data d[15];
    char names[15][12];
    for (size_t i = 0; i < 15; i++) {
        snprintf(names[i], sizeof names[i], "param%zu", i + 1);
        d[i] = (sift_data){ z(names[i]), z(crash_data[i]) };
    }
    sift_event ev = event_of("application error", 1000, d, 15);
    sift_event_resolve(&ev);
    expect_fld(&ev, SIFT_FLD_APP_NAME, "svchost.exe_TSGateway");
    expect_fld(&ev, SIFT_FLD_MODULE_NAME, "aaedge.dll");
    expect_fld(&ev, SIFT_FLD_EXCEPTION_CODE, "c0000005");
}

Test(fields, positions_count_unnamed_data_only)
{
    sift_data d[] = {
        { z("Binary"), z("00ff") }, { { NULL, 0 }, z("svchost.exe_TSGateway") }, { { NULL, 0 }, z("1.0") },
        { { NULL, 0 }, z("x") },    { { NULL, 0 }, z("ntdll.dll") },             { { NULL, 0 }, z("2.0") },
        { { NULL, 0 }, z("y") },    { z("Other"), z("z") },                      { { NULL, 0 }, z("0xc0000005") },
    };
    sift_event ev = event_of("Application Error", 1000, d, sizeof d / sizeof d[0]);
    sift_event_resolve(&ev);
    expect_fld(&ev, SIFT_FLD_APP_NAME, "svchost.exe_TSGateway");
    expect_fld(&ev, SIFT_FLD_MODULE_NAME, "ntdll.dll");
    expect_fld(&ev, SIFT_FLD_EXCEPTION_CODE, "0xc0000005");
}

Test(fields, too_few_data_leave_the_later_fields_empty)
{
    sift_data d[] = { { { NULL, 0 }, z("svchost.exe_TSGateway") }, { { NULL, 0 }, z("1.0") } };
    sift_event ev = event_of("Application Error", 1000, d, 2);
    sift_event_resolve(&ev);
    expect_fld(&ev, SIFT_FLD_APP_NAME, "svchost.exe_TSGateway");
    expect_fld(&ev, SIFT_FLD_MODULE_NAME, NULL);
    expect_fld(&ev, SIFT_FLD_EXCEPTION_CODE, NULL);
}

Test(fields, eventlog_6013_reads_data_4_or_param5)
{
    sift_data d[7] = {
        { { NULL, 0 }, z("") }, { { NULL, 0 }, z("") }, { { NULL, 0 }, z("") }, { { NULL, 0 }, z("") },
        { { NULL, 0 }, z("42953114") }, { { NULL, 0 }, z("60") }, { { NULL, 0 }, z("-540 Tokyo Standard Time") },
    };
    sift_event ev = event_of("EventLog", 6013, d, 7);
    sift_event_resolve(&ev);
    expect_fld(&ev, SIFT_FLD_UPTIME, "42953114");
    expect_fld(&ev, SIFT_FLD_APP_NAME, NULL);
    sift_data n[] = { { z("param1"), z("1") }, { z("PARAM5"), z("123456") } };
    ev = event_of("eventlog", 6013, n, 2);
    sift_event_resolve(&ev);
    expect_fld(&ev, SIFT_FLD_UPTIME, "123456");
}

Test(fields, fields_the_format_filled_are_kept)
{
    sift_data d[15];
    for (size_t i = 0; i < 15; i++)
        d[i] = (sift_data){ { NULL, 0 }, z(crash_data[i]) };
    sift_event ev = event_of("Application Error", 1000, d, 15);
    ev.fld[SIFT_FLD_APP_NAME] = SIFT_LIT("from the message");
    ev.fld[SIFT_FLD_EXCEPTION_CODE] = SIFT_LIT("0xc0000005");
    sift_event_resolve(&ev);
    expect_fld(&ev, SIFT_FLD_APP_NAME, "from the message");
    expect_fld(&ev, SIFT_FLD_EXCEPTION_CODE, "0xc0000005");
    expect_fld(&ev, SIFT_FLD_MODULE_NAME, "aaedge.dll");
}

Test(fields, other_providers_ids_and_events_without_an_id_are_untouched)
{
    sift_data d[15];
    for (size_t i = 0; i < 15; i++)
        d[i] = (sift_data){ z(crash_names[i]), z(crash_data[i]) };
    static const struct {
        const char *provider;
        uint16_t id;
        unsigned have;
    } cases[] = {
        { "Application Hang", 1000, SIFT_EV_ID },
        { "Windows Error Reporting", 1001, SIFT_EV_ID },
        { "Application Error", 1001, SIFT_EV_ID },
        { "Application Error", 1000, 0 },
        { "EventLog", 1000, SIFT_EV_ID },
        { "", 1000, SIFT_EV_ID },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sift_event ev = event_of(cases[i].provider, cases[i].id, d, 15);
        ev.have = cases[i].have;
        sift_event_resolve(&ev);
        for (unsigned f = 0; f < SIFT_FLD_COUNT; f++)
            cr_expect_eq(ev.fld[f].len, 0, "\"%s\" %u: %s set", cases[i].provider, cases[i].id,
                         sift_fld_name((sift_fld)f));
    }
    sift_event none = event_of("Application Error", 1000, NULL, 0);
    sift_event_resolve(&none);
    for (unsigned f = 0; f < SIFT_FLD_COUNT; f++)
        cr_expect_eq(none.fld[f].len, 0);
}

/* ---- the OS 6013 states ---------------------------------------------------------- */

static size_t utf16(const char *const *s, size_t n, uint8_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        for (const char *c = s[i]; *c; c++) {
            out[k++] = (uint8_t)*c;
            out[k++] = 0;
        }
        out[k++] = 0;
        out[k++] = 0;
    }
    return k;
}

Test(fields, event_6013_states_the_os_product_and_version)
{
    static const struct {
        const char *version;
        uint16_t major, minor;
        uint32_t build;
    } cases[] = {
        { "6.1.7601 Service Pack 1 Build 7601", 6, 1, 7601 },
        { "10.0.20348 Build 20348", 10, 0, 20348 },
        { "6.3", 6, 3, 0 },      /* no build */
        { "Build 7601", 0, 0, 0 }, /* no version: unknown, not guessed */
        { "", 0, 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *strings[] = { "1.1", "0", "Windows Server (R) 2008 Enterprise", cases[i].version, "Free" };
        uint8_t bin[512];
        size_t n = utf16(strings, 5, bin);
        sift_event ev;
        memset(&ev, 0, sizeof ev);
        ev.have = SIFT_EV_ID;
        ev.id = 6013;
        ev.provider = SIFT_LIT("EventLog");
        ev.computer = SIFT_LIT("SQL01");
        ev.binary = sift_slice_make(bin, n);
        sift_host_fact f;
        char buf[128];
        cr_assert_eq(sift_event_os_fact(&ev, &f, buf, sizeof buf), 1, "case %zu", i);
        cr_expect(sift_slice_eq(f.os_name, SIFT_LIT("Windows Server (R) 2008 Enterprise")));
        cr_expect_eq(f.major, cases[i].major, "%s", cases[i].version);
        cr_expect_eq(f.minor, cases[i].minor, "%s", cases[i].version);
        cr_expect_eq(f.build, cases[i].build, "%s", cases[i].version);
        cr_expect(sift_slice_eq(f.host, SIFT_LIT("SQL01")));
        /* Every cut of the Binary stays inside it (run under ASan). */
        for (size_t cut = 0; cut < n; cut++) {
            uint8_t *p = malloc(cut ? cut : 1);
            cr_assert_not_null(p);
            memcpy(p, bin, cut);
            ev.binary = sift_slice_make(p, cut);
            (void)sift_event_os_fact(&ev, &f, buf, sizeof buf);
            free(p);
        }
    }
    sift_event other;
    memset(&other, 0, sizeof other);
    other.have = SIFT_EV_ID;
    other.id = 6005;
    other.provider = SIFT_LIT("EventLog");
    other.binary = SIFT_LIT("1\0\0\0");
    sift_host_fact f;
    char buf[64];
    cr_expect_eq(sift_event_os_fact(&other, &f, buf, sizeof buf), 0, "only 6013 states the OS");
}

Test(fields, wer_1001_reads_its_problem_signature_positional_or_named)
{
    /* Bucket, type, event name, response, cab id, then P1..P10 (A.3). */
    static const char *const wer[] = { "1234", "5", "BEX64", "Not available", "0", "svchost.exe_TSGateway",
                                       "10.0.20348.2582", "6a8f2f5d", "aaedge.dll", "10.0.20348.2582", "1b2c3d4e",
                                       "000000000001a2b3", "c0000005", "", "" };
    sift_data d[15];
    for (size_t i = 0; i < 15; i++)
        d[i] = (sift_data){ { NULL, 0 }, z(wer[i]) };
    sift_event ev = event_of("Windows Error Reporting", 1001, d, 15);
    sift_event_resolve(&ev);
    expect_fld(&ev, SIFT_FLD_APP_NAME, "svchost.exe_TSGateway");
    expect_fld(&ev, SIFT_FLD_APP_VERSION, "10.0.20348.2582");
    expect_fld(&ev, SIFT_FLD_MODULE_NAME, "aaedge.dll");
    expect_fld(&ev, SIFT_FLD_MODULE_VERSION, "10.0.20348.2582");
    expect_fld(&ev, SIFT_FLD_EXCEPTION_CODE, "c0000005");
    expect_fld(&ev, SIFT_FLD_SERVICE, NULL);
    expect_slices_of_data(&ev);
    sift_data named[] = { { z("P8"), z("c0000005") }, { z("P1"), z("svchost.exe_TSGateway") } };
    ev = event_of("windows error reporting", 1001, named, 2);
    sift_event_resolve(&ev);
    expect_fld(&ev, SIFT_FLD_APP_NAME, "svchost.exe_TSGateway");
    expect_fld(&ev, SIFT_FLD_EXCEPTION_CODE, "c0000005");
    sift_data beats[] = { { z("param13"), z("c0000005") }, { z("param6"), z("svchost.exe_TSGateway") } };
    ev = event_of("Windows Error Reporting", 1001, beats, 2);
    sift_event_resolve(&ev);
    expect_fld(&ev, SIFT_FLD_APP_NAME, "svchost.exe_TSGateway");
    expect_fld(&ev, SIFT_FLD_EXCEPTION_CODE, "c0000005");
}

Test(fields, scm_7031_and_7034_name_their_service_in_data_0_or_param1)
{
    sift_data d[] = { { { NULL, 0 }, z("Remote Desktop Gateway") }, { { NULL, 0 }, z("1") } };
    static const uint16_t ids[] = { 7031, 7034 };
    for (size_t i = 0; i < 2; i++) {
        sift_event ev = event_of("Service Control Manager", ids[i], d, 2);
        sift_event_resolve(&ev);
        expect_fld(&ev, SIFT_FLD_SERVICE, "Remote Desktop Gateway");
        expect_fld(&ev, SIFT_FLD_APP_NAME, NULL);
    }
    sift_data named[] = { { z("param2"), z("3") }, { z("param1"), z("TSGateway") } };
    sift_event ev = event_of("Service Control Manager", 7034, named, 2);
    sift_event_resolve(&ev);
    expect_fld(&ev, SIFT_FLD_SERVICE, "TSGateway");
    ev = event_of("Service Control Manager", 7036, d, 2);
    sift_event_resolve(&ev);
    expect_fld(&ev, SIFT_FLD_SERVICE, NULL);
    cr_expect_str_eq(sift_fld_name(SIFT_FLD_SERVICE), "service");
}
