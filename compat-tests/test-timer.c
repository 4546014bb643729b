/*
 * test-timer.c - waitable timers: due times, manual and synchronization timers,
 * periods, cancel, waits mixed with other objects, timers across processes, names and
 * access rights.
 *
 * Timing checks are never early (a lower bound at the due time) and generous late
 * (SLACK_MS), for slow machines; every wait has a time limit.
 */
#include "helpers.h"

#include <stdio.h>

#ifndef CREATE_WAITABLE_TIMER_HIGH_RESOLUTION /* mingw-w64's headers lack it */
#define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x00000002
#endif

#define SLACK_MS 150.0                   /* how late a timer may be seen on a loaded machine */
#define MS(ms) ((LONGLONG)(ms) * -10000) /* a relative due time of ms milliseconds */

/* Sets h to fire `ms` from now (relative), with `period` ms; asserts it worked. */
static void set_in(HANDLE h, LONG ms, LONG period)
{
    LARGE_INTEGER due;

    due.QuadPart = MS(ms);
    CU_ASSERT_TRUE(SetWaitableTimer(h, &due, period, NULL, NULL, FALSE));
}

/* The wall clock as FILETIME units, plus ms. */
static LONGLONG filetime_in(LONG ms)
{
    FILETIME ft;
    ULARGE_INTEGER u;

    GetSystemTimeAsFileTime(&ft);
    u.LowPart = ft.dwLowDateTime;
    u.HighPart = ft.dwHighDateTime;
    return (LONGLONG)u.QuadPart + (LONGLONG)ms * 10000;
}

/* Waits for h (at most `limit` ms) and returns how long that took, or -1 if it failed. */
static double time_wait(HANDLE h, double since, DWORD limit)
{
    DWORD r = WaitForSingleObject(h, limit);

    CU_ASSERT_EQUAL(r, WAIT_OBJECT_0);
    return r == WAIT_OBJECT_0 ? now_ms() - since : -1.0;
}

static void test_relative_due_time(void)
{
    HANDLE t = CreateWaitableTimerA(NULL, TRUE, NULL);
    double t0, dt;

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_TIMEOUT); /* created inactive */
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 50), WAIT_TIMEOUT);
    t0 = now_ms();
    set_in(t, 120, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_TIMEOUT);
    dt = time_wait(t, t0, 5000);
    CU_ASSERT(dt >= 120.0);
    CU_ASSERT(dt < 120.0 + SLACK_MS);
    /* A manual-reset timer stays signalled, for every wait. */
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_OBJECT_0);
    /* A due time of 0 is due at once. */
    set_in(t, 0, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 1000), WAIT_OBJECT_0);
    CloseHandle(t);
}

static void test_absolute_due_time(void)
{
    HANDLE t = CreateWaitableTimerA(NULL, FALSE, NULL);
    LARGE_INTEGER due;
    double t0, dt;

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    t0 = now_ms();
    due.QuadPart = filetime_in(150);
    CU_ASSERT_TRUE(SetWaitableTimer(t, &due, 0, NULL, NULL, FALSE));
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_TIMEOUT);
    dt = time_wait(t, t0, 5000);
    /* The wall clock and the wait's clock tick apart: 2 ms of rounding. */
    CU_ASSERT(dt >= 148.0);
    CU_ASSERT(dt < 150.0 + SLACK_MS);
    /* An absolute time in the past is due at once, even 1601. */
    due.QuadPart = filetime_in(-1000);
    CU_ASSERT_TRUE(SetWaitableTimer(t, &due, 0, NULL, NULL, FALSE));
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_OBJECT_0);
    due.QuadPart = 1;
    CU_ASSERT_TRUE(SetWaitableTimer(t, &due, 0, NULL, NULL, FALSE));
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_TIMEOUT); /* synchronization: taken */
    /* One far in the future never comes. */
    due.QuadPart = 0x7FFFFFFFFFFFFFFFLL;
    CU_ASSERT_TRUE(SetWaitableTimer(t, &due, 0, NULL, NULL, FALSE));
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 50), WAIT_TIMEOUT);
    CloseHandle(t);
}

#define WAITERS 2

struct waiters {
    HANDLE timer;
    HANDLE started; /* semaphore: one release per started waiter */
    DWORD limit;
    HANDLE threads[WAITERS];
};

