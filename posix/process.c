/*
 * process.c - handles to processes: waitable, with exit codes; OpenProcess,
 * TerminateProcess, ExitProcess, GetProcessId; and the main-thread handle that
 * CreateProcess (spawn.c) returns beside a process handle.
 *
 * PROCESS HANDLES AND THE ONE WAIT ENGINE
 *
 * A process object holds a pidfd. The wait engine sleeps on futex words, so the kind
 * has one, process-local: 0 while the process runs, 1 once it has ended. A watcher
 * thread, started by the first process object of a running process, sleeps in
 * epoll_wait on the pidfds -- the kernel's own wake-up when a process ends -- and
 * then records the exit code, sets the word and wakes its sleepers. Every wait
 * (WaitForSingleObject, WaitForMultipleObjects any and all, mixed with any other
 * kind) sleeps on the word as on every other: no polling, no helper process. The
 * watcher also reaps the children CreateProcess made (waitid on the pidfd), whether
 * or not anyone still has their handles, so none stays a zombie; it keeps a ref on
 * every object it watches until its process has ended.
 *
 * Exit codes: a child's comes from waitid. Differs from Windows: Linux keeps 8 bits
 * of an exit status, so a code above 255 reads back modulo 256; a child ended by a
 * signal reads back as the NTSTATUS Windows gives for the like (SIGSEGV:
 * STATUS_ACCESS_VIOLATION, ...), or as the code TerminateProcess was given. A process
 * that is not our child (OpenProcess) cannot be waited for by us: its end is seen,
 * and its code read from /proc while it is a zombie, else reported as 0.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

struct process {
    struct winipc__object obj;    /* obj.fd: the pidfd */
    struct winipc__wait_state ws; /* word: 0 running, 1 ended (private futex) */
    pid_t pid;
    bool child;         /* CreateProcess made it: waitid reaps it */
    bool watched;       /* on the watcher's list (it holds a ref) */
    atomic_bool killed; /* TerminateProcess ended it, with kill_code */
    DWORD kill_code;
    DWORD exit_code;      /* valid once ws.word is 1 */
    int gate;             /* CREATE_SUSPENDED: its start gate's write end, or -1 */
    DWORD suspend;        /* suspend count of its main thread (under watch.lock) */
    struct process *next; /* on the watcher's list */
};

static struct process *process_of(struct winipc__object *obj)
{
    return WINIPC__CONTAINER(obj, struct process, obj);
}

/* ---- The watcher ---------------------------------------------------------------------- */

static struct {
    pthread_mutex_t lock;
    int epfd;             /* -1 until the watcher runs (in this process) */
    pid_t pid;            /* the process the watcher runs in: fork() leaves it behind */
    struct process *list; /* processes watched (each holds a ref) */
} watch = {PTHREAD_MUTEX_INITIALIZER, -1, 0, NULL};

/* Linux signals as the NTSTATUS Windows reports for the like. */
static DWORD code_of_signal(int sig)
{
    switch (sig) {
    case SIGSEGV:
    case SIGBUS:
        return 0xC0000005u; /* STATUS_ACCESS_VIOLATION */
    case SIGILL:
        return 0xC000001Du; /* STATUS_ILLEGAL_INSTRUCTION */
    case SIGFPE:
        return 0xC0000094u; /* STATUS_INTEGER_DIVIDE_BY_ZERO */
    case SIGABRT:
        return 3; /* what abort() exits with on Windows */
    case SIGINT:
    case SIGTERM:
    case SIGHUP:
        return 0xC000013Au; /* STATUS_CONTROL_C_EXIT */
    default:
        return 128u + (DWORD)sig; /* as a shell reports it */
    }
}

/* The exit code of a process that is not our child, from /proc while it is a zombie. */
static DWORD code_from_proc(pid_t pid)
{
    char path[64], buf[1024], *p;
    unsigned long status = 0;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    f = fopen(path, "re");
    if (!f)
        return 0;
    p = fgets(buf, sizeof buf, f) ? strrchr(buf, ')') : NULL;
    fclose(f);
    /* Field 52, exit_code, counted from the state (field 3) after the name. */
    for (int field = 2; p && field < 52; field++)
        p = strchr(p + 1, ' ');
    if (!p || sscanf(p + 1, "%lu", &status) != 1)
        return 0;
    return WIFSIGNALED(status) ? code_of_signal(WTERMSIG(status)) : (DWORD)WEXITSTATUS(status);
}

