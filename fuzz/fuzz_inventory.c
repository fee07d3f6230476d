/* fuzz_inventory.c - the inventory hooks over every line of the input, with
 * line numbers that jump (gaps) where the input says: facts stay inside the
 * state, within their limits, and two runs give the same facts. */
#include <string.h>

#include "sift_inventory.h"
#include "fuzz.h"

static _Alignas(16) unsigned char state_a[64 * 1024], state_b[64 * 1024];

/* A digest of one finished inventory, and its checks. */
static uint64_t fact_sig(const sift_host_fact *f, const void *state, size_t state_size)
{
    const sift_slice s[4] = { f->host, f->os_name, f->os_version, f->time_zone };
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < 4; i++) {
        FUZZ_ASSERT(s[i].len <= SIFT_INV_VALUE_MAX);
        FUZZ_ASSERT(fuzz_inside(s[i].ptr, s[i].len, state, state_size));
        for (size_t k = 0; k < s[i].len; k++)
            h = (h ^ s[i].ptr[k]) * 1099511628211ull;
    }
    FUZZ_ASSERT(f->n_kbs <= SIFT_FACT_MAX_KBS);
    FUZZ_ASSERT(f->n_kbs == 0 || fuzz_inside(f->kbs, f->n_kbs * sizeof f->kbs[0], state, state_size));
    for (size_t k = 0; k < f->n_kbs; k++)
        h = (h ^ f->kbs[k]) * 1099511628211ull;
    FUZZ_ASSERT(f->kbs_complete <= 1 && f->has_utc_offset <= 1);
    FUZZ_ASSERT(!f->has_utc_offset || (f->utc_offset_min >= -14 * 60 && f->utc_offset_min <= 14 * 60));
    uint64_t up = 0;
    if (sift_fact_uptime(f, &up))
        FUZZ_ASSERT(f->boot_time.valid && f->captured.valid);
    const sift_when w[3] = { f->boot_time, f->installed, f->captured };
    for (int i = 0; i < 3; i++) {
        if (!w[i].valid)
            continue;
        char t[64];
        FUZZ_ASSERT(sift_time_format(w[i], t, sizeof t) > 0);
        h = (h ^ (uint64_t)w[i].secs) * 1099511628211ull;
    }
    return h ^ up ^ f->where.line << 1 ^ f->where.offset << 7 ^ f->kbs_complete;
}

static uint64_t run(const uint8_t *data, size_t size, unsigned char *state)
{
    const sift_line_ops *ops = sift_inventory_format.line;
    FUZZ_ASSERT(ops->fact_state_size <= sizeof state_a);
    ops->fact_init(state);
    uint64_t h = 0, line_no = 0, n = 0;
    sift_host_fact f;
    for (size_t pos = 0; pos < size;) {
        const uint8_t *p = data + pos;
        const uint8_t *nl = memchr(p, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - p) : size - pos;
        /* A line starting with '#' stands for a run of lines no pattern hits. */
        line_no += len && p[0] == '#' ? 1 + len * 7 : 1;
        unsigned r = ops->fact_line(state, sift_slice_make(p, len), line_no, pos, &f);
        FUZZ_ASSERT((r & ~(unsigned)(SIFT_FACT_DONE | SIFT_FACT_OPENED | SIFT_FACT_OPEN)) == 0);
        int anchor = ops->fact_anchor(sift_slice_make(p, len));
        FUZZ_ASSERT(anchor == 0 || anchor == 1);
        h = h * 3 + (uint64_t)anchor;
        if (r & SIFT_FACT_DONE) {
            FUZZ_ASSERT(f.where.line <= line_no && f.where.offset <= pos);
            h = h * 31 + fact_sig(&f, state, ops->fact_state_size);
            n++;
        }
        sift_when w;
        int32_t off;
        uint8_t has;
        if (sift_inventory_wmi_time(sift_slice_make(p, len), &w, &off, &has) == SIFT_OK)
            FUZZ_ASSERT(w.valid);
        if (sift_inventory_tz_offset(sift_slice_make(p, len), &off))
            FUZZ_ASSERT(off >= -14 * 60 && off <= 14 * 60);
        pos += nl ? len + 1 : len;
    }
    if (ops->fact_end(state, &f) & SIFT_FACT_DONE)
        h = h * 31 + fact_sig(&f, state, ops->fact_state_size), n++;
    FUZZ_ASSERT(n <= line_no + 1);
    /* Ended: nothing is left to give. */
    FUZZ_ASSERT(ops->fact_end(state, &f) == 0);
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FUZZ_ASSERT(run(data, size, state_a) == run(data, size, state_b));
    return 0;
}
