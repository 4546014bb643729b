/*
 * object.c - the only place that decides when an object lives and dies: across
 * processes (the lifetime protocol) and inside this one (references, the registry,
 * revival, process exit), plus the namespace directories and the sweep.
 *
 * THE LIFETIME PROTOCOL (across processes)
 *
 * Windows deletes a named object when the last handle to it, in any process, is
 * closed, and a process that ends closes its handles. There is no daemon here to keep
 * a reference count, and a count kept in shared memory is wrong as soon as a process
 * dies between an increment and a decrement. The kernel already keeps the one count
 * that survives crashes: file locks. So every named object is one file in a tmpfs
 * namespace directory, and
 *
 *   byte 0 of it carries a shared OFD lock of every process that holds a handle to it
 *          (the "holder" lock). The kernel drops it when the process dies;
 *   byte 1 carries a short exclusive OFD lock (the "mutation" lock) around every step
 *          that decides the object's fate: initialisation, the leftover check, unlink.
 *
 *   create/open: open the file (create: O_CREAT|O_EXCL first, so that we know whether
 *     we made it); take the mutation lock; fstat. A link count of 0 means we opened a
 *     file that was unlinked meanwhile: start again. Then try an exclusive holder
 *     lock. If it fails, the object is alive: validate its header, take a shared
 *     holder lock. If it succeeds, nobody holds the file: when we just made it,
 *     initialise it and downgrade to a shared holder lock; otherwise it is a leftover
 *     of crashed processes (or something planted): unlink it and start again if it is
 *     ours, else refuse (a sticky directory does not let us remove another user's
 *     file). Drop the mutation lock.
 *   last close in this process: take the mutation lock; try to turn our shared
 *     holder lock into an exclusive one: that succeeds only if nobody else holds the
 *     object, and then we unlink it. Drop both locks.
 *
 * Every unlink happens under the mutation lock of the inode it removes, and every
 * opener re-checks the link count under that same lock, so an opener can never keep
 * an unlinked object while the name goes on to a new one. Locks are OFD locks
 * (F_OFD_SETLK): they belong to one open file description, so they do not vanish
 * when some other descriptor of the file is closed (the classic POSIX lock trap
 * SQLite warns about), and two opens in one process exclude each other as two
 * processes do. The mutation lock is only ever waited for with a time limit
 * (MUTATION_WAIT_MS): a lock held longer belongs to a stopped process or to a user
 * who plays games, and we fail (or, on close, leave the unlink to a later sweep)
 * rather than hang.
 *
 * Differs from DESIGN.md: the design put the mutation lock on a per-namespace lock
 * file. Locking the object itself needs no file that lives forever, and no
 * machine-wide file that any user could keep locked to stall another user's Global\
 * objects; only those who can open an object can delay operations on it.
 *
 * Views do not hold the lock: as on Windows, the name dies with the last handle while
 * views keep the memory (a mapping outlives the unlink of its file).
 *
 * A process that ends closes everything: a destructor (run by exit(), by a return
 * from main and by the end of the last thread) runs the last close of every object
 * the process holds, without freeing anything, since other threads may still be
 * inside calls. A process that dies by a signal leaves its files unheld; the next
 * winipc process of the user removes them when it starts (winipc__sweep, which
 * needs one pass over the directory and /proc/locks, and never waits on a lock).
 *
 * THE REGISTRY (inside one process)
 *
 * A process has at most one winipc__object per shared object, however many handles
 * and opens, so identity is a pointer comparison (WaitForMultipleObjects and the
 * mutex's owner bookkeeping rely on it) and a repeated open of a held name costs no
 * syscall. Two indexes, under registry_lock:
 *   by_name   the objects this process holds (its holder lock is on obj->fd), by
 *             namespace and file name: the fast path of a repeated open;
 *   by_inode  every shared object with memory in this process, held or not.
 * An object's refs are its handle slots, calls in flight and internal users. When
 * they reach zero (under registry_lock, since a look-up may take one again) the
 * object leaves by_name, runs the last close, and is destroyed, unless its kind pins
 * its memory: a mutex that a thread of ours still owns sits on that thread's robust
 * list, so its page stays mapped, off by_name and without a holder lock, until the
 * owner lets go (winipc__object_disown). Its name is gone at once, as on Windows.
 * An open that reaches an inode already in by_inode but not held by us -- such a
 * pinned mutex, or an object inherited through fork() -- revives that object: it
 * takes the new descriptor and its holder lock, so there is still one object.
 *
 * fork(): a child gets copies of the parent's objects whose descriptors share the
 * parent's open file descriptions and so its locks. The child does not hold them
 * (obj->holder is the parent's pid): it may wait, signal and map through inherited
 * handles, but its CloseHandle and its exit never unlock or unlink anything; an open
 * of the name in the child revives the object with a holder lock of its own.
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define HOLDER_BYTE 0
#define MUTATION_BYTE 1
#define MUTATION_WAIT_MS 2000 /* the longest anyone may keep us out of an object */
#define EXIT_WAIT_MS 50       /* the same at process exit, per object */
#define OPEN_ATTEMPTS 64      /* a name that changes under us this often is refused */

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- Locks --------------------------------------------------------------------------- */

