/*
 * wait.c (portable backend) - the one wait engine: WaitForSingleObject,
 * WaitForMultipleObjects, SignalObjectAndWait, for every waitable kind, without
 * futexes: sleepers register in the objects' shared state and sleep on a semaphore of
 * their own.
 *
 * HOW A WAIT WORKS
 *
 * Every waitable object has a wait block (struct winipc__pwait, portable/pshared.h): a
 * state word that changes whenever the object may have become takeable, a table of
 * sleeper slots, and a wait-all guard. Every thread that sleeps has a token and a wake
 * semaphore of its own (identity.c). A wait loops:
 *
 *   1. try to take the object(s) (the kind's try_acquire: a CAS, no system call);
 *   2. if that failed and time remains: empty the thread's semaphore, register the
 *      token in a free slot of every object (the object's `sleepers` count first),
 *      snapshot the state words (events release whoever slept through a change), try
 *      again, and then sem_wait (with the deadline: semwait.c) until a signaller posts
 *      it; unregister; go to 1.
 *
 * Signallers change the state word first and then, if `sleepers` is not 0, post the
 * semaphore of every token in the slots (winipc__pwait_wake). All of it is sequentially
 * consistent: either the signaller sees the count (and then the slot, or the sleeper's
 * second try sees the change), or the sleeper's second try sees the changed word. A
 * semaphore counts, so a post that comes before the sem_wait is not lost. No system
 * call when nobody sleeps; one sem_post per sleeper otherwise (the Linux backend's
 * FUTEX_WAKE is one call for all). A post that arrives after its sleeper left is a
 * spurious wake-up at most, and is drained before the thread's next sleep.
 *
 * A sleeper that is killed leaves its token in the slots. The next signaller finds its
 * process gone (its record's flock, identity.c) and empties the slot: it costs that
 * signal a few system calls, then nothing. A full table (more than
 * WINIPC__PWAIT_SLOTS sleepers on one object) first reclaims dead sleepers' slots;
 * failing that, the extra sleepers poll every FULL_POLL_MS.
 *
 * WHAT NOBODY WAKES
 *
 * Some changes post nobody, so the sleep is capped instead (the kind's wake_at):
 *   - a mutex owner that dies: the sleeper checks the owner's liveness every
 *     WINIPC__OWNER_POLL_MS while the owner is another process (mutex.c);
 *   - a signal by another user, who cannot open our 0600 semaphore: a sleeper on an
 *     object open to other users (a NULL-DACL object) wakes every
 *     WINIPC__OTHERS_POLL_MS;
 *   - a wait-all guard whose holder died: guard waiters check it as often.
 * Differs from Windows (and the Linux backend, which hears of a dead owner from the
 * kernel): an abandoned mutex is noticed within 50 ms, and another user's signal on an
 * object open to everyone within 20 ms.
 *
 * WAIT-ALL IS ATOMIC, as in the Linux backend (read posix/wait.c's WAIT-ALL): a
 * wait-all locks the guards of its objects in one global order (device and inode),
 * sets the guard bit of events and semaphores (single takers' CAS then fails, and they
 * wait for the guard), tries everything, and commits or gives back. The guard is a
 * token in the shared block, not a robust mutex: a guard whose holder's process is
 * gone is taken over by the next locker, which runs the kind's recover (an event's
 * marked take is given back, a mutex taken by the dead wait-all is released without
 * abandonment) and clears the stale guard bit. Guards are waited for with the
 * caller's deadline plus GUARD_GRACE_MS, so a stopped process makes others time out,
 * never hang.
 */
#include "portable.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#define GUARD_GRACE_MS 5 /* how long anyone waits for a wait-all to finish */
#define FULL_POLL_MS 2   /* a sleeper that found no free slot polls */
#define SPINS 64         /* yields before a guard waiter sleeps */

/* ---- Time ------------------------------------------------------------------------------ */

static void add_ms(struct timespec *t, long ms)
{
    t->tv_sec += ms / 1000;
    t->tv_nsec += (ms % 1000) * 1000000L;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

void winipc__clock_after(struct timespec *t, long ms)
{
    clock_gettime(CLOCK_MONOTONIC, t);
    add_ms(t, ms);
}

static bool before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* A wait's time limit, read from the clock only when the wait first has to block. */
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
        winipc__clock_after(&l->at, (long)l->ms);
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
    winipc__clock_after(buf, GUARD_GRACE_MS);
    if (before(buf, d))
        *buf = *d;
    return buf;
}

