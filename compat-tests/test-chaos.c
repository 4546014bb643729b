/*
 * test-chaos.c - workers do random operations on shared names while the test kills
 * them at random (SIGKILL; TerminateProcess on Windows) and starts new ones. After
 * CHAOS_MS of that:
 *
 *   - nothing is stuck: the mutex can be taken, every wait ended within its limit;
 *   - the counter is exact: it is changed only under the named mutex, with a
 *     write-ahead record that whoever gets WAIT_ABANDONED completes;
 *   - no signal was lost: the workers' wait-all can never succeed (an auto-reset
 *     event that is set, a semaphore at 1 of 1, an empty semaphore), so however often
 *     they die inside it, the event is still set and the first semaphore still full;
 *   - nothing is left behind once the holders are gone.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORKERS 4
#define CHAOS_MS 15000

/* The section's contents. */
struct shared {
    volatile LONG counter;
    volatile LONG per_worker[64]; /* increments by each worker id */
    struct {
        volatile LONG pending;       /* 1 while an increment is being applied */
        volatile LONG worker;        /* whose */
        volatile LONG counter, mine; /* the values it is writing */
    } wal;
    volatile LONG abandoned;  /* how often a worker found the mutex abandoned */
    volatile LONG unreported; /* a record left pending, yet WAIT_OBJECT_0 */
    volatile LONG wait_all_done;
};

static void object_names(const char *base, char names[6][160])
{
    static const char *const tags[6] = {"mutex", "section", "event", "sem1", "sem0", "churn"};

    for (int i = 0; i < 6; i++)
        snprintf(names[i], 160, "%s-%s", base, tags[i]);
}

/* Completes an increment whose worker died between the record and its end. */
static void repair(struct shared *s)
{
    if (s->wal.pending) {
        s->counter = s->wal.counter;
        s->per_worker[s->wal.worker] = s->wal.mine;
        s->wal.pending = 0;
    }
}

/* One increment under the mutex; false if the mutex could not be had in time. */
static bool increment(HANDLE m, struct shared *s, int id)
{
    DWORD r = WaitForSingleObject(m, 5000);

    if (r == WAIT_ABANDONED) {
        InterlockedIncrement(&s->abandoned);
    } else if (r != WAIT_OBJECT_0) {
        return false;
    } else if (s->wal.pending) {
        InterlockedIncrement(&s->unreported); /* its owner died: that is abandonment */
    }
    repair(s);
    /* The record first, then the values, then the end of the record. */
    s->wal.worker = id;
    s->wal.counter = s->counter + 1;
    s->wal.mine = s->per_worker[id] + 1;
    s->wal.pending = 1;
    for (volatile int spin = 0; spin < 20000; spin++) /* a window for the killer */
        ;
    s->counter = s->wal.counter;
    s->per_worker[id] = s->wal.mine;
    s->wal.pending = 0;
    ReleaseMutex(m);
    return true;
}

/* Helper: one worker, argv[0] the base name, argv[1] its id; runs until killed. */
static int role_chaos_worker(int argc, char **argv)
{
    char names[6][160];
    HANDLE m, sec, all[3];
    struct shared *s;
    int id;

    if (argc < 2)
        return 10;
    id = atoi(argv[1]);
    object_names(argv[0], names);
    m = OpenMutexA(SYNCHRONIZE, FALSE, names[0]);
    sec = OpenFileMappingA(FILE_MAP_WRITE, FALSE, names[1]);
    all[0] = OpenEventA(SYNCHRONIZE, FALSE, names[2]);
    all[1] = OpenSemaphoreA(SYNCHRONIZE, FALSE, names[3]);
    all[2] = OpenSemaphoreA(SYNCHRONIZE, FALSE, names[4]);
    s = sec ? MapViewOfFile(sec, FILE_MAP_WRITE, 0, 0, 0) : NULL;
    if (!m || !s || !all[0] || !all[1] || !all[2])
        return 11;
    srand((unsigned)GetCurrentProcessId());
    for (;;) {
        switch (rand() % 6) {
        case 0:
        case 1:
        case 5:
            if (!increment(m, s, id))
                return 12;
            break;
        case 2: /* the wait-all that can never succeed */
            if (WaitForMultipleObjects(3, all, TRUE, (DWORD)(rand() % 3)) != WAIT_TIMEOUT)
                InterlockedIncrement(&s->wait_all_done);
            break;
        case 3: { /* names come and go */
            HANDLE e = CreateEventA(NULL, TRUE, FALSE, names[5]);
            HANDLE v =
                CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536, NULL);
            void *p = v ? MapViewOfFile(v, FILE_MAP_WRITE, 0, 0, 0) : NULL;

            if (p) {
                memset(p, id, 65536);
                UnmapViewOfFile(p);
            }
            if (v)
                CloseHandle(v);
            if (e)
                CloseHandle(e);
            break;
        }
        case 4: /* a wait that never succeeds */
            if (WaitForSingleObject(all[2], (DWORD)(rand() % 2)) != WAIT_TIMEOUT)
                InterlockedIncrement(&s->wait_all_done);
            break;
        }
    }
}

