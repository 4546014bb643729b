/*
 * object.c - named shared objects: create, open, lifetime; the per-process registry.
 *
 * THE LIFETIME PROTOCOL
 *
 * Windows deletes a named object when the last handle to it, in any process, is
 * closed, and a process that dies closes its handles. There is no daemon here to keep
 * a reference count, and a count kept in shared memory is wrong as soon as a process
 * dies between an increment and a decrement. The kernel already keeps the one count
 * that survives crashes: file locks. So every object is one shm object, and
 *
 *   byte 0 of it carries a shared OFD lock of every process that holds a handle to it
 *          (the "holder" lock). The kernel drops it when the process dies;
 *   byte 1 carries a short exclusive OFD lock (the "mutation" lock) around every step
 *          that decides the object's fate: initialisation, the stale check and unlink.
 *
 *   create/open: shm_open (O_CREAT for create); take the mutation lock; fstat. If the
 *     link count is 0 we opened an object that was unlinked meanwhile: retry. Then try
 *     an exclusive holder lock. If it succeeds nobody holds the object: a size of 0
 *     means we just created it, so initialise it and downgrade to a shared holder lock;
 *     any other size means a leftover whose every holder crashed: unlink it and retry
 *     (create) or report ERROR_FILE_NOT_FOUND (open). If the exclusive lock fails the
 *     object is alive: validate its header and take a shared holder lock. Drop the
 *     mutation lock.
 *   last close in this process: take the mutation lock; drop our holder lock; if an
 *     exclusive holder lock now succeeds, nobody else holds it: unlink. Close the fd.
 *
 * Every unlink happens under the mutation lock of the inode it removes, and every
 * opener re-checks the link count under that same lock, so an opener can never keep
 * an unlinked object while the name goes on to a new one. Locks are OFD locks
 * (F_OFD_SETLK): they belong to one open file description, so they do not vanish
 * when some other descriptor of the file is closed (the classic POSIX lock trap
 * SQLite warns about) and two opens in one process exclude each other like two
 * processes do.
 *
 * Differs from DESIGN.md: the design put the mutation lock on a per-namespace lock
 * file. Locking the object itself needs no file that lives forever in /dev/shm, and
 * no machine-wide file that any user could keep locked to stall another user's
 * Global\ objects; only holders of an object can delay operations on it.
 *
 * Views do not hold the lock: as on Windows, the name dies with the last handle while
 * views keep the memory (a mapping outlives the unlink of its file).
 *
 * Differs from Windows: when every holder of an object crashed, nobody is left to
 * unlink it; it stays in /dev/shm (unreachable: any create or open of the name
 * reclaims it as new) until its name is next used or winipc_sweep() runs.
 *
 * THE REGISTRY
 *
 * A process has one winipc__object per named object, whatever the number of handles,
 * so identity is a pointer comparison (WaitForMultipleObjects relies on it) and a
 * repeated open costs no syscall. It is keyed by POSIX name and digest: while this
 * process holds a ref the name cannot be unlinked, so the name identifies the inode.
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define HOLDER_BYTE 0
#define MUTATION_BYTE 1

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct winipc__object *registry;

/* fcntl OFD lock of one byte; `wait` blocks. Returns 0 or -1 with errno. */
static int ofd_lock(int fd, short type, off_t byte, bool wait)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1};
    int r;

    do
        r = fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl);
    while (r == -1 && errno == EINTR);
    return r;
}

static void close_fd(int fd)
{
    if (fd >= 0)
        close(fd); /* never retried: the descriptor is gone even on EINTR */
}

/* Whether anybody holds fd's object; call with the mutation lock held. */
static bool unheld(int fd)
{
    return ofd_lock(fd, F_WRLCK, HOLDER_BYTE, false) == 0;
}

/* Finds a live registered object; takes a ref. Call with registry_lock held. */
static struct winipc__object *registry_find(const char *posix)
{
    struct winipc__object *o;

    for (o = registry; o; o = o->next) {
        unsigned r = atomic_load_explicit(&o->refs, memory_order_relaxed);

        if (strcmp(o->posix_name, posix) != 0)
            continue;
        while (r != 0) { /* 0: being destroyed, the name is no longer ours */
            if (atomic_compare_exchange_weak(&o->refs, &r, r + 1))
                return o;
        }
    }
    return NULL;
}

