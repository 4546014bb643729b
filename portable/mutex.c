/*
 * mutex.c (portable backend) - named and unnamed mutexes, without robust mutexes.
 *
 * A mutex is its owner's token in the shared page (0: free), taken with a CAS, plus
 * the owner's recursion count. Ownership, recursion and "only the owner may release"
 * (ERROR_NOT_OWNER) follow from comparing tokens. Abandonment:
 *   - a thread that exits owning mutexes gives them up in winipc__mutex_abandon_owned
 *     (called at thread exit by identity.c and thread.c): marked abandoned and freed,
 *     so the next taker gets WAIT_ABANDONED;
 *   - a process that dies owning one leaves its token there. Its process record's
 *     flock went with it (identity.c), so a taker that finds the mutex owned by another
 *     process checks whether that process lives -- at its first try, and every
 *     WINIPC__OWNER_POLL_MS while it sleeps (wake_at) -- and takes a dead owner's mutex
 *     with a CAS, reporting WAIT_ABANDONED.
 * Differs from Windows (and the Linux backend, whose robust futex the kernel releases
 * at the owner's death): a sleeper notices an owner process's death within 50 ms, not
 * at once.
 *
 * A wait-all marks its take (`taker`, its token) before it takes, and clears the mark
 * when it returns: a mutex owned by a wait-all that died before returning is taken
 * over without abandonment (wait.c). The word counts releases, for sleepers.
 *
 * Memory pinning while a thread owns a mutex whose handles are all closed, and the
 * per-thread list of owned mutexes, are as in posix/mutex.c.
 */
#include "portable.h"

#include <errno.h>
#include <stdlib.h>

#define OWNER_CHECK_NS 5000000 /* a foreign owner is looked at at most every 5 ms */

struct mutex {
    struct winipc__object obj;
    atomic_bool owned;          /* a thread of this process owns it: pins its memory */
    bool open_to_others;        /* other users may signal it (wait.c) */
    _Atomic int64_t checked_ns; /* when a foreign owner's liveness was last checked */
};

static struct winipc__pmutex_state *mstate(struct winipc__object *obj)
{
    return winipc__object_state(obj);
}

static struct mutex *mutex_of(struct winipc__object *obj)
{
    return WINIPC__CONTAINER(obj, struct mutex, obj);
}

/* ---- The calling thread's owned mutexes (as posix/mutex.c) ---------------------------- */

struct owned {
    pid_t pid; /* the process the list belongs to */
    size_t n, cap;
    struct winipc__object *obj[];
};

static WINIPC__TLS struct owned *my_owned;

/* The calling thread's list, or NULL; a list inherited through fork is dropped. */
static struct owned *owned_list(void)
{
    struct owned *o = my_owned;

    if (o && o->pid != winipc__cached_pid()) {
        free(o);
        o = my_owned = NULL;
    }
    return o;
}

static bool owned_add(struct winipc__object *obj)
{
    struct owned *o = owned_list();

    if (!o || o->n == o->cap) {
        size_t cap = o ? 2 * o->cap : 4;
        struct owned *n = realloc(o, sizeof *n + cap * sizeof n->obj[0]);

        if (!n)
            return false;
        if (!o) {
            n->n = 0;
            n->pid = winipc__cached_pid();
        }
        n->cap = cap;
        o = my_owned = n;
    }
    o->obj[o->n++] = obj;
    atomic_store_explicit(&mutex_of(obj)->owned, true, memory_order_relaxed);
    atomic_fetch_add(&winipc__owned_mutexes, 1);
    return true;
}

static void clear_owned(struct winipc__object *obj)
{
    atomic_store_explicit(&mutex_of(obj)->owned, false, memory_order_relaxed);
}

static void owned_remove(struct winipc__object *obj)
{
    struct owned *o = owned_list();

    for (size_t i = 0; o && i < o->n; i++) {
        if (o->obj[i] == obj) {
            o->obj[i] = o->obj[--o->n];
            atomic_fetch_sub(&winipc__owned_mutexes, 1);
            return;
        }
    }
}

/* ---- Taking and releasing ------------------------------------------------------------ */

/*
 * Whether the foreign owner `owner` is gone. The first try of a wait always looks, so
 * that a death is seen as soon as the wait begins (a wait-any then returns the
 * abandoned mutex before a later object that is plainly signalled, as on Windows); the
 * tries of a wait that was woken look at most every OWNER_CHECK_NS, since wake-ups
 * for other objects can come fast and each look costs a few system calls.
 */