/* A non-blocking OFD lock of one byte. Returns 0 or -1 with errno. */
static int ofd_lock(int fd, short type, off_t byte)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1};
    int r;

    do
        r = fcntl(fd, F_OFD_SETLK, &fl);
    while (r == -1 && errno == EINTR);
    return r;
}

/*
 * Takes the mutation lock, trying for at most `limit_ms` (F_OFD_SETLKW has no time
 * limit). Backs off from 20 us to 5 ms between tries. Returns 0, or -1 with errno
 * EBUSY when the time is up.
 */
static int lock_mutation(int fd, long limit_ms)
{
    struct timespec now, until;
    long pause_ns = 20000;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += limit_ms / 1000;
    until.tv_nsec += (limit_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    for (;;) {
        struct timespec ts = {0, pause_ns};

        if (ofd_lock(fd, F_WRLCK, MUTATION_BYTE) == 0)
            return 0;
        if (errno != EAGAIN && errno != EACCES)
            return -1;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec > until.tv_sec ||
            (now.tv_sec == until.tv_sec && now.tv_nsec >= until.tv_nsec)) {
            errno = EBUSY;
            return -1;
        }
        nanosleep(&ts, NULL);
        if (pause_ns < 5000000L)
            pause_ns *= 2;
    }
}

static void unlock_byte(int fd, off_t byte)
{
    ofd_lock(fd, F_UNLCK, byte);
}

/* Whether anybody holds fd's object; call with the mutation lock held. */
static bool unheld(int fd)
{
    return ofd_lock(fd, F_WRLCK, HOLDER_BYTE) == 0;
}

static void close_fd(int fd)
{
    if (fd >= 0)
        close(fd); /* never retried: the descriptor is gone even on EINTR */
}

/* ---- Namespace directories --------------------------------------------------------- */

/*
 * The per-user namespace is a directory only its user can list, create in or lock
 * in: /dev/shm/winipc.u<uid>, mode 0700. /dev/shm is writable by everyone, so another
 * user may have taken that name first; then /run/user/<uid>/winipc (a directory
 * systemd makes for each logged-in user) is used, and without it the namespace is
 * unavailable (ERROR_ACCESS_DENIED): never a directory someone else controls.
 * Differs from Windows: a user who plants /dev/shm/winipc.u<uid> before its owner
 * ever runs winipc, while the owner has no /run/user directory, denies the owner
 * its per-user namespace until root removes the planted file.
 */
static int user_dir = -1;
static pthread_mutex_t dir_lock = PTHREAD_MUTEX_INITIALIZER;

/* Opens dir `path` (creating it 0700 if `create`) if it is a directory of ours that
   nobody else can use. Returns the descriptor or -1. */
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

/* This user's namespace directory; `create` makes it if needed. -1 + errno: ENOENT
   when it does not exist yet, EACCES when it is not usable. */
