/*
 * kprintf(): printf to the kernel log, with no timestamp or level.
 *
 * The kernel's own printf, for output that is not a log line: the boot
 * banner, panic reports, the test harness's results. The text is
 * formatted by lib/format.c into one line buffer and handed whole to
 * log_write(), so it reaches every log destination, and /proc/klog, in one
 * piece; text past the buffer is cut. klog() (lib/log.c) is the same with a
 * timestamp, a level and a newline.
 *
 * Context: any, including interrupt handlers and panic.
 * See: docs/boot.md, docs/conventions.md
 */
#pragma once

#include <stdarg.h>

/* Writes formatted text to every log destination; returns its length. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);
