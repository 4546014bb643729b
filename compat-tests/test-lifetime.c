/*
 * test-lifetime.c - a named object lives while a handle to it exists in any process,
 * including when processes crash; views keep the memory, not the name.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

static HANDLE create_section(const char *name)
{
    return CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, name);
}

/* Whether a fresh create of `name` makes a new, zeroed object. */
static void assert_name_is_new(const char *name)
{
    HANDLE h;
    char *v;

    CHECK_FAIL(OpenFileMappingA(FILE_MAP_READ, FALSE, name), NULL, ERROR_FILE_NOT_FOUND);
    CU_ASSERT_FALSE(shm_exists(name));
    SetLastError(0xDEADu);
    h = create_section(name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    v = MapViewOfFile(h, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL(v[0], 0);
    UnmapViewOfFile(v);
    CloseHandle(h);
    CU_ASSERT_FALSE(shm_exists(name));
}

/* The parent's side of a holder: it owns the handshake events, the child opens them. */
struct holder {
    struct child *c;
    HANDLE ready, quit;
};

/* Helper: creates section argv[0], writes "child", reports ready, waits for "-quit". */
static int role_hold_section(int argc, char **argv)
{
    char quit_name[200];
    HANDLE h, quit;
    char *v;

    if (argc < 1)
        return 10;
    snprintf(quit_name, sizeof quit_name, "%s-quit", argv[0]);
    quit = OpenEventA(SYNCHRONIZE, FALSE, quit_name);
    h = create_section(argv[0]);
    v = h ? MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0) : NULL;
    if (!v || !quit)
        return 11;
    strcpy(v, "child");
    if (!signal_ready(argv[0]))
        return 12;
    if (WaitForSingleObject(quit, CHILD_LIMIT_MS) != WAIT_OBJECT_0)
        return 13;
    return 0; /* exits without closing anything: the process's end closes it all */
}

/* Starts a holder of section `name` and waits until it is ready; false on failure. */
static bool start_holder(const char *name, struct holder *h)
{
    char quit_name[200];

    snprintf(quit_name, sizeof quit_name, "%s-quit", name);
    h->ready = ready_event(name);
    h->quit = CreateEventA(NULL, TRUE, FALSE, quit_name);
    h->c = child_spawn("hold-section", name, NULL);
    CU_ASSERT_PTR_NOT_NULL(h->c);
    if (h->c && !wait_ready(h->ready, CHILD_LIMIT_MS)) {
        CU_FAIL("the helper did not become ready");
        child_kill(h->c);
        h->c = NULL;
    }
    return h->c != NULL;
}

static void end_holder(struct holder *h)
{
    CloseHandle(h->ready);
    CloseHandle(h->quit);
}

static void test_view_outlives_handle(void)
{
    const char *name = test_name("outlive");
    HANDLE h = create_section(name);
    char *v = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0);

    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    strcpy(v, "still here");
    CU_ASSERT_TRUE(CloseHandle(h));
    /* The memory stays while the view does, but the name is gone with the handle. */
    CU_ASSERT_STRING_EQUAL(v, "still here");
    v[100] = 'w';
    assert_name_is_new(name);
    CU_ASSERT_STRING_EQUAL(v, "still here");
    CU_ASSERT_TRUE(UnmapViewOfFile(v));
}

