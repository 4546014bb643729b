/*
 * test-wait.c - WaitForSingleObject, WaitForMultipleObjects, SignalObjectAndWait.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <sys/resource.h>
#endif

static void test_constants_and_bad_handles(void)
{
    HANDLE section = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NULL);

    CU_ASSERT_EQUAL(WAIT_TIMEOUT, 258);
    CU_ASSERT_EQUAL(WAIT_ABANDONED, 0x80);
    CU_ASSERT_EQUAL(WAIT_FAILED, 0xFFFFFFFFu);
    CHECK_FAIL(WaitForSingleObject(NULL, 0), WAIT_FAILED, ERROR_INVALID_HANDLE);
    CHECK_FAIL(WaitForSingleObject((HANDLE)(ULONG_PTR)0x4444, 0), WAIT_FAILED,
               ERROR_INVALID_HANDLE);
    /* A section handle has no SYNCHRONIZE right, which is checked first (as Wine). */
    CHECK_FAIL(WaitForSingleObject(section, 0), WAIT_FAILED, ERROR_ACCESS_DENIED);
    CloseHandle(section);
    /* The pseudo-handles never become signalled while the caller waits. */
    CU_ASSERT_EQUAL(WaitForSingleObject(GetCurrentThread(), 0), WAIT_TIMEOUT);
    CU_ASSERT_EQUAL(WaitForSingleObject(GetCurrentProcess(), 10), WAIT_TIMEOUT);
#ifndef _WIN32
    {
        /* Differs from Windows: a multi-object wait does not take them. */
        HANDLE self[1] = {GetCurrentThread()};

        CHECK_FAIL(WaitForMultipleObjects(1, self, FALSE, 0), WAIT_FAILED, ERROR_INVALID_HANDLE);
    }
#endif
}

static void test_file_handle_is_signalled(void)
{
    char path[160];
    HANDLE f;

    snprintf(path, sizeof path, "%s.tmp", test_name("waitfile"));
    f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CU_ASSERT_EQUAL(WaitForSingleObject(f, 0), WAIT_OBJECT_0);
    CloseHandle(f);
    DeleteFileA(path);
}

static void test_last_error_untouched(void)
{
    HANDLE ev = CreateEventA(NULL, FALSE, TRUE, NULL);
    HANDLE both[2] = {ev, ev};

    SetLastError(4321);
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(GetLastError(), 4321);
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 10), WAIT_TIMEOUT);
    CU_ASSERT_EQUAL(GetLastError(), 4321);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(2, both, FALSE, 0), WAIT_TIMEOUT);
    CU_ASSERT_EQUAL(GetLastError(), 4321);
    CloseHandle(ev);
}

static void test_timeouts_are_honoured(void)
{
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL), m = CreateMutexA(NULL, TRUE, NULL);
    HANDLE two[2] = {ev, m};
    double t0, dt;

    t0 = now_ms();
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 100), WAIT_TIMEOUT);
    dt = now_ms() - t0;
    CU_ASSERT(dt >= 100.0);
    CU_ASSERT(dt < 160.0);
    /* A multi-object wait too, also one that polls for abandoned mutexes. */
    t0 = now_ms();
    CU_ASSERT_EQUAL(WaitForMultipleObjects(1, two, FALSE, 120), WAIT_TIMEOUT);
    dt = now_ms() - t0;
    CU_ASSERT(dt >= 120.0 && dt < 180.0);
    CloseHandle(m); /* owned by us: another thread would time out on it */
    CloseHandle(ev);
}

/* Helper: blocks INFINITE on event argv[0]; exits 0 if that cost under 10 ms of CPU. */
static double cpu_ms(void)
{
#ifdef _WIN32
    FILETIME c, e, k, u;

    GetProcessTimes(GetCurrentProcess(), &c, &e, &k, &u);
    return ((double)k.dwLowDateTime + (double)u.dwLowDateTime +
            4294967296.0 * ((double)k.dwHighDateTime + (double)u.dwHighDateTime)) /
           1e4;
#else
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
#endif
}

static int role_block(int argc, char **argv)
{
    HANDLE ev = argc > 0 ? OpenEventA(SYNCHRONIZE, FALSE, argv[0]) : NULL;
    double before, used;

    if (!ev)
        return 10;
    before = cpu_ms();
    if (!signal_ready(argv[0]))
        return 11;
    if (WaitForSingleObject(ev, INFINITE) != WAIT_OBJECT_0)
        return 12;
    used = cpu_ms() - before;
    if (used >= 10.0) {
        fprintf(stderr, "blocked wait used %.2f ms of CPU\n", used);
        return 1;
    }
    return 0;
}

