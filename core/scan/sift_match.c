/* sift_match.c - Hyperscan compile and block scans. */
#include "sift_match.h"

#include "sift_num.h"
#include "sift_slice.h"

#include <hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SIFT_HAVE_AVX2_PATH 1
#endif

/* The patterns are compiled into two databases: those whose text is ASCII,
 * and those that need a byte >= 0x80 to match (Japanese headers, in UTF-8
 * and CP932). A small set of literals scans fastest (Hyperscan's Teddy takes
 * up to 8; past that a slower matcher takes over, measured at 47 M against
 * 75 M instructions per 32 MB of the bench dump), and a block with no byte
 * >= 0x80 cannot hold a match of the second set, so it is skipped there:
 * most logs are ASCII. Either database may be empty. */
enum { DB_ASCII, DB_WIDE, NDB };

/* Side literals (SIFT_PAT_SIDE) are searched beside the ASCII database, in
 * the same call, so that their pass runs wherever the matcher runs (on the
 * prescan thread when there is one) and their hits arrive merged in order. */
#define SIDE_MAX 4u

static int needs_wide(const sift_pattern *p);

typedef struct side_lit {
    const uint8_t *lit;
    size_t len;
    uint32_t id; /* the pattern's index */
    /* Armed (see SIFT_PAT_SIDE) by a hit of pattern arm_pat on a line
     * holding arm_line; arm_len 0: always searched. */
    uint32_t arm_pat;
    const uint8_t *arm_line;
    size_t arm_len;
} side_lit;

struct sift_matcher {
    hs_database_t *db[NDB];
    side_lit side[SIDE_MAX];
    size_t n_side;
};

/* The side literals of pats into m (the patterns outlive the matcher).
 * SIFT_ERR_MATCHER when one's arm names no pattern of the ASCII database. */
static sift_status take_side(sift_matcher *m, const sift_pattern *pats, size_t n, char *msg, size_t msg_cap)
{
    for (size_t i = 0; i < n && m->n_side < SIDE_MAX; i++) {
        size_t len = strlen(pats[i].regex);
        if (!(pats[i].flags & SIFT_PAT_SIDE) || len < 2)
            continue;
        side_lit sl = { (const uint8_t *)pats[i].regex, len, (uint32_t)i, 0, NULL, 0 };
        if (pats[i].arm.hit && pats[i].arm.line && pats[i].arm.line[0]) {
            size_t j = 0;
            while (j < n && ((pats[j].flags & SIFT_PAT_SIDE) || needs_wide(&pats[j]) ||
                             strcmp(pats[j].regex, pats[i].arm.hit) != 0))
                j++;
            if (j == n) {
                if (msg && msg_cap)
                    snprintf(msg, msg_cap, "side literal %zu (%s): its arm %s is no ASCII pattern of the table", i,
                             pats[i].regex, pats[i].arm.hit);
                return SIFT_ERR_MATCHER;
            }
            sl.arm_pat = (uint32_t)j;
            sl.arm_line = (const uint8_t *)pats[i].arm.line;
            sl.arm_len = strlen(pats[i].arm.line);
        }
        m->side[m->n_side++] = sl;
    }
    return SIFT_OK;
}

