/*
 * test-thread.c - waitable thread handles and exit codes.
 */
#include "helpers.h"

static DWORD WINAPI wait_then_return(LPVOID ev)
{
    WaitForSingleObject(ev, 30000);
    return 42;
}

static DWORD WINAPI exit_thread(LPVOID arg)
{
    (void)arg;
    ExitThread(7);
    return 8; /* not reached */
}

static void test_wait_and_exit_code(void)
{
    HANDLE go = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD id = 0, code = 0;
    HANDLE t = CreateThread(NULL, 0, wait_then_return, go, 0, &id);

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_NOT_EQUAL(id, 0);
    CU_ASSERT_NOT_EQUAL(id, GetCurrentThreadId());
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_TIMEOUT);
    CU_ASSERT_TRUE(GetExitCodeThread(t, &code));
    CU_ASSERT_EQUAL(code, STILL_ACTIVE);
    SetEvent(go);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 30000), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_OBJECT_0); /* stays signalled */
    CU_ASSERT_TRUE(GetExitCodeThread(t, &code));
    CU_ASSERT_EQUAL(code, 42);
    CloseHandle(t);

    t = CreateThread(NULL, 0, exit_thread, NULL, 0, NULL);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 30000), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(GetExitCodeThread(t, &code));
    CU_ASSERT_EQUAL(code, 7);
    CloseHandle(t);
    CloseHandle(go);
}

static void test_handle_closed_before_exit(void)
{
    HANDLE go = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE t = CreateThread(NULL, 0, wait_then_return, go, 0, NULL), dup = NULL;

    CU_ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), t, GetCurrentProcess(), &dup, 0, FALSE,
                                   DUPLICATE_SAME_ACCESS));
    CU_ASSERT_TRUE(CloseHandle(t)); /* the thread runs on */
    SetEvent(go);
    CU_ASSERT_EQUAL(WaitForSingleObject(dup, 30000), WAIT_OBJECT_0);
    CloseHandle(dup);
    CloseHandle(go);
}

static void test_current_thread_handle(void)
{
    HANDLE self = NULL;
    DWORD code = 0;

    CU_ASSERT_TRUE(GetExitCodeThread(GetCurrentThread(), &code));
    CU_ASSERT_EQUAL(code, STILL_ACTIVE);
    CU_ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(),
                                   &self, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CU_ASSERT_PTR_NOT_NULL_FATAL(self);
    CU_ASSERT_EQUAL(WaitForSingleObject(self, 0), WAIT_TIMEOUT);
    CU_ASSERT_TRUE(GetExitCodeThread(self, &code));
    CU_ASSERT_EQUAL(code, STILL_ACTIVE);
    CloseHandle(self);
#ifndef _WIN32
    /* Differs from Windows, where the new thread faults at address 0: refused. */
    CHECK_FAIL(CreateThread(NULL, 0, NULL, NULL, 0, NULL), NULL, ERROR_INVALID_PARAMETER);
    /* Differs from Windows: there is no ResumeThread, so no suspended start. */
    CHECK_FAIL(CreateThread(NULL, 0, wait_then_return, NULL, 0x4 /* CREATE_SUSPENDED */, NULL),
               NULL, ERROR_NOT_SUPPORTED);
#endif
}

CU_TestInfo test_thread_tests[] = {
    {"a thread handle is signalled at exit; GetExitCodeThread", test_wait_and_exit_code},
    {"closing a thread handle does not stop the thread", test_handle_closed_before_exit},
    {"GetCurrentThread and its duplicate", test_current_thread_handle},
    CU_TEST_INFO_NULL,
};

const struct test_role test_thread_roles[] = {{NULL, NULL}};