/*
 * Records the end of p if it has ended (without waiting); whether it has. Reaps a
 * child. Under watch.lock.
 */
static bool check_ended(struct process *p)
{
    siginfo_t si;

    if (atomic_load(&p->ws.word))
        return true;
    if (p->child) {
        memset(&si, 0, sizeof si);
        if (waitid((idtype_t)P_PIDFD, (id_t)p->obj.fd, &si, WEXITED | WNOHANG) != 0) {
            if (errno != ECHILD) /* someone else reaped it (a waitpid(-1)): it has ended */
                return false;
            p->exit_code = 0;
        } else if (si.si_pid == 0) {
            return false;
        } else {
            p->exit_code =
                si.si_code == CLD_EXITED ? (DWORD)si.si_status : code_of_signal(si.si_status);
        }
    } else {
        struct pollfd pfd = {.fd = p->obj.fd, .events = POLLIN};

        if (poll(&pfd, 1, 0) != 1)
            return false;
        p->exit_code = code_from_proc(p->pid);
    }
    if (atomic_load(&p->killed))
        p->exit_code = p->kill_code;
    atomic_store(&p->ws.word, 1);
    winipc__wake_sleepers(&p->ws, false);
    return true;
}

/* Takes ended processes off the list; returns the list of those to unref. Under
   watch.lock. */
static struct process *collect_ended(void)
{
    struct process **link = &watch.list, *done = NULL;

    while (*link) {
        struct process *p = *link;

        if (check_ended(p)) {
            *link = p->next;
            if (watch.epfd >= 0)
                epoll_ctl(watch.epfd, EPOLL_CTL_DEL, p->obj.fd, NULL);
            p->watched = false;
            p->next = done;
            done = p;
        } else {
            link = &p->next;
        }
    }
    return done;
}

static void unref_all(struct process *done)
{
    while (done) {
        struct process *next = done->next;

        winipc__object_unref(&done->obj);
        done = next;
    }
}

static void *watcher(void *arg)
{
    struct epoll_event ev[16];
    int epfd = (int)(intptr_t)arg;

    for (;;) {
        int n = epoll_wait(epfd, ev, 16, -1);
        struct process *done;

        if (n < 0 && errno != EINTR)
            return NULL;
        pthread_mutex_lock(&watch.lock);
        if (watch.epfd != epfd) { /* a fork child's copy: not ours to serve */
            pthread_mutex_unlock(&watch.lock);
            return NULL;
        }
        done = collect_ended();
        pthread_mutex_unlock(&watch.lock);
        unref_all(done);
    }
}

/* Makes sure the watcher of this process runs; false if it cannot. Under watch.lock. */
static bool watcher_running(void)
{
    pthread_attr_t attr;
    pthread_t t;
    sigset_t all, old;
    int epfd, err;

    if (watch.epfd >= 0 && watch.pid == winipc__cached_pid())
        return true;
    /* New, or a fork child's inherited state: a watcher of our own, for every listed
       process (the parent's epoll is not ours to share). */
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0)
        return false;
    for (struct process *p = watch.list; p; p = p->next) {
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = p};

        epoll_ctl(epfd, EPOLL_CTL_ADD, p->obj.fd, &ev);
    }
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    sigfillset(&all); /* the program's signals go to its own threads */
    pthread_sigmask(SIG_SETMASK, &all, &old);
    err = pthread_create(&t, &attr, watcher, (void *)(intptr_t)epfd);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (err) {
        close(epfd);
        return false;
    }
    watch.epfd = epfd;
    watch.pid = winipc__cached_pid();
    return true;
}

/* Puts p under watch (a ref for the watcher) unless it has ended. */
static void watch_process(struct process *p)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = p};

    pthread_mutex_lock(&watch.lock);
    if (!check_ended(p) && watcher_running()) {
        winipc__object_ref(&p->obj);
        p->watched = true;
        p->next = watch.list;
        watch.list = p;
        epoll_ctl(watch.epfd, EPOLL_CTL_ADD, p->obj.fd, &ev);
    }
    pthread_mutex_unlock(&watch.lock);
}

