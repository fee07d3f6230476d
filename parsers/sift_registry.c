/* sift_registry.c - the formats this build reads: one line each. Order is
 * the order stream formats are offered a stream, and the order of patterns
 * in the prefilter database. */
#include "sift_evjson.h"
#include "sift_evsave_csv.h"
#include "sift_evsave_txt.h"
#include "sift_evtext.h"
#include "sift_evtx.h"
#include "sift_evxml.h"
#include "sift_inventory.h"
#include "sift_netstat.h"
#include "sift_pscsv.h"
#include "sift_snare.h"
#include "sift_splunk.h"

static const sift_format *const formats[] = {
    &sift_evtext_format,
    &sift_netstat_format,
    &sift_evsave_txt_format,
    &sift_evsave_csv_format,
    &sift_evjson_format,
    &sift_pscsv_format,
    &sift_evtx_format,
    &sift_splunk_format,
    &sift_snare_format,
    &sift_evxml_format,
    &sift_inventory_format,
};

const sift_format *const *sift_registry(size_t *n)
{
    *n = sizeof formats / sizeof formats[0];
    return formats;
}
