/*
 * winipc/strsafe.h - the StringCch and StringCb functions of the SDK's <strsafe.h>,
 * inline as there. Include <strsafe.h> from the compat directory.
 *
 * They always terminate the destination, and return S_OK,
 * STRSAFE_E_INSUFFICIENT_BUFFER (the result was cut to fit) or
 * STRSAFE_E_INVALID_PARAMETER (a zero or oversized buffer, an unterminated string).
 * The W printf forms use Microsoft's format rules (winipc/crt.h), the A forms
 * glibc's, as printf does.
 */
#ifndef WINIPC_STRSAFE_H
#define WINIPC_STRSAFE_H

#include <winipc.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STRSAFE_MAX_CCH 2147483647
#define STRSAFE_E_INSUFFICIENT_BUFFER ((HRESULT)0x8007007AL)
#define STRSAFE_E_INVALID_PARAMETER ((HRESULT)0x80070057L)
#define STRSAFE_E_END_OF_FILE ((HRESULT)0x80070026L)
#define STRSAFEAPI static inline HRESULT
typedef char *STRSAFE_LPSTR;
typedef const char *STRSAFE_LPCSTR;
typedef wchar_t *STRSAFE_LPWSTR;
typedef const wchar_t *STRSAFE_LPCWSTR;

/* strnlen and wcsnlen, which strict ISO C builds of glibc's headers do not declare. */
static inline size_t winipc_strsafe_len_a(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}
static inline size_t winipc_strsafe_len_w(const wchar_t *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

/* Copies at most n characters of src to dst[cch] (cch > 0), always terminating it. */
STRSAFEAPI winipc_strsafe_copy_a(char *dst, size_t cch, const char *src, size_t n)
{
    size_t i;

    if (!dst || cch == 0 || cch > STRSAFE_MAX_CCH)
        return dst && cch ? (dst[0] = 0, STRSAFE_E_INVALID_PARAMETER) : STRSAFE_E_INVALID_PARAMETER;
    if (!src)
        src = "";
    for (i = 0; i < n && src[i]; i++) {
        if (i == cch - 1) {
            dst[i] = 0;
            return STRSAFE_E_INSUFFICIENT_BUFFER;
        }
        dst[i] = src[i];
    }
    dst[i] = 0;
    return S_OK;
}
STRSAFEAPI winipc_strsafe_copy_w(wchar_t *dst, size_t cch, const wchar_t *src, size_t n)
{
    size_t i;

    if (!dst || cch == 0 || cch > STRSAFE_MAX_CCH)
        return dst && cch ? (dst[0] = 0, STRSAFE_E_INVALID_PARAMETER) : STRSAFE_E_INVALID_PARAMETER;
    if (!src)
        src = L"";
    for (i = 0; i < n && src[i]; i++) {
        if (i == cch - 1) {
            dst[i] = 0;
            return STRSAFE_E_INSUFFICIENT_BUFFER;
        }
        dst[i] = src[i];
    }
    dst[i] = 0;
    return S_OK;
}
STRSAFEAPI winipc_strsafe_cat_a(char *dst, size_t cch, const char *src, size_t n)
{
    size_t len;

    if (!dst || cch == 0 || cch > STRSAFE_MAX_CCH)
        return STRSAFE_E_INVALID_PARAMETER;
    len = winipc_strsafe_len_a(dst, cch);
    if (len == cch) /* not terminated within the buffer */
        return STRSAFE_E_INVALID_PARAMETER;
    return winipc_strsafe_copy_a(dst + len, cch - len, src, n);
}
STRSAFEAPI winipc_strsafe_cat_w(wchar_t *dst, size_t cch, const wchar_t *src, size_t n)
{
    size_t len;

    if (!dst || cch == 0 || cch > STRSAFE_MAX_CCH)
        return STRSAFE_E_INVALID_PARAMETER;
    len = winipc_strsafe_len_w(dst, cch);
    if (len == cch)
        return STRSAFE_E_INVALID_PARAMETER;
    return winipc_strsafe_copy_w(dst + len, cch - len, src, n);
}
STRSAFEAPI StringCchVPrintfA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR format, va_list ap)
{
    int n;

    if (!dst || cch == 0 || cch > STRSAFE_MAX_CCH)
        return dst && cch ? (dst[0] = 0, STRSAFE_E_INVALID_PARAMETER) : STRSAFE_E_INVALID_PARAMETER;
    if (!format)
        return dst[0] = 0, STRSAFE_E_INVALID_PARAMETER;
    n = vsnprintf(dst, cch, format, ap);
    if (n < 0 || (size_t)n >= cch) {
        dst[cch - 1] = 0;
        return STRSAFE_E_INSUFFICIENT_BUFFER;
    }
    return S_OK;
}
STRSAFEAPI StringCchVPrintfW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR format, va_list ap)
{
    int n;

    if (!dst || cch == 0 || cch > STRSAFE_MAX_CCH)
        return dst && cch ? (dst[0] = 0, STRSAFE_E_INVALID_PARAMETER) : STRSAFE_E_INVALID_PARAMETER;
    if (!format)
        return dst[0] = 0, STRSAFE_E_INVALID_PARAMETER;
    n = winipc_vsnwprintf(dst, cch - 1, format, ap); /* -1: did not fit in cch - 1 */
    if (n < 0) {
        dst[cch - 1] = 0;
        return STRSAFE_E_INSUFFICIENT_BUFFER;
    }
    dst[n] = 0;
    return S_OK;
}
STRSAFEAPI StringCchPrintfA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR format, ...)
    __attribute__((format(printf, 3, 4)));
