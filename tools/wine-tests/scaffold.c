/*
 * scaffold.c - what winipc-wine.h declares: test plumbing, plainly implemented, and
 * stubs for the functions winipc does not have.
 *
 * The plumbing is not under test; it only lets a test prepare what it then checks
 * winipc's own functions against (a temporary file, a directory, a heap buffer).
 * Every stub records its name for the runner and fails as a missing function does.
 */
#define _GNU_SOURCE
#include "winipc-wine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

/* ---- Plumbing ----------------------------------------------------------------------- */

HANDLE WINAPI GetProcessHeap(void)
{
    return (HANDLE)(ULONG_PTR)0x10000;
}

LPVOID WINAPI HeapAlloc(HANDLE heap, DWORD flags, SIZE_T size)
{
    (void)heap;
    return flags & HEAP_ZERO_MEMORY ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
}

LPVOID WINAPI HeapReAlloc(HANDLE heap, DWORD flags, LPVOID p, SIZE_T size)
{
    (void)heap, (void)flags;
    return realloc(p, size ? size : 1);
}

BOOL WINAPI HeapFree(HANDLE heap, DWORD flags, LPVOID p)
{
    (void)heap, (void)flags;
    free(p);
    return TRUE;
}

/* Whether the page of p is mapped: lstrlenA catches the fault of a bad pointer. */
static bool mapped(const void *p)
{
    uintptr_t page = (uintptr_t)p & ~(uintptr_t)(sysconf(_SC_PAGESIZE) - 1);

    return p && msync((void *)page, 1, MS_ASYNC) == 0;
}

int WINAPI lstrlenA(LPCSTR s)
{
    return mapped(s) ? (int)strlen(s) : 0;
}

int WINAPI lstrlenW(LPCWSTR s)
{
    return s ? (int)wcslen(s) : 0;
}

int WINAPI lstrcmpA(LPCSTR a, LPCSTR b)
{
    int r = strcmp(a ? a : "", b ? b : "");
    return r < 0 ? -1 : r > 0;
}

int WINAPI lstrcmpW(LPCWSTR a, LPCWSTR b)
{
    int r = wcscmp(a ? a : L"", b ? b : L"");
    return r < 0 ? -1 : r > 0;
}

int WINAPI lstrcmpiA(LPCSTR a, LPCSTR b)
{
    int r = strcasecmp(a ? a : "", b ? b : "");
    return r < 0 ? -1 : r > 0;
}

LPSTR WINAPI lstrcpyA(LPSTR d, LPCSTR s)
{
    return strcpy(d, s);
}

LPWSTR WINAPI lstrcpyW(LPWSTR d, LPCWSTR s)
{
    return wcscpy(d, s);
}

LPSTR WINAPI lstrcatA(LPSTR d, LPCSTR s)
{
    return strcat(d, s);
}

LPWSTR WINAPI lstrcatW(LPWSTR d, LPCWSTR s)
{
    return wcscat(d, s);
}

static char *utf8(LPCWSTR w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s = n > 0 ? malloc((size_t)n) : NULL;

    if (s)
        WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
    return s;
}

static DWORD to_wide(const char *s, LPWSTR buf, DWORD n)
{
    int need = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);

    if ((DWORD)need > n)
        return (DWORD)need;
    MultiByteToWideChar(CP_UTF8, 0, s, -1, buf, (int)n);
    return (DWORD)need - 1;
}

/* The temporary directory, with Windows' trailing separator. */
DWORD WINAPI GetTempPathA(DWORD n, LPSTR buf)
{
    const char *t = getenv("WINETEST_TMPDIR");
    char path[512];
    size_t len;

    snprintf(path, sizeof path, "%s/", t && *t ? t : "/tmp");
    len = strlen(path);
    if (len + 1 > n)
        return (DWORD)len + 1;
    memcpy(buf, path, len + 1);
    return (DWORD)len;
}

DWORD WINAPI GetTempPathW(DWORD n, LPWSTR buf)
{
    char path[512];

    GetTempPathA(sizeof path, path);
    return to_wide(path, buf, n);
}

