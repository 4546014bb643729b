/*
 * test-message.c - FormatMessage: Microsoft's English text for every error code winipc
 * sets, the insert and escape syntax, buffers, languages.
 *
 * The expected texts are Microsoft's (the System Error Codes pages of the Windows
 * documentation). Wine has texts of its own, so under Wine only their form is checked.
 */
#include "helpers.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#ifndef ERROR_NO_WORK_DONE /* the Windows SDK has it; mingw-w64's winerror.h does not */
#define ERROR_NO_WORK_DONE 235L
#endif

/* Every ERROR_* of winipc's winerror.h with the text Windows prints for it. */
static const struct {
    DWORD code;
    const char *text;
} expected[] = {
    {ERROR_SUCCESS, "The operation completed successfully."},
    {ERROR_INVALID_FUNCTION, "Incorrect function."},
    {ERROR_FILE_NOT_FOUND, "The system cannot find the file specified."},
    {ERROR_PATH_NOT_FOUND, "The system cannot find the path specified."},
    {ERROR_TOO_MANY_OPEN_FILES, "The system cannot open the file."},
    {ERROR_ACCESS_DENIED, "Access is denied."},
    {ERROR_INVALID_HANDLE, "The handle is invalid."},
    {ERROR_ARENA_TRASHED, "The storage control blocks were destroyed."},
    {ERROR_NOT_ENOUGH_MEMORY, "Not enough memory resources are available to process this command."},
    {ERROR_INVALID_BLOCK, "The storage control block address is invalid."},
    {ERROR_BAD_ENVIRONMENT, "The environment is incorrect."},
    {ERROR_BAD_FORMAT, "An attempt was made to load a program with an incorrect format."},
    {ERROR_INVALID_ACCESS, "The access code is invalid."},
    {ERROR_INVALID_DATA, "The data is invalid."},
    {ERROR_OUTOFMEMORY, "Not enough storage is available to complete this operation."},
    {ERROR_INVALID_DRIVE, "The system cannot find the drive specified."},
    {ERROR_CURRENT_DIRECTORY, "The directory cannot be removed."},
    {ERROR_NOT_SAME_DEVICE, "The system cannot move the file to a different disk drive."},
    {ERROR_NO_MORE_FILES, "There are no more files."},
    {ERROR_WRITE_PROTECT, "The media is write protected."},
    {ERROR_NOT_READY, "The device is not ready."},
    {ERROR_BAD_LENGTH, "The program issued a command but the command length is incorrect."},
    {ERROR_SEEK, "The drive cannot locate a specific area or track on the disk."},
    {ERROR_WRITE_FAULT, "The system cannot write to the specified device."},
    {ERROR_READ_FAULT, "The system cannot read from the specified device."},
    {ERROR_GEN_FAILURE, "A device attached to the system is not functioning."},
    {ERROR_SHARING_VIOLATION,
     "The process cannot access the file because it is being used by another process."},
    {ERROR_LOCK_VIOLATION, "The process cannot access the file because another process has locked "
                           "a portion of the file."},
    {ERROR_HANDLE_EOF, "Reached the end of the file."},
    {ERROR_HANDLE_DISK_FULL, "The disk is full."},
    {ERROR_NOT_SUPPORTED, "The request is not supported."},
    {ERROR_FILE_EXISTS, "The file exists."},
    {ERROR_CANNOT_MAKE, "The directory or file cannot be created."},
    {ERROR_INVALID_PARAMETER, "The parameter is incorrect."},
    {ERROR_BROKEN_PIPE, "The pipe has been ended."},
    {ERROR_BUFFER_OVERFLOW, "The file name is too long."},
    {ERROR_DISK_FULL, "There is not enough space on the disk."},
    {ERROR_CALL_NOT_IMPLEMENTED, "This function is not supported on this system."},
    {ERROR_SEM_TIMEOUT, "The semaphore timeout period has expired."},
    {ERROR_INSUFFICIENT_BUFFER, "The data area passed to a system call is too small."},
    {ERROR_INVALID_NAME, "The filename, directory name, or volume label syntax is incorrect."},
    {ERROR_NEGATIVE_SEEK,
     "An attempt was made to move the file pointer before the beginning of the file."},
    {ERROR_DIR_NOT_EMPTY, "The directory is not empty."},
    {ERROR_NOT_LOCKED, "The segment is already unlocked."},
    {ERROR_BAD_ARGUMENTS, "One or more arguments are not correct."},
    {ERROR_BAD_PATHNAME, "The specified path is invalid."},
    {ERROR_BUSY, "The requested resource is in use."},
    {ERROR_ALREADY_EXISTS, "Cannot create a file when that file already exists."},
    {ERROR_BAD_EXE_FORMAT, "%1 is not a valid Win32 application."},
    {ERROR_ENVVAR_NOT_FOUND, "The system could not find the environment option that was entered."},
    {ERROR_FILENAME_EXCED_RANGE, "The filename or extension is too long."},
    {ERROR_FILE_TOO_LARGE, "The file size exceeds the limit allowed and cannot be saved."},
    {ERROR_NO_DATA, "The pipe is being closed."},
    {ERROR_MORE_DATA, "More data is available."},
    {ERROR_NO_WORK_DONE, "The action requested resulted in no work being done. Error-style "
                         "clean-up has been performed."},
    {ERROR_NO_MORE_ITEMS, "No more data is available."},
    {ERROR_DIRECTORY, "The directory name is invalid."},
    {ERROR_NOT_OWNER, "Attempt to release mutex not owned by caller."},
    {ERROR_TOO_MANY_POSTS, "Too many posts were made to a semaphore."},
    {ERROR_PARTIAL_COPY,
     "Only part of a ReadProcessMemory or WriteProcessMemory request was completed."},
    {ERROR_MR_MID_NOT_FOUND,
     "The system cannot find message text for message number 0x%1 in the message file for %2."},
    {ERROR_INVALID_ADDRESS, "Attempt to access invalid address."},
    {ERROR_ARITHMETIC_OVERFLOW, "Arithmetic result exceeded 32 bits."},
    {ERROR_ABANDONED_WAIT_0, "ERROR_ABANDONED_WAIT_0"},
    {ERROR_OPERATION_ABORTED, "The I/O operation has been aborted because of either a thread exit "
                              "or an application request."},
    {ERROR_IO_PENDING, "Overlapped I/O operation is in progress."},
    {ERROR_NOACCESS, "Invalid access to memory location."},
    {ERROR_INVALID_FLAGS, "Invalid flags."},
    {ERROR_FILE_INVALID, "The volume for a file has been externally altered so that the opened "
                         "file is no longer valid."},
    {ERROR_NO_UNICODE_TRANSLATION,
     "No mapping for the Unicode character exists in the target multi-byte code page."},
    {ERROR_MAPPED_ALIGNMENT,
     "The base address or the file offset specified does not have the proper alignment."},
    {ERROR_NOT_FOUND, "Element not found."},
    {ERROR_CANCELLED, "The operation was canceled by the user."},
    {ERROR_USER_MAPPED_FILE,
     "The requested operation cannot be performed on a file with a user-mapped section open."},
    {ERROR_UNKNOWN_REVISION, "The revision level is unknown."},
    {ERROR_PRIVILEGE_NOT_HELD, "A required privilege is not held by the client."},
    {ERROR_INVALID_SECURITY_DESCR, "The security descriptor structure is invalid."},
    {ERROR_INVALID_WINDOW_HANDLE, "Invalid window handle."},
    {ERROR_NO_SYSTEM_RESOURCES,
     "Insufficient system resources exist to complete the requested service."},
    {ERROR_COMMITMENT_LIMIT, "The paging file is too small for this operation to complete."},
    {ERROR_TIMEOUT, "This operation returned because the timeout period expired."},
    {ERROR_INVALID_USER_BUFFER,
     "The supplied user buffer is not valid for the requested operation."},
    {ERROR_RESOURCE_DATA_NOT_FOUND, "The specified image file did not contain a resource section."},
    {ERROR_RESOURCE_TYPE_NOT_FOUND,
     "The specified resource type cannot be found in the image file."},
    {ERROR_RESOURCE_NAME_NOT_FOUND,
     "The specified resource name cannot be found in the image file."},
    {ERROR_RESOURCE_LANG_NOT_FOUND,
     "The specified resource language ID cannot be found in the image file."},
    {ERROR_NOT_ENOUGH_QUOTA, "Not enough quota is available to process this command."},
    {ERROR_MUI_FILE_NOT_FOUND, "The resource loader failed to find MUI file."},
};

