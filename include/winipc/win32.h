/*
 * winipc/win32.h - the Win32 subset winipc implements, for systems other than Windows.
 *
 * Included by <winipc.h> (and so by the compat <windows.h>) when the compiler does not
 * target Windows, whether or not the project defines _WIN32 itself. Names, types and
 * numeric values are the Windows SDK's. Types keep their
 * Windows widths on LP64: DWORD, LONG and ULONG are 32 bits, SIZE_T and the *_PTR
 * types are pointer-sized.
 * Differs from Windows: WCHAR is wchar_t so that L"..." literals work; on Linux that
 * is 32 bits (UTF-32) where Windows has 16 (UTF-16).
 */
#ifndef WINIPC_WIN32_H
#define WINIPC_WIN32_H

#ifndef WINIPC_H
#error "include <winipc.h> (or <windows.h> from winipc's compat directory) instead"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Calling conventions and annotations: no-ops off Windows ------------------ */
#define WINAPI
#define APIENTRY
#define CALLBACK
#define WINBASEAPI
#define NTAPI
#define __stdcall
#define __cdecl
#define CONST const
#define VOID void
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif

/* ---- Basic types ----------------------------------------------------------------- */
typedef int BOOL;
typedef BOOL *PBOOL, *LPBOOL;
typedef unsigned char BYTE, UCHAR, BOOLEAN;
typedef BYTE *PBYTE, *LPBYTE;
typedef unsigned short WORD, USHORT;
typedef WORD *PWORD, *LPWORD;
typedef int INT;
typedef unsigned int UINT;
typedef uint32_t DWORD, ULONG, DWORD32;
typedef DWORD *PDWORD, *LPDWORD;
typedef ULONG *PULONG;
typedef int32_t LONG;
typedef LONG *PLONG, *LPLONG;
typedef int64_t LONGLONG, LONG64, INT64;
typedef uint64_t ULONGLONG, DWORD64, ULONG64, UINT64;
typedef intptr_t INT_PTR, LONG_PTR;
typedef uintptr_t UINT_PTR, ULONG_PTR, DWORD_PTR;
typedef ULONG_PTR SIZE_T, *PSIZE_T;
typedef LONG_PTR SSIZE_T;
typedef void *PVOID, *LPVOID, *HANDLE, *HMODULE, *HINSTANCE;
typedef const void *LPCVOID;
typedef HANDLE *PHANDLE, *LPHANDLE;
typedef char CHAR, CCHAR;
typedef CHAR *PSTR, *LPSTR, *PCHAR;
typedef const CHAR *PCSTR, *LPCSTR;
typedef wchar_t WCHAR;
typedef WCHAR *PWSTR, *LPWSTR, *PWCHAR;
typedef const WCHAR *PCWSTR, *LPCWSTR;
typedef DWORD ACCESS_MASK;
typedef LONG HRESULT;

