/* gen_evtx.c - deterministic writer of synthetic Windows .evtx files with planted failure events, for tests, benchmarks and fuzz seeds. */

/* Usage: gen_evtx OUT.evtx SIZE_BYTES [SEED] [--plant=all|none|LIST]
 *                 [--mix=fleet|classic] [--rdgw-host=NAME] [--uptime-host=NAME]
 *                 [--FORMAT=PATH]...
 *   LIST is a comma list of rdgw, uptime, tcpip. Each --FORMAT=PATH also
 *   writes the same records, in the same order, as an export twin
 *   (bench/gen_twins.c): --text (`wevtutil qe /f:text`), --xml (`wevtutil
 *   qe /f:xml`), --winlogbeat (Winlogbeat 8 NDJSON), --nxlog (NXLog JSON
 *   lines), --psjson (Get-WinEvent | ConvertTo-Json), --splunk (Splunk
 *   WinEventLog key=value), --snare (Snare MSWinEventLog lines), --pscsv
 *   (Get-WinEvent | Export-Csv).
 *
 * Writes a structurally valid EVTX file (see
 * /work/shared/reference/evtx-format-and-anchors.md section 5): a 4096-byte
 * file header, then 64 KiB chunks until SIZE_BYTES is reached (at least one).
 * Every chunk has its header CRC, its event-records CRC, its common-string
 * and template bucket tables filled in, and records that start with a
 * template instance. Each event kind has its own template; the definition is
 * written inline the first time a chunk uses it and referenced by offset
 * afterwards, as Windows does, and element names are inlined on first use
 * in a chunk and referenced after. So a small file already holds every
 * structure a reader must handle: inline and referenced names and templates,
 * String, UInt8/16/32/64, HexInt32/64, GUID, SID, FILETIME and Binary
 * substitutions, empty elements, attributes with text and with
 * substitutions, elements with two attribute substitutions.
 *
 * Records mix System, Application and Security events of about twenty kinds
 * over three days of a small fleet. --mix=fleet (the default) is about 60%
 * Security, 25% System and 15% Application records, a domain member's
 * share: Microsoft-Windows-Security-Auditing 4624, 4634, 4672, 4688 and 4625
 * with the Security log's System part (Provider Guid, Version, Opcode,
 * Keywords 0x8020000000000000 or 0x8010000000000000, Correlation ActivityID,
 * Execution ProcessID and ThreadID, no Qualifiers) and named
 * <Data Name="..."> fields of their real types (SID, HexInt64, UInt32,
 * GUID...). --mix=classic is System and Application only, byte for byte
 * what gen_evtx wrote before it had Security kinds (the demo's files keep
 * that shape: an Application and a System log). Planted (all by default):
 *   rdgw    RDG01 (--rdgw-host): Application Error 1000 svchost.exe_TSGateway / aaedge.dll /
 *           c0000005, 12 times every 30 min +-60 s (15 unnamed Data, A.3);
 *   uptime  APP-SQL02 (--uptime-host), Windows Server 2008 R2: EventLog 6013 daily at 12:00, uptimes crossing
 *           42,949,673 s (7 unnamed Data, Data[4] = uptime, Qualifiers 32768,
 *           B.2);
 *   tcpip   APP-SQL02: Tcpip 4227 twice (no 4231, so the finding is medium).
 * Noise stays below every rule: uptimes under 300 days, no Tcpip 4227/4231,
 * Application Error 1000 only for other applications (one trap: a
 * svchost.exe_wuauserv access violation), and no rule reads the Security
 * log. A one-line summary of what was planted goes to stderr, with
 * expected_findings=N, and ending in how many records of ids 1000, 6013
 * and 4227 were written, noise included (what a filter on the id finds).
 *
 * The same arguments give byte-identical output: randomness comes from one
 * xorshift64* stream seeded from SEED, and times derive from the position in
 * the file, never from the clock. CRCs are zlib's crc32. */

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "gen_twins.h"

#define FILE_HDR 4096u
#define CHUNK 65536u
#define CHUNK_HDR 512u
/* Records stop this many bytes short of the chunk end: libevtx 20181227
 * drops a chunk's last record when it ends within 4 bytes of 64 KiB
 * (seen here), and Windows never fills a chunk to the last byte either. */
#define CHUNK_TAIL 8u
#define MAX_NAMES 128u
#define MAX_TPL 32u
/* 4624 (version 2) has 27 named Data fields, the most of any kind here. */
#define MAX_DATA 28u
/* The Security System part has 15 substitutions, the classic one 10. */
#define MAX_SUBS (15u + MAX_DATA + 1u)
_Static_assert(MAX_DATA <= TWIN_DATA_MAX, "a twin record holds every Data field");

/* 2^32 ticks of 10 ms, rounded up (windows-signatures.md B.3). */
#define UPTIME_497 42949673u

/* FILETIME of 2024-10-01T00:00:00Z; the log covers three days from there. */
#define T0_UNIX 1727740800LL
#define SPAN_S (3LL * 86400)
#define FT_UNIX_DIFF 11644473600LL

#define KW_CLASSIC 0x0080000000000000ULL
#define KW_AUDIT_SUCCESS 0x8020000000000000ULL
#define KW_AUDIT_FAILURE 0x8010000000000000ULL

/* ---- little helpers -------------------------------------------------------- */

static void die(const char *what)
{
    fprintf(stderr, "gen_evtx: %s: %s\n", what, errno ? strerror(errno) : "failed");
    exit(1);
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static unsigned rnd_below(unsigned n)
{
    return (unsigned)(rnd() % n);
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v & 0xffffu);
    put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t crc(const uint8_t *p, size_t n)
{
    return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)n);
}

/* ---- event kinds ------------------------------------------------------------ */

enum { CH_SYSTEM, CH_APPLICATION, CH_SECURITY };
static const char *const channel_names[] = { "System", "Application", "Security" };

/* Substitution value types (MS-EVEN6 2.2.18). */
enum {
    VT_STRING = 0x01, VT_UINT8 = 0x04, VT_UINT16 = 0x06, VT_UINT32 = 0x08, VT_UINT64 = 0x0a,
    VT_BINARY = 0x0e, VT_GUID = 0x0f, VT_FILETIME = 0x11, VT_SID = 0x13, VT_HEXINT32 = 0x14,
    VT_HEXINT64 = 0x15
};

/* A named <Data Name="..."> field, as manifest-based providers write them. */
typedef struct field {
    const char *name;
    uint8_t type;
} field;

/* What a Security-Auditing kind adds: its manifest's Version and Keywords,
 * named fields, and the text twin's Task: and Description: lines. */
typedef struct audit {
    const field *fields;
    uint8_t version;
    uint64_t keywords;
    const char *task_name;
    const char *description;
} audit;

typedef struct kind {
    const char *provider;
    uint16_t id;
    uint16_t qualifiers;
    uint8_t level;
    uint16_t task;
    uint8_t channel;
    uint8_t n_data;   /* unnamed <Data> elements, or the named fields' count */
    uint8_t binary;   /* a trailing <Binary> in EventData */
    unsigned weight;  /* share of the noise in --mix=classic */
    unsigned weight_fleet; /* share in --mix=fleet, per mille of all records */
    const struct audit *audit; /* Security kinds: NULL for the classic ones */
} kind;

/* The fields of Windows 10 / Server 2016+ Security-Auditing events, in the
 * manifest's order and with its types (evtxexport shows the same names on
 * the samples' security.evtx, which has 4624 version 0 and 4672). */
static const field f4624[] = {
    {"SubjectUserSid", VT_SID}, {"SubjectUserName", VT_STRING}, {"SubjectDomainName", VT_STRING},
    {"SubjectLogonId", VT_HEXINT64}, {"TargetUserSid", VT_SID}, {"TargetUserName", VT_STRING},
    {"TargetDomainName", VT_STRING}, {"TargetLogonId", VT_HEXINT64}, {"LogonType", VT_UINT32},
    {"LogonProcessName", VT_STRING}, {"AuthenticationPackageName", VT_STRING},
    {"WorkstationName", VT_STRING}, {"LogonGuid", VT_GUID}, {"TransmittedServices", VT_STRING},
    {"LmPackageName", VT_STRING}, {"KeyLength", VT_UINT32}, {"ProcessId", VT_HEXINT64},
    {"ProcessName", VT_STRING}, {"IpAddress", VT_STRING}, {"IpPort", VT_STRING},
    {"ImpersonationLevel", VT_STRING}, {"RestrictedAdminMode", VT_STRING},
    {"TargetOutboundUserName", VT_STRING}, {"TargetOutboundDomainName", VT_STRING},
    {"VirtualAccount", VT_STRING}, {"TargetLinkedLogonId", VT_HEXINT64}, {"ElevatedToken", VT_STRING},
};
static const field f4634[] = {
    {"TargetUserSid", VT_SID}, {"TargetUserName", VT_STRING}, {"TargetDomainName", VT_STRING},
    {"TargetLogonId", VT_HEXINT64}, {"LogonType", VT_UINT32},
};
static const field f4672[] = {
    {"SubjectUserSid", VT_SID}, {"SubjectUserName", VT_STRING}, {"SubjectDomainName", VT_STRING},
    {"SubjectLogonId", VT_HEXINT64}, {"PrivilegeList", VT_STRING},
};
static const field f4688[] = {
    {"SubjectUserSid", VT_SID}, {"SubjectUserName", VT_STRING}, {"SubjectDomainName", VT_STRING},
    {"SubjectLogonId", VT_HEXINT64}, {"NewProcessId", VT_HEXINT64}, {"NewProcessName", VT_STRING},
    {"TokenElevationType", VT_STRING}, {"ProcessId", VT_HEXINT64}, {"CommandLine", VT_STRING},
    {"TargetUserSid", VT_SID}, {"TargetUserName", VT_STRING}, {"TargetDomainName", VT_STRING},
    {"TargetLogonId", VT_HEXINT64}, {"ParentProcessName", VT_STRING}, {"MandatoryLabel", VT_SID},
};
static const field f4625[] = {
    {"SubjectUserSid", VT_SID}, {"SubjectUserName", VT_STRING}, {"SubjectDomainName", VT_STRING},
    {"SubjectLogonId", VT_HEXINT64}, {"TargetUserSid", VT_SID}, {"TargetUserName", VT_STRING},
    {"TargetDomainName", VT_STRING}, {"Status", VT_HEXINT32}, {"FailureReason", VT_STRING},
    {"SubStatus", VT_HEXINT32}, {"LogonType", VT_UINT32}, {"LogonProcessName", VT_STRING},
    {"AuthenticationPackageName", VT_STRING}, {"WorkstationName", VT_STRING},
    {"TransmittedServices", VT_STRING}, {"LmPackageName", VT_STRING}, {"KeyLength", VT_UINT32},
    {"ProcessId", VT_HEXINT64}, {"ProcessName", VT_STRING}, {"IpAddress", VT_STRING},
    {"IpPort", VT_STRING},
};
#define N_FIELDS(f) (uint8_t)(sizeof f / sizeof f[0])

