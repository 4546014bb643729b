/*
 * winetest.c - the runtime of winipc's wine/test.h and the runner's main.
 *
 *   <file>.run            lists the entries of the cut test file, one a line
 *   <file>.run INDEX NAME runs entry INDEX (after the file's setup) and prints
 *                         "winetest-result PASSED FAILED SKIPPED TODO_PASSED TODO_FAILED"
 *                         and the missing functions it called ("winetest-stubs ...")
 *   <file>.run NAME COMMAND ARGS...
 *                         a child process that a test started by running its own
 *                         program again, as Wine's tests do; runs the file's child
 *                         statement for COMMAND (after the setup) and prints
 *                         "winetest-child PASSED FAILED SKIPPED TODO_PASSED TODO_FAILED",
 *                         which run.sh adds to the entry's figures (the child writes
 *                         to the same log), then exits with its failure count, as a
 *                         Wine test child does
 *
 * Failed checks are printed as "file:line: Test failed: message", the line being
 * the line of Wine's test file. run.sh runs every entry in its own process, under
 * a time limit, so a crash or a hang is reported against its entry.
 */
#include "wine/test.h"
#include "wine/winetest-entries.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

int winetest_debug = 1;
int winetest_interactive = 0;
const char *winetest_platform = "windows";

static atomic_long passed, failed, skipped, todo_passed, todo_failed;
static int main_argc;
static char **main_argv;

static _Thread_local const char *cur_file = "?";
static _Thread_local int cur_line;
static _Thread_local int todo_level, todo_state; /* nesting, and the loop's one pass */
static _Thread_local char context[8][128];
static _Thread_local int context_depth;

void winetest_set_location(const char *file, int line)
{
    cur_file = file;
    cur_line = line;
}

/*
 * Wine's tests are written for Windows, where long is 32 bits: "%ld" and "%lx" print
 * DWORDs and LONGs, "%I64" and "%I" are size prefixes. Rewrite a format for glibc.
 */
static void ms_format(const char *in, char *out, size_t size)
{
    size_t o = 0;

    while (*in && o + 4 < size) {
        if (*in != '%') {
            out[o++] = *in++;
            continue;
        }
        out[o++] = *in++;
        while (*in && strchr("-+ #0123456789.*", *in) && o + 4 < size)
            out[o++] = *in++;
        if (in[0] == 'I' && in[1] == '6' && in[2] == '4')
            out[o++] = 'l', out[o++] = 'l', in += 3;
        else if (in[0] == 'I' && in[1] == '3' && in[2] == '2')
            in += 3;
        else if (in[0] == 'I')
            out[o++] = 'z', in++;
        else if (in[0] == 'l' && in[1] == 'l')
            out[o++] = 'l', out[o++] = 'l', in += 2;
        else if (in[0] == 'l' && in[1] && strchr("diouxX", in[1]))
            in++; /* a 32-bit long */
        else if (in[0] == 'w' || (in[0] == 'l' && (in[1] == 's' || in[1] == 'c')))
            out[o++] = 'l', in++; /* wide string or char: WCHAR is wchar_t here */
        if (*in == 'S' || *in == 'C')
            out[o++] = 'l', out[o++] = (char)(*in == 'S' ? 's' : 'c'), in++;
        else if (*in)
            out[o++] = *in++;
    }
    out[o] = '\0';
}

static void vprint(FILE *f, const char *prefix, const char *msg, va_list ap)
{
    char fmt[1024], text[4096];
    int n = 0;

    ms_format(msg, fmt, sizeof fmt);
    for (int i = 0; i < context_depth && i < 8; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "%s: ", context[i]);
    vsnprintf(text + n, sizeof text - (size_t)n, fmt, ap);
    n = (int)strlen(text);
    fprintf(f, "%s:%d: %s%s%s", cur_file, cur_line, prefix, text,
            n && text[n - 1] == '\n' ? "" : "\n");
    fflush(f);
}

