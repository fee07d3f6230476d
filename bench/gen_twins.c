/* gen_twins.c - gen_evtx's records as Windows exports and collectors write them: wevtutil /f:text and /f:xml,
 * Winlogbeat 8, NXLog, PowerShell ConvertTo-Json and Export-Csv, Splunk WinEventLog, Snare.
 *
 * Each writer renders one twin_rec (gen_twins.h), so every export of a
 * generated log holds the same records in the same order; the shapes
 * follow /work/shared/reference/windows-signatures.md (B.2, C.1, C.2,
 * C.4-C.7) and what the collectors are known to do:
 *   - Winlogbeat 8 (elastic/beats winlogbeat/sys/winevent): event_id a
 *     string, record_id a number, unnamed <Data> as paramN numbered by
 *     position with empty values dropped (6013 gives param5..param7),
 *     <Binary> as "Binary", CRLF turned into LF, zero values left out;
 *   - NXLog's newer spelling (EventTime with an offset, Keywords a string,
 *     TaskValue, ExecutionProcessID), named fields at the top level and no
 *     unnamed Data: classic records carry their data in Message only;
 *   - PowerShell 5.1: ConvertTo-Json's two spaces after the colon, array
 *     indentation and \u0027-style escapes, \/Date(ms)\/, Properties
 *     collapsed to type names (default -Depth 2); Export-Csv's #TYPE line,
 *     every value quoted and nulls empty, en-US local dates, CRLF;
 *   - Snare: one TAB-separated line behind an RFC 3164 header, the message
 *     with its line breaks and TABs turned into spaces.
 * Times are UTC; the formats that print local time print the UTC clock, as
 * from a host whose zone is UTC. */
#include "gen_twins.h"

#include <string.h>
#include <time.h>

/* ---- escapes ---------------------------------------------------------------- */

/* A JSON string. crlf: a "\n" of the message is written as "\r\n" (the
 * text Windows rendered); ps: also ' < > & as \u00XX, as PowerShell 5.1's
 * ConvertTo-Json writes them. */
static void json_str(FILE *f, const char *s, int crlf, int ps)
{
    fputc('"', f);
    for (; *s; s++) {
        const unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs(crlf ? "\\r\\n" : "\\n", f);
        else if (c == '\r')
            fputs("\\r", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20 || (ps && strchr("'<>&", c)))
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* XML text or attribute value. Control characters go out as character
 * references, so that an <Event> stays on one line (PrivilegeList holds
 * CRLF and TABs). */
static void xml_str(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            if ((unsigned char)*s < 0x20)
                fprintf(f, "&#%u;", (unsigned char)*s);
            else
                fputc(*s, f);
        }
    }
}

/* A quoted CSV value, quotes doubled; crlf as for json_str. */
static void csv_str(FILE *f, const char *s, int crlf)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        if (*s == '\n' && crlf)
            fputc('\r', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* Snare's one-line message: line breaks and TABs become spaces. */
static void flat_str(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc(*s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s, f);
}

static void lower_str(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc(*s >= 'A' && *s <= 'Z' ? *s + ('a' - 'A') : *s, f);
}

/* ---- times ------------------------------------------------------------------ */

static struct tm utc(int64_t unix_s)
{
    const time_t t = (time_t)unix_s;
    struct tm tm;
    gmtime_r(&t, &tm);
    return tm;
}

/* 2024-10-02T08:00:12 (the caller adds fractions and zone). */
static void iso_secs(FILE *f, int64_t unix_s)
{
    char b[32];
    const struct tm tm = utc(unix_s);
    strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm);
    fputs(b, f);
}

/* 10/2/2024 8:00:12 AM (pad 0, PowerShell's en-US) or 10/02/2024 08:00:12 AM (pad 1, Splunk). */
static void us_time(FILE *f, int64_t unix_s, int pad)
{
    const struct tm tm = utc(unix_s);
    const int h12 = tm.tm_hour % 12 ? tm.tm_hour % 12 : 12;
    fprintf(f, pad ? "%02d/%02d/%04d %02d:%02d:%02d %s" : "%d/%d/%04d %d:%02d:%02d %s", tm.tm_mon + 1, tm.tm_mday,
            tm.tm_year + 1900, h12, tm.tm_min, tm.tm_sec, tm.tm_hour < 12 ? "AM" : "PM");
}

