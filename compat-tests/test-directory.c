/*
 * test-directory.c - the file-system calls next to file-backed mappings: temporary
 * paths and files, directories, attributes, copying and moving, the current
 * directory, GetFileInformationByHandle. Paths are built with '\' separators, as
 * Windows code writes them.
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

/* "<temp dir><name>", in a static buffer (4 in rotation). */
static const char *temp_item(const char *name)
{
    static char bufs[4][MAX_PATH];
    static unsigned n;
    char *b = bufs[n++ % 4], dir[MAX_PATH];

    GetTempPathA(sizeof dir, dir);
    snprintf(b, MAX_PATH, "%s%s", dir, name);
    return b;
}

static bool write_file(const char *path, const char *text)
{
    HANDLE h =
        CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD done = 0;
    BOOL ok;

    if (h == INVALID_HANDLE_VALUE)
        return false;
    ok = WriteFile(h, text, (DWORD)strlen(text), &done, NULL);
    CloseHandle(h);
    return ok && done == strlen(text);
}

/* The file's contents (static buffer), or "" if it cannot be read. */
static const char *read_file(const char *path)
{
    static char buf[256];
    HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    DWORD done = 0;

    buf[0] = 0;
    if (h == INVALID_HANDLE_VALUE)
        return buf;
    if (ReadFile(h, buf, sizeof buf - 1, &done, NULL))
        buf[done] = 0;
    CloseHandle(h);
    return buf;
}

static void test_temp_path(void)
{
    char a[MAX_PATH + 1];
    WCHAR w[MAX_PATH + 1];
    DWORD n = GetTempPathA(sizeof a, a), nw = GetTempPathW(MAX_PATH + 1, w);

    CU_ASSERT_TRUE_FATAL(n > 0 && n < sizeof a);
    CU_ASSERT_EQUAL(n, strlen(a));
    CU_ASSERT_TRUE(a[n - 1] == '\\' || a[n - 1] == '/'); /* ends with the separator */
    CU_ASSERT_EQUAL(nw, n);
    CU_ASSERT_EQUAL(w[nw - 1], (WCHAR)(unsigned char)a[n - 1]);
    /* Too small: the size needed, with the terminator. */
    CU_ASSERT_EQUAL(GetTempPathA(2, a), n + 1);
    CU_ASSERT_EQUAL(GetTempPathA(0, NULL), n + 1);
    CU_ASSERT_TRUE(GetFileAttributesA(temp_item("")) & FILE_ATTRIBUTE_DIRECTORY);
}

static void test_temp_file_name(void)
{
    char dir[MAX_PATH], name[MAX_PATH];
    UINT u;
    size_t len;

    GetTempPathA(sizeof dir, dir);
    /* Unique 0: a free number, the file created. */
    u = GetTempFileNameA(dir, "wip", 0, name);
    CU_ASSERT_TRUE_FATAL(u != 0 && u <= 0xFFFF);
    len = strlen(name);
    CU_ASSERT_TRUE(len > 8 && strcmp(name + len - 4, ".tmp") == 0);
    CU_ASSERT_TRUE(strstr(name, "wip") != NULL);
    CU_ASSERT_NOT_EQUAL(GetFileAttributesA(name), INVALID_FILE_ATTRIBUTES);
    CU_ASSERT_TRUE(DeleteFileA(name));
    /* A given number: only the name, "<prefix><hex>.tmp" with 3 prefix characters. */
    CU_ASSERT_EQUAL(GetTempFileNameA(dir, "wipx", 0xABCD, name), 0xABCD);
    len = strlen(name);
    CU_ASSERT_TRUE(len > 11 && _stricmp(name + len - 11, "wipABCD.tmp") == 0);
    /* Windows writes the number in upper case hex; Wine in lower case. */
    if (!skipped_on_wine("GetTempFileName's hex digits in upper case"))
        CU_ASSERT_STRING_EQUAL(name + len - 11, "wipABCD.tmp");
    CU_ASSERT_EQUAL(GetFileAttributesA(name), INVALID_FILE_ATTRIBUTES);
    CHECK_FAIL(GetTempFileNameA(temp_item(test_name("nodir")), "wip", 0, name), 0, ERROR_DIRECTORY);
}

