/* sift_evjson.c - Windows events as JSON: structural framing with the cheap
 * fields, and strict decoding into the event model. */
#include "sift_evjson.h"

#include <stdio.h>

#include "sift_cursor.h"
#include "sift_evtext.h"
#include "sift_message.h"
#include "sift_num.h"
#include "sift_text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#endif

/* Fuzzing builds shrink the record limit so that inputs of a few hundred
 * bytes reach the over-long paths and the resumption after them. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define MAX_RECORD 600u
#else
#define MAX_RECORD SIFT_STREAM_MAX_RECORD
#endif

#define NO_RANK 0xffu
#define ANY_COLUMN UINT32_MAX

/* ---- where fields live ------------------------------------------------------ */

enum fld { F_ID, F_PROVIDER, F_CHANNEL, F_COMPUTER, F_RECORD, F_TIME, F_MESSAGE, F_LEVEL, F_QUALIFIERS, F_GUID, F_N };

/* How a value is read. */
enum how { H_TEXT, H_NUMBER, H_TIME, H_LEVEL_NAME, H_LEVEL_WIN, H_LEVEL_NXLOG };

/* Which producer a record's event id key names: it decides where EventData is. */
enum shape { S_NONE, S_ECS, S_NXLOG, S_PWSH };

typedef struct jpath {
    sift_slice path; /* keys joined with '.' */
    uint8_t fld, rank, how, shape;
} jpath;

/* The paths framing reads, event id and provider, lead the table. */
#define ID_ECS "winlog.event_id"
#define ID_NXLOG "EventID"
#define ID_PWSH "Id"
#define ID_EVENT "event.code"
#define PROV_ECS "winlog.provider_name"
#define PROV_NXLOG "SourceName"
#define PROV_PWSH "ProviderName"
#define PROV_EVENT "event.provider"
#define N_CHEAP 8u
/* Ranks of an event's own id key (winlog.event_id, EventID, Id): one that is
 * there but no 16-bit number costs its record, reported, as in Event XML;
 * event.code, which other Beats modules fill with words, is passed over. */
#define ID_RANK_OWN 2u
/* cheap_path() finds them by length, up to 31 bytes. */
_Static_assert(sizeof(ID_ECS) <= 32 && sizeof(ID_NXLOG) <= 32 && sizeof(ID_PWSH) <= 32 && sizeof(ID_EVENT) <= 32 &&
                   sizeof(PROV_ECS) <= 32 && sizeof(PROV_NXLOG) <= 32 && sizeof(PROV_PWSH) <= 32 &&
                   sizeof(PROV_EVENT) <= 32,
               "a cheap path longer than cheap_by_len covers");

#define P(path, fld, rank, how, shape) { SIFT_LIT(path), fld, rank, how, shape }
static const jpath paths[] = {
    P(ID_ECS, F_ID, 0, H_NUMBER, S_ECS),
    P(ID_NXLOG, F_ID, 1, H_NUMBER, S_NXLOG),
    P(ID_PWSH, F_ID, 2, H_NUMBER, S_PWSH),
    P(ID_EVENT, F_ID, 3, H_NUMBER, S_ECS),
    P(PROV_ECS, F_PROVIDER, 0, H_TEXT, 0),
    P(PROV_NXLOG, F_PROVIDER, 1, H_TEXT, 0),
    P(PROV_PWSH, F_PROVIDER, 2, H_TEXT, 0),
    P(PROV_EVENT, F_PROVIDER, 3, H_TEXT, 0),
    P("winlog.channel", F_CHANNEL, 0, H_TEXT, 0),
    P("Channel", F_CHANNEL, 1, H_TEXT, 0),
    P("LogName", F_CHANNEL, 2, H_TEXT, 0),
    P("winlog.computer_name", F_COMPUTER, 0, H_TEXT, 0),
    P("Hostname", F_COMPUTER, 1, H_TEXT, 0),
    P("MachineName", F_COMPUTER, 2, H_TEXT, 0),
    P("host.name", F_COMPUTER, 3, H_TEXT, 0),
    P("host.hostname", F_COMPUTER, 4, H_TEXT, 0),
    P("winlog.record_id", F_RECORD, 0, H_NUMBER, 0),
    P("RecordNumber", F_RECORD, 1, H_NUMBER, 0),
    P("RecordId", F_RECORD, 2, H_NUMBER, 0),
    P("@timestamp", F_TIME, 0, H_TIME, 0),
    P("winlog.time_created", F_TIME, 1, H_TIME, 0),
    P("EventTime", F_TIME, 2, H_TIME, 0),
    P("TimeCreated", F_TIME, 3, H_TIME, 0),
    P("message", F_MESSAGE, 0, H_TEXT, 0),
    P("Message", F_MESSAGE, 1, H_TEXT, 0),
    P("log.level", F_LEVEL, 0, H_LEVEL_NAME, 0),
    P("winlog.level", F_LEVEL, 1, H_LEVEL_NAME, 0),
    P("Level", F_LEVEL, 2, H_LEVEL_WIN, 0),
    P("LevelDisplayName", F_LEVEL, 3, H_LEVEL_NAME, 0),
    P("Severity", F_LEVEL, 4, H_LEVEL_NAME, 0),
    P("SeverityValue", F_LEVEL, 5, H_LEVEL_NXLOG, 0),
    P("Qualifiers", F_QUALIFIERS, 0, H_NUMBER, 0),
    P("winlog.provider_guid", F_GUID, 0, H_TEXT, 0),
    P("ProviderGuid", F_GUID, 1, H_TEXT, 0),
    P("ProviderId", F_GUID, 2, H_TEXT, 0),
};
#undef P
#define N_PATHS (sizeof paths / sizeof paths[0])

/* The syslog prefix's HOST ranks after every computer key. */
#define RANK_SYSLOG_HOST 5u

/* Winlogbeat's EventData and UserData: named items one level below. */
static const sift_slice data_prefixes[] = { SIFT_LIT("winlog.event_data."), SIFT_LIT("winlog.user_data.") };

/* NXLog's own fields at the top level beside the EventData it flattens
 * there: not EventData. */
static const sift_slice nxlog_meta[] = {
    SIFT_LIT("EventReceivedTime"), SIFT_LIT("Keywords"),         SIFT_LIT("EventType"),
    SIFT_LIT("Version"),           SIFT_LIT("Task"),             SIFT_LIT("TaskValue"),
    SIFT_LIT("OpcodeValue"),       SIFT_LIT("Opcode"),           SIFT_LIT("ActivityID"),
    SIFT_LIT("RelatedActivityID"), SIFT_LIT("ProcessID"),        SIFT_LIT("ThreadID"),
    SIFT_LIT("ExecutionProcessID"), SIFT_LIT("ExecutionThreadID"), SIFT_LIT("Domain"),
    SIFT_LIT("AccountName"),       SIFT_LIT("UserID"),           SIFT_LIT("AccountType"),
    SIFT_LIT("Category"),          SIFT_LIT("SourceModuleName"), SIFT_LIT("SourceModuleType"),
    SIFT_LIT("MessageSourceAddress"), SIFT_LIT("SyslogFacility"), SIFT_LIT("SyslogFacilityValue"),
    SIFT_LIT("SyslogSeverity"),    SIFT_LIT("SyslogSeverityValue"),
};

/* 1 when the keys k[0, n), joined with '.', are exactly t. */
static int path_is(const sift_slice *k, size_t n, sift_slice t)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (i) {
            if (at >= t.len || t.ptr[at] != '.')
                return 0;
            at++;
        }
        if (k[i].len > t.len - at || (k[i].len && memcmp(k[i].ptr, t.ptr + at, k[i].len) != 0))
            return 0;
        at += k[i].len;
    }
    return at == t.len;
}

/* 1 when the keys, joined with '.', are prefix followed by a name that lies
 * within the last key (a value one level below the prefix); *name is it. */
static int data_name(const sift_slice *k, size_t n, sift_slice prefix, sift_slice *name)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (i) {
            if (at >= prefix.len || prefix.ptr[at] != '.')
                return 0;
            at++;
        }
        const size_t left = prefix.len - at;
        if (left < k[i].len) {
            if (i + 1 != n || (left && memcmp(k[i].ptr, prefix.ptr + at, left) != 0))
                return 0;
            *name = sift_slice_sub(k[i], left, k[i].len - left);
            return 1;
        }
        if (k[i].len && memcmp(k[i].ptr, prefix.ptr + at, k[i].len) != 0)
            return 0;
        at += k[i].len;
    }
    return 0;
}

/* The value of an event id, record id or qualifiers: digits, bare or
 * quoted (text is what is between the quotes); 1 when it fits in max. */
static int number_value(sift_slice text, uint64_t max, uint64_t *v)
{
    return text.len <= 20 && sift_num_u64(text, v) == SIFT_OK && *v <= max;
}

/* ---- the framing state -------------------------------------------------------- */

enum mode { M_TOP, M_REC, M_RESYNC };
enum rclass { C_LINE, C_SYSLOG, C_INLINE }; /* '{' first on its line; behind a syslog prefix; after other bytes */
/* How records were laid out, for describe(). */
enum layout { L_LINE, L_PRETTY, L_SYSLOG, L_INLINE };

/* What framing reads of a record on the way: keys and values of the
 * record's own members (depth 1) and of the members of an object whose key
 * begins an id or provider path (depth 2). Offsets are from the record's
 * first byte. */
