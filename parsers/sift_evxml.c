/* sift_evxml.c - Event XML: a bounded tokenizer that never expands an
 * entity, Event framing that reads the System block's id and provider on
 * the way, and decoding into the event model. */
#include "sift_evxml.h"

#include "sift_message.h"
#include "sift_num.h"
#include "sift_text.h"

/* Fuzzing builds shrink the record and attribute limits so that inputs of a
 * few KiB reach the over-long paths and the resynchronisation after them;
 * every property the fuzz target checks holds for any limit. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define MAX_RECORD 2048u
#define MAX_ATTR 256u
#else
#define MAX_RECORD SIFT_STREAM_MAX_RECORD
#define MAX_ATTR SIFT_EVXML_MAX_ATTR
#endif
#define MAX_DEPTH SIFT_EVXML_MAX_DEPTH
#define MAX_NAME SIFT_EVXML_MAX_NAME
#define MAX_ATTRS SIFT_EVXML_MAX_ATTRS
/* The longest reference that names a character: &#x0010FFFF; or
 * &#1114111; with leading zeros cut at this length. */
#define MAX_REF 12u

/* ---- tokens ---------------------------------------------------------------- */

typedef enum tkind {
    T_TEXT,    /* character data up to the next '<' (or the window's end) */
    T_START,   /* <name attrs> */
    T_EMPTY,   /* <name attrs/> */
    T_END,     /* </name> */
    T_COMMENT, /* <!-- --> */
    T_CDATA,   /* <![CDATA[ ]]> */
    T_PI,      /* <? ?>, the XML declaration included */
} tkind;

typedef struct tok {
    tkind kind;
    size_t at, end;          /* the token is p[at, end) */
    size_t name, name_len;   /* tags: the qualified name */
    size_t attrs, attrs_end; /* start tags: what lies between name and '>' */
} tok;

typedef enum tres { R_OK, R_MORE, R_ERR } tres;

/* Where and why a token is malformed; at is an index of the bytes scanned. */
typedef struct fault {
    size_t at;
    sift_status code;
    const char *why;
} fault;

/* A span of the stream known to hold no terminator of a kind of token
 * (comment, CDATA, PI): after damage, framing resumes at every <Event, and
 * an unclosed comment holds many; without this, each would search the same
 * 256 KiB again for its "-->". Only where the search starts depends on it,
 * never what it finds. */
typedef struct unclosed_span {
    uint64_t from, to; /* stream offsets: [from, to) holds no terminator */
} unclosed_span;

/* One span per kind, so that comments and PIs taking turns keep both. */
#define N_SPANS (T_PI - T_COMMENT + 1)
_Static_assert(T_CDATA > T_COMMENT && T_PI > T_CDATA, "the kinds with a terminator are contiguous");

/* Where tokens are searched: the stream offset of the window's first byte,
 * and the spans remembered for the stream (NULL: nothing remembered). */
typedef struct tok_ctx {
    uint64_t off;
    unclosed_span *spans;
} tok_ctx;

static tres fail_at(fault *f, size_t at, sift_status code, const char *why)
{
    f->at = at;
    f->code = code;
    f->why = why;
    return R_ERR;
}