static bool owner_gone(struct winipc__object *obj, uint64_t owner, bool first_try)
{
    struct mutex *mx = mutex_of(obj);
    struct timespec now;
    int64_t ns;

    if (winipc__token_is_local(owner))
        return false; /* our threads give up their mutexes as they exit */
    clock_gettime(CLOCK_MONOTONIC, &now);
    ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
    if (!first_try &&
        ns - atomic_load_explicit(&mx->checked_ns, memory_order_relaxed) < OWNER_CHECK_NS)
        return false;
    atomic_store_explicit(&mx->checked_ns, ns, memory_order_relaxed);
    return winipc__token_dead(owner);
}

/* Bookkeeping of a take by `me` (the CAS succeeded); the wait result. */
static DWORD taken(struct winipc__object *obj, uint64_t me, DWORD how, bool own_guard)
{
    struct winipc__pmutex_state *m = mstate(obj);

    if (!own_guard && atomic_load_explicit(&m->taker, memory_order_relaxed))
        atomic_store(&m->taker, 0);        /* a wait-all's mark that no longer means anything */
    if (atomic_exchange(&m->abandoned, 0)) /* given up by an exiting owner thread */
        how = WAIT_ABANDONED;
    atomic_store_explicit(&m->recursion, 1, memory_order_relaxed);
    if (!owned_add(obj)) {
        atomic_store_explicit(&m->recursion, 0, memory_order_relaxed);
        atomic_store(&m->owner, 0);
        winipc__pwait_wake(&m->pw);
        return winipc__fail(WAIT_FAILED, ERROR_NOT_ENOUGH_MEMORY);
    }
    (void)me;
    return how;
}

static DWORD mutex_try_acquire(struct winipc__object *obj, const uint32_t *slept_on, bool own_guard)
{
    struct winipc__pmutex_state *m = mstate(obj);
    uint64_t me = winipc__self_token(), o, mark;
    DWORD r = WAIT_TIMEOUT;

    if (!me)
        return WAIT_FAILED;
    mark = atomic_load(&m->taker);
    if (own_guard) /* marked first: a death right after the take is then no abandonment */
        atomic_store(&m->taker, me);
    o = atomic_load(&m->owner);
    if (o == me) {
        uint32_t n = atomic_load_explicit(&m->recursion, memory_order_relaxed);

        if (n >= 0x7FFFFFFFu) /* NT: STATUS_MUTANT_LIMIT_EXCEEDED */
            r = winipc__fail(WAIT_FAILED, ERROR_NOT_ENOUGH_MEMORY);
        else {
            atomic_store_explicit(&m->recursion, n + 1, memory_order_relaxed);
            r = WAIT_OBJECT_0;
        }
    } else if (o == 0) {
        if (atomic_compare_exchange_strong(&m->owner, &o, me))
            r = taken(obj, me, WAIT_OBJECT_0, own_guard);
    } else if (owner_gone(obj, o, !slept_on) && atomic_compare_exchange_strong(&m->owner, &o, me)) {
        /* Its owner died holding it; a wait-all that died before returning did not own
           it as far as its caller knew: that is no abandonment. */
        r = taken(obj, me, mark == o ? WAIT_OBJECT_0 : WAIT_ABANDONED, own_guard);
    }
    if (own_guard && r != WAIT_OBJECT_0 && r != WAIT_ABANDONED) {
        uint64_t mine = me;

        atomic_compare_exchange_strong(&m->taker, &mine, mark);
    }
    return r;
}

static bool mutex_ready(struct winipc__object *obj)
{
    uint64_t o = atomic_load(&mstate(obj)->owner);

    return o == 0 || o == winipc__self_token_if_any() ||
           (!winipc__token_is_local(o) && winipc__token_dead(o));
}

/* A sleeper looks again at a foreign owner, and at an object others may signal. */
static bool mutex_wake_at(struct winipc__object *obj, struct timespec *at)
{
    uint64_t o = atomic_load(&mstate(obj)->owner);

    if (o && !winipc__token_is_local(o)) {
        winipc__clock_after(at, WINIPC__OWNER_POLL_MS);
        return true;
    }
    if (mutex_of(obj)->open_to_others) {
        winipc__clock_after(at, WINIPC__OTHERS_POLL_MS);
        return true;
    }
    return false;
}

