/*
 * handle.c - the process's handle table: HANDLE -> object, CloseHandle, DuplicateHandle.
 *
 * A handle value is ((generation << 22) | (slot number << 2)): a multiple of 4 below
 * 2^31, like Windows handles, so it survives code that stores handles in 32 bits.
 * Slot 0 is never used, so no handle is NULL.
 * Slots live in chunks of 1024 that are allocated on demand and never freed, so a
 * lookup can read a slot without a lock.
 *
 * Each slot has one atomic word: generation (high 32 bits), number of calls using the
 * slot right now (bits 1-31) and "open" (bit 0). A lookup increments the in-flight
 * count with a CAS that also checks "open" and the generation; CloseHandle clears
 * "open". Whoever brings the word to "closed with nothing in flight" -- CloseHandle
 * itself, or the last call still using the handle -- drops the object's ref and frees
 * the slot with the next generation. So a handle closed by one thread while another
 * waits on it stays valid for that wait (as on Windows), a stale handle value fails
 * with ERROR_INVALID_HANDLE instead of reaching whatever reused the slot, and readers
 * never take a lock.
 * Differs from Windows: Windows reuses handle values with no such check; a stale
 * value there may name another object.
 *
 * BRIEF HOLDS (HAZARD POINTERS)
 *
 * Two atomic read-modify-writes per call cost more than an uncontended SetEvent
 * itself, so the hot single-object calls (SetEvent, ReleaseMutex, a wait's first
 * try, ...) hold their handle differently: the thread publishes the slot in its own
 * hazard record with a plain store, then checks the slot's word. A CloseHandle, after
 * clearing "open", issues membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED), which makes
 * every thread of the process execute a full barrier: after it, either a reader's
 * hazard store is visible to the closer, or the reader's check sees "closed". The
 * closer then waits until no other thread's hazard names the slot; brief holds never
 * block, so that wait is short. A call that must block first turns its brief hold
 * into a counted one (winipc__handle_keep). With only one thread using handles, close
 * needs no membarrier at all; without membarrier (kernels before 4.14), every hold is
 * counted.
 */
#include "internal.h"
#include "platform.h"

#include <sched.h>
#include <stdlib.h>

#define CHUNK_SLOTS 1024u
#define MAX_CHUNKS 1024u /* slot numbers fit 20 bits */
#define INDEX_MASK 0xFFFFFu
#define GEN_MASK 0x1FFu
#define OPEN_BIT 1u
#define INFLIGHT_ONE 2u

struct winipc__slot {
    _Atomic uint64_t word; /* generation << 32 | in-flight << 1 | open */
    struct winipc__object *obj;
    DWORD access;       /* granted access mask */
    uint32_t n;         /* the slot's number, set once */
    uint32_t next_free; /* the next free slot's number, 0 = none */
    uint32_t kind;      /* obj->ops->kind, one dependent load nearer */
    uint32_t flags;     /* HANDLE_FLAG_INHERIT, HANDLE_FLAG_PROTECT_FROM_CLOSE (relaxed) */
};

/* One per thread that used a brief hold; records are reused, never freed. */
struct hazard {
    struct winipc__slot *_Atomic slot; /* the slot this thread holds briefly, or NULL */
    atomic_bool in_use;
    struct hazard *next;
};

static struct hazard *_Atomic hazards;
static atomic_uint hazard_users; /* records in use by live threads */
static WINIPC__TLS struct hazard *my_hazard;
static pthread_key_t hazard_key;
static pthread_once_t hazard_once = PTHREAD_ONCE_INIT;
static bool brief_ok; /* membarrier is there */

