/* test_diag.c - error lines: paths escaped so that one error is one line. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift_diag.h"

Test(diag, escapes_control_bytes_backslash_and_broken_utf8_and_keeps_the_rest)
{
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        { "", "" },
        { "dumps/FS01/netstat.txt", "dumps/FS01/netstat.txt" },
        { "a\nlogsift: x: offset 0: forged", "a\\nlogsift: x: offset 0: forged" },
        { "tab\there\rcr", "tab\\there\\rcr" },
        { "\x1b[31mred", "\\x1b[31mred" },
        { "back\\slash", "back\\\\slash" },
        { "del\x7f", "del\\x7f" },
        { "\x01\x1f", "\\x01\\x1f" },
        /* UTF-8 names stay readable */
        { "ログ/ホスト名.txt", "ログ/ホスト名.txt" },
        { "caf\xc3\xa9", "caf\xc3\xa9" },
        { "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
        /* not UTF-8: each byte visibly */
        { "latin1 caf\xe9", "latin1 caf\\xe9" },
        { "\xc0\xaf", "\\xc0\\xaf" },             /* overlong '/' */
        { "\xe0\x80\xaf", "\\xe0\\x80\\xaf" },    /* overlong */
        { "\xed\xa0\x80", "\\xed\\xa0\\x80" },    /* a surrogate */
        { "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" }, /* past U+10FFFF */
        { "cut\xe3\x83", "cut\\xe3\\x83" },       /* a sequence cut short */
        { "\x80", "\\x80" },
        /* well-formed but a control or a line break to some readers */
        { "\xc2\x9b" "31m", "\\xc2\\x9b31m" },    /* C1 CSI */
        { "\xc2\x85", "\\xc2\\x85" },             /* NEL */
        { "a\xe2\x80\xa8" "b", "a\\xe2\\x80\\xa8b" }, /* U+2028 */
        { "\xc2\xa0", "\xc2\xa0" },               /* U+00A0 is printable */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[256];
        size_t n = sift_diag_escape(sift_slice_make(cases[i].in, strlen(cases[i].in)), out, sizeof out);
        cr_expect_str_eq(out, cases[i].out, "case %zu", i);
        cr_expect_eq(n, strlen(cases[i].out), "case %zu", i);
    }
}

Test(diag, an_escaped_path_holds_no_byte_that_breaks_a_line)
{
    uint8_t all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (uint8_t)i;
    char out[2048];
    size_t n = sift_diag_escape(sift_slice_make(all, sizeof all), out, sizeof out);
    cr_assert_lt(n, sizeof out - 1, "fits whole");
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)out[i];
        cr_expect(c >= 0x20 && c < 0x7f, "byte %zu is 0x%02x", i, c);
    }
    cr_expect_eq(strlen(out), n, "no NUL inside");
}

Test(diag, a_path_too_long_is_cut_on_a_boundary_and_marked)
{
    /* Cut where a four-byte escape would not fit: never half an escape. */
    char out[16];
    size_t n = sift_diag_escape(sift_slice_make("abcdefghi\x1b\x1b\x1b", 12), out, sizeof out);
    cr_expect_str_eq(out, "abcdefghi\\...");
    cr_expect_eq(n, strlen(out));
    n = sift_diag_escape(sift_slice_make("abcdefghijklmnopqrstuvwxyz", 26), out, sizeof out);
    cr_expect_str_eq(out, "abcdefghijk\\...");
    cr_expect_eq(n, 15);
    /* Exactly full: nothing is cut. */
    n = sift_diag_escape(sift_slice_make("abcdefghijklmno", 15), out, sizeof out);
    cr_expect_str_eq(out, "abcdefghijklmno");
    n = sift_diag_escape(sift_slice_make("abc", 3), out, 1);
    cr_expect_eq(n, 0);
    cr_expect_str_eq(out, "");
    cr_expect_eq(sift_diag_escape(sift_slice_make("abc", 3), out, 0), 0);
    /* Never more than the limit, whatever cap says. */
    size_t big = 3 * SIFT_DIAG_PATH_MAX;
    char *path = malloc(big), *esc = malloc(big * 4 + 1);
    cr_assert(path && esc);
    memset(path, '\n', big);
    n = sift_diag_escape(sift_slice_make(path, big), esc, big * 4 + 1);
    cr_expect_leq(n, SIFT_DIAG_PATH_MAX);
    cr_expect(n >= 4 && strcmp(esc + n - 4, "\\...") == 0);
    free(path);
    free(esc);
}

Test(diag, an_error_line_reads_path_offset_and_what_on_one_line)
{
    char line[SIFT_DIAG_LINE_MAX];
    size_t n = sift_diag_format(line, sizeof line, "a\nlogsift: b", 1, 42, "corrupt zstd block", NULL);
    cr_expect_str_eq(line, "logsift: a\\nlogsift: b: offset 42: corrupt zstd block\n");
    cr_expect_eq(n, strlen(line));
    sift_diag_format(line, sizeof line, "x.txt", 0, 0, "cannot continue", "out of memory");
    cr_expect_str_eq(line, "logsift: x.txt: cannot continue: out of memory\n");
    sift_diag_format(line, sizeof line, "x.txt", 1, 0, "event record skipped", "missing Event ID line");
    cr_expect_str_eq(line, "logsift: x.txt: offset 0: event record skipped: missing Event ID line\n");
    /* Too small a buffer still gives one whole line. */
    char small[24];
    n = sift_diag_format(small, sizeof small, "x.txt", 1, 123456, "a long message", NULL);
    cr_expect_eq(n, sizeof small - 1);
    cr_expect_eq(small[n - 1], '\n');
    cr_expect_eq(strchr(small, '\n'), small + n - 1);
}

Test(diag, print_writes_the_formatted_line)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    cr_expect_eq(sift_diag_print(f, "dir/\x1b]0;title\x07", 1, 7, "binary data, not a text log", NULL), 0);
    fclose(f);
    cr_expect_str_eq(buf, "logsift: dir/\\x1b]0;title\\x07: offset 7: binary data, not a text log\n");
    free(buf);
}
