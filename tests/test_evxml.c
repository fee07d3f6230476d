/* test_evxml.c - the "xml" format: Event XML as wevtutil, Get-WinEvent and
 * exports write it, through the registry, every input behind a guard page;
 * hostile markup; and the fixtures through the logsift binary. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sift_evxml.h"
#include "sift_table.h"
#include "stream_harness.h"

#define OPS (sift_evxml_format.stream)
#define FIXTURES SIFT_SOURCE_DIR "/corpus/formats/xml"

/* ---- helpers ------------------------------------------------------------------ */

/* The records of a whole input, framed at once and kept with the state
 * their decoded values live in. */
typedef struct xrun {
    void *state;
    sift_rec rec[256];
    size_t n;
    size_t errors;
    sift_error err[64];
} xrun;

static void xframe(xrun *x, const char *text, size_t len)
{
    memset(x, 0, sizeof *x);
    x->state = aligned_alloc(16, (OPS->state_size + 15) / 16 * 16);
    cr_assert_not_null(x->state);
    OPS->init(x->state);
    sift_in in = { (const uint8_t *)text, len, 0 };
    for (;;) {
        sift_recs out = { x->rec + x->n, 256 - x->n, 0 };
        sift_error e = { SIFT_OK, 0, NULL };
        sift_status st = OPS->finish(x->state, &in, 0, &out, &e);
        x->n += out.n;
        if (sift_is_error(st)) {
            if (x->errors < 64)
                x->err[x->errors] = e;
            x->errors++;
            continue;
        }
        cr_assert(st == SIFT_NEED_MORE, "status %d", st);
        break;
    }
}

static sift_event xdecode(xrun *x, size_t k)
{
    cr_assert(k < x->n, "record %zu of %zu", k, x->n);
    sift_event ev;
    sift_error e = { SIFT_OK, 0, NULL };
    sift_status st = OPS->decode(x->state, &x->rec[k], &ev, &e);
    cr_assert_eq(st, SIFT_OK, "decode of record %zu: %s", k, e.detail ? e.detail : "?");
    return ev;
}

static void xfree(xrun *x)
{
    free(x->state);
}

static int slice_is(sift_slice s, const char *z)
{
    return s.len == strlen(z) && (s.len == 0 || memcmp(s.ptr, z, s.len) == 0);
}

#define expect_slice(s, z) cr_expect(slice_is((s), (z)), "%s is \"%.*s\", not \"%s\"", #s, (int)(s).len, (const char *)(s).ptr, (z))

/* A text the whole of which must frame into exactly one record whose
 * decoding is returned (x must be freed). */
static sift_event one_event(xrun *x, const char *text)
{
    xframe(x, text, strlen(text));
    cr_assert_eq(x->errors, 0, "unexpected error: %s at %llu", x->errors ? x->err[0].detail : "",
                 (unsigned long long)(x->errors ? x->err[0].offset : 0));
    cr_assert_eq(x->n, 1, "%zu records", x->n);
    return xdecode(x, 0);
}

#define NS "http://schemas.microsoft.com/win/2004/08/events/event"
#define SYSTEM(prov, id)                                                                                          \
    "<System><Provider Name='" prov "'/><EventID Qualifiers='32768'>" id "</EventID><Level>4</Level>"             \
    "<TimeCreated SystemTime='2024-07-10T12:00:00.5120000Z'/><EventRecordID>5001</EventRecordID>"                   \
    "<Channel>System</Channel><Computer>SQL-OLD01.corp.example.com</Computer></System>"
#define UPTIME_DATA                                                                                               \
    "<EventData><Data></Data><Data></Data><Data></Data><Data></Data><Data>43200000</Data><Data>60</Data>"        \
    "<Data>-540 Tokyo Standard Time</Data></EventData>"
#define UPTIME "<Event xmlns='" NS "'>" SYSTEM("EventLog", "6013") UPTIME_DATA "</Event>"

/* ---- registration and sniffing ---------------------------------------------------------- */

Test(evxml, is_the_registered_stream_format_named_xml)
{
    size_t n;
    const sift_format *const *all = sift_registry(&n);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found += all[i] == &sift_evxml_format;
    cr_expect_eq(found, 1);
    cr_expect_str_eq(sift_evxml_format.name, "xml");
    cr_expect(sift_evxml_format.stream && !sift_evxml_format.line && !sift_evxml_format.container);
    cr_expect_eq(sift_evxml_format.produces, SIFT_PRODUCES_EVENTS);
}

static int sniff(const char *s)
{
    guard_buf g = guard_copy(s, strlen(s));
    int r = OPS->sniff(sift_slice_make(g.ptr, g.len));
    guard_free(&g);
    return r;
}

