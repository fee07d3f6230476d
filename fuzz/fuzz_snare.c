/* fuzz_snare.c - property checks for Snare MSWinEventLog records: slices
 * inside the line, statuses coherent with frame(), TAB and "#011" read
 * alike, dates bounded, decode() into the event model in bounds. */
#include <string.h>

#include "fuzz.h"
#include "sift_snare.h"

#define FUZZ_BASE 8192u

static sift_status parse_checked(const uint8_t *buf, size_t n, sift_snare_rec *r)
{
    sift_error err = { SIFT_OK, 0, NULL };
    const sift_slice rec = sift_slice_make(buf, n);
    const sift_status st = sift_snare_parse(rec, FUZZ_BASE, r, &err);
    size_t line = sift_slice_find_byte(rec, '\n');
    const sift_slice f[] = { r->host,     r->criticality, r->log_name, r->counter,  r->date,     r->source,
                             r->user,     r->sid_type,    r->event_type, r->computer, r->category, r->message };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        FUZZ_ASSERT(fuzz_inside(f[i].ptr, f[i].len, buf, line));
        FUZZ_ASSERT(!f[i].len || (!sift_is_space(f[i].ptr[0]) && !sift_is_space(f[i].ptr[f[i].len - 1])));
    }
    if (line && buf[line - 1] == '\r')
        line--;
    const int framed = sift_snare_frame(sift_slice_make(buf, line));
    if (st == SIFT_OK) {
        FUZZ_ASSERT(framed && r->fields >= SIFT_SNARE_MIN_FIELDS && r->event_id < 65536);
    } else {
        FUZZ_ASSERT(err.code == st && err.detail != NULL);
        FUZZ_ASSERT(err.offset >= FUZZ_BASE && err.offset - FUZZ_BASE <= line);
        FUZZ_ASSERT(st == SIFT_ERR_SYNTAX || st == SIFT_ERR_NUMBER);
        FUZZ_ASSERT(framed || (st == SIFT_ERR_SYNTAX && err.offset == FUZZ_BASE));
        FUZZ_ASSERT(r->event_id == 0);
    }
    sift_snare_rec again;
    FUZZ_ASSERT(sift_snare_parse(rec, FUZZ_BASE, &again, NULL) == st);
    FUZZ_ASSERT(memcmp(&again, r, sizeof again) == 0);

    sift_event ev;
    const sift_status dst = sift_snare_format.line->decode(rec, FUZZ_BASE, &ev, &err);
    FUZZ_ASSERT(dst == st && (st != SIFT_OK || (ev.have & SIFT_EV_ID)));
    const sift_slice sl[] = { ev.provider, ev.channel, ev.computer, ev.time_text, ev.message };
    for (size_t i = 0; i < sizeof sl / sizeof sl[0]; i++)
        FUZZ_ASSERT(fuzz_inside(sl[i].ptr, sl[i].len, buf, line));
    for (size_t k = 0; k < SIFT_FLD_COUNT; k++)
        FUZZ_ASSERT(fuzz_inside(ev.fld[k].ptr, ev.fld[k].len, ev.message.ptr, ev.message.len));
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const prefixes[] = { "<13>Jul 10 09:00:00 RDG01 MSWinEventLog\t", "MSWinEventLog\t",
                                            "RDG01\tMSWinEventLog\t1\tSystem\t5\t" };
    sift_snare_rec r;
    parse_checked(data, size, &r);

    /* Dates: any bytes, bounded, the same twice. */
    sift_when w1, w2;
    const sift_slice d = sift_slice_make(data, size < 80 ? size : 80);
    FUZZ_ASSERT(sift_snare_time(d, &w1) == w1.valid && sift_snare_time(d, &w2) == w2.valid);
    FUZZ_ASSERT(w1.valid == w2.valid && w1.secs == w2.secs && !w1.utc == !w2.utc);
    FUZZ_ASSERT(w1.valid || w1.secs == 0);

    const char *prefix = prefixes[size ? data[0] % 3 : 0];
    const size_t pl = strlen(prefix), n = pl + size;
    uint8_t *tab = malloc(n), *esc = malloc(4 * n);
    FUZZ_ASSERT(tab && esc);
    memcpy(tab, prefix, pl);
    if (size)
        memcpy(tab + pl, data, size);
    const sift_status st = parse_checked(tab, n, &r);
    FUZZ_ASSERT(st != SIFT_ERR_SYNTAX || r.fields < SIFT_SNARE_MIN_FIELDS);

    /* The same record behind a relay that writes TAB as #011. */
    if (!memchr(tab, '#', n)) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (tab[i] == '\t') {
                memcpy(esc + m, "#011", 4);
                m += 4;
            } else {
                esc[m++] = tab[i];
            }
        }
        sift_snare_rec e;
        FUZZ_ASSERT(parse_checked(esc, m, &e) == st);
        FUZZ_ASSERT(e.fields == r.fields && e.event_id == r.event_id && e.message.len == r.message.len);
        FUZZ_ASSERT(e.escaped && !r.escaped);
    }
    free(tab);
    free(esc);
    return 0;
}
