/* test_evsave.c - sift_evsave: the framing, fields and day/month decision both
 * Event Viewer saves share, checked with the tab and the comma alike.
 * Inputs are written with '|' where the delimiter goes. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evsave_cases.h"
#include "sift_evsave.h"
#include "sift_evsave_csv.h"
#include "sift_evsave_txt.h"

/* ---- the two instances under test ------------------------------------------ */

/* The module with a tab and with a comma is what the two registered formats
 * are: their ops are sift_evsave's hooks behind an init and a sniff that
 * give the delimiter. */
static const char delims[] = { '\t', ',' };
#define NKINDS 2
#define OPS(k) ((k) == 0 ? sift_evsave_txt_format.stream : sift_evsave_csv_format.stream)

static sh_run run_as(size_t kind, const char *text, size_t chunk, size_t batch)
{
    size_t n;
    char *t = with_delim(text, delims[kind], &n);
    sh_run r = sh_frame(OPS(kind), t, n, chunk, batch, 1);
    free(t);
    return r;
}


/* ---- sniff ---------------------------------------------------------------------- */

Test(evsave, sniff_takes_the_headers_event_viewer_writes)
{
    static const char *const yes[] = {
        "Level|Date and Time|Source|Event ID|Task Category\r\nInformation|",
        "Level|Date and Time|Source|Event ID|Task Category\n",
        "Level|Date and Time|Source|Event ID|Task Category",
        "レベル|日付と時刻|ソース|イベント ID|タスクのカテゴリ\r\n",
        "Keywords|Date and Time|Source|Event ID|Task Category\r\n",
        "キーワード|日付と時刻|ソース|イベント ID|タスクのカテゴリ\n",
        "\"Level\"|\"Date and Time\"|\"Source\"|\"Event ID\"|\"Task Category\"\r\n",
        "LEVEL|date and time|Source|Event Id|task category\n",
        "Level|Date and Time|Source|Event ID|Task Category|Description\n",
        "Level|Date and Time|Source|Event ID|Task Category|\n",
        "Level|Date and Time|Source|Event ID|Task Category|Message\r\n",
        "レベル|日付と時刻|ソース|イベント ID|タスクのカテゴリ|説明\n",
    };
    static const char *const no[] = {
        "", "Level", "Level|Date and Time|Source|Event ID\n",
        "Level|Date and Time|Source|Event ID|Task Category|Description|Extra\n",
        "\nLevel|Date and Time|Source|Event ID|Task Category\n",
        "\xef\xbb\xbfLevel|Date and Time|Source|Event ID|Task Category\n",
        "Level|Date and Time|Source|EventID|Task Category\n", "Log Name:      Application\r\nSource: x\r\n",
        "Level|Date and Time|Source|Event ID|Task Category|Description|\n",
        "\"Level|Date and Time|Source|Event ID|Task Category\n",
    };
    for (size_t k = 0; k < NKINDS; k++) {
        for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
            size_t n;
            char *t = with_delim(yes[i], delims[k], &n);
            guard_buf g = guard_copy(t, n);
            cr_expect(OPS(k)->sniff(sift_slice_make(g.ptr, g.len)), "kind %zu: \"%s\"", k, yes[i]);
            /* The other delimiter's header is not this format's. */
            cr_expect_not(OPS(1 - k)->sniff(sift_slice_make(g.ptr, g.len)), "kind %zu: \"%s\"", k, yes[i]);
            guard_free(&g);
            free(t);
        }
        for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
            size_t n;
            char *t = with_delim(no[i], delims[k], &n);
            guard_buf g = guard_copy(t, n);
            cr_expect_not(OPS(k)->sniff(sift_slice_make(g.ptr, g.len)), "kind %zu: \"%s\"", k, no[i]);
            guard_free(&g);
            free(t);
        }
    }
}

/* ---- framing -------------------------------------------------------------------- */

