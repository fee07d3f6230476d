/* test_sink.c - the encoding sink, through a consumer that is not the
 * scanner: encodings judged, UTF-16LE transcoded, rejections, and what the
 * consumer keeps handed back, whatever the chunking. */
#include <criterion/criterion.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift_sink.h"

#define WINDOW (256u * 1024u)
#define KEEP (64u * 1024u)

/* Keeps the tail after the last newline, as a line framer would, and
 * collects whole lines. */
typedef struct fake {
    char *text;
    size_t len, cap;
    int begins, ends, rejects;
    uint64_t start;
    const char *why;
    int stop_after; /* consume calls before saying stop; 0: never */
    int calls;
} fake;

static void fake_add(fake *f, const uint8_t *p, size_t n)
{
    if (f->len + n + 1 > f->cap) {
        f->cap = (f->len + n + 1) * 2;
        f->text = realloc(f->text, f->cap);
        cr_assert_not_null(f->text);
    }
    memcpy(f->text + f->len, p, n);
    f->len += n;
    f->text[f->len] = '\0';
}

static int fake_begin(void *ctx, uint64_t start)
{
    fake *f = ctx;
    f->begins++;
    f->start = start;
    return 0;
}

static int fake_consume(void *ctx, sift_in *in, unsigned flags)
{
    fake *f = ctx;
    f->calls++;
    size_t upto = in->size;
    if (!(flags & SIFT_SINK_END)) {
        while (upto > 0 && in->buf[upto - 1] != '\n')
            upto--;
        if (upto < in->pos)
            upto = in->pos; /* nothing whole since pos: keep from there */
        /* Everything before pos was seen whole already, or is kept. */
    } else {
        f->ends++;
    }
    /* Lines before in->pos were kept by us, not yet collected. */
    fake_add(f, in->buf, upto);
    cr_assert_leq(in->size - upto, KEEP, "the fake keeps no more than it said");
    in->pos = upto;
    return f->stop_after && f->calls >= f->stop_after ? -1 : 0;
}

static void fake_reject(void *ctx, const char *why)
{
    fake *f = ctx;
    f->rejects++;
    f->why = why;
}

static sift_sink *make_sink(fake *f)
{
    sift_sink_consumer c = { f, fake_begin, fake_consume, fake_reject, NULL };
    sift_sink *k = sift_sink_create(WINDOW, KEEP, &c);
    cr_assert_not_null(k);
    return k;
}

/* Feed p in chunks of chunk bytes (0: at once), through write or adopt. */
static void feed(sift_sink *k, const uint8_t *p, size_t n, size_t chunk, int adopt)
{
    sift_sink_begin(k, 0);
    uint8_t *room = malloc(KEEP + (chunk ? chunk : n) + 1);
    cr_assert_not_null(room);
    for (size_t off = 0; off < n;) {
        size_t c = chunk && n - off > chunk ? chunk : n - off;
        if (adopt) {
            memcpy(room + KEEP, p + off, c);
            sift_sink_adopt(k, room + KEEP, c);
        } else {
            sift_sink_write(k, p + off, c);
        }
        off += c;
    }
    sift_sink_finish(k);
    free(room);
}

static char *text_lines(size_t n_lines)
{
    char *t = malloc(n_lines * 40 + 1);
    cr_assert_not_null(t);
    size_t len = 0;
    for (size_t i = 0; i < n_lines; i++)
        len += (size_t)sprintf(t + len, "line %zu of the text, caf\xc3\xa9\n", i);
    return t;
}

/* ASCII and U+00E9 as UTF-16LE, with a BOM. */
static uint8_t *to_utf16(const char *s, size_t *out_len)
{
    size_t n = strlen(s);
    uint8_t *u = malloc(2 + 2 * n);
    cr_assert_not_null(u);
    size_t j = 0;
    u[j++] = 0xff;
    u[j++] = 0xfe;
    for (size_t i = 0; i < n; i++) {
        if ((uint8_t)s[i] == 0xc3) {
            u[j++] = 0xe9;
            u[j++] = 0;
            i++;
        } else {
            u[j++] = (uint8_t)s[i];
            u[j++] = 0;
        }
    }
    *out_len = j;
    return u;
}

