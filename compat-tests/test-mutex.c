/*
 * test-mutex.c - mutex ownership, recursion, abandonment (threads and processes).
 */
#include "helpers.h"

/* Runs fn(arg) on a new thread and returns its exit code (waits at most 30 s). */
static DWORD on_thread(LPTHREAD_START_ROUTINE fn, void *arg)
{
    HANDLE t = CreateThread(NULL, 0, fn, arg, 0, NULL);
    DWORD code = 0xFFFFFFFFu;

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 30000), WAIT_OBJECT_0);
    GetExitCodeThread(t, &code);
    CloseHandle(t);
    return code;
}

static DWORD WINAPI try_take(LPVOID m)
{
    DWORD r = WaitForSingleObject(m, 0);

    if (r == WAIT_OBJECT_0 || r == WAIT_ABANDONED)
        ReleaseMutex(m);
    return r;
}

static DWORD WINAPI try_release(LPVOID m)
{
    SetLastError(0);
    return ReleaseMutex(m) ? 0 : GetLastError();
}

static DWORD WINAPI take_and_exit(LPVOID m)
{
    return WaitForSingleObject(m, 5000); /* exits owning it */
}

static void test_create_existing_and_open(void)
{
    const char *name = test_name("mtx");
    HANDLE m = CreateMutexA(NULL, FALSE, name), again, o;

    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    /* bInitialOwner is ignored when the mutex exists. */
    again = CreateMutexA(NULL, TRUE, name);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ALREADY_EXISTS);
    CHECK_FAIL(ReleaseMutex(again), FALSE, ERROR_NOT_OWNER);
    CU_ASSERT_EQUAL(on_thread(try_take, m), WAIT_OBJECT_0);
    o = OpenMutexA(SYNCHRONIZE, FALSE, name); /* SYNCHRONIZE suffices to wait and release */
    CU_ASSERT_EQUAL(WaitForSingleObject(o, 0), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(ReleaseMutex(o));
    CHECK_FAIL(OpenMutexA(SYNCHRONIZE, FALSE, test_name("none")), NULL, ERROR_FILE_NOT_FOUND);
    CHECK_FAIL(OpenMutexA(SYNCHRONIZE, FALSE, NULL), NULL, ERROR_INVALID_PARAMETER);
    CloseHandle(o);
    /* Unknown dwFlags bits are ignored (kernelbase and Wine do). */
    o = CreateMutexExA(NULL, NULL, 2, MUTEX_ALL_ACCESS);
    CU_ASSERT_EQUAL(on_thread(try_take, o), WAIT_OBJECT_0);
    CloseHandle(o);
    CloseHandle(again);
    CloseHandle(m);
}

static void test_initial_owner(void)
{
    HANDLE m = CreateMutexA(NULL, TRUE, test_name("init"));

    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    CU_ASSERT_EQUAL(on_thread(try_take, m), WAIT_TIMEOUT);
    CU_ASSERT_TRUE(ReleaseMutex(m));
    CU_ASSERT_EQUAL(on_thread(try_take, m), WAIT_OBJECT_0);
    CloseHandle(m);
    m = CreateMutexExA(NULL, NULL, CREATE_MUTEX_INITIAL_OWNER, MUTEX_ALL_ACCESS);
    CU_ASSERT_EQUAL(on_thread(try_take, m), WAIT_TIMEOUT);
    CU_ASSERT_TRUE(ReleaseMutex(m));
    CloseHandle(m);
}

static void test_recursion_and_owner(void)
{
    HANDLE m = CreateMutexA(NULL, FALSE, NULL);

    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(on_thread(try_release, m), ERROR_NOT_OWNER); /* not the owner */
    CU_ASSERT_EQUAL(on_thread(try_take, m), WAIT_TIMEOUT);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_TRUE(ReleaseMutex(m));
    CHECK_FAIL(ReleaseMutex(m), FALSE, ERROR_NOT_OWNER);
    CU_ASSERT_EQUAL(on_thread(try_take, m), WAIT_OBJECT_0);
    CHECK_FAIL(ReleaseMutex(NULL), FALSE, ERROR_INVALID_HANDLE);
    CloseHandle(m);
}

