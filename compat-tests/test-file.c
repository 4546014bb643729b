/*
 * test-file.c - CreateFile and file-backed mappings.
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>
#endif

/* A file name in the working directory (ctest runs in the build tree). */
static const char *file_name(const char *tag)
{
    static char buf[4][160];
    static int n;
    char *b = buf[n++ % 4];

    snprintf(b, sizeof buf[0], "%s.tmp", test_name(tag));
    return b;
}

static HANDLE open_rw(const char *path, DWORD disposition)
{
    return CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, disposition,
                       FILE_ATTRIBUTE_NORMAL, NULL);
}

static void write_text(HANDLE f, const char *text)
{
    DWORD done = 0;

    CU_ASSERT_TRUE(WriteFile(f, text, (DWORD)strlen(text), &done, NULL));
    CU_ASSERT_EQUAL(done, strlen(text));
}

static void test_create_dispositions(void)
{
    const char *path = file_name("disp");
    HANDLE f;

    SetLastError(0xDEADu);
    f = open_rw(path, CREATE_NEW);
    CU_ASSERT_NOT_EQUAL_FATAL(f, INVALID_HANDLE_VALUE);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    write_text(f, "12345");
    CloseHandle(f);
    CHECK_FAIL(open_rw(path, CREATE_NEW), INVALID_HANDLE_VALUE, ERROR_FILE_EXISTS);
    SetLastError(0xDEADu);
    f = open_rw(path, OPEN_ALWAYS);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ALREADY_EXISTS);
    CU_ASSERT_EQUAL(GetFileSize(f, NULL), 5);
    CloseHandle(f);
    SetLastError(0xDEADu);
    f = open_rw(path, CREATE_ALWAYS); /* truncates */
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ALREADY_EXISTS);
    CU_ASSERT_EQUAL(GetFileSize(f, NULL), 0);
    CloseHandle(f);
    CU_ASSERT_TRUE(DeleteFileA(path));
    CHECK_FAIL(DeleteFileA(path), FALSE, ERROR_FILE_NOT_FOUND);
    CHECK_FAIL(open_rw(path, OPEN_EXISTING), INVALID_HANDLE_VALUE, ERROR_FILE_NOT_FOUND);
    CHECK_FAIL(open_rw("no-such-dir\\x.tmp", OPEN_EXISTING), INVALID_HANDLE_VALUE,
               ERROR_PATH_NOT_FOUND);
    CHECK_FAIL(open_rw(path, 0), INVALID_HANDLE_VALUE, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(open_rw(path, 6), INVALID_HANDLE_VALUE, ERROR_INVALID_PARAMETER);
    CHECK_FAIL(open_rw(NULL, OPEN_EXISTING), INVALID_HANDLE_VALUE, ERROR_PATH_NOT_FOUND);
    CHECK_FAIL(open_rw("", OPEN_EXISTING), INVALID_HANDLE_VALUE, ERROR_PATH_NOT_FOUND);
}

