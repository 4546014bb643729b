/*
 * test-hostile.c - other users as adversaries, stopped processes, a full /dev/shm:
 * no call hangs, crashes, reports a false success or trusts what someone planted
 * (Linux: these are the posix backend's own defences; Windows has its kernel's).
 *
 * The cross-user checks run roles as two unprivileged users, A (the victim) and B
 * (the adversary), through run-as; they need root and the users tools/test.sh makes,
 * and are reported as skipped otherwise. Roles talk through Global\ events that the
 * test (root) creates open to everyone. Roles exit 0 when what they saw was right,
 * and print what was wrong otherwise.
 */
#include "helpers.h"

#include "../posix/shared.h"
#ifdef WINIPC_TEST_PORTABLE
#include "../portable/pshared.h"
#endif

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BOUND_MS 3000.0 /* the longest any call here may take: 2 s of lock waiting + slack */

static SECURITY_ATTRIBUTES *open_to_all(void)
{
    static SECURITY_DESCRIPTOR sd;
    static SECURITY_ATTRIBUTES sa = {sizeof sa, &sd, FALSE};

    InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION);
    SetSecurityDescriptorDacl(&sd, TRUE, NULL, FALSE);
    return &sa;
}

/* "Global\<base>-<tag>": a handshake event open to everyone, made by the test. */
static HANDLE global_event(const char *base, const char *tag)
{
    char name[200];

    snprintf(name, sizeof name, "Global\\%s-%s", base, tag);
    return CreateEventA(open_to_all(), TRUE, FALSE, name);
}

/* In a role: sets or waits for the test's event "Global\<base>-<tag>". */
static bool role_set(const char *base, const char *tag)
{
    char name[200];
    HANDLE e;
    BOOL ok;

    snprintf(name, sizeof name, "Global\\%s-%s", base, tag);
    e = OpenEventA(EVENT_MODIFY_STATE, FALSE, name);
    ok = e && SetEvent(e);
    if (e)
        CloseHandle(e);
    return ok;
}

static bool role_wait(const char *base, const char *tag)
{
    char name[200];
    HANDLE e;
    bool ok;

    snprintf(name, sizeof name, "Global\\%s-%s", base, tag);
    e = OpenEventA(SYNCHRONIZE, FALSE, name);
    ok = e && WaitForSingleObject(e, CHILD_LIMIT_MS) == WAIT_OBJECT_0;
    if (e)
        CloseHandle(e);
    return ok;
}

/* The file of Global\<name> in /dev/shm. */
static const char *global_file(const char *name)
{
    static char path[300];

    test_global_path(path, sizeof path, name);
    return path;
}

static int fail(const char *what)
{
    fprintf(stderr, "%s (last error %lu, errno %d)\n", what, (unsigned long)GetLastError(), errno);
    return 1;
}

/* ---- Squatting Global\ names -------------------------------------------------------- */

/* Role (B): plants the file of Global\argv[0], open to everyone: argv[1] is "empty",
   "garbage" or "leftover" (a real object of B's, open to everyone, left unheld). */
static int role_plant(int argc, char **argv)
{
    const char *path;
    char junk[8192];
    int fd;

    if (argc < 2)
        return 10;
    if (strcmp(argv[1], "leftover") == 0) {
        char name[200];

        snprintf(name, sizeof name, "Global\\%s", argv[0]);
        if (!CreateEventA(open_to_all(), TRUE, TRUE, name))
            return fail("create");
        _exit(0); /* as a crash: nobody runs the last close */
    }
    path = global_file(argv[0]);
    fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0666);
    if (fd == -1 || fchmod(fd, 0666) != 0)
        return fail("plant");
    if (strcmp(argv[1], "garbage") == 0) {
        memset(junk, 0x5A, sizeof junk);
        if (write(fd, junk, sizeof junk) != (ssize_t)sizeof junk)
            return fail("write");
    }
    close(fd);
    return 0;
}

/* Role (A): creates Global\argv[0] with default security or open to everyone
   (argv[1] "open"). Exit: 0 created, 1 already existed, 2 ERROR_ACCESS_DENIED, 3 any
   other error, 9 too slow. */
static int role_create_global(int argc, char **argv)
{
    char name[200];
    double t0 = now_ms();
    HANDLE h;
    DWORD err;

    if (argc < 2)
        return 10;
    snprintf(name, sizeof name, "Global\\%s", argv[0]);
    SetLastError(0xDEAD);
    h = CreateEventA(strcmp(argv[1], "open") == 0 ? open_to_all() : NULL, TRUE, FALSE, name);
    err = GetLastError();
    if (now_ms() - t0 > BOUND_MS)
        return 9;
    if (h)
        CloseHandle(h);
    if (h)
        return err == ERROR_SUCCESS ? 0 : err == ERROR_ALREADY_EXISTS ? 1 : 3;
    return err == ERROR_ACCESS_DENIED ? 2 : 3;
}

/* The exit code of `role` run as `user`. */
static int run_as(const char *user, const char *role, const char *a1, const char *a2)
{
    return child_wait(child_spawn_as(user, role, a1, a2), CHILD_LIMIT_MS);
}

static void remove_global(const char *name)
{
    unlink(global_file(name)); /* as root: whoever owns it */
}

static void test_squatted_global_names(void)
{
    const char *empty = test_name("squat-empty"), *junk = test_name("squat-junk");
    const char *left = test_name("squat-left");

    if (!test_users())
        return;
    /* An empty file someone planted: never a false "created", no data in it. */
    CU_ASSERT_EQUAL(run_as(TEST_USER_B, "plant", empty, "empty"), 0);
    CU_ASSERT_EQUAL(run_as(TEST_USER_A, "create-global", empty, "default"), 2);
    CU_ASSERT_EQUAL(run_as(TEST_USER_A, "create-global", empty, "open"), 2);
    /* Garbage: the same, promptly (it once made a create spin forever). */
    CU_ASSERT_EQUAL(run_as(TEST_USER_B, "plant", junk, "garbage"), 0);
    CU_ASSERT_EQUAL(run_as(TEST_USER_A, "create-global", junk, "default"), 2);
    CU_ASSERT_EQUAL(run_as(TEST_USER_A, "create-global", junk, "open"), 2);
    /* A real object of B's, open to everyone, whose holders all crashed: A cannot
       remove B's file; a private create of the name is refused, and one open to
       everyone takes it over (it is world-writable anyway), as a new object. */
    CU_ASSERT_EQUAL(run_as(TEST_USER_B, "plant", left, "leftover"), 0);
    CU_ASSERT_EQUAL(run_as(TEST_USER_A, "create-global", left, "default"), 2);
    CU_ASSERT_EQUAL(run_as(TEST_USER_A, "create-global", left, "open"), 0);
    remove_global(empty);
    remove_global(junk);
    remove_global(left);
}

