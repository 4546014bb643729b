/*
 * names.c - Win32 object names to the files that carry the objects.
 *
 * A Win32 name is `Local\x`, `Global\x` or plain `x` (= `Local\x`). The prefixes are
 * case-sensitive, as the object directory lookups on Windows are, and the rest is an
 * opaque, case-sensitive string in which '/' is an ordinary character and '\' is not
 * allowed. A names are taken as UTF-8 and W names are converted to UTF-8, so both
 * spellings of a name reach the same object.
 *
 * The per-user namespace is a directory of the user's own (object.c decides which);
 * there the file is the escaped name itself. The Global\ namespace is /dev/shm, where
 * the file is "winipc.g.<escaped name>". '/', '%', '#' and control bytes are escaped
 * as %XX, and so are the dots of a name that is "." or "..". A name whose escaped form
 * does not fit NAME_MAX becomes "#<SHA-256 of namespace and name>"; the digest is kept
 * in the object header, so a collision would be noticed.
 *
 * Differs from Windows: there are no sessions; Local\ (and no prefix) is the user's
 * namespace, Global\ the machine's, and "Session\N\" prefixes are not recognised.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Longest W name: a UNICODE_STRING holds 32767 WCHARs, including the directory. */
#define WIDE_NAME_MAX 32000

static const char hex[] = "0123456789ABCDEF";

/* Appends byte c to out[*n], escaped if `escape`; false if it does not fit. */
static bool put(char *out, size_t *n, unsigned char c, bool escape)
{
    if (*n + (escape ? 3 : 1) > NAME_MAX)
        return false;
    if (escape) {
        out[(*n)++] = '%';
        out[(*n)++] = hex[c >> 4];
        out[(*n)++] = hex[c & 15];
    } else {
        out[(*n)++] = (char)c;
    }
    return true;
}

/* Resolves a UTF-8 name of `len` bytes. Returns 0 or a Win32 error. */
static DWORD resolve(const char *name, size_t len, struct winipc__name *out)
{
    char ns[32];
    size_t n, i, prefix;
    unsigned char *buf;
    bool dots;

    memset(out, 0, offsetof(struct winipc__name, utf8));
    if (len == 0)
        return 0; /* unnamed */
    out->present = true;
    if (len >= 6 && memcmp(name, "Local\\", 6) == 0) {
        name += 6, len -= 6;
    } else if (len >= 7 && memcmp(name, "Global\\", 7) == 0) {
        name += 7, len -= 7;
        out->global = true;
    }
    if (len == 0)
        return ERROR_INVALID_NAME;
    if (memchr(name, '\\', len))
        return ERROR_PATH_NOT_FOUND;
    if (out->global)
        snprintf(ns, sizeof ns, "g");
    else
        snprintf(ns, sizeof ns, "u%lu", (unsigned long)winipc__euid());

    out->utf8_len = len;
    memcpy(out->utf8, name, len < sizeof out->utf8 ? len : sizeof out->utf8 - 1);

    /* Digest of "<ns>\<name>": identifies the name in the header. */
    buf = malloc(strlen(ns) + 1 + len);
    if (!buf)
        return ERROR_NOT_ENOUGH_MEMORY;
    n = strlen(ns);
    memcpy(buf, ns, n);
    buf[n] = '\\';
    memcpy(buf + n + 1, name, len);
    winipc__sha256(buf, n + 1 + len, out->digest);
    free(buf);

    prefix = out->global ? strlen(WINIPC__GLOBAL_PREFIX) : 0;
    memcpy(out->entry, WINIPC__GLOBAL_PREFIX, prefix);
    n = prefix;
    dots = (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        bool escape = c < 0x20 || c == 0x7F || c == '/' || c == '%' || c == '#' || dots;

        if (!put(out->entry, &n, c, escape))
            break;
    }
    if (i < len) { /* too long: the digest names it */
        n = prefix;
        put(out->entry, &n, '#', false);
        for (i = 0; i < sizeof out->digest; i++) {
            put(out->entry, &n, (unsigned char)hex[out->digest[i] >> 4], false);
            put(out->entry, &n, (unsigned char)hex[out->digest[i] & 15], false);
        }
    }
    out->entry[n] = '\0';
    return 0;
}

