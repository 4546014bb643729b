/*
 * spawn.c - CreateProcess, the command line, and the handles a child inherits.
 *
 * THE COMMAND LINE
 *
 * A Windows program is started with one command line, which it reads with
 * GetCommandLine and which its C runtime splits into argv. CreateProcess splits
 * lpCommandLine with the C runtime's rules (backslashes and quotes) into the argv a
 * Linux program gets, and passes the line itself in the environment variable
 * WINIPC_CMDLINE, which winipc in the child takes out of its environment (so that its
 * own children do not inherit it) and returns from GetCommandLine. Without it,
 * GetCommandLine quotes the process's argv as Windows would have written it.
 *
 * The program is lpApplicationName, else the command line's first token. A name
 * without '/' (after '\' became '/') is looked for where Windows looks: the directory
 * of the calling program, the current directory, then PATH. Linux programs have no
 * ".exe": a name ending so is also looked for without it.
 *
 * INHERITED HANDLES
 *
 * With bInheritHandles, every handle marked HANDLE_FLAG_INHERIT is valid in the child
 * under the same value, as on Windows. The child gets a descriptor of each object
 * through exec, and a table of what they are -- handle value, kind, access, flags,
 * the name of a named object -- in a memfd named by WINIPC_STARTUP; winipc in the
 * child rebuilds the objects and their handles before main runs. A named object's
 * descriptor is a fresh open file description with its own holder lock, taken before
 * the child starts, so the object lives for the child even if the parent closes its
 * handle at once; a file's is the same open file description (the file pointer is
 * shared, as on Windows). A program that is not a winipc program finds a variable
 * and a few descriptors it does not use, nothing else.
 * Differs from Windows: handles to threads are not inherited.
 *
 * CREATE_SUSPENDED
 *
 * The child is started as /bin/sh reading from a pipe (its start gate) and then
 * exec'ing the program, so it exists (pid, handles, waits) before it runs anything of
 * its own; ResumeThread on its main thread opens the gate (process.c).
 * Differs from Windows: a suspended child whose handles are all closed before it was
 * resumed ends (exit code 1) instead of staying suspended forever.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

#define CMDLINE_ENV "WINIPC_CMDLINE"
#define STARTUP_ENV "WINIPC_STARTUP"
#define STARTUP_MAGIC 0x54525357u /* "WSRT" */
#define STARTUPINFO_ENV "WINIPC_STARTUPINFO"

/* The startup table: the inherited handles (transfer.c's records). */
struct startup {
    uint32_t magic, count;
    struct winipc__transfer h[];
};

/* ---- Command lines ------------------------------------------------------------------ */

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/*
 * Splits a command line as Microsoft's C runtime does: the program name up to a
 * blank, or between quotes without escapes; then arguments where 2n backslashes and
 * a quote give n backslashes and open or close quoting, 2n+1 give n and a quote, and
 * "" inside quotes gives a quote. A malloc'ed NULL-terminated argv whose strings live
 * in one block after it; NULL on ENOMEM.
 */
static char **split_command_line(const char *line)
{
    size_t len = strlen(line), max = len / 2 + 2;
    char **argv = malloc(max * sizeof *argv + len + max);
    char *out = argv ? (char *)(argv + max) : NULL;
    const char *p = line;
    size_t argc = 0;

    if (!argv)
        return NULL;
    argv[argc++] = out;
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++)
            *out++ = *p;
        if (*p)
            p++;
    } else {
        while (*p && !blank(*p))
            *out++ = *p++;
    }
    *out++ = '\0';
    for (;;) {
        bool quoted = false;

        while (blank(*p))
            p++;
        if (!*p)
            break;
        argv[argc++] = out;
        while (*p && (quoted || !blank(*p))) {
            size_t slashes = 0;

            while (*p == '\\')
                slashes++, p++;
            if (*p == '"') {
                for (size_t i = 0; i < slashes / 2; i++)
                    *out++ = '\\';
                if (slashes % 2) {
                    *out++ = '"';
                } else if (quoted && p[1] == '"') {
                    *out++ = '"';
                    p++;
                } else {
                    quoted = !quoted;
                }
                p++;
            } else {
                for (size_t i = 0; i < slashes; i++)
                    *out++ = '\\';
                if (*p && (quoted || !blank(*p)))
                    *out++ = *p++;
            }
        }
        *out++ = '\0';
    }
    argv[argc] = NULL;
    return argv;
}

/* Appends arg to buf quoted as Windows programs expect (the inverse of the above). */
static void quote_arg(char *buf, size_t cap, size_t *n, const char *arg)
{
    bool needs = !*arg || strpbrk(arg, " \t\"");

#define PUT(c) (void)(*n + 1 < cap ? (buf[(*n)++] = (c)) : 0)
    if (*n)
        PUT(' ');
    if (!needs) {
        while (*arg)
            PUT(*arg++);
        return;
    }
    PUT('"');
    for (;; arg++) {
        size_t slashes = 0;

        while (*arg == '\\')
            slashes++, arg++;
        if (!*arg) {
            for (size_t i = 0; i < 2 * slashes; i++)
                PUT('\\');
            break;
        }
        for (size_t i = 0; i < (*arg == '"' ? 2 * slashes + 1 : slashes); i++)
            PUT('\\');
        PUT(*arg);
    }
    PUT('"');
#undef PUT
}

