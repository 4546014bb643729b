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

/* ---- 8. Wait-any with the last of 64 signalled, 1 process ---------------------------- */

static double wait_last(void *arg)
{
    int n = *(const int *)arg;
    HANDLE ev[MAXIMUM_WAIT_OBJECTS];
    double t0;

    for (int i = 0; i < n; i++)
        ev[i] = CreateEventA(NULL, FALSE, FALSE, NULL);
    t0 = now_ns();
    for (int i = 0; i < WAIT_LAST_OPS; i++) {
        SetEvent(ev[n - 1]);
        if (WaitForMultipleObjects((DWORD)n, ev, FALSE, INFINITE) != WAIT_OBJECT_0 + (DWORD)n - 1)
            fail("wait-any over %d returned the wrong index", n);
    }
    t0 = (now_ns() - t0) / WAIT_LAST_OPS;
    for (int i = 0; i < n; i++)
        CloseHandle(ev[i]);
    return t0;
}

/* ---- 9. Waiting for a process to end ------------------------------------------------ */

struct stamp {
    volatile double exit_ns; /* written by the child just before it returns from main */
};

/* Whether CreateProcess exists here (not on winipc's portable backend): a call that
   starts nothing fails with ERROR_NOT_SUPPORTED only there. */
static bool processes_supported(void)
{
    STARTUPINFOA si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;

    return CreateProcessA("", NULL, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi) ||
           GetLastError() != ERROR_NOT_SUPPORTED;
}

/* A child's exit to its parent's wake-up, and the whole CreateProcess-to-wake cycle,
   in microseconds: the medians of EXIT_CYCLES cycles. */
