/* test_evsave_txt.c - the "evsave-txt" format: Event Viewer's tab-separated
 * text save as the engine sees it, through the registry, every input behind
 * a guard page. */
#include <criterion/criterion.h>

#include "evsave_cases.h"
#include "sift_evsave_txt.h"

static const sift_stream_ops *txt(void)
{
    return sift_evsave_txt_format.stream;
}

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
    sh_run r = sh_frame(txt(), text, sizeof text - 1, 0, 16, 1);
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

Test(evsave_txt, hostile_inputs_are_reported_at_their_offsets)
{
    for (size_t i = 0; i < NHOSTILES; i++)
        evsave_check_hostile(txt(), '\t', &hostiles[i]);
    evsave_check_long_lines(txt(), '\t');
}

Test(evsave_txt, decode_gives_the_canonical_fields_in_english_and_japanese)
{
    evsave_check_samples(txt(), '\t');
}

Test(evsave_txt, every_prefix_and_every_chunking_give_the_same_records)
{
    evsave_check_chunking(txt(), '\t');
}

Test(evsave_txt, the_fuzz_seeds_read_as_their_names_say)
{
    evsave_check_seeds(txt(), SIFT_SOURCE_DIR "/corpus/fuzz_evsave_txt", "txt");
}
