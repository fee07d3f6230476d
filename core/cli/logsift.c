/* logsift.c - the command line: options in, sift_run out. */
#include "sift_diag.h"
#include "sift_format.h"
#include "sift_match.h"
#include "sift_rules.h"
#include "sift_run.h"
#include "sift_text.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SIFT_VERSION
#define SIFT_VERSION "0.0.0"
#endif

static void usage(FILE *f, const sift_format *const *formats, size_t nf)
{
    fputs("Usage: logsift [OPTION]... [PATH]...\n"
          "Find known Windows failure signatures in event log exports and connection\n"
          "tables, and print findings as NDJSON, one line per host and rule.\n"
          "\n"
          "PATH is a file, a directory (walked recursively) or - for standard input,\n"
          "which is the default. zstd and gzip input is detected by content.\n"
          "\n"
          "  -f, --format=FMT      auto (default), or one format to look for (below)\n"
          "  -H, --host=NAME       host of connection tables; overrides host lines and file names\n"
          "  -p, --port-range=N    dynamic port range for timewait-exhaustion: a size (16384)\n"
          "                        or LO-HI (49152-65535)\n"
          "      --live            write findings as soon as they are detected or worsen\n"
          "                        (default when reading a pipe)\n"
          "      --no-live         hold all findings until the end of input\n"
          "  -j, --threads=N       1: do everything on one thread; more: decompress on a\n"
          "                        second thread while scanning, and read .evtx chunks on\n"
          "                        N threads (default: one per CPU); output is the same\n"
          "  -e, --encoding=ENC    auto (default: by BOM and content), utf-8, utf-16le or\n"
          "                        cp932: read every text input as ENC\n"
          "\n"
          ".evtx files (detected by content, also compressed or on standard input):\n"
          "      --dump            print their records as NDJSON, one event per line,\n"
          "                        instead of findings (other inputs are passed over)\n"
          "      --event-id=LIST   --dump only these event ids (comma-separated; repeatable)\n"
          "      --provider=NAME   --dump only this provider (case-insensitive)\n"
          "      --channel=NAME    --dump only this channel (case-insensitive)\n"
          "      --carve           also recover records from chunk slack (marked carved)\n"
          "      --strict          drop chunks whose checksums do not match\n"
          "  -s, --stats           print a summary on standard error\n"
          "  -v, --verbose         say on standard error how each input was read\n"
          "  -h, --help            show this help\n"
          "  -V, --version         show the version\n"
          "\n"
          "Exit status: 0 no findings, 1 findings, 2 errors (errors win).\n",
          f);
    fputs("\nFormats:\n", f);
    for (size_t i = 0; i < nf; i++)
        fprintf(f, "  %-22s%s\n", formats[i]->name, formats[i]->title);
    fputs("\nRules:\n", f);
    for (size_t i = 0; i < sift_rule_count; i++)
        if (!sift_rules[i].part_of)
            fprintf(f, "  %-22s%s\n", sift_rules[i].id, sift_rules[i].title);
}

/* An option's value as it may appear in a message: escaped, so that what a
 * user typed cannot split the line or forge another. */
static const char *shown(const char *v, char *buf, size_t cap)
{
    sift_diag_escape(sift_slice_make(v, strlen(v)), buf, cap);
    return buf;
}

static int parse_u32(const char *s, uint32_t *out)
{
    char *end;
    if (!*s || *s == '-' || *s == '+')
        return 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v > 65536)
        return 0;
    *out = (uint32_t)v;
    return 1;
}

static int parse_port_range(const char *s, uint32_t *out)
{
    const char *dash = strchr(s, '-');
    uint32_t lo, hi;
    if (!dash)
        return parse_u32(s, out) && *out >= 1;
    char lo_s[16];
    size_t n = (size_t)(dash - s);
    if (n == 0 || n >= sizeof lo_s)
        return 0;
    memcpy(lo_s, s, n);
    lo_s[n] = '\0';
    if (!parse_u32(lo_s, &lo) || !parse_u32(dash + 1, &hi) || lo > hi || hi > 65535)
        return 0;
    *out = hi - lo + 1;
    return 1;
}

/* "1000,6013" appended to ids[0, *n); 0 when malformed or too many. */
static int parse_ids(const char *s, uint16_t *ids, size_t cap, size_t *n)
{
    for (;;) {
        char *end;
        if (*s < '0' || *s > '9' || *n == cap)
            return 0;
        unsigned long v = strtoul(s, &end, 10);
        if (v > 65535)
            return 0;
        ids[(*n)++] = (uint16_t)v;
        if (*end == '\0')
            return 1;
        if (*end != ',')
            return 0;
        s = end + 1;
    }
}

/* Threads asked for: 1 to 64. */
#define MAX_THREADS 64

