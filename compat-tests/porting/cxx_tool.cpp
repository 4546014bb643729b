/*
 * porting/cxx_tool.cpp - a C++ program written the way Visual Studio's console template
 * and real Windows C++ code are: _tmain(int, _TCHAR*[]), <Windows.h> before the
 * standard headers, (std::min) and (std::max) where windef.h's macros could get in the
 * way, the secure CRT's array overloads, a semaphore whose maximum is
 * (std::numeric_limits<long>::max)(), a shared mapping written through a view.
 *
 * Built unchanged on Linux with -D_WIN32 -DWIN32 -D_CONSOLE (and -DUNICODE -D_UNICODE),
 * and with mingw-w64's g++.
 */
#include <Windows.h>
#include <tchar.h>
#include <stdio.h>
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

static int Clamp(int v, int lo, int hi)
{
    return (std::min)((std::max)(v, lo), hi);
}

class SharedCounter {
public:
    explicit SharedCounter(LPCTSTR name)
    {
        m_map = CreateFileMapping(INVALID_HANDLE_VALUE, nullptr, PAGE_READWRITE, 0,
                                  sizeof(LONG), name);
        m_value = m_map ? static_cast<volatile LONG *>(
                              MapViewOfFile(m_map, FILE_MAP_ALL_ACCESS, 0, 0, sizeof(LONG)))
                        : nullptr;
    }
    ~SharedCounter()
    {
        if (m_value)
            UnmapViewOfFile(const_cast<LONG *>(m_value));
        if (m_map)
            CloseHandle(m_map);
    }
    bool ok() const { return m_value != nullptr; }
    LONG increment() { return InterlockedIncrement(m_value); }

private:
    HANDLE m_map;
    volatile LONG *m_value;
};

int _tmain(int argc, _TCHAR *argv[])
{
    UNREFERENCED_PARAMETER(argc);
    UNREFERENCED_PARAMETER(argv);
    std::vector<int> values = {7, -3, 12, 5};
    TCHAR tname[16];
    char name[16];

    _tprintf(_T("C++: clamp %d %d %d\n"), Clamp(-5, 0, 10), Clamp(50, 0, 10), Clamp(4, 0, 10));
    _tprintf(_T("C++: (std::min) %d, (std::max) %d\n"), (std::min)(values[0], values[1]),
             (std::max)(values[2], values[3]));
    std::sort(values.begin(), values.end());
    _tprintf(_T("C++: sorted %d %d %d %d\n"), values[0], values[1], values[2], values[3]);

    /* The secure CRT's C++ overloads take the size from the array. */
    _tcscpy_s(tname, _T("counter"));
    _tcscat_s(tname, _T("-1"));
    /* No %s for a TCHAR string in C++: mingw-w64's libstdc++ turns on its C99 printf,
       where %s in a wide format is narrow; MSVC and winipc follow Microsoft's rules. */
    _tprintf(_tcscmp(tname, _T("counter-1")) == 0 ? _T("C++: _tcscpy_s/_tcscat_s ok\n")
                                                  : _T("C++: _tcscpy_s/_tcscat_s FAILED\n"));
    strcpy_s(name, "narrow");
    printf("C++: strcpy_s \"%s\"\n", name);

    HANDLE sem = CreateSemaphore(nullptr, 0, (std::numeric_limits<long>::max)(), nullptr);
    _tprintf(sem ? _T("C++: semaphore with the largest long maximum created\n")
                 : _T("C++: semaphore with the largest long maximum FAILED\n"));
    if (sem)
        CloseHandle(sem);

    SharedCounter counter(_T("Local\\winipc_porting_cxx_counter"));
    LONG last = 0;
    for (int i = 0; counter.ok() && i < 5; i++)
        last = counter.increment();
    _tprintf(_T("C++: shared counter reached %d\n"), (int)last);
    return counter.ok() && sem ? 0 : 1;
}
