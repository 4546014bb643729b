/*
 * object.c (portable backend) - the only place that decides when an object lives and
 * dies: across processes (the lifetime protocol on flock) and inside this one
 * (references, the registry, revival, process exit), plus the namespaces and the sweep.
 * The registry half is the Linux backend's (posix/object.c); the protocol differs.
 *
 * THE LIFETIME PROTOCOL (flock)
 *
 * As in the Linux backend, every object is one file in a namespace directory and the
 * kernel's file locks are the reference count that survives crashes. macOS and the
 * BSDs have no OFD byte-range locks, only flock (a shared or exclusive lock of the
 * whole file, owned by an open file description and dropped when the process dies)
 * and classic fcntl locks (owned by a process, lost when it closes any descriptor of
 * the file, and not exclusive between its threads). So there is one lock per file and
 * no separate mutation lock:
 *
 *   holding:  every process that holds a handle to the object keeps a shared flock on
 *             its descriptor of the file.
 *   deciding: whoever gets an exclusive flock (LOCK_NB: never waited for) holds the
 *             only lock there is, so nobody holds the object and nobody else can be
 *             deciding its fate: it may unlink it.
 *
 *   create:   a new object is made complete under a temporary name (<prefix>%t<random>,
 *             which no object name can be), shared-locked from the start, and then
 *             published with link(): atomic, and failing with EEXIST if anything has
 *             the name. So an object that has its name is always initialised and held,
 *             and flock never needs converting (a conversion is not atomic: it drops
 *             the lock first). A name that exists is opened as below.
 *   open:     open the file; try an exclusive lock. If it succeeds, nobody holds the
 *             file: a leftover of crashed processes, or one whose last holder just left.
 *             With the link count still above 0 (an unlink happens only under the
 *             exclusive lock, so a count of 0 means it is already gone: start again),
 *             unlink it and start again (create) or answer ERROR_FILE_NOT_FOUND (open).
 *             If it fails, someone holds the object: take a shared lock (LOCK_NB). If
 *             that fails, someone is deciding: try again shortly, for at most
 *             DECIDE_WAIT_MS. With the shared lock held, a link count of 0 means we
 *             were too late (start again); else validate the header.
 *   last close in this process: drop our shared lock, try an exclusive one; if we get
 *             it (nobody else holds the object) and the file is still linked, unlink it.
 *
 * An object that an opener finds held is alive, whatever happens next: its open is
 * ordered before its holders' closes. A stopped process or another user that keeps
 * the exclusive lock makes opens and creates of that one name fail after
 * DECIDE_WAIT_MS (ERROR_SHARING_VIOLATION), never hang; a last close that cannot get
 * the lock leaves the unlink to the next opener or sweep, as in the Linux backend.
 *
 * An unheld Global\ object left by another user (its holders crashed, and the sticky
 * directory does not let us remove their file) is taken over when both it and the new
 * object are open to everyone, as in the Linux backend (take_over).
 * Differs from the Linux backend: such a leftover whose creator process still runs
 * (it closed its handles, another user's process crashed holding the last one) stays
 * unavailable (ERROR_SHARING_VIOLATION) until that process ends.
 *
 * Views do not hold the lock: as on Windows, the name dies with the last handle while
 * views keep the memory. Unnamed objects are a temporary file unlinked at once.
 *
 * NAMESPACES: the per-user one is the directory <dir>/winipc.pu<uid> (mode 0700,
 * ours, never followed through a link), Global\ names are <dir>/winipc.pg.<name> in
 * the sticky, world-writable <dir> itself (WINIPC_PORTABLE_DIR, /dev/shm on Linux,
 * else /tmp). The names differ from the Linux backend's, so each backend's sweep only
 * ever looks at its own files.
 *
 * THE SWEEP (no /proc): at start, each entry of the user's namespace, each Global\
 * entry of the user and each temporary file is opened and, if an exclusive flock
 * succeeds, removed; then the records of dead processes (identity.c). It costs three
 * system calls per entry, where the Linux backend reads /proc/locks once.
 *
 * The registry, revival, pinning and process exit are as in posix/object.c (read its
 * THE REGISTRY); fork children share their parent's open file descriptions and so its
 * flocks: they never unlock or unlink what they inherited.
 */
#include "portable.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define DECIDE_WAIT_MS 2000 /* the longest anyone deciding may keep us out of a name */
#define OPEN_ATTEMPTS 64    /* a name that changes under us this often is refused */

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

static void close_fd(int fd)
{
    if (fd >= 0)
        close(fd); /* never retried: the descriptor is gone even on EINTR */
}

/* flock without EINTR; 0 or -1 with errno (EWOULDBLOCK when held elsewhere). */
static int lock_file(int fd, int how)
{
    int r;

    do
        r = flock(fd, how);
    while (r == -1 && errno == EINTR);
    return r;
}

/* ---- Namespace directories --------------------------------------------------------- */

