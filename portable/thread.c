/*
 * thread.c (portable backend) - CreateThread, ExitThread, GetExitCodeThread, waitable
 * thread handles, and suspended threads (CREATE_SUSPENDED, ResumeThread,
 * SuspendThread): posix/thread.c without futexes. The start and suspend handshakes
 * wait on a condition variable; a thread handle is waited for through the portable
 * wait engine (a wait block in process memory). There are no remote threads (no
 * CreateProcess on this backend).
 *
 * A thread object is process-local: its wait word becomes 1 when the thread ends,
 * after its fiber-local callbacks ran and the mutexes it still owned were abandoned. The running thread holds one ref on its object and each handle
 * another, so either may go first. Threads not made by CreateThread get an object
 * the first time one is needed (DuplicateHandle of GetCurrentThread()); a pthread key
 * marks them exited at exit.
 *
 * SUSPENDED THREADS
 *
 * CREATE_SUSPENDED starts the pthread at once -- so that its id is known and a
 * failure to create it is reported by CreateThread, as on Windows -- but the new
 * thread waits in its trampoline, before any of the caller's code, until its suspend
 * count drops to 0. ResumeThread decrements the count; SuspendThread
 * increments it while the thread has not started; TerminateThread of such a thread
 * marks it so that it ends without running. Once the count reached 0 the thread runs
 * and the count never rises again.
 *
 * Differs from Windows: SuspendThread of a thread that runs -- another one, or the
 * caller itself -- fails with ERROR_NOT_SUPPORTED, and so does TerminateThread of
 * another thread that runs. Stopping a thread at an arbitrary instruction is not
 * safe in a POSIX process (it may hold the allocator's lock, or be inside a winipc
 * call that other threads then wait for), and Microsoft's pages warn against both
 * for the same reasons; a thread that has not started yet holds nothing, so that
 * case works. TerminateThread of the calling thread is ExitThread.
 */
#include "portable.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>

/* `suspend` of a suspended thread that TerminateThread ended before it started. */
#define TERMINATED_UNSTARTED 0x80000000u

struct thread {
    struct winipc__object obj;
    struct winipc__pwait pw;  /* word: 0 running, 1 ended (its guard is unused) */
    _Atomic uint32_t started; /* the thread id, once known (gate) */
    _Atomic uint32_t suspend; /* suspend count before the start, 0: runs (gate) */
    DWORD exit_code;
    _Atomic uint32_t terminate_code; /* the code TerminateThread gave it before its start */
    LPTHREAD_START_ROUTINE start;
    LPVOID param;
};

static pthread_key_t self_key;
static pthread_once_t self_once = PTHREAD_ONCE_INIT;

/* Every thread's start and suspend handshakes wait here; changes are broadcast. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;

/* Waits until *word differs from `value`. */
static void gate_wait(_Atomic uint32_t *word, uint32_t value)
{
    pthread_mutex_lock(&gate_lock);
    while (atomic_load(word) == value)
        pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
}

/* After a change of a gate word: wakes the threads in gate_wait. */
static void gate_open(void)
{
    pthread_mutex_lock(&gate_lock);
    pthread_cond_broadcast(&gate_cond);
    pthread_mutex_unlock(&gate_lock);
}

static struct thread *thread_of(struct winipc__object *obj)
{
    return WINIPC__CONTAINER(obj, struct thread, obj);
}

/* Ends the calling thread's object: run its fiber-local callbacks, abandon its
   mutexes, publish the exit code. */
static void finish(struct thread *t, DWORD code)
{
    winipc__tls_thread_exit();
    winipc__mutex_abandon_owned();
    pthread_setspecific(self_key, NULL);
    t->exit_code = code;
    atomic_store(&t->pw.word, 1);
    winipc__pwait_wake(&t->pw);
    winipc__object_unref(&t->obj);
}

static void self_exit(void *p)
{
    finish(p, 0);
}

static void self_init(void)
{
    pthread_key_create(&self_key, self_exit);
}