static int is_blank(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Lenient on purpose (any UTF-8 is allowed), but control bytes and the
 * bytes that delimit markup never belong to a name. */
static int is_name_byte(uint8_t c)
{
    return c > 0x20 && c != 0x7f && c != '/' && c != '>' && c != '=' && c != '<' && c != '"' && c != '\'' &&
           c != '?' && c != '!' && c != '&';
}

/* Index of lit in p[from, n), or n. */
static size_t find_lit(const uint8_t *p, size_t n, size_t from, sift_slice lit)
{
    if (from >= n)
        return n;
    return from + sift_slice_find(sift_slice_make(p + from, n - from), lit);
}

/* Whether p[i, n) starts with lit: 1 yes, 0 no, -1 the window ends first. */
static int starts(const uint8_t *p, size_t n, size_t i, sift_slice lit)
{
    const size_t m = n - i < lit.len ? n - i : lit.len;
    if (m && memcmp(p + i, lit.ptr, m) != 0)
        return 0;
    return m == lit.len ? 1 : -1;
}

/* A name at p[i]: *end past it. */
static tres scan_name(const uint8_t *p, size_t n, size_t i, size_t *end, fault *f)
{
    const size_t lim = n - i > MAX_NAME ? i + MAX_NAME + 1 : n;
    size_t k = i;
    while (k < lim && is_name_byte(p[k]))
        k++;
    if (k - i > MAX_NAME)
        return fail_at(f, i, SIFT_ERR_TOO_LONG, "name longer than 256 bytes");
    if (k == n)
        return R_MORE;
    if (k == i)
        return fail_at(f, i, SIFT_ERR_SYNTAX, "name expected");
    *end = k;
    return R_OK;
}

static size_t skip_blanks(const uint8_t *p, size_t n, size_t k)
{
    while (k < n && is_blank(p[k]))
        k++;
    return k;
}

/* A quoted attribute value whose quote is at p[k]: *end past the closing
 * quote. '<' may not occur in one (XML 1.0, AttValue), which also keeps a
 * lost quote from swallowing the markup after it. */
static tres scan_value(const uint8_t *p, size_t n, size_t k, size_t *end, fault *f)
{
    const uint8_t q = p[k];
    if (q != '"' && q != '\'')
        return fail_at(f, k, SIFT_ERR_SYNTAX, "quote expected before an attribute value");
    const size_t v = k + 1, lim = n - v > MAX_ATTR ? v + MAX_ATTR + 1 : n;
    for (size_t i = v; i < lim; i++) {
        if (p[i] == q) {
            *end = i + 1;
            return R_OK;
        }
        if (p[i] == '<')
            return fail_at(f, i, SIFT_ERR_SYNTAX, "'<' in an attribute value");
    }
    if (lim - v > MAX_ATTR)
        return fail_at(f, k, SIFT_ERR_TOO_LONG, "attribute value longer than 16 KiB");
    return R_MORE;
}

/* A tag's name at p[at]: into t, *end past it. */
static tres tag_name_at(const uint8_t *p, size_t n, size_t at, tok *t, size_t *end, fault *f)
{
    const tres r = scan_name(p, n, at, end, f);
    if (r == R_OK) {
        t->name = at;
        t->name_len = *end - at;
    }
    return r;
}

static tres start_tag(const uint8_t *p, size_t n, size_t i, tok *t, fault *f)
{
    size_t k;
    tres r = tag_name_at(p, n, i + 1, t, &k, f);
    if (r != R_OK)
        return r;
    t->attrs = k;
    for (unsigned count = 0;;) {
        const size_t b = k;
        k = skip_blanks(p, n, k);
        if (k == n)
            return R_MORE;
        if (p[k] == '>' || p[k] == '/') {
            t->attrs_end = k;
            if (p[k] == '>') {
                t->end = k + 1;
                return R_OK;
            }
            if (k + 1 == n)
                return R_MORE;
            if (p[k + 1] != '>')
                return fail_at(f, k + 1, SIFT_ERR_SYNTAX, "'>' expected after '/' in a tag");
            t->kind = T_EMPTY;
            t->end = k + 2;
            return R_OK;
        }
        if (k == b)
            return fail_at(f, k, SIFT_ERR_SYNTAX, "blank expected before an attribute");
        if (++count > MAX_ATTRS)
            return fail_at(f, k, SIFT_ERR_TOO_LONG, "more than 32 attributes on one element");
        if ((r = scan_name(p, n, k, &k, f)) != R_OK)
            return r;
        k = skip_blanks(p, n, k);
        if (k == n)
            return R_MORE;
        if (p[k] != '=')
            return fail_at(f, k, SIFT_ERR_SYNTAX, "'=' expected after an attribute name");
        k = skip_blanks(p, n, k + 1);
        if (k == n)
            return R_MORE;
        if ((r = scan_value(p, n, k, &k, f)) != R_OK)
            return r;
    }
}

static tres end_tag(const uint8_t *p, size_t n, size_t i, tok *t, fault *f)
{
    size_t k;
    const tres r = tag_name_at(p, n, i + 2, t, &k, f);
    if (r != R_OK)
        return r;
    k = skip_blanks(p, n, k);
    if (k == n)
        return R_MORE;
    if (p[k] != '>')
        return fail_at(f, k, SIFT_ERR_SYNTAX, "'>' expected after an end tag's name");
    t->end = k + 1;
    return R_OK;
}

/* A construct from p[i] whose body starts skip bytes in and ends with term. */
static tres until(const uint8_t *p, size_t n, size_t i, size_t skip, sift_slice term, tok *t, const tok_ctx *cx)
{
    size_t from = i + skip;
    unclosed_span *sp = cx && cx->spans ? &cx->spans[t->kind - T_COMMENT] : NULL;
    const uint64_t at = cx ? cx->off + from : 0;
    /* A terminator may straddle the span's end: its first bytes are
     * searched again. */
    if (sp && at >= sp->from && at < sp->to && sp->to - sp->from >= term.len) {
        const uint64_t resume = sp->to - (term.len - 1);
        if (resume > at && resume - cx->off < n)
            from = (size_t)(resume - cx->off);
    }
    const size_t e = find_lit(p, n, from, term);
    if (e == n) {
        if (sp && !(at >= sp->from && at <= sp->to))
            *sp = (unclosed_span){ at, at };
        if (sp && cx->off + n > sp->to)
            sp->to = cx->off + n;
        return R_MORE;
    }
    t->end = e + term.len;
    return R_OK;
}

/* <!-- -->, <![CDATA[ ]]>, or a markup declaration, which is refused as
 * soon as it is recognised: a DOCTYPE's internal subset is where entity
 * bombs live, and nothing here reads one. */
static tres bang(const uint8_t *p, size_t n, size_t i, tok *t, fault *f, const tok_ctx *cx)
{
    int m = starts(p, n, i, SIFT_LIT("<!--"));
    if (m) {
        t->kind = T_COMMENT;
        return m < 0 ? R_MORE : until(p, n, i, 4, SIFT_LIT("-->"), t, cx);
    }
    m = starts(p, n, i, SIFT_LIT("<![CDATA["));
    if (m) {
        t->kind = T_CDATA;
        return m < 0 ? R_MORE : until(p, n, i, 9, SIFT_LIT("]]>"), t, cx);
    }
    if (i + 2 == n)
        return R_MORE;
    const uint8_t c = p[i + 2];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
        return fail_at(f, i, SIFT_ERR_UNSUPPORTED,
                       "markup declaration (DOCTYPE, ENTITY) refused: entities are never expanded");
    return fail_at(f, i, SIFT_ERR_SYNTAX, "malformed '<!' markup");
}

static const char *unclosed(tkind k)
{
    switch (k) {
    case T_COMMENT:
        return "comment not closed at the end of the input";
    case T_CDATA:
        return "CDATA section not closed at the end of the input";
    case T_PI:
        return "processing instruction not closed at the end of the input";
    default:
        return "tag not closed at the end of the input";
    }
}

/* The token at p[i] (i < n) in the window p[0, n); at_end: nothing follows
 * the window. R_MORE when the window ends inside it (never for text, which
 * is given up to the window's end). Decides on the bytes it is shown only,
 * and shown more bytes decides the same: framing resumes at token
 * boundaries and must not depend on chunking. */
static tres tok_next(const uint8_t *p, size_t n, size_t i, int at_end, tok *t, fault *f, const tok_ctx *cx)
{
    *t = (tok){ .kind = T_TEXT, .at = i };
    if (p[i] != '<') {
        t->end = i + sift_slice_find_byte(sift_slice_make(p + i, n - i), '<');
        return R_OK;
    }
    tres r;
    if (n - i < 2) {
        t->kind = T_START;
        r = R_MORE;
    } else if (p[i + 1] == '/') {
        t->kind = T_END;
        r = end_tag(p, n, i, t, f);
    } else if (p[i + 1] == '?') {
        t->kind = T_PI;
        r = until(p, n, i, 2, SIFT_LIT("?>"), t, cx);
    } else if (p[i + 1] == '!') {
        t->kind = T_START;
        r = bang(p, n, i, t, f, cx);
    } else {
        t->kind = T_START;
        r = start_tag(p, n, i, t, f);
    }
    if (r == R_MORE && at_end)
        return fail_at(f, i, SIFT_ERR_SYNTAX, unclosed(t->kind));
    return r;
}

/* ---- names and attributes ------------------------------------------------------ */

/* The local part of a qualified name: what follows its prefix's colon. */
static sift_slice local_name(sift_slice q)
{
    const size_t c = sift_slice_find_byte(q, ':');
    return c + 1 < q.len ? sift_slice_sub(q, c + 1, q.len) : q;
}

static int is_named(const uint8_t *p, const tok *t, sift_slice local)
{
    return sift_slice_eq(local_name(sift_slice_make(p + t->name, t->name_len)), local);
}

/* The value of the attribute whose local name is local, in a start tag the
 * tokenizer accepted: *at and *len without the quotes. */
static int attr_of(const uint8_t *p, const tok *t, sift_slice local, size_t *at, size_t *len)
{
    size_t k = t->attrs;
    const size_t e = t->attrs_end;
    for (;;) {
        k = skip_blanks(p, e, k);
        const size_t ns = k;
        while (k < e && is_name_byte(p[k]))
            k++;
        const sift_slice name = sift_slice_make(p + ns, k - ns);
        k = skip_blanks(p, e, k);
        if (name.len == 0 || k >= e || p[k] != '=')
            return 0;
        k = skip_blanks(p, e, k + 1);
        if (k >= e)
            return 0;
        const uint8_t q = p[k];
        const size_t v = k + 1;
        k = v;
        while (k < e && p[k] != q)
            k++;
        if (k >= e)
            return 0;
        if (sift_slice_eq(local_name(name), local)) {
            *at = v;
            *len = k - v;
            return 1;
        }
        k++;
    }
}

/* ---- the System block's cheap fields ---------------------------------------------- */

/* What framing reads on the way, and decoding again the same way, so that
 * the id and provider a record is framed with are the ones it decodes to.
 * Offsets are relative to the record. */
typedef struct head {
    uint8_t sys;   /* 0: no System yet; 1: inside the first; 2: past it */
    uint8_t prov;  /* the first Provider of the first System is seen */
    uint8_t id;    /* 0: no EventID yet; 1: inside the first; 2: read */
    uint8_t id_bad; /* the first EventID holds markup, not just text */
    size_t id_at, id_len;
    size_t prov_at, prov_len; /* provider as written; len 0 when it needs decoding */
} head;

/* Attribute text that reads the same decoded: no reference, no blank that
 * normalization would turn into a space. */
static int plain_value(const uint8_t *p, size_t at, size_t len)
{
    for (size_t i = at; i < at + len; i++)
        if (p[i] == '&' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')
            return 0;
    return 1;
}

/* The provider attribute of a Provider element: Name, or EventSourceName
 * for classic sources that carry only that (as .evtx readers do). */
static int provider_attr(const uint8_t *p, const tok *t, size_t *at, size_t *len)
{
    return attr_of(p, t, SIFT_LIT("Name"), at, len) || attr_of(p, t, SIFT_LIT("EventSourceName"), at, len);
}

/* One token of a record; depth: elements open before it (1: inside Event). */
static void head_tok(head *h, const uint8_t *p, const tok *t, unsigned depth)
{
    const int opens = t->kind == T_START || t->kind == T_EMPTY;
    if (h->id == 1 && depth >= 3 && t->kind != T_TEXT) {
        if (t->kind == T_END && depth == 3) {
            h->id = 2;
            h->id_len = t->at - h->id_at;
        } else {
            h->id_bad = 1;
        }
        return;
    }
    if (opens && depth == 1 && h->sys == 0 && is_named(p, t, SIFT_LIT("System"))) {
        h->sys = t->kind == T_START ? 1 : 2;
        return;
    }
    if (h->sys == 1 && t->kind == T_END && depth == 2) {
        h->sys = 2;
        return;
    }
    if (h->sys != 1 || depth != 2 || !opens)
        return;
    if (!h->prov && is_named(p, t, SIFT_LIT("Provider"))) {
        h->prov = 1;
        size_t at, len;
        if (provider_attr(p, t, &at, &len) && plain_value(p, at, len)) {
            h->prov_at = at;
            h->prov_len = len;
        }
    } else if (!h->id && is_named(p, t, SIFT_LIT("EventID"))) {
        h->id = t->kind == T_START ? 1 : 2;
        h->id_at = t->end;
    }
}

/* The EventID's text as a number: the id is its low 16 bits. */
static int head_id(const head *h, const uint8_t *p, uint64_t *v)
{
    if (h->id_bad)
        return 0;
    const sift_slice s = sift_slice_trim(sift_slice_make(p + h->id_at, h->id_len));
    return sift_num_u64(s, v) == SIFT_OK && *v <= 0xffffffffu;
}

/* ---- stream state ----------------------------------------------------------------- */

/* An Event being framed: how far it is tokenized (always at a token
 * boundary, relative to its '<', which stays at in->buf[in->pos] until it
 * is taken), and the elements open there. */
typedef struct framing {
    size_t scan;
    unsigned depth;
    uint32_t name_at[MAX_DEPTH];
    uint16_t name_len[MAX_DEPTH];
    head h;
} framing;

typedef struct evxml {
    uint64_t line;    /* 1-based line of in->buf[in->pos] */
    uint8_t skipping; /* after damage: dropping bytes up to the next <Event */
    uint8_t in_rec;   /* an Event starts at in->buf[in->pos] */
    framing f;
    unclosed_span spans[N_SPANS];
    /* decode(): the items and the decoded text of the last record. Every
     * value is decoded from its own bytes of the record and never grows
     * (a reference is longer than its UTF-8, hex is twice its bytes), so a
     * record's values fit in as many bytes as the record has. */
    size_t used;
    sift_data data[SIFT_EVENT_MAX_DATA];
    uint8_t text[MAX_RECORD];
} evxml;

static void evxml_init(void *state)
{
    evxml *s = state;
    s->line = 1;
    s->skipping = 0;
    s->in_rec = 0;
    s->used = 0;
    memset(s->spans, 0, sizeof s->spans);
}

/* ---- framing ------------------------------------------------------------------------ */

/* Takes in->buf[in->pos, to), counting its lines. */
static void consume(evxml *s, sift_in *in, size_t to)
{
    size_t last;
    s->line += sift_newlines(in->buf + in->pos, to - in->pos, &last);
    in->pos = to;
}

/* Damage at in->buf[at]: report it, and look for the next <Event after it. */
static sift_status resync(evxml *s, sift_in *in, uint64_t base, size_t at, sift_status code, const char *why,
                          sift_error *err)
{
    consume(s, in, at + 1);
    s->skipping = 1;
    s->in_rec = 0;
    return sift_fail(err, code, base + at, why);
}

enum { NO = 0, YES = 1, MAYBE = -1 };

/* Whether p[i] = '<' opens an element whose local name is Event: YES, NO,
 * or MAYBE when the window ends in its name. */
static int event_start(const uint8_t *p, size_t n, size_t i)
{
    size_t k = i + 1;
    const size_t lim = n - k > MAX_NAME ? k + MAX_NAME + 1 : n;
    while (k < lim && is_name_byte(p[k]))
        k++;
    if (k == n)
        return MAYBE;
    if (k - (i + 1) > MAX_NAME || !(is_blank(p[k]) || p[k] == '>' || p[k] == '/'))
        return NO;
    return sift_slice_eq(local_name(sift_slice_make(p + i + 1, k - (i + 1))), SIFT_LIT("Event"));
}

/* A whole Event of len bytes at in->buf[in->pos]. */
static sift_status take_event(evxml *s, sift_in *in, uint64_t base, size_t len, sift_recs *out, sift_error *err)
{
    const size_t r0 = in->pos;
    const uint8_t *r = in->buf + r0;
    const head *h = &s->f.h;
    const uint64_t line = s->line;
    uint64_t v = 0;
    s->in_rec = 0;
    consume(s, in, r0 + len);
    if (h->id != 2)
        return sift_fail(err, SIFT_ERR_MISSING, base + r0, "Event without System/EventID");
    if (!head_id(h, r, &v))
        return sift_fail(err, SIFT_ERR_NUMBER, base + r0 + h->id_at, "EventID is not a number below 2^32");
    sift_rec *rec = &out->rec[out->n++];
    *rec = (sift_rec){ 0 };
    rec->bytes = sift_slice_make(r, len);
    rec->offset = base + r0;
    rec->line = line;
    rec->provider = sift_slice_make(r + h->prov_at, h->prov_len);
    rec->id = (uint16_t)v;
    rec->has_id = 1;
    return SIFT_OK;
}

/* Tokenizes the Event at in->buf[in->pos] on from where the last call
 * stopped. SIFT_NEED_MORE (bytes wanted), SIFT_OK (one record taken) or
 * an error. */
static sift_status frame_event(evxml *s, sift_in *in, uint64_t base, sift_recs *out, sift_error *err, int at_end)
{
    framing *f = &s->f;
    const size_t r0 = in->pos, avail = in->size - r0;
    const size_t lim = avail > MAX_RECORD ? MAX_RECORD : avail;
    const int end = at_end && avail <= MAX_RECORD;
    const uint8_t *r = in->buf + r0;
    for (;;) {
        tok t;
        fault ft;
        const tok_ctx cx = { base + r0, s->spans };
        tres res = f->scan < lim ? tok_next(r, lim, f->scan, end, &t, &ft, &cx) : R_MORE;
        if (res == R_MORE) {
            if (lim == MAX_RECORD)
                return resync(s, in, base, r0, SIFT_ERR_TOO_LONG, "Event longer than 256 KiB", err);
            if (end)
                return resync(s, in, base, r0, SIFT_ERR_SYNTAX, "Event not closed at the end of the input", err);
            return SIFT_NEED_MORE;
        }
        if (res == R_ERR)
            return resync(s, in, base, r0 + ft.at, ft.code, ft.why, err);
        head_tok(&f->h, r, &t, f->depth);
        f->scan = t.end;
        if (t.kind == T_START) {
            if (f->depth == MAX_DEPTH)
                return resync(s, in, base, r0 + t.at, SIFT_ERR_TOO_LONG, "elements nested deeper than 32", err);
            f->name_at[f->depth] = (uint32_t)t.name;
            f->name_len[f->depth] = (uint16_t)t.name_len;
            f->depth++;
        } else if (t.kind == T_END) {
            const unsigned d = f->depth - 1;
            if (f->depth == 0 || f->name_len[d] != t.name_len || memcmp(r + f->name_at[d], r + t.name, t.name_len))
                return resync(s, in, base, r0 + t.at, SIFT_ERR_SYNTAX, "end tag does not match its start tag", err);
            f->depth--;
        }
        if (f->depth == 0) {
            if (t.kind == T_END || t.kind == T_EMPTY)
                return take_event(s, in, base, t.end, out, err);
            /* Only the Event's own start tag opens a record. */
            return resync(s, in, base, r0 + t.at, SIFT_ERR_SYNTAX, "Event start tag expected", err);
        }
    }
}

/* What lies between Events. */
static sift_status frame_outside(evxml *s, sift_in *in, uint64_t base, sift_recs *out, sift_error *err, int at_end)
{
    const uint8_t *p = in->buf;
    const size_t n = in->size;
    for (;;) {
        consume(s, in, skip_blanks(p, n, in->pos));
        const size_t i = in->pos;
        if (i == n)
            return SIFT_NEED_MORE;
        if (p[i] == '<') {
            const int e = event_start(p, n, i);
            if (e == MAYBE && !at_end)
                return SIFT_NEED_MORE;
            if (e == YES) {
                if (out->n >= out->cap)
                    return SIFT_OK;
                s->in_rec = 1;
                s->f = (framing){ 0 };
                return SIFT_DONE;
            }
        }
        const size_t lim = n - i > MAX_RECORD ? i + MAX_RECORD : n;
        tok t;
        fault ft;
        const tok_ctx cx = { base, s->spans };
        const tres res = tok_next(p, lim, i, at_end && lim == n, &t, &ft, &cx);
        if (res == R_MORE) {
            if (lim - i == MAX_RECORD)
                return resync(s, in, base, i, SIFT_ERR_TOO_LONG, "markup longer than 256 KiB outside an Event", err);
            return SIFT_NEED_MORE;
        }
        if (res == R_ERR)
            return resync(s, in, base, ft.at, ft.code, ft.why, err);
        switch (t.kind) {
        case T_COMMENT:
        case T_PI:
            consume(s, in, t.end);
            continue;
        case T_START:
        case T_EMPTY:
        case T_END:
            if (is_named(p, &t, SIFT_LIT("Events"))) {
                consume(s, in, t.end);
                continue;
            }
            return resync(s, in, base, i, SIFT_ERR_SYNTAX, "element other than Event or Events outside an Event",
                          err);
        default:
            return resync(s, in, base, i, SIFT_ERR_SYNTAX, "text outside an Event element", err);
        }
    }
}

/* Drops bytes up to the next <Event (kept), or all of them. */
static int skip_to_event(evxml *s, sift_in *in, int at_end)
{
    const uint8_t *p = in->buf;
    const size_t n = in->size;
    size_t i = in->pos;
    for (;;) {
        i += sift_slice_find_byte(sift_slice_make(p + i, n - i), '<');
        if (i == n)
            break;
        const int e = event_start(p, n, i);
        if (e == YES) {
            consume(s, in, i);
            s->skipping = 0;
            return 1;
        }
        if (e == MAYBE && !at_end)
            break;
        i++;
    }
    consume(s, in, i);
    return 0;
}

static sift_status frame(void *state, sift_in *in, uint64_t base, sift_recs *out, sift_error *err, int at_end)
{
    evxml *s = state;
    for (;;) {
        if (s->skipping && !skip_to_event(s, in, at_end))
            return SIFT_NEED_MORE;
        sift_status st;
        if (!s->in_rec) {
            st = frame_outside(s, in, base, out, err, at_end);
            if (st != SIFT_DONE)
                return st;
        }
        st = frame_event(s, in, base, out, err, at_end);
        if (st != SIFT_OK)
            return st;
    }
}

static sift_status evxml_next(void *state, sift_in *in, uint64_t base, sift_recs *out, sift_error *err)
{
    return frame(state, in, base, out, err, 0);
}

static sift_status evxml_finish(void *state, sift_in *in, uint64_t base, sift_recs *out, sift_error *err)
{
    return frame(state, in, base, out, err, 1);
}

/* ---- text ------------------------------------------------------------------------- */

/* The reference at p[i] = '&' in p[0, n): its length with '&' and ';', and
 * the character in *c; 0 when it is not a built-in entity or a character
 * reference to a character (kept as written then). */
static size_t reference(const uint8_t *p, size_t n, size_t i, uint32_t *c)
{
    static const struct {
        sift_slice name;
        uint8_t c;
    } builtin[] = {
        { SIFT_LIT("lt"), '<' }, { SIFT_LIT("gt"), '>' }, { SIFT_LIT("amp"), '&' },
        { SIFT_LIT("apos"), '\'' }, { SIFT_LIT("quot"), '"' },
    };
    const size_t lim = n - i > MAX_REF ? i + MAX_REF : n;
    size_t semi = i + 1;
    while (semi < lim && p[semi] != ';')
        semi++;
    if (semi >= lim)
        return 0;
    const sift_slice body = sift_slice_make(p + i + 1, semi - (i + 1));
    for (size_t k = 0; k < sizeof builtin / sizeof builtin[0]; k++) {
        if (sift_slice_eq(body, builtin[k].name)) {
            *c = builtin[k].c;
            return semi + 1 - i;
        }
    }
    if (body.len < 2 || body.ptr[0] != '#')
        return 0;
    uint64_t v;
    const int hex = body.ptr[1] == 'x';
    const sift_slice digits = sift_slice_sub(body, hex ? 2 : 1, body.len);
    if (digits.len == 0 || (hex ? sift_num_hex_u64(digits, &v) : sift_num_u64(digits, &v)) != SIFT_OK)
        return 0;
    if (hex && digits.len >= 2 && (digits.ptr[1] == 'x' || digits.ptr[1] == 'X'))
        return 0; /* "&#x0x41;": sift_num_hex_u64 takes a 0x prefix, XML does not */
    if (v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *c = (uint32_t)v;
    return semi + 1 - i;
}

/* Decoding needs the state's memory for this text. */
static int needs_decoding(const uint8_t *p, size_t a, size_t b, int attr)
{
    for (size_t i = a; i < b; i++) {
        const uint8_t c = p[i];
        if (c == '<' || c == '&' || c == '\r' || (attr && (c == '\t' || c == '\n')))
            return 1;
    }
    return 0;
}

/* Decoded content of p[a, b) (a range of a record the tokenizer accepted):
 * references replaced, CDATA literal, comments, processing instructions
 * and any tag dropped, CR LF and CR made LF; for an attribute value (attr)
 * blanks made spaces. Text without any of those is returned in place. 0
 * when the state has no room left. */
static int text_of(evxml *s, const uint8_t *p, size_t a, size_t b, int attr, sift_slice *out)
{
    if (!needs_decoding(p, a, b, attr)) {
        *out = sift_slice_make(p + a, b - a);
        return 1;
    }
    if (b - a > sizeof s->text - s->used)
        return 0;
    uint8_t *w = s->text + s->used;
    size_t k = 0;
    for (size_t i = a; i < b;) {
        const uint8_t c = p[i];
        if (c == '<') {
            tok t;
            fault f;
            if (tok_next(p, b, i, 1, &t, &f, NULL) != R_OK)
                break;
            if (t.kind == T_CDATA) {
                for (size_t j = t.at + 9; j < t.end - 3; j++) {
                    if (p[j] == '\r' && j + 1 < t.end - 3 && p[j + 1] == '\n')
                        continue;
                    w[k++] = p[j] == '\r' ? '\n' : p[j];
                }
            }
            i = t.end;
        } else if (c == '&') {
            uint32_t ch;
            const size_t len = reference(p, b, i, &ch);
            if (len) {
                k += sift_utf8_put(w + k, ch);
                i += len;
            } else {
                w[k++] = c;
                i++;
            }
        } else if (c == '\r') {
            w[k++] = attr ? ' ' : '\n';
            i += i + 1 < b && p[i + 1] == '\n' ? 2 : 1;
        } else {
            w[k++] = attr && (c == '\t' || c == '\n') ? ' ' : c;
            i++;
        }
    }
    s->used += k;
    *out = sift_slice_make(w, k);
    return 1;
}

/* <Binary> hex text (blanks allowed between digits) into raw bytes; 0 when
 * it is anything else, or holds an odd number of digits. */
static int hex_bytes(evxml *s, const uint8_t *p, size_t a, size_t b, sift_slice *out)
{
    uint8_t *w = s->text + s->used;
    const size_t room = sizeof s->text - s->used;
    size_t k = 0;
    int hi = -1;
    for (size_t i = a; i < b; i++) {
        if (is_blank(p[i]))
            continue;
        const int d = sift_hex_digit(p[i]);
        if (d < 0)
            return 0;
        if (hi < 0) {
            hi = d;
            continue;
        }
        if (k == room)
            return 0;
        w[k++] = (uint8_t)(hi << 4 | d);
        hi = -1;
    }
    if (hi >= 0)
        return 0;
    s->used += k;
    *out = sift_slice_make(w, k);
    return 1;
}

/* ---- decoding ------------------------------------------------------------------- */

/* Which child of Event a token is under. */
typedef enum section { S_OTHER, S_SYSTEM, S_EVENTDATA, S_USERDATA, S_RENDERING } section;

/* What an element's content becomes when it ends. */
typedef enum capture {
    C_NONE,
    C_LEVEL,
    C_RECORD_ID,
    C_CHANNEL,
    C_COMPUTER,
    C_DATA,    /* EventData/Data: an item named by its Name attribute */
    C_LEAF,    /* below UserData: an item named by the element, if a leaf */
    C_BINARY,
    C_MESSAGE,
} capture;

typedef struct level {
    size_t content; /* where the element's content starts */
    uint8_t cap;    /* capture */
    uint8_t kids;   /* an element opened inside it */
    sift_slice name;
} level;

typedef struct walk {
    evxml *s;
    sift_event *ev;
    const uint8_t *p;
    section sec;
    unsigned seen; /* bits: the first of each System field or section is taken */
    level st[MAX_DEPTH];
} walk;

enum { SEEN_LEVEL = 1, SEEN_RECORD_ID = 2, SEEN_CHANNEL = 4, SEEN_COMPUTER = 8, SEEN_TIME = 16, SEEN_BINARY = 32,
       SEEN_RENDERING = 64, SEEN_MESSAGE = 128 };

/* Takes the first of a kind only. */
static int first(walk *w, unsigned bit)
{
    if (w->seen & bit)
        return 0;
    w->seen |= bit;
    return 1;
}

static int small_number(sift_slice s, uint64_t max, uint64_t *v)
{
    return sift_num_u64(sift_slice_trim(s), v) == SIFT_OK && *v <= max;
}

/* The content p[a, b) of an element that ends, as its capture says. */
static int take_content(walk *w, const level *l, size_t a, size_t b)
{
    sift_event *ev = w->ev;
    sift_slice v = { NULL, 0 };
    uint64_t n;
    if (l->cap == C_BINARY) {
        hex_bytes(w->s, w->p, a, b, &ev->binary); /* not hex: no binary, the rest still reads */
        return 1;
    }
    if (!text_of(w->s, w->p, a, b, 0, &v))
        return 0;
    switch (l->cap) {
    case C_LEVEL:
        if (small_number(v, 0xff, &n))
            ev->level = (uint8_t)n;
        break;
    case C_RECORD_ID:
        if (small_number(v, UINT64_MAX, &n)) {
            ev->record_id = n;
            ev->have |= SIFT_EV_RECORD_ID;
        }
        break;
    case C_CHANNEL:
        ev->channel = sift_slice_trim(v);
        break;
    case C_COMPUTER:
        ev->computer = sift_slice_trim(v);
        break;
    case C_MESSAGE:
        ev->message = sift_slice_trim(v);
        break;
    case C_DATA:
    case C_LEAF:
        if (ev->n_data == SIFT_EVENT_MAX_DATA) {
            ev->data_dropped++;
            break;
        }
        w->s->data[ev->n_data++] = (sift_data){ l->name, v };
        break;
    default:
        break;
    }
    return 1;
}

/* An attribute of t, decoded into *v; 1 when present (0 also when the
 * state has no room, which cannot happen for a framed record). */
static int attr_text(walk *w, const tok *t, sift_slice local, sift_slice *v)
{
    size_t at, len;
    return attr_of(w->p, t, local, &at, &len) && text_of(w->s, w->p, at, at + len, 1, v);
}

/* A start tag (or empty element) at depth (elements open before it):
 * attributes read now, and what its content will give. */
static capture opening(walk *w, const tok *t, unsigned depth, const head *before, const head *after,
                       sift_slice *name)
{
    sift_event *ev = w->ev;
    const uint8_t *p = w->p;
    if (depth == 1) {
        if (before->sys == 0 && after->sys != 0)
            w->sec = S_SYSTEM;
        else if (is_named(p, t, SIFT_LIT("EventData")))
            w->sec = S_EVENTDATA;
        else if (is_named(p, t, SIFT_LIT("UserData")) || is_named(p, t, SIFT_LIT("ProcessingErrorData")))
            w->sec = S_USERDATA;
        else if (is_named(p, t, SIFT_LIT("RenderingInfo")) && first(w, SEEN_RENDERING))
            w->sec = S_RENDERING;
        else
            w->sec = S_OTHER;
        return C_NONE;
    }
    if (w->sec == S_USERDATA) {
        *name = local_name(sift_slice_make(p + t->name, t->name_len));
        return C_LEAF;
    }
    if (depth != 2)
        return C_NONE;
    switch (w->sec) {
    case S_SYSTEM:
        if (!before->prov && after->prov) {
            if (!attr_text(w, t, SIFT_LIT("Name"), &ev->provider))
                attr_text(w, t, SIFT_LIT("EventSourceName"), &ev->provider);
            attr_text(w, t, SIFT_LIT("Guid"), &ev->provider_guid);
        } else if (!before->id && after->id) {
            sift_slice q;
            uint64_t n;
            if (attr_text(w, t, SIFT_LIT("Qualifiers"), &q) && small_number(q, 0xffff, &n)) {
                ev->qualifiers = (uint16_t)n;
                ev->have |= SIFT_EV_QUALIFIERS;
            }
        } else if (is_named(p, t, SIFT_LIT("TimeCreated")) && first(w, SEEN_TIME)) {
            if (attr_text(w, t, SIFT_LIT("SystemTime"), &ev->time_text)) {
                ev->time_text = sift_slice_trim(ev->time_text);
                sift_time_parse(ev->time_text, &ev->time);
            }
        } else if (is_named(p, t, SIFT_LIT("Level")) && first(w, SEEN_LEVEL)) {
            return C_LEVEL;
        } else if (is_named(p, t, SIFT_LIT("EventRecordID")) && first(w, SEEN_RECORD_ID)) {
            return C_RECORD_ID;
        } else if (is_named(p, t, SIFT_LIT("Channel")) && first(w, SEEN_CHANNEL)) {
            return C_CHANNEL;
        } else if (is_named(p, t, SIFT_LIT("Computer")) && first(w, SEEN_COMPUTER)) {
            return C_COMPUTER;
        }
        return C_NONE;
    case S_EVENTDATA:
        if (is_named(p, t, SIFT_LIT("Data"))) {
            attr_text(w, t, SIFT_LIT("Name"), name);
            return C_DATA;
        }
        if (is_named(p, t, SIFT_LIT("Binary")) && first(w, SEEN_BINARY))
            return C_BINARY;
        return C_NONE;
    case S_RENDERING:
        return is_named(p, t, SIFT_LIT("Message")) && first(w, SEEN_MESSAGE) ? C_MESSAGE : C_NONE;
    default:
        return C_NONE;
    }
}

static sift_status bad(sift_event *ev, sift_error *err, sift_status code, uint64_t at, const char *why)
{
    *ev = (sift_event){ 0 };
    return sift_fail(err, code, at, why);
}

static sift_status evxml_decode(void *state, const sift_rec *rec, sift_event *ev, sift_error *err)
{
    evxml *s = state;
    walk w = { .s = s, .ev = ev, .p = rec->bytes.ptr };
    const size_t n = rec->bytes.len;
    head h = { 0 };
    unsigned depth = 0;
    *ev = (sift_event){ 0 };
    ev->data = s->data;
    s->used = 0;
    for (size_t i = 0; i < n;) {
        tok t;
        fault f;
        if (tok_next(w.p, n, i, 1, &t, &f, NULL) != R_OK)
            return bad(ev, err, f.code, rec->offset + f.at, f.why);
        const head before = h;
        head_tok(&h, w.p, &t, depth);
        i = t.end;
        if (t.kind == T_START || t.kind == T_EMPTY) {
            if (depth == MAX_DEPTH)
                return bad(ev, err, SIFT_ERR_TOO_LONG, rec->offset + t.at, "elements nested deeper than 32");
            if (depth)
                w.st[depth - 1].kids = 1;
            level l = { t.end, 0, 0, { NULL, 0 } };
            l.cap = (uint8_t)opening(&w, &t, depth, &before, &h, &l.name);
            if (t.kind == T_START)
                w.st[depth++] = l;
            else if (l.cap && !take_content(&w, &l, t.end, t.end))
                return bad(ev, err, SIFT_ERR_TOO_LONG, rec->offset, "values exceed the decoder's memory");
        } else if (t.kind == T_END) {
            if (depth == 0)
                return bad(ev, err, SIFT_ERR_SYNTAX, rec->offset + t.at, "end tag without a start tag");
            const level *l = &w.st[--depth];
            if (l->cap && !(l->cap == C_LEAF && l->kids) && !take_content(&w, l, l->content, t.at))
                return bad(ev, err, SIFT_ERR_TOO_LONG, rec->offset, "values exceed the decoder's memory");
            if (depth == 1)
                w.sec = S_OTHER;
        }
    }
    uint64_t v;
    if (h.id != 2)
        return bad(ev, err, SIFT_ERR_MISSING, rec->offset, "Event without System/EventID");
    if (!head_id(&h, w.p, &v))
        return bad(ev, err, SIFT_ERR_NUMBER, rec->offset + h.id_at, "EventID is not a number below 2^32");
    ev->have |= SIFT_EV_ID;
    ev->id = (uint16_t)v;
    /* A classic event's full id (Get-EventLog's InstanceId) carries its
     * qualifiers in the high half. */
    if (v > 0xffff && !(ev->have & SIFT_EV_QUALIFIERS)) {
        ev->qualifiers = (uint16_t)(v >> 16);
        ev->have |= SIFT_EV_QUALIFIERS;
    }
    ev->where.offset = rec->offset;
    ev->where.line = rec->line;
    sift_event_resolve(ev);
    if (ev->message.len)
        sift_message_fields(ev);
    return SIFT_OK;
}

/* ---- sniffing ------------------------------------------------------------------------- */

/* The name after '<' at line[i], or empty. */
static sift_slice tag_name(sift_slice line, size_t i)
{
    size_t k = i + 1;
    while (k < line.len && k - i <= MAX_NAME && is_name_byte(line.ptr[k]))
        k++;
    if (k == line.len || !(is_blank(line.ptr[k]) || line.ptr[k] == '>' || line.ptr[k] == '/'))
        return (sift_slice){ NULL, 0 };
    return local_name(sift_slice_make(line.ptr + i + 1, k - (i + 1)));
}

static int evxml_sniff(sift_slice line)
{
    const uint8_t *p = line.ptr;
    size_t i = skip_blanks(p, line.len, 0);
    if (starts(p, line.len, i, SIFT_LIT("<?xml")) == 1) {
        if (i + 5 == line.len || !(is_blank(p[i + 5]) || p[i + 5] == '?'))
            return i + 5 == line.len;
        /* On the declaration's line, what follows must be events too. */
        const size_t e = find_lit(p, line.len, i, SIFT_LIT("?>"));
        i = skip_blanks(p, line.len, e == line.len ? e : e + 2);
        if (i == line.len)
            return 1;
    }
    if (i >= line.len || p[i] != '<')
        return 0;
    const sift_slice name = tag_name(line, i);
    return sift_slice_eq(name, SIFT_LIT("Event")) || sift_slice_eq(name, SIFT_LIT("Events"));
}

static const sift_stream_ops evxml_stream = {
    .sniff = evxml_sniff,
    .state_size = sizeof(evxml),
    .init = evxml_init,
    .next = evxml_next,
    .finish = evxml_finish,
    .decode = evxml_decode,
};

const sift_format sift_evxml_format = {
    .name = "xml",
    .title = "Windows Event XML (wevtutil /f:xml, Get-WinEvent ToXml(), <Events> exports)",
    .produces = SIFT_PRODUCES_EVENTS,
    .stream = &evxml_stream,
};
