/*
 * sync_api.c - what both backends share of the Win32 object calls: the Create and
 * Open steps every named kind goes through (sections too), and the entry points of
 * mutexes, events, semaphores and waitable timers -- argument checks in Windows'
 * order, names, access rights, handles. What an object of each kind is -- its shared
 * state, how it is taken and signalled -- is the backend's (posix/mutex.c, event.c,
 * semaphore.c, timer.c on futexes; portable/ on named semaphores), reached through
 * winipc__object_open, the kinds' ops, winipc__mutex_signal, winipc__event_update,
 * winipc__semaphore_release and winipc__timer_change.
 */
#include "internal.h"

#include <time.h>

/* ---- Create and Open, for every named kind ----------------------------------------- */

HANDLE winipc__create_handle(const struct winipc__create *c, DWORD name_err,
                             const struct winipc__name *name, DWORD access, bool *created_out)
{
    struct winipc__object *obj;
    bool created;
    DWORD err;
    HANDLE h;

    if (name_err)
        return winipc__fail(NULL, name_err);
    err = winipc__object_open(name, c, &obj, &created);
    if (err)
        return winipc__fail(NULL, err);
    h = winipc__handle_new_ex(obj, access, c->handle_flags);
    if (h && c->create)
        winipc__set_error(created ? ERROR_SUCCESS : ERROR_ALREADY_EXISTS);
    if (created_out)
        *created_out = created;
    return h;
}

/*
 * The Open* functions: an existing object of `ops`'s kind, by name, with the access
 * asked for: bits the kind does not define, or none at all, are refused
 * (ERROR_ACCESS_DENIED), as NT's access check refuses them.
 */
static HANDLE open_named(const struct winipc__ops *ops, DWORD access, BOOL inherit, DWORD name_err,
                         const struct winipc__name *name)
{
    struct winipc__create c = {.ops = ops, .create = false};
    DWORD granted, err = name_err;
    struct winipc__object *obj;
    bool created;

    if (!err && !name->present) /* the object directory itself: not of any kind */
        err = ERROR_INVALID_HANDLE;
    if (!err) /* the name is looked up first: a missing one is ERROR_FILE_NOT_FOUND */
        err = winipc__object_open(name, &c, &obj, &created);
    if (err)
        return winipc__fail(NULL, err);
    err = winipc__access_for(ops, access, &granted);
    if (!err && !granted)
        err = ERROR_ACCESS_DENIED;
    if (err) {
        winipc__object_unref(obj);
        return winipc__fail(NULL, err);
    }
    return winipc__handle_new_ex(obj, granted, inherit ? HANDLE_FLAG_INHERIT : 0);
}

HANDLE winipc__open_a(const struct winipc__ops *ops, DWORD access, BOOL inherit, LPCSTR name)
{
    struct winipc__name n;

    if (!name)
        return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
    return open_named(ops, access, inherit, winipc__name_from_a(name, &n), &n);
}

HANDLE winipc__open_w(const struct winipc__ops *ops, DWORD access, BOOL inherit, LPCWSTR name)
{
    struct winipc__name n;

    if (!name)
        return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
    return open_named(ops, access, inherit, winipc__name_from_w(name, &n), &n);
}

/* ---- Mutexes ------------------------------------------------------------------------- */

