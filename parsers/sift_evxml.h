/* sift_evxml.h - Windows Event XML: what `wevtutil qe /f:xml` (and
 * /f:RenderedXml), `Get-WinEvent | % ToXml()` and Event Viewer's XML save
 * write.
 *
 * A stream is a run of <Event> elements with nothing around them (wevtutil:
 * no root element, one per line or all on one line), optionally after an
 * <?xml ...?> declaration and inside an <Events> element (exports).
 * Whitespace, comments and processing instructions may appear between
 * events. Element names are matched by their local name, so a default
 * namespace (xmlns="http://schemas.microsoft.com/win/2004/08/events/event")
 * and prefixed names (<e:Event>) read alike. Attribute values take either
 * quote (wevtutil writes single quotes).
 *
 * Of each Event this reads:
 *  - System: Provider Name (EventSourceName when there is no Name) and
 *    Guid, EventID (the 16-bit id; its Qualifiers attribute separately; an
 *    EventID above 65535 without Qualifiers is a full classic id and is
 *    split into both), Level, TimeCreated SystemTime (UTC, any number of
 *    fraction digits), EventRecordID, Channel, Computer;
 *  - EventData: <Data> items in order, named (<Data Name="X">) or
 *    positional, <Data/> as an empty item, and <Binary> (hex text, decoded
 *    to raw bytes for sift_event.binary; left empty when it is not hex);
 *  - UserData and ProcessingErrorData: every leaf element below them, depth
 *    first, as an item named by its local name;
 *  - RenderingInfo: Message as sift_event.message (the other rendered names,
 *    Level, Task, Keywords, are display text the model has no place for).
 * The first System, EventID, Provider and RenderingInfo/Message count; later
 * ones are ignored. Text is decoded as XML says: the five built-in entities
 * and character references (&#N; &#xH;) are replaced, CDATA sections are
 * taken literally, comments and processing instructions are dropped, line
 * ends are normalized to LF, and blanks in attribute values to spaces. An
 * entity reference that is not one of those (or a character reference that
 * is not a character) is kept as written: nothing is ever expanded beyond
 * the built-ins.
 *
 * The input is untrusted, so:
 *  - a <!DOCTYPE or any other markup declaration (<!ENTITY, <!ELEMENT ...)
 *    is an error at its offset (SIFT_ERR_UNSUPPORTED), never read;
 *  - nesting, names, attribute values and attribute counts are bounded
 *    (SIFT_EVXML_MAX_*), and a record is at most SIFT_STREAM_MAX_RECORD
 *    bytes; past a bound the record is reported and skipped;
 *  - a damaged record (a tag not closed, an end tag that does not match,
 *    text or an element other than Event/Events outside an Event, an Event
 *    without a numeric System/EventID) is reported with the offset of the
 *    damage, and framing resumes at the next <Event start tag after it.
 * Input is UTF-8 (the engine transcodes UTF-16 and strips the BOM first).
 * No I/O, no allocation, no globals: all state, including the memory
 * decoded values live in, is the stream state the engine provides. */
#ifndef SIFT_EVXML_H
#define SIFT_EVXML_H

#include "sift_format.h"

/* Elements open at once inside one Event, the Event included. */
#define SIFT_EVXML_MAX_DEPTH 32u
/* Bytes of an element or attribute name, prefix included. */
#define SIFT_EVXML_MAX_NAME 256u
/* Attributes of one element. */
#define SIFT_EVXML_MAX_ATTRS 32u
/* Bytes of one attribute value, as written. */
#define SIFT_EVXML_MAX_ATTR (16u * 1024u)

/* The stream format "xml". sniff() claims a stream whose first line starts,
 * after blanks, with <?xml, <Events or <Event followed by a blank, '>' or
 * '/' (either with a namespace prefix: <e:Event ). line = NULL, no patterns.
 *
 * next() gives each Event as one record: bytes from its '<' to the end of
 * its end tag, offset, line (1-based), id and provider from the System
 * block (provider empty when its attribute holds a reference, which only
 * decode() resolves). Errors (each skips what it names):
 *  SIFT_ERR_SYNTAX      malformed markup, at the offending byte;
 *  SIFT_ERR_UNSUPPORTED a markup declaration (DOCTYPE, ENTITY), at its '<';
 *  SIFT_ERR_TOO_LONG    a record over SIFT_STREAM_MAX_RECORD bytes (at its
 *                       '<'), or a name, attribute value, attribute count
 *                       or nesting past its bound (at the offending byte);
 *  SIFT_ERR_MISSING     an Event without System/EventID (at its '<');
 *  SIFT_ERR_NUMBER      an EventID that is not a number below 2^32 (at its
 *                       text).
 * decode() fills provider, provider_guid, id, qualifiers, level, record_id,
 * channel, computer, time_text and time, message, data and binary as above,
 * then the canonical fields (sift_event_resolve, then the message layouts
 * for what Data did not give). Slices point into the record, or, for values
 * that had to be decoded, into the stream state: they live until the next
 * decode() on the same state. */
extern const sift_format sift_evxml_format;

#endif
