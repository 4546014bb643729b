/*
 * posix/trace.h - the tracing layer: what the generated winipc_trace_gen.c (made by
 * cmake/winipc-trace-gen.cmake from the public headers) needs from posix/trace.c.
 *
 * Every exported function X is an IFUNC. Its resolver runs once, when the library is
 * loaded (or, with lazy binding, at X's first call), and returns either the hidden
 * implementation winipc__impl_X -- then a call costs what it cost before tracing
 * existed: the same PLT jump into the same code -- or a static wrapper that logs the
 * call. WINIPC_TRACE chooses, per area: 1 or all, or a list such as sync,map.
 *
 * This header must not include internal.h: the generated file defines the exported
 * names, which internal.h renames.
 */
#ifndef WINIPC_POSIX_TRACE_H
#define WINIPC_POSIX_TRACE_H

#include "winipc.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Areas, selected by name in WINIPC_TRACE (trace.c has the names). */
enum winipc__trace_area {
    WINIPC__TRACE_AREA_ERROR = 1u << 0,    /* GetLastError, SetLastError */
    WINIPC__TRACE_AREA_HANDLE = 1u << 1,   /* CloseHandle, DuplicateHandle */
    WINIPC__TRACE_AREA_MAP = 1u << 2,      /* file mappings and views */
    WINIPC__TRACE_AREA_FILE = 1u << 3,     /* files */
    WINIPC__TRACE_AREA_SYNC = 1u << 4,     /* mutexes, events, semaphores, timers, waits */
    WINIPC__TRACE_AREA_THREAD = 1u << 5,   /* threads */
    WINIPC__TRACE_AREA_PROCESS = 1u << 6,  /* processes */
    WINIPC__TRACE_AREA_SECURITY = 1u << 7, /* security descriptors */
    WINIPC__TRACE_AREA_TEXT = 1u << 8,     /* code page conversions */
    WINIPC__TRACE_AREA_SYS = 1u << 9,      /* system information, time, extensions */
};

/* How an argument is shown. */
enum winipc__trace_fmt {
    WINIPC__TRACE_AUTO,   /* an integer in hex, of its size; else its size */
    WINIPC__TRACE_PTR,    /* a pointer */
    WINIPC__TRACE_STR,    /* a NUL-terminated UTF-8 string, quoted */
    WINIPC__TRACE_WSTR,   /* a NUL-terminated wide string, quoted (as UTF-8) */
    WINIPC__TRACE_HANDLE, /* a HANDLE, in hex */
    WINIPC__TRACE_BOOL,   /* TRUE, FALSE or the number */
    WINIPC__TRACE_I64,    /* a LARGE_INTEGER, in decimal */
    WINIPC__TRACE_DEC,    /* a signed integer, in decimal */
    WINIPC__TRACE_UDEC,   /* an unsigned integer, in decimal */
    WINIPC__TRACE_HEX,    /* flags, access masks: hex */
    WINIPC__TRACE_ERROR,  /* a Win32 error code: its name */
};

/* How a result is shown, and which value means failure. */
enum winipc__trace_result {
    WINIPC__TRACE_R_VOID,
    WINIPC__TRACE_R_AUTO,
    WINIPC__TRACE_R_HANDLE_NULL,    /* NULL fails */
    WINIPC__TRACE_R_HANDLE_INVALID, /* INVALID_HANDLE_VALUE fails (CreateFile) */
    WINIPC__TRACE_R_HANDLE_PSEUDO,  /* never fails */
    WINIPC__TRACE_R_BOOL,           /* FALSE fails */
    WINIPC__TRACE_R_WAIT,           /* WAIT_* names; WAIT_FAILED fails */
    WINIPC__TRACE_R_ERROR,          /* an error code (GetLastError) */
    WINIPC__TRACE_R_DWORD_INVALID,  /* 0xFFFFFFFF with a last error fails */
    WINIPC__TRACE_R_UDEC,           /* never fails */
    WINIPC__TRACE_R_PTR_NULL,       /* NULL fails */
    WINIPC__TRACE_R_STR,            /* a string; NULL fails */
    WINIPC__TRACE_R_INT_ZERO,       /* 0 fails */
};

/* One call being traced: its line is built on the caller's stack. */
struct winipc__trace_call {
    struct timespec start;
    size_t len;      /* bytes used in line */
    unsigned nargs;  /* arguments formatted so far */
    char line[2048]; /* the line, cut (with "...") if longer */
};

#define WINIPC__TRACE_HIDDEN __attribute__((visibility("hidden")))

/*
 * Resolvers run while the dynamic linker relocates the program, before the C library
 * and sanitizer runtimes are initialised (before TLS in a static program): their code
 * calls nothing, reads no TLS, and is not instrumented.
 */
#if defined(__has_attribute)
#if __has_attribute(no_stack_protector)
#define WINIPC__NO_STACK_PROTECTOR __attribute__((no_stack_protector))
#endif
#endif
#ifndef WINIPC__NO_STACK_PROTECTOR
#define WINIPC__NO_STACK_PROTECTOR
#endif
#define WINIPC__RESOLVER                                                                     \
    __attribute__((no_sanitize("address"), no_sanitize("thread"), no_sanitize("undefined"))) \
    WINIPC__NO_STACK_PROTECTOR

/* Whether WINIPC_TRACE asks for `area` (read once, from the environment at start). */
bool winipc__trace_wanted(unsigned area) WINIPC__RESOLVER WINIPC__TRACE_HIDDEN;

void winipc__trace_begin(struct winipc__trace_call *t, const char *fn) WINIPC__TRACE_HIDDEN;
void winipc__trace_arg(struct winipc__trace_call *t, enum winipc__trace_fmt fmt, const void *arg,
                       size_t size) WINIPC__TRACE_HIDDEN;
/* The arguments are in: the call starts now (its duration is measured from here). */
void winipc__trace_started(struct winipc__trace_call *t) WINIPC__TRACE_HIDDEN;
/* Adds the result, GetLastError() and the duration, and writes the line. Keeps the last
   error and errno as they were. */
void winipc__trace_end(struct winipc__trace_call *t, enum winipc__trace_result how,
                       const void *result, size_t size) WINIPC__TRACE_HIDDEN;

/* The SDK name of a Win32 error code ("ERROR_FILE_NOT_FOUND"), or NULL (generated from
   include/winipc/winerror.h). */
const char *winipc__error_name(DWORD code) WINIPC__TRACE_HIDDEN;

#endif /* WINIPC_POSIX_TRACE_H */
