/* test_time.c - not written yet. */
#include <criterion/criterion.h>

Test(placeholder, builds) { cr_assert(1); }
