/* sift_status.h - one status enum for every stage, with pinned values.
 *
 * Every parse or decode step returns OK, NEED_MORE (the input ends inside a
 * unit: present the rest again with more bytes), or an error. Errors carry the
 * absolute stream offset of the offending byte so that a person can find it.
 * Values are append-only; sift_is_error() is the only range test. */
#ifndef SIFT_STATUS_H
#define SIFT_STATUS_H

#include <stdint.h>

#define SIFT_STATUS_LIST(X)                                                   \
    X(OK,              0, "ok")                                               \
    X(NEED_MORE,       1, "input ends inside a unit; supply more")            \
    X(DST_FULL,        2, "output buffer full")                               \
    X(DONE,            3, "end of input")                                     \
    X(ERR_SYNTAX,     16, "malformed input")                                  \
    X(ERR_NUMBER,     17, "malformed or overflowing number")                  \
    X(ERR_TOO_LONG,   18, "exceeds a size limit")                             \
    X(ERR_TRUNCATED,  19, "input ends inside a compressed frame")             \
    X(ERR_CORRUPT,    20, "corrupt compressed data")                          \
    X(ERR_ENCODING,   21, "invalid text encoding")                            \
    X(ERR_NOMEM,      22, "out of memory")                                    \
    X(ERR_IO,         23, "read error")                                       \
    X(ERR_UNSUPPORTED,24, "unsupported input format")                         \
    X(ERR_MISSING,    25, "required field missing")                           \
    X(ERR_MATCHER,    26, "pattern engine failure")                           \
    X(ERR_LIMIT,      27, "a configured limit was reached")                   \
    X(ERR_BINARY,     28, "binary data, not a text log")

typedef enum sift_status {
#define SIFT_X(name, value, msg) SIFT_##name = value,
    SIFT_STATUS_LIST(SIFT_X)
#undef SIFT_X
} sift_status;

/* An error as a parser reports it: which, where, and optionally a static
 * string with specifics ("missing Event ID line"). Parsers fill it and never
 * print; the engine turns it into "logsift: PATH: offset N: what". */
typedef struct sift_error {
    sift_status code;
    uint64_t offset;    /* absolute offset in the stream the parser was given */
    const char *detail; /* static storage, or NULL */
} sift_error;

static inline int sift_is_error(sift_status s)
{
    return (int)s >= 16;
}

/* Static message for s; never NULL. */
const char *sift_status_str(sift_status s);

/* Record an error and return its code: `return sift_fail(err, code, off, "why");`.
 * err may be NULL. */
static inline sift_status sift_fail(sift_error *err, sift_status code, uint64_t offset, const char *detail)
{
    if (err) {
        err->code = code;
        err->offset = offset;
        err->detail = detail;
    }
    return code;
}

#endif
