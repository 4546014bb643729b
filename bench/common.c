/*
 * common.c - measurement, the result table (stdout, Markdown, JSON), helper processes.
 */
#include "bench.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
extern char **environ;
#endif

#define MAX_RESULTS 128
static struct result results[MAX_RESULTS];
static int nresults;
static const char *only; /* --only TEXT: just the workloads or mechanisms whose name has it */
int bench_scale = 1;

double now_ns(void)
{
#ifdef _WIN32
    LARGE_INTEGER f, c;

    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1e9 / (double)f.QuadPart;
#else
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
#endif
}

void fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "winipc-bench: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

struct job {
    double (*fn)(void *arg);
    void *arg;
    double v[REPS];
};
static struct job jobs[MAX_RESULTS];

void measure(const char *workload, const char *mechanism, const char *unit, bool higher_is_better,
             bool winipc, double (*fn)(void *arg), const void *arg, size_t arg_size)
{
    struct job *j;

    if (only && !strstr(workload, only) && !strstr(mechanism, only))
        return;
    if (nresults == MAX_RESULTS)
        fail("too many results");
    j = &jobs[nresults];
    j->fn = fn;
    j->arg = arg_size ? malloc(arg_size) : NULL;
    if (arg_size && !j->arg)
        fail("no memory");
    if (arg_size)
        memcpy(j->arg, arg, arg_size);
    results[nresults++] =
        (struct result){workload, mechanism, unit, higher_is_better, winipc, 0, 0, 0};
}

void run_measurements(void)
{
    for (int rep = 0; rep < REPS; rep++) {
        fprintf(stderr, "round %d of %d\n", rep + 1, REPS);
        for (int i = 0; i < nresults; i++)
            jobs[i].v[rep] = jobs[i].fn(jobs[i].arg);
    }
    for (int i = 0; i < nresults; i++) {
        struct result *r = &results[i];

        qsort(jobs[i].v, REPS, sizeof jobs[i].v[0], cmp_double);
        r->min = jobs[i].v[0];
        r->median = jobs[i].v[REPS / 2];
        r->max = jobs[i].v[REPS - 1];
        printf("  %-28s %-38s %12.1f %s (min %.1f, max %.1f)\n", r->workload, r->mechanism,
               r->median, r->unit, r->min, r->max);
        free(jobs[i].arg);
    }
}

/*
 * What a winipc result is compared with: the best baseline of its workload (lowest or
 * highest median), or, for a workload without baselines (wait-any scaling), its
 * first variant (one handle).
 */
static const struct result *best_baseline(const struct result *w)
{
    const struct result *best = NULL, *first = NULL;

    for (int i = 0; i < nresults; i++) {
        const struct result *b = &results[i];

        if (strcmp(b->workload, w->workload) || strcmp(b->unit, w->unit))
            continue;
        if (!first)
            first = b;
        if (b->winipc)
            continue;
        if (!best || (w->higher_is_better ? b->median > best->median : b->median < best->median))
            best = b;
    }
    return best ? best : first != w ? first : NULL;
}

/* Prints the table of results; with `md`, as Markdown. */
static void print_table(FILE *f, bool md)
{
    if (md)
        fprintf(f, "| workload | mechanism | median | min | max | unit | winipc / best baseline |\n"
                   "| --- | --- | ---: | ---: | ---: | --- | ---: |\n");
    for (int i = 0; i < nresults; i++) {
        const struct result *r = &results[i], *b = r->winipc ? best_baseline(r) : NULL;
        char ratio[64] = "";

        if (b)
            snprintf(ratio, sizeof ratio, "%.2fx (vs %s)", r->median / b->median, b->mechanism);
        if (md)
            fprintf(f, "| %s | %s%s%s | %.1f | %.1f | %.1f | %s | %s |\n", r->workload,
                    r->winipc ? "**" : "", r->mechanism, r->winipc ? "**" : "", r->median, r->min,
                    r->max, r->unit, ratio);
        else if (b)
            fprintf(f, "  %-28s %-34s %10.2fx  (%s; %s)\n", r->workload, r->mechanism,
                    r->median / b->median, b->mechanism,
                    r->higher_is_better ? "higher is better" : "lower is better");
    }
}

static void write_json(FILE *f)
{
    fprintf(f, "{\"repetitions\": %d, \"results\": [\n", REPS);
    for (int i = 0; i < nresults; i++) {
        const struct result *r = &results[i];

        fprintf(f,
                "  {\"workload\": \"%s\", \"mechanism\": \"%s\", \"unit\": \"%s\", "
                "\"winipc\": %s, \"higher_is_better\": %s, \"min\": %.3f, \"median\": %.3f, "
                "\"max\": %.3f}%s\n",
                r->workload, r->mechanism, r->unit, r->winipc ? "true" : "false",
                r->higher_is_better ? "true" : "false", r->min, r->median, r->max,
                i + 1 < nresults ? "," : "");
    }
    fprintf(f, "]}\n");
}

