/*
 * fuzz-objects.c - a libFuzzer target for what winipc reads from outside: object names
 * (A and W) and the shared header and kind state of a file someone else may have
 * written. Built with clang -fsanitize=fuzzer,address,undefined against the library's
 * own sources (compat-tests/CMakeLists.txt, WINIPC_FUZZ=ON) and run for a bounded time
 * by the test command; any crash, leak, sanitizer report or hang is a failure.
 *
 * Input: the first byte picks what is fuzzed, the rest is the data.
 *   0  an A name (bytes up to the first NUL)
 *   1  a W name (32-bit units)
 *   2  a header page and file size, validated for every kind, then attached as each
 *      kind that validates its state (without a file behind it)
 */
#include "../../posix/internal.h"

#include <stdlib.h>
#include <string.h>

static void fuzz_names(const uint8_t *data, size_t size, bool wide)
{
    struct winipc__name name;

    if (wide) {
        size_t n = size / sizeof(WCHAR);
        WCHAR *w = calloc(n + 1, sizeof *w);

        if (!w)
            return;
        memcpy(w, data, n * sizeof *w);
        winipc__name_from_w(w, &name);
        free(w);
    } else {
        char *a = malloc(size + 1);

        if (!a)
            return;
        memcpy(a, data, size);
        a[size] = '\0';
        winipc__name_from_a(a, &name);
        free(a);
    }
    if (name.present && (strlen(name.entry) > NAME_MAX || strchr(name.entry, '/') ||
                         strcmp(name.entry, ".") == 0 || strcmp(name.entry, "..") == 0))
        abort(); /* a name must stay one entry of its directory */
}

static void fuzz_header(const uint8_t *data, size_t size)
{
    size_t page = winipc__page_size();
    struct winipc__header *hdr = aligned_alloc(page, page);
    uint64_t file_size = 0;

    if (!hdr)
        return;
    memset(hdr, 0, page);
    if (size >= sizeof file_size) {
        memcpy(&file_size, data, sizeof file_size);
        data += sizeof file_size, size -= sizeof file_size;
    }
    memcpy(hdr, data, size < page ? size : page);
    for (unsigned kind = 0; kind <= 8; kind++) {
        const struct winipc__ops *ops = winipc__ops_of(kind);
        struct winipc__object *obj;

        winipc__header_check(hdr, file_size, hdr->digest, kind);
        if (!ops || !ops->attach || kind == WINIPC__FILE || kind == WINIPC__THREAD)
            continue;
        obj = calloc(1, ops->size);
        if (!obj)
            continue;
        obj->ops = ops;
        obj->hdr = hdr;
        obj->fd = -1; /* a file-backed section finds no file: refused */
        obj->spare_fd = -1;
        if (ops->attach(obj, false, NULL) == 0 && ops->destroy)
            ops->destroy(obj);
        free(obj);
    }
    free(hdr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    switch (data[0] % 3) {
    case 0:
        fuzz_names(data + 1, size - 1, false);
        break;
    case 1:
        fuzz_names(data + 1, size - 1, true);
        break;
    default:
        fuzz_header(data + 1, size - 1);
        break;
    }
    return 0;
}