int main(int argc, char **argv)
{
    char esc[512];
    uint16_t ids[64];
    enum { OPT_LIVE = 256, OPT_NO_LIVE, OPT_DUMP, OPT_EVENT_ID, OPT_PROVIDER, OPT_CHANNEL, OPT_CARVE, OPT_STRICT };
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "host", required_argument, NULL, 'H' },
        { "port-range", required_argument, NULL, 'p' },
        { "live", no_argument, NULL, OPT_LIVE },
        { "no-live", no_argument, NULL, OPT_NO_LIVE },
        { "threads", required_argument, NULL, 'j' },
        { "encoding", required_argument, NULL, 'e' },
        { "dump", no_argument, NULL, OPT_DUMP },
        { "event-id", required_argument, NULL, OPT_EVENT_ID },
        { "provider", required_argument, NULL, OPT_PROVIDER },
        { "channel", required_argument, NULL, OPT_CHANNEL },
        { "carve", no_argument, NULL, OPT_CARVE },
        { "strict", no_argument, NULL, OPT_STRICT },
        { "stats", no_argument, NULL, 's' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    sift_run_opts o = { .port_range = 16384, .live = -1, .out = stdout, .err = stderr };
    size_t nf;
    const sift_format *const *formats = sift_registry(&nf);
    const char *format = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "f:H:p:j:e:svhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            format = optarg;
            break;
        case 'H':
            if (!*optarg || strlen(optarg) > 255) {
                fprintf(stderr, "logsift: --host needs a name of 1 to 255 bytes\n");
                return 2;
            }
            o.host = optarg;
            break;
        case 'p':
            if (!parse_port_range(optarg, &o.port_range)) {
                fprintf(stderr, "logsift: bad --port-range '%s' (a size such as 16384, or LO-HI)\n",
                        shown(optarg, esc, sizeof esc));
                return 2;
            }
            break;
        case 'j': {
            uint32_t t;
            if (!parse_u32(optarg, &t) || t < 1 || t > MAX_THREADS) {
                fprintf(stderr, "logsift: bad --threads '%s' (1 to %d)\n", shown(optarg, esc, sizeof esc),
                        MAX_THREADS);
                return 2;
            }
            o.threads = (int)t;
            break;
        }
        case 'e': {
            sift_encoding enc;
            if (strcmp(optarg, "auto") != 0 && sift_encoding_parse(sift_slice_make(optarg, strlen(optarg)), &enc) != 0) {
                fprintf(stderr, "logsift: bad --encoding '%s' (auto, utf-8, utf-16le or cp932)\n",
                        shown(optarg, esc, sizeof esc));
                return 2;
            }
            o.encoding = optarg;
            break;
        }
        case OPT_DUMP:
            o.dump = 1;
            break;
        case OPT_EVENT_ID:
            if (!parse_ids(optarg, ids, sizeof ids / sizeof ids[0], &o.n_dump_ids)) {
                fprintf(stderr, "logsift: bad --event-id '%s' (ids 0 to 65535, comma-separated, at most %zu)\n",
                        shown(optarg, esc, sizeof esc), sizeof ids / sizeof ids[0]);
                return 2;
            }
            o.dump_ids = ids;
            break;
        case OPT_PROVIDER:
        case OPT_CHANNEL:
            /* An empty name would select nothing, or (as no filter) everything. */
            if (!*optarg) {
                fprintf(stderr, "logsift: --%s needs a name\n", c == OPT_PROVIDER ? "provider" : "channel");
                return 2;
            }
            *(c == OPT_PROVIDER ? &o.dump_provider : &o.dump_channel) = optarg;
            break;
        case OPT_CARVE:
            o.carve = 1;
            break;
        case OPT_STRICT:
            o.strict = 1;
            break;
        case OPT_LIVE:
            o.live = 1;
            break;
        case OPT_NO_LIVE:
            o.live = 0;
            break;
        case 's':
            o.stats = 1;
            break;
        case 'v':
            o.verbose = 1;
            break;
        case 'h':
            usage(stdout, formats, nf);
            return 0;
        case 'V':
            printf("logsift %s (matcher: %s)\n", SIFT_VERSION, sift_matcher_version());
            return 0;
        default:
            usage(stderr, formats, nf);
            return 2;
        }
    }
    if (!o.dump && (o.n_dump_ids || o.dump_provider || o.dump_channel)) {
        fprintf(stderr, "logsift: --event-id, --provider and --channel filter --dump\n");
        return 2;
    }
    sift_engine *e = sift_engine_create(formats, nf, stderr);
    if (!e)
        return 2;
    if (format && strcmp(format, "auto") != 0) {
        int i = sift_engine_format(e, format);
        if (i < 0) {
            fprintf(stderr, "logsift: unknown format '%s' (auto", shown(format, esc, sizeof esc));
            for (size_t k = 0; k < nf; k++)
                fprintf(stderr, ", %s", formats[k]->name);
            fprintf(stderr, ")\n");
            sift_engine_free(e);
            return 2;
        }
        o.formats = 1u << i;
    }
    int rc = sift_run(e, &o, argv + optind, argc - optind);
    sift_engine_free(e);
    return rc;
}
