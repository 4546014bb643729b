/*
 * timer.c (portable backend) - waitable timers: named and unnamed, manual-reset
 * (notification) and synchronization (auto-reset), one-shot and periodic, across
 * processes. posix/timer.c on the portable wait block: its guard is the portable
 * wait-all guard (wait.c), whose holder's death is noticed by its process record
 * instead of a robust mutex.
 *
 * A TIMER FIRES WITHOUT A SERVER
 *
 * Nothing runs when a timer comes due: there is no server and no helper thread. The
 * timer's shared state holds its schedule (a due time on a clock, and a period), and
 * the timer fires lazily: whoever looks at it -- a wait's try, in any process -- and
 * finds the due time passed fires it: sets it signalled and moves the schedule on (by
 * whole periods past now, or to "never"). A thread that sleeps on a timer sleeps no
 * later than its due time (the wait engine asks the kind's wake_at: wait.c's
 * sleep_on), then tries again and so fires it. So a timer never fires early, a waiter
 * sees it come due one scheduler latency late at most, and a timer nobody waits on
 * fires when someone next looks, which nobody can tell apart. Periods a timer spent
 * unobserved do not pile up: a periodic timer is signalled or not, as on Windows.
 *
 * The wait-state word is guard | taken | sets << 16 | fires << 2 | slot | signalled:
 *   signalled  the timer's state. A synchronization timer is taken by clearing it
 *              with a CAS (no syscall); a manual-reset timer stays signalled until
 *              the next SetWaitableTimer.
 *   slot       which of the two schedules in the shared state is the current one.
 *   fires      expiries so far, mod 2^14. A sleeper on a manual-reset timer that wakes
 *              to find it changed is released even if a SetWaitableTimer reset the
 *              timer before the sleeper ran, as on Windows, where the expiry itself
 *              releases every waiter.
 *   sets       SetWaitableTimer and CancelWaitableTimer calls so far, mod 2^14: a new
 *              schedule changes the word (readers without the guard see it, below),
 *              and whoever changes it wakes the sleepers, which look at it.
 *
 * Whoever changes the schedule -- SetWaitableTimer, CancelWaitableTimer, a firing --
 * holds the timer's wait-all guard (wait.c), writes the schedule that is not current,
 * and makes it current with one CAS on the word that also sets or clears "signalled"
 * and counts the change. A process killed at any point of a change has therefore
 * changed all or nothing: the next guard holder takes the dead holder's guard over
 * (wait.c), and there
 * is no half-written schedule to repair. Readers without the guard (a wait's quick
 * "is it due?" and wake_at) read the word before and after the schedule and read
 * again if the schedule changed under them (a seqlock). A try that finds the timer due
 * while someone holds the guard (a wait-all, or a change) answers WINIPC__WAIT_GUARDED,
 * so the engine waits for the guard as for a wait-all, then tries again.
 *
 * Wait-all takes a synchronization timer with the taken mark, as an auto-reset event
 * (wait.c), and fires it itself when it is due, since it holds the guard.
 *
 * CLOCKS
 *
 * A relative due time counts on CLOCK_MONOTONIC: no change of the wall clock moves
 * it, and, as on Windows 8 and later, time the machine spends suspended does not
 * count. An absolute due time (a FILETIME, UTC) counts on CLOCK_REALTIME, so that it
 * follows the wall clock as on Windows; the later periods of a periodic timer count
 * on the clock of its first due time. Both clocks read the same in every process, so
 * the schedule in shared memory means the same to all of them.
 *
 * Differs from Windows: a thread waiting on a timer set to an absolute time notices a
 * step of the wall clock within a second (its sleeps on such a timer last 1 s at
 * most), not at once. A synchronization timer's expiry is taken by whichever thread
 * gets there first, like an auto-reset event's SetEvent (event.c), and a
 * SetWaitableTimer between the expiry and a sleeper's wake-up resets it before the
 * sleeper takes it; Windows hands the expiry to one waiter as it occurs.
 */
#include "portable.h"

#include <errno.h>

#define TM_SIGNALLED WINIPC__PTIMER_SIGNALLED
#define TM_SLOT WINIPC__PTIMER_SLOT
#define TM_FIRE_ONE 0x00000004u
#define TM_FIRE_MASK 0x0000FFFCu
#define TM_SET_ONE 0x00010000u
#define TM_SET_MASK 0x3FFF0000u
#define TM_SCHEDULE (TM_SLOT | TM_FIRE_MASK | TM_SET_MASK) /* bits a new schedule changes */

