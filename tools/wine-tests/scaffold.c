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

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

/* ---- Plumbing ----------------------------------------------------------------------- */

/* The temporary directory stands for both, without the trailing separator (as Windows). */
UINT WINAPI GetSystemDirectoryA(LPSTR buf, UINT n)
{
    char path[MAX_PATH];
    DWORD len = GetTempPathA(sizeof path, path);

    if (len == 0 || len >= sizeof path)
        return 0;
    if (len > 1)
        path[--len] = 0;
    if (len + 1 > n)
        return len + 1;
    memcpy(buf, path, len + 1);
    return len;
}

UINT WINAPI GetWindowsDirectoryA(LPSTR buf, UINT n)
{
    return GetSystemDirectoryA(buf, n);
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

/*
 * What the tests look up at run time (pFoo = GetProcAddress(kernel32, "Foo")): winipc's
 * function of that name, else the scaffold's stub (the test program is linked with
 * -rdynamic), else NULL, which the tests take as "not on this version of Windows".
 */
void *WINAPI GetProcAddress(HMODULE module, LPCSTR name)
{
    void *fn;

    (void)module;
    fn = dlsym(RTLD_DEFAULT, name);
    if (!fn)
        SetLastError(127); /* ERROR_PROC_NOT_FOUND */
    return fn;
}

/* The absolute path of name; *file_part at its last component. */
DWORD WINAPI GetFullPathNameA(LPCSTR name, DWORD n, LPSTR buf, LPSTR *file_part)
{
    char path[4096] = "";
    size_t len;
    char *last;

    if (name[0] != '/' && name[0] != '\\') {
        if (!getcwd(path, sizeof path - 1))
            return 0;
        strcat(path, "/");
    }
    strncat(path, name, sizeof path - strlen(path) - 1);
    len = strlen(path);
    if (len + 1 > n)
        return (DWORD)len + 1;
    memcpy(buf, path, len + 1);
    last = strrchr(buf, '/');
    if (file_part)
        *file_part = last ? last + 1 : buf;
    return (DWORD)len;
}

/*
 * A plain reader of .ini files ("[section]" lines, then "key=value" lines): the
 * value of key in section, else def; the length copied.
 */
DWORD WINAPI GetPrivateProfileStringA(LPCSTR section, LPCSTR key, LPCSTR def, LPSTR buf, DWORD n,
                                      LPCSTR file)
{
    static char line[65536];
    const char *value = def ? def : "";
    bool in_section = false;
    FILE *f = fopen(file, "r");
    size_t len;

    while (f && fgets(line, sizeof line, f)) {
        char *eq;

        line[strcspn(line, "\r\n")] = 0;
        if (line[0] == '[') {
            char *end = strchr(line, ']');

            in_section = end && (size_t)(end - line - 1) == strlen(section) &&
                         strncasecmp(line + 1, section, strlen(section)) == 0;
        } else if (in_section && (eq = strchr(line, '=')) != NULL) {
            *eq = 0;
            if (strcasecmp(line, key) == 0) {
                value = eq + 1;
                break;
            }
        }
    }
    if (f)
        fclose(f);
    if (n == 0)
        return 0;
    len = strlen(value) < n - 1 ? strlen(value) : n - 1;
    memmove(buf, value, len);
    buf[len] = 0;
    return (DWORD)len;
}

UINT WINAPI GetPrivateProfileIntA(LPCSTR section, LPCSTR key, INT def, LPCSTR file)
{
    char buf[64];

    if (!GetPrivateProfileStringA(section, key, "", buf, sizeof buf, file))
        return (UINT)def;
    return (UINT)strtoul(buf, NULL, 10);
}

/* Only the tests' "reload the file" call: nothing is cached here. */
BOOL WINAPI WritePrivateProfileStringA(LPCSTR section, LPCSTR key, LPCSTR value, LPCSTR file)
{
    (void)section, (void)key, (void)value, (void)file;
    return TRUE;
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

NTSTATUS WINAPI NtProtectVirtualMemory(HANDLE process, PVOID *addr, SIZE_T *size, ULONG protect,
                                       ULONG *old)
{
    (void)process, (void)addr, (void)size, (void)protect, (void)old;
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

HANDLE WINAPI CreateRemoteThread(HANDLE process, LPSECURITY_ATTRIBUTES sa, SIZE_T stack,
                                 LPTHREAD_START_ROUTINE start, LPVOID param, DWORD flags,
                                 LPDWORD tid)
{
    (void)process, (void)sa, (void)stack, (void)start, (void)param, (void)flags, (void)tid;
    STUB(NULL);
}

BOOL WINAPI GetConsoleScreenBufferInfo(HANDLE h, CONSOLE_SCREEN_BUFFER_INFO *info)
{
    (void)h;
    memset(info, 0, sizeof *info);
    STUB(FALSE);
}

BOOL WINAPI SetConsoleCursorPosition(HANDLE h, COORD pos)
{
    (void)h, (void)pos;
    STUB(FALSE);
}

/* No TEB: an empty one, so that what the tests read from it reads as nothing. */
TEB *WINAPI NtCurrentTeb(void)
{
    static RTL_USER_PROCESS_PARAMETERS params;
    static PEB peb = {&params};
    static TEB teb = {&peb};

    winetest_stub_called(__func__);
    return &teb;
}
