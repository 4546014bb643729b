/*
 * error.c - the thread-local last error and the one errno -> Win32 table.
 */
#include "internal.h"

#include <errno.h>

static WINIPC__TLS DWORD last_error;

DWORD WINAPI GetLastError(void)
{
    return last_error;
}

void WINAPI SetLastError(DWORD dwErrCode)
{
    last_error = dwErrCode;
}

void winipc__set_error(DWORD code)
{
    last_error = code;
}

/*
 * errno -> Win32, as Windows reports the same condition. Conditions that are
 * impossible on a correct path (EFAULT, EBADF) still map to something sensible so
 * that a failure is never reported as success.
 */
#define WINIPC__ERRNO_MAP(X)                    \
    X(ENOENT, ERROR_FILE_NOT_FOUND)             \
    X(ENOTDIR, ERROR_PATH_NOT_FOUND)            \
    X(ELOOP, ERROR_ACCESS_DENIED)               \
    X(EMFILE, ERROR_TOO_MANY_OPEN_FILES)        \
    X(ENFILE, ERROR_TOO_MANY_OPEN_FILES)        \
    X(EACCES, ERROR_ACCESS_DENIED)              \
    X(EPERM, ERROR_ACCESS_DENIED)               \
    X(EROFS, ERROR_WRITE_PROTECT)               \
    X(EBADF, ERROR_INVALID_HANDLE)              \
    X(ENOMEM, ERROR_NOT_ENOUGH_MEMORY)          \
    X(EEXIST, ERROR_FILE_EXISTS)                \
    X(EINVAL, ERROR_INVALID_PARAMETER)          \
    X(ENAMETOOLONG, ERROR_FILENAME_EXCED_RANGE) \
    X(ENOSPC, ERROR_DISK_FULL)                  \
    X(EDQUOT, ERROR_DISK_FULL)                  \
    X(EFBIG, ERROR_FILE_TOO_LARGE)              \
    X(EISDIR, ERROR_ACCESS_DENIED)              \
    X(EBUSY, ERROR_BUSY)                        \
    X(ETXTBSY, ERROR_SHARING_VIOLATION)         \
    X(EAGAIN, ERROR_LOCK_VIOLATION)             \
    X(EFAULT, ERROR_NOACCESS)                   \
    X(EIO, ERROR_GEN_FAILURE)                   \
    X(ENOSYS, ERROR_CALL_NOT_IMPLEMENTED)       \
    X(EOPNOTSUPP, ERROR_NOT_SUPPORTED)          \
    X(ETIMEDOUT, ERROR_TIMEOUT)                 \
    X(EOVERFLOW, ERROR_ARITHMETIC_OVERFLOW)     \
    X(EPIPE, ERROR_BROKEN_PIPE)

DWORD winipc__error_from_errno(int err)
{
    switch (err) {
#define WINIPC__ERRNO_CASE(e, w) \
    case e:                      \
        return w;
        WINIPC__ERRNO_MAP(WINIPC__ERRNO_CASE)
#undef WINIPC__ERRNO_CASE
    default:
        return ERROR_GEN_FAILURE;
    }
}

void winipc__set_errno_error(void)
{
    last_error = winipc__error_from_errno(errno);
}