/* The earlier of *until (NULL: none) and `at`, in *buf. */
static const struct timespec *earlier(const struct timespec *until, const struct timespec *at,
                                      struct timespec *buf)
{
    if (until && !before(at, until))
        return until;
    *buf = *at;
    return buf;
}

/* ---- Sleepers ------------------------------------------------------------------------- */

void winipc__pwait_init(struct winipc__pwait *pw, uint32_t word)
{
    memset(pw, 0, sizeof *pw);
    atomic_init(&pw->word, word);
}

void winipc__pwait_wake(struct winipc__pwait *pw)
{
    if (atomic_load(&pw->sleepers) == 0)
        return;
    for (unsigned i = 0; i < WINIPC__PWAIT_SLOTS; i++) {
        uint64_t t = atomic_load(&pw->slot[i]);

        if (t)
            winipc__post_sleeper(pw, i, t);
    }
}

/* Empties the slots of sleepers whose process is gone; how many. */
static unsigned reclaim_dead(struct winipc__pwait *pw)
{
    unsigned n = 0;

    for (unsigned i = 0; i < WINIPC__PWAIT_SLOTS; i++) {
        uint64_t t = atomic_load(&pw->slot[i]);

        if (t && !winipc__token_is_local(t) && winipc__token_dead(t) &&
            atomic_compare_exchange_strong(&pw->slot[i], &t, 0)) {
            atomic_fetch_sub(&pw->sleepers, 1);
            n++;
        }
    }
    return n;
}

/* Registers token in a free slot of pw: its index, or -1 if there is none. */
static int enroll(struct winipc__pwait *pw, uint64_t token)
{
    unsigned start = (unsigned)((token * UINT64_C(0x9E3779B97F4A7C15)) >> 40) % WINIPC__PWAIT_SLOTS;

    atomic_fetch_add(&pw->sleepers, 1); /* before the slot: see the top */
    for (int round = 0; round < 2; round++) {
        for (unsigned k = 0; k < WINIPC__PWAIT_SLOTS; k++) {
            unsigned i = (start + k) % WINIPC__PWAIT_SLOTS;
            uint64_t free_ = 0;

            if (atomic_load_explicit(&pw->slot[i], memory_order_relaxed) == 0 &&
                atomic_compare_exchange_strong(&pw->slot[i], &free_, token))
                return (int)i;
        }
        if (round == 0 && reclaim_dead(pw) == 0)
            break;
    }
    atomic_fetch_sub(&pw->sleepers, 1);
    return -1;
}

static void leave(struct winipc__pwait *pw, int i, uint64_t token)
{
    if (i >= 0 && atomic_compare_exchange_strong(&pw->slot[i], &token, 0))
        atomic_fetch_sub(&pw->sleepers, 1);
}

/* Takes back the posts of earlier rounds, so that the next sleep is a real one. */
static void drain(sem_t *sem)
{
    while (sem_trywait(sem) == 0)
        ;
}

/* The wait block of obj, or NULL for a kind that is always signalled (a file). */
static struct winipc__pwait *pwait_of(struct winipc__object *obj)
{
    switch (obj->ops->kind) {
    case WINIPC__MUTEX:
    case WINIPC__EVENT:
    case WINIPC__SEMAPHORE:
    case WINIPC__TIMER:
        return (struct winipc__pwait *)winipc__object_state(obj); /* its first member */
    case WINIPC__THREAD:
        return winipc__thread_pwait(obj);
    default:
        return NULL;
    }
}

/* ---- Guards ---------------------------------------------------------------------------- */

static bool has_guard_bit(struct winipc__object *obj)
{
    return obj->ops->wait->guard_bit;
}

/*
 * Locks an object's guard by `deadline` (NULL: no limit), taking it over from a holder
 * whose process is gone and repairing what it left (the kind's recover). Returns 0,
 * ETIMEDOUT, or another errno value when this thread cannot sleep.
 */
