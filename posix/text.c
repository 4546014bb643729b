/*
 * text.c - the Windows text idioms: MultiByteToWideChar/WideCharToMultiByte, and the
 * wide printf family with Microsoft's format semantics.
 *
 * In Microsoft's wide printf functions %s and %c take WIDE arguments and %S and %C
 * narrow ones -- the opposite of C99 and glibc -- %hs/%hc are always narrow,
 * %ls/%lc/%ws/%wc always wide, "long" is 32 bits (%ld, %lu, %lx) and I64, I32 and I
 * are size prefixes. winipc translates such a format into glibc's, lets vswprintf
 * format into a wide buffer (narrow arguments decoded as UTF-8, whatever the
 * locale), and writes the result as UTF-8 through the same FILE as printf: so
 * printf and _tprintf output interleave in order, and no stream orientation is
 * ever set. Return values count characters, as on Windows.
 *
 * Differs from Windows: the ANSI code page (CP_ACP, CP_OEMCP, CP_THREAD_ACP) is
 * UTF-8; other code pages are not supported (ERROR_INVALID_PARAMETER).
 */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* ---- UTF-8 <-> wchar_t (UTF-32) ------------------------------------------------------ */

#define REPLACEMENT 0xFFFD

/* Decodes one UTF-8 sequence of s[0..n); its length in *len, or -1 if invalid. */
static long decode_utf8(const unsigned char *s, size_t n, size_t *len)
{
    unsigned c = s[0];
    size_t need;
    unsigned long cp, min;

    *len = 1;
    if (c < 0x80)
        return (long)c;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 3, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 4, cp = c & 0x07, min = 0x10000;
    else
        return -1;
    for (size_t i = 1; i < need; i++) {
        if (i >= n || (s[i] & 0xC0) != 0x80)
            return *len = i, -1;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    *len = need;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    return (long)cp;
}

/* Encodes cp as UTF-8 into out (at least 4 bytes); returns the length. */
static size_t encode_utf8(unsigned long cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static bool utf8_code_page(UINT cp)
{
    return cp == CP_UTF8 || cp == CP_ACP || cp == CP_OEMCP || cp == CP_THREAD_ACP;
}

/*
 * A caller's WCHAR buffer need not be aligned (Windows code converts in place inside
 * byte buffers, at odd offsets): every access to one goes through these, never through
 * a WCHAR pointer or wcslen, which assume alignment.
 */
static WCHAR load_w(const WCHAR *s, size_t i)
{
    WCHAR c;

    memcpy(&c, (const char *)s + i * sizeof c, sizeof c);
    return c;
}

static void store_w(WCHAR *d, size_t i, WCHAR c)
{
    memcpy((char *)d + i * sizeof c, &c, sizeof c);
}

/* The length of a NUL-terminated wide string, read with unaligned-safe loads. */
static size_t length_w(const WCHAR *s)
{
    size_t n = 0;

    while (load_w(s, n))
        n++;
    return n;
}

/*
 * Code pages that Windows converts only with dwFlags 0, failing with
 * ERROR_INVALID_FLAGS otherwise (UTF-7 and Symbol).
 * Differs from Windows: winipc does not convert them; with flags 0 they fail with
 * ERROR_INVALID_PARAMETER, as a code page that is not installed does.
 */
static bool flagless_code_page(UINT cp)
{
    return cp == CP_UTF7 || cp == CP_SYMBOL;
}

/* Any negative source length means "NUL-terminated, terminator included" (Windows). */
int WINAPI MultiByteToWideChar(UINT code_page, DWORD flags, LPCSTR src, int src_len, LPWSTR dst,
                               int dst_len)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t n, i = 0;
    int out = 0;

    if (!src || src_len == 0 || dst_len < 0 || (dst_len && !dst) ||
        (const void *)src == (const void *)dst)
        return winipc__fail(0, ERROR_INVALID_PARAMETER);
    if (flagless_code_page(code_page))
        return winipc__fail(0, flags ? ERROR_INVALID_FLAGS : ERROR_INVALID_PARAMETER);
    if (!utf8_code_page(code_page))
        return winipc__fail(0, ERROR_INVALID_PARAMETER);
    /* "For UTF-8 ... dwFlags must be set to either 0 or MB_ERR_INVALID_CHARS." */
    if (flags & ~(DWORD)(code_page == CP_UTF8 ? MB_ERR_INVALID_CHARS
                                              : MB_ERR_INVALID_CHARS | MB_PRECOMPOSED))
        return winipc__fail(0, ERROR_INVALID_FLAGS);
    n = src_len < 0 ? strlen(src) + 1 : (size_t)src_len;
    while (i < n) {
        size_t len;
        long cp = decode_utf8(s + i, n - i, &len);

        if (cp < 0) {
            if (flags & MB_ERR_INVALID_CHARS)
                return winipc__fail(0, ERROR_NO_UNICODE_TRANSLATION);
            cp = REPLACEMENT;
        }
        i += len;
        if (dst_len) {
            if (out >= dst_len)
                return winipc__fail(0, ERROR_INSUFFICIENT_BUFFER);
            store_w(dst, (size_t)out, (WCHAR)cp);
        }
        if (out == INT_MAX)
            return winipc__fail(0, ERROR_ARITHMETIC_OVERFLOW);
        out++;
    }
    return out;
}

/*
 * Any negative source length means "NUL-terminated, terminator included" (Windows).
 * A default character and lpUsedDefaultChar are accepted for CP_UTF8, as Windows 10
 * 1709 and later accept them (the documentation still says they must be NULL): UTF-8
 * replaces what it cannot encode with U+FFFD, never with the default character, and
 * *lpUsedDefaultChar tells whether that happened.
 * Differs from Windows: WCHAR is UTF-32 here, so a surrogate (0xD800-0xDFFF) or a
 * value above 0x10FFFF is an invalid character, not half of a pair.
 */
int WINAPI WideCharToMultiByte(UINT code_page, DWORD flags, LPCWSTR src, int src_len, LPSTR dst,
                               int dst_len, LPCSTR default_char, LPBOOL used_default)
{
    bool replaced = false;
    size_t n, i;
    int out = 0;

    if (!src || src_len == 0 || dst_len < 0 || (dst_len && !dst) ||
        (const void *)src == (const void *)dst)
        return winipc__fail(0, ERROR_INVALID_PARAMETER);
    /* UTF-7 refuses a default character before it looks at the flags; Symbol after. */
    if (code_page == CP_UTF7 && (default_char || used_default))
        return winipc__fail(0, ERROR_INVALID_PARAMETER);
    if (flagless_code_page(code_page))
        return winipc__fail(0, flags ? ERROR_INVALID_FLAGS : ERROR_INVALID_PARAMETER);
    if (!utf8_code_page(code_page))
        return winipc__fail(0, ERROR_INVALID_PARAMETER);
    if (flags & ~(DWORD)WC_ERR_INVALID_CHARS)
        return winipc__fail(0, ERROR_INVALID_FLAGS);
    n = src_len < 0 ? length_w(src) + 1 : (size_t)src_len;
    for (i = 0; i < n; i++) {
        unsigned long cp = (unsigned long)(uint32_t)load_w(src, i);
        char buf[4];
        size_t len;

        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            if (flags & WC_ERR_INVALID_CHARS)
                return winipc__fail(0, ERROR_NO_UNICODE_TRANSLATION);
            cp = REPLACEMENT;
            replaced = true;
        }
        len = encode_utf8(cp, buf);
        if (dst_len) {
            if ((size_t)(dst_len - out) < len)
                return winipc__fail(0, ERROR_INSUFFICIENT_BUFFER);
            memcpy(dst + out, buf, len);
        }
        if ((size_t)(INT_MAX - out) < len)
            return winipc__fail(0, ERROR_ARITHMETIC_OVERFLOW);
        out += (int)len;
    }
    if (used_default)
        *used_default = replaced;
    return out;
}

