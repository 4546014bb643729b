/*
 * test-crt_secure.c - Microsoft's secure C runtime: return values (0, EINVAL, ERANGE,
 * STRUNCATE), the emptied destination, errno, the invalid-parameter handler, and the
 * Microsoft format rules of the wide forms.
 *
 * On Windows the same checks run against the real msvcrt, with a handler installed
 * that lets execution continue, as Microsoft documents for that case.
 */
#include "helpers.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tchar.h>
#include <time.h>
#include <wchar.h>

static int handler_calls;

static void count_invalid_parameter(const wchar_t *expression, const wchar_t *function,
                                    const wchar_t *file, unsigned int line, uintptr_t reserved)
{
    (void)expression, (void)function, (void)file, (void)line, (void)reserved;
    handler_calls++;
}

static _invalid_parameter_handler previous_handler;

/*
 * The handler is called by winipc and by Microsoft's UCRT. msvcrt.dll, which mingw-w64
 * links by default, predates it: mingw-w64 supplies the setter, but msvcrt never calls
 * the handler it sets.
 */
#if defined(__MINGW32__) && !defined(_UCRT)
#define CHECK_HANDLER_CALLS(n) ((void)0)
#else
#define CHECK_HANDLER_CALLS(n) CU_ASSERT_EQUAL(handler_calls, (n))
#endif

static void handler_on(void)
{
    previous_handler = _set_invalid_parameter_handler(count_invalid_parameter);
    handler_calls = 0;
}

static void handler_off(void)
{
    _set_invalid_parameter_handler(previous_handler);
}

static void test_strcpy_s(void)
{
    char buf[8];

    handler_on();
    CU_ASSERT_EQUAL(strcpy_s(buf, sizeof buf, "abc"), 0);
    CU_ASSERT_STRING_EQUAL(buf, "abc");
    CU_ASSERT_EQUAL(strcpy_s(buf, sizeof buf, "1234567"), 0); /* exactly fits */
    /* Too small: ERANGE, errno ERANGE, the destination emptied, the handler called. */
    errno = 0;
    CU_ASSERT_EQUAL(strcpy_s(buf, sizeof buf, "12345678"), ERANGE);
    CU_ASSERT_EQUAL(errno, ERANGE);
    CU_ASSERT_EQUAL(buf[0], 0);
    CHECK_HANDLER_CALLS(1);
    strcpy(buf, "xyz");
    CU_ASSERT_EQUAL(strcpy_s(buf, sizeof buf, NULL), EINVAL);
    CU_ASSERT_EQUAL(buf[0], 0);
    CU_ASSERT_EQUAL(strcpy_s(NULL, 8, "abc"), EINVAL);
    strcpy(buf, "xyz");
    CU_ASSERT_EQUAL(strcpy_s(buf, 0, "abc"), EINVAL);
    CU_ASSERT_STRING_EQUAL(buf, "xyz"); /* size 0: untouched */
    CHECK_HANDLER_CALLS(4);
    handler_off();
}

static void test_strncpy_s(void)
{
    char buf[8];

    handler_on();
    CU_ASSERT_EQUAL(strncpy_s(buf, sizeof buf, "abcdef", 3), 0);
    CU_ASSERT_STRING_EQUAL(buf, "abc");
    CU_ASSERT_EQUAL(strncpy_s(buf, sizeof buf, "ab", 10), 0);
    CU_ASSERT_STRING_EQUAL(buf, "ab");
    /* _TRUNCATE: as much as fits, terminated, STRUNCATE. */
    CU_ASSERT_EQUAL(strncpy_s(buf, sizeof buf, "0123456789", _TRUNCATE), STRUNCATE);
    CU_ASSERT_STRING_EQUAL(buf, "0123456");
    CU_ASSERT_EQUAL(strncpy_s(buf, sizeof buf, "0123", _TRUNCATE), 0);
    CU_ASSERT_STRING_EQUAL(buf, "0123");
    CHECK_HANDLER_CALLS(0);
    /* Without _TRUNCATE the count must fit. */
    CU_ASSERT_EQUAL(strncpy_s(buf, 5, "abcdef", 5), ERANGE);
    CU_ASSERT_EQUAL(buf[0], 0);
    /* A count of 0 empties the destination; (NULL, 0, NULL, 0) is allowed. */
    strcpy(buf, "xyz");
    CU_ASSERT_EQUAL(strncpy_s(buf, sizeof buf, "abc", 0), 0);
    CU_ASSERT_EQUAL(buf[0], 0);
    CU_ASSERT_EQUAL(strncpy_s(NULL, 0, NULL, 0), 0);
    CHECK_HANDLER_CALLS(1);
    handler_off();
}

