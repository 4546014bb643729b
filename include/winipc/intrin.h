/*
 * winipc/intrin.h - the MSVC intrinsics that code around shared memory uses: barriers,
 * the processor pause, bit scans, the time-stamp counter, the _Interlocked family.
 * Include <intrin.h> from the compat directory.
 */
#ifndef WINIPC_INTRIN_H
#define WINIPC_INTRIN_H

#include <winipc.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Compiler barriers (MSVC's are compiler-only too) and full fences. */
#define _ReadWriteBarrier() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define _ReadBarrier() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define _WriteBarrier() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#ifdef __SANITIZE_THREAD__
/* ThreadSanitizer does not model fences (GCC refuses them, -Wtsan): a sequentially
   consistent exchange orders as much for it, and is a full barrier on the hardware. */
static inline void winipc_memory_barrier(void)
{
    static int word;

    __atomic_exchange_n(&word, 0, __ATOMIC_SEQ_CST);
}
#define MemoryBarrier() winipc_memory_barrier()
#else
#define MemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#define __faststorefence() MemoryBarrier()
#if defined(__x86_64__) || defined(__i386__)
#define YieldProcessor() _mm_pause()
#define __debugbreak() __asm__ volatile("int3")
#else
#define YieldProcessor() ((void)0)
#define __debugbreak() __builtin_trap()
#endif

static inline unsigned char _BitScanForward(unsigned long *index, unsigned long mask)
{
    if (!mask)
        return 0;
    *index = (unsigned long)__builtin_ctzl(mask);
    return 1;
}
static inline unsigned char _BitScanReverse(unsigned long *index, unsigned long mask)
{
    if (!mask)
        return 0;
    *index = (unsigned long)(8 * sizeof mask - 1 - (size_t)__builtin_clzl(mask));
    return 1;
}
static inline unsigned char _BitScanForward64(unsigned long *index, unsigned long long mask)
{
    if (!mask)
        return 0;
    *index = (unsigned long)__builtin_ctzll(mask);
    return 1;
}
static inline unsigned char _BitScanReverse64(unsigned long *index, unsigned long long mask)
{
    if (!mask)
        return 0;
    *index = (unsigned long)(63 - __builtin_clzll(mask));
    return 1;
}
#define __popcnt(x) ((unsigned int)__builtin_popcount(x))
#define __popcnt64(x) ((unsigned long long)__builtin_popcountll(x))
#define _byteswap_ushort(x) __builtin_bswap16(x)
#define _byteswap_ulong(x) __builtin_bswap32(x)
#define _byteswap_uint64(x) __builtin_bswap64(x)
/* _rotl and _rotr: x86intrin.h has them on x86. */
#ifndef _rotl
#define _rotl(v, s)                                   \
    ((unsigned int)(((unsigned int)(v) << ((s)&31)) | \
                    ((unsigned int)(v) >> ((32 - ((s)&31)) & 31))))
#endif
#ifndef _rotr
#define _rotr(v, s)                                   \
    ((unsigned int)(((unsigned int)(v) >> ((s)&31)) | \
                    ((unsigned int)(v) << ((32 - ((s)&31)) & 31))))
#endif
#define _ReturnAddress() __builtin_return_address(0)
#define _AddressOfReturnAddress() __builtin_frame_address(0)

/* The _Interlocked intrinsics: the Interlocked functions of winnt.h under other names. */
#define _InterlockedIncrement InterlockedIncrement
#define _InterlockedDecrement InterlockedDecrement
#define _InterlockedExchange InterlockedExchange
#define _InterlockedExchangeAdd InterlockedExchangeAdd
#define _InterlockedCompareExchange InterlockedCompareExchange
#define _InterlockedIncrement64 InterlockedIncrement64
#define _InterlockedDecrement64 InterlockedDecrement64
#define _InterlockedExchange64 InterlockedExchange64
#define _InterlockedExchangeAdd64 InterlockedExchangeAdd64
#define _InterlockedCompareExchange64 InterlockedCompareExchange64
#define _InterlockedExchangePointer InterlockedExchangePointer
#define _InterlockedCompareExchangePointer InterlockedCompareExchangePointer
static inline LONG _InterlockedOr(LONG volatile *p, LONG v)
{
    return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
}
static inline LONG _InterlockedAnd(LONG volatile *p, LONG v)
{
    return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
}
static inline LONG _InterlockedXor(LONG volatile *p, LONG v)
{
    return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);
}
#define InterlockedOr _InterlockedOr
#define InterlockedAnd _InterlockedAnd
#define InterlockedXor _InterlockedXor

#ifdef __cplusplus
}
#endif

#endif /* WINIPC_INTRIN_H */
