/*
 * cli/errors.c - names and texts of the Win32 errors the winipc command reports, with
 * the texts Windows' FormatMessage gives for them.
 */
#include "internal.h"

#include "errors.h"

#include <stdio.h>

#define CLI_ERRORS(X)                                                                            \
    X(ERROR_SUCCESS, "The operation completed successfully.")                                    \
    X(ERROR_FILE_NOT_FOUND, "The system cannot find the file specified.")                        \
    X(ERROR_PATH_NOT_FOUND, "The system cannot find the path specified.")                        \
    X(ERROR_TOO_MANY_OPEN_FILES, "The system cannot open the file.")                             \
    X(ERROR_ACCESS_DENIED, "Access is denied.")                                                  \
    X(ERROR_INVALID_HANDLE, "The handle is invalid.")                                            \
    X(ERROR_NOT_ENOUGH_MEMORY, "Not enough memory resources are available to process this "      \
                               "command.")                                                       \
    X(ERROR_GEN_FAILURE, "A device attached to the system is not functioning.")                  \
    X(ERROR_SHARING_VIOLATION, "The process cannot access the file because it is being used by " \
                               "another process.")                                               \
    X(ERROR_NOT_SUPPORTED, "The request is not supported.")                                      \
    X(ERROR_INVALID_PARAMETER, "The parameter is incorrect.")                                    \
    X(ERROR_CALL_NOT_IMPLEMENTED, "This function is not supported on this system.")              \
    X(ERROR_INVALID_NAME, "The filename, directory name, or volume label syntax is incorrect.")  \
    X(ERROR_BUSY, "The requested resource is in use.")                                           \
    X(ERROR_ALREADY_EXISTS, "Cannot create a file when that file already exists.")               \
    X(ERROR_FILENAME_EXCED_RANGE, "The filename or extension is too long.")                      \
    X(ERROR_NOT_OWNER, "Attempt to release mutex not owned by caller.")                          \
    X(ERROR_TOO_MANY_POSTS, "Too many posts were made to a semaphore.")                          \
    X(ERROR_NOACCESS, "Invalid access to memory location.")                                      \
    X(ERROR_TIMEOUT, "This operation returned because the timeout period expired.")

const char *cli_error_text(unsigned code, char *buf, size_t size)
{
    switch (code) {
#define CLI_ERROR_CASE(name, text)                                       \
    case name:                                                           \
        snprintf(buf, size, "%s (%u): %s", #name, (unsigned)name, text); \
        return buf;
        CLI_ERRORS(CLI_ERROR_CASE)
#undef CLI_ERROR_CASE
    default:
        snprintf(buf, size, "error %u", code);
        return buf;
    }
}

unsigned cli_error_from_errno(int err)
{
    return winipc__error_from_errno(err);
}
