/* gen_twins.h - the export twins of gen_evtx's records: one record as text, and one writer per export format. */
#ifndef GEN_TWINS_H
#define GEN_TWINS_H

#include <stdint.h>
#include <stdio.h>

/* 4624 (version 2) has 27 named Data fields, the most of any kind. */
#define TWIN_DATA_MAX 28u

/* Which <System> shape the XML twin writes (windows-signatures.md):
 *   TWIN_SYS_B2       B.2's verified 6013 sample: no Version, Opcode,
 *                     Correlation or Execution; empty Data as <Data/>;
 *   TWIN_SYS_CLASSIC  C.2's classic event: Version, Opcode, <Correlation/>
 *                     and Execution 0/0; empty Data as <Data></Data>;
 *   TWIN_SYS_AUDIT    Security-Auditing's manifest System part, with
 *                     attributes in single quotes as wevtutil renders them. */
enum { TWIN_SYS_B2, TWIN_SYS_CLASSIC, TWIN_SYS_AUDIT };

/* One record, every value as the text Windows renders for it. Strings are
 * ASCII and owned by the caller; `message` is the rendered description,
 * lines separated by "\n" (writers of Windows-made exports use CRLF). */
typedef struct twin_rec {
    uint64_t n;         /* 1-based position in the export */
    uint64_t record_id;
    int64_t unix_s;     /* TimeCreated, UTC */
    uint32_t frac_100ns;
    const char *provider;
    const char *provider_guid; /* "{54849625-...}", or NULL for classic providers */
    unsigned id, qualifiers, version, level, task, opcode;
    uint64_t keywords;
    const char *channel, *computer;
    const char *activity_id; /* "{...}", or NULL */
    unsigned pid, tid;       /* Execution; 0 when the record has none */
    const char *level_name, *task_name, *opcode_name, *keyword_name;
    const char *message;
    unsigned n_data;
    const char *data_name[TWIN_DATA_MAX]; /* NULL: unnamed (positional) <Data> */
    const char *data[TWIN_DATA_MAX];
    const char *binary_hex; /* <Binary> as upper-case hex, or NULL */
    int shape;              /* TWIN_SYS_* */
} twin_rec;

/* A format: `opt` is its gen_evtx option (--opt=PATH); begin and end write
 * what comes before the first record and after the last (may be NULL). */
typedef struct twin_format {
    const char *opt;
    const char *what;
    void (*begin)(FILE *f);
    void (*record)(FILE *f, const twin_rec *r);
    void (*end)(FILE *f, uint64_t n_records);
} twin_format;

#define TWIN_N_FORMATS 8u
extern const twin_format twin_formats[TWIN_N_FORMATS];

#endif
