/*
 * test-environ.c - the environment (GetEnvironmentVariable, SetEnvironmentVariable,
 * GetEnvironmentStrings, ExpandEnvironmentStrings), GetStartupInfo in a child that
 * CreateProcess started, console control handlers (a child that receives
 * CTRL_BREAK_EVENT or SIGINT, the default action's exit code) and the console calls
 * around them. Children are this test program started with CreateProcess itself,
 * "--child ROLE".
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#endif

#define STATUS_CONTROL_C_EXIT_CODE 0xC000013Au
#define NO_CONSOLE 50 /* a child's exit code: it has no console (GetConsoleCP() is 0) */

/* This program's path, for CreateProcess. */
static const char *self_path(void)
{
    static char path[2048];

    if (!path[0])
        GetModuleFileNameA(NULL, path, sizeof path);
    return path;
}

/* Starts `"self" --child <role> <args>`; FALSE on failure. */
static BOOL start(const char *role, const char *args, BOOL inherit, DWORD flags, void *env,
                  STARTUPINFOA *si, PROCESS_INFORMATION *pi)
{
    char cmd[4096];
    STARTUPINFOA plain = {0};

    plain.cb = sizeof plain;
    snprintf(cmd, sizeof cmd, "\"%s\" --child %s %s", self_path(), role, args ? args : "");
    return CreateProcessA(NULL, cmd, NULL, NULL, inherit, flags, env, NULL, si ? si : &plain, pi);
}