static int user_namespace(bool create)
{
    char path[64];
    int fd, run, err = 0;

    fd = __atomic_load_n(&user_dir, __ATOMIC_ACQUIRE);
    if (fd >= 0)
        return fd;
    pthread_mutex_lock(&dir_lock);
    if (user_dir < 0) {
        snprintf(path, sizeof path, "%s/winipc.u%lu", WINIPC__SHM_DIR,
                 (unsigned long)winipc__euid());
        fd = own_private_dir(AT_FDCWD, path, create);
        if (fd == -1 && (err = errno) != ENOENT) {
            /* Someone else's: the user's own runtime directory, if there is one. */
            snprintf(path, sizeof path, "/run/user/%lu", (unsigned long)winipc__euid());
            run = own_private_dir(AT_FDCWD, path, false);
            fd = run >= 0 ? own_private_dir(run, "winipc", create) : -1;
            if (fd == -1 && run >= 0)
                err = errno == ENOENT ? ENOENT : EACCES;
            else if (fd == -1)
                err = EACCES;
            close_fd(run);
        }
        if (fd >= 0)
            __atomic_store_n(&user_dir, fd, __ATOMIC_RELEASE);
    }
    fd = user_dir;
    pthread_mutex_unlock(&dir_lock);
    if (fd < 0)
        errno = err == ENOENT ? ENOENT : EACCES;
    return fd;
}

static int global_dir = -1;

/* /dev/shm itself, where Global\ names live (see names.c). -1 + errno. */
static int global_namespace(void)
{
    int fd = __atomic_load_n(&global_dir, __ATOMIC_ACQUIRE);

    if (fd >= 0)
        return fd;
    fd = open(WINIPC__SHM_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        int none = -1;

        if (!__atomic_compare_exchange_n(&global_dir, &none, fd, false, __ATOMIC_ACQ_REL,
                                         __ATOMIC_ACQUIRE)) {
            close_fd(fd);
            fd = none;
        }
    }
    return fd;
}

static int namespace_dir(bool global, bool create)
{
    return global ? global_namespace() : user_namespace(create);
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
        [WINIPC__SECTION] = &winipc__section_ops,
        [WINIPC__MUTEX] = &winipc__mutex_ops,
        [WINIPC__EVENT] = &winipc__event_ops,
        [WINIPC__SEMAPHORE] = &winipc__semaphore_ops,
        [WINIPC__FILE] = &winipc__file_ops,
        [WINIPC__PROCESS] = &winipc__process_ops,
        [WINIPC__REMOTE_THREAD] = &winipc__remote_thread_ops,
        [WINIPC__THREAD] = &winipc__thread_ops,
        [WINIPC__TIMER] = &winipc__timer_ops,
        [WINIPC__SNAPSHOT] = &winipc__snapshot_ops,
    };

    return kind < sizeof kinds / sizeof kinds[0] ? kinds[kind] : NULL;
}

/* ---- Creating, validating and opening shared files --------------------------------- */

/*
 * A header of kind whose ops->drop_header is set is a private copy (read with pread,
 * written with pwrite): attach copies all it needs, so the object keeps no mapping of
 * it, and a create or open costs no mmap, munmap or page fault for it. Other kinds
 * map the shared page. NULL with errno on failure.
 */
static struct winipc__header *header_load(int fd, bool copy)
{
    size_t page = winipc__page_size();
    struct winipc__header *hdr;
    ssize_t n;

    if (!copy) {
        hdr = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        return hdr == MAP_FAILED ? NULL : hdr;
    }
    if (!(hdr = malloc(page)))
        return NULL;
    n = pread(fd, hdr, page, 0);
    if (n != (ssize_t)page) {
        free(hdr);
        errno = n < 0 ? errno : EINVAL; /* cut short meanwhile: not a header we wrote */
        return NULL;
    }
    return hdr;
}

static void header_put(struct winipc__header *hdr, bool copy)
{
    if (copy)
        free(hdr);
    else if (hdr)
        munmap(hdr, winipc__page_size());
}

/*
 * Gives a new file its size, its committed memory and its header, magic last. The
 * first `commit` bytes are allocated now (tmpfs), so that touching them later cannot
 * raise SIGBUS for want of memory; an allocation that reaches the whole size sets it
 * too, and saves the ftruncate (a filesystem without fallocate commits on touch).
 */
