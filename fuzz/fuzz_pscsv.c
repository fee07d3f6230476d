/* fuzz_pscsv.c - the "ps-csv" format as the engine drives it: raw and behind
 * each of its header shapes, whole and chunked alike. */
#include "fuzz_stream.h"
#include "sift_pscsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Get-WinEvent with #TYPE (5.1), a reordered subset (Select-Object,
     * PowerShell 7), and Get-EventLog: the fuzzer's bytes are records of each. */
    static const char *const headers[] = {
        "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"
        "\"Message\",\"Id\",\"Version\",\"Qualifiers\",\"Level\",\"Task\",\"Opcode\",\"Keywords\",\"RecordId\","
        "\"ProviderName\",\"ProviderId\",\"LogName\",\"ProcessId\",\"ThreadId\",\"MachineName\",\"UserId\","
        "\"TimeCreated\",\"ActivityId\",\"RelatedActivityId\",\"ContainerLog\",\"MatchedQueryIds\",\"Bookmark\","
        "\"LevelDisplayName\",\"OpcodeDisplayName\",\"TaskDisplayName\",\"KeywordsDisplayNames\",\"Properties\"\r\n",
        "\"TimeCreated\",\"Id\",\"ProviderName\",\"Message\"\r\n",
        "#TYPE System.Diagnostics.EventLogEntry#System/EventLog/6013\r\n"
        "\"EventID\",\"MachineName\",\"Data\",\"Index\",\"Category\",\"CategoryNumber\",\"EntryType\",\"Message\","
        "\"Source\",\"ReplacementStrings\",\"InstanceId\",\"TimeGenerated\",\"TimeWritten\",\"UserName\",\"Site\","
        "\"Container\"\r\n",
    };
    const sift_format *f = &sift_pscsv_format;
    FUZZ_ASSERT(f->line == NULL && f->stream != NULL && f->n_patterns == 0);
    f->stream->sniff(sift_slice_make(data, size < SIFT_SNIFF_BYTES ? size : SIFT_SNIFF_BYTES));
    fz_check_stream(f->stream, data, size);
    fz_check_behind(f->stream, headers[size % 3], data, size);
    return 0;
}