static int user_dir = -1;
static pthread_mutex_t dir_lock = PTHREAD_MUTEX_INITIALIZER;

/* Opens dir `path` under `at` (creating it 0700 if `create`) if it is a directory of
   ours that nobody else can use. The descriptor or -1 with errno. */
static int own_private_dir(int at, const char *path, bool create)
{
    struct stat st;
    int fd;

    if (create && mkdirat(at, path, 0700) == -1 && errno != EEXIST)
        return -1;
    fd = openat(at, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd == -1)
        return -1;
    if (fstat(fd, &st) == -1 || !S_ISDIR(st.st_mode) || st.st_uid != winipc__euid() ||
        ((st.st_mode & 0077) && fchmod(fd, 0700) == -1)) {
        close_fd(fd);
        errno = EACCES;
        return -1;
    }
    return fd;
}

/*
 * This user's namespace directory; `create` makes it if needed. -1 + errno: ENOENT when
 * it does not exist yet, EACCES when it is not usable.
 * Differs from Windows: a user who plants <dir>/winipc.pu<uid> before its owner ever
 * runs winipc denies the owner its per-user namespace (ERROR_ACCESS_DENIED) until the
 * planted file is removed; there is no second place to fall back to portably.
 */
static int user_namespace(bool create)
{
    char name[64];
    int fd, base, err = 0;

    fd = __atomic_load_n(&user_dir, __ATOMIC_ACQUIRE);
    if (fd >= 0)
        return fd;
    pthread_mutex_lock(&dir_lock);
    if (user_dir < 0) {
        base = winipc__base_dir();
        snprintf(name, sizeof name, "%s%lu", WINIPC__P_USER_DIR, (unsigned long)winipc__euid());
        fd = base >= 0 ? own_private_dir(base, name, create) : -1;
        if (fd == -1)
            err = base >= 0 && errno == ENOENT ? ENOENT : EACCES;
        else
            __atomic_store_n(&user_dir, fd, __ATOMIC_RELEASE);
    }
    fd = user_dir;
    pthread_mutex_unlock(&dir_lock);
    if (fd < 0)
        errno = err;
    return fd;
}

static int namespace_dir(bool global, bool create)
{
    return global ? winipc__base_dir() : user_namespace(create);
}

/*
 * The file name of `name` in its namespace: names.c's entry, but with this backend's
 * Global\ prefix (winipc.pg., where names.c writes the Linux backend's winipc.g.). An
 * entry that no longer fits NAME_MAX then is named by the digest, as names.c names
 * every name too long for it: "#" and 64 hex digits, which no escaped name starts with.
 */
static void entry_of(const struct winipc__name *name, char out[NAME_MAX + 1])
{
    size_t lp = strlen(WINIPC__GLOBAL_PREFIX), rest;
    int n;

    if (!name->global) {
        snprintf(out, NAME_MAX + 1, "%s", name->entry);
        return;
    }
    rest = strlen(name->entry) - lp; /* names.c writes its prefix first */
    if (strlen(WINIPC__P_GLOBAL_PREFIX) + rest <= NAME_MAX) {
        snprintf(out, NAME_MAX + 1, "%s%s", WINIPC__P_GLOBAL_PREFIX, name->entry + lp);
        return;
    }
    n = snprintf(out, NAME_MAX + 1, "%s#", WINIPC__P_GLOBAL_PREFIX);
    for (size_t i = 0; i < sizeof name->digest; i++)
        n += snprintf(out + n, (size_t)(NAME_MAX + 1 - n), "%02X", name->digest[i]);
}

/* A temporary name in the namespace of `global`: prefix, "%t", 16 random hex digits. */
static void temp_name(bool global, char out[64])
{
    static atomic_uint counter;
    struct timespec ts;
    uint64_t v;

    clock_gettime(CLOCK_REALTIME, &ts);
    v = ((uint64_t)ts.tv_nsec << 32 ^ (uint64_t)ts.tv_sec ^ (uint64_t)winipc__cached_pid() << 40) +
        atomic_fetch_add(&counter, 1) * UINT64_C(0x9E3779B97F4A7C15);
    snprintf(out, 64, "%s%s%016" PRIx64, global ? WINIPC__P_GLOBAL_PREFIX : "", WINIPC__P_TEMP_MARK,
             v);
}

/* ---- The registry ------------------------------------------------------------------ */

/* A chained hash table; a table grows at a load of 1. Under registry_lock. */
struct table {
    struct winipc__object **buckets;
    size_t size, count;
};

static struct table by_name, by_inode;

static size_t hash_name(bool global, const char *entry)
{
    size_t h = global ? 0x9E3779B97F4A7C15u : 0xCBF29CE484222325u;

    for (; *entry; entry++)
        h = (h ^ (unsigned char)*entry) * 0x100000001B3u;
    return h;
}

static size_t hash_inode(dev_t dev, ino_t ino)
{
    return ((size_t)ino * 0x9E3779B97F4A7C15u) ^ (size_t)dev;
}

