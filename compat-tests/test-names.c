/*
 * test-names.c - object names: spellings, namespaces, limits, one namespace for all kinds.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#ifndef _WIN32
#include <sys/stat.h>
#endif
#include <string.h>
#include <wchar.h>

/* Creates a 4 KiB section named `name` and writes `tag` at its start. */
static HANDLE make(const char *name, const char *tag)
{
    HANDLE h = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, name);
    char *v = h ? MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0) : NULL;

    if (v) {
        strcpy(v, tag);
        UnmapViewOfFile(v);
    }
    return h;
}

/* What a section opened by `name` (A spelling) holds at its start, or "" if none. */
static const char *read_a(const char *name)
{
    static char buf[64];
    HANDLE h = OpenFileMappingA(FILE_MAP_READ, FALSE, name);
    char *v = h ? MapViewOfFile(h, FILE_MAP_READ, 0, 0, 0) : NULL;

    buf[0] = '\0';
    if (v) {
        snprintf(buf, sizeof buf, "%s", v);
        UnmapViewOfFile(v);
    }
    if (h)
        CloseHandle(h);
    return buf;
}

static void widen(const char *s, WCHAR *out, size_t n)
{
    size_t i;

    for (i = 0; s[i] && i + 1 < n; i++)
        out[i] = (WCHAR)(unsigned char)s[i];
    out[i] = 0;
}

static void test_a_and_w_spellings(void)
{
    const char *name = test_name("spell");
    WCHAR wname[128];
    HANDLE a = make(name, "from A"), w;
    char *v;

    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    widen(name, wname, 128);
    w = OpenFileMappingW(FILE_MAP_READ, FALSE, wname);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    v = MapViewOfFile(w, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_STRING_EQUAL(v, "from A");
    UnmapViewOfFile(v);
    /* Creating through W finds the A object too. */
    SetLastError(0);
    CloseHandle(w);
    w = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, wname);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_ALREADY_EXISTS);
    CloseHandle(w);
    CloseHandle(a);
}

static void test_non_ascii_names(void)
{
    /* U+00E9 and U+1F600: UTF-8 in the A spelling, wide in the W spelling. */
    char name[128];
    WCHAR wname[128];
    size_t n;
    HANDLE a, w;

#ifdef _WIN32
    /* A names are in the ANSI code page there; they are UTF-8 only when it is. */
    if (GetACP() != 65001)
        return;
#endif
    snprintf(name, sizeof name, "%sutf8-\xC3\xA9-\xF0\x9F\x98\x80", test_name_prefix());
    n = strlen(test_name_prefix());
    widen(test_name_prefix(), wname, 128);
    wcscpy(wname + n, L"utf8-");
    wname[n + 5] = 0xE9;
    wname[n + 6] = L'-';
    if (sizeof(WCHAR) == 2) { /* UTF-16 surrogates on Windows */
        wname[n + 7] = 0xD83D;
        wname[n + 8] = 0xDE00;
        wname[n + 9] = 0;
    } else {
        wname[n + 7] = (WCHAR)0x1F600;
        wname[n + 8] = 0;
    }
    a = make(name, "unicode");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    w = OpenFileMappingW(FILE_MAP_READ, FALSE, wname);
    CU_ASSERT_PTR_NOT_NULL(w);
    CloseHandle(w);
    CloseHandle(a);
}

static void test_case_sensitive(void)
{
    char upper[128];
    const char *lower = test_name("case");
    HANDLE a = make(lower, "lower"), b;

    snprintf(upper, sizeof upper, "%s", lower);
    for (char *p = upper; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    SetLastError(0xDEADu);
    b = make(upper, "upper");
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS); /* a new object */
    CU_ASSERT_STRING_EQUAL(read_a(lower), "lower");
    CU_ASSERT_STRING_EQUAL(read_a(upper), "upper");
    CloseHandle(a);
    CloseHandle(b);
}