static void test_strcat_s(void)
{
    char buf[8] = "ab";
    char unterminated[4] = {'a', 'b', 'c', 'd'};

    handler_on();
    CU_ASSERT_EQUAL(strcat_s(buf, sizeof buf, "cd"), 0);
    CU_ASSERT_STRING_EQUAL(buf, "abcd");
    CU_ASSERT_EQUAL(strcat_s(buf, sizeof buf, "efgh"), ERANGE);
    CU_ASSERT_EQUAL(buf[0], 0);
    /* "strDestination is unterminated": EINVAL. Wine appends regardless. */
    if (!skipped_on_wine("strcat_s to an unterminated destination: EINVAL")) {
        CU_ASSERT_EQUAL(strcat_s(unterminated, sizeof unterminated, "x"), EINVAL);
        CU_ASSERT_EQUAL(unterminated[0], 0);
    }
    strcpy(buf, "ab");
    CU_ASSERT_EQUAL(strncat_s(buf, sizeof buf, "cdefghij", _TRUNCATE), STRUNCATE);
    CU_ASSERT_STRING_EQUAL(buf, "abcdefg");
    strcpy(buf, "ab");
    CU_ASSERT_EQUAL(strncat_s(buf, sizeof buf, "cdefghij", 2), 0);
    CU_ASSERT_STRING_EQUAL(buf, "abcd");
    handler_off();
}

static void test_wide_strings(void)
{
    wchar_t buf[8];

    handler_on();
    CU_ASSERT_EQUAL(wcscpy_s(buf, 8, L"abc"), 0);
    CU_ASSERT_EQUAL(wcscmp(buf, L"abc"), 0);
    CU_ASSERT_EQUAL(wcscat_s(buf, 8, L"def"), 0);
    CU_ASSERT_EQUAL(wcscmp(buf, L"abcdef"), 0);
    CU_ASSERT_EQUAL(wcscat_s(buf, 8, L"gh"), ERANGE);
    CU_ASSERT_EQUAL(buf[0], 0);
    CU_ASSERT_EQUAL(wcsncpy_s(buf, 8, L"0123456789", _TRUNCATE), STRUNCATE);
    CU_ASSERT_EQUAL(wcscmp(buf, L"0123456"), 0);
    CU_ASSERT_EQUAL(wcscpy_s(buf, 8, L"012345678"), ERANGE);
    handler_off();
}

static void test_memcpy_s(void)
{
    char dst[4] = "xyz";

    handler_on();
    CU_ASSERT_EQUAL(memcpy_s(dst, sizeof dst, "ab", 2), 0);
    CU_ASSERT_EQUAL(memcmp(dst, "abz", 3), 0);
    CU_ASSERT_EQUAL(memcpy_s(dst, sizeof dst, "abcdef", 0), 0);
    /* Too small, or no source: the destination is zeroed. */
    CU_ASSERT_EQUAL(memcpy_s(dst, sizeof dst, "abcdef", 6), ERANGE);
    CU_ASSERT_EQUAL(dst[0] | dst[1] | dst[2] | dst[3], 0);
    memcpy(dst, "xyz", 4);
    CU_ASSERT_EQUAL(memcpy_s(dst, sizeof dst, NULL, 2), EINVAL);
    CU_ASSERT_EQUAL(dst[0] | dst[1] | dst[2], 0);
    CU_ASSERT_EQUAL(memcpy_s(NULL, 4, "ab", 2), EINVAL);
    /* memmove_s leaves the destination alone. */
    memcpy(dst, "xyz", 4);
    CU_ASSERT_EQUAL(memmove_s(dst, sizeof dst, "abcdef", 6), ERANGE);
    CU_ASSERT_STRING_EQUAL(dst, "xyz");
    CU_ASSERT_EQUAL(memmove_s(dst + 1, 3, dst, 2), 0);
    CU_ASSERT_STRING_EQUAL(dst, "xxy");
    handler_off();
}

/* sprintf_s and _snprintf_s through their va_list forms, as callers wrap them. */
static int my_snprintf_s(char *buf, size_t size, size_t count, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = _vsnprintf_s(buf, size, count, fmt, ap);
    va_end(ap);
    return r;
}

