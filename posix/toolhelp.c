/*
 * toolhelp.c - Toolhelp32 snapshots (tlhelp32.h) from /proc: the processes and threads
 * of the machine, and the modules of one process, as they were when the snapshot was
 * taken. Code that looks for a process by its executable's name, or counts its own
 * threads, works unchanged.
 *
 * A snapshot is a process-local handle (CloseHandle ends it, it is not waitable) that
 * keeps three lists and a cursor in each: First rewinds, Next moves on, and the end is
 * ERROR_NO_MORE_FILES, as is a list the snapshot was not asked for. An entry whose
 * dwSize is smaller than the structure fails with ERROR_INSUFFICIENT_BUFFER (Wine does
 * the same; Microsoft asks callers to set it).
 *
 * What the fields hold on Linux:
 *   szExeFile     the executable's file name (/proc/PID/exe), or the kernel's name of
 *                 the process (/proc/PID/comm) where that link cannot be read (another
 *                 user's process, a kernel thread)
 *   cntThreads, th32ParentProcessID   /proc/PID/stat
 *   pcPriClassBase, tpBasePri   the Windows priority class base nearest the nice value
 *                 (idle 4, below normal 6, normal 8, above normal 10, high 13)
 *   modules       every file a process maps with execute permission, from
 *                 /proc/PID/maps, the executable first: base, size (from its first to
 *                 its last mapping), file name and path; hModule is the base
 *   th32ModuleID 1, GlblcntUsage and ProccntUsage 0xFFFF, as Microsoft documents.
 *
 * Differs from Windows: there are no heap lists (TH32CS_SNAPHEAPLIST is accepted and
 * gives none), TH32CS_INHERIT is ignored (a child does not get the snapshot),
 * cntUsage, th32DefaultHeapID and dwFlags are 0, and processes and
 * threads of other users are listed as /proc shows them (hidepid mounts hide them).
 * The modules of a process that may not be read (another user's) fail the snapshot
 * with ERROR_ACCESS_DENIED, of one that does not exist with ERROR_INVALID_PARAMETER.
 */
#include "internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "winipc/toolhelp.h"

struct proc_entry {
    DWORD pid, ppid, threads;
    LONG pri;
    char exe[MAX_PATH];
};

struct thread_entry {
    DWORD tid, pid;
    LONG pri;
};

struct module_entry {
    uintptr_t base, end;
    char path[MAX_PATH];
};

/* A list of entries and the caller's place in it. */
struct list {
    void *v;
    size_t n, cap, next;
};

struct snapshot {
    struct winipc__object obj;
    pthread_mutex_t lock; /* the cursors */
    DWORD pid;            /* whose modules */
    struct list procs, threads, modules;
};

static struct snapshot *snapshot_of(struct winipc__object *obj)
{
    return WINIPC__CONTAINER(obj, struct snapshot, obj);
}

static void snapshot_destroy(struct winipc__object *obj)
{
    struct snapshot *s = snapshot_of(obj);

    free(s->procs.v);
    free(s->threads.v);
    free(s->modules.v);
    pthread_mutex_destroy(&s->lock);
}

const struct winipc__ops winipc__snapshot_ops = {
    .kind = WINIPC__SNAPSHOT,
    .name = "Snapshot",
    .size = sizeof(struct snapshot),
    .all_access = STANDARD_RIGHTS_ALL,
    .generic = {STANDARD_RIGHTS_READ, STANDARD_RIGHTS_WRITE, STANDARD_RIGHTS_EXECUTE,
                STANDARD_RIGHTS_ALL},
    .destroy = snapshot_destroy,
};

/* Room for one more entry of `size` bytes at the end of l; NULL on ENOMEM. */
static void *list_add(struct list *l, size_t size)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        void *v = realloc(l->v, cap * size);

        if (!v)
            return NULL;
        l->v = v;
        l->cap = cap;
    }
    return memset((char *)l->v + l->n++ * size, 0, size);
}