static void strf(FILE *f, const char *fmt, int64_t unix_s)
{
    char b[64];
    const struct tm tm = utc(unix_s);
    strftime(b, sizeof b, fmt, &tm);
    fputs(b, f);
}

static int is_audit(const twin_rec *r)
{
    return r->shape == TWIN_SYS_AUDIT;
}

/* ---- wevtutil /f:text --------------------------------------------------------- */

static void text_record(FILE *f, const twin_rec *r)
{
    fprintf(f, "Event[%llu]:\n  Log Name: %s\n  Source: %s\n  Date: ", (unsigned long long)r->record_id, r->channel,
            r->provider);
    iso_secs(f, r->unix_s);
    fprintf(f,
            ".%07uZ\n  Event ID: %u\n  Task: %s\n  Level: %s\n  Opcode: %s\n  Keyword: %s\n  User: N/A\n"
            "  User Name: N/A\n  Computer: %s\n  Description: \n%s\n\n",
            r->frac_100ns, r->id, is_audit(r) ? r->task_name : "N/A", r->level_name,
            is_audit(r) ? r->opcode_name : "N/A", r->keyword_name, r->computer, r->message);
}

/* ---- wevtutil /f:xml ---------------------------------------------------------- */

#define EVENT_NS "http://schemas.microsoft.com/win/2004/08/events/event"

/* ` name="value"`, in the record's quote character. */
static void xml_attr(FILE *f, char q, const char *name, const char *value)
{
    fprintf(f, " %s=%c", name, q);
    xml_str(f, value);
    fputc(q, f);
}

static void xml_elem_u(FILE *f, const char *name, unsigned long long v)
{
    fprintf(f, "<%s>%llu</%s>", name, v, name);
}

static void xml_elem_s(FILE *f, const char *name, const char *v)
{
    fprintf(f, "<%s>", name);
    xml_str(f, v);
    fprintf(f, "</%s>", name);
}

static void xml_record(FILE *f, const twin_rec *r)
{
    const char q = is_audit(r) ? '\'' : '"';
    const int b2 = r->shape == TWIN_SYS_B2;
    char num[32];
    fputs("<Event", f);
    xml_attr(f, q, "xmlns", EVENT_NS);
    fputs("><System><Provider", f);
    xml_attr(f, q, "Name", r->provider);
    if (r->provider_guid)
        xml_attr(f, q, "Guid", r->provider_guid);
    fputs("/><EventID", f);
    if (!is_audit(r)) {
        snprintf(num, sizeof num, "%u", r->qualifiers);
        xml_attr(f, q, "Qualifiers", num);
    }
    fprintf(f, ">%u</EventID>", r->id);
    if (!b2)
        xml_elem_u(f, "Version", r->version);
    xml_elem_u(f, "Level", r->level);
    xml_elem_u(f, "Task", r->task);
    if (!b2)
        xml_elem_u(f, "Opcode", r->opcode);
    fprintf(f, "<Keywords>0x%llx</Keywords><TimeCreated SystemTime=%c", (unsigned long long)r->keywords, q);
    iso_secs(f, r->unix_s);
    fprintf(f, ".%07uZ%c/>", r->frac_100ns, q);
    xml_elem_u(f, "EventRecordID", r->record_id);
    if (!b2) {
        fputs("<Correlation", f);
        if (r->activity_id)
            xml_attr(f, q, "ActivityID", r->activity_id);
        fprintf(f, "/><Execution ProcessID=%c%u%c ThreadID=%c%u%c/>", q, r->pid, q, q, r->tid, q);
    }
    xml_elem_s(f, "Channel", r->channel);
    xml_elem_s(f, "Computer", r->computer);
    fputs("<Security/></System>", f);
    if (r->n_data == 0 && !r->binary_hex) {
        fputs("<EventData/></Event>\n", f);
        return;
    }
    fputs("<EventData>", f);
    for (unsigned i = 0; i < r->n_data; i++) {
        fputs("<Data", f);
        if (r->data_name[i])
            xml_attr(f, q, "Name", r->data_name[i]);
        if (!r->data[i][0] && b2) {
            fputs("/>", f);
            continue;
        }
        fputc('>', f);
        xml_str(f, r->data[i]);
        fputs("</Data>", f);
    }
    if (r->binary_hex)
        xml_elem_s(f, "Binary", r->binary_hex);
    fputs("</EventData></Event>\n", f);
}

