/* sift_netstat.c - single-line verification of netstat / ss connection rows, table headers and host lines. */
#include "sift_netstat.h"

#include "sift_cursor.h"
#include "sift_num.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* "Fits" marker for the helpers below, which otherwise return the index of
 * the first byte that does not fit. */
#define NS_FIT ((size_t)-1)

/* Columns kept per line. The longest accepted shape (Linux with -e, -p and
 * -o) needs 11; anything past the kept ones is only counted. */
#define NS_MAX_TOKENS 12u

#define NS_MAX_WORD 32u    /* longest state word: SCHLIESSEN_WARTEN is 17 */
#define NS_MAX_V6 45u      /* INET6_ADDRSTRLEN - 1 */
#define NS_MAX_ZONE 64u    /* Windows zones are numbers, Linux ones IFNAMSIZ */
#define NS_MAX_SERVICE 64u /* /etc/services names are far shorter */
#define NS_MAX_HOST 255u   /* DNS name limit, as the header promises */

typedef struct ns_tokens {
    sift_slice tok[NS_MAX_TOKENS];
    size_t n; /* every column in the line, kept or not */
} ns_tokens;

typedef struct ns_addr {
    uint32_t port;
    uint8_t has_port;
} ns_addr;

/* ---- state words ------------------------------------------------------ */

/* One table for every spelling: Windows (English and Japanese share it),
 * Linux netstat, ss, PowerShell PascalCase (matched through the ASCII
 * case-insensitive compare, so TimeWait is TIMEWAIT), and German Windows.
 * ABHÖREN comes in UTF-8, in CP850 (cmd redirection on de-DE) and in CP1252,
 * because 8-bit text reaches this module untranscoded. The German words
 * other than ABHÖREN and HERGESTELLT are unverified (reference C.8 [M]). */
typedef struct ns_state_word {
    sift_slice word;
    sift_tcp_state st;
} ns_state_word;

/* Brace initializer for a slice over a literal (SIFT_LIT is a compound
 * literal, which static tables cannot use in strict C11). */
#define NS_S(s) { (const uint8_t *)("" s), sizeof(s) - 1 }
#define NS_W(s, st) { NS_S(s), st }

static const ns_state_word ns_states[] = {
    /* First, because the engine parses only the rows it found by these. */
    NS_W("TIME_WAIT", SIFT_TCP_TIME_WAIT),
    NS_W("TIME-WAIT", SIFT_TCP_TIME_WAIT),
    NS_W("TIMEWAIT", SIFT_TCP_TIME_WAIT),
    NS_W("WARTEND", SIFT_TCP_TIME_WAIT),
    NS_W("LISTENING", SIFT_TCP_LISTEN),
    NS_W("LISTEN", SIFT_TCP_LISTEN),
    NS_W("ABH\xC3\x96REN", SIFT_TCP_LISTEN),
    NS_W("ABH\x99REN", SIFT_TCP_LISTEN),
    NS_W("ABH\xD6REN", SIFT_TCP_LISTEN),
    NS_W("SYN_SENT", SIFT_TCP_SYN_SENT),
    NS_W("SYN-SENT", SIFT_TCP_SYN_SENT),
    NS_W("SYNSENT", SIFT_TCP_SYN_SENT),
    NS_W("SYN_GESENDET", SIFT_TCP_SYN_SENT),
    NS_W("SYN_RECEIVED", SIFT_TCP_SYN_RECEIVED),
    NS_W("SYN_RECV", SIFT_TCP_SYN_RECEIVED),
    NS_W("SYN-RECV", SIFT_TCP_SYN_RECEIVED),
    NS_W("SYNRECEIVED", SIFT_TCP_SYN_RECEIVED),
    NS_W("SYN_EMPFANGEN", SIFT_TCP_SYN_RECEIVED),
    NS_W("ESTABLISHED", SIFT_TCP_ESTABLISHED),
    NS_W("ESTAB", SIFT_TCP_ESTABLISHED),
    NS_W("HERGESTELLT", SIFT_TCP_ESTABLISHED),
    NS_W("FIN_WAIT_1", SIFT_TCP_FIN_WAIT_1),
    NS_W("FIN_WAIT1", SIFT_TCP_FIN_WAIT_1),
    NS_W("FIN-WAIT-1", SIFT_TCP_FIN_WAIT_1),
    NS_W("FINWAIT1", SIFT_TCP_FIN_WAIT_1),
    NS_W("FIN_WARTEN_1", SIFT_TCP_FIN_WAIT_1),
    NS_W("FIN_WAIT_2", SIFT_TCP_FIN_WAIT_2),
    NS_W("FIN_WAIT2", SIFT_TCP_FIN_WAIT_2),
    NS_W("FIN-WAIT-2", SIFT_TCP_FIN_WAIT_2),
    NS_W("FINWAIT2", SIFT_TCP_FIN_WAIT_2),
    NS_W("FIN_WARTEN_2", SIFT_TCP_FIN_WAIT_2),
    NS_W("CLOSE_WAIT", SIFT_TCP_CLOSE_WAIT),
    NS_W("CLOSE-WAIT", SIFT_TCP_CLOSE_WAIT),
    NS_W("CLOSEWAIT", SIFT_TCP_CLOSE_WAIT),
    NS_W("SCHLIESSEN_WARTEN", SIFT_TCP_CLOSE_WAIT),
    NS_W("CLOSING", SIFT_TCP_CLOSING),
    NS_W("LAST_ACK", SIFT_TCP_LAST_ACK),
    NS_W("LAST-ACK", SIFT_TCP_LAST_ACK),
    NS_W("LASTACK", SIFT_TCP_LAST_ACK),
    NS_W("CLOSED", SIFT_TCP_CLOSED),
    NS_W("CLOSE", SIFT_TCP_CLOSED),
    NS_W("GESCHLOSSEN", SIFT_TCP_CLOSED),
    NS_W("BOUND", SIFT_TCP_BOUND),
    /* ss prints UNCONN for every socket without a peer (all of -u, closed
     * TCP): it is the absence of a connection state, like Windows UDP. */
    NS_W("UNCONN", SIFT_TCP_NONE),
};

sift_tcp_state sift_netstat_state(sift_slice word)
{
    if (word.len == 0)
        return SIFT_TCP_NONE;
    /* Length and first letter rule out nearly every entry without a loop. */
    const uint8_t first = sift_ascii_lower(word.ptr[0]);
    for (size_t i = 0; i < sizeof ns_states / sizeof ns_states[0]; i++) {
        const ns_state_word *w = &ns_states[i];
        if (w->word.len == word.len && sift_ascii_lower(w->word.ptr[0]) == first && sift_slice_eq_nocase(word, w->word))
            return w->st;
    }
    return SIFT_TCP_OTHER;
}

/* ---- bytes ------------------------------------------------------------ */

static int ns_is_digit(int b)
{
    return b >= '0' && b <= '9';
}

