/* sift_message.h - canonical fields from rendered event messages.
 *
 * Text exports (Event Viewer text, "Save as" TXT/CSV, wevtutil /f:text)
 * carry no EventData, only the message Windows rendered from it, in the
 * display language of the exporting machine. This module knows those
 * message layouts, in English and Japanese, and reads the canonical fields
 * rules ask for out of them, so every text format fills them alike. No I/O,
 * no state, no allocation; time linear in the message. */
#ifndef SIFT_MESSAGE_H
#define SIFT_MESSAGE_H

#include "sift_event.h"

/* Fill the canonical fields of ev (still empty) that ev->message gives for
 * ev->provider and ev->id. Known layouts:
 *  - Application Error 1000: "Faulting application name: APP, version: V,
 *    ..." gives application and application_version; "Faulting module name:"
 *    module and module_version; "Exception code:" exception_code. The
 *    Japanese labels (障害が発生しているアプリケーション名:, 例外コード:, and
 *    both module labels, before and since Windows 11 24H2), with the
 *    ideographic comma and バージョン:, likewise. Each label is read from the
 *    first line that carries it in any language, so a message judged on its
 *    first lines reads as it does whole. A message of one line (flattened,
 *    as Snare and syslog relays forward it: line ends made spaces) also has
 *    its labels inside the line, after a blank; the exception code is then
 *    the word after its label.
 *  - EventLog 6013: uptime is the first integer of the message.
 *  - Windows Error Reporting 1001: the problem signature's "P1:" (application),
 *    "P2:", "P4:" (module), "P5:" and "P8:" (exception code) lines.
 *  - Service Control Manager 7031/7034: service is NAME in "The NAME service
 *    terminated unexpectedly" (ja-JP: "NAME サービスは予期せぬ原因により終了
 *    しました"), on the message's first line.
 * Values are slices of ev->message, trimmed. Other events are left alone. */
void sift_message_fields(sift_event *ev);

/* The value after label on the first line of text that starts (after blanks)
 * with one of n labels (empty ones skipped), trimmed; 1 when found. */
int sift_message_label(sift_slice text, const sift_slice *labels, size_t n, sift_slice *value);

#endif