#define NEVER INT64_MAX /* the due time of an inactive timer */
#define NS_PER_MS 1000000
#define NS_PER_S 1000000000
#define ABSOLUTE_RECHECK_NS NS_PER_S /* see CLOCKS above */
#define CHANGE_WAIT_MS 2000          /* the longest a change waits for the guard */
#define MAX_PERIOD_NS ((int64_t)0x7FFFFFFF * NS_PER_MS) /* lPeriod is a LONG of ms */

enum { ON_MONOTONIC = WINIPC__TIMER_MONOTONIC, ON_REALTIME = WINIPC__TIMER_REALTIME };

_Static_assert(__atomic_always_lock_free(sizeof(int64_t), 0), "64-bit atomics without locks");

struct timer {
    struct winipc__object obj;
    bool manual_reset;   /* read once at open: the shared page is not trusted */
    bool open_to_others; /* other users may change it (wait.c) */
};

static struct winipc__ptimer_state *tstate(struct winipc__object *obj)
{
    return winipc__object_state(obj);
}

static bool manual(struct winipc__object *obj)
{
    return WINIPC__CONTAINER(obj, struct timer, obj)->manual_reset;
}

static struct winipc__ptimer_schedule *slot(struct winipc__ptimer_state *s, uint32_t word,
                                            bool current)
{
    return &s->schedule[((word & TM_SLOT) != 0) == current];
}

/* Adds one to the counter `mask` of word w, wrapping inside the counter. */
static uint32_t count(uint32_t w, uint32_t one, uint32_t mask)
{
    return (w & ~mask) | ((w + one) & mask);
}

