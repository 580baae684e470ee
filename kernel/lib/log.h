/*
 * The kernel log: every line to each destination a driver has
 * registered (COM1 from the start, the screen console once it exists).
 *
 * klog(level, fmt, ...) (declared in lib/portable.h) prefixes each line with
 * a millisecond timestamp, `[    12.345] `, which stays 0 until the timer
 * registers its clock with log_set_clock(). Messages above the level set by
 * the `loglevel=` option are dropped. kprintf() (lib/kprintf.h) writes
 * here too, without the timestamp.
 *
 * Context: any, including interrupt handlers and panic.
 * See: docs/boot.md
 */
#pragma once

#include <stdint.h>
#include <stdarg.h>

#include "lib/portable.h"

#define LOG_RING_SIZE (16 * 1024) /* the log's tail kept for dmesg */
#define LOG_LINE_MAX  512         /* a line longer than this is cut */

/* Copies the newest of the log's last LOG_RING_SIZE bytes, up to cap,
 * oldest first, into buf; returns how many. */
size_t log_recent(char *buf, size_t cap);

/* Raw output of n bytes to every log destination. */
void log_write(const char *s, size_t n);

/* The source of log timestamps (milliseconds since boot). */
void log_set_clock(uint64_t (*uptime_ms)(void));

/* Drops messages above `level` (LOG_ERR .. LOG_DEBUG). */
void log_set_level(int level);

/* A destination of the log: writes n bytes whole, in any context. */
typedef void (*log_sink_fn)(const char *s, size_t n);

/*
 * Adds a destination; every later line goes to each, in the order they
 * were added. Adding one twice changes nothing. The drivers add theirs
 * (serial_init(), console_init()). Boot.
 */
void log_add_sink(log_sink_fn write);

/*
 * The least severe klog() level `write` is given (LOG_DEBUG when added):
 * kmain() sets the screen's to LOG_WARN once the boot is done, so later
 * log lines go to the ring and the serial port but onto the screen only
 * if they are warnings or errors. Raw writes (log_write()) reach every
 * sink. Context: boot.
 */
void log_set_sink_level(log_sink_fn write, int level);

/*
 * The guard of the ring that dmesg reads, a hook because lib is the ground
 * floor: kmain() passes functions that turn interrupts off and back on,
 * so a log line from an interrupt cannot tear one from a task, nor a read
 * of /proc/klog. Before it is set (early boot, one task) there is none.
 * Context: boot.
 */
void log_set_lock(uint64_t (*lock)(void), void (*unlock)(uint64_t));