static DWORD WINAPI waiter(LPVOID p)
{
    struct waiters *w = p;

    ReleaseSemaphore(w->started, 1, NULL);
    return WaitForSingleObject(w->timer, w->limit);
}

/* Two threads wait on `timer` (at most `limit` ms) while it fires once: how many
   were released (the others timed out). */
static int released_by_one_expiry(HANDLE timer, DWORD limit)
{
    struct waiters w = {.timer = timer, .limit = limit};
    int n = 0;

    w.started = CreateSemaphoreA(NULL, 0, WAITERS, NULL);
    for (int i = 0; i < WAITERS; i++)
        w.threads[i] = CreateThread(NULL, 0, waiter, &w, 0, NULL);
    for (int i = 0; i < WAITERS; i++)
        CU_ASSERT_EQUAL(WaitForSingleObject(w.started, 10000), WAIT_OBJECT_0);
    set_in(timer, 100, 0);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(WAITERS, w.threads, TRUE, 30000), WAIT_OBJECT_0);
    for (int i = 0; i < WAITERS; i++) {
        DWORD code = 0;

        GetExitCodeThread(w.threads[i], &code);
        CU_ASSERT(code == WAIT_OBJECT_0 || code == WAIT_TIMEOUT);
        n += code == WAIT_OBJECT_0;
        CloseHandle(w.threads[i]);
    }
    CloseHandle(w.started);
    return n;
}

static void test_manual_and_synchronization(void)
{
    HANDLE manual = CreateWaitableTimerA(NULL, TRUE, NULL);
    HANDLE sync = CreateWaitableTimerExA(NULL, NULL, 0, TIMER_ALL_ACCESS);

    CU_ASSERT_PTR_NOT_NULL_FATAL(manual);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sync);
    /* A manual-reset (notification) timer releases every waiter ... */
    CU_ASSERT_EQUAL(released_by_one_expiry(manual, 5000), WAITERS);
    CU_ASSERT_EQUAL(WaitForSingleObject(manual, 0), WAIT_OBJECT_0);
    /* ... a synchronization timer one per expiry, whoever comes. */
    CU_ASSERT_EQUAL(released_by_one_expiry(sync, 1000), 1);
    CU_ASSERT_EQUAL(WaitForSingleObject(sync, 0), WAIT_TIMEOUT);
    CloseHandle(sync);
    CloseHandle(manual);
    /* The Ex flags: manual reset; high resolution is accepted. */
    manual = CreateWaitableTimerExA(
        NULL, NULL, CREATE_WAITABLE_TIMER_MANUAL_RESET | CREATE_WAITABLE_TIMER_HIGH_RESOLUTION,
        TIMER_ALL_ACCESS);
    CU_ASSERT_PTR_NOT_NULL_FATAL(manual);
    set_in(manual, 0, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(manual, 1000), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(manual, 0), WAIT_OBJECT_0);
    CloseHandle(manual);
}