static void test_handles_in_two_processes(void)
{
    const char *name = test_name("twoproc");
    struct holder hold;
    HANDLE h, again;
    char *v;

    if (!start_holder(name, &hold))
        return;
    h = OpenFileMappingA(FILE_MAP_READ, FALSE, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    v = MapViewOfFile(h, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_STRING_EQUAL(v, "child");

    /* The creator exits; our handle keeps the object and its name alive. */
    CU_ASSERT_TRUE(SetEvent(hold.quit));
    CU_ASSERT_EQUAL(child_wait(hold.c, CHILD_LIMIT_MS), 0);
    again = OpenFileMappingA(FILE_MAP_READ, FALSE, name);
    CU_ASSERT_PTR_NOT_NULL(again);
    CloseHandle(again);
    CU_ASSERT_STRING_EQUAL(v, "child");

    /* Our last handle goes: so does the name, while our view keeps the memory. */
    CloseHandle(h);
    assert_name_is_new(name);
    CU_ASSERT_STRING_EQUAL(v, "child");
    UnmapViewOfFile(v);
    end_holder(&hold);
}

static void test_killed_sole_holder(void)
{
    const char *name = test_name("killsole");
    struct holder hold;

    if (!start_holder(name, &hold))
        return;
    child_kill(hold.c); /* SIGKILL: no chance to close anything */
    /* The next use of the name finds the leftover unheld and reclaims it. */
    assert_name_is_new(name);
    end_holder(&hold);
}

static void test_killed_one_of_two(void)
{
    const char *name = test_name("killone");
    struct holder hold;
    HANDLE h;
    char *v;

    if (!start_holder(name, &hold))
        return;
    h = OpenFileMappingA(FILE_MAP_WRITE, FALSE, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    child_kill(hold.c);
    /* We still hold it: alive, same data. */
    v = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0);
    CU_ASSERT_STRING_EQUAL(v, "child");
    UnmapViewOfFile(v);
    CloseHandle(OpenFileMappingA(FILE_MAP_READ, FALSE, name));
#ifndef _WIN32
    CU_ASSERT_TRUE(shm_exists(name));
#endif
    /* Our close is the last one anywhere: nothing is left. */
    CloseHandle(h);
    CU_ASSERT_FALSE(shm_exists(name));
    assert_name_is_new(name);
    end_holder(&hold);
}

/*
 * Helper: creates a section, an event, a semaphore and a mutex named argv[0]-s/-e/-m/-x,
 * owns the mutex (on another thread when argv[1] is "thread", whose wait on an event
 * that is never set is still in progress at the end), reports ready, waits for
 * "<argv[0]>-go", and ends as argv[1] says -- "return", "exit" or "thread" (main
 * returns) -- without closing anything.
 */
struct blocked_owner {
    HANDLE mutex, never;
    HANDLE owning; /* set once the thread owns the mutex */
};

static DWORD WINAPI own_and_block(LPVOID arg)
{
    struct blocked_owner *b = arg;

    if (WaitForSingleObject(b->mutex, CHILD_LIMIT_MS) != WAIT_OBJECT_0)
        return 1;
    SetEvent(b->owning);
    WaitForSingleObject(b->never, INFINITE); /* inside a wait when the process ends */
    return 0;
}

static int role_exit_without_close(int argc, char **argv)
{
    char name[200];
    struct blocked_owner b;
    HANDLE go;

    if (argc < 2)
        return 10;
    snprintf(name, sizeof name, "%s-s", argv[0]);
    if (!CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536, name))
        return 11;
    /* A file that goes with its last handle. */
    snprintf(name, sizeof name, "%s.doc", argv[0]);
    if (CreateFileA(name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, CREATE_ALWAYS,
                    FILE_FLAG_DELETE_ON_CLOSE, NULL) == INVALID_HANDLE_VALUE)
        return 11;
    snprintf(name, sizeof name, "%s-e", argv[0]);
    b.never = CreateEventA(NULL, TRUE, FALSE, name);
    snprintf(name, sizeof name, "%s-m", argv[0]);
    if (!b.never || !CreateSemaphoreA(NULL, 1, 5, name))
        return 12;
    snprintf(name, sizeof name, "%s-x", argv[0]);
    b.mutex = CreateMutexA(NULL, strcmp(argv[1], "thread") != 0, name);
    snprintf(name, sizeof name, "%s-go", argv[0]);
    go = OpenEventA(SYNCHRONIZE, FALSE, name);
    if (!b.mutex || !go)
        return 13;
    if (strcmp(argv[1], "thread") == 0) {
        b.owning = CreateEventA(NULL, TRUE, FALSE, NULL);
        if (!CreateThread(NULL, 0, own_and_block, &b, 0, NULL) ||
            WaitForSingleObject(b.owning, CHILD_LIMIT_MS) != WAIT_OBJECT_0)
            return 14;
    }
    if (!signal_ready(argv[0]) || WaitForSingleObject(go, CHILD_LIMIT_MS) != WAIT_OBJECT_0)
        return 15;
    if (strcmp(argv[1], "exit") == 0)
        exit(42);
    return 42; /* "return", or "thread": main returns while the thread waits */
}

static void exit_without_close(const char *how)
{
    const char *base = test_name(how);
    char go_name[200], name[200];
    HANDLE ready = ready_event(base), go, m;
    struct child *c;

    snprintf(go_name, sizeof go_name, "%s-go", base);
    go = CreateEventA(NULL, TRUE, FALSE, go_name);
    c = child_spawn("exit-without-close", base, how);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    if (!wait_ready(ready, CHILD_LIMIT_MS)) {
        CU_FAIL("helper not ready");
        child_kill(c);
        return;
    }
    snprintf(name, sizeof name, "%s-x", base);
    m = OpenMutexA(SYNCHRONIZE, FALSE, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(WaitForSingleObject(m, 0), WAIT_TIMEOUT); /* the helper owns it */
    CU_ASSERT_TRUE(SetEvent(go));
    /* Its owner is gone without releasing it: abandoned, for us in another process. */
    CU_ASSERT_EQUAL(WaitForSingleObject(m, CHILD_LIMIT_MS), WAIT_ABANDONED);
    CU_ASSERT_EQUAL(child_wait(c, CHILD_LIMIT_MS), 42);
    /* The end of the process closed its handles: what only it held is gone at once
       (checked before any open, since an open would also reclaim a leftover). */
    for (const char *kind = "sem"; *kind; kind++) { /* section, event, semaphore */
        snprintf(name, sizeof name, "%s-%c", base, *kind);
        CU_ASSERT_FALSE(shm_exists(name));
    }
    snprintf(name, sizeof name, "%s-s", base);
    CHECK_FAIL(OpenFileMappingA(FILE_MAP_READ, FALSE, name), NULL, ERROR_FILE_NOT_FOUND);
    snprintf(name, sizeof name, "%s.doc", base);
    CU_ASSERT_EQUAL(GetFileAttributesA(name), INVALID_FILE_ATTRIBUTES); /* delete-on-close */
    snprintf(name, sizeof name, "%s-e", base);
    CHECK_FAIL(OpenEventA(SYNCHRONIZE, FALSE, name), NULL, ERROR_FILE_NOT_FOUND);
    snprintf(name, sizeof name, "%s-m", base);
    CHECK_FAIL(OpenSemaphoreA(SYNCHRONIZE, FALSE, name), NULL, ERROR_FILE_NOT_FOUND);
    /* The mutex lives while we hold it, and goes with our handle. */
    snprintf(name, sizeof name, "%s-x", base);
#ifndef _WIN32
    CU_ASSERT_TRUE(shm_exists(name));
#endif
    CU_ASSERT_TRUE(ReleaseMutex(m));
    CloseHandle(m);
    CU_ASSERT_FALSE(shm_exists(name));
    CHECK_FAIL(OpenMutexA(SYNCHRONIZE, FALSE, name), NULL, ERROR_FILE_NOT_FOUND);
    CloseHandle(go);
    CloseHandle(ready);
}

static void test_return_from_main_closes(void)
{
    exit_without_close("return");
}

static void test_exit_closes(void)
{
    exit_without_close("exit");
}

static void test_end_with_thread_in_wait_closes(void)
{
    exit_without_close("thread");
}

/* Helper: does nothing but start and end; winipc starts with it. */
static int role_idle(int argc, char **argv)
{
    (void)argc, (void)argv;
    return 0;
}

static void test_leftover_swept_at_start(void)
{
    const char *name = test_name("startsweep");
    struct holder hold;

    if (!start_holder(name, &hold))
        return;
    child_kill(hold.c);
#ifndef _WIN32
    CU_ASSERT_TRUE(shm_exists(name)); /* nobody could run its last close */
#endif
    /* Any later winipc process of the user removes it as it starts. */
    CU_ASSERT_EQUAL(child_wait(child_spawn("idle", NULL, NULL), CHILD_LIMIT_MS), 0);
    CU_ASSERT_FALSE(shm_exists(name));
    assert_name_is_new(name);
    end_holder(&hold);
}

#ifndef _WIN32
/*
 * Helper for the fork test: a process with a named section, a mutex it owns and two
 * unnamed events forks. The child (no Windows equivalent) may use what it inherited,
 * but holds none of it: its CloseHandle and its exit never unlink or abandon the
 * parent's objects. What the child opens itself it holds as any process does.
 */
static int fork_child(const char *name, HANDLE section, HANDLE mutex, HANDLE ready, HANDLE go)
{
    char *v = MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, 0);
    HANDLE own;

    if (!v)
        return 20;
    strcpy(v + 100, "child");
    UnmapViewOfFile(v);
    if (!CloseHandle(section)) /* only the child's handle: the name stays */
        return 21;
    if (ReleaseMutex(mutex) || GetLastError() != ERROR_NOT_OWNER)
        return 22;                                      /* the parent's thread owns it, not ours */
    own = OpenFileMappingA(FILE_MAP_READ, FALSE, name); /* a hold of the child's own */
    if (!own || !SetEvent(ready) || WaitForSingleObject(go, CHILD_LIMIT_MS) != WAIT_OBJECT_0)
        return 23;
    /* The parent closed its handle: our own hold keeps the name. */
    if (!shm_exists(name))
        return 24;
    exit(0); /* without closing: the exit releases what the child held itself */
}

static int role_fork(int argc, char **argv)
{
    HANDLE section, mutex, ready, go;
    int status;
    char *v;
    pid_t pid;

    if (argc < 1)
        return 10;
    section = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, argv[0]);
    mutex = CreateMutexA(NULL, TRUE, NULL);
    ready = CreateEventA(NULL, TRUE, FALSE, NULL);
    go = CreateEventA(NULL, TRUE, FALSE, NULL);
    v = section ? MapViewOfFile(section, FILE_MAP_READ, 0, 0, 0) : NULL;
    if (!v || !mutex || !ready || !go)
        return 11;
    pid = fork();
    if (pid == 0)
        _exit(fork_child(argv[0], section, mutex, ready, go));
    if (pid < 0 || WaitForSingleObject(ready, CHILD_LIMIT_MS) != WAIT_OBJECT_0)
        return 12;
    if (strcmp(v + 100, "child") != 0)
        return 13; /* the inherited handle reached the same memory */
    if (!shm_exists(argv[0]))
        return 14; /* the child's CloseHandle of its copy left the name */
    CloseHandle(section);
    if (!shm_exists(argv[0]))
        return 15; /* the child's own open holds it */
    SetEvent(go);
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return WIFEXITED(status) ? WEXITSTATUS(status) : 16;
    if (shm_exists(argv[0]))
        return 17; /* the child's exit released its own hold: the name is gone */
    if (!ReleaseMutex(mutex))
        return 18; /* still ours: the child's exit abandoned nothing */
    UnmapViewOfFile(v);
    return 0;
}