static void test_chaos(void)
{
    const char *base = test_name("chaos");
    char names[6][160], arg[16];
    struct child *w[WORKERS];
    HANDLE m, sec, ev, sem1, sem0;
    struct shared *s;
    double end;
    int kills = 0, i;
    LONG sum = 0, previous;

    object_names(base, names);
    m = CreateMutexA(NULL, FALSE, names[0]);
    sec = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, sizeof *s, names[1]);
    ev = CreateEventA(NULL, FALSE, TRUE, names[2]);
    sem1 = CreateSemaphoreA(NULL, 1, 1, names[3]);
    sem0 = CreateSemaphoreA(NULL, 0, 1, names[4]);
    s = sec ? MapViewOfFile(sec, FILE_MAP_WRITE, 0, 0, 0) : NULL;
    CU_ASSERT_FATAL(m && s && ev && sem1 && sem0);
    for (i = 0; i < WORKERS; i++) {
        snprintf(arg, sizeof arg, "%d", i);
        w[i] = child_spawn("chaos-worker", base, arg);
        CU_ASSERT_PTR_NOT_NULL_FATAL(w[i]);
    }
    srand(12345);
    end = now_ms() + CHAOS_MS;
    while (now_ms() < end) {
        int victim = rand() % WORKERS;

        Sleep((DWORD)(rand() % 25));
        child_kill(w[victim]);
        kills++;
        snprintf(arg, sizeof arg, "%d", victim);
        w[victim] = child_spawn("chaos-worker", base, arg);
        CU_ASSERT_PTR_NOT_NULL_FATAL(w[victim]);
    }
    for (i = 0; i < WORKERS; i++)
        child_kill(w[i]);

    /* Nothing stuck; the counter exact once the record is applied. */
    i = (int)WaitForSingleObject(m, 10000);
    CU_ASSERT(i == WAIT_OBJECT_0 || i == WAIT_ABANDONED);
    repair(s);
    for (i = 0; i < WORKERS; i++)
        sum += s->per_worker[i];
    printf("\n    %d kills; %ld increments, %ld abandonments repaired, %ld unreported\n    ", kills,
           (long)s->counter, (long)s->abandoned, (long)s->unreported);
    CU_ASSERT(s->counter > 0);
    CU_ASSERT(s->abandoned > 0); /* the kills did land inside the mutex */
    /* Every death inside the mutex was reported as WAIT_ABANDONED, and so the counter
       is exact. (Under Wine a terminated process can still write after its mutex went
       to the next waiter, without an abandonment.) */
    if (!skipped_on_wine("TerminateProcess stops the process before its mutexes are "
                         "handed on as abandoned")) {
        CU_ASSERT_EQUAL(s->unreported, 0);
        CU_ASSERT_EQUAL(s->counter, sum);
    }
    CU_ASSERT_TRUE(ReleaseMutex(m));
    /* No signal lost to a dead wait-all, and none ever succeeded. */
    CU_ASSERT_EQUAL(s->wait_all_done, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    CU_ASSERT_FALSE(ReleaseSemaphore(sem1, 1, &previous));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_TOO_MANY_POSTS); /* still 1 of 1 */
    CU_ASSERT_EQUAL(WaitForSingleObject(sem0, 0), WAIT_TIMEOUT);

    UnmapViewOfFile(s);
    CloseHandle(m);
    CloseHandle(sec);
    CloseHandle(ev);
    CloseHandle(sem1);
    CloseHandle(sem0);
    /* Whatever the killed workers held alone is swept by the next process that
       starts; then nothing of this test is left. */
    CU_ASSERT_EQUAL(child_wait(child_spawn("idle", NULL, NULL), CHILD_LIMIT_MS), 0);
    CU_ASSERT_EQUAL(shm_leftovers(base), 0);
}

CU_TestInfo test_chaos_tests[] = {
    {"random work under random SIGKILL: no hang, exact counters, no lost signal, no leftover",
     test_chaos},
    CU_TEST_INFO_NULL,
};

const struct test_role test_chaos_roles[] = {
    {"chaos-worker", role_chaos_worker},
    {NULL, NULL},
};
