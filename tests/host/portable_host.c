/*
 * The kernel services of lib/portable.h, provided on the host for unit tests.
 *
 * A host test links a portable file with this one and nothing else from the
 * kernel, so this file is the purity check: a portable file that calls
 * anything the kernel has but this file does not (ata_read, a spinlock, the
 * console) fails to link. Keep it to the list in portable.h. kmalloc and
 * kfree sit on malloc and free, so ASan sees every leak and overrun; klog
 * writes to stderr; kassert_fail aborts, which the sanitizers and the test
 * runner both report. The mem* and str* functions are the C library's own
 * here, so they are not defined again.
 *
 * Portable: host only (this is the host half of the contract).
 * See: tests/host/README.md
 */
#include "lib/portable.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void *kmalloc(size_t size)
{
    return malloc(size);
}

void kfree(void *ptr)
{
    free(ptr);
}

/* Every level is printed: a test wants to see why it failed. */
void klog(int level, const char *fmt, ...)
{
    static const char *const names[] = {
        [LOG_ERR] = "err",
        [LOG_WARN] = "warn",
        [LOG_INFO] = "info",
        [LOG_DEBUG] = "debug",
    };
    const char *name = "?";
    va_list ap;

    if (level >= 0 && (size_t)level < sizeof(names) / sizeof(names[0]))
        name = names[level];
    fprintf(stderr, "klog %s: ", name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr); /* as the kernel's klog() ends each line */
    va_end(ap);
}

void kassert_fail(const char *expr, const char *file, int line,
                  const char *func)
{
    fprintf(stderr, "%s:%d: %s: KASSERT(%s) failed\n", file, line, func, expr);
    abort();
}
