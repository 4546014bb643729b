/*
 * test-text.c - the Windows idioms around the API: Microsoft printf semantics in
 * wide calls, code-page conversions, memory macros, Interlocked across processes.
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>
#include <tchar.h>
#include <wchar.h>

/* Formats with Microsoft's _snwprintf and compares with the expected wide text. */
#define CHECK_WFMT(expect, ...)                                 \
    do {                                                        \
        wchar_t buf_[256];                                      \
        int n_ = _snwprintf(buf_, 256, __VA_ARGS__);            \
        CU_ASSERT_EQUAL(n_, (int)wcslen(expect));               \
        CU_ASSERT_TRUE(n_ >= 0 && wcscmp(buf_, (expect)) == 0); \
    } while (0)

static void test_wide_format_semantics(void)
{
    /* %s and %c are wide in a wide call, %S and %C narrow; h and l are explicit. */
    CHECK_WFMT(L"[wide]", L"[%s]", L"wide");
    CHECK_WFMT(L"[narrow]", L"[%S]", "narrow");
    CHECK_WFMT(L"[a|b]", L"[%ls|%hs]", L"a", "b");
    CHECK_WFMT(L"[x|y|z]", L"[%c|%C|%hc]", L'x', 'y', 'z');
    CHECK_WFMT(L"[w]", L"[%lc]", L'w');
    /* Width and precision count characters of wide strings. */
    CHECK_WFMT(L"[   ab|ab   |abc]", L"[%5s|%-5s|%.3s]", L"ab", L"ab", L"abcdef");
    CHECK_WFMT(L"[  xy]", L"[%4.2S]", "xyz");
    /* Microsoft's long is 32 bits; I64 and I are size prefixes. */
    CHECK_WFMT(L"[-5|4294967295|ff]", L"[%ld|%lu|%lx]", (LONG)-5, (DWORD)0xFFFFFFFFu, (DWORD)255);
    CHECK_WFMT(L"[1099511627776|-1]", L"[%I64d|%I64d]", (LONGLONG)1 << 40, (LONGLONG)-1);
    CHECK_WFMT(L"[18446744073709551615]", L"[%I64u]", (ULONGLONG)-1);
    CHECK_WFMT(L"[123]", L"[%Iu]", (SIZE_T)123);
    CHECK_WFMT(L"[100%|2.50]", L"[%d%%|%.2f]", 100, 2.5);
}

static void test_non_ascii_round_trip(void)
{
    /* U+00E9 and U+1F600 from UTF-8 narrow arguments into wide output, and back. */
    wchar_t buf[64], expect[8] = {L'<', 0xE9, 0, 0, 0};
    char utf8[64];
    int n;

    if (sizeof(wchar_t) == 2) {
        expect[2] = 0xD83D, expect[3] = 0xDE00, expect[4] = L'>';
    } else {
        expect[2] = (wchar_t)0x1F600, expect[3] = L'>';
    }
#ifdef _WIN32
    if (GetACP() != CP_UTF8) /* narrow arguments are in the ANSI code page there */
        return;
#endif
    n = _snwprintf(buf, 64, L"<%S>", "\xC3\xA9\xF0\x9F\x98\x80");
    CU_ASSERT_EQUAL(n, (int)wcslen(expect));
    CU_ASSERT_EQUAL(wcscmp(buf, expect), 0);
    n = WideCharToMultiByte(CP_UTF8, 0, buf, -1, utf8, sizeof utf8, NULL, NULL);
    CU_ASSERT_EQUAL(n, 9); /* "<", 2 + 4 bytes, ">", terminator */
    CU_ASSERT_STRING_EQUAL(utf8, "<\xC3\xA9\xF0\x9F\x98\x80>");
}

