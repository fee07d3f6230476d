/* fuzz_evsave.c - sift_evsave, the framing both Event Viewer saves share:
 * with a tab and with a comma, behind a header and bare, framed whole and
 * chunked alike; sniff and decode on raw bytes. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_stream.h"
#include "sift_evsave.h"
#include "sift_evsave_csv.h"
#include "sift_evsave_txt.h"

/* The module with a tab and with a comma: the two registered formats. */
static const sift_stream_ops *ops(size_t k)
{
    return k ? sift_evsave_csv_format.stream : sift_evsave_txt_format.stream;
}

/* The headers, '|' standing for the delimiter. */
static const char *const headers[] = {
    "Level|Date and Time|Source|Event ID|Task Category\r\n",
    "レベル|日付と時刻|ソース|イベント ID|タスクのカテゴリ\n",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const size_t k = size ? data[0] & 1u : 0;
    const uint8_t delim = k ? ',' : '\t';
    const sift_slice whole = sift_slice_make(data, size);
    FUZZ_ASSERT(ops(k)->sniff(whole) == sift_evsave_sniff(whole, delim));
    fz_check_stream(ops(k), data, size);

    /* Behind a header, English or Japanese, with this delimiter. */
    char header[96];
    const char *h = headers[size > 1 ? data[1] & 1u : 0];
    size_t hl = 0;
    for (; h[hl]; hl++)
        header[hl] = h[hl] == '|' ? (char)delim : h[hl];
    header[hl] = '\0';
    fz_check_behind(ops(k), header, data, size);

    /* decode() of bytes no framer produced: an error or in-bounds fields. */
    sift_evsave s;
    sift_evsave_init(&s, delim);
    const sift_rec rec = { whole, 77, 1, 0, { NULL, 0 }, 0, 0, 0 };
    sift_event ev;
    sift_error err = { SIFT_OK, 0, NULL };
    const sift_status st = sift_evsave_decode(&s, &rec, &ev, &err);
    FUZZ_ASSERT(st == SIFT_OK || ((st == SIFT_ERR_SYNTAX || st == SIFT_ERR_NUMBER) && err.offset >= 77 &&
                                  err.offset <= 77 + size));
    FUZZ_ASSERT(fuzz_inside(ev.message.ptr, ev.message.len, data, size));
    return 0;
}
