/*
 * test-memory.c - the memory calls next to mappings: LocalAlloc and GlobalAlloc, the
 * Heap functions, VirtualAlloc/VirtualFree/VirtualProtect, and VirtualQuery of
 * reservations, views, the stack and code.
 */
#include "helpers.h"

#include <stdint.h>
#include <string.h>

static SIZE_T page_size(void)
{
    SYSTEM_INFO si;

    GetSystemInfo(&si);
    return si.dwPageSize;
}

static void test_local_global(void)
{
    char *p = LocalAlloc(LPTR, 100), *q;
    HGLOBAL h;

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL((uintptr_t)p % 8, 0);
    CU_ASSERT_EQUAL(p[0] | p[50] | p[99], 0); /* LPTR: zeroed */
    CU_ASSERT_EQUAL(LocalSize(p), 100);
    memset(p, 'x', 100);
    /* A fixed block may move only when asked. */
    q = LocalReAlloc(p, 5000, LMEM_MOVEABLE | LMEM_ZEROINIT);
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    CU_ASSERT_EQUAL(q[99], 'x');
    CU_ASSERT_EQUAL(q[100] | q[4999], 0);
    CU_ASSERT_EQUAL(LocalSize(q), 5000);
    /* Fixed memory is never locked: LocalUnlock says so. */
    CU_ASSERT_PTR_EQUAL(LocalLock(q), q);
    CHECK_FAIL(LocalUnlock(q), FALSE, ERROR_NOT_LOCKED);
    CU_ASSERT_PTR_NULL(LocalFree(q));
    CU_ASSERT_PTR_NULL(LocalFree(NULL));

    /* Moveable memory: lock counts. */
    h = GlobalAlloc(GHND, 64);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    p = GlobalLock(h);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p[0] | p[63], 0);
    CU_ASSERT_EQUAL(GlobalFlags(h) & GMEM_LOCKCOUNT, 1);
    CU_ASSERT_PTR_EQUAL(GlobalLock(h), p);
    CU_ASSERT_EQUAL(GlobalFlags(h) & GMEM_LOCKCOUNT, 2);
    CU_ASSERT_TRUE(GlobalUnlock(h));              /* still locked once */
    CHECK_FAIL(GlobalUnlock(h), FALSE, NO_ERROR); /* now unlocked */
    CHECK_FAIL(GlobalUnlock(h), FALSE, ERROR_NOT_LOCKED);
    CU_ASSERT_EQUAL(GlobalSize(h), 64);
    CU_ASSERT_PTR_NULL(GlobalFree(h));
    /* Fixed global memory: the handle is the address, and unlocking it succeeds. */
    h = GlobalAlloc(GMEM_FIXED, 16);
    CU_ASSERT_PTR_EQUAL(GlobalLock(h), h);
    CU_ASSERT_TRUE(GlobalUnlock(h));
    CU_ASSERT_PTR_NULL(GlobalFree(h));
    /* LocalAlloc memory is process-heap memory. */
    p = LocalAlloc(LMEM_FIXED, 32);
    CU_ASSERT_EQUAL(HeapSize(GetProcessHeap(), 0, p), 32);
    CU_ASSERT_TRUE(HeapFree(GetProcessHeap(), 0, p));
}