/* ---- The kind --------------------------------------------------------------------------- */

static struct winipc__wait_state *process_wait_state(struct winipc__object *obj)
{
    return &process_of(obj)->ws;
}

static DWORD process_try_acquire(struct winipc__object *obj, const uint32_t *slept_on,
                                 bool own_guard)
{
    (void)slept_on, (void)own_guard;
    return atomic_load(&process_of(obj)->ws.word) ? WAIT_OBJECT_0 : WAIT_TIMEOUT;
}

static bool process_ready(struct winipc__object *obj)
{
    return atomic_load(&process_of(obj)->ws.word) != 0;
}

static void process_undo(struct winipc__object *obj, DWORD how)
{
    (void)obj, (void)how; /* an ended process stays signalled */
}

static void process_destroy(struct winipc__object *obj)
{
    struct process *p = process_of(obj);

    if (p->gate >= 0) /* never resumed: it ends instead of starting (spawn.c) */
        close(p->gate);
}

static const struct winipc__wait_ops process_wait_ops = {
    .state = process_wait_state,
    .try_acquire = process_try_acquire,
    .ready = process_ready,
    .undo = process_undo,
};

const struct winipc__ops winipc__process_ops = {
    .kind = WINIPC__PROCESS,
    .name = "Process",
    .size = sizeof(struct process),
    .all_access = PROCESS_ALL_ACCESS,
    .generic = {STANDARD_RIGHTS_READ | PROCESS_VM_READ | PROCESS_QUERY_INFORMATION,
                STANDARD_RIGHTS_WRITE | PROCESS_CREATE_PROCESS | PROCESS_CREATE_THREAD |
                    PROCESS_VM_OPERATION | PROCESS_VM_WRITE | PROCESS_DUP_HANDLE |
                    PROCESS_TERMINATE | PROCESS_SET_QUOTA | PROCESS_SET_INFORMATION |
                    PROCESS_SUSPEND_RESUME,
                STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION,
                PROCESS_ALL_ACCESS},
    .destroy = process_destroy,
    .wait = &process_wait_ops,
};

struct winipc__object *winipc__process_new(int pidfd, pid_t pid, bool child, int gate)
{
    struct winipc__object *obj = winipc__object_new_local(&winipc__process_ops);
    struct process *p;

    if (!obj) {
        close(pidfd);
        if (gate >= 0)
            close(gate);
        return NULL;
    }
    p = process_of(obj);
    obj->fd = pidfd;
    p->pid = pid;
    p->child = child;
    p->gate = gate;
    p->suspend = gate >= 0 ? 1 : 0;
    watch_process(p);
    return obj;
}

/* A pidfd for pid, or -1 with the Win32 error set. */
static int open_pidfd(pid_t pid)
{
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);

    if (fd >= 0) {
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        return fd;
    }
    winipc__set_error(errno == ESRCH || errno == EINVAL ? ERROR_INVALID_PARAMETER
                                                        : winipc__error_from_errno(errno));
    return -1;
}

struct winipc__object *winipc__process_self(void)
{
    int fd = open_pidfd(winipc__cached_pid());

    return fd < 0 ? NULL : winipc__process_new(fd, winipc__cached_pid(), false, -1);
}

pid_t winipc__process_pid(struct winipc__object *obj)
{
    return process_of(obj)->pid;
}

/* ---- The main thread of a process CreateProcess made ------------------------------------ */

static DWORD terminate(struct process *p, UINT code);

struct remote_thread {
    struct winipc__object obj;
    struct process *proc; /* a ref */
};

static struct process *proc_of_thread(struct winipc__object *obj)
{
    return WINIPC__CONTAINER(obj, struct remote_thread, obj)->proc;
}

static struct winipc__wait_state *remote_wait_state(struct winipc__object *obj)
{
    return &proc_of_thread(obj)->ws;
}

static DWORD remote_try_acquire(struct winipc__object *obj, const uint32_t *slept_on,
                                bool own_guard)
{
    return process_try_acquire(&proc_of_thread(obj)->obj, slept_on, own_guard);
}

