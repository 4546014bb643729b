/*
 * console.c - <conio.h> (_getch, _getche, _kbhit, ...) and MessageBox, the console
 * calls that programs around shared memory make.
 *
 * _getch on a terminal reads one key as the Windows console delivers it: without
 * waiting for Enter, without echo, Enter as '\r', Backspace as 8, and the cursor and
 * editing keys as two calls (0xE0 or 0, then the Windows scan code). The terminal is
 * put back the way it was before the call returns. A signal that ends the program
 * during the read (Ctrl+C: ISIG stays on, as Windows keeps Ctrl+C a break) first
 * restores the terminal, then takes its default action; a stop (Ctrl+Z) restores it
 * for the shell and reapplies raw mode when the program continues. Signals the
 * program handles itself are left to it.
 *
 * On anything else (a pipe, a file) the calls read stdin's next byte, so tests and
 * scripts can feed keys.
 * Differs from Windows: stdin's file descriptor is read directly, not the console
 * (Windows reads the console even when stdin is redirected), and its end reads as EOF.
 */
#include "internal.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "winipc/conio.h"

/* Keys decoded from an escape sequence wait here for the next call (_ungetch too). */
static pthread_mutex_t keys_lock = PTHREAD_MUTEX_INITIALIZER;
static int pending[8];
static int npending;

/* ---- The terminal in raw mode, with restoring signal handlers -------------------------- */

static struct termios saved;             /* the terminal as it was; valid while raw */
static volatile sig_atomic_t raw_active; /* saved holds the state to restore */
static struct termios raw_state;         /* what raw mode sets, for SIGCONT */
static const int restore_signals[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT};
#define NSIG_RESTORE (sizeof restore_signals / sizeof restore_signals[0])
static struct sigaction previous[NSIG_RESTORE];
static bool installed[NSIG_RESTORE];

/*
 * Restores the terminal, then lets the signal do what it would have done; after a
 * stop, raw mode comes back when the program continues. Async-signal-safe.
 */
static void on_signal(int sig)
{
    int saved_errno = errno;

    if (sig == SIGCONT) {
        if (raw_active)
            tcsetattr(STDIN_FILENO, TCSANOW, &raw_state);
        errno = saved_errno;
        return;
    }
    if (raw_active)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    if (sig == SIGTSTP) {
        sigset_t set;

        signal(SIGTSTP, SIG_DFL);
        sigemptyset(&set);
        sigaddset(&set, SIGTSTP);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        raise(SIGTSTP); /* stops here until SIGCONT */
        struct sigaction sa = {.sa_handler = on_signal};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTSTP, &sa, NULL);
        errno = saved_errno;
        return;
    }
    signal(sig, SIG_DFL);
    raise(sig);
    errno = saved_errno;
}

/* Installs on_signal for the signals whose action is still the default. */
static void install_handlers(void)
{
    struct sigaction sa = {.sa_handler = on_signal};

    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NSIG_RESTORE; i++) {
        struct sigaction cur;

        installed[i] = false;
        if (sigaction(restore_signals[i], NULL, &cur) == 0 && cur.sa_handler == SIG_DFL &&
            !(cur.sa_flags & SA_SIGINFO) && sigaction(restore_signals[i], &sa, &previous[i]) == 0)
            installed[i] = true;
    }
}

static void remove_handlers(void)
{
    for (size_t i = 0; i < NSIG_RESTORE; i++)
        if (installed[i])
            sigaction(restore_signals[i], &previous[i], NULL);
}

/*
 * Puts the terminal back if a _getch has it raw: conctl.c's default action for a
 * control event (the process is about to end by the signal; on_signal is not
 * installed while winipc's control handlers are). Async-signal-safe.
 */
void winipc__tty_restore(void)
{
    if (raw_active)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
}

/* Serialises the terminal calls: one raw read at a time in the process. */
static pthread_mutex_t tty_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Puts the terminal in raw mode (no canonical input, no echo, no CR/LF mapping, one
 * byte at a time); false if stdin is not a terminal. tty_lock held.
 */
static bool raw_begin(void)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) == -1)
        return false;
    raw_state = saved;
    raw_state.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHONL);
    raw_state.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IGNCR);
    raw_state.c_cc[VMIN] = 1;
    raw_state.c_cc[VTIME] = 0;
    install_handlers();
    raw_active = 1;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw_state) == -1) {
        raw_active = 0;
        remove_handlers();
        return false;
    }
    return true;
}

static void raw_end(void)
{
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    raw_active = 0;
    remove_handlers();
}