static void test_heaps(void)
{
    HANDLE heap = HeapCreate(0, 0, 0), fixed;
    char *p, *q;

    CU_ASSERT_PTR_NOT_NULL_FATAL(heap);
    CU_ASSERT_PTR_NOT_NULL(GetProcessHeap());
    p = HeapAlloc(heap, HEAP_ZERO_MEMORY, 1000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p[0] | p[999], 0);
    CU_ASSERT_EQUAL(HeapSize(heap, 0, p), 1000);
    memset(p, 'y', 1000);
    q = HeapReAlloc(heap, HEAP_ZERO_MEMORY, p, 100000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    CU_ASSERT_EQUAL(q[999], 'y');
    CU_ASSERT_EQUAL(q[1000] | q[99999], 0);
    /* Shrinking in place always works. */
    CU_ASSERT_PTR_EQUAL(HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, q, 10), q);
    CU_ASSERT_EQUAL(HeapSize(heap, 0, q), 10);
    CU_ASSERT_TRUE(HeapFree(heap, 0, q));
    CU_ASSERT_TRUE(HeapFree(heap, 0, NULL));
    CU_ASSERT_PTR_NOT_NULL(HeapAlloc(heap, 0, 64)); /* freed by HeapDestroy */
    CU_ASSERT_TRUE(HeapDestroy(heap));
    /* A heap with a maximum size refuses more than it can hold. */
    fixed = HeapCreate(0, 0, 64 * 1024);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fixed);
    CU_ASSERT_PTR_NULL(HeapAlloc(fixed, 0, 1024 * 1024));
    CU_ASSERT_PTR_NOT_NULL(HeapAlloc(fixed, 0, 1024));
    CU_ASSERT_TRUE(HeapDestroy(fixed));
}

