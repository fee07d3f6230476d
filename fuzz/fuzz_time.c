/* fuzz_time.c - sift_time_parse: accepted times are in range and survive format and re-parse;
 * the order classifier agrees with the parser. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sift_time.h"

/* The civil fields printed by sift_time_format, read back by hand, must give
 * secs through sift_days_from_civil: ties the two calendar directions. */
static int64_t secs_of_text(const char *p)
{
    const int64_t y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    const unsigned mo = (unsigned)((p[5] - '0') * 10 + (p[6] - '0'));
    const unsigned d = (unsigned)((p[8] - '0') * 10 + (p[9] - '0'));
    const int64_t h = (p[11] - '0') * 10 + (p[12] - '0');
    const int64_t mi = (p[14] - '0') * 10 + (p[15] - '0');
    const int64_t s = (p[17] - '0') * 10 + (p[18] - '0');
    return sift_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

/* sift_time_orders names exactly the orders sift_time_parse_order accepts;
 * sift_time_parse is the month-first reading when there is one. */
static void check_orders(sift_slice s, sift_status st, const sift_when *w)
{
    sift_when m, d, none;
    const unsigned o = sift_time_orders(s);
    const int okm = sift_time_parse_order(s, SIFT_DATE_MDY, &m) == SIFT_OK;
    const int okd = sift_time_parse_order(s, SIFT_DATE_DMY, &d) == SIFT_OK;
    const int ok0 = sift_time_parse_order(s, 0, &none) == SIFT_OK;
    FUZZ_ASSERT((st == SIFT_OK) == (okm || okd));
    if (o == SIFT_DATE_FIXED) {
        FUZZ_ASSERT(okm && okd && ok0 && m.secs == d.secs && none.secs == w->secs);
        FUZZ_ASSERT(sift_time_default_order(s) == 0);
        return;
    }
    FUZZ_ASSERT((o & ~3u) == 0 && !ok0);
    FUZZ_ASSERT(!!(o & SIFT_DATE_MDY) == okm && !!(o & SIFT_DATE_DMY) == okd);
    if (st == SIFT_OK)
        FUZZ_ASSERT(w->secs == (okm ? m.secs : d.secs));
    const unsigned def = sift_time_default_order(s);
    FUZZ_ASSERT(o ? def == SIFT_DATE_MDY || def == SIFT_DATE_DMY : def == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sift_when w;
    const sift_status st = sift_time_parse(sift_slice_make(data, size), &w);
    check_orders(sift_slice_make(data, size), st, &w);
    FUZZ_ASSERT(st == SIFT_OK || st == SIFT_ERR_SYNTAX);
    if (st != SIFT_OK) {
        FUZZ_ASSERT(w.valid == 0 && w.secs == 0);
        return 0;
    }
    FUZZ_ASSERT(w.valid == 1 && w.utc <= 1 && w.nsec <= 999999999u);
    FUZZ_ASSERT(w.secs >= 0 && w.secs <= INT64_C(253402300799));

    char text[32];
    const size_t n = sift_time_format(w, text, sizeof text);
    FUZZ_ASSERT(n == (w.utc ? 20u : 19u) && text[n] == '\0');
    FUZZ_ASSERT(secs_of_text(text) == w.secs);

    /* Seconds precision: the fraction is dropped, nothing else changes. */
    sift_when again;
    FUZZ_ASSERT(sift_time_parse(sift_slice_make(text, n), &again) == SIFT_OK);
    FUZZ_ASSERT(again.secs == w.secs && again.utc == w.utc && again.nsec == 0 && again.valid == 1);

    /* A short buffer gets a NUL-terminated prefix of the same text. */
    char small[8];
    FUZZ_ASSERT(sift_time_format(w, small, sizeof small) == 7 && memcmp(small, text, 7) == 0 && small[7] == '\0');

    /* Surrounding blanks do not change the result. */
    uint8_t *padded = malloc(size + 4);
    FUZZ_ASSERT(padded != NULL);
    padded[0] = ' ';
    padded[1] = '\t';
    memcpy(padded + 2, data, size);
    padded[size + 2] = '\r';
    padded[size + 3] = '\n';
    sift_when pad;
    FUZZ_ASSERT(sift_time_parse(sift_slice_make(padded, size + 4), &pad) == SIFT_OK);
    FUZZ_ASSERT(pad.secs == w.secs && pad.nsec == w.nsec && pad.utc == w.utc);
    free(padded);
    return 0;
}
