/*
 * test-process.c - CreateProcess, inherited handles, process handles (waits, exit
 * codes, TerminateProcess, OpenProcess), pipes as standard handles, GetCommandLine.
 * Children are this test program started with CreateProcess itself, "--child ROLE".
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tlhelp32.h>

#ifndef _WIN32
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
#endif

/* This program's path, for CreateProcess. */
static const char *self_path(void)
{
    static char path[2048];

    if (!path[0]) {
#ifdef _WIN32
        GetModuleFileNameA(NULL, path, sizeof path);
#else
        ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);

        path[n > 0 ? n : 0] = '\0';
#endif
    }
    return path;
}

/* Starts `"self" --child <role> <args>`; the PROCESS_INFORMATION, or FALSE. */
static BOOL start(const char *role, const char *args, BOOL inherit, DWORD flags, STARTUPINFOA *si,
                  PROCESS_INFORMATION *pi)
{
    char cmd[4096];
    STARTUPINFOA plain = {0};

    plain.cb = sizeof plain;

    snprintf(cmd, sizeof cmd, "\"%s\" --child %s %s", self_path(), role, args ? args : "");
    return CreateProcessA(NULL, cmd, NULL, NULL, inherit, flags, NULL, NULL, si ? si : &plain, pi);
}

static DWORD exit_code(HANDLE process)
{
    DWORD code = 0xDEADu;

    CU_ASSERT_EQUAL(WaitForSingleObject(process, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(GetExitCodeProcess(process, &code));
    return code;
}

static void close_pi(PROCESS_INFORMATION *pi)
{
    CloseHandle(pi->hThread);
    CloseHandle(pi->hProcess);
}

/* ---- Microsoft's inheritance example ------------------------------------------------ */

/* Child: argv = section handle, event handle (values, as on the command line). */
static int role_inherit_child(int argc, char **argv)
{
    HANDLE section, event;
    char *view;

    if (argc < 2)
        return 10;
    section = (HANDLE)(ULONG_PTR)strtoull(argv[0], NULL, 16);
    event = (HANDLE)(ULONG_PTR)strtoull(argv[1], NULL, 16);
    view = MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, 0);
    if (!view)
        return 11;
    strcpy(view, "written by the child");
    if (!SetEvent(event))
        return 12;
    ExitProcess(42);
}

static void test_inherited_unnamed_objects(void)
{
    if (skipped_on_portable("CreateProcess and handle inheritance"))
        return;
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE section = CreateFileMappingA(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE, 0, 4096, NULL);
    HANDLE event = CreateEventA(&sa, TRUE, FALSE, NULL);
    HANDLE private_ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    PROCESS_INFORMATION pi;
    char args[64], *view;
    DWORD flags;

    CU_ASSERT_FATAL(section && event && private_ev);
    CU_ASSERT_TRUE(GetHandleInformation(event, &flags));
    CU_ASSERT_EQUAL(flags, HANDLE_FLAG_INHERIT);
    CU_ASSERT_TRUE(GetHandleInformation(private_ev, &flags));
    CU_ASSERT_EQUAL(flags, 0);
    snprintf(args, sizeof args, "%lx %lx", (unsigned long)(ULONG_PTR)section,
             (unsigned long)(ULONG_PTR)event);
    CU_ASSERT_TRUE_FATAL(start("inherit-child", args, TRUE, 0, NULL, &pi));
    CU_ASSERT_NOT_EQUAL(pi.dwProcessId, 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(event, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(exit_code(pi.hProcess), 42);
    view = MapViewOfFile(section, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_STRING_EQUAL(view, "written by the child");
    UnmapViewOfFile(view);
    close_pi(&pi);
    CloseHandle(section);
    CloseHandle(event);
    CloseHandle(private_ev);
}

/* Child: the named objects argv[0] (event) and the handle value argv[1] of a section. */
static int role_inherit_named(int argc, char **argv)
{
    HANDLE section;
    LONG *v;

    if (argc < 2)
        return 10;
    section = (HANDLE)(ULONG_PTR)strtoull(argv[1], NULL, 16);
    v = MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, 0);
    if (!v)
        return 11;
    InterlockedIncrement(v);
    /* The parent has closed its handle: ours alone keeps the name. */
    if (!OpenFileMappingA(FILE_MAP_READ, FALSE, argv[0]))
        return 12;
    return 0;
}

static void test_inherited_named_outlives_parent_handle(void)
{
    if (skipped_on_portable("CreateProcess and handle inheritance"))
        return;
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    const char *name = test_name("inherit-named");
    HANDLE section = CreateFileMappingA(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE, 0, 4096, name);
    HANDLE mine;
    PROCESS_INFORMATION pi;
    char args[300];
    LONG *v;

    CU_ASSERT_PTR_NOT_NULL_FATAL(section);
    /* A second, non-inheritable handle keeps our view's object for the check below. */
    CU_ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), section, GetCurrentProcess(), &mine, 0,
                                   FALSE, DUPLICATE_SAME_ACCESS));
    v = MapViewOfFile(mine, FILE_MAP_READ, 0, 0, 0);
    CloseHandle(mine);
    snprintf(args, sizeof args, "%s %lx", name, (unsigned long)(ULONG_PTR)section);
    CU_ASSERT_TRUE_FATAL(start("inherit-named", args, TRUE, CREATE_SUSPENDED, NULL, &pi));
    /* Closed before the child even runs: its inherited handle holds the object. */
    CloseHandle(section);
    CU_ASSERT_EQUAL(ResumeThread(pi.hThread), 1);
    CU_ASSERT_EQUAL(exit_code(pi.hProcess), 0);
    CU_ASSERT_EQUAL(*v, 1);
    UnmapViewOfFile(v);
    close_pi(&pi);
    CU_ASSERT_FALSE(shm_exists(name)); /* the child's exit was the last close */
}

