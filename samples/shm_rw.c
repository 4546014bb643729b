/*
 * shm_rw - the classic two-mode shared memory example, in Win32.
 *
 *   shm_rw write   creates the segment (failing if it exists) and writes a message
 *   shm_rw read    prints the message
 */
#include <windows.h>
#include <stdio.h>
#include <tchar.h>

#define SHM_SIZE 1024
#define SHM_NAME TEXT("Local\\winipc_shm_rw")
#define READY_NAME TEXT("Local\\winipc_shm_rw_ready")
#define DONE_NAME TEXT("Local\\winipc_shm_rw_done")

static int writer(void)
{
    HANDLE map, ready, done;
    LPTSTR shm;

    map = CreateFileMapping(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, SHM_SIZE, SHM_NAME);
    if (map == NULL) {
        _tprintf(TEXT("shm_rw: CreateFileMapping failed (%u)\n"), (unsigned)GetLastError());
        return 1;
    }
    if (GetLastError() == ERROR_ALREADY_EXISTS) {
        _tprintf(TEXT("shm_rw: the segment already exists; is another writer running?\n"));
        CloseHandle(map);
        return 1;
    }
    shm = (LPTSTR)MapViewOfFile(map, FILE_MAP_WRITE, 0, 0, 0);
    if (shm == NULL) {
        _tprintf(TEXT("shm_rw: MapViewOfFile failed (%u)\n"), (unsigned)GetLastError());
        return 1;
    }
    _tcscpy(shm, TEXT("This is writer!!!"));
    done = CreateEvent(NULL, FALSE, FALSE, DONE_NAME);
    ready = CreateEvent(NULL, TRUE, FALSE, READY_NAME);
    SetEvent(ready);
    _tprintf(TEXT("writer: wrote the message\n"));
    /* The segment lives while a handle does: stay until the reader has it. */
    if (WaitForSingleObject(done, 30000) != WAIT_OBJECT_0) {
        _tprintf(TEXT("shm_rw: no reader within 30 s\n"));
        return 1;
    }
    UnmapViewOfFile(shm);
    CloseHandle(ready);
    CloseHandle(done);
    CloseHandle(map);
    return 0;
}

static int reader(void)
{
    HANDLE map, ready, done;
    LPCTSTR shm;

    ready = CreateEvent(NULL, TRUE, FALSE, READY_NAME);
    if (WaitForSingleObject(ready, 30000) != WAIT_OBJECT_0) {
        _tprintf(TEXT("shm_rw: no writer within 30 s\n"));
        return 1;
    }
    map = OpenFileMapping(FILE_MAP_READ, FALSE, SHM_NAME);
    shm = map ? (LPCTSTR)MapViewOfFile(map, FILE_MAP_READ, 0, 0, 0) : NULL;
    if (shm == NULL) {
        _tprintf(TEXT("shm_rw: cannot open the segment (%u)\n"), (unsigned)GetLastError());
        return 1;
    }
    _tprintf(TEXT("from writer: %s\n"), shm);
    done = OpenEvent(EVENT_MODIFY_STATE, FALSE, DONE_NAME);
    SetEvent(done);
    UnmapViewOfFile(shm);
    CloseHandle(done);
    CloseHandle(ready);
    CloseHandle(map);
    return 0;
}

int _tmain(int argc, _TCHAR *argv[])
{
    if (argc == 2 && _tcscmp(argv[1], _T("write")) == 0)
        return writer();
    if (argc == 2 && _tcscmp(argv[1], _T("read")) == 0)
        return reader();
    _tprintf(TEXT("usage: shm_rw write|read\n"));
    return 2;
}
