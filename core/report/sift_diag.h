/* sift_diag.h - error lines: "logsift: PATH: offset N: what is wrong".
 *
 * A path comes from the file system or the command line and may hold any
 * byte but NUL. Printed raw, a newline in a name splits one error into two
 * lines, and the second half can pass for a forged "logsift: ..." line; an
 * ESC byte drives the terminal. So every path is written escaped, and one
 * error is always one line:
 *   backslash            \\
 *   newline, CR, tab     \n \r \t
 *   other C0, DEL        \xHH (e.g. \x1b)
 *   C1 controls, U+2028 and U+2029 (line breaks to some readers), and every
 *   byte that is not part of well-formed UTF-8 (RFC 3629: no overlong forms,
 *   no surrogates, nothing past U+10FFFF)
 *                        \xHH per byte
 * Everything else, UTF-8 names included, is copied as it is. Escaping is
 * one-to-one, so distinct paths stay distinct; a path cut at
 * SIFT_DIAG_PATH_MAX ends in "\..." (which no escape produces).
 *
 * Functions here use no global state and allocate nothing. */
#ifndef SIFT_DIAG_H
#define SIFT_DIAG_H

#include "sift_slice.h"

#include <stdint.h>
#include <stdio.h>

/* Escaped path bytes kept in a line; longer paths are cut (PATH_MAX is 4096,
 * and a path of control bytes escapes to four times its length). */
#define SIFT_DIAG_PATH_MAX (4u * 4096u)
/* Room for a whole line: the escaped path, the offset, and the message. */
#define SIFT_DIAG_LINE_MAX (SIFT_DIAG_PATH_MAX + 1024u)

/* Escape s into out (cap bytes, NUL-terminated when cap > 0). At most
 * min(cap - 1, SIFT_DIAG_PATH_MAX) bytes are written; a path that does not
 * fit is cut at a character or escape boundary and ends in "\...". Returns
 * the length written, without the NUL. Accepts the empty slice. */
size_t sift_diag_escape(sift_slice s, char *out, size_t cap);

/* Format one error line, newline included, into out (cap bytes,
 * NUL-terminated when cap > 0): "logsift: PATH: offset N: what: detail\n",
 * where the offset part is there only when has_offset is set and ": detail"
 * only when detail is not NULL. path is a NUL-terminated C string, written
 * escaped; what and detail are the program's own messages (static text or
 * strerror) and are written as they are. A line longer than cap is cut and
 * still ends in a newline. Returns the length written. */
size_t sift_diag_format(char *out, size_t cap, const char *path, int has_offset, uint64_t offset, const char *what,
                        const char *detail);

/* sift_diag_format, then write the line to f in one call. Returns 0, or -1
 * when the write fails. */
int sift_diag_print(FILE *f, const char *path, int has_offset, uint64_t offset, const char *what, const char *detail);

#endif