static void test_directories(void)
{
    char top[MAX_PATH], sub[MAX_PATH + 16], file[MAX_PATH + 16];

    snprintf(top, sizeof top, "%s", temp_item(test_name("dir")));
    snprintf(sub, sizeof sub, "%s\\sub", top);
    snprintf(file, sizeof file, "%s\\file.txt", top);
    CHECK_FAIL(CreateDirectoryA(sub, NULL), FALSE, ERROR_PATH_NOT_FOUND); /* no parent */
    CU_ASSERT_TRUE_FATAL(CreateDirectoryA(top, NULL));
    CHECK_FAIL(CreateDirectoryA(top, NULL), FALSE, ERROR_ALREADY_EXISTS);
    CU_ASSERT_TRUE(CreateDirectoryA(sub, NULL));
    CU_ASSERT_EQUAL(GetFileAttributesA(top) & FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_DIRECTORY);
    CU_ASSERT_TRUE(write_file(file, "x"));
    CHECK_FAIL(RemoveDirectoryA(top), FALSE, ERROR_DIR_NOT_EMPTY);
    CHECK_FAIL(RemoveDirectoryA(file), FALSE, ERROR_DIRECTORY);
    CU_ASSERT_TRUE(RemoveDirectoryA(sub));
    CHECK_FAIL(RemoveDirectoryA(sub), FALSE, ERROR_FILE_NOT_FOUND);
    CHECK_FAIL(GetFileAttributesA(sub), INVALID_FILE_ATTRIBUTES, ERROR_FILE_NOT_FOUND);
    snprintf(sub, sizeof sub, "%s\\no\\such", top);
    CHECK_FAIL(GetFileAttributesA(sub), INVALID_FILE_ATTRIBUTES, ERROR_PATH_NOT_FOUND);
    CU_ASSERT_TRUE(DeleteFileA(file));
    CU_ASSERT_TRUE(RemoveDirectoryA(top));
}

static void test_directories_wide(void)
{
    WCHAR dir[MAX_PATH];
    char name[MAX_PATH];

    snprintf(name, sizeof name, "%s", temp_item(test_name("wdir")));
    MultiByteToWideChar(CP_UTF8, 0, name, -1, dir, MAX_PATH);
    CU_ASSERT_TRUE_FATAL(CreateDirectoryW(dir, NULL));
    CHECK_FAIL(CreateDirectoryW(dir, NULL), FALSE, ERROR_ALREADY_EXISTS);
    CU_ASSERT_TRUE(GetFileAttributesW(dir) & FILE_ATTRIBUTE_DIRECTORY);
    CU_ASSERT_TRUE(RemoveDirectoryW(dir));
    CU_ASSERT_EQUAL(GetFileAttributesW(dir), INVALID_FILE_ATTRIBUTES);
}

static void test_attributes(void)
{
    char path[MAX_PATH], copy[MAX_PATH];
    WIN32_FILE_ATTRIBUTE_DATA data;
    DWORD a;

    snprintf(path, sizeof path, "%s", temp_item(test_name("attr")));
    snprintf(copy, sizeof copy, "%s", temp_item(test_name("attrcopy")));
    CU_ASSERT_TRUE_FATAL(write_file(path, "12345"));
    a = GetFileAttributesA(path);
    CU_ASSERT_EQUAL(a & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_READONLY), 0);
    CU_ASSERT_TRUE(GetFileAttributesExA(path, GetFileExInfoStandard, &data));
    CU_ASSERT_EQUAL(data.dwFileAttributes, a);
    CU_ASSERT_EQUAL(data.nFileSizeLow, 5);
    CU_ASSERT_EQUAL(data.nFileSizeHigh, 0);
    CU_ASSERT_TRUE(data.ftLastWriteTime.dwHighDateTime != 0);
    CHECK_FAIL(GetFileAttributesExA(path, GetFileExMaxInfoLevel, &data), FALSE,
               ERROR_INVALID_PARAMETER);
    /* Read-only, and back. A read-only file cannot be replaced by CopyFile. */
    CU_ASSERT_TRUE(SetFileAttributesA(path, FILE_ATTRIBUTE_READONLY));
    CU_ASSERT_TRUE(GetFileAttributesA(path) & FILE_ATTRIBUTE_READONLY);
    CU_ASSERT_TRUE(CopyFileA(path, copy, TRUE));
    CU_ASSERT_TRUE(GetFileAttributesA(copy) & FILE_ATTRIBUTE_READONLY); /* copied too */
    /* "If the destination file ... has the FILE_ATTRIBUTE_READONLY attribute set, this
       function fails with ERROR_ACCESS_DENIED." Wine, running as root here, replaces it. */
    if (!skipped_on_wine("CopyFile onto a read-only file: ERROR_ACCESS_DENIED"))
        CHECK_FAIL(CopyFileA(path, copy, FALSE), FALSE, ERROR_ACCESS_DENIED);
    CU_ASSERT_TRUE(SetFileAttributesA(copy, FILE_ATTRIBUTE_NORMAL));
    CU_ASSERT_TRUE(SetFileAttributesA(path, FILE_ATTRIBUTE_NORMAL));
    CU_ASSERT_EQUAL(GetFileAttributesA(path) & FILE_ATTRIBUTE_READONLY, 0);
    CHECK_FAIL(SetFileAttributesA(temp_item(test_name("none")), FILE_ATTRIBUTE_NORMAL), FALSE,
               ERROR_FILE_NOT_FOUND);
    CU_ASSERT_TRUE(DeleteFileA(copy));
    CU_ASSERT_TRUE(DeleteFileA(path));
}

