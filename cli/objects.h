/*
 * cli/objects.h - what the winipc command sees of the named objects on the machine:
 * the files of the namespaces, their headers (read, never trusted: every field is
 * bounded), and their holders from the kernel's lock table.
 */
#ifndef WINIPC_CLI_OBJECTS_H
#define WINIPC_CLI_OBJECTS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

enum cli_kind {
    CLI_UNKNOWN = 0,
    CLI_SECTION = 1,
    CLI_MUTEX = 2,
    CLI_EVENT = 3,
    CLI_SEMAPHORE = 4,
    CLI_TIMER = 7,
};

struct cli_object {
    bool global;         /* Global\ namespace, else a user's */
    uid_t ns_uid;        /* the user whose namespace it is (Local) */
    char path[PATH_MAX]; /* the file */
    char entry[NAME_MAX + 1];
    char name[4 * 1024]; /* as a program spells it after the prefix, UTF-8 */
    bool name_truncated; /* only the start of a long name is known */
    bool valid;          /* a winipc header that matches its name */
    const char *problem; /* why not valid, or NULL */
    unsigned kind;       /* enum cli_kind, or the header's number */
    uid_t uid;           /* owner of the file */
    mode_t mode;         /* permission bits */
    dev_t dev;
    ino_t ino;
    uint64_t file_size;
    time_t created; /* birth time where the filesystem keeps it, else ctime */
    uint32_t creator_pid, creator_uid;
    union {
        struct {
            uint64_t size;
            uint32_t protect;
            bool file_backed;
            char file[2048];
        } section;
        struct {
            uint32_t owner_tid; /* 0: free */
            pid_t owner_pid;    /* the owner thread's process, 0 if unknown */
            bool owner_gone;    /* that thread no longer exists: abandoned */
            uint32_t recursion;
            bool abandoned; /* released by an exiting owner, not yet taken */
        } mutex;
        struct {
            bool signalled, manual_reset;
        } event;
        struct {
            uint32_t count;
            int32_t maximum;
        } semaphore;
        struct {
            bool signalled, manual_reset;
            bool active;       /* it has a due time */
            int64_t due_in_ms; /* from when it was read; negative: due, not yet fired */
            int64_t period_ms; /* 0: one-shot */
        } timer;
    } state;
    unsigned locks;    /* every lock on the file, from /proc/locks */
    unsigned holds;    /* holder locks (byte 0): one per holding process */
    pid_t holders[64]; /* holding processes seen in /proc (may be fewer than holds) */
    unsigned nholders;
    bool leftover; /* nobody holds it: left by crashed processes */
};

/* The objects of this user's namespace and Global\ (all users' with `all`). 0 or errno. */
int cli_list(bool all, struct cli_object **out, size_t *n);
/*
 * The object a program reaches with `name` (x, Local\x, Global\x). 0, or a Win32
 * error: ERROR_FILE_NOT_FOUND, ERROR_INVALID_NAME, ...
 */
unsigned cli_find(const char *name, struct cli_object *out);
/* The Win32 name's namespace entry, for cli_remove and cli_sweep_one. */
unsigned cli_resolve(const char *name, bool *global, char entry[NAME_MAX + 1]);
/* Removes an object's name (see winipc__remove_entry): 0 or an errno value. */
int cli_remove(const struct cli_object *o, bool force);
/* Removes a leftover as the library's sweep does; whether it was removed. */
bool cli_sweep_one(const struct cli_object *o);

const char *cli_kind_name(unsigned kind);
/* "Local" or "Global". */
const char *cli_namespace_name(const struct cli_object *o);

#endif /* WINIPC_CLI_OBJECTS_H */