UINT WINAPI GetTempFileNameA(LPCSTR dir, LPCSTR prefix, UINT unique, LPSTR out)
{
    static unsigned counter;
    const char *sep =
        dir[0] && dir[strlen(dir) - 1] != '/' && dir[strlen(dir) - 1] != '\\' ? "/" : "";

    for (int tries = 0; tries < 1000; tries++) {
        UINT u = unique ? unique : (((unsigned)getpid() << 8) + ++counter) & 0xFFFF;
        int fd;

        snprintf(out, MAX_PATH, "%s%s%.3s%X.tmp", dir, sep, prefix, u);
        if (unique)
            return u;
        fd = open(out, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
        if (fd >= 0) {
            close(fd);
            return u;
        }
    }
    SetLastError(ERROR_FILE_EXISTS);
    return 0;
}

UINT WINAPI GetTempFileNameW(LPCWSTR dir, LPCWSTR prefix, UINT unique, LPWSTR out)
{
    char *d = utf8(dir), *p = utf8(prefix), path[MAX_PATH];
    UINT r = d && p ? GetTempFileNameA(d, p, unique, path) : 0;

    if (r)
        to_wide(path, out, MAX_PATH);
    free(d);
    free(p);
    return r;
}

static BOOL errno_fail(void)
{
    SetLastError(errno == ENOENT      ? ERROR_PATH_NOT_FOUND
                 : errno == EEXIST    ? ERROR_ALREADY_EXISTS
                 : errno == ENOTDIR   ? ERROR_DIRECTORY
                 : errno == ENOTEMPTY ? ERROR_DIR_NOT_EMPTY
                                      : ERROR_ACCESS_DENIED);
    return FALSE;
}

BOOL WINAPI CreateDirectoryA(LPCSTR path, LPSECURITY_ATTRIBUTES sa)
{
    (void)sa;
    return mkdir(path, 0777) == 0 ? TRUE : errno_fail();
}

BOOL WINAPI CreateDirectoryW(LPCWSTR path, LPSECURITY_ATTRIBUTES sa)
{
    char *p = utf8(path);
    BOOL r = p ? CreateDirectoryA(p, sa) : FALSE;

    free(p);
    return r;
}

BOOL WINAPI RemoveDirectoryA(LPCSTR path)
{
    return rmdir(path) == 0 ? TRUE : errno_fail();
}

BOOL WINAPI RemoveDirectoryW(LPCWSTR path)
{
    char *p = utf8(path);
    BOOL r = p ? RemoveDirectoryA(p) : FALSE;

    free(p);
    return r;
}

DWORD WINAPI GetCurrentDirectoryA(DWORD n, LPSTR buf)
{
    char path[4096];

    if (!getcwd(path, sizeof path))
        return 0;
    if (strlen(path) + 1 > n)
        return (DWORD)strlen(path) + 1;
    strcpy(buf, path);
    return (DWORD)strlen(path);
}

DWORD WINAPI GetCurrentDirectoryW(DWORD n, LPWSTR buf)
{
    char path[4096];

    if (!getcwd(path, sizeof path))
        return 0;
    return to_wide(path, buf, n);
}

BOOL WINAPI SetCurrentDirectoryA(LPCSTR path)
{
    return chdir(path) == 0 ? TRUE : errno_fail();
}

BOOL WINAPI SetCurrentDirectoryW(LPCWSTR path)
{
    char *p = utf8(path);
    BOOL r = p ? SetCurrentDirectoryA(p) : FALSE;

    free(p);
    return r;
}

BOOL WINAPI SetFileAttributesA(LPCSTR path, DWORD attributes)
{
    struct stat st;

    if (stat(path, &st) == -1)
        return errno_fail();
    st.st_mode =
        (attributes & FILE_ATTRIBUTE_READONLY) ? (st.st_mode & ~0222u) : (st.st_mode | 0200);
    return chmod(path, st.st_mode & 07777) == 0 ? TRUE : errno_fail();
}

BOOL WINAPI SetFileAttributesW(LPCWSTR path, DWORD attributes)
{
    char *p = utf8(path);
    BOOL r = p ? SetFileAttributesA(p, attributes) : FALSE;

    free(p);
    return r;
}

DWORD WINAPI GetFileAttributesA(LPCSTR path)
{
    struct stat st;

    if (stat(path, &st) == -1) {
        errno_fail();
        return INVALID_FILE_ATTRIBUTES;
    }
    if (S_ISDIR(st.st_mode))
        return FILE_ATTRIBUTE_DIRECTORY;
    return (st.st_mode & 0200) ? FILE_ATTRIBUTE_ARCHIVE : FILE_ATTRIBUTE_READONLY;
}

BOOL WINAPI CopyFileA(LPCSTR from, LPCSTR to, BOOL fail_if_exists)
{
    char buf[65536];
    int in = open(from, O_RDONLY | O_CLOEXEC), out;
    ssize_t n;

    if (in == -1)
        return errno_fail();
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | (fail_if_exists ? O_EXCL : 0), 0666);
    if (out == -1) {
        close(in);
        return errno_fail();
    }
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            break;
    close(in);
    close(out);
    return n == 0;
}

UINT WINAPI GetSystemDirectoryA(LPSTR buf, UINT n)
{
    return (UINT)GetTempPathA(n, buf);
}

UINT WINAPI GetWindowsDirectoryA(LPSTR buf, UINT n)
{
    return (UINT)GetTempPathA(n, buf);
}

/* winipc's ANSI code page is UTF-8. */
UINT WINAPI GetACP(void)
{
    return CP_UTF8;
}

BOOL WINAPI IsValidCodePage(UINT cp)
{
    return cp == CP_UTF8;
}

HMODULE WINAPI GetModuleHandleA(LPCSTR name)
{
    (void)name;
    return NULL;
}

void *WINAPI GetProcAddress(HMODULE module, LPCSTR name)
{
    (void)module, (void)name;
    SetLastError(ERROR_CALL_NOT_IMPLEMENTED);
    return NULL;
}

void winetest_file_setup(char *filename)
{
    char dir[MAX_PATH];

    GetTempPathA(MAX_PATH, dir);
    GetTempFileNameA(dir, "tmp", 0, filename);
    unlink(filename);
}