/* ---- Locks held by someone else --------------------------------------------------- */

/* Role (A): creates Global\argv[0] open to everyone, says "held", waits for "close",
   closes it and exits 0 if that took less than BOUND_MS. */
static int role_hold_then_close(int argc, char **argv)
{
    char name[200];
    double t0;
    HANDLE h;

    if (argc < 1)
        return 10;
    snprintf(name, sizeof name, "Global\\%s", argv[0]);
    h = CreateEventA(open_to_all(), TRUE, FALSE, name);
    if (!h || !role_set(argv[0], "held") || !role_wait(argv[0], "close"))
        return fail("hold");
    t0 = now_ms();
    CloseHandle(h);
    return now_ms() - t0 < BOUND_MS ? 0 : fail("CloseHandle took too long");
}

/* Role (B): locks the mutation byte of Global\argv[0]'s file, says "locked", and keeps
   the lock until "quit". */
static int role_lock_mutation(int argc, char **argv)
{
#ifdef WINIPC_TEST_PORTABLE
    /* The portable backend has one lock, a flock of the whole file: B keeps it
       exclusively, as a decider that never ends, on a file it plants (an exclusive
       flock is only to be had on a file that nobody holds). */
    int fd = argc > 0 ? open(global_file(argv[0]), O_RDWR | O_CREAT | O_EXCL, 0666) : -1;

    if (fd == -1 || fchmod(fd, 0666) != 0 || flock(fd, LOCK_EX | LOCK_NB) != 0)
        return fail("lock");
#else
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 1, .l_len = 1};
    int fd = argc > 0 ? open(global_file(argv[0]), O_RDWR) : -1;

    if (fd == -1 || fcntl(fd, F_OFD_SETLK, &fl) != 0)
        return fail("lock");
#endif
    if (!role_set(argv[0], "locked") || !role_wait(argv[0], "quit"))
        return 11;
    return 0;
}

/* Role (A): opens Global\argv[0]; exits 0 if it failed with ERROR_SHARING_VIOLATION in
   less than BOUND_MS. */
static int role_open_locked(int argc, char **argv)
{
    char name[200];
    double t0 = now_ms(), dt;
    HANDLE h;

    if (argc < 1)
        return 10;
    snprintf(name, sizeof name, "Global\\%s", argv[0]);
    h = OpenEventA(SYNCHRONIZE, FALSE, name);
    dt = now_ms() - t0;
    if (h || GetLastError() != ERROR_SHARING_VIOLATION)
        return fail("open of a locked object");
    return dt < BOUND_MS ? 0 : fail("open took too long");
}

