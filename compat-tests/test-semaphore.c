/*
 * test-semaphore.c - counts, maximum, previous count, ERROR_TOO_MANY_POSTS.
 */
#include "helpers.h"

static void test_parameters(void)
{
    CHECK_FAIL(CreateSemaphoreA(NULL, 0, 0, NULL), NULL, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(CreateSemaphoreA(NULL, 2, 1, NULL), NULL, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(CreateSemaphoreA(NULL, -1, 1, NULL), NULL, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(CreateSemaphoreA(NULL, 0, -5, test_name("neg")), NULL, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(OpenSemaphoreA(SYNCHRONIZE, FALSE, test_name("none")), NULL, ERROR_FILE_NOT_FOUND);
}

static void test_counting(void)
{
    const char *name = test_name("sem");
    HANDLE s = CreateSemaphoreA(NULL, 2, 3, name), again, sync_only;
    LONG prev = 12345;

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(WaitForSingleObject(s, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(s, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(s, 0), WAIT_TIMEOUT);
    CU_ASSERT_TRUE(ReleaseSemaphore(s, 2, &prev));
    CU_ASSERT_EQUAL(prev, 0);
    CU_ASSERT_TRUE(ReleaseSemaphore(s, 1, &prev));
    CU_ASSERT_EQUAL(prev, 2);
    /* Past the maximum: refused, count and previous-count output untouched. */
    prev = 12345;
    CHECK_FAIL(ReleaseSemaphore(s, 1, &prev), FALSE, ERROR_TOO_MANY_POSTS);
    CU_ASSERT_EQUAL(prev, 12345);
    CHECK_FAIL(ReleaseSemaphore(s, 0x7FFFFFFF, &prev), FALSE, ERROR_TOO_MANY_POSTS);
    /* "The value must be greater than zero" (Microsoft's ReleaseSemaphore page); Wine 8
       accepts 0 and says ERROR_TOO_MANY_POSTS for -1. */
    if (!skipped_on_wine("ReleaseSemaphore with a count of 0 or -1: ERROR_INVALID_PARAMETER")) {
        CHECK_FAIL(ReleaseSemaphore(s, 0, &prev), FALSE, ERROR_INVALID_PARAMETER);
        CHECK_FAIL(ReleaseSemaphore(s, -1, &prev), FALSE, ERROR_INVALID_PARAMETER);
    }
    CU_ASSERT_EQUAL(prev, 12345);
    /* Create of the existing semaphore ignores its counts. */
    again = CreateSemaphoreA(NULL, 0, 1, name);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ALREADY_EXISTS);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(WaitForSingleObject(again, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(again, 0), WAIT_TIMEOUT);
    CU_ASSERT_TRUE(ReleaseSemaphore(again, 3, NULL));
    sync_only = OpenSemaphoreA(SYNCHRONIZE, FALSE, name);
    CHECK_FAIL(ReleaseSemaphore(sync_only, 1, NULL), FALSE, ERROR_ACCESS_DENIED);
    CloseHandle(sync_only);
    CloseHandle(again);
    CloseHandle(s);
}

static void test_large_maximum(void)
{
    HANDLE s = CreateSemaphoreA(NULL, 0x7FFFFFFE, 0x7FFFFFFF, NULL);
    LONG prev;

    CU_ASSERT_TRUE(ReleaseSemaphore(s, 1, &prev));
    CU_ASSERT_EQUAL(prev, 0x7FFFFFFE);
    CHECK_FAIL(ReleaseSemaphore(s, 1, &prev), FALSE, ERROR_TOO_MANY_POSTS);
    CU_ASSERT_EQUAL(WaitForSingleObject(s, 0), WAIT_OBJECT_0);
    CloseHandle(s);
}

CU_TestInfo test_semaphore_tests[] = {
    {"invalid counts and flags", test_parameters},
    {"counting, previous count, maximum, rights", test_counting},
    {"a maximum of 0x7FFFFFFF", test_large_maximum},
    CU_TEST_INFO_NULL,
};

const struct test_role test_semaphore_roles[] = {{NULL, NULL}};
