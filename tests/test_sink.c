/* test_sink.c - the encoding sink, through a consumer that is not the
 * scanner: encodings judged, UTF-16LE transcoded, rejections, and what the
 * consumer keeps handed back, whatever the chunking. */
#include <criterion/criterion.h>
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
