/*
 * win32.c - the workloads written against the Win32 API only: on Linux they run on
 * winipc, built with mingw they run on Windows (or Wine).
 */
#include "bench.h"

#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static HANDLE event_named(const char *base, const char *suffix, BOOL manual)
{
    char name[160];
    HANDLE h;

    snprintf(name, sizeof name, "%s-%s", base, suffix);
    h = CreateEventA(NULL, manual, FALSE, name);
    if (!h)
        fail("CreateEvent %s: %lu", name, (unsigned long)GetLastError());
    return h;
}

static HANDLE semaphore_named(const char *base, const char *suffix, LONG initial, LONG max)
{
    char name[160];
    HANDLE h;

    snprintf(name, sizeof name, "%s-%s", base, suffix);
    h = CreateSemaphoreA(NULL, initial, max, name);
    if (!h)
        fail("CreateSemaphore %s: %lu", name, (unsigned long)GetLastError());
    return h;
}

static void *map_named(const char *base, const char *suffix, size_t size, HANDLE *section)
{
    char name[160];
    void *v;

    snprintf(name, sizeof name, "%s-%s", base, suffix);
    *section = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE,
                                  (DWORD)((unsigned long long)size >> 32), (DWORD)size, name);
    v = *section ? MapViewOfFile(*section, FILE_MAP_ALL_ACCESS, 0, 0, 0) : NULL;
    if (!v)
        fail("mapping %s: %lu", name, (unsigned long)GetLastError());
    return v;
}

static void wait_ok(HANDLE h)
{
    if (WaitForSingleObject(h, 60000) != WAIT_OBJECT_0)
        fail("a wait failed or took a minute (%lu)", (unsigned long)GetLastError());
}

/* ---- 1. Event ping-pong, 2 processes --------------------------------------------- */

static double pingpong(void *arg)
{
    const char *base = bench_name("pp");
    HANDLE ping = event_named(base, "ping", FALSE), pong = event_named(base, "pong", FALSE);
    HANDLE ready = event_named(base, "ready", TRUE);
    struct proc *p = spawn_self("w32-pong", base, NULL, NULL);
    double t0, t;

    (void)arg;
    wait_ok(ready);
    t0 = now_ns();
    for (int i = 0; i < PINGPONG_TRIPS; i++) {
        SetEvent(ping);
        wait_ok(pong);
    }
    t = now_ns() - t0;
    wait_proc(p);
    CloseHandle(ready);
    CloseHandle(pong);
    CloseHandle(ping);
    return t / PINGPONG_TRIPS;
}

static int child_pong(const char *base)
{
    HANDLE ping = event_named(base, "ping", FALSE), pong = event_named(base, "pong", FALSE);
    HANDLE ready = event_named(base, "ready", TRUE);

    SetEvent(ready);
    for (int i = 0; i < PINGPONG_TRIPS; i++) {
        wait_ok(ping);
        SetEvent(pong);
    }
    CloseHandle(ready);
    CloseHandle(pong);
    CloseHandle(ping);
    return 0;
}

/* ---- 2. Mutex handoff, 2 processes -------------------------------------------------- */

struct counter {
    volatile LONG value;
};

static void add_under_mutex(HANDLE m, struct counter *c)
{
    for (int i = 0; i < HANDOFF_LOCKS; i++) {
        WaitForSingleObject(m, INFINITE);
        c->value = c->value + 1;
        ReleaseMutex(m);
    }
}

static double handoff(void *arg)
{
    const char *base = bench_name("mx");
    char name[160];
    HANDLE section, m, go, done, ready;
    struct counter *c = map_named(base, "counter", 4096, &section);
    struct proc *p;
    double t0, t;

    (void)arg;
    snprintf(name, sizeof name, "%s-mutex", base);
    m = CreateMutexA(NULL, FALSE, name);
    go = event_named(base, "go", TRUE);
    done = event_named(base, "done", TRUE);
    ready = event_named(base, "ready", TRUE);
    p = spawn_self("w32-handoff", base, NULL, NULL);
    wait_ok(ready);
    t0 = now_ns();
    SetEvent(go);
    add_under_mutex(m, c);
    wait_ok(done);
    t = now_ns() - t0;
    wait_proc(p);
    if (c->value != 2 * HANDOFF_LOCKS)
        fail("mutex handoff counted %ld, not %d", (long)c->value, 2 * HANDOFF_LOCKS);
    UnmapViewOfFile(c);
    CloseHandle(section);
    CloseHandle(m);
    CloseHandle(go);
    CloseHandle(done);
    CloseHandle(ready);
    return t / (2.0 * HANDOFF_LOCKS);
}