/* FormatMessageA from a string, with a va_list of the arguments. */
static DWORD fmt_a(DWORD flags, char *buf, DWORD size, const char *format, ...)
{
    va_list ap;
    DWORD r;

    va_start(ap, format);
    r = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | flags, format, 0, 0, buf, size, &ap);
    va_end(ap);
    return r;
}

static DWORD fmt_w(DWORD flags, wchar_t *buf, DWORD size, const wchar_t *format, ...)
{
    va_list ap;
    DWORD r;

    va_start(ap, format);
    r = FormatMessageW(FORMAT_MESSAGE_FROM_STRING | flags, format, 0, 0, buf, size, &ap);
    va_end(ap);
    return r;
}

#define CHECK_FMT(expect, flags, ...)                      \
    do {                                                   \
        char buf_[256];                                    \
        DWORD n_ = fmt_a((flags), buf_, 256, __VA_ARGS__); \
        CU_ASSERT_EQUAL(n_, (DWORD)strlen(expect));        \
        CU_ASSERT_TRUE(n_ &&strcmp(buf_, (expect)) == 0);  \
    } while (0)

static void test_every_system_message(void)
{
    bool wine = skipped_on_wine("FormatMessage system texts: Wine has texts of its own");
    char a[512];
    WCHAR w[512], expect_w[512];

    for (size_t i = 1; i < sizeof expected / sizeof expected[0]; i++)
        CU_ASSERT_TRUE(expected[i - 1].code < expected[i].code);
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        DWORD flags = FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS;
        DWORD n = FormatMessageA(flags, NULL, expected[i].code, 0, a, sizeof a, NULL);
        DWORD nw = FormatMessageW(flags, NULL, expected[i].code, 0, w, 512, NULL);
        size_t len = strlen(expected[i].text);

        if (wine && (n == 0 || nw == 0))
            continue; /* Wine's table lacks a few codes */
        /* Every message ends with the line end of its definition. */
        CU_ASSERT_TRUE(n >= 2 && a[n - 2] == '\r' && a[n - 1] == '\n');
        CU_ASSERT_TRUE(nw >= 2 && w[nw - 2] == L'\r' && w[nw - 1] == L'\n');
        if (wine)
            continue;
        if (n != len + 2 || strncmp(a, expected[i].text, len) != 0)
            printf("\n    code %lu: got \"%s\"", (unsigned long)expected[i].code, a);
        CU_ASSERT_EQUAL(n, len + 2);
        CU_ASSERT_EQUAL(strncmp(a, expected[i].text, len), 0);
        MultiByteToWideChar(CP_UTF8, 0, expected[i].text, -1, expect_w, 512);
        CU_ASSERT_EQUAL(nw, len + 2);
        CU_ASSERT_EQUAL(wcsncmp(w, expect_w, len), 0);
    }
}