Test(evxml, sniff_claims_declarations_exports_and_bare_events)
{
    static const char *const yes[] = {
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n",
        "<?xml version='1.0'?><Events>",
        "<?xml",
        "<Events>\n",
        "<Events xmlns=\"" NS "\">\n",
        "<Events/>",
        "<Event xmlns='" NS "'><System><Provider Name='EventLog'/>",
        "  \t<Event>\n",
        "<Event\n",
        "<e:Event xmlns:e='" NS "'>",
        "<ns0:Events>",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_expect(sniff(yes[i]), "should claim: %s", yes[i]);
}

Test(evxml, sniff_leaves_other_streams_alone)
{
    static const char *const no[] = {
        "",
        "   \n",
        "<EventData>",
        "<Eventual>",
        "<Event",
        "<?xml-stylesheet href='x'?>",
        "<?xml version=\"1.0\"?><Objs Version=\"1.1.0.1\">",
        "<html><body>",
        "<!-- <Event> -->",
        "Log Name:      Application\r\n",
        "Event[0]:\r\n",
        "Level,Date and Time,Source,Event ID,Task Category\r\n",
        "{\"winlog\":{\"event_id\":6013}}\n",
        "Active Connections\r\n",
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_expect(!sniff(no[i]), "should not claim: %s", no[i]);
}

/* The seeds of every other text format start with something else than
 * markup, so none of them is claimed. */
Test(evxml, sniff_claims_no_seed_of_the_other_text_formats)
{
    static const char *const dirs[] = { "fuzz_evtext", "fuzz_evsave_txt", "fuzz_evsave_csv", "fuzz_evsave",
                                        "fuzz_netstat", "fuzz_message" };
    size_t seen = 0;
    for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
        char path[512];
        snprintf(path, sizeof path, "%s/corpus/%s", SIFT_SOURCE_DIR, dirs[d]);
        DIR *dir = opendir(path);
        cr_assert_not_null(dir, "%s", path);
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (e->d_name[0] == '.')
                continue;
            char file[1024];
            snprintf(file, sizeof file, "%s/%s", path, e->d_name);
            size_t len;
            char *t = sb_slurp(file, &len);
            const char *nl = memchr(t, '\n', len);
            size_t head = nl ? (size_t)(nl - t) + 1 : len;
            if (head > SIFT_SNIFF_BYTES)
                head = SIFT_SNIFF_BYTES;
            size_t b = 0;
            while (b < head && (t[b] == ' ' || t[b] == '\t'))
                b++;
            if (b == head || t[b] != '<') {
                guard_buf g = guard_copy(t, head);
                cr_expect(!OPS->sniff(sift_slice_make(g.ptr, g.len)), "claims %s", file);
                guard_free(&g);
                seen++;
            }
            free(t);
        }
        closedir(dir);
    }
    cr_expect_gt(seen, 20);
}

/* ---- the fixtures: the shared event set --------------------------------------------------- */

static const char *const fixtures[] = {
    "rdg01-application.wevtutil.xml",
    "sql-old01-system.towinevent.xml",
    "export-rendered-en.xml",
    "export-rendered-ja.xml",
};

static char *fixture(size_t i, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", FIXTURES, fixtures[i]);
    return sb_slurp(path, len);
}

/* Event 1 of the shared set, as every fixture that holds it must decode. */
static void expect_rdg_crash(const sift_event *ev, int64_t secs, uint64_t record_id)
{
    expect_slice(ev->provider, "Application Error");
    cr_expect(ev->have & SIFT_EV_ID);
    cr_expect_eq(ev->id, 1000);
    cr_expect(ev->have & SIFT_EV_QUALIFIERS);
    cr_expect_eq(ev->qualifiers, 0);
    cr_expect_eq(ev->level, SIFT_LEVEL_ERROR);
    cr_expect(ev->have & SIFT_EV_RECORD_ID);
    cr_expect_eq(ev->record_id, record_id);
    expect_slice(ev->channel, "Application");
    expect_slice(ev->computer, "RDG01.corp.example.com");
    cr_expect(ev->time.valid && ev->time.utc);
    cr_expect_eq(ev->time.secs, secs);
    cr_expect_eq(ev->n_data, 15);
    expect_slice(ev->data[0].value, "svchost.exe_TSGateway");
    cr_expect_eq(ev->data[0].name.len, 0);
    expect_slice(ev->data[6].value, "c0000005");
    expect_slice(ev->data[10].value, "C:\\Windows\\system32\\svchost.exe");
    expect_slice(ev->data[12].value, "6f1b1a2c-3d4e-4f50-8a9b-0c1d2e3f4a5b");
    expect_slice(ev->data[13].value, "");
    expect_slice(ev->data[14].value, "");
    expect_slice(ev->fld[SIFT_FLD_APP_NAME], "svchost.exe_TSGateway");
    expect_slice(ev->fld[SIFT_FLD_APP_VERSION], "10.0.20348.2582");
    expect_slice(ev->fld[SIFT_FLD_MODULE_NAME], "aaedge.dll");
    expect_slice(ev->fld[SIFT_FLD_EXCEPTION_CODE], "c0000005");
}

