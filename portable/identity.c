/*
 * identity.c - who this process and its threads are to other processes, whether a
 * process still lives, and how a sleeping thread is woken: the portable backend's
 * stand-in for what futexes and robust mutexes give the Linux backend.
 *
 * THE PROCESS RECORD
 *
 * A process that first needs an identity (to own a mutex, to sleep, to hold a wait-all
 * guard) draws 48 random bits, its nonce, and creates the record file
 * <WINIPC_PORTABLE_DIR>/winipc.pp.<nonce in hex> (O_EXCL: a nonce is never shared),
 * on which it keeps an exclusive flock for the rest of its life. The kernel drops that
 * lock when the process dies, however it dies, so anyone can tell a dead process from
 * a live one: open the record and try a shared lock. It succeeds, or the record is
 * gone, only when the process is (winipc__token_dead). Records are readable by every
 * user (0644), so that the owner of a Global\ mutex can be checked by any user who
 * shares it; nothing in them is secret.
 * A fork child closes its copy of the descriptor (its parent keeps the lock) and makes
 * a record of its own when it needs one.
 *
 * THREADS AND THEIR WAKE SEMAPHORES
 *
 * A thread's token is nonce << 16 | index, the index unique among the live threads of
 * the process (reused after a thread exits: nothing shared names an exited thread, as
 * it gave up its mutexes and left every wait). A thread that must sleep gets a named
 * semaphore, "/winipc.w.<nonce>.<index>" (27 characters: macOS allows 31), created
 * 0600 and kept for the next thread with that index. Sleepers register their token in
 * the objects they wait on (wait.c); a signaller posts the semaphore of each
 * registered token (winipc__post_sleeper): its own process's directly, another's by
 * name, opened once and cached. Another user cannot open a 0600 semaphore: a sleeper
 * on an object that other users may signal polls (wait.c).
 *
 * NO LEAK, ALSO AFTER SIGKILL
 *
 * Named semaphores outlive their process, so every one is accounted for before it
 * exists: the record's size is the number of indexes whose semaphore may exist, raised
 * before the semaphore is created. A process that exits removes its semaphores and its
 * record (winipc__owned_mutexes: not while a mutex it owns must still look owned by a
 * live process); one that dies leaves its record unlocked, and the next winipc process
 * of the user removes both when it starts (winipc__sweep_records), as object.c does
 * for objects. Only the record's owner can remove it (uid check; the directory is
 * sticky).
 * Differs from the Linux backend (not from Windows): glibc's sem_open makes a new named
 * semaphore as a temporary file, /dev/shm/sem.XXXXXX, that it then links into place, so
 * a process SIGKILLed inside that call leaves the temporary file behind (0 or 32 bytes;
 * 1 to 3 per thousand kills of the chaos test's workers, which make their semaphores
 * while they are being killed). Its name is glibc's random one, which no sweep can tell from
 * another program's; macOS's sem_open is a system call and leaves no file.
 */
#include "portable.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_INDEX WINIPC__TOKEN_INDEX_MASK
#define CHUNK 256           /* indexes per chunk of the table */
#define PEERS 64            /* other processes' semaphores kept open */
#define PEER_RECHECK_MS 100 /* a cached peer's liveness is checked again after this */
#define RECORD_NAME_MAX 64
#define SEM_NAME_MAX 32

atomic_uint winipc__owned_mutexes;

/* ---- The base directory ------------------------------------------------------------- */

static int base_fd = -1;

int winipc__base_dir(void)
{
    int fd = __atomic_load_n(&base_fd, __ATOMIC_ACQUIRE), none = -1;

    if (fd >= 0)
        return fd;
    fd = open(WINIPC_PORTABLE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0 && !__atomic_compare_exchange_n(&base_fd, &none, fd, false, __ATOMIC_ACQ_REL,
                                                __ATOMIC_ACQUIRE)) {
        close(fd);
        fd = none;
    }
    return fd;
}

static void record_name(char out[RECORD_NAME_MAX], uint64_t nonce)
{
    snprintf(out, RECORD_NAME_MAX, "%s%012" PRIx64, WINIPC__P_RECORD_PREFIX, nonce);
}

static void sem_name(char out[SEM_NAME_MAX], uint64_t nonce, unsigned index)
{
    snprintf(out, SEM_NAME_MAX, "/winipc.w.%012" PRIx64 ".%x", nonce, index);
}

/* ---- This process ---------------------------------------------------------------------- */

struct slot {
    sem_t *_Atomic sem; /* the index's wake semaphore, once made */
    atomic_bool used;   /* a live thread has the index */
};

