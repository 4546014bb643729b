/*
 * winipc/crt_posix.h - the Microsoft C runtime's names of POSIX calls, as <io.h>,
 * <direct.h> and <process.h> declare them. Include those from the compat directory.
 *
 * _open, _read, _access, _mkdir, _getcwd, ... are the POSIX calls under Microsoft's
 * names (their argument values are the same: _access modes 0/2/4/6, _O_* flags).
 * _beginthreadex starts a thread with CreateThread, so the handle it returns is a
 * Win32 thread handle to wait on and close, as on Windows.
 * Differs from Windows: _O_TEXT and _O_BINARY are 0 (Linux has no text mode), and
 * _mkdir uses mode 0777 (less the umask).
 */
#ifndef WINIPC_CRT_POSIX_H
#define WINIPC_CRT_POSIX_H

#include <winipc.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- io.h ----------------------------------------------------------------------- */
#define _O_RDONLY O_RDONLY
#define _O_WRONLY O_WRONLY
#define _O_RDWR O_RDWR
#define _O_APPEND O_APPEND
#define _O_CREAT O_CREAT
#define _O_TRUNC O_TRUNC
#define _O_EXCL O_EXCL
#define _O_TEXT 0
#define _O_BINARY 0
#define _O_NOINHERIT O_CLOEXEC
#define _O_TEMPORARY 0
#define _O_SEQUENTIAL 0
#define _O_RANDOM 0
#define O_BINARY 0
#define O_TEXT 0
#define _S_IREAD S_IRUSR
#define _S_IWRITE S_IWUSR
#define _S_IFDIR S_IFDIR
#define _S_IFREG S_IFREG
#define _S_IFMT S_IFMT
#define _open open
#define _close close
#define _read(fd, buf, n) ((int)read((fd), (buf), (n)))
#define _write(fd, buf, n) ((int)write((fd), (buf), (n)))
#define _lseek lseek
#define _lseeki64 lseek
#define _telli64(fd) lseek((fd), 0, SEEK_CUR)
#define _access access
#define _unlink unlink
#define _dup dup
#define _dup2 dup2
#define _isatty isatty
#define _fileno fileno
#define _fdopen fdopen
#define _chmod chmod
#define _umask umask
#define _commit fsync
#define _setmode(fd, mode) ((void)(fd), (void)(mode), O_BINARY)
#define _filelength(fd) winipc_filelength(fd)
#define _chsize(fd, size) ftruncate((fd), (size))
#define _chsize_s(fd, size) (ftruncate((fd), (size)) == 0 ? 0 : errno)
#define _fseeki64 fseeko
#define _ftelli64 ftello
#define _stat stat
#define _stat64 stat
#define _stati64 stat
#define _fstat fstat
#define _fstat64 fstat
#define _fstati64 fstat
/* _filelength: the size of the open file, or -1. */
static inline long winipc_filelength(int fd)
{
    struct stat st;

    return fstat(fd, &st) == 0 ? (long)st.st_size : -1L;
}

/* ---- direct.h --------------------------------------------------------------------- */
#define _mkdir(path) mkdir((path), 0777)
#define _rmdir rmdir
#define _chdir chdir
#define _getcwd getcwd

/* ---- process.h -------------------------------------------------------------------- */
#define _getpid getpid
/* _beginthreadex: 0 on failure, else a thread HANDLE as an integer (CloseHandle it). */
static inline uintptr_t _beginthreadex(void *security, unsigned stack_size,
                                       unsigned(WINAPI *start)(void *), void *arg, unsigned flags,
                                       unsigned *thread_id)
{
    return (uintptr_t)CreateThread((LPSECURITY_ATTRIBUTES)security, stack_size,
                                   (LPTHREAD_START_ROUTINE)start, arg, flags, (LPDWORD)thread_id);
}
#define _endthreadex(code) ExitThread(code)

#endif /* WINIPC_CRT_POSIX_H */
