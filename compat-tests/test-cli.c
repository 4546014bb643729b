/*
 * test-cli.c - the winipc command (Linux) against live objects of helper processes:
 * what ls and info show, rm, sweep, the exit codes of wait, set and release, and the
 * --json output read by a JSON parser (python3's json module).
 *
 * The command is a winipc process that does not sweep at its start, so `winipc ls`
 * can show a leftover. Every other winipc process of the user does sweep as it starts
 * -- on this machine that includes other test runs as root -- so the leftover test
 * runs in a /dev/shm of its own (a mount namespace, as root), or else retries when
 * someone else's start removed the leftover first.
 */
#include "helpers.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* What a run of a command printed and how it ended. */
struct run {
    int status; /* exit code; -1 timeout, -2 killed by a signal, -3 not started */
    char out[1 << 20];
    char err[1 << 12];
};

/*
 * Runs argv (argv[0] a path) with `input` on its stdin (may be NULL) and collects
 * stdout and stderr, within CHILD_LIMIT_MS.
 */
static void run_argv(struct run *r, char *const argv[], const char *input)
{
    int out[2], err[2], in[2];
    size_t nout = 0, nerr = 0;
    posix_spawn_file_actions_t fa;
    double deadline = now_ms() + CHILD_LIMIT_MS;
    pid_t pid;
    int status;

    r->status = -3;
    r->out[0] = r->err[0] = '\0';
    if (pipe(out) || pipe(err) || pipe(in))
        return;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addclose(&fa, err[0]);
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0)
        pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (pid > 0 && input) /* small inputs: they fit in the pipe */
        (void)!write(in[1], input, strlen(input));
    close(in[1]);
    while (pid > 0 && (out[0] >= 0 || err[0] >= 0)) {
        struct pollfd p[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
        double left = deadline - now_ms();

        if (left <= 0 || poll(p, 2, (int)left) == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            r->status = -1;
            pid = -1;
            break;
        }
        for (int i = 0; i < 2; i++) {
            int *fd = i ? &err[0] : &out[0];
            char *buf = i ? r->err : r->out;
            size_t *n = i ? &nerr : &nout, size = i ? sizeof r->err : sizeof r->out;
            ssize_t got;

            if (*fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            got = read(*fd, buf + *n, size - 1 - *n);
            if (got > 0) {
                *n += (size_t)got;
                buf[*n] = '\0';
            } else if (got == 0 || errno != EINTR) {
                close(*fd);
                *fd = -1;
            }
        }
    }
    if (out[0] >= 0)
        close(out[0]);
    if (err[0] >= 0)
        close(err[0]);
    if (pid > 0) {
        while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
            ;
        r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -2;
    }
}

/* Runs `winipc ARGS...` (at most 4 arguments). */
static struct run *cli(const char *a1, const char *a2, const char *a3, const char *a4)
{
    static struct run r;
    char *argv[] = {WINIPC_CLI_PATH, (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL};

    run_argv(&r, argv, NULL);
    return &r;
}

/*
 * Runs python3 on the JSON `json` with a script that prints one line about the object
 * named `name` ("missing" if there is none): a JSON parser reads what we wrote.
 */
static const char *json_facts(const char *json, const char *name)
{
    static struct run r;
    static const char script[] =
        "import json, sys\n"
        "d = json.load(sys.stdin)\n"
        "objs = d if isinstance(d, list) else [d]\n"
        "o = [x for x in objs if x['name'] == sys.argv[1]]\n"
        "if not o: print('missing'); sys.exit(0)\n"
        "o = o[0]; s = o['state'] or {}\n"
        "print('ns=%s kind=%s leftover=%s holders=%s count=%d state=%s' % (o['namespace'], "
        "o['kind'], o['leftover'], ','.join(str(p) for p in o['holders']), o['holder_count'], "
        "','.join('%s:%s' % (k, s[k]) for k in sorted(s) if k != 'file')))\n";
    char *argv[] = {"/usr/bin/python3", "-c", (char *)script, (char *)name, NULL};

    run_argv(&r, argv, json);
    if (r.status != 0)
        printf("\n    python3 failed (%d): %s\n", r.status, r.err);
    return r.status == 0 ? r.out : "python3 failed";
}

/* Whether `text` has `needle`; prints the text when not, for the log. */
static bool has(const char *text, const char *needle)
{
    if (strstr(text, needle))
        return true;
    printf("\n    expected \"%s\" in:\n%s\n    ", needle, text);
    return false;
}

/* ---- Helpers ------------------------------------------------------------------------ */

/*
 * Helper: makes objects named <base>-ev (manual, set), -mx (owned twice by its main
 * thread), -sem (3 of 10), -sec (65536 bytes) and Global\<base>-gev, reports ready,
 * waits for <base>-quit (or is killed).
 */
static int role_cli_hold(int argc, char **argv)
{
    char name[5][200];
    const char *base = argc > 0 ? argv[0] : "";
    HANDLE h[5], quit;

    snprintf(name[0], sizeof name[0], "%s-ev", base);
    snprintf(name[1], sizeof name[1], "%s-mx", base);
    snprintf(name[2], sizeof name[2], "%s-sem", base);
    snprintf(name[3], sizeof name[3], "%s-sec", base);
    snprintf(name[4], sizeof name[4], "Global\\%s-gev", base);
    h[0] = CreateEventA(NULL, TRUE, TRUE, name[0]);
    h[1] = CreateMutexA(NULL, TRUE, name[1]);
    h[2] = CreateSemaphoreA(NULL, 3, 10, name[2]);
    h[3] = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536, name[3]);
    h[4] = CreateEventA(NULL, FALSE, FALSE, name[4]);
    for (int i = 0; i < 5; i++)
        if (!h[i])
            return 10 + i;
    if (WaitForSingleObject(h[1], 0) != WAIT_OBJECT_0) /* recursion 2 */
        return 20;
    snprintf(name[0], sizeof name[0], "%s-quit", base);
    quit = CreateEventA(NULL, TRUE, FALSE, name[0]);
    if (!quit || !signal_ready(base))
        return 21;
    return WaitForSingleObject(quit, CHILD_LIMIT_MS) == WAIT_OBJECT_0 ? 0 : 22;
}

/* Helper: takes mutex argv[0] and exits without releasing it (it is abandoned). */
static int role_cli_abandon(int argc, char **argv)
{
    HANDLE m = argc > 0 ? OpenMutexA(SYNCHRONIZE, FALSE, argv[0]) : NULL;

    return m && WaitForSingleObject(m, CHILD_LIMIT_MS) == WAIT_OBJECT_0 ? 0 : 1;
}

/* Starts role_cli_hold on `base` and waits until it is ready. */
static struct child *start_holder(const char *base, HANDLE *ready)
{
    struct child *c;

    *ready = ready_event(base);
    c = child_spawn("cli-hold", base, NULL);
    if (!c || !wait_ready(*ready, CHILD_LIMIT_MS)) {
        CU_FAIL("holder not ready");
        if (c)
            child_kill(c);
        CloseHandle(*ready);
        return NULL;
    }
    return c;
}

static void stop_holder(struct child *c, const char *base, HANDLE ready)
{
    char quit_name[200];
    HANDLE quit;

    snprintf(quit_name, sizeof quit_name, "%s-quit", base);
    quit = OpenEventA(EVENT_MODIFY_STATE, FALSE, quit_name);
    CU_ASSERT_PTR_NOT_NULL(quit);
    if (quit) {
        SetEvent(quit);
        CloseHandle(quit);
    }
    CU_ASSERT_EQUAL(child_wait(c, CHILD_LIMIT_MS), 0);
    CloseHandle(ready);
}

/* ---- Tests ---------------------------------------------------------------------------- */

static void test_ls_and_info(void)
{
    const char *base = test_name("cli");
    char name[256], expect[256], pidbuf[32], me[32];
    struct child *c;
    struct run *r;
    HANDLE ready, ev;
    pid_t pid;

    c = start_holder(base, &ready);
    if (!c)
        return;
    pid = child_pid(c);
    snprintf(pidbuf, sizeof pidbuf, "%d", (int)pid);
    snprintf(me, sizeof me, "%d", (int)getpid());
    snprintf(name, sizeof name, "%s-ev", base);
    ev = OpenEventA(SYNCHRONIZE, FALSE, name); /* a second holder: this process */
    CU_ASSERT_PTR_NOT_NULL(ev);

    /* The table. */
    r = cli("ls", NULL, NULL, NULL);
    CU_ASSERT_EQUAL(r->status, 0);
    CU_ASSERT_TRUE(has(r->out, "NS"));
    snprintf(expect, sizeof expect, "%s-ev", base);
    CU_ASSERT_TRUE(has(r->out, expect));
    CU_ASSERT_TRUE(has(r->out, "signalled, manual-reset"));
    CU_ASSERT_TRUE(has(r->out, "count 3 of 10"));
    CU_ASSERT_TRUE(has(r->out, "65536 bytes, read-write"));
    snprintf(expect, sizeof expect, "owned by pid %d tid %d, recursion 2", (int)pid, (int)pid);
    CU_ASSERT_TRUE(has(r->out, expect));
    /* Cut to a narrow terminal: every line fits, names end with the marker. */
    setenv("COLUMNS", "60", 1);
    r = cli("ls", NULL, NULL, NULL);
    unsetenv("COLUMNS");
    CU_ASSERT_EQUAL(r->status, 0);
    CU_ASSERT_TRUE(has(r->out, "\xE2\x80\xA6"));

    /* One object in full. */
    snprintf(name, sizeof name, "Local\\%s-mx", base);
    r = cli("info", name, NULL, NULL);
    CU_ASSERT_EQUAL(r->status, 0);
    CU_ASSERT_TRUE(has(r->out, "kind:      mutex"));
    CU_ASSERT_TRUE(has(r->out, expect));
    CU_ASSERT_TRUE(has(r->out, pidbuf));
    CU_ASSERT_TRUE(has(r->out, "leftover:  no"));
    snprintf(name, sizeof name, "%s-ev", base);
    r = cli("info", name, NULL, NULL);
    CU_ASSERT_TRUE(has(r->out, pidbuf));
    CU_ASSERT_TRUE(has(r->out, me));
    CU_ASSERT_TRUE(has(r->out, "2 holder locks"));
    snprintf(name, sizeof name, "Global\\%s-gev", base);
    r = cli("info", name, NULL, NULL);
    CU_ASSERT_EQUAL(r->status, 0);
    CU_ASSERT_TRUE(has(r->out, "not signalled, auto-reset"));
    r = cli("info", "no-such-object-anywhere", NULL, NULL);
    CU_ASSERT_EQUAL(r->status, 3);
    CU_ASSERT_TRUE(
        has(r->err, "ERROR_FILE_NOT_FOUND (2): The system cannot find the file specified."));

    /* The same through a JSON parser. */
    r = cli("ls", "--json", NULL, NULL);
    CU_ASSERT_EQUAL(r->status, 0);
    {
        static char json[sizeof r->out];
        const char *facts;

        memcpy(json, r->out, sizeof json);
        snprintf(name, sizeof name, "%s-ev", base);
        facts = json_facts(json, name);
        CU_ASSERT_TRUE(has(facts, "ns=Local kind=event leftover=False holders="));
        CU_ASSERT_TRUE(has(facts, pidbuf));
        CU_ASSERT_TRUE(has(facts, me));
        CU_ASSERT_TRUE(has(facts, "count=2 state=manual_reset:True,signalled:True"));
        snprintf(name, sizeof name, "%s-mx", base);
        snprintf(expect, sizeof expect,
                 "ns=Local kind=mutex leftover=False holders=%d count=1 "
                 "state=abandoned:False,owner_pid:%d,owner_tid:%d,recursion:2",
                 (int)pid, (int)pid, (int)pid);
        CU_ASSERT_TRUE(has(json_facts(json, name), expect));
        snprintf(name, sizeof name, "%s-sem", base);
        facts = json_facts(json, name);
        CU_ASSERT_TRUE(has(facts, "kind=semaphore leftover=False"));
        CU_ASSERT_TRUE(has(facts, "state=count:3,maximum:10"));
        snprintf(name, sizeof name, "%s-sec", base);
        facts = json_facts(json, name);
        CU_ASSERT_TRUE(has(facts, "kind=section leftover=False"));
        CU_ASSERT_TRUE(has(facts, "file_backed:False,protect:4,size:65536"));
        snprintf(name, sizeof name, "%s-gev", base);
        CU_ASSERT_TRUE(has(json_facts(json, name), "ns=Global kind=event"));
    }
    snprintf(name, sizeof name, "%s-sem", base);
    r = cli("info", "--json", name, NULL);
    CU_ASSERT_EQUAL(r->status, 0);
    CU_ASSERT_TRUE(has(json_facts(r->out, name), "state=count:3,maximum:10"));

    CloseHandle(ev);
    stop_holder(c, base, ready);
}

static void test_rm(void)
{
    const char *base = test_name("clirm");
    char name[256], pidbuf[32];
    HANDLE ready, s;
    struct child *c = start_holder(base, &ready);
    struct run *r;

    if (!c)
        return;
    snprintf(pidbuf, sizeof pidbuf, "%d", (int)child_pid(c));
    snprintf(name, sizeof name, "%s-sem", base);
    r = cli("rm", name, NULL, NULL);
    CU_ASSERT_EQUAL(r->status, 5); /* in use: refused, and says who holds it */
    CU_ASSERT_TRUE(has(r->err, pidbuf));
    CU_ASSERT_TRUE(shm_exists(name));
    r = cli("rm", "--force", name, NULL);
    CU_ASSERT_EQUAL(r->status, 0);
    CU_ASSERT_FALSE(shm_exists(name));
    CU_ASSERT_EQUAL(cli("rm", name, NULL, NULL)->status, 3);
    /* The name is free again: a new object, while the holder keeps its old one. */
    s = CreateSemaphoreA(NULL, 0, 1, name);
    CU_ASSERT_PTR_NOT_NULL(s);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    CloseHandle(s);
    stop_holder(c, base, ready);
}

static void test_wait_set_release(void)
{
    char ev_name[128], sem_name[128], mx_name[128], sec_name[128];
    HANDLE ev, sem, mx, sec;
    struct run *r;

    snprintf(ev_name, sizeof ev_name, "%s", test_name("cliev"));
    snprintf(sem_name, sizeof sem_name, "%s", test_name("clisem"));
    snprintf(mx_name, sizeof mx_name, "%s", test_name("climx"));
    snprintf(sec_name, sizeof sec_name, "%s", test_name("clisec"));
    ev = CreateEventA(NULL, FALSE, FALSE, ev_name);
    sem = CreateSemaphoreA(NULL, 0, 5, sem_name);
    mx = CreateMutexA(NULL, FALSE, mx_name);
    sec = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, sec_name);
    CU_ASSERT_FATAL(ev && sem && mx && sec);

    /* Events: timeout 1, set 0, the auto-reset event is taken once. */
    CU_ASSERT_EQUAL(cli("wait", ev_name, "50", NULL)->status, 1);
    CU_ASSERT_EQUAL(cli("set", ev_name, NULL, NULL)->status, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    CU_ASSERT_EQUAL(cli("set", ev_name, NULL, NULL)->status, 0);
    CU_ASSERT_EQUAL(cli("wait", ev_name, "1000", NULL)->status, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_TIMEOUT); /* the command took it */
    SetEvent(ev);
    CU_ASSERT_EQUAL(cli("reset", ev_name, NULL, NULL)->status, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);

    /* Semaphores: release N prints the previous count; beyond the maximum fails. */
    r = cli("release", sem_name, "2", NULL);
    CU_ASSERT_EQUAL(r->status, 0);
    CU_ASSERT_STRING_EQUAL(r->out, "0\n");
    CU_ASSERT_EQUAL(WaitForSingleObject(sem, 0), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(cli("wait", sem_name, "0", NULL)->status, 0);
    CU_ASSERT_EQUAL(cli("wait", sem_name, "0", NULL)->status, 1);
    r = cli("release", sem_name, "9", NULL);
    CU_ASSERT_EQUAL(r->status, 4);
    CU_ASSERT_TRUE(has(r->err, "ERROR_TOO_MANY_POSTS (298)"));

    /* Mutexes: a wait takes it and the command's exit abandons it ... */
    CU_ASSERT_EQUAL(cli("wait", mx_name, "1000", NULL)->status, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(mx, 1000), WAIT_ABANDONED);
    /* ... while we own it the command times out, and it cannot release it ... */
    CU_ASSERT_EQUAL(cli("wait", mx_name, "50", NULL)->status, 1);
    r = cli("release", mx_name, NULL, NULL);
    CU_ASSERT_EQUAL(r->status, 4);
    CU_ASSERT_TRUE(has(r->err, "ERROR_NOT_OWNER (288)"));
    CU_ASSERT_TRUE(ReleaseMutex(mx));
    /* ... --release gives it back ... */
    CU_ASSERT_EQUAL(cli("wait", "--release", mx_name, "1000")->status, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(mx, 0), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(ReleaseMutex(mx));
    /* ... and a mutex abandoned by another process gives 2. */
    CU_ASSERT_EQUAL(child_wait(child_spawn("cli-abandon", mx_name, NULL), CHILD_LIMIT_MS), 0);
    r = cli("wait", "--release", mx_name, "1000");
    CU_ASSERT_EQUAL(r->status, 2);
    CU_ASSERT_TRUE(has(r->err, "WAIT_ABANDONED"));
    CU_ASSERT_EQUAL(WaitForSingleObject(mx, 0), WAIT_OBJECT_0); /* released: not abandoned */
    CU_ASSERT_TRUE(ReleaseMutex(mx));

    /* Not found 3, not waitable 4, usage 6, with Win32 names and texts. */
    r = cli("wait", "no-such-object-anywhere", "10", NULL);
    CU_ASSERT_EQUAL(r->status, 3);
    CU_ASSERT_TRUE(
        has(r->err, "ERROR_FILE_NOT_FOUND (2): The system cannot find the file specified."));
    CU_ASSERT_EQUAL(cli("set", "no-such-object-anywhere", NULL, NULL)->status, 3);
    r = cli("wait", sec_name, "10", NULL);
    CU_ASSERT_EQUAL(r->status, 4);
    CU_ASSERT_TRUE(has(r->err, "ERROR_INVALID_HANDLE (6)"));
    CU_ASSERT_EQUAL(cli("set", sem_name, NULL, NULL)->status, 4);
    CU_ASSERT_EQUAL(cli("wait", ev_name, "soon", NULL)->status, 6);
    CU_ASSERT_EQUAL(cli("frobnicate", NULL, NULL, NULL)->status, 6);

    CloseHandle(ev);
    CloseHandle(sem);
    CloseHandle(mx);
    CloseHandle(sec);
}

/*
 * The leftover scenario, in a process of its own (see the top): a holder killed with
 * SIGKILL leaves its objects; ls shows them as leftovers, sweep removes them and says
 * so. Returns 0, 1 on a failed check (printed), 2 when the leftover vanished before
 * the command saw it (another process's start swept it).
 */
static int leftover_scenario(void)
{
    const char *base = test_name("clileft");
    char name[256], line[512];
    struct child *c;
    HANDLE ready;
    struct run *r;

    ready = ready_event(base);
    c = child_spawn("cli-hold", base, NULL);
    if (!c || !wait_ready(ready, CHILD_LIMIT_MS)) {
        printf("holder not ready\n");
        return 1;
    }
    CloseHandle(ready); /* before the kill: our own object must not survive it */
    child_kill(c);
    snprintf(name, sizeof name, "%s-mx", base);
    if (!shm_exists(name))
        return 2;
    r = cli("ls", "--json", NULL, NULL);
    if (r->status != 0) {
        printf("winipc ls --json: %d %s\n", r->status, r->err);
        return 1;
    }
    snprintf(line, sizeof line, "%s", json_facts(r->out, name));
    if (strstr(line, "missing"))
        return 2;
    if (!strstr(line, "kind=mutex leftover=True holders= count=0") ||
        !strstr(line, "abandoned:True")) {
        printf("a killed holder's mutex: %s\n", line);
        return 1;
    }
    r = cli("info", name, NULL, NULL);
    if (!strstr(r->out, "leftover:  yes") || !strstr(r->out, "WAIT_ABANDONED")) {
        if (!shm_exists(name))
            return 2;
        printf("winipc info of a leftover:\n%s\n", r->out);
        return 1;
    }
    r = cli("sweep", NULL, NULL, NULL);
    snprintf(line, sizeof line, "removed Local\\%s (mutex, left by crashed processes)", name);
    if (r->status != 0 || !strstr(r->out, line)) {
        if (!strstr(r->out, base)) /* swept by someone else meanwhile */
            return 2;
        printf("winipc sweep: %d\n%s\n", r->status, r->out);
        return 1;
    }
    snprintf(line, sizeof line, "removed Global\\%s-gev", base);
    if (!strstr(r->out, line) || shm_leftovers(base) != 0) {
        printf("winipc sweep left some:\n%s\n", r->out);
        return 1;
    }
    return 0;
}

static int role_cli_leftover(int argc, char **argv)
{
    (void)argc, (void)argv;
    return leftover_scenario();
}

static void test_leftover_and_sweep(void)
{
    char self[4096], cmd[4400];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    char *argv[] = {"/usr/bin/unshare", "-m", "/bin/sh", "-c", cmd, NULL};
    int result = 2;

    if (geteuid() == 0 && n > 0 && access(argv[0], X_OK) == 0) {
        /* A /dev/shm of its own: nobody else's start can sweep it. */
        self[n] = '\0';
        snprintf(cmd, sizeof cmd,
                 "mount --make-rprivate / && mount -t tmpfs tmpfs /dev/shm && "
                 "exec '%s' --child cli-leftover",
                 self);
        result = child_wait(child_spawn_argv(argv), CHILD_LIMIT_MS);
    } else {
        for (int attempt = 0; attempt < 5 && result == 2; attempt++)
            result = leftover_scenario();
    }
    CU_ASSERT_EQUAL(result, 0);
}

/* A waitable timer: its state, next due time and period; `winipc wait` takes it. */
static void test_timer(void)
{
    const char *name = test_name("clitimer");
    HANDLE t = CreateWaitableTimerA(NULL, FALSE, name);
    LARGE_INTEGER due;
    struct run *r;
    char facts[512];

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    due.QuadPart = -600000000LL; /* in 60 s, then every second */
    CU_ASSERT_TRUE(SetWaitableTimer(t, &due, 1000, NULL, NULL, FALSE));
    r = cli("info", name, NULL, NULL);
    CU_ASSERT_EQUAL(r->status, 0);
    CU_ASSERT_TRUE(has(r->out, "kind:      timer"));
    CU_ASSERT_TRUE(has(r->out, "not signalled, synchronization, due in 5"));
    CU_ASSERT_TRUE(has(r->out, "period 1000 ms"));
    r = cli("info", "--json", name, NULL);
    CU_ASSERT_EQUAL(r->status, 0);
    snprintf(facts, sizeof facts, "%s", json_facts(r->out, name));
    CU_ASSERT_TRUE(has(facts, "kind=timer leftover=False"));
    CU_ASSERT_TRUE(has(facts, "active:True,due_in_ms:5"));
    CU_ASSERT_TRUE(has(facts, "manual_reset:False,period_ms:1000,signalled:False"));
    /* Not due: the wait times out (exit status 1); once due, the wait takes it. */
    r = cli("wait", name, "0", NULL);
    CU_ASSERT_EQUAL(r->status, 1);
    due.QuadPart = -1; /* due at once, one-shot */
    CU_ASSERT_TRUE(SetWaitableTimer(t, &due, 0, NULL, NULL, FALSE));
    r = cli("wait", name, "5000", NULL);
    CU_ASSERT_EQUAL(r->status, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(t, 0), WAIT_TIMEOUT); /* the command took it */
    CloseHandle(t);
}

CU_TestInfo test_cli_tests[] = {
    {"winipc ls and info show kinds, states and holders (text and JSON)", test_ls_and_info},
    {"winipc rm refuses a held object and --force removes its name", test_rm},
    {"winipc wait, set, reset and release: Windows semantics and exit codes",
     test_wait_set_release},
    {"a killed holder's objects: ls shows leftovers, sweep removes them", test_leftover_and_sweep},
    {"winipc info and wait on a waitable timer", test_timer},
    CU_TEST_INFO_NULL,
};

const struct test_role test_cli_roles[] = {
    {"cli-hold", role_cli_hold},
    {"cli-abandon", role_cli_abandon},
    {"cli-leftover", role_cli_leftover},
    {NULL, NULL},
};