typedef union _LARGE_INTEGER {
    struct {
        DWORD LowPart;
        LONG HighPart;
    };
    struct {
        DWORD LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        DWORD LowPart;
        DWORD HighPart;
    };
    struct {
        DWORD LowPart;
        DWORD HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef struct _SECURITY_ATTRIBUTES {
    DWORD nLength;
    LPVOID lpSecurityDescriptor;
    BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

/* Only the DACL matters to winipc: a present, NULL DACL opens a Global\ object to all. */
typedef PVOID PSID;
typedef struct _ACL {
    BYTE AclRevision;
    BYTE Sbz1;
    WORD AclSize;
    WORD AceCount;
    WORD Sbz2;
} ACL, *PACL;
typedef WORD SECURITY_DESCRIPTOR_CONTROL;
typedef struct _SECURITY_DESCRIPTOR {
    BYTE Revision;
    BYTE Sbz1;
    SECURITY_DESCRIPTOR_CONTROL Control;
    PSID Owner;
    PSID Group;
    PACL Sacl;
    PACL Dacl;
} SECURITY_DESCRIPTOR, *PISECURITY_DESCRIPTOR;
typedef PVOID PSECURITY_DESCRIPTOR;
#define SECURITY_DESCRIPTOR_REVISION 1
#define SECURITY_DESCRIPTOR_MIN_LENGTH sizeof(SECURITY_DESCRIPTOR)
#define SE_DACL_PRESENT 0x0004
#define SE_DACL_DEFAULTED 0x0008

typedef struct _SYSTEM_INFO {
    union {
        DWORD dwOemId;
        struct {
            WORD wProcessorArchitecture;
            WORD wReserved;
        };
    };
    DWORD dwPageSize;
    LPVOID lpMinimumApplicationAddress;
    LPVOID lpMaximumApplicationAddress;
    DWORD_PTR dwActiveProcessorMask;
    DWORD dwNumberOfProcessors;
    DWORD dwProcessorType;
    DWORD dwAllocationGranularity;
    WORD wProcessorLevel;
    WORD wProcessorRevision;
} SYSTEM_INFO, *LPSYSTEM_INFO;

typedef struct _OVERLAPPED {
    ULONG_PTR Internal;
    ULONG_PTR InternalHigh;
    union {
        struct {
            DWORD Offset;
            DWORD OffsetHigh;
        };
        PVOID Pointer;
    };
    HANDLE hEvent;
} OVERLAPPED, *LPOVERLAPPED;

typedef DWORD(WINAPI *PTHREAD_START_ROUTINE)(LPVOID lpThreadParameter);
typedef PTHREAD_START_ROUTINE LPTHREAD_START_ROUTINE;

/* 100-nanosecond intervals since January 1, 1601 (UTC). */
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

/* A waitable timer's completion routine (an APC; see SetWaitableTimer). */
typedef VOID(CALLBACK *PTIMERAPCROUTINE)(LPVOID lpArgToCompletionRoutine, DWORD dwTimerLowValue,
                                         DWORD dwTimerHighValue);
/* Why a timer may wake the machine (SetWaitableTimerEx); winipc reads none of it. */
typedef struct _REASON_CONTEXT {
    ULONG Version;
    DWORD Flags;
    union {
        struct {
            HMODULE LocalizedReasonModule;
            ULONG LocalizedReasonId;
            ULONG ReasonStringCount;
            LPWSTR *ReasonStrings;
        } Detailed;
        LPWSTR SimpleReasonString;
    } Reason;
} REASON_CONTEXT, *PREASON_CONTEXT;

/* Called with a fiber-local value when its index is freed or its thread exits. */
typedef VOID(WINAPI *PFLS_CALLBACK_FUNCTION)(PVOID lpFlsData);

/* TCHAR: WCHAR when UNICODE is defined, CHAR otherwise (as in winnt.h). */
#ifdef UNICODE
typedef WCHAR TCHAR, TBYTE;
#define __TEXT(quote) L##quote
#else
typedef char TCHAR, TBYTE;
#define __TEXT(quote) quote
#endif
#define TEXT(quote) __TEXT(quote)
typedef TCHAR *PTSTR, *LPTSTR, *PTCH;
typedef const TCHAR *PCTSTR, *LPCTSTR;

/* ---- Values ---------------------------------------------------------------------- */
#ifndef FALSE
#define FALSE 0
#endif
#ifndef TRUE
#define TRUE 1
#endif
#define MAX_PATH 260
#define INFINITE 0xFFFFFFFFu
#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)
#define INVALID_FILE_SIZE ((DWORD)0xFFFFFFFF)
#define INVALID_SET_FILE_POINTER ((DWORD)-1)
#define STILL_ACTIVE 259
#define MAXIMUM_WAIT_OBJECTS 64

/* Access rights (winnt.h). */
#define DELETE 0x00010000
#define READ_CONTROL 0x00020000
#define WRITE_DAC 0x00040000
#define WRITE_OWNER 0x00080000
#define SYNCHRONIZE 0x00100000
#define STANDARD_RIGHTS_REQUIRED 0x000F0000
#define STANDARD_RIGHTS_READ READ_CONTROL
#define STANDARD_RIGHTS_WRITE READ_CONTROL
#define STANDARD_RIGHTS_EXECUTE READ_CONTROL
#define STANDARD_RIGHTS_ALL 0x001F0000
#define GENERIC_READ 0x80000000u
#define GENERIC_WRITE 0x40000000u
#define GENERIC_EXECUTE 0x20000000u
#define GENERIC_ALL 0x10000000u
#define MAXIMUM_ALLOWED 0x02000000u

#define SECTION_QUERY 0x0001
#define SECTION_MAP_WRITE 0x0002
#define SECTION_MAP_READ 0x0004
#define SECTION_MAP_EXECUTE 0x0008
#define SECTION_EXTEND_SIZE 0x0010
#define SECTION_MAP_EXECUTE_EXPLICIT 0x0020
#define SECTION_ALL_ACCESS                                                             \
    (STANDARD_RIGHTS_REQUIRED | SECTION_QUERY | SECTION_MAP_WRITE | SECTION_MAP_READ | \
     SECTION_MAP_EXECUTE | SECTION_EXTEND_SIZE)
#define FILE_MAP_COPY SECTION_QUERY
#define FILE_MAP_WRITE SECTION_MAP_WRITE
#define FILE_MAP_READ SECTION_MAP_READ
#define FILE_MAP_ALL_ACCESS SECTION_ALL_ACCESS
#define FILE_MAP_EXECUTE SECTION_MAP_EXECUTE_EXPLICIT
#define FILE_MAP_LARGE_PAGES 0x20000000
#define FILE_MAP_TARGETS_INVALID 0x40000000
#define FILE_MAP_RESERVE 0x80000000

#define MUTANT_QUERY_STATE 0x0001
#define MUTANT_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | MUTANT_QUERY_STATE)
#define MUTEX_MODIFY_STATE MUTANT_QUERY_STATE
#define MUTEX_ALL_ACCESS MUTANT_ALL_ACCESS
#define EVENT_QUERY_STATE 0x0001
#define EVENT_MODIFY_STATE 0x0002
#define EVENT_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3)
#define SEMAPHORE_QUERY_STATE 0x0001
#define SEMAPHORE_MODIFY_STATE 0x0002
#define SEMAPHORE_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3)
#define THREAD_TERMINATE 0x0001
#define THREAD_SUSPEND_RESUME 0x0002
#define THREAD_QUERY_INFORMATION 0x0040
#define THREAD_QUERY_LIMITED_INFORMATION 0x0800
#define THREAD_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFFF)
#define PROCESS_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFFF)
#define PROCESS_DUP_HANDLE 0x0040

#define TIMER_QUERY_STATE 0x0001
#define TIMER_MODIFY_STATE 0x0002
#define TIMER_ALL_ACCESS \
    (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | TIMER_QUERY_STATE | TIMER_MODIFY_STATE)

#define CREATE_MUTEX_INITIAL_OWNER 0x00000001
#define CREATE_EVENT_MANUAL_RESET 0x00000001
#define CREATE_EVENT_INITIAL_SET 0x00000002
#define CREATE_WAITABLE_TIMER_MANUAL_RESET 0x00000001
#define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x00000002

/* Threads and thread-local storage. */
#define CREATE_SUSPENDED 0x00000004
#define STACK_SIZE_PARAM_IS_A_RESERVATION 0x00010000
#define MAXIMUM_SUSPEND_COUNT 0x7F
#define TLS_MINIMUM_AVAILABLE 64
#define TLS_OUT_OF_INDEXES ((DWORD)0xFFFFFFFF)
#define FLS_MAXIMUM_AVAILABLE 4080
#define FLS_OUT_OF_INDEXES ((DWORD)0xFFFFFFFF)

/* Page protection and section attributes. */
#define PAGE_NOACCESS 0x01
#define PAGE_READONLY 0x02
#define PAGE_READWRITE 0x04
#define PAGE_WRITECOPY 0x08
#define PAGE_EXECUTE 0x10
#define PAGE_EXECUTE_READ 0x20
#define PAGE_EXECUTE_READWRITE 0x40
#define PAGE_EXECUTE_WRITECOPY 0x80
#define PAGE_GUARD 0x100
#define PAGE_NOCACHE 0x200
#define PAGE_WRITECOMBINE 0x400
#define SEC_FILE 0x00800000
#define SEC_IMAGE 0x01000000
#define SEC_PROTECTED_IMAGE 0x02000000
#define SEC_RESERVE 0x04000000
#define SEC_COMMIT 0x08000000
#define SEC_NOCACHE 0x10000000
#define SEC_WRITECOMBINE 0x40000000
#define SEC_LARGE_PAGES 0x80000000
#define SEC_IMAGE_NO_EXECUTE (SEC_IMAGE | SEC_NOCACHE)

/* Files. */
#define FILE_SHARE_READ 0x00000001
#define FILE_SHARE_WRITE 0x00000002
#define FILE_SHARE_DELETE 0x00000004
#define CREATE_NEW 1
#define CREATE_ALWAYS 2
#define OPEN_EXISTING 3
#define OPEN_ALWAYS 4
#define TRUNCATE_EXISTING 5
#define FILE_ATTRIBUTE_READONLY 0x00000001
#define FILE_ATTRIBUTE_HIDDEN 0x00000002
#define FILE_ATTRIBUTE_SYSTEM 0x00000004
#define FILE_ATTRIBUTE_ARCHIVE 0x00000020
#define FILE_ATTRIBUTE_NORMAL 0x00000080
#define FILE_ATTRIBUTE_TEMPORARY 0x00000100
#define FILE_FLAG_WRITE_THROUGH 0x80000000u
#define FILE_FLAG_OVERLAPPED 0x40000000
#define FILE_FLAG_NO_BUFFERING 0x20000000
#define FILE_FLAG_RANDOM_ACCESS 0x10000000
#define FILE_FLAG_SEQUENTIAL_SCAN 0x08000000
#define FILE_FLAG_DELETE_ON_CLOSE 0x04000000
#define FILE_BEGIN 0
#define FILE_CURRENT 1
#define FILE_END 2
#define FILE_READ_DATA 0x0001
#define FILE_WRITE_DATA 0x0002
#define FILE_APPEND_DATA 0x0004
#define FILE_READ_EA 0x0008
#define FILE_WRITE_EA 0x0010
#define FILE_EXECUTE 0x0020
#define FILE_READ_ATTRIBUTES 0x0080
#define FILE_WRITE_ATTRIBUTES 0x0100
#define FILE_GENERIC_READ \
    (STANDARD_RIGHTS_READ | FILE_READ_DATA | FILE_READ_ATTRIBUTES | FILE_READ_EA | SYNCHRONIZE)
#define FILE_GENERIC_WRITE                                                             \
    (STANDARD_RIGHTS_WRITE | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA | \
     FILE_APPEND_DATA | SYNCHRONIZE)
#define FILE_GENERIC_EXECUTE \
    (STANDARD_RIGHTS_EXECUTE | FILE_READ_ATTRIBUTES | FILE_EXECUTE | SYNCHRONIZE)
#define FILE_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x1FF)

/* Handles. */
#define DUPLICATE_CLOSE_SOURCE 0x00000001
#define DUPLICATE_SAME_ACCESS 0x00000002
#define HANDLE_FLAG_INHERIT 0x00000001
#define HANDLE_FLAG_PROTECT_FROM_CLOSE 0x00000002

/* Waits. */
#define STATUS_WAIT_0 ((DWORD)0x00000000)
#define STATUS_ABANDONED_WAIT_0 ((DWORD)0x00000080)
#define STATUS_USER_APC ((DWORD)0x000000C0)
#define STATUS_TIMEOUT ((DWORD)0x00000102)
#define STATUS_PENDING ((DWORD)0x00000103) /* OVERLAPPED.Internal of an unfinished I/O */
#define WAIT_OBJECT_0 (STATUS_WAIT_0 + 0)
#define WAIT_ABANDONED (STATUS_ABANDONED_WAIT_0 + 0)
#define WAIT_ABANDONED_0 (STATUS_ABANDONED_WAIT_0 + 0)
#define WAIT_IO_COMPLETION STATUS_USER_APC
#define WAIT_TIMEOUT 258L
#define WAIT_FAILED ((DWORD)0xFFFFFFFF)

/* Processor architectures for SYSTEM_INFO. */
#define PROCESSOR_ARCHITECTURE_INTEL 0
#define PROCESSOR_ARCHITECTURE_ARM 5
#define PROCESSOR_ARCHITECTURE_IA64 6
#define PROCESSOR_ARCHITECTURE_AMD64 9
#define PROCESSOR_ARCHITECTURE_ARM64 12
#define PROCESSOR_ARCHITECTURE_UNKNOWN 0xFFFF
#define PROCESSOR_INTEL_386 386
#define PROCESSOR_INTEL_486 486
#define PROCESSOR_INTEL_PENTIUM 586
#define PROCESSOR_AMD_X8664 8664
#define PROCESSOR_ARM 7

#include "winipc/winerror.h"
#include "winipc/crt.h"

/* ---- Functions ------------------------------------------------------------------- */

/* Errors. */
WINIPC_API DWORD WINAPI GetLastError(void);
WINIPC_API void WINAPI SetLastError(DWORD dwErrCode);

/* Handles. */
WINIPC_API BOOL WINAPI CloseHandle(HANDLE hObject);
WINIPC_API BOOL WINAPI GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags);
WINIPC_API BOOL WINAPI SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags);
WINIPC_API BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                                       HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle,
                                       DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions);

