/*
 * mapping.c - file mappings (sections) and their views.
 *
 * A pagefile-backed section is the data area of its shm object, starting at the page
 * after the header, so a view is a plain shared mmap of that object: no copy and no
 * indirection on access. A file-backed section keeps its data in the file; its shm
 * object holds only the header, which records the file's path and identity so that
 * another process opening the section by name maps the same file: the file found
 * there must be the same inode and belong to the section's creator (the owner of
 * the shm file), or a section's creator could make a victim map one of its own files.
 * Differs from Windows: that other process reopens the file by path, so it fails
 * with ERROR_FILE_NOT_FOUND if the file was renamed or replaced meanwhile.
 *
 * Everything a section needs is copied out of its header when it is opened and
 * checked against the file's real size, so a peer that rewrites the header later
 * changes nothing here; the header page is not kept mapped.
 * Differs from Windows: a peer with write access that truncates the shm file after
 * it was opened makes later touches of the lost pages raise SIGBUS.
 *
 * Views belong to the process, not to a handle: they survive CloseHandle of the
 * section (as on Windows) and are tracked in a small sorted table so that
 * UnmapViewOfFile and FlushViewOfFile accept any address inside a view.
 */
#include "internal.h"
#include "platform.h"
#include "views.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define SECTION_PATH_MAX WINIPC__SECTION_PATH_MAX

struct section {
    struct winipc__object obj;
    int data_fd;       /* a file-backed section's file, else -1 (the data is in obj.fd) */
    off_t data_offset; /* where offset 0 of the section is in its data file */
    uint64_t size;
    DWORD protect;
    bool file_backed;
    bool reserve; /* created here with SEC_RESERVE: views start reserved */
};

static struct section *section_of(struct winipc__object *obj)
{
    return WINIPC__CONTAINER(obj, struct section, obj);
}

/* What CreateFileMapping passes to the new section's initialisation and attach. */
struct section_params {
    uint64_t size;
    DWORD protect;    /* PAGE_* (low byte of flProtect) */
    int file_fd;      /* the creator's file, or -1 */
    const char *path; /* its absolute path, for other processes */
    struct stat file_st;
    bool reserve; /* SEC_RESERVE */
};

static DWORD page_protect_base(DWORD protect)
{
    return protect & 0xFF;
}

static bool protect_valid(DWORD base)
{
    switch (base) {
    case PAGE_READONLY:
    case PAGE_READWRITE:
    case PAGE_WRITECOPY:
    case PAGE_EXECUTE_READ:
    case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY:
        return true;
    default:
        return false;
    }
}

static bool protect_writable(DWORD base)
{
    return base == PAGE_READWRITE || base == PAGE_EXECUTE_READWRITE;
}

static bool protect_executable(DWORD base)
{
    return base == PAGE_EXECUTE_READ || base == PAGE_EXECUTE_READWRITE ||
           base == PAGE_EXECUTE_WRITECOPY;
}

static uint64_t round_up(uint64_t v, uint64_t to)
{
    return (v + to - 1) / to * to;
}

static int section_init(void *state, const void *arg)
{
    const struct section_params *p = arg;
    struct winipc__section_state *s = state;

    s->size = p->size;
    s->protect = p->protect;
    if (p->file_fd >= 0) {
        s->file_backed = 1;
        s->file_dev = (uint64_t)p->file_st.st_dev;
        s->file_ino = (uint64_t)p->file_st.st_ino;
        if (p->path)
            memcpy(s->file_path, p->path, strlen(p->path) + 1);
    }
    return 0;
}

/*
 * Opens the file of a file-backed section created by another process (or handle):
 * the same inode as recorded, owned by the section's creator, at least as long as
 * the section.
 */
static DWORD open_section_file(struct section *sec, const struct winipc__section_state *s)
{
    char path[SECTION_PATH_MAX];
    struct stat st, shm;
    int fd;

    memcpy(path, s->file_path, sizeof path);
    path[sizeof path - 1] = '\0'; /* the header is shared: never trust it */
    if (path[0] != '/' || fstat(sec->obj.fd, &shm) == -1)
        return ERROR_FILE_NOT_FOUND;
    fd = open(path, (protect_writable(sec->protect) ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC);
    if (fd == -1)
        return winipc__error_from_errno(errno);
    if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || (uint64_t)st.st_dev != s->file_dev ||
        (uint64_t)st.st_ino != s->file_ino || st.st_uid != shm.st_uid) {
        close(fd);
        return ERROR_FILE_NOT_FOUND; /* renamed or replaced since the section was made */
    }
    if ((uint64_t)st.st_size < sec->size) {
        close(fd);
        return ERROR_FILE_INVALID; /* truncated below the section */
    }
    sec->data_fd = fd;
    return 0;
}

