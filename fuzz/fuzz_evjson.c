/* fuzz_evjson.c - the "json" format as the engine drives it: raw, inside a
 * top-level array, and behind a syslog prefix; whole and chunked alike. */
#include "fuzz_stream.h"
#include "sift_evjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const sift_format *f = &sift_evjson_format;
    FUZZ_ASSERT(f->line == NULL && f->stream != NULL && f->n_patterns == 0);
    f->stream->sniff(sift_slice_make(data, size < SIFT_SNIFF_BYTES ? size : SIFT_SNIFF_BYTES));
    fz_check_stream(f->stream, data, size);
    fz_check_behind(f->stream, "[\n", data, size);
    fz_check_behind(f->stream, "<14>Jul 10 09:00:00 RDG01 nxWinEvt[1]: {\"EventID\":1000}\n", data, size);
    return 0;
}
