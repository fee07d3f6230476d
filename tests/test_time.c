/* test_time.c - sift_time_parse and sift_time_format against independently computed instants. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "sift_time.h"

/* Expected seconds below come from Python's calendar.timegm on the civil
 * fields, minus the offset; never from this implementation. */
#define T_2024_07_23_NOON INT64_C(1721736000)
#define T_2024_07_23_MIDNIGHT INT64_C(1721692800)
#define T_2025_07_01_1753 INT64_C(1751392407)
#define T_2025_01_07_1753 INT64_C(1736272407)
#define T_2025_07_13_1753 INT64_C(1752429207)
#define T_2025_07_01_MIDNIGHT INT64_C(1751328000)
#define T_2025_01_07_MIDNIGHT INT64_C(1736208000)

/* Parses exactly len bytes placed flush against an unreadable page. */
static sift_status parse_guarded(const void *text, size_t len, sift_when *w)
{
    guard_buf g = guard_copy(text, len);
    const sift_status st = sift_time_parse(sift_slice_make(g.ptr, g.len), w);
    guard_free(&g);
    return st;
}

static sift_status parse_str(const char *text, sift_when *w)
{
    return parse_guarded(text, strlen(text), w);
}

/* ---- valid inputs ------------------------------------------------------- */

struct valid_case {
    char in[48];
    int64_t secs;
    uint32_t nsec;
    uint8_t utc;
};

