/*
 * transfer.c - handing handles to another process: the handles a CreateProcess child
 * inherits (spawn.c) and DuplicateHandle into another process, with one record and
 * one import for both.
 *
 * A RECORD
 *
 * struct winipc__transfer says what a handle is -- its value in the other process,
 * kind, access, flags, a named object's namespace entry, a process's pid -- and comes
 * with a descriptor of the object (and of a section's data). A named object's
 * descriptor is a fresh open file description with a holder lock of its own
 * (winipc__object_export_fd), so the object lives for the other process whatever the
 * sender does next; a file's is the same open file description (one file pointer, as
 * Windows shares it); a process's is a pidfd. Inheritance writes the records into a
 * table the child reads at startup; a duplicate sends one over a socket.
 *
 * DUPLICATING INTO ANOTHER PROCESS: THE INBOX
 *
 * DuplicateHandle returns the new handle's value at once, while the target process
 * may be busy, blocked, or not yet started (a CREATE_SUSPENDED child). So every winipc
 * process has, from the time it is loaded, an inbox:
 *
 *   - a listening SOCK_SEQPACKET socket, bound to the abstract address
 *     "\0winipc-in/<pid>" (no file: nothing to leak when the process dies);
 *   - a small memfd, "winipc-inbox", with one 16-bit entry per handle slot of a range
 *     reserved for handles given by other processes (WINIPC__INBOX_FIRST, 65536
 *     slots): "claimed" and the generation the slot's next handle value has.
 *
 * The sender connects to the target's address, checks with SO_PEERCRED that the
 * listener belongs to its own user, opens the target's
 * memfd through /proc/<pid>/fd (the same check as for /proc/<pid>/mem's readers:
 * same user, dumpable), claims a free entry with a CAS -- its slot and generation are
 * the new handle's value, unique in the target -- and sends the record with the
 * descriptors (SCM_RIGHTS) on the connection, which the kernel keeps, descriptors and
 * all, until the target accepts it. It needs no help from the target and no ptrace
 * rights: every kernel.yama.ptrace_scope value works.
 *
 * The target imports lazily: a handle value in the reserved range that is not open
 * (winipc__inbox_import, called on the failure path of every lookup in handle.c)
 * accepts every pending connection, checks the sender's user, and makes each
 * record's handle at exactly its value. Closing such a handle returns its entry with
 * the next generation. A process that never uses the values it was given keeps them
 * queued, as Windows keeps handles nobody uses, until it ends; then the kernel drops
 * the queue, and the objects' holder locks with it.
 *
 * A CreateProcess child's inbox is made by its parent before the child starts, so
 * that a suspended child can be given handles before it runs (WINIPC_INBOX names its
 * two descriptors); a fork() child makes a new one as fork() returns in it, and can be
 * given handles from then on.
 *
 * Differs from Windows: a handle can be duplicated into another process, not out of
 * one: hSourceProcess must be the calling process (ERROR_NOT_SUPPORTED otherwise). The
 * target must be a winipc process of the same user (ERROR_NOT_SUPPORTED if it has no
 * inbox, ERROR_ACCESS_DENIED for another user's). Handles of threads are not given.
 * A sender killed between claiming an entry and sending leaves the entry claimed (one
 * of 65536) until the target ends. Processes in different network namespaces (their
 * abstract socket addresses differ) cannot give each other handles.
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define INBOX_ENV "WINIPC_INBOX"
#define INBOX_MEMFD_NAME "winipc-inbox"
#define INBOX_MAGIC 0x58424E49u /* "INBX" */
#define ENTRY_CLAIMED 0x8000u
#define ENTRY_GEN_MASK 0x01FFu /* as the generation of a handle value (handle.c) */
#define GEN_SHIFT 22           /* a handle value is gen << 22 | slot << 2 */

/* The memfd: written by senders (claims) and by its owner (opens and closes). */
struct inbox_page {
    uint32_t magic;
    _Atomic uint32_t hint; /* where the next sender starts looking */
    _Atomic uint16_t entry[WINIPC__INBOX_SLOTS];
};

/* This process's inbox (a fork child makes its own). */
static struct {
    pthread_mutex_t lock; /* imports, one at a time */
    int listener, memfd;  /* -1: none */
    struct inbox_page *page;
} inbox = {PTHREAD_MUTEX_INITIALIZER, -1, -1, NULL};

static pthread_once_t inbox_once = PTHREAD_ONCE_INIT;
/* One past the highest entry a handle was opened at: a fork child copies no more. */
static _Atomic uint32_t inbox_high;

