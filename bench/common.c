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
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
extern char **environ;
#endif

#define MAX_RESULTS 192
static struct result results[MAX_RESULTS];
static int nresults;
int scale_objects;
char scale_objects_row[64];
static const char *only;        /* --only TEXT: just the rows whose name has it (selected()) */
static int max_rounds = ROUNDS; /* --rounds N: fewer rounds, to look at one figure */
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

/* min, median and max of v[0..n), which is sorted in place. */
static void spread(double *v, int n, double *min, double *median, double *max)
{
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    *min = v[0];
    *median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    *max = v[n - 1];
}

/* ---- Pinning ------------------------------------------------------------------------- */

static int ncpus(void)
{
#ifdef _WIN32
    SYSTEM_INFO si;

    GetSystemInfo(&si);
    return (int)si.dwNumberOfProcessors;
#else
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n > 0 ? (int)n : 1;
#endif
}

void pin_self(int cpu)
{
#ifdef _WIN32
    DWORD_PTR process, system;

    if (cpu < 0 && GetProcessAffinityMask(GetCurrentProcess(), &process, &system))
        SetProcessAffinityMask(GetCurrentProcess(), system);
    else if (cpu >= 0)
        SetProcessAffinityMask(GetCurrentProcess(), (DWORD_PTR)1 << cpu);
#else
    cpu_set_t set;

    CPU_ZERO(&set);
    for (int i = 0; i < ncpus() && i < CPU_SETSIZE; i++)
        if (cpu < 0 || i == cpu)
            CPU_SET(i, &set);
    sched_setaffinity(0, sizeof set, &set);
#endif
}

#define CPU_ENV "WINIPC_BENCH_CPU" /* the CPU a helper runs on, -1 for any */

static enum pin pinning; /* of the measurement running */

/* The CPU of the parent and of a helper under `pinning`, -1 for any. */
static int parent_cpu(void)
{
    return pinning == PIN_NONE ? -1 : 0;
}

static int helper_cpu(void)
{
    if (pinning == PIN_NONE)
        return -1;
    return pinning == PIN_SPLIT && ncpus() > 1 ? 1 : 0;
}

/* Places the running measurement's helpers: they inherit the environment (every way
   of starting them, CreateProcess included) and pin themselves in main. */
static void place_helpers(void)
{
    char cpu[16];

    snprintf(cpu, sizeof cpu, "%d", helper_cpu());
#ifdef _WIN32
    SetEnvironmentVariableA(CPU_ENV, cpu);
#else
    setenv(CPU_ENV, cpu, 1);
#endif
}

/* ---- Measurements ------------------------------------------------------------------ */

struct job {
    double (*fn1)(void *arg);
    void (*fn)(void *arg, double *out);
    void *arg;
    int first, n; /* its results */
    int rounds;
    enum pin pin;
};
static struct job jobs[MAX_RESULTS];
static int njobs;

/* --only TEXT selects the rows whose "workload: mechanism" contains TEXT. */
static bool selected(const char *workload, const char *mechanism)
{
    char row[256];

    snprintf(row, sizeof row, "%s: %s", workload, mechanism);
    return !only || strstr(row, only);
}

static struct job *add_job(const void *arg, size_t arg_size, int n)
{
    struct job *j;

    if (nresults + n > MAX_RESULTS)
        fail("too many results");
    j = &jobs[njobs++];
    memset(j, 0, sizeof *j);
    j->arg = arg_size ? malloc(arg_size) : NULL;
    if (arg_size && !j->arg)
        fail("no memory");
    if (arg_size)
        memcpy(j->arg, arg, arg_size);
    j->first = nresults;
    j->n = n;
    return j;
}

static void add_result(const char *workload, const char *mechanism, const char *unit,
                       bool higher_is_better, bool winipc, int rounds)
{
    results[nresults++] = (struct result){.workload = workload,
                                          .mechanism = mechanism,
                                          .unit = unit,
                                          .higher_is_better = higher_is_better,
                                          .winipc = winipc,
                                          .rounds = rounds};
}