static void process_exit(void *arg, double *out)
{
    const char *base = bench_name("exit");
    HANDLE section;
    struct stamp *st = map_named(base, "stamp", 4096, &section);
    double lat[64], cycle[64];
    char cmd[1024];

    (void)arg;
    snprintf(cmd, sizeof cmd, "\"%s\" --child w32-exit %s", self_exe(), base);
    for (int c = 0; c < EXIT_CYCLES; c++) {
        STARTUPINFOA si = {.cb = sizeof si};
        PROCESS_INFORMATION pi;
        DWORD code = 1;
        double t0 = now_ns(), t1;

        st->exit_ns = 0;
        if (!CreateProcessA(self_exe(), cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
            fail("CreateProcess: %lu", (unsigned long)GetLastError());
        CloseHandle(pi.hThread);
        wait_ok(pi.hProcess);
        t1 = now_ns();
        GetExitCodeProcess(pi.hProcess, &code);
        CloseHandle(pi.hProcess);
        if (code != 0 || st->exit_ns == 0)
            fail("the exiting child failed (%lu)", (unsigned long)code);
        lat[c] = (t1 - st->exit_ns) / 1000;
        cycle[c] = (t1 - t0) / 1000;
    }
    UnmapViewOfFile(st);
    CloseHandle(section);
    out[0] = percentile(lat, EXIT_CYCLES, 50);
    out[1] = percentile(cycle, EXIT_CYCLES, 50);
}

static int child_exit(const char *base)
{
    HANDLE section;
    struct stamp *st = map_named(base, "stamp", 4096, &section);

    CloseHandle(section); /* the process holds nothing when it ends: only exit is timed */
    st->exit_ns = now_ns();
    UnmapViewOfFile(st);
    return 0;
}

/* ---- 10. Scale: 64 processes contending for one named mutex --------------------------- */

struct scale_ctl {
    volatile LONG counter; /* the mutex's data, or the wake acknowledgements */
};

/* SCALE_PROCS helpers `role base index arg`, unpinned (PIN_NONE). */
static void spawn_helpers(const char *role, const char *base, const char *arg, struct proc **procs)
{
    char index[16];

    for (int i = 0; i < SCALE_PROCS; i++) {
        snprintf(index, sizeof index, "%d", i);
        procs[i] = spawn_self(role, base, index, arg);
    }
}

/* ns per lock+unlock, all processes together. */
static void scale_mutex(void *arg, double *out)
{
    const char *base = bench_name("smx");
    char name[160];
    struct proc *procs[64];
    HANDLE section, m, go, ready, done;
    struct scale_ctl *c = map_named(base, "ctl", 4096, &section);
    double t0, t;

    (void)arg;
    snprintf(name, sizeof name, "%s-mutex", base);
    m = CreateMutexA(NULL, FALSE, name);
    go = event_named(base, "go", TRUE);
    ready = semaphore_named(base, "ready", 0, SCALE_PROCS);
    done = semaphore_named(base, "done", 0, SCALE_PROCS);
    spawn_helpers("w32-smutex", base, "", procs);
    for (int i = 0; i < SCALE_PROCS; i++)
        wait_ok(ready);
    t0 = now_ns();
    SetEvent(go);
    for (int i = 0; i < SCALE_PROCS; i++)
        wait_ok(done);
    t = now_ns() - t0;
    for (int i = 0; i < SCALE_PROCS; i++)
        wait_proc(procs[i]);
    if (c->counter != SCALE_PROCS * SCALE_LOCKS)
        fail("scale mutex counted %ld", (long)c->counter);
    UnmapViewOfFile(c);
    CloseHandle(section);
    CloseHandle(m);
    CloseHandle(go);
    CloseHandle(ready);
    CloseHandle(done);
    out[0] = t / ((double)SCALE_PROCS * SCALE_LOCKS);
}

static int child_smutex(const char *base)
{
    char name[160];
    HANDLE section, m, go = event_named(base, "go", TRUE);
    struct scale_ctl *c = map_named(base, "ctl", 4096, &section);

    snprintf(name, sizeof name, "%s-mutex", base);
    m = CreateMutexA(NULL, FALSE, name);
    ReleaseSemaphore(semaphore_named(base, "ready", 0, SCALE_PROCS), 1, NULL);
    wait_ok(go);
    for (int i = 0; i < SCALE_LOCKS; i++) {
        if (WaitForSingleObject(m, 60000) != WAIT_OBJECT_0)
            fail("scale mutex wait");
        c->counter = c->counter + 1;
        ReleaseMutex(m);
    }
    ReleaseSemaphore(semaphore_named(base, "done", 0, SCALE_PROCS), 1, NULL);
    return 0;
}

/* ---- 11. Scale: 64 processes x 64 events, woken in rounds --------------------------- */

static HANDLE wake_event(const char *base, int proc, int i)
{
    char suffix[32];

    snprintf(suffix, sizeof suffix, "e%d-%d", proc, i);
    return event_named(base, suffix, FALSE);
}

/*
 * Each helper waits on its own 64 auto-reset events, for any (the parent sets one per
 * round, a different one each round) or all (the parent sets all 64). A round lasts
 * from the parent's first SetEvent until the last helper has acknowledged; p50 and
 * p99 of SCALE_WAKE_ROUNDS rounds, in microseconds.
 */
static void scale_wake(void *arg, double *out)
{
    bool all = *(const bool *)arg;
    const char *base = bench_name(all ? "wall" : "wany");
    HANDLE section, ready, done, *ev = malloc(sizeof *ev * SCALE_PROCS * SCALE_EVENTS);
    struct scale_ctl *c = map_named(base, "ctl", 4096, &section);
    struct proc *procs[64];
    double lat[256];

    if (!ev)
        fail("no memory");
    ready = semaphore_named(base, "ready", 0, SCALE_PROCS);
    done = event_named(base, "done", FALSE);
    for (int p = 0; p < SCALE_PROCS; p++)
        for (int i = 0; i < SCALE_EVENTS; i++)
            ev[p * SCALE_EVENTS + i] = wake_event(base, p, i);
    spawn_helpers("w32-wake", base, all ? "all" : "any", procs);
    for (int p = 0; p < SCALE_PROCS; p++)
        wait_ok(ready);
    for (int r = 0; r < SCALE_WAKE_ROUNDS; r++) {
        double t0 = now_ns();

        for (int p = 0; p < SCALE_PROCS; p++) {
            if (!all)
                SetEvent(ev[p * SCALE_EVENTS + r % SCALE_EVENTS]);
            else
                for (int i = 0; i < SCALE_EVENTS; i++)
                    SetEvent(ev[p * SCALE_EVENTS + i]);
        }
        wait_ok(done);
        lat[r] = (now_ns() - t0) / 1000;
    }
    for (int p = 0; p < SCALE_PROCS; p++)
        wait_proc(procs[p]);
    for (int i = 0; i < SCALE_PROCS * SCALE_EVENTS; i++)
        CloseHandle(ev[i]);
    free(ev);
    UnmapViewOfFile(c);
    CloseHandle(section);
    CloseHandle(ready);
    CloseHandle(done);
    out[0] = percentile(lat, SCALE_WAKE_ROUNDS, 50);
    out[1] = percentile(lat, SCALE_WAKE_ROUNDS, 99);
}

static int child_wake(const char *base, int proc, bool all)
{
    HANDLE section, ev[SCALE_EVENTS], done = event_named(base, "done", FALSE);
    struct scale_ctl *c = map_named(base, "ctl", 4096, &section);

    for (int i = 0; i < SCALE_EVENTS; i++)
        ev[i] = wake_event(base, proc, i);
    ReleaseSemaphore(semaphore_named(base, "ready", 0, SCALE_PROCS), 1, NULL);
    for (int r = 0; r < SCALE_WAKE_ROUNDS; r++) {
        DWORD want = all ? WAIT_OBJECT_0 : WAIT_OBJECT_0 + (DWORD)(r % SCALE_EVENTS);

        if (WaitForMultipleObjects(SCALE_EVENTS, ev, all, 60000) != want)
            fail("scale wake: wrong result");
        if (InterlockedIncrement(&c->counter) == SCALE_PROCS) {
            InterlockedExchange(&c->counter, 0); /* before done: the next round waits on it */
            SetEvent(done);
        }
    }
    return 0;
}

/* ---- 12. Scale: 100 000 named objects in one process ------------------------------------ */

/*
 * Creates scale_objects named sections (SEC_RESERVE: the namespace is measured, not
 * memory), holding them all, then opens and closes held names, then closes them all.
 * Figures in microseconds per object: the first 1000 creates, the last 1000 (the
 * 100 000th object: nothing may scan what the process already holds), an open+close
 * of a held name with all of them held, and a close.
 */
static void scale_named_objects(void *arg, double *out)
{
    const char *base = bench_name("obj");
    HANDLE *h = malloc(sizeof *h * scale_objects);
    int n = scale_objects, k = n / 100 < 1000 ? n / 100 : 1000;
    char name[160];
    double t0 = 0;

    (void)arg;
    if (!h)
        fail("no memory");
    for (int i = 0; i < n; i++) {
        if (i == 0 || i == n - k)
            t0 = now_ns();
        snprintf(name, sizeof name, "%s-%d", base, i);
        h[i] = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | SEC_RESERVE, 0, 4096,
                                  name);
        if (!h[i] || GetLastError() == ERROR_ALREADY_EXISTS)
            fail("scale objects: create %d: %lu", i, (unsigned long)GetLastError());
        if (i == k - 1)
            out[0] = (now_ns() - t0) / k / 1000;
        if (i == n - 1)
            out[1] = (now_ns() - t0) / k / 1000;
    }
    t0 = now_ns();
    for (int i = 0; i < k; i++) {
        HANDLE o;

        snprintf(name, sizeof name, "%s-%d", base, (int)((i * 7919LL) % n));
        if (!(o = OpenFileMappingA(FILE_MAP_READ, FALSE, name)))
            fail("scale objects: open: %lu", (unsigned long)GetLastError());
        CloseHandle(o);
    }
    out[2] = (now_ns() - t0) / k / 1000;
    t0 = now_ns();
    for (int i = 0; i < n; i++)
        CloseHandle(h[i]);
    out[3] = (now_ns() - t0) / n / 1000;
    free(h);
}

/* ---- Driver --------------------------------------------------------------------------- */

void run_win32_workloads(void)
{
    const struct ring_spec small = {RING_SMALL_ITEM, RING_SMALL_SLOTS, RING_SMALL_ITEMS, false};
    const struct ring_spec large = {RING_LARGE_ITEM, RING_LARGE_SLOTS, RING_LARGE_ITEMS, true};
    static const int first = 1, second = 2, any1 = 1, any8 = 8, any64 = 64;
    static const bool any = false, all = true;
    static const char *const exit_labels[] = {"exit to wake-up", "whole cycle"};
    static const char *const pct[] = {"p50", "p99"};
    static const char *const obj_labels[] = {"create, first 1000", "create, last 1000",
                                             "open+close a held name", "close"};

    measure2("event ping-pong", "winipc auto-reset events", "ns/round trip", false, true, pingpong,
             NULL, 0);
    measure2("mutex handoff", "winipc named mutex", "ns/lock+unlock", false, true, handoff, NULL,
             0);
    measure("uncontended mutex", "winipc Wait+ReleaseMutex", "ns/pair", false, true,
            uncontended_mutex, NULL, 0);
    measure("uncontended event", "winipc SetEvent+Wait", "ns/pair", false, true, uncontended_event,
            NULL, 0);
    measure("uncontended semaphore", "winipc ReleaseSemaphore+Wait", "ns/pair", false, true,
            uncontended_semaphore, NULL, 0);
    measure2("bounded buffer 64 B", "winipc mapping + 2 semaphores", "items/s", true, true, ring,
             &small, sizeof small);
    measure2("bounded buffer 64 KiB", "winipc mapping + 2 semaphores", "MB/s", true, true, ring,
             &large, sizeof large);
    measure("lifecycle 64 KiB mapping", "winipc create/map/touch/unmap/close", "us/cycle", false,
            true, lifecycle, NULL, 0);
    measure("open+close named event", "winipc OpenEvent+CloseHandle", "us/cycle", false, true,
            open_close_event, NULL, 0);
    measure("bandwidth first touch", "winipc view", "GB/s", true, true, bandwidth_view, &first,
            sizeof first);
    measure("bandwidth second touch", "winipc view", "GB/s", true, true, bandwidth_view, &second,
            sizeof second);
    measure2("wait-any round trip", "winipc WFMO over 1 handle", "ns/round trip", false, true,
             wait_any, &any1, sizeof any1);
    measure2("wait-any round trip", "winipc WFMO over 8 handles", "ns/round trip", false, true,
             wait_any, &any8, sizeof any8);
    measure2("wait-any round trip", "winipc WFMO over 64 handles", "ns/round trip", false, true,
             wait_any, &any64, sizeof any64);
    measure2("wait-any round trip, 64 handles", "winipc WFMO", "ns/round trip", false, true,
             wait_any, &any64, sizeof any64);
    measure("wait-any, last of 64 signalled", "winipc SetEvent+WFMO over 64", "ns/pair", false,
            true, wait_last, &any64, sizeof any64);
    measure("wait-any, last of 64 signalled", "winipc SetEvent+WFMO over 1", "ns/pair", false, true,
            wait_last, &any1, sizeof any1);
    if (processes_supported())
        measure_multi("wait for process exit", "winipc CreateProcess+WaitForSingleObject",
                      exit_labels, 2, "us", true, process_exit, NULL, 0, ROUNDS);
    else
        printf("wait for process exit: n/a (CreateProcess is not supported by this backend)\n");
    measure_scale("scale: 64 processes, one mutex", "winipc named mutex", NULL, 1, "ns/lock+unlock",
                  true, scale_mutex, NULL, 0);
    measure_scale("scale: 64 processes x 64 events, wait-any", "winipc WFMO any", pct, 2,
                  "us/round", true, scale_wake, &any, sizeof any);
    measure_scale("scale: 64 processes x 64 events, wait-all", "winipc WFMO all", pct, 2,
                  "us/round", true, scale_wake, &all, sizeof all);
    measure_scale(scale_objects_row, "winipc named sections", obj_labels, 4, "us/object", true,
                  scale_named_objects, NULL, 0);
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
    if (strcmp(role, "w32-exit") == 0)
        return child_exit(argv[0]);
    if (strcmp(role, "w32-smutex") == 0)
        return child_smutex(argv[0]);
    if (strcmp(role, "w32-wake") == 0 && argc >= 3)
        return child_wake(argv[0], atoi(argv[1]), strcmp(argv[2], "all") == 0);
    fprintf(stderr, "unknown role %s\n", role);
    return 100;
}
