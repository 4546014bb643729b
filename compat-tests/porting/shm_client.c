/*
 * porting/shm_client.c - the second process of Microsoft's "Creating Named Shared
 * Memory" sample, as Windows code writes it: it shows what it read with MessageBox
 * (linked from user32 through #pragma comment on MSVC). The only addition to
 * Microsoft's program is the pair of events shared with shm_server.
 *
 * Built unchanged on Linux with -D_WIN32 -DWIN32 -D_CONSOLE, and with mingw-w64.
 */
#include <windows.h>
#include <stdio.h>
#include <conio.h>
#include <tchar.h>
#pragma comment(lib, "user32.lib")

#define BUF_SIZE 256
TCHAR szName[] = TEXT("Local\\winipc_porting_mapping");

int _tmain()
{
    HANDLE hMapFile, hReady, hDone;
    LPCTSTR pBuf;

    hReady = CreateEvent(NULL, TRUE, FALSE, TEXT("Local\\winipc_porting_ready"));
    if (hReady == NULL || WaitForSingleObject(hReady, 30000) != WAIT_OBJECT_0) {
        _tprintf(TEXT("client: the server did not come\n"));
        return 1;
    }
    hMapFile = OpenFileMapping(FILE_MAP_ALL_ACCESS, // read/write access
                               FALSE,               // do not inherit the name
                               szName);             // name of mapping object
    if (hMapFile == NULL) {
        _tprintf(TEXT("Could not open file mapping object (%d).\n"), (int)GetLastError());
        return 1;
    }
    pBuf = (LPTSTR)MapViewOfFile(hMapFile, FILE_MAP_ALL_ACCESS, 0, 0, BUF_SIZE);
    if (pBuf == NULL) {
        _tprintf(TEXT("Could not map view of file (%d).\n"), (int)GetLastError());
        CloseHandle(hMapFile);
        return 1;
    }
    _tprintf(TEXT("client: read \"%s\"\n"), pBuf);
    MessageBox(NULL, pBuf, TEXT("Process2"), MB_OK);

    hDone = OpenEvent(EVENT_MODIFY_STATE, FALSE, TEXT("Local\\winipc_porting_done"));
    if (hDone == NULL || !SetEvent(hDone)) {
        _tprintf(TEXT("client: cannot tell the server (%d)\n"), (int)GetLastError());
        return 1;
    }
    UnmapViewOfFile(pBuf);
    CloseHandle(hDone);
    CloseHandle(hReady);
    CloseHandle(hMapFile);
    return 0;
}
