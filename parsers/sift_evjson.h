/* sift_evjson.h - Windows events as JSON: Winlogbeat / Elastic Agent (ECS)
 * documents, NXLog JSON (raw or behind an RFC 3164 / RFC 5424 syslog
 * prefix), and PowerShell `Get-WinEvent | ConvertTo-Json`.
 *
 * A stream is a sequence of JSON values: one object per line (NDJSON),
 * pretty-printed objects one after another, or arrays of objects (what
 * ConvertTo-Json writes for more than one event). Each top-level object, and
 * each object element of a top-level array, is one record; '[' ']' and ','
 * between records are passed over. A line may instead carry a syslog prefix
 * (`<PRI>...`) followed by one object on the same line.
 *
 * Framing (next) reads structure only: strings, escapes and nesting, and on
 * the way the event id and provider of the record's shape (see below) for
 * the engine to skip records no rule wants. decode() parses the record as
 * strict RFC 8259 JSON, decoding strings with escapes (\uXXXX with surrogate
 * pairs, \/) into scratch memory in the state; unescaped strings stay slices
 * of the record.
 *
 * Fields, by shape (the first listed that is present wins; keys are matched
 * case-sensitively, nested or as dotted keys: "winlog.event_id"):
 *   event id    winlog.event_id, EventID, Id, event.code (number or string
 *               of digits, below 65536; read by framing)
 *   provider    winlog.provider_name, SourceName, ProviderName, event.provider
 *   channel     winlog.channel, Channel, LogName
 *   computer    winlog.computer_name, Hostname, MachineName, host.name,
 *               host.hostname, then the syslog prefix's HOST
 *   record id   winlog.record_id, RecordNumber, RecordId
 *   time        @timestamp, winlog.time_created, EventTime, TimeCreated:
 *               ISO 8601 (UTC with Z or an offset; without a zone local,
 *               as every format keeps local times) or \/Date(ms)\/ (UTC)
 *   message     message, Message
 *   level       log.level, winlog.level, Level (1-5), LevelDisplayName,
 *               Severity (NXLog words), SeverityValue (NXLog 1-5)
 *   qualifiers  Qualifiers;  provider GUID: winlog.provider_guid,
 *               ProviderGuid, ProviderId
 *   EventData   winlog.event_data.* and winlog.user_data.* (named; param1..N
 *               are positions, see sift_fields.c); NXLog: every other
 *               top-level scalar (named); PowerShell: Properties as
 *               [{"Value": ...}] (positional; a list of type-name strings,
 *               ConvertTo-Json's default depth, carries nothing and is
 *               passed over). A value that is an object or array is kept
 *               as its JSON text.
 * Canonical fields come from the data (sift_event_resolve), then from the
 * message (sift_message_fields) for what the data left empty.
 *
 * Damage costs the object it is in. Framing reports, at the object's
 * offset, and then resumes at the next line that opens a record (its first
 * non-blank byte a '{' no further right than the damaged object's, or a
 * '[' or a syslog prefix at column 0):
 *  - a string holding a raw line end (JSON has none: the line was cut);
 *  - in an object that began a line at column c, a line whose first
 *    non-blank byte is '{' at column <= c (the object was cut, the next
 *    record follows), resumed at that line;
 *  - an object behind a syslog prefix that does not close on its line;
 *  - nesting deeper than SIFT_EVJSON_MAX_DEPTH;
 *  - an object longer than SIFT_STREAM_MAX_RECORD (SIFT_ERR_TOO_LONG);
 *  - an object still open at the end of the input.
 * Other top-level bytes (not an object, '[', ']' or ',') are reported at
 * their offset and resumed the same way. decode() reports a record that is
 * not well-formed JSON (SIFT_ERR_SYNTAX, or SIFT_ERR_NUMBER for a number
 * longer than SIFT_EVJSON_MAX_NUMBER, at the offending byte). A record
 * without a readable event id is framed with has_id 0; decode() refuses it
 * (SIFT_ERR_MISSING). Lone surrogates in \u escapes become U+FFFD. */
#ifndef SIFT_EVJSON_H
#define SIFT_EVJSON_H

#include "sift_format.h"

/* Containers open at once inside one record. */
#define SIFT_EVJSON_MAX_DEPTH 64u
/* Bytes in one number token. */
#define SIFT_EVJSON_MAX_NUMBER 64u
/* Bytes from a syslog line's start to its JSON object. */
#define SIFT_EVJSON_MAX_PREFIX 1024u

/* The stream format "json"; no line hooks, no patterns. */
extern const sift_format sift_evjson_format;

#endif
