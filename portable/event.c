/*
 * event.c (portable backend) - named and unnamed events, auto-reset and manual-reset:
 * posix/event.c's state machine on the portable wait block (portable/wait.c), whose
 * sleepers are registered tokens instead of a futex.
 *
 * The wait-state word is guard | taken | generation << 1 | signalled. An auto-reset
 * event is taken by clearing "signalled" with a CAS, which is the fast path of a
 * wait: no syscall. SetEvent of a manual-reset event and PulseEvent also bump the
 * generation when sleepers may exist: a sleeper that wakes to find the generation
 * changed since it slept is released even if the event was reset before it ran -- so
 * Set-then-Reset and a manual PulseEvent release every thread that was waiting, as
 * Windows does. An auto-reset pulse leaves one ticket for the first such sleeper.
 *
 * Signallers wake every sleeper, not just as many as could be satisfied: a sleeper
 * may be in a WaitForMultipleObjects that cannot use this object yet, and waking it
 * instead of a single waiter that could would lose the wakeup.
 *
 * Differs from Windows: an auto-reset event is taken by whichever thread gets there
 * first after SetEvent; a thread that arrives just then can take it before the
 * woken waiter. Windows hands it to a waiter inside SetEvent.
 */
#include "portable.h"

#define EV_SIGNALLED WINIPC__PEVENT_SIGNALLED
#define EV_GEN_ONE 2u
#define EV_GEN_MASK 0x3FFFFFFEu

struct event {
    struct winipc__object obj;
    bool manual_reset;   /* read once at open: the shared page is not trusted */
    bool open_to_others; /* other users may signal it (wait.c) */
};

static struct winipc__pevent_state *estate(struct winipc__object *obj)
{
    return winipc__object_state(obj);
}

static bool manual(struct winipc__object *obj)
{
    return WINIPC__CONTAINER(obj, struct event, obj)->manual_reset;
}

static DWORD event_try_acquire(struct winipc__object *obj, const uint32_t *slept_on, bool own_guard)
{
    struct winipc__pevent_state *s = estate(obj);
    uint32_t w = atomic_load(&s->pw.word), t;
    bool man = manual(obj);

    for (;;) {
        if ((w & WINIPC__PGUARD_BIT) && !own_guard)
            return WINIPC__WAIT_GUARDED;
        if (!(w & EV_SIGNALLED))
            break;
        /* A wait-all marks its take, so that its death can be undone (wait.c). */
        if (man || atomic_compare_exchange_weak(
                       &s->pw.word, &w, (w & ~EV_SIGNALLED) | (own_guard ? WINIPC__PTAKEN_BIT : 0)))
            return WAIT_OBJECT_0;
    }
    if (!slept_on || ((*slept_on ^ w) & EV_GEN_MASK) == 0)
        return WAIT_TIMEOUT;
    /* Set or pulsed since we slept: released, as a waiter of then. */
    if (man)
        return WAIT_OBJECT_0;
    t = atomic_load(&s->tickets);
    while (t) {
        if (atomic_compare_exchange_weak(&s->tickets, &t, t - 1))
            return WAIT_OBJECT_0;
    }
    return WAIT_TIMEOUT;
}

static bool event_ready(struct winipc__object *obj)
{
    return atomic_load(&estate(obj)->pw.word) & EV_SIGNALLED;
}

/* Gives back a wait-all's marked take, unless a reset consumed it meanwhile. */
static void event_give_back(struct winipc__object *obj)
{
    _Atomic uint32_t *word = &estate(obj)->pw.word;
    uint32_t w = atomic_load(word);

    while ((w & WINIPC__PTAKEN_BIT) &&
           !atomic_compare_exchange_weak(word, &w, (w | EV_SIGNALLED) & ~WINIPC__PTAKEN_BIT))
        ;
}

static void event_undo(struct winipc__object *obj, DWORD how)
{
    (void)how;
    event_give_back(obj);
}

static void event_commit(struct winipc__object *obj)
{
    atomic_fetch_and(&estate(obj)->pw.word, ~WINIPC__PTAKEN_BIT);
}

/* Sets, resets or pulses; `pulse` leaves the event reset after releasing sleepers. */
void winipc__event_update(struct winipc__object *obj, bool set, bool pulse)
{
    struct winipc__pevent_state *s = estate(obj);
    bool man = manual(obj);
    bool release_sleepers = winipc__pwait_has_sleepers(&s->pw) && (pulse || (set && man));
    uint32_t w = atomic_load(&s->pw.word), n;

    if (release_sleepers && !man)
        atomic_store(&s->tickets, 1);
    do {
        n = w;
        if (release_sleepers)
            n = (n & ~EV_GEN_MASK) | ((n + EV_GEN_ONE) & EV_GEN_MASK);
        if (set && !pulse)
            n |= EV_SIGNALLED;
        else /* a reset also ends a wait-all's claim to give the state back */
            n &= ~(EV_SIGNALLED | WINIPC__PTAKEN_BIT);
    } while (!atomic_compare_exchange_weak(&s->pw.word, &w, n));
    if (set || pulse)
        winipc__pwait_wake(&s->pw);
}

static DWORD event_set(struct winipc__object *obj, DWORD access)
{
    if (!(access & EVENT_MODIFY_STATE))
        return ERROR_ACCESS_DENIED;
    winipc__event_update(obj, true, false);
    return 0;
}

/* A sleeper on an object that other users may signal looks again now and then. */
static bool event_wake_at(struct winipc__object *obj, struct timespec *at)
{
    if (!WINIPC__CONTAINER(obj, struct event, obj)->open_to_others)
        return false;
    winipc__clock_after(at, WINIPC__OTHERS_POLL_MS);
    return true;
}

static int event_init(void *state, const void *arg)
{
    const struct winipc__event_params *p = arg;
    struct winipc__pevent_state *s = state;

    s->manual_reset = p->manual_reset;
    winipc__pwait_init(&s->pw, p->initial ? EV_SIGNALLED : 0);
    return 0;
}

static DWORD event_attach(struct winipc__object *obj, bool created, const void *arg)
{
    (void)created, (void)arg;
    WINIPC__CONTAINER(obj, struct event, obj)->manual_reset = estate(obj)->manual_reset != 0;
    WINIPC__CONTAINER(obj, struct event, obj)->open_to_others = winipc__fd_open_to_others(obj->fd);
    return 0;
}

static const struct winipc__wait_ops event_wait_ops = {
    .shared = true,
    .guard_bit = true,
    .try_acquire = event_try_acquire,
    .ready = event_ready,
    .undo = event_undo,
    .commit = event_commit,
    .recover = event_give_back,
    .signal = event_set,
    .wake_at = event_wake_at,
};

const struct winipc__ops winipc__event_ops = {
    .shared = true,
    .kind = WINIPC__EVENT,
    .name = "Event",
    .size = sizeof(struct event),
    .all_access = EVENT_ALL_ACCESS,
    .generic = {STANDARD_RIGHTS_READ | EVENT_QUERY_STATE,
                STANDARD_RIGHTS_WRITE | EVENT_MODIFY_STATE, STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
                EVENT_ALL_ACCESS},
    .init = event_init,
    .attach = event_attach,
    .wait = &event_wait_ops,
};