ParameterizedTestParameters(time_parse, accepts_every_documented_form)
{
    static struct valid_case cases[] = {
        /* Event Viewer text exports, en-US, Azure and Japanese variants */
        { "7/23/2024 10:31:07 AM", 1721730667, 0, 0 },
        { "6/2/2023, 5:30:02 PM", 1685727002, 0, 0 },
        { "2024/07/23 10:31:07", 1721730667, 0, 0 },
        /* wevtutil */
        { "2024-07-23T12:00:00.5120000Z", T_2024_07_23_NOON, 512000000, 1 },
        { "2024-07-23T12:00:00.5120000", T_2024_07_23_NOON, 512000000, 0 },
        /* ISO 8601 as netstat dump scripts write it */
        { "2024-07-23T12:00:00Z", T_2024_07_23_NOON, 0, 1 },
        { "2024-07-23 12:00:00+09:00", 1721703600, 0, 1 },
        { "2024-07-23T12:00:00.123456789+0200", 1721728800, 123456789, 1 },
        { "2024-07-23T12:00:00", T_2024_07_23_NOON, 0, 0 },
        { "2024-07-23T12:00-05:00", 1721754000, 0, 1 },
        { "2024-07-23T00:00:00-00:30", 1721694600, 0, 1 },
        { "2024-07-23 12:00:00 +09", 1721703600, 0, 1 },
        { "2024-07-23 12:00:00 UTC", T_2024_07_23_NOON, 0, 1 },
        { "2024-07-23t12:00:00z", T_2024_07_23_NOON, 0, 1 },
        { "2024-07-23T12:00:00,5Z", T_2024_07_23_NOON, 500000000, 1 },
        { "2024-07-23T12:00:00.000000001Z", T_2024_07_23_NOON, 1, 1 },
        { "2024-07-23T12:00:00.1234567899Z", T_2024_07_23_NOON, 123456789, 1 },
        /* date(1) */
        { "Tue Jul 23 12:00:00 UTC 2024", T_2024_07_23_NOON, 0, 1 },
        { "Tue Jul  2 12:00:00 PDT 2024", 1719921600, 0, 0 },
        { "Tue Jul 23 12:00:00 2024", T_2024_07_23_NOON, 0, 0 },
        { "Mon Jan  1 00:00:00 GMT 2024", 1704067200, 0, 1 },
        { "Tue Jul 23 12:00:00 +0900 2024", 1721703600, 0, 1 },
        { "Tue Jul 23 12:00:00 -03 2024", 1721746800, 0, 1 },
        { "Tue Jul 23 12:30:00 AM UTC 2024", 1721694600, 0, 1 },
        { "Tue Jul 23 1:00:00 PM CEST 2024", 1721739600, 0, 0 },
        { "tue jul 23 12:00:00 utc 2024", T_2024_07_23_NOON, 0, 1 },
        { "Jul 23 12:00:00 2024", T_2024_07_23_NOON, 0, 0 },
        /* %DATE% %TIME%, en-US, with and without weekday, space-padded hour */
        { "Tue 07/23/2024 12:00:00.00", T_2024_07_23_NOON, 0, 0 },
        { "07/23/2024 12:00:00.00", T_2024_07_23_NOON, 0, 0 },
        { "Tue 07/23/2024  9:05:03.12", 1721725503, 120000000, 0 },
        { "Tue, 07/23/2024 12:00", T_2024_07_23_NOON, 0, 0 },
        /* %DATE% %TIME%, ja-JP */
        { "2024/07/23 12:00:00.00", T_2024_07_23_NOON, 0, 0 },
        { "2024/07/23  9:05:03.12", 1721725503, 120000000, 0 },
        { "2024/7/3 1:02:03", 1719968523, 0, 0 },
        /* date only: what `date /t` prints, and ISO */
        { "Tue 07/23/2024", T_2024_07_23_MIDNIGHT, 0, 0 },
        { "2024/07/23", T_2024_07_23_MIDNIGHT, 0, 0 },
        { "2024-07-23", T_2024_07_23_MIDNIGHT, 0, 0 },
        { "1/1/1970", 0, 0, 0 },
        /* the 12-hour clock */
        { "12/31/2024 12:00:00 AM", 1735603200, 0, 0 },
        { "1/1/2024 12:59:59 AM", 1704070799, 0, 0 },
        { "1/1/2024 12:00:00 PM", 1704110400, 0, 0 },
        { "7/23/2024 10:31:07am", 1721730667, 0, 0 },
        /* day first only when the first field cannot be a month */
        { "23/07/2024 10:31:07", 1721730667, 0, 0 },
        { "13/12/2024", 1734048000, 0, 0 },
        /* dashes and dots separate year-last dates too (nl-NL, de-DE) */
        { "13-07-2025 17:53:27", T_2025_07_13_1753, 0, 0 },
        { "13.07.2025 17:53:27", T_2025_07_13_1753, 0, 0 },
        { "01-07-2025 17:53:27", T_2025_01_07_1753, 0, 0 },
        { "1.7.2025", T_2025_01_07_MIDNIGHT, 0, 0 },
        { "7-13-2025 5:53:27 PM", T_2025_07_13_1753, 0, 0 },
        /* calendar edges */
        { "2/29/2024", 1709164800, 0, 0 },
        { "2000-02-29T00:00:00Z", 951782400, 0, 1 },
        { "2400-02-29", INT64_C(13574563200), 0, 0 },
        { "2100-03-01", INT64_C(4107542400), 0, 0 },
        { "2016-12-31T23:59:59Z", 1483228799, 0, 1 },
        { "1970-01-01T00:00:00Z", 0, 0, 1 },
        { "1970-01-01T09:00:00+09:00", 0, 0, 1 },
        { "9999-12-31T23:59:59Z", INT64_C(253402300799), 0, 1 },
        { "12/31/9999 11:59:59 PM", INT64_C(253402300799), 0, 0 },
        /* surrounding blanks, CR and LF are ignored */
        { "  2024-07-23T12:00:00Z \r\n", T_2024_07_23_NOON, 0, 1 },
        { "\t7/23/2024 10:31:07 AM\r", 1721730667, 0, 0 },
    };
    return cr_make_param_array(struct valid_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct valid_case *tc, time_parse, accepts_every_documented_form)
{
    sift_when w;
    cr_assert_eq(parse_str(tc->in, &w), SIFT_OK, "input \"%s\"", tc->in);
    cr_expect_eq(w.valid, 1, "input \"%s\"", tc->in);
    cr_expect_eq(w.secs, tc->secs, "input \"%s\": secs %lld, want %lld", tc->in, (long long)w.secs,
                 (long long)tc->secs);
    cr_expect_eq(w.nsec, tc->nsec, "input \"%s\": nsec %u, want %u", tc->in, w.nsec, tc->nsec);
    cr_expect_eq(w.utc, tc->utc, "input \"%s\": utc %u", tc->in, w.utc);
}

/* ---- invalid inputs ----------------------------------------------------- */

struct invalid_case {
    char in[48];
};

ParameterizedTestParameters(time_parse, rejects_malformed_and_impossible)
{
    static struct invalid_case cases[] = {
        { "" }, { "   " }, { "\r\n" },
        /* impossible dates */
        { "2024-02-30" }, { "2023-02-29" }, { "2100-02-29" }, { "2/29/2023" }, { "2024-13-01" },
        { "2024-00-10" }, { "2024-07-00" }, { "2024-07-32" }, { "2024-04-31" }, { "13/13/2024" },
        { "0/1/2024" }, { "1/0/2024" }, { "32/12/2024" }, { "2024/13/01" }, { "2024/02/30" },
        /* years outside 1970..9999, including through an offset */
        { "1969-12-31" }, { "1900-01-01" }, { "0000-01-01" }, { "10000-01-01" }, { "1/1/1969" },
        { "1970-01-01T00:00:00+01:00" }, { "9999-12-31T23:00:00-05:00" }, { "1969-12-31T23:30:00-01:00" },
        { "Wed Dec 31 23:30:00 -0100 1969" },
        /* clock out of range */
        { "2024-07-23T24:00:00" }, { "2024-07-23T12:60:00" }, { "2024-07-23T12:00:60" },
        { "2024-07-23T23:59:60Z" }, { "7/23/2024 24:00" }, { "7/23/2024 13:00:00 PM" },
        { "7/23/2024 0:30 AM" }, { "7/23/2024 12:61 PM" },
        /* bad offsets and zones */
        { "2024-07-23T12:00:00+24:00" }, { "2024-07-23T12:00:00+09:60" }, { "2024-07-23T12:00:00+9" },
        { "2024-07-23T12:00:00+090" }, { "2024-07-23T12:00:00+09:0" }, { "2024-07-23T12:00:00+" },
        { "2024-07-23T12:00:00 JST" }, { "2024-07-23T12:00:00ZZ" }, { "2024-07-23Z" },
        { "Tue Jul 23 12:00:00 U2C 2024" }, { "Tue Jul 23 12:00:00 +25 2024" },
        /* trailing text */
        { "2024-07-23T12:00:00Z junk" }, { "07/23/2024 12:00:00.00 x" }, { "7/23/2024 10:31:07 AMX" },
        { "7/23/2024 10:31:07 XM" }, { "2024-07-23 x" }, { "Tue Jul 23 12:00:00 UTC 2024 2024" },
        { "2024-07-23T12:00:00Z," }, { "7/23/2024 10:31:07 AM x" }, { "7/23/2024 10:31 PM PM" },
        { "2024/07/23 10:31:07 AM," },
        /* year-last dates: one separator, used twice */
        { "01/07-2025" }, { "01-07/2025" }, { "01..07.2025" }, { "01.07.2025." }, { "01-07-25" },
        { "01 07 2025" }, { "01_07_2025" }, { "2025.07.01" }, { "01.07.2025T17:53:27" },
        /* malformed fields */
        { "2024-7-23" }, { "2024-07-3" }, { "2024-07-23T1:00:00" }, { "2024-07-23T12:00:00." },
        { "2024-07-23T12" }, { "2024-07-23T" }, { "2024-07-23T12:0" }, { "2024-07-23T12:00:0" },
        { "07/23/24" }, { "07/23/20240" }, { "123/1/2024" }, { "2024/07/23T12:00:00" },
        { "2024-07-23 12:00:00 PM" }, { "2024/07/23,12:00:00," }, { "7/23/2024,,10:31" },
        { "12:00:00" }, { "2024" }, { "Tue" }, { "Tue " }, { "Tue,2024-07-23" },
        { "Tue 2024-07-23" }, { "Tue 2024/07/23" }, { "Tuesday 07/23/2024" }, { "Tue07/23/2024" },
        { "Foo Jul 23 12:00:00 2024" }, { "Tue Jux 23 12:00:00 2024" }, { "Tue July 23 12:00:00 2024" },
        { "Tue Jul 23 12:00:00 UTC" }, { "Tue Jul 23 12:00:00 UTC 24" }, { "Tue Jul 23 12:00:00UTC 2024" },
        { "Tue Jul 23 12:00 UTC 2024x" }, { "Tue Jul 23 12:00:00 ABCDEFG 2024" }, { "Tue Jul 23 12:00:00 PM2024" }, { "-2024-07-23" },
        { "+2024-07-23" }, { "2024--07-23" }, { "2024-07-23TT12:00:00" }, { "7/23/2024 10:31:07 A M" },
        /* full-width digits (UTF-8) are not ASCII digits */
        { "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94-07-23" },
    };
    return cr_make_param_array(struct invalid_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct invalid_case *tc, time_parse, rejects_malformed_and_impossible)
{
    sift_when w;
    memset(&w, 0xAA, sizeof w);
    cr_assert_eq(parse_str(tc->in, &w), SIFT_ERR_SYNTAX, "input \"%s\" accepted as %lld", tc->in,
                 (long long)w.secs);
    cr_expect_eq(w.valid, 0, "input \"%s\": out not cleared", tc->in);
    cr_expect_eq(w.secs, 0);
}

Test(time_parse, rejects_embedded_nul_and_empty_slice)
{
    static const char with_nul[] = "2024-07-23\0 12:00:00";
    sift_when w;
    cr_expect_eq(parse_guarded(with_nul, sizeof with_nul - 1, &w), SIFT_ERR_SYNTAX);
    cr_expect_eq(sift_time_parse((sift_slice){ NULL, 0 }, &w), SIFT_ERR_SYNTAX);
    cr_expect_eq(w.valid, 0);
    cr_expect_eq(parse_guarded("", 0, &w), SIFT_ERR_SYNTAX);
}

Test(time_parse, reads_only_the_slice)
{
    /* The bytes after len would complete the time; they must not be seen. */
    static const char text[] = "2024-07-23T12:00:00Z";
    sift_when w;
    cr_assert_eq(sift_time_parse(sift_slice_make(text, 19), &w), SIFT_OK);
    cr_expect_eq(w.utc, 0);
    cr_assert_eq(sift_time_parse(sift_slice_make(text, 10), &w), SIFT_OK);
    cr_expect_eq(w.secs, T_2024_07_23_MIDNIGHT);
}

/* ---- every prefix -------------------------------------------------------- */

static const char *const prefix_inputs[] = {
    "7/23/2024 10:31:07 AM",
    "6/2/2023, 5:30:02 PM",
    "2024/07/23 10:31:07",
    "2024-07-23T12:00:00.5120000Z",
    "2024-07-23 12:00:00+09:00",
    "2024-07-23T12:00:00.123456789+0200",
    "Tue Jul 23 12:00:00 UTC 2024",
    "Tue Jul  2 12:00:00 PDT 2024",
    "Tue Jul 23 12:00:00 2024",
    "Tue 07/23/2024 12:00:00.00",
    "07/23/2024 12:00:00.00",
    "Tue 07/23/2024  9:05:03.12",
    "2024/07/23 12:00:00.00",
    "2024/07/23  9:05:03.12",
    "Tue Jul 23 12:30:00 AM UTC 2024",
    "01-07-2025 17:53:27",
    "13.07.2025 17:53:27",
};

Test(time_parse, every_prefix_parses_safely)
{
    for (size_t k = 0; k < sizeof prefix_inputs / sizeof prefix_inputs[0]; k++) {
        const char *in = prefix_inputs[k];
        const size_t n = strlen(in);
        for (size_t i = 0; i <= n; i++) {
            sift_when w;
            const sift_status st = parse_guarded(in, i, &w);
            cr_assert(st == SIFT_OK || st == SIFT_ERR_SYNTAX, "\"%.*s\"", (int)i, in);
            if (st == SIFT_OK) {
                cr_expect_eq(w.valid, 1);
                cr_expect(w.secs >= 0 && w.secs <= INT64_C(253402300799));
            } else {
                cr_expect_eq(w.valid, 0);
            }
        }
        cr_expect_eq(parse_guarded(in, n, &(sift_when){ 0 }), SIFT_OK, "whole of \"%s\"", in);
    }
}

/* The set of prefix lengths of in that parse must be exactly ok_lens. */
static void expect_ok_prefixes(const char *in, const size_t *ok_lens, size_t n_ok)
{
    const size_t n = strlen(in);
    size_t seen = 0;
    for (size_t i = 0; i <= n; i++) {
        sift_when w;
        const int ok = parse_guarded(in, i, &w) == SIFT_OK;
        int want = 0;
        for (size_t j = 0; j < n_ok; j++)
            want |= ok_lens[j] == i;
        cr_expect_eq(ok, want, "prefix \"%.*s\" (%zu bytes): got %s", (int)i, in, i, ok ? "OK" : "error");
        seen += (size_t)ok;
    }
    cr_expect_eq(seen, n_ok);
}

Test(time_parse, only_complete_prefixes_are_timestamps)
{
    /* "2024-07-23", "…T12:00", "…:00", "….5", "….51", "….512", "…Z" */
    static const size_t iso[] = { 10, 16, 19, 21, 22, 23, 24 };
    expect_ok_prefixes("2024-07-23T12:00:00.512Z", iso, sizeof iso / sizeof iso[0]);
    /* "7/23/2024", with a trailing blank, "… 10:31", "…:07", blank, "… AM" */
    static const size_t us[] = { 9, 10, 15, 18, 19, 21 };
    expect_ok_prefixes("7/23/2024 10:31:07 AM", us, sizeof us / sizeof us[0]);
    /* date(1) is complete only with its year */
    static const size_t unix_form[] = { 28 };
    expect_ok_prefixes("Tue Jul 23 12:00:00 UTC 2024", unix_form, 1);
    /* "Tue 07/23/2024", blank, "… 12:00", "…:00", "….0", "….00" */
    static const size_t wd[] = { 14, 15, 20, 23, 25, 26 };
    expect_ok_prefixes("Tue 07/23/2024 12:00:00.00", wd, sizeof wd / sizeof wd[0]);
    /* "… 12:00:00", "…+09", "…+09:00" */
    static const size_t off[] = { 10, 11, 16, 19, 22, 25 };
    expect_ok_prefixes("2024-07-23 12:00:00+09:00", off, sizeof off / sizeof off[0]);
}

/* ---- day/month order ------------------------------------------------------ */

struct order_case {
    char in[40];
    unsigned orders; /* given to sift_time_parse_order */
    sift_status st;
    int64_t secs;
};

ParameterizedTestParameters(time_order, reads_year_last_dates_in_the_given_order)
{
    static struct order_case cases[] = {
        /* ambiguous: the order given decides */
        { "01/07/2025 17:53:27", SIFT_DATE_DMY, SIFT_OK, T_2025_07_01_1753 },
        { "01/07/2025 17:53:27", SIFT_DATE_MDY, SIFT_OK, T_2025_01_07_1753 },
        { "01/07/2025 17:53:27", SIFT_DATE_MDY | SIFT_DATE_DMY, SIFT_OK, T_2025_01_07_1753 },
        { "01-07-2025 17:53:27", SIFT_DATE_DMY, SIFT_OK, T_2025_07_01_1753 },
        { "01.07.2025", SIFT_DATE_DMY, SIFT_OK, T_2025_07_01_MIDNIGHT },
        { "7/1/2025 5:53:27 PM", SIFT_DATE_MDY, SIFT_OK, T_2025_07_01_1753 },
        { "7/1/2025 5:53:27 PM", SIFT_DATE_DMY, SIFT_OK, T_2025_01_07_1753 },
        /* one order only: a date that does not fit it is refused */
        { "13/07/2025 17:53:27", SIFT_DATE_MDY, SIFT_ERR_SYNTAX, 0 },
        { "13/07/2025 17:53:27", SIFT_DATE_DMY, SIFT_OK, T_2025_07_13_1753 },
        { "7/13/2025 5:53:27 PM", SIFT_DATE_DMY, SIFT_ERR_SYNTAX, 0 },
        { "7/13/2025 5:53:27 PM", SIFT_DATE_MDY, SIFT_OK, T_2025_07_13_1753 },
        { "29.02.2024", SIFT_DATE_DMY, SIFT_OK, 1709164800 },
        { "02/29/2024", SIFT_DATE_DMY, SIFT_ERR_SYNTAX, 0 },
        /* no order: year-last dates are refused, the other forms stay */
        { "01/07/2025", 0, SIFT_ERR_SYNTAX, 0 },
        { "13.07.2025", 0, SIFT_ERR_SYNTAX, 0 },
        { "2025/07/01 17:53:27", 0, SIFT_OK, T_2025_07_01_1753 },
        { "2025-07-01T17:53:27", 0, SIFT_OK, T_2025_07_01_1753 },
        /* the order does not touch forms whose month is not in question */
        { "2025/07/01 17:53:27", SIFT_DATE_DMY, SIFT_OK, T_2025_07_01_1753 },
        { "2025/07/01 17:53:27", SIFT_DATE_MDY, SIFT_OK, T_2025_07_01_1753 },
        { "Tue Jul  1 17:53:27 2025", SIFT_DATE_DMY, SIFT_OK, T_2025_07_01_1753 },
        /* unknown bits are ignored */
        { "01/07/2025 17:53:27", SIFT_DATE_DMY | 0x80u, SIFT_OK, T_2025_07_01_1753 },
        { "01/07/2025 17:53:27", SIFT_DATE_FIXED, SIFT_ERR_SYNTAX, 0 },
    };
    return cr_make_param_array(struct order_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct order_case *tc, time_order, reads_year_last_dates_in_the_given_order)
{
    guard_buf g = guard_copy(tc->in, strlen(tc->in));
    sift_when w;
    const sift_status st = sift_time_parse_order(sift_slice_make(g.ptr, g.len), tc->orders, &w);
    cr_assert_eq(st, tc->st, "\"%s\" in orders %#x: status %d", tc->in, tc->orders, st);
    cr_expect_eq(w.valid, st == SIFT_OK);
    cr_expect_eq(w.secs, tc->secs, "\"%s\": secs %lld", tc->in, (long long)w.secs);
    guard_free(&g);
}

struct classify_case {
    char in[40];
    unsigned orders;        /* sift_time_orders */
    unsigned default_order; /* sift_time_default_order */
};

ParameterizedTestParameters(time_order, classifies_dates_and_names_a_default)
{
    static struct classify_case cases[] = {
        { "13/07/2025 17:53:27", SIFT_DATE_DMY, SIFT_DATE_DMY },
        { "7/13/2025 5:53:27 PM", SIFT_DATE_MDY, SIFT_DATE_MDY },
        { "01/07/2025 17:53:27", SIFT_DATE_MDY | SIFT_DATE_DMY, SIFT_DATE_DMY },
        { "7/1/2025 5:53:27 PM", SIFT_DATE_MDY | SIFT_DATE_DMY, SIFT_DATE_MDY },
        { "7/1/2025 5:53:27 pm", SIFT_DATE_MDY | SIFT_DATE_DMY, SIFT_DATE_MDY },
        { "01-07-2025 17:53:27", SIFT_DATE_MDY | SIFT_DATE_DMY, SIFT_DATE_DMY },
        { "01-07-2025 5:53:27 PM", SIFT_DATE_MDY | SIFT_DATE_DMY, SIFT_DATE_DMY },
        { "01.07.2025", SIFT_DATE_MDY | SIFT_DATE_DMY, SIFT_DATE_DMY },
        { "01/01/2025", SIFT_DATE_MDY | SIFT_DATE_DMY, SIFT_DATE_DMY },
        { "31.12.2025 23:59:59", SIFT_DATE_DMY, SIFT_DATE_DMY },
        { "12/31/2025 11:59:59 PM", SIFT_DATE_MDY, SIFT_DATE_MDY },
        { "02/29/2024", SIFT_DATE_MDY, SIFT_DATE_DMY },
        { "2025/07/01 17:53:27", SIFT_DATE_FIXED, 0 },
        { "2025-07-01T17:53:27Z", SIFT_DATE_FIXED, 0 },
        { "Tue Jul  1 17:53:27 2025", SIFT_DATE_FIXED, 0 },
        { "13/13/2025", 0, 0 },
        { "01/07/2025 17:53:27 PM", 0, 0 },
        { "", 0, 0 },
        { "junk", 0, 0 },
    };
    return cr_make_param_array(struct classify_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct classify_case *tc, time_order, classifies_dates_and_names_a_default)
{
    guard_buf g = guard_copy(tc->in, strlen(tc->in));
    const sift_slice s = sift_slice_make(g.ptr, g.len);
    cr_expect_eq(sift_time_orders(s), tc->orders, "\"%s\": orders %#x", tc->in, sift_time_orders(s));
    cr_expect_eq(sift_time_default_order(s), tc->default_order, "\"%s\"", tc->in);
    guard_free(&g);
}

/* The classifier says exactly which orders parse, and sift_time_parse is the
 * month-first reading when there is one. Checked on generated dates around
 * every day/month boundary, separator and clock. */
Test(time_order, the_classifier_agrees_with_the_parser)
{
    static const char *const clocks[] = { "", " 17:53:27", " 5:53:27 PM", " 12:00:00 AM", ", 9:05" };
    static const char seps[] = "/-.";
    char buf[48];
    unsigned seen[8] = { 0 };
    for (unsigned a = 0; a <= 32; a++)
        for (unsigned b = 0; b <= 32; b++)
            for (size_t k = 0; k < 3; k++)
                for (size_t c = 0; c < sizeof clocks / sizeof clocks[0]; c++) {
                    const int n = snprintf(buf, sizeof buf, "%02u%c%u%c2024%s", a, seps[k], b, seps[k], clocks[c]);
                    const sift_slice s = sift_slice_make(buf, (size_t)n);
                    sift_when m, d, both;
                    const unsigned o = sift_time_orders(s);
                    const int okm = sift_time_parse_order(s, SIFT_DATE_MDY, &m) == SIFT_OK;
                    const int okd = sift_time_parse_order(s, SIFT_DATE_DMY, &d) == SIFT_OK;
                    const int okb = sift_time_parse(s, &both) == SIFT_OK;
                    cr_assert_eq(!!(o & SIFT_DATE_MDY), okm, "%s", buf);
                    cr_assert_eq(!!(o & SIFT_DATE_DMY), okd, "%s", buf);
                    cr_assert_eq(okb, okm || okd, "%s", buf);
                    if (okb)
                        cr_assert_eq(both.secs, okm ? m.secs : d.secs, "%s", buf);
                    if (okm && okd && a == b)
                        cr_assert_eq(m.secs, d.secs, "%s", buf);
                    const unsigned def = sift_time_default_order(s);
                    cr_assert_eq(def != 0, okb, "%s", buf);
                    if (def)
                        cr_assert_eq(def, seps[k] == '/' && c >= 2 && c <= 3 ? SIFT_DATE_MDY : SIFT_DATE_DMY, "%s", buf);
                    seen[o & 7]++;
                }
    cr_expect(seen[SIFT_DATE_MDY] && seen[SIFT_DATE_DMY] && seen[SIFT_DATE_MDY | SIFT_DATE_DMY] && seen[0]);
}

/* ---- hostile inputs ----------------------------------------------------- */

static void expect_rejected_run(size_t len, const char *head, char fill, const char *tail)
{
    const size_t hl = strlen(head), tl = strlen(tail);
    char *buf = malloc(hl + len + tl);
    cr_assert_not_null(buf);
    memcpy(buf, head, hl);
    memset(buf + hl, fill, len);
    memcpy(buf + hl + len, tail, tl);
    sift_when w;
    cr_expect_eq(parse_guarded(buf, hl + len + tl, &w), SIFT_ERR_SYNTAX, "%s + %zu x '%c' + %s", head, len,
                 fill, tail);
    free(buf);
}

Test(time_parse, long_digit_runs_and_overflow_are_rejected)
{
    expect_rejected_run(100000, "", '9', "");
    expect_rejected_run(100000, "2024", '0', "-07-23");
    expect_rejected_run(100000, "1/1/", '2', "");
    expect_rejected_run(100000, "2024-07-23T12:00:00.1", '1', "Z junk");
    expect_rejected_run(100000, "", ' ', "x");
    expect_rejected_run(100000, "2024-07-23", ' ', "12:00:00 X");
    expect_rejected_run(20, "", '9', "-01-01");
    expect_rejected_run(1, "18446744073709551616", '6', "/1/2024");
    expect_rejected_run(1, "4294967296", '6', "-01-01T00:00:00Z");
    expect_rejected_run(1000, "Tue Jul 23 12:00:00 ", 'Q', " 2024x");
}

Test(time_parse, long_fraction_and_blank_runs_are_accepted)
{
    static const char head[] = "2024-07-23T12:00:00.";
    const size_t len = 100000;
    char *buf = malloc(sizeof head - 1 + len + 1);
    cr_assert_not_null(buf);
    memcpy(buf, head, sizeof head - 1);
    memset(buf + sizeof head - 1, '7', len);
    buf[sizeof head - 1 + len] = 'Z';
    sift_when w;
    cr_assert_eq(parse_guarded(buf, sizeof head - 1 + len + 1, &w), SIFT_OK);
    cr_expect_eq(w.secs, T_2024_07_23_NOON);
    cr_expect_eq(w.nsec, 777777777);
    cr_expect_eq(w.utc, 1);
    free(buf);

    /* blanks around the timestamp, and inside where the forms allow runs */
    char *wide = malloc(3 * len + 32);
    cr_assert_not_null(wide);
    size_t n = 0;
    memset(wide, ' ', len);
    n += len;
    memcpy(wide + n, "07/23/2024", 10);
    n += 10;
    memset(wide + n, ' ', len);
    n += len;
    memcpy(wide + n, "12:00:00", 8);
    n += 8;
    memset(wide + n, '\t', len);
    n += len;
    cr_assert_eq(parse_guarded(wide, n, &w), SIFT_OK);
    cr_expect_eq(w.secs, T_2024_07_23_NOON);
    free(wide);
}

/* xorshift64: a fixed sequence so a failure reproduces. */
static uint64_t next_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

Test(time_parse, random_bytes_never_crash_and_round_trip_when_accepted)
{
    /* Mostly timestamp alphabet, so some inputs get deep into the grammar. */
    static const char alphabet[] = "0123456789012345678901234567890123456789/-:.,+ TZAPMUTCJulTueGMT\t\r\n\x00\xff";
    uint64_t seed = 0x9E3779B97F4A7C15u;
    char buf[64];
    unsigned accepted = 0;
    for (int iter = 0; iter < 200000; iter++) {
        const size_t len = next_rand(&seed) % sizeof buf;
        const int raw = (iter % 4) == 0;
        for (size_t i = 0; i < len; i++) {
            const uint64_t r = next_rand(&seed);
            buf[i] = raw ? (char)(r & 0xFF) : alphabet[r % (sizeof alphabet - 1)];
        }
        sift_when w;
        const sift_status st = parse_guarded(buf, len, &w);
        cr_assert(st == SIFT_OK || st == SIFT_ERR_SYNTAX);
        if (st != SIFT_OK)
            continue;
        accepted++;
        char out[32];
        const size_t n = sift_time_format(w, out, sizeof out);
        sift_when again;
        cr_assert_eq(sift_time_parse(sift_slice_make(out, n), &again), SIFT_OK, "%s", out);
        cr_assert_eq(again.secs, w.secs, "%.*s -> %s", (int)len, buf, out);
        cr_assert_eq(again.utc, w.utc);
    }
    /* Also seed with mutations of real inputs so acceptance is exercised. */
    for (size_t k = 0; k < sizeof prefix_inputs / sizeof prefix_inputs[0]; k++) {
        const size_t n = strlen(prefix_inputs[k]);
        for (int iter = 0; iter < 2000; iter++) {
            memcpy(buf, prefix_inputs[k], n);
            buf[next_rand(&seed) % n] = alphabet[next_rand(&seed) % (sizeof alphabet - 1)];
            sift_when w;
            if (parse_guarded(buf, n, &w) != SIFT_OK)
                continue;
            accepted++;
            char out[32];
            const size_t len = sift_time_format(w, out, sizeof out);
            sift_when again;
            cr_assert_eq(sift_time_parse(sift_slice_make(out, len), &again), SIFT_OK, "%s", out);
            cr_assert_eq(again.secs, w.secs, "%.*s -> %s", (int)n, buf, out);
        }
    }
    cr_expect_gt(accepted, 1000, "the generator should reach valid timestamps");
}

/* ---- formatting and the calendar ---------------------------------------- */

struct format_case {
    int64_t secs;
    uint8_t utc;
    char want[32];
};

ParameterizedTestParameters(time_format, prints_iso_8601)
{
    static struct format_case cases[] = {
        { 0, 1, "1970-01-01T00:00:00Z" },
        { 0, 0, "1970-01-01T00:00:00" },
        { 1721736000, 1, "2024-07-23T12:00:00Z" },
        { 1721725503, 0, "2024-07-23T09:05:03" },
        { 951782400, 1, "2000-02-29T00:00:00Z" },
        { 951868799, 1, "2000-02-29T23:59:59Z" },
        { 4107542400, 0, "2100-03-01T00:00:00" },
        { 4107456000, 0, "2100-02-28T00:00:00" },
        { INT64_C(253402300799), 1, "9999-12-31T23:59:59Z" },
        { -1, 1, "1969-12-31T23:59:59Z" },
        { INT64_C(253402300800), 1, "10000-01-01T00:00:00Z" },
        { INT64_C(-62135596800), 1, "0001-01-01T00:00:00Z" },
    };
    return cr_make_param_array(struct format_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct format_case *tc, time_format, prints_iso_8601)
{
    char out[48];
    memset(out, 'x', sizeof out);
    const sift_when w = { tc->secs, 999999999, 1, tc->utc };
    const size_t n = sift_time_format(w, out, sizeof out);
    cr_expect_str_eq(out, tc->want);
    cr_expect_eq(n, strlen(tc->want));
}

Test(time_format, truncates_safely_when_cap_is_small)
{
    const sift_when w = { 1721736000, 0, 1, 1 };
    const char full[] = "2024-07-23T12:00:00Z";
    for (size_t cap = 1; cap <= sizeof full + 4; cap++) {
        char out[40];
        memset(out, 'x', sizeof out);
        const size_t n = sift_time_format(w, out, cap);
        const size_t want = cap - 1 < sizeof full - 1 ? cap - 1 : sizeof full - 1;
        cr_expect_eq(n, want, "cap %zu", cap);
        cr_expect_eq(out[n], '\0', "cap %zu", cap);
        cr_expect_eq(memcmp(out, full, n), 0, "cap %zu", cap);
        cr_expect_eq(out[cap], 'x', "cap %zu: wrote past cap", cap);
    }
    char one = 'x';
    cr_expect_eq(sift_time_format(w, &one, 0), 0);
    cr_expect_eq(one, 'x');
    cr_expect_eq(sift_time_format(w, NULL, 32), 0);
}

Test(time_format, invalid_time_is_the_empty_string)
{
    char out[32] = "junk";
    const sift_when w = { 1721736000, 0, 0, 1 };
    cr_expect_eq(sift_time_format(w, out, sizeof out), 0);
    cr_expect_str_eq(out, "");
}

Test(time_format, extreme_seconds_stay_in_bounds)
{
    const int64_t extremes[] = { INT64_MIN, INT64_MIN + 1, -86401, INT64_MAX, INT64_MAX - 86399 };
    for (size_t i = 0; i < sizeof extremes / sizeof extremes[0]; i++) {
        char out[48];
        const sift_when w = { extremes[i], 0, 1, 1 };
        const size_t n = sift_time_format(w, out, sizeof out);
        cr_expect_eq(n, strlen(out));
        cr_expect(n >= 20 && n < sizeof out);
        cr_expect_eq(out[n - 1], 'Z');
    }
}

Test(time_calendar, days_from_civil_matches_known_dates)
{
    /* From Python: (date(y, m, d) - date(1970, 1, 1)).days */
    cr_expect_eq(sift_days_from_civil(1970, 1, 1), 0);
    cr_expect_eq(sift_days_from_civil(1969, 12, 31), -1);
    cr_expect_eq(sift_days_from_civil(2000, 3, 1), 11017);
    cr_expect_eq(sift_days_from_civil(2024, 7, 23), 19927);
    cr_expect_eq(sift_days_from_civil(1600, 1, 1), -135140);
    cr_expect_eq(sift_days_from_civil(1, 1, 1), -719162);
    cr_expect_eq(sift_days_from_civil(9999, 12, 31), 2932896);
    cr_expect_eq(sift_days_from_civil(2100, 2, 28), 47540);
    cr_expect_eq(sift_days_from_civil(2100, 3, 1), 47541);
    /* out-of-range fields roll over instead of failing */
    cr_expect_eq(sift_days_from_civil(2100, 2, 29), 47541);
    cr_expect_eq(sift_days_from_civil(1969, 13, 1), 0);
    cr_expect_eq(sift_days_from_civil(1970, 0, 1), -31);
}

Test(time_calendar, every_day_from_1970_to_9999_round_trips)
{
    /* Consecutive days must be consecutive numbers, and each midnight must
     * format and parse back to itself: ties the two directions together. */
    int64_t expect = 0;
    char out[32];
    for (unsigned y = 1970; y <= 9999; y++) {
        for (unsigned m = 1; m <= 12; m++) {
            static const unsigned dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
            const unsigned leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            const unsigned n = dim[m - 1] + (m == 2 ? leap : 0);
            for (unsigned d = 1; d <= n; d++) {
                const int64_t days = sift_days_from_civil(y, m, d);
                if (days != expect)
                    cr_assert_fail("%u-%u-%u: %lld, want %lld", y, m, d, (long long)days, (long long)expect);
                expect++;
                const sift_when w = { days * 86400 + 86399, 0, 1, 0 };
                const size_t len = sift_time_format(w, out, sizeof out);
                sift_when back;
                if (sift_time_parse(sift_slice_make(out, len), &back) != SIFT_OK || back.secs != w.secs ||
                    back.utc != 0)
                    cr_assert_fail("%u-%u-%u: \"%s\" did not round-trip", y, m, d, out);
            }
            /* the day after the month's end must be refused */
            char bad[40];
            const int bl = snprintf(bad, sizeof bad, "%04u-%02u-%02u", y, m, n + 1);
            sift_when w;
            if (sift_time_parse(sift_slice_make(bad, (size_t)bl), &w) != SIFT_ERR_SYNTAX)
                cr_assert_fail("%s accepted", bad);
        }
    }
    cr_expect_eq(expect, 2932897);
}