static void queue(const char *workload, const char *mechanism, const char *unit,
                  bool higher_is_better, bool winipc, double (*fn)(void *arg), const void *arg,
                  size_t arg_size, enum pin pin)
{
    struct job *j;

    if (!selected(workload, mechanism))
        return;
    j = add_job(arg, arg_size, 1);
    j->fn1 = fn;
    j->rounds = max_rounds;
    j->pin = pin;
    add_result(workload, mechanism, unit, higher_is_better, winipc, max_rounds);
}

void measure(const char *workload, const char *mechanism, const char *unit, bool higher_is_better,
             bool winipc, double (*fn)(void *arg), const void *arg, size_t arg_size)
{
    queue(workload, mechanism, unit, higher_is_better, winipc, fn, arg, arg_size, PIN_NONE);
}

void measure2(const char *workload, const char *mechanism, const char *unit, bool higher_is_better,
              bool winipc, double (*fn)(void *arg), const void *arg, size_t arg_size)
{
    char *same = malloc(strlen(workload) + 16);

    if (!same)
        fail("no memory");
    sprintf(same, "%s (same CPU)", workload);
    queue(workload, mechanism, unit, higher_is_better, winipc, fn, arg, arg_size, PIN_SPLIT);
    queue(same, mechanism, unit, higher_is_better, winipc, fn, arg, arg_size, PIN_SAME);
}

void measure_multi(const char *workload, const char *mechanism, const char *const *labels, int n,
                   const char *unit, bool winipc, void (*fn)(void *arg, double *out),
                   const void *arg, size_t arg_size, int rounds)
{
    struct job *j;

    if (!selected(workload, mechanism) || n > MAX_OUTPUTS)
        return;
    j = add_job(arg, arg_size, n);
    j->fn = fn;
    j->rounds = rounds < max_rounds ? rounds : max_rounds;
    j->pin = PIN_NONE;
    for (int i = 0; i < n; i++) {
        char *m = (char *)mechanism;

        if (labels) {
            m = malloc(strlen(mechanism) + strlen(labels[i]) + 3);
            if (!m)
                fail("no memory");
            sprintf(m, "%s, %s", mechanism, labels[i]);
        }
        add_result(workload, m, unit, false, winipc, j->rounds);
    }
}

void measure_scale(const char *workload, const char *mechanism, const char *const *labels, int n,
                   const char *unit, bool winipc, void (*fn)(void *arg, double *out),
                   const void *arg, size_t arg_size)
{
    measure_multi(workload, mechanism, labels, n, unit, winipc, fn, arg, arg_size, SCALE_ROUNDS);
}