/* The creator's file, opened anew: the section's lock must not be on the file
   handle's own open file description, or SetEndOfFile through that handle would not
   see it. Falls back to a duplicate (no such protection) where it cannot reopen. */
static DWORD reopen_file(struct section *sec, int file_fd)
{
    sec->data_fd = winipc__file_reopen(file_fd, protect_writable(sec->protect) ? O_RDWR : O_RDONLY);
    if (sec->data_fd == -1)
        sec->data_fd = fcntl(file_fd, F_DUPFD_CLOEXEC, 0);
    return sec->data_fd == -1 ? winipc__error_from_errno(errno) : 0;
}

static DWORD section_attach(struct winipc__object *obj, bool created, const void *arg)
{
    const struct section_params *p = arg;
    const struct winipc__section_state *s = winipc__object_state(obj);
    struct section *sec = section_of(obj);
    uint64_t page = winipc__page_size();
    DWORD err = 0;

    sec->data_fd = -1;
    sec->reserve = created && p && p->reserve;
    sec->size = s->size;
    sec->protect = s->protect;
    sec->file_backed = s->file_backed != 0;
    if (!protect_valid(sec->protect) || sec->size == 0 ||
        (!sec->file_backed && (sec->size > UINT64_MAX - 2 * page ||
                               obj->hdr->shm_size != page + round_up(sec->size, page))))
        return ERROR_INVALID_HANDLE; /* not a header we wrote */
    if (!sec->file_backed) {
        sec->data_offset = (off_t)page;
    } else {
        sec->data_offset = 0;
        const struct winipc__adopt *adopted = !created ? arg : NULL;

        if (created && p && p->file_fd >= 0)
            err = reopen_file(sec, p->file_fd);
        else if (adopted && adopted->data_fd >= 0) /* handed over with the section */
            sec->data_fd = fcntl(adopted->data_fd, F_DUPFD_CLOEXEC, 0);
        else
            err = open_section_file(sec, s);
        if (!err && sec->data_fd < 0)
            err = winipc__error_from_errno(errno);
        if (!err)
            winipc__file_mark_mapped(sec->data_fd); /* SetEndOfFile cannot shrink it */
    }
    return err;
}

static int section_data_fd(struct winipc__object *obj)
{
    return section_of(obj)->data_fd;
}

static void section_destroy(struct winipc__object *obj)
{
    if (section_of(obj)->data_fd >= 0)
        close(section_of(obj)->data_fd);
}

const struct winipc__ops winipc__section_ops = {
    .shared = true,
    .kind = WINIPC__SECTION,
    .name = "Section",
    .size = sizeof(struct section),
    .all_access = SECTION_ALL_ACCESS,
    .generic = {STANDARD_RIGHTS_READ | SECTION_QUERY | SECTION_MAP_READ,
                STANDARD_RIGHTS_WRITE | SECTION_MAP_WRITE,
                STANDARD_RIGHTS_EXECUTE | SECTION_MAP_EXECUTE, SECTION_ALL_ACCESS},
    .init = section_init,
    .attach = section_attach,
    .drop_header = true, /* attach copies all it needs */
    .data_fd = section_data_fd,
    .destroy = section_destroy,
};

static uint64_t shm_capacity = UINT64_MAX;
static pthread_once_t capacity_once = PTHREAD_ONCE_INIT;

static void read_shm_capacity(void)
{
    struct statvfs vfs;

    if (statvfs(winipc__memory_dir(), &vfs) == 0)
        shm_capacity = (uint64_t)vfs.f_blocks * vfs.f_frsize;
}

/* Whether `size` bytes can ever be backed by the shm filesystem (read once). */
static bool shm_can_hold(uint64_t size)
{
    pthread_once(&capacity_once, read_shm_capacity);
    return size < shm_capacity;
}

