/*
 * wait.c - the one wait engine: WaitForSingleObject, WaitForMultipleObjects,
 * SignalObjectAndWait, for every waitable kind.
 *
 * HOW A WAIT WORKS
 *
 * Every waitable object has a 32-bit futex word that changes whenever the object may
 * have become takeable (struct winipc__wait_ops). A wait loops:
 *
 *   1. snapshot the words;
 *   2. try to take the object(s) (kind's try_acquire: a CAS, or a pthread trylock);
 *   3. if that failed and time remains, count itself in each object's `waiters`
 *      and sleep until any word differs from its snapshot (FUTEX_WAIT for one word,
 *      futex_waitv for several), then go to 1.
 *
 * Signallers change the word first and then call FUTEX_WAKE if `waiters` is not 0.
 * Both sides use sequentially consistent atomics, so either the signaller sees the
 * sleeper's count or the sleeper's futex call sees the changed word: no lost wakeup,
 * and no syscall when nobody sleeps. Deadlines are absolute CLOCK_MONOTONIC, so a
 * wait is never early and a spurious wakeup costs nothing.
 *
 * WAIT-ALL IS ATOMIC
 *
 * WaitForMultipleObjects(bWaitAll) must take every object at once or none, and no
 * other waiter, in any process, may see it holding some but not all. Events and
 * semaphores have a robust process-shared "guard" mutex and a guard bit in their
 * word. A wait-all locks the guards of its objects in one global order (device and
 * inode of each object's shm file, the same in every process, so two wait-alls
 * cannot deadlock), sets each guard bit, tries every object, keeps all or gives all
 * back, clears the bits and unlocks. Single takers' CAS fails while the bit is set
 * (try_acquire says WINIPC__WAIT_GUARDED); they then lock and unlock the guard,
 * which waits exactly as long as the wait-all's short critical section. Releases
 * (SetEvent, ReleaseSemaphore) preserve the bit and need no guard: signalling early
 * cannot expose a partial take.
 *
 * A process that dies holding a guard leaves its bit set; the next locker of the
 * guard gets EOWNERDEAD from the robust mutex, clears the bit and wakes sleepers
 * (winipc__guard_lock).
 *
 * Mutexes have no guard: a wait-all takes them with trylock inside the critical
 * section and unlocks them again if another object is not takeable. A mutex's
 * owner dying does not change its word (only the kernel's robust futex knows), so a
 * multi-object wait that includes a mutex sleeps at most 50 ms at a time and retries.
 *
 * Differs from Windows: a WaitForMultipleObjects on a mutex whose owner process died
 * notices within 50 ms, not at once (WaitForSingleObject notices at once). On kernels
 * before 5.16 (no futex_waitv) a multi-object wait polls every 2 ms.
 */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define OWNER_POLL_NS 50000000L /* 50 ms: how late an abandoned mutex can be noticed */

static const struct timespec *deadline_after(DWORD ms, struct timespec *buf)
{
    if (ms == INFINITE)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, buf);
    buf->tv_sec += ms / 1000;
    buf->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (buf->tv_nsec >= 1000000000L) {
        buf->tv_sec++;
        buf->tv_nsec -= 1000000000L;
    }
    return buf;
}

/*
 * A wait's time limit, read from the clock only when the wait first has to block:
 * a wait that succeeds at once costs no clock call, and starting the clock a little
 * later can make a timeout later, never earlier.
 */
struct limit {
    DWORD ms;
    bool known;
    struct timespec at;
};

static const struct timespec *limit_deadline(struct limit *l)
{
    if (l->ms == INFINITE)
        return NULL;
    if (!l->known) {
        deadline_after(l->ms, &l->at);
        l->known = true;
    }
    return &l->at;
}

static bool limit_passed(struct limit *l)
{
    const struct timespec *d;
    struct timespec now;

    if (l->ms == 0)
        return true;
    if (!(d = limit_deadline(l)))
        return false;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > d->tv_sec || (now.tv_sec == d->tv_sec && now.tv_nsec >= d->tv_nsec);
}

int winipc__futex_wait(_Atomic uint32_t *word, uint32_t expected, const struct timespec *deadline,
                       bool shared)
{
    /* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC timeout. */
    return (int)syscall(SYS_futex, word, FUTEX_WAIT_BITSET | (shared ? 0 : FUTEX_PRIVATE_FLAG),
                        expected, deadline, NULL, FUTEX_BITSET_MATCH_ANY);
}

void winipc__futex_wake(_Atomic uint32_t *word, int n, bool shared)
{
    syscall(SYS_futex, word, FUTEX_WAKE | (shared ? 0 : FUTEX_PRIVATE_FLAG), n, NULL, NULL, 0);
}

