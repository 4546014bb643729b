/*
 * hello_writer - creates a 4096-byte named mapping and writes a greeting into it.
 * Start hello_reader (before or after this one) to read it.
 *
 * Unlike POSIX shared memory, a Win32 named mapping lives only while some process
 * holds a handle to it, so the writer keeps its handle until the reader says it is
 * done; it does not leave the greeting behind in the system when it exits.
 */
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define BUF_SIZE 4096

int main(void)
{
    HANDLE map, ready, done;
    char *buf;

    map = CreateFileMapping(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, BUF_SIZE,
                            TEXT("Local\\winipc_hello"));
    if (map == NULL) {
        fprintf(stderr, "hello_writer: CreateFileMapping failed (%lu)\n",
                (unsigned long)GetLastError());
        return 1;
    }
    buf = (char *)MapViewOfFile(map, FILE_MAP_ALL_ACCESS, 0, 0, BUF_SIZE);
    if (buf == NULL) {
        fprintf(stderr, "hello_writer: MapViewOfFile failed (%lu)\n",
                (unsigned long)GetLastError());
        CloseHandle(map);
        return 1;
    }
    strcpy(buf, "Hello from shared memory!");

    /* Whichever program starts first creates the events; the other opens them. */
    done = CreateEvent(NULL, FALSE, FALSE, TEXT("Local\\winipc_hello_done"));
    ready = CreateEvent(NULL, TRUE, FALSE, TEXT("Local\\winipc_hello_ready"));
    if (done == NULL || ready == NULL || !SetEvent(ready)) {
        fprintf(stderr, "hello_writer: events failed (%lu)\n", (unsigned long)GetLastError());
        return 1;
    }
    printf("hello_writer: message written, waiting for the reader\n");
    if (WaitForSingleObject(done, 30000) != WAIT_OBJECT_0) {
        fprintf(stderr, "hello_writer: no reader came within 30 s\n");
        return 1;
    }
    printf("hello_writer: the reader is done\n");

    UnmapViewOfFile(buf);
    CloseHandle(ready);
    CloseHandle(done);
    CloseHandle(map);
    return 0;
}
