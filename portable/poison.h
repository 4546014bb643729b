/*
 * portable/poison.h - forced in front of every source the portable backend builds
 * (portable/portable.cmake: -include). It includes every system header those
 * sources use, then poisons the Linux-only interfaces (and the few that macOS or
 * FreeBSD lack), so that using one anywhere in the backend is a compile error: the
 * build itself proves the backend needs no futex, OFD lock, memfd, robust mutex,
 * raw syscall or other Linux extension. (Headers and /proc paths are checked by
 * portable/check-portable.cmake.) Identifiers poisoned after a header defined them
 * as macros are #undef'ed first (their definitions are not needed by what follows).
 */
#ifndef WINIPC_PORTABLE_POISON_H
#define WINIPC_PORTABLE_POISON_H

#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>
#if defined(__has_include) && __has_include(<malloc.h>) /* glibc, FreeBSD; not macOS */
#include <malloc.h>
#endif

/* Futexes and raw system calls. */
#undef syscall
#undef futex
#undef futex_waitv
#undef SYS_futex
#undef SYS_futex_waitv
#undef FUTEX_WAIT
#undef FUTEX_WAKE
#pragma GCC poison syscall futex futex_waitv SYS_futex SYS_futex_waitv FUTEX_WAIT FUTEX_WAKE
#undef FUTEX_WAIT_BITSET
#undef FUTEX_PRIVATE_FLAG
#undef FUTEX_32
#undef membarrier
#undef gettid
#pragma GCC poison FUTEX_WAIT_BITSET FUTEX_PRIVATE_FLAG FUTEX_32 membarrier gettid
/* Open file description locks (Linux); flock and classic fcntl locks are portable. */
#undef F_OFD_SETLK
#undef F_OFD_SETLKW
#undef F_OFD_GETLK
#pragma GCC poison F_OFD_SETLK F_OFD_SETLKW F_OFD_GETLK
/* memfd, robust and clock-selecting pthread calls (glibc). */
#undef memfd_create
#undef MFD_CLOEXEC
#undef pthread_mutexattr_setrobust
#undef pthread_mutex_consistent
#pragma GCC poison memfd_create MFD_CLOEXEC pthread_mutexattr_setrobust pthread_mutex_consistent
#undef PTHREAD_MUTEX_ROBUST
#undef EOWNERDEAD
#undef ENOTRECOVERABLE
#undef pthread_mutex_clocklock
#pragma GCC poison PTHREAD_MUTEX_ROBUST EOWNERDEAD ENOTRECOVERABLE pthread_mutex_clocklock
#undef pthread_cond_clockwait
#undef sem_clockwait
#undef pthread_mutexattr_setpshared
#pragma GCC poison pthread_cond_clockwait sem_clockwait pthread_mutexattr_setpshared
/* Process and event descriptors, Linux file calls and flags. */
#undef pidfd_open
#undef epoll_create
#undef epoll_create1
#undef epoll_ctl
#undef epoll_wait
#undef eventfd
#undef signalfd
#pragma GCC poison pidfd_open epoll_create epoll_create1 epoll_ctl epoll_wait eventfd signalfd
#undef timerfd_create
#undef inotify_init
#undef renameat2
#undef RENAME_NOREPLACE
#undef statx
#undef O_PATH
#undef O_TMPFILE
#pragma GCC poison timerfd_create inotify_init renameat2 RENAME_NOREPLACE statx O_PATH O_TMPFILE
#undef O_NOATIME
#undef posix_fallocate
#undef copy_file_range
#undef sendfile
#undef prctl
#undef getauxval
#pragma GCC poison O_NOATIME posix_fallocate copy_file_range sendfile prctl getauxval
/* mmap flags and calls that macOS or FreeBSD lack. */
#undef MAP_FIXED_NOREPLACE
#undef MAP_NORESERVE
#undef MAP_POPULATE
#undef MAP_LOCKED
#undef mremap
#pragma GCC poison MAP_FIXED_NOREPLACE MAP_NORESERVE MAP_POPULATE MAP_LOCKED mremap
/* What macOS lacks (sem_init works nowhere there: named semaphores only). */
#undef sem_init
#undef sem_destroy
#undef sem_getvalue
#undef pipe2
#undef dup3
#undef ppoll
#undef accept4
#undef clock_nanosleep
#pragma GCC poison sem_init sem_destroy sem_getvalue pipe2 dup3 ppoll accept4 clock_nanosleep
#undef timer_create
#undef pthread_condattr_setclock
#undef pthread_spin_lock
#undef pthread_barrier_init
#pragma GCC poison timer_create pthread_condattr_setclock pthread_spin_lock pthread_barrier_init
#undef SOCK_CLOEXEC
#undef SOCK_NONBLOCK
#undef MSG_NOSIGNAL
#undef CLOCK_BOOTTIME
#pragma GCC poison SOCK_CLOEXEC SOCK_NONBLOCK MSG_NOSIGNAL CLOCK_BOOTTIME
/* GNU-only functions (glibc declares them only with _GNU_SOURCE; poisoned for clarity). */
#undef strchrnul
#undef mempcpy
#undef malloc_usable_size
#undef get_nprocs
#undef sched_getcpu
#undef secure_getenv
#pragma GCC poison strchrnul mempcpy malloc_usable_size get_nprocs sched_getcpu secure_getenv
#pragma GCC poison process_vm_readv process_vm_writev

#endif /* WINIPC_PORTABLE_POISON_H */
