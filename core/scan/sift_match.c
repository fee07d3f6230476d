/* sift_match.c - Hyperscan compile and block scans. */
#include "sift_match.h"

#include <hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sift_matcher {
    hs_database_t *db;
};

struct sift_hitscan {
    const sift_matcher *m;
    hs_scratch_t *scratch;
    sift_hit *hits;
    size_t cap;
    size_t n;
    int overflow;
};

/* MULTILINE makes ^ a line start. No HS_FLAG_UTF8: logs hold invalid UTF-8
 * (CP932, junk), on which its results are undefined, and the Japanese
 * literals match fine as plain byte sequences. */
static unsigned hs_flags(const sift_pattern *p)
{
    return HS_FLAG_MULTILINE | ((p->flags & SIFT_PAT_CASELESS) ? HS_FLAG_CASELESS : 0u);
}

sift_status sift_matcher_create(const sift_pattern *pats, size_t n, sift_matcher **out, char *msg, size_t msg_cap)
{
    *out = NULL;
    const char **exprs = calloc(n ? n : 1, sizeof *exprs);
    unsigned *flags = calloc(n ? n : 1, sizeof *flags);
    unsigned *ids = calloc(n ? n : 1, sizeof *ids);
    sift_matcher *m = calloc(1, sizeof *m);
    sift_status st = SIFT_ERR_NOMEM;
    if (!exprs || !flags || !ids || !m)
        goto done;
    for (size_t i = 0; i < n; i++) {
        exprs[i] = pats[i].regex;
        flags[i] = hs_flags(&pats[i]);
        ids[i] = (unsigned)i;
    }
    hs_compile_error_t *cerr = NULL;
    if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &m->db, &cerr) != HS_SUCCESS) {
        if (msg && msg_cap)
            snprintf(msg, msg_cap, "pattern %d (%s): %s", cerr ? cerr->expression : -1,
                     cerr && cerr->expression >= 0 ? pats[cerr->expression].regex : "?",
                     cerr ? cerr->message : "unknown error");
        hs_free_compile_error(cerr);
        st = SIFT_ERR_MATCHER;
        goto done;
    }
    *out = m;
    m = NULL;
    st = SIFT_OK;
done:
    free(exprs);
    free(flags);
    free(ids);
    free(m);
    return st;
}

/* FNV-1a over everything that shapes the database: each pattern's text and
 * flags, their order, and the engine version. */
static uint64_t table_fingerprint(const sift_pattern *pats, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    const unsigned char *v = (const unsigned char *)hs_version();
    for (; *v; v++)
        h = (h ^ *v) * 1099511628211ull;
    for (size_t i = 0; i < n; i++) {
        for (const unsigned char *c = (const unsigned char *)pats[i].regex; *c; c++)
            h = (h ^ *c) * 1099511628211ull;
        h = (h ^ 0x100u) * 1099511628211ull; /* "ab","c" differs from "a","bc" */
        unsigned f = hs_flags(&pats[i]);
        for (unsigned b = 0; b < sizeof f; b++)
            h = (h ^ ((f >> (8 * b)) & 0xffu)) * 1099511628211ull;
    }
    return (h ^ n) * 1099511628211ull;
}

#define FINGERPRINT_BYTES 8u

sift_status sift_matcher_serialize(const sift_matcher *m, const sift_pattern *pats, size_t n, uint8_t **bytes,
                                   size_t *len)
{
    char *db = NULL;
    size_t db_len = 0;
    *bytes = NULL;
    *len = 0;
    if (hs_serialize_database(m->db, &db, &db_len) != HS_SUCCESS)
        return SIFT_ERR_MATCHER;
    uint8_t *out = malloc(FINGERPRINT_BYTES + db_len);
    if (!out) {
        free(db);
        return SIFT_ERR_NOMEM;
    }
    uint64_t fp = table_fingerprint(pats, n);
    for (unsigned i = 0; i < FINGERPRINT_BYTES; i++)
        out[i] = (uint8_t)(fp >> (8 * i));
    memcpy(out + FINGERPRINT_BYTES, db, db_len);
    free(db); /* hs_serialize_database allocates with the misc allocator: malloc by default */
    *bytes = out;
    *len = FINGERPRINT_BYTES + db_len;
    return SIFT_OK;
}

