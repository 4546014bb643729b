/*
 * unsupported.c - what the portable backend does not provide, each failing the way a
 * Windows program can handle: ERROR_NOT_SUPPORTED (the README's backend table lists
 * them). They are built on pidfds, /proc and process-wide futexes in the Linux backend
 * (posix/process.c, posix/spawn.c, posix/timer.c), which macOS and FreeBSD lack; a
 * portable version would need its own design (a process object waitable through the
 * wait engine, a timer thread that signals waitable timers).
 *
 * Differs from Windows: CreateProcess, OpenProcess, TerminateProcess,
 * GetExitCodeProcess, GetProcessId and the waitable timers fail with
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

HANDLE WINAPI CreateWaitableTimerA(LPSECURITY_ATTRIBUTES sa, BOOL manual_reset, LPCSTR name)
{
    (void)sa, (void)manual_reset, (void)name;
    return winipc__fail(NULL, ERROR_NOT_SUPPORTED);
}

HANDLE WINAPI CreateWaitableTimerW(LPSECURITY_ATTRIBUTES sa, BOOL manual_reset, LPCWSTR name)
{
    (void)sa, (void)manual_reset, (void)name;
    return winipc__fail(NULL, ERROR_NOT_SUPPORTED);
}

HANDLE WINAPI CreateWaitableTimerExA(LPSECURITY_ATTRIBUTES sa, LPCSTR name, DWORD flags,
                                     DWORD access)
{
    (void)sa, (void)name, (void)flags, (void)access;
    return winipc__fail(NULL, ERROR_NOT_SUPPORTED);
}

HANDLE WINAPI CreateWaitableTimerExW(LPSECURITY_ATTRIBUTES sa, LPCWSTR name, DWORD flags,
                                     DWORD access)
{
    (void)sa, (void)name, (void)flags, (void)access;
    return winipc__fail(NULL, ERROR_NOT_SUPPORTED);
}

HANDLE WINAPI OpenWaitableTimerA(DWORD access, BOOL inherit, LPCSTR name)
{
    (void)access, (void)inherit, (void)name;
    return winipc__fail(NULL, ERROR_NOT_SUPPORTED);
}

HANDLE WINAPI OpenWaitableTimerW(DWORD access, BOOL inherit, LPCWSTR name)
{
    (void)access, (void)inherit, (void)name;
    return winipc__fail(NULL, ERROR_NOT_SUPPORTED);
}

BOOL WINAPI SetWaitableTimer(HANDLE h, const LARGE_INTEGER *due, LONG period,
                             PTIMERAPCROUTINE routine, LPVOID arg, BOOL resume)
{
    (void)h, (void)due, (void)period, (void)routine, (void)arg, (void)resume;
    return winipc__fail(FALSE, ERROR_NOT_SUPPORTED);
}

BOOL WINAPI SetWaitableTimerEx(HANDLE h, const LARGE_INTEGER *due, LONG period,
                               PTIMERAPCROUTINE routine, LPVOID arg, PREASON_CONTEXT reason,
                               ULONG delay)
{
    (void)h, (void)due, (void)period, (void)routine, (void)arg, (void)reason, (void)delay;
    return winipc__fail(FALSE, ERROR_NOT_SUPPORTED);
}

BOOL WINAPI CancelWaitableTimer(HANDLE h)
{
    (void)h;
    return winipc__fail(FALSE, ERROR_NOT_SUPPORTED);
}
