/*
 * portable/portable.h - private interfaces of winipc's portable backend, on top of
 * posix/internal.h (whose handle table, names, kinds interface and shared files it
 * builds unchanged).
 *
 * The portable backend uses only what macOS and FreeBSD offer as well as Linux:
 * files in a namespace directory with flock (object lifetime), named POSIX
 * semaphores (sleeping and waking), C11 atomics in shared memory, pthreads. Its files:
 *   object.c     the lifetime protocol on flock, the registry, process exit, the sweep
 *   identity.c   the process record (liveness by flock), thread tokens, wake
 *                semaphores and posting them
 *   semwait.c    a semaphore wait with a CLOCK_MONOTONIC deadline, whatever the system
 *   wait.c       the wait engine: sleepers registered in the objects' shared state
 *   mutex.c, event.c, semaphore.c, timer.c, thread.c   the kinds
 *   platform.c   posix/platform.h without Linux
 *   unsupported.c  what this backend does not provide (processes)
 * DESIGN.md section 4 and the top comments of object.c and wait.c tell why.
 */
#ifndef WINIPC_PORTABLE_H
#define WINIPC_PORTABLE_H

#include "internal.h"
#include "pshared.h"

#include <semaphore.h>

_Static_assert(sizeof(struct winipc__pmutex_state) <= WINIPC__STATE_SIZE, "state fits");
_Static_assert(sizeof(struct winipc__pevent_state) <= WINIPC__STATE_SIZE, "state fits");
_Static_assert(sizeof(struct winipc__psemaphore_state) <= WINIPC__STATE_SIZE, "state fits");
_Static_assert(sizeof(struct winipc__ptimer_state) <= WINIPC__STATE_SIZE, "state fits");

/*
 * Where the backend keeps its files (CMake: WINIPC_PORTABLE_DIR, /dev/shm where it
 * exists, else /tmp): the per-user namespace directory winipc.pu<uid>, the Global\
 * objects winipc.pg.<name> and the process records winipc.pp.<nonce>. Distinct from
 * the Linux backend's names, so that the two never touch each other's objects.
 */
#ifndef WINIPC_PORTABLE_DIR
#define WINIPC_PORTABLE_DIR "/tmp"
#endif
#define WINIPC__P_USER_DIR "winipc.pu"
#define WINIPC__P_GLOBAL_PREFIX "winipc.pg."
#define WINIPC__P_RECORD_PREFIX "winipc.pp."
/* Files being made (object.c) carry this after their namespace's prefix: '%' followed by
   a letter that is no hex digit, which an escaped name (names.c) never contains. */
#define WINIPC__P_TEMP_MARK "%t"

/* ---- identity.c ------------------------------------------------------------------- */

/* The calling thread's token, made at first use (with the process record); 0 with the
   Win32 error set if it cannot be made. */
uint64_t winipc__self_token(void);
/* The same, or 0 if the thread has none yet (it then owns nothing). */
uint64_t winipc__self_token_if_any(void);
/* The calling thread's wake semaphore, made at first use; NULL with the error set. */
sem_t *winipc__self_sem(void);
/* Whether the thread of `token` belongs to this process. */
bool winipc__token_is_local(uint64_t token);
/* Whether the process of `token` is gone (its record unheld or missing). A few
   syscalls; a process of ours, or one we cannot tell about, is not gone. */
bool winipc__token_dead(uint64_t token);
/* Wakes the sleeper `token` registered in pw->slot[i]; a sleeper whose process is
   gone is removed from the slot instead. */
void winipc__post_sleeper(struct winipc__pwait *pw, unsigned i, uint64_t token);
/* Removes the records and wake semaphores of this user's dead processes; how many. */
DWORD winipc__sweep_records(void);
/* The base directory (WINIPC_PORTABLE_DIR), opened once; -1 with errno. */
int winipc__base_dir(void);
/* Mutexes owned by threads of this process, counted by mutex.c: at exit the process
   keeps its record while any are (it must look alive until it is gone). */
extern atomic_uint winipc__owned_mutexes;

/* ---- semwait.c --------------------------------------------------------------------- */

/* sem_wait until CLOCK_MONOTONIC `deadline` (NULL: none): 0, or -1 with errno
   ETIMEDOUT. May return 0 early (the caller re-checks). */
int winipc__sem_wait_until(sem_t *s, const struct timespec *deadline);
/* Which implementation runs: "sem_clockwait", "sem_timedwait" or "timer thread". */
const char *winipc__sem_wait_kind(void);

/* ---- wait.c ------------------------------------------------------------------------ */

void winipc__pwait_init(struct winipc__pwait *pw, uint32_t word);
/* After a change of pw->word that may let a sleeper proceed: wakes every sleeper. */
void winipc__pwait_wake(struct winipc__pwait *pw);
static inline bool winipc__pwait_has_sleepers(struct winipc__pwait *pw)
{
    return atomic_load(&pw->sleepers) != 0;
}
/*
 * The wait-all guard of a shared object, for a kind that changes its state under it
 * (timer.c): lock by `deadline` (NULL: none), try once; both take over a guard whose
 * holder's process is gone (running the kind's recover) and clear a stale guard bit.
 * 0, ETIMEDOUT or EBUSY, ENOMEM (the error is set), or EINVAL (a broken guard).
 */
int winipc__pguard_lock(struct winipc__object *obj, const struct timespec *deadline);
int winipc__pguard_trylock(struct winipc__object *obj);
/* False if the guard turned out not to be ours (its page was written by someone). */
bool winipc__pguard_unlock(struct winipc__object *obj);
/* The monotonic time now plus `ms`. */
void winipc__clock_after(struct timespec *t, long ms);

/* ---- kinds ------------------------------------------------------------------------- */

/* The wait block of a waitable object of ours, or NULL (a kind that never sleeps). */
struct winipc__pwait *winipc__thread_pwait(struct winipc__object *obj);
/* Whether users other than the owner may open the object behind fd (a NULL-DACL
   object): their signals cannot post our private wake semaphores (wait.c). */
bool winipc__fd_open_to_others(int fd);
/* How often a sleeper looks at what nobody can wake it for: an owner that died
   (mutex.c), a signal by another user (wait.c). */
#define WINIPC__OWNER_POLL_MS 50
#define WINIPC__OTHERS_POLL_MS 20

#endif /* WINIPC_PORTABLE_H */