/* Event 2: EventLog 6013, uptime in Data[4], the OS in its Binary. */
static void expect_sql_uptime(const sift_event *ev)
{
    expect_slice(ev->provider, "EventLog");
    cr_expect_eq(ev->id, 6013);
    cr_expect(ev->have & SIFT_EV_QUALIFIERS);
    cr_expect_eq(ev->qualifiers, 32768);
    cr_expect_eq(ev->level, SIFT_LEVEL_INFO);
    cr_expect_eq(ev->record_id, 5001);
    expect_slice(ev->channel, "System");
    expect_slice(ev->computer, "SQL-OLD01.corp.example.com");
    cr_expect_eq(ev->time.secs, 1720612800); /* 2024-07-10T12:00:00Z */
    cr_expect_eq(ev->time.nsec, 512000000);
    cr_expect_eq(ev->n_data, 7);
    expect_slice(ev->data[4].value, "43200000");
    expect_slice(ev->data[6].value, "-540 Tokyo Standard Time");
    expect_slice(ev->fld[SIFT_FLD_UPTIME], "43200000");
    sift_host_fact f;
    char buf[256];
    cr_assert(sift_event_os_fact(ev, &f, buf, sizeof buf), "Binary gives the OS");
    expect_slice(f.os_name, "Windows Server (R) 2008 R2 Enterprise");
    expect_slice(f.os_version, "6.1.7601 Service Pack 1 Build 7601");
    cr_expect(f.major == 6 && f.minor == 1 && f.build == 7601);
}

Test(evxml, wevtutil_events_on_one_line_without_a_root_give_the_shared_set)
{
    size_t len;
    char *t = fixture(0, &len);
    xrun x;
    xframe(&x, t, len);
    cr_assert_eq(x.errors, 0);
    cr_assert_eq(x.n, 4);
    for (size_t i = 0; i < 4; i++) {
        cr_expect_eq(x.rec[i].line, 1);
        cr_expect_eq(x.rec[i].id, 1000);
        expect_slice(x.rec[i].provider, "Application Error");
    }
    cr_expect_eq(x.rec[0].offset, 0);
    cr_expect_eq(x.rec[1].offset, x.rec[0].bytes.len);
    static const int64_t at[3] = { 1720602000, 1720603800, 1720605600 }; /* 09:00, 09:30, 10:00Z */
    for (size_t i = 0; i < 3; i++) {
        sift_event ev = xdecode(&x, i);
        expect_rdg_crash(&ev, at[i], 101 + i);
    }
    cr_expect_eq(xdecode(&x, 1).time.nsec, 512345600);
    cr_expect_eq(xdecode(&x, 2).time.nsec, 123456789);
    sift_event decoy = xdecode(&x, 3);
    expect_slice(decoy.fld[SIFT_FLD_APP_NAME], "notepad.exe");
    expect_slice(decoy.fld[SIFT_FLD_EXCEPTION_CODE], "c0000005");
    cr_expect_eq(decoy.message.len, 0, "wevtutil /f:xml renders no message");
    xfree(&x);
    free(t);
}

Test(evxml, to_xml_output_gives_the_uptime_event_and_its_os)
{
    size_t len;
    char *t = fixture(1, &len);
    xrun x;
    xframe(&x, t, len);
    cr_assert_eq(x.errors, 0);
    cr_assert_eq(x.n, 1);
    sift_event ev = xdecode(&x, 0);
    expect_sql_uptime(&ev);
    xfree(&x);
    free(t);
}

static void check_rendered_export(size_t which, const char *crash_line, const char *uptime_msg)
{
    size_t len;
    char *t = fixture(which, &len);
    xrun x;
    xframe(&x, t, len);
    cr_assert_eq(x.errors, 0);
    cr_assert_eq(x.n, 5);
    sift_event ev = xdecode(&x, 0);
    expect_rdg_crash(&ev, 1720602000, 101);
    expect_slice(ev.provider_guid, "{a0e9b465-b939-57d7-b27d-95d8e925ff57}");
    cr_expect(ev.message.len > 0 && memcmp(ev.message.ptr, crash_line, strlen(crash_line)) == 0,
              "message starts \"%.*s\"", (int)(ev.message.len < 80 ? ev.message.len : 80), ev.message.ptr);
    /* Literal line ends are normalized to LF; written as references
     * (&#xD;&#xA;, the Japanese fixture) they are kept as they say. */
    if (which == 2)
        cr_expect(memchr(ev.message.ptr, '\r', ev.message.len) == NULL, "line ends are LF");
    else
        cr_expect(sift_slice_find(ev.message, SIFT_LIT("\r\n")) < ev.message.len, "CR LF from references");
    ev = xdecode(&x, 4);
    expect_sql_uptime(&ev);
    expect_slice(ev.message, uptime_msg);
    cr_expect_eq(x.rec[4].line, which == 2 ? 227 : 186);
    xfree(&x);
    free(t);
}

Test(evxml, an_english_export_with_declaration_and_rendering_gives_the_shared_set)
{
    check_rendered_export(2, "Faulting application name: svchost.exe_TSGateway, version: 10.0.20348.2582, "
                             "time stamp: 0x6a8f2f5d\nFaulting module name: aaedge.dll",
                          "The system uptime is 43200000 seconds.");
}

Test(evxml, a_japanese_export_with_japanese_rendering_gives_the_shared_set)
{
    check_rendered_export(3, "障害が発生しているアプリケーション名: svchost.exe_TSGateway、バージョン: 10.0.20348.2582",
                          "システムの稼働時間は 43200000 秒です。");
}

static void each_fixture(void (*check)(const sift_stream_ops *, const char *, size_t))
{
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        size_t len;
        char *t = fixture(i, &len);
        check(OPS, t, len);
        free(t);
    }
}

Test(evxml, every_prefix_of_every_fixture_needs_more_and_never_errs)
{
    each_fixture(sh_expect_every_prefix);
}

Test(evxml, fixtures_frame_and_decode_the_same_in_any_chunking)
{
    each_fixture(sh_expect_chunking_invariant);
}

