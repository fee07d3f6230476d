/* test_evsave_csv.c - the "evsave-csv" format: Event Viewer's CSV save as
 * the engine sees it, through the registry, every input behind a guard page. */
#include <criterion/criterion.h>

#include "evsave_cases.h"
#include "sift_evsave_csv.h"

static const sift_stream_ops *csv(void)
{
    return sift_evsave_csv_format.stream;
}

Test(evsave_csv, is_the_registered_format_of_the_comma_header)
{
    evsave_check_registered(&sift_evsave_csv_format, "evsave-csv", ',');
}

/* RFC 4180: a comma in a description must be quoted; unquoted, it makes a
 * seventh field, which the text save would not see. */
Test(evsave_csv, an_unquoted_comma_in_the_description_is_a_seventh_field)
{
    static const char text[] = "Level,Date and Time,Source,Event ID,Task Category\r\n"
                               "Information,7/1/2025 5:00:00 PM,Foo,1,None,one, two\r\n"
                               "Information,7/1/2025 5:00:00 PM,Foo,2,None,\"one, two\"\r\n";
    sh_run r = sh_frame(csv(), text, sizeof text - 1, 0, 16, 1);
    cr_assert_eq(r.n, 2);
    cr_expect(r.it[0].is_error);
    cr_expect_eq(r.it[0].offset, 51);
    cr_expect_str_eq(r.it[1].message, "one, two");
    sh_free(&r);
}

Test(evsave_csv, hostile_inputs_are_reported_at_their_offsets)
{
    for (size_t i = 0; i < NHOSTILES; i++)
        evsave_check_hostile(csv(), ',', &hostiles[i]);
    evsave_check_long_lines(csv(), ',');
}

Test(evsave_csv, decode_gives_the_canonical_fields_in_english_and_japanese)
{
    evsave_check_samples(csv(), ',');
}

Test(evsave_csv, every_prefix_and_every_chunking_give_the_same_records)
{
    evsave_check_chunking(csv(), ',');
}

Test(evsave_csv, the_fuzz_seeds_read_as_their_names_say)
{
    evsave_check_seeds(csv(), SIFT_SOURCE_DIR "/corpus/fuzz_evsave_csv", "csv");
}