/*
 * Takes an object's guard, with no time limit even for a wait with one: a wait-all's
 * critical section never blocks and always ends, and a wait that gave up while one
 * was inside it could see objects taken that the wait-all may still give back.
 */
void winipc__guard_lock(struct winipc__object *obj)
{
    const struct winipc__wait_ops *w = obj->ops->wait;
    pthread_mutex_t *guard = w->guard(obj);

    if (pthread_mutex_lock(guard) == EOWNERDEAD) { /* a wait-all died inside it */
        pthread_mutex_consistent(guard);
        atomic_fetch_and(w->word(obj), ~WINIPC__GUARD_BIT);
        if (atomic_load(w->waiters(obj)))
            winipc__futex_wake(w->word(obj), INT_MAX, true);
    }
}

void winipc__guard_unlock(struct winipc__object *obj)
{
    pthread_mutex_unlock(obj->ops->wait->guard(obj));
}

/* One object of a wait. */
struct entry {
    struct winipc__hold hold;
    const struct winipc__wait_ops *w;
    uint32_t snap; /* the word when this round began */
    DWORD how;     /* try_acquire's answer this round */
};

/* Counts the caller in (+1) or out (-1) of every object's sleepers. */
static void count_sleeper(struct entry *e, DWORD n, int delta)
{
    for (DWORD i = 0; i < n; i++)
        atomic_fetch_add(e[i].w->waiters(e[i].hold.obj), (uint32_t)delta);
}

/*
 * Sleeps until a word differs from its snapshot, the deadline passes, or (when a
 * mutex is involved) the owner-poll interval ends. The caller is counted in as a
 * sleeper and took its snapshot and last try after that: a mutex's release bumps
 * its word only when it sees sleepers, so the order matters there.
 */
static void sleep_on(struct entry *e, DWORD n, const struct timespec *deadline)
{
    struct futex_waitv fw[MAXIMUM_WAIT_OBJECTS];
    struct timespec poll, *until = (struct timespec *)deadline;
    bool any_poll = false;
    DWORD i;

    for (i = 0; i < n; i++)
        any_poll |= e[i].w->poll_owner;
    if (any_poll) {
        clock_gettime(CLOCK_MONOTONIC, &poll);
        poll.tv_nsec += OWNER_POLL_NS;
        if (poll.tv_nsec >= 1000000000L) {
            poll.tv_sec++;
            poll.tv_nsec -= 1000000000L;
        }
        if (!deadline || poll.tv_sec < deadline->tv_sec ||
            (poll.tv_sec == deadline->tv_sec && poll.tv_nsec < deadline->tv_nsec))
            until = &poll;
    }
    if (n == 1) {
        winipc__futex_wait(e[0].w->word(e[0].hold.obj), e[0].snap, until, e[0].w->shared);
    } else {
        for (i = 0; i < n; i++) {
            fw[i] = (struct futex_waitv){
                .val = e[i].snap,
                .uaddr = (uintptr_t)e[i].w->word(e[i].hold.obj),
                .flags = FUTEX_32 | (e[i].w->shared ? 0 : FUTEX_PRIVATE_FLAG),
            };
        }
        if (syscall(SYS_futex_waitv, fw, n, 0, until, CLOCK_MONOTONIC) == -1 && errno == ENOSYS) {
            /* Kernels before 5.16: a bounded poll, documented in the README. */
            struct timespec slice;

            deadline_after(2, &slice);
            if (until && (until->tv_sec < slice.tv_sec ||
                          (until->tv_sec == slice.tv_sec && until->tv_nsec < slice.tv_nsec)))
                slice = *until;
            winipc__futex_wait(e[0].w->word(e[0].hold.obj), e[0].snap, &slice, e[0].w->shared);
        }
    }
}

static void snapshot(struct entry *e, DWORD n)
{
    for (DWORD i = 0; i < n; i++)
        e[i].snap = atomic_load(e[i].w->word(e[i].hold.obj));
}

/*
 * One pass over e[0..n): takes the lowest index that can be taken. Returns the wait
 * result, or WAIT_TIMEOUT with *guarded set to an entry a wait-all is holding.
 */
static DWORD try_any(struct entry *e, DWORD n, const uint32_t *slept_on, struct entry **guarded)
{
    *guarded = NULL;
    for (DWORD i = 0; i < n; i++) {
        DWORD r = e[i].w->try_acquire(e[i].hold.obj, slept_on ? &slept_on[i] : NULL, false);

        if (r == WAIT_OBJECT_0 || r == WAIT_ABANDONED)
            return r + i;
        if (r == WAIT_FAILED)
            return r;
        if (r == WINIPC__WAIT_GUARDED && !*guarded)
            *guarded = &e[i];
    }
    return WAIT_TIMEOUT;
}

