/*
 * wait.c - the one wait engine: WaitForSingleObject, WaitForMultipleObjects,
 * SignalObjectAndWait, for every waitable kind.
 *
 * HOW A WAIT WORKS
 *
 * Every waitable object has a wait state (struct winipc__wait_state): a state word
 * that changes whenever the object may have become takeable, and a `sleepers` word,
 * epoch << 1 | SLEEPING, that threads sleep on. A wait loops:
 *
 *   1. try to take the object(s) (the kind's try_acquire: a CAS, or a trylock);
 *   2. if that failed and time remains, raise SLEEPING in each object's sleepers word
 *      and remember that word, take a snapshot of the state words (for the kinds that
 *      release whoever slept through a change: event.c, timer.c), try again (a
 *      wait-all first looks, see all_may_be_ready), and sleep until any sleepers word
 *      differs from what we remembered (FUTEX_WAIT for one, futex_waitv for
 *      several); go to 1.
 *
 * Signallers change the state word first and then, if SLEEPING is raised, move the
 * sleepers word to the next epoch (which clears SLEEPING) and FUTEX_WAKE every
 * sleeper. Both sides use sequentially consistent atomics, so either the signaller
 * sees SLEEPING, and the epoch moves on before the sleeper sleeps or wakes it, or the
 * sleeper's last try sees the changed state: no lost wakeup, and no syscall when
 * nobody sleeps. Sleeping on the epoch rather than on the state word matters: a state
 * word can return to the value a sleeper saw (an auto-reset event set and taken by a
 * third thread) after a signaller cleared SLEEPING, and a sleeper on it would then
 * sleep through every later signal. The epoch only moves forward (31 bits: it would
 * take 2^31 wake-ups inside one sleeper's last try to come round). SLEEPING is a
 * flag, not a count: a sleeper killed in its sleep costs the next signaller one
 * wake-up and is forgotten (a count would stay wrong forever). Deadlines are
 * absolute CLOCK_MONOTONIC, so a wait is never early and a spurious wakeup costs
 * nothing.
 *
 * WAIT-ALL IS ATOMIC
 *
 * WaitForMultipleObjects(bWaitAll) must take every object at once or none, and no
 * other waiter, in any process, may see it holding some but not all -- even when its
 * process is killed at any instruction. Every shared waitable has a robust,
 * process-shared "guard" mutex in its state. A wait-all locks the guards of its
 * objects in one global order (device and inode of each object's file, the same in
 * every process, so two wait-alls cannot deadlock), sets the guard bit in the words
 * of events and semaphores, tries every object, and then either commits every take
 * or gives every take back, clears the bits and unlocks. Single takers' CAS fails
 * while the bit is set (try_acquire says WINIPC__WAIT_GUARDED); they then wait on
 * the guard, which lasts as long as the wait-all's short critical section.
 * Releases (SetEvent, ReleaseSemaphore, ReleaseMutex) need no guard: signalling
 * early cannot expose a partial take.
 *
 * Each take under the guards is marked in the same atomic step that takes it (the
 * taken bit of an event's or semaphore's word; a mutex records the taking thread
 * before its trylock), and the marks are cleared when the wait-all commits. A
 * process that dies inside the critical section leaves its guards owned by a dead
 * thread: whoever locks such a guard next gets EOWNERDEAD from the robust mutex,
 * gives the marked take back (the kind's recover), clears a stale guard bit and
 * wakes the sleepers; a mutex taken by a dead wait-all is not reported abandoned
 * (mutex.c). So a wait-all killed before it returned has taken nothing. One window
 * remains: a kill between the first and the last commit of a succeeding wait-all
 * (a few atomic stores) keeps the takes already committed and gives the rest back.
 *
 * Guards are locked with the caller's deadline (plus GUARD_GRACE_MS, the time a live
 * wait-all needs to finish, so that a poll does not fail on an object a wait-all is
 * about to give back): a process stopped inside its critical section makes others
 * time out, never ignore their limits. A guard bit found set by whoever holds the
 * guard is stale (a dead wait-all, or a page someone scribbled on) and is cleared.
 *
 * Mutexes have no guard bit: a wait-all takes them with trylock inside the critical
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
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define OWNER_POLL_NS 50000000L /* 50 ms: how late an abandoned mutex can be noticed */
#define GUARD_GRACE_MS 5        /* how long anyone waits for a wait-all to finish */