sift_status sift_matcher_load(const uint8_t *bytes, size_t len, const sift_pattern *pats, size_t n,
                              sift_matcher **out)
{
    *out = NULL;
    if (len <= FINGERPRINT_BYTES)
        return SIFT_ERR_MATCHER;
    uint64_t fp = 0;
    for (unsigned i = 0; i < FINGERPRINT_BYTES; i++)
        fp |= (uint64_t)bytes[i] << (8 * i);
    if (fp != table_fingerprint(pats, n))
        return SIFT_ERR_MATCHER;
    sift_matcher *m = calloc(1, sizeof *m);
    if (!m)
        return SIFT_ERR_NOMEM;
    if (hs_deserialize_database((const char *)bytes + FINGERPRINT_BYTES, len - FINGERPRINT_BYTES, &m->db) !=
        HS_SUCCESS) {
        free(m);
        return SIFT_ERR_MATCHER;
    }
    /* Scratch allocation validates the database for this CPU: a database
     * built for AVX-512 fails here on a machine without it. */
    hs_scratch_t *probe = NULL;
    if (hs_alloc_scratch(m->db, &probe) != HS_SUCCESS) {
        sift_matcher_free(m);
        return SIFT_ERR_MATCHER;
    }
    hs_free_scratch(probe);
    *out = m;
    return SIFT_OK;
}

void sift_matcher_free(sift_matcher *m)
{
    if (!m)
        return;
    hs_free_database(m->db);
    free(m);
}

const char *sift_matcher_version(void)
{
    return hs_version();
}

sift_hitscan *sift_hitscan_create(const sift_matcher *m, size_t hit_cap)
{
    sift_hitscan *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->m = m;
    h->cap = hit_cap ? hit_cap : 1;
    h->hits = malloc(h->cap * sizeof *h->hits);
    /* Scratch is allocated here, never on the scan path (it validates and
     * allocates, which is expensive). */
    if (!h->hits || hs_alloc_scratch(m->db, &h->scratch) != HS_SUCCESS) {
        sift_hitscan_free(h);
        return NULL;
    }
    return h;
}

void sift_hitscan_free(sift_hitscan *h)
{
    if (!h)
        return;
    hs_free_scratch(h->scratch);
    free(h->hits);
    free(h);
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx)
{
    (void)from;
    (void)flags;
    sift_hitscan *h = ctx;
    if (h->n == h->cap) {
        h->overflow = 1;
        return 1; /* stop: the caller rescans smaller blocks */
    }
    h->hits[h->n++] = (sift_hit){ (uint32_t)to, id };
    return 0;
}

static int hit_cmp(const void *pa, const void *pb)
{
    const sift_hit *a = pa, *b = pb;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return (a->pat > b->pat) - (a->pat < b->pat);
}

/* Hyperscan usually delivers hits in order already; check before sorting. */
static void sort_hits(sift_hit *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (hit_cmp(&v[i - 1], &v[i]) > 0) {
            qsort(v, n, sizeof *v, hit_cmp);
            return;
        }
    }
}

sift_status sift_hitscan_run(sift_hitscan *h, const uint8_t *buf, size_t len, const sift_hit **hits, size_t *n)
{
    h->n = 0;
    h->overflow = 0;
    *hits = h->hits;
    *n = 0;
    if (len == 0)
        return SIFT_OK;
    if (len > UINT32_MAX)
        return SIFT_ERR_LIMIT;
    hs_error_t rc = hs_scan(h->m->db, (const char *)buf, (unsigned)len, 0, h->scratch, on_match, h);
    if (rc == HS_SCAN_TERMINATED && h->overflow)
        return SIFT_ERR_LIMIT;
    /* Any other failure would silently lose matches: never ignore it. */
    if (rc != HS_SUCCESS)
        return SIFT_ERR_MATCHER;
    sort_hits(h->hits, h->n);
    *n = h->n;
    return SIFT_OK;
}
