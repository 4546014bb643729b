/*
 * run-as.c - runs a program as another user, for the cross-user tests (Linux, as
 * root): the program starts with that user's ids from its first instruction, so
 * winipc initialises (its namespace, its sweep) as that user.
 *
 *   run-as USER PROGRAM [ARG...]
 *
 * Exits 127 if the user does not exist or the ids cannot be set.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct passwd *pw;

    if (argc < 3) {
        fprintf(stderr, "usage: run-as USER PROGRAM [ARG...]\n");
        return 127;
    }
    pw = getpwnam(argv[1]);
    if (!pw || setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
        perror("run-as");
        return 127;
    }
    execv(argv[2], argv + 2);
    perror("run-as: exec");
    return 127;
}