static void add_ms(struct timespec *t, long ms)
{
    t->tv_sec += ms / 1000;
    t->tv_nsec += (ms % 1000) * 1000000L;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

static bool before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
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
        clock_gettime(CLOCK_MONOTONIC, &l->at);
        add_ms(&l->at, l->ms);
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
    return !before(&now, d);
}

/* The deadline for waiting on a guard: the wait's own, but at least the grace. */
static const struct timespec *guard_deadline(struct limit *l, struct timespec *buf)
{
    const struct timespec *d = limit_deadline(l);

    if (!d)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, buf);
    add_ms(buf, GUARD_GRACE_MS);
    if (before(buf, d))
        *buf = *d;
    return buf;
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

int winipc__robust_mutex_init(pthread_mutex_t *m, bool recursive)
{
    pthread_mutexattr_t a;
    int err;

    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (recursive)
        pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    err = pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
    return err;
}

int winipc__wait_state_init(struct winipc__wait_state *ws, uint32_t word)
{
    atomic_init(&ws->word, word);
    return winipc__robust_mutex_init(&ws->guard, false);
}

/* ---- Guards ---------------------------------------------------------------------------- */

static struct winipc__wait_state *wstate(struct winipc__object *obj)
{
    return obj->ops->wait->state(obj);
}

static bool has_guard_bit(struct winipc__object *obj)
{
    return obj->ops->wait->guard_bit;
}

/*
 * Locks an object's guard by `deadline` (NULL: no limit), repairing what a wait-all
 * that died inside its critical section left behind. Returns 0, ETIMEDOUT, or another
 * error for a guard that is not a working mutex (a page written by someone else).
 */
static int guard_lock(struct winipc__object *obj, const struct timespec *deadline)
{
    struct winipc__wait_state *ws = wstate(obj);
    int r = deadline ? pthread_mutex_clocklock(&ws->guard, CLOCK_MONOTONIC, deadline)
                     : pthread_mutex_lock(&ws->guard);

    if (r == EOWNERDEAD) {
        if (obj->ops->wait->recover)
            obj->ops->wait->recover(obj);
        pthread_mutex_consistent(&ws->guard);
        r = 0;
    }
    if (r != 0)
        return r;
    /* We hold the guard, so nobody else can have set the bit: it is stale. */
    if (has_guard_bit(obj) && (atomic_load(&ws->word) & WINIPC__GUARD_BIT)) {
        atomic_fetch_and(&ws->word, ~WINIPC__GUARD_BIT);
        winipc__wake_sleepers(ws, true);
    }
    return 0;
}

/* False if the guard turned out not to be ours (its page was written by someone). */
static bool guard_unlock(struct winipc__object *obj)
{
    return winipc__checked(pthread_mutex_unlock(&wstate(obj)->guard) == 0);
}

/*
 * Waits until the wait-all holding obj's guard is done: WAIT_TIMEOUT if the deadline
 * (with its grace) passed first, WAIT_FAILED (ERROR_INVALID_HANDLE) if the guard is
 * broken, else 0 to try again.
 */
static DWORD await_guard(struct winipc__object *obj, struct limit *limit)
{
    struct timespec buf;
    int r = guard_lock(obj, guard_deadline(limit, &buf));

    if (r == ETIMEDOUT)
        return WAIT_TIMEOUT;
    if (r != 0 || !guard_unlock(obj))
        return winipc__fail(WAIT_FAILED, ERROR_INVALID_HANDLE);
    return 0;
}