/* ---- fields ---------------------------------------------------------------------------------- */

Test(evxml, named_data_gives_the_canonical_fields)
{
    xrun x;
    sift_event ev = one_event(&x, "<Event><System><Provider Name=\"Application Error\"/><EventID>1000</EventID>"
                                  "</System><EventData><Data Name=\"AppName\">svchost.exe_TSGateway</Data>"
                                  "<Data Name=\"ExceptionCode\">c0000005</Data><Data Name='Empty'/></EventData></Event>");
    cr_expect_eq(ev.n_data, 3);
    expect_slice(ev.data[0].name, "AppName");
    expect_slice(ev.data[2].name, "Empty");
    expect_slice(ev.data[2].value, "");
    expect_slice(ev.fld[SIFT_FLD_APP_NAME], "svchost.exe_TSGateway");
    expect_slice(ev.fld[SIFT_FLD_EXCEPTION_CODE], "c0000005");
    cr_expect(!(ev.have & SIFT_EV_QUALIFIERS));
    xfree(&x);
}

Test(evxml, a_full_classic_event_id_splits_into_id_and_qualifiers)
{
    xrun x;
    sift_event ev = one_event(&x, "<Event><System><Provider Name='EventLog'/><EventID> 2147489661 </EventID>"
                                  "</System></Event>");
    cr_expect_eq(ev.id, 6013);
    cr_expect(ev.have & SIFT_EV_QUALIFIERS);
    cr_expect_eq(ev.qualifiers, 0x8000);
    cr_expect_eq(x.rec[0].id, 6013);
    xfree(&x);
}

Test(evxml, prefixed_names_read_by_their_local_name)
{
    xrun x;
    sift_event ev = one_event(&x, "<e:Events xmlns:e='" NS "'><e:Event><e:System><e:Provider Name='EventLog'/>"
                                  "<e:EventID Qualifiers='32768'>6013</e:EventID><e:Computer>H</e:Computer>"
                                  "</e:System><e:EventData><e:Data/><e:Data/><e:Data/><e:Data/><e:Data>9</e:Data>"
                                  "</e:EventData></e:Event></e:Events>");
    cr_expect_eq(ev.id, 6013);
    expect_slice(ev.provider, "EventLog");
    expect_slice(ev.computer, "H");
    expect_slice(ev.fld[SIFT_FLD_UPTIME], "9");
    xfree(&x);
}

Test(evxml, entities_and_character_references_are_decoded_and_nothing_else)
{
    xrun x;
    sift_event ev = one_event(
        &x, "<Event><System><Provider Name='Foo &amp; Bar'/><EventID>1</EventID><Computer>a&#x2D;b</Computer>"
            "</System><EventData>"
            "<Data>a &lt;b&gt; &amp; &quot;q&quot; &apos;s&apos; &#65;&#x42;&#x3042;&#128512;</Data>"
            "<Data>&#0; &#xD800; &#x110000; &foo; &lol9; & &#x0x41; &amp</Data>"
            "<Data><![CDATA[<x> & &amp;]]>+<!-- gone -->c<?pi gone?>d</Data>"
            "<Data>one\r\ntwo\rthree&#13;&#10;</Data>"
            "<Data Name='t&#9;a\tb\nc'>v</Data>"
            "</EventData></Event>");
    expect_slice(x.rec[0].provider, ""); /* only decode() resolves the reference */
    expect_slice(ev.provider, "Foo & Bar");
    expect_slice(ev.computer, "a-b");
    cr_assert_eq(ev.n_data, 5);
    expect_slice(ev.data[0].value, "a <b> & \"q\" 's' AB\xE3\x81\x82\xF0\x9F\x98\x80");
    expect_slice(ev.data[1].value, "&#0; &#xD800; &#x110000; &foo; &lol9; & &#x0x41; &amp");
    expect_slice(ev.data[2].value, "<x> & &amp;+cd");
    expect_slice(ev.data[3].value, "one\ntwo\nthree\r\n");
    expect_slice(ev.data[4].name, "t\ta b c");
    xfree(&x);
}

Test(evxml, user_data_leaves_become_named_items)
{
    xrun x;
    sift_event ev = one_event(&x, "<Event><System><Provider Name='Microsoft-Windows-TerminalServices-Gateway'/>"
                                  "<EventID>700</EventID></System><UserData><EventInfo xmlns='aag'>"
                                  "<Username>CORP\\u</Username><Nested><ErrorCode>3221225477</ErrorCode><Empty/>"
                                  "</Nested></EventInfo></UserData></Event>");
    cr_assert_eq(ev.n_data, 3);
    expect_slice(ev.data[0].name, "Username");
    expect_slice(ev.data[0].value, "CORP\\u");
    expect_slice(ev.data[1].name, "ErrorCode");
    expect_slice(ev.data[1].value, "3221225477");
    expect_slice(ev.data[2].name, "Empty");
    xfree(&x);
}