/*
 * One release by the owner. `owned` is cleared while we still own the mutex, so that a
 * thread that takes it next sets it for good.
 */
static void mutex_release(struct winipc__object *obj)
{
    struct winipc__pmutex_state *m = mstate(obj);
    uint32_t n = atomic_load_explicit(&m->recursion, memory_order_relaxed);

    if (n > 1) {
        atomic_store_explicit(&m->recursion, n - 1, memory_order_relaxed);
        return;
    }
    atomic_store_explicit(&m->recursion, 0, memory_order_relaxed);
    owned_remove(obj);
    clear_owned(obj);
    atomic_store(&m->owner, 0);
    atomic_fetch_add(&m->pw.word, 1);
    winipc__pwait_wake(&m->pw);
}

static void mutex_undo(struct winipc__object *obj, DWORD how)
{
    struct winipc__pmutex_state *m = mstate(obj);

    if (how == WAIT_ABANDONED)
        atomic_store(&m->abandoned, 1); /* the next taker must still learn of it */
    atomic_store(&m->taker, 0);
    mutex_release(obj);
}

static void mutex_commit(struct winipc__object *obj)
{
    atomic_store(&mstate(obj)->taker, 0);
}

DWORD winipc__mutex_signal(struct winipc__object *obj, DWORD access)
{
    struct winipc__pmutex_state *m = mstate(obj);
    uint64_t me = winipc__self_token_if_any();

    (void)access; /* ReleaseMutex needs no access right, as on Windows */
    if (!me || atomic_load(&m->owner) != me ||
        atomic_load_explicit(&m->recursion, memory_order_relaxed) == 0)
        return ERROR_NOT_OWNER;
    mutex_release(obj);
    return 0;
}

/* Gives up a mutex the exiting thread owns; under the registry lock (object.c). */
static void abandon(struct winipc__object *obj)
{
    struct winipc__pmutex_state *m = mstate(obj);
    uint64_t me = winipc__self_token_if_any();

    if (me && atomic_load(&m->owner) == me) {
        atomic_store(&m->abandoned, 1);
        atomic_store_explicit(&m->recursion, 1, memory_order_relaxed);
        mutex_release(obj); /* removes it from the list */
    } else {                /* a scribbler took it from us: only forget it */
        owned_remove(obj);
        clear_owned(obj);
    }
}

void winipc__mutex_abandon_owned(void)
{
    struct owned *o = owned_list();

    if (!o)
        return;
    while (o->n) {
        size_t before = o->n;

        winipc__object_disown(o->obj[o->n - 1], abandon);
        if (o->n == before) /* cannot happen: abandon always removes it */
            o->n--;
    }
    free(o);
    my_owned = NULL;
}

/* ---- The kind ------------------------------------------------------------------------ */

static int mutex_init(void *state, const void *arg)
{
    struct winipc__pmutex_state *m = state;

    (void)arg;
    winipc__pwait_init(&m->pw, 0);
    return 0;
}

static DWORD mutex_attach(struct winipc__object *obj, bool created, const void *arg)
{
    (void)created, (void)arg;
    mutex_of(obj)->open_to_others = winipc__fd_open_to_others(obj->fd);
    return 0;
}

static bool mutex_pinned(struct winipc__object *obj)
{
    return atomic_load_explicit(&mutex_of(obj)->owned, memory_order_relaxed);
}

static const struct winipc__wait_ops mutex_wait_ops = {
    .shared = true,
    .try_acquire = mutex_try_acquire,
    .ready = mutex_ready,
    .undo = mutex_undo,
    .commit = mutex_commit,
    .signal = winipc__mutex_signal,
    .wake_at = mutex_wake_at,
};

const struct winipc__ops winipc__mutex_ops = {
    .shared = true,
    .kind = WINIPC__MUTEX,
    .name = "Mutant",
    .size = sizeof(struct mutex),
    .all_access = MUTEX_ALL_ACCESS,
    .generic = {STANDARD_RIGHTS_READ | MUTANT_QUERY_STATE, STANDARD_RIGHTS_WRITE,
                STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE, MUTEX_ALL_ACCESS},
    .init = mutex_init,
    .attach = mutex_attach,
    .pinned = mutex_pinned,
    .wait = &mutex_wait_ops,
};