/* Security descriptors (the NULL-DACL idiom only). */
WINIPC_API BOOL WINAPI InitializeSecurityDescriptor(PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                                    DWORD dwRevision);
WINIPC_API BOOL WINAPI SetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                                 BOOL bDaclPresent, PACL pDacl,
                                                 BOOL bDaclDefaulted);

/* File mappings. */
WINIPC_API HANDLE WINAPI CreateFileMappingA(HANDLE hFile, LPSECURITY_ATTRIBUTES lpAttributes,
                                            DWORD flProtect, DWORD dwMaximumSizeHigh,
                                            DWORD dwMaximumSizeLow, LPCSTR lpName);
WINIPC_API HANDLE WINAPI CreateFileMappingW(HANDLE hFile, LPSECURITY_ATTRIBUTES lpAttributes,
                                            DWORD flProtect, DWORD dwMaximumSizeHigh,
                                            DWORD dwMaximumSizeLow, LPCWSTR lpName);
WINIPC_API HANDLE WINAPI OpenFileMappingA(DWORD dwDesiredAccess, BOOL bInheritHandle,
                                          LPCSTR lpName);
WINIPC_API HANDLE WINAPI OpenFileMappingW(DWORD dwDesiredAccess, BOOL bInheritHandle,
                                          LPCWSTR lpName);
