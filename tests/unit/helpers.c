/* Assertions shared by the unit test files. */
#include "helpers.h"

#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void
kf_test_assert_str(const char *file, int line, const char *what,
                   const char *actual, const char *expected)
{
    char msg[512];
    bool same;

    if (actual == NULL || expected == NULL)
        same = actual == expected;
    else
        same = strcmp(actual, expected) == 0;
    snprintf(msg, sizeof(msg), "%s is \"%s\", expected \"%s\"", what,
             actual ? actual : "(null)", expected ? expected : "(null)");
    CU_assertImplementation(same, (unsigned int)line, msg, file, "", CU_FALSE);
}

int
kf_test_suite(const char *name, const CU_TestInfo *tests)
{
    CU_pSuite s = CU_add_suite(name, NULL, NULL);

    if (s == NULL)
        return -1;
    for (; tests->pName != NULL; tests++) {
        if (CU_add_test(s, tests->pName, tests->pTestFunc) == NULL)
            return -1;
    }
    return 0;
}