#define SECURITY_AUDITING "Microsoft-Windows-Security-Auditing"

static const audit a4624 = {f4624, 2, KW_AUDIT_SUCCESS, "Logon", "An account was successfully logged on."};
static const audit a4634 = {f4634, 0, KW_AUDIT_SUCCESS, "Logoff", "An account was logged off."};
static const audit a4672 = {f4672, 0, KW_AUDIT_SUCCESS, "Special Logon", "Special privileges assigned to new logon."};
static const audit a4688 = {f4688, 2, KW_AUDIT_SUCCESS, "Process Creation", "A new process has been created."};
static const audit a4625 = {f4625, 0, KW_AUDIT_FAILURE, "Logon", "An account failed to log on."};

/* New kinds go at the end: --mix=classic draws by the weights in enum order,
 * so its byte-for-byte output depends on the first thirteen staying put. */
enum {
    K_1000, K_6013, K_4227, K_7036, K_7040, K_6005, K_6006, K_10016, K_1001,
    K_17137, K_1026, K_16384, K_1500, K_4624, K_4634, K_4672, K_4688, K_4625, K_COUNT
};

/* --mix=fleet shares (per mille): System 250, Application 150, Security 600. */
static const kind kinds[K_COUNT] = {
    [K_1000] = {"Application Error", 1000, 0, 2, 100, CH_APPLICATION, 15, 0, 3, 10, NULL},
    [K_6013] = {"EventLog", 6013, 32768, 4, 0, CH_SYSTEM, 7, 1, 4, 18, NULL},
    [K_4227] = {"Tcpip", 4227, 32768, 3, 0, CH_SYSTEM, 0, 0, 0, 0, NULL},
    [K_7036] = {"Service Control Manager", 7036, 16384, 4, 0, CH_SYSTEM, 2, 1, 30, 130, NULL},
    [K_7040] = {"Service Control Manager", 7040, 16384, 4, 0, CH_SYSTEM, 4, 0, 6, 28, NULL},
    [K_6005] = {"EventLog", 6005, 32768, 4, 0, CH_SYSTEM, 0, 1, 2, 9, NULL},
    [K_6006] = {"EventLog", 6006, 32768, 4, 0, CH_SYSTEM, 0, 1, 2, 9, NULL},
    [K_10016] = {"Microsoft-Windows-DistributedCOM", 10016, 0, 3, 0, CH_SYSTEM, 11, 0, 12, 56, NULL},
    [K_1001] = {"Windows Error Reporting", 1001, 0, 4, 0, CH_APPLICATION, 14, 0, 3, 10, NULL},
    [K_17137] = {"MSSQLSERVER", 17137, 16384, 4, 2, CH_APPLICATION, 1, 1, 10, 35, NULL},
    [K_1026] = {".NET Runtime", 1026, 0, 2, 0, CH_APPLICATION, 1, 0, 3, 10, NULL},
    [K_16384] = {"Microsoft-Windows-Security-SPP", 16384, 16384, 4, 0, CH_APPLICATION, 2, 0, 15, 50, NULL},
    [K_1500] = {"SecurityCenter", 1500, 0, 4, 0, CH_APPLICATION, 1, 0, 10, 35, NULL},
    [K_4624] = {SECURITY_AUDITING, 4624, 0, 0, 12544, CH_SECURITY, N_FIELDS(f4624), 0, 0, 210, &a4624},
    [K_4634] = {SECURITY_AUDITING, 4634, 0, 0, 12545, CH_SECURITY, N_FIELDS(f4634), 0, 0, 170, &a4634},
    [K_4672] = {SECURITY_AUDITING, 4672, 0, 0, 12548, CH_SECURITY, N_FIELDS(f4672), 0, 0, 130, &a4672},
    [K_4688] = {SECURITY_AUDITING, 4688, 0, 0, 13312, CH_SECURITY, N_FIELDS(f4688), 0, 0, 70, &a4688},
    [K_4625] = {SECURITY_AUDITING, 4625, 0, 0, 12544, CH_SECURITY, N_FIELDS(f4625), 0, 0, 20, &a4625},
};

/* One record's values. Strings are ASCII here and widened on output; the
 * other named fields' values are kept as their on-disk bytes. */
typedef struct event {
    int kind;
    const char *computer;
    int64_t unix_s;
    uint32_t frac_100ns;
    uint32_t thread_id; /* Security: Execution ThreadID */
    unsigned nf;        /* Security: named fields filled so far */
    const char *data[MAX_DATA];
    char databuf[MAX_DATA][96];
    uint8_t val[MAX_DATA][32];
    uint8_t val_len[MAX_DATA];
    uint8_t bin[256];
    uint16_t bin_len;
} event;

/* ---- chunk builder ------------------------------------------------------------ */

typedef struct name_ent {
    const char *s;
    uint32_t off;
    uint16_t hash;
} name_ent;

typedef struct tpl_ent {
    int kind;
    uint32_t off; /* chunk offset of the definition (its next-offset field) */
} tpl_ent;

typedef struct chunk {
    uint8_t b[CHUNK];
    uint32_t pos;
    unsigned n_names;
    name_ent names[MAX_NAMES];
    unsigned n_tpl;
    tpl_ent tpl[MAX_TPL];
    uint64_t first_id, last_id;
    uint32_t last_rec_off;
    unsigned n_rec;
    int overflow; /* set when a write would pass the chunk end */
} chunk;

static void emit(chunk *c, const void *p, uint32_t n)
{
    if (c->overflow || n > CHUNK - CHUNK_TAIL - c->pos) {
        c->overflow = 1;
        return;
    }
    memcpy(c->b + c->pos, p, n);
    c->pos += n;
}

static void emit8(chunk *c, uint32_t v)
{
    uint8_t b = (uint8_t)v;
    emit(c, &b, 1);
}

static void emit16(chunk *c, uint32_t v)
{
    uint8_t b[2];
    put16(b, v);
    emit(c, b, 2);
}

static void emit32(chunk *c, uint32_t v)
{
    uint8_t b[4];
    put32(b, v);
    emit(c, b, 4);
}

static void emit64(chunk *c, uint64_t v)
{
    uint8_t b[8];
    put64(b, v);
    emit(c, b, 8);
}

static void emit_utf16(chunk *c, const char *s)
{
    for (; *s; s++)
        emit16(c, (uint8_t)*s);
}

/* Back-patch a u32 at a chunk offset; skipped after an overflow, where the
 * offset may be past what was written. */
static void patch32(chunk *c, uint32_t at, uint32_t v)
{
    if (!c->overflow)
        put32(c->b + at, v);
}

/* The BinXML name hash (libyal EVTX doc): h = h * 65599 + unit over the
 * UTF-16 units, low 16 bits kept. */
static uint16_t name_hash(const char *s)
{
    uint32_t h = 0;
    for (; *s; s++)
        h = h * 65599u + (uint8_t)*s;
    return (uint16_t)h;
}

/* A name reference: inline on first use in this chunk, by offset after. */
static void emit_name(chunk *c, const char *s)
{
    for (unsigned i = 0; i < c->n_names; i++)
        if (strcmp(c->names[i].s, s) == 0) {
            emit32(c, c->names[i].off);
            return;
        }
    const uint32_t at = c->pos + 4;
    emit32(c, at);
    if (c->n_names < MAX_NAMES)
        c->names[c->n_names++] = (name_ent){s, at, name_hash(s)};
    emit32(c, 0); /* next in the hash chain: linked when the chunk is closed */
    emit16(c, name_hash(s));
    emit16(c, (uint32_t)strlen(s));
    emit_utf16(c, s);
    emit16(c, 0);
}

/* Open an element: returns the offset of its data-size field, patched by
 * elem_end. Attributes, if any, follow the caller's attr_begin. */
static uint32_t elem_open(chunk *c, const char *name, int has_attrs)
{
    emit8(c, has_attrs ? 0x41 : 0x01);
    emit16(c, 0xffff); /* no dependency */
    const uint32_t size_at = c->pos;
    emit32(c, 0);
    emit_name(c, name);
    return size_at;
}

static void elem_end(chunk *c, uint32_t size_at)
{
    patch32(c, size_at, c->pos - size_at - 4);
}

static void attr_name(chunk *c, const char *name, int more)
{
    emit8(c, more ? 0x46 : 0x06);
    emit_name(c, name);
}

static void value_text(chunk *c, const char *s)
{
    emit8(c, 0x05);
    emit8(c, 0x01);
    emit16(c, (uint32_t)strlen(s));
    emit_utf16(c, s);
}

static void subst(chunk *c, unsigned idx, unsigned type)
{
    emit8(c, 0x0d);
    emit16(c, idx);
    emit8(c, type);
}

