/* sift_binxml.c - Windows Binary XML of .evtx chunks: template definitions
 * compiled once per chunk into op lists, records expanded into a node tree
 * in caller memory, and that tree read into the event model or rendered as
 * JSON. JSON mostly skips the tree: the first record of each shape in a
 * chunk records a plan from its tree (static text and value fills), which
 * the later ones run (see "JSON plans").
 *
 * Format: libyal "Windows XML Event Log (EVTX)" and [MS-EVEN6] 2.2.12/2.2.18
 * (notes in the evtx reference, section 5). Shape of the JSON: the Rust
 * evtx_dump conventions. Every count and offset comes from the file: each is
 * checked against the chunk or the record before use, nothing is allocated
 * from one, and the total work of one call is bounded (MAX_STEPS) because
 * substitution values can be referenced many times and nest. */
#include "sift_binxml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sift_num.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ---- limits of the caller-provided memory -------------------------------- */

/* Compiled templates of one chunk. A chunk holds 64 KiB of tokens and a
 * token is at least 3 bytes, but names referenced many times are copied per
 * reference, so the arena is bounded and a template that does not fit is
 * compiled per call instead (same output). */
#define CACHE_OPS 16384u
#define CACHE_TEXT (192u * 1024u)
/* Per call: fragments outside templates (the record's own tokens, BinXml
 * values) and templates past the cache. */
#define TMP_OPS 8192u
#define TMP_TEXT (96u * 1024u)
/* Per call: the expanded tree, substitution values of every instance on the
 * way, UTF-8 text of values, and JSON member names of open objects. */
#define MAX_NODES 16384u
#define MAX_VALS 16384u
#define VTEXT (512u * 1024u)
#define MAX_KEYS 4096u
/* Ops and tokens one call may process: values referenced by many
 * substitutions and nested in each other expand multiplicatively. */
#define MAX_STEPS (1u << 20)
/* Compiled JSON plans of one chunk (see "JSON plans" below): plans (one per
 * shape of record), their ops and their static
 * text. Past these, records of new shapes render through the tree (slower,
 * same output). Substitution indexes past PLAN_SUBS leave a template to the
 * tree: real templates use tens. */
#define PLANS 256u
#define PLAN_OPS 8192u
#define PLAN_TEXT (256u * 1024u)
#define PLAN_SUBS 128u
/* Template instances one planned record may hold: its own and those of its
 * BinXml values (real records: two, System around EventData). */
#define PLAN_INST 4u
/* Content substitutions of the chunk's templates, listed for finding the
 * BinXml values a record expands. */
#define PLAN_CSUBS 8192u
/* Names of one chunk already in UTF-8 in the cache arena, by chunk offset
 * (a power of two; a slot holds the last name hashed to it). Templates of a
 * chunk refer to the same few dozen names, each converted once. */
#define NAME_MEMO 512u

/* ---- tokens and value types ------------------------------------------------- */

enum {
    TOK_EOF = 0x00,
    TOK_OPEN = 0x01,
    TOK_CLOSE_START = 0x02,
    TOK_CLOSE_EMPTY = 0x03,
    TOK_END = 0x04,
    TOK_VALUE = 0x05,
    TOK_ATTR = 0x06,
    TOK_CDATA = 0x07,
    TOK_CHARREF = 0x08,
    TOK_ENTREF = 0x09,
    TOK_PITARGET = 0x0a,
    TOK_PIDATA = 0x0b,
    TOK_TEMPLATE = 0x0c,
    TOK_SUB = 0x0d,
    TOK_OSUB = 0x0e,
    TOK_FRAGMENT = 0x0f,
    TOK_MORE = 0x40, /* "more follows" / "has attributes" flag */
};

enum {
    V_NULL = 0x00,
    V_STRING = 0x01,
    V_ANSI = 0x02,
    V_INT8 = 0x03,
    V_UINT8 = 0x04,
    V_INT16 = 0x05,
    V_UINT16 = 0x06,
    V_INT32 = 0x07,
    V_UINT32 = 0x08,
    V_INT64 = 0x09,
    V_UINT64 = 0x0a,
    V_REAL32 = 0x0b,
    V_REAL64 = 0x0c,
    V_BOOL = 0x0d,
    V_BINARY = 0x0e,
    V_GUID = 0x0f,
    V_SIZET = 0x10,
    V_FILETIME = 0x11,
    V_SYSTEMTIME = 0x12,
    V_SID = 0x13,
    V_HEX32 = 0x14,
    V_HEX64 = 0x15,
    V_HANDLE = 0x20,
    V_BINXML = 0x21,
    V_EVTXML = 0x23,
    V_ARRAY = 0x80,
};

/* ---- compiled ops ------------------------------------------------------------ */

enum {
    OP_OPEN = 1, /* element start; text = name */
    OP_ATTR,     /* attribute; text = name; its value ops follow */
    OP_SHUT,     /* end of the attribute list */
    OP_END,      /* element end */
    OP_TEXT,     /* literal text (UTF-8) */
    OP_SUB,      /* substitution: index */
    OP_OSUB,     /* optional substitution: Null omits its element or attribute */
    OP_PI,       /* processing instruction (kept out of the model and JSON) */
    OP_TPL,      /* template instance of a fragment: at = its token */
};

typedef struct op {
    const uint8_t *text;
    uint32_t len;
    uint32_t at; /* chunk offset of the token */
    uint16_t index;
    uint8_t kind;
    uint8_t pad;
} op;

typedef struct name_memo {
    uint32_t off; /* chunk offset of the name + 1 (0: empty) */
    uint32_t text, len; /* in cache_text */
} name_memo;

typedef struct arena {
    op *ops;
    uint32_t nops, ops_cap;
    uint8_t *text;
    uint32_t ntext, text_cap;
} arena;

/* Where the head fields of a compiled template come from. */
enum { SRC_NONE = 0, SRC_LIT, SRC_SUB, SRC_COMPLEX };
enum { HF_ID, HF_QUAL, HF_PROV, HF_ESN, HF_CHAN, HF_COUNT };

typedef struct head_src {
    uint8_t kind;      /* SRC_* */
    uint8_t optional;  /* SRC_SUB: an optional substitution */
    uint16_t index;    /* SRC_SUB */
    uint16_t guard;    /* attributes: the owning element's single optional
                          substitution (Null omits the element), or 0xffff */
    const uint8_t *text; /* SRC_LIT */
    uint32_t len;
} head_src;

enum { PLAN_UNSEEN = 0, PLAN_YES, PLAN_NO };

typedef struct tpl {
    uint32_t def;         /* chunk offset of the definition */
    uint32_t op0, nops;   /* in the cache arena */
    sift_status fail;     /* SIFT_OK, or why it does not compile */
    uint32_t fail_at;
    const char *why;
    uint8_t fast;         /* head fields are all SRC_NONE/LIT/SUB */
    uint8_t plans;        /* PLAN_*: whether JSON plans can serve it */
    uint16_t nused;       /* PLAN_YES: highest substitution index used + 1 */
    uint32_t last_plan;   /* the plan its last record used, + 1 (0: none) */
    uint32_t csub0, ncsub; /* in csubs: indexes its element content uses, in op order */
    uint64_t used[PLAN_SUBS / 64]; /* substitution indexes its ops use */
    head_src head[HF_COUNT];
} tpl;

/* ---- JSON plans ---------------------------------------------------------------- */

/* A plan op: static text, then the fill it names. */
enum {
    F_END = 0, /* nothing: the plan's last op */
    F_SCALAR,  /* the only part of a JSON scalar: bare when a number or bool */
    F_TEXT,    /* a part of a JSON string: the value's text, escaped */
};

typedef struct pop {
    uint32_t text, len; /* in plan_text */
    uint16_t slot;      /* the value: instance * PLAN_SUBS + substitution index */
    uint8_t fill;       /* F_* */
    uint8_t pad;
} pop;

/* One template instance of a record's shape: the template, and which used
 * substitutions are absent (Null, or past the values) and which BinXml. */
typedef struct inst_shape {
    uint32_t tpl; /* index in tpls */
    uint64_t absent[PLAN_SUBS / 64];
    uint64_t binxml[PLAN_SUBS / 64];
} inst_shape;

/* What a record's JSON is made of, but for the values' text: its instances
 * in the order the tree expands them. */
typedef struct shape {
    uint32_t ninst;
    inst_shape inst[PLAN_INST];
} shape;

typedef struct plan {
    shape key;
    uint32_t op0, nops; /* in plan_ops */
    uint32_t fixed;     /* static bytes */
    uint32_t maxref;    /* most fills one value has */
    int ok;             /* 0: its records go to the tree */
} plan;

/* ---- the expanded tree --------------------------------------------------- */

enum { N_ROOT = 0, N_ELEM, N_ATTR, N_TEXT, N_VAL };

typedef struct node {
    const uint8_t *p; /* name (ELEM, ATTR), UTF-8 (TEXT), raw bytes (VAL) */
    uint32_t n;
    uint32_t next;  /* next sibling (0: none; node 0 is the root) */
    uint32_t prev;  /* previous sibling */
    uint32_t kids, last;  /* content */
    uint32_t attrs, attrs_last;
    uint32_t up;
    uint8_t kind;
    uint8_t type;   /* VAL: value type */
    uint8_t omit;   /* an optional Null substitution drops it */
    uint8_t done;   /* JSON: already rendered in a group */
    uint16_t slot;  /* VAL of a substitution: its pop slot + 1 (for plans) */
} node;

typedef struct val {
    uint32_t off;
    uint16_t size;
    uint8_t type;
    uint8_t pad;
} val;

typedef struct key {
    const uint8_t *p;
    uint32_t n;
} key;

struct sift_binxml {
    const uint8_t *chunk;
    uint32_t len;
    uint32_t ntpl;
    uint32_t last_tpl;
    uint32_t steps; /* this call */
    uint32_t open;  /* elements open, across nested instances */
    uint32_t ninst; /* template instances expanded, this call */
    arena cache;
    arena tmp;
    uint32_t nnodes;
    uint32_t nvals;
    uint32_t nvtext;
    uint32_t nkeys;
    int use_plans;    /* sift_binxml_use_plans */
    uint32_t planned; /* records rendered through a plan since the reset */
    uint32_t nplans, nplan_ops, nplan_text, ncsubs;
    tpl tpls[SIFT_BINXML_MAX_TEMPLATES];
    plan plans[PLANS];
    pop plan_ops[PLAN_OPS];
    uint16_t csubs[PLAN_CSUBS];
    uint32_t inst_desc[PLAN_INST];             /* plan_json: each instance's descriptors */
    uint32_t val_off[PLAN_INST][PLAN_SUBS];    /* ... and its values' chunk offsets */
    name_memo names[NAME_MEMO];
    op cache_ops[CACHE_OPS];
    op tmp_ops[TMP_OPS];
    node nodes[MAX_NODES];
    val vals[MAX_VALS];
    key keys[MAX_KEYS];
    sift_data data[SIFT_EVENT_MAX_DATA];
    uint8_t cache_text[CACHE_TEXT];
    uint8_t tmp_text[TMP_TEXT];
    uint8_t vtext[VTEXT];
    uint8_t plan_text[PLAN_TEXT];
};

size_t sift_binxml_size(void)
{
    return sizeof(sift_binxml);
}

sift_binxml *sift_binxml_reset(void *mem, const uint8_t *chunk, size_t len)
{
    sift_binxml *bx = (sift_binxml *)mem;
    bx->chunk = chunk;
    bx->len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
    bx->ntpl = 0;
    bx->last_tpl = 0;
    bx->cache = (arena){ bx->cache_ops, 0, CACHE_OPS, bx->cache_text, 0, CACHE_TEXT };
    bx->tmp = (arena){ bx->tmp_ops, 0, TMP_OPS, bx->tmp_text, 0, TMP_TEXT };
    bx->use_plans = 1;
    bx->planned = 0;
    bx->nplans = 0;
    bx->nplan_ops = 0;
    bx->nplan_text = 0;
    bx->ncsubs = 0;
    memset(bx->names, 0, sizeof bx->names);
    return bx;
}

/* Per call state; the template cache stays. */
static void call_begin(sift_binxml *bx)
{
    bx->steps = 0;
    bx->open = 0;
    bx->ninst = 0;
    bx->tmp.nops = 0;
    bx->tmp.ntext = 0;
    bx->nnodes = 1;
    bx->nodes[0] = (node){ 0 };
    bx->nodes[0].kind = N_ROOT;
    bx->nvals = 0;
    bx->nvtext = 0;
    bx->nkeys = 0;
}

/* ---- bounded little-endian reads ------------------------------------------------ */

/* Bytes [at, at + n) lie below end. */
static inline int fits(uint32_t at, uint32_t end, uint32_t n)
{
    return at <= end && n <= end - at;
}

/* ---- text output --------------------------------------------------------------- */

/* An output that counts past its capacity, so that a caller learns the whole
 * length of what did not fit. esc: JSON string escaping. */
typedef struct wr {
    uint8_t *p;
    size_t cap;
    size_t n;
    int esc;
} wr;

static inline void wr_byte(wr *w, uint8_t b)
{
    if (w->n < w->cap)
        w->p[w->n] = b;
    w->n++;
}

static void wr_raw(wr *w, const void *s, size_t k)
{
    if (k == 0)
        return; /* s may be the NULL of an empty slice */
    if (w->n < w->cap) {
        size_t room = w->cap - w->n;
        memcpy(w->p + w->n, s, k < room ? k : room);
    }
    w->n += k;
}

static void wr_cstr(wr *w, const char *s)
{
    wr_raw(w, s, strlen(s));
}

