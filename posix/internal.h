/*
 * posix/internal.h - private interfaces of winipc's Linux backend.
 *
 * Layers, bottom up (DESIGN.md section 2):
 *   error.c    thread-local last error, errno -> Win32 table
 *   names.c    Win32 object names -> POSIX shm names
 *   object.c   named-object lifetime protocol and the process-local registry
 *   handle.c   HANDLE -> object, CloseHandle, DuplicateHandle
 *   mapping.c, file.c, sync.c, thread.c   the kinds
 *   wait.c     the one wait engine every waitable kind plugs into
 */
#ifndef WINIPC_POSIX_INTERNAL_H
#define WINIPC_POSIX_INTERNAL_H

/* The library implements the Microsoft printf family; it calls glibc's by name. */
#define WINIPC_NO_MS_PRINTF
#include "winipc.h"

#include <limits.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define WINIPC__GRANULARITY 65536u /* dwAllocationGranularity, as on Windows */

/*
 * Thread-locals of the library: initial-exec, so that reading one is a plain load
 * instead of a call to __tls_get_addr (they are few and small, as glibc's own are).
 */
#define WINIPC__TLS _Thread_local __attribute__((tls_model("initial-exec")))

/* ---- error.c ------------------------------------------------------------------------ */

/* Sets the calling thread's last error (what SetLastError does). */
void winipc__set_error(DWORD code);
/* The Win32 error code that best describes errno value `err`. */
DWORD winipc__error_from_errno(int err);
/* Sets the last error from errno. */
void winipc__set_errno_error(void);

/* ---- process.c: cached ids, refreshed after fork ------------------------------------ */

extern WINIPC__TLS pid_t winipc__tid; /* 0 until first use in a thread */
pid_t winipc__cached_pid(void);
static inline pid_t winipc__thread_id(void)
{
    extern pid_t winipc__fetch_tid(void);
    return winipc__tid ? winipc__tid : winipc__fetch_tid();
}
size_t winipc__page_size(void);
uid_t winipc__euid(void);

/* ---- names.c ------------------------------------------------------------------------ */

/*
 * A Win32 object name resolved to its POSIX shm name. `present` is false for an
 * unnamed object (NULL or empty name).
 */
struct winipc__name {
    bool present;
    bool global;              /* Global\ namespace (machine-wide) */
    char posix[NAME_MAX + 1]; /* "/winipc.<ns>.<escaped name or hash>" */
    char utf8[4 * 1024];      /* the name after its namespace prefix, UTF-8, truncated */
    size_t utf8_len;          /* full length in bytes (may exceed sizeof utf8) */
    unsigned char digest[32]; /* SHA-256 of namespace and full name */
};

/* Resolve an A (UTF-8) or W name. Return 0, or a Win32 error code. */
DWORD winipc__name_from_a(const char *name, struct winipc__name *out);
DWORD winipc__name_from_w(const WCHAR *name, struct winipc__name *out);
/* UTF-8 conversion of a wide string; returns a malloc'ed string or NULL (errno set). */
char *winipc__utf8_from_w(const WCHAR *s);
void winipc__sha256(const void *data, size_t len, unsigned char out[32]);

/* ---- object.c ---------------------------------------------------------------------- */

enum winipc__kind {
    WINIPC__SECTION = 1,
    WINIPC__MUTEX = 2,
    WINIPC__EVENT = 3,
    WINIPC__SEMAPHORE = 4,
    WINIPC__FILE = 5, /* process-local kinds: never in shared memory */
    WINIPC__THREAD = 6,
};

#define WINIPC__MAGIC 0x43504957u /* "WIPC" */
#define WINIPC__LAYOUT_VERSION 1
#define WINIPC__HEADER_NAME_MAX 1024
#define WINIPC__HEADER_PATH_MAX 2048

/* Shared state of a section (file mapping). */
struct winipc__section_state {
    uint64_t size;               /* bytes, as given at creation */
    uint32_t protect;            /* PAGE_* of the section */
    uint32_t file_backed;        /* data lives in a file, not after the header */
    uint64_t file_dev, file_ino; /* the file, for a named file-backed section */
    char file_path[WINIPC__HEADER_PATH_MAX];
};