static int ns_is_alpha(int b)
{
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

static int ns_is_hex(int b)
{
    return ns_is_digit(b) || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
}

/* Interface names, host names and service names share this set. */
static int ns_is_name_byte(int b)
{
    return ns_is_alpha(b) || ns_is_digit(b) || b == '-' || b == '_' || b == '.';
}

static int ns_is_name(sift_slice s)
{
    if (s.len == 0)
        return 0;
    for (size_t i = 0; i < s.len; i++)
        if (!ns_is_name_byte(s.ptr[i]))
            return 0;
    return 1;
}

static int ns_all_digits(sift_slice s)
{
    if (s.len == 0)
        return 0;
    for (size_t i = 0; i < s.len; i++)
        if (!ns_is_digit(s.ptr[i]))
            return 0;
    return 1;
}

/* Offset of a sub-slice from the start of the line it was cut from. */
static size_t ns_off(sift_slice line, sift_slice part)
{
    return part.len ? (size_t)(part.ptr - line.ptr) : line.len;
}

/* Without trailing blanks and line-end bytes, so that LF and CRLF input and
 * padded columns (Windows pads the empty UDP state) read the same. */
static sift_slice ns_chomp(sift_slice s)
{
    size_t n = s.len;
    while (n > 0) {
        uint8_t b = s.ptr[n - 1];
        if (b != ' ' && b != '\t' && b != '\r' && b != '\n')
            break;
        n--;
    }
    return sift_slice_make(s.ptr, n);
}

/* Split at runs of blanks. Other control bytes never occur in a table, and
 * refusing them keeps a stray CR or NUL from hiding inside a column. Both
 * versions return NS_FIT, or the offset of the first control byte. */
static size_t ns_tokenize_bytes(sift_slice line, ns_tokens *t)
{
    const size_t n = line.len;
    size_t i = 0;
    t->n = 0;
    for (;;) {
        while (i < n && (line.ptr[i] == ' ' || line.ptr[i] == '\t'))
            i++;
        if (i == n)
            return NS_FIT;
        size_t start = i;
        for (; i < n; i++) {
            uint8_t b = line.ptr[i];
            if (b == ' ' || b == '\t')
                break;
            if (b < 0x20 || b == 0x7f)
                return i;
        }
        if (t->n < NS_MAX_TOKENS)
            t->tok[t->n] = sift_slice_make(line.ptr + start, i - start);
        t->n++;
    }
}

#if defined(__SSE2__)
/* This runs on every TIME_WAIT row of every dump, and a byte loop over
 * padded columns mispredicts at every column edge. Rows are short, so the
 * line is copied into a blank-padded buffer (never reading past the caller's
 * bytes), classified 16 bytes per compare into bit masks, and the columns
 * are read off the masks' edges. */
#define NS_FAST_LINE 128u

static size_t ns_tokenize_masks(sift_slice line, ns_tokens *t)
{
    uint8_t buf[NS_FAST_LINE];
    memset(buf, ' ', sizeof buf);
    if (line.len)
        memcpy(buf, line.ptr, line.len);
    const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
    const __m128i c1f = _mm_set1_epi8(0x1f), del = _mm_set1_epi8(0x7f);
    uint64_t word[2] = { 0, 0 }, ctrl[2] = { 0, 0 }; /* word: not a blank */
    for (unsigned k = 0; k < NS_FAST_LINE / 16; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(buf + 16 * k));
        __m128i is_tab = _mm_cmpeq_epi8(x, tab);
        __m128i blank = _mm_or_si128(_mm_cmpeq_epi8(x, sp), is_tab);
        __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(x, c1f), x); /* x <= 0x1f */
        __m128i bad = _mm_andnot_si128(is_tab, _mm_or_si128(low, _mm_cmpeq_epi8(x, del)));
        unsigned shift = 16 * (k % 4);
        word[k / 4] |= (uint64_t)(uint16_t)~_mm_movemask_epi8(blank) << shift;
        ctrl[k / 4] |= (uint64_t)(uint16_t)_mm_movemask_epi8(bad) << shift;
    }
    if (ctrl[0])
        return (size_t)__builtin_ctzll(ctrl[0]);
    if (ctrl[1])
        return 64 + (size_t)__builtin_ctzll(ctrl[1]);
    t->n = 0;
    size_t start = 0;
    for (unsigned w = 0; w < 2; w++) {
        uint64_t m = word[w];
        uint64_t before = w ? word[0] >> 63 : 0; /* the bit left of bit 0 */
        uint64_t after = w ? 0 : word[1] << 63;  /* the bit right of bit 63 */
        uint64_t starts = m & ~((m << 1) | before);
        uint64_t lasts = m & ~((m >> 1) | after);
        /* Starts and last bytes alternate; a one-byte column has both. */
        while (starts | lasts) {
            if (starts && (!lasts || __builtin_ctzll(starts) <= __builtin_ctzll(lasts))) {
                start = 64 * w + (size_t)__builtin_ctzll(starts);
                starts &= starts - 1;
            } else {
                size_t end = 64 * w + (size_t)__builtin_ctzll(lasts) + 1;
                lasts &= lasts - 1;
                if (t->n < NS_MAX_TOKENS)
                    t->tok[t->n] = sift_slice_make(line.ptr + start, end - start);
                t->n++;
            }
        }
    }
    return NS_FIT;
}
#endif

static size_t ns_tokenize(sift_slice line, ns_tokens *t)
{
#if defined(__SSE2__)
    if (line.len <= NS_FAST_LINE)
        return ns_tokenize_masks(line, t);
#endif
    return ns_tokenize_bytes(line, t);
}

/* Column i, or the empty slice past the end (every validator refuses it). */
static sift_slice ns_tok(const ns_tokens *t, size_t i)
{
    return (i < t->n && i < NS_MAX_TOKENS) ? t->tok[i] : (sift_slice){ NULL, 0 };
}

/* A state column: starts with a letter (or a non-ASCII byte, for localised
 * words), then letters, digits, '_' and '-'. Numbers and addresses never
 * qualify, which is what tells "TCP a b 1234" (no state) from a real state. */
static int ns_is_word(sift_slice w)
{
    if (w.len == 0 || w.len > NS_MAX_WORD)
        return 0;
    if (!ns_is_alpha(w.ptr[0]) && w.ptr[0] < 0x80)
        return 0;
    for (size_t i = 1; i < w.len; i++) {
        uint8_t b = w.ptr[i];
        if (!ns_is_alpha(b) && !ns_is_digit(b) && b != '_' && b != '-' && b < 0x80)
            return 0;
    }
    return 1;
}

/* ---- addresses -------------------------------------------------------- */

/* Dotted quad, each part 1-3 digits up to 255. */
static size_t ns_ipv4(sift_slice s)
{
    sift_cursor c = sift_cur_make(s);
    for (int part = 0; part < 4; part++) {
        if (part > 0 && !sift_cur_accept_byte(&c, '.'))
            return c.pos;
        size_t start = c.pos;
        unsigned v = 0;
        while (c.pos - start < 3 && ns_is_digit(sift_cur_peek(&c))) {
            v = v * 10 + (unsigned)(sift_cur_peek(&c) - '0');
            c.pos++;
        }
        if (c.pos == start || v > 255)
            return start;
    }
    return sift_cur_eof(&c) ? NS_FIT : c.pos;
}

/* IPv6 text, checked loosely: hex digits, ':' and '.' (IPv4-mapped tails),
 * at least two colons. Linux netstat cuts long addresses to fit its column,
 * so a stricter grammar would refuse real rows. */
static size_t ns_ipv6(sift_slice s)
{
    if (s.len < 2 || s.len > NS_MAX_V6)
        return 0;
    size_t colons = 0;
    for (size_t i = 0; i < s.len; i++) {
        uint8_t b = s.ptr[i];
        if (b == ':')
            colons++;
        else if (!ns_is_hex(b) && b != '.')
            return i;
    }
    return colons >= 2 ? NS_FIT : 0;
}