/* ---- GetCommandLine ---------------------------------------------------------------- */

static char *own_line; /* UTF-8, for the life of the process */
static WCHAR *own_line_w;
static pthread_once_t command_line_once = PTHREAD_ONCE_INIT;

/* The process's own argv, quoted: when no WINIPC_CMDLINE came with it. */
static char *line_from_proc(void)
{
    char args[65536], *line = calloc(1, 2 * sizeof args + 64);
    size_t n = 0, got = 0;
    ssize_t r;
    int fd;

    if (!line)
        return NULL;
    fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    while (fd >= 0 && got < sizeof args - 1 &&
           (r = read(fd, args + got, sizeof args - 1 - got)) > 0)
        got += (size_t)r;
    if (fd >= 0)
        close(fd);
    args[got] = '\0';
    for (size_t i = 0; i < got; i += strlen(args + i) + 1)
        quote_arg(line, 2 * sizeof args + 64, &n, args + i);
    line[n] = '\0';
    return line;
}

static void command_line_init(void)
{
    if (!own_line)
        own_line = line_from_proc();
    if (own_line) {
        size_t len = strlen(own_line) + 1;

        own_line_w = calloc(len, sizeof(WCHAR));
        if (own_line_w)
            MultiByteToWideChar(CP_UTF8, 0, own_line, -1, own_line_w, (int)len);
    }
}

LPSTR WINAPI GetCommandLineA(void)
{
    static char empty[1];

    pthread_once(&command_line_once, command_line_init);
    return own_line ? own_line : empty;
}

LPWSTR WINAPI GetCommandLineW(void)
{
    static WCHAR empty[1];

    pthread_once(&command_line_once, command_line_init);
    return own_line_w ? own_line_w : empty;
}

/* ---- GetModuleFileName ----------------------------------------------------------------- */

/*
 * The program's own path (hModule NULL), as a Windows program looks itself up to
 * start another copy. Too small a buffer gets the path cut short and terminated, and
 * ERROR_INSUFFICIENT_BUFFER with nSize returned, as Microsoft documents (Wine writes no
 * terminator, as Windows XP did); success sets ERROR_SUCCESS.
 * Differs from Windows: only the program's module is known (another hModule:
 * ERROR_MOD_NOT_FOUND); the path is the Linux one.
 */
static DWORD module_file_name(HMODULE module, void *buf, DWORD size, bool wide)
{
    char path[PATH_MAX];
    ssize_t n;
    DWORD len;

    if (size && winipc__bad_pointer(buf))
        return winipc__fail(0, ERROR_NOACCESS);
    if (module)
        return winipc__fail(0, ERROR_MOD_NOT_FOUND);
    n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        return winipc__fail(0, winipc__error_from_errno(errno));
    path[n] = '\0';
    if (wide) {
        int w = MultiByteToWideChar(CP_UTF8, 0, path, -1, NULL, 0);
        WCHAR *tmp = w > 0 ? malloc((size_t)w * sizeof(WCHAR)) : NULL;

        if (!tmp)
            return winipc__fail(0, ERROR_NOT_ENOUGH_MEMORY);
        MultiByteToWideChar(CP_UTF8, 0, path, -1, tmp, w);
        len = (DWORD)w - 1;
        if (size) {
            DWORD copy = len < size ? len : size - 1;

            memcpy(buf, tmp, copy * sizeof(WCHAR));
            ((WCHAR *)buf)[copy] = 0;
        }
        free(tmp);
    } else {
        len = (DWORD)n;
        if (size) {
            DWORD copy = len < size ? len : size - 1;

            memcpy(buf, path, copy);
            ((char *)buf)[copy] = '\0';
        }
    }
    if (len >= size)
        return winipc__fail(size, ERROR_INSUFFICIENT_BUFFER);
    winipc__set_error(ERROR_SUCCESS); /* as Windows after XP does */
    return len;
}

DWORD WINAPI GetModuleFileNameA(HMODULE module, LPSTR buf, DWORD size)
{
    return module_file_name(module, buf, size, false);
}

DWORD WINAPI GetModuleFileNameW(HMODULE module, LPWSTR buf, DWORD size)
{
    return module_file_name(module, buf, size, true);
}

/* ---- Finding the program --------------------------------------------------------------- */

