/*
 * winipc/crt_secure.h - Microsoft's "secure" C runtime functions (the _s family) and
 * the Microsoft names of standard string functions, for systems other than Windows
 * (posix/crt_secure.c). Included by winipc/win32.h; not for direct use.
 *
 * Return values and the emptied destination follow Microsoft's documentation:
 * EINVAL for a NULL pointer or a zero size, ERANGE when the destination is too
 * small, STRUNCATE (80) when _TRUNCATE cut the string; errno is set as well. The wide
 * printf forms use Microsoft's format rules (%s is wide, %ld is 32 bits, see crt.h);
 * the narrow ones are glibc's, as printf is (print LONG and DWORD with %d and %u).
 *
 * Differs from Windows: a constraint violation calls the handler installed with
 * _set_invalid_parameter_handler, if any, and then returns the error. Without one the
 * program continues (Microsoft's default handler ends it): a port keeps running
 * where the Windows build would have stopped, and sees the documented error value.
 */
#ifndef WINIPC_CRT_SECURE_H
#define WINIPC_CRT_SECURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <wchar.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _ERRNO_T_DEFINED
#define _ERRNO_T_DEFINED
typedef int errno_t;
#endif
#ifndef _RSIZE_T_DEFINED
#define _RSIZE_T_DEFINED
typedef size_t rsize_t;
#endif
typedef long long __time64_t;
#define _TRUNCATE ((size_t)-1)
#define STRUNCATE 80
#define __STDC_SECURE_LIB__ 200411L
#define __GOT_SECURE_LIB__ __STDC_SECURE_LIB__

typedef void (*_invalid_parameter_handler)(const wchar_t *expression, const wchar_t *function,
                                           const wchar_t *file, unsigned int line,
                                           uintptr_t reserved);
WINIPC_API _invalid_parameter_handler
_set_invalid_parameter_handler(_invalid_parameter_handler pNew);
WINIPC_API _invalid_parameter_handler _get_invalid_parameter_handler(void);

/* ---- Strings and memory ------------------------------------------------------------- */
WINIPC_API errno_t strcpy_s(char *dest, rsize_t dest_size, const char *src);
WINIPC_API errno_t strncpy_s(char *dest, size_t dest_size, const char *src, size_t count);
WINIPC_API errno_t strcat_s(char *dest, size_t dest_size, const char *src);
WINIPC_API errno_t strncat_s(char *dest, size_t dest_size, const char *src, size_t count);
WINIPC_API errno_t wcscpy_s(wchar_t *dest, rsize_t dest_size, const wchar_t *src);
WINIPC_API errno_t wcsncpy_s(wchar_t *dest, size_t dest_size, const wchar_t *src, size_t count);
WINIPC_API errno_t wcscat_s(wchar_t *dest, size_t dest_size, const wchar_t *src);
WINIPC_API errno_t wcsncat_s(wchar_t *dest, size_t dest_size, const wchar_t *src, size_t count);
WINIPC_API char *strtok_s(char *str, const char *delimiters, char **context);
WINIPC_API wchar_t *wcstok_s(wchar_t *str, const wchar_t *delimiters, wchar_t **context);
WINIPC_API errno_t memcpy_s(void *dest, size_t dest_size, const void *src, size_t count);
WINIPC_API errno_t memmove_s(void *dest, size_t dest_size, const void *src, size_t count);
WINIPC_API errno_t wmemcpy_s(wchar_t *dest, size_t dest_size, const wchar_t *src, size_t count);
WINIPC_API errno_t wmemmove_s(wchar_t *dest, size_t dest_size, const wchar_t *src, size_t count);
WINIPC_API errno_t _strlwr_s(char *str, size_t size);
WINIPC_API errno_t _strupr_s(char *str, size_t size);
WINIPC_API errno_t _itoa_s(int value, char *buffer, size_t size, int radix);
WINIPC_API errno_t _i64toa_s(long long value, char *buffer, size_t size, int radix);
WINIPC_API errno_t _ui64toa_s(unsigned long long value, char *buffer, size_t size, int radix);
WINIPC_API errno_t _itow_s(int value, wchar_t *buffer, size_t size, int radix);
WINIPC_API char *_itoa(int value, char *buffer, int radix);
WINIPC_API char *_ltoa(long value, char *buffer, int radix);
WINIPC_API char *_ultoa(unsigned long value, char *buffer, int radix);
WINIPC_API char *_i64toa(long long value, char *buffer, int radix);
WINIPC_API char *_ui64toa(unsigned long long value, char *buffer, int radix);
WINIPC_API wchar_t *_itow(int value, wchar_t *buffer, int radix);
WINIPC_API char *_strlwr(char *str);
WINIPC_API char *_strupr(char *str);