struct sift_hitscan {
    const sift_matcher *m;
    hs_scratch_t *scratch;
    sift_hit *hits;
    sift_hit *side_hits; /* one side literal's hits before they are merged */
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

/* Whether a pattern can only match text holding a byte >= 0x80: it starts
 * with such a byte, written raw or as a \xHH escape. */
static int needs_wide(const sift_pattern *p)
{
    const char *r = p->regex;
    if ((unsigned char)r[0] >= 0x80)
        return 1;
    return r[0] == '\\' && r[1] == 'x' && sift_hex_digit((uint8_t)r[2]) >= 8 && sift_hex_digit((uint8_t)r[3]) >= 0;
}

static sift_status compile_one(const sift_pattern *pats, size_t n, int wide, hs_database_t **db, char *msg,
                               size_t msg_cap)
{
    *db = NULL;
    const char **exprs = calloc(n ? n : 1, sizeof *exprs);
    unsigned *flags = calloc(n ? n : 1, sizeof *flags);
    unsigned *ids = calloc(n ? n : 1, sizeof *ids);
    sift_status st = SIFT_ERR_NOMEM;
    unsigned k = 0;
    if (!exprs || !flags || !ids)
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (needs_wide(&pats[i]) != wide || (pats[i].flags & SIFT_PAT_SIDE))
            continue; /* side literals are the scanner's own pass */
        exprs[k] = pats[i].regex;
        flags[k] = hs_flags(&pats[i]);
        ids[k++] = (unsigned)i;
    }
    st = SIFT_OK;
    if (k == 0)
        goto done;
    hs_compile_error_t *cerr = NULL;
    if (hs_compile_multi(exprs, flags, ids, k, HS_MODE_BLOCK, NULL, db, &cerr) != HS_SUCCESS) {
        if (msg && msg_cap)
            snprintf(msg, msg_cap, "pattern %u (%s): %s", cerr && cerr->expression >= 0 ? ids[cerr->expression] : 0u,
                     cerr && cerr->expression >= 0 ? exprs[cerr->expression] : "?",
                     cerr ? cerr->message : "unknown error");
        hs_free_compile_error(cerr);
        *db = NULL;
        st = SIFT_ERR_MATCHER;
    }
done:
    free(exprs);
    free(flags);
    free(ids);
    return st;
}

sift_status sift_matcher_create(const sift_pattern *pats, size_t n, sift_matcher **out, char *msg, size_t msg_cap)
{
    *out = NULL;
    sift_matcher *m = calloc(1, sizeof *m);
    if (!m)
        return SIFT_ERR_NOMEM;
    for (int d = 0; d < NDB; d++) {
        sift_status st = compile_one(pats, n, d == DB_WIDE, &m->db[d], msg, msg_cap);
        if (st != SIFT_OK) {
            sift_matcher_free(m);
            return st;
        }
    }
    sift_status st = take_side(m, pats, n, msg, msg_cap);
    if (st != SIFT_OK) {
        sift_matcher_free(m);
        return st;
    }
    *out = m;
    return SIFT_OK;
}

/* FNV-1a over everything that shapes the databases: each pattern's text and
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
        for (int k = 0; k < 2; k++) {
            const char *a = k ? pats[i].arm.line : pats[i].arm.hit;
            for (const unsigned char *c = (const unsigned char *)(a ? a : ""); *c; c++)
                h = (h ^ *c) * 1099511628211ull;
            h = (h ^ 0x101u) * 1099511628211ull;
        }
        unsigned f = hs_flags(&pats[i]) ^ (pats[i].flags & SIFT_PAT_SIDE ? 0x80000000u : 0u);
        for (unsigned b = 0; b < sizeof f; b++)
            h = (h ^ ((f >> (8 * b)) & 0xffu)) * 1099511628211ull;
    }
    return (h ^ n) * 1099511628211ull;
}

/* Serialized: the fingerprint (8 bytes), then per database its length (8
 * bytes, 0 for none) and Hyperscan's bytes; little-endian. */
#define WORD 8u

