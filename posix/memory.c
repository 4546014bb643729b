/*
 * memory.c - the memory calls next to file mappings: LocalAlloc/GlobalAlloc, the
 * Heap functions, VirtualAlloc/VirtualFree/VirtualProtect/VirtualQuery, and
 * GetNativeSystemInfo.
 *
 * Local, Global and Heap blocks are malloc'ed with a small header (size, owning heap,
 * lock count, a magic number that catches foreign and freed pointers). As on Windows,
 * LocalAlloc and GlobalAlloc allocate from the process heap, so HeapFree and HeapSize
 * of GetProcessHeap() accept their fixed blocks too. A heap of HeapCreate keeps its
 * blocks on a list so that HeapDestroy frees them all.
 *
 * VirtualAlloc reserves address space with an inaccessible anonymous mapping at a
 * multiple of the 64 KiB allocation granularity (as Windows places reservations)
 * and commits pages with mprotect; a private table records each reservation and the
 * state and protection of each of its pages, which VirtualFree, VirtualProtect and
 * VirtualQuery need. Any other address is described from /proc/self/maps: winipc's
 * views (shared mappings of its /dev/shm objects, of memfds, of files) are
 * MEM_MAPPED, executables and libraries MEM_IMAGE, the rest MEM_PRIVATE; inaccessible
 * anonymous memory is reported reserved, as it is reserved address space.
 *
 * Differs from Windows: moveable memory does not move (the handle is the address);
 * HEAP_GENERATE_EXCEPTIONS raises nothing (there is no SEH) and HEAP_CREATE_ENABLE_EXECUTE
 * is not honoured; MEM_WRITE_WATCH and MEM_PHYSICAL are refused
 * (ERROR_INVALID_PARAMETER); MEM_LARGE_PAGES fails with ERROR_PRIVILEGE_NOT_HELD, as
 * for a Windows process without SeLockMemoryPrivilege; PAGE_GUARD is recorded and
 * reported by VirtualQuery but raises nothing (there is no SEH: the pages keep their
 * base protection).
 *
 * Views are described from mapping.c's table of them (views.h): each is one
 * allocation whose AllocationProtect is the protection it was mapped with, and whose
 * pages each have their own, which VirtualProtect and VirtualAlloc(MEM_COMMIT) change
 * within what the view allows (a read-only view never becomes writable); the pages of
 * a SEC_RESERVE section are reserved until VirtualAlloc commits them.
 */
#include "internal.h"
#include "platform.h"
#include "views.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- Blocks: LocalAlloc, GlobalAlloc, HeapAlloc ----------------------------------------- */

#define BLOCK_MAGIC 0x4B4C4257u /* "WBLK" */
#define FREED_MAGIC 0x44455246u /* "FRED" */
#define HEAP_MAGIC 0x50414548u  /* "HEAP" */

struct heap;

/* The header before every block; its size keeps the data 16-byte aligned. */
struct block {
    uint32_t magic;
    uint16_t moveable; /* allocated LMEM_MOVEABLE / GMEM_MOVEABLE */
    uint16_t locks;    /* lock count of a moveable block */
    size_t size;       /* bytes asked for */
    struct heap *heap;
    struct block *prev, *next; /* on heap->blocks, for heaps of HeapCreate */
    uint64_t reserved;         /* to a multiple of 16 bytes */
};
_Static_assert(sizeof(struct block) % 16 == 0, "block data must stay 16-byte aligned");

struct heap {
    uint32_t magic;
    bool tracked;   /* blocks are listed (not the process heap) */
    SIZE_T maximum; /* 0: growable */
    SIZE_T used;    /* bytes allocated, for a fixed-size heap */
    pthread_mutex_t lock;
    struct block *blocks;
};

static struct heap process_heap = {
    .magic = HEAP_MAGIC, .tracked = false, .lock = PTHREAD_MUTEX_INITIALIZER};

static struct block *block_of(const void *mem)
{
    return (struct block *)((char *)mem - sizeof(struct block));
}

/* The block of a pointer this file handed out, or NULL (also for a freed one). */
static struct block *valid_block(const void *mem)
{
    struct block *b;

    if (!mem || (uintptr_t)mem % 16 != 0)
        return NULL;
    b = block_of(mem);
    return b->magic == BLOCK_MAGIC ? b : NULL;
}

static bool valid_heap(const struct heap *h)
{
    return h && h->magic == HEAP_MAGIC;
}

/* Allocates a block of `size` bytes from h (zeroed if asked); NULL on failure. */
static void *block_alloc(struct heap *h, SIZE_T size, bool zero, bool moveable)
{
    struct block *b;

    if (size > SIZE_MAX - sizeof *b - 16)
        return NULL;
    if (h->tracked) {
        pthread_mutex_lock(&h->lock);
        if (h->maximum && (size > h->maximum || h->used > h->maximum - size)) {
            pthread_mutex_unlock(&h->lock);
            return NULL;
        }
        h->used += size;
        pthread_mutex_unlock(&h->lock);
    }
    b = zero ? calloc(1, sizeof *b + size) : malloc(sizeof *b + size);
    if (!b) {
        if (h->tracked) {
            pthread_mutex_lock(&h->lock);
            h->used -= size;
            pthread_mutex_unlock(&h->lock);
        }
        return NULL;
    }
    *b = (struct block){BLOCK_MAGIC, moveable, 0, size, h, NULL, NULL, 0};
    if (h->tracked) {
        pthread_mutex_lock(&h->lock);
        b->next = h->blocks;
        if (h->blocks)
            h->blocks->prev = b;
        h->blocks = b;
        pthread_mutex_unlock(&h->lock);
    }
    return b + 1;
}

static void block_free(struct block *b)
{
    struct heap *h = b->heap;

    if (h->tracked) {
        pthread_mutex_lock(&h->lock);
        if (b->prev)
            b->prev->next = b->next;
        else
            h->blocks = b->next;
        if (b->next)
            b->next->prev = b->prev;
        h->used -= b->size;
        pthread_mutex_unlock(&h->lock);
    }
    b->magic = FREED_MAGIC;
    free(b);
}

