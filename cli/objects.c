/*
 * cli/objects.c - the named objects as the winipc command sees them.
 *
 * Read-only except for cli_remove and cli_sweep_one, which go through object.c's
 * protocol. A file's header is read with pread (never mapped: a file truncated by
 * someone else must not raise SIGBUS here) and every field is bounded before use,
 * since any user with write access to an object may have written anything there.
 * Holders come from the kernel: /proc/locks counts the shared locks on byte 0 of each
 * file (one per holding process), /proc/<pid>/fdinfo names the processes we may look
 * at. A file without any lock is a leftover of crashed processes (a file being
 * created carries its creator's mutation lock on byte 1, so it is not).
 */
#include "internal.h"

#include "objects.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

const char *cli_kind_name(unsigned kind)
{
    switch (kind) {
    case CLI_SECTION:
        return "section";
    case CLI_MUTEX:
        return "mutex";
    case CLI_EVENT:
        return "event";
    case CLI_SEMAPHORE:
        return "semaphore";
    case CLI_TIMER:
        return "timer";
    default:
        return "?";
    }
}

const char *cli_namespace_name(const struct cli_object *o)
{
    return o->global ? "Global" : "Local";
}

/* ---- Names ------------------------------------------------------------------------- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The name an escaped entry stands for (names.c escapes with %XX). */
static void unescape(const char *entry, char *out, size_t size)
{
    size_t n = 0;

    for (const char *p = entry; *p && n + 1 < size; p++) {
        int hi, lo;

        if (p[0] == '%' && (hi = hex_value(p[1])) >= 0 && (lo = hex_value(p[2])) >= 0) {
            out[n++] = (char)(hi << 4 | lo);
            p += 2;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

/* SHA-256 of "<namespace>\<name>", as names.c computes it. */
static void name_digest(const struct cli_object *o, const char *name, size_t len,
                        unsigned char out[32])
{
    char ns[32];
    size_t nlen;
    char *buf;

    if (o->global)
        snprintf(ns, sizeof ns, "g");
    else
        snprintf(ns, sizeof ns, "u%lu", (unsigned long)o->ns_uid);
    nlen = strlen(ns);
    buf = malloc(nlen + 1 + len);
    if (!buf) {
        memset(out, 0, 32);
        return;
    }
    memcpy(buf, ns, nlen);
    buf[nlen] = '\\';
    memcpy(buf + nlen + 1, name, len);
    winipc__sha256(buf, nlen + 1 + len, out);
    free(buf);
}

/* ---- Reading one object ------------------------------------------------------------ */

/* The owner thread's process, from /proc/<tid>/status; 0 if the thread is gone. */
static pid_t process_of_thread(uint32_t tid)
{
    char path[64], line[256];
    pid_t pid = 0;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%u/status", (unsigned)tid);
    f = fopen(path, "re");
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Tgid: %d", &pid) == 1)
            break;
    fclose(f);
    return pid;
}

static time_t birth_time(int dir, const char *entry, const struct stat *st)
{
#ifdef STATX_BTIME
    struct statx sx;

    if (statx(dir, entry, AT_SYMLINK_NOFOLLOW, STATX_BTIME, &sx) == 0 &&
        (sx.stx_mask & STATX_BTIME))
        return (time_t)sx.stx_btime.tv_sec;
#else
    (void)dir, (void)entry;
#endif
    return st->st_ctime;
}

/* Fills o's header fields from a copy of the header page; sets o->valid or o->problem. */
static void read_header(struct cli_object *o, const struct winipc__header *h, size_t got)
{
    size_t page = winipc__page_size();
    unsigned char digest[32];
    char hex[2 * 32 + 2];

    if (got < sizeof *h || o->file_size < page || h->magic != WINIPC__MAGIC) {
        o->problem = "not a winipc object";
        return;
    }
    if (h->version != WINIPC__LAYOUT_VERSION) {
        o->problem = "another layout version of winipc";
        return;
    }
    o->kind = h->kind;
    o->creator_pid = h->creator_pid;
    o->creator_uid = h->creator_uid;

    /* The name: from the entry, or for a hashed entry from the header. */
    if (o->entry[0] != '#' && strncmp(o->entry, WINIPC__GLOBAL_PREFIX "#", 10) != 0) {
        unescape(o->entry + (o->global ? strlen(WINIPC__GLOBAL_PREFIX) : 0), o->name,
                 sizeof o->name);
        name_digest(o, o->name, strlen(o->name), digest);
    } else {
        size_t len = strnlen(h->name, sizeof h->name - 1);

        memcpy(o->name, h->name, len);
        o->name[len] = '\0';
        o->name_truncated = h->name_len > len;
        if (o->name_truncated)
            memcpy(digest, h->digest, sizeof digest); /* cannot check more than the entry */
        else
            name_digest(o, o->name, len, digest);
        hex[0] = '#';
        for (int i = 0; i < 32; i++)
            snprintf(hex + 1 + 2 * i, 3, "%02X", h->digest[i]);
        if (strcmp(strchr(o->entry, '#'), hex) != 0) {
            o->problem = "header does not match its name";
            return;
        }
    }
    if (memcmp(digest, h->digest, sizeof digest) != 0) {
        o->problem = "header does not match its name";
        return;
    }
    if (h->shm_size != o->file_size) {
        o->problem = "file size differs from its header";
        return;
    }

    switch (h->kind) {
    case CLI_SECTION: {
        const struct winipc__section_state *s = (const void *)h->state;

        o->state.section.size = s->size;
        o->state.section.protect = s->protect;
        o->state.section.file_backed = s->file_backed != 0;
        if (s->file_backed) {
            size_t len = strnlen(s->file_path, sizeof s->file_path - 1);

            memcpy(o->state.section.file, s->file_path, len);
            o->state.section.file[len] = '\0';
        }
        break;
    }
    case CLI_MUTEX: {
        const struct winipc__mutex_state *m = (const void *)h->state;

        o->state.mutex.owner_tid = m->owner_tid;
        o->state.mutex.recursion = m->recursion;
        o->state.mutex.abandoned = m->abandoned != 0;
        if (m->owner_tid) {
            o->state.mutex.owner_pid = process_of_thread(m->owner_tid);
            o->state.mutex.owner_gone = o->state.mutex.owner_pid == 0;
        }
        break;
    }
    case CLI_EVENT: {
        const struct winipc__event_state *e = (const void *)h->state;
        uint32_t word = atomic_load_explicit(&e->ws.word, memory_order_relaxed);

        o->state.event.signalled = (word & WINIPC__EVENT_SIGNALLED) != 0;
        o->state.event.manual_reset = e->manual_reset != 0;
        break;
    }
    case CLI_SEMAPHORE: {
        const struct winipc__semaphore_state *s = (const void *)h->state;
        uint32_t word = atomic_load_explicit(&s->ws.word, memory_order_relaxed);

        o->state.semaphore.count = word & WINIPC__SEMAPHORE_COUNT_MASK;
        o->state.semaphore.maximum = s->maximum;
        break;
    }
    case CLI_TIMER: {
        const struct winipc__timer_state *t = (const void *)h->state;
        uint32_t word = atomic_load_explicit(&t->ws.word, memory_order_relaxed);
        const struct winipc__timer_schedule *sc = &t->schedule[(word & WINIPC__TIMER_SLOT) != 0];
        int64_t due = atomic_load_explicit(&sc->due, memory_order_relaxed);
        struct timespec now;

        o->state.timer.signalled = (word & WINIPC__TIMER_SIGNALLED) != 0;
        o->state.timer.manual_reset = t->manual_reset != 0;
        o->state.timer.active = due != INT64_MAX;
        clock_gettime(atomic_load_explicit(&sc->clock, memory_order_relaxed) ? CLOCK_REALTIME
                                                                             : CLOCK_MONOTONIC,
                      &now);
        if (o->state.timer.active)
            o->state.timer.due_in_ms =
                (due - ((int64_t)now.tv_sec * 1000000000 + now.tv_nsec)) / 1000000;
        o->state.timer.period_ms =
            atomic_load_explicit(&sc->period, memory_order_relaxed) / 1000000;
        break;
    }
    default:
        break; /* a kind this command does not know yet: shown by number */
    }
    o->valid = true;
}

/* Reads the object `entry` of directory `dir`. False if it is not a regular file. */
static bool read_object(int dir, const char *dir_path, bool global, uid_t ns_uid, const char *entry,
                        struct cli_object *o)
{
    struct winipc__header *h;
    struct stat st;
    ssize_t got;
    int fd;

    memset(o, 0, sizeof *o);
    if (fstatat(dir, entry, &st, AT_SYMLINK_NOFOLLOW) == -1 || !S_ISREG(st.st_mode))
        return false;
    o->global = global;
    o->ns_uid = ns_uid;
    snprintf(o->entry, sizeof o->entry, "%s", entry);
    snprintf(o->path, sizeof o->path, "%s/%s", dir_path, entry);
    o->uid = st.st_uid;
    o->mode = st.st_mode & 07777;
    o->dev = st.st_dev;
    o->ino = st.st_ino;
    o->file_size = (uint64_t)st.st_size;
    o->created = birth_time(dir, entry, &st);
    unescape(entry + (global ? strlen(WINIPC__GLOBAL_PREFIX) : 0), o->name, sizeof o->name);

    fd = openat(dir, entry, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd == -1) {
        o->problem = errno == EACCES ? "not readable by this user" : "cannot be opened";
        return true;
    }
    h = calloc(1, winipc__page_size());
    if (!h) {
        close(fd);
        o->problem = "out of memory";
        return true;
    }
    got = pread(fd, h, winipc__page_size(), 0);
    close(fd);
    read_header(o, h, got > 0 ? (size_t)got : 0);
    free(h);
    return true;
}

/* ---- Holders --------------------------------------------------------------------- */

/* One held lock from a /proc/locks or fdinfo "lock:" line. */
struct lock_line {
    bool ofd; /* an OFD lock (winipc's kind) */
    dev_t dev;
    ino_t ino;
    unsigned long long start; /* first byte */
};

/* "1: OFDLCK ADVISORY READ -1 00:1b:148 0 0": false for a waiter ("->") or garbage. */
static bool parse_lock(const char *line, struct lock_line *out)
{
    char buf[256], *save = NULL, *tok;
    bool dev_seen = false;

    if (strstr(line, "->"))
        return false;
    snprintf(buf, sizeof buf, "%s", line);
    out->ofd = false;
    for (tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
        unsigned int maj, min;
        unsigned long long ino;

        if (strcmp(tok, "OFDLCK") == 0) {
            out->ofd = true;
        } else if (!dev_seen && sscanf(tok, "%x:%x:%llu", &maj, &min, &ino) == 3) {
            out->dev = makedev(maj, min);
            out->ino = (ino_t)ino;
            dev_seen = true;
        } else if (dev_seen) {
            out->start = strtoull(tok, NULL, 10);
            return true;
        }
    }
    return false;
}

/* Counts locks and holder locks of each object from /proc/locks. */
static void count_locks(struct cli_object *objs, size_t n)
{
    FILE *f = fopen("/proc/locks", "re");
    char line[256];

    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        struct lock_line lk;

        if (!parse_lock(line, &lk))
            continue;
        for (size_t k = 0; k < n; k++) {
            if (objs[k].dev == lk.dev && objs[k].ino == lk.ino) {
                objs[k].locks++; /* any lock means someone uses the file */
                if (lk.ofd && lk.start == 0)
                    objs[k].holds++;
            }
        }
    }
    fclose(f);
}

/* Whether fdinfo file `path` lists a holder lock (byte 0) on dev:ino. */
static bool fd_holds(const char *path, dev_t dev, ino_t ino)
{
    FILE *f = fopen(path, "re");
    char line[256];
    bool holds = false;

    if (!f)
        return false;
    while (!holds && fgets(line, sizeof line, f)) {
        struct lock_line lk;

        if (strncmp(line, "lock:", 5) == 0 && parse_lock(line, &lk) && lk.ofd && lk.dev == dev &&
            lk.ino == ino && lk.start == 0)
            holds = true;
    }
    fclose(f);
    return holds;
}

static void add_holder(struct cli_object *o, pid_t pid)
{
    for (unsigned i = 0; i < o->nholders; i++)
        if (o->holders[i] == pid)
            return;
    if (o->nholders < sizeof o->holders / sizeof o->holders[0])
        o->holders[o->nholders++] = pid;
}

/* Finds the processes holding each held object through their descriptors. */
static void find_holders(struct cli_object *objs, size_t n)
{
    DIR *proc;
    struct dirent *pe;
    bool any = false;

    for (size_t k = 0; k < n; k++)
        any = any || objs[k].holds;
    if (!any || !(proc = opendir("/proc")))
        return;
    while ((pe = readdir(proc)) != NULL) {
        char path[320];
        struct dirent *fe;
        DIR *fds;
        pid_t pid = (pid_t)atoi(pe->d_name);

        if (pid <= 0)
            continue;
        snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
        fds = opendir(path);
        if (!fds)
            continue; /* gone, or another user's (not visible unless root) */
        while ((fe = readdir(fds)) != NULL) {
            char link[PATH_MAX];
            struct stat st;
            ssize_t len;

            if (fe->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "/proc/%d/fd/%s", (int)pid, fe->d_name);
            len = readlink(path, link, sizeof link - 1);
            if (len <= 0)
                continue;
            link[len] = '\0';
            /* Only files of a namespace: cheap to tell by their path. */
            if (!strstr(link, "/winipc") || stat(path, &st) == -1)
                continue;
            for (size_t k = 0; k < n; k++) {
                if (!objs[k].holds || objs[k].dev != st.st_dev || objs[k].ino != st.st_ino)
                    continue;
                snprintf(path, sizeof path, "/proc/%d/fdinfo/%s", (int)pid, fe->d_name);
                if (fd_holds(path, st.st_dev, st.st_ino))
                    add_holder(&objs[k], pid);
            }
        }
        closedir(fds);
    }
    closedir(proc);
}

static void finish(struct cli_object *objs, size_t n)
{
    count_locks(objs, n);
    find_holders(objs, n);
    for (size_t k = 0; k < n; k++)
        objs[k].leftover = objs[k].locks == 0;
}

/* ---- Listing ---------------------------------------------------------------------- */

struct list {
    struct cli_object *v;
    size_t n, cap;
};

static struct cli_object *list_next(struct list *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        struct cli_object *v = realloc(l->v, cap * sizeof *v);

        if (!v)
            return NULL;
        l->v = v;
        l->cap = cap;
    }
    return &l->v[l->n];
}

/* Adds every object of directory `dir` (prefix: only entries starting so). */
static int scan_dir(struct list *l, int dir, bool global, uid_t ns_uid, const char *prefix)
{
    char dir_path[PATH_MAX], self[64];
    struct dirent *de;
    ssize_t len;
    DIR *d;
    int fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd == -1)
        return errno;
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    len = readlink(self, dir_path, sizeof dir_path - 1);
    dir_path[len > 0 ? len : 0] = '\0';
    d = fdopendir(fd);
    if (!d) {
        close(fd);
        return errno;
    }
    while ((de = readdir(d)) != NULL) {
        struct cli_object *o;

        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (prefix && strncmp(de->d_name, prefix, strlen(prefix)) != 0)
            continue;
        o = list_next(l);
        if (!o) {
            closedir(d);
            return ENOMEM;
        }
        if (read_object(dirfd(d), dir_path, global, ns_uid, de->d_name, o))
            l->n++;
    }
    closedir(d);
    return 0;
}