/* ---- Process handles ---------------------------------------------------------------- */

/* Child: sleeps argv[0] ms, then exits with code argv[1]. */
static int role_sleep_exit(int argc, char **argv)
{
    if (argc < 2)
        return 10;
    Sleep((DWORD)atoi(argv[0]));
    return atoi(argv[1]);
}

static void test_terminate_sleeping_child(void)
{
    if (skipped_on_portable("CreateProcess and TerminateProcess"))
        return;
    PROCESS_INFORMATION pi;
    DWORD code;

    CU_ASSERT_TRUE_FATAL(start("sleep-exit", "60000 0", FALSE, 0, NULL, &pi));
    CU_ASSERT_EQUAL(WaitForSingleObject(pi.hProcess, 0), WAIT_TIMEOUT);
    CU_ASSERT_TRUE(GetExitCodeProcess(pi.hProcess, &code));
    CU_ASSERT_EQUAL(code, STILL_ACTIVE);
    CU_ASSERT_EQUAL(GetProcessId(pi.hProcess), pi.dwProcessId);
    CU_ASSERT_TRUE(TerminateProcess(pi.hProcess, 7));
    CU_ASSERT_EQUAL(exit_code(pi.hProcess), 7);
    /* Its main thread's handle is signalled too. */
    CU_ASSERT_EQUAL(WaitForSingleObject(pi.hThread, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    close_pi(&pi);
}

static void test_wait_all_and_any_on_processes(void)
{
    if (skipped_on_portable("process handles"))
        return;
    PROCESS_INFORMATION a, b;
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL), both[2], mixed[2];

    CU_ASSERT_TRUE_FATAL(start("sleep-exit", "100 3", FALSE, 0, NULL, &a));
    CU_ASSERT_TRUE_FATAL(start("sleep-exit", "300 4", FALSE, 0, NULL, &b));
    both[0] = a.hProcess, both[1] = b.hProcess;
    CU_ASSERT_EQUAL(WaitForMultipleObjects(2, both, TRUE, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(exit_code(a.hProcess), 3);
    CU_ASSERT_EQUAL(exit_code(b.hProcess), 4);
    close_pi(&a);
    close_pi(&b);
    /* A process among other kinds: the event is not set, the process ends. */
    CU_ASSERT_TRUE_FATAL(start("sleep-exit", "100 5", FALSE, 0, NULL, &a));
    mixed[0] = ev, mixed[1] = a.hProcess;
    CU_ASSERT_EQUAL(WaitForMultipleObjects(2, mixed, FALSE, CHILD_LIMIT_MS), WAIT_OBJECT_0 + 1);
    CU_ASSERT_EQUAL(exit_code(a.hProcess), 5);
    close_pi(&a);
    CloseHandle(ev);
}

static void test_open_process(void)
{
    if (skipped_on_portable("OpenProcess"))
        return;
    PROCESS_INFORMATION pi;
    HANDLE h, self;
    DWORD code;

    CU_ASSERT_TRUE_FATAL(start("sleep-exit", "200 9", FALSE, 0, NULL, &pi));
    h = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pi.dwProcessId);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_EQUAL(GetProcessId(h), pi.dwProcessId);
    CU_ASSERT_EQUAL(WaitForSingleObject(h, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(exit_code(pi.hProcess), 9);
    /* Without PROCESS_TERMINATE it cannot be ended. */
    CHECK_FAIL(TerminateProcess(h, 1), FALSE, ERROR_ACCESS_DENIED);
    CloseHandle(h);
    close_pi(&pi);
    CHECK_FAIL(OpenProcess(SYNCHRONIZE, FALSE, 0), NULL, ERROR_INVALID_PARAMETER);
    /* Ourselves: the pseudo-handle and a real handle. */
    CU_ASSERT_TRUE(GetExitCodeProcess(GetCurrentProcess(), &code));
    CU_ASSERT_EQUAL(code, STILL_ACTIVE);
    CU_ASSERT_EQUAL(GetProcessId(GetCurrentProcess()), GetCurrentProcessId());
    self = OpenProcess(SYNCHRONIZE, FALSE, GetCurrentProcessId());
    CU_ASSERT_PTR_NOT_NULL(self);
    CU_ASSERT_EQUAL(WaitForSingleObject(self, 10), WAIT_TIMEOUT);
    CloseHandle(self);
}

/* ---- Toolhelp32 snapshots ----------------------------------------------------------- */

static const char *file_part(const char *path)
{
    const char *a = strrchr(path, '/'), *b = strrchr(path, '\\');

    return a > b ? a + 1 : b ? b + 1 : path;
}

static DWORD counted_thread;
static HANDLE counted_started;

static DWORD WINAPI wait_for_event(LPVOID ev)
{
    counted_thread = GetCurrentThreadId();
    SetEvent(counted_started);
    return WaitForSingleObject((HANDLE)ev, CHILD_LIMIT_MS);
}

/*
 * A process snapshot lists us (our executable's file name, our thread count) and a
 * child we started (we are its parent); a thread snapshot lists our threads; a module
 * snapshot of ourselves starts with our executable. Then what the walk functions
 * answer at the end, for a list the snapshot lacks, a short dwSize and a bad handle.
 */
static void test_toolhelp(void)
{
    PROCESS_INFORMATION pi;
    PROCESSENTRY32 pe;
    PROCESSENTRY32W pew;
    THREADENTRY32 te;
    MODULEENTRY32 me;
    HANDLE snap, ev = CreateEventA(NULL, TRUE, FALSE, NULL), thread;
    char exe[2048];
    bool me_seen = false, child_seen = false, main_seen = false, other_seen = false;
    DWORD threads = 0;

    if (skipped_on_portable("Toolhelp32 snapshots (they read /proc)")) {
        CloseHandle(ev);
        return;
    }
    CU_ASSERT_TRUE_FATAL(GetModuleFileNameA(NULL, exe, sizeof exe) > 0);
    counted_started = CreateEventA(NULL, TRUE, FALSE, NULL);
    thread = CreateThread(NULL, 0, wait_for_event, ev, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(thread);
    CU_ASSERT_EQUAL_FATAL(WaitForSingleObject(counted_started, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CU_ASSERT_TRUE_FATAL(start("sleep-exit", "60000 0", FALSE, 0, NULL, &pi));

    snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS | TH32CS_SNAPTHREAD, 0);
    CU_ASSERT_NOT_EQUAL_FATAL(snap, INVALID_HANDLE_VALUE);
    pe.dwSize = sizeof pe;
    for (BOOL ok = Process32First(snap, &pe); ok; ok = Process32Next(snap, &pe)) {
        if (pe.th32ProcessID == GetCurrentProcessId()) {
            me_seen = true;
            CU_ASSERT_STRING_EQUAL(pe.szExeFile, file_part(exe));
            threads = pe.cntThreads;
        }
        if (pe.th32ProcessID == pi.dwProcessId) {
            child_seen = true;
            CU_ASSERT_EQUAL(pe.th32ParentProcessID, GetCurrentProcessId());
        }
    }
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NO_MORE_FILES);
    CU_ASSERT_TRUE(me_seen);
    CU_ASSERT_TRUE(child_seen);
    CU_ASSERT(threads >= 2);
    CHECK_FAIL(Process32Next(snap, &pe), FALSE, ERROR_NO_MORE_FILES);
    /* First starts again; the W entry has the same process. */
    pew.dwSize = sizeof pew;
    CU_ASSERT_TRUE(Process32FirstW(snap, &pew));
    CU_ASSERT_TRUE(Process32First(snap, &pe));
    CU_ASSERT_EQUAL(pew.th32ProcessID, pe.th32ProcessID);

    te.dwSize = sizeof te;
    for (BOOL ok = Thread32First(snap, &te); ok; ok = Thread32Next(snap, &te)) {
        if (te.th32OwnerProcessID != GetCurrentProcessId())
            continue;
        main_seen |= te.th32ThreadID == GetCurrentThreadId();
        other_seen |= te.th32ThreadID == counted_thread;
    }
    CU_ASSERT_TRUE(main_seen);
    CU_ASSERT_TRUE(other_seen);
    /* No modules were asked for. */
    me.dwSize = sizeof me;
    CHECK_FAIL(Module32First(snap, &me), FALSE, ERROR_NO_MORE_FILES);
    pe.dwSize = 8;
    CHECK_FAIL(Process32First(snap, &pe), FALSE, ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_TRUE(CloseHandle(snap));
    pe.dwSize = sizeof pe;
    CHECK_FAIL(Process32First(snap, &pe), FALSE, ERROR_INVALID_HANDLE);

    snap = CreateToolhelp32Snapshot(TH32CS_SNAPMODULE, 0);
    CU_ASSERT_NOT_EQUAL_FATAL(snap, INVALID_HANDLE_VALUE);
    CU_ASSERT_TRUE(Module32First(snap, &me));
    CU_ASSERT_EQUAL(me.th32ProcessID, GetCurrentProcessId());
    CU_ASSERT_EQUAL(me.th32ModuleID, 1);
    CU_ASSERT_STRING_EQUAL(me.szModule, file_part(exe));
    CU_ASSERT_PTR_NOT_NULL(me.modBaseAddr);
    CU_ASSERT((BYTE *)test_toolhelp < me.modBaseAddr + me.modBaseSize &&
              (BYTE *)test_toolhelp >= me.modBaseAddr); /* this code is in it */
    CloseHandle(snap);

    CU_ASSERT_TRUE(TerminateProcess(pi.hProcess, 0));
    CU_ASSERT_EQUAL(exit_code(pi.hProcess), 0);
    /* The child is gone: its modules cannot be listed. winipc answers as OpenProcess
       does for a process that does not exist (ERROR_INVALID_PARAMETER); Microsoft
       documents no code, and Wine gives another. */
    SetLastError(0);
    CU_ASSERT_EQUAL(CreateToolhelp32Snapshot(TH32CS_SNAPMODULE, pi.dwProcessId),
                    INVALID_HANDLE_VALUE);
    if (!skipped_on_wine("the error of a module snapshot of a process that is gone"))
        CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
    close_pi(&pi);
    SetEvent(ev);
    CU_ASSERT_EQUAL(WaitForSingleObject(thread, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
    CloseHandle(ev);
    CloseHandle(counted_started);
}

/* ---- The command line and standard handles ------------------------------------------ */

/* Child: writes its command line and its arguments to stdout. */
static int role_echo_command_line(int argc, char **argv)
{
    printf("%s\n", GetCommandLineA());
    for (int i = 0; i < argc; i++)
        printf("[%s]", argv[i]);
    printf("\n");
    return 0;
}

/* Reads all a pipe gives until its writers are gone. */
static void read_all(HANDLE pipe, char *buf, size_t cap)
{
    DWORD got;
    size_t n = 0;

    while (n + 1 < cap && ReadFile(pipe, buf + n, (DWORD)(cap - 1 - n), &got, NULL) && got)
        n += got;
    buf[n] = '\0';
}

static void test_command_line_and_pipes(void)
{
    if (skipped_on_portable("CreateProcess"))
        return;
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    STARTUPINFOA si = {0};
    PROCESS_INFORMATION pi;
    HANDLE r, w;
    char cmd[4096], out[8192], expected[8192];
    /* Quoting as Microsoft's C runtime reads it: quotes, escaped quotes, backslashes. */
    const char *args = "plain \"two words\" a\\\\b \"q\\\"uote\" \"end\\\\\\\\\"";

    si.cb = sizeof si;
    CU_ASSERT_TRUE_FATAL(CreatePipe(&r, &w, &sa, 0));
    SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0); /* only the write end goes down */
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = w;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    snprintf(cmd, sizeof cmd, "\"%s\" --child echo-command-line %s", self_path(), args);
    CU_ASSERT_TRUE_FATAL(CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi));
    CloseHandle(w); /* the child's is the last write end: its exit ends the pipe */
    read_all(r, out, sizeof out);
    CU_ASSERT_EQUAL(exit_code(pi.hProcess), 0);
    snprintf(expected, sizeof expected, "%s\n[plain][two words][a\\\\b][q\"uote][end\\\\]\n", cmd);
#ifdef _WIN32
    { /* stdout is in text mode there */
        char *d = out;

        for (char *s = out; *s; s++)
            if (*s != '\r')
                *d++ = *s;
        *d = '\0';
    }
#endif
    CU_ASSERT_STRING_EQUAL(out, expected);
    CloseHandle(r);
    close_pi(&pi);
}

static void test_bad_programs(void)
{
    if (skipped_on_portable("CreateProcess (it fails with ERROR_NOT_SUPPORTED)"))
        return;
    STARTUPINFOA si = {0};
    PROCESS_INFORMATION pi;
    char cmd[] = "no-such-program-anywhere.exe arg", empty[1];
    char missing[] = "\"t:\\NotADir\\NotAFile.exe\"";
    char dir[4200];

    si.cb = sizeof si;
    CHECK_FAIL(CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi), FALSE,
               ERROR_FILE_NOT_FOUND);
    /* A failed call leaves nothing of the caller's in PROCESS_INFORMATION. */
    memset(&pi, 0x5A, sizeof pi);
    CU_ASSERT_FALSE(CreateProcessA(missing, missing, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    CU_ASSERT_PTR_NULL(pi.hProcess);
    CU_ASSERT_PTR_NULL(pi.hThread);
    CU_ASSERT_EQUAL(pi.dwProcessId, 0);
    CU_ASSERT_EQUAL(pi.dwThreadId, 0);
    /* An empty program name is a path that is not there. */
    empty[0] = '\0';
    CHECK_FAIL(CreateProcessA(empty, NULL, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi), FALSE,
               ERROR_PATH_NOT_FOUND);
    CHECK_FAIL(CreateProcessA(empty, empty, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi), FALSE,
               ERROR_PATH_NOT_FOUND);
    snprintf(dir, sizeof dir, "\"%s\" --child idle", self_path());
    CHECK_FAIL(CreateProcessA(NULL, dir, NULL, NULL, FALSE, 0, NULL, "no-such-directory", &si, &pi),
               FALSE, ERROR_DIRECTORY);
}

/* The STD_*_HANDLE values name the standard handles: CloseHandle of one closes that
   handle, and GetStdHandle returns NULL until one is set. */
static void test_close_std_value(void)
{
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE), dup;

    CU_ASSERT_FATAL(err != NULL && err != INVALID_HANDLE_VALUE);
    CU_ASSERT_TRUE_FATAL(DuplicateHandle(GetCurrentProcess(), err, GetCurrentProcess(), &dup, 0,
                                         FALSE, DUPLICATE_SAME_ACCESS));
    CU_ASSERT_TRUE(SetStdHandle(STD_ERROR_HANDLE, dup));
    CU_ASSERT_TRUE(CloseHandle((HANDLE)(ULONG_PTR)STD_ERROR_HANDLE));
    CU_ASSERT_PTR_NULL(GetStdHandle(STD_ERROR_HANDLE));
    CHECK_FAIL(CloseHandle(dup), FALSE, ERROR_INVALID_HANDLE); /* it was closed */
    CU_ASSERT_TRUE(SetStdHandle(STD_ERROR_HANDLE, err));
    CU_ASSERT_PTR_EQUAL(GetStdHandle(STD_ERROR_HANDLE), err);
}

/* ---- A suspended child ---------------------------------------------------------------- */

/* Child: sets the named event argv[0] as soon as it runs, then exits. */
static int role_signal_start(int argc, char **argv)
{
    return argc > 0 && signal_ready(argv[0]) ? 0 : 10;
}

static void test_suspended_child(void)
{
    if (skipped_on_portable("CreateProcess"))
        return;
    const char *base = test_name("suspended");
    HANDLE started = ready_event(base);
    PROCESS_INFORMATION pi;

    CU_ASSERT_TRUE_FATAL(start("signal-start", base, FALSE, CREATE_SUSPENDED, NULL, &pi));
    /* It exists (its id, a handle to wait on) but has run nothing of its own. */
    CU_ASSERT_EQUAL(WaitForSingleObject(started, 300), WAIT_TIMEOUT);
    CU_ASSERT_EQUAL(WaitForSingleObject(pi.hProcess, 0), WAIT_TIMEOUT);
    CU_ASSERT_EQUAL(ResumeThread(pi.hThread), 1);
    CU_ASSERT_EQUAL(WaitForSingleObject(started, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(exit_code(pi.hProcess), 0);
    CU_ASSERT_EQUAL(ResumeThread(pi.hThread), 0);
    close_pi(&pi);
    CloseHandle(started);
}

/* GetModuleFileName(NULL): the program's path, cut short and terminated in too small
   a buffer (nSize returned, ERROR_INSUFFICIENT_BUFFER), as since Windows XP. */
static void test_module_file_name(void)
{
    if (skipped_on_portable("GetModuleFileName (no /proc/self/exe)"))
        return;
    char path[2048], small[8];
    WCHAR wpath[2048];
    DWORD n = GetModuleFileNameA(NULL, path, sizeof path), w;

    CU_ASSERT_TRUE(n > 0 && n < sizeof path);
    CU_ASSERT_EQUAL(strlen(path), n);
    CU_ASSERT_STRING_EQUAL(path, self_path());
    w = GetModuleFileNameW(NULL, wpath, 2048);
    CU_ASSERT_EQUAL(w, n);    /* an ASCII path here */
    SetLastError(0xdeadbeef); /* success resets it (Windows after XP) */
    CU_ASSERT_EQUAL(GetModuleFileNameA(NULL, path, sizeof path), n);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    CU_ASSERT_EQUAL(GetModuleFileNameA(NULL, small, sizeof small), sizeof small);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(strncmp(small, path, sizeof small - 1), 0);
    /* Microsoft documents the terminator; Wine writes none (as Windows XP did). */
    if (!skipped_on_wine("GetModuleFileName terminates a cut-short path"))
        CU_ASSERT_EQUAL(small[sizeof small - 1], '\0');
    CHECK_FAIL(GetModuleFileNameA((HMODULE)(ULONG_PTR)0xffffffff, small, sizeof small), 0,
               ERROR_MOD_NOT_FOUND);
}

/* ---- DuplicateHandle into another process ---------------------------------------------- */

/* Reads one line of handle values (hex) from standard input into v; how many. */
static int read_values(ULONG_PTR *v, int max)
{
    char line[512], *p = line, *end;
    DWORD got, n = 0;
    int count = 0;

    while (n + 1 < sizeof line &&
           ReadFile(GetStdHandle(STD_INPUT_HANDLE), line + n, 1, &got, NULL) && got &&
           line[n] != '\n')
        n++;
    line[n] = '\0';
    while (count < max && (v[count] = (ULONG_PTR)strtoull(p, &end, 16), end != p)) {
        count++;
        p = end;
    }
    return count;
}

/* Child: values of a section and an event on stdin; writes, signals, exits 42. */
static int role_dup_receiver(int argc, char **argv)
{
    ULONG_PTR v[2];
    char *view;

    (void)argc, (void)argv;
    if (read_values(v, 2) != 2)
        return 10;
    view = MapViewOfFile((HANDLE)v[0], FILE_MAP_WRITE, 0, 0, 0);
    if (!view)
        return 11;
    strcpy(view, "written through a duplicated handle");
    if (!SetEvent((HANDLE)v[1]))
        return 12;
    ExitProcess(42);
}

/* Starts `role` suspended with a pipe as its standard input; the write end in *in. */
static BOOL start_with_stdin(const char *role, HANDLE *in, PROCESS_INFORMATION *pi)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    STARTUPINFOA si = {0};
    HANDLE r;
    BOOL ok;

    si.cb = sizeof si;
    if (!CreatePipe(&r, in, &sa, 0))
        return FALSE;
    SetHandleInformation(*in, HANDLE_FLAG_INHERIT, 0);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = r;
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    ok = start(role, NULL, TRUE, CREATE_SUSPENDED, &si, pi);
    CloseHandle(r);
    return ok;
}

static void write_values(HANDLE in, const HANDLE *h, int n)
{
    char line[512];
    int len = 0;
    DWORD put;

    for (int i = 0; i < n; i++)
        len +=
            snprintf(line + len, sizeof line - (size_t)len, "%lx ", (unsigned long)(ULONG_PTR)h[i]);
    line[len++] = '\n';
    CU_ASSERT_TRUE(WriteFile(in, line, (DWORD)len, &put, NULL) && put == (DWORD)len);
}

static void test_duplicate_into_child(void)
{
    if (skipped_on_portable("DuplicateHandle into another process"))
        return;
    HANDLE section = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NULL);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL), theirs[2], in;
    PROCESS_INFORMATION pi;
    char *view;

    CU_ASSERT_FATAL(section && event);
    /* Suspended: it is given the handles before it runs anything. */
    CU_ASSERT_TRUE_FATAL(start_with_stdin("dup-receiver", &in, &pi));
    CU_ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), section, pi.hProcess, &theirs[0], 0, FALSE,
                                   DUPLICATE_SAME_ACCESS));
    /* The event's only handle goes over: DUPLICATE_CLOSE_SOURCE closes ours. */
    CU_ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), event, pi.hProcess, &theirs[1],
                                   EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE,
                                   DUPLICATE_CLOSE_SOURCE));
    CHECK_FAIL(CloseHandle(event), FALSE, ERROR_INVALID_HANDLE);
    write_values(in, theirs, 2);
    CU_ASSERT_EQUAL(ResumeThread(pi.hThread), 1);
    CU_ASSERT_EQUAL(exit_code(pi.hProcess), 42);
    view = MapViewOfFile(section, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_STRING_EQUAL(view, "written through a duplicated handle");
    UnmapViewOfFile(view);
    CloseHandle(in);
    CloseHandle(section);
    close_pi(&pi);
}

