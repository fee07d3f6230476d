/* sift_evsave_csv.c - the comma-separated save, on sift_evsave. */
#include "sift_evsave_csv.h"

#include "sift_evsave.h"

/* The CSV save separates its fields with commas. */
#define CSV_DELIM ((uint8_t)',')

static int csv_sniff(sift_slice head)
{
    return sift_evsave_sniff(head, CSV_DELIM);
}

static void csv_init(void *state)
{
    sift_evsave_init(state, CSV_DELIM);
}

static const sift_stream_ops csv_stream = SIFT_EVSAVE_STREAM_OPS(csv_sniff, csv_init);

const sift_format sift_evsave_csv_format = {
    "evsave-csv",
    "Event Viewer \"Save All Events As\" CSV, English and Japanese",
    SIFT_PRODUCES_EVENTS, NULL, 0, NULL, &csv_stream, NULL,
};
