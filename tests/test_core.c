/* test_core.c - slices, the bounded cursor, number parsing and text encodings. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>

#include "guard.h"
#include "sift_cursor.h"
#include "sift_num.h"
#include "sift_slice.h"
#include "sift_text.h"

/* A guarded copy of a C string, as a slice that ends at the guard page. */
static sift_slice guarded(guard_buf *g, const char *text)
{
    *g = guard_copy(text, strlen(text));
    return sift_slice_make(g->ptr, g->len);
}

static int slice_is(sift_slice s, const char *text)
{
    return sift_slice_eq(s, sift_slice_make(text, strlen(text)));
}

/* ---- sift_slice.h -------------------------------------------------------- */

Test(slice, empty_slice_is_null_and_zero)
{
    const char x[] = "abc";
    const sift_slice e = sift_slice_make(x, 0);
    cr_expect_null(e.ptr);
    cr_expect_eq(e.len, 0);
    const sift_slice s = sift_slice_make(x, 3);
    cr_expect_eq((const void *)s.ptr, (const void *)x);
    cr_expect_eq(s.len, 3);
    cr_expect_eq(SIFT_LIT("abc").len, 3);
    cr_expect_eq(SIFT_LIT("").len, 0);
}

Test(slice, sub_clamps_to_the_slice)
{
    const sift_slice s = SIFT_LIT("hello world");
    cr_expect(slice_is(sift_slice_sub(s, 6, 5), "world"));
    cr_expect(slice_is(sift_slice_sub(s, 6, 500), "world"));
    cr_expect(slice_is(sift_slice_sub(s, 0, SIZE_MAX), "hello world"));
    cr_expect_eq(sift_slice_sub(s, 11, 1).len, 0);
    cr_expect_null(sift_slice_sub(s, 11, 1).ptr);
    cr_expect_eq(sift_slice_sub(s, SIZE_MAX, SIZE_MAX).len, 0);
    cr_expect_eq(sift_slice_sub(s, 3, 0).len, 0);
    cr_expect_eq(sift_slice_sub((sift_slice){ NULL, 0 }, 0, 5).len, 0);
}

Test(slice, equality_and_case_folding)
{
    cr_expect(sift_slice_eq(SIFT_LIT("abc"), SIFT_LIT("abc")));
    cr_expect(!sift_slice_eq(SIFT_LIT("abc"), SIFT_LIT("abd")));
    cr_expect(!sift_slice_eq(SIFT_LIT("abc"), SIFT_LIT("ab")));
    cr_expect(sift_slice_eq((sift_slice){ NULL, 0 }, SIFT_LIT("")));
    cr_expect(sift_slice_eq_nocase(SIFT_LIT("TcP"), SIFT_LIT("tcp")));
    cr_expect(!sift_slice_eq_nocase(SIFT_LIT("tcp"), SIFT_LIT("udp")));
    /* only ASCII letters fold: '@' (0x40) and '`' (0x60) differ by 32 too */
    cr_expect(!sift_slice_eq_nocase(SIFT_LIT("@"), SIFT_LIT("`")));
    cr_expect(!sift_slice_eq_nocase(SIFT_LIT("\xc3\x89"), SIFT_LIT("\xc3\xa9")));
    cr_expect(sift_slice_eq_nocase(SIFT_LIT("\xc3\x89"), SIFT_LIT("\xc3\x89")));
    cr_expect_eq(sift_ascii_lower('Z'), 'z');
    cr_expect_eq(sift_ascii_lower('['), '[');
    cr_expect_eq(sift_ascii_lower(0xC9), 0xC9);
}

Test(slice, prefixes)
{
    cr_expect(sift_slice_starts_with(SIFT_LIT("Event ID: 7"), SIFT_LIT("Event ID")));
    cr_expect(sift_slice_starts_with(SIFT_LIT("x"), SIFT_LIT("")));
    cr_expect(sift_slice_starts_with((sift_slice){ NULL, 0 }, SIFT_LIT("")));
    cr_expect(!sift_slice_starts_with(SIFT_LIT("Event"), SIFT_LIT("Event ID")));
    cr_expect(!sift_slice_starts_with(SIFT_LIT("event id"), SIFT_LIT("Event ID")));
    cr_expect(sift_slice_starts_with_nocase(SIFT_LIT("event id: 7"), SIFT_LIT("Event ID")));
    cr_expect(!sift_slice_starts_with_nocase(SIFT_LIT("even"), SIFT_LIT("Event")));
}

Test(slice, trim_removes_ascii_whitespace_only)
{
    cr_expect(slice_is(sift_slice_trim(SIFT_LIT(" \t\r\n\v\fab c \r\n")), "ab c"));
    cr_expect(slice_is(sift_slice_trim(SIFT_LIT("abc")), "abc"));
    cr_expect_eq(sift_slice_trim(SIFT_LIT(" \r\n\t ")).len, 0);
    cr_expect_null(sift_slice_trim(SIFT_LIT("   ")).ptr);
    /* NUL and no-break space (C2 A0) are not blanks */
    cr_expect_eq(sift_slice_trim(SIFT_LIT("\0a\0")).len, 3);
    cr_expect_eq(sift_slice_trim(SIFT_LIT("\xc2\xa0x")).len, 3);
    cr_expect(sift_is_space('\v') && !sift_is_space(0) && !sift_is_space(0xA0));
}

/* The empty slice {NULL, 0} must be accepted without NULL + 0 arithmetic,
 * which is undefined (clang's UBSan reports it). */
Test(slice, trim_accepts_the_empty_slice)
{
    const sift_slice t = sift_slice_trim((sift_slice){ NULL, 0 });
    cr_expect_eq(t.len, 0);
    cr_expect_null(t.ptr);
}

Test(slice, find_byte_and_substring)
{
    guard_buf g;
    const sift_slice s = guarded(&g, "TCP    0.0.0.0:135    LISTENING");
    cr_expect_eq(sift_slice_find_byte(s, ':'), 14);
    cr_expect_eq(sift_slice_find_byte(s, 'G'), s.len - 1);
    cr_expect_eq(sift_slice_find_byte(s, '#'), s.len);
    cr_expect_eq(sift_slice_find_byte((sift_slice){ NULL, 0 }, 'a'), 0);
    cr_expect_eq(sift_slice_find(s, SIFT_LIT("LISTENING")), 22);
    cr_expect_eq(sift_slice_find(s, SIFT_LIT("LISTENINGX")), s.len);
    cr_expect_eq(sift_slice_find(s, SIFT_LIT("")), 0);
    cr_expect_eq(sift_slice_find(s, SIFT_LIT("TCP")), 0);
    cr_expect_eq(sift_slice_find(SIFT_LIT("ab"), SIFT_LIT("abc")), 2);
    cr_expect_eq(sift_slice_find((sift_slice){ NULL, 0 }, SIFT_LIT("a")), 0);
    cr_expect_eq(sift_slice_find_nocase(s, SIFT_LIT("listening")), 22);
    cr_expect_eq(sift_slice_find_nocase(s, SIFT_LIT("Ning")), 27);
    cr_expect_eq(sift_slice_find_nocase(s, SIFT_LIT("tcp ")), 0);
    cr_expect_eq(sift_slice_find_nocase(s, SIFT_LIT("listeningg")), s.len);
    cr_expect_eq(sift_slice_find_nocase(s, SIFT_LIT("")), 0);
    /* repeated partial matches before the real one */
    cr_expect_eq(sift_slice_find_nocase(SIFT_LIT("aaAAab"), SIFT_LIT("AAB")), 3);
    cr_expect_eq(sift_slice_find(SIFT_LIT("aaaaab"), SIFT_LIT("aab")), 3);
    guard_free(&g);
}