Test(evxml, items_past_the_model_limit_are_counted_as_dropped)
{
    char *t = malloc(16384);
    cr_assert_not_null(t);
    int n = snprintf(t, 16384, "<Event><System><EventID>1</EventID></System><EventData>");
    for (unsigned i = 0; i < SIFT_EVENT_MAX_DATA + 5; i++)
        n += snprintf(t + n, 16384 - (size_t)n, "<Data>%u</Data>", i);
    snprintf(t + n, 16384 - (size_t)n, "</EventData></Event>");
    xrun x;
    sift_event ev = one_event(&x, t);
    cr_expect_eq(ev.n_data, SIFT_EVENT_MAX_DATA);
    cr_expect_eq(ev.data_dropped, 5);
    xfree(&x);
    free(t);
}

Test(evxml, binary_that_is_not_hex_is_left_out_and_the_record_kept)
{
    xrun x;
    sift_event ev = one_event(&x, "<Event><System><EventID>1</EventID></System><EventData><Data>a</Data>"
                                  "<Binary>31 00 zz</Binary></EventData></Event>");
    cr_expect_eq(ev.binary.len, 0);
    cr_expect_eq(ev.n_data, 1);
    xfree(&x);
    ev = one_event(&x, "<Event><System><EventID>1</EventID></System><EventData><Binary>31000A0\n0</Binary>"
                       "</EventData></Event>");
    cr_expect(ev.binary.len == 4 && memcmp(ev.binary.ptr, "\x31\x00\x0a\x00", 4) == 0);
    xfree(&x);
}

Test(evxml, records_carry_their_lines_and_offsets)
{
    static const char text[] = "<?xml version='1.0'?>\n<!-- export -->\n<Events>\n" UPTIME "\n\n" UPTIME
                               "\n</Events>\n";
    xrun x;
    xframe(&x, text, sizeof text - 1);
    cr_assert_eq(x.errors, 0);
    cr_assert_eq(x.n, 2);
    cr_expect_eq(x.rec[0].line, 4);
    cr_expect_eq(x.rec[1].line, 6);
    cr_expect_eq(x.rec[0].offset, strlen("<?xml version='1.0'?>\n<!-- export -->\n<Events>\n"));
    cr_expect_eq(x.rec[0].bytes.len, strlen(UPTIME));
    xfree(&x);
}

/* ---- damage and hostile input ----------------------------------------------------------------- */

typedef struct bad_case {
    const char *text;
    sift_status code; /* the one error */
    size_t offset;
    size_t records;   /* well-formed records around it */
} bad_case;

/* Inputs up to this long are also split at every byte; longer ones are fed
 * in a few chunk sizes (every split of 256 KiB would take hours). */
#define SPLIT_ALL_MAX 4096u

static void expect_bad(const bad_case *c)
{
    const size_t len = strlen(c->text);
    sh_run r = sh_frame(OPS, c->text, len, 0, 64, 1);
    cr_assert_eq(r.errors, 1, "%s: %zu errors", c->text, r.errors);
    cr_expect_eq(r.records, c->records, "%s: %zu records", c->text, r.records);
    for (size_t i = 0; i < r.n; i++) {
        if (r.it[i].is_error) {
            cr_expect_eq(r.it[i].code, c->code, "%s: code %d", c->text, r.it[i].code);
            cr_expect_eq(r.it[i].offset, c->offset, "%s: offset %llu", c->text, (unsigned long long)r.it[i].offset);
        } else {
            cr_expect_eq(r.it[i].code, SIFT_OK, "%s: record %zu does not decode", c->text, i);
        }
    }
    if (len <= SPLIT_ALL_MAX) {
        sh_free(&r);
        sh_expect_chunking_invariant(OPS, c->text, len);
        return;
    }
    static const size_t chunks[] = { 1021, 4093, 65521 };
    for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
        sh_run b = sh_frame(OPS, c->text, len, chunks[k], 1 + k, 1);
        sh_expect_same(&r, &b, "chunked");
        sh_free(&b);
    }
    sh_free(&r);
}

#define GOOD UPTIME /* 0 or more well-formed records around each damage */