/* The handle access CreateFileMapping grants for a section protection (as kernelbase). */
static DWORD create_access(DWORD base)
{
    DWORD access = STANDARD_RIGHTS_REQUIRED | SECTION_QUERY | SECTION_MAP_READ;

    if (protect_writable(base))
        access |= SECTION_MAP_WRITE;
    if (protect_executable(base))
        access |= SECTION_MAP_EXECUTE;
    return access;
}

#define ALLOWED_SEC_FLAGS                                                               \
    (SEC_FILE | SEC_IMAGE | SEC_RESERVE | SEC_COMMIT | SEC_NOCACHE | SEC_WRITECOMBINE | \
     SEC_LARGE_PAGES)

/*
 * The SEC_* rules of NtCreateSection, as Wine's virtual.c test_CreateFileMapping
 * records Windows' answers: SEC_FILE is never the caller's to give; SEC_IMAGE takes
 * no other allocation flag; SEC_NOCACHE, SEC_WRITECOMBINE and SEC_LARGE_PAGES only
 * qualify SEC_COMMIT or SEC_RESERVE (SEC_LARGE_PAGES only a pagefile SEC_COMMIT).
 * Returns 0 or the Win32 error.
 * Differs from Windows: no process holds SeLockMemoryPrivilege here, so a valid
 * SEC_LARGE_PAGES request fails as it does for a Windows process without it.
 */
static DWORD check_sec_flags(DWORD flags, bool file_backed)
{
    DWORD alloc = flags & (SEC_RESERVE | SEC_COMMIT);

    if ((flags & ~(DWORD)ALLOWED_SEC_FLAGS) || (flags & SEC_FILE) ||
        alloc == (SEC_RESERVE | SEC_COMMIT))
        return ERROR_INVALID_PARAMETER;
    if (flags & SEC_IMAGE)
        return (flags & (SEC_RESERVE | SEC_COMMIT | SEC_WRITECOMBINE | SEC_LARGE_PAGES))
                   ? ERROR_INVALID_PARAMETER
                   : ERROR_BAD_EXE_FORMAT; /* no data file is a PE image */
    if (!alloc && (flags & (SEC_NOCACHE | SEC_WRITECOMBINE | SEC_LARGE_PAGES)))
        return ERROR_INVALID_PARAMETER;
    if (flags & SEC_LARGE_PAGES)
        return alloc == SEC_RESERVE || file_backed ? ERROR_INVALID_PARAMETER
                                                   : ERROR_PRIVILEGE_NOT_HELD;
    return 0;
}

/*
 * CreateFileMappingA/W. Validates everything before touching the namespace, as
 * NtCreateSection does, so a bad call on an existing name fails the same way as on
 * a new one.
 * SEC_RESERVE: the views this process maps of a section it created so start with
 * every page reserved (VirtualQuery: MEM_RESERVE), until VirtualAlloc(MEM_COMMIT)
 * commits them in every view of the section (memory.c).
 * Differs from Windows: reserved pages can be touched all the same (Linux commits
 * shm pages on first touch), and the reservation is known only to the process that
 * created the section: other processes see every page committed.
 */