static const char hexdig_lower[] = "0123456789abcdef";
static const char hexdig_upper[] = "0123456789ABCDEF";

/* ---- values as text ------------------------------------------------------------------
 * The put_* writers write at d, which the caller has made room for (at least
 * value_room(n) for a value of n bytes), and return the end. The tree's
 * checked writer (wr_value) and the compiled plans (plan_run) both render
 * values through them, so the two give the same bytes by construction. */

/* Room one value of n bytes can need: an ANSI control byte escaped as \u00XX
 * is 6 bytes (UTF-16 needs at most 3 per byte, hex 2, a SID under 3); the
 * slack covers the fixed-width types, whose text does not grow with n, a
 * string's quotes, and the 8-byte stores of the ASCII loop. */
#define VALUE_SLACK 72u

static inline size_t value_room(size_t n)
{
    return 6 * n + VALUE_SLACK;
}

static const char dec2[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                           "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                           "8081828384858687888990919293949596979899";

static inline uint8_t *put_ascii(uint8_t *d, uint8_t b, int esc)
{
    if (!esc || (b >= 0x20 && b != '"' && b != '\\')) {
        *d = b;
        return d + 1;
    }
    d[0] = '\\';
    if (b == '"' || b == '\\') {
        d[1] = b;
        return d + 2;
    }
    memcpy(d + 1, "u00", 3);
    d[4] = (uint8_t)hexdig_lower[b >> 4];
    d[5] = (uint8_t)hexdig_lower[b & 15];
    return d + 6;
}

static inline uint8_t *put_cp(uint8_t *d, uint32_t cp, int esc)
{
    if (cp < 0x80)
        return put_ascii(d, (uint8_t)cp, esc);
    if (cp < 0x800) {
        d[0] = (uint8_t)(0xc0 | cp >> 6);
        d[1] = (uint8_t)(0x80 | (cp & 0x3f));
        return d + 2;
    }
    if (cp < 0x10000) {
        d[0] = (uint8_t)(0xe0 | cp >> 12);
        d[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
        d[2] = (uint8_t)(0x80 | (cp & 0x3f));
        return d + 3;
    }
    d[0] = (uint8_t)(0xf0 | cp >> 18);
    d[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
    d[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
    d[3] = (uint8_t)(0x80 | (cp & 0x3f));
    return d + 4;
}

/* UTF-8 we produced ourselves (valid): only escaping to do. */
static void wr_text(wr *w, const uint8_t *s, size_t n)
{
    if (!w->esc) {
        wr_raw(w, s, n);
        return;
    }
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] >= 0x20 && s[j] != '"' && s[j] != '\\')
            j++;
        wr_raw(w, s + i, j - i);
        if (j < n) {
            uint8_t e[8];
            wr_raw(w, e, (size_t)(put_ascii(e, s[j++], 1) - e));
        }
        i = j;
    }
}

/* UTF-16LE code units to UTF-8; unpaired surrogates become U+FFFD. The
 * streaming transcoder of sift_text.h carries state across calls and knows
 * no escaping, so values are converted here. Runs of ASCII that need no
 * escaping, most of any event's text, go 8 units at a time (the store may
 * write up to 8 bytes past the end it returns: VALUE_SLACK). */
static uint8_t *put_utf16(uint8_t *d, const uint8_t *p, size_t units, int esc)
{
    size_t i = 0;
    while (i < units) {
#if defined(__SSE2__)
        const __m128i nonascii = _mm_set1_epi16((short)0xff80), zero = _mm_setzero_si128();
        const __m128i space = _mm_set1_epi16(0x20), quote = _mm_set1_epi16('"'), bslash = _mm_set1_epi16('\\');
        while (i + 8 <= units) {
            const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 2 * i));
            /* good: ASCII, and when escaping no control, quote or backslash */
            __m128i good = _mm_cmpeq_epi16(_mm_and_si128(v, nonascii), zero);
            if (esc)
                good = _mm_andnot_si128(_mm_or_si128(_mm_cmplt_epi16(v, space),
                                                     _mm_or_si128(_mm_cmpeq_epi16(v, quote), _mm_cmpeq_epi16(v, bslash))),
                                        good);
            _mm_storel_epi64((__m128i *)(void *)d, _mm_packus_epi16(v, v));
            const unsigned bad = ~(unsigned)_mm_movemask_epi8(good) & 0xffffu;
            if (bad == 0) {
                d += 8;
                i += 8;
                continue;
            }
            const unsigned k = (unsigned)__builtin_ctz(bad) / 2;
            d += k;
            i += k;
            break;
        }
        if (i >= units)
            break;
#endif
        uint32_t u = sift_le16(p + 2 * i++);
        if (u < 0x80) {
            d = put_ascii(d, (uint8_t)u, esc);
            continue;
        }
        if (u >= 0xd800 && u <= 0xdbff && i < units) {
            const uint32_t lo = sift_le16(p + 2 * i);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                d = put_cp(d, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00), esc);
                i++;
                continue;
            }
        }
        if (u >= 0xd800 && u <= 0xdfff)
            u = 0xfffd;
        d = put_cp(d, u, esc);
    }
    return d;
}

/* windows-1252 bytes 0x80-0x9f; the rest is Latin-1. Undefined ones map to
 * the C1 control of the same number, as Windows' own conversion does. */
static const uint16_t cp1252_hi[32] = {
    0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008d, 0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
    0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

static uint8_t *put_ansi(uint8_t *d, const uint8_t *p, size_t n, int esc)
{
    for (size_t i = 0; i < n; i++) {
        const uint8_t b = p[i];
        d = put_cp(d, b >= 0x80 && b < 0xa0 ? cp1252_hi[b - 0x80] : b, esc);
    }
    return d;
}

/* Decimal, two digits a step: numbers are much of what a record renders. */
static uint8_t *put_u64(uint8_t *d, uint64_t v)
{
    uint8_t buf[20];
    size_t k = sizeof buf;
    while (v >= 100) {
        const unsigned r = (unsigned)(v % 100);
        v /= 100;
        k -= 2;
        memcpy(buf + k, dec2 + 2 * r, 2);
    }
    if (v >= 10) {
        k -= 2;
        memcpy(buf + k, dec2 + 2 * v, 2);
    } else {
        buf[--k] = (uint8_t)('0' + v);
    }
    memcpy(d, buf + k, sizeof buf - k);
    return d + (sizeof buf - k);
}

static uint8_t *put_i64(uint8_t *d, int64_t v)
{
    if (v < 0) {
        *d++ = '-';
        return put_u64(d, (uint64_t)0 - (uint64_t)v);
    }
    return put_u64(d, (uint64_t)v);
}

/* Exactly `digits` digits (the value fits them), high nibble first. */
static inline uint8_t *put_hexn(uint8_t *d, uint64_t v, unsigned digits, const char *dig)
{
    for (unsigned i = digits; i-- > 0;) {
        d[i] = (uint8_t)dig[v & 15];
        v >>= 4;
    }
    return d + digits;
}

/* "0x" and zero-padded lowercase hex, as "%#0*llx" without printf: HEX32
 * values are 32 bits, so 8 digits hold them. */
static uint8_t *put_hex(uint8_t *d, uint64_t v, unsigned digits)
{
    d[0] = '0';
    d[1] = 'x';
    return put_hexn(d + 2, v, digits, hexdig_lower);
}

static inline uint8_t *put_2(uint8_t *d, unsigned v)
{
    memcpy(d, dec2 + 2 * v, 2);
    return d + 2;
}

#define FILETIME_UNIX_DIFF 11644473600LL
#define FILETIME_PER_SEC 10000000u
#define FILETIME_PER_DAY 864000000000ULL
/* Days from 1601-01-01 (FILETIME's epoch) to 0000-03-01, the start of the
 * March-based years the civil-from-days routine counts in. */
#define FILETIME_DAY0 584694u

static sift_when filetime_when(uint64_t ft)
{
    sift_when t = { 0 };
    t.secs = (int64_t)(ft / FILETIME_PER_SEC) - FILETIME_UNIX_DIFF;
    t.nsec = (uint32_t)(ft % FILETIME_PER_SEC) * 100u;
    t.valid = 1;
    t.utc = 1;
    return t;
}

/* ISO 8601 with nine fraction digits and Z, as evtxexport prints SystemTime. */
static uint8_t *put_when(uint8_t *d, sift_when t)
{
    char buf[48];
    size_t k = sift_time_format(t, buf, sizeof buf);
    if (k == 0 || buf[k - 1] != 'Z')
        return d;
    k--;
    k += (size_t)snprintf(buf + k, sizeof buf - k, ".%09uZ", (unsigned)t.nsec);
    k = k < sizeof buf ? k : sizeof buf - 1;
    memcpy(d, buf, k);
    return d + k;
}

/* put_when of a FILETIME without the general formatter: FILETIME days are
 * never negative, so the civil date is a few divisions (H. Hinnant's
 * civil_from_days); years past 9999 print wider and take the general path. */
static uint8_t *put_filetime(uint8_t *d, uint64_t ft)
{
    const uint64_t z = ft / FILETIME_PER_DAY + FILETIME_DAY0;
    const uint64_t era = z / 146097, doe = z - era * 146097;
    const uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const uint64_t mp = (5 * doy + 2) / 153;
    const unsigned day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    const unsigned mon = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    const uint64_t year = yoe + era * 400 + (mon <= 2);
    if (year > 9999)
        return put_when(d, filetime_when(ft));
    const unsigned sod = (unsigned)(ft / FILETIME_PER_SEC % 86400);
    unsigned frac = (unsigned)(ft % FILETIME_PER_SEC);
    d = put_2(d, (unsigned)(year / 100));
    d = put_2(d, (unsigned)(year % 100));
    *d++ = '-';
    d = put_2(d, mon);
    *d++ = '-';
    d = put_2(d, day);
    *d++ = 'T';
    d = put_2(d, sod / 3600);
    *d++ = ':';
    d = put_2(d, sod / 60 % 60);
    *d++ = ':';
    d = put_2(d, sod % 60);
    *d++ = '.';
    for (unsigned i = 7; i-- > 0;) { /* 100 ns units: the last two of nine digits are 0 */
        d[i] = (uint8_t)('0' + frac % 10);
        frac /= 10;
    }
    memcpy(d + 7, "00Z", 3);
    return d + 10;
}

/* SYSTEMTIME: year, month, weekday, day, hour, minute, second, ms (u16 each). */
static sift_when systemtime_when(const uint8_t *p)
{
    sift_when t = { 0 };
    unsigned y = sift_le16(p), mo = sift_le16(p + 2), d = sift_le16(p + 6);
    unsigned h = sift_le16(p + 8), mi = sift_le16(p + 10), s = sift_le16(p + 12), ms = sift_le16(p + 14);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || ms > 999)
        return t;
    t.secs = sift_days_from_civil(y, mo, d) * 86400 + (int64_t)(h * 3600u + mi * 60u + s);
    t.nsec = ms * 1000000u;
    t.valid = 1;
    t.utc = 1;
    return t;
}

static uint8_t *put_guid(uint8_t *d, const uint8_t *p)
{
    *d++ = '{';
    d = put_hexn(d, sift_le32(p), 8, hexdig_upper);
    *d++ = '-';
    d = put_hexn(d, sift_le16(p + 4), 4, hexdig_upper);
    *d++ = '-';
    d = put_hexn(d, sift_le16(p + 6), 4, hexdig_upper);
    *d++ = '-';
    for (int i = 8; i < 16; i++) {
        if (i == 10)
            *d++ = '-';
        d = put_hexn(d, p[i], 2, hexdig_upper);
    }
    *d++ = '}';
    return d;
}

/* S-rev-authority-sub...; sub-authorities the bytes do not hold are left
 * out (a truncated SID still says what it has). At most 255 of them: the
 * text stays under SID_TEXT_MAX whatever n is. */
#define SID_TEXT_MAX (2u + 3u + 1u + 15u + 255u * 11u)

static uint8_t *put_sid(uint8_t *d, const uint8_t *p, size_t n)
{
    if (n < 8)
        return d;
    uint64_t auth = 0;
    for (int i = 2; i < 8; i++)
        auth = auth << 8 | p[i];
    *d++ = 'S';
    *d++ = '-';
    d = put_u64(d, p[0]);
    *d++ = '-';
    d = put_u64(d, auth);
    size_t subs = p[1];
    if (subs > (n - 8) / 4)
        subs = (n - 8) / 4;
    for (size_t i = 0; i < subs; i++) {
        *d++ = '-';
        d = put_u64(d, sift_le32(p + 8 + 4 * i));
    }
    return d;
}