static bool remote_ready(struct winipc__object *obj)
{
    return process_ready(&proc_of_thread(obj)->obj);
}

static void remote_destroy(struct winipc__object *obj)
{
    winipc__object_unref(&proc_of_thread(obj)->obj);
}

static const struct winipc__wait_ops remote_wait_ops = {
    .state = remote_wait_state,
    .try_acquire = remote_try_acquire,
    .ready = remote_ready,
    .undo = process_undo,
};

/*
 * Differs from Windows: the handle of a child's main thread ends when its process
 * ends (a Linux process whose main thread returns ends with it), and its exit code
 * is the process's.
 */
const struct winipc__ops winipc__remote_thread_ops = {
    .kind = WINIPC__REMOTE_THREAD,
    .name = "Thread",
    .size = sizeof(struct remote_thread),
    .all_access = THREAD_ALL_ACCESS,
    .generic = {STANDARD_RIGHTS_READ | THREAD_QUERY_INFORMATION,
                STANDARD_RIGHTS_WRITE | THREAD_TERMINATE, STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
                THREAD_ALL_ACCESS},
    .destroy = remote_destroy,
    .wait = &remote_wait_ops,
};

struct winipc__object *winipc__remote_thread_new(struct winipc__object *process)
{
    struct winipc__object *obj = winipc__object_new_local(&winipc__remote_thread_ops);

    if (!obj)
        return NULL;
    winipc__object_ref(process);
    WINIPC__CONTAINER(obj, struct remote_thread, obj)->proc = process_of(process);
    return obj;
}

DWORD winipc__remote_thread_resume(struct winipc__object *obj, DWORD *previous)
{
    struct process *p = proc_of_thread(obj);

    pthread_mutex_lock(&watch.lock);
    *previous = p->suspend;
    if (p->suspend && --p->suspend == 0 && p->gate >= 0) {
        /* Open the gate: the child's shell reads this line and runs the program
           (`read` fails on a line without its newline). */
        if (write(p->gate, "r\n", 2) != 2) {
            p->suspend = 1;
            pthread_mutex_unlock(&watch.lock);
            return ERROR_INVALID_HANDLE;
        }
        close(p->gate);
        p->gate = -1;
    }
    pthread_mutex_unlock(&watch.lock);
    return 0;
}

DWORD winipc__remote_thread_suspend(struct winipc__object *obj, DWORD *previous)
{
    struct process *p = proc_of_thread(obj);
    DWORD err = 0;

    pthread_mutex_lock(&watch.lock);
    *previous = p->suspend;
    if (p->gate >= 0) /* not started yet: it can only be held back further */
        p->suspend++;
    else
        err = ERROR_NOT_SUPPORTED; /* a running process is not stopped at random points */
    pthread_mutex_unlock(&watch.lock);
    return err;
}

/* The main thread of a Linux process is the process: ending it ends the process. */
DWORD winipc__remote_thread_terminate(struct winipc__object *obj, DWORD code)
{
    return terminate(proc_of_thread(obj), code);
}

DWORD winipc__remote_thread_id(struct winipc__object *obj)
{
    return (DWORD)proc_of_thread(obj)->pid; /* a main thread's id is its process's */
}

DWORD winipc__remote_thread_exit_code(struct winipc__object *obj)
{
    struct process *p = proc_of_thread(obj);
    DWORD code;

    pthread_mutex_lock(&watch.lock);
    code = check_ended(p) ? p->exit_code : STILL_ACTIVE;
    pthread_mutex_unlock(&watch.lock);
    return code;
}

/* ---- The API ---------------------------------------------------------------------------- */

HANDLE WINAPI OpenProcess(DWORD access, BOOL inherit, DWORD pid)
{
    struct winipc__object *obj;
    DWORD granted, err = winipc__access_for(&winipc__process_ops, access, &granted);
    int fd;

    if (err)
        return winipc__fail(NULL, err);
    if (pid == 0 || pid > INT32_MAX)
        return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
    /* Another user's process: as without the rights on Windows. */
    if (kill((pid_t)pid, 0) == -1 && errno == EPERM)
        return winipc__fail(NULL, ERROR_ACCESS_DENIED);
    fd = open_pidfd((pid_t)pid);
    if (fd < 0)
        return NULL;
    obj = winipc__process_new(fd, (pid_t)pid, false, -1);
    if (!obj)
        return NULL;
    return winipc__handle_new_ex(obj, granted, inherit ? HANDLE_FLAG_INHERIT : 0);
}

