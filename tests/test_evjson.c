/* test_evjson.c - the "json" format: Winlogbeat, NXLog and PowerShell JSON
 * through the stream hooks (every input behind a guard page), the shared
 * fixtures field by field, hostile inputs, and logsift end to end. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <sys/wait.h>

#include "sbuf.h"
#include "sift_evjson.h"
#include "sift_text.h"
#include "stream_harness.h"

#define OPS (sift_evjson_format.stream)
#define FIXTURES SIFT_SOURCE_DIR "/corpus/formats/"

/* ---- helpers ------------------------------------------------------------------ */

/* A file's bytes as UTF-8 (a UTF-16LE file with BOM transcoded, a UTF-8
 * BOM dropped, as the engine does). */
static char *load(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    const long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *raw = malloc((size_t)n + 1);
    cr_assert_not_null(raw);
    cr_assert_eq(fread(raw, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    size_t bom = 0;
    const sift_encoding e = sift_text_sniff(sift_slice_make(raw, (size_t)n), &bom);
    char *text = malloc(3 * (size_t)n / 2 + 8);
    cr_assert_not_null(text);
    if (e == SIFT_ENC_UTF16LE) {
        sift_utf16 st = { 0 };
        sift_in in = { raw + bom, (size_t)n - bom, 0 };
        sift_out out = { (uint8_t *)text, 3 * (size_t)n / 2 + 8, 0 };
        cr_assert_eq(sift_utf16le_to_utf8(&st, &in, &out), SIFT_NEED_MORE);
        cr_assert_eq(sift_utf16le_finish(&st, &out), SIFT_OK);
        *len = out.pos;
    } else {
        cr_assert_eq(e, SIFT_ENC_UTF8, "%s", path);
        memcpy(text, raw + bom, (size_t)n - bom);
        *len = (size_t)n - bom;
    }
    text[*len] = '\0';
    free(raw);
    return text;
}

/* One record of text, framed whole and decoded, with its state kept for
 * the slices that point into it. */
typedef struct one {
    void *state;
    sift_rec rec;
    sift_event ev;
    sift_status st;
    sift_error err;
} one;

static one decode_one(const char *text, size_t len)
{
    one o;
    memset(&o, 0, sizeof o);
    o.state = aligned_alloc(16, (OPS->state_size + 15) / 16 * 16);
    cr_assert_not_null(o.state);
    OPS->init(o.state);
    sift_in in = { (const uint8_t *)text, len, 0 };
    sift_recs out = { &o.rec, 1, 0 };
    const sift_status fst = OPS->finish(o.state, &in, 0, &out, &o.err);
    cr_assert_eq(out.n, 1, "framed %zu records (status %d)", out.n, fst);
    o.st = OPS->decode(o.state, &o.rec, &o.ev, &o.err);
    return o;
}

#define DECODE_LIT(s) decode_one((s), sizeof(s) - 1)

static int slice_is(sift_slice s, const char *z)
{
    return s.len == strlen(z) && (s.len == 0 || memcmp(s.ptr, z, s.len) == 0);
}

static const char *data_named(const sift_event *ev, const char *name)
{
    static char buf[512];
    for (size_t i = 0; i < ev->n_data; i++)
        if (slice_is(ev->data[i].name, name)) {
            snprintf(buf, sizeof buf, "%.*s", (int)ev->data[i].value.len, (const char *)ev->data[i].value.ptr);
            return buf;
        }
    return NULL;
}

/* 2024-07-10T00:00:00Z */
#define DAY 1720569600
#define HOUR 3600

/* The shared event set as every fixture holds it: three TSGateway crashes,
 * a notepad.exe decoy, and the 6013 of SQL-OLD01. */
static void expect_event_set(const sh_run *r, int64_t zone_shift, int utc, const char *what)
{
    static const struct {
        uint16_t id;
        const char *provider;
        int64_t at;
        const char *app;
    } want[] = {
        { 1000, "Application Error", DAY + 9 * HOUR, "svchost.exe_TSGateway" },
        { 1000, "Application Error", DAY + 9 * HOUR + 1800, "svchost.exe_TSGateway" },
        { 1000, "Application Error", DAY + 10 * HOUR, "svchost.exe_TSGateway" },
        { 1000, "Application Error", DAY + 11 * HOUR, "notepad.exe" },
        { 6013, "EventLog", DAY + 12 * HOUR, NULL },
    };
    cr_assert_eq(r->errors, 0, "%s: %zu errors", what, r->errors);
    cr_assert_eq(r->n, 5, "%s: %zu records", what, r->n);
    for (size_t i = 0; i < 5; i++) {
        const sh_item *it = &r->it[i];
        cr_expect_eq(it->code, SIFT_OK, "%s: record %zu", what, i);
        cr_expect(it->has_id && it->id == want[i].id, "%s: record %zu id %u", what, i, it->id);
        cr_expect_str_eq(it->provider, want[i].provider, "%s: record %zu", what, i);
        cr_expect(it->time.valid && it->time.utc == utc, "%s: record %zu time", what, i);
        cr_expect_eq(it->time.secs, want[i].at + zone_shift, "%s: record %zu at %lld", what, i,
                     (long long)it->time.secs);
        if (want[i].app) {
            cr_expect_eq(it->level, SIFT_LEVEL_ERROR, "%s: record %zu", what, i);
            cr_expect_str_eq(it->fld[SIFT_FLD_APP_NAME], want[i].app, "%s: record %zu", what, i);
            /* c0000005 from EventData, 0xc0000005 from the message. */
            const char *x = it->fld[SIFT_FLD_EXCEPTION_CODE];
            cr_expect(strcmp(x, "c0000005") == 0 || strcmp(x, "0xc0000005") == 0, "%s: record %zu: %s", what, i, x);
        } else {
            cr_expect_eq(it->level, SIFT_LEVEL_INFO, "%s: record %zu", what, i);
            cr_expect_str_eq(it->fld[SIFT_FLD_UPTIME], "43200000", "%s", what);
        }
    }
}

static sh_run frame_file(const char *name, char **text, size_t *len)
{
    *text = load(name, len);
    return sh_frame(OPS, *text, *len, 0, 64, 1);
}

/* ---- registration and sniffing ---------------------------------------------- */

Test(evjson, is_the_registered_format_named_json_a_stream_and_syslog_lines)
{
    size_t n;
    const sift_format *const *all = sift_registry(&n);
    size_t found = 0;
    for (size_t i = 0; i < n; i++)
        found += all[i] == &sift_evjson_format;
    cr_assert_eq(found, 1);
    cr_expect_str_eq(sift_evjson_format.name, "json");
    cr_assert_not_null(sift_evjson_format.stream);
    /* Syslog-wrapped objects among other lines: a line format too, which
     * frames but needs scratch to decode, and adds no patterns (the rules'
     * triggers find its records). */
    cr_assert_not_null(sift_evjson_format.line);
    cr_expect_not_null(sift_evjson_format.line->frame);
    cr_expect_null(sift_evjson_format.line->decode);
    cr_expect_not_null(sift_evjson_format.line->decode_in);
    cr_expect_geq(sift_evjson_format.line->scratch_size, OPS->state_size);
    cr_expect_eq(sift_evjson_format.n_patterns, 0);
    cr_expect(sift_evjson_format.produces & SIFT_PRODUCES_EVENTS);
}

Test(evjson, sniffs_objects_arrays_and_syslog_wrapped_objects_only)
{
    static const char *yes[] = {
        "{\"@timestamp\":\"2024-07-10T09:00:00Z\"}\n",
        "  {\"EventID\": 1}\r\n",
        "[\r\n",
        "[{\"Id\":1}]",
        "{\n",
        "{}",
        "<14>Jul 10 09:00:00 RDG01 nxWinEvt[1]: {\"EventID\":1000}\n",
        "<11>1 2024-07-10T09:00:00Z RDG01 nxlog 1 - [x@1 a=\"{\"] {\"EventID\":1}\n",
    };
    static const char *no[] = {
        "",
        "\n",
        "[2024-07-10 09:00:00] service started\n",
        "{not json}\n",
        "Level,Date and Time,Source,Event ID,Task Category\r\n",
        "Log Name:      Application\r\n",
        "Active Connections\r\n",
        "<14>Jul 10 09:00:00 RDG01 sshd[1]: Accepted publickey\n",
        "<html>\n",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_expect(OPS->sniff(sift_slice_make(yes[i], strlen(yes[i]))), "should claim: %s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_expect_not(OPS->sniff(sift_slice_make(no[i], strlen(no[i]))), "should not claim: %s", no[i]);
}

/* ---- the shared fixtures ------------------------------------------------------ */

Test(evjson, reads_the_winlogbeat_fixtures_english_and_japanese)
{
    static const char *files[] = { FIXTURES "winlogbeat/winlogbeat.ndjson", FIXTURES "winlogbeat/winlogbeat-ja.ndjson" };
    for (size_t f = 0; f < 2; f++) {
        char *text;
        size_t len;
        sh_run r = frame_file(files[f], &text, &len);
        expect_event_set(&r, 0, 1, files[f]);
        cr_expect_eq(r.it[1].line, 2);
        sh_free(&r);
        free(text);
    }
}

Test(evjson, reads_winlogbeat_fields_computer_channel_record_and_named_data)
{
    char *text;
    size_t len;
    text = load(FIXTURES "winlogbeat/winlogbeat.ndjson", &len);
    const size_t first = (size_t)(strchr(text, '\n') - text);
    one o = decode_one(text, first);
    cr_assert_eq(o.st, SIFT_OK);
    cr_expect(slice_is(o.ev.computer, "RDG01.corp.example.com"));
    cr_expect(slice_is(o.ev.channel, "Application"));
    cr_expect(slice_is(o.ev.provider, "Application Error"));
    cr_expect(o.ev.have & SIFT_EV_RECORD_ID);
    cr_expect_eq(o.ev.record_id, 101);
    cr_expect(slice_is(o.ev.time_text, "2024-07-10T09:00:00.000Z"));
    cr_expect_str_eq(data_named(&o.ev, "param1"), "svchost.exe_TSGateway");
    cr_expect_str_eq(data_named(&o.ev, "param11"), "C:\\Windows\\system32\\svchost.exe");
    cr_expect_null(data_named(&o.ev, "api"), "only winlog.event_data is EventData");
    cr_expect(slice_is(o.ev.fld[SIFT_FLD_MODULE_NAME], "aaedge.dll"));
    /* From the data, not the message: a slice of param7's value. */
    cr_expect(slice_is(o.ev.fld[SIFT_FLD_EXCEPTION_CODE], "c0000005"));
    cr_expect(o.ev.message.len > 100);
    free(o.state);
    free(text);
}

Test(evjson, reads_the_nxlog_fixtures_raw_and_behind_both_syslogs)
{
    char *text;
    size_t len;
    sh_run r = frame_file(FIXTURES "nxlog/nxlog.json", &text, &len);
    /* Older NXLog: EventTime local, without a zone, read as local time. */
    expect_event_set(&r, 0, 0, "nxlog.json");
    cr_expect_str_eq(r.describe, "objects: 5 one per line");
    sh_free(&r);
    free(text);
    static const char *wrapped[] = { FIXTURES "nxlog/nxlog-rfc3164.log", FIXTURES "nxlog/nxlog-rfc5424.log" };
    for (size_t f = 0; f < 2; f++) {
        r = frame_file(wrapped[f], &text, &len);
        /* Newer NXLog: ISO with +09:00, UTC. */
        expect_event_set(&r, 0, 1, wrapped[f]);
        cr_expect_eq(r.it[0].offset, 0, "the record is the whole line, prefix included");
        cr_expect_str_eq(r.describe, "objects: 5 behind a syslog prefix");
        sh_free(&r);
        free(text);
    }
}

Test(evjson, reads_nxlog_fields_and_its_top_level_eventdata)
{
    static const char line[] =
        "{\"EventTime\":\"2024-07-10 18:00:00\",\"Hostname\":\"DC01\",\"Keywords\":-9214364837600034816,"
        "\"EventType\":\"AUDIT_SUCCESS\",\"SeverityValue\":2,\"Severity\":\"INFO\",\"EventID\":\"4624\","
        "\"SourceName\":\"Microsoft-Windows-Security-Auditing\",\"RecordNumber\":7613465324,\"Channel\":\"Security\","
        "\"Message\":\"An account was successfully logged on.\",\"TargetUserName\":\"alice\",\"LogonType\":\"3\","
        "\"EventReceivedTime\":\"2024-07-10 18:00:01\",\"SourceModuleType\":\"im_msvistalog\"}";
    one o = DECODE_LIT(line);
    cr_assert_eq(o.st, SIFT_OK);
    cr_expect_eq(o.ev.id, 4624);
    cr_expect_eq(o.ev.level, SIFT_LEVEL_INFO);
    cr_expect_eq(o.ev.record_id, 7613465324ull);
    cr_expect(slice_is(o.ev.computer, "DC01"));
    cr_expect(o.ev.time.valid && !o.ev.time.utc);
    cr_expect_eq(o.ev.n_data, 2, "%zu", o.ev.n_data);
    cr_expect_str_eq(data_named(&o.ev, "TargetUserName"), "alice");
    cr_expect_str_eq(data_named(&o.ev, "LogonType"), "3");
    free(o.state);
}

Test(evjson, takes_the_host_of_a_syslog_prefix_when_the_object_names_none)
{
    static const char bsd[] = "<14>Jul 10 09:00:00 RDG01 nxWinEvt[1]: {\"EventID\":1000,\"SourceName\":\"Application Error\"}";
    one o = DECODE_LIT(bsd);
    cr_assert_eq(o.st, SIFT_OK);
    cr_expect(slice_is(o.ev.computer, "RDG01"));
    cr_expect(slice_is(o.rec.provider, "Application Error"));
    free(o.state);
    static const char ietf[] = "<14>1 2024-07-10T09:00:00Z rdg01.corp nxlog 2764 - [m@1 q=\"{\\\"]\"] "
                               "{\"EventID\":1000,\"Hostname\":\"RDG01.corp.example.com\"}";
    o = DECODE_LIT(ietf);
    cr_assert_eq(o.st, SIFT_OK);
    cr_expect(slice_is(o.ev.computer, "RDG01.corp.example.com"), "the object's Hostname wins");
    free(o.state);
}

Test(evjson, reads_the_powershell_fixtures_array_single_object_and_japanese_utf16)
{
    static const char *files[] = { FIXTURES "psjson/get-winevent.json", FIXTURES "psjson/get-winevent-ja.json" };
    for (size_t f = 0; f < 2; f++) {
        char *text;
        size_t len;
        sh_run r = frame_file(files[f], &text, &len);
        /* \/Date(ms)\/ is UTC; Properties are type names: fields from the message. */
        expect_event_set(&r, 0, 1, files[f]);
        cr_expect_eq(r.it[1].offset, (uint64_t)(strstr(text, "},\r\n    {") + 8 - text));
        sh_free(&r);
        free(text);
    }
    char *text;
    size_t len;
    text = load(FIXTURES "psjson/get-winevent-depth3.json", &len);
    one o = decode_one(text, len);
    cr_assert_eq(o.st, SIFT_OK);
    cr_expect_eq(o.ev.id, 1000);
    cr_expect_eq(o.ev.n_data, 15, "every Value is a positional item, empty ones too");
    cr_expect(o.ev.time.valid && o.ev.time.utc);
    cr_expect_eq(o.ev.time.secs, DAY + 9 * HOUR + 1800);
    cr_expect(slice_is(o.ev.fld[SIFT_FLD_APP_NAME], "svchost.exe_TSGateway"));
    cr_expect(o.ev.fld[SIFT_FLD_APP_NAME].ptr != NULL && sh_inside(o.ev.fld[SIFT_FLD_APP_NAME], (const uint8_t *)text, len) &&
                  o.ev.fld[SIFT_FLD_APP_NAME].ptr < (const uint8_t *)strstr(text, "\"Message\""),
              "taken from Properties, not from the message");
    cr_expect(slice_is(o.ev.data[10].value, "C:\\Windows\\system32\\svchost.exe"), "escaped backslashes decoded");
    cr_expect_eq(o.ev.data[13].value.len, 0);
    free(o.state);
    free(text);
}

Test(evjson, reads_powershell_properties_values_and_ignores_type_names)
{
    static const char depth3[] =
        "{\"Id\":6013,\"ProviderName\":\"EventLog\",\"Level\":4,\"Qualifiers\":32768,\"RecordId\":5001,"
        "\"TimeCreated\":\"\\/Date(1720612800000)\\/\",\"Properties\":[{\"Value\":\"\"},{\"Value\":\"\"},"
        "{\"Value\":null},{},{\"Value\":\"43200000\"},{\"Value\":60},{\"Value\":{\"A\":[1,2]}}]}";
    one o = DECODE_LIT(depth3);
    cr_assert_eq(o.st, SIFT_OK);
    cr_expect_eq(o.ev.n_data, 7);
    cr_expect(slice_is(o.ev.fld[SIFT_FLD_UPTIME], "43200000"));
    cr_expect(slice_is(o.ev.data[5].value, "60"));
    cr_expect(slice_is(o.ev.data[6].value, "{\"A\":[1,2]}"), "an object Value is kept as its JSON text");
    cr_expect(o.ev.have & SIFT_EV_QUALIFIERS);
    cr_expect_eq(o.ev.qualifiers, 32768);
    cr_expect_eq(o.ev.time.secs, DAY + 12 * HOUR);
    free(o.state);
    static const char depth2[] = "{\"Id\":6013,\"ProviderName\":\"EventLog\",\"Properties\":[\"System.Diagnostics."
                                 "Eventing.Reader.EventProperty\",\"x\",\"y\",\"z\",\"1\"],"
                                 "\"Message\":\"The system uptime is 43200000 seconds.\"}";
    o = DECODE_LIT(depth2);
    cr_assert_eq(o.st, SIFT_OK);
    cr_expect_eq(o.ev.n_data, 0);
    cr_expect(slice_is(o.ev.fld[SIFT_FLD_UPTIME], "43200000"), "from the message");
    free(o.state);
}

Test(evjson, reads_dotted_keys_and_event_ids_as_strings)
{
    static const char flat[] = "{\"winlog.event_id\":\"6013\",\"winlog.provider_name\":\"EventLog\","
                               "\"winlog.event_data.param5\":\"42953114\",\"winlog.computer_name\":\"APP-SQL02\","
                               "\"winlog\":{\"channel\":\"System\"},\"@timestamp\":\"2024-07-23T03:00:00.512Z\"}";
    one o = DECODE_LIT(flat);
    cr_assert_eq(o.st, SIFT_OK);
    cr_expect(o.rec.has_id && o.rec.id == 6013);
    cr_expect(slice_is(o.rec.provider, "EventLog"));
    cr_expect(slice_is(o.ev.fld[SIFT_FLD_UPTIME], "42953114"));
    cr_expect(slice_is(o.ev.channel, "System"));
    cr_expect(slice_is(o.ev.computer, "APP-SQL02"));
    cr_expect_eq(o.ev.time.nsec, 512000000u);
    free(o.state);
}

Test(evjson, prefers_winlog_keys_over_ecs_event_and_host_keys)
{
    static const char doc[] = "{\"event\":{\"code\":\"1\",\"provider\":\"Other\"},\"host\":{\"name\":\"rdg01\"},"
                              "\"winlog\":{\"event_id\":1000,\"provider_name\":\"Application Error\","
                              "\"computer_name\":\"RDG01.corp.example.com\"}}";
    one o = DECODE_LIT(doc);
    cr_assert_eq(o.st, SIFT_OK);
    cr_expect_eq(o.rec.id, 1000);
    cr_expect(slice_is(o.rec.provider, "Application Error"));
    cr_expect(slice_is(o.ev.provider, "Application Error"));
    cr_expect(slice_is(o.ev.computer, "RDG01.corp.example.com"));
    free(o.state);
    static const char fallback[] = "{\"event\":{\"code\":\"1000\"},\"host\":{\"name\":\"rdg01\"}}";
    o = DECODE_LIT(fallback);
    cr_assert_eq(o.st, SIFT_OK);
    cr_expect_eq(o.rec.id, 1000);
    cr_expect(slice_is(o.ev.computer, "rdg01"));
    free(o.state);
}

/* Framing reads the id and provider from 64-byte blocks: the same fields
 * wherever a key, a value or a separator falls relative to a block's edge,
 * with values and arrays that look like keys, and spaces around ':' and ','. */
Test(evjson, framing_reads_id_and_provider_at_every_block_alignment)
{
    static const char *const tail[] = {
        "\"tags\":[\"a,b\",\"c\",{\"x\":\"y\"}],\"message\":\"say \\\"winlog\\\": {\\\"event_id\\\": 1}\","
        "\"event\":{\"code\":\"7\",\"kind\":\"e\",\"provider\":\"Old\"},\"winlog\":{\"api\":\"w\","
        "\"keywords\":[\"Classic\",\"x\"],\"event_data\":{\"event_id\":\"99\",\"provider_name\":\"Bad\"},"
        "\"event_id\":\"1000\",\"provider_name\":\"Application Error\",\"record_id\":5}}",
        "\"tags\" : [ \"a,b\" , 2 ] , \"event\" : { \"code\" : 7 , \"provider\" : \"Old\" } , \"winlog\" : {"
        " \"channel\" : \"Application\" , \"event_id\" : 1000 , \"provider_name\" : \"Application Error\" } }",
    };
    for (size_t t = 0; t < sizeof tail / sizeof tail[0]; t++) {
        for (size_t pad = 0; pad < 130; pad++) {
            char doc[1024];
            const int n = snprintf(doc, sizeof doc, "{\"pad\":\"%.*s\",%s", (int)pad,
                                   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                                   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                                   tail[t]);
            cr_assert(n > 0 && (size_t)n < sizeof doc);
            one o = decode_one(doc, (size_t)n);
            cr_assert_eq(o.st, SIFT_OK, "tail %zu pad %zu", t, pad);
            cr_expect(o.rec.has_id && o.rec.id == 1000, "tail %zu pad %zu: id %u", t, pad, o.rec.id);
            cr_expect(slice_is(o.rec.provider, "Application Error"), "tail %zu pad %zu", t, pad);
            cr_expect_eq(o.ev.id, o.rec.id, "tail %zu pad %zu", t, pad);
            free(o.state);
        }
    }
}

/* An escaped key where the provider's may be leaves the framed provider
 * empty, wherever the escape falls: decoding reads it. */
Test(evjson, framing_gives_no_provider_after_an_escaped_key_at_any_alignment)
{
    for (size_t pad = 0; pad < 130; pad++) {
        char doc[512];
        const int n = snprintf(doc, sizeof doc,
                               "{\"pad\":\"%.*s\",\"winlog\":{\"event_id\":\"6013\",\"provider_name\":\"EventLog\","
                               "\"provider\\u005fname\":\"EventLog\"}}",
                               (int)pad,
                               "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                               "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        cr_assert(n > 0 && (size_t)n < sizeof doc);
        one o = decode_one(doc, (size_t)n);
        cr_expect(o.rec.has_id && o.rec.id == 6013, "pad %zu", pad);
        cr_expect_eq(o.rec.provider.len, 0u, "pad %zu", pad);
        free(o.state);
    }
}

/* ---- syslog-wrapped objects among other lines ----------------------------------------- */

#define LINE (sift_evjson_format.line)

Test(evjson, a_syslog_wrapped_object_is_a_frame_line_among_other_lines)
{
    static const char *const yes[] = {
        "<14>Jul 10 12:00:00 SQL-OLD01 nxWinEvt[2764]: {\"EventID\":6013}",
        "<14>1 2024-07-10T12:00:00Z SQL-OLD01 nxlog 2764 - [meta x=\"{\"] {\"EventID\":6013}\r",
    };
    static const char *const no[] = {
        "Jul 10 12:00:00 gw01 sshd[1021]: {\"EventID\":6013}", /* no PRI */
        "<13>Jul 10 08:59:59 fw01 kernel: [UFW BLOCK] IN=eth0",
        " <14>Jul 10 12:00:00 H tag: {\"EventID\":6013}", /* not at the line start */
        "{\"EventID\":6013}",
        "<",
        "",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_expect(LINE->frame(sift_slice_make((const uint8_t *)yes[i], strlen(yes[i]))), "%s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_expect(!LINE->frame(sift_slice_make((const uint8_t *)no[i], strlen(no[i]))), "%s", no[i]);
}

/* Each line decodes as the stream reader decodes it: fields, the syslog
 * host where the object names none, and what follows the line ignored. */
Test(evjson, a_syslog_wrapped_line_decodes_as_the_stream_reader_decodes_it)
{
    char *text;
    size_t len;
    sh_run full = frame_file(FIXTURES "nxlog/nxlog-rfc3164.log", &text, &len);
    void *scratch = malloc(LINE->scratch_size);
    cr_assert_not_null(scratch);
    size_t k = 0;
    for (size_t at = 0; at < len; k++) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) + 1 : len;
        cr_assert_lt(k, full.n);
        /* The record runs on over lines that are no frame; only its first
         * line is the object. */
        sbuf rec = { 0 };
        sb_add(&rec, text + at, end - at);
        sb_printf(&rec, "Jul 10 09:15:00 gw01 CRON[2211]: (root) CMD (x)\n");
        sift_event ev;
        sift_error err = { SIFT_OK, 0, NULL };
        cr_assert_eq(LINE->decode_in(scratch, sift_slice_make((const uint8_t *)rec.p, rec.n), 1000 + at, &ev, &err),
                     SIFT_OK, "line at %zu: %s", at, err.detail ? err.detail : "");
        cr_expect_eq(ev.id, full.it[k].id);
        cr_expect_eq(ev.time.secs, full.it[k].time.secs);
        cr_expect_eq(ev.have, full.it[k].have);
        char *msg = sh_dup(ev.message);
        cr_expect_str_eq(msg, full.it[k].message);
        free(msg);
        for (size_t f = 0; f < SIFT_FLD_COUNT; f++) {
            char *v = sh_dup(ev.fld[f]);
            cr_expect_str_eq(v, full.it[k].fld[f], "line %zu field %zu", k, f);
            free(v);
        }
        cr_expect(ev.computer.len > 0, "line %zu has its host", k);
        free(rec.p);
        at = end;
    }
    cr_expect_eq(k, full.records);
    /* A damaged object is an error at its offset; so is a prefix cut
     * anywhere, and none reads past what it was given. */
    static const char bad[] = "<14>Jul 10 12:00:00 H tag: {\"EventID\":6013,,\"x\":1}\n";
    sift_event ev;
    sift_error err = { SIFT_OK, 0, NULL };
    cr_expect(sift_is_error(LINE->decode_in(scratch, sift_slice_make((const uint8_t *)bad, sizeof bad - 1), 500, &ev, &err)));
    cr_expect_geq(err.offset, 500u);
    for (size_t n = 0; n < sizeof bad - 1; n++) {
        char *cut = malloc(n ? n : 1);
        memcpy(cut, bad, n);
        err = (sift_error){ SIFT_OK, 0, NULL };
        (void)LINE->decode_in(scratch, sift_slice_make((const uint8_t *)cut, n), 0, &ev, &err);
        free(cut);
    }
    free(scratch);
    sh_free(&full);
    free(text);
}

/* ---- passing over lines ------------------------------------------------------------- */

/* A fresh reader's state. */
static void *fresh(void)
{
    void *st = malloc(OPS->state_size);
    cr_assert_not_null(st);
    OPS->init(st);
    return st;
}

/* One record framed at in->pos (cap 1), as the engine frames a candidate. */
static sift_status frame_one(void *st, sift_in *in, int at_end, sift_rec *rec, size_t *n)
{
    sift_recs out = { rec, 1, 0 };
    sift_error err = { SIFT_OK, 0, NULL };
    sift_status rc = at_end ? OPS->finish(st, in, 0, &out, &err) : OPS->next(st, in, 0, &out, &err);
    *n = out.n;
    return rc;
}

Test(evjson, passing_over_takes_whole_record_lines_and_stops_where_framing_must_go_on)
{
    static const char text[] = "{\"winlog\":{\"event_id\":1}}\n"
                               "\n"
                               "  {\"winlog\":{\"event_id\":2}}  \r\n"
                               "<14>Oct  2 12:00:00 web01 nxlog: {\"EventID\":3}\n"
                               "{\n"
                               "  \"winlog\": {\"event_id\": 4}\n"
                               "}\n"
                               "{\"winlog\":{\"event_id\":5}}\n";
    void *st = fresh();
    sift_in in = { (const uint8_t *)text, sizeof text - 1, 0 };
    uint64_t lines = 0;
    /* Three records and a blank line, then a pretty-printed record. */
    cr_expect_eq(OPS->skip(st, &in, in.size, &lines), 3u);
    cr_expect_eq(lines, 4u);
    cr_expect_eq(in.pos, (size_t)(strstr(text, "{\n") - text));
    /* Nothing to pass over there: framing takes it, at its true line. */
    cr_expect_eq(OPS->skip(st, &in, in.size, &lines), 0u);
    sift_rec rec;
    size_t n;
    cr_expect_eq(frame_one(st, &in, 0, &rec, &n), SIFT_OK);
    cr_assert_eq(n, 1u);
    cr_expect_eq(rec.id, 4u);
    cr_expect_eq(rec.line, 5u);
    /* Framing stopped at the record's end; the rest of its line and the
     * next record are passed over. */
    cr_expect_eq(in.pos, (size_t)(strstr(text, "}\n{\"winlog\":{\"event_id\":5") - text) + 1);
    lines = 0;
    cr_expect_eq(OPS->skip(st, &in, in.size, &lines), 1u);
    cr_expect_eq(lines, 2u);
    cr_expect_eq(in.pos, in.size);
    free(st);
}

Test(evjson, passing_over_stops_at_escapes_that_could_hide_text_and_over_long_lines)
{
    static const char *const stop[] = {
        "{\"winlog\":{\"event_id\":\"\\u0036013\"}}\n",  /* \u escape */
        "{\"m\":\"C:\\\\\\u0041\"}\n",                      /* \\ then \u */
        "{\"m\":\"a\"} junk\n",                             /* not ending with } */
        "[{\"m\":\"a\"}]\n",                                /* not starting with { */
        "<14>no syslog json }\n",
        "{\"a\":{\"b\":1}\n ,\"c\":2}\n",                   /* its object still open */
    };
    for (size_t i = 0; i < sizeof stop / sizeof stop[0]; i++) {
        void *st = fresh();
        sift_in in = { (const uint8_t *)stop[i], strlen(stop[i]), 0 };
        uint64_t lines = 0;
        cr_expect_eq(OPS->skip(st, &in, in.size, &lines), 0u, "%s", stop[i]);
        cr_expect_eq(in.pos, 0u, "%s", stop[i]);
        cr_expect_eq(lines, 0u);
        free(st);
    }
    /* An escaped backslash before a u is no escape of the u. */
    static const char path[] = "{\"m\":\"C:\\\\users\\\\u\"}\n";
    void *st = fresh();
    sift_in in = { (const uint8_t *)path, sizeof path - 1, 0 };
    uint64_t lines = 0;
    cr_expect_eq(OPS->skip(st, &in, in.size, &lines), 1u);
    free(st);
    /* A line longer than a record may be is left for framing to report. */
    size_t big = SIFT_STREAM_MAX_RECORD + 64;
    char *longline = malloc(big + 16);
    cr_assert_not_null(longline);
    int k = snprintf(longline, 16, "{\"m\":\"");
    memset(longline + k, 'x', big);
    memcpy(longline + k + big, "\"}\n", 4);
    st = fresh();
    sift_in in2 = { (const uint8_t *)longline, strlen(longline), 0 };
    cr_expect_eq(OPS->skip(st, &in2, in2.size, &lines), 0u);
    free(st);
    free(longline);
}

Test(evjson, passing_over_needs_the_top_level_and_the_rest_of_a_framed_line_blank)
{
    void *st = fresh();
    /* A record cut by the end of the bytes: framing holds it open. */
    static const char part[] = "{\"winlog\":{\"event_id\":1},";
    sift_in in = { (const uint8_t *)part, sizeof part - 1, 0 };
    sift_rec rec;
    size_t n;
    cr_expect_eq(frame_one(st, &in, 0, &rec, &n), SIFT_NEED_MORE);
    uint64_t lines = 0;
    static const char rest[] = "{\"winlog\":{\"event_id\":1},\"x\":{}}\n{\"a\":1}\n";
    sift_in in2 = { (const uint8_t *)rest, sizeof rest - 1, in.pos };
    cr_expect_eq(OPS->skip(st, &in2, in2.size, &lines), 0u);
    cr_expect_eq(in2.pos, in.pos);
    free(st);
    /* A record framed up to the end of the bytes: the rest of its line must
     * be blank before the next lines are passed over. */
    st = fresh();
    static const char one_rec[] = "{\"a\":1}";
    sift_in in3 = { (const uint8_t *)one_rec, sizeof one_rec - 1, 0 };
    cr_expect_eq(frame_one(st, &in3, 0, &rec, &n), SIFT_OK);
    cr_expect_eq(n, 1u);
    static const char more[] = "  \r\n{\"b\":2}\n";
    sift_in in4 = { (const uint8_t *)more, sizeof more - 1, 0 };
    lines = 0;
    cr_expect_eq(OPS->skip(st, &in4, in4.size, &lines), 1u);
    cr_expect_eq(lines, 2u);
    cr_expect_eq(in4.pos, in4.size);
    static const char same_line[] = "{\"a\":1} {\"b\":2}\n";
    void *st2 = fresh();
    sift_in in5 = { (const uint8_t *)same_line, 7, 0 };
    cr_expect_eq(frame_one(st2, &in5, 0, &rec, &n), SIFT_OK);
    sift_in in6 = { (const uint8_t *)same_line, sizeof same_line - 1, in5.pos };
    cr_expect_eq(OPS->skip(st2, &in6, in6.size, &lines), 0u);
    free(st2);
    free(st);
}

/* Whether a record line is passed over depends on its braces evening out
 * and on it holding no \u escape, wherever in the line (and in the
 * 32-byte steps of the vector check) the bytes fall. */
Test(evjson, passing_over_judges_braces_and_escapes_at_every_position)
{
    static const char alphabet[] = "{}\\u\\ax";
    uint32_t x = 12345;
    for (int round = 0; round < 4000; round++) {
        char line[400];
        x = x * 1103515245u + 12345u;
        size_t len = 2 + (x >> 8) % 300, k = 0;
        line[k++] = '{';
        for (; k + 1 < len; k++) {
            x = x * 1103515245u + 12345u;
            /* Mostly letters, so that escapes and braces stay rare. */
            line[k] = (x >> 16) % 8 < 5 ? 'a' : alphabet[(x >> 20) % (sizeof alphabet - 1)];
        }
        line[k++] = '}';
        line[k++] = '\n';
        size_t opened = 0, closed = 0;
        int escape = 0;
        for (size_t i = 0; i + 1 < k; i++) {
            opened += line[i] == '{';
            closed += line[i] == '}';
            if (line[i] == '\\' && line[i + 1] == 'u') {
                size_t run = 1;
                while (run <= i && line[i - run] == '\\')
                    run++;
                escape |= run % 2 == 1;
            }
        }
        const size_t want = opened == closed && !escape;
        void *st = fresh();
        sift_in in = { (const uint8_t *)line, k, 0 };
        uint64_t lines = 0;
        cr_assert_eq(OPS->skip(st, &in, k, &lines), want, "round %d: %.*s", round, (int)k - 1, line);
        free(st);
    }
    /* Lines long enough for the byte lanes to be summed several times. */
    for (int extra = 0; extra < 2; extra++) {
        sbuf b = { 0 };
        sb_add(&b, "{", 1);
        for (int i = 0; i < 3000; i++)
            sb_printf(&b, "\"k%d\":{\"v\":%d},", i, i);
        sb_printf(&b, "\"z\":%s}\n", extra ? "{" : "0");
        void *st = fresh();
        sift_in in = { (const uint8_t *)b.p, b.n, 0 };
        uint64_t lines = 0;
        cr_expect_eq(OPS->skip(st, &in, b.n, &lines), extra ? 0u : 1u, "%zu bytes, extra %d", b.n, extra);
        free(st);
        free(b.p);
    }
}

/* After damage, passing over first drops the damaged record's lines as
 * framing would (past the line it was given, if need be), then passes the
 * whole records after them. */
Test(evjson, passing_over_after_damage_drops_the_damaged_lines_first)
{
    static const char text[] = "{\"winlog\":{\"event_id\":6013,,\"x\":1}}\n"
                               "  \"tail\": 1}\n"
                               "junk\n"
                               "{\"winlog\":{\"event_id\":2}}\n"
                               "{\"winlog\":{\"event_id\":3}}\n";
    void *st = fresh();
    sift_in in = { (const uint8_t *)text, sizeof text - 1, 0 };
    sift_rec rec;
    size_t n;
    /* The record, then (framing stops at its end) the damage after it. */
    cr_expect_eq(frame_one(st, &in, 0, &rec, &n), SIFT_OK);
    cr_expect_eq(n, 1u);
    cr_expect(sift_is_error(frame_one(st, &in, 0, &rec, &n)));
    const size_t dropped_from = in.pos;
    uint64_t lines = 0;
    const size_t second = (size_t)(strstr(text, "  \"tail") - text);
    /* Asked to stop at the second line, it still drops to the record
     * after the damage, then passes nothing (upto is behind it). */
    cr_expect_eq(OPS->skip(st, &in, second, &lines), 0u);
    cr_expect_eq(in.pos, (size_t)(strstr(text, "{\"winlog\":{\"event_id\":2") - text));
    uint64_t want = 0;
    for (size_t i = dropped_from; i < in.pos; i++)
        want += text[i] == '\n';
    cr_expect_eq(lines, want);
    cr_expect_geq(want, 2u);
    lines = 0;
    cr_expect_eq(OPS->skip(st, &in, in.size, &lines), 2u);
    cr_expect_eq(in.pos, in.size);
    free(st);
}

/* Passing over lines at any boundaries, then framing one record where it
 * stops, frames exactly the records full framing gives there, at the same
 * offsets and lines, and the two together count every record. */
Test(evjson, passing_over_and_framing_together_account_for_every_record)
{
    static const char *const files[] = { FIXTURES "winlogbeat/winlogbeat.ndjson",
                                         FIXTURES "winlogbeat/winlogbeat-ja.ndjson", FIXTURES "nxlog/nxlog.json",
                                         FIXTURES "nxlog/nxlog-rfc5424.log", FIXTURES "psjson/get-winevent.json" };
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char *text;
        size_t len;
        sh_run full = frame_file(files[f], &text, &len);
        for (unsigned seed = 1; seed <= 40; seed++) {
            void *st = fresh();
            sift_in in = { (const uint8_t *)text, len, 0 };
            size_t passed = 0, framed = 0;
            uint32_t x = seed;
            while (in.pos < len) {
                /* A line start ahead, chosen at random, as a candidate. */
                x = x * 1103515245u + 12345u;
                size_t upto = in.pos + (x >> 8) % (len - in.pos + 1);
                while (upto < len && upto > 0 && text[upto - 1] != '\n')
                    upto++;
                uint64_t lines = 0;
                passed += OPS->skip(st, &in, upto, &lines);
                sift_rec rec;
                size_t n;
                sift_status rc = frame_one(st, &in, 1, &rec, &n);
                if (n == 1) {
                    size_t k = 0;
                    while (k < full.n && (full.it[k].is_error || full.it[k].offset != rec.offset))
                        k++;
                    cr_assert_lt(k, full.n, "%s seed %u: no record at %llu", files[f], seed,
                                 (unsigned long long)rec.offset);
                    cr_expect_eq(full.it[k].line, rec.line, "%s seed %u", files[f], seed);
                    cr_expect_eq(full.it[k].id, rec.id, "%s seed %u", files[f], seed);
                    framed++;
                }
                if (rc == SIFT_NEED_MORE && n == 0)
                    break;
            }
            cr_expect_eq(passed + framed, full.records, "%s seed %u: %zu + %zu", files[f], seed, passed, framed);
            free(st);
        }
        sh_free(&full);
        free(text);
    }
}

Test(evjson, decodes_escapes_surrogate_pairs_and_slashes_into_scratch)
{
    static const char doc[] = "{\"EventID\":1,\"SourceName\":\"A\\u0070plication Error\","
                              "\"Message\":\"\\u969c\\u5bb3 \\ud83d\\ude00 \\/x\\\\y\\t\\\"q\\\" \\ud800!\"}";
    one o = DECODE_LIT(doc);
    cr_assert_eq(o.st, SIFT_OK);
    cr_expect_eq(o.rec.provider.len, 0, "an escaped provider is left to decode()");
    cr_expect(slice_is(o.ev.provider, "Application Error"));
    cr_expect(slice_is(o.ev.message, "障害 \xF0\x9F\x98\x80 /x\\y\t\"q\" \xEF\xBF\xBD!"), "%.*s", (int)o.ev.message.len,
              (const char *)o.ev.message.ptr);
    cr_expect(sh_inside(o.ev.message, o.state, OPS->state_size), "decoded text lives in the state");
    free(o.state);
}

/* ---- framing properties -------------------------------------------------------- */

Test(evjson, every_prefix_of_each_fixture_frames_the_records_so_far)
{
    static const char *files[] = { FIXTURES "winlogbeat/winlogbeat.ndjson", FIXTURES "nxlog/nxlog-rfc3164.log",
                                   FIXTURES "nxlog/nxlog-rfc5424.log", FIXTURES "psjson/get-winevent-depth3.json" };
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t len;
        char *text = load(files[f], &len);
        sh_expect_every_prefix(OPS, text, len);
        free(text);
    }
}

Test(evjson, output_does_not_depend_on_chunking)
{
    /* A PowerShell 5.1 array of one element stands for the pretty-printed
     * layout: the split at every byte costs the square of the length. */
    static const char *files[] = { FIXTURES "winlogbeat/winlogbeat-ja.ndjson", FIXTURES "nxlog/nxlog.json",
                                   SIFT_SOURCE_DIR "/corpus/fuzz_evjson/pwsh51_array_6013.json" };
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t len;
        char *text = load(files[f], &len);
        sh_expect_chunking_invariant(OPS, text, len);
        free(text);
    }
}

/* ---- hostile inputs -------------------------------------------------------------- */

#define GOOD "{\"EventID\":6013,\"SourceName\":\"EventLog\",\"Message\":\"The system uptime is 1 seconds.\"}"
#define GOOD_LEN (sizeof GOOD - 1)

typedef struct hostile {
    const char *name;
    const char *text;
    size_t len;        /* 0: strlen */
    const char *kinds; /* 'r' a record decoded, 'd' a record decode() refuses, 'e' a framing error */
    uint64_t at[6];    /* offsets of the items */
    sift_status code[6];
} hostile;

static void check_hostile(const hostile *h)
{
    const size_t len = h->len ? h->len : strlen(h->text);
    sh_run r = sh_frame(OPS, h->text, len, 0, 16, 1);
    cr_assert_eq(r.n, strlen(h->kinds), "%s: %zu items", h->name, r.n);
    for (size_t i = 0; i < r.n; i++) {
        const sh_item *it = &r.it[i];
        const char k = h->kinds[i];
        cr_expect_eq(it->is_error, k == 'e', "%s: item %zu", h->name, i);
        cr_expect_eq(it->offset, h->at[i], "%s: item %zu at %llu", h->name, i, (unsigned long long)it->offset);
        if (k == 'r')
            cr_expect_eq(it->code, SIFT_OK, "%s: item %zu: %d", h->name, i, it->code);
        else
            cr_expect_eq(it->code, h->code[i], "%s: item %zu: %d", h->name, i, it->code);
    }
    sh_run c = sh_frame(OPS, h->text, len, 1, 1, 1);
    sh_expect_same(&r, &c, h->name);
    sh_free(&c);
    sh_free(&r);
}

Test(evjson, a_broken_object_costs_that_object_only)
{
    static const char pretty[] = "[\n    {\n        \"Id\":  1,\n        \"Message\":  \"cut\n    },\n    {\n"
                                 "        \"Id\":  2\n    }\n]\n";
    static const char pretty_cut[] = "[\n    {\n        \"Id\":  1,\n        \"Properties\":  [\n"
                                     "    {\n        \"Id\":  2\n    }\n]\n";
    const hostile hs[] = {
        { "truncated line", "{\"EventID\":1000,\"Sou\n" GOOD "\n", 0, "er", { 0, 21 }, { SIFT_ERR_SYNTAX } },
        { "truncated line outside a string", "{\"EventID\":1000,\"a\":\n" GOOD "\n", 0, "er", { 0, 21 },
          { SIFT_ERR_SYNTAX } },
        { "missing brace between good ones", GOOD "\n{\"EventID\":1\n" GOOD "\n", 0, "rer",
          { 0, GOOD_LEN + 1, GOOD_LEN + 14 }, { 0, SIFT_ERR_SYNTAX } },
        { "pretty-printed, a string cut", pretty, 0, "er", { 6, 62 }, { SIFT_ERR_SYNTAX } },
        { "pretty-printed, an object cut", pretty_cut, 0, "er", { 6, 55 }, { SIFT_ERR_SYNTAX } },
        { "bad escape", "{\"EventID\":6013,\"Message\":\"a\\qb\"}\n" GOOD, 0, "dr", { 0, 34 },
          { SIFT_ERR_SYNTAX } },
        { "bad unicode escape", "{\"EventID\":6013,\"Message\":\"\\u12G4\"}\n" GOOD, 0, "dr", { 0, 36 },
          { SIFT_ERR_SYNTAX } },
        { "trailing comma", "{\"EventID\":6013,}\n" GOOD, 0, "dr", { 0, 18 }, { SIFT_ERR_SYNTAX } },
        { "unterminated string at the end", GOOD "\n{\"EventID\":1,\"Message\":\"abc", 0, "re", { 0, GOOD_LEN + 1 },
          { 0, SIFT_ERR_SYNTAX } },
        { "nul in a string", "{\"EventID\":6013,\"Message\":\"a\0b\"}\n" GOOD, 33, "d", { 0 }, { SIFT_ERR_SYNTAX } },
        { "nul at the top level", "\0\n" GOOD, 2 + GOOD_LEN, "er", { 0, 2 }, { SIFT_ERR_SYNTAX } },
        { "junk lines", "hello\nworld\n" GOOD "\nnull,\n" GOOD, 0, "erer", { 0, 12, 13 + GOOD_LEN, 19 + GOOD_LEN },
          { SIFT_ERR_SYNTAX, 0, SIFT_ERR_SYNTAX } },
        { "a syslog line without JSON", "<14>Jul 10 09:00:00 h sshd[1]: hi\n<14>Jul 10 09:00:00 h x: " GOOD "\n", 0,
          "er", { 0, 34 }, { SIFT_ERR_SYNTAX } },
        { "a syslog prefix whose quoted value ends in a backslash", "<1>1 t h a 1 - [x q=\"\\\n" GOOD, 0, "er",
          { 0, 23 }, { SIFT_ERR_SYNTAX } },
        { "a syslog object not closed on its line", "<14>Jul 10 09:00:00 h x: {\"EventID\":1,\n" GOOD "\n", 0, "er",
          { 0, 39 }, { SIFT_ERR_SYNTAX } },
        { "no event id, and one out of range", "{\"Message\":\"x\"}\n{\"EventID\":70000}\n" GOOD, 0, "der",
          { 0, 16, 34 }, { SIFT_ERR_MISSING, SIFT_ERR_NUMBER } },
        { "event ids that are no number", "{\"Id\":\"abc\"}\n{\"winlog\":{\"event_id\":\" 6013\"}}\n" GOOD, 0, "eer",
          { 0, 13, 45 }, { SIFT_ERR_NUMBER, SIFT_ERR_NUMBER } },
        { "object in object on one line", "{\"EventID\":6013,\"a\":{\"b\":[1,{\"c\":null}]}}" GOOD, 0, "rr",
          { 0, 41 }, { 0 } },
        /* '}' closes the '[': the object stays open until the next line opens one. */
        { "mismatched close", "{\"EventID\":6013,\"a\":[}\n" GOOD, 0, "er", { 0, 23 }, { SIFT_ERR_SYNTAX } },
        { "mismatched close on one line", "{\"EventID\":6013,\"a\":[}]\n" GOOD, 0, "dr", { 0, 24 },
          { SIFT_ERR_SYNTAX } },
    };
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++)
        check_hostile(&hs[i]);
}

/* A number of 10,000 digits as a value and as the event id. */
Test(evjson, numbers_longer_than_the_limit_are_refused)
{
    char *t = malloc(30000);
    cr_assert_not_null(t);
    strcpy(t, "{\"EventID\":6013,\"Keywords\":");
    size_t n = strlen(t);
    memset(t + n, '7', 10000);
    n += 10000;
    strcpy(t + n, "}\n{\"EventID\":");
    n += strlen(t + n);
    memset(t + n, '1', 10000);
    n += 10000;
    strcpy(t + n, "}\n" GOOD);
    n += strlen(t + n);
    const size_t second = (size_t)(strstr(t, "}\n{") + 2 - t);
    const hostile h = { "long numbers", t, n, "der", { 0, second, n - GOOD_LEN }, { SIFT_ERR_NUMBER, SIFT_ERR_NUMBER } };
    check_hostile(&h);
    free(t);
}

/* Depth 100,000: inside a record it is damage; at the top level the
 * brackets are only separators. */
Test(evjson, deep_nesting_is_bounded)
{
    const size_t deep = 100000;
    char *t = malloc(2 * deep + 200);
    cr_assert_not_null(t);
    strcpy(t, "{\"EventID\":1,\"a\":");
    size_t n = strlen(t);
    memset(t + n, '[', deep);
    n += deep;
    t[n++] = '\n';
    const size_t good_at = n;
    memcpy(t + n, GOOD "\n", GOOD_LEN + 1);
    n += GOOD_LEN + 1;
    memset(t + n, '[', deep);
    n += deep;
    memcpy(t + n, GOOD, GOOD_LEN);
    n += GOOD_LEN;
    const hostile h = { "deep", t, n, "err", { 0, good_at, n - GOOD_LEN }, { SIFT_ERR_LIMIT } };
    check_hostile(&h);
    free(t);
}

/* A 100 MB string, cut: one error at its object, in 1 MiB chunks as the
 * engine feeds them; the next line's record survives. A record a little
 * over the limit inside a pretty-printed array costs that element only. */
Test(evjson, huge_strings_cost_their_object_only)
{
    const size_t huge = 100u << 20;
    char *t = malloc(huge + 400);
    cr_assert_not_null(t);
    strcpy(t, "{\"EventID\":6013,\"Message\":\"");
    size_t n = strlen(t);
    memset(t + n, 'x', huge);
    n += huge;
    t[n++] = '\n';
    memcpy(t + n, GOOD, GOOD_LEN);
    n += GOOD_LEN;
    sh_run r = sh_frame(OPS, t, n, 1u << 20, 16, 1);
    cr_assert_eq(r.n, 2);
    cr_expect_eq(r.it[0].code, SIFT_ERR_TOO_LONG);
    cr_expect_eq(r.it[0].offset, 0);
    cr_expect_eq(r.it[1].code, SIFT_OK);
    cr_expect_eq(r.it[1].offset, n - GOOD_LEN);
    sh_free(&r);

    n = 0;
    n += (size_t)sprintf(t, "[\n    {\n        \"Id\":  1,\n        \"Message\":  \"");
    memset(t + n, 'y', SIFT_STREAM_MAX_RECORD);
    n += SIFT_STREAM_MAX_RECORD;
    n += (size_t)sprintf(t + n, "\"\n    },\n    {\n        \"Id\":  2\n    }\n]\n");
    r = sh_frame(OPS, t, n, 65536, 16, 1);
    cr_assert_eq(r.n, 2);
    cr_expect_eq(r.it[0].code, SIFT_ERR_TOO_LONG);
    cr_expect_eq(r.it[0].offset, 6);
    cr_expect_eq(r.it[1].id, 2);
    sh_free(&r);
    free(t);
}

/* ---- end to end ------------------------------------------------------------------ */

static char *run_logsift(const char *dir, int *rc, char **err)
{
    char tmp[] = "/tmp/logsift-evjson-XXXXXX";
    cr_assert_not_null(mkdtemp(tmp));
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' --no-live '%s' >'%s/out' 2>'%s/err'", SIFT_LOGSIFT_BIN, dir, tmp, tmp);
    const int st = system(cmd);
    *rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    char p[128];
    size_t len;
    snprintf(p, sizeof p, "%s/out", tmp);
    char *out = load(p, &len);
    unlink(p);
    snprintf(p, sizeof p, "%s/err", tmp);
    *err = load(p, &len);
    unlink(p);
    rmdir(tmp);
    return out;
}

/* The finding line of rule for host, or NULL. */
static const char *finding(const char *out, const char *rule, const char *host)
{
    char want[160];
    snprintf(want, sizeof want, "{\"rule\":\"%s\",", rule);
    char h[160];
    snprintf(h, sizeof h, "\"host\":\"%s\"", host);
    for (const char *p = strstr(out, want); p; p = strstr(p + 1, want)) {
        const char *eol = strchr(p, '\n');
        const char *q = strstr(p, h);
        if (q && (!eol || q < eol))
            return p;
    }
    return NULL;
}

Test(evjson, logsift_finds_the_crash_loop_and_the_uptime_in_every_json_fixture, .timeout = 120)
{
    static const char *dirs[] = { "winlogbeat", "nxlog", "psjson" };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char dir[512];
        snprintf(dir, sizeof dir, FIXTURES "%s", dirs[i]);
        int rc;
        char *err;
        char *out = run_logsift(dir, &rc, &err);
        cr_expect_eq(rc, 1, "%s: exit %d, stderr: %s", dirs[i], rc, err);
        cr_expect_eq(err[0], '\0', "%s: %s", dirs[i], err);
        const char *crash = finding(out, "rdgw-crash", "RDG01.corp.example.com");
        cr_expect_not_null(crash, "%s: no rdgw-crash for RDG01:\n%s", dirs[i], out);
        if (crash)
            cr_expect(strncmp(strstr(crash, "\"count\":"), "\"count\":3,", 10) == 0, "%s: the decoy is no crash: %.200s",
                      dirs[i], crash);
        const char *up = finding(out, "uptime-497", "SQL-OLD01.corp.example.com");
        cr_expect_not_null(up, "%s: no uptime-497 for SQL-OLD01:\n%s", dirs[i], out);
        if (up)
            cr_expect_not_null(strstr(up, "\"uptime_s\":43200000"), "%s", dirs[i]);
        free(out);
        free(err);
    }
}