/* The Create* functions' common part; takes initial ownership of a new mutex. */
static HANDLE create_mutex(const SECURITY_ATTRIBUTES *sa, DWORD name_err,
                           const struct winipc__name *name, bool initial_owner, DWORD access)
{
    struct winipc__create c = {.ops = &winipc__mutex_ops, .create = true};
    struct winipc__hold hold;
    bool created = false;
    HANDLE h;

    if (!name_err)
        name_err = winipc__object_mode(name, sa, &c.mode);
    c.handle_flags = winipc__inherit_flag(sa);
    c.shm_size = winipc__page_size();
    h = winipc__create_handle(&c, name_err, name, winipc__access_map(&winipc__mutex_ops, access),
                              &created);
    /* Windows gives initial ownership only to the creator. */
    if (h && initial_owner && created && winipc__handle_hold(h, WINIPC__MUTEX, &hold)) {
        DWORD r = winipc__mutex_ops.wait->try_acquire(hold.obj, NULL, false);

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

HANDLE WINAPI OpenMutexA(DWORD access, BOOL inherit, LPCSTR name)
{
    return winipc__open_a(&winipc__mutex_ops, access, inherit, name);
}

HANDLE WINAPI OpenMutexW(DWORD access, BOOL inherit, LPCWSTR name)
{
    return winipc__open_w(&winipc__mutex_ops, access, inherit, name);
}

BOOL WINAPI ReleaseMutex(HANDLE h)
{
    struct winipc__hold hold;
    DWORD err;

    if (!winipc__handle_hold_brief(h, WINIPC__MUTEX, &hold))
        return FALSE;
    err = winipc__mutex_signal(hold.obj, hold.access);
    winipc__handle_release(&hold);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

/* ---- Events -------------------------------------------------------------------------- */

static HANDLE create_event(const SECURITY_ATTRIBUTES *sa, DWORD name_err,
                           const struct winipc__name *name, bool manual_reset, bool initial,
                           DWORD access)
{
    struct winipc__event_params p = {.manual_reset = manual_reset, .initial = initial};
    struct winipc__create c = {.ops = &winipc__event_ops, .create = true, .arg = &p};

    if (!name_err)
        name_err = winipc__object_mode(name, sa, &c.mode);
    c.handle_flags = winipc__inherit_flag(sa);
    c.shm_size = winipc__page_size();
    return winipc__create_handle(&c, name_err, name, winipc__access_map(&winipc__event_ops, access),
                                 NULL);
}

HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES sa, BOOL manual_reset, BOOL initial, LPCSTR name)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_a(name, &n);

    return create_event(sa, err, &n, manual_reset, initial, EVENT_ALL_ACCESS);
}

HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES sa, BOOL manual_reset, BOOL initial, LPCWSTR name)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_w(name, &n);

    return create_event(sa, err, &n, manual_reset, initial, EVENT_ALL_ACCESS);
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

HANDLE WINAPI OpenEventA(DWORD access, BOOL inherit, LPCSTR name)
{
    return winipc__open_a(&winipc__event_ops, access, inherit, name);
}

HANDLE WINAPI OpenEventW(DWORD access, BOOL inherit, LPCWSTR name)
{
    return winipc__open_w(&winipc__event_ops, access, inherit, name);
}

/* Set, reset or pulse through a handle with EVENT_MODIFY_STATE. */
static BOOL update(HANDLE h, bool set, bool pulse)
{
    struct winipc__hold hold;
    bool allowed;

    if (!winipc__handle_hold_brief(h, WINIPC__EVENT, &hold))
        return FALSE;
    allowed = hold.access & EVENT_MODIFY_STATE;
    if (allowed)
        winipc__event_update(hold.obj, set, pulse);
    winipc__handle_release(&hold);
    return allowed ? TRUE : winipc__fail(FALSE, ERROR_ACCESS_DENIED);
}

BOOL WINAPI SetEvent(HANDLE h)
{
    return update(h, true, false);
}

BOOL WINAPI ResetEvent(HANDLE h)
{
    return update(h, false, false);
}

BOOL WINAPI PulseEvent(HANDLE h)
{
    return update(h, true, true);
}

/* ---- Semaphores ---------------------------------------------------------------------- */

static HANDLE create_semaphore(const SECURITY_ATTRIBUTES *sa, DWORD name_err,
                               const struct winipc__name *name, LONG initial, LONG max,
                               DWORD access)
{
    struct winipc__semaphore_params p = {.initial = initial, .maximum = max};
    struct winipc__create c = {.ops = &winipc__semaphore_ops, .create = true, .arg = &p};

    /* Checked before the name, as NtCreateSemaphore does. */
    if (max <= 0 || initial < 0 || initial > max)
        return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
    if (!name_err)
        name_err = winipc__object_mode(name, sa, &c.mode);
    c.handle_flags = winipc__inherit_flag(sa);
    c.shm_size = winipc__page_size();
    return winipc__create_handle(&c, name_err, name,
                                 winipc__access_map(&winipc__semaphore_ops, access), NULL);
}

HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG max, LPCSTR name)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_a(name, &n);

    return create_semaphore(sa, err, &n, initial, max, SEMAPHORE_ALL_ACCESS);
}

HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG max, LPCWSTR name)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_w(name, &n);

    return create_semaphore(sa, err, &n, initial, max, SEMAPHORE_ALL_ACCESS);
}

HANDLE WINAPI CreateSemaphoreExA(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG max, LPCSTR name,
                                 DWORD flags, DWORD access)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_a(name, &n);

    (void)flags; /* reserved */
    return create_semaphore(sa, err, &n, initial, max, access);
}

HANDLE WINAPI CreateSemaphoreExW(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG max, LPCWSTR name,
                                 DWORD flags, DWORD access)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_w(name, &n);

    (void)flags; /* reserved */
    return create_semaphore(sa, err, &n, initial, max, access);
}

HANDLE WINAPI OpenSemaphoreA(DWORD access, BOOL inherit, LPCSTR name)
{
    return winipc__open_a(&winipc__semaphore_ops, access, inherit, name);
}

HANDLE WINAPI OpenSemaphoreW(DWORD access, BOOL inherit, LPCWSTR name)
{
    return winipc__open_w(&winipc__semaphore_ops, access, inherit, name);
}

BOOL WINAPI ReleaseSemaphore(HANDLE h, LONG count, LPLONG previous)
{
    struct winipc__hold hold;
    LONG prev;
    DWORD err;

    if (!winipc__handle_hold_brief(h, WINIPC__SEMAPHORE, &hold))
        return FALSE;
    if (winipc__bad_pointer(previous)) { /* probed before anything is released */
        winipc__handle_release(&hold);
        return winipc__fail(FALSE, ERROR_NOACCESS);
    }
    err = winipc__semaphore_release(hold.obj, hold.access, count, &prev);
    winipc__handle_release(&hold);
    if (err)
        return winipc__fail(FALSE, err);
    if (previous)
        *previous = prev;
    return TRUE;
}

/* ---- Waitable timers ----------------------------------------------------------------- */

#define NEVER INT64_MAX /* the due time of an inactive timer */
#define NS_PER_MS 1000000
#define FILETIME_1970 116444736000000000LL /* 1970-01-01 in FILETIME units */

static int64_t monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static HANDLE create_timer(const SECURITY_ATTRIBUTES *sa, DWORD name_err,
                           const struct winipc__name *name, bool manual_reset, DWORD access)
{
    struct winipc__timer_params p = {.manual_reset = manual_reset};
    struct winipc__create c = {.ops = &winipc__timer_ops, .create = true, .arg = &p};

    if (!name_err)
        name_err = winipc__object_mode(name, sa, &c.mode);
    c.shm_size = winipc__page_size();
    return winipc__create_handle(&c, name_err, name, winipc__access_map(&winipc__timer_ops, access),
                                 NULL);
}

HANDLE WINAPI CreateWaitableTimerA(LPSECURITY_ATTRIBUTES sa, BOOL manual_reset, LPCSTR name)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_a(name, &n);

    return create_timer(sa, err, &n, manual_reset, TIMER_ALL_ACCESS);
}

HANDLE WINAPI CreateWaitableTimerW(LPSECURITY_ATTRIBUTES sa, BOOL manual_reset, LPCWSTR name)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_w(name, &n);

    return create_timer(sa, err, &n, manual_reset, TIMER_ALL_ACCESS);
}

/*
 * CREATE_WAITABLE_TIMER_HIGH_RESOLUTION is accepted: every timer here has the
 * resolution of the kernel's clocks. Unknown dwFlags bits are ignored, as kernelbase
 * does.
 */
HANDLE WINAPI CreateWaitableTimerExA(LPSECURITY_ATTRIBUTES sa, LPCSTR name, DWORD flags,
                                     DWORD access)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_a(name, &n);

    return create_timer(sa, err, &n, flags & CREATE_WAITABLE_TIMER_MANUAL_RESET, access);
}

HANDLE WINAPI CreateWaitableTimerExW(LPSECURITY_ATTRIBUTES sa, LPCWSTR name, DWORD flags,
                                     DWORD access)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_w(name, &n);

    return create_timer(sa, err, &n, flags & CREATE_WAITABLE_TIMER_MANUAL_RESET, access);
}

HANDLE WINAPI OpenWaitableTimerA(DWORD access, BOOL inherit, LPCSTR name)
{
    return winipc__open_a(&winipc__timer_ops, access, inherit, name);
}