/* ---- Records ---------------------------------------------------------------------------- */

DWORD winipc__transfer_export(const struct winipc__hold *hold, HANDLE value, DWORD access,
                              DWORD flags, struct winipc__transfer *rec)
{
    struct winipc__object *obj = hold->obj;
    unsigned kind = obj->ops->kind;

    memset(rec, 0, sizeof *rec);
    rec->fd = rec->data_fd = -1;
    if (kind == WINIPC__THREAD || kind == WINIPC__REMOTE_THREAD)
        return ERROR_NOT_SUPPORTED;
    rec->handle = (uint32_t)(uintptr_t)value;
    rec->kind = kind;
    rec->access = access;
    rec->flags = flags;
    rec->fd = winipc__object_export_fd(obj);
    if (rec->fd < 0)
        return winipc__error_from_errno(errno);
    if (obj->ops->data_fd && obj->ops->data_fd(obj) >= 0) {
        rec->data_fd = fcntl(obj->ops->data_fd(obj), F_DUPFD_CLOEXEC, 0);
        if (rec->data_fd < 0) {
            DWORD err = winipc__error_from_errno(errno);

            winipc__transfer_discard(rec);
            return err;
        }
    }
    rec->pid = kind == WINIPC__PROCESS ? (int32_t)winipc__process_pid(obj) : 0;
    if (obj->entry) {
        rec->global = obj->global;
        snprintf(rec->entry, sizeof rec->entry, "%s", obj->entry);
    }
    return 0;
}

void winipc__transfer_discard(struct winipc__transfer *rec)
{
    if (rec->fd >= 0)
        close(rec->fd);
    if (rec->data_fd >= 0)
        close(rec->data_fd);
    rec->fd = rec->data_fd = -1;
}

bool winipc__transfer_import(struct winipc__transfer *rec)
{
    const struct winipc__ops *ops = winipc__ops_of(rec->kind);
    struct winipc__object *obj = NULL;

    rec->entry[sizeof rec->entry - 1] = '\0';
    if (rec->kind == WINIPC__FILE) {
        obj = winipc__file_from_fd(rec->fd);
    } else if (rec->kind == WINIPC__PROCESS) {
        obj = winipc__process_new(rec->fd, (pid_t)rec->pid, false, -1);
        rec->fd = -1; /* taken even on failure */
    } else if (ops && ops->shared)
        obj = winipc__object_adopt(ops, rec->fd, rec->data_fd, rec->entry[0] ? rec->entry : NULL,
                                   rec->global != 0);
    if (obj)
        rec->fd = -1; /* the object's now */
    winipc__transfer_discard(rec);
    return obj && winipc__handle_new_at((HANDLE)(uintptr_t)rec->handle, obj,
                                        rec->access & obj->ops->all_access,
                                        rec->flags & HANDLE_FLAG_INHERIT);
}

/* ---- The inbox -------------------------------------------------------------------------- */