/* ---- Sleeping ----------------------------------------------------------------------- */

/* One object of a wait. */
struct entry {
    struct winipc__hold hold;
    const struct winipc__wait_ops *w;
    struct winipc__wait_state *ws;
    uint32_t epoch; /* the sleepers word we sleep on, with SLEEPING raised */
    uint32_t snap;  /* the state word when this round began */
    DWORD how;      /* try_acquire's answer this round */
};

/* Raises SLEEPING on every object (signallers will wake us) and snapshots the
   state words; the caller then tries once more before it sleeps. */
static void prepare_sleep(struct entry *e, DWORD n)
{
    for (DWORD i = 0; i < n; i++) {
        _Atomic uint32_t *sl = &e[i].ws->sleepers;
        uint32_t w = atomic_load(sl);

        while (!(w & WINIPC__SLEEPING) &&
               !atomic_compare_exchange_weak(sl, &w, w | WINIPC__SLEEPING))
            ;
        e[i].epoch = w | WINIPC__SLEEPING;
    }
    for (DWORD i = 0; i < n; i++)
        e[i].snap = atomic_load(&e[i].ws->word);
}

/*
 * Sleeps until a sleepers word moves on from its epoch, the deadline passes, (when a
 * mutex is involved) the owner-poll interval ends, or an object that becomes
 * takeable by itself (a timer's due time: wake_at) may have. The caller ran
 * prepare_sleep and its last try after that.
 */
static void sleep_on(struct entry *e, DWORD n, const struct timespec *deadline)
{
    struct futex_waitv fw[MAXIMUM_WAIT_OBJECTS];
    struct timespec poll, wake, *until = (struct timespec *)deadline;
    bool any_poll = false;
    DWORD i;

    for (i = 0; i < n; i++)
        any_poll |= e[i].w->poll_owner;
    if (any_poll) {
        clock_gettime(CLOCK_MONOTONIC, &poll);
        add_ms(&poll, OWNER_POLL_NS / 1000000L);
        if (!deadline || before(&poll, deadline))
            until = &poll;
    }
    /* A timer changes no word when it comes due: nobody is there to change it. The
       sleep ends at the due time instead, and the next try fires the timer. */
    for (i = 0; i < n; i++) {
        struct timespec at;

        if (e[i].w->wake_at && e[i].w->wake_at(e[i].hold.obj, &at) &&
            (!until || before(&at, until))) {
            wake = at;
            until = &wake;
        }
    }
    if (n == 1) {
        winipc__futex_wait(&e[0].ws->sleepers, e[0].epoch, until, e[0].w->shared);
        return;
    }
    for (i = 0; i < n; i++) {
        fw[i] = (struct futex_waitv){
            .val = e[i].epoch,
            .uaddr = (uintptr_t)&e[i].ws->sleepers,
            .flags = FUTEX_32 | (e[i].w->shared ? 0 : FUTEX_PRIVATE_FLAG),
        };
    }
    if (syscall(SYS_futex_waitv, fw, n, 0, until, CLOCK_MONOTONIC) == -1 && errno == ENOSYS) {
        /* Kernels before 5.16: a bounded poll, documented in the README. */
        struct timespec slice;

        clock_gettime(CLOCK_MONOTONIC, &slice);
        add_ms(&slice, 2);
        if (until && before(until, &slice))
            slice = *until;
        winipc__futex_wait(&e[0].ws->sleepers, e[0].epoch, &slice, e[0].w->shared);
    }
}

/* ---- Wait-any ---------------------------------------------------------------------- */

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
            prepare_sleep(e, n);
            r = try_any(e, n, slept ? slept_on : NULL, &guarded);
            if (r == WAIT_TIMEOUT && !guarded) {
                sleep_on(e, n, limit_deadline(limit));
                for (i = 0; i < n; i++)
                    slept_on[i] = e[i].snap;
                slept = true;
                continue;
            }
        }
        if (!guarded || r != WAIT_TIMEOUT)
            return r;
        /* A wait-all is inside its critical section: let it finish, within limits. */
        if ((r = await_guard(guarded->hold.obj, limit)) != 0)
            return r;
    }
}

