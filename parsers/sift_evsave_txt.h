/* sift_evsave_txt.h - Event Viewer "Save All Events As..." text, tab-
 * separated, .txt: the header line
 *   Level<TAB>Date and Time<TAB>Source<TAB>Event ID<TAB>Task Category
 * (or its Japanese form), then one record per event with the description as
 * a sixth field, quoted when it spans lines. The framing, dates and fields
 * are those of sift_evsave.h, with a tab as the delimiter. */
#ifndef SIFT_EVSAVE_TXT_H
#define SIFT_EVSAVE_TXT_H

#include "sift_format.h"

/* The stream format "evsave-txt": claims a stream that starts with the tab-
 * separated header; line = NULL, no patterns. */
extern const sift_format sift_evsave_txt_format;

#endif