static void test_snwprintf_truncation(void)
{
    wchar_t buf[8];

    wmemset(buf, L'#', 8);
    /* Exactly fits: no terminator, the count is returned (Microsoft's _snwprintf). */
    CU_ASSERT_EQUAL(_snwprintf(buf, 4, L"%s", L"abcd"), 4);
    CU_ASSERT_EQUAL(wmemcmp(buf, L"abcd#", 5), 0);
    /* Does not fit: -1, count characters stored. */
    CU_ASSERT_EQUAL(_snwprintf(buf, 3, L"%s", L"abcd"), -1);
    CU_ASSERT_EQUAL(wmemcmp(buf, L"abcd", 3), 0);
    CU_ASSERT_EQUAL(_snwprintf(buf, 8, L"%d", 42), 2);
    CU_ASSERT_EQUAL(wcscmp(buf, L"42"), 0);
}

static void print_interleaved(void)
{
    printf("one ");
    fwprintf(stdout, L"%s ", L"two");
    printf("three ");
    wprintf(L"%S %d\n", "four", 5);
    printf("six\n");
}

static void test_interleaving_on_stdout(void)
{
    CU_ASSERT_STRING_EQUAL(capture_stdout(print_interleaved), "one two three four 5\nsix\n");
}

static void test_multibyte_conversions(void)
{
    static const char utf8[] = "h\xC3\xA9llo"; /* 5 characters, 6 bytes */
    WCHAR wide[16];
    char narrow[16];
    int n;

    CU_ASSERT_EQUAL(MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0), 6); /* with the NUL */
    CU_ASSERT_EQUAL(MultiByteToWideChar(CP_UTF8, 0, utf8, 6, NULL, 0), 5);  /* without */
    n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, wide, 16);
    CU_ASSERT_EQUAL(n, 6);
    CU_ASSERT_EQUAL(wide[1], 0xE9);
    CU_ASSERT_EQUAL(wide[5], 0);
    CHECK_FAIL(MultiByteToWideChar(CP_UTF8, 0, utf8, -1, wide, 3), 0, ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(WideCharToMultiByte(CP_UTF8, 0, wide, -1, NULL, 0, NULL, NULL), 7);
    n = WideCharToMultiByte(CP_UTF8, 0, wide, -1, narrow, 16, NULL, NULL);
    CU_ASSERT_EQUAL(n, 7);
    CU_ASSERT_STRING_EQUAL(narrow, utf8);
    CHECK_FAIL(WideCharToMultiByte(CP_UTF8, 0, wide, -1, narrow, 2, NULL, NULL), 0,
               ERROR_INSUFFICIENT_BUFFER);
    /* Invalid input: an error with the strict flag, U+FFFD without. */
    CHECK_FAIL(MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS,
                                   "a\xFF"
                                   "b",
                                   3, wide, 16),
               0, ERROR_NO_UNICODE_TRANSLATION);
    CU_ASSERT_EQUAL(MultiByteToWideChar(CP_UTF8, 0,
                                        "a\xFF"
                                        "b",
                                        3, wide, 16),
                    3);
    CU_ASSERT_EQUAL(wide[1], 0xFFFD);
    /* Bad parameters. */
    CHECK_FAIL(MultiByteToWideChar(CP_UTF8, 0, NULL, -1, wide, 16), 0, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(MultiByteToWideChar(CP_UTF8, 0, utf8, 0, wide, 16), 0, ERROR_INVALID_PARAMETER);
    /* Microsoft's page says a default character must be NULL for CP_UTF8, but Windows
       10 1709 and later take it and lpUsedDefaultChar (Wine's codepage.c records it),
       and so do Wine and winipc. */
    {
        BOOL used = TRUE;

        CU_ASSERT_EQUAL(WideCharToMultiByte(CP_UTF8, 0, L"abc", -1, narrow, 16, "?", &used), 4);
        CU_ASSERT_FALSE(used);
    }
    CHECK_FAIL(MultiByteToWideChar(CP_UTF8, 0x4000, utf8, -1, wide, 16), 0, ERROR_INVALID_FLAGS);
}

