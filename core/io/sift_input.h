/* sift_input.h - where bytes come from: files, directory trees, stdin.
 *
 * Directory trees are walked recursively in byte order of names, so output
 * does not depend on the file system's order. Symlink loops, unreadable
 * entries and special files found inside directories are reported through the
 * error callback and skipped; the walk always goes on. A directory reached
 * again through another symlink is read once (a DAG of links cannot make
 * the walk exponential). */
#ifndef SIFT_INPUT_H
#define SIFT_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Deeper directory chains than this are reported and not entered. */
#define SIFT_INPUT_MAX_DEPTH 64

/* Called for each file to process: fd is open for reading (the callee must not
 * close it) and st describes it. Return 0 to go on, non-zero to stop the walk. */
typedef int (*sift_input_file_fn)(void *ctx, const char *path, int fd, const struct stat *st);
/* Called for each entry that cannot be processed; what is a static message
 * (e.g. "symlink loop", "not a regular file") or NULL to use strerror(errnum). */
typedef void (*sift_input_error_fn)(void *ctx, const char *path, int errnum, const char *what);

/* Process path: "-" is standard input; a file is opened; a directory is
 * walked. Special files (FIFOs, character devices) are accepted when named
 * directly (/dev/stdin, <(cmd)) but skipped inside directories, where reading
 * one could block forever. Returns non-zero if a callback stopped the walk. */
int sift_input_walk(const char *path, sift_input_file_fn on_file, sift_input_error_fn on_error, void *ctx);

/* A read-only mapping of a whole regular file (advised sequential). */
typedef struct sift_map {
    const uint8_t *ptr;
    size_t len;
} sift_map;

/* Map fd (size from st). Empty files map to {NULL, 0}. Returns 0, or an errno
 * value when the file cannot be mapped (the caller may read it instead). */
int sift_map_file(int fd, const struct stat *st, sift_map *out);
void sift_unmap(sift_map *m);

/* Mapped input is handed on in slices of this size, and the pages behind
 * each slice released once it is through, so resident memory stays bounded. */
#define SIFT_MAP_SLICE (16u * 1024u * 1024u)

/* Drop the pages of m[0, upto) from this process (they stay in the page
 * cache), so that resident memory stays bounded however large the file. Only
 * whole pages past *released are dropped; *released advances. */
void sift_map_release(const sift_map *m, size_t upto, size_t *released);

/* A stream: a file descriptor, or memory standing in for one (tests and
 * fuzzing choose the read sizes, so chunk boundaries land everywhere). */
typedef struct sift_reader {
    int fd;             /* used when mem is NULL */
    const uint8_t *mem; /* borrowed, mem_len bytes */
    size_t mem_len, mem_pos;
    size_t chunk; /* most bytes one read of mem returns; 0: no limit */
} sift_reader;

/* Read up to n bytes into p: read() retried when interrupted. Returns the
 * count, 0 at the end, or -1 with errno set. */
ssize_t sift_reader_read(sift_reader *rd, uint8_t *p, size_t n);

#endif