static DWORD initialise(int fd, const struct winipc__name *name, const struct winipc__create *c,
                        uint64_t commit, struct winipc__header **out)
{
    size_t page = winipc__page_size();
    struct winipc__header *hdr;
    int err;

    commit = commit < page ? page : commit > c->shm_size ? c->shm_size : commit;
    err = posix_fallocate(fd, 0, (off_t)commit);
    if (err && err != EOPNOTSUPP)
        return err == ENOSPC ? ERROR_COMMITMENT_LIMIT : winipc__error_from_errno(err);
    if ((err || commit < c->shm_size) && ftruncate(fd, (off_t)c->shm_size) == -1)
        return winipc__error_from_errno(errno);
    hdr = c->ops->drop_header ? calloc(1, page)
                              : mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (!hdr || hdr == MAP_FAILED)
        return hdr ? winipc__error_from_errno(errno) : ERROR_NOT_ENOUGH_MEMORY;
    hdr->version = WINIPC__LAYOUT_VERSION;
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
        header_put(hdr, c->ops->drop_header);
        return winipc__error_from_errno(err);
    }
    __atomic_store_n(&hdr->magic, WINIPC__MAGIC, __ATOMIC_RELEASE);
    /* A copy goes out whole, magic and all: nobody reads it before the mutation
       lock is ours no more (tools that do check the magic and the rest). */
    if (c->ops->drop_header && pwrite(fd, hdr, page, 0) != (ssize_t)page) {
        err = errno;
        free(hdr);
        return winipc__error_from_errno(err ? err : ENOSPC);
    }
    *out = hdr;
    return 0;
}

DWORD winipc__header_check(const struct winipc__header *hdr, uint64_t file_size,
                           const unsigned char digest[32], unsigned kind)
{
    const struct winipc__ops *ops = winipc__ops_of(hdr->kind);

    if (file_size < winipc__page_size() ||
        __atomic_load_n(&hdr->magic, __ATOMIC_ACQUIRE) != WINIPC__MAGIC ||
        hdr->version != WINIPC__LAYOUT_VERSION || !ops || !ops->shared ||
        (kind && hdr->kind != kind) || memcmp(hdr->digest, digest, sizeof hdr->digest) != 0 ||
        hdr->shm_size != file_size)
        return ERROR_INVALID_HANDLE;
    return 0;
}

/* Loads the first page of an existing file of `name` (a copy: see header_load) and
   validates it for `kind` (0: any kind). */
static DWORD map_header(int fd, const struct stat *st, const struct winipc__name *name,
                        unsigned kind, bool copy, struct winipc__header **out)
{
    struct winipc__header *hdr;
    DWORD err;

    if ((uint64_t)st->st_size < winipc__page_size())
        return ERROR_INVALID_HANDLE;
    hdr = header_load(fd, copy);
    if (!hdr)
        return errno == EINVAL ? ERROR_INVALID_HANDLE : winipc__error_from_errno(errno);
    err = winipc__header_check(hdr, (uint64_t)st->st_size, name->digest, kind);
    if (err) {
        header_put(hdr, copy);
        return err;
    }
    *out = hdr;
    return 0;
}

/* The result of opening a shared file. */
struct opened {
    int fd; /* holds our shared holder lock */
    struct stat st;
    struct winipc__header *hdr;
    bool created;
};

/*
 * An unheld file a create could not remove (another user's, in sticky /dev/shm). It
 * is taken over only when it is what a NULL-DACL object of this name leaves when its
 * last holder cannot unlink it -- open to everyone, with a valid header for the name
 * -- and the caller asks for an object open to everyone too: such an object is
 * readable and writable by every user anyway. Anything else (an empty or garbage file
 * someone planted, a private object) keeps the name unavailable: never a false
 * "created", never our data in a file someone else prepared.
 */
static bool may_take_over(const struct winipc__create *c, const struct winipc__name *name, int fd,
                          const struct stat *st)
{
    struct winipc__header *hdr;

    if (!c->create || (c->mode & 0066) != 0066 || (st->st_mode & 0066) != 0066 ||
        map_header(fd, st, name, 0, true, &hdr) != 0)
        return false;
    header_put(hdr, true);
    return true;
}

