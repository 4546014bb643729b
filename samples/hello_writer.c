/*
 * hello_writer - creates a 4096-byte named mapping and writes a greeting into it,
 * in the style of Microsoft's "Creating Named Shared Memory" sample. Start
 * hello_reader (before or after this one) to read it.
 *
 * Unlike POSIX shared memory, a Win32 named mapping lives only while some process
 * holds a handle to it, so the writer keeps its handle until the reader says it is
 * done; it does not leave the greeting behind in the system when it exits.
 */
#include <windows.h>
#include <stdio.h>
#include <tchar.h>

#define BUF_SIZE 4096
TCHAR szName[] = TEXT("Local\\winipc_hello");
TCHAR szMsg[] = TEXT("Hello from shared memory!");

int _tmain(void)
{
    HANDLE hMapFile, hReady, hDone;
    LPCTSTR pBuf;

    hMapFile = CreateFileMapping(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, BUF_SIZE, szName);
    if (hMapFile == NULL) {
        _tprintf(TEXT("Could not create file mapping object (%u).\n"), (unsigned)GetLastError());
        return 1;
    }
    pBuf = (LPTSTR)MapViewOfFile(hMapFile, FILE_MAP_ALL_ACCESS, 0, 0, BUF_SIZE);
    if (pBuf == NULL) {
        _tprintf(TEXT("Could not map view of file (%u).\n"), (unsigned)GetLastError());
        CloseHandle(hMapFile);
        return 1;
    }
    CopyMemory((PVOID)pBuf, szMsg, (_tcslen(szMsg) * sizeof(TCHAR)));

    /* Whichever program starts first creates the events; the other opens them. */
    hDone = CreateEvent(NULL, FALSE, FALSE, TEXT("Local\\winipc_hello_done"));
    hReady = CreateEvent(NULL, TRUE, FALSE, TEXT("Local\\winipc_hello_ready"));
    if (hDone == NULL || hReady == NULL || !SetEvent(hReady)) {
        _tprintf(TEXT("Could not create the events (%u).\n"), (unsigned)GetLastError());
        return 1;
    }
    _tprintf(TEXT("hello_writer: message written, waiting for the reader\n"));
    if (WaitForSingleObject(hDone, 30000) != WAIT_OBJECT_0) {
        _tprintf(TEXT("hello_writer: no reader came within 30 s\n"));
        return 1;
    }
    _tprintf(TEXT("hello_writer: the reader is done\n"));

    UnmapViewOfFile(pBuf);
    CloseHandle(hReady);
    CloseHandle(hDone);
    CloseHandle(hMapFile);
    return 0;
}
