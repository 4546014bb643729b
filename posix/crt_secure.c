/*
 * crt_secure.c - Microsoft's secure C runtime functions (the _s family) and the
 * Microsoft-only conversions around them (_itoa, _strlwr, ...).
 *
 * Each function checks its constraints in the order Microsoft's CRT does, and a
 * violation goes through invalid_parameter(): the handler of
 * _set_invalid_parameter_handler is called, errno is set, and the documented error
 * value is returned, after the destination was emptied where the documentation says
 * so. The narrow printf forms use glibc's vsnprintf (as printf does); the wide ones
 * use winipc's Microsoft-semantics formatter (text.c), as the rest of the wide
 * family does.
 *
 * Differs from Windows: without a handler the program continues after a constraint
 * violation (Microsoft's default handler terminates it).
 */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h> /* winipc's compat malloc.h: _aligned_malloc */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

/* ---- The invalid-parameter handler ---------------------------------------------------- */

static _Atomic(_invalid_parameter_handler) handler;

_invalid_parameter_handler _set_invalid_parameter_handler(_invalid_parameter_handler pNew)
{
    return atomic_exchange(&handler, pNew);
}

_invalid_parameter_handler _get_invalid_parameter_handler(void)
{
    return atomic_load(&handler);
}

/*
 * A constraint violation: calls the handler, if any (with NULL details, as the
 * release CRT does), sets errno to err and returns err.
 */
static int invalid_parameter(int err)
{
    _invalid_parameter_handler h = atomic_load(&handler);

    if (h)
        h(NULL, NULL, NULL, 0, 0);
    errno = err;
    return err;
}

/* ---- Copy and concatenation ------------------------------------------------------------ */

/*
 * The copy/concatenate engine shared by the narrow and wide, str and strn forms.
 * `start` is where copying begins in dest (0 for cpy, the current length for cat);
 * at most `count` characters are copied (_TRUNCATE: as many as fit, cut silently).
 * Returns 0, ERANGE (dest emptied) or STRUNCATE.
 */
#define DEFINE_COPY(name, T)                                                            \
    static errno_t name(T *dest, size_t size, size_t start, const T *src, size_t count) \
    {                                                                                   \
        size_t room = size - start, i;                                                  \
                                                                                        \
        for (i = 0; i < count && src[i]; i++) {                                         \
            if (i + 1 >= room) {                                                        \
                if (count == _TRUNCATE) {                                               \
                    dest[start + i] = 0;                                                \
                    return STRUNCATE;                                                   \
                }                                                                       \
                dest[0] = 0;                                                            \
                return invalid_parameter(ERANGE);                                       \
            }                                                                           \
            dest[start + i] = src[i];                                                   \
        }                                                                               \
        dest[start + i] = 0;                                                            \
        return 0;                                                                       \
    }
DEFINE_COPY(copy_narrow, char)
DEFINE_COPY(copy_wide, wchar_t)

errno_t strcpy_s(char *dest, rsize_t size, const char *src)
{
    if (!dest || size == 0)
        return invalid_parameter(EINVAL);
    if (!src) {
        dest[0] = 0;
        return invalid_parameter(EINVAL);
    }
    return copy_narrow(dest, size, 0, src, SIZE_MAX - 1);
}

errno_t wcscpy_s(wchar_t *dest, rsize_t size, const wchar_t *src)
{
    if (!dest || size == 0)
        return invalid_parameter(EINVAL);
    if (!src) {
        dest[0] = 0;
        return invalid_parameter(EINVAL);
    }
    return copy_wide(dest, size, 0, src, SIZE_MAX - 1);
}

/* strncpy_s(NULL, 0, NULL, 0) is allowed; a count of 0 empties dest. */
errno_t strncpy_s(char *dest, size_t size, const char *src, size_t count)
{
    if (count == 0 && !dest && size == 0)
        return 0;
    if (!dest || size == 0)
        return invalid_parameter(EINVAL);
    if (count == 0) {
        dest[0] = 0;
        return 0;
    }
    if (!src) {
        dest[0] = 0;
        return invalid_parameter(EINVAL);
    }
    return copy_narrow(dest, size, 0, src, count);
}