WINIPC_API LPVOID WINAPI MapViewOfFile(HANDLE hFileMappingObject, DWORD dwDesiredAccess,
                                       DWORD dwFileOffsetHigh, DWORD dwFileOffsetLow,
                                       SIZE_T dwNumberOfBytesToMap);
WINIPC_API LPVOID WINAPI MapViewOfFileEx(HANDLE hFileMappingObject, DWORD dwDesiredAccess,
                                         DWORD dwFileOffsetHigh, DWORD dwFileOffsetLow,
                                         SIZE_T dwNumberOfBytesToMap, LPVOID lpBaseAddress);
WINIPC_API BOOL WINAPI UnmapViewOfFile(LPCVOID lpBaseAddress);
WINIPC_API BOOL WINAPI FlushViewOfFile(LPCVOID lpBaseAddress, SIZE_T dwNumberOfBytesToFlush);

/* Files. */
WINIPC_API HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                     LPSECURITY_ATTRIBUTES lpAttributes,
                                     DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                     HANDLE hTemplateFile);
WINIPC_API HANDLE WINAPI CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                     LPSECURITY_ATTRIBUTES lpAttributes,
                                     DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                     HANDLE hTemplateFile);
WINIPC_API BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                                LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped);
WINIPC_API BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                 LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped);
WINIPC_API DWORD WINAPI GetFileSize(HANDLE hFile, LPDWORD lpFileSizeHigh);
WINIPC_API BOOL WINAPI GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize);
WINIPC_API DWORD WINAPI SetFilePointer(HANDLE hFile, LONG lDistanceToMove,
                                       PLONG lpDistanceToMoveHigh, DWORD dwMoveMethod);
