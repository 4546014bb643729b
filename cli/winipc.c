/*
 * cli/winipc.c - the winipc command: see and manage the live named objects.
 *
 *   winipc ls [--all] [--json]      every named object this user can see
 *   winipc info [--json] NAME       one object in full
 *   winipc rm [--force] NAME        remove a name (refused while held, unless --force)
 *   winipc sweep                    remove the leftovers of crashed processes
 *   winipc wait [--release] NAME [MS]  wait for an event, mutex, semaphore or timer
 *   winipc set NAME | reset NAME    SetEvent, ResetEvent
 *   winipc release NAME [N]         ReleaseSemaphore(N), or ReleaseMutex
 *
 * Exit status: 0 done (signalled), 1 timeout, 2 abandoned, 3 not found, 4 other
 * error, 5 in use (rm without --force), 6 usage. man/winipc.1 documents them.
 *
 * wait, set, reset and release go through the Win32 API, with Windows semantics. The
 * rest reads the namespace files (objects.c).
 */
#include "winipc.h"

#include "errors.h"
#include "objects.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

enum exit_code {
    EXIT_DONE = 0,
    EXIT_TIMEOUT = 1,
    EXIT_ABANDONED = 2,
    EXIT_NOT_FOUND = 3,
    EXIT_ERROR = 4,
    EXIT_IN_USE = 5,
    EXIT_USAGE = 6,
};

/*
 * The library sweeps leftovers of crashed processes when a process starts; the
 * command must not, or `winipc ls` could never show them (object.c looks for this).
 */
const int winipc__no_start_sweep = 1;

static const char *program = "winipc";

static void usage(FILE *f)
{
    fprintf(f, "usage: winipc ls [--all] [--json]\n"
               "       winipc info [--json] NAME\n"
               "       winipc rm [--force] NAME\n"
               "       winipc sweep\n"
               "       winipc wait [--release] NAME [MILLISECONDS|INFINITE]\n"
               "       winipc set NAME\n"
               "       winipc reset NAME\n"
               "       winipc release NAME [COUNT]\n"
               "NAME is spelled as a program passes it: x, Local\\x or Global\\x.\n"
               "Exit status: 0 done, 1 timeout, 2 abandoned, 3 not found, 4 error,\n"
               "5 in use, 6 usage. See winipc(1).\n");
}

/* Reports a Win32 error about `what` and returns the exit code for it. */
static int report(unsigned code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int report(unsigned code, const char *fmt, ...)
{
    char text[256];
    va_list ap;

    fprintf(stderr, "%s: ", program);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, ": %s\n", cli_error_text(code, text, sizeof text));
    return code == ERROR_FILE_NOT_FOUND ? EXIT_NOT_FOUND : EXIT_ERROR;
}

/* ---- Text for people and for JSON --------------------------------------------------- */

/* Length of the UTF-8 sequence starting at s (1 for an invalid byte), or 0 at the end. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n = s[0] < 0x80             ? 1
               : (s[0] & 0xE0) == 0xC0 ? 2
               : (s[0] & 0xF0) == 0xE0 ? 3
               : (s[0] & 0xF8) == 0xF0 ? 4
                                       : 0;

    if (!s[0])
        return 0;
    if (n == 0 || (n == 2 && s[0] < 0xC2))
        return 1; /* invalid lead byte: shown escaped */
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

/*
 * A name as a terminal may show it: valid UTF-8 as it is, control characters and
 * invalid bytes as \xNN, at most `cols` characters, cut with "…" when longer.
 */
static void for_terminal(const char *in, char *out, size_t size, size_t cols)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t n = 0, shown = 0, total = 0;

    for (const unsigned char *p = s; *p; p += utf8_len(p)) /* characters, as shown */
        total += (*p < 0x20 || *p == 0x7F || (utf8_len(p) == 1 && *p >= 0x80)) ? 4 : 1;
    while (*s && n + 8 < size) {
        size_t len = utf8_len(s);
        bool escape = *s < 0x20 || *s == 0x7F || (len == 1 && *s >= 0x80);
        size_t w = escape ? 4 : 1;

        if (total > cols && shown + w > cols - 1) {
            memcpy(out + n, "\xE2\x80\xA6", 3); /* … */
            n += 3;
            break;
        }
        if (escape) {
            n += (size_t)snprintf(out + n, size - n, "\\x%02X", *s);
        } else {
            memcpy(out + n, s, len);
            n += len;
        }
        shown += w;
        s += len;
    }
    out[n] = '\0';
}

