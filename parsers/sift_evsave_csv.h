/* sift_evsave_csv.h - Event Viewer "Save All Events As..." CSV,
 * .csv: the header line
 *   Level,Date and Time,Source,Event ID,Task Category
 * (or レベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ), then one record
 * per event with the description as a sixth field, RFC 4180 quoting with
 * embedded line ends. The framing, dates and fields are those of
 * sift_evsave.h, with a comma as the delimiter. */
#ifndef SIFT_EVSAVE_CSV_H
#define SIFT_EVSAVE_CSV_H

#include "sift_format.h"

/* The stream format "evsave-csv": claims a stream that starts with the
 * comma-separated header; line = NULL, no patterns. */
extern const sift_format sift_evsave_csv_format;

#endif