static bool executable(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* `name`, or `name` without a trailing ".exe"/".com" (any case), if executable. */
static char *try_name(const char *dir, const char *name)
{
    size_t len = strlen(name), dlen = dir ? strlen(dir) : 0;
    char *path = malloc(dlen + len + 2);

    if (!path)
        return NULL;
    snprintf(path, dlen + len + 2, "%s%s%s", dir ? dir : "", dir ? "/" : "", name);
    if (executable(path))
        return path;
    len = strlen(path);
    if (len > 4 &&
        (strcasecmp(path + len - 4, ".exe") == 0 || strcasecmp(path + len - 4, ".com") == 0)) {
        path[len - 4] = '\0';
        if (executable(path))
            return path;
    }
    free(path);
    return NULL;
}

/* The path of the program `name` ('\' already '/'), or NULL (ERROR_FILE_NOT_FOUND). */
static char *find_program(const char *name, bool search)
{
    char self[PATH_MAX], *found, *path, *dir, *save;
    ssize_t n;

    if (!*name)
        return NULL;
    if (strchr(name, '/') || !search)
        return try_name(NULL, name);
    n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        if ((dir = strrchr(self, '/')) != NULL) {
            *dir = '\0';
            if ((found = try_name(self, name)))
                return found;
        }
    }
    if ((found = try_name(".", name)))
        return found;
    path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/local/bin:/usr/bin:/bin");
    for (dir = path ? strtok_r(path, ":", &save) : NULL; dir; dir = strtok_r(NULL, ":", &save)) {
        if ((found = try_name(*dir ? dir : ".", name))) {
            free(path);
            return found;
        }
    }
    free(path);
    return NULL;
}

static void slashes_to_posix(char *s)
{
    for (; s && *s; s++)
        if (*s == '\\')
            *s = '/';
}

/* ---- The child's environment ------------------------------------------------------------ */

/* The variables of an environment block ("A=1\0B=2\0\0"), A or W, or NULL: environ. */
static char **environment_of(const void *block, bool wide, char **extra, size_t nextra);
static char **environment(const void *block, bool wide, char **extra, size_t nextra)
{
    char **env;

    if (block)
        return environment_of(block, wide, extra, nextra);
    winipc__env_lock(); /* against SetEnvironmentVariable in another thread */
    env = environment_of(NULL, false, extra, nextra);
    winipc__env_unlock();
    return env;
}

static char **environment_of(const void *block, bool wide, char **extra, size_t nextra)
{
    size_t n = 0, i = 0;
    char **env;

    if (block && wide) {
        for (const WCHAR *w = block; *w; w += wcslen(w) + 1)
            n++;
    } else if (block) {
        for (const char *a = block; *a; a += strlen(a) + 1)
            n++;
    } else {
        while (environ[n])
            n++;
    }
    env = calloc(n + nextra + 1, sizeof *env);
    if (!env)
        return NULL;
    if (block && wide) {
        for (const WCHAR *w = block; *w; w += wcslen(w) + 1)
            if (!(env[i++] = winipc__utf8_from_w(w)))
                goto fail;
    } else {
        const char *a = block;

        for (size_t k = 0; k < n; k++) {
            const char *v = block ? a : environ[k];

            if (block)
                a += strlen(a) + 1;
            /* Ours are set anew below, never passed on. */
            if (strncmp(v, CMDLINE_ENV "=", sizeof CMDLINE_ENV) == 0 ||
                strncmp(v, STARTUP_ENV "=", sizeof STARTUP_ENV) == 0 ||
                strncmp(v, STARTUPINFO_ENV "=", sizeof STARTUPINFO_ENV) == 0 ||
                (strncmp(v, winipc__inbox_env(), strlen(winipc__inbox_env())) == 0 &&
                 v[strlen(winipc__inbox_env())] == '='))
                continue;
            if (!(env[i++] = strdup(v)))
                goto fail;
        }
    }
    for (size_t k = 0; k < nextra; k++)
        env[i++] = extra[k];
    return env;

fail:
    for (size_t k = 0; k < i; k++)
        free(env[k]);
    free(env);
    return NULL;
}

static void free_environment(char **env, size_t nextra)
{
    size_t n = 0;

    while (env[n])
        n++;
    for (size_t k = 0; k + nextra < n; k++)
        free(env[k]);
    free(env);
}

/* ---- Handing handles down ---------------------------------------------------------------- */

struct export
{
    struct winipc__transfer *h;
    size_t n, cap;
    bool failed;
};

/* Adds one inheritable handle to the table, with a descriptor for the child. */
static void export_handle(void *ctx, HANDLE h, struct winipc__hold *hold)
{
    struct export *x = ctx;
    DWORD err;

    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 16;
        struct winipc__transfer *grown = realloc(x->h, cap * sizeof *grown);

        if (!grown) {
            x->failed = true;
            return;
        }
        x->h = grown;
        x->cap = cap;
    }
    err = winipc__transfer_export(hold, h, hold->access, HANDLE_FLAG_INHERIT, &x->h[x->n]);
    if (err == ERROR_NOT_SUPPORTED)
        return; /* a thread's: see the header comment */
    if (err)
        x->failed = true;
    else
        x->n++;
}

static void close_exported(struct export *x)
{
    for (size_t i = 0; i < x->n; i++)
        winipc__transfer_discard(&x->h[i]);
    free(x->h);
}

