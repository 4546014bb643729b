/*
 * winipc.c - winipc's own extensions on Windows, where the Win32 API itself is the
 * real one: programs link -lwinipc / winipc::winipc the same way on both systems.
 */
#include "winipc.h"

const char *WINAPI winipc_version(void)
{
    return WINIPC_VERSION_STRING;
}

/* The Windows kernel deletes unreferenced named objects itself: nothing to sweep. */
DWORD WINAPI winipc_sweep(void)
{
    return 0;
}
