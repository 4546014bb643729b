/*
 * run-pair.c - runs two sample programs at once, as a user would in two terminals,
 * and prints what each wrote, first the one then the other, for ctest to check:
 *
 *   run-pair TIMEOUT_S PROGRAM_A [ARG] [-- PROGRAM_B [ARG]]
 *
 * (one program alone when it starts its peer itself). Exits 0 only if every program
 * exited 0 within the time limit. Platform code: posix_spawn or
 * CreateProcess, each program's output going to a file of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
extern char **environ;
#endif

struct proc {
    char **argv;
    char out[64];
#ifdef _WIN32
    HANDLE h;
#else
    pid_t pid;
#endif
    int code;
};

static int start(struct proc *p, int index)
{
    snprintf(p->out, sizeof p->out, "run-pair-%d-%d.out",
             (int)
#ifdef _WIN32
                 GetCurrentProcessId(),
#else
                 getpid(),
#endif
             index);
#ifdef _WIN32
    {
        SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
        STARTUPINFOA si = {.cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES};
        PROCESS_INFORMATION pi;
        char cmd[1024] = "";
        HANDLE f = CreateFileA(p->out, GENERIC_WRITE, FILE_SHARE_READ, &sa, CREATE_ALWAYS, 0, NULL);

        for (char **a = p->argv; *a; a++)
            snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), "\"%s\" ", *a);
        si.hStdOutput = si.hStdError = f;
        si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
        if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
            return -1;
        CloseHandle(f);
        CloseHandle(pi.hThread);
        p->h = pi.hProcess;
    }
#else
    {
        posix_spawn_file_actions_t fa;

        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, p->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
        if (posix_spawn(&p->pid, p->argv[0], &fa, NULL, p->argv, environ) != 0)
            return -1;
        posix_spawn_file_actions_destroy(&fa);
    }
#endif
    return 0;
}

/* Waits for p until `deadline_ms` (monotonic); kills it when time is up. */
static void finish(struct proc *p, double deadline_ms, double (*now)(void))
{
#ifdef _WIN32
    DWORD left = deadline_ms > now() ? (DWORD)(deadline_ms - now()) : 0, code = 1;

    if (WaitForSingleObject(p->h, left) != WAIT_OBJECT_0) {
        TerminateProcess(p->h, 124);
        WaitForSingleObject(p->h, INFINITE);
    }
    GetExitCodeProcess(p->h, &code);
    CloseHandle(p->h);
    p->code = (int)code;
#else
    int status;

    for (;;) {
        pid_t r = waitpid(p->pid, &status, WNOHANG);

        if (r == p->pid)
            break;
        if (now() > deadline_ms) {
            kill(p->pid, SIGKILL);
            waitpid(p->pid, &status, 0);
            p->code = 124;
            return;
        }
        usleep(2000); /* the driver's own poll; the samples synchronize properly */
    }
    p->code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
#endif
}

/* A program's name without directory or ".exe", so that outputs compare across builds. */
static const char *program_name(const char *path)
{
    static char buf[256];
    const char *base = path;
    char *dot;

    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    snprintf(buf, sizeof buf, "%s", base);
    if ((dot = strrchr(buf, '.')) && strcmp(dot, ".exe") == 0)
        *dot = '\0';
    return buf;
}

static double now_ms(void)
{
#ifdef _WIN32
    return (double)GetTickCount64();
#else
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
#endif
}

int main(int argc, char **argv)
{
    struct proc p[2] = {{0}};
    double deadline;
    int i, n = 2, split = 0, failed = 0;

    for (i = 2; i < argc; i++)
        if (strcmp(argv[i], "--") == 0)
            split = i;
    if (argc < 3 || split == 2 || (split && split == argc - 1)) {
        fprintf(stderr, "usage: run-pair TIMEOUT_S A [ARGS] [-- B [ARGS]]\n");
        return 2;
    }
    p[0].argv = &argv[2];
    if (split) {
        argv[split] = NULL;
        p[1].argv = &argv[split + 1];
    } else {
        n = 1;
    }
    deadline = now_ms() + 1000.0 * atof(argv[1]);
    for (i = 0; i < n; i++)
        if (start(&p[i], i) != 0) {
            fprintf(stderr, "run-pair: cannot start %s\n", p[i].argv[0]);
            return 2;
        }
    for (i = 0; i < n; i++)
        finish(&p[i], deadline, now_ms);
    for (i = 0; i < n; i++) {
        FILE *f = fopen(p[i].out, "r");
        char line[4096];

        printf("--- %s (exit %d)\n", program_name(p[i].argv[0]), p[i].code);
        while (f && fgets(line, sizeof line, f))
            fputs(line, stdout);
        if (f)
            fclose(f);
        remove(p[i].out);
        failed |= p[i].code != 0;
    }
    if (!failed)
        printf("run-pair: ok\n");
    return failed;
}
