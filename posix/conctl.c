/*
 * conctl.c - the console calls around IPC code: control handlers
 * (SetConsoleCtrlHandler, GenerateConsoleCtrlEvent), console modes on a terminal,
 * console code pages, the console title, AllocConsole/FreeConsole/GetConsoleWindow.
 * What each maps to, and what is left out, is in include/winipc/console.h.
 *
 * CONTROL HANDLERS
 *
 * Windows runs control handlers on a new thread that it starts in the process for
 * each event, so a handler may take locks, wait and call anything. A signal handler
 * may do none of that; so winipc's signal handler only writes the signal's number
 * to a pipe (async-signal-safe), and a dispatcher thread, started by the first
 * SetConsoleCtrlHandler and with every signal blocked, reads it and starts a thread
 * for the event, which runs the handlers as Windows does: the last added first,
 * until one returns TRUE. The signal handlers are installed with SA_RESTART, so the
 * thread the kernel picks to take the signal goes on with what it was doing.
 *
 * The default action (no handler returned TRUE; after CTRL_CLOSE_EVENT, always, since
 * Windows ends the process once its handlers return) ends the process by the signal
 * itself with its default disposition: SIGINT for CTRL_C_EVENT and CTRL_BREAK_EVENT
 * (SIGQUIT's default would dump core, and Windows ends the process with
 * STATUS_CONTROL_C_EXIT for both), the original SIGHUP or SIGTERM for
 * CTRL_CLOSE_EVENT. winipc's GetExitCodeProcess reads all three as
 * STATUS_CONTROL_C_EXIT. winipc's objects are closed first (winipc__close_all), as
 * TerminateProcess on the process itself does.
 */
#include "internal.h"
#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* ---- Control handlers ------------------------------------------------------------------ */

static pthread_mutex_t ctrl_lock = PTHREAD_MUTEX_INITIALIZER;
static PHANDLER_ROUTINE *handlers; /* in the order added; ctrl_lock */
static size_t nhandlers, cap_handlers;
static _Atomic bool ignore_ctrl_c; /* SetConsoleCtrlHandler(NULL, TRUE) */
static bool sigint_ignored_for_us; /* SIG_IGN is ours (an inherited "ignore Ctrl+C") */
static bool started;               /* the pipe and the dispatcher exist; ctrl_lock */
static bool atfork_set;            /* ctrl_lock is taken around fork(); ctrl_lock */
static int ctrl_pipe[2] = {-1, -1};
static _Atomic pid_t dispatcher_pid; /* the process whose dispatcher reads the pipe */

static const int ctrl_signals[] = {SIGINT, SIGQUIT, SIGHUP, SIGTERM};
#define NCTRL_SIGNALS (sizeof ctrl_signals / sizeof ctrl_signals[0])

static DWORD event_of(int sig)
{
    return sig == SIGINT ? CTRL_C_EVENT : sig == SIGQUIT ? CTRL_BREAK_EVENT : CTRL_CLOSE_EVENT;
}

/*
 * Async-signal-safe: hands the signal to the dispatcher. A fork() child has no
 * dispatcher (and its pipe is its parent's): there the signal takes its default
 * action, or stays ignored for an inherited "ignore Ctrl+C", until the child sets
 * handlers of its own.
 */
static void on_ctrl_signal(int sig)
{
    int saved = errno;
    unsigned char c = (unsigned char)sig;

    if (getpid() != dispatcher_pid) {
        if (sig != SIGINT || !ignore_ctrl_c) {
            signal(sig, SIG_DFL);
            raise(sig);
        }
        errno = saved;
        return;
    }
    if (write(ctrl_pipe[1], &c, 1) < 0) {
        /* A full pipe: events are already queued; this one is dropped. */
    }
    errno = saved;
}

/* Ends the process by sig with its default disposition (the default handler). */
static void __attribute__((noreturn)) default_action(int sig)
{
    sigset_t set;

    fflush(NULL);
    winipc__tty_restore();
    winipc__close_all();
    signal(sig, SIG_DFL);
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(128 + sig); /* not reached: the signal's default is to end the process */
}

/* The thread of one event: the handlers, last added first, then the default action. */
static void *run_handlers(void *arg)
{
    int sig = (int)(intptr_t)arg;
    DWORD event = event_of(sig);
    PHANDLER_ROUTINE *list = NULL;
    size_t n;
    bool handled = false;

    pthread_mutex_lock(&ctrl_lock);
    n = nhandlers;
    if (n && (list = malloc(n * sizeof *list)))
        memcpy(list, handlers, n * sizeof *list);
    pthread_mutex_unlock(&ctrl_lock);
    for (size_t i = n; list && i-- > 0 && !handled;)
        handled = list[i](event) != FALSE;
    free(list);
    if (!handled || event == CTRL_CLOSE_EVENT)
        default_action(event == CTRL_CLOSE_EVENT ? sig : SIGINT);
    return NULL;
}

