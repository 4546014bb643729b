/*
 * porting/cxx_headers.cpp - every header real Windows C++ code includes, compiled as
 * C++ (and therefore checked for C++ validity: extern "C", templates, overloads), with
 * windef.h's min and max as MSVC defines them.
 *
 * Built unchanged on Linux with -D_WIN32 -DWIN32 -D_CONSOLE, and with mingw-w64's g++.
 */
#include <Windows.h>
#if !defined(__MINGW32__)
/* windef.h defines min and max in C++ too (mingw-w64's windows.h includes <stdlib.h>,
   whose libstdc++ wrapper removes them at once; with winipc they last until the first
   C++ standard header, which removes them, as libstdc++ does everywhere). */
#if !defined(min) || !defined(max)
#error "<windows.h> defines min and max in C++ unless NOMINMAX"
#endif
static_assert(min(3, 4) == 3 && max(3, 4) == 4, "windef.h's min and max");
#endif
#include <AclAPI.h>
#include <TlHelp32.h>
#include <conio.h>
#include <direct.h>
#include <intrin.h>
#include <io.h>
#include <process.h>
#include <sddl.h>
#include <stdio.h>
#include <tchar.h>
#include <strsafe.h> /* after tchar.h, as the SDK requires */
#include <winternl.h>
#include <algorithm>
#include <string>

static_assert(sizeof(LONG) == 4 && sizeof(DWORD) == 4, "LONG and DWORD are 32 bits");
static_assert(sizeof(ULONG_PTR) == sizeof(void *), "ULONG_PTR is pointer-sized");
static_assert(MAXLONG == 0x7fffffff, "MAXLONG");

__declspec(noinline) static int Twice(_In_ int x)
{
    return 2 * x;
}

int main()
{
    char buf[8];
    std::string s = "headers";

    strcpy_s(buf, "C++"); /* the array overload */
    printf("%s %s: ok, %d\n", buf, s.c_str(), (std::min)(Twice(21), 100));
    return 0;
}