static size_t object_hash(const struct table *t, const struct winipc__object *obj)
{
    return t == &by_name ? hash_name(obj->global, obj->entry) : hash_inode(obj->dev, obj->ino);
}

static struct winipc__object **chain_next(const struct table *t, struct winipc__object *obj)
{
    return t == &by_name ? &obj->by_name_next : &obj->by_inode_next;
}

/* Doubles a table; on ENOMEM it stays as it is (longer chains, still correct). */
static void table_grow(struct table *t)
{
    size_t size = t->size ? 2 * t->size : 64;
    struct winipc__object **b = calloc(size, sizeof *b);

    if (!b)
        return;
    for (size_t i = 0; i < t->size; i++) {
        struct winipc__object *o = t->buckets[i], *next;

        for (; o; o = next) {
            struct winipc__object **link = chain_next(t, o);

            next = *link;
            *link = b[object_hash(t, o) & (size - 1)];
            b[object_hash(t, o) & (size - 1)] = o;
        }
    }
    free(t->buckets);
    t->buckets = b;
    t->size = size;
}

static bool table_add(struct table *t, struct winipc__object *obj)
{
    size_t i;

    if (t->count >= t->size)
        table_grow(t);
    if (!t->size)
        return false;
    i = object_hash(t, obj) & (t->size - 1);
    *chain_next(t, obj) = t->buckets[i];
    t->buckets[i] = obj;
    t->count++;
    return true;
}

/* Removes obj if it is in t; whether it was. */
static bool table_remove(struct table *t, struct winipc__object *obj)
{
    struct winipc__object **p;

    if (!t->size || (t == &by_name && !obj->entry))
        return false;
    for (p = &t->buckets[object_hash(t, obj) & (t->size - 1)]; *p; p = chain_next(t, *p)) {
        if (*p == obj) {
            *p = *chain_next(t, obj);
            t->count--;
            return true;
        }
    }
    return false;
}

static struct winipc__object *find_by_name(bool global, const char *entry)
{
    struct winipc__object *o;

    if (!by_name.size)
        return NULL;
    for (o = by_name.buckets[hash_name(global, entry) & (by_name.size - 1)]; o; o = o->by_name_next)
        if (o->global == global && strcmp(o->entry, entry) == 0)
            return o;
    return NULL;
}

static struct winipc__object *find_by_inode(dev_t dev, ino_t ino)
{
    struct winipc__object *o;

    if (!by_inode.size)
        return NULL;
    for (o = by_inode.buckets[hash_inode(dev, ino) & (by_inode.size - 1)]; o; o = o->by_inode_next)
        if (o->dev == dev && o->ino == ino)
            return o;
    return NULL;
}

/* ---- Kinds ----------------------------------------------------------------------------- */

const struct winipc__ops *winipc__ops_of(unsigned kind)
{
    static const struct winipc__ops *const kinds[] = {
        [WINIPC__SECTION] = &winipc__section_ops, [WINIPC__MUTEX] = &winipc__mutex_ops,
        [WINIPC__EVENT] = &winipc__event_ops,     [WINIPC__SEMAPHORE] = &winipc__semaphore_ops,
        [WINIPC__FILE] = &winipc__file_ops,       [WINIPC__THREAD] = &winipc__thread_ops,
        [WINIPC__TIMER] = &winipc__timer_ops,
    };

    return kind < sizeof kinds / sizeof kinds[0] ? kinds[kind] : NULL;
}

bool winipc__fd_open_to_others(int fd)
{
    struct stat st;

    return fstat(fd, &st) == 0 && (st.st_mode & 0066);
}

/* ---- Creating, validating and opening shared files --------------------------------- */

/*
 * Writes the header page of a new file, so that the file system allocates it now: a
 * full one then fails the create (ERROR_COMMITMENT_LIMIT) instead of raising SIGBUS
 * when the page is first touched. (POSIX has posix_fallocate, but not macOS.)
 * Differs from the Linux backend: a section's data pages are not committed at create,
 * whatever SEC_COMMIT says (writing gigabytes of zeros is no commit); on a full file
 * system, touching one raises SIGBUS.
 */
static int commit_header(int fd, size_t page)
{
    static const char zero[4096];
    size_t done = 0;

    while (done < page) {
        size_t n = page - done < sizeof zero ? page - done : sizeof zero;
        ssize_t r = pwrite(fd, zero, n, (off_t)done);

        if (r == -1 && errno == EINTR)
            continue;
        if (r <= 0)
            return r == 0 ? ENOSPC : errno;
        done += (size_t)r;
    }
    return 0;
}

/* Gives a new file its size and its header, magic last. */
static DWORD initialise(int fd, const struct winipc__name *name, const struct winipc__create *c,
                        struct winipc__header **out)
{
    size_t page = winipc__page_size();
    struct winipc__header *hdr;
    int err;

