/*
 * tls.c - thread-local storage (TlsAlloc, ...) and fiber-local storage (FlsAlloc, ...).
 *
 * There are no fibers, so fiber-local storage is thread-local storage whose index
 * carries a callback, called on a thread's non-NULL value when the thread exits or
 * the index is freed (Microsoft's FlsAlloc and FlsFree pages). The thread that ends
 * the process (exit(), a return from main) runs no callbacks: glibc runs no thread
 * exit for it.
 *
 * Indexes are the process's: a bitmap per kind, under `lock`. Values are the thread's:
 * a thread that stores a non-NULL value gets a block of slots, reached through one
 * initial-exec thread-local pointer, so TlsGetValue is three loads and no call. Slots
 * come in chunks of 64 that a thread allocates when it first stores into one, so a
 * thread that uses a few TLS indexes pays for 64 slots, not for 1088 + 4080. Every
 * block is on a list under `lock`, because freeing an index clears its slot in every
 * thread, as Windows does (a later Alloc that hands the index out again finds NULL in
 * every thread), and FlsFree calls the callback on every thread's value. So slots are
 * atomics: the owner reads and writes its own, a TlsFree in another thread clears
 * them, and each value a callback gets is taken with one exchange, by exactly one of
 * FlsFree and the thread's exit.
 *
 * Indexes the caller does not own but that are in range are read and written, as on
 * Windows (Wine's tests record it); only freeing one is refused.
 */
#include "internal.h"

#include <stdlib.h>

#define TLS_SLOTS (TLS_MINIMUM_AVAILABLE + 1024) /* as Windows: 64 + 1024 expansion slots */
#define FLS_SLOTS FLS_MAXIMUM_AVAILABLE          /* index 0 is never handed out */
#define CHUNK 64
#define TLS_CHUNKS (TLS_SLOTS / CHUNK)
#define FLS_CHUNKS ((FLS_SLOTS + CHUNK - 1) / CHUNK)
#define FLS_BASE (TLS_CHUNKS * CHUNK) /* FLS index i is slot FLS_BASE + i of a block */
_Static_assert(TLS_SLOTS % CHUNK == 0, "TLS fills whole chunks");

typedef _Atomic(void *) slot_t;

/* One thread's values. */
struct block {
    _Atomic(slot_t *) chunk[TLS_CHUNKS + FLS_CHUNKS]; /* set once by the owner; NULL: all NULL */
    struct block *prev, *next;                        /* all blocks; under lock */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t tls_used[TLS_SLOTS / 64];              /* allocated TLS indexes; lock */
static uint64_t fls_used[(FLS_SLOTS + 63) / 64];       /* allocated FLS indexes; lock */
static uint64_t fls_freeing[(FLS_SLOTS + 63) / 64];    /* FlsFree under way; lock */
static PFLS_CALLBACK_FUNCTION fls_callback[FLS_SLOTS]; /* lock */
static struct block *blocks;                           /* every thread's block; lock */
static WINIPC__TLS struct block *mine;                 /* the calling thread's, or NULL */
static pthread_key_t exit_key;                         /* frees a block at thread exit */

static bool bit(const uint64_t *map, size_t i)
{
    return (map[i / 64] >> (i % 64)) & 1;
}

static void set_bit(uint64_t *map, size_t i, bool on)
{
    if (on)
        map[i / 64] |= (uint64_t)1 << (i % 64);
    else
        map[i / 64] &= ~((uint64_t)1 << (i % 64));
}

/* The lowest clear bit of map in [from, to), or `to`. Lock held. */
static size_t first_free(const uint64_t *map, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!bit(map, i))
            return i;
    return to;
}

/* The calling thread's slot `g` if its chunk exists, else NULL. */
static slot_t *slot_of(const struct block *b, size_t g)
{
    slot_t *c = b ? atomic_load_explicit(&b->chunk[g / CHUNK], memory_order_acquire) : NULL;

    return c ? &c[g % CHUNK] : NULL;
}

static void *get(size_t g)
{
    slot_t *s = slot_of(mine, g);

    return s ? atomic_load_explicit(s, memory_order_relaxed) : NULL;
}

static void thread_exit_key(void *b);

static void lock_for_fork(void)
{
    pthread_mutex_lock(&lock);
}