static void test_virtual_alloc(void)
{
    SIZE_T page = page_size();
    MEMORY_BASIC_INFORMATION mbi;
    char *p, *q;
    DWORD old;

    p = VirtualAlloc(NULL, 100000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL((uintptr_t)p % 65536, 0); /* reservations start at the granularity */
    CU_ASSERT_EQUAL(p[0] | p[99999], 0);
    CU_ASSERT_EQUAL(VirtualQuery(p + 10, &mbi, sizeof mbi), sizeof mbi);
    CU_ASSERT_PTR_EQUAL(mbi.BaseAddress, p);
    CU_ASSERT_PTR_EQUAL(mbi.AllocationBase, p);
    CU_ASSERT_EQUAL(mbi.AllocationProtect, PAGE_READWRITE);
    CU_ASSERT_EQUAL(mbi.RegionSize, (100000 + page - 1) / page * page);
    CU_ASSERT_EQUAL(mbi.State, MEM_COMMIT);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_READWRITE);
    CU_ASSERT_EQUAL(mbi.Type, MEM_PRIVATE);
    /* VirtualProtect returns the old protection; VirtualQuery sees the new one. */
    CU_ASSERT_TRUE(VirtualProtect(p, page, PAGE_READONLY, &old));
    CU_ASSERT_EQUAL(old, PAGE_READWRITE);
    VirtualQuery(p, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_READONLY);
    CU_ASSERT_EQUAL(mbi.RegionSize, page);
    CHECK_FAIL(VirtualProtect(p, page, PAGE_READWRITE, NULL), FALSE, ERROR_NOACCESS);
    /* MEM_RELEASE takes the base and size 0. */
    CHECK_FAIL(VirtualFree(p, page, MEM_RELEASE), FALSE, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(VirtualFree(p + page, 0, MEM_RELEASE), FALSE, ERROR_INVALID_ADDRESS);
    CU_ASSERT_TRUE(VirtualFree(p, 0, MEM_RELEASE));
    if (!skipped_on_portable("VirtualQuery of free address space (no /proc/self/maps)")) {
        CU_ASSERT_EQUAL(VirtualQuery(p, &mbi, sizeof mbi), sizeof mbi);
        CU_ASSERT_EQUAL(mbi.State, MEM_FREE);
        CU_ASSERT_EQUAL(mbi.Protect, PAGE_NOACCESS);
    }
    /* A released range cannot be committed without reserving it again. */
    CHECK_FAIL(VirtualAlloc(p, page, MEM_COMMIT, PAGE_READWRITE), NULL, ERROR_INVALID_ADDRESS);

    /* Reserve, then commit two pages in the middle. */
    p = VirtualAlloc(NULL, 16 * page, MEM_RESERVE, PAGE_NOACCESS);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    VirtualQuery(p, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.State, MEM_RESERVE);
    CU_ASSERT_EQUAL(mbi.RegionSize, 16 * page);
    CU_ASSERT_EQUAL(mbi.Protect, 0);
    q = VirtualAlloc(p + 4 * page + 100, page, MEM_COMMIT, PAGE_READWRITE);
    CU_ASSERT_PTR_EQUAL(q, p + 4 * page); /* the page-aligned start */
    q[0] = 1, q[2 * page - 1] = 2;        /* 100 bytes in: two pages */
    VirtualQuery(p, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.RegionSize, 4 * page);
    CU_ASSERT_EQUAL(mbi.State, MEM_RESERVE);
    VirtualQuery(p + 5 * page, &mbi, sizeof mbi);
    CU_ASSERT_PTR_EQUAL(mbi.BaseAddress, p + 5 * page);
    CU_ASSERT_PTR_EQUAL(mbi.AllocationBase, p);
    CU_ASSERT_EQUAL(mbi.AllocationProtect, PAGE_NOACCESS);
    CU_ASSERT_EQUAL(mbi.RegionSize, page);
    CU_ASSERT_EQUAL(mbi.State, MEM_COMMIT);
    VirtualQuery(p + 6 * page, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.State, MEM_RESERVE);
    CU_ASSERT_EQUAL(mbi.RegionSize, 10 * page);
    /* Reserved pages have no protection to change. */
    CHECK_FAIL(VirtualProtect(p, page, PAGE_READONLY, &old), FALSE, ERROR_INVALID_ADDRESS);
    CU_ASSERT_PTR_EQUAL(VirtualAlloc(q, page, MEM_RESET, PAGE_READWRITE), q);
    /* Decommitted pages read as zero when committed again. */
    CU_ASSERT_TRUE(VirtualFree(q, 2 * page, MEM_DECOMMIT));
    VirtualQuery(q, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.State, MEM_RESERVE);
    CU_ASSERT_PTR_EQUAL(VirtualAlloc(q, 2 * page, MEM_COMMIT, PAGE_READWRITE), q);
    CU_ASSERT_EQUAL(q[2 * page - 1], 0);
    CU_ASSERT_TRUE(VirtualFree(p, 0, MEM_RELEASE));

    CHECK_FAIL(VirtualAlloc(NULL, 0, MEM_COMMIT, PAGE_READWRITE), NULL, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(VirtualAlloc(NULL, page, MEM_COMMIT, PAGE_WRITECOPY), NULL, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(VirtualAlloc(NULL, page, MEM_COMMIT, 0x12345), NULL, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(VirtualFree(NULL, 0, MEM_RELEASE | MEM_DECOMMIT), FALSE, ERROR_INVALID_PARAMETER);
}

static void test_virtual_query_views(void)
{
    SIZE_T page = page_size();
    HANDLE h;
    MEMORY_BASIC_INFORMATION mbi;
    char *rw, *ro;
    DWORD old;

    if (skipped_on_portable("VirtualQuery of views (no /proc/self/maps)"))
        return;
    h = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65537, test_name("vq"));

    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    rw = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0);
    ro = MapViewOfFile(h, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rw);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ro);
    CU_ASSERT_EQUAL(VirtualQuery(rw + 100, &mbi, sizeof mbi), sizeof mbi);
    CU_ASSERT_PTR_EQUAL(mbi.BaseAddress, rw);
    CU_ASSERT_PTR_EQUAL(mbi.AllocationBase, rw);
    CU_ASSERT_EQUAL(mbi.Type, MEM_MAPPED);
    CU_ASSERT_EQUAL(mbi.State, MEM_COMMIT);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_READWRITE);
    CU_ASSERT_EQUAL(mbi.AllocationProtect, PAGE_READWRITE);
    CU_ASSERT_EQUAL(mbi.RegionSize, (65537 + page - 1) / page * page);
    VirtualQuery(ro + page, &mbi, sizeof mbi);
    CU_ASSERT_PTR_EQUAL(mbi.BaseAddress, ro + page);
    CU_ASSERT_PTR_EQUAL(mbi.AllocationBase, ro);
    CU_ASSERT_EQUAL(mbi.Type, MEM_MAPPED);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_READONLY);
    /* A view's protection can be lowered. */
    CU_ASSERT_TRUE(VirtualProtect(rw, page, PAGE_READONLY, &old));
    CU_ASSERT_EQUAL(old, PAGE_READWRITE);
    VirtualQuery(rw, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_READONLY);
    CU_ASSERT_EQUAL(mbi.RegionSize, page);
    CU_ASSERT_TRUE(VirtualProtect(rw, page, PAGE_READWRITE, &old));
    CU_ASSERT_EQUAL(old, PAGE_READONLY);
    rw[0] = 5;
    CU_ASSERT_EQUAL(ro[0], 5);
    UnmapViewOfFile(ro);
    UnmapViewOfFile(rw);
    CloseHandle(h);
}

