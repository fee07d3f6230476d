/* sift_hostpath.c - host names from file paths. */
#include "sift_hostpath.h"

#include "sift_slice.h"

#include <string.h>
#include <strings.h>

static int is_generic(const char *s, size_t n)
{
    static const char *const words[] = {
        "netstat", "ss", "tcp", "connections", "conns", "sockets", "dump", "snapshot", "snapshots",
        "output", "system", "application", "security", "events", "evt", "eventlog", "log", "logs",
        "systeminfo", "sysinfo", "triage", "export", "sudo",
    };
    int digits = n > 0;
    for (size_t i = 0; i < n; i++)
        digits &= s[i] >= '0' && s[i] <= '9';
    if (digits)
        return 1; /* dates and counters */
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
        if (strlen(words[w]) == n && strncasecmp(words[w], s, n) == 0)
            return 1;
    return 0;
}

static int is_sep(char c)
{
    return c == '_' || c == '-' || c == '.';
}

/* Capture scripts name files after the command line: netstat-aonb.out,
 * ss-tan.txt, netstat-ano-FS01.txt. Right after netstat or ss, a short
 * run of their option letters is flags, not a host. A host so short and
 * made of those letters only ("sea") is taken for flags there. */
static int follows_command(const char *s, size_t n)
{
    return (n == 7 && strncasecmp(s, "netstat", 7) == 0) || (n == 2 && strncasecmp(s, "ss", 2) == 0);
}

static int is_flags(const char *s, size_t n)
{
    if (n == 0 || n > 6)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = (char)sift_ascii_lower((uint8_t)s[i]);
        if (!c || !strchr("abefilmnopqrstuwxy46", c))
            return 0;
    }
    return 1;
}

static size_t put_host(const char *s, size_t n, char *out, size_t cap)
{
    while (n && is_sep(s[n - 1]))
        n--;
    while (n && is_sep(s[0]))
        s++, n--;
    if (n == 0 || n >= cap)
        return 0;
    memcpy(out, s, n);
    out[n] = '\0';
    return n;
}

size_t sift_host_from_path(const char *path, char *out, size_t cap)
{
    static const char *const exts[] = { ".zst", ".zstd", ".gz", ".txt", ".log", ".out", ".csv", ".evtx" };
    if (cap)
        out[0] = '\0';
    if (!path || strcmp(path, "(stdin)") == 0)
        return 0;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    for (int again = 1; again;) {
        again = 0;
        for (size_t e = 0; e < sizeof exts / sizeof exts[0]; e++) {
            size_t el = strlen(exts[e]);
            if (n > el && strncasecmp(base + n - el, exts[e], el) == 0) {
                n -= el;
                again = 1;
            }
        }
    }
    /* Tokens split on '_', '-' and '.'; hosts may contain '-' and '.', so only
     * a generic word marks where the host name ends or begins. */
    size_t gen_start = n, gen_end = n;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !is_sep(base[j]))
            j++;
        if (is_generic(base + i, j - i)) {
            gen_start = i;
            gen_end = j;
            break;
        }
        i = j + 1;
    }
    size_t got = put_host(base, gen_start, out, cap);
    if (got)
        return got;
    if (gen_end < n) {
        /* "netstat_RDG01_20241002": the run after the generic word, past
         * the command's flags and other generic words ("ss-sudo-a"). */
        size_t i = gen_end + 1;
        int command = follows_command(base + gen_start, gen_end - gen_start);
        for (unsigned skipped = 0; i < n && skipped < 3;) {
            size_t k = i;
            while (k < n && !is_sep(base[k]))
                k++;
            if (k == i) {
                /* A run of separators: "netstat_-ano", the command line
                 * with its blanks made '_', keeps the flags' dash. */
                i = k + 1;
                continue;
            }
            skipped++;
            if (!is_generic(base + i, k - i) && !(command && is_flags(base + i, k - i)))
                break;
            command |= follows_command(base + i, k - i);
            i = k + 1;
        }
        if (i > n)
            i = n;
        size_t j = i;
        while (j < n) {
            size_t k = j;
            while (k < n && !is_sep(base[k]))
                k++;
            if (is_generic(base + j, k - j))
                break;
            j = k + 1;
        }
        if (j > n)
            j = n;
        got = put_host(base + i, j > i ? j - i : 0, out, cap);
        if (got)
            return got;
    }
    /* Nothing but generic words: the directory is named after the host. */
    if (base == path)
        return 0;
    const char *dir_end = base - 1;
    const char *dir = dir_end;
    while (dir > path && dir[-1] != '/')
        dir--;
    size_t dn = (size_t)(dir_end - dir);
    if ((dn == 1 && dir[0] == '.') || (dn == 2 && dir[0] == '.' && dir[1] == '.'))
        return 0;
    return put_host(dir, dn, out, cap);
}