Test(sink, utf16le_reaches_the_consumer_as_utf8_whatever_the_chunking)
{
    char *text = text_lines(30000); /* about 1 MB: several windows */
    size_t n;
    uint8_t *u16 = to_utf16(text, &n);
    static const size_t chunks[] = { 0, 1, 7, 4096, 65537 };
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        fake f = { 0 };
        sift_sink *k = make_sink(&f);
        feed(k, u16, n, chunks[i], 0);
        cr_expect_eq(sift_sink_encoding(k), SIFT_ENC_UTF16LE);
        cr_expect_eq(f.begins, 1);
        cr_expect_eq(f.start, 0, "UTF-16 offsets count the UTF-8 text");
        cr_expect_eq(f.ends, 1);
        cr_expect_eq(f.rejects, 0);
        cr_expect_eq(f.len, strlen(text), "chunk %zu", chunks[i]);
        cr_expect(f.text && strcmp(f.text, text) == 0, "chunk %zu", chunks[i]);
        free(f.text);
        sift_sink_free(k);
    }
    free(u16);
    free(text);
}

Test(sink, utf8_adopted_in_place_reads_as_written)
{
    char *text = text_lines(30000);
    size_t n = strlen(text);
    static const size_t chunks[] = { 1000, 4096, 100000 };
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        for (int adopt = 0; adopt < 2; adopt++) {
            fake f = { 0 };
            sift_sink *k = make_sink(&f);
            feed(k, (const uint8_t *)text, n, chunks[i], adopt);
            cr_expect_eq(f.start, 0);
            cr_expect_eq(f.len, n, "chunk %zu adopt %d", chunks[i], adopt);
            cr_expect(f.text && strcmp(f.text, text) == 0, "chunk %zu adopt %d", chunks[i], adopt);
            free(f.text);
            sift_sink_free(k);
        }
    }
    free(text);
}

Test(sink, a_utf8_bom_is_skipped_and_the_text_begins_after_it)
{
    fake f = { 0 };
    sift_sink *k = make_sink(&f);
    static const char in[] = "\xef\xbb\xbfHostname: FS01\n";
    feed(k, (const uint8_t *)in, sizeof in - 1, 0, 0);
    cr_expect_eq(f.start, 3);
    cr_expect_str_eq(f.text + 3, "Hostname: FS01\n", "the window still holds the BOM before pos");
    free(f.text);
    sift_sink_free(k);
}

