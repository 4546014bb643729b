/*
 * sync.c - named and unnamed mutexes, events and semaphores.
 *
 * Each object is one shared page (object.c); its state is struct winipc__sync_state
 * and the wait engine (wait.c) sleeps on its `word`. Taking an object that is free
 * is one CAS (event, semaphore) or one uncontended robust pthread lock (mutex): no
 * syscall. Signalling is an atomic update plus FUTEX_WAKE only when somebody sleeps.
 *
 * Signallers wake every sleeper, not just as many as could be satisfied: a sleeper
 * may be in a WaitForMultipleObjects that cannot use this object yet, and waking it
 * instead of a single waiter that could would lose the wakeup.
 */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define EV_SIGNALLED 1u
#define EV_GEN_ONE 2u
#define EV_GEN_MASK 0x7FFFFFFEu
#define SEM_COUNT_MASK 0x7FFFFFFFu

static struct winipc__sync_state *state(struct winipc__object *obj)
{
    return &obj->hdr->u.sync;
}

static _Atomic uint32_t *sync_word(struct winipc__object *obj)
{
    return &state(obj)->word;
}

static _Atomic uint32_t *sync_waiters(struct winipc__object *obj)
{
    return &state(obj)->waiters;
}

static pthread_mutex_t *sync_guard(struct winipc__object *obj)
{
    return &state(obj)->guard;
}

static void wake_sleepers(struct winipc__sync_state *s)
{
    if (atomic_load(&s->waiters))
        winipc__futex_wake(&s->word, INT_MAX, true);
}

/* A robust, process-shared pthread mutex; `recursive` for the mutex kind. */
static int init_robust(pthread_mutex_t *m, bool recursive)
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

/* The initial state of a new object, passed to its init. */
struct sync_params {
    uint32_t word;
    int32_t maximum;
    bool manual_reset;
    bool mutex;
};

static int sync_init(struct winipc__header *hdr, const void *arg)
{
    const struct sync_params *p = arg;
    struct winipc__sync_state *s = &hdr->u.sync;
    int err = init_robust(&s->guard, false);

    if (!err && p->mutex)
        err = init_robust(&s->mutex.lock, true);
    atomic_init(&s->word, p->word);
    s->maximum = p->maximum;
    s->manual_reset = p->manual_reset;
    return err;
}

/* Resolves, validates and creates or opens a sync object; the handle gets `access`. */
static HANDLE create_sync(const struct winipc__ops *ops, const SECURITY_ATTRIBUTES *sa,
                          DWORD name_err, const struct winipc__name *name,
                          const struct sync_params *p, DWORD access, bool *created)
{
    struct winipc__create c = {.ops = ops, .create = true, .init = sync_init, .arg = p};
    struct winipc__object *obj;
    DWORD err;
    HANDLE h;

    if (name_err)
        return winipc__fail(NULL, name_err);
    c.mode = winipc__object_mode(name, sa);
    c.shm_size = winipc__page_size();
    err = winipc__object_open(name, &c, &obj, created);
    if (err)
        return winipc__fail(NULL, err);
    h = winipc__handle_new(obj, winipc__access_map(ops, access));
    if (h)
        winipc__set_error(*created ? ERROR_SUCCESS : ERROR_ALREADY_EXISTS);
    return h;
}

/* ---- Mutexes ----------------------------------------------------------------------- */

/*
 * A mutex is a robust, recursive, process-shared pthread mutex, so ownership,
 * recursion and owner death come from glibc and the kernel's robust-futex list:
 * EOWNERDEAD tells the next taker its owner process died (WAIT_ABANDONED). A thread
 * that exits owning mutexes gives them up in winipc__mutex_abandon_owned: it marks
 * them abandoned and unlocks them, so the next taker gets WAIT_ABANDONED as after a
 * crash. `word` counts releases that multi-object waiters may be sleeping on.
 *
 * An owned mutex sits on its owner thread's robust list, so its page must stay
 * mapped until it is released. Every lock and release goes through a handle, which
 * keeps the object alive, so one case is left: every handle closed while a thread
 * still owns it. The object's `owned` flag, written by the owner, makes that last
 * close defer the destruction (mutex_retire); the owner can then only release it by
 * exiting, and winipc__mutex_abandon_owned finishes the destruction. zombie_lock
 * serialises just these two rare paths; taking and releasing stay free of it.
 * Differs from Windows: the name of such a mutex lives on until its owner exits.
 */