/* <name>%idx</name> */
static void elem_subst(chunk *c, const char *name, unsigned idx, unsigned type)
{
    const uint32_t sz = elem_open(c, name, 0);
    emit8(c, 0x02);
    subst(c, idx, type);
    emit8(c, 0x04);
    elem_end(c, sz);
}

/* <name a0="%i0"/>, or <name a0="%i0" a1="%i1"/> when a1 is given. */
static void elem_attrs_subst(chunk *c, const char *name, const char *a0, unsigned i0, unsigned t0,
                             const char *a1, unsigned i1, unsigned t1)
{
    const uint32_t sz = elem_open(c, name, 1);
    const uint32_t asz = c->pos;
    emit32(c, 0);
    attr_name(c, a0, a1 != NULL);
    subst(c, i0, t0);
    if (a1) {
        attr_name(c, a1, 0);
        subst(c, i1, t1);
    }
    patch32(c, asz, c->pos - asz - 4);
    emit8(c, 0x03);
    elem_end(c, sz);
}

/* <name attr="V">%idx</name>, V being the text atext or, when that is NULL,
 * substitution aidx of type atype. */
static void elem_attr_content(chunk *c, const char *name, const char *attr, const char *atext,
                              unsigned aidx, unsigned atype, unsigned idx, unsigned type)
{
    const uint32_t sz = elem_open(c, name, 1);
    const uint32_t a = c->pos;
    emit32(c, 0);
    attr_name(c, attr, 0);
    if (atext)
        value_text(c, atext);
    else
        subst(c, aidx, atype);
    patch32(c, a, c->pos - a - 4);
    emit8(c, 0x02);
    subst(c, idx, type);
    emit8(c, 0x04);
    elem_end(c, sz);
}

/* <name/> */
static void elem_empty(chunk *c, const char *name)
{
    const uint32_t sz = elem_open(c, name, 0);
    emit8(c, 0x03);
    elem_end(c, sz);
}

/* The fragment header and <Event xmlns="...">; returns what event_close needs. */
static uint32_t event_open(chunk *c)
{
    emit8(c, 0x0f); /* fragment header 1.1 */
    emit8(c, 1);
    emit8(c, 1);
    emit8(c, 0);

    const uint32_t ev = elem_open(c, "Event", 1);
    const uint32_t asz = c->pos;
    emit32(c, 0);
    attr_name(c, "xmlns", 0);
    value_text(c, "http://schemas.microsoft.com/win/2004/08/events/event");
    patch32(c, asz, c->pos - asz - 4);
    emit8(c, 0x02);
    return ev;
}

static void event_close(chunk *c, uint32_t ev)
{
    emit8(c, 0x04);
    elem_end(c, ev);
    emit8(c, 0x00); /* EOF */
}

/* Substitution slots of the classic template. */
enum {
    S_PROVIDER, S_QUALIFIERS, S_EVENTID, S_LEVEL, S_TASK, S_KEYWORDS, S_TIME, S_RECID,
    S_CHANNEL, S_COMPUTER, S_DATA0
};

/* The classic-event shape of windows-signatures.md B.2. */
static void template_classic(chunk *c, const kind *k)
{
    const uint32_t ev = event_open(c);
    const uint32_t sys = elem_open(c, "System", 0);
    emit8(c, 0x02);
    elem_attrs_subst(c, "Provider", "Name", S_PROVIDER, VT_STRING, NULL, 0, 0);
    elem_attr_content(c, "EventID", "Qualifiers", NULL, S_QUALIFIERS, VT_UINT16, S_EVENTID, VT_UINT16);
    elem_subst(c, "Level", S_LEVEL, VT_UINT8);
    elem_subst(c, "Task", S_TASK, VT_UINT16);
    elem_subst(c, "Keywords", S_KEYWORDS, VT_HEXINT64);
    elem_attrs_subst(c, "TimeCreated", "SystemTime", S_TIME, VT_FILETIME, NULL, 0, 0);
    elem_subst(c, "EventRecordID", S_RECID, VT_UINT64);
    elem_subst(c, "Channel", S_CHANNEL, VT_STRING);
    elem_subst(c, "Computer", S_COMPUTER, VT_STRING);
    elem_empty(c, "Security");
    emit8(c, 0x04);
    elem_end(c, sys);

    const uint32_t ed = elem_open(c, "EventData", 0);
    if (k->n_data == 0 && !k->binary) {
        emit8(c, 0x03);
    } else {
        emit8(c, 0x02);
        for (unsigned i = 0; i < k->n_data; i++)
            elem_subst(c, "Data", S_DATA0 + i, VT_STRING);
        if (k->binary)
            elem_subst(c, "Binary", S_DATA0 + k->n_data, VT_BINARY);
        emit8(c, 0x04);
    }
    elem_end(c, ed);
    event_close(c, ev);
}

/* Substitution slots of the Security template: Security-Auditing's manifest
 * System part (no Qualifiers; a provider Guid, Version, Opcode, Correlation
 * and Execution), then the named fields. */
enum {
    SS_PROVIDER, SS_GUID, SS_EVENTID, SS_VERSION, SS_LEVEL, SS_TASK, SS_OPCODE, SS_KEYWORDS,
    SS_TIME, SS_RECID, SS_ACTIVITY, SS_PID, SS_TID, SS_CHANNEL, SS_COMPUTER, SS_DATA0
};

static void template_security(chunk *c, const kind *k)
{
    const uint32_t ev = event_open(c);
    const uint32_t sys = elem_open(c, "System", 0);
    emit8(c, 0x02);
    elem_attrs_subst(c, "Provider", "Name", SS_PROVIDER, VT_STRING, "Guid", SS_GUID, VT_GUID);
    elem_subst(c, "EventID", SS_EVENTID, VT_UINT16);
    elem_subst(c, "Version", SS_VERSION, VT_UINT8);
    elem_subst(c, "Level", SS_LEVEL, VT_UINT8);
    elem_subst(c, "Task", SS_TASK, VT_UINT16);
    elem_subst(c, "Opcode", SS_OPCODE, VT_UINT8);
    elem_subst(c, "Keywords", SS_KEYWORDS, VT_HEXINT64);
    elem_attrs_subst(c, "TimeCreated", "SystemTime", SS_TIME, VT_FILETIME, NULL, 0, 0);
    elem_subst(c, "EventRecordID", SS_RECID, VT_UINT64);
    elem_attrs_subst(c, "Correlation", "ActivityID", SS_ACTIVITY, VT_GUID, NULL, 0, 0);
    elem_attrs_subst(c, "Execution", "ProcessID", SS_PID, VT_UINT32, "ThreadID", SS_TID, VT_UINT32);
    elem_subst(c, "Channel", SS_CHANNEL, VT_STRING);
    elem_subst(c, "Computer", SS_COMPUTER, VT_STRING);
    elem_empty(c, "Security");
    emit8(c, 0x04);
    elem_end(c, sys);

    /* Every Security kind here has fields, so EventData is never empty. */
    const uint32_t ed = elem_open(c, "EventData", 0);
    emit8(c, 0x02);
    for (unsigned i = 0; i < k->n_data; i++)
        elem_attr_content(c, "Data", "Name", k->audit->fields[i].name, 0, 0, SS_DATA0 + i, k->audit->fields[i].type);
    emit8(c, 0x04);
    elem_end(c, ed);
    event_close(c, ev);
}

static void template_body(chunk *c, const kind *k)
{
    if (k->audit)
        template_security(c, k);
    else
        template_classic(c, k);
}

/* A template GUID per kind: fixed bytes plus the kind, so ids are stable. */
static void kind_guid(int k, uint8_t g[16])
{
    static const uint8_t base[16] = {0x3a, 0x5e, 0x1c, 0x00, 0x9b, 0x42, 0x4e, 0x77,
                                     0x8d, 0x10, 0x6f, 0x2b, 0x5c, 0x91, 0xe0, 0x00};
    memcpy(g, base, 16);
    g[3] = (uint8_t)k;
    g[15] = (uint8_t)(0xa0 + k);
}

static uint64_t unix_to_filetime(int64_t s, uint32_t frac)
{
    return (uint64_t)(s + FT_UNIX_DIFF) * 10000000ULL + frac;
}

/* One record's substitution values in slot order. Strings stay ASCII until
 * inst_emit widens them; numbers are kept as their little-endian bytes. */
typedef struct inst {
    unsigned n;
    uint16_t size[MAX_SUBS];
    uint8_t type[MAX_SUBS];
    const char *str[MAX_SUBS];     /* a String value, or NULL */
    const uint8_t *raw[MAX_SUBS];  /* else its bytes */
    uint8_t num[MAX_SUBS][8];
    uint8_t activity[16];          /* Security: Correlation ActivityID */
} inst;

static void v_str(inst *v, const char *s)
{
    const unsigned i = v->n++;
    v->size[i] = (uint16_t)(2 * strlen(s));
    v->type[i] = VT_STRING;
    v->str[i] = s;
    v->raw[i] = NULL;
}

static void v_raw(inst *v, unsigned type, const uint8_t *p, size_t n)
{
    const unsigned i = v->n++;
    v->size[i] = (uint16_t)n;
    v->type[i] = (uint8_t)type;
    v->str[i] = NULL;
    v->raw[i] = p;
}

/* An integer of `width` bytes. */
static void v_num(inst *v, unsigned type, uint64_t x, unsigned width)
{
    put64(v->num[v->n], x);
    v_raw(v, type, v->num[v->n], width);
}

static void inst_emit(chunk *c, const inst *v)
{
    emit32(c, v->n);
    for (unsigned i = 0; i < v->n; i++) {
        emit16(c, v->size[i]);
        emit8(c, v->type[i]);
        emit8(c, 0);
    }
    for (unsigned i = 0; i < v->n; i++) {
        if (v->str[i])
            emit_utf16(c, v->str[i]);
        else
            emit(c, v->raw[i], v->size[i]);
    }
}

