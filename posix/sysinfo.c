/*
 * sysinfo.c - process and thread identity, system information, time.
 *
 * The ids are cached: a wait or release path must not make a syscall just to learn
 * who is calling. The pid cache is refreshed in a fork child by pthread_atfork.
 */
#include "internal.h"
#include "platform.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

WINIPC__TLS pid_t winipc__tid;
static pid_t cached_pid;
static uid_t cached_euid;
static size_t page_size;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void after_fork_child(void)
{
    cached_pid = getpid();
    winipc__tid = winipc__system_tid();
}

static void process_init(void)
{
    cached_pid = getpid();
    cached_euid = geteuid();
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    pthread_atfork(NULL, NULL, after_fork_child);
}

pid_t winipc__cached_pid(void)
{
    pthread_once(&init_once, process_init);
    return cached_pid;
}

/* The effective uid at first use: it decides the per-user namespace for good. */
uid_t winipc__euid(void)
{
    pthread_once(&init_once, process_init);
    return cached_euid;
}

size_t winipc__page_size(void)
{
    pthread_once(&init_once, process_init);
    return page_size;
}

pid_t winipc__fetch_tid(void)
{
    winipc__tid = winipc__system_tid();
    return winipc__tid;
}

DWORD WINAPI GetCurrentProcessId(void)
{
    return (DWORD)winipc__cached_pid();
}

DWORD WINAPI GetCurrentThreadId(void)
{
    return (DWORD)winipc__thread_id();
}

HANDLE WINAPI GetCurrentProcess(void)
{
    return WINIPC__PSEUDO_PROCESS;
}

HANDLE WINAPI GetCurrentThread(void)
{
    return WINIPC__PSEUDO_THREAD;
}

void WINAPI GetSystemInfo(LPSYSTEM_INFO si)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    if (!si || winipc__bad_pointer(si))
        return; /* Differs from Windows: Windows faults on NULL; we do nothing. */
    if (n < 1)
        n = 1;
    *si = (SYSTEM_INFO){0};
#if defined(__x86_64__)
    si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_AMD64;
    si->dwProcessorType = PROCESSOR_AMD_X8664;
#elif defined(__i386__)
    si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_INTEL;
    si->dwProcessorType = PROCESSOR_INTEL_PENTIUM;
#elif defined(__aarch64__)
    si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_ARM64;
    si->dwProcessorType = PROCESSOR_ARM;
#else
    si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_UNKNOWN;
#endif
    si->dwPageSize = (DWORD)winipc__page_size();
    si->dwAllocationGranularity = WINIPC__GRANULARITY;
    si->lpMinimumApplicationAddress = (LPVOID)(uintptr_t)WINIPC__GRANULARITY;
    si->lpMaximumApplicationAddress = (LPVOID)(uintptr_t)0x00007FFFFFFEFFFFull;
    si->dwNumberOfProcessors = (DWORD)n;
    si->dwActiveProcessorMask =
        n >= (long)(8 * sizeof(DWORD_PTR)) ? ~(DWORD_PTR)0 : (((DWORD_PTR)1 << n) - 1);
}

static uint64_t monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void WINAPI Sleep(DWORD ms)
{
    struct timespec ts;

    if (ms == INFINITE) {
        for (;;)
            pause();
    }
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

/* The alertable flag is accepted and ignored: there are no APCs to run, so the sleep
   is never cut short and the result is always 0. */
DWORD WINAPI SleepEx(DWORD ms, BOOL alertable)
{
    (void)alertable;
    Sleep(ms);
    return 0;
}

/* The wall clock (CLOCK_REALTIME) in 100-ns units since 1601: the clock of a waitable
   timer's absolute due times (timer.c). */
void WINAPI GetSystemTimeAsFileTime(LPFILETIME ft)
{
    struct timespec ts;
    uint64_t t;

    if (!ft || winipc__bad_pointer(ft))
        return; /* Differs from Windows: Windows faults on NULL; we do nothing. */
    clock_gettime(CLOCK_REALTIME, &ts);
    t = (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100u + 116444736000000000u;
    ft->dwLowDateTime = (DWORD)t;
    ft->dwHighDateTime = (DWORD)(t >> 32);
}

ULONGLONG WINAPI GetTickCount64(void)
{
    return monotonic_ns() / 1000000u;
}

DWORD WINAPI GetTickCount(void)
{
    return (DWORD)GetTickCount64();
}

/* The counter is CLOCK_MONOTONIC in nanoseconds, so the frequency is 1 GHz. */
BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *counter)
{
    if (!counter || winipc__bad_pointer(counter))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    counter->QuadPart = (LONGLONG)monotonic_ns();
    return TRUE;
}

BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *frequency)
{
    if (!frequency || winipc__bad_pointer(frequency))
        return winipc__fail(FALSE, ERROR_NOACCESS);
    frequency->QuadPart = 1000000000;
    return TRUE;
}

const char *WINAPI winipc_version(void)
{
    return WINIPC_VERSION_STRING;
}
