/* check_evtx.c - structural checker for gen_evtx output: magics, CRCs, the record walk, planted strings. */

/* Usage: check_evtx FILE.evtx [MIN_RECORDS] [UTF16_TEXT=COUNT ...]
 *
 * Exits 0 when: the file header says "ElfFile\0" with a matching CRC32 of
 * its first 120 bytes and a chunk count that matches the file length; every
 * 64 KiB chunk says "ElfChnk\0" with matching header and event-records CRCs;
 * records walk from offset 512 to the free-space offset with the record
 * magic, a size equal to its trailing copy, ids counting up by one across the
 * whole file and matching each chunk header's first/last ids, and the last
 * record where the header says; the header's next record id follows the
 * last record; and each UTF16_TEXT occurs exactly COUNT times in the file as
 * UTF-16LE. That is the contract gen_evtx promises. It is deliberately strict
 * (real logs break most of these rules) and only for generated files: no
 * external tool such as evtxexport is needed in CI. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define FILE_HDR 4096u
#define CHUNK 65536u
#define CHUNK_HDR 512u

static int fails;

static void fail(const char *what, unsigned long long where)
{
    fprintf(stderr, "check_evtx: %s (at %llu)\n", what, where);
    fails++;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint32_t crc(uint32_t init, const uint8_t *p, size_t n)
{
    return (uint32_t)crc32(init, p, (uInt)n);
}

/* Occurrences of an ASCII text widened to UTF-16LE. */
static unsigned long long count_utf16(const uint8_t *d, size_t n, const char *s)
{
    const size_t len = strlen(s);
    unsigned long long hits = 0;
    if (len == 0 || 2 * len > n)
        return 0;
    for (size_t i = 0; i + 2 * len <= n; i++) {
        size_t j = 0;
        while (j < len && d[i + 2 * j] == (uint8_t)s[j] && d[i + 2 * j + 1] == 0)
            j++;
        hits += j == len;
    }
    return hits;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: check_evtx FILE.evtx [MIN_RECORDS] [UTF16_TEXT=COUNT ...]\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    if (fseek(f, 0, SEEK_END) != 0) {
        perror("seek");
        return 2;
    }
    const long flen = ftell(f);
    rewind(f);
    if (flen < (long)(FILE_HDR + CHUNK)) {
        fprintf(stderr, "check_evtx: shorter than a header and one chunk\n");
        return 1;
    }
    uint8_t *d = malloc((size_t)flen);
    if (!d || fread(d, 1, (size_t)flen, f) != (size_t)flen) {
        fprintf(stderr, "check_evtx: cannot read %s\n", argv[1]);
        return 2;
    }
    fclose(f);
    const size_t n = (size_t)flen;

    if (memcmp(d, "ElfFile", 8) != 0)
        fail("file header magic", 0);
    if (get32(d + 124) != crc(0, d, 120))
        fail("file header CRC", 124);
    if ((n - FILE_HDR) % CHUNK != 0)
        fail("file length is not the header plus whole chunks", n);
    const uint64_t chunks = (n - FILE_HDR) / CHUNK;
    const uint64_t hdr_chunks = d[42] | (uint64_t)d[43] << 8;
    if (hdr_chunks != (chunks > 0xffff ? 0xffff : chunks) || get64(d + 16) != chunks - 1)
        fail("header chunk count or last chunk number", 42);

    uint64_t next_id = 1, records = 0;
    for (uint64_t ci = 0; ci < chunks; ci++) {
        const uint8_t *c = d + FILE_HDR + ci * CHUNK;
        const unsigned long long at = FILE_HDR + ci * CHUNK;
        if (memcmp(c, "ElfChnk", 8) != 0) {
            fail("chunk magic", at);
            continue;
        }
        const uint32_t free_off = get32(c + 48);
        if (free_off < CHUNK_HDR || free_off > CHUNK) {
            fail("free space offset", at + 48);
            continue;
        }
        if (get32(c + 124) != crc(crc(0, c, 120), c + 128, CHUNK_HDR - 128))
            fail("chunk header CRC", at + 124);
        if (get32(c + 52) != crc(0, c + CHUNK_HDR, free_off - CHUNK_HDR))
            fail("event records CRC", at + 52);
        if (get64(c + 24) != next_id)
            fail("chunk first record id", at + 24);
        uint32_t off = CHUNK_HDR, last_off = 0;
        while (off < free_off) {
            if (free_off - off < 28 || get32(c + off) != 0x2a2au) {
                fail("record magic", at + off);
                break;
            }
            const uint32_t size = get32(c + off + 4);
            if (size < 28 || size > free_off - off || get32(c + off + size - 4) != size) {
                fail("record size or its copy", at + off);
                break;
            }
            if (get64(c + off + 8) != next_id)
                fail("record id out of sequence", at + off + 8);
            /* BinXML starts with a fragment header and a template instance. */
            if (c[off + 24] != 0x0f || c[off + 28] != 0x0c)
                fail("record BinXML start", at + off + 24);
            next_id++;
            records++;
            last_off = off;
            off += size;
        }
        if (get64(c + 32) != next_id - 1)
            fail("chunk last record id", at + 32);
        if (get32(c + 44) != last_off)
            fail("chunk last record offset", at + 44);
    }
    if (get64(d + 24) != next_id)
        fail("header next record id", 24);

    if (argc > 2 && records < strtoull(argv[2], NULL, 10))
        fail("fewer records than asked for", records);
    for (int i = 3; i < argc; i++) {
        char *eq = strrchr(argv[i], '=');
        if (!eq) {
            fprintf(stderr, "check_evtx: expected TEXT=COUNT: %s\n", argv[i]);
            return 2;
        }
        *eq = '\0';
        const unsigned long long want = strtoull(eq + 1, NULL, 10);
        const unsigned long long got = count_utf16(d, n, argv[i]);
        if (got != want) {
            fprintf(stderr, "check_evtx: \"%s\" x%llu, expected x%llu\n", argv[i], got, want);
            fails++;
        }
    }
    free(d);
    printf("check_evtx: %s: %llu chunks, %llu records, %s\n", argv[1], (unsigned long long)chunks,
           (unsigned long long)records, fails ? "FAILED" : "ok");
    return fails ? 1 : 0;
}
