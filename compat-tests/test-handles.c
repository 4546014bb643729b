/*
 * test-handles.c - CloseHandle, DuplicateHandle, handle reuse and thread safety.
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

static HANDLE section(const char *name)
{
    return CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, name);
}

static void test_close_invalid(void)
{
    HANDLE h = section(NULL);

    CU_ASSERT_TRUE(CloseHandle(h));
    CHECK_FAIL(CloseHandle(h), FALSE, ERROR_INVALID_HANDLE); /* already closed */
    CHECK_FAIL(CloseHandle(NULL), FALSE, ERROR_INVALID_HANDLE);
    CHECK_FAIL(CloseHandle((HANDLE)(ULONG_PTR)0x1234), FALSE, ERROR_INVALID_HANDLE);
    CHECK_FAIL(CloseHandle((HANDLE)(ULONG_PTR)0x7FFFFFF0), FALSE, ERROR_INVALID_HANDLE);
    CHECK_FAIL(CloseHandle((HANDLE)(ULONG_PTR)3), FALSE, ERROR_INVALID_HANDLE);
    /* The pseudo-handles close successfully and stay usable (Windows and Wine). */
    CU_ASSERT_TRUE(CloseHandle(GetCurrentProcess()));
    CU_ASSERT_TRUE(CloseHandle(GetCurrentThread()));
}

static void test_stale_handle_after_reuse(void)
{
    HANDLE a = section(NULL), b;

    CU_ASSERT_TRUE(CloseHandle(a));
    b = section(NULL); /* may reuse a's slot */
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
#ifndef _WIN32
    /* Windows reuses handle values unchecked; winipc's generation check makes the
       stale value fail instead of closing the new object. */
    CHECK_FAIL(CloseHandle(a), FALSE, ERROR_INVALID_HANDLE);
    CHECK_FAIL(MapViewOfFile(a, FILE_MAP_READ, 0, 0, 0), NULL, ERROR_INVALID_HANDLE);
#endif
    CU_ASSERT_TRUE(CloseHandle(b));
}

static void test_duplicate_keeps_object(void)
{
    const char *name = test_name("dup");
    HANDLE h = section(name), d = NULL, d2 = NULL, o;
    struct child *c;
    char *v;

    CU_ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &d, 0, FALSE,
                                   DUPLICATE_SAME_ACCESS));
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_NOT_EQUAL(d, h);
    CU_ASSERT_TRUE(CloseHandle(h));
    /* The duplicate keeps the object and its name. */
    o = OpenFileMappingA(FILE_MAP_READ, FALSE, name);
    CU_ASSERT_PTR_NOT_NULL(o);
    CloseHandle(o);
    v = MapViewOfFile(d, FILE_MAP_WRITE, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL(v);
    UnmapViewOfFile(v);
    /* A read-only duplicate cannot map for writing. DUPLICATE_CLOSE_SOURCE closed d
       (Windows may hand its value to d2): with d2 closed, the name is gone. */
    CU_ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), d, GetCurrentProcess(), &d2, FILE_MAP_READ,
                                   FALSE, DUPLICATE_CLOSE_SOURCE));
    CHECK_FAIL(MapViewOfFile(d2, FILE_MAP_WRITE, 0, 0, 0), NULL, ERROR_ACCESS_DENIED);
    CU_ASSERT_TRUE(CloseHandle(d2));
    CHECK_FAIL(OpenFileMappingA(FILE_MAP_READ, FALSE, name), NULL, ERROR_FILE_NOT_FOUND);

    CHECK_FAIL(DuplicateHandle(GetCurrentProcess(), NULL, GetCurrentProcess(), &d, 0, FALSE,
                               DUPLICATE_SAME_ACCESS),
               FALSE, ERROR_INVALID_HANDLE);

    /* A NULL target still gets a duplicate, unreachable until the process exits
       (documented for DuplicateHandle's lpTargetHandle; Wine agrees): a helper does it,
       and its exit ends the object. */
    c = child_spawn("dup-without-target", name, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(child_wait(c, CHILD_LIMIT_MS), 0);
    CHECK_FAIL(OpenFileMappingA(FILE_MAP_READ, FALSE, name), NULL, ERROR_FILE_NOT_FOUND);
}