static void test_namespaces(void)
{
    const char *name = test_name("ns");
    char local[160], global[160];
    HANDLE plain = make(name, "plain"), g;

    snprintf(local, sizeof local, "Local\\%s", name);
    snprintf(global, sizeof global, "Global\\%s", name);
    CU_ASSERT_STRING_EQUAL(read_a(local), "plain"); /* Local\x is x */
    CHECK_FAIL(OpenFileMappingA(FILE_MAP_READ, FALSE, global), NULL, ERROR_FILE_NOT_FOUND);
    SetLastError(0xDEADu);
    g = make(global, "global");
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    CU_ASSERT_STRING_EQUAL(read_a(global), "global");
    CU_ASSERT_STRING_EQUAL(read_a(name), "plain");
    CloseHandle(g);
    CloseHandle(plain);
}

static void test_bad_paths(void)
{
    char name[160];

    snprintf(name, sizeof name, "%sa\\b", test_name_prefix());
    CHECK_FAIL(make(name, ""), NULL, ERROR_PATH_NOT_FOUND);
    snprintf(name, sizeof name, "Global\\%sa\\b", test_name_prefix());
    CHECK_FAIL(make(name, ""), NULL, ERROR_PATH_NOT_FOUND);
    /* The namespace prefixes are case-sensitive: "local\" is just a bad path. */
    snprintf(name, sizeof name, "local\\%s", test_name_prefix());
    CHECK_FAIL(make(name, ""), NULL, ERROR_PATH_NOT_FOUND);
    CHECK_FAIL(make("Local\\", ""), NULL, ERROR_INVALID_NAME);
    CHECK_FAIL(make("Global\\", ""), NULL, ERROR_INVALID_NAME);
    CHECK_FAIL(OpenFileMappingA(FILE_MAP_READ, FALSE, "Local\\"), NULL, ERROR_INVALID_NAME);
}

static void test_slash_is_ordinary(void)
{
    char slash[160], escaped[160];
    HANDLE a, b;

    /* '/' is an ordinary character, and no escaped spelling may collide with it. */
    snprintf(slash, sizeof slash, "%sdir/file", test_name_prefix());
    snprintf(escaped, sizeof escaped, "%sdir%%2Ffile", test_name_prefix());
    a = make(slash, "slash");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    SetLastError(0xDEADu);
    b = make(escaped, "percent");
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    CU_ASSERT_STRING_EQUAL(read_a(slash), "slash");
    CU_ASSERT_STRING_EQUAL(read_a(escaped), "percent");
    CloseHandle(a);
    CloseHandle(b);
}

static void test_length_limits(void)
{
    char name[400];
    WCHAR wname[600];
    size_t n = strlen(test_name_prefix());
    HANDLE h, h2;

    /* A names pass through a buffer of MAX_PATH characters and a NUL (the thread's
       static Unicode string, on NT): 260 characters work, 261 do not. */
    memset(name, 'a', sizeof name);
    memcpy(name, test_name_prefix(), n);
    name[MAX_PATH + 1] = '\0';
    CHECK_FAIL(make(name, ""), NULL, ERROR_FILENAME_EXCED_RANGE);
    name[MAX_PATH] = '\0';
    if (skipped_on_wine("an A name of 260 characters (Wine's buffer holds 259)"))
        name[MAX_PATH - 1] = '\0';
    h = make(name, "long"); /* longer than NAME_MAX allows once escaped: hashed */
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_STRING_EQUAL(read_a(name), "long");

    /* W names may be far longer; two that differ only at the end stay apart. */
    for (size_t i = 0; i < 599; i++)
        wname[i] = i < n ? (WCHAR)test_name_prefix()[i] : L'w';
    wname[599] = 0;
    SetLastError(0xDEADu);
    h2 = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, wname);
    CU_ASSERT_PTR_NOT_NULL(h2);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    wname[598] = L'x';
    CHECK_FAIL(OpenFileMappingW(FILE_MAP_READ, FALSE, wname), NULL, ERROR_FILE_NOT_FOUND);
    CloseHandle(h2);
    CloseHandle(h);
}

