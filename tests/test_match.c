/* test_match.c - the Hyperscan layer: the pattern set derived from the
 * registry and the rules, compiled, serialized, embedded and scanned. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "sift_db.h"
#include "sift_match.h"
#include "sift_patset.h"
#include "sift_scan.h"


static sift_patset registry_patset(void)
{
    size_t n;
    const sift_format *const *f = sift_registry(&n);
    sift_patset ps;
    cr_assert_eq(sift_patset_build(f, n, &ps), SIFT_OK);
    return ps;
}

/* ---- the database built into logsift ------------------------------------------------ */

/* All hits of m over data, as "end:pattern" text, for comparing matchers. */
static char *hits_of(const sift_matcher *m, const char *data, size_t len)
{
    sift_hitscan *h = sift_hitscan_create(m, SIFT_SCAN_HIT_CAP);
    cr_assert_not_null(h);
    const sift_hit *hits;
    size_t n;
    cr_assert_eq(sift_hitscan_run(h, (const uint8_t *)data, len, &hits, &n), SIFT_OK);
    sbuf out = { 0 };
    for (size_t i = 0; i < n; i++)
        sb_printf(&out, "%u:%u ", hits[i].end, hits[i].pat);
    sb_add(&out, "", 1);
    sift_hitscan_free(h);
    return out.p;
}

Test(matcher, a_serialized_database_scans_like_the_compiled_one)
{
    sift_patset ps = registry_patset();
    char msg[256];
    sift_matcher *compiled = NULL;
    cr_assert_eq(sift_matcher_create(ps.pats, ps.n, &compiled, msg, sizeof msg), SIFT_OK, "%s",
                 msg);
    uint8_t *bytes = NULL;
    size_t len = 0;
    cr_assert_eq(sift_matcher_serialize(compiled, ps.pats, ps.n, &bytes, &len), SIFT_OK);
    sift_matcher *loaded = NULL;
    cr_assert_eq(sift_matcher_load(bytes, len, ps.pats, ps.n, &loaded), SIFT_OK);
    static const char sample[] =
        "Log Name:      Application\nSource:        Application Error\nEvent ID:      1000\n"
        "Description:\nFaulting application name: svchost.exe_TSGateway, version: 10.0\n"
        "Event[0]:\n  Event ID: 6013\nActive Connections\n  Proto  Local Address  Foreign Address  State  PID\n"
        "  TCP    10.0.0.1:50000  10.0.0.2:445  TIME_WAIT  0\ntcp 0 0 1.2.3.4:1 5.6.7.8:2 TIME_WAIT\n"
        "Hostname: FS01\n2024-10-02T12:00:00Z\nWed Oct  2 12:00:00 UTC 2024\n10/02/2024 12:00:00.00\n"
        "State  Recv-Q Send-Q\nTIME-WAIT 0 0 1.1.1.1:1 2.2.2.2:2\n";
    sbuf b = { 0 };
    sb_add(&b, sample, sizeof sample - 1);
    char *want = hits_of(compiled, b.p, b.n);
    char *got = hits_of(loaded, b.p, b.n);
    cr_expect(strlen(want) > 30, "the sample should hit many patterns: %s", want);
    cr_expect_str_eq(got, want);
    free(want);
    free(got);
    sift_matcher_free(loaded);
    sift_matcher_free(compiled);
    sift_patset_free(&ps);
    free(bytes);
    free(b.p);
}

Test(matcher, a_database_for_another_table_or_damaged_is_refused)
{
    sift_patset ps = registry_patset();
    char msg[256];
    sift_matcher *m = NULL;
    cr_assert_eq(sift_matcher_create(ps.pats, ps.n, &m, msg, sizeof msg), SIFT_OK, "%s", msg);
    uint8_t *bytes = NULL;
    size_t len = 0;
    cr_assert_eq(sift_matcher_serialize(m, ps.pats, ps.n, &bytes, &len), SIFT_OK);
    sift_matcher *x = (sift_matcher *)&x;
    /* One pattern fewer, or one pattern's flags changed: another table. */
    cr_expect_eq(sift_matcher_load(bytes, len, ps.pats, ps.n - 1, &x), SIFT_ERR_MATCHER);
    cr_expect_null(x);
    sift_pattern *pats = malloc(ps.n * sizeof *pats);
    cr_assert_not_null(pats);
    memcpy(pats, ps.pats, ps.n * sizeof *pats);
    pats[0].flags ^= 1u;
    cr_expect_eq(sift_matcher_load(bytes, len, pats, ps.n, &x), SIFT_ERR_MATCHER);
    /* A damaged fingerprint, or nothing after it. */
    bytes[3] ^= 0x40;
    cr_expect_eq(sift_matcher_load(bytes, len, ps.pats, ps.n, &x), SIFT_ERR_MATCHER);
    bytes[3] ^= 0x40;
    cr_expect_eq(sift_matcher_load(bytes, 8, ps.pats, ps.n, &x), SIFT_ERR_MATCHER);
    cr_expect_eq(sift_matcher_load(bytes, 0, ps.pats, ps.n, &x), SIFT_ERR_MATCHER);
    cr_expect_null(x);
    free(pats);
    free(bytes);
    sift_matcher_free(m);
    sift_patset_free(&ps);
}