/* ---- Winlogbeat 8 (ECS) --------------------------------------------------------- */

static void wlb_event_data(FILE *f, const twin_rec *r)
{
    int any = 0;
    for (unsigned i = 0; i < r->n_data; i++) {
        if (!r->data[i][0])
            continue; /* winlogbeat drops empty values, keeping the others' numbers */
        fputs(any++ ? "," : "\"event_data\":{", f);
        if (r->data_name[i])
            json_str(f, r->data_name[i], 0, 0);
        else
            fprintf(f, "\"param%u\"", i + 1);
        fputc(':', f);
        json_str(f, r->data[i], 0, 0);
    }
    if (r->binary_hex && r->binary_hex[0]) {
        fputs(any++ ? "," : "\"event_data\":{", f);
        fprintf(f, "\"Binary\":\"%s\"", r->binary_hex);
    }
    if (any)
        fputs("},", f);
}

static void winlogbeat_record(FILE *f, const twin_rec *r)
{
    const size_t short_len = strcspn(r->computer, ".");
    const int64_t read_at = r->unix_s + 2;
    fputs("{\"@timestamp\":\"", f);
    iso_secs(f, r->unix_s);
    fprintf(f, ".%03uZ\",\"agent\":{\"name\":\"%.*s\",\"type\":\"winlogbeat\",\"version\":\"8.13.4\"},"
               "\"ecs\":{\"version\":\"8.0.0\"},\"event\":{\"action\":",
            r->frac_100ns / 10000u, (int)short_len, r->computer);
    json_str(f, r->task_name, 0, 0);
    fprintf(f, ",\"code\":\"%u\",\"created\":\"", r->id);
    iso_secs(f, read_at);
    fputs(".000Z\",\"kind\":\"event\",", f);
    if (is_audit(r))
        fprintf(f, "\"outcome\":\"%s\",", strstr(r->keyword_name, "Failure") ? "failure" : "success");
    fputs("\"provider\":", f);
    json_str(f, r->provider, 0, 0);
    fputs("},\"host\":{\"name\":\"", f);
    lower_str(f, r->computer);
    fputs("\"},\"log\":{\"level\":\"", f);
    lower_str(f, r->level_name);
    fputs("\"},\"message\":", f);
    json_str(f, r->message, 0, 0);
    fputs(",\"winlog\":{", f);
    if (r->activity_id)
        fprintf(f, "\"activity_id\":\"%s\",", r->activity_id);
    fputs("\"api\":\"wineventlog\",\"channel\":", f);
    json_str(f, r->channel, 0, 0);
    fputs(",\"computer_name\":", f);
    json_str(f, r->computer, 0, 0);
    fputc(',', f);
    wlb_event_data(f, r);
    fprintf(f, "\"event_id\":\"%u\",\"keywords\":[\"%s\"],", r->id, r->keyword_name);
    if (r->opcode_name)
        fprintf(f, "\"opcode\":\"%s\",", r->opcode_name);
    if (r->pid)
        fprintf(f, "\"process\":{\"pid\":%u,\"thread\":{\"id\":%u}},", r->pid, r->tid);
    if (r->provider_guid)
        fprintf(f, "\"provider_guid\":\"%s\",", r->provider_guid);
    fputs("\"provider_name\":", f);
    json_str(f, r->provider, 0, 0);
    fprintf(f, ",\"record_id\":%llu,\"task\":", (unsigned long long)r->record_id);
    json_str(f, r->task_name, 0, 0);
    fputs(",\"time_created\":\"", f);
    iso_secs(f, r->unix_s);
    fprintf(f, ".%07uZ\"", r->frac_100ns);
    if (r->version)
        fprintf(f, ",\"version\":%u", r->version);
    fputs("}}\n", f);
}

/* ---- NXLog (im_msvistalog, to_json) ----------------------------------------------- */

