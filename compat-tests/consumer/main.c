/* A program that knows nothing of winipc: it includes <windows.h> and uses Win32. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    HANDLE map = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NULL);
    char *view = map ? (char *)MapViewOfFile(map, FILE_MAP_WRITE, 0, 0, 0) : NULL;

    if (!view) {
        printf("consumer: failed (%lu)\n", (unsigned long)GetLastError());
        return 1;
    }
    strcpy(view, "consumer ok");
    printf("%s\n", view);
    UnmapViewOfFile(view);
    CloseHandle(map);
    return 0;
}