/*
 * Shared state of a synchronization object. `word` is the futex word the wait engine
 * sleeps on: an event's (guard | generation << 1 | signalled), a semaphore's
 * (guard | count), a mutex's release sequence.
 */
struct winipc__sync_state {
    _Atomic uint32_t word;
    _Atomic uint32_t waiters;         /* threads sleeping on `word`, in any process */
    _Atomic uint32_t tickets;         /* event: releases left by the last pulse or set */
    int32_t maximum;                  /* semaphore */
    uint32_t manual_reset;            /* event */
    alignas(8) pthread_mutex_t guard; /* wait-all guard: robust, process-shared (wait.c) */
    /* The mutex kind, on a cache line of its own: a handoff moves only this line. */
    alignas(64) struct winipc__mutex_state {
        pthread_mutex_t lock; /* robust, recursive, process-shared */
        uint32_t owner_tid;   /* owning thread, written by the owner only */
        uint32_t recursion;   /* the owner's recursion count */
        uint32_t abandoned;   /* its owner thread exited owning it */
    } mutex;
};

#define WINIPC__GUARD_BIT 0x80000000u /* in `word`: a wait-all holds the guard */

/*
 * The first page of every shared object. It is validated before use and never
 * trusted beyond its magic, version and kind.
 */
struct winipc__header {
    uint32_t magic;
    uint16_t version;
    uint16_t kind;
    uint32_t creator_pid;
    uint32_t name_len;                  /* full UTF-8 length of the name */
    unsigned char digest[32];           /* SHA-256 of the name, for collision checks */
    char name[WINIPC__HEADER_NAME_MAX]; /* the name, truncated, for tools */
    alignas(64) union {
        struct winipc__section_state section;
        struct winipc__sync_state sync;
    } u;
};

struct winipc__object;

/* try_acquire's answer when a wait-all's guard keeps the object from being taken. */
#define WINIPC__WAIT_GUARDED 0x10000u

/* What a waitable kind provides to the wait engine (wait.c). */
struct winipc__wait_ops {
    bool shared;     /* the word is in shared memory */
    bool poll_owner; /* owner death does not change the word: poll */
    _Atomic uint32_t *(*word)(struct winipc__object *obj);
    _Atomic uint32_t *(*waiters)(struct winipc__object *obj);
    pthread_mutex_t *(*guard)(struct winipc__object *obj); /* NULL: no wait-all guard */
    /*
     * Take the object if it can be taken now: WAIT_OBJECT_0, WAIT_ABANDONED, or
     * WAIT_TIMEOUT when it cannot; WINIPC__WAIT_GUARDED when a wait-all holds its
     * guard (never when own_guard). `slept_on` is the word value the caller last
     * slept on, or NULL. Never sleeps.
     */
    DWORD (*try_acquire)(struct winipc__object *obj, const uint32_t *slept_on, bool own_guard);
    /* Give back what try_acquire took (it returned `how`); guards held. */
    void (*undo)(struct winipc__object *obj, DWORD how);
    /* Optional blocking single-object wait (mutex: the kernel's robust futex). */
    DWORD (*wait_single)(struct winipc__object *obj, const struct timespec *deadline);
    /* Signal for SignalObjectAndWait: 0 or a Win32 error. */
    DWORD (*signal)(struct winipc__object *obj, DWORD access);
};

/* What each kind provides to the generic layers. */
struct winipc__ops {
    enum winipc__kind kind;
    DWORD all_access; /* *_ALL_ACCESS of the kind */
    DWORD generic[4]; /* GENERIC_READ, WRITE, EXECUTE, ALL mapping */
    /* Sets up this process's state of a shared object just opened or created, before
       anyone else can see it; `arg` is winipc__create.arg. Returns 0 or a Win32 error.
       May be NULL. */
    DWORD (*attach)(struct winipc__object *obj, bool created, const void *arg);
    void (*destroy)(struct winipc__object *obj); /* free kind-local state, may be NULL */
    /* Called when the last ref is gone; true defers the destruction, which the kind
       finishes later with winipc__object_destroy. May be NULL. */
    bool (*retire)(struct winipc__object *obj);
    const struct winipc__wait_ops *wait; /* NULL: not waitable */
};

