/*
 * trace.c - WINIPC_TRACE: a line for every Win32 call a program makes, with its
 * arguments, result, GetLastError(), thread and duration, on stderr or in
 * WINIPC_TRACE_FILE.
 *
 *   WINIPC_TRACE=1 (or all)          every area
 *   WINIPC_TRACE=sync,map            only these: error handle map file sync thread
 *                                    process security text sys
 *
 * HOW IT COSTS NOTHING WHEN OFF
 *
 * Inside the library every exported function X is named winipc__impl_X (the generated
 * winipc_rename.h, included by internal.h), hidden, and the library's own calls go to
 * it directly. The exported X is defined in the generated winipc_trace_gen.c as a GNU
 * indirect function: when the dynamic linker binds a program's reference to X, it
 * runs X's resolver once, which returns winipc__impl_X when X's area is not traced
 * and a wrapper (also generated) when it is. So with tracing off a program's call
 * jumps through its PLT slot straight into the implementation, exactly as it did
 * before tracing existed: no flag is tested, no extra call made. The environment is
 * read once, at load time: changing WINIPC_TRACE later in the process changes nothing.
 *
 * Resolvers run while the program is being relocated, before the C library is
 * initialised: winipc__trace_wanted calls no function and finds the environment
 * through `environ` when it is set already (static programs, lazy binding) or else
 * through the initial process stack (__libc_stack_end: argc, argv, NULL, envp),
 * which the dynamic linker sets before it relocates anything.
 *
 * Each traced call builds its line on its own stack and writes it with one write(),
 * so lines of concurrent threads and processes (O_APPEND) do not mix.
 */
#include "internal.h"

#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;
#ifdef __GLIBC__
extern void *__libc_stack_end;
#endif

#define STRING_MAX 200 /* bytes of a string argument shown before "..." */

/* ---- Which areas (resolver context: no calls, no TLS) ------------------------------- */

static int trace_mask = -1; /* -1: not read yet */

/* The environment as the process started with it. */
static WINIPC__RESOLVER char **start_environment(void)
{
    char **env = environ;

#ifdef __GLIBC__
    if (!env && __libc_stack_end) {
        long *sp = __libc_stack_end; /* argc, argv[0..argc-1], NULL, envp..., NULL */

        env = (char **)(sp + 1 + sp[0] + 1);
    }
#endif
    return env;
}

/* Whether `s` (of `len` bytes) is the NUL-terminated `word`. */
static WINIPC__RESOLVER bool word_is(const char *s, size_t len, const char *word)
{
    size_t i = 0;

    for (; i < len && word[i]; i++)
        if (s[i] != word[i])
            return false;
    return i == len && !word[i];
}

/* The mask for a WINIPC_TRACE value. */
static WINIPC__RESOLVER unsigned parse_areas(const char *v)
{
    static const char *const names[] = {"error",  "handle",  "map",      "file", "sync",
                                        "thread", "process", "security", "text", "sys"};
    unsigned mask = 0;

    while (*v) {
        size_t len = 0;

        while (v[len] && v[len] != ',' && v[len] != ' ' && v[len] != ':' && v[len] != '+')
            len++;
        if (word_is(v, len, "1") || word_is(v, len, "all") || word_is(v, len, "yes"))
            mask = ~0u;
        for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
            if (word_is(v, len, names[i]))
                mask |= 1u << i;
        v += len;
        if (*v)
            v++;
    }
    return mask;
}

bool winipc__trace_wanted(unsigned area)
{
    int mask = __atomic_load_n(&trace_mask, __ATOMIC_RELAXED);

    if (mask < 0) {
        char **env = start_environment();
        static const char key[] = "WINIPC_TRACE=";

        mask = 0;
        for (; env && *env; env++) {
            const char *e = *env;
            size_t i = 0;

            while (key[i] && e[i] == key[i])
                i++;
            if (!key[i]) {
                mask = (int)(parse_areas(e + i) & 0x7FFFFFFFu);
                break;
            }
        }
        __atomic_store_n(&trace_mask, mask, __ATOMIC_RELAXED);
    }
    return ((unsigned)mask & area) != 0;
}

/* ---- Where lines go --------------------------------------------------------------- */

static int trace_fd = 2;

/*
 * Fixes the choice at load time (with lazy binding a resolver could run later, after
 * the program changed its environment) and opens WINIPC_TRACE_FILE when tracing.
 */
static void __attribute__((constructor)) trace_init(void)
{
    const char *file;

    if (!winipc__trace_wanted(~0u))
        return;
    file = getenv("WINIPC_TRACE_FILE");
    if (file && *file) {
        int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);

        if (fd >= 0)
            trace_fd = fd;
        else
            dprintf(2, "winipc: cannot open WINIPC_TRACE_FILE %s: %s; tracing to stderr\n", file,
                    strerror(errno));
    }
}

/* ---- Building a line ------------------------------------------------------------------ */

