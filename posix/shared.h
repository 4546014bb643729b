/*
 * posix/shared.h - the layout of winipc's shared objects: what every process that
 * opens an object sees in its file, and so the interface between processes (and
 * between versions: a change here bumps WINIPC__LAYOUT_VERSION).
 *
 * Everything here can be written by every process that may open the object -- for
 * an object opened to everyone (the NULL-DACL idiom) that is every user -- so nothing
 * read from it is used without a check: object.c validates the header when it opens
 * a file, each kind's attach validates its state and copies what it relies on, and
 * the wait engine bounds every wait on a lock that lives here.
 */
#ifndef WINIPC_POSIX_SHARED_H
#define WINIPC_POSIX_SHARED_H

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>

#define WINIPC__MAGIC 0x43504957u /* "WIPC" */
#define WINIPC__LAYOUT_VERSION 3
#define WINIPC__HEADER_NAME_MAX 1024
#define WINIPC__STATE_SIZE 2560
#define WINIPC__SECTION_PATH_MAX 2048

enum winipc__kind {
    WINIPC__SECTION = 1,
    WINIPC__MUTEX = 2,
    WINIPC__EVENT = 3,
    WINIPC__SEMAPHORE = 4,
    WINIPC__FILE = 5, /* process-local kinds: never in shared memory */
    WINIPC__THREAD = 6,
    WINIPC__TIMER = 7,         /* shared, like the first four */
    WINIPC__PROCESS = 8,       /* process-local again */
    WINIPC__REMOTE_THREAD = 9, /* the main thread of a process CreateProcess made */
    WINIPC__SNAPSHOT = 10,     /* a Toolhelp32 snapshot (toolhelp.c) */
};

/* The first page of every shared object. */
struct winipc__header {
    uint32_t magic;
    uint16_t version;
    uint16_t kind; /* enum winipc__kind */
    uint32_t creator_pid;
    uint32_t creator_uid;
    uint64_t shm_size;                  /* size of the whole file as created */
    uint32_t name_len;                  /* full UTF-8 length of the name */
    unsigned char digest[32];           /* SHA-256 of namespace and name, for collisions */
    char name[WINIPC__HEADER_NAME_MAX]; /* the name, truncated, for tools */
    alignas(64) unsigned char state[WINIPC__STATE_SIZE]; /* the kind's shared state */
};

/*
 * The shared part of every waitable kind's state, its first member: the object's
 * state word, the sleepers word the engine sleeps on, and the wait-all guard (wait.c).
 */
struct winipc__wait_state {
    _Atomic uint32_t word;     /* changes whenever the object may have become takeable */
    _Atomic uint32_t sleepers; /* epoch << 1 | WINIPC__SLEEPING; the futex sleepers wait on */
    uint32_t reserved[2];
    alignas(8) pthread_mutex_t guard; /* robust, process-shared wait-all guard */
};

/* In `sleepers`: a thread may sleep; a waker clears it and moves to the next epoch. */
#define WINIPC__SLEEPING 1u

/* In `word`: a wait-all holds the object's guard. */
#define WINIPC__GUARD_BIT 0x80000000u
/* In `word`: a wait-all took the object and has not returned yet (events). */
#define WINIPC__TAKEN_BIT 0x40000000u

/* A section (mapping.c). Its data follows the header page, or is a file. */
struct winipc__section_state {
    uint64_t size;               /* bytes, as given at creation */
    uint32_t protect;            /* PAGE_* of the section */
    uint32_t file_backed;        /* data lives in a file, not after the header */
    uint64_t file_dev, file_ino; /* the file, for a named file-backed section */
    char file_path[WINIPC__SECTION_PATH_MAX];
};

/* A mutex (mutex.c). */
struct winipc__mutex_state {
    struct winipc__wait_state ws; /* word: release sequence, for multi-object waits */
    /* On a cache line of its own: a handoff moves only this line. */
    alignas(64) pthread_mutex_t lock; /* robust, recursive, process-shared */
    uint32_t owner_tid;               /* owning thread, written by the owner only */
    uint32_t recursion;               /* the owner's recursion count */
    uint32_t abandoned;               /* its owner thread exited owning it */
    _Atomic uint32_t taker;           /* a wait-all taking it, not yet returned */
};

/* An event (event.c): word = guard | taken | generation << 1 | signalled. */
struct winipc__event_state {
    struct winipc__wait_state ws;
    _Atomic uint32_t tickets; /* an auto-reset pulse's release, for one sleeper */
    uint32_t manual_reset;
};
#define WINIPC__EVENT_SIGNALLED 1u

/* A semaphore (semaphore.c): word = guard | count. */
struct winipc__semaphore_state {
    struct winipc__wait_state ws;
    int32_t maximum;
};
#define WINIPC__SEMAPHORE_COUNT_MASK 0x7FFFFFFFu

/* A waitable timer (timer.c): word = guard | taken | sets << 16 | fires << 2 | slot |
   signalled; schedule[slot] is the current schedule, the other one is written under
   the guard before a CAS on the word makes it current. */
struct winipc__timer_schedule {
    _Atomic int64_t due;    /* ns on `clock`; INT64_MAX: never (inactive) */
    _Atomic int64_t period; /* ns; 0: one-shot */
    _Atomic uint32_t clock; /* 0: CLOCK_MONOTONIC, 1: CLOCK_REALTIME */
    uint32_t reserved;
};
struct winipc__timer_state {
    struct winipc__wait_state ws;
    uint32_t manual_reset;
    uint32_t reserved;
    struct winipc__timer_schedule schedule[2];
};
#define WINIPC__TIMER_SIGNALLED 1u
#define WINIPC__TIMER_SLOT 2u

_Static_assert(sizeof(struct winipc__header) <= 4096, "the header is one page");
_Static_assert(sizeof(struct winipc__section_state) <= WINIPC__STATE_SIZE, "state fits");
_Static_assert(sizeof(struct winipc__mutex_state) <= WINIPC__STATE_SIZE, "state fits");
_Static_assert(sizeof(struct winipc__event_state) <= WINIPC__STATE_SIZE, "state fits");
_Static_assert(sizeof(struct winipc__semaphore_state) <= WINIPC__STATE_SIZE, "state fits");
_Static_assert(sizeof(struct winipc__timer_state) <= WINIPC__STATE_SIZE, "state fits");

#endif /* WINIPC_POSIX_SHARED_H */
