/*
 * message.c - FormatMessage and the system message table.
 *
 * The table holds Microsoft's English text of every error code in winerror.h (the
 * codes winipc sets), word for word as Windows's own message table has it, so that
 * FormatMessage(FORMAT_MESSAGE_FROM_SYSTEM, ...) prints what it prints on Windows,
 * the trailing "\r\n" included (the line end of the message definition). An id that
 * is not in the table fails with ERROR_MR_MID_NOT_FOUND, as on Windows; an HRESULT of
 * FACILITY_WIN32 finds the text of its Win32 code, as on Windows.
 *
 * The formatter follows FormatMessage's documented rules: inserts %1..%99, each with
 * an optional printf specification between '!' (Microsoft's format rules: %s is
 * narrow in FormatMessageA and wide in FormatMessageW, %ld is 32 bits; '*' takes the
 * width and precision from the following inserts), the escapes %0 (end without a line
 * break), %n (hard line break), %r, %t, %%, %., %!, "% ", FORMAT_MESSAGE_IGNORE_INSERTS
 * (inserts copied as written), FORMAT_MESSAGE_ARGUMENT_ARRAY, and the line width of
 * the low byte (regular line breaks become spaces; lines are broken at spaces;
 * FORMAT_MESSAGE_MAX_WIDTH_MASK breaks no line). Where the documentation is silent
 * (how '*' counts arguments from a va_list) it does what Windows does.
 *
 * Differs from Windows: only English text exists. Language 0, LANG_NEUTRAL and
 * LANG_ENGLISH (any sublanguage) find it; any other language fails with
 * ERROR_MUI_FILE_NOT_FOUND, as on a Windows without that language pack.
 * FORMAT_MESSAGE_FROM_HMODULE finds no message table: Linux executables and
 * libraries have no resource section, so it fails with ERROR_RESOURCE_DATA_NOT_FOUND,
 * or uses the system table when FORMAT_MESSAGE_FROM_SYSTEM is given too, as Windows
 * does for a module without one.
 */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* ---- The system message table --------------------------------------------------------- */

struct message {
    DWORD id;
    const char *text; /* without the "\r\n" that ends every message */
};

/* Sorted by id (checked by the test of every code). */
static const struct message system_messages[] = {
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
    {ERROR_MOD_NOT_FOUND, "The specified module could not be found."},
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
    {ERROR_OPERATION_ABORTED,
     "The I/O operation has been aborted because of either a thread exit or an application "
     "request."},
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

static int by_id(const void *key, const void *elem)
{
    DWORD id = *(const DWORD *)key, other = ((const struct message *)elem)->id;

    return id < other ? -1 : id > other;
}

/* The text of a system message, NULL if there is none. */
static const char *system_message(DWORD id)
{
    const struct message *m;

    /* An HRESULT of FACILITY_WIN32 has the text of its Win32 code. */
    if ((id & 0xFFFF0000u) == (0x80000000u | (FACILITY_WIN32 << 16)))
        id &= 0xFFFF;
    m = bsearch(&id, system_messages, sizeof system_messages / sizeof system_messages[0],
                sizeof system_messages[0], by_id);
    return m ? m->text : NULL;
}

/* ---- Output buffer -------------------------------------------------------------------- */

struct out {
    wchar_t *p;
    size_t len, cap;
    bool nomem;
};

static void put(struct out *o, const wchar_t *s, size_t n)
{
    if (o->nomem)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = (o->len + n + 1) * 2;
        wchar_t *p = realloc(o->p, cap * sizeof *p);

        if (!p) {
            o->nomem = true;
            return;
        }
        o->p = p;
        o->cap = cap;
    }
    wmemcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = 0;
}

/* Appends the Microsoft-semantics formatting of fmt. */
static bool put_formatted(struct out *o, const wchar_t *fmt, ...)
{
    wchar_t *s;
    size_t n;
    va_list ap;
    bool ok;

    va_start(ap, fmt);
    ok = winipc__wformat(fmt, ap, &s, &n);
    va_end(ap);
    if (!ok)
        return false;
    put(o, s, n);
    free(s);
    return true;
}

