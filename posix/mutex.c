/*
 * mutex.c - named and unnamed mutexes (their Win32 entry points are in sync_api.c,
 * shared with the portable backend).
 *
 * A mutex is a robust, recursive, process-shared pthread mutex in the object's page,
 * so ownership, recursion and owner death come from glibc and the kernel's
 * robust-futex list: EOWNERDEAD tells the next taker that its owner process died
 * (WAIT_ABANDONED). A thread that exits owning mutexes gives them up in
 * winipc__mutex_abandon_owned: it marks them abandoned and unlocks them, so the next
 * taker gets WAIT_ABANDONED as after a crash. The wait-state word counts releases
 * that multi-object waiters may be sleeping on.
 *
 * An owned mutex sits on its owner thread's robust list, so its page must stay
 * mapped until the owner lets go. Every lock and release goes through a handle, which
 * keeps the object alive, so one case is left: every handle closed while a thread of
 * ours still owns it. Then the name is released at once, as on Windows (a later
 * create of the name makes a new mutex), while `owned` pins the memory (object.c);
 * the owner can only let go by exiting, and winipc__object_disown ends the pin.
 * Taking and releasing through a handle never touch the registry.
 *
 * Each thread keeps the list of mutexes it owns, tagged with the thread id it was made
 * in: a fork child's copy of its parent's list is not the child's (the child owns
 * nothing), so it is dropped unread. The thread id (a thread-local read) tells as well
 * as the pid would: the child's thread cannot have the id of the parent's thread that
 * forked it, which was alive at the time.
 *
 * The list is only ever read by its own thread, so it need not change inside the
 * critical section: a release takes the mutex off it after the unlock, which keeps
 * the time the lock is held (and so how often a contending process has to sleep,
 * see bench/README.md) as short as the bookkeeping allows.
 */
#include "internal.h"

#include <errno.h>
#include <linux/futex.h>
#include <stdlib.h>

struct mutex {
    struct winipc__object obj;
    atomic_bool owned; /* a thread of this process owns it: pins its memory */
};

static struct winipc__mutex_state *mstate(struct winipc__object *obj)
{
    return winipc__object_state(obj);
}

static struct mutex *mutex_of(struct winipc__object *obj)
{
    return WINIPC__CONTAINER(obj, struct mutex, obj);
}

/* ---- The calling thread's owned mutexes ----------------------------------------------- */

struct owned {
    pid_t tid; /* the thread the list belongs to (winipc__thread_id) */
    size_t n, cap;
    struct winipc__object *obj[];
};

static WINIPC__TLS struct owned *my_owned;
static pthread_key_t owned_key; /* only for its destructor at thread exit */
static pthread_once_t owned_once = PTHREAD_ONCE_INIT;

static void owned_thread_exit(void *p)
{
    (void)p; /* the same as my_owned */
    winipc__mutex_abandon_owned();
}

static void owned_init(void)
{
    pthread_key_create(&owned_key, owned_thread_exit);
}

/* The calling thread's list, or NULL; a list inherited through fork is dropped. */
static struct owned *owned_list(void)
{
    struct owned *o = my_owned;

    if (o && o->tid != winipc__thread_id()) {
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
            n->tid = winipc__thread_id();
        }
        n->cap = cap;
        o = my_owned = n;
        pthread_once(&owned_once, owned_init);
        pthread_setspecific(owned_key, o); /* arms the destructor */
    }
    o->obj[o->n++] = obj;
    atomic_store_explicit(&mutex_of(obj)->owned, true, memory_order_relaxed);
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
            return;
        }
    }
}

/* ---- Taking and releasing ------------------------------------------------------------ */

/* Bookkeeping after pthread_mutex_*lock returned `r`; the wait result. */
static DWORD mutex_locked(struct winipc__object *obj, int r, bool own_guard)
{
    struct winipc__mutex_state *m = mstate(obj);
    DWORD how = WAIT_OBJECT_0;
    uint32_t taker;

    if (r == EBUSY || r == ETIMEDOUT)
        return WAIT_TIMEOUT;
    if (r == EOWNERDEAD) {
        /* Its owner died holding it. A wait-all that died before returning did not
           own it as far as its caller knew: that is no abandonment (wait.c). */
        taker = atomic_load(&m->taker);
        how =
            taker && (m->owner_tid == 0 || m->owner_tid == taker) ? WAIT_OBJECT_0 : WAIT_ABANDONED;
        pthread_mutex_consistent(&m->lock);
        m->recursion = 0;
        m->owner_tid = 0;
    } else if (r != 0) {
        winipc__set_error(r == EAGAIN ? ERROR_NOT_ENOUGH_MEMORY /* recursion limit */
                                      : ERROR_INVALID_HANDLE);
        return WAIT_FAILED;
    }
    if (!own_guard && atomic_load_explicit(&m->taker, memory_order_relaxed))
        atomic_store(&m->taker, 0); /* a wait-all's mark that no longer means anything */
    if (m->abandoned) {             /* given up by an exiting owner thread */
        m->abandoned = 0;
        how = WAIT_ABANDONED;
    }
    if (m->recursion++ == 0) {
        m->owner_tid = (uint32_t)winipc__thread_id();
        if (!owned_add(obj)) {
            m->recursion = 0;
            m->owner_tid = 0;
            pthread_mutex_unlock(&m->lock);
            winipc__set_error(ERROR_NOT_ENOUGH_MEMORY);
            return WAIT_FAILED;
        }
    }
    return how;
}