static void test_system_message_idioms(void)
{
    LPSTR p = NULL;
    LPWSTR pw = NULL;
    char buf[64];
    DWORD n;

    /* The usual way to print an error: allocate, neutral language, no inserts. */
    SetLastError(0);
    CU_ASSERT_PTR_NULL(OpenFileMappingA(FILE_MAP_READ, FALSE, test_name("nosuch")));
    CU_ASSERT_EQUAL(GetLastError(), ERROR_FILE_NOT_FOUND);
    n = FormatMessageA(
        FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
        NULL, GetLastError(), MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPSTR)&p, 0, NULL);
    CU_ASSERT_TRUE_FATAL(n > 0 && p != NULL);
    CU_ASSERT_EQUAL(n, strlen(p));
    if (!running_on_wine())
        CU_ASSERT_STRING_EQUAL(p, "The system cannot find the file specified.\r\n");
    CU_ASSERT_PTR_NULL(LocalFree(p));
    n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                           FORMAT_MESSAGE_IGNORE_INSERTS,
                       NULL, ERROR_ACCESS_DENIED, MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US),
                       (LPWSTR)&pw, 0, NULL);
    CU_ASSERT_TRUE_FATAL(n > 0 && pw != NULL);
    if (!running_on_wine())
        CU_ASSERT_EQUAL(wcscmp(pw, L"Access is denied.\r\n"), 0);
    CU_ASSERT_PTR_NULL(LocalFree(pw));

    /* An HRESULT of FACILITY_WIN32 has the text of its code. */
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                       (DWORD)HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED), 0, buf, sizeof buf, NULL);
    CU_ASSERT_TRUE(n > 0);
    if (!running_on_wine())
        CU_ASSERT_STRING_EQUAL(buf, "Access is denied.\r\n");
    /* MAX_WIDTH_MASK: the line end of the definition becomes a space. */
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                           FORMAT_MESSAGE_MAX_WIDTH_MASK,
                       NULL, ERROR_ACCESS_DENIED, 0, buf, sizeof buf, NULL);
    CU_ASSERT_TRUE(n > 0 && buf[n - 1] == ' ');
    if (!running_on_wine())
        CU_ASSERT_STRING_EQUAL(buf, "Access is denied. ");
    /* Inserts of a system message come out as written with IGNORE_INSERTS. */
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                       ERROR_BAD_EXE_FORMAT, 0, buf, sizeof buf, NULL);
    CU_ASSERT_TRUE(n > 0 && strstr(buf, "%1") != NULL);
}

