/*
 * test-badargs.c - bad arguments get a Win32 error, never a crash: each call runs in a
 * helper process of its own, so a crash is a failure of that entry, not of the run.
 *
 * Windows (and Wine) answer the calls marked `windows` with the error given; the
 * others are winipc's choices where Windows would fault in the caller's process
 * (which also ends the process there): winipc refuses pointers that no program may
 * pass -- the NULL page and addresses outside user space -- with ERROR_NOACCESS.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WILD ((void *)(ULONG_PTR)0x10)

/* One entry: runs the call, returns 0 when it gave `bad` and `err`, else a code. */
struct bad_call {
    const char *what;
    bool windows; /* Windows gives the same answer */
    int (*run)(void);
};

/* 0 if got == want and GetLastError() == err; prints what it got otherwise. */
static int expect(const char *what, ULONG_PTR got, ULONG_PTR want, DWORD err)
{
    DWORD last = GetLastError();

    if (got == want && last == err)
        return 0;
    fprintf(stderr, "%s: got %#lx, last error %lu; expected %#lx, %lu\n", what, (unsigned long)got,
            (unsigned long)last, (unsigned long)want, (unsigned long)err);
    return 1;
}

static int release_semaphore_previous(void)
{
    HANDLE s = CreateSemaphoreA(NULL, 0, 5, NULL);
    int r = expect("ReleaseSemaphore", ReleaseSemaphore(s, 1, (LONG *)WILD), FALSE, ERROR_NOACCESS);

    /* Refused before anything was released: NT probes the pointer first. */
    if (r || skipped_on_wine("ReleaseSemaphore with a bad pointer releases nothing"))
        return r;
    return WaitForSingleObject(s, 0) == WAIT_TIMEOUT ? 0 : 2;
}

static int duplicate_target(void)
{
    HANDLE e = CreateEventA(NULL, FALSE, FALSE, NULL);

    return expect("DuplicateHandle",
                  DuplicateHandle(GetCurrentProcess(), e, GetCurrentProcess(), (HANDLE *)WILD, 0,
                                  FALSE, DUPLICATE_SAME_ACCESS),
                  FALSE, ERROR_NOACCESS);
}

static int create_event_descriptor(const char *prefix)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, WILD, FALSE};
    char name[200];

    snprintf(name, sizeof name, "%s%s", prefix, test_name("badsd"));
    return expect("CreateEventA", (ULONG_PTR)CreateEventA(&sa, FALSE, FALSE, name), 0,
                  ERROR_NOACCESS);
}

static int create_event_descriptor_global(void)
{
    return create_event_descriptor("Global\\");
}

static int create_event_descriptor_local(void)
{
    return create_event_descriptor("Local\\");
}

static int create_event_attributes(void)
{
    return expect("CreateEventA",
                  (ULONG_PTR)CreateEventA((SECURITY_ATTRIBUTES *)WILD, FALSE, FALSE, NULL), 0,
                  ERROR_NOACCESS);
}

static int signal_and_wait_on_null(void)
{
    HANDLE e = CreateEventA(NULL, TRUE, FALSE, NULL);
    int r = expect("SignalObjectAndWait", SignalObjectAndWait(e, NULL, 0, FALSE), WAIT_FAILED,
                   ERROR_INVALID_HANDLE);

    /* It failed without signalling. */
    return r ? r : WaitForSingleObject(e, 0) == WAIT_TIMEOUT ? 0 : 2;
}

static int close_source_with_bad_target_process(void)
{
    HANDLE e = CreateEventA(NULL, FALSE, FALSE, NULL), d;
    int r = expect("DuplicateHandle",
                   DuplicateHandle(GetCurrentProcess(), e, (HANDLE)(ULONG_PTR)0x7770, &d, 0, FALSE,
                                   DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE),
                   FALSE, ERROR_INVALID_HANDLE);

    /* Closed "regardless of any error status". */
    return r ? r : CloseHandle(e) ? 2 : 0;
}

static int wait_for_handles_wild(void)
{
    return expect("WaitForMultipleObjects", WaitForMultipleObjects(2, (HANDLE *)WILD, FALSE, 0),
                  WAIT_FAILED, ERROR_NOACCESS);
}

static int open_event_wild_name(void)
{
    return expect("OpenEventA", (ULONG_PTR)OpenEventA(SYNCHRONIZE, FALSE, (LPCSTR)WILD), 0,
                  ERROR_NOACCESS);
}

static int create_mapping_wild_name(void)
{
    return expect("CreateFileMappingA",
                  (ULONG_PTR)CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096,
                                                (LPCSTR)WILD),
                  0, ERROR_NOACCESS);
}

