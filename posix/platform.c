/*
 * platform.c - the Linux backend's primitives of posix/platform.h: membarrier, gettid,
 * OFD locks on the mapped byte, /proc/self/fd and /proc/self/maps, MAP_FIXED_NOREPLACE,
 * renameat2. The portable backend has its own (portable/platform.c).
 */
#include "internal.h"
#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

bool winipc__barrier_register(void)
{
    return syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
}

void winipc__barrier(void)
{
    syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
}

pid_t winipc__system_tid(void)
{
    return (pid_t)syscall(SYS_gettid);
}

/* The mapped mark is a shared OFD lock on WINIPC__MAPPED_BYTE, far beyond any data. */
void winipc__file_mark_mapped(int fd)
{
    struct flock fl = {
        .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = WINIPC__MAPPED_BYTE, .l_len = 1};

    fcntl(fd, F_OFD_SETLK, &fl);
}

bool winipc__file_is_mapped(int fd)
{
    struct flock fl = {
        .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = WINIPC__MAPPED_BYTE, .l_len = 1};

    return fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
}

void winipc__file_opened(int fd, const char *path)
{
    (void)fd, (void)path; /* /proc/self/fd knows */
}

int winipc__file_reopen(int fd, int flags)
{
    char path[64];

    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return open(path, flags | O_CLOEXEC);
}

ssize_t winipc__file_path(int fd, char *buf, size_t size)
{
    char proc_path[64];
    ssize_t n;

    snprintf(proc_path, sizeof proc_path, "/proc/self/fd/%d", fd);
    n = readlink(proc_path, buf, size);
    if (n >= 0 && (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (n >= 0)
        buf[n] = '\0';
    return n;
}

void *winipc__mmap_noreplace(void *want, size_t size, int prot, int flags, int fd, off_t offset)
{
    void *addr = mmap(want, size, prot, flags | MAP_FIXED_NOREPLACE, fd, offset);

    if (addr != MAP_FAILED && addr != want) { /* kernels before 4.17 ignore the flag */
        munmap(addr, size);
        errno = EEXIST;
        return MAP_FAILED;
    }
    return addr;
}

int winipc__rename_noreplace(const char *src, const char *dst)
{
    struct stat st;

    if (renameat2(AT_FDCWD, src, AT_FDCWD, dst, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    /* A file system without RENAME_NOREPLACE: check, then rename (not atomic). */
    if (lstat(dst, &st) == 0)
        return errno = EEXIST, -1;
    return rename(src, dst);
}

char *winipc__memory_map_text(void)
{
    size_t cap = 1 << 16, len = 0;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    char *text;

    if (fd == -1)
        return NULL;
    text = malloc(cap);
    for (;;) {
        ssize_t r;

        if (!text)
            break;
        if (len + 4096 > cap) {
            char *t = realloc(text, cap *= 2);

            if (!t) {
                free(text);
                text = NULL;
                break;
            }
            text = t;
        }
        r = read(fd, text + len, cap - len - 1);
        if (r == -1 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (!text)
        return errno = ENOMEM, NULL;
    text[len] = 0;
    return text;
}

int winipc__map_noreserve(void)
{
    return MAP_NORESERVE;
}

int winipc__pipe_cloexec(int fds[2])
{
    return pipe2(fds, O_CLOEXEC);
}

int winipc__socketpair_cloexec(int sv[2])
{
    return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
}

ssize_t winipc__send_nosignal(int fd, const void *buf, size_t len)
{
    return send(fd, buf, len, MSG_NOSIGNAL);
}

bool winipc__birth_time(int fd, const char *path, struct timespec *out)
{
    struct statx sx;

    if (statx(path ? AT_FDCWD : fd, path ? path : "", path ? 0 : AT_EMPTY_PATH, STATX_BTIME, &sx) !=
            0 ||
        !(sx.stx_mask & STATX_BTIME))
        return false;
    *out = (struct timespec){sx.stx_btime.tv_sec, sx.stx_btime.tv_nsec};
    return true;
}

const char *winipc__memory_dir(void)
{
    return WINIPC__SHM_DIR;
}

/*
 * /proc/self/pagemap says whether the page is no longer the file's (or the shared
 * memory's): present and exclusively mapped, or swapped out and not file-backed. A
 * page never touched, or unreadable flags, count as not written.
 */
int winipc__page_written(uintptr_t addr)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static int pagemap = -1; /* opened once per process: a fork child reopens its own */
    static pid_t owner;
    uint64_t entry = 0;
    bool got;

    pthread_mutex_lock(&lock);
    if (owner != winipc__cached_pid()) {
        if (pagemap >= 0)
            close(pagemap);
        pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
        owner = winipc__cached_pid();
    }
    got = pagemap >= 0 &&
          pread(pagemap, &entry, sizeof entry,
                (off_t)(addr / winipc__page_size() * sizeof entry)) == (ssize_t)sizeof entry;
    pthread_mutex_unlock(&lock);
    return got && ((entry >> 62) & 1 || ((entry >> 63) & 1 && !((entry >> 61) & 1)));
}

/*
 * Each page after the first is probed by copying
 * one of its bytes out of this process and back in (process_vm_readv and
 * process_vm_writev on ourselves, which fail where an access would fault); the byte
 * written back is the one just read, into memory this call is about to fill. Where
 * the calls are refused (a seccomp filter), the buffer counts as accessible.
 */
bool winipc__buffer_accessible(void *buf, size_t n, bool fill)
{
    size_t page = winipc__page_size();
    uintptr_t at = ((uintptr_t)buf | (page - 1)) + 1, end = (uintptr_t)buf + n;
    pid_t pid = winipc__cached_pid();

    while (at < end) {
        enum { BATCH = 64 };
        char bytes[BATCH];
        struct iovec local[BATCH], remote[BATCH];
        ssize_t r;
        int k;

        for (k = 0; k < BATCH && at < end; k++, at += page) {
            local[k] = (struct iovec){&bytes[k], 1};
            remote[k] = (struct iovec){(void *)at, 1};
        }
        r = process_vm_readv(pid, local, (unsigned long)k, remote, (unsigned long)k, 0);
        if (r == -1 && errno != EFAULT)
            return true;
        if (r != k)
            return false;
        if (fill &&
            process_vm_writev(pid, local, (unsigned long)k, remote, (unsigned long)k, 0) != k)
            return false;
    }
    return true;
}

/*
 * The kernel copies it from this process into
 * another buffer (process_vm_readv on ourselves), which fails with EFAULT where a
 * read would fault, so a bad pointer is found without taking the fault. Where the
 * call is refused (a seccomp filter), every address counts as readable.
 */
bool winipc__readable(const void *p)
{
    char byte;
    struct iovec local = {&byte, 1}, remote = {(void *)(uintptr_t)p, 1};

    if (process_vm_readv(winipc__cached_pid(), &local, 1, &remote, 1, 0) == 1)
        return true;
    return errno != EFAULT;
}