/* ---- Wait-all ---------------------------------------------------------------------- */

/* The global lock order of wait-all: the object's file, else its address. */
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

static bool guarded_kind(const struct entry *e)
{
    return e->w->shared;
}

/*
 * Clears the guard bits of e[0..locked) and unlocks their guards. False if a guard
 * would not unlock (see guard_unlock). No wake-up is needed here: a word returns to
 * what it was, or changed by takes that made nothing more available; try_all has
 * already woken the sleepers of anything it gave back (all_may_be_ready), and nobody
 * else sleeps on a word whose guard bit it saw set (it waits on the guard instead).
 */
static bool unlock_guards(struct entry *e, DWORD locked)
{
    bool ok = true;

    while (locked-- > 0) {
        struct winipc__object *obj = e[locked].hold.obj;

        if (!guarded_kind(&e[locked]))
            continue;
        if (has_guard_bit(obj))
            atomic_fetch_and(&e[locked].ws->word, ~WINIPC__GUARD_BIT);
        ok &= guard_unlock(obj);
    }
    return ok;
}

/*
 * One attempt at taking all of e[0..n) (sorted by identity) atomically: WAIT_OBJECT_0
 * with every e[i].how set if all were taken, WAIT_TIMEOUT if all were given back (or
 * the guards could not be had in time: *late), WAIT_FAILED with the error set.
 */
static DWORD try_all(struct entry *e, DWORD n, struct limit *limit, bool *late)
{
    DWORD locked, taken = 0, how = WAIT_TIMEOUT; /* the last take's answer */
    struct timespec buf;
    bool ok = true;

    *late = false;
    for (locked = 0; locked < n; locked++) {
        struct winipc__object *obj = e[locked].hold.obj;
        int r;

        if (!guarded_kind(&e[locked]))
            continue;
        r = guard_lock(obj, guard_deadline(limit, &buf));
        if (r != 0) {
            unlock_guards(e, locked);
            if (r == ETIMEDOUT) {
                *late = true;
                return WAIT_TIMEOUT;
            }
            return winipc__fail(WAIT_FAILED, ERROR_INVALID_HANDLE);
        }
        if (has_guard_bit(obj))
            atomic_fetch_or(&e[locked].ws->word, WINIPC__GUARD_BIT);
    }
    /* Look first: a wait-all that cannot succeed takes nothing, so it changes no word
       that it (or anyone) sleeps on, and a kill here costs nothing. */
    for (DWORD i = 0; ok && i < n; i++)
        ok = !e[i].w->ready || e[i].w->ready(e[i].hold.obj);
    while (ok && taken < n) {
        how = e[taken].how = e[taken].w->try_acquire(e[taken].hold.obj, NULL, true);
        ok = how == WAIT_OBJECT_0 || how == WAIT_ABANDONED;
        taken += ok;
    }
    if (ok) { /* the commit: from here on the takes stand */
        for (DWORD i = 0; i < n; i++)
            if (e[i].w->commit)
                e[i].w->commit(e[i].hold.obj);
    } else { /* give back, in reverse, what was taken */
        while (taken-- > 0) {
            e[taken].w->undo(e[taken].hold.obj, e[taken].how);
            /* Another wait-all may have looked (all_may_be_ready) while we held the
               take and gone to sleep: it must learn that it is back, and before our
               guard bit goes (see all_may_be_ready). The kinds whose take changes
               the word are those with a recover; a mutex's undo is a release, which
               wakes by itself. */
            if (e[taken].w->recover)
                winipc__wake_sleepers(e[taken].ws, e[taken].w->shared);
        }
    }
    if (!unlock_guards(e, n))
        return winipc__fail(WAIT_FAILED, ERROR_INVALID_HANDLE);
    if (how == WAIT_FAILED) /* the take set the error */
        return WAIT_FAILED;
    return ok ? WAIT_OBJECT_0 : WAIT_TIMEOUT;
}

