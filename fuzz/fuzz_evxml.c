/* fuzz_evxml.c - the "xml" format as the engine drives it: raw, and behind
 * an <Events> wrapper, whole and chunked alike; slices stay in the record
 * or the state, and the decoded id is the framed one. */
#include "fuzz_stream.h"
#include "sift_evxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char header[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Events>\n";
    const sift_format *f = &sift_evxml_format;
    FUZZ_ASSERT(f->line == NULL && f->stream != NULL && f->n_patterns == 0);
    f->stream->sniff(sift_slice_make(data, size < SIFT_SNIFF_BYTES ? size : SIFT_SNIFF_BYTES));
    fz_check_stream(f->stream, data, size);
    fz_check_behind(f->stream, header, data, size);
    return 0;
}