static void values_classic(inst *v, const event *e, const kind *k, uint64_t ft, uint64_t rec_id)
{
    v_str(v, k->provider);
    v_num(v, VT_UINT16, k->qualifiers, 2);
    v_num(v, VT_UINT16, k->id, 2);
    v_num(v, VT_UINT8, k->level, 1);
    v_num(v, VT_UINT16, k->task, 2);
    v_num(v, VT_HEXINT64, KW_CLASSIC, 8);
    v_num(v, VT_FILETIME, ft, 8);
    v_num(v, VT_UINT64, rec_id, 8);
    v_str(v, channel_names[k->channel]);
    v_str(v, e->computer);
    for (unsigned i = 0; i < k->n_data; i++)
        v_str(v, e->data[i]);
    if (k->binary)
        v_raw(v, VT_BINARY, e->bin, e->bin_len);
}

/* {54849625-5478-4994-A5BA-3E3B0328C30D}, Security-Auditing's provider GUID,
 * as stored: the first three groups little-endian. */
static const uint8_t security_auditing_guid[16] = {0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94, 0x49,
                                                   0xa5, 0xba, 0x3e, 0x3b, 0x03, 0x28, 0xc3, 0x0d};

/* lsass.exe logs every Security record: its process id and the LSA's
 * activity id are fixed per host, so derive them from the host name
 * rather than from the random stream. */
static uint32_t lsass_pid(const event *e)
{
    return 560u + 4u * (name_hash(e->computer) % 64u);
}

static void lsa_activity(const event *e, uint8_t activity[16])
{
    const uint32_t h = name_hash(e->computer);
    put64(activity, (h + 1) * 0x9E3779B97F4A7C15ULL);
    put64(activity + 8, (h + 7) * 0xC2B2AE3D27D4EB4FULL);
    activity[7] = (uint8_t)(0x40 | (activity[7] & 0x0f)); /* a version 4 GUID, as Windows makes */
    activity[8] = (uint8_t)(0x80 | (activity[8] & 0x3f));
}

static void values_security(inst *v, const event *e, const kind *k, uint64_t ft, uint64_t rec_id)
{
    uint8_t *activity = v->activity;
    lsa_activity(e, activity);

    v_str(v, k->provider);
    v_raw(v, VT_GUID, security_auditing_guid, 16);
    v_num(v, VT_UINT16, k->id, 2);
    v_num(v, VT_UINT8, k->audit->version, 1);
    v_num(v, VT_UINT8, k->level, 1);
    v_num(v, VT_UINT16, k->task, 2);
    v_num(v, VT_UINT8, 0, 1); /* Opcode: Info */
    v_num(v, VT_HEXINT64, k->audit->keywords, 8);
    v_num(v, VT_FILETIME, ft, 8);
    v_num(v, VT_UINT64, rec_id, 8);
    v_raw(v, VT_GUID, activity, 16);
    v_num(v, VT_UINT32, lsass_pid(e), 4);
    v_num(v, VT_UINT32, e->thread_id, 4);
    v_str(v, channel_names[k->channel]);
    v_str(v, e->computer);
    for (unsigned i = 0; i < k->n_data; i++) {
        if (k->audit->fields[i].type == VT_STRING)
            v_str(v, e->data[i]);
        else
            v_raw(v, k->audit->fields[i].type, e->val[i], e->val_len[i]);
    }
}

/* Appends one record; returns 0 (and leaves the chunk as it was) if it
 * does not fit. */
static int chunk_add(chunk *c, const event *e, uint64_t rec_id)
{
    const kind *k = &kinds[e->kind];
    const uint32_t start = c->pos;
    const unsigned names_before = c->n_names, tpl_before = c->n_tpl;
    const uint64_t ft = unix_to_filetime(e->unix_s, e->frac_100ns);

    emit32(c, 0x00002a2a);
    const uint32_t size_at = c->pos;
    emit32(c, 0);
    emit64(c, rec_id);
    emit64(c, ft);

    emit8(c, 0x0f);
    emit8(c, 1);
    emit8(c, 1);
    emit8(c, 0);

    uint8_t guid[16];
    kind_guid(e->kind, guid);
    const uint32_t tpl_id = (uint32_t)guid[0] | (uint32_t)guid[1] << 8 |
                            (uint32_t)guid[2] << 16 | (uint32_t)guid[3] << 24;
    emit8(c, 0x0c);
    emit8(c, 0x01);
    emit32(c, tpl_id);
    uint32_t def = 0;
    for (unsigned i = 0; i < c->n_tpl; i++)
        if (c->tpl[i].kind == e->kind)
            def = c->tpl[i].off;
    if (def) {
        emit32(c, def);
    } else {
        def = c->pos + 4;
        emit32(c, def);
        emit32(c, 0); /* next template in the bucket: linked at close */
        emit(c, guid, 16);
        const uint32_t dsz = c->pos;
        emit32(c, 0);
        template_body(c, k);
        patch32(c, dsz, c->pos - dsz - 4);
        if (c->n_tpl < MAX_TPL)
            c->tpl[c->n_tpl++] = (tpl_ent){e->kind, def};
    }

    /* Instance data: descriptors, then values in slot order. */
    inst v;
    v.n = 0;
    if (k->audit)
        values_security(&v, e, k, ft, rec_id);
    else
        values_classic(&v, e, k, ft, rec_id);
    inst_emit(c, &v);
    emit8(c, 0x00); /* EOF after the template instance */

    const uint32_t rec_size = c->pos - start + 4;
    emit32(c, rec_size);
    if (c->overflow) {
        /* Roll back: nothing past start counts, and names or templates
         * first seen here were never written. */
        c->overflow = 0;
        memset(c->b + start, 0, CHUNK - start); /* no half record in the slack */
        c->pos = start;
        c->n_names = names_before;
        c->n_tpl = tpl_before;
        return 0;
    }
    patch32(c, size_at, rec_size);
    if (c->n_rec == 0)
        c->first_id = rec_id;
    c->last_id = rec_id;
    c->last_rec_off = start;
    c->n_rec++;
    return 1;
}

static void chunk_reset(chunk *c)
{
    memset(c->b, 0, sizeof c->b);
    c->pos = CHUNK_HDR;
    c->n_names = c->n_tpl = c->n_rec = 0;
    c->first_id = c->last_id = 0;
    c->last_rec_off = 0;
    c->overflow = 0;
}

/* Links the string and template buckets, then writes the header and its CRCs. */
static void chunk_close(chunk *c)
{
    uint8_t *b = c->b;
    for (unsigned i = 0; i < c->n_names; i++) {
        const unsigned bucket = c->names[i].hash % 64u;
        const uint32_t head = (uint32_t)b[128 + 4 * bucket] | (uint32_t)b[129 + 4 * bucket] << 8 |
                              (uint32_t)b[130 + 4 * bucket] << 16 |
                              (uint32_t)b[131 + 4 * bucket] << 24;
        put32(b + c->names[i].off, head);
        put32(b + 128 + 4 * bucket, c->names[i].off);
    }
    for (unsigned i = 0; i < c->n_tpl; i++) {
        /* Bucket by the template id's low bits, linking earlier entries. */
        const unsigned bucket = b[c->tpl[i].off + 4] % 32u;
        const uint32_t head = (uint32_t)b[384 + 4 * bucket] | (uint32_t)b[385 + 4 * bucket] << 8 |
                              (uint32_t)b[386 + 4 * bucket] << 16 |
                              (uint32_t)b[387 + 4 * bucket] << 24;
        put32(b + c->tpl[i].off, head);
        put32(b + 384 + 4 * bucket, c->tpl[i].off);
    }
    memcpy(b, "ElfChnk", 8);
    put64(b + 8, c->first_id);
    put64(b + 16, c->last_id);
    put64(b + 24, c->first_id);
    put64(b + 32, c->last_id);
    put32(b + 40, 128);
    put32(b + 44, c->last_rec_off);
    put32(b + 48, c->pos);
    put32(b + 52, crc(b + CHUNK_HDR, c->pos - CHUNK_HDR));
    put32(b + 120, 0);
    /* Header CRC: bytes [0,120) and [128,512), skipping flags and itself. */
    uint32_t h = (uint32_t)crc32(crc32(0L, Z_NULL, 0), b, 120);
    h = (uint32_t)crc32(h, b + 128, CHUNK_HDR - 128);
    put32(b + 124, h);
}

/* ---- the fleet and the noise -------------------------------------------------- */

static const char *const hosts[] = {
    "SRV-APP01.corp.example.com", "SRV-APP02.corp.example.com", "SRV-WEB01.corp.example.com",
    "SRV-WEB02.corp.example.com", "SRV-FILE01.corp.example.com", "SRV-PRINT01.corp.example.com",
    "WS-0142.corp.example.com", "WS-0177.corp.example.com", "WS-0203.corp.example.com",
    "RDG01.corp.example.com", "APP-SQL02.corp.example.com", "DC02.corp.example.com",
};
#define N_HOSTS (sizeof hosts / sizeof hosts[0])
/* The planted hosts; --rdgw-host and --uptime-host rename them (the demo
 * keeps its .evtx hosts apart from its text exports'). */
static const char *RDG01 = "RDG01.corp.example.com";
static const char *SQL02 = "APP-SQL02.corp.example.com";

static const char *const services[] = {
    "Windows Update", "Background Intelligent Transfer Service", "Windows Modules Installer",
    "WinHTTP Web Proxy Auto-Discovery Service", "Software Protection", "Windows Error Reporting Service",
    "Delivery Optimization", "Microsoft Defender Antivirus Network Inspection Service",
};

static const char *const apps[][4] = {
    /* app, module, exception code, path */
    {"OUTLOOK.EXE", "ntdll.dll", "c0000374", "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"},
    {"svchost.exe_wuauserv", "wuaueng.dll", "c0000005", "C:\\Windows\\system32\\svchost.exe"},
    {"w3wp.exe", "KERNELBASE.dll", "e0434352", "C:\\Windows\\SysWOW64\\inetsrv\\w3wp.exe"},
    {"explorer.exe", "Windows.UI.FileExplorer.dll", "c0000409", "C:\\Windows\\explorer.exe"},
};
#define N_APPS (sizeof apps / sizeof apps[0])