struct winipc__pwait *winipc__thread_pwait(struct winipc__object *obj)
{
    return &thread_of(obj)->pw;
}

static DWORD thread_try_acquire(struct winipc__object *obj, const uint32_t *slept_on,
                                bool own_guard)
{
    (void)slept_on, (void)own_guard;
    return atomic_load(&thread_of(obj)->pw.word) ? WAIT_OBJECT_0 : WAIT_TIMEOUT;
}

static bool thread_ready(struct winipc__object *obj)
{
    return atomic_load(&thread_of(obj)->pw.word) != 0;
}

static void thread_undo(struct winipc__object *obj, DWORD how)
{
    (void)obj, (void)how; /* an ended thread stays signalled */
}

static const struct winipc__wait_ops thread_wait_ops = {
    .try_acquire = thread_try_acquire,
    .ready = thread_ready,
    .undo = thread_undo,
};

const struct winipc__ops winipc__thread_ops = {
    .kind = WINIPC__THREAD,
    .name = "Thread",
    .size = sizeof(struct thread),
    .all_access = THREAD_ALL_ACCESS,
    .generic = {STANDARD_RIGHTS_READ | THREAD_QUERY_INFORMATION,
                STANDARD_RIGHTS_WRITE | THREAD_TERMINATE | THREAD_SUSPEND_RESUME,
                STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE, THREAD_ALL_ACCESS},
    .wait = &thread_wait_ops,
};

/* A thread object with two refs: one for the thread itself, one for a handle. */
static struct thread *thread_new(void)
{
    struct winipc__object *obj = winipc__object_new_local(&winipc__thread_ops);

    if (!obj)
        return NULL;
    winipc__pwait_init(&thread_of(obj)->pw, 0);
    winipc__object_ref(obj);
    return thread_of(obj);
}

static void *trampoline(void *arg)
{
    struct thread *t = arg;
    uint32_t n;
    DWORD code;

    pthread_setspecific(self_key, t);
    winipc__thread_id(); /* cache it before the creator reads it */
    atomic_store(&t->started, (uint32_t)winipc__tid);
    gate_open();
    while ((n = atomic_load(&t->suspend)) != 0 && n != TERMINATED_UNSTARTED)
        gate_wait(&t->suspend, n); /* CREATE_SUSPENDED */
    code = n ? atomic_load(&t->terminate_code) : t->start(t->param);
    finish(t, code);
    return NULL;
}

/* The thread id, once the new thread published it (at once, before its start). */
static DWORD thread_id_of(struct thread *t)
{
    uint32_t tid;

    while ((tid = atomic_load(&t->started)) == 0)
        gate_wait(&t->started, 0);
    return tid;
}

/*
 * Differs from Windows: a NULL start routine is refused with ERROR_INVALID_PARAMETER
 * where Windows starts a thread that faults at address 0.
 */
HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES sa, SIZE_T stack_size,
                           LPTHREAD_START_ROUTINE start, LPVOID param, DWORD flags,
                           LPDWORD thread_id)
{
    pthread_attr_t attr;
    pthread_t pt;
    struct thread *t;
    HANDLE h;
    int err;

    (void)sa;
    if (winipc__bad_pointer(thread_id) || winipc__bad_pointer(sa))
        return winipc__fail(NULL, ERROR_NOACCESS);
    if (!start)
        return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
    if (flags & ~(DWORD)(STACK_SIZE_PARAM_IS_A_RESERVATION | CREATE_SUSPENDED))
        return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
    pthread_once(&self_once, self_init);
    t = thread_new();
    if (!t)
        return NULL;
    t->start = start;
    t->param = param;
    atomic_init(&t->suspend, (flags & CREATE_SUSPENDED) ? 1 : 0);
    h = winipc__handle_new(&t->obj, THREAD_ALL_ACCESS); /* the handle's ref */
    if (!h) {
        winipc__object_unref(&t->obj);
        return NULL;
    }
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (stack_size)
        pthread_attr_setstacksize(
            &attr, stack_size < (SIZE_T)PTHREAD_STACK_MIN ? (SIZE_T)PTHREAD_STACK_MIN : stack_size);
    err = pthread_create(&pt, &attr, trampoline, t);
    pthread_attr_destroy(&attr);
    if (err) {
        winipc__object_unref(&t->obj); /* the thread's ref */
        CloseHandle(h);
        return winipc__fail(NULL, ERROR_NOT_ENOUGH_MEMORY);
    }
    if (thread_id)
        *thread_id = thread_id_of(t);
    return h;
}

