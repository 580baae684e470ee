/*
 * The kernel services that portable code may call, and nothing more.
 *
 * Portable files (bootinfo, the formatter, FAT32, the allocators, ELF
 * parsing, keymaps) are built into the kernel and again into the host unit
 * tests. They include only freestanding headers, <ember/...>, headers in their
 * own folder and this one. In the kernel these are the real services; on the
 * host tests/host/portable_host.c provides them over malloc and stderr, so a
 * portable file that calls anything else fails to link there.
 *
 * Portable: yes (this is the contract itself).
 * See: docs/boot.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

void *kmalloc(size_t size);
void kfree(void *ptr);

/* Log levels, most severe first; klog() drops messages above the threshold. */
enum {
    LOG_ERR = 0,
    LOG_WARN = 1,
    LOG_INFO = 2,
    LOG_DEBUG = 3,
};
void klog(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints the expression and where it failed, then panics (on the host: abort).
 */
void kassert_fail(const char *expr, const char *file, int line,
                  const char *func) __attribute__((noreturn));

/* Always on, in every build: keep the conditions cheap. */
#define KASSERT(cond)                                                          \
    do {                                                                       \
        if (!(cond))                                                           \
            kassert_fail(#cond, __FILE__, __LINE__, __func__);                 \
    } while (0)

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