/* Child: a process handle on stdin (its parent's): not ended, its id; exits with 0. */
static int role_parent_handle(int argc, char **argv)
{
    ULONG_PTR v;
    DWORD code;

    (void)argc, (void)argv;
    if (read_values(&v, 1) != 1)
        return 10;
    if (WaitForSingleObject((HANDLE)v, 0) != WAIT_TIMEOUT)
        return 11;
    if (!GetExitCodeProcess((HANDLE)v, &code) || code != STILL_ACTIVE)
        return 12;
    return (int)(GetProcessId((HANDLE)v) % 250) + 1;
}

static void test_duplicate_current_process(void)
{
    if (skipped_on_portable(
            "a real handle to the process (DuplicateHandle of GetCurrentProcess())"))
        return;
    PROCESS_INFORMATION pi;
    HANDLE self, theirs, in;

    /* GetCurrentProcess() duplicates to a real handle of ourselves. */
    CU_ASSERT_TRUE_FATAL(DuplicateHandle(GetCurrentProcess(), GetCurrentProcess(),
                                         GetCurrentProcess(), &self, 0, FALSE,
                                         DUPLICATE_SAME_ACCESS));
    CU_ASSERT_PTR_NOT_EQUAL(self, GetCurrentProcess());
    CU_ASSERT_EQUAL(GetProcessId(self), GetCurrentProcessId());
    CU_ASSERT_EQUAL(WaitForSingleObject(self, 0), WAIT_TIMEOUT);
    CU_ASSERT_TRUE(CloseHandle(self));
    /* And into a child: it holds a handle to its parent. */
    CU_ASSERT_TRUE_FATAL(start_with_stdin("parent-handle", &in, &pi));
    CU_ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), GetCurrentProcess(), pi.hProcess, &theirs,
                                   SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, 0));
    write_values(in, &theirs, 1);
    CU_ASSERT_EQUAL(ResumeThread(pi.hThread), 1);
    CU_ASSERT_EQUAL(exit_code(pi.hProcess), GetCurrentProcessId() % 250 + 1);
    CloseHandle(in);
    close_pi(&pi);
}