/* ---- Formatted output ----------------------------------------------------------------- */
WINIPC_API int sprintf_s(char *buffer, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
WINIPC_API int vsprintf_s(char *buffer, size_t size, const char *format, va_list ap)
    __attribute__((format(printf, 3, 0)));
WINIPC_API int _snprintf_s(char *buffer, size_t size, size_t count, const char *format, ...)
    __attribute__((format(printf, 4, 5)));
WINIPC_API int _vsnprintf_s(char *buffer, size_t size, size_t count, const char *format, va_list ap)
    __attribute__((format(printf, 4, 0)));
WINIPC_API int vsnprintf_s(char *buffer, size_t size, size_t count, const char *format, va_list ap)
    __attribute__((format(printf, 4, 0)));
WINIPC_API int _scprintf(const char *format, ...) __attribute__((format(printf, 1, 2)));
WINIPC_API int _vscprintf(const char *format, va_list ap) __attribute__((format(printf, 1, 0)));
WINIPC_API int printf_s(const char *format, ...) __attribute__((format(printf, 1, 2)));
WINIPC_API int vprintf_s(const char *format, va_list ap) __attribute__((format(printf, 1, 0)));
WINIPC_API int fprintf_s(FILE *stream, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
WINIPC_API int vfprintf_s(FILE *stream, const char *format, va_list ap)
    __attribute__((format(printf, 2, 0)));
WINIPC_API int swprintf_s(wchar_t *buffer, size_t size, const wchar_t *format, ...);
WINIPC_API int vswprintf_s(wchar_t *buffer, size_t size, const wchar_t *format, va_list ap);
WINIPC_API int _snwprintf_s(wchar_t *buffer, size_t size, size_t count, const wchar_t *format, ...);
WINIPC_API int _vsnwprintf_s(wchar_t *buffer, size_t size, size_t count, const wchar_t *format,
                             va_list ap);
WINIPC_API int _scwprintf(const wchar_t *format, ...);
WINIPC_API int _vscwprintf(const wchar_t *format, va_list ap);
WINIPC_API int wprintf_s(const wchar_t *format, ...);
WINIPC_API int vwprintf_s(const wchar_t *format, va_list ap);
WINIPC_API int fwprintf_s(FILE *stream, const wchar_t *format, ...);
WINIPC_API int vfwprintf_s(FILE *stream, const wchar_t *format, va_list ap);

/* ---- Files, time, environment ----------------------------------------------------------- */
/*
 * fopen_s and _wfopen_s take Microsoft's mode letters: t and b, c and n (commit) and S,
 * R, T are accepted and have no effect, N opens close-on-exec (not inherited), D
 * deletes the file when it is closed, "ccs=..." is ignored (files are UTF-8 text).
 * The path is used as fopen would use it.
 */
WINIPC_API errno_t fopen_s(FILE **file, const char *filename, const char *mode);
WINIPC_API errno_t _wfopen_s(FILE **file, const wchar_t *filename, const wchar_t *mode);
WINIPC_API FILE *_wfopen(const wchar_t *filename, const wchar_t *mode);
WINIPC_API errno_t localtime_s(struct tm *tm_dest, const time_t *source_time);
WINIPC_API errno_t gmtime_s(struct tm *tm_dest, const time_t *source_time);
WINIPC_API errno_t _localtime64_s(struct tm *tm_dest, const __time64_t *source_time);
WINIPC_API errno_t _gmtime64_s(struct tm *tm_dest, const __time64_t *source_time);
WINIPC_API errno_t asctime_s(char *buffer, size_t size, const struct tm *tm_source);
WINIPC_API errno_t ctime_s(char *buffer, size_t size, const time_t *source_time);
/* _dupenv_s allocates with malloc: free the buffer with free(). */
WINIPC_API errno_t _dupenv_s(char **buffer, size_t *count, const char *name);
WINIPC_API errno_t _wdupenv_s(wchar_t **buffer, size_t *count, const wchar_t *name);
WINIPC_API errno_t getenv_s(size_t *required, char *buffer, size_t size, const char *name);
WINIPC_API errno_t _putenv_s(const char *name, const char *value);

/* ---- Microsoft's names of POSIX and GNU functions ----------------------------------------- */
/*
 * Functions of the library rather than macros naming strcasecmp, strdup, wcscasecmp,
 * ...: glibc declares those only with POSIX or GNU features enabled, and a ported
 * project may build with -std=c11. Case-insensitive comparisons fold ASCII letters
 * (the C locale), as Microsoft's do in it.
 */
WINIPC_API int _stricmp(const char *a, const char *b);
WINIPC_API int _strnicmp(const char *a, const char *b, size_t n);
WINIPC_API int _wcsicmp(const wchar_t *a, const wchar_t *b);
WINIPC_API int _wcsnicmp(const wchar_t *a, const wchar_t *b, size_t n);
WINIPC_API char *_strdup(const char *s);
WINIPC_API wchar_t *_wcsdup(const wchar_t *s);
#define _strcmpi _stricmp
#define _strtoi64 strtoll
#define _strtoui64 strtoull
#define _wcstoi64 wcstoll
#define _wcstoui64 wcstoull
#define _atoi64(s) strtoll((s), NULL, 10)
#define _wtoi(s) ((int)wcstol((s), NULL, 10))
#define _wtol(s) ((long)wcstol((s), NULL, 10))
#define _wtoi64(s) wcstoll((s), NULL, 10)
#define _wtof(s) wcstod((s), NULL)

#ifdef __cplusplus
}

/*
 * The C++ overloads that take the destination's size from its array type, as MSVC
 * declares them (_CRT_SECURE_CPP_OVERLOAD_SECURE_NAMES): strcpy_s(buf, src).
 */
extern "C++" {
template <size_t N> inline errno_t strcpy_s(char (&dest)[N], const char *src)
{
    return strcpy_s(dest, N, src);
}
template <size_t N> inline errno_t strncpy_s(char (&dest)[N], const char *src, size_t count)
{
    return strncpy_s(dest, N, src, count);
}
template <size_t N> inline errno_t strcat_s(char (&dest)[N], const char *src)
{
    return strcat_s(dest, N, src);
}
template <size_t N> inline errno_t strncat_s(char (&dest)[N], const char *src, size_t count)
{
    return strncat_s(dest, N, src, count);
}
template <size_t N> inline errno_t wcscpy_s(wchar_t (&dest)[N], const wchar_t *src)
{
    return wcscpy_s(dest, N, src);
}
template <size_t N> inline errno_t wcsncpy_s(wchar_t (&dest)[N], const wchar_t *src, size_t count)
{
    return wcsncpy_s(dest, N, src, count);
}
template <size_t N> inline errno_t wcscat_s(wchar_t (&dest)[N], const wchar_t *src)
{
    return wcscat_s(dest, N, src);
}
template <size_t N> inline errno_t wcsncat_s(wchar_t (&dest)[N], const wchar_t *src, size_t count)
{
    return wcsncat_s(dest, N, src, count);
}
template <size_t N> inline int sprintf_s(char (&buffer)[N], const char *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = vsprintf_s(buffer, N, format, ap);
    va_end(ap);
    return r;
}
template <size_t N> inline int vsprintf_s(char (&buffer)[N], const char *format, va_list ap)
{
    return vsprintf_s(buffer, N, format, ap);
}
template <size_t N> inline int _snprintf_s(char (&buffer)[N], size_t count, const char *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = _vsnprintf_s(buffer, N, count, format, ap);
    va_end(ap);
    return r;
}
template <size_t N>
inline int _vsnprintf_s(char (&buffer)[N], size_t count, const char *format, va_list ap)
{
    return _vsnprintf_s(buffer, N, count, format, ap);
}
template <size_t N> inline int swprintf_s(wchar_t (&buffer)[N], const wchar_t *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = vswprintf_s(buffer, N, format, ap);
    va_end(ap);
    return r;
}
template <size_t N>
inline int _snwprintf_s(wchar_t (&buffer)[N], size_t count, const wchar_t *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = _vsnwprintf_s(buffer, N, count, format, ap);
    va_end(ap);
    return r;
}
template <size_t N> inline errno_t _itoa_s(int value, char (&buffer)[N], int radix)
{
    return _itoa_s(value, buffer, N, radix);
}
template <size_t N> inline errno_t _itow_s(int value, wchar_t (&buffer)[N], int radix)
{
    return _itow_s(value, buffer, N, radix);
}
template <size_t N> inline errno_t asctime_s(char (&buffer)[N], const struct tm *tm_source)
{
    return asctime_s(buffer, N, tm_source);
}
template <size_t N> inline errno_t ctime_s(char (&buffer)[N], const time_t *source_time)
{
    return ctime_s(buffer, N, source_time);
}
template <size_t N> inline errno_t _strlwr_s(char (&str)[N])
{
    return _strlwr_s(str, N);
}
template <size_t N> inline errno_t _strupr_s(char (&str)[N])
{
    return _strupr_s(str, N);
}
}
#endif

#endif /* WINIPC_CRT_SECURE_H */
