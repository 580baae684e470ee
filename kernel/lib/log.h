/*
 * The kernel log and kprintf: every line to COM1, and to the screen console
 * once it exists.
 *
 * klog(level, fmt, ...) (declared in lib/portable.h) prefixes each line with
 * a millisecond timestamp, `[    12.345] `, which stays 0 until the timer
 * registers its clock with log_set_clock(). Messages above the level set by
 * the `loglevel=` option are dropped.
 *
 * Context: any, including interrupt handlers and panic.
 * See: docs/boot.md
 */
#pragma once

#include <stdint.h>
#include <stdarg.h>

#include "lib/portable.h"

/* Writes formatted text to serial and the console, with no prefix. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);

#define LOG_RING_SIZE (16 * 1024) /* the log's tail kept for dmesg */

/* Copies the newest of the log's last LOG_RING_SIZE bytes, up to cap,
 * oldest first, into buf; returns how many. */
size_t log_recent(char *buf, size_t cap);

/* Raw output of n bytes to every log destination. */
void log_write(const char *s, size_t n);

/* The source of log timestamps (milliseconds since boot). */
void log_set_clock(uint64_t (*uptime_ms)(void));

/* Drops messages above `level` (LOG_ERR .. LOG_DEBUG). */
void log_set_level(int level);

/* Sends log output to the screen console too (after console_init()). */
void log_enable_console(void);
