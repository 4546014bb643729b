/*
 * thread.c - CreateThread, ExitThread, GetExitCodeThread and waitable thread handles.
 *
 * A thread object is process-local: its wait word (a private futex) becomes 1 when
 * the thread ends, after its fiber-local callbacks ran and the mutexes it still owned
 * were abandoned. The running thread holds one ref on its object and each handle
 * another, so either may go first. Threads not made by CreateThread get an object
 * the first time one is needed (DuplicateHandle of GetCurrentThread()); a pthread key
 * marks them exited at exit.
 */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

struct thread {
    struct winipc__object obj;
    struct winipc__wait_state ws; /* word: 0 running, 1 ended (its guard is unused) */
    _Atomic uint32_t started;     /* futex word: the thread id is known */
    DWORD exit_code;
    LPTHREAD_START_ROUTINE start;
    LPVOID param;
};

static pthread_key_t self_key;
static pthread_once_t self_once = PTHREAD_ONCE_INIT;

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
    atomic_store(&t->ws.word, 1);
    winipc__wake_sleepers(&t->ws, false);
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

static struct winipc__wait_state *thread_wait_state(struct winipc__object *obj)
{
    return &thread_of(obj)->ws;
}

static DWORD thread_try_acquire(struct winipc__object *obj, const uint32_t *slept_on,
                                bool own_guard)
{
    (void)slept_on, (void)own_guard;
    return atomic_load(&thread_of(obj)->ws.word) ? WAIT_OBJECT_0 : WAIT_TIMEOUT;
}

static bool thread_ready(struct winipc__object *obj)
{
    return atomic_load(&thread_of(obj)->ws.word) != 0;
}

static void thread_undo(struct winipc__object *obj, DWORD how)
{
    (void)obj, (void)how; /* an ended thread stays signalled */
}

static const struct winipc__wait_ops thread_wait_ops = {
    .state = thread_wait_state,
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
                STANDARD_RIGHTS_WRITE | THREAD_TERMINATE, STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
                THREAD_ALL_ACCESS},
    .wait = &thread_wait_ops,
};

/* A thread object with two refs: one for the thread itself, one for a handle. */
static struct thread *thread_new(void)
{
    struct winipc__object *obj = winipc__object_new_local(&winipc__thread_ops);

    if (!obj)
        return NULL;
    winipc__object_ref(obj);
    return thread_of(obj);
}

static void *trampoline(void *arg)
{
    struct thread *t = arg;
    DWORD code;

    pthread_setspecific(self_key, t);
    winipc__thread_id(); /* cache it before the creator reads it */
    atomic_store(&t->started, (uint32_t)winipc__tid);
    winipc__futex_wake(&t->started, INT_MAX, false);
    code = t->start(t->param);
    finish(t, code);
    return NULL;
}

#define CREATE_SUSPENDED 0x00000004
#define STACK_SIZE_PARAM_IS_A_RESERVATION 0x00010000

/*
 * Differs from Windows: CREATE_SUSPENDED is not supported (there is no ResumeThread);
 * it fails with ERROR_NOT_SUPPORTED. A NULL start routine is refused with
 * ERROR_INVALID_PARAMETER where Windows starts a thread that faults at address 0.
 */
HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES sa, SIZE_T stack_size,
                           LPTHREAD_START_ROUTINE start, LPVOID param, DWORD flags,
                           LPDWORD thread_id)
{
    pthread_attr_t attr;
    pthread_t pt;
    struct thread *t;
    uint32_t tid;
    HANDLE h;
    int err;

    (void)sa;
    if (winipc__bad_pointer(thread_id) || winipc__bad_pointer(sa))
        return winipc__fail(NULL, ERROR_NOACCESS);
    if (!start)
        return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
    if (flags & ~(DWORD)STACK_SIZE_PARAM_IS_A_RESERVATION)
        return winipc__fail(NULL, (flags & CREATE_SUSPENDED) ? ERROR_NOT_SUPPORTED
                                                             : ERROR_INVALID_PARAMETER);
    pthread_once(&self_once, self_init);
    t = thread_new();
    if (!t)
        return NULL;
    t->start = start;
    t->param = param;
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
    if (thread_id) {
        while ((tid = atomic_load(&t->started)) == 0)
            winipc__futex_wait(&t->started, 0, NULL, false);
        *thread_id = tid;
    }
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

BOOL WINAPI GetExitCodeThread(HANDLE h, LPDWORD code)
{
    struct winipc__hold hold;
    struct thread *t;

    if (!code || winipc__bad_pointer(code))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (h == WINIPC__PSEUDO_THREAD) {
        *code = STILL_ACTIVE;
        return TRUE;
    }
    if (!winipc__handle_hold(h, WINIPC__THREAD, &hold))
        return FALSE;
    t = thread_of(hold.obj);
    *code = atomic_load(&t->ws.word) ? t->exit_code : STILL_ACTIVE;
    winipc__handle_release(&hold);
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