static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t nonce;       /* 0: no record yet (id_lock; read freely once set) */
static int record_fd = -1;   /* holds the exclusive flock */
static unsigned record_size; /* indexes whose semaphore may exist */
static bool exited;          /* the exit cleanup ran: no new record */
static struct slot *_Atomic chunks[(MAX_INDEX + 1) / CHUNK];
static unsigned next_index = 1;    /* indexes below it have a slot (id_lock) */
static atomic_uint generation = 1; /* a fork child's threads hold no token of theirs */

struct me {
    uint64_t token;
    sem_t *sem;
    unsigned generation;
};
static WINIPC__TLS struct me me;
static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;

static struct slot *slot_of(unsigned index)
{
    struct slot *c = atomic_load_explicit(&chunks[index / CHUNK], memory_order_acquire);

    return c ? &c[index % CHUNK] : NULL;
}

/* 48 random bits, never 0. */
static uint64_t random48(void)
{
    uint64_t v = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    struct timespec ts;

    if (fd >= 0) {
        if (read(fd, &v, sizeof v) != (ssize_t)sizeof v)
            v = 0;
        close(fd);
    }
    clock_gettime(CLOCK_REALTIME, &ts); /* mixed in: never all zero, never repeated */
    v ^= ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 32) ^
         (uint64_t)(uintptr_t)&v;
    v &= (UINT64_C(1) << 48) - 1;
    return v ? v : 1;
}

/* Creates and locks this process's record. Under id_lock. */
static bool make_record(void)
{
    int dir = winipc__base_dir();

    if (dir < 0 || exited)
        return false;
    for (int attempt = 0; attempt < 16; attempt++) {
        uint64_t n = random48();
        char name[RECORD_NAME_MAX];
        struct stat st;
        int fd;

        record_name(name, n);
        fd = openat(dir, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd == -1 && errno == EMFILE && winipc__more_files())
            fd = openat(dir, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd == -1) {
            if (errno == EEXIST)
                continue;
            return false;
        }
        /* A sweep may remove the file between its creation and our lock: then its link
           count is 0 once we hold the lock, and we start again. */
        if (flock(fd, LOCK_EX | LOCK_NB) != 0 || fstat(fd, &st) != 0 || st.st_nlink == 0) {
            close(fd);
            continue;
        }
        fchmod(fd, 0644); /* whatever the umask: liveness checks need to open it */
        record_fd = fd;
        record_size = 0;
        __atomic_store_n(&nonce, n, __ATOMIC_RELEASE);
        return true;
    }
    return false;
}

static void thread_exit(void *p)
{
    unsigned index;
    struct slot *s;

    (void)p;
    winipc__mutex_abandon_owned(); /* before the index can name another thread */
    if (me.token && me.generation == atomic_load(&generation)) {
        index = (unsigned)(me.token & WINIPC__TOKEN_INDEX_MASK);
        s = slot_of(index);
        if (s)
            atomic_store(&s->used, false);
    }
    me = (struct me){0};
}

static void after_fork_child(void)
{
    /* The parent keeps its record and semaphores: the child only forgets them (closing
       the descriptor does not drop the parent's lock; unlocking would). */
    if (record_fd >= 0)
        close(record_fd);
    record_fd = -1;
    record_size = 0;
    nonce = 0;
    /* The parent's slots: the child's only thread reads them no more (its token's
       generation is old). Their semaphores stay mapped, closed by nobody: sem_close
       of the parent's would be harmless, but is not safe after fork on every system. */
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        free(atomic_load(&chunks[i]));
        atomic_store(&chunks[i], NULL);
    }
    next_index = 1;
    atomic_fetch_add(&generation, 1);
    pthread_mutex_init(&id_lock, NULL);
}

static void id_prepare(void)
{
    pthread_mutex_lock(&id_lock);
}

static void id_resume(void)
{
    pthread_mutex_unlock(&id_lock);
}

static void exit_init(void)
{
    pthread_key_create(&exit_key, thread_exit);
}

static void __attribute__((constructor)) identity_init(void)
{
    pthread_atfork(id_prepare, id_resume, after_fork_child);
}

uint64_t winipc__self_token_if_any(void)
{
    return me.token && me.generation == atomic_load_explicit(&generation, memory_order_relaxed)
               ? me.token
               : 0;
}