static void test_sprintf_s(void)
{
    char buf[8];

    handler_on();
    CU_ASSERT_EQUAL(sprintf_s(buf, sizeof buf, "%d-%s", 42, "ab"), 5);
    CU_ASSERT_STRING_EQUAL(buf, "42-ab");
    /* "If the buffer is too small for the text being printed, the buffer is set to an
       empty string"; -1 and ERANGE. Wine's msvcrt truncates instead. */
    if (!skipped_on_wine("sprintf_s into a small buffer: an empty string and -1")) {
        errno = 0;
        CU_ASSERT_EQUAL(sprintf_s(buf, sizeof buf, "%s", "0123456789"), -1);
        CU_ASSERT_EQUAL(buf[0], 0);
        CU_ASSERT_EQUAL(errno, ERANGE);
    }
    /* _TRUNCATE: as much as fits, terminated, -1. */
    CU_ASSERT_EQUAL(_snprintf_s(buf, sizeof buf, _TRUNCATE, "%s", "0123456789"), -1);
    CU_ASSERT_STRING_EQUAL(buf, "0123456");
    CU_ASSERT_EQUAL(_snprintf_s(buf, sizeof buf, _TRUNCATE, "%d", 123), 3);
    CU_ASSERT_STRING_EQUAL(buf, "123");
    /* A count below the size: at most count characters, -1 when cut there. */
    CU_ASSERT_EQUAL(my_snprintf_s(buf, sizeof buf, 3, "%s", "abcdef"), -1);
    CU_ASSERT_STRING_EQUAL(buf, "abc");
    CU_ASSERT_EQUAL(my_snprintf_s(buf, sizeof buf, 3, "%s", "abc"), 3);
    if (!skipped_on_wine("sprintf_s to a NULL buffer: -1 and EINVAL"))
        CU_ASSERT_EQUAL(sprintf_s(NULL, 8, "%d", 1), -1);
    handler_off();
}

static void print_wide_s(void)
{
    wprintf_s(L"%s %S %ld\n", L"wide", "narrow", (LONG)-7);
}

static void test_wide_printf_s(void)
{
    wchar_t buf[16];

    handler_on();
    /* Microsoft's wide rules: %s wide, %S narrow, %ld 32 bits. */
    CU_ASSERT_EQUAL(swprintf_s(buf, 16, L"%s|%S|%ld", L"w", "n", (LONG)-1), 6);
    CU_ASSERT_EQUAL(wcscmp(buf, L"w|n|-1"), 0);
    CU_ASSERT_EQUAL(_snwprintf_s(buf, 16, _TRUNCATE, L"%s", L"0123456789abcdefghij"), -1);
    CU_ASSERT_EQUAL(wcscmp(buf, L"0123456789abcde"), 0);
    CU_ASSERT_STRING_EQUAL(capture_stdout(print_wide_s), "wide narrow -7\n");
    handler_off();
}

static void test_fopen_s(void)
{
    char path[MAX_PATH + 64], tmp[MAX_PATH], line[32];
    FILE *f = (FILE *)1;

    handler_on();
    GetTempPathA(sizeof tmp, tmp);
    snprintf(path, sizeof path, "%s%s.txt", tmp, test_name("fopen_s"));
    CU_ASSERT_EQUAL(fopen_s(&f, path, "r"), ENOENT);
    CU_ASSERT_PTR_NULL(f);
    CU_ASSERT_EQUAL_FATAL(fopen_s(&f, path, "wt"), 0);
    fputs("hello\n", f);
    fclose(f);
    CU_ASSERT_EQUAL_FATAL(fopen_s(&f, path, "rb"), 0);
    CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof line, f));
    CU_ASSERT_EQUAL(strncmp(line, "hello", 5), 0);
    fclose(f);
    CU_ASSERT_EQUAL(fopen_s(NULL, path, "r"), EINVAL);
    CU_ASSERT_EQUAL(fopen_s(&f, NULL, "r"), EINVAL);
    CU_ASSERT_EQUAL(fopen_s(&f, path, "z"), EINVAL);
    CU_ASSERT_PTR_NULL(f);
    CU_ASSERT_TRUE(DeleteFileA(path));
    handler_off();
}

static void test_time_s(void)
{
    time_t t = 365 * 86400 + 3600 + 120 + 5; /* 1971-01-01 01:02:05 UTC */
    struct tm tm;

    handler_on();
    CU_ASSERT_EQUAL(gmtime_s(&tm, &t), 0);
    CU_ASSERT_EQUAL(tm.tm_year, 71);
    CU_ASSERT_EQUAL(tm.tm_hour, 1);
    CU_ASSERT_EQUAL(tm.tm_min, 2);
    CU_ASSERT_EQUAL(tm.tm_sec, 5);
    CU_ASSERT_EQUAL(localtime_s(&tm, &t), 0);
    CU_ASSERT_EQUAL(tm.tm_year, 71);
    /* No time, or a negative one: EINVAL and every field -1. */
    CU_ASSERT_EQUAL(gmtime_s(&tm, NULL), EINVAL);
    CU_ASSERT_EQUAL(tm.tm_year, -1);
    CU_ASSERT_EQUAL(tm.tm_mday, -1);
    t = -5;
    CU_ASSERT_EQUAL(localtime_s(&tm, &t), EINVAL);
    CU_ASSERT_EQUAL(tm.tm_hour, -1);
    CU_ASSERT_EQUAL(gmtime_s(NULL, &t), EINVAL);
    handler_off();
}