static void test_file_io(void)
{
    const char *path = file_name("io");
    HANDLE f = open_rw(path, CREATE_ALWAYS), r;
    char buf[32] = {0};
    DWORD done, high = 7;
    LARGE_INTEGER size, pos, to;
    OVERLAPPED ov = {0};

    CU_ASSERT_NOT_EQUAL_FATAL(f, INVALID_HANDLE_VALUE);
    write_text(f, "hello, file");
    CU_ASSERT_EQUAL(SetFilePointer(f, 7, NULL, FILE_BEGIN), 7);
    CU_ASSERT_TRUE(ReadFile(f, buf, sizeof buf, &done, NULL));
    CU_ASSERT_EQUAL(done, 4);
    CU_ASSERT_STRING_EQUAL(buf, "file");
    CU_ASSERT_TRUE(ReadFile(f, buf, sizeof buf, &done, NULL)); /* end of file */
    CU_ASSERT_EQUAL(done, 0);
    ov.Offset = 0;
    CU_ASSERT_TRUE(ReadFile(f, buf, 5, &done, &ov));
    CU_ASSERT_EQUAL(memcmp(buf, "hello", 5), 0);
    CHECK_FAIL(SetFilePointer(f, -100, NULL, FILE_CURRENT), INVALID_SET_FILE_POINTER,
               ERROR_NEGATIVE_SEEK);
    CHECK_FAIL(SetFilePointer(f, 0, NULL, 3), INVALID_SET_FILE_POINTER, ERROR_INVALID_PARAMETER);

    /* Grow to 4 GiB + 16 and back: 64-bit sizes and positions. */
    to.QuadPart = 0x100000010LL;
    CU_ASSERT_TRUE(SetFilePointerEx(f, to, &pos, FILE_BEGIN));
    CU_ASSERT_EQUAL(pos.QuadPart, 0x100000010LL);
    CU_ASSERT_TRUE(SetEndOfFile(f));
    CU_ASSERT_TRUE(GetFileSizeEx(f, &size));
    CU_ASSERT_EQUAL(size.QuadPart, 0x100000010LL);
    CU_ASSERT_EQUAL(GetFileSize(f, &high), 0x10);
    CU_ASSERT_EQUAL(high, 1);
    CU_ASSERT_EQUAL(SetFilePointer(f, 5, NULL, FILE_BEGIN), 5);
    CU_ASSERT_TRUE(SetEndOfFile(f));
    CU_ASSERT_EQUAL(GetFileSize(f, NULL), 5);
    CU_ASSERT_TRUE(FlushFileBuffers(f));
    CloseHandle(f);

    /* A read-only handle cannot write, truncate or flush. */
    r = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CU_ASSERT_NOT_EQUAL_FATAL(r, INVALID_HANDLE_VALUE);
    CHECK_FAIL(WriteFile(r, "x", 1, &done, NULL), FALSE, ERROR_ACCESS_DENIED);
    /* Wine 8 says ERROR_INVALID_HANDLE; Windows needs FILE_WRITE_DATA to set the end of
       file (Microsoft: SetEndOfFile, "opened with the GENERIC_WRITE access right"). */
    if (!skipped_on_wine("SetEndOfFile on a read-only handle: ERROR_ACCESS_DENIED"))
        CHECK_FAIL(SetEndOfFile(r), FALSE, ERROR_ACCESS_DENIED);
    CHECK_FAIL(ReadFile(r, NULL, 1, &done, NULL), FALSE, ERROR_NOACCESS);
    CHECK_FAIL(ReadFile((HANDLE)(ULONG_PTR)0x5678, buf, 1, &done, NULL), FALSE,
               ERROR_INVALID_HANDLE);
    CloseHandle(r);
    DeleteFileA(path);
}

static void test_overlapped_status_and_eof(void)
{
    const char *path = file_name("ovl");
    HANDLE f = open_rw(path, CREATE_ALWAYS);
    OVERLAPPED ov = {0};
    char buf[16];
    DWORD done = 7;

    CU_ASSERT_NOT_EQUAL_FATAL(f, INVALID_HANDLE_VALUE);
    write_text(f, "abcdef");
    /* A read through an OVERLAPPED fills its I/O status: success and the count. */
    ov.Offset = 2;
    ov.Internal = 0x1234;
    CU_ASSERT_TRUE(ReadFile(f, buf, sizeof buf, &done, &ov));
    CU_ASSERT_EQUAL(done, 4);
    CU_ASSERT_EQUAL(ov.Internal, 0);
    CU_ASSERT_EQUAL(ov.InternalHigh, 4);
    CU_ASSERT_EQUAL(memcmp(buf, "cdef", 4), 0);
    /* At or past the end of the file it fails with ERROR_HANDLE_EOF (a read without
       an OVERLAPPED just returns 0 bytes). Windows leaves Internal at STATUS_PENDING;
       Wine 8 puts STATUS_END_OF_FILE there. */
    for (DWORD offset = 6; offset <= 100; offset += 94) {
        memset(&ov, 0, sizeof ov);
        ov.Offset = offset;
        ov.InternalHigh = 99;
        done = 7;
        CHECK_FAIL(ReadFile(f, buf, sizeof buf, &done, &ov), FALSE, ERROR_HANDLE_EOF);
        CU_ASSERT_EQUAL(done, 0);
        CU_ASSERT_EQUAL(ov.InternalHigh, 0);
        if (!skipped_on_wine("ReadFile at the end of a file: OVERLAPPED.Internal stays "
                             "STATUS_PENDING"))
            CU_ASSERT_EQUAL(ov.Internal, STATUS_PENDING);
    }
    CU_ASSERT_EQUAL(SetFilePointer(f, 0, NULL, FILE_END), 6);
    CU_ASSERT_TRUE(ReadFile(f, buf, sizeof buf, &done, NULL));
    CU_ASSERT_EQUAL(done, 0);
    /* A write through an OVERLAPPED reports the same way. */
    memset(&ov, 0, sizeof ov);
    ov.Offset = 6;
    CU_ASSERT_TRUE(WriteFile(f, "gh", 2, &done, &ov));
    CU_ASSERT_EQUAL(ov.Internal, 0);
    CU_ASSERT_EQUAL(ov.InternalHigh, 2);
    CU_ASSERT_EQUAL(GetFileSize(f, NULL), 8);
    CloseHandle(f);
    DeleteFileA(path);
}

