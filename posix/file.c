/*
 * file.c - CreateFile and the synchronous file calls that file-backed mappings need.
 *
 * Paths are POSIX paths; '\' is taken as '/' so that relative Windows paths work.
 * Differs from Windows: share modes are not enforced (Linux has no mandatory
 * sharing locks), drive letters mean nothing, FILE_FLAG_OVERLAPPED is not supported.
 */
#include "internal.h"
#include "platform.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

struct file {
    struct winipc__object obj; /* obj.fd is the file's descriptor */
    char *delete_path;         /* FILE_FLAG_DELETE_ON_CLOSE: unlinked at the end */
    dev_t dev;                 /* ... if it is still this file */
    ino_t ino;
    pid_t opener;          /* the process that opened it (a fork child did not) */
    struct file *next_doc; /* on the list of delete-on-close files */
    bool stream;           /* not a regular file: a read returns what there is */
    bool pipe;             /* an anonymous pipe (a socket, see CreatePipe) */
};

/*
 * Files opened with FILE_FLAG_DELETE_ON_CLOSE: the process's end closes every handle
 * (winipc__file_close_all), and with the last one the file goes, as on Windows.
 * Differs from Windows: a process killed with SIGKILL leaves its delete-on-close
 * files behind.
 */
static struct file *doc_list;
static pthread_mutex_t doc_lock = PTHREAD_MUTEX_INITIALIZER;

static struct file *file_of(struct winipc__object *obj)
{
    return WINIPC__CONTAINER(obj, struct file, obj);
}

/* Deletes f's file if the name still leads to it and we opened it. */
static void delete_if_ours(struct file *f)
{
    struct stat st;

    if (f->opener == winipc__cached_pid() && lstat(f->delete_path, &st) == 0 &&
        st.st_dev == f->dev && st.st_ino == f->ino)
        unlink(f->delete_path);
}

static void file_destroy(struct winipc__object *obj)
{
    struct file *f = WINIPC__CONTAINER(obj, struct file, obj);

    if (f->delete_path) {
        pthread_mutex_lock(&doc_lock);
        for (struct file **p = &doc_list; *p; p = &(*p)->next_doc) {
            if (*p == f) {
                *p = f->next_doc;
                break;
            }
        }
        pthread_mutex_unlock(&doc_lock);
        delete_if_ours(f);
    }
    free(f->delete_path);
}

void winipc__file_close_all(void)
{
    /* At exit: another thread may hold the lock forever (it was stopped there). */
    if (pthread_mutex_trylock(&doc_lock) != 0)
        return;
    for (struct file *f = doc_list; f; f = f->next_doc)
        delete_if_ours(f);
    pthread_mutex_unlock(&doc_lock);
}

/* A synchronous file handle is always signalled (its I/O is complete on return). */
static struct winipc__wait_state file_signalled = {.word = 1};

static struct winipc__wait_state *file_wait_state(struct winipc__object *obj)
{
    (void)obj;
    return &file_signalled;
}

static DWORD file_try_acquire(struct winipc__object *obj, const uint32_t *slept_on, bool own_guard)
{
    (void)obj, (void)slept_on, (void)own_guard;
    return WAIT_OBJECT_0;
}

static void file_undo(struct winipc__object *obj, DWORD how)
{
    (void)obj, (void)how;
}

static const struct winipc__wait_ops file_wait_ops = {
    .state = file_wait_state,
    .try_acquire = file_try_acquire,
    .undo = file_undo,
};

const struct winipc__ops winipc__file_ops = {
    .kind = WINIPC__FILE,
    .name = "File",
    .size = sizeof(struct file),
    .all_access = FILE_ALL_ACCESS,
    .generic = {FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS},
    .destroy = file_destroy,
    .wait = &file_wait_ops,
};

/* A malloc'ed POSIX path from a Windows one ('\' -> '/'); NULL on ENOMEM. */
static char *posix_path(const char *path)
{
    char *p = strdup(path), *c;

    if (p)
        for (c = p; *c; c++)
            if (*c == '\\')
                *c = '/';
    return p;
}

/* ENOENT means ERROR_PATH_NOT_FOUND when the directory is missing, as on Windows. */
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

static DWORD open_error(const char *path, int err)
{
    if (err == ENOENT)
        return not_found_error(path);
    if (err == EEXIST)
        return ERROR_FILE_EXISTS;
    return winipc__error_from_errno(err);
}

