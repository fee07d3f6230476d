/* sift_pscsv.h - PowerShell's Export-Csv of event records:
 *   Get-WinEvent ... | Export-Csv   (EventLogRecord: Id, ProviderName,
 *                                    TimeCreated, Message, MachineName, ...)
 *   Get-EventLog ... | Export-Csv   (EventLogEntry: EventID, Source,
 *                                    TimeGenerated, Message, MachineName, ...)
 * Windows PowerShell 5.1 writes a first line "#TYPE <type name>" (PowerShell
 * 7 and -NoTypeInformation leave it out), then a header of the object's
 * property names and one record per object, every field in double quotes
 * (RFC 4180: "" inside, line ends inside the Message). Columns are located
 * by their names, in any order, any subset of them (Select-Object):
 *   Id | EventID                      event id (required)
 *   ProviderName | Source             provider (required)
 *   TimeCreated | TimeGenerated       the exporter's locale date, no zone
 *   Message                           the rendered message
 *   Level                             level number (Get-WinEvent)
 *   LevelDisplayName | EntryType      level name (English or Japanese)
 *   MachineName, LogName, RecordId | Index, Qualifiers
 * Collections (Properties, ReplacementStrings, Data, KeywordsDisplayNames)
 * are written as type names ("System.String[]") and hold nothing: the
 * canonical fields come from the Message, through the message layouts of
 * sift_message (English and Japanese). Framing, the day/month decision and
 * decoding are sift_evsave's (sift_evsave.h), with a header hook that
 * locates the columns. The separator is a comma (-Delimiter and -UseCulture
 * exports with another are not recognised); columns past the 32nd are not
 * read. */
#ifndef SIFT_PSCSV_H
#define SIFT_PSCSV_H

#include "sift_format.h"

/* The stream format "ps-csv": claims a stream whose first line is
 * "#TYPE " and an event record type (System.Diagnostics.Eventing.Reader.
 * EventLogRecord, System.Diagnostics.EventLogEntry with or without its
 * "#Log/Source/Id" suffix, either with "Selected." before it), or a header
 * naming an event id column (Id, EventID), a provider column (ProviderName,
 * Source) and Message; line = NULL, no patterns. Event Viewer's CSV save
 * ("Event ID", no Message with it) is never claimed. */
extern const sift_format sift_pscsv_format;

#endif