/* ---- Reading /proc ------------------------------------------------------------------ */

/* src into dst of `size` bytes, cut short if need be. */
static void copy_cut(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);

    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The Windows priority class base nearest a nice value. */
static LONG priority_of(long nice)
{
    return nice >= 15 ? 4 : nice > 0 ? 6 : nice == 0 ? 8 : nice > -15 ? 10 : 13;
}

/* Reads a small /proc file into buf (NUL-terminated); its length, or -1. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd == -1)
        return -1;
    n = read(fd, buf, size - 1);
    close(fd);
    if (n >= 0)
        buf[n] = '\0';
    return n;
}

/*
 * /proc/PID/stat: the name (between the first '(' and the last ')': it may hold both),
 * the parent, the nice value and the thread count. False if the process is gone.
 */
static bool read_stat(const char *dir, char *comm, size_t comm_size, DWORD *ppid, long *nice,
                      DWORD *threads)
{
    char path[96], buf[1024], *open_paren, *close_paren;
    long f[18];
    int got;

    snprintf(path, sizeof path, "%s/stat", dir);
    if (read_small(path, buf, sizeof buf) <= 0 || !(open_paren = strchr(buf, '(')) ||
        !(close_paren = strrchr(buf, ')')) || close_paren < open_paren)
        return false;
    if (comm) {
        size_t len = (size_t)(close_paren - open_paren - 1);

        if (len >= comm_size)
            len = comm_size - 1;
        memcpy(comm, open_paren + 1, len);
        comm[len] = '\0';
    }
    /* After the name: state, then fields 4 (ppid) ... 20 (num_threads). */
    got = sscanf(close_paren + 2,
                 "%*c %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld", &f[0],
                 &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10], &f[11],
                 &f[12], &f[13], &f[14], &f[15], &f[16]);
    if (got < 17)
        return false;
    *ppid = (DWORD)f[0];
    *nice = f[15];
    *threads = (DWORD)f[16];
    return true;
}

/* The file name of process dir's executable, else its kernel name. */
static void exe_name(const char *dir, const char *comm, char *out, size_t size)
{
    char path[96], target[PATH_MAX];
    ssize_t n;

    snprintf(path, sizeof path, "%s/exe", dir);
    n = readlink(path, target, sizeof target - 1);
    if (n > 0) {
        const char *deleted = " (deleted)", *base;

        target[n] = '\0';
        if ((size_t)n > strlen(deleted) && strcmp(target + n - strlen(deleted), deleted) == 0)
            target[n - strlen(deleted)] = '\0';
        base = strrchr(target, '/');
        copy_cut(out, size, base ? base + 1 : target);
    } else {
        copy_cut(out, size, comm);
    }
}

