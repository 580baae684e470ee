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
 * (serial_init(), console_init()), in that order. Each sink shows the
 * klog() levels up to its own limit: after boot the screen shows only
 * warnings and errors, so a driver's line does not land in the middle of
 * a program's output, while serial and the ring keep everything.
 *
 * Locking: the ring is guarded by the hook log_set_lock() installs
 * (interrupts off, from kmain()), since interrupt handlers log too. Each
 * destination writes one call's bytes with interrupts off (serial.c,
 * console.c), so a line is never split by another task's or an interrupt
 * handler's output on either.
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
    int sink_level[LOG_SINKS]; /* the least severe level each one shows */
    int nsinks;
    uint64_t (*lock)(void); /* the ring's guard, set at boot */
    void (*unlock)(uint64_t);
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
    if (logstate.nsinks < LOG_SINKS) {
        logstate.sink_level[logstate.nsinks] = LOG_DEBUG;
        logstate.sinks[logstate.nsinks++] = write;
    }
}

void log_set_sink_level(log_sink_fn write, int level)
{
    for (int i = 0; i < logstate.nsinks; i++) {
        if (logstate.sinks[i] == write)
            logstate.sink_level[i] = level;
    }
}

void log_set_lock(uint64_t (*lock)(void), void (*unlock)(uint64_t))
{
    logstate.lock = lock;
    logstate.unlock = unlock;
}

static uint64_t ring_lock(void)
{
    return logstate.lock ? logstate.lock() : 0;
}

static void ring_unlock(uint64_t key)
{
    if (logstate.unlock)
        logstate.unlock(key);
}

/* Into the ring, then to each sink that shows `level`. */
static void write_level(int level, const char *s, size_t n)
{
    uint64_t key = ring_lock();
    for (size_t i = 0; i < n; i++) {
        logring.buf[logring.head++] = s[i];
        if (logring.head == LOG_RING_SIZE) {
            logring.head = 0;
            logring.wrapped = true;
        }
    }
    ring_unlock(key);
    for (int i = 0; i < logstate.nsinks; i++) {
        if (level <= logstate.sink_level[i])
            logstate.sinks[i](s, n);
    }
}

void log_write(const char *s, size_t n)
{
    write_level(LOG_ERR, s, n); /* no level: every sink shows it */
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
    write_level(level, line, len);
}

size_t log_recent(char *buf, size_t cap)
{
    uint64_t key = ring_lock();
    size_t len = logring.wrapped ? LOG_RING_SIZE : logring.head;
    size_t skip = len > cap ? len - cap : 0; /* keep the newest */
    size_t start = logring.wrapped ? logring.head : 0;
    for (size_t i = skip; i < len; i++)
        buf[i - skip] = logring.buf[(start + i) % LOG_RING_SIZE];
    ring_unlock(key);
    return len - skip;
}