/* Every user's namespace directory (root): /dev/shm/winipc.u<uid> and
   /run/user/<uid>/winipc owned by that user. */
static void scan_all_users(struct list *l, uid_t me)
{
    DIR *shm = opendir(WINIPC__SHM_DIR), *run = opendir("/run/user");
    struct dirent *de;

    while (shm && (de = readdir(shm)) != NULL) {
        unsigned long uid;
        char tail;
        struct stat st;
        int fd;

        if (sscanf(de->d_name, "winipc.u%lu%c", &uid, &tail) != 1 || uid == me)
            continue;
        fd = openat(dirfd(shm), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0 && fstat(fd, &st) == 0 && st.st_uid == uid)
            scan_dir(l, fd, false, (uid_t)uid, NULL);
        if (fd >= 0)
            close(fd);
    }
    while (run && (de = readdir(run)) != NULL) {
        unsigned long uid;
        char tail, path[300];
        struct stat st;
        int fd;

        if (sscanf(de->d_name, "%lu%c", &uid, &tail) != 1 || uid == me)
            continue;
        snprintf(path, sizeof path, "/run/user/%lu/winipc", uid);
        fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0 && fstat(fd, &st) == 0 && st.st_uid == uid)
            scan_dir(l, fd, false, (uid_t)uid, NULL);
        if (fd >= 0)
            close(fd);
    }
    if (shm)
        closedir(shm);
    if (run)
        closedir(run);
}