/* ---- Arguments ---------------------------------------------------------------------- */

struct args {
    const DWORD_PTR *array; /* FORMAT_MESSAGE_ARGUMENT_ARRAY */
    va_list *list;          /* otherwise; NULL: no arguments */
    DWORD_PTR fetched[100]; /* values taken from the va_list so far, by insert number */
    int last;               /* inserts fetched (va_list) or used (array) so far */
};

/* Insert n (1-based) of a va_list, taking values in order up to it. */
static DWORD_PTR list_arg(struct args *a, int n)
{
    while (a->last < n && a->last < 99)
        a->fetched[a->last++] = va_arg(*a->list, DWORD_PTR);
    return a->fetched[(n > 99 ? 99 : n) - 1];
}

/*
 * The printf arguments of insert n whose specification has `stars` '*': the values
 * in the order the specification consumes them (width, precision, value).
 * With a va_list, the stars take insert n and the ones after it and the value the
 * next argument of the list; with an array, the first printf argument is insert n
 * and the others follow the highest insert used so far. (Windows's own counting,
 * which its documentation describes only for the simple case.)
 */
static void insert_args(struct args *a, int n, int stars, DWORD_PTR out[3])
{
    int k = 0;

    if (a->list) {
        if (n > 1)
            list_arg(a, n - 1);
        for (int i = 0; i < stars; i++)
            out[k++] = list_arg(a, i == 0 ? n : a->last + 1);
        if (stars) {
            /* The value is the next argument; it takes the last star's number. */
            out[k++] = va_arg(*a->list, DWORD_PTR);
            a->fetched[a->last - 1] = out[k - 1];
        } else {
            out[k++] = list_arg(a, n);
        }
        return;
    }
    out[k++] = a->array[n - 1];
    if (a->last < n)
        a->last = n;
    for (int i = 0; i < stars; i++)
        out[k++] = a->array[a->last++];
}

/* ---- Inserts ------------------------------------------------------------------------- */

/*
 * Formats insert n with the specification spec[0..len) (the text between the '!'s, or
 * NULL for the default, a string) and appends it. `ansi`: FormatMessageA, where s and
 * c name narrow arguments. Returns 0 or a Win32 error.
 */
static DWORD format_insert(struct out *o, int n, const wchar_t *spec, size_t len, bool ansi,
                           struct args *a)
{
    wchar_t fmt[48];
    DWORD_PTR v[3];
    size_t f = 0, i = 0;
    int stars = 0, used = 0, size = 32;
    wchar_t conv;

    if (!spec) /* a plain string of the function's width (A: swapped to S below) */
        spec = L"s", len = 1;
    if (len == 0 || len > 32)
        return ERROR_INVALID_PARAMETER;
    for (size_t j = 0; j < len; j++)
        stars += spec[j] == L'*';
    if (stars > 2)
        return ERROR_INVALID_PARAMETER;
    insert_args(a, n, stars, v);