static DWORD mutex_try_acquire(struct winipc__object *obj, const uint32_t *slept_on, bool own_guard)
{
    struct winipc__mutex_state *m = mstate(obj);
    DWORD r;

    (void)slept_on;
    if (own_guard) /* marked first: a death right after the lock is then no abandonment */
        atomic_store(&m->taker, (uint32_t)winipc__thread_id());
    r = mutex_locked(obj, pthread_mutex_trylock(&m->lock), own_guard);
    if (own_guard && r != WAIT_OBJECT_0 && r != WAIT_ABANDONED)
        atomic_store(&m->taker, 0);
    return r;
}

/*
 * Free, abandoned, or ours (a recursive take): what the lock word itself says, the
 * owner's thread id (FUTEX_TID_MASK) that the kernel clears, setting
 * FUTEX_OWNER_DIED, when the owner dies. owner_tid would keep a dead process's
 * thread id forever, and a wait-all would then never take the abandoned mutex. A
 * look only: the take is the trylock, which decides (and reports the abandonment).
 */
static bool mutex_ready(struct winipc__object *obj)
{
    uint32_t owner = (uint32_t)__atomic_load_n(&mstate(obj)->lock.__data.__lock, __ATOMIC_RELAXED) &
                     FUTEX_TID_MASK;

    return owner == 0 || owner == (uint32_t)winipc__thread_id();
}

static DWORD mutex_wait_single(struct winipc__object *obj, const struct timespec *deadline)
{
    pthread_mutex_t *m = &mstate(obj)->lock;

    return mutex_locked(obj,
                        deadline ? pthread_mutex_clocklock(m, CLOCK_MONOTONIC, deadline)
                                 : pthread_mutex_lock(m),
                        false);
}

/*
 * One release by the owner; false if the lock says we do not own it after all (its
 * page was written by someone else): ERROR_NOT_OWNER. `owned` is cleared while we
 * still own the mutex, so that a thread that takes it next sets it for good.
 */
static bool mutex_release(struct winipc__object *obj)
{
    struct winipc__mutex_state *m = mstate(obj);
    bool last = --m->recursion == 0, unlocked;

    if (last) {
        m->owner_tid = 0;
        clear_owned(obj);
    }
    /* The unlock is a full barrier (an atomic exchange): either we see a sleeper
       here, or its try after raising SLEEPING (wait.c) finds the mutex free. */
    unlocked = winipc__checked(pthread_mutex_unlock(&m->lock) == 0);
    /* Only this thread reads its list, and only between calls (thread exit): off it
       after the unlock, outside the critical section. obj stays valid: the caller
       holds its handle, or (abandon) the registry lock with obj pinned. */
    if (last)
        owned_remove(obj);
    if (!unlocked)
        return false;
    winipc__wake_sleepers(&m->ws, true);
    return true;
}

static void mutex_undo(struct winipc__object *obj, DWORD how)
{
    struct winipc__mutex_state *m = mstate(obj);

    if (how == WAIT_ABANDONED)
        m->abandoned = 1; /* the next taker must still learn of it */
    atomic_store(&m->taker, 0);
    mutex_release(obj);
}

static void mutex_commit(struct winipc__object *obj)
{
    atomic_store(&mstate(obj)->taker, 0);
}

DWORD winipc__mutex_signal(struct winipc__object *obj, DWORD access)
{
    struct winipc__mutex_state *m = mstate(obj);

    (void)access; /* ReleaseMutex needs no access right, as on Windows */
    if (m->owner_tid != (uint32_t)winipc__thread_id() || m->recursion == 0)
        return ERROR_NOT_OWNER;
    return mutex_release(obj) ? 0 : ERROR_NOT_OWNER;
}

/* Gives up a mutex the exiting thread owns; under the registry lock, so that the
   object cannot be destroyed under us while its memory is only pinned for us. */
static void abandon(struct winipc__object *obj)
{
    struct winipc__mutex_state *m = mstate(obj);

    m->abandoned = 1;
    while (m->recursion > 1) {
        m->recursion--;
        pthread_mutex_unlock(&m->lock);
    }
    if (!mutex_release(obj)) /* takes it off the list in any case */
        clear_owned(obj);
}

void winipc__mutex_abandon_owned(void)
{
    struct owned *o = owned_list();

    if (!o)
        return;
    while (o->n)
        winipc__object_disown(o->obj[o->n - 1], abandon);
    free(o);
    my_owned = NULL;
    pthread_setspecific(owned_key, NULL);
}

/* ---- The kind ------------------------------------------------------------------------ */

static struct winipc__wait_state *mutex_wait_state(struct winipc__object *obj)
{
    return &mstate(obj)->ws;
}

static int mutex_init(void *state, const void *arg)
{
    struct winipc__mutex_state *m = state;
    int err = winipc__wait_state_init(&m->ws, 0);

    (void)arg;
    return err ? err : winipc__robust_mutex_init(&m->lock, true);
}

static bool mutex_pinned(struct winipc__object *obj)
{
    return atomic_load_explicit(&mutex_of(obj)->owned, memory_order_relaxed);
}

static const struct winipc__wait_ops mutex_wait_ops = {
    .shared = true,
    .poll_owner = true,
    .state = mutex_wait_state,
    .try_acquire = mutex_try_acquire,
    .ready = mutex_ready,
    .undo = mutex_undo,
    .commit = mutex_commit,
    .wait_single = mutex_wait_single,
    .signal = winipc__mutex_signal,
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
    .pinned = mutex_pinned,
    .wait = &mutex_wait_ops,
};