/*
 * Resizes a block. in_place: fail rather than move it. Bytes beyond the old size are
 * zeroed when `zero`. Returns the (possibly moved) data, or NULL with b untouched.
 */
static void *block_realloc(struct block *b, SIZE_T size, bool zero, bool in_place)
{
    struct heap *h = b->heap;
    size_t old = b->size;
    struct block *n;

    if (size > SIZE_MAX - sizeof *b - 16)
        return NULL;
    if (h->tracked) {
        pthread_mutex_lock(&h->lock);
        if (size > old && h->maximum && (size - old > h->maximum - h->used)) {
            pthread_mutex_unlock(&h->lock);
            return NULL;
        }
    }
    if (in_place) {
        n = size <= old ? b : NULL; /* malloc cannot grow a block where it is */
    } else {
        n = realloc(b, sizeof *b + size);
    }
    if (n) {
        if (zero && size > old)
            memset((char *)(n + 1) + old, 0, size - old);
        n->size = size;
        if (h->tracked) {
            h->used = h->used - old + size;
            if (n->prev)
                n->prev->next = n;
            else
                h->blocks = n;
            if (n->next)
                n->next->prev = n;
        }
    }
    if (h->tracked)
        pthread_mutex_unlock(&h->lock);
    return n ? n + 1 : NULL;
}

/* ---- Heaps ---------------------------------------------------------------------------- */

HANDLE WINAPI GetProcessHeap(void)
{
    return &process_heap;
}

/*
 * A private heap. dwMaximumSize 0 makes it growable; otherwise its blocks together
 * may not exceed it, or dwInitialSize if that is larger (Windows documents nothing
 * for that case; this is Wine's answer).
 */
HANDLE WINAPI HeapCreate(DWORD options, SIZE_T initial, SIZE_T maximum)
{
    struct heap *h;

    (void)options;
    if (maximum && initial > maximum)
        maximum = initial;
    h = calloc(1, sizeof *h);
    if (!h)
        return winipc__fail(NULL, ERROR_NOT_ENOUGH_MEMORY);
    h->magic = HEAP_MAGIC;
    h->tracked = true;
    h->maximum = maximum;
    pthread_mutex_init(&h->lock, NULL);
    return h;
}

/* Frees the heap and every block still allocated from it. Not the process heap. */
BOOL WINAPI HeapDestroy(HANDLE heap)
{
    struct heap *h = heap;

    if (!valid_heap(h) || h == &process_heap)
        return winipc__fail(FALSE, ERROR_INVALID_HANDLE);
    while (h->blocks) {
        struct block *b = h->blocks;

        h->blocks = b->next;
        b->magic = FREED_MAGIC;
        free(b);
    }
    h->magic = 0;
    pthread_mutex_destroy(&h->lock);
    free(h);
    return TRUE;
}

/*
 * As on Windows, HeapAlloc and HeapReAlloc do not set the last error when they fail
 * (Microsoft: "the function does not call SetLastError"), nor does HeapSize.
 */
LPVOID WINAPI HeapAlloc(HANDLE heap, DWORD flags, SIZE_T bytes)
{
    if (!valid_heap(heap))
        return NULL;
    return block_alloc(heap, bytes, (flags & HEAP_ZERO_MEMORY) != 0, false);
}

LPVOID WINAPI HeapReAlloc(HANDLE heap, DWORD flags, LPVOID mem, SIZE_T bytes)
{
    struct block *b = valid_block(mem);

    if (!valid_heap(heap) || !b || b->heap != heap)
        return NULL;
    return block_realloc(b, bytes, (flags & HEAP_ZERO_MEMORY) != 0,
                         (flags & HEAP_REALLOC_IN_PLACE_ONLY) != 0);
}

BOOL WINAPI HeapFree(HANDLE heap, DWORD flags, LPVOID mem)
{
    struct block *b;

    (void)flags;
    if (!mem)
        return TRUE; /* as Windows: freeing NULL succeeds */
    b = valid_block(mem);
    if (!valid_heap(heap) || !b || b->heap != heap)
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    block_free(b);
    return TRUE;
}

SIZE_T WINAPI HeapSize(HANDLE heap, DWORD flags, LPCVOID mem)
{
    struct block *b = valid_block(mem);

    (void)flags;
    if (!valid_heap(heap) || !b || b->heap != heap)
        return (SIZE_T)-1;
    return b->size;
}

BOOL WINAPI HeapValidate(HANDLE heap, DWORD flags, LPCVOID mem)
{
    struct block *b = mem ? valid_block(mem) : NULL;

    (void)flags;
    return valid_heap(heap) && (!mem || (b && b->heap == heap));
}

/* ---- LocalAlloc and GlobalAlloc (one implementation: they are the same on Win32) ------- */

/* Flags other than LMEM_MOVEABLE and LMEM_ZEROINIT change nothing (Wine ignores them too). */
static HLOCAL mem_alloc(UINT flags, SIZE_T bytes)
{
    void *p = block_alloc(&process_heap, bytes, (flags & LMEM_ZEROINIT) != 0,
                          (flags & LMEM_MOVEABLE) != 0);
    return p ? p : winipc__fail(NULL, ERROR_NOT_ENOUGH_MEMORY);
}

/*
 * Resizing: a moveable block, or a call with LMEM_MOVEABLE, may move; a fixed block
 * without it is resized only where it is (fails with ERROR_NOT_ENOUGH_MEMORY
 * otherwise). LMEM_MODIFY changes the flags only (fixed to moveable).
 */