static void test_locks_held_by_another_user(void)
{
    const char *base = test_name("locked");
    HANDLE held = global_event(base, "held"), locked = global_event(base, "locked");
    HANDLE close_ev = global_event(base, "close"), quit = global_event(base, "quit");
    struct child *holder, *locker;

    if (!test_users())
        goto out;
#ifdef WINIPC_TEST_PORTABLE
    /* B keeps the only lock there is on a file at the name: A's open and create wait a
       bounded time and fail. (A holder's close never waits on the portable backend: it
       only tries its lock.) */
    locker = child_spawn_as(TEST_USER_B, "lock-mutation", base, NULL);
    CU_ASSERT_EQUAL_FATAL(WaitForSingleObject(locked, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(run_as(TEST_USER_A, "open-locked", base, NULL), 0);
    CU_ASSERT_EQUAL(run_as(TEST_USER_A, "create-global", base, "open"), 3);
    (void)holder;
#else
    holder = child_spawn_as(TEST_USER_A, "hold-then-close", base, NULL);
    CU_ASSERT_EQUAL_FATAL(WaitForSingleObject(held, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    locker = child_spawn_as(TEST_USER_B, "lock-mutation", base, NULL);
    CU_ASSERT_EQUAL_FATAL(WaitForSingleObject(locked, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    /* B keeps the object's mutation lock: A's open waits a bounded time and fails,
       and the holder's last close returns (leaving the unlink to a later sweep). */
    CU_ASSERT_EQUAL(run_as(TEST_USER_A, "open-locked", base, NULL), 0);
    SetEvent(close_ev);
    CU_ASSERT_EQUAL(child_wait(holder, CHILD_LIMIT_MS), 0);
#endif
    SetEvent(quit);
    CU_ASSERT_EQUAL(child_wait(locker, CHILD_LIMIT_MS), 0);
    remove_global(base);
out:
    CloseHandle(held);
    CloseHandle(locked);
    CloseHandle(close_ev);
    CloseHandle(quit);
}

/* ---- The per-user namespace ------------------------------------------------------- */

static uid_t uid_of(const char *user)
{
    struct passwd *pw = getpwnam(user);

    return pw ? pw->pw_uid : (uid_t)-1;
}

/* Role (A): creates argv[0] in its namespace, says "held", waits for "quit". */
static int role_hold_private(int argc, char **argv)
{
    HANDLE h = argc > 0 ? CreateEventA(NULL, TRUE, FALSE, argv[0]) : NULL;

    if (!h || !role_set(argv[0], "held") || !role_wait(argv[0], "quit"))
        return fail("hold");
    return 0;
}

/* Role (B): cannot list, open, create in or lock anything of A's namespace; its own
   open of the name finds nothing. */
static int role_probe_private(int argc, char **argv)
{
    char dir[100], path[400];
    int fd;

    if (argc < 1)
        return 10;
    test_user_dir(dir, sizeof dir, (unsigned long)uid_of(TEST_USER_A));
    snprintf(path, sizeof path, "%s/%s", dir, argv[0]);
    if (open(dir, O_RDONLY | O_DIRECTORY) != -1 || errno != EACCES)
        return fail("listed A's namespace");
    if (open(path, O_RDONLY) != -1 || errno != EACCES)
        return fail("opened A's object");
    snprintf(path, sizeof path, "%s/planted", dir);
    if ((fd = open(path, O_RDWR | O_CREAT, 0666)) != -1 || errno != EACCES)
        return fail("created in A's namespace");
    if (OpenEventA(SYNCHRONIZE, FALSE, argv[0]) || GetLastError() != ERROR_FILE_NOT_FOUND)
        return fail("reached A's object by name");
    return 0;
}

static void test_private_namespace(void)
{
    const char *name = test_name("private");
    HANDLE held = global_event(name, "held"), quit = global_event(name, "quit");
    struct child *holder;

    if (!test_users())
        goto out;
    holder = child_spawn_as(TEST_USER_A, "hold-private", name, NULL);
    CU_ASSERT_EQUAL_FATAL(WaitForSingleObject(held, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(run_as(TEST_USER_B, "probe-private", name, NULL), 0);
    SetEvent(quit);
    CU_ASSERT_EQUAL(child_wait(holder, CHILD_LIMIT_MS), 0);
out:
    CloseHandle(held);
    CloseHandle(quit);
}

/* Role (B): makes A's namespace directory before A does, open to everyone. */
static int role_plant_dir(int argc, char **argv)
{
    char dir[100];

    (void)argc, (void)argv;
    test_user_dir(dir, sizeof dir, (unsigned long)uid_of(TEST_USER_A));
    if (mkdir(dir, 0777) != 0 || chmod(dir, 0777) != 0)
        return fail("mkdir");
    return 0;
}

/* Role (A): a private create must not land in a directory someone else owns: it fails
   with ERROR_ACCESS_DENIED (or uses A's own /run/user directory). Exit 0 if so. */
static int role_create_private(int argc, char **argv)
{
    char run[100];
    struct stat st;
    HANDLE h = argc > 0 ? CreateEventA(NULL, TRUE, FALSE, argv[0]) : NULL;

    snprintf(run, sizeof run, "/run/user/%lu", (unsigned long)getuid());
    if (stat(run, &st) == 0 && st.st_uid == getuid())
        return h ? 0 : fail("create with a /run/user directory");
    return !h && GetLastError() == ERROR_ACCESS_DENIED ? 0 : fail("create");
}

static void test_planted_namespace_directory(void)
{
    const char *name = test_name("planted-dir");
    char dir[100], entry[400];

    if (!test_users())
        return;
    test_user_dir(dir, sizeof dir, (unsigned long)uid_of(TEST_USER_A));
    if (rmdir(dir) != 0 && errno != ENOENT) {
        printf("\n    skipped: %s is in use\n    ", dir);
        return;
    }
    CU_ASSERT_EQUAL(run_as(TEST_USER_B, "plant-dir", NULL, NULL), 0);
    CU_ASSERT_EQUAL(run_as(TEST_USER_A, "create-private", name, NULL), 0);
    snprintf(entry, sizeof entry, "%s/%s", dir, name);
    CU_ASSERT_NOT_EQUAL(access(entry, F_OK), 0); /* nothing of A's in B's directory */
    CU_ASSERT_EQUAL(rmdir(dir), 0);
}

/* ---- File-backed sections ----------------------------------------------------------- */

/* Role (B): maps its own file as Global\argv[0] open to everyone, then points the
   header at A's file argv[1] (its path and identity), says "ready", waits "quit". */
static int role_redirect(int argc, char **argv)
{
    char own[400], name[200];
    struct winipc__header *hdr;
    struct winipc__section_state *s;
    struct stat target;
    HANDLE f, m;
    int fd;

    if (argc < 2 || stat(argv[1], &target) != 0)
        return fail("stat");
    snprintf(own, sizeof own, "/tmp/%s-b.dat", argv[0]);
    snprintf(name, sizeof name, "Global\\%s", argv[0]);
    f = CreateFileA(own, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                    FILE_FLAG_DELETE_ON_CLOSE, NULL);
    m = f != INVALID_HANDLE_VALUE
            ? CreateFileMappingA(f, open_to_all(), PAGE_READWRITE, 0, 4096, name)
            : NULL;
    fd = open(global_file(argv[0]), O_RDWR);
    hdr = fd >= 0 ? mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
    if (!m || hdr == MAP_FAILED)
        return fail("section");
    s = (struct winipc__section_state *)hdr->state;
    snprintf(s->file_path, sizeof s->file_path, "%s", argv[1]);
    s->file_dev = (uint64_t)target.st_dev;
    s->file_ino = (uint64_t)target.st_ino;
    if (!role_set(argv[0], "ready") || !role_wait(argv[0], "quit"))
        return 11;
    return 0;
}

/* Role (A): opening Global\argv[0] must not map A's own file: ERROR_FILE_NOT_FOUND. */
static int role_open_redirected(int argc, char **argv)
{
    char name[200];
    HANDLE m;

    if (argc < 1)
        return 10;
    snprintf(name, sizeof name, "Global\\%s", argv[0]);
    m = OpenFileMappingA(FILE_MAP_WRITE, FALSE, name);
    if (m) {
        char *v = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);

        if (v)
            strcpy(v, "overwritten"); /* what a victim would write */
        return fail("opened a section redirected to its own file");
    }
    return GetLastError() == ERROR_FILE_NOT_FOUND ? 0 : fail("open");
}

static void test_file_section_redirection(void)
{
    const char *base = test_name("redirect");
    HANDLE ready = global_event(base, "ready"), quit = global_event(base, "quit");
    char secret[300], buf[16] = {0};
    struct child *b;
    int fd;

    if (!test_users())
        goto out;
    /* A's private file. */
    snprintf(secret, sizeof secret, "/tmp/%s-a.dat", base);
    fd = open(secret, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CU_ASSERT_FATAL(fd >= 0 && write(fd, "secret", 6) == 6);
    CU_ASSERT_EQUAL(fchown(fd, uid_of(TEST_USER_A), (gid_t)-1), 0);
    b = child_spawn_as(TEST_USER_B, "redirect", base, secret);
    CU_ASSERT_EQUAL_FATAL(WaitForSingleObject(ready, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(run_as(TEST_USER_A, "open-redirected", base, NULL), 0);
    CU_ASSERT_EQUAL(pread(fd, buf, 6, 0), 6);
    CU_ASSERT_STRING_EQUAL(buf, "secret");
    SetEvent(quit);
    CU_ASSERT_EQUAL(child_wait(b, CHILD_LIMIT_MS), 0);
    close(fd);
    unlink(secret);
out:
    CloseHandle(ready);
    CloseHandle(quit);
}

/* Role (B): a section of 64 KiB open to everyone, cut to one page behind winipc's back;
   says "ready", waits "quit". */
static int role_truncated(int argc, char **argv)
{
    char name[200];
    HANDLE m;

    if (argc < 1)
        return 10;
    snprintf(name, sizeof name, "Global\\%s", argv[0]);
    m = CreateFileMappingA(INVALID_HANDLE_VALUE, open_to_all(), PAGE_READWRITE, 0, 65536, name);
    if (!m || truncate(global_file(argv[0]), 4096) != 0)
        return fail("truncate");
    if (!role_set(argv[0], "ready") || !role_wait(argv[0], "quit"))
        return 11;
    return 0;
}

/* Role (A): opens the cut section: refused, not a view that raises SIGBUS. */
static int role_open_truncated(int argc, char **argv)
{
    char name[200];
    HANDLE m;

    if (argc < 1)
        return 10;
    snprintf(name, sizeof name, "Global\\%s", argv[0]);
    m = OpenFileMappingA(FILE_MAP_READ, FALSE, name);
    if (m) {
        volatile char *v = MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);

        if (v)
            (void)v[40000]; /* SIGBUS here would be the bug */
        return fail("opened a truncated section");
    }
    return GetLastError() == ERROR_INVALID_HANDLE ? 0 : fail("open");
}

static void test_truncated_section(void)
{
    const char *base = test_name("trunc");
    HANDLE ready = global_event(base, "ready"), quit = global_event(base, "quit");
    struct child *b;

    if (!test_users())
        goto out;
    b = child_spawn_as(TEST_USER_B, "truncated", base, NULL);
    CU_ASSERT_EQUAL_FATAL(WaitForSingleObject(ready, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(run_as(TEST_USER_A, "open-truncated", base, NULL), 0);
    SetEvent(quit);
    CU_ASSERT_EQUAL(child_wait(b, CHILD_LIMIT_MS), 0);
out:
    CloseHandle(ready);
    CloseHandle(quit);
}

/* ---- Garbage in shared state -------------------------------------------------------- */

#define SCRIBBLED 3 /* an event, a semaphore, a waitable timer: "est" */

/* Role (B): an event, a semaphore and a waitable timer (due at once) open to everyone
   (argv[0]-e, -s, -t); says "ready", and on "scribble" writes pattern argv[1] over
   their shared state, says "scribbled", waits "quit". */
static int role_scribbler(int argc, char **argv)
{
    char name[200];
    struct winipc__header *hdr[SCRIBBLED];
    LARGE_INTEGER now = {.QuadPart = 0};
    HANDLE h;
    int pattern;

    if (argc < 2)
        return 10;
    pattern = atoi(argv[1]);
    for (int i = 0; i < SCRIBBLED; i++) {
        int fd;

        snprintf(name, sizeof name, "Global\\%s-%c", argv[0], "est"[i]);
        h = i == 0   ? CreateEventA(open_to_all(), FALSE, TRUE, name)
            : i == 1 ? CreateSemaphoreA(open_to_all(), 1, 10, name)
                     : CreateWaitableTimerA(open_to_all(), FALSE, name);
        if (!h || (i == 2 && !SetWaitableTimer(h, &now, 10, NULL, NULL, FALSE)))
            return fail("create");
        snprintf(name, sizeof name, "%s-%c", argv[0], "est"[i]);
        fd = open(global_file(name), O_RDWR);
        hdr[i] = fd >= 0 ? mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
        if (hdr[i] == MAP_FAILED)
            return fail("map");
    }
    if (!role_set(argv[0], "ready") || !role_wait(argv[0], "scribble"))
        return 11;
    for (int i = 0; i < SCRIBBLED; i++) {
        struct winipc__wait_state *ws = (struct winipc__wait_state *)hdr[i]->state;

        if (pattern == 0) { /* everything set */
            memset(hdr[i]->state, 0xFF, sizeof hdr[i]->state);
        } else if (pattern == 1) { /* a wait-all's guard, held by a live thread for good */
            memset(&ws->guard, 0, sizeof ws->guard);
            *(volatile uint32_t *)&ws->guard = (uint32_t)getpid();
            atomic_fetch_or(&ws->word, WINIPC__GUARD_BIT);
        } else { /* noise */
            srand((unsigned)pattern);
            for (size_t k = 0; k < sizeof hdr[i]->state; k++)
                hdr[i]->state[k] = (unsigned char)rand();
        }
    }
    if (!role_set(argv[0], "scribbled") || !role_wait(argv[0], "quit"))
        return 12;
    return 0;
}

/* Role (A): opens the objects, says "opened", and after "scribbled" checks that every
   call on them returns within its time limit, or BOUND_MS, whatever it returns. */
static int role_use_scribbled(int argc, char **argv)
{
    char name[200];
    HANDLE h[SCRIBBLED];
    LARGE_INTEGER due = {.QuadPart = -10000};
    LONG prev;
    double t0;

    if (argc < 1)
        return 10;
    for (int i = 0; i < SCRIBBLED; i++) {
        snprintf(name, sizeof name, "Global\\%s-%c", argv[0], "est"[i]);
        h[i] = i == 0   ? OpenEventA(EVENT_ALL_ACCESS, FALSE, name)
               : i == 1 ? OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, name)
                        : OpenWaitableTimerA(TIMER_ALL_ACCESS, FALSE, name);
        if (!h[i])
            return fail("open");
    }
    if (!role_set(argv[0], "opened") || !role_wait(argv[0], "scribbled"))
        return 11;
    t0 = now_ms();
    for (int i = 0; i < SCRIBBLED; i++) {
        WaitForSingleObject(h[i], 300);
        WaitForSingleObject(h[i], 0);
    }
    WaitForMultipleObjects(SCRIBBLED, h, TRUE, 300);
    WaitForMultipleObjects(SCRIBBLED, h, FALSE, 300);
    SetEvent(h[0]);
    ResetEvent(h[0]);
    ReleaseSemaphore(h[1], 1, &prev);
    SetWaitableTimer(h[2], &due, 0, NULL, NULL, FALSE); /* may wait for the guard */
    CancelWaitableTimer(h[2]);                          /* the same */
    return now_ms() - t0 < 5 * 300 + 3 * BOUND_MS ? 0 : fail("calls on a scribbled object hung");
}

static void test_garbage_in_shared_state(void)
{
    if (!test_users())
        return;
    for (int pattern = 0; pattern < 4; pattern++) {
        if (pattern == 1 && skipped_on_portable("a wait-all guard held for good is written "
                                                "in the Linux backend's guard layout"))
            continue;
        const char *base = test_name("scribble");
        HANDLE ready = global_event(base, "ready"), opened = global_event(base, "opened");
        HANDLE scribble = global_event(base, "scribble"),
               scribbled = global_event(base, "scribbled");
        HANDLE quit = global_event(base, "quit");
        char arg[16];
        struct child *b, *a;

        snprintf(arg, sizeof arg, "%d", pattern);
        b = child_spawn_as(TEST_USER_B, "scribbler", base, arg);
        CU_ASSERT_EQUAL_FATAL(WaitForSingleObject(ready, CHILD_LIMIT_MS), WAIT_OBJECT_0);
        a = child_spawn_as(TEST_USER_A, "use-scribbled", base, NULL);
        CU_ASSERT_EQUAL_FATAL(WaitForSingleObject(opened, CHILD_LIMIT_MS), WAIT_OBJECT_0);
        SetEvent(scribble);
        CU_ASSERT_EQUAL(child_wait(a, CHILD_LIMIT_MS), 0);
        SetEvent(quit);
        CU_ASSERT_EQUAL(child_wait(b, CHILD_LIMIT_MS), 0);
        CloseHandle(ready);
        CloseHandle(opened);
        CloseHandle(scribble);
        CloseHandle(scribbled);
        CloseHandle(quit);
    }
}

/* ---- A process stopped inside a wait-all -------------------------------------------- */

/*
 * Role: loops on a wait-all over event argv[0]-e and semaphore -s (both available),
 * giving both back after each success, until event -q is set. A wait-all that cannot
 * succeed only looks and never enters its critical section (wait.c), so this one
 * succeeds: each pass locks the guards, takes, commits and unlocks.
 */
static int role_wait_all_loop(int argc, char **argv)
{
    char name[200];
    HANDLE h[2], quit;

    if (argc < 1)
        return 10;
    snprintf(name, sizeof name, "%s-e", argv[0]);
    h[0] = OpenEventA(SYNCHRONIZE | EVENT_MODIFY_STATE, FALSE, name);
    snprintf(name, sizeof name, "%s-s", argv[0]);
    h[1] = OpenSemaphoreA(SYNCHRONIZE | SEMAPHORE_MODIFY_STATE, FALSE, name);
    snprintf(name, sizeof name, "%s-q", argv[0]);
    quit = OpenEventA(SYNCHRONIZE, FALSE, name);
    if (!h[0] || !h[1] || !quit || !signal_ready(argv[0]))
        return 11;
    while (WaitForSingleObject(quit, 0) == WAIT_TIMEOUT) {
        if (WaitForMultipleObjects(2, h, TRUE, 0) == WAIT_OBJECT_0) {
            ReleaseSemaphore(h[1], 1, NULL);
            SetEvent(h[0]);
        }
    }
    return 0;
}

static void test_stopped_wait_all(void)
{
    const char *base = test_name("stopped");
    char name[200];
    HANDLE ev, sem, quit, ready = ready_event(base);
    struct child *c;
    int caught = 0, stops = 0;
    double worst = 0;

    snprintf(name, sizeof name, "%s-e", base);
    ev = CreateEventA(NULL, FALSE, TRUE, name);
    snprintf(name, sizeof name, "%s-s", base);
    sem = CreateSemaphoreA(NULL, 1, 1, name);
    snprintf(name, sizeof name, "%s-q", base);
    quit = CreateEventA(NULL, TRUE, FALSE, name);
    c = child_spawn("wait-all-loop", base, NULL);
    CU_ASSERT_FATAL(c && wait_ready(ready, CHILD_LIMIT_MS));
    /* Stop the looping wait-all at random points; some land inside its critical
       section, holding the event's guard (others while it holds the event between
       two passes). A wait with a limit must keep it. Where the section is a small part
       of the loop (a sanitized build), stop more often until one lands there. */
    for (; stops < 60 || (caught == 0 && stops < 600); stops++) {
        double t0, dt;
        DWORD r;

        siginfo_t info;

        /* kill() only sends: wait until it has stopped where it was. */
        kill(child_pid(c), SIGSTOP);
        waitid(P_PID, (id_t)child_pid(c), &info, WSTOPPED);
        t0 = now_ms();
        r = WaitForSingleObject(ev, 100);
        dt = now_ms() - t0;
        if (r == WAIT_OBJECT_0)
            SetEvent(ev);
        else
            caught++;
        if (dt > worst)
            worst = dt;
        kill(child_pid(c), SIGCONT);
        waitid(P_PID, (id_t)child_pid(c), &info, WCONTINUED);
        for (volatile int spin = rand() % 200000; spin > 0; spin--)
            ;
    }
    SetEvent(quit); /* it ends after a whole pass, with the event given back */
    CU_ASSERT_EQUAL(child_wait(c, CHILD_LIMIT_MS), 0);
    printf("\n    %d of %d stops while it held the event; longest wait %.0f ms\n    ", caught,
           stops, worst);
    CU_ASSERT(worst < 100 + 400); /* the limit, the guard's grace, and a slow machine */
    CU_ASSERT(caught > 0);        /* else the check proved nothing */
    /* The signal was never lost: the event is still set. */
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, 1000), WAIT_OBJECT_0);
    CloseHandle(ev);
    CloseHandle(sem);
    CloseHandle(quit);
    CloseHandle(ready);
}

/* ---- Killed sleepers ---------------------------------------------------------------- */

/* Role: sleeps on event argv[0] after saying it is ready (it is killed there). */
static int role_sleep_on(int argc, char **argv)
{
    HANDLE e = argc > 0 ? OpenEventA(SYNCHRONIZE, FALSE, argv[0]) : NULL;

    if (!e || !signal_ready(argv[0]))
        return 10;
    WaitForSingleObject(e, INFINITE);
    return 11;
}

#ifndef WINIPC_TEST_PORTABLE
/* The sleepers word of event `name` (epoch << 1 | SLEEPING), read from its file. */
static uint32_t sleepers_word(const char *name)
{
    char path[300];
    struct winipc__header *hdr;
    uint32_t word = 0xFFFFFFFFu;
    int fd;

    test_user_dir(path, sizeof path, (unsigned long)geteuid());
    snprintf(path + strlen(path), sizeof path - strlen(path), "/%s", name);
    fd = open(path, O_RDONLY);
    hdr = fd >= 0 ? mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
    if (hdr != MAP_FAILED) {
        word = atomic_load(&((struct winipc__wait_state *)hdr->state)->sleepers);
        munmap(hdr, 4096);
    }
    if (fd >= 0)
        close(fd);
    return word;
}
#else
/* The portable backend's count of sleepers registered in event `name` (pshared.h). */
static uint32_t registered_sleepers(const char *name)
{
    char path[300];
    struct winipc__header *hdr;
    uint32_t n = 0xFFFFFFFFu;
    int fd;

    test_user_dir(path, sizeof path, (unsigned long)geteuid());
    snprintf(path + strlen(path), sizeof path - strlen(path), "/%s", name);
    fd = open(path, O_RDONLY);
    hdr = fd >= 0 ? mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
    if (hdr != MAP_FAILED) {
        n = atomic_load(&((struct winipc__pevent_state *)hdr->state)->pw.sleepers);
        munmap(hdr, 4096);
    }
    if (fd >= 0)
        close(fd);
    return n;
}

/*
 * The portable backend's version: sleepers killed in their sleep stay registered in
 * the event's slots; the next signal finds their processes gone and empties the slots
 * (portable/wait.c), and the signals after it find nobody to post.
 */
static void killed_sleepers_heal_portable(void)
{
    const char *name = test_name("sleepers");
    HANDLE e = CreateEventA(NULL, TRUE, FALSE, name), ready = ready_event(name);

    for (uint32_t i = 0; i < 3; i++) {
        struct child *c = child_spawn("sleep-on", name, NULL);

        CU_ASSERT_FATAL(c && wait_ready(ready, CHILD_LIMIT_MS));
        ResetEvent(ready);
        /* It says ready before it sleeps: wait until it has registered. */
        for (int t = 0; t < 1000 && registered_sleepers(name) != i + 1; t++)
            Sleep(1);
        CU_ASSERT_EQUAL(registered_sleepers(name), i + 1);
        child_kill(c); /* dies asleep: nobody unregisters it */
    }
    CU_ASSERT_EQUAL(registered_sleepers(name), 3);
    CU_ASSERT_TRUE(SetEvent(e)); /* finds the three gone and empties their slots */
    CU_ASSERT_EQUAL(registered_sleepers(name), 0);
    CU_ASSERT_TRUE(ResetEvent(e));
    CU_ASSERT_TRUE(SetEvent(e));
    CU_ASSERT_EQUAL(registered_sleepers(name), 0);
    CloseHandle(e);
    CloseHandle(ready);
}
#endif

static void test_killed_sleepers_heal(void)
{
#ifdef WINIPC_TEST_PORTABLE
    killed_sleepers_heal_portable();
#else
    const char *name = test_name("sleepers");
    HANDLE e, ready;
    uint32_t before;

    e = CreateEventA(NULL, TRUE, FALSE, name);
    ready = ready_event(name);

    for (int i = 0; i < 3; i++) {
        struct child *c = child_spawn("sleep-on", name, NULL);

        CU_ASSERT_FATAL(c && wait_ready(ready, CHILD_LIMIT_MS));
        ResetEvent(ready);
        /* It says ready before it sleeps: wait until it has raised SLEEPING. */
        for (int t = 0; t < 1000 && !(sleepers_word(name) & WINIPC__SLEEPING); t++)
            Sleep(1);
        CU_ASSERT_TRUE(sleepers_word(name) & WINIPC__SLEEPING);
        child_kill(c); /* dies asleep: nobody lowers SLEEPING */
    }
    /* The next signal wakes nobody and moves to the next epoch, lowering SLEEPING; the
       signals after it pay nothing (the word stays as it is). */
    before = sleepers_word(name);
    CU_ASSERT_TRUE(SetEvent(e));
    CU_ASSERT_EQUAL(sleepers_word(name), before + 1);
    CU_ASSERT_TRUE(ResetEvent(e));
    CU_ASSERT_TRUE(SetEvent(e));
    CU_ASSERT_EQUAL(sleepers_word(name), before + 1);
    CloseHandle(e);
    CloseHandle(ready);
#endif
}

/* ---- A sleeper that is late to sleep ------------------------------------------------- */

/* Role: once event argv[1] is set, waits on auto-reset event argv[0]; 0 if it got it. */
static int role_late_sleeper(int argc, char **argv)
{
    HANDLE e = argc > 1 ? OpenEventA(SYNCHRONIZE, FALSE, argv[0]) : NULL;
    HANDLE go = argc > 1 ? OpenEventA(SYNCHRONIZE, FALSE, argv[1]) : NULL;

    if (!e || !go || !signal_ready(argv[0]))
        return 10;
    if (WaitForSingleObject(go, CHILD_LIMIT_MS) != WAIT_OBJECT_0)
        return 11;
    return WaitForSingleObject(e, CHILD_LIMIT_MS) == WAIT_OBJECT_0 ? 0 : 12;
}

/* The address range [lo, hi) where process pid maps the object file `name`. */
static bool mapped_range(pid_t pid, const char *name, unsigned long *lo, unsigned long *hi)
{
    char path[64], line[1024], suffix[300];
    bool found = false;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    snprintf(suffix, sizeof suffix, "/winipc.u%lu/%s\n", (unsigned long)geteuid(), name);
    f = fopen(path, "r");
    while (f && !found && fgets(line, sizeof line, f)) {
        size_t len = strlen(line), slen = strlen(suffix);

        found = len > slen && strcmp(line + len - slen, suffix) == 0 &&
                sscanf(line, "%lx-%lx", lo, hi) == 2;
    }
    if (f)
        fclose(f);
    return found;
}

/* Whether args (of a futex call) are a wait on an address in [lo, hi). */
static bool futex_wait_in(const uint64_t *args, unsigned long lo, unsigned long hi)
{
    int cmd = (int)args[1] & 0x7F; /* FUTEX_CMD_MASK */

    return (cmd == 0 || cmd == 9) && args[0] >= lo && args[0] < hi; /* WAIT, WAIT_BITSET */
}

/* Whether process pid's main thread sleeps (state S) in a futex wait on [lo, hi). */
static bool asleep_in(pid_t pid, unsigned long lo, unsigned long hi)
{
    char path[64], line[512], *p;
    uint64_t args[2];
    long nr = -1;
    FILE *f;

    /* The state first: a process just let go by ptrace shows the arguments of the
       wait it is about to make before it sleeps. */
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    f = fopen(path, "r");
    p = f && fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;
    if (f)
        fclose(f);
    if (!p || p[1] != ' ' || p[2] != 'S')
        return false;
    snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
    f = fopen(path, "r");
    if (!f)
        return false;
    if (fscanf(f, "%ld %" SCNx64 " %" SCNx64, &nr, &args[0], &args[1]) != 3)
        nr = -1;
    fclose(f);
    /* A futex wait a ptrace stop interrupted goes on as restart_syscall, with the
       registers (shown as the arguments) of the futex call. */
    return (nr == SYS_futex || nr == SYS_restart_syscall) && futex_wait_in(args, lo, hi);
}

/*
 * Runs the traced process pid until it enters a futex wait on [lo, hi), and leaves it
 * stopped there (at the syscall-entry stop). False if it ended or stopped otherwise.
 */
static bool run_to_futex_wait(pid_t pid, unsigned long lo, unsigned long hi)
{
    for (int stops = 0; stops < 100000; stops++) {
        struct __ptrace_syscall_info info;
        int status, sig = 0;

        if (waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status))
            return false;
        if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
            if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) > 0 &&
                info.op == PTRACE_SYSCALL_INFO_ENTRY && info.entry.nr == SYS_futex &&
                futex_wait_in(info.entry.args, lo, hi))
                return true;
        } else if (status >> 16 == 0 && WSTOPSIG(status) != SIGTRAP) {
            sig = WSTOPSIG(status); /* a signal for it: deliver it */
        }
        if (ptrace(PTRACE_SYSCALL, pid, 0, sig) != 0)
            return false;
    }
    return false;
}

/*
 * A sleeper between its last look and its sleep while, meanwhile, the event is set
 * (which lowers SLEEPING) and taken by someone else (which returns the event's state
 * word to what the sleeper saw): the next SetEvent must still wake it. The process is
 * held exactly there with ptrace (at the entry of its futex wait), so this is not a
 * race the test hopes to hit. A sleeper that slept on the state word would sleep
 * through that SetEvent; winipc's sleep on the epoch, which has moved, returns.
 */
static void test_late_sleeper_not_lost(void)
{
    const char *name = test_name("late"), *go_name = test_name("late-go");
    HANDLE e, go, ready;
    unsigned long lo = 0, hi = 0;
    struct child *c;
    pid_t pid;
    int waited = 0, rc;

    if (skipped_on_portable("futex epochs; a portable sleeper's semaphore counts a post "
                            "made before it sleeps"))
        return;
    e = CreateEventA(NULL, FALSE, FALSE, name);
    go = CreateEventA(NULL, TRUE, FALSE, go_name);
    ready = ready_event(name);

    CU_ASSERT_FATAL(e && go && ready);
    c = child_spawn("late-sleeper", name, go_name);
    CU_ASSERT_FATAL(c && wait_ready(ready, CHILD_LIMIT_MS));
    pid = child_pid(c);
    CU_ASSERT_FATAL(mapped_range(pid, name, &lo, &hi));
    if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESYSGOOD) != 0) {
        printf("\n    ptrace(PTRACE_SEIZE) of our own child: %s\n    ", strerror(errno));
        CU_FAIL("this check needs ptrace of a child (kernel.yama.ptrace_scope <= 1)");
        child_kill(c);
        return;
    }
    CU_ASSERT_EQUAL_FATAL(ptrace(PTRACE_INTERRUPT, pid, 0, 0), 0);
    CU_ASSERT_TRUE(SetEvent(go));
    /* From the interrupt stop, syscall by syscall to its wait on the event. */
    if (!run_to_futex_wait(pid, lo, hi)) {
        CU_FAIL("the helper never reached its wait");
        child_kill(c);
        return;
    }
    CU_ASSERT_TRUE(SetEvent(e));                               /* lowers SLEEPING */
    CU_ASSERT_EQUAL(WaitForSingleObject(e, 0), WAIT_OBJECT_0); /* the state word as it saw it */
    CU_ASSERT_EQUAL(ptrace(PTRACE_DETACH, pid, 0, 0), 0);
    /* Let it fall asleep (or find the word moved and go round again, then sleep). */
    while (!asleep_in(pid, lo, hi) && waited++ < CHILD_LIMIT_MS)
        Sleep(1);
    CU_ASSERT_TRUE(asleep_in(pid, lo, hi));
    CU_ASSERT_TRUE(SetEvent(e));
    /* Woken by that SetEvent, not by its own time limit, which is later than ours. */
    rc = child_wait(c, CHILD_LIMIT_MS / 2);
    CU_ASSERT_EQUAL(rc, 0);
    if (rc == -1)
        child_kill(c);
    CloseHandle(e);
    CloseHandle(go);
    CloseHandle(ready);
}

/* ---- Handles across users ------------------------------------------------------------- */

/* The inbox address of process pid (transfer.c), for a raw connection. */
static socklen_t inbox_address(pid_t pid, struct sockaddr_un *sa)
{
    int n;

    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    n = snprintf(sa->sun_path + 1, sizeof sa->sun_path - 1, "winipc-in/%d", (int)pid);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

/*
 * Role (A): argv[0] is the victim's pid. DuplicateHandle into it is refused; a forged
 * record with a descriptor, sent straight to its inbox, is sent (the kernel takes it)
 * but must be dropped. Says "sent", then waits for "quit" (the victim duplicates into
 * it meanwhile).
 */
static int role_inbox_foreign(int argc, char **argv)
{
    HANDLE victim = argc > 1 ? OpenProcess(PROCESS_DUP_HANDLE, FALSE, (DWORD)atoi(argv[0])) : NULL;
    DWORD open_error = GetLastError();
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL), out;
    uint32_t forged[72] = {0x3C0000u, WINIPC__EVENT, EVENT_ALL_ACCESS, 0, 3, (uint32_t)-1};
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct iovec iov = {forged, sizeof forged};
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = control.buf,
                         .msg_controllen = sizeof control.buf};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    struct sockaddr_un sa;
    socklen_t len;
    int s, fd = open("/dev/null", O_RDWR);

    if (argc < 2 || !ev || fd < 0)
        return fail("setup");
    /* Opening the process of a user with more rights is refused already, as on
       Windows; a process handle or not, DuplicateHandle is. */
    if (!victim && open_error != ERROR_ACCESS_DENIED)
        return fail("OpenProcess");
    if (victim &&
        (DuplicateHandle(GetCurrentProcess(), ev, victim, &out, 0, FALSE, DUPLICATE_SAME_ACCESS) ||
         GetLastError() != ERROR_ACCESS_DENIED))
        return fail("duplicated into another user's process");
    len = inbox_address((pid_t)atoi(argv[0]), &sa);
    s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&sa, len) != 0)
        return fail("connect to the victim's inbox");
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &fd, sizeof fd);
    if (sendmsg(s, &msg, 0) != (ssize_t)sizeof forged)
        return fail("send the forged record");
    close(s);
    if (!role_set(argv[1], "sent") || !role_wait(argv[1], "quit"))
        return fail("handshake");
    return 0;
}

