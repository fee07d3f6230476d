/* fuzz_evtext.c - property checks for sift_evtext_parse and reading values after message labels. */
#include <string.h>

#include "fuzz.h"
#include "sift_evtext.h"
#include "sift_message.h"

/* The value after a label in a message, as the message layouts read it. */
static int desc_value(sift_slice desc, sift_slice label, sift_slice *value)
{
    return sift_message_label(desc, &label, 1, value);
}


#define FUZZ_BASE 4096u

/* Slices in bounds, have bits matching non-empty slices, status coherent. */
static sift_status parse_checked(const uint8_t *buf, size_t n, sift_evtext_rec *ev)
{
    sift_error err = { SIFT_OK, 0, NULL };
    const sift_status st = sift_evtext_parse(sift_slice_make(buf, n), FUZZ_BASE, ev, &err);
    const sift_slice f[] = { ev->log_name, ev->source, ev->date, ev->level, ev->computer, ev->description };
    const unsigned bit[] = { SIFT_EVTEXT_HAS_LOG_NAME, SIFT_EVTEXT_HAS_SOURCE, SIFT_EVTEXT_HAS_DATE, SIFT_EVTEXT_HAS_LEVEL, SIFT_EVTEXT_HAS_COMPUTER,
                             SIFT_EVTEXT_HAS_DESCRIPTION };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        FUZZ_ASSERT(fuzz_inside(f[i].ptr, f[i].len, buf, n));
        FUZZ_ASSERT(!(ev->have & bit[i]) == !f[i].len);
    }
    FUZZ_ASSERT((ev->have & ~0x7fu) == 0);
    if (ev->description.len)
        FUZZ_ASSERT(!sift_is_space(ev->description.ptr[0]) &&
                    !sift_is_space(ev->description.ptr[ev->description.len - 1]));
    if (st == SIFT_OK) {
        FUZZ_ASSERT((ev->have & SIFT_EVTEXT_HAS_EVENT_ID) && ev->event_id < 65536);
    } else {
        FUZZ_ASSERT(st == SIFT_ERR_SYNTAX || st == SIFT_ERR_MISSING || st == SIFT_ERR_NUMBER);
        FUZZ_ASSERT(err.code == st && err.detail != NULL);
        FUZZ_ASSERT(err.offset >= FUZZ_BASE && err.offset - FUZZ_BASE <= n);
        FUZZ_ASSERT(!(ev->have & SIFT_EVTEXT_HAS_EVENT_ID) && ev->event_id == 0);
        FUZZ_ASSERT(st == SIFT_ERR_NUMBER || err.offset == FUZZ_BASE);
    }
    FUZZ_ASSERT(st == SIFT_ERR_SYNTAX ? ev->style == 0 && ev->have == 0
                                      : ev->style == SIFT_EVTEXT_VIEWER || ev->style == SIFT_EVTEXT_WEVTUTIL);

    sift_evtext_rec again;
    FUZZ_ASSERT(sift_evtext_parse(sift_slice_make(buf, n), FUZZ_BASE, &again, NULL) == st);
    FUZZ_ASSERT(again.style == ev->style && again.have == ev->have && again.event_id == ev->event_id);
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        const sift_slice g[] = { again.log_name, again.source, again.date, again.level, again.computer,
                                 again.description };
        FUZZ_ASSERT(g[i].ptr == f[i].ptr && g[i].len == f[i].len);
    }
    return st;
}

/* A label that opens the first description line must be found there. */
static void check_desc_value(sift_slice desc, sift_slice label)
{
    sift_slice v;
    const int found = desc_value(desc, label, &v);
    FUZZ_ASSERT(fuzz_inside(v.ptr, v.len, desc.ptr, desc.len));
    FUZZ_ASSERT(found || v.len == 0);
    FUZZ_ASSERT(memchr(v.ptr ? (const void *)v.ptr : "", '\n', v.len) == NULL);
    if (desc.len == 0)
        return;
    /* desc is trimmed, so its first line is not empty even without its CR. */
    size_t first = sift_slice_find_byte(desc, '\n');
    if (first > 0 && desc.ptr[first - 1] == '\r')
        first--;
    FUZZ_ASSERT(first > 0);
    const size_t k = 1 + label.len % (first < 24 ? first : 24);
    FUZZ_ASSERT(desc_value(desc, sift_slice_make(desc.ptr, k), &v) == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const frames[] = { "Log Name:      System\n", "Event[0]:\n", "ログの名前: System\r\n" };
    sift_evtext_rec ev, lf_ev;
    parse_checked(data, size, &ev);

    /* Behind a frame line the fuzzer reaches the label and description paths
     * without having to discover the frame first. */
    size_t n, lone_cr;
    uint8_t *framed = fuzz_framed(frames, sizeof frames / sizeof frames[0], data, size, &n), *lf = malloc(n);
    FUZZ_ASSERT(lf != NULL);
    const sift_status st = parse_checked(framed, n, &ev);
    FUZZ_ASSERT(st != SIFT_ERR_SYNTAX);

    const size_t m = fuzz_crlf_to_lf(framed, n, lf, &lone_cr);
    FUZZ_ASSERT(parse_checked(lf, m, &lf_ev) == st);
    FUZZ_ASSERT(lf_ev.have == ev.have && lf_ev.event_id == ev.event_id && lf_ev.style == ev.style);

    const size_t off = size ? data[size - 1] % size : 0, len = size > 1 ? data[1] % 24u : 0;
    check_desc_value(ev.description, sift_slice_sub(sift_slice_make(data, size), off, len));
    free(framed);
    free(lf);
    return 0;
}