WINIPC_API BOOL WINAPI SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove,
                                        PLARGE_INTEGER lpNewFilePointer, DWORD dwMoveMethod);
WINIPC_API BOOL WINAPI SetEndOfFile(HANDLE hFile);
WINIPC_API BOOL WINAPI FlushFileBuffers(HANDLE hFile);
WINIPC_API BOOL WINAPI DeleteFileA(LPCSTR lpFileName);
WINIPC_API BOOL WINAPI DeleteFileW(LPCWSTR lpFileName);

/* Mutexes, events, semaphores. */
WINIPC_API HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES lpAttributes, BOOL bInitialOwner,
                                      LPCSTR lpName);
WINIPC_API HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES lpAttributes, BOOL bInitialOwner,
                                      LPCWSTR lpName);
WINIPC_API HANDLE WINAPI CreateMutexExA(LPSECURITY_ATTRIBUTES lpAttributes, LPCSTR lpName,
                                        DWORD dwFlags, DWORD dwDesiredAccess);
WINIPC_API HANDLE WINAPI CreateMutexExW(LPSECURITY_ATTRIBUTES lpAttributes, LPCWSTR lpName,
                                        DWORD dwFlags, DWORD dwDesiredAccess);
WINIPC_API HANDLE WINAPI OpenMutexA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName);
WINIPC_API HANDLE WINAPI OpenMutexW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName);
WINIPC_API BOOL WINAPI ReleaseMutex(HANDLE hMutex);

WINIPC_API HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCSTR lpName);
WINIPC_API HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCWSTR lpName);
WINIPC_API HANDLE WINAPI CreateEventExA(LPSECURITY_ATTRIBUTES lpAttributes, LPCSTR lpName,
                                        DWORD dwFlags, DWORD dwDesiredAccess);
WINIPC_API HANDLE WINAPI CreateEventExW(LPSECURITY_ATTRIBUTES lpAttributes, LPCWSTR lpName,
                                        DWORD dwFlags, DWORD dwDesiredAccess);