/* A byte buffer with text at an odd offset, as Windows code converts in place. */
static void test_conversion_alignment_and_lengths(void)
{
    static const WCHAR text[] = L"just a test"; /* 11 characters */
    union {
        WCHAR align;
        char bytes[128];
    } buf;
    WCHAR wide[16], *odd = (WCHAR *)(buf.bytes + 1);
    char narrow[32];

    /* Read from a misaligned source: the whole string, terminator included. */
    memcpy(buf.bytes + 1, text, sizeof text);
    memset(narrow, 'x', sizeof narrow);
    CU_ASSERT_EQUAL(WideCharToMultiByte(CP_UTF8, 0, odd, -1, narrow, sizeof narrow, NULL, NULL),
                    12);
    CU_ASSERT_STRING_EQUAL(narrow, "just a test");
    CU_ASSERT_EQUAL(WideCharToMultiByte(CP_UTF8, 0, odd, -1, NULL, 0, NULL, NULL), 12);
    /* Write to a misaligned destination. */
    memset(buf.bytes, 0, sizeof buf.bytes);
    CU_ASSERT_EQUAL(MultiByteToWideChar(CP_UTF8, 0, "h\xC3\xA9", -1, odd, 8), 3);
    memcpy(wide, buf.bytes + 1, 3 * sizeof(WCHAR));
    CU_ASSERT_TRUE(wide[0] == L'h' && wide[1] == 0xE9 && wide[2] == 0);

    /* Any negative source length means NUL-terminated, as -1 does, and the last error
       is left alone on success. */
    SetLastError(0xDEADu);
    memset(narrow, 'x', sizeof narrow);
    CU_ASSERT_EQUAL(WideCharToMultiByte(CP_UTF8, 0, text, -2002, narrow, 32, NULL, NULL), 12);
    CU_ASSERT_STRING_EQUAL(narrow, "just a test");
    CU_ASSERT_EQUAL(MultiByteToWideChar(CP_UTF8, 0, "foobar", -2002, wide, 16), 7);
    CU_ASSERT_TRUE(wcscmp(wide, L"foobar") == 0);
    CU_ASSERT_EQUAL(GetLastError(), 0xDEADu);
    /* A negative destination length is still an error. */
    CHECK_FAIL(MultiByteToWideChar(CP_UTF8, 0, "foobar", -1, wide, -1), 0, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(WideCharToMultiByte(CP_UTF8, 0, text, -1, narrow, -1000, NULL, NULL), 0,
               ERROR_INVALID_PARAMETER);
}

static void test_memory_macros(void)
{
    char a[8] = "abcdefg", b[8];
    WORD w = MAKEWORD(0x34, 0x12);
    DWORD dw = MAKELONG(0x5678, 0x1234);
    int arr[5], unused = 0;

    CopyMemory(b, a, 8);
    CU_ASSERT_STRING_EQUAL(b, "abcdefg");
    MoveMemory(a + 1, a, 5); /* overlapping */
    CU_ASSERT_EQUAL(memcmp(a, "aabcdeg", 7), 0);
    FillMemory(b, 3, 'x');
    CU_ASSERT_EQUAL(memcmp(b, "xxxdefg", 7), 0);
    ZeroMemory(b, 2);
    CU_ASSERT_EQUAL(b[0] | b[1], 0);
    SecureZeroMemory(a, sizeof a);
    CU_ASSERT_EQUAL(a[7] | a[3], 0);
    CU_ASSERT_EQUAL(w, 0x1234);
    CU_ASSERT_EQUAL(LOBYTE(w), 0x34);
    CU_ASSERT_EQUAL(HIBYTE(w), 0x12);
    CU_ASSERT_EQUAL(LOWORD(dw), 0x5678);
    CU_ASSERT_EQUAL(HIWORD(dw), 0x1234);
    CU_ASSERT_EQUAL(ARRAYSIZE(arr), 5);
    CU_ASSERT_EQUAL(_countof(arr), 5);
    CU_ASSERT_EQUAL(max(3, 7), 7);
    CU_ASSERT_EQUAL(min(3, 7), 3);
    UNREFERENCED_PARAMETER(unused);
}

static void test_interlocked(void)
{
    volatile LONG v = 5;
    volatile LONG64 v64 = (LONG64)1 << 40;
    PVOID volatile p = NULL;
    int x;

    CU_ASSERT_EQUAL(InterlockedIncrement(&v), 6);
    CU_ASSERT_EQUAL(InterlockedDecrement(&v), 5);
    CU_ASSERT_EQUAL(InterlockedExchange(&v, 9), 5);
    CU_ASSERT_EQUAL(InterlockedExchangeAdd(&v, 3), 9);
    CU_ASSERT_EQUAL(InterlockedCompareExchange(&v, 1, 12), 12); /* matched: swapped */
    CU_ASSERT_EQUAL(InterlockedCompareExchange(&v, 2, 12), 1);  /* not matched */
    CU_ASSERT_EQUAL(v, 1);
    CU_ASSERT_EQUAL(InterlockedIncrement64(&v64), ((LONG64)1 << 40) + 1);
    CU_ASSERT_EQUAL(InterlockedCompareExchange64(&v64, 7, ((LONG64)1 << 40) + 1),
                    ((LONG64)1 << 40) + 1);
    CU_ASSERT_EQUAL(v64, 7);
    CU_ASSERT_PTR_NULL(InterlockedCompareExchangePointer(&p, &x, NULL));
    CU_ASSERT_PTR_EQUAL(InterlockedExchangePointer(&p, NULL), &x);
}

#define INTERLOCKED_INCREMENTS 1000000

static int increment_shared(const char *name)
{
    HANDLE h = OpenFileMappingA(FILE_MAP_WRITE, FALSE, name);
    volatile LONG *counter = h ? MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0) : NULL;

    if (!counter)
        return 10;
    for (int i = 0; i < INTERLOCKED_INCREMENTS; i++)
        InterlockedIncrement(counter);
    UnmapViewOfFile((LPCVOID)counter);
    CloseHandle(h);
    return 0;
}