static socklen_t inbox_address(pid_t pid, struct sockaddr_un *sa)
{
    int n;

    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    /* An abstract address: sun_path[0] is NUL and the length counts the bytes used. */
    n = snprintf(sa->sun_path + 1, sizeof sa->sun_path - 1, "winipc-in/%d", (int)pid);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

/* A listening socket (unbound) and the memfd of an inbox; false if either failed. */
static bool inbox_make(int *listener, int *memfd)
{
    *listener = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    *memfd = memfd_create(INBOX_MEMFD_NAME, MFD_CLOEXEC);
    if (*listener >= 0 && *memfd >= 0 && ftruncate(*memfd, sizeof(struct inbox_page)) == 0) {
        uint32_t magic = INBOX_MAGIC;

        if (pwrite(*memfd, &magic, sizeof magic, 0) == sizeof magic)
            return true;
    }
    if (*listener >= 0)
        close(*listener);
    if (*memfd >= 0)
        close(*memfd);
    *listener = *memfd = -1;
    return false;
}

/* Binds an inbox's listener to process pid's address and listens; whoever of parent
   and child comes first does it, and the other's bind fails harmlessly. */
static void inbox_publish(int listener, pid_t pid)
{
    struct sockaddr_un sa;
    socklen_t len = inbox_address(pid, &sa);

    (void)bind(listener, (struct sockaddr *)&sa, len);
    (void)listen(listener, SOMAXCONN);
}

/* Takes an inbox (made here, or by our parent) for this process. */
static void inbox_adopt(int listener, int memfd)
{
    struct inbox_page *page =
        mmap(NULL, sizeof *page, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);

    if (page == MAP_FAILED || page->magic != INBOX_MAGIC) {
        if (page != MAP_FAILED)
            munmap(page, sizeof *page);
        close(listener);
        close(memfd);
        return;
    }
    inbox.listener = listener;
    inbox.memfd = memfd;
    inbox.page = page;
    inbox_publish(listener, winipc__cached_pid());
}

/* Whether socket s is unbound, or bound to process pid's inbox address. */
static bool bound_for(int s, pid_t pid)
{
    struct sockaddr_un mine, bound;
    socklen_t mine_len = inbox_address(pid, &mine), len = sizeof bound;

    if (getsockname(s, (struct sockaddr *)&bound, &len) != 0)
        return false;
    return len <= offsetof(struct sockaddr_un, sun_path) ||
           (len == mine_len && memcmp(&bound, &mine, len) == 0);
}

/*
 * The descriptors WINIPC_INBOX names, if they are an inbox our parent made for us --
 * not for a process between it and us (a shell that forked us), whose address it
 * has: then we make our own.
 */
static bool inbox_from_parent(int *listener, int *memfd)
{
    const char *v = getenv(INBOX_ENV);
    int type = 0;
    socklen_t len = sizeof type;

    if (!v)
        return false;
    *listener = *memfd = -1;
    if (sscanf(v, "%d,%d", listener, memfd) != 2 || *listener <= 2 || *memfd <= 2 ||
        getsockopt(*listener, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_SEQPACKET ||
        fcntl(*memfd, F_GETFD) == -1 || !bound_for(*listener, winipc__cached_pid()))
        return false;
    /* Ours now: not for our children, and not open in programs we exec. */
    fcntl(*listener, F_SETFD, FD_CLOEXEC);
    fcntl(*memfd, F_SETFD, FD_CLOEXEC);
    fcntl(*listener, F_SETFL, fcntl(*listener, F_GETFL) | O_NONBLOCK);
    return true;
}

static void inbox_forget(void)
{
    if (inbox.page)
        munmap(inbox.page, sizeof *inbox.page);
    if (inbox.listener >= 0)
        close(inbox.listener);
    if (inbox.memfd >= 0)
        close(inbox.memfd);
    inbox.page = NULL;
    inbox.listener = inbox.memfd = -1;
}

static void inbox_fork_prepare(void)
{
    pthread_mutex_lock(&inbox.lock);
}

static void inbox_fork_parent(void)
{
    pthread_mutex_unlock(&inbox.lock);
}

/*
 * A fork child is a new process: the parent's inbox is not its own. Its table is a
 * copy of the parent's, handles of the inbox range included, so its new inbox starts
 * as a copy of the parent's entries (those of records still on their way to the
 * parent stay claimed in the child, unused).
 */
static void inbox_fork_child(void)
{
    struct inbox_page *old = inbox.page;
    int listener, memfd;

    inbox.page = NULL;
    inbox_forget();
    if (inbox_make(&listener, &memfd))
        inbox_adopt(listener, memfd);
    if (old && inbox.page)
        for (uint32_t i = 0; i < atomic_load(&inbox_high); i++)
            atomic_store(&inbox.page->entry[i], atomic_load(&old->entry[i]));
    if (old)
        munmap(old, sizeof *old);
    pthread_mutex_unlock(&inbox.lock);
}

static void inbox_init(void)
{
    int listener, memfd;

    pthread_atfork(inbox_fork_prepare, inbox_fork_parent, inbox_fork_child);
    if (inbox_from_parent(&listener, &memfd) || inbox_make(&listener, &memfd))
        inbox_adopt(listener, memfd);
    unsetenv(INBOX_ENV);
}

void winipc__inbox_start(void)
{
    pthread_once(&inbox_once, inbox_init);
}

/* Loaded: from now on other processes can give us handles. */
static void __attribute__((constructor)) inbox_at_load(void)
{
    winipc__inbox_start();
}

int winipc__inbox_for_child(int fds[2])
{
    return inbox_make(&fds[0], &fds[1]) ? 0 : -1;
}

void winipc__inbox_child_started(const int fds[2], pid_t pid)
{
    inbox_publish(fds[0], pid);
}

const char *winipc__inbox_env(void)
{
    return INBOX_ENV;
}

void winipc__inbox_opened(uint32_t slot, uint32_t gen)
{
    uint32_t i = slot - WINIPC__INBOX_FIRST, high = atomic_load(&inbox_high);

    if (!inbox.page || i >= WINIPC__INBOX_SLOTS)
        return;
    atomic_store(&inbox.page->entry[i], (uint16_t)(ENTRY_CLAIMED | (gen & ENTRY_GEN_MASK)));
    while (high <= i && !atomic_compare_exchange_weak(&inbox_high, &high, i + 1))
        ;
}

void winipc__inbox_freed(uint32_t slot, uint32_t next_gen)
{
    if (inbox.page && slot - WINIPC__INBOX_FIRST < WINIPC__INBOX_SLOTS)
        atomic_store(&inbox.page->entry[slot - WINIPC__INBOX_FIRST],
                     (uint16_t)(next_gen & ENTRY_GEN_MASK));
}

/* Whether record `rec` from a sender is one we can take: a value in the reserved
   range whose entry the sender claimed with that generation. */
static bool record_fits(const struct winipc__transfer *rec)
{
    uint32_t slot = (rec->handle >> 2) & 0xFFFFFu, gen = rec->handle >> GEN_SHIFT;
    uint16_t e;

    if ((rec->handle & 3) || rec->handle > 0x7FFFFFFCu ||
        slot - WINIPC__INBOX_FIRST >= WINIPC__INBOX_SLOTS)
        return false;
    e = atomic_load(&inbox.page->entry[slot - WINIPC__INBOX_FIRST]);
    return e == (ENTRY_CLAIMED | gen);
}

/* Reads one sender's record from connection c and makes its handle. */
static bool import_one(int c)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(2 * sizeof(int))];
    } control;
    struct winipc__transfer rec;
    struct iovec iov = {&rec, sizeof rec};
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = control.buf,
                         .msg_controllen = sizeof control.buf};
    struct ucred peer;
    socklen_t len = sizeof peer;
    int fds[2] = {-1, -1}, nfds = 0;
    ssize_t got;
    bool ok;

    if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0 || peer.uid != winipc__euid())
        return false; /* another user's: refused, its descriptors dropped unread */
    do
        got = recvmsg(c, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    while (got < 0 && errno == EINTR);
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); got >= 0 && cm; cm = CMSG_NXTHDR(&msg, cm)) {
        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
            continue;
        nfds = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        memcpy(fds, CMSG_DATA(cm), (size_t)(nfds < 2 ? nfds : 2) * sizeof(int));
        for (int i = 2; i < nfds; i++) { /* more than a record has: not ours */
            int extra;

            memcpy(&extra, CMSG_DATA(cm) + (size_t)i * sizeof(int), sizeof extra);
            close(extra);
        }
    }
    ok = got == (ssize_t)sizeof rec && !(msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) && nfds >= 1 &&
         nfds <= 2 && (rec.data_fd >= 0) == (nfds == 2) && record_fits(&rec);
    rec.fd = fds[0];
    rec.data_fd = nfds == 2 ? fds[1] : -1;
    if (!ok) {
        for (int i = 0; i < nfds && i < 2; i++)
            close(fds[i]);
        return false;
    }
    if (winipc__transfer_import(&rec))
        return true;
    winipc__inbox_freed((rec.handle >> 2) & 0xFFFFFu, (rec.handle >> GEN_SHIFT) + 1);
    return false;
}

