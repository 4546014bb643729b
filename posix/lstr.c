/*
 * lstr.c - the lstr* string functions of winbase.h.
 *
 * lstrlen, lstrcpy, lstrcpyn and lstrcat are the C string functions with Windows's
 * tolerance of NULL (lstrlen(NULL) is 0, a NULL string makes lstrcpy return NULL).
 * lstrcmp and lstrcmpi compare linguistically, as CompareString does for the user's
 * locale: letters compare by their alphabet position before their case, lower case
 * first on a tie ("a" < "B" < "b"), digits before letters and symbols before digits,
 * and the hyphen and apostrophe weigh only when all else is equal (word sort).
 * They return -1, 0 or 1, as Windows does.
 * Differs from Windows: this linguistic order covers ASCII; other characters compare
 * by code point after every ASCII character (the full Unicode collation tables are
 * not carried).
 */
#include "internal.h"
#include "platform.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

/*
 * The length of the string of `unit`-byte characters at s, or 0 when some byte up
 * to its terminator cannot be read: Windows's lstrlen catches the access violation
 * of a bad pointer and returns 0. One probe per page the string reaches.
 */
static size_t guarded_length(const void *s, size_t unit)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), n = 0;
    uintptr_t at = (uintptr_t)s;

    for (;;) {
        uintptr_t end = (at | (page - 1)) + 1; /* the next page */

        if (!winipc__readable((const void *)at))
            return 0;
        if (unit == 1) {
            size_t k = strnlen((const char *)at, end - at);

            if (k < end - at)
                return n + k;
            n += k, at = end;
            continue;
        }
        /* Wide characters that start on this page (perhaps misaligned: read bytes);
           the last one may end on the next page. */
        for (; at < end; at += unit, n++) {
            WCHAR c;

            if (at + unit > end && !winipc__readable((const void *)end))
                return 0;
            memcpy(&c, (const void *)at, sizeof c);
            if (c == 0)
                return n;
        }
    }
}

int WINAPI lstrlenA(LPCSTR s)
{
    return s ? (int)guarded_length(s, 1) : 0;
}

int WINAPI lstrlenW(LPCWSTR s)
{
    return s ? (int)guarded_length(s, sizeof(WCHAR)) : 0;
}

LPSTR WINAPI lstrcpyA(LPSTR dst, LPCSTR src)
{
    if (!dst || !src)
        return NULL;
    return strcpy(dst, src);
}

LPWSTR WINAPI lstrcpyW(LPWSTR dst, LPCWSTR src)
{
    if (!dst || !src)
        return NULL;
    return wcscpy(dst, src);
}

/* Copies at most n - 1 characters and always terminates (n counts the terminator). */
LPSTR WINAPI lstrcpynA(LPSTR dst, LPCSTR src, int n)
{
    int i;

    if (!dst || !src)
        return NULL;
    if (n <= 0)
        return dst;
    for (i = 0; i < n - 1 && src[i]; i++)
        dst[i] = src[i];
    dst[i] = 0;
    return dst;
}

LPWSTR WINAPI lstrcpynW(LPWSTR dst, LPCWSTR src, int n)
{
    int i;

    if (!dst || !src)
        return NULL;
    if (n <= 0)
        return dst;
    for (i = 0; i < n - 1 && src[i]; i++)
        dst[i] = src[i];
    dst[i] = 0;
    return dst;
}

LPSTR WINAPI lstrcatA(LPSTR dst, LPCSTR src)
{
    if (!dst || !src)
        return NULL;
    return strcat(dst, src);
}

LPWSTR WINAPI lstrcatW(LPWSTR dst, LPCWSTR src)
{
    if (!dst || !src)
        return NULL;
    return wcscat(dst, src);
}

/*
 * The primary weight of a character: symbols (in code-point order) < digits <
 * letters (case folded) < everything beyond ASCII (by code point). 0 for the
 * characters word sort ignores at first ('-' and '\'').
 */
static unsigned long primary(unsigned long c)
{
    if (c == '-' || c == '\'')
        return 0;
    if (c >= 'A' && c <= 'Z')
        c += 'a' - 'A';
    if (c >= 'a' && c <= 'z')
        return 0x300 + c;
    if (c >= '0' && c <= '9')
        return 0x200 + c;
    if (c < 0x80)
        return 0x100 + c;
    return 0x400 + c;
}

static unsigned long char_at(const void *s, size_t i, bool wide)
{
    return wide ? (unsigned long)(uint32_t)((const wchar_t *)s)[i]
                : (unsigned long)((const unsigned char *)s)[i];
}

static unsigned long fold(unsigned long c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/*
 * Compares two strings of wide or narrow characters linguistically: by primary
 * weights with '-' and '\'' skipped, then (unless ignore_case) by the case of the
 * first letter that differs only in case, lower first, then by the characters
 * themselves, so that only equal strings (equal but for case, for lstrcmpi) compare
 * equal. Returns -1, 0 or 1.
 */
static int compare(const void *a, const void *b, bool wide, bool ignore_case)
{
    size_t i = 0, j = 0;
    int case_tie = 0;

    for (;;) {
        unsigned long ca, cb, wa, wb;

        while ((ca = char_at(a, i, wide)) && primary(ca) == 0)
            i++;
        while ((cb = char_at(b, j, wide)) && primary(cb) == 0)
            j++;
        if (!ca || !cb) {
            if (ca || cb)
                return ca ? 1 : -1; /* one string has more that weighs */
            break;
        }
        wa = primary(ca);
        wb = primary(cb);
        if (wa != wb)
            return wa < wb ? -1 : 1;
        if (!case_tie && ca != cb && !ignore_case)
            case_tie = ca > cb ? -1 : 1; /* 'a' (0x61) before 'A' (0x41) */
        i++, j++;
    }
    if (case_tie)
        return case_tie;
    /* Equal but for the skipped characters: decide by the strings themselves. */
    for (i = 0;; i++) {
        unsigned long ca = char_at(a, i, wide), cb = char_at(b, i, wide);

        if (ignore_case)
            ca = fold(ca), cb = fold(cb);
        if (ca != cb)
            return ca < cb ? -1 : 1;
        if (!ca)
            return 0;
    }
}

/* A NULL string is less than any other (Windows compares it as empty, and NULL first). */
static int compare_args(const void *a, const void *b, bool wide, bool ignore_case)
{
    if (!a || !b)
        return a == b ? 0 : a ? 1 : -1;
    return compare(a, b, wide, ignore_case);
}

int WINAPI lstrcmpA(LPCSTR a, LPCSTR b)
{
    return compare_args(a, b, false, false);
}

int WINAPI lstrcmpW(LPCWSTR a, LPCWSTR b)
{
    return compare_args(a, b, true, false);
}

int WINAPI lstrcmpiA(LPCSTR a, LPCSTR b)
{
    return compare_args(a, b, false, true);
}

int WINAPI lstrcmpiW(LPCWSTR a, LPCWSTR b)
{
    return compare_args(a, b, true, true);
}