void WINAPI ExitThread(DWORD code)
{
    struct thread *t;

    pthread_once(&self_once, self_init);
    t = pthread_getspecific(self_key);
    if (t)
        finish(t, code);
    else
        winipc__mutex_abandon_owned();
    pthread_exit(NULL);
}

/*
 * Holds a thread handle with `right`: a thread of ours (*self if the caller's). The
 * pseudo-handle is the caller (hold->obj NULL).
 */
static bool hold_thread(HANDLE h, DWORD right, struct winipc__hold *hold, bool *self)
{
    unsigned kind;

    pthread_once(&self_once, self_init);
    *self = false;
    if (h == WINIPC__PSEUDO_THREAD) {
        hold->obj = NULL;
        *self = true;
        return true;
    }
    if (!winipc__handle_hold(h, 0, hold))
        return false;
    kind = hold->obj->ops->kind;
    if (kind != WINIPC__THREAD) {
        winipc__handle_release(hold);
        return winipc__fail(false, ERROR_INVALID_HANDLE);
    }
    if (!(hold->access & right)) {
        winipc__handle_release(hold);
        return winipc__fail(false, ERROR_ACCESS_DENIED);
    }
    *self = pthread_getspecific(self_key) == thread_of(hold->obj);
    return true;
}

static void release_thread(struct winipc__hold *hold)
{
    if (hold->obj)
        winipc__handle_release(hold);
}

BOOL WINAPI GetExitCodeThread(HANDLE h, LPDWORD code)
{
    struct winipc__hold hold;
    bool self;

    if (!code || winipc__bad_pointer(code))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (!hold_thread(h, THREAD_QUERY_INFORMATION | THREAD_QUERY_LIMITED_INFORMATION, &hold, &self))
        return FALSE;
    if (self) {
        *code = STILL_ACTIVE;
    } else {
        struct thread *t = thread_of(hold.obj);

        *code = atomic_load(&t->pw.word) ? t->exit_code : STILL_ACTIVE;
    }
    release_thread(&hold);
    return TRUE;
}

BOOL winipc__thread_duplicate_self(LPHANDLE target, DWORD options)
{
    struct thread *t;
    HANDLE h;

    (void)options; /* closing a pseudo-handle is a no-op */
    pthread_once(&self_once, self_init);
    t = pthread_getspecific(self_key);
    if (!t) { /* a thread CreateThread did not make: give it an object now */
        t = thread_new();
        if (!t)
            return FALSE;
        atomic_store(&t->started, (uint32_t)winipc__thread_id());
        pthread_setspecific(self_key, t); /* the thread's ref, dropped by self_exit */
    } else {
        winipc__object_ref(&t->obj);
    }
    h = winipc__handle_new(&t->obj, THREAD_ALL_ACCESS);
    if (!h)
        return FALSE;
    if (target) /* else leaked, as DuplicateHandle documents */
        *target = h;
    return TRUE;
}

/* ---- Suspend, resume, terminate ------------------------------------------------------- */

/*
 * Holds a thread handle that has `right`; false with the error set. *self tells
 * whether it is the calling thread (also for GetCurrentThread()'s pseudo-handle,
 * which then needs no hold: hold->obj is NULL).
 */
/* Whether the thread has ended, or will without running (terminated unstarted). */
static bool ended(struct thread *t)
{
    return atomic_load(&t->pw.word) || atomic_load(&t->suspend) == TERMINATED_UNSTARTED;
}

