/*
 * The kernel log: format once into a line buffer, then write the line to
 * each destination.
 *
 * Formatting into a buffer first means each destination gets the line in
 * one call (one console redraw, one run of serial bytes). Lines longer than
 * the buffer are cut, which for a log is the right trade. The last
 * LOG_RING_SIZE bytes are also kept in a ring, which /proc/klog shows for
 * dmesg (log_recent()).
 *
 * The destinations are drivers, a floor up, so the log names none of them:
 * each registers its write function with log_add_sink() when it is ready
 * (serial_init(), console_init()), in that order.
 *
 * Locking: none here. Each destination writes one call's bytes with
 * interrupts off (serial.c, console.c), so a line is never split by another
 * task's or an interrupt handler's output on either.
 * Context: any.
 * See: docs/boot.md
 */
#include "lib/log.h"

#include "lib/format.h"

#define LOG_SINKS 4 /* serial, the screen console, and room */

/*
 * The log's tail for dmesg: written over from the start when full. No
 * lock (the log is below the floor that could turn interrupts off): a
 * line an interrupt handler logs while another is being copied in can
 * interleave with it here, in what dmesg shows, never on the sinks.
 */
static struct {
    char buf[LOG_RING_SIZE];
    size_t head;  /* where the next byte goes */
    bool wrapped; /* buf holds LOG_RING_SIZE bytes of history */
} logring;

/* Written at boot (one task, before any interrupt logs), then read. */
static struct {
    uint64_t (*uptime_ms)(void);
    int level;
    log_sink_fn sinks[LOG_SINKS];
    int nsinks;
} logstate = {.level = LOG_INFO};

void log_set_clock(uint64_t (*uptime_ms)(void))
{
    logstate.uptime_ms = uptime_ms;
}

void log_set_level(int level)
{
    logstate.level = level;
}

void log_add_sink(log_sink_fn write)
{
    for (int i = 0; i < logstate.nsinks; i++) {
        if (logstate.sinks[i] == write)
            return;
    }
    if (logstate.nsinks < LOG_SINKS)
        logstate.sinks[logstate.nsinks++] = write;
}

void log_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        logring.buf[logring.head++] = s[i];
        if (logring.head == LOG_RING_SIZE) {
            logring.head = 0;
            logring.wrapped = true;
        }
    }
    for (int i = 0; i < logstate.nsinks; i++)
        logstate.sinks[i](s, n);
}

void klog(int level, const char *fmt, ...)
{
    char line[LOG_LINE_MAX];
    va_list ap;

    if (level > logstate.level)
        return;
    uint64_t ms = logstate.uptime_ms ? logstate.uptime_ms() : 0;
    int pre = ksnprintf(line, sizeof line, "[%6lu.%03lu] ",
                        (unsigned long)(ms / 1000), (unsigned long)(ms % 1000));
    va_start(ap, fmt);
    int n = kvsnprintf(line + pre, sizeof line - (size_t)pre - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)pre + (size_t)n;
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    log_write(line, len);
}

size_t log_recent(char *buf, size_t cap)
{
    size_t len = logring.wrapped ? LOG_RING_SIZE : logring.head;
    size_t skip = len > cap ? len - cap : 0; /* keep the newest */
    size_t start = logring.wrapped ? logring.head : 0;
    for (size_t i = skip; i < len; i++)
        buf[i - skip] = logring.buf[(start + i) % LOG_RING_SIZE];
    return len - skip;
}
