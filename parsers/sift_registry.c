/* sift_registry.c - the formats this build reads: one line each. Order is
 * the order stream formats are offered a stream, and the order of patterns
 * in the prefilter database. */
#include "sift_evsave_csv.h"
#include "sift_evsave_txt.h"
#include "sift_evtext.h"
#include "sift_evtx.h"
#include "sift_inventory.h"
#include "sift_netstat.h"

static const sift_format *const formats[] = {
    &sift_evtext_format,
    &sift_netstat_format,
    &sift_evsave_txt_format,
    &sift_evsave_csv_format,
    &sift_evtx_format,
    &sift_inventory_format,
};

const sift_format *const *sift_registry(size_t *n)
{
    *n = sizeof formats / sizeof formats[0];
    return formats;
}