static HLOCAL mem_realloc(HLOCAL h, SIZE_T bytes, UINT flags)
{
    struct block *b = valid_block(h);
    void *p;

    if (!b || b->heap != &process_heap)
        return winipc__fail(NULL, ERROR_INVALID_HANDLE);
    if (flags & LMEM_MODIFY) {
        if (flags & LMEM_MOVEABLE)
            b->moveable = 1;
        return h;
    }
    p = block_realloc(b, bytes, (flags & LMEM_ZEROINIT) != 0,
                      !b->moveable && !(flags & LMEM_MOVEABLE));
    return p ? p : winipc__fail(NULL, ERROR_NOT_ENOUGH_MEMORY);
}

/* NULL on success; the handle, with ERROR_INVALID_HANDLE, when it is not a block. */
static HLOCAL mem_free(HLOCAL h)
{
    struct block *b;

    if (!h)
        return NULL;
    b = valid_block(h);
    if (!b || b->heap != &process_heap)
        return winipc__fail(h, ERROR_INVALID_HANDLE);
    block_free(b);
    return NULL;
}

static SIZE_T mem_size(HLOCAL h)
{
    struct block *b = valid_block(h);

    if (!b || b->heap != &process_heap)
        return winipc__fail(0, ERROR_INVALID_HANDLE);
    return b->size;
}

/* The address of a block; a moveable block counts the lock (at most 255, as Windows). */
static LPVOID mem_lock(HLOCAL h)
{
    struct block *b = valid_block(h);

    if (!b || b->heap != &process_heap)
        return winipc__fail(NULL, ERROR_INVALID_HANDLE);
    if (b->moveable && b->locks < LMEM_LOCKCOUNT)
        __atomic_add_fetch(&b->locks, 1, __ATOMIC_RELAXED);
    return h;
}

static UINT mem_flags(HLOCAL h)
{
    struct block *b = valid_block(h);

    if (!b || b->heap != &process_heap)
        return winipc__fail(LMEM_INVALID_HANDLE, ERROR_INVALID_HANDLE);
    return b->moveable ? __atomic_load_n(&b->locks, __ATOMIC_RELAXED) : 0;
}

HLOCAL WINAPI LocalAlloc(UINT flags, SIZE_T bytes)
{
    return mem_alloc(flags, bytes);
}

HLOCAL WINAPI LocalReAlloc(HLOCAL h, SIZE_T bytes, UINT flags)
{
    return mem_realloc(h, bytes, flags);
}

HLOCAL WINAPI LocalFree(HLOCAL h)
{
    return mem_free(h);
}

SIZE_T WINAPI LocalSize(HLOCAL h)
{
    return mem_size(h);
}

LPVOID WINAPI LocalLock(HLOCAL h)
{
    return mem_lock(h);
}

/*
 * TRUE while the block stays locked; FALSE with NO_ERROR when this unlock released
 * it, FALSE with ERROR_NOT_LOCKED when it was not locked (a fixed block never is).
 */
BOOL WINAPI LocalUnlock(HLOCAL h)
{
    struct block *b = valid_block(h);
    uint16_t locks;

    if (!b || b->heap != &process_heap)
        return winipc__fail(FALSE, ERROR_INVALID_HANDLE);
    locks = __atomic_load_n(&b->locks, __ATOMIC_RELAXED);
    do {
        if (!b->moveable || locks == 0)
            return winipc__fail(FALSE, ERROR_NOT_LOCKED);
    } while (!__atomic_compare_exchange_n(&b->locks, &locks, (uint16_t)(locks - 1), false,
                                          __ATOMIC_RELAXED, __ATOMIC_RELAXED));
    if (locks - 1 == 0)
        return winipc__fail(FALSE, NO_ERROR);
    return TRUE;
}

UINT WINAPI LocalFlags(HLOCAL h)
{
    return mem_flags(h);
}

HLOCAL WINAPI LocalHandle(LPCVOID p)
{
    struct block *b = valid_block(p);

    if (!b || b->heap != &process_heap)
        return winipc__fail(NULL, ERROR_INVALID_HANDLE);
    return (HLOCAL)p;
}

HGLOBAL WINAPI GlobalAlloc(UINT flags, SIZE_T bytes)
{
    return mem_alloc(flags, bytes);
}

HGLOBAL WINAPI GlobalReAlloc(HGLOBAL h, SIZE_T bytes, UINT flags)
{
    return mem_realloc(h, bytes, flags);
}

HGLOBAL WINAPI GlobalFree(HGLOBAL h)
{
    return mem_free(h);
}

SIZE_T WINAPI GlobalSize(HGLOBAL h)
{
    return mem_size(h);
}

LPVOID WINAPI GlobalLock(HGLOBAL h)
{
    return mem_lock(h);
}

/* As LocalUnlock, except that unlocking a fixed block succeeds (as on Windows). */
BOOL WINAPI GlobalUnlock(HGLOBAL h)
{
    struct block *b = valid_block(h);

    if (b && b->heap == &process_heap && !b->moveable)
        return TRUE;
    return LocalUnlock(h);
}

UINT WINAPI GlobalFlags(HGLOBAL h)
{
    return mem_flags(h);
}

HGLOBAL WINAPI GlobalHandle(LPCVOID p)
{
    return LocalHandle(p);
}

/* ---- Page protection ---------------------------------------------------------------------- */

/*
 * The mmap protection of a PAGE_* value valid for VirtualAlloc/VirtualProtect (one
 * base protection, optionally PAGE_GUARD, PAGE_NOCACHE or PAGE_WRITECOMBINE);
 * -1 when it is not valid. WRITECOPY is valid only where `copy_ok`.
 */