static void put_word(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < WORD; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_word(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < WORD; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

sift_status sift_matcher_serialize(const sift_matcher *m, const sift_pattern *pats, size_t n, uint8_t **bytes,
                                   size_t *len)
{
    char *db[NDB] = { NULL };
    size_t db_len[NDB] = { 0 };
    sift_status st = SIFT_ERR_MATCHER;
    *bytes = NULL;
    *len = 0;
    size_t total = WORD;
    for (int d = 0; d < NDB; d++) {
        if (m->db[d] && hs_serialize_database(m->db[d], &db[d], &db_len[d]) != HS_SUCCESS)
            goto done;
        total += WORD + db_len[d];
    }
    uint8_t *out = malloc(total);
    st = SIFT_ERR_NOMEM;
    if (!out)
        goto done;
    put_word(out, table_fingerprint(pats, n));
    size_t o = WORD;
    for (int d = 0; d < NDB; d++) {
        put_word(out + o, db_len[d]);
        o += WORD;
        if (db_len[d])
            memcpy(out + o, db[d], db_len[d]);
        o += db_len[d];
    }
    *bytes = out;
    *len = total;
    st = SIFT_OK;
done:
    for (int d = 0; d < NDB; d++)
        free(db[d]); /* hs_serialize_database allocates with malloc by default */
    return st;
}

sift_status sift_matcher_load(const uint8_t *bytes, size_t len, const sift_pattern *pats, size_t n,
                              sift_matcher **out)
{
    *out = NULL;
    if (len < WORD || get_word(bytes) != table_fingerprint(pats, n))
        return SIFT_ERR_MATCHER;
    sift_matcher *m = calloc(1, sizeof *m);
    if (!m)
        return SIFT_ERR_NOMEM;
    size_t o = WORD;
    for (int d = 0; d < NDB; d++) {
        if (len - o < WORD)
            goto bad;
        uint64_t dl = get_word(bytes + o);
        o += WORD;
        if (dl > len - o)
            goto bad;
        if (dl && hs_deserialize_database((const char *)bytes + o, (size_t)dl, &m->db[d]) != HS_SUCCESS)
            goto bad;
        o += (size_t)dl;
        /* Scratch allocation validates a database for this CPU: one built
         * for AVX-512 fails here on a machine without it. */
        hs_scratch_t *probe = NULL;
        if (m->db[d] && hs_alloc_scratch(m->db[d], &probe) != HS_SUCCESS)
            goto bad;
        hs_free_scratch(probe);
    }
    if (o != len || (!m->db[DB_ASCII] && !m->db[DB_WIDE] && n))
        goto bad;
    if (take_side(m, pats, n, NULL, 0) != SIFT_OK)
        goto bad;
    *out = m;
    return SIFT_OK;
bad:
    sift_matcher_free(m);
    return SIFT_ERR_MATCHER;
}

void sift_matcher_free(sift_matcher *m)
{
    if (!m)
        return;
    for (int d = 0; d < NDB; d++)
        hs_free_database(m->db[d]);
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
    h->side_hits = m->n_side ? malloc(h->cap * sizeof *h->side_hits) : NULL;
    if (!h->hits || (m->n_side && !h->side_hits)) {
        sift_hitscan_free(h);
        return NULL;
    }
    /* Scratch is allocated here, never on the scan path (it validates and
     * allocates, which is expensive); one scratch serves both databases. */
    for (int d = 0; d < NDB; d++) {
        if (m->db[d] && hs_alloc_scratch(m->db[d], &h->scratch) != HS_SUCCESS) {
            sift_hitscan_free(h);
            return NULL;
        }
    }
    return h;
}

void sift_hitscan_free(sift_hitscan *h)
{
    if (!h)
        return;
    hs_free_scratch(h->scratch);
    free(h->hits);
    free(h->side_hits);
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

static int has_high_scalar(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc >= 0x80;
}

#ifdef SIFT_HAVE_AVX2_PATH
__attribute__((target("avx2"))) static int has_high_avx2(const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i + 128 <= n; i += 128) {
        __m256i a = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(const void *)(p + i)),
                                    _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 32)));
        __m256i b = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(const void *)(p + i + 64)),
                                    _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 96)));
        if (_mm256_movemask_epi8(_mm256_or_si256(a, b)))
            return 1;
    }
    return has_high_scalar(p + i, n - i);
}
#endif

/* Whether buf holds a byte >= 0x80. */
static int has_high(const uint8_t *p, size_t n)
{
#ifdef SIFT_HAVE_AVX2_PATH
    if (__builtin_cpu_supports("avx2"))
        return has_high_avx2(p, n);
#endif
    return has_high_scalar(p, n);
}

sift_status sift_hitscan_run(sift_hitscan *h, const uint8_t *buf, size_t len, const sift_hit **hits, size_t *n)
{
    return sift_hitscan_run_some(h, SIFT_MATCH_ALL, NULL, buf, len, hits, n);
}

