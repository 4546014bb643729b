/*
 * first_second - the first process creates a 4096-byte segment, takes its time, and
 * fills it; the second connects and waits (on an event, not spinning) until the data
 * arrives.
 *
 *   first_second first
 *   first_second second
 */
#include <windows.h>
#include <stdio.h>
#include <tchar.h>

#define SIZE 4096

static int first(void)
{
    HANDLE map = CreateFileMapping(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, SIZE,
                                   TEXT("Local\\winipc_first_second"));
    HANDLE arrived = CreateEvent(NULL, TRUE, FALSE, TEXT("Local\\winipc_first_second_data"));
    HANDLE received = CreateEvent(NULL, TRUE, FALSE, TEXT("Local\\winipc_first_second_ack"));
    LPTSTR mem = map ? (LPTSTR)MapViewOfFile(map, FILE_MAP_WRITE, 0, 0, SIZE) : NULL;

    if (!mem || !arrived || !received) {
        _tprintf(TEXT("first: setup failed (%u)\n"), (unsigned)GetLastError());
        return 1;
    }
    _tprintf(TEXT("first: segment created, preparing the data\n"));
    Sleep(300); /* the work that produces the data */
    _tcscpy(mem, TEXT("the data of the first process"));
    SetEvent(arrived);
    if (WaitForSingleObject(received, 30000) != WAIT_OBJECT_0) {
        _tprintf(TEXT("first: nobody received the data\n"));
        return 1;
    }
    _tprintf(TEXT("first: the second process has the data\n"));
    UnmapViewOfFile(mem);
    CloseHandle(received);
    CloseHandle(arrived);
    CloseHandle(map);
    return 0;
}

static int second(void)
{
    HANDLE arrived = CreateEvent(NULL, TRUE, FALSE, TEXT("Local\\winipc_first_second_data"));
    HANDLE received = CreateEvent(NULL, TRUE, FALSE, TEXT("Local\\winipc_first_second_ack"));
    HANDLE map;
    LPCTSTR mem;

    if (!arrived || !received || WaitForSingleObject(arrived, 30000) != WAIT_OBJECT_0) {
        _tprintf(TEXT("second: no data within 30 s\n"));
        return 1;
    }
    map = OpenFileMapping(FILE_MAP_READ, FALSE, TEXT("Local\\winipc_first_second"));
    mem = map ? (LPCTSTR)MapViewOfFile(map, FILE_MAP_READ, 0, 0, SIZE) : NULL;
    if (!mem) {
        _tprintf(TEXT("second: cannot open the segment (%u)\n"), (unsigned)GetLastError());
        return 1;
    }
    _tprintf(TEXT("Receive data from shared memory!\n"));
    _tprintf(TEXT("second: \"%s\"\n"), mem);
    SetEvent(received);
    UnmapViewOfFile(mem);
    CloseHandle(map);
    CloseHandle(received);
    CloseHandle(arrived);
    return 0;
}

int _tmain(int argc, _TCHAR *argv[])
{
    if (argc == 2 && _tcscmp(argv[1], _T("first")) == 0)
        return first();
    if (argc == 2 && _tcscmp(argv[1], _T("second")) == 0)
        return second();
    _tprintf(TEXT("usage: first_second first|second\n"));
    return 2;
}
