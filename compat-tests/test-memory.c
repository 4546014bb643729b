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

/*
 * A view's protection comes from the access it was mapped with, as MapViewOfFile
 * decides it: FILE_MAP_COPY only alone makes a copy; a view never takes rights it was
 * not mapped with; its pages are a section's, so VirtualAlloc(MEM_COMMIT) may only
 * change their protection (a file's: ERROR_ACCESS_DENIED) and VirtualFree cannot
 * decommit them.
 */
static void test_view_protections(void)
{
    SIZE_T page = page_size();
    HANDLE h = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4 * page, NULL);
    const char *path = "wt-view-prot.tmp";
    HANDLE f, fm;
    MEMORY_BASIC_INFORMATION mbi;
    char *rw, *ro, *v;
    DWORD old;

    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    rw = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0);
    ro = MapViewOfFile(h, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rw);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ro);

    /* A read-only view of a writable section stays read-only. */
    CHECK_FAIL(VirtualProtect(ro, page, PAGE_READWRITE, &old), FALSE, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(VirtualProtect(ro, page, PAGE_EXECUTE_READ, &old), FALSE, ERROR_INVALID_PARAMETER);
    CU_ASSERT_TRUE(VirtualProtect(ro, page, PAGE_NOACCESS, &old));
    CU_ASSERT_EQUAL(old, PAGE_READONLY);
    VirtualQuery(ro, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_NOACCESS);
    CU_ASSERT_EQUAL(mbi.State, MEM_COMMIT);
    CU_ASSERT_EQUAL(mbi.AllocationProtect, PAGE_READONLY); /* the view's, whatever the page's */
    CU_ASSERT_EQUAL(mbi.RegionSize, page);

    /* VirtualAlloc(MEM_COMMIT) on a view sets a protection the view allows. */
    CU_ASSERT_PTR_EQUAL(VirtualAlloc(rw + 10, page, MEM_COMMIT, PAGE_READONLY), rw);
    VirtualQuery(rw, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_READONLY);
    CU_ASSERT_EQUAL(mbi.AllocationProtect, PAGE_READWRITE);
    CU_ASSERT_EQUAL(mbi.RegionSize, 2 * page); /* rw + 10 and one page: two pages */
    CHECK_FAIL(VirtualAlloc(ro + page, page, MEM_COMMIT, PAGE_READWRITE), NULL,
               ERROR_INVALID_PARAMETER);
    CHECK_FAIL(VirtualFree(rw, page, MEM_DECOMMIT), FALSE, ERROR_INVALID_PARAMETER);
    CU_ASSERT_PTR_EQUAL(VirtualAlloc(rw, page, MEM_RESET, PAGE_READWRITE), rw);
    UnmapViewOfFile(ro);
    UnmapViewOfFile(rw);

    /* FILE_MAP_COPY with another right is not a copy: the strongest right decides. */
    v = MapViewOfFile(h, FILE_MAP_READ | FILE_MAP_COPY, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    VirtualQuery(v, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.AllocationProtect, PAGE_READONLY);
    UnmapViewOfFile(v);
    v = MapViewOfFile(h, FILE_MAP_COPY, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    VirtualQuery(v, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.AllocationProtect, PAGE_WRITECOPY);
    CU_ASSERT_PTR_EQUAL(VirtualAlloc(v, page, MEM_COMMIT, PAGE_WRITECOPY), v);
    UnmapViewOfFile(v);
    /* FILE_MAP_EXECUTE without read or write: an inaccessible view, even of a section
       that cannot execute. */
    v = MapViewOfFile(h, FILE_MAP_EXECUTE, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    VirtualQuery(v, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.AllocationProtect, PAGE_NOACCESS);
    UnmapViewOfFile(v);
    CHECK_FAIL(MapViewOfFile(h, FILE_MAP_EXECUTE | FILE_MAP_READ, 0, 0, 0), NULL,
               ERROR_ACCESS_DENIED);
    CloseHandle(h);

    /* A file's pages: VirtualAlloc(MEM_COMMIT) is refused whatever the protection. */
    f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CU_ASSERT_NOT_EQUAL_FATAL(f, INVALID_HANDLE_VALUE);
    fm = CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, (DWORD)(2 * page), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fm);
    v = MapViewOfFile(fm, FILE_MAP_WRITE, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CHECK_FAIL(VirtualAlloc(v, page, MEM_COMMIT, PAGE_READWRITE), NULL, ERROR_ACCESS_DENIED);
    CHECK_FAIL(VirtualAlloc(v, page, MEM_COMMIT, PAGE_WRITECOPY), NULL, ERROR_ACCESS_DENIED);
    UnmapViewOfFile(v);
    CloseHandle(fm);
    CloseHandle(f);
    DeleteFileA(path);
}

/*
 * PAGE_WRITECOPY on a page of a file's shared view: a write makes the page the
 * process's own (the file and other views keep their data) and VirtualQuery then
 * says PAGE_READWRITE; an unwritten page given back a shared protection shares again.
 */
static void test_copy_on_write_pages(void)
{
    SIZE_T page = page_size();
    const char *path = "wt-view-cow.tmp";
    HANDLE f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL), m;
    MEMORY_BASIC_INFORMATION mbi;
    char *a, *b;
    DWORD old, done;
    char byte;
    bool private_copies;

    if (skipped_on_portable(
            "VirtualQuery of written copy-on-write pages (no /proc/self/pagemap)")) {
        CloseHandle(f);
        DeleteFileA(path);
        return;
    }
    CU_ASSERT_NOT_EQUAL_FATAL(f, INVALID_HANDLE_VALUE);
    m = CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, (DWORD)(2 * page), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    a = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    b = MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);

    CU_ASSERT_TRUE(VirtualProtect(a, 2 * page, PAGE_WRITECOPY, &old));
    CU_ASSERT_EQUAL(old, PAGE_READWRITE);
    VirtualQuery(a, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_WRITECOPY);
    CU_ASSERT_EQUAL(mbi.RegionSize, 2 * page);
    a[0] = 'x';
    /* Microsoft: "An attempt to write to a committed copy-on-write page results in a
       private copy of the page being made for the process"; Wine writes through. */
    private_copies = !skipped_on_wine("a write to a PAGE_WRITECOPY page of a shared view");
    if (private_copies) {
        CU_ASSERT_EQUAL(b[0], 0); /* the other view and the file still have the old data */
        CU_ASSERT_TRUE(ReadFile(f, &byte, 1, &done, NULL));
        CU_ASSERT_EQUAL(byte, 0);
    }
    if (private_copies) {
        VirtualQuery(a, &mbi, sizeof mbi);
        CU_ASSERT_EQUAL(mbi.Protect, PAGE_READWRITE);
        CU_ASSERT_EQUAL(mbi.RegionSize, page);
    }
    /* The unwritten second page shares again once it is read-write. */
    CU_ASSERT_TRUE(VirtualProtect(a + page, page, PAGE_READWRITE, &old));
    CU_ASSERT_EQUAL(old, PAGE_WRITECOPY);
    a[page] = 'y';
    CU_ASSERT_EQUAL(b[page], 'y');
    /* The written first page stays the process's own. */
    CU_ASSERT_TRUE(VirtualProtect(a, page, PAGE_READWRITE, &old));
    a[1] = 'z';
    if (private_copies)
        CU_ASSERT_EQUAL(b[1], 0);
    UnmapViewOfFile(b);
    UnmapViewOfFile(a);
    CloseHandle(m);
    CloseHandle(f);
    DeleteFileA(path);
}

/*
 * The same on a view of a paging-file section, after the section's last handle is
 * closed (the view alone must be able to give the page a private copy); the name
 * still dies with that handle.
 */
static void test_copy_on_write_pagefile(void)
{
    SIZE_T page = page_size();
    const char *name = test_name("cow-pagefile");
    HANDLE m =
        CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, (DWORD)(2 * page), name);
    MEMORY_BASIC_INFORMATION mbi;
    char *a, *b;
    DWORD old;

    if (skipped_on_portable(
            "VirtualQuery of written copy-on-write pages (no /proc/self/pagemap)")) {
        CloseHandle(m);
        return;
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    a = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    b = MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    a[0] = 'o';
    CloseHandle(m);
    CHECK_FAIL(OpenFileMappingA(FILE_MAP_READ, FALSE, name), NULL, ERROR_FILE_NOT_FOUND);

    CU_ASSERT_TRUE_FATAL(VirtualProtect(a, 2 * page, PAGE_WRITECOPY, &old));
    CU_ASSERT_EQUAL(old, PAGE_READWRITE);
    CU_ASSERT_EQUAL(a[0], 'o'); /* the section's data, not a fresh page */
    a[0] = 'x';
    if (!skipped_on_wine("a write to a PAGE_WRITECOPY page of a shared view")) {
        CU_ASSERT_EQUAL(b[0], 'o');
        VirtualQuery(a, &mbi, sizeof mbi);
        CU_ASSERT_EQUAL(mbi.Protect, PAGE_READWRITE);
        CU_ASSERT_EQUAL(mbi.RegionSize, page);
    }
    VirtualQuery(a + page, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_WRITECOPY);
    /* Unwritten, the second page shares again once it is read-write. */
    CU_ASSERT_TRUE(VirtualProtect(a + page, page, PAGE_READWRITE, &old));
    CU_ASSERT_EQUAL(old, PAGE_WRITECOPY);
    a[page] = 'y';
    CU_ASSERT_EQUAL(b[page], 'y');
    /* A read-only view may take the protection too: its writes are its own. */
    CU_ASSERT_TRUE_FATAL(VirtualProtect(b, page, PAGE_WRITECOPY, &old));
    CU_ASSERT_EQUAL(old, PAGE_READONLY);
    b[1] = 'r';
    CU_ASSERT_EQUAL(b[1], 'r');
    if (!skipped_on_wine("a write to a PAGE_WRITECOPY page of a shared view"))
        CU_ASSERT_EQUAL(a[1], 0);
    UnmapViewOfFile(b);
    UnmapViewOfFile(a);
}

/*
 * SEC_RESERVE: a view's pages are reserved until VirtualAlloc commits them, and a
 * commit through one view commits the section's pages in the others too.
 */
static void test_sec_reserve_views(void)
{
    SIZE_T page = page_size();
    HANDLE h = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | SEC_RESERVE, 0,
                                  0x100000, NULL);
    MEMORY_BASIC_INFORMATION mbi;
    char *a, *b;
    DWORD old;

    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    a = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0);
    b = MapViewOfFile(h, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    VirtualQuery(a, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.State, MEM_RESERVE);
    CU_ASSERT_EQUAL(mbi.Protect, 0);
    CU_ASSERT_EQUAL(mbi.AllocationProtect, PAGE_READWRITE);
    CU_ASSERT_EQUAL(mbi.RegionSize, 0x100000);
    CU_ASSERT_EQUAL(mbi.Type, MEM_MAPPED);
    CHECK_FAIL(VirtualProtect(a, page, PAGE_READONLY, &old), FALSE, ERROR_INVALID_ADDRESS);

    CU_ASSERT_PTR_EQUAL(VirtualAlloc(a, 0x10000, MEM_COMMIT, PAGE_READONLY), a);
    VirtualQuery(a, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.State, MEM_COMMIT);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_READONLY);
    CU_ASSERT_EQUAL(mbi.RegionSize, 0x10000);
    /* The other view: committed with its own protection. */
    VirtualQuery(b, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.State, MEM_COMMIT);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_READONLY);
    CU_ASSERT_EQUAL(mbi.RegionSize, 0x10000);
    VirtualQuery(b + 0x10000, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.State, MEM_RESERVE);
    CU_ASSERT_EQUAL(mbi.RegionSize, 0x100000 - 0x10000);
    UnmapViewOfFile(b);
    UnmapViewOfFile(a);
    CloseHandle(h);
}