static pthread_mutex_t zombie_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t owned_key; /* only for its destructor at thread exit */
static pthread_once_t owned_once = PTHREAD_ONCE_INIT;

/* The mutexes the calling thread owns. */
struct owned {
    size_t n, cap;
    struct winipc__object *obj[];
};

static WINIPC__TLS struct owned *my_owned;

static struct winipc__mutex_state *mstate(struct winipc__object *obj)
{
    return &obj->hdr->u.sync.mutex;
}

static void owned_thread_exit(void *p)
{
    (void)p; /* the same as my_owned */
    winipc__mutex_abandon_owned();
}

static void owned_init(void)
{
    pthread_key_create(&owned_key, owned_thread_exit);
}

static bool owned_add(struct winipc__object *obj)
{
    struct owned *o = my_owned;

    if (!o || o->n == o->cap) {
        size_t cap = o ? 2 * o->cap : 4;
        struct owned *n = realloc(o, sizeof *n + cap * sizeof n->obj[0]);

        if (!n)
            return false;
        if (!o)
            n->n = 0;
        n->cap = cap;
        o = my_owned = n;
        pthread_once(&owned_once, owned_init);
        pthread_setspecific(owned_key, o); /* arms the destructor */
    }
    o->obj[o->n++] = obj;
    atomic_store_explicit(&obj->u.mutex.owned, true, memory_order_relaxed);
    return true;
}

static void owned_remove(struct winipc__object *obj)
{
    struct owned *o = my_owned;

    atomic_store_explicit(&obj->u.mutex.owned, false, memory_order_relaxed);
    for (size_t i = 0; o && i < o->n; i++) {
        if (o->obj[i] == obj) {
            o->obj[i] = o->obj[--o->n];
            return;
        }
    }
}