    if (ftruncate(fd, (off_t)c->shm_size) == -1)
        return errno == EFBIG || errno == ENOSPC ? ERROR_NOT_ENOUGH_MEMORY
                                                 : winipc__error_from_errno(errno);
    err = commit_header(fd, page);
    if (err)
        return err == ENOSPC ? ERROR_COMMITMENT_LIMIT : winipc__error_from_errno(err);
    hdr = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (hdr == MAP_FAILED)
        return winipc__error_from_errno(errno);
    hdr->version = WINIPC__PLAYOUT_VERSION;
    hdr->kind = (uint16_t)c->ops->kind;
    hdr->creator_pid = (uint32_t)winipc__cached_pid();
    hdr->creator_uid = (uint32_t)winipc__euid();
    hdr->shm_size = c->shm_size;
    if (name->present) {
        hdr->name_len = (uint32_t)name->utf8_len;
        memcpy(hdr->digest, name->digest, sizeof hdr->digest);
        /* For tools, truncated; the fresh page is zeroed, so it stays terminated. */
        memcpy(hdr->name, name->utf8, strnlen(name->utf8, sizeof hdr->name - 1));
    }
    err = c->ops->init ? c->ops->init(hdr->state, c->arg) : 0;
    if (err) {
        munmap(hdr, page);
        return winipc__error_from_errno(err);
    }
    __atomic_store_n(&hdr->magic, WINIPC__PMAGIC, __ATOMIC_RELEASE);
    *out = hdr;
    return 0;
}

DWORD winipc__header_check(const struct winipc__header *hdr, uint64_t file_size,
                           const unsigned char digest[32], unsigned kind)
{
    const struct winipc__ops *ops = winipc__ops_of(hdr->kind);

    if (file_size < winipc__page_size() ||
        __atomic_load_n(&hdr->magic, __ATOMIC_ACQUIRE) != WINIPC__PMAGIC ||
        hdr->version != WINIPC__PLAYOUT_VERSION || !ops || !ops->shared ||
        (kind && hdr->kind != kind) || memcmp(hdr->digest, digest, sizeof hdr->digest) != 0 ||
        hdr->shm_size != file_size)
        return ERROR_INVALID_HANDLE;
    return 0;
}

/* Maps the first page of an existing file of `name` and validates it for `kind`. */
static DWORD map_header(int fd, const struct stat *st, const struct winipc__name *name,
                        unsigned kind, struct winipc__header **out)
{
    size_t page = winipc__page_size();
    struct winipc__header *hdr;
    DWORD err;

    if ((uint64_t)st->st_size < page)
        return ERROR_INVALID_HANDLE;
    hdr = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (hdr == MAP_FAILED)
        return winipc__error_from_errno(errno);
    err = winipc__header_check(hdr, (uint64_t)st->st_size, name->digest, kind);
    if (err) {
        munmap(hdr, page);
        return err;
    }
    *out = hdr;
    return 0;
}

/* The result of opening a shared file. */
struct opened {
    int fd; /* holds our shared flock */
    struct stat st;
    struct winipc__header *hdr;
    bool created;
};

/* openat, raising the descriptor limit once if it is reached. */
static int open_at(int dir, const char *entry, int flags, mode_t mode)
{
    int fd = openat(dir, entry, flags, mode);

    if (fd == -1 && errno == EMFILE && winipc__more_files())
        fd = openat(dir, entry, flags, mode);
    return fd;
}

/*
 * A complete new object of `name` under a temporary name in `dir`, shared-locked:
 * o->fd, o->hdr, o->st; *temp is its name (still linked). 0 or a Win32 error, with
 * nothing left behind.
 */
static DWORD make_temp(int dir, const struct winipc__name *name, const struct winipc__create *c,
                       char temp[64], struct opened *o)
{
    const int flags = O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    DWORD err = ERROR_SHARING_VIOLATION;
    int fd = -1;

    for (int attempt = 0; fd == -1 && attempt < 16; attempt++) {
        temp_name(name->global, temp);
        fd = open_at(dir, temp, flags, c->mode);
        if (fd == -1 && errno != EEXIST)
            return winipc__error_from_errno(errno);
        if (fd == -1)
            continue;
        /* Nobody knows the name yet: the lock cannot fail, but a sweep may have
           removed the file before we locked it (its link count is then 0). */
        if (lock_file(fd, LOCK_SH | LOCK_NB) == -1 || fstat(fd, &o->st) == -1 ||
            o->st.st_nlink == 0) {
            close_fd(fd);
            fd = -1;
        }
    }
    if (fd == -1)
        return err;
    err = 0;
    /* The umask must not narrow a Global\ object's access. */
    if ((c->mode & 0066) && fchmod(fd, c->mode) == -1)
        err = winipc__error_from_errno(errno);
    if (!err)
        err = initialise(fd, name, c, &o->hdr);
    if (!err && fstat(fd, &o->st) == -1) {
        err = winipc__error_from_errno(errno);
        munmap(o->hdr, winipc__page_size());
    }
    if (err) {
        unlinkat(dir, temp, 0);
        close_fd(fd);
        return err;
    }
    o->fd = fd;
    return 0;
}