/* openat, raising the descriptor limit once if it is reached. */
static int open_at(int dir, const char *entry, int flags, mode_t mode)
{
    int fd = openat(dir, entry, flags, mode);

    if (fd == -1 && errno == EMFILE && winipc__more_files())
        fd = openat(dir, entry, flags, mode);
    return fd;
}

/*
 * Opens or creates the file of `name` following the protocol above. On success
 * o->fd holds a shared holder lock and o->hdr is the mapped, valid first page.
 */
static DWORD open_shared(const struct winipc__name *name, const struct winipc__create *c,
                         uint64_t commit, struct opened *o)
{
    const int rw = O_RDWR | O_NOFOLLOW | O_CLOEXEC;
    int dir = namespace_dir(name->global, c->create);
    DWORD err;

    if (dir < 0)
        return errno == ENOENT ? ERROR_FILE_NOT_FOUND : ERROR_ACCESS_DENIED;
    for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
        bool fresh = false;
        int fd = -1;

        if (c->create) {
            fd = open_at(dir, name->entry, rw | O_CREAT | O_EXCL, c->mode);
            fresh = fd >= 0;
        }
        if (fd == -1 && (!c->create || errno == EEXIST))
            fd = open_at(dir, name->entry, rw, 0);
        if (fd == -1) {
            if (c->create && errno == ENOENT)
                continue; /* removed between our two opens */
            return winipc__error_from_errno(errno == ELOOP ? EACCES : errno);
        }
        if (lock_mutation(fd, MUTATION_WAIT_MS) == -1) {
            err = errno == EBUSY ? ERROR_SHARING_VIOLATION : winipc__error_from_errno(errno);
            if (fresh)
                unlinkat(dir, name->entry, 0);
            close_fd(fd);
            return err;
        }
        if (fstat(fd, &o->st) == -1) {
            err = winipc__error_from_errno(errno);
            goto fail;
        }
        if (o->st.st_nlink == 0) { /* unlinked while we opened it: the name moved on */
            close_fd(fd);
            continue;
        }
        err = ERROR_ACCESS_DENIED;
        if (!S_ISREG(o->st.st_mode))
            goto fail;
        if (!unheld(fd)) { /* alive */
            err = map_header(fd, &o->st, name, c->ops->kind, c->ops->drop_header, &o->hdr);
            if (err)
                goto fail;
            /* Only a holder of the mutation lock ever holds the holder byte exclusively,
               so this cannot fail for a conflict. */
            if (!winipc__checked(ofd_lock(fd, F_RDLCK, HOLDER_BYTE) == 0)) {
                err = winipc__error_from_errno(errno);
                header_put(o->hdr, c->ops->drop_header);
                goto fail;
            }
            unlock_byte(fd, MUTATION_BYTE);
            o->fd = fd;
            o->created = false;
            return 0;
        }
        if (!fresh) {
            /* Nobody holds it: a leftover of crashed processes, a file whose creator
               has not locked it yet (it will see the link count drop and start
               again), or something planted. Remove it if we may; else take it over
               or give up, never spin. */
            if (unlinkat(dir, name->entry, 0) == 0) {
                close_fd(fd);
                if (!c->create)
                    return ERROR_FILE_NOT_FOUND;
                continue;
            }
            if (!may_take_over(c, name, fd, &o->st)) {
                err = c->create ? ERROR_ACCESS_DENIED : ERROR_FILE_NOT_FOUND;
                goto fail;
            }
            if (ftruncate(fd, 0) == -1) {
                err = winipc__error_from_errno(errno);
                goto fail;
            }
        }
        /* New (or taken over): the umask must not narrow a Global\ object's access. */
        err = fresh && (c->mode & 0066) && fchmod(fd, c->mode) == -1
                  ? winipc__error_from_errno(errno)
                  : initialise(fd, name, c, commit, &o->hdr);
        if (!err && !winipc__checked(ofd_lock(fd, F_RDLCK, HOLDER_BYTE) == 0)) {
            err = winipc__error_from_errno(errno);
            header_put(o->hdr, c->ops->drop_header);
        }
        if (err) {
            if (fresh)
                unlinkat(dir, name->entry, 0);
            goto fail;
        }
        unlock_byte(fd, MUTATION_BYTE);
        o->fd = fd;
        o->created = true;
        return 0;

    fail:
        close_fd(fd); /* drops the mutation lock and any holder lock we had */
        return err;
    }
    return ERROR_SHARING_VIOLATION; /* the name changed under us OPEN_ATTEMPTS times */
}