/* Child: n event handles on stdin; sets each; 0 if all were valid. */
static int role_set_events(int argc, char **argv)
{
    ULONG_PTR v[64];
    int n = read_values(v, 64);

    (void)argc, (void)argv;
    for (int i = 0; i < n; i++)
        if (!SetEvent((HANDLE)v[i]) || !CloseHandle((HANDLE)v[i]))
            return 20 + i;
    return n == 40 ? 0 : 10;
}

static void test_duplicate_many_and_rights(void)
{
    if (skipped_on_portable("DuplicateHandle into another process"))
        return;
    HANDLE ev[40], theirs[40], in, weak, none;
    PROCESS_INFORMATION pi;

    CU_ASSERT_TRUE_FATAL(start_with_stdin("set-events", &in, &pi));
    for (int i = 0; i < 40; i++) {
        ev[i] = CreateEventA(NULL, TRUE, FALSE, NULL);
        CU_ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), ev[i], pi.hProcess, &theirs[i],
                                       EVENT_MODIFY_STATE, FALSE, 0));
    }
    /* Values differ from each other (the child holds them all at once). */
    for (int i = 1; i < 40; i++)
        CU_ASSERT_PTR_NOT_EQUAL(theirs[i], theirs[i - 1]);
    /* A process handle without PROCESS_DUP_HANDLE cannot be a target. */
    CU_ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), pi.hProcess, GetCurrentProcess(), &weak,
                                   SYNCHRONIZE, FALSE, 0));
    CHECK_FAIL(
        DuplicateHandle(GetCurrentProcess(), ev[0], weak, &none, 0, FALSE, DUPLICATE_SAME_ACCESS),
        FALSE, ERROR_ACCESS_DENIED);
    CloseHandle(weak);
    write_values(in, theirs, 40);
    CU_ASSERT_EQUAL(ResumeThread(pi.hThread), 1);
    CU_ASSERT_EQUAL(exit_code(pi.hProcess), 0);
    CU_ASSERT_EQUAL(WaitForMultipleObjects(40, ev, TRUE, 0), WAIT_OBJECT_0);
    for (int i = 0; i < 40; i++)
        CloseHandle(ev[i]);
    CloseHandle(in);
    close_pi(&pi);
}