int cli_list(bool all, struct cli_object **out, size_t *n)
{
    struct list l = {0};
    int dir = winipc__namespace(false), global = winipc__namespace(true), err = 0;

    if (dir >= 0)
        err = scan_dir(&l, dir, false, winipc__euid(), NULL);
    if (!err && global >= 0)
        err = scan_dir(&l, global, true, 0, WINIPC__GLOBAL_PREFIX);
    if (!err && all)
        scan_all_users(&l, winipc__euid());
    if (err) {
        free(l.v);
        return err;
    }
    finish(l.v, l.n);
    *out = l.v;
    *n = l.n;
    return 0;
}

unsigned cli_resolve(const char *name, bool *global, char entry[NAME_MAX + 1])
{
    struct winipc__name n;
    DWORD err = winipc__name_from_a(name, &n);

    if (!err && !n.present)
        err = ERROR_INVALID_NAME;
    if (err)
        return err;
    *global = n.global;
    memcpy(entry, n.entry, NAME_MAX + 1);
    return 0;
}

unsigned cli_find(const char *name, struct cli_object *out)
{
    char entry[NAME_MAX + 1], dir_path[PATH_MAX], self[64];
    bool global;
    unsigned err = cli_resolve(name, &global, entry);
    ssize_t len;
    int dir;

    if (err)
        return err;
    dir = winipc__namespace(global);
    if (dir < 0)
        return errno == ENOENT ? ERROR_FILE_NOT_FOUND : ERROR_ACCESS_DENIED;
    snprintf(self, sizeof self, "/proc/self/fd/%d", dir);
    len = readlink(self, dir_path, sizeof dir_path - 1);
    dir_path[len > 0 ? len : 0] = '\0';
    if (!read_object(dir, dir_path, global, global ? 0 : winipc__euid(), entry, out))
        return ERROR_FILE_NOT_FOUND;
    finish(out, 1);
    return 0;
}

int cli_remove(const struct cli_object *o, bool force)
{
    return winipc__remove_entry(o->global, o->entry, force);
}

bool cli_sweep_one(const struct cli_object *o)
{
    return winipc__sweep_entry(o->global, o->entry);
}