/* NXLog's EventType and Severity for a level (audit records: their outcome). */
static const char *nx_severity(const twin_rec *r, unsigned *value)
{
    static const char *const names[] = {"INFO", "CRITICAL", "ERROR", "WARNING", "INFO"};
    static const unsigned values[] = {2, 5, 4, 3, 2};
    const unsigned l = r->level < 5 ? r->level : 4;
    *value = values[l];
    return names[l];
}

static void nxlog_record(FILE *f, const twin_rec *r)
{
    unsigned sev_value;
    const char *sev = nx_severity(r, &sev_value);
    const char *type = !is_audit(r) ? sev : strstr(r->keyword_name, "Failure") ? "AUDIT_FAILURE" : "AUDIT_SUCCESS";
    fputs("{\"EventTime\":\"", f);
    iso_secs(f, r->unix_s);
    fprintf(f, ".%06u+00:00\",\"Hostname\":", r->frac_100ns / 10u);
    json_str(f, r->computer, 0, 0);
    fprintf(f, ",\"Keywords\":\"%llu\",\"EventType\":\"%s\",\"SeverityValue\":%u,\"Severity\":\"%s\",\"EventID\":%u,"
               "\"SourceName\":",
            (unsigned long long)r->keywords, type, sev_value, sev, r->id);
    json_str(f, r->provider, 0, 0);
    if (r->provider_guid)
        fprintf(f, ",\"ProviderGuid\":\"%s\"", r->provider_guid);
    fprintf(f, ",\"Version\":%u,\"TaskValue\":%u,\"OpcodeValue\":%u,\"RecordNumber\":%llu,", r->version, r->task,
            r->opcode, (unsigned long long)r->record_id);
    if (r->activity_id)
        fprintf(f, "\"ActivityID\":\"%s\",", r->activity_id);
    fprintf(f, "\"ExecutionProcessID\":%u,\"ExecutionThreadID\":%u,\"Channel\":", r->pid, r->tid);
    json_str(f, r->channel, 0, 0);
    fputs(",\"Message\":", f);
    json_str(f, r->message, 1, 0);
    fputs(",\"Category\":", f);
    json_str(f, r->task_name, 0, 0);
    if (r->opcode_name)
        fprintf(f, ",\"Opcode\":\"%s\"", r->opcode_name);
    for (unsigned i = 0; i < r->n_data; i++) {
        if (!r->data_name[i])
            continue;
        fputc(',', f);
        json_str(f, r->data_name[i], 0, 0);
        fputc(':', f);
        json_str(f, r->data[i], 0, 0);
    }
    fputs(",\"EventReceivedTime\":\"", f);
    iso_secs(f, r->unix_s + 2);
    fputs(".000000+00:00\",\"SourceModuleName\":\"eventlog\",\"SourceModuleType\":\"im_msvistalog\"}\n", f);
}

/* ---- PowerShell 5.1: Get-WinEvent | ConvertTo-Json, | Export-Csv --------------------- */

/* EventLogRecord's properties in PowerShell's order (C.6); both writers
 * walk this table, each rendering a value its own way. */
enum { PS_NULL, PS_NUM, PS_STR, PS_TIME, PS_LIST };

typedef struct ps_val {
    int kind;
    long long num;       /* PS_NUM */
    const char *s;       /* PS_STR; PS_LIST: its .NET type name, as Export-Csv prints it */
    const char *item;    /* PS_LIST: each item as ConvertTo-Json prints it */
    unsigned n_items;
} ps_val;

static const char *const ps_names[] = {
    "Id", "Version", "Qualifiers", "Level", "Task", "Opcode", "Keywords", "RecordId", "ProviderName", "ProviderId",
    "LogName", "ProcessId", "ThreadId", "MachineName", "UserId", "TimeCreated", "ActivityId", "RelatedActivityId",
    "ContainerLog", "MatchedQueryIds", "Bookmark", "LevelDisplayName", "OpcodeDisplayName", "TaskDisplayName",
    "KeywordsDisplayNames", "Properties", "Message",
};
#define PS_N_COLS (sizeof ps_names / sizeof ps_names[0])

static ps_val ps_num(long long v)
{
    return (ps_val){PS_NUM, v, NULL, NULL, 0};
}

static ps_val ps_str(const char *s)
{
    return (ps_val){s ? PS_STR : PS_NULL, 0, s, NULL, 0};
}