static void test_virtual_query_process(void)
{
    MEMORY_BASIC_INFORMATION mbi;
    int local = 1;
    void *heap;

    if (skipped_on_portable("VirtualQuery of the stack, heap and code (no /proc/self/maps)"))
        return;
    heap = HeapAlloc(GetProcessHeap(), 0, 64);

    /* The stack and the heap: private, committed, read-write. */
    CU_ASSERT_EQUAL(VirtualQuery(&local, &mbi, sizeof mbi), sizeof mbi);
    CU_ASSERT_EQUAL(mbi.Type, MEM_PRIVATE);
    CU_ASSERT_EQUAL(mbi.State, MEM_COMMIT);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_READWRITE);
    CU_ASSERT_TRUE((char *)mbi.BaseAddress <= (char *)&local &&
                   (char *)&local < (char *)mbi.BaseAddress + mbi.RegionSize);
    CU_ASSERT_EQUAL(VirtualQuery(heap, &mbi, sizeof mbi), sizeof mbi);
    CU_ASSERT_EQUAL(mbi.Type, MEM_PRIVATE);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_READWRITE);
    HeapFree(GetProcessHeap(), 0, heap);
    /* Code: the program's image, executable and read-only. */
    CU_ASSERT_EQUAL(
        VirtualQuery((const void *)(uintptr_t)test_virtual_query_process, &mbi, sizeof mbi),
        sizeof mbi);
    CU_ASSERT_EQUAL(mbi.Type, MEM_IMAGE);
    CU_ASSERT_EQUAL(mbi.State, MEM_COMMIT);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_EXECUTE_READ);
    CHECK_FAIL(VirtualQuery(&local, &mbi, sizeof mbi - 1), 0, ERROR_BAD_LENGTH);
    (void)local;
}

static void test_native_system_info(void)
{
    SYSTEM_INFO a, b;

    GetSystemInfo(&a);
    GetNativeSystemInfo(&b);
    CU_ASSERT_EQUAL(a.dwPageSize, b.dwPageSize);
    CU_ASSERT_EQUAL(b.dwAllocationGranularity, 65536);
    CU_ASSERT_EQUAL(a.wProcessorArchitecture, b.wProcessorArchitecture);
    CU_ASSERT_EQUAL(a.dwNumberOfProcessors, b.dwNumberOfProcessors);
}

CU_TestInfo test_memory_tests[] = {
    {"LocalAlloc and GlobalAlloc: sizes, zeroing, lock counts", test_local_global},
    {"HeapCreate, HeapAlloc, HeapReAlloc, HeapDestroy", test_heaps},
    {"VirtualAlloc, VirtualProtect, VirtualFree and VirtualQuery of reservations",
     test_virtual_alloc},
    {"VirtualQuery and VirtualProtect of views", test_virtual_query_views},
    {"VirtualQuery of the stack, the heap and code", test_virtual_query_process},
    {"GetNativeSystemInfo", test_native_system_info},
    CU_TEST_INFO_NULL,
};

const struct test_role test_memory_roles[] = {{NULL, NULL}};
