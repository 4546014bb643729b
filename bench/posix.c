/*
 * posix.c - the raw Linux baselines: what a program written for POSIX would use for
 * each workload of win32.c, doing the same work.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <mqueue.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* A shared segment made by name so that the spawned helper can map it too. */
static void *shm_map(const char *name, size_t size, bool create)
{
    int fd = shm_open(name, O_RDWR | (create ? O_CREAT | O_EXCL : 0), 0600);
    void *p;

    if (fd == -1 || (create && ftruncate(fd, (off_t)size) == -1))
        fail("shm %s: %s", name, strerror(errno));
    p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        fail("mmap %s: %s", name, strerror(errno));
    return p;
}

static char *slash(const char *name)
{
    static char buf[4][128];
    static int n;
    char *b = buf[n++ % 4];

    snprintf(b, sizeof buf[0], "/%s", name);
    return b;
}

static void futex_wait(_Atomic uint32_t *w, uint32_t v)
{
    syscall(SYS_futex, w, FUTEX_WAIT, v, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *w)
{
    syscall(SYS_futex, w, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* ---- Shared layout of the two-process baselines ------------------------------------ */

struct shared {
    _Atomic uint32_t ready; /* the helper is set up */
    _Atomic uint32_t turn;  /* futex ping-pong: 1 = ping, 2 = pong */
    sem_t ping, pong;       /* sem_t ping-pong */
    pthread_mutex_t mutex;  /* robust pshared mutex */
    /* The data lives apart from the lock, as the Win32 workload's counter lives in a
       mapping apart from the mutex object: both move the same cache lines. */
    _Alignas(64) long counter;
    sem_t empty, full; /* ring */
    unsigned char slots[];
};

static void wait_ready(struct shared *s)
{
    uint32_t v;

    while ((v = atomic_load(&s->ready)) == 0)
        futex_wait(&s->ready, v);
}

static void set_ready(struct shared *s)
{
    atomic_store(&s->ready, 1);
    futex_wake(&s->ready);
}

enum mech {
    FUTEX,
    SEM_T,
    SEM_OPEN,
    PIPE,
    EVENTFD,
    PTHREAD_MUTEX,
    SEM_BINARY,
    MQUEUE,
    PLAIN_MUTEX, /* process-shared, not robust */
    POLL,
    EPOLL,
};

struct run {
    enum mech mech;
    const char *name; /* shm / semaphore / queue base name */
    struct shared *s;
    int fds[4]; /* pipes / eventfds, inherited by the helper */
    sem_t *named[2];
    size_t item, slots, items;
};

static void start(struct run *r, size_t shared_size)
{
    r->name = bench_name("px");
    r->s = shm_map(slash(r->name), shared_size, true);
    atomic_init(&r->s->ready, 0);
}

static void finish(struct run *r, size_t shared_size)
{
    munmap(r->s, shared_size);
    shm_unlink(slash(r->name));
}

/* ---- 1. Ping-pong ---------------------------------------------------------------------- */

/* One signal to the other side (`to_pong`: from the pinger) through r's mechanism. */
static void post(struct run *r, bool to_pong)
{
    char c = 0;
    uint64_t one = 1;

    switch (r->mech) {
    case SEM_T:
        sem_post(to_pong ? &r->s->ping : &r->s->pong);
        break;
    case SEM_OPEN:
        sem_post(r->named[to_pong ? 0 : 1]);
        break;
    case PIPE: /* fds: [0] ping read, [1] ping write, [2] pong read, [3] pong write */
        if (write(r->fds[to_pong ? 1 : 3], &c, 1) != 1)
            fail("pipe write");
        break;
    case EVENTFD: /* fds: [0] ping, [1] pong */
        if (write(r->fds[to_pong ? 0 : 1], &one, 8) != 8)
            fail("eventfd write");
        break;
    default:
        fail("not a ping-pong mechanism");
    }
}

/* Waits for one signal from the other side (`at_pong`: the pong side waits). */
static void await(struct run *r, bool at_pong)
{
    char c;
    uint64_t got;

    switch (r->mech) {
    case SEM_T:
        while (sem_wait(at_pong ? &r->s->ping : &r->s->pong) == -1 && errno == EINTR)
            ;
        break;
    case SEM_OPEN:
        while (sem_wait(r->named[at_pong ? 0 : 1]) == -1 && errno == EINTR)
            ;
        break;
    case PIPE:
        if (read(r->fds[at_pong ? 0 : 2], &c, 1) != 1)
            fail("pipe read");
        break;
    case EVENTFD:
        if (read(r->fds[at_pong ? 0 : 1], &got, 8) != 8)
            fail("eventfd read");
        break;
    default:
        fail("not a ping-pong mechanism");
    }
}

static void ping_side(struct run *r, bool pinger)
{
    struct shared *s = r->s;

    for (int i = 0; i < PINGPONG_TRIPS; i++) {
        switch (r->mech) {
        case FUTEX:
            if (pinger) {
                atomic_store(&s->turn, 1);
                futex_wake(&s->turn);
                while (atomic_load(&s->turn) != 2)
                    futex_wait(&s->turn, 1);
            } else {
                uint32_t v;

                while ((v = atomic_load(&s->turn)) != 1)
                    futex_wait(&s->turn, v); /* sleep only on the value just checked */
                atomic_store(&s->turn, 2);
                futex_wake(&s->turn);
            }
            break;
        default:
            if (pinger) { /* a round trip: ping, then wait for the answer */
                post(r, true);
                await(r, false);
            } else {
                await(r, true);
                post(r, false);
            }
        }
    }
}

static void open_mechanism(struct run *r, bool creator)
{
    char name[128];

    if (r->mech == SEM_T && creator) {
        sem_init(&r->s->ping, 1, 0);
        sem_init(&r->s->pong, 1, 0);
    } else if (r->mech == SEM_OPEN || r->mech == SEM_BINARY) {
        for (int i = 0; i < 2; i++) {
            snprintf(name, sizeof name, "/%s-%d", r->name, i);
            r->named[i] = sem_open(name, creator ? O_CREAT : 0, 0600,
                                   r->mech == SEM_BINARY && i == 0 ? 1 : 0);
            if (r->named[i] == SEM_FAILED)
                fail("sem_open: %s", strerror(errno));
        }
    } else if (r->mech == PIPE && creator) {
        if (pipe(r->fds) || pipe(r->fds + 2))
            fail("pipe");
    } else if (r->mech == EVENTFD && creator) {
        r->fds[0] = eventfd(0, 0);
        r->fds[1] = eventfd(0, 0);
    } else if ((r->mech == PTHREAD_MUTEX || r->mech == PLAIN_MUTEX) && creator) {
        pthread_mutexattr_t a;

        pthread_mutexattr_init(&a);
        pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
        if (r->mech == PTHREAD_MUTEX)
            pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
        pthread_mutex_init(&r->s->mutex, &a);
    }
}

static void close_mechanism(struct run *r)
{
    char name[128];

    if (r->mech == SEM_OPEN || r->mech == SEM_BINARY) {
        for (int i = 0; i < 2; i++) {
            snprintf(name, sizeof name, "/%s-%d", r->name, i);
            sem_close(r->named[i]);
            sem_unlink(name);
        }
    } else if (r->mech == PIPE) {
        for (int i = 0; i < 4; i++)
            close(r->fds[i]);
    } else if (r->mech == EVENTFD) {
        close(r->fds[0]);
        close(r->fds[1]);
    }
}

/* The helper's arguments: mechanism, names, fds, sizes. */
static struct proc *spawn_helper(struct run *r, const char *role)
{
    char mech[16], fds[64];

    snprintf(mech, sizeof mech, "%d", (int)r->mech);
    snprintf(fds, sizeof fds, "%d,%d,%d,%d,%zu,%zu,%zu", r->fds[0], r->fds[1], r->fds[2], r->fds[3],
             r->item, r->slots, r->items);
    return spawn_self(role, mech, r->name, fds);
}

static double pingpong(void *arg)
{
    struct run r = {.mech = *(const enum mech *)arg};
    struct proc *p;
    double t0, t;

    start(&r, sizeof(struct shared));
    open_mechanism(&r, true);
    p = spawn_helper(&r, "px-pong");
    wait_ready(r.s);
    t0 = now_ns();
    ping_side(&r, true);
    t = now_ns() - t0;
    wait_proc(p);
    close_mechanism(&r);
    finish(&r, sizeof(struct shared));
    return t / PINGPONG_TRIPS;
}

/* ---- 2. Mutex handoff -------------------------------------------------------------------- */

static void lock_side(struct run *r)
{
    for (int i = 0; i < HANDOFF_LOCKS; i++) {
        if (r->mech == PTHREAD_MUTEX || r->mech == PLAIN_MUTEX) {
            pthread_mutex_lock(&r->s->mutex);
            r->s->counter++;
            pthread_mutex_unlock(&r->s->mutex);
        } else {
            while (sem_wait(r->named[0]) == -1 && errno == EINTR)
                ;
            r->s->counter++;
            sem_post(r->named[0]);
        }
    }
}

static double handoff(void *arg)
{
    struct run r = {.mech = *(const enum mech *)arg};
    struct proc *p;
    double t0, t;

    start(&r, sizeof(struct shared));
    open_mechanism(&r, true);
    p = spawn_helper(&r, "px-lock");
    wait_ready(r.s);
    t0 = now_ns();
    atomic_store(&r.s->turn, 1); /* go */
    futex_wake(&r.s->turn);
    lock_side(&r);
    while (atomic_load(&r.s->ready) != 2)
        futex_wait(&r.s->ready, 1);
    t = now_ns() - t0;
    wait_proc(p);
    if (r.s->counter != 2 * HANDOFF_LOCKS)
        fail("baseline handoff counted %ld", r.s->counter);
    close_mechanism(&r);
    finish(&r, sizeof(struct shared));
    return t / (2.0 * HANDOFF_LOCKS);
}

/* ---- 3. Uncontended ------------------------------------------------------------------------ */

static double uncontended_pthread(void *arg)
{
    pthread_mutex_t m;
    pthread_mutexattr_t a;
    double t0;

    (void)arg;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&m, &a);
    t0 = now_ns();
    for (int i = 0; i < UNCONTENDED_OPS; i++) {
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
    }
    return (now_ns() - t0) / UNCONTENDED_OPS;
}

static double uncontended_sem(void *arg)
{
    sem_t s;
    double t0;

    (void)arg;
    sem_init(&s, 1, 0);
    t0 = now_ns();
    for (int i = 0; i < UNCONTENDED_OPS; i++) {
        sem_post(&s);
        sem_wait(&s);
    }
    t0 = (now_ns() - t0) / UNCONTENDED_OPS;
    sem_destroy(&s);
    return t0;
}

/* ---- 4. Bounded buffer ---------------------------------------------------------------------- */

static void mq_name(const struct run *r, char *out, size_t n)
{
    snprintf(out, n, "/%s-mq", r->name);
}

static int produce(struct run *r)
{
    unsigned char *buf = calloc(1, r->item);
    mqd_t q = (mqd_t)-1;
    char name[128];

    if (r->mech == MQUEUE) {
        mq_name(r, name, sizeof name);
        q = mq_open(name, O_WRONLY);
        if (q == (mqd_t)-1)
            return 10;
    }
    for (size_t i = 0; i < r->items; i++) {
        unsigned long long v = i;

        memcpy(buf, &v, sizeof v);
        if (r->mech == SEM_T) {
            while (sem_wait(&r->s->empty) == -1 && errno == EINTR)
                ;
            memcpy(r->s->slots + (i % r->slots) * r->item, buf, r->item);
            sem_post(&r->s->full);
        } else if (r->mech == PIPE) {
            for (size_t done = 0; done < r->item;) {
                ssize_t n = write(r->fds[1], buf + done, r->item - done);

                if (n <= 0)
                    return 11;
                done += (size_t)n;
            }
        } else if (mq_send(q, (const char *)buf, r->item, 0) == -1) {
            return 12;
        }
    }
    free(buf);
    return 0;
}

static double ring(void *arg)
{
    const struct run *spec = arg;
    struct run r = *spec;
    size_t size = sizeof(struct shared) + r.item * r.slots;
    unsigned char *buf = malloc(r.item);
    unsigned long long sum = 0;
    struct mq_attr attr = {.mq_maxmsg = 10, .mq_msgsize = (long)r.item};
    mqd_t q = (mqd_t)-1;
    char name[128];
    struct proc *p;
    double t0, t;

    start(&r, size);
    if (r.mech == SEM_T) {
        sem_init(&r.s->empty, 1, (unsigned)r.slots);
        sem_init(&r.s->full, 1, 0);
    } else if (r.mech == PIPE) {
        /* The ring's capacity, as the semaphores allow (64 x 64 B: one page, 16 x 64
           KiB: 1 MiB, pipe-max-size's default), not the default 64 KiB: a deeper
           buffer means fewer sleeps per item, which is not the workload. */
        if (pipe(r.fds) || fcntl(r.fds[1], F_SETPIPE_SZ, (int)(r.item * r.slots)) == -1)
            fail("pipe of %zu bytes: %s", r.item * r.slots, strerror(errno));
    } else {
        mq_name(&r, name, sizeof name);
        q = mq_open(name, O_RDONLY | O_CREAT | O_EXCL, 0600, &attr);
        if (q == (mqd_t)-1)
            fail("mq_open: %s", strerror(errno));
    }
    p = spawn_helper(&r, "px-produce");
    t0 = now_ns();
    for (size_t i = 0; i < r.items; i++) {
        unsigned long long v;

        if (r.mech == SEM_T) {
            while (sem_wait(&r.s->full) == -1 && errno == EINTR)
                ;
            memcpy(&v, r.s->slots + (i % r.slots) * r.item, sizeof v);
            sem_post(&r.s->empty);
        } else if (r.mech == PIPE) {
            for (size_t done = 0; done < r.item;) {
                ssize_t n = read(r.fds[0], buf + done, r.item - done);

                if (n <= 0)
                    fail("pipe ring read");
                done += (size_t)n;
            }
            memcpy(&v, buf, sizeof v);
        } else {
            if (mq_receive(q, (char *)buf, r.item, NULL) != (ssize_t)r.item)
                fail("mq_receive: %s", strerror(errno));
            memcpy(&v, buf, sizeof v);
        }
        sum += v;
    }
    t = now_ns() - t0;
    wait_proc(p);
    if (sum != RING_CHECKSUM(r.items))
        fail("baseline ring checksum %llu", sum);
    if (r.mech == PIPE) {
        close(r.fds[0]);
        close(r.fds[1]);
    } else if (r.mech == MQUEUE) {
        mq_close(q);
        mq_unlink(name);
    }
    free(buf);
    finish(&r, size);
    return r.item >= 4096 ? (double)(r.item * r.items) / (t / 1e9) / 1e6
                          : (double)r.items / (t / 1e9);
}

/* ---- 5. Lifecycle ---------------------------------------------------------------------------- */

static double lifecycle(void *arg)
{
    const char *name = slash(bench_name("plife"));
    double t0 = now_ns();

    (void)arg;
    for (int i = 0; i < LIFECYCLE_CYCLES; i++) {
        int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
        volatile char *v;

        if (fd == -1 || ftruncate(fd, LIFECYCLE_SIZE) == -1)
            fail("shm cycle");
        v = mmap(NULL, LIFECYCLE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (v == MAP_FAILED)
            fail("shm cycle mmap");
        for (int off = 0; off < LIFECYCLE_SIZE; off += 4096)
            v[off] = 1;
        munmap((void *)v, LIFECYCLE_SIZE);
        close(fd);
        shm_unlink(name);
    }
    return (now_ns() - t0) / LIFECYCLE_CYCLES / 1000.0;
}

static double open_close_sem(void *arg)
{
    const char *name = slash(bench_name("poc"));
    sem_t *keep = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
    double t0 = now_ns();

    (void)arg;
    for (int i = 0; i < OPEN_CLOSE_CYCLES; i++) {
        sem_t *s = sem_open(name, 0);

        if (s == SEM_FAILED)
            fail("sem_open existing");
        sem_close(s);
    }
    t0 = (now_ns() - t0) / OPEN_CLOSE_CYCLES / 1000.0;
    sem_close(keep);
    sem_unlink(name);
    return t0;
}

/* ---- 6. Bandwidth ------------------------------------------------------------------------------ */

static double bandwidth_malloc(void *arg)
{
    int touch = *(const int *)arg;
    const unsigned char *src = bandwidth_source();
    void *block;
    unsigned char *dst = page_aligned(BANDWIDTH_BYTES, &block);
    double t0 = 0, t = 0;

    for (int i = 1; i <= touch; i++) {
        t0 = now_ns();
        memcpy(dst, src, BANDWIDTH_BYTES);
        t = now_ns() - t0;
    }
    if (dst[BANDWIDTH_BYTES - 1] != src[BANDWIDTH_BYTES - 1])
        fail("bandwidth baseline: wrong data");
    free(block); /* glibc returns a block this large to the kernel: the next is fresh */
    return (double)BANDWIDTH_BYTES / t;
}

/* First and second touch of a shared mapping: shm_open+ftruncate+mmap, as a POSIX
   program makes shared memory (no pages until they are touched). */
static double bandwidth_shm(void *arg)
{
    int touch = *(const int *)arg;
    const char *name = slash(bench_name("pbw"));
    const unsigned char *src = bandwidth_source();
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    unsigned char *dst;
    double t0 = 0, t = 0;

    if (fd == -1 || ftruncate(fd, BANDWIDTH_BYTES) == -1)
        fail("bandwidth shm: %s", strerror(errno));
    dst = mmap(NULL, BANDWIDTH_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    shm_unlink(name);
    if (dst == MAP_FAILED)
        fail("bandwidth shm mmap: %s", strerror(errno));
    for (int i = 1; i <= touch; i++) {
        t0 = now_ns();
        memcpy(dst, src, BANDWIDTH_BYTES);
        t = now_ns() - t0;
    }
    if (dst[BANDWIDTH_BYTES - 1] != src[BANDWIDTH_BYTES - 1])
        fail("bandwidth shm: wrong data");
    munmap(dst, BANDWIDTH_BYTES);
    return (double)BANDWIDTH_BYTES / t;
}

/* ---- 7. Waiting for any of 64 descriptors, the last one signalled --------------------- */

/* 64 eventfds (inherited by helpers), and an epoll set of them for EPOLL. */
struct fdset {
    int efd[64], ep;
};

static void fdset_open(struct fdset *f, enum mech mech)
{
    for (int i = 0; i < 64; i++)
        if ((f->efd[i] = eventfd(0, 0)) == -1)
            fail("eventfd: %s", strerror(errno));
    f->ep = -1;
    if (mech == EPOLL) {
        f->ep = epoll_create1(EPOLL_CLOEXEC);
        for (int i = 0; i < 64; i++) {
            struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};

            if (epoll_ctl(f->ep, EPOLL_CTL_ADD, f->efd[i], &ev) == -1)
                fail("epoll_ctl: %s", strerror(errno));
        }
    }
}

static void fdset_close(struct fdset *f)
{
    for (int i = 0; i < 64; i++)
        close(f->efd[i]);
    if (f->ep >= 0)
        close(f->ep);
}

/* Waits until one of the 64 is readable and reads it: its index. */
static int fdset_wait(struct fdset *f, enum mech mech)
{
    struct pollfd pfd[64];
    struct epoll_event ev;
    uint64_t v;
    int i = -1;

    if (mech == POLL) {
        for (int k = 0; k < 64; k++)
            pfd[k] = (struct pollfd){.fd = f->efd[k], .events = POLLIN};
        if (poll(pfd, 64, -1) < 1)
            fail("poll: %s", strerror(errno));
        for (int k = 0; k < 64 && i < 0; k++) /* the lowest ready index, as wait-any */
            if (pfd[k].revents & POLLIN)
                i = k;
    } else {
        if (epoll_wait(f->ep, &ev, 1, -1) != 1)
            fail("epoll_wait: %s", strerror(errno));
        i = (int)ev.data.u32;
    }
    if (i < 0 || read(f->efd[i], &v, sizeof v) != sizeof v)
        fail("fdset read");
    return i;
}

static void efd_signal(int fd)
{
    uint64_t one = 1;

    if (write(fd, &one, sizeof one) != sizeof one)
        fail("eventfd write: %s", strerror(errno));
}

static double wait_last_fds(void *arg)
{
    enum mech mech = *(const enum mech *)arg;
    struct fdset f;
    double t0;

    fdset_open(&f, mech);
    t0 = now_ns();
    for (int i = 0; i < WAIT_LAST_OPS; i++) {
        efd_signal(f.efd[63]);
        if (fdset_wait(&f, mech) != 63)
            fail("wait-any over 64 descriptors: wrong one");
    }
    t0 = (now_ns() - t0) / WAIT_LAST_OPS;
    fdset_close(&f);
    return t0;
}

/* The round trip: the helper reads a request (fds[0]) and answers on fds[1], the
   last of the parent's 64. */
static double wait_any_fds(void *arg)
{
    struct run r = {.mech = *(const enum mech *)arg};
    struct fdset f;
    struct proc *p;
    double t0, t;

    fdset_open(&f, r.mech);
    start(&r, sizeof(struct shared));
    r.fds[0] = eventfd(0, 0);
    r.fds[1] = f.efd[63];
    p = spawn_helper(&r, "px-answer");
    wait_ready(r.s);
    t0 = now_ns();
    for (int i = 0; i < PINGPONG_TRIPS; i++) {
        efd_signal(r.fds[0]);
        if (fdset_wait(&f, r.mech) != 63)
            fail("wait-any round trip: wrong descriptor");
    }
    t = now_ns() - t0;
    wait_proc(p);
    close(r.fds[0]);
    fdset_close(&f);
    finish(&r, sizeof(struct shared));
    return t / PINGPONG_TRIPS;
}

/* ---- 8. Waiting for a process to end -------------------------------------------------- */

struct stamp {
    _Atomic double exit_ns; /* written by the child just before it returns from main */
};

/* As win32.c's process_exit: exit to wake-up and the whole cycle, medians in us.
   `arg`: 0 waitpid, 1 poll on a pidfd (then waitpid to reap). */
static void exit_raw(void *arg, double *out)
{
    int pidfd_mode = *(const int *)arg;
    const char *name = bench_name("pexit");
    struct stamp *st = shm_map(slash(name), 4096, true);
    char *argv[] = {(char *)self_exe(), "--child", "px-exit", (char *)name, NULL};
    double lat[64], cycle[64];

    for (int c = 0; c < EXIT_CYCLES; c++) {
        double t0 = now_ns(), t1;
        pid_t pid;
        int status;

        atomic_store(&st->exit_ns, 0);
        if (posix_spawn(&pid, self_exe(), NULL, NULL, argv, environ) != 0)
            fail("posix_spawn");
        if (pidfd_mode) {
            int fd = (int)syscall(SYS_pidfd_open, pid, 0);
            struct pollfd pfd = {.fd = fd, .events = POLLIN};

            if (fd == -1 || poll(&pfd, 1, 60000) != 1)
                fail("pidfd poll: %s", strerror(errno));
            t1 = now_ns();
            close(fd);
        }
        while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
            ;
        if (!pidfd_mode)
            t1 = now_ns();
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || atomic_load(&st->exit_ns) == 0)
            fail("the exiting child failed");
        lat[c] = (t1 - atomic_load(&st->exit_ns)) / 1000;
        cycle[c] = (t1 - t0) / 1000;
    }
    munmap(st, 4096);
    shm_unlink(slash(name));
    out[0] = percentile(lat, EXIT_CYCLES, 50);
    out[1] = percentile(cycle, EXIT_CYCLES, 50);
}

/* ---- 9. Scale ------------------------------------------------------------------------------ */

/* The shared segment of the scale baselines. */
struct scale {
    _Atomic uint32_t ready, go, done;
    pthread_mutex_t mutex; /* robust, process-shared */
    _Alignas(64) long counter;
    _Alignas(64) _Atomic uint32_t acks;
    _Atomic uint32_t round_done;
    _Alignas(64) struct {
        _Atomic uint32_t w; /* 1: set; one word per "event", a cache line each */
        char pad[60];
    } words[];
};

static size_t scale_size(void)
{
    return sizeof(struct scale) + (size_t)SCALE_PROCS * SCALE_EVENTS * 64;
}

/* Waits until *w reaches n (counts only grow). */
static void wait_at_least(_Atomic uint32_t *w, uint32_t n)
{
    uint32_t v;

    while ((v = atomic_load(w)) < n)
        futex_wait(w, v);
}

static void count_up(_Atomic uint32_t *w)
{
    atomic_fetch_add(w, 1);
    futex_wake(w);
}

static struct scale *scale_start(const char **name, const char *role, const char *mode,
                                 struct proc **procs)
{
    struct scale *s;
    char index[16];

    *name = bench_name("pscale");
    s = shm_map(slash(*name), scale_size(), true);
    for (int p = 0; p < SCALE_PROCS; p++) {
        snprintf(index, sizeof index, "%d", p);
        procs[p] = spawn_self(role, *name, index, mode);
    }
    wait_at_least(&s->ready, SCALE_PROCS);
    return s;
}

static void scale_finish(const char *name, struct scale *s, struct proc **procs)
{
    for (int p = 0; p < SCALE_PROCS; p++)
        wait_proc(procs[p]);
    munmap(s, scale_size());
    shm_unlink(slash(name));
}

static void scale_mutex_raw(void *arg, double *out)
{
    struct proc *procs[64];
    const char *name;
    struct scale *s;
    pthread_mutexattr_t a;
    double t0, t;

    (void)arg;
    /* The helpers map the segment after it is made: initialise it first. */
    name = bench_name("pscale");
    s = shm_map(slash(name), scale_size(), true);
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&s->mutex, &a);
    for (int p = 0; p < SCALE_PROCS; p++)
        procs[p] = spawn_self("px-smutex", name, "0", "");
    wait_at_least(&s->ready, SCALE_PROCS);
    t0 = now_ns();
    count_up(&s->go);
    wait_at_least(&s->done, SCALE_PROCS);
    t = now_ns() - t0;
    if (s->counter != (long)SCALE_PROCS * SCALE_LOCKS)
        fail("raw scale mutex counted %ld", s->counter);
    scale_finish(name, s, procs);
    out[0] = t / ((double)SCALE_PROCS * SCALE_LOCKS);
}

/* The raw side of 64 x 64 events: words set by the parent, one futex wake each; the
   helpers take any with futex_waitv, or all, one after another (not atomic: POSIX
   has nothing that is). */
static void scale_wake_raw(void *arg, double *out)
{
    bool all = *(const bool *)arg;
    struct proc *procs[64];
    const char *name;
    struct scale *s = scale_start(&name, "px-wake", all ? "all" : "any", procs);
    double lat[256];

    for (int r = 0; r < SCALE_WAKE_ROUNDS; r++) {
        double t0 = now_ns();

        for (int p = 0; p < SCALE_PROCS; p++) {
            for (int i = all ? 0 : r % SCALE_EVENTS; i < SCALE_EVENTS; i++) {
                _Atomic uint32_t *w = &s->words[p * SCALE_EVENTS + i].w;

                atomic_store(w, 1);
                futex_wake(w);
                if (!all)
                    break;
            }
        }
        wait_at_least(&s->round_done, (uint32_t)r + 1);
        lat[r] = (now_ns() - t0) / 1000;
    }
    scale_finish(name, s, procs);
    out[0] = percentile(lat, SCALE_WAKE_ROUNDS, 50);
    out[1] = percentile(lat, SCALE_WAKE_ROUNDS, 99);
}

static int child_wake_raw(struct scale *s, int proc, bool all)
{
    struct futex_waitv fw[SCALE_EVENTS];
    _Atomic uint32_t *w[SCALE_EVENTS];

    for (int i = 0; i < SCALE_EVENTS; i++) {
        w[i] = &s->words[proc * SCALE_EVENTS + i].w;
        fw[i] = (struct futex_waitv){.val = 0, .uaddr = (uintptr_t)w[i], .flags = FUTEX_32};
    }
    count_up(&s->ready);
    for (int r = 0; r < SCALE_WAKE_ROUNDS; r++) {
        int got = -1;

        if (all) {
            for (int i = 0; i < SCALE_EVENTS; i++) {
                uint32_t one = 1;

                while (!atomic_compare_exchange_strong(w[i], &one, 0)) {
                    futex_wait(w[i], 0);
                    one = 1;
                }
            }
        } else {
            while (got < 0) {
                for (int i = 0; i < SCALE_EVENTS && got < 0; i++) {
                    uint32_t one = 1;

                    if (atomic_compare_exchange_strong(w[i], &one, 0))
                        got = i;
                }
                if (got < 0)
                    syscall(SYS_futex_waitv, fw, SCALE_EVENTS, 0, NULL, CLOCK_MONOTONIC);
            }
            if (got != r % SCALE_EVENTS)
                return 21;
        }
        if (atomic_fetch_add(&s->acks, 1) + 1 == (uint32_t)SCALE_PROCS) {
            atomic_store(&s->acks, 0); /* before round_done: the next round waits on it */
            atomic_store(&s->round_done, (uint32_t)r + 1);
            futex_wake(&s->round_done);
        }
    }
    return 0;
}

/* As win32.c's scale_named_objects, with shm_open: create (and keep the descriptor), open
   and close a held name, close and unlink. */
static void scale_objects_raw(void *arg, double *out)
{
    const char *base = bench_name("pobj");
    int n = scale_objects, k = n / 100 < 1000 ? n / 100 : 1000, *fd = malloc(sizeof *fd * n);
    char name[160];
    double t0 = 0;

    (void)arg;
    if (!fd)
        fail("no memory");
    for (int i = 0; i < n; i++) {
        if (i == 0 || i == n - k)
            t0 = now_ns();
        snprintf(name, sizeof name, "/%s-%d", base, i);
        fd[i] = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd[i] == -1 || ftruncate(fd[i], 8192) == -1)
            fail("raw scale objects: create %d: %s", i, strerror(errno));
        if (i == k - 1)
            out[0] = (now_ns() - t0) / k / 1000;
        if (i == n - 1)
            out[1] = (now_ns() - t0) / k / 1000;
    }
    t0 = now_ns();
    for (int i = 0; i < k; i++) {
        int o;

        snprintf(name, sizeof name, "/%s-%d", base, (int)((i * 7919LL) % n));
        if ((o = shm_open(name, O_RDONLY, 0)) == -1)
            fail("raw scale objects: open: %s", strerror(errno));
        close(o);
    }
    out[2] = (now_ns() - t0) / k / 1000;
    t0 = now_ns();
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "/%s-%d", base, i);
        close(fd[i]);
        shm_unlink(name);
    }
    out[3] = (now_ns() - t0) / n / 1000;
    free(fd);
}