/* A .NET Guid's ToString(): lower case, no braces. */
static const char *ps_guid(const char *braced, char *buf, size_t n)
{
    if (!braced)
        return NULL;
    snprintf(buf, n, "%.*s", (int)strlen(braced) - 2, braced + 1);
    for (char *p = buf; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + ('a' - 'A'));
    return buf;
}

static ps_val ps_column(const twin_rec *r, unsigned col, char *buf, size_t n)
{
    const int b2 = r->shape == TWIN_SYS_B2;
    switch (col) {
    case 0: return ps_num(r->id);
    case 1: return b2 ? ps_str(NULL) : ps_num(r->version);
    case 2: return is_audit(r) ? ps_str(NULL) : ps_num(r->qualifiers);
    case 3: return ps_num(r->level);
    case 4: return ps_num(r->task);
    case 5: return b2 ? ps_str(NULL) : ps_num(r->opcode);
    case 6: return ps_num((long long)r->keywords); /* a long: the audit bits make it negative */
    case 7: return ps_num((long long)r->record_id);
    case 8: return ps_str(r->provider);
    case 9: return ps_str(ps_guid(r->provider_guid, buf, n));
    case 10: return ps_str(r->channel);
    case 11: return r->pid ? ps_num(r->pid) : ps_str(NULL);
    case 12: return r->pid ? ps_num(r->tid) : ps_str(NULL);
    case 13: return ps_str(r->computer);
    case 14: return ps_str(NULL);
    case 15: return (ps_val){PS_TIME, 0, NULL, NULL, 0};
    case 16: return ps_str(ps_guid(r->activity_id, buf, n));
    case 17: return ps_str(NULL);
    case 18: return ps_str(r->channel);
    case 19: return (ps_val){PS_LIST, 0, "System.UInt32[]", NULL, 0};
    case 20: return ps_str("System.Diagnostics.Eventing.Reader.EventBookmark");
    case 21: return ps_str(r->level_name);
    case 22: return ps_str(r->opcode_name ? r->opcode_name : "Info");
    case 23: return ps_str(r->task_name);
    case 24:
        return (ps_val){PS_LIST, 0, "System.Collections.ObjectModel.ReadOnlyCollection`1[System.String]",
                        r->keyword_name, 1};
    case 25:
        return (ps_val){PS_LIST, 0,
                        "System.Collections.Generic.List`1[System.Diagnostics.Eventing.Reader.EventProperty]",
                        "System.Diagnostics.Eventing.Reader.EventProperty", r->n_data + (r->binary_hex != NULL)};
    default: return ps_str(r->message);
    }
}

static void psjson_begin(FILE *f)
{
    fputc('[', f);
}

/* ConvertTo-Json indents an array's items to its opening bracket. */
static void psjson_list(FILE *f, const ps_val *v, size_t key_len)
{
    const int pad = (int)(8 + key_len + 5);
    fputs("[\n", f);
    for (unsigned i = 0; i < v->n_items; i++) {
        fprintf(f, "%*s", pad + 2, "");
        json_str(f, v->item, 0, 1);
        fputs(i + 1 < v->n_items ? ",\n" : "\n", f);
    }
    if (!v->n_items)
        fputc('\n', f);
    fprintf(f, "%*s]", pad, "");
}

static void psjson_record(FILE *f, const twin_rec *r)
{
    char buf[64];
    fputs(r->n > 1 ? ",\n    {\n" : "\n    {\n", f);
    for (unsigned c = 0; c < PS_N_COLS; c++) {
        const ps_val v = ps_column(r, c, buf, sizeof buf);
        fprintf(f, "        \"%s\":  ", ps_names[c]);
        switch (v.kind) {
        case PS_NULL: fputs("null", f); break;
        case PS_NUM: fprintf(f, "%lld", v.num); break;
        case PS_STR: json_str(f, v.s, 1, 1); break;
        case PS_TIME:
            fprintf(f, "\"\\/Date(%lld)\\/\"", (long long)r->unix_s * 1000 + r->frac_100ns / 10000u);
            break;
        default: psjson_list(f, &v, strlen(ps_names[c])); break;
        }
        fputs(c + 1 < PS_N_COLS ? ",\n" : "\n", f);
    }
    fputs("    }", f);
}