double percentile(double *v, int n, double p)
{
    int i = (int)(p / 100.0 * n + 0.5) - 1;

    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

void run_measurements(void)
{
    for (int round = 0; round < max_rounds; round++) {
        fprintf(stderr, "round %d of %d\n", round + 1, max_rounds);
        for (int i = 0; i < njobs; i++) {
            struct job *j = &jobs[i];
            double out[MAX_OUTPUTS];

            if (round >= j->rounds)
                continue;
            pinning = j->pin;
            pin_self(parent_cpu());
            place_helpers();
            if (j->fn1)
                out[0] = j->fn1(j->arg);
            else
                j->fn(j->arg, out);
            for (int k = 0; k < j->n; k++)
                results[j->first + k].v[round] = out[k];
        }
        pinning = PIN_NONE;
        pin_self(-1);
    }
    for (int i = 0; i < njobs; i++)
        free(jobs[i].arg);
    for (int i = 0; i < nresults; i++) {
        struct result *r = &results[i];
        double v[ROUNDS];

        memcpy(v, r->v, sizeof v);
        spread(v, r->rounds, &r->min, &r->median, &r->max);
    }
}

/* The label of a figure of a multi-figure measurement ("p99"), or "". */
static const char *label_of(const struct result *r)
{
    const char *comma = strrchr(r->mechanism, ',');

    return comma ? comma + 2 : "";
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

        if (strcmp(b->workload, w->workload) || strcmp(b->unit, w->unit) ||
            strcmp(label_of(b), label_of(w)))
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

/*
 * How much more winipc costs than baseline b: cost(w) / cost(b), a time ratio (> 1:
 * winipc is slower), one per round both ran in, as min, median and max. Pairing the
 * same round cancels most of a machine's drift.
 */
static int ratios(const struct result *w, const struct result *b, double *min, double *median,
                  double *max)
{
    int n = w->rounds < b->rounds ? w->rounds : b->rounds;
    double v[ROUNDS];

    for (int i = 0; i < n; i++)
        v[i] = w->higher_is_better ? b->v[i] / w->v[i] : w->v[i] / b->v[i];
    spread(v, n, min, median, max);
    return n;
}

/* Results in table order: by workload (in order of first appearance), winipc first. */
static int order[MAX_RESULTS];

static void sort_results(void)
{
    int n = 0;

    for (int i = 0; i < nresults; i++) {
        bool seen = false;

        for (int k = 0; k < i && !seen; k++)
            seen = strcmp(results[k].workload, results[i].workload) == 0;
        if (seen)
            continue;
        for (int pass = 0; pass < 2; pass++)
            for (int k = i; k < nresults; k++)
                if (strcmp(results[k].workload, results[i].workload) == 0 &&
                    results[k].winipc == (pass == 0))
                    order[n++] = k;
    }
}

/* Figures as they come: up to 4 significant digits, no exponent. */
static const char *fig(double v, char *buf, size_t n)
{
    double a = v < 0 ? -v : v;

    snprintf(buf, n, "%.*f", a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3, v);
    return buf;
}

/* Prints the table of results; with `md`, as Markdown. */
static void print_table(FILE *f, bool md)
{
    if (md)
        fprintf(f, "| workload | mechanism | median | min | max | unit | winipc / best baseline: "
                   "median (min-max) of per-round ratios |\n"
                   "| --- | --- | ---: | ---: | ---: | --- | --- |\n");
    for (int o = 0; o < nresults; o++) {
        const struct result *r = &results[order[o]], *b = r->winipc ? best_baseline(r) : NULL;
        char ratio[160] = "", m1[32], m2[32], m3[32];
        double lo, mid, hi;

        if (b) {
            ratios(r, b, &lo, &mid, &hi);
            snprintf(ratio, sizeof ratio, "%.2fx (%.2f-%.2f) vs %s", mid, lo, hi, b->mechanism);
        }
        if (md)
            fprintf(f, "| %s | %s%s%s | %s | %s | %s | %s | %s |\n", r->workload,
                    r->winipc ? "**" : "", r->mechanism, r->winipc ? "**" : "",
                    fig(r->median, m1, sizeof m1), fig(r->min, m2, sizeof m2),
                    fig(r->max, m3, sizeof m3), r->unit, ratio);
        else if (b)
            fprintf(f, "  %-36s %-38s %s\n", r->workload, r->mechanism, ratio);
    }
}

static void write_json(FILE *f)
{
    fprintf(f, "{\"rounds\": %d, \"scale_rounds\": %d, \"results\": [\n", ROUNDS, SCALE_ROUNDS);
    for (int o = 0; o < nresults; o++) {
        const struct result *r = &results[order[o]], *b = r->winipc ? best_baseline(r) : NULL;
        double lo, mid, hi;

        fprintf(f,
                "  {\"workload\": \"%s\", \"mechanism\": \"%s\", \"unit\": \"%s\", "
                "\"winipc\": %s, \"higher_is_better\": %s, \"min\": %.3f, \"median\": %.3f, "
                "\"max\": %.3f, \"rounds\": [",
                r->workload, r->mechanism, r->unit, r->winipc ? "true" : "false",
                r->higher_is_better ? "true" : "false", r->min, r->median, r->max);
        for (int i = 0; i < r->rounds; i++)
            fprintf(f, "%s%.3f", i ? ", " : "", r->v[i]);
        fprintf(f, "]");
        if (b) {
            ratios(r, b, &lo, &mid, &hi);
            fprintf(f,
                    ", \"baseline\": \"%s\", \"ratio_min\": %.3f, \"ratio_median\": %.3f, "
                    "\"ratio_max\": %.3f",
                    b->mechanism, lo, mid, hi);
        }
        fprintf(f, "}%s\n", o + 1 < nresults ? "," : "");
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

const char *self_exe(void)
{
    static char path[4096];

    if (!path[0]) {
#ifdef _WIN32
        GetModuleFileNameA(NULL, path, sizeof path);
#else
        ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);

        path[n > 0 ? n : 0] = '\0';
#endif
    }
    return path;
}

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

#ifndef _WIN32
/*
 * The scale workloads hold scale_objects named objects, each with a descriptor, and
 * compare with baselines that hold as many: the descriptor limit goes up as far as
 * this process may raise it (root: beyond the hard limit).
 */
static void raise_nofile(void)
{
    struct rlimit rl;
    rlim_t want = (rlim_t)SCALE_OBJECTS_WANTED + 4096;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
        return;
    if (rl.rlim_max < want) {
        struct rlimit more = {want, want};

        if (setrlimit(RLIMIT_NOFILE, &more) == 0)
            return;
    }
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want)
        scale_objects = rl.rlim_cur > 8192 ? (int)(rl.rlim_cur - 4096) : (int)rl.rlim_cur / 2;
}
#endif

int main(int argc, char **argv)
{
    const char *stem = "winipc-bench", *scale = getenv("WINIPC_BENCH_SCALE");
    const char *cpu = getenv(CPU_ENV);

    if (scale && atoi(scale) > 0)
        bench_scale = atoi(scale);
    if (argc >= 3 && strcmp(argv[1], "--child") == 0) {
        if (cpu && atoi(cpu) >= 0)
            pin_self(atoi(cpu));
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
        else if (strcmp(argv[i], "--rounds") == 0 && atoi(argv[i + 1]) > 0 &&
                 atoi(argv[i + 1]) <= ROUNDS)
            max_rounds = atoi(argv[i + 1]);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    scale_objects = SCALE_OBJECTS_WANTED;
#ifndef _WIN32
    raise_nofile();
#endif
    snprintf(scale_objects_row, sizeof scale_objects_row, "scale: %d named objects", scale_objects);
    if (scale_objects < SCALE_OBJECTS_WANTED)
        printf("descriptor limit: %d named objects, not %d (RLIMIT_NOFILE cannot be raised)\n",
               scale_objects, SCALE_OBJECTS_WANTED);
    printf("winipc benchmark: %d rounds (%d of the scale workloads), median (min, max)%s\n\n",
           ROUNDS, SCALE_ROUNDS, bench_scale > 1 ? ", counts divided by WINIPC_BENCH_SCALE" : "");
    run_win32_workloads();
#ifndef _WIN32
    run_posix_baselines();
#endif
    run_measurements();
    sort_results();
    for (int o = 0; o < nresults; o++) {
        const struct result *r = &results[order[o]];
        char m1[32], m2[32], m3[32];

        printf("  %-36s %-44s %10s %s (min %s, max %s)\n", r->workload, r->mechanism,
               fig(r->median, m1, sizeof m1), r->unit, fig(r->min, m2, sizeof m2),
               fig(r->max, m3, sizeof m3));
    }
    printf("\nwinipc cost / best raw baseline's: median (min-max) of the per-round ratios\n");
    print_table(stdout, false);
    write_files(stem);
    return 0;
}
