/*
 * helpers.h - what every compat test file shares: unique names, helper processes,
 * handshakes with time limits, and the leak check.
 *
 * Everything here is written against the Win32 API except the few process and
 * /dev/shm primitives in helpers.c, so the same tests build for Linux and Windows.
 */
#ifndef WINIPC_TEST_HELPERS_H
#define WINIPC_TEST_HELPERS_H

#include <windows.h>

#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stddef.h>
#ifndef _WIN32
#include <sys/types.h>
#endif

/* A helper role: `compat-tests --child NAME ARGS...` runs fn and exits with its result. */
struct test_role {
    const char *name;
    int (*fn)(int argc, char **argv);
};

/* Every test file's suite and roles, registered in main.c. */
#define TEST_AREA(area)                       \
    extern CU_TestInfo test_##area##_tests[]; \
    extern const struct test_role test_##area##_roles[]
TEST_AREA(mapping);
TEST_AREA(names);
TEST_AREA(lifetime);
TEST_AREA(file);
TEST_AREA(handles);
TEST_AREA(mutex);
TEST_AREA(event);
TEST_AREA(semaphore);
TEST_AREA(wait);
TEST_AREA(thread);
TEST_AREA(timer);
TEST_AREA(process);
TEST_AREA(workloads);
TEST_AREA(text);
TEST_AREA(tchar_unicode);
TEST_AREA(sdk);
TEST_AREA(crt_secure);
TEST_AREA(message);
TEST_AREA(memory);
TEST_AREA(directory);
TEST_AREA(badargs);
TEST_AREA(chaos);
TEST_AREA(environ);
#ifndef _WIN32
TEST_AREA(hostile);
TEST_AREA(cli);
TEST_AREA(trace);
TEST_AREA(portable);
#endif

/* A fresh object name "wt<pid>-<tag>-<n>"; unique across runs of ctest -j. */
const char *test_name(const char *tag);
/* The prefix every name of this process starts with ("wt<pid>-"). */
const char *test_name_prefix(void);

/* Helper processes. */
struct child;
/* Starts `compat-tests --child role arg1 arg2` (args may be NULL). NULL on failure. */
struct child *child_spawn(const char *role, const char *arg1, const char *arg2);
#ifndef _WIN32
/*
 * The same as `user` (run through run-as, which sits beside the test binary). The
 * cross-user tests need root and the two users tools/test.sh makes: test_users()
 * tells whether they can run, else prints why they are skipped.
 */
struct child *child_spawn_as(const char *user, const char *role, const char *arg1,
                             const char *arg2);
/* Starts argv[0] with argv (any program); its pid. */
struct child *child_spawn_argv(char *const argv[]);
pid_t child_pid(const struct child *c);
/* Where the backend keeps objects: the directory of user uid's per-user namespace, and
   the file of Global\ object `name` (names that need no escaping). */
void test_user_dir(char *buf, size_t size, unsigned long uid);
void test_global_path(char *buf, size_t size, const char *name);
#define TEST_USER_A "winipc-test-a"
#define TEST_USER_B "winipc-test-b"
bool test_users(void);
#endif
/* Waits up to ms for it to exit; its exit code, or -1 on timeout, -2 if killed by a
   signal (or terminated on Windows). The child is freed unless it timed out. */
int child_wait(struct child *c, DWORD ms);
/* How long a helper may take to do its part and exit. */
#define CHILD_LIMIT_MS 30000
/* Kills it the hard way (SIGKILL / TerminateProcess), waits for it, frees it. */
void child_kill(struct child *c);

/* Handshakes: the child sets "<base>-ready"; the parent waits for it with a limit. */
HANDLE ready_event(const char *base); /* creates the manual-reset event */
bool wait_ready(HANDLE ev, DWORD ms);
bool signal_ready(const char *base); /* in the child */

/*
 * How many shared objects whose name starts with `prefix` the backend still has in
 * /dev/shm, and whether the one named `name` is there (always none on Windows, where
 * the kernel owns object lifetime). Names must need no escaping.
 */
int shm_leftovers(const char *prefix);
bool shm_exists(const char *name);

/*
 * Runs fn() with the process's stdout going into a pipe and returns what it wrote
 * (static buffer, NUL-terminated, line ends as "\n"), for checks of what a program
 * prints.
 */
const char *capture_stdout(void (*fn)(void));

/* The monotonic time in milliseconds, for timing checks. */
double now_ms(void);

/* Whether this is the Windows build running under Wine (for documented deviations). */
bool running_on_wine(void);
/*
 * For a check Wine cannot pass because it deviates from Microsoft's documentation:
 * true (and a "skipped under Wine" line naming the check) when running under Wine.
 */
bool skipped_on_wine(const char *check);

/*
 * For a check of behaviour that the portable backend documents as a limit (README,
 * "The two POSIX backends"): true, and a "skipped on the portable backend" line with
 * the reason, when the tests run against it.
 */
bool skipped_on_portable(const char *why);

/* Assert a Win32 failure: the value and GetLastError(). */
#define CHECK_FAIL(expr, bad, err)                     \
    do {                                               \
        SetLastError(0xDEADu);                         \
        CU_ASSERT_EQUAL((expr), (bad));                \
        CU_ASSERT_EQUAL(GetLastError(), (DWORD)(err)); \
    } while (0)

/* Run an expression that must not fail; assert it. */
#define CHECK_OK(expr) CU_ASSERT_FATAL((expr) != 0)

#endif