/* "%zone" after an address: "%12" (Windows), "%eth0" / "%lo" (ss). */
static size_t ns_zone(sift_slice z)
{
    if (z.len == 0 || z.len > NS_MAX_ZONE)
        return 0;
    for (size_t i = 0; i < z.len; i++)
        if (!ns_is_name_byte(z.ptr[i]))
            return i;
    return NS_FIT;
}

/* A resolved name, as netstat without -n prints it ("localhost",
 * "kbrazil-ubuntu", "api", "web01.corp.example.com"): DNS letters only,
 * starting with a letter or digit, with a letter somewhere (so that a
 * mangled address is not one). */
static int ns_hostname(sift_slice h)
{
    if (h.len > 253 || !ns_is_name(h) || !(ns_is_alpha(h.ptr[0]) || ns_is_digit(h.ptr[0])))
        return 0;
    for (size_t i = 0; i < h.len; i++)
        if (ns_is_alpha(h.ptr[i]))
            return 1;
    return 0;
}

/* Host part of an address, with an optional %zone: '*', IPv4, a resolved
 * name, or (v6) IPv6. */
static size_t ns_host(sift_slice h, int v6)
{
    size_t pct = sift_slice_find_byte(h, '%');
    if (pct < h.len) {
        size_t bad = ns_zone(sift_slice_sub(h, pct + 1, h.len));
        if (bad != NS_FIT)
            return pct + 1 + bad;
    }
    sift_slice addr = sift_slice_make(h.ptr, pct);
    if (v6)
        return ns_ipv6(addr);
    if (addr.len == 1 && addr.ptr[0] == '*')
        return NS_FIT;
    size_t bad = ns_ipv4(addr);
    return bad == NS_FIT || ns_hostname(addr) ? NS_FIT : bad;
}

/* '*', a decimal port 0-65535, or a service name (ss and netstat without -n
 * print "ssh", "zabbix-agent", "3com-tsmux"): then there is no number. */
static size_t ns_port(sift_slice p, ns_addr *a)
{
    a->port = 0;
    a->has_port = 0;
    if (p.len == 1 && p.ptr[0] == '*')
        return NS_FIT;
    if (ns_all_digits(p)) {
        uint64_t v;
        if (p.len > 5 || sift_num_u64(p, &v) != SIFT_OK || v > 65535)
            return 0;
        a->port = (uint32_t)v;
        a->has_port = 1;
        return NS_FIT;
    }
    if (p.len == 0 || p.len > NS_MAX_SERVICE || !(ns_is_alpha(p.ptr[0]) || ns_is_digit(p.ptr[0])))
        return 0;
    int letter = 0;
    for (size_t i = 0; i < p.len; i++) {
        if (!ns_is_name_byte(p.ptr[i]) && p.ptr[i] != '+')
            return i;
        letter |= ns_is_alpha(p.ptr[i]);
    }
    return letter ? NS_FIT : 0;
}

/* An address column as netstat or ss prints it:
 *   10.1.2.15:50112   *:*   0.0.0.0:*   127.0.0.53%lo:53      (IPv4, any)
 *   [::]:135   [fe80::1%12]:135   [fe80::1]%eth0:22            (bracketed)
 *   :::443   :::*   ::ffff:10.0.0.1:80   fe80::1%eth0:22        (bare IPv6)
 * Bare IPv6 has its port after the last colon. */
static size_t ns_addr_parse(sift_slice a, ns_addr *out)
{
    if (a.len == 0)
        return 0;
    if (a.ptr[0] == '[') {
        size_t close = sift_slice_find_byte(a, ']');
        if (close == a.len)
            return a.len;
        size_t bad = ns_host(sift_slice_sub(a, 1, close - 1), 1);
        if (bad != NS_FIT)
            return 1 + bad;
        sift_cursor c = sift_cur_make(a);
        c.pos = close + 1;
        if (sift_cur_accept_byte(&c, '%')) {
            sift_slice rest = sift_cur_rest(&c);
            size_t colon = sift_slice_find_byte(rest, ':');
            bad = ns_zone(sift_slice_make(rest.ptr, colon));
            if (bad != NS_FIT)
                return c.pos + bad;
            c.pos += colon;
        }
        if (!sift_cur_accept_byte(&c, ':'))
            return c.pos;
        bad = ns_port(sift_cur_rest(&c), out);
        return bad == NS_FIT ? NS_FIT : c.pos + bad;
    }
    size_t last = a.len;
    size_t colons = 0;
    for (size_t i = 0; i < a.len; i++) {
        if (a.ptr[i] == ':') {
            last = i;
            colons++;
        }
    }
    if (colons == 0)
        return 0;
    size_t bad = ns_host(sift_slice_make(a.ptr, last), colons > 1);
    if (bad != NS_FIT)
        return bad;
    bad = ns_port(sift_slice_sub(a, last + 1, a.len), out);
    return bad == NS_FIT ? NS_FIT : last + 1 + bad;
}

/* ---- rows ------------------------------------------------------------- */

/* Column parsers return NS_FIT or the line offset of the first misfit, and
 * set *why to a static explanation. */

static size_t ns_col_addr(sift_slice line, sift_slice tok, ns_addr *a, const char **why)
{
    size_t bad = ns_addr_parse(tok, a);
    if (bad == NS_FIT)
        return NS_FIT;
    *why = "not an address:port column";
    return ns_off(line, tok) + (bad < tok.len ? bad : tok.len);
}

static size_t ns_col_digits(sift_slice line, sift_slice tok, const char **why)
{
    uint64_t v;
    if (sift_num_u64(tok, &v) == SIFT_OK)
        return NS_FIT;
    *why = "queue column is not a number";
    return ns_off(line, tok);
}

static int ns_proto(sift_slice p, uint8_t *tcp)
{
    static const sift_slice tcps[] = { NS_S("tcp"), NS_S("tcp6"), NS_S("tcpv6") };
    static const sift_slice udps[] = { NS_S("udp"), NS_S("udp6"), NS_S("udpv6") };
    for (size_t i = 0; i < sizeof tcps / sizeof tcps[0]; i++) {
        if (sift_slice_eq_nocase(p, tcps[i])) {
            *tcp = 1;
            return 1;
        }
        if (sift_slice_eq_nocase(p, udps[i])) {
            *tcp = 0;
            return 1;
        }
    }
    return 0;
}

/* Local and foreign columns at i and i + 1. */
static size_t ns_addrs(sift_slice line, const ns_tokens *t, size_t i, sift_ns_row *r, const char **why)
{
    ns_addr local = { 0 }, foreign = { 0 };
    r->local = ns_tok(t, i);
    r->foreign = ns_tok(t, i + 1);
    size_t bad = ns_col_addr(line, r->local, &local, why);
    if (bad == NS_FIT)
        bad = ns_col_addr(line, r->foreign, &foreign, why);
    r->local_port = local.port;
    r->has_local_port = local.has_port;
    return bad;
}

/* Windows: Proto Local Foreign State [PID]; UDP has no state. Nothing may
 * follow the PID, which is what keeps prose out. */
static size_t ns_row_windows(sift_slice line, const ns_tokens *t, sift_ns_row *r, const char **why)
{
    r->shape = SIFT_NS_WINDOWS;
    size_t bad = ns_addrs(line, t, 1, r, why);
    if (bad != NS_FIT)
        return bad;
    size_t i = 3;
    if (r->tcp) {
        sift_slice st = ns_tok(t, i);
        if (!ns_is_word(st)) {
            *why = "TCP row without a state column";
            return ns_off(line, st);
        }
        r->state = st;
        i++;
    }
    sift_slice pid = ns_tok(t, i);
    uint64_t v;
    if (pid.len) {
        if (pid.len > 10 || sift_num_u64(pid, &v) != SIFT_OK || v > UINT32_MAX) {
            *why = "PID column is not a number";
            return ns_off(line, pid);
        }
        i++;
    }
    if (i != t->n) {
        *why = "too many columns";
        return ns_off(line, ns_tok(t, i));
    }
    return NS_FIT;
}

