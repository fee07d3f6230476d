/* test_evsave_csv.c - the "evsave-csv" format: Event Viewer's CSV save as
 * the engine sees it, through the registry, every input behind a guard page. */
#include <criterion/criterion.h>

#include "evsave_cases.h"
#include "sift_evsave_csv.h"

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
    sh_run r = sh_frame(sift_evsave_csv_format.stream, text, sizeof text - 1, 0, 16, 1);
    cr_assert_eq(r.n, 2);
    cr_expect(r.it[0].is_error);
    cr_expect_eq(r.it[0].offset, 51);
    cr_expect_str_eq(r.it[1].message, "one, two");
    sh_free(&r);
}

/* Hostile inputs (each at its offset), 1 MiB lines, English and Japanese
 * samples to canonical fields, every prefix and chunking, and the seeds. */
Test(evsave_csv, passes_every_shared_case_of_the_saves)
{
    evsave_check_format(&sift_evsave_csv_format, ',', SIFT_SOURCE_DIR "/corpus/fuzz_evsave_csv", "csv");
}
