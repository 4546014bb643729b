/*
 * porting/tool.c - a small Windows console tool around a file-backed mapping, written
 * the way real Windows code is: its own main next to <TChar.h>, the secure CRT,
 * strsafe, FormatMessage for errors, __declspec and SAL annotations, #ifdef _WIN32
 * branches, LONG_MAX as "the largest count", temporary files, directories and
 * attributes, VirtualAlloc and VirtualQuery, heaps.
 *
 * Built unchanged on Linux with -D_WIN32 -DWIN32 -D_CONSOLE (and -DUNICODE -D_UNICODE),
 * and with mingw-w64; it prints the same on both (paths and system error texts go to
 * stderr, which the comparison leaves out).
 */
#ifdef _WIN32
#include <Windows.h>
#include <TChar.h>
#include <strsafe.h>
#include <io.h>
#define PATH_SEP TEXT("\\")
#else
#error "this is Windows code: build it with _WIN32 defined"
#endif
#include <limits.h>
#include <stdio.h>
#include <string.h>

#define TOOL_VERSION 3

/* Reports a failed call on stderr with the system's text, and returns its code. */
__declspec(noinline) static DWORD ReportError(_In_z_ LPCTSTR lpszWhat)
{
    DWORD dw = GetLastError();
    LPTSTR lpMsgBuf = NULL;

    if (FormatMessage(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                          FORMAT_MESSAGE_IGNORE_INSERTS,
                      NULL, dw, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPTSTR)&lpMsgBuf, 0,
                      NULL)) {
        _ftprintf(stderr, TEXT("%s: error %u: %s"), lpszWhat, (unsigned)dw, lpMsgBuf);
        LocalFree(lpMsgBuf);
    }
    return dw;
}

/* A step's outcome, one line each. */
static void Step(_In_z_ LPCTSTR lpszName, _In_ BOOL bOk)
{
    _tprintf(TEXT("%-28s %s\n"), lpszName, bOk ? TEXT("ok") : TEXT("FAILED"));
}

_Success_(return != FALSE) static BOOL
    Describe(_In_ LPCVOID lpAddress, _Out_writes_(cchOut) LPTSTR lpszOut, _In_ size_t cchOut)
{
    MEMORY_BASIC_INFORMATION mbi;

    if (VirtualQuery(lpAddress, &mbi, sizeof(mbi)) != sizeof(mbi))
        return FALSE;
    StringCchPrintf(lpszOut, cchOut, TEXT("%s/%s/%s"),
                    mbi.State == MEM_COMMIT    ? TEXT("commit")
                    : mbi.State == MEM_RESERVE ? TEXT("reserve")
                                               : TEXT("free"),
                    mbi.Type == MEM_MAPPED    ? TEXT("mapped")
                    : mbi.Type == MEM_PRIVATE ? TEXT("private")
                                              : TEXT("image"),
                    mbi.Protect == PAGE_READWRITE  ? TEXT("rw")
                    : mbi.Protect == PAGE_READONLY ? TEXT("ro")
                                                   : TEXT("other"));
    return TRUE;
}