WINIPC_API HANDLE WINAPI OpenEventA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName);
WINIPC_API HANDLE WINAPI OpenEventW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName);
WINIPC_API BOOL WINAPI SetEvent(HANDLE hEvent);
WINIPC_API BOOL WINAPI ResetEvent(HANDLE hEvent);
WINIPC_API BOOL WINAPI PulseEvent(HANDLE hEvent);

WINIPC_API HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpAttributes, LONG lInitialCount,
                                          LONG lMaximumCount, LPCSTR lpName);
WINIPC_API HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES lpAttributes, LONG lInitialCount,
                                          LONG lMaximumCount, LPCWSTR lpName);
WINIPC_API HANDLE WINAPI CreateSemaphoreExA(LPSECURITY_ATTRIBUTES lpAttributes, LONG lInitialCount,
                                            LONG lMaximumCount, LPCSTR lpName, DWORD dwFlags,
                                            DWORD dwDesiredAccess);
WINIPC_API HANDLE WINAPI CreateSemaphoreExW(LPSECURITY_ATTRIBUTES lpAttributes, LONG lInitialCount,
                                            LONG lMaximumCount, LPCWSTR lpName, DWORD dwFlags,
                                            DWORD dwDesiredAccess);
WINIPC_API HANDLE WINAPI OpenSemaphoreA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName);
WINIPC_API HANDLE WINAPI OpenSemaphoreW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName);
WINIPC_API BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount,
                                        LPLONG lpPreviousCount);

/* Waitable timers. */
WINIPC_API HANDLE WINAPI CreateWaitableTimerA(LPSECURITY_ATTRIBUTES lpTimerAttributes,
                                              BOOL bManualReset, LPCSTR lpTimerName);
WINIPC_API HANDLE WINAPI CreateWaitableTimerW(LPSECURITY_ATTRIBUTES lpTimerAttributes,
                                              BOOL bManualReset, LPCWSTR lpTimerName);
WINIPC_API HANDLE WINAPI CreateWaitableTimerExA(LPSECURITY_ATTRIBUTES lpTimerAttributes,
                                                LPCSTR lpTimerName, DWORD dwFlags,
                                                DWORD dwDesiredAccess);
WINIPC_API HANDLE WINAPI CreateWaitableTimerExW(LPSECURITY_ATTRIBUTES lpTimerAttributes,
                                                LPCWSTR lpTimerName, DWORD dwFlags,
                                                DWORD dwDesiredAccess);
WINIPC_API HANDLE WINAPI OpenWaitableTimerA(DWORD dwDesiredAccess, BOOL bInheritHandle,
                                            LPCSTR lpTimerName);
WINIPC_API HANDLE WINAPI OpenWaitableTimerW(DWORD dwDesiredAccess, BOOL bInheritHandle,
                                            LPCWSTR lpTimerName);
WINIPC_API BOOL WINAPI SetWaitableTimer(HANDLE hTimer, const LARGE_INTEGER *lpDueTime, LONG lPeriod,
                                        PTIMERAPCROUTINE pfnCompletionRoutine,
                                        LPVOID lpArgToCompletionRoutine, BOOL fResume);
WINIPC_API BOOL WINAPI SetWaitableTimerEx(HANDLE hTimer, const LARGE_INTEGER *lpDueTime,
                                          LONG lPeriod, PTIMERAPCROUTINE pfnCompletionRoutine,
                                          LPVOID lpArgToCompletionRoutine,
                                          PREASON_CONTEXT WakeContext, ULONG TolerableDelay);
WINIPC_API BOOL WINAPI CancelWaitableTimer(HANDLE hTimer);

/* Waits. */
WINIPC_API DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds);
WINIPC_API DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds,
                                              BOOL bAlertable);
WINIPC_API DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                               DWORD dwMilliseconds);
WINIPC_API DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE *lpHandles,
                                                 BOOL bWaitAll, DWORD dwMilliseconds,
                                                 BOOL bAlertable);
WINIPC_API DWORD WINAPI SignalObjectAndWait(HANDLE hObjectToSignal, HANDLE hObjectToWaitOn,
                                            DWORD dwMilliseconds, BOOL bAlertable);

/* Processes and threads. */
WINIPC_API HANDLE WINAPI GetCurrentProcess(void);
WINIPC_API HANDLE WINAPI GetCurrentThread(void);
WINIPC_API DWORD WINAPI GetCurrentProcessId(void);
WINIPC_API DWORD WINAPI GetCurrentThreadId(void);
WINIPC_API HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpAttributes, SIZE_T dwStackSize,
                                      LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                                      DWORD dwCreationFlags, LPDWORD lpThreadId);