/* Reads one byte, retrying EINTR; -1 at the end or on an error. */
static int read_byte(void)
{
    unsigned char c;

    for (;;) {
        ssize_t n = read(STDIN_FILENO, &c, 1);

        if (n == 1)
            return c;
        if (n == -1 && errno == EINTR)
            continue;
        return -1;
    }
}

/* The next byte if one arrives within ms milliseconds, else -1. */
static int byte_within(int ms)
{
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    int r;

    do
        r = poll(&p, 1, ms);
    while (r == -1 && errno == EINTR);
    return r > 0 ? read_byte() : -1;
}

/*
 * The Windows key codes of a terminal escape sequence (ESC already read): arrows,
 * Home/End, Insert/Delete, Page Up/Down as 0xE0 then the scan code, F1-F4 as 0 then
 * the scan code. Returns the first code and stores the second in *second (-2: none);
 * a lone Escape (nothing follows within 30 ms) is 27.
 */
static int decode_escape(int *second)
{
    int c = byte_within(30), n = 0, prefix = 0xE0, code = 0;

    *second = -2;
    if (c != '[' && c != 'O') {
        *second = c < 0 ? -2 : c; /* Escape, then an ordinary key */
        return 27;
    }
    c = byte_within(30);
    while (c >= '0' && c <= '9') {
        n = n * 10 + (c - '0');
        c = byte_within(30);
    }
    switch (c) {
    case 'A':
        code = 72; /* up */
        break;
    case 'B':
        code = 80; /* down */
        break;
    case 'C':
        code = 77; /* right */
        break;
    case 'D':
        code = 75; /* left */
        break;
    case 'H':
        code = 71; /* home */
        break;
    case 'F':
        code = 79; /* end */
        break;
    case 'P':
    case 'Q':
    case 'R':
    case 'S':
        code = 59 + (c - 'P'), prefix = 0; /* F1-F4 */
        break;
    case '~': /* ESC [ n ~: home, insert, delete, end, page up, page down */
        code = n == 1 || n == 7   ? 71
               : n == 2           ? 82
               : n == 3           ? 83
               : n == 4 || n == 8 ? 79
               : n == 5           ? 73
               : n == 6           ? 81
                                  : 0;
        break;
    default:
        break;
    }
    if (!code)
        return 27;
    *second = code;
    return prefix;
}

/* Takes a pending key; -2 when there is none. */
static int take_pending(void)
{
    int c = -2;

    pthread_mutex_lock(&keys_lock);
    if (npending) {
        c = pending[0];
        memmove(pending, pending + 1, (size_t)--npending * sizeof *pending);
    }
    pthread_mutex_unlock(&keys_lock);
    return c;
}

static bool has_pending(void)
{
    bool r;

    pthread_mutex_lock(&keys_lock);
    r = npending > 0;
    pthread_mutex_unlock(&keys_lock);
    return r;
}

/* Queues a key for the next call; false when the queue is full. */
static bool push_pending(int c)
{
    bool ok;

    pthread_mutex_lock(&keys_lock);
    ok = npending < (int)(sizeof pending / sizeof pending[0]);
    if (ok)
        pending[npending++] = c;
    pthread_mutex_unlock(&keys_lock);
    return ok;
}

/*
 * Reads one key: from the pending queue, else raw from the terminal (restored before
 * returning), else the next byte of stdin. EOF at the end of a non-terminal stdin.
 */
int _getch(void)
{
    int c = take_pending(), second;

    if (c != -2)
        return c;
    pthread_mutex_lock(&tty_lock);
    if (!raw_begin()) {
        pthread_mutex_unlock(&tty_lock);
        c = read_byte();
        return c < 0 ? EOF : c;
    }
    c = read_byte();
    if (c == 27) {
        c = decode_escape(&second);
        if (second != -2)
            push_pending(second);
    } else if (c == 127) {
        c = 8; /* Backspace, as the Windows console reports it */
    }
    raw_end();
    pthread_mutex_unlock(&tty_lock);
    return c < 0 ? EOF : c;
}

/* _getch, echoing the character (not the 0/0xE0 prefix of a special key) to stdout. */
int _getche(void)
{
    int c = _getch();

    if (c != EOF && c != 0 && c != 0xE0) {
        fputc(c, stdout);
        fflush(stdout);
    }
    return c;
}

/* Bytes that can be read from stdin now (FIONREAD; 0 at its end). */
static int available(void)
{
    int n = 0;

    return ioctl(STDIN_FILENO, FIONREAD, &n) == 0 && n > 0;
}

