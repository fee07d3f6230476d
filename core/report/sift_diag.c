/* sift_diag.c - error lines with their paths escaped. */
#include "sift_diag.h"
#include "sift_text.h"

#include <inttypes.h>
#include <string.h>

static const char hex[] = "0123456789abcdef";

/* Well-formed, but a line break or terminal control to some reader: C1
 * controls (U+0080-U+009F; 0x9b is CSI) and U+2028, U+2029. */
static int utf8_is_control(const uint8_t *p, size_t len)
{
    if (len == 2)
        return p[0] == 0xc2 && p[1] <= 0x9f;
    return len == 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9);
}

/* The escape for one byte that cannot be printed as it is; returns its length. */
static size_t escape_byte(uint8_t c, char e[4])
{
    char named = c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : 0;
    e[0] = '\\';
    if (named) {
        e[1] = named;
        return 2;
    }
    e[1] = 'x';
    e[2] = hex[c >> 4];
    e[3] = hex[c & 15];
    return 4;
}

size_t sift_diag_escape(sift_slice s, char *out, size_t cap)
{
    static const char cut[] = "\\...";
    if (cap == 0)
        return 0;
    size_t room = cap - 1 < SIFT_DIAG_PATH_MAX ? cap - 1 : SIFT_DIAG_PATH_MAX;
    size_t n = 0, safe = 0; /* safe: a boundary with room for the cut mark after it */
    for (size_t i = 0; i < s.len;) {
        const uint8_t *p = s.ptr + i;
        char e[4 * 4];
        size_t elen = 0, take = 1;
        if (*p >= 0x20 && *p != 0x7f && *p != '\\' && *p < 0x80) {
            e[elen++] = (char)*p;
        } else if (*p < 0x80) {
            elen = escape_byte(*p, e);
        } else {
            take = sift_utf8_len(p, s.len - i);
            if (take && !utf8_is_control(p, take)) {
                memcpy(e, p, take);
                elen = take;
            } else {
                take = take ? take : 1;
                for (size_t k = 0; k < take; k++)
                    elen += escape_byte(p[k], e + elen);
            }
        }
        if (elen > room - n) {
            /* Back to the last boundary that leaves room for the mark. */
            n = safe;
            size_t m = sizeof cut - 1 <= room - n ? sizeof cut - 1 : room - n;
            memcpy(out + n, cut, m);
            n += m;
            break;
        }
        memcpy(out + n, e, elen);
        n += elen;
        i += take;
        if (sizeof cut - 1 <= room - n)
            safe = n;
    }
    out[n] = '\0';
    return n;
}

size_t sift_diag_format(char *out, size_t cap, const char *path, int has_offset, uint64_t offset, const char *what,
                        const char *detail)
{
    static const char head[] = "logsift: ";
    if (cap < sizeof head + 1) {
        if (cap)
            out[0] = '\0';
        return 0;
    }
    memcpy(out, head, sizeof head - 1);
    size_t n = sizeof head - 1;
    n += sift_diag_escape(sift_slice_make(path, path ? strlen(path) : 0), out + n, cap - 1 - n);
    int w;
    if (has_offset)
        w = snprintf(out + n, cap - n, ": offset %" PRIu64 ": %s%s%s\n", offset, what, detail ? ": " : "",
                     detail ? detail : "");
    else
        w = snprintf(out + n, cap - n, ": %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    if (w < 0)
        w = 0;
    if ((size_t)w >= cap - n) {
        /* Cut, but still one whole line. */
        n = cap - 1;
        out[n - 1] = '\n';
        out[n] = '\0';
        return n;
    }
    return n + (size_t)w;
}

int sift_diag_print(FILE *f, const char *path, int has_offset, uint64_t offset, const char *what, const char *detail)
{
    char line[SIFT_DIAG_LINE_MAX];
    size_t n = sift_diag_format(line, sizeof line, path, has_offset, offset, what, detail);
    return fwrite(line, 1, n, f) == n ? 0 : -1;
}
