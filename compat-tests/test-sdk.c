/*
 * test-sdk.c - the SDK surface that real Windows code compiles against around the IPC
 * calls: types and limits, pointer casts, NTSTATUS and HRESULT, compiler and SAL
 * spellings, lstr*, strsafe, intrinsics, the CRT's POSIX names, code-page flags,
 * LONG_MAX as a semaphore maximum, and (Linux) conio on pipes and terminals and the
 * MessageBox stand-in.
 */
#define WIN32_NO_STATUS /* the Windows idiom for using <ntstatus.h> with <windows.h> */
#include "helpers.h"
#undef WIN32_NO_STATUS

#include <conio.h>
#include <direct.h>
#include <intrin.h>
#include <io.h>
#include <limits.h>
#include <ntstatus.h>
#include <process.h>
#include <sal.h>
#include <stdio.h>
#include <string.h>
#define STRSAFE_NO_DEPRECATE /* keep lstrcpy and lstrcat usable, as on Windows */
#include <strsafe.h>
#include <tlhelp32.h>
#include <winternl.h>

#ifndef _WIN32
/* Linux headers after <windows.h>, as a ported program includes them: the SAL
   spellings must not rename their members (futex_waitv has a __reserved). */
#include <linux/futex.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>
#endif

static void test_types_and_limits(void)
{
#ifndef _WIN32
    CU_ASSERT_EQUAL(sizeof(struct futex_waitv), 24);
#endif
    int x = 0;
    HANDLE h;

    CU_ASSERT_EQUAL(sizeof(LONG), 4);
    CU_ASSERT_EQUAL(sizeof(DWORD), 4);
    CU_ASSERT_EQUAL(sizeof(ULONG_PTR), sizeof(void *));
    CU_ASSERT_EQUAL(sizeof(INT64), 8);
    CU_ASSERT_EQUAL(MAXLONG, 0x7fffffff);
    CU_ASSERT_EQUAL(MAXDWORD, 0xffffffffu);
    CU_ASSERT_EQUAL((LONG)MINLONG, -0x7fffffff - 1);
    CU_ASSERT_EQUAL(MAXBYTE, 255);
    CU_ASSERT_EQUAL(MAXWORD, 65535);
    CU_ASSERT_EQUAL(MAXULONG_PTR, (ULONG_PTR)-1);
    CU_ASSERT_EQUAL(MAXLONGLONG, 0x7fffffffffffffffLL);
    /* The handle and pointer casts of basetsd.h go through 32-bit Windows types. */
    h = ULongToHandle(0x1234u);
    CU_ASSERT_EQUAL(HandleToULong(h), 0x1234u);
    CU_ASSERT_EQUAL(HandleToLong(LongToHandle(-5)), -5);
    CU_ASSERT_PTR_EQUAL(IntToPtr(-1), (void *)(INT_PTR)-1);
    CU_ASSERT_EQUAL(PtrToUlong(UlongToPtr(0xdeadbeefu)), 0xdeadbeefu);
    CU_ASSERT_EQUAL(PtrToLong(&x) == (LONG)(LONG_PTR)&x, 1);
    /* Access masks. */
    CU_ASSERT_EQUAL(FILE_GENERIC_EXECUTE, 0x1200A0);
    CU_ASSERT_EQUAL(FILE_GENERIC_READ, 0x120089);
    CU_ASSERT_EQUAL(FILE_GENERIC_WRITE, 0x120116);
    CU_ASSERT_EQUAL(ACCESS_SYSTEM_SECURITY, 0x01000000);
    CU_ASSERT_EQUAL(PROCESS_QUERY_LIMITED_INFORMATION, 0x1000);
    CU_ASSERT_EQUAL(ERROR_PRIVILEGE_NOT_HELD, 1314);
    CU_ASSERT_EQUAL(ERROR_DIR_NOT_EMPTY, 145);
    CU_ASSERT_EQUAL(CP_UTF7, 65000);
    CU_ASSERT_EQUAL(CP_SYMBOL, 42);
    CU_ASSERT_EQUAL(MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), 0x400);
    CU_ASSERT_EQUAL(MB_YESNO | MB_ICONQUESTION, 0x24);
    CU_ASSERT_EQUAL(IDYES, 6);
}

