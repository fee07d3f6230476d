/* sift_findings.c - the NDJSON writer. */
#include "sift_findings.h"
#include "sift_text.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Four evidence paths of up to PATH_MAX bytes, each escaping to 6 bytes per
 * byte at worst, plus the bounded rest: the line can never be cut. */
#define LINE_MAX_BYTES (4u * 4096u * 6u + 16384u)

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
    char verdict[256];
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

int sift_findings_write(sift_findings *w, const sift_finding *in, int final, int flush)
{
    jbuf *j = &w->j;
    sift_finding judged = *in;
    const sift_finding *f = &judged;
    if (sift_rules[in->rule].verdict)
        sift_rules[in->rule].verdict(in->facts, &judged, w->verdict, sizeof w->verdict);
    const char *id = sift_rules[f->rule].id;
    j->n = 0;
    puts_(j, "{\"rule\":");
    put_str(j, id, strlen(id));
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
        const char *p = sift_paths_name(w->paths, f->ev[i].input);
        puts_(j, i ? ",{\"path\":" : "{\"path\":");
        put_str(j, p, strlen(p));
        if (f->ev[i].chunk)
            printf_(j, ",\"chunk\":%" PRIu32, f->ev[i].chunk - 1);
        printf_(j, ",\"offset\":%" PRIu64, f->ev[i].offset);
        if (f->ev[i].line)
            printf_(j, ",\"line\":%" PRIu64, f->ev[i].line);
        if (f->ev[i].record)
            printf_(j, ",\"record\":%" PRIu64, f->ev[i].record);
        puts_(j, "}");
    }
    puts_(j, "],\"final\":");
    put_bool(j, final);
    puts_(j, ",\"remediation\":");
    size_t rn = sift_ruleset_remediation(w->rs, f->rule, w->remediation, sizeof w->remediation);
    put_str(j, w->remediation, rn);
    puts_(j, "}\n");
    if (fwrite(j->b, 1, j->n, w->out) != j->n)
        return -1;
    if (flush && fflush(w->out) != 0)
        return -1;
    return 0;
}
