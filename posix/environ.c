/*
 * environ.c - the process environment as Win32 shows it: GetEnvironmentVariable,
 * SetEnvironmentVariable, GetEnvironmentStrings, ExpandEnvironmentStrings.
 *
 * The variables are the C library's environ, so getenv, setenv and the children of
 * posix_spawn see what these calls set, and these calls see what the program's own
 * setenv set. A and W values are the same UTF-8 bytes (the A code page is UTF-8).
 *
 * NAMES. Windows compares variable names without regard to case; Linux's environ is
 * case-sensitive and may hold both "Path" and "PATH". A name is looked up exactly
 * first, then without regard to ASCII case (the first such variable in environ
 * order). Setting a variable that exists under another case keeps the spelling
 * already there ("path" sets PATH), so the Linux programs this process starts still
 * find theirs; deleting removes every case variant, so the name is then absent as
 * Windows would have it.
 *
 * LOCKING. setenv and getenv race in glibc (a reader can see environ mid-update), so
 * every call here, and spawn.c when it copies environ for a child, holds env_lock.
 * getenv from other code (the C runtime, other libraries) is not covered: as with any
 * Linux program, a thread that sets the environment while another reads it by getenv
 * is the program's own race.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static pthread_mutex_t env_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t env_once = PTHREAD_ONCE_INIT;

static void env_lock_for_fork(void)
{
    pthread_mutex_lock(&env_lock);
}

static void env_unlock_after_fork(void)
{
    pthread_mutex_unlock(&env_lock);
}

/* A fork() child must find env_lock free, whatever the parent's threads did. */
static void env_init(void)
{
    pthread_atfork(env_lock_for_fork, env_unlock_after_fork, env_unlock_after_fork);
}

void winipc__env_lock(void)
{
    pthread_once(&env_once, env_init);
    pthread_mutex_lock(&env_lock);
}

void winipc__env_unlock(void)
{
    pthread_mutex_unlock(&env_lock);
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Whether entry ("NAME=value") has the name (n bytes), exactly or without ASCII case. */
static bool entry_is(const char *entry, const char *name, size_t n, bool exact)
{
    if (exact)
        return strncmp(entry, name, n) == 0 && entry[n] == '=';
    for (size_t i = 0; i < n; i++)
        if (!entry[i] || lower((unsigned char)entry[i]) != lower((unsigned char)name[i]))
            return false;
    return entry[n] == '=';
}

/* The environ entry of name: the exact spelling first, then another case; env_lock held. */
static const char *find_entry(const char *name)
{
    size_t n = strlen(name);

    for (int exact = 1; exact >= 0; exact--)
        for (char **e = environ; e && *e; e++)
            if (entry_is(*e, name, n, exact))
                return *e;
    return NULL;
}

/* The value of name, malloc'ed, or NULL (errno ENOENT when absent, ENOMEM). */
static char *get_value(const char *name)
{
    const char *entry;
    char *value = NULL;

    errno = ENOENT;
    if (!*name || strchr(name, '='))
        return NULL;
    winipc__env_lock();
    entry = find_entry(name);
    if (entry && !(value = strdup(entry + strlen(name) + 1)))
        errno = ENOMEM;
    winipc__env_unlock();
    return value;
}

/*
 * Sets name to value, or deletes it (value NULL), case rules as above. Returns 0 or a
 * Win32 error.
 * Differs from Windows: a name beginning with '=' (cmd.exe's per-drive directories,
 * "=C:") is refused with ERROR_INVALID_PARAMETER like any name holding '=': the
 * Linux environment cannot carry it.
 */
static DWORD set_value(const char *name, const char *value)
{
    DWORD err = 0;

    if (!*name || strchr(name, '='))
        return ERROR_INVALID_PARAMETER;
    winipc__env_lock();
    if (value) {
        const char *entry = find_entry(name);
        char *spelling = entry ? strndup(entry, strlen(name)) : NULL;

        if (entry && !spelling)
            err = ERROR_NOT_ENOUGH_MEMORY;
        else if (setenv(spelling ? spelling : name, value, 1) != 0)
            err = winipc__error_from_errno(errno);
        free(spelling);
    } else {
        const char *entry;

        while (!err && (entry = find_entry(name))) {
            char *spelling = strndup(entry, strlen(name));

            if (!spelling || unsetenv(spelling) != 0)
                err = spelling ? winipc__error_from_errno(errno) : ERROR_NOT_ENOUGH_MEMORY;
            free(spelling);
        }
    }
    winipc__env_unlock();
    return err;
}

/* The wide string of a UTF-8 one, malloc'ed (MultiByteToWideChar's conversion); its
   length without the terminator in *len. NULL on ENOMEM. */
WCHAR *winipc__w_from_utf8_n(const char *s, size_t *len)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    WCHAR *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;

    if (w)
        MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
    if (len)
        *len = w ? (size_t)n - 1 : 0;
    return w;
}