static HANDLE create_file(const char *utf8_path, DWORD access, DWORD disposition, DWORD flags,
                          DWORD handle_flags)
{
    struct winipc__object *obj;
    DWORD granted = winipc__access_map(&winipc__file_ops, access), err;
    bool readable = granted & FILE_READ_DATA;
    bool writable = granted & (FILE_WRITE_DATA | FILE_APPEND_DATA);
    int oflags = O_CLOEXEC | (readable && writable ? O_RDWR : writable ? O_WRONLY : O_RDONLY);

    /* A handle that may only append writes at the end of the file, whatever its
       file pointer or an OVERLAPPED offset says (as NtWriteFile does). */
    if ((granted & (FILE_WRITE_DATA | FILE_APPEND_DATA)) == FILE_APPEND_DATA)
        oflags |= O_APPEND;
    mode_t mode = (flags & FILE_ATTRIBUTE_READONLY) ? 0444 : 0666;
    bool existed = false;
    struct stat st;
    char *path;
    HANDLE h;
    int fd;

    if (!utf8_path || !*utf8_path)
        return winipc__fail(INVALID_HANDLE_VALUE, ERROR_PATH_NOT_FOUND);
    /* TRUNCATE_EXISTING takes GENERIC_WRITE (Microsoft's CreateFile page), not any
       right to write: FILE_WRITE_DATA alone is refused. */
    if (disposition < CREATE_NEW || disposition > TRUNCATE_EXISTING ||
        (disposition == TRUNCATE_EXISTING && !(access & (GENERIC_WRITE | GENERIC_ALL))))
        return winipc__fail(INVALID_HANDLE_VALUE, ERROR_INVALID_PARAMETER);
    if (flags & FILE_FLAG_OVERLAPPED)
        return winipc__fail(INVALID_HANDLE_VALUE, ERROR_NOT_SUPPORTED);
    path = posix_path(utf8_path);
    if (!path)
        return winipc__fail(INVALID_HANDLE_VALUE, ERROR_NOT_ENOUGH_MEMORY);

    switch (disposition) {
    case CREATE_NEW:
        fd = open(path, oflags | O_CREAT | O_EXCL, mode);
        break;
    case OPEN_EXISTING:
        fd = open(path, oflags);
        break;
    case TRUNCATE_EXISTING:
        fd = open(path, oflags | O_TRUNC);
        break;
    default: /* CREATE_ALWAYS, OPEN_ALWAYS: report whether the file was there */
        for (;;) {
            fd = open(path, oflags | (disposition == CREATE_ALWAYS ? O_TRUNC : 0));
            if (fd >= 0 || errno != ENOENT) {
                existed = fd >= 0;
                break;
            }
            fd = open(path, oflags | O_CREAT | O_EXCL, mode);
            if (fd >= 0 || errno != EEXIST)
                break;
        }
    }
    /* A directory opens only with FILE_FLAG_BACKUP_SEMANTICS, and only to be held. */
    if (fd == -1 && errno == EISDIR && (flags & FILE_FLAG_BACKUP_SEMANTICS))
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd == -1) {
        err = open_error(path, errno);
        goto fail;
    }
    err = ERROR_ACCESS_DENIED;
    if (fstat(fd, &st) == -1 || (S_ISDIR(st.st_mode) && !(flags & FILE_FLAG_BACKUP_SEMANTICS))) {
        close(fd);
        goto fail;
    }
    obj = winipc__object_new_local(&winipc__file_ops);
    if (!obj) {
        close(fd);
        free(path);
        return INVALID_HANDLE_VALUE;
    }
    obj->fd = fd;
    winipc__file_opened(fd, path);
    file_of(obj)->stream = !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
    if (flags & FILE_FLAG_DELETE_ON_CLOSE) {
        struct file *f = file_of(obj);

        f->delete_path = path;
        f->dev = st.st_dev;
        f->ino = st.st_ino;
        f->opener = winipc__cached_pid();
        pthread_mutex_lock(&doc_lock);
        f->next_doc = doc_list;
        doc_list = f;
        pthread_mutex_unlock(&doc_lock);
    } else {
        free(path);
    }
    h = winipc__handle_new_ex(obj, granted, handle_flags);
    if (!h)
        return INVALID_HANDLE_VALUE;
    winipc__set_error(existed ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return h;

fail:
    free(path);
    return winipc__fail(INVALID_HANDLE_VALUE, err);
}

