/*
 * directory.c - the file-system calls next to file-backed mappings: temporary files,
 * directories, attributes, moving and copying files, the current directory, and
 * GetFileInformationByHandle.
 *
 * Paths follow file.c's rule: they are Linux paths in which '\' is taken as '/'.
 * Drive letters are not mapped ("C:\x" is the relative path "C:/x", which normally
 * does not exist: ERROR_PATH_NOT_FOUND). Errors are Windows's for the same condition:
 * a missing parent directory is ERROR_PATH_NOT_FOUND, a missing last component
 * ERROR_FILE_NOT_FOUND, a directory that is not empty ERROR_DIR_NOT_EMPTY.
 *
 * Attributes are derived from the file's mode: FILE_ATTRIBUTE_DIRECTORY for a
 * directory, FILE_ATTRIBUTE_ARCHIVE for any other file (Windows sets it on every file
 * written), FILE_ATTRIBUTE_READONLY when the owner may not write, FILE_ATTRIBUTE_HIDDEN
 * for a name that starts with '.', FILE_ATTRIBUTE_REPARSE_POINT for a symbolic link.
 * SetFileAttributes maps FILE_ATTRIBUTE_READONLY to the write permission bits.
 * Differs from Windows: the other attributes (hidden, system, archive, temporary, ...)
 * cannot be stored and are ignored by SetFileAttributes.
 */
#include "internal.h"
#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- Paths ---------------------------------------------------------------------------- */

/* A malloc'ed Linux path from a UTF-8 Windows one ('\' -> '/'); NULL on ENOMEM. */
static char *path_a(const char *path)
{
    char *p = strdup(path);

    for (char *c = p; c && *c; c++)
        if (*c == '\\')
            *c = '/';
    return p;
}

static char *path_w(const WCHAR *path)
{
    char *utf8 = winipc__utf8_from_w(path), *p;

    if (!utf8)
        return NULL;
    p = path_a(utf8);
    free(utf8);
    return p;
}

/*
 * The Linux path of an A or W argument in *out (free it); 0 or the Win32 error for a
 * NULL or empty path (ERROR_PATH_NOT_FOUND, as CreateFile) or no memory.
 */
static DWORD take_path(const void *path, bool wide, char **out)
{
    *out = NULL;
    if (!path || (wide ? !*(const WCHAR *)path : !*(const char *)path))
        return ERROR_PATH_NOT_FOUND;
    *out = wide ? path_w(path) : path_a(path);
    return *out ? 0 : ERROR_NOT_ENOUGH_MEMORY;
}

/* ENOENT for `path`: ERROR_PATH_NOT_FOUND when its directory is missing, as on Windows. */
static DWORD not_found_error(const char *path)
{
    char *copy = strdup(path);
    struct stat st;
    DWORD err = ERROR_FILE_NOT_FOUND;

    if (copy && (stat(dirname(copy), &st) == -1 || !S_ISDIR(st.st_mode)))
        err = ERROR_PATH_NOT_FOUND;
    free(copy);
    return err;
}

/* The Win32 error for errno `e` about `path`. */
static DWORD path_error(const char *path, int e)
{
    switch (e) {
    case ENOENT:
        return not_found_error(path);
    case ENOTDIR:
        return ERROR_PATH_NOT_FOUND; /* a component of the path is a file */
    case EEXIST:
        return ERROR_ALREADY_EXISTS;
    case ENOTEMPTY:
        return ERROR_DIR_NOT_EMPTY;
    case EXDEV:
        return ERROR_NOT_SAME_DEVICE;
    default:
        return winipc__error_from_errno(e);
    }
}

/* Converts UTF-8 `s` into a wide buffer as the W functions return strings. */
static DWORD return_wide(const char *s, DWORD size, LPWSTR buffer)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);

    if (n <= 0)
        return winipc__fail(0, ERROR_NO_UNICODE_TRANSLATION);
    if ((DWORD)n > size || !buffer)
        return (DWORD)n; /* the size needed, with the terminator */
    MultiByteToWideChar(CP_UTF8, 0, s, -1, buffer, n);
    return (DWORD)n - 1;
}

