/*
 * winipc/lp64.h - where a Windows LONG meets a Linux long. Included at the end of
 * winipc/win32.h; not for direct use.
 *
 * LONG is 32 bits on both systems, but long is 64 bits on Linux: LONG_MAX there is
 * 2^63-1. Code that asks for "the largest semaphore" with
 *     CreateSemaphore(NULL, 0, LONG_MAX, name)
 * (or std::numeric_limits<long>::max()) passes 2^31-1 on Windows, and on Linux a value
 * that the LONG parameter wraps to -1: ERROR_INVALID_PARAMETER. So the count
 * parameters of the CreateSemaphore* calls take any integer and pass it through
 * winipc_long_arg first: a value that needs more than 32 bits, which only a 64-bit
 * type can hold and which Windows code can therefore only mean as "the largest
 * LONG", becomes MAXLONG (or MINLONG below); every value of 32 bits converts to LONG
 * exactly as on Windows (0xFFFFFFFF is -1 there too, and still fails).
 *
 * In C the A and W names are function-like macros: calls are converted, while
 * &CreateSemaphoreA or a function pointer named so still mean the function. In C++
 * they are template overloads beside the functions: arguments that are LONG already
 * (int) choose the function itself. Define WINIPC_NO_LONG_CLAMP before <windows.h> to
 * do without (a redeclaration of CreateSemaphoreA in C, or `auto p = &CreateSemaphoreA`
 * in C++, needs that).
 */
#ifndef WINIPC_LP64_H
#define WINIPC_LP64_H

/* A count in a wider integer type as Windows would have received it in a LONG. */
static inline LONG winipc_long_arg(long long value)
{
    if (value > (long long)0xFFFFFFFF)
        return (LONG)MAXLONG;
    if (value < -(long long)0x80000000)
        return (LONG)(-MAXLONG - 1);
    return (LONG)(uint32_t)(unsigned long long)value; /* two's complement wrap, as Windows */
}

#ifndef WINIPC_NO_LONG_CLAMP
#ifndef __cplusplus

#define CreateSemaphoreA(attributes, initial, maximum, name) \
    CreateSemaphoreA((attributes), winipc_long_arg(initial), winipc_long_arg(maximum), (name))
#define CreateSemaphoreW(attributes, initial, maximum, name) \
    CreateSemaphoreW((attributes), winipc_long_arg(initial), winipc_long_arg(maximum), (name))
#define CreateSemaphoreExA(attributes, initial, maximum, name, flags, access)                    \
    CreateSemaphoreExA((attributes), winipc_long_arg(initial), winipc_long_arg(maximum), (name), \
                       (flags), (access))
#define CreateSemaphoreExW(attributes, initial, maximum, name, flags, access)                    \
    CreateSemaphoreExW((attributes), winipc_long_arg(initial), winipc_long_arg(maximum), (name), \
                       (flags), (access))

#else

extern "C++" {
template <class I, class M>
inline HANDLE CreateSemaphoreA(LPSECURITY_ATTRIBUTES attributes, I initial, M maximum, LPCSTR name)
{
    return ::CreateSemaphoreA(attributes, winipc_long_arg((long long)initial),
                              winipc_long_arg((long long)maximum), name);
}
template <class I, class M>
inline HANDLE CreateSemaphoreW(LPSECURITY_ATTRIBUTES attributes, I initial, M maximum, LPCWSTR name)
{
    return ::CreateSemaphoreW(attributes, winipc_long_arg((long long)initial),
                              winipc_long_arg((long long)maximum), name);
}
template <class I, class M>
inline HANDLE CreateSemaphoreExA(LPSECURITY_ATTRIBUTES attributes, I initial, M maximum,
                                 LPCSTR name, DWORD flags, DWORD access)
{
    return ::CreateSemaphoreExA(attributes, winipc_long_arg((long long)initial),
                                winipc_long_arg((long long)maximum), name, flags, access);
}
template <class I, class M>
inline HANDLE CreateSemaphoreExW(LPSECURITY_ATTRIBUTES attributes, I initial, M maximum,
                                 LPCWSTR name, DWORD flags, DWORD access)
{
    return ::CreateSemaphoreExW(attributes, winipc_long_arg((long long)initial),
                                winipc_long_arg((long long)maximum), name, flags, access);
}
}

#endif
#endif

#endif /* WINIPC_LP64_H */