static void registry_remove(struct winipc__object *obj)
{
    struct winipc__object **p;

    pthread_mutex_lock(&registry_lock);
    for (p = &registry; *p; p = &(*p)->next) {
        if (*p == obj) {
            *p = obj->next;
            break;
        }
    }
    pthread_mutex_unlock(&registry_lock);
}

/* Creates an object's first page: size, header, kind state, magic last. */
static DWORD initialise(int fd, const struct winipc__name *name, const struct winipc__create *c,
                        struct winipc__header **out)
{
    size_t page = winipc__page_size();
    struct winipc__header *hdr;
    int err;

    if (ftruncate(fd, (off_t)c->shm_size) == -1)
        return winipc__error_from_errno(errno);
    hdr = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (hdr == MAP_FAILED)
        return winipc__error_from_errno(errno);
    hdr->version = WINIPC__LAYOUT_VERSION;
    hdr->kind = (uint16_t)c->ops->kind;
    hdr->creator_pid = (uint32_t)winipc__cached_pid();
    if (name->present) {
        hdr->name_len = (uint32_t)name->utf8_len;
        memcpy(hdr->digest, name->digest, sizeof hdr->digest);
        /* For tools, truncated; the fresh page is zeroed, so it stays terminated. */
        memcpy(hdr->name, name->utf8, strnlen(name->utf8, sizeof hdr->name - 1));
    }
    err = c->init ? c->init(hdr, c->arg) : 0;
    if (err) {
        munmap(hdr, page);
        return winipc__error_from_errno(err);
    }
    __atomic_store_n(&hdr->magic, WINIPC__MAGIC, __ATOMIC_RELEASE);
    *out = hdr;
    return 0;
}

/* Maps and validates the first page of an existing object. */
static DWORD attach_header(int fd, const struct stat *st, const struct winipc__name *name,
                           const struct winipc__ops *ops, struct winipc__header **out)
{
    size_t page = winipc__page_size();
    struct winipc__header *hdr;

    if ((size_t)st->st_size < page)
        return ERROR_INVALID_HANDLE;
    hdr = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (hdr == MAP_FAILED)
        return winipc__error_from_errno(errno);
    if (__atomic_load_n(&hdr->magic, __ATOMIC_ACQUIRE) != WINIPC__MAGIC ||
        hdr->version != WINIPC__LAYOUT_VERSION || hdr->kind != ops->kind ||
        memcmp(hdr->digest, name->digest, sizeof hdr->digest) != 0) {
        munmap(hdr, page);
        return ERROR_INVALID_HANDLE;
    }
    *out = hdr;
    return 0;
}

/*
 * Opens or creates the shm object of `name` following the protocol above. On success
 * *fd_out holds a shared holder lock and *hdr_out is the mapped, valid first page.
 */
static DWORD open_shared(const struct winipc__name *name, const struct winipc__create *c,
                         int *fd_out, struct winipc__header **hdr_out, struct stat *st,
                         bool *created)
{
    DWORD err;
    int fd;

    for (;;) {
        fd = shm_open(name->posix, O_RDWR | O_CLOEXEC | O_NOFOLLOW | (c->create ? O_CREAT : 0),
                      c->mode);
        if (fd == -1)
            return winipc__error_from_errno(errno); /* ENOENT: ERROR_FILE_NOT_FOUND */
        if (ofd_lock(fd, F_WRLCK, MUTATION_BYTE, true) == -1 || fstat(fd, st) == -1) {
            err = winipc__error_from_errno(errno);
            goto fail;
        }
        if (st->st_nlink == 0) { /* unlinked while we opened it: the name moved on */
            close_fd(fd);
            continue;
        }
        /* Per-user names must not be planted by another user. */
        if (!name->global && st->st_uid != winipc__euid()) {
            err = ERROR_ACCESS_DENIED;
            goto fail;
        }
        if (!unheld(fd))
            break; /* alive */
        if (c->create && st->st_size == 0) {
            /* Ours and new. The umask must not narrow a Global\ object's open access. */
            err = (c->mode & 0066) && fchmod(fd, c->mode) == -1 ? winipc__error_from_errno(errno)
                                                                : initialise(fd, name, c, hdr_out);
            if (err) {
                shm_unlink(name->posix);
                goto fail;
            }
            ofd_lock(fd, F_RDLCK, HOLDER_BYTE, false); /* downgrade: cannot fail */
            ofd_lock(fd, F_UNLCK, MUTATION_BYTE, false);
            *fd_out = fd;
            *created = true;
            return 0;
        }
        /* Nobody holds it: a leftover of crashed processes. */
        shm_unlink(name->posix);
        close_fd(fd);
        if (!c->create)
            return ERROR_FILE_NOT_FOUND;
    }
    err = attach_header(fd, st, name, c->ops, hdr_out);
    if (err)
        goto fail;
    /* Only a holder of the mutation lock ever holds the holder byte exclusively. */
    ofd_lock(fd, F_RDLCK, HOLDER_BYTE, false);
    ofd_lock(fd, F_UNLCK, MUTATION_BYTE, false);
    *fd_out = fd;
    *created = false;
    return 0;

fail:
    close_fd(fd);
    return err;
}