/* An unnamed shared object: a memfd nobody else can find. */
static DWORD open_unnamed(const struct winipc__name *name, const struct winipc__create *c,
                          uint64_t commit, struct opened *o)
{
    int fd = memfd_create("winipc", MFD_CLOEXEC);
    DWORD err;

    if (fd == -1 && errno == EMFILE && winipc__more_files())
        fd = memfd_create("winipc", MFD_CLOEXEC);
    if (fd == -1)
        return winipc__error_from_errno(errno);
    err = initialise(fd, name, c, commit, &o->hdr);
    if (!err && fstat(fd, &o->st) == -1) {
        err = winipc__error_from_errno(errno);
        header_put(o->hdr, c->ops->drop_header);
    }
    if (err) {
        close_fd(fd);
        return err;
    }
    o->fd = fd;
    o->created = true;
    return 0;
}

/*
 * The last close of this process's hold on obj (see the protocol): unlinks the file
 * if nobody else holds it, and drops our holder lock. The descriptor stays open.
 */
static void release_name(struct winipc__object *obj, long limit_ms)
{
    int dir = namespace_dir(obj->global, false);
    struct stat st;

    if (lock_mutation(obj->fd, limit_ms) == 0) {
        if (unheld(obj->fd) && fstat(obj->fd, &st) == 0 && st.st_nlink > 0 && dir >= 0)
            unlinkat(dir, obj->entry, 0);
        unlock_byte(obj->fd, MUTATION_BYTE);
    }
    /* Without the mutation lock (a stopped process or another user keeps it), the
       unlink is left to whoever next opens the name or sweeps. */
    unlock_byte(obj->fd, HOLDER_BYTE);
    obj->holder = 0;
}

/* ---- Objects ------------------------------------------------------------------------ */

/* Frees everything of an object nobody can reach any more. */
static void destroy(struct winipc__object *obj)
{
    if (obj->ops->destroy)
        obj->ops->destroy(obj);
    header_put(obj->hdr, obj->ops->drop_header);
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

/*
 * Makes `fresh` (just opened, holder lock on o->fd) this process's object for its
 * inode, or hands its descriptor to the object that already is: one another thread
 * registered meanwhile, or one we have without holding it (pinned, or inherited
 * through fork), which is revived. Returns the object with a ref taken for the
 * caller; `fresh` is then destroyed if it was not used. Under registry_lock.
 */
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
        /* Revive: the object takes over the new descriptor and its holder lock. Calls
           in flight may still use its old descriptor: keep it until the end. */
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
    if (unlink_it && fresh->entry && fresh->fd >= 0) {
        release_name(fresh, MUTATION_WAIT_MS); /* its only holder: this removes it */
    }
    destroy(fresh);
}

DWORD winipc__object_open(const struct winipc__name *name, const struct winipc__create *c,
                          struct winipc__object **out, bool *created)
{
    uint64_t commit = c->reserve ? winipc__page_size() : c->shm_size;
    struct winipc__object *obj, *fresh;
    struct opened o = {.fd = -1};
    DWORD err;

    if (name->present) {
        pthread_mutex_lock(&registry_lock);
        obj = find_by_name(name->global, name->entry);
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
    if (!fresh || (name->present && !(fresh->entry = strdup(name->entry)))) {
        free(fresh);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    fresh->global = name->global;
    err = name->present ? open_shared(name, c, commit, &o) : open_unnamed(name, c, commit, &o);
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
        free(fresh->hdr);
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
        destroy(fresh); /* its descriptor, if any is left, only carries our extra lock */
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

/* The last ref of a shared object is gone (see THE REGISTRY). */
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
        release_name(obj, MUTATION_WAIT_MS);
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
 * handle of a process that ends: names whose last holder leaves are removed at once,
 * and a mutex a thread still owns is abandoned by the kernel's robust list when the
 * process is gone. Other threads may still be inside calls, so nothing is unmapped
 * or freed, and the registry lock is only tried for a while: a thread that holds it
 * forever (a signal handler calling exit while we hold it) costs us the unlinks,
 * which the next process's sweep does, never a hang. A fork child holds nothing of
 * its parent's (obj->holder) and so releases nothing of it. Files opened with
 * FILE_FLAG_DELETE_ON_CLOSE are deleted (file.c).
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
                release_name(obj, EXIT_WAIT_MS);
        }
    }
    pthread_mutex_unlock(&registry_lock);
}