/* Reads signals from the pipe and starts a thread for each event. */
static void *dispatcher(void *arg)
{
    (void)arg;
    for (;;) {
        unsigned char c;
        ssize_t r = read(ctrl_pipe[0], &c, 1);
        pthread_attr_t attr;
        pthread_t t;

        if (r < 0 && errno == EINTR)
            continue;
        if (r != 1)
            return NULL;
        if (c == SIGINT && ignore_ctrl_c)
            continue; /* as on Windows, the handlers are not called */
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &attr, run_handlers, (void *)(intptr_t)c) != 0)
            run_handlers((void *)(intptr_t)c); /* no thread: run them here */
        pthread_attr_destroy(&attr);
    }
}

static void ctrl_lock_for_fork(void)
{
    pthread_mutex_lock(&ctrl_lock);
}

static void ctrl_unlock_after_fork(void)
{
    pthread_mutex_unlock(&ctrl_lock);
}

/*
 * The pipe, the dispatcher and the signal handlers, once per process (a fork() child
 * that sets handlers starts its own, without its parent's); ctrl_lock held. A signal the
 * program handles or ignores itself is left to it; a SIGINT that winipc ignores for an
 * inherited "ignore Ctrl+C" is taken over, the ignoring being ours.
 */
static DWORD start_dispatcher(void)
{
    struct sigaction sa = {.sa_handler = on_ctrl_signal, .sa_flags = SA_RESTART};
    sigset_t all, old;
    pthread_t t;
    int err;

    if (started && dispatcher_pid == getpid())
        return 0;
    if (started) { /* a fork() child's copy of its parent's: it starts its own */
        close(ctrl_pipe[0]);
        close(ctrl_pipe[1]);
        nhandlers = 0;
    } else if (!atfork_set) { /* a fork() child must find ctrl_lock free */
        atfork_set =
            pthread_atfork(ctrl_lock_for_fork, ctrl_unlock_after_fork, ctrl_unlock_after_fork) == 0;
    }
    if (winipc__pipe_cloexec(ctrl_pipe) != 0)
        return winipc__error_from_errno(errno);
    fcntl(ctrl_pipe[1], F_SETFL, O_NONBLOCK);
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    err = pthread_create(&t, NULL, dispatcher, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (err) {
        close(ctrl_pipe[0]);
        close(ctrl_pipe[1]);
        ctrl_pipe[0] = ctrl_pipe[1] = -1;
        return winipc__error_from_errno(err);
    }
    pthread_detach(t);
    dispatcher_pid = getpid();
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NCTRL_SIGNALS; i++) {
        struct sigaction cur;

        if (sigaction(ctrl_signals[i], NULL, &cur) != 0 || (cur.sa_flags & SA_SIGINFO))
            continue;
        if (cur.sa_handler == SIG_DFL ||
            (cur.sa_handler == SIG_IGN && ctrl_signals[i] == SIGINT && sigint_ignored_for_us))
            sigaction(ctrl_signals[i], &sa, NULL);
    }
    started = true;
    return 0;
}

/* A winipc parent passed "ignore Ctrl+C" (spawn.c, before main). */
void winipc__ctrl_c_ignore_at_start(void)
{
    struct sigaction cur;

    ignore_ctrl_c = true;
    /* Until handlers are set, the kernel ignores SIGINT for us. */
    if (sigaction(SIGINT, NULL, &cur) == 0 && cur.sa_handler == SIG_DFL &&
        signal(SIGINT, SIG_IGN) != SIG_ERR)
        sigint_ignored_for_us = true;
}

bool winipc__ctrl_c_ignored(void)
{
    return ignore_ctrl_c;
}

/*
 * Adds or removes a handler; with NULL, sets or clears "ignore Ctrl+C". Removing a
 * handler that is not there fails with ERROR_INVALID_PARAMETER, as on Windows.
 */
BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE handler, BOOL add)
{
    DWORD err = 0;

    pthread_mutex_lock(&ctrl_lock);
    if (!handler) {
        ignore_ctrl_c = add != FALSE;
        err = start_dispatcher();
    } else if (add) {
        if (nhandlers == cap_handlers) {
            size_t cap = cap_handlers ? 2 * cap_handlers : 8;
            PHANDLER_ROUTINE *grown = realloc(handlers, cap * sizeof *grown);

            if (grown) {
                handlers = grown;
                cap_handlers = cap;
            }
        }
        if (nhandlers == cap_handlers)
            err = ERROR_NOT_ENOUGH_MEMORY;
        else if (!(err = start_dispatcher()))
            handlers[nhandlers++] = handler;
    } else {
        size_t i = nhandlers;

        while (i > 0 && handlers[i - 1] != handler)
            i--;
        if (!i) {
            err = ERROR_INVALID_PARAMETER;
        } else {
            memmove(handlers + i - 1, handlers + i, (nhandlers - i) * sizeof *handlers);
            nhandlers--;
        }
    }
    pthread_mutex_unlock(&ctrl_lock);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

BOOL WINAPI GenerateConsoleCtrlEvent(DWORD event, DWORD group)
{
    int sig;

    if (event == CTRL_C_EVENT)
        sig = SIGINT;
    else if (event == CTRL_BREAK_EVENT)
        sig = SIGQUIT;
    else
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    if (group > INT32_MAX)
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    if (event == CTRL_C_EVENT && group)
        return TRUE; /* Windows: succeeds, and the group does not receive it */
    if (kill(group ? -(pid_t)group : 0, sig) != 0)
        return winipc__fail(FALSE, errno == ESRCH ? ERROR_INVALID_PARAMETER
                                                  : winipc__error_from_errno(errno));
    return TRUE;
}

/* ---- Console modes ------------------------------------------------------------------- */

/*
 * The terminal of a handle: its descriptor, and whether it is an input handle (opened
 * for reading only). -1 with the last error set when it is not a terminal.
 */
static int terminal_of(HANDLE h, bool *input, struct winipc__hold *hold)
{
    if (!winipc__handle_hold(h, WINIPC__FILE, hold))
        return winipc__fail(-1, ERROR_INVALID_HANDLE);
    if (!isatty(hold->obj->fd)) {
        winipc__handle_release(hold);
        return winipc__fail(-1, ERROR_INVALID_HANDLE);
    }
    *input = !(hold->access & (FILE_WRITE_DATA | FILE_APPEND_DATA | GENERIC_WRITE | GENERIC_ALL));
    return hold->obj->fd;
}

BOOL WINAPI GetConsoleMode(HANDLE h, LPDWORD mode)
{
    struct winipc__hold hold;
    struct termios t;
    bool input;
    int fd;

    if (!mode || winipc__bad_pointer(mode))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if ((fd = terminal_of(h, &input, &hold)) < 0)
        return FALSE;
    if (tcgetattr(fd, &t) != 0) {
        winipc__handle_release(&hold);
        return winipc__fail(FALSE, ERROR_INVALID_HANDLE);
    }
    winipc__handle_release(&hold);
    if (input)
        *mode = (t.c_lflag & ISIG ? ENABLE_PROCESSED_INPUT : 0) |
                (t.c_lflag & ICANON ? ENABLE_LINE_INPUT : 0) |
                (t.c_lflag & ECHO ? ENABLE_ECHO_INPUT : 0);
    else
        *mode = (t.c_oflag & OPOST ? ENABLE_PROCESSED_OUTPUT : 0) | ENABLE_WRAP_AT_EOL_OUTPUT |
                ENABLE_VIRTUAL_TERMINAL_PROCESSING;
    return TRUE;
}

BOOL WINAPI SetConsoleMode(HANDLE h, DWORD mode)
{
    struct winipc__hold hold;
    struct termios t;
    bool input;
    int fd, r;

    if ((fd = terminal_of(h, &input, &hold)) < 0)
        return FALSE;
    if (input ? mode & ~0x3FFu : mode & ~0x1Fu) {
        winipc__handle_release(&hold);
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    }
    r = tcgetattr(fd, &t);
    if (r == 0 && input) {
        t.c_lflag &= ~(tcflag_t)(ISIG | ICANON | ECHO);
        t.c_lflag |= (mode & ENABLE_PROCESSED_INPUT ? ISIG : 0) |
                     (mode & ENABLE_LINE_INPUT ? ICANON : 0) |
                     (mode & ENABLE_ECHO_INPUT ? ECHO : 0);
    } else if (r == 0) {
        t.c_oflag =
            mode & ENABLE_PROCESSED_OUTPUT ? t.c_oflag | OPOST : t.c_oflag & ~(tcflag_t)OPOST;
    }
    if (r == 0)
        r = tcsetattr(fd, TCSANOW, &t);
    winipc__handle_release(&hold);
    return r == 0 ? TRUE : winipc__fail(FALSE, winipc__error_from_errno(errno));
}

/* ---- Code pages ---------------------------------------------------------------------- */

UINT WINAPI GetConsoleCP(void)
{
    return CP_UTF8;
}

UINT WINAPI GetConsoleOutputCP(void)
{
    return CP_UTF8;
}

BOOL WINAPI SetConsoleCP(UINT cp)
{
    return cp == CP_UTF8 ? TRUE : winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
}

BOOL WINAPI SetConsoleOutputCP(UINT cp)
{
    return cp == CP_UTF8 ? TRUE : winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
}

/* ---- The title ------------------------------------------------------------------------- */

static pthread_mutex_t title_lock = PTHREAD_MUTEX_INITIALIZER;
static char *title; /* UTF-8; NULL: not set yet (the startup title) */

/* The title, from GetStartupInfo's lpTitle until one is set; title_lock held. */
static const char *current_title(void)
{
    if (!title) {
        STARTUPINFOA si;

        GetStartupInfoA(&si);
        title = strdup(si.lpTitle ? si.lpTitle : "");
    }
    return title ? title : "";
}

static BOOL set_title(char *utf8)
{
    int fd = isatty(STDOUT_FILENO) ? STDOUT_FILENO : isatty(STDERR_FILENO) ? STDERR_FILENO : -1;

    if (!utf8)
        return winipc__fail(FALSE, ERROR_NOT_ENOUGH_MEMORY);
    pthread_mutex_lock(&title_lock);
    free(title);
    title = utf8;
    if (fd >= 0) {
        char *osc;
        int n;

        /* Control characters would end the sequence early: they are left out. */
        for (char *p = utf8; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7F)
                *p = ' ';
        osc = malloc(strlen(utf8) + 6); /* ESC ] 0 ; title BEL NUL */
        n = osc ? snprintf(osc, strlen(utf8) + 6, "\033]0;%s\007", utf8) : -1;
        if (n > 0) {
            fflush(fd == STDOUT_FILENO ? stdout : stderr);
            if (write(fd, osc, (size_t)n) < 0) {
                /* The title is kept; the terminal just did not show it. */
            }
            free(osc);
        }
    }
    pthread_mutex_unlock(&title_lock);
    return TRUE;
}

BOOL WINAPI SetConsoleTitleA(LPCSTR t)
{
    if (!t || winipc__bad_pointer(t))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    return set_title(strdup(t));
}

BOOL WINAPI SetConsoleTitleW(LPCWSTR t)
{
    if (!t || winipc__bad_pointer(t))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    return set_title(winipc__utf8_from_w(t));
}

DWORD WINAPI GetConsoleTitleA(LPSTR buf, DWORD size)
{
    size_t len;

    if (size && (!buf || winipc__bad_pointer(buf)))
        return winipc__fail(0, ERROR_NOACCESS);
    pthread_mutex_lock(&title_lock);
    len = strlen(current_title());
    if (size) {
        size_t n = len < size ? len : size - 1;

        while (n < len && n > 0 && (current_title()[n] & 0xC0) == 0x80)
            n--; /* not in the middle of a UTF-8 character */
        memcpy(buf, current_title(), n);
        buf[n] = '\0';
    }
    pthread_mutex_unlock(&title_lock);
    return (DWORD)len;
}

DWORD WINAPI GetConsoleTitleW(LPWSTR buf, DWORD size)
{
    WCHAR *w;
    size_t len;

    if (size && (!buf || winipc__bad_pointer(buf)))
        return winipc__fail(0, ERROR_NOACCESS);
    pthread_mutex_lock(&title_lock);
    w = winipc__w_from_utf8_n(current_title(), &len);
    pthread_mutex_unlock(&title_lock);
    if (!w)
        return winipc__fail(0, ERROR_NOT_ENOUGH_MEMORY);
    if (size) {
        size_t n = len < size ? len : size - 1;

        memcpy(buf, w, n * sizeof *w);
        buf[n] = 0;
    }
    free(w);
    return (DWORD)len;
}

/* ---- The console itself ------------------------------------------------------------------ */

static bool has_terminal(void)
{
    return isatty(STDIN_FILENO) || isatty(STDOUT_FILENO) || isatty(STDERR_FILENO);
}

BOOL WINAPI AllocConsole(void)
{
    return winipc__fail(FALSE, has_terminal() ? ERROR_ACCESS_DENIED : ERROR_NOT_SUPPORTED);
}

BOOL WINAPI FreeConsole(void)
{
    return winipc__fail(FALSE, has_terminal() ? ERROR_NOT_SUPPORTED : ERROR_INVALID_PARAMETER);
}

HWND WINAPI GetConsoleWindow(void)
{
    return NULL;
}
