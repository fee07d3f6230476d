/* fuzz_netstat.c - row, header and host-line checks on the whole input and on each of its lines. */
#include <string.h>

#include "sift_cursor.h"
#include "sift_netstat.h"
#include "fuzz.h"

static int fuzz_slice_in(sift_slice s, sift_slice line)
{
    return fuzz_inside(s.ptr, s.len, line.ptr, line.len);
}

static int fuzz_host_byte(uint8_t b)
{
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '_'
        || b == '.';
}

/* Outcome of the row parse, as offsets into the line so that two copies of
 * it compare equal. */
static void fuzz_row_sig(sift_slice line, uint64_t base, uint64_t sig[8])
{
    sift_ns_row row;
    sift_error err = { 0 };
    memset(sig, 0, 8 * sizeof sig[0]);
    sift_status st = sift_netstat_row(line, base, &row, &err);
    /* The format's TIME_WAIT check (with its fast path for plain rows) says
     * exactly what the full parse says. */
    FUZZ_ASSERT(sift_netstat_format.line->time_wait_row(line) ==
                (st == SIFT_OK && row.tcp && row.st == SIFT_TCP_TIME_WAIT));
    if (st != SIFT_OK) {
        FUZZ_ASSERT(err.code == SIFT_ERR_SYNTAX && err.detail != NULL);
        FUZZ_ASSERT(err.offset >= base && err.offset - base <= line.len);
        sig[0] = 1;
        sig[1] = err.offset - base;
        return;
    }
    FUZZ_ASSERT(row.shape >= SIFT_NS_WINDOWS && row.shape <= SIFT_NS_PWSH);
    FUZZ_ASSERT(fuzz_slice_in(row.proto, line) && fuzz_slice_in(row.state, line));
    FUZZ_ASSERT(row.local.len > 0 && fuzz_slice_in(row.local, line));
    FUZZ_ASSERT(row.foreign.len > 0 && fuzz_slice_in(row.foreign, line));
    FUZZ_ASSERT(row.st == sift_netstat_state(row.state));
    FUZZ_ASSERT(row.has_local_port <= 1 && row.tcp <= 1 && row.local_port <= 65535);
    FUZZ_ASSERT(row.has_local_port || row.local_port == 0);
    FUZZ_ASSERT(!sift_netstat_is_header(line));
    sig[2] = row.shape;
    sig[3] = (uint64_t)(row.local.ptr - line.ptr);
    sig[4] = (uint64_t)(row.foreign.ptr - line.ptr);
    sig[5] = row.state.len ? (uint64_t)(row.state.ptr - line.ptr) + 1 : 0;
    sig[6] = row.st;
    sig[7] = row.local_port | (uint64_t)row.has_local_port << 32 | (uint64_t)row.tcp << 40;
}

static void fuzz_line(sift_slice line, uint64_t base)
{
    static uint8_t cr[SIFT_NETSTAT_MAX_LINE + 1];
    uint64_t a[8], b[8];
    fuzz_row_sig(line, base, a);
    int hdr = sift_netstat_is_header(line);
    FUZZ_ASSERT(hdr == 0 || hdr == 1);
    sift_slice host = { NULL, 0 };
    if (sift_netstat_host_line(line, &host)) {
        FUZZ_ASSERT(host.len > 0 && host.len <= 255 && fuzz_slice_in(host, line));
        for (size_t i = 0; i < host.len; i++)
            FUZZ_ASSERT(fuzz_host_byte(host.ptr[i]));
    }
    /* A trailing CR (CRLF input) changes nothing at all. */
    if (line.len < SIFT_NETSTAT_MAX_LINE) {
        if (line.len)
            memcpy(cr, line.ptr, line.len);
        cr[line.len] = '\r';
        sift_slice with_cr = sift_slice_make(cr, line.len + 1);
        fuzz_row_sig(with_cr, base, b);
        FUZZ_ASSERT(memcmp(a, b, sizeof a) == 0);
        FUZZ_ASSERT(sift_netstat_is_header(with_cr) == hdr);
        sift_slice host_cr = { NULL, 0 };
        FUZZ_ASSERT(sift_netstat_host_line(with_cr, &host_cr) == (host.len > 0));
        FUZZ_ASSERT(host_cr.len == host.len && (!host.len || host_cr.ptr - cr == host.ptr - line.ptr));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sift_slice all = sift_slice_make(data, size);
    fuzz_line(all, 0);
    sift_cursor c = sift_cur_make(all);
    size_t start = c.pos;
    sift_slice line;
    while (sift_cur_take_line(&c, &line)) {
        fuzz_line(line, start);
        start = c.pos;
    }
    return 0;
}