uint64_t winipc__self_token(void)
{
    uint64_t t = winipc__self_token_if_any();
    unsigned index = 0;
    struct slot *s;

    if (t)
        return t;
    pthread_once(&exit_once, exit_init);
    pthread_mutex_lock(&id_lock);
    if (!nonce && !make_record()) {
        pthread_mutex_unlock(&id_lock);
        return winipc__fail(0, ERROR_NO_SYSTEM_RESOURCES);
    }
    for (unsigned i = 1; i < next_index; i++) { /* a free index, one with a semaphore first */
        s = slot_of(i);
        if (atomic_load(&s->used))
            continue;
        if (atomic_load(&s->sem)) {
            index = i;
            break;
        }
        if (!index)
            index = i;
    }
    if (!index && next_index <= MAX_INDEX) {
        if (!slot_of(next_index)) {
            struct slot *c = calloc(CHUNK, sizeof *c);

            if (!c) {
                pthread_mutex_unlock(&id_lock);
                return winipc__fail(0, ERROR_NOT_ENOUGH_MEMORY);
            }
            atomic_store_explicit(&chunks[next_index / CHUNK], c, memory_order_release);
        }
        index = next_index++;
    }
    if (!index) {
        pthread_mutex_unlock(&id_lock);
        return winipc__fail(0, ERROR_NO_SYSTEM_RESOURCES); /* 65535 threads */
    }
    s = slot_of(index);
    atomic_store(&s->used, true);
    me.token = nonce << WINIPC__TOKEN_INDEX_BITS | index;
    me.sem = atomic_load(&s->sem);
    me.generation = atomic_load(&generation);
    pthread_mutex_unlock(&id_lock);
    pthread_setspecific(exit_key, (void *)1); /* arms thread_exit */
    return me.token;
}

sem_t *winipc__self_sem(void)
{
    uint64_t t = winipc__self_token();
    unsigned index = (unsigned)(t & WINIPC__TOKEN_INDEX_MASK);
    char name[SEM_NAME_MAX];
    struct slot *s;
    sem_t *sem;

    if (!t)
        return NULL;
    if (me.sem)
        return me.sem;
    s = slot_of(index);
    pthread_mutex_lock(&id_lock);
    sem = atomic_load(&s->sem);
    if (!sem) {
        /* The record first: a semaphore that exists is always one the sweep knows. */
        if (index >= record_size) {
            if (ftruncate(record_fd, (off_t)index + 1) == 0)
                record_size = index + 1;
        }
        sem_name(name, nonce, index);
        sem = index < record_size ? sem_open(name, O_CREAT | O_EXCL, 0600, 0) : SEM_FAILED;
        if (sem == SEM_FAILED && index < record_size && errno == EEXIST) {
            sem_unlink(name); /* one of ours that outlived its use: cannot be anyone's */
            sem = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
        }
        if (sem == SEM_FAILED) {
            pthread_mutex_unlock(&id_lock);
            return winipc__fail(NULL, ERROR_NO_SYSTEM_RESOURCES);
        }
        atomic_store(&s->sem, sem);
    }
    pthread_mutex_unlock(&id_lock);
    me.sem = sem;
    return sem;
}

bool winipc__token_is_local(uint64_t token)
{
    uint64_t n = __atomic_load_n(&nonce, __ATOMIC_ACQUIRE);

    return n && token >> WINIPC__TOKEN_INDEX_BITS == n;
}

bool winipc__token_dead(uint64_t token)
{
    uint64_t n = token >> WINIPC__TOKEN_INDEX_BITS;
    char name[RECORD_NAME_MAX];
    struct stat st;
    int dir, fd;
    bool dead;

    if (!n || !(token & WINIPC__TOKEN_INDEX_MASK))
        return true; /* no thread has such a token: garbage */
    if (winipc__token_is_local(token))
        return false;
    dir = winipc__base_dir();
    if (dir < 0)
        return false;
    record_name(name, n);
    fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd == -1)
        return errno == ENOENT;
    dead = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && flock(fd, LOCK_SH | LOCK_NB) == 0;
    close(fd); /* and with it our shared lock */
    return dead;
}

/* ---- Waking sleepers ------------------------------------------------------------------ */

/* Another process's semaphores, opened by name, with when its liveness was checked. */
struct peer {
    uint64_t token;
    sem_t *sem;
    struct timespec checked;
};

static struct peer peers[PEERS];
static unsigned peers_next;
static pthread_mutex_t peers_lock = PTHREAD_MUTEX_INITIALIZER;

static bool older_than(const struct timespec *t, const struct timespec *now, long ms)
{
    int64_t d = (int64_t)(now->tv_sec - t->tv_sec) * 1000 + (now->tv_nsec - t->tv_nsec) / 1000000;

    return d >= ms || d < 0;
}

/* Empties pw's slot i if it still holds token (a sleeper that is gone). */
static void reclaim(struct winipc__pwait *pw, unsigned i, uint64_t token)
{
    uint64_t expected = token;

    if (atomic_compare_exchange_strong(&pw->slot[i], &expected, 0))
        atomic_fetch_sub(&pw->sleepers, 1);
}