/* The build embeds the database for the CPU it ran on, which is this one. */
Test(matcher, the_embedded_database_loads)
{
    sift_patset ps = registry_patset();
    cr_assert_gt(sift_db_blob_size, 8, "the build should have embedded a database");
    sift_matcher *m = NULL;
    cr_expect_eq(sift_matcher_load(sift_db_blob, sift_db_blob_size, ps.pats, ps.n, &m), SIFT_OK);
    sift_matcher_free(m);
    sift_patset_free(&ps);
}

/* A literal's lead is the byte length the scanner steps back over to check
 * what precedes the match; a wrong one silently drops every hit of it. So
 * each literal (a one-byte class allowed), spelled out from its Hyperscan
 * escapes, must be lead bytes long and must hit itself where the scanner
 * expects it. */
Test(matcher, every_literal_is_as_long_as_its_lead_and_hits_itself)
{
    sift_patset ps = registry_patset();
    char msg[256];
    sift_matcher *m = NULL;
    cr_assert_eq(sift_matcher_create(ps.pats, ps.n, &m, msg, sizeof msg), SIFT_OK, "%s", msg);
    sift_hitscan *h = sift_hitscan_create(m, SIFT_SCAN_HIT_CAP);
    cr_assert_not_null(h);
    size_t literals = 0;
    for (size_t i = 0; i < ps.n; i++) {
        const sift_pattern *p = &ps.pats[i];
        if (!p->lead)
            continue;
        literals++;
        char line[128] = "  ";
        size_t n = (p->lead & SIFT_LEAD_COL0) ? 0 : 2;
        for (const char *r = p->regex; *r; r++) {
            cr_assert_lt(n, sizeof line - 2);
            if (r[0] == '\\' && r[1] == 'x') {
                unsigned v;
                cr_assert_eq(sscanf(r + 2, "%2x", &v), 1, "pattern %zu: %s", i, p->regex);
                line[n++] = (char)v;
                r += 3;
            } else if (r[0] == '\\') {
                line[n++] = *++r;
            } else if (r[0] == '[') { /* a one-byte class: its first member */
                line[n++] = r[1];
                r = strchr(r, ']');
                cr_assert_not_null(r, "pattern %zu: %s", i, p->regex);
            } else {
                cr_assert_null(strchr(".[]()*+?{}|^$", *r), "pattern %zu is not a literal: %s", i, p->regex);
                line[n++] = *r;
            }
        }
        size_t start = (p->lead & SIFT_LEAD_COL0) ? 0 : 2;
        cr_expect_eq(n - start, (size_t)(p->lead & ~SIFT_LEAD_COL0), "pattern %zu (%s): lead %u, length %zu", i,
                     p->regex, p->lead & ~SIFT_LEAD_COL0, n - start);
        line[n++] = '\n';
        const sift_hit *hits;
        size_t nh;
        cr_assert_eq(sift_hitscan_run(h, (const uint8_t *)line, n, &hits, &nh), SIFT_OK);
        int found = 0;
        for (size_t k = 0; k < nh; k++)
            found |= hits[k].pat == i && hits[k].end == n - 1;
        cr_expect(found, "pattern %zu (%s) does not hit its own text", i, p->regex);
    }
    cr_expect_gt(literals, 2);
    sift_hitscan_free(h);
    sift_matcher_free(m);
    sift_patset_free(&ps);
}

/* Hyperscan's fastest literal matcher takes at most 8 literals; one more
 * cost about 60 % more instructions per byte on the bench dump. Patterns
 * that need a byte >= 0x80 live in a database of their own, which ASCII
 * blocks skip. A new pattern that breaks this should say why it is worth it. */
Test(matcher, the_ascii_prefilter_stays_within_eight_literals)
{
    sift_patset ps = registry_patset();
    size_t ascii = 0, wide = 0, side = 0;
    for (size_t i = 0; i < ps.n; i++) {
        const char *r = ps.pats[i].regex;
        if (ps.pats[i].flags & SIFT_PAT_SIDE) {
            /* Not in the database: the matcher searches at most 4 of them,
             * each of 2 bytes or more; another would never match. */
            cr_expect_geq(strlen(r), 2, "side literal %s", r);
            side++;
            continue;
        }
        int high = (unsigned char)r[0] >= 0x80 || (r[0] == '\\' && r[1] == 'x' && strchr("89abcdefABCDEF", r[2]));
        if (high)
            wide++;
        else
            ascii++;
    }
    cr_expect_leq(ascii, 8, "%zu ASCII patterns", ascii);
    cr_expect_leq(wide, 8, "%zu non-ASCII patterns", wide);
    cr_expect_leq(side, 4, "%zu side literals", side);
    sift_patset_free(&ps);
}

/* ---- side literals armed by a header ------------------------------------------------ */

/* A table of its own: "ROW" rows count only after a header line holding
 * "Columns", found by its "Head" literal. */
