/*
 * views.h - the views of sections that this process has mapped (mapping.c), as
 * memory.c needs them: VirtualQuery, VirtualProtect, VirtualAlloc and VirtualFree
 * treat a view as Windows does, one allocation whose pages each have a state and a
 * protection.
 */
#ifndef WINIPC_POSIX_VIEWS_H
#define WINIPC_POSIX_VIEWS_H

#include "internal.h"

#include <sys/types.h>

struct winipc__view {
    uintptr_t base;
    size_t len;       /* rounded up to whole pages */
    int fd;           /* the view's own descriptor of its section's data (a file's
                         view: and so the file's lock), to map pages again privately
                         or shared (memory.c) */
    uint64_t offset;  /* where the view starts in its section */
    off_t fd_offset;  /* where it starts in fd */
    dev_t dev;        /* the section's shared object or file: views with the same */
    ino_t ino;        /*   dev and ino show the same section */
    DWORD protect;    /* PAGE_* it was mapped with (VirtualQuery's AllocationProtect) */
    bool file_backed; /* a view of a file, not of the paging file */
    bool copy;        /* FILE_MAP_COPY: a private copy, MAP_PRIVATE */
    uint16_t *pages;  /* per page: its PAGE_* now; 0 while reserved (SEC_RESERVE) */
};

/* The view holding addr, with the views lock held; NULL (and no lock) if none does. */
struct winipc__view *winipc__view_lock(uintptr_t addr);
/* Every view, in address order (views lock held). */
struct winipc__view *winipc__views(size_t *count);
void winipc__view_unlock(void);

#endif