static DWORD return_narrow(const char *s, DWORD size, LPSTR buffer)
{
    size_t n = strlen(s) + 1;

    if (n > size || !buffer)
        return (DWORD)n;
    memcpy(buffer, s, n);
    return (DWORD)n - 1;
}

/* ---- Temporary files ---------------------------------------------------------------- */

/*
 * The temporary directory as Windows reports it: an absolute path ending in the
 * separator. TMP, TEMP (as on Windows) and TMPDIR (Linux's) are tried in turn, then
 * /tmp. A malloc'ed string, or NULL.
 */
static char *temp_path(void)
{
    static const char *const vars[] = {"TMP", "TEMP", "TMPDIR"};
    const char *dir = "/tmp";
    char *path, *abs = NULL;
    size_t len;

    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);

        if (v && *v) {
            dir = v;
            break;
        }
    }
    path = path_a(dir);
    if (path && path[0] != '/') { /* relative: from the current directory */
        char *cwd = getcwd(NULL, 0);
        size_t n = cwd ? strlen(cwd) + strlen(path) + 2 : 0;

        if (cwd && (abs = malloc(n)) != NULL)
            snprintf(abs, n, "%s/%s", cwd, path);
        free(cwd);
        free(path);
        path = abs;
    }
    if (!path)
        return NULL;
    len = strlen(path);
    if (len == 0 || path[len - 1] != '/') {
        char *p = realloc(path, len + 2);

        if (!p) {
            free(path);
            return NULL;
        }
        path = p;
        strcpy(path + len, "/");
    }
    return path;
}

/*
 * The temporary directory, with its trailing '/'. Returns its length, or the size
 * needed (with the terminator) when the buffer is too small.
 */
DWORD WINAPI GetTempPathA(DWORD size, LPSTR buffer)
{
    char *p = temp_path();
    DWORD r;

    if (!p)
        return winipc__fail(0, ERROR_NOT_ENOUGH_MEMORY);
    r = return_narrow(p, size, buffer);
    free(p);
    return r;
}

DWORD WINAPI GetTempPathW(DWORD size, LPWSTR buffer)
{
    char *p = temp_path();
    DWORD r;

    if (!p)
        return winipc__fail(0, ERROR_NOT_ENOUGH_MEMORY);
    r = return_wide(p, size, buffer);
    free(p);
    return r;
}

/*
 * GetTempFileName: "<dir>/<up to 3 prefix characters><hex>.tmp", hex in upper case
 * as Windows writes it. With unique 0 a free number is found and the file created
 * (empty); otherwise the name is only made. `out` holds MAX_PATH bytes (UTF-8).
 * Returns the number used, or 0 with the error set.
 */
static UINT temp_file_name(const char *dir, const char *prefix, UINT unique, char *out)
{
    static _Atomic unsigned last;
    size_t len = strlen(dir), plen = 0;
    struct stat st;
    unsigned start;
    char *p;

    if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode))
        return winipc__fail(0, ERROR_DIRECTORY);
    if (len > MAX_PATH - 14)
        return winipc__fail(0, ERROR_BUFFER_OVERFLOW);
    memcpy(out, dir, len);
    p = out + len;
    if (len == 0 || (p[-1] != '/' && p[-1] != '\\'))
        *p++ = '/';
    /* Up to three characters of the prefix (whole UTF-8 sequences). */
    for (int chars = 0; prefix && prefix[plen] && chars < 3; chars++) {
        plen++;
        while ((prefix[plen] & 0xC0) == 0x80)
            plen++;
    }
    if (plen)
        memcpy(p, prefix, plen);
    p += plen;
    unique &= 0xFFFF;
    if (unique) {
        snprintf(p, 10, "%X.tmp", unique);
        return unique;
    }
    /* Start from the clock, after the last number used, and take the first that is free. */
    start = ((unsigned)GetTickCount() ^ (unsigned)GetCurrentProcessId()) & 0xFFFF;
    if (((atomic_load(&last) - start) & 0xFFFF) < 10)
        start = atomic_load(&last) + 1;
    for (unsigned i = 0; i < 0xFFFF; i++) {
        unsigned n = ((start + i - 1) % 0xFFFF) + 1; /* 1..0xFFFF */
        int fd;

        snprintf(p, 10, "%X.tmp", n);
        fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            close(fd);
            atomic_store(&last, n);
            return n;
        }
        if (errno != EEXIST)
            return winipc__fail(0, path_error(out, errno));
    }
    return winipc__fail(0, ERROR_FILE_EXISTS);
}

