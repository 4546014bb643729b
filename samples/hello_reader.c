/*
 * hello_reader - opens the mapping hello_writer created and prints its greeting, in
 * the style of Microsoft's "Creating Named Shared Memory" sample.
 */
#include <windows.h>
#include <stdio.h>
#include <tchar.h>

#define BUF_SIZE 4096
TCHAR szName[] = TEXT("Local\\winipc_hello");

int _tmain(void)
{
    HANDLE hMapFile, hReady, hDone;
    LPCTSTR pBuf;

    hReady = CreateEvent(NULL, TRUE, FALSE, TEXT("Local\\winipc_hello_ready"));
    if (hReady == NULL || WaitForSingleObject(hReady, 30000) != WAIT_OBJECT_0) {
        _tprintf(TEXT("hello_reader: the writer did not come within 30 s\n"));
        return 1;
    }
    hMapFile = OpenFileMapping(FILE_MAP_ALL_ACCESS, FALSE, szName);
    if (hMapFile == NULL) {
        _tprintf(TEXT("Could not open file mapping object (%u).\n"), (unsigned)GetLastError());
        return 1;
    }
    pBuf = (LPTSTR)MapViewOfFile(hMapFile, FILE_MAP_ALL_ACCESS, 0, 0, BUF_SIZE);
    if (pBuf == NULL) {
        _tprintf(TEXT("Could not map view of file (%u).\n"), (unsigned)GetLastError());
        CloseHandle(hMapFile);
        return 1;
    }
    _tprintf(TEXT("%s\n"), pBuf);

    hDone = OpenEvent(EVENT_MODIFY_STATE, FALSE, TEXT("Local\\winipc_hello_done"));
    if (hDone == NULL || !SetEvent(hDone)) {
        _tprintf(TEXT("hello_reader: cannot tell the writer (%u)\n"), (unsigned)GetLastError());
        return 1;
    }
    UnmapViewOfFile(pBuf);
    CloseHandle(hDone);
    CloseHandle(hReady);
    CloseHandle(hMapFile);
    return 0;
}