static int exit_code_wild(void)
{
    return expect("GetExitCodeThread", GetExitCodeThread(GetCurrentThread(), (DWORD *)WILD), FALSE,
                  ERROR_NOACCESS);
}

/* A file of the helper's own, deleted when it exits. */
static HANDLE temp_file(void)
{
    char path[160];

    snprintf(path, sizeof path, "%s.tmp", test_name("badarg"));
    return CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                       FILE_FLAG_DELETE_ON_CLOSE, NULL);
}

static int read_file_wild_count(void)
{
    char buf[16];

    return expect("ReadFile", ReadFile(temp_file(), buf, sizeof buf, (DWORD *)WILD, NULL), FALSE,
                  ERROR_NOACCESS);
}

static int write_file_wild_buffer(void)
{
    DWORD done;

    return expect("WriteFile", WriteFile(temp_file(), WILD, 10, &done, NULL), FALSE,
                  ERROR_INVALID_USER_BUFFER);
}

static int file_size_wild(void)
{
    return expect("GetFileSizeEx", GetFileSizeEx(temp_file(), (LARGE_INTEGER *)WILD), FALSE,
                  ERROR_NOACCESS);
}

static int name_260_and_261(void)
{
    char name[300];
    HANDLE h;

    memset(name, 'n', sizeof name);
    memcpy(name, test_name_prefix(), strlen(test_name_prefix()));
    name[261] = '\0';
    if (expect("CreateEventA(261)", (ULONG_PTR)CreateEventA(NULL, FALSE, FALSE, name), 0,
               ERROR_FILENAME_EXCED_RANGE))
        return 1;
    name[260] = '\0';
    /* NT converts A names into the thread's static buffer of MAX_PATH + 1 WCHARs. */
    if (skipped_on_wine("an A name of 260 characters (Wine's buffer holds 259)"))
        return 0;
    h = CreateEventA(NULL, FALSE, FALSE, name);
    return h && CloseHandle(h) ? 0 : 2;
}

static const struct bad_call calls[] = {
    {"ReleaseSemaphore(previous = 0x10)", true, release_semaphore_previous},
    {"DuplicateHandle(target = 0x10)", true, duplicate_target},
    {"CreateEventA(Global\\, descriptor = 0x10)", true, create_event_descriptor_global},
    {"CreateEventA(Local\\, descriptor = 0x10)", true, create_event_descriptor_local},
    {"CreateEventA(attributes = 0x10)", false, create_event_attributes},
    {"SignalObjectAndWait(event, NULL) signals nothing", true, signal_and_wait_on_null},
    {"DuplicateHandle(CLOSE_SOURCE, bad target process)", true,
     close_source_with_bad_target_process},
    {"WaitForMultipleObjects(handles = 0x10)", false, wait_for_handles_wild},
    {"OpenEventA(name = 0x10)", false, open_event_wild_name},
    {"CreateFileMappingA(name = 0x10)", false, create_mapping_wild_name},
    {"GetExitCodeThread(code = 0x10)", false, exit_code_wild},
    {"ReadFile(count = 0x10)", false, read_file_wild_count},
    {"WriteFile(buffer = 0x10)", true, write_file_wild_buffer},
    {"GetFileSizeEx(size = 0x10)", false, file_size_wild},
    {"an A name of 260 characters works, 261 do not", true, name_260_and_261},
};

/* Helper: runs entry argv[0] of the table. */
static int role_bad_call(int argc, char **argv)
{
    int i = argc > 0 ? atoi(argv[0]) : -1;

    if (i < 0 || i >= (int)(sizeof calls / sizeof calls[0]))
        return 100;
    return calls[i].run();
}

static void test_bad_arguments(void)
{
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        char index[16];
        int code;

#ifdef _WIN32
        if (!calls[i].windows)
            continue; /* Windows faults in the caller here: not a check for it */
#endif
        snprintf(index, sizeof index, "%u", (unsigned)i);
        code = child_wait(child_spawn("bad-call", index, NULL), CHILD_LIMIT_MS);
        if (code != 0)
            fprintf(stderr, "\n    %s: %s (%d)\n", calls[i].what,
                    code == -2 ? "crashed" : "wrong answer", code);
        CU_ASSERT_EQUAL(code, 0);
    }
}

CU_TestInfo test_badargs_tests[] = {
    {"each bad argument gets its Win32 error, in a process of its own", test_bad_arguments},
    CU_TEST_INFO_NULL,
};

const struct test_role test_badargs_roles[] = {
    {"bad-call", role_bad_call},
    {NULL, NULL},
};