static void test_fork_child(void)
{
    const char *name = test_name("fork");
    struct child *c = child_spawn("fork", name, NULL);

    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(child_wait(c, CHILD_LIMIT_MS), 0);
    CU_ASSERT_FALSE(shm_exists(name));
}
#endif

/*
 * Helper: holds as many named sections as the descriptor limit allows (at most
 * 100 000), starting from a soft limit of 1024 as on a default Debian machine: winipc
 * raises it to the hard limit when it is reached. Exits 0 if all were made, reached
 * by name and removed; prints how many.
 */
static int role_many_objects(int argc, char **argv)
{
    int count = 2000, made;
    HANDLE *h;
    char name[200];

    if (argc < 1)
        return 10;
#ifndef _WIN32
    {
        struct rlimit rl;

        if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
            return 11;
        count = rl.rlim_max > 100000 + 512 ? 100000 : (int)rl.rlim_max - 512;
        rl.rlim_cur = rl.rlim_max < 1024 ? rl.rlim_max : 1024;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            return 12;
    }
#endif
    h = calloc((size_t)count, sizeof *h);
    if (!h)
        return 13;
    for (made = 0; made < count; made++) {
        snprintf(name, sizeof name, "%s-%d", argv[0], made);
        h[made] = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, name);
        if (!h[made]) {
            fprintf(stderr, "object %d: error %lu\n", made, (unsigned long)GetLastError());
            break;
        }
    }
    printf("held %d named objects at once\n", made);
    snprintf(name, sizeof name, "%s-%d", argv[0], made / 2);
    if (made == count) {
        HANDLE again = OpenFileMappingA(FILE_MAP_READ, FALSE, name);

        if (!again)
            made = -1;
        else
            CloseHandle(again);
    }
    for (int i = 0; i < count && h[i]; i++)
        CloseHandle(h[i]);
    free(h);
    return made == count && shm_leftovers(argv[0]) == 0 ? 0 : 14;
}

