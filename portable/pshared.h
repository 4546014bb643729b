/*
 * portable/pshared.h - the shared layout of the portable backend's synchronization
 * objects: what every process that opens one sees in the object's header page (the
 * header itself is posix/shared.h's struct winipc__header, with magic
 * WINIPC__PMAGIC). A change here bumps WINIPC__PLAYOUT_VERSION.
 *
 * As with the Linux backend, anyone who may open an object can write all of this, so
 * nothing read from it is trusted: tokens are only ever compared or looked up (a
 * garbage token names no live process and is cleared), counts are masked and bounded,
 * and every wait honours its deadline whatever the page says.
 */
#ifndef WINIPC_PORTABLE_PSHARED_H
#define WINIPC_PORTABLE_PSHARED_H

#include <stdatomic.h>
#include <stdint.h>

#define WINIPC__PMAGIC 0x50504957u /* "WIPP": not the Linux backend's "WIPC" */
#define WINIPC__PLAYOUT_VERSION 1
#define WINIPC__PWAIT_SLOTS 224 /* sleepers one object can register; more poll (wait.c) */

/*
 * A thread's token: (48 random bits naming its process) << 16 | its index in the
 * process (1..65535). The process part names the process record (identity.c), whose
 * lock tells whether the process lives; the whole token names the thread's wake
 * semaphore. 0 is nobody.
 */
#define WINIPC__TOKEN_INDEX_BITS 16
#define WINIPC__TOKEN_INDEX_MASK 0xFFFFu

/*
 * The part of every waitable object that the wait engine uses (portable/wait.c): the
 * state word, the sleepers registered to be woken when it changes, and the wait-all
 * guard. In the shared page of a shared kind, in process memory for a thread.
 */
struct winipc__pwait {
    _Atomic uint32_t word;          /* the kind's state; changes when it may be takeable */
    _Atomic uint32_t sleepers;      /* registered slots (a hint: too high after a crash) */
    _Atomic uint32_t guard_waiters; /* someone sleeps until the guard is free */
    uint32_t reserved;
    _Atomic uint64_t guard;                     /* token of the wait-all holding it, 0: free */
    _Atomic uint64_t slot[WINIPC__PWAIT_SLOTS]; /* tokens of sleepers, 0: free */
};

/* In `word` (events, semaphores): a wait-all holds the object's guard. */
#define WINIPC__PGUARD_BIT 0x80000000u
/* In `word` (events): a wait-all took it and has not returned yet. */
#define WINIPC__PTAKEN_BIT 0x40000000u

/* A mutex (portable/mutex.c); word: release sequence, for sleepers. */
struct winipc__pmutex_state {
    struct winipc__pwait pw;
    _Atomic uint64_t owner;     /* token of the owning thread, 0: free */
    _Atomic uint64_t taker;     /* a wait-all that took it and has not returned */
    _Atomic uint32_t recursion; /* the owner's count (written by the owner only) */
    _Atomic uint32_t abandoned; /* its owner thread exited owning it */
};

/* An event (portable/event.c): word = guard | taken | generation << 1 | signalled. */
struct winipc__pevent_state {
    struct winipc__pwait pw;
    _Atomic uint32_t tickets; /* an auto-reset pulse's release, for one sleeper */
    uint32_t manual_reset;
};
#define WINIPC__PEVENT_SIGNALLED 1u

/* A semaphore (portable/semaphore.c): word = guard | count. */
struct winipc__psemaphore_state {
    struct winipc__pwait pw;
    int32_t maximum;
    uint32_t reserved;
};
#define WINIPC__PSEMAPHORE_COUNT_MASK 0x7FFFFFFFu

/* A waitable timer (portable/timer.c): word = guard | taken | sets << 16 | fires << 2 |
   slot | signalled, as posix/shared.h's; schedule[slot] is the current schedule. */
struct winipc__ptimer_schedule {
    _Atomic int64_t due;    /* ns on `clock`; INT64_MAX: never (inactive) */
    _Atomic int64_t period; /* ns; 0: one-shot */
    _Atomic uint32_t clock; /* 0: CLOCK_MONOTONIC, 1: CLOCK_REALTIME */
    uint32_t reserved;
};
struct winipc__ptimer_state {
    struct winipc__pwait pw;
    uint32_t manual_reset;
    uint32_t reserved;
    struct winipc__ptimer_schedule schedule[2];
};
#define WINIPC__PTIMER_SIGNALLED 1u
#define WINIPC__PTIMER_SLOT 2u

#endif /* WINIPC_PORTABLE_PSHARED_H */