DWORD winipc__name_from_a(const char *name, struct winipc__name *out)
{
    size_t len;

    out->present = false;
    if (winipc__bad_pointer(name))
        return ERROR_NOACCESS;
    /* A names pass through a conversion buffer of MAX_PATH characters and a NUL on
       Windows: 260 fit, 261 do not. */
    len = name ? strnlen(name, MAX_PATH + 1) : 0;
    if (len > MAX_PATH)
        return ERROR_FILENAME_EXCED_RANGE;
    return resolve(name, len, out);
}

DWORD winipc__name_from_w(const WCHAR *name, struct winipc__name *out)
{
    char *utf8;
    DWORD err;

    out->present = false;
    if (winipc__bad_pointer(name))
        return ERROR_NOACCESS;
    if (!name || !*name)
        return resolve("", 0, out);
    if (wcslen(name) > WIDE_NAME_MAX)
        return ERROR_FILENAME_EXCED_RANGE;
    utf8 = winipc__utf8_from_w(name);
    if (!utf8)
        return errno == ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_NAME;
    err = resolve(utf8, strlen(utf8), out);
    free(utf8);
    return err;
}

/*
 * UTF-8 from a NUL-terminated wide string. wchar_t is UTF-32 on Linux; a code point
 * above U+10FFFF is rejected (EILSEQ). Lone surrogates are encoded as themselves, so
 * every distinct wide name stays distinct.
 */
char *winipc__utf8_from_w(const WCHAR *s)
{
    size_t len = wcslen(s), i, n = 0;
    char *out = malloc(4 * len + 1);

    if (!out)
        return NULL;
    for (i = 0; i < len; i++) {
        uint32_t c = (uint32_t)s[i];

        if (c < 0x80) {
            out[n++] = (char)c;
        } else if (c < 0x800) {
            out[n++] = (char)(0xC0 | (c >> 6));
            out[n++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[n++] = (char)(0xE0 | (c >> 12));
            out[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[n++] = (char)(0x80 | (c & 0x3F));
        } else if (c <= 0x10FFFF) {
            out[n++] = (char)(0xF0 | (c >> 18));
            out[n++] = (char)(0x80 | ((c >> 12) & 0x3F));
            out[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[n++] = (char)(0x80 | (c & 0x3F));
        } else {
            free(out);
            errno = EILSEQ;
            return NULL;
        }
    }
    out[n] = '\0';
    return out;
}

/* ---- SHA-256 (FIPS 180-4) ------------------------------------------------------------ */

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const unsigned char p[64])
{
    uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2;
    int i;

    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (; i < 64; i++) {
        uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);

        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (i = 0; i < 64; i++) {
        t1 = hh + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & f) ^ (~e & g)) + sha256_k[i] +
             w[i];
        t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

void winipc__sha256(const void *data, size_t len, unsigned char out[32])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const unsigned char *p = data;
    unsigned char tail[128] = {0};
    size_t rest = len % 64, tail_len = rest < 56 ? 64 : 128, i;
    uint64_t bits = (uint64_t)len * 8;

    for (i = 0; i + 64 <= len; i += 64)
        sha256_block(h, p + i);
    memcpy(tail, p + i, rest);
    tail[rest] = 0x80;
    for (i = 0; i < 8; i++)
        tail[tail_len - 1 - i] = (unsigned char)(bits >> (8 * i));
    sha256_block(h, tail);
    if (tail_len == 128)
        sha256_block(h, tail + 64);
    for (i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(h[i] >> 8);
        out[4 * i + 3] = (unsigned char)h[i];
    }
}
