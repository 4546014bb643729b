/*
 * test-mapping.c - pagefile-backed file mappings and their views.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAP_RW(name, size) \
    CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, (size), (name))

static void test_create_fresh_then_existing(void)
{
    const char *name = test_name("fresh");
    HANDLE h1, h2;
    char *v1, *v2;

    SetLastError(0xDEADu);
    h1 = MAP_RW(name, 4096);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h1);
    CU_ASSERT_EQUAL(GetLastError(), 0);

    /* A second create opens the same memory; its (larger) size is ignored. */
    h2 = MAP_RW(name, 1 << 20);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h2);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ALREADY_EXISTS);
    CU_ASSERT_NOT_EQUAL(h1, h2);
    v1 = MapViewOfFile(h1, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    v2 = MapViewOfFile(h2, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v2);
    strcpy(v1, "shared");
    CU_ASSERT_STRING_EQUAL(v2, "shared");
    CHECK_FAIL(MapViewOfFile(h2, FILE_MAP_READ, 0, 0, 8192), NULL, ERROR_ACCESS_DENIED);

    UnmapViewOfFile(v1);
    UnmapViewOfFile(v2);
    CloseHandle(h1);
    CloseHandle(h2);
}

static void test_open(void)
{
    const char *name = test_name("open");
    HANDLE h = MAP_RW(name, 100), o;
    char *v, *w;

    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CHECK_FAIL(OpenFileMappingA(FILE_MAP_READ, FALSE, test_name("missing")), NULL,
               ERROR_FILE_NOT_FOUND);
    CHECK_FAIL(OpenFileMappingA(FILE_MAP_READ, FALSE, NULL), NULL, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(OpenFileMappingW(FILE_MAP_READ, FALSE, NULL), NULL, ERROR_INVALID_PARAMETER);
    /* An empty name names the object directory, which is not a section (Wine agrees). */
    CHECK_FAIL(OpenFileMappingA(FILE_MAP_READ, FALSE, ""), NULL, ERROR_INVALID_HANDLE);

    /* A successful open leaves the last error alone. */
    SetLastError(1234);
    o = OpenFileMappingA(FILE_MAP_ALL_ACCESS, FALSE, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_EQUAL(GetLastError(), 1234);
    v = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0);
    w = MapViewOfFile(o, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    v[99] = 'x';
    CU_ASSERT_EQUAL(w[99], 'x');
    UnmapViewOfFile(v);
    UnmapViewOfFile(w);
    CloseHandle(o);
    CloseHandle(h);
}

static void test_sizes(void)
{
    const char *name = test_name("big");
    HANDLE h;
    char *lo, *hi, *again;

    CHECK_FAIL(MAP_RW(test_name("zero"), 0), NULL, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(CreateFileMappingA(NULL, NULL, PAGE_READWRITE, 0, 0, NULL), NULL,
               ERROR_INVALID_PARAMETER);

    /* 5 GiB through dwMaximumSizeHigh; only the touched pages cost memory. */
    h = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 1, 0x40000000u, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    hi = MapViewOfFile(h, FILE_MAP_WRITE, 1, 0x30000000u, 65536);
    CU_ASSERT_PTR_NOT_NULL_FATAL(hi);
    lo = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 65536);
    CU_ASSERT_PTR_NOT_NULL_FATAL(lo);
    for (int i = 0; i < 65536; i += 512) /* new pages read as zero */
        CU_ASSERT_EQUAL_FATAL(hi[i] | lo[i], 0);
    strcpy(hi, "above 4 GiB");
    again = MapViewOfFile(h, FILE_MAP_READ, 1, 0x30000000u, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(again);
    CU_ASSERT_STRING_EQUAL(again, "above 4 GiB");
    CU_ASSERT_EQUAL(lo[0], 0);
    UnmapViewOfFile(again);
    UnmapViewOfFile(hi);
    UnmapViewOfFile(lo);
    CloseHandle(h);
}

static void test_absurd_size(void)
{
    /* No machine holds 16 EiB. Windows refuses it; Wine 8 hands out a lazy section
       (its NtCreateSection does not charge commit), so the check is skipped there. */
    if (skipped_on_wine("a 16 EiB section is refused"))
        return;
    CHECK_FAIL(CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0xFFFFFFFFu,
                                  0xFFFFFFFFu, test_name("absurd")),
               NULL, ERROR_NOT_ENOUGH_MEMORY);
    CU_ASSERT_EQUAL(shm_leftovers("absurd"), 0);
}

static void test_bad_flags(void)
{
    static const DWORD bad[] = {0,
                                PAGE_NOACCESS,
                                PAGE_EXECUTE,
                                PAGE_READWRITE | PAGE_READONLY,
                                PAGE_READWRITE | PAGE_GUARD,
                                PAGE_READWRITE | PAGE_NOCACHE,
                                PAGE_READWRITE | SEC_COMMIT | SEC_RESERVE,
                                0x12345678};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_FAIL(CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, bad[i], 0, 4096, NULL), NULL,
                   ERROR_INVALID_PARAMETER);
    CHECK_FAIL(
        CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | SEC_IMAGE, 0, 4096, NULL),
        NULL, ERROR_BAD_EXE_FORMAT);
    /* The SEC_* rules Windows applies (Wine's virtual.c records them): SEC_FILE is not
       the caller's; SEC_IMAGE takes no allocation flag; the cache and page-size flags
       only qualify SEC_COMMIT or SEC_RESERVE. */
    {
        static const DWORD invalid[] = {SEC_FILE,
                                        SEC_FILE | SEC_COMMIT,
                                        SEC_IMAGE | SEC_COMMIT,
                                        SEC_IMAGE | SEC_RESERVE,
                                        SEC_NOCACHE,
                                        SEC_WRITECOMBINE,
                                        SEC_LARGE_PAGES,
                                        SEC_RESERVE | SEC_LARGE_PAGES};
        static const DWORD valid[] = {SEC_COMMIT | SEC_NOCACHE, SEC_RESERVE | SEC_NOCACHE,
                                      SEC_COMMIT | SEC_WRITECOMBINE};

        for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
            CHECK_FAIL(CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | invalid[i],
                                          0, 4096, NULL),
                       NULL, ERROR_INVALID_PARAMETER);
        for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
            HANDLE h = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | valid[i], 0,
                                          4096, NULL);

            CU_ASSERT_PTR_NOT_NULL(h);
            CloseHandle(h);
        }
        /* Large pages need SeLockMemoryPrivilege, which a test process does not hold. */
        if (!skipped_on_wine("SEC_LARGE_PAGES without the privilege: ERROR_PRIVILEGE_NOT_HELD"))
            CHECK_FAIL(CreateFileMappingA(INVALID_HANDLE_VALUE, NULL,
                                          PAGE_READWRITE | SEC_COMMIT | SEC_LARGE_PAGES, 0,
                                          0x200000, NULL),
                       NULL, ERROR_PRIVILEGE_NOT_HELD);
    }
    CHECK_FAIL(CreateFileMappingA((HANDLE)(ULONG_PTR)0x1234, NULL, PAGE_READWRITE, 0, 4096, NULL),
               NULL, ERROR_INVALID_HANDLE);
    /* Validation comes before the name: a bad call on an existing name fails too. */
    {
        const char *name = test_name("valid-first");
        HANDLE h = MAP_RW(name, 4096);

        CHECK_FAIL(MAP_RW(name, 0), NULL, ERROR_INVALID_PARAMETER);
        CloseHandle(h);
    }
}