static bool numeric(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* The processes (and, if `threads`, their threads) of the machine; false on ENOMEM. */
static bool take_processes(struct snapshot *s, bool procs, bool threads)
{
    DIR *d = opendir("/proc");
    struct dirent *de;
    bool ok = true;

    if (!d)
        return true; /* no /proc: nothing to list */
    while (ok && (de = readdir(d))) {
        char dir[64], comm[64];
        DWORD ppid, count;
        long nice;

        if (!numeric(de->d_name))
            continue;
        snprintf(dir, sizeof dir, "/proc/%.20s", de->d_name); /* digits only */
        if (!read_stat(dir, comm, sizeof comm, &ppid, &nice, &count))
            continue; /* gone meanwhile */
        if (procs) {
            struct proc_entry *p = list_add(&s->procs, sizeof *p);

            if (!(ok = p != NULL))
                break;
            p->pid = (DWORD)strtoul(de->d_name, NULL, 10);
            p->ppid = ppid;
            p->threads = count;
            p->pri = priority_of(nice);
            exe_name(dir, comm, p->exe, sizeof p->exe);
        }
        if (threads) {
            char task[80];
            DIR *td;
            struct dirent *te;

            snprintf(task, sizeof task, "%s/task", dir);
            if (!(td = opendir(task)))
                continue;
            while ((te = readdir(td))) {
                struct thread_entry *t;

                if (!numeric(te->d_name))
                    continue;
                if (!(t = list_add(&s->threads, sizeof *t))) {
                    ok = false;
                    break;
                }
                t->tid = (DWORD)strtoul(te->d_name, NULL, 10);
                t->pid = (DWORD)strtoul(de->d_name, NULL, 10);
                t->pri = priority_of(nice);
            }
            closedir(td);
        }
    }
    closedir(d);
    /* readdir's order is the file system's: by pid, as Windows roughly lists them. */
    return ok;
}

/*
 * The modules of process pid: each file it maps with execute permission, with the
 * span of all its mappings of that file; the executable first. 0 or a Win32 error.
 */
static DWORD take_modules(struct snapshot *s, DWORD pid)
{
    char path[64], exe[PATH_MAX] = "", line[PATH_MAX + 128];
    FILE *f;
    ssize_t n;

    snprintf(path, sizeof path, "/proc/%" PRIu32 "/exe", (uint32_t)pid);
    if ((n = readlink(path, exe, sizeof exe - 1)) > 0)
        exe[n] = '\0';
    snprintf(path, sizeof path, "/proc/%" PRIu32 "/maps", (uint32_t)pid);
    if (!(f = fopen(path, "re")))
        return errno == ENOENT ? ERROR_INVALID_PARAMETER : ERROR_ACCESS_DENIED;
    while (fgets(line, sizeof line, f)) {
        uintptr_t start, end;
        char perms[8];
        unsigned long long inode;
        int file_at = 0;
        struct module_entry *m = NULL;
        char *file;

        if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s %*s %*s %llu %n", &start, &end, perms,
                   &inode, &file_at) < 4 ||
            !inode || !file_at || line[file_at] != '/')
            continue;
        file = line + file_at;
        file[strcspn(file, "\n")] = '\0';
        for (size_t i = 0; i < s->modules.n; i++) {
            struct module_entry *e = (struct module_entry *)s->modules.v + i;

            if (strcmp(e->path, file) == 0)
                m = e;
        }
        if (!m) { /* a file mapped without execute permission is data, not a module */
            if (!strchr(perms, 'x') || strlen(file) >= sizeof m->path)
                continue;
            if (!(m = list_add(&s->modules, sizeof *m))) {
                fclose(f);
                return ERROR_NOT_ENOUGH_MEMORY;
            }
            memcpy(m->path, file, strlen(file) + 1);
            m->base = start;
        }
        if (start < m->base)
            m->base = start;
        if (end > m->end)
            m->end = end;
    }
    fclose(f);
    /* The executable first, as Windows lists the process's own image. */
    for (size_t i = 1; i < s->modules.n; i++) {
        struct module_entry *e = s->modules.v, t;

        if (strcmp(e[i].path, exe) == 0) {
            t = e[i];
            memmove(e + 1, e, i * sizeof *e);
            e[0] = t;
            break;
        }
    }
    return 0;
}

HANDLE WINAPI CreateToolhelp32Snapshot(DWORD flags, DWORD pid)
{
    struct winipc__object *obj;
    struct snapshot *s;
    DWORD err = 0;
    HANDLE h;

    if (!(obj = winipc__object_new_local(&winipc__snapshot_ops)))
        return INVALID_HANDLE_VALUE;
    s = snapshot_of(obj);
    pthread_mutex_init(&s->lock, NULL);
    s->pid = pid ? pid : (DWORD)winipc__cached_pid();
    if ((flags & (TH32CS_SNAPPROCESS | TH32CS_SNAPTHREAD)) &&
        !take_processes(s, flags & TH32CS_SNAPPROCESS, flags & TH32CS_SNAPTHREAD))
        err = ERROR_NOT_ENOUGH_MEMORY;
    if (!err && (flags & (TH32CS_SNAPMODULE | TH32CS_SNAPMODULE32)))
        err = take_modules(s, s->pid);
    if (err) {
        winipc__object_unref(obj);
        return winipc__fail(INVALID_HANDLE_VALUE, err);
    }
    /* TH32CS_INHERIT is not honoured: a snapshot is not handed to a child. */
    h = winipc__handle_new(obj, STANDARD_RIGHTS_ALL);
    return h ? h : INVALID_HANDLE_VALUE;
}