HANDLE WINAPI OpenWaitableTimerW(DWORD access, BOOL inherit, LPCWSTR name)
{
    return winipc__open_w(&winipc__timer_ops, access, inherit, name);
}

/*
 * The schedule of a SetWaitableTimer: a negative due time is relative (CLOCK_MONOTONIC),
 * a positive one an absolute FILETIME (CLOCK_REALTIME); zero is due at once. Times
 * before 1970 are long past; times beyond the clocks' range are never.
 */
static void plan_of(LONGLONG due, LONG period_ms, struct winipc__timer_plan *p)
{
    p->period = (int64_t)period_ms * NS_PER_MS;
    if (due <= 0) {
        int64_t now = monotonic_ns();

        p->clock = WINIPC__TIMER_MONOTONIC;
        if (due < -((NEVER - now) / 100))
            p->due = NEVER;
        else
            p->due = now - due * 100;
    } else {
        p->clock = WINIPC__TIMER_REALTIME;
        if (due < FILETIME_1970)
            p->due = 0;
        else if (due - FILETIME_1970 > NEVER / 100)
            p->due = NEVER;
        else
            p->due = (due - FILETIME_1970) * 100;
    }
}

/*
 * The checks run in NtSetTimer's order: the period, the due time, then the handle
 * and its TIMER_MODIFY_STATE right. fResume asks to wake a sleeping machine, which
 * winipc cannot: the call succeeds and sets ERROR_NOT_SUPPORTED, which is what
 * Microsoft documents for a system that does not support it.
 * Differs from Windows: a completion routine is refused (ERROR_NOT_SUPPORTED): there
 * are no APCs to call it, and a timer that silently never ran it would lose the work
 * it was meant to do.
 */
static BOOL set_timer(HANDLE h, const LARGE_INTEGER *due, LONG period, PTIMERAPCROUTINE routine,
                      BOOL resume)
{
    struct winipc__hold hold;
    struct winipc__timer_plan p;
    DWORD err = 0;

    if (period < 0)
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    if (!due || winipc__bad_pointer(due))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (!winipc__handle_hold(h, WINIPC__TIMER, &hold)) /* counted: the change may wait */
        return FALSE;
    if (!(hold.access & TIMER_MODIFY_STATE))
        err = ERROR_ACCESS_DENIED;
    else if (routine)
        err = ERROR_NOT_SUPPORTED;
    if (!err) {
        plan_of(due->QuadPart, period, &p);
        err = winipc__timer_change(hold.obj, &p, true);
    }
    winipc__handle_release(&hold);
    if (err)
        return winipc__fail(FALSE, err);
    if (resume)
        winipc__set_error(ERROR_NOT_SUPPORTED);
    return TRUE;
}

BOOL WINAPI SetWaitableTimer(HANDLE h, const LARGE_INTEGER *due, LONG period,
                             PTIMERAPCROUTINE routine, LPVOID routine_arg, BOOL resume)
{
    (void)routine_arg;
    return set_timer(h, due, period, routine, resume);
}

/* The wake context and the tolerable delay (coalescing) are accepted and unused. */
BOOL WINAPI SetWaitableTimerEx(HANDLE h, const LARGE_INTEGER *due, LONG period,
                               PTIMERAPCROUTINE routine, LPVOID routine_arg,
                               PREASON_CONTEXT wake_context, ULONG tolerable_delay)
{
    (void)routine_arg, (void)wake_context, (void)tolerable_delay;
    return set_timer(h, due, period, routine, FALSE);
}

/* Makes the timer inactive; a signalled timer stays signalled (Microsoft's remarks). */
BOOL WINAPI CancelWaitableTimer(HANDLE h)
{
    struct winipc__timer_plan never = {.due = NEVER, .period = 0, .clock = WINIPC__TIMER_MONOTONIC};
    struct winipc__hold hold;
    DWORD err;

    if (!winipc__handle_hold(h, WINIPC__TIMER, &hold))
        return FALSE;
    err = (hold.access & TIMER_MODIFY_STATE) ? winipc__timer_change(hold.obj, &never, false)
                                             : ERROR_ACCESS_DENIED;
    winipc__handle_release(&hold);
    return err ? winipc__fail(FALSE, err) : TRUE;
}