static int child_handoff(const char *base)
{
    char name[160];
    HANDLE section, m, go = event_named(base, "go", TRUE), done = event_named(base, "done", TRUE);
    struct counter *c = map_named(base, "counter", 4096, &section);

    snprintf(name, sizeof name, "%s-mutex", base);
    m = CreateMutexA(NULL, FALSE, name);
    SetEvent(event_named(base, "ready", TRUE));
    wait_ok(go);
    add_under_mutex(m, c);
    SetEvent(done);
    return 0;
}

/* ---- 3. Uncontended, 1 process ------------------------------------------------------ */

static double uncontended_mutex(void *arg)
{
    HANDLE m = CreateMutexA(NULL, FALSE, bench_name("um"));
    double t0 = now_ns();

    (void)arg;
    for (int i = 0; i < UNCONTENDED_OPS; i++) {
        WaitForSingleObject(m, INFINITE);
        ReleaseMutex(m);
    }
    t0 = (now_ns() - t0) / UNCONTENDED_OPS;
    CloseHandle(m);
    return t0;
}

static double uncontended_event(void *arg)
{
    HANDLE e = CreateEventA(NULL, FALSE, FALSE, bench_name("ue"));
    double t0 = now_ns();

    (void)arg;
    for (int i = 0; i < UNCONTENDED_OPS; i++) {
        SetEvent(e);
        WaitForSingleObject(e, INFINITE);
    }
    t0 = (now_ns() - t0) / UNCONTENDED_OPS;
    CloseHandle(e);
    return t0;
}

static double uncontended_semaphore(void *arg)
{
    HANDLE s = CreateSemaphoreA(NULL, 0, 1, bench_name("us"));
    double t0 = now_ns();

    (void)arg;
    for (int i = 0; i < UNCONTENDED_OPS; i++) {
        ReleaseSemaphore(s, 1, NULL);
        WaitForSingleObject(s, INFINITE);
    }
    t0 = (now_ns() - t0) / UNCONTENDED_OPS;
    CloseHandle(s);
    return t0;
}

/* ---- 4. Bounded buffer, 2 processes ------------------------------------------------- */

struct ring_spec {
    size_t item, slots, items;
    bool mb_per_s; /* report MB/s instead of items/s */
};

static double ring(void *arg)
{
    const struct ring_spec *s = arg;
    const char *base = bench_name("ring");
    char a1[32], a2[32];
    HANDLE section, empty, full;
    unsigned char *slots = map_named(base, "ring", s->item * s->slots, &section);
    unsigned long long sum = 0;
    struct proc *p;
    double t0, t;

    empty = semaphore_named(base, "empty", (LONG)s->slots, (LONG)s->slots);
    full = semaphore_named(base, "full", 0, (LONG)s->slots);
    snprintf(a1, sizeof a1, "%zu", s->item);
    snprintf(a2, sizeof a2, "%zu", s->slots);
    p = spawn_self("w32-produce", base, a1, a2); /* it knows the count from the size */
    t0 = now_ns();
    for (size_t i = 0; i < s->items; i++) {
        unsigned long long v;

        wait_ok(full);
        memcpy(&v, slots + (i % s->slots) * s->item, sizeof v);
        sum += v;
        ReleaseSemaphore(empty, 1, NULL);
    }
    t = now_ns() - t0;
    wait_proc(p);
    if (sum != RING_CHECKSUM(s->items))
        fail("ring checksum %llu, not %llu", sum, RING_CHECKSUM(s->items));
    UnmapViewOfFile(slots);
    CloseHandle(section);
    CloseHandle(empty);
    CloseHandle(full);
    return s->mb_per_s ? (double)(s->item * s->items) / (t / 1e9) / 1e6
                       : (double)s->items / (t / 1e9);
}