STRSAFEAPI StringCchPrintfA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR format, ...)
{
    va_list ap;
    HRESULT hr;

    va_start(ap, format);
    hr = StringCchVPrintfA(dst, cch, format, ap);
    va_end(ap);
    return hr;
}
STRSAFEAPI StringCchPrintfW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR format, ...)
{
    va_list ap;
    HRESULT hr;

    va_start(ap, format);
    hr = StringCchVPrintfW(dst, cch, format, ap);
    va_end(ap);
    return hr;
}
STRSAFEAPI StringCbVPrintfA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR format, va_list ap)
{
    return StringCchVPrintfA(dst, cb, format, ap);
}
STRSAFEAPI StringCbVPrintfW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR format, va_list ap)
{
    return StringCchVPrintfW(dst, cb / sizeof(wchar_t), format, ap);
}
STRSAFEAPI StringCbPrintfA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR format, ...)
    __attribute__((format(printf, 3, 4)));
STRSAFEAPI StringCbPrintfA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR format, ...)
{
    va_list ap;
    HRESULT hr;

    va_start(ap, format);
    hr = StringCchVPrintfA(dst, cb, format, ap);
    va_end(ap);
    return hr;
}
STRSAFEAPI StringCbPrintfW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR format, ...)
{
    va_list ap;
    HRESULT hr;

    va_start(ap, format);
    hr = StringCchVPrintfW(dst, cb / sizeof(wchar_t), format, ap);
    va_end(ap);
    return hr;
}
STRSAFEAPI StringCchCopyA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src)
{
    return winipc_strsafe_copy_a(dst, cch, src, (size_t)-1);
}
STRSAFEAPI StringCchCopyW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src)
{
    return winipc_strsafe_copy_w(dst, cch, src, (size_t)-1);
}
STRSAFEAPI StringCbCopyA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR src)
{
    return winipc_strsafe_copy_a(dst, cb, src, (size_t)-1);
}
STRSAFEAPI StringCbCopyW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR src)
{
    return winipc_strsafe_copy_w(dst, cb / sizeof(wchar_t), src, (size_t)-1);
}
STRSAFEAPI StringCchCopyNA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src, size_t n)
{
    return n > STRSAFE_MAX_CCH ? STRSAFE_E_INVALID_PARAMETER
                               : winipc_strsafe_copy_a(dst, cch, src, n);
}
STRSAFEAPI StringCchCopyNW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src, size_t n)
{
    return n > STRSAFE_MAX_CCH ? STRSAFE_E_INVALID_PARAMETER
                               : winipc_strsafe_copy_w(dst, cch, src, n);
}
STRSAFEAPI StringCchCatA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src)
{
    return winipc_strsafe_cat_a(dst, cch, src, (size_t)-1);
}
STRSAFEAPI StringCchCatW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src)
{
    return winipc_strsafe_cat_w(dst, cch, src, (size_t)-1);
}
STRSAFEAPI StringCbCatA(STRSAFE_LPSTR dst, size_t cb, STRSAFE_LPCSTR src)
{
    return winipc_strsafe_cat_a(dst, cb, src, (size_t)-1);
}
STRSAFEAPI StringCbCatW(STRSAFE_LPWSTR dst, size_t cb, STRSAFE_LPCWSTR src)
{
    return winipc_strsafe_cat_w(dst, cb / sizeof(wchar_t), src, (size_t)-1);
}
STRSAFEAPI StringCchCatNA(STRSAFE_LPSTR dst, size_t cch, STRSAFE_LPCSTR src, size_t n)
{
    return winipc_strsafe_cat_a(dst, cch, src, n);
}
STRSAFEAPI StringCchCatNW(STRSAFE_LPWSTR dst, size_t cch, STRSAFE_LPCWSTR src, size_t n)
{
    return winipc_strsafe_cat_w(dst, cch, src, n);
}
STRSAFEAPI StringCchLengthA(STRSAFE_LPCSTR s, size_t cch_max, size_t *length)
{
    size_t n = s && cch_max <= STRSAFE_MAX_CCH ? winipc_strsafe_len_a(s, cch_max) : cch_max;

    if (length)
        *length = n < cch_max ? n : (size_t)0;
    return n < cch_max ? S_OK : STRSAFE_E_INVALID_PARAMETER;
}
STRSAFEAPI StringCchLengthW(STRSAFE_LPCWSTR s, size_t cch_max, size_t *length)
{
    size_t n = s && cch_max <= STRSAFE_MAX_CCH ? winipc_strsafe_len_w(s, cch_max) : cch_max;

    if (length)
        *length = n < cch_max ? n : (size_t)0;
    return n < cch_max ? S_OK : STRSAFE_E_INVALID_PARAMETER;
}
STRSAFEAPI StringCbLengthA(STRSAFE_LPCSTR s, size_t cb_max, size_t *length)
{
    return StringCchLengthA(s, cb_max, length);
}
STRSAFEAPI StringCbLengthW(STRSAFE_LPCWSTR s, size_t cb_max, size_t *length)
{
    size_t cch;
    HRESULT hr = StringCchLengthW(s, cb_max / sizeof(wchar_t), &cch);

    if (length)
        *length = cch * sizeof(wchar_t);
    return hr;
}

#ifdef UNICODE
#define StringCchCopy StringCchCopyW
#define StringCbCopy StringCbCopyW
#define StringCchCopyN StringCchCopyNW
#define StringCchCat StringCchCatW
#define StringCbCat StringCbCatW
#define StringCchCatN StringCchCatNW
#define StringCchPrintf StringCchPrintfW
#define StringCbPrintf StringCbPrintfW
#define StringCchVPrintf StringCchVPrintfW
#define StringCbVPrintf StringCbVPrintfW
#define StringCchLength StringCchLengthW
#define StringCbLength StringCbLengthW
#else
#define StringCchCopy StringCchCopyA
#define StringCbCopy StringCbCopyA
#define StringCchCopyN StringCchCopyNA
#define StringCchCat StringCchCatA
#define StringCbCat StringCbCatA
#define StringCchCatN StringCchCatNA
#define StringCchPrintf StringCchPrintfA
#define StringCbPrintf StringCbPrintfA
#define StringCchVPrintf StringCchVPrintfA
#define StringCbVPrintf StringCbVPrintfA
#define StringCchLength StringCchLengthA
#define StringCbLength StringCbLengthA
#endif

#ifdef __cplusplus
}
#endif

#endif /* WINIPC_STRSAFE_H */