WINIPC_API void WINAPI ExitThread(DWORD dwExitCode);
WINIPC_API BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode);
WINIPC_API DWORD WINAPI ResumeThread(HANDLE hThread);
WINIPC_API DWORD WINAPI SuspendThread(HANDLE hThread);
WINIPC_API BOOL WINAPI TerminateThread(HANDLE hThread, DWORD dwExitCode);
WINIPC_API DWORD WINAPI GetThreadId(HANDLE Thread);
WINIPC_API BOOL WINAPI SwitchToThread(void);

/* Thread-local and fiber-local storage. */
WINIPC_API DWORD WINAPI TlsAlloc(void);
WINIPC_API LPVOID WINAPI TlsGetValue(DWORD dwTlsIndex);
WINIPC_API BOOL WINAPI TlsSetValue(DWORD dwTlsIndex, LPVOID lpTlsValue);
WINIPC_API BOOL WINAPI TlsFree(DWORD dwTlsIndex);
WINIPC_API DWORD WINAPI FlsAlloc(PFLS_CALLBACK_FUNCTION lpCallback);
WINIPC_API PVOID WINAPI FlsGetValue(DWORD dwFlsIndex);
WINIPC_API BOOL WINAPI FlsSetValue(DWORD dwFlsIndex, PVOID lpFlsData);
WINIPC_API BOOL WINAPI FlsFree(DWORD dwFlsIndex);

/* System information and time. */
WINIPC_API void WINAPI GetSystemInfo(LPSYSTEM_INFO lpSystemInfo);
WINIPC_API void WINAPI Sleep(DWORD dwMilliseconds);
WINIPC_API DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable);
WINIPC_API void WINAPI GetSystemTimeAsFileTime(LPFILETIME lpSystemTimeAsFileTime);
WINIPC_API DWORD WINAPI GetTickCount(void);
WINIPC_API ULONGLONG WINAPI GetTickCount64(void);
WINIPC_API BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *lpPerformanceCount);
WINIPC_API BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *lpFrequency);

/* ---- Memory and small helpers (winnt.h, minwindef.h) ---------------------------------- */
#define CopyMemory(dst, src, n) memcpy((dst), (src), (n))
#define MoveMemory(dst, src, n) memmove((dst), (src), (n))
#define FillMemory(dst, n, fill) memset((dst), (fill), (n))
#define ZeroMemory(dst, n) memset((dst), 0, (n))
#define RtlCopyMemory CopyMemory
#define RtlMoveMemory MoveMemory
#define RtlFillMemory FillMemory
#define RtlZeroMemory ZeroMemory
/* Not optimised away: a volatile write per byte, as the SDK's inline does. */
static inline PVOID SecureZeroMemory(PVOID p, SIZE_T n)
{
    volatile char *v = (volatile char *)p;

    while (n--)
        *v++ = 0;
    return p;
}
#define UNREFERENCED_PARAMETER(p) (void)(p)
#define ARRAYSIZE(a) (sizeof(a) / sizeof((a)[0]))
#ifndef _countof
#define _countof(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define MAKEWORD(lo, hi) \
    ((WORD)(((BYTE)((DWORD_PTR)(lo)&0xff)) | ((WORD)((BYTE)((DWORD_PTR)(hi)&0xff))) << 8))
#define MAKELONG(lo, hi) \
    ((LONG)(((WORD)((DWORD_PTR)(lo)&0xffff)) | ((DWORD)((WORD)((DWORD_PTR)(hi)&0xffff))) << 16))
#define LOWORD(l) ((WORD)((DWORD_PTR)(l)&0xffff))
#define HIWORD(l) ((WORD)((DWORD_PTR)(l) >> 16))
#define LOBYTE(w) ((BYTE)((DWORD_PTR)(w)&0xff))
#define HIBYTE(w) ((BYTE)((DWORD_PTR)(w) >> 8))
/*
 * min and max, as windef.h defines them (in C++ too), unless NOMINMAX. As with mingw-w64's
 * g++, a libstdc++ header included afterwards #undefs them (bits/c++config.h does), so
 * <windows.h> before <algorithm> or <string> compiles; std::min needs NOMINMAX or
 * (std::min)(a, b) when a standard header is included before <windows.h>, as with MSVC.
 */
#ifndef NOMINMAX
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif
#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#endif