static void test_status_and_hresult(void)
{
    CU_ASSERT_EQUAL((DWORD)STATUS_ACCESS_VIOLATION, 0xC0000005u);
    CU_ASSERT_EQUAL((DWORD)STATUS_INVALID_PARAMETER, 0xC000000Du);
    CU_ASSERT_EQUAL((DWORD)STATUS_OBJECT_NAME_NOT_FOUND, 0xC0000034u);
    CU_ASSERT_EQUAL((DWORD)STATUS_TIMEOUT, 0x102u);
    CU_ASSERT_EQUAL(STATUS_SUCCESS, 0);
    CU_ASSERT_TRUE(NT_SUCCESS(STATUS_SUCCESS));
    CU_ASSERT_FALSE(NT_SUCCESS(STATUS_ACCESS_DENIED));
    CU_ASSERT_EQUAL((DWORD)HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED), 0x80070005u);
    CU_ASSERT_EQUAL(HRESULT_FROM_WIN32(0), S_OK);
    CU_ASSERT_EQUAL(HRESULT_CODE(E_INVALIDARG), ERROR_INVALID_PARAMETER);
    CU_ASSERT_TRUE(SUCCEEDED(S_FALSE));
    CU_ASSERT_TRUE(FAILED(E_FAIL));
}

/* Compiler spellings, as MSVC code writes them (those mingw-w64's gcc knows too). */
__declspec(noinline) static int not_inlined(_In_ int a, _Out_writes_(n) char *out, _In_ int n)
{
    if (n > 0)
        out[0] = (char)a;
    return a + 1;
}
__forceinline int forced(int a)
{
    return a * 2;
}
__declspec(selectany) int winipc_test_selectany = 3;
_Success_(return != 0) _Check_return_ static BOOL annotated(_In_z_ LPCSTR s, _Out_opt_ DWORD *n)
{
    if (n)
        *n = (DWORD)strlen(s);
    return TRUE;
}
#ifndef __MINGW32__
/* mingw-w64's gcc has neither __declspec(thread) nor __declspec(align(n)); MSVC does. */
static __declspec(thread) int per_thread = 7;
typedef struct __declspec(align(32)) aligned_32 {
    int x;
} aligned_32;
#endif

static void test_compiler_spellings(void)
{
    char c = 0;
    unsigned __int64 big = 1ull << 40;
    __int32 small = -3;
    DWORD n = 0;
    int unused = 0, arr[7];

    CU_ASSERT_EQUAL(not_inlined(4, &c, 1), 5);
    CU_ASSERT_EQUAL(c, 4);
    CU_ASSERT_EQUAL(forced(21), 42);
    CU_ASSERT_EQUAL(winipc_test_selectany, 3);
    CU_ASSERT_TRUE(annotated("abc", &n) && n == 3);
    CU_ASSERT_EQUAL(sizeof big, 8);
    CU_ASSERT_EQUAL(small, -3);
    CU_ASSERT_EQUAL(_countof(arr), 7);
    UNREFERENCED_PARAMETER(unused);
#ifndef __MINGW32__
    CU_ASSERT_EQUAL(per_thread, 7);
    CU_ASSERT_EQUAL(_Alignof(aligned_32), 32);
#endif
}

static void test_lstr(void)
{
    char buf[16];
    WCHAR w[16];

    CU_ASSERT_EQUAL(lstrlenA("hello"), 5);
    CU_ASSERT_EQUAL(lstrlenA(NULL), 0);
    CU_ASSERT_EQUAL(lstrlenW(L"hi"), 2);
    CU_ASSERT_PTR_EQUAL(lstrcpyA(buf, "abc"), buf);
    CU_ASSERT_PTR_EQUAL(lstrcatA(buf, "def"), buf);
    CU_ASSERT_STRING_EQUAL(buf, "abcdef");
    /* lstrcpyn counts the terminator and always writes it. */
    CU_ASSERT_PTR_EQUAL(lstrcpynA(buf, "hello", 3), buf);
    CU_ASSERT_STRING_EQUAL(buf, "he");
    lstrcpynW(w, L"wide", 16);
    CU_ASSERT_EQUAL(lstrcmpW(w, L"wide"), 0);
    /* Linguistic order: by letter before case, lower case first, -1/0/1. */
    CU_ASSERT_EQUAL(lstrcmpA("abc", "abd"), -1);
    CU_ASSERT_EQUAL(lstrcmpA("abd", "abc"), 1);
    CU_ASSERT_EQUAL(lstrcmpA("a", "B"), -1); /* strcmp says 'B' < 'a' */
    CU_ASSERT_EQUAL(lstrcmpA("a", "A"), -1);
    CU_ASSERT_EQUAL(lstrcmpA("10", "9"), -1);
    CU_ASSERT_EQUAL(lstrcmpA("ab", "abc"), -1);
    CU_ASSERT_EQUAL(lstrcmpiA("HeLLo", "hello"), 0);
    CU_ASSERT_EQUAL(lstrcmpiA("apple", "Banana"), -1);
    CU_ASSERT_EQUAL(lstrcmpiW(L"ABC", L"abc"), 0);
}