/* The startup table in a memfd (descriptor returned), or -1. */
static int startup_table(const struct export *x)
{
    size_t size = sizeof(struct startup) + x->n * sizeof(struct winipc__transfer);
    struct startup head = {.magic = STARTUP_MAGIC, .count = (uint32_t)x->n};
    int fd = memfd_create("winipc-startup", MFD_CLOEXEC);

    if (fd < 0)
        return -1;
    if (ftruncate(fd, (off_t)size) != 0 || pwrite(fd, &head, sizeof head, 0) != sizeof head ||
        (x->n &&
         pwrite(fd, x->h, x->n * sizeof *x->h, sizeof head) != (ssize_t)(x->n * sizeof *x->h))) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Rebuilds the handles of the startup table (in the child, before main). */
static void import_handles(int fd)
{
    struct winipc__transfer rec;
    struct startup head;

    if (pread(fd, &head, sizeof head, 0) != sizeof head || head.magic != STARTUP_MAGIC)
        return;
    for (uint32_t i = 0; i < head.count; i++) {
        if (pread(fd, &rec, sizeof rec, sizeof head + i * sizeof rec) != sizeof rec)
            break;
        winipc__transfer_import(&rec);
    }
}

/* What CreateProcessA/W pass on, in UTF-8. */
struct spawn {
    char *application;  /* NULL: the command line's first token */
    char *command_line; /* NULL: the application, quoted */
    const void *env;    /* block, or NULL */
    bool env_wide;
    char *cwd;        /* NULL: ours */
    bool std_handles; /* STARTF_USESTDHANDLES */
    HANDLE std[3];
    DWORD si[9];    /* dwFlags, wShowWindow, dwX ... dwFillAttribute, for the child */
    char *title;    /* lpTitle, NULL: the program's path */
    char *desktop;  /* lpDesktop, NULL: ours */
    bool si_failed; /* title or desktop could not be copied */
};

/* ---- GetStartupInfo ---------------------------------------------------------------------- */

/*
 * The STARTUPINFO a parent passed travels in WINIPC_STARTUPINFO, which the child takes
 * out of its environment at startup like WINIPC_CMDLINE: thirteen hexadecimal numbers
 * (dwFlags, wShowWindow, dwX, dwY, dwXSize, dwYSize, dwXCountChars, dwYCountChars,
 * dwFillAttribute, hStdInput, hStdOutput, hStdError, and 1 when the child starts
 * ignoring Ctrl+C, conctl.c), then lpTitle and lpDesktop, each "-" for NULL or
 * "<length>:<UTF-8 bytes>", all separated by ','.
 */
static struct {
    bool given;    /* from a winipc parent */
    DWORD v[9];    /* dwFlags ... dwFillAttribute */
    HANDLE std[3]; /* as the parent passed them (STARTF_USESTDHANDLES) */
    char *title;   /* UTF-8, NULL: none given (the program path is reported) */
    char *desktop; /* UTF-8 or NULL */
    WCHAR *title_w, *desktop_w;
} own_si;
static pthread_once_t own_si_once = PTHREAD_ONCE_INIT;

/* Appends ",<len>:<s>" or ",-" to the value being built; false on ENOMEM. */
static bool put_si_string(char **value, const char *str)
{
    char *grown;
    int r = str ? asprintf(&grown, "%s,%zu:%s", *value, strlen(str), str)
                : asprintf(&grown, "%s,-", *value);

    if (r < 0)
        return false;
    free(*value);
    *value = grown;
    return true;
}

/* The WINIPC_STARTUPINFO=... entry for a child, malloc'ed, or NULL on ENOMEM. */
static char *startupinfo_entry(const struct spawn *sp, const char *program, DWORD flags)
{
    /* Inherited, and set in a new group's leader, as on Windows. */
    bool ignore_ctrl_c = winipc__ctrl_c_ignored() || (flags & CREATE_NEW_PROCESS_GROUP);
    char *value = NULL;

    if (asprintf(&value,
                 STARTUPINFO_ENV "=%x,%x,%x,%x,%x,%x,%x,%x,%x,%" PRIxPTR ",%" PRIxPTR ",%" PRIxPTR
                                 ",%x",
                 sp->si[0], sp->si[1], sp->si[2], sp->si[3], sp->si[4], sp->si[5], sp->si[6],
                 sp->si[7], sp->si[8], (uintptr_t)(sp->std_handles ? sp->std[0] : NULL),
                 (uintptr_t)(sp->std_handles ? sp->std[1] : NULL),
                 (uintptr_t)(sp->std_handles ? sp->std[2] : NULL), ignore_ctrl_c) < 0)
        return NULL;
    /* A NULL lpDesktop: the child is on ours, as on Windows. */
    if (!put_si_string(&value, sp->title ? sp->title : program) ||
        !put_si_string(&value, sp->desktop ? sp->desktop : own_si.desktop)) {
        free(value);
        return NULL;
    }
    return value;
}

/* Reads one ",<len>:<bytes>" or ",-" string at *p; false if malformed. */
static bool take_si_string(const char **p, char **out)
{
    char *end;
    unsigned long len;

    *out = NULL;
    if (**p != ',')
        return false;
    if ((*p)[1] == '-') {
        *p += 2;
        return true;
    }
    len = strtoul(*p + 1, &end, 10);
    if (*end != ':' || strnlen(end + 1, len) < len)
        return false;
    *out = strndup(end + 1, len);
    *p = end + 1 + len;
    return *out != NULL;
}

/* Takes the parent's STARTUPINFO from the environment value (in the child, before main). */
static void take_startupinfo(const char *value)
{
    const char *p = value;
    unsigned long long n[13];
    char *end;

    for (int i = 0; i < 13; i++) {
        if (i && *p++ != ',')
            return;
        n[i] = strtoull(p, &end, 16);
        if (end == p)
            return;
        p = end;
    }
    if (!take_si_string(&p, &own_si.title) || !take_si_string(&p, &own_si.desktop) || *p) {
        free(own_si.title);
        free(own_si.desktop);
        own_si.title = own_si.desktop = NULL;
        return;
    }
    for (int i = 0; i < 9; i++)
        own_si.v[i] = (DWORD)n[i];
    for (int i = 0; i < 3; i++)
        own_si.std[i] = (HANDLE)(uintptr_t)n[9 + i];
    own_si.given = true;
    if (n[12])
        winipc__ctrl_c_ignore_at_start();
}

/* The wide strings, and a console program's defaults when no parent gave any. */
static void own_si_init(void)
{
    if (!own_si.given) {
        char path[PATH_MAX];

        /* Windows' default for a console program: the program's path as the title. */
        if (GetModuleFileNameA(NULL, path, sizeof path) - 1 < sizeof path - 1)
            own_si.title = strdup(path);
    }
    if (own_si.title)
        own_si.title_w = winipc__w_from_utf8(own_si.title);
    if (own_si.desktop)
        own_si.desktop_w = winipc__w_from_utf8(own_si.desktop);
}

/* The numbers and handles of GetStartupInfoA and W alike. */
#define FILL_STARTUP_INFO(si)                                       \
    do {                                                            \
        memset((si), 0, sizeof *(si));                              \
        (si)->cb = sizeof *(si);                                    \
        (si)->dwFlags = own_si.v[0];                                \
        (si)->wShowWindow = (WORD)own_si.v[1];                      \
        (si)->dwX = own_si.v[2];                                    \
        (si)->dwY = own_si.v[3];                                    \
        (si)->dwXSize = own_si.v[4];                                \
        (si)->dwYSize = own_si.v[5];                                \
        (si)->dwXCountChars = own_si.v[6];                          \
        (si)->dwYCountChars = own_si.v[7];                          \
        (si)->dwFillAttribute = own_si.v[8];                        \
        if (own_si.given && (own_si.v[0] & STARTF_USESTDHANDLES)) { \
            (si)->hStdInput = own_si.std[0];                        \
            (si)->hStdOutput = own_si.std[1];                       \
            (si)->hStdError = own_si.std[2];                        \
        } else {                                                    \
            (si)->hStdInput = GetStdHandle(STD_INPUT_HANDLE);       \
            (si)->hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);     \
            (si)->hStdError = GetStdHandle(STD_ERROR_HANDLE);       \
        }                                                           \
    } while (0)