/* ---- Walking a snapshot ------------------------------------------------------------- */

enum which { PROCESSES, THREADS, MODULES };

/*
 * Copies into *out the entry of list `which` that First (rewind) or Next asks for;
 * false with the last error set on a bad handle, a `size` below `need`, or at the end.
 */
static bool walk(HANDLE h, enum which which, bool first, DWORD size, DWORD need, void *out)
{
    static const size_t entry[] = {sizeof(struct proc_entry), sizeof(struct thread_entry),
                                   sizeof(struct module_entry)};
    struct winipc__hold hold;
    struct snapshot *s;
    struct list *l;
    bool ok;

    if (!winipc__handle_hold(h, WINIPC__SNAPSHOT, &hold))
        return false;
    s = snapshot_of(hold.obj);
    l = which == PROCESSES ? &s->procs : which == THREADS ? &s->threads : &s->modules;
    pthread_mutex_lock(&s->lock);
    if (first)
        l->next = 0;
    ok = size >= need && l->next < l->n;
    if (ok)
        memcpy(out, (char *)l->v + l->next++ * entry[which], entry[which]);
    pthread_mutex_unlock(&s->lock);
    winipc__handle_release(&hold);
    if (!ok)
        winipc__set_error(size < need ? ERROR_INSUFFICIENT_BUFFER : ERROR_NO_MORE_FILES);
    return ok;
}

/* UTF-8 into a wide buffer of n characters, cut short if need be. */
static void widen(const char *s, WCHAR *out, size_t n)
{
    WCHAR *w = winipc__w_from_utf8(s);
    size_t len = w ? wcslen(w) : 0;

    if (len >= n)
        len = n - 1;
    if (w)
        memcpy(out, w, len * sizeof *out);
    out[len] = 0;
    free(w);
}

/* The fields PROCESSENTRY32 and PROCESSENTRY32W share; *p was taken by walk. */
#define FILL_PROCESS(pe, p)                   \
    do {                                      \
        (pe)->cntUsage = 0;                   \
        (pe)->th32ProcessID = (p).pid;        \
        (pe)->th32DefaultHeapID = 0;          \
        (pe)->th32ModuleID = 0;               \
        (pe)->cntThreads = (p).threads;       \
        (pe)->th32ParentProcessID = (p).ppid; \
        (pe)->pcPriClassBase = (p).pri;       \
        (pe)->dwFlags = 0;                    \
    } while (0)

static BOOL process_a(HANDLE h, LPPROCESSENTRY32 pe, bool first)
{
    struct proc_entry p;

    if (winipc__bad_pointer(pe))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (!walk(h, PROCESSES, first, pe->dwSize, sizeof *pe, &p))
        return FALSE;
    FILL_PROCESS(pe, p);
    copy_cut(pe->szExeFile, sizeof pe->szExeFile, p.exe);
    return TRUE;
}

static BOOL process_w(HANDLE h, LPPROCESSENTRY32W pe, bool first)
{
    struct proc_entry p;

    if (winipc__bad_pointer(pe))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (!walk(h, PROCESSES, first, pe->dwSize, sizeof *pe, &p))
        return FALSE;
    FILL_PROCESS(pe, p);
    widen(p.exe, pe->szExeFile, MAX_PATH);
    return TRUE;
}

BOOL WINAPI Process32First(HANDLE snapshot, LPPROCESSENTRY32 entry)
{
    return process_a(snapshot, entry, true);
}