/* lstrlen of memory that cannot be read is 0: Windows catches the access violation. */
static void test_lstrlen_bad_pointer(void)
{
    SYSTEM_INFO si;
    char *p, *end;
    DWORD old;

    GetSystemInfo(&si);
    p = VirtualAlloc(NULL, 2 * si.dwPageSize, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    end = p + si.dwPageSize; /* the second page */
    /* A string at the end of the first page, running into the second one. */
    memset(p, 'a', 2 * si.dwPageSize);
    end[10] = 0;
    CU_ASSERT_EQUAL(lstrlenA(end - 3), 13);
    CU_ASSERT_TRUE(VirtualProtect(end, si.dwPageSize, PAGE_NOACCESS, &old));
    CU_ASSERT_EQUAL(lstrlenA(end - 3), 0);
    CU_ASSERT_EQUAL(lstrlenA(end), 0);
    /* Wide, at an odd address: the last character straddles the two pages. */
    CU_ASSERT_EQUAL(lstrlenW((LPCWSTR)(end - 3 * sizeof(WCHAR) - 1)), 0);
    /* Terminated before the bad page: counted as usual. */
    memset(end - 1 - sizeof(WCHAR), 0, sizeof(WCHAR));
    CU_ASSERT_EQUAL(lstrlenW((LPCWSTR)(end - 1 - 3 * sizeof(WCHAR))), 2);
    CU_ASSERT_EQUAL(lstrlenA(p), (int)(si.dwPageSize - 1 - sizeof(WCHAR)));
    CU_ASSERT_TRUE(VirtualFree(p, 0, MEM_RELEASE));
}

static void test_strsafe(void)
{
    char buf[8];
    WCHAR w[8];
    size_t len = 99;

    CU_ASSERT_EQUAL(StringCchCopyA(buf, 8, "abc"), S_OK);
    CU_ASSERT_EQUAL(StringCchCatA(buf, 8, "de"), S_OK);
    CU_ASSERT_STRING_EQUAL(buf, "abcde");
    /* Cut to fit, always terminated. */
    CU_ASSERT_EQUAL(StringCchCatA(buf, 8, "fghij"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CU_ASSERT_STRING_EQUAL(buf, "abcdefg");
    CU_ASSERT_EQUAL(StringCchPrintfA(buf, 8, "%d-%d", 12, 34), S_OK);
    CU_ASSERT_STRING_EQUAL(buf, "12-34");
    CU_ASSERT_EQUAL(StringCchPrintfA(buf, 8, "%s", "0123456789"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CU_ASSERT_STRING_EQUAL(buf, "0123456");
    /* The W forms take Microsoft's format rules: %s is wide. */
    CU_ASSERT_EQUAL(StringCchPrintfW(w, 8, L"%s%d", L"ab", 5), S_OK);
    CU_ASSERT_EQUAL(wcscmp(w, L"ab5"), 0);
    CU_ASSERT_EQUAL(StringCbCopyW(w, sizeof w, L"0123456789"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(wcscmp(w, L"0123456"), 0);
    CU_ASSERT_EQUAL(StringCchLengthA("abc", 8, &len), S_OK);
    CU_ASSERT_EQUAL(len, 3);
    CU_ASSERT_EQUAL(StringCchLengthA("abcdef", 3, &len), STRSAFE_E_INVALID_PARAMETER);
    CU_ASSERT_EQUAL(StringCchCopyA(buf, 0, "x"), STRSAFE_E_INVALID_PARAMETER);
}

static unsigned __stdcall thread_proc(void *arg)
{
    return (unsigned)(uintptr_t)arg + 1;
}

static void test_intrinsics_and_crt_names(void)
{
    unsigned long index = 99;
    volatile LONG v = 6;
    char cwd[MAX_PATH];
    unsigned id = 0;
    uintptr_t t;
    DWORD code = 0;

    CU_ASSERT_TRUE(_BitScanForward(&index, 0x50) && index == 4);
    CU_ASSERT_TRUE(_BitScanReverse(&index, 0x50) && index == 6);
    CU_ASSERT_FALSE(_BitScanForward(&index, 0));
    CU_ASSERT_EQUAL(_InterlockedIncrement(&v), 7);
    CU_ASSERT_EQUAL(_InterlockedExchangeAdd(&v, 3), 7);
    _ReadWriteBarrier();
    MemoryBarrier();
    YieldProcessor();
    CU_ASSERT_EQUAL(v, 10);
    /* io.h, direct.h, process.h. */
    CU_ASSERT_EQUAL(_access(".", 0), 0);
    CU_ASSERT_PTR_NOT_NULL(_getcwd(cwd, sizeof cwd));
    CU_ASSERT_EQUAL((DWORD)_getpid(), GetCurrentProcessId());
    t = _beginthreadex(NULL, 0, thread_proc, (void *)41, 0, &id);
    CU_ASSERT_TRUE_FATAL(t != 0);
    CU_ASSERT_NOT_EQUAL(id, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject((HANDLE)t, 10000), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(GetExitCodeThread((HANDLE)t, &code));
    CU_ASSERT_EQUAL(code, 42);
    CU_ASSERT_TRUE(CloseHandle((HANDLE)t));
}

static void test_long_max_semaphore(void)
{
    HANDLE(WINAPI * create)(LPSECURITY_ATTRIBUTES, LONG, LONG, LPCSTR) = CreateSemaphoreA;
    HANDLE h;
    LONG prev = -1;

    /* LONG_MAX asks for the largest count: 2^31-1 on Windows, and with winipc. */
    h = CreateSemaphoreA(NULL, 0, LONG_MAX, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_TRUE(ReleaseSemaphore(h, 0x7ffffff0, &prev));
    CU_ASSERT_EQUAL(prev, 0);
    CU_ASSERT_TRUE(ReleaseSemaphore(h, 0xf, &prev));
    CHECK_FAIL(ReleaseSemaphore(h, 1, &prev), FALSE, ERROR_TOO_MANY_POSTS);
    CloseHandle(h);
    h = CreateSemaphore(NULL, 1, LONG_MAX, NULL); /* the generic name */
    CU_ASSERT_PTR_NOT_NULL(h);
    CloseHandle(h);
    h = CreateSemaphoreExA(NULL, 0, LONG_MAX, NULL, 0, SEMAPHORE_ALL_ACCESS);
    CU_ASSERT_PTR_NOT_NULL(h);
    CloseHandle(h);
    /* A 32-bit value converts as on Windows: 0xFFFFFFFF is -1 there too. */
    CHECK_FAIL(CreateSemaphoreA(NULL, 0, (DWORD)0xFFFFFFFF, NULL), NULL, ERROR_INVALID_PARAMETER);
    /* The name still is the function. */
    h = create(NULL, 0, 5, NULL);
    CU_ASSERT_PTR_NOT_NULL(h);
    CloseHandle(h);
}

static void test_code_page_flags(void)
{
    WCHAR w[8];

    /* UTF-7 and Symbol take no flags ("dwFlags must be set to 0"). */
    CHECK_FAIL(MultiByteToWideChar(CP_UTF7, MB_PRECOMPOSED, "a", 1, w, 8), 0, ERROR_INVALID_FLAGS);
    CHECK_FAIL(MultiByteToWideChar(CP_SYMBOL, MB_PRECOMPOSED, "a", 1, w, 8), 0,
               ERROR_INVALID_FLAGS);
    /* "For UTF-8 ... dwFlags must be set to either 0 or MB_ERR_INVALID_CHARS." */
    if (!skipped_on_wine("MultiByteToWideChar(CP_UTF8, MB_PRECOMPOSED): ERROR_INVALID_FLAGS"))
        CHECK_FAIL(MultiByteToWideChar(CP_UTF8, MB_PRECOMPOSED, "a", 1, w, 8), 0,
                   ERROR_INVALID_FLAGS);
    CU_ASSERT_EQUAL(MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, "a", 1, w, 8), 1);
    /* WideCharToMultiByte: UTF-7 takes no default character nor lpUsedDefaultChar, and
       says so before it looks at the flags; Symbol complains about the flags first. */
    {
        char narrow[8];
        BOOL used;

        CHECK_FAIL(WideCharToMultiByte(CP_UTF7, 1, L"a", 1, narrow, 8, NULL, &used), 0,
                   ERROR_INVALID_PARAMETER);
        CHECK_FAIL(WideCharToMultiByte(CP_UTF7, 1, L"a", 1, narrow, 8, "?", NULL), 0,
                   ERROR_INVALID_PARAMETER);
        CHECK_FAIL(WideCharToMultiByte(CP_UTF7, 1, L"a", 1, narrow, 8, NULL, NULL), 0,
                   ERROR_INVALID_FLAGS);
        CHECK_FAIL(WideCharToMultiByte(CP_SYMBOL, 1, L"a", 1, narrow, 8, NULL, &used), 0,
                   ERROR_INVALID_FLAGS);
        CHECK_FAIL(WideCharToMultiByte(CP_SYMBOL, 0, L"a", 1, narrow, 8, NULL, &used), 0,
                   ERROR_INVALID_PARAMETER);
    }
}

#ifndef _WIN32

/* Linux only: snapshots do not exist there; on Windows they do. */
static void test_toolhelp_stand_in(void)
{
    PROCESSENTRY32 pe = {.dwSize = sizeof pe};

    CHECK_FAIL(CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0), INVALID_HANDLE_VALUE,
               ERROR_CALL_NOT_IMPLEMENTED);
    CHECK_FAIL(Process32First(INVALID_HANDLE_VALUE, &pe), FALSE, ERROR_INVALID_HANDLE);
}

/*
 * Linux only (Windows shows a window): MessageBox writes to stderr and answers with
 * the default button.
 */
static void test_message_box(void)
{
    CU_ASSERT_EQUAL(MessageBoxA(NULL, "text", "caption", MB_OK), IDOK);
    CU_ASSERT_EQUAL(MessageBoxA(NULL, "Continue?", NULL, MB_YESNO | MB_ICONQUESTION), IDYES);
    CU_ASSERT_EQUAL(MessageBoxW(NULL, L"Continue?", L"w", MB_YESNO | MB_DEFBUTTON2), IDNO);
    CU_ASSERT_EQUAL(MessageBoxA(NULL, "x", "y", MB_ABORTRETRYIGNORE | MB_DEFBUTTON3), IDIGNORE);
}

/* Runs fn with stdin replaced by fd. */
static void with_stdin(int fd, void (*fn)(void))
{
    int saved = dup(0);

    dup2(fd, 0);
    fn();
    dup2(saved, 0);
    close(saved);
}

static void read_pipe_keys(void)
{
    CU_ASSERT_EQUAL(_kbhit(), 1);
    CU_ASSERT_EQUAL(_getch(), 'a');
    CU_ASSERT_EQUAL(_ungetch('z'), 'z');
    CU_ASSERT_EQUAL(_kbhit(), 1);
    CU_ASSERT_EQUAL(_getch(), 'z');
    CU_ASSERT_EQUAL(_getch(), '\n'); /* a pipe carries bytes as they are */
    CU_ASSERT_EQUAL(_kbhit(), 0);    /* at its end: no key, and EOF */
    CU_ASSERT_EQUAL(_getch(), EOF);
}

/* Linux only (Windows reads the console, not stdin): conio on a pipe. */
static void test_conio_pipe(void)
{
    int fds[2];

    CU_ASSERT_FATAL(pipe(fds) == 0);
    CU_ASSERT(write(fds[1], "a\n", 2) == 2);
    close(fds[1]);
    with_stdin(fds[0], read_pipe_keys);
    close(fds[0]);
}

static int pty_master = -1;

/* Whether the terminal is in canonical (cooked) mode, as seen from the master side. */
static bool canonical(void)
{
    struct termios t;

    return tcgetattr(pty_master, &t) == 0 && (t.c_lflag & ICANON);
}

static bool wait_canonical(bool want)
{
    for (int i = 0; i < 5000; i++) {
        if (canonical() == want)
            return true;
        Sleep(1);
    }
    return false;
}

static HANDLE key_taken; /* auto-reset: the reader has the last key typed */

/*
 * Types keys as a user would while _getch waits: each chunk (one key, or one key's
 * escape sequence) once the terminal is raw, then waits until the reader has it. A
 * chunk is typed even when the terminal never turns raw, so that the reader cannot
 * hang; the check then fails.
 */
static DWORD WINAPI type_keys(LPVOID arg)
{
    static const char *const keys[] = {"x", "\r", "\177", "\033[A", "\033[6~"};
    DWORD failures = 0;

    (void)arg;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        failures += !wait_canonical(false);
        if (write(pty_master, keys[i], strlen(keys[i])) != (ssize_t)strlen(keys[i]))
            failures++;
        failures += WaitForSingleObject(key_taken, 5000) != WAIT_OBJECT_0;
    }
    return failures;
}

/* _getch, then tells the typist (when `last` of its key) that the key arrived. */
static int take_key(bool last)
{
    int c = _getch();

    if (last)
        SetEvent(key_taken);
    return c;
}

static void read_tty_keys(void)
{
    struct termios before, after;
    struct pollfd p = {.fd = pty_master, .events = POLLIN};
    HANDLE typist;
    DWORD code = 99;

    tcgetattr(0, &before);
    key_taken = CreateEventA(NULL, FALSE, FALSE, NULL);
    typist = CreateThread(NULL, 0, type_keys, NULL, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(typist);
    CU_ASSERT_EQUAL(take_key(true), 'x');
    CU_ASSERT_EQUAL(take_key(true), '\r');  /* Enter, as the Windows console reports it */
    CU_ASSERT_EQUAL(take_key(true), 8);     /* Backspace */
    CU_ASSERT_EQUAL(take_key(false), 0xE0); /* up arrow: 0xE0, then its scan code */
    CU_ASSERT_EQUAL(take_key(true), 72);
    CU_ASSERT_EQUAL(take_key(false), 0xE0); /* page down */
    CU_ASSERT_EQUAL(take_key(true), 81);
    CU_ASSERT_EQUAL(WaitForSingleObject(typist, 10000), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(GetExitCodeThread(typist, &code) && code == 0);
    CloseHandle(typist);
    CloseHandle(key_taken);
    /* Nothing was echoed, and the terminal is as it was. */
    CU_ASSERT_EQUAL(poll(&p, 1, 50), 0);
    tcgetattr(0, &after);
    CU_ASSERT_EQUAL(after.c_lflag, before.c_lflag);
    CU_ASSERT_EQUAL(after.c_iflag, before.c_iflag);
    CU_ASSERT_TRUE(after.c_lflag & ECHO);
    CU_ASSERT_TRUE(after.c_lflag & ICANON);
    /* A key typed without Enter is there for _kbhit and _getch. */
    CU_ASSERT_EQUAL(_kbhit(), 0);
    CU_ASSERT(write(pty_master, "k", 1) == 1);
    Sleep(20);
    CU_ASSERT_EQUAL(_kbhit(), 1);
    CU_ASSERT_EQUAL(_getch(), 'k');
}

/* Linux only: conio on a terminal (a pseudo-terminal here). */
static void test_conio_terminal(void)
{
    int slave;
    char *name;

    pty_master = posix_openpt(O_RDWR | O_NOCTTY);
    CU_ASSERT_FATAL(pty_master >= 0 && grantpt(pty_master) == 0 && unlockpt(pty_master) == 0);
    name = ptsname(pty_master);
    slave = name ? open(name, O_RDWR | O_NOCTTY) : -1;
    CU_ASSERT_FATAL(slave >= 0);
    with_stdin(slave, read_tty_keys);
    close(slave);
    close(pty_master);
}

#endif

CU_TestInfo test_sdk_tests[] = {
    {"types, limits, casts and access masks of the SDK headers", test_types_and_limits},
    {"NTSTATUS (ntstatus.h, winternl.h) and HRESULT", test_status_and_hresult},
    {"__declspec, __forceinline, __int64 and SAL annotations", test_compiler_spellings},
    {"lstrlen, lstrcpyn, lstrcat, lstrcmp, lstrcmpi", test_lstr},
    {"lstrlen of unreadable memory is 0", test_lstrlen_bad_pointer},
    {"strsafe.h: StringCch and StringCb", test_strsafe},
    {"intrin.h, io.h, direct.h, process.h", test_intrinsics_and_crt_names},
    {"LONG_MAX as a semaphore maximum", test_long_max_semaphore},
    {"code-page flags: UTF-7, Symbol, UTF-8", test_code_page_flags},
#ifndef _WIN32
    {"Toolhelp32 snapshots fail cleanly (Linux)", test_toolhelp_stand_in},
    {"MessageBox on stderr, answered with the default button (Linux)", test_message_box},
    {"conio on a pipe: bytes, _ungetch, EOF (Linux)", test_conio_pipe},
    {"conio on a terminal: raw keys, no echo, terminal restored (Linux)", test_conio_terminal},
#endif
    CU_TEST_INFO_NULL,
};

const struct test_role test_sdk_roles[] = {{NULL, NULL}};
