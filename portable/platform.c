/*
 * platform.c - posix/platform.h for the portable backend: the same primitives with
 * POSIX interfaces only, or, where POSIX has no equivalent, the feature reported as
 * missing (each such difference is listed in the README's backend table).
 */
#include "platform.h"
#include "portable.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* No process-wide barrier: handle.c then counts every hold (its documented fallback). */
bool winipc__barrier_register(void)
{
    return false;
}

void winipc__barrier(void)
{
}

/*
 * A thread id unique in the process: a counter, since POSIX has no thread id number
 * (macOS and FreeBSD each have their own call).
 * Differs from Windows: ids are unique per process, not system-wide.
 */
pid_t winipc__system_tid(void)
{
    static atomic_int next = 1;

    return (pid_t)(atomic_fetch_add(&next, 1) + 0x400);
}

/*
 * Paths of the files CreateFile opened, by descriptor, with their identity: POSIX has no
 * descriptor-to-path call (macOS has F_GETPATH, FreeBSD F_KINFO), and a file-backed
 * section needs the path for other processes and an open file description of its own.
 * An entry whose descriptor now names another file (closed and reused) is stale: the
 * identity check refuses it.
 * Differs from Windows (and the Linux backend): a file renamed after CreateFile is
 * found under its old path, so a named file-backed section of it fails
 * (ERROR_FILE_NOT_FOUND) and SetEndOfFile no longer sees its sections.
 */
struct known_file {
    char *path;
    dev_t dev;
    ino_t ino;
};

static struct known_file *known;
static size_t nknown;
static pthread_mutex_t known_lock = PTHREAD_MUTEX_INITIALIZER;

void winipc__file_opened(int fd, const char *path)
{
    char *abs = realpath(path, NULL);
    struct stat st;

    if (!abs || fd < 0 || fstat(fd, &st) == -1) {
        free(abs);
        return;
    }
    pthread_mutex_lock(&known_lock);
    if ((size_t)fd >= nknown) {
        size_t n = (size_t)fd + 64;
        struct known_file *k = realloc(known, n * sizeof *k);

        if (!k) {
            pthread_mutex_unlock(&known_lock);
            free(abs);
            return;
        }
        memset(k + nknown, 0, (n - nknown) * sizeof *k);
        known = k;
        nknown = n;
    }
    free(known[fd].path);
    known[fd] = (struct known_file){abs, st.st_dev, st.st_ino};
    pthread_mutex_unlock(&known_lock);
}

ssize_t winipc__file_path(int fd, char *buf, size_t size)
{
    struct stat st;
    ssize_t n = -1;

    if (fd < 0 || fstat(fd, &st) == -1)
        return -1;
    errno = ENOENT;
    pthread_mutex_lock(&known_lock);
    if ((size_t)fd < nknown && known[fd].path && known[fd].dev == st.st_dev &&
        known[fd].ino == st.st_ino) {
        size_t len = strlen(known[fd].path);

        if (len < size) {
            memcpy(buf, known[fd].path, len + 1);
            n = (ssize_t)len;
        } else {
            errno = ENAMETOOLONG;
        }
    }
    pthread_mutex_unlock(&known_lock);
    return n;
}

/* The same file opened anew, by its path: it must still be the same inode. */
int winipc__file_reopen(int fd, int flags)
{
    char path[PATH_MAX];
    struct stat a, b;
    int fd2;

    if (winipc__file_path(fd, path, sizeof path) < 0)
        return -1;
    fd2 = open(path, flags | O_CLOEXEC | O_NOFOLLOW);
    if (fd2 >= 0 && (fstat(fd, &a) == -1 || fstat(fd2, &b) == -1 || a.st_dev != b.st_dev ||
                     a.st_ino != b.st_ino)) {
        close(fd2);
        errno = ENOENT;
        return -1;
    }
    return fd2;
}

/*
 * The mapped mark is a shared flock of the section's own open file description of the
 * file (winipc__file_reopen gives it one). A Win32 program does not flock its files.
 */
void winipc__file_mark_mapped(int fd)
{
    flock(fd, LOCK_SH | LOCK_NB);
}

