/* fuzz_splunk.c - property checks for the Splunk key=value records: every
 * slice inside the record, statuses coherent with frame(), CRLF read as LF,
 * a record cut after a line reading as far as it went, decode() into the
 * event model in bounds. */
#include <string.h>

#include "fuzz.h"
#include "sift_splunk.h"

#define FUZZ_BASE 8192u

static sift_slice *fields(sift_splunk_rec *r, size_t *n)
{
    static sift_slice f[8];
    const sift_slice g[] = { r->date, r->log_name, r->source, r->event_type, r->type, r->computer, r->record_number,
                             r->message };
    memcpy(f, g, sizeof g);
    *n = sizeof g / sizeof g[0];
    return f;
}

static sift_status parse_checked(const uint8_t *buf, size_t n, sift_splunk_rec *r)
{
    sift_error err = { SIFT_OK, 0, NULL };
    const sift_slice rec = sift_slice_make(buf, n);
    const sift_status st = sift_splunk_parse(rec, FUZZ_BASE, r, &err);
    size_t nf;
    const sift_slice *f = fields(r, &nf);
    static const unsigned bits[] = { SIFT_SPLUNK_HAS_DATE,   SIFT_SPLUNK_HAS_LOG_NAME,      SIFT_SPLUNK_HAS_SOURCE,
                                     SIFT_SPLUNK_HAS_EVENT_TYPE, SIFT_SPLUNK_HAS_TYPE,      SIFT_SPLUNK_HAS_COMPUTER,
                                     SIFT_SPLUNK_HAS_RECORD_NUMBER, SIFT_SPLUNK_HAS_MESSAGE };
    for (size_t i = 0; i < nf; i++) {
        FUZZ_ASSERT(fuzz_inside(f[i].ptr, f[i].len, buf, n));
        FUZZ_ASSERT(!(r->have & bits[i]) == !f[i].len);
        FUZZ_ASSERT(!f[i].len || (!sift_is_space(f[i].ptr[0]) && !sift_is_space(f[i].ptr[f[i].len - 1])));
        /* Values before the message are one line's. */
        if (i + 1 < nf)
            FUZZ_ASSERT(!f[i].len || !memchr(f[i].ptr, '\n', f[i].len));
    }
    /* The frame decides SYNTAX, and nothing else does. */
    sift_slice first = rec;
    first.len = sift_slice_find_byte(rec, '\n');
    if (first.len && first.ptr[first.len - 1] == '\r')
        first.len--;
    FUZZ_ASSERT((st == SIFT_ERR_SYNTAX) == !sift_splunk_frame(sift_slice_make(first.ptr, first.len)));
    if (st == SIFT_OK) {
        FUZZ_ASSERT(!!(r->have & SIFT_SPLUNK_HAS_EVENT_CODE) == (r->keys != 0) && r->event_code < 65536);
    } else {
        FUZZ_ASSERT(err.code == st && err.detail != NULL);
        FUZZ_ASSERT(err.offset >= FUZZ_BASE && err.offset - FUZZ_BASE <= n);
        FUZZ_ASSERT(st == SIFT_ERR_SYNTAX || st == SIFT_ERR_MISSING || st == SIFT_ERR_NUMBER);
        FUZZ_ASSERT(st == SIFT_ERR_NUMBER || err.offset == FUZZ_BASE);
        FUZZ_ASSERT(!(r->have & SIFT_SPLUNK_HAS_EVENT_CODE));
        FUZZ_ASSERT(st != SIFT_ERR_SYNTAX || (r->have == 0 && r->keys == 0));
        FUZZ_ASSERT(st == SIFT_ERR_SYNTAX || r->keys != 0);
    }
    sift_splunk_rec again;
    FUZZ_ASSERT(sift_splunk_parse(rec, FUZZ_BASE, &again, NULL) == st);
    FUZZ_ASSERT(memcmp(&again, r, sizeof again) == 0);

    sift_event ev;
    sift_error derr = { SIFT_OK, 0, NULL };
    const sift_status dst = sift_splunk_format.line->decode(rec, FUZZ_BASE, &ev, &derr);
    FUZZ_ASSERT(dst == st);
    const sift_slice sl[] = { ev.provider, ev.channel, ev.computer, ev.time_text, ev.message };
    for (size_t i = 0; i < sizeof sl / sizeof sl[0]; i++)
        FUZZ_ASSERT(fuzz_inside(sl[i].ptr, sl[i].len, buf, n));
    for (size_t k = 0; k < SIFT_FLD_COUNT; k++)
        FUZZ_ASSERT(fuzz_inside(ev.fld[k].ptr, ev.fld[k].len, ev.message.ptr, ev.message.len));
    FUZZ_ASSERT(!!(ev.have & SIFT_EV_ID) == (st == SIFT_OK && (r->have & SIFT_SPLUNK_HAS_EVENT_CODE)));
    FUZZ_ASSERT(!ev.time.valid || r->date.len);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const frames[] = { "07/10/2024 09:00:00 AM\n", "2024/07/10 9:00:00\r\n",
                                          "10/07/2024 09:00:00 LogName=System ", "Date=07/10/2024 09:00:00 AM\n",
                                          "LogName=Application EventCode=1000 SourceName=" };
    sift_splunk_rec r, lf_r;
    parse_checked(data, size, &r);

    size_t n;
    uint8_t *framed = fuzz_framed(frames, sizeof frames / sizeof frames[0], data, size, &n), *lf = malloc(n);
    FUZZ_ASSERT(lf != NULL);
    const size_t fl = n - size;
    const sift_status st = parse_checked(framed, n, &r);

    /* CRLF and LF line ends read alike, when every CR is part of a CRLF. */
    size_t lone_cr;
    const size_t m = fuzz_crlf_to_lf(framed, n, lf, &lone_cr);
    if (!lone_cr) {
        FUZZ_ASSERT(parse_checked(lf, m, &lf_r) == st);
        FUZZ_ASSERT(lf_r.have == r.have && lf_r.event_code == r.event_code && lf_r.keys == r.keys);
    }

    /* Cut after a line end: what lay before the cut reads the same. */
    const size_t cut = size ? fl + (size_t)data[size - 1] * 131 % (size + 1) : 0;
    const uint8_t *nl = cut ? memrchr(framed, '\n', cut) : NULL;
    if (nl) {
        const size_t k = (size_t)(nl - framed) + 1;
        sift_splunk_rec p;
        parse_checked(framed, k, &p);
        size_t nf;
        sift_slice whole[8];
        memcpy(whole, fields(&r, &nf), sizeof whole);
        const sift_slice *part = fields(&p, &nf);
        for (size_t i = 0; i + 1 < nf; i++)
            if (whole[i].len && (size_t)(whole[i].ptr - framed) + whole[i].len < k)
                FUZZ_ASSERT(part[i].ptr == whole[i].ptr && part[i].len == whole[i].len);
        FUZZ_ASSERT(p.keys <= r.keys);
    }
    free(framed);
    free(lf);
    return 0;
}