static void write_files(const char *stem)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s.md", stem);
    if ((f = fopen(path, "w"))) {
        print_table(f, true);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s.json", stem);
    if ((f = fopen(path, "w"))) {
        write_json(f);
        fclose(f);
    }
    printf("\nwrote %s.md and %s.json\n", stem, stem);
}

void *page_aligned(size_t size, void **block)
{
    *block = malloc(size + 4096);
    if (!*block)
        fail("no memory for %zu bytes", size);
    return (void *)(((uintptr_t)*block + 4095) & ~(uintptr_t)4095);
}

const unsigned char *bandwidth_source(void)
{
    static unsigned char *src;
    void *block;

    if (!src) {
        src = page_aligned(BANDWIDTH_BYTES, &block);
        for (size_t i = 0; i < BANDWIDTH_BYTES; i++)
            src[i] = (unsigned char)i;
    }
    return src;
}

/* ---- Helper processes ------------------------------------------------------------ */

const char *bench_name(const char *tag)
{
    static char buf[8][96];
    static unsigned n;
    char *b = buf[n % 8];

#ifdef _WIN32
    snprintf(b, sizeof buf[0], "wb%lu-%s-%u", (unsigned long)GetCurrentProcessId(), tag, n);
#else
    snprintf(b, sizeof buf[0], "wb%lu-%s-%u", (unsigned long)getpid(), tag, n);
#endif
    n++;
    return b;
}

#ifdef _WIN32
struct proc {
    HANDLE h;
};

struct proc *spawn_self(const char *role, const char *a1, const char *a2, const char *a3)
{
    char exe[MAX_PATH], cmd[1024];
    STARTUPINFOA si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    struct proc *p = malloc(sizeof *p);

    GetModuleFileNameA(NULL, exe, sizeof exe);
    snprintf(cmd, sizeof cmd, "\"%s\" --child %s %s %s %s", exe, role, a1 ? a1 : "", a2 ? a2 : "",
             a3 ? a3 : "");
    if (!p || !CreateProcessA(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        fail("cannot start a helper");
    CloseHandle(pi.hThread);
    p->h = pi.hProcess;
    return p;
}

void wait_proc(struct proc *p)
{
    DWORD code = 1;

    WaitForSingleObject(p->h, 120000);
    GetExitCodeProcess(p->h, &code);
    CloseHandle(p->h);
    free(p);
    if (code != 0)
        fail("a helper failed (%lu)", (unsigned long)code);
}
#else
struct proc {
    pid_t pid;
};

struct proc *spawn_self(const char *role, const char *a1, const char *a2, const char *a3)
{
    char *argv[] = {"/proc/self/exe",
                    "--child",
                    (char *)role,
                    (char *)(a1 ? a1 : ""),
                    (char *)(a2 ? a2 : ""),
                    (char *)(a3 ? a3 : ""),
                    NULL};
    struct proc *p = malloc(sizeof *p);

    if (!p || posix_spawn(&p->pid, "/proc/self/exe", NULL, NULL, argv, environ) != 0)
        fail("cannot start a helper");
    return p;
}

void wait_proc(struct proc *p)
{
    int status;

    while (waitpid(p->pid, &status, 0) == -1 && errno == EINTR)
        ;
    free(p);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail("a helper failed (status %d)", status);
}
#endif

int main(int argc, char **argv)
{
    const char *stem = "winipc-bench", *scale = getenv("WINIPC_BENCH_SCALE");

    if (scale && atoi(scale) > 0)
        bench_scale = atoi(scale);
    if (argc >= 3 && strcmp(argv[1], "--child") == 0) {
#ifndef _WIN32
        int r = posix_child(argv[2], argc - 3, argv + 3);

        if (r != -1)
            return r;
#endif
        return win32_child(argv[2], argc - 3, argv + 3);
    }
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--output") == 0)
            stem = argv[i + 1];
        else if (strcmp(argv[i], "--only") == 0)
            only = argv[i + 1];
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("winipc benchmark: median of %d repetitions (min, max)%s\n\n", REPS,
           bench_scale > 1 ? ", counts divided by WINIPC_BENCH_SCALE" : "");
    run_win32_workloads();
#ifndef _WIN32
    run_posix_baselines();
#endif
    run_measurements();
    printf("\nwinipc / best raw baseline (medians)\n");
    print_table(stdout, false);
    write_files(stem);
    return 0;
}