/* MEM_RESET takes reserved pages too (they stay reserved); the cache attribute
   belongs to the allocation, not to VirtualProtect. */
static void test_reset_and_cache_attributes(void)
{
    SIZE_T page = page_size();
    MEMORY_BASIC_INFORMATION mbi;
    char *p = VirtualAlloc(NULL, 16 * page, MEM_RESERVE, PAGE_NOACCESS);
    DWORD old;

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_EQUAL(VirtualAlloc(p, page, MEM_COMMIT, PAGE_READWRITE), p);
    CU_ASSERT_PTR_EQUAL(VirtualAlloc(p + page, page, MEM_RESET, PAGE_NOACCESS), p + page);
    VirtualQuery(p + page, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.State, MEM_RESERVE);
    CHECK_FAIL(VirtualAlloc(p + 15 * page, 2 * page, MEM_RESET, PAGE_NOACCESS), NULL,
               ERROR_INVALID_ADDRESS);
    CU_ASSERT_TRUE(VirtualFree(p, 0, MEM_RELEASE));

    p = VirtualAlloc(NULL, 2 * page, MEM_COMMIT, PAGE_READWRITE | PAGE_NOCACHE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_TRUE(VirtualProtect(p, page, PAGE_READONLY, &old));
    CU_ASSERT_EQUAL(old, PAGE_READWRITE | PAGE_NOCACHE);
    VirtualQuery(p, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_READONLY | PAGE_NOCACHE);
    CU_ASSERT_TRUE(VirtualFree(p, 0, MEM_RELEASE));
    p = VirtualAlloc(NULL, 2 * page, MEM_COMMIT, PAGE_READWRITE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_TRUE(VirtualProtect(p, page, PAGE_READONLY | PAGE_NOCACHE, &old));
    VirtualQuery(p, &mbi, sizeof mbi);
    CU_ASSERT_EQUAL(mbi.Protect, PAGE_READONLY);
    CU_ASSERT_TRUE(VirtualFree(p, 0, MEM_RELEASE));
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
    {"views keep the protection they were mapped with; VirtualAlloc on views",
     test_view_protections},
    {"SEC_RESERVE: views start reserved, a commit reaches every view", test_sec_reserve_views},
    {"PAGE_WRITECOPY pages of a file's shared view", test_copy_on_write_pages},
    {"PAGE_WRITECOPY pages of a paging-file section's view", test_copy_on_write_pagefile},
    {"MEM_RESET of reserved pages; the cache attribute is the allocation's",
     test_reset_and_cache_attributes},
    {"VirtualQuery of the stack, the heap and code", test_virtual_query_process},
    {"GetNativeSystemInfo", test_native_system_info},
    CU_TEST_INFO_NULL,
};

const struct test_role test_memory_roles[] = {{NULL, NULL}};
