/*
 * tchar.h - winipc compat header: generic-text mappings, as the Windows SDK's.
 *
 * Switches on _UNICODE (while <windows.h> switches on UNICODE, as in the SDK). In a
 * _UNICODE build _TCHAR is wchar_t and the _t/_tcs routines are the wide ones, with
 * Microsoft's printf semantics (winipc/crt.h); otherwise they are the narrow ones.
 *
 * Differs from Windows: in an ANSI build _tprintf is glibc's printf, where %ld takes
 * a 64-bit long and I64 is unknown; print LONG and DWORD with %d and %u (correct on
 * both systems) or build with _UNICODE.
 */
#ifndef WINIPC_TCHAR_H
#define WINIPC_TCHAR_H

#include <winipc.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>
#include <wctype.h>

#ifdef _UNICODE

typedef wchar_t _TCHAR;
typedef wchar_t _TSCHAR;
typedef wchar_t _TUCHAR;
typedef wchar_t _TXCHAR;
typedef wint_t _TINT;
#define __T(x) L##x

/*
 * A _tmain program defines wmain, which Linux does not start: libwinipc has a weak
 * main (posix/wmain.c) that runs it with argv converted from UTF-8. A program's own
 * main wins, so a file may include <tchar.h> and define main.
 */
#define _tmain wmain
/*
 * The Microsoft-semantics functions by their own names, not through the wprintf
 * macros of winipc/crt.h: in C++, <cwchar> (which <string> and the like include)
 * #undefs wprintf, and _tprintf must keep Microsoft's rules after it.
 */
#ifndef WINIPC_NO_MS_PRINTF
#define _tprintf winipc_wprintf
#define _vtprintf winipc_vwprintf
#define _ftprintf winipc_fwprintf
#define _vftprintf winipc_vfwprintf
#else
#define _tprintf wprintf
#define _vtprintf vwprintf
#define _ftprintf fwprintf
#define _vftprintf vfwprintf
#endif
#define _stprintf _swprintf
#define _sntprintf _snwprintf
#define _vsntprintf _vsnwprintf
#define _tcslen wcslen
#define _tcsnlen wcsnlen
#define _tcscpy wcscpy
#define _tcsncpy wcsncpy
#define _tcscat wcscat
#define _tcsncat wcsncat
#define _tcscmp wcscmp
#define _tcsncmp wcsncmp
#define _tcsicmp _wcsicmp
#define _tcsnicmp _wcsnicmp
#define _tcschr wcschr
#define _tcsrchr wcsrchr
#define _tcsstr wcsstr
#define _tcsspn wcsspn
#define _tcscspn wcscspn
#define _tcstok wcstok
#define _tcsdup _wcsdup
#define _tcstol wcstol
#define _tcstoul wcstoul
#define _tcstoi64 wcstoll
#define _tcstod wcstod
#define _ttoi(s) ((int)wcstol((s), NULL, 10))
#define _ttol(s) ((long)wcstol((s), NULL, 10))
#define _tstoi _ttoi
#define _tstol _ttol
#define _istdigit iswdigit
#define _istspace iswspace
#define _istalpha iswalpha
#define _istalnum iswalnum
#define _istupper iswupper
#define _istlower iswlower
#define _istxdigit iswxdigit
#define _istpunct iswpunct
#define _istprint iswprint
#define _totupper towupper
#define _totlower towlower
#define _tcscpy_s wcscpy_s
#define _tcsncpy_s wcsncpy_s
#define _tcscat_s wcscat_s
#define _tcsncat_s wcsncat_s
#define _tcstok_s wcstok_s
#define _stprintf_s swprintf_s
#define _sntprintf_s _snwprintf_s
#define _vstprintf_s vswprintf_s
#define _vsntprintf_s _vsnwprintf_s
#define _tprintf_s wprintf_s
#define _vtprintf_s vwprintf_s
#define _ftprintf_s fwprintf_s
#define _vftprintf_s vfwprintf_s
#define _tfopen _wfopen
#define _tfopen_s _wfopen_s
#define _tdupenv_s _wdupenv_s
#define _itot_s _itow_s
#define _itot _itow
#define _ttoi64 _wtoi64
#define _tcstoui64 wcstoull
#define _tcsclen wcslen
#define _tcscoll wcscoll
#define _tcsftime wcsftime

#else /* ANSI */

typedef char _TCHAR;
typedef signed char _TSCHAR;
typedef unsigned char _TUCHAR;
typedef char _TXCHAR;
typedef int _TINT;
#define __T(x) x

#define _tmain main
#define _tprintf printf
#define _vtprintf vprintf
#define _ftprintf fprintf
#define _vftprintf vfprintf
#define _stprintf sprintf
#define _sntprintf _snprintf
#define _vsntprintf _vsnprintf
#define _tcslen strlen
#define _tcsnlen strnlen
#define _tcscpy strcpy
#define _tcsncpy strncpy
#define _tcscat strcat
#define _tcsncat strncat
#define _tcscmp strcmp
#define _tcsncmp strncmp
#define _tcsicmp strcasecmp
#define _tcsnicmp strncasecmp
#define _tcschr strchr
#define _tcsrchr strrchr
#define _tcsstr strstr
#define _tcsspn strspn
#define _tcscspn strcspn
#define _tcstok strtok
#define _tcsdup _strdup
#define _tcstol strtol
#define _tcstoul strtoul
#define _tcstoi64 strtoll
#define _tcstod strtod
#define _ttoi atoi
#define _ttol atol
#define _tstoi atoi
#define _tstol atol
#define _istdigit(c) isdigit((unsigned char)(c))
#define _istspace(c) isspace((unsigned char)(c))
#define _istalpha(c) isalpha((unsigned char)(c))
#define _istalnum(c) isalnum((unsigned char)(c))
#define _istupper(c) isupper((unsigned char)(c))
#define _istlower(c) islower((unsigned char)(c))
#define _istxdigit(c) isxdigit((unsigned char)(c))
#define _istpunct(c) ispunct((unsigned char)(c))
#define _istprint(c) isprint((unsigned char)(c))
#define _totupper(c) toupper((unsigned char)(c))
#define _totlower(c) tolower((unsigned char)(c))
#define _tcscpy_s strcpy_s
#define _tcsncpy_s strncpy_s
#define _tcscat_s strcat_s
#define _tcsncat_s strncat_s
#define _tcstok_s strtok_s
#define _stprintf_s sprintf_s
#define _sntprintf_s _snprintf_s
#define _vstprintf_s vsprintf_s
#define _vsntprintf_s _vsnprintf_s
#define _tprintf_s printf_s
#define _vtprintf_s vprintf_s
#define _ftprintf_s fprintf_s
#define _vftprintf_s vfprintf_s
#define _tfopen fopen
#define _tfopen_s fopen_s
#define _tdupenv_s _dupenv_s
#define _itot_s _itoa_s
#define _itot _itoa
#define _ttoi64 _atoi64
#define _tcstoui64 strtoull
#define _tcsclen strlen
#define _tcscoll strcoll
#define _tcsftime strftime

#endif

#define _T(x) __T(x)
#define _TEXT(x) __T(x)

#endif /* WINIPC_TCHAR_H */