    fmt[f++] = L'%';
    /* Flags, width and precision, with each '*' replaced by its argument. */
    while (i < len && wcschr(L"0123456789 +-#.*", spec[i])) {
        if (spec[i] == L'*') {
            int value = (int)(LONG)v[used++];
            bool precision = f > 0 && fmt[f - 1] == L'.';

            if (precision && value < 0)
                f--; /* a negative precision is none */
            else
                f += (size_t)swprintf(fmt + f, 12, L"%d", value);
        } else {
            fmt[f++] = spec[i];
        }
        i++;
    }
    /* In FormatMessageA a plain s or c names a narrow argument, S or C a wide one. */
    if (i < len && ansi && wcschr(L"sScC", spec[i]))
        fmt[f++] = spec[i] ^ (L's' - L'S'), i++;
    while (i < len) {
        if (spec[i] == L'I' && i + 2 < len && spec[i + 1] == L'6' && spec[i + 2] == L'4')
            size = 64;
        else if (spec[i] == L'I' && !(i + 2 < len && spec[i + 1] == L'3'))
            size = 64; /* I alone: pointer-sized */
        else if (spec[i] == L'l' && i + 1 < len && spec[i + 1] == L'l')
            size = 64;
        else if (wcschr(L"zjt", spec[i]))
            size = 64;
        fmt[f++] = spec[i++];
    }
    fmt[f] = 0;
    conv = fmt[f - 1];
    switch (conv) {
    case L's':
    case L'S':
    case L'Z':
    case L'p':
        return put_formatted(o, fmt, (const void *)v[used]) ? 0 : ERROR_INVALID_PARAMETER;
    case L'c':
    case L'C':
        return put_formatted(o, fmt, (int)v[used]) ? 0 : ERROR_INVALID_PARAMETER;
    case L'd':
    case L'i':
    case L'o':
    case L'u':
    case L'x':
    case L'X':
        if (size == 64)
            return put_formatted(o, fmt, (long long)v[used]) ? 0 : ERROR_INVALID_PARAMETER;
        return put_formatted(o, fmt, (int)(DWORD)v[used]) ? 0 : ERROR_INVALID_PARAMETER;
    case L'e':
    case L'E':
    case L'f':
    case L'g':
    case L'G':
    case L'a':
    case L'A': {
        /* Not supported by FormatMessage ("use StringCchPrintf"): the argument's bits. */
        double d;
        uint64_t bits = v[used];

        memcpy(&d, &bits, sizeof d);
        return put_formatted(o, fmt, d) ? 0 : ERROR_INVALID_PARAMETER;
    }
    default:
        return ERROR_INVALID_PARAMETER;
    }
}

/* ---- The formatter -------------------------------------------------------------------- */

/*
 * Breaks the current line at its last space (or where it is) when it has reached
 * `width` characters: the spaces before the break go, "\r\n" replaces them.
 */
static void wrap(struct out *o, size_t *line, size_t *space, bool *have_space, size_t width)
{
    size_t cut, next;

    if (!width || o->nomem || o->len - *line < width)
        return;
    if (*have_space) {
        cut = *space;
        next = *space + 1;
        while (cut > *line && (o->p[cut - 1] == L' ' || o->p[cut - 1] == L'\t'))
            cut--;
    } else {
        cut = next = o->len;
    }
    {
        size_t tail = o->len - next;
        wchar_t *rest = malloc((tail + 1) * sizeof *rest);

        if (!rest) {
            o->nomem = true;
            return;
        }
        wmemcpy(rest, o->p + next, tail);
        o->len = cut;
        put(o, L"\r\n", 2);
        put(o, rest, tail);
        free(rest);
    }
    *line = cut + 2;
    *have_space = false;
}

/*
 * Formats the message src into o. width: 0 (keep line breaks), 1-254 (wrap), or
 * SIZE_MAX (FORMAT_MESSAGE_MAX_WIDTH_MASK). Returns 0 or a Win32 error.
 */
static DWORD format(struct out *o, const wchar_t *src, size_t width, bool ignore_inserts, bool ansi,
                    struct args *a)
{
    size_t line = 0, space = 0;
    bool have_space = false;
    DWORD err;