/* Where side literal sl starts to be searched in buf: after the line of the
 * first of the hits found so far that arms it; len + 1 when none does. */
static size_t arm_at(const sift_hitscan *h, const side_lit *sl, const uint8_t *buf, size_t len)
{
    size_t checked = 0; /* lines before this are known not to arm: each is read once */
    for (size_t i = 0; i < h->n; i++) {
        if (h->hits[i].pat != sl->arm_pat || h->hits[i].end < checked)
            continue;
        size_t end = h->hits[i].end;
        const uint8_t *nl = end ? memrchr(buf, '\n', end) : NULL;
        size_t ls = nl ? (size_t)(nl - buf) + 1 : 0;
        const uint8_t *le = memchr(buf + end, '\n', len - end);
        size_t line_end = le ? (size_t)(le - buf) : len;
        if (sift_find_literal(buf + ls, line_end - ls, sl->arm_line, sl->arm_len) + sl->arm_len <= line_end - ls)
            return line_end;
        checked = line_end + 1;
    }
    return len + 1;
}

sift_status sift_hitscan_run_some(sift_hitscan *h, unsigned which, sift_arms *arms, const uint8_t *buf, size_t len,
                                  const sift_hit **hits, size_t *n)
{
    h->n = 0;
    h->overflow = 0;
    *hits = h->hits;
    *n = 0;
    if (len == 0)
        return SIFT_OK;
    if (len > UINT32_MAX)
        return SIFT_ERR_LIMIT;
    for (int d = 0; d < NDB; d++) {
        if (!h->m->db[d] || !(which & (d == DB_WIDE ? SIFT_MATCH_WIDE : SIFT_MATCH_ASCII)) ||
            (d == DB_WIDE && !has_high(buf, len)))
            continue;
        hs_error_t rc = hs_scan(h->m->db[d], (const char *)buf, (unsigned)len, 0, h->scratch, on_match, h);
        if (rc == HS_SCAN_TERMINATED && h->overflow) {
            sort_hits(h->hits, h->n);
            *n = h->n; /* the first hit_cap found, for a caller that can use them */
            return SIFT_ERR_LIMIT;
        }
        /* Any other failure would silently lose matches: never ignore it. */
        if (rc != HS_SUCCESS)
            return SIFT_ERR_MATCHER;
    }
    sort_hits(h->hits, h->n);
    sift_arms armed = arms ? *arms : ~(sift_arms)0;
    for (size_t k = 0; (which & SIFT_MATCH_ASCII) && k < h->m->n_side; k++) {
        /* A literal's hits come in order: merged into the sorted ones from
         * the back, in place, they cost no sort. */
        const side_lit *sl = &h->m->side[k];
        size_t from = 0;
        if (sl->arm_len && !(armed >> k & 1u)) {
            if ((from = arm_at(h, sl, buf, len)) > len)
                continue;
            armed |= (sift_arms)1 << k;
        }
        size_t m = 0;
        for (size_t at = from; at + sl->len <= len;) {
            size_t f = at + sift_find_literal(buf + at, len - at, sl->lit, sl->len);
            if (f + sl->len > len)
                break;
            if (h->n + m == h->cap) {
                h->overflow = 1;
                break;
            }
            h->side_hits[m++] = (sift_hit){ (uint32_t)(f + sl->len), sl->id };
            at = f + 1;
        }
        size_t i = h->n, j = m, o = h->n + m;
        while (j > 0) {
            if (i > 0 && hit_cmp(&h->hits[i - 1], &h->side_hits[j - 1]) > 0)
                h->hits[--o] = h->hits[--i];
            else
                h->hits[--o] = h->side_hits[--j];
        }
        h->n += m;
        if (h->overflow) {
            *n = h->n; /* the hits found so far, in order, as Hyperscan's */
            return SIFT_ERR_LIMIT;
        }
    }
    /* Only a block scanned whole arms: one the caller splits and scans
     * again must not arm its first half from a hit in its second. */
    if (arms)
        *arms = armed;
    *n = h->n;
    return SIFT_OK;
}