#ifndef _WIN32
/* A fork() child is a process of its own: it has an inbox of its own, and keeps the
   handles it was given before the fork. */
static void test_duplicate_into_fork_child(void)
{
    if (skipped_on_portable("DuplicateHandle into another process"))
        return;
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL), child, theirs;
    int to_child[2], from_child[2];
    char ready;
    pid_t pid;

    CU_ASSERT_FATAL(ev && pipe(to_child) == 0 && pipe(from_child) == 0);
    pid = fork();
    if (pid == 0) {
        ULONG_PTR v = 0;

        close(to_child[1]);
        /* fork() has returned here: from now on we can be given handles. */
        if (write(from_child[1], "r", 1) != 1 ||
            read(to_child[0], &v, sizeof v) != (ssize_t)sizeof v)
            _exit(10);
        _exit(SetEvent((HANDLE)v) && CloseHandle((HANDLE)v) ? 0 : 11);
    }
    close(to_child[0]);
    close(from_child[1]);
    CU_ASSERT_FATAL(pid > 0);
    CU_ASSERT_EQUAL(read(from_child[0], &ready, 1), 1);
    close(from_child[0]);
    child = OpenProcess(PROCESS_DUP_HANDLE | SYNCHRONIZE | PROCESS_QUERY_INFORMATION, FALSE,
                        (DWORD)pid);
    CU_ASSERT_PTR_NOT_NULL_FATAL(child);
    CU_ASSERT_TRUE(
        DuplicateHandle(GetCurrentProcess(), ev, child, &theirs, EVENT_MODIFY_STATE, FALSE, 0));
    CU_ASSERT_EQUAL(write(to_child[1], &theirs, sizeof theirs), (ssize_t)sizeof theirs);
    CU_ASSERT_EQUAL(WaitForSingleObject(ev, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(WaitForSingleObject(child, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    waitpid(pid, NULL, 0);
    close(to_child[1]);
    CloseHandle(child);
    CloseHandle(ev);
}

/* Documented differences (transfer.c): what winipc refuses that Windows does. */
static void test_duplicate_differences(void)
{
    if (skipped_on_portable("DuplicateHandle into another process"))
        return;
    PROCESS_INFORMATION pi;
    HANDLE in, out, ev = CreateEventA(NULL, TRUE, FALSE, NULL), linux_proc;
    char *argv[] = {"sleep", "30", NULL};
    pid_t pid;

    CU_ASSERT_TRUE_FATAL(start_with_stdin("set-events", &in, &pi));
    /* Out of another process: ERROR_NOT_SUPPORTED. */
    CHECK_FAIL(DuplicateHandle(pi.hProcess, (HANDLE)(ULONG_PTR)4, GetCurrentProcess(), &out, 0,
                               FALSE, DUPLICATE_SAME_ACCESS),
               FALSE, ERROR_NOT_SUPPORTED);
    /* A thread handle into another process: ERROR_NOT_SUPPORTED. */
    CHECK_FAIL(DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), pi.hProcess, &out, 0, FALSE,
                               DUPLICATE_SAME_ACCESS),
               FALSE, ERROR_NOT_SUPPORTED);
    CHECK_FAIL(DuplicateHandle(GetCurrentProcess(), pi.hThread, pi.hProcess, &out, 0, FALSE,
                               DUPLICATE_SAME_ACCESS),
               FALSE, ERROR_NOT_SUPPORTED);
    CU_ASSERT_TRUE(TerminateProcess(pi.hProcess, 0));
    CU_ASSERT_EQUAL(exit_code(pi.hProcess), 0);
    close_pi(&pi);
    CloseHandle(in);
    /* Into a process that is not a winipc program (started without CreateProcess). */
    CU_ASSERT_EQUAL_FATAL(posix_spawnp(&pid, "sleep", NULL, NULL, argv, environ), 0);
    linux_proc =
        OpenProcess(PROCESS_DUP_HANDLE | PROCESS_TERMINATE | SYNCHRONIZE, FALSE, (DWORD)pid);
    CU_ASSERT_PTR_NOT_NULL_FATAL(linux_proc);
    CHECK_FAIL(
        DuplicateHandle(GetCurrentProcess(), ev, linux_proc, &out, 0, FALSE, DUPLICATE_SAME_ACCESS),
        FALSE, ERROR_NOT_SUPPORTED);
    CU_ASSERT_TRUE(TerminateProcess(linux_proc, 1));
    CU_ASSERT_EQUAL(WaitForSingleObject(linux_proc, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    waitpid(pid, NULL, 0);
    CloseHandle(linux_proc);
    CloseHandle(ev);
}
#endif

CU_TestInfo test_process_tests[] = {
    {"Microsoft's inheritance example: an unnamed section and event by value",
     test_inherited_unnamed_objects},
    {"an inherited named object lives for the child after the parent closes it",
     test_inherited_named_outlives_parent_handle},
    {"TerminateProcess of a sleeping child; its code and its thread's handle",
     test_terminate_sleeping_child},
    {"wait-all over two process handles; wait-any with an event",
     test_wait_all_and_any_on_processes},
    {"OpenProcess: waits, rights, ourselves", test_open_process},
    {"the command line as the child reads it; a pipe as its standard output",
     test_command_line_and_pipes},
    {"a missing program or directory", test_bad_programs},
    {"GetModuleFileName of the program", test_module_file_name},
    {"Toolhelp32: processes, threads and modules of a snapshot", test_toolhelp},
    {"CloseHandle of STD_ERROR_HANDLE closes the standard handle", test_close_std_value},
    {"CREATE_SUSPENDED: nothing runs before ResumeThread", test_suspended_child},
    {"DuplicateHandle into a suspended child: a section, an event closed at the source",
     test_duplicate_into_child},
    {"DuplicateHandle of GetCurrentProcess(): here, and into a child",
     test_duplicate_current_process},
    {"40 handles into one child; a target without PROCESS_DUP_HANDLE",
     test_duplicate_many_and_rights},
#ifndef _WIN32
    {"DuplicateHandle into a fork() child", test_duplicate_into_fork_child},
    {"DuplicateHandle: what winipc refuses (documented differences)", test_duplicate_differences},
#endif
    CU_TEST_INFO_NULL,
};

const struct test_role test_process_roles[] = {
    {"inherit-child", role_inherit_child},
    {"inherit-named", role_inherit_named},
    {"sleep-exit", role_sleep_exit},
    {"echo-command-line", role_echo_command_line},
    {"signal-start", role_signal_start},
    {"dup-receiver", role_dup_receiver},
    {"parent-handle", role_parent_handle},
    {"set-events", role_set_events},
    {NULL, NULL},
};