/*
 * A kernel object as seen by one process. There is one per named object per process
 * (the registry keys them by device and inode); every HANDLE to it holds one ref.
 */
struct winipc__object {
    const struct winipc__ops *ops;
    atomic_uint refs;           /* handle slots + calls in flight */
    int fd;                     /* shm fd (holds the lifetime lock if named), or -1 */
    struct winipc__header *hdr; /* shared first page, or NULL for process-local kinds */
    char *posix_name;           /* NULL when unnamed */
    dev_t dev;
    ino_t ino;
    struct winipc__object *next; /* registry chain */
    union {
        struct {               /* WINIPC__SECTION */
            int data_fd;       /* file for file-backed sections, else == fd */
            off_t data_offset; /* where offset 0 of the section is in data_fd */
        } section;
        struct { /* WINIPC__FILE */
            DWORD access;
            char *path; /* absolute path, for named file-backed sections */
        } file;
        struct {               /* WINIPC__MUTEX */
            atomic_bool owned; /* a thread of this process owns it (sync.c) */
            bool zombie;       /* destruction deferred until that thread exits */
        } mutex;
        void *kind_data; /* WINIPC__THREAD and others */
    } u;
};

/* How to create or open a shared object. */
struct winipc__create {
    const struct winipc__ops *ops;
    bool create;       /* false: open an existing object only */
    mode_t mode;       /* permissions of a new object */
    uint64_t shm_size; /* total size of a new object, header included */
    /* Fills the kind's state of a new header (mapped read-write); returns 0 or errno. */
    int (*init)(struct winipc__header *hdr, const void *arg);
    const void *arg;
};

/*
 * Create or open the shared object `name` (or a fresh unnamed one when !name->present).
 * On success *out holds one ref and *created tells whether it is new. Returns 0 or a
 * Win32 error code; nothing is left behind on failure.
 */
DWORD winipc__object_open(const struct winipc__name *name, const struct winipc__create *c,
                          struct winipc__object **out, bool *created);
/* A process-local object (file, thread) with one ref. NULL on ENOMEM (error set). */
struct winipc__object *winipc__object_new_local(const struct winipc__ops *ops);
void winipc__object_ref(struct winipc__object *obj);
void winipc__object_unref(struct winipc__object *obj);
/* Destroys an object whose last ref is gone (the last-close protocol if named). */
void winipc__object_destroy(struct winipc__object *obj);
/* The mode for a new object given the caller's SECURITY_ATTRIBUTES. */
mode_t winipc__object_mode(const struct winipc__name *name, const SECURITY_ATTRIBUTES *sa);

/*
 * Opens the existing named object `name` of `ops`'s kind for the Open* functions;
 * `name_err` is the result of resolving the name. NULL with the error set on failure.
 */
HANDLE winipc__open_named(const struct winipc__ops *ops, DWORD access, DWORD name_err,
                          const struct winipc__name *name);

/* Defines an Open* function's A and W spellings for the kind `ops`. */
#define WINIPC__DEFINE_OPEN(function, ops)                                            \
    HANDLE WINAPI function##A(DWORD access, BOOL inherit, LPCSTR name)                \
    {                                                                                 \
        struct winipc__name n;                                                        \
        (void)inherit;                                                                \
        if (!name)                                                                    \
            return winipc__fail(NULL, ERROR_INVALID_PARAMETER);                       \
        return winipc__open_named(&(ops), access, winipc__name_from_a(name, &n), &n); \
    }                                                                                 \
    HANDLE WINAPI function##W(DWORD access, BOOL inherit, LPCWSTR name)               \
    {                                                                                 \
        struct winipc__name n;                                                        \
        (void)inherit;                                                                \
        if (!name)                                                                    \
            return winipc__fail(NULL, ERROR_INVALID_PARAMETER);                       \
        return winipc__open_named(&(ops), access, winipc__name_from_w(name, &n), &n); \
    }