errno_t wcsncpy_s(wchar_t *dest, size_t size, const wchar_t *src, size_t count)
{
    if (count == 0 && !dest && size == 0)
        return 0;
    if (!dest || size == 0)
        return invalid_parameter(EINVAL);
    if (count == 0) {
        dest[0] = 0;
        return 0;
    }
    if (!src) {
        dest[0] = 0;
        return invalid_parameter(EINVAL);
    }
    return copy_wide(dest, size, 0, src, count);
}

/* Concatenation: dest must be terminated within size (EINVAL otherwise). */
errno_t strcat_s(char *dest, size_t size, const char *src)
{
    size_t len;

    if (!dest || size == 0)
        return invalid_parameter(EINVAL);
    if (!src) {
        dest[0] = 0;
        return invalid_parameter(EINVAL);
    }
    len = strnlen(dest, size);
    if (len == size) {
        dest[0] = 0;
        return invalid_parameter(EINVAL);
    }
    return copy_narrow(dest, size, len, src, SIZE_MAX - 1);
}

errno_t wcscat_s(wchar_t *dest, size_t size, const wchar_t *src)
{
    size_t len;

    if (!dest || size == 0)
        return invalid_parameter(EINVAL);
    if (!src) {
        dest[0] = 0;
        return invalid_parameter(EINVAL);
    }
    len = wcsnlen(dest, size);
    if (len == size) {
        dest[0] = 0;
        return invalid_parameter(EINVAL);
    }
    return copy_wide(dest, size, len, src, SIZE_MAX - 1);
}

errno_t strncat_s(char *dest, size_t size, const char *src, size_t count)
{
    size_t len;

    if (count == 0 && !dest && size == 0)
        return 0;
    if (!dest || size == 0)
        return invalid_parameter(EINVAL);
    if (count != 0 && !src) {
        dest[0] = 0;
        return invalid_parameter(EINVAL);
    }
    len = strnlen(dest, size);
    if (len == size) {
        dest[0] = 0;
        return invalid_parameter(EINVAL);
    }
    return count ? copy_narrow(dest, size, len, src, count) : 0;
}

errno_t wcsncat_s(wchar_t *dest, size_t size, const wchar_t *src, size_t count)
{
    size_t len;

    if (count == 0 && !dest && size == 0)
        return 0;
    if (!dest || size == 0)
        return invalid_parameter(EINVAL);
    if (count != 0 && !src) {
        dest[0] = 0;
        return invalid_parameter(EINVAL);
    }
    len = wcsnlen(dest, size);
    if (len == size) {
        dest[0] = 0;
        return invalid_parameter(EINVAL);
    }
    return count ? copy_wide(dest, size, len, src, count) : 0;
}

char *strtok_s(char *str, const char *delimiters, char **context)
{
    if (!context || !delimiters || (!str && !*context)) {
        invalid_parameter(EINVAL);
        return NULL;
    }
    return strtok_r(str, delimiters, context);
}

wchar_t *wcstok_s(wchar_t *str, const wchar_t *delimiters, wchar_t **context)
{
    if (!context || !delimiters || (!str && !*context)) {
        invalid_parameter(EINVAL);
        return NULL;
    }
    return wcstok(str, delimiters, context);
}

/* memcpy_s: a NULL source or a small destination zeroes the whole destination. */
errno_t memcpy_s(void *dest, size_t size, const void *src, size_t count)
{
    if (count == 0)
        return 0;
    if (!dest)
        return invalid_parameter(EINVAL);
    if (!src) {
        memset(dest, 0, size);
        return invalid_parameter(EINVAL);
    }
    if (size < count) {
        memset(dest, 0, size);
        return invalid_parameter(ERANGE);
    }
    memcpy(dest, src, count);
    return 0;
}

/* memmove_s leaves the destination alone on failure. */
errno_t memmove_s(void *dest, size_t size, const void *src, size_t count)
{
    if (count == 0)
        return 0;
    if (!dest || !src)
        return invalid_parameter(EINVAL);
    if (size < count)
        return invalid_parameter(ERANGE);
    memmove(dest, src, count);
    return 0;
}

errno_t wmemcpy_s(wchar_t *dest, size_t size, const wchar_t *src, size_t count)
{
    if (count > SIZE_MAX / sizeof(wchar_t))
        return invalid_parameter(ERANGE);
    return memcpy_s(dest, size > SIZE_MAX / sizeof(wchar_t) ? SIZE_MAX : size * sizeof(wchar_t),
                    src, count * sizeof(wchar_t));
}