/* The Linux columns after State: -e "User Inode", -p "PID/Program name" (the
 * name may hold blanks, so anything after "1234/" belongs to it), -o
 * "Timer" as "off (0.00/0/0)". */
static size_t ns_linux_tail(sift_slice line, const ns_tokens *t, size_t i, const char **why)
{
    static const sift_slice timers[] = { NS_S("off"), NS_S("on"), NS_S("keepalive"),
                                         NS_S("timewait"), NS_S("probe"), NS_S("unkn") };
    sift_slice a = ns_tok(t, i), b = ns_tok(t, i + 1);
    if (ns_is_name(a) && ns_all_digits(b)) {
        i += 2;
        a = ns_tok(t, i);
        b = ns_tok(t, i + 1);
    }
    if (a.len == 1 && a.ptr[0] == '-') {
        i++;
        a = ns_tok(t, i);
        b = ns_tok(t, i + 1);
    } else if (a.len > 1 && ns_is_digit(a.ptr[0])) {
        size_t slash = sift_slice_find_byte(a, '/');
        if (slash < a.len && ns_all_digits(sift_slice_make(a.ptr, slash)))
            return NS_FIT;
    }
    if (a.len && b.len >= 2 && b.ptr[0] == '(' && b.ptr[b.len - 1] == ')' && i + 2 == t->n) {
        for (size_t k = 0; k < sizeof timers / sizeof timers[0]; k++)
            if (sift_slice_eq(a, timers[k]))
                return NS_FIT;
    }
    if (i == t->n)
        return NS_FIT;
    *why = "too many columns";
    return ns_off(line, a);
}

/* Linux netstat: Proto Recv-Q Send-Q Local Foreign State [tail]. UDP rows
 * have a state only when connected. */
static size_t ns_row_linux(sift_slice line, const ns_tokens *t, sift_ns_row *r, const char **why)
{
    r->shape = SIFT_NS_LINUX;
    size_t bad = ns_col_digits(line, ns_tok(t, 1), why);
    if (bad == NS_FIT)
        bad = ns_col_digits(line, ns_tok(t, 2), why);
    if (bad == NS_FIT)
        bad = ns_addrs(line, t, 3, r, why);
    if (bad != NS_FIT)
        return bad;
    size_t i = 5;
    sift_slice st = ns_tok(t, i);
    if (r->tcp) {
        if (!ns_is_word(st)) {
            *why = "TCP row without a state column";
            return ns_off(line, st);
        }
    } else if (!ns_is_word(st) || sift_netstat_state(st) == SIFT_TCP_OTHER) {
        st = (sift_slice){ NULL, 0 };
    }
    if (st.len) {
        r->state = st;
        i++;
    }
    return ns_linux_tail(line, t, i, why);
}

/* ss: [Netid] State Recv-Q Send-Q Local Peer [Process]. ss has a fixed set
 * of state names, so an unknown word is not a state here. Whatever follows
 * Peer must start like an ss extra ("users:((", "timer:(", "uid:", "ino:"),
 * and then the rest is its business (process names may hold blanks). */
static size_t ns_row_ss(sift_slice line, const ns_tokens *t, size_t i, sift_ns_row *r, const char **why)
{
    r->shape = SIFT_NS_SS;
    sift_slice st = ns_tok(t, i);
    r->state = st;
    r->st = sift_netstat_state(st);
    if (!ns_is_word(st) || (r->st == SIFT_TCP_OTHER && !sift_slice_eq(st, SIFT_LIT("UNKNOWN")))) {
        *why = "not an ss state";
        return ns_off(line, st);
    }
    size_t bad = ns_col_digits(line, ns_tok(t, i + 1), why);
    if (bad == NS_FIT)
        bad = ns_col_digits(line, ns_tok(t, i + 2), why);
    if (bad == NS_FIT)
        bad = ns_addrs(line, t, i + 3, r, why);
    if (bad != NS_FIT)
        return bad;
    i += 5;
    if (i == t->n)
        return NS_FIT;
    sift_slice x = ns_tok(t, i);
    size_t k = 0;
    while (k < x.len && (ns_is_alpha(x.ptr[k]) || x.ptr[k] == '_'))
        k++;
    if (k > 0 && k < x.len && x.ptr[k] == ':')
        return NS_FIT;
    *why = "too many columns";
    return ns_off(line, x);
}

/* Get-NetTCPConnection's address column: an IPv4 or IPv6 address without a
 * port (a %zone allowed), or one the console cut to its column width, whose
 * last bytes are then "..." (Windows PowerShell) or "…" (PowerShell 7). A
 * cut address keeps at least one byte of the address. */
static size_t ns_pwsh_addr(sift_slice a)
{
    static const sift_slice cuts[] = { NS_S("..."), NS_S("\xE2\x80\xA6") };
    /* An address starts with a digit or a colon, cut or not (the TIME_WAIT
     * check reads rows by their first byte). */
    if (a.len == 0 || (!ns_is_hex(a.ptr[0]) && a.ptr[0] != ':'))
        return 0;
    for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
        if (a.len > cuts[k].len && sift_slice_eq(sift_slice_sub(a, a.len - cuts[k].len, cuts[k].len), cuts[k])) {
            for (size_t i = 0; i < a.len - cuts[k].len; i++)
                if (!ns_is_hex(a.ptr[i]) && a.ptr[i] != ':' && a.ptr[i] != '.' && a.ptr[i] != '%')
                    return i;
            return NS_FIT;
        }
    }
    /* Addresses only: this view never resolves names. */
    if (sift_slice_find_byte(a, ':') < a.len)
        return ns_host(a, 1);
    return ns_ipv4(a);
}

/* PowerShell's AppliedSetting values (TCP settings templates). */
static int ns_pwsh_setting(sift_slice w)
{
    static const sift_slice settings[] = { NS_S("Internet"), NS_S("Datacenter"), NS_S("Compat"),
                                           NS_S("InternetCustom"), NS_S("DatacenterCustom") };
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
        if (sift_slice_eq_nocase(w, settings[i]))
            return 1;
    return 0;
}

/* Get-NetTCPConnection's table view: LocalAddress LocalPort RemoteAddress
 * RemotePort State [AppliedSetting] [OwningProcess]. The state must be a
 * known one (or DeleteTCB): nothing else tells these rows from a line of
 * numbers and words. */
