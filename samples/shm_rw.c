/*
 * shm_rw - the classic two-mode shared memory example, in Win32.
 *
 *   shm_rw write   creates the segment (failing if it exists) and writes a message
 *   shm_rw read    prints the message
 */
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define SHM_SIZE 1024
#define SHM_NAME TEXT("Local\\winipc_shm_rw")
#define READY_NAME TEXT("Local\\winipc_shm_rw_ready")
#define DONE_NAME TEXT("Local\\winipc_shm_rw_done")

static int writer(void)
{
    HANDLE map, ready, done;
    char *shm;

    map = CreateFileMapping(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, SHM_SIZE, SHM_NAME);
    if (map == NULL) {
        fprintf(stderr, "shm_rw: CreateFileMapping failed (%lu)\n", (unsigned long)GetLastError());
        return 1;
    }
    if (GetLastError() == ERROR_ALREADY_EXISTS) {
        fprintf(stderr, "shm_rw: the segment already exists; is another writer running?\n");
        CloseHandle(map);
        return 1;
    }
    shm = (char *)MapViewOfFile(map, FILE_MAP_WRITE, 0, 0, 0);
    if (shm == NULL) {
        fprintf(stderr, "shm_rw: MapViewOfFile failed (%lu)\n", (unsigned long)GetLastError());
        return 1;
    }
    strcpy(shm, "This is writer!!!");
    done = CreateEvent(NULL, FALSE, FALSE, DONE_NAME);
    ready = CreateEvent(NULL, TRUE, FALSE, READY_NAME);
    SetEvent(ready);
    printf("writer: wrote the message\n");
    /* The segment lives while a handle does: stay until the reader has it. */
    if (WaitForSingleObject(done, 30000) != WAIT_OBJECT_0) {
        fprintf(stderr, "shm_rw: no reader within 30 s\n");
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
    const char *shm;

    ready = CreateEvent(NULL, TRUE, FALSE, READY_NAME);
    if (WaitForSingleObject(ready, 30000) != WAIT_OBJECT_0) {
        fprintf(stderr, "shm_rw: no writer within 30 s\n");
        return 1;
    }
    map = OpenFileMapping(FILE_MAP_READ, FALSE, SHM_NAME);
    shm = map ? (const char *)MapViewOfFile(map, FILE_MAP_READ, 0, 0, 0) : NULL;
    if (shm == NULL) {
        fprintf(stderr, "shm_rw: cannot open the segment (%lu)\n", (unsigned long)GetLastError());
        return 1;
    }
    printf("from writer: %s\n", shm);
    done = OpenEvent(EVENT_MODIFY_STATE, FALSE, DONE_NAME);
    SetEvent(done);
    UnmapViewOfFile(shm);
    CloseHandle(done);
    CloseHandle(ready);
    CloseHandle(map);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "write") == 0)
        return writer();
    if (argc == 2 && strcmp(argv[1], "read") == 0)
        return reader();
    fprintf(stderr, "usage: shm_rw write|read\n");
    return 2;
}
