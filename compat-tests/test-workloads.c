/*
 * test-workloads.c - exact cross-process workloads: a counter under a mutex, event
 * ping-pong, and a bounded buffer with two semaphores.
 */
#include "helpers.h"

#include <stdio.h>

#define COUNT_PER_PROCESS 100000
#define ROUND_TRIPS 10000
#define RING_SLOTS 1024
#define RING_ITEMS 100000

static void suffixed(char *out, size_t n, const char *base, const char *suffix)
{
    snprintf(out, n, "%s-%s", base, suffix);
}

/* Counter: both processes add COUNT_PER_PROCESS to a plain int under the mutex. */
static int add_under_mutex(const char *base)
{
    char name[200];
    HANDLE m, s;
    volatile LONG *counter;

    suffixed(name, sizeof name, base, "mutex");
    m = OpenMutexA(SYNCHRONIZE, FALSE, name);
    suffixed(name, sizeof name, base, "counter");
    s = OpenFileMappingA(FILE_MAP_WRITE, FALSE, name);
    counter = s ? MapViewOfFile(s, FILE_MAP_WRITE, 0, 0, 0) : NULL;
    if (!m || !counter)
        return 10;
    for (int i = 0; i < COUNT_PER_PROCESS; i++) {
        if (WaitForSingleObject(m, 10000) != WAIT_OBJECT_0)
            return 11;
        *counter = *counter + 1; /* deliberately not atomic */
        if (!ReleaseMutex(m))
            return 12;
    }
    UnmapViewOfFile((LPCVOID)counter);
    CloseHandle(s);
    CloseHandle(m);
    return 0;
}

static int role_count(int argc, char **argv)
{
    return argc > 0 ? add_under_mutex(argv[0]) : 100;
}

static void test_counter_under_mutex(void)
{
    const char *base = test_name("count");
    char name[200];
    HANDLE m, s;
    volatile LONG *counter;
    struct child *c;

    suffixed(name, sizeof name, base, "mutex");
    m = CreateMutexA(NULL, FALSE, name);
    suffixed(name, sizeof name, base, "counter");
    s = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, name);
    counter = MapViewOfFile(s, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(counter);
    c = child_spawn("count", base, NULL);
    CU_ASSERT_EQUAL(add_under_mutex(base), 0);
    CU_ASSERT_EQUAL(child_wait(c, 120000), 0);
    CU_ASSERT_EQUAL(*counter, 2 * COUNT_PER_PROCESS);
    UnmapViewOfFile((LPCVOID)counter);
    CloseHandle(s);
    CloseHandle(m);
}

/* Ping-pong: the child answers each "ping" with a "pong". */
static int role_pong(int argc, char **argv)
{
    char name[200];
    HANDLE ping, pong;

    if (argc < 1)
        return 100;
    suffixed(name, sizeof name, argv[0], "ping");
    ping = OpenEventA(SYNCHRONIZE, FALSE, name);
    suffixed(name, sizeof name, argv[0], "pong");
    pong = OpenEventA(EVENT_MODIFY_STATE, FALSE, name);
    if (!ping || !pong)
        return 10;
    for (int i = 0; i < ROUND_TRIPS; i++) {
        if (WaitForSingleObject(ping, 10000) != WAIT_OBJECT_0)
            return 11;
        SetEvent(pong);
    }
    return 0;
}