Test(evsave, frames_records_with_offsets_lines_and_cheap_fields)
{
    for (size_t k = 0; k < NKINDS; k++) {
        sh_run r = run_as(k, file_en, 0, 16);
        cr_assert_eq(r.errors, 0);
        cr_assert_eq(r.records, 2);
        const size_t header = strlen(HEADER_EN), crash = strlen(CRASH_EN);
        cr_expect_eq(r.it[0].offset, header);
        cr_expect_eq(r.it[0].line, 2);
        cr_expect_eq(r.it[0].len, crash - 2, "the record excludes its CRLF");
        cr_expect_eq(r.it[0].id, 1000);
        cr_expect(r.it[0].has_id);
        cr_expect_str_eq(r.it[0].provider, "Application Error");
        cr_expect_eq(r.it[1].offset, header + crash);
        cr_expect_eq(r.it[1].line, 9, "the crash spans lines 2 to 8");
        cr_expect_eq(r.it[1].id, 6013);
        cr_expect_str_eq(r.it[1].provider, "EventLog");
        sh_free(&r);
    }
}

Test(evsave, blank_lines_are_skipped_and_counted)
{
    static const char text[] = "\r\n\n" HEADER_EN "\n   \r\n" UPTIME_EN "\r\n\n" UPTIME_EN "\n";
    for (size_t k = 0; k < NKINDS; k++) {
        sh_run r = run_as(k, text, 0, 16);
        cr_assert_eq(r.errors, 0);
        cr_assert_eq(r.records, 2);
        cr_expect_eq(r.it[0].line, 6);
        cr_expect_eq(r.it[1].line, 9);
        sh_free(&r);
    }
}

Test(evsave, lf_and_a_last_line_without_a_line_end)
{
    static const char text[] = "Level|Date and Time|Source|Event ID|Task Category\n"
                               "Information|7/1/2025 5:00:00 PM|EventLog|6013|None|The system uptime is 5 seconds.\n"
                               "Information|7/1/2025 5:00:01 PM|EventLog|6013|None|\"The system uptime is 6 seconds.\"";
    for (size_t k = 0; k < NKINDS; k++) {
        sh_run r = run_as(k, text, 0, 16);
        cr_assert_eq(r.errors, 0);
        cr_assert_eq(r.records, 2);
        cr_expect_str_eq(r.it[0].fld[SIFT_FLD_UPTIME], "5");
        cr_expect_str_eq(r.it[1].fld[SIFT_FLD_UPTIME], "6");
        cr_expect_str_eq(r.it[1].message, "The system uptime is 6 seconds.");
        cr_expect_eq(r.it[1].line, 3);
        sh_free(&r);
    }
}

Test(evsave, quoted_fields_hold_delimiters_doubled_quotes_and_line_ends)
{
    static const char text[] = HEADER_EN
        "\"Warning\"|\"7/1/2025 5:00:00 PM\"|\"Service|Control Manager\"|\"7036\"|\"None\"|"
        "\"The \"\"Foo|Bar\"\" service\r\nentered the \"\"stopped\"\" state.\"\r\n";
    for (size_t k = 0; k < NKINDS; k++) {
        size_t n;
        char *t = with_delim(text, delims[k], &n);
        sh_run r = sh_frame(OPS(k), t, n, 0, 16, 1);
        cr_assert_eq(r.errors, 0);
        cr_assert_eq(r.records, 1);
        cr_expect_eq(r.it[0].id, 7036);
        char want[64];
        snprintf(want, sizeof want, "Service%cControl Manager", delims[k]);
        cr_expect_str_eq(r.it[0].provider, want);
        cr_expect_eq(r.it[0].level, SIFT_LEVEL_WARNING);
        cr_expect(r.it[0].have & SIFT_EV_MSG_QUOTED);
        snprintf(want, sizeof want, "The \"\"Foo%cBar\"\" service\r\nentered the \"\"stopped\"\" state.",
                 delims[k]);
        cr_expect_str_eq(r.it[0].message, want);
        cr_expect_str_eq(r.it[0].time_text, "7/1/2025 5:00:00 PM");
        sh_free(&r);
        free(t);
    }
}

Test(evsave, a_quote_inside_an_unquoted_field_is_an_ordinary_byte)
{
    static const char text[] = HEADER_EN "Information|7/1/2025 5:00:00 PM|Foo|1|None|The \"x\" service\r\n";
    for (size_t k = 0; k < NKINDS; k++) {
        sh_run r = run_as(k, text, 0, 16);
        cr_assert_eq(r.errors, 0);
        cr_assert_eq(r.records, 1);
        cr_expect_str_eq(r.it[0].message, "The \"x\" service");
        cr_expect_not(r.it[0].have & SIFT_EV_MSG_QUOTED);
        sh_free(&r);
    }
}