static void test_append_access_and_bad_buffers(void)
{
    const char *path = file_name("append");
    HANDLE f = open_rw(path, CREATE_ALWAYS), a;
    char buf[16] = {0};
    DWORD done;

    CU_ASSERT_NOT_EQUAL_FATAL(f, INVALID_HANDLE_VALUE);
    write_text(f, "abc");
    CloseHandle(f);

    /* FILE_APPEND_DATA alone may write, and writes at the end whatever the pointer. */
    a = CreateFileA(path, FILE_APPEND_DATA, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CU_ASSERT_NOT_EQUAL_FATAL(a, INVALID_HANDLE_VALUE);
    CU_ASSERT_EQUAL(SetFilePointer(a, 0, NULL, FILE_BEGIN), 0);
    write_text(a, "de");
    CHECK_FAIL(ReadFile(a, buf, 1, &done, NULL), FALSE, ERROR_ACCESS_DENIED);
    CloseHandle(a);
    a = CreateFileA(path, FILE_READ_DATA | FILE_APPEND_DATA, 0, NULL, OPEN_EXISTING, 0, NULL);
    CU_ASSERT_NOT_EQUAL_FATAL(a, INVALID_HANDLE_VALUE);
    write_text(a, "f");
    CU_ASSERT_EQUAL(SetFilePointer(a, 0, NULL, FILE_BEGIN), 0);
    CU_ASSERT_TRUE(ReadFile(a, buf, sizeof buf, &done, NULL));
    CU_ASSERT_EQUAL(done, 6);
    CU_ASSERT_STRING_EQUAL(buf, "abcdef");

    /* The handle is checked before the buffer; a NULL buffer to write from is an
       invalid user buffer, one to read into an access fault. */
    CHECK_FAIL(WriteFile((HANDLE)(ULONG_PTR)0x5678, NULL, 10, &done, NULL), FALSE,
               ERROR_INVALID_HANDLE);
    CHECK_FAIL(ReadFile((HANDLE)(ULONG_PTR)0x5678, NULL, 10, &done, NULL), FALSE,
               ERROR_INVALID_HANDLE);
    done = 7;
    CHECK_FAIL(WriteFile(a, NULL, 10, &done, NULL), FALSE, ERROR_INVALID_USER_BUFFER);
    CU_ASSERT_EQUAL(done, 0);
    CHECK_FAIL(ReadFile(a, NULL, 10, &done, NULL), FALSE, ERROR_NOACCESS);
    CloseHandle(a);

    /* TRUNCATE_EXISTING needs GENERIC_WRITE (Microsoft's CreateFile page). */
    if (!skipped_on_wine("CreateFile(TRUNCATE_EXISTING) with FILE_WRITE_DATA only is refused"))
        CHECK_FAIL(CreateFileA(path, FILE_WRITE_DATA, 0, NULL, TRUNCATE_EXISTING, 0, NULL),
                   INVALID_HANDLE_VALUE, ERROR_INVALID_PARAMETER);
    a = CreateFileA(path, GENERIC_WRITE, 0, NULL, TRUNCATE_EXISTING, 0, NULL);
    CU_ASSERT_NOT_EQUAL(a, INVALID_HANDLE_VALUE);
    CU_ASSERT_EQUAL(GetFileSize(a, NULL), 0);
    CloseHandle(a);
    DeleteFileA(path);
}

/*
 * A buffer with a page the call cannot access fails the whole ReadFile or WriteFile,
 * and nothing moves: no bytes, no file pointer, no file size (Windows probes the
 * buffer before the transfer).
 */
static void test_partly_bad_buffers(void)
{
    const char *path = file_name("badbuf");
    HANDLE f = open_rw(path, CREATE_ALWAYS);
    SYSTEM_INFO si;
    char *mem;
    DWORD done, old;

    CU_ASSERT_NOT_EQUAL_FATAL(f, INVALID_HANDLE_VALUE);
    GetSystemInfo(&si);
    mem = VirtualAlloc(NULL, 2 * si.dwPageSize, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
    memset(mem, 'x', 2 * si.dwPageSize);
    write_text(f, "0123456789");
    CU_ASSERT_EQUAL(SetFilePointer(f, 0, NULL, FILE_BEGIN), 0);

    /* The file's 10 bytes would fit in the first page; the second is read-only. */
    CU_ASSERT_TRUE(VirtualProtect(mem + si.dwPageSize, si.dwPageSize, PAGE_READONLY, &old));
    done = 7;
    CHECK_FAIL(ReadFile(f, mem, 2 * si.dwPageSize, &done, NULL), FALSE, ERROR_NOACCESS);
    CU_ASSERT_EQUAL(done, 0);
    CU_ASSERT_EQUAL(mem[0], 'x');
    CU_ASSERT_EQUAL(SetFilePointer(f, 0, NULL, FILE_CURRENT), 0);
    /* Then inaccessible. */
    CU_ASSERT_TRUE(VirtualProtect(mem + si.dwPageSize, si.dwPageSize, PAGE_NOACCESS, &old));
    CHECK_FAIL(ReadFile(f, mem, 2 * si.dwPageSize, &done, NULL), FALSE, ERROR_NOACCESS);
    CU_ASSERT_EQUAL(SetFilePointer(f, 0, NULL, FILE_CURRENT), 0);
    /* Writing from it: nothing reaches the file. */
    CU_ASSERT_EQUAL(SetFilePointer(f, 0, NULL, FILE_END), 10);
    done = 7;
    CHECK_FAIL(WriteFile(f, mem, 2 * si.dwPageSize, &done, NULL), FALSE, ERROR_INVALID_USER_BUFFER);
    CU_ASSERT_EQUAL(done, 0);
    CU_ASSERT_EQUAL(GetFileSize(f, NULL), 10);
    /* The first page alone works both ways. */
    CU_ASSERT_EQUAL(SetFilePointer(f, 0, NULL, FILE_BEGIN), 0);
    CU_ASSERT_TRUE(ReadFile(f, mem, si.dwPageSize, &done, NULL));
    CU_ASSERT_EQUAL(done, 10);
    CU_ASSERT_TRUE(memcmp(mem, "0123456789", 10) == 0);
    CU_ASSERT_TRUE(WriteFile(f, mem, 4, &done, NULL));
    CU_ASSERT_EQUAL(GetFileSize(f, NULL), 14);

    CU_ASSERT_TRUE(VirtualFree(mem, 0, MEM_RELEASE));
    CloseHandle(f);
    DeleteFileA(path);
}

static void test_executable_file_sections(void)
{
    const char *path = file_name("exec");
    HANDLE f = open_rw(path, CREATE_ALWAYS), r, m;

    write_text(f, "code");
    CloseHandle(f);
    /* An executable section needs a file opened for execution (Microsoft's
       CreateFileMapping page: PAGE_EXECUTE_READ needs GENERIC_READ and
       GENERIC_EXECUTE); Wine 8 does not check. */
    r = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CU_ASSERT_NOT_EQUAL_FATAL(r, INVALID_HANDLE_VALUE);
    if (!skipped_on_wine("an executable section of a file without GENERIC_EXECUTE is refused")) {
        CHECK_FAIL(CreateFileMappingA(r, NULL, PAGE_EXECUTE_READ, 0, 0, NULL), NULL,
                   ERROR_ACCESS_DENIED);
        CHECK_FAIL(CreateFileMappingA(r, NULL, PAGE_EXECUTE_WRITECOPY, 0, 0, NULL), NULL,
                   ERROR_ACCESS_DENIED);
    }
    CloseHandle(r);
    r = CreateFileA(path, GENERIC_READ | GENERIC_EXECUTE, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0,
                    NULL);
    CU_ASSERT_NOT_EQUAL_FATAL(r, INVALID_HANDLE_VALUE);
    m = CreateFileMappingA(r, NULL, PAGE_EXECUTE_READ, 0, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL(m);
    CloseHandle(m);
    CloseHandle(r);
    DeleteFileA(path);
}

static void test_map_whole_file(void)
{
    const char *path = file_name("whole");
    HANDLE f = open_rw(path, CREATE_ALWAYS), m;
    char *v;

    write_text(f, "file contents");
    m = CreateFileMappingA(f, NULL, PAGE_READONLY, 0, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    v = MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL(memcmp(v, "file contents", 13), 0);
    /* A file section ends at the file's end, not its last page. */
    CHECK_FAIL(MapViewOfFile(m, FILE_MAP_READ, 0, 0, 14), NULL, ERROR_ACCESS_DENIED);
    UnmapViewOfFile(v);
    CloseHandle(m);
    CloseHandle(f);
    DeleteFileA(path);
}

static void test_empty_and_readonly_files(void)
{
    const char *path = file_name("empty");
    HANDLE f = open_rw(path, CREATE_ALWAYS), r;

    CHECK_FAIL(CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, 0, NULL), NULL, ERROR_FILE_INVALID);
    CHECK_FAIL(CreateFileMappingA(f, NULL, PAGE_READONLY, 0, 0, NULL), NULL, ERROR_FILE_INVALID);
    /* A read-only section cannot grow its file. */
    CHECK_FAIL(CreateFileMappingA(f, NULL, PAGE_READONLY, 0, 100, NULL), NULL,
               ERROR_NOT_ENOUGH_MEMORY);
    write_text(f, "data");
    CloseHandle(f);
    r = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CHECK_FAIL(CreateFileMappingA(r, NULL, PAGE_READWRITE, 0, 0, NULL), NULL, ERROR_ACCESS_DENIED);
    f = CreateFileMappingA(r, NULL, PAGE_WRITECOPY, 0, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL(f);
    CloseHandle(f);
    CloseHandle(r);
    DeleteFileA(path);
}

static void test_mapping_grows_file(void)
{
    const char *path = file_name("grow");
    HANDLE f = open_rw(path, CREATE_ALWAYS), m;
    char *v, buf[16] = {0};
    DWORD done;

    m = CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, 100000, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(GetFileSize(f, NULL), 100000);
    v = MapViewOfFile(m, FILE_MAP_WRITE, 0, 65536, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    memcpy(v + 100000 - 65536 - 6, "tail!", 6);
    CU_ASSERT_TRUE(FlushViewOfFile(v, 0));
    CU_ASSERT_EQUAL(SetFilePointer(f, 100000 - 6, NULL, FILE_BEGIN), 100000 - 6);
    CU_ASSERT_TRUE(ReadFile(f, buf, sizeof buf, &done, NULL));
    CU_ASSERT_EQUAL(done, 6);
    CU_ASSERT_STRING_EQUAL(buf, "tail!");
    UnmapViewOfFile(v);
    CloseHandle(m);
    CloseHandle(f);
    DeleteFileA(path);
}

/* Helper: opens the named file-backed section argv[0] and checks it holds argv[1]. */
static int role_check_file_section(int argc, char **argv)
{
    HANDLE m = argc >= 2 ? OpenFileMappingA(FILE_MAP_WRITE, FALSE, argv[0]) : NULL;
    char *v = m ? MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0) : NULL;

    if (!v)
        return 10;
    if (strcmp(v, argv[1]) != 0)
        return 11;
    strcpy(v, "written by the child");
    UnmapViewOfFile(v);
    CloseHandle(m);
    return 0;
}

static void test_named_file_section_across_processes(void)
{
    const char *path = file_name("named"), *name = test_name("filesec");
    HANDLE f = open_rw(path, CREATE_ALWAYS), m;
    char buf[32] = {0};
    DWORD done;
    char *v;

    m = CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, 4096, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    v = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 0);
    strcpy(v, "written by the parent");
    CU_ASSERT_EQUAL(
        child_wait(child_spawn("check-file-section", name, "written by the parent"), 30000), 0);
    CU_ASSERT_STRING_EQUAL(v, "written by the child");
    /* And the file has it. */
    CU_ASSERT_TRUE(FlushViewOfFile(v, 0));
    CU_ASSERT_EQUAL(SetFilePointer(f, 0, NULL, FILE_BEGIN), 0);
    CU_ASSERT_TRUE(ReadFile(f, buf, 20, &done, NULL));
    CU_ASSERT_STRING_EQUAL(buf, "written by the child");
    UnmapViewOfFile(v);
    CloseHandle(m);
    CloseHandle(f);
    DeleteFileA(path);
}

/* SetFilePointer to `size`, then SetEndOfFile; the result. */
static BOOL set_end(HANDLE f, LONG size)
{
    SetFilePointer(f, size, NULL, FILE_BEGIN);
    return SetEndOfFile(f);
}

static DWORD size_of(HANDLE f)
{
    return GetFileSize(f, NULL);
}

static void test_mapped_file_cannot_shrink(void)
{
    const char *path = file_name("mapped");
    HANDLE f = open_rw(path, CREATE_ALWAYS), m;
    char *v;

    write_text(f, "123456");
    m = CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, 4, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    /* While a section of the file exists, it may grow but not shrink, even above the
       section's own size (as Wine's file.c records Windows). */
    CU_ASSERT_TRUE(set_end(f, 6));
    CU_ASSERT_TRUE(set_end(f, 8));
    CHECK_FAIL(set_end(f, 6), FALSE, ERROR_USER_MAPPED_FILE);
    CU_ASSERT_EQUAL(size_of(f), 8);
    CU_ASSERT_TRUE(set_end(f, 8192));
    CHECK_FAIL(set_end(f, 8191), FALSE, ERROR_USER_MAPPED_FILE);
    /* A view keeps the file mapped after the section's handle is closed. */
    v = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 4);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CloseHandle(m);
    CU_ASSERT_TRUE(set_end(f, 16384));
    CHECK_FAIL(set_end(f, 16383), FALSE, ERROR_USER_MAPPED_FILE);
    CU_ASSERT_EQUAL(size_of(f), 16384);
    CU_ASSERT_TRUE(UnmapViewOfFile(v));
    /* Nothing maps it any more. */
    CU_ASSERT_TRUE(set_end(f, 2));
    CU_ASSERT_EQUAL(size_of(f), 2);
    CloseHandle(f);
    DeleteFileA(path);
}

/* Helper: maps named file-backed section argv[0], reports ready, waits for argv[1]. */
static int role_map_file_section(int argc, char **argv)
{
    HANDLE m = argc >= 2 ? OpenFileMappingA(FILE_MAP_READ, FALSE, argv[0]) : NULL;
    HANDLE quit = argc >= 2 ? OpenEventA(SYNCHRONIZE, FALSE, argv[1]) : NULL;
    char *v = m ? MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0) : NULL;

    if (!v || !quit)
        return 10;
    CloseHandle(m); /* the view alone keeps the file mapped */
    if (!signal_ready(argv[0]) || WaitForSingleObject(quit, CHILD_LIMIT_MS) != WAIT_OBJECT_0)
        return 11;
    return 0;
}

static void test_mapped_in_another_process(void)
{
    const char *path = file_name("mapped2"), *name = test_name("mapsec");
    const char *quit_name = test_name("mapsec-quit");
    HANDLE f = open_rw(path, CREATE_ALWAYS), m, ready = ready_event(name);
    HANDLE quit = CreateEventA(NULL, TRUE, FALSE, quit_name);
    struct child *c;

    m = CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, 8192, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    c = child_spawn("map-file-section", name, quit_name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    if (!wait_ready(ready, CHILD_LIMIT_MS)) {
        CU_FAIL("helper not ready");
        child_kill(c);
        return;
    }
    CloseHandle(m);
    /* Only the other process's view maps the file now. */
    CHECK_FAIL(set_end(f, 100), FALSE, ERROR_USER_MAPPED_FILE);
    CU_ASSERT_EQUAL(size_of(f), 8192);
    SetEvent(quit);
    CU_ASSERT_EQUAL(child_wait(c, CHILD_LIMIT_MS), 0);
    CU_ASSERT_TRUE(set_end(f, 100));
    CloseHandle(quit);
    CloseHandle(ready);
    CloseHandle(f);
    DeleteFileA(path);
}

static void test_directory_needs_backup_semantics(void)
{
    char dir[160];
    HANDLE h;

    snprintf(dir, sizeof dir, "%s.d", test_name("dir"));
#ifdef _WIN32
    CU_ASSERT_TRUE(CreateDirectoryA(dir, NULL));
#else
    CU_ASSERT_EQUAL(mkdir(dir, 0700), 0);
#endif
    CHECK_FAIL(CreateFileA(dir, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL),
               INVALID_HANDLE_VALUE, ERROR_ACCESS_DENIED);
    h = CreateFileA(dir, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_ALWAYS,
                    FILE_ATTRIBUTE_NORMAL | FILE_FLAG_BACKUP_SEMANTICS, NULL);
    CU_ASSERT_NOT_EQUAL(h, INVALID_HANDLE_VALUE);
    CloseHandle(h);
#ifdef _WIN32
    RemoveDirectoryA(dir);
#else
    rmdir(dir);
#endif
}

static void test_delete_on_close(void)
{
    const char *path = file_name("doc");
    HANDLE f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_NEW,
                           FILE_FLAG_DELETE_ON_CLOSE, NULL);

    CU_ASSERT_NOT_EQUAL_FATAL(f, INVALID_HANDLE_VALUE);
    write_text(f, "temporary");
    CU_ASSERT_TRUE(CloseHandle(f));
    CHECK_FAIL(open_rw(path, OPEN_EXISTING), INVALID_HANDLE_VALUE, ERROR_FILE_NOT_FOUND);
}

static void test_file_handles_are_checked(void)
{
    HANDLE m = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NULL);

    /* A section is not a file. */
    CHECK_FAIL(CreateFileMappingA(m, NULL, PAGE_READWRITE, 0, 4096, NULL), NULL,
               ERROR_INVALID_HANDLE);
    CloseHandle(m);
}