/* Cannot fail (Windows' returns void); the strings live as long as the process. */
void WINAPI GetStartupInfoA(LPSTARTUPINFOA si)
{
    DWORD err = GetLastError();

    if (!si || winipc__bad_pointer(si))
        return;
    pthread_once(&own_si_once, own_si_init);
    FILL_STARTUP_INFO(si);
    si->lpTitle = own_si.title;
    si->lpDesktop = own_si.desktop;
    SetLastError(err);
}

void WINAPI GetStartupInfoW(LPSTARTUPINFOW si)
{
    DWORD err = GetLastError();

    if (!si || winipc__bad_pointer(si))
        return;
    pthread_once(&own_si_once, own_si_init);
    FILL_STARTUP_INFO(si);
    si->lpTitle = own_si.title_w;
    si->lpDesktop = own_si.desktop_w;
    SetLastError(err);
}

/* winipc in a child of CreateProcess: the command line, startup info and inherited handles. */
static void __attribute__((constructor)) startup(void)
{
    const char *line = getenv(CMDLINE_ENV), *table = getenv(STARTUP_ENV),
               *si = getenv(STARTUPINFO_ENV);

    /* The inbox first: an inherited handle may have a value of its range. */
    winipc__inbox_start();
    if (line) {
        own_line = strdup(line);
        unsetenv(CMDLINE_ENV);
    }
    if (si) {
        take_startupinfo(si);
        unsetenv(STARTUPINFO_ENV);
    }
    if (table) {
        char *end;
        long fd = strtol(table, &end, 10);

        unsetenv(STARTUP_ENV);
        if (*end == '\0' && fd > 2 && fd < INT_MAX && fcntl((int)fd, F_GETFD) != -1) {
            import_handles((int)fd);
            close((int)fd);
        }
    }
}

