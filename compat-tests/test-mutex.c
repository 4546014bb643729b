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

/* The scenario of thread A in test_name_dies_while_owned, step by step. */
struct owner_steps {
    const char *name;
    HANDLE step_done, go_on; /* A signals step_done, then waits for go_on */
    DWORD reopen_error;      /* GetLastError of A's OpenMutex after its close */
    HANDLE second;           /* A's CreateMutex of the name after that */
    DWORD second_error;
};

static DWORD WINAPI own_close_reopen(LPVOID arg)
{
    struct owner_steps *st = arg;
    HANDLE m = CreateMutexA(NULL, TRUE, st->name), again;

    if (!m)
        return 1;
    CloseHandle(m); /* the last handle anywhere: the name dies though A owns it */
    SetLastError(0);
    again = OpenMutexA(SYNCHRONIZE, FALSE, st->name);
    st->reopen_error = again ? 0 : GetLastError();
    SetLastError(0xDEAD);
    st->second = CreateMutexA(NULL, FALSE, st->name); /* a new mutex of that name */
    st->second_error = GetLastError();
    SetEvent(st->step_done);
    WaitForSingleObject(st->go_on, 30000);
    return 0; /* exits still owning the first, nameless mutex */
}

static void test_name_dies_while_owned(void)
{
    struct owner_steps st = {.name = test_name("owned-close")};
    HANDLE a;

    st.step_done = CreateEventA(NULL, FALSE, FALSE, NULL);
    st.go_on = CreateEventA(NULL, FALSE, FALSE, NULL);
    a = CreateThread(NULL, 0, own_close_reopen, &st, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_EQUAL_FATAL(WaitForSingleObject(st.step_done, 30000), WAIT_OBJECT_0);
    /* As on Windows: the name went with the last handle, even though A owns it. */
    CU_ASSERT_EQUAL(st.reopen_error, ERROR_FILE_NOT_FOUND);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st.second);
    CU_ASSERT_EQUAL(st.second_error, ERROR_SUCCESS);
    /* The new mutex is free; we take it, and A's exit owning the old one cannot touch
       it: our release works and the next wait is no abandonment. */
    CU_ASSERT_EQUAL(WaitForSingleObject(st.second, 0), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(SetEvent(st.go_on));
    CU_ASSERT_EQUAL(WaitForSingleObject(a, 30000), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(ReleaseMutex(st.second));
    CU_ASSERT_EQUAL(WaitForSingleObject(st.second, 0), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(ReleaseMutex(st.second));
    CloseHandle(st.second);
    CU_ASSERT_FALSE(shm_exists(st.name));
    CloseHandle(a);
    CloseHandle(st.step_done);
    CloseHandle(st.go_on);
}

/* Helper: opens mutex argv[0] and holds it (without owning it) until event argv[1]. */
static int role_hold_mutex(int argc, char **argv)
{
    HANDLE m = argc > 1 ? OpenMutexA(SYNCHRONIZE, FALSE, argv[0]) : NULL;
    HANDLE quit = argc > 1 ? OpenEventA(SYNCHRONIZE, FALSE, argv[1]) : NULL;

    if (!m || !quit || !signal_ready(argv[0]))
        return 10;
    return WaitForSingleObject(quit, CHILD_LIMIT_MS) == WAIT_OBJECT_0 ? 0 : 11;
}

static DWORD WINAPI own_close_reopen_release(LPVOID arg)
{
    struct owner_steps *st = arg;
    HANDLE m = OpenMutexA(SYNCHRONIZE, FALSE, st->name), again;

    if (!m || WaitForSingleObject(m, 0) != WAIT_OBJECT_0)
        return 1;
    CloseHandle(m); /* our last handle; another process keeps the name alive */
    again = OpenMutexA(SYNCHRONIZE, FALSE, st->name);
    if (!again)
        return 2;
    if (!ReleaseMutex(again)) /* still ours: the same mutex, reached by its name */
        return 3;
    st->second = again;
    return 0;
}

static void test_reopen_by_owner_while_held_elsewhere(void)
{
    struct owner_steps st = {.name = test_name("owned-reopen")};
    const char *quit_name = test_name("owned-reopen-quit");
    HANDLE ready = ready_event(st.name), quit = CreateEventA(NULL, TRUE, FALSE, quit_name), m;
    struct child *c;

    m = CreateMutexA(NULL, FALSE, st.name); /* before the helper, which opens it */
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    c = child_spawn("hold-mutex", st.name, quit_name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    if (!wait_ready(ready, CHILD_LIMIT_MS)) {
        CU_FAIL("helper not ready");
        child_kill(c);
        return;
    }
    CloseHandle(m); /* the helper's handle alone keeps the name */
    CU_ASSERT_EQUAL(on_thread(own_close_reopen_release, &st), 0);
    /* The owner thread has exited, but it had released the mutex: no abandonment. */
    CU_ASSERT_EQUAL(WaitForSingleObject(st.second, 0), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(ReleaseMutex(st.second));
    CloseHandle(st.second);
    SetEvent(quit);
    CU_ASSERT_EQUAL(child_wait(c, CHILD_LIMIT_MS), 0);
    CU_ASSERT_FALSE(shm_exists(st.name));
    CloseHandle(quit);
    CloseHandle(ready);
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
    HANDLE m = CreateMutexA(NULL, FALSE, name), ready = ready_event(name), h[2];
    struct child *c = child_spawn("own-mutex", name, NULL);

    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    if (!wait_ready(ready, 30000)) {
        CU_FAIL("helper not ready");
        child_kill(c);
        return;
    }
    CU_ASSERT_EQUAL(WaitForSingleObject(m, 0), WAIT_TIMEOUT);
    child_kill(c);
    /* A wait-any takes the lowest index that is signalled: the abandoned mutex, whose
       owner only the kernel knows is dead, before an event that is plainly set. */
    h[0] = m;
    h[1] = CreateEventA(NULL, TRUE, TRUE, NULL);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(2, h, FALSE, 10000), WAIT_ABANDONED_0);
    CU_ASSERT_TRUE(ReleaseMutex(m));
    CU_ASSERT_EQUAL(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(ReleaseMutex(m));
    CloseHandle(h[1]);
    CloseHandle(ready);
    CloseHandle(m);
}

/* A wait-all takes a mutex whose owner process was killed, as abandoned. */
static void test_process_kill_abandons_wait_all(void)
{
    const char *name = test_name("aball");
    HANDLE m = CreateMutexA(NULL, FALSE, name), ready = ready_event(name), h[2];
    struct child *c = child_spawn("own-mutex", name, NULL);

    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    if (!wait_ready(ready, 30000)) {
        CU_FAIL("helper not ready");
        child_kill(c);
        return;
    }
    child_kill(c);
    h[0] = CreateEventA(NULL, TRUE, TRUE, NULL);
    h[1] = m;
    CU_ASSERT_EQUAL(WaitForMultipleObjects(2, h, TRUE, 10000), WAIT_ABANDONED_0);
    CU_ASSERT_TRUE(ReleaseMutex(m));
    CloseHandle(h[0]);
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
    {"a wait-all takes a mutex abandoned by a killed process", test_process_kill_abandons_wait_all},
    {"an owner that closes every handle keeps it until it exits", test_owner_closes_every_handle},
    {"the name dies with the last handle while owned; the owner's exit spares a new one",
     test_name_dies_while_owned},
    {"an owner that closed its handle and reopens the name reaches the same mutex",
     test_reopen_by_owner_while_held_elsewhere},
    CU_TEST_INFO_NULL,
};

const struct test_role test_mutex_roles[] = {
    {"own-mutex", role_own_mutex},
    {"hold-mutex", role_hold_mutex},
    {NULL, NULL},
};