static void test_close_does_not_release(void)
{
    const char *name = test_name("closeown");
    HANDLE m = CreateMutexA(NULL, FALSE, name), other = OpenMutexA(SYNCHRONIZE, FALSE, name);

    CU_ASSERT_EQUAL(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(CloseHandle(m));
    CU_ASSERT_EQUAL(on_thread(try_take, other), WAIT_TIMEOUT);
    CU_ASSERT_TRUE(ReleaseMutex(other)); /* still ours, through the other handle */
    CU_ASSERT_EQUAL(on_thread(try_take, other), WAIT_OBJECT_0);
    CloseHandle(other);
}

static void test_thread_exit_abandons(void)
{
    HANDLE m = CreateMutexA(NULL, FALSE, test_name("abthr"));

    CU_ASSERT_EQUAL(on_thread(take_and_exit, m), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(m, 5000), WAIT_ABANDONED);
    /* The abandoned mutex is now ours, and the abandonment is reported once. */
    CU_ASSERT_TRUE(ReleaseMutex(m));
    CU_ASSERT_EQUAL(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(ReleaseMutex(m));
    CloseHandle(m);
}

static DWORD WINAPI take_close_and_exit(LPVOID name)
{
    HANDLE m = OpenMutexA(SYNCHRONIZE, FALSE, name);
    DWORD r = WaitForSingleObject(m, 5000);

    CloseHandle(m); /* ownership outlives the handle */
    return r;
}

static void test_thread_exit_after_close_abandons(void)
{
    const char *name = test_name("abclose");
    HANDLE m = CreateMutexA(NULL, FALSE, name);

    CU_ASSERT_EQUAL(on_thread(take_close_and_exit, (void *)name), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(m, 5000), WAIT_ABANDONED);
    CU_ASSERT_TRUE(ReleaseMutex(m));
    CloseHandle(m);
}

static DWORD WINAPI own_close_all_and_exit(LPVOID name)
{
    HANDLE m = CreateMutexA(NULL, TRUE, name); /* the only handle to it anywhere */

    CloseHandle(m); /* still owned: the page must stay mapped until the thread exits */
    return m != NULL;
}

static void test_owner_closes_every_handle(void)
{
    const char *name = test_name("zombie");

    CU_ASSERT_EQUAL(on_thread(own_close_all_and_exit, (void *)name), 1);
    /* The owner exited: the mutex is abandoned and, with no handle left, gone. */
    CHECK_FAIL(OpenMutexA(SYNCHRONIZE, FALSE, name), NULL, ERROR_FILE_NOT_FOUND);
    CU_ASSERT_FALSE(shm_exists(name));
}

/* Helper: owns mutex argv[0], reports ready, and waits to be killed. */
static int role_own_mutex(int argc, char **argv)
{
    HANDLE m = argc > 0 ? OpenMutexA(SYNCHRONIZE, FALSE, argv[0]) : NULL;

    if (!m || WaitForSingleObject(m, 10000) != WAIT_OBJECT_0 || !signal_ready(argv[0]))
        return 10;
    Sleep(60000);
    return 11;
}

static void test_process_kill_abandons(void)
{
    const char *name = test_name("abproc");
    HANDLE m = CreateMutexA(NULL, FALSE, name), ready = ready_event(name);
    struct child *c = child_spawn("own-mutex", name, NULL);

    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    if (!wait_ready(ready, 30000)) {
        CU_FAIL("helper not ready");
        child_kill(c);
        return;
    }
    CU_ASSERT_EQUAL(WaitForSingleObject(m, 0), WAIT_TIMEOUT);
    child_kill(c);
    CU_ASSERT_EQUAL(WaitForSingleObject(m, 10000), WAIT_ABANDONED);
    CU_ASSERT_TRUE(ReleaseMutex(m));
    CU_ASSERT_EQUAL(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(ReleaseMutex(m));
    CloseHandle(ready);
    CloseHandle(m);
}

CU_TestInfo test_mutex_tests[] = {
    {"create of an existing mutex ignores bInitialOwner; open", test_create_existing_and_open},
    {"bInitialOwner on a fresh mutex", test_initial_owner},
    {"recursion: N waits need N releases; non-owners get ERROR_NOT_OWNER",
     test_recursion_and_owner},
    {"CloseHandle does not release ownership", test_close_does_not_release},
    {"an owner thread that exits abandons it", test_thread_exit_abandons},
    {"abandonment also after the owner closed its handle", test_thread_exit_after_close_abandons},
    {"an owner process killed with SIGKILL abandons it", test_process_kill_abandons},
    {"an owner that closes every handle keeps it until it exits", test_owner_closes_every_handle},
    CU_TEST_INFO_NULL,
};

const struct test_role test_mutex_roles[] = {
    {"own-mutex", role_own_mutex},
    {NULL, NULL},
};