static size_t ns_row_pwsh(sift_slice line, const ns_tokens *t, sift_ns_row *r, const char **why)
{
    r->shape = SIFT_NS_PWSH;
    r->tcp = 1;
    r->local = ns_tok(t, 0);
    r->foreign = ns_tok(t, 2);
    ns_addr local = { 0 }, foreign = { 0 };
    size_t bad = ns_pwsh_addr(r->local);
    if (bad != NS_FIT) {
        *why = "not an address column";
        return ns_off(line, r->local) + bad;
    }
    bad = ns_port(ns_tok(t, 1), &local);
    if (bad != NS_FIT || !local.has_port) {
        *why = "not a port column";
        return ns_off(line, ns_tok(t, 1));
    }
    bad = ns_pwsh_addr(r->foreign);
    if (bad != NS_FIT) {
        *why = "not an address column";
        return ns_off(line, r->foreign) + bad;
    }
    bad = ns_port(ns_tok(t, 3), &foreign);
    if (bad != NS_FIT || !foreign.has_port) {
        *why = "not a port column";
        return ns_off(line, ns_tok(t, 3));
    }
    r->local_port = local.port;
    r->has_local_port = 1;
    sift_slice st = ns_tok(t, 4);
    if (!ns_is_word(st) ||
        (sift_netstat_state(st) == SIFT_TCP_OTHER && !sift_slice_eq_nocase(st, SIFT_LIT("DeleteTCB")))) {
        *why = "not a Get-NetTCPConnection state";
        return ns_off(line, st);
    }
    r->state = st;
    size_t i = 5;
    if (ns_pwsh_setting(ns_tok(t, i)))
        i++;
    sift_slice pid = ns_tok(t, i);
    uint64_t v;
    if (pid.len && pid.len <= 10 && sift_num_u64(pid, &v) == SIFT_OK && v <= UINT32_MAX)
        i++;
    if (i != t->n) {
        *why = "too many columns";
        return ns_off(line, ns_tok(t, i));
    }
    return NS_FIT;
}

sift_status sift_netstat_row(sift_slice line, uint64_t base, sift_ns_row *row, sift_error *err)
{
    if (line.len > SIFT_NETSTAT_MAX_LINE)
        return sift_fail(err, SIFT_ERR_SYNTAX, base + SIFT_NETSTAT_MAX_LINE, "line too long");
    line = ns_chomp(line);
    ns_tokens t;
    size_t bad = ns_tokenize(line, &t);
    if (bad != NS_FIT)
        return sift_fail(err, SIFT_ERR_SYNTAX, base + bad, "control byte in a row");
    sift_ns_row r = { 0 };
    const char *why = "not a connection row";
    sift_slice t0 = ns_tok(&t, 0), t1 = ns_tok(&t, 1);
    if (t.n < 3) {
        bad = line.len;
        why = "too few columns";
    } else if (ns_proto(t0, &r.tcp)) {
        r.proto = t0;
        if (ns_all_digits(t1)) {
            bad = ns_row_linux(line, &t, &r, &why);
        } else if (ns_is_word(t1) && ns_all_digits(ns_tok(&t, 2))) {
            /* ss -a / -u print only these two Netids for inet sockets. */
            if (!sift_slice_eq_nocase(t0, SIFT_LIT("tcp")) && !sift_slice_eq_nocase(t0, SIFT_LIT("udp"))) {
                bad = 0;
                why = "not an ss Netid";
            } else {
                bad = ns_row_ss(line, &t, 1, &r, &why);
            }
        } else {
            bad = ns_row_windows(line, &t, &r, &why);
        }
    } else if (ns_is_word(t0)) {
        bad = ns_row_ss(line, &t, 0, &r, &why);
        /* Without a Netid only the state tells: ss prints UNCONN for every
         * unconnected UDP socket, and -t is what people run otherwise. */
        r.tcp = r.st != SIFT_TCP_NONE;
    } else if (ns_all_digits(t1)) {
        /* An address, then a bare port: Get-NetTCPConnection. */
        bad = ns_row_pwsh(line, &t, &r, &why);
    } else {
        bad = 0;
    }
    if (bad != NS_FIT)
        return sift_fail(err, SIFT_ERR_SYNTAX, base + bad, why);
    r.st = sift_netstat_state(r.state);
    *row = r;
    return SIFT_OK;
}

/* ---- headers ---------------------------------------------------------- */

/* What may follow a matched title or header. */
typedef enum ns_after {
    NS_AFTER_NOTHING, /* titles */
    NS_AFTER_PAREN,   /* "Active Internet connections (w/o servers)" */
    NS_AFTER_COLUMNS, /* headers: more column names (PID, Offload State, ...) */
} ns_after;

typedef struct ns_pattern {
    sift_slice text;
    uint8_t after;  /* ns_after */
    uint8_t nocase; /* 0 for CP932, whose trail bytes include ASCII letters */
} ns_pattern;

#define NS_P(s, after, nocase) { NS_S(s), after, nocase }

/* A blank in a pattern stands for any run of blanks, including none: column
 * spacing varies with the widest value, and fixtures glue words
 * ("Peer Address:PortProcess"). The CP932 lines are what cmd redirection
 * writes on ja-JP; rows there are ASCII and need no variant. */
static const ns_pattern ns_headers[] = {
    NS_P("Active Connections", NS_AFTER_NOTHING, 1),
    NS_P("Aktive Verbindungen", NS_AFTER_NOTHING, 1),
    NS_P("アクティブな接続", NS_AFTER_NOTHING, 0),
    NS_P("\x83\x41\x83\x4e\x83\x65\x83\x42\x83\x75\x82\xc8\x90\xda\x91\xb1", NS_AFTER_NOTHING, 0),
    /* Other Windows display languages, UTF-8 (cmd's own code pages are for
     * the decoder to undo). Titles: es, fr, it, pt-BR, pt-PT, ru, zh-CN,
     * zh-TW (Windows 10 and 11 wordings), ko. */
    NS_P("Conexiones activas", NS_AFTER_NOTHING, 1),
    NS_P("Connexions actives", NS_AFTER_NOTHING, 1),
    NS_P("Connessioni attive", NS_AFTER_NOTHING, 1),
    NS_P("Conexões ativas", NS_AFTER_NOTHING, 1),
    NS_P("Ligações ativas", NS_AFTER_NOTHING, 1),
    NS_P("Ligações activas", NS_AFTER_NOTHING, 1),
    NS_P("Активные подключения", NS_AFTER_NOTHING, 0),
    NS_P("活动连接", NS_AFTER_NOTHING, 0),
    NS_P("使用中連線", NS_AFTER_NOTHING, 0),
    NS_P("作用中的連線", NS_AFTER_NOTHING, 0),
    NS_P("활성 연결", NS_AFTER_NOTHING, 0),
    NS_P("Active Internet connections", NS_AFTER_PAREN, 1),
    NS_P("Proto Local Address Foreign Address State", NS_AFTER_COLUMNS, 1),
    NS_P("Proto Lokale Adresse Remoteadresse Status", NS_AFTER_COLUMNS, 1),
    NS_P("Proto Dirección local Dirección remota Estado", NS_AFTER_COLUMNS, 1),
    NS_P("Proto Adresse locale Adresse distante État", NS_AFTER_COLUMNS, 1),
    NS_P("Proto Indirizzo locale Indirizzo esterno Stato", NS_AFTER_COLUMNS, 1),
    NS_P("Proto Endereço local Endereço externo Estado", NS_AFTER_COLUMNS, 1),
    NS_P("Proto Endereço local Endereço remoto Estado", NS_AFTER_COLUMNS, 1),
    NS_P("Имя Локальный адрес Внешний адрес Состояние", NS_AFTER_COLUMNS, 0),
    NS_P("协议 本地地址 外部地址 状态", NS_AFTER_COLUMNS, 0),
    NS_P("協定 本機位址 外部位址 狀態", NS_AFTER_COLUMNS, 0),
    NS_P("프로토콜 로컬 주소 외부 주소 상태", NS_AFTER_COLUMNS, 0),
    /* Get-NetTCPConnection's table view; AppliedSetting and OwningProcess
     * follow, or were dropped for the console's width. */
    NS_P("LocalAddress LocalPort RemoteAddress RemotePort State", NS_AFTER_COLUMNS, 1),
    NS_P("Proto Recv-Q Send-Q Local Address Foreign Address State", NS_AFTER_COLUMNS, 1),
    NS_P("プロトコル ローカル アドレス", NS_AFTER_COLUMNS, 0),
    NS_P("プロト ローカル アドレス", NS_AFTER_COLUMNS, 0),
    NS_P("\x83\x76\x83\x8d\x83\x67\x83\x52\x83\x8b \x83\x8d\x81\x5b\x83\x4a\x83\x8b \x83\x41\x83\x68\x83\x8c\x83\x58",
         NS_AFTER_COLUMNS, 0),
    NS_P("\x83\x76\x83\x8d\x83\x67 \x83\x8d\x81\x5b\x83\x4a\x83\x8b \x83\x41\x83\x68\x83\x8c\x83\x58",
         NS_AFTER_COLUMNS, 0),
    NS_P("State Recv-Q Send-Q Local Address:Port Peer Address:Port", NS_AFTER_COLUMNS, 1),
    NS_P("State Recv-Q Send-Q Local Address:Port Peer Address:Port Process", NS_AFTER_COLUMNS, 1),
    NS_P("Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port", NS_AFTER_COLUMNS, 1),
    NS_P("Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process", NS_AFTER_COLUMNS, 1),
};