static void test_view_ranges(void)
{
    HANDLE h = MAP_RW(test_name("ranges"), 3 * 65536 + 100);
    char *v;
    SYSTEM_INFO si;

    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    GetSystemInfo(&si);
    /* Size 0 maps from the offset to the end (of the last page). */
    v = MapViewOfFile(h, FILE_MAP_WRITE, 0, 2 * 65536, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    v[65536 + si.dwPageSize - 1] = 1;
    CU_ASSERT_TRUE(UnmapViewOfFile(v));
    /* A pagefile section is usable to the end of its last page (as Windows allows). */
    v = MapViewOfFile(h, FILE_MAP_READ, 0, 0, 3 * 65536 + si.dwPageSize);
    CU_ASSERT_PTR_NOT_NULL(v);
    UnmapViewOfFile(v);
    CHECK_FAIL(MapViewOfFile(h, FILE_MAP_READ, 0, 0, 3 * 65536 + si.dwPageSize + 1), NULL,
               ERROR_ACCESS_DENIED);
    CHECK_FAIL(MapViewOfFile(h, FILE_MAP_READ, 0, 65536, 3 * 65536), NULL, ERROR_ACCESS_DENIED);
    /* Offsets are multiples of the allocation granularity. */
    CHECK_FAIL(MapViewOfFile(h, FILE_MAP_READ, 0, 4096, 0), NULL, ERROR_MAPPED_ALIGNMENT);
    CHECK_FAIL(MapViewOfFile(h, FILE_MAP_READ, 0, 1, 0), NULL, ERROR_MAPPED_ALIGNMENT);
    /* An offset at or past the end: Windows and Wine say invalid parameter. */
    CHECK_FAIL(MapViewOfFile(h, FILE_MAP_READ, 0, 4 * 65536, 0), NULL, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(MapViewOfFile(h, FILE_MAP_READ, 1, 0, 0), NULL, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(MapViewOfFile(NULL, FILE_MAP_READ, 0, 0, 0), NULL, ERROR_INVALID_HANDLE);
    CloseHandle(h);
}

static void test_view_access(void)
{
    const char *name = test_name("access");
    HANDLE ro = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READONLY, 0, 4096, NULL);
    HANDLE rw = MAP_RW(name, 4096), rd, wr;
    char *v;

    CU_ASSERT_PTR_NOT_NULL_FATAL(ro);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rw);
    /* The section's protection limits every view. */
    CHECK_FAIL(MapViewOfFile(ro, FILE_MAP_WRITE, 0, 0, 0), NULL, ERROR_ACCESS_DENIED);
    CHECK_FAIL(MapViewOfFile(ro, FILE_MAP_ALL_ACCESS, 0, 0, 0), NULL, ERROR_ACCESS_DENIED);
    v = MapViewOfFile(ro, FILE_MAP_COPY, 0, 0, 0); /* copy-on-write is fine */
    CU_ASSERT_PTR_NOT_NULL(v);
    UnmapViewOfFile(v);
    /* And so do the handle's rights. */
    rd = OpenFileMappingA(FILE_MAP_READ, FALSE, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rd);
    CHECK_FAIL(MapViewOfFile(rd, FILE_MAP_WRITE, 0, 0, 0), NULL, ERROR_ACCESS_DENIED);
    v = MapViewOfFile(rd, FILE_MAP_COPY, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL(v);
    UnmapViewOfFile(v);
    wr = OpenFileMappingA(FILE_MAP_WRITE, FALSE, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(wr);
    CHECK_FAIL(MapViewOfFile(wr, FILE_MAP_READ, 0, 0, 0), NULL, ERROR_ACCESS_DENIED);
    v = MapViewOfFile(wr, FILE_MAP_WRITE, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL(v);
    UnmapViewOfFile(v);
    CloseHandle(wr);
    CloseHandle(rd);
    CloseHandle(rw);
    CloseHandle(ro);
}

static void test_copy_on_write(void)
{
    HANDLE h = MAP_RW(test_name("cow"), 4096);
    char *shared = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0);
    char *copy = MapViewOfFile(h, FILE_MAP_COPY, 0, 0, 0);

    CU_ASSERT_PTR_NOT_NULL_FATAL(shared);
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
    strcpy(shared, "original");
    CU_ASSERT_STRING_EQUAL(copy, "original");
    strcpy(copy, "private");
    CU_ASSERT_STRING_EQUAL(shared, "original");
    CU_ASSERT_STRING_EQUAL(copy, "private");
    UnmapViewOfFile(copy);
    UnmapViewOfFile(shared);
    CloseHandle(h);
}

/* Helper: writes through a read-only view; must die of the access violation. */
static int role_write_readonly(int argc, char **argv)
{
    HANDLE h = argc > 0 ? OpenFileMappingA(FILE_MAP_READ, FALSE, argv[0]) : NULL;
    volatile char *v = h ? MapViewOfFile(h, FILE_MAP_READ, 0, 0, 0) : NULL;

    if (!v)
        return 3;
    signal_ready(argv[0]);
    v[0] = 'x'; /* faults */
    return 4;
}

static void test_read_view_is_readonly(void)
{
    const char *name = test_name("rofault");
    HANDLE h = MAP_RW(name, 4096), ready = ready_event(name);
    struct child *c;
    int code;

#ifndef _WIN32
    /* Under AddressSanitizer the child must die of the fault, not report it. */
    char *saved = getenv("ASAN_OPTIONS");
    char options[512];

    snprintf(options, sizeof options, "%s:handle_segv=0", saved ? saved : "");
    saved = saved ? strdup(saved) : NULL;
    setenv("ASAN_OPTIONS", options, 1);
#endif
    c = child_spawn("write-readonly", name, NULL);
#ifndef _WIN32
    if (saved)
        setenv("ASAN_OPTIONS", saved, 1);
    else
        unsetenv("ASAN_OPTIONS");
    free(saved);
#endif

    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    code = child_wait(c, 20000);
    CU_ASSERT_TRUE(wait_ready(ready, 0)); /* it got as far as the write */
#ifdef _WIN32
    CU_ASSERT_EQUAL((DWORD)code, 0xC0000005u); /* EXCEPTION_ACCESS_VIOLATION */
#else
    CU_ASSERT_EQUAL(code, -2); /* killed by SIGSEGV */
#endif
    CloseHandle(ready);
    CloseHandle(h);
}

static void test_unmap_and_flush(void)
{
    HANDLE h = MAP_RW(test_name("unmap"), 3 * 65536);
    char *v = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0);

    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    /* Flush works on any address inside a view, for any length. */
    CU_ASSERT_TRUE(FlushViewOfFile(v, 0));
    CU_ASSERT_TRUE(FlushViewOfFile(v + 70000, 10));
    CU_ASSERT_TRUE(FlushViewOfFile(v + 3 * 65536 - 1, 0));
    /* Not a view: Wine's error (Windows documents none). */
    CHECK_FAIL(FlushViewOfFile(NULL, 0), FALSE, ERROR_INVALID_PARAMETER);

    CHECK_FAIL(UnmapViewOfFile(NULL), FALSE, ERROR_INVALID_ADDRESS);
    CHECK_FAIL(UnmapViewOfFile(&h), FALSE, ERROR_INVALID_ADDRESS);
    /* An address inside a view unmaps the whole view. */
    CU_ASSERT_TRUE(UnmapViewOfFile(v + 65536 + 17));
    CHECK_FAIL(UnmapViewOfFile(v), FALSE, ERROR_INVALID_ADDRESS);
    CHECK_FAIL(FlushViewOfFile(v, 0), FALSE, ERROR_INVALID_PARAMETER);
    CloseHandle(h);
}

static void test_map_at_address(void)
{
    HANDLE h = MAP_RW(test_name("at"), 65536);
    char *a = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0), *b;

    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    /* Views start at multiples of the allocation granularity, as on Windows. */
    CU_ASSERT_EQUAL((ULONG_PTR)a % 65536, 0);
    /* The address is taken: the view cannot go there. */
    CHECK_FAIL(MapViewOfFileEx(h, FILE_MAP_WRITE, 0, 0, 0, a), NULL, ERROR_INVALID_ADDRESS);
    CU_ASSERT_TRUE(UnmapViewOfFile(a));
    /* Free again: a view can be placed exactly there (same base in every process). */
    b = MapViewOfFileEx(h, FILE_MAP_WRITE, 0, 0, 0, a);
    CU_ASSERT_PTR_EQUAL(b, a);
    UnmapViewOfFile(b);
    CHECK_FAIL(MapViewOfFileEx(h, FILE_MAP_WRITE, 0, 0, 0, (char *)a + 4096), NULL,
               ERROR_MAPPED_ALIGNMENT);
    CloseHandle(h);
}

/* Whether [a, a + na) and [b, b + nb) overlap. */
static int overlaps(const char *a, size_t na, const char *b, size_t nb)
{
    return a < b + nb && b < a + na;
}

/*
 * Views come and go in mixed sizes, some kept, with other memory allocated between
 * them: every view starts on a 64 KiB boundary, none lands on another view or on the
 * other memory, and each keeps what was written into it (mapping.c places a view at
 * a guessed free address first; a wrong guess must cost nothing but the guess).
 */
static void test_view_placement(void)
{
    enum { KEPT = 24 };
    static const DWORD sizes[] = {4096, 65536, 65536 + 4096, 3 * 65536, 8192, 5 * 65536};
    HANDLE h = MAP_RW(test_name("place"), 5 * 65536);
    unsigned char *kept[KEPT] = {0}, *other[KEPT] = {0};
    DWORD kept_size[KEPT] = {0};

    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    for (int i = 0; i < 4 * KEPT; i++) {
        DWORD size = sizes[i % 6];
        unsigned char *v = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, size);
        int slot = i % KEPT;

        CU_ASSERT_PTR_NOT_NULL_FATAL(v);
        CU_ASSERT_EQUAL((ULONG_PTR)v % 65536, 0);
        for (int k = 0; k < KEPT; k++) {
            CU_ASSERT_FALSE(kept[k] && overlaps((char *)v, size, (char *)kept[k], kept_size[k]));
            CU_ASSERT_FALSE(other[k] && overlaps((char *)v, size, (char *)other[k], 4096));
        }
        if (i % 3 == 0) { /* unmapped at once: its place is free for the next one */
            UnmapViewOfFile(v);
            continue;
        }
        if (kept[slot]) { /* the one it replaces, and memory in the freed place */
            UnmapViewOfFile(kept[slot]);
            if (other[slot])
                VirtualFree(other[slot], 0, MEM_RELEASE);
            other[slot] = VirtualAlloc(NULL, 4096, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
            CU_ASSERT_PTR_NOT_NULL_FATAL(other[slot]);
            memset(other[slot], 0x5A, 4096);
        }
        kept[slot] = v;
        kept_size[slot] = size;
    }
    /* One section: every view shows the same first page; the other memory is intact. */
    CU_ASSERT_PTR_NOT_NULL_FATAL(kept[1]);
    kept[1][100] = 0xA5;
    for (int k = 0; k < KEPT; k++) {
        if (kept[k])
            CU_ASSERT_EQUAL(kept[k][100], 0xA5);
        if (other[k])
            CU_ASSERT_EQUAL(other[k][4095], 0x5A);
    }
    for (int k = 0; k < KEPT; k++) {
        if (kept[k])
            CU_ASSERT_TRUE(UnmapViewOfFile(kept[k]));
        if (other[k])
            VirtualFree(other[k], 0, MEM_RELEASE);
    }
    CloseHandle(h);
}

static void test_system_info(void)
{
    SYSTEM_INFO si;
    LARGE_INTEGER f, c1, c2;
    ULONGLONG t1, t2;

    GetSystemInfo(&si);
    CU_ASSERT_EQUAL(si.dwAllocationGranularity, 65536);
    CU_ASSERT_TRUE(si.dwPageSize >= 4096 && (si.dwPageSize & (si.dwPageSize - 1)) == 0);
    CU_ASSERT_TRUE(si.dwNumberOfProcessors >= 1);
    CU_ASSERT_TRUE(QueryPerformanceFrequency(&f));
    CU_ASSERT_TRUE(f.QuadPart > 0);
    CU_ASSERT_TRUE(QueryPerformanceCounter(&c1));
    t1 = GetTickCount64();
    Sleep(20);
    CU_ASSERT_TRUE(QueryPerformanceCounter(&c2));
    t2 = GetTickCount64();
    CU_ASSERT_TRUE((c2.QuadPart - c1.QuadPart) * 1000 / f.QuadPart >= 19);
    CU_ASSERT_TRUE(t2 >= t1 && t2 - t1 < 1000); /* ticks are coarse (10-16 ms on Windows) */
    CU_ASSERT_NOT_EQUAL(GetCurrentProcessId(), 0);
    CU_ASSERT_NOT_EQUAL(GetCurrentThreadId(), 0);
}

CU_TestInfo test_mapping_tests[] = {
    {"create fresh, then existing: same memory, ERROR_ALREADY_EXISTS, old size",
     test_create_fresh_then_existing},
    {"OpenFileMapping: missing, NULL, empty, success keeps last error", test_open},
    {"sizes: 0 is invalid, above 4 GiB works, new pages are zero", test_sizes},
    {"an absurd size fails with ERROR_NOT_ENOUGH_MEMORY", test_absurd_size},
    {"invalid protection flags and handles", test_bad_flags},
    {"view offsets, sizes and ends", test_view_ranges},
    {"view access: section protection and handle rights", test_view_access},
    {"FILE_MAP_COPY is private copy-on-write", test_copy_on_write},
    {"a read view is really read-only", test_read_view_is_readonly},
    {"UnmapViewOfFile and FlushViewOfFile take any address in a view", test_unmap_and_flush},
    {"MapViewOfFileEx at a given address", test_map_at_address},
    {"views in mixed sizes come and go: aligned, apart, intact", test_view_placement},
    {"GetSystemInfo, counters and ticks", test_system_info},
    CU_TEST_INFO_NULL,
};

const struct test_role test_mapping_roles[] = {
    {"write-readonly", role_write_readonly},
    {NULL, NULL},
};