/* ---- CreateProcess ----------------------------------------------------------------------- */

/* A descriptor for a std handle the child gets, or -1 (then /dev/null). */
static int std_fd(HANDLE h, struct winipc__hold *hold)
{
    if (!h || h == INVALID_HANDLE_VALUE || !winipc__handle_hold(h, WINIPC__FILE, hold))
        return -1;
    return hold->obj->fd;
}

/* A descriptor number from 3 to 9 that none of `used` is. */
static int free_low_fd(const int *used, size_t n)
{
    for (int fd = 9; fd >= 3; fd--) {
        size_t i = 0;

        while (i < n && used[i] != fd)
            i++;
        if (i == n)
            return fd;
    }
    return -1;
}

static BOOL create_process(struct spawn *sp, const SECURITY_ATTRIBUTES *psa,
                           const SECURITY_ATTRIBUTES *tsa, BOOL inherit, DWORD flags,
                           LPPROCESS_INFORMATION pi)
{
    char **argv = NULL, **env = NULL, *program = NULL, *extra[4] = {NULL, NULL, NULL, NULL};
    char *name = NULL, *gate_script = NULL;
    struct export x = {0};
    struct winipc__hold std_hold[3] = {{0}};
    int std[3] = {-1, -1, -1}, devnull = -1, table = -1, gate[2] = {-1, -1}, inbox[2] = {-1, -1};
    int pidfd;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    struct winipc__object *proc = NULL, *thread;
    sigset_t none, all;
    DWORD err = 0;
    pid_t pid = 0;
    size_t nextra = 0;

    if (!sp->command_line) {
        size_t n = 0, cap = 2 * strlen(sp->application) + 8;

        if (!(sp->command_line = calloc(1, cap)))
            return winipc__fail(FALSE, ERROR_NOT_ENOUGH_MEMORY);
        quote_arg(sp->command_line, cap, &n, sp->application);
    }
    argv = split_command_line(sp->command_line);
    if (!argv) {
        err = ERROR_NOT_ENOUGH_MEMORY;
        goto out;
    }
    name = strdup(sp->application ? sp->application : argv[0]);
    if (name && !*name) { /* an empty program name */
        err = ERROR_PATH_NOT_FOUND;
        goto out;
    }
    slashes_to_posix(name);
    slashes_to_posix(sp->cwd);
    program = name ? find_program(name, !sp->application) : NULL;
    if (!program) {
        err = name ? ERROR_FILE_NOT_FOUND : ERROR_NOT_ENOUGH_MEMORY;
        goto out;
    }
    if (sp->cwd) {
        struct stat st;

        if (stat(sp->cwd, &st) != 0 || !S_ISDIR(st.st_mode)) {
            err = ERROR_DIRECTORY;
            goto out;
        }
    }

    if (inherit)
        winipc__handle_each_inheritable(export_handle, &x);
    if (x.failed || (x.n && (table = startup_table(&x)) < 0)) {
        err = ERROR_NOT_ENOUGH_MEMORY;
        goto out;
    }
    /* The child's inbox, made now so that it can be given handles while suspended
       (transfer.c); without one, the child makes its own when it starts. */
    if (winipc__inbox_for_child(inbox) != 0)
        inbox[0] = inbox[1] = -1;
    if (!(extra[nextra++] = startupinfo_entry(sp, program, flags)) ||
        asprintf(&extra[nextra++], CMDLINE_ENV "=%s", sp->command_line) < 0 ||
        (table >= 0 && asprintf(&extra[nextra++], STARTUP_ENV "=%d", table) < 0) ||
        (inbox[0] >= 0 &&
         asprintf(&extra[nextra++], "%s=%d,%d", winipc__inbox_env(), inbox[0], inbox[1]) < 0)) {
        extra[--nextra] = NULL;
        err = ERROR_NOT_ENOUGH_MEMORY;
        goto out;
    }
    env = environment(sp->env, sp->env_wide, extra, nextra);
    if (!env) {
        err = ERROR_NOT_ENOUGH_MEMORY;
        goto out;
    }

    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    /* A new program starts as Windows starts one: signals at their defaults. */
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    /* CREATE_NEW_PROCESS_GROUP: the child leads a group whose id is its pid, as on
       Windows (GenerateConsoleCtrlEvent's target). */
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr,
                             POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                 (flags & CREATE_NEW_PROCESS_GROUP ? POSIX_SPAWN_SETPGROUP : 0));
    if (sp->std_handles) {
        for (int i = 0; i < 3; i++) {
            std[i] = std_fd(sp->std[i], &std_hold[i]);
            if (std[i] < 0) {
                if (devnull < 0)
                    devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
                std[i] = devnull;
            }
            if (std[i] >= 0)
                posix_spawn_file_actions_adddup2(&fa, std[i], i);
        }
    }
    /* dup2 onto itself clears close-on-exec in the child (glibc 2.29 and later). */
    for (size_t i = 0; i < x.n; i++) {
        posix_spawn_file_actions_adddup2(&fa, x.h[i].fd, x.h[i].fd);
        if (x.h[i].data_fd >= 0)
            posix_spawn_file_actions_adddup2(&fa, x.h[i].data_fd, x.h[i].data_fd);
    }
    if (table >= 0)
        posix_spawn_file_actions_adddup2(&fa, table, table);
    for (int i = 0; i < 2 && inbox[0] >= 0; i++)
        posix_spawn_file_actions_adddup2(&fa, inbox[i], inbox[i]);
    if (sp->cwd)
        posix_spawn_file_actions_addchdir_np(&fa, sp->cwd);
    if (flags & CREATE_SUSPENDED) {
        int used[256], nused = 0, low;

        for (size_t i = 0; i < x.n && nused < 250; i++) {
            used[nused++] = x.h[i].fd;
            used[nused++] = x.h[i].data_fd;
        }
        used[nused++] = table;
        used[nused++] = inbox[0];
        used[nused++] = inbox[1];
        low = free_low_fd(used, (size_t)nused);
        if (low < 0 || pipe2(gate, O_CLOEXEC) != 0 ||
            asprintf(&gate_script, "read -r x <&%d || exit 1; exec %d<&- \"$0\" \"$@\"", low, low) <
                0) {
            err = low < 0 ? ERROR_TOO_MANY_OPEN_FILES : ERROR_NOT_ENOUGH_MEMORY;
            goto spawned;
        }
        posix_spawn_file_actions_adddup2(&fa, gate[0], low);
        {
            size_t argc = 0;
            char **sh_argv;

            while (argv[argc])
                argc++;
            sh_argv = calloc(argc + 4, sizeof *sh_argv);
            if (!sh_argv) {
                err = ERROR_NOT_ENOUGH_MEMORY;
                goto spawned;
            }
            sh_argv[0] = "sh";
            sh_argv[1] = "-c";
            sh_argv[2] = gate_script;
            sh_argv[3] = program; /* $0: what the shell exec's */
            for (size_t i = 1; i <= argc; i++)
                sh_argv[3 + i] = argv[i];
            errno = posix_spawn(&pid, "/bin/sh", &fa, &attr, sh_argv, env);
            free(sh_argv);
        }
    } else {
        errno = posix_spawn(&pid, program, &fa, &attr, argv, env);
    }
    if (errno)
        err = errno == ENOENT    ? ERROR_FILE_NOT_FOUND
              : errno == ENOEXEC ? ERROR_BAD_EXE_FORMAT
                                 : winipc__error_from_errno(errno);