static HANDLE create_mapping(HANDLE file, const SECURITY_ATTRIBUTES *sa, DWORD protect,
                             DWORD size_high, DWORD size_low, const struct winipc__name *name)
{
    DWORD base = page_protect_base(protect), flags = protect & ~(DWORD)0xFF;
    struct section_params p = {.size = (uint64_t)size_high << 32 | size_low, .file_fd = -1};
    uint64_t page = winipc__page_size(), shm_size = page;
    struct winipc__create c = {.ops = &winipc__section_ops, .create = true, .arg = &p};
    struct winipc__hold file_hold = {0};
    char path[SECTION_PATH_MAX];
    DWORD err;
    HANDLE h;

    err = check_sec_flags(flags, file != INVALID_HANDLE_VALUE && file != NULL);
    if (err)
        return winipc__fail(NULL, err);
    if (!protect_valid(base))
        return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
    p.protect = base;

    if (file == INVALID_HANDLE_VALUE || file == NULL) { /* pagefile-backed */
        if (p.size == 0)
            return winipc__fail(NULL, ERROR_INVALID_PARAMETER);
        /* Differs from Windows: no commit charge; a size the shm filesystem could
           never hold fails as an over-commit would. */
        if (p.size > UINT64_MAX - 2 * page || !shm_can_hold(p.size))
            return winipc__fail(NULL, ERROR_NOT_ENOUGH_MEMORY);
        shm_size = page + round_up(p.size, page);
    } else {
        if (!winipc__handle_hold(file, WINIPC__FILE, &file_hold))
            return NULL;
        p.file_fd = file_hold.obj->fd;
        err = ERROR_ACCESS_DENIED;
        /* An executable section needs a file opened for execution (GENERIC_EXECUTE). */
        if (!(file_hold.access & FILE_READ_DATA) ||
            (protect_writable(base) && !(file_hold.access & FILE_WRITE_DATA)) ||
            (protect_executable(base) && !(file_hold.access & FILE_EXECUTE)))
            goto fail;
        if (fstat(p.file_fd, &p.file_st) == -1)
            goto fail_errno;
        if (p.size == 0) {
            err = ERROR_FILE_INVALID;
            if (p.file_st.st_size == 0)
                goto fail;
            p.size = (uint64_t)p.file_st.st_size;
        } else if (p.size > (uint64_t)p.file_st.st_size) {
            err = ERROR_NOT_ENOUGH_MEMORY; /* a read-only section cannot grow its file */
            if (!protect_writable(base))
                goto fail;
            if (p.size > INT64_MAX || ftruncate(p.file_fd, (off_t)p.size) == -1)
                goto fail_errno;
        }
        if (name->present) { /* other processes will open the file by its path */
            err = ERROR_FILENAME_EXCED_RANGE;
            if (winipc__file_path(p.file_fd, path, sizeof path) < 0)
                goto fail;
            p.path = path;
        }
    }

    err = winipc__object_mode(name, sa, &c.mode);
    if (err)
        goto fail;
    c.shm_size = shm_size;
    c.reserve = flags & SEC_RESERVE; /* else committed now, as SEC_COMMIT is on Windows */
    p.reserve = flags & SEC_RESERVE;
    c.handle_flags = winipc__inherit_flag(sa);
    h = winipc__create_handle(&c, 0, name, create_access(base), NULL);
    if (file_hold.slot)
        winipc__handle_release(&file_hold); /* the section has its own descriptor */
    return h;

fail_errno:
    err = winipc__error_from_errno(errno);
fail:
    if (file_hold.slot)
        winipc__handle_release(&file_hold);
    return winipc__fail(NULL, err);
}

HANDLE WINAPI CreateFileMappingA(HANDLE file, LPSECURITY_ATTRIBUTES sa, DWORD protect,
                                 DWORD size_high, DWORD size_low, LPCSTR name)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_a(name, &n);

    if (err)
        return winipc__fail(NULL, err);
    return create_mapping(file, sa, protect, size_high, size_low, &n);
}

HANDLE WINAPI CreateFileMappingW(HANDLE file, LPSECURITY_ATTRIBUTES sa, DWORD protect,
                                 DWORD size_high, DWORD size_low, LPCWSTR name)
{
    struct winipc__name n;
    DWORD err = winipc__name_from_w(name, &n);

    if (err)
        return winipc__fail(NULL, err);
    return create_mapping(file, sa, protect, size_high, size_low, &n);
}

HANDLE WINAPI OpenFileMappingA(DWORD access, BOOL inherit, LPCSTR name)
{
    return winipc__open_a(&winipc__section_ops, access, inherit, name);
}

HANDLE WINAPI OpenFileMappingW(DWORD access, BOOL inherit, LPCWSTR name)
{
    return winipc__open_w(&winipc__section_ops, access, inherit, name);
}

/* ---- Views ------------------------------------------------------------------------- */

#define view winipc__view

static pthread_mutex_t views_lock = PTHREAD_MUTEX_INITIALIZER;
static struct view *views; /* sorted by base */
static size_t nviews, views_cap;

/* fork(): the table must not be copied in the middle of a change. */
static void views_prepare(void)
{
    pthread_mutex_lock(&views_lock);
}

static void views_resume(void)
{
    pthread_mutex_unlock(&views_lock);
}

static void __attribute__((constructor)) views_init(void)
{
    pthread_atfork(views_prepare, views_resume, views_resume);
}