Test(sink, binary_and_old_evt_are_rejected_and_read_no_further)
{
    static uint8_t zeros[100000];
    static const struct {
        const uint8_t *p;
        size_t n;
        const char *why;
    } cases[] = {
        { zeros, sizeof zeros, "binary data, not a text log" },
        /* No claim: an .evtx is binary like any other. */
        { (const uint8_t *)"ElfFile\0\0\0\0\0\0\0\0\0", 16, "binary data, not a text log" },
        { (const uint8_t *)"\x30\0\0\0LfLe\1\0\0\0\1\0\0\0", 16, "an old-format .evt event log" },
        { (const uint8_t *)"\xfe\xff\0a\0b", 6, "UTF-16BE text is not supported" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fake f = { 0 };
        sift_sink *k = make_sink(&f);
        feed(k, cases[i].p, cases[i].n, 1000, 0);
        cr_expect_eq(f.rejects, 1, "case %zu", i);
        cr_expect(f.why && strncmp(f.why, cases[i].why, strlen(cases[i].why)) == 0, "case %zu: %s", i, f.why);
        cr_expect_eq(f.begins + f.calls, 0, "nothing reaches the consumer");
        cr_expect(sift_sink_rejected(k) && sift_sink_stopped(k));
        free(f.text);
        sift_sink_free(k);
    }
}

/* Only the .evt header's size (48) before its magic makes an old log: text
 * that holds "LfLe" at offset 4 is text, whichever path reads it. */
Test(sink, text_with_the_old_evt_magic_at_offset_4_is_text)
{
    static const char in[] = "\xef\xbb\xbfLLfLe: not an event log\n";
    cr_expect_not(sift_sink_old_evt(sift_slice_make(in, sizeof in - 1)));
    cr_expect(sift_sink_old_evt(sift_slice_make("\x30\0\0\0LfLe", 8)));
    fake f = { 0 };
    sift_sink *k = make_sink(&f);
    feed(k, (const uint8_t *)in, sizeof in - 1, 0, 0);
    cr_expect_eq(f.rejects, 0);
    cr_expect_str_eq(f.text + 3, "LLfLe: not an event log\n");
    free(f.text);
    sift_sink_free(k);
}

static int claim_elf(void *ctx, sift_slice head)
{
    (void)ctx;
    return head.len >= 8 && memcmp(head.ptr, "ElfFile", 8) == 0;
}

/* A consumer that keeps nothing: every byte as it came. */
static int raw_consume(void *ctx, sift_in *in, unsigned flags)
{
    fake *f = ctx;
    f->calls++;
    f->ends += (flags & SIFT_SINK_END) != 0;
    fake_add(f, in->buf + in->pos, in->size - in->pos);
    in->pos = in->size;
    return 0;
}

Test(sink, a_claimed_input_reaches_the_consumer_byte_for_byte_however_it_is_fed)
{
    size_t n = 300000;
    uint8_t *p = malloc(n);
    cr_assert_not_null(p);
    memcpy(p, "ElfFile", 8);
    for (size_t i = 8; i < n; i++)
        p[i] = (uint8_t)(i * 2654435761u >> 13); /* NULs, high bytes, BOM-like pairs */
    static const size_t pieces[] = { 1, 7, 4096, 65536, 300000 };
    for (size_t c = 0; c < sizeof pieces / sizeof pieces[0]; c++) {
        for (int adopt = 0; adopt <= 1; adopt++) {
            fake f = { 0 };
            sift_sink_consumer cc = { &f, fake_begin, raw_consume, fake_reject, claim_elf };
            sift_sink *k = sift_sink_create(WINDOW, KEEP, &cc);
            cr_assert_not_null(k);
            feed(k, p, n, pieces[c], adopt);
            cr_expect_eq(f.rejects, 0);
            cr_expect_eq(f.begins, 1);
            cr_expect_eq(f.start, 0);
            cr_expect_eq(f.ends, 1);
            cr_expect_eq(f.len, n, "piece %zu adopt %d: %zu bytes", pieces[c], adopt, f.len);
            cr_expect(f.len == n && memcmp(f.text, p, n) == 0, "piece %zu adopt %d: bytes differ", pieces[c], adopt);
            free(f.text);
            sift_sink_free(k);
        }
    }
    free(p);
}

Test(sink, a_consumer_that_says_stop_is_given_nothing_more)
{
    char *text = text_lines(30000);
    fake f = { 0 };
    f.stop_after = 1;
    sift_sink *k = make_sink(&f);
    feed(k, (const uint8_t *)text, strlen(text), 4096, 0);
    cr_expect_eq(f.calls, 1);
    cr_expect(sift_sink_stopped(k) && !sift_sink_rejected(k));
    free(f.text);
    sift_sink_free(k);
    free(text);
}

Test(sink, refuses_a_window_too_small_for_the_keep)
{
    fake f = { 0 };
    sift_sink_consumer c = { &f, fake_begin, fake_consume, fake_reject, NULL };
    cr_expect_null(sift_sink_create(KEEP + SIFT_SINK_MIN_ROOM, KEEP, &c));
    cr_expect_null(sift_sink_create(KEEP - 1, KEEP, &c));
}

/* ---- CP932 ---------------------------------------------------------------- */

/* text (UTF-8) in CP932, as `iconv -f UTF-8 -t CP932` writes it; malloc'd. */
static uint8_t *to_cp932(const char *text, size_t *out_len)
{
    size_t cap = strlen(text) + 1;
    uint8_t *out = malloc(cap);
    cr_assert_not_null(out);
    iconv_t cd = iconv_open("CP932", "UTF-8");
    cr_assert(cd != (iconv_t)-1);
    char *ip = (char *)(uintptr_t)text, *op = (char *)out;
    size_t il = strlen(text), ol = cap;
    cr_assert_neq(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
    iconv_close(cd);
    *out_len = cap - ol;
    return out;
}

/* About 1.5 MB of Japanese netstat text: the title, then rows, each line
 * with kana and kanji, so characters straddle every chunk boundary. */
static char *ja_lines(size_t n_lines)
{
    static const char head[] = u8"\r\nアクティブな接続\r\n\r\n  プロトコル  ローカル アドレス   外部アドレス   状態\r\n";
    char *t = malloc(sizeof head + n_lines * 80);
    cr_assert_not_null(t);
    size_t len = (size_t)sprintf(t, "%s", head);
    for (size_t i = 0; i < n_lines; i++)
        len += (size_t)sprintf(t + len, u8"  TCP  10.0.0.%zu:%zu  接続先ホスト:443  TIME_WAIT  ｱ%zu\r\n", i % 250,
                               49152 + i % 16384, i);
    return t;
}

Test(sink, cp932_reaches_the_consumer_as_utf8_whatever_the_chunking)
{
    char *text = ja_lines(30000);
    size_t n;
    uint8_t *sj = to_cp932(text, &n);
    static const size_t chunks[] = { 0, 1, 7, 4095, 4096, 65537 };
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        for (int adopt = 0; adopt < 2; adopt++) {
            fake f = { 0 };
            sift_sink *k = make_sink(&f);
            feed(k, sj, n, chunks[i], adopt);
            cr_expect_eq(sift_sink_encoding(k), SIFT_ENC_CP932);
            cr_expect_eq(f.begins, 1);
            cr_expect_eq(f.start, 0, "CP932 offsets count the UTF-8 text");
            cr_expect_eq(f.ends, 1);
            cr_expect_eq(sift_sink_replaced(k), 0);
            cr_expect_eq(f.len, strlen(text), "chunk %zu adopt %d", chunks[i], adopt);
            cr_expect(f.text && strcmp(f.text, text) == 0, "chunk %zu adopt %d", chunks[i], adopt);
            free(f.text);
            sift_sink_free(k);
        }
    }
    free(sj);
    free(text);
}

Test(sink, bytes_not_cp932_are_replaced_counted_and_the_stream_goes_on)
{
    char *text = ja_lines(2000);
    size_t n;
    uint8_t *sj = to_cp932(text, &n);
    /* damage far past the sniffed head: a stray 0x80, and a lead byte
     * before a line end */
    size_t at = n / 2;
    while (sj[at] != '\r')
        at++;
    sj[at - 1] = 0x82;
    sj[at - 20] = 0x80;
    static const size_t chunks[] = { 0, 1, 4096 };
    char *first = NULL;
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        fake f = { 0 };
        sift_sink *k = make_sink(&f);
        feed(k, sj, n, chunks[i], 0);
        cr_expect_eq(sift_sink_encoding(k), SIFT_ENC_CP932);
        cr_expect_eq(sift_sink_replaced(k), 2, "chunk %zu", chunks[i]);
        cr_expect_eq(f.ends, 1);
        cr_assert_not_null(f.text);
        cr_expect_not_null(strstr(f.text, "\xef\xbf\xbd\r\n"), "the line end after the damage is kept");
        /* every line is still there */
        size_t lines = 0;
        for (const char *p = f.text; (p = strchr(p, '\n')) != NULL; p++)
            lines++;
        cr_expect_eq(lines, 2000 + 4);
        if (!first)
            first = f.text;
        else
            cr_expect_str_eq(f.text, first, "chunk %zu", chunks[i]);
        if (f.text != first)
            free(f.text);
        sift_sink_free(k);
    }
    free(first);
    free(sj);
    free(text);
}