spawned:
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (gate[0] >= 0)
        close(gate[0]);
    if (err)
        goto out;
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) {
        err = winipc__error_from_errno(errno);
        goto out;
    }
    fcntl(pidfd, F_SETFD, FD_CLOEXEC);
    if (inbox[0] >= 0)
        winipc__inbox_child_started(inbox, pid);
    proc = winipc__process_new(pidfd, pid, true, gate[1]);
    gate[1] = -1;
    if (!proc) {
        err = GetLastError();
        goto out;
    }
    thread = winipc__remote_thread_new(proc);
    winipc__object_ref(proc);
    pi->hProcess = winipc__handle_new_ex(proc, PROCESS_ALL_ACCESS, winipc__inherit_flag(psa));
    pi->hThread =
        thread ? winipc__handle_new_ex(thread, THREAD_ALL_ACCESS, winipc__inherit_flag(tsa)) : NULL;
    winipc__object_unref(proc);
    if (!pi->hProcess || !pi->hThread) {
        if (pi->hProcess)
            CloseHandle(pi->hProcess);
        if (pi->hThread)
            CloseHandle(pi->hThread);
        err = ERROR_NOT_ENOUGH_MEMORY;
        goto out;
    }
    pi->dwProcessId = pi->dwThreadId = (DWORD)pid;

out:
    for (int i = 0; i < 3; i++)
        if (std_hold[i].slot)
            winipc__handle_release(&std_hold[i]);
    if (devnull >= 0)
        close(devnull);
    if (gate[1] >= 0)
        close(gate[1]);
    if (table >= 0)
        close(table);
    for (int i = 0; i < 2; i++)
        if (inbox[i] >= 0)
            close(inbox[i]);
    close_exported(&x);
    if (env)
        free_environment(env, nextra);
    for (size_t i = 0; i < nextra; i++)
        free(extra[i]);
    free(gate_script);
    free(program);
    free(name);
    free(argv);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

