/*
 * main.c - the compat test runner.
 *
 *   compat-tests                  run every suite
 *   compat-tests --suite NAME     run one suite (ctest runs each on its own)
 *   compat-tests --child ROLE ... run a helper role for a multi-process test
 *
 * Exits non-zero if any test or suite failed. After each suite, no shared object
 * made by this process may be left (the suite's cleanup fails otherwise).
 */
#include "helpers.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

static int check_no_leftovers(void)
{
    int n = shm_leftovers(test_name_prefix());

    if (n)
        fprintf(stderr, "\n%d shared object(s) named %s* left behind\n", n, test_name_prefix());
    return n != 0;
}

#define SUITE(area)                                                                       \
    {                                                                                     \
        .pName = #area, .pCleanupFunc = check_no_leftovers, .pTests = test_##area##_tests \
    }

static CU_SuiteInfo suites[] = {
    SUITE(mapping),     SUITE(names),    SUITE(lifetime),      SUITE(file),    SUITE(handles),
    SUITE(mutex),       SUITE(event),    SUITE(semaphore),     SUITE(wait),    SUITE(thread),
    SUITE(workloads),   SUITE(text),     SUITE(tchar_unicode), SUITE(sdk),     SUITE(crt_secure),
    SUITE(message),     SUITE(memory),   SUITE(directory),     SUITE(badargs), SUITE(chaos),
    SUITE(timer),       SUITE(process),  SUITE(environ),
#if defined(WINIPC_TEST_PORTABLE)
    SUITE(hostile),     SUITE(portable),
#elif !defined(_WIN32)
    SUITE(hostile),     SUITE(cli),     SUITE(trace),
#endif
    CU_SUITE_INFO_NULL,
};

static const struct test_role *roles[] = {
    test_mapping_roles,       test_names_roles,     test_lifetime_roles,   test_file_roles,
    test_handles_roles,       test_mutex_roles,     test_event_roles,      test_semaphore_roles,
    test_wait_roles,          test_thread_roles,    test_workloads_roles,  test_text_roles,
    test_tchar_unicode_roles, test_sdk_roles,       test_crt_secure_roles, test_message_roles,
    test_memory_roles,        test_directory_roles, test_badargs_roles,    test_chaos_roles,
    test_timer_roles,         test_process_roles,   test_environ_roles,
#if defined(WINIPC_TEST_PORTABLE)
    test_hostile_roles,       test_portable_roles,
#elif !defined(_WIN32)
    test_hostile_roles,       test_cli_roles,       test_trace_roles,
#endif
};

static int run_role(const char *name, int argc, char **argv)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        for (const struct test_role *r = roles[i]; r->name; r++)
            if (strcmp(r->name, name) == 0)
                return r->fn(argc, argv);
    fprintf(stderr, "unknown helper role %s\n", name);
    return 100;
}

int main(int argc, char **argv)
{
    const char *only = NULL;
    unsigned failed;

    if (argc >= 3 && strcmp(argv[1], "--child") == 0)
        return run_role(argv[2], argc - 3, argv + 3);
    if (argc >= 3 && strcmp(argv[1], "--suite") == 0)
        only = argv[2];
    setvbuf(stdout, NULL, _IONBF, 0);

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    for (CU_SuiteInfo *s = suites; s->pName; s++) {
        if (only && strcmp(only, s->pName) != 0)
            continue;
        CU_SuiteInfo one[] = {*s, CU_SUITE_INFO_NULL};
        if (CU_register_suites(one) != CUE_SUCCESS)
            return 2;
    }
    if (only && CU_get_registry()->uiNumberOfSuites == 0) {
        fprintf(stderr, "no suite named %s\n", only);
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed() +
             CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