static void test_infinite_wait_uses_no_cpu(void)
{
    const char *name = test_name("block");
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, name), ready = ready_event(name);
    struct child *c = child_spawn("block", name, NULL);

    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_TRUE(wait_ready(ready, 30000));
    Sleep(1000); /* the workload: the child stays blocked this long */
    CU_ASSERT_TRUE(SetEvent(ev));
    CU_ASSERT_EQUAL(child_wait(c, CHILD_LIMIT_MS), 0);
    CloseHandle(ready);
    CloseHandle(ev);
}

static void test_wfmo_counts(void)
{
    HANDLE ev[MAXIMUM_WAIT_OBJECTS + 1];
    int i;

    for (i = 0; i <= MAXIMUM_WAIT_OBJECTS; i++)
        ev[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
    CHECK_FAIL(WaitForMultipleObjects(0, ev, FALSE, 0), WAIT_FAILED, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, ev, FALSE, 0), WAIT_FAILED,
               ERROR_INVALID_PARAMETER);
    CU_ASSERT_TRUE(SetEvent(ev[63]));
    CU_ASSERT_EQUAL(WaitForMultipleObjects(64, ev, FALSE, 1000), WAIT_OBJECT_0 + 63);
    for (i = 0; i < 64; i++)
        SetEvent(ev[i]);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(64, ev, TRUE, 1000), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(64, ev, FALSE, 0), WAIT_TIMEOUT); /* all taken */
    ev[5] = (HANDLE)(ULONG_PTR)0x4444;
    CHECK_FAIL(WaitForMultipleObjects(64, ev, FALSE, 0), WAIT_FAILED, ERROR_INVALID_HANDLE);
    for (i = 0; i <= MAXIMUM_WAIT_OBJECTS; i++)
        if (i != 5)
            CloseHandle(ev[i]);
}

static void test_wait_any_lowest_index(void)
{
    HANDLE h[3] = {CreateEventA(NULL, FALSE, FALSE, NULL), CreateSemaphoreA(NULL, 1, 5, NULL),
                   CreateEventA(NULL, FALSE, TRUE, NULL)};

    CU_ASSERT_EQUAL(WaitForMultipleObjects(3, h, FALSE, 0), WAIT_OBJECT_0 + 1);
    /* Only that object was consumed. */
    CU_ASSERT_EQUAL(WaitForSingleObject(h[2], 0), WAIT_OBJECT_0);
    SetEvent(h[0]);
    SetEvent(h[2]);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(3, h, FALSE, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(3, h, FALSE, 0), WAIT_OBJECT_0 + 2);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(3, h, FALSE, 0), WAIT_TIMEOUT);
    for (int i = 0; i < 3; i++)
        CloseHandle(h[i]);
}

static DWORD WINAPI take_and_exit(LPVOID m)
{
    return WaitForSingleObject(m, 5000);
}

static void test_abandoned_index(void)
{
    HANDLE m = CreateMutexA(NULL, FALSE, NULL);
    HANDLE h[3] = {CreateEventA(NULL, TRUE, FALSE, NULL), m, CreateEventA(NULL, TRUE, TRUE, NULL)};
    HANDLE t = CreateThread(NULL, 0, take_and_exit, m, 0, NULL);

    CU_ASSERT_EQUAL(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(2, h, FALSE, 5000), WAIT_ABANDONED_0 + 1);
    CU_ASSERT_TRUE(ReleaseMutex(m));
    /* Wait-all reports the abandoned mutex's index too. */
    CloseHandle(t);
    t = CreateThread(NULL, 0, take_and_exit, m, 0, NULL);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    SetEvent(h[0]);
    /* A wait-all has no index to report: Windows documents only the range, Wine
       returns WAIT_ABANDONED_0. */
    CU_ASSERT_EQUAL(WaitForMultipleObjects(3, h, TRUE, 5000), WAIT_ABANDONED_0);
    CU_ASSERT_TRUE(ReleaseMutex(m));
    CloseHandle(t);
    for (int i = 0; i < 3; i++)
        CloseHandle(h[i]);
}

static void test_wait_all_mixed(void)
{
    HANDLE h[3] = {CreateMutexA(NULL, FALSE, NULL), CreateEventA(NULL, FALSE, FALSE, NULL),
                   CreateSemaphoreA(NULL, 1, 1, NULL)};
    HANDLE dup[2] = {h[1], h[1]};

    /* The event is not set: nothing may be taken. */
    CU_ASSERT_EQUAL(WaitForMultipleObjects(3, h, TRUE, 50), WAIT_TIMEOUT);
    CU_ASSERT_EQUAL(WaitForSingleObject(h[2], 0), WAIT_OBJECT_0); /* still available */
    CU_ASSERT_TRUE(ReleaseSemaphore(h[2], 1, NULL));
    SetEvent(h[1]);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(3, h, TRUE, 1000), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(h[1], 0), WAIT_TIMEOUT);
    CU_ASSERT_EQUAL(WaitForSingleObject(h[2], 0), WAIT_TIMEOUT);
    CU_ASSERT_TRUE(ReleaseMutex(h[0]));
    /* The same object twice in a wait-all: "It may not contain multiple copies of the
       same handle" (Microsoft's WaitForMultipleObjects page); NT refuses it with
       STATUS_INVALID_PARAMETER_MIX. Wine 8 accepts it. */
    if (!skipped_on_wine("wait-all with the same handle twice: ERROR_INVALID_PARAMETER"))
        CHECK_FAIL(WaitForMultipleObjects(2, dup, TRUE, 0), WAIT_FAILED, ERROR_INVALID_PARAMETER);
    for (int i = 0; i < 3; i++)
        CloseHandle(h[i]);
}