BOOL WINAPI Process32Next(HANDLE snapshot, LPPROCESSENTRY32 entry)
{
    return process_a(snapshot, entry, false);
}

BOOL WINAPI Process32FirstW(HANDLE snapshot, LPPROCESSENTRY32W entry)
{
    return process_w(snapshot, entry, true);
}

BOOL WINAPI Process32NextW(HANDLE snapshot, LPPROCESSENTRY32W entry)
{
    return process_w(snapshot, entry, false);
}

static BOOL thread_walk(HANDLE h, LPTHREADENTRY32 te, bool first)
{
    struct thread_entry t;

    if (winipc__bad_pointer(te))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (!walk(h, THREADS, first, te->dwSize, sizeof *te, &t))
        return FALSE;
    te->cntUsage = 0;
    te->th32ThreadID = t.tid;
    te->th32OwnerProcessID = t.pid;
    te->tpBasePri = t.pri;
    te->tpDeltaPri = 0;
    te->dwFlags = 0;
    return TRUE;
}

BOOL WINAPI Thread32First(HANDLE snapshot, LPTHREADENTRY32 entry)
{
    return thread_walk(snapshot, entry, true);
}

BOOL WINAPI Thread32Next(HANDLE snapshot, LPTHREADENTRY32 entry)
{
    return thread_walk(snapshot, entry, false);
}

/* The fields MODULEENTRY32 and MODULEENTRY32W share. */
#define FILL_MODULE(me, m, pid)                          \
    do {                                                 \
        (me)->th32ModuleID = 1;                          \
        (me)->th32ProcessID = (pid);                     \
        (me)->GlblcntUsage = 0xFFFF;                     \
        (me)->ProccntUsage = 0xFFFF;                     \
        (me)->modBaseAddr = (BYTE *)(m).base;            \
        (me)->modBaseSize = (DWORD)((m).end - (m).base); \
        (me)->hModule = (HMODULE)(m).base;               \
    } while (0)

/* The snapshot's process, for the module entries (taken under a hold). */
static DWORD snapshot_pid(HANDLE h)
{
    struct winipc__hold hold;
    DWORD pid = 0;

    if (winipc__handle_hold(h, WINIPC__SNAPSHOT, &hold)) {
        pid = snapshot_of(hold.obj)->pid;
        winipc__handle_release(&hold);
    }
    return pid;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

static BOOL module_a(HANDLE h, LPMODULEENTRY32 me, bool first)
{
    struct module_entry m;

    if (winipc__bad_pointer(me))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (!walk(h, MODULES, first, me->dwSize, sizeof *me, &m))
        return FALSE;
    FILL_MODULE(me, m, snapshot_pid(h));
    copy_cut(me->szModule, sizeof me->szModule, base_name(m.path));
    copy_cut(me->szExePath, sizeof me->szExePath, m.path);
    return TRUE;
}

static BOOL module_w(HANDLE h, LPMODULEENTRY32W me, bool first)
{
    struct module_entry m;

    if (winipc__bad_pointer(me))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (!walk(h, MODULES, first, me->dwSize, sizeof *me, &m))
        return FALSE;
    FILL_MODULE(me, m, snapshot_pid(h));
    widen(base_name(m.path), me->szModule, MAX_MODULE_NAME32 + 1);
    widen(m.path, me->szExePath, MAX_PATH);
    return TRUE;
}

BOOL WINAPI Module32First(HANDLE snapshot, LPMODULEENTRY32 entry)
{
    return module_a(snapshot, entry, true);
}

BOOL WINAPI Module32Next(HANDLE snapshot, LPMODULEENTRY32 entry)
{
    return module_a(snapshot, entry, false);
}

BOOL WINAPI Module32FirstW(HANDLE snapshot, LPMODULEENTRY32W entry)
{
    return module_w(snapshot, entry, true);
}

BOOL WINAPI Module32NextW(HANDLE snapshot, LPMODULEENTRY32W entry)
{
    return module_w(snapshot, entry, false);
}