static void setd(event *e, unsigned i, const char *fmt, unsigned long long a, unsigned long long b)
{
    snprintf(e->databuf[i], sizeof e->databuf[i], fmt, a, b);
    e->data[i] = e->databuf[i];
}

static void fill_1000(event *e, const char *app, const char *mod, const char *code,
                      const char *path, const char *modpath)
{
    e->kind = K_1000;
    e->data[0] = app;
    setd(e, 1, "10.0.20348.%llu", 2322 + rnd_below(300), 0);
    setd(e, 2, "%08llx", 0x5e000000u + rnd_below(0xffffff), 0);
    e->data[3] = mod;
    setd(e, 4, "10.0.20348.%llu", 2582 + rnd_below(20), 0);
    setd(e, 5, "%08llx", 0x6f000000u + rnd_below(0xffffff), 0);
    e->data[6] = code;
    setd(e, 7, "%016llx", 0x40000u + rnd_below(0x40000), 0);
    setd(e, 8, "%llx", 0x400u + rnd_below(0x8000), 0);
    setd(e, 9, "%016llx", unix_to_filetime(e->unix_s - 600 - rnd_below(3000), 0), 0);
    e->data[10] = path;
    e->data[11] = modpath;
    setd(e, 12, "%08llx-9b7d-4c11-8e0f-%012llx", rnd() & 0xffffffffu, rnd() & 0xffffffffffffULL);
    e->data[13] = "";
    e->data[14] = "";
}

/* 6013 as in B.2: four empty Data, uptime, 60, the time zone, and the
 * version Binary (layout version, flag, product, version and build). The
 * planted host runs 2008 R2, which the 497-day bug affects; the fleet runs
 * 2022. */
static const char ver_2008r2[] = "1.1\0" "0\0" "Windows Server (R) 2008 Enterprise\0"
                                 "6.1.7601 Service Pack 1 Build 7601\0" "Multiprocessor Free\0";
static const char ver_2022[] = "1.1\0" "0\0" "Windows Server 2022 Standard\0" "10.0.20348 Build 20348\0"
                               "Multiprocessor Free\0";

static void fill_6013(event *e, unsigned long long uptime, int legacy)
{
    e->kind = K_6013;
    for (unsigned i = 0; i < 4; i++)
        e->data[i] = "";
    setd(e, 4, "%llu", uptime, 0);
    e->data[5] = "60";
    e->data[6] = "0 Coordinated Universal Time";
    const char *ver = legacy ? ver_2008r2 : ver_2022;
    const size_t ver_len = legacy ? sizeof ver_2008r2 : sizeof ver_2022;
    e->bin_len = (uint16_t)(2 * (ver_len - 1));
    for (unsigned i = 0; i + 1 < ver_len; i++) {
        e->bin[2 * i] = (uint8_t)ver[i];
        e->bin[2 * i + 1] = 0;
        if (2 * i + 2 >= sizeof e->bin) {
            e->bin_len = (uint16_t)(2 * i + 2);
            break;
        }
    }
}

/* ---- Security-Auditing records -------------------------------------------------- */

/* The fleet's domain: CORP, with accounts under one domain SID. */
#define DOMAIN_SID "S-1-5-21-3623811015-3361044348-30300820"

static const struct {
    const char *name;
    unsigned rid;
} users[] = {
    {"jsmith", 1104}, {"mgarcia", 1107}, {"akumar", 1112}, {"lchen", 1118},
    {"svc_sql", 1120}, {"svc_backup", 1121}, {"adm_rweber", 1125}, {"pnovak", 1131},
};
#define N_USERS (sizeof users / sizeof users[0])

/* The built-in service accounts a service logon (type 5) runs as. */
static const struct {
    const char *sid, *name;
    unsigned logon_id;
} builtin[] = {
    {"S-1-5-18", "SYSTEM", 0x3e7}, {"S-1-5-20", "NETWORK SERVICE", 0x3e4}, {"S-1-5-19", "LOCAL SERVICE", 0x3e5},
};

/* Windows writes PrivilegeList one privilege a line, indented by tabs. */
static const char *const privileges[] = {
    "SeAssignPrimaryTokenPrivilege\r\n\t\t\tSeTcbPrivilege\r\n\t\t\tSeSecurityPrivilege\r\n\t\t\t"
    "SeTakeOwnershipPrivilege\r\n\t\t\tSeLoadDriverPrivilege\r\n\t\t\tSeBackupPrivilege\r\n\t\t\t"
    "SeRestorePrivilege\r\n\t\t\tSeDebugPrivilege\r\n\t\t\tSeAuditPrivilege\r\n\t\t\t"
    "SeSystemEnvironmentPrivilege\r\n\t\t\tSeImpersonatePrivilege\r\n\t\t\tSeDelegateSessionUserImpersonatePrivilege",
    "SeSecurityPrivilege\r\n\t\t\tSeBackupPrivilege\r\n\t\t\tSeRestorePrivilege\r\n\t\t\t"
    "SeTakeOwnershipPrivilege\r\n\t\t\tSeDebugPrivilege\r\n\t\t\tSeSystemEnvironmentPrivilege\r\n\t\t\t"
    "SeLoadDriverPrivilege\r\n\t\t\tSeImpersonatePrivilege\r\n\t\t\tSeDelegateSessionUserImpersonatePrivilege\r\n\t\t\t"
    "SeEnableDelegationPrivilege",
};

/* Process creation: new image, its command line, its parent. */
static const char *const procs[][3] = {
    {"C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s BITS",
     "C:\\Windows\\System32\\services.exe"},
    {"C:\\Windows\\System32\\conhost.exe", "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1",
     "C:\\Windows\\System32\\cmd.exe"},
    {"C:\\Windows\\System32\\taskhostw.exe", "taskhostw.exe", "C:\\Windows\\System32\\svchost.exe"},
    {"C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding",
     "C:\\Windows\\System32\\svchost.exe"},
    {"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
     "powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\Get-DiskReport.ps1",
     "C:\\Windows\\System32\\svchost.exe"},
    {"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe",
     "\"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe\" -sMSSQLSERVER",
     "C:\\Windows\\System32\\services.exe"},
    {"C:\\Windows\\System32\\backgroundTaskHost.exe",
     "\"C:\\Windows\\system32\\backgroundTaskHost.exe\" -ServerName:BackgroundTaskHost.WebAccountProvider",
     "C:\\Windows\\System32\\svchost.exe"},
};
#define N_PROCS (sizeof procs / sizeof procs[0])

/* Names a password spray tries. */
static const char *const guessed[] = {"administrator", "admin", "user", "test", "backup", "scanner"};
#define N_GUESSED (sizeof guessed / sizeof guessed[0])

/* The f_* helpers fill the next named field; the kind's field table says
 * how it is stored, so each fill reads in the manifest's order. */
static void f_str(event *e, const char *s)
{
    e->data[e->nf++] = s;
}

static void f_fmt(event *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->databuf[e->nf], sizeof e->databuf[0], fmt, ap);
    va_end(ap);
    e->data[e->nf] = e->databuf[e->nf];
    e->nf++;
}

static void f_u32(event *e, uint32_t v) /* UInt32 and HexInt32 */
{
    put32(e->val[e->nf], v);
    e->val_len[e->nf++] = 4;
}

static void f_hex64(event *e, uint64_t v)
{
    put64(e->val[e->nf], v);
    e->val_len[e->nf++] = 8;
}

/* A GUID: all zero (NTLM logons have none), or random. */
static void f_guid(event *e, int zero)
{
    for (unsigned i = 0; i < 16; i += 8)
        put64(e->val[e->nf] + i, zero ? 0 : rnd());
    e->val_len[e->nf++] = 16;
}

/* A SID from its S-1-A-S1-...-Sn text: revision, sub-authority count, the
 * authority big-endian in six bytes, the sub-authorities little-endian. */
static void f_sid(event *e, const char *text)
{
    uint8_t *b = e->val[e->nf];
    const char *p = text + 2; /* past "S-" */
    char *end;
    b[0] = (uint8_t)strtoul(p, &end, 10);
    const unsigned long long auth = strtoull(end + 1, &end, 10);
    for (unsigned i = 0; i < 6; i++)
        b[2 + i] = (uint8_t)(auth >> (8 * (5 - i)));
    unsigned n = 0;
    while (*end == '-' && 8 + 4 * (n + 1) <= sizeof e->val[0]) {
        put32(b + 8 + 4 * n, (uint32_t)strtoul(end + 1, &end, 10));
        n++;
    }
    b[1] = (uint8_t)n;
    e->val_len[e->nf++] = (uint8_t)(8 + 4 * n);
}

static void f_user_sid(event *e, unsigned u)
{
    char sid[64];
    snprintf(sid, sizeof sid, DOMAIN_SID "-%u", users[u].rid);
    f_sid(e, sid);
}

/* The computer account, HOST$, as the machine's own logons name it. */
static void f_machine(event *e)
{
    f_fmt(e, "%.*s$", (int)strcspn(e->computer, "."), e->computer);
}

/* Subject fields: the machine (SYSTEM in the computer's name), a user, or none. */
static void subject_machine(event *e)
{
    f_sid(e, "S-1-5-18");
    f_machine(e);
    f_str(e, "CORP");
    f_hex64(e, 0x3e7);
}

static void subject_user(event *e, unsigned u, uint64_t logon_id)
{
    f_user_sid(e, u);
    f_str(e, users[u].name);
    f_str(e, "CORP");
    f_hex64(e, logon_id);
}

static void subject_none(event *e)
{
    f_sid(e, "S-1-0-0");
    f_str(e, "-");
    f_str(e, "-");
    f_hex64(e, 0);
}