/*
 * Windows' return rules: the length without the terminator when the value fits,
 * else the size the buffer needs with it (buffer untouched); 0 and
 * ERROR_ENVVAR_NOT_FOUND when the variable is absent. An empty value returns 0 with
 * the last error untouched, as on Windows.
 */
DWORD WINAPI GetEnvironmentVariableA(LPCSTR name, LPSTR buffer, DWORD size)
{
    char *value;
    size_t len;

    if (!name)
        return winipc__fail(0, ERROR_ENVVAR_NOT_FOUND);
    if (winipc__bad_pointer(name) || (size && winipc__bad_pointer(buffer)))
        return winipc__fail(0, ERROR_NOACCESS);
    value = get_value(name);
    if (!value)
        return winipc__fail(0, errno == ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_ENVVAR_NOT_FOUND);
    len = strlen(value);
    if (len >= size || !buffer) {
        free(value);
        return (DWORD)len + 1;
    }
    memcpy(buffer, value, len + 1);
    free(value);
    return (DWORD)len;
}

DWORD WINAPI GetEnvironmentVariableW(LPCWSTR name, LPWSTR buffer, DWORD size)
{
    char *utf8, *value;
    WCHAR *w;
    size_t len;

    if (!name)
        return winipc__fail(0, ERROR_ENVVAR_NOT_FOUND);
    if (winipc__bad_pointer(name) || (size && winipc__bad_pointer(buffer)))
        return winipc__fail(0, ERROR_NOACCESS);
    if (!(utf8 = winipc__utf8_from_w(name)))
        return winipc__fail(0, ERROR_NOT_ENOUGH_MEMORY);
    value = get_value(utf8);
    free(utf8);
    if (!value)
        return winipc__fail(0, errno == ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_ENVVAR_NOT_FOUND);
    w = winipc__w_from_utf8_n(value, &len);
    free(value);
    if (!w)
        return winipc__fail(0, ERROR_NOT_ENOUGH_MEMORY);
    if (len >= size || !buffer) {
        free(w);
        return (DWORD)len + 1;
    }
    memcpy(buffer, w, (len + 1) * sizeof *w);
    free(w);
    return (DWORD)len;
}