static void test_event_ping_pong(void)
{
    const char *base = test_name("pingpong");
    char name[200];
    HANDLE ping, pong;
    struct child *c;
    int i;

    suffixed(name, sizeof name, base, "ping");
    ping = CreateEventA(NULL, FALSE, FALSE, name);
    suffixed(name, sizeof name, base, "pong");
    pong = CreateEventA(NULL, FALSE, FALSE, name);
    c = child_spawn("pong", base, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    for (i = 0; i < ROUND_TRIPS; i++) {
        SetEvent(ping);
        if (WaitForSingleObject(pong, 10000) != WAIT_OBJECT_0)
            break;
    }
    CU_ASSERT_EQUAL(i, ROUND_TRIPS);
    CU_ASSERT_EQUAL(child_wait(c, CHILD_LIMIT_MS), 0);
    /* Nothing left over on either side. */
    CU_ASSERT_EQUAL(WaitForSingleObject(ping, 0), WAIT_TIMEOUT);
    CU_ASSERT_EQUAL(WaitForSingleObject(pong, 0), WAIT_TIMEOUT);
    CloseHandle(ping);
    CloseHandle(pong);
}

/* Bounded buffer: the child produces item i*i mod 2^32; the parent checks the sum. */
struct ring {
    DWORD head, tail;
    DWORD slot[RING_SLOTS];
};

static int role_produce(int argc, char **argv)
{
    char name[200];
    HANDLE s, empty, full;
    struct ring *r;

    if (argc < 1)
        return 100;
    suffixed(name, sizeof name, argv[0], "ring");
    s = OpenFileMappingA(FILE_MAP_WRITE, FALSE, name);
    r = s ? MapViewOfFile(s, FILE_MAP_WRITE, 0, 0, 0) : NULL;
    suffixed(name, sizeof name, argv[0], "empty");
    empty = OpenSemaphoreA(SYNCHRONIZE, FALSE, name);
    suffixed(name, sizeof name, argv[0], "full");
    full = OpenSemaphoreA(SEMAPHORE_MODIFY_STATE, FALSE, name);
    if (!r || !empty || !full)
        return 10;
    for (DWORD i = 0; i < RING_ITEMS; i++) {
        if (WaitForSingleObject(empty, 10000) != WAIT_OBJECT_0)
            return 11;
        r->slot[r->head] = i * i;
        r->head = (r->head + 1) % RING_SLOTS;
        if (!ReleaseSemaphore(full, 1, NULL))
            return 12;
    }
    return 0;
}

static void test_bounded_buffer(void)
{
    const char *base = test_name("ring");
    char name[200];
    HANDLE s, empty, full;
    struct ring *r;
    struct child *c;
    unsigned long long sum = 0, expect = 0;
    DWORD i;

    suffixed(name, sizeof name, base, "ring");
    s = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, sizeof *r, name);
    r = MapViewOfFile(s, FILE_MAP_WRITE, 0, 0, 0);
    suffixed(name, sizeof name, base, "empty");
    empty = CreateSemaphoreA(NULL, RING_SLOTS, RING_SLOTS, name);
    suffixed(name, sizeof name, base, "full");
    full = CreateSemaphoreA(NULL, 0, RING_SLOTS, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    c = child_spawn("produce", base, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    for (i = 0; i < RING_ITEMS; i++) {
        if (WaitForSingleObject(full, 10000) != WAIT_OBJECT_0)
            break;
        sum += r->slot[r->tail];
        r->tail = (r->tail + 1) % RING_SLOTS;
        ReleaseSemaphore(empty, 1, NULL);
    }
    for (DWORD k = 0; k < RING_ITEMS; k++)
        expect += (DWORD)(k * k);
    CU_ASSERT_EQUAL(i, RING_ITEMS);
    CU_ASSERT_EQUAL(sum, expect);
    CU_ASSERT_EQUAL(child_wait(c, CHILD_LIMIT_MS), 0);
    UnmapViewOfFile(r);
    CloseHandle(s);
    CloseHandle(empty);
    CloseHandle(full);
}

/* Sync objects die like sections: with the last handle, and after SIGKILL. */
static int role_hold_sync(int argc, char **argv)
{
    char name[200];
    HANDLE m, e, s;

    if (argc < 1)
        return 100;
    suffixed(name, sizeof name, argv[0], "m");
    m = CreateMutexA(NULL, TRUE, name);
    suffixed(name, sizeof name, argv[0], "e");
    e = CreateEventA(NULL, TRUE, FALSE, name);
    suffixed(name, sizeof name, argv[0], "s");
    s = CreateSemaphoreA(NULL, 0, 1, name);
    if (!m || !e || !s || !signal_ready(argv[0]))
        return 10;
    Sleep(60000);
    return 11;
}

static void test_sync_objects_die_with_holders(void)
{
    const char *base = test_name("syncdie");
    char name[200];
    HANDLE ready = ready_event(base), m;
    struct child *c = child_spawn("hold-sync", base, NULL);

    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_TRUE(wait_ready(ready, 30000));
    suffixed(name, sizeof name, base, "m");
    m = OpenMutexA(SYNCHRONIZE, FALSE, name);
    CU_ASSERT_PTR_NOT_NULL(m);
    child_kill(c);
    CU_ASSERT_EQUAL(WaitForSingleObject(m, 10000), WAIT_ABANDONED);
    ReleaseMutex(m);
    CloseHandle(m);
    CHECK_FAIL(OpenMutexA(SYNCHRONIZE, FALSE, name), NULL, ERROR_FILE_NOT_FOUND);
    suffixed(name, sizeof name, base, "e");
    CHECK_FAIL(OpenEventA(SYNCHRONIZE, FALSE, name), NULL, ERROR_FILE_NOT_FOUND);
    suffixed(name, sizeof name, base, "s");
    CHECK_FAIL(OpenSemaphoreA(SYNCHRONIZE, FALSE, name), NULL, ERROR_FILE_NOT_FOUND);
#ifndef _WIN32
    CU_ASSERT_EQUAL(shm_leftovers(base), 1); /* only our ready event */
#endif
    CloseHandle(ready);
    CU_ASSERT_EQUAL(shm_leftovers(base), 0);
}

CU_TestInfo test_workloads_tests[] = {
    {"2 x 100000 increments under a named mutex, exact", test_counter_under_mutex},
    {"10000 event ping-pong round trips", test_event_ping_pong},
    {"100000 items through a 1024-slot ring with two semaphores", test_bounded_buffer},
    {"sync objects die with their last holder, also after SIGKILL",
     test_sync_objects_die_with_holders},
    CU_TEST_INFO_NULL,
};

const struct test_role test_workloads_roles[] = {
    {"count", role_count},         {"pong", role_pong}, {"produce", role_produce},
    {"hold-sync", role_hold_sync}, {NULL, NULL},
};