bool winipc__inbox_import(void)
{
    bool any = false;
    int c;

    winipc__inbox_start();
    pthread_mutex_lock(&inbox.lock);
    while (inbox.listener >= 0 &&
           (c = accept4(inbox.listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
        any |= import_one(c);
        close(c);
    }
    pthread_mutex_unlock(&inbox.lock);
    return any;
}

/* ---- Sending ---------------------------------------------------------------------------- */

/* Maps process pid's inbox page (its memfd, found among its descriptors), or NULL. */
static struct inbox_page *map_inbox_of(pid_t pid)
{
    char dir_path[64], link[64];
    struct inbox_page *page = NULL;
    struct dirent *d;
    DIR *dir;

    snprintf(dir_path, sizeof dir_path, "/proc/%d/fd", (int)pid);
    dir = opendir(dir_path);
    while (dir && !page && (d = readdir(dir)) != NULL) {
        ssize_t n = readlinkat(dirfd(dir), d->d_name, link, sizeof link - 1);
        int fd;

        if (n <= 0)
            continue;
        link[n] = '\0';
        if (strncmp(link, "/memfd:" INBOX_MEMFD_NAME " ", sizeof "/memfd:" INBOX_MEMFD_NAME) != 0)
            continue;
        fd = openat(dirfd(dir), d->d_name, O_RDWR | O_CLOEXEC);
        if (fd < 0)
            continue;
        page = mmap(NULL, sizeof *page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
        if (page == MAP_FAILED || page->magic != INBOX_MAGIC) {
            if (page != MAP_FAILED)
                munmap(page, sizeof *page);
            page = NULL;
        }
    }
    if (dir)
        closedir(dir);
    return page;
}

/* Claims a free entry of page: the handle value it gives, or 0 if all are taken. */
static uint32_t claim_value(struct inbox_page *page)
{
    uint32_t start = atomic_fetch_add(&page->hint, 1);

    for (uint32_t k = 0; k < WINIPC__INBOX_SLOTS; k++) {
        uint32_t i = (start + k) % WINIPC__INBOX_SLOTS;
        uint16_t e = atomic_load(&page->entry[i]);

        if (!(e & ENTRY_CLAIMED) &&
            atomic_compare_exchange_strong(&page->entry[i], &e, (uint16_t)(e | ENTRY_CLAIMED)))
            return (uint32_t)(e & ENTRY_GEN_MASK) << GEN_SHIFT | (WINIPC__INBOX_FIRST + i) << 2;
    }
    return 0;
}

static void unclaim_value(struct inbox_page *page, uint32_t value)
{
    uint32_t i = ((value >> 2) & 0xFFFFFu) - WINIPC__INBOX_FIRST;
    uint16_t e = (uint16_t)(ENTRY_CLAIMED | (value >> GEN_SHIFT));

    atomic_compare_exchange_strong(&page->entry[i], &e, (uint16_t)(value >> GEN_SHIFT));
}

/* Connects to process pid's inbox and checks that it is that process's, of our user:
   the connection, or -1 with the Win32 error in *err. */
static int connect_inbox(pid_t pid, DWORD *err)
{
    struct sockaddr_un sa;
    socklen_t len = inbox_address(pid, &sa);
    struct ucred peer;
    int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

    if (s < 0) {
        *err = winipc__error_from_errno(errno);
        return -1;
    }
    if (connect(s, (struct sockaddr *)&sa, len) != 0) {
        /* No inbox: not a winipc process. A full backlog: too many sends pending. */
        *err = errno == EAGAIN ? ERROR_NOT_ENOUGH_QUOTA : ERROR_NOT_SUPPORTED;
        close(s);
        return -1;
    }
    /* The listener's user: ours, or the address is another user's (who took it first,
       or whose process this is). Its pid is the target's, or for a child that has not
       started yet, its parent's, which made its inbox (transfer.c's top). */
    len = sizeof peer;
    if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0 || peer.uid != winipc__euid()) {
        *err = ERROR_ACCESS_DENIED;
        close(s);
        return -1;
    }
    return s;
}

DWORD winipc__transfer_send(pid_t pid, const struct winipc__hold *hold, DWORD access, DWORD flags,
                            HANDLE *value)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(2 * sizeof(int))];
    } control;
    struct winipc__transfer rec;
    struct iovec iov = {&rec, sizeof rec};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf};
    struct inbox_page *page = NULL;
    struct cmsghdr *cm;
    uint32_t v = 0;
    DWORD err = 0;
    int s, nfds;

    if (hold->obj->ops->kind == WINIPC__THREAD || hold->obj->ops->kind == WINIPC__REMOTE_THREAD)
        return ERROR_NOT_SUPPORTED;
    if ((s = connect_inbox(pid, &err)) < 0)
        return err;
    if (!(page = map_inbox_of(pid))) {
        err = ERROR_ACCESS_DENIED; /* not dumpable, or it has no inbox page: not ours */
        goto out;
    }
    if (!(v = claim_value(page))) {
        err = ERROR_NO_SYSTEM_RESOURCES;
        goto out;
    }
    if ((err = winipc__transfer_export(hold, (HANDLE)(uintptr_t)v, access, flags, &rec)) != 0)
        goto out;
    nfds = rec.data_fd >= 0 ? 2 : 1;
    msg.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
    cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
    memcpy(CMSG_DATA(cm), &rec.fd, sizeof(int));
    if (nfds == 2)
        memcpy(CMSG_DATA(cm) + sizeof(int), &rec.data_fd, sizeof(int));
    if (sendmsg(s, &msg, MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)sizeof rec)
        err = errno == EAGAIN || errno == ENOBUFS ? ERROR_NOT_ENOUGH_QUOTA
                                                  : winipc__error_from_errno(errno);
    winipc__transfer_discard(&rec); /* ours; the target's are in flight */
out:
    if (err && v)
        unclaim_value(page, v);
    if (page)
        munmap(page, sizeof *page);
    close(s);
    if (!err)
        *value = (HANDLE)(uintptr_t)v;
    return err;
}