errno_t wmemmove_s(wchar_t *dest, size_t size, const wchar_t *src, size_t count)
{
    if (count > SIZE_MAX / sizeof(wchar_t))
        return invalid_parameter(ERANGE);
    return memmove_s(dest, size > SIZE_MAX / sizeof(wchar_t) ? SIZE_MAX : size * sizeof(wchar_t),
                     src, count * sizeof(wchar_t));
}

static errno_t change_case(char *str, size_t size, int (*fn)(int))
{
    size_t len;

    if (!str)
        return invalid_parameter(EINVAL);
    len = strnlen(str, size);
    if (len == size) { /* unterminated within size */
        if (size)
            str[0] = 0;
        return invalid_parameter(EINVAL);
    }
    for (size_t i = 0; i < len; i++)
        str[i] = (char)fn((unsigned char)str[i]);
    return 0;
}

errno_t _strlwr_s(char *str, size_t size)
{
    return change_case(str, size, tolower);
}

errno_t _strupr_s(char *str, size_t size)
{
    return change_case(str, size, toupper);
}

char *_strlwr(char *str)
{
    for (char *p = str; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return str;
}

char *_strupr(char *str)
{
    for (char *p = str; p && *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return str;
}

/* ---- Number to text ------------------------------------------------------------------- */

/*
 * Writes `magnitude` in `radix` (2-36), after a '-' when `negative`, into out[size]
 * in lower case, as Microsoft's _itoa does. Returns 0, EINVAL or ERANGE (out emptied).
 */
static errno_t to_text(unsigned long long magnitude, bool negative, char *out, size_t size,
                       int radix)
{
    char digits[72];
    size_t n = 0, need;

    if (!out || size == 0)
        return invalid_parameter(EINVAL);
    out[0] = 0;
    if (radix < 2 || radix > 36)
        return invalid_parameter(EINVAL);
    do {
        unsigned d = (unsigned)(magnitude % (unsigned)radix);

        digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        magnitude /= (unsigned)radix;
    } while (magnitude);
    need = n + negative + 1;
    if (need > size)
        return invalid_parameter(ERANGE);
    if (negative)
        *out++ = '-';
    while (n)
        *out++ = digits[--n];
    *out = 0;
    return 0;
}

/* Microsoft's rule: only radix 10 shows a sign; other radixes print the bits. */
static errno_t signed_to_text(long long value, unsigned long long bits, char *out, size_t size,
                              int radix)
{
    if (radix == 10 && value < 0)
        return to_text(0 - (unsigned long long)value, true, out, size, radix);
    return to_text(radix == 10 ? (unsigned long long)value : bits, false, out, size, radix);
}

errno_t _itoa_s(int value, char *buffer, size_t size, int radix)
{
    return signed_to_text(value, (unsigned)value, buffer, size, radix);
}

errno_t _i64toa_s(long long value, char *buffer, size_t size, int radix)
{
    return signed_to_text(value, (unsigned long long)value, buffer, size, radix);
}

errno_t _ui64toa_s(unsigned long long value, char *buffer, size_t size, int radix)
{
    return to_text(value, false, buffer, size, radix);
}

errno_t _itow_s(int value, wchar_t *buffer, size_t size, int radix)
{
    char tmp[40];
    errno_t err;

    if (!buffer || size == 0)
        return invalid_parameter(EINVAL);
    err = _itoa_s(value, tmp, size < sizeof tmp ? size : sizeof tmp, radix);
    if (err) {
        buffer[0] = 0;
        return err;
    }
    for (size_t i = 0;; i++)
        if (!(buffer[i] = (wchar_t)(unsigned char)tmp[i]))
            break;
    return 0;
}

/* The unchecked forms assume a buffer of 33 (65 for 64 bits) characters, as Windows. */
char *_itoa(int value, char *buffer, int radix)
{
    _itoa_s(value, buffer, 33, radix);
    return buffer;
}

/* Microsoft's long is 32 bits: the value is taken as a LONG. */
char *_ltoa(long value, char *buffer, int radix)
{
    _itoa_s((int)(LONG)value, buffer, 33, radix);
    return buffer;
}

char *_ultoa(unsigned long value, char *buffer, int radix)
{
    to_text((ULONG)value, false, buffer, 33, radix);
    return buffer;
}

char *_i64toa(long long value, char *buffer, int radix)
{
    _i64toa_s(value, buffer, 65, radix);
    return buffer;
}

char *_ui64toa(unsigned long long value, char *buffer, int radix)
{
    to_text(value, false, buffer, 65, radix);
    return buffer;
}

wchar_t *_itow(int value, wchar_t *buffer, int radix)
{
    _itow_s(value, buffer, 33, radix);
    return buffer;
}

/* ---- Formatted output ------------------------------------------------------------------- */

/*
 * The _vsnprintf_s engine, narrow. At most `count` characters, or as many as fit
 * with _TRUNCATE: -1 when the text was cut (the buffer holds the cut text); when
 * it must fit the buffer and does not, the buffer is emptied and ERANGE reported.
 */
int _vsnprintf_s(char *buffer, size_t size, size_t count, const char *format, va_list ap)
{
    size_t limit;
    int n;

    if (count == 0 && !buffer && size == 0)
        return 0;
    if (!buffer || size == 0 || !format) {
        if (buffer && size)
            buffer[0] = 0;
        return invalid_parameter(EINVAL), -1;
    }
    limit = count < size ? count + 1 : size; /* room with the terminator */
    n = vsnprintf(buffer, limit, format, ap);
    if (n < 0) {
        buffer[0] = 0;
        return -1;
    }
    if ((size_t)n < limit)
        return n;
    if (count < size || count == _TRUNCATE) /* cut to count, or cut on request */
        return -1;
    buffer[0] = 0;
    return invalid_parameter(ERANGE), -1;
}

int vsnprintf_s(char *buffer, size_t size, size_t count, const char *format, va_list ap)
{
    return _vsnprintf_s(buffer, size, count, format, ap);
}

int _snprintf_s(char *buffer, size_t size, size_t count, const char *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = _vsnprintf_s(buffer, size, count, format, ap);
    va_end(ap);
    return r;
}

/* sprintf_s: the whole text must fit; a NULL buffer or format or size 0 is EINVAL. */
int vsprintf_s(char *buffer, size_t size, const char *format, va_list ap)
{
    int n;

    if (!buffer || size == 0 || !format) {
        if (buffer && size)
            buffer[0] = 0;
        return invalid_parameter(EINVAL), -1;
    }
    n = vsnprintf(buffer, size, format, ap);
    if (n < 0) {
        buffer[0] = 0;
        return -1;
    }
    if ((size_t)n >= size) {
        buffer[0] = 0;
        return invalid_parameter(ERANGE), -1;
    }
    return n;
}

int sprintf_s(char *buffer, size_t size, const char *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = vsprintf_s(buffer, size, format, ap);
    va_end(ap);
    return r;
}

int _vscprintf(const char *format, va_list ap)
{
    if (!format)
        return invalid_parameter(EINVAL), -1;
    return vsnprintf(NULL, 0, format, ap);
}

int _scprintf(const char *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = _vscprintf(format, ap);
    va_end(ap);
    return r;
}

int vfprintf_s(FILE *stream, const char *format, va_list ap)
{
    if (!stream || !format)
        return invalid_parameter(EINVAL), -1;
    return vfprintf(stream, format, ap);
}

int fprintf_s(FILE *stream, const char *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = vfprintf_s(stream, format, ap);
    va_end(ap);
    return r;
}

int vprintf_s(const char *format, va_list ap)
{
    return vfprintf_s(stdout, format, ap);
}

int printf_s(const char *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = vfprintf_s(stdout, format, ap);
    va_end(ap);
    return r;
}

/* Formats with Microsoft's wide rules into a malloc'ed string; its length, or -1. */
static int format_wide(const wchar_t *format, va_list ap, wchar_t **out)
{
    size_t len;

    if (!winipc__wformat(format, ap, out, &len))
        return -1;
    if (len > INT_MAX) {
        free(*out);
        return errno = EOVERFLOW, -1;
    }
    return (int)len;
}

/* The wide _vsnwprintf_s engine: the narrow one's rules, Microsoft's wide format. */
int _vsnwprintf_s(wchar_t *buffer, size_t size, size_t count, const wchar_t *format, va_list ap)
{
    size_t limit;
    wchar_t *text;
    int n;

    if (count == 0 && !buffer && size == 0)
        return 0;
    if (!buffer || size == 0 || !format) {
        if (buffer && size)
            buffer[0] = 0;
        return invalid_parameter(EINVAL), -1;
    }
    n = format_wide(format, ap, &text);
    if (n < 0) {
        buffer[0] = 0;
        return -1;
    }
    limit = count < size ? count : size - 1; /* characters, without the terminator */
    if ((size_t)n <= limit) {
        wmemcpy(buffer, text, (size_t)n + 1);
        free(text);
        return n;
    }
    wmemcpy(buffer, text, limit);
    buffer[limit] = 0;
    free(text);
    if (count < size || count == _TRUNCATE)
        return -1;
    buffer[0] = 0;
    return invalid_parameter(ERANGE), -1;
}

int _snwprintf_s(wchar_t *buffer, size_t size, size_t count, const wchar_t *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = _vsnwprintf_s(buffer, size, count, format, ap);
    va_end(ap);
    return r;
}

/* swprintf_s: the whole text must fit (ERANGE and an empty buffer otherwise). */
int vswprintf_s(wchar_t *buffer, size_t size, const wchar_t *format, va_list ap)
{
    if (!buffer || size == 0 || !format) {
        if (buffer && size)
            buffer[0] = 0;
        return invalid_parameter(EINVAL), -1;
    }
    return _vsnwprintf_s(buffer, size, SIZE_MAX - 1, format, ap);
}

int swprintf_s(wchar_t *buffer, size_t size, const wchar_t *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = vswprintf_s(buffer, size, format, ap);
    va_end(ap);
    return r;
}

int _vscwprintf(const wchar_t *format, va_list ap)
{
    wchar_t *text;
    int n;

    if (!format)
        return invalid_parameter(EINVAL), -1;
    n = format_wide(format, ap, &text);
    if (n >= 0)
        free(text);
    return n;
}

int _scwprintf(const wchar_t *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = _vscwprintf(format, ap);
    va_end(ap);
    return r;
}

int vfwprintf_s(FILE *stream, const wchar_t *format, va_list ap)
{
    if (!stream || !format)
        return invalid_parameter(EINVAL), -1;
    return winipc_vfwprintf(stream, format, ap);
}

int fwprintf_s(FILE *stream, const wchar_t *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = vfwprintf_s(stream, format, ap);
    va_end(ap);
    return r;
}

int vwprintf_s(const wchar_t *format, va_list ap)
{
    return vfwprintf_s(stdout, format, ap);
}

int wprintf_s(const wchar_t *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = vfwprintf_s(stdout, format, ap);
    va_end(ap);
    return r;
}

/* ---- Files ---------------------------------------------------------------------------- */

/*
 * fopen's mode from Microsoft's: the access letter, '+', then 'x' and 'e' (for 'N');
 * *delete_on_close for 'D'. NULL when the mode is not one Microsoft accepts.
 */
static const char *posix_mode(const char *mode, char out[8], bool *delete_on_close)
{
    size_t n = 0;
    const char *p = mode;

    *delete_on_close = false;
    while (*p == ' ')
        p++;
    if (*p != 'r' && *p != 'w' && *p != 'a')
        return NULL;
    out[n++] = *p++;
    for (; *p && *p != ','; p++) {
        switch (*p) {
        case '+':
        case 'x':
            if (!memchr(out, *p, n))
                out[n++] = *p;
            break;
        case 'N':
            if (!memchr(out, 'e', n))
                out[n++] = 'e';
            break;
        case 'D':
            *delete_on_close = true;
            break;
        case 't':
        case 'b':
        case 'c':
        case 'n':
        case 'S':
        case 'R':
        case 'T':
        case ' ':
            break;
        default:
            return NULL;
        }
        if (n > 5)
            return NULL;
    }
    if (*p == ',') { /* ",ccs=UTF-8" and the like */
        p++;
        while (*p == ' ')
            p++;
        if (strncmp(p, "ccs", 3) != 0)
            return NULL;
    }
    out[n] = 0;
    return out;
}

errno_t fopen_s(FILE **file, const char *filename, const char *mode)
{
    char pmode[8];
    bool delete_on_close;
    FILE *f;

    if (!file)
        return invalid_parameter(EINVAL);
    *file = NULL;
    if (!filename || !mode || !posix_mode(mode, pmode, &delete_on_close))
        return invalid_parameter(EINVAL);
    f = fopen(filename, pmode);
    if (!f)
        return errno;
    /* 'D': delete on close. The name goes now; the open stream keeps the data. */
    if (delete_on_close)
        unlink(filename);
    *file = f;
    return 0;
}

errno_t _wfopen_s(FILE **file, const wchar_t *filename, const wchar_t *mode)
{
    char *name, *m;
    errno_t err;

    if (!file)
        return invalid_parameter(EINVAL);
    *file = NULL;
    if (!filename || !mode)
        return invalid_parameter(EINVAL);
    name = winipc__utf8_from_w(filename);
    m = winipc__utf8_from_w(mode);
    err = name && m ? fopen_s(file, name, m) : (errno = ENOMEM);
    free(name);
    free(m);
    return err;
}

FILE *_wfopen(const wchar_t *filename, const wchar_t *mode)
{
    FILE *f = NULL;

    _wfopen_s(&f, filename, mode);
    return f;
}

/* ---- Time ----------------------------------------------------------------------------- */

/* Microsoft's answer for an invalid time: every field -1, and EINVAL. */
static errno_t bad_time(struct tm *tm_dest)
{
    memset(tm_dest, 0xff, sizeof *tm_dest);
    return invalid_parameter(EINVAL);
}

errno_t localtime_s(struct tm *tm_dest, const time_t *source_time)
{
    if (!tm_dest)
        return invalid_parameter(EINVAL);
    if (!source_time || *source_time < 0 || !localtime_r(source_time, tm_dest))
        return bad_time(tm_dest);
    return 0;
}

errno_t gmtime_s(struct tm *tm_dest, const time_t *source_time)
{
    if (!tm_dest)
        return invalid_parameter(EINVAL);
    if (!source_time || *source_time < 0 || !gmtime_r(source_time, tm_dest))
        return bad_time(tm_dest);
    return 0;
}

errno_t _localtime64_s(struct tm *tm_dest, const __time64_t *source_time)
{
    time_t t;

    if (!source_time)
        return tm_dest ? bad_time(tm_dest) : invalid_parameter(EINVAL);
    t = (time_t)*source_time;
    return localtime_s(tm_dest, &t);
}

errno_t _gmtime64_s(struct tm *tm_dest, const __time64_t *source_time)
{
    time_t t;

    if (!source_time)
        return tm_dest ? bad_time(tm_dest) : invalid_parameter(EINVAL);
    t = (time_t)*source_time;
    return gmtime_s(tm_dest, &t);
}

/* asctime_s: "Wed Jan 02 02:03:55 1980\n", 26 characters with the terminator. */
errno_t asctime_s(char *buffer, size_t size, const struct tm *tm_source)
{
    static const char days[] = "SunMonTueWedThuFriSat",
                      months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

    if (!buffer || size == 0)
        return invalid_parameter(EINVAL);
    buffer[0] = 0;
    if (size < 26)
        return invalid_parameter(EINVAL);
    if (!tm_source || tm_source->tm_mon < 0 || tm_source->tm_mon > 11 || tm_source->tm_wday < 0 ||
        tm_source->tm_wday > 6 || tm_source->tm_mday < 1 || tm_source->tm_mday > 31 ||
        tm_source->tm_hour < 0 || tm_source->tm_hour > 23 || tm_source->tm_min < 0 ||
        tm_source->tm_min > 59 || tm_source->tm_sec < 0 || tm_source->tm_sec > 60 ||
        tm_source->tm_year < 0 || tm_source->tm_year > 8099)
        return invalid_parameter(EINVAL);
    snprintf(buffer, size, "%.3s %.3s %02d %02d:%02d:%02d %04d\n", days + 3 * tm_source->tm_wday,
             months + 3 * tm_source->tm_mon, tm_source->tm_mday, tm_source->tm_hour,
             tm_source->tm_min, tm_source->tm_sec, tm_source->tm_year + 1900);
    return 0;
}

errno_t ctime_s(char *buffer, size_t size, const time_t *source_time)
{
    struct tm tm;

    if (!buffer || size == 0)
        return invalid_parameter(EINVAL);
    buffer[0] = 0;
    if (size < 26 || !source_time || *source_time < 0 || !localtime_r(source_time, &tm))
        return invalid_parameter(EINVAL);
    return asctime_s(buffer, size, &tm);
}

/* ---- Environment ------------------------------------------------------------------------ */

errno_t _dupenv_s(char **buffer, size_t *count, const char *name)
{
    const char *value;

    if (!buffer)
        return invalid_parameter(EINVAL);
    *buffer = NULL;
    if (count)
        *count = 0;
    if (!name)
        return invalid_parameter(EINVAL);
    value = getenv(name);
    if (!value)
        return 0; /* not set: a NULL buffer, and success */
    *buffer = strdup(value);
    if (!*buffer)
        return errno = ENOMEM;
    if (count)
        *count = strlen(value) + 1;
    return 0;
}

errno_t _wdupenv_s(wchar_t **buffer, size_t *count, const wchar_t *name)
{
    char *utf8_name;
    const char *value;
    int n;

    if (!buffer)
        return invalid_parameter(EINVAL);
    *buffer = NULL;
    if (count)
        *count = 0;
    if (!name)
        return invalid_parameter(EINVAL);
    utf8_name = winipc__utf8_from_w(name);
    if (!utf8_name)
        return errno = ENOMEM;
    value = getenv(utf8_name);
    free(utf8_name);
    if (!value)
        return 0;
    n = MultiByteToWideChar(CP_UTF8, 0, value, -1, NULL, 0);
    *buffer = calloc(n > 0 ? (size_t)n : 1, sizeof(wchar_t));
    if (!*buffer)
        return errno = ENOMEM;
    if (n > 0)
        MultiByteToWideChar(CP_UTF8, 0, value, -1, *buffer, n);
    if (count)
        *count = n > 0 ? (size_t)n : 1;
    return 0;
}

/* getenv_s: *required is the size with the terminator (0 when unset). */
errno_t getenv_s(size_t *required, char *buffer, size_t size, const char *name)
{
    const char *value;
    size_t len;

    if (!required || (!buffer && size) || !name)
        return invalid_parameter(EINVAL);
    if (buffer && size)
        buffer[0] = 0;
    value = getenv(name);
    *required = 0;
    if (!value)
        return 0;
    len = strlen(value) + 1;
    *required = len;
    if (!buffer && size == 0)
        return 0; /* a size query */
    if (len > size)
        return invalid_parameter(ERANGE);
    memcpy(buffer, value, len);
    return 0;
}

/* _putenv_s: an empty value removes the variable, as on Windows. */
errno_t _putenv_s(const char *name, const char *value)
{
    if (!name || !value || !*name || strchr(name, '='))
        return invalid_parameter(EINVAL);
    if (*value ? setenv(name, value, 1) : unsetenv(name))
        return errno;
    return 0;
}

/* ---- Microsoft's names of POSIX and GNU functions ----------------------------------------- */

static unsigned long fold_ascii(unsigned long c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int _strnicmp(const char *a, const char *b, size_t n)
{
    if (!a || !b)
        return invalid_parameter(EINVAL), INT_MAX; /* _NLSCMPERROR */
    for (size_t i = 0; i < n; i++) {
        unsigned long ca = fold_ascii((unsigned char)a[i]), cb = fold_ascii((unsigned char)b[i]);

        if (ca != cb || !ca)
            return (int)ca - (int)cb;
    }
    return 0;
}

int _stricmp(const char *a, const char *b)
{
    return _strnicmp(a, b, SIZE_MAX);
}

int _wcsnicmp(const wchar_t *a, const wchar_t *b, size_t n)
{
    if (!a || !b)
        return invalid_parameter(EINVAL), INT_MAX;
    for (size_t i = 0; i < n; i++) {
        unsigned long ca = fold_ascii((unsigned long)(uint32_t)a[i]);
        unsigned long cb = fold_ascii((unsigned long)(uint32_t)b[i]);

        if (ca != cb || !ca)
            return ca < cb ? -1 : ca > cb;
    }
    return 0;
}

int _wcsicmp(const wchar_t *a, const wchar_t *b)
{
    return _wcsnicmp(a, b, SIZE_MAX);
}

char *_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

wchar_t *_wcsdup(const wchar_t *s)
{
    return s ? wcsdup(s) : NULL;
}

/* ---- <malloc.h> --------------------------------------------------------------------------- */

/* An alignment that is not a power of two is EINVAL, as in Microsoft's CRT. */
void *_aligned_malloc(size_t size, size_t alignment)
{
    void *p;
    int err;

    if (alignment == 0 || (alignment & (alignment - 1)))
        return invalid_parameter(EINVAL), NULL;
    if (alignment < sizeof(void *))
        alignment = sizeof(void *);
    err = posix_memalign(&p, alignment, size ? size : 1);
    if (err)
        return errno = err, NULL;
    return p;
}

void _aligned_free(void *memblock)
{
    free(memblock);
}