/* ---- decode ---------------------------------------------------------------------- */


Test(evsave, decode_refuses_what_is_not_one_record)
{
    static const char *const bad[] = {
        "", "a|b|c|d|e", "a|b|c|d|e|f|g", "a|b|c|1|e|f\nx", "a|b|c|65536|e|f", "a|b|c||e|f", "a|b|c|1|e|\"f",
        "a|b|c|1|e|\"f\"x",
    };
    static const sift_status want[] = {
        SIFT_ERR_SYNTAX, SIFT_ERR_SYNTAX, SIFT_ERR_SYNTAX, SIFT_ERR_SYNTAX,
        SIFT_ERR_NUMBER, SIFT_ERR_NUMBER, SIFT_ERR_SYNTAX, SIFT_ERR_SYNTAX,
    };
    for (size_t k = 0; k < NKINDS; k++) {
        sift_evsave s;
        OPS(k)->init(&s);
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            size_t n;
            char *t = with_delim(bad[i], delims[k], &n);
            guard_buf g = guard_copy(t, n);
            const sift_rec rec = { sift_slice_make(g.ptr, g.len), 500, 7, 0, { NULL, 0 }, 0, 0, 0 };
            sift_event ev;
            sift_error err = { SIFT_OK, 0, NULL };
            const sift_status st = sift_evsave_decode(&s, &rec, &ev, &err);
            cr_expect_eq(st, want[i], "\"%s\": %d", bad[i], st);
            cr_expect_eq(err.offset, want[i] == SIFT_ERR_NUMBER ? 500 + 6 : 500, "\"%s\"", bad[i]);
            cr_expect_eq(ev.have, 0);
            guard_free(&g);
            free(t);
        }
    }
}

/* ---- hostile input ---------------------------------------------------------------- */

ParameterizedTestParameters(evsave, hostile_inputs_are_reported_at_their_offsets)
{
    static size_t idx[NHOSTILES * NKINDS];
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, sizeof idx / sizeof idx[0]);
}

ParameterizedTest(size_t *ip, evsave, hostile_inputs_are_reported_at_their_offsets)
{
    evsave_check_hostile(OPS(*ip % NKINDS), delims[*ip % NKINDS], &hostiles[*ip / NKINDS]);
}

Test(evsave, the_last_good_record_keeps_its_line_after_damage)
{
    /* "quote never closed mid-stream": the damaged record starts on line 2,
     * the next on line 3 (its description runs to line 4), GOOD on line 5. */
    for (size_t k = 0; k < NKINDS; k++) {
        size_t n;
        char *t = hostile_text(&hostiles[7], delims[k], &n);
        sh_run r = sh_frame(OPS(k), t, n, 0, 16, 1);
        cr_assert_eq(r.n, 3);
        cr_expect_eq(r.it[1].line, 3);
        cr_expect_eq(r.it[1].id, 2);
        cr_expect_eq(r.it[2].line, 5);
        sh_free(&r);
        free(t);
    }
}

Test(evsave, a_first_line_that_is_no_header_is_reported_and_records_still_read)
{
    static const char text[] = "Level|When|Source|Event ID|Task Category\r\n" GOOD GOOD;
    for (size_t k = 0; k < NKINDS; k++) {
        sh_run r = run_as(k, text, 0, 16);
        cr_assert_eq(r.n, 3);
        cr_expect(r.it[0].is_error);
        cr_expect_eq(r.it[0].code, SIFT_ERR_SYNTAX);
        cr_expect_eq(r.it[0].offset, 0);
        cr_expect_eq(r.records, 2);
        cr_expect_eq(r.it[1].line, 2);
        sh_free(&r);
    }
}

