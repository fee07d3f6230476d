/* sift_run.h - one logsift run: inputs in, findings out, an exit code.
 *
 * For every input: decompression by magic bytes (zstd, gzip, plain), then a
 * container format's magic (.evtx, read in 64 KiB chunks on worker threads
 * and merged in order: sift_units.h), else text encoding by BOM and content
 * (UTF-8, UTF-16LE, CP932) and the record pipeline. Regular files are mapped and,
 * when plain, scanned or read in place; pipes are read into one reused
 * window. Errors are printed as "logsift: PATH: offset N: what is wrong"
 * and processing goes on. */
#ifndef SIFT_RUN_H
#define SIFT_RUN_H

#include "sift_format.h"

#include <stdint.h>
#include <stdio.h>

/* sift_host_from_path, which a run uses to name hosts, is declared there. */
#include "sift_hostpath.h"

#if defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
/* Fuzzing: a smaller window makes each run cheaper and compacts it more often. */
#define SIFT_WINDOW_SIZE (1024u * 1024u)
#else
#define SIFT_WINDOW_SIZE (4u * 1024u * 1024u)
#endif

/* What every run of a process shares, read-only once made: the formats the
 * caller hands over (the registry), the prefilter pattern set derived from
 * them and the rules, and its compiled database (the one embedded at build
 * time when it fits, else compiled here, which takes about 10 ms). Any
 * number of runs, in any threads, may use one engine at once. */
typedef struct sift_engine sift_engine;

/* NULL on failure, with the reason printed on err. */
sift_engine *sift_engine_create(const sift_format *const *formats, size_t n, FILE *err);
void sift_engine_free(sift_engine *e); /* accepts NULL */

/* The registry index of the format named name, or -1. */
int sift_engine_format(const sift_engine *e, const char *name);

typedef struct sift_run_opts {
    uint32_t formats;    /* registry indices to look for (bit i); 0: all */
    const char *host;    /* --host: host for connection tables, overriding host lines */
    uint32_t port_range; /* dynamic port range size */
    int live;            /* -1: when an input is a pipe; 0: never; 1: always */
    int stats;           /* print a summary on stderr */
    int verbose;         /* print what was detected in each input on stderr */
    FILE *out, *err;
    int threads; /* 1: all on one thread; more: compressed input is decoded
                    on a second thread, and .evtx chunks are read on this
                    many; 0 (default): as many as there are CPUs */
    /* Container formats (.evtx). */
    int carve;   /* also recover records from chunk slack */
    int strict;  /* drop chunks whose checksums do not match */
    /* --dump: render the records of container inputs as NDJSON on out
     * instead of looking for findings; filter says which. */
    int dump;
    const uint16_t *dump_ids;
    size_t n_dump_ids;
    const char *dump_provider, *dump_channel;
    /* --encoding: NULL or "auto" judges each text input by BOM and content;
     * else a name sift_encoding_parse takes ("utf-8", "utf-16le", "cp932"),
     * which every text input is read as. */
    const char *encoding;
} sift_run_opts;

/* Process paths (none means standard input) and print findings. Returns the
 * exit code: 0 no findings, 1 findings, 2 errors (errors win). */
int sift_run(const sift_engine *e, const sift_run_opts *o, char *const *paths, int npaths);

/* Run over one in-memory input named name, as a mapped file (chunk 0) or as
 * a pipe whose reads return at most chunk bytes. For tests and fuzzing: the
 * output must not depend on chunk. Returns the exit code like sift_run. */
int sift_run_memory(const sift_engine *e, const sift_run_opts *o, const char *name, const uint8_t *data, size_t len, size_t chunk);

#endif