/* ---- handle.c ---------------------------------------------------------------------- */

struct winipc__slot;

/* A handle in use by a call: the object stays valid until winipc__handle_release. */
struct winipc__hold {
    struct winipc__slot *slot;
    struct winipc__object *obj;
    DWORD access;
    /* A brief hold: the thread's hazard pointer, which names slot. NULL: a counted
       hold (an in-flight count on the slot). */
    struct winipc__slot *_Atomic *hazard;
};

/* A new handle owning one ref of obj (taken over, also on failure). NULL + error. */
HANDLE winipc__handle_new(struct winipc__object *obj, DWORD access);
/*
 * Look up h; when `kind` is non-zero the object must be of that kind. Lock-free.
 * Returns false with ERROR_INVALID_HANDLE set on failure.
 */
bool winipc__handle_hold(HANDLE h, enum winipc__kind kind, struct winipc__hold *out);
/*
 * The same for short calls that never block while holding: no atomic read-modify-write
 * (a hazard pointer, see handle.c). One at a time per thread; a call that may block
 * must first turn it into a counted hold with winipc__handle_keep.
 */
bool winipc__handle_hold_brief(HANDLE h, enum winipc__kind kind, struct winipc__hold *out);
/* Turns a brief hold into a counted one; false (ERROR_INVALID_HANDLE) if h was closed. */
bool winipc__handle_keep(struct winipc__hold *hold);
void winipc__handle_unpin(struct winipc__slot *s);
/* Ends a hold (inline: it is on every call's fast path). */
static inline void winipc__handle_release(struct winipc__hold *hold)
{
    if (hold->hazard)
        atomic_store_explicit(hold->hazard, NULL, memory_order_release);
    else
        winipc__handle_unpin(hold->slot);
}
/* Specific rights of a kind for a requested access mask (generic rights mapped). */
DWORD winipc__access_map(const struct winipc__ops *ops, DWORD desired);

/* DuplicateHandle of GetCurrentThread(): a real handle to the calling thread. */
BOOL winipc__thread_duplicate_self(LPHANDLE target, DWORD options);

#define WINIPC__PSEUDO_PROCESS ((HANDLE)(LONG_PTR)-1)
#define WINIPC__PSEUDO_THREAD ((HANDLE)(LONG_PTR)-2)

/* ---- wait.c ---------------------------------------------------------------------- */

/* FUTEX_WAIT until `deadline`; returns 0, or -1 with errno (ETIMEDOUT, EAGAIN, EINTR). */
int winipc__futex_wait(_Atomic uint32_t *word, uint32_t expected, const struct timespec *deadline,
                       bool shared);
void winipc__futex_wake(_Atomic uint32_t *word, int n, bool shared);
/* Lock a robust wait-all guard (no time limit), repairing it after a dead holder. */
void winipc__guard_lock(struct winipc__object *obj);
void winipc__guard_unlock(struct winipc__object *obj);

/* ---- sync.c, thread.c ---------------------------------------------------------------- */

/* Gives up the mutexes a thread still owns as it exits: they become abandoned. */
void winipc__mutex_abandon_owned(void);

/* ---- Failure helpers ------------------------------------------------------------------ */

/* Set `code` as the last error and return `value`: `return winipc__fail(NULL, 87);` */
#define winipc__fail(value, code) (winipc__set_error(code), (value))

/* ---- For the SDK-surface files (crt_secure.c, message.c, memory.c, directory.c) --------- */

/*
 * Formats a Microsoft-semantics wide format (text.c) into a malloc'ed string *out of
 * *len characters. False with errno set (ENOMEM, EINVAL, EILSEQ) on failure.
 */
bool winipc__wformat(const wchar_t *fmt, va_list ap, wchar_t **out, size_t *len);

#endif /* WINIPC_POSIX_INTERNAL_H */