static void test_empty_name_is_unnamed(void)
{
    HANDLE a, b;
    char *va, *vb;

    SetLastError(0xDEADu);
    a = make("", "first");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    b = make("", "second");
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    va = MapViewOfFile(a, FILE_MAP_READ, 0, 0, 0);
    vb = MapViewOfFile(b, FILE_MAP_READ, 0, 0, 0);
    CU_ASSERT_STRING_EQUAL(va, "first");
    CU_ASSERT_STRING_EQUAL(vb, "second");
    UnmapViewOfFile(va);
    UnmapViewOfFile(vb);
    CloseHandle(a);
    CloseHandle(b);
}

static void test_global_permissions(void)
{
#ifndef _WIN32
    /* Global\ objects are private to their user unless created with a NULL DACL. */
    SECURITY_DESCRIPTOR sd;
    SECURITY_ATTRIBUTES sa = {sizeof sa, &sd, FALSE};
    char open_name[160], private_name[160], path[300];
    const char *base = test_name("perm");
    struct stat st;
    HANDLE a, b;

    CU_ASSERT_TRUE(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
    CU_ASSERT_TRUE(SetSecurityDescriptorDacl(&sd, TRUE, NULL, FALSE));
    snprintf(open_name, sizeof open_name, "Global\\%s-open", base);
    snprintf(private_name, sizeof private_name, "Global\\%s-private", base);
    a = CreateFileMappingA(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE, 0, 4096, open_name);
    b = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, private_name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    snprintf(open_name, sizeof open_name, "%s-open", base);
    test_global_path(path, sizeof path, open_name);
    CU_ASSERT_TRUE(stat(path, &st) == 0 && (st.st_mode & 0777) == 0666);
    snprintf(private_name, sizeof private_name, "%s-private", base);
    test_global_path(path, sizeof path, private_name);
    CU_ASSERT_TRUE(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    CloseHandle(a);
    CloseHandle(b);
#endif
}

static void test_one_namespace(void)
{
    const char *section = test_name("kind-sec"), *mutex = test_name("kind-mtx");
    HANDLE s = make(section, ""), m = CreateMutexA(NULL, FALSE, mutex);
    HANDLE e = CreateEventA(NULL, FALSE, FALSE, test_name("kind-evt"));

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CHECK_FAIL(CreateMutexA(NULL, FALSE, section), NULL, ERROR_INVALID_HANDLE);
    CHECK_FAIL(OpenMutexA(SYNCHRONIZE, FALSE, section), NULL, ERROR_INVALID_HANDLE);
    CHECK_FAIL(CreateEventA(NULL, FALSE, FALSE, section), NULL, ERROR_INVALID_HANDLE);
    CHECK_FAIL(CreateSemaphoreA(NULL, 0, 1, section), NULL, ERROR_INVALID_HANDLE);
    CHECK_FAIL(make(mutex, ""), NULL, ERROR_INVALID_HANDLE);
    CHECK_FAIL(OpenFileMappingA(FILE_MAP_READ, FALSE, mutex), NULL, ERROR_INVALID_HANDLE);
    CHECK_FAIL(OpenEventA(SYNCHRONIZE, FALSE, mutex), NULL, ERROR_INVALID_HANDLE);
    CHECK_FAIL(OpenSemaphoreA(SYNCHRONIZE, FALSE, mutex), NULL, ERROR_INVALID_HANDLE);
    CloseHandle(e);
    CloseHandle(m);
    CloseHandle(s);
}

CU_TestInfo test_names_tests[] = {
    {"A and W spellings reach the same object", test_a_and_w_spellings},
    {"non-ASCII names: UTF-8 A and wide W agree", test_non_ascii_names},
    {"names are case-sensitive", test_case_sensitive},
    {"Local\\x is x; Global\\x is separate", test_namespaces},
    {"backslashes and bare prefixes", test_bad_paths},
    {"'/' is an ordinary character", test_slash_is_ordinary},
    {"MAX_PATH for A names; long W names hashed apart", test_length_limits},
    {"an empty name creates an unnamed object", test_empty_name_is_unnamed},
    {"one namespace for every kind: ERROR_INVALID_HANDLE", test_one_namespace},
    {"Global\\ objects: 0600, or 0666 with a NULL DACL (Linux)", test_global_permissions},
    CU_TEST_INFO_NULL,
};

const struct test_role test_names_roles[] = {{NULL, NULL}};
