/* The unit test runner: registers every suite and runs them with CUnit. */
#include <CUnit/Basic.h>
#include <stdio.h>

int kf_add_errcodes_suite(void);
int kf_add_scenario_suite(void);
int kf_add_labmodel_suite(void);
int kf_add_wire_suite(void);
int kf_add_fakekdc_suite(void);
int kf_add_aliases_suite(void);
int kf_add_dns_suite(void);
int kf_add_apmod_suite(void);

/* Register the suites, run them, and exit with the number of failures. */
int
main(void)
{
    unsigned int failures;

    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "kf_unit: cannot set up CUnit: %s\n",
                CU_get_error_msg());
        return 1;
    }
    if (kf_add_errcodes_suite() != 0 || kf_add_scenario_suite() != 0 ||
        kf_add_labmodel_suite() != 0 || kf_add_wire_suite() != 0 ||
        kf_add_fakekdc_suite() != 0 || kf_add_aliases_suite() != 0 ||
        kf_add_dns_suite() != 0 || kf_add_apmod_suite() != 0) {
        fprintf(stderr, "kf_unit: cannot register the suites: %s\n",
                CU_get_error_msg());
        CU_cleanup_registry();
        return 1;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    if (CU_basic_run_tests() != CUE_SUCCESS) {
        fprintf(stderr, "kf_unit: the run failed: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 1;
    }
    failures = CU_get_number_of_failures();
    CU_cleanup_registry();
    /* An exit status is eight bits: never let 256 failures read as 0. */
    return failures > 255 ? 255 : (int)failures;
}