static void psjson_end(FILE *f, uint64_t n_records)
{
    fputs(n_records ? "\n]\n" : "]\n", f);
}

static void pscsv_begin(FILE *f)
{
    fputs("#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n", f);
    for (unsigned c = 0; c < PS_N_COLS; c++)
        fprintf(f, "%s\"%s\"", c ? "," : "", ps_names[c]);
    fputs("\r\n", f);
}

static void pscsv_record(FILE *f, const twin_rec *r)
{
    char buf[64];
    for (unsigned c = 0; c < PS_N_COLS; c++) {
        const ps_val v = ps_column(r, c, buf, sizeof buf);
        if (c)
            fputc(',', f);
        switch (v.kind) {
        case PS_NULL: break;
        case PS_NUM: fprintf(f, "\"%lld\"", v.num); break;
        case PS_TIME:
            fputc('"', f);
            us_time(f, r->unix_s, 0);
            fputc('"', f);
            break;
        default: csv_str(f, v.s, 1); break;
        }
    }
    fputs("\r\n", f);
}

/* ---- Splunk classic WinEventLog ------------------------------------------------------ */

/* The EVENTLOG_*_TYPE number Splunk prints as EventType. */
static unsigned splunk_type(const twin_rec *r)
{
    if (is_audit(r))
        return 0;
    return r->level == 1 || r->level == 2 ? 1 : r->level == 3 ? 2 : 4;
}

static void splunk_record(FILE *f, const twin_rec *r)
{
    if (r->n > 1)
        fputc('\n', f);
    us_time(f, r->unix_s, 1);
    fprintf(f,
            "\nLogName=%s\nSourceName=%s\nEventCode=%u\nEventType=%u\nType=%s\nComputerName=%s\n"
            "TaskCategory=%s\nOpCode=%s\nRecordNumber=%llu\nKeywords=%s\nMessage=%s\n",
            r->channel, r->provider, r->id, splunk_type(r), r->level_name, r->computer, r->task_name,
            r->opcode_name ? r->opcode_name : "Info", (unsigned long long)r->record_id, r->keyword_name,
            r->message);
}

/* ---- Snare MSWinEventLog ----------------------------------------------------------- */

static void snare_record(FILE *f, const twin_rec *r)
{
    const char *type = r->level_name;
    if (is_audit(r))
        type = strstr(r->keyword_name, "Failure") ? "Failure Audit" : "Success Audit";
    fputs("<13>", f);
    strf(f, "%b %e %H:%M:%S ", r->unix_s);
    fprintf(f, "%.*s MSWinEventLog\t1\t%s\t%llu\t", (int)strcspn(r->computer, "."), r->computer, r->channel,
            (unsigned long long)r->n);
    strf(f, "%a %b %d %H:%M:%S %Y", r->unix_s);
    fprintf(f, "\t%u\t%s\tN/A\tN/A\t%s\t%s\t%s\t", r->id, r->provider, type, r->computer, r->task_name);
    flat_str(f, r->message);
    fprintf(f, "\t%llu\n", (unsigned long long)r->record_id);
}

const twin_format twin_formats[] = {
    {"text", "wevtutil qe /f:text", NULL, text_record, NULL},
    {"xml", "wevtutil qe /f:xml (one <Event> a line, no root)", NULL, xml_record, NULL},
    {"winlogbeat", "Winlogbeat 8 ECS NDJSON", NULL, winlogbeat_record, NULL},
    {"nxlog", "NXLog im_msvistalog JSON lines", NULL, nxlog_record, NULL},
    {"psjson", "Get-WinEvent | ConvertTo-Json (PowerShell 5.1)", psjson_begin, psjson_record, psjson_end},
    {"splunk", "Splunk WinEventLog key=value", NULL, splunk_record, NULL},
    {"snare", "Snare MSWinEventLog over syslog", NULL, snare_record, NULL},
    {"pscsv", "Get-WinEvent | Export-Csv (PowerShell 5.1)", pscsv_begin, pscsv_record, NULL},
};
_Static_assert(sizeof twin_formats / sizeof twin_formats[0] == TWIN_N_FORMATS, "TWIN_N_FORMATS counts them");