UINT WINAPI GetTempFileNameA(LPCSTR path, LPCSTR prefix, UINT unique, LPSTR name)
{
    char *dir;
    UINT r;

    if (!path || !name)
        return winipc__fail(0, ERROR_INVALID_PARAMETER);
    dir = path_a(path);
    if (!dir)
        return winipc__fail(0, ERROR_NOT_ENOUGH_MEMORY);
    r = temp_file_name(dir, prefix, unique, name);
    free(dir);
    return r;
}

UINT WINAPI GetTempFileNameW(LPCWSTR path, LPCWSTR prefix, UINT unique, LPWSTR name)
{
    char *dir, *pre = NULL, out[MAX_PATH * 4];
    UINT r;

    if (!path || !name)
        return winipc__fail(0, ERROR_INVALID_PARAMETER);
    dir = path_w(path);
    if (prefix)
        pre = winipc__utf8_from_w(prefix);
    if (!dir || (prefix && !pre)) {
        free(dir);
        free(pre);
        return winipc__fail(0, ERROR_NOT_ENOUGH_MEMORY);
    }
    r = temp_file_name(dir, pre, unique, out);
    if (r && MultiByteToWideChar(CP_UTF8, 0, out, -1, name, MAX_PATH) <= 0)
        r = winipc__fail(0, ERROR_BUFFER_OVERFLOW);
    free(dir);
    free(pre);
    return r;
}

/* ---- Directories -------------------------------------------------------------------- */

/*
 * Differs from Windows: the security attributes are not applied; the directory gets
 * mode 0777 less the umask, as mkdir gives it.
 */
