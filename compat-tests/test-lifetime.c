/*
 * test-lifetime.c - a named object lives while a handle to it exists in any process,
 * including when processes crash; views keep the memory, not the name.
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

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
    CU_TEST_INFO_NULL,
};

const struct test_role test_lifetime_roles[] = {
    {"hold-section", role_hold_section},
    {NULL, NULL},
};