/* Sleeps a little between tries at a name someone is deciding about: 20 us to 5 ms. */
static bool back_off(const struct timespec *until, long *pause_ns)
{
    struct timespec now, ts = {0, *pause_ns};

    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > until->tv_sec ||
        (now.tv_sec == until->tv_sec && now.tv_nsec >= until->tv_nsec))
        return false;
    nanosleep(&ts, NULL);
    if (*pause_ns < 5000000L)
        *pause_ns *= 2;
    return true;
}

/* Whether the process pid (from a header: untrusted) may still run. */
static bool pid_alive(uint32_t pid)
{
    if (pid == 0 || pid > INT_MAX)
        return false;
    return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

enum { REFUSED, BUSY, TAKEN, FAILED };

/*
 * An unheld file of another user's that we hold exclusively (fd) and may not remove.
 * It is taken over -- initialised anew in place, and our lock turned into a shared
 * one -- only when it is what a NULL-DACL object of this name leaves when its last
 * holder cannot unlink it: open to everyone, with a valid header for the name, and the
 * caller asks for an object open to everyone too (it is world-writable anyway). Its
 * creator's pid tells a leftover (a dead creator) from a takeover in progress: turning
 * an exclusive flock into a shared one drops it for an instant, and a second taker
 * must then wait instead of starting over (BUSY). Anything else -- an empty or garbage
 * file someone planted, a private object -- keeps the name unavailable (REFUSED): never
 * a false "created", never our data in a file someone else prepared. FAILED: the
 * Win32 error is in *err.
 */
static int take_over(const struct winipc__name *name, const struct winipc__create *c, int fd,
                     struct opened *o, DWORD *err_out)
{
    struct winipc__header *hdr;
    uint32_t creator;
    DWORD err;

    if (!c->create || (c->mode & 0066) != 0066 || (o->st.st_mode & 0066) != 0066 ||
        map_header(fd, &o->st, name, 0, &hdr) != 0)
        return REFUSED;
    creator = hdr->creator_pid;
    munmap(hdr, winipc__page_size());
    if (pid_alive(creator))
        return BUSY;
    if (ftruncate(fd, 0) == -1) {
        *err_out = winipc__error_from_errno(errno);
        return FAILED;
    }
    err = initialise(fd, name, c, &o->hdr);
    if (!err && (lock_file(fd, LOCK_SH | LOCK_NB) == -1 || fstat(fd, &o->st) == -1)) {
        err = winipc__error_from_errno(errno);
        munmap(o->hdr, winipc__page_size());
    }
    if (err) {
        *err_out = err;
        return FAILED;
    }
    o->fd = fd;
    o->created = true;
    return TAKEN;
}

/* Discards a temporary object that did not get its name. */
static void drop_temp(int dir, const char *temp, struct opened *made)
{
    if (made->fd < 0)
        return;
    unlinkat(dir, temp, 0);
    munmap(made->hdr, winipc__page_size());
    close_fd(made->fd);
    made->fd = -1;
}

/*
 * Opens or creates the file of `name` (entry `entry`) following the protocol above. On
 * success o->fd holds a shared flock and o->hdr is the mapped, valid first page.
 */
static DWORD open_shared(const struct winipc__name *name, const char *entry,
                         const struct winipc__create *c, struct opened *o)
{
    const int rw = O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
    int dir = namespace_dir(name->global, c->create);
    struct opened made = {.fd = -1};
    struct timespec until;
    long pause_ns = 20000;
    char temp[64];
    DWORD err = ERROR_SHARING_VIOLATION; /* the name changed under us too often */

    if (dir < 0)
        return errno == ENOENT ? ERROR_FILE_NOT_FOUND : ERROR_ACCESS_DENIED;
    winipc__clock_after(&until, DECIDE_WAIT_MS);
    for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
        int fd = open_at(dir, entry, rw, 0);

        if (fd == -1) {
            if (errno != ENOENT || !c->create) {
                err = errno == ENOENT ? ERROR_FILE_NOT_FOUND
                                      : winipc__error_from_errno(errno == ELOOP ? EACCES : errno);
                break;
            }
            /* Free: publish a complete object under the name, unless someone is faster. */
            if (made.fd < 0 && (err = make_temp(dir, name, c, temp, &made)) != 0)
                break;
            if (linkat(dir, temp, dir, entry, 0) == 0) {
                unlinkat(dir, temp, 0); /* the object now has its name and one link */
                made.created = true;
                *o = made;
                return 0;
            }
            if (errno != EEXIST) {
                err = winipc__error_from_errno(errno);
                break;
            }
            continue;
        }
        if (fstat(fd, &o->st) == -1 || !S_ISREG(o->st.st_mode)) {
            close_fd(fd);
            err = ERROR_ACCESS_DENIED;
            break;
        }
        if (lock_file(fd, LOCK_EX | LOCK_NB) == 0) {
            /* Nobody holds it. Ours to decide: gone already, or a leftover to remove. */
            bool linked = fstat(fd, &o->st) == 0 && o->st.st_nlink > 0;

            if (linked && unlinkat(dir, entry, 0) == -1) {
                /* Another user's, which we may not remove: see the top. */
                int how = take_over(name, c, fd, o, &err);

                if (how == TAKEN) {
                    drop_temp(dir, temp, &made);
                    return 0;
                }
                close_fd(fd);
                if (how == BUSY && back_off(&until, &pause_ns)) {
                    attempt--;
                    continue;
                }
                if (how != FAILED)
                    err = how == BUSY ? ERROR_SHARING_VIOLATION
                          : c->create ? ERROR_ACCESS_DENIED
                                      : ERROR_FILE_NOT_FOUND;
                break;
            }
            close_fd(fd);
            if (!c->create) {
                err = ERROR_FILE_NOT_FOUND;
                break;
            }
            continue;
        }
        if (errno != EWOULDBLOCK || lock_file(fd, LOCK_SH | LOCK_NB) == -1) {
            int e = errno;

            close_fd(fd);
            if (e != EWOULDBLOCK) {
                err = winipc__error_from_errno(e);
                break;
            }
            attempt--; /* someone is deciding: not a change of the name */
            if (!back_off(&until, &pause_ns)) {
                err = ERROR_SHARING_VIOLATION;
                break;
            }
            continue;
        }
        /* Held, and now by us too: alive, unless it was unlinked before our lock. */
        if (fstat(fd, &o->st) == -1 || o->st.st_nlink == 0) {
            close_fd(fd);
            continue;
        }
        err = map_header(fd, &o->st, name, c->ops->kind, &o->hdr);
        if (err) {
            close_fd(fd);
            break;
        }
        drop_temp(dir, temp, &made); /* another object had the name */
        o->fd = fd;
        o->created = false;
        return 0;
    }
    drop_temp(dir, temp, &made);
    return err;
}