Test(evsave, header_only_and_empty_inputs_give_nothing)
{
    static const char *const texts[] = { "", "\r\n", HEADER_EN, HEADER_EN "\r\n\r\n",
                                         "Level|Date and Time|Source|Event ID|Task Category" };
    for (size_t k = 0; k < NKINDS; k++)
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
            sh_run r = run_as(k, texts[i], 0, 16);
            cr_expect_eq(r.n, 0, "\"%s\"", texts[i]);
            cr_expect_eq(r.describe[0], '\0');
            cr_expect_not(r.settled);
            sh_free(&r);
        }
}


Test(evsave, a_record_that_fills_the_limit_exactly_fits)
{
    static const char head[] = "Information,x,EventLog,1,None,\"";
    for (size_t over = 0; over <= 1; over++)
        for (int crlf = 0; crlf <= 1; crlf++) {
            /* head + fill + quote + line end == limit (+ over) */
            const size_t le = crlf ? 2 : 1;
            const size_t fill = SIFT_STREAM_MAX_RECORD + over - (sizeof head - 1) - 1 - le;
            size_t n;
            char *t = long_text(head, 'x', fill, crlf ? "\"\r\n" : "\"\n", ',', &n);
            sh_run r = sh_frame(OPS(1), t, n, 4096, 16, 1);
            cr_assert_eq(r.n, 2, "over %zu crlf %d", over, crlf);
            cr_expect_eq(r.it[0].is_error, (int)over, "over %zu crlf %d", over, crlf);
            cr_expect_not(r.it[1].is_error);
            sh_free(&r);
            free(t);
        }
}

/* ---- the day/month decision --------------------------------------------------------- */

typedef struct order_case {
    const char *dates[5]; /* one record per date, in order */
    const char *describe;
    int settled;
    size_t guessed; /* decoded one record per call, as a slow stream does */
    int64_t first;  /* final time of the first record */
} order_case;

static const order_case order_cases[] = {
    { { "01/07/2025 17:53:27", "02/07/2025 08:00:00", "13/07/2025 17:53:27" },
      "dates day-first (decided at line 4: 13/07/2025)", 1, 2, INT64_C(1751392407) },
    { { "7/1/2025 5:53:27 PM", "7/13/2025 5:53:27 PM", "7/2/2025 5:53:27 PM" },
      "dates month-first (decided at line 3: 7/13/2025)", 1, 1, INT64_C(1751392407) },
    { { "7/1/2025 5:53:27 PM", "7/2/2025 5:53:27 PM" }, "dates month-first (default; no unambiguous date)", 0, 2,
      INT64_C(1751392407) },
    { { "01/07/2025 17:53:27", "02/07/2025 17:53:27" }, "dates day-first (default; no unambiguous date)", 0, 2,
      INT64_C(1751392407) },
    { { "01-07-2025 17:53:27", "13-07-2025 17:53:27" }, "dates day-first (decided at line 3: 13-07-2025)", 1, 1,
      INT64_C(1751392407) },
    { { "01.07.2025 17:53:27" }, "dates day-first (default; no unambiguous date)", 0, 1, INT64_C(1751392407) },
    /* the default is not the order: a month-first file with a 24-hour clock */
    { { "07/01/2025 17:53:27", "07/13/2025 17:53:27" }, "dates month-first (decided at line 3: 07/13/2025)", 1, 1,
      INT64_C(1751392407) },
    { { "13/07/2025 17:53:27", "7/13/2025 5:53:27 PM", "01/07/2025 17:53:27", "7/14/2025 5:53:27 PM" },
      "dates day-first (decided at line 2: 13/07/2025); 2 read only month-first, the first at line 3", 1, 0,
      INT64_C(1752429207) },
    { { "01/01/2025 00:00:00" }, "dates day-first (default; no unambiguous date)", 0, 0, INT64_C(1735689600) },
    { { "2025/07/01 17:53:27", "2025-07-01T17:53:27" }, "dates year-first (no day/month order to decide)", 0, 0,
      INT64_C(1751392407) },
    { { "yesterday", "13/13/2025" }, "", 0, 0, 0 },
};

ParameterizedTestParameters(evsave, dates_decide_the_order_once_per_file)
{
    static size_t idx[sizeof order_cases / sizeof order_cases[0]];
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, sizeof idx / sizeof idx[0]);
}