static void test_system_message_failures(void)
{
    DWORD flags = FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS;
    char buf[64], small[8];

    /* An id with no message: ERROR_MR_MID_NOT_FOUND, as Windows. */
    CHECK_FAIL(FormatMessageA(flags, NULL, 0x2F0E1D, 0, buf, sizeof buf, NULL), 0,
               ERROR_MR_MID_NOT_FOUND);
    CHECK_FAIL(FormatMessageA(flags, NULL, ERROR_ACCESS_DENIED, 0, small, sizeof small, NULL), 0,
               ERROR_INSUFFICIENT_BUFFER);
    /* No source at all. */
    CHECK_FAIL(FormatMessageA(FORMAT_MESSAGE_IGNORE_INSERTS, NULL, 5, 0, buf, sizeof buf, NULL), 0,
               ERROR_INVALID_PARAMETER);
    /* A language the system has no text in (an English system without that pack). */
    if (!skipped_on_wine("FormatMessage in a missing language: ERROR_MUI_FILE_NOT_FOUND"))
        CHECK_FAIL(FormatMessageA(flags, NULL, ERROR_ACCESS_DENIED,
                                  MAKELANGID(LANG_JAPANESE, SUBLANG_DEFAULT), buf, sizeof buf,
                                  NULL),
                   0, ERROR_MUI_FILE_NOT_FOUND);
    /* The program's own message table: it has none (it has no resource section). */
    CHECK_FAIL(FormatMessageA(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                              ERROR_ACCESS_DENIED, 0, buf, sizeof buf, NULL),
               0, ERROR_RESOURCE_DATA_NOT_FOUND);
    /* ... so with FROM_SYSTEM too, the system's text is found. */
    CU_ASSERT_TRUE(FormatMessageA(FORMAT_MESSAGE_FROM_HMODULE | flags, NULL, ERROR_ACCESS_DENIED, 0,
                                  buf, sizeof buf, NULL) > 0);
}