/* An unnamed shared object: a temporary file in the user's namespace, unlinked at once. */
static DWORD open_unnamed(const struct winipc__name *name, const struct winipc__create *c,
                          struct opened *o)
{
    int dir = user_namespace(true);
    char temp[64];
    DWORD err;

    if (dir < 0)
        return ERROR_ACCESS_DENIED;
    err = make_temp(dir, name, c, temp, o);
    if (err)
        return err;
    unlinkat(dir, temp, 0);
    lock_file(o->fd, LOCK_UN); /* nobody can find it: no lock needed */
    o->created = true;
    return 0;
}

/*
 * The last close of this process's hold on obj (see the protocol): unlinks the file if
 * nobody else holds it, and drops our shared lock. The descriptor stays open.
 */
static void release_name(struct winipc__object *obj)
{
    int dir = namespace_dir(obj->global, false);
    struct stat st;

    lock_file(obj->fd, LOCK_UN);
    if (lock_file(obj->fd, LOCK_EX | LOCK_NB) == 0) {
        if (fstat(obj->fd, &st) == 0 && st.st_nlink > 0 && dir >= 0)
            unlinkat(dir, obj->entry, 0);
        lock_file(obj->fd, LOCK_UN);
    }
    obj->holder = 0;
}

/* ---- Objects ------------------------------------------------------------------------ */

/* Frees everything of an object nobody can reach any more. */
static void destroy(struct winipc__object *obj)
{
    if (obj->ops->destroy)
        obj->ops->destroy(obj);
    if (obj->hdr)
        munmap(obj->hdr, winipc__page_size());
    close_fd(obj->fd);
    close_fd(obj->spare_fd);
    free(obj->entry);
    free(obj);
}

static struct winipc__object *object_alloc(const struct winipc__ops *ops)
{
    struct winipc__object *obj = calloc(1, ops->size);

    if (!obj)
        return NULL;
    obj->ops = ops;
    atomic_init(&obj->refs, 1);
    obj->fd = -1;
    obj->spare_fd = -1;
    return obj;
}

/* As posix/object.c's register_object: one object per inode, revived when needed. */
static struct winipc__object *register_object(struct winipc__object *fresh)
{
    struct winipc__object *obj = find_by_inode(fresh->dev, fresh->ino);
    pid_t me = winipc__cached_pid();

    if (!obj) {
        struct winipc__object *stale =
            fresh->entry ? find_by_name(fresh->global, fresh->entry) : NULL;

        if (stale) /* a name this process no longer holds (fork) now names another file */
            table_remove(&by_name, stale);
        if (!table_add(&by_inode, fresh))
            return NULL;
        if (fresh->entry && !table_add(&by_name, fresh)) {
            table_remove(&by_inode, fresh);
            return NULL;
        }
        return fresh;
    }
    if (obj->holder != me && fresh->entry) {
        /* Revive: the object takes over the new descriptor and its lock. Calls in
           flight may still use its old descriptor: keep it until the end. */
        close_fd(obj->spare_fd);
        obj->spare_fd = obj->fd;
        __atomic_store_n(&obj->fd, fresh->fd, __ATOMIC_RELAXED);
        fresh->fd = -1;
        obj->holder = me;
        if (!obj->entry) {
            obj->entry = fresh->entry;
            fresh->entry = NULL;
        }
        table_remove(&by_name, obj);
        table_add(&by_name, obj);
        obj->pinned = false;
    }
    atomic_fetch_add(&obj->refs, 1);
    return obj;
}