Test(evxml, damage_costs_only_its_record_and_is_reported_at_its_offset)
{
    static const bad_case cases[] = {
        /* DOCTYPE and entity declarations are refused, never read */
        { "<?xml version='1.0'?>\n<!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;'>]>\n<Events>" GOOD
          "</Events>", SIFT_ERR_UNSUPPORTED, 22, 1 },
        { "<Event><System><EventID>1</EventID></System><!ENTITY x 'y'></Event>" GOOD, SIFT_ERR_UNSUPPORTED, 44, 1 },
        /* framing errors */
        { "<Event><System><EventID>1</EventID></Sys></Event>" GOOD, SIFT_ERR_SYNTAX, 35, 1 },
        { GOOD "<Event><System></System></Event>" GOOD, SIFT_ERR_MISSING, sizeof(GOOD) - 1, 2 },
        { "<Event/>" GOOD, SIFT_ERR_MISSING, 0, 1 },
        { "<Event><System><EventID>6O13</EventID></System></Event>" GOOD, SIFT_ERR_NUMBER, 24, 1 },
        { "<Event><System><EventID>4294967296</EventID></System></Event>", SIFT_ERR_NUMBER, 24, 0 },
        { "<Event><System><EventID><!--x-->1</EventID></System></Event>", SIFT_ERR_NUMBER, 24, 0 },
        { "junk " GOOD, SIFT_ERR_SYNTAX, 0, 1 },
        { "<Foo/>" GOOD, SIFT_ERR_SYNTAX, 0, 1 },
        { "<![CDATA[x]]>" GOOD, SIFT_ERR_SYNTAX, 0, 1 },
        { "<Event a='1'b='2'>" GOOD, SIFT_ERR_SYNTAX, 12, 1 },
        { "<Event a='<'>" GOOD, SIFT_ERR_SYNTAX, 10, 1 },
        { "<Event a>" GOOD, SIFT_ERR_SYNTAX, 8, 1 },
        { "<Event / >" GOOD, SIFT_ERR_SYNTAX, 8, 1 },
        { "<Event><Da\001ta/></Event>" GOOD, SIFT_ERR_SYNTAX, 10, 1 },
        { "<Event><!-></Event>" GOOD, SIFT_ERR_SYNTAX, 7, 1 },
        /* unterminated at the end of the input */
        { GOOD "<Event><System><!-- never closed", SIFT_ERR_SYNTAX, sizeof(GOOD) - 1 + 15, 1 },
        { GOOD "<Event><System><![CDATA[ never closed", SIFT_ERR_SYNTAX, sizeof(GOOD) - 1 + 15, 1 },
        { GOOD "<Event><System><?pi never closed", SIFT_ERR_SYNTAX, sizeof(GOOD) - 1 + 15, 1 },
        { GOOD "<Event><System>", SIFT_ERR_SYNTAX, sizeof(GOOD) - 1, 1 },
        { GOOD "<Event xmlns='", SIFT_ERR_SYNTAX, sizeof(GOOD) - 1, 1 },
        { GOOD "<", SIFT_ERR_SYNTAX, sizeof(GOOD) - 1, 1 },
        /* a comment left open swallows what follows; at the end it is
         * reported, and the events after it are read again */
        { "<Event><!-- oops " GOOD, SIFT_ERR_SYNTAX, 7, 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_bad(&cases[i]);
}

Test(evxml, an_entity_bomb_is_refused_and_its_references_are_kept_as_written)
{
    static const char text[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n]>\n"
        "<Event><System><Provider Name='EventLog'/><EventID>6013</EventID></System>"
        "<EventData><Data>&lol3;</Data></EventData></Event>\n";
    xrun x;
    xframe(&x, text, sizeof text - 1);
    cr_assert_eq(x.errors, 1);
    cr_expect_eq(x.err[0].code, SIFT_ERR_UNSUPPORTED);
    cr_expect_eq(x.err[0].offset, 22);
    cr_assert_eq(x.n, 1);
    sift_event ev = xdecode(&x, 0);
    cr_assert_eq(ev.n_data, 1);
    expect_slice(ev.data[0].value, "&lol3;");
    xfree(&x);
}

/* Builds prefix + n copies of unit + suffix + GOOD. */
static char *repeat(const char *prefix, const char *unit, size_t n, const char *suffix, size_t *len)
{
    const size_t pl = strlen(prefix), ul = strlen(unit), sl = strlen(suffix), gl = strlen(GOOD);
    char *t = malloc(pl + ul * n + sl + gl + 1);
    cr_assert_not_null(t);
    memcpy(t, prefix, pl);
    for (size_t i = 0; i < n; i++)
        memcpy(t + pl + i * ul, unit, ul);
    memcpy(t + pl + ul * n, suffix, sl);
    memcpy(t + pl + ul * n + sl, GOOD, gl + 1);
    *len = pl + ul * n + sl + gl;
    return t;
}

Test(evxml, ten_thousand_nested_elements_cost_one_record)
{
    size_t len;
    char *t = repeat("<Event><System><EventID>1</EventID></System>", "<a>", 10000, "", &len);
    sh_run r = sh_frame(OPS, t, len, 0, 64, 1);
    cr_assert_eq(r.errors, 1);
    cr_expect_eq(r.it[0].code, SIFT_ERR_TOO_LONG);
    cr_expect_eq(r.it[0].offset, 44 + 3 * (SIFT_EVXML_MAX_DEPTH - 1), "the first element past the bound");
    cr_expect_eq(r.records, 1);
    sh_free(&r);
    free(t);
}

Test(evxml, ten_thousand_nested_events_are_bounded)
{
    size_t len;
    char *t = repeat("", "<Event>", 10000, "", &len);
    sh_run r = sh_frame(OPS, t, len, 0, 64, 1);
    cr_expect_eq(r.records, 1, "the event after them is read");
    cr_expect(r.errors >= 1 && r.errors <= 10000 / SIFT_EVXML_MAX_DEPTH + 2, "%zu errors", r.errors);
    /* Each run of 33 costs one error; the few left at the end hold the
     * good event inside them, unclosed: reported, and the event read. */
    size_t last = 0;
    for (size_t i = 0; i < r.n; i++)
        if (r.it[i].is_error)
            last = i;
    for (size_t i = 0; i < last; i++)
        cr_expect(!r.it[i].is_error || r.it[i].code == SIFT_ERR_TOO_LONG);
    cr_expect_eq(r.it[last].code, SIFT_ERR_SYNTAX);
    cr_expect_eq(r.it[last].offset, 7 * (10000 - 10000 % (SIFT_EVXML_MAX_DEPTH + 1)));
    sh_free(&r);
    free(t);
}

/* Frames all of text at once (as a mapped file is) and returns the CPU
 * seconds it took; *records and *errors count what it gave. */
static double frame_timed(const char *text, size_t len, size_t *records, size_t *errors)
{
    struct timespec t0, t1;
    void *state = aligned_alloc(16, (OPS->state_size + 15) / 16 * 16);
    cr_assert_not_null(state);
    OPS->init(state);
    sift_rec rec[64];
    sift_in in = { (const uint8_t *)text, len, 0 };
    *records = *errors = 0;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    for (;;) {
        sift_recs out = { rec, 64, 0 };
        sift_error e = { SIFT_OK, 0, NULL };
        const sift_status st = OPS->finish(state, &in, 0, &out, &e);
        *records += out.n;
        if (sift_is_error(st)) {
            ++*errors;
            continue;
        }
        if (st != SIFT_OK)
            break;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    free(state);
    return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

/* After damage framing resumes at every <Event; inside an unclosed comment
 * (or PI, or CDATA, or comments and PIs in turn) each of them opens the
 * same markup again. The bytes searched for its end are searched once, not
 * once per <Event: the time is that of well-formed events of the same size
 * (a ratio, so that a loaded machine cannot break it), and every <Event is
 * still reported. */
Test(evxml, events_inside_an_unclosed_comment_cost_linear_time)
{
    static const char *const units[] = { "<Event><!--", "<Event><?pi ", "<Event><![CDATA[",
                                         "<Event><!--<Event><?pi " };
    size_t plain_len, records, errors;
    char *plain = repeat("", GOOD, 2000, "", &plain_len);
    const double tp = frame_timed(plain, plain_len, &records, &errors);
    cr_assert_eq(records, 2001);
    cr_assert_eq(errors, 0);
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        const size_t n = plain_len / strlen(units[u]);
        size_t len;
        char *t = repeat("", units[u], n, "", &len);
        const double th = frame_timed(t, len, &records, &errors);
        cr_expect_eq(errors, n * (u == 3 ? 2 : 1), "%s: one error per <Event", units[u]);
        cr_expect_eq(records, 1, "%s: the event after them is read", units[u]);
        cr_expect_lt(th, 20 * tp + 0.05, "%s: %zu bytes %.3f s, %zu plain bytes %.3f s", units[u], len, th,
                     plain_len, tp);
        free(t);
    }
    free(plain);
}

Test(evxml, names_attributes_and_records_past_their_bounds_are_reported)
{
    size_t len;
    /* an attribute value one byte over its bound, then one just within */
    char *t = repeat("<Event a='", "a", SIFT_EVXML_MAX_ATTR + 1, "'/>", &len);
    expect_bad(&(bad_case){ t, SIFT_ERR_TOO_LONG, 9, 1 });
    free(t);
    t = repeat("<Event><System><EventID>1</EventID></System><Data a='", "a", SIFT_EVXML_MAX_ATTR, "'/></Event>",
               &len);
    sh_run r = sh_frame(OPS, t, len, 0, 64, 1);
    cr_expect_eq(r.errors, 0);
    cr_expect_eq(r.records, 2);
    sh_free(&r);
    free(t);
    /* a name of 257 bytes, then 33 attributes */
    t = repeat("<Event><", "n", SIFT_EVXML_MAX_NAME + 1, "/></Event>", &len);
    expect_bad(&(bad_case){ t, SIFT_ERR_TOO_LONG, 8, 1 });
    free(t);
    t = repeat("<Event", " a='1'", SIFT_EVXML_MAX_ATTRS + 1, "/>", &len);
    expect_bad(&(bad_case){ t, SIFT_ERR_TOO_LONG, 6 + 6 * SIFT_EVXML_MAX_ATTRS + 1, 1 });
    free(t);
    /* a record over SIFT_STREAM_MAX_RECORD, and a comment that never ends
     * before it, are cut there */
    t = repeat("<Event><System><EventID>1</EventID></System><EventData><Data>", "0123456789abcdef",
               SIFT_STREAM_MAX_RECORD / 16, "</Data></EventData></Event>", &len);
    expect_bad(&(bad_case){ t, SIFT_ERR_TOO_LONG, 0, 1 });
    free(t);
    t = repeat("<!--", "x", SIFT_STREAM_MAX_RECORD, "-->", &len);
    expect_bad(&(bad_case){ t, SIFT_ERR_TOO_LONG, 0, 1 });
    free(t);
}

Test(evxml, nul_bytes_in_values_are_kept_and_binary_noise_is_reported_in_bounds)
{
    static const char text[] = "<Event><System><EventID>1</EventID></System><EventData><Data>a\0b</Data>"
                               "</EventData></Event>";
    xrun x;
    xframe(&x, text, sizeof text - 1);
    cr_assert_eq(x.n, 1);
    sift_event ev = xdecode(&x, 0);
    cr_expect(ev.data[0].value.len == 3 && memcmp(ev.data[0].value.ptr, "a\0b", 3) == 0);
    xfree(&x);

    /* Deterministic noise with markup bytes mixed in, and a record after. */
    char noise[6000];
    uint32_t v = 12345;
    for (size_t i = 0; i < sizeof noise - sizeof GOOD; i++) {
        v = v * 1103515245u + 12345u;
        static const char pick[] = "<>/='\"&;!?-[]E \0\n";
        noise[i] = (v >> 16) % 3 ? (char)(v >> 8) : pick[(v >> 16) % (sizeof pick - 1)];
    }
    memcpy(noise + sizeof noise - sizeof GOOD, GOOD, sizeof GOOD);
    sh_expect_chunking_invariant(OPS, noise, sizeof noise - 1);
}

/* ---- the binary ---------------------------------------------------------------------------- */

/* Runs logsift in dir with args; its stdout is returned. */
static char *logsift(const char *dir, const char *const *args, int *rc)
{
    char tmp[] = "/tmp/logsift-evxml-XXXXXX";
    cr_assert_not_null(mkdtemp(tmp));
    char out[512];
    snprintf(out, sizeof out, "%s/out", tmp);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int nul = open("/dev/null", O_WRONLY);
        if (o < 0 || nul < 0 || chdir(dir) != 0)
            _exit(126);
        dup2(o, 1);
        dup2(nul, 2);
        char *argv[16] = { "logsift" };
        for (size_t i = 0; args[i] && i < 14; i++)
            argv[i + 1] = (char *)args[i];
        execv(SIFT_LOGSIFT_BIN, argv);
        _exit(127);
    }
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    *rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    size_t len;
    char *s = sb_slurp(out, &len);
    unlink(out);
    rmdir(tmp);
    return s;
}

/* The one finding line of rule for host, or NULL. */
static const char *finding(const char *out, const char *rule, const char *host)
{
    char key[256];
    snprintf(key, sizeof key, "{\"rule\":\"%s\",\"severity\":\"critical\",\"host\":\"%s\"", rule, host);
    return strstr(out, key);
}

Test(evxml, logsift_finds_the_crash_loop_and_the_uptime_in_the_fixtures)
{
    int rc;
    static const char *const args[] = { "corpus/formats/xml", NULL };
    char *out = logsift(SIFT_SOURCE_DIR, args, &rc);
    cr_expect_eq(rc, 1, "%s", out);
    const char *crash = finding(out, "rdgw-crash", "RDG01.corp.example.com");
    cr_expect_not_null(crash, "%s", out);
    cr_expect(crash && strstr(crash, "\"count\":3,") != NULL, "the decoy is not a crash: %s", out);
    const char *up = finding(out, "uptime-497", "SQL-OLD01.corp.example.com");
    cr_expect_not_null(up, "%s", out);
    /* The OS comes from the 6013's Binary, as from an .evtx. */
    cr_expect(up && strstr(up, "\"os\":\"Windows Server (R) 2008 R2 Enterprise\",\"os_version\":\"6.1.7601 Service "
                            "Pack 1 Build 7601\",\"os_affected\":true") != NULL,
              "%s", out);
    size_t lines = 0;
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    cr_expect_eq(lines, 2, "%s", out);
    free(out);
}

/* UTF-8 to UTF-16LE behind a BOM (the input is valid UTF-8). */
static void write_utf16(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs("\xff\xfe", f);
    for (size_t i = 0; i < n;) {
        const uint8_t c = (uint8_t)s[i];
        uint32_t cp;
        size_t k = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        cp = k == 1 ? c : k == 2 ? c & 0x1fu : k == 3 ? c & 0x0fu : c & 0x07u;
        for (size_t j = 1; j < k; j++)
            cp = cp << 6 | ((uint8_t)s[i + j] & 0x3fu);
        i += k;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            const uint32_t hi = 0xd800 | cp >> 10, lo = 0xdc00 | (cp & 0x3ff);
            fputc((int)(hi & 0xff), f), fputc((int)(hi >> 8), f), fputc((int)(lo & 0xff), f), fputc((int)(lo >> 8), f);
        } else {
            fputc((int)(cp & 0xff), f), fputc((int)(cp >> 8), f);
        }
    }
    fclose(f);
}

Test(evxml, a_utf16_export_with_a_bom_gives_the_same_findings_as_utf8)
{
    for (size_t i = 2; i < 4; i++) {
        char a[] = "/tmp/logsift-evxml-a-XXXXXX", b[] = "/tmp/logsift-evxml-b-XXXXXX";
        cr_assert(mkdtemp(a) && mkdtemp(b));
        size_t len;
        char *t = fixture(i, &len);
        char pa[600], pb[600];
        snprintf(pa, sizeof pa, "%s/export.xml", a);
        snprintf(pb, sizeof pb, "%s/export.xml", b);
        FILE *f = fopen(pa, "wb");
        cr_assert_not_null(f);
        cr_assert_eq(fwrite(t, 1, len, f), len);
        fclose(f);
        write_utf16(pb, t, len);
        int ra, rb;
        static const char *const args[] = { "export.xml", NULL };
        char *oa = logsift(a, args, &ra), *ob = logsift(b, args, &rb);
        cr_expect_eq(ra, 1);
        cr_expect_eq(rb, 1);
        cr_expect_not_null(finding(ob, "rdgw-crash", "RDG01.corp.example.com"), "%s", ob);
        cr_expect_not_null(finding(ob, "uptime-497", "SQL-OLD01.corp.example.com"), "%s", ob);
        cr_expect_str_eq(oa, ob, "%s: UTF-16 and UTF-8 findings differ", fixtures[i]);
        free(oa);
        free(ob);
        free(t);
        unlink(pa);
        unlink(pb);
        rmdir(a);
        rmdir(b);
    }
}