/*
 * Whether a wait-all should try (lock the guards): false when, at a look without the
 * guards, some object is not ready and no wait-all holds its guard. A wait-all that
 * is woken by one of its 64 objects while others are still unset then goes back to
 * sleep after 64 reads, instead of locking and unlocking 64 guards twice.
 *
 * Sleeping on that answer (after prepare_sleep raised SLEEPING) loses no wake-up. An
 * object that is not ready becomes ready by a signal, which wakes us (wait.c's first
 * rule), or by the give-back of a take that another wait-all made under its guard:
 * such a take is marked in the word with the guard bit set, and try_all wakes the
 * sleepers after the give-back and before it clears the bit. So if our look saw a
 * take that will be given back, either the guard bit was still set when we read it
 * after the look (we try, and wait on that guard), or the wake-up came after our
 * SLEEPING (it followed the give-back, which followed our look). A wait-all that died
 * holding a take leaves the guard bit set, and its recovery wakes the sleepers too.
 * The bit is read after ready() for that reason. A mutex has no bit: a wait-all's
 * give-back of a mutex is a release, which wakes; an owner's death is seen by the
 * look (mutex_ready) after at most the owner-poll interval.
 */
static bool all_may_be_ready(struct entry *e, DWORD n)
{
    for (DWORD i = 0; i < n; i++) {
        struct winipc__object *obj = e[i].hold.obj;

        if (!e[i].w->ready || e[i].w->ready(obj))
            continue;
        return guarded_kind(&e[i]) && has_guard_bit(obj) &&
               (atomic_load(&e[i].ws->word) & WINIPC__GUARD_BIT);
    }
    return true;
}

static DWORD wait_all(struct entry *e, DWORD n, struct limit *limit)
{
    bool late = false;
    DWORD r, i;

    qsort(e, n, sizeof *e, identity_cmp);
    for (i = 1; i < n; i++)
        if (e[i].hold.obj == e[i - 1].hold.obj) /* NT: STATUS_INVALID_PARAMETER_MIX */
            return winipc__fail(WAIT_FAILED, ERROR_INVALID_PARAMETER);
    for (;;) {
        r = all_may_be_ready(e, n) ? try_all(e, n, limit, &late) : WAIT_TIMEOUT;
        if (r != WAIT_TIMEOUT || late || limit_passed(limit))
            break;
        prepare_sleep(e, n); /* snapshots before try_all sets guard bits (cleared again) */
        r = all_may_be_ready(e, n) ? try_all(e, n, limit, &late) : WAIT_TIMEOUT;
        if (r != WAIT_TIMEOUT || late)
            break;
        sleep_on(e, n, limit_deadline(limit));
    }
    if (r != WAIT_OBJECT_0)
        return r;
    /* Windows documents no index for an abandoned mutex in a wait-all: the result is
       WAIT_ABANDONED_0 (as Wine returns). */
    for (i = 0; i < n; i++)
        if (e[i].how == WAIT_ABANDONED)
            return WAIT_ABANDONED_0;
    return WAIT_OBJECT_0;
}

/* ---- The API ------------------------------------------------------------------------- */

/* Whether a held handle can be waited on; sets the error and releases it if not.
   Sets e->w; e->ws is left to the paths that sleep (wait_state). */
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
        return false;
    }
    return true;
}

static void wait_state(struct entry *e)
{
    e->ws = e->w->state(e->hold.obj);
}

/* Holds every handle; WAIT_FAILED with the error set if one is unusable. */
static bool hold_all(struct entry *e, DWORD n, const HANDLE *handles)
{
    DWORD i;

    for (i = 0; i < n; i++) {
        if (!winipc__handle_hold(handles[i], 0, &e[i].hold) || !waitable(&e[i]))
            break;
        wait_state(&e[i]);
    }
    if (i == n)
        return true;
    while (i-- > 0)
        winipc__handle_release(&e[i].hold);
    return false;
}