/* Whether a key is waiting: a pending one, or input that a read would return now. */
int _kbhit(void)
{
    int r;

    pthread_mutex_lock(&keys_lock);
    r = npending > 0;
    pthread_mutex_unlock(&keys_lock);
    if (r)
        return 1;
    pthread_mutex_lock(&tty_lock);
    if (raw_begin()) { /* a canonical terminal only counts finished lines */
        r = available();
        raw_end();
    } else {
        r = available();
    }
    pthread_mutex_unlock(&tty_lock);
    return r;
}

/* Pushes c back for the next _getch; EOF if it cannot. */
int _ungetch(int c)
{
    if (c == EOF)
        return EOF;
    pthread_mutex_lock(&keys_lock);
    if (npending == (int)(sizeof pending / sizeof pending[0])) {
        pthread_mutex_unlock(&keys_lock);
        return EOF;
    }
    memmove(pending + 1, pending, (size_t)npending * sizeof *pending);
    pending[0] = c;
    npending++;
    pthread_mutex_unlock(&keys_lock);
    return c;
}

/* _putch and _cputs write to stdout (the console on Windows), flushed. */
int _putch(int c)
{
    int r = fputc(c, stdout);

    fflush(stdout);
    return r == EOF ? EOF : (int)(unsigned char)c;
}

int _cputs(const char *s)
{
    int r = s && fputs(s, stdout) >= 0 ? 0 : -1;

    fflush(stdout);
    return r;
}

/* The wide forms: one character, decoded from UTF-8 when stdin is not a terminal too. */
wint_t _getwch(void)
{
    unsigned char buf[4];
    int c = _getch(), need;
    wchar_t w;

    if (c == EOF)
        return WEOF;
    if (c < 0xC0 || ((c == 0 || c == 0xE0) && has_pending())) /* ASCII, or a key prefix */
        return (wint_t)c;
    need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    buf[0] = (unsigned char)c;
    for (int i = 1; i < need; i++) {
        int d = _getch();

        if (d == EOF)
            return WEOF;
        buf[i] = (unsigned char)d;
    }
    if (MultiByteToWideChar(CP_UTF8, 0, (const char *)buf, need, &w, 1) != 1)
        return 0xFFFD;
    return (wint_t)w;
}

wint_t _getwche(void)
{
    wint_t c = _getwch();

    if (c != WEOF && c != 0 && c != 0xE0)
        _putwch((wchar_t)c);
    return c;
}

wint_t _putwch(wchar_t c)
{
    char buf[8];
    int n = WideCharToMultiByte(CP_UTF8, 0, &c, 1, buf, sizeof buf, NULL, NULL);

    if (n <= 0 || fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
        return WEOF;
    fflush(stdout);
    return (wint_t)c;
}

/* ---- MessageBox ------------------------------------------------------------------------ */

/*
 * The answer of a box that nobody clicks: its default button (MB_DEFBUTTONn of the
 * buttons of its MB_* type), as if Enter had been pressed.
 */
static int default_button(UINT type)
{
    static const int buttons[][3] = {
        [MB_OK] = {IDOK},
        [MB_OKCANCEL] = {IDOK, IDCANCEL},
        [MB_ABORTRETRYIGNORE] = {IDABORT, IDRETRY, IDIGNORE},
        [MB_YESNOCANCEL] = {IDYES, IDNO, IDCANCEL},
        [MB_YESNO] = {IDYES, IDNO},
        [MB_RETRYCANCEL] = {IDRETRY, IDCANCEL},
        [MB_CANCELTRYCONTINUE] = {IDCANCEL, IDTRYAGAIN, IDCONTINUE},
    };
    UINT kind = type & MB_TYPEMASK, def = (type & MB_DEFMASK) >> 8;

    if (kind >= sizeof buttons / sizeof buttons[0])
        return IDOK;
    if (def > 2 || !buttons[kind][def])
        def = 0;
    return buttons[kind][def];
}

static int message_box(const char *text, const char *caption, UINT type)
{
    fflush(stdout);
    fprintf(stderr, "%s: %s\n", caption ? caption : "Error", text ? text : "");
    fflush(stderr);
    return default_button(type);
}

int WINAPI MessageBoxA(HWND owner, LPCSTR text, LPCSTR caption, UINT type)
{
    (void)owner;
    return message_box(text, caption, type);
}

int WINAPI MessageBoxW(HWND owner, LPCWSTR text, LPCWSTR caption, UINT type)
{
    char *t = text ? winipc__utf8_from_w(text) : NULL,
         *c = caption ? winipc__utf8_from_w(caption) : NULL;
    int r;

    (void)owner;
    if ((text && !t) || (caption && !c)) {
        free(t);
        free(c);
        return winipc__fail(0, ERROR_NOT_ENOUGH_MEMORY);
    }
    r = message_box(t, c, type);
    free(t);
    free(c);
    return r;
}
