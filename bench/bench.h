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

#define REPS 5 /* repetitions of every measurement */

/* One measured figure of one mechanism: min/median/max over REPS. */
struct result {
    const char *workload;  /* e.g. "event ping-pong" */
    const char *mechanism; /* e.g. "winipc events", "raw futex" */
    const char *unit;      /* "ns/round trip", "MB/s", ... */
    bool higher_is_better;
    bool winipc; /* measured through the Win32 API */
    double min, median, max;
};

/*
 * Queues a measurement: fn(copy of arg) returns one figure per run. The queued
 * measurements run interleaved -- round 1 runs each once, then round 2, ... -- so
 * that a machine's drift in speed hits every mechanism alike.
 */
void measure(const char *workload, const char *mechanism, const char *unit, bool higher_is_better,
             bool winipc, double (*fn)(void *arg), const void *arg, size_t arg_size);
void run_measurements(void);

/* Monotonic nanoseconds. */
double now_ns(void);
/* Aborts the benchmark with a message: a workload produced a wrong result. */
void fail(const char *fmt, ...);

/* Helper processes: this program again with `--child ROLE ARGS`. */
struct proc;
struct proc *spawn_self(const char *role, const char *a1, const char *a2, const char *a3);
void wait_proc(struct proc *p); /* fails the benchmark if it did not exit 0 */
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
#define RING_SMALL_ITEM 64
#define RING_SMALL_SLOTS 1024
#define RING_SMALL_ITEMS (200000 / bench_scale)
#define RING_LARGE_ITEM 65536
#define RING_LARGE_SLOTS 16
#define RING_LARGE_ITEMS (4000 / bench_scale)
#define LIFECYCLE_CYCLES (2000 / bench_scale)
#define LIFECYCLE_SIZE 65536
#define OPEN_CLOSE_CYCLES (20000 / bench_scale)
#define BANDWIDTH_BYTES (256u << 20)

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