static int child_produce(const char *base, size_t item, size_t nslots)
{
    size_t items = item == RING_LARGE_ITEM ? RING_LARGE_ITEMS : RING_SMALL_ITEMS;
    HANDLE section, empty, full;
    unsigned char *slots = map_named(base, "ring", item * nslots, &section);
    unsigned char *buf = calloc(1, item);

    empty = semaphore_named(base, "empty", (LONG)nslots, (LONG)nslots);
    full = semaphore_named(base, "full", 0, (LONG)nslots);
    for (size_t i = 0; i < items; i++) {
        unsigned long long v = i;

        memcpy(buf, &v, sizeof v);
        wait_ok(empty);
        memcpy(slots + (i % nslots) * item, buf, item); /* the item is produced elsewhere */
        ReleaseSemaphore(full, 1, NULL);
    }
    free(buf);
    return 0;
}

/* ---- 5. Object lifecycle ------------------------------------------------------------ */

static double lifecycle(void *arg)
{
    const char *name = bench_name("life");
    double t0 = now_ns();

    (void)arg;
    for (int i = 0; i < LIFECYCLE_CYCLES; i++) {
        HANDLE h =
            CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, LIFECYCLE_SIZE, name);
        volatile char *v = h ? MapViewOfFile(h, FILE_MAP_ALL_ACCESS, 0, 0, 0) : NULL;

        if (!v || GetLastError() == ERROR_ALREADY_EXISTS)
            fail("lifecycle: the mapping was not new");
        for (int off = 0; off < LIFECYCLE_SIZE; off += 4096)
            v[off] = 1;
        UnmapViewOfFile((void *)v);
        CloseHandle(h);
    }
    return (now_ns() - t0) / LIFECYCLE_CYCLES / 1000.0;
}

static double open_close_event(void *arg)
{
    const char *name = bench_name("oc");
    HANDLE keep = CreateEventA(NULL, TRUE, FALSE, name);
    double t0 = now_ns();

    (void)arg;
    for (int i = 0; i < OPEN_CLOSE_CYCLES; i++) {
        HANDLE h = OpenEventA(SYNCHRONIZE, FALSE, name);

        if (!h)
            fail("OpenEvent: %lu", (unsigned long)GetLastError());
        CloseHandle(h);
    }
    t0 = (now_ns() - t0) / OPEN_CLOSE_CYCLES / 1000.0;
    CloseHandle(keep);
    return t0;
}

/* ---- 6. Bandwidth ------------------------------------------------------------------- */

/* `touch`: 1 = into a fresh view (first touch), 2 = the second time. */
static double bandwidth_view(void *arg)
{
    int touch = *(const int *)arg;
    const unsigned char *src = bandwidth_source();
    HANDLE h =
        CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, BANDWIDTH_BYTES, NULL);
    unsigned char *v = h ? MapViewOfFile(h, FILE_MAP_ALL_ACCESS, 0, 0, 0) : NULL;
    double t0 = 0, t = 0;

    if (!v)
        fail("bandwidth view: %lu", (unsigned long)GetLastError());
    for (int i = 1; i <= touch; i++) {
        t0 = now_ns();
        memcpy(v, src, BANDWIDTH_BYTES);
        t = now_ns() - t0;
    }
    if (v[BANDWIDTH_BYTES - 1] != src[BANDWIDTH_BYTES - 1])
        fail("bandwidth: wrong data");
    UnmapViewOfFile(v);
    CloseHandle(h);
    return (double)BANDWIDTH_BYTES / t; /* bytes per ns = GB/s */
}

/* ---- 7. Wait-any scaling, 2 processes ------------------------------------------------ */