/* Undoes open_shared for an object that is not going to be used. */
static void abandon_fresh(struct winipc__object *fresh, bool unlink_it)
{
    if (unlink_it && fresh->entry && fresh->fd >= 0)
        release_name(fresh); /* its only holder: this removes it */
    destroy(fresh);
}

DWORD winipc__object_open(const struct winipc__name *name, const struct winipc__create *c,
                          struct winipc__object **out, bool *created)
{
    struct winipc__object *obj, *fresh;
    struct opened o = {.fd = -1};
    char entry[NAME_MAX + 1] = "";
    DWORD err;

    if (name->present) {
        entry_of(name, entry);
        pthread_mutex_lock(&registry_lock);
        obj = find_by_name(name->global, entry);
        if (obj && obj->holder == winipc__cached_pid()) {
            if (obj->ops != c->ops) {
                pthread_mutex_unlock(&registry_lock);
                return ERROR_INVALID_HANDLE;
            }
            atomic_fetch_add(&obj->refs, 1);
            pthread_mutex_unlock(&registry_lock);
            *out = obj;
            *created = false;
            return 0;
        }
        pthread_mutex_unlock(&registry_lock);
    }

    fresh = object_alloc(c->ops);
    if (!fresh || (name->present && !(fresh->entry = strdup(entry)))) {
        free(fresh);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    fresh->global = name->global;
    err = name->present ? open_shared(name, entry, c, &o) : open_unnamed(name, c, &o);
    if (err) {
        free(fresh->entry);
        free(fresh);
        return err;
    }
    fresh->fd = o.fd;
    fresh->hdr = o.hdr;
    fresh->shared = true;
    fresh->dev = o.st.st_dev;
    fresh->ino = o.st.st_ino;
    fresh->holder = name->present ? winipc__cached_pid() : 0;
    err = c->ops->attach ? c->ops->attach(fresh, o.created, c->arg) : 0;
    if (err) {
        abandon_fresh(fresh, o.created);
        return err;
    }
    if (c->ops->drop_header) {
        munmap(fresh->hdr, winipc__page_size());
        fresh->hdr = NULL;
    }

    pthread_mutex_lock(&registry_lock);
    obj = register_object(fresh);
    if (obj && obj->ops != c->ops) { /* cannot happen: the header named our kind */
        atomic_fetch_sub(&obj->refs, 1);
        obj = NULL;
    }
    pthread_mutex_unlock(&registry_lock);
    if (!obj) {
        abandon_fresh(fresh, o.created);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    if (obj != fresh)
        destroy(fresh); /* its descriptor only carried a second shared lock of ours */
    *out = obj;
    *created = o.created;
    return 0;
}

struct winipc__object *winipc__object_new_local(const struct winipc__ops *ops)
{
    struct winipc__object *obj = object_alloc(ops);

    return obj ? obj : winipc__fail(NULL, ERROR_NOT_ENOUGH_MEMORY);
}

void winipc__object_ref(struct winipc__object *obj)
{
    atomic_fetch_add_explicit(&obj->refs, 1, memory_order_relaxed);
}

/* The last ref of a shared object is gone (see posix/object.c, THE REGISTRY). */
static void last_ref(struct winipc__object *obj)
{
    bool keep;

    pthread_mutex_lock(&registry_lock);
    if (atomic_load(&obj->refs) != 0) { /* a look-up took it again meanwhile */
        pthread_mutex_unlock(&registry_lock);
        return;
    }
    table_remove(&by_name, obj);
    if (obj->entry && obj->holder == winipc__cached_pid())
        release_name(obj);
    keep = obj->ops->pinned && obj->ops->pinned(obj);
    if (keep) {
        obj->pinned = true; /* memory only: no descriptor needed until a revival */
        close_fd(obj->fd);
        obj->fd = -1;
    } else {
        table_remove(&by_inode, obj);
    }
    pthread_mutex_unlock(&registry_lock);
    if (!keep)
        destroy(obj);
}

void winipc__object_unref(struct winipc__object *obj)
{
    if (atomic_fetch_sub_explicit(&obj->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (obj->shared)
        last_ref(obj);
    else
        destroy(obj); /* process-local: never registered */
}

void winipc__object_disown(struct winipc__object *obj, void (*disown)(struct winipc__object *))
{
    bool gone;

    pthread_mutex_lock(&registry_lock);
    disown(obj);
    gone = obj->pinned;
    if (gone)
        table_remove(&by_inode, obj);
    pthread_mutex_unlock(&registry_lock);
    if (gone)
        destroy(obj);
}

/* ---- Process exit -------------------------------------------------------------------- */

/*
 * Runs the last close of every object this process holds, as Windows closes every
 * handle of a process that ends (see posix/object.c's winipc__close_all). A mutex a
 * thread still owns is abandoned for others once the process is gone (its record's
 * lock goes with it: identity.c). Files opened with FILE_FLAG_DELETE_ON_CLOSE are
 * deleted (file.c).
 */
void winipc__close_all(void)
{
    pid_t me = winipc__cached_pid();
    int tries = 0;

    winipc__file_close_all();
    while (pthread_mutex_trylock(&registry_lock) != 0) {
        struct timespec ts = {0, 1000000L};

        if (++tries > 200)
            return;
        nanosleep(&ts, NULL);
    }
    for (size_t i = 0; i < by_name.size; i++) {
        struct winipc__object *obj = by_name.buckets[i], *next;

        for (; obj; obj = next) {
            next = obj->by_name_next;
            if (obj->holder == me)
                release_name(obj);
        }
    }
    pthread_mutex_unlock(&registry_lock);
}

static void __attribute__((destructor)) close_all_at_exit(void)
{
    winipc__close_all();
}

/*
 * Handing objects to another process is CreateProcess's (handle inheritance), which
 * the portable backend does not have (unsupported.c).
 */
int winipc__object_export_fd(struct winipc__object *obj)
{
    (void)obj;
    errno = ENOSYS;
    return -1;
}

struct winipc__object *winipc__object_adopt(const struct winipc__ops *ops, int fd, int data_fd,
                                            const char *entry, bool global)
{
    (void)ops, (void)fd, (void)data_fd, (void)entry, (void)global;
    return NULL;
}

/* fork(): the registry must not be copied in the middle of a change. */
static void registry_prepare(void)
{
    pthread_mutex_lock(&registry_lock);
}

static void registry_resume(void)
{
    pthread_mutex_unlock(&registry_lock);
}

/* ---- Sweeping leftovers ---------------------------------------------------------------- */

/*
 * Removes entry `name` of `dir` if it is ours and nobody holds it, without waiting for
 * any lock. Whether it was removed.
 */
static bool sweep_entry(int dir, const char *name)
{
    struct stat st;
    bool removed = false;
    int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

    if (fd == -1)
        return false;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink > 0 &&
        st.st_uid == winipc__euid() && lock_file(fd, LOCK_EX | LOCK_NB) == 0 &&
        fstat(fd, &st) == 0 && st.st_nlink > 0)
        removed = unlinkat(dir, name, 0) == 0;
    close_fd(fd);
    return removed;
}

/* Sweeps one directory; `prefix` selects the entries (NULL: all). */
static DWORD sweep_dir(int dir, const char *prefix)
{
    size_t plen = prefix ? strlen(prefix) : 0;
    struct dirent *de;
    DWORD removed = 0;
    DIR *d;
    int fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd == -1 || !(d = fdopendir(fd))) {
        close_fd(fd);
        return 0;
    }
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || (prefix && strncmp(de->d_name, prefix, plen) != 0))
            continue;
        removed += sweep_entry(dir, de->d_name);
    }
    closedir(d);
    return removed;
}