/* Holds a process handle; the pseudo-handle is answered by the caller. */
static bool hold_process(HANDLE h, struct winipc__hold *hold)
{
    return winipc__handle_hold(h, WINIPC__PROCESS, hold);
}

DWORD winipc__process_handle_pid(HANDLE h, DWORD right, pid_t *pid)
{
    struct winipc__hold hold;
    DWORD err = 0;

    if (h == WINIPC__PSEUDO_PROCESS) {
        *pid = winipc__cached_pid();
        return 0;
    }
    if (!hold_process(h, &hold))
        return ERROR_INVALID_HANDLE;
    /* An ended process takes no handles (NT: STATUS_PROCESS_IS_TERMINATING); its pid
       may already be another process's. */
    if (!(hold.access & right) || atomic_load(&process_of(hold.obj)->ws.word))
        err = ERROR_ACCESS_DENIED;
    *pid = process_of(hold.obj)->pid;
    winipc__handle_release(&hold);
    return err;
}

BOOL WINAPI GetExitCodeProcess(HANDLE h, LPDWORD code)
{
    struct winipc__hold hold;
    struct process *p;

    if (!code || winipc__bad_pointer(code))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (h == WINIPC__PSEUDO_PROCESS) {
        *code = STILL_ACTIVE;
        return TRUE;
    }
    if (!hold_process(h, &hold))
        return FALSE;
    p = process_of(hold.obj);
    pthread_mutex_lock(&watch.lock);
    *code = check_ended(p) ? p->exit_code : STILL_ACTIVE;
    pthread_mutex_unlock(&watch.lock);
    winipc__handle_release(&hold);
    return TRUE;
}

DWORD WINAPI GetProcessId(HANDLE h)
{
    struct winipc__hold hold;
    DWORD pid;

    if (h == WINIPC__PSEUDO_PROCESS)
        return (DWORD)winipc__cached_pid();
    if (!hold_process(h, &hold))
        return 0;
    pid = (DWORD)process_of(hold.obj)->pid;
    winipc__handle_release(&hold);
    return pid;
}

/*
 * Another process is ended with SIGKILL, and reads back `code` (its real status says
 * "killed"); the calling process ends as a process that returns does, its handles
 * closed, without running its atexit handlers (ExitProcess does).
 */
/* Ends another process with `code`; 0 or the error. */
static DWORD terminate(struct process *p, UINT code)
{
    DWORD err = 0;

    pthread_mutex_lock(&watch.lock);
    if (atomic_load(&p->ws.word)) {
        err = ERROR_ACCESS_DENIED; /* as Windows answers for a process that has ended */
    } else {
        p->kill_code = code;
        atomic_store(&p->killed, true);
        if (syscall(SYS_pidfd_send_signal, p->obj.fd, SIGKILL, NULL, 0) != 0 && errno != ESRCH)
            err = winipc__error_from_errno(errno);
    }
    pthread_mutex_unlock(&watch.lock);
    return err;
}

BOOL WINAPI TerminateProcess(HANDLE h, UINT code)
{
    struct winipc__hold hold;
    struct process *p;
    DWORD err;

    if (h == WINIPC__PSEUDO_PROCESS) {
        winipc__close_all();
        _exit((int)code);
    }
    if (!hold_process(h, &hold))
        return FALSE;
    p = process_of(hold.obj);
    if (!(hold.access & PROCESS_TERMINATE)) {
        err = ERROR_ACCESS_DENIED;
    } else if (p->pid == winipc__cached_pid()) {
        winipc__handle_release(&hold);
        winipc__close_all();
        _exit((int)code);
    } else {
        err = terminate(p, code);
    }
    winipc__handle_release(&hold);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

/* Ends the process with `code`: atexit handlers and winipc's last closes run, as
   DLL_PROCESS_DETACH does on Windows. */
void WINAPI ExitProcess(UINT code)
{
    exit((int)code);
}
