/*
 * posix/platform.h - the few system primitives in which the two POSIX backends
 * differ, for the files both build (handle.c, sysinfo.c, file.c, directory.c,
 * mapping.c, memory.c). The Linux backend implements them in posix/platform.c with
 * Linux's own interfaces; the portable backend (DESIGN.md section 4) in
 * portable/platform.c with POSIX ones, or reports the feature as missing.
 */
#ifndef WINIPC_POSIX_PLATFORM_H
#define WINIPC_POSIX_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/*
 * Process-wide memory barriers (membarrier): registers the process once, and after a
 * fork in the child; whether winipc__barrier can be used.
 */
bool winipc__barrier_register(void);
/* Makes every thread of the process execute a full memory barrier. */
void winipc__barrier(void);

/* The system's id of the calling thread (what GetCurrentThreadId reports). */
pid_t winipc__system_tid(void);

/*
 * A file that a section or a view maps carries a shared lock, owned by an open file
 * description of the section's, for as long as that description is open; SetEndOfFile
 * asks whether any process has one. Marking fails silently (the protection is lost).
 */
void winipc__file_mark_mapped(int fd);
bool winipc__file_is_mapped(int fd);
/* CreateFile opened `path` as fd: for winipc__file_reopen and winipc__file_path where
   the system cannot tell them from the descriptor alone. */
void winipc__file_opened(int fd, const char *path);
/* A new open file description of fd's file with `flags` (O_RDONLY/O_RDWR), or -1
   with errno (then the caller duplicates fd instead). */
int winipc__file_reopen(int fd, int flags);
/* The absolute path of fd's file in buf (NUL-terminated); its length or -1 with errno. */
ssize_t winipc__file_path(int fd, char *buf, size_t size);

/* mmap at exactly `want`, never over an existing mapping: MAP_FAILED with errno
   EEXIST when something is mapped there. */
void *winipc__mmap_noreplace(void *want, size_t size, int prot, int flags, int fd, off_t offset);
/* rename that fails with EEXIST when dst exists. */
int winipc__rename_noreplace(const char *src, const char *dst);
/* The process's memory map in /proc/self/maps format, malloc'ed and NUL-terminated,
   or NULL with errno (ENOSYS where the system has no such description). */
char *winipc__memory_map_text(void);
/* MAP_NORESERVE where mmap knows it (no swap reserved for a reservation), else 0. */
int winipc__map_noreserve(void);
/* A pipe whose both ends are close-on-exec; 0 or -1 with errno. */
int winipc__pipe_cloexec(int fds[2]);
/* A connected pair of stream sockets, both close-on-exec; 0 or -1 with errno. */
int winipc__socketpair_cloexec(int sv[2]);
/* send() on a stream socket that never raises SIGPIPE (EPIPE instead). */
ssize_t winipc__send_nosignal(int fd, const void *buf, size_t len);
/* A file's creation (birth) time where the system and file system keep one: whether it
   did. Of the file at `path`, following links, or of descriptor fd when path is NULL. */
bool winipc__birth_time(int fd, const char *path, struct timespec *out);
/* Whether the byte at p can be read, found without taking a fault. */
bool winipc__readable(const void *p);
/*
 * Whether every page of [buf, buf + n) can be read and, when `fill` (a read into it),
 * written. Windows probes the whole buffer before it transfers anything; the kernel
 * transfers up to the first page it cannot access and stops there, so a read into a
 * buffer whose second page is read-only would move the file pointer and return a short
 * count where Windows fails and moves nothing. The first page needs no probe: a fault
 * there transfers nothing. Where the system refuses the probe, true.
 */
bool winipc__buffer_accessible(void *buf, size_t n, bool fill);
/*
 * Whether the copy-on-write page at addr has been written, so that it is a private
 * copy now (VirtualQuery then reports it PAGE_READWRITE, as Windows does): 1 if it
 * has, 0 if not, -1 where the system cannot tell.
 */
int winipc__page_written(uintptr_t addr);
/* The directory whose file system holds shared memory (its capacity bounds sections). */
const char *winipc__memory_dir(void);

#endif /* WINIPC_POSIX_PLATFORM_H */