/* Waits for the child (with the helpers' limit) and returns its exit code. */
static DWORD finish(PROCESS_INFORMATION *pi)
{
    DWORD code = 0xDEADu;

    CU_ASSERT_EQUAL(WaitForSingleObject(pi->hProcess, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CU_ASSERT_TRUE(GetExitCodeProcess(pi->hProcess, &code));
    CloseHandle(pi->hThread);
    CloseHandle(pi->hProcess);
    return code;
}

/* ---- The environment ---------------------------------------------------------------- */

static void test_get_set(void)
{
    char name[64], other_case[64], buf[64];
    const char *value = "some value";
    DWORD n = (DWORD)strlen(value);

    snprintf(name, sizeof name, "WtEnv%lu", (unsigned long)GetCurrentProcessId());
    for (size_t i = 0; i <= strlen(name); i++)
        other_case[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
    CHECK_FAIL(GetEnvironmentVariableA(name, buf, sizeof buf), 0, ERROR_ENVVAR_NOT_FOUND);
    CHECK_OK(SetEnvironmentVariableA(name, value));

    /* The size with the terminator when the buffer is too small; the last error stays. */
    SetLastError(0xDEADu);
    CU_ASSERT_EQUAL(GetEnvironmentVariableA(name, NULL, 0), n + 1);
    strcpy(buf, "foo");
    CU_ASSERT_EQUAL(GetEnvironmentVariableA(name, buf, n), n + 1);
    CU_ASSERT_STRING_EQUAL(buf, "foo");
    CU_ASSERT_EQUAL(GetLastError(), 0xDEADu);
    /* The length without it when the value fits. */
    CU_ASSERT_EQUAL(GetEnvironmentVariableA(name, buf, n + 1), n);
    CU_ASSERT_STRING_EQUAL(buf, value);
    CU_ASSERT_EQUAL(GetLastError(), 0xDEADu);
    /* Names are case-insensitive, and setting under another case changes the same one. */
    CU_ASSERT_EQUAL(GetEnvironmentVariableA(other_case, buf, sizeof buf), n);
    CU_ASSERT_STRING_EQUAL(buf, value);
    CHECK_OK(SetEnvironmentVariableA(other_case, "other"));
    CU_ASSERT_EQUAL(GetEnvironmentVariableA(name, buf, sizeof buf), 5);
    CU_ASSERT_STRING_EQUAL(buf, "other");

    /* An empty value: 0, the buffer emptied, no error; its size is 1. */
    CHECK_OK(SetEnvironmentVariableA(name, ""));
    SetLastError(0xDEADu);
    strcpy(buf, "foo");
    CU_ASSERT_EQUAL(GetEnvironmentVariableA(name, buf, sizeof buf), 0);
    CU_ASSERT_STRING_EQUAL(buf, "");
    CU_ASSERT_EQUAL(GetLastError(), 0xDEADu);
    CU_ASSERT_EQUAL(GetEnvironmentVariableA(name, NULL, 0), 1);

    /* NULL deletes, under any case; deleting an absent variable succeeds. */
    CHECK_OK(SetEnvironmentVariableA(other_case, NULL));
    CHECK_FAIL(GetEnvironmentVariableA(name, buf, sizeof buf), 0, ERROR_ENVVAR_NOT_FOUND);
    CHECK_OK(SetEnvironmentVariableA(name, NULL));
    CHECK_FAIL(GetEnvironmentVariableA("", buf, sizeof buf), 0, ERROR_ENVVAR_NOT_FOUND);
    CHECK_FAIL(SetEnvironmentVariableA("Wt=Bad", "x"), FALSE, ERROR_INVALID_PARAMETER);
}

static void test_wide(void)
{
    WCHAR name[64], buf[64];
    const WCHAR value[] = {'g', 0xE9, 'n', 0x3B1, 0x20AC, 0};
    char nameA[64], bufA[64];

    snprintf(nameA, sizeof nameA, "WtWide%lu", (unsigned long)GetCurrentProcessId());
    for (size_t i = 0; i <= strlen(nameA); i++)
        name[i] = (WCHAR)nameA[i];
    CHECK_OK(SetEnvironmentVariableW(name, value));
    CU_ASSERT_EQUAL(GetEnvironmentVariableW(name, NULL, 0), 6);
    CU_ASSERT_EQUAL(GetEnvironmentVariableW(name, buf, 5), 6);
    CU_ASSERT_EQUAL(GetEnvironmentVariableW(name, buf, 6), 5);
    CU_ASSERT_EQUAL(memcmp(buf, value, sizeof value), 0);
#ifndef _WIN32
    /* A strings are UTF-8 here (on Windows, the ANSI code page). */
    CU_ASSERT_EQUAL(GetEnvironmentVariableA(nameA, bufA, sizeof bufA), 9);
    CU_ASSERT_STRING_EQUAL(bufA, "g\xC3\xA9n\xCE\xB1\xE2\x82\xAC");
    CU_ASSERT_STRING_EQUAL(getenv(nameA), "g\xC3\xA9n\xCE\xB1\xE2\x82\xAC");
#else
    (void)bufA;
#endif
    CHECK_OK(SetEnvironmentVariableW(name, NULL));
    CHECK_FAIL(GetEnvironmentVariableW(name, buf, 64), 0, ERROR_ENVVAR_NOT_FOUND);
}

static void test_strings(void)
{
    char name[64], entry[128];
    const WCHAR *w;
    WCHAR wentry[128];
    char *block;
    WCHAR *wblock;
    bool found = false;

    snprintf(name, sizeof name, "WtBlock%lu", (unsigned long)GetCurrentProcessId());
    snprintf(entry, sizeof entry, "%s=in the block", name);
    CHECK_OK(SetEnvironmentVariableA(name, "in the block"));
    block = GetEnvironmentStringsA();
    CU_ASSERT_PTR_NOT_NULL_FATAL(block);
    for (const char *p = block; *p; p += strlen(p) + 1)
        found |= strcmp(p, entry) == 0;
    CU_ASSERT_TRUE(found);
    CU_ASSERT_TRUE(FreeEnvironmentStringsA(block));

    for (size_t i = 0; i <= strlen(entry); i++)
        wentry[i] = (WCHAR)entry[i];
    wblock = GetEnvironmentStringsW();
    CU_ASSERT_PTR_NOT_NULL_FATAL(wblock);
    found = false;
    for (w = wblock; *w; w += lstrlenW(w) + 1)
        found |= lstrcmpW(w, wentry) == 0;
    CU_ASSERT_TRUE(found);
    CU_ASSERT_TRUE(FreeEnvironmentStringsW(wblock));
    CHECK_OK(SetEnvironmentVariableA(name, NULL));
}

static void test_expand(void)
{
    char name[64], src[256], want[256], buf[256];
    DWORD n;

    snprintf(name, sizeof name, "WtExp%lu", (unsigned long)GetCurrentProcessId());
    CHECK_OK(SetEnvironmentVariableA(name, "Long long value"));
    snprintf(src, sizeof src, "a %%%s%% b", name);
    n = ExpandEnvironmentStringsA(src, NULL, 0);
    CU_ASSERT_EQUAL(n, strlen("a Long long value b") + 1);
    memset(buf, 'x', sizeof buf);
    CU_ASSERT_EQUAL(ExpandEnvironmentStringsA(src, buf, sizeof buf), n);
    CU_ASSERT_STRING_EQUAL(buf, "a Long long value b");

    /* Unknown names, "%%" and a lone '%' stay as written. */
    strcpy(src, "%WtNoSuchVariable% 100%% 5%");
    CU_ASSERT_EQUAL(ExpandEnvironmentStringsA(src, buf, sizeof buf), strlen(src) + 1);
    CU_ASSERT_STRING_EQUAL(buf, src);
    /* A value's own %...% is not expanded again. */
    CHECK_OK(SetEnvironmentVariableA("WtIndirect", "Foo%WtNoSuchVariable%Bar"));
    CU_ASSERT_EQUAL(ExpandEnvironmentStringsA("<%WtIndirect%>", buf, sizeof buf),
                    strlen("<Foo%WtNoSuchVariable%Bar>") + 1);
    CU_ASSERT_STRING_EQUAL(buf, "<Foo%WtNoSuchVariable%Bar>");
    /* Case-insensitive names here too. */
    snprintf(src, sizeof src, "%%%s%%", name);
    for (char *p = src; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    CU_ASSERT_EQUAL(ExpandEnvironmentStringsA(src, buf, sizeof buf), 16);
    CU_ASSERT_STRING_EQUAL(buf, "Long long value");

    {
        WCHAR wsrc[64], wbuf[64];
        const char *s = "[%WtIndirect%]";

        for (size_t i = 0; i <= strlen(s); i++)
            wsrc[i] = (WCHAR)s[i];
        snprintf(want, sizeof want, "[Foo%%WtNoSuchVariable%%Bar]");
        CU_ASSERT_EQUAL(ExpandEnvironmentStringsW(wsrc, wbuf, 64), strlen(want) + 1);
        for (size_t i = 0; i <= strlen(want); i++)
            CU_ASSERT_EQUAL(wbuf[i], (WCHAR)want[i]);
    }
    CHECK_OK(SetEnvironmentVariableA("WtIndirect", NULL));
    CHECK_OK(SetEnvironmentVariableA(name, NULL));
}

/* Sets and reads back its own variable while others do the same and read the block. */
static DWORD WINAPI env_churn(LPVOID arg)
{
    char name[64], value[32], buf[32];
    DWORD bad = 0;

    snprintf(name, sizeof name, "WtChurn%lu_%d", (unsigned long)GetCurrentProcessId(),
             (int)(INT_PTR)arg);
    for (int i = 0; i < 2000; i++) {
        snprintf(value, sizeof value, "v%d", i);
        if (!SetEnvironmentVariableA(name, value) ||
            GetEnvironmentVariableA(name, buf, sizeof buf) != strlen(value) ||
            strcmp(buf, value) != 0)
            bad++;
        if (i % 2 && !SetEnvironmentVariableA(name, NULL))
            bad++;
    }
    SetEnvironmentVariableA(name, NULL);
    return bad;
}

/* The calls take one lock: concurrent setters and readers see whole values. */
static void test_threads(void)
{
    HANDLE t[3];
    DWORD code;

    for (int i = 0; i < 3; i++) {
        t[i] = CreateThread(NULL, 0, env_churn, (LPVOID)(INT_PTR)i, 0, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(t[i]);
    }
    for (int i = 0; i < 200; i++) {
        char *block = GetEnvironmentStringsA();

        CU_ASSERT_PTR_NOT_NULL(block);
        FreeEnvironmentStringsA(block);
    }
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(WaitForSingleObject(t[i], CHILD_LIMIT_MS), WAIT_OBJECT_0);
        CU_ASSERT_TRUE(GetExitCodeThread(t[i], &code));
        CU_ASSERT_EQUAL(code, 0);
        CloseHandle(t[i]);
    }
}

/* ---- GetStartupInfo --------------------------------------------------------------------- */

#define SI_TITLE "wt startup title"

/*
 * Child: checks its STARTUPINFO against what test_startup_info passed and its
 * environment against the block; returns the number of the first mismatch, 0 if none.
 * argv: the hStdOutput value the parent passed (hex).
 */
static int role_startup_info(int argc, char **argv)
{
    STARTUPINFOA si;
    STARTUPINFOW siw;
    char buf[64];
    DWORD written;
    static const WCHAR title_w[] = {'w', 't', ' ', 's', 't', 'a', 'r', 't', 'u',
                                    'p', ' ', 't', 'i', 't', 'l', 'e', 0};

    if (argc < 1)
        return 100;
    memset(&si, 0xCC, sizeof si);
    GetStartupInfoA(&si);
    if (si.cb != sizeof si)
        return 1;
    if (si.dwFlags != (STARTF_USESHOWWINDOW | STARTF_USESIZE | STARTF_USEPOSITION |
                       STARTF_USECOUNTCHARS | STARTF_USEFILLATTRIBUTE | STARTF_USESTDHANDLES))
        return 2;
    if (si.wShowWindow != SW_SHOWMINIMIZED)
        return 3;
    if (si.dwX != 0x34343434 || si.dwY != 0x45454545 || si.dwXSize != 0x56565656 ||
        si.dwYSize != 0x67676767)
        return 4;
    if (si.dwXCountChars != 0x12121212 || si.dwYCountChars != 0x23232323 ||
        si.dwFillAttribute != 0xA55A)
        return 5;
    if (!si.lpTitle || strcmp(si.lpTitle, SI_TITLE) != 0)
        return 6;
    if ((ULONG_PTR)si.hStdOutput != (ULONG_PTR)strtoull(argv[0], NULL, 16))
        return 7;
    if (si.cbReserved2 != 0 || si.lpReserved2 != NULL)
        return 8;
    /* The handle the parent passed works here (it was inherited under its value). */
    if (!WriteFile(si.hStdOutput, "through hStdOutput", 18, &written, NULL) || written != 18)
        return 9;
    memset(&siw, 0xCC, sizeof siw);
    GetStartupInfoW(&siw);
    if (siw.cb != sizeof siw || siw.dwFlags != si.dwFlags || !siw.lpTitle ||
        lstrcmpW(siw.lpTitle, title_w) != 0)
        return 10;
    /* The block the parent passed as lpEnvironment. */
    if (GetEnvironmentVariableA("WT_FROM_PARENT", buf, sizeof buf) != 11 ||
        strcmp(buf, "block value") != 0)
        return 11;
    /* winipc's own hand-over variables are gone before main. */
    if (GetEnvironmentVariableA("WINIPC_STARTUPINFO", buf, sizeof buf) ||
        GetEnvironmentVariableA("WINIPC_CMDLINE", buf, sizeof buf))
        return 12;
    return 0;
}

static void test_startup_info(void)
{
    if (skipped_on_portable("it starts a child with CreateProcess"))
        return;
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    STARTUPINFOA si = {0};
    PROCESS_INFORMATION pi;
    HANDLE rd, wr;
    char args[64], buf[64], title[] = SI_TITLE, *env, *block, *p;
    size_t size = 64;
    DWORD got = 0;

    CHECK_OK(CreatePipe(&rd, &wr, &sa, 0));
    CHECK_OK(SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0));
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESHOWWINDOW | STARTF_USESIZE | STARTF_USEPOSITION | STARTF_USECOUNTCHARS |
                 STARTF_USEFILLATTRIBUTE | STARTF_USESTDHANDLES;
    si.wShowWindow = SW_SHOWMINIMIZED;
    si.dwX = 0x34343434;
    si.dwY = 0x45454545;
    si.dwXSize = 0x56565656;
    si.dwYSize = 0x67676767;
    si.dwXCountChars = 0x12121212;
    si.dwYCountChars = 0x23232323;
    si.dwFillAttribute = 0xA55A;
    si.lpTitle = title;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = wr;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);

    /* Our environment and one more variable, as lpEnvironment. */
    block = GetEnvironmentStringsA();
    CU_ASSERT_PTR_NOT_NULL_FATAL(block);
    for (p = block; *p; p += strlen(p) + 1)
        size += strlen(p) + 1;
    env = calloc(1, size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(env);
    p = env + sprintf(env, "WT_FROM_PARENT=block value") + 1;
    for (const char *q = block; *q; q += strlen(q) + 1)
        p = strcpy(p, q) + strlen(q) + 1;
    FreeEnvironmentStringsA(block);

    snprintf(args, sizeof args, "%llx", (unsigned long long)(ULONG_PTR)wr);
    CU_ASSERT_TRUE_FATAL(start("startup-info", args, TRUE, 0, env, &si, &pi));
    free(env);
    CloseHandle(wr);
    CU_ASSERT_EQUAL(finish(&pi), 0);
    CU_ASSERT_TRUE(ReadFile(rd, buf, sizeof buf - 1, &got, NULL));
    buf[got] = '\0';
    CU_ASSERT_STRING_EQUAL(buf, "through hStdOutput");
    CloseHandle(rd);
}

/*
 * Child: without lpTitle, the title is the program's path (Windows; Wine: NULL); and
 * without lpEnvironment, the parent's environment as SetEnvironmentVariable left it.
 * argv: a variable's name and value.
 */
static int role_startup_title(int argc, char **argv)
{
    STARTUPINFOA si;
    char buf[64];

    if (argc < 2)
        return 100;
    if (GetEnvironmentVariableA(argv[0], buf, sizeof buf) != strlen(argv[1]) ||
        strcmp(buf, argv[1]) != 0)
        return 4;
    GetStartupInfoA(&si);
    if (si.cb != sizeof si || si.dwFlags != 0)
        return 1;
    if (!si.lpTitle)
        return running_on_wine() ? 0 : 2;
    return lstrcmpiA(si.lpTitle, self_path()) == 0 ? 0 : 3;
}

static void test_startup_defaults(void)
{
    if (skipped_on_portable("it starts a child with CreateProcess"))
        return;
    PROCESS_INFORMATION pi;
    STARTUPINFOA si;
    char name[64], args[128];

    snprintf(name, sizeof name, "WtInherited%lu", (unsigned long)GetCurrentProcessId());
    CHECK_OK(SetEnvironmentVariableA(name, "inherited"));
    snprintf(args, sizeof args, "%s inherited", name);
    CU_ASSERT_TRUE_FATAL(start("startup-title", args, FALSE, 0, NULL, NULL, &pi));
    CU_ASSERT_EQUAL(finish(&pi), 0);
    CHECK_OK(SetEnvironmentVariableA(name, NULL));
    /* Our own: started by ctest, not by CreateProcess. */
    GetStartupInfoA(&si);
    CU_ASSERT_EQUAL(si.cb, sizeof si);
#ifndef _WIN32
    /* A console program's defaults: no flags, the program as the title. */
    CU_ASSERT_EQUAL(si.dwFlags, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(si.lpTitle);
    CU_ASSERT_STRING_EQUAL(si.lpTitle, self_path());
    CU_ASSERT_PTR_NULL(si.lpDesktop);
    CU_ASSERT_EQUAL(si.hStdOutput, GetStdHandle(STD_OUTPUT_HANDLE));
#endif
}

/* ---- Console control handlers ---------------------------------------------------------- */

static char handled_name[256];
static DWORD handled_event = 0xFFFFu, handler_thread;
static BOOL handler_result;

/* Records the event and its thread, sets "<base>-handled", returns handler_result. */
static BOOL WINAPI record_handler(DWORD event)
{
    HANDLE ev = OpenEventA(EVENT_MODIFY_STATE, FALSE, handled_name);

    handled_event = event;
    handler_thread = GetCurrentThreadId();
    if (ev) {
        SetEvent(ev);
        CloseHandle(ev);
    }
    return handler_result;
}

/* Never called: a handler added and removed again. */
static BOOL WINAPI removed_handler(DWORD event)
{
    (void)event;
    return TRUE;
}

/*
 * Child (in a new process group and console): ends Ctrl+C ignoring, adds
 * record_handler, sends itself the event. argv: base name, "true"/"false" for the
 * handler's result, "c" (CTRL_C_EVENT to group 0) or "break" (CTRL_BREAK_EVENT to its
 * own group).
 * With TRUE, returns 0 once the handler ran on another thread; with FALSE the default
 * action ends the process (STATUS_CONTROL_C_EXIT) after the handler.
 */
static int role_ctrl_event(int argc, char **argv)
{
    HANDLE ev;

    DWORD event;

    if (argc < 3)
        return 100;
    snprintf(handled_name, sizeof handled_name, "%s-handled", argv[0]);
    handler_result = strcmp(argv[1], "true") == 0;
    event = strcmp(argv[2], "c") == 0 ? CTRL_C_EVENT : CTRL_BREAK_EVENT;
    ev = OpenEventA(SYNCHRONIZE, FALSE, handled_name);
    if (!ev)
        return 1;
    if (!SetConsoleCtrlHandler(NULL, FALSE) || !SetConsoleCtrlHandler(record_handler, TRUE) ||
        !SetConsoleCtrlHandler(removed_handler, TRUE) ||
        !SetConsoleCtrlHandler(removed_handler, FALSE))
        return 2;
    if (SetConsoleCtrlHandler(removed_handler, FALSE) || GetLastError() != ERROR_INVALID_PARAMETER)
        return 3;
    /* CTRL_C_EVENT goes to the whole console (group 0): ours alone, a new one. */
    if (!GenerateConsoleCtrlEvent(event, event == CTRL_C_EVENT ? 0 : GetCurrentProcessId()))
        /* Windows delivers control events to console processes only */
        return GetConsoleCP() == 0 ? NO_CONSOLE : 4;
    if (WaitForSingleObject(ev, CHILD_LIMIT_MS) != WAIT_OBJECT_0)
        return 5;
    if (!handler_result) {
        /* The default action ends us; a handler that returned FALSE cannot be outwaited. */
        WaitForSingleObject(GetCurrentProcess(), CHILD_LIMIT_MS);
        return 6;
    }
    if (handled_event != event)
        return 7;
    if (handler_thread == GetCurrentThreadId())
        return 8;
    return 0;
}

static void ctrl_event(const char *result, const char *event, DWORD want_code)
{
    char base[200], name[256], args[300];
    PROCESS_INFORMATION pi;
    HANDLE handled, both[2];
    DWORD code;

    snprintf(base, sizeof base, "%s", test_name("ctrl"));
    snprintf(name, sizeof name, "%s-handled", base);
    handled = CreateEventA(NULL, TRUE, FALSE, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(handled);
    snprintf(args, sizeof args, "%s %s %s", base, result, event);
    CU_ASSERT_TRUE_FATAL(start("ctrl-event", args, FALSE,
                               CREATE_NEW_PROCESS_GROUP | CREATE_NEW_CONSOLE, NULL, NULL, &pi));
    both[0] = handled;
    both[1] = pi.hProcess;
    CU_ASSERT_NOT_EQUAL(WaitForMultipleObjects(2, both, FALSE, CHILD_LIMIT_MS), WAIT_TIMEOUT);
    code = finish(&pi);
    if (code == NO_CONSOLE) {
        /* A Windows build run without a console (Wine under ctest): nothing to deliver. */
        printf("\n    skipped: no console, no control events\n");
    } else {
        CU_ASSERT_EQUAL(WaitForSingleObject(handled, 0), WAIT_OBJECT_0);
        /* Windows' default handler calls ExitProcess(STATUS_CONTROL_C_EXIT). */
        if (!want_code || !skipped_on_wine("the default control handler's exit code"))
            CU_ASSERT_EQUAL(code, want_code);
    }
    CloseHandle(handled);
}

static void test_ctrl_handler(void)
{
    if (skipped_on_portable("it starts a child with CreateProcess"))
        return;
    ctrl_event("true", "break", 0);
}

static void test_ctrl_default_action(void)
{
    if (skipped_on_portable("it starts a child with CreateProcess"))
        return;
    ctrl_event("false", "break", STATUS_CONTROL_C_EXIT_CODE);
}

/* CTRL_C_EVENT to group 0 (the child's own console or process group): the same. */
static void test_ctrl_c_event(void)
{
    if (skipped_on_portable("it starts a child with CreateProcess"))
        return;
    ctrl_event("true", "c", 0);
    ctrl_event("false", "c", STATUS_CONTROL_C_EXIT_CODE);
}

static void test_ctrl_arguments(void)
{
    CHECK_FAIL(SetConsoleCtrlHandler(removed_handler, FALSE), FALSE, ERROR_INVALID_PARAMETER);
    CU_ASSERT_FALSE(GenerateConsoleCtrlEvent(7, 0));
#ifndef _WIN32
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_PARAMETER);
#endif
}

#ifndef _WIN32
/*
 * Child: adds record_handler and reports ready; the parent sends SIGINT (Ctrl+C in a
 * terminal). argv: base name. Returns 0 once the handler saw CTRL_C_EVENT.
 */
static int role_sigint(int argc, char **argv)
{
    HANDLE ev;

    if (argc < 1)
        return 100;
    snprintf(handled_name, sizeof handled_name, "%s-handled", argv[0]);
    handler_result = TRUE;
    ev = OpenEventA(SYNCHRONIZE, FALSE, handled_name);
    if (!ev || !SetConsoleCtrlHandler(record_handler, TRUE))
        return 1;
    if (!signal_ready(argv[0]))
        return 2;
    if (WaitForSingleObject(ev, CHILD_LIMIT_MS) != WAIT_OBJECT_0)
        return 3;
    return handled_event == CTRL_C_EVENT ? 0 : 4;
}

static void test_sigint(void)
{
    if (skipped_on_portable("it starts a child with CreateProcess"))
        return;
    char base[200], name[256];
    PROCESS_INFORMATION pi;
    HANDLE handled, ready;

    snprintf(base, sizeof base, "%s", test_name("sigint"));
    snprintf(name, sizeof name, "%s-handled", base);
    handled = CreateEventA(NULL, TRUE, FALSE, name);
    ready = ready_event(base);
    CU_ASSERT_PTR_NOT_NULL_FATAL(handled);
    CU_ASSERT_TRUE_FATAL(start("sigint", base, FALSE, 0, NULL, NULL, &pi));
    CU_ASSERT_TRUE(wait_ready(ready, CHILD_LIMIT_MS));
    CU_ASSERT_EQUAL(kill((pid_t)pi.dwProcessId, SIGINT), 0);
    CU_ASSERT_EQUAL(WaitForSingleObject(handled, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(finish(&pi), 0);
    CloseHandle(ready);
    CloseHandle(handled);
}

static _Atomic int fork_handled;
static HANDLE fork_handled_event;

static BOOL WINAPI fork_handler(DWORD event)
{
    fork_handled = event == CTRL_C_EVENT ? 1 : 2;
    SetEvent(fork_handled_event);
    return TRUE;
}

/* Forks, and returns the child's status (waitpid) after it ran fn. */
static int forked(int (*fn)(void))
{
    int status = -1;
    pid_t pid = fork();

    if (pid == 0)
        _exit(fn());
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

/* A fork() child with no handlers of its own survives SIGINT only by mistake. */
static int raise_sigint(void)
{
    raise(SIGINT);
    return 0;
}

/* One that sets its own: it runs, in the child (whose parent's handler counts too). */
static int own_handler_sigint(void)
{
    fork_handled_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (!fork_handled_event || !SetConsoleCtrlHandler(fork_handler, TRUE))
        return 3;
    raise(SIGINT);
    if (WaitForSingleObject(fork_handled_event, CHILD_LIMIT_MS) != WAIT_OBJECT_0)
        return 4;
    return fork_handled == 1 ? 0 : 5;
}

/*
 * Role: sets record_handler (returning TRUE), then forks twice: a child without
 * handlers of its own must end by SIGINT (a fork() child has no dispatcher; its
 * parent's must not get its signal), a child that sets one must run it. Returns 0 if
 * both did and the parent's handler never ran.
 */
static int role_fork_ctrl(int argc, char **argv)
{
    int status;

    (void)argc, (void)argv;
    handler_result = TRUE;
    if (!SetConsoleCtrlHandler(record_handler, TRUE))
        return 1;
    status = forked(raise_sigint);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGINT)
        return 2;
    status = forked(own_handler_sigint);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return 10 + (WIFEXITED(status) ? WEXITSTATUS(status) : 9);
    return handled_event == 0xFFFFu && fork_handled == 0 ? 0 : 3;
}

/* Control handlers and fork(): the decision is in posix/conctl.c (on_ctrl_signal). */
static void test_fork_ctrl(void)
{
    if (skipped_on_portable("it starts a child with CreateProcess"))
        return;
    PROCESS_INFORMATION pi;

    CU_ASSERT_TRUE_FATAL(start("fork-ctrl", "x", FALSE, 0, NULL, NULL, &pi));
    CU_ASSERT_EQUAL(finish(&pi), 0);
}

/* A child that never set a handler ends by SIGINT: STATUS_CONTROL_C_EXIT. */
static void test_sigint_default(void)
{
    if (skipped_on_portable("it starts a child with CreateProcess"))
        return;
    char base[200];
    PROCESS_INFORMATION pi;
    HANDLE ready;

    snprintf(base, sizeof base, "%s", test_name("sigdef"));
    ready = ready_event(base);
    CU_ASSERT_TRUE_FATAL(start("ready-wait", base, FALSE, 0, NULL, NULL, &pi));
    CU_ASSERT_TRUE(wait_ready(ready, CHILD_LIMIT_MS));
    CU_ASSERT_EQUAL(kill((pid_t)pi.dwProcessId, SIGINT), 0);
    CU_ASSERT_EQUAL(finish(&pi), STATUS_CONTROL_C_EXIT_CODE);
    CloseHandle(ready);
}

/* Child: reports ready, then waits for a signal to end it (or its time limit). */
static int role_ready_wait(int argc, char **argv)
{
    if (argc < 1 || !signal_ready(argv[0]))
        return 1;
    WaitForSingleObject(GetCurrentProcess(), CHILD_LIMIT_MS);
    return 2;
}

/*
 * A child in a new process group ignores Ctrl+C (as on Windows) until it calls
 * SetConsoleCtrlHandler(NULL, FALSE): SIGINT reaches no handler, CTRL_BREAK_EVENT does.
 */
static int role_ignore_c(int argc, char **argv)
{
    HANDLE ev;

    if (argc < 1)
        return 100;
    snprintf(handled_name, sizeof handled_name, "%s-handled", argv[0]);
    handler_result = TRUE;
    ev = OpenEventA(SYNCHRONIZE, FALSE, handled_name);
    if (!ev || !SetConsoleCtrlHandler(record_handler, TRUE))
        return 1;
    if (!signal_ready(argv[0]))
        return 2;
    if (WaitForSingleObject(ev, CHILD_LIMIT_MS) != WAIT_OBJECT_0)
        return 3;
    return handled_event == CTRL_BREAK_EVENT ? 0 : 4;
}

static void test_ignore_ctrl_c(void)
{
    if (skipped_on_portable("it starts a child with CreateProcess"))
        return;
    char base[200], name[256];
    PROCESS_INFORMATION pi;
    HANDLE handled, ready;

    snprintf(base, sizeof base, "%s", test_name("ignc"));
    snprintf(name, sizeof name, "%s-handled", base);
    handled = CreateEventA(NULL, TRUE, FALSE, name);
    ready = ready_event(base);
    CU_ASSERT_TRUE_FATAL(start("ignore-c", base, FALSE, CREATE_NEW_PROCESS_GROUP, NULL, NULL, &pi));
    CU_ASSERT_TRUE(wait_ready(ready, CHILD_LIMIT_MS));
    /* SIGINT first: signals are delivered lowest number first, so it is seen before
       SIGQUIT, and the handler sees only the break. */
    CU_ASSERT_EQUAL(kill((pid_t)pi.dwProcessId, SIGINT), 0);
    /* CTRL_C_EVENT to a group reaches nobody, as on Windows. */
    CU_ASSERT_TRUE(GenerateConsoleCtrlEvent(CTRL_C_EVENT, pi.dwProcessId));
    CU_ASSERT_TRUE(GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, pi.dwProcessId));
    CU_ASSERT_EQUAL(WaitForSingleObject(handled, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(finish(&pi), 0);
    CloseHandle(ready);
    CloseHandle(handled);
}
#endif

/* ---- Console modes, code pages, title ------------------------------------------------- */

static void test_console_calls(void)
{
    HANDLE rd, wr;
    DWORD mode = 0xDEADu;

    /* A pipe is not a console: ERROR_INVALID_HANDLE, as for a redirected handle. */
    CHECK_OK(CreatePipe(&rd, &wr, NULL, 0));
    CHECK_FAIL(GetConsoleMode(rd, &mode), FALSE, ERROR_INVALID_HANDLE);
    CHECK_FAIL(SetConsoleMode(wr, ENABLE_PROCESSED_OUTPUT), FALSE, ERROR_INVALID_HANDLE);
    CloseHandle(rd);
    CloseHandle(wr);
    if (GetConsoleCP() != 0) { /* without a console (Windows), ERROR_INVALID_HANDLE */
        CHECK_FAIL(SetConsoleCP(0), FALSE, ERROR_INVALID_PARAMETER);
        CHECK_FAIL(SetConsoleOutputCP(0), FALSE, ERROR_INVALID_PARAMETER);
    }
#ifndef _WIN32
    {
        char title[64];
        WCHAR wtitle[64];

        /* ctest gives us no terminal (on Windows, no console): these are Linux's. */
        CU_ASSERT_EQUAL(GetConsoleCP(), CP_UTF8);
        CU_ASSERT_EQUAL(GetConsoleOutputCP(), CP_UTF8);
        CU_ASSERT_TRUE(SetConsoleOutputCP(CP_UTF8));
        CHECK_FAIL(SetConsoleOutputCP(1252), FALSE, ERROR_INVALID_PARAMETER);
        CU_ASSERT_TRUE(SetConsoleTitleA("wt title"));
        CU_ASSERT_EQUAL(GetConsoleTitleA(title, sizeof title), 8);
        CU_ASSERT_STRING_EQUAL(title, "wt title");
        CU_ASSERT_EQUAL(GetConsoleTitleA(title, 3), 8);
        CU_ASSERT_STRING_EQUAL(title, "wt");
        CU_ASSERT_EQUAL(GetConsoleTitleW(wtitle, 64), 8);
        CU_ASSERT_EQUAL(wtitle[3], 't');
        CU_ASSERT_EQUAL(wtitle[8], 0);
        if (!isatty(0) && !isatty(1) && !isatty(2)) {
            CHECK_FAIL(AllocConsole(), FALSE, ERROR_NOT_SUPPORTED);
            CHECK_FAIL(FreeConsole(), FALSE, ERROR_INVALID_PARAMETER);
        }
    }
#endif
    CU_ASSERT_PTR_NULL(GetConsoleWindow());
}

#ifndef _WIN32
/* A terminal (a pseudo-terminal's slave): the modes are its termios flags. */
static void test_console_mode_tty(void)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    const char *slave;
    HANDLE in, out;
    DWORD mode = 0;

    CU_ASSERT_FATAL(master >= 0);
    CU_ASSERT_FATAL(grantpt(master) == 0 && unlockpt(master) == 0);
    slave = ptsname(master);
    CU_ASSERT_PTR_NOT_NULL_FATAL(slave);
    in = CreateFileA(slave, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                     0, NULL);
    out = CreateFileA(slave, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                      0, NULL);
    CU_ASSERT_FATAL(in != INVALID_HANDLE_VALUE && out != INVALID_HANDLE_VALUE);
    CU_ASSERT_TRUE(GetConsoleMode(in, &mode));
    CU_ASSERT_EQUAL(mode, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT);
    CU_ASSERT_TRUE(SetConsoleMode(in, ENABLE_PROCESSED_INPUT));
    CU_ASSERT_TRUE(GetConsoleMode(in, &mode));
    CU_ASSERT_EQUAL(mode, ENABLE_PROCESSED_INPUT);
    {
        struct termios t;

        CU_ASSERT_EQUAL(tcgetattr(master, &t), 0);
        CU_ASSERT_FALSE(t.c_lflag & (ICANON | ECHO));
        CU_ASSERT_TRUE(t.c_lflag & ISIG);
    }
    CU_ASSERT_TRUE(GetConsoleMode(out, &mode));
    CU_ASSERT_TRUE(mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    CU_ASSERT_TRUE(SetConsoleMode(out, mode & ~(DWORD)ENABLE_PROCESSED_OUTPUT));
    CU_ASSERT_TRUE(GetConsoleMode(out, &mode));
    CU_ASSERT_FALSE(mode & ENABLE_PROCESSED_OUTPUT);
    CHECK_FAIL(SetConsoleMode(out, 0x100), FALSE, ERROR_INVALID_PARAMETER);
    CloseHandle(in);
    CloseHandle(out);
    close(master);
}

/* Child: sets the console title (its standard output is a terminal). */
static int role_set_title(int argc, char **argv)
{
    (void)argc, (void)argv;
    return SetConsoleTitleA("wt title") ? 0 : 1;
}

/* SetConsoleTitle on a terminal sends the whole OSC sequence, BEL included. */
static void test_title_escape(void)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    STARTUPINFOA si = {0};
    PROCESS_INFORMATION pi;
    const char want[] = "\033]0;wt title\007";
    char got[256] = "";
    size_t len = 0;
    HANDLE out;
    int master;

    if (skipped_on_portable("it starts a child with CreateProcess"))
        return;
    master = posix_openpt(O_RDWR | O_NOCTTY);
    CU_ASSERT_FATAL(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
    out = CreateFileA(ptsname(master), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                      OPEN_EXISTING, 0, NULL);
    CU_ASSERT_FATAL(out != INVALID_HANDLE_VALUE);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = si.hStdError = out;
    CU_ASSERT_TRUE_FATAL(start("set-title", NULL, TRUE, 0, NULL, &si, &pi));
    CU_ASSERT_EQUAL(finish(&pi), 0);
    CloseHandle(out);
    /* Everything the child wrote is in the terminal's buffer now. */
    fcntl(master, F_SETFL, O_NONBLOCK);
    for (ssize_t n;
         len < sizeof got - 1 && (n = read(master, got + len, sizeof got - 1 - len)) > 0;)
        len += (size_t)n;
    got[len] = '\0';
    CU_ASSERT_PTR_NOT_NULL(strstr(got, want));
    close(master);
}
#endif

CU_TestInfo test_environ_tests[] = {
    {"get_set", test_get_set},
    {"wide", test_wide},
    {"strings", test_strings},
    {"expand", test_expand},
    {"threads", test_threads},
    {"startup_info", test_startup_info},
    {"startup_defaults", test_startup_defaults},
    {"ctrl_arguments", test_ctrl_arguments},
    {"ctrl_handler", test_ctrl_handler},
    {"ctrl_default_action", test_ctrl_default_action},
    {"ctrl_c_event", test_ctrl_c_event},
#ifndef _WIN32
    {"sigint", test_sigint},
    {"sigint_default", test_sigint_default},
    {"fork_ctrl", test_fork_ctrl},
    {"ignore_ctrl_c", test_ignore_ctrl_c},
    {"console_mode_tty", test_console_mode_tty},
    {"title_escape", test_title_escape},
#endif
    {"console_calls", test_console_calls},
    CU_TEST_INFO_NULL,
};

const struct test_role test_environ_roles[] = {
    {"startup-info", role_startup_info},
    {"startup-title", role_startup_title},
    {"ctrl-event", role_ctrl_event},
#ifndef _WIN32
    {"sigint", role_sigint},
    {"fork-ctrl", role_fork_ctrl},
    {"ready-wait", role_ready_wait},
    {"ignore-c", role_ignore_c},
    {"set-title", role_set_title},
#endif
    {NULL, NULL},
};