static void test_inbox_across_users(void)
{
    const char *name = test_name("inbox");
    HANDLE sent = global_event(name, "sent"), quit = global_event(name, "quit");
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL), foreign, out;
    char pid[32];
    struct child *a;

    if (skipped_on_portable("DuplicateHandle into another process (no inbox)") || !test_users())
        goto out;
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    a = child_spawn_as(TEST_USER_A, "inbox-foreign", pid, name);
    CU_ASSERT_FATAL(a != NULL);
    CU_ASSERT_EQUAL_FATAL(WaitForSingleObject(sent, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    /* The forged value names nothing here: the record was dropped, unread. */
    CU_ASSERT_EQUAL(WaitForSingleObject((HANDLE)(ULONG_PTR)0x3C0000u, 0), WAIT_FAILED);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_HANDLE);
    /* Nor do we give handles to another user's process. */
    foreign = OpenProcess(PROCESS_DUP_HANDLE, FALSE, (DWORD)child_pid(a));
    CU_ASSERT_PTR_NOT_NULL(foreign);
    CHECK_FAIL(
        DuplicateHandle(GetCurrentProcess(), ev, foreign, &out, 0, FALSE, DUPLICATE_SAME_ACCESS),
        FALSE, ERROR_ACCESS_DENIED);
    CloseHandle(foreign);
    SetEvent(quit);
    CU_ASSERT_EQUAL(child_wait(a, CHILD_LIMIT_MS), 0);
out:
    CloseHandle(ev);
    CloseHandle(sent);
    CloseHandle(quit);
}