/* Shortest text that reads back as the same double. */
static uint8_t *put_real(uint8_t *d, double v)
{
    char buf[40];
    int k = 0;
    for (int prec = 1; prec <= 17; prec++) {
        k = snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    memcpy(d, buf, (size_t)k);
    return d + k;
}

static int fixed_width(uint8_t t)
{
    switch (t) {
    case V_INT8: case V_UINT8: return 1;
    case V_INT16: case V_UINT16: return 2;
    case V_INT32: case V_UINT32: case V_REAL32: case V_BOOL: case V_HEX32: return 4;
    case V_INT64: case V_UINT64: case V_REAL64: case V_FILETIME: case V_HEX64: return 8;
    case V_GUID: case V_SYSTEMTIME: return 16;
    default: return 0;
    }
}

static double real_of(uint8_t t, const uint8_t *p)
{
    if (t == V_REAL32) {
        uint32_t u = sift_le32(p);
        float f;
        memcpy(&f, &u, sizeof f);
        return f;
    }
    uint64_t u = sift_le64(p);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* Integer-like values: 1 and *v, or 0. Strings read as decimal. */
static int int_of(uint8_t t, const uint8_t *p, size_t n, uint64_t *v)
{
    int fw = fixed_width(t);
    if (fw && (size_t)fw > n)
        return 0;
    switch (t) {
    case V_INT8: *v = (uint64_t)(int64_t)(int8_t)p[0]; return 1;
    case V_UINT8: *v = p[0]; return 1;
    case V_INT16: *v = (uint64_t)(int64_t)(int16_t)sift_le16(p); return 1;
    case V_UINT16: *v = sift_le16(p); return 1;
    case V_INT32: *v = (uint64_t)(int64_t)(int32_t)sift_le32(p); return 1;
    case V_UINT32: case V_HEX32: case V_BOOL: *v = sift_le32(p); return 1;
    case V_INT64: case V_UINT64: case V_HEX64: *v = sift_le64(p); return 1;
    case V_SIZET:
        if (n == 4) { *v = sift_le32(p); return 1; }
        if (n == 8) { *v = sift_le64(p); return 1; }
        return 0;
    default: return 0;
    }
}

/* A string value's units without its trailing NULs. */
static size_t utf16_units(const uint8_t *p, size_t n)
{
    size_t units = n / 2;
    while (units && sift_le16(p + 2 * (units - 1)) == 0)
        units--;
    return units;
}

static size_t ansi_len(const uint8_t *p, size_t n)
{
    while (n && p[n - 1] == 0)
        n--;
    return n;
}

/* The value as text (escaped when esc), the way evtxexport writes it. */
static uint8_t *put_value(uint8_t *d, uint8_t t, const uint8_t *p, size_t n, int esc)
{
    uint64_t v;
    int fw = fixed_width(t);
    if (fw && (size_t)fw > n)
        return d; /* too short to hold its type: no text */
    switch (t) {
    case V_STRING: case V_EVTXML: return put_utf16(d, p, utf16_units(p, n), esc);
    case V_ANSI: return put_ansi(d, p, ansi_len(p, n), esc);
    case V_INT8: case V_INT16: case V_INT32: case V_INT64:
        int_of(t, p, n, &v);
        return put_i64(d, (int64_t)v);
    case V_UINT8: case V_UINT16: case V_UINT32: case V_UINT64:
        int_of(t, p, n, &v);
        return put_u64(d, v);
    case V_REAL32: case V_REAL64: return put_real(d, real_of(t, p));
    case V_BOOL:
        /* Irregular values (2, 8, 65536 are seen) are true, as evtxexport
         * and python-evtx read them. */
        if (sift_le32(p)) {
            memcpy(d, "true", 4);
            return d + 4;
        }
        memcpy(d, "false", 5);
        return d + 5;
    case V_BINARY:
        for (size_t i = 0; i < n; i++)
            d = put_hexn(d, p[i], 2, hexdig_upper);
        return d;
    case V_GUID: return put_guid(d, p);
    case V_SIZET:
        /* Decimal, as evtxexport writes it (Security ProcessId: 588). */
        return int_of(t, p, n, &v) ? put_u64(d, v) : d;
    case V_FILETIME: return put_filetime(d, sift_le64(p));
    case V_SYSTEMTIME: return put_when(d, systemtime_when(p));
    case V_SID: return put_sid(d, p, n);
    case V_HEX32: return put_hex(d, sift_le32(p), 8);
    case V_HEX64: return put_hex(d, sift_le64(p), 16);
    default: return d; /* Null, handles, BinXml: no text */
    }
}

/* Values rendered into a writer short of value_room go through a buffer a
 * piece at a time: strings and binary PIECE units or bytes, anything else
 * (a SID at most, SID_TEXT_MAX) whole. */
#define PIECE 256u
#define PIECE_BUF (SID_TEXT_MAX > 6u * PIECE + VALUE_SLACK ? SID_TEXT_MAX + VALUE_SLACK : 6u * PIECE + VALUE_SLACK)

static void wr_utf16(wr *w, const uint8_t *p, size_t units)
{
    if (w->n <= w->cap && w->cap - w->n >= 6 * units + VALUE_SLACK) {
        uint8_t *d = w->p + w->n;
        w->n += (size_t)(put_utf16(d, p, units, w->esc) - d);
        return;
    }
    uint8_t buf[PIECE_BUF];
    for (size_t i = 0; i < units;) {
        size_t k = units - i < PIECE ? units - i : PIECE;
        /* A piece never ends on a high surrogate that has a unit after it:
         * that unit may be its pair. A high surrogate is never the second
         * half of a pair, so the next piece starts where a whole pass would
         * be too. */
        if (i + k < units) {
            const uint32_t u = sift_le16(p + 2 * (i + k - 1));
            if (u >= 0xd800 && u <= 0xdbff)
                k--;
        }
        wr_raw(w, buf, (size_t)(put_utf16(buf, p + 2 * i, k, w->esc) - buf));
        i += k;
    }
}

static void wr_value(wr *w, uint8_t t, const uint8_t *p, size_t n)
{
    if (w->n <= w->cap && w->cap - w->n >= value_room(n)) {
        uint8_t *d = w->p + w->n;
        w->n += (size_t)(put_value(d, t, p, n, w->esc) - d);
        return;
    }
    int fw = fixed_width(t);
    if (fw && (size_t)fw > n)
        return;
    uint8_t buf[PIECE_BUF];
    switch (t) {
    case V_STRING: case V_EVTXML:
        wr_utf16(w, p, utf16_units(p, n));
        return;
    case V_ANSI:
        n = ansi_len(p, n);
        for (size_t i = 0; i < n; i += PIECE) {
            const size_t k = n - i < PIECE ? n - i : PIECE;
            wr_raw(w, buf, (size_t)(put_ansi(buf, p + i, k, w->esc) - buf));
        }
        return;
    case V_BINARY:
        for (size_t i = 0; i < n; i += PIECE) {
            const size_t k = n - i < PIECE ? n - i : PIECE;
            wr_raw(w, buf, (size_t)(put_value(buf, t, p + i, k, 0) - buf));
        }
        return;
    default:
        wr_raw(w, buf, (size_t)(put_value(buf, t, p, n, w->esc) - buf));
        return;
    }
}

/* JSON: integers and finite reals are numbers, bools true and false;
 * everything else is a string. */
static int json_bare(uint8_t t, const uint8_t *p, size_t n)
{
    int fw = fixed_width(t);
    if (fw && (size_t)fw > n)
        return 0;
    switch (t) {
    case V_INT8: case V_UINT8: case V_INT16: case V_UINT16: case V_INT32: case V_UINT32: case V_INT64:
    case V_UINT64: case V_BOOL:
        return 1;
    case V_SIZET:
        return n == 4 || n == 8;
    case V_REAL32: case V_REAL64:
        return isfinite(real_of(t, p));
    default:
        return 0;
    }
}

/* Items of an array value, one at a time: 1 and [*ip, *ip + *in), or 0 at
 * the end. String arrays are NUL-separated; fixed-width types split by
 * width; SIDs by their own sub-authority counts. */
static int array_next(uint8_t t, const uint8_t *p, size_t n, size_t *pos, const uint8_t **ip, size_t *in)
{
    size_t at = *pos;
    if (at >= n)
        return 0;
    size_t w;
    switch (t) {
    case V_STRING:
        for (w = at; w + 1 < n && sift_le16(p + w) != 0; w += 2)
            ;
        *ip = p + at;
        *in = (w + 1 < n ? w : n) - at;
        *pos = w + 2;
        return 1;
    case V_ANSI:
        for (w = at; w < n && p[w] != 0; w++)
            ;
        *ip = p + at;
        *in = w - at;
        *pos = w + 1;
        return 1;
    case V_SID:
        if (n - at < 8)
            w = n - at;
        else
            w = 8 + 4 * (size_t)p[at + 1];
        break;
    case V_SIZET:
        w = n % 8 == 0 ? 8 : 4;
        break;
    default:
        w = (size_t)fixed_width(t);
        if (w == 0)
            w = n - at; /* no item width known: one item */
        break;
    }
    if (w > n - at)
        w = n - at;
    *ip = p + at;
    *in = w;
    *pos = at + w;
    return 1;
}

/* ---- names ------------------------------------------------------------------------- */

/* A name at a chunk offset: u32 next, u16 hash, u16 count, UTF-16, u16 NUL. */
static int name_at(const sift_binxml *bx, uint32_t off, const uint8_t **chars, uint32_t *units)
{
    if (!fits(off, bx->len, 8))
        return 0;
    uint32_t n = sift_le16(bx->chunk + off + 6);
    if (!fits(off + 8, bx->len, 2 * n))
        return 0;
    *chars = bx->chunk + off + 8;
    *units = n;
    return 1;
}

/* ---- compiling tokens into ops ------------------------------------------------------ */

typedef struct compiler {
    sift_binxml *bx;
    arena *a;
    sift_error *err;
    uint32_t pos, soft_end, hard_end;
    int dep_id; /* elements carry a dependency id: template definitions only */
} compiler;

static sift_status cfail(compiler *c, sift_status code, uint32_t at, const char *why)
{
    return sift_fail(c->err, code, at, why);
}

static op *emit(compiler *c, uint8_t kind, uint32_t at)
{
    if (c->a->nops >= c->a->ops_cap)
        return NULL;
    op *o = &c->a->ops[c->a->nops++];
    *o = (op){ NULL, 0, at, 0, kind, 0 };
    return o;
}

/* Text converted into the arena. */
static int arena_text(arena *a, int ansi_or_utf16, const uint8_t *p, size_t units, const uint8_t **out, uint32_t *n)
{
    wr w = { a->text + a->ntext, a->text_cap - a->ntext, 0, 0 };
    if (ansi_or_utf16)
        wr_utf16(&w, p, units);
    else
        wr_raw(&w, p, units);
    if (w.n > w.cap)
        return 0;
    *out = w.n ? a->text + a->ntext : NULL;
    *n = (uint32_t)w.n;
    a->ntext += (uint32_t)w.n;
    return 1;
}

/* A name reference at c->pos: the offset, and the name itself inline when
 * the offset is this very position. */
static sift_status c_name(compiler *c, uint32_t tok_at, op *o)
{
    if (!fits(c->pos, c->hard_end, 4))
        return cfail(c, SIFT_ERR_SYNTAX, tok_at, "name offset cut short");
    uint32_t off = sift_le32(c->bx->chunk + c->pos);
    c->pos += 4;
    const uint8_t *chars;
    uint32_t units;
    if (!name_at(c->bx, off, &chars, &units))
        return cfail(c, SIFT_ERR_SYNTAX, tok_at, "name outside the chunk");
    if (off == c->pos) {
        uint32_t skip = 10 + 2 * units;
        if (!fits(c->pos, c->hard_end, skip))
            return cfail(c, SIFT_ERR_SYNTAX, tok_at, "inline name cut short");
        c->pos += skip;
    }
    /* The chunk does not change until the reset, so neither does the
     * name's text: take it from the memo, or convert it and (into the
     * cache arena, which lives as long as the memo) remember it. */
    sift_binxml *bx = c->bx;
    name_memo *m = &bx->names[(off >> 1) & (NAME_MEMO - 1u)];
    if (m->off == off + 1u) {
        o->text = m->len ? bx->cache_text + m->text : NULL;
        o->len = m->len;
        return SIFT_OK;
    }
    const uint32_t mark = c->a->ntext;
    if (!arena_text(c->a, 1, chars, units, &o->text, &o->len))
        return cfail(c, SIFT_ERR_TOO_LONG, tok_at, "compiled names exceed the arena");
    if (c->a == &bx->cache)
        *m = (name_memo){ off + 1u, mark, o->len };
    return SIFT_OK;
}

static sift_status c_utf16(compiler *c, uint32_t tok_at, op *o)
{
    if (!fits(c->pos, c->hard_end, 2))
        return cfail(c, SIFT_ERR_SYNTAX, tok_at, "text length cut short");
    uint32_t units = sift_le16(c->bx->chunk + c->pos);
    c->pos += 2;
    if (!fits(c->pos, c->hard_end, 2 * units))
        return cfail(c, SIFT_ERR_SYNTAX, tok_at, "text cut short");
    if (!arena_text(c->a, 1, c->bx->chunk + c->pos, units, &o->text, &o->len))
        return cfail(c, SIFT_ERR_TOO_LONG, tok_at, "compiled text exceeds the arena");
    c->pos += 2 * units;
    return SIFT_OK;
}

static const struct {
    const char *name;
    const char *text;
} entities[] = { { "lt", "<" }, { "gt", ">" }, { "amp", "&" }, { "quot", "\"" }, { "apos", "'" } };

typedef struct inst {
    uint32_t at;    /* the token */
    uint32_t def;   /* definition offset */
    uint32_t n;     /* values */
    uint32_t desc;  /* descriptor table */
    uint32_t vals;  /* first value */
    uint32_t end;   /* past the last value */
} inst;

/* A template instance token at `at`, bounded by end: where its definition
 * and values are. An inline definition is skipped by its declared size. */
static sift_status inst_read(const sift_binxml *bx, uint32_t at, uint32_t end, inst *in, sift_error *err)
{
    const uint8_t *c = bx->chunk;
    if (!fits(at, end, 10))
        return sift_fail(err, SIFT_ERR_SYNTAX, at, "template instance cut short");
    uint32_t p = at + 10;
    in->at = at;
    in->def = sift_le32(c + at + 6);
    if (in->def == p) {
        if (!fits(p, end, 24))
            return sift_fail(err, SIFT_ERR_SYNTAX, p, "inline template definition cut short");
        uint32_t size = sift_le32(c + p + 20);
        if (!fits(p + 24, end, size))
            return sift_fail(err, SIFT_ERR_SYNTAX, p, "inline template definition runs past the record");
        p += 24 + size;
    }
    if (!fits(p, end, 4))
        return sift_fail(err, SIFT_ERR_SYNTAX, p, "substitution count cut short");
    uint32_t n = sift_le32(c + p);
    p += 4;
    /* Never trust the count: each value needs its 4-byte descriptor. */
    if (n > SIFT_BINXML_MAX_SUBS || n > (end - p) / 4)
        return sift_fail(err, SIFT_ERR_SYNTAX, p - 4, "more substitutions than the record holds");
    in->n = n;
    in->desc = p;
    p += 4 * n;
    uint32_t total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += sift_le16(c + in->desc + 4 * i);
    if (!fits(p, end, total))
        return sift_fail(err, SIFT_ERR_SYNTAX, in->desc, "substitution values run past the record");
    in->vals = p;
    in->end = p + total;
    return SIFT_OK;
}

/* Tokens from c->pos to an EOF token at depth 0, or to soft_end (no new
 * token starts there; one may run on to hard_end). is_def: a template
 * definition, which holds no template instance. A fragment cut short inside
 * elements is closed where it ends: a record whose template was truncated
 * still shows what it has. */
static sift_status compile(compiler *c, int is_def)
{
    sift_binxml *bx = c->bx;
    const uint8_t *ch = bx->chunk;
    unsigned depth = 0;
    int attrs = 0;      /* in an attribute list */
    int attr_named = 0; /* ... after an attribute's name: values may follow */
    sift_status st;
    while (c->pos < c->soft_end) {
        if (++bx->steps > MAX_STEPS)
            return cfail(c, SIFT_ERR_TOO_LONG, c->pos, "record expands past the work limit");
        const uint32_t at = c->pos;
        const uint8_t tok = ch[c->pos++];
        const uint8_t base = tok & (uint8_t)~TOK_MORE;
        op *o = NULL;
        /* Values inside an element start belong to an attribute: the
         * readers of ops take what precedes OP_SHUT for attributes. */
        if (attrs && !attr_named &&
            (base == TOK_VALUE || base == TOK_SUB || base == TOK_OSUB || base == TOK_CHARREF || base == TOK_ENTREF))
            return cfail(c, SIFT_ERR_SYNTAX, at, "value in an element start outside an attribute");
        switch (base) {
        case TOK_EOF:
            if (depth == 0)
                return SIFT_OK;
            return cfail(c, SIFT_ERR_SYNTAX, at, "end of fragment inside an element");
        case TOK_FRAGMENT:
            if (!fits(c->pos, c->hard_end, 3))
                return cfail(c, SIFT_ERR_SYNTAX, at, "fragment header cut short");
            c->pos += 3;
            break;
        case TOK_OPEN: {
            uint32_t fixed = (c->dep_id ? 2u : 0u) + 4u;
            if (!fits(c->pos, c->hard_end, fixed))
                return cfail(c, SIFT_ERR_SYNTAX, at, "element start cut short");
            c->pos += fixed;
            if (depth >= SIFT_BINXML_MAX_ELEMENTS)
                return cfail(c, SIFT_ERR_TOO_LONG, at, "elements nested too deep");
            if (!(o = emit(c, OP_OPEN, at)))
                return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled ops exceed the arena");
            if ((st = c_name(c, at, o)) != SIFT_OK)
                return st;
            if (tok & TOK_MORE) {
                if (!fits(c->pos, c->hard_end, 4))
                    return cfail(c, SIFT_ERR_SYNTAX, at, "attribute list size cut short");
                c->pos += 4;
            }
            depth++;
            attrs = 1;
            attr_named = 0;
            break;
        }
        case TOK_CLOSE_START:
        case TOK_CLOSE_EMPTY:
            if (tok != base || depth == 0 || !attrs)
                return cfail(c, SIFT_ERR_SYNTAX, at, "element start closed outside an element start");
            attrs = 0;
            attr_named = 0;
            if (!emit(c, OP_SHUT, at))
                return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled ops exceed the arena");
            if (base == TOK_CLOSE_EMPTY) {
                if (!emit(c, OP_END, at))
                    return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled ops exceed the arena");
                depth--;
            }
            break;
        case TOK_END:
            if (tok != base || depth == 0 || attrs)
                return cfail(c, SIFT_ERR_SYNTAX, at, "element end without an open element");
            if (!emit(c, OP_END, at))
                return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled ops exceed the arena");
            depth--;
            break;
        case TOK_VALUE:
            if (depth == 0)
                return cfail(c, SIFT_ERR_SYNTAX, at, "text outside an element");
            if (!fits(c->pos, c->hard_end, 1) || ch[c->pos] != V_STRING)
                return cfail(c, SIFT_ERR_UNSUPPORTED, at, "text token of a type other than string");
            c->pos++;
            if (!(o = emit(c, OP_TEXT, at)))
                return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled ops exceed the arena");
            if ((st = c_utf16(c, at, o)) != SIFT_OK)
                return st;
            break;
        case TOK_CDATA:
            if (depth == 0 || attrs)
                return cfail(c, SIFT_ERR_SYNTAX, at, "CDATA outside element content");
            if (!(o = emit(c, OP_TEXT, at)))
                return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled ops exceed the arena");
            if ((st = c_utf16(c, at, o)) != SIFT_OK)
                return st;
            break;
        case TOK_ATTR:
            if (depth == 0 || !attrs)
                return cfail(c, SIFT_ERR_SYNTAX, at, "attribute outside an element start");
            if (!(o = emit(c, OP_ATTR, at)))
                return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled ops exceed the arena");
            if ((st = c_name(c, at, o)) != SIFT_OK)
                return st;
            attr_named = 1;
            break;
        case TOK_CHARREF: {
            if (depth == 0)
                return cfail(c, SIFT_ERR_SYNTAX, at, "character reference outside an element");
            if (!fits(c->pos, c->hard_end, 2))
                return cfail(c, SIFT_ERR_SYNTAX, at, "character reference cut short");
            uint8_t u[2];
            memcpy(u, ch + c->pos, 2);
            c->pos += 2;
            if (!(o = emit(c, OP_TEXT, at)))
                return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled ops exceed the arena");
            if (!arena_text(c->a, 1, u, 1, &o->text, &o->len))
                return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled text exceeds the arena");
            break;
        }
        case TOK_ENTREF: {
            if (depth == 0)
                return cfail(c, SIFT_ERR_SYNTAX, at, "entity reference outside an element");
            if (!(o = emit(c, OP_TEXT, at)))
                return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled ops exceed the arena");
            if ((st = c_name(c, at, o)) != SIFT_OK)
                return st;
            /* The five XML entities stand for their character; any other
             * name is kept as the reference itself. */
            const uint8_t *name = o->text;
            uint32_t nlen = o->len;
            const char *rep = NULL;
            for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++)
                if (nlen == strlen(entities[i].name) && memcmp(name, entities[i].name, nlen) == 0)
                    rep = entities[i].text;
            if (rep) {
                o->text = (const uint8_t *)rep;
                o->len = 1;
            } else {
                uint8_t amp = '&', semi = ';';
                const uint8_t *t0, *t1, *t2;
                uint32_t n0, n1, n2;
                if (!arena_text(c->a, 0, &amp, 1, &t0, &n0) || !arena_text(c->a, 0, name, nlen, &t1, &n1) ||
                    !arena_text(c->a, 0, &semi, 1, &t2, &n2))
                    return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled text exceeds the arena");
                o->text = t0;
                o->len = n0 + n1 + n2;
            }
            break;
        }
        case TOK_PITARGET:
            if (tok != base || attrs)
                return cfail(c, SIFT_ERR_SYNTAX, at, "processing instruction inside an element start");
            if (!(o = emit(c, OP_PI, at)))
                return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled ops exceed the arena");
            if ((st = c_name(c, at, o)) != SIFT_OK)
                return st;
            break;
        case TOK_PIDATA:
            if (tok != base)
                return cfail(c, SIFT_ERR_SYNTAX, at, "unknown token");
            if (!(o = emit(c, OP_PI, at)))
                return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled ops exceed the arena");
            if ((st = c_utf16(c, at, o)) != SIFT_OK)
                return st;
            break;
        case TOK_TEMPLATE: {
            if (tok != base || is_def || attrs)
                return cfail(c, SIFT_ERR_SYNTAX, at, "template instance inside a template definition");
            inst in;
            if ((st = inst_read(bx, at, c->hard_end, &in, c->err)) != SIFT_OK)
                return st;
            if (!emit(c, OP_TPL, at))
                return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled ops exceed the arena");
            c->pos = in.end;
            break;
        }
        case TOK_SUB:
        case TOK_OSUB:
            if (tok != base || depth == 0)
                return cfail(c, SIFT_ERR_SYNTAX, at, "substitution outside an element");
            if (!fits(c->pos, c->hard_end, 3))
                return cfail(c, SIFT_ERR_SYNTAX, at, "substitution cut short");
            if (!(o = emit(c, base == TOK_SUB ? OP_SUB : OP_OSUB, at)))
                return cfail(c, SIFT_ERR_TOO_LONG, at, "compiled ops exceed the arena");
            o->index = sift_le16(ch + c->pos);
            c->pos += 3;
            break;
        default:
            return cfail(c, SIFT_ERR_SYNTAX, at, "unknown token");
        }
    }
    /* The bytes end inside elements: close them. */
    if (attrs && !emit(c, OP_SHUT, c->pos))
        return cfail(c, SIFT_ERR_TOO_LONG, c->pos, "compiled ops exceed the arena");
    while (depth--)
        if (!emit(c, OP_END, c->pos))
            return cfail(c, SIFT_ERR_TOO_LONG, c->pos, "compiled ops exceed the arena");
    return SIFT_OK;
}

/* ---- the head map of a compiled template ------------------------------------------- */

static int op_is(const op *o, const char *name)
{
    size_t n = strlen(name);
    return o->len == n && memcmp(o->text, name, n) == 0;
}

/* The content of the element whose OP_OPEN is ops[i]: one literal or one
 * substitution (*src), nothing (SRC_NONE), or more (SRC_COMPLEX); *nopt
 * counts its optional substitutions (a Null one drops the element) and
 * *opt is the last of them. Attributes are skipped. */
static void content_src(const op *ops, uint32_t n, uint32_t i, head_src *src, unsigned *nopt, uint16_t *opt)
{
    *src = (head_src){ SRC_NONE, 0, 0, 0xffff, NULL, 0 };
    *nopt = 0;
    *opt = 0xffff;
    unsigned depth = 0, parts = 0;
    int in_attrs = 1;
    for (uint32_t k = i; k < n; k++) {
        const op *o = &ops[k];
        if (o->kind == OP_OPEN) {
            depth++;
            if (depth == 2)
                parts += 2; /* a child element: not a simple field */
            in_attrs = 1;
            continue;
        }
        if (o->kind == OP_SHUT) {
            in_attrs = 0;
            continue;
        }
        if (o->kind == OP_END) {
            if (--depth == 0)
                break;
            continue;
        }
        if (depth != 1 || in_attrs)
            continue;
        if (o->kind == OP_TEXT) {
            parts++;
            *src = (head_src){ SRC_LIT, 0, 0, 0xffff, o->text, o->len };
        } else if (o->kind == OP_SUB || o->kind == OP_OSUB) {
            parts++;
            *src = (head_src){ SRC_SUB, o->kind == OP_OSUB, o->index, 0xffff, NULL, 0 };
            if (o->kind == OP_OSUB) {
                ++*nopt;
                *opt = o->index;
            }
        }
    }
    if (parts > 1)
        src->kind = SRC_COMPLEX;
}

/* The value of attribute `name` of the element at ops[i]: SRC_NONE when
 * the template has no such attribute, an empty literal when it has one
 * without value, SRC_COMPLEX for several parts or several such attributes
 * (a Null first one would leave the second to the tree). */
static void attr_src(const op *ops, uint32_t n, uint32_t i, const char *name, head_src *src)
{
    *src = (head_src){ SRC_NONE, 0, 0, 0xffff, NULL, 0 };
    unsigned found = 0, parts = 0;
    int in = 0;
    for (uint32_t k = i + 1; k < n && ops[k].kind != OP_SHUT; k++) {
        const op *o = &ops[k];
        if (o->kind == OP_ATTR) {
            in = op_is(o, name);
            found += (unsigned)in;
            if (in)
                *src = (head_src){ SRC_LIT, 0, 0, 0xffff, NULL, 0 }; /* present, empty */
            continue;
        }
        if (!in)
            continue;
        if (o->kind == OP_TEXT) {
            parts++;
            *src = (head_src){ SRC_LIT, 0, 0, 0xffff, o->text, o->len };
        } else if (o->kind == OP_SUB || o->kind == OP_OSUB) {
            parts++;
            *src = (head_src){ SRC_SUB, o->kind == OP_OSUB, o->index, 0xffff, NULL, 0 };
        }
    }
    if (parts > 1 || found > 1)
        src->kind = SRC_COMPLEX;
}

/* An attribute's field: its owning element is dropped when its only
 * content is an optional substitution that is Null; any other mix of
 * optional substitutions and content is left to the tree. */
static void guard_attr(head_src *s, const head_src *content, unsigned nopt, uint16_t opt)
{
    if (nopt == 0)
        return;
    if (nopt == 1 && content->kind == SRC_SUB && content->optional)
        s->guard = opt;
    else
        s->kind = SRC_COMPLEX;
}

/* Fill t->head from the ops: Event/System/{EventID, Provider, Channel}. Any
 * shape the fast path cannot read as the tree would be read (several
 * candidates, an Event or System that a substitution could drop or repeat)
 * makes the template slow-path only. */
static void head_compile(tpl *t, const op *ops, uint32_t n)
{
    for (int f = 0; f < HF_COUNT; f++)
        t->head[f] = (head_src){ SRC_NONE, 0, 0, 0xffff, NULL, 0 };
    t->fast = 0;
    if (n == 0 || ops[0].kind != OP_OPEN || !op_is(&ops[0], "Event"))
        return;
    unsigned depth = 0, systems = 0, ids = 0, provs = 0, chans = 0;
    int in_attrs = 0, in_system = 0;
    for (uint32_t k = 0; k < n; k++) {
        const op *o = &ops[k];
        switch (o->kind) {
        case OP_OPEN:
            depth++;
            in_attrs = 1;
            if (depth == 1 && k != 0)
                return; /* a second root */
            if (depth == 2 && op_is(o, "System")) {
                if (++systems > 1)
                    return;
                in_system = 1;
            }
            if (depth == 3 && in_system) {
                head_src content;
                unsigned nopt;
                uint16_t opt;
                content_src(ops, n, k, &content, &nopt, &opt);
                if (op_is(o, "EventID")) {
                    ids++;
                    t->head[HF_ID] = content;
                    attr_src(ops, n, k, "Qualifiers", &t->head[HF_QUAL]);
                    guard_attr(&t->head[HF_QUAL], &content, nopt, opt);
                } else if (op_is(o, "Provider")) {
                    provs++;
                    attr_src(ops, n, k, "Name", &t->head[HF_PROV]);
                    attr_src(ops, n, k, "EventSourceName", &t->head[HF_ESN]);
                    guard_attr(&t->head[HF_PROV], &content, nopt, opt);
                    guard_attr(&t->head[HF_ESN], &content, nopt, opt);
                } else if (op_is(o, "Channel")) {
                    chans++;
                    t->head[HF_CHAN] = content;
                }
            }
            break;
        case OP_SHUT:
            in_attrs = 0;
            break;
        case OP_END:
            if (depth == 2)
                in_system = 0;
            depth--;
            break;
        case OP_SUB:
        case OP_OSUB:
            /* Content of Event or System from a substitution could drop
             * or repeat them, or (a BinXml value) put a System, EventID,
             * Provider or Channel ahead of the template's own. Past the
             * end of System it cannot: the tree reads the first System,
             * and a Null one cannot drop an Event that holds System. Real
             * templates put EventData or UserData there. */
            if (!in_attrs && depth <= 2 && !(depth == 1 && systems == 1 && !in_system))
                return;
            break;
        default:
            break;
        }
    }
    if (ids > 1 || provs > 1 || chans > 1)
        return;
    for (int f = 0; f < HF_COUNT; f++)
        if (t->head[f].kind == SRC_COMPLEX)
            return;
    t->fast = 1;
}

/* ---- template cache ---------------------------------------------------------------- */

/* The definition at def, for the instance token at `at` (where an error
 * about a definition outside the chunk is reported). */
static sift_status compile_def(sift_binxml *bx, arena *a, uint32_t def, uint32_t at, uint32_t *op0, uint32_t *nops,
                               sift_error *err)
{
    if (!fits(def, bx->len, 24))
        return sift_fail(err, SIFT_ERR_SYNTAX, at, "template definition outside the chunk");
    uint32_t size = sift_le32(bx->chunk + def + 20);
    uint32_t start = def + 24;
    uint32_t end = fits(start, bx->len, size) ? start + size : bx->len;
    /* A definition is a fragment: one whose bytes were zeroed (a torn copy,
     * a carved record whose template is gone) would compile to an empty
     * template and every record using it to an empty event, silently. */
    if (end - start < 4 || bx->chunk[start] != 0x0f)
        return sift_fail(err, SIFT_ERR_SYNTAX, at, "template definition missing (no fragment header where it should be)");
    compiler c = { bx, a, err, start, end, bx->len, 1 };
    const uint32_t mark_ops = a->nops, mark_text = a->ntext;
    sift_status st = compile(&c, 1);
    if (st != SIFT_OK) {
        a->nops = mark_ops;
        a->ntext = mark_text;
        /* Names remembered from the text given back would read whatever
         * is written there next. */
        if (a == &bx->cache)
            for (uint32_t i = 0; i < NAME_MEMO; i++)
                if (bx->names[i].off && bx->names[i].text + bx->names[i].len > mark_text)
                    bx->names[i].off = 0;
        return st;
    }
    *op0 = mark_ops;
    *nops = a->nops - mark_ops;
    return SIFT_OK;
}

/* The compiled template at def: from the cache, compiled into it, or (cache
 * full) compiled into the call's arena with *t pointing at a scratch entry. */
static sift_status get_template(sift_binxml *bx, uint32_t def, uint32_t at, const op **ops, uint32_t *nops,
                                const tpl **tp, sift_error *err)
{
    tpl *t = NULL;
    if (bx->last_tpl < bx->ntpl && bx->tpls[bx->last_tpl].def == def) {
        t = &bx->tpls[bx->last_tpl];
    } else {
        for (uint32_t i = 0; i < bx->ntpl; i++)
            if (bx->tpls[i].def == def) {
                t = &bx->tpls[i];
                bx->last_tpl = i;
                break;
            }
    }
    if (t == NULL && bx->ntpl < SIFT_BINXML_MAX_TEMPLATES) {
        sift_error e = { SIFT_OK, 0, NULL };
        uint32_t op0 = 0, n = 0;
        const uint32_t steps = bx->steps;
        bx->steps = 0; /* a cached compile is not this record's work */
        sift_status st = compile_def(bx, &bx->cache, def, at, &op0, &n, &e);
        bx->steps = steps;
        if (st != SIFT_ERR_TOO_LONG) { /* out of arena: compile per call below */
            t = &bx->tpls[bx->ntpl];
            *t = (tpl){ 0 };
            t->def = def;
            t->op0 = op0;
            t->nops = n;
            t->fail = st;
            t->fail_at = (uint32_t)e.offset;
            t->why = e.detail;
            if (st == SIFT_OK)
                head_compile(t, bx->cache.ops + op0, n);
            bx->last_tpl = bx->ntpl++;
        }
    }
    if (t != NULL) {
        if (t->fail != SIFT_OK)
            return sift_fail(err, t->fail, t->fail_at, t->why);
        *ops = bx->cache.ops + t->op0;
        *nops = t->nops;
        *tp = t;
        return SIFT_OK;
    }
    uint32_t op0 = 0, n = 0;
    sift_status st = compile_def(bx, &bx->tmp, def, at, &op0, &n, err);
    if (st != SIFT_OK)
        return st;
    *ops = bx->tmp.ops + op0;
    *nops = n;
    *tp = NULL;
    return SIFT_OK;
}

/* ---- building the tree ------------------------------------------------------------- */

static sift_status build_fragment(sift_binxml *bx, uint32_t off, uint32_t end, uint32_t parent, unsigned depth,
                                  sift_error *err);

static uint32_t new_node(sift_binxml *bx, uint8_t kind)
{
    if (bx->nnodes >= MAX_NODES)
        return 0;
    uint32_t i = bx->nnodes++;
    bx->nodes[i] = (node){ 0 };
    bx->nodes[i].kind = kind;
    return i;
}

/* Append k to parent's content, or to its attributes. */
static void link_node(sift_binxml *bx, uint32_t parent, uint32_t k, int is_attr)
{
    node *p = &bx->nodes[parent], *c = &bx->nodes[k];
    uint32_t *first = is_attr ? &p->attrs : &p->kids;
    uint32_t *last = is_attr ? &p->attrs_last : &p->last;
    c->up = parent;
    c->prev = *last;
    if (*last)
        bx->nodes[*last].next = k;
    else
        *first = k;
    *last = k;
}

static void link_kid(sift_binxml *bx, uint32_t parent, uint32_t k)
{
    link_node(bx, parent, k, 0);
}

/* Drop node k (the last of its list, with everything allocated after it). */
static void drop_node(sift_binxml *bx, uint32_t k, int is_attr)
{
    node *c = &bx->nodes[k];
    node *p = &bx->nodes[c->up];
    uint32_t *first = is_attr ? &p->attrs : &p->kids;
    uint32_t *last = is_attr ? &p->attrs_last : &p->last;
    if (c->prev)
        bx->nodes[c->prev].next = 0;
    else
        *first = 0;
    *last = c->prev;
    bx->nnodes = k;
}

static sift_status too_big(sift_error *err, uint32_t at)
{
    return sift_fail(err, SIFT_ERR_TOO_LONG, at, "record expands past the decoder's node limit");
}

static sift_status add_val(sift_binxml *bx, uint32_t holder, uint8_t type, const uint8_t *p, size_t n, uint32_t at,
                           uint16_t slot, sift_error *err)
{
    uint32_t v = new_node(bx, N_VAL);
    if (!v)
        return too_big(err, at);
    bx->nodes[v].type = type;
    bx->nodes[v].slot = slot;
    bx->nodes[v].p = n ? p : NULL;
    bx->nodes[v].n = (uint32_t)n;
    link_kid(bx, holder, v);
    return SIFT_OK;
}

/* Ops of one template (vals: its substitution values) or of a fragment (no
 * values), expanded under parent. */
static sift_status build_ops(sift_binxml *bx, const op *ops, uint32_t nops, const val *vals, uint32_t nvals,
                             uint32_t parent, unsigned depth, uint32_t instance, sift_error *err)
{
    uint32_t cur = parent; /* where content goes */
    uint32_t attr = 0;     /* the attribute whose value is being read */
    sift_status st;
    for (uint32_t k = 0; k < nops; k++) {
        const op *o = &ops[k];
        if (++bx->steps > MAX_STEPS)
            return sift_fail(err, SIFT_ERR_TOO_LONG, o->at, "record expands past the work limit");
        switch (o->kind) {
        case OP_OPEN: {
            if (bx->open >= SIFT_BINXML_MAX_ELEMENTS)
                return sift_fail(err, SIFT_ERR_TOO_LONG, o->at, "elements nested too deep");
            uint32_t e = new_node(bx, N_ELEM);
            if (!e)
                return too_big(err, o->at);
            bx->nodes[e].p = o->text;
            bx->nodes[e].n = o->len;
            link_kid(bx, cur, e);
            cur = e;
            attr = 0;
            bx->open++;
            break;
        }
        case OP_ATTR:
        case OP_SHUT:
            if (attr && bx->nodes[attr].omit)
                drop_node(bx, attr, 1);
            attr = 0;
            if (o->kind == OP_ATTR && cur != parent) {
                uint32_t a = new_node(bx, N_ATTR);
                if (!a)
                    return too_big(err, o->at);
                bx->nodes[a].p = o->text;
                bx->nodes[a].n = o->len;
                link_node(bx, cur, a, 1);
                attr = a;
            }
            break;
        case OP_END: {
            if (cur == parent)
                break; /* compile balanced them; never above our parent */
            uint32_t e = cur;
            cur = bx->nodes[e].up;
            attr = 0;
            bx->open--;
            if (bx->nodes[e].omit && !bx->nodes[e].kids)
                drop_node(bx, e, 0);
            break;
        }
        case OP_TEXT: {
            uint32_t t = new_node(bx, N_TEXT);
            if (!t)
                return too_big(err, o->at);
            bx->nodes[t].p = o->text;
            bx->nodes[t].n = o->len;
            link_kid(bx, attr ? attr : cur, t);
            break;
        }
        case OP_SUB:
        case OP_OSUB: {
            const uint32_t holder = attr ? attr : cur;
            if (o->index >= nvals || vals[o->index].type == V_NULL) {
                /* An optional substitution with no value takes its
                 * attribute with it, and its element when the element
                 * has nothing else (an <Event> whose optional payload is
                 * Null keeps its <System>). */
                if (o->kind == OP_OSUB && holder != parent)
                    bx->nodes[holder].omit = 1;
                break;
            }
            const val *v = &vals[o->index];
            const uint8_t *p = bx->chunk + v->off;
            if (v->type == V_BINXML) {
                if (attr)
                    break; /* markup has no place in an attribute */
                if (depth + 1 >= SIFT_BINXML_MAX_DEPTH)
                    return sift_fail(err, SIFT_ERR_TOO_LONG, v->off, "BinXml values nested too deep");
                if ((st = build_fragment(bx, v->off, v->off + v->size, cur, depth + 1, err)) != SIFT_OK)
                    return st;
                break;
            }
            if (!(v->type & V_ARRAY) || attr || cur == parent) {
                /* Plans name a value by instance and index (0: none can). */
                const uint16_t slot = instance < PLAN_INST && o->index < PLAN_SUBS
                                          ? (uint16_t)(instance * PLAN_SUBS + o->index + 1u)
                                          : 0;
                if ((st = add_val(bx, holder, v->type, p, v->size, o->at, slot, err)) != SIFT_OK)
                    return st;
                break;
            }
            /* An array repeats its element once per item: the open element
             * takes the first, copies of it (same name and attributes) the
             * others. */
            const uint8_t it = v->type & (uint8_t)~V_ARRAY;
            size_t pos = 0, in = 0;
            const uint8_t *ip = NULL;
            int first = 1;
            while (array_next(it, p, v->size, &pos, &ip, &in)) {
                uint32_t e = cur;
                if (!first) {
                    if (++bx->steps > MAX_STEPS)
                        return sift_fail(err, SIFT_ERR_TOO_LONG, o->at, "record expands past the work limit");
                    e = new_node(bx, N_ELEM);
                    if (!e)
                        return too_big(err, o->at);
                    bx->nodes[e].p = bx->nodes[cur].p;
                    bx->nodes[e].n = bx->nodes[cur].n;
                    bx->nodes[e].attrs = bx->nodes[cur].attrs;
                    bx->nodes[e].attrs_last = bx->nodes[cur].attrs_last;
                    link_kid(bx, bx->nodes[cur].up, e);
                }
                if ((st = add_val(bx, e, it, ip, in, o->at, 0, err)) != SIFT_OK)
                    return st;
                first = 0;
            }
            break;
        }
        case OP_TPL: {
            if (depth + 1 >= SIFT_BINXML_MAX_DEPTH)
                return sift_fail(err, SIFT_ERR_TOO_LONG, o->at, "template instances nested too deep");
            inst in;
            /* The compiler read this instance within the same bounds. */
            if ((st = inst_read(bx, o->at, bx->len, &in, err)) != SIFT_OK)
                return st;
            const op *tops;
            uint32_t tn;
            const tpl *t;
            if ((st = get_template(bx, in.def, in.at, &tops, &tn, &t, err)) != SIFT_OK)
                return st;
            if (in.n > MAX_VALS - bx->nvals)
                return too_big(err, o->at);
            val *tv = bx->vals + bx->nvals;
            uint32_t off = in.vals;
            for (uint32_t i = 0; i < in.n; i++) {
                const uint8_t *d = bx->chunk + in.desc + 4 * i;
                tv[i] = (val){ off, sift_le16(d), d[2], 0 };
                off += tv[i].size;
            }
            bx->nvals += in.n;
            if ((st = build_ops(bx, tops, tn, tv, in.n, cur, depth + 1, bx->ninst++, err)) != SIFT_OK)
                return st;
            break;
        }
        default:
            break;
        }
    }
    if (attr && bx->nodes[attr].omit)
        drop_node(bx, attr, 1);
    while (cur != parent) { /* ops end inside elements: close them */
        uint32_t e = cur;
        cur = bx->nodes[e].up;
        bx->open--;
        if (bx->nodes[e].omit && !bx->nodes[e].kids)
            drop_node(bx, e, 0);
    }
    return SIFT_OK;
}

/* A fragment (the record's own tokens, or a BinXml value) under parent. */
static sift_status build_fragment(sift_binxml *bx, uint32_t off, uint32_t end, uint32_t parent, unsigned depth,
                                  sift_error *err)
{
    compiler c = { bx, &bx->tmp, err, off, end, end, 0 };
    const uint32_t op0 = bx->tmp.nops;
    sift_status st = compile(&c, 0);
    if (st != SIFT_OK)
        return st;
    return build_ops(bx, bx->tmp.ops + op0, bx->tmp.nops - op0, NULL, 0, parent, depth, 0, err);
}

static sift_status check_range(const sift_binxml *bx, uint32_t off, uint32_t len, sift_error *err)
{
    if (!fits(off, bx->len, len))
        return sift_fail(err, SIFT_ERR_SYNTAX, off, "record BinXML outside the chunk");
    return SIFT_OK;
}

static sift_status build_record(sift_binxml *bx, uint32_t off, uint32_t len, sift_error *err)
{
    call_begin(bx);
    sift_status st = check_range(bx, off, len, err);
    if (st != SIFT_OK)
        return st;
    return build_fragment(bx, off, off + len, 0, 0, err);
}

/* ---- reading the tree ---------------------------------------------------------------- */

static int name_is(const node *n, const char *name)
{
    size_t k = strlen(name);
    return n->n == k && memcmp(n->p, name, k) == 0;
}

static uint32_t child_elem(const sift_binxml *bx, uint32_t parent, const char *name)
{
    for (uint32_t k = bx->nodes[parent].kids; k; k = bx->nodes[k].next)
        if (bx->nodes[k].kind == N_ELEM && name_is(&bx->nodes[k], name))
            return k;
    return 0;
}

static uint32_t attr_of(const sift_binxml *bx, uint32_t elem, const char *name)
{
    for (uint32_t k = bx->nodes[elem].attrs; k; k = bx->nodes[k].next)
        if (name_is(&bx->nodes[k], name))
            return k;
    return 0;
}

static int is_part(const node *n)
{
    return n->kind == N_TEXT || n->kind == N_VAL;
}

/* Text parts of holder (an element's content or an attribute's value). */
static uint32_t count_parts(const sift_binxml *bx, uint32_t holder, uint32_t *only)
{
    uint32_t n = 0;
    for (uint32_t k = bx->nodes[holder].kids; k; k = bx->nodes[k].next)
        if (is_part(&bx->nodes[k])) {
            n++;
            *only = k;
        }
    return n;
}

/* One part as text; arrays (in attributes) are their items joined by ", ". */
static void wr_part(wr *w, const node *n)
{
    if (n->kind == N_TEXT) {
        wr_text(w, n->p, n->n);
        return;
    }
    if (!(n->type & V_ARRAY)) {
        wr_value(w, n->type, n->p, n->n);
        return;
    }
    const uint8_t it = n->type & (uint8_t)~V_ARRAY;
    size_t pos = 0, in = 0;
    const uint8_t *ip = NULL;
    int first = 1;
    while (array_next(it, n->p, n->n, &pos, &ip, &in)) {
        if (!first)
            wr_raw(w, ", ", 2);
        wr_value(w, it, ip, in);
        first = 0;
    }
}

static void wr_parts(wr *w, const sift_binxml *bx, uint32_t holder)
{
    for (uint32_t k = bx->nodes[holder].kids; k; k = bx->nodes[k].next)
        if (is_part(&bx->nodes[k]))
            wr_part(w, &bx->nodes[k]);
}

/* The text of holder as UTF-8 in the value arena; 0 when it is full. */
static int holder_text(sift_binxml *bx, uint32_t holder, sift_slice *out)
{
    wr w = { bx->vtext + bx->nvtext, VTEXT - bx->nvtext, 0, 0 };
    wr_parts(&w, bx, holder);
    if (w.n > w.cap)
        return 0;
    *out = sift_slice_make(w.p, w.n);
    bx->nvtext += (uint32_t)w.n;
    return 1;
}

/* A number from one part: integers as they are, text as decimal. The head
 * fast path goes through the same two readers, so both agree. */
static int lit_u64(const uint8_t *p, size_t n, uint64_t *v)
{
    return sift_num_u64(sift_slice_make(p, n), v) == SIFT_OK;
}

static int val_u64(sift_binxml *bx, uint8_t type, const uint8_t *p, size_t n, uint64_t *v)
{
    if (int_of(type, p, n, v))
        return 1;
    if (type != V_STRING && type != V_ANSI)
        return 0;
    wr w = { bx->vtext + bx->nvtext, VTEXT - bx->nvtext, 0, 0 };
    wr_value(&w, type, p, n);
    return w.n <= w.cap && lit_u64(w.p, w.n, v);
}

static int holder_u64(sift_binxml *bx, uint32_t holder, uint64_t *v)
{
    uint32_t only = 0;
    uint32_t parts = count_parts(bx, holder, &only);
    if (parts == 0)
        return 0;
    if (parts == 1) {
        const node *n = &bx->nodes[only];
        if (n->kind == N_TEXT)
            return lit_u64(n->p, n->n, v);
        if (n->type & V_ARRAY)
            return 0;
        return val_u64(bx, n->type, n->p, n->n, v);
    }
    wr w = { bx->vtext + bx->nvtext, VTEXT - bx->nvtext, 0, 0 };
    wr_parts(&w, bx, holder);
    return w.n <= w.cap && lit_u64(w.p, w.n, v);
}

/* The first top-level Event element. */
static uint32_t event_elem(const sift_binxml *bx)
{
    return child_elem(bx, 0, "Event");
}

static sift_status tree_head(sift_binxml *bx, sift_binxml_head *h, sift_error *err)
{
    *h = (sift_binxml_head){ 0 };
    uint32_t ev = event_elem(bx);
    uint32_t sys = ev ? child_elem(bx, ev, "System") : 0;
    if (!sys)
        return SIFT_OK;
    uint64_t v;
    uint32_t e = child_elem(bx, sys, "EventID");
    if (e) {
        if (holder_u64(bx, e, &v)) {
            h->id = (uint16_t)v;
            h->have |= SIFT_EV_ID;
        }
        uint32_t q = attr_of(bx, e, "Qualifiers");
        if (q && holder_u64(bx, q, &v)) {
            h->qualifiers = (uint16_t)v;
            h->have |= SIFT_EV_QUALIFIERS;
        }
    }
    uint32_t pe = child_elem(bx, sys, "Provider");
    if (pe) {
        uint32_t a = attr_of(bx, pe, "Name");
        if (!a)
            a = attr_of(bx, pe, "EventSourceName");
        if (a && !holder_text(bx, a, &h->provider))
            return sift_fail(err, SIFT_ERR_TOO_LONG, 0, "values exceed the decoder's text arena");
    }
    uint32_t c = child_elem(bx, sys, "Channel");
    if (c && !holder_text(bx, c, &h->channel))
        return sift_fail(err, SIFT_ERR_TOO_LONG, 0, "values exceed the decoder's text arena");
    return SIFT_OK;
}

/* ---- head: the fast path ------------------------------------------------------------ */

/* Substitution indexes the fast path looks up; a map naming a later one
 * leaves the record to the tree. */
#define FAST_MAX_INDEX 64u

/* A head field as the fast path found it. */
typedef struct fval {
    int present;
    int lit;
    uint8_t type;
    const uint8_t *p;
    size_t n;
} fval;

/* 1: *h is read from the compiled map; 0: the record needs the tree. Reads
 * each field as the tree would: a Null optional substitution drops its
 * element or attribute, a Null plain one leaves it empty. */
static int fast_head(sift_binxml *bx, uint32_t off, uint32_t len, sift_binxml_head *h)
{
    const uint8_t *ch = bx->chunk;
    const uint32_t end = off + len;
    uint32_t p = off;
    while (fits(p, end, 4) && ch[p] == TOK_FRAGMENT)
        p += 4;
    if (!fits(p, end, 1) || ch[p] != TOK_TEMPLATE)
        return 0;
    inst in;
    sift_error e;
    if (inst_read(bx, p, end, &in, &e) != SIFT_OK)
        return 0;
    const op *ops;
    uint32_t nops;
    const tpl *t = NULL;
    if (get_template(bx, in.def, in.at, &ops, &nops, &t, &e) != SIFT_OK || t == NULL || !t->fast)
        return 0;

    uint32_t want = 0;
    for (int f = 0; f < HF_COUNT; f++) {
        const head_src *s = &t->head[f];
        uint16_t need[2] = { s->kind == SRC_SUB ? s->index : (uint16_t)0xffff, s->guard };
        for (int i = 0; i < 2; i++) {
            if (need[i] == 0xffff || need[i] >= in.n)
                continue;
            if (need[i] >= FAST_MAX_INDEX)
                return 0;
            if (need[i] + 1u > want)
                want = need[i] + 1u;
        }
    }
    uint32_t offs[FAST_MAX_INDEX];
    uint32_t o = in.vals;
    for (uint32_t i = 0; i < want; i++) {
        offs[i] = o;
        o += sift_le16(ch + in.desc + 4 * i);
    }

    fval fv[HF_COUNT];
    for (int f = 0; f < HF_COUNT; f++) {
        const head_src *s = &t->head[f];
        fv[f] = (fval){ 0, 0, V_NULL, NULL, 0 };
        if (s->kind == SRC_NONE)
            continue;
        if (s->guard != 0xffff && (s->guard >= in.n || ch[in.desc + 4 * s->guard + 2] == V_NULL))
            continue; /* the owning element is dropped */
        if (s->kind == SRC_LIT) {
            fv[f] = (fval){ 1, 1, V_STRING, s->text, s->len };
            continue;
        }
        if (s->index >= in.n || ch[in.desc + 4 * s->index + 2] == V_NULL) {
            fv[f].present = !s->optional;
            continue;
        }
        const uint8_t *d = ch + in.desc + 4 * s->index;
        if ((d[2] & V_ARRAY) || d[2] == V_BINXML)
            return 0;
        fv[f] = (fval){ 1, 0, d[2], ch + offs[s->index], sift_le16(d) };
    }

    *h = (sift_binxml_head){ 0 };
    uint64_t v;
    const fval *id = &fv[HF_ID], *q = &fv[HF_QUAL];
    if (id->present && (id->lit ? lit_u64(id->p, id->n, &v) : val_u64(bx, id->type, id->p, id->n, &v))) {
        h->id = (uint16_t)v;
        h->have |= SIFT_EV_ID;
    }
    if (q->present && (q->lit ? lit_u64(q->p, q->n, &v) : val_u64(bx, q->type, q->p, q->n, &v))) {
        h->qualifiers = (uint16_t)v;
        h->have |= SIFT_EV_QUALIFIERS;
    }
    const int fields[2] = { fv[HF_PROV].present ? HF_PROV : HF_ESN, HF_CHAN };
    for (int i = 0; i < 2; i++) {
        const fval *x = &fv[fields[i]];
        sift_slice *dst = i == 0 ? &h->provider : &h->channel;
        if (!x->present)
            continue;
        if (x->lit) {
            *dst = sift_slice_make(x->p, x->n);
            continue;
        }
        wr w = { bx->vtext + bx->nvtext, VTEXT - bx->nvtext, 0, 0 };
        wr_value(&w, x->type, x->p, x->n);
        if (w.n > w.cap)
            return 0;
        *dst = sift_slice_make(w.p, w.n);
        bx->nvtext += (uint32_t)w.n;
    }
    return 1;
}

sift_status sift_binxml_head_read(sift_binxml *bx, uint32_t off, uint32_t len, sift_binxml_head *h, sift_error *err)
{
    call_begin(bx);
    sift_status st = check_range(bx, off, len, err);
    if (st != SIFT_OK)
        return st;
    if (fast_head(bx, off, len, h))
        return SIFT_OK;
    if ((st = build_record(bx, off, len, err)) != SIFT_OK)
        return st;
    return tree_head(bx, h, err);
}

/* ---- the event ---------------------------------------------------------------------- */

static int add_item(sift_binxml *bx, sift_event *ev, sift_slice name, uint32_t holder)
{
    if (ev->n_data >= SIFT_EVENT_MAX_DATA) {
        ev->data_dropped++;
        return 1;
    }
    sift_data *d = &bx->data[ev->n_data];
    d->name = name;
    if (!holder_text(bx, holder, &d->value))
        return 0;
    ev->n_data++;
    return 1;
}

/* Leaf elements under e, depth first, as named items. */
static int add_leaves(sift_binxml *bx, sift_event *ev, uint32_t e, unsigned depth)
{
    if (depth > SIFT_BINXML_MAX_ELEMENTS)
        return 1;
    int leaf = 1;
    for (uint32_t k = bx->nodes[e].kids; k; k = bx->nodes[k].next) {
        if (bx->nodes[k].kind != N_ELEM)
            continue;
        leaf = 0;
        if (!add_leaves(bx, ev, k, depth + 1))
            return 0;
    }
    if (leaf && depth > 0)
        return add_item(bx, ev, sift_slice_make(bx->nodes[e].p, bx->nodes[e].n), e);
    return 1;
}

static int event_data(sift_binxml *bx, sift_event *ev, uint32_t ed)
{
    for (uint32_t k = bx->nodes[ed].kids; k; k = bx->nodes[k].next) {
        const node *n = &bx->nodes[k];
        if (n->kind != N_ELEM)
            continue;
        if (name_is(n, "Data")) {
            sift_slice name = { NULL, 0 };
            uint32_t a = attr_of(bx, k, "Name");
            if (a && !holder_text(bx, a, &name))
                return 0;
            if (!add_item(bx, ev, name, k))
                return 0;
        } else if (name_is(n, "Binary")) {
            uint32_t only = 0;
            if (count_parts(bx, k, &only) == 1 && bx->nodes[only].kind == N_VAL &&
                bx->nodes[only].type == V_BINARY)
                ev->binary = sift_slice_make(bx->nodes[only].p, bx->nodes[only].n);
        }
    }
    return 1;
}

static sift_status fill_event(sift_binxml *bx, sift_event *ev, sift_error *err)
{
    sift_binxml_head h;
    sift_status st = tree_head(bx, &h, err);
    if (st != SIFT_OK)
        return st;
    ev->have = h.have;
    ev->id = h.id;
    ev->qualifiers = h.qualifiers;
    ev->provider = h.provider;
    ev->channel = h.channel;
    ev->data = bx->data;
    uint32_t e = event_elem(bx);
    if (!e)
        return SIFT_OK;
    uint32_t sys = child_elem(bx, e, "System");
    uint64_t v;
    if (sys) {
        uint32_t k;
        if ((k = child_elem(bx, sys, "Level")) && holder_u64(bx, k, &v))
            ev->level = (uint8_t)v;
        if ((k = child_elem(bx, sys, "EventRecordID")) && holder_u64(bx, k, &v)) {
            ev->record_id = v;
            ev->have |= SIFT_EV_RECORD_ID;
        }
        if ((k = child_elem(bx, sys, "Computer")) && !holder_text(bx, k, &ev->computer))
            goto full;
        if ((k = child_elem(bx, sys, "Provider")) && (k = attr_of(bx, k, "Guid")) &&
            !holder_text(bx, k, &ev->provider_guid))
            goto full;
        if ((k = child_elem(bx, sys, "TimeCreated")) && (k = attr_of(bx, k, "SystemTime"))) {
            uint32_t only = 0;
            if (!holder_text(bx, k, &ev->time_text))
                goto full;
            if (count_parts(bx, k, &only) == 1 && bx->nodes[only].kind == N_VAL) {
                const node *n = &bx->nodes[only];
                if (n->type == V_FILETIME && n->n >= 8)
                    ev->time = filetime_when(sift_le64(n->p));
                else if (n->type == V_SYSTEMTIME && n->n >= 16)
                    ev->time = systemtime_when(n->p);
                else
                    sift_time_parse(ev->time_text, &ev->time);
            } else {
                sift_time_parse(ev->time_text, &ev->time);
            }
        }
    }
    for (uint32_t k = bx->nodes[e].kids; k; k = bx->nodes[k].next) {
        const node *n = &bx->nodes[k];
        if (n->kind != N_ELEM)
            continue;
        if (name_is(n, "EventData")) {
            if (!event_data(bx, ev, k))
                goto full;
        } else if (name_is(n, "UserData") || name_is(n, "ProcessingErrorData")) {
            if (!add_leaves(bx, ev, k, 0))
                goto full;
        }
    }
    return SIFT_OK;
full:
    return sift_fail(err, SIFT_ERR_TOO_LONG, 0, "values exceed the decoder's text arena");
}

sift_status sift_binxml_event(sift_binxml *bx, uint32_t off, uint32_t len, sift_event *ev, sift_error *err)
{
    *ev = (sift_event){ 0 };
    sift_status st = build_record(bx, off, len, err);
    if (st != SIFT_OK)
        return st;
    st = fill_event(bx, ev, err);
    if (st != SIFT_OK) {
        const sift_evidence where = ev->where;
        *ev = (sift_event){ 0 };
        ev->where = where;
    }
    return st;
}

/* ---- JSON ------------------------------------------------------------------------------ */

/* Recording a plan: the writer's bytes are the plan's static text, and each
 * value the tree would render becomes a fill op. */
typedef struct rec {
    pop *ops;
    uint32_t nops, cap;
    uint32_t text0; /* where the writer's bytes start in plan_text */
    size_t mark;    /* writer bytes before the current static run */
    int ok;         /* 0: the record's JSON depends on a value other than by a fill */
    uint32_t refs[PLAN_INST * PLAN_SUBS];
} rec;

typedef struct jctx {
    sift_binxml *bx;
    wr w;
    rec *r; /* NULL: render, else record */
} jctx;

/* End the static run with a fill of the value a node's slot names (its
 * pop slot + 1), or end the plan (F_END). */
static void rec_fill(jctx *j, uint8_t fill, uint16_t slot)
{
    rec *r = j->r;
    if (fill != F_END && (slot == 0 || slot > PLAN_INST * PLAN_SUBS)) {
        r->ok = 0; /* not a value a plan can name */
        return;
    }
    if (r->nops >= r->cap || j->w.n > j->w.cap) {
        r->ok = 0;
        return;
    }
    const uint16_t at = fill == F_END ? 0 : (uint16_t)(slot - 1);
    r->ops[r->nops++] = (pop){ r->text0 + (uint32_t)r->mark, (uint32_t)(j->w.n - r->mark), at, fill, 0 };
    r->mark = j->w.n;
    if (fill != F_END)
        r->refs[at]++;
}

/* The parts of holder as the inside of a JSON string. */
static void j_parts(jctx *j, uint32_t holder)
{
    const sift_binxml *bx = j->bx;
    for (uint32_t k = bx->nodes[holder].kids; k; k = bx->nodes[k].next) {
        const node *n = &bx->nodes[k];
        if (!is_part(n))
            continue;
        if (j->r && n->kind == N_VAL)
            rec_fill(j, F_TEXT, n->slot);
        else
            wr_part(&j->w, n);
    }
}

/* The parts of holder as one JSON scalar: null when none, a number or bool
 * when the only part is one, a string otherwise. */
static void j_scalar(jctx *j, uint32_t holder)
{
    const sift_binxml *bx = j->bx;
    uint32_t only = 0;
    uint32_t parts = count_parts(bx, holder, &only);
    if (parts == 0) {
        wr_cstr(&j->w, "null");
        return;
    }
    if (parts == 1) {
        const node *n = &bx->nodes[only];
        if (n->kind == N_VAL && j->r) {
            rec_fill(j, F_SCALAR, n->slot); /* bare or quoted: plan_run decides */
            return;
        }
        if (n->kind == N_VAL && json_bare(n->type, n->p, n->n)) {
            wr_value(&j->w, n->type, n->p, n->n);
            return;
        }
    }
    wr_byte(&j->w, '"');
    j->w.esc = 1;
    j_parts(j, holder);
    j->w.esc = 0;
    wr_byte(&j->w, '"');
}

/* Member names an object remembers for making later ones unique, and the
 * suffixes tried: past these, hostile records with thousands of equal names
 * would cost quadratic time per name. Real objects (EventData) have tens. */
#define KEYS_PER_OBJECT 256u
#define SUFFIX_TRIES 16u

static int key_clash(const sift_binxml *bx, uint32_t base, const uint8_t *p, size_t n, const char *sfx, size_t sl)
{
    for (uint32_t i = base; i < bx->nkeys; i++) {
        const key *k = &bx->keys[i];
        if (k->n == n + sl && (n == 0 || memcmp(k->p, p, n) == 0) && (sl == 0 || memcmp(k->p + n, sfx, sl) == 0))
            return 1;
    }
    return 0;
}

/* A member name, made unique among those of the open object (base: its
 * first in bx->keys) by _1, _2, ..., as evtx_dump does. */
static void j_key(jctx *j, uint32_t base, const uint8_t *p, size_t n)
{
    sift_binxml *bx = j->bx;
    char sfx[16];
    size_t sl = 0;
    for (unsigned suffix = 1; key_clash(bx, base, p, n, sfx, sl) && suffix <= SUFFIX_TRIES; suffix++)
        sl = (size_t)snprintf(sfx, sizeof sfx, "_%u", suffix);
    if (bx->nkeys < MAX_KEYS && bx->nkeys - base < KEYS_PER_OBJECT && n + sl <= VTEXT - bx->nvtext) {
        uint8_t *dst = bx->vtext + bx->nvtext;
        if (n)
            memcpy(dst, p, n);
        if (sl)
            memcpy(dst + n, sfx, sl);
        bx->keys[bx->nkeys++] = (key){ dst, (uint32_t)(n + sl) };
        bx->nvtext += (uint32_t)(n + sl);
    }
    wr_byte(&j->w, '"');
    j->w.esc = 1;
    wr_text(&j->w, p, n);
    j->w.esc = 0;
    wr_raw(&j->w, sfx, sl);
    wr_raw(&j->w, "\":", 2);
}

static void j_value(jctx *j, uint32_t e, uint32_t skip_attr);

/* <Data Name="X">: a member named X. */
static uint32_t data_name(const sift_binxml *bx, uint32_t k)
{
    const node *n = &bx->nodes[k];
    return name_is(n, "Data") ? attr_of(bx, k, "Name") : 0;
}

static int has_val(const sift_binxml *bx, uint32_t holder)
{
    for (uint32_t k = bx->nodes[holder].kids; k; k = bx->nodes[k].next)
        if (bx->nodes[k].kind == N_VAL)
            return 1;
    return 0;
}

static int same_name(const node *a, const node *b)
{
    return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
}

/* Members of an object for element e's attributes and child elements;
 * *first tracks the comma. */
static void j_members(jctx *j, uint32_t e, uint32_t skip_attr, int *first)
{
    sift_binxml *bx = j->bx;
    const uint32_t base = bx->nkeys;
    int has_attrs = 0;
    for (uint32_t a = bx->nodes[e].attrs; a; a = bx->nodes[a].next)
        has_attrs |= a != skip_attr;
    if (has_attrs) {
        wr_cstr(&j->w, "\"#attributes\":{");
        const uint32_t abase = bx->nkeys;
        int afirst = 1;
        for (uint32_t a = bx->nodes[e].attrs; a; a = bx->nodes[a].next) {
            if (a == skip_attr)
                continue;
            if (!afirst)
                wr_byte(&j->w, ',');
            afirst = 0;
            j_key(j, abase, bx->nodes[a].p, bx->nodes[a].n);
            j_scalar(j, a);
        }
        bx->nkeys = abase;
        wr_byte(&j->w, '}');
        *first = 0;
    }
    for (uint32_t k = bx->nodes[e].kids; k; k = bx->nodes[k].next)
        bx->nodes[k].done = 0;
    for (uint32_t k = bx->nodes[e].kids; k; k = bx->nodes[k].next) {
        node *n = &bx->nodes[k];
        if (n->kind != N_ELEM || n->done)
            continue;
        if (j->w.n > SIFT_BINXML_MAX_JSON)
            return; /* the caller reports it; stop the work */
        if (!*first)
            wr_byte(&j->w, ',');
        *first = 0;
        uint32_t dn = data_name(bx, k);
        if (dn) {
            if (j->r && has_val(bx, dn))
                j->r->ok = 0; /* a plan's keys are static: a name from a value is not */
            sift_slice name = { NULL, 0 };
            if (!holder_text(bx, dn, &name))
                j->w.n = SIZE_MAX / 2; /* out of text arena: too long */
            j_key(j, base, name.ptr, name.len);
            j_value(j, k, dn);
            n->done = 1;
            continue;
        }
        /* Siblings of one name (not named Data) form an array. */
        uint32_t same = 0;
        for (uint32_t s = n->next; s; s = bx->nodes[s].next) {
            const node *m = &bx->nodes[s];
            if (m->kind == N_ELEM && same_name(m, n) && !data_name(bx, s))
                same++;
        }
        j_key(j, base, n->p, n->n);
        if (same == 0) {
            j_value(j, k, 0);
            n->done = 1;
            continue;
        }
        wr_byte(&j->w, '[');
        int ifirst = 1;
        for (uint32_t s = k; s; s = bx->nodes[s].next) {
            node *m = &bx->nodes[s];
            if (m->kind == N_ELEM && same_name(m, n) && !data_name(bx, s)) {
                if (!ifirst)
                    wr_byte(&j->w, ',');
                ifirst = 0;
                j_value(j, s, 0);
                m->done = 1;
            }
        }
        wr_byte(&j->w, ']');
    }
    bx->nkeys = base;
}

/* The value of element e: a scalar when it has neither attributes (other
 * than skip_attr) nor child elements, else an object with #attributes,
 * children and #text. */
static void j_value(jctx *j, uint32_t e, uint32_t skip_attr)
{
    const sift_binxml *bx = j->bx;
    int complex = 0;
    for (uint32_t a = bx->nodes[e].attrs; a; a = bx->nodes[a].next)
        complex |= a != skip_attr;
    for (uint32_t k = bx->nodes[e].kids; k && !complex; k = bx->nodes[k].next)
        complex |= bx->nodes[k].kind == N_ELEM;
    if (!complex) {
        j_scalar(j, e);
        return;
    }
    wr_byte(&j->w, '{');
    int first = 1;
    j_members(j, e, skip_attr, &first);
    uint32_t only = 0;
    if (count_parts(bx, e, &only)) {
        if (!first)
            wr_byte(&j->w, ',');
        wr_cstr(&j->w, "\"#text\":");
        j_scalar(j, e);
    }
    wr_byte(&j->w, '}');
}

/* The whole tree as the record's JSON object. */
static void j_record(jctx *j)
{
    wr_byte(&j->w, '{');
    int first = 1;
    j_members(j, 0, 0, &first);
    wr_byte(&j->w, '}');
}

static sift_status tree_json(sift_binxml *bx, uint32_t off, uint32_t len, sift_out *out, sift_error *err)
{
    sift_status st = build_record(bx, off, len, err);
    if (st != SIFT_OK)
        return st;
    const size_t room = out->size - out->pos;
    jctx j = { bx, { out->buf + out->pos, room, 0, 0 }, NULL };
    j_record(&j);
    if (j.w.n > SIFT_BINXML_MAX_JSON)
        return sift_fail(err, SIFT_ERR_TOO_LONG, off, "record renders to more JSON than allowed");
    if (j.w.n > room)
        return SIFT_DST_FULL;
    out->pos += j.w.n;
    return SIFT_OK;
}

/* ---- JSON plans ----------------------------------------------------------------------
 * A record renders like every other record of its shape: the template
 * instances it expands (its own, and those its BinXml values hold, in the
 * order the tree expands them), and for each which used substitutions are
 * absent (Null, or past the instance's values) and which are BinXml. With
 * no array among them (an array repeats its element once per item), the
 * tree's shape, and so every key, bracket, comma, literal and grouping into
 * arrays or named Data, follows from the shape alone; only the values'
 * text differs. So the first record of each shape in a chunk is rendered
 * from its tree in recording mode (j->r): the bytes are kept as the plan's
 * static text, and where the tree would write a value the plan gets a fill
 * op naming it by instance and index. Later records of the shape are their
 * values written between copies of that text, with no tree. Whatever a plan
 * cannot express (a key from a value, arena or table full, indexes past
 * PLAN_SUBS, instances past PLAN_INST, a fragment that is not one template
 * instance) goes to the tree, which stays the reference: tests and the fuzz
 * target check that both give the same bytes. */

static int shape_equal(const shape *a, const shape *b)
{
    if (a->ninst != b->ninst)
        return 0;
    for (uint32_t k = 0; k < a->ninst; k++) {
        const inst_shape *x = &a->inst[k], *y = &b->inst[k];
        if (x->tpl != y->tpl)
            return 0;
        for (unsigned w = 0; w < PLAN_SUBS / 64; w++)
            if (x->absent[w] != y->absent[w] || x->binxml[w] != y->binxml[w])
                return 0;
    }
    return 1;
}

/* Which substitution indexes t's ops use, and the list of those in element
 * content (where a BinXml value expands; in an attribute it is dropped). */
static void plan_scan(sift_binxml *bx, tpl *t, const op *ops, uint32_t nops)
{
    for (unsigned w = 0; w < PLAN_SUBS / 64; w++)
        t->used[w] = 0;
    t->nused = 0;
    t->plans = PLAN_NO;
    t->csub0 = bx->ncsubs;
    t->ncsub = 0;
    int in_attr = 0;
    for (uint32_t k = 0; k < nops; k++) {
        const op *o = &ops[k];
        if (o->kind == OP_ATTR) {
            in_attr = 1;
            continue;
        }
        if (o->kind == OP_OPEN || o->kind == OP_SHUT || o->kind == OP_END) {
            in_attr = 0;
            continue;
        }
        if (o->kind != OP_SUB && o->kind != OP_OSUB)
            continue;
        const uint32_t i = o->index;
        if (i >= PLAN_SUBS || (!in_attr && bx->ncsubs >= PLAN_CSUBS)) {
            bx->ncsubs = t->csub0;
            return;
        }
        t->used[i / 64] |= (uint64_t)1 << (i % 64);
        if (i + 1 > t->nused)
            t->nused = (uint16_t)(i + 1);
        if (!in_attr)
            bx->csubs[bx->ncsubs++] = (uint16_t)i;
    }
    t->ncsub = bx->ncsubs - t->csub0;
    t->plans = PLAN_YES;
}

/* The fragment [p, end) as the next instance of sh, followed by those of
 * its BinXml values, as the tree would expand them: fragment headers, one
 * template instance, then the end of the bytes or an end token. Notes each
 * instance's descriptors and value offsets for plan_run, and adds its
 * values' bytes to *vbytes. 0: a shape no plan serves. */
static int shape_read(sift_binxml *bx, shape *sh, uint64_t *vbytes, uint32_t p, uint32_t end)
{
    const uint8_t *ch = bx->chunk;
    while (fits(p, end, 4) && ch[p] == TOK_FRAGMENT)
        p += 4;
    if (!fits(p, end, 1) || ch[p] != TOK_TEMPLATE || sh->ninst >= PLAN_INST)
        return 0;
    inst in;
    sift_error e;
    if (inst_read(bx, p, end, &in, &e) != SIFT_OK)
        return 0;
    if (in.end < end && (ch[in.end] & (uint8_t)~TOK_MORE) != TOK_EOF)
        return 0;
    const op *ops;
    uint32_t nops;
    const tpl *tc = NULL;
    if (get_template(bx, in.def, in.at, &ops, &nops, &tc, &e) != SIFT_OK || tc == NULL)
        return 0;
    const uint32_t ti = (uint32_t)(tc - bx->tpls);
    tpl *t = &bx->tpls[ti];
    if (t->plans == PLAN_UNSEEN)
        plan_scan(bx, t, ops, nops);
    if (t->plans != PLAN_YES)
        return 0;

    const uint32_t k = sh->ninst++;
    inst_shape *is = &sh->inst[k];
    *is = (inst_shape){ ti, { 0 }, { 0 } };
    bx->inst_desc[k] = in.desc;
    *vbytes += in.end - in.vals;
    uint32_t at = in.vals;
    int nested = 0;
    for (uint32_t i = 0; i < t->nused; i++) {
        const uint64_t bit = (uint64_t)1 << (i % 64), used = t->used[i / 64] & bit;
        if (i >= in.n) {
            is->absent[i / 64] |= used;
            continue;
        }
        const uint8_t *desc = ch + in.desc + 4 * i;
        bx->val_off[k][i] = at;
        at += sift_le16(desc);
        if (!used)
            continue;
        if (desc[2] == V_NULL) {
            is->absent[i / 64] |= bit;
        } else if (desc[2] == V_BINXML) {
            is->binxml[i / 64] |= bit;
            nested = 1;
        } else if (desc[2] & V_ARRAY) {
            return 0;
        }
    }
    for (uint32_t c = 0; nested && c < t->ncsub; c++) {
        const uint32_t i = bx->csubs[t->csub0 + c];
        if (!(is->binxml[i / 64] >> (i % 64) & 1))
            continue;
        const uint32_t v = bx->val_off[k][i];
        if (!shape_read(bx, sh, vbytes, v, v + sift_le16(ch + in.desc + 4 * i)))
            return 0;
    }
    return 1;
}

/* A plan for records of shape sh, recorded from this record's tree; NULL
 * when the table is full (the tree renders). A record whose tree does not
 * build stores a plan that is not ok: building fails the same way for its
 * whole shape, and the tree reports why. */
static const plan *plan_record(sift_binxml *bx, const shape *sh, uint32_t off, uint32_t len)
{
    if (bx->nplans >= PLANS)
        return NULL;
    plan *pl = &bx->plans[bx->nplans];
    pl->key = *sh;
    pl->op0 = pl->nops = pl->fixed = pl->maxref = 0;
    pl->ok = 0;
    bx->tpls[sh->inst[0].tpl].last_plan = ++bx->nplans;
    sift_error e = { SIFT_OK, 0, NULL };
    if (build_record(bx, off, len, &e) != SIFT_OK)
        return pl;
    rec r = { bx->plan_ops + bx->nplan_ops, 0, PLAN_OPS - bx->nplan_ops, bx->nplan_text, 0, 1, { 0 } };
    jctx j = { bx, { bx->plan_text + bx->nplan_text, PLAN_TEXT - bx->nplan_text, 0, 0 }, &r };
    j_record(&j);
    rec_fill(&j, F_END, 0);
    if (!r.ok || j.w.n > j.w.cap || j.w.n > SIFT_BINXML_MAX_JSON)
        return pl;
    pl->op0 = bx->nplan_ops;
    pl->nops = r.nops;
    pl->fixed = (uint32_t)j.w.n;
    for (unsigned i = 0; i < PLAN_INST * PLAN_SUBS; i++)
        if (r.refs[i] > pl->maxref)
            pl->maxref = r.refs[i];
    pl->ok = 1;
    bx->nplan_ops += r.nops;
    bx->nplan_text += (uint32_t)j.w.n;
    return pl;
}

/* The record through its plan: copies of static text and values between
 * them. The caller made room for the most the values could render to. */
static sift_status plan_run(const sift_binxml *bx, const plan *pl, uint32_t off, sift_out *out, sift_error *err)
{
    const uint8_t *ch = bx->chunk;
    uint8_t *const d0 = out->buf + out->pos;
    uint8_t *d = d0;
    const pop *o = bx->plan_ops + pl->op0;
    for (const pop *const oend = o + pl->nops; o < oend; o++) {
        memcpy(d, bx->plan_text + o->text, o->len);
        d += o->len;
        if (o->fill == F_END)
            continue;
        const uint32_t k = o->slot / PLAN_SUBS, i = o->slot % PLAN_SUBS;
        const uint8_t *desc = ch + bx->inst_desc[k] + 4 * i;
        const uint8_t t = desc[2];
        const size_t n = sift_le16(desc);
        const uint8_t *p = ch + bx->val_off[k][i];
        if (o->fill == F_SCALAR && json_bare(t, p, n)) {
            d = put_value(d, t, p, n, 0);
            continue;
        }
        if (o->fill == F_SCALAR)
            *d++ = '"';
        d = put_value(d, t, p, n, 1);
        if (o->fill == F_SCALAR)
            *d++ = '"';
    }
    const size_t k = (size_t)(d - d0);
    if (k > SIFT_BINXML_MAX_JSON)
        return sift_fail(err, SIFT_ERR_TOO_LONG, off, "record renders to more JSON than allowed");
    out->pos += k;
    return SIFT_OK;
}

/* 1 and *st: the record went through a plan; 0: the tree must render it. */
static int plan_json(sift_binxml *bx, uint32_t off, uint32_t len, sift_out *out, sift_status *st, sift_error *err)
{
    if (!fits(off, bx->len, len))
        return 0;
    call_begin(bx);
    shape sh;
    sh.ninst = 0;
    uint64_t vbytes = 0;
    if (!shape_read(bx, &sh, &vbytes, off, off + len))
        return 0;
    tpl *t = &bx->tpls[sh.inst[0].tpl];
    const plan *pl = NULL;
    if (t->last_plan && shape_equal(&bx->plans[t->last_plan - 1].key, &sh)) {
        pl = &bx->plans[t->last_plan - 1];
    } else {
        for (uint32_t i = 0; i < bx->nplans; i++)
            if (shape_equal(&bx->plans[i].key, &sh)) {
                pl = &bx->plans[i];
                t->last_plan = i + 1;
                break;
            }
    }
    if (pl == NULL && (pl = plan_record(bx, &sh, off, len)) == NULL)
        return 0;
    if (!pl->ok)
        return 0;
    const uint64_t most = pl->fixed + (uint64_t)pl->nops * VALUE_SLACK + 6u * vbytes * pl->maxref;
    if (most > out->size - out->pos)
        return 0; /* the tree knows whether it fits */
    *st = plan_run(bx, pl, off, out, err);
    bx->planned++;
    return 1;
}

void sift_binxml_use_plans(sift_binxml *bx, int on)
{
    bx->use_plans = on != 0;
}

size_t sift_binxml_planned(const sift_binxml *bx)
{
    return bx->planned;
}

sift_status sift_binxml_json(sift_binxml *bx, uint32_t off, uint32_t len, sift_out *out, sift_error *err)
{
    sift_status st;
    if (bx->use_plans && plan_json(bx, off, len, out, &st, err))
        return st;
    return tree_json(bx, off, len, out, err);
}
