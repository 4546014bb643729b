/*
 * toolhelp.c - Toolhelp32 snapshots, which winipc does not implement (tlhelp32.h).
 *
 * Differs from Windows: CreateToolhelp32Snapshot fails with ERROR_CALL_NOT_IMPLEMENTED,
 * so there is never a snapshot handle, and the iteration functions fail with
 * ERROR_INVALID_HANDLE. Code that lists processes takes its failure path; code that
 * only compiles against these names links.
 */
#include "internal.h"

#include "winipc/toolhelp.h"

HANDLE WINAPI CreateToolhelp32Snapshot(DWORD flags, DWORD process_id)
{
    (void)flags, (void)process_id;
    return winipc__fail(INVALID_HANDLE_VALUE, ERROR_CALL_NOT_IMPLEMENTED);
}

/* No snapshot handle exists, so every handle given here is not one. */
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
