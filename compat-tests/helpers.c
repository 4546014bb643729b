/*
 * helpers.c - process, time and /dev/shm primitives of the compat tests.
 * The only file of the tests with platform code: posix_spawn on Linux, CreateProcess
 * on Windows (never fork: it would copy the handle table).
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#define pipe(fds) _pipe((fds), 1 << 16, _O_TEXT) /* like a console stdout */
#define dup _dup
#define dup2 _dup2
#define read _read
#define close _close
#else
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
extern char **environ;
#endif

bool skipped_on_wine(const char *check)
{
    if (!running_on_wine())
        return false;
    printf("\n    skipped under Wine (deviates from Microsoft's documentation): %s\n    ", check);
    return true;
}

bool skipped_on_portable(const char *why)
{
#ifdef WINIPC_TEST_PORTABLE
    printf("\n    skipped on the portable backend (a documented limit): %s\n    ", why);
    return true;
#else
    (void)why;
    return false;
#endif
}

const char *test_name_prefix(void)
{
    static char prefix[32];

    if (!prefix[0])
        snprintf(prefix, sizeof prefix, "wt%lu-", (unsigned long)GetCurrentProcessId());
    return prefix;
}

const char *test_name(const char *tag)
{
    static char names[16][128];
    static unsigned counter;
    char *buf = names[counter % 16];

    snprintf(buf, sizeof names[0], "%s%s-%u", test_name_prefix(), tag, counter);
    counter++;
    return buf;
}

HANDLE ready_event(const char *base)
{
    char name[200];

    snprintf(name, sizeof name, "%s-ready", base);
    return CreateEventA(NULL, TRUE, FALSE, name);
}

bool wait_ready(HANDLE ev, DWORD ms)
{
    return ev && WaitForSingleObject(ev, ms) == WAIT_OBJECT_0;
}

bool signal_ready(const char *base)
{
    char name[200];
    HANDLE ev;
    BOOL ok;

    snprintf(name, sizeof name, "%s-ready", base);
    ev = OpenEventA(EVENT_MODIFY_STATE, FALSE, name);
    if (!ev)
        return false;
    ok = SetEvent(ev);
    CloseHandle(ev);
    return ok;
}

const char *capture_stdout(void (*fn)(void))
{
    static char out[1 << 15];
    int fds[2], saved, n, total = 0;

    out[0] = '\0';
    fflush(stdout);
    if (pipe(fds) != 0)
        return out;
    saved = dup(1);
    dup2(fds[1], 1);
    close(fds[1]);
    fn();
    fflush(stdout);
    dup2(saved, 1); /* closes the pipe's last write end */
    close(saved);
    while ((n = (int)read(fds[0], out + total, (unsigned)(sizeof out - 1 - (size_t)total))) > 0)
        total += n;
    out[total] = '\0';
    close(fds[0]);
#ifdef _WIN32
    /* stdout is in text mode there: "\n" went out as "\r\n". */
    {
        char *w = out;

        for (char *r = out; *r; r++)
            if (*r != '\r')
                *w++ = *r;
        *w = '\0';
    }
#endif
    return out;
}

#ifdef _WIN32

struct child {
    PROCESS_INFORMATION pi;
};

struct child *child_spawn(const char *role, const char *arg1, const char *arg2)
{
    char exe[MAX_PATH], cmd[1024];
    STARTUPINFOA si = {.cb = sizeof si};
    struct child *c = calloc(1, sizeof *c);

    if (!c || !GetModuleFileNameA(NULL, exe, sizeof exe)) {
        free(c);
        return NULL;
    }
    snprintf(cmd, sizeof cmd, "\"%s\" --child %s \"%s\" \"%s\"", exe, role, arg1 ? arg1 : "",
             arg2 ? arg2 : "");
    if (!CreateProcessA(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &c->pi)) {
        free(c);
        return NULL;
    }
    CloseHandle(c->pi.hThread);
    return c;
}

int child_wait(struct child *c, DWORD ms)
{
    DWORD code;

    if (!c)
        return -3;
    if (WaitForSingleObject(c->pi.hProcess, ms) != WAIT_OBJECT_0)
        return -1;
    GetExitCodeProcess(c->pi.hProcess, &code);
    CloseHandle(c->pi.hProcess);
    free(c);
    return code == 0xDEADu ? -2 : (int)code;
}

void child_kill(struct child *c)
{
    if (!c)
        return;
    TerminateProcess(c->pi.hProcess, 0xDEADu);
    child_wait(c, INFINITE);
}

int shm_leftovers(const char *prefix)
{
    (void)prefix;
    return 0;
}

bool shm_exists(const char *name)
{
    (void)name;
    return false;
}

double now_ms(void)
{
    LARGE_INTEGER f, c;

    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1000.0 / (double)f.QuadPart;
}

bool running_on_wine(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");

    return ntdll && GetProcAddress(ntdll, "wine_get_version");
}

#else

struct child {
    pid_t pid;
    int pidfd;
};

struct child *child_spawn(const char *role, const char *arg1, const char *arg2)
{
    char *argv[] = {"/proc/self/exe",           "--child", (char *)role, (char *)(arg1 ? arg1 : ""),
                    (char *)(arg2 ? arg2 : ""), NULL};
    struct child *c = calloc(1, sizeof *c);

