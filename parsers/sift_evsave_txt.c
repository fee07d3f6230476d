/* sift_evsave_txt.c - the tab-separated text save, on sift_evsave. */
#include "sift_evsave_txt.h"

#include "sift_evsave.h"

/* The text save separates its fields with tabs. */
#define TXT_DELIM ((uint8_t)'\t')

static int txt_sniff(sift_slice head)
{
    return sift_evsave_sniff(head, TXT_DELIM);
}

static void txt_init(void *state)
{
    sift_evsave_init(state, TXT_DELIM);
}

static const sift_stream_ops txt_stream = SIFT_EVSAVE_STREAM_OPS(txt_sniff, txt_init);

const sift_format sift_evsave_txt_format = {
    "evsave-txt",
    "Event Viewer \"Save All Events As\" text (tab-separated), English and Japanese",
    SIFT_PRODUCES_EVENTS, NULL, 0, NULL, &txt_stream, NULL,
};