static uint64_t logon_id(void)
{
    return 0x100000u + (rnd() & 0xffffffu);
}

static void f_client_ip(event *e)
{
    f_fmt(e, "10.4.%u.%u", rnd_below(8), 10 + rnd_below(240));
}

/* 4624: mostly network logons (file shares, Kerberos), then services, a few
 * interactive and RDP ones. */
static void fill_4624(event *e)
{
    const unsigned r = rnd_below(20);
    const unsigned type = r < 11 ? 3 : r < 16 ? 5 : r < 19 ? 2 : 10;
    const unsigned u = rnd_below((unsigned)N_USERS);
    if (type == 5) {
        const unsigned b = rnd_below(3);
        subject_machine(e);
        f_sid(e, builtin[b].sid);
        f_str(e, builtin[b].name);
        f_str(e, "NT AUTHORITY");
        f_hex64(e, builtin[b].logon_id);
        f_u32(e, type);
        f_str(e, "Advapi  ");
        f_str(e, "Negotiate");
        f_str(e, "-");
        f_guid(e, 1);
        f_str(e, "-");
        f_str(e, "-");
        f_u32(e, 0);
        f_hex64(e, 0x2a0 + 4 * rnd_below(16)); /* services.exe */
        f_str(e, "C:\\Windows\\System32\\services.exe");
        f_str(e, "-");
        f_str(e, "-");
    } else if (type == 3) {
        const int kerberos = rnd_below(3) != 0;
        subject_none(e);
        f_user_sid(e, u);
        f_str(e, users[u].name);
        f_str(e, "CORP");
        f_hex64(e, logon_id());
        f_u32(e, type);
        f_str(e, kerberos ? "Kerberos" : "NtLmSsp ");
        f_str(e, kerberos ? "Kerberos" : "NTLM");
        if (kerberos)
            f_str(e, "-");
        else
            f_fmt(e, "WS-%04u", 100 + rnd_below(200));
        f_guid(e, !kerberos);
        f_str(e, "-");
        f_str(e, kerberos ? "-" : "NTLM V2");
        f_u32(e, kerberos ? 0 : 128);
        f_hex64(e, 0);
        f_str(e, "-");
        f_client_ip(e);
        f_fmt(e, "%u", 49152 + rnd_below(16384));
    } else {
        subject_machine(e);
        f_user_sid(e, u);
        f_str(e, users[u].name);
        f_str(e, "CORP");
        f_hex64(e, logon_id());
        f_u32(e, type);
        f_str(e, "User32 ");
        f_str(e, "Negotiate");
        f_fmt(e, "%.*s", (int)strcspn(e->computer, "."), e->computer);
        f_guid(e, 0);
        f_str(e, "-");
        f_str(e, "-");
        f_u32(e, 0);
        f_hex64(e, 0x1000 + 4 * rnd_below(4096)); /* svchost.exe hosting the logon UI */
        f_str(e, "C:\\Windows\\System32\\svchost.exe");
        if (type == 10)
            f_client_ip(e);
        else
            f_str(e, "127.0.0.1");
        f_str(e, "0");
    }
    f_str(e, "%%1833"); /* ImpersonationLevel: Impersonation */
    f_str(e, type == 10 ? "%%1843" : "-"); /* RestrictedAdminMode: No */
    f_str(e, "-");
    f_str(e, "-");
    f_str(e, "%%1843"); /* VirtualAccount: No */
    f_hex64(e, type == 2 || type == 10 ? logon_id() : 0);
    f_str(e, type == 5 ? "%%1842" : "%%1843"); /* ElevatedToken */
}

static void fill_security(event *e)
{
    e->thread_id = 600u + 4u * rnd_below(2000);
    switch (e->kind) {
    case K_4624:
        fill_4624(e);
        break;
    case K_4634: {
        const unsigned u = rnd_below((unsigned)N_USERS);
        f_user_sid(e, u);
        f_str(e, users[u].name);
        f_str(e, "CORP");
        f_hex64(e, logon_id());
        f_u32(e, rnd_below(4) ? 3 : 2);
        break;
    }
    case K_4672:
        /* Service logons as SYSTEM, or an admin's logon. */
        if (rnd_below(3)) {
            f_sid(e, "S-1-5-18");
            f_str(e, "SYSTEM");
            f_str(e, "NT AUTHORITY");
            f_hex64(e, 0x3e7);
            f_str(e, privileges[0]);
        } else {
            subject_user(e, rnd_below(2) ? 6 : 5, logon_id());
            f_str(e, privileges[1]);
        }
        break;
    case K_4688: {
        const unsigned p = rnd_below((unsigned)N_PROCS);
        const int as_user = p == 1 || p == 4;
        if (as_user)
            subject_user(e, rnd_below((unsigned)N_USERS), logon_id());
        else
            subject_machine(e);
        f_hex64(e, 0x400 + 4 * rnd_below(8192));
        f_str(e, procs[p][0]);
        f_str(e, as_user ? "%%1938" : "%%1936"); /* TokenElevationType: limited, or full */
        f_hex64(e, 0x200 + 4 * rnd_below(8192));
        f_str(e, procs[p][1]);
        f_sid(e, "S-1-0-0");
        f_str(e, "-");
        f_str(e, "-");
        f_hex64(e, 0);
        f_str(e, procs[p][2]);
        f_sid(e, as_user ? "S-1-16-8192" : "S-1-16-16384"); /* medium, or system integrity */
        break;
    }
    case K_4625: {
        /* A password spray from outside over SMB: bad password or no such user. */
        const int known = rnd_below(2);
        subject_none(e);
        f_sid(e, "S-1-0-0");
        f_str(e, known ? users[rnd_below((unsigned)N_USERS)].name : guessed[rnd_below((unsigned)N_GUESSED)]);
        f_str(e, known ? "CORP" : "");
        f_u32(e, 0xc000006du);
        f_str(e, "%%2313"); /* Unknown user name or bad password. */
        f_u32(e, known ? 0xc000006au : 0xc0000064u);
        f_u32(e, 3);
        f_str(e, "NtLmSsp ");
        f_str(e, "NTLM");
        f_str(e, "-");
        f_str(e, "-");
        f_str(e, "-");
        f_u32(e, 0);
        f_hex64(e, 0);
        f_str(e, "-");
        f_fmt(e, "198.51.100.%u", 1 + rnd_below(254));
        f_fmt(e, "%u", 1024 + rnd_below(64000));
        break;
    }
    default:
        break;
    }
    /* A fill that drifted from its field table would shift every value. */
    if (e->nf != kinds[e->kind].n_data) {
        fprintf(stderr, "gen_evtx: kind %u filled %u of %u fields\n", kinds[e->kind].id, e->nf,
                (unsigned)kinds[e->kind].n_data);
        exit(1);
    }
}

/* A record drawn by `weights` (the mix's, in kind order). */
static void noise_event(event *e, int64_t t, const unsigned *weights, unsigned total_weight)
{
    memset(e, 0, sizeof *e);
    e->unix_s = t;
    e->frac_100ns = rnd_below(10000000);
    /* RDG01 and APP-SQL02 log noise too, so the planted events are not alone. */
    e->computer = hosts[rnd_below((unsigned)N_HOSTS)];
    unsigned w = rnd_below(total_weight);
    int k = 0;
    while (w >= weights[k]) {
        w -= weights[k];
        k++;
    }
    e->kind = k;
    switch (k) {
    case K_1000: {
        const unsigned a = rnd_below((unsigned)N_APPS);
        char *mp = e->databuf[15 % MAX_DATA];
        snprintf(mp, sizeof e->databuf[0], "C:\\Windows\\System32\\%s", apps[a][1]);
        fill_1000(e, apps[a][0], apps[a][1], apps[a][2], apps[a][3], mp);
        break;
    }
    case K_6013: /* under 300 days, and never on the planted uptime host */
        if (e->computer == hosts[10])
            e->computer = hosts[0];
        fill_6013(e, 3600u + (unsigned long long)rnd_below(25000000u), 0);
        break;
    case K_7036:
        e->data[0] = services[rnd_below(8)];
        e->data[1] = rnd_below(2) ? "running" : "stopped";
        e->bin_len = 8;
        for (unsigned i = 0; i < 8; i++)
            e->bin[i] = (uint8_t)rnd();
        break;
    case K_7040:
        e->data[0] = services[rnd_below(8)];
        e->data[1] = "auto start";
        e->data[2] = "demand start";
        e->data[3] = "BITS";
        break;
    case K_6005:
    case K_6006:
        e->bin_len = 0;
        break;
    case K_10016:
        e->data[0] = "application-specific";
        e->data[1] = "Local";
        e->data[2] = "Activation";
        e->data[3] = "{2593F8B9-4EAF-457C-B68A-50F6B8EA6B54}";
        e->data[4] = "{15C20B67-12E7-4BB6-92BB-7AFF07997402}";
        e->data[5] = "NT AUTHORITY";
        e->data[6] = "SYSTEM";
        e->data[7] = "S-1-5-18";
        e->data[8] = "LocalHost (Using LRPC)";
        e->data[9] = "Unavailable";
        e->data[10] = "Unavailable";
        break;
    case K_1001:
        setd(e, 0, "%llu", 1000000000ULL + rnd_below(900000000u), 0);
        e->data[1] = "5";
        e->data[2] = "APPCRASH";
        e->data[3] = "Not available";
        e->data[4] = "0";
        e->data[5] = "OUTLOOK.EXE";
        e->data[6] = "16.0.17328.20162";
        e->data[7] = "ntdll.dll";
        e->data[8] = "c0000374";
        e->data[9] = "";
        e->data[10] = "";
        e->data[11] = "";
        e->data[12] = "";
        e->data[13] = "0";
        break;
    case K_17137:
        e->data[0] = rnd_below(2) ? "tempdb" : "msdb";
        e->bin_len = 12;
        for (unsigned i = 0; i < 12; i++)
            e->bin[i] = (uint8_t)rnd();
        break;
    case K_1026:
        e->data[0] = "Application: Contoso.Sync.exe Framework Version: v4.0.30319 "
                     "Description: The process was terminated due to an unhandled exception.";
        break;
    case K_16384:
        setd(e, 0, "2024-10-%02lluT%02llu:00:00Z", 4 + rnd_below(20), rnd_below(24));
        e->data[1] = "RulesEngine";
        break;
    case K_1500:
        e->data[0] = "Windows Defender";
        break;
    case K_4624:
    case K_4634:
    case K_4672:
    case K_4688:
    case K_4625:
        fill_security(e);
        break;
    default:
        break;
    }
}