static void test_periodic(void)
{
    HANDLE sync = CreateWaitableTimerA(NULL, FALSE, NULL);
    HANDLE manual = CreateWaitableTimerA(NULL, TRUE, NULL);
    double t0, dt;
    int n;

    CU_ASSERT_PTR_NOT_NULL_FATAL(sync);
    CU_ASSERT_PTR_NOT_NULL_FATAL(manual);
    /* Due in 50 ms, then every 50: the k-th expiry comes no earlier than 50 k ms. */
    t0 = now_ms();
    set_in(sync, 50, 50);
    for (n = 1; n <= 6; n++) {
        dt = time_wait(sync, t0, 2000);
        if (dt < 0)
            break;
        CU_ASSERT(dt >= 50.0 * n);
        CU_ASSERT(dt < 50.0 * n + SLACK_MS);
    }
    CU_ASSERT_EQUAL(n, 7);
    /* Expiries nobody took do not pile up: the timer is signalled, once. */
    Sleep(120);
    CU_ASSERT_EQUAL(WaitForSingleObject(sync, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(sync, 0), WAIT_TIMEOUT);
    CU_ASSERT_TRUE(CancelWaitableTimer(sync));
    /* A periodic manual-reset timer stays signalled. */
    set_in(manual, 20, 20);
    CU_ASSERT_EQUAL(WaitForSingleObject(manual, 2000), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(manual, 0), WAIT_OBJECT_0);
    CloseHandle(manual);
    CloseHandle(sync);
}

static void test_cancel_and_reset(void)
{
    HANDLE t = CreateWaitableTimerA(NULL, TRUE, NULL);
    HANDLE sync = CreateWaitableTimerA(NULL, FALSE, NULL);

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sync);
    /* A canceled timer does not fire. */
    set_in(t, 100, 0);
    CU_ASSERT_TRUE(CancelWaitableTimer(t));
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 300), WAIT_TIMEOUT);
    /* Cancel leaves a signalled timer signalled (Microsoft's remarks) ... */
    set_in(t, 0, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 1000), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(CancelWaitableTimer(t));
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(CancelWaitableTimer(t)); /* an inactive timer: nothing to do */
    /* ... and SetWaitableTimer resets it, manual or synchronization. */
    set_in(t, 10000, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_TIMEOUT);
    set_in(sync, 0, 0); /* signalled at once, not taken */
    set_in(sync, 10000, 0);
    if (!skipped_on_wine("SetWaitableTimer resets a signalled synchronization timer"))
        CU_ASSERT_EQUAL(WaitForSingleObject(sync, 0), WAIT_TIMEOUT);
    WaitForSingleObject(sync, 0); /* under Wine, take what it left */
    /* A periodic timer canceled after one expiry has no more. */
    set_in(sync, 30, 30);
    CU_ASSERT_EQUAL(WaitForSingleObject(sync, 2000), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(CancelWaitableTimer(sync));
    CU_ASSERT_EQUAL(WaitForSingleObject(sync, 200), WAIT_TIMEOUT);
    /* Setting again replaces the schedule: the earlier due time never comes. */
    set_in(sync, 50, 0);
    set_in(sync, 400, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(sync, 200), WAIT_TIMEOUT);
    CU_ASSERT_EQUAL(WaitForSingleObject(sync, 2000), WAIT_OBJECT_0);
    CloseHandle(sync);
    CloseHandle(t);
}

static void test_with_other_objects(void)
{
    HANDLE t = CreateWaitableTimerA(NULL, FALSE, NULL);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE m = CreateMutexA(NULL, FALSE, NULL);
    HANDLE any[2] = {ev, t}, all[3] = {m, t, ev};
    double t0, dt;

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    /* Wait-any: the timer wakes a wait that also waits on an event. */
    t0 = now_ms();
    set_in(t, 100, 0);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(2, any, FALSE, 5000), WAIT_OBJECT_0 + 1);
    dt = now_ms() - t0;
    CU_ASSERT(dt >= 100.0 && dt < 100.0 + SLACK_MS);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_TIMEOUT); /* that wait took it */
    /* A wait-all that cannot have the event takes nothing, not the due timer either. */
    set_in(t, 0, 0);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(3, all, TRUE, 150), WAIT_TIMEOUT);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(ReleaseMutex(m));
    /* Wait-all: the event is set, the mutex free; the timer decides when. */
    SetEvent(ev);
    t0 = now_ms();
    set_in(t, 100, 0);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(3, all, TRUE, 5000), WAIT_OBJECT_0);
    dt = now_ms() - t0;
    CU_ASSERT(dt >= 100.0 && dt < 100.0 + SLACK_MS);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_TIMEOUT); /* taken with the others */
    CU_ASSERT_TRUE(ReleaseMutex(m));
    ResetEvent(ev);
    /* The event first: the wait-any returns it, the timer stays due for later. */
    set_in(t, 100, 0);
    SetEvent(ev);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(2, any, FALSE, 5000), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    CloseHandle(m);
    CloseHandle(ev);
    CloseHandle(t);
}

/* Helper: opens timer argv[0], says ready, and waits for one expiry; 0 if it came. */
static int role_timer_wait(int argc, char **argv)
{
    HANDLE t = argc > 0 ? OpenWaitableTimerA(SYNCHRONIZE, FALSE, argv[0]) : NULL;

    if (!t || !signal_ready(argv[0]))
        return 10;
    return WaitForSingleObject(t, CHILD_LIMIT_MS) == WAIT_OBJECT_0 ? 0 : 11;
}