/* Exits 0 when the name outlives DUPLICATE_CLOSE_SOURCE of its only visible handle. */
static int role_dup_without_target(int argc, char **argv)
{
    HANDLE h, again;

    if (argc < 1 || !(h = section(argv[0])))
        return 10;
    if (!DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), NULL, 0, FALSE,
                         DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ACCESS))
        return 11;
    again = OpenFileMappingA(FILE_MAP_READ, FALSE, argv[0]);
    if (!again)
        return 12;
    CloseHandle(again);
    return 0; /* the leaked duplicate goes with the process */
}

static void test_tag_bits_ignored(void)
{
    HANDLE ev = CreateEventA(NULL, TRUE, TRUE, NULL);

    /* The low two bits of a handle value are tag bits: Windows ignores them. */
    for (ULONG_PTR tag = 1; tag <= 3; tag++) {
        SetLastError(0xDEAD);
        CU_ASSERT_EQUAL(WaitForSingleObject((HANDLE)((ULONG_PTR)ev | tag), 0), WAIT_OBJECT_0);
        CU_ASSERT_EQUAL(GetLastError(), 0xDEAD);
    }
    CU_ASSERT_TRUE(SetEvent((HANDLE)((ULONG_PTR)ev | 2)));
    CU_ASSERT_TRUE(CloseHandle((HANDLE)((ULONG_PTR)ev | 3)));
    CHECK_FAIL(CloseHandle(ev), FALSE, ERROR_INVALID_HANDLE);
}

static void test_open_access_checked(void)
{
    const char *name = test_name("mtxaccess");
    HANDLE m, o;
    DWORD refused = 0;

    /* The name is looked up before the access is checked. */
    CHECK_FAIL(OpenMutexA(0, FALSE, name), NULL, ERROR_FILE_NOT_FOUND);
    m = CreateMutexA(NULL, FALSE, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    if (!skipped_on_wine("OpenMutex access checks (Wine grants any access)")) {
        CHECK_FAIL(OpenMutexA(0, FALSE, name), NULL, ERROR_ACCESS_DENIED);
        CHECK_FAIL(OpenMutexA(ACCESS_SYSTEM_SECURITY, FALSE, name), NULL, ERROR_PRIVILEGE_NOT_HELD);
        /* Each right alone: a mutex defines MUTANT_QUERY_STATE and the standard
           rights; generic rights and MAXIMUM_ALLOWED map onto those; the rest is
           refused (the mask Windows refuses, as Wine's sync.c records it). */
        for (int i = 0; i < 32; i++) {
            o = OpenMutexA(1u << i, FALSE, name);
            if (o) {
                CU_ASSERT_EQUAL(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
                CU_ASSERT_TRUE(ReleaseMutex(o)); /* releasing needs no right */
                CloseHandle(o);
            } else {
                refused |= 1u << i;
            }
        }
        CU_ASSERT_EQUAL(refused, 0x0de0fffeu);
    }
    CloseHandle(m);
}

static void test_duplicate_access(void)
{
    HANDLE s = section(NULL), d = NULL;
    char path[160];
    HANDLE f;

    /* A duplicate has the access asked for, nothing more: none maps nothing. */
    CU_ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), s, GetCurrentProcess(), &d, 0, FALSE, 0));
    CHECK_FAIL(MapViewOfFile(d, 0, 0, 0, 0), NULL, ERROR_ACCESS_DENIED);
    CHECK_FAIL(MapViewOfFile(d, FILE_MAP_READ, 0, 0, 0), NULL, ERROR_ACCESS_DENIED);
    CloseHandle(d);
    /* A file's duplicate cannot have more than its source (Windows; Wine grants it). */
    snprintf(path, sizeof path, "%s.tmp", test_name("dupfile"));
    f = CreateFileA(path, GENERIC_READ, 0, NULL, CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CU_ASSERT_NOT_EQUAL_FATAL(f, INVALID_HANDLE_VALUE);
    if (!skipped_on_wine("a file handle duplicated with more access than it has")) {
        CHECK_FAIL(DuplicateHandle(GetCurrentProcess(), f, GetCurrentProcess(), &d, GENERIC_WRITE,
                                   FALSE, 0),
                   FALSE, ERROR_ACCESS_DENIED);
    }
    CU_ASSERT_TRUE(
        DuplicateHandle(GetCurrentProcess(), f, GetCurrentProcess(), &d, GENERIC_READ, FALSE, 0));
    CloseHandle(d);
    /* DUPLICATE_CLOSE_SOURCE in the same process: the new handle takes the old value. */
    CU_ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), f, GetCurrentProcess(), &d, 0, FALSE,
                                   DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
    CU_ASSERT_EQUAL(d, f);
    /* The source is closed whatever else goes wrong ("regardless of any error status"). */
    CHECK_FAIL(DuplicateHandle(GetCurrentProcess(), d, (HANDLE)(ULONG_PTR)0x7770, &s, 0, FALSE,
                               DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE),
               FALSE, ERROR_INVALID_HANDLE);
    CHECK_FAIL(CloseHandle(d), FALSE, ERROR_INVALID_HANDLE);
    CloseHandle(s);
}