static void test_many_objects(void)
{
    const char *base = test_name("many");

    CU_ASSERT_EQUAL(child_wait(child_spawn("many-objects", base, NULL), 120000), 0);
    CU_ASSERT_EQUAL(shm_leftovers(base), 0);
}

static void test_sweep(void)
{
    const char *name = test_name("sweep");
    struct holder hold;

    if (!start_holder(name, &hold))
        return;
    child_kill(hold.c);
#ifndef _WIN32
    /* Every holder crashed: the object waits in /dev/shm for its name's next use,
       or for winipc_sweep, which removes it at once. */
    CU_ASSERT_TRUE(shm_exists(name));
    CU_ASSERT_TRUE(winipc_sweep() >= 1);
    CU_ASSERT_FALSE(shm_exists(name));
#endif
    assert_name_is_new(name);
    end_holder(&hold);
}

CU_TestInfo test_lifetime_tests[] = {
    {"a view keeps the memory after CloseHandle; the name dies", test_view_outlives_handle},
    {"handles in two processes: the name dies with the last one", test_handles_in_two_processes},
    {"SIGKILL of the only holder: the name is new again, nothing left", test_killed_sole_holder},
    {"SIGKILL of one of two holders: the other's close removes it", test_killed_one_of_two},
    {"winipc_sweep removes objects whose holders all crashed", test_sweep},
    {"return from main closes every handle; an owned mutex is abandoned",
     test_return_from_main_closes},
    {"exit() closes every handle; an owned mutex is abandoned", test_exit_closes},
    {"the end of main with a thread inside a wait and owning a mutex",
     test_end_with_thread_in_wait_closes},
    {"a leftover of killed holders is gone once another winipc process starts",
     test_leftover_swept_at_start},
    {"a process holds up to 100 000 named objects, past the soft descriptor limit",
     test_many_objects},
#ifndef _WIN32
    {"fork(): the child uses, but never unlinks or abandons, what it inherited", test_fork_child},
#endif
    CU_TEST_INFO_NULL,
};

const struct test_role test_lifetime_roles[] = {
    {"hold-section", role_hold_section},
    {"exit-without-close", role_exit_without_close},
    {"idle", role_idle},
    {"many-objects", role_many_objects},
#ifndef _WIN32
    {"fork", role_fork},
#endif
    {NULL, NULL},
};