Test(slice, find_reads_nothing_past_the_end)
{
    /* Every suffix of the haystack ends at the guard page. */
    static const char hay[] = "xxabcabcaBcD";
    for (size_t i = 0; i <= sizeof hay - 1; i++) {
        guard_buf g = guard_copy(hay + i, sizeof hay - 1 - i);
        const sift_slice s = sift_slice_make(g.ptr, g.len);
        const size_t want_cd = i <= 10 ? 10 - i : s.len;
        cr_expect_eq(sift_slice_find_nocase(s, SIFT_LIT("cd")), want_cd, "suffix %zu", i);
        cr_expect_eq(sift_slice_find(s, SIFT_LIT("cD")), want_cd, "suffix %zu", i);
        cr_expect_eq(sift_slice_find(s, SIFT_LIT("D")), i <= 11 ? 11 - i : s.len);
        guard_free(&g);
    }
}

/* The vector path (32-byte steps, an overlapping tail load) against a plain
 * count, for every length up to 200 and every position of the data against
 * the guard page, with newlines dense, sparse, at both ends, and absent. */
Test(slice, newlines_match_a_byte_loop_at_every_length)
{
    uint8_t src[200];
    for (int pattern = 0; pattern < 4; pattern++) {
        for (size_t i = 0; i < sizeof src; i++) {
            uint32_t h = (uint32_t)i * 2654435761u;
            switch (pattern) {
            case 0: src[i] = (h >> 29) == 0 ? '\n' : 'a'; break;     /* 1 in 8 */
            case 1: src[i] = (i % 37 == 0 || i % 64 == 63) ? '\n' : 'b'; break;
            case 2: src[i] = '\n'; break;
            default: src[i] = (uint8_t)(h >> 24) == '\n' ? 'c' : (uint8_t)(h >> 24); break; /* none */
            }
        }
        for (size_t n = 0; n <= sizeof src; n++) {
            guard_buf g = guard_copy(src + sizeof src - n, n);
            size_t want = 0, want_last = n;
            for (size_t i = 0; i < n; i++)
                if (g.ptr[i] == '\n') {
                    want++;
                    want_last = i;
                }
            size_t last = 12345;
            cr_expect_eq(sift_newlines(g.ptr, n, &last), want, "pattern %d length %zu", pattern, n);
            cr_expect_eq(last, want_last, "pattern %d length %zu", pattern, n);
            guard_free(&g);
        }
    }
}
/* The vector path sums its byte counters into wide ones every 63 steps of
 * 128 bytes, before a counter can wrap: a buffer of nothing but newlines,
 * at lengths around those sums, must count every one. */
Test(slice, newlines_are_counted_past_what_a_byte_counter_holds)
{
    static const size_t lens[] = { 8063, 8064, 8065, 8064 + 127, 8064 + 128, 16128, 16128 + 31, 40001, 65536 };
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        size_t n = lens[k];
        uint8_t *src = malloc(n);
        cr_assert(src != NULL);
        memset(src, '\n', n);
        guard_buf g = guard_copy(src, n);
        size_t last = 0;
        cr_expect_eq(sift_newlines(g.ptr, n, &last), n, "length %zu", n);
        cr_expect_eq(last, n - 1, "length %zu", n);
        guard_free(&g);
        /* No newline at either end. */
        src[0] = 'x';
        src[n - 1] = 'y';
        g = guard_copy(src, n);
        cr_expect_eq(sift_newlines(g.ptr, n, &last), n - 2, "length %zu", n);
        cr_expect_eq(last, n - 2, "length %zu", n);
        guard_free(&g);
        free(src);
    }
}

/* ---- sift_cursor.h ------------------------------------------------------- */

Test(cursor, take_and_accept_advance_only_on_success)
{
    guard_buf g;
    sift_cursor c = sift_cur_make(guarded(&g, "Event ID: 6013"));
    sift_slice out;
    cr_expect_eq(sift_cur_left(&c), 14);
    cr_expect(!sift_cur_accept(&c, SIFT_LIT("event")));
    cr_expect_eq(c.pos, 0);
    cr_expect(sift_cur_accept_nocase(&c, SIFT_LIT("event")));
    cr_expect_eq(c.pos, 5);
    cr_expect(sift_cur_accept_byte(&c, ' '));
    cr_expect(!sift_cur_accept_byte(&c, ' '));
    cr_expect(sift_cur_accept(&c, SIFT_LIT("ID:")));
    cr_expect_eq(sift_cur_skip_blanks(&c), 1);
    cr_expect_eq(sift_cur_skip_blanks(&c), 0);
    cr_expect_eq(sift_cur_peek(&c), '6');
    cr_expect(!sift_cur_take(&c, 5, &out));
    cr_expect_eq(c.pos, 10);
    cr_expect(!sift_cur_take(&c, SIZE_MAX, &out));
    cr_expect(!sift_cur_accept(&c, SIFT_LIT("60130")));
    cr_expect(!sift_cur_accept_nocase(&c, SIFT_LIT("60130")));
    cr_expect_eq(c.pos, 10);
    cr_expect(sift_cur_take(&c, 4, &out));
    cr_expect(slice_is(out, "6013"));
    cr_expect(sift_cur_eof(&c));
    cr_expect_eq(sift_cur_peek(&c), -1);
    cr_expect(!sift_cur_accept_byte(&c, '3'));
    cr_expect(sift_cur_accept(&c, SIFT_LIT("")));
    cr_expect(sift_cur_take(&c, 0, &out));
    cr_expect_eq(out.len, 0);
    cr_expect_eq(sift_cur_rest(&c).len, 0);
    guard_free(&g);
}

Test(cursor, empty_input)
{
    sift_cursor c = sift_cur_make((sift_slice){ NULL, 0 });
    sift_slice out;
    cr_expect(sift_cur_eof(&c));
    cr_expect_eq(sift_cur_left(&c), 0);
    cr_expect_eq(sift_cur_peek(&c), -1);
    cr_expect(!sift_cur_take(&c, 1, &out));
    cr_expect(!sift_cur_take_line(&c, &out));
    cr_expect(!sift_cur_accept(&c, SIFT_LIT("a")));
    cr_expect(sift_cur_accept(&c, SIFT_LIT("")));
    cr_expect(!sift_cur_accept_byte(&c, 0));
    cr_expect_eq(sift_cur_skip_blanks(&c), 0);
}

/* The next three do pointer arithmetic on the cursor's buffer; over the empty
 * slice {NULL, 0} that is NULL + 0, undefined and reported by clang's UBSan. */
Test(cursor, empty_input_take_token)
{
    sift_cursor c = sift_cur_make((sift_slice){ NULL, 0 });
    cr_expect_eq(sift_cur_take_token(&c).len, 0);
}

Test(cursor, empty_input_rest)
{
    sift_cursor c = sift_cur_make((sift_slice){ NULL, 0 });
    cr_expect_eq(sift_cur_rest(&c).len, 0);
}

Test(cursor, empty_input_take_zero)
{
    sift_cursor c = sift_cur_make((sift_slice){ NULL, 0 });
    sift_slice out = SIFT_LIT("x");
    cr_expect(sift_cur_take(&c, 0, &out));
    cr_expect_eq(out.len, 0);
}

