/*
 * porting/cxx_nominmax.cpp - C++ that defines NOMINMAX before <windows.h> and uses the
 * standard min and max, numeric_limits and the C++ standard library freely, with the
 * program's own main next to <tchar.h>, __declspec and SAL on members.
 *
 * Built unchanged on Linux with -D_WIN32 -DWIN32 -D_CONSOLE, and with mingw-w64's g++.
 */
#define NOMINMAX
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <tchar.h>
#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>

struct Limits {
    __declspec(noinline) static LONG Largest(_In_ LONG a, _In_ LONG b) { return std::max(a, b); }
    _Check_return_ static LONG Smallest(_In_ LONG a, _In_ LONG b) { return std::min(a, b); }
};

int main()
{
    std::string text = "NOMINMAX";
    HANDLE sem = CreateSemaphoreA(nullptr, 1, std::numeric_limits<LONG>::max(), nullptr);
    LONG previous = -1;

    std::printf("C++ %s: std::max %d, std::min %d, numeric_limits<LONG>::max() %d\n",
                text.c_str(), (int)Limits::Largest(3, 9), (int)Limits::Smallest(3, 9),
                (int)std::numeric_limits<LONG>::max());
    if (!sem || !ReleaseSemaphore(sem, 2, &previous)) {
        std::printf("C++ %s: semaphore FAILED (%d)\n", text.c_str(), (int)GetLastError());
        return 1;
    }
    std::printf("C++ %s: semaphore count was %d\n", text.c_str(), (int)previous);
    CloseHandle(sem);
    return 0;
}