/*
 * Returns the previous suspend count; the thread starts when it drops to 0. A
 * running or ended thread has a count of 0, which stays 0.
 */
DWORD WINAPI ResumeThread(HANDLE h)
{
    struct winipc__hold hold;
    uint32_t n = 0;
    bool self;

    if (!hold_thread(h, THREAD_SUSPEND_RESUME, &hold, &self))
        return (DWORD)-1;
    if (!self) {
        _Atomic uint32_t *count = &thread_of(hold.obj)->suspend;

        n = atomic_load(count);
        while (n != 0 && n != TERMINATED_UNSTARTED &&
               !atomic_compare_exchange_weak(count, &n, n - 1))
            ;
        if (n == 1)
            gate_open();
        if (n == TERMINATED_UNSTARTED)
            n = 0;
    }
    release_thread(&hold);
    return n;
}

/*
 * Adds one to the suspend count of a thread that has not started (CREATE_SUSPENDED)
 * and returns the previous count; at MAXIMUM_SUSPEND_COUNT it fails with
 * ERROR_SIGNAL_REFUSED (NT's STATUS_SUSPEND_COUNT_EXCEEDED), and for an ended thread
 * with ERROR_ACCESS_DENIED, as Windows does. A thread that runs: see the top.
 */
DWORD WINAPI SuspendThread(HANDLE h)
{
    struct winipc__hold hold;
    DWORD err = 0;
    uint32_t n = 0;
    bool self;

    if (!hold_thread(h, THREAD_SUSPEND_RESUME, &hold, &self))
        return (DWORD)-1;
    if (self) {
        err = ERROR_NOT_SUPPORTED;
    } else {
        struct thread *t = thread_of(hold.obj);

        n = atomic_load(&t->suspend);
        for (;;) {
            if (ended(t))
                err = ERROR_ACCESS_DENIED;
            else if (n == 0)
                err = ERROR_NOT_SUPPORTED;
            else if (n >= MAXIMUM_SUSPEND_COUNT)
                err = ERROR_SIGNAL_REFUSED;
            if (err || atomic_compare_exchange_weak(&t->suspend, &n, n + 1))
                break;
        }
    }
    release_thread(&hold);
    return err ? winipc__fail((DWORD)-1, err) : n;
}

/*
 * Ends a thread that has not started (it never runs its start routine), or the
 * calling thread (ExitThread). An ended thread keeps its exit code. A thread that
 * runs: see the top.
 */
BOOL WINAPI TerminateThread(HANDLE h, DWORD code)
{
    struct winipc__hold hold;
    struct thread *t;
    DWORD err = 0;
    uint32_t n;
    bool self;

    if (!hold_thread(h, THREAD_TERMINATE, &hold, &self))
        return FALSE;
    if (self) {
        release_thread(&hold);
        ExitThread(code);
        return FALSE; /* not reached */
    }
    t = thread_of(hold.obj);
    n = atomic_load(&t->suspend);
    for (;;) {
        if (ended(t))
            break;
        if (n == 0) {
            err = ERROR_NOT_SUPPORTED;
            break;
        }
        atomic_store(&t->terminate_code, code); /* read by the thread once released */
        if (atomic_compare_exchange_weak(&t->suspend, &n, TERMINATED_UNSTARTED)) {
            gate_open();
            break;
        }
    }
    release_thread(&hold);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

DWORD WINAPI GetThreadId(HANDLE h)
{
    struct winipc__hold hold;
    DWORD tid;
    bool self;

    if (!hold_thread(h, THREAD_QUERY_INFORMATION | THREAD_QUERY_LIMITED_INFORMATION, &hold, &self))
        return 0;
    if (!hold.obj)
        tid = GetCurrentThreadId();
    else
        tid = thread_id_of(thread_of(hold.obj));
    release_thread(&hold);
    return tid;
}

/*
 * Differs from Windows: returns TRUE whether or not another thread was ready to run
 * (sched_yield does not tell).
 */
BOOL WINAPI SwitchToThread(void)
{
    sched_yield();
    return TRUE;
}