Test(cursor, tokens_stop_at_blanks_and_line_ends)
{
    guard_buf g;
    sift_cursor c = sift_cur_make(guarded(&g, "  TCP\t0.0.0.0:135\r\nUDP"));
    cr_expect_eq(sift_cur_take_token(&c).len, 0); /* at a blank: empty token */
    cr_expect_eq(sift_cur_skip_blanks(&c), 2);
    cr_expect(slice_is(sift_cur_take_token(&c), "TCP"));
    sift_cur_skip_blanks(&c);
    cr_expect(slice_is(sift_cur_take_token(&c), "0.0.0.0:135"));
    cr_expect_eq(sift_cur_peek(&c), '\r');
    cr_expect_eq(sift_cur_skip_blanks(&c), 0); /* CR is not a blank */
    c.pos += 2;
    cr_expect(slice_is(sift_cur_rest(&c), "UDP"));
    cr_expect(slice_is(sift_cur_take_token(&c), "UDP")); /* token ending at the input's end */
    cr_expect(sift_cur_eof(&c));
    guard_free(&g);
}

struct line_case {
    char in[32];
    unsigned n;
    char lines[5][16];
};

ParameterizedTestParameters(cursor, take_line_splits_lf_and_crlf)
{
    static struct line_case cases[] = {
        { "a\r\nb\n\nc", 4, { "a", "b", "", "c" } },
        { "a\nb\n", 2, { "a", "b" } },
        { "\n", 1, { "" } },
        { "\r\n\r\n", 2, { "", "" } },
        { "x\r", 1, { "x" } },
        { "x\r\r\n", 1, { "x\r" } },
        { "no newline", 1, { "no newline" } },
        { "a\rb\n", 1, { "a\rb" } },
        { "", 0, { "" } },
    };
    return cr_make_param_array(struct line_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct line_case *tc, cursor, take_line_splits_lf_and_crlf)
{
    guard_buf g;
    sift_cursor c = sift_cur_make(guarded(&g, tc->in));
    sift_slice line;
    unsigned n = 0;
    while (sift_cur_take_line(&c, &line)) {
        cr_assert_lt(n, tc->n, "too many lines in \"%s\"", tc->in);
        cr_expect(slice_is(line, tc->lines[n]), "line %u of \"%s\": \"%.*s\"", n, tc->in, (int)line.len,
                  (const char *)line.ptr);
        n++;
    }
    cr_expect_eq(n, tc->n, "\"%s\"", tc->in);
    cr_expect_eq(c.pos, c.len);
    guard_free(&g);
}

/* ---- sift_num.h ---------------------------------------------------------- */

struct num_case {
    char in[32];
    sift_status st;
    uint64_t v;
};

ParameterizedTestParameters(num, decimal)
{
    static struct num_case cases[] = {
        { "0", SIFT_OK, 0 },
        { "6013", SIFT_OK, 6013 },
        { "007", SIFT_OK, 7 },
        { "42949672", SIFT_OK, 42949672 },
        { "18446744073709551615", SIFT_OK, UINT64_MAX },
        { "18446744073709551616", SIFT_ERR_NUMBER, 0 },
        { "18446744073709551620", SIFT_ERR_NUMBER, 0 },
        { "99999999999999999999", SIFT_ERR_NUMBER, 0 },
        { "000000000000000000000000000001", SIFT_OK, 1 },
        { "", SIFT_ERR_NUMBER, 0 },
        { "-1", SIFT_ERR_NUMBER, 0 },
        { "+1", SIFT_ERR_NUMBER, 0 },
        { " 1", SIFT_ERR_NUMBER, 0 },
        { "1 ", SIFT_ERR_NUMBER, 0 },
        { "12a", SIFT_ERR_NUMBER, 0 },
        { "0x10", SIFT_ERR_NUMBER, 0 },
        { "1/", SIFT_ERR_NUMBER, 0 },
        { ":1", SIFT_ERR_NUMBER, 0 },
    };
    return cr_make_param_array(struct num_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct num_case *tc, num, decimal)
{
    guard_buf g;
    uint64_t v = 12345;
    cr_expect_eq(sift_num_u64(guarded(&g, tc->in), &v), tc->st, "\"%s\"", tc->in);
    cr_expect_eq(v, tc->st == SIFT_OK ? tc->v : 12345, "\"%s\": %llu", tc->in, (unsigned long long)v);
    guard_free(&g);
}

ParameterizedTestParameters(num, hexadecimal)
{
    static struct num_case cases[] = {
        { "0", SIFT_OK, 0 },
        { "c0000005", SIFT_OK, 0xC0000005u },
        { "0xC0000005", SIFT_OK, 0xC0000005u },
        { "0X01dadcf1a2b3c4d5", SIFT_OK, 0x01DADCF1A2B3C4D5u },
        { "ffffffffffffffff", SIFT_OK, UINT64_MAX },
        { "0xFFFFFFFFFFFFFFFF", SIFT_OK, UINT64_MAX },
        { "0000000000000001", SIFT_OK, 1 },
        { "10000000000000000", SIFT_ERR_NUMBER, 0 },
        { "0x", SIFT_ERR_NUMBER, 0 },
        { "", SIFT_ERR_NUMBER, 0 },
        { "0x0x1", SIFT_ERR_NUMBER, 0 },
        { "g", SIFT_ERR_NUMBER, 0 },
        { "12 ", SIFT_ERR_NUMBER, 0 },
        { "-1", SIFT_ERR_NUMBER, 0 },
        { "x1", SIFT_ERR_NUMBER, 0 },
        { "@", SIFT_ERR_NUMBER, 0 },
        { "`", SIFT_ERR_NUMBER, 0 },
    };
    return cr_make_param_array(struct num_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct num_case *tc, num, hexadecimal)
{
    guard_buf g;
    uint64_t v = 12345;
    cr_expect_eq(sift_num_hex_u64(guarded(&g, tc->in), &v), tc->st, "\"%s\"", tc->in);
    cr_expect_eq(v, tc->st == SIFT_OK ? tc->v : 12345, "\"%s\": %llx", tc->in, (unsigned long long)v);
    guard_free(&g);
}

Test(num, long_digit_runs_fail_without_overflow)
{
    static char digits[100000];
    memset(digits, '9', sizeof digits);
    uint64_t v = 7;
    guard_buf g = guard_copy(digits, sizeof digits);
    cr_expect_eq(sift_num_u64(sift_slice_make(g.ptr, g.len), &v), SIFT_ERR_NUMBER);
    cr_expect_eq(sift_num_hex_u64(sift_slice_make(g.ptr, g.len), &v), SIFT_ERR_NUMBER);
    cr_expect_eq(v, 7);
    guard_free(&g);
}

/* ---- sift_text.h: sniffing ----------------------------------------------- */

struct sniff_case {
    uint8_t in[40];
    size_t len;
    sift_encoding enc;
    size_t bom;
};

ParameterizedTestParameters(text, sniff)
{
    static struct sniff_case cases[] = {
        { { 0 }, 0, SIFT_ENC_UTF8, 0 },
        { { 0xEF, 0xBB, 0xBF, 'a' }, 4, SIFT_ENC_UTF8, 3 },
        { { 0xEF, 0xBB, 0xBF }, 3, SIFT_ENC_UTF8, 3 },
        { { 0xEF, 0xBB }, 2, SIFT_ENC_UTF8, 0 },
        { { 0xFF, 0xFE, 'A', 0 }, 4, SIFT_ENC_UTF16LE, 2 },
        { { 0xFF, 0xFE }, 2, SIFT_ENC_UTF16LE, 2 },
        { { 0xFE, 0xFF, 0, 'A' }, 4, SIFT_ENC_UTF16BE, 2 },
        { { 0xFF }, 1, SIFT_ENC_UTF8, 0 },
        /* "Active" in UTF-16LE without BOM */
        { { 'A', 0, 'c', 0, 't', 0, 'i', 0, 'v', 0, 'e', 0 }, 12, SIFT_ENC_UTF16LE, 0 },
        /* a trailing odd byte does not change the verdict */
        { { 'T', 0, 'C', 0, 'P', 0, '\r' }, 7, SIFT_ENC_UTF16LE, 0 },
        { { 'A', 0 }, 2, SIFT_ENC_UTF16LE, 0 },
        /* mixed ASCII and Japanese (U+30A2 U+30AF) in UTF-16LE */
        { { 'T', 0, 'C', 0, 'P', 0, ' ', 0, 0xA2, 0x30, 0xAF, 0x30 }, 12, SIFT_ENC_UTF16LE, 0 },
        /* one U+3000 (low byte NUL) among eight ASCII units: still UTF-16LE */
        { { 'a', 0, 'b', 0, 'c', 0, 'd', 0, 'e', 0, 'f', 0, 'g', 0, 'h', 0, 0, 0x30 }, 18, SIFT_ENC_UTF16LE, 0 },
        /* two even NULs against six odd ones: too many for UTF-16LE */
        { { 'a', 0, 'b', 0, 'c', 0, 'd', 0, 'e', 0, 'f', 0, 0, 0x30, 0, 0x30 }, 16, SIFT_ENC_BINARY, 0 },
        /* half the odd bytes NUL is not "most" */
        { { 'a', 0, 'b', 'c', 'd', 0, 'e', 'f' }, 8, SIFT_ENC_BINARY, 0 },
        { { 'P', 'r', 'o', 't', 'o', '\r', '\n' }, 7, SIFT_ENC_UTF8, 0 },
        { { 0xE6, 0x8E, 0xA5, 0xE7, 0xB6, 0x9A }, 6, SIFT_ENC_UTF8, 0 },
        /* one NUL in otherwise plain text */
        { { 'h', 'e', 'l', 'l', 'o', 0, 'w', 'o', 'r', 'l', 'd' }, 11, SIFT_ENC_BINARY, 0 },
        { { 'h', 'e', 'l', 'l', 0, 'w', 'o', 'r', 'l', 'd' }, 10, SIFT_ENC_BINARY, 0 },
        { { 0 }, 1, SIFT_ENC_BINARY, 0 },
        { { 0, 0, 0, 0 }, 4, SIFT_ENC_BINARY, 0 },
        /* UTF-16BE without BOM is not decoded */
        { { 0, 'A', 0, 'c', 0, 't' }, 6, SIFT_ENC_BINARY, 0 },
        /* ELF header */
        { { 0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0 }, 12, SIFT_ENC_BINARY, 0 },
        /* zstd and gzip magic: compressed data must be decoded first */
        { { 0x28, 0xB5, 0x2F, 0xFD, 0x04, 0x00, 0x31 }, 7, SIFT_ENC_BINARY, 0 },
    };
    return cr_make_param_array(struct sniff_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct sniff_case *tc, text, sniff)
{
    guard_buf g = guard_copy(tc->in, tc->len);
    size_t bom = 99;
    cr_expect_eq(sift_text_sniff(sift_slice_make(g.ptr, g.len), &bom), tc->enc, "case of %zu bytes starting %02x",
                 tc->len, tc->in[0]);
    cr_expect_eq(bom, tc->bom);
    cr_expect_eq(sift_text_sniff(sift_slice_make(g.ptr, g.len), NULL), tc->enc);
    guard_free(&g);
}

Test(text, sniff_looks_at_the_first_4_kib_only)
{
    static uint8_t buf[8192];
    memset(buf, 'x', sizeof buf);
    buf[4096] = 0;
    size_t bom = 9;
    guard_buf g = guard_copy(buf, sizeof buf);
    cr_expect_eq(sift_text_sniff(sift_slice_make(g.ptr, g.len), &bom), SIFT_ENC_UTF8);
    cr_expect_eq(bom, 0);
    guard_free(&g);
    buf[4095] = 0;
    g = guard_copy(buf, sizeof buf);
    cr_expect_eq(sift_text_sniff(sift_slice_make(g.ptr, g.len), &bom), SIFT_ENC_BINARY);
    guard_free(&g);
    /* a long UTF-16LE head ending exactly at the guard page */
    for (size_t i = 0; i < sizeof buf; i += 2) {
        buf[i] = (uint8_t)('a' + i % 26);
        buf[i + 1] = 0;
    }
    g = guard_copy(buf, 4097);
    cr_expect_eq(sift_text_sniff(sift_slice_make(g.ptr, g.len), &bom), SIFT_ENC_UTF16LE);
    guard_free(&g);
}

Test(text, encoding_names)
{
    cr_expect_str_eq(sift_encoding_name(SIFT_ENC_UTF8), "utf-8");
    cr_expect_str_eq(sift_encoding_name(SIFT_ENC_UTF16LE), "utf-16le");
    cr_expect_str_eq(sift_encoding_name(SIFT_ENC_UTF16BE), "utf-16be");
    cr_expect_str_eq(sift_encoding_name(SIFT_ENC_BINARY), "binary");
    cr_expect_str_eq(sift_encoding_name((sift_encoding)42), "unknown");
}

/* ---- sift_text.h: UTF-16LE to UTF-8 --------------------------------------- */

/* "Proto  Local\r\nアクティブな接続 😀 TCP\r\n": code units from Python's
 * str.encode("utf-16le"); the expected UTF-8 is the compiler's u8 literal. */
static const uint16_t mixed_units[] = {
    0x0050, 0x0072, 0x006F, 0x0074, 0x006F, 0x0020, 0x0020, 0x004C, 0x006F, 0x0063, 0x0061,
    0x006C, 0x000D, 0x000A, 0x30A2, 0x30AF, 0x30C6, 0x30A3, 0x30D6, 0x306A, 0x63A5, 0x7D9A,
    0x0020, 0xD83D, 0xDE00, 0x0020, 0x0054, 0x0043, 0x0050, 0x000D, 0x000A,
};
static const char mixed_utf8[] = u8"Proto  Local\r\nアクティブな接続 \U0001F600 TCP\r\n";

static size_t units_to_bytes(const uint16_t *units, size_t n, uint8_t *bytes)
{
    for (size_t i = 0; i < n; i++) {
        bytes[2 * i] = (uint8_t)(units[i] & 0xFF);
        bytes[2 * i + 1] = (uint8_t)(units[i] >> 8);
    }
    return 2 * n;
}

/* One of the streaming decoders, picked by encoding. */
typedef struct decoder {
    sift_encoding enc;
    sift_utf16 u16;
    sift_cp932 cp;
} decoder;

static void decoder_open(decoder *d, sift_encoding enc)
{
    memset(d, 0, sizeof *d);
    d->enc = enc;
    if (enc == SIFT_ENC_CP932)
        cr_assert_eq(sift_cp932_open(&d->cp), 0, "glibc's iconv converts CP932");
}

static sift_status decoder_step(decoder *d, sift_in *in, sift_out *out)
{
    return d->enc == SIFT_ENC_CP932 ? sift_cp932_to_utf8(&d->cp, in, out) : sift_utf16le_to_utf8(&d->u16, in, out);
}

static sift_status decoder_finish(decoder *d, sift_out *out)
{
    return d->enc == SIFT_ENC_CP932 ? sift_cp932_finish(&d->cp, out) : sift_utf16le_finish(&d->u16, out);
}

/* Feeds data in the chunks given by cuts (increasing offsets), through an
 * output window of out_room bytes that is drained whenever DST_FULL. */
static size_t decode_cuts(sift_encoding enc, const uint8_t *data, size_t len, const size_t *cuts, size_t ncuts,
                          size_t out_room, uint8_t *dst, size_t dst_cap, uint64_t *replaced)
{
    decoder st;
    decoder_open(&st, enc);
    uint8_t window[64];
    size_t total = 0, from = 0;
    cr_assert(out_room <= sizeof window);
    for (size_t k = 0; k <= ncuts; k++) {
        const size_t to = k < ncuts ? cuts[k] : len;
        /* each chunk in its own guarded copy, so an over-read faults */
        guard_buf g = guard_copy(data + from, to - from);
        sift_in in = { g.ptr, g.len, 0 };
        sift_status rc;
        do {
            sift_out out = { window, out_room, 0 };
            rc = decoder_step(&st, &in, &out);
            cr_assert(rc == SIFT_NEED_MORE || rc == SIFT_DST_FULL);
            cr_assert(out.pos <= out.size && in.pos <= in.size);
            cr_assert(rc != SIFT_DST_FULL || out.size - out.pos < 4);
            cr_assert_leq(total + out.pos, dst_cap);
            memcpy(dst + total, window, out.pos);
            total += out.pos;
        } while (rc == SIFT_DST_FULL);
        cr_assert_eq(in.pos, in.size);
        guard_free(&g);
        from = to;
    }
    sift_status rc;
    do {
        sift_out out = { window, out_room, 0 };
        rc = decoder_finish(&st, &out);
        cr_assert(rc == SIFT_OK || rc == SIFT_DST_FULL);
        memcpy(dst + total, window, out.pos);
        total += out.pos;
    } while (rc == SIFT_DST_FULL);
    cr_expect_eq(st.u16.pending_high, 0);
    cr_expect_eq(st.u16.have_odd, 0);
    cr_expect_eq(st.cp.have_lead, 0);
    *replaced = st.u16.replaced + st.cp.replaced;
    sift_cp932_close(&st.cp);
    return total;
}

static size_t transcode_cuts(const uint8_t *data, size_t len, const size_t *cuts, size_t ncuts, size_t out_room,
                             uint8_t *dst, size_t dst_cap, uint64_t *replaced)
{
    return decode_cuts(SIFT_ENC_UTF16LE, data, len, cuts, ncuts, out_room, dst, dst_cap, replaced);
}

static void expect_bytes(const uint8_t *got, size_t got_len, const void *want, size_t want_len, const char *what)
{
    cr_expect_eq(got_len, want_len, "%s: length %zu, want %zu", what, got_len, want_len);
    cr_expect(got_len == want_len && memcmp(got, want, want_len) == 0, "%s: bytes differ", what);
}

Test(text, utf16_whole_input)
{
    uint8_t in[128], out[256];
    const size_t n = units_to_bytes(mixed_units, sizeof mixed_units / 2, in);
    uint64_t replaced = 9;
    const size_t got = transcode_cuts(in, n, NULL, 0, 64, out, sizeof out, &replaced);
    expect_bytes(out, got, mixed_utf8, sizeof mixed_utf8 - 1, "whole");
    cr_expect_eq(replaced, 0);
    cr_expect_eq(sizeof mixed_utf8 - 1, 49); /* u8 literal is UTF-8 as expected */
}

Test(text, utf16_every_split_point_gives_identical_output)
{
    uint8_t in[128], out[256];
    const size_t n = units_to_bytes(mixed_units, sizeof mixed_units / 2, in);
    for (size_t a = 0; a <= n; a++) {
        uint64_t replaced = 9;
        const size_t got = transcode_cuts(in, n, &a, 1, 64, out, sizeof out, &replaced);
        expect_bytes(out, got, mixed_utf8, sizeof mixed_utf8 - 1, "one split");
        cr_expect_eq(replaced, 0, "split at %zu", a);
    }
    for (size_t a = 0; a <= n; a++) {
        for (size_t b = a; b <= n; b++) {
            const size_t cuts[2] = { a, b };
            uint64_t replaced = 9;
            const size_t got = transcode_cuts(in, n, cuts, 2, 4 + (a + b) % 5, out, sizeof out, &replaced);
            if (got != sizeof mixed_utf8 - 1 || memcmp(out, mixed_utf8, got) != 0 || replaced != 0)
                cr_assert_fail("splits at %zu and %zu differ", a, b);
        }
    }
}

Test(text, utf16_one_byte_at_a_time_through_a_4_byte_window)
{
    uint8_t in[128], out[256];
    size_t cuts[128];
    const size_t n = units_to_bytes(mixed_units, sizeof mixed_units / 2, in);
    for (size_t i = 0; i < n; i++)
        cuts[i] = i + 1;
    uint64_t replaced = 9;
    const size_t got = transcode_cuts(in, n, cuts, n - 1, 4, out, sizeof out, &replaced);
    expect_bytes(out, got, mixed_utf8, sizeof mixed_utf8 - 1, "bytewise");
    cr_expect_eq(replaced, 0);
}

/* Bytes in, the UTF-8 out and the U+FFFD written. */
struct decode_case {
    uint8_t in[16];
    size_t len;
    uint8_t want[24];
    size_t want_len;
    uint64_t replaced;
};

ParameterizedTestParameters(text, utf16_edge_cases)
{
#define FFFD 0xEF, 0xBF, 0xBD
    static struct decode_case cases[] = {
        { { 0 }, 0, { 0 }, 0, 0 },
        { { 0x41, 0x00 }, 2, { 'A' }, 1, 0 },
        { { 0x00, 0x00 }, 2, { 0x00 }, 1, 0 },
        { { 0x7F, 0x00, 0x80, 0x00 }, 4, { 0x7F, 0xC2, 0x80 }, 3, 0 },
        { { 0xFF, 0x07, 0x00, 0x08 }, 4, { 0xDF, 0xBF, 0xE0, 0xA0, 0x80 }, 5, 0 },
        { { 0xFF, 0xFF }, 2, { 0xEF, 0xBF, 0xBF }, 3, 0 },
        { { 0xFF, 0xFE, 0x41, 0x00 }, 4, { 0xEF, 0xBB, 0xBF, 'A' }, 4, 0 }, /* U+FEFF kept */
        { { 0x00, 0xD8, 0x00, 0xDC }, 4, { 0xF0, 0x90, 0x80, 0x80 }, 4, 0 }, /* U+10000 */
        { { 0xFF, 0xDB, 0xFF, 0xDF }, 4, { 0xF4, 0x8F, 0xBF, 0xBF }, 4, 0 }, /* U+10FFFF */
        /* unpaired surrogates */
        { { 0x3D, 0xD8 }, 2, { FFFD }, 3, 1 },
        { { 0x00, 0xDE }, 2, { FFFD }, 3, 1 },
        { { 0x3D, 0xD8, 0x41, 0x00 }, 4, { FFFD, 'A' }, 4, 1 },
        { { 0x3D, 0xD8, 0xA2, 0x30 }, 4, { FFFD, 0xE3, 0x82, 0xA2 }, 6, 1 },
        { { 0x3D, 0xD8, 0x3D, 0xD8, 0x00, 0xDE }, 6, { FFFD, 0xF0, 0x9F, 0x98, 0x80 }, 7, 1 },
        { { 0x00, 0xDE, 0x3D, 0xD8 }, 4, { FFFD, FFFD }, 6, 2 },
        { { 0x00, 0xDE, 0x00, 0xDE, 0x41, 0x00 }, 6, { FFFD, FFFD, 'A' }, 7, 2 },
        /* a dangling odd byte at the end */
        { { 0x41 }, 1, { FFFD }, 3, 1 },
        { { 0x41, 0x00, 0x42 }, 3, { 'A', FFFD }, 4, 1 },
        { { 0x3D, 0xD8, 0x42 }, 3, { FFFD, FFFD }, 6, 2 },
        { { 0x3D, 0xD8, 0x00 }, 3, { FFFD, FFFD }, 6, 2 },
    };
#undef FFFD
    return cr_make_param_array(struct decode_case, cases, sizeof cases / sizeof cases[0]);
}

/* in decodes to want, with replaced U+FFFD: whole, at every single split,
 * and through every window size from 4. */
static void expect_decodes(sift_encoding enc, const uint8_t *in, size_t len, const uint8_t *want, size_t want_len,
                           uint64_t want_replaced)
{
    uint8_t out[64];
    for (size_t a = 0; a <= len; a++) {
        for (size_t room = 4; room <= 8; room++) {
            uint64_t replaced = 99;
            const size_t got = decode_cuts(enc, in, len, &a, 1, room, out, sizeof out, &replaced);
            cr_expect_eq(got, want_len, "split %zu room %zu", a, room);
            cr_expect(got == want_len && memcmp(out, want, got) == 0, "split %zu room %zu", a, room);
            cr_expect_eq(replaced, want_replaced, "split %zu room %zu", a, room);
        }
    }
}

ParameterizedTest(struct decode_case *tc, text, utf16_edge_cases)
{
    expect_decodes(SIFT_ENC_UTF16LE, tc->in, tc->len, tc->want, tc->want_len, tc->replaced);
}

/* Below 4 bytes of room a decoder takes nothing; with 4 it takes what fits,
 * the first first_in bytes giving first_out bytes; with room it takes the
 * rest, giving rest; with none, consumed input is NEED_MORE. */
static void expect_dst_full_rule(decoder *d, const uint8_t *data, size_t n, size_t first_in, size_t first_out,
                                 const char *rest)
{
    uint8_t buf[8] = { 0 };
    sift_in in = { data, n, 0 };
    sift_out out = { buf, 3, 0 };
    cr_expect_eq(decoder_step(d, &in, &out), SIFT_DST_FULL);
    cr_expect_eq(in.pos, 0);
    cr_expect_eq(out.pos, 0);
    out.size = 4;
    cr_expect_eq(decoder_step(d, &in, &out), SIFT_DST_FULL);
    cr_expect_eq(in.pos, first_in);
    cr_expect_eq(out.pos, first_out);
    out = (sift_out){ buf, sizeof buf, 0 };
    cr_expect_eq(decoder_step(d, &in, &out), SIFT_NEED_MORE);
    cr_expect_eq(in.pos, n);
    cr_expect_eq(out.pos, strlen(rest));
    cr_expect_eq(memcmp(buf, rest, strlen(rest)), 0);
    out = (sift_out){ buf, 0, 0 };
    cr_expect_eq(decoder_step(d, &in, &out), SIFT_NEED_MORE);
    cr_expect_eq(decoder_finish(d, &out), SIFT_OK);
}

Test(text, utf16_dst_full_below_4_bytes_of_room)
{
    static const uint8_t data[] = { 'A', 0, 'B', 0, 'C', 0, 'D', 0 };
    decoder d;
    decoder_open(&d, SIFT_ENC_UTF16LE);
    expect_dst_full_rule(&d, data, sizeof data, 2, 1, "BCD");
}

Test(text, utf16_finish_needs_room_for_each_replacement)
{
    static const uint8_t data[] = { 0x3D, 0xD8, 0x42 };
    uint8_t buf[8];
    sift_utf16 st;
    memset(&st, 0, sizeof st);
    sift_in in = { data, sizeof data, 0 };
    sift_out out = { buf, sizeof buf, 0 };
    cr_expect_eq(sift_utf16le_to_utf8(&st, &in, &out), SIFT_NEED_MORE);
    cr_expect_eq(out.pos, 0);
    cr_expect_eq(st.have_odd, 1);
    cr_expect_eq(st.pending_high, 0xD83D);
    out = (sift_out){ buf, 3, 0 };
    cr_expect_eq(sift_utf16le_finish(&st, &out), SIFT_DST_FULL);
    cr_expect_eq(out.pos, 0);
    out = (sift_out){ buf, 5, 0 };
    cr_expect_eq(sift_utf16le_finish(&st, &out), SIFT_DST_FULL);
    cr_expect_eq(out.pos, 3);
    cr_expect_eq(st.replaced, 1);
    out = (sift_out){ buf, 4, 0 };
    cr_expect_eq(sift_utf16le_finish(&st, &out), SIFT_OK);
    cr_expect_eq(out.pos, 3);
    cr_expect_eq(st.replaced, 2);
    cr_expect_eq(memcmp(buf, "\xef\xbf\xbd", 3), 0);
    /* finishing again is a no-op */
    out = (sift_out){ buf, 0, 0 };
    cr_expect_eq(sift_utf16le_finish(&st, &out), SIFT_OK);
    cr_expect_eq(st.replaced, 2);
}

Test(text, utf16_output_stays_within_the_documented_bound)
{
    /* Worst case: high surrogates each followed by a 3-byte unit, and an odd byte. */
    uint8_t in[4001], out[8192];
    for (size_t i = 0; i + 4 <= 4000; i += 4) {
        in[i] = 0x3D;
        in[i + 1] = 0xD8;
        in[i + 2] = 0xA2;
        in[i + 3] = 0x30;
    }
    in[4000] = 0x41;
    uint64_t replaced = 0;
    const size_t got = transcode_cuts(in, sizeof in, NULL, 0, 64, out, sizeof out, &replaced);
    cr_expect_eq(got, 3 * (sizeof in / 2) + 3);
    cr_expect_eq(replaced, 1001);
}

/* ---- sift_text.h: CP932 -------------------------------------------------- */

/* text (UTF-8) in code, as `iconv -f UTF-8 -t code` writes it. */
static size_t to_code(const char *code, const char *text, uint8_t *out, size_t cap)
{
    iconv_t cd = iconv_open(code, "UTF-8");
    cr_assert(cd != (iconv_t)-1);
    char *ip = (char *)(uintptr_t)text, *op = (char *)out;
    size_t il = strlen(text), ol = cap;
    cr_assert_neq(iconv(cd, &ip, &il, &op, &ol), (size_t)-1, "%s is %s", text, code);
    iconv_close(cd);
    return cap - ol;
}

static size_t to_cp932(const char *text, uint8_t *out, size_t cap)
{
    return to_code("CP932", text, out, cap);
}

static sift_encoding sniff_bytes(const void *p, size_t n)
{
    guard_buf g = guard_copy(p, n);
    size_t bom = 9;
    sift_encoding e = sift_text_sniff(sift_slice_make(g.ptr, g.len), &bom);
    cr_expect_eq(bom, 0);
    guard_free(&g);
    return e;
}

static sift_encoding sniff_cp932_of(const char *utf8)
{
    uint8_t buf[512];
    return sniff_bytes(buf, to_cp932(utf8, buf, sizeof buf));
}

Test(text, sniff_takes_japanese_cp932_without_bom_for_cp932)
{
    /* netstat -ano, wevtutil text, an Event Viewer CSV save, on ja-JP */
    cr_expect_eq(sniff_cp932_of(u8"\r\nアクティブな接続\r\n\r\n  プロトコル  ローカル アドレス   外部アドレス   状態\r\n"),
                 SIFT_ENC_CP932);
    cr_expect_eq(sniff_cp932_of(u8"Event[0]:\r\n  Log Name: Application\r\n  Description: \r\n障害が発生しているアプリケーション名: "
                                u8"svchost.exe_TSGateway、バージョン: 10.0.20348.2582\r\n"),
                 SIFT_ENC_CP932);
    cr_expect_eq(sniff_cp932_of(u8"レベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ\r\n"), SIFT_ENC_CP932);
    /* two kana are enough; one is not, nor kanji alone */
    cr_expect_eq(sniff_cp932_of(u8"Host: ログ\r\n"), SIFT_ENC_CP932);
    cr_expect_eq(sniff_cp932_of(u8"Host: ロ 接続\r\n"), SIFT_ENC_UTF8);
    cr_expect_eq(sniff_cp932_of(u8"状態 接続 外部\r\n"), SIFT_ENC_UTF8);
}

Test(text, sniff_keeps_utf8_and_8_bit_latin_text_as_utf8)
{
    static const char *utf8_ja = u8"アクティブな接続\r\n  プロトコル  ローカル アドレス\r\n";
    cr_expect_eq(sniff_bytes(utf8_ja, strlen(utf8_ja)), SIFT_ENC_UTF8);
    static const char en[] = "\r\nActive Connections\r\n\r\n  Proto  Local Address  Foreign Address  State\r\n";
    cr_expect_eq(sniff_bytes(en, sizeof en - 1), SIFT_ENC_UTF8);
    /* Latin-1 French: "État", "activé " (0xE9 before a space cannot be CP932) */
    static const char fr[] = "Connexions actives\r\n  \xc9tat  Adresse locale  activ\xe9 \r\n";
    cr_expect_eq(sniff_bytes(fr, sizeof fr - 1), SIFT_ENC_UTF8);
    /* Latin-1 German that is well-formed CP932 by shape (E4 6E, F6 DF are
     * lead and trail pairs) but holds no kana */
    static const char de[] = "Aktive Verbindungen: ge\xe4ndert, Gr\xf6\xdf" "e\r\n";
    cr_expect_eq(sniff_bytes(de, sizeof de - 1), SIFT_ENC_UTF8);
    /* CP850 netstat: ABHÖREN (0x99 0x52 is a pair by shape) */
    static const char cp850[] = "  TCP    0.0.0.0:135    0.0.0.0:0    ABH\x99REN    1004\r\n";
    cr_expect_eq(sniff_bytes(cp850, sizeof cp850 - 1), SIFT_ENC_UTF8);
    /* CP1252 smart quotes: 0x94 before a space cannot be a lead byte */
    static const char cp1252[] = "Description: \x93Hello\x94 from \x84the\x93 service\r\n";
    cr_expect_eq(sniff_bytes(cp1252, sizeof cp1252 - 1), SIFT_ENC_UTF8);
    /* netstat in the other double-byte and Cyrillic code pages Windows
     * writes: no kana, so never CP932 */
    static const char *const legacy[][2] = {
        { "GBK", u8"\r\n活动连接\r\n\r\n  协议  本地地址          外部地址        状态           PID\r\n" },
        { "BIG5", u8"\r\n使用中連線\r\n\r\n  協定  本機位址          外部位址        狀態           PID\r\n" },
        { "CP949", u8"\r\n활성 연결\r\n\r\n  프로토콜  로컬 주소          외부 주소        상태           PID\r\n" },
        { "CP1251", u8"\r\nАктивные подключения\r\n\r\n  Имя    Локальный адрес    Внешний адрес    Состояние\r\n" },
    };
    for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++) {
        uint8_t buf[512];
        const size_t n = to_code(legacy[i][0], legacy[i][1], buf, sizeof buf);
        cr_expect_eq(sniff_bytes(buf, n), SIFT_ENC_UTF8, "%s", legacy[i][0]);
    }
}

Test(text, sniff_needs_the_whole_cp932_head_well_formed)
{
    uint8_t buf[256];
    size_t n = to_cp932(u8"アクティブな接続 プロトコル\r\n", buf, sizeof buf);
    buf[n] = 0x80; /* not a CP932 byte */
    cr_expect_eq(sniff_bytes(buf, n + 1), SIFT_ENC_UTF8);
    buf[n] = 0x82; /* a lead byte before a line end */
    buf[n + 1] = '\n';
    cr_expect_eq(sniff_bytes(buf, n + 2), SIFT_ENC_UTF8);
    buf[n] = 0xA0;
    cr_expect_eq(sniff_bytes(buf, n + 1), SIFT_ENC_UTF8);
}

Test(text, sniff_cut_at_4_kib_inside_a_character_keeps_its_verdict)
{
    static uint8_t buf[8192];
    /* CP932: kana, then a lead byte as byte 4095 */
    size_t n = to_cp932(u8"アクティブな接続\r\n", buf, sizeof buf);
    memset(buf + n, 'x', sizeof buf - n);
    buf[4095] = 0x83;
    buf[4096] = 0x41;
    cr_expect_eq(sniff_bytes(buf, sizeof buf), SIFT_ENC_CP932);
    /* UTF-8: a 3-byte sequence cut after its first byte, and after two */
    static const char ja[] = u8"ア";
    memset(buf, 'x', sizeof buf);
    memcpy(buf + 4095, ja, 3);
    cr_expect_eq(sniff_bytes(buf, sizeof buf), SIFT_ENC_UTF8);
    memset(buf, 'x', sizeof buf);
    memcpy(buf + 4094, ja, 3);
    cr_expect_eq(sniff_bytes(buf, sizeof buf), SIFT_ENC_UTF8);
}

Test(text, encoding_names_parse_back)
{
    static const char *names[] = { "utf-8", "UTF-8", "utf8", "utf-16le", "cp932", "CP932", "shift_jis", "windows-31j" };
    static const sift_encoding want[] = { SIFT_ENC_UTF8,  SIFT_ENC_UTF8,  SIFT_ENC_UTF8,  SIFT_ENC_UTF16LE,
                                          SIFT_ENC_CP932, SIFT_ENC_CP932, SIFT_ENC_CP932, SIFT_ENC_CP932 };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        sift_encoding e = SIFT_ENC_BINARY;
        cr_expect_eq(sift_encoding_parse(sift_slice_make(names[i], strlen(names[i])), &e), 0, "%s", names[i]);
        cr_expect_eq(e, want[i], "%s", names[i]);
    }
    cr_expect_str_eq(sift_encoding_name(SIFT_ENC_CP932), "cp932");
    static const char *bad[] = { "", "auto", "utf-16be", "binary", "latin1", "utf-8 " };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sift_encoding e = SIFT_ENC_BINARY;
        cr_expect_eq(sift_encoding_parse(sift_slice_make(bad[i], strlen(bad[i])), &e), -1, "%s", bad[i]);
        cr_expect_eq(e, SIFT_ENC_BINARY);
    }
}

/* netstat's Japanese title, half-width katakana, an NEC special (U+2460),
 * an IBM extension (U+9AD9), U+FF5E, and a backslash (not a yen sign). */
static const char cp932_text[] = u8"Proto  Local\r\nアクティブな接続 ｱｲ ～ ① 髙 \\ TCP\r\n";

Test(text, cp932_every_split_point_gives_identical_output)
{
    uint8_t in[128], out[256];
    const size_t n = to_cp932(cp932_text, in, sizeof in);
    cr_assert_eq(n, 50);
    uint64_t replaced = 9;
    size_t got = decode_cuts(SIFT_ENC_CP932, in, n, NULL, 0, 64, out, sizeof out, &replaced);
    expect_bytes(out, got, cp932_text, sizeof cp932_text - 1, "whole");
    cr_expect_eq(replaced, 0);
    for (size_t a = 0; a <= n; a++) {
        for (size_t b = a; b <= n; b++) {
            const size_t cuts[2] = { a, b };
            replaced = 9;
            got = decode_cuts(SIFT_ENC_CP932, in, n, cuts, 2, 4 + (a + b) % 5, out, sizeof out, &replaced);
            if (got != sizeof cp932_text - 1 || memcmp(out, cp932_text, got) != 0 || replaced != 0)
                cr_assert_fail("splits at %zu and %zu differ", a, b);
        }
    }
    size_t cuts[128];
    for (size_t i = 0; i < n; i++)
        cuts[i] = i + 1;
    got = decode_cuts(SIFT_ENC_CP932, in, n, cuts, n - 1, 4, out, sizeof out, &replaced);
    expect_bytes(out, got, cp932_text, sizeof cp932_text - 1, "bytewise through 4 bytes");
}

Test(text, cp932_ascii_is_itself_as_iconv_says)
{
    uint8_t in[128], out[512];
    for (size_t i = 0; i < 128; i++)
        in[i] = (uint8_t)i;
    uint64_t replaced = 9;
    size_t got = decode_cuts(SIFT_ENC_CP932, in, sizeof in, NULL, 0, 64, out, sizeof out, &replaced);
    expect_bytes(out, got, in, sizeof in, "0x00-0x7F");
    /* and iconv agrees byte by byte, where the fast path does not ask it */
    iconv_t cd = iconv_open("UTF-8", "CP932");
    cr_assert(cd != (iconv_t)-1);
    for (size_t i = 0; i < 128; i++) {
        char b = (char)i, o[8], *ip = &b, *op = o;
        size_t il = 1, ol = sizeof o;
        cr_expect_neq(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
        cr_expect(sizeof o - ol == 1 && (uint8_t)o[0] == i, "byte %02zx", i);
    }
    iconv_close(cd);
}

ParameterizedTestParameters(text, cp932_bytes_not_cp932)
{
#define FFFD 0xEF, 0xBF, 0xBD
    static struct decode_case cases[] = {
        { { 0 }, 0, { 0 }, 0, 0 },
        { { 0x82, 0xA0 }, 2, { 0xE3, 0x81, 0x82 }, 3, 0 },     /* あ */
        { { 0xA1 }, 1, { 0xEF, 0xBD, 0xA1 }, 3, 0 },           /* U+FF61 */
        { { 0x80 }, 1, { FFFD }, 3, 1 },                        /* no character */
        { { 0xA0, 'A' }, 2, { FFFD, 'A' }, 4, 1 },
        { { 0xFD, 0xFE, 0xFF }, 3, { FFFD, FFFD, FFFD }, 9, 3 },
        { { 0x82, '\n', 'A' }, 3, { FFFD, '\n', 'A' }, 5, 1 },  /* the line end survives */
        { { 0x82, 0x20 }, 2, { FFFD, ' ' }, 4, 1 },
        { { 0x82, 0x7F }, 2, { FFFD, 0x7F }, 4, 1 },            /* 0x7F never trails */
        { { 0x82, 0x40, 'A' }, 3, { FFFD, 'A' }, 4, 1 },        /* a pair mapping to nothing */
        { { 0x85, 0x40 }, 2, { FFFD }, 3, 1 },
        { { 0x82 }, 1, { FFFD }, 3, 1 },                        /* a lead byte at the end */
        { { 'A', 0x83 }, 2, { 'A', FFFD }, 4, 1 },
        { { 0x82, 0x82, 0xA0 }, 3, { 0xEF, 0xBD, 0x82, FFFD }, 6, 1 }, /* U+FF42, then A0 */
        { { 0x80, 0x82, 0xA0 }, 3, { FFFD, 0xE3, 0x81, 0x82 }, 6, 1 },
    };
#undef FFFD
    return cr_make_param_array(struct decode_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct decode_case *tc, text, cp932_bytes_not_cp932)
{
    expect_decodes(SIFT_ENC_CP932, tc->in, tc->len, tc->want, tc->want_len, tc->replaced);
}

Test(text, cp932_dst_full_below_4_bytes_of_room)
{
    static const uint8_t data[] = { 'A', 0x82, 0xA0, 'B' };
    decoder d;
    decoder_open(&d, SIFT_ENC_CP932);
    expect_dst_full_rule(&d, data, sizeof data, 1, 1, "\xe3\x81\x82" "B");
    sift_cp932 st = d.cp;
    uint8_t buf[8];
    sift_in in;
    sift_out out;
    /* a dangling lead byte needs 4 bytes of room to be flushed */
    static const uint8_t lead[] = { 0x83 };
    in = (sift_in){ lead, 1, 0 };
    out = (sift_out){ buf, sizeof buf, 0 };
    cr_expect_eq(sift_cp932_to_utf8(&st, &in, &out), SIFT_NEED_MORE);
    cr_expect_eq(st.have_lead, 1);
    out = (sift_out){ buf, 3, 0 };
    cr_expect_eq(sift_cp932_finish(&st, &out), SIFT_DST_FULL);
    out = (sift_out){ buf, 4, 0 };
    cr_expect_eq(sift_cp932_finish(&st, &out), SIFT_OK);
    cr_expect_eq(out.pos, 3);
    cr_expect_eq(st.replaced, 1);
    cr_expect_eq(sift_cp932_finish(&st, &out), SIFT_OK, "finishing again is a no-op");
    cr_expect_eq(st.replaced, 1);
    sift_cp932_close(&st);
    sift_cp932_close(&st); /* closing twice is harmless */
}

Test(text, cp932_output_stays_within_3_bytes_per_input_byte)
{
    /* Worst cases: half-width katakana and single bytes that are not CP932,
     * each 3 bytes out, and a dangling lead byte. */
    uint8_t in[4001], out[12100];
    for (size_t i = 0; i < 4000; i++)
        in[i] = i % 2 ? 0xA1 : 0x80;
    in[4000] = 0x83;
    uint64_t replaced = 0;
    const size_t got = decode_cuts(SIFT_ENC_CP932, in, sizeof in, NULL, 0, 64, out, sizeof out, &replaced);
    cr_expect_eq(got, 3 * sizeof in);
    cr_expect_eq(replaced, 2001);
}

/* The side-literal search (AVX2 where the CPU has it) finds what memmem
 * finds: at every offset, near the end, with decoys that match its first
 * and last bytes only, and in buffers of every length around its steps. */
Test(slice, find_literal_agrees_with_memmem)
{
    static const char *const lits[] = { "Install", "ab", "インストール", "aXa" };
    uint8_t buf[300];
    uint32_t x = 7;
    for (size_t l = 0; l < sizeof lits / sizeof lits[0]; l++) {
        const uint8_t *lit = (const uint8_t *)lits[l];
        size_t m = strlen(lits[l]);
        for (size_t n = 0; n <= sizeof buf; n++) {
            for (int round = 0; round < 4; round++) {
                for (size_t i = 0; i < n; i++) {
                    x = x * 1103515245u + 12345u;
                    /* Mostly the literal's own first and last bytes. */
                    buf[i] = (x >> 16) % 3 == 0 ? lit[0] : (x >> 16) % 3 == 1 ? lit[m - 1] : (uint8_t)(x >> 24);
                }
                if (round && n >= m) {
                    x = x * 1103515245u + 12345u;
                    memcpy(buf + (x >> 8) % (n - m + 1), lit, m);
                }
                const uint8_t *q = memmem(buf, n, lit, m);
                size_t want = q ? (size_t)(q - buf) : n;
                cr_assert_eq(sift_find_literal(buf, n, lit, m), want, "lit %zu n %zu round %d", l, n, round);
            }
        }
    }
    cr_expect_eq(sift_find_literal((const uint8_t *)"abc", 3, (const uint8_t *)"", 0), 0);
}