/* An unnamed shared object: a memfd nobody else can find. */
static DWORD open_unnamed(const struct winipc__name *name, const struct winipc__create *c,
                          int *fd_out, struct winipc__header **hdr_out, struct stat *st)
{
    int fd = memfd_create("winipc", MFD_CLOEXEC);
    DWORD err;

    if (fd == -1)
        return winipc__error_from_errno(errno);
    err = initialise(fd, name, c, hdr_out);
    if (!err && fstat(fd, st) == -1)
        err = winipc__error_from_errno(errno);
    if (err) {
        close_fd(fd);
        return err;
    }
    *fd_out = fd;
    return 0;
}

DWORD winipc__object_open(const struct winipc__name *name, const struct winipc__create *c,
                          struct winipc__object **out, bool *created)
{
    struct winipc__object *obj, *other;
    struct stat st;
    DWORD err;

    if (name->present) {
        pthread_mutex_lock(&registry_lock);
        obj = registry_find(name->posix);
        pthread_mutex_unlock(&registry_lock);
        if (obj) {
            if (obj->ops != c->ops) {
                winipc__object_unref(obj);
                return ERROR_INVALID_HANDLE;
            }
            *out = obj;
            *created = false;
            return 0;
        }
    }

    obj = calloc(1, sizeof *obj);
    if (!obj || (name->present && !(obj->posix_name = strdup(name->posix)))) {
        free(obj);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    if (name->present) {
        err = open_shared(name, c, &obj->fd, &obj->hdr, &st, created);
    } else {
        err = open_unnamed(name, c, &obj->fd, &obj->hdr, &st);
        *created = true;
    }
    if (err) {
        free(obj->posix_name);
        free(obj);
        return err;
    }
    obj->ops = c->ops;
    atomic_init(&obj->refs, 1);
    obj->dev = st.st_dev;
    obj->ino = st.st_ino;
    err = c->ops->attach ? c->ops->attach(obj, *created, c->arg) : 0;
    if (err) {
        winipc__object_unref(obj); /* not registered yet: a plain last close */
        return err;
    }

    if (name->present) {
        pthread_mutex_lock(&registry_lock);
        other = registry_find(name->posix); /* another thread of ours was faster */
        if (!other) {
            obj->next = registry;
            registry = obj;
        }
        pthread_mutex_unlock(&registry_lock);
        if (other) {
            winipc__object_unref(obj);
            obj = other;
            *created = false;
        }
    }
    *out = obj;
    return 0;
}

struct winipc__object *winipc__object_new_local(const struct winipc__ops *ops)
{
    struct winipc__object *obj = calloc(1, sizeof *obj);