typedef struct cheap {
    uint32_t key_at[3], key_len[3];
    uint32_t val_at[3];   /* past the key's closing quote */
    uint32_t str_at;
    uint32_t prov_at, prov_len;
    uint16_t id;
    uint8_t kind[3];      /* '{' or '[' of the container at depth 1, 2 */
    uint8_t want_key[3];  /* the next string at that depth is a key */
    uint8_t member[3];    /* a key was read there; its value is open */
    uint8_t path[3];      /* 1 + the index in paths of the open member's path; 0: none */
    uint8_t parent;       /* the depth-2 object is the value of a key that begins a path */
    uint8_t uncertain;    /* an escaped key where an id or provider key may be */
    uint8_t id_rank, id_ok, prov_rank, prov_ok;
} cheap;

typedef struct sift_evjson {
    uint8_t mode;     /* enum mode */
    uint8_t blank;    /* only blanks since the last LF (top level, resync) */
    uint8_t rs_mid;   /* resync: still inside the damaged line */
    uint8_t rclass;   /* enum rclass of the open record */
    uint8_t in_str;
    uint8_t rl_blank; /* record: only blanks since its last LF */
    uint32_t col;     /* bytes since the last LF, while blank */
    uint32_t rs_col;  /* resync: a '{' at this column or left of it opens a record */
    uint32_t rec_col; /* C_LINE: the column of its '{' */
    uint32_t rl_col;
    uint32_t depth;
    uint32_t held;    /* bytes of the open record already scanned */
    uint32_t lf;      /* LFs among them */
    uint64_t line;    /* line of in->buf[in->pos] */
    uint64_t rec_line;
    uint64_t shapes[4]; /* records framed: enum layout */
    cheap ch;
    /* decode() */
    uint64_t path_lens; /* bit n: a path in paths is n bytes long (n < 64) */
    size_t used;
    sift_data data[SIFT_EVENT_MAX_DATA];
    uint8_t src[SIFT_EVENT_MAX_DATA]; /* enum shape whose EventData each item is */
    uint8_t scratch[MAX_RECORD];
} sift_evjson;

static void cheap_reset(cheap *ch)
{
    *ch = (cheap){ 0 };
    ch->id_rank = ch->prov_rank = NO_RANK;
}

static void evjson_init(void *state)
{
    sift_evjson *s = state;
    s->mode = M_TOP;
    s->blank = 1;
    s->rs_mid = 0;
    s->in_str = 0;
    s->col = 0;
    s->held = s->lf = s->depth = 0;
    s->line = 1;
    s->used = 0;
    memset(s->shapes, 0, sizeof s->shapes);
    cheap_reset(&s->ch);
    s->path_lens = 0;
    for (size_t i = 0; i < N_PATHS; i++)
        if (paths[i].path.len < 64)
            s->path_lens |= 1ull << paths[i].path.len;
}

/* ---- syslog prefixes ---------------------------------------------------------- */

/* Where the JSON object of a syslog line starts: <PRI> (1-3 digits), then
 * the first '{' that is not inside an RFC 5424 structured-data element
 * ([...] with quoted values), within SIFT_EVJSON_MAX_PREFIX bytes and on the
 * line. Returns 1 with *at set, 0 when p is no such line, -1 when the bytes
 * end before that is known (never when at_end). */
static int syslog_json_at(const uint8_t *p, size_t n, int at_end, size_t *at)
{
    const size_t lim = n < SIFT_EVJSON_MAX_PREFIX ? n : SIFT_EVJSON_MAX_PREFIX;
    size_t i = 1, digits = 0;
    if (lim == 0 || p[0] != '<')
        return 0;
    while (i < lim && p[i] >= '0' && p[i] <= '9' && digits < 3) {
        i++;
        digits++;
    }
    if (i < lim && (digits == 0 || p[i] != '>'))
        return 0;
    int sd = 0, quote = 0;
    for (i++; i < lim; i++) {
        const uint8_t c = p[i];
        if (c == '\n')
            return 0;
        if (quote) {
            /* An escape never takes the line end: the prefix is one line. */
            if (c == '\\' && i + 1 < lim && p[i + 1] != '\n')
                i++;
            else if (c == '"')
                quote = 0;
        } else if (sd) {
            if (c == '"')
                quote = 1;
            else if (c == ']')
                sd = 0;
        } else if (c == '[') {
            sd = 1;
        } else if (c == '{') {
            *at = i;
            return 1;
        }
    }
    return lim == SIFT_EVJSON_MAX_PREFIX || at_end ? 0 : -1;
}

/* The HOST of a syslog prefix (RFC 5424: "1 TIMESTAMP HOST"; RFC 3164:
 * "Mmm dd hh:mm:ss HOST" or an ISO timestamp then HOST); empty for "-". */
static sift_slice syslog_host(sift_slice prefix)
{
    sift_cursor c = sift_cur_make(prefix);
    const size_t gt = sift_slice_find_byte(prefix, '>');
    c.pos = gt < prefix.len ? gt + 1 : prefix.len;
    sift_slice tok = sift_cur_take_token(&c);
    if (sift_slice_eq(tok, SIFT_LIT("1"))) {
        sift_cur_skip_blanks(&c);
        sift_cur_take_token(&c); /* the timestamp */
    } else if (tok.len == 3 && sift_cur_left(&c) >= 13) {
        /* "Mmm dd hh:mm:ss": the day is space-padded. */
        sift_cur_skip_blanks(&c);
        sift_cur_take_token(&c);
        sift_cur_skip_blanks(&c);
        if (sift_cur_take_token(&c).len != 8)
            return (sift_slice){ NULL, 0 };
    } else if (!(tok.len >= 10 && tok.ptr[4] == '-')) {
        return (sift_slice){ NULL, 0 };
    }
    sift_cur_skip_blanks(&c);
    tok = sift_cur_take_token(&c);
    return sift_slice_eq(tok, SIFT_LIT("-")) ? (sift_slice){ NULL, 0 } : tok;
}

/* ---- the cheap pass ----------------------------------------------------------- */

/* Inside a string: the index of the first '"', '\\' or LF in p[0, n), or n. */
static size_t string_stop(const uint8_t *p, size_t n)
{
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\'), l = _mm_set1_epi8('\n');
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, b)), _mm_cmpeq_epi8(v, l));
        const unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    for (; i < n; i++)
        if (p[i] == '"' || p[i] == '\\' || p[i] == '\n')
            break;
    return i;
}

static sift_slice rel(const uint8_t *rec, uint32_t at, uint32_t len)
{
    return sift_slice_make(rec + at, len);
}

/* a[0, n) equal to b[0, n)? A plain loop: keys are short, and a library
 * call costs more than the compare. */
static int same_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* A depth-1 key that begins a dotted id or provider path ("winlog"). */
static int opens_path(const uint8_t *k, size_t n)
{
    for (size_t i = 0; i < N_CHEAP; i++) {
        const sift_slice t = paths[i].path;
        if (n && n < t.len && t.ptr[n] == '.' && same_bytes(t.ptr, k, n))
            return 1;
    }
    return 0;
}

/* The cheap paths of each length below 32, as bits (bit i: paths[i]). */
#define LEN_IS(path, i, n) ((sizeof(path) - 1u == (n)) ? 1u << (i) : 0u)
#define CHEAP_AT(n)                                                                                            \
    (uint8_t)(LEN_IS(ID_ECS, 0, n) | LEN_IS(ID_NXLOG, 1, n) | LEN_IS(ID_PWSH, 2, n) | LEN_IS(ID_EVENT, 3, n) |   \
              LEN_IS(PROV_ECS, 4, n) | LEN_IS(PROV_NXLOG, 5, n) | LEN_IS(PROV_PWSH, 6, n) | LEN_IS(PROV_EVENT, 7, n))
static const uint8_t cheap_by_len[32] = {
    CHEAP_AT(0),  CHEAP_AT(1),  CHEAP_AT(2),  CHEAP_AT(3),  CHEAP_AT(4),  CHEAP_AT(5),  CHEAP_AT(6),  CHEAP_AT(7),
    CHEAP_AT(8),  CHEAP_AT(9),  CHEAP_AT(10), CHEAP_AT(11), CHEAP_AT(12), CHEAP_AT(13), CHEAP_AT(14), CHEAP_AT(15),
    CHEAP_AT(16), CHEAP_AT(17), CHEAP_AT(18), CHEAP_AT(19), CHEAP_AT(20), CHEAP_AT(21), CHEAP_AT(22), CHEAP_AT(23),
    CHEAP_AT(24), CHEAP_AT(25), CHEAP_AT(26), CHEAP_AT(27), CHEAP_AT(28), CHEAP_AT(29), CHEAP_AT(30), CHEAP_AT(31),
};
#undef CHEAP_AT
#undef LEN_IS

/* 1 + the index of the cheap path the member's keys name (k1, or k1.k2),
 * the first in the table when several do; 0 for none. */
