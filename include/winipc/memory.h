/*
 * winipc/memory.h - the memory calls that live next to file mappings: the Local,
 * Global and Heap allocators, VirtualAlloc/VirtualFree/VirtualProtect/VirtualQuery,
 * and GetNativeSystemInfo (posix/memory.c). Included by winipc/win32.h; not for
 * direct use.
 */
#ifndef WINIPC_MEMORY_H
#define WINIPC_MEMORY_H

#ifdef __cplusplus
extern "C" {
#endif

/* ---- VirtualAlloc and VirtualQuery ------------------------------------------------- */
#define MEM_COALESCE_PLACEHOLDERS 0x00000001
#define MEM_PRESERVE_PLACEHOLDER 0x00000002
#define MEM_COMMIT 0x00001000
#define MEM_RESERVE 0x00002000
#define MEM_REPLACE_PLACEHOLDER 0x00004000
#define MEM_DECOMMIT 0x00004000
#define MEM_RELEASE 0x00008000
#define MEM_FREE 0x00010000
#define MEM_PRIVATE 0x00020000
#define MEM_RESERVE_PLACEHOLDER 0x00040000
#define MEM_MAPPED 0x00040000
#define MEM_RESET 0x00080000
#define MEM_TOP_DOWN 0x00100000
#define MEM_WRITE_WATCH 0x00200000
#define MEM_PHYSICAL 0x00400000
#define MEM_ROTATE 0x00800000
#define MEM_DIFFERENT_IMAGE_BASE_OK 0x00800000
#define MEM_RESET_UNDO 0x01000000
#define MEM_IMAGE SEC_IMAGE
#define MEM_LARGE_PAGES 0x20000000
#define MEM_4MB_PAGES 0x80000000
#define PAGE_TARGETS_INVALID 0x40000000
#define PAGE_TARGETS_NO_UPDATE 0x40000000

typedef struct _MEMORY_BASIC_INFORMATION {
    PVOID BaseAddress;       /* the page that holds the address asked about */
    PVOID AllocationBase;    /* the start of its VirtualAlloc reservation or view */
    DWORD AllocationProtect; /* protection when it was allocated or mapped */
#if UINTPTR_MAX > 0xFFFFFFFFu
    WORD PartitionId;
#endif
    SIZE_T RegionSize; /* bytes from BaseAddress with the same State and Protect */
    DWORD State;       /* MEM_COMMIT, MEM_RESERVE or MEM_FREE */
    DWORD Protect;     /* PAGE_*, 0 when not committed */
    DWORD Type;        /* MEM_PRIVATE, MEM_MAPPED or MEM_IMAGE */
} MEMORY_BASIC_INFORMATION, *PMEMORY_BASIC_INFORMATION;

WINIPC_API LPVOID WINAPI VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType,
                                      DWORD flProtect);
WINIPC_API BOOL WINAPI VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType);
WINIPC_API BOOL WINAPI VirtualProtect(LPVOID lpAddress, SIZE_T dwSize, DWORD flNewProtect,
                                      PDWORD lpflOldProtect);
WINIPC_API SIZE_T WINAPI VirtualQuery(LPCVOID lpAddress, PMEMORY_BASIC_INFORMATION lpBuffer,
                                      SIZE_T dwLength);
/* The native system is the system: the same answer as GetSystemInfo. */
WINIPC_API void WINAPI GetNativeSystemInfo(LPSYSTEM_INFO lpSystemInfo);

/* ---- Heaps ------------------------------------------------------------------------- */
#define HEAP_NO_SERIALIZE 0x00000001
#define HEAP_GROWABLE 0x00000002
#define HEAP_GENERATE_EXCEPTIONS 0x00000004
#define HEAP_ZERO_MEMORY 0x00000008
#define HEAP_REALLOC_IN_PLACE_ONLY 0x00000010
#define HEAP_TAIL_CHECKING_ENABLED 0x00000020
#define HEAP_FREE_CHECKING_ENABLED 0x00000040
#define HEAP_DISABLE_COALESCE_ON_FREE 0x00000080
#define HEAP_CREATE_ALIGN_16 0x00010000
#define HEAP_CREATE_ENABLE_TRACING 0x00020000
#define HEAP_CREATE_ENABLE_EXECUTE 0x00040000