HANDLE WINAPI CreateFileA(LPCSTR path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa,
                          DWORD disposition, DWORD flags, HANDLE template_file)
{
    (void)share, (void)template_file;
    if (winipc__bad_pointer(path) || winipc__bad_pointer(sa))
        return winipc__fail(INVALID_HANDLE_VALUE, ERROR_NOACCESS);
    return create_file(path, access, disposition, flags, winipc__inherit_flag(sa));
}

HANDLE WINAPI CreateFileW(LPCWSTR path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa,
                          DWORD disposition, DWORD flags, HANDLE template_file)
{
    char *utf8;
    HANDLE h;

    (void)share, (void)template_file;
    if (winipc__bad_pointer(path) || winipc__bad_pointer(sa))
        return winipc__fail(INVALID_HANDLE_VALUE, ERROR_NOACCESS);
    if (!path)
        return winipc__fail(INVALID_HANDLE_VALUE, ERROR_PATH_NOT_FOUND);
    utf8 = winipc__utf8_from_w(path);
    if (!utf8)
        return winipc__fail(INVALID_HANDLE_VALUE,
                            errno == ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_NAME);
    h = create_file(utf8, access, disposition, flags, winipc__inherit_flag(sa));
    free(utf8);
    return h;
}

/* Holds a file handle that has one of the rights in `need`; false with the error set. */
static bool hold_file(HANDLE h, DWORD need, struct winipc__hold *hold)
{
    if (!winipc__handle_hold(h, WINIPC__FILE, hold))
        return false;
    if (!(hold->access & need)) {
        winipc__handle_release(hold);
        return winipc__fail(false, ERROR_ACCESS_DENIED);
    }
    return true;
}

/*
 * read() or write() of the whole buffer (short only at end of file), EINTR retried.
 * A buffer the process cannot access (EFAULT) fails the whole call, as the kernel's
 * probe of the buffer does on Windows.
 */
static ssize_t io_all(const struct file *f, int fd, void *buf, size_t n, bool writing)
{
    size_t done = 0;

    while (done < n) {
        /* A pipe's writer must not die of SIGPIPE: Windows reports ERROR_NO_DATA. */
        ssize_t r = writing ? f->pipe ? winipc__send_nosignal(fd, (char *)buf + done, n - done)
                                      : write(fd, (char *)buf + done, n - done)
                            : read(fd, (char *)buf + done, n - done);

        if (r == -1 && errno == EINTR)
            continue;
        if (r == -1 && (errno == EFAULT || !done))
            return -1;
        if (r == -1)
            break;
        if (r == 0)
            break;
        done += (size_t)r;
        if (!writing && f->stream) /* a pipe's read returns what has come */
            break;
    }
    return (ssize_t)done;
}

/*
 * ReadFile/WriteFile on a synchronous handle. With an OVERLAPPED the transfer starts
 * at its offset and the file pointer ends after it, as Windows documents; Internal
 * and InternalHigh take the I/O status block (STATUS_PENDING until the transfer
 * completes, then STATUS_SUCCESS and the byte count). A read at or past the end of
 * the file through an OVERLAPPED fails with ERROR_HANDLE_EOF and leaves Internal at
 * STATUS_PENDING, as Windows does (Wine's file.c test_eof). The handle is checked
 * before the buffer, as on NT: a NULL buffer, or one with a page the call cannot
 * access, is ERROR_INVALID_USER_BUFFER for a write and ERROR_NOACCESS for a read,
 * and nothing is transferred.
 */