/* ---- A full /dev/shm ------------------------------------------------------------------ */

/* Role, in a mount namespace whose /dev/shm holds 512 KiB: a section that does not fit
   is refused at once; filling it with events ends in a Win32 error, not a crash. */
static int role_small_shm(int argc, char **argv)
{
    char name[200];
    HANDLE m;
    DWORD err = 0;

    (void)argc, (void)argv;
    m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 1 << 20, "big");
    if (m ||
        (GetLastError() != ERROR_COMMITMENT_LIMIT && GetLastError() != ERROR_NOT_ENOUGH_MEMORY))
        return fail("a section larger than /dev/shm");
    for (int i = 0; i < 1000 && !err; i++) {
        snprintf(name, sizeof name, "full-%d", i);
        if (!CreateEventA(NULL, FALSE, FALSE, name))
            err = GetLastError();
    }
    if (err != ERROR_COMMITMENT_LIMIT && err != ERROR_DISK_FULL && err != ERROR_NOT_ENOUGH_MEMORY)
        return fail("filling /dev/shm");
    return 0;
}

static void test_full_shm(void)
{
    char self[4096], cmd[4400];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    char *argv[] = {"/usr/bin/unshare", "-m", "/bin/sh", "-c", cmd, NULL};

    if (geteuid() != 0 || n <= 0 || access(argv[0], X_OK) != 0) {
        printf("\n    skipped: a small /dev/shm needs root and unshare(1)\n    ");
        return;
    }
    self[n] = '\0';
    snprintf(cmd, sizeof cmd,
             "mount --make-rprivate / && mount -t tmpfs -o size=512k tmpfs /dev/shm && "
             "exec '%s' --child small-shm",
             self);
    CU_ASSERT_EQUAL(child_wait(child_spawn_argv(argv), CHILD_LIMIT_MS), 0);
}