/* ---- the planted events -------------------------------------------------------- */

enum { PL_RDGW = 1, PL_UPTIME = 2, PL_TCPIP = 4 };

#define N_CRASH 12u
#define N_6013 3u
#define N_4227 2u
#define N_PLANT (N_CRASH + N_6013 + N_4227)

typedef struct plant {
    int64_t t;
    int kind;
    unsigned long long uptime;
} plant;

static int plant_cmp(const void *a, const void *b)
{
    const plant *x = a, *y = b;
    return (x->t > y->t) - (x->t < y->t);
}

/* ---- main --------------------------------------------------------------------- */

static unsigned long long parse_num(const char *s, const char *what)
{
    char *end;
    errno = 0;
    const unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end) {
        fprintf(stderr, "gen_evtx: bad %s: %s\n", what, s);
        exit(2);
    }
    return v;
}

static unsigned parse_plant(const char *s)
{
    if (strcmp(s, "all") == 0)
        return PL_RDGW | PL_UPTIME | PL_TCPIP;
    if (strcmp(s, "none") == 0)
        return 0;
    unsigned m = 0;
    while (*s) {
        const size_t n = strcspn(s, ",");
        if (n == 4 && strncmp(s, "rdgw", 4) == 0)
            m |= PL_RDGW;
        else if (n == 6 && strncmp(s, "uptime", 6) == 0)
            m |= PL_UPTIME;
        else if (n == 5 && strncmp(s, "tcpip", 5) == 0)
            m |= PL_TCPIP;
        else {
            fprintf(stderr, "gen_evtx: bad --plant item in: %s\n", s);
            exit(2);
        }
        s += n;
        if (*s == ',')
            s++;
    }
    return m;
}

/* ---- export twins (gen_twins.c) -------------------------------------------------- */

static const char *const level_names[] = {"Information", "Critical", "Error", "Warning", "Information"};

/* The category a record's Task renders as: classic providers name theirs,
 * and Task 0 is "None". */
static const char *task_name(const event *e)
{
    const kind *k = &kinds[e->kind];
    if (k->audit)
        return k->audit->task_name;
    if (e->kind == K_1000)
        return "Application Crashing Events";
    return k->task ? "Server" : "None"; /* MSSQLSERVER's category 2 */
}

/* The rendered description, lines separated by "\n": what the text twin
 * prints under Description: and the others carry as their message. */
static void render_message(const event *e, char *buf, size_t n)
{
    const kind *k = &kinds[e->kind];
    if (k->audit)
        snprintf(buf, n, "%s", k->audit->description);
    else if (e->kind == K_1000)
        snprintf(buf, n,
                 "Faulting application name: %s, version: %s, time stamp: 0x%s\nFaulting module name: %s, version: "
                 "%s, time stamp: 0x%s\nException code: 0x%s\nFault offset: 0x%s\nFaulting process id: 0x%s\n"
                 "Faulting application start time: 0x%s\nFaulting application path: %s\nFaulting module path: %s\n"
                 "Report Id: %s",
                 e->data[0], e->data[1], e->data[2], e->data[3], e->data[4], e->data[5], e->data[6], e->data[7],
                 e->data[8], e->data[9], e->data[10], e->data[11], e->data[12]);
    else if (e->kind == K_6013)
        snprintf(buf, n, "The system uptime is %s seconds.", e->data[4]);
    else if (e->kind == K_4227)
        snprintf(buf, n, "TCP/IP failed to establish an outgoing connection because the selected local endpoint "
                         "was recently used to connect to the same remote endpoint.");
    else
        snprintf(buf, n, "%s", k->n_data && e->data[0] ? e->data[0] : "(no description)");
}

/* {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} from the stored bytes (the first
 * three groups little-endian), as Windows renders a GUID. */
static void guid_text(const uint8_t *g, char *buf, size_t n)
{
    snprintf(buf, n, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
             (unsigned)g[0] | (unsigned)g[1] << 8 | (unsigned)g[2] << 16 | (unsigned)g[3] << 24,
             (unsigned)g[4] | (unsigned)g[5] << 8, (unsigned)g[6] | (unsigned)g[7] << 8, g[8], g[9], g[10], g[11],
             g[12], g[13], g[14], g[15]);
}

/* A named field's value as Windows renders it (the binary ones from
 * their stored bytes, so the twins say what the .evtx says). */
static const char *field_text(const event *e, unsigned i, char *buf, size_t n)
{
    const uint8_t *b = e->val[i];
    uint64_t v = 0;
    for (unsigned j = 0; j < e->val_len[i] && j < 8; j++)
        v |= (uint64_t)b[j] << (8 * j);
    switch (kinds[e->kind].audit->fields[i].type) {
    case VT_STRING:
        return e->data[i];
    case VT_SID: {
        uint64_t auth = 0;
        for (unsigned j = 0; j < 6; j++)
            auth = auth << 8 | b[2 + j];
        int w = snprintf(buf, n, "S-%u-%llu", b[0], (unsigned long long)auth);
        for (unsigned j = 0; j < b[1] && w > 0 && (size_t)w < n; j++)
            w += snprintf(buf + w, n - (size_t)w, "-%u",
                          (unsigned)b[8 + 4 * j] | (unsigned)b[9 + 4 * j] << 8 | (unsigned)b[10 + 4 * j] << 16 |
                              (unsigned)b[11 + 4 * j] << 24);
        return buf;
    }
    case VT_GUID:
        guid_text(b, buf, n);
        return buf;
    case VT_UINT32:
        snprintf(buf, n, "%llu", (unsigned long long)v);
        return buf;
    default: /* HexInt32 and HexInt64 */
        snprintf(buf, n, "0x%llx", (unsigned long long)v);
        return buf;
    }
}

/* What a twin_rec points into. */
typedef struct twin_buf {
    char message[2048];
    char data[MAX_DATA][80];
    char hex[2 * sizeof ((event *)0)->bin + 1];
    char guid[40], activity[40];
} twin_buf;

static void twin_of(const event *e, uint64_t rec_id, uint64_t n, twin_rec *r, twin_buf *b)
{
    const kind *k = &kinds[e->kind];
    render_message(e, b->message, sizeof b->message);
    *r = (twin_rec){.n = n, .record_id = rec_id, .unix_s = e->unix_s, .frac_100ns = e->frac_100ns,
                    .provider = k->provider, .id = k->id, .qualifiers = k->qualifiers, .level = k->level,
                    .task = k->task, .channel = channel_names[k->channel], .computer = e->computer,
                    .level_name = level_names[k->level < 5 ? k->level : 0], .task_name = task_name(e),
                    .message = b->message, .n_data = k->n_data};
    if (k->audit) {
        uint8_t activity[16];
        lsa_activity(e, activity);
        guid_text(security_auditing_guid, b->guid, sizeof b->guid);
        guid_text(activity, b->activity, sizeof b->activity);
        r->provider_guid = b->guid;
        r->activity_id = b->activity;
        r->version = k->audit->version;
        r->keywords = k->audit->keywords;
        r->pid = lsass_pid(e);
        r->tid = e->thread_id;
        r->opcode_name = "Info";
        r->keyword_name = k->audit->keywords == KW_AUDIT_FAILURE ? "Audit Failure" : "Audit Success";
        r->shape = TWIN_SYS_AUDIT;
        for (unsigned i = 0; i < k->n_data; i++) {
            r->data_name[i] = k->audit->fields[i].name;
            r->data[i] = field_text(e, i, b->data[i], sizeof b->data[i]);
        }
        return;
    }
    r->keywords = KW_CLASSIC;
    r->keyword_name = "Classic";
    r->shape = e->kind == K_6013 ? TWIN_SYS_B2 : TWIN_SYS_CLASSIC;
    r->opcode_name = r->shape == TWIN_SYS_B2 ? NULL : "Info";
    for (unsigned i = 0; i < k->n_data; i++)
        r->data[i] = e->data[i];
    if (k->binary) {
        for (unsigned i = 0; i < e->bin_len; i++)
            snprintf(b->hex + 2 * i, 3, "%02X", e->bin[i]);
        b->hex[2 * e->bin_len] = '\0';
        r->binary_hex = b->hex;
    }
}

/* --FORMAT=PATH for one of the twin formats: notes PATH and returns 1. */
static int twin_option(const char *arg, const char **paths)
{
    for (unsigned i = 0; i < TWIN_N_FORMATS; i++) {
        const size_t n = strlen(twin_formats[i].opt);
        if (strncmp(arg, "--", 2) == 0 && strncmp(arg + 2, twin_formats[i].opt, n) == 0 && arg[2 + n] == '=' &&
            arg[3 + n]) {
            paths[i] = arg + 3 + n;
            return 1;
        }
    }
    return 0;
}

static chunk ck; /* 64 KiB plus tables: static, not on the stack */