static int prot_of(DWORD protect, bool copy_ok)
{
    DWORD base = protect & 0xFF, extra = protect & ~(DWORD)0xFF;

    if (extra & ~(DWORD)(PAGE_GUARD | PAGE_NOCACHE | PAGE_WRITECOMBINE))
        return -1;
    if ((extra & PAGE_NOCACHE) && (extra & PAGE_WRITECOMBINE))
        return -1;
    if (extra && base == PAGE_NOACCESS)
        return -1;
    switch (base) {
    case PAGE_NOACCESS:
        return PROT_NONE;
    case PAGE_READONLY:
        return PROT_READ;
    case PAGE_READWRITE:
        return PROT_READ | PROT_WRITE;
    case PAGE_EXECUTE:
        return PROT_EXEC;
    case PAGE_EXECUTE_READ:
        return PROT_READ | PROT_EXEC;
    case PAGE_EXECUTE_READWRITE:
        return PROT_READ | PROT_WRITE | PROT_EXEC;
    case PAGE_WRITECOPY:
        return copy_ok ? PROT_READ | PROT_WRITE : -1;
    case PAGE_EXECUTE_WRITECOPY:
        return copy_ok ? PROT_READ | PROT_WRITE | PROT_EXEC : -1;
    default:
        return -1;
    }
}

/* ---- Reservations of VirtualAlloc ------------------------------------------------------ */

/* One VirtualAlloc reservation and the state of each of its pages. */
struct region {
    uintptr_t base;
    size_t size;     /* bytes, a multiple of the page size */
    DWORD protect;   /* AllocationProtect */
    uint16_t *pages; /* per page: 0 reserved, else the PAGE_* it is committed with */
};

static pthread_mutex_t regions_lock = PTHREAD_MUTEX_INITIALIZER;
static struct region *regions; /* sorted by base */
static size_t nregions, regions_cap;

/* The region holding addr, or NULL. regions_lock held. */
static struct region *region_at(uintptr_t addr)
{
    size_t lo = 0, hi = nregions;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;

        if (addr < regions[mid].base)
            hi = mid;
        else if (addr >= regions[mid].base + regions[mid].size)
            lo = mid + 1;
        else
            return &regions[mid];
    }
    return NULL;
}

/* Records a new region; false on ENOMEM. regions_lock held. */
static bool region_add(struct region r)
{
    size_t i = 0;

    if (nregions == regions_cap) {
        size_t cap = regions_cap ? regions_cap * 2 : 16;
        struct region *n = realloc(regions, cap * sizeof *n);

        if (!n)
            return false;
        regions = n;
        regions_cap = cap;
    }
    while (i < nregions && regions[i].base < r.base)
        i++;
    memmove(&regions[i + 1], &regions[i], (nregions - i) * sizeof *regions);
    regions[i] = r;
    nregions++;
    return true;
}

static void region_remove(struct region *r)
{
    size_t i = (size_t)(r - regions);

    free(r->pages);
    memmove(&regions[i], &regions[i + 1], (nregions - i - 1) * sizeof *regions);
    nregions--;
}

/*
 * Maps `size` bytes of inaccessible or `prot` anonymous memory at `want` (exactly) or,
 * without one, at a multiple of the allocation granularity. MAP_FAILED with errno.
 */
static void *reserve(uintptr_t want, size_t size, int prot)
{
    size_t slack = WINIPC__GRANULARITY - winipc__page_size();
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | winipc__map_noreserve();
    uintptr_t start, aligned;
    void *p;

    if (want)
        return winipc__mmap_noreplace((void *)want, size, prot, flags, -1, 0);
    if (size > SIZE_MAX - slack)
        return errno = ENOMEM, MAP_FAILED;
    p = mmap(NULL, size + slack, prot, flags, -1, 0);
    if (p == MAP_FAILED)
        return p;
    start = (uintptr_t)p;
    aligned = (start + WINIPC__GRANULARITY - 1) & ~(uintptr_t)(WINIPC__GRANULARITY - 1);
    if (aligned > start)
        munmap(p, aligned - start);
    if (aligned - start < slack)
        munmap((void *)(aligned + size), slack - (aligned - start));
    return (void *)aligned;
}

/* Commits pages [first, first + n) of r with `protect`. regions_lock held. */
static DWORD commit(struct region *r, size_t first, size_t n, DWORD protect)
{
    size_t page = winipc__page_size();

    if (mprotect((void *)(r->base + first * page), n * page, prot_of(protect, false)) == -1)
        return errno == ENOMEM ? ERROR_COMMITMENT_LIMIT : winipc__error_from_errno(errno);
    for (size_t i = first; i < first + n; i++)
        r->pages[i] = (uint16_t)protect;
    return 0;
}

/*
 * Decommits pages [first, first + n) of r: their memory goes back to the system (a
 * fresh inaccessible mapping over them) and they read as zero when committed again.
 * regions_lock held.
 */
static DWORD decommit(struct region *r, size_t first, size_t n)
{
    size_t page = winipc__page_size();
    void *p = mmap((void *)(r->base + first * page), n * page, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | winipc__map_noreserve() | MAP_FIXED, -1, 0);

    if (p == MAP_FAILED)
        return winipc__error_from_errno(errno);
    memset(r->pages + first, 0, n * sizeof *r->pages);
    return 0;
}

/* Page range [*first, *first + *n) of r covering [addr, addr + size); false if outside. */
static bool page_range(const struct region *r, uintptr_t addr, size_t size, size_t *first,
                       size_t *n)
{
    size_t page = winipc__page_size();
    uintptr_t start = addr & ~(uintptr_t)(page - 1), end;

    if (size > r->base + r->size - addr)
        return false;
    end = (addr + size + page - 1) & ~(uintptr_t)(page - 1);
    if (end == start)
        end = start + page;
    *first = (start - r->base) / page;
    *n = (end - start) / page;
    return true;
}

/* ---- Views of sections (mapping.c) -------------------------------------------------------- */

/* The read, write and execute rights a PAGE_* base protection gives. */
static unsigned rights_of(DWORD protect)
{
    switch (protect & 0xFF) {
    case PAGE_READONLY:
    case PAGE_WRITECOPY:
        return 1;
    case PAGE_READWRITE:
        return 1 | 2;
    case PAGE_EXECUTE:
    case PAGE_EXECUTE_READ:
    case PAGE_EXECUTE_WRITECOPY:
        return 1 | 4;
    case PAGE_EXECUTE_READWRITE:
        return 1 | 2 | 4;
    default:
        return 0;
    }
}