/* Wait for any one of e[0..n): the lowest index that can be taken is taken. */
static DWORD wait_any(struct entry *e, DWORD n, struct limit *limit)
{
    uint32_t slept_on[MAXIMUM_WAIT_OBJECTS];
    bool slept = false;
    struct entry *guarded;
    DWORD r, i;

    for (;;) {
        r = try_any(e, n, slept ? slept_on : NULL, &guarded);
        if (r == WAIT_TIMEOUT && !guarded && !limit_passed(limit)) {
            count_sleeper(e, n, +1);
            snapshot(e, n);
            r = try_any(e, n, slept ? slept_on : NULL, &guarded);
            if (r == WAIT_TIMEOUT && !guarded) {
                sleep_on(e, n, limit_deadline(limit));
                for (i = 0; i < n; i++)
                    slept_on[i] = e[i].snap;
                slept = true;
            }
            count_sleeper(e, n, -1);
            if (r == WAIT_TIMEOUT && !guarded)
                continue;
        }
        if (!guarded || r != WAIT_TIMEOUT)
            return r;
        /* A wait-all is inside its critical section: let it finish. */
        winipc__guard_lock(guarded->hold.obj);
        winipc__guard_unlock(guarded->hold.obj);
    }
}

/* The global lock order of wait-all: the object's shm file, else its address. */
static int identity_cmp(const void *a, const void *b)
{
    const struct winipc__object *x = ((const struct entry *)a)->hold.obj;
    const struct winipc__object *y = ((const struct entry *)b)->hold.obj;

    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return x < y ? -1 : x > y;
}

/*
 * One attempt at taking all of e[0..n) (sorted by identity) atomically. Returns true
 * with every e[i].how set if all were taken, false if all were given back.
 */
static bool try_all(struct entry *e, DWORD n)
{
    DWORD locked, taken = 0;
    bool ok = true;

    for (locked = 0; locked < n; locked++) {
        struct winipc__object *obj = e[locked].hold.obj;

        if (!e[locked].w->guard)
            continue;
        winipc__guard_lock(obj);
        atomic_fetch_or(e[locked].w->word(obj), WINIPC__GUARD_BIT);
    }
    while (ok && taken < n) {
        e[taken].how = e[taken].w->try_acquire(e[taken].hold.obj, NULL, true);
        ok = e[taken].how == WAIT_OBJECT_0 || e[taken].how == WAIT_ABANDONED;
        taken += ok;
    }
    if (!ok) /* give back, in reverse, what was taken */
        while (taken-- > 0)
            e[taken].w->undo(e[taken].hold.obj, e[taken].how);
    while (locked-- > 0) {
        struct winipc__object *obj = e[locked].hold.obj;

        if (!e[locked].w->guard)
            continue;
        atomic_fetch_and(e[locked].w->word(obj), ~WINIPC__GUARD_BIT);
        winipc__guard_unlock(obj);
        if (atomic_load(e[locked].w->waiters(obj)))
            winipc__futex_wake(e[locked].w->word(obj), INT_MAX, true);
    }
    return ok;
}

static DWORD wait_all(struct entry *e, DWORD n, struct limit *limit)
{
    bool taken = false;
    DWORD i;

    qsort(e, n, sizeof *e, identity_cmp);
    for (i = 1; i < n; i++)
        if (e[i].hold.obj == e[i - 1].hold.obj) /* NT: STATUS_INVALID_PARAMETER_MIX */
            return winipc__fail(WAIT_FAILED, ERROR_INVALID_PARAMETER);
    while (!(taken = try_all(e, n))) {
        if (limit_passed(limit))
            return WAIT_TIMEOUT;
        count_sleeper(e, n, +1);
        snapshot(e, n); /* taken before try_all sets guard bits, which it clears again */
        taken = try_all(e, n);
        if (!taken)
            sleep_on(e, n, limit_deadline(limit));
        count_sleeper(e, n, -1);
        if (taken)
            break;
    }
    /* Windows documents no index for an abandoned mutex in a wait-all: the result is
       WAIT_ABANDONED_0 (as Wine returns). */
    for (i = 0; i < n; i++)
        if (e[i].how == WAIT_ABANDONED)
            return WAIT_ABANDONED_0;
    return WAIT_OBJECT_0;
}

/* Whether a held handle can be waited on; sets the error and releases it if not. */
static bool waitable(struct entry *e)
{
    DWORD err = 0;

    e->w = e->hold.obj->ops->wait;
    /* The access check comes first, as in NT: a section handle never has SYNCHRONIZE,
       so waiting on one is ERROR_ACCESS_DENIED. */
    if (!(e->hold.access & SYNCHRONIZE))
        err = ERROR_ACCESS_DENIED;
    else if (!e->w)
        err = ERROR_INVALID_HANDLE;
    if (err) {
        winipc__handle_release(&e->hold);
        winipc__set_error(err);
    }
    return err == 0;
}