Test(sink, a_forced_encoding_overrides_the_judgement)
{
    size_t n;
    uint8_t *sj = to_cp932(u8"ホスト名: FS01\r\n", &n); /* two kana: judged CP932 */
    fake f = { 0 };
    sift_sink *k = make_sink(&f);
    cr_expect_eq(sift_sink_force(k, SIFT_ENC_UTF8), 0);
    feed(k, sj, n, 0, 0);
    cr_expect_eq(sift_sink_encoding(k), SIFT_ENC_UTF8);
    cr_expect(f.len == n && memcmp(f.text, sj, n) == 0, "forced UTF-8: the bytes as they are");
    free(f.text);
    sift_sink_free(k);
    free(sj);

    /* one kana: judged UTF-8 (bytes), forced CP932 */
    sj = to_cp932(u8"ホ: FS01\r\n", &n);
    f = (fake){ 0 };
    k = make_sink(&f);
    cr_expect_eq(sift_sink_force(k, SIFT_ENC_CP932), 0);
    size_t bom;
    cr_expect_eq(sift_sink_judge(k, sift_slice_make(sj, n), &bom), SIFT_ENC_CP932);
    feed(k, sj, n, 1, 0);
    cr_expect_eq(sift_sink_encoding(k), SIFT_ENC_CP932);
    cr_expect_str_eq(f.text, u8"ホ: FS01\r\n");
    free(f.text);
    free(sj);

    /* forced CP932 still rejects NUL bytes; a UTF-8 BOM is then text */
    f = (fake){ 0 };
    feed(k, (const uint8_t *)"a\0b\n", 4, 0, 0);
    cr_expect_eq(f.rejects, 1);
    free(f.text);
    f = (fake){ 0 };
    feed(k, (const uint8_t *)"\xef\xbb\xbf" "a\n", 5, 0, 0);
    cr_expect_eq(f.start, 0);
    cr_expect_eq(sift_sink_replaced(k), 1, "EF BB is a pair with no character, BF a half-width katakana");
    free(f.text);
    sift_sink_free(k);

    /* forced UTF-16LE: a BOM-less head with too few NULs to be judged so */
    static const uint8_t u16[] = { 0xA2, 0x30, 0xAF, 0x30, '\n', 0 };
    f = (fake){ 0 };
    k = make_sink(&f);
    cr_expect_eq(sift_sink_force(k, SIFT_ENC_UTF16LE), 0);
    feed(k, u16, sizeof u16, 0, 0);
    cr_expect_eq(f.rejects, 0);
    cr_expect_str_eq(f.text, u8"アク\n");
    free(f.text);
    /* and its BOM is skipped */
    static const uint8_t u16bom[] = { 0xFF, 0xFE, 'A', 0, '\n', 0 };
    f = (fake){ 0 };
    feed(k, u16bom, sizeof u16bom, 0, 0);
    cr_expect_str_eq(f.text, "A\n");
    cr_expect_eq(sift_sink_force(k, SIFT_ENC_BINARY), -1);
    cr_expect_eq(sift_sink_force(k, SIFT_ENC_UTF16BE), -1);
    free(f.text);
    sift_sink_free(k);
}

Test(sink, latin1_text_is_passed_on_as_bytes)
{
    static const char de[] = "Aktive Verbindungen: ge\xe4ndert, Gr\xf6\xdf" "e\r\n";
    fake f = { 0 };
    sift_sink *k = make_sink(&f);
    feed(k, (const uint8_t *)de, sizeof de - 1, 3, 0);
    cr_expect_eq(sift_sink_encoding(k), SIFT_ENC_UTF8);
    cr_expect_str_eq(f.text, de);
    cr_expect_eq(sift_sink_replaced(k), 0);
    free(f.text);
    sift_sink_free(k);
}
