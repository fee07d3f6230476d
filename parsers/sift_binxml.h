/* sift_binxml.h - Windows Binary XML (BinXML) as .evtx chunks hold it:
 * templates, substitutions and values, read into the event model and
 * rendered as JSON.
 *
 * A record's BinXML refers to names and template definitions by offsets
 * into its chunk, so a decoder works on one whole chunk at a time
 * (sift_binxml_reset) and is given each record's BinXML as a range of that
 * chunk. Template definitions are compiled once per chunk, on first use,
 * into a map from the fields the model wants (System/EventID, Provider
 * Name, Channel, EventData items, ...) to literals or substitution slots,
 * so that reading a record's event id and provider costs a look at its
 * substitution table, not a walk of its tree.
 *
 * The bytes are untrusted: every count and offset is checked against the
 * chunk, reference chains and nesting are bounded (SIFT_BINXML_MAX_*), and
 * nothing is allocated: the decoder lives in memory the caller provides
 * (sift_binxml_size() bytes, 16-byte aligned), and everything it returns
 * (UTF-8 text, EventData items) lives in it until the next call on it.
 * Errors are chunk-relative offsets. No globals, no I/O. */
#ifndef SIFT_BINXML_H
#define SIFT_BINXML_H

#include "sift_event.h"

/* Template instances nested inside values of type BinXml (0x21), and
 * elements open at once: past these a record is malformed. */
#define SIFT_BINXML_MAX_DEPTH 32u
#define SIFT_BINXML_MAX_ELEMENTS 256u
/* Substitution values one template instance may declare. */
#define SIFT_BINXML_MAX_SUBS 1024u
/* Distinct template definitions compiled per chunk; more are decoded
 * uncached (slower, same output). */
#define SIFT_BINXML_MAX_TEMPLATES 64u
/* The most JSON one record renders to; a record that renders longer is an
 * error (SIFT_ERR_TOO_LONG). */
#define SIFT_BINXML_MAX_JSON (1024u * 1024u)

typedef struct sift_binxml sift_binxml; /* opaque, caller-allocated */

/* Bytes a decoder needs (a constant of the build). */
size_t sift_binxml_size(void);

/* Begin a chunk: chunk[0, len) is the whole 64 KiB chunk, which must stay
 * readable and unchanged until the next reset. Forgets the previous
 * chunk's templates and names. mem is sift_binxml_size() bytes. */
sift_binxml *sift_binxml_reset(void *mem, const uint8_t *chunk, size_t len);

/* What a record says of itself cheaply: enough to decide whether anything
 * wants it. provider and channel are UTF-8, valid until the next call. */
typedef struct sift_binxml_head {
    unsigned have;       /* SIFT_EV_ID, SIFT_EV_QUALIFIERS */
    uint16_t id;         /* System/EventID, low 16 bits */
    uint16_t qualifiers; /* EventID/@Qualifiers */
    sift_slice provider; /* System/Provider/@Name (empty when absent) */
    sift_slice channel;  /* System/Channel */
} sift_binxml_head;

/* The record's BinXML is chunk[off, off + len). */
sift_status sift_binxml_head_read(sift_binxml *bx, uint32_t off, uint32_t len, sift_binxml_head *h,
                                  sift_error *err);

/* The whole record into *ev: id, qualifiers, level, provider and GUID,
 * channel, computer, TimeCreated (UTC) as time and time_text, EventRecordID,
 * and EventData (or UserData, or ProcessingErrorData) items named and
 * positional, with binary set from EventData/Binary. Canonical fields are
 * left empty (sift_event_resolve fills them); where is left zero. */
sift_status sift_binxml_event(sift_binxml *bx, uint32_t off, uint32_t len, sift_event *ev, sift_error *err);

/* Render the record as one JSON object, without a line end, appended at
 * out->buf + out->pos:
 *   {"Event":{"System":{"Provider":{"#attributes":{"Name":..,"Guid":..}},
 *    "EventID":{"#attributes":{"Qualifiers":32768},"#text":6013},...},
 *    "EventData":{"Data":["","","","","60",...],"Binary":"..."}}}
 * (the shape of the Rust evtx_dump JSON, documented in README): an element
 * with attributes is {"#attributes":{..},"#text":..}; repeated siblings of
 * one name are an array; named <Data Name="X"> become "X" members; numbers
 * are JSON numbers, everything else strings. Returns SIFT_DST_FULL (out->pos
 * unchanged) when out has too little room. */
sift_status sift_binxml_json(sift_binxml *bx, uint32_t off, uint32_t len, sift_out *out, sift_error *err);

/* JSON through plans compiled per template (on: the default, and again
 * after every reset) or always through the record's tree (off). The two
 * give the same bytes; tests hold them to that. */
void sift_binxml_use_plans(sift_binxml *bx, int on);

/* Records rendered through a plan since the reset (tests check that plans
 * are in use). */
size_t sift_binxml_planned(const sift_binxml *bx);

#endif