/* Index of the view containing addr, or of the insertion point; under views_lock. */
static size_t view_search(uintptr_t addr, bool *found)
{
    size_t lo = 0, hi = nviews;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (addr < views[mid].base)
            hi = mid;
        else if (addr - views[mid].base >= views[mid].len)
            lo = mid + 1;
        else {
            *found = true;
            return mid;
        }
    }
    *found = false;
    return lo;
}

struct winipc__view *winipc__view_lock(uintptr_t addr)
{
    bool found;
    size_t i;

    pthread_mutex_lock(&views_lock);
    i = view_search(addr, &found);
    if (found)
        return &views[i];
    pthread_mutex_unlock(&views_lock);
    return NULL;
}

struct winipc__view *winipc__views(size_t *count)
{
    *count = nviews;
    return views;
}

void winipc__view_unlock(void)
{
    pthread_mutex_unlock(&views_lock);
}

static bool view_add(struct view v)
{
    bool found;
    size_t i;

    pthread_mutex_lock(&views_lock);
    if (nviews == views_cap) {
        size_t cap = views_cap ? 2 * views_cap : 16;
        struct view *n = realloc(views, cap * sizeof *n);

        if (!n) {
            pthread_mutex_unlock(&views_lock);
            return false;
        }
        views = n;
        views_cap = cap;
    }
    i = view_search(v.base, &found);
    memmove(&views[i + 1], &views[i], (nviews - i) * sizeof *views);
    views[i] = v;
    nviews++;
    pthread_mutex_unlock(&views_lock);
    return true;
}

/*
 * An aligned address where the next view will likely fit: the base of the view last
 * unmapped, or the aligned place just below the view last mapped (the kernel hands
 * out addresses top-down). Only ever passed to mmap as a hint, which never replaces
 * a mapping: a wrong guess costs a look, not a clobbered range.
 */
static _Atomic uintptr_t next_hint;

static void set_hint(uintptr_t base)
{
    atomic_store_explicit(&next_hint, base, memory_order_relaxed);
}

/*
 * mmap at a multiple of the allocation granularity, as Windows places every view:
 * code that maps a view where another view was (or where another process has it)
 * relies on that. Without a requested address: first at next_hint (one mmap, no
 * MAP_FIXED: the kernel takes the hint only if the whole range is free), kept if it
 * landed aligned; else reserve an inaccessible range with room to align, map the
 * view over its aligned part, give back the rest (four system calls, where a
 * create/map/touch/unmap/close cycle of a 64 KiB mapping makes about a dozen).
 */
static void *map_aligned(void *want, size_t size, int prot, int flags, int fd, off_t offset)
{
    size_t page = winipc__page_size(), slack = WINIPC__GRANULARITY - page;
    uintptr_t reserve, aligned, hint = atomic_load_explicit(&next_hint, memory_order_relaxed);
    size_t span;
    void *addr;

    size = (size + page - 1) & ~(page - 1);
    span = (size + WINIPC__GRANULARITY - 1) & ~(size_t)(WINIPC__GRANULARITY - 1);
    if (want)
        return winipc__mmap_noreplace(want, size, prot, flags, fd, offset);
    if (hint) {
        addr = mmap((void *)hint, size, prot, flags, fd, offset);
        if (addr != MAP_FAILED && (uintptr_t)addr % WINIPC__GRANULARITY == 0) {
            set_hint((uintptr_t)addr > span ? (uintptr_t)addr - span : 0);
            return addr;
        }
        if (addr != MAP_FAILED)
            munmap(addr, size);
    }
    addr = mmap(NULL, size + slack, PROT_NONE,
                MAP_PRIVATE | MAP_ANONYMOUS | winipc__map_noreserve(), -1, 0);
    if (addr == MAP_FAILED)
        return addr;
    reserve = (uintptr_t)addr;
    aligned = (reserve + WINIPC__GRANULARITY - 1) & ~(uintptr_t)(WINIPC__GRANULARITY - 1);
    addr = mmap((void *)aligned, size, prot, flags | MAP_FIXED, fd, offset);
    if (addr == MAP_FAILED) {
        munmap((void *)reserve, size + slack);
        return addr;
    }
    if (aligned > reserve)
        munmap((void *)reserve, aligned - reserve);
    if (aligned - reserve < slack)
        munmap((void *)(aligned + size), slack - (aligned - reserve));
    set_hint(aligned > span ? aligned - span : 0);
    return addr;
}