static BOOL create_directory(const void *path, bool wide)
{
    char *p;
    DWORD err = take_path(path, wide, &p);

    if (!err && mkdir(p, 0777) == -1)
        err = errno == ENOENT ? ERROR_PATH_NOT_FOUND : path_error(p, errno);
    free(p);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

BOOL WINAPI CreateDirectoryA(LPCSTR path, LPSECURITY_ATTRIBUTES sa)
{
    (void)sa;
    return create_directory(path, false);
}

BOOL WINAPI CreateDirectoryW(LPCWSTR path, LPSECURITY_ATTRIBUTES sa)
{
    (void)sa;
    return create_directory(path, true);
}

static BOOL remove_directory(const void *path, bool wide)
{
    struct stat st;
    char *p;
    DWORD err = take_path(path, wide, &p);

    if (!err && rmdir(p) == -1) {
        if (errno == ENOTDIR && lstat(p, &st) == 0 && !S_ISDIR(st.st_mode))
            err = ERROR_DIRECTORY; /* the path names a file */
        else if (errno == EEXIST)
            err = ERROR_DIR_NOT_EMPTY;
        else
            err = path_error(p, errno);
    }
    free(p);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

BOOL WINAPI RemoveDirectoryA(LPCSTR path)
{
    return remove_directory(path, false);
}

BOOL WINAPI RemoveDirectoryW(LPCWSTR path)
{
    return remove_directory(path, true);
}

/* ---- Copying ------------------------------------------------------------------------- */

/* Writes all of src (from its start) to dst; 0 or errno. */
static int copy_data(int src, int dst)
{
    char buf[1 << 16];

    for (;;) {
        ssize_t n = read(src, buf, sizeof buf), done = 0;

        if (n == 0)
            return 0;
        if (n == -1) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        while (done < n) {
            ssize_t w = write(dst, buf + done, (size_t)(n - done));

            if (w == -1) {
                if (errno == EINTR)
                    continue;
                return errno;
            }
            done += w;
        }
    }
}

/* Whether the owner may not write it: FILE_ATTRIBUTE_READONLY. */
static bool read_only(const struct stat *st)
{
    return !(st->st_mode & S_IWUSR);
}

/*
 * Copies the file src to dst with its permissions and last-write time, as CopyFile.
 * fail_if_exists: ERROR_FILE_EXISTS when dst exists; otherwise an existing file is
 * replaced, unless it is read-only or a directory (ERROR_ACCESS_DENIED). A failed copy
 * leaves no partial destination. Returns 0 or a Win32 error.
 */
static DWORD copy_file(const char *src, const char *dst, bool fail_if_exists)
{
    struct stat st, dst_st;
    int in, out, e;
    bool existed;

    in = open(src, O_RDONLY | O_CLOEXEC);
    if (in == -1)
        return errno == EISDIR ? ERROR_ACCESS_DENIED : path_error(src, errno);
    if (fstat(in, &st) == -1 || S_ISDIR(st.st_mode)) {
        close(in);
        return ERROR_ACCESS_DENIED;
    }
    existed = stat(dst, &dst_st) == 0;
    if (existed && fail_if_exists) {
        close(in);
        return ERROR_FILE_EXISTS;
    }
    if (existed && (S_ISDIR(dst_st.st_mode) || read_only(&dst_st))) {
        close(in);
        return ERROR_ACCESS_DENIED;
    }
    if (existed && dst_st.st_dev == st.st_dev && dst_st.st_ino == st.st_ino) {
        close(in);
        return ERROR_SHARING_VIOLATION; /* the source is open: Windows cannot replace it */
    }
    out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | (fail_if_exists ? O_EXCL : 0),
               st.st_mode & 07777);
    if (out == -1) {
        e = errno;
        close(in);
        return e == EEXIST   ? ERROR_FILE_EXISTS
               : e == ENOENT ? ERROR_PATH_NOT_FOUND
                             : path_error(dst, e);
    }
    e = copy_data(in, out);
    if (!e) {
        struct timespec times[2] = {st.st_atim, st.st_mtim};

        if (fchmod(out, st.st_mode & 07777) == -1 || futimens(out, times) == -1)
            e = errno;
    }
    close(in);
    if (close(out) == -1 && !e)
        e = errno;
    if (e) {
        unlink(dst);
        return winipc__error_from_errno(e);
    }
    return 0;
}

BOOL WINAPI CopyFileA(LPCSTR src, LPCSTR dst, BOOL fail_if_exists)
{
    char *s = NULL, *d = NULL;
    DWORD err = take_path(src, false, &s);

    if (!err)
        err = take_path(dst, false, &d);
    if (!err)
        err = copy_file(s, d, fail_if_exists);
    free(s);
    free(d);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

BOOL WINAPI CopyFileW(LPCWSTR src, LPCWSTR dst, BOOL fail_if_exists)
{
    char *s = NULL, *d = NULL;
    DWORD err = take_path(src, true, &s);

    if (!err)
        err = take_path(dst, true, &d);
    if (!err)
        err = copy_file(s, d, fail_if_exists);
    free(s);
    free(d);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

/* ---- Moving ---------------------------------------------------------------------------- */

/*
 * MoveFileEx: renames src to dst. An existing dst is replaced only with
 * MOVEFILE_REPLACE_EXISTING (ERROR_ALREADY_EXISTS otherwise), and never when it is a
 * directory or read-only (ERROR_ACCESS_DENIED). Across file systems a file is copied
 * and deleted with MOVEFILE_COPY_ALLOWED (a directory cannot be: ERROR_NOT_SAME_DEVICE).
 * Differs from Windows: MOVEFILE_DELAY_UNTIL_REBOOT is not supported
 * (ERROR_NOT_SUPPORTED): Linux has no list of renames pending a reboot.
 */
static DWORD move_file(const char *src, const char *dst, DWORD flags)
{
    struct stat st, dst_st;
    bool replace = flags & MOVEFILE_REPLACE_EXISTING;
    DWORD err;

    if (lstat(src, &st) == -1)
        return path_error(src, errno);
    if (lstat(dst, &dst_st) == 0 && !(st.st_dev == dst_st.st_dev && st.st_ino == dst_st.st_ino)) {
        if (!replace)
            return ERROR_ALREADY_EXISTS;
        if (S_ISDIR(dst_st.st_mode) || S_ISDIR(st.st_mode) || read_only(&dst_st))
            return ERROR_ACCESS_DENIED;
    }
    if ((replace ? rename(src, dst) : winipc__rename_noreplace(src, dst)) == 0) {
        if (flags & MOVEFILE_WRITE_THROUGH)
            sync();
        return 0;
    }
    if (errno == EEXIST || errno == ENOTEMPTY)
        return ERROR_ALREADY_EXISTS;
    if (errno != EXDEV)
        return errno == ENOENT ? ERROR_PATH_NOT_FOUND : path_error(dst, errno);
    if (!(flags & MOVEFILE_COPY_ALLOWED) || S_ISDIR(st.st_mode))
        return ERROR_NOT_SAME_DEVICE;
    err = copy_file(src, dst, !replace);
    if (err)
        return err == ERROR_FILE_EXISTS ? ERROR_ALREADY_EXISTS : err;
    if (unlink(src) == -1)
        return winipc__error_from_errno(errno);
    return 0;
}

static BOOL move_file_ex(const void *src, const void *dst, DWORD flags, bool wide)
{
    char *s = NULL, *d = NULL;
    DWORD err;

    if (flags & ~(DWORD)(MOVEFILE_REPLACE_EXISTING | MOVEFILE_COPY_ALLOWED |
                         MOVEFILE_DELAY_UNTIL_REBOOT | MOVEFILE_WRITE_THROUGH |
                         MOVEFILE_CREATE_HARDLINK | MOVEFILE_FAIL_IF_NOT_TRACKABLE))
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    if (flags & MOVEFILE_DELAY_UNTIL_REBOOT)
        return winipc__fail(FALSE, ERROR_NOT_SUPPORTED);
    if (!dst)
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    err = take_path(src, wide, &s);
    if (!err)
        err = take_path(dst, wide, &d);
    if (!err)
        err = move_file(s, d, flags);
    free(s);
    free(d);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

BOOL WINAPI MoveFileExA(LPCSTR src, LPCSTR dst, DWORD flags)
{
    return move_file_ex(src, dst, flags, false);
}

BOOL WINAPI MoveFileExW(LPCWSTR src, LPCWSTR dst, DWORD flags)
{
    return move_file_ex(src, dst, flags, true);
}

/* MoveFile is MoveFileEx with MOVEFILE_COPY_ALLOWED, as on Windows. */
BOOL WINAPI MoveFileA(LPCSTR src, LPCSTR dst)
{
    return move_file_ex(src, dst, MOVEFILE_COPY_ALLOWED, false);
}

BOOL WINAPI MoveFileW(LPCWSTR src, LPCWSTR dst)
{
    return move_file_ex(src, dst, MOVEFILE_COPY_ALLOWED, true);
}

/* ---- Attributes --------------------------------------------------------------------- */

/* The attributes of a file from its stat (st), its lstat (lst, may be NULL) and name. */
static DWORD attributes(const struct stat *st, const struct stat *lst, const char *path)
{
    DWORD a = S_ISDIR(st->st_mode) ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE;
    const char *base = path ? strrchr(path, '/') : NULL;

    base = base ? base + 1 : path;
    if (read_only(st))
        a |= FILE_ATTRIBUTE_READONLY;
    if (base && base[0] == '.' && strcmp(base, ".") != 0 && strcmp(base, "..") != 0)
        a |= FILE_ATTRIBUTE_HIDDEN;
    if (lst && S_ISLNK(lst->st_mode))
        a |= FILE_ATTRIBUTE_REPARSE_POINT;
    return a;
}

/* FILETIME: 100-nanosecond intervals since 1601-01-01. */
static FILETIME filetime(struct timespec ts)
{
    ULONGLONG t =
        ((ULONGLONG)ts.tv_sec + 11644473600ull) * 10000000ull + (ULONGLONG)ts.tv_nsec / 100;

    return (FILETIME){(DWORD)t, (DWORD)(t >> 32)};
}

/* The creation time: the birth time where the file system keeps one, else ctime. */
static struct timespec birth_time(int fd, const char *path, const struct stat *st)
{
    struct timespec t;

    return winipc__birth_time(fd, path, &t) ? t : st->st_ctim;
}

/* stat and lstat of path; 0 or a Win32 error. A dangling link is described itself. */
static DWORD stat_path(const char *path, struct stat *st, struct stat *lst)
{
    if (lstat(path, lst) == -1)
        return path_error(path, errno);
    if (stat(path, st) == -1)
        *st = *lst;
    return 0;
}

static DWORD get_attributes(const void *path, bool wide)
{
    struct stat st, lst;
    char *p;
    DWORD err = take_path(path, wide, &p), a = 0;

    if (!err)
        err = stat_path(p, &st, &lst);
    if (!err)
        a = attributes(&st, &lst, p);
    free(p);
    return err ? winipc__fail(INVALID_FILE_ATTRIBUTES, err) : a;
}

DWORD WINAPI GetFileAttributesA(LPCSTR path)
{
    return get_attributes(path, false);
}

DWORD WINAPI GetFileAttributesW(LPCWSTR path)
{
    return get_attributes(path, true);
}

/*
 * FILE_ATTRIBUTE_READONLY clears every write bit; without it, the owner may write
 * again, and so may group and others where they may read and the umask allows.
 */
static BOOL set_attributes(const void *path, DWORD attrs, bool wide)
{
    struct stat st;
    mode_t mode, mask;
    char *p;
    DWORD err = take_path(path, wide, &p);

    if (!err && stat(p, &st) == -1)
        err = path_error(p, errno);
    if (!err) {
        mode = st.st_mode & 07777;
        if (attrs & FILE_ATTRIBUTE_READONLY) {
            mode &= ~(mode_t)0222;
        } else if (!(mode & S_IWUSR)) {
            mask = umask(022);
            umask(mask);
            mode |= (S_IWUSR | ((mode & 044) >> 1)) & ~mask;
        }
        if (mode != (st.st_mode & 07777) && chmod(p, mode) == -1)
            err = path_error(p, errno);
    }
    free(p);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

BOOL WINAPI SetFileAttributesA(LPCSTR path, DWORD attrs)
{
    return set_attributes(path, attrs, false);
}

BOOL WINAPI SetFileAttributesW(LPCWSTR path, DWORD attrs)
{
    return set_attributes(path, attrs, true);
}

static BOOL get_attributes_ex(const void *path, GET_FILEEX_INFO_LEVELS level, LPVOID out, bool wide)
{
    WIN32_FILE_ATTRIBUTE_DATA *data = out;
    struct stat st, lst;
    char *p;
    DWORD err;

    if (level != GetFileExInfoStandard || !out)
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    err = take_path(path, wide, &p);
    if (!err)
        err = stat_path(p, &st, &lst);
    if (!err) {
        data->dwFileAttributes = attributes(&st, &lst, p);
        data->ftCreationTime = filetime(birth_time(-1, p, &st));
        data->ftLastAccessTime = filetime(st.st_atim);
        data->ftLastWriteTime = filetime(st.st_mtim);
        data->nFileSizeHigh = S_ISDIR(st.st_mode) ? 0 : (DWORD)((uint64_t)st.st_size >> 32);
        data->nFileSizeLow = S_ISDIR(st.st_mode) ? 0 : (DWORD)st.st_size;
    }
    free(p);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

BOOL WINAPI GetFileAttributesExA(LPCSTR path, GET_FILEEX_INFO_LEVELS level, LPVOID out)
{
    return get_attributes_ex(path, level, out, false);
}

BOOL WINAPI GetFileAttributesExW(LPCWSTR path, GET_FILEEX_INFO_LEVELS level, LPVOID out)
{
    return get_attributes_ex(path, level, out, true);
}

/*
 * The file descriptor behind a winipc file handle, while `hold` is held (release it
 * with winipc__handle_release); -1 with ERROR_INVALID_HANDLE set otherwise.
 * The one place here that looks inside file.c's objects.
 */
static int file_fd(HANDLE h, struct winipc__hold *hold)
{
    if (!winipc__handle_hold(h, WINIPC__FILE, hold))
        return -1;
    return hold->obj->fd;
}

/*
 * The file's attributes, times, size, link count, and identity: the device number as
 * the volume serial number, the inode number as the file index (together they
 * identify the file, as on Windows).
 */
BOOL WINAPI GetFileInformationByHandle(HANDLE h, LPBY_HANDLE_FILE_INFORMATION info)
{
    struct winipc__hold hold;
    struct stat st;
    int fd;

    if (!info)
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    fd = file_fd(h, &hold);
    if (fd == -1)
        return FALSE;
    if (fstat(fd, &st) == -1) {
        winipc__handle_release(&hold);
        return winipc__fail(FALSE, winipc__error_from_errno(errno));
    }
    info->dwFileAttributes = attributes(&st, NULL, NULL);
    info->ftCreationTime = filetime(birth_time(fd, NULL, &st));
    winipc__handle_release(&hold);
    info->ftLastAccessTime = filetime(st.st_atim);
    info->ftLastWriteTime = filetime(st.st_mtim);
    info->dwVolumeSerialNumber = (DWORD)st.st_dev;
    info->nFileSizeHigh = (DWORD)((uint64_t)st.st_size >> 32);
    info->nFileSizeLow = (DWORD)st.st_size;
    info->nNumberOfLinks = (DWORD)st.st_nlink;
    info->nFileIndexHigh = (DWORD)((uint64_t)st.st_ino >> 32);
    info->nFileIndexLow = (DWORD)st.st_ino;
    return TRUE;
}

/* ---- The current directory ------------------------------------------------------------ */

DWORD WINAPI GetCurrentDirectoryA(DWORD size, LPSTR buffer)
{
    char *cwd = getcwd(NULL, 0);
    DWORD r;

    if (!cwd)
        return winipc__fail(0, winipc__error_from_errno(errno));
    r = return_narrow(cwd, size, buffer);
    free(cwd);
    return r;
}

DWORD WINAPI GetCurrentDirectoryW(DWORD size, LPWSTR buffer)
{
    char *cwd = getcwd(NULL, 0);
    DWORD r;

    if (!cwd)
        return winipc__fail(0, winipc__error_from_errno(errno));
    r = return_wide(cwd, size, buffer);
    free(cwd);
    return r;
}

static BOOL set_current_directory(const void *path, bool wide)
{
    struct stat st;
    char *p;
    DWORD err = take_path(path, wide, &p);

    if (!err && chdir(p) == -1) {
        if (errno == ENOTDIR && stat(p, &st) == 0 && !S_ISDIR(st.st_mode))
            err = ERROR_DIRECTORY;
        else
            err = path_error(p, errno);
    }
    free(p);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

BOOL WINAPI SetCurrentDirectoryA(LPCSTR path)
{
    return set_current_directory(path, false);
}

BOOL WINAPI SetCurrentDirectoryW(LPCWSTR path)
{
    return set_current_directory(path, true);
}
