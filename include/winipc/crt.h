/*
 * winipc/crt.h - Microsoft C runtime semantics that Win32 programs rely on, for
 * systems other than Windows. Included by winipc/win32.h; not for direct use.
 *
 * The wide printf family follows Microsoft's format rules (%s and %c take wide
 * arguments, %S and %C narrow ones, %ld is 32 bits, I64/I32/I size prefixes) and
 * writes UTF-8 through the same stream as printf, so that code written for Windows
 * prints what it prints there. The standard names are mapped to winipc's
 * implementations; define WINIPC_NO_MS_PRINTF before including <windows.h> to keep
 * glibc's.
 */
#ifndef WINIPC_CRT_H
#define WINIPC_CRT_H

#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>

#ifdef __cplusplus
extern "C" {
#endif

WINIPC_API int winipc_wprintf(const wchar_t *fmt, ...);
WINIPC_API int winipc_vwprintf(const wchar_t *fmt, va_list ap);
WINIPC_API int winipc_fwprintf(FILE *f, const wchar_t *fmt, ...);
WINIPC_API int winipc_vfwprintf(FILE *f, const wchar_t *fmt, va_list ap);
/* swprintf with a count (the conforming form): -1 and an empty string if too small. */
WINIPC_API int winipc_swprintf(wchar_t *buf, size_t count, const wchar_t *fmt, ...);
WINIPC_API int winipc_vswprintf(wchar_t *buf, size_t count, const wchar_t *fmt, va_list ap);
/* _swprintf, the legacy form without a count (as unbounded as Microsoft's). */
WINIPC_API int winipc_swprintf_legacy(wchar_t *buf, const wchar_t *fmt, ...);
/* _snwprintf / _snprintf: -1 and no terminator when the output does not fit. */
WINIPC_API int winipc_snwprintf(wchar_t *buf, size_t count, const wchar_t *fmt, ...);
WINIPC_API int winipc_vsnwprintf(wchar_t *buf, size_t count, const wchar_t *fmt, va_list ap);
WINIPC_API int winipc_snprintf(char *buf, size_t count, const char *fmt, ...);
WINIPC_API int winipc_vsnprintf(char *buf, size_t count, const char *fmt, va_list ap);

/* Runs a _UNICODE program's wmain with argv converted from UTF-8 (see tchar.h). */
WINIPC_API int winipc_main_w(int argc, char **argv, int (*wmain_fn)(int argc, wchar_t **argv));

#ifndef WINIPC_NO_MS_PRINTF
#undef wprintf
#undef vwprintf
#undef fwprintf
#undef vfwprintf
#undef swprintf
#undef vswprintf
#define wprintf winipc_wprintf
#define vwprintf winipc_vwprintf
#define fwprintf winipc_fwprintf
#define vfwprintf winipc_vfwprintf
#define swprintf winipc_swprintf
#define vswprintf winipc_vswprintf
/*
 * In C++, code that spells std::wprintf after these macros reaches winipc's function
 * as std::winipc_wprintf; <cwchar> included after them #undefs the plain names (call
 * wprintf_s, or _tprintf, which keep Microsoft's rules whatever the order).
 */
#ifdef __cplusplus
}
namespace std
{
using ::winipc_fwprintf;
using ::winipc_swprintf;
using ::winipc_vfwprintf;
using ::winipc_vswprintf;
using ::winipc_vwprintf;
using ::winipc_wprintf;
} // namespace std
extern "C" {
#endif
#endif
#define _swprintf winipc_swprintf_legacy
#define _snwprintf winipc_snwprintf
#define _vsnwprintf winipc_vsnwprintf
#define _snprintf winipc_snprintf
#define _vsnprintf winipc_vsnprintf

#ifdef __cplusplus
}
#endif

#endif /* WINIPC_CRT_H */