    if (!obj)
        return winipc__fail(NULL, ERROR_NOT_ENOUGH_MEMORY);
    obj->ops = ops;
    atomic_init(&obj->refs, 1);
    obj->fd = -1;
    return obj;
}

void winipc__object_ref(struct winipc__object *obj)
{
    atomic_fetch_add_explicit(&obj->refs, 1, memory_order_relaxed);
}

/*
 * Releases everything of an object whose last ref is gone, running the last-close
 * half of the lifetime protocol for a named one.
 */
static void release(struct winipc__object *obj)
{
    if (obj->ops->destroy)
        obj->ops->destroy(obj);
    if (obj->hdr)
        munmap(obj->hdr, winipc__page_size());
    /* Upgrading our shared holder lock succeeds only if nobody else holds one. */
    if (obj->posix_name && obj->fd >= 0 && ofd_lock(obj->fd, F_WRLCK, MUTATION_BYTE, true) == 0 &&
        unheld(obj->fd)) {
        struct stat st;

        if (fstat(obj->fd, &st) == 0 && st.st_nlink > 0)
            shm_unlink(obj->posix_name);
    }
    close_fd(obj->fd); /* drops every lock of this description */
}

void winipc__object_unref(struct winipc__object *obj)
{
    if (atomic_fetch_sub_explicit(&obj->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (obj->ops->retire && obj->ops->retire(obj))
        return;
    winipc__object_destroy(obj);
}

void winipc__object_destroy(struct winipc__object *obj)
{
    if (obj->posix_name)
        registry_remove(obj);
    release(obj);
    free(obj->posix_name);
    free(obj);
}

/* ---- Permissions ------------------------------------------------------------------- */

BOOL WINAPI InitializeSecurityDescriptor(PSECURITY_DESCRIPTOR sd, DWORD revision)
{
    if (!sd)
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (revision != SECURITY_DESCRIPTOR_REVISION)
        return winipc__fail(FALSE, ERROR_UNKNOWN_REVISION);
    memset(sd, 0, sizeof(SECURITY_DESCRIPTOR));
    ((SECURITY_DESCRIPTOR *)sd)->Revision = SECURITY_DESCRIPTOR_REVISION;
    return TRUE;
}

BOOL WINAPI SetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR psd, BOOL present, PACL dacl,
                                      BOOL defaulted)
{
    SECURITY_DESCRIPTOR *sd = psd;

    if (!sd)
        return winipc__fail(FALSE, ERROR_NOACCESS);
    if (sd->Revision != SECURITY_DESCRIPTOR_REVISION)
        return winipc__fail(FALSE, ERROR_UNKNOWN_REVISION);
    sd->Control &= (WORD) ~(SE_DACL_PRESENT | SE_DACL_DEFAULTED);
    sd->Dacl = NULL;
    if (present) {
        sd->Control |= SE_DACL_PRESENT;
        sd->Dacl = dacl;
        if (defaulted)
            sd->Control |= SE_DACL_DEFAULTED;
    }
    return TRUE;
}

/*
 * Objects are private to their user (0600), except Global\ objects created with a
 * security descriptor whose DACL is present and NULL -- the Windows idiom for "open
 * to everyone" -- which are 0666.
 * Differs from Windows: ACLs other than the NULL DACL are not interpreted.
 */
mode_t winipc__object_mode(const struct winipc__name *name, const SECURITY_ATTRIBUTES *sa)
{
    const SECURITY_DESCRIPTOR *sd = sa ? sa->lpSecurityDescriptor : NULL;

    if (name->global && sd && (sd->Control & SE_DACL_PRESENT) && !sd->Dacl)
        return 0666;
    return 0600;
}

/* ---- Reclaiming leftovers ---------------------------------------------------------- */

DWORD WINAPI winipc_sweep(void)
{
    char user_prefix[40], path[NAME_MAX + 2];
    struct dirent *de;
    DWORD removed = 0;
    DIR *dir = opendir("/dev/shm");

    if (!dir)
        return 0;
    snprintf(user_prefix, sizeof user_prefix, "winipc.u%lu.", (unsigned long)winipc__euid());
    while ((de = readdir(dir)) != NULL) {
        struct stat st;
        int fd;

        if (strncmp(de->d_name, user_prefix, strlen(user_prefix)) != 0 &&
            strncmp(de->d_name, "winipc.g.", 9) != 0)
            continue;
        snprintf(path, sizeof path, "/%s", de->d_name);
        fd = shm_open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0);
        if (fd == -1)
            continue;
        if (ofd_lock(fd, F_WRLCK, MUTATION_BYTE, true) == 0 && fstat(fd, &st) == 0 &&
            st.st_nlink > 0 && st.st_uid == winipc__euid() && unheld(fd)) {
            if (shm_unlink(path) == 0)
                removed++;
        }
        close_fd(fd);
    }
    closedir(dir);
    return removed;
}