/* ---- Code pages (stringapiset.h) ---------------------------------------------------- */
#define CP_ACP 0
#define CP_OEMCP 1
#define CP_THREAD_ACP 3
#define CP_UTF8 65001
#define MB_PRECOMPOSED 0x00000001
#define MB_ERR_INVALID_CHARS 0x00000008
#define WC_ERR_INVALID_CHARS 0x00000080
WINIPC_API int WINAPI MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCSTR lpMultiByteStr,
                                          int cbMultiByte, LPWSTR lpWideCharStr, int cchWideChar);
WINIPC_API int WINAPI WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWSTR lpWideCharStr,
                                          int cchWideChar, LPSTR lpMultiByteStr, int cbMultiByte,
                                          LPCSTR lpDefaultChar, LPBOOL lpUsedDefaultChar);

/* ---- Interlocked: full barriers, as the SDK's, on 32-bit LONG operands --------------- */
static inline LONG InterlockedIncrement(LONG volatile *p)
{
    return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedDecrement(LONG volatile *p)
{
    return __atomic_sub_fetch(p, 1, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedExchange(LONG volatile *p, LONG v)
{
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedExchangeAdd(LONG volatile *p, LONG v)
{
    return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedCompareExchange(LONG volatile *p, LONG exchange, LONG comparand)
{
    __atomic_compare_exchange_n(p, &comparand, exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return comparand;
}
static inline LONG64 InterlockedIncrement64(LONG64 volatile *p)
{
    return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedDecrement64(LONG64 volatile *p)
{
    return __atomic_sub_fetch(p, 1, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedExchange64(LONG64 volatile *p, LONG64 v)
{
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedExchangeAdd64(LONG64 volatile *p, LONG64 v)
{
    return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedCompareExchange64(LONG64 volatile *p, LONG64 exchange,
                                                  LONG64 comparand)
{
    __atomic_compare_exchange_n(p, &comparand, exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return comparand;
}
static inline PVOID InterlockedExchangePointer(PVOID volatile *p, PVOID v)
{
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}
static inline PVOID InterlockedCompareExchangePointer(PVOID volatile *p, PVOID exchange,
                                                      PVOID comparand)
{
    __atomic_compare_exchange_n(p, &comparand, exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return comparand;
}

/* ---- Generic names, selected by UNICODE ------------------------------------------- */
#ifdef UNICODE
#define CreateFileMapping CreateFileMappingW
#define OpenFileMapping OpenFileMappingW
#define CreateFile CreateFileW
#define DeleteFile DeleteFileW
#define CreateMutex CreateMutexW
#define CreateMutexEx CreateMutexExW
#define OpenMutex OpenMutexW
#define CreateEvent CreateEventW
#define CreateEventEx CreateEventExW
#define OpenEvent OpenEventW
#define CreateSemaphore CreateSemaphoreW
#define CreateSemaphoreEx CreateSemaphoreExW
#define OpenSemaphore OpenSemaphoreW
#define CreateWaitableTimer CreateWaitableTimerW
#define CreateWaitableTimerEx CreateWaitableTimerExW
#define OpenWaitableTimer OpenWaitableTimerW
#else
#define CreateFileMapping CreateFileMappingA
#define OpenFileMapping OpenFileMappingA
#define CreateFile CreateFileA
#define DeleteFile DeleteFileA
#define CreateMutex CreateMutexA
#define CreateMutexEx CreateMutexExA
#define OpenMutex OpenMutexA
#define CreateEvent CreateEventA
#define CreateEventEx CreateEventExA
#define OpenEvent OpenEventA
#define CreateSemaphore CreateSemaphoreA
#define CreateSemaphoreEx CreateSemaphoreExA
#define OpenSemaphore OpenSemaphoreA
#define CreateWaitableTimer CreateWaitableTimerA
#define CreateWaitableTimerEx CreateWaitableTimerExA
#define OpenWaitableTimer OpenWaitableTimerA
#endif

#ifdef __cplusplus
}
#endif

/* The SDK surface around the IPC calls: one header per area. */
#ifndef WINIPC_NO_MSVC_SPELLINGS /* winipc's own sources include Linux headers after this */
#include "winipc/msvc.h"
#endif
#include "winipc/sdk.h"
#include "winipc/crt_secure.h"
#include "winipc/message.h"
#include "winipc/memory.h"
#include "winipc/files.h"
#include "winipc/process.h"
#include "winipc/console.h"
#include "winipc/lp64.h"

#endif /* WINIPC_WIN32_H */
