/*
 * unsupported.c - what the portable backend does not provide, each failing the way a
 * Windows program can handle: ERROR_NOT_SUPPORTED (the README's backend table lists
 * them). They are built on pidfds, /proc and posix_spawn of /proc/self/exe in the
 * Linux backend (posix/process.c, posix/spawn.c), which macOS and FreeBSD lack; a
 * portable version needs its own design (a process object waitable through the wait
 * engine: a record's flock tells when a process ends, but nobody posts its waiters).
 *
 * The same holds for handing handles to another process (posix/transfer.c: an inbox on
 * a memfd, found through /proc/<pid>/fd, and abstract sockets), for the program's own
 * path (/proc/self/exe) and for Toolhelp32 snapshots (posix/toolhelp.c reads /proc).
 *
 * Differs from Windows: CreateProcess, OpenProcess, TerminateProcess,
 * GetExitCodeProcess, GetProcessId (of another process), GetModuleFileName and
 * CreateToolhelp32Snapshot fail with ERROR_NOT_SUPPORTED on the portable backend (the
 * Toolhelp32 walk functions then see no snapshot: ERROR_INVALID_HANDLE); GetCommandLine returns an empty
 * string. DuplicateHandle works within the process only: GetCurrentProcess() is the
 * only process handle there is, and a real handle to the process itself cannot be made
 * (DuplicateHandle of GetCurrentProcess() fails with ERROR_NOT_SUPPORTED).
 */
#include "portable.h"

#include "winipc/toolhelp.h"

#include <stdlib.h>
#include <string.h>

/* For DuplicateHandle's access check of GetCurrentProcess() (handle.c); no object of
   this kind is ever made here. */
const struct winipc__ops winipc__process_ops = {
    .kind = WINIPC__PROCESS,
    .name = "Process",
    .size = sizeof(struct winipc__object),
    .all_access = PROCESS_ALL_ACCESS,
    .generic = {STANDARD_RIGHTS_READ | PROCESS_VM_READ | PROCESS_QUERY_INFORMATION,
                STANDARD_RIGHTS_WRITE | PROCESS_CREATE_PROCESS | PROCESS_CREATE_THREAD |
                    PROCESS_VM_OPERATION | PROCESS_VM_WRITE | PROCESS_DUP_HANDLE |
                    PROCESS_TERMINATE | PROCESS_SET_QUOTA | PROCESS_SET_INFORMATION |
                    PROCESS_SUSPEND_RESUME,
                STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION,
                PROCESS_ALL_ACCESS},
};

/* Only the pseudo-handle names a process: every other handle is not a process's. */
DWORD winipc__process_handle_pid(HANDLE h, DWORD right, pid_t *pid)
{
    (void)right; /* the pseudo-handle has every right */
    if (h != WINIPC__PSEUDO_PROCESS)
        return ERROR_INVALID_HANDLE;
    *pid = winipc__cached_pid();
    return 0;
}

struct winipc__object *winipc__process_self(void)
{
    return winipc__fail(NULL, ERROR_NOT_SUPPORTED);
}

DWORD winipc__transfer_send(pid_t pid, const struct winipc__hold *hold, DWORD access, DWORD flags,
                            HANDLE *value)
{
    (void)pid, (void)hold, (void)access, (void)flags, (void)value;
    return ERROR_NOT_SUPPORTED;
}

/* No inbox: no handle value of the inbox range is ever given to this process. */
bool winipc__inbox_import(void)
{
    return false;
}

void winipc__inbox_opened(uint32_t slot, uint32_t gen)
{
    (void)slot, (void)gen;
}

void winipc__inbox_freed(uint32_t slot, uint32_t next_gen)
{
    (void)slot, (void)next_gen;
}

DWORD WINAPI GetModuleFileNameA(HMODULE module, LPSTR buf, DWORD size)
{
    (void)module, (void)buf, (void)size;
    return winipc__fail(0, ERROR_NOT_SUPPORTED);
}

DWORD WINAPI GetModuleFileNameW(HMODULE module, LPWSTR buf, DWORD size)
{
    (void)module, (void)buf, (void)size;
    return winipc__fail(0, ERROR_NOT_SUPPORTED);
}

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

/*
 * A console program's defaults: no process started this one with a STARTUPINFO of its
 * own (there is no CreateProcess here), so the fields are zero and the standard handles
 * are the process's.
 */
void WINAPI GetStartupInfoA(LPSTARTUPINFOA si)
{
    DWORD err = GetLastError();

    if (!si || winipc__bad_pointer(si))
        return;
    memset(si, 0, sizeof *si);
    si->cb = sizeof *si;
    si->hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si->hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si->hStdError = GetStdHandle(STD_ERROR_HANDLE);
    SetLastError(err);
}

void WINAPI GetStartupInfoW(LPSTARTUPINFOW si)
{
    DWORD err = GetLastError();

    if (!si || winipc__bad_pointer(si))
        return;
    memset(si, 0, sizeof *si);
    si->cb = sizeof *si;
    si->hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si->hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si->hStdError = GetStdHandle(STD_ERROR_HANDLE);
    SetLastError(err);
}

/* ---- Toolhelp32 ------------------------------------------------------------------------ */

HANDLE WINAPI CreateToolhelp32Snapshot(DWORD flags, DWORD process_id)
{
    (void)flags, (void)process_id;
    return winipc__fail(INVALID_HANDLE_VALUE, ERROR_NOT_SUPPORTED);
}

/* No snapshot handle exists here, so none given to these is one. */
static BOOL no_snapshot(HANDLE snapshot, const void *entry)
{
    (void)snapshot, (void)entry;
    return winipc__fail(FALSE, ERROR_INVALID_HANDLE);
}

BOOL WINAPI Process32First(HANDLE snapshot, LPPROCESSENTRY32 entry)
{
    return no_snapshot(snapshot, entry);
}

BOOL WINAPI Process32Next(HANDLE snapshot, LPPROCESSENTRY32 entry)
{
    return no_snapshot(snapshot, entry);
}

BOOL WINAPI Process32FirstW(HANDLE snapshot, LPPROCESSENTRY32W entry)
{
    return no_snapshot(snapshot, entry);
}

BOOL WINAPI Process32NextW(HANDLE snapshot, LPPROCESSENTRY32W entry)
{
    return no_snapshot(snapshot, entry);
}

BOOL WINAPI Thread32First(HANDLE snapshot, LPTHREADENTRY32 entry)
{
    return no_snapshot(snapshot, entry);
}

BOOL WINAPI Thread32Next(HANDLE snapshot, LPTHREADENTRY32 entry)
{
    return no_snapshot(snapshot, entry);
}

BOOL WINAPI Module32First(HANDLE snapshot, LPMODULEENTRY32 entry)
{
    return no_snapshot(snapshot, entry);
}

BOOL WINAPI Module32Next(HANDLE snapshot, LPMODULEENTRY32 entry)
{
    return no_snapshot(snapshot, entry);
}

BOOL WINAPI Module32FirstW(HANDLE snapshot, LPMODULEENTRY32W entry)
{
    return no_snapshot(snapshot, entry);
}

BOOL WINAPI Module32NextW(HANDLE snapshot, LPMODULEENTRY32W entry)
{
    return no_snapshot(snapshot, entry);
}