static BOOL transfer(HANDLE h, void *buf, DWORD n, LPDWORD done, LPOVERLAPPED ov, bool writing)
{
    struct winipc__hold hold;
    DWORD bad_buffer = writing ? ERROR_INVALID_USER_BUFFER : ERROR_NOACCESS;
    ssize_t r = -1;
    DWORD err = 0;
    int fd;

    if (winipc__bad_pointer(done) || winipc__bad_pointer(ov))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (done)
        *done = 0;
    if (!hold_file(h, writing ? FILE_WRITE_DATA | FILE_APPEND_DATA : FILE_READ_DATA, &hold))
        return FALSE;
    if (!done && !ov)
        err = ERROR_INVALID_USER_BUFFER;
    else if ((!buf || winipc__bad_pointer(buf) || !winipc__buffer_accessible(buf, n, !writing)) &&
             n)
        err = bad_buffer;
    if (err) {
        winipc__handle_release(&hold);
        return winipc__fail(FALSE, err);
    }
    if (ov) {
        ov->Internal = STATUS_PENDING;
        ov->InternalHigh = 0;
    }
    fd = hold.obj->fd;
    if (!ov || lseek(fd, (off_t)((uint64_t)ov->OffsetHigh << 32 | ov->Offset), SEEK_SET) != -1)
        r = io_all(file_of(hold.obj), fd, buf, n, writing);
    if (r == -1)
        err = errno == EFAULT  ? bad_buffer
              : errno == EPIPE ? ERROR_NO_DATA /* "The pipe is being closed." */
                               : winipc__error_from_errno(errno);
    else if (ov && !writing && r == 0 && n)
        err = ERROR_HANDLE_EOF;
    else if (file_of(hold.obj)->pipe && !writing && r == 0 && n)
        err = ERROR_BROKEN_PIPE; /* every write end is closed */
    winipc__handle_release(&hold);
    if (err)
        return winipc__fail(FALSE, err);
    if (done)
        *done = (DWORD)r;
    if (ov) {
        ov->Internal = 0; /* STATUS_SUCCESS */
        ov->InternalHigh = (ULONG_PTR)r;
    }
    return TRUE;
}

BOOL WINAPI ReadFile(HANDLE h, LPVOID buf, DWORD n, LPDWORD done, LPOVERLAPPED ov)
{
    return transfer(h, buf, n, done, ov, false);
}

BOOL WINAPI WriteFile(HANDLE h, LPCVOID buf, DWORD n, LPDWORD done, LPOVERLAPPED ov)
{
    return transfer(h, (void *)buf, n, done, ov, true);
}

static bool file_size(HANDLE h, uint64_t *size)
{
    struct winipc__hold hold;
    struct stat st;
    int r;

    if (!winipc__handle_hold(h, WINIPC__FILE, &hold))
        return false;
    r = fstat(hold.obj->fd, &st);
    if (r == -1)
        winipc__set_errno_error();
    winipc__handle_release(&hold);
    *size = r == -1 ? 0 : (uint64_t)st.st_size;
    return r == 0;
}

DWORD WINAPI GetFileSize(HANDLE h, LPDWORD high)
{
    uint64_t size;

    if (winipc__bad_pointer(high))
        return winipc__fail(INVALID_FILE_SIZE, ERROR_NOACCESS);
    if (!file_size(h, &size))
        return INVALID_FILE_SIZE;
    if (high)
        *high = (DWORD)(size >> 32);
    /* A size whose low part equals the error value is told apart by the last error. */
    if ((DWORD)size == INVALID_FILE_SIZE)
        winipc__set_error(NO_ERROR);
    return (DWORD)size;
}

BOOL WINAPI GetFileSizeEx(HANDLE h, PLARGE_INTEGER out)
{
    uint64_t size;

    if (!out || winipc__bad_pointer(out))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (!file_size(h, &size))
        return FALSE;
    out->QuadPart = (LONGLONG)size;
    return TRUE;
}

/* Moves the file pointer; the new position in *pos. False with the error set. */
static bool seek(HANDLE h, int64_t distance, DWORD method, int64_t *pos)
{
    static const int whence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
    struct winipc__hold hold;
    off_t cur, r = -1;

    if (method > FILE_END)
        return winipc__fail(false, ERROR_INVALID_PARAMETER);
    if (!winipc__handle_hold(h, WINIPC__FILE, &hold))
        return false;
    cur = lseek(hold.obj->fd, 0, whence[method]);
    if (cur != -1) {
        if (distance < 0 && cur + distance < 0)
            winipc__set_error(ERROR_NEGATIVE_SEEK);
        else if ((r = lseek(hold.obj->fd, cur + distance, SEEK_SET)) == -1)
            winipc__set_errno_error();
    } else {
        winipc__set_errno_error();
    }
    winipc__handle_release(&hold);
    *pos = r;
    return r != -1;
}

DWORD WINAPI SetFilePointer(HANDLE h, LONG distance, PLONG high, DWORD method)
{
    int64_t d, pos;

    if (winipc__bad_pointer(high))
        return winipc__fail(INVALID_SET_FILE_POINTER, ERROR_NOACCESS);
    d = high ? (int64_t)((uint64_t)(uint32_t)*high << 32 | (uint32_t)distance) : (int64_t)distance;
    if (!seek(h, d, method, &pos))
        return INVALID_SET_FILE_POINTER;
    if (high)
        *high = (LONG)(pos >> 32);
    if ((DWORD)pos == INVALID_SET_FILE_POINTER)
        winipc__set_error(NO_ERROR);
    return (DWORD)pos;
}

