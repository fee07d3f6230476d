/* test_evsave_txt.c - the "evsave-txt" format: Event Viewer's tab-separated
 * text save as the engine sees it, through the registry, every input behind
 * a guard page. */
#include <criterion/criterion.h>

#include "evsave_cases.h"
#include "sift_evsave_txt.h"

Test(evsave_txt, is_the_registered_format_of_the_tab_header)
{
    evsave_check_registered(&sift_evsave_txt_format, "evsave-txt", '\t');
}

/* The shape of a real text save (a Sysmon event, as published with a
 * detection rule): the description is quoted only because it spans lines,
 * and commas in fields need no quotes. */
Test(evsave_txt, a_multi_line_description_is_quoted_and_commas_are_plain)
{
    static const char text[] = "Level\tDate and Time\tSource\tEvent ID\tTask Category\n"
                               "Information\t4/16/2020 3:47:36 PM\tMicrosoft-Windows-Sysmon\t1\tProcess Create (rule: "
                               "ProcessCreate)\t\"Process Create:\nRuleName: \nUtcTime: 4/16/2020\n"
                               "Hashes: MD5=0,SHA256=0\nParentProcessId: 668\"\n"
                               "Warning\t4/16/2020 3:47:37 PM\tFoo, Inc.\t2\tNone\tone, two\n";
    sh_run r = sh_frame(sift_evsave_txt_format.stream, text, sizeof text - 1, 0, 16, 1);
    cr_assert_eq(r.errors, 0);
    cr_assert_eq(r.records, 2);
    cr_expect_eq(r.it[0].id, 1);
    cr_expect_str_eq(r.it[0].provider, "Microsoft-Windows-Sysmon");
    cr_expect_eq(strncmp(r.it[0].message, "Process Create:\nRuleName:", 25), 0);
    cr_expect_eq(r.it[0].time.secs, INT64_C(1587052056), "2020-04-16T15:47:36");
    cr_expect_eq(r.it[1].line, 7);
    cr_expect_str_eq(r.it[1].provider, "Foo, Inc.");
    cr_expect_str_eq(r.it[1].message, "one, two");
    cr_expect_eq(r.it[1].level, SIFT_LEVEL_WARNING);
    sh_free(&r);
}

/* Hostile inputs (each at its offset), 1 MiB lines, English and Japanese
 * samples to canonical fields, every prefix and chunking, and the seeds. */
Test(evsave_txt, passes_every_shared_case_of_the_saves)
{
    evsave_check_format(&sift_evsave_txt_format, '\t', SIFT_SOURCE_DIR "/corpus/fuzz_evsave_txt", "txt");
}