/* Helper: sets timer argv[0] to fire in 150 ms and exits at once. */
static int role_timer_set(int argc, char **argv)
{
    HANDLE t = argc > 0 ? OpenWaitableTimerA(TIMER_MODIFY_STATE, FALSE, argv[0]) : NULL;
    LARGE_INTEGER due;

    due.QuadPart = MS(150);
    if (!t || !SetWaitableTimer(t, &due, 0, NULL, NULL, FALSE))
        return 10;
    return 0;
}

static void test_across_processes(void)
{
    const char *name = test_name("xtimer");
    HANDLE t = CreateWaitableTimerA(NULL, FALSE, name), ready = ready_event(name);
    struct child *c;
    double t0, dt;

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    /* Another process waits on the timer this one sets: its expiry reaches it. */
    c = child_spawn("timer-wait", name, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    if (!wait_ready(ready, CHILD_LIMIT_MS)) {
        CU_FAIL("helper not ready");
        child_kill(c);
        return;
    }
    set_in(t, 100, 0);
    CU_ASSERT_EQUAL(child_wait(c, CHILD_LIMIT_MS), 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_TIMEOUT); /* the helper took it */
    /* A timer set by a process that then exits still fires (no completion routine). */
    t0 = now_ms();
    c = child_spawn("timer-set", name, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(child_wait(c, CHILD_LIMIT_MS), 0);
    dt = time_wait(t, t0, CHILD_LIMIT_MS);
    CU_ASSERT(dt >= 150.0);
    CloseHandle(ready);
    CloseHandle(t);
}

static void test_names(void)
{
    const char *name = test_name("tname"), *ev_name = test_name("tname-ev");
    HANDLE t = CreateWaitableTimerA(NULL, TRUE, name), again, ev, w;
    WCHAR wname[128];

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    /* Creating it again opens it and ignores the manual-reset flag. */
    again = CreateWaitableTimerA(NULL, FALSE, name);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ALREADY_EXISTS);
    set_in(again, 0, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 1000), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_OBJECT_0); /* still manual */
    CloseHandle(again);
    /* The W spelling reaches the same timer. */
    MultiByteToWideChar(CP_UTF8, 0, name, -1, wname, 128);
    w = OpenWaitableTimerW(SYNCHRONIZE, FALSE, wname);
    CU_ASSERT_PTR_NOT_NULL(w);
    CU_ASSERT_EQUAL(WaitForSingleObject(w, 0), WAIT_OBJECT_0);
    CloseHandle(w);
    /* One namespace with the other kinds. */
    CHECK_FAIL(CreateMutexA(NULL, FALSE, name), NULL, ERROR_INVALID_HANDLE);
    CHECK_FAIL(CreateEventA(NULL, FALSE, FALSE, name), NULL, ERROR_INVALID_HANDLE);
    ev = CreateEventA(NULL, FALSE, FALSE, ev_name);
    CHECK_FAIL(CreateWaitableTimerA(NULL, FALSE, ev_name), NULL, ERROR_INVALID_HANDLE);
    CHECK_FAIL(OpenWaitableTimerA(SYNCHRONIZE, FALSE, ev_name), NULL, ERROR_INVALID_HANDLE);
    CHECK_FAIL(OpenWaitableTimerA(SYNCHRONIZE, FALSE, test_name("none")), NULL,
               ERROR_FILE_NOT_FOUND);
    CHECK_FAIL(OpenWaitableTimerA(SYNCHRONIZE, FALSE, NULL), NULL, ERROR_INVALID_PARAMETER);
    CloseHandle(ev);
    CloseHandle(t);
    /* The last handle gone, so is the name. */
    CHECK_FAIL(OpenWaitableTimerA(SYNCHRONIZE, FALSE, name), NULL, ERROR_FILE_NOT_FOUND);
}

#ifndef _WIN32
static VOID CALLBACK completion(LPVOID arg, DWORD low, DWORD high)
{
    (void)arg, (void)low, (void)high;
}
#endif

