/*
 * test-tchar_unicode.c - tchar.h and the generic Win32 names in a _UNICODE build:
 * the way Microsoft's own samples are written.
 */
#define UNICODE
#define _UNICODE
#include "helpers.h"

#include <string.h>
#include <tchar.h>

static void print_like_a_sample(void)
{
    TCHAR szMsg[] = TEXT("Message from first process.");

    _tprintf(TEXT("%s (%d chars)\n"), szMsg, (int)_tcslen(szMsg));
    _tprintf(_T("%S and %s\n"), "narrow", _T("wide"));
}

static void test_unicode_tchar(void)
{
    TCHAR szName[] = TEXT("Local\\MyFileMappingObject");
    _TCHAR buf[64];
    HANDLE h, h2;
    LPTSTR view;

    CU_ASSERT_EQUAL(sizeof(TCHAR), sizeof(wchar_t));
    CU_ASSERT_EQUAL(_tcslen(szName), 25);
    CU_ASSERT_EQUAL(_tcscmp(szName, L"Local\\MyFileMappingObject"), 0);
    CU_ASSERT_EQUAL(_tcsicmp(_T("ABC"), _T("abc")), 0);
    CU_ASSERT_PTR_EQUAL(_tcschr(szName, _T('\\')), szName + 5);
    CU_ASSERT_EQUAL(_ttoi(_T("123")), 123);
    CU_ASSERT_EQUAL(_tcstol(_T("ff"), NULL, 16), 255);
    CU_ASSERT_TRUE(_istdigit(_T('9')) && !_istdigit(_T('x')));
    CU_ASSERT_EQUAL(_sntprintf(buf, 64, _T("%s=%d"), _T("n"), 4), 3);
    CU_ASSERT_EQUAL(_tcscmp(buf, _T("n=4")), 0);

    /* The generic names are the W functions: a wide name reaches the object. */
    h = CreateFileMapping(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, szName);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    view = (LPTSTR)MapViewOfFile(h, FILE_MAP_ALL_ACCESS, 0, 0, 4096);
    CopyMemory(view, szName, (_tcslen(szName) + 1) * sizeof(TCHAR));
    CU_ASSERT_EQUAL(_tcscmp(view, szName), 0);
    h2 = OpenFileMappingA(FILE_MAP_READ, FALSE, "MyFileMappingObject");
    CU_ASSERT_PTR_NOT_NULL(h2);
    CloseHandle(h2);
    UnmapViewOfFile(view);
    CloseHandle(h);

    CU_ASSERT_STRING_EQUAL(capture_stdout(print_like_a_sample),
                           "Message from first process. (27 chars)\nnarrow and wide\n");
}

CU_TestInfo test_tchar_unicode_tests[] = {
    {"tchar.h, TEXT() and generic names in a _UNICODE build", test_unicode_tchar},
    CU_TEST_INFO_NULL,
};

const struct test_role test_tchar_unicode_roles[] = {{NULL, NULL}};
