/*
 * kprintf(): format into a line buffer, then write it to the log.
 *
 * The formatter itself is lib/format.c, portable and host-tested; this
 * file is the kernel's side of it, which the host tests cannot link
 * because it ends in log_write(). One buffer on the stack and one call to
 * the log keep the text whole on every destination.
 *
 * Locking: none; log_write()'s destinations each write a call's bytes with
 * interrupts off.
 * Context: any.
 * See: docs/boot.md
 */
#include "lib/kprintf.h"

#include "lib/format.h"
#include "lib/log.h"

int kvprintf(const char *fmt, va_list ap)
{
    char line[LOG_LINE_MAX];
    int n = kvsnprintf(line, sizeof line, fmt, ap);
    size_t len = n < (int)sizeof line ? (size_t)n : sizeof line - 1;
    log_write(line, len);
    return n;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}
