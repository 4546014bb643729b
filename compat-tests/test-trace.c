/*
 * test-trace.c - WINIPC_TRACE (Linux): a helper runs with tracing on and the trace
 * file says what it called, with what, what came back and which error, in the helper's
 * thread; the areas select what is logged; without WINIPC_TRACE nothing is.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Helper: an open of a missing name (fails), then an event made, set and closed. */
static int role_trace_calls(int argc, char **argv)
{
    HANDLE e;

    if (argc < 2)
        return 10;
    if (OpenEventA(SYNCHRONIZE, FALSE, argv[0]) != NULL || GetLastError() != ERROR_FILE_NOT_FOUND)
        return 11;
    e = CreateEventW(NULL, TRUE, FALSE, L"");
    if (!e || !SetEvent(e) || WaitForSingleObject(e, 0) != WAIT_OBJECT_0 || !CloseHandle(e))
        return 12;
    if (MapViewOfFile(NULL, FILE_MAP_READ, 0, 0, 0) != NULL) /* fails: ERROR_INVALID_HANDLE */
        return 13;
    return 0;
}

/* Runs the helper with WINIPC_TRACE=`areas` (NULL: unset) into `file`; its pid. */
static pid_t run_traced(const char *areas, const char *file, const char *missing)
{
    struct child *c;
    pid_t pid;

    if (areas)
        setenv("WINIPC_TRACE", areas, 1);
    setenv("WINIPC_TRACE_FILE", file, 1);
    unlink(file);
    c = child_spawn("trace-calls", missing, "x");
    unsetenv("WINIPC_TRACE");
    unsetenv("WINIPC_TRACE_FILE");
    if (!c)
        return 0;
    pid = child_pid(c);
    CU_ASSERT_EQUAL(child_wait(c, CHILD_LIMIT_MS), 0);
    return pid;
}

/* The trace file's text (static buffer), "" if there is none. */
static const char *read_trace(const char *file)
{
    static char text[1 << 16];
    FILE *f = fopen(file, "r");
    size_t n = 0;

    text[0] = '\0';
    if (f) {
        n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
    }
    text[n] = '\0';
    return text;
}

/* The line of `text` that has `needle`, or NULL (static buffer). */
static const char *line_with(const char *text, const char *needle)
{
    static char line[4096];
    const char *p = strstr(text, needle), *start, *end;

    if (!p)
        return NULL;
    for (start = p; start > text && start[-1] != '\n'; start--)
        ;
    end = strchr(p, '\n');
    if (!end)
        end = p + strlen(p);
    snprintf(line, sizeof line, "%.*s", (int)(end - start), start);
    return line;
}

static void test_trace_lines(void)
{
    char file[256], missing[128], call[256], who[64];
    const char *text, *line;
    pid_t pid;

    snprintf(file, sizeof file, "/tmp/%s.trace", test_name("trace"));
    snprintf(missing, sizeof missing, "%s", test_name("missing"));
    pid = run_traced("1", file, missing);
    CU_ASSERT_FATAL(pid > 0);
    text = read_trace(file);

    /* The failing open: arguments, NULL, FAILED and the error's name. */
    snprintf(call, sizeof call, "OpenEventA(0x100000, FALSE, \"%s\") = NULL FAILED", missing);
    line = line_with(text, call);
    CU_ASSERT_PTR_NOT_NULL(line);
    if (line) {
        CU_ASSERT_PTR_NOT_NULL(strstr(line, "[ERROR_FILE_NOT_FOUND (2)]"));
        snprintf(who, sizeof who, "[winipc %d:%d ", (int)pid, (int)pid); /* main thread */
        CU_ASSERT_PTR_NOT_NULL(strstr(line, who));
    } else {
        printf("\n    trace:\n%s\n", text);
    }
    /* The other calls, in order, with their results. */
    CU_ASSERT_PTR_NOT_NULL(line_with(text, "CreateEventW(NULL, TRUE, FALSE, L\"\") = 0x"));
    CU_ASSERT_PTR_NOT_NULL(line_with(text, ") = TRUE [ERROR_SUCCESS (0)]"));
    CU_ASSERT_PTR_NOT_NULL(line_with(text, ", 0) = WAIT_OBJECT_0 "));
    CU_ASSERT_PTR_NOT_NULL(line_with(
        text, "MapViewOfFile(NULL, 0x4, 0, 0, 0) = NULL FAILED [ERROR_INVALID_HANDLE (6)]"));
    CU_ASSERT_PTR_NOT_NULL(line_with(text, "GetLastError() = ERROR_FILE_NOT_FOUND (2)"));
    CU_ASSERT_TRUE(strstr(text, "OpenEventA") < strstr(text, "CreateEventW") &&
                   strstr(text, "CreateEventW") < strstr(text, "CloseHandle"));

    /* Areas: only the file mapping calls. */
    run_traced("map", file, missing);
    text = read_trace(file);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "MapViewOfFile("));
    CU_ASSERT_PTR_NULL(strstr(text, "OpenEventA("));
    CU_ASSERT_PTR_NULL(strstr(text, "CloseHandle("));

    /* Off: no file at all. */
    run_traced(NULL, file, missing);
    CU_ASSERT_NOT_EQUAL(access(file, F_OK), 0);
    run_traced("0", file, missing);
    CU_ASSERT_NOT_EQUAL(access(file, F_OK), 0);
    unlink(file);
}

CU_TestInfo test_trace_tests[] = {
    {"WINIPC_TRACE logs calls, arguments, results and error names; areas; off", test_trace_lines},
    CU_TEST_INFO_NULL,
};

const struct test_role test_trace_roles[] = {
    {"trace-calls", role_trace_calls},
    {NULL, NULL},
};
