/*
 * malloc.h - winipc compat header: glibc's <malloc.h> plus what Microsoft's declares
 * beside it (_aligned_malloc, _aligned_free, _alloca), implemented in libwinipc
 * (posix/crt_secure.c). Compilers' own headers include it too when _WIN32 is defined
 * (clang's <mm_malloc.h> then calls _aligned_malloc).
 */
#ifndef WINIPC_COMPAT_MALLOC_H
#define WINIPC_COMPAT_MALLOC_H

#include_next <malloc.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Memory aligned to `alignment` (a power of two); free it with _aligned_free. */
__attribute__((visibility("default"))) void *_aligned_malloc(size_t size, size_t alignment);
__attribute__((visibility("default"))) void _aligned_free(void *memblock);
#define _alloca(size) __builtin_alloca(size)

#ifdef __cplusplus
}
#endif

#endif /* WINIPC_COMPAT_MALLOC_H */