/* The STARTUPINFO the child gets, A and W alike (the strings are taken by the caller). */
#define TAKE_STARTUP_INFO(sp, si)                                 \
    do {                                                          \
        (sp)->std_handles = (si)->dwFlags & STARTF_USESTDHANDLES; \
        (sp)->std[0] = (si)->hStdInput;                           \
        (sp)->std[1] = (si)->hStdOutput;                          \
        (sp)->std[2] = (si)->hStdError;                           \
        (sp)->si[0] = (si)->dwFlags;                              \
        (sp)->si[1] = (si)->wShowWindow;                          \
        (sp)->si[2] = (si)->dwX;                                  \
        (sp)->si[3] = (si)->dwY;                                  \
        (sp)->si[4] = (si)->dwXSize;                              \
        (sp)->si[5] = (si)->dwYSize;                              \
        (sp)->si[6] = (si)->dwXCountChars;                        \
        (sp)->si[7] = (si)->dwYCountChars;                        \
        (sp)->si[8] = (si)->dwFillAttribute;                      \
    } while (0)

/*
 * Differs from Windows: window, desktop and console settings of STARTUPINFO and the
 * priority and console flags are accepted and have no effect beyond what the child's
 * GetStartupInfo reports (there are no windows or consoles to make);
 * CREATE_NEW_CONSOLE and DETACHED_PROCESS leave the child on our terminal.
 * CREATE_NEW_PROCESS_GROUP makes the child a process group leader, ignoring Ctrl+C.
 */
BOOL WINAPI CreateProcessA(LPCSTR application, LPSTR command_line, LPSECURITY_ATTRIBUTES psa,
                           LPSECURITY_ATTRIBUTES tsa, BOOL inherit, DWORD flags, LPVOID env,
                           LPCSTR cwd, LPSTARTUPINFOA si, LPPROCESS_INFORMATION pi)
{
    struct spawn sp = {.env = env, .env_wide = flags & CREATE_UNICODE_ENVIRONMENT};
    BOOL ok;

    if (winipc__bad_pointer(application) || winipc__bad_pointer(command_line) ||
        winipc__bad_pointer(psa) || winipc__bad_pointer(tsa) || winipc__bad_pointer(env) ||
        winipc__bad_pointer(cwd) || !si || winipc__bad_pointer(si) || !pi ||
        winipc__bad_pointer(pi))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    memset(pi, 0, sizeof *pi); /* what a failed call leaves, as on Windows */
    if (!application && !command_line)
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    sp.application = application ? strdup(application) : NULL;
    sp.command_line = command_line ? strdup(command_line) : NULL;
    sp.cwd = cwd ? strdup(cwd) : NULL;
    TAKE_STARTUP_INFO(&sp, si);
    sp.title = si->lpTitle ? strdup(si->lpTitle) : NULL;
    sp.desktop = si->lpDesktop ? strdup(si->lpDesktop) : NULL;
    sp.si_failed = (si->lpTitle && !sp.title) || (si->lpDesktop && !sp.desktop);
    ok = (application && !sp.application) || (command_line && !sp.command_line) ||
                 (cwd && !sp.cwd) || sp.si_failed
             ? winipc__fail(FALSE, ERROR_NOT_ENOUGH_MEMORY)
             : create_process(&sp, psa, tsa, inherit, flags, pi);
    free(sp.application);
    free(sp.command_line);
    free(sp.cwd);
    free(sp.title);
    free(sp.desktop);
    return ok;
}

BOOL WINAPI CreateProcessW(LPCWSTR application, LPWSTR command_line, LPSECURITY_ATTRIBUTES psa,
                           LPSECURITY_ATTRIBUTES tsa, BOOL inherit, DWORD flags, LPVOID env,
                           LPCWSTR cwd, LPSTARTUPINFOW si, LPPROCESS_INFORMATION pi)
{
    struct spawn sp = {.env = env, .env_wide = flags & CREATE_UNICODE_ENVIRONMENT};
    BOOL ok;

    if (winipc__bad_pointer(application) || winipc__bad_pointer(command_line) ||
        winipc__bad_pointer(psa) || winipc__bad_pointer(tsa) || winipc__bad_pointer(env) ||
        winipc__bad_pointer(cwd) || !si || winipc__bad_pointer(si) || !pi ||
        winipc__bad_pointer(pi))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    memset(pi, 0, sizeof *pi); /* what a failed call leaves, as on Windows */
    if (!application && !command_line)
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    sp.application = application ? winipc__utf8_from_w(application) : NULL;
    sp.command_line = command_line ? winipc__utf8_from_w(command_line) : NULL;
    sp.cwd = cwd ? winipc__utf8_from_w(cwd) : NULL;
    TAKE_STARTUP_INFO(&sp, si);
    sp.title = si->lpTitle ? winipc__utf8_from_w(si->lpTitle) : NULL;
    sp.desktop = si->lpDesktop ? winipc__utf8_from_w(si->lpDesktop) : NULL;
    sp.si_failed = (si->lpTitle && !sp.title) || (si->lpDesktop && !sp.desktop);
    ok = (application && !sp.application) || (command_line && !sp.command_line) ||
                 (cwd && !sp.cwd) || sp.si_failed
             ? winipc__fail(FALSE, ERROR_NOT_ENOUGH_MEMORY)
             : create_process(&sp, psa, tsa, inherit, flags, pi);
    free(sp.application);
    free(sp.command_line);
    free(sp.cwd);
    free(sp.title);
    free(sp.desktop);
    return ok;
}
