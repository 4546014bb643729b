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

/*
 * The tests include <ntstatus.h> before <windows.h>, so their STATUS_* values are
 * NTSTATUS-typed; winipc's <winternl.h> and <ntstatus.h> (winipc/nt.h) give them so.
 */
#ifndef WIN32_NO_STATUS
#define WIN32_NO_STATUS
#endif
#include <winipc.h>
#include <winipc/nt.h>
#include <winipc/security.h>
#include <winipc/toolhelp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void winetest_stub_called(const char *name);

/* ---- Types winipc does not declare --------------------------------------------------- */
typedef char *PSZ;
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

/* process.c: consoles, jobs, the native process and thread information, the TEB. */
typedef struct _COORD {
    SHORT X, Y;
} COORD;
typedef struct _SMALL_RECT {
    SHORT Left, Top, Right, Bottom;
} SMALL_RECT;
typedef struct _CONSOLE_SCREEN_BUFFER_INFO {
    COORD dwSize;
    COORD dwCursorPosition;
    WORD wAttributes;
    SMALL_RECT srWindow;
    COORD dwMaximumWindowSize;
} CONSOLE_SCREEN_BUFFER_INFO;
typedef enum _JOBOBJECTINFOCLASS { JobObjectBasicAccountingInformation = 1 } JOBOBJECTINFOCLASS;
typedef enum _PROCESSINFOCLASS { ProcessBasicInformation = 0 } PROCESSINFOCLASS;
typedef enum _THREADINFOCLASS { ThreadBasicInformation = 0 } THREADINFOCLASS;
typedef enum _SYSTEM_INFORMATION_CLASS { SystemBasicInformation = 0 } SYSTEM_INFORMATION_CLASS;
typedef enum _LOGICAL_PROCESSOR_RELATIONSHIP {
    RelationProcessorCore = 0
} LOGICAL_PROCESSOR_RELATIONSHIP;
typedef struct _SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX;
typedef struct _SYSTEM_CPU_SET_INFORMATION SYSTEM_CPU_SET_INFORMATION;
struct _PROC_THREAD_ATTRIBUTE_LIST;
typedef struct _RTL_USER_PROCESS_PARAMETERS {
    HANDLE hStdInput, hStdOutput, hStdError;
    UNICODE_STRING CommandLine;
} RTL_USER_PROCESS_PARAMETERS;
typedef struct _PEB {
    RTL_USER_PROCESS_PARAMETERS *ProcessParameters;
} PEB;
typedef struct _TEB {
    PEB *Peb;
} TEB;
#define WINAPIV
#define __WINE_PRINTF_ATTR(fmt, args)

/* Wine's headers address nameless unions and structs through these. */
#define U(x) (x)
#define S(x) (x)

/* ---- Constants winipc does not define ----------------------------------------------- */
#define AT_ROUND_TO_PAGE 0x40000000
#define ERROR_BAD_NETPATH 53L
#define ERROR_INVALID_EA_NAME 254L
#define ERROR_IO_INCOMPLETE 996L
#define ERROR_CANT_WAIT 554L
#define STATUS_INVALID_FILE_FOR_SECTION ((NTSTATUS)0xC0000020)
#define STATUS_INVALID_IMAGE_NOT_MZ ((NTSTATUS)0xC000012F)
#define STATUS_MAPPED_FILE_SIZE_ZERO ((NTSTATUS)0xC000011E)
#define STATUS_SECTION_NOT_IMAGE ((NTSTATUS)0xC0000049)
#define STATUS_IMAGE_NOT_AT_BASE ((NTSTATUS)0x40000003)
#define STATUS_INVALID_PARAMETER_4 ((NTSTATUS)0xC00000F2)
#define STATUS_SECTION_PROTECTION ((NTSTATUS)0xC000004E)
#define STATUS_FILE_LOCK_CONFLICT ((NTSTATUS)0xC0000054)
#define STATUS_USER_MAPPED_FILE ((NTSTATUS)0xC0000243)

/* ---- Test plumbing (scaffold.c; plain implementations, not under test) ---------------- */
UINT WINAPI GetSystemDirectoryA(LPSTR buf, UINT n);
UINT WINAPI GetWindowsDirectoryA(LPSTR buf, UINT n);
UINT WINAPI GetACP(void);
BOOL WINAPI IsValidCodePage(UINT cp);
HMODULE WINAPI GetModuleHandleA(LPCSTR name);
void *WINAPI GetProcAddress(HMODULE module, LPCSTR name);
DWORD WINAPI GetFullPathNameA(LPCSTR name, DWORD n, LPSTR buf, LPSTR *file_part);
/* process.c's children report to their parent in an .ini file. */
DWORD WINAPI GetPrivateProfileStringA(LPCSTR section, LPCSTR key, LPCSTR def, LPSTR buf, DWORD n,
                                      LPCSTR file);
UINT WINAPI GetPrivateProfileIntA(LPCSTR section, LPCSTR key, INT def, LPCSTR file);
BOOL WINAPI WritePrivateProfileStringA(LPCSTR section, LPCSTR key, LPCSTR value, LPCSTR file);
/* file.c's START_TEST: a temporary file name, then no such file. */
void winetest_file_setup(char *filename);

/* ---- Functions winipc does not have: stubs that fail (scaffold.c) --------------------- */
BOOL WINAPI IsBadReadPtr(LPCVOID p, UINT_PTR n);
BOOL WINAPI IsBadWritePtr(LPVOID p, UINT_PTR n);
DWORD WINAPI QueueUserAPC(PAPCFUNC fn, HANDLE thread, ULONG_PTR data);
BOOL WINAPI InitializeAcl(PACL acl, DWORD size, DWORD revision);
BOOL WINAPI GetCPInfoExA(UINT cp, DWORD flags, CPINFOEXA *info);
HANDLE WINAPI CreateRemoteThread(HANDLE process, LPSECURITY_ATTRIBUTES sa, SIZE_T stack,
                                 LPTHREAD_START_ROUTINE start, LPVOID param, DWORD flags,
                                 LPDWORD tid);
BOOL WINAPI GetConsoleScreenBufferInfo(HANDLE h, CONSOLE_SCREEN_BUFFER_INFO *info);
BOOL WINAPI SetConsoleCursorPosition(HANDLE h, COORD pos);
TEB *WINAPI NtCurrentTeb(void);
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
NTSTATUS WINAPI NtProtectVirtualMemory(HANDLE process, PVOID *addr, SIZE_T *size, ULONG protect,
                                       ULONG *old);
NTSTATUS WINAPI NtQuerySection(HANDLE section, SECTION_INFORMATION_CLASS cls, void *info,
                               SIZE_T len, SIZE_T *ret_len);

#endif
