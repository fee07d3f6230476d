/* sift_pscsv.c - PowerShell Export-Csv event exports, on sift_evsave with
 * columns located by the header's names. */
#include "sift_pscsv.h"

#include "sift_evsave.h"

/* Export-Csv's default separator. */
#define PS_DELIM ((uint8_t)',')

/* Property names of EventLogRecord (Get-WinEvent) and EventLogEntry
 * (Get-EventLog) and the role each column plays. */
static const struct {
    sift_slice name;
    int8_t role;
} columns[] = {
    { SIFT_LIT("Id"), SIFT_EVSAVE_ID },
    { SIFT_LIT("EventID"), SIFT_EVSAVE_ID },
    { SIFT_LIT("ProviderName"), SIFT_EVSAVE_SOURCE },
    { SIFT_LIT("Source"), SIFT_EVSAVE_SOURCE },
    { SIFT_LIT("TimeCreated"), SIFT_EVSAVE_DATE },
    { SIFT_LIT("TimeGenerated"), SIFT_EVSAVE_DATE },
    { SIFT_LIT("Message"), SIFT_EVSAVE_DESCRIPTION },
    { SIFT_LIT("Level"), SIFT_EVSAVE_LEVEL_NUM },
    { SIFT_LIT("LevelDisplayName"), SIFT_EVSAVE_LEVEL },
    { SIFT_LIT("EntryType"), SIFT_EVSAVE_LEVEL },
    { SIFT_LIT("TaskDisplayName"), SIFT_EVSAVE_TASK },
    { SIFT_LIT("Category"), SIFT_EVSAVE_TASK },
    { SIFT_LIT("MachineName"), SIFT_EVSAVE_COMPUTER },
    { SIFT_LIT("LogName"), SIFT_EVSAVE_CHANNEL },
    { SIFT_LIT("RecordId"), SIFT_EVSAVE_RECORD_ID },
    { SIFT_LIT("Index"), SIFT_EVSAVE_RECORD_ID },
    { SIFT_LIT("Qualifiers"), SIFT_EVSAVE_QUALIFIERS },
};

/* The role of a column named name, or -1. */
static int column_role(sift_slice name)
{
    name = sift_slice_trim(name);
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++)
        if (sift_slice_eq_nocase(name, columns[i].name))
            return columns[i].role;
    return -1;
}

/* Roles a header must locate: without an id and a provider no rule could
 * use a record. */
static int usable(const int8_t *col)
{
    return col[SIFT_EVSAVE_ID] >= 0 && col[SIFT_EVSAVE_SOURCE] >= 0;
}

/* Maps names[0, kept) to roles in col; the first column of a role wins. */
static void locate(const sift_slice *names, size_t kept, int8_t *col)
{
    for (size_t i = 0; i < SIFT_EVSAVE_ROLES; i++)
        col[i] = -1;
    for (size_t i = 0; i < kept; i++) {
        const int r = column_role(names[i]);
        if (r >= 0 && col[r] < 0)
            col[r] = (int8_t)i;
    }
}

static const sift_slice type_line = SIFT_LIT("#TYPE ");

/* The record types whose exports this format reads. */
static int event_type(sift_slice type)
{
    static const sift_slice selected = SIFT_LIT("Selected.");
    static const sift_slice types[] = { SIFT_LIT("System.Diagnostics.Eventing.Reader.EventLogRecord"),
                                        SIFT_LIT("System.Diagnostics.EventLogEntry") };
    type = sift_slice_trim(type);
    if (sift_slice_starts_with(type, selected))
        type = sift_slice_sub(type, selected.len, type.len);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (!sift_slice_starts_with(type, types[i]))
            continue;
        /* EventLogEntry#Application/Application Error/1000 */
        if (type.len == types[i].len || type.ptr[types[i].len] == '#')
            return 1;
    }
    return 0;
}

/* "#TYPE X" as the first line is a preamble; then the header. */
static int ps_header(sift_evsave *s, const sift_slice *names, size_t kept, size_t n)
{
    if (kept >= 1 && sift_slice_starts_with(names[0], type_line))
        return SIFT_EVSAVE_PREAMBLE;
    locate(names, kept, s->col);
    if (!usable(s->col))
        return SIFT_EVSAVE_NOT_HEADER;
    s->n_fields = n;
    return SIFT_EVSAVE_HEADER;
}

static int ps_sniff(sift_slice head)
{
    if (sift_slice_starts_with(head, type_line)) {
        sift_slice type = sift_slice_sub(head, type_line.len, head.len);
        const size_t lf = sift_slice_find_byte(type, '\n');
        return event_type(sift_slice_sub(type, 0, lf));
    }
    sift_slice names[SIFT_EVSAVE_MAX_COLS];
    const size_t n = sift_evsave_split(head, PS_DELIM, names, SIFT_EVSAVE_MAX_COLS);
    int8_t col[SIFT_EVSAVE_ROLES];
    locate(names, n < SIFT_EVSAVE_MAX_COLS ? n : SIFT_EVSAVE_MAX_COLS, col);
    return n > 0 && usable(col) && col[SIFT_EVSAVE_DESCRIPTION] >= 0;
}

static void ps_init(void *state)
{
    sift_evsave_init_with(state, PS_DELIM, ps_header,
                          "header does not name an event id (Id, EventID) and a provider (ProviderName, Source)");
}

static const sift_stream_ops ps_stream = SIFT_EVSAVE_STREAM_OPS(ps_sniff, ps_init);

const sift_format sift_pscsv_format = {
    "ps-csv",
    "PowerShell Get-WinEvent / Get-EventLog | Export-Csv, English and Japanese",
    SIFT_PRODUCES_EVENTS, NULL, 0, NULL, &ps_stream, NULL,
};