/* Bookkeeping after pthread_mutex_*lock returned `r`; the wait result. */
static DWORD mutex_locked(struct winipc__object *obj, int r)
{
    struct winipc__mutex_state *m = mstate(obj);
    DWORD how = WAIT_OBJECT_0;

    if (r == EBUSY || r == ETIMEDOUT)
        return WAIT_TIMEOUT;
    if (r == EOWNERDEAD) { /* the owner process died holding it */
        pthread_mutex_consistent(&m->lock);
        m->recursion = 0;
        how = WAIT_ABANDONED;
    } else if (r != 0) {
        winipc__set_error(r == EAGAIN ? ERROR_NOT_ENOUGH_MEMORY /* recursion limit */
                                      : ERROR_INVALID_HANDLE);
        return WAIT_FAILED;
    }
    if (m->abandoned) { /* given up by an exiting owner thread */
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
    (void)slept_on, (void)own_guard;
    return mutex_locked(obj, pthread_mutex_trylock(&mstate(obj)->lock));
}

static DWORD mutex_wait_single(struct winipc__object *obj, const struct timespec *deadline)
{
    pthread_mutex_t *m = &mstate(obj)->lock;

    return mutex_locked(obj, deadline ? pthread_mutex_clocklock(m, CLOCK_MONOTONIC, deadline)
                                      : pthread_mutex_lock(m));
}

/* One release by the owner. */
static void mutex_release(struct winipc__object *obj)
{
    struct winipc__sync_state *s = state(obj);
    struct winipc__mutex_state *m = &s->mutex;

    if (--m->recursion == 0) {
        m->owner_tid = 0;
        owned_remove(obj);
    }
    /* The unlock is a full barrier (an atomic exchange): either we see a sleeper
       here, or its try after counting itself in (wait.c) finds the mutex free. */
    pthread_mutex_unlock(&m->lock);
    if (atomic_load(&s->waiters)) {
        atomic_fetch_add(&s->word, 1);
        winipc__futex_wake(&s->word, INT_MAX, true);
    }
}

static void mutex_undo(struct winipc__object *obj, DWORD how)
{
    if (how == WAIT_ABANDONED)
        mstate(obj)->abandoned = 1; /* the next taker must still learn of it */
    mutex_release(obj);
}

static DWORD mutex_signal(struct winipc__object *obj, DWORD access)
{
    struct winipc__mutex_state *m = mstate(obj);

    (void)access; /* ReleaseMutex needs no access right, as on Windows */
    if (m->owner_tid != (uint32_t)winipc__thread_id() || m->recursion == 0)
        return ERROR_NOT_OWNER;
    mutex_release(obj);
    return 0;
}

/* The last ref is gone: defer if a thread of ours still owns it (see above). */
static bool mutex_retire(struct winipc__object *obj)
{
    bool owned;

    pthread_mutex_lock(&zombie_lock);
    owned = atomic_load_explicit(&obj->u.mutex.owned, memory_order_relaxed);
    obj->u.mutex.zombie = owned;
    pthread_mutex_unlock(&zombie_lock);
    return owned;
}

void winipc__mutex_abandon_owned(void)
{
    struct owned *o = my_owned;

    if (!o)
        return;
    while (o->n) {
        struct winipc__object *obj = o->obj[o->n - 1];
        struct winipc__mutex_state *m = mstate(obj);
        bool zombie;

        pthread_mutex_lock(&zombie_lock);
        m->abandoned = 1;
        while (m->recursion > 1) {
            m->recursion--;
            pthread_mutex_unlock(&m->lock);
        }
        mutex_release(obj); /* removes it from the array */
        zombie = obj->u.mutex.zombie;
        pthread_mutex_unlock(&zombie_lock);
        if (zombie)
            winipc__object_destroy(obj);
    }
    free(o);
    my_owned = NULL;
    pthread_setspecific(owned_key, NULL);
}

static const struct winipc__wait_ops mutex_wait_ops = {
    .shared = true,
    .poll_owner = true,
    .word = sync_word,
    .waiters = sync_waiters,
    .try_acquire = mutex_try_acquire,
    .undo = mutex_undo,
    .wait_single = mutex_wait_single,
    .signal = mutex_signal,
};

static const struct winipc__ops mutex_ops = {
    .kind = WINIPC__MUTEX,
    .all_access = MUTEX_ALL_ACCESS,
    .generic = {STANDARD_RIGHTS_READ | MUTANT_QUERY_STATE, STANDARD_RIGHTS_WRITE,
                STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE, MUTEX_ALL_ACCESS},
    .retire = mutex_retire,
    .wait = &mutex_wait_ops,
};

static HANDLE create_mutex(const SECURITY_ATTRIBUTES *sa, DWORD name_err,
                           const struct winipc__name *name, bool initial_owner, DWORD access)
{
    struct sync_params p = {.mutex = true};
    struct winipc__hold hold;
    bool created;
    HANDLE h = create_sync(&mutex_ops, sa, name_err, name, &p, access, &created);

    if (h && created && initial_owner && winipc__handle_hold(h, WINIPC__MUTEX, &hold)) {
        DWORD r = mutex_try_acquire(hold.obj, NULL, false);

        winipc__handle_release(&hold);
        if (r == WAIT_FAILED) {
            CloseHandle(h);
            return NULL;
        }
        winipc__set_error(ERROR_SUCCESS);
    }
    return h;
}

HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES sa, BOOL initial_owner, LPCSTR name)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_a(name, &n);

    return create_mutex(sa, err, &n, initial_owner, MUTEX_ALL_ACCESS);
}

HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES sa, BOOL initial_owner, LPCWSTR name)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_w(name, &n);

    return create_mutex(sa, err, &n, initial_owner, MUTEX_ALL_ACCESS);
}

HANDLE WINAPI CreateMutexExA(LPSECURITY_ATTRIBUTES sa, LPCSTR name, DWORD flags, DWORD access)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_a(name, &n);

    return create_mutex(sa, err, &n, flags & CREATE_MUTEX_INITIAL_OWNER, access);
}