/* ---- Stubs ------------------------------------------------------------------------- */

#define STUB(value)                               \
    do {                                          \
        winetest_stub_called(__func__);           \
        SetLastError(ERROR_CALL_NOT_IMPLEMENTED); \
        return value;                             \
    } while (0)
#define NT_STUB()                       \
    do {                                \
        winetest_stub_called(__func__); \
        return STATUS_NOT_IMPLEMENTED;  \
    } while (0)

SIZE_T WINAPI VirtualQuery(LPCVOID addr, PMEMORY_BASIC_INFORMATION info, SIZE_T len)
{
    (void)addr, (void)len;
    if (info)
        memset(info, 0, sizeof *info);
    STUB(0);
}

LPVOID WINAPI VirtualAlloc(LPVOID addr, SIZE_T size, DWORD type, DWORD protect)
{
    (void)addr, (void)size, (void)type, (void)protect;
    STUB(NULL);
}

BOOL WINAPI VirtualFree(LPVOID addr, SIZE_T size, DWORD type)
{
    (void)addr, (void)size, (void)type;
    STUB(FALSE);
}

BOOL WINAPI VirtualProtect(LPVOID addr, SIZE_T size, DWORD protect, PDWORD old)
{
    (void)addr, (void)size, (void)protect;
    if (old)
        *old = 0;
    STUB(FALSE);
}

BOOL WINAPI IsBadReadPtr(LPCVOID p, UINT_PTR n)
{
    (void)p, (void)n;
    STUB(FALSE);
}

BOOL WINAPI IsBadWritePtr(LPVOID p, UINT_PTR n)
{
    (void)p, (void)n;
    STUB(FALSE);
}

DWORD WINAPI QueueUserAPC(PAPCFUNC fn, HANDLE thread, ULONG_PTR data)
{
    (void)fn, (void)thread, (void)data;
    STUB(0);
}

BOOL WINAPI GetHandleInformation(HANDLE h, LPDWORD flags)
{
    (void)h;
    if (flags)
        *flags = 0;
    STUB(FALSE);
}

BOOL WINAPI SetHandleInformation(HANDLE h, DWORD mask, DWORD flags)
{
    (void)h, (void)mask, (void)flags;
    STUB(FALSE);
}

BOOL WINAPI GetFileInformationByHandle(HANDLE h, LPBY_HANDLE_FILE_INFORMATION info)
{
    (void)h;
    if (info)
        memset(info, 0, sizeof *info);
    STUB(FALSE);
}

BOOL WINAPI InitializeAcl(PACL acl, DWORD size, DWORD revision)
{
    (void)acl, (void)size, (void)revision;
    STUB(FALSE);
}

BOOL WINAPI GetCPInfoExA(UINT cp, DWORD flags, CPINFOEXA *info)
{
    (void)cp, (void)flags, (void)info;
    STUB(FALSE);
}

NTSTATUS WINAPI NtWaitForSingleObject(HANDLE h, BOOLEAN alertable, const LARGE_INTEGER *timeout)
{
    (void)h, (void)alertable, (void)timeout;
    NT_STUB();
}

NTSTATUS WINAPI NtWaitForMultipleObjects(ULONG n, const HANDLE *h, BOOLEAN wait_any,
                                         BOOLEAN alertable, const LARGE_INTEGER *timeout)
{
    (void)n, (void)h, (void)wait_any, (void)alertable, (void)timeout;
    NT_STUB();
}

NTSTATUS WINAPI NtCreateSection(HANDLE *h, ACCESS_MASK access, const OBJECT_ATTRIBUTES *attr,
                                const LARGE_INTEGER *size, ULONG protect, ULONG attributes,
                                HANDLE file)
{
    (void)access, (void)attr, (void)size, (void)protect, (void)attributes, (void)file;
    if (h)
        *h = NULL;
    NT_STUB();
}

NTSTATUS WINAPI NtMapViewOfSection(HANDLE section, HANDLE process, PVOID *addr, ULONG_PTR zero_bits,
                                   SIZE_T commit, const LARGE_INTEGER *offset, SIZE_T *size,
                                   ULONG inherit, ULONG type, ULONG protect)
{
    (void)section, (void)process, (void)addr, (void)zero_bits, (void)commit, (void)offset;
    (void)size, (void)inherit, (void)type, (void)protect;
    NT_STUB();
}

DWORD WINAPI NtUnmapViewOfSection(HANDLE process, PVOID addr)
{
    (void)process, (void)addr;
    NT_STUB();
}

NTSTATUS WINAPI NtQuerySection(HANDLE section, SECTION_INFORMATION_CLASS cls, void *info,
                               SIZE_T len, SIZE_T *ret_len)
{
    size_t size = cls == SectionBasicInformation ? sizeof(SECTION_BASIC_INFORMATION)
                                                 : sizeof(SECTION_IMAGE_INFORMATION);

    (void)section;
    if (info && len >= size) /* the same answer every run */
        memset(info, 0, size);
    if (ret_len)
        *ret_len = 0;
    NT_STUB();
}