static void test_duplicate_bad_pointer(void)
{
    HANDLE s = section(NULL);

    CHECK_FAIL(DuplicateHandle(GetCurrentProcess(), s, GetCurrentProcess(), (HANDLE *)16, 0, FALSE,
                               DUPLICATE_SAME_ACCESS),
               FALSE, ERROR_NOACCESS);
    CU_ASSERT_TRUE(CloseHandle(s)); /* untouched */
}

/* Many threads open, map and close handles to one name while others use stale values. */
struct churn {
    const char *name;
    volatile LONG failures;
};

static DWORD WINAPI churn_thread(LPVOID p)
{
    struct churn *c = p;

    for (int i = 0; i < 2000; i++) {
        HANDLE h = OpenFileMappingA(FILE_MAP_WRITE, FALSE, c->name);
        LONG *v = h ? MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0) : NULL;

        if (!v) {
            c->failures++;
            continue;
        }
        InterlockedIncrement(v);
        UnmapViewOfFile(v);
        if (!CloseHandle(h))
            c->failures++;
#ifndef _WIN32
        /* A closed handle stays dead even if another thread's handle reuses its slot
           (on Windows the value may name that other handle now). */
        SetLastError(0);
        if (CloseHandle(h) || GetLastError() != ERROR_INVALID_HANDLE)
            c->failures++;
#endif
    }
    return 0;
}

static void test_table_is_thread_safe(void)
{
    struct churn c = {.name = test_name("churn")};
    HANDLE keep = section(c.name), t[4];
    LONG *v;
    int i;

    for (i = 0; i < 4; i++)
        t[i] = CreateThread(NULL, 0, churn_thread, &c, 0, NULL);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(4, t, TRUE, 60000), WAIT_OBJECT_0);
    for (i = 0; i < 4; i++)
        CloseHandle(t[i]);
    CU_ASSERT_EQUAL(c.failures, 0);
    v = MapViewOfFile(keep, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_EQUAL(*v, 4 * 2000);
    UnmapViewOfFile(v);
    CloseHandle(keep);
}

CU_TestInfo test_handles_tests[] = {
    {"CloseHandle of closed, invalid, NULL and pseudo handles", test_close_invalid},
    {"a stale handle value fails after its slot is reused", test_stale_handle_after_reuse},
    {"DuplicateHandle keeps the object alive; access and CLOSE_SOURCE",
     test_duplicate_keeps_object},
    {"the handle table under four threads", test_table_is_thread_safe},
    {"the low two bits of a handle are ignored", test_tag_bits_ignored},
    {"OpenMutex checks the access asked for", test_open_access_checked},
    {"DuplicateHandle: the access asked for, no more for files; CLOSE_SOURCE",
     test_duplicate_access},
    {"DuplicateHandle: a target in the NULL page is ERROR_NOACCESS", test_duplicate_bad_pointer},
    CU_TEST_INFO_NULL,
};

const struct test_role test_handles_roles[] = {
    {"dup-without-target", role_dup_without_target},
    {NULL, NULL},
};