    for (; *src; src++) {
        switch (*src) {
        case L'\r':
        case L'\n':
            if (src[0] == L'\r' && src[1] == L'\n')
                src++;
            if (!width) {
                put(o, L"\r\n", 2);
                line = o->len, have_space = false;
                break;
            }
            /* A regular line break is a space when lines have a width. */
            /* fall through */
        case L' ':
            space = o->len, have_space = true;
            put(o, L" ", 1);
            break;
        case L'%':
            src++;
            switch (*src) {
            case 0:
                return ERROR_INVALID_PARAMETER;
            case L'0':
                return o->nomem ? ERROR_NOT_ENOUGH_MEMORY : 0;
            case L'n':
                put(o, L"\r\n", 2);
                line = o->len, have_space = false;
                break;
            case L'r':
                put(o, L"\r", 1);
                line = o->len, have_space = false;
                break;
            case L't':
                put(o, L"\t", 1);
                break;
            default:
                if (*src >= L'1' && *src <= L'9' && !ignore_inserts) {
                    int n = *src - L'0';
                    const wchar_t *spec = NULL, *end;

                    if (src[1] >= L'0' && src[1] <= L'9')
                        n = n * 10 + (*++src - L'0');
                    if (!a->array && !a->list)
                        return ERROR_INVALID_PARAMETER;
                    if (src[1] == L'!') {
                        spec = src + 2;
                        end = wcschr(spec, L'!');
                        if (!end)
                            return ERROR_INVALID_PARAMETER;
                        src = end;
                    }
                    err = format_insert(o, n, spec, spec ? (size_t)(src - spec) : 0, ansi, a);
                    if (err)
                        return err;
                } else if (ignore_inserts) {
                    put(o, src - 1, 2); /* "%1", "%%": as written */
                } else {
                    put(o, src, 1); /* "%%" "%." "%!" "% ": the character */
                }
            }
            break;
        default:
            put(o, src, 1);
        }
        wrap(o, &line, &space, &have_space, width == SIZE_MAX ? 0 : width);
    }
    return o->nomem ? ERROR_NOT_ENOUGH_MEMORY : 0;
}

/* ---- FormatMessageA/W ------------------------------------------------------------------- */

/* Whether FormatMessage has text in language id (0: the default search order). */
static bool english(DWORD language)
{
    WORD primary = PRIMARYLANGID(language);

    return language <= 0xFFFF &&
           (primary == LANG_NEUTRAL || primary == LANG_ENGLISH || primary == LANG_INVARIANT);
}

/*
 * The message definition for flags/source/id as a malloc'ed wide string; NULL with the
 * Win32 error in *err.
 */
static wchar_t *definition(DWORD flags, LPCVOID source, DWORD id, DWORD language, bool ansi,
                           DWORD *err)
{
    const char *text = NULL;
    wchar_t *w;
    int n;

    if (flags & FORMAT_MESSAGE_FROM_STRING) {
        if (!source)
            return *err = ERROR_INVALID_PARAMETER, NULL;
        if (!ansi) {
            w = wcsdup(source);
            return w ? w : (*err = ERROR_NOT_ENOUGH_MEMORY, NULL);
        }
        text = source;
    } else if (!(flags & (FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_FROM_HMODULE))) {
        return *err = ERROR_INVALID_PARAMETER, NULL;
    } else if (!(flags & FORMAT_MESSAGE_FROM_SYSTEM)) {
        return *err = ERROR_RESOURCE_DATA_NOT_FOUND, NULL; /* no resource section */
    } else {
        if (!english(language))
            return *err = ERROR_MUI_FILE_NOT_FOUND, NULL;
        text = system_message(id);
        if (!text)
            return *err = ERROR_MR_MID_NOT_FOUND, NULL;
    }
    n = MultiByteToWideChar(CP_UTF8, 0, text, -1, NULL, 0);
    w = n > 0 ? malloc(((size_t)n + 2) * sizeof *w) : NULL;
    if (!w)
        return *err = n > 0 ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER, NULL;
    MultiByteToWideChar(CP_UTF8, 0, text, -1, w, n);
    if (!(flags & FORMAT_MESSAGE_FROM_STRING))
        wcscat(w, L"\r\n"); /* the line end of the message definition */
    return w;
}

/*
 * The common part: the formatted text as a malloc'ed wide string (*len characters),
 * or NULL with the Win32 error in *err.
 */