/*
 * Helper: hammers single waits on semaphore A and auto-reset event B. Only it and
 * the parent's wait-all take them, and the wait-all takes both or neither, so
 * whenever this process holds B, A must be free. Exits with the number of times it
 * was not (capped), or 100+ on setup errors.
 */
static int role_hammer(int argc, char **argv)
{
    char name[200];
    HANDLE a, b;
    int violations = 0, iterations = 20000;

    if (argc < 1)
        return 100;
    snprintf(name, sizeof name, "%s-a", argv[0]);
    a = OpenSemaphoreA(SYNCHRONIZE | SEMAPHORE_MODIFY_STATE, FALSE, name);
    snprintf(name, sizeof name, "%s-b", argv[0]);
    b = OpenEventA(SYNCHRONIZE | EVENT_MODIFY_STATE, FALSE, name);
    if (!a || !b)
        return 101;
    for (int i = 0; i < iterations; i++) {
        if (WaitForSingleObject(b, 10000) != WAIT_OBJECT_0)
            return 102;
        if (WaitForSingleObject(a, 0) != WAIT_OBJECT_0)
            violations++;
        else
            ReleaseSemaphore(a, 1, NULL);
        SetEvent(b);
    }
    return violations > 99 ? 99 : violations;
}

static void test_wait_all_is_atomic(void)
{
    const char *base = test_name("atomic");
    char name[200];
    HANDLE ab[2];
    struct child *c;
    int code, successes = 0;

    snprintf(name, sizeof name, "%s-a", base);
    ab[0] = CreateSemaphoreA(NULL, 1, 1, name);
    snprintf(name, sizeof name, "%s-b", base);
    ab[1] = CreateEventA(NULL, FALSE, TRUE, name);
    c = child_spawn("hammer", base, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    while ((code = child_wait(c, 0)) == -1) {
        DWORD r = WaitForMultipleObjects(2, ab, TRUE, 100);

        if (r == WAIT_OBJECT_0) {
            successes++;
            ReleaseSemaphore(ab[0], 1, NULL); /* A first: the hammer checks A after B */
            SetEvent(ab[1]);
        } else {
            CU_ASSERT_EQUAL_FATAL(r, WAIT_TIMEOUT);
        }
    }
    if (code != 0)
        fprintf(stderr, "hammer exited with %d (violations, or 100+ setup errors)\n", code);
    CU_ASSERT_EQUAL(code, 0);
    CU_ASSERT(successes > 0);
    CloseHandle(ab[0]);
    CloseHandle(ab[1]);
}

static void test_signal_object_and_wait(void)
{
    HANDLE m = CreateMutexA(NULL, TRUE, NULL), ev = CreateEventA(NULL, FALSE, TRUE, NULL);
    HANDLE s = CreateSemaphoreA(NULL, 1, 1, NULL);

    CU_ASSERT_EQUAL(SignalObjectAndWait(m, ev, 0, FALSE), WAIT_OBJECT_0);
    CHECK_FAIL(ReleaseMutex(m), FALSE, ERROR_NOT_OWNER); /* it was released */
    CU_ASSERT_EQUAL(SignalObjectAndWait(ev, ev, 0, FALSE), WAIT_OBJECT_0);
    CHECK_FAIL(SignalObjectAndWait(s, ev, 0, FALSE), WAIT_FAILED, ERROR_TOO_MANY_POSTS);
    CHECK_FAIL(SignalObjectAndWait(m, ev, 0, FALSE), WAIT_FAILED, ERROR_NOT_OWNER);
    CloseHandle(s);
    CloseHandle(ev);
    CloseHandle(m);
}

/* Each of four threads sets its own manual-reset event, then waits for all four. */
struct meet {
    HANDLE ev[4];
    int index;
};

static DWORD WINAPI meet_others(LPVOID arg)
{
    struct meet *m = arg;

    SetEvent(m->ev[m->index]);
    return WaitForMultipleObjects(4, m->ev, TRUE, 5000);
}

static void test_wait_all_meeting(void)
{
    struct meet m[4];
    HANDLE ev[4], t[4];
    DWORD code, r = WAIT_OBJECT_0;
    int i, round;

    /* A wait-all's own try must not cancel its call for a wake-up (a lost wake-up
       here once left a thread asleep with every event set). */
    for (round = 0; round < 50 && r == WAIT_OBJECT_0; round++) {
        for (i = 0; i < 4; i++)
            ev[i] = CreateEventA(NULL, TRUE, FALSE, NULL);
        for (i = 0; i < 4; i++) {
            memcpy(m[i].ev, ev, sizeof ev);
            m[i].index = i;
            t[i] = CreateThread(NULL, 0, meet_others, &m[i], 0, NULL);
            CU_ASSERT_PTR_NOT_NULL_FATAL(t[i]);
        }
        CU_ASSERT_EQUAL(WaitForMultipleObjects(4, t, TRUE, 10000), WAIT_OBJECT_0);
        for (i = 0; i < 4; i++) {
            CU_ASSERT_TRUE(GetExitCodeThread(t[i], &code));
            CU_ASSERT_EQUAL(code, WAIT_OBJECT_0);
            if (code != WAIT_OBJECT_0)
                r = code;
            CloseHandle(t[i]);
            CloseHandle(ev[i]);
        }
    }
}

static void test_failing_wait_all_sleeps(void)
{
    HANDLE m = CreateMutexA(NULL, FALSE, NULL), ev = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE both[2] = {m, ev};
    double cpu = cpu_ms();

    /* The mutex is free, the event never set: the wait takes nothing and sleeps. */
    CU_ASSERT_EQUAL(WaitForMultipleObjects(2, both, TRUE, 500), WAIT_TIMEOUT);
    cpu = cpu_ms() - cpu;
    if (cpu >= 100.0)
        fprintf(stderr, "\n    a failing wait-all used %.1f ms of CPU in 500 ms\n", cpu);
    CU_ASSERT(cpu < 100.0);
    CU_ASSERT_EQUAL(WaitForSingleObject(m, 0), WAIT_OBJECT_0); /* nothing was kept */
    CU_ASSERT_TRUE(ReleaseMutex(m));
    CloseHandle(m);
    CloseHandle(ev);
}

/* Leaves WAIT_FAILED (all ones) in the stack below the caller, where the next call's
   locals will be: a result read from an unset local shows up as WAIT_FAILED. */
__declspec(noinline) static void dirty_stack(void)
{
    volatile unsigned char junk[32768];

    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = 0xFF;
}

/* A wait-all whose objects are not all ready fails only by timing out, whatever the
   memory its entries are made in held before. */
static void test_unready_wait_all_times_out(void)
{
    HANDLE ev[3];
    int failed = 0;

    for (int i = 0; i < 3; i++)
        ev[i] = CreateEventA(NULL, TRUE, i != 1, NULL);
    for (int i = 0; i < 200; i++) {
        DWORD r;

        dirty_stack();
        r = WaitForMultipleObjects(3, ev, TRUE, i % 2);
        failed += r != WAIT_TIMEOUT;
    }
    CU_ASSERT_EQUAL(failed, 0);
    CU_ASSERT_TRUE(SetEvent(ev[1]));
    CU_ASSERT_EQUAL(WaitForMultipleObjects(3, ev, TRUE, 0), WAIT_OBJECT_0);
    for (int i = 0; i < 3; i++)
        CloseHandle(ev[i]);
}

CU_TestInfo test_wait_tests[] = {
    {"WAIT_* values; invalid, non-waitable and pseudo handles", test_constants_and_bad_handles},
    {"a synchronous file handle is signalled", test_file_handle_is_signalled},
    {"a wait that succeeds or times out leaves the last error", test_last_error_untouched},
    {"timeouts are never early and hardly late", test_timeouts_are_honoured},
    {"an INFINITE wait uses no CPU (another process, 1 s)", test_infinite_wait_uses_no_cpu},
    {"WaitForMultipleObjects: 0 and 65 fail, 64 work", test_wfmo_counts},
    {"wait-any takes the lowest signalled index only", test_wait_any_lowest_index},
    {"an abandoned mutex reports WAIT_ABANDONED_0 + its index", test_abandoned_index},
    {"wait-all over mixed kinds takes all or nothing", test_wait_all_mixed},
    {"wait-all is atomic against another process's single waits", test_wait_all_is_atomic},
    {"SignalObjectAndWait", test_signal_object_and_wait},
    {"four threads that each set an event and wait for all four", test_wait_all_meeting},
    {"a wait-all that cannot succeed sleeps, and keeps nothing", test_failing_wait_all_sleeps},
    {"a wait-all over objects not all ready times out", test_unready_wait_all_times_out},
    CU_TEST_INFO_NULL,
};

const struct test_role test_wait_roles[] = {
    {"block", role_block},
    {"hammer", role_hammer},
    {NULL, NULL},
};