WINIPC_API HANDLE WINAPI GetProcessHeap(void);
WINIPC_API HANDLE WINAPI HeapCreate(DWORD flOptions, SIZE_T dwInitialSize, SIZE_T dwMaximumSize);
WINIPC_API BOOL WINAPI HeapDestroy(HANDLE hHeap);
WINIPC_API LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes);
WINIPC_API LPVOID WINAPI HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes);
WINIPC_API BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem);
WINIPC_API SIZE_T WINAPI HeapSize(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem);
WINIPC_API BOOL WINAPI HeapValidate(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem);

/* ---- LocalAlloc and GlobalAlloc ---------------------------------------------------- */
#define LMEM_FIXED 0x0000
#define LMEM_MOVEABLE 0x0002
#define LMEM_NOCOMPACT 0x0010
#define LMEM_NODISCARD 0x0020
#define LMEM_ZEROINIT 0x0040
#define LMEM_MODIFY 0x0080
#define LMEM_DISCARDABLE 0x0F00
#define LMEM_VALID_FLAGS 0x0F72
#define LMEM_INVALID_HANDLE 0x8000
#define LMEM_DISCARDED 0x4000
#define LMEM_LOCKCOUNT 0x00FF
#define LHND (LMEM_MOVEABLE | LMEM_ZEROINIT)
#define LPTR (LMEM_FIXED | LMEM_ZEROINIT)
#define NONZEROLHND (LMEM_MOVEABLE)
#define NONZEROLPTR (LMEM_FIXED)
#define GMEM_FIXED 0x0000
#define GMEM_MOVEABLE 0x0002
#define GMEM_NOCOMPACT 0x0010
#define GMEM_NODISCARD 0x0020
#define GMEM_ZEROINIT 0x0040
#define GMEM_MODIFY 0x0080
#define GMEM_DISCARDABLE 0x0100
#define GMEM_NOT_BANKED 0x1000
#define GMEM_SHARE 0x2000
#define GMEM_DDESHARE 0x2000
#define GMEM_NOTIFY 0x4000
#define GMEM_LOWER GMEM_NOT_BANKED
#define GMEM_VALID_FLAGS 0x7F72
#define GMEM_INVALID_HANDLE 0x8000
#define GMEM_DISCARDED 0x4000
#define GMEM_LOCKCOUNT 0x00FF
#define GHND (GMEM_MOVEABLE | GMEM_ZEROINIT)
#define GPTR (GMEM_FIXED | GMEM_ZEROINIT)

/*
 * Differs from Windows: LMEM_MOVEABLE/GMEM_MOVEABLE memory never moves (Linux has
 * no handle-based heap): the handle is the address, Lock returns it and counts,
 * Unlock uncounts. Code written for moveable memory works unchanged.
 */
WINIPC_API HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes);
WINIPC_API HLOCAL WINAPI LocalReAlloc(HLOCAL hMem, SIZE_T uBytes, UINT uFlags);
WINIPC_API HLOCAL WINAPI LocalFree(HLOCAL hMem);
WINIPC_API SIZE_T WINAPI LocalSize(HLOCAL hMem);
WINIPC_API LPVOID WINAPI LocalLock(HLOCAL hMem);
WINIPC_API BOOL WINAPI LocalUnlock(HLOCAL hMem);
WINIPC_API UINT WINAPI LocalFlags(HLOCAL hMem);
WINIPC_API HLOCAL WINAPI LocalHandle(LPCVOID pMem);
WINIPC_API HGLOBAL WINAPI GlobalAlloc(UINT uFlags, SIZE_T dwBytes);
WINIPC_API HGLOBAL WINAPI GlobalReAlloc(HGLOBAL hMem, SIZE_T dwBytes, UINT uFlags);
WINIPC_API HGLOBAL WINAPI GlobalFree(HGLOBAL hMem);
WINIPC_API SIZE_T WINAPI GlobalSize(HGLOBAL hMem);
WINIPC_API LPVOID WINAPI GlobalLock(HGLOBAL hMem);
WINIPC_API BOOL WINAPI GlobalUnlock(HGLOBAL hMem);
WINIPC_API UINT WINAPI GlobalFlags(HGLOBAL hMem);
WINIPC_API HGLOBAL WINAPI GlobalHandle(LPCVOID pMem);

#ifdef __cplusplus
}
#endif

#endif /* WINIPC_MEMORY_H */
