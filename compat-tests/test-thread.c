/*
 * test-thread.c - waitable thread handles and exit codes, suspended threads,
 * thread-local and fiber-local storage.
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
#endif
    CU_ASSERT_EQUAL(GetThreadId(GetCurrentThread()), GetCurrentThreadId());
    CU_ASSERT_EQUAL(SleepEx(1, TRUE), 0); /* no APCs: an ordinary sleep */
    SwitchToThread();                     /* whatever it returns, it returns */
}

/* ---- Suspended threads -------------------------------------------------------------- */

static DWORD WINAPI mark_ran(LPVOID flag)
{
    InterlockedExchange((LONG volatile *)flag, 1);
    return 5;
}

static void test_create_suspended(void)
{
    LONG volatile ran = 0;
    DWORD id = 0, code = 0;
    HANDLE t = CreateThread(NULL, 0, mark_ran, (LPVOID)&ran, CREATE_SUSPENDED, &id);

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_NOT_EQUAL(id, 0); /* known before it runs */
    CU_ASSERT_EQUAL(GetThreadId(t), id);
    CU_ASSERT_TRUE(GetExitCodeThread(t, &code));
    CU_ASSERT_EQUAL(code, STILL_ACTIVE);
    /* The counts: Suspend and Resume return the previous one. */
    CU_ASSERT_EQUAL(SuspendThread(t), 1);
    CU_ASSERT_EQUAL(ResumeThread(t), 2);
    /* Still suspended: in 200 ms it did not run. */
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 200), WAIT_TIMEOUT);
    CU_ASSERT_EQUAL(ran, 0);
    CU_ASSERT_EQUAL(ResumeThread(t), 1); /* 0: it starts */
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 30000), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(ran, 1);
    CU_ASSERT_TRUE(GetExitCodeThread(t, &code));
    CU_ASSERT_EQUAL(code, 5);
    CU_ASSERT_EQUAL(GetThreadId(t), id); /* kept after the end */
    /* An ended thread: nothing to resume, and it cannot be suspended. */
    CU_ASSERT_EQUAL(ResumeThread(t), 0);
    SetLastError(0xDEAD);
    CU_ASSERT_EQUAL(SuspendThread(t), (DWORD)-1);
    CU_ASSERT(GetLastError() == ERROR_ACCESS_DENIED || GetLastError() == ERROR_NO_MORE_ITEMS);
    CloseHandle(t);
}

static void test_suspend_count_limit(void)
{
    LONG volatile ran = 0;
    HANDLE t = CreateThread(NULL, 0, mark_ran, (LPVOID)&ran, CREATE_SUSPENDED, NULL);
    DWORD n;

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    for (n = 1; n < MAXIMUM_SUSPEND_COUNT; n++)
        if (SuspendThread(t) != n)
            break;
    CU_ASSERT_EQUAL(n, MAXIMUM_SUSPEND_COUNT);
    CHECK_FAIL(SuspendThread(t), (DWORD)-1, ERROR_SIGNAL_REFUSED);
    for (n = MAXIMUM_SUSPEND_COUNT; n > 1; n--)
        if (ResumeThread(t) != n)
            break;
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(ran, 0);
    CU_ASSERT_EQUAL(ResumeThread(t), 1);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 30000), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(ran, 1);
    CloseHandle(t);
}

static void test_terminate_suspended_and_bad_handles(void)
{
    LONG volatile ran = 0;
    HANDLE t = CreateThread(NULL, 0, mark_ran, (LPVOID)&ran, CREATE_SUSPENDED, NULL);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL), go, running;
    DWORD code = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    /* A thread ended before it started never runs, and has the code it was given. */
    CU_ASSERT_TRUE(TerminateThread(t, 77));
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 30000), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(GetExitCodeThread(t, &code));
    CU_ASSERT_EQUAL(code, 77);
    CU_ASSERT_EQUAL(ran, 0);
    CloseHandle(t);
    CHECK_FAIL(ResumeThread(NULL), (DWORD)-1, ERROR_INVALID_HANDLE);
    CHECK_FAIL(SuspendThread(ev), (DWORD)-1, ERROR_INVALID_HANDLE);
    CHECK_FAIL(ResumeThread(ev), (DWORD)-1, ERROR_INVALID_HANDLE);
    CHECK_FAIL(GetThreadId(ev), 0, ERROR_INVALID_HANDLE);
    /* A handle without THREAD_SUSPEND_RESUME. */
    go = CreateEventA(NULL, TRUE, FALSE, NULL);
    t = CreateThread(NULL, 0, wait_then_return, go, CREATE_SUSPENDED, NULL);
    CU_ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), t, GetCurrentProcess(), &running,
                                   SYNCHRONIZE | THREAD_QUERY_INFORMATION, FALSE, 0));
    CHECK_FAIL(ResumeThread(running), (DWORD)-1, ERROR_ACCESS_DENIED);
    CHECK_FAIL(TerminateThread(running, 1), FALSE, ERROR_ACCESS_DENIED);
    CU_ASSERT_EQUAL(ResumeThread(t), 1);