/* A NULL value deletes the variable (deleting an absent one succeeds, as on Windows). */
BOOL WINAPI SetEnvironmentVariableA(LPCSTR name, LPCSTR value)
{
    DWORD err;

    if (!name)
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    if (winipc__bad_pointer(name) || winipc__bad_pointer(value))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    err = set_value(name, value);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

BOOL WINAPI SetEnvironmentVariableW(LPCWSTR name, LPCWSTR value)
{
    char *n, *v = NULL;
    DWORD err;

    if (!name)
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    if (winipc__bad_pointer(name) || winipc__bad_pointer(value))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    n = winipc__utf8_from_w(name);
    if (value)
        v = winipc__utf8_from_w(value);
    err = !n || (value && !v) ? ERROR_NOT_ENOUGH_MEMORY : set_value(n, v);
    free(n);
    free(v);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

/* The block "A=1\0B=2\0\0" of environ, malloc'ed (FreeEnvironmentStrings frees it). */
static char *block(size_t *size)
{
    size_t n = 2;
    char *b, *p;

    winipc__env_lock();
    for (char **e = environ; e && *e; e++)
        n += strlen(*e) + 1;
    b = p = calloc(1, n);
    if (b)
        for (char **e = environ; e && *e; e++)
            p = stpcpy(p, *e) + 1;
    winipc__env_unlock();
    if (size)
        *size = n;
    return b;
}

LPSTR WINAPI GetEnvironmentStringsA(void)
{
    char *b = block(NULL);

    return b ? b : winipc__fail(NULL, ERROR_NOT_ENOUGH_MEMORY);
}

LPWSTR WINAPI GetEnvironmentStringsW(void)
{
    size_t size;
    char *b = block(&size);
    int n = b ? MultiByteToWideChar(CP_UTF8, 0, b, (int)size, NULL, 0) : 0;
    WCHAR *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;

    if (w)
        MultiByteToWideChar(CP_UTF8, 0, b, (int)size, w, n);
    free(b);
    return w ? w : winipc__fail(NULL, ERROR_NOT_ENOUGH_MEMORY);
}

BOOL WINAPI FreeEnvironmentStringsA(LPSTR env)
{
    free(env);
    return TRUE;
}

BOOL WINAPI FreeEnvironmentStringsW(LPWSTR env)
{
    free(env);
    return TRUE;
}

/* A growing UTF-8 string. */
struct out {
    char *s;
    size_t n, cap;
    bool failed;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->failed)
        return;
    if (o->n + n + 1 > o->cap) {
        size_t cap = (o->n + n + 1) * 2;
        char *grown = realloc(o->s, cap);

        if (!grown) {
            o->failed = true;
            return;
        }
        o->s = grown;
        o->cap = cap;
    }
    memcpy(o->s + o->n, s, n);
    o->n += n;
    o->s[o->n] = '\0';
}

/*
 * src with each %NAME% of a set variable replaced by its value, once (a value's own
 * %...% stay as they are); an unknown name, "%%" and a lone '%' are kept as written,
 * as on Windows. Malloc'ed UTF-8, or NULL on ENOMEM.
 */
static char *expand(const char *src)
{
    struct out o = {0};

    put(&o, "", 0);
    while (*src) {
        const char *pct = strchr(src, '%'), *end;

        if (!pct) {
            put(&o, src, strlen(src));
            break;
        }
        put(&o, src, (size_t)(pct - src));
        end = strchr(pct + 1, '%');
        if (!end) {
            put(&o, pct, strlen(pct));
            break;
        }
        if (end > pct + 1) {
            char *name = strndup(pct + 1, (size_t)(end - pct - 1)), *value;

            value = name ? get_value(name) : NULL;
            free(name);
            if (value) {
                put(&o, value, strlen(value));
                free(value);
                src = end + 1;
                continue;
            }
        }
        /* Not a variable: the first '%' is text, and the second may open a name. */
        put(&o, pct, (size_t)(end - pct));
        src = end;
    }
    if (o.failed) {
        free(o.s);
        return NULL;
    }
    return o.s;
}

/*
 * Returns the size of the expansion with its terminator (in bytes for A, UTF-16 units
 * for W), whether or not it fitted; 0 on failure. A buffer too small is left as it was.
 */
DWORD WINAPI ExpandEnvironmentStringsA(LPCSTR src, LPSTR dst, DWORD size)
{
    char *s;
    size_t len;

    if (winipc__bad_pointer(src) || (size && winipc__bad_pointer(dst)))
        return winipc__fail(0, ERROR_NOACCESS);
    s = expand(src ? src : "");
    if (!s)
        return winipc__fail(0, ERROR_NOT_ENOUGH_MEMORY);
    len = strlen(s);
    if (dst && len < size)
        memcpy(dst, s, len + 1);
    free(s);
    return (DWORD)len + 1;
}

DWORD WINAPI ExpandEnvironmentStringsW(LPCWSTR src, LPWSTR dst, DWORD size)
{
    char *utf8, *s;
    WCHAR *w;
    size_t len;

    if (winipc__bad_pointer(src) || (size && winipc__bad_pointer(dst)))
        return winipc__fail(0, ERROR_NOACCESS);
    utf8 = src ? winipc__utf8_from_w(src) : strdup("");
    s = utf8 ? expand(utf8) : NULL;
    free(utf8);
    w = s ? winipc__w_from_utf8_n(s, &len) : NULL;
    free(s);
    if (!w)
        return winipc__fail(0, ERROR_NOT_ENOUGH_MEMORY);
    if (dst && len < size)
        memcpy(dst, w, (len + 1) * sizeof *w);
    free(w);
    return (DWORD)len + 1;
}