/*
 * The protection of a view mapped with `access`, as kernelbase's MapViewOfFile
 * decides it: FILE_MAP_COPY alone (with or without FILE_MAP_EXECUTE) is a private
 * copy; otherwise the strongest of FILE_MAP_WRITE and FILE_MAP_READ; with neither, an
 * inaccessible view. FILE_MAP_EXECUTE adds execution; SECTION_MAP_EXECUTE (0x8) and
 * other bits change nothing.
 */
static DWORD view_protect(DWORD access)
{
    bool exec = access & FILE_MAP_EXECUTE;

    access &= ~(DWORD)FILE_MAP_EXECUTE;
    if (access == FILE_MAP_COPY)
        return exec ? PAGE_EXECUTE_WRITECOPY : PAGE_WRITECOPY;
    if (access & FILE_MAP_WRITE)
        return exec ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE;
    if (access & FILE_MAP_READ)
        return exec ? PAGE_EXECUTE_READ : PAGE_READONLY;
    return PAGE_NOACCESS;
}

/* The section rights a view of that protection needs: a writable one SECTION_MAP_WRITE,
   any other (an inaccessible one too) SECTION_MAP_READ. */
static DWORD view_needs(DWORD protect)
{
    DWORD need = protect_writable(protect) ? SECTION_MAP_WRITE : SECTION_MAP_READ;

    if (protect_executable(protect))
        need |= SECTION_MAP_EXECUTE;
    return need;
}

/* The mmap protection of a view's PAGE_* (a copy is writable: MAP_PRIVATE). */
static int view_prot(DWORD protect)
{
    switch (protect) {
    case PAGE_READONLY:
        return PROT_READ;
    case PAGE_READWRITE:
    case PAGE_WRITECOPY:
        return PROT_READ | PROT_WRITE;
    case PAGE_EXECUTE_READ:
        return PROT_READ | PROT_EXEC;
    case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY:
        return PROT_READ | PROT_WRITE | PROT_EXEC;
    default:
        return PROT_NONE;
    }
}

/*
 * The descriptor a view duplicates to keep for itself: a file's section's open file
 * (and so its lock), or a paging-file section's object file. The duplicate shares the
 * object's open file description, but not its hold: the last CloseHandle unlocks the
 * holder byte explicitly (object.c), so a view keeps the memory, not the name.
 */
static int view_source_fd(struct section *sec)
{
    return sec->file_backed ? sec->data_fd : sec->obj.fd;
}

