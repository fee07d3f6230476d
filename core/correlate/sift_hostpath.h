/* sift_hostpath.h - the host a file's path names.
 *
 * Connection tables often name no host: the dump's file name or directory
 * does ("FS01_netstat_20241002.txt.gz", "dumps/FS01/netstat.txt.zst"). */
#ifndef SIFT_HOSTPATH_H
#define SIFT_HOSTPATH_H

#include <stddef.h>

/* The host a file name stands for, for connection tables that name none:
 * extensions are dropped (.zst .zstd .gz .txt .log .out .csv), then the part
 * before a generic word (netstat, ss, connections, ...) or, failing that,
 * the part after it; a name that is nothing but generic words yields the
 * parent directory's name. "dumps/FS01/netstat.txt.zst" -> "FS01",
 * "APP-SQL02_netstat_20241002.txt" -> "APP-SQL02". Separators ('_', '-',
 * '.') are trimmed from both ends. path is a NUL-terminated string, or NULL;
 * "(stdin)" names no host. Returns the length written into out
 * (NUL-terminated, at most cap - 1 bytes, all of them bytes of path), 0 when
 * nothing fits or nothing names a host (out is then "" when cap > 0). */
size_t sift_host_from_path(const char *path, char *out, size_t cap);

#endif
