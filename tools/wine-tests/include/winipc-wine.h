/*
 * winipc-wine.h - the scaffold under Wine's kernel32 tests: winipc's <windows.h>
 * plus what the selected test functions name and winipc does not have.
 *
 * Three kinds of names live here, with the SDK's spellings and values:
 *   - types, constants and structures the tests use;
 *   - test plumbing, not under test: string and heap helpers, temporary names,
 *     directories (implemented plainly in scaffold.c, so that a test can set up what
 *     it then checks winipc's functions against);
 *   - Win32 and native functions winipc does not have: stubs in scaffold.c that fail
 *     with ERROR_CALL_NOT_IMPLEMENTED (or STATUS_NOT_IMPLEMENTED), so that the checks
 *     needing them fail honestly; the runner lists them against the test function.
 */
#ifndef WINIPC_WINE_SCAFFOLD_H
#define WINIPC_WINE_SCAFFOLD_H

#include <winipc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void winetest_stub_called(const char *name);

/* ---- Types ------------------------------------------------------------------------- */
typedef LONG NTSTATUS;
typedef DWORD LCID;
typedef WORD LANGID;
typedef unsigned short USHORT;
typedef char *PSZ;
typedef HANDLE HWND, HKEY, HLOCAL, HGLOBAL;
typedef LONG_PTR LPARAM;
typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef struct _OBJECT_ATTRIBUTES {
    ULONG Length;
    HANDLE RootDirectory;
    PUNICODE_STRING ObjectName;
    ULONG Attributes;
    PVOID SecurityDescriptor;
    PVOID SecurityQualityOfService;
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;
typedef struct _MEMORY_BASIC_INFORMATION {
    PVOID BaseAddress;
    PVOID AllocationBase;
    DWORD AllocationProtect;
    SIZE_T RegionSize;
    DWORD State;
    DWORD Protect;
    DWORD Type;
} MEMORY_BASIC_INFORMATION, *PMEMORY_BASIC_INFORMATION;
typedef enum _SECTION_INFORMATION_CLASS {
    SectionBasicInformation,
    SectionImageInformation,
} SECTION_INFORMATION_CLASS;
typedef struct _SECTION_BASIC_INFORMATION {
    PVOID BaseAddress;
    ULONG Attributes;
    LARGE_INTEGER Size;
} SECTION_BASIC_INFORMATION;
typedef struct _SECTION_IMAGE_INFORMATION {
    PVOID TransferAddress;
    ULONG ZeroBits;
    SIZE_T MaximumStackSize;
    SIZE_T CommittedStackSize;
    ULONG SubSystemType;
    USHORT MinorSubsystemVersion, MajorSubsystemVersion;
    USHORT MajorOperatingSystemVersion, MinorOperatingSystemVersion;
    USHORT ImageCharacteristics, DllCharacteristics, Machine;
    BOOLEAN ImageContainsCode;
    UCHAR ImageFlags;
    ULONG LoaderFlags, ImageFileSize, CheckSum;
} SECTION_IMAGE_INFORMATION;
typedef enum _SECTION_INHERIT { ViewShare = 1, ViewUnmap = 2 } SECTION_INHERIT;
typedef enum _MEMORY_RESOURCE_NOTIFICATION_TYPE {
    LowMemoryResourceNotification,
    HighMemoryResourceNotification,
} MEMORY_RESOURCE_NOTIFICATION_TYPE;
typedef struct _BY_HANDLE_FILE_INFORMATION {
    DWORD dwFileAttributes;
    FILETIME ftCreationTime, ftLastAccessTime, ftLastWriteTime;
    DWORD dwVolumeSerialNumber, nFileSizeHigh, nFileSizeLow, nNumberOfLinks;
    DWORD nFileIndexHigh, nFileIndexLow;
} BY_HANDLE_FILE_INFORMATION, *LPBY_HANDLE_FILE_INFORMATION;
typedef void(CALLBACK *LPOVERLAPPED_COMPLETION_ROUTINE)(DWORD, DWORD, LPOVERLAPPED);
typedef void(CALLBACK *PAPCFUNC)(ULONG_PTR);
typedef struct _CPINFOEXA {
    UINT MaxCharSize;
    BYTE DefaultChar[2];
    BYTE LeadByte[12];
    WCHAR UnicodeDefaultChar;
    UINT CodePage;
    CHAR CodePageName[MAX_PATH];
} CPINFOEXA;

/* Wine's headers address nameless unions and structs through these. */
#define U(x) (x)
#define S(x) (x)
#define HandleToULong(h) ((ULONG)(ULONG_PTR)(h))
#define ULongToHandle(u) ((HANDLE)(ULONG_PTR)(u))
#define LongToHandle(l) ((HANDLE)(LONG_PTR)(l))
#define HandleToLong(h) ((LONG)(LONG_PTR)(h))

/* ---- Constants ----------------------------------------------------------------------- */
#define CP_UTF7 65000
#define CP_SYMBOL 42
#define WC_COMPOSITECHECK 0x00000200
#define WC_DEFAULTCHAR 0x00000040
#define WC_NO_BEST_FIT_CHARS 0x00000400
#define MB_COMPOSITE 0x00000002
#define MB_USEGLYPHCHARS 0x00000004
#define ACCESS_SYSTEM_SECURITY 0x01000000
#define ACL_REVISION 2
#define HANDLE_FLAG_PROTECT_FROM_CLOSE 0x00000002
#define FILE_ATTRIBUTE_DIRECTORY 0x00000010
#define FILE_FLAG_BACKUP_SEMANTICS 0x02000000
#define FILE_FLAG_POSIX_SEMANTICS 0x01000000
#ifndef FILE_EXECUTE
#define FILE_EXECUTE 0x0020
#endif
#ifndef FILE_READ_ATTRIBUTES
#define FILE_READ_ATTRIBUTES 0x0080
#endif
#ifndef FILE_WRITE_ATTRIBUTES
#define FILE_WRITE_ATTRIBUTES 0x0100
#endif
#ifndef FILE_READ_EA
#define FILE_READ_EA 0x0008
#endif
#ifndef FILE_WRITE_EA
#define FILE_WRITE_EA 0x0010
#endif
#ifndef FILE_GENERIC_EXECUTE
#define FILE_GENERIC_EXECUTE \
    (STANDARD_RIGHTS_EXECUTE | FILE_READ_ATTRIBUTES | FILE_EXECUTE | SYNCHRONIZE)
#endif
#define INVALID_FILE_ATTRIBUTES ((DWORD)-1)
#define MEM_COMMIT 0x00001000
#define MEM_RESERVE 0x00002000
#define MEM_DECOMMIT 0x00004000
#define MEM_RELEASE 0x00008000
#define MEM_FREE 0x00010000
#define MEM_PRIVATE 0x00020000
#define MEM_MAPPED 0x00040000
#define MEM_RESET 0x00080000
#define MEM_TOP_DOWN 0x00100000
#define MEM_IMAGE 0x01000000
#define HEAP_ZERO_MEMORY 0x00000008
#define OBJ_CASE_INSENSITIVE 0x00000040
#define ERROR_BAD_NETPATH 53L
#define ERROR_BAD_PATHNAME 161L
#define ERROR_DIR_NOT_EMPTY 145L
#define ERROR_INVALID_DRIVE 15L
#define ERROR_NOT_READY 21L
#define ERROR_INVALID_EA_NAME 254L
#define ERROR_MORE_DATA 234L
#define ERROR_IO_INCOMPLETE 996L
#define ERROR_NOT_LOCKED 158L
#define ERROR_CANT_WAIT 554L
#ifndef ERROR_PRIVILEGE_NOT_HELD
#define ERROR_PRIVILEGE_NOT_HELD 1314L
#endif
#ifndef ERROR_NOT_ENOUGH_QUOTA
#define ERROR_NOT_ENOUGH_QUOTA 1816L
#endif

#define STATUS_SUCCESS ((NTSTATUS)0x00000000)
#ifndef STATUS_PENDING
#define STATUS_PENDING ((NTSTATUS)0x00000103)
#endif
#define STATUS_ACCESS_VIOLATION ((NTSTATUS)0xC0000005)
#define STATUS_INVALID_HANDLE ((NTSTATUS)0xC0000008)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000D)
#define STATUS_END_OF_FILE ((NTSTATUS)0xC0000011)
#define STATUS_NOT_IMPLEMENTED ((NTSTATUS)0xC0000002)
#define STATUS_INFO_LENGTH_MISMATCH ((NTSTATUS)0xC0000004)
#define STATUS_ACCESS_DENIED ((NTSTATUS)0xC0000022)
#define STATUS_OBJECT_TYPE_MISMATCH ((NTSTATUS)0xC0000024)
#define STATUS_INVALID_FILE_FOR_SECTION ((NTSTATUS)0xC0000020)
#define STATUS_SECTION_TOO_BIG ((NTSTATUS)0xC0000040)
#define STATUS_INVALID_VIEW_SIZE ((NTSTATUS)0xC000001F)
#define STATUS_INVALID_IMAGE_NOT_MZ ((NTSTATUS)0xC000012F)
#define STATUS_MAPPED_FILE_SIZE_ZERO ((NTSTATUS)0xC000011E)
#define STATUS_SECTION_NOT_IMAGE ((NTSTATUS)0xC0000049)
#define STATUS_INVALID_PAGE_PROTECTION ((NTSTATUS)0xC0000045)
#define STATUS_MAPPED_ALIGNMENT ((NTSTATUS)0xC0000220)
#define STATUS_CONFLICTING_ADDRESSES ((NTSTATUS)0xC0000018)
#define STATUS_IMAGE_NOT_AT_BASE ((NTSTATUS)0x40000003)
#define STATUS_INVALID_ADDRESS ((NTSTATUS)0xC0000141)
#define STATUS_NO_MEMORY ((NTSTATUS)0xC0000017)
#define STATUS_ABANDONED ((NTSTATUS)0x00000080)
#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005)
#define STATUS_INVALID_PARAMETER_2 ((NTSTATUS)0xC00000F0)
#define STATUS_INVALID_PARAMETER_4 ((NTSTATUS)0xC00000F2)
#define STATUS_SECTION_PROTECTION ((NTSTATUS)0xC000004E)
#define STATUS_FILE_LOCK_CONFLICT ((NTSTATUS)0xC0000054)
#define STATUS_MUTANT_NOT_OWNED ((NTSTATUS)0xC0000046)
#define STATUS_SEMAPHORE_LIMIT_EXCEEDED ((NTSTATUS)0xC0000047)
#define STATUS_OBJECT_NAME_COLLISION ((NTSTATUS)0xC0000035)
#define STATUS_OBJECT_NAME_EXISTS ((NTSTATUS)0x40000000)
#define STATUS_USER_MAPPED_FILE ((NTSTATUS)0xC0000243)
#define STATUS_NOT_SUPPORTED ((NTSTATUS)0xC00000BB)

/* Languages (winnt.h). */
#define LANG_NEUTRAL 0x00
#define LANG_ENGLISH 0x09
#define SUBLANG_DEFAULT 0x01
#define SUBLANG_ENGLISH_US 0x01
#define SORT_DEFAULT 0x0
#define MAKELANGID(p, s) ((((WORD)(s)) << 10) | (WORD)(p))
#define MAKELCID(l, s) ((DWORD)((((DWORD)((WORD)(s))) << 16) | ((DWORD)((WORD)(l)))))

/* ---- Test plumbing (scaffold.c; real implementations, not under test) ----------------- */
HANDLE WINAPI GetProcessHeap(void);
LPVOID WINAPI HeapAlloc(HANDLE heap, DWORD flags, SIZE_T size);
LPVOID WINAPI HeapReAlloc(HANDLE heap, DWORD flags, LPVOID p, SIZE_T size);
BOOL WINAPI HeapFree(HANDLE heap, DWORD flags, LPVOID p);
int WINAPI lstrlenA(LPCSTR s);
int WINAPI lstrlenW(LPCWSTR s);
int WINAPI lstrcmpA(LPCSTR a, LPCSTR b);
int WINAPI lstrcmpW(LPCWSTR a, LPCWSTR b);
int WINAPI lstrcmpiA(LPCSTR a, LPCSTR b);
LPSTR WINAPI lstrcpyA(LPSTR d, LPCSTR s);
LPWSTR WINAPI lstrcpyW(LPWSTR d, LPCWSTR s);
LPSTR WINAPI lstrcatA(LPSTR d, LPCSTR s);
LPWSTR WINAPI lstrcatW(LPWSTR d, LPCWSTR s);
DWORD WINAPI GetTempPathA(DWORD n, LPSTR buf);
DWORD WINAPI GetTempPathW(DWORD n, LPWSTR buf);
UINT WINAPI GetTempFileNameA(LPCSTR dir, LPCSTR prefix, UINT unique, LPSTR out);
UINT WINAPI GetTempFileNameW(LPCWSTR dir, LPCWSTR prefix, UINT unique, LPWSTR out);
BOOL WINAPI CreateDirectoryA(LPCSTR path, LPSECURITY_ATTRIBUTES sa);
BOOL WINAPI CreateDirectoryW(LPCWSTR path, LPSECURITY_ATTRIBUTES sa);
BOOL WINAPI RemoveDirectoryA(LPCSTR path);
BOOL WINAPI RemoveDirectoryW(LPCWSTR path);
DWORD WINAPI GetCurrentDirectoryA(DWORD n, LPSTR buf);
DWORD WINAPI GetCurrentDirectoryW(DWORD n, LPWSTR buf);
BOOL WINAPI SetCurrentDirectoryA(LPCSTR path);
BOOL WINAPI SetCurrentDirectoryW(LPCWSTR path);
BOOL WINAPI SetFileAttributesA(LPCSTR path, DWORD attributes);
BOOL WINAPI SetFileAttributesW(LPCWSTR path, DWORD attributes);
DWORD WINAPI GetFileAttributesA(LPCSTR path);
BOOL WINAPI CopyFileA(LPCSTR from, LPCSTR to, BOOL fail_if_exists);
UINT WINAPI GetSystemDirectoryA(LPSTR buf, UINT n);
UINT WINAPI GetWindowsDirectoryA(LPSTR buf, UINT n);
UINT WINAPI GetACP(void);
BOOL WINAPI IsValidCodePage(UINT cp);
HMODULE WINAPI GetModuleHandleA(LPCSTR name);
void *WINAPI GetProcAddress(HMODULE module, LPCSTR name);
/* file.c's START_TEST: a temporary file name, then no such file. */
void winetest_file_setup(char *filename);

/* ---- Functions winipc does not have: stubs that fail (scaffold.c) --------------------- */
SIZE_T WINAPI VirtualQuery(LPCVOID addr, PMEMORY_BASIC_INFORMATION info, SIZE_T len);
LPVOID WINAPI VirtualAlloc(LPVOID addr, SIZE_T size, DWORD type, DWORD protect);
BOOL WINAPI VirtualFree(LPVOID addr, SIZE_T size, DWORD type);
BOOL WINAPI VirtualProtect(LPVOID addr, SIZE_T size, DWORD protect, PDWORD old);
BOOL WINAPI IsBadReadPtr(LPCVOID p, UINT_PTR n);
BOOL WINAPI IsBadWritePtr(LPVOID p, UINT_PTR n);
DWORD WINAPI QueueUserAPC(PAPCFUNC fn, HANDLE thread, ULONG_PTR data);
BOOL WINAPI GetHandleInformation(HANDLE h, LPDWORD flags);
BOOL WINAPI SetHandleInformation(HANDLE h, DWORD mask, DWORD flags);
BOOL WINAPI GetFileInformationByHandle(HANDLE h, LPBY_HANDLE_FILE_INFORMATION info);
BOOL WINAPI InitializeAcl(PACL acl, DWORD size, DWORD revision);
BOOL WINAPI GetCPInfoExA(UINT cp, DWORD flags, CPINFOEXA *info);
NTSTATUS WINAPI NtWaitForSingleObject(HANDLE h, BOOLEAN alertable, const LARGE_INTEGER *timeout);
NTSTATUS WINAPI NtWaitForMultipleObjects(ULONG n, const HANDLE *h, BOOLEAN wait_any,
                                         BOOLEAN alertable, const LARGE_INTEGER *timeout);
NTSTATUS WINAPI NtCreateSection(HANDLE *h, ACCESS_MASK access, const OBJECT_ATTRIBUTES *attr,
                                const LARGE_INTEGER *size, ULONG protect, ULONG attributes,
                                HANDLE file);
NTSTATUS WINAPI NtMapViewOfSection(HANDLE section, HANDLE process, PVOID *addr, ULONG_PTR zero_bits,
                                   SIZE_T commit, const LARGE_INTEGER *offset, SIZE_T *size,
                                   ULONG inherit, ULONG type, ULONG protect);
DWORD WINAPI NtUnmapViewOfSection(HANDLE process, PVOID addr);
NTSTATUS WINAPI NtQuerySection(HANDLE section, SECTION_INFORMATION_CLASS cls, void *info,
                               SIZE_T len, SIZE_T *ret_len);

#endif