LPVOID WINAPI MapViewOfFileEx(HANDLE mapping, DWORD access, DWORD offset_high, DWORD offset_low,
                              SIZE_T size, LPVOID base_address)
{
    uint64_t offset = (uint64_t)offset_high << 32 | offset_low, limit;
    const struct section *s;
    struct winipc__hold hold;
    DWORD protect = view_protect(access), need = view_needs(protect), err = ERROR_ACCESS_DENIED;
    int view_fd = -1, data_fd;
    int prot = view_prot(protect);
    int flags =
        protect == PAGE_WRITECOPY || protect == PAGE_EXECUTE_WRITECOPY ? MAP_PRIVATE : MAP_SHARED;
    struct view v = {0};
    struct stat st;
    size_t pages;
    void *addr;

    if (!winipc__handle_hold(mapping, WINIPC__SECTION, &hold))
        return NULL;
    s = section_of(hold.obj);

    /* The view's protection must be one the section's allows, and the handle's rights. */
    if ((protect_writable(protect) && !protect_writable(s->protect)) ||
        (protect_executable(protect) && !protect_executable(s->protect)) ||
        (hold.access & need) != need)
        goto fail;

    err = ERROR_MAPPED_ALIGNMENT;
    if (offset % WINIPC__GRANULARITY || (uintptr_t)base_address % WINIPC__GRANULARITY)
        goto fail;
    /* A pagefile section is usable to the end of its last page, a file's to its end. */
    limit = s->file_backed ? s->size : round_up(s->size, winipc__page_size());
    err = ERROR_INVALID_PARAMETER;
    if (offset >= limit)
        goto fail;
    if (size == 0)
        size = (SIZE_T)(limit - offset);
    err = ERROR_ACCESS_DENIED;
    if (size > limit - offset)
        goto fail;

    /* Every view keeps a descriptor of its own; a file's view so keeps the file's lock. */
    view_fd = fcntl(view_source_fd(section_of(hold.obj)), F_DUPFD_CLOEXEC, 0);
    if (view_fd == -1) {
        err = winipc__error_from_errno(errno);
        goto fail;
    }
    data_fd = s->file_backed ? s->data_fd : winipc__object_fd(hold.obj);
    pages = (size_t)(round_up(size, winipc__page_size()) / winipc__page_size());
    v.pages = calloc(pages, sizeof *v.pages);
    /* A pagefile section's data is its object's file, whose identity the object
       keeps (object.c took it from the same descriptor): no fstat per view. */
    st.st_dev = hold.obj->dev;
    st.st_ino = hold.obj->ino;
    if (!v.pages || (s->file_backed && fstat(data_fd, &st) == -1)) {
        err = v.pages ? winipc__error_from_errno(errno) : ERROR_NOT_ENOUGH_MEMORY;
        goto fail;
    }
    addr = map_aligned(base_address, size, prot, flags, data_fd, s->data_offset + (off_t)offset);
    if (addr == MAP_FAILED) {
        err = errno == EEXIST ? ERROR_INVALID_ADDRESS : winipc__error_from_errno(errno);
        goto fail;
    }
    v.base = (uintptr_t)addr;
    v.len = pages * winipc__page_size();
    v.fd = view_fd;
    v.offset = offset;
    v.fd_offset = s->data_offset + (off_t)offset;
    v.dev = st.st_dev;
    v.ino = st.st_ino;
    v.protect = protect;
    v.file_backed = s->file_backed;
    v.copy = flags == MAP_PRIVATE;
    if (!s->reserve)
        for (size_t i = 0; i < pages; i++)
            v.pages[i] = (uint16_t)protect;
    if (!view_add(v)) {
        munmap(addr, size);
        err = ERROR_NOT_ENOUGH_MEMORY;
        goto fail;
    }
    winipc__handle_release(&hold);
    return addr;

fail:
    free(v.pages);
    if (view_fd >= 0)
        close(view_fd);
    winipc__handle_release(&hold);
    return winipc__fail(NULL, err);
}

LPVOID WINAPI MapViewOfFile(HANDLE mapping, DWORD access, DWORD offset_high, DWORD offset_low,
                            SIZE_T size)
{
    return MapViewOfFileEx(mapping, access, offset_high, offset_low, size, NULL);
}

BOOL WINAPI UnmapViewOfFile(LPCVOID address)
{
    struct view v;
    bool found;
    size_t i;

    pthread_mutex_lock(&views_lock);
    i = view_search((uintptr_t)address, &found);
    if (!found) {
        pthread_mutex_unlock(&views_lock);
        return winipc__fail(FALSE, ERROR_INVALID_ADDRESS);
    }
    v = views[i];
    memmove(&views[i], &views[i + 1], (nviews - i - 1) * sizeof *views);
    nviews--;
    munmap((void *)v.base, v.len); /* under the lock: the range must not be reused first */
    set_hint(v.base);              /* free now, and aligned */
    pthread_mutex_unlock(&views_lock);
    if (v.fd >= 0)
        close(v.fd);
    free(v.pages);
    return TRUE;
}

/*
 * Writes a view's dirty pages of a file-backed section to the file and waits for it;
 * a pagefile-backed view has no backing file, so there is nothing to do. Any address
 * inside a view works; a byte count of 0 means to the end of the view.
 */
BOOL WINAPI FlushViewOfFile(LPCVOID address, SIZE_T bytes)
{
    uintptr_t page = winipc__page_size(), start, end;
    struct view v;
    bool found;
    size_t i;

    pthread_mutex_lock(&views_lock);
    i = view_search((uintptr_t)address, &found);
    if (found)
        v = views[i];
    pthread_mutex_unlock(&views_lock);
    if (!found) /* Wine's answer; Windows documents none */
        return winipc__fail(FALSE, ERROR_INVALID_PARAMETER);
    if (!v.file_backed)
        return TRUE;
    start = (uintptr_t)address & ~(page - 1);
    end = v.base + v.len;
    if (bytes && bytes < end - (uintptr_t)address)
        end = (uintptr_t)address + bytes;
    if (msync((void *)start, end - start, MS_SYNC) == -1) {
        winipc__set_errno_error();
        return FALSE;
    }
    return TRUE;
}