/* ---- Helpers ----------------------------------------------------------------------------- */

/* The helpers of the scale baselines and of the process-exit baseline. */
static int other_child(const char *role, int argc, char **argv)
{
    struct scale *s;
    int rc = 0;

    if (strcmp(role, "px-exit") == 0) {
        struct stamp *st = shm_map(slash(argv[0]), 4096, false);

        atomic_store(&st->exit_ns, now_ns());
        munmap(st, 4096);
        return 0;
    }
    if (argc < 3)
        return 100;
    s = shm_map(slash(argv[0]), scale_size(), false);
    if (strcmp(role, "px-smutex") == 0) {
        count_up(&s->ready);
        wait_at_least(&s->go, 1);
        for (int i = 0; i < SCALE_LOCKS; i++) {
            if (pthread_mutex_lock(&s->mutex) != 0)
                return 22;
            s->counter++;
            pthread_mutex_unlock(&s->mutex);
        }
        count_up(&s->done);
    } else {
        rc = child_wake_raw(s, atoi(argv[1]), strcmp(argv[2], "all") == 0);
    }
    munmap(s, scale_size());
    return rc;
}

int posix_child(const char *role, int argc, char **argv)
{
    struct run r = {0};
    int rc = 0;

    if (strncmp(role, "px-", 3) != 0)
        return -1;
    if (argc < 1)
        return 100;
    if (strcmp(role, "px-exit") == 0 || strcmp(role, "px-smutex") == 0 ||
        strcmp(role, "px-wake") == 0)
        return other_child(role, argc, argv);
    if (argc < 3)
        return 100;
    r.mech = (enum mech)atoi(argv[0]);
    r.name = argv[1];
    sscanf(argv[2], "%d,%d,%d,%d,%zu,%zu,%zu", &r.fds[0], &r.fds[1], &r.fds[2], &r.fds[3], &r.item,
           &r.slots, &r.items);
    r.s = shm_map(slash(r.name), sizeof(struct shared) + r.item * r.slots, false);
    open_mechanism(&r, false);
    if (strcmp(role, "px-pong") == 0) {
        set_ready(r.s);
        ping_side(&r, false);
    } else if (strcmp(role, "px-lock") == 0) {
        set_ready(r.s);
        while (atomic_load(&r.s->turn) != 1)
            futex_wait(&r.s->turn, 0);
        lock_side(&r);
        atomic_store(&r.s->ready, 2);
        futex_wake(&r.s->ready);
    } else if (strcmp(role, "px-produce") == 0) {
        rc = produce(&r);
    } else if (strcmp(role, "px-answer") == 0) {
        set_ready(r.s);
        for (int i = 0; i < PINGPONG_TRIPS; i++) {
            uint64_t v;

            if (read(r.fds[0], &v, sizeof v) != sizeof v)
                return 23;
            efd_signal(r.fds[1]);
        }
    } else {
        rc = 100;
    }
    if (r.mech == SEM_OPEN || r.mech == SEM_BINARY)
        for (int i = 0; i < 2; i++)
            sem_close(r.named[i]);
    return rc;
}