ParameterizedTest(size_t *ip, evsave, dates_decide_the_order_once_per_file)
{
    const order_case *oc = &order_cases[*ip];
    char text[1024];
    size_t n = (size_t)snprintf(text, sizeof text, "%s", HEADER_EN);
    size_t dates = 0;
    for (; dates < 5 && oc->dates[dates]; dates++)
        n += (size_t)snprintf(text + n, sizeof text - n, "Information|%s|EventLog|6013|None|up %zu\r\n",
                              oc->dates[dates], dates);
    for (size_t k = 0; k < NKINDS; k++) {
        /* chunk 1: each record is framed, then decoded, before the next */
        sh_run r = run_as(k, text, 1, 1);
        cr_assert_eq(r.records, dates);
        cr_expect_str_eq(r.describe, oc->describe);
        cr_expect_eq(r.settled, oc->settled);
        cr_expect_eq(r.guessed, oc->guessed, "case %zu: %zu guessed", *ip, r.guessed);
        cr_expect_eq(r.it[0].time.valid, oc->first != 0);
        cr_expect_eq(r.it[0].time.secs, oc->first, "case %zu: %lld", *ip, (long long)r.it[0].time.secs);
        /* Framed all at once, the decision comes before any decode. */
        sh_run w = run_as(k, text, 0, 64);
        cr_expect_eq(w.guessed, oc->settled ? 0 : oc->guessed);
        sh_expect_same(&r, &w, "whole vs byte by byte");
        sh_free(&w);
        sh_free(&r);
    }
}

Test(evsave, retime_reads_in_the_decided_order_and_describe_truncates)
{
    sift_evsave s;
    OPS(1)->init(&s);
    sift_when w;
    const sift_slice amb = SIFT_LIT("01/07/2025 17:53:27");
    cr_assert(sift_evsave_retime(&s, amb, &w));
    cr_expect_eq(w.secs, INT64_C(1751392407), "no evidence: the shape's default, day first");
    cr_expect_not(sift_evsave_settled(&s));
    char buf[64];
    cr_expect_eq(sift_evsave_describe(&s, buf, sizeof buf), 0);
    cr_expect_eq(buf[0], '\0');

    static const char text[] = "Level,Date and Time,Source,Event ID,Task Category\n"
                               "Information,7/13/2025 5:53:27 PM,EventLog,6013,None,x\n";
    sift_in in = { (const uint8_t *)text, sizeof text - 1, 0 };
    sift_rec rec[2];
    sift_recs out = { rec, 2, 0 };
    sift_error err;
    cr_assert_eq(sift_evsave_next(&s, &in, 0, &out, &err), SIFT_NEED_MORE);
    cr_assert_eq(out.n, 1);
    cr_assert(sift_evsave_settled(&s));
    cr_assert(sift_evsave_retime(&s, amb, &w));
    cr_expect_eq(w.secs, INT64_C(1736272407), "month first once decided");
    cr_expect_not(sift_evsave_retime(&s, SIFT_LIT("13/07/2025 17:53:27 PM"), &w));
    cr_expect_eq(w.valid, 0);
    cr_assert(sift_evsave_retime(&s, SIFT_LIT("13/07/2025 17:53:27"), &w), "one reading only: that one");

    const size_t full = sift_evsave_describe(&s, buf, sizeof buf);
    cr_expect_str_eq(buf, "dates month-first (decided at line 2: 7/13/2025)");
    cr_expect_eq(full, strlen(buf));
    cr_expect_eq(sift_evsave_describe(&s, buf, 6), 5);
    cr_expect_str_eq(buf, "dates");
    cr_expect_eq(sift_evsave_describe(&s, buf, 0), 0);
}


Test(evsave, hostile_long_lines_with_either_delimiter)
{
    for (size_t k = 0; k < NKINDS; k++)
        evsave_check_long_lines(OPS(k), delims[k]);
}

Test(evsave, decode_gives_the_canonical_fields_in_english_and_japanese)
{
    for (size_t k = 0; k < NKINDS; k++)
        evsave_check_samples(OPS(k), delims[k]);
}

Test(evsave, every_prefix_and_every_chunking_give_the_same_records)
{
    for (size_t k = 0; k < NKINDS; k++)
        evsave_check_chunking(OPS(k), delims[k]);
}
