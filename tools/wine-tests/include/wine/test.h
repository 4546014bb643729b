/*
 * wine/test.h - winipc's own stand-in for the harness header that Wine's conformance
 * tests include (the tests are fetched from Debian at test time; this file is ours).
 *
 * It keeps the harness's names and meanings, with one change of policy: Windows is
 * the reference, so a check marked todo_wine (Wine fails it) is an ordinary check
 * here, and broken() -- the escape for old or odd Windows versions -- is false, as
 * under Wine. Checks inside todo_wine are also counted apart, to show where winipc
 * does what Wine does not. The runtime and main are in winetest.c.
 */
#ifndef WINIPC_WINETEST_H
#define WINIPC_WINETEST_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "winipc-wine.h"

extern int winetest_debug;
extern int winetest_interactive;
extern const char *winetest_platform; /* "windows": the tests take Windows' paths */

void winetest_set_location(const char *file, int line);
void winetest_ok(int condition, const char *msg, ...);
int winetest_vok(int condition, const char *msg, va_list ap);
void winetest_skip(const char *msg, ...);
void winetest_win_skip(const char *msg, ...);
void winetest_trace(const char *msg, ...);
void winetest_push_context(const char *fmt, ...);
void winetest_pop_context(void);
void winetest_start_todo(int is_todo);
int winetest_loop_todo(void);
void winetest_end_todo(void);
int winetest_get_mainargs(char ***pargv);
LONG winetest_get_failures(void);
void winetest_add_failures(LONG n);
void winetest_wait_child_process(HANDLE process);
void winetest_subtest(const char *name);
void winetest_ignore_exceptions(BOOL ignore);
int broken(int condition);

#define ok_(file, line) (winetest_set_location(file, line), winetest_ok)
#define skip_(file, line) (winetest_set_location(file, line), winetest_skip)
#define win_skip_(file, line) (winetest_set_location(file, line), winetest_win_skip)
#define trace_(file, line) (winetest_set_location(file, line), winetest_trace)
#define subtest_(file, line) (winetest_set_location(file, line), winetest_subtest)
#define ignore_exceptions_(file, line) \
    (winetest_set_location(file, line), winetest_ignore_exceptions)
#define wait_child_process_(file, line) \
    (winetest_set_location(file, line), winetest_wait_child_process)
#define ok ok_(__FILE__, __LINE__)
#define skip skip_(__FILE__, __LINE__)
#define win_skip win_skip_(__FILE__, __LINE__)
#define trace trace_(__FILE__, __LINE__)
#define subtest subtest_(__FILE__, __LINE__)
#define ignore_exceptions ignore_exceptions_(__FILE__, __LINE__)
#define wait_child_process wait_child_process_(__FILE__, __LINE__)

/* A todo block runs once; its checks count as ordinary ones and as "todo" ones. */
#define todo_if(is_todo) \
    for (winetest_start_todo(is_todo); winetest_loop_todo(); winetest_end_todo())
#define todo_wine todo_if(1)
#define todo_wine_if(is_todo) todo_if(is_todo)
#define flaky_if(is_flaky) \
    for (int winetest_once_ = ((void)(is_flaky), 1); winetest_once_; winetest_once_ = 0)
#define flaky flaky_if(1)
#define flaky_wine flaky_if(1)
#define flaky_wine_if(is_flaky) flaky_if(is_flaky)

/* The test file's entry point is replaced by a table (see extract.py). */
#define START_TEST(name) static void winetest_unused_start_##name(void)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#endif

/* Debug strings, from a small ring of buffers as Wine's are. */
const char *wine_dbgstr_an(const char *s, int n);
const char *wine_dbgstr_wn(const WCHAR *s, int n);
const char *wine_dbgstr_longlong(ULONGLONG v);
const char *wine_dbg_sprintf(const char *fmt, ...);
static inline const char *wine_dbgstr_a(const char *s)
{
    return wine_dbgstr_an(s, -1);
}
static inline const char *wine_dbgstr_w(const WCHAR *s)
{
    return wine_dbgstr_wn(s, -1);
}
static inline const char *debugstr_a(const char *s)
{
    return wine_dbgstr_an(s, -1);
}
static inline const char *debugstr_w(const WCHAR *s)
{
    return wine_dbgstr_wn(s, -1);
}

#endif