#ifndef _WIN32
    /* Differs from Windows: a thread that runs is neither suspended nor terminated
       (stopping it anywhere is unsafe); the caller itself neither. */
    CHECK_FAIL(SuspendThread(t), (DWORD)-1, ERROR_NOT_SUPPORTED);
    CHECK_FAIL(TerminateThread(t, 1), FALSE, ERROR_NOT_SUPPORTED);
    CHECK_FAIL(SuspendThread(GetCurrentThread()), (DWORD)-1, ERROR_NOT_SUPPORTED);
#endif
    CU_ASSERT_EQUAL(ResumeThread(t), 0); /* running: count 0 */
    SetEvent(go);
    CU_ASSERT_EQUAL(WaitForSingleObject(running, 30000), WAIT_OBJECT_0);
    /* An ended thread keeps its code: TerminateThread changes it "from STILL_ACTIVE". */
    CU_ASSERT_TRUE(TerminateThread(t, 1) || GetLastError() == ERROR_ACCESS_DENIED);
    CU_ASSERT_TRUE(GetExitCodeThread(t, &code));
    if (!skipped_on_wine("TerminateThread of an ended thread keeps its exit code"))
        CU_ASSERT_EQUAL(code, 42);
    CloseHandle(running);
    CloseHandle(t);
    CloseHandle(go);
    CloseHandle(ev);
}

/* ---- Thread-local storage ------------------------------------------------------------- */

/* How many TLS indexes a process has: 64 + 1024 on Windows and here. */
#define TLS_INDEXES (TLS_MINIMUM_AVAILABLE + 1024)

static void test_tls_exhaustion_and_reuse(void)
{
    static DWORD idx[TLS_INDEXES + 1];
    DWORD n = 0, again;

    while (n <= TLS_INDEXES && (idx[n] = TlsAlloc()) != TLS_OUT_OF_INDEXES)
        n++;
    CU_ASSERT(n <= TLS_INDEXES);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_MORE_ITEMS);
    /* Windows's own DLLs hold a few; winipc's processes have them all. */
    CU_ASSERT(n >= TLS_INDEXES - TLS_MINIMUM_AVAILABLE);
#ifndef _WIN32
    CU_ASSERT_EQUAL(n, TLS_INDEXES);
#endif
    CU_ASSERT_FATAL(n > 10);
    /* A freed index is handed out again, with its old value gone. */
    CU_ASSERT_TRUE(TlsSetValue(idx[10], (LPVOID)0x1234));
    SetLastError(0xDEAD);
    CU_ASSERT_TRUE(TlsFree(idx[10]));
    CU_ASSERT_EQUAL(GetLastError(), 0xDEAD); /* success leaves it alone */
    again = TlsAlloc();
    CU_ASSERT_EQUAL(again, idx[10]);
    CU_ASSERT_PTR_NULL(TlsGetValue(again));
    CU_ASSERT_EQUAL(TlsAlloc(), TLS_OUT_OF_INDEXES);
    for (DWORD i = 0; i < n; i++)
        CU_ASSERT_TRUE(TlsFree(idx[i]));
    CHECK_FAIL(TlsFree(idx[0]), FALSE, ERROR_INVALID_PARAMETER); /* freed twice */
}

struct tls_probe {
    DWORD index;
    HANDLE stored, check; /* events: the thread stored its value; look again */
    LPVOID first, later;  /* what the thread read before it stored, and at the end */
};

static DWORD WINAPI tls_thread(LPVOID p)
{
    struct tls_probe *pr = p;

    pr->first = TlsGetValue(pr->index); /* values are not inherited */
    TlsSetValue(pr->index, (LPVOID)0xBEEF);
    SetEvent(pr->stored);
    WaitForSingleObject(pr->check, 30000);
    pr->later = TlsGetValue(pr->index);
    return 0;
}

static void test_tls_values(void)
{
    struct tls_probe pr = {.index = TlsAlloc(), .first = (LPVOID)1, .later = (LPVOID)1};
    HANDLE t;

    CU_ASSERT_NOT_EQUAL_FATAL(pr.index, TLS_OUT_OF_INDEXES);
    pr.stored = CreateEventA(NULL, TRUE, FALSE, NULL);
    pr.check = CreateEventA(NULL, TRUE, FALSE, NULL);
    /* A stored NULL reads with ERROR_SUCCESS; a bad index fails. */
    SetLastError(0xDEAD);
    CU_ASSERT_PTR_NULL(TlsGetValue(pr.index));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    CHECK_FAIL(TlsGetValue(TLS_INDEXES), NULL, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(TlsSetValue(TLS_INDEXES, NULL), FALSE, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(TlsFree(TLS_INDEXES), FALSE, ERROR_INVALID_PARAMETER);
    /* Values per thread. */
    CU_ASSERT_TRUE(TlsSetValue(pr.index, (LPVOID)0xCAFE));
    t = CreateThread(NULL, 0, tls_thread, &pr, 0, NULL);
    CU_ASSERT_EQUAL(WaitForSingleObject(pr.stored, 30000), WAIT_OBJECT_0);
    CU_ASSERT_PTR_NULL(pr.first);
    CU_ASSERT_PTR_EQUAL(TlsGetValue(pr.index), (LPVOID)0xCAFE);
    /* TlsFree clears the index in every thread: a later owner finds NULL. */
    CU_ASSERT_TRUE(TlsFree(pr.index));
    SetEvent(pr.check);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 30000), WAIT_OBJECT_0);
    CU_ASSERT_PTR_NULL(pr.later);
    CU_ASSERT_PTR_NULL(TlsGetValue(pr.index));
    CloseHandle(t);
    CloseHandle(pr.check);
    CloseHandle(pr.stored);
}

