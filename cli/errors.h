/*
 * cli/errors.h - Win32 error codes as the winipc command prints them:
 * "ERROR_FILE_NOT_FOUND (2): The system cannot find the file specified."
 *
 * The one place that knows error names and texts: when winipc gains FormatMessage,
 * cli_error_text becomes a call to it.
 */
#ifndef WINIPC_CLI_ERRORS_H
#define WINIPC_CLI_ERRORS_H

#include <stddef.h>

/* Formats `code` into buf and returns buf. */
const char *cli_error_text(unsigned code, char *buf, size_t size);
/* The Win32 code for an errno value (the library's own table). */
unsigned cli_error_from_errno(int err);

#endif /* WINIPC_CLI_ERRORS_H */