static void __attribute__((destructor)) close_all_at_exit(void)
{
    winipc__close_all();
}

/* ---- Handing objects to another process ----------------------------------------------- */

int winipc__object_export_fd(struct winipc__object *obj)
{
    char path[64];
    int fd;

    if (!obj->shared || !obj->entry)
        return fcntl(winipc__object_fd(obj), F_DUPFD_CLOEXEC, 0);
    /* A named object: an open file description of its own, holding the object, so
       that it lives for the other process whatever this one does meanwhile. */
    snprintf(path, sizeof path, "/proc/self/fd/%d", winipc__object_fd(obj));
    fd = open(path, O_RDWR | O_CLOEXEC); /* our own descriptor's file: no O_NOFOLLOW */
    if (fd >= 0 && ofd_lock(fd, F_RDLCK, HOLDER_BYTE) != 0) {
        close_fd(fd);
        fd = -1;
    }
    return fd;
}

struct winipc__object *winipc__object_adopt(const struct winipc__ops *ops, int fd, int data_fd,
                                            const char *entry, bool global)
{
    struct winipc__adopt adopt = {.data_fd = data_fd};
    struct winipc__object *fresh, *obj;
    struct stat st;
    size_t page = winipc__page_size();

    if (!ops->shared || fstat(fd, &st) != 0 || (uint64_t)st.st_size < page)
        return NULL;
    fresh = object_alloc(ops);
    if (!fresh || (entry && !(fresh->entry = strdup(entry)))) {
        free(fresh);
        return NULL;
    }
    fresh->fd = fd;
    fresh->global = global;
    fresh->shared = true;
    fresh->dev = st.st_dev;
    fresh->ino = st.st_ino;
    fresh->holder = entry ? winipc__cached_pid() : 0;
    fresh->hdr = header_load(fd, ops->drop_header);
    if (!fresh->hdr)
        goto fail;
    if (__atomic_load_n(&fresh->hdr->magic, __ATOMIC_ACQUIRE) != WINIPC__MAGIC ||
        fresh->hdr->version != WINIPC__LAYOUT_VERSION || fresh->hdr->kind != ops->kind ||
        fresh->hdr->shm_size != (uint64_t)st.st_size ||
        (ops->attach && ops->attach(fresh, false, &adopt) != 0))
        goto fail;
    if (ops->drop_header) {
        free(fresh->hdr);
        fresh->hdr = NULL;
    }
    pthread_mutex_lock(&registry_lock);
    obj = register_object(fresh);
    pthread_mutex_unlock(&registry_lock);
    if (!obj)
        goto fail;
    if (obj != fresh)
        destroy(fresh);
    return obj;

fail:
    fresh->fd = -1; /* the caller still owns it */
    destroy(fresh);
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

/* The inodes that carry any lock, from /proc/locks; sorted. NULL if unreadable. */
static ino_t *locked_inodes(dev_t dev, size_t *n)
{
    FILE *f = fopen("/proc/locks", "re");
    size_t cap = 0;
    ino_t *set = NULL;
    char line[256];

    *n = 0;
    if (!f)
        return NULL;
    while (fgets(line, sizeof line, f)) {
        unsigned int maj, min;
        unsigned long long ino;
        char *p = line;

        /* "1: OFDLCK ADVISORY  READ -1 00:1b:148 0 0": the field with two ':' */
        for (char *tok = strtok_r(line, " ", &p); tok; tok = strtok_r(NULL, " ", &p)) {
            if (sscanf(tok, "%x:%x:%llu", &maj, &min, &ino) != 3)
                continue;
            if (makedev(maj, min) != dev)
                break;
            if (*n == cap) {
                ino_t *grown = realloc(set, (cap = cap ? 2 * cap : 256) * sizeof *set);

                if (!grown) {
                    free(set);
                    fclose(f);
                    return NULL;
                }
                set = grown;
            }
            set[(*n)++] = (ino_t)ino;
            break;
        }
    }
    fclose(f);
    if (!set) /* readable, and nothing is locked */
        set = malloc(sizeof *set);
    return set;
}

static bool in_set(const ino_t *set, size_t n, ino_t ino)
{
    for (size_t i = 0; i < n; i++) /* few locks on one device: a scan is enough */
        if (set[i] == ino)
            return true;
    return false;
}

/*
 * Removes entry `name` of `dir` if it is ours and nobody holds it, without waiting
 * for any lock. Whether it was removed.
 */
static bool sweep_entry(int dir, const char *name)
{
    struct stat st;
    bool removed = false;
    int fd = openat(dir, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

    if (fd == -1)
        return false;
    if (ofd_lock(fd, F_WRLCK, MUTATION_BYTE) == 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_nlink > 0 && st.st_uid == winipc__euid() && unheld(fd))
        removed = unlinkat(dir, name, 0) == 0;
    close_fd(fd);
    return removed;
}

/* Sweeps one directory; `prefix` selects the entries (NULL: all). */
static DWORD sweep_dir(int dir, const char *prefix)
{
    size_t nlocked = 0, plen = prefix ? strlen(prefix) : 0;
    ino_t *locked = NULL;
    struct dirent *de;
    struct stat st;
    DWORD removed = 0;
    DIR *d;
    int fd;

    if (fstat(dir, &st) == -1)
        return 0;
    fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd == -1 || !(d = fdopendir(fd))) {
        close_fd(fd);
        return 0;
    }
    locked = locked_inodes(st.st_dev, &nlocked);
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || (prefix && strncmp(de->d_name, prefix, plen) != 0))
            continue;
        /* A locked inode is alive (or being created): no need to look closer. */
        if (locked && in_set(locked, nlocked, de->d_ino))
            continue;
        removed += sweep_entry(dir, de->d_name);
    }
    free(locked);
    closedir(d);
    return removed;
}