/* ---- Fiber-local storage: callbacks at thread exit and at FlsFree ----------------------- */

static LONG volatile fls_calls;
static LPVOID volatile fls_last;

static VOID WINAPI fls_callback(PVOID value)
{
    fls_last = value;
    InterlockedIncrement(&fls_calls);
}

static DWORD WINAPI fls_thread(LPVOID index)
{
    FlsSetValue((DWORD)(ULONG_PTR)index, (PVOID)0xF1);
    return 0;
}

static DWORD WINAPI fls_holder(LPVOID p)
{
    struct tls_probe *pr = p;

    FlsSetValue(pr->index, (PVOID)0xF2);
    SetEvent(pr->stored);
    WaitForSingleObject(pr->check, 30000);
    pr->later = FlsGetValue(pr->index);
    return 0;
}

static void test_fls(void)
{
    DWORD index = FlsAlloc(fls_callback);
    struct tls_probe pr = {.later = (LPVOID)1};
    HANDLE t;

    CU_ASSERT_NOT_EQUAL_FATAL(index, FLS_OUT_OF_INDEXES);
    CU_ASSERT_NOT_EQUAL(index, 0);
    CHECK_FAIL(FlsGetValue(0), NULL, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(FlsSetValue(0, NULL), FALSE, ERROR_INVALID_PARAMETER);
    SetLastError(0xDEAD);
    CU_ASSERT_PTR_NULL(FlsGetValue(index));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    /* A thread's value goes to the callback when the thread exits, before its handle
       is signalled. */
    fls_calls = 0;
    t = CreateThread(NULL, 0, fls_thread, (LPVOID)(ULONG_PTR)index, 0, NULL);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 30000), WAIT_OBJECT_0);
    CloseHandle(t);
    CU_ASSERT_EQUAL(fls_calls, 1);
    CU_ASSERT_PTR_EQUAL(fls_last, (LPVOID)0xF1);
    /* FlsFree gives every thread's non-NULL value to the callback, and clears it. */
    pr.index = index;
    pr.stored = CreateEventA(NULL, TRUE, FALSE, NULL);
    pr.check = CreateEventA(NULL, TRUE, FALSE, NULL);
    t = CreateThread(NULL, 0, fls_holder, &pr, 0, NULL);
    CU_ASSERT_EQUAL(WaitForSingleObject(pr.stored, 30000), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(FlsSetValue(index, NULL)); /* NULL: no call for this thread */
    fls_calls = 0;
    CU_ASSERT_TRUE(FlsFree(index));
    CU_ASSERT_EQUAL(fls_calls, 1);
    CU_ASSERT_PTR_EQUAL(fls_last, (LPVOID)0xF2);
    SetEvent(pr.check);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 30000), WAIT_OBJECT_0);
    CU_ASSERT_PTR_NULL(pr.later);
    CU_ASSERT_EQUAL(fls_calls, 1); /* nothing left for its exit */
    CHECK_FAIL(FlsFree(index), FALSE, ERROR_INVALID_PARAMETER);
    CloseHandle(t);
    CloseHandle(pr.check);
    CloseHandle(pr.stored);
}

CU_TestInfo test_thread_tests[] = {
    {"a thread handle is signalled at exit; GetExitCodeThread", test_wait_and_exit_code},
    {"closing a thread handle does not stop the thread", test_handle_closed_before_exit},
    {"GetCurrentThread and its duplicate", test_current_thread_handle},
    {"CREATE_SUSPENDED: the thread runs at the last ResumeThread", test_create_suspended},
    {"suspend counts up to MAXIMUM_SUSPEND_COUNT", test_suspend_count_limit},
    {"TerminateThread of a suspended thread; rights and bad handles",
     test_terminate_suspended_and_bad_handles},
    {"TLS: 1088 indexes, exhaustion, reuse", test_tls_exhaustion_and_reuse},
    {"TLS: values per thread, TlsGetValue's last error, TlsFree clears all", test_tls_values},
    {"FLS: callbacks at thread exit and at FlsFree", test_fls},
    CU_TEST_INFO_NULL,
};

const struct test_role test_thread_roles[] = {{NULL, NULL}};