static const sift_pattern armed_pats[] = {
    { "Head", 0, SIFT_ROLE_TABLE_HEADER, 0, { 0 } },
    { "other", 0, SIFT_ROLE_TRIGGER, 0, { 0 } },
    { "ROW", SIFT_PAT_SIDE, SIFT_ROLE_TABLE_ROW, 0, { "Head", "Columns" } },
};

/* The ends of pattern pat's hits in the blocks scanned in turn with one
 * stream's arms, as text; cut: block boundaries in data (line ends). */
static char *armed_hits(const sift_matcher *m, const char *data, const size_t *cut, size_t n_cut, unsigned pat)
{
    sift_hitscan *h = sift_hitscan_create(m, 64);
    cr_assert_not_null(h);
    sift_arms arms = 0;
    sbuf out = { 0 };
    size_t len = strlen(data), from = 0;
    for (size_t k = 0; k <= n_cut; k++) {
        size_t to = k < n_cut ? cut[k] : len;
        const sift_hit *hits;
        size_t n;
        cr_assert_eq(sift_hitscan_run_some(h, SIFT_MATCH_ALL, &arms, (const uint8_t *)data + from, to - from, &hits, &n),
                     SIFT_OK);
        for (size_t i = 0; i < n; i++)
            if (hits[i].pat == pat)
                sb_printf(&out, "%zu ", from + hits[i].end);
        from = to;
    }
    sb_add(&out, "", 1);
    sift_hitscan_free(h);
    return out.p;
}

Test(matcher, an_armed_side_literal_hits_only_after_its_header_line_in_a_stream)
{
    sift_matcher *m = NULL;
    char msg[256];
    cr_assert_eq(sift_matcher_create(armed_pats, 3, &m, msg, sizeof msg), SIFT_OK, "%s", msg);
    /* ROW before any header, a "Head" line without "Columns", then the
     * header: only the rows after it hit, in this block and the next. */
    static const char data[] = "ROW 1\nHead alone ROW\nROW 2\nHead Columns\nROW 3\nother\nROW 4\n";
    const size_t row3 = strstr(data, "ROW 3") - data + 3, row4 = strstr(data, "ROW 4") - data + 3;
    char want[64];
    snprintf(want, sizeof want, "%zu %zu ", row3, row4);
    char *whole = armed_hits(m, data, NULL, 0, 2);
    cr_expect_str_eq(whole, want);
    /* The same at every cut between lines: the stream's arms carry over. */
    for (size_t i = 1; i < sizeof data - 1; i++) {
        if (data[i - 1] != '\n')
            continue;
        char *split = armed_hits(m, data, &i, 1, 2);
        cr_expect_str_eq(split, want, "cut at %zu", i);
        free(split);
    }
    free(whole);
    /* Without a stream (sift_hitscan_run) every side literal is searched. */
    char *all = hits_of(m, data, sizeof data - 1);
    cr_expect(strstr(all, ":2 ") != NULL && strncmp(all, "3:2 ", 4) == 0, "%s", all);
    free(all);
    sift_matcher_free(m);
}

Test(matcher, a_block_split_after_too_many_hits_arms_as_if_scanned_whole)
{
    sift_matcher *m = NULL;
    cr_assert_eq(sift_matcher_create(armed_pats, 3, &m, NULL, 0), SIFT_OK);
    /* Two hits fit: the block overflows, is refused, and nothing arms. */
    sift_hitscan *h = sift_hitscan_create(m, 2);
    cr_assert_not_null(h);
    static const char data[] = "other\nother\nHead Columns\nROW\n";
    sift_arms arms = 0;
    const sift_hit *hits;
    size_t n;
    cr_expect_eq(sift_hitscan_run_some(h, SIFT_MATCH_ALL, &arms, (const uint8_t *)data, sizeof data - 1, &hits, &n),
                 SIFT_ERR_LIMIT);
    cr_expect_eq(arms, 0u);
    /* Its first half does not see ROW armed from its second. */
    static const char first[] = "ROW\nother\n";
    cr_expect_eq(sift_hitscan_run_some(h, SIFT_MATCH_ALL, &arms, (const uint8_t *)first, sizeof first - 1, &hits, &n),
                 SIFT_OK);
    cr_expect_eq(n, 1u);
    cr_expect_eq(hits[0].pat, 1u);
    sift_hitscan_free(h);
    sift_matcher_free(m);
}

Test(matcher, a_side_literal_armed_by_no_pattern_of_its_table_is_refused)
{
    static const sift_pattern bad[] = {
        { "Head", 0, SIFT_ROLE_TABLE_HEADER, 0, { 0 } },
        { "ROW", SIFT_PAT_SIDE, SIFT_ROLE_TABLE_ROW, 0, { "Missing", "Columns" } },
    };
    sift_matcher *m = NULL;
    char msg[256] = "";
    cr_expect_eq(sift_matcher_create(bad, 2, &m, msg, sizeof msg), SIFT_ERR_MATCHER);
    cr_expect_null(m);
    cr_expect(strstr(msg, "Missing") != NULL, "%s", msg);
}