BOOL WINAPI SetFilePointerEx(HANDLE h, LARGE_INTEGER distance, PLARGE_INTEGER new_pos, DWORD method)
{
    int64_t pos;

    if (winipc__bad_pointer(new_pos))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (!seek(h, distance.QuadPart, method, &pos))
        return FALSE;
    if (new_pos)
        new_pos->QuadPart = pos;
    return TRUE;
}

/*
 * Sets the end of the file at the file pointer. A file that a section or a view maps
 * may grow but not shrink (ERROR_USER_MAPPED_FILE), as on Windows, in any process.
 * Differs from Windows: a process that truncates the file by other means (ftruncate)
 * is not stopped; touching the lost pages of a view then raises SIGBUS.
 */
BOOL WINAPI SetEndOfFile(HANDLE h)
{
    struct winipc__hold hold;
    struct stat st;
    off_t pos;
    int r = -1;

    if (!hold_file(h, FILE_WRITE_DATA, &hold))
        return FALSE;
    pos = lseek(hold.obj->fd, 0, SEEK_CUR);
    if (pos != -1 && fstat(hold.obj->fd, &st) == 0) {
        if (pos < st.st_size && winipc__file_is_mapped(hold.obj->fd))
            errno = EBUSY;
        else
            r = ftruncate(hold.obj->fd, pos);
    }
    if (r == -1)
        winipc__set_error(errno == EBUSY ? ERROR_USER_MAPPED_FILE
                                         : winipc__error_from_errno(errno));
    winipc__handle_release(&hold);
    return r == 0;
}

BOOL WINAPI FlushFileBuffers(HANDLE h)
{
    struct winipc__hold hold;
    int r;

    if (!hold_file(h, FILE_WRITE_DATA, &hold))
        return FALSE;
    r = fsync(hold.obj->fd);
    if (r == -1)
        winipc__set_errno_error();
    winipc__handle_release(&hold);
    return r == 0;
}

static BOOL delete_file(const char *utf8_path)
{
    char *path;
    struct stat st;
    DWORD err = 0;

    if (!utf8_path || !*utf8_path)
        return winipc__fail(FALSE, ERROR_PATH_NOT_FOUND);
    path = posix_path(utf8_path);
    if (!path)
        return winipc__fail(FALSE, ERROR_NOT_ENOUGH_MEMORY);
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
        err = ERROR_ACCESS_DENIED;
    else if (unlink(path) == -1)
        err = open_error(path, errno);
    free(path);
    return err ? winipc__fail(FALSE, err) : TRUE;
}

BOOL WINAPI DeleteFileA(LPCSTR path)
{
    if (winipc__bad_pointer(path))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    return delete_file(path);
}

BOOL WINAPI DeleteFileW(LPCWSTR path)
{
    char *utf8;
    BOOL ok;

    if (winipc__bad_pointer(path))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (!path)
        return winipc__fail(FALSE, ERROR_PATH_NOT_FOUND);
    utf8 = winipc__utf8_from_w(path);
    if (!utf8)
        return winipc__fail(FALSE, ERROR_INVALID_NAME);
    ok = delete_file(utf8);
    free(utf8);
    return ok;
}

/* ---- Inherited descriptors, pipes and the standard handles ------------------------------ */

struct winipc__object *winipc__file_from_fd(int fd)
{
    struct winipc__object *obj;
    struct stat st;

    if (fstat(fd, &st) != 0)
        return NULL;
    obj = winipc__object_new_local(&winipc__file_ops);
    if (!obj)
        return NULL;
    obj->fd = fd;
    file_of(obj)->stream = !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
    file_of(obj)->pipe = S_ISSOCK(st.st_mode);
    return obj;
}

/*
 * An anonymous pipe is a connected pair of Unix stream sockets, each end shut in the
 * other direction: a write to a pipe whose readers are gone then fails with
 * ERROR_NO_DATA instead of killing the writer with SIGPIPE (a Windows program has no
 * handler for it), and a read after every writer is gone ends with
 * ERROR_BROKEN_PIPE, as on Windows. The size hint sets the buffers.
 */