static uint8_t cheap_path(const uint8_t *rec, const cheap *ch, unsigned d)
{
    const uint32_t n1 = ch->key_len[1], kn = ch->key_len[d], len = d == 1 ? n1 : n1 + 1 + kn;
    /* Most keys are no id or provider path by their length alone. */
    if (len >= 32)
        return 0;
    for (unsigned m = cheap_by_len[len]; m; m &= m - 1u) {
        const unsigned i = (unsigned)__builtin_ctz(m);
        const sift_slice t = paths[i].path;
        /* The last key first: at depth 2 the first ("winlog") mostly matches. */
        if (!same_bytes(t.ptr + len - kn, rec + ch->key_at[d], kn))
            continue;
        if (d == 1 || (t.ptr[n1] == '.' && same_bytes(t.ptr, rec + ch->key_at[1], n1)))
            return (uint8_t)(i + 1);
    }
    return 0;
}

/* The value of the member at depth d, which has a cheap path, ends at
 * record offset end. */
static void cheap_value(cheap *ch, const uint8_t *rec, unsigned d, uint32_t end)
{
    const jpath *jp = &paths[ch->path[d] - 1];
    ch->path[d] = 0;
    if ((jp->fld == F_ID ? ch->id_rank : ch->prov_rank) <= jp->rank)
        return;
    /* From past the key: blanks, the ':', blanks, the value. */
    sift_slice v = sift_slice_trim(rel(rec, ch->val_at[d], end - ch->val_at[d]));
    if (v.len && v.ptr[0] == ':')
        v = sift_slice_trim(sift_slice_sub(v, 1, v.len - 1));
    int quoted = 0;
    if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"') {
        v = sift_slice_sub(v, 1, v.len - 2);
        quoted = 1;
    }
    if (jp->fld == F_ID) {
        uint64_t id;
        ch->id_rank = jp->rank;
        ch->id_ok = (uint8_t)number_value(v, 0xffffu, &id);
        ch->id = ch->id_ok ? (uint16_t)id : 0;
    } else {
        ch->prov_rank = jp->rank;
        ch->prov_ok = (uint8_t)(quoted && sift_slice_find_byte(v, (uint8_t)0x5c) == v.len);
        ch->prov_at = v.len ? (uint32_t)(v.ptr - rec) : 0;
        ch->prov_len = (uint32_t)v.len;
    }
}

/* A structural byte c ('{', '[', '}', ']' or ',') at record offset i, with
 * depth before it. */
static void cheap_struct(cheap *ch, const uint8_t *rec, uint8_t c, uint32_t i, uint32_t depth)
{
    if (c == '{' || c == '[') {
        if (depth + 1 <= 2) {
            const unsigned nd = depth + 1;
            ch->kind[nd] = c;
            ch->want_key[nd] = c == '{';
            ch->member[nd] = 0;
            ch->path[nd] = 0;
            if (nd == 2)
                ch->parent = c == '{' && ch->member[1] && opens_path(rec + ch->key_at[1], ch->key_len[1]);
        }
        return;
    }
    if (depth < 1 || depth > 2)
        return;
    if (ch->path[depth])
        cheap_value(ch, rec, depth, i);
    if (c == ',' && ch->kind[depth] == '{') {
        ch->member[depth] = 0;
        ch->want_key[depth] = 1;
    }
}

/* A string at depth ended at record offset i (its closing quote); escaped:
 * it holds a backslash, or -1 when the caller does not know. */
static inline void cheap_string_end(cheap *ch, const uint8_t *rec, uint32_t i, uint32_t depth, int escaped)
{
    if (depth < 1 || depth > 2 || ch->kind[depth] != '{' || !ch->want_key[depth])
        return;
    const uint32_t at = ch->str_at + 1, n = i - at;
    ch->want_key[depth] = 0;
    ch->member[depth] = 1;
    ch->key_at[depth] = at;
    ch->key_len[depth] = n;
    ch->val_at[depth] = i + 1;
    if (escaped < 0)
        escaped = memchr(rec + at, '\\', n) != NULL;
    ch->uncertain |= (uint8_t)escaped;
    const uint32_t len = depth == 1 ? n : ch->key_len[1] + 1 + n;
    ch->path[depth] = len < 32 && cheap_by_len[len] ? cheap_path(rec, ch, depth) : 0;
}

/* ---- framing ------------------------------------------------------------------ */

/* Damage found: report at the record's offset, drop the record's bytes up to
 * `to` (counting their LFs), and go on in mode (resync from inside a line,
 * or the top level at a line start). */
static sift_status damaged(sift_evjson *s, sift_in *in, uint64_t base, size_t to, enum mode next, sift_error *err,
                           sift_status code, const char *detail)
{
    const size_t start = in->pos;
    size_t last;
    s->line += sift_newlines(in->buf + start, to - start, &last);
    in->pos = to;
    s->mode = (uint8_t)next;
    s->rs_mid = next == M_RESYNC && (to == 0 || in->buf[to - 1] != '\n');
    s->rs_col = s->rclass == C_LINE ? s->rec_col : s->rclass == C_SYSLOG ? 0 : ANY_COLUMN;
    s->blank = to > 0 && in->buf[to - 1] == '\n';
    s->col = 0;
    s->held = s->lf = s->depth = 0;
    s->in_str = 0;
    return sift_fail(err, code, base + start, detail);
}

/* Levels the cheap pass reads: the record's members, and the members of an
 * object whose key begins an id or provider path. */
#define TRACKED(depth) ((depth) == 1 || ((depth) == 2 && ch->parent))

/* Scan the open record at in->pos from s->held on. Returns SIFT_OK with the
 * record in *rec, SIFT_NEED_MORE, or an error (the damage consumed). */
/* Bytes of a 64-byte block as bits: bit k for b[k]. */
typedef struct block_bits {
    uint64_t quote, backslash, lf, open, close, sep; /* sep: ',' */
} block_bits;

/* Portable: for CPUs without AVX2 (classify_avx2 below). */
static void classify(const uint8_t *b, block_bits *m)
{
    *m = (block_bits){ 0, 0, 0, 0, 0, 0 };
    for (unsigned k = 0; k < 64; k++) {
        const uint64_t bit = 1ull << k;
        const uint8_t c = b[k];
        m->quote |= c == '"' ? bit : 0;
        m->backslash |= c == '\\' ? bit : 0;
        m->lf |= c == '\n' ? bit : 0;
        m->open |= (c | 0x20) == '{' ? bit : 0;
        m->close |= (c | 0x20) == '}' ? bit : 0;
        m->sep |= c == ',' ? bit : 0;
    }
}

#ifdef HAVE_AVX2_PATH
/* classify() 32 bytes at a time, where the CPU has AVX2. */
__attribute__((target("avx2"))) static inline uint64_t bits_avx2(__m256i lo, __m256i hi, __m256i c)
{
    const uint32_t a = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, c));
    const uint32_t b = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, c));
    return (uint64_t)b << 32 | a;
}

__attribute__((target("avx2"))) static void classify_avx2(const uint8_t *b, block_bits *m)
{
    const __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)b);
    const __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(b + 32));
    const __m256i up = _mm256_set1_epi8(0x20);
    const __m256i flo = _mm256_or_si256(lo, up), fhi = _mm256_or_si256(hi, up);
    m->quote = bits_avx2(lo, hi, _mm256_set1_epi8('"'));
    m->backslash = bits_avx2(lo, hi, _mm256_set1_epi8('\\'));
    m->lf = bits_avx2(lo, hi, _mm256_set1_epi8('\n'));
    m->open = bits_avx2(flo, fhi, _mm256_set1_epi8('{'));
    m->close = bits_avx2(flo, fhi, _mm256_set1_epi8('}'));
    m->sep = bits_avx2(lo, hi, _mm256_set1_epi8(','));
}
#endif

/* The bytes a backslash escapes (the one after it, unless that one is
 * escaped itself), with *carry the first byte's from the block before and
 * the next block's on return. */
static uint64_t escaped_bits(uint64_t bs, uint64_t *carry)
{
    uint64_t esc = *carry;
    bs &= ~esc;
    *carry = 0;
    while (bs) {
        const unsigned j = (unsigned)__builtin_ctzll(bs);
        if (j == 63) {
            *carry = 1;
            break;
        }
        esc |= 1ull << (j + 1);
        bs &= ~(3ull << j);
    }
    return esc;
}

/* Bits from each set bit of x up to the next (exclusive): the bytes inside
 * strings, opening quotes included. */
static uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* Scan the open record at in->pos from s->held on. Returns SIFT_OK with the
 * record in *rec, SIFT_NEED_MORE, or an error (the damage consumed).
 *
 * Framing rules, the same in the block loop and in the byte loop after it:
 * a backslash escapes the byte after it, in a string or not, unless that is
 * a line end (an LF is always one); an unescaped '"' opens or closes a
 * string; outside strings '{' '[' '}' ']' nest, ',' separates members. */
