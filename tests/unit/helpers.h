/* Assertions shared by the unit test files. */
#ifndef KF_TEST_HELPERS_H
#define KF_TEST_HELPERS_H

#include <CUnit/CUnit.h>

/* Assert that two strings are equal, reporting both; NULL is a value. */
#define ASSERT_STR(actual, expected)                                          \
    kf_test_assert_str(__FILE__, __LINE__, #actual, (actual), (expected))

/* Record a CUnit assertion that actual equals expected (both may be NULL),
 * with both values in the failure text. */
void kf_test_assert_str(const char *file, int line, const char *what,
                        const char *actual, const char *expected);

/* Add a suite named name holding the tests of a table that ends with
 * CU_TEST_INFO_NULL; return 0, or -1 if CUnit refuses. */
int kf_test_suite(const char *name, const CU_TestInfo *tests);

#endif /* KF_TEST_HELPERS_H */