/* Characters of a UTF-8 string (for column widths). */
static size_t width_of(const char *s)
{
    size_t w = 0;

    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void json_string(FILE *f, const char *in)
{
    const unsigned char *s = (const unsigned char *)in;

    fputc('"', f);
    while (*s) {
        size_t len = utf8_len(s);

        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if (*s < 0x20 || *s == 0x7F)
            fprintf(f, "\\u%04x", *s);
        else if (len == 1 && *s >= 0x80)
            fputs("\\ufffd", f); /* not UTF-8: JSON cannot carry the byte */
        else
            fwrite(s, 1, len, f);
        s += len;
    }
    fputc('"', f);
}

static const char *user_name(uid_t uid, char *buf, size_t size)
{
    struct passwd *pw = getpwuid(uid);

    if (pw)
        snprintf(buf, size, "%s", pw->pw_name);
    else
        snprintf(buf, size, "%lu", (unsigned long)uid);
    return buf;
}

static const char *age_text(time_t created, char *buf, size_t size)
{
    long long s = (long long)(time(NULL) - created);

    if (s < 0)
        s = 0;
    if (s < 120)
        snprintf(buf, size, "%llds", s);
    else if (s < 7200)
        snprintf(buf, size, "%lldm", s / 60);
    else if (s < 172800)
        snprintf(buf, size, "%lldh", s / 3600);
    else
        snprintf(buf, size, "%lldd", s / 86400);
    return buf;
}

static const char *protect_text(uint32_t protect)
{
    switch (protect & 0xFF) {
    case PAGE_READONLY:
        return "read-only";
    case PAGE_READWRITE:
        return "read-write";
    case PAGE_WRITECOPY:
        return "copy-on-write";
    case PAGE_EXECUTE_READ:
        return "execute-read";
    case PAGE_EXECUTE_READWRITE:
        return "execute-read-write";
    case PAGE_EXECUTE_WRITECOPY:
        return "execute-copy-on-write";
    default:
        return "?";
    }
}

/* The kind's state in words. */
static const char *state_text(const struct cli_object *o, char *buf, size_t size)
{
    if (!o->valid) {
        snprintf(buf, size, "(%s)", o->problem ? o->problem : "unreadable");
        return buf;
    }
    switch (o->kind) {
    case CLI_SECTION:
        snprintf(buf, size, "%llu bytes, %s%s%s", (unsigned long long)o->state.section.size,
                 protect_text(o->state.section.protect),
                 o->state.section.file_backed ? ", file " : "",
                 o->state.section.file_backed ? o->state.section.file : "");
        break;
    case CLI_MUTEX:
        if (!o->state.mutex.owner_tid)
            snprintf(buf, size, o->state.mutex.abandoned ? "free, abandoned" : "free");
        else if (o->state.mutex.owner_gone)
            snprintf(buf, size, "abandoned (owner thread %u is gone)",
                     (unsigned)o->state.mutex.owner_tid);
        else
            snprintf(buf, size, "owned by pid %d tid %u, recursion %u",
                     (int)o->state.mutex.owner_pid, (unsigned)o->state.mutex.owner_tid,
                     (unsigned)o->state.mutex.recursion);
        break;
    case CLI_EVENT:
        snprintf(buf, size, "%s, %s", o->state.event.signalled ? "signalled" : "not signalled",
                 o->state.event.manual_reset ? "manual-reset" : "auto-reset");
        break;
    case CLI_SEMAPHORE:
        snprintf(buf, size, "count %u of %d", (unsigned)o->state.semaphore.count,
                 (int)o->state.semaphore.maximum);
        break;
    case CLI_TIMER: {
        int n =
            snprintf(buf, size, "%s, %s", o->state.timer.signalled ? "signalled" : "not signalled",
                     o->state.timer.manual_reset ? "manual-reset" : "synchronization");

        if (n > 0 && (size_t)n < size && o->state.timer.active)
            n += snprintf(buf + n, size - (size_t)n, ", due in %lld ms",
                          (long long)(o->state.timer.due_in_ms > 0 ? o->state.timer.due_in_ms : 0));
        if (n > 0 && (size_t)n < size && o->state.timer.period_ms)
            snprintf(buf + n, size - (size_t)n, ", period %lld ms",
                     (long long)o->state.timer.period_ms);
        break;
    }
    default:
        snprintf(buf, size, "kind %u", o->kind);
        break;
    }
    return buf;
}

static const char *holders_text(const struct cli_object *o, char *buf, size_t size)
{
    size_t n = 0;

    buf[0] = '\0';
    if (o->leftover) {
        snprintf(buf, size, "none: leftover");
        return buf;
    }
    for (unsigned i = 0; i < o->nholders && n + 16 < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%d", i ? "," : "", (int)o->holders[i]);
    if (o->holds > o->nholders && n + 24 < size)
        snprintf(buf + n, size - n, "%s%u not visible", n ? " +" : "", o->holds - o->nholders);
    else if (!o->holds)
        snprintf(buf, size, "none (being opened)");
    return buf;
}

/* The Win32 spelling of an object's name: "Global\x", or "Local\x". */
static void win32_name(const struct cli_object *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s\\%s", cli_namespace_name(o), o->name);
}

/* ---- ls and info -------------------------------------------------------------------- */

static void json_object(FILE *f, const struct cli_object *o, const char *indent)
{
    char user[64], state[2300];

    fprintf(f, "%s{\"namespace\": \"%s\", \"name\": ", indent, cli_namespace_name(o));
    json_string(f, o->name);
    fprintf(f, ", \"name_truncated\": %s, \"kind\": \"%s\", \"kind_number\": %u",
            o->name_truncated ? "true" : "false", cli_kind_name(o->kind), o->kind);
    fprintf(f, ", \"path\": ");
    json_string(f, o->path);
    fprintf(f, ", \"uid\": %lu, \"user\": ", (unsigned long)o->uid);
    json_string(f, user_name(o->uid, user, sizeof user));
    fprintf(f, ", \"mode\": \"%04o\", \"valid\": %s, \"problem\": ", (unsigned)o->mode,
            o->valid ? "true" : "false");
    if (o->problem)
        json_string(f, o->problem);
    else
        fputs("null", f);
    fprintf(f, ",\n%s \"created\": %lld, \"age_seconds\": %lld, \"creator_pid\": %u", indent,
            (long long)o->created, (long long)(time(NULL) - o->created), o->creator_pid);
    fprintf(f, ", \"file_size\": %llu, \"state\": ", (unsigned long long)o->file_size);
    if (!o->valid) {
        fputs("null", f);
    } else if (o->kind == CLI_SECTION) {
        fprintf(f, "{\"size\": %llu, \"protect\": %u, \"file_backed\": %s, \"file\": ",
                (unsigned long long)o->state.section.size, o->state.section.protect,
                o->state.section.file_backed ? "true" : "false");
        json_string(f, o->state.section.file);
        fputc('}', f);
    } else if (o->kind == CLI_MUTEX) {
        fprintf(f, "{\"owner_tid\": %u, \"owner_pid\": %d, \"recursion\": %u, \"abandoned\": %s}",
                o->state.mutex.owner_tid, (int)o->state.mutex.owner_pid, o->state.mutex.recursion,
                o->state.mutex.abandoned || o->state.mutex.owner_gone ? "true" : "false");
    } else if (o->kind == CLI_EVENT) {
        fprintf(f, "{\"signalled\": %s, \"manual_reset\": %s}",
                o->state.event.signalled ? "true" : "false",
                o->state.event.manual_reset ? "true" : "false");
    } else if (o->kind == CLI_SEMAPHORE) {
        fprintf(f, "{\"count\": %u, \"maximum\": %d}", o->state.semaphore.count,
                (int)o->state.semaphore.maximum);
    } else if (o->kind == CLI_TIMER) {
        fprintf(f, "{\"signalled\": %s, \"manual_reset\": %s, \"active\": %s",
                o->state.timer.signalled ? "true" : "false",
                o->state.timer.manual_reset ? "true" : "false",
                o->state.timer.active ? "true" : "false");
        if (o->state.timer.active)
            fprintf(f, ", \"due_in_ms\": %lld", (long long)o->state.timer.due_in_ms);
        fprintf(f, ", \"period_ms\": %lld}", (long long)o->state.timer.period_ms);
    } else {
        fputs("{}", f);
    }
    fputs(", \"state_text\": ", f);
    json_string(f, state_text(o, state, sizeof state));
    fprintf(f, ",\n%s \"holders\": [", indent);
    for (unsigned i = 0; i < o->nholders; i++)
        fprintf(f, "%s%d", i ? ", " : "", (int)o->holders[i]);
    fprintf(f, "], \"holder_count\": %u, \"locks\": %u, \"leftover\": %s}", o->holds, o->locks,
            o->leftover ? "true" : "false");
}

static size_t terminal_width(void)
{
    struct winsize ws;
    const char *columns = getenv("COLUMNS");

    if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    if (columns && atoi(columns) > 0)
        return (size_t)atoi(columns);
    return 0; /* not a terminal: nothing is cut */
}

static int by_namespace_and_name(const void *a, const void *b)
{
    const struct cli_object *x = a, *y = b;

    if (x->global != y->global)
        return x->global ? 1 : -1;
    if (x->ns_uid != y->ns_uid)
        return x->ns_uid < y->ns_uid ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int cmd_ls(bool all, bool json)
{
    struct cli_object *objs;
    size_t n, width = terminal_width();
    size_t w_ns = 2, w_kind = 4, w_state = 5, w_holders = 7, w_name;
    char buf[4][2400], name[4 * 4096 + 8];
    int err = cli_list(all, &objs, &n);

    if (err)
        return report(cli_error_from_errno(err), "cannot list the namespaces");
    qsort(objs, n, sizeof *objs, by_namespace_and_name);
    if (json) {
        printf("[");
        for (size_t i = 0; i < n; i++) {
            printf(i ? ",\n" : "\n");
            json_object(stdout, &objs[i], " ");
        }
        printf("%s]\n", n ? "\n" : "");
        free(objs);
        return EXIT_DONE;
    }
    if (!n) {
        printf("no named objects\n");
        free(objs);
        return EXIT_DONE;
    }
    for (size_t i = 0; i < n; i++) {
        char ns[96];
        size_t w;

        if (all && !objs[i].global)
            snprintf(ns, sizeof ns, "Local(%s)", user_name(objs[i].ns_uid, buf[0], 64));
        else
            snprintf(ns, sizeof ns, "%s", cli_namespace_name(&objs[i]));
        w_ns = width_of(ns) > w_ns ? width_of(ns) : w_ns;
        w_kind = strlen(cli_kind_name(objs[i].kind)) > w_kind ? strlen(cli_kind_name(objs[i].kind))
                                                              : w_kind;
        w = width_of(state_text(&objs[i], buf[1], sizeof buf[1]));
        w_state = w > w_state ? w : w_state;
        w = strlen(holders_text(&objs[i], buf[2], sizeof buf[2]));
        w_holders = w > w_holders ? w : w_holders;
    }
    if (width) { /* cap the other columns so that a name keeps room */
        w_state = w_state > 40 ? 40 : w_state;
        w_holders = w_holders > 24 ? 24 : w_holders;
    }
    /* NS  KIND  NAME  STATE  HOLDERS  AGE: the name gets what is left */
    w_name = width ? (width > w_ns + w_kind + w_state + w_holders + 5 + 10 + 12
                          ? width - (w_ns + w_kind + w_state + w_holders + 5 + 10)
                          : 12)
                   : 0;
    if (!width) {
        for (size_t i = 0; i < n; i++) {
            for_terminal(objs[i].name, name, sizeof name, SIZE_MAX);
            w_name = width_of(name) > w_name ? width_of(name) : w_name;
        }
    }
    printf("%-*s %-*s %-*s %-*s %-*s %s\n", (int)w_ns, "NS", (int)w_kind, "KIND", (int)w_name,
           "NAME", (int)w_state, "STATE", (int)w_holders, "HOLDERS", "AGE");
    for (size_t i = 0; i < n; i++) {
        const struct cli_object *o = &objs[i];
        char ns[96], state[256], holders[128];

        if (all && !o->global)
            snprintf(ns, sizeof ns, "Local(%s)", user_name(o->ns_uid, buf[0], 64));
        else
            snprintf(ns, sizeof ns, "%s", cli_namespace_name(o));
        for_terminal(o->name, name, sizeof name, w_name ? w_name : SIZE_MAX);
        if (o->name_truncated && width_of(name) < w_name)
            strcat(name, "\xE2\x80\xA6");
        for_terminal(state_text(o, buf[1], sizeof buf[1]), state, sizeof state, w_state);
        for_terminal(holders_text(o, buf[2], sizeof buf[2]), holders, sizeof holders, w_holders);
        printf("%s%*s %-*s %s%*s %s%*s %s%*s %s\n", ns, (int)(w_ns - width_of(ns)), "", (int)w_kind,
               cli_kind_name(o->kind), name, (int)(w_name - width_of(name)), "", state,
               (int)(w_state - width_of(state)), "", holders, (int)(w_holders - width_of(holders)),
               "", age_text(o->created, buf[3], sizeof buf[3]));
    }
    free(objs);
    return EXIT_DONE;
}

static int cmd_info(const char *arg, bool json)
{
    struct cli_object *o = calloc(1, sizeof *o);
    char name[4 * 4200 + 8], text[4200], user[64], age[32];
    unsigned err;

    if (!o)
        return report(ERROR_NOT_ENOUGH_MEMORY, "info");
    err = cli_find(arg, o);
    if (err) {
        free(o);
        return report(err, "%s", arg);
    }
    if (json) {
        json_object(stdout, o, "");
        printf("\n");
        free(o);
        return EXIT_DONE;
    }
    win32_name(o, text, sizeof text);
    for_terminal(text, name, sizeof name, SIZE_MAX);
    printf("name:      %s%s\n", name, o->name_truncated ? "\xE2\x80\xA6 (longer than shown)" : "");
    printf("kind:      %s\n", o->valid ? cli_kind_name(o->kind) : "?");
    printf("state:     %s\n", state_text(o, text, sizeof text));
    if (o->valid && o->kind == CLI_MUTEX && o->state.mutex.owner_gone)
        printf("           the next wait gets WAIT_ABANDONED\n");
    printf("holders:   %s (%u holder lock%s)\n", holders_text(o, text, sizeof text), o->holds,
           o->holds == 1 ? "" : "s");
    printf("leftover:  %s\n",
           o->leftover ? "yes: its holders crashed; the next open of the name or a sweep "
                         "removes it"
                       : "no");
    printf("file:      %s (%llu bytes, owner %s, mode %04o)\n", o->path,
           (unsigned long long)o->file_size, user_name(o->uid, user, sizeof user),
           (unsigned)o->mode);
    if (o->valid)
        printf("created:   %s ago by pid %u (uid %u)\n", age_text(o->created, age, sizeof age),
               o->creator_pid, o->creator_uid);
    free(o);
    return EXIT_DONE;
}

/* ---- rm and sweep ------------------------------------------------------------------- */

static int cmd_rm(const char *arg, bool force)
{
    struct cli_object *o = calloc(1, sizeof *o);
    char text[256];
    unsigned err;
    int r;

    if (!o)
        return report(ERROR_NOT_ENOUGH_MEMORY, "rm");
    err = cli_find(arg, o);
    if (err) {
        free(o);
        return report(err, "%s", arg);
    }
    if (o->holds && !force) {
        fprintf(stderr,
                "%s: %s is in use, held by %s; not removed (--force removes the name "
                "anyway)\n",
                program, arg, holders_text(o, text, sizeof text));
        free(o);
        return EXIT_IN_USE;
    }
    r = cli_remove(o, force);
    if (r == EBUSY && !force) {
        fprintf(stderr, "%s: %s is in use; not removed\n", program, arg);
        free(o);
        return EXIT_IN_USE;
    }
    if (r) {
        free(o);
        return report(cli_error_from_errno(r), "%s", arg);
    }
    if (o->holds)
        printf("removed %s; its holders (%s) keep the object without its name\n", arg,
               holders_text(o, text, sizeof text));
    else
        printf("removed %s\n", arg);
    free(o);
    return EXIT_DONE;
}

static int cmd_sweep(void)
{
    struct cli_object *objs;
    size_t n, removed = 0;
    char name[4200], shown[4 * 4200 + 8];
    int err = cli_list(false, &objs, &n);

    if (err)
        return report(cli_error_from_errno(err), "cannot list the namespaces");
    for (size_t i = 0; i < n; i++) {
        if (!objs[i].leftover || !cli_sweep_one(&objs[i]))
            continue;
        win32_name(&objs[i], name, sizeof name);
        for_terminal(name, shown, sizeof shown, SIZE_MAX);
        printf("removed %s (%s, left by crashed processes)\n", shown,
               objs[i].valid ? cli_kind_name(objs[i].kind) : "not a valid object");
        removed++;
    }
    printf("%zu leftover%s removed\n", removed, removed == 1 ? "" : "s");
    free(objs);
    return EXIT_DONE;
}

/* ---- wait, set, reset, release: the Win32 API ----------------------------------------- */

enum waitable { W_EVENT, W_MUTEX, W_SEMAPHORE, W_TIMER };

/* Opens a waitable object of any kind by name: the kinds are tried in turn (a wrong
   kind fails with ERROR_INVALID_HANDLE and changes nothing). */
static HANDLE open_waitable(const char *name, enum waitable *kind)
{
    HANDLE h = OpenEventA(SYNCHRONIZE | EVENT_MODIFY_STATE, FALSE, name);

    *kind = W_EVENT;
    if (!h && GetLastError() == ERROR_INVALID_HANDLE) {
        h = OpenMutexA(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, name);
        *kind = W_MUTEX;
    }
    if (!h && GetLastError() == ERROR_INVALID_HANDLE) {
        h = OpenSemaphoreA(SYNCHRONIZE | SEMAPHORE_MODIFY_STATE, FALSE, name);
        *kind = W_SEMAPHORE;
    }
    if (!h && GetLastError() == ERROR_INVALID_HANDLE) {
        h = OpenWaitableTimerA(SYNCHRONIZE, FALSE, name);
        *kind = W_TIMER;
    }
    return h;
}

static bool parse_number(const char *s, unsigned long max, unsigned long *out)
{
    char *end;

    errno = 0;
    if (!*s || *s == '-')
        return false;
    *out = strtoul(s, &end, 10);
    return !*end && errno == 0 && *out <= max;
}

static int cmd_wait(const char *name, const char *timeout, bool release)
{
    unsigned long ms = INFINITE;
    enum waitable kind;
    HANDLE h;
    DWORD r;
    int code;

    if (timeout && strcmp(timeout, "INFINITE") != 0 && strcmp(timeout, "infinite") != 0 &&
        !parse_number(timeout, 0xFFFFFFFFul, &ms)) {
        fprintf(stderr, "%s: bad time limit %s (milliseconds, or INFINITE)\n", program, timeout);
        return EXIT_USAGE;
    }
    h = open_waitable(name, &kind);
    if (!h)
        return GetLastError() == ERROR_INVALID_HANDLE
                   ? report(ERROR_INVALID_HANDLE, "%s is not an event, mutex, semaphore or timer",
                            name)
                   : report(GetLastError(), "%s", name);
    r = WaitForSingleObject(h, (DWORD)ms);
    switch (r) {
    case WAIT_OBJECT_0:
        code = EXIT_DONE;
        break;
    case WAIT_ABANDONED:
        fprintf(stderr, "%s: %s: WAIT_ABANDONED: its owner ended without releasing it\n", program,
                name);
        code = EXIT_ABANDONED;
        break;
    case WAIT_TIMEOUT:
        CloseHandle(h);
        return EXIT_TIMEOUT;
    default:
        code = report(GetLastError(), "WaitForSingleObject(%s)", name);
        CloseHandle(h);
        return code;
    }
    /* Taken. A mutex stays owned by this thread: without --release it is abandoned
       as the command exits, as on Windows when a process ends owning a mutex. */
    if (release && kind == W_MUTEX && !ReleaseMutex(h))
        code = report(GetLastError(), "ReleaseMutex(%s)", name);
    if (release && kind == W_SEMAPHORE && !ReleaseSemaphore(h, 1, NULL))
        code = report(GetLastError(), "ReleaseSemaphore(%s)", name);
    CloseHandle(h);
    return code;
}

static int cmd_set(const char *name, bool set)
{
    HANDLE h = OpenEventA(EVENT_MODIFY_STATE, FALSE, name);
    int code = EXIT_DONE;

    if (!h)
        return GetLastError() == ERROR_INVALID_HANDLE
                   ? report(ERROR_INVALID_HANDLE, "%s is not an event", name)
                   : report(GetLastError(), "%s", name);
    if (!(set ? SetEvent(h) : ResetEvent(h)))
        code = report(GetLastError(), "%s(%s)", set ? "SetEvent" : "ResetEvent", name);
    CloseHandle(h);
    return code;
}

static int cmd_release(const char *name, const char *count_arg)
{
    unsigned long count = 1;
    HANDLE h;
    int code = EXIT_DONE;

    if (count_arg && (!parse_number(count_arg, 0x7FFFFFFFul, &count) || count == 0)) {
        fprintf(stderr, "%s: bad count %s\n", program, count_arg);
        return EXIT_USAGE;
    }
    h = OpenSemaphoreA(SEMAPHORE_MODIFY_STATE, FALSE, name);
    if (h) {
        LONG previous;

        if (!ReleaseSemaphore(h, (LONG)count, &previous))
            code = report(GetLastError(), "ReleaseSemaphore(%s, %lu)", name, count);
        else
            printf("%ld\n", (long)previous);
        CloseHandle(h);
        return code;
    }
    if (GetLastError() != ERROR_INVALID_HANDLE)
        return report(GetLastError(), "%s", name);
    h = OpenMutexA(MUTEX_MODIFY_STATE, FALSE, name);
    if (!h)
        return GetLastError() == ERROR_INVALID_HANDLE
                   ? report(ERROR_INVALID_HANDLE, "%s is not a semaphore or mutex", name)
                   : report(GetLastError(), "%s", name);
    /* Only the owner thread may release a mutex: a new process never owns it. */
    if (!ReleaseMutex(h))
        code = report(GetLastError(),
                      "ReleaseMutex(%s) (only its owner thread may release a "
                      "mutex)",
                      name);
    CloseHandle(h);
    return code;
}

int main(int argc, char **argv)
{
    bool all = false, json = false, force = false, release = false;
    const char *cmd, *args[3] = {NULL, NULL, NULL};
    int nargs = 0;

    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return EXIT_DONE;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("winipc %s\n", winipc_version());
        return EXIT_DONE;
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--all"))
            all = true;
        else if (!strcmp(argv[i], "--json"))
            json = true;
        else if (!strcmp(argv[i], "--force") || !strcmp(argv[i], "-f"))
            force = true;
        else if (!strcmp(argv[i], "--release"))
            release = true;
        else if (!strcmp(argv[i], "--") && i + 1 < argc && nargs < 3)
            args[nargs++] = argv[++i]; /* a name that starts with "-" */
        else if (argv[i][0] == '-' && argv[i][1] && nargs == 0) {
            fprintf(stderr, "%s: unknown option %s\n", program, argv[i]);
            return EXIT_USAGE;
        } else if (nargs < 3)
            args[nargs++] = argv[i];
        else {
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (!strcmp(cmd, "ls") && nargs == 0)
        return cmd_ls(all, json);
    if (!strcmp(cmd, "info") && nargs == 1)
        return cmd_info(args[0], json);
    if (!strcmp(cmd, "rm") && nargs == 1)
        return cmd_rm(args[0], force);
    if (!strcmp(cmd, "sweep") && nargs == 0)
        return cmd_sweep();
    if (!strcmp(cmd, "wait") && (nargs == 1 || nargs == 2))
        return cmd_wait(args[0], args[1], release);
    if (!strcmp(cmd, "set") && nargs == 1)
        return cmd_set(args[0], true);
    if (!strcmp(cmd, "reset") && nargs == 1)
        return cmd_set(args[0], false);
    if (!strcmp(cmd, "release") && (nargs == 1 || nargs == 2))
        return cmd_release(args[0], args[1]);
    usage(stderr);
    return EXIT_USAGE;
}
