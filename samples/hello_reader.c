/*
 * hello_reader - opens the mapping hello_writer created and prints its greeting.
 */
#include <windows.h>
#include <stdio.h>

#define BUF_SIZE 4096

int main(void)
{
    HANDLE map, ready, done;
    const char *buf;

    ready = CreateEvent(NULL, TRUE, FALSE, TEXT("Local\\winipc_hello_ready"));
    if (ready == NULL || WaitForSingleObject(ready, 30000) != WAIT_OBJECT_0) {
        fprintf(stderr, "hello_reader: the writer did not come within 30 s\n");
        return 1;
    }
    map = OpenFileMapping(FILE_MAP_READ, FALSE, TEXT("Local\\winipc_hello"));
    if (map == NULL) {
        fprintf(stderr, "hello_reader: OpenFileMapping failed (%lu)\n",
                (unsigned long)GetLastError());
        return 1;
    }
    buf = (const char *)MapViewOfFile(map, FILE_MAP_READ, 0, 0, BUF_SIZE);
    if (buf == NULL) {
        fprintf(stderr, "hello_reader: MapViewOfFile failed (%lu)\n",
                (unsigned long)GetLastError());
        CloseHandle(map);
        return 1;
    }
    printf("%s\n", buf);

    done = OpenEvent(EVENT_MODIFY_STATE, FALSE, TEXT("Local\\winipc_hello_done"));
    if (done == NULL || !SetEvent(done)) {
        fprintf(stderr, "hello_reader: cannot tell the writer (%lu)\n",
                (unsigned long)GetLastError());
        return 1;
    }
    UnmapViewOfFile(buf);
    CloseHandle(done);
    CloseHandle(ready);
    CloseHandle(map);
    return 0;
}