HANDLE WINAPI CreateMutexExW(LPSECURITY_ATTRIBUTES sa, LPCWSTR name, DWORD flags, DWORD access)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_w(name, &n);

    return create_mutex(sa, err, &n, flags & CREATE_MUTEX_INITIAL_OWNER, access);
}

WINIPC__DEFINE_OPEN(OpenMutex, mutex_ops)

/* Runs `op` (a kind's signal) on a held handle of `kind`; the Win32 BOOL result. */
static BOOL signal_handle(HANDLE h, enum winipc__kind kind,
                          DWORD (*op)(struct winipc__object *, DWORD))
{
    struct winipc__hold hold;
    DWORD err;

    if (!winipc__handle_hold_brief(h, kind, &hold))
        return FALSE;
    err = op(hold.obj, hold.access);
    winipc__handle_release(&hold);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

BOOL WINAPI ReleaseMutex(HANDLE h)
{
    return signal_handle(h, WINIPC__MUTEX, mutex_signal);
}

/* ---- Events ------------------------------------------------------------------------ */

/*
 * word = guard | generation << 1 | signalled. An auto-reset event is taken by
 * clearing "signalled" with a CAS. SetEvent of a manual-reset event and PulseEvent
 * also bump the generation and leave one ticket per current sleeper (one in all
 * for an auto-reset pulse): a sleeper that wakes to find the generation changed
 * since it slept takes a ticket and is released even if the event was reset
 * before it ran -- so Set-then-Reset and PulseEvent release the waiters that were
 * waiting, as Windows does.
 * Differs from Windows: an auto-reset event is taken by whichever thread gets there
 * first after SetEvent; a thread that arrives just then can take it before the
 * woken waiter. Windows hands it to a waiter inside SetEvent.
 */

static DWORD event_try_acquire(struct winipc__object *obj, const uint32_t *slept_on, bool own_guard)
{
    struct winipc__sync_state *s = state(obj);
    uint32_t w = atomic_load(&s->word), t;

    for (;;) {
        if ((w & WINIPC__GUARD_BIT) && !own_guard)
            return WINIPC__WAIT_GUARDED;
        if (!(w & EV_SIGNALLED))
            break;
        if (s->manual_reset || atomic_compare_exchange_weak(&s->word, &w, w & ~EV_SIGNALLED))
            return WAIT_OBJECT_0;
    }
    if (!slept_on || ((*slept_on ^ w) & EV_GEN_MASK) == 0)
        return WAIT_TIMEOUT;
    t = atomic_load(&s->tickets);
    while (t) {
        if (atomic_compare_exchange_weak(&s->tickets, &t, t - 1))
            return WAIT_OBJECT_0;
    }
    return WAIT_TIMEOUT;
}

static void event_undo(struct winipc__object *obj, DWORD how)
{
    (void)how;
    if (!state(obj)->manual_reset)
        atomic_fetch_or(&state(obj)->word, EV_SIGNALLED);
}

/* Sets, resets or pulses; `pulse` leaves the event reset after releasing sleepers. */
static void event_update(struct winipc__object *obj, bool set, bool pulse)
{
    struct winipc__sync_state *s = state(obj);
    uint32_t sleepers = atomic_load(&s->waiters);
    bool release_sleepers = sleepers && (pulse || (set && s->manual_reset));
    uint32_t w = atomic_load(&s->word), n;

    if (release_sleepers)
        atomic_store(&s->tickets, s->manual_reset ? sleepers : 1);
    do {
        n = w;
        if (release_sleepers)
            n = (n & ~EV_GEN_MASK) | ((n + EV_GEN_ONE) & EV_GEN_MASK);
        n = (set && !pulse) ? n | EV_SIGNALLED : n & ~EV_SIGNALLED;
    } while (!atomic_compare_exchange_weak(&s->word, &w, n));
    if (set || pulse)
        wake_sleepers(s);
}

static DWORD event_set(struct winipc__object *obj, DWORD access)
{
    if (!(access & EVENT_MODIFY_STATE))
        return ERROR_ACCESS_DENIED;
    event_update(obj, true, false);
    return 0;
}

static DWORD event_reset(struct winipc__object *obj, DWORD access)
{
    if (!(access & EVENT_MODIFY_STATE))
        return ERROR_ACCESS_DENIED;
    event_update(obj, false, false);
    return 0;
}

static DWORD event_pulse(struct winipc__object *obj, DWORD access)
{
    if (!(access & EVENT_MODIFY_STATE))
        return ERROR_ACCESS_DENIED;
    event_update(obj, true, true);
    return 0;
}

static const struct winipc__wait_ops event_wait_ops = {
    .shared = true,
    .word = sync_word,
    .waiters = sync_waiters,
    .guard = sync_guard,
    .try_acquire = event_try_acquire,
    .undo = event_undo,
    .signal = event_set,
};

static const struct winipc__ops event_ops = {
    .kind = WINIPC__EVENT,
    .all_access = EVENT_ALL_ACCESS,
    .generic = {STANDARD_RIGHTS_READ | EVENT_QUERY_STATE,
                STANDARD_RIGHTS_WRITE | EVENT_MODIFY_STATE, STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
                EVENT_ALL_ACCESS},
    .wait = &event_wait_ops,
};

static HANDLE create_event(const SECURITY_ATTRIBUTES *sa, DWORD name_err,
                           const struct winipc__name *name, bool manual, bool initial, DWORD access)
{
    struct sync_params p = {.word = initial ? EV_SIGNALLED : 0, .manual_reset = manual};
    bool created;

    return create_sync(&event_ops, sa, name_err, name, &p, access, &created);
}

HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES sa, BOOL manual, BOOL initial, LPCSTR name)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_a(name, &n);

    return create_event(sa, err, &n, manual, initial, EVENT_ALL_ACCESS);
}

HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES sa, BOOL manual, BOOL initial, LPCWSTR name)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_w(name, &n);

    return create_event(sa, err, &n, manual, initial, EVENT_ALL_ACCESS);
}

/* Unknown dwFlags bits of the *Ex functions are ignored, as kernelbase does. */

HANDLE WINAPI CreateEventExA(LPSECURITY_ATTRIBUTES sa, LPCSTR name, DWORD flags, DWORD access)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_a(name, &n);

    return create_event(sa, err, &n, flags & CREATE_EVENT_MANUAL_RESET,
                        flags & CREATE_EVENT_INITIAL_SET, access);
}

HANDLE WINAPI CreateEventExW(LPSECURITY_ATTRIBUTES sa, LPCWSTR name, DWORD flags, DWORD access)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_w(name, &n);

    return create_event(sa, err, &n, flags & CREATE_EVENT_MANUAL_RESET,
                        flags & CREATE_EVENT_INITIAL_SET, access);
}

WINIPC__DEFINE_OPEN(OpenEvent, event_ops)

BOOL WINAPI SetEvent(HANDLE h)
{
    return signal_handle(h, WINIPC__EVENT, event_set);
}

BOOL WINAPI ResetEvent(HANDLE h)
{
    return signal_handle(h, WINIPC__EVENT, event_reset);
}

BOOL WINAPI PulseEvent(HANDLE h)
{
    return signal_handle(h, WINIPC__EVENT, event_pulse);
}

/* ---- Semaphores -------------------------------------------------------------------- */

/* word = guard | count; the count never exceeds the maximum, at most 0x7FFFFFFF. */

static DWORD sem_try_acquire(struct winipc__object *obj, const uint32_t *slept_on, bool own_guard)
{
    _Atomic uint32_t *word = &state(obj)->word;
    uint32_t w = atomic_load(word);

    (void)slept_on;
    for (;;) {
        if ((w & WINIPC__GUARD_BIT) && !own_guard)
            return WINIPC__WAIT_GUARDED;
        if ((w & SEM_COUNT_MASK) == 0)
            return WAIT_TIMEOUT;
        if (atomic_compare_exchange_weak(word, &w, w - 1))
            return WAIT_OBJECT_0;
    }
}

