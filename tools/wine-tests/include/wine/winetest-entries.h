/* The table extract.py appends to each cut test file, read by winetest.c's main. */
#ifndef WINIPC_WINETEST_ENTRIES_H
#define WINIPC_WINETEST_ENTRIES_H

struct winetest_entry {
    const char *call; /* the statement, as listed in selection.txt */
    void (*run)(void);
};
extern const struct winetest_entry winetest_entries[];

/*
 * What the test file's START_TEST does when the test runs itself as a child process
 * ("<program> <file> <command> ARGS..."): the command, and the statement it runs.
 */
struct winetest_child {
    const char *command; /* argv[2] */
    void (*run)(int argc, char **argv);
};
extern const struct winetest_child winetest_children[];
extern void (*const winetest_setup)(void);

#endif