/* Whether a page of view v may take `protect`: no right the view was not mapped with. */
static bool view_allows(const struct winipc__view *v, DWORD protect)
{
    return (rights_of(protect) & ~rights_of(v->protect)) == 0;
}

static bool is_copy_protect(DWORD protect)
{
    return (protect & 0xFF) == PAGE_WRITECOPY || (protect & 0xFF) == PAGE_EXECUTE_WRITECOPY;
}

/*
 * Page range [*first, *first + *n) of view v covering [addr, addr + size) (size 0:
 * one page); false if it leaves the view.
 */
static bool view_range(const struct winipc__view *v, uintptr_t addr, size_t size, size_t *first,
                       size_t *n)
{
    size_t page = winipc__page_size();
    uintptr_t start = addr & ~(uintptr_t)(page - 1), end;

    if (size > v->base + v->len - addr)
        return false;
    end = (addr + size + page - 1) & ~(uintptr_t)(page - 1);
    if (end == start)
        end = start + page;
    *first = (start - v->base) / page;
    *n = (end - start) / page;
    return true;
}

/* In a view's page table: the page is mapped as a private copy in a shared view. */
#define PAGE_PRIVATE_COPY 0x8000u

/*
 * The protection page i of v has now: a copy-on-write page that was written is a
 * private page, PAGE_READWRITE (PAGE_EXECUTE_READWRITE), as Windows reports it.
 */
static DWORD view_page_protect(const struct winipc__view *v, size_t i)
{
    DWORD protect = v->pages[i] & ~PAGE_PRIVATE_COPY;

    if (is_copy_protect(protect) && winipc__page_written(v->base + i * winipc__page_size()) > 0)
        protect = (protect & ~(DWORD)0xFF) |
                  ((protect & 0xFF) == PAGE_WRITECOPY ? PAGE_READWRITE : PAGE_EXECUTE_READWRITE);
    return protect;
}

/* Maps pages [first, first + n) of a shared view again, private or shared. */
static DWORD view_remap(struct winipc__view *v, size_t first, size_t n, int prot, bool private)
{
    size_t page = winipc__page_size();
    void *at = (void *)(v->base + first * page);

    if (mmap(at, n * page, prot, (private ? MAP_PRIVATE : MAP_SHARED) | MAP_FIXED, v->fd,
             v->fd_offset + (off_t)(first * page)) == MAP_FAILED)
        return winipc__error_from_errno(errno);
    return 0;
}

/*
 * Sets pages [first, first + n) of v to `protect`. A copy-on-write protection on a
 * shared view maps those pages privately (a write makes a copy, as on Windows); a
 * page so mapped goes back to the section when it takes another protection before
 * it was written, and stays the process's own copy after. Views lock held.
 */
static DWORD view_set(struct winipc__view *v, size_t first, size_t n, DWORD protect)
{
    size_t page = winipc__page_size();
    int prot = prot_of(protect, true);
    bool copy = is_copy_protect(protect);
    DWORD err;

    for (size_t i = first; i < first + n && !v->copy; i++) {
        bool private = v->pages[i] & PAGE_PRIVATE_COPY;

        if (copy && !private) {
            err = view_remap(v, i, 1, prot, true);
            if (err)
                return err;
            v->pages[i] |= PAGE_PRIVATE_COPY;
        } else if (!copy && private && winipc__page_written(v->base + i * page) == 0) {
            /* (not when unknown: a written copy given back would lose its data) */
            err = view_remap(v, i, 1, prot, false);
            if (err)
                return err;
            v->pages[i] &= ~PAGE_PRIVATE_COPY;
        }
    }
    if (mprotect((void *)(v->base + first * page), n * page, prot) == -1)
        return winipc__error_from_errno(errno);
    for (size_t i = first; i < first + n; i++)
        v->pages[i] = (uint16_t)(protect | (v->pages[i] & PAGE_PRIVATE_COPY));
    return 0;
}

/*
 * VirtualAlloc(MEM_COMMIT) of pages of a view of a paging-file section: a protection
 * the view allows. Reserved pages (SEC_RESERVE) so become
 * committed in every view of the section, each with its own view's protection, as
 * commitment belongs to the section on Windows. Views lock held.
 */
static DWORD view_commit(struct winipc__view *v, size_t first, size_t n, DWORD protect)
{
    size_t page = winipc__page_size(), count;
    uint64_t from = v->offset + first * page, to = from + n * page;
    struct winipc__view *all;
    DWORD err;

    if (!view_allows(v, protect))
        return ERROR_INVALID_PARAMETER;
    err = view_set(v, first, n, protect);
    if (err)
        return err;
    all = winipc__views(&count);
    for (size_t k = 0; k < count; k++) {
        struct winipc__view *w = &all[k];

        if (w == v || w->dev != v->dev || w->ino != v->ino)
            continue;
        for (size_t i = 0; i < w->len / page; i++) {
            uint64_t at = w->offset + i * page;

            if (at >= from && at < to && !w->pages[i])
                w->pages[i] = (uint16_t)w->protect;
        }
    }
    return 0;
}

/*
 * VirtualAlloc: MEM_RESERVE (address space), MEM_COMMIT (pages of a reservation, or
 * a new committed reservation without an address), both, or MEM_RESET /
 * MEM_RESET_UNDO of committed pages. Returns the base of the reservation or of the
 * committed pages; NULL with the error set.
 */