int main(int argc, char *argv[])
{
    TCHAR szTemp[MAX_PATH], szFile[MAX_PATH], szCopy[MAX_PATH], szDir[MAX_PATH];
    TCHAR szBuf[64], szText[128];
    HANDLE hFile, hMap, hSem, hHeap;
    LPTSTR pView;
    LPVOID pMem;
    DWORD dwRead = 0, dwErr;
    errno_t err;
    char *pHeap;
    int n;

    UNREFERENCED_PARAMETER(argc);
    UNREFERENCED_PARAMETER(argv);
    _tprintf(TEXT("tool version %d\n"), TOOL_VERSION);

    /* The secure CRT. */
    err = _tcscpy_s(szBuf, _countof(szBuf), TEXT("shared"));
    err |= _tcscat_s(szBuf, _countof(szBuf), TEXT(" memory"));
    Step(TEXT("_tcscpy_s/_tcscat_s"), err == 0 && _tcscmp(szBuf, TEXT("shared memory")) == 0);
    err = _tcsncpy_s(szBuf, 8, TEXT("truncated text"), _TRUNCATE);
    Step(TEXT("_tcsncpy_s(_TRUNCATE)"), err == STRUNCATE && _tcslen(szBuf) == 7);
    n = _stprintf_s(szBuf, _countof(szBuf), TEXT("%s=%d"), TEXT("answer"), 42);
    _tprintf(TEXT("_stprintf_s: \"%s\" (%d)\n"), szBuf, n);

    /* strsafe. */
    Step(TEXT("StringCchCopy truncates"),
         StringCchCopy(szBuf, 4, TEXT("abcdef")) == STRSAFE_E_INSUFFICIENT_BUFFER &&
             _tcscmp(szBuf, TEXT("abc")) == 0);

    /* A failing call, reported the Windows way: the code on stdout, the text on stderr. */
    SetLastError(0);
    if (OpenFileMapping(FILE_MAP_READ, FALSE, TEXT("winipc_porting_no_such_mapping")) == NULL) {
        dwErr = ReportError(TEXT("OpenFileMapping"));
        _tprintf(TEXT("OpenFileMapping of a missing name: error %u\n"), (unsigned)dwErr);
    }
    /* A message with inserts. */
    {
        DWORD_PTR args[] = {(DWORD_PTR)TEXT("tool"), 3, 7};

        FormatMessage(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY,
                      TEXT("%1 saw %2!d! of %3!d! items.%n"), 0, 0, szText, _countof(szText),
                      (va_list *)args);
        _tprintf(TEXT("%s"), szText);
    }

    /* "The largest count" spelled LONG_MAX. */
    hSem = CreateSemaphore(NULL, 0, LONG_MAX, NULL);
    Step(TEXT("CreateSemaphore(LONG_MAX)"), hSem != NULL);
    if (hSem)
        CloseHandle(hSem);

    /* A file-backed mapping in a temporary file, then copy, move, attributes. */
    if (!GetTempPath(MAX_PATH, szTemp) || !GetTempFileName(szTemp, TEXT("wpt"), 0, szFile)) {
        ReportError(TEXT("GetTempFileName"));
        return 1;
    }
    _ftprintf(stderr, TEXT("temporary file: %s\n"), szFile);
    hFile = CreateFile(szFile, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                       FILE_ATTRIBUTE_NORMAL, NULL);
    if (hFile == INVALID_HANDLE_VALUE)
        return (int)ReportError(TEXT("CreateFile"));
    hMap = CreateFileMapping(hFile, NULL, PAGE_READWRITE, 0, 4096, NULL);
    pView = hMap ? (LPTSTR)MapViewOfFile(hMap, FILE_MAP_WRITE, 0, 0, 0) : NULL;
    if (pView == NULL)
        return (int)ReportError(TEXT("MapViewOfFile"));
    StringCchCopy(pView, 2048 / sizeof(TCHAR), TEXT("written through a view"));
    Step(TEXT("VirtualQuery of the view"),
         Describe(pView, szBuf, _countof(szBuf)) && _tcscmp(szBuf, TEXT("commit/mapped/rw")) == 0);
    FlushViewOfFile(pView, 0);
    UnmapViewOfFile(pView);
    CloseHandle(hMap);
    CloseHandle(hFile);

    StringCchPrintf(szCopy, MAX_PATH, TEXT("%s.bak"), szFile);
    Step(TEXT("CopyFile"), CopyFile(szFile, szCopy, TRUE));
    SetLastError(0);
    Step(TEXT("CopyFile refuses to replace"),
         !CopyFile(szFile, szCopy, TRUE) && GetLastError() == ERROR_FILE_EXISTS);
    StringCchPrintf(szDir, MAX_PATH, TEXT("%swinipc_porting_dir_%u"), szTemp,
                    (unsigned)GetCurrentProcessId());
    Step(TEXT("CreateDirectory"), CreateDirectory(szDir, NULL));
    StringCchCat(szDir, MAX_PATH, PATH_SEP TEXT("moved.txt"));
    Step(TEXT("MoveFileEx into it"), MoveFileEx(szCopy, szDir, MOVEFILE_COPY_ALLOWED));
    Step(TEXT("SetFileAttributes(READONLY)"),
         SetFileAttributes(szDir, FILE_ATTRIBUTE_READONLY) &&
             (GetFileAttributes(szDir) & FILE_ATTRIBUTE_READONLY));
    SetFileAttributes(szDir, FILE_ATTRIBUTE_NORMAL);
    hFile = CreateFile(szDir, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (hFile != INVALID_HANDLE_VALUE) {
        ReadFile(hFile, szText, sizeof(szText) - sizeof(TCHAR), &dwRead, NULL);
        CloseHandle(hFile);
    }
    szText[dwRead / sizeof(TCHAR)] = 0;
    _tprintf(TEXT("the copy says \"%s\"\n"), szText);
    DeleteFile(szDir);
    *_tcsrchr(szDir, TEXT('\\')) = 0;
    Step(TEXT("RemoveDirectory"), RemoveDirectory(szDir));
    Step(TEXT("DeleteFile"), DeleteFile(szFile));
    SetLastError(0);
    Step(TEXT("GetFileAttributes of it"), GetFileAttributes(szFile) == INVALID_FILE_ATTRIBUTES &&
                                              GetLastError() == ERROR_FILE_NOT_FOUND);

    /* Memory. */
    pMem = VirtualAlloc(NULL, 1 << 20, MEM_RESERVE, PAGE_NOACCESS);
    Step(TEXT("VirtualAlloc(MEM_RESERVE)"), pMem != NULL && Describe(pMem, szBuf, 64) &&
                                                _tcscmp(szBuf, TEXT("reserve/private/other")) == 0);
    Step(TEXT("VirtualAlloc(MEM_COMMIT)"),
         VirtualAlloc(pMem, 4096, MEM_COMMIT, PAGE_READWRITE) == pMem &&
             Describe(pMem, szBuf, 64) && _tcscmp(szBuf, TEXT("commit/private/rw")) == 0);
    Step(TEXT("VirtualFree(MEM_RELEASE)"), VirtualFree(pMem, 0, MEM_RELEASE));
    hHeap = HeapCreate(0, 0, 0);
    pHeap = (char *)HeapAlloc(hHeap, HEAP_ZERO_MEMORY, 100);
    Step(TEXT("HeapAlloc(HEAP_ZERO_MEMORY)"),
         pHeap && pHeap[99] == 0 && HeapSize(hHeap, 0, pHeap) == 100);
    Step(TEXT("HeapDestroy"), HeapDestroy(hHeap));
    Step(TEXT("lstrcmpi"), lstrcmpi(TEXT("Shared"), TEXT("SHARED")) == 0 &&
                               lstrcmp(TEXT("apple"), TEXT("Banana")) < 0);
    Step(TEXT("_access(\".\")"), _access(".", 0) == 0);
    _tprintf(TEXT("done\n"));
    return 0;
}