static int role_increment(int argc, char **argv)
{
    return argc > 0 ? increment_shared(argv[0]) : 100;
}

static void test_interlocked_across_processes(void)
{
    const char *name = test_name("ilock");
    HANDLE h = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, name);
    volatile LONG *counter = MapViewOfFile(h, FILE_MAP_READ, 0, 0, 0);
    struct child *c = child_spawn("increment", name, NULL);

    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(increment_shared(name), 0);
    CU_ASSERT_EQUAL(child_wait(c, 120000), 0);
    CU_ASSERT_EQUAL(*counter, 2 * INTERLOCKED_INCREMENTS);
    UnmapViewOfFile((LPCVOID)counter);
    CloseHandle(h);
}

static void test_ansi_tchar(void)
{
    TCHAR name[] = TEXT("Local\\MyMap");
    _TCHAR buf[32];

    CU_ASSERT_EQUAL(sizeof(TCHAR), 1);
    CU_ASSERT_EQUAL(_tcslen(name), 11);
    CU_ASSERT_EQUAL(_stprintf(buf, _T("%s-%d"), _T("x"), 7), 3);
    CU_ASSERT_STRING_EQUAL(buf, "x-7");
    CU_ASSERT_EQUAL(_tcsicmp(_T("ABC"), _T("abc")), 0);
    CU_ASSERT_EQUAL(_ttoi(_T("42")), 42);
    CU_ASSERT_TRUE(_istdigit(_T('7')) && _istspace(_T(' ')));
}

CU_TestInfo test_text_tests[] = {
    {"wide printf: %s/%S/%ls/%hs/%c/%C, widths, long, I64, I", test_wide_format_semantics},
    {"non-ASCII text round-trips through UTF-8", test_non_ascii_round_trip},
    {"_snwprintf: exact fit and truncation", test_snwprintf_truncation},
    {"printf and wide printf interleave on one stream", test_interleaving_on_stdout},
    {"MultiByteToWideChar and WideCharToMultiByte", test_multibyte_conversions},
    {"conversions: misaligned wide buffers, negative lengths",
     test_conversion_alignment_and_lengths},
    {"CopyMemory, ZeroMemory, MAKEWORD, ARRAYSIZE, min/max", test_memory_macros},
    {"Interlocked* return values and 64-bit and pointer forms", test_interlocked},
    {"InterlockedIncrement on a mapping, 2 x 1000000, exact", test_interlocked_across_processes},
    {"tchar.h in an ANSI build", test_ansi_tchar},
    CU_TEST_INFO_NULL,
};

const struct test_role test_text_roles[] = {
    {"increment", role_increment},
    {NULL, NULL},
};