/* Whether anyone holds the mark: an exclusive flock of a new open of the file fails. */
bool winipc__file_is_mapped(int fd)
{
    bool mapped;
    int probe = winipc__file_reopen(fd, O_RDONLY | O_NONBLOCK);

    if (probe == -1)
        return false;
    mapped = flock(probe, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK;
    close(probe);
    return mapped;
}

/* mmap with the address as a hint: the kernel takes it when the range is free. */
void *winipc__mmap_noreplace(void *want, size_t size, int prot, int flags, int fd, off_t offset)
{
    void *addr = mmap(want, size, prot, flags, fd, offset);

    if (addr != MAP_FAILED && addr != want) {
        munmap(addr, size);
        errno = EEXIST;
        return MAP_FAILED;
    }
    return addr;
}

/* link and unlink: atomic against another creator of dst, as RENAME_NOREPLACE is. A
   directory (which cannot be linked) is renamed after a check. */
int winipc__rename_noreplace(const char *src, const char *dst)
{
    struct stat st;

    if (lstat(src, &st) == 0 && !S_ISDIR(st.st_mode)) {
        if (link(src, dst) == -1)
            return -1;
        if (unlink(src) == -1) {
            int err = errno;

            unlink(dst);
            return errno = err, -1;
        }
        return 0;
    }
    if (lstat(dst, &st) == 0)
        return errno = EEXIST, -1;
    return rename(src, dst);
}

/*
 * No /proc: VirtualQuery describes only what VirtualAlloc reserved and winipc's views
 * (memory.c, from mapping.c's table); any other address fails with ERROR_NOT_SUPPORTED.
 * Differs from Windows: VirtualQuery of stacks, heaps and code, and of free address
 * space, is not supported on the portable backend.
 */
char *winipc__memory_map_text(void)
{
    errno = EOPNOTSUPP;
    return NULL;
}

int winipc__map_noreserve(void)
{
    return 0;
}

/* No pipe2 (macOS): a thread that forks and execs between pipe and fcntl would leak the
   descriptors into that program. */
int winipc__pipe_cloexec(int fds[2])
{
    if (pipe(fds) != 0)
        return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

int winipc__socketpair_cloexec(int sv[2])
{
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return -1;
    fcntl(sv[0], F_SETFD, FD_CLOEXEC);
    fcntl(sv[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

/*
 * send without SIGPIPE: POSIX has no MSG_NOSIGNAL everywhere (macOS lacks it), so the
 * signal is blocked in this thread around the call and a SIGPIPE it raised is taken
 * back with sigwait (one that was pending before is left alone).
 */
ssize_t winipc__send_nosignal(int fd, const void *buf, size_t len)
{
    sigset_t pipe_set, old, pending;
    bool was_pending;
    ssize_t r;
    int err, sig;

    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigpending(&pending);
    was_pending = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    r = send(fd, buf, len, 0);
    err = errno;
    if (r == -1 && err == EPIPE && !was_pending) {
        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE))
            sigwait(&pipe_set, &sig);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = err;
    return r;
}

/* POSIX has no birth time (macOS and FreeBSD have st_birthtim(espec)): ctime is used. */
bool winipc__birth_time(int fd, const char *path, struct timespec *out)
{
    (void)fd, (void)path, (void)out;
    return false;
}

const char *winipc__memory_dir(void)
{
    return WINIPC_PORTABLE_DIR;
}

/*
 * Differs from Windows: the portable backend cannot tell a written copy-on-write page
 * from an untouched one (only Linux describes a process's pages to it), so VirtualQuery
 * reports such a page PAGE_WRITECOPY even after a write made it the process's own, and
 * an unwritten one given a shared protection again stays a private copy (memory.c
 * keeps every copy rather than risk dropping a written one).
 */
int winipc__page_written(uintptr_t addr)
{
    (void)addr;
    return -1;
}

/*
 * Each page after the first is probed through a pipe: write() of one of its bytes
 * fails with EFAULT where reading it would fault, and read() of that byte back into
 * the same place fails with EFAULT where writing would (the byte written back is the
 * one just read, into memory this call is about to fill). POSIX has no call that asks
 * about an address; this one works wherever the kernel checks user buffers, as every
 * system does. Without a pipe (out of descriptors), the buffer counts as accessible.
 */
bool winipc__buffer_accessible(void *buf, size_t n, bool fill)
{
    size_t page = winipc__page_size();
    uintptr_t at = ((uintptr_t)buf | (page - 1)) + 1, end = (uintptr_t)buf + n;
    bool ok = true;
    int p[2];
    char drain;

    if (at >= end || pipe(p) == -1)
        return true;
    for (; ok && at < end; at += page) {
        ssize_t w = write(p[1], (void *)at, 1);

        if (w != 1) {
            ok = !(w == -1 && errno == EFAULT);
            break; /* EFAULT: unreadable; anything else: cannot tell, accessible */
        }
        if (fill && read(p[0], (void *)at, 1) == -1 && errno == EFAULT) {
            ok = false;
            if (read(p[0], &drain, 1) != 1)
                break;
        } else if (!fill && read(p[0], &drain, 1) != 1) {
            break;
        }
    }
    close(p[0]);
    close(p[1]);
    return ok;
}

/* Through a pipe, as winipc__buffer_accessible: write() of the byte fails with EFAULT
   where reading it would fault. Without a pipe, every address counts as readable. */
bool winipc__readable(const void *p)
{
    int fds[2];
    ssize_t w;
    int err;

    if (pipe(fds) == -1)
        return true;
    w = write(fds[1], p, 1);
    err = errno;
    close(fds[0]);
    close(fds[1]);
    return w == 1 || err != EFAULT;
}
