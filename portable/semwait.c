/*
 * semwait.c - waiting on a wake semaphore with a CLOCK_MONOTONIC deadline.
 *
 * Win32 timeouts are intervals, so the wait engine keeps monotonic deadlines. POSIX
 * gives semaphores only sem_timedwait, whose deadline is CLOCK_REALTIME, and macOS
 * has not even that. So:
 *
 *   sem_timedwait (where the system has it: Linux, FreeBSD): the remaining monotonic
 *     time is turned into a realtime deadline for each call, and a return before the
 *     monotonic deadline (the wall clock was stepped forward) waits again. Differs
 *     from Windows: a wall clock stepped backwards during a timed wait delays it by
 *     the step, as it does every sem_timedwait.
 *   a timer thread (macOS; or anywhere with WINIPC_PORTABLE_SEM_WAIT=THREAD at build
 *     time, or the environment variable of the same name set to "thread", which the
 *     tests use): the waiter hands its deadline and semaphore to a per-process thread
 *     and blocks in sem_wait; the thread sleeps in poll() (a relative, monotonic
 *     timeout) until the earliest deadline and posts that waiter's semaphore. A new
 *     earliest deadline wakes it through a pipe. An alarm that fires just as a real
 *     post arrives leaves one post too many, which the engine drains before its next
 *     sleep; a wait is never early (the caller checks the time) and late by at most
 *     the scheduling of one thread.
 *
 * INFINITE waits are plain sem_wait either way.
 */
#include "portable.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool passed(const struct timespec *deadline)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > deadline->tv_sec ||
           (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

static int wait_forever(sem_t *s)
{
    while (sem_wait(s) == -1)
        if (errno != EINTR)
            return -1;
    return 0;
}

/* ---- The timer thread ----------------------------------------------------------------- */

struct alarm {
    struct timespec at;
    sem_t *sem;
    bool fired;
    struct alarm *next;
};

static pthread_mutex_t alarm_lock = PTHREAD_MUTEX_INITIALIZER;
static struct alarm *alarms; /* sorted by deadline */
static int alarm_pipe[2] = {-1, -1};
static pid_t alarm_pid; /* the process the thread runs in (a fork child has none) */

/* Milliseconds from now until t, rounded up (a poll is then never early); -1: none. */
static int ms_until(const struct timespec *t)
{
    struct timespec now;
    int64_t ns;

    clock_gettime(CLOCK_MONOTONIC, &now);
    ns = (int64_t)(t->tv_sec - now.tv_sec) * 1000000000 + (t->tv_nsec - now.tv_nsec);
    if (ns <= 0)
        return 0;
    return ns / 1000000 >= INT32_MAX ? INT32_MAX : (int)((ns + 999999) / 1000000);
}

static void *alarm_thread(void *arg)
{
    (void)arg;
    for (;;) {
        struct pollfd p = {.fd = alarm_pipe[0], .events = POLLIN};
        char buf[64];
        int timeout;

        pthread_mutex_lock(&alarm_lock);
        timeout = alarms ? ms_until(&alarms->at) : -1;
        pthread_mutex_unlock(&alarm_lock);
        if (timeout != 0 && poll(&p, 1, timeout) > 0)
            while (read(alarm_pipe[0], buf, sizeof buf) > 0)
                ;
        pthread_mutex_lock(&alarm_lock);
        while (alarms && passed(&alarms->at)) {
            alarms->fired = true;
            sem_post(alarms->sem);
            alarms = alarms->next;
        }
        pthread_mutex_unlock(&alarm_lock);
    }
    return NULL;
}

/* Starts the thread in this process if needed; under alarm_lock. */
static bool alarm_start(void)
{
    pid_t me = winipc__cached_pid();
    sigset_t all, old;
    pthread_attr_t attr;
    pthread_t t;
    int err;

    if (alarm_pid == me)
        return true;
    if (alarm_pipe[0] >= 0) { /* the parent's, in a fork child */
        close(alarm_pipe[0]);
        close(alarm_pipe[1]);
        alarm_pipe[0] = alarm_pipe[1] = -1;
    }
    alarms = NULL;
    if (pipe(alarm_pipe) != 0)
        return false;
    for (int i = 0; i < 2; i++) {
        fcntl(alarm_pipe[i], F_SETFD, FD_CLOEXEC);
        fcntl(alarm_pipe[i], F_SETFL, O_NONBLOCK);
    }
    /* The program's signals are not for this thread. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    err = pthread_create(&t, &attr, alarm_thread, NULL);
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (err)
        return false;
    alarm_pid = me;
    return true;
}

static int wait_with_thread(sem_t *s, const struct timespec *deadline)
{
    struct alarm a = {.at = *deadline, .sem = s}, **p;
    bool first;

    pthread_mutex_lock(&alarm_lock);
    if (!alarm_start()) {
        pthread_mutex_unlock(&alarm_lock);
        errno = EAGAIN;
        return -1;
    }
    for (p = &alarms; *p && !(a.at.tv_sec < (*p)->at.tv_sec ||
                              (a.at.tv_sec == (*p)->at.tv_sec && a.at.tv_nsec < (*p)->at.tv_nsec));
         p = &(*p)->next)
        ;
    a.next = *p;
    *p = &a;
    first = alarms == &a;
    pthread_mutex_unlock(&alarm_lock);
    if (first && write(alarm_pipe[1], "", 1) < 0 && errno != EAGAIN) {
        /* cannot happen with our pipe; the thread still wakes at its older deadline */
    }
    wait_forever(s);
    pthread_mutex_lock(&alarm_lock);
    if (!a.fired)
        for (p = &alarms; *p; p = &(*p)->next)
            if (*p == &a) {
                *p = a.next;
                break;
            }
    pthread_mutex_unlock(&alarm_lock);
    if (passed(deadline))
        return errno = ETIMEDOUT, -1;
    return 0;
}

