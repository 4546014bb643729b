/*
 * wmain.c - starts a program whose entry point is wmain (a _UNICODE _tmain).
 *
 * Linux starts main. This file, alone in the static library libwinipc_main.a (linked
 * after libwinipc by the CMake targets and pkg-config), holds only a weak main: the
 * linker takes it from the archive only when the program defines no main, and then
 * binds it to the program's wmain inside the program, whatever the program's symbol
 * visibility. It converts argv (and envp for the three-argument form) from UTF-8 and
 * calls wmain. Being outside <tchar.h>, it lets a file include <tchar.h> and define
 * its own main.
 *
 * wmain is found by its C name and by the Itanium C++ names of its three Windows
 * forms, so that a C++ `int _tmain(int argc, _TCHAR *argv[])` starts too (MSVC
 * gives wmain C linkage implicitly; g++ and clang++ do not).
 */
/* The public header, not internal.h: this archive calls the library's exported
   functions, not its hidden implementations. */
#define WINIPC_NO_MS_PRINTF
#define WINIPC_NO_MSVC_SPELLINGS
#include "winipc.h"

#include <stdio.h>
#include <stdlib.h>

extern char **environ;

/* The program's wmain, under each name it can have; the missing ones are NULL. */
extern int wmain(int argc, wchar_t **argv) __attribute__((weak));
extern int wmain_cxx(int argc, wchar_t **argv) __asm__("_Z5wmainiPPw") __attribute__((weak));
extern int wmain_cxx_envp(int argc, wchar_t **argv, wchar_t **envp) __asm__("_Z5wmainiPPwS0_")
    __attribute__((weak));
extern int wmain_cxx_void(void) __asm__("_Z5wmainv") __attribute__((weak));

/* A NULL-terminated wide copy of a NULL-terminated UTF-8 vector; NULL on ENOMEM. */
static wchar_t **widen_vector(char **v)
{
    size_t n = 0;
    wchar_t **w;

    while (v && v[n])
        n++;
    w = calloc(n + 1, sizeof *w);
    for (size_t i = 0; w && i < n; i++) {
        int len = MultiByteToWideChar(CP_UTF8, 0, v[i], -1, NULL, 0);

        w[i] = calloc(len > 0 ? (size_t)len : 1, sizeof(wchar_t));
        if (!w[i]) {
            while (i--)
                free(w[i]);
            free(w);
            return NULL;
        }
        if (len > 0)
            MultiByteToWideChar(CP_UTF8, 0, v[i], -1, w[i], len);
    }
    return w;
}

static int call_void(int argc, wchar_t **argv)
{
    (void)argc, (void)argv;
    return wmain_cxx_void();
}

__attribute__((weak)) int main(int argc, char **argv)
{
    wchar_t **wenv;
    int r;

    if (wmain)
        return winipc_main_w(argc, argv, wmain);
    if (wmain_cxx)
        return winipc_main_w(argc, argv, wmain_cxx);
    if (wmain_cxx_void)
        return winipc_main_w(argc, argv, call_void);
    if (!wmain_cxx_envp)
        return winipc_main_w(argc, argv, NULL); /* reports that there is no entry point */
    wenv = widen_vector(environ);
    if (!wenv) {
        fprintf(stderr, "winipc: out of memory starting wmain\n");
        return 127;
    }
    {
        wchar_t **wargv = widen_vector(argv);

        if (!wargv) {
            fprintf(stderr, "winipc: out of memory starting wmain\n");
            r = 127;
        } else {
            r = wmain_cxx_envp(argc, wargv, wenv);
            for (size_t i = 0; wargv[i]; i++)
                free(wargv[i]);
            free(wargv);
        }
    }
    for (size_t i = 0; wenv[i]; i++)
        free(wenv[i]);
    free(wenv);
    return r;
}