static void test_copy_and_move(void)
{
    char a[MAX_PATH], b[MAX_PATH], c[MAX_PATH], d[MAX_PATH];

    snprintf(a, sizeof a, "%s", temp_item(test_name("a")));
    snprintf(b, sizeof b, "%s", temp_item(test_name("b")));
    snprintf(c, sizeof c, "%s", temp_item(test_name("c")));
    snprintf(d, sizeof d, "%s", temp_item(test_name("d")));
    CU_ASSERT_TRUE_FATAL(write_file(a, "first"));
    CU_ASSERT_TRUE(CopyFileA(a, b, TRUE));
    CU_ASSERT_STRING_EQUAL(read_file(b), "first");
    CHECK_FAIL(CopyFileA(a, b, TRUE), FALSE, ERROR_FILE_EXISTS);
    CU_ASSERT_TRUE(write_file(a, "second"));
    CU_ASSERT_TRUE(CopyFileA(a, b, FALSE));
    CU_ASSERT_STRING_EQUAL(read_file(b), "second");
    CHECK_FAIL(CopyFileA(c, d, FALSE), FALSE, ERROR_FILE_NOT_FOUND);

    /* MoveFile renames; it does not replace, MoveFileEx does when asked. */
    CU_ASSERT_TRUE(MoveFileA(a, c));
    CU_ASSERT_EQUAL(GetFileAttributesA(a), INVALID_FILE_ATTRIBUTES);
    CU_ASSERT_STRING_EQUAL(read_file(c), "second");
    CHECK_FAIL(MoveFileA(b, c), FALSE, ERROR_ALREADY_EXISTS);
    CHECK_FAIL(MoveFileExA(b, c, 0), FALSE, ERROR_ALREADY_EXISTS);
    CU_ASSERT_TRUE(write_file(b, "third"));
    CU_ASSERT_TRUE(MoveFileExA(b, c, MOVEFILE_REPLACE_EXISTING));
    CU_ASSERT_STRING_EQUAL(read_file(c), "third");
    CHECK_FAIL(MoveFileA(b, d), FALSE, ERROR_FILE_NOT_FOUND);
    /* A directory moves too. */
    CU_ASSERT_TRUE(CreateDirectoryA(a, NULL));
    CU_ASSERT_TRUE(MoveFileA(a, d));
    CU_ASSERT_TRUE(GetFileAttributesA(d) & FILE_ATTRIBUTE_DIRECTORY);
    CU_ASSERT_TRUE(RemoveDirectoryA(d));
    CU_ASSERT_TRUE(DeleteFileA(c));
}