/* Offset just past pat matched at c's position, or NS_FIT when it does not
 * match. Patterns never start with or double a blank. */
static size_t ns_match(sift_cursor c, sift_slice pat, int nocase)
{
    for (size_t i = 0; i < pat.len; i++) {
        if (pat.ptr[i] == ' ') {
            sift_cur_skip_blanks(&c);
            continue;
        }
        int b = sift_cur_peek(&c);
        if (b < 0)
            return NS_FIT;
        uint8_t x = (uint8_t)b, y = pat.ptr[i];
        if (nocase ? sift_ascii_lower(x) != sift_ascii_lower(y) : x != y)
            return NS_FIT;
        c.pos++;
    }
    return c.pos;
}

int sift_netstat_is_header(sift_slice line)
{
    if (line.len > SIFT_NETSTAT_MAX_LINE)
        return 0;
    line = ns_chomp(line);
    sift_cursor c = sift_cur_make(line);
    sift_cur_skip_blanks(&c);
    if (sift_cur_eof(&c))
        return 0;
    /* The first two bytes rule out nearly every pattern without a call:
     * bytes equal in any case are equal with bit 0x20 set (the second is
     * only compared where the pattern holds no blank, which lets blanks
     * in; ns_match then compares every byte as the pattern asks). */
    const uint8_t first = line.ptr[c.pos] | 0x20;
    const int second = c.pos + 1 < line.len ? line.ptr[c.pos + 1] | 0x20 : -1;
    for (size_t i = 0; i < sizeof ns_headers / sizeof ns_headers[0]; i++) {
        const ns_pattern *p = &ns_headers[i];
        if ((p->text.ptr[0] | 0x20) != first ||
            (p->text.len > 1 && p->text.ptr[1] != ' ' && (p->text.ptr[1] | 0x20) != second))
            continue;
        size_t end = ns_match(c, p->text, p->nocase);
        if (end == NS_FIT)
            continue;
        sift_cursor rest = { line.ptr, line.len, end };
        if (sift_cur_eof(&rest))
            return 1;
        if (p->after == NS_AFTER_COLUMNS && sift_cur_skip_blanks(&rest) > 0)
            return 1;
        if (p->after == NS_AFTER_PAREN && sift_cur_skip_blanks(&rest) > 0 && sift_cur_peek(&rest) == '('
            && line.ptr[line.len - 1] == ')')
            return 1;
    }
    return 0;
}

/* ---- host lines ------------------------------------------------------- */

/* Labels, matched like headers (case-insensitive, blanks optional), so
 * "host name" covers Hostname, Host Name and HostName, and "computer name"
 * covers COMPUTERNAME. ホスト名 is systeminfo on ja-JP, in UTF-8 and CP932. */
static const ns_pattern ns_host_labels[] = {
    NS_P("host name", 0, 1),
    NS_P("host", 0, 1),
    NS_P("computer name", 0, 1),
    NS_P("ホスト名", 0, 0),
    NS_P("\x83\x7a\x83\x58\x83\x67\x96\xbc", 0, 0),
};

int sift_netstat_host_line(sift_slice line, sift_slice *host)
{
    if (line.len > SIFT_NETSTAT_MAX_LINE)
        return 0;
    line = ns_chomp(line);
    sift_cursor c = sift_cur_make(line);
    sift_cur_skip_blanks(&c);
    int first = sift_cur_peek(&c);
    for (size_t i = 0; i < sizeof ns_host_labels / sizeof ns_host_labels[0]; i++) {
        if (first < 0 || sift_ascii_lower((uint8_t)first) != sift_ascii_lower(ns_host_labels[i].text.ptr[0]))
            continue;
        size_t end = ns_match(c, ns_host_labels[i].text, ns_host_labels[i].nocase);
        if (end == NS_FIT)
            continue;
        sift_cursor v = { line.ptr, line.len, end };
        sift_cur_skip_blanks(&v);
        /* ASCII ':' or '=', or the full-width colon a Japanese label may
         * carry, in UTF-8 or CP932. */
        if (!sift_cur_accept_byte(&v, ':') && !sift_cur_accept_byte(&v, '=') &&
            !sift_cur_accept(&v, SIFT_LIT("\xEF\xBC\x9A")) && !sift_cur_accept(&v, SIFT_LIT("\x81\x46")))
            continue;
        sift_cur_skip_blanks(&v);
        sift_slice name = sift_cur_rest(&v);
        if (name.len > NS_MAX_HOST || !ns_is_name(name))
            continue;
        /* "hostname=-" is how key=value logs say "unknown": a name needs at
         * least one letter or digit. */
        int alnum = 0;
        for (size_t k = 0; k < name.len; k++)
            alnum |= ns_is_alpha(name.ptr[k]) || ns_is_digit(name.ptr[k]);
        if (!alnum)
            continue;
        *host = name;
        return 1;
    }
    return 0;
}

/* ---- the format ------------------------------------------------------------ */

/* Whether line holds a word that may read as TIME_WAIT (TIME_WAIT,
 * TIME-WAIT, TimeWait, WARTEND in any case): the engine asks this of every
 * line of a candidate record, and few of them hold one. */
static int has_time_wait_word(sift_slice line)
{
    for (size_t i = 0; i + 4 <= line.len; i++) {
        uint8_t c = line.ptr[i] | 0x20;
        if (c == 't' && (line.ptr[i + 1] | 0x20) == 'i' && (line.ptr[i + 2] | 0x20) == 'm' &&
            (line.ptr[i + 3] | 0x20) == 'e')
            return 1;
        if (c == 'w' && i + 7 <= line.len && sift_slice_eq_nocase(sift_slice_make(line.ptr + i, 7), SIFT_LIT("WARTEND")))
            return 1;
    }
    return 0;
}

/* ---- the common TIME_WAIT rows, fast -------------------------------------- */

/* The engine checks every TIME_WAIT hit, hundreds of thousands in a dump,
 * and nearly all are one of three plain shapes with IPv4 addresses. These
 * are read here in one pass; anything else (IPv6, zones, service names,
 * extra columns, other casings) is left to sift_netstat_row. A row this
 * accepts is one sift_netstat_row accepts as a TCP row in TIME_WAIT: the
 * tests hold the two to that. */

/* A cursor that never moves past e; every step either matches and
 * advances or fails (the caller then gives up on the fast path). */