#define NOT_FAST 0xFFFFFFFFu /* any_fast's "take the full path" */

/*
 * The fast path of a wait-any whose object is already there (WaitForMultipleObjects
 * over 64 handles with the last one set, say): one pass of brief holds, which cost no
 * atomic read-modify-write, checks every handle as the full path does before it takes
 * anything, and looks (ready: a read, no take) for the lowest object that can be
 * taken (a mutex counts as one: see below); that one alone is then tried. The full path holds every handle with a
 * counted hold, two atomic read-modify-writes each, and is needed only to sleep.
 * Returns the wait's result when an object was taken, WAIT_FAILED with the error set
 * for an unusable handle, or NOT_FAST: nothing is ready, a take lost a race, or a
 * wait-all's guard is in the way -- the full path then starts from the beginning, so
 * the fast path changes nothing about sleeping and its wake-up rules, and a poll
 * (ms 0) still waits out a wait-all's critical section there. Taking the lowest ready
 * index seen in one pass is what try_any does too: a wait-any picks among the objects
 * as they were at slightly different moments, never one that was not signalled.
 */
static DWORD any_fast(DWORD n, const HANDLE *handles)
{
    struct entry e;
    DWORD first = n, r;

    for (DWORD i = 0; i < n; i++) {
        if (!winipc__handle_hold_brief(handles[i], 0, &e.hold) || !waitable(&e))
            return WAIT_FAILED;
        /* A mutex whose owner died looks owned (only its trylock learns otherwise):
           it is tried, never passed over for a higher index. */
        if (first == n && (!e.w->ready || e.w->poll_owner || e.w->ready(e.hold.obj)))
            first = i;
        winipc__handle_release(&e.hold);
    }
    if (first == n || !winipc__handle_hold_brief(handles[first], 0, &e.hold))
        return NOT_FAST; /* a handle closed meanwhile fails in the full path */
    if (!waitable(&e))
        return WAIT_FAILED;
    r = e.w->try_acquire(e.hold.obj, NULL, false);
    winipc__handle_release(&e.hold);
    if (r == WAIT_OBJECT_0 || r == WAIT_ABANDONED)
        return r + first;
    return r == WAIT_FAILED ? r : NOT_FAST;
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

    wait_state(e);
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
    if (!handles || winipc__bad_pointer(handles))
        return winipc__fail(WAIT_FAILED, ERROR_NOACCESS);
    if (!all && (r = any_fast(n, handles)) != NOT_FAST)
        return r;
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

/*
 * Signals one object (release a mutex, set an event, release a semaphore by one),
 * then waits on another. Both handles are checked before anything is signalled, so
 * a bad handle to wait on leaves the first object as it was.
 */
DWORD WINAPI SignalObjectAndWait(HANDLE to_signal, HANDLE to_wait, DWORD ms, BOOL alertable)
{
    struct winipc__hold hold, wait_hold;
    DWORD err = ERROR_INVALID_HANDLE;

    if (!winipc__handle_hold(to_signal, 0, &hold))
        return WAIT_FAILED;
    if (to_wait != WINIPC__PSEUDO_PROCESS && to_wait != WINIPC__PSEUDO_THREAD) {
        if (!winipc__handle_hold(to_wait, 0, &wait_hold)) {
            winipc__handle_release(&hold);
            return WAIT_FAILED;
        }
        winipc__handle_release(&wait_hold); /* a close meanwhile fails the wait itself */
    }
    if (hold.obj->ops->wait && hold.obj->ops->wait->signal)
        err = hold.obj->ops->wait->signal(hold.obj, hold.access);
    winipc__handle_release(&hold);
    if (err)
        return winipc__fail(WAIT_FAILED, err);
    return WaitForSingleObjectEx(to_wait, ms, alertable);
}