static void sem_undo(struct winipc__object *obj, DWORD how)
{
    (void)how;
    atomic_fetch_add(&state(obj)->word, 1);
}

/* Adds `count`; the previous count in *previous. 0 or a Win32 error. */
static DWORD sem_release(struct winipc__object *obj, DWORD access, LONG count, LONG *previous)
{
    struct winipc__sync_state *s = state(obj);
    uint32_t w = atomic_load(&s->word);

    if (!(access & SEMAPHORE_MODIFY_STATE))
        return ERROR_ACCESS_DENIED;
    if (count <= 0) /* "must be greater than zero" (Microsoft's ReleaseSemaphore page) */
        return ERROR_INVALID_PARAMETER;
    do {
        if ((uint32_t)count > (uint32_t)s->maximum - (w & SEM_COUNT_MASK))
            return ERROR_TOO_MANY_POSTS;
    } while (!atomic_compare_exchange_weak(&s->word, &w, w + (uint32_t)count));
    *previous = (LONG)(w & SEM_COUNT_MASK);
    wake_sleepers(s);
    return 0;
}

static DWORD sem_signal(struct winipc__object *obj, DWORD access)
{
    LONG previous;

    return sem_release(obj, access, 1, &previous);
}

static const struct winipc__wait_ops sem_wait_ops = {
    .shared = true,
    .word = sync_word,
    .waiters = sync_waiters,
    .guard = sync_guard,
    .try_acquire = sem_try_acquire,
    .undo = sem_undo,
    .signal = sem_signal,
};

static const struct winipc__ops sem_ops = {
    .kind = WINIPC__SEMAPHORE,
    .all_access = SEMAPHORE_ALL_ACCESS,
    .generic = {STANDARD_RIGHTS_READ | SEMAPHORE_QUERY_STATE,
                STANDARD_RIGHTS_WRITE | SEMAPHORE_MODIFY_STATE,
                STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE, SEMAPHORE_ALL_ACCESS},
    .wait = &sem_wait_ops,
};

static HANDLE create_semaphore(const SECURITY_ATTRIBUTES *sa, DWORD name_err,
                               const struct winipc__name *name, LONG initial, LONG maximum,
                               DWORD access)
{
    struct sync_params p = {.word = (uint32_t)initial, .maximum = maximum};
    bool created;

    /* Checked before the name, as NtCreateSemaphore does. */
    if (maximum <= 0 || initial < 0 || initial > maximum)
        return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
    return create_sync(&sem_ops, sa, name_err, name, &p, access, &created);
}

HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG maximum, LPCSTR name)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_a(name, &n);

    return create_semaphore(sa, err, &n, initial, maximum, SEMAPHORE_ALL_ACCESS);
}

HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG maximum, LPCWSTR name)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_w(name, &n);

    return create_semaphore(sa, err, &n, initial, maximum, SEMAPHORE_ALL_ACCESS);
}

HANDLE WINAPI CreateSemaphoreExA(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG maximum, LPCSTR name,
                                 DWORD flags, DWORD access)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_a(name, &n);

    (void)flags; /* reserved */
    return create_semaphore(sa, err, &n, initial, maximum, access);
}

HANDLE WINAPI CreateSemaphoreExW(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG maximum, LPCWSTR name,
                                 DWORD flags, DWORD access)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_w(name, &n);

    (void)flags; /* reserved */
    return create_semaphore(sa, err, &n, initial, maximum, access);
}

WINIPC__DEFINE_OPEN(OpenSemaphore, sem_ops)

BOOL WINAPI ReleaseSemaphore(HANDLE h, LONG count, LPLONG previous)
{
    struct winipc__hold hold;
    LONG prev;
    DWORD err;

    if (!winipc__handle_hold_brief(h, WINIPC__SEMAPHORE, &hold))
        return FALSE;
    err = sem_release(hold.obj, hold.access, count, &prev);
    winipc__handle_release(&hold);
    if (err)
        return winipc__fail(FALSE, err);
    if (previous)
        *previous = prev;
    return TRUE;
}
