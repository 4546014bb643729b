/*
 * posix/internal.h - private interfaces of winipc's Linux backend.
 *
 * Layers, bottom up (DESIGN.md section 2):
 *   error.c      thread-local last error, errno -> Win32 table
 *   sysinfo.c    cached ids, system information, time
 *   names.c      Win32 object names -> file names in a namespace directory
 *   object.c     the only owner of an object's life: the cross-process lifetime
 *                protocol, the process's registry, revival, exit and sweeping
 *   security.c   security descriptors and the permissions of new objects
 *   handle.c     HANDLE -> object, CloseHandle, DuplicateHandle
 *   wait.c       the one wait engine every waitable kind plugs into
 *   tls.c        thread-local and fiber-local storage
 *   kinds        mapping.c, file.c, mutex.c, event.c, semaphore.c, timer.c, thread.c: each
 *                defines a struct that embeds struct winipc__object and a
 *                struct winipc__ops table
 */
#ifndef WINIPC_POSIX_INTERNAL_H
#define WINIPC_POSIX_INTERNAL_H

/*
 * Inside the library every exported function X is the hidden winipc__impl_X, and our
 * own calls go straight to it; the exported X, generated from the public headers, is
 * chosen at load time between it and a tracing wrapper (trace.c).
 */
#include "winipc_rename.h"

/* The library implements the Microsoft printf family; it calls glibc's by name. It
   includes Linux headers after winipc.h, so MSVC's spellings stay out of its way. */
#define WINIPC_NO_MS_PRINTF
#define WINIPC_NO_MSVC_SPELLINGS
/* The library defines CreateSemaphore* itself, unclamped (winipc/lp64.h). */
#define WINIPC_NO_LONG_CLAMP
#include "winipc.h"

#include "shared.h"

#include <assert.h>
#include <limits.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define WINIPC__GRANULARITY 65536u /* dwAllocationGranularity, as on Windows */

/*
 * Thread-locals of the library: initial-exec, so that reading one is a plain load
 * instead of a call to __tls_get_addr (they are few and small, as glibc's own are).
 */
#define WINIPC__TLS _Thread_local __attribute__((tls_model("initial-exec")))

/* The struct of kind `type` whose member `member` is at `ptr`. */
#define WINIPC__CONTAINER(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

/* ---- error.c ------------------------------------------------------------------------ */

/* Sets the calling thread's last error (what SetLastError does). */
void winipc__set_error(DWORD code);
/* The Win32 error code that best describes errno value `err`. */
DWORD winipc__error_from_errno(int err);
/* Sets the last error from errno. */
void winipc__set_errno_error(void);

/*
 * Whether `p` cannot be a pointer a program may pass: the NULL page and below the
 * allocation granularity, or an address outside user space (non-canonical or
 * kernel). Costs no syscall; other wild pointers still fault, as they may on Windows.
 */
#if defined(__x86_64__)
#define WINIPC__USER_LIMIT ((uintptr_t)1 << 47) /* 4-level paging; mmap stays below */
#elif UINTPTR_MAX > 0xFFFFFFFFu
#define WINIPC__USER_LIMIT ((uintptr_t)1 << 48)
#else
#define WINIPC__USER_LIMIT UINTPTR_MAX
#endif
static inline bool winipc__bad_pointer(const void *p)
{
    uintptr_t v = (uintptr_t)p;

    return p && (v < WINIPC__GRANULARITY || v >= WINIPC__USER_LIMIT);
}

/* Set `code` as the last error and return `value`: `return winipc__fail(NULL, 87);` */
#define winipc__fail(value, code) (winipc__set_error(code), (value))

/*
 * For results that cannot fail on a correct path (an unlock by the owner, a lock
 * downgrade): true when `ok`. A debug build asserts; a release build returns false so
 * that the caller reports an error instead of continuing silently.
 */
static inline bool winipc__checked(bool ok)
{
    assert(ok);
    return ok;
}

/* ---- sysinfo.c: cached ids, refreshed after fork ------------------------------------ */

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
 * A Win32 object name resolved to the file that carries the object. `present` is
 * false for an unnamed object (NULL or empty name).
 */
