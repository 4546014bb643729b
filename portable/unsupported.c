/*
 * unsupported.c - what the portable backend does not provide, each failing the way a
 * Windows program can handle: ERROR_NOT_SUPPORTED (the README's backend table lists
 * them). They are built on pidfds, /proc and posix_spawn of /proc/self/exe in the
 * Linux backend (posix/process.c, posix/spawn.c), which macOS and FreeBSD lack; a
 * portable version needs its own design (a process object waitable through the wait
 * engine: a record's flock tells when a process ends, but nobody posts its waiters).
 *
 * Differs from Windows: CreateProcess, OpenProcess, TerminateProcess,
 * GetExitCodeProcess and GetProcessId (of another process) fail with
 * ERROR_NOT_SUPPORTED on the portable backend; GetCommandLine returns an empty string.
 */
#include "portable.h"

#include <stdlib.h>

BOOL WINAPI CreateProcessA(LPCSTR application, LPSTR command_line, LPSECURITY_ATTRIBUTES psa,
                           LPSECURITY_ATTRIBUTES tsa, BOOL inherit, DWORD flags, LPVOID env,
                           LPCSTR cwd, LPSTARTUPINFOA si, LPPROCESS_INFORMATION pi)
{
    (void)application, (void)command_line, (void)psa, (void)tsa, (void)inherit, (void)flags;
    (void)env, (void)cwd, (void)si, (void)pi;
    return winipc__fail(FALSE, ERROR_NOT_SUPPORTED);
}

BOOL WINAPI CreateProcessW(LPCWSTR application, LPWSTR command_line, LPSECURITY_ATTRIBUTES psa,
                           LPSECURITY_ATTRIBUTES tsa, BOOL inherit, DWORD flags, LPVOID env,
                           LPCWSTR cwd, LPSTARTUPINFOW si, LPPROCESS_INFORMATION pi)
{
    (void)application, (void)command_line, (void)psa, (void)tsa, (void)inherit, (void)flags;
    (void)env, (void)cwd, (void)si, (void)pi;
    return winipc__fail(FALSE, ERROR_NOT_SUPPORTED);
}

HANDLE WINAPI OpenProcess(DWORD access, BOOL inherit, DWORD pid)
{
    (void)access, (void)inherit, (void)pid;
    return winipc__fail(NULL, ERROR_NOT_SUPPORTED);
}

BOOL WINAPI GetExitCodeProcess(HANDLE h, LPDWORD code)
{
    (void)h, (void)code;
    return winipc__fail(FALSE, ERROR_NOT_SUPPORTED);
}

DWORD WINAPI GetProcessId(HANDLE h)
{
    if (h == WINIPC__PSEUDO_PROCESS)
        return GetCurrentProcessId();
    return winipc__fail(0, ERROR_NOT_SUPPORTED);
}

BOOL WINAPI TerminateProcess(HANDLE h, UINT code)
{
    if (h == WINIPC__PSEUDO_PROCESS)
        ExitProcess(code);
    return winipc__fail(FALSE, ERROR_NOT_SUPPORTED);
}

/* The process ends as exit() ends it: every handle is closed (object.c). */
void WINAPI ExitProcess(UINT code)
{
    exit((int)code);
}

LPSTR WINAPI GetCommandLineA(void)
{
    static char empty[1];

    return empty;
}

LPWSTR WINAPI GetCommandLineW(void)
{
    static WCHAR empty[1];

    return empty;
}