/* ---- Microsoft wide format semantics --------------------------------------------------- */

/* Appends wide text to a growing buffer; false on ENOMEM. */
struct wbuf {
    wchar_t *p;
    size_t len, cap;
};

static bool wbuf_add(struct wbuf *b, const wchar_t *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        wchar_t *p = realloc(b->p, cap * sizeof *p);

        if (!p)
            return false;
        b->p = p;
        b->cap = cap;
    }
    wmemcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
    return true;
}

/*
 * glibc's wide format for a Microsoft one (`wide`: the function is a wide one, where
 * %s is wide). Returns a malloc'ed string, or NULL (ENOMEM).
 */
static wchar_t *translate(const wchar_t *fmt, bool wide)
{
    struct wbuf b = {0};
    const wchar_t *p = fmt;

    if (!wbuf_add(&b, L"", 0))
        return NULL;
    while (*p) {
        const wchar_t *start = p;
        int size = 0; /* 'h' narrow, 'l' wide/32-bit, 'L' long double, '6' I64, 'z' I */
        bool hh = false;

        if (*p != L'%' || p[1] == L'%') {
            size_t n = *p == L'%' ? 2 : 1;

            if (!wbuf_add(&b, p, n))
                goto nomem;
            p += n;
            continue;
        }
        p++;
        while (*p && wcschr(L"-+ #0'", *p))
            p++;
        while (*p == L'*' || (*p >= L'0' && *p <= L'9'))
            p++;
        if (*p == L'.')
            for (p++; *p == L'*' || (*p >= L'0' && *p <= L'9');)
                p++;
        if (!wbuf_add(&b, start, (size_t)(p - start)))
            goto nomem;
        /* Size prefixes, Microsoft's and C99's. */
        for (;;) {
            if (*p == L'h')
                hh = size == 'h', size = 'h', p++;
            else if (*p == L'l' && p[1] == L'l')
                size = '6', p += 2;
            else if (*p == L'l' || *p == L'w')
                size = 'l', p++;
            else if (*p == L'L' || *p == L'q')
                size = *p == L'q' ? '6' : 'L', p++;
            else if (*p == L'I' && p[1] == L'6' && p[2] == L'4')
                size = '6', p += 3;
            else if (*p == L'I' && p[1] == L'3' && p[2] == L'2')
                size = 0, p += 3;
            else if (*p == L'I' || *p == L'z' || *p == L't' || *p == L'j')
                size = 'z', p++;
            else
                break;
        }
        if (!*p)
            break;
        switch (*p) {
        case L's':
        case L'S':
        case L'Z':
        case L'c':
        case L'C': {
            bool lower = *p == L's' || *p == L'c';
            bool arg_wide = size == 'h' ? false : size == 'l' ? true : (lower == wide);
            bool is_string = *p != L'c' && *p != L'C';

            if (!wbuf_add(&b, arg_wide ? (is_string ? L"ls" : L"lc") : (is_string ? L"s" : L"c"),
                          arg_wide ? 2 : 1))
                goto nomem;
            break;
        }
        case L'd':
        case L'i':
        case L'o':
        case L'u':
        case L'x':
        case L'X': {
            /* Microsoft's long is 32 bits: %ld is an int here. */
            const wchar_t *len = size == '6'   ? L"ll"
                                 : size == 'z' ? L"z"
                                 : size == 'h' ? (hh ? L"hh" : L"h")
                                               : L"";

            if (!wbuf_add(&b, len, wcslen(len)) || !wbuf_add(&b, p, 1))
                goto nomem;
            break;
        }
        case L'n':
            if (!wbuf_add(&b,
                          size == '6'   ? L"lln"
                          : size == 'h' ? L"hn"
                                        : L"n",
                          size == '6'   ? 3
                          : size == 'h' ? 2
                                        : 1))
                goto nomem;
            break;
        default: /* floating point, pointers, and anything unknown as written */
            if ((size == 'L' && !wbuf_add(&b, L"L", 1)) || !wbuf_add(&b, p, 1))
                goto nomem;
        }
        p++;
    }
    return b.p;

nomem:
    free(b.p);
    return NULL;
}

