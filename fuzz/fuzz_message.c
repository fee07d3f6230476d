/* fuzz_message.c - sift_message_fields on random messages: every field a
 * trimmed one-line slice of the message, or the one the format set; only
 * the event's own fields; deterministic; lines read as they do whole. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sift_message.h"

static const struct {
    const char *provider;
    uint16_t id;
} kinds[] = {
    { "Application Error", 1000 }, { "APPLICATION ERROR", 1000 }, { "EventLog", 6013 },
    { "eventlog", 6013 },          { "Application Error", 1001 }, { "Tcpip", 4227 },
    { "Windows Error Reporting", 1001 }, { "Service Control Manager", 7031 }, { "service control manager", 7034 },
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

static sift_event fields(unsigned kind, unsigned preset, const uint8_t *msg, size_t n)
{
    sift_event ev = { .have = SIFT_EV_ID, .id = kinds[kind].id };
    ev.provider = sift_slice_make(kinds[kind].provider, strlen(kinds[kind].provider));
    ev.message = sift_slice_make(msg, n);
    for (unsigned f = 0; f < SIFT_FLD_COUNT; f++)
        if (preset & (1u << f))
            ev.fld[f] = SIFT_LIT("preset");
    sift_message_fields(&ev);
    for (unsigned f = 0; f < SIFT_FLD_COUNT; f++) {
        sift_slice s = ev.fld[f];
        if (preset & (1u << f)) {
            FUZZ_ASSERT(sift_slice_eq(s, SIFT_LIT("preset")) && !fuzz_inside(s.ptr, 1, msg, n));
            continue;
        }
        FUZZ_ASSERT(fuzz_inside(s.ptr, s.len, msg, n));
        FUZZ_ASSERT(!s.len || (!sift_is_space(s.ptr[0]) && !sift_is_space(s.ptr[s.len - 1])));
        FUZZ_ASSERT(!s.len || !memchr(s.ptr, '\n', s.len));
        if (s.len && kinds[kind].id == 6013) {
            FUZZ_ASSERT(f == SIFT_FLD_UPTIME);
            for (size_t i = 0; i < s.len; i++)
                FUZZ_ASSERT(s.ptr[i] >= '0' && s.ptr[i] <= '9');
            for (const uint8_t *p = msg; p < s.ptr; p++)
                FUZZ_ASSERT(!(*p >= '0' && *p <= '9')); /* the first integer */
        }
        /* Each layout gives its own fields only. */
        const uint16_t id = kinds[kind].id;
        const int wer = id == 1001 && kinds[kind].provider[0] == 'W';
        FUZZ_ASSERT(!s.len || id == 6013 ||
                    ((id == 1000 || wer) && f != SIFT_FLD_UPTIME && f != SIFT_FLD_SERVICE) ||
                    ((id == 7031 || id == 7034) && f == SIFT_FLD_SERVICE));
    }
    return ev;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const unsigned kind = data[0] % N_KINDS, preset = data[1] & ((1u << SIFT_FLD_COUNT) - 1);
    const size_t n = size - 2;
    /* Two exact-size copies: ASan sees a one-byte over-read, and offsets must agree. */
    uint8_t *a = malloc(n ? n : 1), *b = malloc(n ? n : 1);
    FUZZ_ASSERT(a && b);
    memcpy(a, data + 2, n);
    memcpy(b, data + 2, n);
    const sift_event x = fields(kind, preset, a, n), y = fields(kind, preset, b, n);
    for (unsigned f = 0; f < SIFT_FLD_COUNT; f++) {
        FUZZ_ASSERT(x.fld[f].len == y.fld[f].len);
        if (x.fld[f].len && !(preset & (1u << f)))
            FUZZ_ASSERT(x.fld[f].ptr - a == y.fld[f].ptr - b);
    }
    /* Cut after a line end: a value whose line ended before the cut reads the same. */
    const size_t cut = n ? (size_t)data[size - 1] * 257 % (n + 1) : 0;
    const uint8_t *nl = cut ? memrchr(a, '\n', cut) : NULL;
    if (nl) {
        const size_t m = (size_t)(nl - a) + 1;
        const sift_event p = fields(kind, preset, a, m);
        for (unsigned f = 0; f < SIFT_FLD_COUNT; f++) {
            const sift_slice w = x.fld[f];
            if (w.len && !(preset & (1u << f)) && (size_t)(w.ptr - a) + w.len < m)
                FUZZ_ASSERT(p.fld[f].ptr == w.ptr && p.fld[f].len == w.len);
        }
    }
    free(a);
    free(b);
    return 0;
}