__attribute__((always_inline)) static inline sift_status scan_body(sift_evjson *s, sift_in *in, uint64_t base,
                                                                  int at_end, sift_rec *rec, sift_error *err,
                                                                  const int avx2)
{
    const uint8_t *p = in->buf + in->pos;
    const size_t avail = in->size - in->pos;
    const size_t lim = avail < MAX_RECORD ? avail : MAX_RECORD;
    cheap *ch = &s->ch;
    /* The hot state in locals: stores through ch (uint8_t) would otherwise
     * make the compiler reload every field of s after each. */
    size_t i = s->held;
    uint32_t depth = s->depth, lf = s->lf, rl_col = s->rl_col;
    int in_str = s->in_str, rl_blank = s->rl_blank;
    const int line_rule = s->rclass == C_LINE, syslog = s->rclass == C_SYSLOG;
    const uint32_t rec_col = s->rec_col;
    uint64_t carry = 0;
    (void)avx2;

#define RECORD_END()                                                                                         \
    do {                                                                                                     \
        if (ch->id_rank <= ID_RANK_OWN && !ch->id_ok && !ch->uncertain)                                      \
            return damaged(s, in, base, in->pos + i + 1, M_TOP, err, SIFT_ERR_NUMBER,                        \
                           "event id is not a number below 65536");                                          \
        *rec = (sift_rec){ 0 };                                                                              \
        rec->bytes = sift_slice_make(p, i + 1);                                                              \
        rec->offset = base + in->pos;                                                                        \
        rec->line = s->rec_line;                                                                             \
        rec->id = ch->id;                                                                                    \
        rec->has_id = ch->id_ok;                                                                             \
        if (ch->prov_ok && !ch->uncertain)                                                                   \
            rec->provider = rel(p, ch->prov_at, ch->prov_len);                                               \
        s->line += lf;                                                                                       \
        s->shapes[syslog ? L_SYSLOG : lf ? L_PRETTY : line_rule ? L_LINE : L_INLINE]++;                      \
        in->pos += i + 1;                                                                                    \
        s->mode = M_TOP;                                                                                     \
        s->blank = 0;                                                                                        \
        s->held = s->lf = s->depth = 0;                                                                      \
        s->in_str = 0;                                                                                       \
        return SIFT_OK;                                                                                      \
    } while (0)
#define CUT_STRING(at)                                                                                       \
    return damaged(s, in, base, in->pos + (at) + 1, M_RESYNC, err, SIFT_ERR_SYNTAX,                           \
                   "string not closed at the end of its line")
#define TOO_DEEP(at)                                                                                         \
    return damaged(s, in, base, in->pos + (at) + 1, M_RESYNC, err, SIFT_ERR_LIMIT,                            \
                   "nested deeper than SIFT_EVJSON_MAX_DEPTH (64) levels")
#define SYSLOG_LINE(at)                                                                                      \
    return damaged(s, in, base, in->pos + (at) + 1, M_TOP, err, SIFT_ERR_SYNTAX,                              \
                   "object behind a syslog prefix not closed on its line")
#define NEXT_RECORD(at)                                                                                      \
    return damaged(s, in, base, in->pos + (at) - rl_col, M_TOP, err, SIFT_ERR_SYNTAX,                         \
                   "object not closed before the next line that opens one")

    /* Whole 64-byte blocks: only the bytes that matter at the depth the
     * scan is at are visited (braces and line ends always; quotes and
     * separators where the cheap pass reads keys). */
    while (i + 64 <= lim) {
        block_bits m;
#ifdef HAVE_AVX2_PATH
        if (avx2) {
            classify_avx2(p + i, &m);
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
            /* Fuzzing holds the portable classify to the AVX2 one. */
            block_bits ref;
            classify(p + i, &ref);
            if (memcmp(&ref, &m, sizeof m) != 0)
                __builtin_trap();
#endif
        } else
#endif
            classify(p + i, &m);
        const uint64_t esc = escaped_bits(m.backslash, &carry) & ~m.lf;
        const uint64_t quote = m.quote & ~esc;
        const uint64_t instr = prefix_xor(quote) ^ (in_str ? ~0ull : 0);
        const uint64_t out = ~instr & ~esc;
        const uint64_t always = ((m.open | m.close) & out) | m.lf;
        /* Closing quotes only: a string opened at the last quote before its
         * closing one, found from the bits, which halves the quote events. */
        const uint64_t closing = quote & ~instr, sep = m.sep & out;
        uint64_t done = 0;
        if (rl_blank) {
            /* A line's blanks ran into this block: its first other byte. */
            size_t k = 0;
            while (k < 64 && (p[i + k] == ' ' || p[i + k] == '\t' || p[i + k] == '\r'))
                k++;
            if (k == 64) {
                rl_col += 64;
                i += 64;
                in_str = (int)(instr >> 63);
                continue;
            }
            rl_blank = 0;
            rl_col += (uint32_t)k;
            if (p[i + k] == '{' && rl_col <= rec_col) {
                i += k;
                NEXT_RECORD(i);
            }
        }
        for (;;) {
            /* Where the cheap pass reads, only what changes its state: a
             * string where a key is wanted (a value's does nothing), a ','
             * that ends an id or provider value or makes the next string a
             * key (once one was read in an object). */
            uint64_t keyed = 0;
            if (TRACKED(depth)) {
                const int want = ch->want_key[depth];
                keyed = (want ? closing : 0) | (ch->path[depth] || (ch->kind[depth] == '{' && !want) ? sep : 0);
            }
            const uint64_t ev = (always | keyed) & ~done;
            if (!ev)
                break;
            const unsigned j = (unsigned)__builtin_ctzll(ev);
            done = j == 63 ? ~0ull : (2ull << j) - 1;
            const size_t at = i + j;
            const uint8_t c = p[at];
            if (c == '\n') {
                if (instr >> j & 1)
                    CUT_STRING(at);
                lf++;
                if (syslog)
                    SYSLOG_LINE(at);
                if (line_rule) {
                    size_t k = at + 1;
                    while (k < i + 64 && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r'))
                        k++;
                    rl_col = (uint32_t)(k - at - 1);
                    if (k == i + 64) {
                        rl_blank = 1;
                    } else if (p[k] == '{' && rl_col <= rec_col) {
                        i = k;
                        NEXT_RECORD(i);
                    }
                }
            } else if (c == '"') {
                const uint64_t before = quote & ((1ull << j) - 1);
                if (before)
                    ch->str_at = (uint32_t)(i + 63 - (unsigned)__builtin_clzll(before));
                if (ch->want_key[depth]) {
                    /* Backslashes of a key that began in this block are in its bits. */
                    const int escaped =
                        ch->str_at >= i ? (m.backslash >> (ch->str_at - i) & ((1ull << (at - ch->str_at)) - 1)) != 0 : -1;
                    cheap_string_end(ch, p, (uint32_t)at, depth, escaped);
                }
            } else if (c == '{' || c == '[') {
                if (depth >= SIFT_EVJSON_MAX_DEPTH)
                    TOO_DEEP(at);
                if (depth < 2)
                    cheap_struct(ch, p, c, (uint32_t)at, depth);
                depth++;
            } else if (c == '}' || c == ']') {
                if (TRACKED(depth))
                    cheap_struct(ch, p, c, (uint32_t)at, depth);
                if (--depth == 0) {
                    i = at;
                    RECORD_END();
                }
            } else {
                /* A ',' at a tracked depth: what cheap_struct does with one. */
                if (ch->path[depth])
                    cheap_value(ch, p, depth, (uint32_t)at);
                if (ch->kind[depth] == '{') {
                    ch->member[depth] = 0;
                    ch->want_key[depth] = 1;
                }
            }
        }
        in_str = (int)(instr >> 63);
        /* A string left open: its opening quote is the block's last quote
         * (none in the block: it opened before, and str_at holds it). */
        if (in_str && quote)
            ch->str_at = (uint32_t)(i + 63 - (unsigned)__builtin_clzll(quote));
        i += 64;
    }
    /* The byte loop starts clean: at the backslash whose escape is pending. */
    if (carry)
        i--;
    while (i < lim) {
        if (in_str) {
            i += string_stop(p + i, lim - i);
            if (i >= lim)
                break;
            const uint8_t c = p[i];
            if (c == '"') {
                in_str = 0;
                if (TRACKED(depth))
                    cheap_string_end(ch, p, (uint32_t)i, depth, -1);
                i++;
                continue;
            }
            if (c == '\\') {
                if (i + 1 >= lim)
                    break;
                if (p[i + 1] != '\n') {
                    i += 2;
                    continue;
                }
                i++;
            }
            CUT_STRING(i);
        }
        const uint8_t c = p[i];
        if (rl_blank && c != ' ' && c != '\t' && c != '\r') {
            rl_blank = 0;
            if (c == '{' && rl_col <= rec_col)
                NEXT_RECORD(i);
        }
        switch (c) {
        case '"':
            in_str = 1;
            if (TRACKED(depth))
                ch->str_at = (uint32_t)i;
            break;
        case '\\':
            if (i + 1 >= lim)
                goto out;
            if (p[i + 1] != '\n')
                i++;
            break;
        case '{':
        case '[':
            if (depth >= SIFT_EVJSON_MAX_DEPTH)
                TOO_DEEP(i);
            if (depth < 2)
                cheap_struct(ch, p, c, (uint32_t)i, depth);
            depth++;
            break;
        case '}':
        case ']':
            if (TRACKED(depth))
                cheap_struct(ch, p, c, (uint32_t)i, depth);
            if (--depth == 0)
                RECORD_END();
            break;
        case ',':
            if (TRACKED(depth))
                cheap_struct(ch, p, c, (uint32_t)i, depth);
            break;
        case '\n':
            lf++;
            if (syslog)
                SYSLOG_LINE(i);
            rl_blank = line_rule;
            rl_col = 0;
            break;
        case ' ':
        case '\t':
        case '\r':
            rl_col++;
            break;
        default:
            break;
        }
        i++;
    }
out:
#undef RECORD_END
#undef CUT_STRING
#undef TOO_DEEP
#undef SYSLOG_LINE
#undef NEXT_RECORD
    if (lim == MAX_RECORD && i >= lim - 1 && (i >= lim || p[i] == '\\'))
        return damaged(s, in, base, in->pos + lim, M_RESYNC, err, SIFT_ERR_TOO_LONG,
                       "object longer than SIFT_STREAM_MAX_RECORD (256 KiB)");
    if (at_end)
        return damaged(s, in, base, in->size, M_RESYNC, err, SIFT_ERR_SYNTAX,
                       "object not closed at the end of the input");
    s->held = (uint32_t)i;
    s->depth = depth;
    s->lf = lf;
    s->rl_col = rl_col;
    s->in_str = (uint8_t)in_str;
    s->rl_blank = (uint8_t)rl_blank;
    return SIFT_NEED_MORE;
}

#ifdef HAVE_AVX2_PATH
/* The same scan compiled for AVX2, so that classify_avx2 inlines into it. */
__attribute__((target("avx2"))) static sift_status scan_record_avx2(sift_evjson *s, sift_in *in, uint64_t base,
                                                                    int at_end, sift_rec *rec, sift_error *err)
{
    return scan_body(s, in, base, at_end, rec, err, 1);
}
#endif

static sift_status scan_record(sift_evjson *s, sift_in *in, uint64_t base, int at_end, sift_rec *rec,
                               sift_error *err)
{
#ifdef HAVE_AVX2_PATH
    if (__builtin_cpu_supports("avx2"))
        return scan_record_avx2(s, in, base, at_end, rec, err);
#endif
    return scan_body(s, in, base, at_end, rec, err, 0);
}

/* Resync: drop lines until one whose first non-blank byte is '{' at column
 * rs_col or left of it, or '[' or '<' at column 0. */
static void resync(sift_evjson *s, sift_in *in)
{
    while (in->pos < in->size) {
        if (s->rs_mid) {
            const sift_slice rest = sift_slice_make(in->buf + in->pos, in->size - in->pos);
            const size_t lf = sift_slice_find_byte(rest, '\n');
            if (lf == rest.len) {
                in->pos = in->size;
                return;
            }
            in->pos += lf + 1;
            s->line++;
            s->rs_mid = 0;
            s->col = 0;
            continue;
        }
        const uint8_t c = in->buf[in->pos];
        if (c == ' ' || c == '\t' || c == '\r') {
            s->col++;
            in->pos++;
            continue;
        }
        if (c == '\n') {
            s->line++;
            s->col = 0;
            in->pos++;
            continue;
        }
        if ((c == '{' && s->col <= s->rs_col) || (s->col == 0 && (c == '[' || c == '<'))) {
            s->mode = M_TOP;
            s->blank = 1;
            return;
        }
        s->rs_mid = 1;
    }
}

static sift_status frame(sift_evjson *s, sift_in *in, uint64_t base, sift_recs *out, sift_error *err, int at_end)
{
    for (;;) {
        if (s->mode == M_RESYNC) {
            resync(s, in);
            if (s->mode == M_RESYNC)
                return SIFT_NEED_MORE;
        }
        if (s->mode == M_REC) {
            sift_rec *rec = &out->rec[out->n];
            const sift_status st = scan_record(s, in, base, at_end, rec, err);
            if (st != SIFT_OK)
                return st;
            /* Full: stop at the record's end, not at the next record's '{'
             * (the engine passes over the lines between, by their bytes
             * alone, as when they had not arrived yet). */
            if (++out->n >= out->cap)
                return SIFT_OK;
            continue;
        }
        /* The top level: between records. */
        while (in->pos < in->size) {
            const uint8_t c = in->buf[in->pos];
            if (c == '\n') {
                s->line++;
                s->col = 0;
                s->blank = 1;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                s->col++;
            } else if (c == '[' || c == ']' || c == ',') {
                s->blank = 0;
            } else if (c == '{' || (c == '<' && s->blank && s->col == 0)) {
                size_t at = 0;
                if (c == '<') {
                    const int k = syslog_json_at(in->buf + in->pos, in->size - in->pos, at_end, &at);
                    if (k < 0)
                        return SIFT_NEED_MORE;
                    if (k == 0)
                        goto junk;
                }
                if (out->n >= out->cap)
                    return SIFT_OK;
                s->rclass = c == '<' ? C_SYSLOG : s->blank ? C_LINE : C_INLINE;
                s->rec_col = s->col;
                s->rl_blank = 0;
                s->rl_col = 0;
                s->mode = M_REC;
                s->held = (uint32_t)at;
                s->lf = s->depth = 0;
                s->in_str = 0;
                s->rec_line = s->line;
                cheap_reset(&s->ch);
                break;
            } else {
                goto junk;
            }
            in->pos++;
        }
        if (s->mode != M_REC)
            return SIFT_NEED_MORE;
    }
junk:
    s->mode = M_RESYNC;
    s->rs_mid = in->buf[in->pos] != '\n';
    s->rs_col = ANY_COLUMN;
    in->pos++;
    return sift_fail(err, SIFT_ERR_SYNTAX, base + in->pos - 1, "not a JSON object, '[', ']' or ','");
}

static sift_status evjson_next(void *state, sift_in *in, uint64_t base, sift_recs *out, sift_error *err)
{
    return frame(state, in, base, out, err, 0);
}

static sift_status evjson_finish(void *state, sift_in *in, uint64_t base, sift_recs *out, sift_error *err)
{
    return frame(state, in, base, out, err, 1);
}

/* ---- passing over lines ---------------------------------------------------------- */

/* Whether the backslash at p[at] escapes what follows it: it ends an odd
 * run of backslashes. */
static int escapes(const uint8_t *p, size_t at)
{
    size_t run = 1;
    while (run <= at && p[at - run] == '\\')
        run++;
    return run % 2;
}

/* Whether p[0, n) holds a \u escape: a backslash-u after an even run of
 * backslashes ("C:\\users" is none). Behind one, any text may hide. */
static int has_u_escape(const uint8_t *p, size_t n)
{
    for (size_t at = 0; at + 2 <= n;) {
        size_t k = at + sift_find_literal(p + at, n - at, (const uint8_t *)"\\u", 2);
        if (k + 2 > n)
            return 0;
        if (escapes(p, k))
            return 1;
        at = k + 2;
    }
    return 0;
}

/* Whether p[0, n) closes as many braces as it opens. Every '}' of the
 * structure closes a '{', so a line whose object is still open (the record
 * going on below it) has more of them, unless text in strings evens the
 * count: rare, and a line that merely looks uneven is framed, no harm. */
static int braces_even(const uint8_t *p, size_t n)
{
    size_t opened = 0, closed = 0;
    for (size_t k = 0; k < n; k++) {
        opened += p[k] == '{';
        closed += p[k] == '}';
    }
    return opened == closed;
}

/* Whether p[0, n) is plain: its braces even out and it holds no \u escape. */
static int plain_scalar(const uint8_t *p, size_t n)
{
    return braces_even(p, n) && !has_u_escape(p, n);
}

#ifdef HAVE_AVX2_PATH
/* Both checks in one pass, 32 bytes a step: braces counted in byte lanes
 * (summed before a lane can wrap), backslash-u pairs found by mask and
 * judged one by one where there is one. */
__attribute__((target("avx2,bmi"))) static int plain_avx2(const uint8_t *p, size_t n)
{
    const __m256i open = _mm256_set1_epi8('{'), close = _mm256_set1_epi8('}');
    const __m256i bs = _mm256_set1_epi8('\\'), u = _mm256_set1_epi8('u'), zero = _mm256_setzero_si256();
    __m256i sum_o = zero, sum_c = zero;
    size_t k = 0;
    while (k + 33 <= n) {
        __m256i acc_o = zero, acc_c = zero;
        for (unsigned step = 0; step < 255 && k + 33 <= n; step++, k += 32) {
            const __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + k));
            const __m256i w = _mm256_loadu_si256((const __m256i *)(const void *)(p + k + 1));
            acc_o = _mm256_sub_epi8(acc_o, _mm256_cmpeq_epi8(v, open));
            acc_c = _mm256_sub_epi8(acc_c, _mm256_cmpeq_epi8(v, close));
            uint32_t pair = (uint32_t)_mm256_movemask_epi8(
                _mm256_and_si256(_mm256_cmpeq_epi8(v, bs), _mm256_cmpeq_epi8(w, u)));
            for (; pair; pair &= pair - 1)
                if (escapes(p, k + (size_t)__builtin_ctz(pair)))
                    return 0;
        }
        sum_o = _mm256_add_epi64(sum_o, _mm256_sad_epu8(acc_o, zero));
        sum_c = _mm256_add_epi64(sum_c, _mm256_sad_epu8(acc_c, zero));
    }
    const __m256i d = _mm256_sub_epi64(sum_o, sum_c);
    int64_t diff = _mm256_extract_epi64(d, 0) + _mm256_extract_epi64(d, 1) + _mm256_extract_epi64(d, 2) +
                   _mm256_extract_epi64(d, 3);
    for (size_t t = k; t < n; t++) {
        diff += (p[t] == '{') - (p[t] == '}');
        if (p[t] == '\\' && t + 1 < n && p[t + 1] == 'u' && escapes(p, t))
            return 0;
    }
    return diff == 0;
}
#endif