/* The C.UTF-8 locale: narrow arguments decode as UTF-8 whatever the process's locale. */
static locale_t utf8_locale;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void make_utf8_locale(void)
{
    utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/*
 * Formats a Microsoft-semantics wide format into a malloc'ed wide string (*out,
 * *len). Returns false with errno set on failure.
 */
static bool ms_vformat(const wchar_t *fmt, va_list ap, bool wide, wchar_t **out, size_t *len)
{
    wchar_t *gfmt, *buf = NULL;
    size_t cap = 256;
    locale_t old = (locale_t)0;
    int n = -1;

    if (!fmt) {
        errno = EINVAL;
        return false;
    }
    gfmt = translate(fmt, wide);
    if (!gfmt)
        return false;
    pthread_once(&utf8_once, make_utf8_locale);
    if (utf8_locale)
        old = uselocale(utf8_locale);
    for (;;) {
        wchar_t *p = realloc(buf, cap * sizeof *buf);
        va_list copy;

        if (!p)
            break;
        buf = p;
        va_copy(copy, ap);
        n = vswprintf(buf, cap, gfmt, copy);
        va_end(copy);
        /* -1 means too small, or an unconvertible argument: grow a bounded number of
           times, then give up. */
        if (n >= 0 || cap >= ((size_t)1 << 26))
            break;
        cap *= 4;
    }
    if (utf8_locale)
        uselocale(old);
    free(gfmt);
    if (n < 0) {
        free(buf);
        errno = errno ? errno : EILSEQ;
        return false;
    }
    *out = buf;
    *len = (size_t)n;
    return true;
}

/* ms_vformat for the other files of the library (crt_secure.c, message.c). */
bool winipc__wformat(const wchar_t *fmt, va_list ap, wchar_t **out, size_t *len)
{
    return ms_vformat(fmt, ap, true, out, len);
}

/* Writes n wide characters to f as UTF-8; false on a write error. */
static bool put_utf8(FILE *f, const wchar_t *s, size_t n)
{
    char chunk[1024];
    size_t used = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned long cp = (unsigned long)(uint32_t)s[i];

        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            cp = REPLACEMENT;
        if (used + 4 > sizeof chunk) {
            if (fwrite(chunk, 1, used, f) != used)
                return false;
            used = 0;
        }
        used += encode_utf8(cp, chunk + used);
    }
    return fwrite(chunk, 1, used, f) == used;
}

