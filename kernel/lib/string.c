/*
 * The memory and string functions the kernel (and gcc itself) calls.
 *
 * A freestanding gcc may still emit calls to memcpy, memmove, memset and
 * memcmp for struct copies and large initialisers, so they must exist even
 * though no libc is linked. They are written plainly; `rep movsb`/`rep
 * stosb` are fast on every CPU QEMU models and keep the loops short.
 *
 * Context: any.
 * See: docs/boot.md
 */
#include "lib/portable.h"

/*
 * Eight bytes at a time, then the rest: under QEMU's emulator `rep movsb`
 * moves one byte per step, and the blit of a DOOM frame (2.7 MB) spent
 * most of each frame that way (docs/doom.md has the figures).
 */
void *memcpy(void *dst, const void *src, size_t n)
{
    void *ret = dst;
    size_t words = n / 8, rest = n % 8;
    __asm__ volatile("rep movsq"
                     : "+D"(dst), "+S"(src), "+c"(words)
                     :
                     : "memory");
    __asm__ volatile("rep movsb"
                     : "+D"(dst), "+S"(src), "+c"(rest)
                     :
                     : "memory");
    return ret;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d == s || n == 0)
        return dst;
    if (d < s || d >= s + n)
        return memcpy(dst, src, n);
    /* Overlap with dst above src: copy backwards. */
    while (n--)
        d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *ret = dst;
    size_t words = n / 8, rest = n % 8;
    uint64_t pattern = (unsigned char)c * 0x0101010101010101ull;
    __asm__ volatile("rep stosq"
                     : "+D"(dst), "+c"(words)
                     : "a"(pattern)
                     : "memory");
    __asm__ volatile("rep stosb"
                     : "+D"(dst), "+c"(rest)
                     : "a"(pattern)
                     : "memory");
    return ret;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i] || a[i] == '\0')
            return (unsigned char)a[i] - (unsigned char)b[i];
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (*s == '\0')
            return NULL;
    }
}