static int line_plain(const uint8_t *p, size_t n)
{
#ifdef HAVE_AVX2_PATH
    if (n >= 33 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi")) {
        const int plain = plain_avx2(p, n);
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
        /* Fuzzing holds the one-pass check to the two plain ones. */
        if (plain != plain_scalar(p, n))
            __builtin_trap();
#endif
        return plain;
    }
#endif
    return plain_scalar(p, n);
}

/* The layout of line [i, j) (blanks trimmed, i at or after the line's
 * start ls) when it is plainly one record: '{' ... '}', or a syslog prefix
 * at the line's start then '{' ... '}'; -1 otherwise. */
static int line_record(const uint8_t *b, size_t ls, size_t i, size_t j)
{
    if (j - i > MAX_RECORD || b[j - 1] != '}')
        return -1;
    int layout = L_LINE;
    if (b[i] == '<' && i == ls) {
        size_t at;
        if (syslog_json_at(b + i, j - i, 1, &at) != 1)
            return -1;
        layout = L_SYSLOG;
    } else if (b[i] != '{') {
        return -1;
    }
    return line_plain(b + i, j - i) ? layout : -1;
}

static size_t evjson_skip(void *state, sift_in *in, size_t upto, uint64_t *lines)
{
    sift_evjson *s = state;
    const uint8_t *b = in->buf;
    if (upto > in->size)
        upto = in->size;
    /* After damage, its lines are dropped first, as next() would: up to
     * the next record's first line, however far (the caller looks for
     * triggers again from there), or all there is. */
    if (s->mode == M_RESYNC) {
        const uint64_t line0 = s->line;
        resync(s, in);
        *lines += s->line - line0;
        if (s->mode == M_RESYNC)
            return 0;
    }
    size_t pos = in->pos, n = 0;
    uint64_t lfs = 0;
    if (s->mode != M_TOP || upto <= pos)
        return 0;
    /* After a record framed on the line: only blanks may follow it. */
    if (!s->blank || s->col) {
        while (pos < upto && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\r'))
            pos++;
        if (pos == upto || b[pos] != '\n')
            return 0;
        pos++;
        lfs++;
    }
    while (pos < upto) {
        const uint8_t *nl = memchr(b + pos, '\n', upto - pos);
        size_t end = nl ? (size_t)(nl - b) : upto;
        size_t i = pos, j = end;
        while (i < j && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r'))
            i++;
        while (j > i && (b[j - 1] == ' ' || b[j - 1] == '\t' || b[j - 1] == '\r'))
            j--;
        if (i < j) {
            const int layout = line_record(b, pos, i, j);
            if (layout < 0)
                break;
            s->shapes[layout]++;
            n++;
        }
        pos = nl ? end + 1 : end;
        lfs += nl != NULL;
    }
    if (pos == in->pos)
        return 0;
    /* Where next() would stand after these lines: the top level, at the
     * start of a line (or at upto, the caller's line boundary). */
    in->pos = pos;
    s->line += lfs;
    s->blank = 1;
    s->col = 0;
    *lines += lfs;
    return n;
}

/* ---- sniffing ----------------------------------------------------------------- */

static size_t skip_ws(sift_slice s, size_t i)
{
    while (i < s.len && sift_is_space(s.ptr[i]))
        i++;
    return i;
}

static int evjson_sniff(sift_slice head)
{
    /* The first line decides, however much follows it. */
    const size_t lf = sift_slice_find_byte(head, '\n');
    head = sift_slice_sub(head, 0, lf);
    size_t i = skip_ws(head, 0);
    if (i >= head.len)
        return 0;
    const uint8_t c = head.ptr[i];
    if (c == '<' && i == 0) {
        size_t at;
        if (syslog_json_at(head.ptr, head.len, 1, &at) != 1)
            return 0;
        i = at;
    } else if (c != '{' && c != '[') {
        return 0;
    }
    /* What follows must be JSON: '{' then a key or '}'; '[' then an
     * object or ']'; or the end of the line. */
    const size_t j = skip_ws(head, i + 1);
    if (j >= head.len)
        return 1;
    const uint8_t d = head.ptr[j];
    return head.ptr[i] == '{' ? d == '"' || d == '}' : d == '{' || d == ']';
}

/* ---- decoding ----------------------------------------------------------------- */

/* What a value is. */
enum vkind { V_STRING, V_NUMBER, V_LITERAL, V_CONTAINER };

/* Roles of a container. */
enum crole { R_NONE, R_PROPS, R_PROPS_ITEM };

typedef struct jframe {
    uint8_t kind; /* '{' or '[' */
    uint8_t role; /* enum crole */
    size_t open;  /* body offset of its bracket */
    size_t slot;  /* R_PROPS_ITEM: its item in data */
    sift_slice key; /* '{': the key of the member being read */
} jframe;

typedef struct decoder {
    sift_evjson *s;
    const sift_rec *rec;
    sift_cursor c;
    size_t body; /* offset of the object in the record */
    jframe st[SIFT_EVJSON_MAX_DEPTH + 1];
    size_t depth;
    size_t arrays; /* array frames on the stack */
    uint8_t best[F_N];
    uint8_t shape;
    uint8_t nxlog_candidates;
    sift_event *ev;
    sift_error *err;
} decoder;

static sift_status bad(decoder *d, sift_status code, size_t at, const char *detail)
{
    return sift_fail(d->err, code, d->rec->offset + d->body + at, detail);
}

static void skip_space(sift_cursor *c)
{
    while (c->pos < c->len) {
        const uint8_t b = c->buf[c->pos];
        if (b != ' ' && b != '\t' && b != '\n' && b != '\r')
            break;
        c->pos++;
    }
}

/* Four hex digits at c (after "\u"); -1 when they are not. */
static int32_t hex4(sift_cursor *c)
{
    sift_slice h;
    if (!sift_cur_take(c, 4, &h))
        return -1;
    int32_t v = 0;
    for (size_t i = 0; i < 4; i++) {
        const int x = sift_hex_digit(h.ptr[i]);
        if (x < 0)
            return -1;
        v = v << 4 | x;
    }
    return v;
}

/* A string at the cursor (on its opening quote). Unescaped, *out is a slice
 * of the record; with escapes, of the state's scratch, which holds every
 * decoded string of the record (decoding never lengthens a string, so the
 * scratch, as long as a record can be, always has room). */
static sift_status parse_string(decoder *d, sift_slice *out)
{
    sift_cursor *c = &d->c;
    const size_t open = c->pos++;
    const size_t from = c->pos;
    while (c->pos < c->len && c->buf[c->pos] != '"' && c->buf[c->pos] != '\\' && c->buf[c->pos] >= 0x20)
        c->pos++;
    if (c->pos < c->len && c->buf[c->pos] == '"') {
        *out = sift_cur_slice(c, from, c->pos - from);
        c->pos++;
        return SIFT_OK;
    }
    /* Escapes (or damage): decode into scratch. */
    sift_evjson *s = d->s;
    uint8_t *o = s->scratch + s->used;
    size_t n = c->pos - from;
    if (n)
        memcpy(o, c->buf + from, n);
    for (;;) {
        if (c->pos >= c->len)
            return bad(d, SIFT_ERR_SYNTAX, open, "string not closed");
        const uint8_t b = c->buf[c->pos];
        if (b == '"') {
            c->pos++;
            break;
        }
        if (b < 0x20)
            return bad(d, SIFT_ERR_SYNTAX, c->pos, "control character in a string");
        if (b != '\\') {
            o[n++] = b;
            c->pos++;
            continue;
        }
        const size_t esc = c->pos;
        c->pos++;
        const int e = sift_cur_peek(c);
        c->pos++;
        switch (e) {
        case '"': o[n++] = '"'; break;
        case '\\': o[n++] = '\\'; break;
        case '/': o[n++] = '/'; break;
        case 'b': o[n++] = '\b'; break;
        case 'f': o[n++] = '\f'; break;
        case 'n': o[n++] = '\n'; break;
        case 'r': o[n++] = '\r'; break;
        case 't': o[n++] = '\t'; break;
        case 'u': {
            int32_t cp = hex4(c);
            if (cp < 0)
                return bad(d, SIFT_ERR_SYNTAX, esc, "\\u not followed by four hex digits");
            if (cp >= 0xd800 && cp <= 0xdbff) {
                /* A high surrogate pairs with a following \uDC00-\uDFFF. */
                sift_cursor t = *c;
                int32_t lo = -1;
                if (sift_cur_accept(&t, SIFT_LIT("\\u")))
                    lo = hex4(&t);
                if (lo >= 0xdc00 && lo <= 0xdfff) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    *c = t;
                } else {
                    cp = 0xfffd;
                }
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                cp = 0xfffd;
            }
            /* 6 or 12 escape bytes give at most 3 or 4 bytes. */
            n += sift_utf8_put(o + n, (uint32_t)cp);
            break;
        }
        default:
            c->pos = esc;
            return bad(d, SIFT_ERR_SYNTAX, esc, "unknown escape in a string");
        }
    }
    *out = sift_slice_make(o, n);
    s->used += n;
    return SIFT_OK;
}

/* A run of digits, not reaching past SIFT_EVJSON_MAX_NUMBER bytes from
 * start; returns how many. */
static size_t digit_run(sift_cursor *c, size_t start)
{
    size_t k = 0;
    while (c->pos < c->len && c->buf[c->pos] >= '0' && c->buf[c->pos] <= '9' && c->pos - start <= SIFT_EVJSON_MAX_NUMBER) {
        c->pos++;
        k++;
    }
    return k;
}

/* A number token (RFC 8259 grammar) of at most SIFT_EVJSON_MAX_NUMBER bytes. */
static sift_status parse_number(decoder *d, sift_slice *out)
{
    sift_cursor *c = &d->c;
    const size_t start = c->pos;
    sift_cur_accept_byte(c, '-');
    const size_t int_at = c->pos;
    const size_t int_digits = digit_run(c, start);
    int ok = int_digits > 0 && !(int_digits > 1 && c->buf[int_at] == '0');
    if (ok && sift_cur_accept_byte(c, '.'))
        ok = digit_run(c, start) > 0;
    if (ok && (sift_cur_accept_byte(c, 'e') || sift_cur_accept_byte(c, 'E'))) {
        if (!sift_cur_accept_byte(c, '+'))
            sift_cur_accept_byte(c, '-');
        ok = digit_run(c, start) > 0;
    }
    if (c->pos - start > SIFT_EVJSON_MAX_NUMBER)
        return bad(d, SIFT_ERR_NUMBER, start, "number longer than SIFT_EVJSON_MAX_NUMBER (64) bytes");
    if (!ok)
        return bad(d, SIFT_ERR_NUMBER, start, "malformed number");
    *out = sift_cur_slice(c, start, c->pos - start);
    return SIFT_OK;
}

/* ---- values to fields ---- */

static uint8_t level_from_name(sift_slice v)
{
    const uint8_t l = sift_evtext_level(v);
    if (l)
        return l;
    /* ECS and NXLog spellings beside the Windows names. */
    static const struct {
        sift_slice name;
        uint8_t level;
    } more[] = { { SIFT_LIT("info"), SIFT_LEVEL_INFO },
                 { SIFT_LIT("warn"), SIFT_LEVEL_WARNING },
                 { SIFT_LIT("crit"), SIFT_LEVEL_CRITICAL },
                 { SIFT_LIT("debug"), SIFT_LEVEL_VERBOSE } };
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        if (sift_slice_eq_nocase(sift_slice_trim(v), more[i].name))
            return more[i].level;
    return SIFT_LEVEL_NONE;
}

/* PowerShell 5.1's \/Date(ms)\/ (after unescaping: /Date(ms)/), ms since
 * the epoch in UTC; an offset (+hhmm) after the ms says where it was
 * written and does not move the instant. */
static int ms_date(sift_slice v, sift_when *w)
{
    sift_cursor c = sift_cur_make(v);
    if (!sift_cur_accept(&c, SIFT_LIT("/Date(")))
        return 0;
    uint64_t ms = 0;
    size_t digits = 0;
    while (sift_cur_peek(&c) >= '0' && sift_cur_peek(&c) <= '9' && digits < 16) {
        ms = ms * 10 + (uint64_t)(c.buf[c.pos++] - '0');
        digits++;
    }
    if (digits == 0)
        return 0;
    if (sift_cur_accept_byte(&c, '+') || sift_cur_accept_byte(&c, '-')) {
        sift_slice off;
        uint64_t hhmm;
        if (!sift_cur_take(&c, 4, &off) || sift_num_u64(off, &hhmm) != SIFT_OK)
            return 0;
    }
    /* 9999-12-31T23:59:59.999Z, the last instant sift_when formats. */
    if (!sift_cur_accept(&c, SIFT_LIT(")/")) || !sift_cur_eof(&c) || ms > 253402300799999ull)
        return 0;
    *w = (sift_when){ (int64_t)(ms / 1000), (uint32_t)(ms % 1000) * 1000000u, 1, 1 };
    return 1;
}

/* Sets the field of jp from a value; 1 when the value is one it reads. */
static int take_field(decoder *d, const jpath *jp, enum vkind kind, sift_slice v)
{
    sift_event *ev = d->ev;
    uint64_t n;
    const int digits = (kind == V_NUMBER || kind == V_STRING) && number_value(v, UINT64_MAX, &n);
    switch (jp->fld) {
    case F_ID:
        d->shape = jp->shape;
        return 1;
    case F_PROVIDER:
    case F_CHANNEL:
    case F_COMPUTER:
    case F_MESSAGE:
    case F_GUID:
        if (kind != V_STRING)
            return 0;
        *(jp->fld == F_PROVIDER   ? &ev->provider
          : jp->fld == F_CHANNEL  ? &ev->channel
          : jp->fld == F_COMPUTER ? &ev->computer
          : jp->fld == F_MESSAGE  ? &ev->message
                                  : &ev->provider_guid) = v;
        return 1;
    case F_RECORD:
        if (!digits)
            return 0;
        ev->record_id = n;
        ev->have |= SIFT_EV_RECORD_ID;
        return 1;
    case F_QUALIFIERS:
        if (!digits || n > 0xffff)
            return 0;
        ev->qualifiers = (uint16_t)n;
        ev->have |= SIFT_EV_QUALIFIERS;
        return 1;
    case F_TIME: {
        sift_when w;
        if (kind != V_STRING)
            return 0;
        if (!ms_date(v, &w) && sift_time_parse(v, &w) != SIFT_OK)
            return 0;
        ev->time = w;
        ev->time_text = v;
        return 1;
    }
    case F_LEVEL: {
        uint8_t l = SIFT_LEVEL_NONE;
        if (jp->how == H_LEVEL_NAME && kind == V_STRING)
            l = level_from_name(v);
        else if (jp->how == H_LEVEL_WIN && digits && n <= SIFT_LEVEL_VERBOSE)
            l = (uint8_t)n;
        else if (jp->how == H_LEVEL_NXLOG && digits && n >= 1 && n <= 5)
            l = (uint8_t)(6 - n); /* NXLog: 1 DEBUG .. 5 CRITICAL */
        if (l == SIFT_LEVEL_NONE)
            return 0;
        ev->level = l;
        return 1;
    }
    default:
        return 0;
    }
}

static void add_data(decoder *d, sift_slice name, sift_slice value, uint8_t src)
{
    sift_event *ev = d->ev;
    if (ev->n_data >= SIFT_EVENT_MAX_DATA) {
        ev->data_dropped++;
        return;
    }
    d->s->data[ev->n_data] = (sift_data){ name, value };
    d->s->src[ev->n_data] = src;
    ev->n_data++;
}

static int nxlog_field(sift_slice k)
{
    for (size_t i = 0; i < sizeof nxlog_meta / sizeof nxlog_meta[0]; i++)
        if (sift_slice_eq(k, nxlog_meta[i]))
            return 1;
    return 0;
}

/* A complete value, whose parent is the top of the stack. */
static void take_value(decoder *d, enum vkind kind, sift_slice v)
{
    jframe *f = &d->st[d->depth];
    if (f->kind == '[' || d->depth == 0)
        return;
    /* A JSON null is an empty value, as an absent one. */
    const sift_slice value = kind == V_LITERAL && sift_slice_eq(v, SIFT_LIT("null")) ? (sift_slice){ NULL, 0 } : v;
    if (f->role == R_PROPS_ITEM) {
        if (sift_slice_eq(f->key, SIFT_LIT("Value")) && f->slot < d->ev->n_data)
            d->s->data[f->slot].value = value;
        return;
    }
    if (d->arrays)
        return;
    /* Fields and EventData lie at most three keys deep (winlog.event_data.X). */
    sift_slice k[3];
    const size_t n = d->depth;
    if (n > 3)
        return;
    size_t joined = n ? n - 1 : 0;
    for (size_t i = 0; i < n; i++) {
        k[i] = d->st[i + 1].key;
        joined += k[i].len;
    }
    int known = 0;
    /* Every member of a wanted record comes through here: most keys are
     * no path by their length alone, which costs no compare, and most of
     * those not even the walk over the table. Paths are distinct: one
     * matches at most. */
    if (joined >= 64 || (d->s->path_lens >> joined & 1))
        for (size_t i = 0; i < N_PATHS; i++) {
            const jpath *jp = &paths[i];
            if (jp->path.len != joined || !path_is(k, n, jp->path))
                continue;
            known = 1;
            if (jp->rank < d->best[jp->fld] && take_field(d, jp, kind, v))
                d->best[jp->fld] = jp->rank;
            break;
        }
    sift_slice name;
    for (size_t i = 0; i < sizeof data_prefixes / sizeof data_prefixes[0]; i++)
        if (data_name(k, n, data_prefixes[i], &name)) {
            add_data(d, name, value, S_ECS);
            return;
        }
    if (!known && n == 1 && kind != V_CONTAINER && !nxlog_field(k[0]))
        add_data(d, k[0], value, S_NXLOG);
}

static sift_status push(decoder *d, uint8_t kind, size_t open)
{
    if (d->depth >= SIFT_EVJSON_MAX_DEPTH)
        return bad(d, SIFT_ERR_LIMIT, open, "nested deeper than SIFT_EVJSON_MAX_DEPTH (64) levels");
    const jframe *parent = &d->st[d->depth];
    jframe *f = &d->st[++d->depth];
    *f = (jframe){ kind, R_NONE, open, 0, { NULL, 0 } };
    if (kind == '[') {
        d->arrays++;
        if (d->depth == 2 && sift_slice_eq(parent->key, SIFT_LIT("Properties")))
            f->role = R_PROPS;
    } else if (parent->role == R_PROPS) {
        /* One positional item per element, Value or not: positions count. */
        f->role = R_PROPS_ITEM;
        f->slot = d->ev->n_data;
        add_data(d, (sift_slice){ NULL, 0 }, (sift_slice){ NULL, 0 }, S_PWSH);
    }
    return SIFT_OK;
}

static void pop(decoder *d, size_t close)
{
    const jframe f = d->st[d->depth--];
    if (f.kind == '[')
        d->arrays--;
    take_value(d, V_CONTAINER, sift_cur_slice(&d->c, f.open, close + 1 - f.open));
}

/* One scalar value at the cursor, to the event. */
static sift_status scalar(decoder *d)
{
    sift_cursor *c = &d->c;
    const size_t at = c->pos;
    const int v = sift_cur_peek(c);
    sift_slice text;
    sift_status st;
    if (v == '"') {
        if ((st = parse_string(d, &text)) != SIFT_OK)
            return st;
        take_value(d, V_STRING, text);
    } else if (v == '-' || (v >= '0' && v <= '9')) {
        if ((st = parse_number(d, &text)) != SIFT_OK)
            return st;
        take_value(d, V_NUMBER, text);
    } else if (sift_cur_accept(c, SIFT_LIT("true")) || sift_cur_accept(c, SIFT_LIT("false")) ||
               sift_cur_accept(c, SIFT_LIT("null"))) {
        take_value(d, V_LITERAL, sift_cur_slice(c, at, c->pos - at));
    } else {
        return bad(d, SIFT_ERR_SYNTAX, at, v < 0 ? "object not closed" : "expected a value");
    }
    return SIFT_OK;
}

/* The object in body, strictly, without recursion; values go to the event
 * as they complete. */
static sift_status parse_object(decoder *d)
{
    sift_cursor *c = &d->c;
    sift_status st;
    skip_space(c);
    if (sift_cur_peek(c) != '{')
        return bad(d, SIFT_ERR_SYNTAX, c->pos, "expected '{'");
    if ((st = push(d, '{', c->pos++)) != SIFT_OK)
        return st;
    int first = 1; /* just after '{' or '[': the close may come at once */
    while (d->depth) {
        jframe *f = &d->st[d->depth];
        skip_space(c);
        if (first && sift_cur_peek(c) == (f->kind == '{' ? '}' : ']')) {
            pop(d, c->pos++);
        } else {
            if (f->kind == '{') {
                if (sift_cur_peek(c) != '"')
                    return bad(d, SIFT_ERR_SYNTAX, c->pos, sift_cur_eof(c) ? "object not closed" : "expected a key");
                if ((st = parse_string(d, &f->key)) != SIFT_OK)
                    return st;
                skip_space(c);
                if (!sift_cur_accept_byte(c, ':'))
                    return bad(d, SIFT_ERR_SYNTAX, c->pos, "expected ':'");
                skip_space(c);
            }
            const int v = sift_cur_peek(c);
            if (v == '{' || v == '[') {
                if ((st = push(d, (uint8_t)v, c->pos++)) != SIFT_OK)
                    return st;
                first = 1;
                continue;
            }
            if ((st = scalar(d)) != SIFT_OK)
                return st;
        }
        first = 0;
        /* After a value: ',' and the next, or the close of its container. */
        while (d->depth) {
            const jframe *g = &d->st[d->depth];
            skip_space(c);
            if (sift_cur_accept_byte(c, ','))
                break;
            if (sift_cur_peek(c) != (g->kind == '{' ? '}' : ']'))
                return bad(d, SIFT_ERR_SYNTAX, c->pos, sift_cur_eof(c) ? "object not closed" : "expected ',' or a close");
            pop(d, c->pos++);
        }
    }
    skip_space(c);
    if (!sift_cur_eof(c))
        return bad(d, SIFT_ERR_SYNTAX, c->pos, "bytes after the object");
    return SIFT_OK;
}

static sift_status evjson_decode(void *state, const sift_rec *rec, sift_event *ev, sift_error *err)
{
    sift_evjson *s = state;
    *ev = (sift_event){ 0 };
    size_t body = 0;
    if (rec->bytes.len && rec->bytes.ptr[0] == '<' && syslog_json_at(rec->bytes.ptr, rec->bytes.len, 1, &body) != 1)
        return sift_fail(err, SIFT_ERR_SYNTAX, rec->offset, "not a syslog-wrapped JSON object");
    if (rec->bytes.len > MAX_RECORD)
        return sift_fail(err, SIFT_ERR_TOO_LONG, rec->offset, "object longer than SIFT_STREAM_MAX_RECORD (256 KiB)");
    if (!rec->has_id)
        return sift_fail(err, SIFT_ERR_MISSING, rec->offset, "no event id (winlog.event_id, EventID or Id)");
    decoder d;
    d.s = s;
    d.rec = rec;
    d.body = body;
    d.c = sift_cur_make(sift_slice_sub(rec->bytes, body, rec->bytes.len - body));
    d.depth = d.arrays = 0;
    d.st[0] = (jframe){ 0 };
    memset(d.best, NO_RANK, sizeof d.best);
    d.shape = S_NONE;
    d.ev = ev;
    d.err = err;
    s->used = 0;
    const sift_status st = parse_object(&d);
    if (st != SIFT_OK) {
        *ev = (sift_event){ 0 };
        return st;
    }
    /* EventData of the record's own producer only. */
    size_t k = 0;
    const size_t dropped = ev->data_dropped;
    for (size_t i = 0; i < ev->n_data; i++)
        if (s->src[i] == d.shape)
            s->data[k++] = s->data[i];
    ev->n_data = k;
    ev->data_dropped = dropped;
    ev->data = k ? s->data : NULL;
    if (body && d.best[F_COMPUTER] > RANK_SYSLOG_HOST)
        ev->computer = syslog_host(sift_slice_make(rec->bytes.ptr, body));
    ev->have |= SIFT_EV_ID;
    ev->id = rec->id;
    ev->where.offset = rec->offset;
    ev->where.line = rec->line;
    sift_event_resolve(ev);
    sift_message_fields(ev);
    return SIFT_OK;
}

/* How the records were laid out: "objects: 5 one per line", "2 pretty-printed", ... */
/* ---- behind syslog, among other lines ------------------------------------------------ */

/* A central syslog file mixes sources, so NXLog's syslog-wrapped objects
 * may come after anything: as lines of a text dump they are found by the
 * prefilter like other text records, each line framed and decoded alone,
 * with the engine's scratch as the reader's state. */
static int evjson_line_frame_lead(uint8_t b)
{
    return b == '<';
}

static int evjson_line_frame(sift_slice line)
{
    size_t at;
    return line.len > 4 && evjson_line_frame_lead(line.ptr[0]) && syslog_json_at(line.ptr, line.len, 1, &at) == 1;
}

static sift_status evjson_line_decode(void *scratch, sift_slice rec, uint64_t base, sift_event *ev, sift_error *err)
{
    sift_evjson *s = scratch;
    evjson_init(s);
    const size_t lf = sift_slice_find_byte(rec, '\n');
    sift_in in = { rec.ptr, lf < rec.len ? lf + 1 : rec.len, 0 };
    sift_rec r;
    sift_recs out = { &r, 1, 0 };
    const sift_status st = frame(s, &in, base, &out, err, 1);
    if (out.n == 0)
        return sift_is_error(st) ? st : sift_fail(err, SIFT_ERR_SYNTAX, base, "no JSON object behind the syslog prefix");
    return evjson_decode(s, &r, ev, err);
}

static size_t evjson_describe(const void *state, char *buf, size_t cap)
{
    static const char *const names[] = { "one per line", "pretty-printed", "behind a syslog prefix",
                                         "inline (several on a line)" };
    const sift_evjson *s = state;
    size_t n = 0;
    if (cap == 0 || buf == NULL)
        return 0;
    buf[0] = '\0';
    for (size_t k = 0; k < 4; k++) {
        if (!s->shapes[k] || n >= cap)
            continue;
        const int w = snprintf(buf + n, cap - n, "%s%llu %s", n ? ", " : "objects: ", (unsigned long long)s->shapes[k],
                               names[k]);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    return n < cap ? n : cap - 1;
}

static const sift_stream_ops evjson_stream = {
    .sniff = evjson_sniff,
    .state_size = sizeof(sift_evjson),
    .init = evjson_init,
    .next = evjson_next,
    .finish = evjson_finish,
    .decode = evjson_decode,
    .describe = evjson_describe,
    .skip = evjson_skip,
};

static const sift_line_ops evjson_line = {
    .frame = evjson_line_frame,
    .frame_lead = evjson_line_frame_lead,
    .scratch_size = sizeof(sift_evjson),
    .decode_in = evjson_line_decode,
};

const sift_format sift_evjson_format = {
    "json",
    "Windows events as JSON: Winlogbeat/Elastic Agent, NXLog (raw or behind syslog, also among other lines), "
    "PowerShell ConvertTo-Json",
    SIFT_PRODUCES_EVENTS, NULL, 0, &evjson_line, &evjson_stream, NULL,
};