int winetest_vok(int condition, const char *msg, va_list ap)
{
    if (condition) {
        atomic_fetch_add(&passed, 1);
        if (todo_level)
            atomic_fetch_add(&todo_passed, 1);
        return 1;
    }
    atomic_fetch_add(&failed, 1);
    if (todo_level)
        atomic_fetch_add(&todo_failed, 1);
    vprint(stdout, todo_level ? "Test failed (todo_wine): " : "Test failed: ", msg, ap);
    return 0;
}

void winetest_ok(int condition, const char *msg, ...)
{
    va_list ap;

    va_start(ap, msg);
    winetest_vok(condition, msg, ap);
    va_end(ap);
}

static void vskip(const char *msg, va_list ap)
{
    atomic_fetch_add(&skipped, 1);
    vprint(stdout, "Tests skipped: ", msg, ap);
}

void winetest_skip(const char *msg, ...)
{
    va_list ap;

    va_start(ap, msg);
    vskip(msg, ap);
    va_end(ap);
}

void winetest_win_skip(const char *msg, ...)
{
    va_list ap;

    va_start(ap, msg);
    vskip(msg, ap);
    va_end(ap);
}

void winetest_trace(const char *msg, ...)
{
    va_list ap;

    if (winetest_debug < 2)
        return;
    va_start(ap, msg);
    vprint(stdout, "", msg, ap);
    va_end(ap);
}

void winetest_push_context(const char *fmt, ...)
{
    char f[256];
    va_list ap;

    if (context_depth < 8) {
        ms_format(fmt, f, sizeof f);
        va_start(ap, fmt);
        vsnprintf(context[context_depth], sizeof context[0], f, ap);
        va_end(ap);
    }
    context_depth++;
}

void winetest_pop_context(void)
{
    if (context_depth)
        context_depth--;
}

void winetest_start_todo(int is_todo)
{
    todo_level += is_todo ? 1 : 0;
    todo_state = is_todo ? 2 : 1; /* remember whether to undo the level */
}

int winetest_loop_todo(void)
{
    int again = todo_state > 0;

    if (todo_state > 0)
        todo_state = -todo_state;
    return again;
}

void winetest_end_todo(void)
{
    if (todo_state == -2 && todo_level)
        todo_level--;
    todo_state = 0;
}

int broken(int condition)
{
    (void)condition;
    return 0;
}

int winetest_get_mainargs(char ***pargv)
{
    *pargv = main_argv;
    return main_argc;
}

LONG winetest_get_failures(void)
{
    return (LONG)atomic_load(&failed);
}

void winetest_add_failures(LONG n)
{
    atomic_fetch_add(&failed, n);
}

/*
 * As Wine's: the child must end within 30 s and must not die of an exception. Its
 * failed checks are not added here (Wine adds its exit code): the child reports them
 * itself, with its passed ones, on its "winetest-child" line.
 */
void winetest_wait_child_process(HANDLE process)
{
    DWORD code = 1;

    if (WaitForSingleObject(process, 30000) != WAIT_OBJECT_0) {
        winetest_ok(0, "child process wait failed\n");
        return;
    }
    GetExitCodeProcess(process, &code);
    winetest_ok(code <= 255, "unhandled exception %08x in child process\n", (unsigned)code);
}

void winetest_subtest(const char *name)
{
    (void)name;
}

void winetest_ignore_exceptions(BOOL ignore)
{
    (void)ignore;
}

/* ---- Debug strings ----------------------------------------------------------------- */

static _Thread_local char ring[8][1024];
static _Thread_local int ring_next;

static char *ring_buffer(void)
{
    return ring[ring_next++ % 8];
}

const char *wine_dbg_sprintf(const char *fmt, ...)
{
    char f[512], *b = ring_buffer();
    va_list ap;

    ms_format(fmt, f, sizeof f);
    va_start(ap, fmt);
    vsnprintf(b, sizeof ring[0], f, ap);
    va_end(ap);
    return b;
}