    if (!c)
        return NULL;
    if (posix_spawn(&c->pid, "/proc/self/exe", NULL, NULL, argv, environ) != 0) {
        free(c);
        return NULL;
    }
    c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
    return c;
}

struct child *child_spawn_as(const char *user, const char *role, const char *arg1, const char *arg2)
{
    char self[4096], run_as[4096], *slash;
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    struct child *c;

    if (n <= 0)
        return NULL;
    self[n] = '\0';
    snprintf(run_as, sizeof run_as, "%s", self);
    slash = strrchr(run_as, '/');
    if (!slash)
        return NULL;
    snprintf(slash + 1, sizeof run_as - (size_t)(slash + 1 - run_as), "run-as");
    {
        char *argv[] = {run_as,
                        (char *)user,
                        self,
                        "--child",
                        (char *)role,
                        (char *)(arg1 ? arg1 : ""),
                        (char *)(arg2 ? arg2 : ""),
                        NULL};

        c = calloc(1, sizeof *c);
        if (!c)
            return NULL;
        if (posix_spawn(&c->pid, run_as, NULL, NULL, argv, environ) != 0) {
            free(c);
            return NULL;
        }
    }
    c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
    return c;
}

struct child *child_spawn_argv(char *const argv[])
{
    struct child *c = calloc(1, sizeof *c);

    if (!c)
        return NULL;
    if (posix_spawn(&c->pid, argv[0], NULL, NULL, argv, environ) != 0) {
        free(c);
        return NULL;
    }
    c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
    return c;
}

pid_t child_pid(const struct child *c)
{
    return c->pid;
}

bool test_users(void)
{
    static int known; /* 0 unknown, 1 yes, -1 no */

    if (!known) {
        const char *why = NULL;

        if (geteuid() != 0)
            why = "not running as root";
        else if (!getpwnam(TEST_USER_A) || !getpwnam(TEST_USER_B))
            why = "users " TEST_USER_A " and " TEST_USER_B " do not exist (tools/test.sh "
                  "makes them when it runs as root)";
        if (why)
            printf("\n    skipped: the cross-user checks need root and two users: %s\n    ", why);
        known = why ? -1 : 1;
    }
    return known > 0;
}

int child_wait(struct child *c, DWORD ms)
{
    struct pollfd p;
    int status;

    if (!c)
        return -3;
    p.fd = c->pidfd;
    p.events = POLLIN;
    if (c->pidfd >= 0) {
        int r;

        do
            r = poll(&p, 1, ms == INFINITE ? -1 : (int)ms);
        while (r == -1 && errno == EINTR);
        if (r == 0)
            return -1;
    }
    while (waitpid(c->pid, &status, 0) == -1 && errno == EINTR)
        ;
    if (c->pidfd >= 0)
        close(c->pidfd);
    free(c);
    if (WIFSIGNALED(status))
        return -2;
    return WEXITSTATUS(status);
}

void child_kill(struct child *c)
{
    if (!c)
        return;
    kill(c->pid, SIGKILL);
    child_wait(c, INFINITE);
}

void test_user_dir(char *buf, size_t size, unsigned long uid)
{
#ifdef WINIPC_TEST_PORTABLE
    snprintf(buf, size, "%s/winipc.pu%lu", WINIPC_TEST_PORTABLE_DIR, uid);
#else
    snprintf(buf, size, "/dev/shm/winipc.u%lu", uid);
#endif
}

void test_global_path(char *buf, size_t size, const char *name)
{
#ifdef WINIPC_TEST_PORTABLE
    snprintf(buf, size, "%s/winipc.pg.%s", WINIPC_TEST_PORTABLE_DIR, name);
#else
    snprintf(buf, size, "/dev/shm/winipc.g.%s", name);
#endif
}

/* Counts the entries of directory `dir` that are `prefix` + `name` (exact) or start so. */
static int count_entries(const char *dir, const char *prefix, const char *name, bool exact)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t plen = strlen(prefix), len = strlen(name);
    int n = 0;

    if (!d)
        return 0;
    while ((de = readdir(d)) != NULL) {
        const char *rest = de->d_name + plen;

        if (strncmp(de->d_name, prefix, plen) == 0 && strncmp(rest, name, len) == 0 &&
            (!exact || rest[len] == '\0'))
            n++;
    }
    closedir(d);
    return n;
}

/* Counts the backend's files for objects whose name (after any Global\) matches:
   /dev/shm/winipc.g.<name> and the user's namespace directory's <name> (the portable
   backend: <its directory>/winipc.pg.<name> and winipc.pu<uid>/<name>). */
static int count_shm(const char *name, bool exact)
{
    char user_dir[256], global[256], *slash;

    test_user_dir(user_dir, sizeof user_dir, (unsigned long)geteuid());
    test_global_path(global, sizeof global, ""); /* "<dir>/<prefix>" */
    slash = strrchr(global, '/');
    *slash = '\0';
    return count_entries(global, slash + 1, name, exact) + count_entries(user_dir, "", name, exact);
}

int shm_leftovers(const char *prefix)
{
    return count_shm(prefix, false);
}

bool shm_exists(const char *name)
{
    return count_shm(name, true) != 0;
}

double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

bool running_on_wine(void)
{
    return false;
}

#endif