/* Holds every handle; WAIT_FAILED with the error set if one is unusable. */
static bool hold_all(struct entry *e, DWORD n, const HANDLE *handles)
{
    DWORD i;

    for (i = 0; i < n; i++)
        if (!winipc__handle_hold(handles[i], 0, &e[i].hold) || !waitable(&e[i]))
            break;
    if (i == n)
        return true;
    while (i-- > 0)
        winipc__handle_release(&e[i].hold);
    return false;
}

static void release_all(struct entry *e, DWORD n)
{
    for (DWORD i = 0; i < n; i++)
        winipc__handle_release(&e[i].hold);
}

/* A single wait that must block, out of line to keep the fast path lean. */
static __attribute__((noinline)) DWORD wait_single_blocking(struct entry *e, DWORD ms)
{
    struct limit limit = {.ms = ms};

    if (e->w->wait_single)
        return e->w->wait_single(e->hold.obj, limit_deadline(&limit));
    return wait_any(e, 1, &limit);
}

/*
 * The calling process and thread never end while they wait on themselves: such a
 * wait times out, as on Windows.
 */
static DWORD wait_on_self(DWORD ms)
{
    Sleep(ms);
    return WAIT_TIMEOUT;
}

/*
 * The alertable flag is accepted and ignored: there are no APCs, so
 * WAIT_IO_COMPLETION is never returned.
 * Differs from Windows: WaitForMultipleObjects does not accept the pseudo-handles of
 * GetCurrentProcess and GetCurrentThread (WAIT_FAILED, ERROR_INVALID_HANDLE).
 */
DWORD WINAPI WaitForSingleObjectEx(HANDLE h, DWORD ms, BOOL alertable)
{
    struct entry e;
    DWORD r;

    (void)alertable;
    if (h == WINIPC__PSEUDO_PROCESS || h == WINIPC__PSEUDO_THREAD)
        return wait_on_self(ms);
    if (!winipc__handle_hold_brief(h, 0, &e.hold) || !waitable(&e))
        return WAIT_FAILED;
    /* The fast path: a free object is taken with one CAS or trylock. */
    r = e.w->try_acquire(e.hold.obj, NULL, false);
    if (r == WINIPC__WAIT_GUARDED || (r == WAIT_TIMEOUT && ms != 0)) {
        if (!winipc__handle_keep(&e.hold)) /* blocking: count the hold */
            return WAIT_FAILED;
        r = wait_single_blocking(&e, ms);
    }
    winipc__handle_release(&e.hold);
    return r;
}

DWORD WINAPI WaitForSingleObject(HANDLE h, DWORD ms)
{
    return WaitForSingleObjectEx(h, ms, FALSE);
}

DWORD WINAPI WaitForMultipleObjectsEx(DWORD n, const HANDLE *handles, BOOL all, DWORD ms,
                                      BOOL alertable)
{
    struct entry e[MAXIMUM_WAIT_OBJECTS];
    struct limit limit = {.ms = ms};
    DWORD r;

    (void)alertable;
    if (n == 0 || n > MAXIMUM_WAIT_OBJECTS)
        return winipc__fail(WAIT_FAILED, ERROR_INVALID_PARAMETER);
    if (!handles)
        return winipc__fail(WAIT_FAILED, ERROR_NOACCESS);
    if (!hold_all(e, n, handles))
        return WAIT_FAILED;
    r = all ? wait_all(e, n, &limit) : wait_any(e, n, &limit);
    release_all(e, n);
    return r;
}

DWORD WINAPI WaitForMultipleObjects(DWORD n, const HANDLE *handles, BOOL all, DWORD ms)
{
    return WaitForMultipleObjectsEx(n, handles, all, ms, FALSE);
}

/* Signals one object (release a mutex, set an event, release a semaphore by one), then
   waits on another. */
DWORD WINAPI SignalObjectAndWait(HANDLE to_signal, HANDLE to_wait, DWORD ms, BOOL alertable)
{
    struct winipc__hold hold;
    DWORD err = ERROR_INVALID_HANDLE;

    if (!winipc__handle_hold(to_signal, 0, &hold))
        return WAIT_FAILED;
    if (hold.obj->ops->wait && hold.obj->ops->wait->signal)
        err = hold.obj->ops->wait->signal(hold.obj, hold.access);
    winipc__handle_release(&hold);
    if (err)
        return winipc__fail(WAIT_FAILED, err);
    return WaitForSingleObjectEx(to_wait, ms, alertable);
}