BOOL WINAPI CreatePipe(PHANDLE read_end, PHANDLE write_end, LPSECURITY_ATTRIBUTES sa, DWORD size)
{
    struct winipc__object *r, *w;
    DWORD flags = winipc__inherit_flag(sa);
    int sv[2];

    if (!read_end || !write_end || winipc__bad_pointer(read_end) ||
        winipc__bad_pointer(write_end) || winipc__bad_pointer(sa))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (winipc__socketpair_cloexec(sv) != 0) {
        winipc__set_errno_error();
        return FALSE;
    }
    shutdown(sv[0], SHUT_WR);
    shutdown(sv[1], SHUT_RD);
    if (size) {
        int bytes = size > INT_MAX / 2 ? INT_MAX / 2 : (int)size;

        setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
        setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    }
    r = winipc__file_from_fd(sv[0]);
    w = r ? winipc__file_from_fd(sv[1]) : NULL;
    if (!w) {
        if (r)
            winipc__object_unref(r);
        else
            close(sv[0]);
        close(sv[1]);
        return winipc__fail(FALSE, ERROR_NOT_ENOUGH_MEMORY);
    }
    *read_end = winipc__handle_new_ex(r, FILE_GENERIC_READ | FILE_WRITE_ATTRIBUTES, flags);
    *write_end = *read_end
                     ? winipc__handle_new_ex(w, FILE_GENERIC_WRITE | FILE_READ_ATTRIBUTES, flags)
                     : (winipc__object_unref(w), NULL);
    if (!*write_end) {
        if (*read_end)
            CloseHandle(*read_end);
        return FALSE;
    }
    return TRUE;
}

static HANDLE std_handles[3];
static bool std_chosen[3]; /* set or closed: not made from the descriptor */
static pthread_mutex_t std_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * The standard handles: file handles of descriptors 0, 1 and 2 (duplicates, so that
 * closing one does not close the descriptor the C library writes to), made on first
 * use, or what SetStdHandle set.
 * Differs from Windows: SetStdHandle does not redirect the descriptor, so printf goes
 * where it went before (after startup, Microsoft's C runtime does not follow it either).
 */
static int std_index(DWORD which)
{
    return which == STD_INPUT_HANDLE    ? 0
           : which == STD_OUTPUT_HANDLE ? 1
           : which == STD_ERROR_HANDLE  ? 2
                                        : -1;
}

/*
 * A standard handle is made from descriptor 0, 1 or 2 when first asked for, unless
 * SetStdHandle chose one (NULL included) or it was closed: then GetStdHandle returns
 * that, NULL as on Windows for a process without the handle.
 */
HANDLE WINAPI GetStdHandle(DWORD which)
{
    int i = std_index(which);
    HANDLE h;

    if (i < 0)
        return winipc__fail(INVALID_HANDLE_VALUE, ERROR_INVALID_HANDLE);
    pthread_mutex_lock(&std_lock);
    if (!std_handles[i] && !std_chosen[i]) {
        int fd = fcntl(i, F_DUPFD_CLOEXEC, 3);
        struct winipc__object *obj = fd >= 0 ? winipc__file_from_fd(fd) : NULL;

        if (obj)
            std_handles[i] =
                winipc__handle_new(obj, i == 0 ? FILE_GENERIC_READ : FILE_GENERIC_WRITE);
        else if (fd >= 0)
            close(fd);
        if (!std_handles[i]) {
            pthread_mutex_unlock(&std_lock);
            return INVALID_HANDLE_VALUE;
        }
    }
    h = std_handles[i];
    pthread_mutex_unlock(&std_lock);
    return h;
}

HANDLE winipc__std_handle_take(DWORD which)
{
    int i = std_index(which);
    HANDLE h;

    if (i < 0)
        return NULL;
    GetStdHandle(which); /* made now if it was never asked for */
    pthread_mutex_lock(&std_lock);
    h = std_handles[i];
    std_handles[i] = NULL;
    std_chosen[i] = true;
    pthread_mutex_unlock(&std_lock);
    return h;
}

BOOL WINAPI SetStdHandle(DWORD which, HANDLE h)
{
    int i = std_index(which);

    if (i < 0)
        return winipc__fail(FALSE, ERROR_INVALID_HANDLE);
    pthread_mutex_lock(&std_lock);
    std_handles[i] = h;
    std_chosen[i] = true;
    pthread_mutex_unlock(&std_lock);
    return TRUE;
}