static void unlock_after_fork(void)
{
    pthread_mutex_unlock(&lock);
}

/* The exit key, and fork(): a child must not inherit `lock` held by a thread that
   does not exist in it. */
static void __attribute__((constructor)) tls_init(void)
{
    pthread_key_create(&exit_key, thread_exit_key);
    pthread_atfork(lock_for_fork, unlock_after_fork, unlock_after_fork);
}

/* The calling thread's block, made on first use. NULL when out of memory. */
static struct block *my_block(void)
{
    struct block *b = mine;

    if (b)
        return b;
    if (!(b = calloc(1, sizeof *b)))
        return NULL;
    if (pthread_setspecific(exit_key, b) != 0) {
        free(b);
        return NULL;
    }
    pthread_mutex_lock(&lock);
    b->next = blocks;
    if (blocks)
        blocks->prev = b;
    blocks = b;
    pthread_mutex_unlock(&lock);
    return mine = b;
}

/* Stores v in the calling thread's slot g. False when out of memory. */
static bool set(size_t g, void *v)
{
    struct block *b = mine;
    slot_t *s = slot_of(b, g), *c;

    if (!s) {
        if (!v)
            return true; /* a slot never written reads NULL already */
        if (!(b = my_block()) || !(c = calloc(CHUNK, sizeof *c)))
            return false;
        atomic_store_explicit(&b->chunk[g / CHUNK], c, memory_order_release);
        s = &c[g % CHUNK];
    }
    atomic_store_explicit(s, v, memory_order_relaxed);
    return true;
}

/* Clears slot g in every thread, without callbacks. Lock held. */
static void clear_everywhere(size_t g)
{
    for (struct block *b = blocks; b; b = b->next) {
        slot_t *s = slot_of(b, g);

        if (s)
            atomic_store_explicit(s, NULL, memory_order_relaxed);
    }
}

/* Takes one thread's non-NULL value of slot g out of its slot, or NULL. Lock held. */
static void *take_one(size_t g)
{
    for (struct block *b = blocks; b; b = b->next) {
        slot_t *s = slot_of(b, g);
        void *v = s ? atomic_exchange(s, NULL) : NULL;

        if (v)
            return v;
    }
    return NULL;
}

/*
 * The calling thread exits: calls the callbacks of its fiber-local values (outside the
 * lock: a callback may use TLS and FLS itself), then frees its block. Values stored
 * by those callbacks are dropped with the block.
 */
void winipc__tls_thread_exit(void)
{
    struct block *b = mine;

    if (!b)
        return;
    for (size_t k = TLS_CHUNKS; k < TLS_CHUNKS + FLS_CHUNKS; k++) {
        slot_t *c = atomic_load_explicit(&b->chunk[k], memory_order_acquire);

        for (size_t j = 0; c && j < CHUNK; j++) {
            size_t i = (k - TLS_CHUNKS) * CHUNK + j;
            PFLS_CALLBACK_FUNCTION cb = NULL;
            void *v;

            if (!atomic_load_explicit(&c[j], memory_order_relaxed))
                continue;
            pthread_mutex_lock(&lock);
            if (i < FLS_SLOTS && bit(fls_used, i))
                cb = fls_callback[i];
            v = atomic_exchange(&c[j], NULL);
            pthread_mutex_unlock(&lock);
            if (v && cb)
                cb(v);
        }
    }
    pthread_mutex_lock(&lock);
    if (b->prev)
        b->prev->next = b->next;
    else
        blocks = b->next;
    if (b->next)
        b->next->prev = b->prev;
    pthread_mutex_unlock(&lock);
    mine = NULL;
    pthread_setspecific(exit_key, NULL);
    for (size_t k = 0; k < TLS_CHUNKS + FLS_CHUNKS; k++)
        free(atomic_load_explicit(&b->chunk[k], memory_order_relaxed));
    free(b);
}

/* A thread that did not end through thread.c's finish (not made by CreateThread). */
static void thread_exit_key(void *b)
{
    mine = b;
    winipc__tls_thread_exit();
}

/* ---- TLS ------------------------------------------------------------------------------ */