struct winipc__name {
    bool present;
    bool global;              /* Global\ namespace (machine-wide) */
    char entry[NAME_MAX + 1]; /* the file's name inside its namespace directory */
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

/* The Global\ namespace's files live in /dev/shm with this prefix. */
#define WINIPC__SHM_DIR "/dev/shm"
#define WINIPC__GLOBAL_PREFIX "winipc.g."

/* ---- environ.c ---------------------------------------------------------------------- */

/* The process's environment lock: held by every reader and writer of environ here. */
void winipc__env_lock(void);
void winipc__env_unlock(void);
/* A wide string from UTF-8, malloc'ed, or NULL; its length in *len if len is not NULL. */
WCHAR *winipc__w_from_utf8_n(const char *s, size_t *len);
#define winipc__w_from_utf8(s) winipc__w_from_utf8_n((s), NULL)

/* ---- console.c ----------------------------------------------------------------------- */

/* Restores the terminal if _getch has it raw (before the process ends by a signal). */
void winipc__tty_restore(void);

/* ---- conctl.c ------------------------------------------------------------------------ */

/* "Ignore Ctrl+C" (SetConsoleCtrlHandler(NULL, TRUE)), which children inherit. */
void winipc__ctrl_c_ignore_at_start(void);
bool winipc__ctrl_c_ignored(void);

/* ---- object.c ---------------------------------------------------------------------- */

struct winipc__object;

/*
 * What each kind provides to the generic layers. A kind's struct embeds struct
 * winipc__object as its first member `obj`; object.c allocates `size` bytes.
 */
struct winipc__ops {
    enum winipc__kind kind;
    const char *name; /* the NT type name: "Section", "Mutant", "Event", ... */
    size_t size;      /* sizeof the kind's struct */
    DWORD all_access; /* *_ALL_ACCESS of the kind */
    DWORD generic[4]; /* GENERIC_READ, WRITE, EXECUTE, ALL mapping */
    /* Fills the shared state of a new object (zeroed, header fields set); returns 0
       or an errno value. May be NULL. */
    int (*init)(void *state, const void *arg);
    /* Validates the shared state of an object just created or opened and sets up the
       kind's fields; returns 0 or a Win32 error. Runs before anyone can use the
       object in this process. May be NULL. */
    DWORD (*attach)(struct winipc__object *obj, bool created, const void *arg);
    /* attach copies all it needs: the header is read and written as a private copy
       (object.c, header_load), never mapped, and freed after attach. */
    bool drop_header;
    /* A shared kind: its objects are files with a header (else process-local). */
    bool shared;
    /* A descriptor besides obj->fd that the object needs in another process (a
       file-backed section's file), or -1. May be NULL. */
    int (*data_fd)(struct winipc__object *obj);
    /* Frees the kind's own resources; the object is gone after it. May be NULL. */
    void (*destroy)(struct winipc__object *obj);
    /* Whether the memory of an object with no refs left must stay (a mutex that a
       thread of this process still owns: its page is on that thread's robust list).
       Called with the registry lock held; the kind ends the condition through
       winipc__object_disown. May be NULL. */
    bool (*pinned)(struct winipc__object *obj);
    const struct winipc__wait_ops *wait; /* NULL: not waitable */
};

/* The kinds: one file each, and an entry in winipc__ops_of (object.c). */
extern const struct winipc__ops winipc__section_ops, winipc__mutex_ops, winipc__event_ops,
    winipc__semaphore_ops, winipc__file_ops, winipc__thread_ops, winipc__timer_ops,
    winipc__process_ops, winipc__remote_thread_ops, winipc__snapshot_ops;
/* The ops of a kind stored in a shared header, or NULL if there is no such kind. */
const struct winipc__ops *winipc__ops_of(unsigned kind);

/*
 * What the Win32 entry points of mutexes, events, semaphores and waitable timers
 * (sync_api.c, shared by both backends) ask of the backend's kind besides its ops: the create argument of its init, and the
 * operation on a held object.
 */
struct winipc__event_params {
    bool manual_reset, initial;
};
struct winipc__semaphore_params {
    LONG initial, maximum;
};
struct winipc__timer_params {
    bool manual_reset;
};
/* A waitable timer's schedule: due in ns on `clock` (INT64_MAX: never), period in ns
   (0: one-shot). */
enum { WINIPC__TIMER_MONOTONIC = 0, WINIPC__TIMER_REALTIME = 1 };
struct winipc__timer_plan {
    int64_t due, period;
    uint32_t clock;
};
/* Makes *p a timer's schedule; `set` (SetWaitableTimer) also resets it. 0 or an error. */
DWORD winipc__timer_change(struct winipc__object *obj, const struct winipc__timer_plan *p,
                           bool set);
/* Releases a mutex once (ReleaseMutex: ERROR_NOT_OWNER if the caller does not own it). */
DWORD winipc__mutex_signal(struct winipc__object *obj, DWORD access);
/* Sets, resets or pulses an event (the caller checked EVENT_MODIFY_STATE). */
void winipc__event_update(struct winipc__object *obj, bool set, bool pulse);
/* Releases count (SEMAPHORE_MODIFY_STATE checked here); the count before in *previous. */
DWORD winipc__semaphore_release(struct winipc__object *obj, DWORD access, LONG count,
                                LONG *previous);

/*
 * A kernel object as seen by one process. There is at most one per shared object per
 * process (the registry finds it by name and by inode), so identity is a pointer
 * comparison; every HANDLE to it holds one ref. object.c alone changes `refs` to and
 * from zero, the registry fields and `fd`.
 */
struct winipc__object {
    const struct winipc__ops *ops;
    atomic_uint refs;           /* handle slots + calls in flight + internal users */
    int fd;                     /* shm fd; carries our holder lock when holder == pid */
    struct winipc__header *hdr; /* shared first page while the kind needs it, or NULL */
    char *entry;                /* file name in the namespace directory, NULL: unnamed */
    bool global;                /* entry is in the Global\ namespace */
    dev_t dev;
    ino_t ino;
    pid_t holder; /* process whose holder lock `fd` carries, 0: none */
    int spare_fd; /* an older fd kept for calls in flight, or -1 */
    bool shared;  /* made by winipc__object_open (else process-local) */
    bool pinned;  /* no refs, memory kept for the kind (see ops.pinned) */
    struct winipc__object *by_name_next, *by_inode_next; /* registry chains */
};

/* How to create or open a shared object. */
struct winipc__create {
    const struct winipc__ops *ops;
    bool create;        /* false: open an existing object only */
    mode_t mode;        /* permissions of a new object */
    uint64_t shm_size;  /* total size of a new object, header included */
    bool reserve;       /* commit only the header now (SEC_RESERVE); else all of it */
    DWORD handle_flags; /* of the handle winipc__create_handle makes (HANDLE_FLAG_*) */
    const void *arg;    /* for ops->init and ops->attach */
};

/*
 * Create or open the shared object `name` (or a fresh unnamed one when !name->present).
 * On success *out holds one ref and *created tells whether it is new. Returns 0 or a
 * Win32 error code; nothing is left behind on failure.
 */
DWORD winipc__object_open(const struct winipc__name *name, const struct winipc__create *c,
                          struct winipc__object **out, bool *created);
/* A process-local object (file, thread) of `ops` with one ref. NULL + error set. */
struct winipc__object *winipc__object_new_local(const struct winipc__ops *ops);
void winipc__object_ref(struct winipc__object *obj);
void winipc__object_unref(struct winipc__object *obj);
/*
 * Runs `disown(obj)` -- the kind's end of the condition ops->pinned reports -- under
 * the registry lock, then destroys obj if it was only kept for that condition. The
 * caller must not use obj afterwards unless it holds a ref.
 */
void winipc__object_disown(struct winipc__object *obj, void (*disown)(struct winipc__object *));
/* The kind's shared state of a shared object. */
static inline void *winipc__object_state(struct winipc__object *obj)
{
    return obj->hdr->state;
}
/* obj->fd for a call in flight, which an open in another thread may replace (the old
   descriptor stays open until the object is destroyed). */
static inline int winipc__object_fd(struct winipc__object *obj)
{
    return __atomic_load_n(&obj->fd, __ATOMIC_RELAXED);
}

/*
 * The common ends of the Create* and Open* functions of a named kind (sync_api.c):
 * resolve errors, create or open, make the handle with `access`, and set the last error
 * (ERROR_ALREADY_EXISTS when a Create* found the object); *created (may be NULL)
 * tells whether the object is new. NULL + error on failure.
 */
HANDLE winipc__create_handle(const struct winipc__create *c, DWORD name_err,
                             const struct winipc__name *name, DWORD access, bool *created);
HANDLE winipc__open_a(const struct winipc__ops *ops, DWORD access, BOOL inherit, LPCSTR name);
HANDLE winipc__open_w(const struct winipc__ops *ops, DWORD access, BOOL inherit, LPCWSTR name);

/*
 * Whether a header page, in a file of `file_size` bytes, is one winipc wrote for the
 * name of `digest`, of `kind` (0: any kind): 0 or ERROR_INVALID_HANDLE.
 */
DWORD winipc__header_check(const struct winipc__header *hdr, uint64_t file_size,
                           const unsigned char digest[32], unsigned kind);
/* The last close of every object this process holds, as its end does (exit). */
void winipc__close_all(void);

/*
 * A descriptor of obj for another process (CreateProcess inheritance): a named
 * object's is a new open file description holding the object for the other process;
 * others' a duplicate. -1 with errno on failure.
 */
int winipc__object_export_fd(struct winipc__object *obj);
/* What an adopting attach gets as `arg` (created false): the object came from
   another process with these descriptors. */
struct winipc__adopt {
    int data_fd; /* see ops->data_fd; -1 */
};
/*
 * The object of kind `ops` behind descriptor fd (which it takes over, with the holder
 * lock a named one carries), handed from another process. NULL if it is not one.
 */
struct winipc__object *winipc__object_adopt(const struct winipc__ops *ops, int fd, int data_fd,
                                            const char *entry, bool global);

/* Sweeps leftovers of crashed processes in this user's namespaces; how many. */
DWORD winipc__sweep(void);
/*
 * For the winipc command: the directory of this user's (or the Global\) namespace,
 * or -1 with errno; the sweep of one entry (whether it was removed); the removal of
 * one entry under its mutation lock, refused with EBUSY while someone holds it
 * unless `force` (then its holders keep a nameless object). 0 or an errno value.
 */
int winipc__namespace(bool global);
bool winipc__sweep_entry(bool global, const char *entry);
int winipc__remove_entry(bool global, const char *entry, bool force);
/* Raises the soft descriptor limit to the hard one, once; whether it went up. */
bool winipc__more_files(void);

/* ---- security.c -------------------------------------------------------------------- */

/* The mode for a new object given the caller's SECURITY_ATTRIBUTES; 0, or
   ERROR_NOACCESS for pointers no program may pass. */
DWORD winipc__object_mode(const struct winipc__name *name, const SECURITY_ATTRIBUTES *sa,
                          mode_t *mode);

/*
 * A file that a section maps carries a shared OFD lock on this byte (far beyond any
 * data) for as long as the section or one of its views exists, in any process, so
 * that SetEndOfFile can refuse to cut it short (ERROR_USER_MAPPED_FILE).
 */
#define WINIPC__MAPPED_BYTE ((off_t)INT64_MAX - 1)

/* ---- handle.c ---------------------------------------------------------------------- */

struct winipc__slot;

/* Handle slots [WINIPC__INBOX_FIRST, + WINIPC__INBOX_SLOTS) hold the handles other
   processes gave us (transfer.c); the table hands out the slots below. */
#define WINIPC__INBOX_FIRST 0xF0000u
#define WINIPC__INBOX_SLOTS 0x10000u

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
/* The same with HANDLE_FLAG_* flags (HANDLE_FLAG_INHERIT from bInheritHandle). */
HANDLE winipc__handle_new_ex(struct winipc__object *obj, DWORD access, DWORD flags);
/* The same at handle value `value`, which must be free (a handle a process inherits
   keeps its value). NULL + ERROR_INVALID_HANDLE if it is not. */
HANDLE winipc__handle_new_at(HANDLE value, struct winipc__object *obj, DWORD access, DWORD flags);
/* Calls fn for every open handle marked HANDLE_FLAG_INHERIT, held for the call. */
void winipc__handle_each_inheritable(void (*fn)(void *ctx, HANDLE h, struct winipc__hold *hold),
                                     void *ctx);
/* HANDLE_FLAG_INHERIT if `sa` asks for an inheritable handle, else 0. */
static inline DWORD winipc__inherit_flag(const SECURITY_ATTRIBUTES *sa)
{
    return sa && !winipc__bad_pointer(sa) && sa->bInheritHandle ? HANDLE_FLAG_INHERIT : 0;
}
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
/*
 * The same for an access mask a caller asks for when opening or duplicating: 0 with
 * *granted set, ERROR_ACCESS_DENIED for bits the kind does not define, and
 * ERROR_PRIVILEGE_NOT_HELD for ACCESS_SYSTEM_SECURITY.
 */
DWORD winipc__access_for(const struct winipc__ops *ops, DWORD desired, DWORD *granted);

/* DuplicateHandle of GetCurrentThread(): a real handle to the calling thread. */
BOOL winipc__thread_duplicate_self(LPHANDLE target, DWORD options);

#define WINIPC__PSEUDO_PROCESS ((HANDLE)(LONG_PTR)-1)
#define WINIPC__PSEUDO_THREAD ((HANDLE)(LONG_PTR)-2)

/* ---- wait.c ---------------------------------------------------------------------- */

/* try_acquire's answer when a wait-all's guard keeps the object from being taken. */
#define WINIPC__WAIT_GUARDED 0x10000u

/* What a waitable kind provides to the wait engine (wait.c). */
struct winipc__wait_ops {
    bool shared;     /* the word is in shared memory; the state has a wait-all guard */
    bool guard_bit;  /* try_acquire honours WINIPC__GUARD_BIT in the word */
    bool poll_owner; /* owner death does not change the word: poll */
    struct winipc__wait_state *(*state)(struct winipc__object *obj);
    /*
     * Take the object if it can be taken now: WAIT_OBJECT_0, WAIT_ABANDONED, or
     * WAIT_TIMEOUT when it cannot; WINIPC__WAIT_GUARDED when a wait-all holds its
     * guard (never when own_guard); WAIT_FAILED with the error set. `slept_on` is the
     * word value the caller last slept on, or NULL. With own_guard (a wait-all, every
     * guard held) the take is marked so that it can be undone if the taker dies.
     * Never sleeps.
     */
    DWORD (*try_acquire)(struct winipc__object *obj, const uint32_t *slept_on, bool own_guard);
    /* Whether try_acquire(own_guard) would take it now: a look that changes nothing,
       so that a wait-all that cannot succeed never takes and gives back. */
    bool (*ready)(struct winipc__object *obj);
    /* Give back what try_acquire(own_guard) took (it returned `how`); guards held. */
    void (*undo)(struct winipc__object *obj, DWORD how);
    /* A wait-all returns: the take is final, clear its mark. Guards held. May be NULL. */
    void (*commit)(struct winipc__object *obj);
    /* Undo the marked take of a wait-all that died holding the guard. May be NULL. */
    void (*recover)(struct winipc__object *obj);
    /* Optional blocking single-object wait (mutex: the kernel's robust futex). */
    DWORD (*wait_single)(struct winipc__object *obj, const struct timespec *deadline);
    /* Signal for SignalObjectAndWait: 0 or a Win32 error. */
    DWORD (*signal)(struct winipc__object *obj, DWORD access);
    /* For a kind that becomes takeable by itself at some time (a waitable timer):
       true and that CLOCK_MONOTONIC time in *at, which caps every sleep on the
       object; false when no such time is known. Never sleeps. May be NULL. */
    bool (*wake_at)(struct winipc__object *obj, struct timespec *at);
};

/* Initialises a shared wait state: the word, and the guard (robust, process-shared). */
int winipc__wait_state_init(struct winipc__wait_state *ws, uint32_t word);
/* A robust, process-shared pthread mutex; `recursive` for the mutex kind. */
int winipc__robust_mutex_init(pthread_mutex_t *m, bool recursive);

/* FUTEX_WAIT until `deadline`; returns 0, or -1 with errno (ETIMEDOUT, EAGAIN, EINTR). */
int winipc__futex_wait(_Atomic uint32_t *word, uint32_t expected, const struct timespec *deadline,
                       bool shared);
void winipc__futex_wake(_Atomic uint32_t *word, int n, bool shared);
/* Whether a thread may sleep on a wait state (see wait.c). */
static inline bool winipc__has_sleepers(struct winipc__wait_state *ws)
{
    return atomic_load(&ws->sleepers) & WINIPC__SLEEPING;
}
/* After changing ws->word: wakes every thread that may sleep on the wait state. */
static inline void winipc__wake_sleepers(struct winipc__wait_state *ws, bool shared)
{
    uint32_t w = atomic_load(&ws->sleepers);

    /* w + 1: the next epoch, with SLEEPING clear. A failed CAS means another waker
       did it, or a sleeper registered since, which will see our change. */
    if ((w & WINIPC__SLEEPING) && atomic_compare_exchange_strong(&ws->sleepers, &w, w + 1))
        winipc__futex_wake(&ws->sleepers, INT_MAX, shared);
}

/* ---- transfer.c: handles for another process (inheritance, DuplicateHandle) ----------- */

/* A handle as another process gets it, with descriptors of its object. */
struct winipc__transfer {
    uint32_t handle; /* its value there */
    uint32_t kind, access, flags;
    int32_t fd, data_fd; /* the object's descriptor; a section's data (-1: none) */
    int32_t pid;         /* a process handle's process */
    uint32_t global;     /* entry is in the Global\ namespace */
    char entry[NAME_MAX + 1];
};

/*
 * Describes the held object as handle `value` with `access` and `flags` (HANDLE_FLAG_*)
 * for another process, with new descriptors (winipc__transfer_discard closes them).
 * 0 or a Win32 error (ERROR_NOT_SUPPORTED for threads).
 */
DWORD winipc__transfer_export(const struct winipc__hold *hold, HANDLE value, DWORD access,
                              DWORD flags, struct winipc__transfer *rec);
void winipc__transfer_discard(struct winipc__transfer *rec);
/* Makes the handle `rec` describes, at its value, taking its descriptors; false if
   it could not (the descriptors are closed). */
bool winipc__transfer_import(struct winipc__transfer *rec);
/*
 * DuplicateHandle into process `pid`: sends the held object as a new handle there,
 * whose value is *value. 0 or a Win32 error.
 */
DWORD winipc__transfer_send(pid_t pid, const struct winipc__hold *hold, DWORD access, DWORD flags,
                            HANDLE *value);
/* Takes in the handles other processes sent us; whether there were any. */
bool winipc__inbox_import(void);
/* Makes this process's inbox, once (at load). */
void winipc__inbox_start(void);
/* An inbox for a child about to start (listener, memfd); 0, or -1 with errno. Once the
   child runs as `pid`, winipc__inbox_child_started publishes it. The environment
   variable winipc__inbox_env() tells the child its two descriptors ("listener,memfd"). */
int winipc__inbox_for_child(int fds[2]);
void winipc__inbox_child_started(const int fds[2], pid_t pid);
const char *winipc__inbox_env(void);
/* handle.c: an inbox-range slot was opened with generation gen, or freed. */
void winipc__inbox_opened(uint32_t slot, uint32_t gen);
void winipc__inbox_freed(uint32_t slot, uint32_t next_gen);

/* ---- file.c, process.c --------------------------------------------------------------- */

/* CloseHandle((HANDLE)STD_ERROR_HANDLE) and the like: the standard handle, which is
   NULL from now on (the caller closes it), or NULL. */
HANDLE winipc__std_handle_take(DWORD which);
/* The process ends: deletes its FILE_FLAG_DELETE_ON_CLOSE files (winipc__close_all). */
void winipc__file_close_all(void);
/* A file object for descriptor fd, which it takes over (an inherited handle). */
struct winipc__object *winipc__file_from_fd(int fd);
/* A process object for pidfd (taken over, also on failure); `child` if CreateProcess made it, `gate`
   the write end of its start gate when it was made suspended, else -1. NULL + error. */
struct winipc__object *winipc__process_new(int pidfd, pid_t pid, bool child, int gate);
pid_t winipc__process_pid(struct winipc__object *obj);
/* A new process object for ourselves (DuplicateHandle(GetCurrentProcess())). NULL + error. */
struct winipc__object *winipc__process_self(void);
/* The process a process handle (or the pseudo-handle) names, if it has `right` and
   has not ended: 0, or ERROR_INVALID_HANDLE or ERROR_ACCESS_DENIED. */
DWORD winipc__process_handle_pid(HANDLE h, DWORD right, pid_t *pid);
/* The main thread of a process we made (a ref on the process). NULL + error. */
struct winipc__object *winipc__remote_thread_new(struct winipc__object *process);
DWORD winipc__remote_thread_resume(struct winipc__object *obj, DWORD *previous);
DWORD winipc__remote_thread_suspend(struct winipc__object *obj, DWORD *previous);
DWORD winipc__remote_thread_terminate(struct winipc__object *obj, DWORD code);
DWORD winipc__remote_thread_id(struct winipc__object *obj);
DWORD winipc__remote_thread_exit_code(struct winipc__object *obj);

/* ---- mutex.c, thread.c ---------------------------------------------------------------- */

/* Gives up the mutexes a thread still owns as it exits: they become abandoned. */
void winipc__mutex_abandon_owned(void);

/* ---- text.c, for the SDK-surface files (crt_secure.c, message.c, ...) ------------------ */

/*
 * Formats a Microsoft-semantics wide format (text.c) into a malloc'ed string *out of
 * *len characters. False with errno set (ENOMEM, EINVAL, EILSEQ) on failure.
 */
bool winipc__wformat(const wchar_t *fmt, va_list ap, wchar_t **out, size_t *len);

/* ---- tls.c --------------------------------------------------------------------------- */

/* A thread exits: runs its fiber-local callbacks and frees its TLS and FLS slots. */
void winipc__tls_thread_exit(void);

#endif /* WINIPC_POSIX_INTERNAL_H */