int winipc_vfwprintf(FILE *f, const wchar_t *fmt, va_list ap)
{
    wchar_t *s;
    size_t n;
    int r;

    if (!f || !ms_vformat(fmt, ap, true, &s, &n))
        return -1;
    r = put_utf8(f, s, n) && n <= INT_MAX ? (int)n : -1;
    free(s);
    return r;
}

int winipc_fwprintf(FILE *f, const wchar_t *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = winipc_vfwprintf(f, fmt, ap);
    va_end(ap);
    return r;
}

int winipc_wprintf(const wchar_t *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = winipc_vfwprintf(stdout, fmt, ap);
    va_end(ap);
    return r;
}

int winipc_vwprintf(const wchar_t *fmt, va_list ap)
{
    return winipc_vfwprintf(stdout, fmt, ap);
}

/*
 * _vsnwprintf: at most `count` characters; the terminator only if there is room;
 * -1 if the output did not fit (Microsoft's documented behaviour).
 */
int winipc_vsnwprintf(wchar_t *buf, size_t count, const wchar_t *fmt, va_list ap)
{
    wchar_t *s;
    size_t n;

    if (!buf && count)
        return errno = EINVAL, -1;
    if (!ms_vformat(fmt, ap, true, &s, &n))
        return -1;
    wmemcpy(buf, s, n < count ? n : count);
    if (n < count)
        buf[n] = 0;
    free(s);
    return n <= count && n <= INT_MAX ? (int)n : -1;
}

int winipc_snwprintf(wchar_t *buf, size_t count, const wchar_t *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = winipc_vsnwprintf(buf, count, fmt, ap);
    va_end(ap);
    return r;
}

/* swprintf with a count (the conforming form): -1 and an empty string if too small. */
int winipc_vswprintf(wchar_t *buf, size_t count, const wchar_t *fmt, va_list ap)
{
    int r;

    if (!buf || !count)
        return errno = EINVAL, -1;
    r = winipc_vsnwprintf(buf, count, fmt, ap);
    if (r < 0 || (size_t)r == count) {
        buf[0] = 0;
        return -1;
    }
    return r;
}

int winipc_swprintf(wchar_t *buf, size_t count, const wchar_t *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = winipc_vswprintf(buf, count, fmt, ap);
    va_end(ap);
    return r;
}

/* _snprintf/_vsnprintf: Microsoft's narrow forms, -1 and no terminator on overflow. */
int winipc_vsnprintf(char *buf, size_t count, const char *fmt, va_list ap)
{
    va_list copy;
    int n;

    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || (!buf && count))
        return -1;
    if ((size_t)n < count)
        return vsnprintf(buf, count, fmt, ap);
    if (count) { /* fill exactly count characters, no terminator */
        char *tmp = malloc((size_t)n + 1);

        if (!tmp)
            return -1;
        vsnprintf(tmp, (size_t)n + 1, fmt, ap);
        memcpy(buf, tmp, count);
        free(tmp);
    }
    return (size_t)n == count ? n : -1;
}

int winipc_snprintf(char *buf, size_t count, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = winipc_vsnprintf(buf, count, fmt, ap);
    va_end(ap);
    return r;
}

/* _swprintf: the legacy form without a count, as unbounded as Microsoft's. */
int winipc_swprintf_legacy(wchar_t *buf, const wchar_t *fmt, ...)
{
    va_list ap;
    wchar_t *s;
    size_t n;
    bool ok;

    if (!buf)
        return errno = EINVAL, -1;
    va_start(ap, fmt);
    ok = ms_vformat(fmt, ap, true, &s, &n);
    va_end(ap);
    if (!ok)
        return -1;
    wmemcpy(buf, s, n + 1);
    free(s);
    return n <= INT_MAX ? (int)n : -1;
}

/* ---- wmain ------------------------------------------------------------------------ */

int winipc_main_w(int argc, char **argv, int (*wmain_fn)(int argc, wchar_t **argv))
{
    wchar_t **wargv = calloc((size_t)argc + 1, sizeof *wargv);
    int r = 127;

    if (!wmain_fn) {
        fprintf(stderr, "winipc: the program defines neither main nor wmain\n");
        return 127;
    }
    for (int i = 0; wargv && i < argc; i++) {
        int n = MultiByteToWideChar(CP_UTF8, 0, argv[i], -1, NULL, 0);

        if (!(wargv[i] = calloc(n > 0 ? (size_t)n : 1, sizeof(wchar_t))))
            goto out;
        if (n > 0)
            MultiByteToWideChar(CP_UTF8, 0, argv[i], -1, wargv[i], n);
    }
    if (wargv)
        r = wmain_fn(argc, wargv);
out:
    for (int i = 0; wargv && i < argc; i++)
        free(wargv[i]);
    free(wargv);
    return r;
}