static int64_t clock_ns(uint32_t clock)
{
    struct timespec ts;

    clock_gettime(clock == ON_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

/*
 * Reads a schedule. Anyone who may open the timer can write the page, so every value
 * is bounded here: an unknown clock makes the timer inactive, a negative due time is
 * long past, and a period out of range makes it one-shot.
 */
static void read_plan(const struct winipc__ptimer_schedule *sc, struct winipc__timer_plan *p)
{
    p->due = atomic_load_explicit(&sc->due, memory_order_acquire);
    p->period = atomic_load_explicit(&sc->period, memory_order_acquire);
    p->clock = atomic_load_explicit(&sc->clock, memory_order_acquire);
    if (p->clock != ON_MONOTONIC && p->clock != ON_REALTIME)
        p->due = NEVER;
    if (p->due < 0)
        p->due = 0;
    if (p->period < 0 || p->period > MAX_PERIOD_NS)
        p->period = 0;
}

/*
 * Writes the schedule that is not current (guard held); the caller's CAS publishes it.
 * Release stores, read with acquire loads (read_plan): a reader that sees any of them
 * also sees the word change that made this schedule not current (current_plan).
 */
static void write_plan(struct winipc__ptimer_schedule *sc, const struct winipc__timer_plan *p)
{
    atomic_store_explicit(&sc->due, p->due, memory_order_release);
    atomic_store_explicit(&sc->period, p->period, memory_order_release);
    atomic_store_explicit(&sc->clock, p->clock, memory_order_release);
}

/*
 * The current schedule without the guard, and the word it belongs to. False if it
 * kept changing under us; the caller then looks again under the guard, or soon.
 */
static bool current_plan(struct winipc__ptimer_state *s, uint32_t *word,
                         struct winipc__timer_plan *p)
{
    uint32_t w = atomic_load(&s->pw.word), again;

    for (int tries = 0; tries < 4; tries++, w = again) {
        read_plan(slot(s, w, true), p);
        again = atomic_load(&s->pw.word);
        if (((again ^ w) & TM_SCHEDULE) == 0) {
            *word = again;
            return true;
        }
    }
    return false;
}

/* The first due + k * period after now (k >= 1), for due <= now; NEVER past the clock. */
static int64_t next_due(int64_t due, int64_t period, int64_t now)
{
    int64_t k = (now - due) / period + 1;

    if (k > (NEVER - due) / period)
        return NEVER;
    return due + k * period;
}

/*
 * Fires the timer if its due time has passed: one CAS makes it signalled, counts the
 * expiry and makes the next schedule current (written first). Guard held.
 */
static void fire(struct winipc__ptimer_state *s)
{
    uint32_t w = atomic_load(&s->pw.word), n;
    struct winipc__timer_plan p;
    int64_t now;

    read_plan(slot(s, w, true), &p);
    if (p.due == NEVER || (now = clock_ns(p.clock)) < p.due)
        return;
    p.due = p.period ? next_due(p.due, p.period, now) : NEVER;
    write_plan(slot(s, w, false), &p);
    do /* only "signalled" and "taken" can change meanwhile: we hold the guard */
        n = count((w ^ TM_SLOT) | TM_SIGNALLED, TM_FIRE_ONE, TM_FIRE_MASK);
    while (!atomic_compare_exchange_weak(&s->pw.word, &w, n));
    winipc__pwait_wake(&s->pw);
}

/* Gives back a wait-all's marked take, unless a SetWaitableTimer reset it meanwhile. */
static void timer_give_back(struct winipc__object *obj)
{
    _Atomic uint32_t *word = &tstate(obj)->pw.word;
    uint32_t w = atomic_load(word);

    while ((w & WINIPC__PTAKEN_BIT) &&
           !atomic_compare_exchange_weak(word, &w, (w | TM_SIGNALLED) & ~WINIPC__PTAKEN_BIT))
        ;
}

/* The Win32 error of a guard lock's answer r (wait.c). */
static DWORD guard_error(int r)
{
    return r == 0           ? 0
           : r == ETIMEDOUT ? ERROR_TIMEOUT
           : r == ENOMEM    ? ERROR_NOT_ENOUGH_MEMORY
                            : ERROR_INVALID_HANDLE;
}

/* Fires a due timer from a single wait: 0, WINIPC__WAIT_GUARDED, or WAIT_FAILED. */
static DWORD fire_from_wait(struct winipc__object *obj)
{
    int r = winipc__pguard_trylock(obj);

    if (r == EBUSY)
        return WINIPC__WAIT_GUARDED;
    if (r != 0)
        return winipc__fail(WAIT_FAILED, guard_error(r));
    fire(tstate(obj));
    if (!winipc__pguard_unlock(obj))
        return winipc__fail(WAIT_FAILED, ERROR_INVALID_HANDLE);
    return 0;
}

/* Whether the current schedule's due time has passed, looking without the guard. */
static bool due_now(struct winipc__ptimer_state *s)
{
    struct winipc__timer_plan p;
    uint32_t w;

    if (!current_plan(s, &w, &p))
        return true; /* changing under us: fire() looks again under the guard */
    return p.due != NEVER && clock_ns(p.clock) >= p.due;
}

static DWORD timer_try_acquire(struct winipc__object *obj, const uint32_t *slept_on, bool own_guard)
{
    struct winipc__ptimer_state *s = tstate(obj);
    uint32_t w = atomic_load(&s->pw.word);
    bool man = manual(obj), fired = false;
    DWORD r;

    for (;;) {
        if ((w & WINIPC__PGUARD_BIT) && !own_guard)
            return WINIPC__WAIT_GUARDED;
        if (w & TM_SIGNALLED) {
            /* A wait-all marks its take, so that its death can be undone (wait.c). */
            if (man ||
                atomic_compare_exchange_weak(
                    &s->pw.word, &w, (w & ~TM_SIGNALLED) | (own_guard ? WINIPC__PTAKEN_BIT : 0)))
                return WAIT_OBJECT_0;
            continue;
        }
        if (man && slept_on && ((*slept_on ^ w) & TM_FIRE_MASK))
            return WAIT_OBJECT_0; /* it expired since we slept: released, as a waiter of then */
        if (fired || !due_now(s))
            return WAIT_TIMEOUT;
        fired = true;
        if (own_guard)
            fire(s);
        else if ((r = fire_from_wait(obj)) != 0)
            return r;
        w = atomic_load(&s->pw.word);
    }
}

/* Signalled, or due: then try_acquire(own_guard) fires it and takes it. */
static bool timer_ready(struct winipc__object *obj)
{
    struct winipc__ptimer_state *s = tstate(obj);

    return (atomic_load(&s->pw.word) & TM_SIGNALLED) || due_now(s);
}

static void timer_undo(struct winipc__object *obj, DWORD how)
{
    (void)how;
    timer_give_back(obj);
}

static void timer_commit(struct winipc__object *obj)
{
    atomic_fetch_and(&tstate(obj)->pw.word, ~WINIPC__PTAKEN_BIT);
}

/*
 * The CLOCK_MONOTONIC time at which the timer comes due, for the wait engine to end
 * its sleep there. An absolute due time is converted afresh at each sleep and the
 * sleep is cut at ABSOLUTE_RECHECK_NS, so that a step of the wall clock is noticed.
 */
static bool timer_wake_at(struct winipc__object *obj, struct timespec *at)
{
    int64_t ns = clock_ns(ON_MONOTONIC), left;
    struct winipc__timer_plan p;
    uint32_t w;

    if (current_plan(tstate(obj), &w, &p)) {
        if ((w & TM_SIGNALLED) || p.due == NEVER) {
            if (!WINIPC__CONTAINER(obj, struct timer, obj)->open_to_others)
                return false; /* takeable now, or never by itself */
            winipc__clock_after(at, WINIPC__OTHERS_POLL_MS);
            return true;
        }
        if (p.clock == ON_MONOTONIC) {
            ns = p.due;
        } else {
            left = p.due - clock_ns(ON_REALTIME);
            ns += left < 0 ? 0 : left > ABSOLUTE_RECHECK_NS ? ABSOLUTE_RECHECK_NS : left;
        }
    } /* else it is being changed: look again at once */
    at->tv_sec = (time_t)(ns / NS_PER_S);
    at->tv_nsec = (long)(ns % NS_PER_S);
    return true;
}

static int timer_init(void *state, const void *arg)
{
    const struct winipc__timer_params *p = arg;
    struct winipc__ptimer_state *s = state;

    s->manual_reset = p->manual_reset;
    for (int i = 0; i < 2; i++) {
        atomic_init(&s->schedule[i].due, NEVER); /* timers are created inactive */
        atomic_init(&s->schedule[i].period, 0);
        atomic_init(&s->schedule[i].clock, ON_MONOTONIC);
    }
    winipc__pwait_init(&s->pw, 0);
    return 0;
}

static DWORD timer_attach(struct winipc__object *obj, bool created, const void *arg)
{
    uint32_t m = tstate(obj)->manual_reset;

    (void)created, (void)arg;
    if (m > 1)
        return ERROR_INVALID_HANDLE; /* not a page we made */
    WINIPC__CONTAINER(obj, struct timer, obj)->manual_reset = m;
    WINIPC__CONTAINER(obj, struct timer, obj)->open_to_others = winipc__fd_open_to_others(obj->fd);
    return 0;
}

static const struct winipc__wait_ops timer_wait_ops = {
    .shared = true,
    .guard_bit = true,
    .try_acquire = timer_try_acquire,
    .ready = timer_ready,
    .undo = timer_undo,
    .commit = timer_commit,
    .recover = timer_give_back,
    .wake_at = timer_wake_at,
};

const struct winipc__ops winipc__timer_ops = {
    .shared = true,
    .kind = WINIPC__TIMER,
    .name = "Timer",
    .size = sizeof(struct timer),
    .all_access = TIMER_ALL_ACCESS,
    .generic = {STANDARD_RIGHTS_READ | TIMER_QUERY_STATE,
                STANDARD_RIGHTS_WRITE | TIMER_MODIFY_STATE, STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
                TIMER_ALL_ACCESS},
    .init = timer_init,
    .attach = timer_attach,
    .wait = &timer_wait_ops,
};

/*
 * Makes *p the timer's schedule, under the guard. `set` (SetWaitableTimer) also
 * resets the timer to non-signalled; CancelWaitableTimer leaves the state alone.
 * Returns 0 or a Win32 error.
 * Differs from Windows: the guard is waited for CHANGE_WAIT_MS at most, then the call
 * fails with ERROR_TIMEOUT: a process stopped inside a wait-all on this timer must not
 * stop its other users for good (Windows has no such state to wait for).
 */
DWORD winipc__timer_change(struct winipc__object *obj, const struct winipc__timer_plan *p, bool set)
{
    struct winipc__ptimer_state *s = tstate(obj);
    int r = winipc__pguard_trylock(obj); /* nearly always free */
    struct timespec deadline;
    uint32_t w, n;
    DWORD err;

    if (r == EBUSY) {
        winipc__clock_after(&deadline, CHANGE_WAIT_MS);
        r = winipc__pguard_lock(obj, &deadline);
    }
    if ((err = guard_error(r)) != 0)
        return err;
    w = atomic_load(&s->pw.word);
    write_plan(slot(s, w, false), p);
    do {
        n = w ^ TM_SLOT;
        if (set)
            n &= ~(TM_SIGNALLED | WINIPC__PTAKEN_BIT);
        n = count(n, TM_SET_ONE, TM_SET_MASK);
    } while (!atomic_compare_exchange_weak(&s->pw.word, &w, n));
    winipc__pwait_wake(&s->pw); /* to sleep again until the new due time */
    return winipc__pguard_unlock(obj) ? 0 : ERROR_INVALID_HANDLE;
}