static void test_inserts(void)
{
    DWORD_PTR array[] = {(DWORD_PTR) "abc", 42, (DWORD_PTR)L"wide"};
    char buf[64];
    WCHAR w[64];

    CHECK_FMT("test", 0, "%1", "test");
    CHECK_FMT("test", 0, "%1%3%2%1", "t", "s", "e");
    CHECK_FMT("123", 0, "%1!d!%2!d!%3!d!", 1, 2, 3);
    CHECK_FMT("   1", 0, "%1!4d!", 1);
    CHECK_FMT("1   ", 0, "%1!-4d!", 1);
    CHECK_FMT("   b", 0, "%1!4x!", 11);
    CHECK_FMT(" 1AB", 0, "%1!4X!", 0x1ab);
    CHECK_FMT("-5 4294967295", 0, "%1!ld! %2!lu!", (LONG)-5, (DWORD)0xFFFFFFFF);
    CHECK_FMT("1099511627776", 0, "%1!I64d!", (LONGLONG)1 << 40);
    CHECK_FMT("(null)", 0, "%1", NULL);
    /* A: s and c are narrow, S and C, ls and ws wide. */
    CHECK_FMT("test", 0, "%1!S!", L"test");
    CHECK_FMT("test", 0, "%1!ls!", L"test");
    CHECK_FMT("test", 0, "%1!c!%2!c!%3!c!%1!c!", 't', 'e', 's');
    /* Width and precision from the following inserts. */
    CHECK_FMT("  001", 0, "%1!*.*u!", 5, 3, 1);
    CHECK_FMT("   t", 0, "%1!*s!", 4, "t");
    /* W: s is wide, S narrow. */
    CU_ASSERT_EQUAL(fmt_w(0, w, 64, L"%1 %2!S! %3!d!", L"wide", "narrow", 7), 13);
    CU_ASSERT_EQUAL(wcscmp(w, L"wide narrow 7"), 0);
    /* An argument array: inserts are DWORD_PTRs. */
    CU_ASSERT_EQUAL(FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY,
                                   "%1 %2!u! %3!ls!", 0, 0, buf, sizeof buf, (va_list *)array),
                    11);
    CU_ASSERT_STRING_EQUAL(buf, "abc 42 wide");
    {
        DWORD_PTR stars[] = {6, 4, 2, 5, 3, 1};

        CU_ASSERT_EQUAL(FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY,
                                       "%1!*.*u!,%1!*.*u!", 0, 0, buf, sizeof buf,
                                       (va_list *)stars),
                        13);
        CU_ASSERT_STRING_EQUAL(buf, "  0002, 00003");
    }
    /* An insert without arguments is an error, the buffer untouched. */
    strcpy(buf, "xxxx");
    CHECK_FAIL(FormatMessageA(FORMAT_MESSAGE_FROM_STRING, "%1", 0, 0, buf, sizeof buf, NULL), 0,
               ERROR_INVALID_PARAMETER);
    CU_ASSERT_STRING_EQUAL(buf, "xxxx");
}

static void test_escapes_and_lines(void)
{
    char buf[64];

    CHECK_FMT(" %% ", 0, " %%%% ");
    CHECK_FMT(" .. 427", 0, " %.%. %1!d!", 0x1ab);
    CHECK_FMT("test", 0, "test%0test");
    CHECK_FMT("yah!", 0, "yah%!%0   ");
    CHECK_FMT("    ", 0, "% %   ");
    CHECK_FMT("\r\n\r\t", 0, "%n%r%t");
    CHECK_FMT("hi\r\n", 0, "hi\n");
    CHECK_FMT("hi\r\n", 0, "hi\r\n");
    CHECK_FMT("\r\n\r\n", 0, "\r\r\n");
    /* A width: regular line breaks are spaces, long lines break at spaces. */
    CHECK_FMT("hi ", FORMAT_MESSAGE_MAX_WIDTH_MASK, "hi\r\n");
    CHECK_FMT("  ", FORMAT_MESSAGE_MAX_WIDTH_MASK, "\r\r\n");
    CHECK_FMT("aaa bbb\r\nccc ddd", 8, "aaa bbb ccc ddd");
    /* IGNORE_INSERTS: inserts and escapes other than %n %r %t %0 as written. */
    CHECK_FMT("test%1%2!*.*s!%99", FORMAT_MESSAGE_IGNORE_INSERTS, "test%1%2!*.*s!%99");
    CHECK_FMT("%%% %.%!", FORMAT_MESSAGE_IGNORE_INSERTS, "%%% %.%!");
    /* Nothing to output: 0 and ERROR_NO_WORK_DONE. */
    strcpy(buf, "xxxx");
    CHECK_FAIL(fmt_a(FORMAT_MESSAGE_IGNORE_INSERTS, buf, sizeof buf, "%0test"), 0,
               ERROR_NO_WORK_DONE);
    CU_ASSERT_STRING_EQUAL(buf, "xxxx");
}

CU_TestInfo test_message_tests[] = {
    {"FormatMessage: Microsoft's text for every winipc error code", test_every_system_message},
    {"FormatMessage: the error-printing idioms", test_system_message_idioms},
    {"FormatMessage: unknown ids, small buffers, languages, modules", test_system_message_failures},
    {"FormatMessage: inserts with printf specifications", test_inserts},
    {"FormatMessage: escapes, line breaks and widths", test_escapes_and_lines},
    CU_TEST_INFO_NULL,
};

const struct test_role test_message_roles[] = {{NULL, NULL}};