static void measure_ring(const char *workload, const char *mech_name, enum mech mech, size_t item,
                         size_t slots, size_t items)
{
    struct run r = {.mech = mech, .item = item, .slots = slots, .items = items};
    struct mq_attr attr = {.mq_maxmsg = 10, .mq_msgsize = (long)item};

    if (mech == MQUEUE) { /* a queue of such messages may be over the system's limits */
        char name[64];
        mqd_t q;

        snprintf(name, sizeof name, "/%s", bench_name("mqprobe"));
        q = mq_open(name, O_RDONLY | O_CREAT | O_EXCL, 0600, &attr);
        if (q == (mqd_t)-1) {
            printf("  %-28s %-34s n/a (%s)\n", workload, mech_name, strerror(errno));
            return;
        }
        mq_close(q);
        mq_unlink(name);
    }
    measure2(workload, mech_name, item >= 4096 ? "MB/s" : "items/s", true, false, ring, &r,
             sizeof r);
}

void run_posix_baselines(void)
{
    static const enum mech futex = FUTEX, semt = SEM_T, semo = SEM_OPEN, pipe_ = PIPE,
                           efd = EVENTFD, ptm = PTHREAD_MUTEX, semb = SEM_BINARY,
                           plain = PLAIN_MUTEX, poll_ = POLL, epoll = EPOLL;
    static const int first = 1, second = 2, use_waitpid = 0, use_pidfd = 1;
    static const bool any = false, all = true;
    static const char *const exit_labels[] = {"exit to wake-up", "whole cycle"};
    static const char *const pct[] = {"p50", "p99"};
    static const char *const obj_labels[] = {"create, first 1000", "create, last 1000",
                                             "open+close a held name", "close"};

    measure2("event ping-pong", "raw futex in shm", "ns/round trip", false, false, pingpong, &futex,
             sizeof futex);
    measure2("event ping-pong", "sem_t in shm", "ns/round trip", false, false, pingpong, &semt,
             sizeof semt);
    measure2("event ping-pong", "sem_open named semaphores", "ns/round trip", false, false,
             pingpong, &semo, sizeof semo);
    measure2("event ping-pong", "pipe pair", "ns/round trip", false, false, pingpong, &pipe_,
             sizeof pipe_);
    measure2("event ping-pong", "eventfd pair", "ns/round trip", false, false, pingpong, &efd,
             sizeof efd);
    measure2("mutex handoff", "robust pshared pthread mutex", "ns/lock+unlock", false, false,
             handoff, &ptm, sizeof ptm);
    measure2("mutex handoff", "pshared pthread mutex (not robust)", "ns/lock+unlock", false, false,
             handoff, &plain, sizeof plain);
    measure2("mutex handoff", "sem_open binary semaphore", "ns/lock+unlock", false, false, handoff,
             &semb, sizeof semb);
    measure("uncontended mutex", "robust pthread mutex", "ns/pair", false, false,
            uncontended_pthread, NULL, 0);
    measure("uncontended event", "sem_post+sem_wait", "ns/pair", false, false, uncontended_sem,
            NULL, 0);
    measure("uncontended semaphore", "sem_post+sem_wait", "ns/pair", false, false, uncontended_sem,
            NULL, 0);
    measure_ring("bounded buffer 64 B", "sem_t ring in shm", SEM_T, RING_SMALL_ITEM,
                 RING_SMALL_SLOTS, RING_SMALL_ITEMS);
    measure_ring("bounded buffer 64 B", "pipe", PIPE, RING_SMALL_ITEM, RING_SMALL_SLOTS,
                 RING_SMALL_ITEMS);
    measure_ring("bounded buffer 64 B", "POSIX message queue", MQUEUE, RING_SMALL_ITEM,
                 RING_SMALL_SLOTS, RING_SMALL_ITEMS);
    measure_ring("bounded buffer 64 KiB", "sem_t ring in shm", SEM_T, RING_LARGE_ITEM,
                 RING_LARGE_SLOTS, RING_LARGE_ITEMS);
    measure_ring("bounded buffer 64 KiB", "pipe", PIPE, RING_LARGE_ITEM, RING_LARGE_SLOTS,
                 RING_LARGE_ITEMS);
    measure_ring("bounded buffer 64 KiB", "POSIX message queue", MQUEUE, RING_LARGE_ITEM,
                 RING_LARGE_SLOTS, RING_LARGE_ITEMS);
    measure("lifecycle 64 KiB mapping", "shm_open/ftruncate/mmap/munmap/unlink", "us/cycle", false,
            false, lifecycle, NULL, 0);
    measure("open+close named event", "sem_open+sem_close existing", "us/cycle", false, false,
            open_close_sem, NULL, 0);
    measure("bandwidth first touch", "malloc'ed memory", "GB/s", true, false, bandwidth_malloc,
            &first, sizeof first);
    measure("bandwidth first touch", "shm_open+mmap memory", "GB/s", true, false, bandwidth_shm,
            &first, sizeof first);
    measure("bandwidth second touch", "malloc'ed memory", "GB/s", true, false, bandwidth_malloc,
            &second, sizeof second);
    measure("bandwidth second touch", "shm_open+mmap memory", "GB/s", true, false, bandwidth_shm,
            &second, sizeof second);
    measure2("wait-any round trip, 64 handles", "poll over 64 eventfds", "ns/round trip", false,
             false, wait_any_fds, &poll_, sizeof poll_);
    measure2("wait-any round trip, 64 handles", "epoll over 64 eventfds", "ns/round trip", false,
             false, wait_any_fds, &epoll, sizeof epoll);
    measure("wait-any, last of 64 signalled", "write+poll over 64 eventfds+read", "ns/pair", false,
            false, wait_last_fds, &poll_, sizeof poll_);
    measure("wait-any, last of 64 signalled", "write+epoll over 64 eventfds+read", "ns/pair", false,
            false, wait_last_fds, &epoll, sizeof epoll);
    measure_multi("wait for process exit", "posix_spawn+waitpid", exit_labels, 2, "us", false,
                  exit_raw, &use_waitpid, sizeof use_waitpid, ROUNDS);
    measure_multi("wait for process exit", "posix_spawn+poll on a pidfd", exit_labels, 2, "us",
                  false, exit_raw, &use_pidfd, sizeof use_pidfd, ROUNDS);
    measure_scale("scale: 64 processes, one mutex", "robust pshared pthread mutex", NULL, 1,
                  "ns/lock+unlock", false, scale_mutex_raw, NULL, 0);
    measure_scale("scale: 64 processes x 64 events, wait-any", "futex_waitv over 64 words", pct, 2,
                  "us/round", false, scale_wake_raw, &any, sizeof any);
    measure_scale("scale: 64 processes x 64 events, wait-all",
                  "futex words taken in turn (not atomic)", pct, 2, "us/round", false,
                  scale_wake_raw, &all, sizeof all);
    measure_scale(scale_objects_row, "shm_open+ftruncate", obj_labels, 4, "us/object", false,
                  scale_objects_raw, NULL, 0);
}
