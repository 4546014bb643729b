/*
 * test-event.c - auto-reset and manual-reset events, PulseEvent, access rights.
 */
#include "helpers.h"

#define WAITERS 3

struct waiter_set {
    HANDLE ev;
    HANDLE started; /* semaphore: one release per started waiter */
    DWORD timeout;
    HANDLE threads[WAITERS];
};

static DWORD WINAPI waiter(LPVOID p)
{
    struct waiter_set *w = p;

    ReleaseSemaphore(w->started, 1, NULL);
    return WaitForSingleObject(w->ev, w->timeout);
}

static void start_waiters(struct waiter_set *w, HANDLE ev, DWORD timeout)
{
    w->ev = ev;
    w->timeout = timeout;
    w->started = CreateSemaphoreA(NULL, 0, WAITERS, NULL);
    for (int i = 0; i < WAITERS; i++)
        w->threads[i] = CreateThread(NULL, 0, waiter, w, 0, NULL);
    for (int i = 0; i < WAITERS; i++)
        CU_ASSERT_EQUAL(WaitForSingleObject(w->started, 10000), WAIT_OBJECT_0);
}

/* Joins the waiters; how many were released (the others timed out). */
static int released(struct waiter_set *w)
{
    int n = 0;

    CU_ASSERT_EQUAL(WaitForMultipleObjects(WAITERS, w->threads, TRUE, 30000), WAIT_OBJECT_0);
    for (int i = 0; i < WAITERS; i++) {
        DWORD code = 0;

        GetExitCodeThread(w->threads[i], &code);
        CU_ASSERT(code == WAIT_OBJECT_0 || code == WAIT_TIMEOUT);
        n += code == WAIT_OBJECT_0;
        CloseHandle(w->threads[i]);
    }
    CloseHandle(w->started);
    return n;
}

static void test_auto_reset(void)
{
    HANDLE ev = CreateEventA(NULL, FALSE, FALSE, test_name("auto"));
    struct waiter_set w;

    /* Signals do not accumulate. */
    CU_ASSERT_TRUE(SetEvent(ev));
    CU_ASSERT_TRUE(SetEvent(ev));
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    /* One SetEvent releases exactly one of three waiters, whenever they arrive. */
    start_waiters(&w, ev, 1500);
    CU_ASSERT_TRUE(SetEvent(ev));
    CU_ASSERT_EQUAL(released(&w), 1);
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    CloseHandle(ev);
}

static void test_manual_reset(void)
{
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, test_name("manual"));
    struct waiter_set w;

    start_waiters(&w, ev, 30000);
    CU_ASSERT_TRUE(SetEvent(ev));
    CU_ASSERT_EQUAL(released(&w), WAITERS);
    /* It stays signalled until ResetEvent. */
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(ResetEvent(ev));
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    CloseHandle(ev);
}

static void test_initial_state_and_existing(void)
{
    const char *name = test_name("init");
    HANDLE ev = CreateEventA(NULL, TRUE, TRUE, name), again;

    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(ResetEvent(ev));
    /* Creating it again ignores the manual-reset flag and the initial state. */
    again = CreateEventA(NULL, FALSE, TRUE, name);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ALREADY_EXISTS);
    CU_ASSERT_EQUAL(WaitForSingleObject(again, 0), WAIT_TIMEOUT);
    CU_ASSERT_TRUE(SetEvent(again));
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_OBJECT_0); /* still manual */
    CloseHandle(again);
    CloseHandle(ev);
    ev = CreateEventExA(NULL, NULL, CREATE_EVENT_INITIAL_SET, EVENT_ALL_ACCESS);
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_TIMEOUT); /* auto-reset */
    CloseHandle(ev);
    /* Unknown dwFlags bits are ignored (kernelbase and Wine do). */
    ev = CreateEventExA(NULL, NULL, 4 | CREATE_EVENT_MANUAL_RESET, EVENT_ALL_ACCESS);
    CU_ASSERT_PTR_NOT_NULL(ev);
    CloseHandle(ev);
    CHECK_FAIL(OpenEventA(SYNCHRONIZE, FALSE, test_name("none")), NULL, ERROR_FILE_NOT_FOUND);
}

/*
 * PulseEvent needs the waiters to be asleep in their wait, which no handshake can
 * tell (the "started" semaphore is released just before the wait): this is the one
 * test that gives them time to get there.
 */
#define LET_WAITERS_SLEEP_MS 200

static void test_pulse(void)
{
    HANDLE manual = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE autoev = CreateEventA(NULL, FALSE, FALSE, NULL);
    struct waiter_set w;

    start_waiters(&w, manual, 3000);
    Sleep(LET_WAITERS_SLEEP_MS);
    CU_ASSERT_TRUE(PulseEvent(manual));
    CU_ASSERT_EQUAL(WaitForSingleObject(manual, 0), WAIT_TIMEOUT); /* left reset */
    CU_ASSERT_EQUAL(released(&w), WAITERS);

    start_waiters(&w, autoev, 1500);
    Sleep(LET_WAITERS_SLEEP_MS);
    CU_ASSERT_TRUE(PulseEvent(autoev));
    CU_ASSERT_EQUAL(WaitForSingleObject(autoev, 0), WAIT_TIMEOUT);
    CU_ASSERT_EQUAL(released(&w), 1);

    /* A pulse with nobody waiting is lost. */
    CU_ASSERT_TRUE(PulseEvent(manual));
    CU_ASSERT_EQUAL(WaitForSingleObject(manual, 0), WAIT_TIMEOUT);
    CloseHandle(manual);
    CloseHandle(autoev);
}

static void test_access_rights(void)
{
    const char *name = test_name("rights");
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, name);
    HANDLE sync_only = OpenEventA(SYNCHRONIZE, FALSE, name);
    HANDLE modify_only = OpenEventA(EVENT_MODIFY_STATE, FALSE, name);

    CU_ASSERT_PTR_NOT_NULL_FATAL(sync_only);
    CU_ASSERT_PTR_NOT_NULL_FATAL(modify_only);
    CHECK_FAIL(SetEvent(sync_only), FALSE, ERROR_ACCESS_DENIED);
    CHECK_FAIL(ResetEvent(sync_only), FALSE, ERROR_ACCESS_DENIED);
    CHECK_FAIL(PulseEvent(sync_only), FALSE, ERROR_ACCESS_DENIED);
    CU_ASSERT_TRUE(SetEvent(modify_only));
    CHECK_FAIL(WaitForSingleObject(modify_only, 0), WAIT_FAILED, ERROR_ACCESS_DENIED);
    CU_ASSERT_EQUAL(WaitForSingleObject(sync_only, 0), WAIT_OBJECT_0);
    CHECK_FAIL(SetEvent(NULL), FALSE, ERROR_INVALID_HANDLE);
    CloseHandle(modify_only);
    CloseHandle(sync_only);
    CloseHandle(ev);
}

CU_TestInfo test_event_tests[] = {
    {"auto-reset: one waiter per SetEvent, no accumulation", test_auto_reset},
    {"manual-reset: every waiter, signalled until ResetEvent", test_manual_reset},
    {"initial state; create of an existing event ignores its arguments",
     test_initial_state_and_existing},
    {"PulseEvent releases current waiters (one if auto) and leaves it reset", test_pulse},
    {"EVENT_MODIFY_STATE and SYNCHRONIZE are enforced", test_access_rights},
    CU_TEST_INFO_NULL,
};

const struct test_role test_event_roles[] = {{NULL, NULL}};
