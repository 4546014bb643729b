/*
 * winipc.h - Win32 named shared memory and synchronization, on Linux and Windows.
 *
 * On Windows this header is the real <windows.h> plus winipc's few extensions.
 * Elsewhere it declares the Win32 subset that winipc implements, with the Windows
 * SDK's names, types and numeric values, so Win32 code compiles unchanged.
 */
#ifndef WINIPC_H
#define WINIPC_H

/*
 * WINIPC_TARGET_WINDOWS: the compiler targets Windows, so <windows.h> is the real one.
 * Decided by the compiler's own target macros, never by _WIN32, WIN32 or _WIN64:
 * ported projects define those on their command lines (MSVC project files pass
 * -D_WIN32 -DWIN32), and on Linux their #ifdef _WIN32 branches are exactly the code
 * winipc is for.
 */
#if defined(_MSC_VER) || defined(__MINGW32__) || defined(__CYGWIN__)
#define WINIPC_TARGET_WINDOWS 1
#endif

/* WINIPC_API marks winipc's exported functions. */
#ifndef WINIPC_API
#if defined(WINIPC_TARGET_WINDOWS) && defined(WINIPC_BUILDING_DLL)
#define WINIPC_API __declspec(dllexport)
#elif defined(WINIPC_TARGET_WINDOWS) && !defined(WINIPC_STATIC)
#define WINIPC_API __declspec(dllimport)
#elif defined(__GNUC__)
#define WINIPC_API __attribute__((visibility("default")))
#else
#define WINIPC_API
#endif
#endif

#ifdef WINIPC_TARGET_WINDOWS
#include <windows.h>
#else
#include "winipc/win32.h"
#endif

#define WINIPC_VERSION_MAJOR 0
#define WINIPC_VERSION_MINOR 1
#define WINIPC_VERSION_PATCH 0
#define WINIPC_STRINGIFY_(x) #x
#define WINIPC_STRINGIFY(x) WINIPC_STRINGIFY_(x)
/* "MAJOR.MINOR.PATCH"; CMake reads the three numbers above, so they are the only copy. */
#define WINIPC_VERSION_STRING              \
    WINIPC_STRINGIFY(WINIPC_VERSION_MAJOR) \
    "." WINIPC_STRINGIFY(WINIPC_VERSION_MINOR) "." WINIPC_STRINGIFY(WINIPC_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version as "MAJOR.MINOR.PATCH". */
WINIPC_API const char *WINAPI winipc_version(void);

/*
 * Removes the shared objects of this user's and the machine-wide namespace that no
 * process holds any more (their holders all crashed before the next use of the
 * name). Returns how many were removed. Objects are also reclaimed automatically the
 * next time their name is created or opened; this is for tools and tidy shutdowns.
 * On Windows the kernel does this itself and the function returns 0.
 */
WINIPC_API DWORD WINAPI winipc_sweep(void);

#ifdef __cplusplus
}
#endif

#endif /* WINIPC_H */