static void test_environment_s(void)
{
    char *value = (char *)1;
    size_t n = 99;

    handler_on();
    CU_ASSERT_EQUAL(putenv((char *)"WINIPC_TEST_DUPENV=value"), 0);
#if defined(__MINGW32__) && !defined(_UCRT)
    /* msvcrt.dll has no _dupenv_s (it is msvcr80's); mingw-w64 does not supply one. */
    (void)value, (void)n;
#else
    CU_ASSERT_EQUAL(_dupenv_s(&value, &n, "WINIPC_TEST_DUPENV"), 0);
    CU_ASSERT_STRING_EQUAL(value, "value");
    CU_ASSERT_EQUAL(n, 6);
    free(value);
    value = (char *)1;
    CU_ASSERT_EQUAL(_dupenv_s(&value, &n, "WINIPC_TEST_NO_SUCH_VARIABLE"), 0);
    CU_ASSERT_PTR_NULL(value);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(_dupenv_s(NULL, &n, "PATH"), EINVAL);
#endif
    handler_off();
}

static void test_tokens_and_numbers(void)
{
    char text[] = "a,b;;c", *context = NULL, *tok, buf[40];

    handler_on();
    tok = strtok_s(text, ",;", &context);
    CU_ASSERT_STRING_EQUAL(tok, "a");
    CU_ASSERT_STRING_EQUAL(strtok_s(NULL, ",;", &context), "b");
    CU_ASSERT_STRING_EQUAL(strtok_s(NULL, ",;", &context), "c");
    CU_ASSERT_PTR_NULL(strtok_s(NULL, ",;", &context));
    CU_ASSERT_EQUAL(_itoa_s(-255, buf, sizeof buf, 10), 0);
    CU_ASSERT_STRING_EQUAL(buf, "-255");
    /* Only radix 10 shows a sign; other radixes print the 32 bits. */
    CU_ASSERT_EQUAL(_itoa_s(-255, buf, sizeof buf, 16), 0);
    CU_ASSERT_STRING_EQUAL(buf, "ffffff01");
    CU_ASSERT_EQUAL(_itoa_s(255, buf, sizeof buf, 2), 0);
    CU_ASSERT_STRING_EQUAL(buf, "11111111");
    CU_ASSERT_EQUAL(_itoa_s(12345, buf, 3, 10), ERANGE);
    CU_ASSERT_EQUAL(buf[0], 0);
    CU_ASSERT_STRING_EQUAL(_itoa(100, buf, 36), "2s");
    handler_off();
}

static void test_aligned_malloc(void)
{
    char *p = _aligned_malloc(100, 64);

    handler_on();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL((uintptr_t)p % 64, 0);
    memset(p, 1, 100);
    _aligned_free(p);
    _aligned_free(NULL);
    errno = 0;
    CU_ASSERT_PTR_NULL(_aligned_malloc(16, 24)); /* not a power of two */
    CU_ASSERT_EQUAL(errno, EINVAL);
    handler_off();
}

static void test_tchar_secure_names(void)
{
    TCHAR buf[8];

    handler_on();
    CU_ASSERT_EQUAL(_tcscpy_s(buf, 8, _T("abc")), 0);
    CU_ASSERT_EQUAL(_tcscat_s(buf, 8, _T("de")), 0);
    CU_ASSERT_EQUAL(_tcscmp(buf, _T("abcde")), 0);
    CU_ASSERT_EQUAL(_tcsncpy_s(buf, 8, _T("0123456789"), _TRUNCATE), STRUNCATE);
    CU_ASSERT_EQUAL(_stprintf_s(buf, 8, _T("%d"), 77), 2);
    CU_ASSERT_EQUAL(_tcscmp(buf, _T("77")), 0);
    handler_off();
}

CU_TestInfo test_crt_secure_tests[] = {
    {"strcpy_s: ERANGE and EINVAL, the destination emptied", test_strcpy_s},
    {"strncpy_s: counts and _TRUNCATE (STRUNCATE)", test_strncpy_s},
    {"strcat_s and strncat_s", test_strcat_s},
    {"wcscpy_s, wcscat_s, wcsncpy_s", test_wide_strings},
    {"memcpy_s zeroes, memmove_s does not", test_memcpy_s},
    {"sprintf_s and _snprintf_s", test_sprintf_s},
    {"swprintf_s, _snwprintf_s, wprintf_s with Microsoft's format rules", test_wide_printf_s},
    {"fopen_s", test_fopen_s},
    {"gmtime_s and localtime_s", test_time_s},
    {"_dupenv_s", test_environment_s},
    {"strtok_s and _itoa_s", test_tokens_and_numbers},
    {"_aligned_malloc and _aligned_free", test_aligned_malloc},
    {"the _tcs*_s names of <tchar.h>", test_tchar_secure_names},
    CU_TEST_INFO_NULL,
};

const struct test_role test_crt_secure_roles[] = {{NULL, NULL}};