static void put(struct winipc__trace_call *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(struct winipc__trace_call *t, const char *fmt, ...)
{
    size_t room = sizeof t->line - t->len;
    va_list ap;
    int n;

    if (room <= 1)
        return;
    va_start(ap, fmt);
    n = vsnprintf(t->line + t->len, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    t->len += (size_t)n < room ? (size_t)n : room - 1;
}

static void put_error(struct winipc__trace_call *t, DWORD code)
{
    const char *name = winipc__error_name(code);

    if (name)
        put(t, "%s (%u)", name, (unsigned)code);
    else
        put(t, "error %u", (unsigned)code);
}

/* One code point as UTF-8, or escaped when it is a control character or a quote. */
static void put_char(struct winipc__trace_call *t, uint32_t c)
{
    char b[5] = {0};

    if (c == '"' || c == '\\')
        put(t, "\\%c", (char)c);
    else if (c < 0x20 || c == 0x7F)
        put(t, "\\x%02x", (unsigned)c);
    else if (c < 0x80)
        put(t, "%c", (char)c);
    else if (c < 0x800)
        b[0] = (char)(0xC0 | (c >> 6)), b[1] = (char)(0x80 | (c & 0x3F)), put(t, "%s", b);
    else if (c < 0x10000)
        b[0] = (char)(0xE0 | (c >> 12)), b[1] = (char)(0x80 | ((c >> 6) & 0x3F)),
        b[2] = (char)(0x80 | (c & 0x3F)), put(t, "%s", b);
    else if (c <= 0x10FFFF)
        b[0] = (char)(0xF0 | (c >> 18)), b[1] = (char)(0x80 | ((c >> 12) & 0x3F)),
        b[2] = (char)(0x80 | ((c >> 6) & 0x3F)), b[3] = (char)(0x80 | (c & 0x3F)), put(t, "%s", b);
    else
        put(t, "\\x{%x}", (unsigned)c);
}

static void put_string(struct winipc__trace_call *t, const void *p, bool wide)
{
    size_t i;

    if (!p) {
        put(t, "NULL");
        return;
    }
    if (winipc__bad_pointer(p)) { /* what the call itself refuses (ERROR_NOACCESS) */
        put(t, "%p", p);
        return;
    }
    put(t, "%s\"", wide ? "L" : "");
    for (i = 0; i < STRING_MAX; i++) {
        uint32_t c = wide ? (uint32_t)((const WCHAR *)p)[i] : ((const unsigned char *)p)[i];

        if (!c)
            break;
        if (!wide && c >= 0x80) /* UTF-8 bytes pass through as they are */
            put(t, "%c", (char)c);
        else
            put_char(t, c);
    }
    put(t, i == STRING_MAX ? "\"..." : "\"");
}

/* An integer of `size` bytes at p, as unsigned. */
static uint64_t load_unsigned(const void *p, size_t size)
{
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;

    switch (size) {
    case 1:
        memcpy(&u8, p, 1);
        return u8;
    case 2:
        memcpy(&u16, p, 2);
        return u16;
    case 4:
        memcpy(&u32, p, 4);
        return u32;
    default:
        memcpy(&u64, p, 8);
        return u64;
    }
}

static int64_t load_signed(const void *p, size_t size)
{
    uint64_t u = load_unsigned(p, size);

    if (size < 8 && (u >> (8 * size - 1)) & 1)
        u |= ~(uint64_t)0 << (8 * size);
    return (int64_t)u;
}

static void put_handle(struct winipc__trace_call *t, HANDLE h)
{
    if (!h)
        put(t, "NULL");
    else if (h == INVALID_HANDLE_VALUE)
        put(t, "INVALID_HANDLE_VALUE");
    else if (h == WINIPC__PSEUDO_THREAD)
        put(t, "GetCurrentThread()");
    else
        put(t, "%#lx", (unsigned long)(uintptr_t)h);
}

void winipc__trace_begin(struct winipc__trace_call *t, const char *fn)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    t->len = 0;
    t->nargs = 0;
    t->start = now;
    put(t, "[winipc %ld:%ld %ld.%06ld] %s(", (long)winipc__cached_pid(), (long)winipc__thread_id(),
        (long)now.tv_sec, now.tv_nsec / 1000, fn);
}

void winipc__trace_arg(struct winipc__trace_call *t, enum winipc__trace_fmt fmt, const void *arg,
                       size_t size)
{
    const void *ptr;

    if (t->nargs++)
        put(t, ", ");
    switch (fmt) {
    case WINIPC__TRACE_PTR:
        memcpy(&ptr, arg, sizeof ptr);
        if (ptr)
            put(t, "%p", ptr);
        else
            put(t, "NULL");
        break;
    case WINIPC__TRACE_STR:
    case WINIPC__TRACE_WSTR:
        memcpy(&ptr, arg, sizeof ptr);
        put_string(t, ptr, fmt == WINIPC__TRACE_WSTR);
        break;
    case WINIPC__TRACE_HANDLE:
        memcpy(&ptr, arg, sizeof ptr);
        put_handle(t, (HANDLE)ptr);
        break;
    case WINIPC__TRACE_BOOL: {
        int64_t v = load_signed(arg, size);

        if (v == 0 || v == 1)
            put(t, v ? "TRUE" : "FALSE");
        else
            put(t, "%lld", (long long)v);
        break;
    }
    case WINIPC__TRACE_I64:
    case WINIPC__TRACE_DEC:
        put(t, "%lld", (long long)load_signed(arg, size));
        break;
    case WINIPC__TRACE_UDEC:
        put(t, "%llu", (unsigned long long)load_unsigned(arg, size));
        break;
    case WINIPC__TRACE_ERROR:
        put_error(t, (DWORD)load_unsigned(arg, size));
        break;
    case WINIPC__TRACE_HEX:
    case WINIPC__TRACE_AUTO:
        if (size > 8)
            put(t, "{%zu bytes}", size);
        else
            put(t, "%#llx", (unsigned long long)load_unsigned(arg, size));
        break;
    }
}

void winipc__trace_started(struct winipc__trace_call *t)
{
    clock_gettime(CLOCK_MONOTONIC, &t->start);
}

/* A wait function's result. */
static bool put_wait(struct winipc__trace_call *t, DWORD r)
{
    if (r < MAXIMUM_WAIT_OBJECTS)
        put(t, r ? "WAIT_OBJECT_0+%u" : "WAIT_OBJECT_0", (unsigned)r);
    else if (r >= WAIT_ABANDONED_0 && r < WAIT_ABANDONED_0 + MAXIMUM_WAIT_OBJECTS)
        put(t, r > WAIT_ABANDONED_0 ? "WAIT_ABANDONED_0+%u" : "WAIT_ABANDONED",
            (unsigned)(r - WAIT_ABANDONED_0));
    else if (r == WAIT_TIMEOUT)
        put(t, "WAIT_TIMEOUT");
    else if (r == WAIT_IO_COMPLETION)
        put(t, "WAIT_IO_COMPLETION");
    else if (r == WAIT_FAILED)
        put(t, "WAIT_FAILED");
    else
        put(t, "%#x", (unsigned)r);
    return r == WAIT_FAILED;
}

void winipc__trace_end(struct winipc__trace_call *t, enum winipc__trace_result how,
                       const void *result, size_t size)
{
    DWORD error = GetLastError();
    int saved_errno = errno;
    struct timespec now;
    bool failed = false;
    const void *ptr = NULL;
    uint64_t u = result ? load_unsigned(result, size) : 0;
    long long us;

    clock_gettime(CLOCK_MONOTONIC, &now);
    if (result && size == sizeof ptr)
        memcpy(&ptr, result, sizeof ptr);
    put(t, ")");
    switch (how) {
    case WINIPC__TRACE_R_VOID:
        break;
    case WINIPC__TRACE_R_HANDLE_NULL:
    case WINIPC__TRACE_R_HANDLE_INVALID:
    case WINIPC__TRACE_R_HANDLE_PSEUDO:
        put(t, " = ");
        put_handle(t, (HANDLE)ptr);
        failed = how == WINIPC__TRACE_R_HANDLE_NULL      ? !ptr
                 : how == WINIPC__TRACE_R_HANDLE_INVALID ? ptr == INVALID_HANDLE_VALUE
                                                         : false;
        break;
    case WINIPC__TRACE_R_BOOL:
        put(t, u ? " = TRUE" : " = FALSE");
        failed = !u;
        break;
    case WINIPC__TRACE_R_WAIT:
        put(t, " = ");
        failed = put_wait(t, (DWORD)u);
        break;
    case WINIPC__TRACE_R_ERROR:
        put(t, " = ");
        put_error(t, (DWORD)u);
        break;
    case WINIPC__TRACE_R_DWORD_INVALID:
        put(t, " = %llu", (unsigned long long)u);
        failed = (DWORD)u == 0xFFFFFFFFu && error != ERROR_SUCCESS;
        break;
    case WINIPC__TRACE_R_UDEC:
        put(t, " = %llu", (unsigned long long)u);
        break;
    case WINIPC__TRACE_R_PTR_NULL:
        put(t, ptr ? " = %p" : " = NULL", ptr);
        failed = !ptr;
        break;
    case WINIPC__TRACE_R_STR:
        put(t, " = ");
        put_string(t, ptr, false);
        failed = !ptr;
        break;
    case WINIPC__TRACE_R_INT_ZERO:
        put(t, " = %lld", (long long)load_signed(result, size));
        failed = u == 0;
        break;
    case WINIPC__TRACE_R_AUTO:
        put(t, " = %#llx", (unsigned long long)u);
        break;
    }
    put(t, failed ? " FAILED [" : " [");
    put_error(t, error);
    us = (long long)(now.tv_sec - t->start.tv_sec) * 1000000 +
         (now.tv_nsec - t->start.tv_nsec) / 1000;
    put(t, "] %lld us", us);
    if (t->len >= sizeof t->line - 1)
        memcpy(t->line + sizeof t->line - 5, "...", 3), t->len = sizeof t->line - 2;
    t->line[t->len++] = '\n';
    while (write(trace_fd, t->line, t->len) == -1 && errno == EINTR)
        ;
    errno = saved_errno;
    SetLastError(error);
}