LPVOID WINAPI VirtualAlloc(LPVOID address, SIZE_T size, DWORD type, DWORD protect)
{
    size_t page = winipc__page_size(), first, n;
    uintptr_t addr = (uintptr_t)address;
    DWORD kind = type & (MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_RESET_UNDO);
    struct region *r;
    DWORD err;
    void *p;

    if (type & MEM_LARGE_PAGES)
        return winipc__fail(NULL, ERROR_PRIVILEGE_NOT_HELD);
    if (size == 0 ||
        (type & ~(DWORD)(MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_RESET_UNDO | MEM_TOP_DOWN)))
        return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
    if (kind != MEM_COMMIT && kind != MEM_RESERVE && kind != (MEM_COMMIT | MEM_RESERVE) &&
        kind != MEM_RESET && kind != MEM_RESET_UNDO)
        return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
    if (address && !(kind & MEM_RESERVE)) { /* pages of a view? */
        struct winipc__view *v = winipc__view_lock(addr);

        if (v) {
            if (!view_range(v, addr, size, &first, &n))
                err = ERROR_INVALID_ADDRESS;
            else if (kind == MEM_COMMIT && v->file_backed)
                err = ERROR_ACCESS_DENIED; /* a file's pages are committed by the file */
            else if (kind == MEM_COMMIT && prot_of(protect, true) == -1)
                err = ERROR_INVALID_PARAMETER;
            else if (kind == MEM_COMMIT)
                err = view_commit(v, first, n, protect);
            else
                err = 0; /* MEM_RESET of shared pages: their contents must stay */
            winipc__view_unlock();
            if (err)
                return winipc__fail(NULL, err);
            return (void *)(addr & ~(uintptr_t)(page - 1));
        }
    }
    if (prot_of(protect, false) == -1)
        return winipc__fail(NULL, ERROR_INVALID_PARAMETER);

    if ((kind & MEM_RESERVE) || (kind == MEM_COMMIT && !address)) {
        uintptr_t base = addr & ~(uintptr_t)(WINIPC__GRANULARITY - 1);
        size_t len;
        struct region nr;

        if (addr && size > UINTPTR_MAX - addr - page)
            return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
        len = ((addr + size + page - 1) & ~(uintptr_t)(page - 1)) - base;
        nr = (struct region){0, len, protect, calloc(len / page, sizeof(uint16_t))};
        if (!nr.pages)
            return winipc__fail(NULL, ERROR_NOT_ENOUGH_MEMORY);
        p = reserve(base, len, (kind & MEM_COMMIT) ? prot_of(protect, false) : PROT_NONE);
        if (p == MAP_FAILED) {
            free(nr.pages);
            return winipc__fail(NULL,
                                errno == EEXIST ? ERROR_INVALID_ADDRESS : ERROR_NOT_ENOUGH_MEMORY);
        }
        nr.base = (uintptr_t)p;
        if (kind & MEM_COMMIT)
            for (size_t i = 0; i < len / page; i++)
                nr.pages[i] = (uint16_t)protect;
        pthread_mutex_lock(&regions_lock);
        if (!region_add(nr)) {
            pthread_mutex_unlock(&regions_lock);
            munmap(p, len);
            free(nr.pages);
            return winipc__fail(NULL, ERROR_NOT_ENOUGH_MEMORY);
        }
        pthread_mutex_unlock(&regions_lock);
        return p;
    }

    /* Pages of an existing reservation. */
    pthread_mutex_lock(&regions_lock);
    r = region_at(addr);
    err = ERROR_INVALID_ADDRESS;
    if (!r || !page_range(r, addr, size, &first, &n))
        goto fail;
    if (kind == MEM_COMMIT) {
        err = commit(r, first, n, protect);
    } else { /* MEM_RESET: the contents may go; MEM_RESET_UNDO: keep what is still there.
                Reserved pages are accepted and stay reserved (Windows). */
        err = 0;
        if (kind == MEM_RESET)
            madvise((void *)(r->base + first * page), n * page, MADV_FREE);
    }
    if (err)
        goto fail;
    pthread_mutex_unlock(&regions_lock);
    return (void *)(addr & ~(uintptr_t)(page - 1));

fail:
    pthread_mutex_unlock(&regions_lock);
    return winipc__fail(NULL, err);
}

/*
 * MEM_RELEASE frees a whole reservation: the address must be its base and the size 0.
 * MEM_DECOMMIT decommits the pages of the range (size 0: to the reservation's end).
 */
BOOL WINAPI VirtualFree(LPVOID address, SIZE_T size, DWORD type)
{
    uintptr_t addr = (uintptr_t)address;
    struct region *r;
    size_t first, n;
    DWORD err = ERROR_INVALID_PARAMETER;

    if (type != MEM_RELEASE && type != MEM_DECOMMIT)
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    pthread_mutex_lock(&regions_lock);
    r = region_at(addr);
    if (!r && type == MEM_DECOMMIT && winipc__view_lock(addr)) {
        winipc__view_unlock(); /* a view's pages belong to its section */
        goto fail;
    }
    if (type == MEM_RELEASE) {
        if (size != 0)
            goto fail;
        err = ERROR_INVALID_ADDRESS;
        if (!r || r->base != addr)
            goto fail;
        munmap((void *)r->base, r->size);
        region_remove(r);
    } else {
        err = ERROR_INVALID_ADDRESS;
        if (!r || !page_range(r, addr, size ? size : r->base + r->size - addr, &first, &n))
            goto fail;
        err = decommit(r, first, n);
        if (err)
            goto fail;
    }
    pthread_mutex_unlock(&regions_lock);
    return TRUE;

fail:
    pthread_mutex_unlock(&regions_lock);
    return winipc__fail(FALSE, err);
}

/* ---- /proc/self/maps --------------------------------------------------------------------- */

struct mapping {
    uintptr_t start, end;
    char perms[5];
    unsigned long long offset;
    unsigned long dev_major, dev_minor;
    unsigned long long inode;
    const char *path; /* "" for anonymous memory */
};

struct maps {
    char *text; /* the file, lines split in place */
    struct mapping *m;
    size_t n;
};

static void maps_free(struct maps *mp)
{
    free(mp->text);
    free(mp->m);
}

