/*
 * porting/shm_server.c - the first process of Microsoft's "Creating Named Shared
 * Memory" sample, as Windows code writes it: <Windows.h> with a capital W, <conio.h>
 * and _getch() to wait for a key, <TChar.h>, FormatMessage for errors. The only
 * addition to Microsoft's program is the pair of events that tells it when the second
 * process has read the message (a person pressing a key does that in the original).
 *
 * Built unchanged on Linux with -D_WIN32 -DWIN32 -D_CONSOLE, and with mingw-w64.
 */
#include <Windows.h>
#include <stdio.h>
#include <conio.h>
#include <TChar.h>

#define BUF_SIZE 256
TCHAR szName[] = TEXT("Local\\winipc_porting_mapping");
TCHAR szMsg[] = TEXT("Message from first process.");

/* Prints why a call failed, with the system's text for the error. */
static void PrintError(LPCTSTR lpszFunction)
{
    LPTSTR lpMsgBuf = NULL;
    DWORD dw = GetLastError();

    FormatMessage(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                      FORMAT_MESSAGE_IGNORE_INSERTS,
                  NULL, dw, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPTSTR)&lpMsgBuf, 0, NULL);
    _ftprintf(stderr, TEXT("%s failed with error %d: %s"), lpszFunction, (int)dw,
              lpMsgBuf ? lpMsgBuf : TEXT("?\n"));
    LocalFree(lpMsgBuf);
}

int _tmain()
{
    HANDLE hMapFile, hReady, hDone;
    LPCTSTR pBuf;

    hMapFile = CreateFileMapping(INVALID_HANDLE_VALUE, // use paging file
                                 NULL,                 // default security
                                 PAGE_READWRITE,       // read/write access
                                 0,                    // maximum object size (high-order DWORD)
                                 BUF_SIZE,             // maximum object size (low-order DWORD)
                                 szName);              // name of mapping object
    if (hMapFile == NULL) {
        PrintError(TEXT("CreateFileMapping"));
        return 1;
    }
    pBuf = (LPTSTR)MapViewOfFile(hMapFile, FILE_MAP_ALL_ACCESS, 0, 0, BUF_SIZE);
    if (pBuf == NULL) {
        PrintError(TEXT("MapViewOfFile"));
        CloseHandle(hMapFile);
        return 1;
    }
    CopyMemory((PVOID)pBuf, szMsg, (_tcslen(szMsg) * sizeof(TCHAR)));

    hDone = CreateEvent(NULL, FALSE, FALSE, TEXT("Local\\winipc_porting_done"));
    hReady = CreateEvent(NULL, TRUE, FALSE, TEXT("Local\\winipc_porting_ready"));
    if (hDone == NULL || hReady == NULL || !SetEvent(hReady)) {
        PrintError(TEXT("CreateEvent"));
        return 1;
    }
    _tprintf(TEXT("server: message written\n"));
    if (WaitForSingleObject(hDone, 30000) != WAIT_OBJECT_0) {
        _tprintf(TEXT("server: nobody read the message\n"));
        return 1;
    }
    _tprintf(TEXT("server: the message was read. Press any key to exit.\n"));
    _getch();

    UnmapViewOfFile(pBuf);
    CloseHandle(hReady);
    CloseHandle(hDone);
    CloseHandle(hMapFile);
    return 0;
}
