/*
 * semaphore.c - named and unnamed semaphores (their Win32 entry points are in
 * sync_api.c, shared with the portable backend).
 *
 * The wait-state word is guard | count: a wait takes one with a CAS (no syscall),
 * ReleaseSemaphore adds with a CAS bounded by the maximum and wakes sleepers only
 * when some may exist.
 *
 * A wait-all takes nothing until it commits: while it holds the guard only it can
 * lower the count (single takers' CAS fails on the guard bit, releases only add), so
 * a count it saw above zero stays so, and the commit takes one. A wait-all that dies
 * before its commit has taken nothing (wait.c).
 */
#include "internal.h"

#define SEM_COUNT_MASK WINIPC__SEMAPHORE_COUNT_MASK

struct semaphore {
    struct winipc__object obj;
    uint32_t maximum; /* validated once at open: the shared page is not trusted */
};

static _Atomic uint32_t *sem_word(struct winipc__object *obj)
{
    return &((struct winipc__semaphore_state *)winipc__object_state(obj))->ws.word;
}

static uint32_t maximum(struct winipc__object *obj)
{
    return WINIPC__CONTAINER(obj, struct semaphore, obj)->maximum;
}

static DWORD sem_try_acquire(struct winipc__object *obj, const uint32_t *slept_on, bool own_guard)
{
    _Atomic uint32_t *word = sem_word(obj);
    uint32_t w = atomic_load(word);

    (void)slept_on;
    for (;;) {
        if ((w & WINIPC__GUARD_BIT) && !own_guard)
            return WINIPC__WAIT_GUARDED;
        if ((w & SEM_COUNT_MASK) == 0)
            return WAIT_TIMEOUT;
        if (own_guard) /* only a look: the commit takes it */
            return WAIT_OBJECT_0;
        if (atomic_compare_exchange_weak(word, &w, w - 1))
            return WAIT_OBJECT_0;
    }
}

static bool sem_ready(struct winipc__object *obj)
{
    return (atomic_load(sem_word(obj)) & SEM_COUNT_MASK) != 0;
}

static void sem_undo(struct winipc__object *obj, DWORD how)
{
    (void)obj, (void)how; /* a wait-all's try took nothing */
}

static void sem_commit(struct winipc__object *obj)
{
    atomic_fetch_sub(sem_word(obj), 1); /* above zero: we hold the guard (see above) */
}

/* Adds `count`; the previous count in *previous. 0 or a Win32 error. */
DWORD winipc__semaphore_release(struct winipc__object *obj, DWORD access, LONG count,
                                LONG *previous)
{
    struct winipc__wait_state *ws =
        &((struct winipc__semaphore_state *)winipc__object_state(obj))->ws;
    uint32_t w = atomic_load(&ws->word), max = maximum(obj);

    if (!(access & SEMAPHORE_MODIFY_STATE))
        return ERROR_ACCESS_DENIED;
    if (count <= 0) /* "must be greater than zero" (Microsoft's ReleaseSemaphore page) */
        return ERROR_INVALID_PARAMETER;
    do {
        if ((uint32_t)count > max - (w & SEM_COUNT_MASK))
            return ERROR_TOO_MANY_POSTS;
    } while (!atomic_compare_exchange_weak(&ws->word, &w, w + (uint32_t)count));
    *previous = (LONG)(w & SEM_COUNT_MASK);
    winipc__wake_sleepers(ws, true);
    return 0;
}

static DWORD sem_signal(struct winipc__object *obj, DWORD access)
{
    LONG previous;

    return winipc__semaphore_release(obj, access, 1, &previous);
}

static struct winipc__wait_state *sem_wait_state(struct winipc__object *obj)
{
    return &((struct winipc__semaphore_state *)winipc__object_state(obj))->ws;
}

static int sem_init(void *state, const void *arg)
{
    const struct winipc__semaphore_params *p = arg;
    struct winipc__semaphore_state *s = state;

    s->maximum = p->maximum;
    return winipc__wait_state_init(&s->ws, (uint32_t)p->initial);
}

static DWORD sem_attach(struct winipc__object *obj, bool created, const void *arg)
{
    int32_t max = ((struct winipc__semaphore_state *)winipc__object_state(obj))->maximum;

    (void)created, (void)arg;
    if (max <= 0 || (uint32_t)max > SEM_COUNT_MASK)
        return ERROR_INVALID_HANDLE; /* not a page we made */
    WINIPC__CONTAINER(obj, struct semaphore, obj)->maximum = (uint32_t)max;
    return 0;
}

static const struct winipc__wait_ops sem_wait_ops = {
    .shared = true,
    .guard_bit = true,
    .state = sem_wait_state,
    .try_acquire = sem_try_acquire,
    .ready = sem_ready,
    .undo = sem_undo,
    .commit = sem_commit,
    .signal = sem_signal,
};

const struct winipc__ops winipc__semaphore_ops = {
    .shared = true,
    .kind = WINIPC__SEMAPHORE,
    .name = "Semaphore",
    .size = sizeof(struct semaphore),
    .all_access = SEMAPHORE_ALL_ACCESS,
    .generic = {STANDARD_RIGHTS_READ | SEMAPHORE_QUERY_STATE,
                STANDARD_RIGHTS_WRITE | SEMAPHORE_MODIFY_STATE,
                STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE, SEMAPHORE_ALL_ACCESS},
    .init = sem_init,
    .attach = sem_attach,
    .wait = &sem_wait_ops,
};