static const char *dbgstr(const void *s, int n, int wide)
{
    char *b = ring_buffer();
    size_t o = 0;

    if (!s)
        return "(null)";
    if ((uintptr_t)s < 0x10000)
        return wine_dbg_sprintf("#%04x", (unsigned)(uintptr_t)s);
    b[o++] = wide ? 'L' : ' ', b[o++] = '"';
    for (int i = 0; n < 0 || i < n; i++) {
        unsigned long c;
        WCHAR w;

        if (wide)
            memcpy(&w, (const char *)s + (size_t)i * sizeof w, sizeof w), c = (unsigned long)w;
        else
            c = ((const unsigned char *)s)[i];
        if (n < 0 && !c)
            break;
        if (o + 12 >= sizeof ring[0])
            break;
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            b[o++] = (char)c;
        else
            o += (size_t)snprintf(b + o, 12, c > 0xff ? "\\x%04lx" : "\\x%02lx", c);
    }
    b[o++] = '"', b[o] = '\0';
    return b;
}

const char *wine_dbgstr_an(const char *s, int n)
{
    return dbgstr(s, n, 0);
}

const char *wine_dbgstr_wn(const WCHAR *s, int n)
{
    return dbgstr(s, n, 1);
}

const char *wine_dbgstr_longlong(ULONGLONG v)
{
    return v >> 32 ? wine_dbg_sprintf("%x%08x", (unsigned)(v >> 32), (unsigned)v)
                   : wine_dbg_sprintf("%x", (unsigned)v);
}

/* ---- Missing functions ------------------------------------------------------------ */

static const char *stubs[64];
static atomic_int nstubs;

/* Called by every scaffold stub: remembers which missing functions an entry used. */
void winetest_stub_called(const char *name)
{
    int n = atomic_load(&nstubs);

    for (int i = 0; i < n && i < 64; i++)
        if (stubs[i] == name)
            return;
    n = atomic_fetch_add(&nstubs, 1);
    if (n < 64)
        stubs[n] = name;
}

static void print_stubs(const char *what)
{
    printf("%s", what);
    for (int i = 0; i < atomic_load(&nstubs) && i < 64; i++)
        printf(" %s", stubs[i]);
    printf("\n");
}

static void print_counts(const char *what)
{
    printf("%s %ld %ld %ld %ld %ld\n", what, atomic_load(&passed), atomic_load(&failed),
           atomic_load(&skipped), atomic_load(&todo_passed), atomic_load(&todo_failed));
    fflush(stdout);
}

/* A child: "<program> <file> <command> ARGS...", run by a test of the file. */
static int run_child(int argc, char **argv)
{
    const struct winetest_child *c = winetest_children;
    long failures;

    main_argv = argv;
    main_argc = argc;
    setvbuf(stdout, NULL, _IOLBF, 0);
    winetest_setup();
    while (c->command && (argc < 3 || strcmp(c->command, argv[2]) != 0))
        c++;
    if (c->command)
        c->run(argc, argv);
    else
        winetest_ok(0, "no child command %s in selection.txt\n", argc < 3 ? "(none)" : argv[2]);
    fflush(stdout);
    print_stubs("winetest-child-stubs");
    print_counts("winetest-child");
    failures = atomic_load(&failed);
    _exit(failures > 255 ? 255 : (int)failures);
}

int main(int argc, char **argv)
{
    static char *wine_argv[4];
    int n = 0, index;

    while (winetest_entries[n].run)
        n++;
    if (argc < 2) {
        for (int i = 0; i < n; i++)
            printf("%s\n", winetest_entries[i].call);
        return 0;
    }
    if (strspn(argv[1], "0123456789") != strlen(argv[1]))
        return run_child(argc, argv);
    index = atoi(argv[1]);
    if (index < 0 || index >= n)
        return 2;
    /* What a Wine test sees: the program, then the test's name. */
    wine_argv[0] = argv[0];
    wine_argv[1] = argc > 2 ? argv[2] : "test";
    main_argv = wine_argv;
    main_argc = 2;
    setvbuf(stdout, NULL, _IOLBF, 0);
    winetest_setup();
    winetest_entries[index].run();
    fflush(stdout);
    print_stubs("winetest-stubs");
    print_counts("winetest-result");
    _exit(0); /* threads a test left behind must not hold the process */
}