CU_TestInfo test_file_tests[] = {
    {"CreateFile dispositions and their errors", test_create_dispositions},
    {"ReadFile, WriteFile, pointers, sizes above 4 GiB, access", test_file_io},
    {"OVERLAPPED: I/O status, ERROR_HANDLE_EOF at the end", test_overlapped_status_and_eof},
    {"FILE_APPEND_DATA appends; bad handles before bad buffers; TRUNCATE_EXISTING",
     test_append_access_and_bad_buffers},
    {"a buffer with a bad page fails ReadFile and WriteFile whole", test_partly_bad_buffers},
    {"an executable file section needs GENERIC_EXECUTE", test_executable_file_sections},
    {"size 0 maps the whole file, and ends there", test_map_whole_file},
    {"empty files, read-only sections and handles", test_empty_and_readonly_files},
    {"a writable mapping larger than the file grows it; flush then read", test_mapping_grows_file},
    {"a named file-backed section seen by another process",
     test_named_file_section_across_processes},
    {"a section handle is not a file handle", test_file_handles_are_checked},
    {"FILE_FLAG_DELETE_ON_CLOSE removes the file at close", test_delete_on_close},
    {"a mapped file may grow but not shrink; a view keeps it mapped",
     test_mapped_file_cannot_shrink},
    {"a view in another process keeps the file from shrinking", test_mapped_in_another_process},
    {"a directory opens only with FILE_FLAG_BACKUP_SEMANTICS",
     test_directory_needs_backup_semantics},
    CU_TEST_INFO_NULL,
};

const struct test_role test_file_roles[] = {
    {"check-file-section", role_check_file_section},
    {"map-file-section", role_map_file_section},
    {NULL, NULL},
};
