/*
 * bench.h - winipc's benchmark: the same workloads through the Win32 API (winipc on
 * Linux, or the real API under Wine) and through the best raw POSIX mechanism, in
 * one run, with ratios. A benchmark, not a test: it asserts nothing about time, but
 * every workload verifies its result (counters, checksums) and fails loudly if wrong.
 */
#ifndef WINIPC_BENCH_H
#define WINIPC_BENCH_H

#include <stdbool.h>
#include <stddef.h>

#define ROUNDS 7       /* rounds of every measurement */
#define SCALE_ROUNDS 3 /* of the scale workloads (many processes or objects) */
#define MAX_OUTPUTS 4  /* figures one run of a measurement may produce (p50, p99, ...) */

/*
 * Where the processes of a two-process workload run: on two CPUs (the parent on CPU 0,
 * its helper on CPU 1), both on CPU 0, or wherever the scheduler puts them. A
 * workload's row says which; without pinning a ratio swings with the placement.
 */
enum pin { PIN_NONE, PIN_SPLIT, PIN_SAME };

/* One measured figure of one mechanism: min/median/max over its rounds. */
struct result {
    const char *workload;  /* e.g. "event ping-pong" */
    const char *mechanism; /* e.g. "winipc events", "raw futex" */
    const char *unit;      /* "ns/round trip", "MB/s", ... */
    bool higher_is_better;
    bool winipc; /* measured through the Win32 API */
    int rounds;  /* how many rounds it runs in (ROUNDS or SCALE_ROUNDS) */
    double min, median, max;
    double v[ROUNDS]; /* per round, in round order */
};

/*
 * Queues a measurement: fn(copy of arg) returns one figure per run. The queued
 * measurements run interleaved -- round 1 runs each once, then round 2, ... -- so
 * that a machine's drift in speed hits every mechanism alike, and a winipc figure is
 * compared with its baseline's figure of the same round.
 */
void measure(const char *workload, const char *mechanism, const char *unit, bool higher_is_better,
             bool winipc, double (*fn)(void *arg), const void *arg, size_t arg_size);
/*
 * The same for a two-process workload: queued twice, pinned to two CPUs under
 * `workload` and to one CPU under "`workload` (same CPU)". fn spawns its helper with
 * spawn_self, which places it.
 */
void measure2(const char *workload, const char *mechanism, const char *unit, bool higher_is_better,
              bool winipc, double (*fn)(void *arg), const void *arg, size_t arg_size);
/*
 * A measurement whose run fills `n` figures (out[i] belongs to the mechanism
 * "`mechanism`, `labels[i]`"), lower is better, unpinned, in `rounds` rounds.
 */
void measure_multi(const char *workload, const char *mechanism, const char *const *labels, int n,
                   const char *unit, bool winipc, void (*fn)(void *arg, double *out),
                   const void *arg, size_t arg_size, int rounds);
/* The same for a scale workload (many processes or objects): SCALE_ROUNDS rounds. */
void measure_scale(const char *workload, const char *mechanism, const char *const *labels, int n,
                   const char *unit, bool winipc, void (*fn)(void *arg, double *out),
                   const void *arg, size_t arg_size);
void run_measurements(void);

/* The calling process on CPU `cpu`, or on every CPU for -1. */
void pin_self(int cpu);
/* Monotonic nanoseconds. */
double now_ns(void);
/* Aborts the benchmark with a message: a workload produced a wrong result. */
void fail(const char *fmt, ...);

/* Helper processes: this program again with `--child ROLE ARGS`, placed on the CPU
   the running measurement's pinning gives helpers. */
struct proc;
struct proc *spawn_self(const char *role, const char *a1, const char *a2, const char *a3);
void wait_proc(struct proc *p); /* fails the benchmark if it did not exit 0 */
/* This program's path, for CreateProcess. */
const char *self_exe(void);
/* Percentile p (0-100) of v[0..n), which is sorted in place. */
double percentile(double *v, int n, double p);
/* A name unique to this run for named objects: "wb<pid>-<tag>-<n>". */
const char *bench_name(const char *tag);

/* The workloads. */
void run_win32_workloads(void);
int win32_child(const char *role, int argc, char **argv);
#ifndef _WIN32
void run_posix_baselines(void);
int posix_child(const char *role, int argc, char **argv);
#endif

/*
 * Sizes, shared by both sides so that they measure the same work. Counts are divided
 * by WINIPC_BENCH_SCALE from the environment (helpers inherit it): under Wine every
 * wait is a round trip to wineserver, so tools/bench.sh runs it with fewer.
 */
extern int bench_scale;
#define PINGPONG_TRIPS (20000 / bench_scale)
#define HANDOFF_LOCKS (1000000 / bench_scale) /* per process */
#define UNCONTENDED_OPS (2000000 / bench_scale)
#define WAIT_LAST_OPS (200000 / bench_scale)
#define RING_SMALL_ITEM 64
#define RING_SMALL_SLOTS 64
#define RING_SMALL_ITEMS (200000 / bench_scale)
#define RING_LARGE_ITEM 65536
#define RING_LARGE_SLOTS 16
#define RING_LARGE_ITEMS (4000 / bench_scale)
#define LIFECYCLE_CYCLES (2000 / bench_scale)
#define LIFECYCLE_SIZE 65536
#define OPEN_CLOSE_CYCLES (20000 / bench_scale)
#define BANDWIDTH_BYTES (256u << 20)
/* The scale workloads; Wine gets fewer processes as well as fewer rounds. */
#define SCALE_PROCS (bench_scale > 1 ? 8 : 64)
#define SCALE_EVENTS 64
#define SCALE_WAKE_ROUNDS (bench_scale > 1 ? 20 : 100)
#define SCALE_LOCKS (20000 / bench_scale) /* per process */
#define SCALE_OBJECTS_WANTED (100000 / bench_scale)
/* How many named objects the scale row holds: SCALE_OBJECTS_WANTED, or fewer when the
   descriptor limit cannot be raised that far (each object holds a descriptor), and
   that row's name, which says how many. */
extern int scale_objects;
extern char scale_objects_row[64];
#define EXIT_CYCLES (bench_scale > 1 ? 5 : 40)

/*
 * The source of the bandwidth copies, page-aligned, filled once. Destinations are
 * page-aligned too (views are; malloc'ed memory is aligned to match), so that the
 * copies compare kinds of memory, not relative alignments.
 */
const unsigned char *bandwidth_source(void);
/* Page-aligned memory from malloc; *block is what to free. */
void *page_aligned(size_t size, void **block);

/* The checksum of a ring item: its index, written in its first 8 bytes. */
#define RING_CHECKSUM(items) ((unsigned long long)(items) * ((items)-1) / 2)

#endif
