/* sift_findings.c - the NDJSON writer. */
#include "sift_findings.h"
#include "sift_text.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Paths a line may print: the evidence, the sources (with the facts'), and
 * a chain's links. */
#define LINE_PATHS (SIFT_EVIDENCE_MAX + SIFT_SOURCES_MAX + SIFT_LINKS_MAX)
/* Those paths of up to PATH_MAX bytes, each escaping to 6 bytes per byte at
 * worst, plus the bounded rest (metrics, chain texts): the line can never
 * be cut. */
#define LINE_MAX_BYTES (LINE_PATHS * 4096u * 6u + 32768u)
/* Text a verdict writes (its reasons, a chain's links). */
#define VERDICT_TEXT 2048u

typedef struct jbuf {
    char b[LINE_MAX_BYTES];
    size_t n;
} jbuf;

static void put(jbuf *j, const char *s, size_t n)
{
    if (n > sizeof j->b - 1 - j->n)
        n = sizeof j->b - 1 - j->n;
    memcpy(j->b + j->n, s, n);
    j->n += n;
}

static void puts_(jbuf *j, const char *s)
{
    put(j, s, strlen(s));
}

static void printf_(jbuf *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void printf_(jbuf *j, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(j->b + j->n, sizeof j->b - j->n, fmt, ap);
    va_end(ap);
    if (k > 0)
        j->n += (size_t)k < sizeof j->b - j->n ? (size_t)k : sizeof j->b - 1 - j->n;
}

size_t sift_json_escape(const uint8_t *s, size_t n, char *buf, size_t cap)
{
    size_t o = 0;
    if (cap == 0)
        return 0;
    for (size_t i = 0; i < n;) {
        char tmp[8];
        const char *piece = tmp;
        size_t plen, adv = 1;
        uint8_t c = s[i];
        if (c == '"' || c == '\\') {
            tmp[0] = '\\', tmp[1] = (char)c, plen = 2;
        } else if (c < 0x20) {
            plen = (size_t)snprintf(tmp, sizeof tmp, "\\u%04x", c);
        } else if (c < 0x80) {
            tmp[0] = (char)c, plen = 1;
        } else {
            size_t l = sift_utf8_len(s + i, n - i);
            if (l) {
                piece = (const char *)s + i, plen = l, adv = l;
            } else {
                piece = "\\ufffd", plen = 6;
            }
        }
        if (plen > cap - 1 - o)
            break;
        memcpy(buf + o, piece, plen);
        o += plen;
        i += adv;
    }
    buf[o] = '\0';
    return o;
}

static void put_str(jbuf *j, const char *s, size_t n)
{
    put(j, "\"", 1);
    /* Escape in place; the 2 bytes kept free are the closing quote and the NUL. */
    if (sizeof j->b - j->n > 2)
        j->n += sift_json_escape((const uint8_t *)s, n, j->b + j->n, sizeof j->b - j->n - 1);
    put(j, "\"", 1);
}

static void put_time(jbuf *j, sift_when w)
{
    if (!w.valid) {
        puts_(j, "null");
        return;
    }
    char t[40];
    size_t k = sift_time_format(w, t, sizeof t);
    put_str(j, t, k);
}

static void put_bool(jbuf *j, int v)
{
    puts_(j, v ? "true" : "false");
}

static void put_metric(jbuf *j, const sift_metric *m)
{
    put_str(j, m->name, strlen(m->name));
    puts_(j, ":");
    if (m->is_null && (m->type == SIFT_M_I64 || m->type == SIFT_M_STR || m->type == SIFT_M_BOOL)) {
        puts_(j, "null");
        return;
    }
    switch (m->type) {
    case SIFT_M_U64:
        printf_(j, "%" PRIu64, m->u);
        break;
    case SIFT_M_I64:
        printf_(j, "%" PRId64, m->i);
        break;
    case SIFT_M_BOOL:
        put_bool(j, m->u != 0);
        break;
    case SIFT_M_STR:
        put_str(j, (const char *)m->s.ptr, m->s.len);
        break;
    case SIFT_M_TIME:
        put_time(j, m->t);
        break;
    case SIFT_M_TENTHS:
        printf_(j, "%" PRIu64 ".%" PRIu64, m->u / 10, m->u % 10);
        break;
    }
}

struct sift_findings {
    FILE *out;
    const sift_ruleset *rs;
    const sift_paths *paths;
    jbuf j;
    char remediation[4096];
    char verdict[VERDICT_TEXT];
    char other[VERDICT_TEXT]; /* a sibling's verdict, to see what it absorbs */
};

sift_findings *sift_findings_create(FILE *out, const sift_ruleset *rs, const sift_paths *paths)
{
    sift_findings *w = malloc(sizeof *w);
    if (!w)
        return NULL;
    w->out = out;
    w->rs = rs;
    w->paths = paths;
    return w;
}

void sift_findings_free(sift_findings *w)
{
    free(w);
}

/* f as its rule's verdict judges it, with what is known about the host
 * and its other findings; text in buf. */
static void judge(const sift_finding *in, sift_finding *f, char *buf, size_t cap)
{
    *f = *in;
    if (sift_rules[in->rule].verdict)
        sift_rules[in->rule].verdict(in->facts, f, buf, cap);
}

/* The sibling of in whose verdict absorbs it, or NULL. */
static const sift_finding *absorbed_by(sift_findings *w, const sift_finding *in)
{
    for (size_t i = 0; i < in->n_host_findings; i++) {
        const sift_finding *s = &in->host_findings[i];
        if (s->rule == in->rule || s->severity == SIFT_SEV_NONE || !sift_rules[s->rule].verdict)
            continue;
        sift_finding by;
        judge(s, &by, w->other, sizeof w->other);
        if (by.absorbed >> in->rule & 1u)
            return s;
    }
    return NULL;
}

/* The inputs a finding drew on, without repeats, the first SIFT_SOURCES_MAX
 * kept and the rest counted. */
typedef struct sources {
    uint32_t id[SIFT_SOURCES_MAX];
    size_t n;
    uint64_t more;
} sources;

static void add_source(sources *s, uint32_t id)
{
    if (id == SIFT_PATH_NONE)
        return;
    for (size_t i = 0; i < s->n; i++)
        if (s->id[i] == id)
            return;
    if (s->n < SIFT_SOURCES_MAX)
        s->id[s->n++] = id;
    else
        s->more++;
}

static void add_sources(sources *s, const sift_finding *f)
{
    for (size_t i = 0; i < f->n_src; i++)
        add_source(s, f->src[i]);
    s->more += f->src_more;
}

/* Merge the findings f absorbed: a companion adds its inputs; a link of a
 * chain adds its metrics, its count and time range too, and is named in
 * rules[]. */
static void merge_absorbed(sift_finding *f, sources *src, const char **rules, size_t *n_rules)
{
    rules[(*n_rules)++] = sift_rules[f->rule].id;
    for (size_t i = 0; i < f->n_host_findings; i++) {
        const sift_finding *s = &f->host_findings[i];
        if (s->rule == f->rule || !(f->absorbed >> s->rule & 1u))
            continue;
        add_sources(src, s);
        if (sift_rule_printed(s->rule) == sift_rule_printed(f->rule))
            continue; /* a companion */
        rules[(*n_rules)++] = sift_rules[s->rule].id;
        for (size_t m = 0; m < s->n_m && f->n_m < SIFT_METRICS_MAX; m++)
            f->m[f->n_m++] = s->m[m];
        f->count += s->count;
        f->any_local |= s->any_local;
        if (s->first_seen.valid && (!f->first_seen.valid || sift_when_before(s->first_seen, f->first_seen)))
            f->first_seen = s->first_seen;
        if (s->last_seen.valid && (!f->last_seen.valid || sift_when_before(f->last_seen, s->last_seen)))
            f->last_seen = s->last_seen;
    }
}

static void put_evidence(sift_findings *w, const sift_evidence *ev)
{
    jbuf *j = &w->j;
    const char *p = sift_paths_name(w->paths, ev->input);
    puts_(j, "{\"path\":");
    put_str(j, p, strlen(p));
    if (ev->chunk)
        printf_(j, ",\"chunk\":%" PRIu32, ev->chunk - 1);
    printf_(j, ",\"offset\":%" PRIu64, ev->offset);
    if (ev->line)
        printf_(j, ",\"line\":%" PRIu64, ev->line);
    if (ev->record)
        printf_(j, ",\"record\":%" PRIu64, ev->record);
    puts_(j, "}");
}

int sift_findings_write(sift_findings *w, const sift_finding *in, int final, int flush)
{
    jbuf *j = &w->j;
    sift_finding judged;
    const sift_finding *f = &judged;
    /* A finding another absorbed is printed in that one's line: at the end
     * nothing of its own; early, the line it joined (a chain as it forms). */
    const sift_finding *by = absorbed_by(w, in);
    if (by && (final || sift_rule_printed(in->rule) == sift_rule_printed(by->rule)))
        return 0;
    judge(by ? by : in, &judged, w->verdict, sizeof w->verdict);
    sources src = { .n = 0 };
    add_sources(&src, &judged);
    const char *rules[SIFT_MAX_RULES];
    size_t n_rules = 0;
    merge_absorbed(&judged, &src, rules, &n_rules);
    /* What is known about the host, when the verdict drew on it. */
    const sift_host_fact *facts = judged.facts;
    if (facts && (judged.facts_used & SIFT_FACTS_OS))
        add_source(&src, facts->os_where.input);
    if (facts && (judged.facts_used & SIFT_FACTS_KBS))
        add_source(&src, facts->kbs_where.input);
    size_t printed = sift_rule_printed(f->rule);
    const char *id = sift_rules[printed].id;
    j->n = 0;
    puts_(j, "{\"rule\":");
    put_str(j, id, strlen(id));
    if (n_rules > 1) {
        puts_(j, ",\"rules\":[");
        for (size_t i = 0; i < n_rules; i++) {
            if (i)
                puts_(j, ",");
            put_str(j, rules[i], strlen(rules[i]));
        }
        puts_(j, "]");
    }
    puts_(j, ",\"severity\":");
    const char *sev = sift_severity_name(f->severity);
    put_str(j, sev, strlen(sev));
    puts_(j, ",\"host\":");
    put_str(j, f->host, f->host_len);
    puts_(j, ",\"first_seen\":");
    put_time(j, f->first_seen);
    puts_(j, ",\"last_seen\":");
    put_time(j, f->last_seen);
    puts_(j, ",\"tz\":");
    if (!f->first_seen.valid)
        puts_(j, "null");
    else
        puts_(j, f->any_local ? "\"local\"" : "\"utc\"");
    printf_(j, ",\"count\":%" PRIu64 ",\"metrics\":{", f->count);
    for (size_t i = 0; i < f->n_m; i++) {
        if (i)
            puts_(j, ",");
        put_metric(j, &f->m[i]);
    }
    puts_(j, "},\"evidence\":[");
    for (size_t i = 0; i < f->n_ev; i++) {
        if (i)
            puts_(j, ",");
        put_evidence(w, &f->ev[i]);
    }
    puts_(j, "],\"sources\":[");
    for (size_t i = 0; i < src.n; i++) {
        const char *fmt = sift_paths_format(w->paths, src.id[i]), *p = sift_paths_name(w->paths, src.id[i]);
        puts_(j, i ? ",{\"format\":" : "{\"format\":");
        if (fmt)
            put_str(j, fmt, strlen(fmt));
        else
            puts_(j, "null");
        puts_(j, ",\"path\":");
        put_str(j, p, strlen(p));
        puts_(j, "}");
    }
    puts_(j, "]");
    if (src.more)
        printf_(j, ",\"sources_more\":%" PRIu64, src.more);
    if (f->n_links) {
        puts_(j, ",\"chain\":[");
        for (size_t i = 0; i < f->n_links; i++) {
            const sift_link *l = &f->links[i];
            puts_(j, i ? ",{\"link\":" : "{\"link\":");
            put_str(j, l->name, strlen(l->name));
            puts_(j, l->holds > 0 ? ",\"holds\":true,\"says\":" : ",\"holds\":null,\"says\":");
            put_str(j, (const char *)l->says.ptr, l->says.len);
            puts_(j, ",\"evidence\":");
            if (l->has_ev)
                put_evidence(w, &l->ev);
            else
                puts_(j, "null");
            puts_(j, "}");
        }
        puts_(j, "]");
    }
    puts_(j, ",\"final\":");
    put_bool(j, final);
    puts_(j, ",\"remediation\":");
    size_t rn = sift_ruleset_remediation(w->rs, printed, w->remediation, sizeof w->remediation);
    put_str(j, w->remediation, rn);
    puts_(j, "}\n");
    if (fwrite(j->b, 1, j->n, w->out) != j->n)
        return -1;
    if (flush && fflush(w->out) != 0)
        return -1;
    return 1;
}