static wchar_t *format_message(DWORD flags, LPCVOID source, DWORD id, DWORD language,
                               va_list *arguments, bool ansi, size_t *len, DWORD *err)
{
    struct args a = {.array = NULL, .list = NULL, .last = 0};
    struct out o = {0};
    DWORD width = flags & FORMAT_MESSAGE_MAX_WIDTH_MASK;
    wchar_t *src = definition(flags, source, id, language, ansi, err);
    va_list copy;

    if (!src)
        return NULL;
    if (arguments && (flags & FORMAT_MESSAGE_ARGUMENT_ARRAY)) {
        a.array = (const DWORD_PTR *)arguments;
    } else if (arguments) {
        va_copy(copy, *arguments);
        a.list = &copy;
    }
    *err = format(&o, src, width == FORMAT_MESSAGE_MAX_WIDTH_MASK ? SIZE_MAX : width,
                  (flags & FORMAT_MESSAGE_IGNORE_INSERTS) != 0, ansi, &a);
    if (a.list)
        va_end(copy);
    free(src);
    if (!*err && o.len == 0)
        *err = ERROR_NO_WORK_DONE; /* "%0..." formats to nothing: Windows fails */
    if (*err) {
        free(o.p);
        return NULL;
    }
    *len = o.len;
    return o.p;
}

DWORD WINAPI FormatMessageW(DWORD flags, LPCVOID source, DWORD id, DWORD language, LPWSTR buffer,
                            DWORD size, va_list *arguments)
{
    wchar_t *text;
    size_t len;
    DWORD err;

    if (!buffer)
        return winipc__fail(0, ERROR_INVALID_PARAMETER);
    if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER)
        *(LPWSTR *)buffer = NULL;
    text = format_message(flags, source, id, language, arguments, false, &len, &err);
    if (!text)
        return winipc__fail(0, err);
    if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
        LPWSTR p = LocalAlloc(LMEM_FIXED, (len + 1 > size ? len + 1 : size) * sizeof(WCHAR));

        if (!p) {
            free(text);
            return winipc__fail(0, ERROR_NOT_ENOUGH_MEMORY);
        }
        wmemcpy(p, text, len + 1);
        *(LPWSTR *)buffer = p;
    } else if (len + 1 > size) {
        free(text);
        return winipc__fail(0, ERROR_INSUFFICIENT_BUFFER);
    } else {
        wmemcpy(buffer, text, len + 1);
    }
    free(text);
    return (DWORD)len;
}

DWORD WINAPI FormatMessageA(DWORD flags, LPCVOID source, DWORD id, DWORD language, LPSTR buffer,
                            DWORD size, va_list *arguments)
{
    wchar_t *text;
    size_t len;
    DWORD err;
    int n;

    if (!buffer)
        return winipc__fail(0, ERROR_INVALID_PARAMETER);
    if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER)
        *(LPSTR *)buffer = NULL;
    text = format_message(flags, source, id, language, arguments, true, &len, &err);
    if (!text)
        return winipc__fail(0, err);
    /* The length in bytes of the UTF-8 text, with its terminator. */
    n = WideCharToMultiByte(CP_UTF8, 0, text, (int)len + 1, NULL, 0, NULL, NULL);
    if (n <= 0) {
        free(text);
        return winipc__fail(0, ERROR_NO_UNICODE_TRANSLATION);
    }
    if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
        LPSTR p = LocalAlloc(LMEM_FIXED, (DWORD)n > size ? (SIZE_T)n : size);

        if (!p) {
            free(text);
            return winipc__fail(0, ERROR_NOT_ENOUGH_MEMORY);
        }
        WideCharToMultiByte(CP_UTF8, 0, text, (int)len + 1, p, n, NULL, NULL);
        *(LPSTR *)buffer = p;
    } else if ((DWORD)n > size) {
        free(text);
        return winipc__fail(0, ERROR_INSUFFICIENT_BUFFER);
    } else {
        WideCharToMultiByte(CP_UTF8, 0, text, (int)len + 1, buffer, n, NULL, NULL);
    }
    free(text);
    return (DWORD)n - 1;
}