static void alarm_prepare(void)
{
    pthread_mutex_lock(&alarm_lock);
}

static void alarm_resume(void)
{
    pthread_mutex_unlock(&alarm_lock);
}

/* ---- sem_timedwait -------------------------------------------------------------------- */

#ifdef WINIPC_SEM_WAIT_THREAD
static const bool have_timedwait = false;
#else
static const bool have_timedwait = true;

static int wait_timed(sem_t *s, const struct timespec *deadline)
{
    for (;;) {
        struct timespec now, rt;
        int64_t ns;

        clock_gettime(CLOCK_MONOTONIC, &now);
        ns = (int64_t)(deadline->tv_sec - now.tv_sec) * 1000000000 +
             (deadline->tv_nsec - now.tv_nsec);
        if (ns <= 0)
            return errno = ETIMEDOUT, -1;
        clock_gettime(CLOCK_REALTIME, &rt);
        rt.tv_sec += (time_t)(ns / 1000000000);
        rt.tv_nsec += (long)(ns % 1000000000);
        if (rt.tv_nsec >= 1000000000L) {
            rt.tv_sec++;
            rt.tv_nsec -= 1000000000L;
        }
        if (sem_timedwait(s, &rt) == 0)
            return 0;
        if (errno != EINTR && errno != ETIMEDOUT)
            return -1;
        /* ETIMEDOUT by the wall clock: go on if the monotonic deadline is still ahead. */
    }
}
#endif

/* ---- The choice ----------------------------------------------------------------------- */

static bool use_thread;

static void __attribute__((constructor)) semwait_init(void)
{
    const char *env = getenv("WINIPC_PORTABLE_SEM_WAIT");

    use_thread = !have_timedwait || (env && strcmp(env, "thread") == 0);
    pthread_atfork(alarm_prepare, alarm_resume, alarm_resume);
}

const char *winipc__sem_wait_kind(void)
{
    return use_thread ? "timer thread" : "sem_timedwait";
}

int winipc__sem_wait_until(sem_t *s, const struct timespec *deadline)
{
    if (!deadline)
        return wait_forever(s);
    if (passed(deadline))
        return errno = ETIMEDOUT, -1;
#ifndef WINIPC_SEM_WAIT_THREAD
    if (!use_thread)
        return wait_timed(s, deadline);
#endif
    return wait_with_thread(s, deadline);
}
