/*
 * test-portable.c - the portable backend's own mechanism (portable/): its process
 * records and wake semaphores leave nothing behind, also after SIGKILL; a sleeper on
 * an object that another process signals is woken by a post, not by polling.
 * Built only with -DWINIPC_BACKEND=portable.
 */
#include "helpers.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_RECORDS 256

/* The names of the process records (winipc.pp.<nonce>) there are now. */
static int records(char names[][256], int max)
{
    DIR *d = opendir(WINIPC_TEST_PORTABLE_DIR);
    struct dirent *de;
    int n = 0;

    if (!d)
        return 0;
    while ((de = readdir(d)) != NULL && n < max)
        if (strncmp(de->d_name, "winipc.pp.", 10) == 0)
            snprintf(names[n++], 256, "%s", de->d_name);
    closedir(d);
    return n;
}

/* The record that is in `after` but not in `before`, or "" (none or several). */
static void new_record(char before[][256], int nb, char after[][256], int na, char out[256])
{
    int found = 0;

    out[0] = '\0';
    for (int i = 0; i < na; i++) {
        bool old = false;

        for (int j = 0; j < nb && !old; j++)
            old = strcmp(after[i], before[j]) == 0;
        if (!old && found++ == 0)
            memcpy(out, after[i], 256);
    }
    if (found != 1)
        out[0] = '\0';
}

/* How many of the record's wake semaphores exist (/dev/shm/sem.winipc.w.<nonce>.*). */
static int semaphores_of(const char *record)
{
    char prefix[300];
    DIR *d = opendir("/dev/shm");
    struct dirent *de;
    int n = 0;

    if (!d)
        return 0;
    snprintf(prefix, sizeof prefix, "sem.winipc.w.%s.", record + strlen("winipc.pp."));
    while ((de = readdir(d)) != NULL)
        n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

static bool record_exists(const char *record)
{
    char path[512];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", WINIPC_TEST_PORTABLE_DIR, record);
    return stat(path, &st) == 0;
}

/* Helper: makes its identity and a wake semaphore (a wait that sleeps), reports ready,
   then waits for event argv[1] (or to be killed); exits 0. */
static int role_sleeper(int argc, char **argv)
{
    HANDLE e = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE quit = argc > 1 ? OpenEventA(SYNCHRONIZE, FALSE, argv[1]) : NULL;

    if (!e || !quit || WaitForSingleObject(e, 10) != WAIT_TIMEOUT || !signal_ready(argv[0]))
        return 10;
    return WaitForSingleObject(quit, CHILD_LIMIT_MS) == WAIT_OBJECT_0 ? 0 : 11;
}

/* Starts a sleeper and finds its record; false on failure. */
static bool start_sleeper(const char *base, const char *quit, struct child **c, char record[256])
{
    static char before[MAX_RECORDS][256], after[MAX_RECORDS][256];
    HANDLE ready = ready_event(base);
    int nb, na;

    /* This process's own record exists once it has slept. */
    CU_ASSERT_EQUAL(WaitForSingleObject(ready, 1), WAIT_TIMEOUT);
    nb = records(before, MAX_RECORDS);

    *c = child_spawn("sleeper", base, quit);
    CU_ASSERT_PTR_NOT_NULL(*c);
    if (!*c || !wait_ready(ready, CHILD_LIMIT_MS)) {
        CU_FAIL("the sleeper did not become ready");
        if (*c)
            child_kill(*c);
        CloseHandle(ready);
        return false;
    }
    CloseHandle(ready);
    na = records(after, MAX_RECORDS);
    new_record(before, nb, after, na, record);
    CU_ASSERT_NOT_EQUAL(record[0], '\0');
    if (!record[0]) {
        child_kill(*c);
        return false;
    }
    CU_ASSERT_TRUE(semaphores_of(record) >= 1);
    return true;
}

static void test_exit_removes_semaphores(void)
{
    const char *base = test_name("sleeper"), *quit_name = test_name("sleeper-quit");
    HANDLE quit = CreateEventA(NULL, TRUE, FALSE, quit_name);
    char record[256];
    struct child *c;

    if (!start_sleeper(base, quit_name, &c, record)) {
        CloseHandle(quit);
        return;
    }
    CU_ASSERT_TRUE(SetEvent(quit));
    CU_ASSERT_EQUAL(child_wait(c, CHILD_LIMIT_MS), 0);
    /* Its exit removed its semaphores and its record at once. */
    CU_ASSERT_EQUAL(semaphores_of(record), 0);
    CU_ASSERT_FALSE(record_exists(record));
    CloseHandle(quit);
}

static void test_sigkill_leaves_nothing_for_long(void)
{
    const char *base = test_name("killed"), *quit_name = test_name("killed-quit");
    HANDLE quit = CreateEventA(NULL, TRUE, FALSE, quit_name);
    char record[256];
    struct child *c;

    if (!start_sleeper(base, quit_name, &c, record)) {
        CloseHandle(quit);
        return;
    }
    child_kill(c);
    /* Nobody could remove them: they wait for the next process's sweep. */
    CU_ASSERT_TRUE(record_exists(record));
    CU_ASSERT_TRUE(semaphores_of(record) >= 1);
    CU_ASSERT_EQUAL(child_wait(child_spawn("idle", NULL, NULL), CHILD_LIMIT_MS), 0);
    CU_ASSERT_EQUAL(semaphores_of(record), 0);
    CU_ASSERT_FALSE(record_exists(record));
    CloseHandle(quit);
}

/*
 * What the backend does not provide fails the documented way (portable/unsupported.c),
 * leaving the caller's structures as a failed call on Windows leaves them.
 */
static void test_unsupported_process_calls(void)
{
    STARTUPINFOA si = {.cb = sizeof si};
    PROCESS_INFORMATION pi = {0};
    char cmd[] = "true", path[64];
    HANDLE ev = CreateEventA(NULL, FALSE, FALSE, NULL), self = NULL, dup = NULL;

    CHECK_FAIL(CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi), FALSE,
               ERROR_NOT_SUPPORTED);
    CU_ASSERT_PTR_NULL(pi.hProcess);
    CHECK_FAIL(OpenProcess(SYNCHRONIZE, FALSE, GetCurrentProcessId()), NULL, ERROR_NOT_SUPPORTED);
    CHECK_FAIL(GetModuleFileNameA(NULL, path, sizeof path), 0, ERROR_NOT_SUPPORTED);
    CHECK_FAIL(DuplicateHandle(GetCurrentProcess(), GetCurrentProcess(), GetCurrentProcess(), &self,
                               0, FALSE, DUPLICATE_SAME_ACCESS),
               FALSE, ERROR_NOT_SUPPORTED);
    /* Within the process, DuplicateHandle works as everywhere. */
    CU_ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), ev, GetCurrentProcess(), &dup, 0, FALSE,
                                   DUPLICATE_SAME_ACCESS));
    CU_ASSERT_EQUAL(GetProcessId(GetCurrentProcess()), GetCurrentProcessId());
    CloseHandle(dup);
    CloseHandle(ev);
}

CU_TestInfo test_portable_tests[] = {
    {"CreateProcess, OpenProcess, GetModuleFileName: ERROR_NOT_SUPPORTED",
     test_unsupported_process_calls},
    {"a process's exit removes its wake semaphores and record", test_exit_removes_semaphores},
    {"after SIGKILL, the next process removes them", test_sigkill_leaves_nothing_for_long},
    CU_TEST_INFO_NULL,
};

const struct test_role test_portable_roles[] = {
    {"sleeper", role_sleeper},
    {NULL, NULL},
};
