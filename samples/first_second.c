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
#include <string.h>

#define SIZE 4096

static int first(void)
{
    HANDLE map = CreateFileMapping(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, SIZE,
                                   TEXT("Local\\winipc_first_second"));
    HANDLE arrived = CreateEvent(NULL, TRUE, FALSE, TEXT("Local\\winipc_first_second_data"));
    HANDLE received = CreateEvent(NULL, TRUE, FALSE, TEXT("Local\\winipc_first_second_ack"));
    char *mem = map ? (char *)MapViewOfFile(map, FILE_MAP_WRITE, 0, 0, SIZE) : NULL;

    if (!mem || !arrived || !received) {
        fprintf(stderr, "first: setup failed (%lu)\n", (unsigned long)GetLastError());
        return 1;
    }
    printf("first: segment created, preparing the data\n");
    Sleep(300); /* the work that produces the data */
    strcpy(mem, "the data of the first process");
    SetEvent(arrived);
    if (WaitForSingleObject(received, 30000) != WAIT_OBJECT_0) {
        fprintf(stderr, "first: nobody received the data\n");
        return 1;
    }
    printf("first: the second process has the data\n");
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
    const char *mem;

    if (!arrived || !received || WaitForSingleObject(arrived, 30000) != WAIT_OBJECT_0) {
        fprintf(stderr, "second: no data within 30 s\n");
        return 1;
    }
    map = OpenFileMapping(FILE_MAP_READ, FALSE, TEXT("Local\\winipc_first_second"));
    mem = map ? (const char *)MapViewOfFile(map, FILE_MAP_READ, 0, 0, SIZE) : NULL;
    if (!mem) {
        fprintf(stderr, "second: cannot open the segment (%lu)\n", (unsigned long)GetLastError());
        return 1;
    }
    printf("Receive data from shared memory!\n");
    printf("second: \"%s\"\n", mem);
    SetEvent(received);
    UnmapViewOfFile(mem);
    CloseHandle(map);
    CloseHandle(received);
    CloseHandle(arrived);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "first") == 0)
        return first();
    if (argc == 2 && strcmp(argv[1], "second") == 0)
        return second();
    fprintf(stderr, "usage: first_second first|second\n");
    return 2;
}