static void test_access_and_arguments(void)
{
    const char *name = test_name("trights");
    HANDLE t = CreateWaitableTimerA(NULL, FALSE, name);
    HANDLE sync_only = OpenWaitableTimerA(SYNCHRONIZE, FALSE, name);
    HANDLE modify_only = OpenWaitableTimerA(TIMER_MODIFY_STATE, FALSE, name);
    HANDLE ev = CreateEventA(NULL, FALSE, FALSE, NULL), limited;
    LARGE_INTEGER due;

    CU_ASSERT_PTR_NOT_NULL_FATAL(sync_only);
    CU_ASSERT_PTR_NOT_NULL_FATAL(modify_only);
    due.QuadPart = MS(10);
    CHECK_FAIL(SetWaitableTimer(sync_only, &due, 0, NULL, NULL, FALSE), FALSE, ERROR_ACCESS_DENIED);
    CHECK_FAIL(CancelWaitableTimer(sync_only), FALSE, ERROR_ACCESS_DENIED);
    CU_ASSERT_TRUE(SetWaitableTimer(modify_only, &due, 0, NULL, NULL, FALSE));
    CHECK_FAIL(WaitForSingleObject(modify_only, 0), WAIT_FAILED, ERROR_ACCESS_DENIED);
    CU_ASSERT_EQUAL(WaitForSingleObject(sync_only, 2000), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(CancelWaitableTimer(modify_only));
    limited = CreateWaitableTimerExA(NULL, NULL, 0, SYNCHRONIZE);
    CU_ASSERT_PTR_NOT_NULL(limited);
    CHECK_FAIL(SetWaitableTimer(limited, &due, 0, NULL, NULL, FALSE), FALSE, ERROR_ACCESS_DENIED);
    CloseHandle(limited);
    /* Bad arguments and handles. */
    /* "If lPeriod is less than zero, the function fails." */
    if (!skipped_on_wine("SetWaitableTimer with a negative period fails"))
        CHECK_FAIL(SetWaitableTimer(t, &due, -1, NULL, NULL, FALSE), FALSE,
                   ERROR_INVALID_PARAMETER);
    CHECK_FAIL(SetWaitableTimer(ev, &due, 0, NULL, NULL, FALSE), FALSE, ERROR_INVALID_HANDLE);
    CHECK_FAIL(SetWaitableTimer(NULL, &due, 0, NULL, NULL, FALSE), FALSE, ERROR_INVALID_HANDLE);
    CHECK_FAIL(CancelWaitableTimer(ev), FALSE, ERROR_INVALID_HANDLE);
    /* fResume cannot wake this machine, which is no error. */
    CU_ASSERT_TRUE(SetWaitableTimer(t, &due, 0, NULL, NULL, TRUE));
#ifndef _WIN32
    /* The documented answer when the system cannot resume. */
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NOT_SUPPORTED);
    /* Where Windows faults in the caller: ERROR_NOACCESS (as test-badargs.c). */
    CHECK_FAIL(SetWaitableTimer(t, NULL, 0, NULL, NULL, FALSE), FALSE, ERROR_NOACCESS);
    /* Differs from Windows: there are no APCs, so a completion routine is refused. */
    CHECK_FAIL(SetWaitableTimer(t, &due, 0, completion, NULL, FALSE), FALSE, ERROR_NOT_SUPPORTED);
#endif
    CU_ASSERT_TRUE(SetWaitableTimerEx(t, &due, 0, NULL, NULL, NULL, 0));
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 2000), WAIT_OBJECT_0);
    CloseHandle(ev);
    CloseHandle(modify_only);
    CloseHandle(sync_only);
    CloseHandle(t);
}

CU_TestInfo test_timer_tests[] = {
    {"relative due time: never early; a manual-reset timer stays signalled",
     test_relative_due_time},
    {"absolute due time (FILETIME); one in the past fires at once", test_absolute_due_time},
    {"manual-reset releases every waiter, synchronization one", test_manual_and_synchronization},
    {"periodic timers fire every period; expiries do not pile up", test_periodic},
    {"CancelWaitableTimer keeps the state; SetWaitableTimer resets it", test_cancel_and_reset},
    {"a timer in WaitForMultipleObjects, any and all", test_with_other_objects},
    {"a named timer across processes", test_across_processes},
    {"names: one namespace with the other kinds, A and W", test_names},
    {"TIMER_MODIFY_STATE, SYNCHRONIZE and bad arguments", test_access_and_arguments},
    CU_TEST_INFO_NULL,
};

const struct test_role test_timer_roles[] = {
    {"timer-wait", role_timer_wait},
    {"timer-set", role_timer_set},
    {NULL, NULL},
};
