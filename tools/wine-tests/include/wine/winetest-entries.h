/* The table extract.py appends to each cut test file, read by winetest.c's main. */
#ifndef WINIPC_WINETEST_ENTRIES_H
#define WINIPC_WINETEST_ENTRIES_H

struct winetest_entry {
    const char *call; /* the statement, as listed in selection.txt */
    void (*run)(void);
};
extern const struct winetest_entry winetest_entries[];
extern void (*const winetest_setup)(void);

#endif