static int guard_lock(struct winipc__object *obj, struct winipc__pwait *pw,
                      const struct timespec *deadline, bool try_only)
{
    uint64_t me = winipc__self_token(), g;
    struct timespec now, check, buf;
    bool recovered = false;
    sem_t *sem = NULL;
    int spins = 0;

    if (!me)
        return ENOMEM;
    clock_gettime(CLOCK_MONOTONIC, &check); /* a holder's liveness is looked at from now */
    for (;;) {
        g = 0;
        if (atomic_compare_exchange_strong(&pw->guard, &g, me))
            break;
        if (g == me) /* not ours to hold twice: a page someone wrote */
            return EINVAL;
        if (try_only) {
            if (!winipc__token_dead(g) || !atomic_compare_exchange_strong(&pw->guard, &g, me))
                return EBUSY;
            recovered = true;
            break;
        }
        if (spins < SPINS) { /* a live wait-all holds it for microseconds */
            spins++;
            sched_yield();
            continue;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (!before(&now, &check)) {
            if (winipc__token_dead(g) && atomic_compare_exchange_strong(&pw->guard, &g, me)) {
                recovered = true;
                break;
            }
            winipc__clock_after(&check, WINIPC__OWNER_POLL_MS);
        }
        if (deadline && !before(&now, deadline))
            return ETIMEDOUT;
        if (!sem && !(sem = winipc__self_sem()))
            return ENOMEM;
        drain(sem);
        {
            int slot = enroll(pw, me);

            atomic_store(&pw->guard_waiters, 1);
            if (atomic_load(&pw->guard) != 0) { /* still held: sleep until unlocked */
                struct timespec poll;

                winipc__clock_after(&poll, slot < 0 ? FULL_POLL_MS : WINIPC__OWNER_POLL_MS);
                winipc__sem_wait_until(sem, earlier(deadline, &poll, &buf));
            }
            leave(pw, slot, me);
        }
    }
    if (recovered && obj->ops->wait->recover)
        obj->ops->wait->recover(obj);
    /* We hold the guard, so nobody else can have set the bit: it is stale. */
    if (has_guard_bit(obj) && (atomic_load(&pw->word) & WINIPC__PGUARD_BIT)) {
        atomic_fetch_and(&pw->word, ~WINIPC__PGUARD_BIT);
        winipc__pwait_wake(pw);
    } else if (recovered) {
        winipc__pwait_wake(pw);
    }
    return 0;
}

/* False if the guard turned out not to be ours (its page was written by someone). */
static bool guard_unlock(struct winipc__pwait *pw)
{
    uint64_t me = winipc__self_token_if_any();
    bool ok = me && atomic_compare_exchange_strong(&pw->guard, &me, 0);

    if (atomic_exchange(&pw->guard_waiters, 0))
        winipc__pwait_wake(pw);
    return ok; /* false: a scribbler took it from us, and the wait fails */
}

int winipc__pguard_lock(struct winipc__object *obj, const struct timespec *deadline)
{
    return guard_lock(obj, pwait_of(obj), deadline, false);
}

int winipc__pguard_trylock(struct winipc__object *obj)
{
    return guard_lock(obj, pwait_of(obj), NULL, true);
}

bool winipc__pguard_unlock(struct winipc__object *obj)
{
    return guard_unlock(pwait_of(obj));
}

/* ---- The entries of a wait --------------------------------------------------------------- */

/* One object of a wait. */
struct entry {
    struct winipc__hold hold;
    const struct winipc__wait_ops *w;
    struct winipc__pwait *pw; /* NULL: nothing to sleep on (always signalled) */
    uint32_t snap;            /* the state word when this round began */
    DWORD how;                /* try_acquire's answer this round */
    int slot;                 /* the slot this round registered, or -1 */
};

/*
 * Waits until the wait-all holding obj's guard is done: WAIT_TIMEOUT if the deadline
 * (with its grace) passed first, WAIT_FAILED if the guard is broken, else 0.
 */
static DWORD await_guard(struct entry *e, struct limit *limit)
{
    struct timespec buf;
    int r = guard_lock(e->hold.obj, e->pw, guard_deadline(limit, &buf), false);

    if (r == ETIMEDOUT)
        return WAIT_TIMEOUT;
    if (r == ENOMEM)
        return WAIT_FAILED; /* the error is set */
    if (r != 0 || !guard_unlock(e->pw))
        return winipc__fail(WAIT_FAILED, ERROR_INVALID_HANDLE);
    return 0;
}

/* A sleeping round: the thread's semaphore and token. */
struct round {
    uint64_t token;
    sem_t *sem;
    bool full; /* an object had no free slot: poll */
};

/* Registers in every object and snapshots the state words; the caller then tries once
   more before it sleeps. False (error set) if this thread cannot sleep. */
static bool prepare_sleep(struct entry *e, DWORD n, struct round *r)
{
    if (!r->sem && !(r->sem = winipc__self_sem()))
        return false;
    r->token = winipc__self_token_if_any();
    r->full = false;
    drain(r->sem);
    for (DWORD i = 0; i < n; i++) {
        e[i].slot = e[i].pw ? enroll(e[i].pw, r->token) : -1;
        r->full |= e[i].pw && e[i].slot < 0;
    }
    for (DWORD i = 0; i < n; i++)
        e[i].snap = e[i].pw ? atomic_load(&e[i].pw->word) : 0;
    return true;
}

static void finish_sleep(struct entry *e, DWORD n, struct round *r)
{
    for (DWORD i = 0; i < n; i++)
        if (e[i].pw)
            leave(e[i].pw, e[i].slot, r->token);
}

/* Sleeps until posted, the deadline, or the earliest time a kind must look again. */
static void sleep_on(struct entry *e, DWORD n, struct round *r, const struct timespec *deadline)
{
    const struct timespec *until = deadline;
    struct timespec buf, at;

    if (r->full) {
        winipc__clock_after(&at, FULL_POLL_MS);
        until = earlier(until, &at, &buf);
    }
    for (DWORD i = 0; i < n; i++)
        if (e[i].w->wake_at && e[i].w->wake_at(e[i].hold.obj, &at))
            until = earlier(until, &at, &buf);
    winipc__sem_wait_until(r->sem, until);
}

/* ---- Wait-any ---------------------------------------------------------------------- */

/* One pass over e[0..n): takes the lowest index that can be taken (posix/wait.c). */
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

static DWORD wait_any(struct entry *e, DWORD n, struct limit *limit)
{
    uint32_t slept_on[MAXIMUM_WAIT_OBJECTS];
    struct round round = {0};
    bool slept = false;
    struct entry *guarded;
    DWORD r, i;

    for (;;) {
        r = try_any(e, n, slept ? slept_on : NULL, &guarded);
        if (r == WAIT_TIMEOUT && !guarded && !limit_passed(limit)) {
            if (!prepare_sleep(e, n, &round))
                return WAIT_FAILED;
            r = try_any(e, n, slept ? slept_on : NULL, &guarded);
            if (r == WAIT_TIMEOUT && !guarded)
                sleep_on(e, n, &round, limit_deadline(limit));
            finish_sleep(e, n, &round);
            if (r == WAIT_TIMEOUT && !guarded) {
                for (i = 0; i < n; i++)
                    slept_on[i] = e[i].snap;
                slept = true;
                continue;
            }
        }
        if (!guarded || r != WAIT_TIMEOUT)
            return r;
        /* A wait-all is inside its critical section: let it finish, within limits. */
        if ((r = await_guard(guarded, limit)) != 0)
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
    return e->w->shared && e->pw;
}

/* Clears the guard bits of e[0..locked) and unlocks their guards (posix/wait.c). */
static bool unlock_guards(struct entry *e, DWORD locked)
{
    bool ok = true;

    while (locked-- > 0) {
        if (!guarded_kind(&e[locked]))
            continue;
        if (has_guard_bit(e[locked].hold.obj))
            atomic_fetch_and(&e[locked].pw->word, ~WINIPC__PGUARD_BIT);
        ok &= guard_unlock(e[locked].pw);
    }
    return ok;
}

/* One attempt at taking all of e[0..n) (sorted by identity) atomically (posix/wait.c). */
static DWORD try_all(struct entry *e, DWORD n, struct limit *limit, bool *late)
{
    DWORD locked, taken = 0;
    struct timespec buf;
    bool ok = true, failed = false;

    *late = false;
    for (locked = 0; locked < n; locked++) {
        struct winipc__object *obj = e[locked].hold.obj;
        int r;

        if (!guarded_kind(&e[locked]))
            continue;
        r = guard_lock(obj, e[locked].pw, guard_deadline(limit, &buf), false);
        if (r != 0) {
            unlock_guards(e, locked);
            if (r == ETIMEDOUT) {
                *late = true;
                return WAIT_TIMEOUT;
            }
            return r == ENOMEM ? WAIT_FAILED : winipc__fail(WAIT_FAILED, ERROR_INVALID_HANDLE);
        }
        if (has_guard_bit(obj))
            atomic_fetch_or(&e[locked].pw->word, WINIPC__PGUARD_BIT);
    }
    /* Look first: a wait-all that cannot succeed takes nothing. */
    for (DWORD i = 0; ok && i < n; i++)
        ok = !e[i].w->ready || e[i].w->ready(e[i].hold.obj);
    while (ok && taken < n) {
        e[taken].how = e[taken].w->try_acquire(e[taken].hold.obj, NULL, true);
        ok = e[taken].how == WAIT_OBJECT_0 || e[taken].how == WAIT_ABANDONED;
        failed = e[taken].how == WAIT_FAILED; /* the error is set */
        taken += ok;
    }
    if (ok) { /* the commit: from here on the takes stand */
        for (DWORD i = 0; i < n; i++)
            if (e[i].w->commit)
                e[i].w->commit(e[i].hold.obj);
    } else { /* give back, in reverse, what was taken */
        while (taken-- > 0)
            e[taken].w->undo(e[taken].hold.obj, e[taken].how);
    }
    if (!unlock_guards(e, n))
        return winipc__fail(WAIT_FAILED, ERROR_INVALID_HANDLE);
    if (failed) /* (not a `how` left from an earlier round when nothing was tried) */
        return WAIT_FAILED;
    return ok ? WAIT_OBJECT_0 : WAIT_TIMEOUT;
}

static DWORD wait_all(struct entry *e, DWORD n, struct limit *limit)
{
    struct round round = {0};
    bool late;
    DWORD r, i;

    qsort(e, n, sizeof *e, identity_cmp);
    for (i = 1; i < n; i++)
        if (e[i].hold.obj == e[i - 1].hold.obj) /* NT: STATUS_INVALID_PARAMETER_MIX */
            return winipc__fail(WAIT_FAILED, ERROR_INVALID_PARAMETER);
    for (;;) {
        r = try_all(e, n, limit, &late);
        if (r != WAIT_TIMEOUT || late || limit_passed(limit))
            break;
        if (!prepare_sleep(e, n, &round))
            return WAIT_FAILED;
        r = try_all(e, n, limit, &late);
        if (r == WAIT_TIMEOUT && !late)
            sleep_on(e, n, &round, limit_deadline(limit));
        finish_sleep(e, n, &round);
        if (r != WAIT_TIMEOUT || late)
            break;
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

/* Whether a held handle can be waited on; sets the error and releases it if not. */
static bool waitable(struct entry *e)
{
    DWORD err = 0;

    e->w = e->hold.obj->ops->wait;
    /* The access check comes first, as in NT: a section handle never has SYNCHRONIZE. */
    if (!(e->hold.access & SYNCHRONIZE))
        err = ERROR_ACCESS_DENIED;
    else if (!e->w)
        err = ERROR_INVALID_HANDLE;
    if (err) {
        winipc__handle_release(&e->hold);
        winipc__set_error(err);
        return false;
    }
    e->pw = pwait_of(e->hold.obj);
    e->slot = -1;
    return true;
}

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

static __attribute__((noinline)) DWORD wait_single_blocking(struct entry *e, DWORD ms)
{
    struct limit limit = {.ms = ms};

    return wait_any(e, 1, &limit);
}

/* The calling process and thread never end while they wait on themselves. */
static DWORD wait_on_self(DWORD ms)
{
    Sleep(ms);
    return WAIT_TIMEOUT;
}

/*
 * The alertable flag is accepted and ignored: there are no APCs.
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
    /* The fast path: a free object is taken with one CAS. */
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

/* Signals one object, then waits on another (posix/wait.c). */
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