static struct winipc__slot *_Atomic chunks[MAX_CHUNKS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t free_head;       /* a free slot's number, 0 = none; table_lock */
static uint32_t next_unused = 1; /* slot 0 is never used; under table_lock */

/* fork(): the table must not be copied in the middle of a change. */
static void table_prepare(void)
{
    pthread_mutex_lock(&table_lock);
}

static void table_resume(void)
{
    pthread_mutex_unlock(&table_lock);
}

static void __attribute__((constructor)) table_init(void)
{
    pthread_atfork(table_prepare, table_resume, table_resume);
}

/* Slot number n (below 2^20), or NULL if its chunk does not exist. */
static struct winipc__slot *slot_at(uint32_t n)
{
    struct winipc__slot *chunk =
        atomic_load_explicit(&chunks[n / CHUNK_SLOTS], memory_order_acquire);

    return chunk ? &chunk[n % CHUNK_SLOTS] : NULL;
}

/* Makes slot n's chunk exist; false on ENOMEM. Under table_lock. */
static bool chunk_for(uint32_t n)
{
    struct winipc__slot *chunk;

    if (slot_at(n))
        return true;
    chunk = calloc(CHUNK_SLOTS, sizeof *chunk);
    if (!chunk)
        return false;
    for (uint32_t i = 0; i < CHUNK_SLOTS; i++)
        chunk[i].n = n / CHUNK_SLOTS * CHUNK_SLOTS + i;
    atomic_store_explicit(&chunks[n / CHUNK_SLOTS], chunk, memory_order_release);
    return true;
}

/* A free slot: the first of the free list, or a new one. NULL if the table is full.
   Under table_lock. */
static struct winipc__slot *claim_any(void)
{
    struct winipc__slot *s;

    if (free_head) {
        s = slot_at(free_head);
        free_head = s->next_free;
        return s;
    }
    if (next_unused >= WINIPC__INBOX_FIRST || !chunk_for(next_unused))
        return NULL;
    return slot_at(next_unused++);
}

/* Slot n if it is free (taken off the free list, or made with the ones before it,
   which go on the list; a slot of the inbox range, which has no list, if it is
   closed). NULL if it is in use. Under table_lock. */
static struct winipc__slot *claim(uint32_t n)
{
    uint32_t *link;

    if (n == 0 || n / CHUNK_SLOTS >= MAX_CHUNKS)
        return NULL;
    if (n >= WINIPC__INBOX_FIRST) {
        if (!chunk_for(n) || (uint32_t)atomic_load(&slot_at(n)->word) != 0)
            return NULL; /* open, or still in use by calls */
        return slot_at(n);
    }
    if (n >= next_unused) {
        for (uint32_t i = next_unused; i <= n; i++) {
            if (!chunk_for(i))
                return NULL;
            if (i < n) {
                slot_at(i)->next_free = free_head;
                free_head = i;
            }
        }
        next_unused = n + 1;
        return slot_at(n);
    }
    for (link = &free_head; *link; link = &slot_at(*link)->next_free) {
        if (*link == n) {
            *link = slot_at(n)->next_free;
            return slot_at(n);
        }
    }
    return NULL;
}

/* Opens slot s for obj with generation gen: the handle value. */
static HANDLE open_slot(struct winipc__slot *s, uint64_t gen, struct winipc__object *obj,
                        DWORD access, DWORD flags)
{
    s->obj = obj;
    s->access = access;
    s->kind = obj->ops->kind;
    __atomic_store_n(&s->flags, flags, __ATOMIC_RELAXED);
    atomic_store_explicit(&s->word, gen << 32 | OPEN_BIT, memory_order_release);
    if (s->n >= WINIPC__INBOX_FIRST)
        winipc__inbox_opened(s->n, (uint32_t)gen);
    return (HANDLE)(uintptr_t)(gen << 22 | (uint64_t)s->n << 2);
}

HANDLE winipc__handle_new_ex(struct winipc__object *obj, DWORD access, DWORD flags)
{
    struct winipc__slot *s;

    pthread_mutex_lock(&table_lock);
    s = claim_any();
    pthread_mutex_unlock(&table_lock);
    if (!s) {
        winipc__object_unref(obj);
        return winipc__fail(NULL, ERROR_NO_SYSTEM_RESOURCES);
    }
    return open_slot(s, atomic_load_explicit(&s->word, memory_order_relaxed) >> 32, obj, access,
                     flags);
}

HANDLE winipc__handle_new(struct winipc__object *obj, DWORD access)
{
    return winipc__handle_new_ex(obj, access, 0);
}

HANDLE winipc__handle_new_at(HANDLE value, struct winipc__object *obj, DWORD access, DWORD flags)
{
    uintptr_t v = (uintptr_t)value;
    struct winipc__slot *s = NULL;

    if (!(v & ~(uintptr_t)0x7FFFFFFCu) && v) {
        pthread_mutex_lock(&table_lock);
        s = claim((uint32_t)(v >> 2) & INDEX_MASK);
        pthread_mutex_unlock(&table_lock);
    }
    if (!s) {
        winipc__object_unref(obj);
        return winipc__fail(NULL, ERROR_INVALID_HANDLE);
    }
    return open_slot(s, (v >> 22) & GEN_MASK, obj, access, flags);
}

/*
 * Decodes a handle value; NULL if it cannot name a slot. NULL itself names slot 0,
 * which is never opened, so the caller's "open" check refuses it.
 */
static struct winipc__slot *decode(HANDLE h, uint64_t *gen)
{
    uintptr_t v = (uintptr_t)h;

    /* Below 2^31; the low two bits are tag bits that Windows ignores (so do we). */
    if (v & ~(uintptr_t)0x7FFFFFFFu)
        return NULL;
    *gen = v >> 22;
    return slot_at((uint32_t)(v >> 2) & INDEX_MASK);
}

/*
 * A value in the inbox range that names no open handle may be one another process
 * gave us that we have not taken in yet: takes in what is pending (transfer.c), and
 * says whether to look again.
 */
static bool import_for(HANDLE h)
{
    uintptr_t v = (uintptr_t)h;

    return !(v & ~(uintptr_t)0x7FFFFFFFu) &&
           ((uint32_t)(v >> 2) & INDEX_MASK) >= WINIPC__INBOX_FIRST && winipc__inbox_import();
}

/* Frees a slot that is closed with nothing in flight, then drops its object's ref. */
static void finish_close(struct winipc__slot *s)
{
    struct winipc__object *obj = s->obj;
    uint64_t gen = atomic_load_explicit(&s->word, memory_order_relaxed) >> 32;

    s->obj = NULL;
    atomic_store_explicit(&s->word, ((gen + 1) & GEN_MASK) << 32, memory_order_release);
    if (s->n >= WINIPC__INBOX_FIRST) { /* not ours to reuse: the inbox hands it out */
        winipc__inbox_freed(s->n, (uint32_t)((gen + 1) & GEN_MASK));
    } else {
        pthread_mutex_lock(&table_lock);
        s->next_free = free_head;
        free_head = s->n;
        pthread_mutex_unlock(&table_lock);
    }
    winipc__object_unref(obj);
}

/* ---- Hazard records ---------------------------------------------------------------- */

static void hazard_thread_exit(void *p)
{
    struct hazard *hz = p;

    atomic_store(&hz->slot, NULL);
    atomic_fetch_sub(&hazard_users, 1);
    atomic_store(&hz->in_use, false);
}

/* A fork child has one thread: the parent's other records are stale. */
static void hazard_after_fork(void)
{
    for (struct hazard *hz = atomic_load(&hazards); hz; hz = hz->next) {
        if (hz == my_hazard)
            continue;
        atomic_store(&hz->slot, NULL);
        atomic_store(&hz->in_use, false);
    }
    atomic_store(&hazard_users, my_hazard ? 1 : 0);
    winipc__barrier_register();
}

static void hazard_init(void)
{
    brief_ok = winipc__barrier_register() &&
               pthread_key_create(&hazard_key, hazard_thread_exit) == 0 &&
               pthread_atfork(NULL, NULL, hazard_after_fork) == 0;
}

/* The calling thread's hazard record, or NULL if brief holds are not possible. */
static struct hazard *my_record(void)
{
    struct hazard *hz;

    if (my_hazard)
        return my_hazard;
    pthread_once(&hazard_once, hazard_init);
    if (!brief_ok)
        return NULL;
    for (hz = atomic_load(&hazards); hz; hz = hz->next) {
        bool free_ = false;

        if (atomic_compare_exchange_strong(&hz->in_use, &free_, true))
            break;
    }
    if (!hz) {
        hz = calloc(1, sizeof *hz);
        if (!hz)
            return NULL;
        atomic_init(&hz->in_use, true);
        hz->next = atomic_load(&hazards);
        while (!atomic_compare_exchange_weak(&hazards, &hz->next, hz))
            ;
    }
    /* Seq-cst, before this thread's first hazard: a closer that reads the count after
       clearing "open" either counts us or we see "closed" (see wait_for_brief). */
    atomic_fetch_add(&hazard_users, 1);
    pthread_setspecific(hazard_key, hz);
    my_hazard = hz;
    return hz;
}

/* After a slot's "open" was cleared: wait until no other thread holds it briefly. */
static void wait_for_brief(struct winipc__slot *s)
{
    unsigned users = atomic_load(&hazard_users);

    if (users == 0 || (users == 1 && my_hazard))
        return; /* no other thread can hold anything briefly */
    winipc__barrier();
    for (struct hazard *hz = atomic_load(&hazards); hz; hz = hz->next)
        while (hz != my_hazard && atomic_load(&hz->slot) == s)
            sched_yield();
}

/* The brief hold's slow ends, kept out of line so that its fast path saves no
   registers and makes no call. */
static __attribute__((noinline, cold)) bool
brief_refused(struct hazard *hz, HANDLE h, enum winipc__kind kind, struct winipc__hold *out)
{
    atomic_store_explicit(&hz->slot, NULL, memory_order_release);
    if (import_for(h))
        return winipc__handle_hold(h, kind, out);
    return winipc__fail(false, ERROR_INVALID_HANDLE);
}

static __attribute__((noinline)) bool brief_first(HANDLE h, enum winipc__kind kind,
                                                  struct winipc__hold *out)
{
    /* No record yet: make one; without membarrier, or nested in a signal handler
       that interrupted a brief hold, count instead. */
    struct hazard *hz = my_record();

    if (!hz || atomic_load_explicit(&hz->slot, memory_order_relaxed))
        return winipc__handle_hold(h, kind, out);
    return winipc__handle_hold_brief(h, kind, out);
}

bool winipc__handle_hold_brief(HANDLE h, enum winipc__kind kind, struct winipc__hold *out)
{
    struct hazard *hz = my_hazard;
    struct winipc__slot *s;
    uint64_t gen, w;

    if (!hz || atomic_load_explicit(&hz->slot, memory_order_relaxed))
        return brief_first(h, kind, out);
    if (!(s = decode(h, &gen)))
        return import_for(h) ? winipc__handle_hold(h, kind, out)
                             : winipc__fail(false, ERROR_INVALID_HANDLE);
    atomic_store_explicit(&hz->slot, s, memory_order_relaxed);
    atomic_signal_fence(memory_order_seq_cst); /* the CPU fence is the closer's membarrier */
    w = atomic_load_explicit(&s->word, memory_order_acquire);
    if (!(w & OPEN_BIT) || (w >> 32) != gen || (kind && s->kind != kind))
        return brief_refused(hz, h, kind, out);
    out->slot = s;
    out->obj = s->obj;
    out->access = __atomic_load_n(&s->access, __ATOMIC_RELAXED);
    out->hazard = &hz->slot;
    return true;
}

bool winipc__handle_keep(struct winipc__hold *hold)
{
    struct winipc__slot *s = hold->slot;
    uint64_t w;

    if (!hold->hazard)
        return true;
    /* Our hazard keeps the slot from being freed or reused, so its generation holds. */
    w = atomic_load_explicit(&s->word, memory_order_acquire);
    do {
        if (!(w & OPEN_BIT)) {
            winipc__handle_release(hold);
            return winipc__fail(false, ERROR_INVALID_HANDLE);
        }
    } while (!atomic_compare_exchange_weak_explicit(&s->word, &w, w + INFLIGHT_ONE,
                                                    memory_order_acquire, memory_order_acquire));
    atomic_store_explicit(hold->hazard, NULL, memory_order_release);
    hold->hazard = NULL;
    return true;
}

/* ---- Counted holds ------------------------------------------------------------------ */

static bool hold_counted(HANDLE h, enum winipc__kind kind, struct winipc__hold *out)
{
    uint64_t gen, w;
    struct winipc__slot *s = decode(h, &gen);

    if (!s)
        return winipc__fail(false, ERROR_INVALID_HANDLE);
    w = atomic_load_explicit(&s->word, memory_order_acquire);
    do {
        if (!(w & OPEN_BIT) || (w >> 32) != gen)
            return winipc__fail(false, ERROR_INVALID_HANDLE);
    } while (!atomic_compare_exchange_weak_explicit(&s->word, &w, w + INFLIGHT_ONE,
                                                    memory_order_acquire, memory_order_acquire));
    out->slot = s;
    out->obj = s->obj;
    out->access = __atomic_load_n(&s->access, __ATOMIC_RELAXED);
    out->hazard = NULL;
    if (kind && s->kind != kind) {
        winipc__handle_release(out);
        return winipc__fail(false, ERROR_INVALID_HANDLE);
    }
    return true;
}

bool winipc__handle_hold(HANDLE h, enum winipc__kind kind, struct winipc__hold *out)
{
    return hold_counted(h, kind, out) || (import_for(h) && hold_counted(h, kind, out));
}

/* Drops one in-flight count; the last one after a close finishes it. */
void winipc__handle_unpin(struct winipc__slot *s)
{
    uint64_t w = atomic_fetch_sub_explicit(&s->word, INFLIGHT_ONE, memory_order_acq_rel);

    if ((uint32_t)(w - INFLIGHT_ONE) == 0) /* closed, and nothing left in flight */
        finish_close(s);
}

/*
 * Clears "open"; returns false if h is not an open handle. The closer pins the slot
 * while it waits out brief holders, so that no counted user can finish the close
 * under them.
 */
static bool close_slot(HANDLE h)
{
    uint64_t gen, w;
    struct winipc__slot *s = decode(h, &gen);

    if (!s)
        return false;
    w = atomic_load_explicit(&s->word, memory_order_acquire);
    do {
        if (!(w & OPEN_BIT) || (w >> 32) != gen)
            return false;
    } while (!atomic_compare_exchange_weak_explicit(&s->word, &w,
                                                    (w & ~(uint64_t)OPEN_BIT) + INFLIGHT_ONE,
                                                    memory_order_seq_cst, memory_order_acquire));
    wait_for_brief(s);
    winipc__handle_unpin(s);
    return true;
}

/* The slot of an open handle h (its flags may be read or set), or NULL. */
static struct winipc__slot *open_slot_once(HANDLE h)
{
    uint64_t gen, w;
    struct winipc__slot *s = decode(h, &gen);

    if (!s)
        return NULL;
    w = atomic_load_explicit(&s->word, memory_order_acquire);
    return (w & OPEN_BIT) && (w >> 32) == gen ? s : NULL;
}

static struct winipc__slot *open_slot_of(HANDLE h)
{
    struct winipc__slot *s = open_slot_once(h);

    return s || !import_for(h) ? s : open_slot_once(h);
}

/* A handle with HANDLE_FLAG_PROTECT_FROM_CLOSE stays open and CloseHandle fails with
   ERROR_INVALID_HANDLE, as on Windows (which also raises an exception under a
   debugger). */
BOOL WINAPI CloseHandle(HANDLE h)
{
    struct winipc__slot *s;

    /* Closing a pseudo-handle succeeds and does nothing, as on Windows. */
    if (h == WINIPC__PSEUDO_PROCESS || h == WINIPC__PSEUDO_THREAD)
        return TRUE;
    /* The STD_*_HANDLE values close the standard handle they name, as Windows does. */
    if ((uintptr_t)h == STD_INPUT_HANDLE || (uintptr_t)h == STD_OUTPUT_HANDLE ||
        (uintptr_t)h == STD_ERROR_HANDLE) {
        h = winipc__std_handle_take((DWORD)(uintptr_t)h);
        if (!h)
            return winipc__fail(FALSE, ERROR_INVALID_HANDLE);
    }
    s = open_slot_of(h);
    if (s && (__atomic_load_n(&s->flags, __ATOMIC_RELAXED) & HANDLE_FLAG_PROTECT_FROM_CLOSE))
        return winipc__fail(FALSE, ERROR_INVALID_HANDLE);
    if (!close_slot(h))
        return winipc__fail(FALSE, ERROR_INVALID_HANDLE);
    return TRUE;
}

BOOL WINAPI GetHandleInformation(HANDLE h, LPDWORD flags)
{
    struct winipc__slot *s;

    if (!flags || winipc__bad_pointer(flags))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (h == WINIPC__PSEUDO_PROCESS || h == WINIPC__PSEUDO_THREAD) {
        *flags = 0;
        return TRUE;
    }
    if (!(s = open_slot_of(h)))
        return winipc__fail(FALSE, ERROR_INVALID_HANDLE);
    *flags = __atomic_load_n(&s->flags, __ATOMIC_RELAXED);
    return TRUE;
}

BOOL WINAPI SetHandleInformation(HANDLE h, DWORD mask, DWORD flags)
{
    const DWORD known = HANDLE_FLAG_INHERIT | HANDLE_FLAG_PROTECT_FROM_CLOSE;
    struct winipc__slot *s = open_slot_of(h);
    uint32_t old;

    if (!s)
        return winipc__fail(FALSE, ERROR_INVALID_HANDLE);
    mask &= known;
    old = __atomic_load_n(&s->flags, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(&s->flags, &old, (old & ~mask) | (flags & mask), true,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
    return TRUE;
}

void winipc__handle_each_inheritable(void (*fn)(void *ctx, HANDLE h, struct winipc__hold *hold),
                                     void *ctx)
{
    uint32_t end;

    pthread_mutex_lock(&table_lock);
    end = next_unused;
    pthread_mutex_unlock(&table_lock);
    for (uint32_t n = 1; n < WINIPC__INBOX_FIRST + WINIPC__INBOX_SLOTS; n++) {
        struct winipc__slot *s;
        struct winipc__hold hold;
        uint64_t w;
        HANDLE h;

        if (n == end) /* the rest of our own range is unused: on to the inbox range */
            n = WINIPC__INBOX_FIRST;
        if (!(s = slot_at(n))) { /* no chunk: none of its slots was ever open */
            n |= CHUNK_SLOTS - 1;
            continue;
        }
        w = atomic_load_explicit(&s->word, memory_order_acquire);
        h = (HANDLE)(uintptr_t)((w >> 32) << 22 | (uint64_t)n << 2);
        if (!(w & OPEN_BIT) ||
            !(__atomic_load_n(&s->flags, __ATOMIC_RELAXED) & HANDLE_FLAG_INHERIT))
            continue;
        if (!winipc__handle_hold(h, 0, &hold)) /* closed meanwhile */
            continue;
        fn(ctx, h, &hold);
        winipc__handle_release(&hold);
    }
}

DWORD winipc__access_for(const struct winipc__ops *ops, DWORD desired, DWORD *granted)
{
    DWORD valid = ops->all_access | GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL |
                  MAXIMUM_ALLOWED;

    *granted = 0;
    if (desired & ACCESS_SYSTEM_SECURITY)
        return ERROR_PRIVILEGE_NOT_HELD; /* SeSecurityPrivilege: nobody holds it here */
    if (desired & ~valid)
        return ERROR_ACCESS_DENIED;
    *granted = winipc__access_map(ops, desired);
    return 0;
}

DWORD winipc__access_map(const struct winipc__ops *ops, DWORD desired)
{
    DWORD access = desired & 0x00FFFFFFu; /* specific and standard rights */

    if (desired & GENERIC_READ)
        access |= ops->generic[0];
    if (desired & GENERIC_WRITE)
        access |= ops->generic[1];
    if (desired & GENERIC_EXECUTE)
        access |= ops->generic[2];
    if (desired & (GENERIC_ALL | MAXIMUM_ALLOWED))
        access |= ops->all_access;
    return access & ops->all_access;
}

/* DuplicateHandle(GetCurrentProcess()): a real handle to ourselves, here or in `to`. */
static BOOL duplicate_self(pid_t to, LPHANDLE target, DWORD desired_access, DWORD flags,
                           DWORD options)
{
    struct winipc__object *obj;
    struct winipc__hold hold;
    HANDLE h, value = NULL;
    DWORD access, err;

    if (options & DUPLICATE_SAME_ACCESS)
        access = PROCESS_ALL_ACCESS;
    else if ((err = winipc__access_for(&winipc__process_ops, desired_access, &access)) != 0)
        return winipc__fail(FALSE, err);
    if (!(obj = winipc__process_self()) || !(h = winipc__handle_new_ex(obj, access, flags)))
        return FALSE;
    if (to == winipc__cached_pid()) {
        if (target)
            *target = h;
        return TRUE;
    }
    if (winipc__handle_hold(h, 0, &hold)) {
        err = winipc__transfer_send(to, &hold, access, flags, &value);
        winipc__handle_release(&hold);
    } else {
        err = GetLastError();
    }
    close_slot(h);
    if (err)
        return winipc__fail(FALSE, err);
    if (target)
        *target = value;
    return TRUE;
}

/*
 * hSourceProcess and hTargetProcess are GetCurrentProcess() or process handles with
 * PROCESS_DUP_HANDLE. Into another process, the new handle is made there and its
 * value returned (transfer.c, which says what differs from Windows: the source
 * process must be the caller).
 *
 * Within the current process, DUPLICATE_CLOSE_SOURCE closes the source whatever else
 * happens, as Microsoft documents, and a duplicate that replaces its source in the
 * same process keeps the source's value (Windows reuses the slot; programs compare).
 * The access asked for must be valid for the kind; a file's duplicate cannot have
 * more than its source (a file's access is fixed when it is opened, as NT checks it),
 * while other kinds get what their creator could open them with, as NT grants the
 * owner of the object. GetCurrentProcess() duplicates to a real handle of the caller.
 */
BOOL WINAPI DuplicateHandle(HANDLE source_process, HANDLE source, HANDLE target_process,
                            LPHANDLE target, DWORD desired_access, BOOL inherit, DWORD options)
{
    bool close_source = options & DUPLICATE_CLOSE_SOURCE;
    DWORD flags = inherit ? HANDLE_FLAG_INHERIT : 0, access, err;
    struct winipc__hold hold;
    HANDLE dup = NULL;
    pid_t from, to;

    if ((err = winipc__process_handle_pid(source_process, PROCESS_DUP_HANDLE, &from)) != 0)
        return winipc__fail(FALSE, err); /* nothing of ours to close */
    if (from != winipc__cached_pid())
        return winipc__fail(FALSE, ERROR_NOT_SUPPORTED); /* a handle of another process */
    if (winipc__bad_pointer(target)) {
        err = ERROR_NOACCESS;
        goto fail;
    }
    if ((err = winipc__process_handle_pid(target_process, PROCESS_DUP_HANDLE, &to)) != 0)
        goto fail;
    if (source == WINIPC__PSEUDO_PROCESS)
        return duplicate_self(to, target, desired_access, flags, options);
    if (source == WINIPC__PSEUDO_THREAD) {
        if (to == winipc__cached_pid())
            return winipc__thread_duplicate_self(target, options);
        err = ERROR_NOT_SUPPORTED; /* threads are not given to other processes */
        goto fail;
    }
    if (!winipc__handle_hold(source, 0, &hold))
        return FALSE;
    err = winipc__access_for(hold.obj->ops, desired_access, &access);
    if (options & DUPLICATE_SAME_ACCESS) {
        access = hold.access;
        err = 0;
    } else if (!err && hold.obj->ops->kind == WINIPC__FILE && (access & ~hold.access)) {
        err = ERROR_ACCESS_DENIED;
    }
    if (err) {
        winipc__handle_release(&hold);
        goto fail;
    }
    /* A protected source is not closed (Windows duplicates it and leaves it). */
    if (__atomic_load_n(&hold.slot->flags, __ATOMIC_RELAXED) & HANDLE_FLAG_PROTECT_FROM_CLOSE)
        close_source = false;
    if (to != winipc__cached_pid()) {
        err = winipc__transfer_send(to, &hold, access, flags, &dup);
        winipc__handle_release(&hold);
        if (close_source)
            close_slot(source); /* whether or not the duplicate was made */
        if (err)
            return winipc__fail(FALSE, err);
        if (target)
            *target = dup;
        return TRUE;
    }
    if (close_source && target) {
        /* The duplicate takes the source's place: the same slot, its new access. */
        __atomic_store_n(&hold.slot->access, access, __ATOMIC_RELAXED);
        __atomic_store_n(&hold.slot->flags, flags, __ATOMIC_RELAXED);
        winipc__handle_release(&hold);
        *target = (HANDLE)((uintptr_t)source & ~(uintptr_t)3);
        return TRUE;
    }
    /* A NULL target still gets its duplicate, which nobody can close before the
       process exits: Microsoft documents this (it keeps the object alive), and Wine
       does the same. */
    winipc__object_ref(hold.obj);
    dup = winipc__handle_new_ex(hold.obj, access, flags);
    winipc__handle_release(&hold);
    if (close_source)
        close_slot(source); /* closed even when the duplication failed, as on Windows */
    if (!dup)
        return FALSE;
    if (target)
        *target = dup;
    return TRUE;

fail:
    if (close_source && source != WINIPC__PSEUDO_THREAD && source != WINIPC__PSEUDO_PROCESS)
        close_slot(source); /* "regardless of any error status" */
    return winipc__fail(FALSE, err);
}