typedef struct fcur {
    const uint8_t *p, *e;
} fcur;

static inline int f_blanks(fcur *c)
{
    const uint8_t *s = c->p;
#if defined(__SSE2__)
    /* Columns are padded with runs of spaces: sixteen bytes are classed at
     * once and the first that is no blank found from the mask (a byte loop
     * over the padding was a third of a row's cost). */
    const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
    while (c->e - c->p >= 16) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)c->p);
        const uint32_t m = (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, tab)));
        if (m != 0xffffu) {
            c->p += __builtin_ctz(~m);
            return c->p > s;
        }
        c->p += 16;
    }
    /* The blanks before a row's last column, from eight bytes when as many
     * are left (the upper half of the load is zero: never a blank). */
    if (c->e - c->p >= 8) {
        const __m128i v = _mm_loadl_epi64((const __m128i *)(const void *)c->p);
        const uint32_t m = (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, tab)));
        c->p += __builtin_ctz(~m);
        if (m != 0xffu)
            return c->p > s;
    }
#endif
    while (c->p < c->e && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
    return c->p > s;
}

/* Byte by byte: the literals are a few bytes long, and a call to memcmp
 * cost more than the compare. */
static inline int f_lit(fcur *c, const char *lit, size_t n)
{
    if ((size_t)(c->e - c->p) < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (c->p[i] != (uint8_t)lit[i])
            return 0;
    c->p += n;
    return 1;
}

static inline int f_num(fcur *c, unsigned max_digits, uint32_t limit)
{
    const uint8_t *s = c->p, *stop = (size_t)(c->e - s) > max_digits ? s + max_digits + 1 : c->e;
    uint64_t v = 0;
    while (c->p < stop && (unsigned)(*c->p - '0') < 10)
        v = v * 10 + (unsigned)(*c->p++ - '0');
    size_t d = (size_t)(c->p - s);
    return d && d <= max_digits && v <= limit;
}

#if defined(__SSE2__)
/* The classes of 32 bytes at p as bit masks (bit i: byte i). */
static inline void f_classes(const uint8_t *p, uint32_t *digit, uint32_t *dot, uint32_t *colon)
{
    const __m128i lo = _mm_loadu_si128((const __m128i *)(const void *)p);
    const __m128i hi = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
    const __m128i d0 = _mm_set1_epi8('0' - 1), d9 = _mm_set1_epi8('9' + 1);
    const __m128i dt = _mm_set1_epi8('.'), cl = _mm_set1_epi8(':');
#define SIFT_MASK(x) ((uint32_t)_mm_movemask_epi8(x))
    *digit = SIFT_MASK(_mm_and_si128(_mm_cmpgt_epi8(lo, d0), _mm_cmplt_epi8(lo, d9))) |
             SIFT_MASK(_mm_and_si128(_mm_cmpgt_epi8(hi, d0), _mm_cmplt_epi8(hi, d9))) << 16;
    *dot = SIFT_MASK(_mm_cmpeq_epi8(lo, dt)) | SIFT_MASK(_mm_cmpeq_epi8(hi, dt)) << 16;
    *colon = SIFT_MASK(_mm_cmpeq_epi8(lo, cl)) | SIFT_MASK(_mm_cmpeq_epi8(hi, cl)) << 16;
#undef SIFT_MASK
}

/* Whether the n digits at p are at most the n digits of max: for numbers
 * of the same width, the byte order is the numeric one. Only a part as
 * wide as its limit (a 3-digit octet, a 5-digit port) needs this. */
static inline int f_digits_le(const uint8_t *p, const char *max, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (p[i] != (uint8_t)max[i])
            return p[i] < (uint8_t)max[i];
    return 1;
}

/* "a.b.c.d:port" read from bit masks of 32 bytes at once: the form nearly
 * every TIME_WAIT row holds twice. Returns 1 (read, c moved past it), 0
 * (not that form, c unchanged: f_addr decides). */
static inline int f_addr_masks(fcur *c)
{
    if (c->e - c->p < 32)
        return 0;
    uint32_t digit, dot, colon;
    f_classes(c->p, &digit, &dot, &colon);
    uint32_t other = ~(digit | dot | colon);
    if (other == 0)
        return 0;
    unsigned len = (unsigned)__builtin_ctz(other);
    /* "255.255.255.255:65535" is 21 bytes; it ends at a blank. */
    if (len < 9 || len > 21 || (c->p[len] != ' ' && c->p[len] != '\t'))
        return 0;
    uint32_t in = (1u << len) - 1;
    dot &= in;
    colon &= in;
    /* Exactly three dots, then one colon (bit clearing, not popcount: that
     * is a call without -mpopcnt). */
    if (!dot || !colon || (colon & (colon - 1)))
        return 0;
    unsigned s0 = (unsigned)__builtin_ctz(dot);
    dot &= dot - 1;
    if (!dot)
        return 0;
    unsigned s1 = (unsigned)__builtin_ctz(dot);
    dot &= dot - 1;
    if (!dot)
        return 0;
    unsigned s2 = (unsigned)__builtin_ctz(dot);
    dot &= dot - 1;
    unsigned s3 = (unsigned)__builtin_ctz(colon);
    /* Parts between the separators: octets of 1-3 digits, a port of 1-5
     * (unsigned: a colon before a dot, a doubled or an outer separator
     * gives a part length that wraps and fails the range). */
    unsigned n1 = s1 - s0 - 1, n2 = s2 - s1 - 1, n3 = s3 - s2 - 1, n4 = len - s3 - 1;
    if (dot || s0 - 1 > 2u || n1 - 1 > 2u || n2 - 1 > 2u || n3 - 1 > 2u || n4 - 1 > 4u)
        return 0;
    const uint8_t *p = c->p;
    if ((s0 == 3 && !f_digits_le(p, "255", 3)) || (n1 == 3 && !f_digits_le(p + s0 + 1, "255", 3)) ||
        (n2 == 3 && !f_digits_le(p + s1 + 1, "255", 3)) || (n3 == 3 && !f_digits_le(p + s2 + 1, "255", 3)) ||
        (n4 == 5 && !f_digits_le(p + s3 + 1, "65535", 5)))
        return 0;
    c->p += len;
    return 1;
}
#endif

/* "a.b.c.d:port", "a.b.c.d:*" or "*:*", then a blank or the end: one loop
 * over the bytes, since every TIME_WAIT row holds two of these. Inlined
 * where it is used: as a call it cost a row some 30 instructions more. */
__attribute__((always_inline)) static inline int f_addr(fcur *c)
{
#if defined(__SSE2__)
    if (f_addr_masks(c))
        return 1;
#endif
    const uint8_t *p = c->p, *e = c->e;
    if (p < e && *p == '*') {
        if (e - p < 3 || p[1] != ':' || p[2] != '*')
            return 0;
        p += 3;
    } else {
        unsigned v = 0, digits = 0, parts = 0;
        for (;;) {
            if (p == e)
                return 0;
            unsigned d = (unsigned)(*p - '0');
            if (d < 10) {
                if (++digits > 3)
                    return 0;
                v = v * 10 + d;
                p++;
                continue;
            }
            if (!digits || v > 255)
                return 0;
            parts++;
            if (*p == '.' && parts < 4) {
                v = digits = 0;
                p++;
                continue;
            }
            if (*p != ':' || parts != 4)
                return 0;
            p++;
            break;
        }
        if (p < e && *p == '*') {
            p++;
        } else {
            v = digits = 0;
            while (p < e && (unsigned)(*p - '0') < 10 && digits < 6) {
                v = v * 10 + (unsigned)(*p - '0');
                digits++;
                p++;
            }
            if (!digits || digits > 5 || v > 65535)
                return 0;
        }
    }
    c->p = p;
    return p == e || *p == ' ' || *p == '\t';
}

/* Blanks, then the end of the line (its CR included). */
static inline int f_end(fcur *c)
{
    while (c->p < c->e && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'))
        c->p++;
    return c->p == c->e;
}

/* 1 for a plain TCP row in TIME_WAIT, -1 when it takes the full parser;
 * from: its first byte that is no blank. */
static int fast_time_wait_row(sift_slice line, size_t from)
{
    fcur c = { line.ptr + from, line.ptr + line.len };
    fcur at = c;
    int tcp = (f_lit(&c, "TCP", 3) || f_lit(&c, "tcp", 3)) && f_blanks(&c);
    if (tcp) {
        fcur w = c;
        /* Windows: TCP local foreign TIME_WAIT [pid] */
        if (f_addr(&w) && f_blanks(&w) && f_addr(&w) && f_blanks(&w) && f_lit(&w, "TIME_WAIT", 9)) {
            /* The blanks before a PID are read once; a copy of the cursor
             * looks for the end, which also passes CR. */
            int gap = f_blanks(&w);
            fcur end = w;
            if (f_end(&end) || (gap && f_num(&w, 10, UINT32_MAX) && f_end(&w)))
                return 1;
            return -1;
        }
        /* Linux netstat: tcp recv-q send-q local foreign TIME_WAIT */
        w = c;
        if (f_num(&w, 9, UINT32_MAX) && f_blanks(&w) && f_num(&w, 9, UINT32_MAX) && f_blanks(&w) && f_addr(&w) &&
            f_blanks(&w) && f_addr(&w) && f_blanks(&w) && f_lit(&w, "TIME_WAIT", 9) && f_end(&w))
            return 1;
    } else {
        c = at;
    }
    /* ss: [tcp] TIME-WAIT recv-q send-q local peer */
    if (f_lit(&c, "TIME-WAIT", 9) && f_blanks(&c) && f_num(&c, 9, UINT32_MAX) && f_blanks(&c) &&
        f_num(&c, 9, UINT32_MAX) && f_blanks(&c) && f_addr(&c) && f_blanks(&c) && f_addr(&c) && f_end(&c))
        return 1;
    return -1;
}

static int netstat_time_wait_row(sift_slice line)
{
    /* A TCP row starts with its protocol (TCP, tcp, tcp6) or, from ss
     * without a Netid column, with its state (TIME-WAIT); a
     * Get-NetTCPConnection row with its local address. */
    if (line.len == 0)
        return 0; /* the empty slice has no pointer to step from */
    fcur lead = { line.ptr, line.ptr + line.len };
    f_blanks(&lead);
    const size_t i = (size_t)(lead.p - line.ptr);
    if (i == line.len)
        return 0;
    if ((line.ptr[i] | 0x20) != 't') {
        if (!ns_is_hex(line.ptr[i]) && line.ptr[i] != ':')
            return 0;
        /* Neither a protocol nor a TIME_WAIT word starts this line, so
         * sift_netstat_row can read it as a TIME_WAIT row only in the
         * Get-NetTCPConnection shape, whose second column is a port: a
         * sentence that mentions TIME_WAIT is turned away here, before the
         * full parse tokenizes it. */
        fcur col = { line.ptr + i, line.ptr + line.len };
        while (col.p < col.e && *col.p != ' ' && *col.p != '\t')
            col.p++;
        if (!f_blanks(&col))
            return 0;
        const uint8_t *digits = col.p;
        while (col.p < col.e && ns_is_digit(*col.p))
            col.p++;
        if (col.p == digits || (col.p < col.e && *col.p != ' ' && *col.p != '\t'))
            return 0;
    } else if (line.len <= SIFT_NETSTAT_MAX_LINE && fast_time_wait_row(line, i) == 1) {
        return 1;
    }
    sift_ns_row row;
    return has_time_wait_word(line) && sift_netstat_row(line, 0, &row, NULL) == SIFT_OK && row.tcp &&
           row.st == SIFT_TCP_TIME_WAIT;
}

/* Few literals scan fastest (the engine keeps ASCII and non-ASCII ones in
 * separate databases, and at most 8 literals in all per database stay on
 * Hyperscan's fastest matcher), so tables are found by their column
 * headers alone: a title ("Active Connections") is always followed by one,
 * and is read back as part of the lines above the table. Every header must
 * be found, or two captures in one file run together into one over-full
 * table. ASCII headers: Windows in the Latin-script languages and Linux
 * netstat ("Proto ..."); ss, Linux netstat, English Windows and
 * Get-NetTCPConnection ("Local Address:Port", "LocalAddress"). Others: a
 * column name each, Japanese in UTF-8 and in CP932 (what cmd redirection
 * writes on ja-JP), Russian, Simplified and Traditional Chinese and Korean
 * by their local-address column, rare outside a netstat header. Rows:
 * TIME_WAIT, TIME-WAIT and TIMEWAIT share "TIME"; PowerShell writes
 * TimeWait; German Windows says WARTEND. */
static const sift_pattern netstat_patterns[] = {
    { "Proto", 0, SIFT_ROLE_TABLE_HEADER, 5, { 0 } },
    { "Address", 0, SIFT_ROLE_TABLE_HEADER, 0, { 0 } },
    { "プロト", 0, SIFT_ROLE_TABLE_HEADER, 9, { 0 } },
    { "\\x83\\x76\\x83\\x8d\\x83\\x67", 0, SIFT_ROLE_TABLE_HEADER, 6, { 0 } }, /* CP932 プロト */
    { "Локальный адрес", 0, SIFT_ROLE_TABLE_HEADER, 0, { 0 } },
    { "本地地址", 0, SIFT_ROLE_TABLE_HEADER, 0, { 0 } },
    { "本機位址", 0, SIFT_ROLE_TABLE_HEADER, 0, { 0 } },
    { "로컬 주소", 0, SIFT_ROLE_TABLE_HEADER, 0, { 0 } },
    /* Case-sensitive: a mixed-case literal (T(?i)IME) took Hyperscan off
     * its fast path, 60 % more of its time on the bench dump. The rows only
     * PowerShell (TimeWait) and German Windows (WARTEND) write are side
     * literals armed by their own header, so that a stream without such a
     * table never pays for their search. */
    { "TIME", 0, SIFT_ROLE_TABLE_ROW, 0, { 0 } },
    { "TimeWait", SIFT_PAT_SIDE, SIFT_ROLE_TABLE_ROW, 0, { "Address", "LocalAddress" } },
    { "WARTEND", SIFT_PAT_SIDE, SIFT_ROLE_TABLE_ROW, 0, { "Proto", "Adresse" } },
};

static const sift_line_ops netstat_line = {
    .table_header = sift_netstat_is_header,
    .time_wait_row = netstat_time_wait_row,
    .host_line = sift_netstat_host_line,
};

const sift_format sift_netstat_format = {
    "netstat",
    "netstat -ano/-an (Windows, en/de/es/fr/it/pt/ru/ja/ko/zh), netstat -tan, ss -tan, Get-NetTCPConnection tables",
    SIFT_PRODUCES_TABLES,
    netstat_patterns,
    sizeof netstat_patterns / sizeof netstat_patterns[0],
    &netstat_line,
    NULL,
    NULL,
};
