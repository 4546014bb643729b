/*
 * handle.c - the process's handle table: HANDLE -> object, CloseHandle, DuplicateHandle.
 *
 * A handle value is ((generation << 22) | ((index + 1) << 2)): a multiple of 4 below
 * 2^31, like Windows handles, so it survives code that stores handles in 32 bits.
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
 */
#include "internal.h"

#include <stdlib.h>

#define CHUNK_SLOTS 1024u
#define MAX_CHUNKS 1023u                 /* index + 1 must fit 20 bits */
#define INDEX_MASK 0xFFFFFu
#define GEN_MASK 0x1FFu
#define OPEN_BIT 1u
#define INFLIGHT_ONE 2u

struct winipc__slot {
    _Atomic uint64_t word;               /* generation << 32 | in-flight << 1 | open */
    struct winipc__object *obj;
    DWORD access;                        /* granted access mask */
    uint32_t index;                      /* position in the table, set once */
    uint32_t next_free;                  /* index + 1 of the next free slot, 0 = none */
};

static struct winipc__slot *_Atomic chunks[MAX_CHUNKS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t free_head;               /* index + 1, under table_lock */
static uint32_t next_unused;             /* under table_lock */

static struct winipc__slot *slot_at(uint32_t index)
{
    struct winipc__slot *chunk;

    if (index / CHUNK_SLOTS >= MAX_CHUNKS)
        return NULL;
    chunk = atomic_load_explicit(&chunks[index / CHUNK_SLOTS], memory_order_acquire);
    return chunk ? &chunk[index % CHUNK_SLOTS] : NULL;
}

HANDLE winipc__handle_new(struct winipc__object *obj, DWORD access)
{
    struct winipc__slot *s;
    uint32_t index;
    uint64_t gen;

    pthread_mutex_lock(&table_lock);
    if (free_head) {
        index = free_head - 1;
        s = slot_at(index);
        free_head = s->next_free;
    } else {
        index = next_unused;
        if (index / CHUNK_SLOTS >= MAX_CHUNKS)
            goto full;
        if (!slot_at(index)) {
            struct winipc__slot *chunk = calloc(CHUNK_SLOTS, sizeof *chunk);

            if (!chunk)
                goto full;
            for (uint32_t i = 0; i < CHUNK_SLOTS; i++)
                chunk[i].index = index + i;
            atomic_store_explicit(&chunks[index / CHUNK_SLOTS], chunk, memory_order_release);
        }
        next_unused++;
        s = slot_at(index);
    }
    pthread_mutex_unlock(&table_lock);

    s->obj = obj;
    s->access = access;
    gen = atomic_load_explicit(&s->word, memory_order_relaxed) >> 32;
    atomic_store_explicit(&s->word, gen << 32 | OPEN_BIT, memory_order_release);
    return (HANDLE)(uintptr_t)(gen << 22 | (uint64_t)(index + 1) << 2);

full:
    pthread_mutex_unlock(&table_lock);
    winipc__object_unref(obj);
    return winipc__fail(NULL, ERROR_NO_SYSTEM_RESOURCES);
}

/* Decodes a handle value; NULL if it cannot name a slot. */
static struct winipc__slot *decode(HANDLE h, uint64_t *gen)
{
    uintptr_t v = (uintptr_t)h;
    uint32_t index1 = (uint32_t)(v >> 2) & INDEX_MASK;

    if ((v & 3) || v >= ((uintptr_t)1 << 31) || index1 == 0)
        return NULL;
    *gen = v >> 22;
    return slot_at(index1 - 1);
}

/* Frees a slot that is closed with nothing in flight, then drops its object's ref. */
static void finish_close(struct winipc__slot *s)
{
    struct winipc__object *obj = s->obj;
    uint64_t gen = atomic_load_explicit(&s->word, memory_order_relaxed) >> 32;

    s->obj = NULL;
    atomic_store_explicit(&s->word, ((gen + 1) & GEN_MASK) << 32, memory_order_release);
    pthread_mutex_lock(&table_lock);
    s->next_free = free_head;
    free_head = s->index + 1;
    pthread_mutex_unlock(&table_lock);
    winipc__object_unref(obj);
}

bool winipc__handle_hold(HANDLE h, enum winipc__kind kind, struct winipc__hold *out)
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
                                                    memory_order_acquire,
                                                    memory_order_acquire));
    out->slot = s;
    out->obj = s->obj;
    out->access = s->access;
    if (kind && out->obj->ops->kind != kind) {
        winipc__handle_release(out);
        return winipc__fail(false, ERROR_INVALID_HANDLE);
    }
    return true;
}

void winipc__handle_release(struct winipc__hold *hold)
{
    uint64_t w = atomic_fetch_sub_explicit(&hold->slot->word, INFLIGHT_ONE,
                                           memory_order_acq_rel) - INFLIGHT_ONE;

    if ((uint32_t)w == 0) /* closed meanwhile, and we were the last user */
        finish_close(hold->slot);
}

/* Clears "open"; returns false if h is not an open handle. */
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
    } while (!atomic_compare_exchange_weak_explicit(&s->word, &w, w & ~(uint64_t)OPEN_BIT,
                                                    memory_order_acq_rel,
                                                    memory_order_acquire));
    if ((uint32_t)w == OPEN_BIT) /* nothing in flight */
        finish_close(s);
    return true;
}

BOOL WINAPI CloseHandle(HANDLE h)
{
    /* Closing a pseudo-handle succeeds and does nothing, as on Windows. */
    if (h == WINIPC__PSEUDO_PROCESS || h == WINIPC__PSEUDO_THREAD)
        return TRUE;
    if (!close_slot(h))
        return winipc__fail(FALSE, ERROR_INVALID_HANDLE);
    return TRUE;
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

/*
 * Only the current process is supported as source and target (there are no handles
 * to other processes).
 * Differs from Windows: duplicating into another process is not possible (pass the
 * object's name instead), nor is duplicating GetCurrentProcess()'s pseudo-handle.
 */
BOOL WINAPI DuplicateHandle(HANDLE source_process, HANDLE source, HANDLE target_process,
                            LPHANDLE target, DWORD desired_access, BOOL inherit,
                            DWORD options)
{
    struct winipc__hold hold;
    HANDLE dup = NULL;
    DWORD access;

    (void)inherit;
    if (source_process != WINIPC__PSEUDO_PROCESS || target_process != WINIPC__PSEUDO_PROCESS)
        return winipc__fail(FALSE, ERROR_INVALID_HANDLE);
    if (source == WINIPC__PSEUDO_THREAD)
        return winipc__thread_duplicate_self(target, options);
    if (!winipc__handle_hold(source, 0, &hold))
        return FALSE;
    access = (options & DUPLICATE_SAME_ACCESS) ? hold.access
                                               : winipc__access_map(hold.obj->ops, desired_access);
    if (target) {
        winipc__object_ref(hold.obj);
        dup = winipc__handle_new(hold.obj, access);
    }
    winipc__handle_release(&hold);
    if (options & DUPLICATE_CLOSE_SOURCE)
        close_slot(source); /* closed even when the duplication failed, as on Windows */
    if (!target)
        return TRUE;
    if (!dup)
        return FALSE;
    *target = dup;
    return TRUE;
}