static double wait_any(void *arg)
{
    int n = *(const int *)arg;
    const char *base = bench_name("any");
    HANDLE ev[MAXIMUM_WAIT_OBJECTS], req = event_named(base, "req", FALSE);
    HANDLE ready = event_named(base, "ready", TRUE);
    struct proc *p;
    double t0, t;

    for (int i = 0; i < n - 1; i++)
        ev[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
    ev[n - 1] = event_named(base, "ack", FALSE);
    p = spawn_self("w32-answer", base, NULL, NULL);
    wait_ok(ready);
    t0 = now_ns();
    for (int i = 0; i < PINGPONG_TRIPS; i++) {
        SetEvent(req);
        if (WaitForMultipleObjects((DWORD)n, ev, FALSE, 60000) != WAIT_OBJECT_0 + (DWORD)n - 1)
            fail("wait-any returned the wrong index");
    }
    t = now_ns() - t0;
    wait_proc(p);
    for (int i = 0; i < n; i++)
        CloseHandle(ev[i]);
    CloseHandle(req);
    CloseHandle(ready);
    return t / PINGPONG_TRIPS;
}

static int child_answer(const char *base)
{
    HANDLE req = event_named(base, "req", FALSE), ack = event_named(base, "ack", FALSE);

    SetEvent(event_named(base, "ready", TRUE));
    for (int i = 0; i < PINGPONG_TRIPS; i++) {
        wait_ok(req);
        SetEvent(ack);
    }
    return 0;
}

/* ---- Driver --------------------------------------------------------------------------- */

void run_win32_workloads(void)
{
    const struct ring_spec small = {RING_SMALL_ITEM, RING_SMALL_SLOTS, RING_SMALL_ITEMS, false};
    const struct ring_spec large = {RING_LARGE_ITEM, RING_LARGE_SLOTS, RING_LARGE_ITEMS, true};
    static const int first = 1, second = 2, any1 = 1, any8 = 8, any64 = 64;

    measure("event ping-pong", "winipc auto-reset events", "ns/round trip", false, true, pingpong,
            NULL, 0);
    measure("mutex handoff", "winipc named mutex", "ns/lock+unlock", false, true, handoff, NULL, 0);
    measure("uncontended mutex", "winipc Wait+ReleaseMutex", "ns/pair", false, true,
            uncontended_mutex, NULL, 0);
    measure("uncontended event", "winipc SetEvent+Wait", "ns/pair", false, true, uncontended_event,
            NULL, 0);
    measure("uncontended semaphore", "winipc ReleaseSemaphore+Wait", "ns/pair", false, true,
            uncontended_semaphore, NULL, 0);
    measure("bounded buffer 64 B", "winipc mapping + 2 semaphores", "items/s", true, true, ring,
            &small, sizeof small);
    measure("bounded buffer 64 KiB", "winipc mapping + 2 semaphores", "MB/s", true, true, ring,
            &large, sizeof large);
    measure("lifecycle 64 KiB mapping", "winipc create/map/touch/unmap/close", "us/cycle", false,
            true, lifecycle, NULL, 0);
    measure("open+close named event", "winipc OpenEvent+CloseHandle", "us/cycle", false, true,
            open_close_event, NULL, 0);
    measure("bandwidth first touch", "winipc view", "GB/s", true, true, bandwidth_view, &first,
            sizeof first);
    measure("bandwidth second touch", "winipc view", "GB/s", true, true, bandwidth_view, &second,
            sizeof second);
    measure("wait-any round trip", "winipc WFMO over 1 handle", "ns/round trip", false, true,
            wait_any, &any1, sizeof any1);
    measure("wait-any round trip", "winipc WFMO over 8 handles", "ns/round trip", false, true,
            wait_any, &any8, sizeof any8);
    measure("wait-any round trip", "winipc WFMO over 64 handles", "ns/round trip", false, true,
            wait_any, &any64, sizeof any64);
}

int win32_child(const char *role, int argc, char **argv)
{
    if (argc < 1)
        return 100;
    if (strcmp(role, "w32-pong") == 0)
        return child_pong(argv[0]);
    if (strcmp(role, "w32-handoff") == 0)
        return child_handoff(argv[0]);
    if (strcmp(role, "w32-produce") == 0 && argc >= 3)
        return child_produce(argv[0], (size_t)atol(argv[1]), (size_t)atol(argv[2]));
    if (strcmp(role, "w32-answer") == 0)
        return child_answer(argv[0]);
    fprintf(stderr, "unknown role %s\n", role);
    return 100;
}