/* When all 1088 indexes are taken: TLS_OUT_OF_INDEXES, ERROR_NO_MORE_ITEMS (as Wine). */
DWORD WINAPI TlsAlloc(void)
{
    size_t i;

    pthread_mutex_lock(&lock);
    i = first_free(tls_used, 0, TLS_SLOTS);
    if (i < TLS_SLOTS) {
        set_bit(tls_used, i, true);
        clear_everywhere(i); /* values stored meanwhile through the unowned index */
    }
    pthread_mutex_unlock(&lock);
    if (i == TLS_SLOTS)
        return winipc__fail(TLS_OUT_OF_INDEXES, ERROR_NO_MORE_ITEMS);
    return (DWORD)i;
}

/* Sets the last error to ERROR_SUCCESS on success, so that a stored NULL can be told
   from a failure (Microsoft's TlsGetValue page). */
LPVOID WINAPI TlsGetValue(DWORD index)
{
    if (index >= TLS_SLOTS)
        return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
    winipc__set_error(ERROR_SUCCESS);
    return get(index);
}

BOOL WINAPI TlsSetValue(DWORD index, LPVOID value)
{
    if (index >= TLS_SLOTS)
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    if (!set(index, value))
        return winipc__fail(FALSE, ERROR_NOT_ENOUGH_MEMORY);
    return TRUE;
}

/* Clears the index's value in every thread and makes it free for TlsAlloc again. */
BOOL WINAPI TlsFree(DWORD index)
{
    bool ok;

    pthread_mutex_lock(&lock);
    ok = index < TLS_SLOTS && bit(tls_used, index);
    if (ok) {
        set_bit(tls_used, index, false);
        clear_everywhere(index);
    }
    pthread_mutex_unlock(&lock);
    return ok ? TRUE : winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
}

/* ---- FLS ------------------------------------------------------------------------------ */

/* When all are taken: FLS_OUT_OF_INDEXES, ERROR_NOT_ENOUGH_MEMORY (RtlFlsAlloc's
   STATUS_NO_MEMORY, which Wine's tests record on Windows). */
DWORD WINAPI FlsAlloc(PFLS_CALLBACK_FUNCTION callback)
{
    size_t i;

    pthread_mutex_lock(&lock);
    i = first_free(fls_used, 1, FLS_SLOTS);
    if (i < FLS_SLOTS) {
        set_bit(fls_used, i, true);
        fls_callback[i] = callback;
        clear_everywhere(FLS_BASE + i);
    }
    pthread_mutex_unlock(&lock);
    if (i == FLS_SLOTS)
        return winipc__fail(FLS_OUT_OF_INDEXES, ERROR_NOT_ENOUGH_MEMORY);
    return (DWORD)i;
}

PVOID WINAPI FlsGetValue(DWORD index)
{
    if (index == 0 || index >= FLS_SLOTS)
        return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
    winipc__set_error(ERROR_SUCCESS);
    return get(FLS_BASE + index);
}

BOOL WINAPI FlsSetValue(DWORD index, PVOID value)
{
    if (index == 0 || index >= FLS_SLOTS)
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    if (!set(FLS_BASE + index, value))
        return winipc__fail(FALSE, ERROR_NOT_ENOUGH_MEMORY);
    return TRUE;
}

/*
 * Calls the callback on every thread's non-NULL value (from the calling thread, one
 * value at a time and outside the lock), then frees the index. The index stays
 * allocated until the last callback returned, so that no FlsAlloc hands it out while
 * values of the old owner are still being taken out of it.
 */
BOOL WINAPI FlsFree(DWORD index)
{
    PFLS_CALLBACK_FUNCTION cb;
    void *v;

    pthread_mutex_lock(&lock);
    if (index == 0 || index >= FLS_SLOTS || !bit(fls_used, index) || bit(fls_freeing, index)) {
        pthread_mutex_unlock(&lock);
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    }
    set_bit(fls_freeing, index, true);
    cb = fls_callback[index];
    if (!cb)
        clear_everywhere(FLS_BASE + index);
    while (cb && (v = take_one(FLS_BASE + index))) {
        pthread_mutex_unlock(&lock);
        cb(v);
        pthread_mutex_lock(&lock);
    }
    set_bit(fls_freeing, index, false);
    set_bit(fls_used, index, false);
    fls_callback[index] = NULL;
    pthread_mutex_unlock(&lock);
    return TRUE;
}