int main(int argc, char **argv)
{
    const char *out = NULL, *size_s = NULL, *seed_s = NULL;
    const char *twin_path[TWIN_N_FORMATS] = {NULL};
    unsigned mask = PL_RDGW | PL_UPTIME | PL_TCPIP;
    int classic = 0;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--plant=", 8) == 0)
            mask = parse_plant(argv[i] + 8);
        else if (strcmp(argv[i], "--mix=fleet") == 0)
            classic = 0;
        else if (strcmp(argv[i], "--mix=classic") == 0)
            classic = 1;
        else if (strncmp(argv[i], "--mix=", 6) == 0) {
            fprintf(stderr, "gen_evtx: bad --mix (fleet, classic): %s\n", argv[i] + 6);
            return 2;
        } else if (twin_option(argv[i], twin_path))
            continue;
        else if (strncmp(argv[i], "--rdgw-host=", 12) == 0 && argv[i][12])
            RDG01 = argv[i] + 12;
        else if (strncmp(argv[i], "--uptime-host=", 14) == 0 && argv[i][14])
            SQL02 = argv[i] + 14;
        else if (!out)
            out = argv[i];
        else if (!size_s)
            size_s = argv[i];
        else if (!seed_s)
            seed_s = argv[i];
        else
            size_s = NULL, i = argc; /* too many: fall into usage */
    }
    if (!out || !size_s) {
        fprintf(stderr, "usage: gen_evtx OUT.evtx SIZE_BYTES [SEED] "
                        "[--plant=all|none|rdgw,uptime,tcpip] [--mix=fleet|classic] [--rdgw-host=NAME] "
                        "[--uptime-host=NAME] [--FORMAT=PATH]...\nexport twins (FORMAT):\n");
        for (unsigned i = 0; i < TWIN_N_FORMATS; i++)
            fprintf(stderr, "  --%-11s %s\n", twin_formats[i].opt, twin_formats[i].what);
        return 2;
    }
    const unsigned long long size = parse_num(size_s, "size");
    const unsigned long long seed = seed_s ? parse_num(seed_s, "seed") : 1;
    rng_state = seed * 0x9E3779B97F4A7C15ULL + 0x1234567ULL;
    if (!rng_state)
        rng_state = 1;
    /* Chunks wanted: enough to reach SIZE_BYTES, at least one. Planted
     * events left over at the end may add one more. */
    const unsigned long long want = size > FILE_HDR ? (size - FILE_HDR + CHUNK - 1) / CHUNK : 1;

    /* Planted timeline (times are seconds since T0). */
    plant pl[N_PLANT];
    unsigned np = 0, n_crash = 0, n_6013 = 0, n_over = 0, n_4227 = 0;
    unsigned long long max_up = 0;
    if (mask & PL_RDGW) {
        /* Day two, 08:00 UTC, every 30 min +-60 s. */
        for (unsigned i = 0; i < N_CRASH; i++, n_crash++)
            pl[np++] = (plant){86400 + 8 * 3600 + 1800 * (int64_t)i + (int64_t)rnd_below(121) - 60,
                               K_1000, 0};
    }
    if (mask & PL_UPTIME) {
        /* Daily at 12:00: the first below the 497-day point, then at and past it. */
        for (unsigned i = 0; i < N_6013; i++, n_6013++) {
            const unsigned long long up = UPTIME_497 - 86400ULL + 86400ULL * i;
            pl[np++] = (plant){86400 * (int64_t)i + 12 * 3600, K_6013, up};
            n_over += up >= UPTIME_497;
            max_up = up > max_up ? up : max_up;
        }
    }
    if (mask & PL_TCPIP) {
        for (unsigned i = 0; i < N_4227; i++, n_4227++)
            pl[np++] = (plant){86400 + 15 * 3600 + 420 * (int64_t)i + (int64_t)rnd_below(60), K_4227,
                               0};
    }
    qsort(pl, np, sizeof pl[0], plant_cmp);

    FILE *f = fopen(out, "wb");
    if (!f)
        die(out);
    FILE *twin[TWIN_N_FORMATS] = {NULL};
    int any_twin = 0;
    for (unsigned i = 0; i < TWIN_N_FORMATS; i++) {
        if (!twin_path[i])
            continue;
        twin[i] = fopen(twin_path[i], "wb");
        if (!twin[i])
            die(twin_path[i]);
        if (twin_formats[i].begin)
            twin_formats[i].begin(twin[i]);
        any_twin = 1;
    }
    static uint8_t fh[FILE_HDR];
    if (fwrite(fh, 1, FILE_HDR, f) != FILE_HDR) /* the real header goes in last */
        die("write");

    unsigned weights[K_COUNT], total_weight = 0;
    for (int k = 0; k < K_COUNT; k++) {
        weights[k] = classic ? kinds[k].weight : kinds[k].weight_fleet;
        total_weight += weights[k];
    }

    uint64_t rec_id = 1;
    unsigned long long chunks = 0, records = 0, per_channel[3] = {0, 0, 0}, per_kind[K_COUNT] = {0};
    twin_rec tr;
    static twin_buf tb;
    unsigned next_plant = 0;
    event e;
    int have = 0;       /* e holds a record that did not fit the last chunk */
    int have_plant = 0; /* and it is a planted one, which must not be lost */
    while (chunks < want || next_plant < np || have) {
        chunk_reset(&ck);
        for (;;) {
            if (!have) {
                /* Time follows the position in the file, so any size covers
                 * the same three days and the planted events land in order. */
                const unsigned long long done = chunks * CHUNK + ck.pos;
                const int64_t t = (int64_t)(done * (unsigned long long)SPAN_S / (want * CHUNK));
                /* Past the wanted chunks only planted events are left. */
                if (next_plant < np && (pl[next_plant].t <= t || chunks >= want)) {
                    const plant *p = &pl[next_plant++];
                    have_plant = 1;
                    memset(&e, 0, sizeof e);
                    e.unix_s = T0_UNIX + p->t;
                    e.frac_100ns = rnd_below(10000000);
                    if (p->kind == K_1000) {
                        e.computer = RDG01;
                        fill_1000(&e, "svchost.exe_TSGateway", "aaedge.dll", "c0000005",
                                  "C:\\Windows\\system32\\svchost.exe",
                                  "C:\\Windows\\System32\\aaedge.dll");
                    } else if (p->kind == K_6013) {
                        e.computer = SQL02;
                        fill_6013(&e, p->uptime, 1);
                    } else {
                        e.computer = SQL02;
                        e.kind = K_4227;
                    }
                } else if (chunks < want) {
                    have_plant = 0;
                    noise_event(&e, T0_UNIX + (t < SPAN_S ? t : SPAN_S - 1), weights, total_weight);
                } else {
                    break;
                }
                have = 1;
            }
            if (!chunk_add(&ck, &e, rec_id))
                break; /* a fresh chunk takes it */
            if (any_twin) {
                twin_of(&e, rec_id, records + 1, &tr, &tb);
                for (unsigned i = 0; i < TWIN_N_FORMATS; i++)
                    if (twin[i])
                        twin_formats[i].record(twin[i], &tr);
            }
            have = 0;
            rec_id++;
            records++;
            per_channel[kinds[e.kind].channel]++;
            per_kind[e.kind]++;
        }
        if (ck.n_rec == 0) {
            fprintf(stderr, "gen_evtx: a record does not fit in an empty chunk\n");
            return 1;
        }
        /* Noise that missed the last wanted chunk is dropped, so the file
         * is no bigger than asked unless planted events need the room. */
        if (have && !have_plant && chunks + 1 >= want)
            have = 0;
        chunk_close(&ck);
        if (fwrite(ck.b, 1, CHUNK, f) != CHUNK)
            die("write");
        chunks++;
    }

    memcpy(fh, "ElfFile", 8);
    put64(fh + 8, 0);
    put64(fh + 16, chunks - 1);
    put64(fh + 24, rec_id);
    put32(fh + 32, 128);
    put16(fh + 36, 1);
    put16(fh + 38, 3);
    put16(fh + 40, FILE_HDR);
    /* A u16 on disk: past 65,535 chunks (4 GiB) readers must scan to EOF,
     * as they already do for stale counts. */
    put16(fh + 42, chunks > 0xffff ? 0xffff : (uint32_t)chunks);
    put32(fh + 120, 0);
    put32(fh + 124, crc(fh, 120));
    if (fseek(f, 0, SEEK_SET) != 0 || fwrite(fh, 1, FILE_HDR, f) != FILE_HDR || fclose(f) != 0)
        die("write");
    for (unsigned i = 0; i < TWIN_N_FORMATS; i++) {
        if (!twin[i])
            continue;
        if (twin_formats[i].end)
            twin_formats[i].end(twin[i], records);
        if (ferror(twin[i]) || fclose(twin[i]) != 0)
            die(twin_path[i]);
    }

    const unsigned findings = (n_crash > 0) + (n_6013 > 0 && n_over > 0) + (n_4227 > 0);
    fprintf(stderr,
            "gen_evtx: seed=%llu bytes=%llu chunks=%llu records=%llu (security=%llu system=%llu "
            "application=%llu) | planted: %s "
            "svchost.exe_TSGateway/aaedge.dll/c0000005 Event 1000 x%u every 30 min +-60 s; "
            "%s 6013 x%u (%u >= %u s, max %llu); %s Tcpip 4227 x%u | expected_findings=%u:",
            seed, (unsigned long long)(FILE_HDR + chunks * CHUNK), chunks, records, per_channel[CH_SECURITY],
            per_channel[CH_SYSTEM], per_channel[CH_APPLICATION], RDG01, n_crash, SQL02,
            n_6013, n_over, UPTIME_497, max_up, SQL02, n_4227, findings);
    if (n_crash)
        fprintf(stderr, " rdgw-crash %s critical;", RDG01);
    if (n_over)
        fprintf(stderr, " uptime-497 %s critical;", SQL02);
    if (n_4227)
        fprintf(stderr, " tcpip-port-exhaustion %s medium;", SQL02);
    /* Every record of these ids, planted or noise: what a filter on the id finds. */
    fprintf(stderr, " | records by id: 1000=%llu 6013=%llu 4227=%llu\n", per_kind[K_1000], per_kind[K_6013],
            per_kind[K_4227]);
    return 0;
}