DWORD winipc__sweep(void)
{
    DWORD removed = 0;
    int dir = user_namespace(false), global = winipc__base_dir();

    if (dir >= 0)
        removed += sweep_dir(dir, NULL);
    if (global >= 0)
        removed += sweep_dir(global, WINIPC__P_GLOBAL_PREFIX);
    removed += winipc__sweep_records();
    return removed;
}

DWORD WINAPI winipc_sweep(void)
{
    return winipc__sweep();
}

/* The winipc command is the Linux backend's; these exist for the interface only. */
int winipc__namespace(bool global)
{
    return namespace_dir(global, false);
}

bool winipc__sweep_entry(bool global, const char *entry)
{
    int dir = namespace_dir(global, false);

    return dir >= 0 && sweep_entry(dir, entry);
}

int winipc__remove_entry(bool global, const char *entry, bool force)
{
    (void)global, (void)entry, (void)force;
    return ENOSYS;
}

/* Library start: fork handlers, and a sweep of what crashed processes left behind. */
static void __attribute__((constructor)) object_init(void)
{
    pthread_atfork(registry_prepare, registry_resume, registry_resume);
    winipc__sweep();
}

/*
 * Raises the soft limit of open files to the hard limit, once, when a create or open
 * first runs out of descriptors (every object holds one). Whether the limit went up.
 */
bool winipc__more_files(void)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    struct rlimit rl;
    bool raised = false;

    pthread_mutex_lock(&lock);
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        raised = setrlimit(RLIMIT_NOFILE, &rl) == 0;
    }
    pthread_mutex_unlock(&lock);
    return raised;
}