CU_TestInfo test_hostile_tests[] = {
    {"Global\\ names planted by another user: no false success, no spin",
     test_squatted_global_names},
    {"another user's lock on an object: bounded open and close", test_locks_held_by_another_user},
    {"another user cannot list, open, create in or lock a private namespace",
     test_private_namespace},
    {"a namespace directory planted by another user is never used",
     test_planted_namespace_directory},
    {"a file section redirected by its creator does not map the victim's file",
     test_file_section_redirection},
    {"a section cut short by its creator is refused, not a SIGBUS", test_truncated_section},
    {"garbage in an object's shared state: every call returns", test_garbage_in_shared_state},
    {"a process stopped inside a wait-all: others keep their limits, no signal lost",
     test_stopped_wait_all},
    {"a full /dev/shm: Win32 errors, never SIGBUS", test_full_shm},
    {"sleepers killed in their sleep cost the next signal one wake-up, then nothing",
     test_killed_sleepers_heal},
    {"a sleeper late to sleep while the event is set and taken is still woken",
     test_late_sleeper_not_lost},
    {"handles are not given across users; a forged record is dropped", test_inbox_across_users},
    CU_TEST_INFO_NULL,
};

const struct test_role test_hostile_roles[] = {
    {"plant", role_plant},
    {"create-global", role_create_global},
    {"hold-then-close", role_hold_then_close},
    {"lock-mutation", role_lock_mutation},
    {"open-locked", role_open_locked},
    {"hold-private", role_hold_private},
    {"probe-private", role_probe_private},
    {"plant-dir", role_plant_dir},
    {"create-private", role_create_private},
    {"redirect", role_redirect},
    {"open-redirected", role_open_redirected},
    {"truncated", role_truncated},
    {"open-truncated", role_open_truncated},
    {"scribbler", role_scribbler},
    {"use-scribbled", role_use_scribbled},
    {"wait-all-loop", role_wait_all_loop},
    {"small-shm", role_small_shm},
    {"sleep-on", role_sleep_on},
    {"late-sleeper", role_late_sleeper},
    {"inbox-foreign", role_inbox_foreign},
    {NULL, NULL},
};