static void test_file_information(void)
{
    char a[MAX_PATH], b[MAX_PATH];
    BY_HANDLE_FILE_INFORMATION ia, ia2, ib;
    HANDLE ha, ha2, hb;

    snprintf(a, sizeof a, "%s", temp_item(test_name("info_a")));
    snprintf(b, sizeof b, "%s", temp_item(test_name("info_b")));
    CU_ASSERT_TRUE_FATAL(write_file(a, "1234567"));
    CU_ASSERT_TRUE_FATAL(write_file(b, "1"));
    ha = CreateFileA(a, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    ha2 = CreateFileA(a, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    hb = CreateFileA(b, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CU_ASSERT_TRUE_FATAL(ha != INVALID_HANDLE_VALUE && ha2 != INVALID_HANDLE_VALUE &&
                         hb != INVALID_HANDLE_VALUE);
    CU_ASSERT_TRUE(GetFileInformationByHandle(ha, &ia));
    CU_ASSERT_TRUE(GetFileInformationByHandle(ha2, &ia2));
    CU_ASSERT_TRUE(GetFileInformationByHandle(hb, &ib));
    CU_ASSERT_EQUAL(ia.nFileSizeLow, 7);
    CU_ASSERT_EQUAL(ia.nNumberOfLinks, 1);
    CU_ASSERT_EQUAL(ia.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY, 0);
    /* The volume and the file index identify a file. */
    CU_ASSERT_EQUAL(ia.dwVolumeSerialNumber, ia2.dwVolumeSerialNumber);
    CU_ASSERT_TRUE(ia.nFileIndexLow == ia2.nFileIndexLow &&
                   ia.nFileIndexHigh == ia2.nFileIndexHigh);
    CU_ASSERT_FALSE(ia.nFileIndexLow == ib.nFileIndexLow && ia.nFileIndexHigh == ib.nFileIndexHigh);
    CHECK_FAIL(GetFileInformationByHandle(NULL, &ia), FALSE, ERROR_INVALID_HANDLE);
    CloseHandle(ha);
    CloseHandle(ha2);
    CloseHandle(hb);
    DeleteFileA(a);
    DeleteFileA(b);
}

static void test_current_directory(void)
{
    char saved[MAX_PATH], now[MAX_PATH], dir[MAX_PATH], file[MAX_PATH];
    const char *name = test_name("cwd");
    DWORD n = GetCurrentDirectoryA(sizeof saved, saved);
    WCHAR w[MAX_PATH];

    CU_ASSERT_TRUE_FATAL(n > 0 && n < sizeof saved);
    CU_ASSERT_EQUAL(GetCurrentDirectoryA(1, now), n + 1);
    CU_ASSERT_EQUAL(GetCurrentDirectoryW(MAX_PATH, w), n);
    snprintf(dir, sizeof dir, "%s", temp_item(name));
    snprintf(file, sizeof file, "%s", temp_item(test_name("cwdfile")));
    CU_ASSERT_TRUE_FATAL(CreateDirectoryA(dir, NULL));
    CU_ASSERT_TRUE(write_file(file, "x"));
    CU_ASSERT_TRUE(SetCurrentDirectoryA(dir));
    n = GetCurrentDirectoryA(sizeof now, now);
    CU_ASSERT_TRUE(n > strlen(name) && strcmp(now + n - strlen(name), name) == 0);
    CU_ASSERT_TRUE(SetCurrentDirectoryA(saved));
    CHECK_FAIL(SetCurrentDirectoryA(temp_item(test_name("none"))), FALSE, ERROR_FILE_NOT_FOUND);
    CHECK_FAIL(SetCurrentDirectoryA(file), FALSE, ERROR_DIRECTORY);
    CU_ASSERT_TRUE(DeleteFileA(file));
    CU_ASSERT_TRUE(RemoveDirectoryA(dir));
}

CU_TestInfo test_directory_tests[] = {
    {"GetTempPath: the temporary directory with its separator", test_temp_path},
    {"GetTempFileName: <prefix><hex>.tmp, created when unique is 0", test_temp_file_name},
    {"CreateDirectory and RemoveDirectory: Windows's error codes", test_directories},
    {"CreateDirectoryW, GetFileAttributesW, RemoveDirectoryW", test_directories_wide},
    {"GetFileAttributes(Ex), SetFileAttributes and FILE_ATTRIBUTE_READONLY", test_attributes},
    {"CopyFile and MoveFile(Ex)", test_copy_and_move},
    {"GetFileInformationByHandle", test_file_information},
    {"GetCurrentDirectory and SetCurrentDirectory", test_current_directory},
    CU_TEST_INFO_NULL,
};

const struct test_role test_directory_roles[] = {{NULL, NULL}};
