/* fuzz_evsave_csv.c - the "evsave-csv" format as the engine drives it: raw
 * and behind its header, whole and chunked alike. */
#include "fuzz_stream.h"
#include "sift_evsave_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char header[] = "Level,Date and Time,Source,Event ID,Task Category\r\n";
    const sift_format *f = &sift_evsave_csv_format;
    FUZZ_ASSERT(f->line == NULL && f->stream != NULL && f->n_patterns == 0);
    f->stream->sniff(sift_slice_make(data, size < SIFT_SNIFF_BYTES ? size : SIFT_SNIFF_BYTES));
    fz_check_stream(f->stream, data, size);
    fz_check_behind(f->stream, header, data, size);
    return 0;
}