DWORD winipc__sweep(void)
{
    DWORD removed = 0;
    int dir = user_namespace(false), global = global_namespace();

    if (dir >= 0)
        removed += sweep_dir(dir, NULL);
    if (global >= 0)
        removed += sweep_dir(global, WINIPC__GLOBAL_PREFIX);
    return removed;
}

DWORD WINAPI winipc_sweep(void)
{
    return winipc__sweep();
}

/* ---- For the winipc command (cli/) ------------------------------------------------------ */

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
    int dir = namespace_dir(global, false), fd, err = 0;
    struct stat st;

    if (dir < 0)
        return errno;
    fd = openat(dir, entry, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd == -1)
        return errno == ELOOP ? EACCES : errno;
    if (lock_mutation(fd, MUTATION_WAIT_MS) == -1)
        err = errno;
    else if (fstat(fd, &st) == -1)
        err = errno;
    else if (!S_ISREG(st.st_mode))
        err = EACCES;
    else if (st.st_nlink == 0)
        err = ENOENT;
    else if (!force && !unheld(fd))
        err = EBUSY;
    else if (unlinkat(dir, entry, 0) == -1)
        err = errno;
    close_fd(fd);
    return err;
}

/*
 * The winipc command defines this (cli/), so that `winipc ls` shows leftovers of
 * crashed processes before anything removes them; programs do not.
 */
extern const int winipc__no_start_sweep __attribute__((weak, visibility("hidden")));

/*
 * Library start: fork handlers, and a sweep of what crashed processes of this user
 * left behind, so that their names do not linger until reused.
 */
static void __attribute__((constructor)) object_init(void)
{
    pthread_atfork(registry_prepare, registry_resume, registry_resume);
    if (!&winipc__no_start_sweep)
        winipc__sweep();
}

/*
 * Raises the soft limit of open files to the hard limit, once, when a create or open
 * first runs out of descriptors (every object holds one): programs that never need
 * more keep the limit that select() is safe with. Whether the limit went up.
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