/* Reads and parses the process's memory map (/proc/self/maps); false with errno. */
static bool maps_read(struct maps *mp)
{
    size_t lines = 0;
    char *line;

    *mp = (struct maps){0};
    mp->text = winipc__memory_map_text();
    if (!mp->text)
        return false;
    for (size_t i = 0; mp->text[i]; i++)
        lines += mp->text[i] == '\n';
    mp->m = calloc(lines + 1, sizeof *mp->m);
    if (!mp->m) {
        free(mp->text);
        return errno = ENOMEM, false;
    }
    for (line = mp->text; *line;) {
        char *nl = strchr(line, '\n'), *path;
        struct mapping *m = &mp->m[mp->n];
        int used = 0;

        if (nl)
            *nl = 0;
        if (sscanf(line, "%lx-%lx %4s %llx %lx:%lx %llu %n", (unsigned long *)&m->start,
                   (unsigned long *)&m->end, m->perms, &m->offset, &m->dev_major, &m->dev_minor,
                   &m->inode, &used) >= 7) {
            path = line + used;
            while (*path == ' ')
                path++;
            m->path = path;
            mp->n++;
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    return true;
}

/* What Windows would call a mapping: MEM_MAPPED, MEM_IMAGE or MEM_PRIVATE. */
static DWORD mapping_type(const struct maps *mp, const struct mapping *m)
{
    if (!m->path[0] || m->path[0] == '[')
        return strcmp(m->path, "[vdso]") == 0 ? MEM_IMAGE : MEM_PRIVATE;
    if (strncmp(m->path, "/dev/shm/winipc.", 16) == 0 || strncmp(m->path, "/memfd:", 7) == 0 ||
        m->perms[3] == 's')
        return MEM_MAPPED;
    /* A private mapping of a file: an executable or library if any part of the file
       is mapped executable, else a copy-on-write view of a data file. */
    for (size_t i = 0; i < mp->n; i++)
        if (mp->m[i].inode == m->inode && mp->m[i].dev_major == m->dev_major &&
            mp->m[i].dev_minor == m->dev_minor && mp->m[i].perms[2] == 'x')
            return MEM_IMAGE;
    return MEM_MAPPED;
}

/* The PAGE_* of a mapping's permissions (a writable private file mapping is copy-on-write). */
static DWORD mapping_protect(const struct mapping *m, DWORD type)
{
    bool r = m->perms[0] == 'r', w = m->perms[1] == 'w', x = m->perms[2] == 'x';
    bool copy = w && m->perms[3] == 'p' && type != MEM_PRIVATE;

    if (x)
        return w   ? (copy ? PAGE_EXECUTE_WRITECOPY : PAGE_EXECUTE_READWRITE)
               : r ? PAGE_EXECUTE_READ
                   : PAGE_EXECUTE;
    if (w)
        return copy ? PAGE_WRITECOPY : PAGE_READWRITE;
    return r ? PAGE_READONLY : PAGE_NOACCESS;
}

/* Whether b continues the same allocation as a (the same file at consistent offsets). */
static bool same_allocation(const struct mapping *a, const struct mapping *b)
{
    if (a->end != b->start || strcmp(a->path, b->path) != 0)
        return false;
    if (!a->inode)
        return !b->inode && a->path[0] == 0;
    return a->inode == b->inode && a->dev_major == b->dev_major && a->dev_minor == b->dev_minor &&
           b->offset - a->offset == b->start - a->start;
}

/* Fills *info for addr from /proc/self/maps. Returns 0 or a Win32 error. */
static DWORD query_maps(uintptr_t addr, MEMORY_BASIC_INFORMATION *info)
{
    size_t page = winipc__page_size(), i;
    uintptr_t at = addr & ~(uintptr_t)(page - 1);
    struct maps mp;
    const struct mapping *m;
    DWORD type, protect, state;

    if (!maps_read(&mp))
        return winipc__error_from_errno(errno);
    for (i = 0; i < mp.n && mp.m[i].end <= addr; i++)
        ;
    if (i == mp.n || mp.m[i].start > addr) { /* a hole: free address space */
        uintptr_t next = i < mp.n ? mp.m[i].start : (uintptr_t)0x00007FFFFFFF0000ull;

        info->BaseAddress = (PVOID)at;
        info->RegionSize = next - at;
        info->State = MEM_FREE;
        info->Protect = PAGE_NOACCESS;
        maps_free(&mp);
        return 0;
    }
    m = &mp.m[i];
    type = mapping_type(&mp, m);
    protect = mapping_protect(m, type);
    /* Inaccessible anonymous memory is reserved address space, not committed pages. */
    state = type == MEM_PRIVATE && protect == PAGE_NOACCESS ? MEM_RESERVE : MEM_COMMIT;
    info->BaseAddress = (PVOID)at;
    info->State = state;
    info->Protect = state == MEM_RESERVE ? 0 : protect;
    info->Type = type;
    /* The allocation: back over the lines that continue the same one. */
    {
        size_t first = i;

        while (first > 0 && same_allocation(&mp.m[first - 1], &mp.m[first]))
            first--;
        info->AllocationBase = (PVOID)mp.m[first].start;
        info->AllocationProtect = mapping_protect(&mp.m[first], type);
    }
    /* The region: forward over the lines of the same allocation with the same state. */
    {
        size_t last = i;

        while (last + 1 < mp.n && same_allocation(&mp.m[last], &mp.m[last + 1]) &&
               strcmp(mp.m[last + 1].perms, m->perms) == 0)
            last++;
        info->RegionSize = mp.m[last].end - at;
    }
    maps_free(&mp);
    return 0;
}

/* Fills *info for addr if a view holds it: one allocation, page by page. */
static bool query_view(uintptr_t addr, MEMORY_BASIC_INFORMATION *info)
{
    size_t page = winipc__page_size(), first = 0, n, i;
    struct winipc__view *v = winipc__view_lock(addr);
    DWORD protect;

    if (!v)
        return false;
    view_range(v, addr, 1, &first, &n);
    protect = view_page_protect(v, first);
    for (i = first + 1; i < v->len / page && view_page_protect(v, i) == protect; i++)
        ;
    info->BaseAddress = (PVOID)(v->base + first * page);
    info->AllocationBase = (PVOID)v->base;
    info->AllocationProtect = v->protect;
    info->RegionSize = (i - first) * page;
    info->State = protect ? MEM_COMMIT : MEM_RESERVE;
    info->Protect = protect;
    info->Type = MEM_MAPPED;
    winipc__view_unlock();
    return true;
}

/*
 * VirtualQuery: the region of pages starting at addr's page that share state,
 * protection and allocation. Returns sizeof(MEMORY_BASIC_INFORMATION), or 0 with the
 * error (ERROR_BAD_LENGTH for a short buffer, ERROR_INVALID_PARAMETER above the
 * highest application address).
 */
SIZE_T WINAPI VirtualQuery(LPCVOID address, PMEMORY_BASIC_INFORMATION info, SIZE_T length)
{
    size_t page = winipc__page_size(), first = 0, n = 0, i;
    uintptr_t addr = (uintptr_t)address;
    struct region *r;
    DWORD err;

    if (!info || length < sizeof *info)
        return winipc__fail(0, ERROR_BAD_LENGTH);
    if (addr > (uintptr_t)0x00007FFFFFFEFFFFull)
        return winipc__fail(0, ERROR_INVALID_PARAMETER);
    memset(info, 0, sizeof *info);
    pthread_mutex_lock(&regions_lock);
    r = region_at(addr);
    if (r) {
        page_range(r, addr, 1, &first, &n);
        for (i = first; i < r->size / page && r->pages[i] == r->pages[first]; i++)
            ;
        info->BaseAddress = (PVOID)(r->base + first * page);
        info->AllocationBase = (PVOID)r->base;
        info->AllocationProtect = r->protect;
        info->RegionSize = (i - first) * page;
        info->State = r->pages[first] ? MEM_COMMIT : MEM_RESERVE;
        info->Protect = r->pages[first];
        info->Type = MEM_PRIVATE;
        pthread_mutex_unlock(&regions_lock);
        return sizeof *info;
    }
    pthread_mutex_unlock(&regions_lock);
    if (query_view(addr, info))
        return sizeof *info;
    err = query_maps(addr, info);
    return err ? winipc__fail(0, err) : sizeof *info;
}

/*
 * VirtualProtect: the new protection of every page in the range; the old protection of
 * the first page in *old. In a VirtualAlloc reservation every page must be committed
 * (ERROR_INVALID_ADDRESS); elsewhere (views, the heap, the stack) the range must be
 * mapped.
 */
BOOL WINAPI VirtualProtect(LPVOID address, SIZE_T size, DWORD protect, PDWORD old)
{
    size_t page = winipc__page_size(), first, n;
    uintptr_t addr = (uintptr_t)address, start, end;
    MEMORY_BASIC_INFORMATION info;
    struct region *r;
    DWORD err;
    int prot;

    if (!old)
        return winipc__fail(FALSE, ERROR_NOACCESS);
    pthread_mutex_lock(&regions_lock);
    r = region_at(addr);
    if (r) {
        err = ERROR_INVALID_PARAMETER;
        if (prot_of(protect, false) == -1)
            goto fail;
        err = ERROR_INVALID_ADDRESS;
        if (!page_range(r, addr, size, &first, &n))
            goto fail;
        for (size_t i = first; i < first + n; i++)
            if (!r->pages[i])
                goto fail;
        *old = r->pages[first];
        /* The cache attribute belongs to the allocation: kept, never added per page. */
        if ((protect & 0xFF) != PAGE_NOACCESS)
            protect = (protect & ~(DWORD)(PAGE_NOCACHE | PAGE_WRITECOMBINE)) |
                      (r->protect & (PAGE_NOCACHE | PAGE_WRITECOMBINE));
        err = commit(r, first, n, protect);
        if (err)
            goto fail;
        pthread_mutex_unlock(&regions_lock);
        return TRUE;
    }
    pthread_mutex_unlock(&regions_lock);

    {
        struct winipc__view *v = winipc__view_lock(addr);

        if (v) {
            err = ERROR_INVALID_PARAMETER;
            if (prot_of(protect, true) != -1 && view_allows(v, protect)) {
                err = ERROR_INVALID_ADDRESS;
                if (view_range(v, addr, size, &first, &n)) {
                    err = 0;
                    for (size_t i = first; i < first + n && !err; i++)
                        err = v->pages[i] ? 0 : ERROR_INVALID_ADDRESS;
                    *old = view_page_protect(v, first);
                    if (!err)
                        err = view_set(v, first, n, protect);
                }
            }
            winipc__view_unlock();
            return err ? winipc__fail(FALSE, err) : TRUE;
        }
    }
    prot = prot_of(protect, false);
    if (prot == -1)
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    err = query_maps(addr, &info);
    if (err)
        return winipc__fail(FALSE, err);
    if (info.State != MEM_COMMIT)
        return winipc__fail(FALSE, ERROR_INVALID_ADDRESS);
    start = addr & ~(uintptr_t)(page - 1);
    end = (addr + (size ? size : 1) + page - 1) & ~(uintptr_t)(page - 1);
    if (mprotect((void *)start, end - start, prot) == -1)
        return winipc__fail(FALSE, errno == ENOMEM ? ERROR_INVALID_ADDRESS
                                                   : winipc__error_from_errno(errno));
    *old = info.Protect;
    return TRUE;

fail:
    pthread_mutex_unlock(&regions_lock);
    return winipc__fail(FALSE, err);
}

void WINAPI GetNativeSystemInfo(LPSYSTEM_INFO info)
{
    GetSystemInfo(info);
}