/* Posts a sleeper of another process; false if it is gone. Under peers_lock. */
static bool post_remote(uint64_t token)
{
    char name[SEM_NAME_MAX];
    struct timespec now;
    struct peer *p = NULL;
    sem_t *sem;

    clock_gettime(CLOCK_MONOTONIC, &now);
    for (unsigned i = 0; i < PEERS; i++)
        if (peers[i].token == token)
            p = &peers[i];
    if (p && !older_than(&p->checked, &now, PEER_RECHECK_MS)) {
        sem_post(p->sem);
        return true;
    }
    if (winipc__token_dead(token)) {
        if (p) {
            sem_close(p->sem);
            *p = (struct peer){0};
        }
        return false;
    }
    if (p) {
        p->checked = now;
        sem_post(p->sem);
        return true;
    }
    sem_name(name, token >> WINIPC__TOKEN_INDEX_BITS, (unsigned)(token & WINIPC__TOKEN_INDEX_MASK));
    sem = sem_open(name, 0);
    if (sem == SEM_FAILED) /* EACCES: another user's, who polls; ENOENT: gone */
        return errno != ENOENT;
    p = &peers[peers_next++ % PEERS];
    if (p->token)
        sem_close(p->sem);
    *p = (struct peer){token, sem, now};
    sem_post(sem);
    return true;
}

void winipc__post_sleeper(struct winipc__pwait *pw, unsigned i, uint64_t token)
{
    bool alive;

    if (winipc__token_is_local(token)) {
        struct slot *s = slot_of((unsigned)(token & WINIPC__TOKEN_INDEX_MASK));
        sem_t *sem = s ? atomic_load(&s->sem) : NULL;

        if (sem && atomic_load(&s->used))
            sem_post(sem);
        else
            reclaim(pw, i, token); /* not a live thread of ours: garbage */
        return;
    }
    pthread_mutex_lock(&peers_lock);
    alive = post_remote(token);
    pthread_mutex_unlock(&peers_lock);
    if (!alive)
        reclaim(pw, i, token);
}

static void peers_prepare(void)
{
    pthread_mutex_lock(&peers_lock);
}

static void peers_resume(void)
{
    pthread_mutex_unlock(&peers_lock);
}

static void __attribute__((constructor)) peers_init(void)
{
    pthread_atfork(peers_prepare, peers_resume, peers_resume);
}

/* ---- Cleaning up ---------------------------------------------------------------------- */

/* Removes the semaphores 1..size-1 of nonce n. */
static void unlink_semaphores(uint64_t n, unsigned size)
{
    char name[SEM_NAME_MAX];

    for (unsigned i = 1; i < size; i++) {
        sem_name(name, n, i);
        sem_unlink(name);
    }
}

DWORD winipc__sweep_records(void)
{
    size_t plen = strlen(WINIPC__P_RECORD_PREFIX);
    int dir = winipc__base_dir(), fd;
    struct dirent *de;
    DWORD removed = 0;
    DIR *d;

    if (dir < 0)
        return 0;
    fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd == -1 || !(d = fdopendir(fd))) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    while ((de = readdir(d)) != NULL) {
        uint64_t n;
        char *end;
        struct stat st;
        int rfd;

        if (strncmp(de->d_name, WINIPC__P_RECORD_PREFIX, plen) != 0)
            continue;
        n = strtoull(de->d_name + plen, &end, 16);
        if (*end || !n || n >> 48 || n == __atomic_load_n(&nonce, __ATOMIC_ACQUIRE))
            continue;
        rfd = openat(dir, de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (rfd == -1)
            continue;
        /* Its process is gone if we get the lock it held; only its user may remove it. */
        if (fstat(rfd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == winipc__euid() &&
            st.st_nlink > 0 && flock(rfd, LOCK_EX | LOCK_NB) == 0) {
            unlink_semaphores(n, st.st_size > MAX_INDEX ? MAX_INDEX + 1 : (unsigned)st.st_size);
            removed += unlinkat(dir, de->d_name, 0) == 0;
        }
        close(rfd);
    }
    closedir(d);
    return removed;
}

/*
 * Process exit: the semaphores and the record go, unless a thread of ours still owns
 * a mutex. Its owner must look alive until the process is really gone (threads still
 * run during exit), so then the record stays locked until the kernel drops the lock,
 * and the next process's sweep removes it all.
 */
static void __attribute__((destructor)) identity_exit(void)
{
    int dir = winipc__base_dir();
    char name[RECORD_NAME_MAX];

    pthread_mutex_lock(&id_lock);
    if (record_fd >= 0 && atomic_load(&winipc__owned_mutexes) == 0 && dir >= 0) {
        unlink_semaphores(nonce, record_size);
        record_name(name, nonce);
        unlinkat(dir, name, 0);
        exited = true;
    }
    pthread_mutex_unlock(&id_lock);
}
